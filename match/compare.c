/*
 * compare.c — the comparison vector of a pair: for each field, the level
 * of agreement (exact, nearly, different ...) or MATCH_MISSING.
 */
#include <stdlib.h>
#include <string.h>

#include "match_internal.h"

/* The levels, in order of decreasing agreement. */
static const char *const level_names[MC_N][MATCH_MAX_LEVELS] = {
	[MC_ID] = { "exact", "one misread digit", "two digits swapped", "differs",
		    "differs, misread" },
	[MC_NAME] = { "exact", "same letters", "near", "similar", "given name only", "differs" },
	[MC_DOB] = { "exact", "agrees as far as known", "day and month swapped", "one digit",
		     "same year", "differs" },
	[MC_SEX] = { "agrees", "differs" },
	[MC_PROVINCE] = { "agrees", "differs" },
	[MC_FATHER] = { "same", "near", "differs" },
	[MC_MOTHER] = { "same", "near", "differs" },
};
static const int nlevels[MC_N] = { 5, 6, 6, 2, 2, 3, 3 };
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
 * Jaro-Winkler
 * ---------------------------------------------------------------------- */

double jaro_winkler(const char *a, const char *b)
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

/* ------------------------------------------------------------------------
 * Levels
 * ---------------------------------------------------------------------- */

/* Digits OCR takes for one another (and a registry clerk's typos). */
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

static int level_id(const struct mperson *q, const struct mperson *c)
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
			diff++;
		}
	if (!diff)
		return 0;
	if (diff == 1 && confusable(q->id[first], c->id[first]))
		return 1;
	if (diff == 2 && second == first + 1 && q->id[first] == c->id[second] &&
	    q->id[second] == c->id[first])
		return 2;
	/* a different number that fits the record's own dob and sex is a
	 * different person; one that does not is more likely misread */
	return q->id_fits == 0 ? 4 : 3;
}

/*
 * Names: Vietnamese names share their surname and middle names widely
 * ("Nguyễn Thị ..."), so the similarity of the whole name must be backed
 * by that of the given name: "Nguyễn Thị Hoa" and "Nguyễn Thị Hồng" are
 * close as strings and are two people.
 */
static int level_name(const struct mperson *q, const struct mperson *c)
{
	double jw, jg;

	if (!q->key || !c->key)
		return MATCH_MISSING;
	if (!strcmp(q->name, c->name))
		return 0;
	if (!strcmp(q->key, c->key))
		return 1;
	jw = jaro_winkler(q->key, c->key);
	jg = q->gkey && c->gkey ? jaro_winkler(q->gkey, c->gkey) : 0;
	if (jw >= 0.94 && jg >= 0.9)
		return 2;
	if (jw >= 0.88 && jg >= 0.85)
		return 3;
	if (q->gkey && c->gkey && !strcmp(q->gkey, c->gkey))
		return 4;
	return 5;
}

/* Digits of a full date "yyyymmdd" differing in one place. */
static int one_digit(const struct vn_date *a, const struct vn_date *b)
{
	char x[16], y[16];
	int diff = 0;

	snprintf(x, sizeof(x), "%04d%02d%02d", a->year, a->month, a->day);
	snprintf(y, sizeof(y), "%04d%02d%02d", b->year, b->month, b->day);
	for (int i = 0; x[i] && y[i]; i++)
		diff += x[i] != y[i];
	return diff == 1;
}

static int level_dob(const struct mperson *q, const struct mperson *c)
{
	const struct vn_date *a = &q->dob, *b = &c->dob;
	int full_a = a->year && a->month && a->day, full_b = b->year && b->month && b->day;

	if (!a->year || !b->year)
		return MATCH_MISSING;
	if (full_a && full_b) {
		if (a->year == b->year && a->month == b->month && a->day == b->day)
			return 0;
		if (a->year == b->year && a->month == b->day && a->day == b->month)
			return 2;
		if (one_digit(a, b))
			return 3;
		return a->year == b->year ? 4 : 5;
	}
	/* one side partial: agree as far as both go */
	if (a->year == b->year && (!a->month || !b->month || a->month == b->month))
		return 1;
	return 5;
}

static int level_parent(const char *a, const char *b)
{
	if (!a || !b)
		return MATCH_MISSING;
	if (!strcmp(a, b))
		return 0;
	return jaro_winkler(a, b) >= 0.9 ? 1 : 2;
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
	level[MC_ID] = level_id(q, c);
	level[MC_NAME] = level_name(q, c);
	level[MC_DOB] = level_dob(q, c);
	level[MC_SEX] = !q->sex || !c->sex ? MATCH_MISSING : q->sex == c->sex ? 0 : 1;
	level[MC_PROVINCE] = level_province(q, c);
	level[MC_FATHER] = level_parent(q->father_key, c->father_key);
	level[MC_MOTHER] = level_parent(q->mother_key, c->mother_key);
}
