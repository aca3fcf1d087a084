/*
 * bench_match.c — linking at the scale of a province: N records (default
 * 100,000) against the registry CSV given (the benchmark target is
 * 2,000,000 citizens: `make bench` generates them with hotich-fixtures), on
 * T threads (default 2).  Prints the time of each phase (load, index,
 * block + compare, EM, decide), pairs compared per second, peak memory,
 * the precision and recall of the automatic links on the known truth, what
 * each blocking rule reaches (the share of true pairs sharing one of its
 * keys) and the candidates it brings, and the ratios to the budget
 * (60 s, 2 GiB) and to a naive peer run in the same process: an exact join
 * on folded name and date of birth.
 *
 * bench_match --registry FILE.csv [--records N] [--threads T] [--unreached FILE]
 * bench_match --keying DIR [--threads T] [--unreached FILE]
 *
 * --unreached writes the records whose person no rule reached.
 *
 * The records are drawn from the registry with the noise OCR, old
 * registers and clerks give (no ID number on most, a mark lost in a name,
 * a letter mistyped, the name's parts in another order, a middle name
 * dropped, a date known only by its year, a digit misread, day and month
 * swapped), one in seven of people who are not in the registry (a name and
 * a date of their own).  With --keying, the records and the truth of a
 * keying-error set (hotich-fixtures --set keying: DIR/records.jsonl,
 * DIR/links.csv, DIR/registry.csv) instead.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "../match/match_internal.h"

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

/* CPU seconds of the process (its threads together): on a shared machine,
 * what the wall clock cannot tell apart from the others' load. */
static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

struct query_src {
	char ref[48], id[16], name[VN_NAME_MAX], dob[32], sex[4], father[VN_NAME_MAX],
	    mother[VN_NAME_MAX], place[256];
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

/* A letter of the name mistyped (an ASCII letter replaced by another). */
static void mistype(char *name)
{
	size_t n = strlen(name), tries;

	for (tries = 0; tries < 20; tries++) {
		size_t i = below((unsigned)n);

		if (name[i] >= 'a' && name[i] <= 'z') {
			name[i] = (char)('a' + (name[i] - 'a' + 1 + below(25)) % 26);
			return;
		}
	}
}

/* "Nguyễn Văn Hùng" -> "Văn Hùng Nguyễn" */
static void surname_last(char *name, size_t size)
{
	char *sp = strchr(name, ' '), buf[VN_NAME_MAX];

	if (!sp)
		return;
	snprintf(buf, sizeof(buf), "%s %.*s", sp + 1, (int)(sp - name), name);
	snprintf(name, size, "%s", buf);
}

/* "Nguyễn Văn Hùng" -> "Nguyễn Hùng" */
static void drop_middle(char *name)
{
	char *sp = strchr(name, ' '), *last = strrchr(name, ' ');

	if (sp && last && sp != last)
		memmove(sp, last, strlen(last) + 1);
}

static void synthetic_records(const struct match_registry *r, long loaded, long nrec,
			      struct query_src *src, long *in_reg)
{
	for (long i = 0; i < nrec; i++) {
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
			continue;
		}
		s->truth = (long)(p - registry_person(r, 0));
		(*in_reg)++;
		if (below(10) < 3)
			snprintf(s->id, sizeof(s->id), "%s", p->id);
		if (below(10) == 0)
			lose_a_mark(p->name, s->name, sizeof(s->name));
		else
			snprintf(s->name, sizeof(s->name), "%s", p->name);
		/* keying errors: a letter, the order, a middle name */
		if (below(20) == 0)
			mistype(s->name);
		if (below(30) == 0)
			surname_last(s->name, sizeof(s->name));
		else if (below(30) == 0)
			drop_middle(s->name);
		if (p->dob.year && below(20) == 0)
			snprintf(s->dob, sizeof(s->dob), "%04d", p->dob.year);
		else if (p->dob.day && p->dob.day <= 12 && below(30) == 0)
			snprintf(s->dob, sizeof(s->dob), "%04d-%02d-%02d", p->dob.year, p->dob.day,
				 p->dob.month);
		else if (p->dob.day)
			snprintf(s->dob, sizeof(s->dob), "%04d-%02d-%02d", p->dob.year,
				 p->dob.month, p->dob.day);
		if (s->dob[0] && below(30) == 0)
			s->dob[2] = (char)('0' + (s->dob[2] - '0' + 1) % 10);
		snprintf(s->sex, sizeof(s->sex), "%s", p->sex == VN_SEX_MALE ? "nam" : "nu");
		if (below(3) == 0) {
			snprintf(s->father, sizeof(s->father), "%s", p->father ? p->father : "");
			snprintf(s->mother, sizeof(s->mother), "%s", p->mother ? p->mother : "");
		}
	}
}

