/*
 * text.c — canonical Vietnamese text on ICU: NFC, one tone-mark placement
 * rule, look-alikes and invisible characters, case mapping, the folded key.
 *
 * The work is done in UTF-16 (ICU's form) in NFD, where a Vietnamese letter
 * is a base letter followed by at most one quality mark (circumflex, breve,
 * horn) and one tone mark; the tone is taken off every letter of a
 * syllable and put back on the letter the rule names; NFC composes again.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

#include "normalize_internal.h"

/* ------------------------------------------------------------------------
 * UTF-16 buffers
 * ---------------------------------------------------------------------- */

void vn_ubuf_init(struct ubuf *b)
{
	b->p = b->inline_buf;
	b->len = 0;
	b->cap = (int32_t)HT_ARRAY_LEN(b->inline_buf);
}

void vn_ubuf_release(struct ubuf *b)
{
	if (b->p != b->inline_buf)
		free(b->p);
	vn_ubuf_init(b);
}

void vn_ubuf_move(struct ubuf *dst, struct ubuf *src)
{
	vn_ubuf_release(dst);
	*dst = *src;
	if (src->p == src->inline_buf)
		dst->p = dst->inline_buf;
	vn_ubuf_init(src);
}

void vn_ubuf_reserve(struct ubuf *b, int32_t cap)
{
	UChar *p;

	if (cap <= b->cap)
		return;
	if (cap < b->cap * 2)
		cap = b->cap * 2;
	p = xmalloc((size_t)cap * sizeof(UChar));
	memcpy(p, b->p, (size_t)b->len * sizeof(UChar));
	if (b->p != b->inline_buf)
		free(b->p);
	b->p = p;
	b->cap = cap;
}

void vn_ubuf_push(struct ubuf *b, UChar c)
{
	if (b->len >= b->cap)
		vn_ubuf_reserve(b, b->len + 1);
	b->p[b->len++] = c;
}

int32_t vn_ubuf_from_utf8(struct ubuf *b, const char *in, ptrdiff_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n = 0, subs = 0, ilen;

	if (len < 0)
		len = (ptrdiff_t)strlen(in);
	if (len > INT32_MAX / 2)
		len = INT32_MAX / 2;
	ilen = (int32_t)len;
	b->len = 0;
	/* UTF-16 never needs more code units than UTF-8 has bytes */
	vn_ubuf_reserve(b, ilen + 1);
	u_strFromUTF8WithSub(b->p, b->cap, &n, in, ilen, 0xFFFD, &subs, &err);
	if (U_FAILURE(err))
		n = 0;
	b->len = n;
	return subs;
}

void vn_ubuf_to_utf8(const struct ubuf *b, strbuf *out)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n = 0;

	/* at most 3 bytes per UTF-16 code unit */
	strbuf_grow(out, (size_t)b->len * 3 + 1);
	u_strToUTF8WithSub(out->buf + out->len, (int32_t)(out->alloc - out->len), &n, b->p, b->len,
			   0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		n = 0;
	out->len += (size_t)n;
	out->buf[out->len] = '\0';
}

static void normalize_with(const UNormalizer2 *nz, const struct ubuf *src, struct ubuf *dst)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n;

	dst->len = 0;
	if (!src->len)
		return;
	n = unorm2_normalize(nz, src->p, src->len, dst->p, dst->cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		vn_ubuf_reserve(dst, n + 1);
		n = unorm2_normalize(nz, src->p, src->len, dst->p, dst->cap, &err);
	}
	dst->len = U_SUCCESS(err) ? n : 0;
}

/* ICU's normalizer singletons, looked up once. */
static const UNormalizer2 *nfd_singleton, *nfc_singleton;
static pthread_once_t normalizers_once = PTHREAD_ONCE_INIT;

static void normalizers_init(void)
{
	UErrorCode err = U_ZERO_ERROR;

	nfd_singleton = unorm2_getNFDInstance(&err);
	err = U_ZERO_ERROR;
	nfc_singleton = unorm2_getNFCInstance(&err);
}

static const UNormalizer2 *nfd_instance(void)
{
	pthread_once(&normalizers_once, normalizers_init);
	return nfd_singleton;
}

