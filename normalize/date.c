/*
 * date.c — dates as civil-status forms write them: in digits (dd/mm/yyyy
 * and the variants of old data, partial dates) and in words ("ngày mười
 * lăm tháng ba năm một nghìn chín trăm tám mươi bảy"), with the check
 * that a date can exist.
 *
 * Words are read on the folded key (no diacritics, lower case), so an OCR
 * reading that lost or changed a mark ("thàng", "nghin") still parses.
 */
#include <string.h>
#include <time.h>

#include "normalize_internal.h"

#define YEAR_MIN 1800

static int current_year(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm))
		return 2100;
	return tm.tm_year + 1900;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && (y == 0 || leap(y)))
		return 29;
	return days[m - 1];
}

int vn_date_check(const struct vn_date *d, herr *e)
{
	int now = current_year();

	if (!d->year && !d->month && !d->day)
		return herr_set(e, HT_EXIT_PARTIAL, "no date");
	if (d->year && (d->year < YEAR_MIN || d->year > now))
		return herr_set(e, HT_EXIT_PARTIAL, "year %d is out of range (%d..%d)", d->year,
				YEAR_MIN, now);
	if (d->month && (d->month < 1 || d->month > 12))
		return herr_set(e, HT_EXIT_PARTIAL, "month %d does not exist", d->month);
	if (d->day && (d->day < 1 || d->day > 31))
		return herr_set(e, HT_EXIT_PARTIAL, "day %d does not exist", d->day);
	if (d->day && d->month && d->day > days_in_month(d->year, d->month))
		return herr_set(e, HT_EXIT_PARTIAL, "%02d/%02d%s%.0d has only %d days", d->day,
				d->month, d->year ? "/" : "", d->year,
				days_in_month(d->year, d->month));
	return 0;
}

void vn_date_format(const struct vn_date *d, char *buf, size_t size)
{
	if (!d->year)
		snprintf(buf, size, "%s", "");
	else if (!d->month)
		snprintf(buf, size, "%04d", d->year);
	else if (!d->day)
		snprintf(buf, size, "%04d-%02d", d->year, d->month);
	else
		snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->day);
}

int vn_date_agree(const struct vn_date *a, const struct vn_date *b)
{
	int shared = 0;

	if (a->year && b->year) {
		if (a->year != b->year)
			return 0;
		shared++;
	}
	if (a->month && b->month) {
		if (a->month != b->month)
			return 0;
		shared++;
	}
	if (a->day && b->day) {
		if (a->day != b->day)
			return 0;
		shared++;
	}
	return shared ? 1 : -1;
}

/* ------------------------------------------------------------------------
 * Numbers in words (0..9999), on folded tokens.
 * ---------------------------------------------------------------------- */

static int digit_word(const char *t)
{
	static const struct {
		const char *w;
		int v;
	} words[] = {
		{ "khong", 0 }, { "mot", 1 },  { "hai", 2 },   { "ba", 3 },  { "bon", 4 },
		{ "tu", 4 },	{ "nam", 5 },  { "lam", 5 },   { "sau", 6 }, { "bay", 7 },
		{ "tam", 8 },	{ "chin", 9 }, { "linh", -2 }, { "le", -2 },
	};
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(words); i++)
		if (!strcmp(t, words[i].w))
			return words[i].v;
	return -1;
}

static int is_number_word(const char *t)
{
	return digit_word(t) != -1 || !strcmp(t, "muoi") || !strcmp(t, "tram") ||
	       !strcmp(t, "nghin") || !strcmp(t, "ngan") || !strcmp(t, "muoi");
}

/*
 * Parse tokens[from..to) as one number.  Returns the value, or -1 when the
 * tokens are not a well-formed number.
 */
static int all_digits(const char *t)
{
	return *t && strspn(t, "0123456789") == strlen(t);
}

