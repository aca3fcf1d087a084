/*
 * fields.c — a value as read becomes a field of the record: normalized by
 * its kind (names, dates, ID numbers, places, numbers, free text), checked,
 * and flagged for review with the reason when a check fails.
 *
 * The review flag is what keeps a wrong value from passing silently: it is
 * raised on every failed check (an impossible date, a name word that is
 * not Vietnamese or that citizens do not have at its place, a place not
 * found in the administrative list, a number not in the form's shape).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

/* ------------------------------------------------------------------------
 * The per-kind finish: normalize, check, confidence, review
 * ---------------------------------------------------------------------- */

/* A quotation mark, ASCII or typographic (“ ” ‘ ’), at p: its length in bytes, else 0. */
static size_t quote_at(const char *p)
{
	if (*p == '"' || *p == '\'')
		return 1;
	if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] >= 0x98 && (unsigned char)p[2] <= 0x9D)
		return 3;
	return 0;
}

static int trimmed_char(int c)
{
	return c == ' ' || c == ',' || c == '.' || c == ':' || c == ';' || c == '_' || c == '-' ||
	       c == '|';
}

char *fields_trim_punct(const char *s)
{
	const char *b = s, *e = s + strlen(s);

	for (;;) {
		size_t q = quote_at(b);

		if (trimmed_char(*b))
			b++;
		else if (q)
			b += q;
		else
			break;
	}
	for (;;) {
		if (e > b && trimmed_char(e[-1]))
			e--;
		else if (e > b && (e[-1] == '"' || e[-1] == '\''))
			e--;
		else if (e - b >= 3 && quote_at(e - 3) == 3)
			e -= 3;
		else
			break;
	}
	return xstrndup(b, (size_t)(e - b));
}

/* "Ủy ban nhân dân xã ..." / "UBND xã ...": the place after the body's name. */
const char *fields_office_place(const char *raw)
{
	/* the body's names, folded, letters only; longest first */
	static const char *const bodies[] = { "tmuybannhandan", "uybannhandan", "tmubnd", "ubnd" };
	strbuf one = STRBUF_INIT;
	const char *best = raw;
	size_t b;

	for (b = 0; b < HT_ARRAY_LEN(bodies) * 4 && best == raw; b++) {
		const char *p = raw, *want = bodies[b % HT_ARRAY_LEN(bodies)];
		size_t skip = b / HT_ARRAY_LEN(bodies);

		/* from the start, then from the second to fourth word (specks before it) */
		for (size_t k = 0; k < skip && p; k++) {
			p = strchr(p, ' ');
			p = p ? p + 1 : NULL;
		}
		if (!p)
			break;

		/* walk the text a character at a time, matching its folded letters */
		while (*p && *want) {
			size_t len = 1;

			while ((p[len] & 0xC0) == 0x80)
				len++;
			strbuf_reset(&one);
			vn_fold(p, (ptrdiff_t)len, &one);
			for (size_t k = 0; k < one.len && *want; k++) {
				char c = one.buf[k];

				if (c >= 'a' && c <= 'z') {
					if (c != *want)
						goto next;
					want++;
				}
			}
			p += len;
		}
		if (!*want) {
			while (*p == ' ' || *p == '-' || *p == '.' || *p == ':' || *p == ',')
				p++;
			best = p;
		}
	next:;
	}
	strbuf_release(&one);
	return best;
}

/*
 * Specks read as letters after a value ("Hà Nội l", "Hà Nội ¬ .."): single
 * letters and signs at the end are dropped.
 */
