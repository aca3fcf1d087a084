/*
 * registry.c — the citizens in memory: normalized once, indexed by their
 * blocking keys (one sorted array of postings, each the high 40 bits of a
 * key's hash and a citizen's number in the low 24, read by binary search),
 * with the frequency of each name for the term-frequency weights.
 *
 * A key's hash cut to 40 bits may meet another's (one chance in a million
 * per lookup of a 2,000,000-citizen registry's 27 million postings): the
 * citizens of the other block are compared, and found not to fit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match_internal.h"

/* key hash -> count (open addressing; 0 is no key) */
struct counts {
	uint64_t *keys;
	unsigned *n;
	size_t cap, used;
};

/* the arenas of the threads that normalize the registry CSV's rows */
#define LOAD_THREADS_MAX 4

struct match_registry {
	struct mperson *p;
	size_t n, cap;
	struct arena arena;
	struct arena load_arena[LOAD_THREADS_MAX];
	uint64_t *post; /* key hash >> REGISTRY_WHO_BITS << REGISTRY_WHO_BITS | citizen */
	size_t npost;
	uint32_t *bucket;    /* the first posting of each value of the top BUCKET_BITS */
	struct counts names; /* canonical full name */
	struct counts keys;  /* folded full name */
	struct counts tkeys; /* its words in any order */
	struct counts sg;    /* folded surname and given name */
	struct counts words; /* each folded word of the names */
	struct counts less;  /* each folded name less one of its middle names */
	int finished;
};

/* postings found by the top bits of their key first, then by binary search */
#define BUCKET_BITS 20

struct match_registry *match_registry_new(void)
{
	return xcalloc(1, sizeof(struct match_registry));
}

void match_registry_free(struct match_registry *r)
{
	if (!r)
		return;
	free(r->p);
	free(r->post);
	free(r->bucket);
	free(r->names.keys);
	free(r->names.n);
	free(r->keys.keys);
	free(r->keys.n);
	free(r->tkeys.keys);
	free(r->tkeys.n);
	free(r->sg.keys);
	free(r->sg.n);
	free(r->words.keys);
	free(r->words.n);
	free(r->less.keys);
	free(r->less.n);
	match_arena_release(&r->arena);
	for (int t = 0; t < LOAD_THREADS_MAX; t++)
		match_arena_release(&r->load_arena[t]);
	free(r);
}

/* Append a normalized citizen. */
static int registry_append(struct match_registry *r, const struct mperson *p, herr *e)
{
	if (r->n >= MATCH_REGISTRY_MAX)
		return herr_set(e, HT_EXIT_FATAL, "the registry holds %d citizens, no more",
				MATCH_REGISTRY_MAX);
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->p = xrealloc(r->p, r->cap * sizeof(*r->p));
	}
	r->p[r->n++] = *p;
	return 0;
}

int match_registry_add(struct match_registry *r, const struct match_fields *f, herr *e)
{
	struct mperson p;

	if (r->finished)
		return herr_set(e, HT_EXIT_FATAL, "the registry is already indexed");
	if (r->n >= MATCH_REGISTRY_MAX)
		return herr_set(e, HT_EXIT_FATAL, "the registry holds %d citizens, no more",
				MATCH_REGISTRY_MAX);
	if (person_from_fields(f, 1, &r->arena, &p, e) < 0)
		return -1;
	return registry_append(r, &p, e);
}

size_t match_registry_count(const struct match_registry *r)
{
	return r->n;
}

const char *match_registry_id(const struct match_registry *r, size_t i)
{
	return i < r->n ? r->p[i].id : NULL;
}

const struct mperson *registry_person(const struct match_registry *r, size_t i)
{
	return &r->p[i];
}

/* ------------------------------------------------------------------------
 * Counts
 * ---------------------------------------------------------------------- */

