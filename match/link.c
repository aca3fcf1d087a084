/*
 * link.c — candidates from the blocks, a comparison vector per pair, EM,
 * probabilities, decisions.
 *
 * The comparison vector of a pair is packed in 32 bits (three bits a
 * comparison, 0 for a missing value), so that EM runs over the distinct
 * patterns with their counts, not over every pair.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match_internal.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void match_options_init(struct match_options *o)
{
	memset(o, 0, sizeof(*o));
	o->block_cap = 1000;
	o->estimate = 1;
	o->threads = 1;
}

struct pair {
	uint32_t q, c;
	uint32_t code; /* the levels, 3 bits each, level + 1 (0: missing) */
};

uint32_t match_pack(const int level[MC_N])
{
	uint32_t code = 0;

	for (int c = 0; c < MC_N; c++)
		code |= (uint32_t)(level[c] + 1) << (3 * c);
	return code;
}

void match_unpack(uint32_t code, int level[MC_N])
{
	for (int c = 0; c < MC_N; c++)
		level[c] = (int)((code >> (3 * c)) & 7) - 1;
}

/* ------------------------------------------------------------------------
 * Candidates and comparisons (one thread per slice of the queries)
 * ---------------------------------------------------------------------- */

struct work {
	const struct match_registry *r;
	const struct mperson *qp;
	size_t from, to;
	int cap;
	struct pair *pairs;
	size_t npairs, cap_pairs;
	long capped;
	uint32_t *cand;
	size_t cand_cap;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void *compare_slice(void *arg)
{
	struct work *w = arg;

	for (size_t i = w->from; i < w->to; i++) {
		uint64_t keys[MATCH_KEYS];
		int kinds[MATCH_KEYS], nk = person_keys(&w->qp[i], 1, keys, kinds);
		size_t nc = 0, k;

		for (int j = 0; j < nk; j++) {
			size_t bn;
			const uint32_t *b = registry_block(w->r, keys[j], &bn);

			if (!bn)
				continue;
			if (bn > (size_t)w->cap) {
				/* too common to tell people apart: not compared, but counted */
				w->capped++;
				continue;
			}
			if (nc + bn > w->cand_cap) {
				w->cand_cap = (nc + bn) * 2;
				w->cand = xrealloc(w->cand, w->cand_cap * sizeof(*w->cand));
			}
			memcpy(w->cand + nc, b, bn * sizeof(*b));
			nc += bn;
		}
		if (nc > 1)
			qsort(w->cand, nc, sizeof(*w->cand), cmp_u32);
		for (k = 0; k < nc; k++) {
			int level[MC_N];

			if (k && w->cand[k] == w->cand[k - 1])
				continue;
			compare_people(&w->qp[i], registry_person(w->r, w->cand[k]), level);
			if (w->npairs == w->cap_pairs) {
				w->cap_pairs = w->cap_pairs ? w->cap_pairs * 2 : 4096;
				w->pairs = xrealloc(w->pairs, w->cap_pairs * sizeof(*w->pairs));
			}
			w->pairs[w->npairs].q = (uint32_t)i;
			w->pairs[w->npairs].c = w->cand[k];
			w->pairs[w->npairs].code = match_pack(level);
			w->npairs++;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * EM over the patterns
 * ---------------------------------------------------------------------- */

static int cmp_code(const void *a, const void *b)
{
	uint32_t x = ((const struct pair *)a)->code, y = ((const struct pair *)b)->code;

	return x < y ? -1 : x > y;
}

/*
 * m by EM over the candidate pairs.  Both classes are estimated (the pairs
 * that are one person, and the others, whose agreement is not that of
 * random pairs: the blocks made them agree on a name or a year), each with
 * ten pseudo-pairs of its prior so that a level few pairs reach keeps a
 * sensible value; the share of matches among candidates cannot exceed one
 * per query.  Returns the iterations; *share the expected share of queries
 * whose person is among their candidates.
 */
int match_em(struct match_model *m, const struct match_pattern *p, size_t np, size_t nq,
	     unsigned fixed, double *share)
{
	double prior_m[MC_N][MATCH_MAX_LEVELS], uc[MC_N][MATCH_MAX_LEVELS], total = 0, lam, lam_max;
	int it;
	const double alpha = 10.0;

	memcpy(prior_m, m->m, sizeof(prior_m));
	memcpy(uc, m->u, sizeof(uc));
	for (size_t i = 0; i < np; i++)
		total += p[i].count;
	*share = 0;
	if (total < 1 || !nq)
		return 0;
	lam_max = (double)nq / total;
	if (lam_max > 0.5)
		lam_max = 0.5;
	lam = lam_max / 2;
	for (it = 1; it <= 200; it++) {
		double am[MC_N][MATCH_MAX_LEVELS] = { { 0 } },
		       au[MC_N][MATCH_MAX_LEVELS] = { { 0 } };
		double sm[MC_N] = { 0 }, su[MC_N] = { 0 }, g_all = 0, change = 0;

		for (size_t i = 0; i < np; i++) {
			int level[MC_N];
			double lm = log(lam), lu = log(1 - lam), g;

			match_unpack(p[i].code, level);
			for (int c = 0; c < MC_N; c++)
				if (level[c] != MATCH_MISSING) {
					lm += log(m->m[c][level[c]]);
					lu += log(uc[c][level[c]]);
				}
			g = 1.0 / (1.0 + exp(lu - lm));
			g_all += g * p[i].count;
			for (int c = 0; c < MC_N; c++)
				if (level[c] != MATCH_MISSING) {
					am[c][level[c]] += g * p[i].count;
					sm[c] += g * p[i].count;
					au[c][level[c]] += (1 - g) * p[i].count;
					su[c] += (1 - g) * p[i].count;
				}
		}
		for (int c = 0; c < MC_N; c++)
			for (int l = 0; l < match_levels((enum match_cmp)c); l++) {
				double v = (am[c][l] + alpha * prior_m[c][l]) / (sm[c] + alpha);
				double w = (au[c][l] + alpha * m->u[c][l]) / (su[c] + alpha);

				v = v < 1e-6 ? 1e-6 : v;
				w = w < 1e-9 ? 1e-9 : w;
				uc[c][l] = w;
				if (fixed & (1u << c))
					continue;
				change = fmax(change, fabs(v - m->m[c][l]));
				m->m[c][l] = v;
			}
		g_all /= total;
		g_all = g_all < 1e-9 ? 1e-9 : g_all > lam_max ? lam_max : g_all;
		change = fmax(change, fabs(g_all - lam));
		lam = g_all;
		if (change < 1e-7)
			break;
	}
	*share = lam * total / (double)nq;
	return it > 200 ? 200 : it;
}

/*
 * m of every comparison but the ID's from the pairs whose ID numbers agree
 * exactly: they are the same person (a misread ID that lands on another
 * citizen's is rarer than anything else here), so their levels are what
 * true pairs look like, OCR errors included.  Twenty pseudo-pairs of the
 * prior smooth it; with fewer than twenty such pairs the prior stays and
 * EM estimates.  Returns the comparisons fixed this way (a bit each).
 */
unsigned match_gold_m(struct match_model *m, const struct match_pattern *p, size_t np)
{
	double acc[MC_N][MATCH_MAX_LEVELS] = { { 0 } }, seen[MC_N] = { 0 }, gold = 0;
	const double alpha = 20.0;
	unsigned fixed = 0;

	for (size_t i = 0; i < np; i++) {
		int level[MC_N];

		match_unpack(p[i].code, level);
		if (level[MC_ID] != 0)
			continue;
		gold += p[i].count;
		for (int c = 0; c < MC_N; c++)
			if (c != MC_ID && level[c] != MATCH_MISSING) {
				acc[c][level[c]] += p[i].count;
				seen[c] += p[i].count;
			}
	}
	if (gold < 20)
		return 0;
	for (int c = 0; c < MC_N; c++) {
		if (c == MC_ID || seen[c] < 20)
			continue;
		for (int l = 0; l < match_levels((enum match_cmp)c); l++) {
			double v = (acc[c][l] + alpha * m->m[c][l]) / (seen[c] + alpha);

			m->m[c][l] = v < 1e-6 ? 1e-6 : v;
		}
		fixed |= 1u << c;
	}
	return fixed;
}

/* ------------------------------------------------------------------------
 * Scores
 * ---------------------------------------------------------------------- */

/*
 * A pair's weights; the exact (or same-letters) agreement on a name is
 * weighed against how many citizens bear it: "Nguyễn Văn Hùng" is weak
 * evidence, "Khổng Thị Ỷ" strong.
 */
static double pair_weights(const struct match_model *m, const struct match_registry *r,
			   const struct mperson *c, const int level[MC_N], struct match_weight *w)
{
	double sum = 0, n = (double)match_registry_count(r);

	for (int k = 0; k < MC_N; k++) {
		double wk = model_weight(m, (enum match_cmp)k, level[k]);

		if (k == MC_NAME && m->tf_names && (level[k] == 0 || level[k] == 1) && n > 0) {
			unsigned cnt = level[k] == 0 ? registry_name_count(r, c->name)
						     : registry_key_count(r, c->key);
			double u = (cnt ? cnt : 1) / n;

			wk = log2(m->m[k][level[k]] / u);
		}
		if (w) {
			w[k].cmp = (enum match_cmp)k;
			w[k].level = level[k];
			w[k].weight = wk;
		}
		sum += wk;
	}
	return sum;
}

/* ------------------------------------------------------------------------
 * Linking
 * ---------------------------------------------------------------------- */

/* An automatic link of a role a citizen has only once (a birth, a death). */
struct claim {
	const struct match_role *role;
	long citizen;
	double score;
	size_t query;
};

/* by role and citizen, the best score first (then the first record) */
static int cmp_claim(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;

	if (x->role != y->role)
		return (uintptr_t)x->role < (uintptr_t)y->role ? -1 : 1;
	if (x->citizen != y->citizen)
		return x->citizen < y->citizen ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->query < y->query ? -1 : x->query > y->query;
}

/* Keep the best MATCH_RUNNERS_UP other candidates, best first. */
static void push_runner(struct match_result *rs, long c, double p)
{
	for (int j = 0; j < MATCH_RUNNERS_UP; j++)
		if (rs->runner_up[j] < 0 || p > rs->runner_score[j]) {
			memmove(&rs->runner_up[j + 1], &rs->runner_up[j],
				(size_t)(MATCH_RUNNERS_UP - 1 - j) * sizeof(long));
			memmove(&rs->runner_score[j + 1], &rs->runner_score[j],
				(size_t)(MATCH_RUNNERS_UP - 1 - j) * sizeof(double));
			rs->runner_up[j] = c;
			rs->runner_score[j] = p;
			return;
		}
}

static int cmp_pair_q(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return x->q < y->q ? -1 : x->q > y->q ? 1 : x->c < y->c ? -1 : x->c > y->c;
}

int match_link(const struct match_registry *r, struct match_model *model,
	       const struct match_query *q, size_t n, const struct match_options *o,
	       struct match_result *res, struct match_stats *st, herr *e)
{
	struct arena a = { 0 };
	struct mperson *qp = xcalloc(n ? n : 1, sizeof(*qp));
	int threads = o->threads > 0 ? o->threads : 1;
	struct work *w = xcalloc((size_t)threads, sizeof(*w));
	pthread_t *tid = xcalloc((size_t)threads, sizeof(*tid));
	struct pair *pairs = NULL;
	size_t npairs = 0, i, k;
	double t0 = now_s(), t1;
	long with_id = 0, id_misfit = 0;

	memset(st, 0, sizeof(*st));
	st->queries = (long)n;
	for (i = 0; i < n; i++) {
		person_from_fields(&q[i].f, 0, &a, &qp[i], e);
		if (qp[i].id) {
			with_id++;
			id_misfit += qp[i].id_fits == 0;
		}
	}
	/* candidates and comparisons, a slice of the queries per thread */
	{
		char *started = xcalloc((size_t)threads, 1);

		for (int t = 0; t < threads; t++) {
			w[t].r = r;
			w[t].qp = qp;
			w[t].from = n * (size_t)t / (size_t)threads;
			w[t].to = n * (size_t)(t + 1) / (size_t)threads;
			w[t].cap = o->block_cap > 0 ? o->block_cap : 1000;
			if (threads > 1)
				started[t] =
				    pthread_create(&tid[t], NULL, compare_slice, &w[t]) == 0;
		}
		for (int t = 0; t < threads; t++)
			if (!started[t])
				compare_slice(&w[t]);
		for (int t = 0; t < threads; t++)
			if (started[t])
				pthread_join(tid[t], NULL);
		free(started);
	}
	for (int t = 0; t < threads; t++) {
		pairs = xrealloc(pairs, (npairs + w[t].npairs + 1) * sizeof(*pairs));
		if (w[t].npairs)
			memcpy(pairs + npairs, w[t].pairs, w[t].npairs * sizeof(*pairs));
		npairs += w[t].npairs;
		st->capped_blocks += w[t].capped;
		free(w[t].pairs);
		free(w[t].cand);
	}
	free(w);
	free(tid);
	st->pairs = (long)npairs;
	t1 = now_s();
	st->seconds_compare = t1 - t0;

	/* the model: u from random pairs, m and the prior by EM */
	if (o->estimate) {
		struct match_pattern *pat = NULL;
		size_t np = 0;

		model_estimate_u(model, r, 200000);
		/* a different ID that does not fit the record: as often as records misread */
		if (with_id) {
			double misfit = (id_misfit + 0.5) / (with_id + 1.0);

			model->u[MC_ID][3] = 1 - misfit;
			model->u[MC_ID][4] = misfit;
		}
		qsort(pairs, npairs, sizeof(*pairs), cmp_code);
		for (i = 0; i < npairs; i++) {
			if (!np || pat[np - 1].code != pairs[i].code) {
				pat = xrealloc(pat, (np + 1) * sizeof(*pat));
				pat[np].code = pairs[i].code;
				pat[np].count = 0;
				np++;
			}
			pat[np - 1].count++;
		}
		{
			double share = 0;
			unsigned fixed = match_gold_m(model, pat, np);

			model->em_iterations = match_em(model, pat, np, n, fixed, &share);
			/*
			 * The prior of a pair: the chance that a random citizen is the
			 * person, for a person who is in the registry with the share
			 * EM found, kept between one in ten and 95% (some people on old
			 * records died or left before the registry was made).
			 */
			share = share < 0.1 ? 0.1 : share > 0.95 ? 0.95 : share;
			model->lambda = share / (double)match_registry_count(r);
		}
		model->em_pairs = (long)npairs;
		free(pat);
		match_model_version(model);
	}
	st->seconds_em = now_s() - t1;
	t1 = now_s();

	/* the best candidate of each query, and its runners-up */
	qsort(pairs, npairs, sizeof(*pairs), cmp_pair_q);
	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].citizen = -1;
		res[i].status = "none";
		for (int j = 0; j < MATCH_RUNNERS_UP; j++)
			res[i].runner_up[j] = -1;
		for (int c = 0; c < MC_N; c++) {
			res[i].weights[c].cmp = (enum match_cmp)c;
			res[i].weights[c].level = MATCH_MISSING;
			res[i].levels[c] = MATCH_MISSING;
		}
	}
	/*
	 * The probability that candidate i is the person, knowing that at most
	 * one citizen is: lambda L_i / (1 - pi + lambda sum_j L_j), L the
	 * likelihood ratio 2^weight of each candidate, pi = lambda N the chance
	 * that the person is in the registry at all.  Two candidates that fit
	 * equally well share the probability between them.
	 */
	{
		double pi = model->lambda * (double)match_registry_count(r);
		double bits_none = log2(pi < 0.999 ? 1 - pi : 0.001) - log2(model->lambda);

		for (k = 0; k < npairs;) {
			size_t end = k, j;
			uint32_t qi = pairs[k].q;
			struct match_result *rs = &res[qi];
			double top = bits_none, sum = 0;
			double *bits;

			while (end < npairs && pairs[end].q == qi)
				end++;
			rs->candidates = (int)(end - k);
			bits = xmalloc((end - k) * sizeof(*bits));
			for (j = k; j < end; j++) {
				int level[MC_N];

				match_unpack(pairs[j].code, level);
				bits[j - k] = pair_weights(model, r, registry_person(r, pairs[j].c),
							   level, NULL);
				top = fmax(top, bits[j - k]);
			}
			/* sum of 2^bits, scaled by the largest term against overflow */
			sum = exp2(bits_none - top);
			for (j = k; j < end; j++)
				sum += exp2(bits[j - k] - top);
			for (j = k; j < end; j++) {
				double p = exp2(bits[j - k] - top) / sum;
				long c = (long)pairs[j].c;

				if (rs->citizen < 0 || p > rs->score) {
					if (rs->citizen >= 0)
						push_runner(rs, rs->citizen, rs->score);
					rs->citizen = c;
					rs->score = p;
				} else {
					push_runner(rs, c, p);
				}
			}
			{
				int level[MC_N];

				for (j = k; j < end && (long)pairs[j].c != rs->citizen; j++)
					;
				match_unpack(pairs[j].code, level);
				pair_weights(model, r, registry_person(r, pairs[j].c), level,
					     rs->weights);
				memcpy(rs->levels, level, sizeof(level));
			}
			free(bits);
			k = end;
		}
	}
	/*
	 * Decisions by the two thresholds.  An automatic link also needs the
	 * name to agree at least closely, and, unless the ID number agrees,
	 * the date of birth to agree (as far as both sides know it; when it is
	 * not known, the name and both parents' names) and neither the sex nor
	 * a parent's name to differ: a namesake born the same year or day, a
	 * twin, a sibling share much with the person, and a name alone is
	 * never enough.
	 */
	for (i = 0; i < n; i++) {
		struct match_result *rs = &res[i];
		int id_ok = rs->levels[MC_ID] >= 0 && rs->levels[MC_ID] <= 2;
		/* the name and both parents' names: as good as a date of birth */
		int parents_ok = rs->levels[MC_NAME] >= 0 && rs->levels[MC_NAME] <= 1 &&
				 rs->levels[MC_FATHER] == 0 && rs->levels[MC_MOTHER] == 0 &&
				 rs->levels[MC_DOB] == MATCH_MISSING;

		/* two citizens that fit a name and a date of birth equally (a person
		 * and a namesake born the same day): a person decides, though
		 * neither reaches the threshold */
		int shared = rs->citizen >= 0 && rs->runner_up[0] >= 0 && rs->score >= 0.3 &&
			     rs->levels[MC_DOB] != MATCH_MISSING &&
			     rs->score + rs->runner_score[0] >= model->review_threshold;

		if (shared && rs->score < model->review_threshold) {
			rs->status = "review";
			rs->why = "two citizens fit equally";
		} else if (rs->citizen < 0 || rs->score < model->review_threshold) {
			rs->status = "none";
			if (rs->citizen >= 0) {
				/* the best candidate is kept as the first runner-up */
				push_runner(rs, rs->citizen, rs->score);
				rs->citizen = -1;
			}
		} else if (rs->score < model->auto_threshold) {
			rs->status = "review";
			rs->why = rs->runner_up[0] >= 0 && rs->runner_score[0] >= 0.05
				      ? "another citizen fits too"
				      : "the score is below the automatic threshold";
		} else if (rs->levels[MC_NAME] == MATCH_MISSING || rs->levels[MC_NAME] > 3) {
			rs->status = "review";
			rs->why = "the name differs";
		} else if (!id_ok && !parents_ok &&
			   (rs->levels[MC_DOB] == MATCH_MISSING || rs->levels[MC_DOB] > 1)) {
			rs->status = "review";
			rs->why = rs->levels[MC_DOB] == MATCH_MISSING
				      ? "a name alone, without ID number or date of birth"
				      : "the date of birth differs";
		} else if (!id_ok && rs->levels[MC_SEX] == 1) {
			rs->status = "review";
			rs->why = "the sex differs";
		} else if (!id_ok && (rs->levels[MC_FATHER] == 2 || rs->levels[MC_MOTHER] == 2)) {
			/* a namesake born the same day is told apart by the parents */
			rs->status = "review";
			rs->why = rs->levels[MC_FATHER] == 2 ? "the father's name differs"
							     : "the mother's name differs";
		} else {
			rs->status = "auto";
		}
	}
	/* one birth and one death per citizen: the best keeps it */
	{
		struct claim *cl = xmalloc((n ? n : 1) * sizeof(*cl));
		size_t nc = 0;

		for (i = 0; i < n; i++)
			if (!strcmp(res[i].status, "auto") && q[i].role &&
			    q[i].role->one_per_citizen) {
				cl[nc].role = q[i].role;
				cl[nc].citizen = res[i].citizen;
				cl[nc].score = res[i].score;
				cl[nc].query = i;
				nc++;
			}
		qsort(cl, nc, sizeof(*cl), cmp_claim);
		for (k = 1; k < nc; k++)
			if (cl[k].role == cl[k - 1].role && cl[k].citizen == cl[k - 1].citizen) {
				res[cl[k].query].status = "review";
				res[cl[k].query].why =
				    "another record of the same kind links to this citizen";
			}
		free(cl);
	}
	st->seconds_decide = now_s() - t1;
	free(pairs);
	free(qp);
	arena_release(&a);
	return 0;
}

/* ------------------------------------------------------------------------
 * Explanations
 * ---------------------------------------------------------------------- */

void match_explain(const struct match_result *res, strbuf *out)
{
	int first = 1;

	for (int c = 0; c < MC_N; c++) {
		const struct match_weight *w = &res->weights[c];

		if (w->level == MATCH_MISSING)
			continue;
		strbuf_addf(out, "%s%s %s %s%.1f", first ? "" : ", ", match_cmp_name(w->cmp),
			    match_level_name(w->cmp, w->level), w->weight < 0 ? "−" : "+",
			    fabs(w->weight));
		first = 0;
	}
}

static void date_text(const struct vn_date *d, char *buf, size_t n)
{
	if (!d->year)
		snprintf(buf, n, "?");
	else
		vn_date_format(d, buf, n);
}

void match_discrepancies(const struct match_registry *r, const struct match_query *q,
			 const struct match_result *res, strbuf *out)
{
	struct arena a = { 0 };
	struct mperson p;
	const struct mperson *c;
	herr e = { 0 };
	int level[MC_N];
	char x[16], y[16];

	if (res->citizen < 0)
		return;
	c = registry_person(r, (size_t)res->citizen);
	person_from_fields(&q->f, 0, &a, &p, &e);
	compare_people(&p, c, level);
	if (level[MC_ID] > 0)
		strbuf_addf(out, "id_number: %s / %s\n", p.id, c->id);
	if (level[MC_NAME] > 0)
		strbuf_addf(out, "full_name: %s / %s\n", p.name, c->name);
	if (level[MC_DOB] > 0) {
		date_text(&p.dob, x, sizeof(x));
		date_text(&c->dob, y, sizeof(y));
		strbuf_addf(out, "dob: %s / %s\n", x, y);
	}
	if (level[MC_SEX] > 0)
		strbuf_addf(out, "sex: %s / %s\n", vn_sex_code((enum vn_sex)p.sex),
			    vn_sex_code((enum vn_sex)c->sex));
	if (level[MC_PROVINCE] > 0)
		strbuf_addf(out, "birth province: %s / %s (since July 2025: %s / %s)\n", p.prov,
			    c->prov, p.prov_now, c->prov_now);
	if (level[MC_FATHER] > 0)
		strbuf_addf(out, "father_name: %s / %s\n", p.father, c->father);
	if (level[MC_MOTHER] > 0)
		strbuf_addf(out, "mother_name: %s / %s\n", p.mother, c->mother);
	arena_release(&a);
}
