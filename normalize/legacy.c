/*
 * legacy.c — the legacy Vietnamese encodings still met in old data:
 * TCVN3 (ABC, TCVN 5712:1993 VN3), VNI-Windows, VIQR (RFC 1456) and
 * Windows-1258, with a detector.
 *
 * TCVN3, VNI and VIQR have no ICU converter: the tables below are written
 * from the published charts, and so is Windows-1258's (see there why).
 * Every decoder produces NFD text (base letter + marks) that NFC then
 * composes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "normalize_internal.h"

const char *vn_encoding_name(enum vn_encoding enc)
{
	static const char *const names[] = { "utf8", "tcvn3", "vni", "viqr", "cp1258", "auto" };

	return (unsigned)enc < HT_ARRAY_LEN(names) ? names[enc] : "?";
}

int vn_encoding_parse(const char *name)
{
	static const struct {
		const char *name;
		enum vn_encoding enc;
	} names[] = {
		{ "utf8", VN_ENC_UTF8 },       { "utf-8", VN_ENC_UTF8 },
		{ "unicode", VN_ENC_UTF8 },    { "tcvn3", VN_ENC_TCVN3 },
		{ "tcvn", VN_ENC_TCVN3 },      { "abc", VN_ENC_TCVN3 },
		{ "vn3", VN_ENC_TCVN3 },       { "vni", VN_ENC_VNI },
		{ "vni-windows", VN_ENC_VNI }, { "viqr", VN_ENC_VIQR },
		{ "cp1258", VN_ENC_CP1258 },   { "windows-1258", VN_ENC_CP1258 },
		{ "auto", VN_ENC_AUTO },
	};
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(names); i++)
		if (!strcasecmp(name, names[i].name))
			return (int)names[i].enc;
	return -1;
}

/* ------------------------------------------------------------------------
 * Letters as (base, quality, tone), shared by the tables.
 * ---------------------------------------------------------------------- */

struct vchar {
	char base;	 /* 'a', 'A', ..., 'd' for đ with q == Q_STROKE */
	unsigned char q; /* Q_CIRC, Q_BREVE, Q_HORN, or Q_STROKE */
	unsigned char t; /* TONE_* */
};

#define Q_STROKE 8

static void push_vchar(struct ubuf *out, const struct vchar *v)
{
	if (v->q == Q_STROKE) {
		vn_ubuf_push(out, v->base == 'D' ? U_DSTROKE_UP : U_DSTROKE_LO);
		return;
	}
	vn_ubuf_push(out, (UChar)(unsigned char)v->base);
	if (v->q & Q_HORN)
		vn_ubuf_push(out, U_HORN);
	if (v->q & Q_CIRC)
		vn_ubuf_push(out, U_CIRC);
	if (v->q & Q_BREVE)
		vn_ubuf_push(out, U_BREVE);
	if (v->t)
		vn_ubuf_push(out, vn_mark_of_tone(v->t));
}

/* ------------------------------------------------------------------------
 * TCVN3 (ABC): one byte per lower-case letter; capitals without tone at
 * A1..A7.  Capitals with tones were typed in a separate capital font with
 * the same codes, so they decode as lower case; a word whose other letters
 * are all capitals is taken as capitals.
 * ---------------------------------------------------------------------- */

