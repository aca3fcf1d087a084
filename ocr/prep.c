/*
 * prep.c — preprocessing of a page with Leptonica, the steps chosen by
 * measurement on the tuning set:
 *
 *   grey        any depth to 8 bpp (bilevel scans become black on white)
 *   resolution  pages far from 240 dpi are scaled to it: the recognizer
 *               scales every line to 36 pixels high, which print of 11 to
 *               14 pt still is at 240 dpi; more pixels only cost time in
 *               every step (measured on the tuning set: 300 dpi was 10%
 *               slower and no more accurate)
 *   background  uneven paper flattened and stretched to white; the
 *               background measured on the half-resolution page
 *   orientation upside-down and sideways pages turned upright
 *               (pixOrientDetect on the half-resolution binary page)
 *   deskew      the skew found on the same reduced binary image, corrected
 *               on the grey one by an interpolated rotation (zones need the
 *               page straight; a rotation by shears, four times cheaper,
 *               lost 0.2% of the exact fields on the tuning set)
 *   border      marks touching the edge of the scan removed
 *   denoise     a 3x3 median only on grainy pages (it softens thin strokes)
 *   leaders     dotted leader lines after the values removed: they are read
 *               as junk characters and glue values to nothing
 *   rules       long thin ruling lines removed
 *
 * The connected components of the binary page are found once, for grain,
 * leaders and rules alike.
 * Binarization is only for layout: Tesseract gets the grey page.
 */
#include <math.h>
#include <string.h>

#include "ocr_internal.h"

#define TARGET_DPI 240

/* Record a step: "name", or "name(value)" when with_value. */
static void step_v(struct prep *p, const char *name, int with_value, double v)
{
	size_t n = strlen(p->steps);

	if (with_value)
		snprintf(p->steps + n, sizeof(p->steps) - n, "%s%s(%.2f)", n ? "," : "", name, v);
	else
		snprintf(p->steps + n, sizeof(p->steps) - n, "%s%s", n ? "," : "", name);
}

#define step(p, name, v) step_v(p, name, 0, v)

static PIX *to_grey(PIX *in)
{
	PIX *noc, *g;
	int d = pixGetDepth(in);

	if (d == 1)
		return pixConvert1To8(NULL, in, 255, 0);
	noc = pixGetColormap(in) ? pixRemoveColormap(in, REMOVE_CMAP_TO_GRAYSCALE) : pixClone(in);
	d = pixGetDepth(noc);
	if (d == 8)
		g = pixClone(noc);
	else if (d == 32)
		g = pixConvertRGBToLuminance(noc);
	else if (d == 16)
		g = pixConvert16To8(noc, L_MS_BYTE);
	else
		g = pixConvertTo8(noc, 0);
	pixDestroy(&noc);
	return g;
}

/*
 * The page at half resolution, binarized: what the orientation and the
 * skew are found on (both work at 150 dpi).
 */
static PIX *half_bin(PIX *grey)
{
	PIX *small = pixScaleAreaMap2(grey), *bin;

	bin = small ? pixConvertTo1(small, 160) : NULL;
	pixDestroy(&small);
	return bin;
}

/*
 * Turn the page upright: 0, 90, 180 or 270 degrees clockwise, as detected
 * on `hb` (the half-resolution binary page, turned too) or (force >= 0) as
 * told.
 */
static PIX *orient(PIX *grey, PIX **hb, int force, struct prep *p)
{
	l_float32 up = 0, left = 0;
	l_int32 o = L_TEXT_ORIENT_UNKNOWN;
	int quads = 0;
	PIX *t;

	if (force >= 0)
		o = force == 180   ? L_TEXT_ORIENT_DOWN
		    : force == 90  ? L_TEXT_ORIENT_LEFT
		    : force == 270 ? L_TEXT_ORIENT_RIGHT
				   : L_TEXT_ORIENT_UP;
	else if (*hb && pixOrientDetect(*hb, &up, &left, 0, 0) == 0)
		makeOrientDecision(up, left, 0.0, 0.0, &o, 0);
	switch (o) {
	case L_TEXT_ORIENT_DOWN:
		p->rotation = 180;
		quads = 2;
		step(p, "rotate180", 0);
		break;
	case L_TEXT_ORIENT_LEFT:
		p->rotation = 90;
		quads = 1;
		step(p, "rotate90", 0);
		break;
	case L_TEXT_ORIENT_RIGHT:
		p->rotation = 270;
		quads = 3;
		step(p, "rotate270", 0);
		break;
	}
	if (!quads)
		return pixClone(grey);
	if (*hb) {
		t = pixRotateOrth(*hb, quads);
		pixDestroy(hb);
		*hb = t;
	}
	return pixRotateOrth(grey, quads);
}

