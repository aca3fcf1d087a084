/*
 * lines.c — text lines of a straightened page from its horizontal ink
 * profile.
 *
 * Rows whose ink is above a small share of a typical text row are "ink
 * rows"; runs of them are bands.  The typical line height is the median
 * band height.  Thin bands (the marks stacked over capitals, Ễ Ặ, when they
 * do not touch their letters; the dot of an i) join the band they belong
 * to; bands taller than a line (lines whose marks and descenders touch)
 * are cut at the deepest dips of the profile.  This is cheaper and steadier
 * on forms than a general layout analysis, and keeps a line whole across
 * the wide gaps that leader removal leaves inside it.
 */
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

struct band {
	int y0, y1;
	long ink;
};

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * Ink extent of rows [y0, y1) of `bin` within [cx0, cx1): x0, x1; the ink
 * inside.  The columns with ink are grouped into runs (gaps up to a sixth
 * of an inch inside); a narrow run far from every wide one is a speck of
 * noise and does not stretch the line.
 */
/* A run with the ink of a character or more (not a few specks of noise). */
int lines_column_ink(PIX *bin, int x, int y, int w, int h, int *out)
{
	int pw, ph, wpl, x1;
	const l_uint32 *data;

	if (w <= 0)
		return -1;
	memset(out, 0, (size_t)w * sizeof(*out));
	if (!bin || pixGetDepth(bin) != 1)
		return -1;
	pw = pixGetWidth(bin);
	ph = pixGetHeight(bin);
	wpl = pixGetWpl(bin);
	data = pixGetData(bin);
	x1 = x + w < pw ? x + w : pw;
	for (int r = y < 0 ? 0 : y; r < y + h && r < ph; r++) {
		const l_uint32 *line = data + (size_t)r * (size_t)wpl;

		for (int wi = (x < 0 ? 0 : x) >> 5; wi <= (x1 - 1) >> 5; wi++) {
			l_uint32 word = line[wi];
			int base = wi << 5;

			/* bits outside [x, x1) off; the leftmost pixel is the high bit */
			if (base < x)
				word &= 0xffffffffu >> (x - base);
			if (base + 32 > x1)
				word &= ~(0xffffffffu >> (x1 - base));
			while (word) {
				int bit = __builtin_clz(word);

				out[base + bit - x]++;
				word &= ~(0x80000000u >> bit);
			}
		}
	}
	return 0;
}

static int substantial(int x0, int x1, long ink, int h, int narrow)
{
	return x1 - x0 >= narrow && ink >= 2L * h;
}

static long band_extent(PIX *bin, int cx0, int cx1, int y0, int y1, int dpi, int *x0, int *x1)
{
	int n = cx1 - cx0 > 0 ? cx1 - cx0 : 0, i, nr = 0, cap = 16, gap = 0;
	int *cols = xmalloc((size_t)(n ? n : 1) * sizeof(int));
	int join = dpi / 6, narrow = dpi / 40, far = dpi / 3, first = -1, last = -1;
	struct run {
		int x0, x1;
		long ink;
	} *r = xmalloc((size_t)cap * sizeof(*r));
	long ink = 0;

	if (lines_column_ink(bin, cx0, y0, n, y1 - y0, cols) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		int v = cols[i];

		if (v <= 0) {
			gap++;
			continue;
		}
		if (nr && gap <= join) {
			r[nr - 1].x1 = i + 1;
			r[nr - 1].ink += v;
		} else {
			if (nr == cap) {
				cap *= 2;
				r = xrealloc(r, (size_t)cap * sizeof(*r));
			}
			r[nr].x0 = i;
			r[nr].x1 = i + 1;
			r[nr].ink = v;
			nr++;
		}
		gap = 0;
	}
	free(cols);
	for (i = 0; i < nr; i++) {
		int k, near = 0;

		if (!substantial(r[i].x0, r[i].x1, r[i].ink, y1 - y0, narrow)) {
			for (k = 0; k < nr && !near; k++)
				if (k != i &&
				    substantial(r[k].x0, r[k].x1, r[k].ink, y1 - y0, narrow) &&
				    (r[k].x0 > r[i].x1 ? r[k].x0 - r[i].x1 : r[i].x0 - r[k].x1) <=
					far)
					near = 1;
			if (!near)
				continue;
		}
		if (first < 0)
			first = r[i].x0;
		last = r[i].x1;
		ink += r[i].ink;
	}
	free(r);
	if (first < 0)
		return 0;
	*x0 = cx0 + first;
	*x1 = cx0 + last;
	return ink;
}

/*
 * clear_rules: the columns of `part` inked over more than seven tenths of
 * its height are cleared.  No column of text is (its lines have gaps
 * between them); a vertical rule or the shadow of a book's fold is, and
 * would otherwise put ink in every row and make the part one tall line.
 */
static void clear_rules(PIX *part)
{
	int w = pixGetWidth(part), h = pixGetHeight(part);
	/* (counted 32 pixels at a time: Leptonica's pixCountPixelsByColumn
	 * reads them one by one, 1.3% of `hotich ocr`'s time) */
	int *cols = xmalloc((size_t)(w > 0 ? w : 1) * sizeof(*cols));

	if (lines_column_ink(part, 0, 0, w, h, cols) == 0)
		for (int x = 0; x < w; x++)
			if (cols[x] * 10 > h * 7)
				pixRasterop(part, x, 0, 1, h, PIX_CLR, NULL, 0, 0);
	free(cols);
}

