/*
 * format.c — how values read on the records are shown to the people who
 * use the application: dates as dd/mm/yyyy, times in the server's zone
 * with the zone, sexes as Nam/Nữ, document types, statuses, actions and
 * fields by their Vietnamese names (the fields as the forms print them),
 * the reasons the OCR stage flagged a value, and numbers with the
 * language's separators.  Everything is looked up in the request's
 * language; the tables hold the English messages (the catalogue's msgids).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "web_internal.h"

static const char *lookup(struct web_req *q, const char *const (*map)[2], size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (!strcmp(map[i][0], key))
			return i18n_get(q->lang, map[i][1]);
	return NULL;
}

#define LOOKUP(q, map, key) lookup(q, map, HT_ARRAY_LEN(map), key)

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void web_fmt_date(strbuf *b, const char *iso)
{
	size_t n = iso ? strlen(iso) : 0;

	if (!n) {
		strbuf_addstr(b, "—");
	} else if (n == 10 && iso[4] == '-' && iso[7] == '-' && all_digits(iso, 4) &&
		   all_digits(iso + 5, 2) && all_digits(iso + 8, 2)) {
		strbuf_addf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	} else if (n == 7 && iso[4] == '-' && all_digits(iso, 4) && all_digits(iso + 5, 2)) {
		strbuf_addf(b, "%.2s/%.4s", iso + 5, iso);
	} else {
		web_html_esc(b, iso);
	}
}

void web_fmt_zone(strbuf *b)
{
	time_t now = time(NULL);
	struct tm tm;
	long off;

	localtime_r(&now, &tm);
	off = tm.tm_gmtoff;
	strbuf_addstr(b, "GMT");
	if (off) {
		strbuf_addch(b, off < 0 ? '-' : '+');
		off = off < 0 ? -off : off;
		strbuf_addf(b, "%ld", off / 3600);
		if (off % 3600)
			strbuf_addf(b, ":%02ld", off % 3600 / 60);
	}
}

void web_fmt_time(strbuf *b, const char *epoch)
{
	char *end;
	long long v = epoch ? strtoll(epoch, &end, 10) : 0;
	time_t t;
	struct tm tm;
	char buf[32];

	if (!epoch || !*epoch || *end) {
		strbuf_addstr(b, "—");
		return;
	}
	t = (time_t)v;
	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%d/%m/%Y %H:%M", &tm);
	strbuf_addstr(b, buf);
}

static const char *const sexes[][2] = {
	{ "nam", N_("Male") },
	{ "nu", N_("Female") },
};

const char *web_sex_label(struct web_req *q, const char *code)
{
	const char *l = LOOKUP(q, sexes, code);

	return l ? l : code ? code : "";
}

static const char *const doc_types[][2] = {
	{ "khai_sinh", N_("Birth registration") },
	{ "khai_tu", N_("Death registration") },
	{ "ket_hon", N_("Marriage registration") },
	{ "nhan_cha_me_con", N_("Parent-child recognition") },
	{ "tthc_receipt", N_("Dossier receipt") },
	{ "unknown", N_("Unrecognized page") },
};

const char *web_doc_type_label(struct web_req *q, const char *t)
{
	const char *l = LOOKUP(q, doc_types, t);

	return l ? l : t ? t : "";
}

static const char *const roles[][2] = {
	{ "subject", N_("Registered person") },
	{ "husband", N_("Husband") },
	{ "wife", N_("Wife") },
	{ "parent", N_("Father or mother") },
	{ "child", N_("Child") },
	{ "applicant", N_("Applicant") },
};

const char *web_role_label(struct web_req *q, const char *role)
{
	const char *l = LOOKUP(q, roles, role);

	return l ? l : role ? role : "";
}

static const char *const statuses[][2] = {
	{ "auto", N_("Linked automatically") }, { "review", N_("Waiting for review") },
	{ "none", N_("No citizen found") },	{ "confirmed", N_("Confirmed") },
	{ "rejected", N_("No match") },
};

const char *web_status_label(struct web_req *q, const char *st)
{
	const char *l = LOOKUP(q, statuses, st);

	return l ? l : st ? st : "";
}

static const char *const actions[][2] = {
	{ "confirm", N_("Confirmed a candidate") },
	{ "pick", N_("Linked another citizen") },
	{ "no_match", N_("Decided: no match") },
	{ "correct_field", N_("Corrected a value") },
	{ "accept_field", N_("Kept a value as read") },
	{ "reopen", N_("Reopened a link") },
};

const char *web_action_label(struct web_req *q, const char *a)
{
	const char *l = LOOKUP(q, actions, a);

	return l ? l : a ? a : "";
}

/* The fields, as the forms of the civil-status law print their labels. */
static const char *const fields[][2] = {
	{ "full_name", N_("Full name") },
	{ "dob", N_("Date of birth") },
	{ "sex", N_("Sex") },
	{ "ethnicity", N_("Ethnicity") },
	{ "nationality", N_("Nationality") },
	{ "birthplace", N_("Place of birth") },
	{ "hometown", N_("Home town") },
	{ "residence", N_("Place of residence") },
	{ "id_number", N_("Personal ID number") },
	{ "cmnd_number", N_("Identity card number") },
	{ "passport_number", N_("Passport number") },
	{ "father_name", N_("Father's full name") },
	{ "mother_name", N_("Mother's full name") },
	{ "register_no", N_("Register number") },
	{ "book_no", N_("Book number") },
	{ "registry_office", N_("Place of registration") },
	{ "registered_on", N_("Date of registration") },
	{ "died_on", N_("Died on") },
	{ "death_place", N_("Place of death") },
	{ "death_cause", N_("Cause of death") },
	{ "husband_name", N_("Husband's full name") },
	{ "wife_name", N_("Wife's full name") },
	{ "parent_name", N_("Full name of the father or mother") },
	{ "parent_sex", N_("Recognized as father or mother") },
	{ "child_name", N_("Child's full name") },
	{ "applicant_name", N_("Applicant's full name") },
	{ "dossier_code", N_("Dossier code") },
	{ "procedure_name", N_("Requested procedure") },
	{ "received_on", N_("Dossier received on") },
	{ "due_on", N_("Results due on") },
};

