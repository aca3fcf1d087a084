/*
 * match.h — the match stage: each person on a record is linked to the
 * citizen registry with a probability that means something.
 *
 *   registry    the citizens in memory (from the registry CSV, or row by row
 *               from the database), normalized, with blocking indexes and
 *               the frequencies of names
 *   queries     the people of records (the child of a birth, the deceased,
 *               each spouse, the parent and the child of a recognition,
 *               the applicant of a receipt), normalized the same way
 *   model       Fellegi–Sunter: per comparison and level, the probability
 *               of the level among true pairs (m, estimated by EM on the
 *               run's candidate pairs) and among random pairs (u, from the
 *               registry); the agreement on an exact name weighed by how
 *               common the name is; missing values neutral
 *   link        candidates from the blocks, a comparison vector per pair,
 *               its match weight turned into a probability with the
 *               model's prior; auto / review / none by two thresholds and
 *               the runner-up; one birth and one death per citizen
 *
 * Nothing here touches the database: the batch streams citizens into
 * match_registry_add, `hotich link` reads a CSV.  A registry is built by
 * one thread, then read by any number.
 */
#ifndef HOTICH_MATCH_H
#define HOTICH_MATCH_H

#include <stddef.h>

#include "../common/common.h"
#include "../normalize/normalize.h"

/* ------------------------------------------------------------------------
 * People: the fields a comparison uses, raw (any form) or normalized
 * ---------------------------------------------------------------------- */

/* A person's fields as given (any Unicode form, any case); NULL or "" when missing. */
struct match_fields {
	const char *id_number;
	const char *full_name;
	const char *dob; /* ISO, partial ISO, or any form vn_date_parse reads */
	const char *sex; /* "nam" / "nu" (any form vn_sex_parse reads) */
	const char *birthplace;
	const char *father_name;
	const char *mother_name;
};

/* The people a record of a doc_type is about, and where their fields are. */
struct match_role {
	const char *role;   /* "subject", "husband", "wife", "parent", "child", "applicant" */
	const char *suffix; /* appended to the record_ref: "#husband", or "" */
	const char *name, *dob, *id_number, *birthplace, *father_name, *mother_name;
	const char *sex_field; /* the record field holding the sex, or NULL */
	const char *sex_value; /* the sex the role implies ("nam" for a husband), or NULL */
	int one_per_citizen;   /* a citizen has at most one such record (birth, death) */
	/*
	 * A parent named on the record whose sex says father or mother (the
	 * recognized parent, for the child of a recognition): the fields of
	 * that parent's name and sex, or NULL.
	 */
	const char *parent_name_field, *parent_sex_field;
};

/* match_roles: the roles of a doc_type (0 for "unknown"); *out is static. */
int match_roles(const char *doc_type, const struct match_role **out);

/*
 * match_role_fields: the fields of the person of role ro on a record, where
 * get(ctx, name) returns the value of the record's field `name` (NULL when
 * absent; never called with NULL).  The strings stay the caller's.
 */
void match_role_fields(const struct match_role *ro, const char *(*get)(void *ctx, const char *name),
		       void *ctx, struct match_fields *out);

/* ------------------------------------------------------------------------
 * Registry
 * ---------------------------------------------------------------------- */

struct match_registry;

struct match_registry *match_registry_new(void);
void match_registry_free(struct match_registry *r);

/*
 * match_registry_add: one citizen.  Fails (`e` names the field) when the
 * ID number is not 12 digits or the name is empty; the caller names the
 * row.  Not after match_registry_finish.
 */
int match_registry_add(struct match_registry *r, const struct match_fields *f, herr *e);

/*
 * match_registry_load_csv: the registry CSV of the contract (header
 * id_number,full_name,dob,sex,birthplace,father_name,mother_name in any
 * order, extra columns ignored).  UTF-8, or TCVN3 / VNI / Windows-1258
 * detected and decoded.  A bad row is counted and named on stderr (the
 * first ten), the rest goes on; a missing column or an unreadable file
 * fails.  Returns the number of rows loaded, or -1.
 */
long match_registry_load_csv(struct match_registry *r, const char *path, long *rejected, herr *e);

/* match_registry_finish: build the blocking indexes and the name frequencies. */
void match_registry_finish(struct match_registry *r);

