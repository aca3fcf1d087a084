/*
 * compare.c — the comparison vector of a pair: for each field, the level
 * of agreement (exact, nearly, different ...) or MATCH_MISSING.
 *
 * The levels cover what OCR and people typing do to a value: a name read
 * or typed one mark or one letter off, its words in another order, a middle
 * name dropped or added; a date with one digit wrong, two digits or the day
 * and the month swapped, known by its year only; an ID number with one digit
 * misread or mistyped, or two swapped.  Each level has its own m and u.
 */
#include <stdlib.h>
#include <string.h>

#include "match_internal.h"

/* The levels, in order of decreasing agreement. */
static const char *const level_names[MC_N][MATCH_MAX_LEVELS] = {
	[MC_ID] = { "exact", "one misread digit", "two digits swapped", "one digit differs",
		    "differs", "differs, misread" },
	[MC_NAME] = { "exact", "same letters", "same letters, without marks", "another order",
		      "without a middle name", "a middle name more or less",
		      "near, a word nobody else has", "near",
		      "a middle name more or less, and near", "similar", "given name only",
		      "differs" },
	[MC_DOB] = { "exact", "agrees as far as known", "day and month swapped",
		     "one digit of the year", "one digit of the month", "one digit of the day",
		     "two digits swapped", "same year", "differs" },
	[MC_SEX] = { "agrees", "differs" },
	[MC_PROVINCE] = { "agrees", "differs" },
	[MC_FATHER] = { "same", "near", "differs" },
	[MC_MOTHER] = { "same", "near", "differs" },
};
static const int nlevels[MC_N] = { 6, 12, 9, 2, 2, 3, 3 };
static const char *const cmp_names[MC_N] = { "id",	 "name",   "dob",   "sex",
					     "province", "father", "mother" };

const char *match_cmp_name(enum match_cmp c)
{
	return c < MC_N ? cmp_names[c] : "?";
}

const char *match_level_name(enum match_cmp c, int level)
{
	if (level == MATCH_MISSING)
		return "missing";
	return c < MC_N && level >= 0 && level < nlevels[c] ? level_names[c][level] : "?";
}

int match_levels(enum match_cmp c)
{
	return c < MC_N ? nlevels[c] : 0;
}

/* ------------------------------------------------------------------------
 * String similarity
 * ---------------------------------------------------------------------- */

double match_jaro_winkler(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), range, m = 0, t = 0, i, j, k, prefix = 0;
	char fa[VN_NAME_MAX], fb[VN_NAME_MAX];
	double jaro;

	if (!la && !lb)
		return 1.0;
	if (!la || !lb)
		return 0.0;
	if (la >= VN_NAME_MAX)
		la = VN_NAME_MAX - 1;
	if (lb >= VN_NAME_MAX)
		lb = VN_NAME_MAX - 1;
	range = (la > lb ? la : lb) / 2 - 1;
	if (range < 0)
		range = 0;
	memset(fa, 0, (size_t)la);
	memset(fb, 0, (size_t)lb);
	for (i = 0; i < la; i++) {
		int lo = i - range > 0 ? i - range : 0,
		    hi = i + range + 1 < lb ? i + range + 1 : lb;

		for (j = lo; j < hi; j++)
			if (!fb[j] && a[i] == b[j]) {
				fa[i] = fb[j] = 1;
				m++;
				break;
			}
	}
	if (!m)
		return 0.0;
	for (i = 0, k = 0; i < la; i++) {
		if (!fa[i])
			continue;
		while (!fb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double)m / la + (double)m / lb + (double)(m - t / 2) / m) / 3.0;
	while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
		prefix++;
	return jaro + prefix * 0.1 * (1.0 - jaro);
}

#define EDIT_MAX 32 /* longer words are as far as their lengths differ, at least 3 */

int match_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	int d[EDIT_MAX + 1][EDIT_MAX + 1];

	if (la > EDIT_MAX || lb > EDIT_MAX) {
		int diff = (int)(la > lb ? la - lb : lb - la);

		return la == lb && !memcmp(a, b, la) ? 0 : diff > 3 ? diff : 3;
	}
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* ------------------------------------------------------------------------
 * ID numbers
 * ---------------------------------------------------------------------- */

