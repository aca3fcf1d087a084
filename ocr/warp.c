/*
 * warp.c — the preprocessed page in one pass over its pixels (prep.c's
 * warp step): each pixel sampled bilinearly from the page as read where
 * scaling, turning and straightening put it, its paper brought to white by
 * the inverse background map.  On a register book this pass was a tenth of
 * `hotich ocr`'s time (perf, 25 files of the book), so on a processor with
 * AVX2 eight pixels are computed at once: the same integer arithmetic, the
 * same bytes out (tests/unit/test_ocr.c compares the two on turned, scaled
 * and mapped pages).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define WARP_X86 1
#endif

#include "ocr_internal.h"

static int simd_off; /* warp_simd(0): the scalar pass only (tests) */

void warp_simd(int on)
{
	simd_off = !on;
}

struct warp {
	const l_uint32 *ds; /* the source, Leptonica's words */
	int ws, hs, wpls;
	const l_uint32 *dm; /* the inverse background map, or NULL */
	int wm, hm, wplm;
	const int *tabx, *taby; /* the map's tile of each source column and row */
	int tx;			/* source columns a tile */
};

/* One pixel of the result, its source position u, v in 16.16 fixed point. */
static inline unsigned warp_px(const struct warp *c, int64_t u, int64_t v)
{
	int64_t x0 = u >> 16, y0 = v >> 16;
	uint32_t fx = (uint32_t)(u >> 8) & 255u, fy = (uint32_t)(v >> 8) & 255u;
	uint32_t p00, p01, p10, p11, val;
	const l_uint32 *ds = c->ds;
	int ws = c->ws, hs = c->hs, wpls = c->wpls;

	if (x0 >= 0 && y0 >= 0 && x0 + 1 < ws && y0 + 1 < hs) {
		const l_uint8 *r0 = (const l_uint8 *)(ds + (size_t)y0 * (size_t)wpls);
		const l_uint8 *r1 = r0 + (size_t)wpls * 4;

		/* Leptonica keeps bytes in 32-bit words, most significant first */
		p00 = r0[x0 ^ 3];
		p01 = r0[(x0 + 1) ^ 3];
		p10 = r1[x0 ^ 3];
		p11 = r1[(x0 + 1) ^ 3];
	} else if (x0 < -1 || y0 < -1 || x0 >= ws || y0 >= hs) {
		return 255;
	} else {
		p00 = x0 >= 0 && y0 >= 0 ? GET_DATA_BYTE(ds + y0 * wpls, x0) : 255;
		p01 = x0 + 1 < ws && y0 >= 0 ? GET_DATA_BYTE(ds + y0 * wpls, x0 + 1) : 255;
		p10 = x0 >= 0 && y0 + 1 < hs ? GET_DATA_BYTE(ds + (y0 + 1) * wpls, x0) : 255;
		p11 =
		    x0 + 1 < ws && y0 + 1 < hs ? GET_DATA_BYTE(ds + (y0 + 1) * wpls, x0 + 1) : 255;
	}
	val = ((p00 * (256 - fx) + p01 * fx) * (256 - fy) + (p10 * (256 - fx) + p11 * fx) * fy +
	       32768u) >>
	      16;
	if (c->dm) {
		int mx = c->tabx[x0 < 0 ? 0 : x0], my = c->taby[y0 < 0 ? 0 : y0];
		uint32_t f = GET_DATA_TWO_BYTES(c->dm + (size_t)my * (size_t)c->wplm, mx);

		val = (val * f) >> 8;
		val = val > 255 ? 255 : val;
	}
	return val;
}

/* Are both neighbours of the sample at u, v inside the source? */
static inline int inside(const struct warp *c, int64_t u, int64_t v)
{
	int64_t x0 = u >> 16, y0 = v >> 16;

	return x0 >= 0 && y0 >= 0 && x0 + 1 < c->ws && y0 + 1 < c->hs;
}

#ifdef WARP_X86
/* One pixel of the row (warp_px). */
static inline void put1(const struct warp *c, l_uint32 *line, int X, int64_t u, int64_t v,
			int64_t du, int64_t dv)
{
	SET_DATA_BYTE(line, X, warp_px(c, u + X * du, v + X * dv));
}

/*
 * A row of the result, u, v at its first pixel: warp_px's arithmetic eight
 * pixels at a time where all eight are inside the source, on two of its
 * rows at most and sixteen of its columns, and on two of the background's
 * tiles at most (each lane shuffled its four neighbours out of the rows'
 * bytes: no gathers, slow on many processors); pixel by pixel elsewhere.
 */