static int words_number(char **tok, int from, int to)
{
	int num = 0, grp = 0, pending = -1, i, any = 0;
	long v;

	/* a number in digits among the words: "ngày 5 tháng ba năm 1948" */
	if (to - from == 1 && all_digits(tok[from]))
		return parse_int(tok[from], 0, 9999, &v) == 0 ? (int)v : -1;

	for (i = from; i < to; i++) {
		const char *t = tok[i];
		int d = digit_word(t);

		if (d >= 0) {
			if (pending >= 0)
				return -1; /* "hai ba" */
			pending = d;
			any = 1;
		} else if (d == -2) {
			/* linh / lẻ: no tens */
		} else if (!strcmp(t, "muoi")) {
			grp += (pending >= 0 ? pending : 1) * 10;
			pending = -1;
			any = 1;
		} else if (!strcmp(t, "tram")) {
			grp += (pending >= 0 ? pending : 1) * 100;
			pending = -1;
			any = 1;
		} else if (!strcmp(t, "nghin") || !strcmp(t, "ngan")) {
			grp += pending >= 0 ? pending : 0;
			num += (grp ? grp : 1) * 1000;
			grp = 0;
			pending = -1;
			any = 1;
		} else {
			return -1;
		}
	}
	if (!any)
		return -1;
	grp += pending >= 0 ? pending : 0;
	return num + grp;
}

/* A month in words: the numbers, and giêng (1), chạp (12). */
static int words_month(char **tok, int from, int to)
{
	if (to - from == 1 && !strcmp(tok[from], "gieng"))
		return 1;
	if (to - from == 1 && !strcmp(tok[from], "chap"))
		return 12;
	return words_number(tok, from, to);
}

#define MAX_TOKENS 48

