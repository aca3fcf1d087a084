/*
 * extract.c — from a preprocessed page to records: A3 spreads split in
 * two, lines recognized, the document classified by its printed title (or,
 * failing that, by its labels), values taken after their labels up to the
 * next label or the end of the line (and onto the next line when they
 * wrap), read again with settings for their kind, normalized and checked,
 * and each field's confidence and review flag decided.
 *
 * The review flag is what keeps a wrong value from passing silently: it is
 * raised on low confidence and on every failed check (an impossible date,
 * digits and words of a date that disagree, an ID number that does not fit
 * the date of birth or the sex, a name word that is not Vietnamese, a
 * female middle name on a man).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr_internal.h"

/* Confidence below which a field goes to review (tuned on the tuning set). */
#define REVIEW_CONF_NAME  0.80
#define REVIEW_CONF_OTHER 0.70

struct token {
	char *t;  /* folded */
	int word; /* index in the line's words */
};

struct rline {
	struct text_line tl;
	struct ocr_words ws;
	struct token *tok;
	int ntok;
	int consumed; /* its words were taken as the continuation of a value */
};

struct occurrence {
	int line;
	int first_word, last_word; /* label words */
	int label;		   /* index into form->labels of the first entry with
					 * this text */
	const char *rest;	   /* text glued after the colon in the last label word */
	double score;
};

struct page_part {
	int x, y, w, h; /* the part of the page (a half of a spread) */
	int index;
};

/* ------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void page_warn(struct ocr_page *p, const char *what, const char *detail)
{
	if (p->nwarnings < OCR_MAX_WARNINGS)
		p->warnings[p->nwarnings++] =
		    detail && *detail ? xasprintf("%s: %s", detail, what) : xstrdup(what);
}

static void rec_warn(struct ocr_record *r, const char *field, const char *what)
{
	if (r->nwarnings < OCR_MAX_WARNINGS)
		r->warnings[r->nwarnings++] = xasprintf("%s: %s", field, what);
}

static void tokenize_line(struct rline *l)
{
	int i;

	for (i = 0; i < l->ws.n; i++) {
		strbuf f = STRBUF_INIT;
		char *save = NULL, *t;

		forms_fold(l->ws.w[i].text, &f);
		for (t = strtok_r(f.buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			l->tok = xrealloc(l->tok, (size_t)(l->ntok + 1) * sizeof(*l->tok));
			l->tok[l->ntok].t = xstrdup(t);
			l->tok[l->ntok].word = i;
			l->ntok++;
		}
		strbuf_release(&f);
	}
}

static void rline_release(struct rline *l)
{
	int i;

	words_release(&l->ws);
	for (i = 0; i < l->ntok; i++)
		free(l->tok[i].t);
	free(l->tok);
	l->tok = NULL;
	l->ntok = 0;
}

/* Tokens [i, i + m) of a line joined by spaces. */
static void join_tokens(const struct rline *l, int i, int m, strbuf *out)
{
	int k;

	strbuf_reset(out);
	for (k = i; k < i + m && k < l->ntok; k++) {
		if (k > i)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, l->tok[k].t);
	}
}

static int word_has_colon(const struct ocr_word *w)
{
	return strchr(w->text, ':') != NULL;
}

/* ------------------------------------------------------------------------
 * Labels in a line
 * ---------------------------------------------------------------------- */

/*
 * The label occurrences of a line, left to right.  A label of ten letters
 * or more may be misread (similarity >= 0.78); a short one must be read
 * exactly and end with a colon.
 */
/*
 * The label that best matches the tokens from `i` (one token more or less
 * than the label has, for a word split or run together): its index, or
 * -1; its length in tokens and its score.
 */
static int best_label_at(const struct form_def *fd, const struct rline *l, int i, int *best_m,
			 double *best_s, strbuf *cand)
{
	int best = -1;
	size_t best_len = 0;

	*best_m = 0;
	*best_s = 0;
	for (int k = 0; k < fd->nlabels; k++) {
		const struct form_label *lb = &fd->labels[k];
		int m = lb->ntok, dm, dup = 0;
		const char *key = lb->key;
		size_t len = strlen(key);

		for (int j = 0; j < k; j++)
			if (!strcmp(fd->labels[j].key, key))
				dup = 1;
		if (dup || !m)
			continue;
		if ((lb->flags & FL_ALONE) && l->ntok != m)
			continue;
		for (dm = -1; dm <= 1; dm++) {
			int mm = m + dm;
			double s, need;

			if (mm < 1 || i + mm > l->ntok)
				continue;
			if (len < 6 && dm != 0)
				continue;
			join_tokens(l, i, mm, cand);
			s = forms_similarity(cand->buf, key);
			need = len >= 10 ? 0.78 : len >= 6 ? 0.85 : 1.0;
			if (s < need)
				continue;
			if (len < 6 && !(lb->flags & FL_ALONE) &&
			    !word_has_colon(&l->ws.w[l->tok[i + mm - 1].word]))
				continue;
			if (s > *best_s + 1e-9 || (fabs(s - *best_s) < 1e-9 && len > best_len)) {
				best = k;
				*best_m = mm;
				*best_s = s;
				best_len = len;
			}
		}
	}
	return best;
}

/*
 * The label occurrences of a line, left to right.  A label of ten letters
 * or more may be misread (similarity >= 0.78); a short one must be read
 * exactly and end with a colon.  A match that takes a word more than the
 * label has yields to a better one starting a word later (the value's last
 * word before the next label is not part of it).
 */
static int find_labels(const struct form_def *fd, struct rline *l, int line, struct occurrence *occ,
		       int max)
{
	strbuf cand = STRBUF_INIT;
	int i = 0, n = 0;

	while (i < l->ntok && n < max) {
		int best_m, m2;
		double best_s, s2;
		int best = best_label_at(fd, l, i, &best_m, &best_s, &cand);

		if (best >= 0 && i + 1 < l->ntok &&
		    best_label_at(fd, l, i + 1, &m2, &s2, &cand) >= 0 && s2 > best_s + 1e-9) {
			i++;
			continue;
		}
		/* a short label run into its number ("Số19") */
		if (best < 0) {
			const char *t = l->tok[i].t;

			for (int k = 0; k < fd->nlabels && best < 0; k++) {
				int ntok = fd->labels[k].ntok;
				const char *lk = fd->labels[k].key;
				size_t kl = strlen(lk);

				if (kl && kl < 6 && ntok == 1 && !strncmp(t, lk, kl) &&
				    t[kl] >= '0' && t[kl] <= '9') {
					best = k;
					best_m = 1;
					best_s = 0.9;
				}
			}
			if (best >= 0) {
				const char *w = l->ws.w[l->tok[i].word].text, *d = w;

				while (*d && !(*d >= '0' && *d <= '9'))
					d++;
				occ[n].line = line;
				occ[n].label = best;
				occ[n].first_word = occ[n].last_word = l->tok[i].word;
				occ[n].score = best_s;
				occ[n].rest = d;
				n++;
				while (i < l->ntok && l->tok[i].word <= occ[n - 1].last_word)
					i++;
				continue;
			}
			i++;
			continue;
		}
		occ[n].line = line;
		occ[n].label = best;
		occ[n].first_word = l->tok[i].word;
		occ[n].last_word = l->tok[i + best_m - 1].word;
		occ[n].score = best_s;
		{
			const char *w = l->ws.w[occ[n].last_word].text, *c = strrchr(w, ':');

			occ[n].rest = c && c[1] ? c + 1 : NULL;
		}
		n++;
		/* the next label starts after this one's last word */
		while (i < l->ntok && l->tok[i].word <= occ[n - 1].last_word)
			i++;
	}
	strbuf_release(&cand);
	return n;
}

