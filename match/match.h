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
 *               registry); the agreement on a name weighed by how common
 *               the name is; missing values neutral; the share of records
 *               whose person is in the registry estimated with m (or given)
 *   link        candidates from the blocks of several rules, united and
 *               bounded per record; a comparison vector per pair, its
 *               match weight turned into a probability with the model's
 *               prior; auto / review / none by two thresholds and the
 *               runner-up; one birth and one death per citizen
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
 * row.  Not after match_registry_index; at most MATCH_REGISTRY_MAX
 * citizens.
 */
#define MATCH_REGISTRY_MAX 16777215
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

/* match_registry_index: build the blocking indexes and the name frequencies. */
void match_registry_index(struct match_registry *r);

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

#define MATCH_MAX_LEVELS 12
#define MATCH_MISSING	 (-1) /* the level when either side has no value */

/* The levels of the comparisons whose levels the decisions name. */
enum match_id_level {
	ID_EXACT,
	ID_MISREAD,   /* one digit OCR takes for another (3/8, 1/7 ...) */
	ID_SWAPPED,   /* two neighbouring digits swapped */
	ID_ONE_DIGIT, /* one digit typed wrong */
	ID_DIFFERS,
	ID_DIFFERS_MISFIT /* differs, and the record's number does not fit its own person */
};
enum match_name_level {
	NAME_EXACT,
	NAME_SAME_LETTERS, /* the same letters, marks differ */
	NAME_PLAIN,	   /* the same letters, one side without any mark ("Nguyen Van
			    * Hung", as typed without a Vietnamese keyboard) */
	NAME_ORDER,	   /* the same names in another order */
	NAME_NO_MIDDLE,	   /* the same but for the middle names, one side has none
			    * ("Nguyễn Lan" for "Nguyễn Thị Lan") */
	NAME_MIDDLE,	   /* a middle name dropped or added, both have one */
	NAME_NEAR_TYPO,	   /* a letter or two typed or read wrong, in any order, into a
			    * word no other citizen has ("Ttâm" for "Tâm") */
	NAME_NEAR,	   /* the same, between words other citizens have ("Lan", "Lam") */
	NAME_MIDDLE_NEAR,  /* a middle name dropped or added, and a letter or two typed
			    * wrong ("Trần Ân" for "Trần Hoàng Â") */
	NAME_SIMILAR,	   /* similar as strings, the given name close */
	NAME_GIVEN_ONLY,
	NAME_DIFFERS
};
enum match_dob_level {
	DOB_EXACT,
	DOB_PARTIAL,	 /* agrees as far as both are known (a year, a month) */
	DOB_SWAPPED,	 /* day and month swapped */
	DOB_YEAR_DIGIT,	 /* one digit of the year wrong */
	DOB_MONTH_DIGIT, /* ... of the month */
	DOB_DAY_DIGIT,	 /* ... of the day */
	DOB_TRANSPOSED,	 /* two neighbouring digits swapped */
	DOB_SAME_YEAR,
	DOB_DIFFERS
};
enum match_parent_level {
	PARENT_SAME,
	PARENT_NEAR,
	PARENT_DIFFERS
};

/* The name of a comparison and of its levels ("dob", "swap"). */
const char *match_cmp_name(enum match_cmp c);
const char *match_level_name(enum match_cmp c, int level);
int match_levels(enum match_cmp c);

/* ------------------------------------------------------------------------
 * Model
 * ---------------------------------------------------------------------- */

struct match_model {
	char version[40];   /* "fs2-" and 16 hex digits of the parameters */
	double match_share; /* share of the records whose person is in the registry */
	int share_given;    /* 1: given (--match-share), 0: estimated */
	double lambda;	    /* prior: the chance that a random citizen is the person
			     * (match_share over the registry's size) */
	double m[MC_N][MATCH_MAX_LEVELS];
	double u[MC_N][MATCH_MAX_LEVELS];
	double auto_threshold;	 /* probability at or above which a link is automatic */
	double review_threshold; /* probability at or above which a person reviews it */
	int em_iterations;
	long em_pairs;
	int tf_names; /* weigh exact names by their frequency */
};

/* Defaults: thresholds 0.985 and 0.50, prior m and u (before estimation). */
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

/*
 * Blocking rules: a record's candidates are the citizens sharing a key of
 * any rule with it (match_rule_name gives each its name).
 */
