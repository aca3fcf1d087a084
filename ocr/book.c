/*
 * book.c — the layout memory of a register book (issue 27).
 *
 * A book is hundreds of pages of one form printed by one printer in one
 * font: once a page has been read in full, the images of its title and of
 * the labels that open its lines are kept with the words Tesseract read in
 * them.  On a later page, a line whose image matches a kept title is not
 * recognized again (its words are the kept ones, moved to where the line
 * is), and a line that opens with the image of a kept label is recognized
 * only from the label's last word on (that word is read again, so that
 * the value keeps the context it has in a full line; the words before it
 * are the kept ones).  The extraction then sees the words it would have
 * seen, and finds the labels in them as always.
 *
 * Verification is by image, line by line, against each line's own ink
 * (no page-wide registration: a page shifted or at another scale lines up
 * or it does not), with a tolerance of one pixel: the template's ink
 * within one pixel of the line's and the line's within one pixel of the
 * template's, the leftover on both sides at most BOOK_MAX_MISS of the ink,
 * and blank paper after a label where the label ends (so that a label is
 * never taken for the start of a longer one, "Họ, chữ đệm, tên:" for "Họ,
 * chữ đệm, tên người mẹ:").  A line that matches nothing is read in full
 * and may teach a template; a page whose title matches nothing is read in
 * full.  A page of another form, of another typesetting, turned or of
 * another size therefore reads as without the memory, only slower.
 *
 * HOTICH_OCR_BOOK=0 switches it off (ocr_options.book).
 */
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

#define BOOK_TITLES    8
#define BOOK_LABELS    96
#define BOOK_SHIFT     1    /* pixels tried each way around the anchors */
#define BOOK_PAD       3    /* around a template's ink when compared */
#define BOOK_MAX_MISS  0.05 /* ink unmatched on both sides, of both inks */
#define BOOK_MAX_LOCAL 0.3  /* ... and in any window as wide as a letter is high */
#define BOOK_MIN_CONF  80   /* a value word read less surely: the full line */
#define BOOK_IDLE      2    /* lines of a label that gave nothing: not read again */

struct tmpl {
	PIX *ink;	     /* 1 bpp, cut to its ink */
	PIX *dil;	     /* the same dilated by one pixel, BOOK_PAD around */
	int w, h, count;     /* of the ink */
	struct ocr_words ws; /* the words, relative to the ink's top left */
	int read_from;	     /* a label: where the line is read again from (ink x) */
	int words;	     /* a label: that of the date in words (FK_DATE_WORDS) */
	long serial;	     /* a label: its number in the book (rline.tmpl) */
	int idle, used;	     /* pages on which its lines gave a record nothing, something */
	int label;	     /* a label: its wording (occurrence.label), or -1 */
	const struct form_def *fd;
};

struct book {
	struct tmpl title[BOOK_TITLES];
	int ntitle, title_next;
	struct tmpl label[BOOK_LABELS];
	int nlabel, label_next;
	int next;    /* the label after the one last matched */
	long serial; /* of the last label kept */
	int dpi;     /* of the pages the templates come from */
	int trace;   /* HOTICH_OCR_BOOK_TRACE: every comparison on stderr */
	long hits, tries, unsure;
	l_int32 *tab8;
};

struct book *book_new(void)
{
	struct book *b = xcalloc(1, sizeof(*b));
	const char *t = getenv("HOTICH_OCR_BOOK_TRACE");

	b->trace = t && *t && strcmp(t, "0") ? (int)strtol(t, NULL, 10) : 0;
	b->tab8 = makePixelSumTab8();
	return b;
}

static void tmpl_release(struct tmpl *t)
{
	pixDestroy(&t->ink);
	pixDestroy(&t->dil);
	ocr_words_release(&t->ws);
	memset(t, 0, sizeof(*t));
}

static void book_forget(struct book *b)
{
	for (int i = 0; i < b->ntitle; i++)
		tmpl_release(&b->title[i]);
	for (int i = 0; i < b->nlabel; i++)
		tmpl_release(&b->label[i]);
	b->ntitle = b->nlabel = b->title_next = b->label_next = b->next = 0;
}

void book_free(struct book *b)
{
	if (!b)
		return;
	if (b->trace)
		fprintf(stderr,
			"book: %ld of %ld lines read from a template, %ld read again in full\n",
			b->hits, b->tries, b->unsure);
	book_forget(b);
	free(b->tab8);
	free(b);
}

