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

const char *match_arena_strdup(struct arena *a, const char *s)
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

void match_arena_release(struct arena *a)
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
		return match_arena_strdup(a, key);
	skip = last ? total - words : 0;
	for (p = key; skip > 0; p++)
		if (*p == ' ')
			skip--;
	for (end = p; *end; end++)
		if (*end == ' ' && --words == 0)
			break;
	snprintf(buf, sizeof(buf), "%.*s", (int)(end - p), p);
	return match_arena_strdup(a, buf);
}

static int count_words(const char *s)
{
	int n = *s ? 1 : 0;

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* ------------------------------------------------------------------------
 * Words of a folded name, in any order
 * ---------------------------------------------------------------------- */

#define KEY_WORDS 8

/* The words of a key, sorted: pointers into the key and their lengths. */
struct kwords {
	const char *w[KEY_WORDS + 1];
	unsigned char len[KEY_WORDS + 1];
	int n;
	int first, last; /* the sorted places of the key's first and last words */
};

static int word_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

/* The words of a key, sorted (more than KEY_WORDS: the rest is one word). */
static void sorted_words(const char *key, struct kwords *k)
{
	const char *p = key;

	k->n = 0;
	while (*p && k->n < KEY_WORDS) {
		const char *end = k->n == KEY_WORDS - 1 ? p + strlen(p) : strchr(p, ' ');
		int i;

		if (!end)
			end = p + strlen(p);
		/* insertion in order */
		for (i = k->n;
		     i > 0 && word_cmp(k->w[i - 1], k->len[i - 1], p, (size_t)(end - p)) > 0; i--) {
			k->w[i] = k->w[i - 1];
			k->len[i] = k->len[i - 1];
		}
		k->w[i] = p;
		k->len[i] = (unsigned char)(end - p > 255 ? 255 : end - p);
		k->n++;
		p = *end ? end + 1 : end;
	}
	k->first = k->last = 0;
	for (int i = 0; i < k->n; i++) {
		if (k->w[i] == key)
			k->first = i;
		if (k->w[i] + k->len[i] == key + strlen(key))
			k->last = i;
	}
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/*
 * The hash of the words (as match_hash(kind, "w1 w2 ... tail") would give
 * it), leaving out word `skip` (-1: none), cutting word `cut` (-1: none)
 * to its first letter (cut_end 0) or to "*" and its last two (cut_end 1;
 * a word of two letters or one is left out), and then `tail` (a year, a
 * day; NULL: none).  The cut word goes back in
 * sorted order: "thanh thi" cut to "t thi" and "tahnh thi" cut to "t thi"
 * meet.  Written to `out` too when it is not NULL.
 */
static uint64_t words_hash(const char *kind, const struct kwords *k, int skip, int cut, int cut_end,
			   const char *tail, char *out, size_t size)
{
	char part[4];
	size_t plen = 0, olen = 0;
	const char *w[KEY_WORDS + 1];
	size_t wl[KEY_WORDS + 1];
	int n = 0, placed;
	uint64_t h = fnv(1469598103934665603ull, kind, strlen(kind));

	h = (h ^ '|') * 1099511628211ull;
	/* a word of two letters or one has no letters before its last two:
	 * cut to them, it is left out */
	if (cut >= 0 && cut_end && k->len[cut] <= 2) {
		skip = cut;
		cut = -1;
	}
	placed = cut < 0;
	if (cut >= 0) {
		size_t l = k->len[cut];

		if (cut_end) {
			part[0] = '*';
			plen = l > 2 ? 2 : l;
			memcpy(part + 1, k->w[cut] + l - plen, plen);
			plen++;
		} else {
			part[0] = k->w[cut][0];
			plen = 1;
		}
	}
	for (int i = 0; i < k->n; i++) {
		if (i == skip || i == cut)
			continue;
		if (!placed && word_cmp(part, plen, k->w[i], k->len[i]) <= 0) {
			w[n] = part;
			wl[n++] = plen;
			placed = 1;
		}
		w[n] = k->w[i];
		wl[n++] = k->len[i];
	}
	if (!placed) {
		w[n] = part;
		wl[n++] = plen;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			h = (h ^ ' ') * 1099511628211ull;
		h = fnv(h, w[i], wl[i]);
		if (out && olen + wl[i] + 2 < size) {
			if (i)
				out[olen++] = ' ';
			memcpy(out + olen, w[i], wl[i]);
			olen += wl[i];
		}
	}
	if (out)
		out[olen] = '\0';
	if (tail) {
		h = (h ^ ' ') * 1099511628211ull;
		h = fnv(h, tail, strlen(tail));
	}
	return h;
}

static void parent(struct arena *a, const char *raw, const char **name, const char **key)
{
	struct vn_name n;

	*name = *key = NULL;
	if (empty(raw) || vn_name_parse(raw, &n, NULL) < 0 || !n.key[0])
		return;
	*name = match_arena_strdup(a, n.full);
	*key = match_arena_strdup(a, n.key);
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
			p->id = match_arena_strdup(a, f->id_number);
			have_id = vn_id_parse(f->id_number, &id, NULL, NULL) == 0 &&
				  id.kind == VN_ID_PERSONAL;
		} else if (vn_id_parse(f->id_number, &id, NULL, NULL) == 0 &&
			   id.kind == VN_ID_PERSONAL) {
			p->id = match_arena_strdup(a, id.digits);
			have_id = 1;
		}
	}
	if (strict && !p->id)
		return herr_set(e, HT_EXIT_PARTIAL, "id_number \"%s\" is not a 12-digit number",
				f->id_number ? f->id_number : "");
	/* name */
	if (!empty(f->full_name) && vn_name_parse(f->full_name, &n, NULL) == 0 && n.key[0]) {
		int sw = count_words(n.surname), gw = count_words(n.given);
		struct kwords kw;
		char tk[VN_NAME_MAX];

		p->name = match_arena_strdup(a, n.full);
		p->key = match_arena_strdup(a, n.key);
		sorted_words(n.key, &kw);
		words_hash("", &kw, -1, -1, 0, NULL, tk, sizeof(tk));
		p->tkey = strcmp(tk, n.key) ? match_arena_strdup(a, tk) : p->key;
		p->plain = 1;
		for (const char *ch = p->name; *ch; ch++)
			if ((unsigned char)*ch >= 0x80)
				p->plain = 0;
		p->hname = (uint32_t)match_hash("", p->name);
		p->hkey = (uint32_t)match_hash("", p->key);
		p->htkey = (uint32_t)match_hash("", p->tkey);
		for (const char *w = p->key; *w && p->nw < MATCH_WORDS; p->nw++) {
			size_t len = p->nw == MATCH_WORDS - 1 ? strlen(w) : strcspn(w, " ");

			p->whash[p->nw] = (uint32_t)fnv(1469598103934665603ull, w, len);
			p->wlen[p->nw] = (unsigned char)(len > 255 ? 255 : len);
			p->wmask[p->nw] = letter_mask(w, len);
			w += len;
			while (*w == ' ')
				w++;
		}
		/* the clan name comes last in Ê Đê and Jrai names */
		p->skey = key_words(a, n.key, sw ? sw : 1, n.clan_last);
		p->gkey = key_words(a, n.key, gw ? gw : 1, !n.clan_last);
		p->glen = (unsigned char)(strlen(p->gkey) > 255 ? 255 : strlen(p->gkey));
		p->gmask = letter_mask(p->gkey, p->glen);
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

const char *match_rule_name(enum match_rule r)
{
	static const char *const names[MR_N] = {
		[MR_ID] = "id number",
		[MR_DOB] = "date of birth",
		[MR_NAME_YEAR] = "name + year",
		[MR_NAME_DAY] = "name + day",
		[MR_NAME] = "name alone",
		[MR_MIDDLE_YEAR] = "name less a middle name + year",
		[MR_MIDDLE_DAY] = "name less a middle name + day",
		[MR_INITIAL_YEAR] = "name with a word's initial + year",
		[MR_FINAL_YEAR] = "name with a word's last letters + year",
		[MR_INITIAL_DAY] = "name with a word's initial + day",
		[MR_FINAL_DAY] = "name with a word's last letters + day",
		[MR_NAME_MDAY] = "name + day of the month",
		[MR_PARENTS] = "father's and mother's names",
	};

	return (unsigned)r < MR_N ? names[r] : "?";
}

/*
 * The blocks a person falls in: a registry entry is indexed under them, a
 * record looks in them (the name alone only when it has no full date of
 * birth).  Each rule reaches the people whose records have some error the
 * others cannot bear:
 *
 *   id number        its first six digits (province, century and sex,
 *                    year) with each three of the random six, and the
 *                    random six: one digit wrong leaves one of them intact
 *   date of birth    the full date, any name (a name mistyped or misread)
 *   name + year      the words of the name in any order and the year: a
 *                    day or a month wrong, a name written surname last
 *   name + day       the same with the day and month: a year wrong
 *   name alone       the words of the name, for a record without a full
 *                    date (blocks of common names are large, and capped)
 *   name less a middle name + year, + day
 *                    each middle name left out in turn: a middle name
 *                    dropped or added, and a date wrong; these share their
 *                    hashes with "name + year" and "name + day", so that
 *                    "Nguyễn Lan" meets "Nguyễn Thị Lan"
 *   name with a word's initial + year, + day
 *                    each word cut to its first letter in turn: a word
 *                    mistyped after its first letter, and a date wrong
 *   name with a word's last letters + year, + day
 *                    each word cut to its last two letters in turn (a word
 *                    of two letters left out): a word mistyped before them
 *                    ("Iên" for "Liên", "Xê" for "Lê"), and a date wrong
 *
 * A name of more than KEY_WORDS words keeps the rest as one word.
 */
int person_keys(const struct mperson *p, uint64_t keys[MATCH_KEYS], unsigned char rules[MATCH_KEYS])
{
	char buf[32], year[8], day[8];
	int n = 0, full = p->dob.year && p->dob.month && p->dob.day;
	struct kwords kw;

	if (p->id) {
		/* the six digits of province, century and sex, year, then two
		 * threes of random ones: one digit wrong leaves two of the three
		 * parts intact */
		snprintf(buf, sizeof(buf), "%.9s", p->id);
		rules[n] = MR_ID;
		keys[n++] = match_hash("ida", buf);
		snprintf(buf, sizeof(buf), "%.6s%.3s", p->id, p->id + 9);
		rules[n] = MR_ID;
		keys[n++] = match_hash("idb", buf);
		rules[n] = MR_ID;
		keys[n++] = match_hash("idc", p->id + 6);
	}
	if (full) {
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", p->dob.year % 10000,
			 p->dob.month % 100, p->dob.day % 100);
		rules[n] = MR_DOB;
		keys[n++] = match_hash("dob", buf);
	}
	if (p->father_key && p->mother_key) {
		/* both parents' names: a birth record whose name and date both
		 * have an error still meets the person among their siblings */
		uint64_t h = match_hash("pa", p->father_key);

		h = (h ^ '|') * 1099511628211ull;
		for (const char *s = p->mother_key; *s; s++)
			h = (h ^ (unsigned char)*s) * 1099511628211ull;
		rules[n] = MR_PARENTS;
		keys[n++] = h;
	}
	if (!p->key)
		return n;
	sorted_words(p->key, &kw);
	if (p->dob.year) {
		snprintf(year, sizeof(year), "%04d", p->dob.year % 10000);
		rules[n] = MR_NAME_YEAR;
		keys[n++] = words_hash("ny", &kw, -1, -1, 0, year, NULL, 0);
		/* each middle name left out: a word neither first nor last */
		for (int i = 0; kw.n >= 3 && i < kw.n; i++)
			if (i != kw.first && i != kw.last) {
				rules[n] = MR_MIDDLE_YEAR;
				keys[n++] = words_hash("ny", &kw, i, -1, 0, year, NULL, 0);
			}
		/* each word cut to its initial, and to its last two letters */
		for (int i = 0; i < kw.n; i++) {
			rules[n] = MR_INITIAL_YEAR;
			keys[n++] = words_hash("iy", &kw, -1, i, 0, year, NULL, 0);
		}
		for (int i = 0; i < kw.n; i++) {
			rules[n] = MR_FINAL_YEAR;
			keys[n++] = words_hash("fy", &kw, -1, i, 1, year, NULL, 0);
		}
	}
	if (full) {
		snprintf(day, sizeof(day), "%02d-%02d", p->dob.month % 100, p->dob.day % 100);
		rules[n] = MR_NAME_DAY;
		keys[n++] = words_hash("nd", &kw, -1, -1, 0, day, NULL, 0);
		/* the day of the month alone: the year's last digit and the
		 * month's first swapped (1960-11-20 typed 1961-01-20) change both */
		snprintf(day, sizeof(day), "%02d", p->dob.day % 100);
		rules[n] = MR_NAME_MDAY;
		keys[n++] = words_hash("nm", &kw, -1, -1, 0, day, NULL, 0);
		snprintf(day, sizeof(day), "%02d-%02d", p->dob.month % 100, p->dob.day % 100);
		/* each middle name left out, and each word cut to its initial */
		for (int i = 0; kw.n >= 3 && i < kw.n; i++)
			if (i != kw.first && i != kw.last) {
				rules[n] = MR_MIDDLE_DAY;
				keys[n++] = words_hash("nd", &kw, i, -1, 0, day, NULL, 0);
			}
		for (int i = 0; i < kw.n; i++) {
			rules[n] = MR_INITIAL_DAY;
			keys[n++] = words_hash("id", &kw, -1, i, 0, day, NULL, 0);
		}
		for (int i = 0; i < kw.n; i++) {
			rules[n] = MR_FINAL_DAY;
			keys[n++] = words_hash("fd", &kw, -1, i, 1, day, NULL, 0);
		}
	}
	/* the name alone: a record without a full date looks in it */
	rules[n] = MR_NAME;
	keys[n++] = match_hash("n", p->tkey);
	return n;
}