static const struct {
	unsigned char byte;
	struct vchar v;
} tcvn3_table[] = {
	{ 0xA1, { 'A', Q_BREVE, 0 } },	       { 0xA2, { 'A', Q_CIRC, 0 } },
	{ 0xA3, { 'E', Q_CIRC, 0 } },	       { 0xA4, { 'O', Q_CIRC, 0 } },
	{ 0xA5, { 'O', Q_HORN, 0 } },	       { 0xA6, { 'U', Q_HORN, 0 } },
	{ 0xA7, { 'D', Q_STROKE, 0 } },	       { 0xA8, { 'a', Q_BREVE, 0 } },
	{ 0xA9, { 'a', Q_CIRC, 0 } },	       { 0xAA, { 'e', Q_CIRC, 0 } },
	{ 0xAB, { 'o', Q_CIRC, 0 } },	       { 0xAC, { 'o', Q_HORN, 0 } },
	{ 0xAD, { 'u', Q_HORN, 0 } },	       { 0xAE, { 'd', Q_STROKE, 0 } },
	{ 0xB5, { 'a', 0, TONE_HUYEN } },      { 0xB6, { 'a', 0, TONE_HOI } },
	{ 0xB7, { 'a', 0, TONE_NGA } },	       { 0xB8, { 'a', 0, TONE_SAC } },
	{ 0xB9, { 'a', 0, TONE_NANG } },       { 0xBB, { 'a', Q_BREVE, TONE_HUYEN } },
	{ 0xBC, { 'a', Q_BREVE, TONE_HOI } },  { 0xBD, { 'a', Q_BREVE, TONE_NGA } },
	{ 0xBE, { 'a', Q_BREVE, TONE_SAC } },  { 0xC6, { 'a', Q_BREVE, TONE_NANG } },
	{ 0xC7, { 'a', Q_CIRC, TONE_HUYEN } }, { 0xC8, { 'a', Q_CIRC, TONE_HOI } },
	{ 0xC9, { 'a', Q_CIRC, TONE_NGA } },   { 0xCA, { 'a', Q_CIRC, TONE_SAC } },
	{ 0xCB, { 'a', Q_CIRC, TONE_NANG } },  { 0xCC, { 'e', 0, TONE_HUYEN } },
	{ 0xCE, { 'e', 0, TONE_HOI } },	       { 0xCF, { 'e', 0, TONE_NGA } },
	{ 0xD0, { 'e', 0, TONE_SAC } },	       { 0xD1, { 'e', 0, TONE_NANG } },
	{ 0xD2, { 'e', Q_CIRC, TONE_HUYEN } }, { 0xD3, { 'e', Q_CIRC, TONE_HOI } },
	{ 0xD4, { 'e', Q_CIRC, TONE_NGA } },   { 0xD5, { 'e', Q_CIRC, TONE_SAC } },
	{ 0xD6, { 'e', Q_CIRC, TONE_NANG } },  { 0xD7, { 'i', 0, TONE_HUYEN } },
	{ 0xD8, { 'i', 0, TONE_HOI } },	       { 0xDC, { 'i', 0, TONE_NGA } },
	{ 0xDD, { 'i', 0, TONE_SAC } },	       { 0xDE, { 'i', 0, TONE_NANG } },
	{ 0xDF, { 'o', 0, TONE_HUYEN } },      { 0xE1, { 'o', 0, TONE_HOI } },
	{ 0xE2, { 'o', 0, TONE_NGA } },	       { 0xE3, { 'o', 0, TONE_SAC } },
	{ 0xE4, { 'o', 0, TONE_NANG } },       { 0xE5, { 'o', Q_CIRC, TONE_HUYEN } },
	{ 0xE6, { 'o', Q_CIRC, TONE_HOI } },   { 0xE7, { 'o', Q_CIRC, TONE_NGA } },
	{ 0xE8, { 'o', Q_CIRC, TONE_SAC } },   { 0xE9, { 'o', Q_CIRC, TONE_NANG } },
	{ 0xEA, { 'o', Q_HORN, TONE_HUYEN } }, { 0xEB, { 'o', Q_HORN, TONE_HOI } },
	{ 0xEC, { 'o', Q_HORN, TONE_NGA } },   { 0xED, { 'o', Q_HORN, TONE_SAC } },
	{ 0xEE, { 'o', Q_HORN, TONE_NANG } },  { 0xEF, { 'u', 0, TONE_HUYEN } },
	{ 0xF1, { 'u', 0, TONE_HOI } },	       { 0xF2, { 'u', 0, TONE_NGA } },
	{ 0xF3, { 'u', 0, TONE_SAC } },	       { 0xF4, { 'u', 0, TONE_NANG } },
	{ 0xF5, { 'u', Q_HORN, TONE_HUYEN } }, { 0xF6, { 'u', Q_HORN, TONE_HOI } },
	{ 0xF7, { 'u', Q_HORN, TONE_NGA } },   { 0xF8, { 'u', Q_HORN, TONE_SAC } },
	{ 0xF9, { 'u', Q_HORN, TONE_NANG } },  { 0xFA, { 'y', 0, TONE_HUYEN } },
	{ 0xFB, { 'y', 0, TONE_HOI } },	       { 0xFC, { 'y', 0, TONE_NGA } },
	{ 0xFD, { 'y', 0, TONE_SAC } },	       { 0xFE, { 'y', 0, TONE_NANG } },
};

static const struct vchar *tcvn3_lookup(unsigned char b)
{
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(tcvn3_table); i++)
		if (tcvn3_table[i].byte == b)
			return &tcvn3_table[i].v;
	return NULL;
}

static int ascii_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int ascii_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static int tcvn3_word_break(unsigned char c)
{
	return c < 0x80 && !ascii_lower(c) && !ascii_upper(c);
}

