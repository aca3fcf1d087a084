/*
 * place.c — places as forms write them: "Xã Tân Quang, Huyện Văn Lâm,
 * Tỉnh Hưng Yên", "X. Tân Quang, H. Văn Lâm, T. Hưng Yên", "P.5, Q.3,
 * TP.HCM", or only the province.
 *
 * The units are resolved against the administrative list in force before
 * 1 July 2025 (63 provinces, 696 districts, 10,047 communes; old records
 * use those names) and each province is mapped to its successor of the
 * 2025 reorganisation; both are kept.  Matching is on folded keys, so tone
 * style and missing marks do not matter.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "normalize_internal.h"

/*
 * utf8_tail_fix: a string cut by snprintf at its buffer's end may end in
 * the middle of a character: drop that incomplete last character.
 */
static void utf8_tail_fix(char *s)
{
	size_t n = strlen(s), start = n, need;
	unsigned char c;

	if (!n)
		return;
	while (start > 0 && ((unsigned char)s[start - 1] & 0xc0) == 0x80 && n - start < 3)
		start--;
	if (start == 0)
		return;
	c = (unsigned char)s[start - 1];
	if (c < 0x80)
		return;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n - (start - 1) < need)
		s[start - 1] = '\0';
}

/* copy_utf8: snprintf(dst, size, "%s", src) that never cuts a character. */
static void copy_utf8(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
	utf8_tail_fix(dst);
}

/* Other names people write for provinces (folded). */
static const struct {
	const char *code;
	const char *alias;
} province_aliases[] = {
	{ "079", "hcm" },	{ "079", "tphcm" },	 { "079", "tp hcm" },
	{ "079", "sai gon" },	{ "079", "saigon" },	 { "079", "thanh pho ho chi minh" },
	{ "001", "hn" },	{ "001", "tp ha noi" },	 { "046", "thua thien hue" },
	{ "046", "tt hue" },	{ "046", "thua thien" }, { "077", "brvt" },
	{ "077", "vung tau" },	{ "077", "ba ria" },	 { "066", "daklak" },
	{ "066", "dac lac" },	{ "066", "dak lak" },	 { "067", "daknong" },
	{ "067", "dac nong" },	{ "006", "bac can" },	 { "048", "da nang" },
	{ "031", "hai phong" }, { "092", "can tho" },	 { "062", "kontum" },
};

struct unit_key {
	char *key;
	int first_child; /* communes of a district: [first, first + count) */
	int children;
};

static struct {
	char **prov_keys;  /* per vn_provinces index */
	char **prov_names; /* canonical (NFC, tone rule) */
	struct unit_key *districts;
	char **district_names;
	struct unit_key *communes;
	char **commune_names;
} idx;

static pthread_once_t idx_once = PTHREAD_ONCE_INIT;

/* Folded key; an all-digit name loses its leading zeros ("05" -> "5"). */
static char *key_of(const char *s)
{
	strbuf k = STRBUF_INIT;
	size_t i = 0;

	vn_fold(s, -1, &k);
	if (k.len > 1 && strspn(k.buf, "0123456789") == k.len) {
		while (i + 1 < k.len && k.buf[i] == '0')
			i++;
		memmove(k.buf, k.buf + i, k.len - i + 1);
		k.len -= i;
	}
	return strbuf_detach(&k, NULL);
}

static char *canonical_of(const char *s)
{
	strbuf n = STRBUF_INIT;

	vn_text_normalize(s, -1, &n, NULL);
	return strbuf_detach(&n, NULL);
}

