/*
 * name.c — personal names: canonical form (NFC, tone rule, title case),
 * split into surname / middle / given, and the folded key.
 *
 * Kinh names are surname, middle name(s), given name, with a few compound
 * surnames.  Ê Đê and Jrai names put the clan name last and begin with a
 * prefix: Y for men, H' for women ("Y Bih Ksor", "H'Nhi Niê"); the H' is
 * spelled with a straight or curly apostrophe, or a space.  So the split
 * is never simply "last word = given name".
 */
#include <string.h>

#include "normalize_internal.h"

/* Compound surnames, in canonical title case, longest first. */
static const char *const compound_surnames[] = {
	"Công Tằng Tôn Nữ", "Công Huyền Tôn Nữ", "Tôn Thất",	"Tôn Nữ",  "Nguyễn Phúc",
	"Nguyễn Phước",	    "Âu Dương",		 "Tư Mã",	"Gia Cát", "Thượng Quan",
	"Hạ Hầu",	    "Lệnh Hồ",		 "Đông Phương",
};

/* Ê Đê, Jrai, M'nông, Ba Na clan names (folded), which come last. */
static const char *const clan_names[] = {
	"nie",	  "ksor",  "bya",    "eban",  "mlo",	"rcom", "siu",	"rahlan", "kpa",
	"nay",	  "ayun",  "adrong", "hdok",  "mdrang", "ktla", "knul", "enuol",  "bdap",
	"mjau",	  "kbuor", "hwing",  "romah", "rmah",	"kpor", "rcam", "alio",	  "kdoh",
	"bkrong", "hlong", "eya",    "ktul",  "hmok",	"nie",
};

static int is_clan(const char *folded)
{
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(clan_names); i++)
		if (!strcmp(folded, clan_names[i]))
			return 1;
	return 0;
}

static int is_apostrophe(UChar c)
{
	/* ' ’ ‘ ʼ ` ´ */
	return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == '`' || c == 0x00B4;
}

/*
 * Keep letters, marks, spaces and hyphens; apostrophes become ASCII ';
 * other punctuation and digits become spaces; then "H ' Nhi" / "H’ Nhi"
 * join into "H'Nhi" (no space on either side of an apostrophe, none at
 * either end).  Returns 1 when anything but spacing changed.
 */
static int clean_name_u(const struct ubuf *in, struct ubuf *out, unsigned *warn)
{
	struct ubuf tmp;
	int32_t i;
	int changed = 0;

	vn_ubuf_init(&tmp);
	for (i = 0; i < in->len; i++) {
		UChar c = in->p[i];

		if (is_apostrophe(c)) {
			vn_ubuf_push(&tmp, '\'');
			changed = 1;
		} else if (uc_is_alpha(c) || uc_is_mark(c) || c == '-' || U16_IS_SURROGATE(c)) {
			vn_ubuf_push(&tmp, c);
		} else {
			if (c >= '0' && c <= '9')
				*warn |= VN_W_NAME_UNUSUAL;
			if (c != ' ')
				changed = 1;
			vn_ubuf_push(&tmp, ' ');
		}
	}
	out->len = 0;
	for (i = 0; i < tmp.len; i++) {
		UChar c = tmp.p[i];

		if (c == ' ' &&
		    (!out->len || out->p[out->len - 1] == ' ' || out->p[out->len - 1] == '\''))
			continue;
		if (c == '\'') {
			while (out->len && out->p[out->len - 1] == ' ')
				out->len--;
			if (!out->len || out->p[out->len - 1] == '\'')
				continue; /* an apostrophe starts nothing, nor doubles */
		}
		vn_ubuf_push(out, c);
	}
	while (out->len && (out->p[out->len - 1] == ' ' || out->p[out->len - 1] == '\''))
		out->len--;
	vn_ubuf_release(&tmp);
	return changed;
}

/*
 * 1 when every character is an ASCII letter, space, hyphen, apostrophe or a
 * precomposed Latin letter of Vietnamese (Latin-1, Latin Extended-A/B, the
 * Vietnamese block U+1EA0..U+1EF9), without the Turkish dotted/dotless i:
 * text whose case mapping cannot change how its syllables read.
 */