/*
 * Straighten the page by the skew found on `hb`.  The rotation is made of
 * shears (whole rows and columns shifted, no interpolation): at the few
 * degrees a scanner leaves, it reads as well as an interpolated rotation
 * and costs a fraction of it.
 */
static PIX *deskew(PIX *grey, PIX *hb, struct prep *p)
{
	l_float32 angle = 0, conf = 0;

	if (!hb || pixFindSkew(hb, &angle, &conf) != 0)
		conf = 0;
	if (conf < 2.5 || fabsf(angle) < 0.08f || fabsf(angle) > 10.0f)
		return pixClone(grey);
	p->skew = angle;
	step_v(p, "deskew", 1, angle);
	return pixRotate(grey, angle * (float)M_PI / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0,
			 0);
}

/*
 * Flatten the paper and stretch it to white.  The background is measured
 * on the half-resolution page (tiles of 5 x 7 there, 10 x 14 here) and
 * mapped straight to 255.
 */
static PIX *background(PIX *grey, struct prep *p)
{
	PIX *small = pixScaleAreaMap2(grey), *map = NULL, *inv = NULL, *out = NULL;

	if (small && pixGetBackgroundGrayMap(small, NULL, 5, 7, 60, 40, &map) == 0)
		inv = pixGetInvBackgroundMap(map, 255, 2, 1);
	if (inv)
		out = pixApplyInvBackgroundGrayMap(grey, inv, 10, 14);
	pixDestroy(&small);
	pixDestroy(&map);
	pixDestroy(&inv);
	if (!out)
		return pixClone(grey);
	step(p, "background", 0);
	return out;
}

/*
 * The marks that are not text, from the bounding boxes of the page's
 * connected components (found once, after the border is removed):
 *
 *   grain    specks of at most 2 x 2 pixels, when there are many
 *   leaders  marks no bigger than a period, in runs along a row (dots
 *            less than a tenth of an inch apart; the run a quarter of an
 *            inch long or more, and flat)
 *   rules    components at least a third of an inch long and at most a
 *            fiftieth thick
 */
struct marks {
	BOXA *all;
	int grain; /* specks */
};

static int cmp_box_x(const void *a, const void *b)
{
	const l_int32 *p = a, *q = b;

	return p[0] < q[0] ? -1 : p[0] > q[0];
}