static void trim_junk_tail(char *s)
{
	for (;;) {
		char *sp = strrchr(s, ' ');
		const char *w = sp ? sp + 1 : NULL;
		size_t n;
		int alnum = 0, chars = 0;

		if (!w)
			return;
		n = strlen(w);
		for (size_t i = 0; i < n; i++) {
			if ((w[i] & 0xC0) != 0x80)
				chars++;
			if ((unsigned char)w[i] >= 0x80 || (w[i] >= '0' && w[i] <= '9') ||
			    ((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z'))
				alnum = 1;
		}
		if (alnum && (chars > 1 || (w[0] >= '0' && w[0] <= '9')))
			return;
		*sp = '\0';
		while (sp > s && (sp[-1] == ' ' || sp[-1] == ','))
			*--sp = '\0';
	}
}

/* The date part of "14 giờ 30 phút, ngày 05/06/2023" or "... ngày 05 tháng 06 năm 2023". */
const char *fields_datetime_date(const char *raw)
{
	strbuf f = STRBUF_INIT;
	const char *p = raw, *best = raw;

	/* the last "ngày" (folded "ngay") starts the date */
	for (p = raw; *p; p++) {
		strbuf_reset(&f);
		forms_fold(p, &f);
		if (!strncmp(f.buf, "ngay", 4) && (p == raw || p[-1] == ' ' || p[-1] == ','))
			best = p;
		while (*p && *p != ' ')
			p++;
		if (!*p)
			break;
	}
	strbuf_release(&f);
	return best;
}

static int name_words_valid(const char *name)
{
	char *copy = xstrdup(name), *save = NULL, *w;
	int ok = 1;

	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		/* H'Nhi and the like are fine */
		const char *q = strchr(w, '\'');

		if (!vn_syllable_valid(q ? q + 1 : w, -1) && strlen(w) > 1)
			ok = 0;
	}
	free(copy);
	return ok;
}

/*
 * Common surnames with their marks (people.md and the larger ethnic
 * groups): without a registry, a surname read as "Nguyên" still finds
 * "Nguyễn".
 */
static const char *const common_surnames[] = {
	"Nguyễn", "Trần",  "Lê",    "Phạm",   "Hoàng", "Huỳnh", "Phan",	 "Vũ",	  "Võ",
	"Đặng",	  "Bùi",   "Đỗ",    "Hồ",     "Ngô",   "Dương", "Lý",	 "Đinh",  "Trương",
	"Lương",  "Đoàn",  "Mai",   "Tô",     "Hà",    "Lưu",	"Vương", "Cao",	  "Lâm",
	"Thái",	  "Châu",  "Quách", "Khổng",  "Kiều",  "Đào",	"Tạ",	 "La",	  "Mạc",
	"Tăng",	  "Chu",   "Lại",   "Thân",   "Triệu", "Âu",	"Khúc",	 "Ông",	  "Cù",
	"Giáp",	  "Phùng", "Từ",    "Nghiêm", "Kim",   "Lò",	"Giàng", "Thạch", "Sơn",
	"Danh",	  "Chau",  "Sùng",  "Vàng",   "Thào",  "Lầu",	"Mùa",	 "Vừ",	  "Cầm",
	"Quàng",  "Lường", "Hứa",   "Ninh",   "Tôn",   "Diệp",	"Tiêu",	 "Ứng",	  "Bạch",
	"Nông",	  "Hầu",   "Tống",  "Đàm",    "Lục",   "Bế",	"Ma",	 "Lộc",	  "Vi",
};

/* The common surname whose folded key is that of `word` (NULL: none). */
static const char *common_surname(const char *word, int *exact)
{
	strbuf k = STRBUF_INIT, c = STRBUF_INIT;
	const char *hit = NULL;
	size_t i;

	*exact = 0;
	vn_fold(word, -1, &k);
	for (i = 0; i < HT_ARRAY_LEN(common_surnames); i++) {
		strbuf_reset(&c);
		vn_fold(common_surnames[i], -1, &c);
		if (strcmp(c.buf, k.buf))
			continue;
		if (!strcmp(common_surnames[i], word))
			*exact = 1;
		if (!hit || *exact)
			hit = common_surnames[i];
		if (*exact)
			break;
	}
	strbuf_release(&k);
	strbuf_release(&c);
	return hit;
}

void fields_set(struct ocr_field *f, const char *v)
{
	free(f->value);
	f->value = v ? xstrdup(v) : NULL;
}

void fields_flag(struct ocr_field *f, const char *why)
{
	if (!f->review)
		f->why = why;
	f->review = 1;
}

/*
 * A second reading `g` (confidence gconf) of a field: it replaces the first
 * when the first has no value, is flagged while `g` is not, or is less
 * sure (and `g` not flagged, or both); when both give a value and the
 * values differ, the field is flagged whichever is kept.  Returns 1 when `g` was taken.  Frees g's value.
 */
int fields_take_better(struct ocr_field *f, struct ocr_field *g, double gconf)
{
	int took = 0;

	int differ = g->value && f->value && strcmp(g->value, f->value);

	if (g->value && (!f->value || (gconf > f->conf && (!g->review || f->review)) ||
			 (f->review && !g->review))) {
		fields_set(f, g->value);
		f->conf = gconf;
		f->review = g->review;
		f->why = g->why;
		took = 1;
	}
	if (differ)
		fields_flag(f, "two readings disagree");
	free(g->value);
	g->value = NULL;
	return took;
}

/*
 * Words run together ("Việtkhang"): a word that is not a syllable but two
 * syllables side by side, both name words, is split.  Returns 1 when `out`
 * holds the name with words split.
 */
static int split_glued(const char *name, const struct vn_name_model *m, strbuf *out)
{
	char *copy = xstrdup(name), *save = NULL, *w;
	int changed = 0;

	strbuf_reset(out);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(w), i, best_i = 0;
		double best = 0;

		if (out->len)
			strbuf_addch(out, ' ');
		if (vn_syllable_valid(w, -1) || strchr(w, '\'') || len < 4) {
			strbuf_addstr(out, w);
			continue;
		}
		for (i = 1; i < len; i++) {
			double sc;

			if (((unsigned char)w[i] & 0xC0) == 0x80)
				continue; /* inside a UTF-8 sequence */
			if (!vn_syllable_valid(w, (ptrdiff_t)i) || !vn_syllable_valid(w + i, -1))
				continue;
			sc = 1.0;
			if (m) {
				char *left = xstrndup(w, i);
				unsigned a = vn_lexicon_count(vn_name_model_lexicon(m), left);
				unsigned b = vn_lexicon_count(vn_name_model_lexicon(m), w + i);

				free(left);
				sc = (double)(a + 1) * (double)(b + 1);
				if (!a || !b)
					sc = 0.5;
			}
			if (sc > best) {
				best = sc;
				best_i = i;
			}
		}
		if (best_i) {
			strbuf_add(out, w, best_i);
			strbuf_addch(out, ' ');
			strbuf_addstr(out, w + best_i);
			changed = 1;
		} else {
			strbuf_addstr(out, w);
		}
	}
	free(copy);
	return changed;
}

/*
 * One word of a name at its part, against the population's names: kept
 * when people have it there.  A word nobody has there is replaced by the
 * most frequent form with the same letters, without review only when that
 * form is nearly the only one (90%) and common; a word only a few people
 * have while another form is fifty times as common is kept but flagged
 * ("Vạn" is a name, and "Văn" misread); a word nobody has in any form is
 * flagged.
 */
static void check_word(struct ocr_field *f, const struct vn_name_model *m, enum vn_name_part part,
		       const char *word, strbuf *out)
{
	strbuf best = STRBUF_INIT;
	unsigned c = vn_name_model_count(m, part, word), total = 0;
	unsigned bc = vn_name_model_best(m, part, word, &best, &total);

	if (!c && bc) {
		strbuf_addstr(out, best.buf);
		f->warn |= VN_W_SYLLABLE_REPAIRED;
		if ((unsigned long)bc * 10 < (unsigned long)total * 9 || bc < 5)
			fields_flag(f, "a name word repaired");
		else if (!f->why)
			f->why = "a misread mark repaired";
	} else {
		strbuf_addstr(out, word);
		if (!c)
			fields_flag(f, part == VN_PART_SURNAME ? "a surname no citizen has"
							       : "a name word no citizen has");
		else if (strcmp(best.buf, word) && (unsigned long)c * 20 < bc)
			fields_flag(f, "a rare name word, or a misread common one");
	}
	strbuf_release(&best);
}

/*
 * One word at its part against the shipped name data: flagged when a word
 * with the same letters but another mark is far more common there
 * ("Huyển" where "Huyền" is a given name, "Nhỉ" for "Nhi").  Skipped where
 * the registry `reg` knows words of these letters (check_word judged it).
 */
static void plausible_word(struct ocr_field *f, const struct vn_name_model *reg,
			   enum vn_name_part part, const char *word)
{
	const struct vn_name_model *m = vn_name_model_builtin();
	strbuf best = STRBUF_INIT;
	unsigned c, bc;

	if (reg && vn_name_model_best(reg, part, word, &best, NULL)) {
		strbuf_release(&best);
		return;
	}
	strbuf_reset(&best);
	c = vn_name_model_count(m, part, word);
	bc = vn_name_model_best(m, part, word, &best, NULL);
	if (bc > c && ((!c && bc >= 2) || (unsigned long)c * 20 < bc))
		fields_flag(f, "a mark differs from a far more common name");
	strbuf_release(&best);
}

/* Each word of a Kinh name at its part, against the shipped name data. */
static void plausible_name(struct ocr_field *f, const struct vn_name_model *reg,
			   const struct vn_name *n)
{
	char *copy, *save = NULL, *wd;

	if (n->clan_last || !n->surname[0])
		return;
	if (!strchr(n->surname, ' '))
		plausible_word(f, reg, VN_PART_SURNAME, n->surname);
	copy = xstrdup(n->middle);
	for (wd = strtok_r(copy, " ", &save); wd; wd = strtok_r(NULL, " ", &save))
		plausible_word(f, reg, VN_PART_MIDDLE, wd);
	free(copy);
	plausible_word(f, reg, VN_PART_GIVEN, n->given);
}

void fields_name(struct ocr_field *f, const char *raw, const struct ocr_options *o,
		 struct person_facts *pf)
{
	const struct vn_name_model *m = vn_name_model_names(o->names) ? o->names : NULL;
	struct vn_name n;
	unsigned w = 0;
	strbuf tmp = STRBUF_INIT;

	if (vn_name_parse(raw, &n, &w) < 0) {
		fields_flag(f, "illegible");
		return;
	}
	if (!n.clan_last && split_glued(n.full, m, &tmp)) {
		struct vn_name n2;

		if (vn_name_parse(tmp.buf, &n2, NULL) == 0) {
			n = n2;
			f->why = "words run together were split";
		}
	}
	if (!name_words_valid(n.full)) {
		unsigned rw = 0;
		struct vn_name n2;

		strbuf_reset(&tmp);
		vn_text_repair(n.full, -1, vn_name_model_lexicon(m), &tmp, &rw);
		if ((rw & VN_W_SYLLABLE_REPAIRED) && vn_name_parse(tmp.buf, &n2, NULL) == 0) {
			n = n2;
			fields_flag(f, "a letter was repaired");
		} else {
			fields_flag(f, "not a Vietnamese name");
		}
		f->conf *= 0.6;
	}
	if (n.words < 2)
		fields_flag(f, "one word");
	/* each word at its part, against the population's names */
	if (!n.clan_last && n.surname[0]) {
		strbuf fixed = STRBUF_INIT;
		char *copy, *save = NULL, *wd;
		struct vn_name n2;

		if (m) {
			check_word(f, m, VN_PART_SURNAME, n.surname, &fixed);
		} else {
			int exact;
			const char *cs = common_surname(n.surname, &exact);

			strbuf_addstr(&fixed, cs ? cs : n.surname);
			if (cs && !exact && !f->why)
				f->why = "a misread mark repaired";
			if (!cs && !strchr(n.surname, ' '))
				fields_flag(f, "unknown surname");
		}
		copy = xstrdup(n.middle);
		for (wd = strtok_r(copy, " ", &save); wd; wd = strtok_r(NULL, " ", &save)) {
			strbuf_addch(&fixed, ' ');
			if (m)
				check_word(f, m, VN_PART_MIDDLE, wd, &fixed);
			else
				strbuf_addstr(&fixed, wd);
		}
		free(copy);
		strbuf_addch(&fixed, ' ');
		/* "Nguyễn Thị": a middle name last, the given name lost on a wrap */
		if (m ? !vn_name_model_count(m, VN_PART_GIVEN, n.given) &&
			    vn_name_model_count(m, VN_PART_MIDDLE, n.given) >= 5
		      : !strcmp(n.given, "Thị") || !strcmp(n.given, "Văn")) {
			strbuf_addstr(&fixed, n.given);
			fields_flag(f, "the name seems cut short");
		} else if (m) {
			check_word(f, m, VN_PART_GIVEN, n.given, &fixed);
		} else {
			strbuf_addstr(&fixed, n.given);
		}
		if (strcmp(fixed.buf, n.full) && vn_name_parse(fixed.buf, &n2, NULL) == 0)
			n = n2;
		strbuf_release(&fixed);
	}
	plausible_name(f, m, &n);
	fields_set(f, n.full);
	f->warn |= w;
	if (pf) {
		pf->female_middle = strstr(n.middle, "Thị") != NULL;
		pf->male_middle = strstr(n.middle, "Văn") != NULL;
	}
	strbuf_release(&tmp);
}

/*
 * Does `s` have the shape `pat`?  In the pattern D is one or more digits,
 * A one or more capital letters or "-", DDDD exactly four digits; other
 * characters stand for themselves.
 */
static int match_shape(const char *s, const char *pat)
{
	while (*pat) {
		if (!strncmp(pat, "DDDD", 4)) {
			for (int i = 0; i < 4; i++, s++)
				if (*s < '0' || *s > '9')
					return 0;
			pat += 4;
		} else if (*pat == 'D') {
			if (*s < '0' || *s > '9')
				return 0;
			while (*s >= '0' && *s <= '9')
				s++;
			pat++;
		} else if (*pat == 'A') {
			if (!((*s >= 'A' && *s <= 'Z')))
				return 0;
			while ((*s >= 'A' && *s <= 'Z') || *s == '-')
				s++;
			pat++;
		} else {
			if (*s != *pat)
				return 0;
			s++;
			pat++;
		}
	}
	return !*s;
}

/* The characters a number keeps, its trailing signs dropped, its misread slashes repaired. */
static void number_clean(const char *name, const char *in, size_t len, strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '/' || c == '-' || c == '.')
			strbuf_addch(out, c);
	}
	while (out->len && strchr("-./", out->buf[out->len - 1]))
		out->buf[--out->len] = '\0';
	if (!strcmp(name, "register_no")) {
		/* 236I1977ITLKS-BS: the slashes read as I */
		for (size_t i = 1; i + 1 < out->len; i++)
			if (strchr("Il|", out->buf[i]) && out->buf[i - 1] >= '0' &&
			    out->buf[i - 1] <= '9' &&
			    ((out->buf[i + 1] >= '0' && out->buf[i + 1] <= '9') ||
			     out->buf[i + 1] == 'T'))
				out->buf[i] = '/';
	}
}