/* The templates are for pages of one resolution: another forgets them. */
static void book_page_dpi(struct book *b, int dpi)
{
	if (b->dpi != dpi) {
		book_forget(b);
		b->dpi = dpi;
	}
}

static int count_ink(struct book *b, PIX *p)
{
	l_int32 n = 0;

	if (p)
		pixCountPixels(p, &n, b->tab8);
	return n;
}

/* The ink box of the region (x, y, w, h) of `bin`, in page pixels; 0 when blank. */
static int ink_box(PIX *bin, int x, int y, int w, int h, int out[4])
{
	BOX *b = boxCreate(x, y, w, h), *fb = NULL;
	PIX *c = b ? pixClipRectangle(bin, b, NULL) : NULL;
	int ok = 0;

	if (c && pixClipToForeground(c, NULL, &fb) == 0 && fb) {
		l_int32 bx, by, bw, bh;

		boxGetGeometry(fb, &bx, &by, &bw, &bh);
		out[0] = x + bx;
		out[1] = y + by;
		out[2] = bw;
		out[3] = bh;
		ok = bw > 0 && bh > 0;
	}
	boxDestroy(&fb);
	boxDestroy(&b);
	pixDestroy(&c);
	return ok;
}

/* Ink pixels of the region (x, y, w, h) of `bin`. */
static int ink_in(struct book *b, PIX *bin, int x, int y, int w, int h)
{
	BOX *bx = boxCreate(x, y, w, h);
	PIX *c = bx ? pixClipRectangle(bin, bx, NULL) : NULL;
	int n = count_ink(b, c);

	pixDestroy(&c);
	boxDestroy(&bx);
	return n;
}

/* A template of the ink box `ib` of `bin`, with the words of `ws` from word a to z. */
static int tmpl_make(struct book *b, PIX *bin, const int ib[4], const struct ocr_words *ws, int a,
		     int z, struct tmpl *t)
{
	BOX *bx = boxCreate(ib[0], ib[1], ib[2], ib[3]);
	PIX *pad;

	memset(t, 0, sizeof(*t));
	t->label = -1;
	t->ink = bx ? pixClipRectangle(bin, bx, NULL) : NULL;
	boxDestroy(&bx);
	if (!t->ink)
		return -1;
	t->w = pixGetWidth(t->ink);
	t->h = pixGetHeight(t->ink);
	t->count = count_ink(b, t->ink);
	pad = pixAddBorder(t->ink, BOOK_PAD, 0);
	t->dil = pad ? pixDilateBrick(NULL, pad, 3, 3) : NULL;
	pixDestroy(&pad);
	if (!t->dil || t->count < 20) {
		tmpl_release(t);
		return -1;
	}
	for (int i = a; i <= z && i < ws->n; i++) {
		const struct ocr_word *w = &ws->w[i];

		t->ws.w = xrealloc(t->ws.w, (size_t)(t->ws.n + 1) * sizeof(*t->ws.w));
		t->ws.w[t->ws.n] = *w;
		t->ws.w[t->ws.n].text = xstrdup(w->text);
		t->ws.w[t->ws.n].x -= ib[0];
		t->ws.w[t->ws.n].y -= ib[1];
		t->ws.n++;
	}
	return 0;
}

/*
 * The worst window of the misses: over windows as wide as the template is
 * high (a letter or two), the unmatched ink of both sides over the ink of
 * both.  A label that differs from the template by one word ("năm sinh:"
 * against "năm đăng") differs little over its whole length and much there.
 */
static double worst_window(PIX *miss, PIX *both, int h)
{
	NUMA *m = pixCountPixelsByColumn(miss), *a = pixCountPixelsByColumn(both);
	int n = m && a ? numaGetCount(m) : 0, win = h > 4 ? h : 4;
	double worst = n ? 0 : 1, sm = 0, sa = 0;
	double *vm = xcalloc((size_t)n + 1, sizeof(double)),
	       *va = xcalloc((size_t)n + 1, sizeof(double));

	for (int i = 0; i < n; i++) {
		l_float32 x = 0, y = 0;

		numaGetFValue(m, i, &x);
		numaGetFValue(a, i, &y);
		vm[i] = x;
		va[i] = y;
	}
	for (int i = 0; i < n; i++) {
		sm += vm[i];
		sa += va[i];
		if (i >= win) {
			sm -= vm[i - win];
			sa -= va[i - win];
		}
		/* a window with ink enough to judge (not the blank between words) */
		if (sa >= win && sm / sa > worst)
			worst = sm / sa;
	}
	free(vm);
	free(va);
	numaDestroy(&m);
	numaDestroy(&a);
	return worst;
}