/* The entry for a label's text in a context. */
static const struct form_label *resolve(const struct form_def *fd, int label, int ctx)
{
	const char *key = fd->labels[label].key;
	const struct form_label *any = NULL, *only = NULL;
	int k, count = 0;

	for (k = 0; k < fd->nlabels; k++) {
		const struct form_label *lb = &fd->labels[k];

		if (strcmp(lb->key, key))
			continue;
		count++;
		only = lb;
		if (lb->context == ctx || (lb->flags & FL_SETS_CONTEXT))
			return lb;
		if (lb->context == CTX_ANY)
			any = lb;
	}
	return any ? any : count == 1 && only->context == CTX_ANY ? only : NULL;
}

/* ------------------------------------------------------------------------
 * Titles
 * ---------------------------------------------------------------------- */

/* The document type whose title best matches a line (score in *score). */
static const struct form_def *match_title(const struct rline *l, double *score)
{
	strbuf text = STRBUF_INIT, t = STRBUF_INIT;
	const struct form_def *best = NULL;
	int d, k;

	*score = 0;
	join_tokens(l, 0, l->ntok, &text);
	for (d = 0; d < forms_count(); d++) {
		for (k = 0; forms_def(d)->titles[k]; k++) {
			double s;

			strbuf_reset(&t);
			forms_fold(forms_def(d)->titles[k], &t);
			s = forms_similarity(text.buf, t.buf);
			/* a title line may carry "(BẢN SAO)" or a number after it */
			if (text.len > t.len) {
				strbuf head = STRBUF_INIT;

				strbuf_add(&head, text.buf, t.len);
				if (forms_similarity(head.buf, t.buf) - 0.05 > s)
					s = forms_similarity(head.buf, t.buf) - 0.05;
				strbuf_release(&head);
			}
			if (s > *score) {
				*score = s;
				best = forms_def(d);
			}
		}
	}
	strbuf_release(&text);
	strbuf_release(&t);
	return best;
}

/* ------------------------------------------------------------------------
 * Values
 * ---------------------------------------------------------------------- */

struct value {
	strbuf raw;
	int x0, y0, x1, y1; /* box on the preprocessed page */
	float minconf;
	double sumconf;
	int nwords;
	int line;
};

static void value_init(struct value *v)
{
	strbuf_init(&v->raw, 0);
	v->x0 = v->y0 = 1 << 30;
	v->x1 = v->y1 = -1;
	v->minconf = 100;
	v->sumconf = 0;
	v->nwords = 0;
	v->line = -1;
}

static void value_add_text(struct value *v, const char *text)
{
	if (v->raw.len)
		strbuf_addch(&v->raw, ' ');
	strbuf_addstr(&v->raw, text);
}

/* A word with neither letter nor digit: a leader, a rule, a speck. */
static int is_filler(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t >= 0x80 || (*t >= '0' && *t <= '9') ||
		    ((*t | 0x20) >= 'a' && (*t | 0x20) <= 'z'))
			return 0;
	return 1;
}

/* The text after the colon of a label's last word ("tên:NGUYỄN"). */
static void value_add_rest(struct value *v, const struct ocr_word *w, const char *rest)
{
	value_add_text(v, rest);
	if (w->conf < v->minconf)
		v->minconf = w->conf;
	v->sumconf += w->conf;
	v->nwords++;
}

static void value_add_word(struct value *v, const struct ocr_word *w, const char *text)
{
	if (is_filler(text ? text : w->text))
		return;
	value_add_text(v, text ? text : w->text);
	if (w->x < v->x0)
		v->x0 = w->x;
	if (w->y < v->y0)
		v->y0 = w->y;
	if (w->x + w->w > v->x1)
		v->x1 = w->x + w->w;
	if (w->y + w->h > v->y1)
		v->y1 = w->y + w->h;
	if (w->conf < v->minconf)
		v->minconf = w->conf;
	v->sumconf += w->conf;
	v->nwords++;
}

/* Where a line's first word with a letter or digit starts. */
static int first_ink_x(const struct rline *l)
{
	for (int i = 0; i < l->ws.n; i++)
		if (!is_filler(l->ws.w[i].text))
			return l->ws.w[i].x;
	return l->tl.x;
}

/* One field being built. */
struct slot {
	const struct form_label *lb;
	struct value v;
	int used;
};

/* ------------------------------------------------------------------------
 * The per-kind finish: normalize, check, confidence, review
 * ---------------------------------------------------------------------- */

struct person_facts {
	struct vn_date dob;
	enum vn_sex sex;
	int female_middle; /* the name has "Thị" as a middle name */
	int male_middle;   /* the name has "Văn" */
};

static char *trim_punct(const char *s)
{
	const char *b = s, *e = s + strlen(s);

	while (*b == ' ' || *b == ',' || *b == '.' || *b == ':' || *b == ';' || *b == '_' ||
	       *b == '-' || *b == '|')
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == ',' || e[-1] == '.' || e[-1] == ':' ||
			 e[-1] == ';' || e[-1] == '_' || e[-1] == '-' || e[-1] == '|'))
		e--;
	return xstrndup(b, (size_t)(e - b));
}

/* "Ủy ban nhân dân xã ..." / "UBND xã ...": the place after the body's name. */
static const char *office_place(const char *raw)
{
	/* the body's names, folded, letters only; longest first */
	static const char *const bodies[] = { "tmuybannhandan", "uybannhandan", "tmubnd", "ubnd" };
	strbuf one = STRBUF_INIT;
	const char *best = raw;
	size_t b;

	for (b = 0; b < HT_ARRAY_LEN(bodies) && best == raw; b++) {
		const char *p = raw, *want = bodies[b];

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
static const char *datetime_date(const char *raw)
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

static void set_value(struct ocr_field *f, const char *v)
{
	free(f->value);
	f->value = v ? xstrdup(v) : NULL;
}

static void flag(struct ocr_field *f, const char *why)
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
static int take_better(struct ocr_field *f, struct ocr_field *g, double gconf)
{
	int took = 0;

	int differ = g->value && f->value && strcmp(g->value, f->value);

	if (g->value && (!f->value || (gconf > f->conf && (!g->review || f->review)) ||
			 (f->review && !g->review))) {
		set_value(f, g->value);
		f->conf = gconf;
		f->review = g->review;
		f->why = g->why;
		took = 1;
	}
	if (differ)
		flag(f, "two readings disagree");
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
			flag(f, "a name word repaired");
		else if (!f->why)
			f->why = "a misread mark repaired";
	} else {
		strbuf_addstr(out, word);
		if (!c)
			flag(f, part == VN_PART_SURNAME ? "a surname no citizen has"
							: "a name word no citizen has");
		else if (strcmp(best.buf, word) && (unsigned long)c * 50 < bc)
			flag(f, "a rare name word, or a misread common one");
	}
	strbuf_release(&best);
}

static void finish_name(struct ocr_field *f, const char *raw, const struct ocr_options *o,
			struct person_facts *pf)
{
	const struct vn_name_model *m = vn_name_model_names(o->names) ? o->names : NULL;
	struct vn_name n;
	unsigned w = 0;
	strbuf tmp = STRBUF_INIT;

	if (vn_name_parse(raw, &n, &w) < 0) {
		flag(f, "illegible");
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
			flag(f, "a letter was repaired");
		} else {
			flag(f, "not a Vietnamese name");
		}
		f->conf *= 0.6;
	}
	if (n.words < 2)
		flag(f, "one word");
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
				flag(f, "unknown surname");
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
			flag(f, "the name seems cut short");
		} else if (m) {
			check_word(f, m, VN_PART_GIVEN, n.given, &fixed);
		} else {
			strbuf_addstr(&fixed, n.given);
		}
		if (strcmp(fixed.buf, n.full) && vn_name_parse(fixed.buf, &n2, NULL) == 0)
			n = n2;
		strbuf_release(&fixed);
	}
	set_value(f, n.full);
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

/*
 * Numbers and codes: no spaces, no specks; the shape each one has on the
 * forms (forms.md), else flagged:
 *   register_no   "12", or "236/1977/TLKS-BS" on a copy
 *   book_no       "04", "01/2015"
 *   dossier_code  "<agency>-<yymmdd>-<sequence>": "000.00.19.H47-260105-0001"
 * "I", "l" or "|" between digit groups of a register number are its
 * slashes.
 */