/* Does a cleaned number have the shape its field has on the forms? */
static int number_ok(const char *name, const char *s)
{
	const char *p, *d1, *d2;
	int ok;

	if (!strcmp(name, "register_no"))
		return match_shape(s, "D") || match_shape(s, "D/DDDD") ||
		       match_shape(s, "D/DDDD/A") || match_shape(s, "D/A");
	if (!strcmp(name, "book_no"))
		return match_shape(s, "D") || match_shape(s, "D/DDDD");
	if (strcmp(name, "dossier_code"))
		return *s != '\0';
	d1 = strchr(s, '-');
	d2 = d1 ? strchr(d1 + 1, '-') : NULL;
	ok = d1 && d2 && d1 > s && d2 - d1 == 7 && d2[1];
	for (p = s; ok && p < d1; p++)
		ok = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '.';
	for (p = d1 ? d1 + 1 : s; ok && *p; p++)
		ok = (*p >= '0' && *p <= '9') || p == d2;
	return ok;
}

/*
 * Numbers and codes: no spaces, no specks; the shape each one has on the
 * forms (forms.md), else flagged:
 *   register_no   "12", "211/2024", or "236/1977/TLKS-BS" on a copy
 *   book_no       "04", "01/2015"
 *   dossier_code  "<agency>-<yymmdd>-<sequence>": "000.00.19.H47-260105-0001"
 * The value is its first word, and the words after it that continue it
 * ("236/1977/ TLKS-BS": after a slash or a dash, or starting with one),
 * when that has the shape: grain read after it is left out.  Otherwise all
 * of it, flagged.
 */
