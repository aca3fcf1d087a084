/*
 * photo.c — a page photographed rather than scanned: the sheet found in
 * the frame (the paper on a desk, with other things around it) and brought
 * upright to a rectangle by a projective transform, the desk and the
 * clutter dropped.
 *
 * The sheet is the largest bright region of the frame, its text filled in
 * by a closing.  Its corners are first the extreme points of the region
 * along the diagonals, then the crossings of its four edges, each a line
 * fitted to the region's outline between two corners (the points of a
 * pen or a phone lying over an edge are dropped by refitting without the
 * points far from the line).  A region that fills the frame to three of
 * its borders is a scan, not a photo, and is left alone.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

/* The frame is searched at this size (its longer side, pixels). */
#define WORK_SIDE 1000
/* The text's slope is measured in this many bands down the sheet. */
#define STRAIGHTEN_BANDS 6

/* ------------------------------------------------------------------------
 * Projective transforms
 * ---------------------------------------------------------------------- */

/*
 * The homography h (3x3, h[8] = 1) that takes the points (sx, sy) to (dx,
 * dy): 8 equations, Gaussian elimination with partial pivoting.  Returns 0,
 * or -1 when the points are degenerate.
 */
int photo_homography(const double *sx, const double *sy, const double *dx, const double *dy,
		      double h[9])
{
	double a[8][9];
	int i, j, k;

	for (i = 0; i < 4; i++) {
		double r1[9] = { sx[i], sy[i], 1, 0, 0, 0, -dx[i] * sx[i], -dx[i] * sy[i], dx[i] };
		double r2[9] = { 0, 0, 0, sx[i], sy[i], 1, -dy[i] * sx[i], -dy[i] * sy[i], dy[i] };

		memcpy(a[2 * i], r1, sizeof(r1));
		memcpy(a[2 * i + 1], r2, sizeof(r2));
	}
	for (k = 0; k < 8; k++) {
		int piv = k;

		for (i = k + 1; i < 8; i++)
			if (fabs(a[i][k]) > fabs(a[piv][k]))
				piv = i;
		if (fabs(a[piv][k]) < 1e-12)
			return -1;
		if (piv != k)
			for (j = 0; j < 9; j++) {
				double t = a[k][j];

				a[k][j] = a[piv][j];
				a[piv][j] = t;
			}
		for (i = 0; i < 8; i++) {
			double f;

			if (i == k)
				continue;
			f = a[i][k] / a[k][k];
			for (j = k; j < 9; j++)
				a[i][j] -= f * a[k][j];
		}
	}
	for (i = 0; i < 8; i++)
		h[i] = a[i][8] / a[i][i];
	h[8] = 1;
	return 0;
}

void photo_map(const double h[9], double x, double y, double *ox, double *oy)
{
	double w = h[6] * x + h[7] * y + h[8];

	if (fabs(w) < 1e-12)
		w = 1e-12;
	*ox = (h[0] * x + h[1] * y + h[2]) / w;
	*oy = (h[3] * x + h[4] * y + h[5]) / w;
}

/* ------------------------------------------------------------------------
 * Finding the sheet
 * ---------------------------------------------------------------------- */

/* A line a x + b y = c with a^2 + b^2 = 1. */
struct line {
	double a, b, c;
};

/*
 * The line through points (x[i], y[i]) by total least squares, using only
 * those within `tol` of `prev` when prev is given.  Returns the number of
 * points used.
 */
static int fit_line(const double *x, const double *y, int n, const struct line *prev, double tol,
		    struct line *out)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, mx, my, cxx, cyy, cxy, th;
	int i, m = 0;

	for (i = 0; i < n; i++) {
		if (prev && fabs(prev->a * x[i] + prev->b * y[i] - prev->c) > tol)
			continue;
		sx += x[i];
		sy += y[i];
		m++;
	}
	if (m < 2)
		return 0;
	mx = sx / m;
	my = sy / m;
	for (i = 0; i < n; i++) {
		if (prev && fabs(prev->a * x[i] + prev->b * y[i] - prev->c) > tol)
			continue;
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	cxx = sxx / m;
	cyy = syy / m;
	cxy = sxy / m;
	/* the direction of most spread; the normal is across it */
	th = 0.5 * atan2(2 * cxy, cxx - cyy);
	out->a = -sin(th);
	out->b = cos(th);
	out->c = out->a * mx + out->b * my;
	return m;
}