static void finish_number(struct ocr_field *f, const char *raw)
{
	strbuf out = STRBUF_INIT;
	const char *p;
	int ok = 0;

	for (p = raw; *p; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || *p == '/' || *p == '-' || *p == '.')
			strbuf_addch(&out, *p);
	while (out.len && strchr("-./", out.buf[out.len - 1]))
		out.buf[--out.len] = '\0';
	if (!strcmp(f->name, "register_no")) {
		/* 236I1977ITLKS-BS: the slashes read as I */
		for (size_t i = 1; i + 1 < out.len; i++)
			if (strchr("Il|", out.buf[i]) && out.buf[i - 1] >= '0' &&
			    out.buf[i - 1] <= '9' &&
			    ((out.buf[i + 1] >= '0' && out.buf[i + 1] <= '9') ||
			     out.buf[i + 1] == 'T'))
				out.buf[i] = '/';
		ok = match_shape(out.buf, "D") || match_shape(out.buf, "D/DDDD/A");
	} else if (!strcmp(f->name, "book_no")) {
		ok = match_shape(out.buf, "D") || match_shape(out.buf, "D/DDDD");
	} else if (!strcmp(f->name, "dossier_code")) {
		const char *d1 = strchr(out.buf, '-'), *d2 = d1 ? strchr(d1 + 1, '-') : NULL;

		ok = d1 && d2 && d1 > out.buf && d2 - d1 == 7 && d2[1];
		for (p = out.buf; ok && p < d1; p++)
			ok = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '.';
		for (p = d1 ? d1 + 1 : out.buf; ok && *p; p++)
			ok = (*p >= '0' && *p <= '9') || p == d2;
	} else {
		ok = out.len > 0;
	}
	set_value(f, out.len ? out.buf : NULL);
	if (out.len && !ok)
		flag(f, "not in the form's format");
	strbuf_release(&out);
}

/* Free text: syllables repaired; a word that is not Vietnamese is flagged. */
static void finish_text(struct ocr_field *f, const char *raw)
{
	strbuf out = STRBUF_INIT;
	unsigned w = 0;

	vn_text_repair(raw, -1, NULL, &out, &w);
	set_value(f, out.len ? out.buf : NULL);
	if (w & (VN_W_SYLLABLE_REPAIRED | VN_W_SYLLABLE_INVALID))
		flag(f, "a word is not Vietnamese");
	f->warn |= w;
	strbuf_release(&out);
}

/* A place: its units found in the administrative list, nothing astray. */
static void finish_place(struct ocr_field *f, const char *text)
{
	struct vn_place pl;
	char *t = xstrdup(text);
	unsigned w = 0;

	trim_junk_tail(t);
	if (vn_place_parse_near(t, &pl, &w) == 0 && pl.canonical[0]) {
		set_value(f, pl.canonical);
		if (w & VN_W_PLACE_UNKNOWN)
			flag(f, "place not recognized");
		else if (pl.found != (VN_PLACE_COMMUNE | VN_PLACE_DISTRICT | VN_PLACE_PROVINCE) ||
			 pl.stray)
			flag(f, "place not fully recognized");
	} else {
		flag(f, "illegible");
	}
	free(t);
	f->warn |= w;
}

/* Does a date's text end with "năm" (its year still to come)? */
static int ends_with_nam(const char *raw)
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
int extract_repair_date_separators(const char *raw, strbuf *out)
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

static void finish_date(struct ocr_field *f, const char *raw, struct vn_date *out)
{
	struct vn_date d;
	herr e = { 0 };
	unsigned w = 0;
	char iso[16];
	strbuf fixed = STRBUF_INIT;
	int ok;

	memset(out, 0, sizeof(*out));
	ok = vn_date_parse(raw, &d, &w, &e) == 0;
	if (!ok && extract_repair_date_separators(raw, &fixed)) {
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
	set_value(f, iso);
	f->warn |= w;
	*out = d;
	if (w & VN_W_DATE_TWO_DIGIT_YEAR) {
		f->review = 1;
		f->why = "two-digit year";
	}
}

static void finish_id(struct ocr_field *f, const char *raw, struct vn_id *out)
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
	set_value(f, id.digits);
	f->warn |= w;
	*out = id;
	if (w & VN_W_ID_REPAIRED) {
		f->review = 1;
		f->why = "letters read as digits";
	}
}

/* ------------------------------------------------------------------------
 * Reading one part of a page
 * ---------------------------------------------------------------------- */

struct reader {
	struct ocr_engine *eng;
	const struct ocr_options *o;
	struct prep *pp;
	struct ocr_page *page;
	struct rline *lines;
	int nlines;
};

static void read_line(struct reader *rd, struct rline *l)
{
	tess_read(rd->eng, l->tl.x, l->tl.y, l->tl.w, l->tl.h, TM_LINE, 1.0, &l->ws);
	tokenize_line(l);
}

/* Read a value's zone again with settings for its kind; 1 if it was read. */
static int reread(struct reader *rd, const struct value *v, enum tess_mode mode, double scale,
		  strbuf *text, float *minconf)
{
	struct ocr_words ws = { 0 };
	int i;

	if (v->x1 <= v->x0 || v->y1 <= v->y0)
		return 0;
	tess_read(rd->eng, v->x0, v->y0, v->x1 - v->x0, v->y1 - v->y0, mode, scale, &ws);
	strbuf_reset(text);
	*minconf = 100;
	for (i = 0; i < ws.n; i++) {
		if (i)
			strbuf_addch(text, ' ');
		strbuf_addstr(text, ws.w[i].text);
		if (ws.w[i].conf < *minconf)
			*minconf = ws.w[i].conf;
	}
	words_release(&ws);
	return text->len > 0;
}

static struct ocr_field *add_field(struct ocr_record *r, const char *name)
{
	struct ocr_field *f;
	int i;

	for (i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].name, name))
			return &r->fields[i];
	if (r->nfields >= OCR_MAX_FIELDS)
		return NULL;
	f = &r->fields[r->nfields++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	return f;
}

static int person_of_field(const char *name)
{
	if (!strncmp(name, "husband_", 8))
		return 1;
	if (!strncmp(name, "wife_", 5))
		return 2;
	if (!strncmp(name, "parent_", 7))
		return 3;
	if (!strncmp(name, "child_", 6))
		return 4;
	if (!strcmp(name, "applicant_name") || !strcmp(name, "applicant_id_number"))
		return 5;
	return 0;
}

/* A deep copy of the words of `l` whose middle is left (side 0) or right
 * (side 1) of `split_x`; 0 when there are none. */
static int half_line(const struct rline *l, int split_x, int side, struct rline *out)
{
	int i, x0 = 1 << 30, x1 = -1;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < l->ws.n; i++) {
		const struct ocr_word *w = &l->ws.w[i];

		if ((w->x + w->w / 2 >= split_x) != side || is_filler(w->text))
			continue;
		out->ws.w = xrealloc(out->ws.w, (size_t)(out->ws.n + 1) * sizeof(*out->ws.w));
		out->ws.w[out->ws.n] = *w;
		out->ws.w[out->ws.n].text = xstrdup(w->text);
		out->ws.n++;
		if (w->x < x0)
			x0 = w->x;
		if (w->x + w->w > x1)
			x1 = w->x + w->w;
	}
	if (!out->ws.n)
		return 0;
	out->tl = l->tl;
	out->tl.x = x0;
	out->tl.w = x1 - x0;
	tokenize_line(out);
	return 1;
}

/*
 * Two persons side by side (the spouses of a marriage in two columns): the
 * lines from the one that carries two persons' name labels up to the
 * registration part are cut at the second label's left edge and laid out
 * as the left column, then the right one, so that the rest reads them as
 * one block after the other.  Returns a new array of copies (caller
 * releases), or NULL when the part is one column.
 */
