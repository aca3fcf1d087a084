/*
 * page.c — reading a page: decode, preprocess, split an A3 spread in two,
 * find the lines, classify each part by its printed title (or, failing
 * that, by its labels), read the form's lines down to its last field, and
 * hand them to the extraction (extract.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr_internal.h"

/* Handwriting (ink_warning, unprinted) */
#define INK_MIN_MARKS 100 /* fewer: a blank page's specks, a stamp */
#define INK_MAX_CONF  60  /* Tesseract's mean word confidence under which no print was read */

struct page_part {
	int x, y, w, h; /* the part of the page (a half of a spread) */
	int index;
};

static void page_warn(struct ocr_page *p, const char *what, const char *detail)
{
	if (p->nwarnings < OCR_MAX_WARNINGS)
		p->warnings[p->nwarnings++] =
		    detail && *detail ? xasprintf("%s: %s", detail, what) : xstrdup(what);
}

static void read_line(struct reader *rd, struct rline *l)
{
	tess_read(rd->eng, l->tl.x, l->tl.y, l->tl.w, l->tl.h, TM_LINE, 1.0, &l->ws);
	l->tried = 1;
	extract_tokenize(l);
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
	int n = l->tl.w > 0 ? l->tl.w : 0, run = 0, longest = 0;
	int *cols = xmalloc((size_t)(n ? n : 1) * sizeof(int));

	if (lines_column_ink(rd->pp->bin, l->tl.x, l->tl.y, n, l->tl.h, cols) < 0)
		n = 0;
	for (int i = 0; i < n; i++) {
		run = cols[i] ? 0 : run + 1;
		longest = run > longest ? run : longest;
	}
	free(cols);
	return longest > rd->pp->dpi / 2;
}

/*
 * A page without a title, written by hand (an old register's page) or too
 * damaged to read: its first UNPRINTED_LINES lines read, in [a, i), gave
 * no label of any form, and no words or words at a mean confidence under
 * INK_MAX_CONF (print is read well above it, handwriting below:
 * ink_warning).  1 when so, 0 when not, -1 while fewer lines are read.
 * Reading on would give nothing but more of the same guesses, each line
 * at the cost of a printed one.
 */
#define UNPRINTED_LINES 10