static void decode_tcvn3(const unsigned char *in, size_t len, struct ubuf *out, unsigned *warn)
{
	size_t i = 0;

	while (i < len) {
		size_t ws = i, we, j;
		int up = 0, low = 0;

		if (tcvn3_word_break(in[i])) {
			vn_ubuf_push(out, in[i++]);
			continue;
		}
		for (we = ws; we < len && !tcvn3_word_break(in[we]); we++) {
			if (ascii_upper(in[we]) || (in[we] >= 0xA1 && in[we] <= 0xA7))
				up++;
			else if (ascii_lower(in[we]) || (in[we] >= 0xA8 && in[we] <= 0xAE))
				low++;
		}
		for (j = ws; j < we; j++) {
			const struct vchar *v;
			struct vchar c;

			if (in[j] < 0x80) {
				vn_ubuf_push(out, in[j]);
				continue;
			}
			v = tcvn3_lookup(in[j]);
			if (!v) {
				vn_ubuf_push(out, 0xFFFD);
				*warn |= VN_W_INVALID_UTF8;
				continue;
			}
			c = *v;
			/* NGUYÔN, §ÆNG: the toned letters of an all-capital word */
			if (up >= 2 && low == 0 && ascii_lower((unsigned char)c.base))
				c.base = (char)(c.base - 'a' + 'A');
			push_vchar(out, &c);
		}
		i = we;
	}
}

/* ------------------------------------------------------------------------
 * VNI-Windows: ASCII base letters followed by Latin-1 mark bytes; some
 * letters are single bytes (ơ ư đ and the i's).  Upper-case marks follow
 * upper-case letters.
 * ---------------------------------------------------------------------- */

struct vni_mark {
	unsigned char lower, upper;
	unsigned char q, t;
};

static const struct vni_mark vni_marks[] = {
	{ 0xF9, 0xD9, 0, TONE_SAC },	    { 0xF8, 0xD8, 0, TONE_HUYEN },
	{ 0xFB, 0xDB, 0, TONE_HOI },	    { 0xF5, 0xD5, 0, TONE_NGA },
	{ 0xEF, 0xCF, 0, TONE_NANG },	    { 0xE2, 0xC2, Q_CIRC, 0 },
	{ 0xE1, 0xC1, Q_CIRC, TONE_SAC },   { 0xE0, 0xC0, Q_CIRC, TONE_HUYEN },
	{ 0xE5, 0xC5, Q_CIRC, TONE_HOI },   { 0xE3, 0xC3, Q_CIRC, TONE_NGA },
	{ 0xE4, 0xC4, Q_CIRC, TONE_NANG },  { 0xEA, 0xCA, Q_BREVE, 0 },
	{ 0xE9, 0xC9, Q_BREVE, TONE_SAC },  { 0xE8, 0xC8, Q_BREVE, TONE_HUYEN },
	{ 0xFA, 0xDA, Q_BREVE, TONE_HOI },  { 0xFC, 0xDC, Q_BREVE, TONE_NGA },
	{ 0xEB, 0xCB, Q_BREVE, TONE_NANG },
};

struct vni_letter {
	unsigned char lower, upper;
	struct vchar v; /* lower-case form */
};

static const struct vni_letter vni_letters[] = {
	{ 0xF4, 0xD4, { 'o', Q_HORN, 0 } },	{ 0xF6, 0xD6, { 'u', Q_HORN, 0 } },
	{ 0xF1, 0xD1, { 'd', Q_STROKE, 0 } },	{ 0xED, 0xCD, { 'i', 0, TONE_SAC } },
	{ 0xEC, 0xCC, { 'i', 0, TONE_HUYEN } }, { 0xE6, 0xC6, { 'i', 0, TONE_HOI } },
	{ 0xF3, 0xD3, { 'i', 0, TONE_NGA } },	{ 0xF2, 0xD2, { 'i', 0, TONE_NANG } },
	{ 0xEE, 0xCE, { 'y', 0, TONE_NANG } },
};

static const struct vni_mark *vni_mark_of(unsigned char b, int *upper)
{
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(vni_marks); i++) {
		if (vni_marks[i].lower == b || vni_marks[i].upper == b) {
			*upper = vni_marks[i].upper == b;
			return &vni_marks[i];
		}
	}
	return NULL;
}

static const struct vni_letter *vni_letter_of(unsigned char b, int *upper)
{
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(vni_letters); i++) {
		if (vni_letters[i].lower == b || vni_letters[i].upper == b) {
			*upper = vni_letters[i].upper == b;
			return &vni_letters[i];
		}
	}
	return NULL;
}

static int vni_mark_fits(char base_lower, int has_horn, const struct vni_mark *m)
{
	if (m->q == Q_CIRC)
		return !has_horn && (base_lower == 'a' || base_lower == 'e' || base_lower == 'o');
	if (m->q == Q_BREVE)
		return !has_horn && base_lower == 'a';
	return base_lower == 'a' || base_lower == 'e' || base_lower == 'o' || base_lower == 'u' ||
	       base_lower == 'y' || base_lower == 'i';
}