static struct rline *unfold_columns(const struct form_def *fd, const struct rline *src, int n,
				    int *nout)
{
	struct occurrence occ[32];
	struct rline *out;
	int i, k, first = -1, end = n, split_x = 0, m = 0, side;

	for (i = 0; i < n && first < 0; i++) {
		int c = find_labels(fd, (struct rline *)&src[i], i, occ, 32), left = -1;

		for (k = 0; k < c; k++) {
			const struct form_label *lb = &fd->labels[occ[k].label];

			if (!(lb->flags & FL_SETS_CONTEXT) || lb->context == CTX_OFFICE)
				continue;
			if (left < 0)
				left = k;
			else if (lb->context != fd->labels[occ[left].label].context)
				first = i;
		}
	}
	if (first < 0)
		return NULL;
	for (i = first + 1; i < n && end == n; i++) {
		int c = find_labels(fd, (struct rline *)&src[i], i, occ, 32);

		for (k = 0; k < c; k++)
			if (fd->labels[occ[k].label].context == CTX_OFFICE)
				end = i;
	}
	/*
	 * The right column starts at the leftmost label that follows another
	 * label on a line of the block (column titles may be centred, values
	 * are not labels).
	 */
	split_x = 1 << 30;
	for (i = first; i < end; i++) {
		int c = find_labels(fd, (struct rline *)&src[i], i, occ, 32);
		int x0 = src[i].tl.x, x1 = src[i].tl.x + src[i].tl.w;

		for (k = 1; k < c; k++) {
			int x = src[i].ws.w[occ[k].first_word].x;

			if (x > x0 + (x1 - x0) / 3 && x < split_x)
				split_x = x - 4;
		}
	}
	if (split_x == 1 << 30)
		return NULL;

	out = xcalloc((size_t)(n + (end - first)), sizeof(*out));
	for (i = 0; i < first; i++)
		m += half_line(&src[i], -(1 << 30), 1, &out[m]);
	for (side = 0; side < 2; side++)
		for (i = first; i < end; i++)
			m += half_line(&src[i], split_x, side, &out[m]);
	for (i = end; i < n; i++)
		m += half_line(&src[i], -(1 << 30), 1, &out[m]);
	*nout = m;
	return out;
}

/* ------------------------------------------------------------------------
 * Seams for the unit tests (ocr_internal.h)
 * ---------------------------------------------------------------------- */

static void rline_from_words(const struct ocr_words *ws, struct rline *l)
{
	int i, x0 = 1 << 30, y0 = 1 << 30, x1 = 0, y1 = 0;

	memset(l, 0, sizeof(*l));
	l->ws.n = ws->n;
	l->ws.w = xcalloc((size_t)(ws->n ? ws->n : 1), sizeof(*l->ws.w));
	for (i = 0; i < ws->n; i++) {
		l->ws.w[i] = ws->w[i];
		l->ws.w[i].text = xstrdup(ws->w[i].text);
		x0 = ws->w[i].x < x0 ? ws->w[i].x : x0;
		y0 = ws->w[i].y < y0 ? ws->w[i].y : y0;
		x1 = ws->w[i].x + ws->w[i].w > x1 ? ws->w[i].x + ws->w[i].w : x1;
		y1 = ws->w[i].y + ws->w[i].h > y1 ? ws->w[i].y + ws->w[i].h : y1;
	}
	if (ws->n) {
		l->tl.x = x0;
		l->tl.y = y0;
		l->tl.w = x1 - x0;
		l->tl.h = y1 - y0;
	}
	tokenize_line(l);
}

int extract_find_labels(const struct form_def *fd, const struct ocr_words *ws,
			struct label_hit *out, int max)
{
	struct occurrence occ[64];
	struct rline l;
	int n, i;

	rline_from_words(ws, &l);
	n = find_labels(fd, &l, 0, occ, max < 64 ? max : 64);
	for (i = 0; i < n; i++) {
		out[i].label = occ[i].label;
		out[i].first_word = occ[i].first_word;
		out[i].last_word = occ[i].last_word;
		out[i].score = occ[i].score;
		out[i].rest_offset =
		    occ[i].rest ? (int)(occ[i].rest - l.ws.w[occ[i].last_word].text) : -1;
	}
	rline_release(&l);
	return n;
}

int extract_unfold(const struct form_def *fd, const struct ocr_words *lines, int n,
		   struct ocr_words **out, int *nout)
{
	struct rline *src = xcalloc((size_t)(n ? n : 1), sizeof(*src)), *v;
	int i, nv = 0;

	for (i = 0; i < n; i++)
		rline_from_words(&lines[i], &src[i]);
	v = unfold_columns(fd, src, n, &nv);
	for (i = 0; i < n; i++)
		rline_release(&src[i]);
	free(src);
	*out = NULL;
	*nout = 0;
	if (!v)
		return 0;
	*out = xcalloc((size_t)(nv ? nv : 1), sizeof(**out));
	for (i = 0; i < nv; i++) {
		(*out)[i] = v[i].ws;
		v[i].ws.w = NULL;
		v[i].ws.n = 0;
		rline_release(&v[i]);
	}
	free(v);
	*nout = nv;
	return 1;
}

/*
 * extract_relation_sex: the sex of the parent in "Xác nhận đăng ký việc nhận cha,
 * con giữa:" (or "nhận mẹ"): the word after a "nhận" that is "cha" or "mẹ".
 */
enum vn_sex extract_relation_sex(const char *raw)
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