int lines_find(PIX *bin, const BOX *clip, int dpi, struct text_line **out, int *n)
{
	int W = pixGetWidth(bin), H = pixGetHeight(bin);
	int cx0 = 0, cy0 = 0, cx1 = W, cy1 = H, rows, y, i, nb = 0, L, thr;
	l_int32 *prof;
	int *sorted;
	NUMA *na;
	struct band *bands;
	struct text_line *lines;
	int nl = 0;
	PIX *part = NULL; /* the clip, its vertical rules cleared */

	*out = NULL;
	*n = 0;
	if (clip) {
		boxGetGeometry((BOX *)clip, &cx0, &cy0, &cx1, &cy1);
		cx1 += cx0;
		cy1 += cy0;
	}
	rows = cy1 - cy0;
	if (rows <= 0 || cx1 <= cx0)
		return -1;
	{
		BOX *b = boxCreate(cx0, cy0, cx1 - cx0, rows);

		part = pixClipRectangle(bin, b, NULL);
		boxDestroy(&b);
		if (part && rows >= dpi)
			clear_rules(part);
		na = part ? pixCountPixelsByRow(part, NULL) : NULL;
	}
	if (!na) {
		pixDestroy(&part);
		return -1;
	}
	prof = xcalloc((size_t)rows + 2, sizeof(*prof));
	sorted = xcalloc((size_t)rows + 2, sizeof(*sorted));
	for (y = 0; y < rows; y++) {
		l_int32 v = 0;

		numaGetIValue(na, y, &v);
		prof[y] = v;
		sorted[y] = v;
	}
	numaDestroy(&na);
	/* a text row has a good share of the ink of the busiest rows */
	qsort(sorted, (size_t)rows, sizeof(int), cmp_int);
	thr = sorted[rows * 97 / 100] / 40;
	if (thr < 3)
		thr = 3;
	free(sorted);

	bands = xmalloc(((size_t)rows / 2 + 2) * sizeof(*bands));
	for (y = 0; y < rows;) {
		long ink = 0;
		int start;

		while (y < rows && prof[y] < thr)
			y++;
		if (y >= rows)
			break;
		start = y;
		while (y < rows && prof[y] >= thr)
			ink += prof[y++];
		bands[nb].y0 = start;
		bands[nb].y1 = y;
		bands[nb].ink = ink;
		nb++;
	}

	/* the typical line height */
	{
		int *hs = xmalloc((size_t)(nb ? nb : 1) * sizeof(int)), m = 0;

		for (i = 0; i < nb; i++)
			if (bands[i].y1 - bands[i].y0 >= dpi / 25)
				hs[m++] = bands[i].y1 - bands[i].y0;
		qsort(hs, (size_t)m, sizeof(int), cmp_int);
		L = m ? hs[m / 2] : dpi / 6;
		free(hs);
	}

	/* thin bands join the nearest band within reach */
	for (i = 0; i < nb; i++) {
		int h = bands[i].y1 - bands[i].y0, gap_up, gap_down, j;

		if (h >= L * 45 / 100)
			continue;
		gap_up = i > 0 ? bands[i].y0 - bands[i - 1].y1 : 1 << 30;
		gap_down = i + 1 < nb ? bands[i + 1].y0 - bands[i].y1 : 1 << 30;
		/* marks above letters belong to the line below */
		if (gap_down <= L * 35 / 100 && gap_down <= gap_up + L / 10)
			j = i + 1;
		else if (gap_up <= L * 35 / 100)
			j = i - 1;
		else
			continue;
		if (j < i) {
			bands[j].y1 = bands[i].y1;
		} else {
			bands[j].y0 = bands[i].y0;
		}
		bands[j].ink += bands[i].ink;
		memmove(&bands[i], &bands[i + 1], (size_t)(nb - i - 1) * sizeof(*bands));
		nb--;
		i--;
	}

	lines = xmalloc((size_t)(nb * 8 + 1) * sizeof(*lines));
	for (i = 0; i < nb; i++) {
		int y0 = bands[i].y0, y1 = bands[i].y1, parts = 1, k;
		int cuts[32];

		/*
		 * A band of several lines: cut at the deepest dips.  A line of
		 * larger print (a title) is as tall, but has no dip: its rows
		 * between the top and the base line all carry ink.
		 */
		if (y1 - y0 > L * 16 / 10 && L > 0) {
			int expect = (y1 - y0 + L / 3) / L, peak = 0, r;

			for (r = y0; r < y1; r++)
				if (prof[r] > peak)
					peak = prof[r];
			if (expect > 30)
				expect = 30;
			for (k = 1; k < expect; k++) {
				int centre = y0 + (y1 - y0) * k / expect, best = centre;

				for (r = centre - L / 2; r <= centre + L / 2; r++)
					if (r > y0 && r < y1 && prof[r] < prof[best])
						best = r;
				if (prof[best] * 5 < peak)
					cuts[parts++] = best;
			}
		}
		cuts[0] = y0;
		cuts[parts] = y1;
		for (k = 0; k < parts; k++) {
			int a = cuts[k], b = cuts[k + 1], x0 = 0, x1 = 0;
			long ink;

			if (b - a < L / 3)
				continue;
			ink = band_extent(part, 0, cx1 - cx0, a, b, dpi, &x0, &x1);
			x0 += cx0;
			x1 += cx0;
			if (!ink || x1 - x0 < dpi / 12)
				continue; /* a speck */
			/* specks of noise: too little ink for text of that size */
			if (ink < (long)(x1 - x0) * (b - a) / 40)
				continue;
			lines[nl].x = x0;
			lines[nl].y = cy0 + a;
			lines[nl].w = x1 - x0;
			lines[nl].h = b - a;
			lines[nl].body = L;
			nl++;
		}
	}
	free(bands);
	free(prof);
	pixDestroy(&part);
	*out = lines;
	*n = nl;
	return 0;
}
