/*
 * prep.c — preprocessing of a page with Leptonica, the steps chosen by
 * measurement on the tuning set:
 *
 *   grey        any depth to 8 bpp (bilevel scans become black on white)
 *   resolution  pages far from 300 dpi are scaled to it (Tesseract reads
 *               best there; 200 dpi print is too small, 400 dpi only slow)
 *   orientation upside-down and sideways pages turned upright
 *               (pixOrientDetect on the text)
 *   deskew      the skew found on a reduced binary image, corrected on the
 *               grey one (zones need the page straight)
 *   background  uneven paper flattened and stretched to white
 *               (pixBackgroundNormSimple, then a tone curve)
 *   denoise     a 3x3 median only on grainy pages (it softens thin strokes)
 *   leaders     dotted leader lines after the values removed: they are read
 *               as junk characters and glue values to nothing
 *   rules       long thin ruling lines removed
 *
 * Binarization is only for layout: Tesseract gets the grey page.
 */
#include <math.h>
#include <string.h>

#include "ocr_internal.h"

#define TARGET_DPI 300

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
 * Turn the page upright: 0, 90, 180 or 270 degrees clockwise, as detected
 * or (force >= 0) as told.
 */
static PIX *orient(PIX *grey, int dpi, int force, struct prep *p)
{
	PIX *small, *bin;
	l_float32 up = 0, left = 0;
	l_int32 o = L_TEXT_ORIENT_UNKNOWN;
	int reduce = dpi >= 250 ? 2 : 1;

	if (force >= 0) {
		o = force == 180   ? L_TEXT_ORIENT_DOWN
		    : force == 90  ? L_TEXT_ORIENT_LEFT
		    : force == 270 ? L_TEXT_ORIENT_RIGHT
				   : L_TEXT_ORIENT_UP;
		goto turn;
	}
	small = reduce == 2 ? pixScaleAreaMap2(grey) : pixClone(grey);
	bin = pixConvertTo1(small, 160);
	pixDestroy(&small);
	if (!bin)
		return pixClone(grey);
	if (pixOrientDetect(bin, &up, &left, 0, 0) == 0)
		makeOrientDecision(up, left, 0.0, 0.0, &o, 0);
	pixDestroy(&bin);
turn:
	switch (o) {
	case L_TEXT_ORIENT_DOWN:
		p->rotation = 180;
		step(p, "rotate180", 0);
		return pixRotateOrth(grey, 2);
	case L_TEXT_ORIENT_LEFT:
		p->rotation = 90;
		step(p, "rotate90", 0);
		return pixRotateOrth(grey, 1);
	case L_TEXT_ORIENT_RIGHT:
		p->rotation = 270;
		step(p, "rotate270", 0);
		return pixRotateOrth(grey, 3);
	}
	return pixClone(grey);
}

static PIX *deskew(PIX *grey, struct prep *p)
{
	PIX *small = pixScaleAreaMap2(grey), *bin;
	l_float32 angle = 0, conf = 0;

	bin = small ? pixConvertTo1(small, 160) : NULL;
	pixDestroy(&small);
	if (!bin)
		return pixClone(grey);
	if (pixFindSkew(bin, &angle, &conf) != 0)
		conf = 0;
	pixDestroy(&bin);
	if (conf < 2.5 || fabsf(angle) < 0.08f || fabsf(angle) > 10.0f)
		return pixClone(grey);
	p->skew = angle;
	step_v(p, "deskew", 1, angle);
	return pixRotate(grey, angle * (float)M_PI / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0,
			 0);
}

/* Flatten the paper and stretch it to white. */
static PIX *background(PIX *grey, struct prep *p)
{
	PIX *norm = pixBackgroundNormSimple(grey, NULL, NULL), *out;

	if (!norm)
		return pixClone(grey);
	/* the background is at 200 now: map 0..200 to 0..255 */
	out = pixGammaTRC(NULL, norm, 1.0f, 0, 200);
	pixDestroy(&norm);
	step(p, "background", 0);
	return out ? out : pixClone(grey);
}