static void decode_vni(const unsigned char *in, size_t len, struct ubuf *out, unsigned *warn)
{
	size_t i = 0;

	while (i < len) {
		unsigned char b = in[i];
		struct vchar c;
		int upper = 0, have = 0;
		const struct vni_letter *vl;

		if (b < 0x80 && strchr("aeiouyAEIOUY", b) && b) {
			c.base = (char)b;
			c.q = 0;
			c.t = 0;
			have = 1;
			i++;
		} else if (b >= 0x80 && (vl = vni_letter_of(b, &upper)) != NULL) {
			c = vl->v;
			if (upper)
				c.base = (char)(c.base - 'a' + 'A');
			have = 1;
			i++;
		}
		if (!have) {
			if (b < 0x80) {
				vn_ubuf_push(out, b);
			} else {
				/* a stray mark byte or an unknown one: as Latin-1 */
				vn_ubuf_push(out, b);
				*warn |= VN_W_ENCODING_UNSURE;
			}
			i++;
			continue;
		}
		/* up to one mark byte follows the letter */
		if (i < len && in[i] >= 0x80) {
			int mu;
			const struct vni_mark *m = vni_mark_of(in[i], &mu);
			char lower = (char)(ascii_upper((unsigned char)c.base) ? c.base - 'A' + 'a'
									       : c.base);

			if (m && !c.t && vni_mark_fits(lower, c.q == Q_HORN, m)) {
				c.q |= m->q;
				c.t = m->t;
				i++;
			}
		}
		push_vchar(out, &c);
	}
}

/* ------------------------------------------------------------------------
 * VIQR (RFC 1456): ( ^ + for breve, circumflex, horn; ' ` ? ~ . for the
 * tones; dd for đ; a backslash keeps the next mark character literal.
 * ---------------------------------------------------------------------- */

static int viqr_tone(unsigned char c)
{
	switch (c) {
	case '\'':
		return TONE_SAC;
	case '`':
		return TONE_HUYEN;
	case '?':
		return TONE_HOI;
	case '~':
		return TONE_NGA;
	case '.':
		return TONE_NANG;
	}
	return 0;
}

static int viqr_quality(char lower_base, unsigned char c)
{
	if (c == '^' && (lower_base == 'a' || lower_base == 'e' || lower_base == 'o'))
		return Q_CIRC;
	if (c == '(' && lower_base == 'a')
		return Q_BREVE;
	if (c == '+' && (lower_base == 'o' || lower_base == 'u'))
		return Q_HORN;
	return 0;
}

static int is_word_char(unsigned char c)
{
	return ascii_lower(c) || ascii_upper(c) || c >= 0x80;
}

/* Would the word in out[ws..] plus `c` be one valid syllable? */
static int viqr_word_valid(const struct ubuf *out, int32_t ws, const struct vchar *c)
{
	struct ubuf w;
	struct vn_syl s;
	int ok;

	vn_ubuf_init(&w);
	for (int32_t k = ws; k < out->len; k++)
		vn_ubuf_push(&w, out->p[k]);
	push_vchar(&w, c);
	ok = vn_syl_from_nfd(w.p, w.len, &s) == 0 && s.tones_seen == 1 && vn_syl_valid(&s);
	vn_ubuf_release(&w);
	return ok;
}

static void decode_viqr(const unsigned char *in, size_t len, struct ubuf *out, unsigned *warn)
{
	size_t i = 0;
	int32_t ws = 0; /* start of the current word in out */

	(void)warn;
	while (i < len) {
		unsigned char b = in[i];

		if (b == '\\' && i + 1 < len && in[i + 1] &&
		    (viqr_tone(in[i + 1]) || strchr("^(+\\dD", in[i + 1]))) {
			vn_ubuf_push(out, in[i + 1]);
			i += 2;
			continue;
		}
		if (!is_word_char(b))
			ws = out->len + 1;
		if ((b == 'd' || b == 'D') && i + 1 < len &&
		    (in[i + 1] == 'd' || in[i + 1] == 'D')) {
			vn_ubuf_push(out, b == 'D' ? U_DSTROKE_UP : U_DSTROKE_LO);
			i += 2;
			continue;
		}
		if (b < 0x80 && b && strchr("aeiouyAEIOUY", b)) {
			struct vchar c = { (char)b, 0, 0 };
			char lower = (char)(ascii_upper(b) ? b - 'A' + 'a' : b);
			int q, t;

			i++;
			if (i < len && (q = viqr_quality(lower, in[i])) != 0) {
				c.q = (unsigned char)q;
				i++;
			}
			if (i < len && (t = viqr_tone(in[i])) != 0) {
				/*
				 * '.' and '?' are also punctuation: at the end of a
				 * word they are a tone only when the word then is a
				 * syllable ("Ha." is "Hạ", "Nam." stays).
				 */
				int at_end = i + 1 >= len || !is_word_char(in[i + 1]);
				struct vchar toned = c;

				toned.t = (unsigned char)t;
				if (!((in[i] == '.' || in[i] == '?') && at_end) ||
				    viqr_word_valid(out, ws, &toned)) {
					c.t = (unsigned char)t;
					i++;
				}
			}
			push_vchar(out, &c);
			continue;
		}
		vn_ubuf_push(out, b);
		i++;
	}
}