static int cross(const struct line *p, const struct line *q, double *x, double *y)
{
	double d = p->a * q->b - p->b * q->a;

	if (fabs(d) < 1e-9)
		return -1;
	*x = (p->c * q->b - p->b * q->c) / d;
	*y = (p->a * q->c - p->c * q->a) / d;
	return 0;
}

/* The bright region's mask on the reduced frame: the paper, its text filled. */
static PIX *bright_mask(PIX *g)
{
	NUMA *hist = pixGetGrayHistogram(g, 1);
	l_int32 split = 128;
	int k = (pixGetWidth(g) > pixGetHeight(g) ? pixGetWidth(g) : pixGetHeight(g)) / 40;
	PIX *dark, *bright, *closed, *opened;

	if (hist) {
		if (numaSplitDistribution(hist, 0.1f, &split, NULL, NULL, NULL, NULL, NULL) != 0)
			split = 128;
		numaDestroy(&hist);
	}
	dark = pixThresholdToBinary(g, split);
	if (!dark)
		return NULL;
	bright = pixInvert(NULL, dark);
	pixDestroy(&dark);
	if (!bright)
		return NULL;
	/*
	 * Specks closed over, thin bright things cut off; the text inside the
	 * sheet is filled as holes later.  A small closing: a large one would
	 * join the sheet to a paper under it across the sheet's shadow.
	 */
	closed = pixCloseBrick(NULL, bright, 3, 3);
	pixDestroy(&bright);
	opened = closed ? pixOpenBrick(NULL, closed, (k / 4) | 1, (k / 4) | 1) : NULL;
	pixDestroy(&closed);
	return opened;
}

/* The largest connected region of `mask`, in a mask of the frame's size, holes filled. */
static PIX *largest_region(PIX *mask)
{
	PIXA *pixa = NULL;
	BOXA *boxa = pixConnComp(mask, &pixa, 8);
	l_int32 n = boxa ? boxaGetCount(boxa) : 0, i, best = -1, x, y, w, h;
	l_int32 bestc = 0;
	PIX *out = NULL, *holes, *comp;

	for (i = 0; i < n; i++) {
		PIX *c = pixaGetPix(pixa, i, L_CLONE);
		l_int32 cnt = 0;

		pixCountPixels(c, &cnt, NULL);
		if (cnt > bestc) {
			bestc = cnt;
			best = i;
		}
		pixDestroy(&c);
	}
	if (best >= 0 && boxaGetBoxGeometry(boxa, best, &x, &y, &w, &h) == 0) {
		comp = pixaGetPix(pixa, best, L_CLONE);
		holes = comp ? pixHolesByFilling(comp, 4) : NULL;
		if (holes)
			pixOr(holes, holes, comp);
		out = pixCreate(pixGetWidth(mask), pixGetHeight(mask), 1);
		if (out && holes)
			pixRasterop(out, x, y, w, h, PIX_SRC, holes, 0, 0);
		pixDestroy(&holes);
		pixDestroy(&comp);
	}
	boxaDestroy(&boxa);
	pixaDestroy(&pixa);
	return out;
}

/* The share of a border of the frame the region covers. */
static double border_share(PIX *r, int side)
{
	int w = pixGetWidth(r), h = pixGetHeight(r), n = side % 2 ? h : w, k, on = 0;

	for (k = 0; k < n; k++) {
		l_uint32 v = 0;
		int x = side == 0 ? k : side == 1 ? w - 1 : side == 2 ? k : 0;
		int y = side == 0 ? 0 : side == 1 ? k : side == 2 ? h - 1 : k;

		pixGetPixel(r, x, y, &v);
		on += v != 0;
	}
	return n ? (double)on / n : 0;
}

/*
 * The outline points of the region on each side: for every column its top
 * and bottom, for every row its leftmost and rightmost point.
 */
struct outline {
	double *x[4], *y[4]; /* 0 top, 1 right, 2 bottom, 3 left */
	int n[4];
};