void fields_number(struct ocr_field *f, const char *raw)
{
	strbuf out = STRBUF_INIT;
	const char *end = raw;
	int ok;

	while (*end == ' ')
		end++;
	for (;;) {
		const char *next = end;

		while (*next && *next != ' ')
			next++;
		end = next;
		while (*next == ' ')
			next++;
		if (!*next || !(strchr("/-", end[-1]) || strchr("/-", *next)))
			break;
		end = next;
	}
	number_clean(f->name, raw, (size_t)(end - raw), &out);
	ok = out.len && number_ok(f->name, out.buf);
	if (!ok) {
		number_clean(f->name, raw, strlen(raw), &out);
		ok = out.len && number_ok(f->name, out.buf);
	}
	fields_set(f, out.len ? out.buf : NULL);
	if (out.len && !ok)
		fields_flag(f, "not in the form's format");
	strbuf_release(&out);
}

/* Free text: syllables repaired; a word that is not Vietnamese is flagged. */
void fields_text(struct ocr_field *f, const char *raw)
{
	strbuf out = STRBUF_INIT;
	unsigned w = 0;

	vn_text_repair(raw, -1, NULL, &out, &w);
	fields_set(f, out.len ? out.buf : NULL);
	if (w & (VN_W_SYLLABLE_REPAIRED | VN_W_SYLLABLE_INVALID))
		fields_flag(f, "a word is not Vietnamese");
	f->warn |= w;
	strbuf_release(&out);
}

