/*
 * model.c — the Fellegi–Sunter model: prior m and u, u measured on random
 * pairs of the registry, the weight of a level, the version and the JSON
 * that make a score reproducible.
 *
 * A level's weight is log2(m / u): m the share of the level among pairs
 * that are one person, u among random pairs.  A pair's match weight is the
 * sum over the comparisons with a value on both sides (a missing value is
 * neutral); its probability is the logistic of that weight (in bits) plus
 * the log-odds of the prior lambda: the chance that a citizen drawn at
 * random is the person, the share of records whose person is in the
 * registry divided by the registry's size.  The blocks only spare the
 * comparisons whose probability would be negligible.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "match_internal.h"

/* What the levels look like among true pairs before estimation (records
 * read by OCR or typed, against a registry typed too). */
static const double prior_m[MC_N][MATCH_MAX_LEVELS] = {
	[MC_ID] = { 0.90, 0.03, 0.01, 0.02, 0.02, 0.02 },
	[MC_NAME] = { 0.70, 0.06, 0.04, 0.02, 0.02, 0.01, 0.05, 0.03, 0.01, 0.02, 0.02, 0.02 },
	[MC_DOB] = { 0.80, 0.05, 0.02, 0.02, 0.01, 0.02, 0.02, 0.03, 0.03 },
	[MC_SEX] = { 0.98, 0.02 },
	[MC_PROVINCE] = { 0.90, 0.10 },
	[MC_FATHER] = { 0.80, 0.12, 0.08 },
	[MC_MOTHER] = { 0.80, 0.12, 0.08 },
};
/* ... and among random pairs, until measured on the registry. */
static const double prior_u[MC_N][MATCH_MAX_LEVELS] = {
	[MC_ID] = { 1e-7, 1e-7, 1e-7, 1e-7, 0.9, 0.1 },
	[MC_NAME] = { 1e-4, 1e-4, 1e-5, 1e-5, 1e-5, 1e-4, 1e-4, 1e-3, 1e-4, 5e-3, 0.01, 0.98357 },
	[MC_DOB] = { 3e-5, 1e-3, 1e-5, 1e-4, 3e-5, 1e-4, 1e-5, 0.01, 0.98873 },
	[MC_SEX] = { 0.5, 0.5 },
	[MC_PROVINCE] = { 0.3, 0.7 },
	[MC_FATHER] = { 1e-4, 2e-3, 0.9979 },
	[MC_MOTHER] = { 1e-4, 2e-3, 0.9979 },
};

void match_model_defaults(struct match_model *m)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->m, prior_m, sizeof(m->m));
	memcpy(m->u, prior_u, sizeof(m->u));
	m->match_share = 0.9;
	m->lambda = 1e-6;
	m->auto_threshold = 0.985;
	m->review_threshold = 0.50;
	m->tf_names = 1;
	match_model_version(m);
}

double model_weight(const struct match_model *m, enum match_cmp c, int level)
{
	if (level == MATCH_MISSING)
		return 0.0;
	return log2(m->m[c][level] / m->u[c][level]);
}

/*
 * u from random pairs of the registry (each citizen against another drawn
 * by a fixed generator, so that the same registry gives the same model).
 * Levels no random pair reaches get a floor of half a pair in the sample;
 * the ID number: one chance in the registry's size of the same number, and
 * of one digit or two off (the registry's numbers one digit apart are
 * fewer than one in the registry's size per number: never stronger
 * evidence than the same number).
 */
void model_estimate_u(struct match_model *m, const struct match_registry *r, long pairs,
		      double query_partial)
{
	size_t n = match_registry_count(r), partial = 0, dated = 0;
	double count[MC_N][MATCH_MAX_LEVELS] = { { 0 } }, seen[MC_N] = { 0 }, years = 0,
	       same_year = 0;
	uint64_t s = 0x9E3779B97F4A7C15ull;

	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct vn_date *d = &registry_person(r, i)->dob;

		dated += d->year != 0;
		partial += d->year && !(d->month && d->day);
	}
	for (long k = 0; k < pairs; k++) {
		size_t i, j;
		int level[MC_N];

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		i = (size_t)(s % n);
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		j = (size_t)(s % n);
		if (i == j)
			continue;
		compare_people(registry_person(r, i), registry_person(r, j), level);
		for (int c = 0; c < MC_N; c++)
			if (level[c] != MATCH_MISSING) {
				count[c][level[c]]++;
				seen[c]++;
			}
		if (level[MC_DOB] != MATCH_MISSING) {
			years++;
			same_year +=
			    registry_person(r, i)->dob.year == registry_person(r, j)->dob.year;
		}
	}
	for (int c = 0; c < MC_N; c++) {
		double floor_u = 0.5 / (seen[c] > 0 ? seen[c] : 1);

		if (c == MC_ID)
			continue; /* below */
		if (seen[c] < 100)
			continue; /* too few: keep the prior */
		for (int l = 0; l < match_levels((enum match_cmp)c); l++) {
			double u = count[c][l] / seen[c];

			m->u[c][l] = u > floor_u ? u : floor_u;
		}
	}
	/* a random citizen has this ID, or one a digit or two off, once in n */
	for (int l = ID_EXACT; l <= ID_ONE_DIGIT; l++)
		m->u[MC_ID][l] = 1.0 / (double)n;
	/*
	 * A date known by its year only (or its month) agrees with a random
	 * citizen's as often as two birth years do, for the pairs where one
	 * side is partial: as many as the records and the registry have, not
	 * the registry alone (records give a year only more often).
	 */
	if (years >= 100 && dated) {
		double cp = (double)partial / (double)dated, qp = query_partial;
		double p = cp + qp - cp * qp, u = p * same_year / years;

		m->u[MC_DOB][DOB_PARTIAL] = u > 0.5 / years ? u : 0.5 / years;
	}
}