static void outline_find(PIX *r, struct outline *o)
{
	int w = pixGetWidth(r), h = pixGetHeight(r), wpl = pixGetWpl(r), x, y, s;
	l_uint32 *d = pixGetData(r);
	int *top = xmalloc((size_t)w * sizeof(int)), *bot = xmalloc((size_t)w * sizeof(int));

	memset(o, 0, sizeof(*o));
	for (s = 0; s < 4; s++) {
		int m = s % 2 ? h : w;

		o->x[s] = xcalloc((size_t)m + 1, sizeof(double));
		o->y[s] = xcalloc((size_t)m + 1, sizeof(double));
	}
	for (x = 0; x < w; x++)
		top[x] = bot[x] = -1;
	for (y = 0; y < h; y++) {
		l_uint32 *line = d + (size_t)y * (size_t)wpl;
		int left = -1, right = -1;

		for (x = 0; x < w; x++)
			if (GET_DATA_BIT(line, x)) {
				if (left < 0)
					left = x;
				right = x;
				if (top[x] < 0)
					top[x] = y;
				bot[x] = y;
			}
		if (left >= 0) {
			o->x[3][o->n[3]] = left;
			o->y[3][o->n[3]++] = y;
			o->x[1][o->n[1]] = right;
			o->y[1][o->n[1]++] = y;
		}
	}
	for (x = 0; x < w; x++)
		if (top[x] >= 0) {
			o->x[0][o->n[0]] = x;
			o->y[0][o->n[0]++] = top[x];
			o->x[2][o->n[2]] = x;
			o->y[2][o->n[2]++] = bot[x];
		}
	free(top);
	free(bot);
}

static void outline_release(struct outline *o)
{
	for (int s = 0; s < 4; s++) {
		free(o->x[s]);
		free(o->y[s]);
	}
}

/*
 * The straightest long run of a side's outline: of the lines through pairs
 * of its points (taken evenly along it) at most 25 degrees from the side's
 * direction, the one the most points lie within `tol` of, refitted to
 * them.  Where a paper under the sheet or an object sticks out past an
 * edge, the outline follows it over part of the side; the sheet's edge is
 * the longer straight part.
 */
static int robust_edge(const struct outline *o, int s, double tol, struct line *out)
{
	int n = o->n[s], step = n / 60 > 0 ? n / 60 : 1, best = 0, i, j, k;
	struct line cand, bestl;

	memset(&bestl, 0, sizeof(bestl));
	for (i = 0; i < n; i += step)
		for (j = i + step; j < n; j += step) {
			double dx = o->x[s][j] - o->x[s][i], dy = o->y[s][j] - o->y[s][i];
			double len = hypot(dx, dy);
			int in = 0;

			if (len < 1)
				continue;
			/* top and bottom run across, left and right down */
			if (s % 2 == 0 ? fabs(dy) > 0.47 * len : fabs(dx) > 0.47 * len)
				continue;
			cand.a = -dy / len;
			cand.b = dx / len;
			cand.c = cand.a * o->x[s][i] + cand.b * o->y[s][i];
			for (k = 0; k < n; k++)
				in += fabs(cand.a * o->x[s][k] + cand.b * o->y[s][k] - cand.c) <= tol;
			if (in > best) {
				best = in;
				bestl = cand;
			}
		}
	if (best < 10 || fit_line(o->x[s], o->y[s], n, &bestl, tol, out) < 10)
		return -1;
	return 0;
}

/*
 * The edge between corners a and b on side s: the outline points of that
 * side whose place along the edge is in its middle part, a line fitted to
 * them, then again to those near it.
 */
static int fit_edge(const struct outline *o, int s, double ax, double ay, double bx, double by,
		    double tol, struct line *out)
{
	double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, *px, *py;
	int i, m = 0, ok;

	if (len2 < 1)
		return -1;
	px = xmalloc((size_t)(o->n[s] + 1) * sizeof(double));
	py = xmalloc((size_t)(o->n[s] + 1) * sizeof(double));
	for (i = 0; i < o->n[s]; i++) {
		double t = ((o->x[s][i] - ax) * dx + (o->y[s][i] - ay) * dy) / len2;

		if (t > 0.1 && t < 0.9) {
			px[m] = o->x[s][i];
			py[m++] = o->y[s][i];
		}
	}
	ok = fit_line(px, py, m, NULL, 0, out) >= 10 && fit_line(px, py, m, out, tol, out) >= 10 &&
	     fit_line(px, py, m, out, tol / 3, out) >= 10;
	free(px);
	free(py);
	return ok ? 0 : -1;
}

/* Is the quadrilateral (corners in order) convex, with corners near right angles? */
static int plausible_quad(const double *x, const double *y)
{
	for (int i = 0; i < 4; i++) {
		double ax = x[(i + 3) % 4] - x[i], ay = y[(i + 3) % 4] - y[i];
		double bx = x[(i + 1) % 4] - x[i], by = y[(i + 1) % 4] - y[i];
		double la = hypot(ax, ay), lb = hypot(bx, by), c;

		if (la < 10 || lb < 10)
			return 0;
		c = (ax * bx + ay * by) / (la * lb);
		/* perspective up to about 8 degrees: corners within 65 to 115 degrees */
		if (fabs(c) > 0.42 || ax * by - ay * bx > 0)
			return 0;
	}
	return 1;
}