/* A place: its units found in the administrative list, nothing astray. */
/* Does a letter that starts a word begin at w[i] as a capital might ("HàNội")? */
static int capital_at(const char *w, size_t i)
{
	return (w[i] >= 'A' && w[i] <= 'Z') || (unsigned char)w[i] == 0xC4 ||
	       (unsigned char)w[i] == 0xC3;
}

/*
 * The syllables of `w` (a word to its end) run together, appended to `out`
 * separated by spaces: 1, or 0 when it is not two to four syllables.  A
 * cut before a capital is tried first, then the longest first syllable.
 */
static int split_syllables(const char *w, int pieces_left, strbuf *out)
{
	size_t len = strlen(w), mark = out->len;

	if (vn_syllable_valid(w, -1)) {
		strbuf_addstr(out, w);
		return 1;
	}
	if (pieces_left < 2 || len < 4)
		return 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = len - 1; i >= 1; i--) {
			if (((unsigned char)w[i] & 0xC0) == 0x80)
				continue; /* inside a UTF-8 sequence */
			if ((pass == 0) != (capital_at(w, i) != 0))
				continue;
			if (!vn_syllable_valid(w, (ptrdiff_t)i))
				continue;
			strbuf_add(out, w, i);
			strbuf_addch(out, ' ');
			if (split_syllables(w + i, pieces_left - 1, out))
				return 1;
			out->len = mark;
			out->buf[mark] = '\0';
		}
	return 0;
}