enum match_rule {
	MR_ID,		 /* two of the ID number's three parts (three ways) */
	MR_DOB,		 /* the full date of birth */
	MR_NAME_YEAR,	 /* the name's words in any order, and the year */
	MR_NAME_DAY,	 /* the name's words in any order, and the day and month */
	MR_NAME,	 /* the name's words alone (a record without a full date) */
	MR_MIDDLE_YEAR,	 /* the name without one middle name, and the year */
	MR_MIDDLE_DAY,	 /* the name without one middle name, and the day and month */
	MR_INITIAL_YEAR, /* the name with one word cut to its initial, and the year */
	MR_FINAL_YEAR,	 /* the name with one word cut to its last letters, and the year */
	MR_INITIAL_DAY,	 /* the name with one word cut to its initial, and the day */
	MR_FINAL_DAY,	 /* the name with one word cut to its last letters, and the day */
	MR_NAME_MDAY,	 /* the name's words in any order, and the day of the month alone */
	MR_PARENTS,	 /* the father's and the mother's names (the person's siblings) */
	MR_N
};

const char *match_rule_name(enum match_rule r);

struct match_stats {
	long queries, pairs, capped_blocks;
	long rule_pairs[MR_N];	/* candidates each rule brought (before the union) */
	long rule_capped[MR_N]; /* its blocks over the block cap, not compared */
	long over_budget;	/* records whose blocks held more than the budget */
	long budget_blocks;	/* blocks left out for the budget */
	double seconds_block, seconds_compare, seconds_em, seconds_decide;
};

struct match_options {
	int block_cap;	      /* blocks larger are skipped (and counted); default 1000 */
	int candidate_budget; /* candidates of one record at most (the smallest blocks
			       * first; the rest counted); default 2000 */
	int estimate;	      /* estimate m and the share by EM on the candidate pairs */
	double match_share;   /* the share of records in the registry, or < 0 to
			       * estimate it (the default) */
	int threads;	      /* comparison threads (default 1) */
};

void match_options_init(struct match_options *o);

/*
 * match_link: link n queries.  When o->estimate, model's m and the share of
 * queries whose person is in the registry (unless o->match_share gives it)
 * are estimated first (EM over the candidate pairs; u from random pairs of
 * the registry) and its version set.  results[i] for queries[i].
 */
int match_link(const struct match_registry *r, struct match_model *model,
	       const struct match_query *q, size_t n, const struct match_options *o,
	       struct match_result *results, struct match_stats *stats, herr *e);

/* "id exact +19.9, name exact +12.3, dob day and month swapped +4.0, mother differs −2.3" */
void match_explain(const struct match_result *res, strbuf *out);

/*
 * match_discrepancies: the fields on which the record and its linked citizen
 * disagree ("dob: 1987-03-15 / 1987-05-13"), one per line; empty when they
 * agree or there is no link.
 */
void match_discrepancies(const struct match_registry *r, const struct match_query *q,
			 const struct match_result *res, strbuf *out);

/*
 * What is stored of a person's result, as JSON texts (NULL only when out
 * of memory): the explanation (field, level, weight to a tenth, for every
 * comparison made), the runners-up (citizen_id, score) and the
 * discrepancies with the linked citizen (match_discrepancies' lines).
 */
struct match_json {
	char *explanation;
	char *candidates;
	char *discrepancies;
};
/* match_results_json: the JSON of n results of the queries q; release
 * with match_results_json_free. */
struct match_json *match_results_json(const struct match_registry *r, const struct match_query *q,
				      const struct match_result *res, size_t n);
void match_results_json_free(struct match_json *js, size_t n);

/* ------------------------------------------------------------------------
 * Records read from `hotich ocr --json` (records.c)
 * ---------------------------------------------------------------------- */

/* The records of a file, as queries: one per person of each record
 * (q[i].ref is the record_ref with the role's suffix).  Owned; released
 * with match_records_release. */
struct match_records {
	void **objs; /* the records (json_t *), which the queries point into */
	size_t nobjs;
	struct match_query *q;
	char **refs;
	size_t n;
};
/* match_records_read: the records of `path` ("-": stdin) added to `rs`
 * (zeroed first by the caller); a line that is no record is named on
 * stderr and counted in *bad. */
int match_records_read(const char *path, struct match_records *rs, long *bad, herr *e);
void match_records_release(struct match_records *rs);

#endif