static const UNormalizer2 *nfc_instance(void)
{
	pthread_once(&normalizers_once, normalizers_init);
	return nfc_singleton;
}

void vn_ubuf_nfd(const struct ubuf *src, struct ubuf *dst)
{
	normalize_with(nfd_instance(), src, dst);
}

void vn_ubuf_nfc(const struct ubuf *src, struct ubuf *dst)
{
	normalize_with(nfc_instance(), src, dst);
}

const char *vn_icu_version(void)
{
	static char buf[U_MAX_VERSION_STRING_LENGTH];
	UVersionInfo v;

	if (!buf[0]) {
		u_getVersion(v);
		u_versionToString(v, buf);
	}
	return buf;
}

/* ------------------------------------------------------------------------
 * The letter model
 * ---------------------------------------------------------------------- */

int vn_tone_of_mark(UChar c)
{
	switch (c) {
	case U_GRAVE:
		return TONE_HUYEN;
	case U_ACUTE:
		return TONE_SAC;
	case U_HOOK:
		return TONE_HOI;
	case U_TILDE:
		return TONE_NGA;
	case U_DOTBELOW:
		return TONE_NANG;
	}
	return TONE_NONE;
}

UChar vn_mark_of_tone(int tone)
{
	static const UChar marks[] = { 0, U_GRAVE, U_ACUTE, U_HOOK, U_TILDE, U_DOTBELOW };

	return tone > 0 && tone < (int)HT_ARRAY_LEN(marks) ? marks[tone] : 0;
}

int vn_quality_of_mark(UChar c)
{
	switch (c) {
	case U_CIRC:
		return Q_CIRC;
	case U_BREVE:
		return Q_BREVE;
	case U_HORN:
		return Q_HORN;
	}
	return 0;
}