/*
 * Words run together in a place ("HàNội", "Thànhphố", "phốHàNội"): a word
 * that is no syllable but two to four side by side, split between them.
 * Returns 1 when `out` holds the text with words split.
 */
static int split_glued_words(const char *text, strbuf *out)
{
	char *copy = xstrdup(text), *save = NULL, *w;
	int changed = 0;

	strbuf_reset(out);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (out->len)
			strbuf_addch(out, ' ');
		if (strlen(w) < 4 || vn_syllable_valid(w, -1)) {
			strbuf_addstr(out, w);
			continue;
		}
		if (split_syllables(w, 4, out))
			changed = 1;
		else
			strbuf_addstr(out, w);
	}
	free(copy);
	return changed;
}

/* How well a place parse went: units found, less what was left over. */
static int place_quality(const struct vn_place *pl, unsigned w)
{
	int q = 0;

	if (w & VN_W_PLACE_UNKNOWN)
		return -10;
	for (unsigned u = pl->found; u; u >>= 1)
		q += (int)(u & 1u) * 2;
	return q - pl->stray;
}

/*
 * Does the place begin with a hamlet's unit word read one mark off ("Tố
 * 11", "Thồn Đông" for "Tổ 11", "Thôn Đông")?  Such a word is no unit word
 * and the list of units cannot check a hamlet: only a reviewer can tell a
 * misread "Tổ" from a street named for a person ("Tố Hữu").
 */