/* Build the record of a part from the label occurrences of its lines. */
static void build_record(struct reader *rd, const struct form_def *fd, struct rline *lines,
			 int nlines, struct ocr_record *r)
{
	struct occurrence occ[256];
	struct slot slots[64];
	int nocc = 0, nslots = 0, i, k, s, ctx;
	int date_words_slot = -1;
	struct person_facts pf[6];
	struct vn_date dates[6];
	struct vn_id ids[6];
	int id_field[6];

	memset(pf, 0, sizeof(pf));
	memset(dates, 0, sizeof(dates));
	memset(ids, 0, sizeof(ids));
	for (i = 0; i < 6; i++)
		id_field[i] = -1;
	r->doc_type = fd->doc_type;
	for (i = 0; i < nlines && nocc < 240; i++)
		nocc += find_labels(fd, &lines[i], i, occ + nocc, 240 - nocc);
	ctx = fd->start;
	for (k = 0; k < nocc; k++) {
		struct occurrence *o = &occ[k];
		struct rline *l = &lines[o->line];
		const struct form_label *lb;
		int end_word, w;

		lb = resolve(fd, o->label, ctx);
		if (!lb)
			continue;
		if (lb->flags & FL_SETS_CONTEXT)
			ctx = lb->context;
		if (!lb->field && lb->kind != FK_DATE_WORDS)
			continue;
		/* a field read once already (FIRST_ONLY, or a repeated label) */
		for (s = 0; s < nslots; s++)
			if (slots[s].lb->field && lb->field && lb->kind != FK_DATE_WORDS &&
			    slots[s].lb->kind != FK_DATE_WORDS &&
			    !strcmp(slots[s].lb->field, lb->field))
				break;
		if (s < nslots)
			continue;
		if (nslots >= (int)HT_ARRAY_LEN(slots))
			break;
		s = nslots++;
		slots[s].lb = lb;
		slots[s].used = 1;
		value_init(&slots[s].v);
		slots[s].v.line = o->line;
		if (lb->kind == FK_DATE_WORDS)
			date_words_slot = s;
		if (lb->kind == FK_RELATION) {
			/* the value is the label's own words ("nhận cha" or "nhận mẹ") */
			for (w = o->first_word; w <= o->last_word; w++)
				value_add_word(&slots[s].v, &l->ws.w[w], NULL);
			continue;
		}
		/* the value: after the label, up to the next label on the line */
		end_word = l->ws.n - 1;
		if (k + 1 < nocc && occ[k + 1].line == o->line)
			end_word = occ[k + 1].first_word - 1;
		if (o->rest)
			value_add_rest(&slots[s].v, &l->ws.w[o->last_word], o->rest);
		for (w = o->last_word + 1; w <= end_word; w++)
			value_add_word(&slots[s].v, &l->ws.w[w], NULL);
		/*
		 * The lines below, when they carry no label: the value itself
		 * when nothing followed the label, its continuation when it
		 * wraps (indented under the value, or from the margin for a
		 * sentence), close below the line before.
		 */
		if (k + 1 >= nocc || occ[k + 1].line != o->line) {
			int empty = !slots[s].v.nwords && !o->rest;
			int left = !(lb->flags & FL_WRAPS) ? (empty ? 1 : 0) : 3;
			/* "... ngày 16 tháng 05 năm" with the year wrapped to the margin */
			int year_cut = (lb->kind == FK_DATE || lb->kind == FK_DATETIME) && !empty &&
				       ends_with_nam(slots[s].v.raw.buf);

			if (year_cut)
				left = 1;
			const struct rline *prev = l;
			int nl;

			for (nl = o->line + 1; nl < nlines && left > 0; nl++, left--) {
				struct rline *m = &lines[nl];
				int has_label = 0, j, indented;

				for (j = k + 1; j < nocc && occ[j].line <= nl; j++)
					if (occ[j].line == nl)
						has_label = 1;
				indented = first_ink_x(m) >= l->tl.x + (l->tl.h * 3) / 2;
				if (has_label || !m->ws.n || m->consumed || m->tl.y < prev->tl.y ||
				    m->tl.y - (prev->tl.y + prev->tl.h) > prev->tl.h * 2 ||
				    !(indented || empty || lb->kind == FK_SENTENCE || year_cut))
					break;
				if (year_cut &&
				    (m->ws.n > 2 || !m->ws.w[0].text || m->ws.w[0].text[0] < '0' ||
				     m->ws.w[0].text[0] > '9'))
					break;
				for (w = 0; w < m->ws.n; w++)
					value_add_word(&slots[s].v, &m->ws.w[w], NULL);
				m->consumed = 1;
				prev = m;
				empty = 0;
				/* a sentence ends with its period */
				if (lb->kind == FK_SENTENCE && slots[s].v.raw.len &&
				    slots[s].v.raw.buf[slots[s].v.raw.len - 1] == '.')
					break;
			}
		}
	}

	/* finish each field */
	for (s = 0; s < nslots; s++) {
		struct slot *sl = &slots[s];
		const struct form_label *lb = sl->lb;
		struct ocr_field *f;
		char *raw;
		int who;

		if (lb->kind == FK_DATE_WORDS)
			continue;
		f = add_field(r, lb->field);
		if (!f)
			continue;
		raw = trim_punct(sl->v.raw.buf);
		f->raw = xstrdup(raw);
		f->conf = sl->v.nwords ? sl->v.minconf / 100.0 : 0.0;
		if (sl->v.x1 > sl->v.x0)
			prep_box_to_page(rd->pp, sl->v.x0, sl->v.y0, sl->v.x1 - sl->v.x0,
					 sl->v.y1 - sl->v.y0, f->bbox);
		who = person_of_field(lb->field);
		if (!*raw) {
			f->review = 1;
			f->why = "no value read";
			rec_warn(r, lb->field, "on the page but not read");
			free(raw);
			continue;
		}
		switch (lb->kind) {
		case FK_NAME:
			finish_name(f, raw, rd->o, &pf[who]);
			if ((!f->value || f->conf < 0.9) && sl->v.nwords) {
				/* small or faint print: read it again, larger */
				strbuf t = STRBUF_INIT;
				float c;

				if (reread(rd, &sl->v, TM_LINE, 1.5, &t, &c)) {
					struct ocr_field g = { 0 };

					g.name = f->name;
					g.conf = c / 100.0;
					finish_name(&g, t.buf, rd->o, &pf[who]);
					take_better(f, &g, g.conf);
				}
				strbuf_release(&t);
			}
			break;
		case FK_DATE:
		case FK_DATETIME: {
			const char *d = lb->kind == FK_DATETIME ? datetime_date(raw) : raw;
			struct vn_date got;

			finish_date(f, d, &got);
			if ((!f->value || f->conf < 0.9) && lb->kind == FK_DATE) {
				strbuf t = STRBUF_INIT;
				float c;

				if (reread(rd, &sl->v, TM_DIGITS, 1.0, &t, &c)) {
					struct ocr_field g = { 0 };
					struct vn_date d2;

					finish_date(&g, t.buf, &d2);
					if (take_better(f, &g, c / 100.0))
						got = d2;
				}
				strbuf_release(&t);
			}
			if (f->value && (!strcmp(lb->field, "dob") || strstr(lb->field, "_dob")))
				dates[who] = got;
			break;
		}
		case FK_ID: {
			struct vn_id id;
			strbuf t = STRBUF_INIT;
			float c;

			finish_id(f, raw, &id);
			if ((!f->value || f->conf < 0.95) &&
			    reread(rd, &sl->v, TM_DIGITS, 1.0, &t, &c)) {
				struct ocr_field g = { 0 };
				struct vn_id id2;

				finish_id(&g, t.buf, &id2);
				if (take_better(f, &g, c / 100.0))
					id = id2;
			}
			strbuf_release(&t);
			if (f->value) {
				ids[who] = id;
				id_field[who] = (int)(f - r->fields);
			}
			break;
		}
		case FK_RELATION: {
			enum vn_sex sx = extract_relation_sex(raw);

			if (sx == VN_SEX_UNKNOWN) {
				f->review = 1;
				f->why = "illegible";
			} else {
				set_value(f, vn_sex_code(sx));
				pf[who].sex = sx;
			}
			break;
		}
		case FK_SEX: {
			enum vn_sex sx = vn_sex_parse(raw, &f->warn);

			/* one word: "Nam" with a mark read after it in the blank */
			if (sx == VN_SEX_UNKNOWN && strchr(raw, ' ')) {
				char *first = xstrndup(raw, (size_t)(strchr(raw, ' ') - raw));

				sx = vn_sex_parse(first, &f->warn);
				free(first);
			}

			if (sx == VN_SEX_UNKNOWN) {
				f->review = 1;
				f->why = "illegible";
			} else {
				set_value(f, vn_sex_code(sx));
				pf[who].sex = sx;
			}
			break;
		}
		case FK_ETHNIC:
		case FK_NATION: {
			strbuf out = STRBUF_INIT;
			int ok = lb->kind == FK_ETHNIC ? vn_ethnicity_parse(raw, &out, &f->warn)
						       : vn_nationality_parse(raw, &out, &f->warn);

			if (ok < 0) {
				/* a misread entry of the list: the nearest, if clearly so */
				double second, near;

				strbuf_reset(&out);
				near =
				    vn_vocab_nearest(lb->kind == FK_ETHNIC ? VN_VOCAB_ETHNICITY
									   : VN_VOCAB_NATIONALITY,
						     raw, &out, &second);
				if (near >= 0.7 && near - second >= 0.2) {
					f->warn |= VN_W_SYLLABLE_REPAIRED;
					if (near < 0.85)
						flag(f, "nearest in the list");
				} else {
					strbuf_reset(&out);
					flag(f, "not in the list");
				}
			}
			set_value(f, out.len ? out.buf : NULL);
			strbuf_release(&out);
			break;
		}
		case FK_PLACE:
		case FK_OFFICE:
			finish_place(f, lb->kind == FK_OFFICE ? office_place(raw) : raw);
			break;
		case FK_TEXT:
			finish_text(f, raw);
			/*
			 * Free text has no check of its own: a second reading,
			 * larger, must agree (a dropped dot below, "quy" for
			 * "quỵ", is otherwise silent).
			 */
			if (sl->v.nwords) {
				strbuf t = STRBUF_INIT;
				float c;

				if (reread(rd, &sl->v, TM_LINE, 1.5, &t, &c)) {
					struct ocr_field g = { 0 };

					finish_text(&g, t.buf);
					take_better(f, &g, c / 100.0);
				}
				strbuf_release(&t);
			}
			/*
			 * A procedure of the law or a common cause of death but
			 * for one mark ("Đột quy", "thay đối") is a misreading
			 * both readings can share.
			 */
			if (f->value &&
			    ((!strcmp(lb->field, "death_cause") &&
			      vn_phrase_mark_differs(VN_PHRASES_DEATH_CAUSE, f->value, NULL)) ||
			     (!strcmp(lb->field, "procedure_name") &&
			      vn_phrase_mark_differs(VN_PHRASES_PROCEDURE, f->value, NULL))))
				flag(f, "a mark differs from a known phrase");
			break;
		case FK_NUMBER:
			finish_number(f, raw);
			break;
		case FK_SENTENCE: {
			/* "... tại <office>, số <n>, ngày <date>." */
			strbuf office = STRBUF_INIT, fold = STRBUF_INIT;
			const char *p = raw, *so = NULL, *ngay = datetime_date(raw);
			struct ocr_field *d = add_field(r, "registered_on");
			struct vn_date got;

			for (p = raw; *p; p++) {
				strbuf_reset(&fold);
				forms_fold(p, &fold);
				if (!strncmp(fold.buf, "so ", 3) && p > raw && p[-1] == ' ' &&
				    p[-2] == ',')
					so = p - 2;
			}
			strbuf_add(&office, raw, so ? (size_t)(so - raw) : (size_t)(ngay - raw));
			finish_place(f, office_place(office.buf));
			if (d) {
				d->conf = f->conf;
				memcpy(d->bbox, f->bbox, sizeof(d->bbox));
				d->raw = xstrdup(ngay);
				finish_date(d, ngay, &got);
				if (d->conf < REVIEW_CONF_OTHER && !d->review) {
					d->review = 1;
					d->why = "low confidence";
				}
			}
			strbuf_release(&office);
			strbuf_release(&fold);
			break;
		}
		default:
			break;
		}
		free(raw);
		if (!f->value && !f->review) {
			f->review = 1;
			f->why = "illegible";
		}
		if (!f->review &&
		    f->conf < (lb->kind == FK_NAME ? REVIEW_CONF_NAME : REVIEW_CONF_OTHER)) {
			f->review = 1;
			f->why = "low confidence";
		}
		if (!f->value)
			rec_warn(r, f->name, f->why ? f->why : "illegible");
	}

	/* a label every such form prints but that was not found */
	for (i = 0; fd->required && fd->required[i]; i++) {
		struct ocr_field *f;

		for (k = 0; k < r->nfields; k++)
			if (!strcmp(r->fields[k].name, fd->required[i]))
				break;
		if (k < r->nfields || !(f = add_field(r, fd->required[i])))
			continue;
		f->review = 1;
		f->why = "label not found";
		rec_warn(r, f->name, "its label was not found on the page");
	}

	/* the date in words against the date in digits */
	if (date_words_slot >= 0) {
		struct ocr_field *dob = NULL;
		struct vn_date words;
		herr e = { 0 };

		for (i = 0; i < r->nfields; i++)
			if (!strcmp(r->fields[i].name, "dob"))
				dob = &r->fields[i];
		if (dob && dob->value &&
		    vn_date_parse_words(slots[date_words_slot].v.raw.buf, &words, NULL, &e) == 0) {
			int agree = vn_date_agree(&dates[0], &words);

			if (agree == 0) {
				dob->review = 1;
				dob->why = "digits and words disagree";
				dob->warn |= VN_W_DATE_DISAGREE;
			} else if (agree == 1 && dates[0].day == words.day &&
				   dates[0].month == words.month) {
				/* two independent readings agree */
				if (dob->review && dob->why && !strcmp(dob->why, "low confidence"))
					dob->review = 0;
				dob->conf = dob->conf > 0.95 ? dob->conf : 0.95;
			}
		}
	}

	/* ID numbers against date of birth and sex; sex against middle names */
	for (i = 0; i < 6; i++) {
		struct ocr_field *f = id_field[i] >= 0 ? &r->fields[id_field[i]] : NULL;
		herr e = { 0 };

		if (f && f->value &&
		    !vn_id_consistent(&ids[i], dates[i].year ? &dates[i] : NULL, pf[i].sex, &e)) {
			struct vn_id fixed;

			if (vn_id_repair(&ids[i], ids[i].digits, &dates[i], pf[i].sex, &fixed)) {
				set_value(f, fixed.digits);
				f->why = "one digit repaired to fit the date of birth";
			} else {
				f->why = "does not fit the date of birth or sex";
			}
			f->review = 1;
			f->warn |= VN_W_ID_INCONSISTENT;
		}
	}
	for (i = 0; i < r->nfields; i++) {
		struct ocr_field *f = &r->fields[i];

		if (!strcmp(f->name, "sex") && f->value &&
		    ((pf[0].female_middle && pf[0].sex == VN_SEX_MALE) ||
		     (pf[0].male_middle && pf[0].sex == VN_SEX_FEMALE))) {
			f->review = 1;
			f->why = "the middle name says otherwise";
		}
	}
	/* a dossier's code carries the day it was received */
	{
		struct ocr_field *code = NULL, *recv = NULL;

		for (i = 0; i < r->nfields; i++) {
			if (!strcmp(r->fields[i].name, "dossier_code"))
				code = &r->fields[i];
			if (!strcmp(r->fields[i].name, "received_on"))
				recv = &r->fields[i];
		}
		if (code && recv && code->value && recv->value && strlen(recv->value) == 10) {
			const char *d = strchr(code->value, '-');
			char yymmdd[7];

			snprintf(yymmdd, sizeof(yymmdd), "%.2s%.2s%.2s", recv->value + 2,
				 recv->value + 5, recv->value + 8);
			if (d && strncmp(d + 1, yymmdd, 6)) {
				flag(code, "its date is not the day received");
				flag(recv, "not the date in the dossier's code");
			}
		}
	}
	/* registration after birth */
	{
		struct ocr_field *reg = NULL;

		for (i = 0; i < r->nfields; i++)
			if (!strcmp(r->fields[i].name, "registered_on"))
				reg = &r->fields[i];
		if (reg && reg->value && dates[0].year) {
			struct vn_date rd2;
			herr e = { 0 };

			if (vn_date_parse(reg->value, &rd2, NULL, &e) == 0 &&
			    (rd2.year < dates[0].year ||
			     (rd2.year == dates[0].year && rd2.month && dates[0].month &&
			      (rd2.month < dates[0].month ||
			       (rd2.month == dates[0].month && rd2.day &&
				rd2.day < dates[0].day))))) {
				reg->review = 1;
				reg->why = "registered before birth";
			}
		}
	}
	{
		double sum = 0;

		for (i = 0; i < r->nfields; i++)
			sum += r->fields[i].conf;
		r->mean_conf = r->nfields ? sum / r->nfields : 0;
	}
	for (s = 0; s < nslots; s++)
		strbuf_release(&slots[s].v.raw);
}

