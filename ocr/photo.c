/*
 * photo.c — a page photographed rather than scanned: the sheet found in
 * the frame (the paper on a desk, with other things around it) and brought
 * upright to a rectangle by a projective transform, the desk and the
 * clutter dropped.
 *
 * The sheet is found on the frame reduced to WORK_SIDE.  Its edges are
 * long straight lines of the frame's gradient, found by a Hough transform
 * of the edge points (where the brightness or the tint changes most,
 * thinned), with the lines of the outline of the largest bright region as
 * further candidates.  The sheet is the quadrilateral of four candidates
 * (convex, corners near right angles) whose sides show an edge, the sheet
 * brighter inside, along most of their length: a side running over the
 * desk or over a paper lying under the sheet, where no edge is, counts
 * against it, so that the union of the sheet and a paper under it loses
 * to the sheet; the longer a supported outline the better, so that an A3
 * spread (two pages, a dark gutter between them) is one sheet, not one of
 * its pages.  The edges chosen are fitted again to their points between
 * the corners.  A region that fills the frame to three of its borders is
 * a scan, not a photo, and is left alone.
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

/*
 * The share of a border of the frame the region covers, a hundredth of the
 * frame in from it (past a scanner's dark rim at the very edge).
 */
static double border_share(PIX *r, int side)
{
	int w = pixGetWidth(r), h = pixGetHeight(r), n = side % 2 ? h : w, k, on = 0;
	int ix = w / 100 + 1, iy = h / 100 + 1;

	for (k = 0; k < n; k++) {
		l_uint32 v = 0;
		int x = side == 0 ? k : side == 1 ? w - 1 - ix : side == 2 ? k : ix;
		int y = side == 0 ? iy : side == 1 ? k : side == 2 ? h - 1 - iy : k;

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
				in +=
				    fabs(cand.a * o->x[s][k] + cand.b * o->y[s][k] - cand.c) <= tol;
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

/* ------------------------------------------------------------------------
 * The sheet's edges from the frame's gradient
 * ---------------------------------------------------------------------- */

/* Directions in half degrees: 0 is +x, NDIR / 4 is +y (down). */
#define NDIR 720
/* An edge point is one where the colour changes by this much per pixel, or more. */
#define EDGE_MIN 1.5f
/* A point's direction matches a line's within this many half degrees. */
#define DIR_TOL 24
/* Candidate lines kept per side of the sheet. */
#define NCAND 16

/*
 * The edge points of the reduced frame: where the colour changes most
 * across, thinned to one pixel across the change.  dir[] holds for each
 * pixel -1 (no edge); the direction the frame grows brighter in, 0 to NDIR
 * - 1; or NDIR plus the axis of the change, 0 to NDIR / 2 - 1, when it is
 * a change of tint more than of brightness (a tinted paper beside a white
 * one).
 */
struct edgemap {
	int w, h;
	short *dir;
};

/* atan2 within 0.001 degree: a polynomial for atan on [0, 1], the octants by symmetry */
static float fast_atan2f(float y, float x)
{
	float ax = fabsf(x), ay = fabsf(y), a, s, r;

	if (ax == 0 && ay == 0)
		return 0;
	a = fminf(ax, ay) / fmaxf(ax, ay);
	s = a * a;
	r = ((-0.0464964749f * s + 0.15931422f) * s - 0.327622764f) * s * a + a;
	if (ay > ax)
		r = 1.57079637f - r;
	if (x < 0)
		r = 3.14159274f - r;
	return y < 0 ? -r : r;
}

/*
 * Row y of the channels of `small` (brightness, red - green, yellow -
 * blue; brightness only for grey) passed horizontally through the two
 * halves of the separable 5x5 kernels below: hd the difference (-1 -1 0 1
 * 1), hs the smoothing (1 3 4 3 1).
 */
static void edge_row(PIX *small, int nc, int y, float *ch, float *hd, float *hs)
{
	int w = pixGetWidth(small), x, c;
	const l_uint32 *line = pixGetData(small) + (size_t)y * pixGetWpl(small);

	for (x = 0; x < w; x++) {
		if (nc == 3) {
			float r = (float)((line[x] >> L_RED_SHIFT) & 0xff);
			float g = (float)((line[x] >> L_GREEN_SHIFT) & 0xff);
			float b = (float)((line[x] >> L_BLUE_SHIFT) & 0xff);

			ch[x] = 0.3f * r + 0.5f * g + 0.2f * b;
			ch[w + x] = r - g;
			ch[2 * w + x] = (r + g) / 2 - b;
		} else {
			ch[x] = (float)GET_DATA_BYTE(line, x);
		}
	}
	for (c = 0; c < nc; c++) {
		const float *p = ch + c * w;
		float *d = hd + c * w, *s = hs + c * w;

		d[0] = d[1] = d[w - 2] = d[w - 1] = 0;
		s[0] = s[1] = s[w - 2] = s[w - 1] = 0;
		for (x = 2; x < w - 2; x++) {
			d[x] = p[x + 2] + p[x + 1] - p[x - 1] - p[x - 2];
			s[x] = p[x - 2] + 3 * p[x - 1] + 4 * p[x] + 3 * p[x + 1] + p[x + 2];
		}
	}
}

/*
 * The edge map of `small` (the reduced frame, 8 or 32 bits): the gradient
 * of the brightness and of two differences of colour (red - green, yellow
 * - blue), each a Sobel operator after a 3x3 mean (together one separable
 * 5x5 kernel); at each pixel the direction of the largest change of the
 * three together (Di Zenzo's), kept where that change is a local maximum
 * across.  Returns 0, or -1 when the frame is too small.  The caller frees
 * em->dir.
 */
static int edgemap_build(PIX *small, struct edgemap *em)
{
	static const float kv[5] = { 1, 3, 4, 3, 1 }, kd[5] = { -1, -1, 0, 1, 1 };
	int w = pixGetWidth(small), h = pixGetHeight(small);
	int nc = pixGetDepth(small) == 32 ? 3 : 1, x, y, c, k;
	size_t n = (size_t)w * h;
	float *ring, *ch, *gxx, *gyy, *gxy, *lx, *ly, *mag;
	short *ang;
	signed char *pol;

	em->w = w;
	em->h = h;
	em->dir = NULL;
	if (w < 16 || h < 16 || (pixGetDepth(small) != 8 && nc == 1))
		return -1;
	/* five rows of hd then hs for each channel, a ring */
	ring = xmalloc((size_t)5 * 2 * nc * w * sizeof(float));
	ch = xmalloc((size_t)3 * w * sizeof(float));
	gxx = xmalloc((size_t)5 * w * sizeof(float));
	gyy = gxx + w;
	gxy = gyy + w;
	lx = gxy + w;
	ly = lx + w;
	mag = xcalloc(n, sizeof(float));
	ang = xmalloc(n * sizeof(short));
	pol = xmalloc(n);
	for (y = 0; y < 4; y++)
		edge_row(small, nc, y, ch, ring + (size_t)y * 2 * nc * w,
			 ring + (size_t)y * 2 * nc * w + nc * w);
	for (y = 2; y < h - 2; y++) {
		const float *hd[5], *hs[5];

		k = (y + 2) % 5;
		edge_row(small, nc, y + 2, ch, ring + (size_t)k * 2 * nc * w,
			 ring + (size_t)k * 2 * nc * w + nc * w);
		memset(gxx, 0, (size_t)3 * w * sizeof(float));
		for (c = 0; c < nc; c++) {
			for (k = 0; k < 5; k++) {
				float *row = ring + (size_t)((y - 2 + k) % 5) * 2 * nc * w;

				hd[k] = row + c * w;
				hs[k] = row + nc * w + c * w;
			}
			for (x = 0; x < w; x++) {
				/* normalised to the change per pixel of a ramp */
				float gx = (kv[0] * hd[0][x] + kv[1] * hd[1][x] + kv[2] * hd[2][x] +
					    kv[3] * hd[3][x] + kv[4] * hd[4][x]) /
					   72;
				float gy = (kd[0] * hs[0][x] + kd[1] * hs[1][x] + kd[3] * hs[3][x] +
					    kd[4] * hs[4][x]) /
					   72;

				gxx[x] += gx * gx;
				gyy[x] += gy * gy;
				gxy[x] += gx * gy;
				if (c == 0) {
					lx[x] = gx;
					ly[x] = gy;
				}
			}
		}
		for (x = 2; x < w - 2; x++) {
			size_t i = (size_t)y * w + x;
			float dd, m, c2, co, si, s;

			/* the larger eigenvalue is at most the trace */
			if (gxx[x] + gyy[x] < EDGE_MIN * EDGE_MIN)
				continue;
			dd = sqrtf((gxx[x] - gyy[x]) * (gxx[x] - gyy[x]) + 4 * gxy[x] * gxy[x]);
			m = (gxx[x] + gyy[x] + dd) / 2;
			if (m < EDGE_MIN * EDGE_MIN)
				continue;
			mag[i] = sqrtf(m);
			/* the direction from its double angle */
			c2 = dd > 0 ? (gxx[x] - gyy[x]) / dd : 1;
			co = sqrtf(fmaxf(0, (1 + c2) / 2));
			si = copysignf(sqrtf(fmaxf(0, (1 - c2) / 2)), gxy[x]);
			ang[i] = (short)lroundf(fast_atan2f(si, co) * (NDIR / 2) / (float)M_PI);
			s = lx[x] * co + ly[x] * si;
			pol[i] = s > 0.5f * mag[i] ? 1 : s < -0.5f * mag[i] ? -1 : 0;
		}
	}
	em->dir = xmalloc(n * sizeof(short));
	for (size_t i = 0; i < n; i++)
		em->dir[i] = -1;
	for (y = 1; y < h - 1; y++)
		for (x = 1; x < w - 1; x++) {
			size_t i = (size_t)y * w + x;
			int a, dx, dy;

			if (mag[i] == 0)
				continue;
			/* thinned: a maximum along the direction of change (-90 to 90 degrees) */
			a = ang[i];
			dx = abs(a) < 3 * NDIR / 16 ? 1 : 0;
			dy = a > NDIR / 16 ? 1 : a < -NDIR / 16 ? -1 : 0;
			if (mag[i] < mag[i + dy * w + dx] || mag[i] <= mag[i - dy * w - dx])
				continue;
			if (pol[i])
				em->dir[i] =
				    (short)(((pol[i] > 0 ? a : a + NDIR / 2) + NDIR) % NDIR);
			else
				em->dir[i] = (short)(NDIR + (a + NDIR) % (NDIR / 2));
		}
	free(ring);
	free(ch);
	free(gxx);
	free(mag);
	free(ang);
	free(pol);
	return 0;
}

/* Does the edge point direction `d` match the line direction `th` (half degrees)? */
static int dir_match(int d, int th)
{
	int diff;

	if (d < 0)
		return 0;
	if (d < NDIR) {
		diff = abs(d - th) % NDIR;
		if (diff > NDIR / 2)
			diff = NDIR - diff;
	} else {
		diff = abs(d - NDIR - th % (NDIR / 2)) % (NDIR / 2);
		if (diff > NDIR / 4)
			diff = NDIR / 2 - diff;
	}
	return diff <= DIR_TOL;
}

static int edge_at(const struct edgemap *em, double x, double y)
{
	int ix = (int)lround(x), iy = (int)lround(y);

	if (ix < 0 || iy < 0 || ix >= em->w || iy >= em->h)
		return -1;
	return em->dir[(size_t)iy * em->w + ix];
}

/* The direction of a line's normal (a, b), half degrees. */
static int line_dir(const struct line *l)
{
	int k = (int)lround(atan2(l->b, l->a) * (NDIR / 2) / M_PI);

	return (k + NDIR) % NDIR;
}

/*
 * Positions along a line: t = -b x + a y; the point at t is (a c - b t, b
 * c + a t).  The range of t over the frame.
 */
static void line_span(const struct line *l, int w, int h, int *t0, int *t1)
{
	double xs[4] = { 0, w - 1, w - 1, 0 }, ys[4] = { 0, 0, h - 1, h - 1 }, lo = 1e18,
	       hi = -1e18;

	for (int i = 0; i < 4; i++) {
		double t = -l->b * xs[i] + l->a * ys[i];

		lo = fmin(lo, t);
		hi = fmax(hi, t);
	}
	*t0 = (int)floor(lo);
	*t1 = (int)ceil(hi);
}

/*
 * The edge points matching line `l` within `band` pixels of it and whose
 * position along it is within [tlo, thi], into px, py (room for `max`).
 * Returns how many.
 */
static int line_points(const struct edgemap *em, const struct line *l, double band, int tlo,
		       int thi, double *px, double *py, int max)
{
	int th = line_dir(l), m = 0, t, k, nb = (int)band;

	for (t = tlo; t <= thi; t++) {
		double x = l->a * l->c - l->b * t, y = l->b * l->c + l->a * t;

		for (k = -nb; k <= nb && m < max; k++) {
			double qx = x + k * l->a, qy = y + k * l->b;

			if (dir_match(edge_at(em, qx, qy), th)) {
				px[m] = (double)lround(qx);
				py[m++] = (double)lround(qy);
			}
		}
	}
	return m;
}

/*
 * Line `l` fitted again to the edge points near it between tlo and thi:
 * within 3 pixels, then 1.5 of the first fit; its normal keeps its side.
 * Returns 0, or -1 when too few points lie near it.
 */
static int line_refine(const struct edgemap *em, struct line *l, int tlo, int thi)
{
	int max = 7 * (thi - tlo + 1) + 1, m, ok;
	double *px, *py;
	struct line f;

	if (thi - tlo < 10)
		return -1;
	px = xmalloc((size_t)max * sizeof(double));
	py = xmalloc((size_t)max * sizeof(double));
	m = line_points(em, l, 3, tlo, thi, px, py, max);
	ok = fit_line(px, py, m, l, 3, &f) >= 10 && fit_line(px, py, m, &f, 1.5, &f) >= 10;
	free(px);
	free(py);
	if (!ok)
		return -1;
	if (f.a * l->a + f.b * l->b < 0) {
		f.a = -f.a;
		f.b = -f.b;
		f.c = -f.c;
	}
	*l = f;
	return 0;
}

/* A candidate edge of the sheet and where along it the frame shows an edge. */
struct cand {
	struct line l; /* (a, b) points into the sheet, towards the brighter side */
	int t0, n;     /* positions t0 .. t0 + n - 1 along it */
	int *cum;      /* cum[i]: how many of the first i positions show an edge */
};

static void cand_support(const struct edgemap *em, struct cand *cd)
{
	int t1, th = line_dir(&cd->l), i;

	line_span(&cd->l, em->w, em->h, &cd->t0, &t1);
	cd->n = t1 - cd->t0 + 1;
	cd->cum = xmalloc((size_t)(cd->n + 1) * sizeof(int));
	cd->cum[0] = 0;
	for (i = 0; i < cd->n; i++) {
		double t = cd->t0 + i, x = cd->l.a * cd->l.c - cd->l.b * t;
		double y = cd->l.b * cd->l.c + cd->l.a * t;
		int on = 0;

		for (int k = -1; k <= 1 && !on; k++)
			on = dir_match(edge_at(em, x + k * cd->l.a, y + k * cd->l.b), th);
		cd->cum[i + 1] = cd->cum[i] + on;
	}
}

/* How many positions between t = ta and t = tb show an edge. */
static int cand_count(const struct cand *cd, double ta, double tb)
{
	int a = (int)lround(fmin(ta, tb)) - cd->t0, b = (int)lround(fmax(ta, tb)) - cd->t0;

	a = a < 0 ? 0 : a > cd->n ? cd->n : a;
	b = b < 0 ? 0 : b > cd->n ? cd->n : b;
	return cd->cum[b] - cd->cum[a];
}

/*
 * The candidate lines of each side of the sheet (0 top, 1 right, 2 bottom,
 * 3 left): the strongest lines of a Hough transform of the edge points,
 * each voting for the lines through it within 3 degrees of its direction,
 * the side told by the direction the sheet lies in (within 35 degrees of
 * down, left, up, right), each line then fitted to its points.
 */
struct cands {
	struct cand c[4][NCAND + 1];
	int n[4];
};

static void cands_release(struct cands *cs)
{
	for (int s = 0; s < 4; s++)
		for (int i = 0; i < cs->n[s]; i++)
			free(cs->c[s][i].cum);
}

/* Add line `l` as a candidate of side s unless one nearly the same is there. */
static void cands_add(struct cands *cs, const struct edgemap *em, int s, const struct line *l)
{
	struct cand *cd;

	for (int i = 0; i < cs->n[s]; i++) {
		const struct line *o = &cs->c[s][i].l;
		double mx = em->w / 2.0, my = em->h / 2.0;

		/* nearly parallel, and near each other in the middle of the frame */
		if (o->a * l->a + o->b * l->b > 0.9998 &&
		    fabs((o->a * mx + o->b * my - o->c) - (l->a * mx + l->b * my - l->c)) < 2)
			return;
	}
	if (cs->n[s] > NCAND)
		return;
	cd = &cs->c[s][cs->n[s]++];
	cd->l = *l;
	cand_support(em, cd);
}

static void cands_from_hough(struct cands *cs, const struct edgemap *em)
{
	int w = em->w, h = em->h, roff = (int)ceil(hypot(w, h)) + 2, nr = 2 * roff + 1;
	unsigned short *acc = xcalloc((size_t)NDIR * nr, sizeof(unsigned short));
	double cs_[NDIR], sn[NDIR];
	int x, y, k, s;
	int minv = (w < h ? w : h) / 12;

	for (k = 0; k < NDIR; k++) {
		cs_[k] = cos(k * M_PI / (NDIR / 2));
		sn[k] = sin(k * M_PI / (NDIR / 2));
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int d = em->dir[(size_t)y * w + x], both = d >= NDIR;

			if (d < 0)
				continue;
			if (both)
				d -= NDIR;
			for (int pass = 0; pass <= both; pass++, d += NDIR / 2)
				for (k = -6; k <= 6; k++) {
					int t = (d + k + NDIR) % NDIR;
					int r = (int)(x * cs_[t] + y * sn[t] + roff + 0.5);
					unsigned short *a = acc + (size_t)t * nr + r;

					if (*a < 65535)
						(*a)++;
				}
		}
	for (s = 0; s < 4; s++) {
		/* the sheet lies down from its top edge, left of its right edge... */
		int centre = ((s + 1) % 4) * (NDIR / 4), npk = 0, i, j;
		struct {
			int t, r, v;
		} pk[3 * NCAND];

		for (k = -70; k <= 70; k++) {
			int t = (centre + k + NDIR) % NDIR;
			const unsigned short *row = acc + (size_t)t * nr;

			for (int r = 1; r < nr - 1; r++) {
				int v = row[r], peak = 1;

				if (v < minv)
					continue;
				for (int dt = -6; dt <= 6 && peak; dt++) {
					const unsigned short *o =
					    acc + (size_t)((t + dt + NDIR) % NDIR) * nr;

					for (int dr = -6; dr <= 6 && peak; dr++) {
						int rr = r + dr, u;

						if ((dt == 0 && dr == 0) || rr < 0 || rr >= nr)
							continue;
						u = o[rr];
						/* ties: the first in scan order */
						if (u > v ||
						    (u == v && (dt < 0 || (dt == 0 && dr < 0))))
							peak = 0;
					}
				}
				if (!peak)
					continue;
				/* insert among the strongest */
				for (i = npk; i > 0 && pk[i - 1].v < v; i--)
					if (i < 3 * NCAND)
						pk[i] = pk[i - 1];
				if (i < 3 * NCAND) {
					pk[i].t = t;
					pk[i].r = r;
					pk[i].v = v;
					if (npk < 3 * NCAND)
						npk++;
				}
			}
		}
		for (j = 0; j < npk && cs->n[s] < NCAND; j++) {
			struct line l = { cs_[pk[j].t], sn[pk[j].t], pk[j].r - roff };
			int t0, t1;

			line_span(&l, w, h, &t0, &t1);
			if (line_refine(em, &l, t0, t1) == 0)
				cands_add(cs, em, s, &l);
		}
	}
	free(acc);
}

/* Where candidates p of side s - 1 and q of side s meet: corner s. */
struct corner {
	double x, y;
	int ok; /* inside the frame, or nearly */
};

/* The score of side s of a quadrilateral: its supported length less its unsupported length. */
static double side_score(const struct cand *cd, const struct corner *a, const struct corner *b)
{
	double ta = -cd->l.b * a->x + cd->l.a * a->y, tb = -cd->l.b * b->x + cd->l.a * b->y;

	return 2 * cand_count(cd, ta, tb) - fabs(tb - ta);
}

/*
 * Is the quadrilateral of corners c, sides of candidates i, one: convex,
 * corners near right angles, each side with the sheet on its brighter
 * side (not a quadrilateral inside out)?
 */
static int quad_ok(const struct cands *cs, const int *i, const struct corner *const *c)
{
	double x[4], y[4];
	int k;

	for (k = 0; k < 4; k++) {
		x[k] = c[k]->x;
		y[k] = c[k]->y;
	}
	if (!plausible_quad(x, y))
		return 0;
	for (k = 0; k < 4; k++) {
		const struct line *l = &cs->c[k][i[k]].l;
		int j = (k + 2) % 4;
		double ox = (x[j] + x[(j + 1) % 4]) / 2, oy = (y[j] + y[(j + 1) % 4]) / 2;

		if (l->a * ox + l->b * oy <= l->c)
			return 0;
	}
	return 1;
}

/*
 * The best quadrilateral of candidate edges: the one whose sides show an
 * edge along most of their length, the more of it the better (a side
 * supported all along adds its length, a side running over desk or paper
 * with no edge takes its length away).  Corners in order top left, top
 * right, bottom right, bottom left; which[s] the candidate of side s.
 * Returns the score, or -1e18 when no quadrilateral is plausible.
 */
static double best_quad(const struct cands *cs, int w, int h, int which[4], double *qx, double *qy)
{
	const int nmax = NCAND + 1;
	double best = -1e18, mx = 0.02 * (w + h) / 2;
	struct corner *ct = xmalloc((size_t)4 * nmax * nmax * sizeof(*ct));
	int i[4], k;

	/* corner k of candidate p of side k - 1 and q of side k: ct[(k * nmax + p) * nmax + q] */
	for (k = 0; k < 4; k++)
		for (int p = 0; p < cs->n[(k + 3) % 4]; p++)
			for (int q = 0; q < cs->n[k]; q++) {
				struct corner *c = &ct[(k * nmax + p) * nmax + q];

				c->ok = cross(&cs->c[(k + 3) % 4][p].l, &cs->c[k][q].l, &c->x,
					      &c->y) == 0 &&
					c->x > -mx && c->y > -mx && c->x < w + mx && c->y < h + mx;
			}
#define CORNER(k, p, q) (&ct[((k)*nmax + (p)) * nmax + (q)])
	for (i[0] = 0; i[0] < cs->n[0]; i[0]++)
		for (i[3] = 0; i[3] < cs->n[3]; i[3]++) {
			const struct corner *c0 = CORNER(0, i[3], i[0]);

			if (!c0->ok)
				continue;
			for (i[1] = 0; i[1] < cs->n[1]; i[1]++) {
				const struct corner *c1 = CORNER(1, i[0], i[1]);
				double s0;

				if (!c1->ok)
					continue;
				s0 = side_score(&cs->c[0][i[0]], c0, c1);
				for (i[2] = 0; i[2] < cs->n[2]; i[2]++) {
					const struct corner *c[4] = { c0, c1, CORNER(2, i[1], i[2]),
								      CORNER(3, i[2], i[3]) };
					double sc;

					if (!c[2]->ok || !c[3]->ok)
						continue;
					sc = s0 + side_score(&cs->c[1][i[1]], c[1], c[2]) +
					     side_score(&cs->c[2][i[2]], c[2], c[3]) +
					     side_score(&cs->c[3][i[3]], c[3], c[0]);
					if (sc <= best || !quad_ok(cs, i, c))
						continue;
					best = sc;
					for (k = 0; k < 4; k++) {
						which[k] = i[k];
						qx[k] = c[k]->x;
						qy[k] = c[k]->y;
					}
				}
			}
		}
#undef CORNER
	free(ct);
	return best;
}

/*
 * The frame reduced to WORK_SIDE: in colour when it is in colour (the
 * sheet's edge over a tinted paper shows in its tint), by area.
 */
static PIX *reduce(PIX *in, double f)
{
	int w = (int)(pixGetWidth(in) * f + 0.5), h = (int)(pixGetHeight(in) * f + 0.5);
	PIX *src =
	    pixGetDepth(in) == 32 && !pixGetColormap(in) ? pixClone(in) : pixConvertTo8(in, 0);
	PIX *out = NULL;

	if (src && f < 0.7)
		out = pixScaleAreaMapToSize(src, w, h);
	else if (src)
		out = pixScale(src, (float)f, (float)f);
	pixDestroy(&src);
	return out;
}

/* The inward normal of side s points down, left, up, right. */
static void orient_inward(struct line *l, int s)
{
	double ux = s == 1 ? -1 : s == 3 ? 1 : 0, uy = s == 0 ? 1 : s == 2 ? -1 : 0;

	if (l->a * ux + l->b * uy < 0) {
		l->a = -l->a;
		l->b = -l->b;
		l->c = -l->c;
	}
}

/*
 * The sheet's outline in the bright region's outline: corners as crossings
 * of its four edges, each the straightest long run of its side's outline,
 * or failing that the line between the extreme points along the diagonals.
 * Returns 0, or -1 when an edge cannot be found.
 */
static int outline_edges(const struct outline *o, int w, int h, struct line edge[4])
{
	double cx[4] = { 0 }, cy[4] = { 0 }, best[4] = { -1e18, -1e18, -1e18, -1e18 };
	int i;

	for (int sd = 0; sd < 4; sd++)
		for (i = 0; i < o->n[sd]; i++) {
			double x = o->x[sd][i], y = o->y[sd][i];
			double v[4] = { -(x + y), x - y, x + y, y - x }; /* TL, TR, BR, BL */

			for (int c = 0; c < 4; c++)
				if (v[c] > best[c]) {
					best[c] = v[c];
					cx[c] = x;
					cy[c] = y;
				}
		}
	for (i = 0; i < 4; i++) {
		double tol = 0.03 * (w + h) / 2;

		if (robust_edge(o, i, 0.004 * (w + h), &edge[i]) < 0 &&
		    fit_edge(o, i, cx[i], cy[i], cx[(i + 1) % 4], cy[(i + 1) % 4], tol, &edge[i]) <
			0)
			return -1;
		orient_inward(&edge[i], i);
	}
	return 0;
}

static int quad_corners(const struct line edge[4], double *cx, double *cy)
{
	/* corner i is where edge i-1 (before it) meets edge i (after it) */
	for (int i = 0; i < 4; i++)
		if (cross(&edge[(i + 3) % 4], &edge[i], &cx[i], &cy[i]) < 0)
			return -1;
	return 0;
}

static int cmp_u8(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

/*
 * The share of the quadrilateral's outline (corners in order) along which
 * what lies outside it is darker than the paper inside: the median of the
 * grey frame `g` in a band 3 to 8 pixels outside each side below 94% of
 * that in the band as far inside.  A sheet on a desk stands out from it
 * (but where it lies on another paper); a box of the page's own print, in
 * a scan the page fills, does not.
 */
static double quad_surround(PIX *g, const double *x, const double *y)
{
	int w = pixGetWidth(g), h = pixGetHeight(g), wpl = pixGetWpl(g);
	const l_uint32 *dt = pixGetData(g);
	double perim = 0, dark = 0;

	for (int k = 0; k < 4; k++) {
		int j = (k + 1) % 4, nin = 0, nout = 0, max;
		double dx = x[j] - x[k], dy = y[j] - y[k], len = hypot(dx, dy), nx, ny;
		unsigned char *vin, *vout;

		perim += len;
		if (len < 10)
			continue;
		/* the inward normal: corners go clockwise on the screen */
		nx = -dy / len;
		ny = dx / len;
		max = 6 * (int)(len / 2 + 1);
		vin = xmalloc((size_t)max);
		vout = xmalloc((size_t)max);
		for (double t = 0.1; t < 0.9; t += 2 / len)
			for (int o = 3; o <= 8; o++) {
				double px = x[k] + t * dx, py = y[k] + t * dy;
				int ix = (int)lround(px + o * nx), iy = (int)lround(py + o * ny);
				int ox = (int)lround(px - o * nx), oy = (int)lround(py - o * ny);

				if (ix < 0 || iy < 0 || ix >= w || iy >= h || ox < 0 || oy < 0 ||
				    ox >= w || oy >= h || nin >= max)
					continue;
				vin[nin++] = (unsigned char)GET_DATA_BYTE(dt + iy * wpl, ix);
				vout[nout++] = (unsigned char)GET_DATA_BYTE(dt + oy * wpl, ox);
			}
		if (nin > 20) {
			qsort(vin, (size_t)nin, 1, cmp_u8);
			qsort(vout, (size_t)nout, 1, cmp_u8);
			if (vout[nout / 2] < 0.94 * vin[nin / 2])
				dark += len;
		}
		free(vin);
		free(vout);
	}
	return perim > 0 ? dark / perim : 0;
}

int photo_find_sheet(PIX *in, struct sheet *s)
{
	int w = pixGetWidth(in), h = pixGetHeight(in), side = w > h ? w : h, i;
	double f = side > WORK_SIDE ? (double)WORK_SIDE / side : 1.0;
	PIX *small = NULL, *g = NULL, *mask = NULL, *r = NULL;
	struct outline o;
	struct edgemap em = { 0 };
	struct cands cs;
	double cx[4], cy[4], score;
	struct line edge[4];
	l_int32 cnt = 0;
	int covered = 0, ret = 0, have_outline, scanlike, which[4], rw, rh;

	memset(s, 0, sizeof(*s));
	memset(&o, 0, sizeof(o));
	memset(&cs, 0, sizeof(cs));
	s->frame_w = w;
	s->frame_h = h;
	small = reduce(in, f);
	g = small ? pixConvertTo8(small, 0) : NULL;
	mask = g ? bright_mask(g) : NULL;
	r = mask ? largest_region(mask) : NULL;
	if (!r)
		goto done;
	rw = pixGetWidth(r);
	rh = pixGetHeight(r);
	pixCountPixels(r, &cnt, NULL);
	/* a fifth of the frame or more, as a phone frames a page */
	if (cnt < 0.15 * rw * rh)
		goto done;
	/* paper to three of the frame's borders, or all over it: a scan, or a light desk */
	for (i = 0; i < 4; i++)
		covered += border_share(r, i) > 0.3;
	scanlike = covered >= 3 || cnt > 0.97 * rw * rh;
	outline_find(r, &o);
	have_outline = outline_edges(&o, rw, rh, edge) == 0;
	/*
	 * The candidate edges: lines of the frame's gradient, and those of the
	 * bright region's outline; the sheet the best quadrilateral of them.
	 */
	if (edgemap_build(small, &em) == 0)
		cands_from_hough(&cs, &em);
	if (have_outline && em.dir)
		for (i = 0; i < 4; i++)
			cands_add(&cs, &em, i, &edge[i]);
	score = em.dir ? best_quad(&cs, rw, rh, which, cx, cy) : -1e18;
	if (score > -1e17) {
		for (i = 0; i < 4; i++) {
			const struct line *l = &cs.c[i][which[i]].l;
			int j = (i + 1) % 4;
			double ta = -l->b * cx[i] + l->a * cy[i], tb = -l->b * cx[j] + l->a * cy[j];
			double lo = fmin(ta, tb), hi = fmax(ta, tb), m = 0.03 * (hi - lo);

			edge[i] = *l;
			line_refine(&em, &edge[i], (int)(lo + m), (int)(hi - m));
		}
	} else if (!have_outline) {
		s->fills_frame = scanlike;
		goto done;
	}
	if (quad_corners(edge, cx, cy) < 0 || !plausible_quad(cx, cy)) {
		s->fills_frame = scanlike; /* no sheet, and paper to the borders */
		goto done;
	}
	/*
	 * A sheet that stands out from what it lies on is one, wherever it is;
	 * otherwise paper to the frame's borders is a scan, and so is a sheet
	 * that is the whole frame (a scan, its edges worn by the closing)
	 */
	if (quad_surround(g, cx, cy) < 0.5) {
		double diag = hypot(rw, rh);
		double fx[4] = { 0, rw, rw, 0 }, fy[4] = { 0, 0, rh, rh };
		int near = 0;

		for (i = 0; i < 4; i++)
			near += hypot(cx[i] - fx[i], cy[i] - fy[i]) < 0.04 * diag;
		if (scanlike || near == 4) {
			s->fills_frame = 1; /* a scan: the paper is the whole frame */
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
	cands_release(&cs);
	free(em.dir);
	outline_release(&o);
	pixDestroy(&small);
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
	/*
	 * The map's numerators and denominator are linear along a row: stepped
	 * by addition, one division a pixel, bilinear weights in 1/256.
	 */
	{
		const double *m = s->to_frame;

		for (Y = 0; Y < H; Y++) {
			l_uint32 *ld = dd + (size_t)Y * (size_t)wpld;
			double u = m[0] * 0.5 + m[1] * (Y + 0.5) + m[2];
			double v = m[3] * 0.5 + m[4] * (Y + 0.5) + m[5];
			double w = m[6] * 0.5 + m[7] * (Y + 0.5) + m[8];

			for (X = 0; X < W; X++, u += m[0], v += m[3], w += m[6]) {
				double iw = fabs(w) < 1e-12 ? 1e12 : 1.0 / w;
				double sx = u * iw - 0.5, sy = v * iw - 0.5;
				int val = 255;

				if (sx >= 0 && sy >= 0 && sx < ws - 1 && sy < hs - 1) {
					int ix = (int)(sx * 256.0), iy = (int)(sy * 256.0);
					int x0 = ix >> 8, y0 = iy >> 8, fx = ix & 255,
					    fy = iy & 255;
					const l_uint32 *l0 = ds + (size_t)y0 * (size_t)wpls,
						       *l1 = l0 + wpls;
					int a = GET_DATA_BYTE(l0, x0),
					    b = GET_DATA_BYTE(l0, x0 + 1);
					int c = GET_DATA_BYTE(l1, x0),
					    d = GET_DATA_BYTE(l1, x0 + 1);
					int r0 = a * (256 - fx) + b * fx,
					    r1 = c * (256 - fx) + d * fx;

					val = (r0 * (256 - fy) + r1 * fy + 32768) >> 16;
				}
				SET_DATA_BYTE(ld, X, val);
			}
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

	ok = part && pixFindSkewSweepAndSearch(part, &angle, &conf, 2, 1, 7.0f, 1.0f, 0.01f) == 0 &&
	     conf >= 2.5f && fabsf(angle) <= 8.0f;
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
	PIX *half = pixGetDepth(rect) == 8 ? prep_half(rect) : NULL;
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
		double px[4] = { 0, w, w, 0 },
		       py[4] = { ytf - st * xc, ytf + st * xc, ybf + sb * xc, ybf - sb * xc };
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