static void build_index(void)
{
	int i;

	idx.prov_keys = xcalloc((size_t)vn_provinces_count, sizeof(char *));
	idx.prov_names = xcalloc((size_t)vn_provinces_count, sizeof(char *));
	for (i = 0; i < vn_provinces_count; i++) {
		idx.prov_keys[i] = key_of(vn_provinces[i].name);
		idx.prov_names[i] = canonical_of(vn_provinces[i].name);
	}
	idx.districts = xcalloc((size_t)vn_admin_districts_count, sizeof(*idx.districts));
	idx.district_names = xcalloc((size_t)vn_admin_districts_count, sizeof(char *));
	for (i = 0; i < vn_admin_districts_count; i++) {
		idx.districts[i].key = key_of(vn_admin_districts[i].name);
		idx.districts[i].first_child = -1;
		idx.district_names[i] = canonical_of(vn_admin_districts[i].name);
	}
	idx.communes = xcalloc((size_t)vn_admin_communes_count, sizeof(*idx.communes));
	idx.commune_names = xcalloc((size_t)vn_admin_communes_count, sizeof(char *));
	for (i = 0; i < vn_admin_communes_count; i++) {
		int d = vn_admin_communes[i].district - 1;

		idx.communes[i].key = key_of(vn_admin_communes[i].name);
		idx.commune_names[i] = canonical_of(vn_admin_communes[i].name);
		if (d >= 0) {
			if (idx.districts[d].first_child < 0)
				idx.districts[d].first_child = i;
			idx.districts[d].children++;
		}
	}
}

/* ------------------------------------------------------------------------
 * Unit words
 * ---------------------------------------------------------------------- */

enum level {
	LV_ANY = 0,
	LV_PROVINCE,
	LV_DISTRICT,
	LV_COMMUNE,
	LV_CITY /* province or district */
};

static const struct {
	const char *key; /* folded, as whole words at the start */
	enum level level;
	const char *word; /* the full unit word */
} unit_words[] = {
	{ "thanh pho", LV_CITY, "Thành phố" }, { "tinh", LV_PROVINCE, "Tỉnh" },
	{ "thi xa", LV_DISTRICT, "Thị xã" },   { "thi tran", LV_COMMUNE, "Thị trấn" },
	{ "quan", LV_DISTRICT, "Quận" },       { "huyen", LV_DISTRICT, "Huyện" },
	{ "phuong", LV_COMMUNE, "Phường" },    { "xa", LV_COMMUNE, "Xã" },
	{ "tp", LV_CITY, "Thành phố" },	       { "tx", LV_DISTRICT, "Thị xã" },
	{ "tt", LV_COMMUNE, "Thị trấn" },      { "t", LV_PROVINCE, "Tỉnh" },
	{ "q", LV_DISTRICT, "Quận" },	       { "h", LV_DISTRICT, "Huyện" },
	{ "p", LV_COMMUNE, "Phường" },	       { "x", LV_COMMUNE, "Xã" },
};

struct place_part {
	char text[VN_PLACE_MAX]; /* normalized, without the unit word */
	char key[VN_PLACE_MAX];
	char fullkey[VN_PLACE_MAX]; /* with the unit word ("xa phin") */
	enum level level;
	const char *word; /* unit word written, or NULL */
	int used;
};

/* Split the key "x tan quang" into unit word and name key. */
static void part_from(const char *raw, struct place_part *pp)
{
	strbuf norm = STRBUF_INIT, key = STRBUF_INIT;
	size_t i, skip_words = 0;
	const char *t;

	memset(pp, 0, sizeof(*pp));
	vn_text_normalize(raw, -1, &norm, NULL);
	vn_fold(norm.buf, (ptrdiff_t)norm.len, &key);
	copy_utf8(pp->fullkey, sizeof(pp->fullkey), key.buf);
	for (i = 0; i < HT_ARRAY_LEN(unit_words); i++) {
		size_t n = strlen(unit_words[i].key);

		if (!strncmp(key.buf, unit_words[i].key, n) && key.buf[n] == ' ') {
			pp->level = unit_words[i].level;
			pp->word = unit_words[i].word;
			skip_words = 1;
			for (const char *c = unit_words[i].key; *c; c++)
				skip_words += *c == ' ';
			break;
		}
	}
	/* drop as many words from the normalized text ("TP." counts as one) */
	t = norm.buf;
	for (i = 0; i < skip_words && *t; i++) {
		while (*t && *t != ' ' && *t != '.')
			t++;
		while (*t == ' ' || *t == '.')
			t++;
	}
	copy_utf8(pp->text, sizeof(pp->text), t);
	{
		char *k = key_of(pp->text);

		copy_utf8(pp->key, sizeof(pp->key), k);
		free(k);
	}
	strbuf_release(&norm);
	strbuf_release(&key);
}