int vn_is_vowel_base(UChar c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Letters that occur in Vietnamese words (lower case base). */
static int vn_base_letter(UChar c)
{
	if (c == U_DSTROKE_LO)
		return 1;
	if (c < 'a' || c > 'z')
		return 0;
	return c != 'f' && c != 'j' && c != 'w' && c != 'z';
}

static int quality_allowed(UChar lower, int q)
{
	switch (q) {
	case 0:
		return 1;
	case Q_CIRC:
		return lower == 'a' || lower == 'e' || lower == 'o';
	case Q_BREVE:
		return lower == 'a';
	case Q_HORN:
		return lower == 'o' || lower == 'u';
	}
	return 0;
}

int vn_syl_from_nfd(const UChar *run, int32_t len, struct vn_syl *s)
{
	int32_t i;

	memset(s, 0, sizeof(*s));
	s->tone_at = -1;
	for (i = 0; i < len; i++) {
		UChar c = run[i];
		int t, q;

		if (!uc_is_mark(c)) {
			UChar lower = (UChar)u_tolower(c);

			if (s->n >= VN_SYL_MAX)
				return -1;
			s->l[s->n].base = c;
			s->l[s->n].lower = lower;
			s->l[s->n].quality = 0;
			if (!vn_base_letter(lower))
				s->foreign = 1;
			s->n++;
			continue;
		}
		if (!s->n) {
			s->foreign = 1;
			continue;
		}
		t = vn_tone_of_mark(c);
		q = vn_quality_of_mark(c);
		if (t) {
			if (!s->tones_seen) {
				s->tone = t;
				s->tone_at = s->n - 1;
			}
			s->tones_seen++;
		} else if (q) {
			struct vn_letter *l = &s->l[s->n - 1];

			if ((l->quality & q) || !quality_allowed(l->lower, l->quality | q))
				s->foreign = 1;
			l->quality |= q;
		} else {
			s->foreign = 1;
		}
	}
	return 0;
}

static int letter_is_vowel(const struct vn_letter *l)
{
	return vn_is_vowel_base(l->lower);
}

int vn_syl_tone_position(const struct vn_syl *s, int *old_style)
{
	int onset = 0, vs, ve, i, nv, pos, coda;

	*old_style = -1;
	if (s->foreign || s->n == 0)
		return -1;
	/* onset: qu and gi (before another vowel) own their u and i */
	if (s->n > 2 && s->l[0].lower == 'q' && s->l[1].lower == 'u' && !s->l[1].quality &&
	    letter_is_vowel(&s->l[2]))
		onset = 2;
	else if (s->n > 2 && s->l[0].lower == 'g' && s->l[1].lower == 'i' &&
		 letter_is_vowel(&s->l[2]))
		onset = 2;
	else
		while (onset < s->n && !letter_is_vowel(&s->l[onset]))
			onset++;
	vs = onset;
	ve = vs;
	while (ve < s->n && letter_is_vowel(&s->l[ve]))
		ve++;
	nv = ve - vs;
	coda = ve < s->n;
	for (i = ve; i < s->n; i++)
		if (letter_is_vowel(&s->l[i]))
			return -1; /* more than one syllable run together */
	if (nv == 0)
		return -1;
	/* the last vowel with a quality mark: ươ -> ơ, uyê -> ê, ưa -> ư */
	pos = -1;
	for (i = vs; i < ve; i++)
		if (s->l[i].quality)
			pos = i;
	if (pos >= 0)
		return pos;
	if (nv == 1)
		return vs;
	if (nv == 3)
		return vs + 1;
	if (nv == 2) {
		UChar a = s->l[vs].lower, b = s->l[vs + 1].lower;

		if (coda)
			return vs + 1;
		if ((a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y')) {
			*old_style = vs;
			return vs + 1;
		}
		return vs;
	}
	return -1;
}

void vn_syl_emit(const struct vn_syl *s, int pos, struct ubuf *out)
{
	int i;

	for (i = 0; i < s->n; i++) {
		const struct vn_letter *l = &s->l[i];

		vn_ubuf_push(out, l->base);
		if (l->quality & Q_HORN)
			vn_ubuf_push(out, U_HORN);
		if (l->quality & Q_CIRC)
			vn_ubuf_push(out, U_CIRC);
		if (l->quality & Q_BREVE)
			vn_ubuf_push(out, U_BREVE);
		if (i == pos && s->tone)
			vn_ubuf_push(out, vn_mark_of_tone(s->tone));
	}
}

void vn_syl_letters_utf8(const struct vn_syl *s, char *buf, size_t size)
{
	size_t o = 0;
	int i;

	for (i = 0; i < s->n && o + 3 < size; i++) {
		const struct vn_letter *l = &s->l[i];
		const char *u = NULL;

		switch (l->lower) {
		case 'a':
			u = l->quality == Q_CIRC ? "â" : l->quality == Q_BREVE ? "ă" : NULL;
			break;
		case 'e':
			u = l->quality == Q_CIRC ? "ê" : NULL;
			break;
		case 'o':
			u = l->quality == Q_CIRC ? "ô" : l->quality == Q_HORN ? "ơ" : NULL;
			break;
		case 'u':
			u = l->quality == Q_HORN ? "ư" : NULL;
			break;
		case U_DSTROKE_LO:
			u = "đ";
			break;
		}
		if (u) {
			size_t ul = strlen(u);

			memcpy(buf + o, u, ul);
			o += ul;
		} else {
			buf[o++] = (char)(l->lower < 0x80 ? l->lower : '?');
		}
	}
	buf[o] = '\0';
}

/* ------------------------------------------------------------------------
 * Canonical text
 * ---------------------------------------------------------------------- */

static int is_invisible(UChar32 c)
{
	switch (c) {
	case 0x00AD: /* soft hyphen */
	case 0x200B:
	case 0x200C:
	case 0x200D:
	case 0x200E:
	case 0x200F:
	case 0x2060:
	case 0xFEFF:
		return 1;
	}
	return u_charType(c) == U_CONTROL_CHAR && !u_isWhitespace(c);
}

/* Cyrillic letters that look like Latin ones, for mixed-script words. */
static UChar cyrillic_lookalike(UChar c)
{
	static const UChar map[][2] = {
		{ 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043E, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' },
		{ 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0456, 'i' }, { 0x0410, 'A' }, { 0x0412, 'B' },
		{ 0x0415, 'E' }, { 0x041A, 'K' }, { 0x041C, 'M' }, { 0x041D, 'H' }, { 0x041E, 'O' },
		{ 0x0420, 'P' }, { 0x0421, 'C' }, { 0x0422, 'T' }, { 0x0425, 'X' }, { 0x0406, 'I' },
	};
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(map); i++)
		if (map[i][0] == c)
			return map[i][1];
	return 0;
}

/*
 * Pass 1, on the UTF-16 input: look-alikes, invisible characters, spaces.
 * Spaces are collapsed and trimmed.
 */
static void clean_chars(const struct ubuf *in, struct ubuf *out, unsigned *warn)
{
	int32_t i, w0;
	int pending_space = 0;

	out->len = 0;
	vn_ubuf_reserve(out, in->len + 1);
	for (i = 0; i < in->len; i++) {
		UChar c = in->p[i];

		if (U16_IS_SURROGATE(c)) {
			/* outside the BMP: kept as it is */
		} else if (u_isUWhiteSpace(c)) {
			pending_space = out->len > 0;
			continue;
		} else if (is_invisible(c)) {
			*warn |= VN_W_INVISIBLE;
			continue;
		} else if (c == 0x00D0 || c == 0x0189) {
			c = U_DSTROKE_UP;
			*warn |= VN_W_LOOKALIKE;
		} else if (c == 0x00F0 || c == 0x0256) {
			/* ð, and the African ɖ whose capital is Ɖ (above) */
			c = U_DSTROKE_LO;
			*warn |= VN_W_LOOKALIKE;
		} else if (c == 0x02BC) {
			/* the modifier letter apostrophe of "Hʼ Nhi" is an apostrophe */
			c = '\'';
		} else if (c == 0x0131) {
			/* the Turkish dotless ı: OCR's i without its dot */
			c = 'i';
			*warn |= VN_W_LOOKALIKE;
		}
		if (pending_space) {
			out->p[out->len++] = ' ';
			pending_space = 0;
		}
		out->p[out->len++] = c;
	}
	/* Cyrillic look-alikes inside words that also have Latin letters */
	for (w0 = 0; w0 < out->len;) {
		int32_t w1 = w0;
		int latin = 0, cyr = 0;

		while (w1 < out->len && out->p[w1] != ' ') {
			UChar c = out->p[w1];

			if (c < 0x250 && uc_is_alpha(c))
				latin = 1;
			else if (cyrillic_lookalike(c))
				cyr = 1;
			w1++;
		}
		if (latin && cyr) {
			for (i = w0; i < w1; i++) {
				UChar m = cyrillic_lookalike(out->p[i]);

				if (m)
					out->p[i] = m;
			}
			*warn |= VN_W_LOOKALIKE;
		}
		w0 = w1 + 1;
	}
}

/* Pass 2, on NFD: each run of letters and marks is one syllable. */
static void place_tones(const struct ubuf *in, struct ubuf *out, unsigned *warn)
{
	int32_t i = 0;

	out->len = 0;
	vn_ubuf_reserve(out, in->len + 4);
	while (i < in->len) {
		UChar c = in->p[i];
		int32_t j;
		struct vn_syl s;
		int pos, old;

		if (uc_is_mark(c)) {
			/* a mark with no letter before it */
			*warn |= VN_W_STRAY_MARK;
			i++;
			continue;
		}
		if (!uc_is_alpha(c)) {
			vn_ubuf_push(out, c);
			i++;
			continue;
		}
		j = i + 1;
		while (j < in->len && (uc_is_alpha(in->p[j]) || uc_is_mark(in->p[j])))
			j++;
		if (vn_syl_from_nfd(in->p + i, j - i, &s) < 0 || !s.tones_seen) {
			for (; i < j; i++)
				vn_ubuf_push(out, in->p[i]);
			continue;
		}
		pos = vn_syl_tone_position(&s, &old);
		if (pos < 0) {
			pos = s.tone_at;
		} else if (pos != s.tone_at && s.tone_at != old) {
			*warn |= VN_W_TONE_MISPLACED;
		}
		if (s.tones_seen > 1)
			*warn |= VN_W_TONE_CONFLICT;
		if (s.foreign || s.tones_seen > 1) {
			/*
			 * Not one Vietnamese syllable, or two tones in one run
			 * (syllables run together, OCR noise): keep every mark
			 * where it was rather than guess which to drop.
			 */
			for (; i < j; i++)
				vn_ubuf_push(out, in->p[i]);
			continue;
		}
		vn_syl_emit(&s, pos, out);
		i = j;
	}
}

static void squeeze_spaces(struct ubuf *b)
{
	int32_t i, o = 0;

	for (i = 0; i < b->len; i++) {
		if (b->p[i] == ' ' && (o == 0 || b->p[o - 1] == ' '))
			continue;
		b->p[o++] = b->p[i];
	}
	while (o > 0 && b->p[o - 1] == ' ')
		o--;
	b->len = o;
}

/*
 * The Turkish İ, which OCR produces from a speck above an I: the dot above
 * an i or I (U+0307, from U+0130 in NFD) is dropped, so that the syllable
 * is Vietnamese again and the tone rule applies the same way on every
 * pass.  (The dotless ı becomes i in clean_chars.)
 */
static void drop_dot_above_i(struct ubuf *u, unsigned *w)
{
	int32_t i, o = 0;

	for (i = 0; i < u->len; i++) {
		UChar c = u->p[i];

		if (c == 0x0307 && o > 0 && (u->p[o - 1] == 'i' || u->p[o - 1] == 'I')) {
			*w |= VN_W_STRAY_MARK;
			continue;
		}
		u->p[o++] = c;
	}
	u->len = o;
}

void text_canonical_u(const char *in, ptrdiff_t len, struct ubuf *out, unsigned *warn)
{
	struct ubuf b;
	unsigned w = 0;

	vn_ubuf_init(&b);
	if (vn_ubuf_from_utf8(out, in, len) > 0)
		w |= VN_W_INVALID_UTF8;
	clean_chars(out, &b, &w);
	vn_ubuf_nfd(&b, out);
	drop_dot_above_i(out, &w);
	place_tones(out, &b, &w);
	if (w & VN_W_STRAY_MARK)
		squeeze_spaces(&b); /* a dropped mark may have left a space alone */
	vn_ubuf_nfc(&b, out);
	if (!out->len)
		w |= VN_W_EMPTY;
	vn_ubuf_release(&b);
	*warn |= w;
}

int vn_text_normalize(const char *in, ptrdiff_t len, strbuf *out, unsigned *warn)
{
	struct ubuf a;
	unsigned w = 0;

	vn_ubuf_init(&a);
	text_canonical_u(in, len, &a, &w);
	vn_ubuf_to_utf8(&a, out);
	vn_ubuf_release(&a);
	if (warn)
		*warn |= w;
	return 0;
}

/* ------------------------------------------------------------------------
 * Folded key
 * ---------------------------------------------------------------------- */

void text_fold_u(const struct ubuf *nfc, strbuf *out)
{
	struct ubuf a, b;
	int32_t i;
	int space = 0;

	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_nfd(nfc, &a);
	for (i = 0; i < a.len; i++) {
		UChar c = a.p[i];

		if (uc_is_mark(c) || c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC ||
		    c == '-' || c == 0x2010 || c == 0x2011)
			continue;
		if (c == U_DSTROKE_LO || c == U_DSTROKE_UP) {
			c = 'd';
		} else if (c < 0x80 && uc_is_alpha(c)) {
			c = (UChar)(c | 0x20);
		} else if (u_isalnum(c)) {
			c = (UChar)u_tolower(c);
		} else if (U16_IS_SURROGATE(c)) {
			/* kept */
		} else {
			space = b.len > 0;
			continue;
		}
		if (space) {
			vn_ubuf_push(&b, ' ');
			space = 0;
		}
		vn_ubuf_push(&b, c);
	}
	vn_ubuf_to_utf8(&b, out);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
}

int vn_nfc(const char *in, ptrdiff_t len, strbuf *out)
{
	struct ubuf a, b;

	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_from_utf8(&a, in, len);
	vn_ubuf_nfc(&a, &b);
	vn_ubuf_to_utf8(&b, out);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
	return 0;
}

int vn_fold(const char *in, ptrdiff_t len, strbuf *out)
{
	struct ubuf a, b;
	unsigned w = 0;

	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_from_utf8(&a, in, len);
	clean_chars(&a, &b, &w);
	text_fold_u(&b, out);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
	return 0;
}

/* ------------------------------------------------------------------------
 * Case mapping
 * ---------------------------------------------------------------------- */

static int is_apostrophe(UChar c)
{
	return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC;
}

/*
 * Title case: first letter of each word and of each part of a hyphenated
 * word; after a one-letter prefix with an apostrophe (H'Hen, O'Brien) the
 * next letter too; the rest lower case.  In place.
 */
void text_title_u(struct ubuf *b)
{
	int32_t i;

	for (i = 0; i < b->len; i++) {
		UChar c = b->p[i];
		int start = i == 0 || b->p[i - 1] == ' ' || b->p[i - 1] == '-' ||
			    b->p[i - 1] == '(' || b->p[i - 1] == '"';

		if (!start && i >= 2 && is_apostrophe(b->p[i - 1]) && uc_is_alpha(b->p[i - 2]) &&
		    (i == 2 || !uc_is_alpha(b->p[i - 3])))
			start = 1;
		if (c < 0x80) {
			if (uc_is_alpha(c))
				b->p[i] = start ? (UChar)(c & ~0x20) : (UChar)(c | 0x20);
		} else if (uc_is_alpha(c)) {
			b->p[i] = start ? (UChar)u_totitle(c) : (UChar)u_tolower(c);
		}
	}
}

int vn_case_map(const char *in, ptrdiff_t len, enum vn_case cm, strbuf *out)
{
	struct ubuf a, b;
	UErrorCode err = U_ZERO_ERROR;
	int32_t n;

	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_from_utf8(&b, in, len);
	{
		UErrorCode qerr = U_ZERO_ERROR;

		/* canonical input (the usual case) is NFC already */
		if (!unorm2_isNormalized(nfc_instance(), b.p, b.len, &qerr) || U_FAILURE(qerr)) {
			vn_ubuf_nfc(&b, &a);
			vn_ubuf_move(&b, &a);
		}
	}
	if (cm == VN_CASE_LOWER || cm == VN_CASE_UPPER) {
		vn_ubuf_reserve(&a, b.len * 2 + 1);
		n = cm == VN_CASE_LOWER ? u_strToLower(a.p, a.cap, b.p, b.len, "vi", &err)
					: u_strToUpper(a.p, a.cap, b.p, b.len, "vi", &err);
		if (err == U_BUFFER_OVERFLOW_ERROR) {
			err = U_ZERO_ERROR;
			vn_ubuf_reserve(&a, n + 1);
			n = cm == VN_CASE_LOWER ? u_strToLower(a.p, a.cap, b.p, b.len, "vi", &err)
						: u_strToUpper(a.p, a.cap, b.p, b.len, "vi", &err);
		}
		a.len = U_SUCCESS(err) ? n : 0;
	} else {
		text_title_u(&b);
		vn_ubuf_move(&a, &b);
	}
	vn_ubuf_to_utf8(&a, out);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
	return 0;
}

/* ------------------------------------------------------------------------
 * Warnings
 * ---------------------------------------------------------------------- */

static const char *const warning_names[] = {
	"invalid_utf8",
	"lookalike",
	"invisible",
	"stray_mark",
	"tone_misplaced",
	"tone_conflict",
	"syllable_repaired",
	"syllable_invalid",
	"legacy_encoding",
	"encoding_unsure",
	"empty",
	"name_prefix",
	"name_unusual",
	"date_partial",
	"date_impossible",
	"date_words",
	"date_disagree",
	"date_two_digit_year",
	"id_repaired",
	"id_invalid",
	"id_inconsistent",
	"id_cmnd",
	"place_unknown",
	"place_merged",
	"place_ambiguous",
	"vocab_unknown",
	"place_repaired",
};

const char *vn_warning_name(unsigned bit)
{
	unsigned i;

	for (i = 0; i < HT_ARRAY_LEN(warning_names); i++)
		if (bit == 1u << i)
			return warning_names[i];
	return NULL;
}

void vn_warnings_format(unsigned w, strbuf *out)
{
	unsigned i;
	int first = 1;

	for (i = 0; i < HT_ARRAY_LEN(warning_names); i++) {
		if (!(w & (1u << i)))
			continue;
		if (!first)
			strbuf_addch(out, ',');
		strbuf_addstr(out, warning_names[i]);
		first = 0;
	}
}
