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

const char *match_arena_strdup(struct arena *a, const char *s);
void match_arena_release(struct arena *a);

/*
 * A person normalized for comparison (citizen or query).  What every
 * comparison reads comes first, in two cache lines: a registry's people
 * are read from memory far away, one candidate after the other.
 */
struct mperson {
	uint32_t hname, hkey, htkey; /* hashes of name, key, tkey: unequal hashes,
				      * unequal strings */
	/*
	 * The words of key (at most MATCH_WORDS: the rest is one word) as the
	 * comparison of names needs them without reading the strings: a hash
	 * (32 bits: two words of equal hash and length are taken for equal),
	 * a length and the set of letters of each; the given name's letters.
	 */
	unsigned char nw, wlen[8], glen;
	unsigned char rare;    /* the words of key (bit i: the i-th) no more than one
				* citizen has: a typo, or a rare name */
	unsigned char sex;     /* enum vn_sex */
	unsigned char plain;   /* the name has no mark at all */
	unsigned char id_fits; /* the ID agrees with the person's own dob and sex: 1,
				* disagrees: 0, cannot tell: 2 */
	uint32_t whash[8], wmask[8], gmask;
	struct vn_date dob;	     /* year 0: unknown */
	char prov[4];		     /* birth province before July 2025 (as ID numbers code it),
			     * "" unknown */
	char prov_now[4];	     /* birth province since July 2025, "" */
	const char *id;		     /* 12 digits, or NULL */
	const char *name;	     /* canonical full name, or NULL */
	const char *key;	     /* folded full name */
	const char *tkey;	     /* its words sorted: the name in any order */
	const char *skey, *gkey;     /* folded surname and given name */
	const char *father, *mother; /* canonical parents' names, or NULL */
	const char *father_key, *mother_key; /* folded */
};

#define MATCH_WORDS 8

/* The set of letters of a word (a-z, and six bits for the other bytes). */
static inline uint32_t letter_mask(const char *s, size_t n)
{
	uint32_t m = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		m |= c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << (26 + c % 6);
	}
	return m;
}

/*
 * person_from_fields: normalize raw fields into `p` (strings in `a`).
 * Returns 0, or -1 with `e` naming the field when `strict` (registry rows)
 * and the ID or the name is unusable.
 */
int person_from_fields(const struct match_fields *f, int strict, struct arena *a, struct mperson *p,
		       herr *e);

/*
 * The blocking keys of a person (hashes) and the rule of each, at most
 * MATCH_KEYS: all of them for a citizen; a record looks in the name alone
 * (MR_NAME) only when it has no full date of birth (person_full_dob).
 * Rules of one kind of key share their hashes: a name without a middle
 * name and the day (MR_MIDDLE_DAY) meets the full name and the day of a
 * person who has no such middle name (MR_NAME_DAY).
 */
#define MATCH_KEYS 56
int person_keys(const struct mperson *p, uint64_t keys[MATCH_KEYS],
		unsigned char rules[MATCH_KEYS]);

uint64_t match_hash(const char *kind, const char *s);

static inline int person_full_dob(const struct mperson *p)
{
	return p->dob.year && p->dob.month && p->dob.day;
}

/* The levels of a pair, MATCH_MISSING where a side has no value. */
void compare_people(const struct mperson *q, const struct mperson *c, int level[MC_N]);

/* Jaro-Winkler similarity of two byte strings, 0..1. */
double match_jaro_winkler(const char *a, const char *b);
/* Damerau-Levenshtein distance (optimal string alignment) of two byte strings. */
int match_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/* Registry internals used by link.c. */
const struct mperson *registry_person(const struct match_registry *r, size_t i);
/*
 * The citizens in a block: postings whose low REGISTRY_WHO_BITS are the
 * citizen's index (registry_who), and their number.
 */
#define REGISTRY_WHO_BITS 24
const uint64_t *registry_block(const struct match_registry *r, uint64_t key, size_t *n);
static inline uint32_t registry_who(uint64_t posting)
{
	return (uint32_t)(posting & ((1u << REGISTRY_WHO_BITS) - 1));
}
/*
 * How many citizens have this exact canonical name, this folded name, these
 * words in any order, this surname and given name (with any middle names).
 */
unsigned registry_name_count(const struct match_registry *r, const char *name);
unsigned registry_key_count(const struct match_registry *r, const char *key);
unsigned registry_tkey_count(const struct match_registry *r, const char *tkey);
unsigned registry_sg_count(const struct match_registry *r, const char *skey, const char *gkey);
/*
 * How many citizens have this folded name with one middle name more, or
 * less (a word neither first nor last): those a name with a middle name
 * dropped or added meets.
 */
unsigned registry_middle_count(const struct match_registry *r, const char *key);
/* p->rare from the registry's words (match_registry_index done). */
void registry_mark_rare(const struct match_registry *r, struct mperson *p);

/* A comparison vector packed in 32 bits (4 bits a comparison, level + 1). */
uint32_t match_pack(const int level[MC_N]);
void match_unpack(uint32_t code, int level[MC_N]);

/* A distinct comparison vector and how many pairs have it. */
struct match_pattern {
	uint32_t code;
	double count;
};

/*
 * The candidate pairs EM learns from, by query: the pairs of query i are
 * qoff[i] .. qoff[i + 1] - 1 (EM sees every qstep-th query); pair j is the
 * record of pair_size bytes at pairs + j * pair_size, with its pattern (a
 * uint32_t index into codes) at byte pat_at and, at byte tf_at (when
 * has_tf), u of its name's agreement as the frequency of its citizen's
 * name makes it (a float; 0: the level's u).
 */
struct em_data {
	size_t nq, qstep;
	const size_t *qoff;
	const unsigned char *pairs;
	size_t pair_size, pat_at, tf_at;
	int has_tf;
	const uint32_t *codes;
	size_t npat;
	double citizens;
};

/*
 * match_gold_m: m of every comparison but the ID from the pairs whose IDs
 * agree exactly; returns the comparisons so fixed (a bit each).
 * match_em: m (all but `fixed`) and, when estimate_share, the share of
 * queries whose person is in the registry (*share, given otherwise) by EM
 * over the queries' candidates.  Returns the iterations.
 */
unsigned match_gold_m(struct match_model *m, const struct match_pattern *p, size_t np);
int match_em(struct match_model *m, const struct em_data *d, unsigned fixed, int estimate_share,
	     double *share);

/*
 * Model internals: u from random pairs (query_partial: the share of the
 * records with a date of birth that know only its year or month); the
 * weight of a level.
 */
void model_estimate_u(struct match_model *m, const struct match_registry *r, long pairs,
		      double query_partial);
double model_weight(const struct match_model *m, enum match_cmp c, int level);

#endif