/* Digits OCR takes for one another. */
static int confusable(char x, char y)
{
	static const char *const pairs[] = { "08", "06", "09", "17", "38", "35", "56", "58",
					     "68", "89", "27", "23", "49", "01", "04" };

	for (size_t i = 0; i < HT_ARRAY_LEN(pairs); i++)
		if ((pairs[i][0] == x && pairs[i][1] == y) ||
		    (pairs[i][0] == y && pairs[i][1] == x))
			return 1;
	return 0;
}

static int compare_id(const struct mperson *q, const struct mperson *c)
{
	int diff = 0, first = -1, second = -1;

	if (!q->id || !c->id)
		return MATCH_MISSING;
	for (int i = 0; i < 12; i++)
		if (q->id[i] != c->id[i]) {
			if (diff == 0)
				first = i;
			else if (diff == 1)
				second = i;
			if (++diff > 2)
				break;
		}
	if (!diff)
		return ID_EXACT;
	if (diff == 1)
		return confusable(q->id[first], c->id[first]) ? ID_MISREAD : ID_ONE_DIGIT;
	if (diff == 2 && second == first + 1 && q->id[first] == c->id[second] &&
	    q->id[second] == c->id[first])
		return ID_SWAPPED;
	/* a different number that fits the record's own dob and sex is a
	 * different person; one that does not is more likely misread */
	return q->id_fits == 0 ? ID_DIFFERS_MISFIT : ID_DIFFERS;
}

/* ------------------------------------------------------------------------
 * Names
 * ---------------------------------------------------------------------- */

struct words {
	const char *w[MATCH_WORDS];
	unsigned char len[MATCH_WORDS];
	int n;
};

/* The words of a folded key (more than MATCH_WORDS: the rest is one word). */
static void split(const char *key, struct words *ws)
{
	const char *p = key;

	ws->n = 0;
	while (*p && ws->n < MATCH_WORDS) {
		size_t len = ws->n == MATCH_WORDS - 1 ? strlen(p) : strcspn(p, " ");

		ws->w[ws->n] = p;
		ws->len[ws->n] = (unsigned char)(len > 255 ? 255 : len);
		ws->n++;
		p += len;
		while (*p == ' ')
			p++;
	}
}

static int popcount(uint32_t x)
{
	return __builtin_popcount(x);
}

/* The most edits between two words that still makes them near. */
static int max_edits(int la, int lb)
{
	return la <= 3 || lb <= 3 ? 1 : 2;
}

/*
 * Could the given names be similar (Jaro-Winkler 0.85 at least)?  No when
 * even the letters they could share cannot make it: Jaro-Winkler is at most
 * 0.6 Jaro + 0.4, Jaro at most (m/la + m/lb + 1)/3, and m at most the
 * shorter's length less its letters the other lacks.
 */
static int may_be_similar(const struct mperson *q, const struct mperson *c)
{
	int la = q->glen, lb = c->glen, m;
	uint32_t ms = la <= lb ? q->gmask : c->gmask, ml = la <= lb ? c->gmask : q->gmask;

	if (!la || !lb)
		return 0;
	m = (la <= lb ? la : lb) - popcount(ms & ~ml);
	return m > 0 && (double)m / la + (double)m / lb >= 1.25 - 1e-9;
}

/*
 * The words left unpaired (used_a, used_b: the paired ones): those of the
 * side with fewer paired by the fewest edits (at most two in all, each word
 * at most max_edits) to those of the other, whose one word left over is
 * neither its first nor its last: a middle name dropped or added.
 */