static void record_release(struct ocr_record *r)
{
	int k;

	for (k = 0; k < r->nfields; k++) {
		free(r->fields[k].value);
		free(r->fields[k].raw);
	}
	for (k = 0; k < r->nwarnings; k++)
		free(r->warnings[k]);
	memset(r, 0, sizeof(*r));
}

/* Lines too tall for text: a drawing, a signature, a stamp. */
static int too_tall(const struct reader *rd, const struct rline *l)
{
	return l->tl.h > rd->pp->dpi / 2;
}

static int cmp_by_height(const void *a, const void *b, void *arg)
{
	const struct rline *lines = arg;
	int ia = *(const int *)a, ib = *(const int *)b;

	if (lines[ia].tl.h != lines[ib].tl.h)
		return lines[ib].tl.h - lines[ia].tl.h;
	return ia - ib;
}

/*
 * A line of two blocks far apart: the header of a form ("ỦY BAN NHÂN DÂN
 * ... CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), never its title, which is one
 * block in the middle.  Blank columns over half an inch wide inside it.
 */
static int two_blocks(const struct reader *rd, const struct rline *l)
{
	BOX *b = boxCreate(l->tl.x, l->tl.y, l->tl.w, l->tl.h);
	PIX *strip = b ? pixClipRectangle(rd->pp->bin, b, NULL) : NULL;
	NUMA *cols = strip ? pixCountPixelsByColumn(strip) : NULL;
	int n = cols ? numaGetCount(cols) : 0, run = 0, longest = 0;

	for (int i = 0; i < n; i++) {
		l_int32 v = 0;

		numaGetIValue(cols, i, &v);
		run = v ? 0 : run + 1;
		longest = run > longest ? run : longest;
	}
	numaDestroy(&cols);
	pixDestroy(&strip);
	boxDestroy(&b);
	return longest > rd->pp->dpi / 2;
}