static int plain_vietnamese(const struct ubuf *b)
{
	int32_t i;

	for (i = 0; i < b->len; i++) {
		UChar c = b->p[i];

		if (c < 0x80) {
			if (!uc_is_alpha(c) && c != ' ' && c != '-' && c != '\'')
				return 0;
		} else if (c == 0x130 || c == 0x131 || c < 0xC0 || (c > 0x24F && c < 0x1EA0) ||
			   c > 0x1EF9) {
			return 0;
		}
	}
	return 1;
}

/* Canonical and cleaned name text, UTF-16 (see vn_name_parse). */
static void name_text(const char *in, struct ubuf *out, unsigned *w)
{
	struct ubuf canon;
	strbuf tmp = STRBUF_INIT;

	vn_ubuf_init(&canon);
	text_canonical_u(in, -1, &canon, w);
	if (clean_name_u(&canon, out, w)) {
		/*
		 * Punctuation dropped or apostrophes joined make new words:
		 * normalize them again (look-alikes and marks are per word).
		 */
		vn_ubuf_to_utf8(out, &tmp);
		text_canonical_u(tmp.buf, (ptrdiff_t)tmp.len, &canon, w);
		clean_name_u(&canon, out, w);
	}
	text_title_u(out);
	if (!plain_vietnamese(out)) {
		/* case mapping outside Vietnamese letters (İ -> i ...) can change
		 * how a syllable reads: normalize once more */
		strbuf_reset(&tmp);
		vn_ubuf_to_utf8(out, &tmp);
		text_canonical_u(tmp.buf, (ptrdiff_t)tmp.len, &canon, w);
		clean_name_u(&canon, out, w);
		text_title_u(out);
	}
	vn_ubuf_release(&canon);
	strbuf_release(&tmp);
}