static int middle_and_near(const struct mperson *q, const struct mperson *c, const int *used_a,
			   const int *used_b)
{
	struct words a, b;
	int ua[MATCH_WORDS], ub[MATCH_WORDS], edits = 0, extra = -1;
	const struct words *s, *l;
	int *us, *ul;

	split(q->key, &a);
	split(c->key, &b);
	if (a.n != q->nw || b.n != c->nw)
		return 0;
	memcpy(ua, used_a, sizeof(ua));
	memcpy(ub, used_b, sizeof(ub));
	/* s: the side with fewer words left */
	{
		int la = 0, lb = 0;

		for (int i = 0; i < a.n; i++)
			la += !ua[i];
		for (int j = 0; j < b.n; j++)
			lb += !ub[j];
		s = la < lb ? &a : &b;
		l = la < lb ? &b : &a;
		us = la < lb ? ua : ub;
		ul = la < lb ? ub : ua;
	}
	for (int i = 0; i < s->n; i++) {
		int best = 99, bj = -1;

		if (us[i])
			continue;
		for (int j = 0; j < l->n; j++) {
			int d;

			if (ul[j] || abs((int)s->len[i] - (int)l->len[j]) > 2)
				continue;
			d = match_edit_distance(s->w[i], s->len[i], l->w[j], l->len[j]);
			if (d < best) {
				best = d;
				bj = j;
			}
		}
		if (bj < 0 || best > max_edits(s->len[i], l->len[bj]))
			return 0;
		ul[bj] = 1;
		edits += best;
	}
	for (int j = 0; j < l->n; j++)
		if (!ul[j]) {
			if (extra >= 0)
				return 0;
			extra = j;
		}
	return edits <= 2 && extra > 0 && extra < l->n - 1;
}

/*
 * Names: Vietnamese names share their surname and middle names widely
 * ("Nguyễn Thị ..."), so the similarity of the whole name must be backed
 * by that of the given name: "Nguyễn Thị Hoa" and "Nguyễn Thị Hồng" are
 * close as strings and are two people.  The words are compared in any
 * order (a name written surname last, or given name first), a middle name
 * may be missing on one side, and a word may have a letter or two typed or
 * read wrong ("near": at most two edits in all, each word at most one edit
 * in three letters).  Near words of which one is a word nobody else in the
 * registry has are a typo more often than two names ("Ttâm" and "Tâm"
 * rather than "Lam" and "Lan"): a level of its own.
 *
 * The words' hashes, lengths and letters decide most pairs without
 * reading the strings (a registry's names are read from memory far away).
 */
static int level_name(const struct mperson *q, const struct mperson *c)
{
	int used_a[MATCH_WORDS] = { 0 }, used_b[MATCH_WORDS] = { 0 }, left_a = 0, left_b = 0;
	double jg;

	if (!q->key || !c->key)
		return MATCH_MISSING;
	if (q->hname == c->hname && !strcmp(q->name, c->name))
		return NAME_EXACT;
	if (q->hkey == c->hkey && !strcmp(q->key, c->key))
		return q->plain || c->plain ? NAME_PLAIN : NAME_SAME_LETTERS;
	if (q->htkey == c->htkey && !strcmp(q->tkey, c->tkey))
		return NAME_ORDER;
	/* the words both have, in any order; the first and the last words
	 * paired with each other first, so that of a word twice ("Nguyễn Thị
	 * Thi" and "Nguyễn Thi") the middle one is the one left over */
	if (q->nw && c->nw) {
		int lq = q->nw - 1, lc = c->nw - 1;

		if (q->whash[0] == c->whash[0] && q->wlen[0] == c->wlen[0])
			used_a[0] = used_b[0] = 1;
		if (lq && lc && q->whash[lq] == c->whash[lc] && q->wlen[lq] == c->wlen[lc])
			used_a[lq] = used_b[lc] = 1;
	}
	for (int i = 0; i < q->nw; i++)
		for (int j = 0; j < c->nw && !used_a[i]; j++)
			if (!used_b[j] && q->whash[i] == c->whash[j] && q->wlen[i] == c->wlen[j]) {
				used_a[i] = used_b[j] = 1;
				break;
			}
	for (int i = 0; i < q->nw; i++)
		left_a += !used_a[i];
	for (int j = 0; j < c->nw; j++)
		left_b += !used_b[j];
	/* one side has one or two words more, between its first and last: a
	 * middle name dropped or added */
	if ((!left_a || !left_b) && left_a + left_b <= 2 && (left_a ? c->nw : q->nw) >= 2) {
		int n = left_a ? q->nw : c->nw;
		const int *lu = left_a ? used_a : used_b;

		if (lu[0] && lu[n - 1])
			return (left_a ? c->nw : q->nw) == 2 ? NAME_NO_MIDDLE : NAME_MIDDLE;
	}
	/* the words left, paired by the fewest edits (each costs one at least;
	 * an edit changes two letters of a word's set at most) */
	if (left_a == left_b && left_a <= 2) {
		int possible = 1;

		for (int i = 0; i < q->nw && possible; i++) {
			int any = 0;

			for (int j = 0; !used_a[i] && j < c->nw && !any; j++) {
				int e = max_edits(q->wlen[i], c->wlen[j]);

				any = !used_b[j] && abs((int)q->wlen[i] - (int)c->wlen[j]) <= e &&
				      popcount(q->wmask[i] ^ c->wmask[j]) <= 2 * e;
			}
			possible = used_a[i] || any;
		}
		if (possible) {
			struct words a, b;
			int edits = 0, ok = 1, rare = 0;

			split(q->key, &a);
			split(c->key, &b);
			for (int i = 0; i < a.n && ok; i++) {
				int best = 99, bj = -1;

				if (used_a[i])
					continue;
				for (int j = 0; j < b.n; j++) {
					int d;

					if (used_b[j] || abs((int)a.len[i] - (int)b.len[j]) > 2)
						continue;
					d = match_edit_distance(a.w[i], a.len[i], b.w[j], b.len[j]);
					if (d < best) {
						best = d;
						bj = j;
					}
				}
				if (bj < 0 || best > max_edits(a.len[i], b.len[bj])) {
					ok = 0;
					break;
				}
				used_b[bj] = 1;
				edits += best;
				rare |= (q->rare >> i & 1) || (c->rare >> bj & 1);
			}
			if (ok && edits <= 2)
				return rare ? NAME_NEAR_TYPO : NAME_NEAR;
		}
	}
	/* a middle name dropped or added, and the other words near */
	if (abs(left_a - left_b) == 1 && left_a + left_b <= 3 && q->nw >= 2 && c->nw >= 2 &&
	    middle_and_near(q, c, used_a, used_b))
		return NAME_MIDDLE_NEAR;
	if (!q->gkey || !c->gkey || !may_be_similar(q, c))
		return NAME_DIFFERS;
	jg = match_jaro_winkler(q->gkey, c->gkey);
	if (jg >= 0.85 && match_jaro_winkler(q->key, c->key) >= 0.88)
		return NAME_SIMILAR;
	return jg == 1.0 && !strcmp(q->gkey, c->gkey) ? NAME_GIVEN_ONLY : NAME_DIFFERS;
}