/* "husband_dob": the field of a person of a two-person document */
static const char *const whose[][2] = {
	{ "husband_", N_("husband") },	       { "wife_", N_("wife") },
	{ "parent_", N_("father or mother") }, { "child_", N_("child") },
	{ "applicant_", N_("applicant") },
};

void web_field_label(struct web_req *q, strbuf *b, const char *f)
{
	const char *l = LOOKUP(q, fields, f);

	if (l) {
		web_html_esc(b, l);
		return;
	}
	for (size_t i = 0; f && i < HT_ARRAY_LEN(whose); i++) {
		size_t n = strlen(whose[i][0]);
		const char *base;

		if (strncmp(f, whose[i][0], n) || !(base = LOOKUP(q, fields, f + n)))
			continue;
		web_html_esc(b, base);
		strbuf_addstr(b, " (");
		web_html_esc(b, i18n_get(q->lang, whose[i][1]));
		strbuf_addch(b, ')');
		return;
	}
	web_html_esc(b, f);
}

/* Where a field comes on the forms: its person, then its place among the
 * person's fields; the register's number first, the office and date last. */
static int field_rank(const char *f)
{
	static const char *const order[] = {
		"register_no",	"book_no",
		"dossier_code", "procedure_name",
		"received_on",	"due_on",
		"full_name",	"name",
		"dob",		"sex",
		"ethnicity",	"nationality",
		"birthplace",	"hometown",
		"residence",	"id_number",
		"cmnd_number",	"passport_number",
		"father_name",	"mother_name",
		"died_on",	"death_place",
		"death_cause",
	};
	static const char *const people[] = { "",	 "husband_", "wife_",
					      "parent_", "child_",   "applicant_" };
	int group = 0;
	const char *base = f;

	for (size_t k = 1; k < HT_ARRAY_LEN(people); k++)
		if (!strncmp(f, people[k], strlen(people[k]))) {
			group = (int)k;
			base = f + strlen(people[k]);
			break;
		}
	if (!strcmp(f, "registry_office"))
		return 9000;
	if (!strcmp(f, "registered_on"))
		return 9001;
	for (size_t i = 0; i < HT_ARRAY_LEN(order); i++)
		if (!strcmp(base, order[i]))
			return (i < 6 ? 0 : 1000 + group * 100) + (int)i;
	return 8000;
}

