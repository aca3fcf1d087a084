/*
 * link.c — candidates from the blocks, a comparison vector per pair, EM,
 * probabilities, decisions.
 *
 * The comparison vector of a pair is packed in 32 bits (four bits a
 * comparison, 0 for a missing value); the weights are computed once per
 * distinct vector (a pattern), and EM runs over the queries with each
 * candidate's pattern.
 */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "match_internal.h"

void match_options_init(struct match_options *o)
{
	memset(o, 0, sizeof(*o));
	o->block_cap = 1000;
	o->candidate_budget = 2000;
	o->estimate = 1;
	o->match_share = -1;
	o->threads = 1;
}

/*
 * A candidate pair.  `code` is the comparison vector (4 bits a comparison,
 * level + 1, 0 for a missing value) until the patterns are counted, then
 * the index of its pattern.  `tfu` is u of the name's agreement as the
 * citizen's name makes it (how many citizens bear it, over all of them),
 * or 0 when the level's own u stands.
 */
struct pair {
	uint32_t c;
	uint32_t code;
	float tfu;
};

uint32_t match_pack(const int level[MC_N])
{
	uint32_t code = 0;

	for (int c = 0; c < MC_N; c++)
		code |= (uint32_t)(level[c] + 1) << (4 * c);
	return code;
}

void match_unpack(uint32_t code, int level[MC_N])
{
	for (int c = 0; c < MC_N; c++)
		level[c] = (int)((code >> (4 * c)) & 15) - 1;
}

/*
 * The agreement on a name weighed by how many citizens bear the name:
 * agreeing on "Nguyễn Văn Hùng" is weak evidence, on "Khổng Thị Ỷ" strong.
 * The exact name counts the citizens with the same name; the same letters
 * (with or without marks), those with the same folded name; another order, those with the same
 * words; without a middle name or one more or less, those with the same
 * surname and given name; near with a word nobody else has, those with the other side's
 * name.  0 for the other levels (their u is the level's).
 */
static float name_tfu(const struct match_registry *r, const struct mperson *q,
		      const struct mperson *c, int level)
{
	double n = (double)match_registry_count(r);
	unsigned cnt, cq;

	switch (level) {
	case NAME_EXACT:
		cnt = registry_name_count(r, c->name);
		break;
	case NAME_SAME_LETTERS:
	case NAME_PLAIN:
		cnt = registry_key_count(r, c->key);
		break;
	case NAME_ORDER:
		cnt = registry_tkey_count(r, c->tkey);
		break;
	case NAME_NO_MIDDLE:
		cnt = registry_sg_count(r, c->skey, c->gkey);
		break;
	case NAME_MIDDLE:
		/* a middle name more or less between names that have one: as
		 * common as the names the record's meets so (not every citizen
		 * with its surname and given name: "Nguyễn Thị Lan Anh" does not
		 * meet "Nguyễn Văn Anh") */
		cnt = q->nw == c->nw + 1 || c->nw == q->nw + 1
			  ? registry_middle_count(r, q->key)
			  : registry_sg_count(r, c->skey, c->gkey);
		break;
	case NAME_NEAR_TYPO:
		/* a word nobody else has is a typo of a name near it: as common as
		 * the name of the side that has no such word */
		cnt = registry_key_count(r, c->key);
		cq = registry_key_count(r, q->key);
		cnt = cq > cnt ? cq : cnt;
		break;
	default:
		return 0;
	}
	return n > 0 ? (float)((cnt ? cnt : 1) / n) : 0;
}

/* ------------------------------------------------------------------------
 * Candidates and comparisons (one thread per slice of the queries)
 * ---------------------------------------------------------------------- */

struct block_ref {
	const uint64_t *post;
	size_t n;
	unsigned char rule;
};