/*
 * The title among lines [a, z) of the upper part: the tallest lines first
 * (titles are printed larger than the header above them), leaving out the
 * header's lines of two blocks, then, failing that, the upper lines in
 * order.  Returns its line (or -1) and the form.
 */
static int find_title(struct reader *rd, const struct page_part *part, int a, int z,
		      const struct form_def **fd)
{
	int cand[16], nc = 0, i, k, title = -1;
	double s, best = 0;
	const struct form_def *d;

	*fd = NULL;
	for (i = a; i < z && nc < 16; i++) {
		if (rd->lines[i].tl.y > part->y + part->h * 45 / 100 && i - a > 12)
			break;
		if (!too_tall(rd, &rd->lines[i]) && !two_blocks(rd, &rd->lines[i]))
			cand[nc++] = i;
	}
	qsort_r(cand, (size_t)nc, sizeof(int), cmp_by_height, rd->lines);
	/* the tallest few */
	for (k = 0; k < nc && k < 3 && title < 0; k++) {
		struct rline *l = &rd->lines[cand[k]];

		read_line(rd, l);
		d = match_title(l, &s);
		if (s >= 0.72) {
			*fd = d;
			title = cand[k];
		}
		best = s > best ? s : best;
	}
	/* the upper lines in order */
	for (i = a; title < 0 && i < z; i++) {
		struct rline *l = &rd->lines[i];

		if (l->tl.y > part->y + part->h * 45 / 100 && i - a > 12)
			break;
		if (too_tall(rd, l))
			continue;
		if (!l->ws.n)
			read_line(rd, l);
		d = match_title(l, &s);
		if (s >= 0.72) {
			*fd = d;
			title = i;
		}
		if (tess_expired(rd->eng))
			break;
	}
	return title;
}

/*
 * The form's lines below its title, down to its last field (FL_LAST) and
 * the lines its value wraps onto; the signatures and notes below are not
 * read.
 */
static void read_form(struct reader *rd, const struct form_def *fd, int from, int z)
{
	struct occurrence occ[16];
	int i, last = -1, extra = 0, wraps = 0;

	for (i = from; i < z; i++) {
		struct rline *l = &rd->lines[i];
		int n, k;

		if (too_tall(rd, l) || l->ws.n)
			continue;
		read_line(rd, l);
		if (tess_expired(rd->eng))
			break;
		n = find_labels(fd, l, i, occ, 16);
		if (last >= 0) {
			/* after the last field: its value's continuation only */
			if (n || ++extra > wraps)
				break;
			continue;
		}
		for (k = 0; k < n; k++) {
			const struct form_label *lb = &fd->labels[occ[k].label];

			if (lb->flags & FL_LAST) {
				int empty = occ[k].last_word == l->ws.n - 1 && !occ[k].rest;

				last = i;
				wraps = (lb->flags & FL_WRAPS) ? 3 : empty ? 1 : 0;
				/* a date whose year wrapped: "... tháng 05 năm" */
				if (!wraps && (lb->kind == FK_DATE || lb->kind == FK_DATETIME) &&
				    ends_with_nam(l->ws.w[l->ws.n - 1].text))
					wraps = 1;
			}
		}
		if (last >= 0 && !wraps)
			break;
	}
}

/* Build the record of a form from lines [from, z) (two columns unfolded). */
static void build_part(struct reader *rd, const struct form_def *fd, int from, int z,
		       struct ocr_record *r)
{
	int nv = 0, i;
	struct rline *v = unfold_columns(fd, &rd->lines[from], z - from, &nv);

	if (v) {
		build_record(rd, fd, v, nv, r);
		for (i = 0; i < nv; i++)
			rline_release(&v[i]);
		free(v);
	} else {
		build_record(rd, fd, &rd->lines[from], z - from, r);
	}
}

static int record_misses_labels(const struct ocr_record *r)
{
	for (int k = 0; k < r->nfields; k++)
		if (r->fields[k].why && !strcmp(r->fields[k].why, "label not found"))
			return 1;
	return 0;
}

/*
 * Classify and read one part (a whole page, or a half of a spread): the
 * title, then the form's lines down to its last field.  Only when a field
 * every such form prints is not found are the other lines read too (a
 * number above the title, a layout of its own).
 */
static void read_part(struct reader *rd, const struct page_part *part)
{
	struct text_line *tl = NULL;
	int n = 0, i, title_line = -1, a, z;
	const struct form_def *fd = NULL;
	BOX *clip = boxCreate(part->x, part->y, part->w, part->h);
	struct ocr_page *page = rd->page;
	struct ocr_record *r = NULL;

	lines_find(rd->pp->bin, clip, rd->pp->dpi, &tl, &n);
	boxDestroy(&clip);
	rd->lines = xrealloc(rd->lines, (size_t)(rd->nlines + n + 1) * sizeof(*rd->lines));
	for (i = 0; i < n; i++) {
		struct rline *l = &rd->lines[rd->nlines + i];

		memset(l, 0, sizeof(*l));
		l->tl = tl[i];
	}
	free(tl);
	a = rd->nlines;
	z = rd->nlines + n;
	rd->nlines += n;

	title_line = find_title(rd, part, a, z, &fd);
	if (fd && rd->o->read_all) {
		for (i = a; i < z && !tess_expired(rd->eng); i++)
			if (!too_tall(rd, &rd->lines[i]) && !rd->lines[i].ws.n)
				read_line(rd, &rd->lines[i]);
	} else if (fd) {
		read_form(rd, fd, title_line + 1, z);
	} else {
		/* no title: every line (up to 60), and the labels decide */
		int d, bestn = 0;

		for (i = a; i < z && i - a <= 60 && !tess_expired(rd->eng); i++)
			if (!too_tall(rd, &rd->lines[i]) && !rd->lines[i].ws.n)
				read_line(rd, &rd->lines[i]);
		for (d = 0; d < forms_count(); d++) {
			struct occurrence occ[64];
			int cnt = 0;

			for (i = a; i < z; i++)
				cnt += find_labels(forms_def(d), &rd->lines[i], i, occ, 64);
			if (cnt > bestn) {
				bestn = cnt;
				if (cnt >= 6)
					fd = forms_def(d);
			}
		}
		if (fd)
			page_warn(page, "the title was not read; classified by its labels",
				  fd->doc_type);
	}
	if (fd && page->nrec < 2) {
		int from = title_line >= 0 ? title_line + 1 : a;

		r = &page->rec[page->nrec++];
		memset(r, 0, sizeof(*r));
		r->index = part->index;
		build_part(rd, fd, from, z, r);
		if (record_misses_labels(r) && !tess_expired(rd->eng)) {
			int more = 0;

			for (i = a; i < z; i++)
				if (!too_tall(rd, &rd->lines[i]) && !rd->lines[i].ws.n) {
					read_line(rd, &rd->lines[i]);
					more = 1;
				}
			if (more) {
				/* the whole part: a number printed above the title counts */
				record_release(r);
				r->index = part->index;
				build_part(rd, fd, a, z, r);
			}
		}
	}
	/* the text that was read, in reading order */
	for (i = a; i < z; i++) {
		struct rline *l = &rd->lines[i];

		for (int w = 0; w < l->ws.n; w++) {
			if (w)
				strbuf_addch(&page->text, ' ');
			strbuf_addstr(&page->text, l->ws.w[w].text);
		}
		if (l->ws.n)
			strbuf_addch(&page->text, '\n');
	}
}