/*
 * How far the template is from the ink of `bin` whose box starts at
 * (x, y): the least, over shifts of BOOK_SHIFT pixels, of the ink of each
 * side farther than one pixel from the other's, over both inks; and, at
 * that shift, the worst window (*local).  2 when it cannot be computed.
 */
static double tmpl_distance(struct book *b, const struct tmpl *t, PIX *bin, int x, int y,
			    double *local)
{
	int W = t->w + 2 * BOOK_PAD, H = t->h + 2 * BOOK_PAD, bsx = 0, bsy = 0;
	BOX *bx = boxCreate(x - BOOK_PAD, y - BOOK_PAD, W, H);
	PIX *r = bx ? pixClipRectangle(bin, bx, NULL) : NULL;
	PIX *rd = NULL, *c = NULL, *d = NULL, *tmp = NULL, *tmp2 = NULL;
	double best = 2;
	int rc;

	*local = 1;
	boxDestroy(&bx);
	if (!r || pixGetWidth(r) != W || pixGetHeight(r) != H)
		goto out;
	rc = count_ink(b, r);
	if (rc < t->count * 7 / 10 || rc > t->count * 13 / 10)
		goto out;
	rd = pixDilateBrick(NULL, r, 3, 3);
	c = pixCreate(W, H, 1);
	d = pixCreate(W, H, 1);
	if (!rd || !c || !d)
		goto out;
	for (int sy = -BOOK_SHIFT; sy <= BOOK_SHIFT; sy++)
		for (int sx = -BOOK_SHIFT; sx <= BOOK_SHIFT; sx++) {
			int tmiss, rmiss;
			double v;

			/* the template moved by (sx, sy), and its dilation */
			pixClearAll(c);
			pixRasterop(c, BOOK_PAD + sx, BOOK_PAD + sy, t->w, t->h, PIX_SRC, t->ink, 0,
				    0);
			pixClearAll(d);
			pixRasterop(d, sx, sy, W, H, PIX_SRC, t->dil, 0, 0);
			tmp = pixSubtract(tmp, c, rd);
			tmiss = count_ink(b, tmp);
			tmp = pixSubtract(tmp, r, d);
			rmiss = count_ink(b, tmp);
			v = (double)(tmiss + rmiss) / (t->count + rc);
			if (v < best) {
				best = v;
				bsx = sx;
				bsy = sy;
			}
		}
	if (best <= 3 * BOOK_MAX_MISS) {
		/* the misses of both sides at the best shift, and both inks */
		pixClearAll(c);
		pixRasterop(c, BOOK_PAD + bsx, BOOK_PAD + bsy, t->w, t->h, PIX_SRC, t->ink, 0, 0);
		pixClearAll(d);
		pixRasterop(d, bsx, bsy, W, H, PIX_SRC, t->dil, 0, 0);
		tmp = pixSubtract(tmp, c, rd);
		tmp2 = pixSubtract(tmp2, r, d);
		pixOr(tmp, tmp, tmp2);
		pixOr(tmp2, c, r);
		*local = worst_window(tmp, tmp2, t->h);
	}
out:
	pixDestroy(&tmp);
	pixDestroy(&tmp2);
	pixDestroy(&c);
	pixDestroy(&d);
	pixDestroy(&rd);
	pixDestroy(&r);
	return best;
}

/* A match: little unmatched ink over the whole, and nowhere much. */
static int tmpl_matches(struct book *b, const struct tmpl *t, PIX *bin, int x, int y, double *dist,
			double *local)
{
	*dist = tmpl_distance(b, t, bin, x, y, local);
	return *dist <= BOOK_MAX_MISS && *local <= BOOK_MAX_LOCAL;
}

