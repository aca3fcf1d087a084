/*
 * bench_match.c — linking at the scale of a province: N records (default
 * 100,000) against the registry CSV given (the benchmark target is
 * 2,000,000 citizens: `make bench` generates them with hotich-fixtures), on
 * T threads (default 2).  Prints the time of each phase (load, index,
 * block + compare, EM, decide), pairs compared per second, peak memory,
 * the precision and recall of the automatic links on the known truth, and
 * the ratios to the budget (60 s, 2 GiB) and to a naive peer run
 * in the same process: an exact join on folded name and date of birth.
 *
 * bench_match --registry FILE.csv [--records N] [--threads T]
 *
 * The records are drawn from the registry with the noise OCR and old
 * registers give (no ID number on most, a mark lost in a name, a date
 * known only by its year, a misread digit), one in seven of people who are
 * not in the registry (a name and a date of their own).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../match/match_internal.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static unsigned below(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static long peak_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

struct query_src {
	char ref[32], id[16], name[VN_NAME_MAX], dob[16], sex[4], father[VN_NAME_MAX],
	    mother[VN_NAME_MAX];
	long truth; /* citizen index, -1 */
};

/* "Hùng" -> "Hung" for the given name: a mark lost in reading. */
static void lose_a_mark(const char *name, char *out, size_t n)
{
	strbuf f = STRBUF_INIT;
	const char *sp = strrchr(name, ' ');

	if (!sp) {
		snprintf(out, n, "%s", name);
		return;
	}
	vn_fold(sp + 1, -1, &f);
	snprintf(out, n, "%.*s %s", (int)(sp - name), name, f.buf);
	strbuf_release(&f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "registry", required_argument, NULL, 'r' },
					      { "records", required_argument, NULL, 'n' },
					      { "threads", required_argument, NULL, 't' },
					      { NULL, 0, NULL, 0 } };
	const char *path = NULL;
	long nrec = 100000, rejected = 0, loaded, i;
	int threads = 2, c;
	struct match_registry *r = match_registry_new();
	struct match_model model;
	struct match_options o;
	struct match_stats st;
	struct query_src *src;
	struct match_query *q;
	struct match_result *res;
	const struct match_role *roles;
	double t0, t_load, t_index, t_link, t_peer;
	long auto_ok = 0, auto_all = 0, in_reg = 0, review = 0, peer_links = 0, peer_ok = 0;
	herr e = { 0 };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			path = optarg;
		else if (c == 'n')
			nrec = atol(optarg);
		else if (c == 't')
			threads = atoi(optarg);
		else
			return 2;
	}
	if (!path) {
		fprintf(stderr,
			"usage: bench_match --registry FILE.csv [--records N] [--threads T]\n");
		return 2;
	}
	match_roles("khai_sinh", &roles);
	t0 = now_s();
	loaded = match_registry_load_csv(r, path, &rejected, &e);
	if (loaded < 2) {
		fprintf(stderr, "bench_match: %s\n", loaded < 0 ? e.msg : "registry too small");
		return 1;
	}
	t_load = now_s() - t0;
	t0 = now_s();
	match_registry_finish(r);
	t_index = now_s() - t0;

	/* the records */
	src = xcalloc((size_t)nrec, sizeof(*src));
	q = xcalloc((size_t)nrec, sizeof(*q));
	res = xcalloc((size_t)nrec, sizeof(*res));
	for (i = 0; i < nrec; i++) {
		struct query_src *s = &src[i];
		const struct mperson *p = registry_person(r, below((unsigned)loaded));

		snprintf(s->ref, sizeof(s->ref), "bench:%ld:0", i);
		s->truth = -1;
		if (below(7) == 0) {
			/* not in the registry: another name and another day */
			const struct mperson *o2 = registry_person(r, below((unsigned)loaded));

			snprintf(s->name, sizeof(s->name), "%s %s", p->name,
				 strrchr(o2->name, ' ') ? strrchr(o2->name, ' ') + 1 : o2->name);
			snprintf(s->dob, sizeof(s->dob), "%04d-%02d-%02d", 1940 + (int)below(80),
				 1 + (int)below(12), 1 + (int)below(28));
		} else {
			s->truth = (long)(p - registry_person(r, 0));
			in_reg++;
			if (below(10) < 3)
				snprintf(s->id, sizeof(s->id), "%s", p->id);
			if (below(10) == 0)
				lose_a_mark(p->name, s->name, sizeof(s->name));
			else
				snprintf(s->name, sizeof(s->name), "%s", p->name);
			if (p->dob.year && below(20) == 0)
				snprintf(s->dob, sizeof(s->dob), "%04d", p->dob.year);
			else if (p->dob.day)
				snprintf(s->dob, sizeof(s->dob), "%04d-%02d-%02d", p->dob.year,
					 p->dob.month, p->dob.day);
			if (s->dob[0] && below(30) == 0)
				s->dob[2] = (char)('0' + (s->dob[2] - '0' + 1) % 10);
			snprintf(s->sex, sizeof(s->sex), "%s",
				 p->sex == VN_SEX_MALE ? "nam" : "nu");
			if (below(3) == 0) {
				snprintf(s->father, sizeof(s->father), "%s",
					 p->father ? p->father : "");
				snprintf(s->mother, sizeof(s->mother), "%s",
					 p->mother ? p->mother : "");
			}
		}
		q[i].ref = s->ref;
		q[i].doc_type = "khai_sinh";
		q[i].role = &roles[0];
		q[i].f.id_number = s->id;
		q[i].f.full_name = s->name;
		q[i].f.dob = s->dob;
		q[i].f.sex = s->sex;
		q[i].f.father_name = s->father;
		q[i].f.mother_name = s->mother;
	}

	match_model_defaults(&model);
	match_options_init(&o);
	o.threads = threads;
	t0 = now_s();
	if (match_link(r, &model, q, (size_t)nrec, &o, res, &st, &e) < 0) {
		fprintf(stderr, "bench_match: %s\n", e.msg);
		return 1;
	}
	t_link = now_s() - t0;
	for (i = 0; i < nrec; i++) {
		if (!strcmp(res[i].status, "auto")) {
			auto_all++;
			auto_ok += res[i].citizen == src[i].truth;
		} else if (!strcmp(res[i].status, "review")) {
			review++;
		}
	}

	/* the peer: an exact join on the folded name and the full date, linking
	 * when exactly one citizen has both */
	t0 = now_s();
	{
		struct arena a = { 0 };

		for (i = 0; i < nrec; i++) {
			struct mperson p;
			char key[VN_NAME_MAX + 16];
			size_t n, hits = 0;
			const uint32_t *b;
			long who = -1;

			if (person_from_fields(&q[i].f, 0, &a, &p, &e) < 0 || !p.key || !p.dob.day)
				continue;
			snprintf(key, sizeof(key), "%04d-%02d-%02d", p.dob.year, p.dob.month,
				 p.dob.day);
			b = registry_block(r, match_hash("dob", key), &n);
			for (size_t k = 0; k < n; k++)
				if (!strcmp(registry_person(r, b[k])->key, p.key)) {
					hits++;
					who = (long)b[k];
				}
			if (hits == 1) {
				peer_links++;
				peer_ok += who == src[i].truth;
			}
		}
		arena_release(&a);
	}
	t_peer = now_s() - t0;

	printf("bench_match: %ld records against %ld citizens (%s), %d threads\n\n", nrec, loaded,
	       path, threads);
	printf("| phase | seconds |\n|---|---:|\n");
	printf("| load and normalize the registry | %.1f |\n", t_load);
	printf("| index (blocking keys, name frequencies) | %.1f |\n", t_index);
	printf("| block and compare | %.1f |\n", st.seconds_compare);
	printf("| EM and u | %.1f |\n", st.seconds_em);
	printf("| decide | %.1f |\n", st.seconds_decide);
	printf("| **total** | **%.1f** |\n\n", t_load + t_index + t_link);
	printf("pairs compared: %ld (%.0f per record), %.2f million per second on %d threads; "
	       "blocks over the cap skipped: %ld\n",
	       st.pairs, (double)st.pairs / (double)nrec,
	       (double)st.pairs / (st.seconds_compare > 0 ? st.seconds_compare : 1e-9) / 1e6,
	       threads, st.capped_blocks);
	printf("peak memory: %ld MB (%.2f of the 2 GiB budget); total time %.2f of the 60 s "
	       "budget\n",
	       peak_mb(), (double)peak_mb() / 2048.0, (t_load + t_index + t_link) / 60.0);
	printf("automatic links: %ld, precision %.3f%%, recall %.1f%% of the %ld records whose "
	       "person is in the registry; review %.1f%%\n",
	       auto_all, auto_all ? 100.0 * (double)auto_ok / (double)auto_all : 0.0,
	       in_reg ? 100.0 * (double)auto_ok / (double)in_reg : 0.0, in_reg,
	       100.0 * (double)review / (double)nrec);
	printf("peer (exact join on folded name and date, one thread, index given): %.1f s, "
	       "links %ld, precision %.3f%%, recall %.1f%%; hotich's link phase takes %.1fx its "
	       "time\n",
	       t_peer, peer_links, peer_links ? 100.0 * (double)peer_ok / (double)peer_links : 0.0,
	       in_reg ? 100.0 * (double)peer_ok / (double)in_reg : 0.0,
	       t_link / (t_peer > 0 ? t_peer : 1e-9));
	free(src);
	free(q);
	free(res);
	match_registry_free(r);
	return 0;
}