/* ------------------------------------------------------------------------
 * Windows-1258
 * ---------------------------------------------------------------------- */

/*
 * Bytes 0x80-0xFF of Windows-1258, from Microsoft's chart (CP1258.TXT as
 * published by unicode.org): the letters with a quality mark are
 * precomposed (ă â ê ô ơ ư đ, and the Latin-1 letters), the five tone
 * marks are combining bytes that follow their letter (0xCC grave, 0xEC
 * acute, 0xD2 hook above, 0xDE tilde, 0xF2 dot below) and NFC composes
 * them.  The bytes the chart leaves undefined (0x81 0x8A 0x8D-0x90 0x9A
 * 0x9D 0x9E) stand for the C1 control of their value, as ICU maps them.
 *
 * A table of our own rather than ICU's converter: "windows-1258" is an
 * ambiguous alias in ICU (U_AMBIGUOUS_ALIAS_WARNING; ICU 72 takes
 * ibm-5354), what it opens depends on the ICU data installed, and a
 * converter that did not open left the value empty.  ICU stays the oracle
 * of the fuzz target.
 */
static const UChar cp1258_high[128] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 0x80 */
	0x02C6, 0x2030, 0x008A, 0x2039, 0x0152, 0x008D, 0x008E, 0x008F, /* 0x88 */
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 0x90 */
	0x02DC, 0x2122, 0x009A, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178, /* 0x98 */
	0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, /* 0xA0 */
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, /* 0xA8 */
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, /* 0xB0 */
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, /* 0xB8 */
	0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7, /* 0xC0 */
	0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, /* 0xC8 */
	0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7, /* 0xD0 */
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, /* 0xD8 */
	0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, /* 0xE0 */
	0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF, /* 0xE8 */
	0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, /* 0xF0 */
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF, /* 0xF8 */
};

static void decode_cp1258(const unsigned char *in, size_t len, struct ubuf *out)
{
	vn_ubuf_reserve(out, (int32_t)len + 1);
	for (size_t i = 0; i < len; i++)
		vn_ubuf_push(out, in[i] < 0x80 ? (UChar)in[i] : cp1258_high[in[i] - 0x80]);
}

/* ------------------------------------------------------------------------
 * Decoding and detection
 * ---------------------------------------------------------------------- */

static void decode_to_u(enum vn_encoding enc, const char *in, size_t len, struct ubuf *u,
			unsigned *warn)
{
	const unsigned char *b = (const unsigned char *)in;

	u->len = 0;
	switch (enc) {
	case VN_ENC_TCVN3:
		decode_tcvn3(b, len, u, warn);
		break;
	case VN_ENC_VNI:
		decode_vni(b, len, u, warn);
		break;
	case VN_ENC_VIQR:
		decode_viqr(b, len, u, warn);
		break;
	case VN_ENC_CP1258:
		decode_cp1258(b, len, u);
		break;
	default:
		if (vn_ubuf_from_utf8(u, in, (ptrdiff_t)len) > 0)
			*warn |= VN_W_INVALID_UTF8;
		break;
	}
}

/*
 * Share of the words with a non-ASCII letter (or a VIQR mark) that are
 * valid Vietnamese syllables after decoding; *words gets their number.
 */
static double syllable_score(const struct ubuf *nfc_in, int *words)
{
	struct ubuf d;
	int32_t i = 0;
	int total = 0, good = 0;

	vn_ubuf_init(&d);
	vn_ubuf_nfd(nfc_in, &d);
	while (i < d.len) {
		int32_t j;
		int nonascii = 0, bad = 0;
		struct vn_syl s;

		if (!uc_is_alpha(d.p[i]) && d.p[i] != 0xFFFD) {
			i++;
			continue;
		}
		j = i;
		while (j < d.len &&
		       (uc_is_alpha(d.p[j]) || uc_is_mark(d.p[j]) || d.p[j] == 0xFFFD)) {
			if (d.p[j] >= 0x80)
				nonascii = 1;
			if (d.p[j] == 0xFFFD || (d.p[j] >= 0x80 && d.p[j] < 0x300 &&
						 d.p[j] != U_DSTROKE_LO && d.p[j] != U_DSTROKE_UP))
				bad = 1;
			j++;
		}
		if (nonascii) {
			total++;
			if (!bad && vn_syl_from_nfd(d.p + i, j - i, &s) == 0 && vn_syl_valid(&s))
				good++;
		}
		i = j;
	}
	vn_ubuf_release(&d);
	*words = total;
	return total ? (double)good / total : 0.0;
}

