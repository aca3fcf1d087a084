/*
 * extract.c — from the lines of a form to its record: the printed labels
 * found in each line (tolerant of misreading), each label's value taken up
 * to the next label or the end of the line and onto the lines it wraps
 * onto, persons side by side laid out one after the other, each value
 * finished by its kind (fields.c) and read again where it is unsure, and
 * the checks that bind fields together (digits and words of a date, an ID
 * number against the date of birth and sex, a female middle name on a
 * man, a dossier's code against its date).
 *
 * The review flag is what keeps a wrong value from passing silently: it is
 * raised on low confidence and on every failed check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

/* Confidence below which a field goes to review (tuned on the tuning set). */
#define REVIEW_CONF_NAME  0.80
#define REVIEW_CONF_OTHER 0.70

/* finish_id_into's flags: a paper's zone (no reading as digits); a field of the record */
#define ID_PAPER 1
#define ID_KEEP	 2

static void rec_warn(struct ocr_record *r, const char *field, const char *what)
{
	if (r->nwarnings < OCR_MAX_WARNINGS)
		r->warnings[r->nwarnings++] = xasprintf("%s: %s", field, what);
}

/* ------------------------------------------------------------------------
 * Labels in a line
 * ---------------------------------------------------------------------- */

void extract_tokenize(struct rline *l)
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