static void counts_add(struct counts *c, uint64_t k)
{
	size_t i;

	if (!k)
		k = 1;
	if ((c->used + 1) * 2 > c->cap) {
		uint64_t *ok = c->keys;
		unsigned *on = c->n;
		size_t oc = c->cap;

		c->cap = c->cap ? c->cap * 2 : 1024;
		c->keys = xcalloc(c->cap, sizeof(*c->keys));
		c->n = xcalloc(c->cap, sizeof(*c->n));
		c->used = 0;
		for (i = 0; i < oc; i++)
			if (ok[i]) {
				size_t j = (size_t)ok[i] & (c->cap - 1);

				while (c->keys[j])
					j = (j + 1) & (c->cap - 1);
				c->keys[j] = ok[i];
				c->n[j] = on[i];
				c->used++;
			}
		free(ok);
		free(on);
	}
	i = (size_t)k & (c->cap - 1);
	while (c->keys[i] && c->keys[i] != k)
		i = (i + 1) & (c->cap - 1);
	if (!c->keys[i]) {
		c->keys[i] = k;
		c->used++;
	}
	c->n[i]++;
}

static unsigned counts_get(const struct counts *c, uint64_t k)
{
	size_t i;

	if (!c->cap)
		return 0;
	if (!k)
		k = 1;
	i = (size_t)k & (c->cap - 1);
	while (c->keys[i]) {
		if (c->keys[i] == k)
			return c->n[i];
		i = (i + 1) & (c->cap - 1);
	}
	return 0;
}

unsigned registry_name_count(const struct match_registry *r, const char *name)
{
	return counts_get(&r->names, match_hash("name", name));
}

unsigned registry_key_count(const struct match_registry *r, const char *key)
{
	return counts_get(&r->keys, match_hash("key", key));
}

unsigned registry_tkey_count(const struct match_registry *r, const char *tkey)
{
	return counts_get(&r->tkeys, match_hash("tkey", tkey));
}

static uint64_t sg_hash(const char *skey, const char *gkey)
{
	return match_hash("sg", skey) ^ (match_hash("sg", gkey) * 0x9E3779B97F4A7C15ull);
}

unsigned registry_sg_count(const struct match_registry *r, const char *skey, const char *gkey)
{
	return skey && gkey ? counts_get(&r->sg, sg_hash(skey, gkey)) : 0;
}

/*
 * match_hash(kind, key) of the folded key less its word `skip` (the words
 * are one space apart), without making the string.
 */