/* HOTICH_OCR_DEBUG=DIR: the preprocessed page with its lines, as PNG. */
static void debug_dump(const char *dir, const struct ocr_file *f, int page_no,
		       const struct prep *pp, const struct reader *rd)
{
	PIX *c = pixConvertTo32(pp->grey);
	const char *base = strrchr(f->path, '/');
	char *path;
	int i;

	if (!c)
		return;
	for (i = 0; i < rd->nlines; i++) {
		BOX *b = boxCreate(rd->lines[i].tl.x, rd->lines[i].tl.y, rd->lines[i].tl.w,
				   rd->lines[i].tl.h);

		pixRenderBoxArb(c, b, 2, rd->lines[i].ws.n ? 255 : 128, 0,
				rd->lines[i].ws.n ? 0 : 255);
		boxDestroy(&b);
	}
	path = xasprintf("%s/%s-p%d.png", dir, base ? base + 1 : f->path, page_no);
	pixWrite(path, c, IFF_PNG);
	free(path);
	pixDestroy(&c);
}

/*
 * An A3 spread: landscape, two pages side by side; *split the gutter.  The
 * gutter is where the most columns around are empty (the margins of both
 * pages), near the middle; the fold's shadow, a thin dark line, does not
 * count against it.
 */
static int find_spread(PIX *bin, int dpi, int *split)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin), x, best = -1, bestv = -1;
	int half = dpi / 4, *empty;
	NUMA *cols;

	if (w < h * 115 / 100)
		return 0;
	cols = pixCountPixelsByColumn(bin);
	if (!cols)
		return 0;
	/* empty[x]: columns up to x with (almost) no ink */
	empty = xcalloc((size_t)w + 1, sizeof(int));
	for (x = 0; x < w; x++) {
		l_int32 v = 0;

		numaGetIValue(cols, x, &v);
		empty[x + 1] = empty[x] + (v <= h / 200);
	}
	for (x = w * 35 / 100; x < w * 65 / 100; x++) {
		int a = x - half < 0 ? 0 : x - half, b = x + half > w ? w : x + half;
		int v = empty[b] - empty[a];

		/* ties: the one nearer the middle */
		if (v > bestv || (v == bestv && abs(x - w / 2) < abs(best - w / 2))) {
			bestv = v;
			best = x;
		}
	}
	free(empty);
	numaDestroy(&cols);
	*split = best;
	/* most of the window around it is empty */
	return best > 0 && bestv >= half;
}

/*
 * Read a preprocessed page into `out` (records, text, warnings); the mean
 * confidence of its words in *wconf.
 */
static void read_prepared(struct ocr_engine *eng, struct ocr_file *f, int page_no, struct prep *pp,
			  struct ocr_page *out, double *wconf)
{
	struct reader rd;
	int split = 0, i, nw = 0;
	double sw = 0;

	out->rotation = pp->rotation;
	out->skew_deg = pp->skew;
	snprintf(out->steps, sizeof(out->steps), "%s", pp->steps);
	memset(&rd, 0, sizeof(rd));
	rd.eng = eng;
	rd.pp = pp;
	rd.page = out;
	rd.o = f->o;
	tess_set_page(eng, pp->grey, pp->dpi);
	if (find_spread(pp->bin, pp->dpi, &split)) {
		struct page_part left = { 0, 0, split, pixGetHeight(pp->bin), 0 };
		struct page_part right = { split, 0, pixGetWidth(pp->bin) - split,
					   pixGetHeight(pp->bin), 1 };

		read_part(&rd, &left);
		read_part(&rd, &right);
		if (out->nrec)
			page_warn(out, "an A3 spread: split in two", NULL);
	} else {
		struct page_part whole = { 0, 0, pixGetWidth(pp->bin), pixGetHeight(pp->bin), 0 };

		read_part(&rd, &whole);
	}
	if (getenv("HOTICH_OCR_DEBUG"))
		debug_dump(getenv("HOTICH_OCR_DEBUG"), f, page_no, pp, &rd);
	tess_set_page(eng, NULL, 0);
	for (i = 0; i < rd.nlines; i++) {
		for (int k = 0; k < rd.lines[i].ws.n; k++) {
			sw += rd.lines[i].ws.w[k].conf;
			nw++;
		}
		rline_release(&rd.lines[i]);
	}
	free(rd.lines);
	*wconf = nw ? sw / nw : 0;
}

static void page_init(struct ocr_page *out, int page_no, PIX *pix, int dpi)
{
	memset(out, 0, sizeof(*out));
	strbuf_init(&out->text, 0);
	out->page_no = page_no;
	out->width = pixGetWidth(pix);
	out->height = pixGetHeight(pix);
	out->dpi = dpi;
}

int ocr_read_page(struct ocr_engine *eng, struct ocr_file *f, int page_no, struct ocr_page *out,
		  herr *e)
{
	struct prep pp;
	PIX *pix;
	int dpi = 0, i;
	double t0 = now_s(), t1, wconf = 0;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->text, 0);
	out->page_no = page_no;
	pix = ingest_page(f, page_no, &dpi, e);
	if (!pix)
		return -1;
	page_init(out, page_no, pix, dpi);
	t1 = now_s();
	out->ms_decode = (long)((t1 - t0) * 1000);
	if (prep_page(pix, dpi, -1, f->o->prep_off, &pp, e) < 0) {
		pixDestroy(&pix);
		return herr_prefix(e, "%s: page %d", f->path, page_no);
	}
	out->ms_prep = (long)((now_s() - t1) * 1000);
	tess_deadline(eng);
	read_prepared(eng, f, page_no, &pp, out, &wconf);
	/*
	 * Nothing recognized on a page the orientation detector left as it
	 * was: it may be upside down after all (few words to judge by, or a
	 * faint scan).  Read it turned, and keep whichever reads better.
	 */
	if (!out->nrec && pp.rotation == 0 && wconf < 75 && !tess_expired(eng)) {
		struct prep p2;
		struct ocr_page o2;
		herr e2 = { 0 };
		double wc2 = 0;

		if (prep_page(pix, dpi, 180, f->o->prep_off, &p2, &e2) == 0) {
			page_init(&o2, page_no, pix, dpi);
			o2.ms_decode = out->ms_decode;
			o2.ms_prep = out->ms_prep;
			read_prepared(eng, f, page_no, &p2, &o2, &wc2);
			if (o2.nrec || wc2 > wconf + 15) {
				ocr_page_release(out);
				*out = o2;
				prep_release(&pp);
				pp = p2;
				page_warn(out, "upside down: turned after a first reading", NULL);
			} else {
				ocr_page_release(&o2);
				prep_release(&p2);
			}
		}
	}
	pixDestroy(&pix);
	if (tess_expired(eng))
		page_warn(out, "the page took too long: read only in part", NULL);
	{
		double sum = 0;
		int nf = 0;

		for (i = 0; i < out->nrec; i++)
			for (int k = 0; k < out->rec[i].nfields; k++) {
				sum += out->rec[i].fields[k].conf;
				nf++;
			}
		out->mean_conf = nf ? sum / nf : 0;
	}
	strbuf_rtrim(&out->text);
	prep_release(&pp);
	out->ms = (long)((now_s() - t0) * 1000);
	{
		double spent;

		tess_spent(eng, &spent, &out->tess_calls);
		out->ms_tess = (long)(spent * 1000);
	}
	return 0;
}

void ocr_page_release(struct ocr_page *p)
{
	int i, k;

	if (!p)
		return;
	for (i = 0; i < p->nrec; i++) {
		for (k = 0; k < p->rec[i].nfields; k++) {
			free(p->rec[i].fields[k].value);
			free(p->rec[i].fields[k].raw);
		}
		for (k = 0; k < p->rec[i].nwarnings; k++)
			free(p->rec[i].warnings[k]);
	}
	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	strbuf_release(&p->text);
	memset(p, 0, sizeof(*p));
}

const struct ocr_field *ocr_field_get(const struct ocr_record *r, const char *name)
{
	int i;

	for (i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].name, name))
			return &r->fields[i];
	return NULL;
}