void extract_line_release(struct rline *l)
{
	int i;

	ocr_words_release(&l->ws);
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

/* A short label's colon, or the dot or semicolon it is often read as ("Số.57"). */
static int word_has_colon(const struct ocr_word *w)
{
	return strpbrk(w->text, ":.;") != NULL;
}

static int is_filler(const char *t);

/* Does label key `a` begin with all of label key `b` (a word or more after it)? */
static int key_extends(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !strncmp(a, b, n) && a[n] == ' ';
}

/*
 * Is `cand` (the line's text read as label `longer`) that longer label,
 * nearly whole, and not the shorter one `shorter` with a speck after it?
 * Its words beyond the shorter label must be read nearly as printed
 * ("nguoi m" for "nguoi me", not "co" for "con").
 */
static int extension_read(const char *cand, const char *longer, const char *shorter)
{
	size_t n = strlen(shorter);

	if (strncmp(cand, shorter, n) || cand[n] != ' ')
		return 0;
	return forms_similarity(cand + n + 1, longer + n + 1) >= 0.8;
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
			need = len >= 10 ? 0.78 : len >= 6 ? 0.85 : 1.0;
			/* the edit distance is at least the difference of the lengths */
			if (1.0 - (double)(cand->len > len ? cand->len - len : len - cand->len) /
				      (double)(cand->len > len ? cand->len : len) <
			    need - 1e-9)
				continue;
			s = forms_similarity_least(cand->buf, key, need);
			if (s < need)
				continue;
			if (len < 6 && !(lb->flags & FL_ALONE) &&
			    !word_has_colon(&l->ws.w[l->tok[i + mm - 1].word]))
				continue;
			/*
			 * The better: a label that extends the best so far and is
			 * read nearly whole ("Họ, chữ đệm, tên người m:" is the
			 * mother's, not "Họ, chữ đệm, tên:"), else the higher
			 * score, else the longer.
			 */
			if (best >= 0 && key_extends(fd->labels[best].key, key) && *best_s >= 0.9) {
				strbuf bc = STRBUF_INIT;
				int keep;

				join_tokens(l, i, *best_m, &bc);
				keep = extension_read(bc.buf, fd->labels[best].key, key);
				strbuf_release(&bc);
				if (keep)
					continue;
			}
			if ((best >= 0 && key_extends(key, fd->labels[best].key) && s >= 0.9 &&
			     extension_read(cand->buf, key, fd->labels[best].key)) ||
			    s > *best_s + 1e-9 || (fabs(s - *best_s) < 1e-9 && len > best_len)) {
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
 * A label after other words of its line stands apart from them: it ends
 * with its colon, or a gap wider than a space or two comes before it.
 * Words of a value that only look like a label ("huyện Lục Nam, tỉnh" read
 * as "Năm sinh") do neither.
 */
static int label_stands_apart(const struct rline *l, int i, int m)
{
	const struct ocr_word *first = &l->ws.w[l->tok[i].word], *prev = NULL;

	if (word_has_colon(&l->ws.w[l->tok[i + m - 1].word]))
		return 1;
	for (int w = l->tok[i].word - 1; w >= 0 && !prev; w--)
		if (!is_filler(l->ws.w[w].text))
			prev = &l->ws.w[w];
	return !prev || first->x - (prev->x + prev->w) >= l->tl.h * 6 / 5;
}

/*
 * The label occurrences of a line, left to right.  A label of ten letters
 * or more may be misread (similarity >= 0.78); a short one must be read
 * exactly and end with a colon.  A match that takes a word more than the
 * label has yields to a better one starting a word later (the value's last
 * word before the next label is not part of it).
 */
int extract_labels(const struct form_def *fd, struct rline *l, int line, struct occurrence *occ,
		   int max)
{
	strbuf cand = STRBUF_INIT;
	int i = 0, n = 0;

	while (i < l->ntok && n < max) {
		int best_m, m2;
		double best_s, s2;
		int best = best_label_at(fd, l, i, &best_m, &best_s, &cand);

		if (best >= 0 && !label_stands_apart(l, i, best_m))
			best = -1;
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
			/* after its colon, or the dot or semicolon read for it ("Số.57") */
			const char *w = l->ws.w[occ[n].last_word].text, *c = strrchr(w, ':');

			if (!c)
				c = strpbrk(w, ".;");
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
const struct form_label *extract_resolve(const struct form_def *fd, int label, int ctx)
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
const struct form_def *extract_title(const struct rline *l, double *score)
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
	int more_lines; /* lines it continues on (its zone is then no line to read again) */
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
	v->more_lines = 0;
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
	strbuf f = STRBUF_INIT;
	int filler = 1;

	for (const char *p = t; *p && filler; p++)
		if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
			filler = 0;
	if (!filler)
		return 0;
	/* other letters (Vietnamese ones) fold to a-z; signs such as ˆ ¬ « to nothing */
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			vn_fold(t, -1, &f);
			for (size_t i = 0; i < f.len && filler; i++)
				if ((f.buf[i] >= '0' && f.buf[i] <= '9') ||
				    (f.buf[i] >= 'a' && f.buf[i] <= 'z'))
					filler = 0;
			break;
		}
	strbuf_release(&f);
	return filler;
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
 * The record
 * ---------------------------------------------------------------------- */

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
	ocr_words_release(&ws);
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
	/* the left column ends where the right one begins */
	out->right = side == 0 ? split_x : l->right;
	extract_tokenize(out);
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
struct rline *extract_unfold_columns(const struct form_def *fd, const struct rline *src, int n,
				     int *nout)
{
	struct occurrence occ[32];
	struct rline *out;
	int i, k, first = -1, end = n, split_x = 0, m = 0, side;

	for (i = 0; i < n && first < 0; i++) {
		int c = extract_labels(fd, (struct rline *)&src[i], i, occ, 32), left = -1;

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
		int c = extract_labels(fd, (struct rline *)&src[i], i, occ, 32);

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
		int c = extract_labels(fd, (struct rline *)&src[i], i, occ, 32);
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
	for (side = 0; side < 2; side++) {
		int from = m, right = 0;

		for (i = first; i < end; i++)
			m += half_line(&src[i], split_x, side, &out[m]);
		/* the column's right edge: where its longest lines end */
		for (i = from; i < m; i++)
			if (out[i].tl.x + out[i].tl.w > right)
				right = out[i].tl.x + out[i].tl.w;
		for (i = from; i < m; i++)
			out[i].right = right;
	}
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
		l->right = x1;
	}
	extract_tokenize(l);
}

int extract_find_labels(const struct form_def *fd, const struct ocr_words *ws,
			struct label_hit *out, int max)
{
	struct occurrence occ[64];
	struct rline l;
	int n, i;

	rline_from_words(ws, &l);
	n = extract_labels(fd, &l, 0, occ, max < 64 ? max : 64);
	for (i = 0; i < n; i++) {
		out[i].label = occ[i].label;
		out[i].first_word = occ[i].first_word;
		out[i].last_word = occ[i].last_word;
		out[i].score = occ[i].score;
		out[i].rest_offset =
		    occ[i].rest ? (int)(occ[i].rest - l.ws.w[occ[i].last_word].text) : -1;
	}
	extract_line_release(&l);
	return n;
}

int extract_unfold(const struct form_def *fd, const struct ocr_words *lines, int n,
		   struct ocr_words **out, int *nout)
{
	struct rline *src = xcalloc((size_t)(n ? n : 1), sizeof(*src)), *v;
	int i, nv = 0;

	for (i = 0; i < n; i++)
		rline_from_words(&lines[i], &src[i]);
	v = extract_unfold_columns(fd, src, n, &nv);
	for (i = 0; i < n; i++)
		extract_line_release(&src[i]);
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
		extract_line_release(&v[i]);
	}
	free(v);
	*nout = nv;
	return 1;
}

/* ------------------------------------------------------------------------
 * Building a record, step by step
 * ---------------------------------------------------------------------- */

#define MAX_OCC	  240
#define MAX_SLOTS 64
#define PERSONS	  6 /* the subject (or a receipt's applicant), husband, wife, parent, child */

/* A record being built from the lines of a form. */
struct build {
	struct reader *rd;
	const struct form_def *fd;
	struct rline *lines;
	int nlines;
	struct occurrence occ[MAX_OCC];
	int nocc;
	struct slot slots[MAX_SLOTS];
	int nslots;
	int date_words_slot; /* the date of birth in words, or -1 */
	/* what each person's fields tell the checks (person_of_field) */
	struct person_facts pf[PERSONS];
	struct vn_date dates[PERSONS];
	struct vn_id ids[PERSONS];
	int id_field[PERSONS];
	struct ocr_record *r;
};

/*
 * The slot of a field that has one already, or -1.  An identity paper is a
 * reading of its own: it may give the ID number a line of its own gave too.
 */
static int slot_of_field(const struct build *b, const struct form_label *lb)
{
	for (int s = 0; s < b->nslots; s++) {
		const struct form_label *o = b->slots[s].lb;

		if (o->kind != FK_DATE_WORDS &&
		    (o->kind == FK_IDPAPER) == (lb->kind == FK_IDPAPER) &&
		    !strcmp(o->field, lb->field))
			return s;
	}
	return -1;
}

/*
 * Could a word be (part of) a value of this kind, rather than grain read as
 * a letter or two: two letters or digits at least (letters, for the kinds
 * whose values are words), read with some confidence.
 */
static int substantial(const struct ocr_word *w, enum field_kind kind)
{
	int alnum = 0, letters = 0;

	for (const char *p = w->text; *p; p++) {
		if ((*p >= '0' && *p <= '9')) {
			alnum++;
		} else if ((unsigned char)*p >= 0xC0 ||
			   ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) {
			alnum++;
			letters++;
		}
	}
	if (kind != FK_NUMBER && kind != FK_DATE && kind != FK_DATETIME && kind != FK_ID &&
	    !letters)
		return 0;
	return alnum >= 2 && w->conf >= 60;
}

/*
 * The words after label occurrence k on its line, up to the next label.  A
 * value is set with ordinary spaces: a gap wider than a few letters ends it
 * once it has a word of substance (what is read in the blank of a widely
 * spaced line is not the value's), and drops the specks before it when it
 * has none yet.
 */
static void take_value_on_line(struct build *b, int k, struct slot *sl)
{
	const struct occurrence *o = &b->occ[k];
	struct rline *l = &b->lines[o->line];
	int end_word = l->ws.n - 1, w, last_x1 = -1, real = 0;

	if (k + 1 < b->nocc && b->occ[k + 1].line == o->line)
		end_word = b->occ[k + 1].first_word - 1;
	if (o->rest)
		value_add_rest(&sl->v, &l->ws.w[o->last_word], o->rest);
	for (w = o->last_word + 1; w <= end_word; w++) {
		const struct ocr_word *wd = &l->ws.w[w];

		if (is_filler(wd->text))
			continue;
		if (last_x1 >= 0 && wd->x - last_x1 > l->tl.h * 5 / 2) {
			if (real || o->rest)
				break;
			/* specks before the value */
			strbuf_release(&sl->v.raw);
			value_init(&sl->v);
			sl->v.line = o->line;
		}
		value_add_word(&sl->v, wd, NULL);
		real |= substantial(wd, sl->lb->kind);
		last_x1 = wd->x + wd->w;
	}
}

/* Does line `nl` carry a label found after occurrence k? */
static int line_has_label(const struct build *b, int k, int nl)
{
	for (int j = k + 1; j < b->nocc && b->occ[j].line <= nl; j++)
		if (b->occ[j].line == nl)
			return 1;
	return 0;
}

/*
 * The lines below the last label of a line, when they carry no label: the
 * value itself when nothing followed the label, its continuation when it
 * wraps (indented under the value, or from the margin for a sentence),
 * close below the line before.
 */
/* The right edge of a line's last word with a letter or digit. */
static int last_ink_x1(const struct rline *l)
{
	for (int i = l->ws.n - 1; i >= 0; i--)
		if (!is_filler(l->ws.w[i].text))
			return l->ws.w[i].x + l->ws.w[i].w;
	return l->tl.x + l->tl.w;
}

/*
 * The right edge of each column, from the words read: lines that page.c
 * or the unfolding gave the same provisional edge form a column, and its
 * edge is where its longest line's last sure word ends (grain at a line's
 * end, read as a letter or two with little confidence, does not move it).
 */
static void settle_right_edges(struct rline *lines, int n)
{
	char *done = xcalloc((size_t)(n ? n : 1), 1);
	int i, j;

	for (i = 0; i < n; i++) {
		int group = lines[i].right, edge = 0;

		if (done[i])
			continue;
		for (j = i; j < n; j++) {
			const struct rline *l = &lines[j];

			if (l->right != group || done[j])
				continue;
			for (int w = l->ws.n - 1; w >= 0; w--)
				if (!is_filler(l->ws.w[w].text) && l->ws.w[w].conf >= 75) {
					if (l->ws.w[w].x + l->ws.w[w].w > edge)
						edge = l->ws.w[w].x + l->ws.w[w].w;
					break;
				}
		}
		for (j = i; j < n; j++)
			if (lines[j].right == group && !done[j]) {
				done[j] = 1;
				lines[j].right = edge ? edge : group;
			}
	}
	free(done);
}

/*
 * Does line `m` continue line `l` as a word processor wraps a long value:
 * would the first word of `m` not have fitted at the end of `l`, before
 * its column's right edge?  Then `m` continues it even from the margin.
 */
static int wraps_onto(const struct rline *l, const struct rline *m)
{
	int i, fw = 0;

	for (i = 0; i < m->ws.n && !fw; i++)
		if (!is_filler(m->ws.w[i].text))
			fw = m->ws.w[i].w;
	return l->right > 0 && fw && last_ink_x1(l) + fw + l->tl.h / 3 >= l->right;
}

/*
 * The words a name wraps onto the next line with: its first words that are
 * name words (letters), each after the first read surely and a space after
 * the one before; at most three.  Specks and marks after them are not the
 * name's.  (An unsure first word makes the name unsure: it is reviewed.)
 */
static int name_words_leading(const struct rline *m)
{
	int i, n = 0;

	for (i = 0; i < m->ws.n && n < 3; i++) {
		const struct ocr_word *wd = &m->ws.w[i];

		if (i && (wd->conf < 60 || wd->x - (wd[-1].x + wd[-1].w) > m->tl.h * 3 / 2))
			break;
		const char *t = m->ws.w[i].text;
		size_t len = strlen(t), letters = 0;

		/* punctuation around it: "Sĩ”", "(Cảnh)" */
		while (len && strchr(".,:;\"'()”“-", t[len - 1]))
			len--;
		while (len && strchr("\"'(“", *t)) {
			t++;
			len--;
		}
		for (size_t k = 0; k < len; k++)
			letters += (unsigned char)t[k] >= 0x80 ||
				   ((t[k] | 0x20) >= 'a' && (t[k] | 0x20) <= 'z') || t[k] == '\'';
		if (!len || letters != len)
			break;
		n++;
	}
	return n;
}

static void take_continuation(struct build *b, int k, struct slot *sl)
{
	const struct occurrence *o = &b->occ[k];
	const struct form_label *lb = sl->lb;
	const struct rline *l = &b->lines[o->line], *prev = l;
	int empty = !sl->v.nwords && !o->rest;
	int left = !(lb->flags & FL_WRAPS) ? (empty ? 1 : 0) : 3;
	/* "... ngày 16 tháng 05 năm" with the year wrapped to the margin */
	int year_cut = (lb->kind == FK_DATE || lb->kind == FK_DATETIME) && !empty &&
		       fields_ends_with_nam(sl->v.raw.buf);
	int nl, w;

	if (year_cut)
		left = 1;
	for (nl = o->line + 1; nl < b->nlines && left > 0; nl++, left--) {
		struct rline *m = &b->lines[nl];
		int indented = first_ink_x(m) >= l->tl.x + (l->tl.h * 3) / 2;
		/* from the margin after a full line; a name wraps by a word or two */
		int wrapped = (lb->flags & FL_WRAPS) && !empty && wraps_onto(prev, m) &&
			      (lb->kind != FK_NAME || name_words_leading(m) > 0);
		int take = m->ws.n;

		if (line_has_label(b, k, nl) || !m->ws.n || m->consumed || m->tl.y < prev->tl.y ||
		    m->tl.y - (prev->tl.y + prev->tl.h) > prev->tl.h * 2 ||
		    !(indented || empty || lb->kind == FK_SENTENCE || year_cut || wrapped))
			break;
		if (year_cut && (m->ws.n > 2 || !m->ws.w[0].text || m->ws.w[0].text[0] < '0' ||
				 m->ws.w[0].text[0] > '9'))
			break;
		if (wrapped && !indented && lb->kind == FK_NAME)
			take = name_words_leading(m);
		for (w = 0; w < take; w++)
			value_add_word(&sl->v, &m->ws.w[w], NULL);
		if (!empty)
			sl->v.more_lines++;
		m->consumed = 1;
		prev = m;
		empty = 0;
		/* a sentence ends with its period */
		if (lb->kind == FK_SENTENCE && sl->v.raw.len &&
		    sl->v.raw.buf[sl->v.raw.len - 1] == '.')
			break;
	}
}

/*
 * Each label occurrence, in reading order, in the block of the person it
 * is in: a slot with its value, unless its field has one already (a
 * first-only label, or a label repeated).
 */
/* Something of a record was taken from (x, y, w, h): reader.used. */
static void used_box(struct reader *rd, int x, int y, int w, int h)
{
	rd->used = xrealloc(rd->used, (size_t)(rd->nused + 1) * sizeof(*rd->used));
	rd->used[rd->nused][0] = x;
	rd->used[rd->nused][1] = y;
	rd->used[rd->nused][2] = w;
	rd->used[rd->nused][3] = h;
	rd->nused++;
}

int extract_quiet_block(const struct form_def *fd, int ctx)
{
	if (ctx == CTX_ANY || ctx == fd->start || ctx == CTX_OFFICE)
		return 0;
	for (int k = 0; k < fd->nlabels; k++) {
		const struct form_label *lb = &fd->labels[k];

		if (lb->context == ctx && lb->field && !(lb->flags & FL_SETS_CONTEXT))
			return 0;
	}
	return 1;
}

int extract_line_context(const struct form_def *fd, const struct occurrence *occ, int n, int ctx)
{
	for (int k = 0; k < n; k++) {
		const struct form_label *lb = extract_resolve(fd, occ[k].label, ctx);

		if (lb && (lb->flags & FL_SETS_CONTEXT))
			ctx = lb->context;
	}
	return ctx;
}

static void collect_values(struct build *b)
{
	int ctx = b->fd->start, k, w;

	for (k = 0; k < b->nocc; k++) {
		const struct occurrence *o = &b->occ[k];
		const struct form_label *lb = extract_resolve(b->fd, o->label, ctx);
		struct slot *sl;

		if (!lb)
			continue;
		if (lb->flags & FL_SETS_CONTEXT)
			ctx = lb->context;
		if (!lb->field)
			continue;
		if (lb->kind != FK_DATE_WORDS && slot_of_field(b, lb) >= 0)
			continue;
		if (b->nslots >= MAX_SLOTS)
			break;
		sl = &b->slots[b->nslots];
		used_box(b->rd, b->lines[o->line].tl.x, b->lines[o->line].tl.y,
			 b->lines[o->line].tl.w, b->lines[o->line].tl.h);
		sl->lb = lb;
		sl->used = 1;
		value_init(&sl->v);
		sl->v.line = o->line;
		if (lb->kind == FK_DATE_WORDS)
			b->date_words_slot = b->nslots;
		b->nslots++;
		if (lb->kind == FK_RELATION) {
			/* the value is the label's own words ("nhận cha" or "nhận mẹ") */
			for (w = o->first_word; w <= o->last_word; w++)
				value_add_word(&sl->v, &b->lines[o->line].ws.w[w], NULL);
			continue;
		}
		take_value_on_line(b, k, sl);
		/* a line not read yet (page.c) has no value to continue */
		if ((k + 1 >= b->nocc || b->occ[k + 1].line != o->line) &&
		    !b->lines[o->line].deferred)
			take_continuation(b, k, sl);
		if (sl->v.x1 > sl->v.x0)
			used_box(b->rd, sl->v.x0, sl->v.y0, sl->v.x1 - sl->v.x0,
				 sl->v.y1 - sl->v.y0);
	}
}

/* A value's box in pixels of the page as read (as found, without a preprocessed page). */
static void value_box(const struct build *b, const struct slot *sl, int out[4])
{
	if (sl->v.x1 <= sl->v.x0)
		return;
	if (b->rd->pp) {
		prep_box_to_page(b->rd->pp, sl->v.x0, sl->v.y0, sl->v.x1 - sl->v.x0,
				 sl->v.y1 - sl->v.y0, out);
	} else {
		out[0] = sl->v.x0;
		out[1] = sl->v.y0;
		out[2] = sl->v.x1 - sl->v.x0;
		out[3] = sl->v.y1 - sl->v.y0;
	}
}

/* A second reading of a slot's zone, larger or as digits, finished by `finish`. */
static int second_reading(struct build *b, const struct slot *sl, enum tess_mode mode, double scale,
			  struct ocr_field *g, strbuf *text)
{
	float c;

	memset(g, 0, sizeof(*g));
	g->name = sl->lb->field;
	if (!sl->v.nwords || sl->v.more_lines || !b->rd->eng ||
	    !reread(b->rd, &sl->v, mode, scale, text, &c))
		return 0;
	g->conf = c / 100.0;
	return 1;
}

static void finish_name_slot(struct build *b, const struct slot *sl, struct ocr_field *f,
			     const char *raw, struct person_facts *pf)
{
	struct ocr_field g;
	strbuf t = STRBUF_INIT;

	fields_name(f, raw, b->rd->o, pf);
	/* small or faint print: read it again, larger */
	if ((!f->value || f->conf < 0.9) && second_reading(b, sl, TM_LINE, 1.5, &g, &t)) {
		fields_name(&g, t.buf, b->rd->o, pf);
		fields_take_better(f, &g, g.conf);
	}
	strbuf_release(&t);
}

static void finish_date_slot(struct build *b, const struct slot *sl, struct ocr_field *f,
			     const char *raw, int who)
{
	const struct form_label *lb = sl->lb;
	struct vn_date got, d2;
	struct ocr_field g;
	strbuf t = STRBUF_INIT;

	fields_date(f, lb->kind == FK_DATETIME ? fields_datetime_date(raw) : raw, &got);
	if ((!f->value || f->conf < 0.9) && lb->kind == FK_DATE &&
	    second_reading(b, sl, TM_DIGITS, 1.0, &g, &t)) {
		fields_date(&g, t.buf, &d2);
		if (fields_take_better(f, &g, g.conf))
			got = d2;
	}
	strbuf_release(&t);
	if (f->value && (!strcmp(lb->field, "dob") || strstr(lb->field, "_dob")))
		b->dates[who] = got;
}

/*
 * An ID number read into `f`, read again as digits when unsure (not for a
 * paper, whose zone holds words too); what the checks need is kept.
 */
static void finish_id_into(struct build *b, const struct slot *sl, struct ocr_field *f,
			   const char *raw, int who, int flags)
{
	struct vn_id id, id2;
	struct ocr_field g;
	strbuf t = STRBUF_INIT;

	fields_id(f, raw, &id);
	if (!(flags & ID_PAPER) && (!f->value || f->conf < 0.95) &&
	    second_reading(b, sl, TM_DIGITS, 1.0, &g, &t)) {
		fields_id(&g, t.buf, &id2);
		if (fields_take_better(f, &g, g.conf))
			id = id2;
	}
	strbuf_release(&t);
	/* a field of the record (not a second reading) is checked against the date of birth */
	if (f->value && (flags & ID_KEEP)) {
		b->ids[who] = id;
		b->id_field[who] = (int)(f - b->r->fields);
	}
}

static void finish_sex_slot(struct ocr_field *f, const char *raw, struct person_facts *pf,
			    int relation)
{
	enum vn_sex sx = relation ? fields_relation_sex(raw) : vn_sex_parse(raw, &f->warn);

	/* one word: "Nam" with a mark read after it in the blank */
	if (!relation && sx == VN_SEX_UNKNOWN && strchr(raw, ' ')) {
		char *first = xstrndup(raw, (size_t)(strchr(raw, ' ') - raw));

		sx = vn_sex_parse(first, &f->warn);
		free(first);
	}
	if (sx == VN_SEX_UNKNOWN) {
		f->review = 1;
		f->why = "illegible";
		return;
	}
	fields_set(f, vn_sex_code(sx));
	pf->sex = sx;
}

/* An ethnicity or a nationality: an entry of the list, or its nearest. */
static void finish_list_slot(struct ocr_field *f, const char *raw, enum field_kind kind)
{
	strbuf out = STRBUF_INIT;
	int ok = kind == FK_ETHNIC ? vn_ethnicity_parse(raw, &out, &f->warn)
				   : vn_nationality_parse(raw, &out, &f->warn);

	if (ok < 0) {
		/* a misread entry of the list: the nearest, if clearly so */
		double second, near;

		strbuf_reset(&out);
		near =
		    vn_vocab_nearest(kind == FK_ETHNIC ? VN_VOCAB_ETHNICITY : VN_VOCAB_NATIONALITY,
				     raw, &out, &second);
		if (near >= 0.7 && near - second >= 0.2) {
			f->warn |= VN_W_SYLLABLE_REPAIRED;
			if (near < 0.85)
				fields_flag(f, "nearest in the list");
		} else {
			strbuf_reset(&out);
			fields_flag(f, "not in the list");
		}
	}
	fields_set(f, out.len ? out.buf : NULL);
	strbuf_release(&out);
}

static void finish_text_slot(struct build *b, const struct slot *sl, struct ocr_field *f,
			     const char *raw)
{
	const char *field = sl->lb->field;
	struct ocr_field g;
	strbuf t = STRBUF_INIT;

	fields_text(f, raw);
	/*
	 * Free text has no check of its own: a second reading, larger, must
	 * agree (a dropped dot below, "quy" for "quỵ", is otherwise silent).
	 */
	if (second_reading(b, sl, TM_LINE, 1.5, &g, &t)) {
		/* trimmed as the first ("Suy tim." is "Suy tim") */
		char *t2 = fields_trim_punct(t.buf);

		fields_text(&g, t2);
		free(t2);
		fields_take_better(f, &g, g.conf);
	}
	strbuf_release(&t);
	/*
	 * A procedure of the law or a common cause of death but for one mark
	 * ("Đột quy", "thay đối") is a misreading both readings can share (a
	 * hook read as an acute on a photo: "phối" for "phổi"): the phrase is
	 * given as it is written, and the field goes to review all the same.
	 */
	if (f->value && (!strcmp(field, "death_cause") || !strcmp(field, "procedure_name"))) {
		const char *known = NULL;

		if (vn_phrase_mark_differs(!strcmp(field, "death_cause") ? VN_PHRASES_DEATH_CAUSE
									 : VN_PHRASES_PROCEDURE,
					   f->value, &known)) {
			if (known)
				fields_set(f, known);
			fields_flag(f, "a mark differs from a known phrase");
		}
	}
}

/* "... tại <office>, số <n>, ngày <date>.": the office and the registration date. */
static void finish_sentence_slot(struct build *b, struct ocr_field *f, const char *raw)
{
	strbuf office = STRBUF_INIT, fold = STRBUF_INIT;
	const char *p, *so = NULL, *ngay = fields_datetime_date(raw);
	struct ocr_field *d;
	struct vn_date got;

	for (p = raw; *p; p++) {
		strbuf_reset(&fold);
		forms_fold(p, &fold);
		if (!strncmp(fold.buf, "so ", 3) && p > raw && p[-1] == ' ' && p[-2] == ',')
			so = p - 2;
	}
	strbuf_add(&office, raw, so ? (size_t)(so - raw) : (size_t)(ngay - raw));
	fields_place(f, fields_office_place(office.buf));
	/* add_field may move no field: the record's array is fixed */
	d = add_field(b->r, "registered_on");
	if (d) {
		d->conf = f->conf;
		memcpy(d->bbox, f->bbox, sizeof(d->bbox));
		d->raw = xstrdup(ngay);
		fields_date(d, ngay, &got);
		if (d->conf < REVIEW_CONF_OTHER && !d->review) {
			d->review = 1;
			d->why = "low confidence";
		}
	}
	strbuf_release(&office);
	strbuf_release(&fold);
}

/*
 * The field an identity paper gives: the person's ID number for a citizen
 * identity card (or a 12-digit old card), else their ..._cmnd_number or
 * ..._passport_number.  For a paper of no known kind, the field its
 * number's length suggests.
 */
static const char *paper_field(const char *id_field, enum paper_kind kind, const char *num)
{
	const char *suffix = "cmnd_number";
	size_t n = strlen(num), pre = strlen(id_field) - strlen("id_number");
	char name[64];

	if (kind == PAPER_PERSONAL_ID || (kind == PAPER_UNKNOWN && n >= 11))
		return id_field;
	if (kind == PAPER_PASSPORT)
		suffix = "passport_number";
	snprintf(name, sizeof(name), "%.*s%s", (int)pre, id_field, suffix);
	return forms_field(name);
}

/* An old identity card's 9 digits, or a passport's letter and 7 digits. */
static void finish_paper_number(struct ocr_field *f, const char *num, enum paper_kind kind)
{
	struct vn_id id;
	unsigned w = 0;
	herr e = { 0 };

	if (kind == PAPER_PASSPORT) {
		size_t n = strlen(num), i;
		int ok = n == 8 && num[0] >= 'A' && num[0] <= 'Z';

		for (i = 1; ok && i < n; i++)
			ok = num[i] >= '0' && num[i] <= '9';
		fields_set(f, n ? num : NULL);
		if (n && !ok)
			fields_flag(f, "not a passport number");
		return;
	}
	if (vn_id_parse(num, &id, &w, &e) < 0 || id.kind != VN_ID_CMND) {
		fields_set(f, NULL);
		fields_flag(f, "not an identity card number of 9 digits");
		return;
	}
	fields_set(f, id.digits);
	f->warn |= w;
	if (w & VN_W_ID_REPAIRED)
		fields_flag(f, "letters read as digits");
}

/* Two readings of one ID number (its own line and a paper): they must agree. */
static void reconcile_id(struct ocr_field *f, const struct ocr_field *g)
{
	if (!g->value || (f->value && !strcmp(f->value, g->value))) {
		if (g->value && g->conf > f->conf)
			f->conf = g->conf;
		return;
	}
	if (!f->value) {
		fields_set(f, g->value);
		f->conf = g->conf;
		f->review = g->review;
		f->why = g->why;
		return;
	}
	fields_flag(f, "the ID line and the identity paper disagree");
}

static void finish_id_into(struct build *b, const struct slot *sl, struct ocr_field *f,
			   const char *raw, int who, int flags);

/*
 * "Giấy tờ tùy thân: <paper> số <number>[, cấp ngày ... tại ...]": the
 * number goes to the field of its kind; a personal ID read twice (on its
 * own line too) must agree.
 */
static void finish_paper_slot(struct build *b, const struct slot *sl)
{
	strbuf num = STRBUF_INIT;
	char *raw = fields_trim_punct(sl->v.raw.buf);
	enum paper_kind kind = fields_paper(raw, &num);
	const char *name = paper_field(sl->lb->field, kind, num.buf);
	int who = person_of_field(sl->lb->field);
	struct ocr_field *f;

	if (!*raw || !name) {
		free(raw);
		strbuf_release(&num);
		return;
	}
	f = (struct ocr_field *)ocr_field_get(b->r, name);
	if (f && kind != PAPER_CMND && kind != PAPER_PASSPORT) {
		/* the ID number has a line of its own: this is a second reading */
		struct ocr_field g;

		memset(&g, 0, sizeof(g));
		g.name = name;
		finish_id_into(b, sl, &g, num.buf, who, ID_PAPER);
		reconcile_id(f, &g);
		free(g.value);
		free(g.raw);
	} else if ((f = add_field(b->r, name)) != NULL) {
		f->raw = xstrdup(raw);
		f->conf = sl->v.nwords ? sl->v.minconf / 100.0 : 0.0;
		value_box(b, sl, f->bbox);
		if (name == sl->lb->field)
			finish_id_into(b, sl, f, num.buf, who, ID_PAPER | ID_KEEP);
		else
			finish_paper_number(f, num.buf, kind);
		if (!f->value && !f->review)
			fields_flag(f, "illegible");
		if (!f->review && f->conf < REVIEW_CONF_OTHER)
			fields_flag(f, "low confidence");
		if (!f->value)
			rec_warn(b->r, f->name, f->why ? f->why : "illegible");
	}
	free(raw);
	strbuf_release(&num);
}

/*
 * A slot becomes its field: the value as read (punctuation trimmed), its
 * confidence (the least sure word) and box, then the finish of its kind,
 * then review when illegible or unsure.
 */
static void finish_slot(struct build *b, const struct slot *sl)
{
	const struct form_label *lb = sl->lb;
	struct ocr_field *f;
	char *raw;
	int who;

	if (lb->kind == FK_IDPAPER) {
		finish_paper_slot(b, sl);
		return;
	}
	if (lb->kind == FK_ID && (f = (struct ocr_field *)ocr_field_get(b->r, lb->field))) {
		/* a paper gave the number first: this line is a second reading */
		struct ocr_field g;

		raw = fields_trim_punct(sl->v.raw.buf);
		memset(&g, 0, sizeof(g));
		g.name = lb->field;
		g.conf = sl->v.nwords ? sl->v.minconf / 100.0 : 0.0;
		finish_id_into(b, sl, &g, raw, person_of_field(lb->field), 0);
		reconcile_id(f, &g);
		free(g.value);
		free(raw);
		return;
	}
	if (lb->kind == FK_DATE_WORDS || !(f = add_field(b->r, lb->field)))
		return;
	raw = fields_trim_punct(sl->v.raw.buf);
	f->raw = xstrdup(raw);
	f->conf = sl->v.nwords ? sl->v.minconf / 100.0 : 0.0;
	value_box(b, sl, f->bbox);
	who = person_of_field(lb->field);
	if (!*raw) {
		f->review = 1;
		f->why = "no value read";
		rec_warn(b->r, lb->field, "on the page but not read");
		free(raw);
		return;
	}
	switch (lb->kind) {
	case FK_NAME:
		finish_name_slot(b, sl, f, raw, &b->pf[who]);
		break;
	case FK_DATE:
	case FK_DATETIME:
		finish_date_slot(b, sl, f, raw, who);
		break;
	case FK_ID:
		finish_id_into(b, sl, f, raw, who, ID_KEEP);
		break;
	case FK_RELATION:
	case FK_SEX:
		finish_sex_slot(f, raw, &b->pf[who], lb->kind == FK_RELATION);
		break;
	case FK_ETHNIC:
	case FK_NATION:
		finish_list_slot(f, raw, lb->kind);
		break;
	case FK_PLACE:
	case FK_OFFICE:
		fields_place(f, lb->kind == FK_OFFICE ? fields_office_place(raw) : raw);
		break;
	case FK_TEXT:
		finish_text_slot(b, sl, f, raw);
		break;
	case FK_NUMBER:
		fields_number(f, raw);
		break;
	case FK_SENTENCE:
		finish_sentence_slot(b, f, raw);
		break;
	default:
		break;
	}
	free(raw);
	if (!f->value && !f->review) {
		f->review = 1;
		f->why = "illegible";
	}
	if (!f->review && f->conf < (lb->kind == FK_NAME ? REVIEW_CONF_NAME : REVIEW_CONF_OTHER)) {
		f->review = 1;
		f->why = "low confidence";
	}
	if (!f->value)
		rec_warn(b->r, f->name, f->why ? f->why : "illegible");
}

/* A label every version of the form prints but that was not found: illegible, not absent. */
static void mark_missing_required(struct build *b)
{
	struct ocr_record *r = b->r;

	for (int i = 0; b->fd->required[i]; i++) {
		struct ocr_field *f;

		if (ocr_field_get(r, b->fd->required[i]) || !(f = add_field(r, b->fd->required[i])))
			continue;
		f->review = 1;
		f->why = "label not found";
		rec_warn(r, f->name, "its label was not found on the page");
	}
}

/* The date of birth in words against the date in digits. */
static void check_date_words(struct build *b)
{
	struct ocr_field *dob = (struct ocr_field *)ocr_field_get(b->r, "dob");
	struct vn_date words;
	herr e = { 0 };
	int agree;

	if (b->date_words_slot < 0 || !dob || !dob->value ||
	    vn_date_parse_words(b->slots[b->date_words_slot].v.raw.buf, &words, NULL, &e) < 0)
		return;
	agree = vn_date_agree(&b->dates[0], &words);
	if (agree == 0) {
		dob->review = 1;
		dob->why = "digits and words disagree";
		dob->warn |= VN_W_DATE_DISAGREE;
	} else if (agree == 1 && b->dates[0].day == words.day && b->dates[0].month == words.month) {
		/* two independent readings agree */
		if (dob->review && dob->why && !strcmp(dob->why, "low confidence"))
			dob->review = 0;
		dob->conf = dob->conf > 0.95 ? dob->conf : 0.95;
	}
}

/* Each person's ID number against their date of birth and sex. */
static void check_ids(struct build *b)
{
	for (int i = 0; i < PERSONS; i++) {
		struct ocr_field *f = b->id_field[i] >= 0 ? &b->r->fields[b->id_field[i]] : NULL;
		herr e = { 0 };
		struct vn_id fixed;

		if (!f || !f->value ||
		    vn_id_consistent(&b->ids[i], b->dates[i].year ? &b->dates[i] : NULL,
				     b->pf[i].sex, &e))
			continue;
		if (vn_id_repair(&b->ids[i], b->ids[i].digits, &b->dates[i], b->pf[i].sex,
				 &fixed)) {
			fields_set(f, fixed.digits);
			f->why = "one digit repaired to fit the date of birth";
		} else {
			f->why = "does not fit the date of birth or sex";
		}
		f->review = 1;
		f->warn |= VN_W_ID_INCONSISTENT;
	}
}

/* The subject's sex against a middle name of the other sex ("Thị" on a man). */
static void check_sex_against_middle(struct build *b)
{
	struct ocr_field *f = (struct ocr_field *)ocr_field_get(b->r, "sex");
	const struct person_facts *pf = &b->pf[0];

	if (f && f->value &&
	    ((pf->female_middle && pf->sex == VN_SEX_MALE) ||
	     (pf->male_middle && pf->sex == VN_SEX_FEMALE))) {
		f->review = 1;
		f->why = "the middle name says otherwise";
	}
}

/* A dossier's code carries the day it was received (yymmdd). */
static void check_dossier_date(struct build *b)
{
	struct ocr_field *code = (struct ocr_field *)ocr_field_get(b->r, "dossier_code");
	struct ocr_field *recv = (struct ocr_field *)ocr_field_get(b->r, "received_on");
	const char *d;
	char yymmdd[7];

	if (!code || !recv || !code->value || !recv->value || strlen(recv->value) != 10)
		return;
	d = strchr(code->value, '-');
	snprintf(yymmdd, sizeof(yymmdd), "%.2s%.2s%.2s", recv->value + 2, recv->value + 5,
		 recv->value + 8);
	if (d && strncmp(d + 1, yymmdd, 6)) {
		fields_flag(code, "its date is not the day received");
		fields_flag(recv, "not the date in the dossier's code");
	}
}

/* A registration before the birth it registers is a misreading. */
static void check_registered_after_birth(struct build *b)
{
	struct ocr_field *reg = (struct ocr_field *)ocr_field_get(b->r, "registered_on");
	const struct vn_date *born = &b->dates[0];
	struct vn_date rd2;
	herr e = { 0 };

	if (!reg || !reg->value || !born->year || vn_date_parse(reg->value, &rd2, NULL, &e) < 0)
		return;
	if (rd2.year < born->year ||
	    (rd2.year == born->year && rd2.month && born->month &&
	     (rd2.month < born->month ||
	      (rd2.month == born->month && rd2.day && rd2.day < born->day)))) {
		reg->review = 1;
		reg->why = "registered before birth";
	}
}

void extract_record(struct reader *rd, const struct form_def *fd, struct rline *lines, int nlines,
		    struct ocr_record *r)
{
	struct build *b = xcalloc(1, sizeof(*b));
	double sum = 0;
	int i;

	b->rd = rd;
	b->fd = fd;
	b->lines = lines;
	b->nlines = nlines;
	b->r = r;
	rd->nused = 0;
	b->date_words_slot = -1;
	for (i = 0; i < PERSONS; i++)
		b->id_field[i] = -1;
	r->doc_type = fd->doc_type;
	settle_right_edges(lines, nlines);
	for (i = 0; i < nlines && b->nocc < MAX_OCC; i++)
		b->nocc += extract_labels(fd, &lines[i], i, b->occ + b->nocc, MAX_OCC - b->nocc);
	collect_values(b);
	for (i = 0; i < b->nslots; i++)
		finish_slot(b, &b->slots[i]);
	mark_missing_required(b);
	check_date_words(b);
	check_ids(b);
	check_sex_against_middle(b);
	check_dossier_date(b);
	check_registered_after_birth(b);
	for (i = 0; i < r->nfields; i++)
		sum += r->fields[i].conf;
	r->mean_conf = r->nfields ? sum / r->nfields : 0;
	for (i = 0; i < b->nslots; i++)
		strbuf_release(&b->slots[i].v.raw);
	free(b);
}

void extract_record_release(struct ocr_record *r)
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

/* ------------------------------------------------------------------------
 * Seam for the unit tests: a record from lines of word boxes
 * ---------------------------------------------------------------------- */

int extract_record_from_words(const struct form_def *fd, const struct ocr_words *lines, int n,
			      const struct ocr_options *o, struct ocr_record *r)
{
	struct rline *src = xcalloc((size_t)(n ? n : 1), sizeof(*src)), *v;
	struct reader rd;
	int i, nv = 0, right = 0;

	memset(&rd, 0, sizeof(rd));
	rd.o = o;
	for (i = 0; i < n; i++) {
		rline_from_words(&lines[i], &src[i]);
		right = src[i].right > right ? src[i].right : right;
	}
	/* one column of text, its right edge where its longest lines end */
	for (i = 0; i < n; i++)
		src[i].right = right;
	memset(r, 0, sizeof(*r));
	v = extract_unfold_columns(fd, src, n, &nv);
	if (v) {
		extract_record(&rd, fd, v, nv, r);
		for (i = 0; i < nv; i++)
			extract_line_release(&v[i]);
		free(v);
	} else {
		extract_record(&rd, fd, src, n, r);
	}
	for (i = 0; i < n; i++)
		extract_line_release(&src[i]);
	free(src);
	free(rd.used);
	return r->nfields;
}