/* ------------------------------------------------------------------------
 * Dates
 * ---------------------------------------------------------------------- */

static void date_digits(const struct vn_date *d, char out[8])
{
	int v[3] = { d->year, d->month, d->day }, w[3] = { 4, 2, 2 }, k = 0;

	for (int f = 0; f < 3; f++) {
		int x = v[f] < 0 ? 0 : v[f];

		for (int i = w[f] - 1; i >= 0; i--, x /= 10)
			out[k + i] = (char)('0' + x % 10);
		k += w[f];
	}
}

static int level_dob(const struct mperson *q, const struct mperson *c)
{
	const struct vn_date *a = &q->dob, *b = &c->dob;
	int full_a = a->year && a->month && a->day, full_b = b->year && b->month && b->day;

	if (!a->year || !b->year)
		return MATCH_MISSING;
	if (full_a && full_b) {
		char x[8], y[8];
		int diff = 0, first = -1, second = -1;

		if (a->year == b->year && a->month == b->month && a->day == b->day)
			return DOB_EXACT;
		if (a->year == b->year && a->month == b->day && a->day == b->month)
			return DOB_SWAPPED;
		date_digits(a, x);
		date_digits(b, y);
		for (int i = 0; i < 8; i++)
			if (x[i] != y[i]) {
				if (diff == 0)
					first = i;
				else if (diff == 1)
					second = i;
				diff++;
			}
		/* a digit of the year, the month, the day: as often mistyped, but
		 * agreeing by chance at very different rates */
		if (diff == 1)
			return first < 4   ? DOB_YEAR_DIGIT
			       : first < 6 ? DOB_MONTH_DIGIT
					   : DOB_DAY_DIGIT;
		if (diff == 2 && second == first + 1 && x[first] == y[second] &&
		    x[second] == y[first])
			return DOB_TRANSPOSED;
		return a->year == b->year ? DOB_SAME_YEAR : DOB_DIFFERS;
	}
	/* one side partial: agree as far as both go */
	if (a->year == b->year && (!a->month || !b->month || a->month == b->month))
		return DOB_PARTIAL;
	return DOB_DIFFERS;
}