__attribute__((target("avx2"))) static void warp_row_avx2(const struct warp *c, l_uint32 *line,
							  int w1, int64_t u, int64_t v, int64_t du,
							  int64_t dv)
{
	const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	const __m256i b255 = _mm256_set1_epi32(255), b256 = _mm256_set1_epi32(256);
	const __m256i one = _mm256_set1_epi32(1), three = _mm256_set1_epi32(3);
	const __m256i hi = _mm256_set1_epi32((int32_t)0x80800000u);
	const __m256i vdu = _mm256_mullo_epi32(lane, _mm256_set1_epi32((int32_t)du));
	const __m256i vdv = _mm256_mullo_epi32(lane, _mm256_set1_epi32((int32_t)dv));
	const uint8_t *px = (const uint8_t *)c->ds;
	size_t stride = (size_t)c->wpls * 4, end = stride * (size_t)c->hs;
	int X = 0;

	while (X < w1) {
		int64_t ua = u + X * du, va = v + X * dv, ub = ua + 7 * du, vb = va + 7 * dv;
		int32_t xa = (int32_t)(ua >> 16), xb = (int32_t)(ub >> 16);
		int32_t ya = (int32_t)(va >> 16), yb = (int32_t)(vb >> 16);
		int32_t first = xa < xb ? xa : xb, last = xa < xb ? xb : xa;
		int32_t lo = ya < yb ? ya : yb, top = ya < yb ? yb : ya;
		/* the word the first pixel is in: a pixel x at byte (x - base) ^ 3 from it */
		int32_t base = first & ~3;
		int32_t m0 = 0, m1 = 0;

		if (X % 8 || X + 8 > w1 || !inside(c, ua, va) || !inside(c, ub, vb) ||
		    last - base + 1 >= 16 || top - lo > 1 ||
		    (size_t)(top + 1) * stride + (size_t)base + 16 > end ||
		    (c->dm && (c->taby[lo] != c->taby[top] ||
			       (m1 = c->tabx[last]) - (m0 = c->tabx[first]) > 1))) {
			put1(c, line, X, u, v, du, dv);
			X++;
			continue;
		}
		{
			__m256i vu = _mm256_add_epi32(_mm256_set1_epi32((int32_t)ua), vdu);
			__m256i vv = _mm256_add_epi32(_mm256_set1_epi32((int32_t)va), vdv);
			__m256i x0 = _mm256_srai_epi32(vu, 16), y0 = _mm256_srai_epi32(vv, 16);
			__m256i fx = _mm256_and_si256(_mm256_srai_epi32(vu, 8), b255);
			__m256i fy = _mm256_and_si256(_mm256_srai_epi32(vv, 8), b255);
			__m256i rel = _mm256_sub_epi32(x0, _mm256_set1_epi32(base));
			/* lane k: its two bytes, low first; the rest zero */
			__m256i ctl = _mm256_or_si256(
			    _mm256_or_si256(
				_mm256_xor_si256(rel, three),
				_mm256_slli_epi32(
				    _mm256_xor_si256(_mm256_add_epi32(rel, one), three), 8)),
			    hi);
			const uint8_t *r0 = px + (size_t)lo * stride + base;
			__m256i s0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)r0));
			__m256i s1 = _mm256_broadcastsi128_si256(
			    _mm_loadu_si128((const void *)(r0 + stride)));
			__m256i g0 = _mm256_shuffle_epi8(s0, ctl),
				g1 = _mm256_shuffle_epi8(s1, ctl);
			__m256i gx = _mm256_sub_epi32(b256, fx), gy = _mm256_sub_epi32(b256, fy);
			__m256i a, b, val;
			uint32_t out[8];

			if (top != lo) {
				/* the lanes on the next row: its bytes and the one below */
				__m256i next = _mm256_cmpgt_epi32(y0, _mm256_set1_epi32(lo));
				__m256i s2 = _mm256_broadcastsi128_si256(
				    _mm_loadu_si128((const void *)(r0 + 2 * stride)));

				g0 = _mm256_blendv_epi8(g0, g1, next);
				g1 = _mm256_blendv_epi8(g1, _mm256_shuffle_epi8(s2, ctl), next);
			}
			a = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_and_si256(g0, b255), gx),
					     _mm256_mullo_epi32(_mm256_srli_epi32(g0, 8), fx));
			b = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_and_si256(g1, b255), gx),
					     _mm256_mullo_epi32(_mm256_srli_epi32(g1, 8), fx));
			val = _mm256_srli_epi32(
			    _mm256_add_epi32(_mm256_add_epi32(_mm256_mullo_epi32(a, gy),
							      _mm256_mullo_epi32(b, fy)),
					     _mm256_set1_epi32(32768)),
			    16);
			if (c->dm) {
				/* the first tile's factor, the next's from its first column on */
				const l_uint32 *fr = c->dm + (size_t)c->taby[lo] * (size_t)c->wplm;
				__m256i f = _mm256_set1_epi32((int32_t)GET_DATA_TWO_BYTES(fr, m0));

				if (m1 != m0)
					f = _mm256_blendv_epi8(
					    f,
					    _mm256_set1_epi32((int32_t)GET_DATA_TWO_BYTES(fr, m1)),
					    _mm256_cmpgt_epi32(x0,
							       _mm256_set1_epi32(m1 * c->tx - 1)));
				val = _mm256_min_epu32(
				    _mm256_srli_epi32(_mm256_mullo_epi32(val, f), 8), b255);
			}
			_mm256_storeu_si256((void *)out, val);
			line[X / 4] = out[0] << 24 | out[1] << 16 | out[2] << 8 | out[3];
			line[X / 4 + 1] = out[4] << 24 | out[5] << 16 | out[6] << 8 | out[7];
			X += 8;
		}
	}
}
#endif