/* ------------------------------------------------------------------------
 * Version and JSON
 * ---------------------------------------------------------------------- */

static json_t *params_json(const struct match_model *m)
{
	json_t *o = json_object(), *cmps = json_object();

	json_object_set_new(o, "method", json_string("fellegi-sunter"));
	json_object_set_new(o, "match_share", json_real(m->match_share));
	json_object_set_new(o, "share_given", json_boolean(m->share_given));
	json_object_set_new(o, "lambda", json_real(m->lambda));
	json_object_set_new(o, "auto_threshold", json_real(m->auto_threshold));
	json_object_set_new(o, "review_threshold", json_real(m->review_threshold));
	json_object_set_new(o, "tf_names", json_boolean(m->tf_names));
	json_object_set_new(o, "em_iterations", json_integer(m->em_iterations));
	json_object_set_new(o, "em_pairs", json_integer(m->em_pairs));
	for (int c = 0; c < MC_N; c++) {
		json_t *cj = json_object(), *lv = json_array(), *mj = json_array(),
		       *uj = json_array();

		for (int l = 0; l < match_levels((enum match_cmp)c); l++) {
			json_array_append_new(lv,
					      json_string(match_level_name((enum match_cmp)c, l)));
			json_array_append_new(mj, json_real(m->m[c][l]));
			json_array_append_new(uj, json_real(m->u[c][l]));
		}
		json_object_set_new(cj, "levels", lv);
		json_object_set_new(cj, "m", mj);
		json_object_set_new(cj, "u", uj);
		json_object_set_new(cmps, match_cmp_name((enum match_cmp)c), cj);
	}
	json_object_set_new(o, "comparisons", cmps);
	return o;
}

void match_model_version(struct match_model *m)
{
	json_t *o = params_json(m);
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(12));
	uint64_t h = match_hash("model", s ? s : "");

	snprintf(m->version, sizeof(m->version), "fs2-%016llx", (unsigned long long)h);
	free(s);
	json_decref(o);
}

void match_model_json(const struct match_model *m, strbuf *out)
{
	json_t *o = params_json(m);
	char *s;

	json_object_set_new(o, "version", json_string(m->version));
	s = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(1) | JSON_REAL_PRECISION(12));
	if (s)
		strbuf_addstr(out, s);
	free(s);
	json_decref(o);
}

int match_model_from_json(struct match_model *m, const char *text, herr *e)
{
	json_error_t je;
	json_t *o = json_loads(text, 0, &je), *cmps, *v;
	int ok = 1;

	if (!o)
		return herr_set(e, HT_EXIT_USAGE, "model: line %d: %s", je.line, je.text);
	match_model_defaults(m);
	if ((v = json_object_get(o, "lambda")) && json_is_number(v))
		m->lambda = json_number_value(v);
	if ((v = json_object_get(o, "match_share")) && json_is_number(v))
		m->match_share = json_number_value(v);
	if ((v = json_object_get(o, "share_given")))
		m->share_given = json_is_true(v);
	if ((v = json_object_get(o, "auto_threshold")) && json_is_number(v))
		m->auto_threshold = json_number_value(v);
	if ((v = json_object_get(o, "review_threshold")) && json_is_number(v))
		m->review_threshold = json_number_value(v);
	if ((v = json_object_get(o, "tf_names")))
		m->tf_names = json_is_true(v);
	if ((v = json_object_get(o, "em_iterations")) && json_is_integer(v))
		m->em_iterations = (int)json_integer_value(v);
	if ((v = json_object_get(o, "em_pairs")) && json_is_integer(v))
		m->em_pairs = (long)json_integer_value(v);
	cmps = json_object_get(o, "comparisons");
	for (int c = 0; c < MC_N && cmps; c++) {
		json_t *cj = json_object_get(cmps, match_cmp_name((enum match_cmp)c));
		json_t *mj = cj ? json_object_get(cj, "m") : NULL,
		       *uj = cj ? json_object_get(cj, "u") : NULL;
		int nl = match_levels((enum match_cmp)c);

		if (!mj || !uj || (int)json_array_size(mj) != nl ||
		    (int)json_array_size(uj) != nl) {
			ok = 0;
			break;
		}
		for (int l = 0; l < nl; l++) {
			m->m[c][l] = json_number_value(json_array_get(mj, (size_t)l));
			m->u[c][l] = json_number_value(json_array_get(uj, (size_t)l));
			if (!(m->m[c][l] > 0) || !(m->u[c][l] > 0))
				ok = 0;
		}
	}
	json_decref(o);
	if (!ok || !cmps || !(m->lambda > 0 && m->lambda < 1))
		return herr_set(e, HT_EXIT_USAGE,
				"model: not a hotich match model (comparisons, m and u in (0, 1])");
	match_model_version(m);
	return 0;
}