static int cmp_rank(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = field_rank(x), ry = field_rank(y);

	return rx != ry ? (rx < ry ? -1 : 1) : strcmp(x, y);
}

size_t web_fields_in_order(json_t *obj, const char ***keys)
{
	const char *key;
	json_t *fv;
	size_t n = 0;

	*keys = xcalloc(json_object_size(obj) + 1, sizeof(**keys));
	json_object_foreach(obj, key, fv)
	{
		(void)fv;
		(*keys)[n++] = key;
	}
	qsort(*keys, n, sizeof(**keys), cmp_rank);
	return n;
}

static int is_date_field(const char *f)
{
	size_t n = strlen(f);

	return !strcmp(f, "dob") || (n > 4 && !strcmp(f + n - 4, "_dob")) ||
	       (n > 3 && !strcmp(f + n - 3, "_on"));
}

static int is_sex_field(const char *f)
{
	size_t n = strlen(f);

	return !strcmp(f, "sex") || (n > 4 && !strcmp(f + n - 4, "_sex"));
}

void web_fmt_value(struct web_req *q, strbuf *b, const char *field, const char *value)
{
	if (!value) {
		strbuf_addstr(b, "—");
		return;
	}
	if (field && is_date_field(field))
		web_fmt_date(b, value);
	else if (field && is_sex_field(field))
		web_html_esc(b, web_sex_label(q, value));
	else
		web_html_esc(b, value);
}

/* What the OCR stage writes as the reason a value needs a person (ocr/). */
static const char *const reasons[][2] = {
	{ "a letter was repaired", N_("a letter was repaired") },
	{ "a mark differs from a far more common name",
	  N_("a mark differs from a far more common name") },
	{ "a mark differs from a known phrase", N_("a mark differs from a known phrase") },
	{ "a misread mark repaired", N_("a misread mark was repaired") },
	{ "a name word repaired", N_("a word of the name was repaired") },
	{ "a rare name word, or a misread common one",
	  N_("a rare name word, or a misread common one") },
	{ "a word is not Vietnamese", N_("a word is not Vietnamese") },
	{ "digits and words disagree", N_("the date in digits and in words disagree") },
	{ "does not fit the date of birth or sex",
	  N_("does not fit the date of birth or the sex") },
	{ "illegible", N_("illegible") },
	{ "its date is not the day received", N_("its date is not the day received") },
	{ "label not found", N_("the label was not found on the page") },
	{ "letters read as digits", N_("letters were read as digits") },
	{ "low confidence", N_("low confidence") },
	{ "nearest in the list", N_("taken as the nearest in the list") },
	{ "no value read", N_("no value was read") },
	{ "not a Vietnamese name", N_("not a Vietnamese name") },
	{ "not a passport number", N_("not a passport number") },
	{ "not an identity card number of 9 digits", N_("not a 9-digit identity card number") },
	{ "not in the form's format", N_("not in the form's format") },
	{ "not in the list", N_("not in the list") },
	{ "not the date in the dossier's code", N_("not the date in the dossier's code") },
	{ "one digit repaired to fit the date of birth",
	  N_("one digit was repaired to fit the date of birth") },
	{ "one word", N_("a name of one word") },
	{ "place not fully recognized", N_("the place was not fully recognized") },
	{ "place not recognized", N_("the place was not recognized") },
	{ "place repaired", N_("the place was repaired from the list of units") },
	{ "registered before birth", N_("registered before the birth") },
	{ "the ID line and the identity paper disagree",
	  N_("the ID line and the identity paper disagree") },
	{ "the middle name says otherwise", N_("the middle name says otherwise") },
	{ "the name differs", N_("the name differs") },
	{ "the name seems cut short", N_("the name seems cut short") },
	{ "the sex differs", N_("the sex differs") },
	{ "two citizens fit equally", N_("two citizens fit equally") },
	{ "two readings disagree", N_("two readings disagree") },
	{ "two-digit year", N_("a two-digit year") },
	{ "unknown surname", N_("an unknown surname") },
	{ "words run together were split", N_("words run together were split") },
};