PIX *warp_page(PIX *src, int w1, int h1, int dpi, const double m[6], PIX *inv, int tx, int ty)
{
	struct warp c;
	int wpld, X, Y;
	double u0 = m[0], v0 = m[1], u1 = m[2], v1 = m[3], u2 = m[4], v2 = m[5];
	int64_t du, dv;
	int *tab = NULL;
	l_uint32 *dd;
	/* (every pixel is written below, and each row's padding: no zeroing first) */
	PIX *out = pixCreateNoInit(w1, h1, 8);

	if (!out)
		return NULL;
	memset(&c, 0, sizeof(c));
	c.ds = pixGetData(src);
	c.ws = pixGetWidth(src);
	c.hs = pixGetHeight(src);
	c.wpls = pixGetWpl(src);
	if (inv) {
		c.dm = pixGetData(inv);
		c.wm = pixGetWidth(inv);
		c.hm = pixGetHeight(inv);
		c.wplm = pixGetWpl(inv);
	}
	pixSetResolution(out, dpi, dpi);
	wpld = pixGetWpl(out);
	dd = pixGetData(out);
	du = llround((u1 - u0) * 65536.0);
	dv = llround((v1 - v0) * 65536.0);
	/* the background tile of every source column and row */
	if (c.dm) {
		tab = xmalloc((size_t)(c.ws + c.hs) * sizeof(*tab));
		for (X = 0; X < c.ws; X++)
			tab[X] = X / tx < c.wm ? X / tx : c.wm - 1;
		for (Y = 0; Y < c.hs; Y++)
			tab[c.ws + Y] = Y / ty < c.hm ? Y / ty : c.hm - 1;
		c.tx = tx;
		c.tabx = tab;
		c.taby = tab + c.ws;
	}
#ifdef WARP_X86
	/* lanes of 16.16 fixed point: the source under 32,768 pixels a side */
	int simd = !simd_off && c.ws < 32000 && c.hs < 32000 && __builtin_cpu_supports("avx2") &&
		   llabs(dv) * 7 < 65536 && llabs(du) * 7 < 11 * 65536;
#endif
	for (Y = 0; Y < h1; Y++) {
		int64_t u = llround((u0 + (u2 - u0) * Y) * 65536.0);
		int64_t v = llround((v0 + (v2 - v0) * Y) * 65536.0);
		l_uint32 *line = dd + (size_t)Y * (size_t)wpld;

		for (X = w1; X < 4 * wpld; X++)
			SET_DATA_BYTE(line, X, 0);
#ifdef WARP_X86
		if (simd) {
			warp_row_avx2(&c, line, w1, u, v, du, dv);
			continue;
		}
#endif
		for (X = 0; X < w1; X++)
			SET_DATA_BYTE(line, X, warp_px(&c, u + X * du, v + X * dv));
	}
	free(tab);
	return out;
}