/*
 * Is one list of words the other's with one word more, between the first
 * and the last (a middle name dropped or added), or the same words in
 * another order?
 */
static int words_middle_or_order(const struct words *a, const struct words *b)
{
	const struct words *l = a->n >= b->n ? a : b, *s = a->n >= b->n ? b : a;
	int used[MATCH_WORDS] = { 0 }, left = 0;

	if (l->n - s->n > 1 || s->n < 1 || (l->n != s->n && s->n < 2))
		return 0;
	if (l->n == s->n + 1) {
		/* the first and the last agree; the words between, one left out */
		if (l->len[0] != s->len[0] || memcmp(l->w[0], s->w[0], s->len[0]) ||
		    l->len[l->n - 1] != s->len[s->n - 1] ||
		    memcmp(l->w[l->n - 1], s->w[s->n - 1], s->len[s->n - 1]))
			return 0;
		for (int i = 1, j = 1; i < l->n - 1; i++) {
			if (j < s->n - 1 && l->len[i] == s->len[j] &&
			    !memcmp(l->w[i], s->w[j], s->len[j]))
				j++;
			else if (++left > 1)
				return 0;
		}
		return 1;
	}
	for (int i = 0; i < a->n; i++) {
		int found = 0;

		for (int j = 0; j < b->n && !found; j++)
			if (!used[j] && a->len[i] == b->len[j] &&
			    !memcmp(a->w[i], b->w[j], a->len[i]))
				used[j] = found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

/*
 * The parents' names, typed with the same errors as the person's: near
 * when a letter or two differ (Damerau-Levenshtein word by word, as a
 * letter typed on a neighbouring key, left out, doubled or two swapped,
 * at most one in a word of three letters; or Jaro-Winkler 0.9 for a
 * misread), when a middle name is missing on one side, or when the words
 * are in another order.
 */
static int level_parent(const char *a, const char *b)
{
	if (!a || !b)
		return MATCH_MISSING;
	if (!strcmp(a, b))
		return PARENT_SAME;
	if (match_jaro_winkler(a, b) >= 0.9)
		return PARENT_NEAR;
	{
		struct words wa, wb;
		int edits = 0;

		split(a, &wa);
		split(b, &wb);
		if (words_middle_or_order(&wa, &wb))
			return PARENT_NEAR;
		/* word by word, at most two edits, one in a word of three letters */
		if (wa.n != wb.n)
			return PARENT_DIFFERS;
		for (int i = 0; i < wa.n && edits <= 2; i++) {
			int d = match_edit_distance(wa.w[i], wa.len[i], wb.w[i], wb.len[i]);

			if (d > max_edits(wa.len[i], wb.len[i]))
				return PARENT_DIFFERS;
			edits += d;
		}
		return edits <= 2 ? PARENT_NEAR : PARENT_DIFFERS;
	}
}

/*
 * The birth provinces: before July 2025 when both sides know it; else the
 * provinces since (a place printed "xã X, tỉnh Y" since then names a
 * province that may hold several of before: Hưng Yên holds Thái Bình).
 */
static int level_province(const struct mperson *q, const struct mperson *c)
{
	if (q->prov[0] && c->prov[0])
		return strcmp(q->prov, c->prov) ? 1 : 0;
	if (q->prov_now[0] && c->prov_now[0])
		return strcmp(q->prov_now, c->prov_now) ? 1 : 0;
	return MATCH_MISSING;
}

void compare_people(const struct mperson *q, const struct mperson *c, int level[MC_N])
{
	level[MC_ID] = compare_id(q, c);
	level[MC_NAME] = level_name(q, c);
	level[MC_DOB] = level_dob(q, c);
	level[MC_SEX] = !q->sex || !c->sex ? MATCH_MISSING : q->sex == c->sex ? 0 : 1;
	level[MC_PROVINCE] = level_province(q, c);
	level[MC_FATHER] = level_parent(q->father_key, c->father_key);
	level[MC_MOTHER] = level_parent(q->mother_key, c->mother_key);
}