static double score_encoding(enum vn_encoding enc, const char *in, size_t len, int *words)
{
	struct ubuf u, c;
	unsigned w = 0;
	double s;

	vn_ubuf_init(&u);
	vn_ubuf_init(&c);
	decode_to_u(enc, in, len, &u, &w);
	vn_ubuf_nfc(&u, &c);
	s = syllable_score(&c, words);
	if (w & VN_W_INVALID_UTF8)
		s *= 0.5;
	vn_ubuf_release(&u);
	vn_ubuf_release(&c);
	return s;
}

static int valid_utf8(const char *in, size_t len, int *has_multibyte)
{
	const unsigned char *p = (const unsigned char *)in, *end = p + len;

	*has_multibyte = 0;
	while (p < end) {
		int n;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
			n = 1;
		else if ((*p & 0xF0) == 0xE0)
			n = 2;
		else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
			n = 3;
		else
			return 0;
		if (end - p <= n)
			return 0;
		for (int k = 1; k <= n; k++)
			if ((p[k] & 0xC0) != 0x80)
				return 0;
		*has_multibyte = 1;
		p += n + 1;
	}
	return 1;
}

/* VIQR marks after vowels in otherwise plain ASCII text. */
static int viqr_evidence(const char *in, size_t len)
{
	size_t i;
	int hits = 0;

	for (i = 1; i < len; i++) {
		unsigned char c = (unsigned char)in[i], p = (unsigned char)in[i - 1];

		if ((c == '^' || c == '(' || c == '+' || c == '`' || c == '~' || c == '\'') &&
		    strchr("aeiouyAEIOUY", p) && p)
			hits++;
		if ((c == 'd' || c == 'D') && (p == 'd' || p == 'D') &&
		    (i < 2 || !is_word_char((unsigned char)in[i - 2])))
			hits++;
	}
	return hits;
}

enum vn_encoding vn_detect(const char *in, size_t len, double *confidence)
{
	static const enum vn_encoding eight_bit[] = { VN_ENC_TCVN3, VN_ENC_VNI, VN_ENC_CP1258 };
	double best = -1, second = -1, conf;
	enum vn_encoding pick = VN_ENC_UTF8;
	int multibyte, words;
	size_t i;

	if (valid_utf8(in, len, &multibyte)) {
		if (multibyte) {
			if (confidence)
				*confidence = 0.99;
			return VN_ENC_UTF8;
		}
		/* plain ASCII: UTF-8, unless VIQR marks read as Vietnamese */
		if (viqr_evidence(in, len) > 0) {
			double s = score_encoding(VN_ENC_VIQR, in, len, &words);

			if (words > 0 && s >= 0.6) {
				if (confidence)
					*confidence = s * (words >= 3 ? 1.0 : 0.8);
				return VN_ENC_VIQR;
			}
		}
		if (confidence)
			*confidence = 1.0;
		return VN_ENC_UTF8;
	}
	for (i = 0; i < HT_ARRAY_LEN(eight_bit); i++) {
		double s = score_encoding(eight_bit[i], in, len, &words);

		if (s > best) {
			second = best;
			best = s;
			pick = eight_bit[i];
		} else if (s > second) {
			second = s;
		}
	}
	if (second < 0)
		second = 0;
	conf = 0.5 * best + 0.5 * (best - second);
	if (conf < 0)
		conf = 0;
	if (confidence)
		*confidence = conf;
	return pick;
}

int vn_decode(enum vn_encoding enc, const char *in, size_t len, strbuf *out, enum vn_encoding *used,
	      unsigned *warn)
{
	struct ubuf u, c;
	unsigned w = 0;
	double conf = 1.0;

	if (enc == VN_ENC_AUTO) {
		enc = vn_detect(in, len, &conf);
		if (conf < 0.6)
			w |= VN_W_ENCODING_UNSURE;
	}
	if (used)
		*used = enc;
	if (enc != VN_ENC_UTF8)
		w |= VN_W_LEGACY_ENCODING;
	vn_ubuf_init(&u);
	vn_ubuf_init(&c);
	decode_to_u(enc, in, len, &u, &w);
	vn_ubuf_nfc(&u, &c);
	vn_ubuf_to_utf8(&c, out);
	vn_ubuf_release(&u);
	vn_ubuf_release(&c);
	if (warn)
		*warn |= w;
	return 0;
}