struct work {
	const struct match_registry *r;
	const struct mperson *qp;
	size_t *npq; /* the pairs of each query */
	size_t from, to;
	int cap, budget, tf;
	struct pair *pairs;
	size_t npairs, cap_pairs;
	long capped, over_budget, budget_blocks;
	long rule_pairs[MR_N], rule_capped[MR_N];
	uint32_t *cand;
	size_t cand_cap;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_block_size(const void *a, const void *b)
{
	const struct block_ref *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

static void *compare_slice(void *arg)
{
	struct work *w = arg;

	for (size_t i = w->from; i < w->to; i++) {
		uint64_t keys[MATCH_KEYS];
		unsigned char rules[MATCH_KEYS];
		struct block_ref blocks[MATCH_KEYS];
		int nk = person_keys(&w->qp[i], keys, rules), nb = 0;
		size_t nc = 0, total = 0, k;

		int full = person_full_dob(&w->qp[i]);

		for (int j = 0; j < nk; j++) {
			size_t bn;
			const uint64_t *b;

			if (rules[j] == MR_NAME && full)
				continue;
			b = registry_block(w->r, keys[j], &bn);
			if (!bn)
				continue;
			if (bn > (size_t)w->cap) {
				/* too common to tell people apart: not compared, but counted */
				w->capped++;
				w->rule_capped[rules[j]]++;
				continue;
			}
			blocks[nb].post = b;
			blocks[nb].n = bn;
			blocks[nb].rule = rules[j];
			nb++;
			total += bn;
		}
		/* more candidates than the budget: the smallest blocks first, the
		 * rest left out and counted */
		if (total > (size_t)w->budget) {
			qsort(blocks, (size_t)nb, sizeof(blocks[0]), cmp_block_size);
			w->over_budget++;
		}
		for (int j = 0; j < nb; j++) {
			if (nc + blocks[j].n > (size_t)w->budget) {
				w->budget_blocks += nb - j;
				break;
			}
			if (nc + blocks[j].n > w->cand_cap) {
				w->cand_cap = (nc + blocks[j].n) * 2;
				w->cand = xrealloc(w->cand, w->cand_cap * sizeof(*w->cand));
			}
			for (k = 0; k < blocks[j].n; k++)
				w->cand[nc + k] = registry_who(blocks[j].post[k]);
			nc += blocks[j].n;
			w->rule_pairs[blocks[j].rule] += (long)blocks[j].n;
		}
		if (nc > 1)
			qsort(w->cand, nc, sizeof(*w->cand), cmp_u32);
		w->npq[i] = w->npairs;
		for (k = 0; k < nc; k++) {
			const struct mperson *c;
			int level[MC_N];

			if (k && w->cand[k] == w->cand[k - 1])
				continue;
			c = registry_person(w->r, w->cand[k]);
			compare_people(&w->qp[i], c, level);
			if (w->npairs == w->cap_pairs) {
				w->cap_pairs = w->cap_pairs ? w->cap_pairs * 2 : 4096;
				w->pairs = xrealloc(w->pairs, w->cap_pairs * sizeof(*w->pairs));
			}
			w->pairs[w->npairs].c = w->cand[k];
			w->pairs[w->npairs].code = match_pack(level);
			w->pairs[w->npairs].tfu =
			    w->tf ? name_tfu(w->r, &w->qp[i], c, level[MC_NAME]) : 0;
			w->npairs++;
		}
		w->npq[i] = w->npairs - w->npq[i];
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * EM over the queries and their candidates
 * ---------------------------------------------------------------------- */

/*
 * A name without any mark, its words in another order, or without any
 * middle name, found against a citizen's name weigh as that name's
 * frequency alone: the record was written so (unaccented, swapped,
 * shortened) whoever it is about, and hardly anyone's name is so, so the
 * rate of such records is in both m and u and cancels.  Not a mark that
 * differs (Hùng and Hưng are two names), nor a middle name more or less
 * between names that have one ("Hoàng Thị Diễm" and "Hoàng Thị Phương
 * Diễm" are two names too): they keep their m.
 */
static int tf_alone(int level)
{
	return level == NAME_PLAIN || level == NAME_ORDER || level == NAME_NO_MIDDLE;
}

/* The likelihood ratio of each pattern but the name's, and the name's m and u. */
struct pattern_weights {
	double *a; /* 2^(the weights of all but the name) times the name's m (1: tf_alone) */
	double *b; /* the name's u (1 when missing) */
};

static void pattern_weights(const struct match_model *m, const uint32_t *codes, size_t npat,
			    struct pattern_weights *pw)
{
	for (size_t p = 0; p < npat; p++) {
		int level[MC_N];
		double bits = 0;

		match_unpack(codes[p], level);
		for (int c = 0; c < MC_N; c++)
			if (c != MC_NAME)
				bits += model_weight(m, (enum match_cmp)c, level[c]);
		pw->a[p] = exp2(bits);
		pw->b[p] = 1;
		if (level[MC_NAME] != MATCH_MISSING) {
			pw->a[p] *= m->tf_names && tf_alone(level[MC_NAME])
					? 1
					: m->m[MC_NAME][level[MC_NAME]];
			pw->b[p] = m->u[MC_NAME][level[MC_NAME]];
			if (m->tf_names && tf_alone(level[MC_NAME]))
				pw->b[p] /= m->m[MC_NAME][level[MC_NAME]];
		}
	}
}

static inline uint32_t em_pat(const struct em_data *d, size_t j)
{
	uint32_t v;

	memcpy(&v, d->pairs + j * d->pair_size + d->pat_at, sizeof(v));
	return v;
}

static inline float em_tf(const struct em_data *d, size_t j)
{
	float v = 0;

	if (d->has_tf)
		memcpy(&v, d->pairs + j * d->pair_size + d->tf_at, sizeof(v));
	return v;
}

/*
 * m, and the share of queries whose person is in the registry, by EM over
 * the queries and their candidates, with the model the scores use: the
 * chance that candidate j is query i's person is
 *
 *     (s / N) L_j / ((1 - s) + (s / N) sum_k L_k)
 *
 * (s the share, N the registry's size, L the likelihood ratio m/u of the
 * pair's levels, u from random pairs and the names' frequencies), that is,
 * at most one citizen is the person, and when none of the candidates is,
 * the person is elsewhere or not in the registry.  A query without
 * candidates counts in the share as one whose person was not found.  Each
 * comparison's m keeps ten pseudo-pairs of its prior, so that a level few
 * pairs reach keeps a sensible value.  Returns the iterations.
 */
int match_em(struct match_model *m, const struct em_data *d, unsigned fixed, int estimate_share,
	     double *share)
{
	double prior[MC_N][MATCH_MAX_LEVELS], s = estimate_share ? 0.5 : *share;
	struct pattern_weights pw = { xmalloc((d->npat + 1) * sizeof(double)),
				      xmalloc((d->npat + 1) * sizeof(double)) };
	double *g = xmalloc((d->npat + 1) * sizeof(double));
	int it;
	const double alpha = 10.0;

	memcpy(prior, m->m, sizeof(prior));
	if (!d->nq || !d->npat) {
		free(pw.a);
		free(pw.b);
		free(g);
		return 0;
	}
	for (it = 1; it <= 200; it++) {
		double acc[MC_N][MATCH_MAX_LEVELS] = { { 0 } }, seen[MC_N] = { 0 }, found = 0,
		       change = 0, ratio = s / d->citizens;
		size_t nq = 0;

		pattern_weights(m, d->codes, d->npat, &pw);
		memset(g, 0, d->npat * sizeof(double));
		for (size_t i = 0; i < d->nq; i += d->qstep) {
			double sum = 0, denom;

			for (size_t j = d->qoff[i]; j < d->qoff[i + 1]; j++) {
				uint32_t p = em_pat(d, j);
				float tf = em_tf(d, j);

				sum += pw.a[p] / (tf > 0 ? tf : pw.b[p]);
			}
			nq++;
			if (sum <= 0)
				continue;
			denom = (1 - s) + ratio * sum;
			for (size_t j = d->qoff[i]; j < d->qoff[i + 1]; j++) {
				uint32_t p = em_pat(d, j);
				float tf = em_tf(d, j);
				double post = ratio * (pw.a[p] / (tf > 0 ? tf : pw.b[p])) / denom;

				g[p] += post;
				found += post;
			}
		}
		for (size_t p = 0; p < d->npat; p++) {
			int level[MC_N];

			if (g[p] <= 0)
				continue;
			match_unpack(d->codes[p], level);
			for (int c = 0; c < MC_N; c++)
				if (level[c] != MATCH_MISSING) {
					acc[c][level[c]] += g[p];
					seen[c] += g[p];
				}
		}
		for (int c = 0; c < MC_N; c++) {
			if (fixed & (1u << c))
				continue;
			for (int l = 0; l < match_levels((enum match_cmp)c); l++) {
				double v = (acc[c][l] + alpha * prior[c][l]) / (seen[c] + alpha);

				v = v < 1e-6 ? 1e-6 : v;
				change = fmax(change, fabs(v - m->m[c][l]));
				m->m[c][l] = v;
			}
		}
		if (estimate_share) {
			double ns = nq ? found / (double)nq : s;

			/* some people on old records died or left before the registry
			 * was made; and a share of one would make any lone candidate
			 * the person */
			ns = ns < 0.02 ? 0.02 : ns > 0.98 ? 0.98 : ns;
			change = fmax(change, fabs(ns - s));
			s = ns;
		}
		if (change < 1e-6)
			break;
	}
	*share = s;
	free(pw.a);
	free(pw.b);
	free(g);
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
		if (level[MC_ID] != ID_EXACT)
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

/* A pair's weights (in bits), the name's by its frequency (tfu > 0). */
static double pair_weights(const struct match_model *m, const int level[MC_N], double tfu,
			   struct match_weight *w)
{
	double sum = 0;

	for (int k = 0; k < MC_N; k++) {
		double wk = model_weight(m, (enum match_cmp)k, level[k]);

		if (k == MC_NAME && m->tf_names && tfu > 0 && level[k] != MATCH_MISSING)
			wk = log2((tf_alone(level[k]) ? 1 : m->m[k][level[k]]) / tfu);
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

/* code -> pattern index (open addressing; codes are never 0: a name or
 * a date is missing at worst, level + 1 > 0 somewhere, or all missing) */
struct pattern_map {
	uint32_t *code, *index;
	size_t cap;
};

static uint32_t pattern_of(struct pattern_map *pm, uint32_t code, uint32_t **codes, size_t *npat)
{
	size_t i;

	if ((*npat + 1) * 2 > pm->cap) {
		struct pattern_map old = *pm;

		pm->cap = pm->cap ? pm->cap * 2 : 4096;
		pm->code = xcalloc(pm->cap, sizeof(*pm->code));
		pm->index = xcalloc(pm->cap, sizeof(*pm->index));
		for (i = 0; i < old.cap; i++)
			if (old.code[i]) {
				size_t j = (old.code[i] * 2654435761u) & (pm->cap - 1);

				while (pm->code[j])
					j = (j + 1) & (pm->cap - 1);
				pm->code[j] = old.code[i];
				pm->index[j] = old.index[i];
			}
		free(old.code);
		free(old.index);
	}
	code |= 0x80000000u; /* never 0 */
	i = (code * 2654435761u) & (pm->cap - 1);
	while (pm->code[i] && pm->code[i] != code)
		i = (i + 1) & (pm->cap - 1);
	if (!pm->code[i]) {
		pm->code[i] = code;
		pm->index[i] = (uint32_t)*npat;
		*codes = xrealloc(*codes, (*npat + 1) * sizeof(**codes));
		(*codes)[(*npat)++] = code & 0x7FFFFFFFu;
	}
	return pm->index[i];
}

/* EM over at most this many queries (evenly spread): enough to estimate
 * a few dozen parameters, and a bound on its time. */
#define EM_MAX_QUERIES 50000

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
	size_t npairs = 0, i, k, npat = 0;
	size_t *qoff = xcalloc(n + 1, sizeof(*qoff));
	uint32_t *codes = NULL;
	double t0 = clock_now_s(), t1;
	long with_id = 0, id_misfit = 0, dated = 0, partial = 0;

	memset(st, 0, sizeof(*st));
	st->queries = (long)n;
	for (i = 0; i < n; i++) {
		person_from_fields(&q[i].f, 0, &a, &qp[i], e);
		registry_mark_rare(r, &qp[i]);
		dated += qp[i].dob.year != 0;
		partial += qp[i].dob.year && !person_full_dob(&qp[i]);
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
			w[t].npq = qoff;
			w[t].from = n * (size_t)t / (size_t)threads;
			w[t].to = n * (size_t)(t + 1) / (size_t)threads;
			w[t].cap = o->block_cap > 0 ? o->block_cap : 1000;
			w[t].budget = o->candidate_budget > 0 ? o->candidate_budget : 2000;
			w[t].tf = model->tf_names;
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
	/* the slices in order: the pairs by query (the first slice's array grows
	 * to hold them all, each other freed once copied) */
	for (int t = 0; t < threads; t++) {
		if (!t) {
			pairs = w[t].pairs;
			w[t].pairs = NULL;
		} else if (w[t].npairs) {
			pairs = xrealloc(pairs, (npairs + w[t].npairs) * sizeof(*pairs));
			memcpy(pairs + npairs, w[t].pairs, w[t].npairs * sizeof(*pairs));
		}
		npairs += w[t].npairs;
		st->capped_blocks += w[t].capped;
		st->over_budget += w[t].over_budget;
		st->budget_blocks += w[t].budget_blocks;
		for (int rr = 0; rr < MR_N; rr++) {
			st->rule_pairs[rr] += w[t].rule_pairs[rr];
			st->rule_capped[rr] += w[t].rule_capped[rr];
		}
		free(w[t].pairs);
		free(w[t].cand);
	}
	free(w);
	free(tid);
	st->pairs = (long)npairs;
	/* qoff held each query's number of pairs: now where they start */
	for (i = 0, k = 0; i < n; i++) {
		size_t c = qoff[i];

		qoff[i] = k;
		k += c;
	}
	qoff[n] = npairs;
	/* the distinct comparison vectors: each pair's code becomes its pattern */
	{
		struct pattern_map pm = { 0 };

		for (i = 0; i < npairs; i++)
			pairs[i].code = pattern_of(&pm, pairs[i].code, &codes, &npat);
		free(pm.code);
		free(pm.index);
	}
	t1 = clock_now_s();
	st->seconds_compare = t1 - t0;

	/* the model: u from random pairs, m and the share by EM */
	if (o->estimate) {
		struct match_pattern *pat = xcalloc(npat + 1, sizeof(*pat));
		size_t stride = n > EM_MAX_QUERIES ? (n + EM_MAX_QUERIES - 1) / EM_MAX_QUERIES : 1;
		size_t np = 0;
		double share = o->match_share >= 0 ? o->match_share : 0.5;

		model_estimate_u(model, r, 200000, dated ? (double)partial / (double)dated : 0);
		/* a different ID that does not fit the record: as often as records misread */
		if (with_id) {
			double misfit = (id_misfit + 0.5) / (with_id + 1.0);

			model->u[MC_ID][ID_DIFFERS] = 1 - misfit;
			model->u[MC_ID][ID_DIFFERS_MISFIT] = misfit;
		}
		for (i = 0; i < npat; i++)
			pat[i].code = codes[i];
		for (i = 0; i < npairs; i++)
			pat[pairs[i].code].count++;
		for (i = 0; i < n; i += stride)
			np += qoff[i + 1] - qoff[i];
		{
			struct em_data d = { n,
					     stride,
					     qoff,
					     (const unsigned char *)pairs,
					     sizeof(struct pair),
					     offsetof(struct pair, code),
					     offsetof(struct pair, tfu),
					     1,
					     codes,
					     npat,
					     (double)match_registry_count(r) };
			unsigned fixed = match_gold_m(model, pat, npat);

			model->em_iterations =
			    match_em(model, &d, fixed, o->match_share < 0, &share);
		}
		model->match_share = share;
		model->share_given = o->match_share >= 0;
		model->lambda = share / (double)match_registry_count(r);
		model->em_pairs = (long)np;
		free(pat);
		match_model_version(model);
	}
	st->seconds_em = clock_now_s() - t1;
	t1 = clock_now_s();

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
		double *pbits = xmalloc((npat + 1) * sizeof(*pbits));
		size_t cap_bits = 0;
		double *bits = NULL;

		/* the weight of each pattern, the name's at its level's u */
		for (size_t p = 0; p < npat; p++) {
			int level[MC_N];

			match_unpack(codes[p], level);
			pbits[p] = pair_weights(model, level, 0, NULL);
		}
		for (i = 0; i < n; i++) {
			size_t from = qoff[i], end = qoff[i + 1], j;
			struct match_result *rs = &res[i];
			double top = bits_none, sum = 0;

			if (from == end)
				continue;
			rs->candidates = (int)(end - from);
			if (end - from > cap_bits) {
				cap_bits = (end - from) * 2;
				bits = xrealloc(bits, cap_bits * sizeof(*bits));
			}
			for (j = from; j < end; j++) {
				double b = pbits[pairs[j].code];

				if (model->tf_names && pairs[j].tfu > 0) {
					int level[MC_N], l;

					match_unpack(codes[pairs[j].code], level);
					l = level[MC_NAME];
					/* the level's weight replaced by the frequency's */
					b += log2((tf_alone(l) ? 1 : model->m[MC_NAME][l]) /
						  pairs[j].tfu) -
					     model_weight(model, MC_NAME, l);
				}
				bits[j - from] = b;
				top = fmax(top, b);
			}
			/* sum of 2^bits, scaled by the largest term against overflow */
			sum = exp2(bits_none - top);
			for (j = from; j < end; j++)
				sum += exp2(bits[j - from] - top);
			for (j = from; j < end; j++) {
				double p = exp2(bits[j - from] - top) / sum;
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
			for (j = from; j < end && (long)pairs[j].c != rs->citizen; j++)
				;
			match_unpack(codes[pairs[j].code], rs->levels);
			pair_weights(model, rs->levels, model->tf_names ? pairs[j].tfu : 0,
				     rs->weights);
		}
		free(bits);
		free(pbits);
	}
	/*
	 * Decisions by the two thresholds.  An automatic link also needs the
	 * name to agree but for a letter or two (a similar name with the ID
	 * number), and, unless the ID number
	 * agrees (or differs by one digit or two swapped), the date of birth to
	 * agree or differ as a typing or reading error would (as far as both
	 * sides know it; a day and month swapped, one digit, two digits
	 * swapped; when it is not known, or differs more, the name and both
	 * parents' names), and
	 * neither the sex nor a parent's name to differ: a namesake born the
	 * same year or day, a twin, a sibling share much with the person, and a
	 * name alone is never enough.
	 */
	for (i = 0; i < n; i++) {
		struct match_result *rs = &res[i];
		int id_ok = rs->levels[MC_ID] >= ID_EXACT && rs->levels[MC_ID] <= ID_ONE_DIGIT;
		int dob_ok =
		    rs->levels[MC_DOB] >= DOB_EXACT && rs->levels[MC_DOB] <= DOB_TRANSPOSED;
		/*
		 * The name and both parents' names: as good as a date of birth
		 * when there is none; and against one that differs beyond a
		 * typo (both sides mistyped), when the name is the person's but
		 * for marks, order, a middle name or a typo into a word nobody
		 * has: a namesake has other parents, and a sibling, who has the
		 * same, another name ("Minh" and "Linh" are two).
		 */
		int parents_agree =
		    rs->levels[MC_FATHER] >= 0 && rs->levels[MC_FATHER] <= PARENT_NEAR &&
		    rs->levels[MC_MOTHER] >= 0 && rs->levels[MC_MOTHER] <= PARENT_NEAR;
		int parents_ok =
		    parents_agree && rs->levels[MC_NAME] >= 0 &&
		    rs->levels[MC_NAME] <=
			(rs->levels[MC_DOB] == MATCH_MISSING ? NAME_MIDDLE_NEAR : NAME_NEAR_TYPO);

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
		} else if (rs->levels[MC_NAME] == MATCH_MISSING ||
			   rs->levels[MC_NAME] > (id_ok ? NAME_SIMILAR : NAME_MIDDLE_NEAR)) {
			/* a twin shares all but the given name: without the ID, the
			 * name must be the person's but for a typo */
			rs->status = "review";
			rs->why = "the name differs";
		} else if (!id_ok && !parents_ok && !dob_ok) {
			rs->status = "review";
			rs->why = rs->levels[MC_DOB] == MATCH_MISSING
				      ? "a name alone, without ID number or date of birth"
				      : "the date of birth differs";
		} else if (!id_ok && rs->levels[MC_SEX] == 1) {
			rs->status = "review";
			rs->why = "the sex differs";
		} else if (!id_ok && (rs->levels[MC_FATHER] == PARENT_DIFFERS ||
				      rs->levels[MC_MOTHER] == PARENT_DIFFERS)) {
			/* a namesake born the same day is told apart by the parents */
			rs->status = "review";
			rs->why = rs->levels[MC_FATHER] == PARENT_DIFFERS
				      ? "the father's name differs"
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
	st->seconds_decide = clock_now_s() - t1;
	free(codes);
	free(qoff);
	free(pairs);
	free(qp);
	match_arena_release(&a);
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
	registry_mark_rare(r, &p);
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
	match_arena_release(&a);
}

struct match_json *match_results_json(const struct match_registry *r, const struct match_query *q,
				      const struct match_result *res, size_t n)
{
	struct match_json *js = xcalloc(n ? n : 1, sizeof(*js));

	for (size_t i = 0; i < n; i++) {
		const struct match_result *rs = &res[i];
		json_t *ex = json_array(), *cand = json_array(), *disc = json_array();
		strbuf d = STRBUF_INIT;
		char *save = NULL, *line;

		for (int c = 0; c < MC_N; c++) {
			const struct match_weight *w = &rs->weights[c];

			if (w->level == MATCH_MISSING)
				continue;
			json_array_append_new(
			    ex, json_pack("{s:s, s:s, s:f}", "field", match_cmp_name(w->cmp),
					  "level", match_level_name(w->cmp, w->level), "weight",
					  (double)((long)(w->weight * 10 +
							  (w->weight < 0 ? -0.5 : 0.5))) /
					      10));
		}
		for (int k = 0; k < MATCH_RUNNERS_UP; k++)
			if (rs->runner_up[k] >= 0)
				json_array_append_new(
				    cand, json_pack("{s:s, s:f}", "citizen_id",
						    match_registry_id(r, (size_t)rs->runner_up[k]),
						    "score", rs->runner_score[k]));
		if (rs->citizen >= 0 && match_registry_id(r, (size_t)rs->citizen)) {
			match_discrepancies(r, &q[i], rs, &d);
			for (line = strtok_r(d.buf, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				json_array_append_new(disc, json_string(line));
		}
		strbuf_release(&d);
		js[i].explanation = json_dumps(ex, JSON_COMPACT | JSON_REAL_PRECISION(6));
		js[i].candidates = json_dumps(cand, JSON_COMPACT | JSON_REAL_PRECISION(6));
		js[i].discrepancies = json_dumps(disc, JSON_COMPACT);
		json_decref(ex);
		json_decref(cand);
		json_decref(disc);
	}
	return js;
}

void match_results_json_free(struct match_json *js, size_t n)
{
	for (size_t i = 0; js && i < n; i++) {
		free(js[i].explanation);
		free(js[i].candidates);
		free(js[i].discrepancies);
	}
	free(js);
}