static int find_province(const char *key)
{
	int i;
	size_t a;

	if (!*key)
		return -1;
	for (i = 0; i < vn_provinces_count; i++)
		if (!strcmp(idx.prov_keys[i], key))
			return i;
	for (a = 0; a < HT_ARRAY_LEN(province_aliases); a++)
		if (!strcmp(province_aliases[a].alias, key))
			for (i = 0; i < vn_provinces_count; i++)
				if (!strcmp(vn_provinces[i].code, province_aliases[a].code))
					return i;
	return -1;
}

static int find_district(int prov, const char *key, const char *word)
{
	int i, any = -1;

	for (i = 0; i < vn_admin_districts_count; i++) {
		if (vn_admin_districts[i].province != prov || strcmp(idx.districts[i].key, key))
			continue;
		if (!word || !strcmp(word, vn_admin_districts[i].type))
			return i;
		if (any < 0)
			any = i;
	}
	return any;
}

static int find_commune(int district, const char *key, const char *word)
{
	const struct unit_key *d = &idx.districts[district];
	int i, any = -1;

	for (i = d->first_child; i >= 0 && i < d->first_child + d->children; i++) {
		if (strcmp(idx.communes[i].key, key))
			continue;
		if (!word || !strcmp(word, vn_admin_communes[i].type))
			return i;
		if (any < 0)
			any = i;
	}
	return any;
}

/*
 * The unit in [from, to) of a level whose key is nearest to `key`: one
 * letter off (two in a name of more than 8 letters), and no other unit
 * there as near; -1 otherwise.  A `prov` >= 0 keeps the units of that
 * province only.
 */
static int nearest_unit(const struct unit_key *units, const struct vn_admin_unit *admin, int from,
			int to, int prov, const char *key)
{
	size_t len = strlen(key);
	int best = -1, bestd = 1 << 20, second = 1 << 20, limit = len > 8 ? 2 : 1;

	if (len < 3)
		return -1;
	for (int i = from; i < to; i++) {
		int d;

		if (prov >= 0 && admin[i].province != prov)
			continue;
		d = vn_lev(key, units[i].key);
		if (d < bestd) {
			second = bestd;
			bestd = d;
			best = i;
		} else if (d < second && strcmp(units[i].key, units[best].key)) {
			second = d;
		}
	}
	return best >= 0 && bestd >= 1 && bestd <= limit && second > bestd ? best : -1;
}

/* Split on , ; and dashes between spaces. */
/* "P", "X.", "TP" ...: a unit word's abbreviation with no name after it. */
static int is_bare_abbrev(const char *s)
{
	static const char *const abbr[] = { "P", "X", "Q", "H", "T", "TP", "TT", "TX" };
	size_t n = strlen(s), i;

	if (n && s[n - 1] == '.')
		n--;
	for (i = 0; i < HT_ARRAY_LEN(abbr); i++)
		if (strlen(abbr[i]) == n && !strncmp(s, abbr[i], n))
			return 1;
	return 0;
}

static int split_parts(const char *in, struct place_part *parts, int max)
{
	strbuf cur = STRBUF_INIT;
	const char *p;
	int n = 0;

	for (p = in;; p++) {
		int end = !*p;
		int sep = *p == ',' || *p == ';' || *p == '\n' ||
			  (*p == '-' && p > in && p[-1] == ' ' && p[1] == ' ') ||
			  !strncmp(p, "\xE2\x80\x93", 3);

		if (end || sep) {
			strbuf_rtrim(&cur);
			/* "P, Ngọc Hà": a unit's abbreviation cut from its name by a
			 * misread period */
			if (!end && *p == ',' && is_bare_abbrev(cur.buf)) {
				if (cur.buf[cur.len - 1] != '.')
					strbuf_addch(&cur, '.');
				strbuf_addch(&cur, ' ');
				continue;
			}
			if (cur.len && n < max)
				part_from(cur.buf, &parts[n++]);
			strbuf_reset(&cur);
			if (end)
				break;
			if (*p == '\xE2')
				p += 2;
			continue;
		}
		if (*p == ' ' && !cur.len)
			continue;
		strbuf_addch(&cur, *p);
	}
	strbuf_release(&cur);
	return n;
}