/* ------------------------------------------------------------------------
 * Encoding (fixtures, round trips)
 * ---------------------------------------------------------------------- */

/* Split one NFC code point into a vchar, or return 0 if not a letter. */
static int to_vchar(UChar c, struct vchar *v)
{
	UChar buf[8];
	UErrorCode err = U_ZERO_ERROR;
	int32_t n, i;
	UChar src[1] = { c };
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);

	memset(v, 0, sizeof(*v));
	if (c == U_DSTROKE_LO || c == U_DSTROKE_UP) {
		v->base = c == U_DSTROKE_UP ? 'D' : 'd';
		v->q = Q_STROKE;
		return 1;
	}
	n = unorm2_normalize(nfd, src, 1, buf, (int32_t)HT_ARRAY_LEN(buf), &err);
	if (U_FAILURE(err) || n < 1 || buf[0] >= 0x80 || !uc_is_alpha(buf[0]))
		return 0;
	v->base = (char)buf[0];
	for (i = 1; i < n; i++) {
		int q = vn_quality_of_mark(buf[i]), t = vn_tone_of_mark(buf[i]);

		if (q)
			v->q |= (unsigned char)q;
		else if (t)
			v->t = (unsigned char)t;
		else
			return 0;
	}
	return 1;
}

static int encode_tcvn3(const struct vchar *v, strbuf *out)
{
	struct vchar low = *v;
	size_t i;

	if (!v->q && !v->t) {
		strbuf_addch(out, v->base);
		return 0;
	}
	/* capitals without a tone have their own codes; with one, the lower case code */
	if (ascii_upper((unsigned char)v->base) && !v->t) {
		for (i = 0; i < HT_ARRAY_LEN(tcvn3_table); i++)
			if (!memcmp(&tcvn3_table[i].v, v, sizeof(*v))) {
				strbuf_addch(out, (char)tcvn3_table[i].byte);
				return 0;
			}
	}
	if (ascii_upper((unsigned char)low.base))
		low.base = (char)(low.base - 'A' + 'a');
	for (i = 0; i < HT_ARRAY_LEN(tcvn3_table); i++)
		if (tcvn3_table[i].v.base == low.base && tcvn3_table[i].v.q == low.q &&
		    tcvn3_table[i].v.t == low.t) {
			strbuf_addch(out, (char)tcvn3_table[i].byte);
			return 0;
		}
	strbuf_addch(out, '?');
	return 1;
}

static int encode_vni(const struct vchar *v, strbuf *out)
{
	int up = ascii_upper((unsigned char)v->base);
	char lower = (char)(up ? v->base - 'A' + 'a' : v->base);
	size_t i;

	if (v->q == Q_STROKE) {
		strbuf_addch(out, (char)(up ? 0xD1 : 0xF1));
		return 0;
	}
	if (v->q == Q_HORN) {
		/* ơ and ư are single bytes; a tone follows as a mark byte */
		strbuf_addch(out, (char)(lower == 'o' ? (up ? 0xD4 : 0xF4) : (up ? 0xD6 : 0xF6)));
		if (!v->t)
			return 0;
		for (i = 0; i < HT_ARRAY_LEN(vni_marks); i++)
			if (!vni_marks[i].q && vni_marks[i].t == v->t) {
				strbuf_addch(out,
					     (char)(up ? vni_marks[i].upper : vni_marks[i].lower));
				return 0;
			}
		return 1;
	}
	if ((lower == 'i' && v->t) || (lower == 'y' && v->t == TONE_NANG)) {
		for (i = 0; i < HT_ARRAY_LEN(vni_letters); i++)
			if (vni_letters[i].v.base == lower && vni_letters[i].v.t == v->t) {
				strbuf_addch(
				    out, (char)(up ? vni_letters[i].upper : vni_letters[i].lower));
				return 0;
			}
	}
	strbuf_addch(out, v->base);
	if (!v->q && !v->t)
		return 0;
	for (i = 0; i < HT_ARRAY_LEN(vni_marks); i++) {
		if (vni_marks[i].q == v->q && vni_marks[i].t == v->t) {
			strbuf_addch(out, (char)(up ? vni_marks[i].upper : vni_marks[i].lower));
			return 0;
		}
	}
	return 1;
}

