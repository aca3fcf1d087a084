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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_internal.h"

/* key hash -> count (open addressing; 0 is no key) */
struct counts {
	uint64_t *keys;
	unsigned *n;
	size_t cap, used;
};

struct match_registry {
	struct mperson *p;
	size_t n, cap;
	struct arena arena;
	uint64_t *post; /* key hash >> REGISTRY_WHO_BITS << REGISTRY_WHO_BITS | citizen */
	size_t npost;
	uint32_t *bucket;    /* the first posting of each value of the top BUCKET_BITS */
	struct counts names; /* canonical full name */
	struct counts keys;  /* folded full name */
	struct counts tkeys; /* its words in any order */
	struct counts sg;    /* folded surname and given name */
	struct counts words; /* each folded word of the names */
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
	arena_release(&r->arena);
	free(r);
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
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->p = xrealloc(r->p, r->cap * sizeof(*r->p));
	}
	r->p[r->n++] = p;
	return 0;
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

void match_registry_finish(struct match_registry *r)
{
	size_t i, cap;

	if (r->finished)
		return;
	cap = r->n * 24 + 16;
	r->post = xmalloc(cap * sizeof(*r->post));
	for (i = 0; i < r->n; i++) {
		uint64_t keys[MATCH_KEYS];
		unsigned char rules[MATCH_KEYS];
		int k = person_keys(&r->p[i], keys, rules);

		if (r->npost + (size_t)k > cap) {
			cap = (r->npost + (size_t)k) * 5 / 4 + 1024;
			r->post = xrealloc(r->post, cap * sizeof(*r->post));
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
				r->post[r->npost++] = keys[j] | (uint64_t)i;
		counts_add(&r->names, match_hash("name", r->p[i].name));
		counts_add(&r->keys, match_hash("key", r->p[i].key));
		counts_add(&r->tkeys, match_hash("tkey", r->p[i].tkey));
		if (r->p[i].skey && r->p[i].gkey)
			counts_add(&r->sg, sg_hash(r->p[i].skey, r->p[i].gkey));
		each_word(r->p[i].key, count_word, &r->words);
	}
	for (i = 0; i < r->n; i++)
		registry_mark_rare(r, &r->p[i]);
	r->post = xrealloc(r->post, (r->npost ? r->npost : 1) * sizeof(*r->post));
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

long match_registry_load_csv(struct match_registry *r, const char *path, long *rejected, herr *e)
{
	static const char *const cols[] = { "id_number",  "full_name",	 "dob",	       "sex",
					    "birthplace", "father_name", "mother_name" };
	enum vn_encoding enc = vn_detect_file(path, NULL);
	struct csv *c = csv_open(path, e);
	int idx[7], rc, k;
	long rows = 0, bad = 0;
	strbuf dec[7];

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
		strbuf_init(&dec[k], 0);
	}
	while ((rc = csv_next(c, e)) > 0) {
		const char *v[7];
		struct match_fields f;
		herr re = { 0 };

		for (k = 0; k < 7; k++) {
			v[k] = idx[k] >= 0 ? csv_field(c, idx[k]) : "";
			if (enc != VN_ENC_UTF8 && *v[k]) {
				strbuf_reset(&dec[k]);
				vn_decode(enc, v[k], strlen(v[k]), &dec[k], NULL, NULL);
				v[k] = dec[k].buf;
			}
		}
		f.id_number = v[0];
		f.full_name = v[1];
		f.dob = v[2];
		f.sex = v[3];
		f.birthplace = v[4];
		f.father_name = v[5];
		f.mother_name = v[6];
		if (match_registry_add(r, &f, &re) < 0) {
			if (++bad <= 10)
				log_warning("%s: line %ld: %s", path, csv_line(c), re.msg);
			continue;
		}
		rows++;
	}
	for (k = 0; k < 7; k++)
		strbuf_release(&dec[k]);
	csv_close(c);
	if (rc < 0)
		return -1;
	if (bad > 10)
		log_warning("%s: %ld rows rejected in all", path, bad);
	if (rejected)
		*rejected = bad;
	return rows;
}