size_t match_registry_count(const struct match_registry *r);
/* The ID number of citizen i (0-based). */
const char *match_registry_id(const struct match_registry *r, size_t i);

/* ------------------------------------------------------------------------
 * Comparisons
 * ---------------------------------------------------------------------- */

enum match_cmp {
	MC_ID,
	MC_NAME,
	MC_DOB,
	MC_SEX,
	MC_PROVINCE,
	MC_FATHER,
	MC_MOTHER,
	MC_N
};

#define MATCH_MAX_LEVELS 8
#define MATCH_MISSING	 (-1) /* the level when either side has no value */

/* The name of a comparison and of its levels ("dob", "swap"). */
const char *match_cmp_name(enum match_cmp c);
const char *match_level_name(enum match_cmp c, int level);
int match_levels(enum match_cmp c);

/* ------------------------------------------------------------------------
 * Model
 * ---------------------------------------------------------------------- */

struct match_model {
	char version[40]; /* "fs1-" and 16 hex digits of the parameters */
	double lambda;	  /* prior: share of candidate pairs that are one person */
	double m[MC_N][MATCH_MAX_LEVELS];
	double u[MC_N][MATCH_MAX_LEVELS];
	double auto_threshold;	 /* probability at or above which a link is automatic */
	double review_threshold; /* probability at or above which a person reviews it */
	int em_iterations;
	long em_pairs;
	int tf_names; /* weigh exact names by their frequency */
};

/* Defaults: thresholds 0.99 and 0.50, prior m and u (before estimation). */
void match_model_defaults(struct match_model *m);
/* match_model_version: compute m->version from the parameters. */
void match_model_version(struct match_model *m);
/* JSON of the parameters (appended), and back. */
void match_model_json(const struct match_model *m, strbuf *out);
int match_model_from_json(struct match_model *m, const char *json, herr *e);

/* ------------------------------------------------------------------------
 * Linking
 * ---------------------------------------------------------------------- */

struct match_query {
	const char *ref; /* record_ref with the role's suffix */
	const char *doc_type;
	const struct match_role *role;
	struct match_fields f;
};

#define MATCH_RUNNERS_UP 3

struct match_weight {
	enum match_cmp cmp;
	int level;     /* MATCH_MISSING when a side has no value */
	double weight; /* log2 m/u (0 when missing) */
};

struct match_result {
	long citizen;	    /* index in the registry, -1 when none */
	double score;	    /* probability that the best candidate is the person, given
				 * that at most one citizen is */
	const char *status; /* "auto", "review", "none" (static) */
	const char *why;    /* for review: the reason (static), or NULL */
	struct match_weight weights[MC_N];
	int levels[MC_N];		  /* the comparison levels of the best candidate */
	long runner_up[MATCH_RUNNERS_UP]; /* citizen indexes, -1 */
	double runner_score[MATCH_RUNNERS_UP];
	int candidates; /* pairs compared */
};

struct match_stats {
	long queries, pairs, capped_blocks;
	double seconds_block, seconds_compare, seconds_em, seconds_decide;
};

struct match_options {
	int block_cap; /* blocks larger are skipped (and counted); default 1000 */
	int estimate;  /* estimate m and the prior by EM on the candidate pairs */
	int threads;   /* comparison threads (default 1) */
};

void match_options_init(struct match_options *o);

/*
 * match_link: link n queries.  When o->estimate, model's m and lambda are
 * estimated first (EM over the candidate pairs; u from random pairs of the
 * registry) and its version set.  results[i] for queries[i].
 */
int match_link(const struct match_registry *r, struct match_model *model,
	       const struct match_query *q, size_t n, const struct match_options *o,
	       struct match_result *results, struct match_stats *stats, herr *e);

/* "id exact +19.9, name exact +12.3, dob swap +4.0, mother differs −2.3" */
void match_explain(const struct match_result *res, strbuf *out);

/*
 * match_discrepancies: the fields on which the record and its linked citizen
 * disagree ("dob: 1987-03-15 / 1987-05-13"), one per line; empty when they
 * agree or there is no link.
 */
void match_discrepancies(const struct match_registry *r, const struct match_query *q,
			 const struct match_result *res, strbuf *out);

#endif