const char *web_reason_label(struct web_req *q, const char *why)
{
	const char *l = LOOKUP(q, reasons, why);

	return l ? l : why ? why : "";
}

/* The comparisons of match/ (match_cmp_name) and their levels. */
static const char *const cmps[][2] = {
	{ "id", N_("ID number") },
	{ "name", N_("name") },
	{ "dob", N_("date of birth") },
	{ "sex", N_("sex") },
	{ "province", N_("birth province") },
	{ "father", N_("father") },
	{ "mother", N_("mother") },
};

const char *web_cmp_label(struct web_req *q, const char *c)
{
	const char *l = LOOKUP(q, cmps, c);

	return l ? l : c ? c : "";
}

static const char *const levels[][2] = {
	{ "exact", N_("exact") },
	{ "one misread digit", N_("one misread digit") },
	{ "two digits swapped", N_("two digits swapped") },
	{ "differs", N_("differs") },
	{ "differs, misread", N_("differs (misread)") },
	{ "same letters", N_("same letters") },
	{ "near", N_("near") },
	{ "similar", N_("similar") },
	{ "given name only", N_("given name only") },
	{ "agrees as far as known", N_("agrees as far as known") },
	{ "day and month swapped", N_("day and month swapped") },
	{ "one digit", N_("one digit differs") },
	{ "same year", N_("same year") },
	{ "agrees", N_("agrees") },
	{ "same", N_("same") },
	{ "missing", N_("missing") },
};

const char *web_level_label(struct web_req *q, const char *lv)
{
	const char *l = LOOKUP(q, levels, lv);

	return l ? l : lv ? lv : "";
}

void web_fmt_num(struct web_req *q, strbuf *b, long v)
{
	char digits[32];
	const char *sep = q->lang == LANG_VI ? "." : ",";
	int n, lead;

	if (v < 0) {
		strbuf_addch(b, '-');
		v = -v;
	}
	n = snprintf(digits, sizeof(digits), "%ld", v);
	lead = n % 3 ? n % 3 : 3;
	strbuf_add(b, digits, (size_t)lead);
	for (int i = lead; i < n; i += 3) {
		strbuf_addstr(b, sep);
		strbuf_add(b, digits + i, 3);
	}
}

void web_fmt_pct(struct web_req *q, strbuf *b, double pct)
{
	char buf[32];
	char *dot;

	snprintf(buf, sizeof(buf), "%.1f", pct);
	dot = strchr(buf, '.');
	if (dot && q->lang == LANG_VI)
		*dot = ',';
	strbuf_addstr(b, buf);
	strbuf_addch(b, '%');
}

/* A discrepancy of the match stage ("dob: 1990-01-02 / 1990-02-01", the
 * record's value, then the registry's): its field and values in words. */
void web_fmt_discrepancy(struct web_req *q, strbuf *b, const char *d)
{
	const char *colon = d ? strstr(d, ": ") : NULL;
	const char *slash = colon ? strstr(colon + 2, " / ") : NULL;
	char field[40];
	char *left;

	if (!colon || !slash || (size_t)(colon - d) >= sizeof(field) || strchr(slash + 3, '\n')) {
		web_html_esc(b, d ? d : "");
		return;
	}
	memcpy(field, d, (size_t)(colon - d));
	field[colon - d] = '\0';
	left = xstrndup(colon + 2, (size_t)(slash - colon - 2));
	if (!strcmp(field, "birth province"))
		web_html_esc(b, tr(q, "Birth province"));
	else
		web_field_label(q, b, field);
	strbuf_addstr(b, ": ");
	web_html_esc(b, tr(q, "on the record"));
	strbuf_addstr(b, " <strong>");
	web_fmt_value(q, b, field, left);
	strbuf_addstr(b, "</strong>, ");
	web_html_esc(b, tr(q, "in the registry"));
	strbuf_addstr(b, " <strong>");
	web_fmt_value(q, b, field, slash + 3);
	strbuf_addstr(b, "</strong>");
	free(left);
}
