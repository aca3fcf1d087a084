/*
 * person.c — the roles of each document type, a person's fields normalized
 * for comparison, and the blocking keys.
 */
#include <stdlib.h>
#include <string.h>

#include "match_internal.h"

/* ------------------------------------------------------------------------
 * Roles (the contract's fields of each doc_type)
 * ---------------------------------------------------------------------- */

static const struct match_role roles_khai_sinh[] = {
	{ "subject", "", "full_name", "dob", "id_number", "birthplace", "father_name",
	  "mother_name", "sex", NULL, 1, NULL, NULL },
};
static const struct match_role roles_khai_tu[] = {
	{ "subject", "", "full_name", "dob", "id_number", NULL, NULL, NULL, "sex", NULL, 1, NULL,
	  NULL },
};
static const struct match_role roles_ket_hon[] = {
	{ "husband", "#husband", "husband_name", "husband_dob", "husband_id_number", NULL, NULL,
	  NULL, NULL, "nam", 0, NULL, NULL },
	{ "wife", "#wife", "wife_name", "wife_dob", "wife_id_number", NULL, NULL, NULL, NULL, "nu",
	  0, NULL, NULL },
};
static const struct match_role roles_cmc[] = {
	{ "parent", "#parent", "parent_name", "parent_dob", "parent_id_number", NULL, NULL, NULL,
	  "parent_sex", NULL, 0, NULL, NULL },
	/* the recognized parent is the child's father ("nhận cha") or mother */
	{ "child", "#child", "child_name", "child_dob", "child_id_number", NULL, NULL, NULL, NULL,
	  NULL, 0, "parent_name", "parent_sex" },
};
static const struct match_role roles_tthc[] = {
	{ "applicant", "", "applicant_name", NULL, "applicant_id_number", NULL, NULL, NULL, NULL,
	  NULL, 0, NULL, NULL },
};

int match_roles(const char *doc_type, const struct match_role **out)
{
	static const struct {
		const char *doc_type;
		const struct match_role *roles;
		int n;
	} table[] = {
		{ "khai_sinh", roles_khai_sinh, 1 }, { "khai_tu", roles_khai_tu, 1 },
		{ "ket_hon", roles_ket_hon, 2 },     { "nhan_cha_me_con", roles_cmc, 2 },
		{ "tthc_receipt", roles_tthc, 1 },
	};
	size_t i;

	*out = NULL;
	for (i = 0; doc_type && i < HT_ARRAY_LEN(table); i++)
		if (!strcmp(table[i].doc_type, doc_type)) {
			*out = table[i].roles;
			return table[i].n;
		}
	return 0;
}

static const char *get_field(const char *(*get)(void *, const char *), void *ctx, const char *name)
{
	return name ? get(ctx, name) : NULL;
}

void match_role_fields(const struct match_role *ro, const char *(*get)(void *ctx, const char *name),
		       void *ctx, struct match_fields *out)
{
	memset(out, 0, sizeof(*out));
	out->full_name = get_field(get, ctx, ro->name);
	out->dob = get_field(get, ctx, ro->dob);
	out->id_number = get_field(get, ctx, ro->id_number);
	out->birthplace = get_field(get, ctx, ro->birthplace);
	out->father_name = get_field(get, ctx, ro->father_name);
	out->mother_name = get_field(get, ctx, ro->mother_name);
	out->sex = ro->sex_field ? get_field(get, ctx, ro->sex_field) : ro->sex_value;
	if (ro->parent_name_field) {
		const char *pn = get_field(get, ctx, ro->parent_name_field);
		const char *ps = get_field(get, ctx, ro->parent_sex_field);

		if (pn && ps && !strcmp(ps, "nam") && !out->father_name)
			out->father_name = pn;
		else if (pn && ps && !strcmp(ps, "nu") && !out->mother_name)
			out->mother_name = pn;
	}
}

/* ------------------------------------------------------------------------
 * Arena
 * ---------------------------------------------------------------------- */

#define ARENA_CHUNK (1u << 20)