/* The kept words of `t` moved to the ink box at (x, y), appended to `out`. */
static void tmpl_words(const struct tmpl *t, int x, int y, struct ocr_words *out)
{
	for (int i = 0; i < t->ws.n; i++) {
		out->w = xrealloc(out->w, (size_t)(out->n + 1) * sizeof(*out->w));
		out->w[out->n] = t->ws.w[i];
		out->w[out->n].text = xstrdup(t->ws.w[i].text);
		out->w[out->n].x += x;
		out->w[out->n].y += y;
		out->n++;
	}
}

/* ------------------------------------------------------------------------
 * Titles
 * ---------------------------------------------------------------------- */

int book_title(struct book *b, const struct prep *pp, struct rline *l)
{
	book_page_dpi(b, pp->dpi);
	for (int i = 0; i < b->ntitle; i++) {
		const struct tmpl *t = &b->title[i];
		double d, loc;
		int ok;

		if (abs(t->w - l->tl.w) > 3 || abs(t->h - l->tl.h) > 3)
			continue;
		ok = tmpl_matches(b, t, pp->bin, l->tl.x, l->tl.y, &d, &loc);
		if (b->trace)
			fprintf(stderr, "book: title %d at y %d: %.3f %.3f\n", i, l->tl.y, d, loc);
		if (ok) {
			ocr_words_release(&l->ws);
			tmpl_words(t, l->tl.x, l->tl.y, &l->ws);
			extract_tokenize(l);
			l->from_book = 1;
			return 1;
		}
	}
	return 0;
}

void book_learn_title(struct book *b, const struct prep *pp, const struct rline *l,
		      const struct form_def *fd)
{
	int ib[4] = { l->tl.x, l->tl.y, l->tl.w, l->tl.h };
	struct tmpl t;

	book_page_dpi(b, pp->dpi);
	if (l->from_book || !l->ws.n || tmpl_make(b, pp->bin, ib, &l->ws, 0, l->ws.n - 1, &t) < 0)
		return;
	t.fd = fd;
	if (b->ntitle < BOOK_TITLES) {
		b->title[b->ntitle++] = t;
	} else {
		tmpl_release(&b->title[b->title_next]);
		b->title[b->title_next] = t;
		b->title_next = (b->title_next + 1) % BOOK_TITLES;
	}
}

/* ------------------------------------------------------------------------
 * Labels
 * ---------------------------------------------------------------------- */

/* The blank after a label: a third of its height, at least 3 pixels. */
static int label_gap(int h)
{
	return h / 3 > 3 ? h / 3 : 3;
}

/*
 * The ink of line `l` column by column, summed from its left edge:
 * pre[c] is the ink of its columns before c (c up to its width); NULL on
 * failure.  Caller frees.
 */
static int *line_columns(PIX *bin, const struct rline *l)
{
	int n = l->tl.w, *pre;

	if (n <= 0 || l->tl.x < 0 || l->tl.x + n > pixGetWidth(bin))
		return NULL;
	pre = xcalloc((size_t)n + 1, sizeof(int));
	if (lines_column_ink(bin, l->tl.x, l->tl.y, n, l->tl.h, pre + 1) < 0) {
		free(pre);
		return NULL;
	}
	for (int c = 0; c < n; c++)
		pre[c + 1] += pre[c];
	return pre;
}

/* A line taken as its label alone: the label's kept words, nothing read. */
static void label_only(struct book *b, struct rline *l, const struct tmpl *t, const int ib[4])
{
	b->hits++;
	ocr_words_release(&l->ws);
	tmpl_words(t, ib[0], ib[1], &l->ws);
	extract_tokenize(l);
	l->from_book = 1;
}
/*
 * Line `l` whose label is template `t`, its ink at (ix, iy): the line read
 * from the label's last word on, its words the label's kept ones and the
 * value's read.  0 (nothing changed) when a value word is read less surely
 * than a full line would read it (the recognizer sees less context): the
 * full line after all, so that the memory never costs a flag nor a value.
 */