static uint64_t hash_less(const char *kind, const char *key, int skip)
{
	uint64_t h = 1469598103934665603ull;
	int i = 0, first = 1;

	for (; *kind; kind++)
		h = (h ^ (unsigned char)*kind) * 1099511628211ull;
	h = (h ^ '|') * 1099511628211ull;
	for (const char *p = key; *p; i++) {
		size_t len = strcspn(p, " ");

		if (i != skip) {
			if (!first)
				h = (h ^ ' ') * 1099511628211ull;
			for (size_t k = 0; k < len; k++)
				h = (h ^ (unsigned char)p[k]) * 1099511628211ull;
			first = 0;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return h;
}

static int key_words_n(const char *key)
{
	int n = 0;

	for (const char *p = key; *p;) {
		n++;
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
	return n;
}

unsigned registry_middle_count(const struct match_registry *r, const char *key)
{
	unsigned n = counts_get(&r->less, match_hash("less", key));
	int nw = key_words_n(key);

	for (int i = 1; i < nw - 1; i++)
		n += counts_get(&r->keys, hash_less("key", key, i));
	return n;
}

/* Each word of a folded key: fn(ctx, its hash, its place). */
static void each_word(const char *key, void (*fn)(void *ctx, uint64_t h, int i), void *ctx)
{
	int i = 0;

	for (const char *p = key; *p; i++) {
		size_t len = strcspn(p, " ");
		uint64_t h = 1469598103934665603ull;

		for (size_t k = 0; k < len; k++)
			h = (h ^ (unsigned char)p[k]) * 1099511628211ull;
		fn(ctx, h, i);
		p += len;
		while (*p == ' ')
			p++;
	}
}

static void count_word(void *ctx, uint64_t h, int i)
{
	(void)i;
	counts_add(ctx, h);
}

struct rare_ctx {
	const struct counts *words;
	unsigned char mask;
};

static void rare_word(void *ctx, uint64_t h, int i)
{
	struct rare_ctx *rc = ctx;

	if (i < 8 && counts_get(rc->words, h) <= 1)
		rc->mask |= (unsigned char)(1u << i);
}

void registry_mark_rare(const struct match_registry *r, struct mperson *p)
{
	struct rare_ctx rc = { &r->words, 0 };

	if (p->key)
		each_word(p->key, rare_word, &rc);
	p->rare = rc.mask;
}

/* ------------------------------------------------------------------------
 * Index
 * ---------------------------------------------------------------------- */

/* LSD radix sort of the postings, 16 bits a pass. */
static void sort_postings(uint64_t *a, size_t n)
{
	uint64_t *tmp = xmalloc((n ? n : 1) * sizeof(*tmp)), *src = a, *dst = tmp;
	size_t *count = xmalloc(65536 * sizeof(size_t));

	for (int shift = 0; shift < 64; shift += 16) {
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			count[(src[i] >> shift) & 0xFFFF]++;
		for (size_t b = 0; b < 65536; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
		uint64_t *t = src;

		src = dst;
		dst = t;
	}
	/* four passes: the result is back in `a` */
	free(tmp);
	free(count);
}

/* The postings of a slice of the citizens (a thread each). */
struct post_work {
	struct match_registry *r;
	size_t from, to;
	uint64_t *post;
	size_t n, cap;
};

static void *post_slice(void *arg)
{
	struct post_work *w = arg;

	w->cap = (w->to - w->from) * 24 + 16;
	w->post = xmalloc(w->cap * sizeof(*w->post));
	for (size_t i = w->from; i < w->to; i++) {
		uint64_t keys[MATCH_KEYS];
		unsigned char rules[MATCH_KEYS];
		int k = person_keys(&w->r->p[i], keys, rules);

		if (w->n + (size_t)k > w->cap) {
			w->cap = (w->n + (size_t)k) * 5 / 4 + 1024;
			w->post = xrealloc(w->post, w->cap * sizeof(*w->post));
		}
		/* one posting per block, though two rules give it */
		for (int j = 0; j < k; j++) {
			uint64_t v = (keys[j] >> REGISTRY_WHO_BITS) << REGISTRY_WHO_BITS;
			int at = j;

			for (; at > 0 && keys[at - 1] > v; at--)
				keys[at] = keys[at - 1];
			keys[at] = v;
		}
		for (int j = 0; j < k; j++)
			if (!j || keys[j] != keys[j - 1])
				w->post[w->n++] = keys[j] | (uint64_t)i;
	}
	return NULL;
}

/* The frequencies of the names and their words (one thread). */
static void *count_names(void *arg)
{
	struct match_registry *r = arg;

	for (size_t i = 0; i < r->n; i++) {
		const struct mperson *p = &r->p[i];

		counts_add(&r->names, match_hash("name", p->name));
		counts_add(&r->keys, match_hash("key", p->key));
		counts_add(&r->tkeys, match_hash("tkey", p->tkey));
		if (p->skey && p->gkey)
			counts_add(&r->sg, sg_hash(p->skey, p->gkey));
		each_word(p->key, count_word, &r->words);
		for (int w = 1, nw = key_words_n(p->key); w < nw - 1; w++)
			counts_add(&r->less, hash_less("less", p->key, w));
	}
	return NULL;
}

struct rare_work {
	struct match_registry *r;
	size_t from, to;
};

static void *rare_slice(void *arg)
{
	struct rare_work *w = arg;

	for (size_t i = w->from; i < w->to; i++)
		registry_mark_rare(w->r, &w->r->p[i]);
	return NULL;
}

/*
 * The postings of two halves of the citizens and the names' frequencies
 * are made side by side (three threads), then the rare words marked (two),
 * the postings sorted.
 */
void match_registry_index(struct match_registry *r)
{
	struct post_work pw[2] = { { r, 0, r->n / 2, NULL, 0, 0 },
				   { r, r->n / 2, r->n, NULL, 0, 0 } };
	struct rare_work rw[2] = { { r, 0, r->n / 2 }, { r, r->n / 2, r->n } };
	pthread_t tc, tp, tr;
	int counted, posted, rared;

	if (r->finished)
		return;
	counted = pthread_create(&tc, NULL, count_names, r) == 0;
	posted = pthread_create(&tp, NULL, post_slice, &pw[1]) == 0;
	post_slice(&pw[0]);
	if (posted)
		pthread_join(tp, NULL);
	else
		post_slice(&pw[1]);
	if (counted)
		pthread_join(tc, NULL);
	else
		count_names(r);
	rared = pthread_create(&tr, NULL, rare_slice, &rw[1]) == 0;
	rare_slice(&rw[0]);
	if (rared)
		pthread_join(tr, NULL);
	else
		rare_slice(&rw[1]);
	r->npost = pw[0].n + pw[1].n;
	r->post = xrealloc(pw[0].post, (r->npost ? r->npost : 1) * sizeof(*r->post));
	if (pw[1].n)
		memcpy(r->post + pw[0].n, pw[1].post, pw[1].n * sizeof(*r->post));
	free(pw[1].post);
	sort_postings(r->post, r->npost);
	r->bucket = xmalloc(((1u << BUCKET_BITS) + 1) * sizeof(*r->bucket));
	for (size_t b = 0, j = 0; b <= (1u << BUCKET_BITS); b++) {
		while (j < r->npost && (r->post[j] >> (64 - BUCKET_BITS)) < b)
			j++;
		r->bucket[b] = (uint32_t)j;
	}
	r->finished = 1;
}

const uint64_t *registry_block(const struct match_registry *r, uint64_t key, size_t *n)
{
	uint64_t k = (key >> REGISTRY_WHO_BITS) << REGISTRY_WHO_BITS,
		 end = k | ((1u << REGISTRY_WHO_BITS) - 1);
	size_t b = (size_t)(k >> (64 - BUCKET_BITS)), lo, hi, first;

	*n = 0;
	if (!r->bucket)
		return r->post;
	lo = r->bucket[b];
	hi = r->bucket[b + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->post[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = r->bucket[b + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->post[mid] <= end)
			lo = mid + 1;
		else
			hi = mid;
	}
	*n = lo - first;
	return r->post + first;
}

/* ------------------------------------------------------------------------
 * The registry CSV
 * ---------------------------------------------------------------------- */

/*
 * Rows of the CSV are read in batches and normalized on several threads
 * (the cores, at most LOAD_THREADS_MAX: ICU's normalization is most of a
 * registry's load), each into its own arena, then appended in the file's
 * order: the same file gives the same registry.
 */
#define LOAD_BATCH 8192

struct load_batch {
	struct arena text; /* the rows' fields, decoded */
	struct match_fields f[LOAD_BATCH];
	long line[LOAD_BATCH];
	struct mperson p[LOAD_BATCH];
	herr err[LOAD_BATCH];
	int ok[LOAD_BATCH];
	size_t n;
};

struct load_work {
	struct load_batch *b;
	struct arena *arena;
	size_t from, to;
};

static void *load_slice(void *arg)
{
	struct load_work *w = arg;

	for (size_t i = w->from; i < w->to; i++) {
		herr_clear(&w->b->err[i]);
		w->b->ok[i] =
		    person_from_fields(&w->b->f[i], 1, w->arena, &w->b->p[i], &w->b->err[i]) == 0;
	}
	return NULL;
}

static int load_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > LOAD_THREADS_MAX ? LOAD_THREADS_MAX : (int)n;
}

/* Normalize a batch and append it; the rejects counted and the first named. */
static int load_flush(struct match_registry *r, struct load_batch *b, int threads, const char *path,
		      long *rows, long *bad, herr *e)
{
	struct load_work w[LOAD_THREADS_MAX];
	pthread_t tid[LOAD_THREADS_MAX];
	int started[LOAD_THREADS_MAX] = { 0 };

	for (int t = 0; t < threads; t++) {
		w[t].b = b;
		w[t].arena = &r->load_arena[t];
		w[t].from = b->n * (size_t)t / (size_t)threads;
		w[t].to = b->n * (size_t)(t + 1) / (size_t)threads;
		if (t > 0)
			started[t] = pthread_create(&tid[t], NULL, load_slice, &w[t]) == 0;
	}
	load_slice(&w[0]);
	for (int t = 1; t < threads; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			load_slice(&w[t]);
	}
	for (size_t i = 0; i < b->n; i++) {
		if (!b->ok[i]) {
			if (++*bad <= 10)
				log_warning("%s: line %ld: %s", path, b->line[i], b->err[i].msg);
			continue;
		}
		if (registry_append(r, &b->p[i], e) < 0)
			return -1;
		(*rows)++;
	}
	b->n = 0;
	match_arena_release(&b->text);
	return 0;
}

long match_registry_load_csv(struct match_registry *r, const char *path, long *rejected, herr *e)
{
	static const char *const cols[] = { "id_number",  "full_name",	 "dob",	       "sex",
					    "birthplace", "father_name", "mother_name" };
	enum vn_encoding enc = vn_detect_file(path, NULL);
	struct csv *c;
	struct load_batch *b = NULL;
	int idx[7], rc, k, threads = load_threads();
	long rows = 0, bad = 0, ret = -1;
	strbuf dec = STRBUF_INIT;

	if (r->finished)
		return herr_set(e, HT_EXIT_FATAL, "the registry is already indexed");
	c = csv_open(path, e);
	if (!c)
		return -1;
	rc = csv_next(c, e);
	if (rc <= 0) {
		csv_close(c);
		return rc < 0 ? -1 : herr_set(e, HT_EXIT_USAGE, "%s: empty file", path);
	}
	for (k = 0; k < 7; k++) {
		idx[k] = csv_column(c, cols[k]);
		if (idx[k] < 0 && k < 2) {
			csv_close(c);
			return herr_set(e, HT_EXIT_USAGE, "%s: no %s column in the header", path,
					cols[k]);
		}
	}
	b = xcalloc(1, sizeof(*b));
	while ((rc = csv_next(c, e)) > 0) {
		const char *v[7];

		for (k = 0; k < 7; k++) {
			v[k] = idx[k] >= 0 ? csv_field(c, idx[k]) : "";
			if (enc != VN_ENC_UTF8 && *v[k]) {
				strbuf_reset(&dec);
				vn_decode(enc, v[k], strlen(v[k]), &dec, NULL, NULL);
				v[k] = dec.buf;
			}
			v[k] = match_arena_strdup(&b->text, v[k]);
		}
		b->f[b->n].id_number = v[0];
		b->f[b->n].full_name = v[1];
		b->f[b->n].dob = v[2];
		b->f[b->n].sex = v[3];
		b->f[b->n].birthplace = v[4];
		b->f[b->n].father_name = v[5];
		b->f[b->n].mother_name = v[6];
		b->line[b->n++] = csv_line(c);
		if (b->n == LOAD_BATCH && load_flush(r, b, threads, path, &rows, &bad, e) < 0)
			goto cleanup;
	}
	if (rc < 0 || load_flush(r, b, threads, path, &rows, &bad, e) < 0)
		goto cleanup;
	if (bad > 10)
		log_warning("%s: %ld rows rejected in all", path, bad);
	if (rejected)
		*rejected = bad;
	ret = rows;
cleanup:
	if (b)
		match_arena_release(&b->text);
	free(b);
	strbuf_release(&dec);
	csv_close(c);
	return ret;
}