/* ------------------------------------------------------------------------
 * A keying-error set
 * ---------------------------------------------------------------------- */

struct id_index {
	const char *id;
	long who;
};

static int cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct id_index *)a)->id, ((const struct id_index *)b)->id);
}

static const char *jfield(void *ctx, const char *name)
{
	json_t *v = json_object_get(json_object_get(ctx, name), "value");

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void copy_field(char *dst, size_t n, const char *v)
{
	snprintf(dst, n, "%s", v ? v : "");
}

/* The people of DIR/records.jsonl, their truth from DIR/links.csv. */
static long keying_records(const struct match_registry *r, const char *dir, struct query_src **out,
			   long *in_reg)
{
	size_t n = match_registry_count(r), nsrc = 0;
	struct id_index *ids = xmalloc((n ? n : 1) * sizeof(*ids));
	char *path = xasprintf("%s/records.jsonl", dir), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	struct query_src *src = NULL;
	struct csv *c;
	herr e = { 0 };

	for (size_t i = 0; i < n; i++) {
		ids[i].id = match_registry_id(r, i);
		ids[i].who = (long)i;
	}
	qsort(ids, n, sizeof(*ids), cmp_id);
	if (!f) {
		fprintf(stderr, "bench_match: could not open %s\n", path);
		exit(1);
	}
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL), *fields = json_object_get(o, "fields");
		const struct match_role *roles;
		int nr = match_roles(json_string_value(json_object_get(o, "doc_type")), &roles);

		for (int k = 0; k < nr; k++) {
			struct match_fields mf;
			struct query_src *s;

			match_role_fields(&roles[k], jfield, fields, &mf);
			if (!mf.full_name)
				continue;
			src = xrealloc(src, (nsrc + 1) * sizeof(*src));
			s = &src[nsrc++];
			memset(s, 0, sizeof(*s));
			snprintf(s->ref, sizeof(s->ref), "%s%s",
				 json_string_value(json_object_get(o, "record_ref")),
				 roles[k].suffix);
			copy_field(s->name, sizeof(s->name), mf.full_name);
			copy_field(s->dob, sizeof(s->dob), mf.dob);
			copy_field(s->sex, sizeof(s->sex), mf.sex);
			copy_field(s->place, sizeof(s->place), mf.birthplace);
			copy_field(s->father, sizeof(s->father), mf.father_name);
			copy_field(s->mother, sizeof(s->mother), mf.mother_name);
			s->truth = -1;
		}
		json_decref(o);
	}
	fclose(f);
	free(path);
	/* the truth: record_ref,citizen_id,... in the records' order */
	path = xasprintf("%s/links.csv", dir);
	c = csv_open(path, &e);
	if (!c || csv_next(c, &e) <= 0) {
		fprintf(stderr, "bench_match: %s\n", e.msg);
		exit(1);
	}
	for (size_t i = 0; csv_next(c, &e) > 0;) {
		struct id_index key = { csv_field(c, 1), -1 }, *hit;

		while (i < nsrc && strcmp(src[i].ref, csv_field(c, 0)))
			i++;
		if (i == nsrc)
			break;
		hit = *key.id ? bsearch(&key, ids, n, sizeof(*ids), cmp_id) : NULL;
		src[i].truth = hit ? hit->who : -1;
		*in_reg += hit != NULL;
	}
	csv_close(c);
	free(path);
	free(line);
	free(ids);
	*out = src;
	return (long)nsrc;
}

/* ------------------------------------------------------------------------
 * What each blocking rule reaches
 * ---------------------------------------------------------------------- */

static int has_key(const uint64_t *keys, int n, uint64_t k)
{
	for (int i = 0; i < n; i++)
		if (keys[i] >> REGISTRY_WHO_BITS == k >> REGISTRY_WHO_BITS)
			return 1;
	return 0;
}

/*
 * For each record whose person is in the registry: the rules one of whose
 * keys (in a block within the cap) the citizen shares.
 */