static int value_read(struct book *b, struct reader *rd, struct rline *l, const struct tmpl *t,
		      int ix, int iy)
{
	struct ocr_words v = { 0 };
	int from = ix + t->read_from, end = ix + t->w;

	tess_read(rd->eng, from, l->tl.y, l->tl.x + l->tl.w - from, l->tl.h, TM_LINE, 1.0, &v);
	for (int w = 0; w < v.n; w++)
		if (v.w[w].x + v.w[w].w / 2 >= end && v.w[w].conf < BOOK_MIN_CONF) {
			if (b->trace)
				fprintf(stderr, "book: \"%s\" read at %.0f: the full line\n",
					v.w[w].text, v.w[w].conf);
			b->unsure++;
			ocr_words_release(&v);
			return 0;
		}
	/* the label's words, then the value's */
	b->hits++;
	ocr_words_release(&l->ws);
	tmpl_words(t, ix, iy, &l->ws);
	for (int w = 0; w < v.n; w++) {
		struct ocr_word *o = &v.w[w];

		/* what lies in the label was read to give the value its context */
		if (o->x + o->w / 2 < end) {
			const char *colon = o->x + o->w > end ? strrchr(o->text, ':') : NULL;

			if (!colon || !colon[1])
				continue;
			/* "mẹ:Phạm": the value glued to the label's colon */
			memmove(o->text, colon + 1, strlen(colon + 1) + 1);
			o->w -= end - o->x;
			o->x = end;
		}
		l->ws.w = xrealloc(l->ws.w, (size_t)(l->ws.n + 1) * sizeof(*l->ws.w));
		l->ws.w[l->ws.n++] = *o;
		o->text = NULL;
	}
	ocr_words_release(&v);
	if (b->trace > 2)
		for (int w = 0; w < l->ws.n; w++)
			fprintf(stderr, "  word %s %d+%d %.0f\n", l->ws.w[w].text, l->ws.w[w].x,
				l->ws.w[w].w, l->ws.w[w].conf);
	extract_tokenize(l);
	l->from_book = 1;
	return 1;
}

int book_read_deferred(struct book *b, struct reader *rd, struct rline *l)
{
	for (int i = 0; i < b->nlabel; i++)
		if (b->label[i].serial == l->tmpl)
			return value_read(b, rd, l, &b->label[i], l->defer_x, l->defer_y);
	return 0;
}

/*
 * A label that gives nothing where its line is: in a quiet block (one whose
 * labels give no field but its opener), a label that is neither a field
 * nor an opener there.  Its lines are idle from their first match on, on
 * the page that taught it too, without waiting for pages to show it.
 */
static int quiet(const struct form_def *fd, const struct tmpl *t, int ctx)
{
	const struct form_label *lb;

	if (t->label < 0 || !extract_quiet_block(fd, ctx))
		return 0;
	lb = extract_resolve(fd, t->label, ctx);
	return lb && !lb->field && !(lb->flags & FL_SETS_CONTEXT);
}

int book_read_line(struct book *b, struct reader *rd, const struct form_def *fd, int ctx,
		   struct rline *l)
{
	PIX *bin = rd->pp->bin;

	int W = l->tl.w, *pre, found = 0;