static int hamlet_word_mark_differs(const char *canon)
{
	static const char *const words[] = {
		"Tổ", "Thôn", "Xóm", "Ấp", "Bản", "Khóm", "Buôn", "Sóc"
	};
	size_t n = strcspn(canon, " ,");
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int differs = 0;

	if (!canon[n] || canon[n] != ' ')
		return 0; /* one word alone: no hamlet with a name */
	vn_fold(canon, (ptrdiff_t)n, &a);
	for (size_t i = 0; i < HT_ARRAY_LEN(words) && !differs; i++) {
		strbuf_reset(&b);
		vn_fold(words[i], -1, &b);
		differs =
		    !strcmp(a.buf, b.buf) && (strlen(words[i]) != n || strncmp(canon, words[i], n));
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return differs;
}

void fields_place(struct ocr_field *f, const char *text)
{
	struct vn_place pl;
	char *t = xstrdup(text);
	unsigned w = 0;
	strbuf split = STRBUF_INIT;
	int ok;

	trim_junk_tail(t);
	ok = vn_place_parse_near(t, &pl, &w) == 0;
	if (ok && ((w & VN_W_PLACE_UNKNOWN) || !vn_place_complete(&pl)) &&
	    split_glued_words(t, &split)) {
		/* words run together: read again with them split, keep the better */
		struct vn_place p2;
		unsigned w2 = 0;

		if (vn_place_parse_near(split.buf, &p2, &w2) == 0 &&
		    place_quality(&p2, w2) > place_quality(&pl, w)) {
			pl = p2;
			w = w2;
		}
	}
	strbuf_release(&split);
	if (ok && pl.canonical[0]) {
		fields_set(f, pl.canonical);
		if (w & VN_W_PLACE_UNKNOWN)
			fields_flag(f, "place not recognized");
		else if (!vn_place_complete(&pl))
			fields_flag(f, "place not fully recognized");
		else if (w & VN_W_PLACE_REPAIRED)
			fields_flag(f, "place repaired");
		else if (hamlet_word_mark_differs(pl.canonical))
			fields_flag(f, "a mark differs from a known phrase");
	} else {
		fields_flag(f, "illegible");
	}
	free(t);
	f->warn |= w;
}

/* Does a date's text end with "năm" (its year still to come)? */
int fields_ends_with_nam(const char *raw)
{
	strbuf fold = STRBUF_INIT;
	size_t n;
	int yes;

	forms_fold(raw ? raw : "", &fold);
	n = fold.len;
	while (n > 0 && (fold.buf[n - 1] == ' ' || fold.buf[n - 1] == ','))
		n--;
	yes = n >= 3 && !strncmp(fold.buf + n - 3, "nam", 3) && (n == 3 || fold.buf[n - 4] == ' ');
	strbuf_release(&fold);
	return yes;
}

/*
 * extract_repair_date_separators: a date in digits whose slashes were read as a
 * stroke ("13/02I1968", "22!03|1941"): a stroke-like character after a
 * group of one or two digits and before a digit is a separator.  Returns 1
 * when something was repaired (the repaired text in *out).
 */
int fields_repair_date_separators(const char *raw, strbuf *out)
{
	int run = 0, changed = 0;

	strbuf_reset(out);
	for (const char *p = raw; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= '0' && c <= '9') {
			run++;
		} else if (strchr("Il|!\\", c) && (run == 1 || run == 2) && p[1] >= '0' &&
			   p[1] <= '9') {
			strbuf_addch(out, '/');
			changed = 1;
			run = 0;
			continue;
		} else {
			run = 0;
		}
		strbuf_addch(out, (char)c);
	}
	return changed;
}

void fields_date(struct ocr_field *f, const char *raw, struct vn_date *out)
{
	struct vn_date d;
	herr e = { 0 };
	unsigned w = 0;
	char iso[16];
	strbuf fixed = STRBUF_INIT;
	int ok;

	memset(out, 0, sizeof(*out));
	ok = vn_date_parse(raw, &d, &w, &e) == 0;
	if (!ok && fields_repair_date_separators(raw, &fixed)) {
		unsigned w2 = 0;

		herr_clear(&e);
		if (vn_date_parse(fixed.buf, &d, &w2, &e) == 0) {
			ok = 1;
			w = w2;
		}
	}
	strbuf_release(&fixed);
	if (!ok) {
		f->review = 1;
		f->why = (w & VN_W_DATE_IMPOSSIBLE) ? "impossible date" : "illegible";
		f->warn |= w;
		return;
	}
	vn_date_format(&d, iso, sizeof(iso));
	fields_set(f, iso);
	f->warn |= w;
	*out = d;
	if (w & VN_W_DATE_TWO_DIGIT_YEAR) {
		f->review = 1;
		f->why = "two-digit year";
	}
}

