/*
 * syllable.c — the closed set of Vietnamese syllables and the repair of
 * OCR-damaged words.
 *
 * A syllable is onset + rhyme + tone.  The onsets and rhymes below are the
 * written ones of the standard orthography (the tables of Vietnamese
 * primers), with the spelling rules that tie them: k/gh/ngh before i, e, ê
 * (c/g/ng elsewhere), q only as qu, and rhymes ending in p, t, c or ch take
 * only the sắc or nặng tone.  The check is by rule, not by a list of all
 * syllables, so it costs a few comparisons.
 *
 * Repair looks for valid syllables one or two OCR-likely edits away: the
 * quality mark of a vowel (a/ă/â, e/ê, o/ô/ơ, u/ư), the tone, d/đ.  The
 * nearest wins; ties go to the word more frequent in the lexicon; without a
 * unique winner the word is kept.  A valid syllable is never touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "normalize_internal.h"

/* Written rhymes, lower case, vowels with their quality marks. Sorted. */
static const char *const rhymes[] = {
	"a",	"ac",	"ach",	"ai",	"am",	"an",  "ang",  "anh",  "ao",   "ap",   "at",  "au",
	"ay",	"e",	"ec",	"em",	"en",	"eng", "eo",   "ep",   "et",   "i",    "ia",  "ich",
	"im",	"in",	"inh",	"ip",	"it",	"iu",  "iêc",  "iêm",  "iên",  "iêng", "iêp", "iêt",
	"iêu",	"o",	"oa",	"oac",	"oach", "oai", "oam",  "oan",  "oang", "oanh", "oao", "oap",
	"oat",	"oay",	"oc",	"oe",	"oen",	"oeo", "oet",  "oi",   "om",   "on",   "ong", "ooc",
	"oong", "op",	"ot",	"oăc",	"oăm",	"oăn", "oăng", "oăt",  "u",    "ua",   "uc",  "ui",
	"um",	"un",	"ung",	"up",	"ut",	"uy",  "uya",  "uych", "uyn",  "uynh", "uyp", "uyt",
	"uyu",	"uyên", "uyêt", "uân",	"uâng", "uât", "uây",  "uê",   "uêch", "uênh", "uô",  "uôc",
	"uôi",	"uôm",	"uôn",	"uông", "uôt",	"uơ",  "y",    "yêm",  "yên",  "yêng", "yêt", "yêu",
	"âc",	"âm",	"ân",	"âng",	"âp",	"ât",  "âu",   "ây",   "ê",    "êch",  "êm",  "ên",
	"ênh",	"êp",	"êt",	"êu",	"ô",	"ôc",  "ôi",   "ôm",   "ôn",   "ông",  "ôp",  "ôt",
	"ăc",	"ăm",	"ăn",	"ăng",	"ăp",	"ăt",  "ơ",    "ơi",   "ơm",   "ơn",   "ơp",  "ơt",
	"ư",	"ưa",	"ưc",	"ưi",	"ưm",	"ưn",  "ưng",  "ưt",   "ưu",   "ươc",  "ươi", "ươm",
	"ươn",	"ương", "ươp",	"ươt",	"ươu",
};