/* Grain: many specks of one or two pixels. */
static int grainy(PIX *bin)
{
	PIX *specks = pixSelectBySize(bin, 2, 2, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	l_int32 n = 0;
	BOXA *b;

	if (!specks)
		return 0;
	b = pixConnComp(specks, NULL, 8);
	n = b ? boxaGetCount(b) : 0;
	boxaDestroy(&b);
	pixDestroy(&specks);
	/* per square inch of an A4 page at 300 dpi: ~90 square inches */
	return n > 1500;
}

/*
 * Dotted leaders: small marks in long horizontal runs; ruling lines: long
 * thin components.  Returns their mask (1 bpp) or NULL.
 */
static PIX *leaders_and_rules(PIX *bin, int dpi, struct prep *p)
{
	int dot = dpi * 3 / 100 + 2; /* a period: up to ~0.03 in */
	PIX *dots = NULL, *bars = NULL, *runs = NULL, *flat = NULL, *near = NULL, *mask = NULL;
	PIX *rules = NULL, *thin = NULL;
	l_int32 nleader = 0, nrule = 0;

	dots = pixSelectBySize(bin, dot * 3, dot, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	if (!dots)
		goto cleanup;
	/* dots a few millimetres apart merge into bars */
	bars = pixCloseBrick(NULL, dots, dpi / 10, 1);
	runs = bars ? pixSelectBySize(bars, dpi / 4, 0, 8, L_SELECT_WIDTH, L_SELECT_IF_GTE, NULL)
		    : NULL;
	flat = runs ? pixSelectBySize(runs, 0, dot * 2, 8, L_SELECT_HEIGHT, L_SELECT_IF_LTE, NULL)
		    : NULL;
	if (!flat)
		goto cleanup;
	near = pixDilateBrick(NULL, flat, 3, 3);
	mask = pixAnd(NULL, dots, near);
	if (mask)
		pixCountPixels(mask, &nleader, NULL);
	/* ruling lines: at least 1/3 inch long, at most 1/50 inch thick */
	rules = pixSelectBySize(bin, dpi / 3, 0, 8, L_SELECT_WIDTH, L_SELECT_IF_GTE, NULL);
	thin = rules
		   ? pixSelectBySize(rules, 0, dpi / 50, 8, L_SELECT_HEIGHT, L_SELECT_IF_LTE, NULL)
		   : NULL;
	if (thin) {
		pixCountPixels(thin, &nrule, NULL);
		if (mask)
			pixOr(mask, mask, thin);
	}
	if (nleader)
		step(p, "leaders", 0);
	if (nrule)
		step(p, "rules", 0);
cleanup:
	pixDestroy(&dots);
	pixDestroy(&bars);
	pixDestroy(&runs);
	pixDestroy(&flat);
	pixDestroy(&near);
	pixDestroy(&rules);
	pixDestroy(&thin);
	if (mask && !nleader && !nrule)
		pixDestroy(&mask);
	return mask;
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

	(void)dpi;
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

int prep_page(PIX *in, int dpi, int rotation, unsigned off, struct prep *p, herr *e)
{
	PIX *g = NULL, *t = NULL, *mask = NULL, *maskd = NULL;
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
	if (dpi < 250 || dpi > 350) {
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
	t = orient(g, p->dpi, rotation < 0 && (off & OCR_PREP_ORIENT) ? 0 : rotation, p);
	pixDestroy(&g);
	g = t;
	p->w1 = pixGetWidth(g);
	p->h1 = pixGetHeight(g);
	if (!(off & OCR_PREP_DESKEW)) {
		t = deskew(g, p);
		pixDestroy(&g);
		g = t;
	}
	if (!(off & OCR_PREP_BACKGROUND)) {
		t = background(g, p);
		pixDestroy(&g);
		g = t;
	}
	t = NULL;
	if (!g) {
		herr_set(e, HT_EXIT_PARTIAL, "preprocessing failed");
		goto cleanup;
	}
	p->bin = binarize(g, p->dpi);
	if (!p->bin) {
		herr_set(e, HT_EXIT_PARTIAL, "cannot binarize the page");
		goto cleanup;
	}
	if (!(off & OCR_PREP_MEDIAN) && grainy(p->bin)) {
		t = pixMedianFilter(g, 3, 3);
		if (t) {
			pixDestroy(&g);
			g = t;
			t = NULL;
			pixDestroy(&p->bin);
			p->bin = binarize(g, p->dpi);
			step(p, "median", 0);
		}
	}
	/* marks touching the edge of the scan (its border, shadows) are not text */
	if (!(off & OCR_PREP_BORDER)) {
		PIX *inner = pixRemoveBorderConnComps(p->bin, 8);

		if (inner) {
			PIX *edge = pixSubtract(NULL, p->bin, inner);

			if (edge) {
				l_int32 cnt = 0;

				pixCountPixels(edge, &cnt, NULL);
				if (cnt) {
					PIX *edged = pixDilateBrick(NULL, edge, 3, 3);

					pixSetMasked(g, edged, 255);
					pixDestroy(&edged);
					step(p, "border", 0);
				}
				pixDestroy(&edge);
			}
			pixDestroy(&p->bin);
			p->bin = inner;
		}
	}
	mask = off & OCR_PREP_LEADERS ? NULL : leaders_and_rules(p->bin, p->dpi, p);
	if (mask) {
		maskd = pixDilateBrick(NULL, mask, 3, 3);
		pixSetMasked(g, maskd, 255);
		pixSubtract(p->bin, p->bin, maskd);
	}
	p->grey = g;
	g = NULL;
	ret = 0;
cleanup:
	pixDestroy(&g);
	pixDestroy(&t);
	pixDestroy(&mask);
	pixDestroy(&maskd);
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