static int encode_viqr(const struct vchar *v, UChar next, strbuf *out)
{
	static const char tones[] = { 0, '`', '\'', '?', '~', '.' };

	if (v->q == Q_STROKE) {
		strbuf_addstr(out, v->base == 'D' ? "DD" : "dd");
		return 0;
	}
	strbuf_addch(out, v->base);
	if (v->q & Q_CIRC)
		strbuf_addch(out, '^');
	if (v->q & Q_BREVE)
		strbuf_addch(out, '(');
	if (v->q & Q_HORN)
		strbuf_addch(out, '+');
	if (v->t)
		strbuf_addch(out, tones[v->t]);
	else if (next && next < 0x80 &&
		 (viqr_tone((unsigned char)next) || strchr("^(+", (int)next)))
		strbuf_addch(out, '\\'); /* a literal mark character follows */
	return 0;
}

int vn_encode(enum vn_encoding enc, const char *utf8, strbuf *out)
{
	struct ubuf a, b;
	int32_t i;
	int bad = 0;

	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_from_utf8(&a, utf8, -1);
	vn_ubuf_nfc(&a, &b);
	if (enc == VN_ENC_CP1258) {
		/* tones as combining bytes, quality letters composed */
		UErrorCode err = U_ZERO_ERROR;
		UConverter *cv = ucnv_open("windows-1258", &err);

		a.len = 0;
		for (i = 0; i < b.len; i++) {
			struct vchar v;

			if (to_vchar(b.p[i], &v) && v.t && v.q != Q_STROKE) {
				struct vchar base = v;
				struct ubuf one, comp;

				base.t = 0;
				vn_ubuf_init(&one);
				vn_ubuf_init(&comp);
				push_vchar(&one, &base);
				vn_ubuf_nfc(&one, &comp);
				for (int32_t k = 0; k < comp.len; k++)
					vn_ubuf_push(&a, comp.p[k]);
				vn_ubuf_push(&a, vn_mark_of_tone(v.t));
				vn_ubuf_release(&one);
				vn_ubuf_release(&comp);
			} else {
				vn_ubuf_push(&a, b.p[i]);
			}
		}
		if (U_SUCCESS(err)) {
			char buf[4096];
			const UChar *src = a.p, *end = a.p + a.len;

			ucnv_setFromUCallBack(cv, UCNV_FROM_U_CALLBACK_SUBSTITUTE, NULL, NULL, NULL,
					      &err);
			do {
				char *t = buf;

				err = U_ZERO_ERROR;
				ucnv_fromUnicode(cv, &t, buf + sizeof(buf), &src, end, NULL, 1,
						 &err);
				strbuf_add(out, buf, (size_t)(t - buf));
			} while (err == U_BUFFER_OVERFLOW_ERROR);
			ucnv_close(cv);
		}
		vn_ubuf_release(&a);
		vn_ubuf_release(&b);
		return 0;
	}
	for (i = 0; i < b.len; i++) {
		UChar c = b.p[i];
		struct vchar v;

		if (c < 0x80) {
			UChar next = i + 1 < b.len ? b.p[i + 1] : 0;

			strbuf_addch(out, (char)c);
			/* VIQR: keep a literal mark character or a second d literal */
			if (enc == VN_ENC_VIQR && next && next < 0x80 &&
			    ((strchr("aeiouyAEIOUY", (int)c) &&
			      (viqr_tone((unsigned char)next) || strchr("^(+", (int)next))) ||
			     ((c == 'd' || c == 'D') && (next == 'd' || next == 'D'))))
				strbuf_addch(out, '\\');
			continue;
		}
		if (enc == VN_ENC_UTF8 || !to_vchar(c, &v)) {
			if (enc == VN_ENC_UTF8) {
				struct ubuf one;

				vn_ubuf_init(&one);
				vn_ubuf_push(&one, c);
				vn_ubuf_to_utf8(&one, out);
				vn_ubuf_release(&one);
			} else {
				strbuf_addch(out, '?');
				bad++;
			}
			continue;
		}
		if (enc == VN_ENC_TCVN3)
			bad += encode_tcvn3(&v, out);
		else if (enc == VN_ENC_VNI)
			bad += encode_vni(&v, out);
		else
			bad += encode_viqr(&v, i + 1 < b.len ? b.p[i + 1] : 0, out);
	}
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
	return bad;
}

enum vn_encoding vn_detect_file(const char *path, double *confidence)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	enum vn_encoding enc;

	if (confidence)
		*confidence = 0;
	if (!f)
		return VN_ENC_UTF8;
	buf = xmalloc(1 << 18);
	n = fread(buf, 1, 1 << 18, f);
	fclose(f);
	/* a sample cut short ends at its last whole line, not inside a character */
	if (n == 1 << 18) {
		size_t cut = n;

		while (cut > 0 && buf[cut - 1] != '\n')
			cut--;
		if (cut > 0)
			n = cut;
	}
	enc = vn_detect(buf, n, confidence);
	free(buf);
	return enc == VN_ENC_VIQR ? VN_ENC_UTF8 : enc;
}