	book_page_dpi(b, rd->pp->dpi);
	if (!b->nlabel)
		return 0;
	b->tries++;
	pre = line_columns(bin, l);
	if (!pre)
		return 0;
	for (int k = 0; k < b->nlabel && !found; k++) {
		int i = (b->next + k) % b->nlabel, ib[4], end, gap;
		const struct tmpl *t = &b->label[i];
		double d, loc;
		int ok, ink;

		gap = label_gap(t->h);
		if (t->fd != fd || t->w + gap + 2 > W)
			continue;
		/*
		 * From the line's column profile first (most templates stop
		 * here): about as much ink as the label, its last letter where
		 * the label ends, blank paper after it.
		 */
		ink = pre[t->w + 1];
		if (ink < t->count * 7 / 10 || ink > t->count * 13 / 10 ||
		    pre[t->w + 1] == pre[t->w - 3 > 0 ? t->w - 3 : 0] ||
		    pre[t->w + 2 + gap] - pre[t->w + 2] > 2)
			continue;
		/* the line's ink over the template's width, from its left edge */
		if (!ink_box(bin, l->tl.x, l->tl.y, t->w + 1, l->tl.h, ib) ||
		    abs(ib[2] - t->w) > 2 || abs(ib[3] - t->h) > 2)
			continue;
		/* blank paper after the label */
		end = ib[0] + t->w;
		if (ink_in(b, bin, end + 2, l->tl.y, label_gap(t->h), l->tl.h) > 2)
			continue;
		ok = tmpl_matches(b, t, bin, ib[0], ib[1], &d, &loc);
		if (b->trace) {
			struct ocr_words dbg = { 0 };

			fprintf(stderr, "book: label %d (", i);
			for (int w = 0; w < t->ws.n; w++)
				fprintf(stderr, "%s ", t->ws.w[w].text);
			fprintf(stderr, ") at y %d: %.3f %.3f", l->tl.y, d, loc);
			if (b->trace > 1 && d < 0.3 && (d > 0.01 || loc > 0.1)) {
				tess_read(rd->eng, l->tl.x, l->tl.y, end - l->tl.x, l->tl.h,
					  TM_LINE, 1.0, &dbg);
				fprintf(stderr, " [read:");
				for (int w = 0; w < dbg.n; w++)
					fprintf(stderr, " %s", dbg.w[w].text);
				fprintf(stderr, "]");
				ocr_words_release(&dbg);
			}
			fprintf(stderr, "\n");
		}
		if (!ok)
			continue;
		b->next = (i + 1) % b->nlabel;
		l->tmpl = t->serial;
		if (rd->o->skip_idle && !t->used && (t->idle >= BOOK_IDLE || quiet(fd, t, ctx))) {
			/* a line no record took anything from: its label only */
			label_only(b, l, t, ib);
			l->idle = 1;
			found = 1;
			continue;
		}
		if (t->words && rd->o->lazy_words) {
			/*
			 * The date in words: only its label for now; page.c
			 * reads the line when the date in digits is doubtful.
			 */
			label_only(b, l, t, ib);
			l->deferred = 1;
			l->defer_x = ib[0];
			l->defer_y = ib[1];
			found = 1;
			continue;
		}
		if (!value_read(b, rd, l, t, ib[0], ib[1])) {
			free(pre);
			return 0;
		}
		found = 1;
	}
	free(pre);
	return found;
}

void book_note_line(struct book *b, const struct rline *l, int used)
{
	for (int i = 0; i < b->nlabel; i++)
		if (b->label[i].serial == l->tmpl) {
			if (used)
				b->label[i].used++;
			else
				b->label[i].idle++;
			return;
		}
}

void book_learn_line(struct book *b, const struct prep *pp, const struct form_def *fd,
		     struct rline *l, const struct occurrence *o)
{
	const struct ocr_word *last;
	int ib[4], x1;
	struct tmpl t;

	book_page_dpi(b, pp->dpi);
	if (l->from_book || o->first_word != 0 || o->rest || o->last_word >= l->ws.n)
		return;
	last = &l->ws.w[o->last_word];
	x1 = last->x + last->w;
	/* the label's ink, from the line's left edge to its last word's end */
	if (!ink_box(pp->bin, l->tl.x, l->tl.y, x1 - l->tl.x + 1, l->tl.h, ib))
		return;
	/* too short to be worth it, or not followed by blank paper */
	if (ib[2] < 3 * ib[3] ||
	    ink_in(b, pp->bin, ib[0] + ib[2] + 2, l->tl.y, label_gap(ib[3]), l->tl.h) > 0)
		return;
	/* known already */
	for (int i = 0; i < b->nlabel; i++) {
		double d, loc;

		if (b->label[i].fd == fd && abs(b->label[i].w - ib[2]) <= 2 &&
		    abs(b->label[i].h - ib[3]) <= 2 &&
		    tmpl_matches(b, &b->label[i], pp->bin, ib[0], ib[1], &d, &loc)) {
			l->tmpl = b->label[i].serial;
			return;
		}
	}
	if (tmpl_make(b, pp->bin, ib, &l->ws, 0, o->last_word, &t) < 0)
		return;
	t.fd = fd;
	t.serial = ++b->serial;
	t.idle = t.used = 0;
	t.label = o->label;
	l->tmpl = t.serial;
	t.words = o->label >= 0 && fd->labels[o->label].kind == FK_DATE_WORDS;
	t.read_from = last->x - ib[0];
	if (t.read_from < 0)
		t.read_from = 0;
	if (b->nlabel < BOOK_LABELS) {
		b->label[b->nlabel++] = t;
	} else {
		tmpl_release(&b->label[b->label_next]);
		b->label[b->label_next] = t;
		b->label_next = (b->label_next + 1) % BOOK_LABELS;
	}
}