/* Split the folded text into words; digits stay as tokens. */
static int tokenize(char *folded, char **tok)
{
	int n = 0;
	char *p = folded;

	while (*p && n < MAX_TOKENS) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

int vn_date_parse_words(const char *in, struct vn_date *out, unsigned *warn, herr *e)
{
	strbuf k = STRBUF_INIT;
	char *tok[MAX_TOKENS];
	int n, i, ngay = -1, thang = -1, nam = -1, ret = -1;

	memset(out, 0, sizeof(*out));
	vn_fold(in, -1, &k);
	n = tokenize(k.buf, tok);
	/* markers: ngày ... tháng ... năm ... (the last "năm" that starts a year) */
	for (i = 0; i < n; i++) {
		if (!strcmp(tok[i], "ngay") && ngay < 0 && thang < 0)
			ngay = i;
		else if (!strcmp(tok[i], "thang") && thang < 0)
			thang = i;
	}
	/*
	 * The year marker is a "năm" after the month (or anywhere without one)
	 * followed by a number; in "tháng năm năm hai nghìn" the first "năm"
	 * is the month.
	 */
	for (i = (thang >= 0 ? thang + 1 : ngay + 1); i < n; i++) {
		if (!strcmp(tok[i], "nam") && i + 1 < n &&
		    (is_number_word(tok[i + 1]) ||
		     (tok[i + 1][0] >= '0' && tok[i + 1][0] <= '9'))) {
			if (thang >= 0 && i == thang + 1 && i + 2 < n && !strcmp(tok[i + 1], "nam"))
				continue; /* tháng năm năm ... */
			nam = i;
			break;
		}
	}
	if (nam < 0 && n > 0 && thang < 0 && ngay < 0 && !strcmp(tok[0], "nam"))
		nam = 0;
	if (nam < 0 && n > 1 && all_digits(tok[n - 1]) && strlen(tok[n - 1]) == 4 &&
	    (thang >= 0 || ngay >= 0)) {
		/* "tháng 3/1948": the year without its marker */
		nam = n - 2;
		if (thang == nam)
			goto done_noyear;
		{
			long v;

			parse_int(tok[n - 1], 0, 9999, &v);
			out->year = (int)v;
		}
		if (thang >= 0) {
			int m = words_month(tok, thang + 1, n - 1);

			if (m < 0)
				goto done_noyear;
			out->month = m;
		}
		goto check;
	}
	if (nam < 0) {
	done_noyear:
		herr_set(e, HT_EXIT_PARTIAL, "no year (\"năm ...\") in the date");
		goto done;
	}
	{
		int y;

		if (nam + 1 < n && tok[nam + 1][0] >= '0' && tok[nam + 1][0] <= '9') {
			long v;

			if (parse_int(tok[nam + 1], 0, 9999, &v) < 0) {
				herr_set(e, HT_EXIT_PARTIAL, "unreadable year \"%s\"",
					 tok[nam + 1]);
				goto done;
			}
			y = (int)v;
		} else {
			y = words_number(tok, nam + 1, n);
		}
		if (y < 0) {
			herr_set(e, HT_EXIT_PARTIAL, "unreadable year in words");
			goto done;
		}
		out->year = y;
	}
	if (thang >= 0) {
		int m = words_month(tok, thang + 1, nam);

		if (m < 0) {
			herr_set(e, HT_EXIT_PARTIAL, "unreadable month in words");
			goto done;
		}
		out->month = m;
	}
	if (ngay >= 0) {
		int from = ngay + 1, d;

		/* mùng / mồng before days 1..10 */
		if (from < n && (!strcmp(tok[from], "mung") || !strcmp(tok[from], "mong")))
			from++;
		d = words_number(tok, from, thang >= 0 ? thang : nam);
		if (d < 0) {
			herr_set(e, HT_EXIT_PARTIAL, "unreadable day in words");
			goto done;
		}
		out->day = d;
	}
	if (out->day && !out->month) {
		herr_set(e, HT_EXIT_PARTIAL, "a day without a month");
		goto done;
	}
check:
	if (!out->year) {
		/* "tháng tư" alone: no form of the contract holds it */
		herr_set(e, HT_EXIT_PARTIAL, "no year in the date");
		goto done;
	}
	if (vn_date_check(out, e) < 0) {
		if (warn)
			*warn |= VN_W_DATE_IMPOSSIBLE;
		goto done;
	}
	if (warn) {
		for (i = 0; i < n; i++)
			if (is_number_word(tok[i]) && strcmp(tok[i], "nam") != 0)
				*warn |= VN_W_DATE_WORDS;
		if (!out->day)
			*warn |= VN_W_DATE_PARTIAL;
	}
	ret = 0;
done:
	strbuf_release(&k);
	if (ret < 0)
		memset(out, 0, sizeof(*out));
	return ret;
}

/* ------------------------------------------------------------------------
 * Dates in digits
 * ---------------------------------------------------------------------- */

/* One part of a date: a number, or a placeholder (… .. __ xx ??, 00). */
struct part {
	int value;  /* -1 for a placeholder */
	int digits; /* number of digits */
};

static int widen_year(int yy, unsigned *warn)
{
	int now = current_year();

	if (warn)
		*warn |= VN_W_DATE_TWO_DIGIT_YEAR;
	return yy + 2000 <= now ? yy + 2000 : yy + 1900;
}

static int parse_digit_form(const char *s, struct vn_date *out, unsigned *warn, herr *e)
{
	struct part parts[4];
	int np = 0, i;
	const char *p = s;
	char sep = 0;

	/* the separator: '/', then '-', then '.', then ' ' (between digit runs) */
	if (strchr(s, '/'))
		sep = '/';
	else if (strchr(s, '-'))
		sep = '-';
	else if (strchr(s, '.'))
		sep = '.';
	else
		sep = ' ';
	while (*p && np < 4) {
		const char *q = p;
		int digits = 0, other = 0;
		long v = 0;

		while (*q && *q != sep) {
			if (*q >= '0' && *q <= '9') {
				if (digits < 9)
					v = v * 10 + (*q - '0');
				digits++;
			} else if (*q != ' ') {
				other++;
			}
			q++;
		}
		if (digits && other)
			return herr_set(e, HT_EXIT_PARTIAL, "unreadable date \"%s\"", s);
		if (digits || other || sep != ' ') {
			parts[np].value = digits ? (int)v : -1;
			parts[np].digits = digits;
			np++;
		}
		p = *q ? q + 1 : q;
	}
	if (*p)
		return herr_set(e, HT_EXIT_PARTIAL, "too many parts in date \"%s\"", s);
	/* a zero day or month means "unknown" in old registers */
	for (i = 0; i < np; i++)
		if (parts[i].digits && parts[i].digits <= 2 && parts[i].value == 0)
			parts[i].value = -1;
	memset(out, 0, sizeof(*out));
	if (np == 3 && parts[0].digits == 4) {
		/* yyyy-mm-dd */
		out->year = parts[0].value;
		out->month = parts[1].value > 0 ? parts[1].value : 0;
		out->day = parts[2].value > 0 ? parts[2].value : 0;
	} else if (np == 3) {
		if (parts[2].value < 0 || (parts[2].digits != 4 && parts[2].digits != 2))
			return herr_set(e, HT_EXIT_PARTIAL, "no year in date \"%s\"", s);
		out->year =
		    parts[2].digits == 2 ? widen_year(parts[2].value, warn) : parts[2].value;
		out->month = parts[1].value > 0 ? parts[1].value : 0;
		out->day = parts[0].value > 0 ? parts[0].value : 0;
	} else if (np == 2) {
		if (parts[0].digits == 4 && parts[1].digits <= 2) {
			out->year = parts[0].value;
			out->month = parts[1].value > 0 ? parts[1].value : 0;
		} else if (parts[1].digits == 4) {
			out->year = parts[1].value;
			out->month = parts[0].value > 0 ? parts[0].value : 0;
		} else {
			return herr_set(e, HT_EXIT_PARTIAL, "no year in date \"%s\"", s);
		}
	} else if (np == 1 && parts[0].digits == 4) {
		out->year = parts[0].value;
	} else if (np == 1 && parts[0].digits == 8) {
		/* ddmmyyyy, or yyyymmdd when that reads as a date and the other not */
		int v = parts[0].value;
		struct vn_date a = { v % 10000, v / 10000 % 100, v / 1000000 };
		struct vn_date b = { v / 10000, v / 100 % 100, v % 100 };
		herr ignore;

		*out = vn_date_check(&a, &ignore) == 0 ? a : b;
	} else {
		return herr_set(e, HT_EXIT_PARTIAL, "unreadable date \"%s\"", s);
	}
	if (out->day && !out->month) {
		/* "15/…/1948": a day without its month says nothing */
		out->day = 0;
	}
	return 0;
}

static int has_marker_word(const char *in)
{
	strbuf k = STRBUF_INIT;
	char *tok[MAX_TOKENS];
	int n, i, marker = 0;

	vn_fold(in, -1, &k);
	n = tokenize(k.buf, tok);
	for (i = 0; i < n; i++)
		if (!strcmp(tok[i], "ngay") || !strcmp(tok[i], "thang") || !strcmp(tok[i], "nam"))
			marker = 1;
	strbuf_release(&k);
	return marker;
}

int vn_date_parse(const char *in, struct vn_date *out, unsigned *warn, herr *e)
{
	strbuf s = STRBUF_INIT;
	const char *p;
	int has_digit = 0, ret = -1;
	unsigned w = 0;

	memset(out, 0, sizeof(*out));
	for (p = in; *p; p++)
		if (*p >= '0' && *p <= '9')
			has_digit = 1;
	/* words, or digits with the words ngày / tháng / năm */
	if (!has_digit)
		return vn_date_parse_words(in, out, warn, e);
	if (has_marker_word(in)) {
		/* "ngày 5/10/2021": a date in digits after the word */
		const char *d = in;

		while (*d && !(*d >= '0' && *d <= '9'))
			d++;
		if (!strchr(d, '/') || has_marker_word(d) || vn_date_parse(d, out, warn, e) < 0)
			return vn_date_parse_words(in, out, warn, e);
		return 0;
	}

	/* keep digits, separators and placeholders; "…" becomes "." */
	for (p = in; *p; p++) {
		if (!strncmp(p, "\xE2\x80\xA6", 3)) {
			strbuf_addch(&s, '.');
			p += 2;
		} else {
			strbuf_addch(&s, *p);
		}
	}
	strbuf_rtrim(&s);
	while (s.len && s.buf[0] == ' ')
		memmove(s.buf, s.buf + 1, s.len--);
	/* a period after the year is punctuation, not a separator */
	if (s.len > 1 && s.buf[s.len - 1] == '.' && s.buf[s.len - 2] >= '0' &&
	    s.buf[s.len - 2] <= '9' && strchr(s.buf, '/'))
		s.buf[--s.len] = '\0';
	if (parse_digit_form(s.buf, out, &w, e) < 0)
		goto done;
	if (!out->year) {
		/* "2 0000": no form of the contract holds a date without its year */
		herr_set(e, HT_EXIT_PARTIAL, "no year in the date");
		memset(out, 0, sizeof(*out));
		goto done;
	}
	if (vn_date_check(out, e) < 0) {
		w |= VN_W_DATE_IMPOSSIBLE;
		memset(out, 0, sizeof(*out));
		goto done;
	}
	if (!out->day)
		w |= VN_W_DATE_PARTIAL;
	ret = 0;
done:
	if (warn)
		*warn |= w;
	strbuf_release(&s);
	return ret;
}

/* ------------------------------------------------------------------------
 * Dates in words, as forms print them (fixtures)
 * ---------------------------------------------------------------------- */

static const char *const digit_names[] = { "không", "một", "hai", "ba",	 "bốn",
					   "năm",   "sáu", "bảy", "tám", "chín" };

/* n in 1..99 */
static void words_small(int n, strbuf *out)
{
	int tens = n / 10, units = n % 10;

	if (tens == 0) {
		strbuf_addstr(out, digit_names[units]);
		return;
	}
	strbuf_addstr(out, tens == 1 ? "mười" : digit_names[tens]);
	if (tens > 1)
		strbuf_addstr(out, " mươi");
	if (!units)
		return;
	strbuf_addch(out, ' ');
	if (units == 5)
		strbuf_addstr(out, "lăm");
	else if (units == 1 && tens > 1)
		strbuf_addstr(out, "mốt");
	else if (units == 4 && tens > 1)
		strbuf_addstr(out, "tư");
	else
		strbuf_addstr(out, digit_names[units]);
}

static void words_year(int y, strbuf *out)
{
	int th = y / 1000, h = y / 100 % 10, rest = y % 100;

	strbuf_addstr(out, digit_names[th]);
	strbuf_addstr(out, " nghìn");
	if (!h && !rest)
		return;
	strbuf_addf(out, " %s trăm", digit_names[h]);
	if (!rest)
		return;
	strbuf_addch(out, ' ');
	if (rest < 10) {
		strbuf_addstr(out, "linh ");
		strbuf_addstr(out, digit_names[rest]);
	} else {
		words_small(rest, out);
	}
}

void vn_date_to_words(const struct vn_date *d, strbuf *out)
{
	if (d->day) {
		strbuf_addstr(out, "ngày ");
		if (d->day <= 10)
			strbuf_addstr(out, "mùng ");
		words_small(d->day, out);
		strbuf_addch(out, ' ');
	}
	if (d->month) {
		strbuf_addstr(out, "tháng ");
		if (d->month == 4)
			strbuf_addstr(out, "tư");
		else
			words_small(d->month, out);
		strbuf_addch(out, ' ');
	}
	strbuf_addstr(out, "năm ");
	words_year(d->year, out);
}
