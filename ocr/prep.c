/*
 * prep.c — preprocessing of a page with Leptonica, the steps chosen by
 * measurement on the tuning set:
 *
 *   grey        any depth to 8 bpp (bilevel scans become black on white)
 *   background  uneven paper flattened and stretched to white: the map of
 *               the paper measured on the half-resolution page
 *   orientation upside-down and sideways pages turned upright
 *               (pixOrientDetect on the half-resolution binary page)
 *   skew        found on the same binary page
 *   resolution  the page brought to 240 dpi: the recognizer scales every
 *               line to 36 pixels high, which print of 11 to 14 pt still
 *               is at 240 dpi; more pixels only cost time in every step
 *               (on the tuning set 300 dpi was 10% slower and no more
 *               accurate)
 *   warp        scale, turn, deskew and background applied in one pass
 *               over the pixels of the result, each sampled bilinearly
 *               from the page as read (a rotation by shears, without
 *               interpolation, was cheaper and lost 0.2% of the exact
 *               fields of the tuning set)
 *   border      marks touching the edge of the scan removed
 *   denoise     a 3x3 median only on grainy pages (it softens thin strokes)
 *   leaders     dotted leader lines after the values removed: they are read
 *               as junk characters and glue values to nothing
 *   rules       long thin ruling lines removed
 *
 * The connected components of the binary page are found once, for grain,
 * leaders and rules alike.  Binarization is only for layout: Tesseract gets
 * the grey page.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "ocr_internal.h"

#define TARGET_DPI 240
/*
 * The x-height of body text at TARGET_DPI: print of 11 to 14 pt in the
 * usual fonts measures 17 to 27 pixels there (Times' x-height is 0.45 of
 * its size, DejaVu's 0.55).  A page of unknown resolution is scaled to it.
 */
#define TARGET_XHEIGHT 21.0
/* A resolution tag below this is a camera's (72 dpi), not a scanner's. */
#define MIN_TAG_DPI 100
/* Without tag nor text to measure: the resolution of most scans. */
#define DEFAULT_DPI 300
/* Letters of the x-height needed to measure it: a form page has hundreds. */
#define MIN_LETTERS 80
/* Letters lower than this, in pixels of the page as read, are not readable. */
#define MIN_XHEIGHT 6.0

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
		/*
		 * the lightest of the three: dark ink stays dark, a tinted
		 * security background or a coloured stamp goes light
		 */
		g = pixConvertRGBToGrayMinMax(noc, L_CHOOSE_MAX);
	else if (d == 16)
		g = pixConvert16To8(noc, L_MS_BYTE);
	else
		g = pixConvertTo8(noc, 0);
	pixDestroy(&noc);
	return g;
}

/* The turn, in degrees clockwise, that makes the text of `hb` upright (0: none or unsure). */
static int orient_found(PIX *hb)
{
	l_float32 up = 0, left = 0;
	l_int32 o = L_TEXT_ORIENT_UNKNOWN;

	if (hb && pixOrientDetect(hb, &up, &left, 0, 0) == 0)
		makeOrientDecision(up, left, 0.0, 0.0, &o, 0);
	return o == L_TEXT_ORIENT_DOWN	  ? 180
	       : o == L_TEXT_ORIENT_LEFT  ? 90
	       : o == L_TEXT_ORIENT_RIGHT ? 270
					  : 0;
}

/*
 * Turn the page upright: 0, 90, 180 or 270 degrees clockwise, as detected
 * on `hb` (the half-resolution binary page, turned too) or (force >= 0) as
 * told.  Returns the number of clockwise quarter turns.
 */
static int orient(PIX **hb, int force, struct prep *p)
{
	int quads = (force >= 0 ? force : orient_found(*hb)) / 90 % 4;

	p->rotation = 90 * quads;
	if (quads)
		step(p, quads == 2 ? "rotate180" : quads == 1 ? "rotate90" : "rotate270", 0);
	if (quads && *hb) {
		PIX *t = pixRotateOrth(*hb, quads);

		pixDestroy(hb);
		*hb = t;
	}
	return quads;
}