int photo_find_sheet(PIX *in, struct sheet *s)
{
	int w = pixGetWidth(in), h = pixGetHeight(in), side = w > h ? w : h, i;
	double f = side > WORK_SIDE ? (double)WORK_SIDE / side : 1.0;
	PIX *g8 = NULL, *g = NULL, *mask = NULL, *r = NULL;
	struct outline o;
	double cx[4], cy[4], best[4];
	struct line edge[4];
	l_int32 cnt = 0;
	int covered = 0, ret = 0;

	memset(s, 0, sizeof(*s));
	memset(&o, 0, sizeof(o));
	s->frame_w = w;
	s->frame_h = h;
	g8 = pixConvertTo8(in, 0);
	if (g8 && f < 0.7)
		g = pixScaleAreaMapToSize(g8, (int)(w * f + 0.5), (int)(h * f + 0.5));
	else
		g = g8 ? pixScale(g8, (float)f, (float)f) : NULL;
	mask = g ? bright_mask(g) : NULL;
	r = mask ? largest_region(mask) : NULL;
	if (!r)
		goto done;
	pixCountPixels(r, &cnt, NULL);
	/* half to nine tenths of the frame, as a phone frames a page */
	if (cnt < 0.15 * pixGetWidth(r) * pixGetHeight(r) ||
	    cnt > 0.97 * pixGetWidth(r) * pixGetHeight(r))
		goto done;
	for (i = 0; i < 4; i++)
		covered += border_share(r, i) > 0.6;
	if (covered >= 3) {
		s->fills_frame = 1; /* a scan: the paper is the whole frame */
		goto done;
	}
	outline_find(r, &o);
	/* first corners: the extremes along the diagonals */
	best[0] = best[1] = best[2] = best[3] = -1e18;
	for (int sd = 0; sd < 4; sd++)
		for (i = 0; i < o.n[sd]; i++) {
			double x = o.x[sd][i], y = o.y[sd][i];
			double v[4] = { -(x + y), x - y, x + y, y - x }; /* TL, TR, BR, BL */

			for (int c = 0; c < 4; c++)
				if (v[c] > best[c]) {
					best[c] = v[c];
					cx[c] = x;
					cy[c] = y;
				}
		}
	/*
	 * then the crossings of the four edges: each the straightest long run
	 * of its side's outline, or failing that the line between the first
	 * corners
	 */
	for (i = 0; i < 4; i++) {
		double tol = 0.03 * (pixGetWidth(r) + pixGetHeight(r)) / 2;

		if (robust_edge(&o, i, 0.004 * (pixGetWidth(r) + pixGetHeight(r)), &edge[i]) < 0 &&
		    fit_edge(&o, i, cx[i], cy[i], cx[(i + 1) % 4], cy[(i + 1) % 4], tol, &edge[i]) <
			    0)
			goto done;
	}
	for (i = 0; i < 4; i++) {
		double x, y;

		/* corner i is where edge i-1 (before it) meets edge i (after it) */
		if (cross(&edge[(i + 3) % 4], &edge[i], &x, &y) < 0)
			goto done;
		cx[i] = x;
		cy[i] = y;
	}
	if (!plausible_quad(cx, cy))
		goto done;
	/* the sheet is the whole frame (a scan, its edges worn by the closing): nothing to do */
	{
		double fw = pixGetWidth(r), fh = pixGetHeight(r), diag = hypot(fw, fh);
		double fx[4] = { 0, fw, fw, 0 }, fy[4] = { 0, 0, fh, fh };
		int near = 0;

		for (i = 0; i < 4; i++)
			near += hypot(cx[i] - fx[i], cy[i] - fy[i]) < 0.04 * diag;
		if (near == 4) {
			s->fills_frame = 1;
			goto done;
		}
	}
	for (i = 0; i < 4; i++) {
		s->x[i] = (cx[i] + 0.5) / f;
		s->y[i] = (cy[i] + 0.5) / f;
	}
	s->found = 1;
	ret = 1;
done:
	outline_release(&o);
	pixDestroy(&g8);
	pixDestroy(&g);
	pixDestroy(&mask);
	pixDestroy(&r);
	return ret;
}