static int uf_find(int *parent, int i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static void marks_find(PIX *bin, struct marks *m)
{
	l_int32 n, i, x, y, w, h;

	memset(m, 0, sizeof(*m));
	m->all = pixConnCompBB(bin, 8);
	n = m->all ? boxaGetCount(m->all) : 0;
	for (i = 0; i < n; i++)
		if (boxaGetBoxGeometry(m->all, i, &x, &y, &w, &h) == 0 && w <= 2 && h <= 2)
			m->grain++;
}

/* Blank a box (and a pixel around it) on both images. */
static void blank(PIX *grey, PIX *bin, l_int32 x, l_int32 y, l_int32 w, l_int32 h)
{
	BOX *b = boxCreate(x - 1, y - 1, w + 2, h + 2);

	if (!b)
		return;
	pixSetInRectArbitrary(grey, b, 255);
	pixClearInRect(bin, b);
	boxDestroy(&b);
}

/* Remove the leaders and the rules from both images. */
static void leaders_and_rules(PIX *grey, PIX *bin, const struct marks *m, int dpi, struct prep *p)
{
	int dot = dpi * 3 / 100 + 2, gap = dpi / 10, nd = 0, i, j, nleader = 0, nrule = 0;
	l_int32 n = m->all ? boxaGetCount(m->all) : 0;
	l_int32(*d)[4] = xmalloc((size_t)(n + 1) * sizeof(*d));
	int *parent, *gx0, *gx1, *gy0, *gy1;

	for (i = 0; i < n; i++) {
		l_int32 x, y, w, h;

		if (boxaGetBoxGeometry(m->all, i, &x, &y, &w, &h) != 0)
			continue;
		if (w >= dpi / 3 && h <= dpi / 50) {
			blank(grey, bin, x, y, w, h);
			nrule++;
		} else if (w <= 3 * dot && h <= dot) {
			d[nd][0] = x;
			d[nd][1] = y;
			d[nd][2] = w;
			d[nd][3] = h;
			nd++;
		}
	}
	/* dots in runs: joined when less than `gap` apart and sharing a row */
	qsort(d, (size_t)nd, sizeof(*d), cmp_box_x);
	parent = xmalloc((size_t)(nd + 1) * 5 * sizeof(int));
	gx0 = parent + nd + 1;
	gx1 = gx0 + nd + 1;
	gy0 = gx1 + nd + 1;
	gy1 = gy0 + nd + 1;
	for (i = 0; i < nd; i++)
		parent[i] = i;
	for (i = 0; i < nd; i++)
		for (j = i + 1; j < nd && d[j][0] < d[i][0] + d[i][2] + gap; j++)
			if (d[j][1] < d[i][1] + d[i][3] && d[i][1] < d[j][1] + d[j][3])
				parent[uf_find(parent, j)] = uf_find(parent, i);
	for (i = 0; i < nd; i++) {
		gx0[i] = gy0[i] = 1 << 30;
		gx1[i] = gy1[i] = -1;
	}
	for (i = 0; i < nd; i++) {
		int r = uf_find(parent, i);

		gx0[r] = d[i][0] < gx0[r] ? d[i][0] : gx0[r];
		gy0[r] = d[i][1] < gy0[r] ? d[i][1] : gy0[r];
		gx1[r] = d[i][0] + d[i][2] > gx1[r] ? d[i][0] + d[i][2] : gx1[r];
		gy1[r] = d[i][1] + d[i][3] > gy1[r] ? d[i][1] + d[i][3] : gy1[r];
	}
	for (i = 0; i < nd; i++) {
		int r = uf_find(parent, i);

		if (gx1[r] - gx0[r] >= dpi / 4 && gy1[r] - gy0[r] <= 2 * dot) {
			blank(grey, bin, d[i][0], d[i][1], d[i][2], d[i][3]);
			nleader++;
		}
	}
	free(parent);
	free(d);
	if (nleader)
		step(p, "leaders", 0);
	if (nrule)
		step(p, "rules", 0);
}

/*
 * After background normalization the paper is white everywhere, so one
 * threshold for the page serves (tiled thresholds turn blank tiles into
 * speckle): Otsu's split of the page histogram, kept within bounds.
 */
static PIX *binarize(PIX *grey, int dpi)
{
	NUMA *hist = pixGetGrayHistogram(grey, dpi >= 250 ? 2 : 1);
	l_int32 split = 180;

	if (hist) {
		if (numaSplitDistribution(hist, 0.1f, &split, NULL, NULL, NULL, NULL, NULL) != 0)
			split = 180;
		numaDestroy(&hist);
	}
	if (split < 110)
		split = 110;
	if (split > 215)
		split = 215;
	return pixThresholdToBinary(grey, split);
}

/* Marks touching the edge of the scan (its border, shadows) are not text. */
static void remove_border(PIX *g, PIX **bin, struct prep *p)
{
	PIX *inner = pixRemoveBorderConnComps(*bin, 8), *edge;
	l_int32 cnt = 0;

	if (!inner)
		return;
	edge = pixSubtract(NULL, *bin, inner);
	if (edge) {
		pixCountPixels(edge, &cnt, NULL);
		if (cnt) {
			PIX *edged = pixDilateBrick(NULL, edge, 3, 3);

			pixSetMasked(g, edged, 255);
			pixDestroy(&edged);
			step(p, "border", 0);
		}
		pixDestroy(&edge);
	}
	pixDestroy(bin);
	*bin = inner;
}

int prep_page(PIX *in, int dpi, int rotation, unsigned off, struct prep *p, herr *e)
{
	PIX *g = NULL, *t = NULL, *hb = NULL;
	struct marks m = { 0 };
	int ret = -1;

	memset(p, 0, sizeof(*p));
	p->scale = 1.0;
	p->w0 = pixGetWidth(in);
	p->h0 = pixGetHeight(in);
	g = to_grey(in);
	if (!g)
		return herr_set(e, HT_EXIT_PARTIAL, "cannot convert the page to grey");
	if (pixGetDepth(in) == 1)
		step(p, "bilevel", 0);
	/* resolution */
	p->dpi = dpi;
	if (dpi < TARGET_DPI * 5 / 6 || dpi > TARGET_DPI * 7 / 6) {
		float s = (float)TARGET_DPI / (float)dpi;

		t = s < 1 ? pixScaleAreaMap(g, s, s) : pixScaleGrayLI(g, s, s);
		if (t) {
			pixDestroy(&g);
			g = t;
			t = NULL;
			p->dpi = TARGET_DPI;
			p->scale = s;
			step_v(p, "scale", 1, s);
		}
	}
	/* the background first: it is local, so turning and straightening keep it */
	if (!(off & OCR_PREP_BACKGROUND)) {
		t = background(g, p);
		pixDestroy(&g);
		g = t;
	}
	if (!g) {
		herr_set(e, HT_EXIT_PARTIAL, "preprocessing failed");
		goto cleanup;
	}
	hb = half_bin(g);
	t = orient(g, &hb, rotation < 0 && (off & OCR_PREP_ORIENT) ? 0 : rotation, p);
	pixDestroy(&g);
	g = t;
	if (!g) {
		herr_set(e, HT_EXIT_PARTIAL, "cannot turn the page");
		goto cleanup;
	}
	p->w1 = pixGetWidth(g);
	p->h1 = pixGetHeight(g);
	if (!(off & OCR_PREP_DESKEW)) {
		t = deskew(g, hb, p);
		pixDestroy(&g);
		g = t;
	}
	t = NULL;
	if (!g) {
		herr_set(e, HT_EXIT_PARTIAL, "cannot straighten the page");
		goto cleanup;
	}
	p->bin = binarize(g, p->dpi);
	if (!p->bin) {
		herr_set(e, HT_EXIT_PARTIAL, "cannot binarize the page");
		goto cleanup;
	}
	if (!(off & OCR_PREP_BORDER))
		remove_border(g, &p->bin, p);
	marks_find(p->bin, &m);
	/* grain: per A4 page at 300 dpi (about 90 square inches) */
	if (!(off & OCR_PREP_MEDIAN) && m.grain > 1500) {
		t = pixMedianFilter(g, 3, 3);
		if (t) {
			pixDestroy(&g);
			g = t;
			t = NULL;
			pixDestroy(&p->bin);
			p->bin = binarize(g, p->dpi);
			if (!p->bin) {
				herr_set(e, HT_EXIT_PARTIAL, "cannot binarize the page");
				goto cleanup;
			}
			step(p, "median", 0);
			if (!(off & OCR_PREP_BORDER))
				remove_border(g, &p->bin, p);
			boxaDestroy(&m.all);
			marks_find(p->bin, &m);
		}
	}
	if (!(off & OCR_PREP_LEADERS))
		leaders_and_rules(g, p->bin, &m, p->dpi, p);
	p->grey = g;
	g = NULL;
	ret = 0;
cleanup:
	pixDestroy(&g);
	pixDestroy(&t);
	pixDestroy(&hb);
	boxaDestroy(&m.all);
	if (ret < 0)
		prep_release(p);
	return ret;
}

void prep_box_to_page(const struct prep *p, int x, int y, int w, int h, int out[4])
{
	double cx = p->w1 / 2.0, cy = p->h1 / 2.0, a = -p->skew * M_PI / 180.0;
	double xs[4] = { x, x + w, x, x + w }, ys[4] = { y, y, y + h, y + h };
	double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
	int k;

	for (k = 0; k < 4; k++) {
		/* undo the deskew (rotation about the centre) */
		double dx = xs[k] - cx, dy = ys[k] - cy;
		double px = cx + dx * cos(a) - dy * sin(a), py = cy + dx * sin(a) + dy * cos(a);
		double qx = px, qy = py;

		/* undo the turn: p->w1 x p->h1 is the turned size */
		if (p->rotation == 180) {
			qx = p->w1 - px;
			qy = p->h1 - py;
		} else if (p->rotation == 90) {
			qx = py;
			qy = p->w1 - px;
		} else if (p->rotation == 270) {
			qx = p->h1 - py;
			qy = px;
		}
		/* undo the scale */
		qx /= p->scale;
		qy /= p->scale;
		minx = qx < minx ? qx : minx;
		miny = qy < miny ? qy : miny;
		maxx = qx > maxx ? qx : maxx;
		maxy = qy > maxy ? qy : maxy;
	}
	if (minx < 0)
		minx = 0;
	if (miny < 0)
		miny = 0;
	if (maxx > p->w0)
		maxx = p->w0;
	if (maxy > p->h0)
		maxy = p->h0;
	out[0] = (int)(minx + 0.5);
	out[1] = (int)(miny + 0.5);
	out[2] = (int)(maxx - minx + 0.5);
	out[3] = (int)(maxy - miny + 0.5);
}

void prep_release(struct prep *p)
{
	if (!p)
		return;
	pixDestroy(&p->grey);
	pixDestroy(&p->bin);
}