static void rule_reach(const struct match_registry *r, const struct match_query *q,
		       const struct query_src *src, long nrec, int cap, long reach[MR_N + 1],
		       long only[MR_N], FILE *unreached)
{
	struct arena a = { 0 };
	herr e = { 0 };

	for (long i = 0; i < nrec; i++) {
		struct mperson p;
		uint64_t qk[MATCH_KEYS], ck[MATCH_KEYS];
		unsigned char qr[MATCH_KEYS], cr[MATCH_KEYS];
		int nq, nc, hit[MR_N] = { 0 }, any = 0, last = -1;

		if (src[i].truth < 0)
			continue;
		person_from_fields(&q[i].f, 0, &a, &p, &e);
		nq = person_keys(&p, qk, qr);
		nc = person_keys(registry_person(r, (size_t)src[i].truth), ck, cr);
		for (int k = 0; k < nq; k++) {
			size_t bn;

			if ((qr[k] == MR_NAME && person_full_dob(&p)) || !has_key(ck, nc, qk[k]))
				continue;
			registry_block(r, qk[k], &bn);
			if (bn <= (size_t)cap)
				hit[qr[k]] = 1;
		}
		for (int k = 0; k < MR_N; k++)
			if (hit[k]) {
				reach[k]++;
				any++;
				last = k;
			}
		if (any)
			reach[MR_N]++;
		else if (unreached)
			fprintf(unreached, "%s\n", src[i].ref);
		if (any == 1)
			only[last]++;
	}
	match_arena_release(&a);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "registry", required_argument, NULL, 'r' },
					      { "records", required_argument, NULL, 'n' },
					      { "threads", required_argument, NULL, 't' },
					      { "keying", required_argument, NULL, 'k' },
					      { "unreached", required_argument, NULL, 'u' },
					      { NULL, 0, NULL, 0 } };
	const char *path = NULL, *keying = NULL, *unreached_path = NULL;
	FILE *unreached = NULL;
	char *keying_registry = NULL;
	long nrec = 100000, rejected = 0, loaded, i;
	int threads = 2, c;
	struct match_registry *r = match_registry_new();
	struct match_model model;
	struct match_options o;
	struct match_stats st;
	struct query_src *src = NULL;
	struct match_query *q;
	struct match_result *res;
	const struct match_role *roles;
	double t0, t_load, t_index, t_link, t_peer;
	long auto_ok = 0, auto_all = 0, in_reg = 0, review = 0, half_ok = 0, peer_links = 0,
	     peer_ok = 0, reach[MR_N + 1] = { 0 }, only[MR_N] = { 0 };
	herr e = { 0 };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			path = optarg;
		else if (c == 'n')
			nrec = atol(optarg);
		else if (c == 't')
			threads = atoi(optarg);
		else if (c == 'k')
			keying = optarg;
		else if (c == 'u')
			unreached_path = optarg;
		else
			return 2;
	}
	if (keying && !path)
		path = keying_registry = xasprintf("%s/registry.csv", keying);
	if (!path || nrec < 1) {
		fprintf(stderr,
			"usage: bench_match --registry FILE.csv [--records N] [--threads T]\n"
			"       bench_match --keying DIR [--threads T]\n");
		return 2;
	}
	match_roles("khai_sinh", &roles);
	t0 = clock_now_s();
	loaded = match_registry_load_csv(r, path, &rejected, &e);
	if (loaded < 2) {
		fprintf(stderr, "bench_match: %s\n", loaded < 0 ? e.msg : "registry too small");
		return 1;
	}
	t_load = clock_now_s() - t0;
	t0 = clock_now_s();
	match_registry_index(r);
	t_index = clock_now_s() - t0;

	/* the records */
	if (keying) {
		nrec = keying_records(r, keying, &src, &in_reg);
	} else {
		src = xcalloc((size_t)nrec, sizeof(*src));
		synthetic_records(r, loaded, nrec, src, &in_reg);
	}
	q = xcalloc((size_t)nrec, sizeof(*q));
	res = xcalloc((size_t)nrec, sizeof(*res));
	for (i = 0; i < nrec; i++) {
		struct query_src *s = &src[i];

		q[i].ref = s->ref;
		q[i].doc_type = "khai_sinh";
		q[i].role = &roles[0];
		q[i].f.id_number = s->id;
		q[i].f.full_name = s->name;
		q[i].f.dob = s->dob;
		q[i].f.sex = s->sex;
		q[i].f.birthplace = s->place;
		q[i].f.father_name = s->father;
		q[i].f.mother_name = s->mother;
	}

	match_model_defaults(&model);
	match_options_init(&o);
	o.threads = threads;
	t0 = clock_now_s();
	if (match_link(r, &model, q, (size_t)nrec, &o, res, &st, &e) < 0) {
		fprintf(stderr, "bench_match: %s\n", e.msg);
		return 1;
	}
	t_link = clock_now_s() - t0;
	for (i = 0; i < nrec; i++) {
		if (!strcmp(res[i].status, "auto")) {
			auto_all++;
			auto_ok += res[i].citizen == src[i].truth;
		} else if (!strcmp(res[i].status, "review")) {
			review++;
		}
		half_ok +=
		    src[i].truth >= 0 && res[i].citizen == src[i].truth && res[i].score >= 0.5;
	}

	/* the peer: an exact join on the folded name and the full date, linking
	 * when exactly one citizen has both */
	t0 = clock_now_s();
	{
		struct arena a = { 0 };

		for (i = 0; i < nrec; i++) {
			struct mperson p;
			char key[VN_NAME_MAX + 16];
			size_t n, hits = 0;
			const uint64_t *b;
			long who = -1;

			if (person_from_fields(&q[i].f, 0, &a, &p, &e) < 0 || !p.key || !p.dob.day)
				continue;
			snprintf(key, sizeof(key), "%04d-%02d-%02d", p.dob.year, p.dob.month,
				 p.dob.day);
			b = registry_block(r, match_hash("dob", key), &n);
			for (size_t k = 0; k < n; k++)
				if (!strcmp(registry_person(r, registry_who(b[k]))->key, p.key)) {
					hits++;
					who = (long)registry_who(b[k]);
				}
			if (hits == 1) {
				peer_links++;
				peer_ok += who == src[i].truth;
			}
		}
		match_arena_release(&a);
	}
	t_peer = clock_now_s() - t0;
	if (unreached_path && !(unreached = fopen(unreached_path, "w"))) {
		fprintf(stderr, "bench_match: could not create %s\n", unreached_path);
		return 1;
	}
	rule_reach(r, q, src, nrec, o.block_cap, reach, only, unreached);
	if (unreached)
		fclose(unreached);

	printf("bench_match: %ld records against %ld citizens (%s), %d threads\n\n", nrec, loaded,
	       keying ? keying : path, threads);
	printf("| phase | seconds |\n|---|---:|\n");
	printf("| load and normalize the registry | %.1f |\n", t_load);
	printf("| index (blocking keys, name frequencies) | %.1f |\n", t_index);
	printf("| block and compare | %.1f |\n", st.seconds_compare);
	printf("| EM and u | %.1f |\n", st.seconds_em);
	printf("| decide | %.1f |\n", st.seconds_decide);
	printf("| **total** | **%.1f** |\n\n", t_load + t_index + t_link);
	printf("| blocking rule | true pairs reached | reached by it alone | candidates brought "
	       "| blocks over the cap |\n|---|---:|---:|---:|---:|\n");
	for (int k = 0; k < MR_N; k++)
		printf("| %s | %.1f%% | %ld | %ld (%.1f a record) | %ld |\n",
		       match_rule_name((enum match_rule)k),
		       in_reg ? 100.0 * (double)reach[k] / (double)in_reg : 0.0, only[k],
		       st.rule_pairs[k], (double)st.rule_pairs[k] / (double)nrec,
		       st.rule_capped[k]);
	printf("| **all** | **%.1f%%** | | %ld pairs after the union | %ld |\n\n",
	       in_reg ? 100.0 * (double)reach[MR_N] / (double)in_reg : 0.0, st.pairs,
	       st.capped_blocks);
	printf("pairs compared: %ld (%.0f per record), %.2f million per second on %d threads; "
	       "blocks over the cap skipped: %ld; records over the candidate budget (%d): %ld, "
	       "blocks left out for it: %ld\n",
	       st.pairs, (double)st.pairs / (double)nrec,
	       (double)st.pairs / (st.seconds_compare > 0 ? st.seconds_compare : 1e-9) / 1e6,
	       threads, st.capped_blocks, o.candidate_budget, st.over_budget, st.budget_blocks);
	printf("share of records in the registry: %.3f estimated (true %.3f); EM %d iterations\n",
	       model.match_share, (double)in_reg / (double)nrec, model.em_iterations);
	printf("peak memory: %ld MB (%.2f of the 2 GiB budget); total time %.2f of the 60 s "
	       "budget; CPU time %.1f s (the peer's included)\n",
	       peak_mb(), (double)peak_mb() / 2048.0, (t_load + t_index + t_link) / 60.0, cpu_s());
	printf("automatic links: %ld, precision %.3f%%, recall %.1f%% of the %ld records whose "
	       "person is in the registry (at a score of 0.5: %.1f%%); review %.1f%%\n",
	       auto_all, auto_all ? 100.0 * (double)auto_ok / (double)auto_all : 0.0,
	       in_reg ? 100.0 * (double)auto_ok / (double)in_reg : 0.0, in_reg,
	       in_reg ? 100.0 * (double)half_ok / (double)in_reg : 0.0,
	       100.0 * (double)review / (double)nrec);
	printf("peer (exact join on folded name and date, one thread, index given): %.1f s, "
	       "links %ld, precision %.3f%%, recall %.1f%%; hotich's link phase takes %.1fx its "
	       "time\n",
	       t_peer, peer_links, peer_links ? 100.0 * (double)peer_ok / (double)peer_links : 0.0,
	       in_reg ? 100.0 * (double)peer_ok / (double)in_reg : 0.0,
	       t_link / (t_peer > 0 ? t_peer : 1e-9));
	free(keying_registry);
	free(src);
	free(q);
	free(res);
	match_registry_free(r);
	return 0;
}