int prep_rotation_found(const struct prep *p)
{
	return p->upright_hb ? orient_found(p->upright_hb) : 0;
}

/* The skew of the (turned) page, found on `hb`, into p->skew (0: none to correct). */
static void find_skew(PIX *hb, struct prep *p)
{
	l_float32 angle = 0, conf = 0;

	if (!hb || pixFindSkew(hb, &angle, &conf) != 0)
		conf = 0;
	if (conf < 2.5 || fabsf(angle) < 0.08f || fabsf(angle) > 10.0f)
		return;
	p->skew = angle;
	step_v(p, "deskew", 1, angle);
}

/*
 * Where a point of the preprocessed page (continuous coordinates, pixel
 * centres at +0.5) was on the scaled page before it was turned and
 * straightened: the inverse of the deskew (a rotation about the centre)
 * and of the quarter turns (prep_box_to_page maps boxes back with it).
 */
static void unwarp(const struct prep *p, double x, double y, double *qx, double *qy)
{
	double cx = p->w1 / 2.0, cy = p->h1 / 2.0, a = -p->skew * M_PI / 180.0;
	double dx = x - cx, dy = y - cy;
	double px = cx + dx * cos(a) - dy * sin(a), py = cy + dx * sin(a) + dy * cos(a);

	*qx = px;
	*qy = py;
	if (p->rotation == 180) {
		*qx = p->w1 - px;
		*qy = p->h1 - py;
	} else if (p->rotation == 90) {
		*qx = py;
		*qy = p->w1 - px;
	} else if (p->rotation == 270) {
		*qx = p->h1 - py;
		*qy = px;
	}
}

/*
 * The preprocessed page in one pass over its pixels (warp.c): each is
 * sampled from `src` (bilinear) where scaling, turning and straightening
 * put it, and its paper is brought to white by the inverse background map
 * `inv` (tiles of tx x ty pixels of src), when there is one.  `ss` is the
 * scale from src to the page; outside src is white.
 */
