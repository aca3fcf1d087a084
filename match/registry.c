/*
 * registry.c — the citizens in memory: normalized once, indexed by their
 * blocking keys (one sorted array of key hashes and citizen numbers, read
 * by binary search), with the frequency of each name for the
 * term-frequency weights.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_internal.h"

struct posting {
	uint64_t key;
	uint32_t who;
};

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
	struct posting *post;
	size_t npost;
	uint32_t *who;	     /* the citizens of the postings, in key order */
	struct counts names; /* canonical full name */
	struct counts keys;  /* folded full name */
	int finished;
};

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
	free(r->who);
	free(r->names.keys);
	free(r->names.n);
	free(r->keys.keys);
	free(r->keys.n);
	arena_release(&r->arena);
	free(r);
}

int match_registry_add(struct match_registry *r, const struct match_fields *f, herr *e)
{
	struct mperson p;

	if (r->finished)
		return herr_set(e, HT_EXIT_FATAL, "the registry is already indexed");
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

/* ------------------------------------------------------------------------
 * Index
 * ---------------------------------------------------------------------- */

/* LSD radix sort of the postings by key, 16 bits a pass. */
static void sort_postings(struct posting *a, size_t n)
{
	struct posting *tmp = xmalloc((n ? n : 1) * sizeof(*tmp)), *src = a, *dst = tmp;
	size_t *count = xmalloc(65536 * sizeof(size_t));

	for (int shift = 0; shift < 64; shift += 16) {
		size_t sum = 0;

		memset(count, 0, 65536 * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			count[(src[i].key >> shift) & 0xFFFF]++;
		for (size_t b = 0; b < 65536; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].key >> shift) & 0xFFFF]++] = src[i];
		struct posting *t = src;

		src = dst;
		dst = t;
	}
	/* four passes: the result is back in `a` */
	free(tmp);
	free(count);
}

void match_registry_finish(struct match_registry *r)
{
	size_t i;

	if (r->finished)
		return;
	r->post = xmalloc((r->n * MATCH_KEYS + 1) * sizeof(*r->post));
	for (i = 0; i < r->n; i++) {
		uint64_t keys[MATCH_KEYS];
		int kinds[MATCH_KEYS];
		int k = person_keys(&r->p[i], 0, keys, kinds);

		for (int j = 0; j < k; j++) {
			r->post[r->npost].key = keys[j];
			r->post[r->npost].who = (uint32_t)i;
			r->npost++;
		}
		counts_add(&r->names, match_hash("name", r->p[i].name));
		counts_add(&r->keys, match_hash("key", r->p[i].key));
	}
	sort_postings(r->post, r->npost);
	r->who = xmalloc((r->npost + 1) * sizeof(*r->who));
	for (i = 0; i < r->npost; i++)
		r->who[i] = r->post[i].who;
	r->finished = 1;
}

const uint32_t *registry_block(const struct match_registry *r, uint64_t key, size_t *n)
{
	size_t lo = 0, hi = r->npost, first;

	*n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->post[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < r->npost && r->post[lo].key == key)
		lo++;
	*n = lo - first;
	return r->who + first;
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