const char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if (n > a->left) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		a->chunks = xrealloc(a->chunks, (a->nchunks + 1) * sizeof(*a->chunks));
		a->chunks[a->nchunks++] = a->cur = xmalloc(size);
		a->left = size;
	}
	p = a->cur;
	memcpy(p, s, n);
	a->cur += n;
	a->left -= n;
	return p;
}

void arena_release(struct arena *a)
{
	for (size_t i = 0; i < a->nchunks; i++)
		free(a->chunks[i]);
	free(a->chunks);
	memset(a, 0, sizeof(*a));
}

/* ------------------------------------------------------------------------
 * Normalization
 * ---------------------------------------------------------------------- */

static int empty(const char *s)
{
	return !s || !*s;
}

/* "2001-03-05", "2001-03", "2001" quickly; anything else by vn_date_parse. */
static int parse_dob(const char *s, struct vn_date *d)
{
	size_t n = strlen(s);
	int ok = n == 4 || (n == 7 && s[4] == '-') || (n == 10 && s[4] == '-' && s[7] == '-');
	herr e = { 0 };

	memset(d, 0, sizeof(*d));
	for (size_t i = 0; ok && i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			ok = 0;
	if (ok) {
		d->year = (int)strtol(s, NULL, 10);
		d->month = n >= 7 ? (int)strtol(s + 5, NULL, 10) : 0;
		d->day = n == 10 ? (int)strtol(s + 8, NULL, 10) : 0;
		if (d->year >= 1850 && d->year <= 2100 && d->month <= 12 && d->day <= 31)
			return 0;
		memset(d, 0, sizeof(*d));
	}
	return vn_date_parse(s, d, NULL, &e);
}

/* The first `words` words of a folded key, or the last ones. */
static const char *key_words(struct arena *a, const char *key, int words, int last)
{
	const char *p = key, *end;
	char buf[VN_NAME_MAX];
	int total = 1, skip;

	for (p = key; *p; p++)
		total += *p == ' ';
	if (words >= total)
		return arena_strdup(a, key);
	skip = last ? total - words : 0;
	for (p = key; skip > 0; p++)
		if (*p == ' ')
			skip--;
	for (end = p; *end; end++)
		if (*end == ' ' && --words == 0)
			break;
	snprintf(buf, sizeof(buf), "%.*s", (int)(end - p), p);
	return arena_strdup(a, buf);
}

static int count_words(const char *s)
{
	int n = *s ? 1 : 0;

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static void parent(struct arena *a, const char *raw, const char **name, const char **key)
{
	struct vn_name n;

	*name = *key = NULL;
	if (empty(raw) || vn_name_parse(raw, &n, NULL) < 0 || !n.key[0])
		return;
	*name = arena_strdup(a, n.full);
	*key = arena_strdup(a, n.key);
}

int person_from_fields(const struct match_fields *f, int strict, struct arena *a, struct mperson *p,
		       herr *e)
{
	struct vn_name n;
	struct vn_id id;
	int have_id = 0;

	memset(p, 0, sizeof(*p));
	p->id_fits = 2;
	/* ID number: 12 digits (a 9-digit CMND is not in the registry) */
	if (!empty(f->id_number)) {
		size_t len = strlen(f->id_number);
		int digits = len == 12;

		for (size_t i = 0; digits && i < len; i++)
			digits = f->id_number[i] >= '0' && f->id_number[i] <= '9';
		if (digits) {
			p->id = arena_strdup(a, f->id_number);
			have_id = vn_id_parse(f->id_number, &id, NULL, NULL) == 0 &&
				  id.kind == VN_ID_PERSONAL;
		} else if (vn_id_parse(f->id_number, &id, NULL, NULL) == 0 &&
			   id.kind == VN_ID_PERSONAL) {
			p->id = arena_strdup(a, id.digits);
			have_id = 1;
		}
	}
	if (strict && !p->id)
		return herr_set(e, HT_EXIT_PARTIAL, "id_number \"%s\" is not a 12-digit number",
				f->id_number ? f->id_number : "");
	/* name */
	if (!empty(f->full_name) && vn_name_parse(f->full_name, &n, NULL) == 0 && n.key[0]) {
		int sw = count_words(n.surname), gw = count_words(n.given);

		p->name = arena_strdup(a, n.full);
		p->key = arena_strdup(a, n.key);
		/* the clan name comes last in Ê Đê and Jrai names */
		p->skey = key_words(a, n.key, sw ? sw : 1, n.clan_last);
		p->gkey = key_words(a, n.key, gw ? gw : 1, !n.clan_last);
	}
	if (strict && !p->name)
		return herr_set(e, HT_EXIT_PARTIAL, "full_name is empty");
	if (!empty(f->dob))
		parse_dob(f->dob, &p->dob);
	if (!empty(f->sex)) {
		if (!strcmp(f->sex, "nam"))
			p->sex = VN_SEX_MALE;
		else if (!strcmp(f->sex, "nu"))
			p->sex = VN_SEX_FEMALE;
		else
			p->sex = (unsigned char)vn_sex_parse(f->sex, NULL);
	}
	parent(a, f->father_name, &p->father, &p->father_key);
	parent(a, f->mother_name, &p->mother, &p->mother_key);
	/*
	 * The birth province: a record's from its birthplace; a citizen's from
	 * the ID's province code, where the birth was registered (a record's
	 * ID is compared on its own: its province would count twice).  Both
	 * the province before July 2025 (as an ID codes it: Hà Tây's places
	 * are Hà Nội's) and the one since, for places printed since then.
	 */
	if (!strict && !empty(f->birthplace)) {
		struct vn_place pl;

		if (vn_place_parse(f->birthplace, &pl, NULL) == 0) {
			memcpy(p->prov, pl.province_id, 4);
			memcpy(p->prov_now, pl.province_now_code, 4);
		}
	}
	if (strict && have_id) {
		const char *now = vn_province_now_code(id.province);

		memcpy(p->prov, id.province, 4);
		if (now)
			memcpy(p->prov_now, now, 4);
	}
	/* does the ID fit the person's own date of birth and sex? */
	if (have_id && (p->dob.year || p->sex)) {
		herr ie = { 0 };

		p->id_fits =
		    vn_id_consistent(&id, p->dob.year ? &p->dob : NULL, (enum vn_sex)p->sex, &ie)
			? 1
			: 0;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Blocking keys
 * ---------------------------------------------------------------------- */

uint64_t match_hash(const char *kind, const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *kind; kind++)
		h = (h ^ (unsigned char)*kind) * 1099511628211ull;
	h = (h ^ '|') * 1099511628211ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/*
 * The blocks a person falls in.  A registry entry is indexed under all of
 * them; a record looks in those its fields allow: with a full date of
 * birth, the date itself (any name), the name with the year (any day) and
 * the name with the day and month (a misread year); without one, the name
 * alone (blocks of common names are large, and capped).  The ID number
 * by its first eight and its last six digits: an ID with one digit
 * misread still shares one of them.
 */
int person_keys(const struct mperson *p, int query, uint64_t keys[MATCH_KEYS],
		int kinds[MATCH_KEYS])
{
	char buf[VN_NAME_MAX + 16];
	int n = 0, full = p->dob.year && p->dob.month && p->dob.day;

	if (p->id) {
		/* one misread digit leaves the first eight or the last six intact */
		snprintf(buf, sizeof(buf), "%.8s", p->id);
		kinds[n] = BK_ID_HEAD;
		keys[n++] = match_hash("idh", buf);
		kinds[n] = BK_ID_TAIL;
		keys[n++] = match_hash("idt", p->id + 6);
	}
	if (full) {
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", p->dob.year, p->dob.month, p->dob.day);
		kinds[n] = BK_DOB;
		keys[n++] = match_hash("dob", buf);
	}
	if (p->key) {
		if (p->dob.year) {
			snprintf(buf, sizeof(buf), "%s %04d", p->key, p->dob.year);
			kinds[n] = BK_NAME_YEAR;
			keys[n++] = match_hash("ny", buf);
		}
		if (full) {
			snprintf(buf, sizeof(buf), "%s %02d-%02d", p->key, p->dob.month,
				 p->dob.day);
			kinds[n] = BK_NAME_DAY;
			keys[n++] = match_hash("nd", buf);
		}
		if (!query || !full) {
			kinds[n] = BK_NAME;
			keys[n++] = match_hash("n", p->key);
		}
	}
	return n;
}