static PIX *warp(PIX *src, double ss, const struct prep *p, PIX *inv, int tx, int ty)
{
	double m[6];

	/* the map is affine: its value at three points gives it */
	unwarp(p, 0.5, 0.5, &m[0], &m[1]);
	unwarp(p, 1.5, 0.5, &m[2], &m[3]);
	unwarp(p, 0.5, 1.5, &m[4], &m[5]);
	/* to src pixel indices: scale, and centres back to integers */
	for (int k = 0; k < 6; k++)
		m[k] = m[k] / ss - 0.5;
	return warp_page(src, p->w1, p->h1, p->dpi, m, inv, tx, ty);
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

/*
 * prep_text_height: the height of the text's lower-case letters (x-height)
 * on a binary page, in its pixels; 0 when there is too little text.  Every
 * connected component the shape of a letter votes for its height; the
 * votes pile up at the x-height (a, c, e, n, o ...) and at the height of
 * capitals and letters with ascenders, about 1.45 times more.  The most
 * voted height is taken, unless a height 1.3 to 1.6 times lower has a good
 * share of the votes too (then that is the x-height and the first the
 * capitals': names printed in capitals weigh much); the mean of the heights
 * around the peak refines it below a pixel.
 */
static double text_height_boxa(BOXA *b, int page_h)
{
	l_int32 n = b ? boxaGetCount(b) : 0, i, x, y, w, h;
	int hmax = page_h / 8, best = 0, count = 0, lo = 0;
	double *vote, *sm, bestv = 0, lov = 0, sum = 0, wsum = 0;

	if (n < 20 || hmax < 4)
		return 0;
	if (hmax > 400)
		hmax = 400;
	vote = xcalloc((size_t)hmax + 2, sizeof(double));
	sm = xcalloc((size_t)hmax + 2, sizeof(double));
	for (i = 0; i < n; i++) {
		if (boxaGetBoxGeometry(b, i, &x, &y, &w, &h) != 0)
			continue;
		/* a letter: 3 pixels high or more, neither a rule nor a dot line */
		if (h < 3 || h > hmax || w > 3 * h || w * 6 < h || w < 2)
			continue;
		vote[h] += (double)w * h; /* a letter outweighs a dot or a speck */
		count++;
	}
	for (i = 3; i <= hmax; i++) {
		sm[i] = vote[i - 1] * 0.5 + vote[i] + vote[i + 1] * 0.5;
		if (sm[i] > bestv) {
			bestv = sm[i];
			best = i;
		}
	}
	/* the x-height below the capitals' height */
	for (i = (int)(best / 1.6); i <= (int)(best / 1.3 + 0.5); i++)
		if (i >= 3 && sm[i] > lov) {
			lov = sm[i];
			lo = i;
		}
	if (lo && lov >= 0.3 * bestv)
		best = lo;
	for (i = best - 1; best && i <= best + 1; i++) {
		sum += vote[i] * i;
		wsum += vote[i];
	}
	/* enough letters of that height to be text (a blank page's specks, a cover's few words are not) */
	for (i = 0, count = 0; best && i < n; i++)
		if (boxaGetBoxGeometry(b, i, &x, &y, &w, &h) == 0 &&
		    abs(h - best) <= 1 + best / 8 && w <= 3 * h && w * 6 >= h && w >= 2)
			count++;
	free(vote);
	free(sm);
	return count >= MIN_LETTERS && wsum > 0 ? sum / wsum : 0;
}

double prep_text_height(PIX *bin)
{
	BOXA *b = bin ? pixConnCompBB(bin, 8) : NULL;
	double xh = b ? text_height_boxa(b, pixGetHeight(bin)) : 0;

	boxaDestroy(&b);
	return xh;
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
 * Leptonica's pixGetGrayHistogram(grey, factor) of an 8-bpp page without
 * colormap, counted in integers (Leptonica adds 1.0 to a float per sample:
 * 0.7% of `hotich ocr`'s time); the same counts, exact in a float up to
 * 2^24 samples.
 */
NUMA *prep_histogram(PIX *grey, int factor)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey), wpl = pixGetWpl(grey);
	const l_uint32 *data = pixGetData(grey);
	long counts[256] = { 0 };
	NUMA *na;

	if (pixGetDepth(grey) != 8 || pixGetColormap(grey) || factor < 1)
		return pixGetGrayHistogram(grey, factor);
	for (int y = 0; y < h; y += factor) {
		const l_uint32 *line = data + (size_t)y * (size_t)wpl;

		for (int x = 0; x < w; x += factor)
			counts[GET_DATA_BYTE(line, x)]++;
	}
	na = numaCreate(256);
	if (!na)
		return NULL;
	for (int v = 0; v < 256; v++)
		numaAddNumber(na, (l_float32)counts[v]);
	return na;
}

/*
 * After background normalization the paper is white everywhere, so one
 * threshold for the page serves (tiled thresholds turn blank tiles into
 * speckle): Otsu's split of the page histogram, kept within bounds.
 */
static PIX *binarize(PIX *grey, int dpi)
{
	/* every third pixel of every third row: over half a million samples */
	NUMA *hist = prep_histogram(grey, 3);
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
	return prep_threshold(grey, NULL, 1, 1, split);
}

/*
 * Marks touching the edge of the scan (its border, the shadows of its
 * edges, a dark frame) are not text; a letter the size of a letter that
 * touches it is (an image cropped tight around a line of text).
 */
/* Is any pixel of the outermost rows and columns of `bin` ink? */
static int ink_on_edge(PIX *bin)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin), wpl = pixGetWpl(bin);
	const l_uint32 *data = pixGetData(bin), *last = data + (size_t)(h - 1) * (size_t)wpl;
	/* the row's last pixel's bit in its last word (the padding after it is 0) */
	l_uint32 right = 0x80000000u >> ((w - 1) & 31);

	for (int i = 0; i < wpl; i++)
		if (data[i] || last[i])
			return 1;
	for (int y = 0; y < h; y++) {
		const l_uint32 *line = data + (size_t)y * (size_t)wpl;

		if ((line[0] & 0x80000000u) || (line[(w - 1) >> 5] & right))
			return 1;
	}
	return 0;
}

