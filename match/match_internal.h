/*
 * match_internal.h — what the files of match/ share: the normalized
 * person, the string arena, blocking keys and the comparison of two people.
 */
#ifndef HOTICH_MATCH_INTERNAL_H
#define HOTICH_MATCH_INTERNAL_H

#include <stdint.h>

#include "match.h"

/* Strings that live as long as their owner, allocated in large chunks. */
struct arena {
	char **chunks;
	size_t nchunks;
	char *cur;
	size_t left;
};

const char *arena_strdup(struct arena *a, const char *s);
void arena_release(struct arena *a);

/* A person normalized for comparison (citizen or query). */
struct mperson {
	const char *id;			     /* 12 digits, or NULL */
	const char *name;		     /* canonical full name, or NULL */
	const char *key;		     /* folded full name */
	const char *skey, *gkey;	     /* folded surname and given name */
	const char *father, *mother;	     /* canonical parents' names, or NULL */
	const char *father_key, *mother_key; /* folded */
	struct vn_date dob;		     /* year 0: unknown */
	unsigned char sex;		     /* enum vn_sex */
	unsigned char id_fits;		     /* the ID agrees with the person's own dob and sex: 1,
				  * disagrees: 0, cannot tell: 2 */
	char prov[4];			     /* birth province before July 2025 (as
					      * ID numbers code it), "" unknown */
	char prov_now[4];		     /* birth province since July 2025, "" */
};

/*
 * person_from_fields: normalize raw fields into `p` (strings in `a`).
 * Returns 0, or -1 with `e` naming the field when `strict` (registry rows)
 * and the ID or the name is unusable.
 */
int person_from_fields(const struct match_fields *f, int strict, struct arena *a, struct mperson *p,
		       herr *e);

/*
 * The blocking keys of a person (hashes), at most MATCH_KEYS: all of a
 * citizen's (query 0), those a record's fields allow (query 1).
 */
#define MATCH_KEYS 6
enum block_kind {
	BK_ID_HEAD,
	BK_ID_TAIL,
	BK_DOB,
	BK_NAME_YEAR,
	BK_NAME_DAY,
	BK_NAME
};
int person_keys(const struct mperson *p, int query, uint64_t keys[MATCH_KEYS],
		int kinds[MATCH_KEYS]);

uint64_t match_hash(const char *kind, const char *s);

/* The levels of a pair, MATCH_MISSING where a side has no value. */
void compare_people(const struct mperson *q, const struct mperson *c, int level[MC_N]);

/* Jaro-Winkler similarity of two byte strings, 0..1. */
double jaro_winkler(const char *a, const char *b);

/* Registry internals used by link.c. */
const struct mperson *registry_person(const struct match_registry *r, size_t i);
/* The citizens in a block: a pointer to their indexes and their number. */
const uint32_t *registry_block(const struct match_registry *r, uint64_t key, size_t *n);
/* How many citizens have this exact canonical name, this folded name. */
unsigned registry_name_count(const struct match_registry *r, const char *name);
unsigned registry_key_count(const struct match_registry *r, const char *key);

/* A comparison vector packed in 32 bits (3 bits a comparison, level + 1). */
uint32_t match_pack(const int level[MC_N]);
void match_unpack(uint32_t code, int level[MC_N]);

/* A distinct comparison vector and how many pairs have it. */
struct match_pattern {
	uint32_t code;
	double count;
};

/*
 * match_gold_m: m of every comparison but the ID from the pairs whose IDs
 * agree exactly; returns the comparisons so fixed (a bit each).
 * match_em: m (all but `fixed`) by EM over the patterns of nq queries; the
 * share of queries whose person is among their candidates in *share.
 * Returns the iterations.
 */
unsigned match_gold_m(struct match_model *m, const struct match_pattern *p, size_t np);
int match_em(struct match_model *m, const struct match_pattern *p, size_t np, size_t nq,
	     unsigned fixed, double *share);

/* Model internals: u from random pairs; the weight of a level. */
void model_estimate_u(struct match_model *m, const struct match_registry *r, long pairs);
double model_weight(const struct match_model *m, enum match_cmp c, int level);

#endif