static int unprinted(struct reader *rd, int a, int i)
{
	int nread = 0, nw = 0;
	double sw = 0;

	for (int k = a; k < i; k++) {
		const struct rline *l = &rd->lines[k];

		nread += l->tried;
		for (int w = 0; w < l->ws.n; w++)
			sw += l->ws.w[w].conf;
		nw += l->ws.n;
	}
	if (nread < UNPRINTED_LINES)
		return -1;
	if (nw && sw / nw >= INK_MAX_CONF)
		return 0;
	for (int d = 0; d < forms_count(); d++)
		for (int k = a; k < i; k++) {
			struct occurrence occ[8];

			if (extract_labels(forms_def(d), &rd->lines[k], k, occ, 8))
				return 0;
		}
	return 1;
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
	int cand[16], nc = 0, i, k, title = -1, noprint = -1;
	double s, best = 0;
	const struct form_def *d;
	struct book *bk = tess_book(rd->eng);

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

		if (!bk || !book_title(bk, rd->pp, l))
			read_line(rd, l);
		d = extract_title(l, &s);
		if (s >= 0.72) {
			*fd = d;
			title = cand[k];
			if (bk && !l->from_book)
				book_learn_title(bk, rd->pp, l, d);
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
		/* no print in the first lines: no title further down either (decided once) */
		if (noprint < 0 && (noprint = unprinted(rd, a, i)) > 0)
			break;
		if (!l->ws.n)
			read_line(rd, l);
		d = extract_title(l, &s);
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
	int i, last = -1, extra = 0, wraps = 0, ctx = fd->start;
	struct book *bk = tess_book(rd->eng);

	for (i = from; i < z; i++) {
		struct rline *l = &rd->lines[i];
		int n, k;

		if (too_tall(rd, l) || l->ws.n)
			continue;
		if (!bk || !book_read_line(bk, rd, fd, ctx, l))
			read_line(rd, l);
		if (tess_expired(rd->eng))
			break;
		n = extract_labels(fd, l, i, occ, 16);
		/* whose block the next line is in */
		ctx = extract_line_context(fd, occ, n, ctx);
		if (n && bk && !l->from_book)
			book_learn_line(bk, rd->pp, fd, l, &occ[0]);
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
				    fields_ends_with_nam(l->ws.w[l->ws.n - 1].text))
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
	struct rline *v = extract_unfold_columns(fd, &rd->lines[from], z - from, &nv);

	if (v) {
		extract_record(rd, fd, v, nv, r);
		for (i = 0; i < nv; i++)
			extract_line_release(&v[i]);
		free(v);
	} else {
		extract_record(rd, fd, &rd->lines[from], z - from, r);
	}
}

/*
 * The date in words checks the date in digits: an agreeing reading clears
 * a flag for low confidence and lifts the confidence to 0.95, a disagreeing
 * one flags it.  A date of birth read at LAZY_WORDS_CONF or above, unflagged,
 * gains nothing from an agreeing reading, so with the book memory the line
 * of the date in words is read only for a date below it, flagged or missing
 * (HOTICH_OCR_LAZY_WORDS=0: always).
 */
#define LAZY_WORDS_CONF 0.95

static int dob_doubtful(const struct ocr_record *r)
{
	const struct ocr_field *dob = ocr_field_get(r, "dob");

	return !dob || !dob->value || dob->review || dob->conf < LAZY_WORDS_CONF;
}

/* Read the deferred lines of [a, z) (the date in words); 1 when there were any. */
static int read_deferred(struct reader *rd, int a, int z)
{
	int any = 0;

	for (int i = a; i < z && !tess_expired(rd->eng); i++) {
		struct rline *l = &rd->lines[i];

		if (!l->deferred)
			continue;
		extract_line_release(l);
		l->deferred = 0;
		l->from_book = 0;
		/* as a matched line is read (the words keep the context they had) */
		if (!tess_book(rd->eng) || !book_read_deferred(tess_book(rd->eng), rd, l)) {
			extract_line_release(l);
			l->from_book = 0;
			read_line(rd, l);
		}
		any = 1;
	}
	return any;
}

/* Did the record take something from line `l` (reader.used)? */
static int line_used(const struct reader *rd, const struct rline *l)
{
	int cy = l->tl.y + l->tl.h / 2;

	for (int k = 0; k < rd->nused; k++) {
		const int *u = rd->used[k];

		if (cy >= u[1] && cy < u[1] + u[3] && u[0] < l->tl.x + l->tl.w &&
		    l->tl.x < u[0] + u[2])
			return 1;
	}
	return 0;
}

/* Tell the book memory which of the lines its labels opened gave the record something. */
static void note_lines(struct reader *rd, struct book *bk, int a, int z)
{
	for (int i = a; i < z; i++) {
		const struct rline *l = &rd->lines[i];

		if (l->tmpl && !l->idle && !l->deferred)
			book_note_line(bk, l, line_used(rd, l));
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
	int right = 0;

	lines_find(rd->pp->bin, clip, rd->pp->dpi, &tl, &n);
	boxDestroy(&clip);
	rd->lines = xrealloc(rd->lines, (size_t)(rd->nlines + n + 1) * sizeof(*rd->lines));
	/* the text's right margin: where the longest lines end */
	for (i = 0; i < n; i++)
		right = tl[i].x + tl[i].w > right ? tl[i].x + tl[i].w : right;
	for (i = 0; i < n; i++) {
		struct rline *l = &rd->lines[rd->nlines + i];

		memset(l, 0, sizeof(*l));
		l->tl = tl[i];
		l->right = right;
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
		/*
		 * no title: every line (up to 60), and the labels decide; a page
		 * whose first lines are no print stops there (unprinted())
		 */
		int d, bestn = 0, checked = 0;

		for (i = a; i < z && i - a <= 60 && !tess_expired(rd->eng); i++) {
			int u = checked ? 0 : unprinted(rd, a, i);

			checked |= u >= 0;
			if (u > 0) {
				page_warn(page, "no print in its first lines: the rest not read",
					  NULL);
				break;
			}
			if (!too_tall(rd, &rd->lines[i]) && !rd->lines[i].ws.n)
				read_line(rd, &rd->lines[i]);
		}
		for (d = 0; d < forms_count(); d++) {
			struct occurrence occ[64];
			int cnt = 0;

			for (i = a; i < z; i++)
				cnt += extract_labels(forms_def(d), &rd->lines[i], i, occ, 64);
			if (cnt > bestn) {
				bestn = cnt;
				if (cnt >= 6)
					fd = forms_def(d);
			}
		}
		if (fd)
			/* loaders/export.c reads this warning: a page without a title
			 * may continue the case of the page before it */
			page_warn(page, "the title was not read; classified by its labels",
				  fd->doc_type);
	}
	if (fd && page->nrec < 2) {
		int from = title_line >= 0 ? title_line + 1 : a;

		r = &page->rec[page->nrec++];
		memset(r, 0, sizeof(*r));
		r->index = part->index;
		build_part(rd, fd, from, z, r);
		if (dob_doubtful(r) && read_deferred(rd, a, z)) {
			/*
			 * built again as if read at once: the build settled the
			 * right edges and marked the continuations it took
			 */
			for (i = a; i < z; i++) {
				rd->lines[i].right = right;
				rd->lines[i].consumed = 0;
			}
			extract_record_release(r);
			r->index = part->index;
			build_part(rd, fd, from, z, r);
		}
		if (record_misses_labels(r) && !tess_expired(rd->eng)) {
			int more = 0;

			for (i = a; i < z; i++)
				if (!too_tall(rd, &rd->lines[i]) && !rd->lines[i].ws.n) {
					read_line(rd, &rd->lines[i]);
					more = 1;
				}
			if (more) {
				/* the whole part: a number printed above the title counts */
				extract_record_release(r);
				r->index = part->index;
				build_part(rd, fd, a, z, r);
			}
		}
		if (tess_book(rd->eng))
			note_lines(rd, tess_book(rd->eng), a, z);
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

/*
 * Handwriting.  A page that gave no record may be a blank page, a register
 * book's cover, or a page written by hand, which a person must key.  A
 * blank page has hardly any mark of letter height (0.6 mm to 8 mm; the
 * scanner's specks are smaller); a cover's print is read by Tesseract with
 * the confidence print gets, handwriting is not (measured on the tuning
 * set: README, "Keying").  page_ink_shape counts the marks of letter
 * height, either way up, on a page (any depth) at `dpi`: the preprocessed
 * page, whose background is flattened and a photo's desk cut away.
 */

int page_ink_shape(PIX *page, int dpi)
{
	PIX *grey = page ? pixConvertTo8(page, 0) : NULL;
	PIX *bin = grey ? pixConvertTo1(grey, 150) : NULL;
	BOXA *b = bin ? pixConnCompBB(bin, 8) : NULL;
	int nb = b ? boxaGetCount(b) : 0, lo = dpi * 6 / 254, hi = dpi * 80 / 254, n = 0;

	for (int i = 0; i < nb; i++) {
		l_int32 x, y, w, h, thin, wide;

		if (boxaGetBoxGeometry(b, i, &x, &y, &w, &h) != 0)
			continue;
		/* either way up: a page may lie on its side */
		thin = w < h ? w : h;
		wide = w < h ? h : w;
		n += thin >= lo && thin <= hi && wide <= 2 * dpi;
	}
	boxaDestroy(&b);
	pixDestroy(&bin);
	pixDestroy(&grey);
	return n;
}

/* A page without a record: its ink and what Tesseract made of it said in
 * its warnings; a page written by hand ("handwriting: ...") goes to the
 * people who key pages. */
static void ink_warning(struct ocr_page *out, const struct prep *pp, double wconf)
{
	int n = page_ink_shape(pp->bin, pp->dpi);
	char msg[96];

	snprintf(msg, sizeof(msg), "%d marks of letter height, words read at %d%% confidence", n,
		 (int)(wconf + 0.5));
	page_warn(out, msg,
		  n >= INK_MIN_MARKS && wconf < INK_MAX_CONF ? "handwriting" : "no record read");
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
	path =
	    xasprintf("%s/%s-p%d-r%d.png", dir, base ? base + 1 : f->path, page_no, pp->rotation);
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
		out->book_lines += rd.lines[i].from_book;
		for (int k = 0; k < rd.lines[i].ws.n; k++) {
			sw += rd.lines[i].ws.w[k].conf;
			nw++;
		}
		extract_line_release(&rd.lines[i]);
	}
	free(rd.lines);
	free(rd.used);
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

/*
 * What the page's resolution was taken from, when not from its tag; and a
 * page whose letters are too small to read: said with their measured size,
 * every value it gave flagged (read, not trusted).
 */
static void resolution_warnings(struct ocr_page *out, const struct prep *pp, int forced)
{
	char msg[128];

	out->dpi = pp->dpi_used;
	if (pp->dpi_measured && !forced) {
		if (pp->tag_dpi)
			snprintf(msg, sizeof(msg),
				 "resolution %d dpi from the size of the text (the file says %d)",
				 pp->dpi_used, pp->tag_dpi);
		else
			snprintf(msg, sizeof(msg), "resolution %d dpi from the size of the text",
				 pp->dpi_used);
		page_warn(out, msg, NULL);
	}
	if (pp->no_sheet)
		page_warn(out, "a photograph whose sheet was not found: read as the whole frame",
			  NULL);
	if (pp->text_too_small > 0) {
		snprintf(msg, sizeof(msg),
			 "text_too_small: letters %.1f pixels high (at least %d needed)",
			 pp->text_too_small, 6);
		page_warn(out, msg, NULL);
		for (int i = 0; i < out->nrec; i++)
			for (int k = 0; k < out->rec[i].nfields; k++) {
				struct ocr_field *f = &out->rec[i].fields[k];

				if (!f->review)
					f->why = "text too small to read";
				f->review = 1;
			}
	}
}

int ocr_read_page(struct ocr_engine *eng, struct ocr_file *f, int page_no, struct ocr_page *out,
		  herr *e)
{
	struct prep pp;
	PIX *pix;
	int dpi = 0, tag = 0, i;
	double t0 = clock_now_s(), t1, wconf = 0;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->text, 0);
	out->page_no = page_no;
	pix = ingest_page(f, page_no, &dpi, e);
	if (!pix)
		return -1;
	page_init(out, page_no, pix, dpi);
	tag = dpi;
	t1 = clock_now_s();
	out->ms_decode = (long)((t1 - t0) * 1000);
	/*
	 * Upright first: the orientation is judged (pixOrientDetect, 3% of
	 * `hotich ocr`'s time) only for a page that gives no record read as
	 * it is, and a page it would have turned is then read as it would
	 * have been at once.  A turned page gives no record read upright.
	 */
	if (prep_page(pix, dpi, f->o->dpi, PREP_UPRIGHT_FIRST, f->o->prep_off, &pp, e) < 0) {
		pixDestroy(&pix);
		return herr_prefix(e, "%s: page %d", f->path, page_no);
	}
	out->ms_prep = (long)((clock_now_s() - t1) * 1000);
	tess_deadline(eng);
	read_prepared(eng, f, page_no, &pp, out, &wconf);
	if (!out->nrec && !tess_expired(eng)) {
		int turn = prep_rotation_found(&pp);
		struct prep p1;
		herr e1 = { 0 };
		double t2 = clock_now_s();

		if (turn && prep_page(pix, tag, f->o->dpi, turn, f->o->prep_off, &p1, &e1) == 0) {
			long ms_prep = out->ms_prep + (long)((clock_now_s() - t2) * 1000);

			ocr_page_release(out);
			prep_release(&pp);
			pp = p1;
			page_init(out, page_no, pix, tag);
			out->ms_decode = (long)((t1 - t0) * 1000);
			out->ms_prep = ms_prep;
			wconf = 0;
			read_prepared(eng, f, page_no, &pp, out, &wconf);
		}
	}
	/* the turned reading below takes the resolution this one found */
	dpi = pp.dpi_used;
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

		/* (a scan is still no photograph: its tag goes with it) */
		if (prep_page(pix, tag, dpi, 180, f->o->prep_off, &p2, &e2) == 0) {
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
	if (!out->nrec)
		ink_warning(out, &pp, wconf);
	resolution_warnings(out, &pp, f->o->dpi);
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
	out->ms = (long)((clock_now_s() - t0) * 1000);
	{
		double spent;

		tess_spent(eng, &spent, &out->tess_calls);
		out->ms_tess = (long)(spent * 1000);
		/* HOTICH_OCR_TIMES=1: where each page's time went, on stderr */
		if (getenv("HOTICH_OCR_TIMES"))
			fprintf(stderr,
				"ocr-times: %s page %d: %ld ms (decode %ld, preprocess %ld, "
				"recognition %ld in %d calls); %d lines from the book memory\n",
				f->path, page_no, out->ms, out->ms_decode, out->ms_prep,
				out->ms_tess, out->tess_calls, out->book_lines);
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