static void remove_border(PIX *g, PIX **bin, struct prep *p)
{
	PIX *inner, *edge;
	l_int32 cnt = 0;
	int big = p->dpi / 3;

	/* nothing touches the edge (most pages): nothing to fill from it */
	if (!ink_on_edge(*bin))
		return;
	inner = pixRemoveBorderConnComps(*bin, 8);
	if (!inner)
		return;
	edge = pixSubtract(NULL, *bin, inner);
	if (edge) {
		/* letters back: what is smaller than a third of an inch both ways */
		PIXA *pa = NULL;
		BOXA *ba = pixConnComp(edge, &pa, 8);
		l_int32 n = ba ? boxaGetCount(ba) : 0, i, x, y, w, h;

		for (i = 0; i < n; i++) {
			PIX *c;

			if (boxaGetBoxGeometry(ba, i, &x, &y, &w, &h) != 0 || w >= big || h >= big)
				continue;
			c = pixaGetPix(pa, i, L_CLONE);
			if (c) {
				pixRasterop(inner, x, y, w, h, PIX_SRC | PIX_DST, c, 0, 0);
				pixRasterop(edge, x, y, w, h, PIX_NOT(PIX_SRC) & PIX_DST, c, 0, 0);
			}
			pixDestroy(&c);
		}
		boxaDestroy(&ba);
		pixaDestroy(&pa);
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

/*
 * One row of a binary image from a row of grey: pixel x is ink when its
 * value is at most at[x], `at` a row of 8 bpp laid out as Leptonica lays
 * out `ls` (so that both are read in the same order).  Bits past the last
 * pixel are 0.
 */
static void threshold_row(const l_uint32 *ls, const l_uint32 *at, int w, l_uint32 *ld, int from)
{
	for (int wi = from; wi * 32 < w; wi++) {
		l_uint32 word = 0;
		int x0 = wi * 32, n = w - x0 < 32 ? w - x0 : 32;

		for (int k = 0; k < n; k++)
			word = word << 1 |
			       (l_uint32)(GET_DATA_BYTE(ls, x0 + k) <= GET_DATA_BYTE(at, x0 + k));
		ld[wi] = word << (32 - n);
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The same 32 pixels at a time.  In memory a word of 8 bpp holds its four
 * pixels last first (little-endian), so the comparison's mask has pixel
 * 4k + 3 - j at bit 4k + j; the word of 1 bpp wants pixel p at bit 31 - p:
 * the mask's nibbles in the other order, each kept as it is.
 */
__attribute__((target("avx2"))) static void
threshold_row_avx2(const l_uint32 *ls, const l_uint32 *at, int w, l_uint32 *ld)
{
	int wi;

	for (wi = 0; (wi + 1) * 32 <= w; wi++) {
		__m256i v = _mm256_loadu_si256((const void *)(ls + 8 * wi));
		__m256i t = _mm256_loadu_si256((const void *)(at + 8 * wi));
		uint32_t m =
		    (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(v, t), t));

		m = __builtin_bswap32(m);
		ld[wi] = (m & 0x0f0f0f0fu) << 4 | (m >> 4 & 0x0f0f0f0fu);
	}
	threshold_row(ls, at, w, ld, wi);
}
#endif

/*
 * The binary image of 8-bpp `grey`: a pixel is ink when its value is
 * below `thresh`, or, with `inv` (an inverse background map of tiles of
 * sx x sy), when its value times its tile's factor is below it, which is
 * when the value is below the tile's own threshold, the least whole
 * number at or above thresh * 256 / factor.  Both as Leptonica's
 * pixThresholdToBinary and a pass of pixApplyInvBackgroundGrayMap before
 * it would make them, in one pass, 32 pixels to a comparison where the
 * processor has AVX2 (they took 1.9% of `hotich ocr`'s time).
 */
static int threshold_simd_off; /* prep_threshold_simd(0): the scalar rows only (tests) */

void prep_threshold_simd(int on)
{
	threshold_simd_off = !on;
}

PIX *prep_threshold(PIX *grey, PIX *inv, int sx, int sy, int thresh)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey), wpls = pixGetWpl(grey), wpld, x, y;
	int wm = inv ? pixGetWidth(inv) : 0, hm = inv ? pixGetHeight(inv) : 0, ty = -1;
	l_uint32 *ds = pixGetData(grey), *dd, *dm = inv ? pixGetData(inv) : NULL, *at;
	uint32_t lim = (uint32_t)thresh * 256u;
	int simd = 0;
	PIX *out;

	if (pixGetDepth(grey) != 8 || pixGetColormap(grey) || thresh < 1 || thresh > 256)
		return pixConvertTo1(grey, thresh);
#if defined(__x86_64__) && defined(__GNUC__)
	simd = !threshold_simd_off && __builtin_cpu_supports("avx2");
#endif
	out = pixCreateNoInit(w, h, 1);
	if (!out)
		return NULL;
	pixCopyResolution(out, grey);
	wpld = pixGetWpl(out);
	dd = pixGetData(out);
	at = xmalloc((size_t)wpls * sizeof(*at));
	if (!inv)
		for (x = 0; x < w; x++)
			SET_DATA_BYTE(at, x, (l_uint32)thresh - 1);
	for (y = 0; y < h; y++) {
		const l_uint32 *ls = ds + (size_t)y * (size_t)wpls;
		l_uint32 *ld = dd + (size_t)y * (size_t)wpld;

		if (inv && y / sy != ty) {
			const l_uint32 *lm;

			ty = y / sy;
			lm = dm + (size_t)(ty < hm ? ty : hm - 1) * (size_t)pixGetWpl(inv);
			for (x = 0; x < w; x += sx) {
				int mx = x / sx < wm ? x / sx : wm - 1,
				    end = x + sx < w ? x + sx : w;
				uint32_t f = GET_DATA_TWO_BYTES(lm, mx), t;

				/* value * f < lim  <=>  value < ceil(lim / f)  (lim > 0: t >= 1) */
				t = f ? (lim + f - 1) / f : 256;
				t = t > 256 ? 256 : t;
				for (int k = x; k < end; k++)
					SET_DATA_BYTE(at, k, t - 1);
			}
		}
#if defined(__x86_64__) && defined(__GNUC__)
		if (simd) {
			threshold_row_avx2(ls, at, w, ld);
			continue;
		}
#endif
		threshold_row(ls, at, w, ld, 0);
	}
	free(at);
	return out;
}

/*
 * The half-resolution page: each pixel the mean of a 2 x 2 block, rounded
 * down, as Leptonica's pixScaleAreaMap2 makes it, four pixels at a time
 * within the words (Leptonica reads and writes them one by one: 1.1% of
 * `hotich ocr`'s time).  A word's value holds its first pixel in its top
 * byte whatever the byte order, so the sums of two pairs of neighbours
 * are two 16-bit lanes of the word: (w & 0x00ff00ff) + (w >> 8 &
 * 0x00ff00ff).  Other depths, and colormaps, go to Leptonica.
 */
PIX *prep_half(PIX *g)
{
	int ws = pixGetWidth(g), hs = pixGetHeight(g), wd = ws / 2, hd = hs / 2, wpls, wpld;
	const l_uint32 *ds;
	l_uint32 *dd;
	PIX *out;

	if (pixGetDepth(g) != 8 || pixGetColormap(g) || wd < 1 || hd < 1)
		return pixScaleAreaMap2(g);
	out = pixCreateNoInit(wd, hd, 8);
	if (!out)
		return NULL;
	pixCopyResolution(out, g);
	pixScaleResolution(out, 0.5, 0.5);
	wpls = pixGetWpl(g);
	wpld = pixGetWpl(out);
	ds = pixGetData(g);
	dd = pixGetData(out);
	for (int i = 0; i < hd; i++) {
		const l_uint32 *r0 = ds + (size_t)(2 * i) * (size_t)wpls, *r1 = r0 + wpls;
		l_uint32 *ld = dd + (size_t)i * (size_t)wpld;
		int m, j;

		for (m = 0; 4 * m + 3 < wd; m++) {
			l_uint32 lanes[2];

			for (int k = 0; k < 2; k++) {
				l_uint32 a = r0[2 * m + k], b = r1[2 * m + k];
				l_uint32 sum = (a & 0x00ff00ffu) + (a >> 8 & 0x00ff00ffu) +
					       (b & 0x00ff00ffu) + (b >> 8 & 0x00ff00ffu);

				sum = sum >> 2 & 0x00ff00ffu;
				lanes[k] = (sum | sum >> 8) & 0xffffu;
			}
			ld[m] = lanes[0] << 16 | lanes[1];
		}
		/* the last pixels of a row whose half is not whole words */
		for (j = 4 * m; j < wd; j++)
			SET_DATA_BYTE(ld, j,
				      (GET_DATA_BYTE(r0, 2 * j) + GET_DATA_BYTE(r0, 2 * j + 1) +
				       GET_DATA_BYTE(r1, 2 * j) + GET_DATA_BYTE(r1, 2 * j + 1)) >>
					  2);
		/* the row's padding, past its last pixel: 0, as in Leptonica's */
		for (j = wd; j < 4 * wpld; j++)
			SET_DATA_BYTE(ld, j, 0);
	}
	return out;
}

/*
 * The inverse background map of the half-resolution page `half` (of
 * `hdpi`): tiles of about a thirtieth by a twentieth of an inch, the paper
 * mapped to 255.  NULL when it cannot be made.
 */
static PIX *background_map(PIX *half, int hdpi, int *sx, int *sy)
{
	PIX *map = NULL, *inv = NULL;

	*sx = hdpi / 30 > 4 ? hdpi / 30 : 4;
	*sy = hdpi / 21 > 4 ? hdpi / 21 : 4;
	if (pixGetWidth(half) < 2 * *sx || pixGetHeight(half) < 2 * *sy)
		return NULL;
	/* (as Leptonica itself lowers it for small tiles, without its warning) */
	if (pixGetBackgroundGrayMap(half, NULL, *sx, *sy, 60, 40 > *sx * *sy ? *sx * *sy / 3 : 40,
				    &map) == 0)
		inv = pixGetInvBackgroundMap(map, 255, 2, 1);
	pixDestroy(&map);
	return inv;
}

/* One pass of preprocessing, the page taken to be of `dpi`. */
static int prep_at(PIX *in, int dpi, int exact, int rotation, unsigned off, struct prep *p, herr *e)
{
	PIX *g0 = NULL, *half = NULL, *inv = NULL, *hb = NULL, *src, *g = NULL, *t = NULL;
	struct marks m = { 0 };
	int ret = -1, quads, sx = 4, sy = 4, ws, hs;
	double s = 1.0, ss;

	memset(p, 0, sizeof(*p));
	p->scale = 1.0;
	p->w0 = pixGetWidth(in);
	p->h0 = pixGetHeight(in);
	g0 = to_grey(in);
	if (!g0)
		return herr_set(e, HT_EXIT_PARTIAL, "cannot convert the page to grey");
	if (pixGetDepth(in) == 1)
		step(p, "bilevel", 0);
	/* resolution */
	p->dpi = dpi;
	/*
	 * a scan near the working resolution is read as it is; a resolution
	 * measured from the text is met exactly (the text at its working size)
	 */
	if (exact ? abs(dpi - TARGET_DPI) > TARGET_DPI / 50
		  : dpi < TARGET_DPI * 5 / 6 || dpi > TARGET_DPI * 7 / 6) {
		s = (double)TARGET_DPI / (double)dpi;
		p->dpi = TARGET_DPI;
		p->scale = s;
		step_v(p, "scale", 1, s);
	}
	/* the half-resolution page: background, orientation and skew */
	half = p->w0 >= 32 && p->h0 >= 32 ? prep_half(g0) : NULL;
	if (half && !(off & OCR_PREP_BACKGROUND)) {
		inv = background_map(half, dpi / 2, &sx, &sy);
		if (inv)
			step(p, "background", 0);
	}
	if (half)
		hb = prep_threshold(half, inv, sx, sy, 160);
	quads = orient(&hb,
		       rotation == PREP_UPRIGHT_FIRST || (rotation < 0 && (off & OCR_PREP_ORIENT))
			   ? 0
			   : rotation,
		       p);
	ws = (int)(p->w0 * s + 0.5);
	hs = (int)(p->h0 * s + 0.5);
	ws = ws > 0 ? ws : 1;
	hs = hs > 0 ? hs : 1;
	p->w1 = quads % 2 ? hs : ws;
	p->h1 = quads % 2 ? ws : hs;
	if (!(off & OCR_PREP_DESKEW))
		find_skew(hb, p);
	/* well below the page's resolution, sample the half page instead */
	if (half && s <= 0.7) {
		src = half;
		ss = 2 * s;
	} else {
		src = g0;
		ss = s;
		sx *= 2;
		sy *= 2;
	}
	if (ss == 1.0 && !quads && p->skew == 0)
		g = inv ? pixApplyInvBackgroundGrayMap(src, inv, sx, sy) : pixCopy(NULL, src);
	else
		g = warp(src, ss, p, inv, sx, sy);
	if (!g) {
		herr_set(e, HT_EXIT_PARTIAL, "cannot scale, turn or straighten the page");
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
	p->xheight = text_height_boxa(m.all, pixGetHeight(p->bin));
	if (!(off & OCR_PREP_LEADERS))
		leaders_and_rules(g, p->bin, &m, p->dpi, p);
	p->grey = g;
	g = NULL;
	/* what the orientation would have been judged on, for prep_rotation_found */
	if (rotation == PREP_UPRIGHT_FIRST && !(off & OCR_PREP_ORIENT)) {
		p->upright_hb = hb;
		hb = NULL;
	}
	ret = 0;
cleanup:
	pixDestroy(&g0);
	pixDestroy(&half);
	pixDestroy(&inv);
	pixDestroy(&hb);
	pixDestroy(&g);
	pixDestroy(&t);
	boxaDestroy(&m.all);
	if (ret < 0)
		prep_release(p);
	return ret;
}

/*
 * The x-height of the text of a page as read, without trusting anything of
 * it: the page binarized after its paper is brought to white (tiles of
 * about a hundred and fortieth of its height, an A4 page's fortieth of an
 * inch whatever the resolution).
 */
static double measure_text(PIX *g0)
{
	PIX *half = prep_half(g0), *map = NULL, *inv = NULL, *bin;
	int sx, sy;
	double xh;

	if (!half)
		return 0;
	sx = sy = pixGetHeight(half) / 140 > 6 ? pixGetHeight(half) / 140 : 6;
	if (pixGetWidth(half) >= 2 * sx && pixGetHeight(half) >= 2 * sy &&
	    pixGetBackgroundGrayMap(half, NULL, sx, sy, 60, 40 > sx * sy ? sx * sy / 3 : 40,
				    &map) == 0)
		inv = pixGetInvBackgroundMap(map, 255, 2, 1);
	bin = prep_threshold(g0, inv, 2 * sx, 2 * sy, 160);
	xh = prep_text_height(bin);
	pixDestroy(&bin);
	pixDestroy(&inv);
	pixDestroy(&map);
	pixDestroy(&half);
	return xh;
}

int prep_page(PIX *in, int tag_dpi, int forced_dpi, int rotation, unsigned off, struct prep *p,
	      herr *e)
{
	int dpi = forced_dpi, measured = 0, ret = -1, no_sheet = 0;
	double ratio;
	struct sheet sh;
	PIX *rect = NULL, *page = in;

	memset(&sh, 0, sizeof(sh));
	/* a camera's picture (no tag, or 72 dpi): the sheet found in the frame, upright */
	if (tag_dpi < MIN_TAG_DPI && !photo_find_sheet(in, &sh) && !sh.fills_frame)
		no_sheet = 1;
	if (sh.found) {
		PIX *g = to_grey(in);

		rect = g ? photo_rectify(g, &sh) : NULL;
		/* the text lines tell where the corners were off: brought level */
		if (rect && photo_straighten(rect, &sh)) {
			PIX *again = photo_rectify(g, &sh);

			if (again) {
				pixDestroy(&rect);
				rect = again;
				sh.straightened = 1;
			}
		}
		pixDestroy(&g);
		if (rect)
			page = rect;
		else
			sh.found = 0;
	}
	if (!dpi && tag_dpi >= MIN_TAG_DPI && tag_dpi <= 1200) {
		dpi = tag_dpi;
	} else if (!dpi) {
		/* no resolution to trust (none, or a camera's 72): the text's own size */
		PIX *g0 = to_grey(page);
		double xh = g0 ? measure_text(g0) : 0;

		pixDestroy(&g0);
		dpi = xh > 0 ? (int)(TARGET_DPI * xh / TARGET_XHEIGHT + 0.5) : DEFAULT_DPI;
		measured = xh > 0;
	}
	if (dpi < 30)
		dpi = 30;
	if (prep_at(page, dpi, measured, rotation, off, p, e) < 0)
		goto done;
	/*
	 * A resolution tag is taken when the text agrees with it (print of 11
	 * to 14 pt in the usual fonts); otherwise the text's size decides.
	 */
	ratio = p->xheight > 0 ? p->xheight * TARGET_DPI / p->dpi / TARGET_XHEIGHT : 1.0;
	/*
	 * (text a third of body size or less is taken for grain: a scanned
	 * blank page's specks are not small print)
	 */
	if (!forced_dpi && !measured && p->xheight > 0 && (ratio < 0.8 || ratio > 1.35) &&
	    ratio > 0.3 && dpi * ratio <= 2400) {
		/* measured again on the page as read, as without a tag */
		PIX *g0 = to_grey(page);
		double xh = g0 ? measure_text(g0) : 0;
		int real = xh > 0 ? (int)(TARGET_DPI * xh / TARGET_XHEIGHT + 0.5)
				  : (int)(dpi * ratio + 0.5);

		pixDestroy(&g0);

		prep_release(p);
		if (prep_at(page, real, 1, rotation, off, p, e) < 0)
			goto done;
		p->tag_dpi = tag_dpi;
		dpi = real;
		measured = 1;
	}
	p->dpi_used = dpi;
	p->dpi_measured = measured;
	if (measured)
		step_v(p, "dpi-from-text", 1, dpi);
	/*
	 * The text on the page as read: too small to read is said, not
	 * guessed (a scan whose tag the text does not contradict is not).
	 */
	if (measured && p->xheight > 0 && p->xheight / p->scale < MIN_XHEIGHT)
		p->text_too_small = p->xheight / p->scale;
	p->no_sheet = no_sheet;
	if (sh.found) {
		p->sheet = sh;
		step(p, "sheet", 0);
		if (sh.straightened)
			step(p, "sheet-straightened", 0);
	}
	ret = 0;
done:
	pixDestroy(&rect);
	return ret;
}

void prep_box_to_page(const struct prep *p, int x, int y, int w, int h, int out[4])
{
	double xs[4] = { x, x + w, x, x + w }, ys[4] = { y, y, y + h, y + h };
	double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
	int k;

	for (k = 0; k < 4; k++) {
		double qx, qy;

		/* undo the deskew and the turn, then the scale */
		unwarp(p, xs[k], ys[k], &qx, &qy);
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
	if (p->sheet.found) {
		/* from the upright sheet to the photograph's frame */
		double bx[4] = { minx, maxx, maxx, minx }, by[4] = { miny, miny, maxy, maxy };

		minx = miny = 1e18;
		maxx = maxy = -1e18;
		for (k = 0; k < 4; k++) {
			double fx, fy;

			photo_map(p->sheet.to_frame, bx[k], by[k], &fx, &fy);
			minx = fx < minx ? fx : minx;
			miny = fy < miny ? fy : miny;
			maxx = fx > maxx ? fx : maxx;
			maxy = fy > maxy ? fy : maxy;
		}
		minx = minx < 0 ? 0 : minx;
		miny = miny < 0 ? 0 : miny;
		maxx = maxx > p->sheet.frame_w ? p->sheet.frame_w : maxx;
		maxy = maxy > p->sheet.frame_h ? p->sheet.frame_h : maxy;
	}
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
	pixDestroy(&p->upright_hb);
}