static void add_unit(strbuf *canon, const char *word, const char *name)
{
	if (canon->len)
		strbuf_addstr(canon, ", ");
	if (word) {
		strbuf_addstr(canon, word);
		strbuf_addch(canon, ' ');
	}
	strbuf_addstr(canon, name);
}

static int place_parse(const char *in, int near, struct vn_place *out, unsigned *warn);

int vn_place_parse(const char *in, struct vn_place *out, unsigned *warn)
{
	return place_parse(in, 0, out, warn);
}

int vn_place_parse_near(const char *in, struct vn_place *out, unsigned *warn)
{
	return place_parse(in, 1, out, warn);
}

static int place_parse(const char *in, int near, struct vn_place *out, unsigned *warn)
{
	struct place_part parts[8];
	strbuf canon = STRBUF_INIT, key = STRBUF_INIT;
	int n, i, prov = -1, pi = -1, dist = -1, di = -1, comm = -1, ci = -1;
	unsigned w = 0;

	pthread_once(&idx_once, build_index);
	memset(out, 0, sizeof(*out));
	n = split_parts(in, parts, (int)HT_ARRAY_LEN(parts));
	if (!n) {
		if (warn)
			*warn |= VN_W_EMPTY;
		return -1;
	}
	/* the province: the last part that names one */
	for (i = n - 1; i >= 0 && prov < 0; i--) {
		if (parts[i].level != LV_ANY && parts[i].level != LV_PROVINCE &&
		    parts[i].level != LV_CITY)
			continue;
		prov = find_province(parts[i].key);
		if (prov < 0 && parts[i].word)
			prov = find_province(parts[i].fullkey);
		if (prov >= 0)
			pi = i;
	}
	/*
	 * "Bệnh viện Phụ sản Hà Nội", "Tân Quang Văn Lâm Hưng Yên": a province
	 * at the end of the last part; the words before it become a part of
	 * their own.
	 */
	if (prov < 0 && n < (int)HT_ARRAY_LEN(parts)) {
		struct place_part *last = &parts[n - 1];
		size_t kl = strlen(last->key);

		for (i = 0; i < vn_provinces_count && prov < 0; i++) {
			size_t pl = strlen(idx.prov_keys[i]);
			int words = 1, k;
			char *cut;

			if (kl <= pl + 1 || strcmp(last->key + kl - pl, idx.prov_keys[i]) ||
			    last->key[kl - pl - 1] != ' ')
				continue;
			for (k = 0; idx.prov_keys[i][k]; k++)
				words += idx.prov_keys[i][k] == ' ';
			/* cut the text before its last `words` words */
			cut = last->text + strlen(last->text);
			while (words > 0 && cut > last->text) {
				cut--;
				if (*cut == ' ')
					words--;
			}
			if (cut == last->text)
				continue;
			parts[n] = *last;
			copy_utf8(parts[n].text, sizeof(parts[n].text), cut + 1);
			copy_utf8(parts[n].key, sizeof(parts[n].key), idx.prov_keys[i]);
			parts[n].level = LV_PROVINCE;
			parts[n].word = NULL;
			*cut = '\0';
			{
				char *k2 = key_of(last->text);

				copy_utf8(last->key, sizeof(last->key), k2);
				free(k2);
			}
			prov = i;
			pi = n++;
		}
	}
	if (prov >= 0) {
		for (i = pi - 1; i >= 0 && dist < 0; i--) {
			if (parts[i].level == LV_COMMUNE || parts[i].level == LV_PROVINCE)
				continue;
			dist =
			    find_district(prov, parts[i].key,
					  parts[i].level == LV_CITY ? "Thành phố" : parts[i].word);
			if (dist < 0 && parts[i].word)
				dist = find_district(prov, parts[i].fullkey, NULL);
			if (dist >= 0)
				di = i;
		}
		/* read by OCR: the district one letter off, named as a district */
		for (i = pi - 1; near && dist < 0 && i >= 0; i--) {
			if (parts[i].level != LV_DISTRICT && parts[i].level != LV_CITY)
				continue;
			dist = nearest_unit(idx.districts, vn_admin_districts, 0,
					    vn_admin_districts_count, prov, parts[i].key);
			if (dist >= 0) {
				di = i;
				w |= VN_W_PLACE_REPAIRED;
			}
		}
	}
	if (dist >= 0) {
		for (i = di - 1; i >= 0 && comm < 0; i--) {
			if (parts[i].level != LV_ANY && parts[i].level != LV_COMMUNE)
				continue;
			comm = find_commune(dist, parts[i].key, parts[i].word);
			if (comm < 0 && parts[i].word)
				comm = find_commune(dist, parts[i].fullkey, NULL);
			if (comm >= 0)
				ci = i;
		}
		for (i = di - 1; near && comm < 0 && i >= 0; i--) {
			const struct unit_key *d = &idx.districts[dist];

			if (parts[i].level != LV_COMMUNE || d->first_child < 0)
				continue;
			comm = nearest_unit(idx.communes, vn_admin_communes, d->first_child,
					    d->first_child + d->children, -1, parts[i].key);
			if (comm >= 0) {
				ci = i;
				w |= VN_W_PLACE_REPAIRED;
			}
		}
	}

	/* what was found, and parts left over among the units */
	out->found = (comm >= 0 ? VN_PLACE_COMMUNE : 0) | (dist >= 0 ? VN_PLACE_DISTRICT : 0) |
		     (prov >= 0 ? VN_PLACE_PROVINCE : 0);
	{
		int lowest = ci >= 0 ? ci : di >= 0 ? di : pi;

		for (i = 0; lowest >= 0 && i < n; i++)
			if (i > lowest && i != pi && i != di && i != ci)
				out->stray++;
	}

	/* canonical text: unresolved parts first (hamlet, street), then units */
	for (i = 0; i < n; i++) {
		strbuf cap = STRBUF_INIT;
		size_t first;

		if (i == pi || i == di || i == ci)
			continue;
		/* "thôn Đông" -> "Thôn Đông": the first letter only */
		first = 1;
		while (parts[i].text[first] && ((unsigned char)parts[i].text[first] & 0xC0) == 0x80)
			first++;
		vn_case_map(parts[i].text, (ptrdiff_t)first, VN_CASE_UPPER, &cap);
		strbuf_addstr(&cap, parts[i].text + first);
		add_unit(&canon, parts[i].word, cap.buf);
		strbuf_release(&cap);
	}
	if (comm >= 0) {
		snprintf(out->commune, sizeof(out->commune), "%s %s", vn_admin_communes[comm].type,
			 idx.commune_names[comm]);
		add_unit(&canon, NULL, out->commune);
	}
	if (dist >= 0) {
		snprintf(out->district, sizeof(out->district), "%s %s",
			 vn_admin_districts[dist].type, idx.district_names[dist]);
		add_unit(&canon, NULL, out->district);
	}
	if (prov >= 0) {
		const struct vn_province *p = &vn_provinces[prov];
		strbuf succ = STRBUF_INIT;

		snprintf(out->province, sizeof(out->province), "%s %s",
			 !strcmp(p->kind, "thành phố") ? "Thành phố" : "Tỉnh",
			 idx.prov_names[prov]);
		add_unit(&canon, NULL, out->province);
		copy_utf8(out->province_code, sizeof(out->province_code), p->code);
		vn_text_normalize(p->successor, -1, &succ, NULL);
		copy_utf8(out->province_now, sizeof(out->province_now), succ.buf);
		if (strcmp(succ.buf, idx.prov_names[prov]) != 0)
			w |= VN_W_PLACE_MERGED;
		strbuf_release(&succ);
	} else {
		w |= VN_W_PLACE_UNKNOWN;
	}
	copy_utf8(out->canonical, sizeof(out->canonical), canon.buf);
	vn_fold(canon.buf, (ptrdiff_t)canon.len, &key);
	copy_utf8(out->key, sizeof(out->key), key.buf);
	strbuf_release(&canon);
	strbuf_release(&key);
	if (warn)
		*warn |= w;
	return 0;
}