static int copy_field(char *dst, const char *src, size_t len)
{
	if (len >= VN_NAME_MAX)
		return -1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int vn_name_parse(const char *in, struct vn_name *out, unsigned *warn)
{
	strbuf title = STRBUF_INIT, key = STRBUF_INIT;
	struct ubuf name;
	const char *words[64];
	size_t wlen[64];
	int nw = 0, i, sur_words = 1, ret = -1;
	unsigned w = 0;
	char *p;

	memset(out, 0, sizeof(*out));
	vn_ubuf_init(&name);
	name_text(in, &name, &w);
	if (!name.len) {
		w |= VN_W_EMPTY;
		goto done;
	}
	vn_ubuf_to_utf8(&name, &title);

	/* words */
	for (p = title.buf; *p && nw < (int)HT_ARRAY_LEN(words);) {
		char *s = p;

		while (*p && *p != ' ')
			p++;
		words[nw] = s;
		wlen[nw] = (size_t)(p - s);
		nw++;
		while (*p == ' ')
			p++;
	}

	/* "H Nhi Niê": a lone H before a name is the H' prefix */
	if (nw >= 2 && wlen[0] == 1 && words[0][0] == 'H') {
		strbuf fixed = STRBUF_INIT;

		strbuf_addstr(&fixed, "H'");
		vn_case_map(words[1], (ptrdiff_t)wlen[1], VN_CASE_TITLE, &fixed);
		strbuf_addstr(&fixed, words[1] + wlen[1]);
		strbuf_reset(&title);
		strbuf_addstr(&title, fixed.buf);
		strbuf_release(&fixed);
		w |= VN_W_NAME_PREFIX;
		ret = vn_name_parse(title.buf, out, warn);
		if (warn)
			*warn |= w;
		goto cleanup;
	}

	if (title.len >= VN_NAME_MAX)
		goto done;
	memcpy(out->full, title.buf, title.len + 1);
	text_fold_u(&name, &key);
	if (key.len >= VN_NAME_MAX)
		goto done;
	memcpy(out->key, key.buf, key.len + 1);
	out->words = nw;

	if (nw == 1) {
		w |= VN_W_NAME_UNUSUAL;
		copy_field(out->given, words[0], wlen[0]);
		ret = 0;
		goto done;
	}
	if (nw > 7)
		w |= VN_W_NAME_UNUSUAL;

	/* Ê Đê / Jrai order: prefix Y or H', or a clan name last */
	{
		const char *last = strrchr(out->key, ' ');
		int prefix = (wlen[0] == 1 && words[0][0] == 'Y') || !strncmp(words[0], "H'", 2);

		if (prefix || is_clan(last ? last + 1 : out->key)) {
			out->clan_last = 1;
			copy_field(out->surname, words[nw - 1], wlen[nw - 1]);
			copy_field(out->given, words[0],
				   (size_t)(words[nw - 2] + wlen[nw - 2] - words[0]));
			ret = 0;
			goto done;
		}
	}

	/* compound surnames */
	for (i = 0; i < (int)HT_ARRAY_LEN(compound_surnames); i++) {
		size_t n = strlen(compound_surnames[i]);
		int k, spaces = 0;

		if (strncmp(title.buf, compound_surnames[i], n) != 0 ||
		    (title.buf[n] != ' ' && title.buf[n] != '\0'))
			continue;
		for (k = 0; compound_surnames[i][k]; k++)
			spaces += compound_surnames[i][k] == ' ';
		if (spaces + 1 < nw) {
			sur_words = spaces + 1;
			break;
		}
	}
	copy_field(out->surname, words[0],
		   (size_t)(words[sur_words - 1] + wlen[sur_words - 1] - words[0]));
	copy_field(out->given, words[nw - 1], wlen[nw - 1]);
	if (nw - 1 > sur_words)
		copy_field(out->middle, words[sur_words],
			   (size_t)(words[nw - 2] + wlen[nw - 2] - words[sur_words]));
	ret = 0;
done:
	if (warn)
		*warn |= w;
cleanup:
	vn_ubuf_release(&name);
	strbuf_release(&title);
	strbuf_release(&key);
	return ret;
}

/*
 * A word that is no Vietnamese syllable but can be a name: letters with a
 * vowel, not long; outside the names of the Ê Đê / Jrai kind, only the
 * letters of the Vietnamese alphabet (no f, j, w, z): "Phol", a Khmer
 * given name, but not "John".
 */
static int name_word(const char *w, size_t len, int minority)
{
	strbuf f = STRBUF_INIT;
	int vowel = 0, ok = 1;

	vn_fold(w, (ptrdiff_t)len, &f);
	for (size_t i = 0; i < f.len; i++) {
		vowel |= strchr("aeiouy", f.buf[i]) != NULL;
		if (!minority && strchr("fjwz", f.buf[i]))
			ok = 0;
	}
	ok = ok && vowel && f.len <= (minority ? 12u : 8u);
	strbuf_release(&f);
	return ok;
}

int vn_name_plausible(const char *in, const char **why)
{
	struct ubuf u;
	struct vn_name n;
	unsigned w = 0;
	int32_t i;
	int minority, ok = 1, foreign = 0;
	const char *p;

	*why = NULL;
	/* what was written: letters, marks, spaces, hyphens, apostrophes */
	vn_ubuf_init(&u);
	text_canonical_u(in, -1, &u, &w);
	for (i = 0; i < u.len && ok; i++) {
		UChar c = u.p[i];

		if (!(uc_is_alpha(c) || uc_is_mark(c) || c == ' ' || c == '-' || is_apostrophe(c) ||
		      U16_IS_SURROGATE(c)))
			ok = 0;
	}
	vn_ubuf_release(&u);
	if (!ok) {
		*why = "it has characters that are not letters";
		return 0;
	}
	if (vn_name_parse(in, &n, NULL) < 0) {
		*why = "it is empty";
		return 0;
	}
	if (n.words < 2) {
		*why = "it is one word";
		return 0;
	}
	if (n.words > 7) {
		*why = "it has more than seven words";
		return 0;
	}
	/* Ê Đê, Jrai and the like: a prefix or a clan name anywhere */
	minority = n.clan_last;
	for (p = n.full; *p && !minority;) {
		size_t len = strcspn(p, " ");
		strbuf f = STRBUF_INIT;

		vn_fold(p, (ptrdiff_t)len, &f);
		minority = is_clan(f.buf) || !strncmp(p, "H'", 2) || (len == 1 && *p == 'Y');
		strbuf_release(&f);
		p += len;
		while (*p == ' ')
			p++;
	}
	for (p = n.full; *p;) {
		size_t len = strcspn(p, " ");
		const char *wd = p;
		size_t wl = len;

		if (!strncmp(wd, "H'", 2)) {
			wd += 2;
			wl -= 2;
		}
		if (!(wl == 1 && *wd == 'Y' && minority) && !vn_syllable_valid(wd, (ptrdiff_t)wl)) {
			/* one word outside Vietnamese in a Kinh name (a Khmer or Mông
			 * given name, a word without its marks); any in a minority one */
			if (!name_word(wd, wl, minority) || (!minority && ++foreign > 1)) {
				*why = "a word is not a Vietnamese syllable";
				return 0;
			}
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return 1;
}