/* ------------------------------------------------------------------------
 * Bringing it upright
 * ---------------------------------------------------------------------- */

PIX *photo_rectify(PIX *grey, struct sheet *s)
{
	double top = hypot(s->x[1] - s->x[0], s->y[1] - s->y[0]);
	double bottom = hypot(s->x[2] - s->x[3], s->y[2] - s->y[3]);
	double left = hypot(s->x[3] - s->x[0], s->y[3] - s->y[0]);
	double right = hypot(s->x[2] - s->x[1], s->y[2] - s->y[1]);
	int W = (int)((top + bottom) / 2 + 0.5), H = (int)((left + right) / 2 + 0.5), X, Y;
	double dx[4], dy[4];
	int ws = pixGetWidth(grey), hs = pixGetHeight(grey), wpls = pixGetWpl(grey), wpld;
	l_uint32 *ds = pixGetData(grey), *dd;
	PIX *out;

	if (pixGetDepth(grey) != 8 || W < 16 || H < 16)
		return NULL;
	dx[0] = 0, dy[0] = 0, dx[1] = W, dy[1] = 0, dx[2] = W, dy[2] = H, dx[3] = 0, dy[3] = H;
	/* from the upright sheet to the frame: what each of its pixels samples */
	if (photo_homography(dx, dy, s->x, s->y, s->to_frame) < 0)
		return NULL;
	out = pixCreate(W, H, 8);
	if (!out)
		return NULL;
	wpld = pixGetWpl(out);
	dd = pixGetData(out);
	for (Y = 0; Y < H; Y++) {
		l_uint32 *ld = dd + (size_t)Y * (size_t)wpld;

		for (X = 0; X < W; X++) {
			double sx, sy, fx, fy;
			int x0, y0, v = 255;

			photo_map(s->to_frame, X + 0.5, Y + 0.5, &sx, &sy);
			sx -= 0.5;
			sy -= 0.5;
			x0 = (int)floor(sx);
			y0 = (int)floor(sy);
			if (x0 >= 0 && y0 >= 0 && x0 + 1 < ws && y0 + 1 < hs) {
				const l_uint32 *l0 = ds + (size_t)y0 * (size_t)wpls, *l1 = l0 + wpls;
				double a = GET_DATA_BYTE(l0, x0), b = GET_DATA_BYTE(l0, x0 + 1);
				double c = GET_DATA_BYTE(l1, x0), d = GET_DATA_BYTE(l1, x0 + 1);

				fx = sx - x0;
				fy = sy - y0;
				v = (int)((a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy +
					  0.5);
			}
			SET_DATA_BYTE(ld, X, v);
		}
	}
	s->w = W;
	s->h = H;
	return out;
}

/* ------------------------------------------------------------------------
 * Straightening by the text
 * ---------------------------------------------------------------------- */

/*
 * The slope (dy/dx) of the text lines in rows [y0, y1) of the binary page
 * `bin` (text black): 0 with *slope and the rows' ink-weighted middle in
 * *ym, or -1 when the rows hold too little text to tell.
 */
static int band_slope(PIX *bin, const NUMA *rows, int y0, int y1, double *slope, double *ym)
{
	BOX *b = boxCreate(0, y0, pixGetWidth(bin), y1 - y0);
	PIX *part = b ? pixClipRectangle(bin, b, NULL) : NULL;
	l_float32 angle = 0, conf = 0;
	double sum = 0, wsum = 0;
	int ok;

	ok = part && pixFindSkewSweepAndSearch(part, &angle, &conf, 2, 1, 7.0f, 1.0f, 0.01f) == 0 && conf >= 2.5f &&
	     fabsf(angle) <= 8.0f;
	for (int y = y0; y < y1; y++) {
		l_float32 v = 0;

		numaGetFValue((NUMA *)rows, y, &v);
		sum += v * (y + 0.5);
		wsum += v;
	}
	pixDestroy(&part);
	boxDestroy(&b);
	if (!ok || wsum <= 0)
		return -1;
	/* Leptonica's angle turns the page clockwise to straighten it */
	*slope = -tan(angle * M_PI / 180.0);
	*ym = sum / wsum;
	return 0;
}

int photo_straighten(PIX *rect, struct sheet *s)
{
	PIX *half = pixGetDepth(rect) == 8 ? pixScaleAreaMap2(rect) : NULL;
	PIX *norm = half ? pixBackgroundNormSimple(half, NULL, NULL) : NULL;
	PIX *bin = norm ? pixThresholdToBinary(norm, 160) : NULL;
	NUMA *rows = NULL;
	int n = 0, y, top = -1, bot = -1, ret = 0, k;
	double st, sb, yt, yb, w, hh;

	if (bin) {
		/* the sheet's edges left out: the desk shows there where a corner was off */
		int bw = pixGetWidth(bin), bh = pixGetHeight(bin);

		pixRasterop(bin, 0, 0, bw, bh / 25, PIX_CLR, NULL, 0, 0);
		pixRasterop(bin, 0, bh - bh / 25, bw, bh / 25, PIX_CLR, NULL, 0, 0);
		pixRasterop(bin, 0, 0, bw / 20, bh, PIX_CLR, NULL, 0, 0);
		pixRasterop(bin, bw - bw / 20, 0, bw / 20, bh, PIX_CLR, NULL, 0, 0);
		rows = pixCountPixelsByRow(bin, NULL);
		n = rows ? numaGetCount(rows) : 0;
	}
	/* the text's rows, in bands of a few lines each */
	for (y = 0; y < n; y++) {
		l_float32 v = 0;

		numaGetFValue(rows, y, &v);
		if (v > 0 && top < 0)
			top = y;
		if (v > 0)
			bot = y + 1;
	}
	if (top < 0 || bot - top < n / 5)
		goto done;
	/*
	 * the slope of the lines in each band, then a line fitted to the
	 * slopes along the page (a signature or a stamp gives none)
	 */
	{
		double sy = 0, ss = 0, syy = 0, sys = 0, cnt = 0, ymin = 1e18, ymax = -1e18, det;

		for (k = 0; k < STRAIGHTEN_BANDS; k++) {
			int y0 = top + (bot - top) * k / STRAIGHTEN_BANDS;
			int y1 = top + (bot - top) * (k + 1) / STRAIGHTEN_BANDS;
			double sl, ym;

			if (band_slope(bin, rows, y0, y1, &sl, &ym) < 0)
				continue;
			sy += ym;
			ss += sl;
			syy += ym * ym;
			sys += ym * sl;
			cnt++;
			ymin = ym < ymin ? ym : ymin;
			ymax = ym > ymax ? ym : ymax;
		}
		det = cnt * syy - sy * sy;
		if (cnt < 2 || ymax - ymin < n / 6.0 || fabs(det) < 1e-9)
			goto done;
		{
			double b = (cnt * sys - sy * ss) / det, a = (ss - b * sy) / cnt;

			yt = ymin;
			yb = ymax;
			st = a + b * yt;
			sb = a + b * yb;
		}
	}
	/* lines that turn less than this between the two are the deskew's to straighten */
	if (fabs(atan(st) - atan(sb)) < 0.15 * M_PI / 180.0)
		goto done;
	/*
	 * The lines of the two bands meet at a vanishing point: the corners
	 * found were off.  The projective map that takes both lines level
	 * (their points at the left and right edges to the same height) takes
	 * every line of the pencil level; the sheet's corners are moved by it.
	 */
	w = pixGetWidth(rect);
	hh = pixGetHeight(rect);
	{
		double xc = w / 2.0, ytf = 2 * yt, ybf = 2 * yb; /* half page to page */
		double px[4] = { 0, w, w, 0 }, py[4] = { ytf - st * xc, ytf + st * xc,
							  ybf + sb * xc, ybf - sb * xc };
		double qx[4] = { 0, w, w, 0 }, qy[4] = { ytf, ytf, ybf, ybf };
		double back[9], cx[4] = { 0, w, w, 0 }, cy[4] = { 0, 0, hh, hh };
		double nx[4], ny[4];

		if (photo_homography(qx, qy, px, py, back) < 0)
			goto done;
		for (k = 0; k < 4; k++) {
			double rx, ry;

			photo_map(back, cx[k], cy[k], &rx, &ry);
			photo_map(s->to_frame, rx, ry, &nx[k], &ny[k]);
		}
		if (!plausible_quad(nx, ny))
			goto done;
		for (k = 0; k < 4; k++) {
			s->x[k] = nx[k];
			s->y[k] = ny[k];
		}
		ret = 1;
	}
done:
	numaDestroy(&rows);
	pixDestroy(&bin);
	pixDestroy(&norm);
	pixDestroy(&half);
	return ret;
}