void fields_id(struct ocr_field *f, const char *raw, struct vn_id *out)
{
	struct vn_id id;
	herr e = { 0 };
	unsigned w = 0;

	memset(out, 0, sizeof(*out));
	if (vn_id_parse(raw, &id, &w, &e) < 0 || id.kind != VN_ID_PERSONAL) {
		f->review = 1;
		f->why = id.kind == VN_ID_CMND ? "a CMND number, not a personal ID" : "invalid ID";
		f->warn |= w;
		return;
	}
	fields_set(f, id.digits);
	f->warn |= w;
	*out = id;
	if (w & VN_W_ID_REPAIRED) {
		f->review = 1;
		f->why = "letters read as digits";
	}
}

/*
 * extract_relation_sex: the sex of the parent in "Xác nhận đăng ký việc nhận cha,
 * con giữa:" (or "nhận mẹ"): the word after a "nhận" that is "cha" or "mẹ".
 */
enum vn_sex fields_relation_sex(const char *raw)
{
	strbuf fold = STRBUF_INIT;
	enum vn_sex sx = VN_SEX_UNKNOWN;
	const char *p;

	forms_fold(raw, &fold);
	for (p = fold.buf; (p = strstr(p, "nhan")) != NULL; p += 4) {
		const char *q = p + 4;
		size_t n;

		if (p > fold.buf && p[-1] != ' ')
			continue;
		while (*q == ' ')
			q++;
		n = strspn(q, "abcdefghijklmnopqrstuvwxyz");
		if (n == 3 && !strncmp(q, "cha", 3)) {
			sx = VN_SEX_MALE;
			break;
		}
		if (n == 2 && !strncmp(q, "me", 2)) {
			sx = VN_SEX_FEMALE;
			break;
		}
	}
	strbuf_release(&fold);
	return sx;
}

/* ------------------------------------------------------------------------
 * Identity papers
 * ---------------------------------------------------------------------- */

/* A word's folded form is one of `words` (NULL-terminated). */
static int folded_is(const char *w, const char *const *words)
{
	strbuf f = STRBUF_INIT;
	int hit = 0;

	forms_fold(w, &f);
	for (; *words && !hit; words++)
		hit = !strcmp(f.buf, *words);
	strbuf_release(&f);
	return hit;
}

static int has_digit(const char *w)
{
	for (; *w; w++)
		if (*w >= '0' && *w <= '9')
			return 1;
	return 0;
}

enum paper_kind fields_paper(const char *raw, strbuf *num)
{
	/* what ends the number: the date and place */
	static const char *const stop[] = { "cap", "ngay", "tai", "do", "ngay cap", NULL };
	static const char *const so[] = { "so", NULL };
	enum paper_kind kind = PAPER_UNKNOWN;
	strbuf fold = STRBUF_INIT;
	char *copy = xstrdup(raw), *save = NULL, *w;
	int after_so = 0, started = 0, ndigits = 0;

	forms_fold(raw, &fold);
	if (strstr(fold.buf, "ho chieu"))
		kind = PAPER_PASSPORT;
	else if (strstr(fold.buf, "cmnd") || strstr(fold.buf, "chung minh"))
		kind = PAPER_CMND;
	else if (strstr(fold.buf, "cccd") || strstr(fold.buf, "can cuoc"))
		kind = PAPER_PERSONAL_ID;
	strbuf_reset(num);
	/*
	 * The number: the words after "số" (or, without it, from the first
	 * word with a digit) up to the issue, joined without their spaces.
	 */
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (folded_is(w, stop) && (started || after_so))
			break;
		if (!started && folded_is(w, so)) {
			after_so = 1;
			continue;
		}
		if (!started && !after_so && !has_digit(w))
			continue;
		if (!started && after_so && !has_digit(w) && kind != PAPER_PASSPORT)
			continue;
		started = 1;
		for (const char *c = w; *c; c++) {
			if ((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= 'a' && *c <= 'z'))
				strbuf_addch(num, *c);
			ndigits += *c >= '0' && *c <= '9';
		}
		/* a comma ends it: "..., cấp ngày" */
		if (strchr(w, ',') || strchr(w, ';'))
			break;
	}
	/* an old card of 12 digits (2012-2016) carries the personal ID */
	if ((kind == PAPER_CMND || kind == PAPER_UNKNOWN) && ndigits == 12 && num->len == 12)
		kind = PAPER_PERSONAL_ID;
	else if (kind == PAPER_UNKNOWN && ndigits == 9 && num->len == 9)
		kind = PAPER_CMND;
	free(copy);
	strbuf_release(&fold);
	return kind;
}