/* Onsets, longest first so that "ngh" is tried before "ng" and "n". */
static const char *const onsets[] = {
	"ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d",
	"đ",   "g",  "h",  "k",	 "l",  "m",  "n",  "p",	 "r",  "s",  "t",  "v", "x", "",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The table is in UTF-8 byte order (vn_rhymes_sorted checks it in a test). */
static int is_rhyme(const char *r)
{
	return bsearch(&r, rhymes, HT_ARRAY_LEN(rhymes), sizeof(rhymes[0]), cmp_str) != NULL;
}

int vn_rhymes_sorted(void)
{
	size_t i;

	for (i = 1; i < HT_ARRAY_LEN(rhymes); i++)
		if (strcmp(rhymes[i - 1], rhymes[i]) >= 0)
			return 0;
	return 1;
}

static int starts_front_vowel(const char *r)
{
	/* i, e, ê (and y as a vowel) */
	return r[0] == 'i' || r[0] == 'e' || r[0] == 'y' || !strncmp(r, "ê", 2);
}

static int ends_stop(const char *r)
{
	size_t n = strlen(r);

	if (n >= 2 && !strcmp(r + n - 2, "ch"))
		return 1;
	return n >= 1 && (r[n - 1] == 'p' || r[n - 1] == 't' || r[n - 1] == 'c');
}

static int onset_rhyme_ok(const char *on, const char *r)
{
	int front = starts_front_vowel(r);

	if (!strcmp(on, "qu") && r[0] == 'y') {
		/* quy, quỳnh, quyên: the rhyme is uy, uynh, uyên */
		char u[16];

		if (strlen(r) + 2 > sizeof(u))
			return 0;
		u[0] = 'u';
		memcpy(u + 1, r, strlen(r) + 1);
		return is_rhyme(u);
	}
	if (!is_rhyme(r))
		return 0;
	if (!strcmp(on, "k") || !strcmp(on, "gh") || !strcmp(on, "ngh"))
		return front;
	if (!strcmp(on, "c") || !strcmp(on, "g") || !strcmp(on, "ng"))
		return !front || (!strcmp(on, "g") && r[0] == 'i'); /* gì, gìn */
	if (!strcmp(on, "qu"))
		/* the u belongs to qu: no second u/ư/o glide */
		return r[0] != 'u' && strncmp(r, "ư", 2) != 0 && r[0] != 'o';
	if (!strcmp(on, "gi"))
		return r[0] != 'i';
	/* yê rhymes stand alone or after the u glide (khuyên is kh + uyên) */
	if (!strncmp(r, "yê", 3) && *on)
		return 0;
	return 1;
}

static int letters_valid(const char *letters, int tone)
{
	size_t i;

	for (i = 0; i < HT_ARRAY_LEN(onsets); i++) {
		size_t n = strlen(onsets[i]);
		const char *r;

		if (strncmp(letters, onsets[i], n) != 0)
			continue;
		r = letters + n;
		if (!*r)
			continue;
		if (!onset_rhyme_ok(onsets[i], r))
			continue;
		if (ends_stop(r) && tone != TONE_SAC && tone != TONE_NANG)
			continue;
		return 1;
	}
	return 0;
}

int vn_syl_valid(const struct vn_syl *s)
{
	char letters[VN_SYL_MAX * 3 + 1];

	if (s->foreign || s->n == 0 || s->tones_seen > 1)
		return 0;
	vn_syl_letters_utf8(s, letters, sizeof(letters));
	return letters_valid(letters, s->tone);
}

int vn_syllable_valid(const char *syl, ptrdiff_t len)
{
	struct ubuf a, b;
	struct vn_syl s;
	int ok;

	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_from_utf8(&a, syl, len);
	vn_ubuf_nfd(&a, &b);
	ok = b.len > 0 && vn_syl_from_nfd(b.p, b.len, &s) == 0 && vn_syl_valid(&s);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
	return ok;
}

/* ------------------------------------------------------------------------
 * Lexicon: canonical lower-case word -> count (open addressing).
 * ---------------------------------------------------------------------- */

struct lex_entry {
	char *word;
	unsigned count;
};

struct vn_lexicon {
	struct lex_entry *slots;
	size_t cap;
	size_t n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct vn_lexicon *vn_lexicon_new(void)
{
	struct vn_lexicon *lx = xcalloc(1, sizeof(*lx));

	lx->cap = 1024;
	lx->slots = xcalloc(lx->cap, sizeof(*lx->slots));
	return lx;
}

static struct lex_entry *lex_find(const struct vn_lexicon *lx, const char *w)
{
	size_t i = (size_t)hash_str(w) & (lx->cap - 1);

	while (lx->slots[i].word) {
		if (!strcmp(lx->slots[i].word, w))
			return &lx->slots[i];
		i = (i + 1) & (lx->cap - 1);
	}
	return &lx->slots[i];
}

static void lex_key(const char *word, strbuf *key)
{
	strbuf norm = STRBUF_INIT;

	vn_text_normalize(word, -1, &norm, NULL);
	vn_case_map(norm.buf, (ptrdiff_t)norm.len, VN_CASE_LOWER, key);
	strbuf_release(&norm);
}

void vn_lexicon_add(struct vn_lexicon *lx, const char *word, unsigned count)
{
	strbuf key = STRBUF_INIT;
	struct lex_entry *e;

	lex_key(word, &key);
	if (!key.len) {
		strbuf_release(&key);
		return;
	}
	if ((lx->n + 1) * 2 > lx->cap) {
		struct lex_entry *old = lx->slots;
		size_t i, oldcap = lx->cap;

		lx->cap *= 2;
		lx->slots = xcalloc(lx->cap, sizeof(*lx->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i].word)
				*lex_find(lx, old[i].word) = old[i];
		free(old);
	}
	e = lex_find(lx, key.buf);
	if (!e->word) {
		e->word = strbuf_detach(&key, NULL);
		lx->n++;
	}
	e->count += count;
	strbuf_release(&key);
}

unsigned vn_lexicon_count(const struct vn_lexicon *lx, const char *word)
{
	strbuf key = STRBUF_INIT;
	unsigned c;

	if (!lx)
		return 0;
	lex_key(word, &key);
	c = lex_find(lx, key.buf)->count;
	strbuf_release(&key);
	return c;
}

void vn_lexicon_free(struct vn_lexicon *lx)
{
	size_t i;

	if (!lx)
		return;
	for (i = 0; i < lx->cap; i++)
		free(lx->slots[i].word);
	free(lx->slots);
	free(lx);
}

/* ------------------------------------------------------------------------
 * Repair
 * ---------------------------------------------------------------------- */

/* The quality marks a vowel may carry, for substitution. */
static int quality_options(UChar lower, int *opts)
{
	switch (lower) {
	case 'a':
		opts[0] = 0;
		opts[1] = Q_BREVE;
		opts[2] = Q_CIRC;
		return 3;
	case 'e':
		opts[0] = 0;
		opts[1] = Q_CIRC;
		return 2;
	case 'o':
		opts[0] = 0;
		opts[1] = Q_CIRC;
		opts[2] = Q_HORN;
		return 3;
	case 'u':
		opts[0] = 0;
		opts[1] = Q_HORN;
		return 2;
	}
	return 0;
}

/*
 * Edit costs, in tenths: what OCR does to Vietnamese print.  A lost or
 * added quality mark (Ê/E, Ơ/O) and a hook read as an acute or tilde are
 * the common errors; other tone changes cost more.
 */
#define COST_QUALITY   10
#define COST_TONE_NEAR 6 /* hỏi <-> sắc / ngã, sắc <-> huyền */
#define COST_TONE      9
#define COST_D	       10
#define COST_MAX       20 /* at most two edits */

static int tone_cost(int from, int to)
{
	int a = from < to ? from : to, b = from < to ? to : from;

	if ((a == TONE_SAC && b == TONE_HOI) || (a == TONE_HOI && b == TONE_NGA) ||
	    (a == TONE_HUYEN && b == TONE_SAC))
		return COST_TONE_NEAR;
	return COST_TONE;
}

struct repair_best {
	struct vn_syl syl;
	double score;
	int ties;
};

static void lower_word(const struct vn_syl *s, strbuf *out)
{
	struct ubuf a, b;
	struct vn_syl low = *s;
	int i, old;

	for (i = 0; i < low.n; i++)
		low.l[i].base = low.l[i].lower;
	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_syl_emit(&low, vn_syl_tone_position(&low, &old), &a);
	vn_ubuf_nfc(&a, &b);
	vn_ubuf_to_utf8(&b, out);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
}

static int same_syllable(const struct vn_syl *a, const struct vn_syl *b)
{
	int i;

	if (a->n != b->n || a->tone != b->tone)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->l[i].lower != b->l[i].lower || a->l[i].quality != b->l[i].quality)
			return 0;
	return 1;
}

/*
 * Score a valid candidate: its edit cost, less a bonus for words the
 * lexicon knows (up to one cheap edit for a very frequent word).
 */
static void consider(const struct vn_syl *cand, int cost, const struct vn_lexicon *lx,
		     struct repair_best *best)
{
	double score = cost;

	if (!vn_syl_valid(cand))
		return;
	if (lx) {
		strbuf w = STRBUF_INIT;
		unsigned freq;

		lower_word(cand, &w);
		freq = vn_lexicon_count(lx, w.buf);
		strbuf_release(&w);
		if (freq) {
			double bonus = 2.0;
			unsigned f = freq;

			while (f >= 10 && bonus < 9.0) {
				bonus += 1.5;
				f /= 10;
			}
			score -= bonus;
		}
	}
	if (score < best->score - 1e-9) {
		best->syl = *cand;
		best->score = score;
		best->ties = 0;
	} else if (score < best->score + 1e-9 && !same_syllable(cand, &best->syl)) {
		best->ties++;
	}
}

/* Every syllable at most two edits from `s`, each scored once per path. */
static void explore(const struct vn_syl *s, int cost, int depth, const struct vn_lexicon *lx,
		    struct repair_best *best)
{
	struct vn_syl c;
	int i, k, t, opts[3];

	if (cost > 0)
		consider(s, cost, lx, best);
	if (depth == 2)
		return;
	for (i = 0; i < s->n; i++) {
		int n = quality_options(s->l[i].lower, opts);

		for (k = 0; k < n; k++) {
			if (opts[k] == s->l[i].quality)
				continue;
			c = *s;
			c.l[i].quality = opts[k];
			explore(&c, cost + COST_QUALITY, depth + 1, lx, best);
		}
		if (s->l[i].lower == 'd' || s->l[i].lower == U_DSTROKE_LO) {
			c = *s;
			c.l[i].lower = s->l[i].lower == 'd' ? U_DSTROKE_LO : 'd';
			c.l[i].base =
			    u_isupper(s->l[i].base) ? (UChar)u_toupper(c.l[i].lower) : c.l[i].lower;
			explore(&c, cost + COST_D, depth + 1, lx, best);
		}
	}
	for (t = TONE_NONE; t <= TONE_NANG; t++) {
		if (t == s->tone)
			continue;
		c = *s;
		c.tone = t;
		c.tones_seen = t ? 1 : 0;
		explore(&c, cost + tone_cost(s->tone, t), depth + 1, lx, best);
	}
}

/*
 * syl_repair: the best-scoring valid syllable within two edits of `s`,
 * when it is unique.  Returns 1 and sets *out, else 0.
 */
static int syl_repair(const struct vn_syl *s, const struct vn_lexicon *lx, struct vn_syl *out)
{
	struct repair_best best;
	struct vn_syl start = *s;

	memset(&best, 0, sizeof(best));
	best.score = COST_MAX + 1;
	if (start.tones_seen > 1)
		start.tones_seen = 1;
	explore(&start, 0, 0, lx, &best);
	if (best.score > COST_MAX || best.ties)
		return 0;
	*out = best.syl;
	return 1;
}

static int has_diacritic(const struct vn_syl *s)
{
	int i;

	if (s->tone)
		return 1;
	for (i = 0; i < s->n; i++)
		if (s->l[i].quality || s->l[i].lower == U_DSTROKE_LO)
			return 1;
	return 0;
}

int vn_text_repair(const char *in, ptrdiff_t len, const struct vn_lexicon *lexicon, strbuf *out,
		   unsigned *warn)
{
	strbuf norm = STRBUF_INIT;
	struct ubuf a, b;
	int32_t i = 0;
	unsigned w = 0;

	vn_text_normalize(in, len, &norm, &w);
	vn_ubuf_init(&a);
	vn_ubuf_init(&b);
	vn_ubuf_from_utf8(&a, norm.buf, (ptrdiff_t)norm.len);
	vn_ubuf_nfd(&a, &b);
	a.len = 0;
	while (i < b.len) {
		int32_t j = i;
		struct vn_syl s, fixed;
		int old;

		if (!uc_is_alpha(b.p[i])) {
			vn_ubuf_push(&a, b.p[i++]);
			continue;
		}
		while (j < b.len && (uc_is_alpha(b.p[j]) || uc_is_mark(b.p[j])))
			j++;
		if (vn_syl_from_nfd(b.p + i, j - i, &s) < 0 || s.foreign || vn_syl_valid(&s)) {
			for (; i < j; i++)
				vn_ubuf_push(&a, b.p[i]);
			continue;
		}
		if (syl_repair(&s, lexicon, &fixed)) {
			vn_syl_emit(&fixed, vn_syl_tone_position(&fixed, &old), &a);
			w |= VN_W_SYLLABLE_REPAIRED;
		} else {
			if (has_diacritic(&s))
				w |= VN_W_SYLLABLE_INVALID;
			for (int32_t k = i; k < j; k++)
				vn_ubuf_push(&a, b.p[k]);
		}
		i = j;
	}
	vn_ubuf_nfc(&a, &b);
	vn_ubuf_to_utf8(&b, out);
	vn_ubuf_release(&a);
	vn_ubuf_release(&b);
	strbuf_release(&norm);
	if (warn)
		*warn |= w;
	return 0;
}

int vn_lexicon_read(const char *path, struct vn_lexicon *lx, herr *e)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return herr_set(e, HT_EXIT_USAGE, "could not open lexicon \"%s\": %m", path);
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *tab = strchr(line, '\t'), *save = NULL, *w;
		long count = 1;

		if (tab) {
			*tab = '\0';
			if (parse_int(strtok_r(tab + 1, "\r\n", &save), 1, 1000000000, &count) < 0)
				count = 1;
		}
		for (w = strtok_r(line, " \r\n", &save); w; w = strtok_r(NULL, " \r\n", &save))
			vn_lexicon_add(lx, w, (unsigned)count);
	}
	free(line);
	fclose(f);
	return 0;
}
