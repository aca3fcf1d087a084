/*
 * tessnet.c — the bookkeeping of Tesseract's network in one call where
 * the library makes several.
 *
 * Of `hotich ocr`'s CPU on fixtures/small, Tesseract's LSTM takes about
 * three fifths, and two fifths of that were not arithmetic but bookkeeping
 * done through small functions, each a call through the library's PLT:
 *
 * - StrideMap::Index walks a tensor (batch, y, x and the row t of the
 *   array behind them).  The first layers run at the line image's full
 *   resolution, 36 rows by a column per pixel, and the 3x3 convolution
 *   moves an index twelve times a pixel: AddOffset calls SetTFromIndices
 *   and IsValid, which calls MaxIndexOfDim for each dimension, six calls
 *   for a few additions (14% of the CPU, perf).
 * - NetworkIO::WriteTimeStepPart stores a layer's outputs for a time step;
 *   in the integer mode of the installed "fast" model as int8, one value
 *   at a time with a branch on its sign (7 to 8%).
 * - NetworkIO::CopyTimeStepGeneral copies one byte, nine times a pixel, for
 *   the convolution; MaxpoolTimeStep keeps the larger of two rows (5%).
 *
 * The hotich binary exports its own definitions of these functions (the
 * Makefile's OCR_SYMBOLS, as for tess.c's pixWriteMem), so the library's
 * calls land here.  Each does the same work with the same results (the
 * same bytes: test_ocr compares each with the library's own on random
 * input, and t0032 the JSON of whole pages), in one call and, for the
 * int8 rows, eight or sixteen values to a SIMD step.
 *
 * They read two of Tesseract's classes, whose layout is not its API:
 * tessnet.h gives it as the disassembly of libtesseract 5.3.0 (Debian 12's)
 * on x86-64 reads.  So they are built only against that version on that
 * processor (the Makefile defines HOTICH_TESSNET; otherwise this file
 * defines tessnet_fast alone), and do their own work only when the library
 * loaded is that version too (tessnet_fast); otherwise, or with
 * HOTICH_OCR_TESS_NET=0, each calls the library's own definition.
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <tesseract/capi.h>

#include "ocr_internal.h"

#if !defined(HOTICH_TESSNET)
int tessnet_fast(void)
{
	return 0;
}
#else
#include <immintrin.h>

#include "tessnet.h"

int tessnet_fast(void)
{
	static _Atomic int known = -1;
	int k = atomic_load_explicit(&known, memory_order_relaxed);

	if (k < 0) {
		const char *off = getenv("HOTICH_OCR_TESS_NET");
		const char *v = TessVersion();

		k = !(off && !strcmp(off, "0")) && v && !strcmp(v, TN_VERSION);
		atomic_store(&known, k);
	}
	return k;
}

/*
 * The library's own definition of name.  It exists: these functions are
 * called by the library (or by test_ocr, which links it) because it
 * defines them.
 */
static void *library_definition(const char *name, void *_Atomic *cache)
{
	void *f = tess_next_definition(name, cache);

	if (!f)
		abort();
	return f;
}

/* ---- StrideMap::Index ---- */

/* the last index of dim, given valid indices before it */
static inline int max_index(const struct tn_index *ix, int dim)
{
	const struct tn_stride_map *m = ix->map;
	int max = m->shape[dim] - 1;
	const struct tn_ints *v;
	size_t batch;

	if (dim == TN_BATCH)
		return max;
	batch = (size_t)ix->indices[TN_BATCH];
	v = dim == TN_HEIGHT ? &m->heights : &m->widths;
	if (batch >= (size_t)(v->end - v->begin) || v->begin[batch] > max)
		return max;
	return v->begin[batch] - 1;
}

static inline bool is_valid(const struct tn_index *ix)
{
	if ((ix->indices[0] | ix->indices[1] | ix->indices[2]) < 0)
		return false;
	for (int d = 0; d < TN_DIMS; d++)
		if (ix->indices[d] > max_index(ix, d))
			return false;
	return true;
}

static inline void set_t(struct tn_index *ix)
{
	const int *inc = ix->map->t_increments;

	ix->t = inc[0] * ix->indices[0] + inc[1] * ix->indices[1] + inc[2] * ix->indices[2];
}

typedef int (*max_index_fn)(const struct tn_index *, int);
typedef bool (*index_test_fn)(const struct tn_index *);
typedef bool (*index_dim_test_fn)(const struct tn_index *, int);
typedef bool (*add_offset_fn)(struct tn_index *, int, int);
typedef void (*set_t_fn)(struct tn_index *);
typedef bool (*increment_fn)(struct tn_index *);

int tn_max_index(const struct tn_index *ix, int dim)
{
	static void *_Atomic lib;

	if (!tessnet_fast())
		return ((max_index_fn)library_definition(TN_SYM_MAX_INDEX, &lib))(ix, dim);
	return max_index(ix, dim);
}

bool tn_is_valid(const struct tn_index *ix)
{
	static void *_Atomic lib;

	if (!tessnet_fast())
		return ((index_test_fn)library_definition(TN_SYM_IS_VALID, &lib))(ix);
	return is_valid(ix);
}

bool tn_is_last(const struct tn_index *ix, int dim)
{
	static void *_Atomic lib;

	if (!tessnet_fast())
		return ((index_dim_test_fn)library_definition(TN_SYM_IS_LAST, &lib))(ix, dim);
	return max_index(ix, dim) == ix->indices[dim];
}

bool tn_add_offset(struct tn_index *ix, int offset, int dim)
{
	static void *_Atomic lib;

	if (!tessnet_fast())
		return ((add_offset_fn)library_definition(TN_SYM_ADD_OFFSET, &lib))(ix, offset,
										    dim);
	ix->indices[dim] += offset;
	set_t(ix);
	return is_valid(ix);
}

void tn_set_t(struct tn_index *ix)
{
	static void *_Atomic lib;

	if (!tessnet_fast())
		((set_t_fn)library_definition(TN_SYM_SET_T, &lib))(ix);
	else
		set_t(ix);
}

bool tn_increment(struct tn_index *ix)
{
	static void *_Atomic lib;

	if (!tessnet_fast())
		return ((increment_fn)library_definition(TN_SYM_INCREMENT, &lib))(ix);
	for (int d = TN_DIMS - 1; d >= 0; d--) {
		if (max_index(ix, d) != ix->indices[d]) {
			ix->t += ix->map->t_increments[d];
			ix->indices[d]++;
			return true;
		}
		ix->t -= ix->map->t_increments[d] * ix->indices[d];
		ix->indices[d] = 0;
	}
	return false;
}

/* ---- NetworkIO ---- */

typedef void (*write_part_fn)(struct tn_network_io *, int, int, int, const float *);
typedef void (*copy_general_fn)(struct tn_network_io *, int, int, int, const struct tn_network_io *,
				int, int);
typedef void (*maxpool_fn)(struct tn_network_io *, int, const struct tn_network_io *, int, int *);

/*
 * In the integer mode a value x is stored as x * 127 rounded half away
 * from zero (IntCastRounded) and clipped to [-127, 127].  The same single
 * precision operations in the same order as the library's (no fused
 * multiply-add: ISO C contracts none, and no "fma" target here); what is
 * out of the int range, or not a number, converts to INT_MIN as with the
 * library's cvttss2si, so stores -127 as there.
 */
static inline signed char to_int8(float v)
{
	__m128 x = _mm_mul_ss(_mm_set_ss(v), _mm_set_ss(127.0f));
	int r;

	if (_mm_cvtss_f32(x) >= 0.0f)
		r = _mm_cvttss_si32(_mm_add_ss(x, _mm_set_ss(0.5f)));
	else
		r = (int)(0u - (unsigned)_mm_cvttss_si32(_mm_sub_ss(_mm_set_ss(0.5f), x)));
	return (signed char)(r > 127 ? 127 : r < -127 ? -127 : r);
}

/* the same, eight values to a step; returns how many it stored */
__attribute__((target("avx2"))) static int to_int8_avx2(signed char *out, const float *in, int n)
{
	const __m256 k127 = _mm256_set1_ps(127.0f), half = _mm256_set1_ps(0.5f);
	const __m256i hi = _mm256_set1_epi32(127), lo = _mm256_set1_epi32(-127);
	int k;

	for (k = 0; k + 8 <= n; k += 8) {
		__m256 x = _mm256_mul_ps(_mm256_loadu_ps(in + k), k127);
		/* x >= 0, false for not a number (the library's comiss) */
		__m256 pos = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ);
		__m256i up = _mm256_cvttps_epi32(_mm256_add_ps(x, half));
		__m256i down = _mm256_sub_epi32(_mm256_setzero_si256(),
						_mm256_cvttps_epi32(_mm256_sub_ps(half, x)));
		__m256i r = _mm256_castps_si256(
		    _mm256_blendv_ps(_mm256_castsi256_ps(down), _mm256_castsi256_ps(up), pos));
		__m128i w;

		r = _mm256_max_epi32(_mm256_min_epi32(r, hi), lo);
		w = _mm_packs_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
		_mm_storel_epi64((__m128i *)(void *)(out + k), _mm_packs_epi16(w, w));
	}
	return k;
}

/*
 * Where src is larger (strictly, as signed bytes), keep it and note src_t
 * in max_line: sixteen features to a step; returns how many it did.
 */
__attribute__((target("sse4.1"))) static inline void max_line_at(int *at, __m128i t, __m128i lanes)
{
	__m128i *p = (__m128i *)(void *)at;

	_mm_storeu_si128(p, _mm_blendv_epi8(_mm_loadu_si128(p), t, lanes));
}

__attribute__((target("sse4.1"))) static int maxpool_sse41(signed char *to, const signed char *from,
							   int n, int src_t, int *max_line)
{
	const __m128i t = _mm_set1_epi32(src_t);
	int k;

	for (k = 0; k + 16 <= n; k += 16) {
		__m128i d = _mm_loadu_si128((const __m128i *)(const void *)(to + k));
		__m128i s = _mm_loadu_si128((const __m128i *)(const void *)(from + k));
		__m128i gt = _mm_cmpgt_epi8(s, d);
		int m = _mm_movemask_epi8(gt);

		if (!m)
			continue;
		_mm_storeu_si128((__m128i *)(void *)(to + k), _mm_max_epi8(d, s));
		if (m & 0x000f)
			max_line_at(max_line + k, t, _mm_cvtepi8_epi32(gt));
		if (m & 0x00f0)
			max_line_at(max_line + k + 4, t, _mm_cvtepi8_epi32(_mm_srli_si128(gt, 4)));
		if (m & 0x0f00)
			max_line_at(max_line + k + 8, t, _mm_cvtepi8_epi32(_mm_srli_si128(gt, 8)));
		if (m & 0xf000)
			max_line_at(max_line + k + 12, t,
				    _mm_cvtepi8_epi32(_mm_srli_si128(gt, 12)));
	}
	return k;
}

/*
 * The library reads another NetworkIO's int8 row through the array's
 * virtual index() unless that is GENERIC_2D_ARRAY's own: rows read here
 * only then.
 */
static bool plain_int8_array(const struct tn_array *a)
{
	static void *_Atomic plain;
	void *f = atomic_load_explicit(&plain, memory_order_relaxed);

	if (!f) {
		f = dlsym(RTLD_DEFAULT, TN_SYM_INDEX_INT8);
		if (!f)
			return false;
		atomic_store(&plain, f);
	}
	return ((void *const *)a->vtable)[3] == f;
}

/* n features from offset of row t */
void tn_write_part(struct tn_network_io *io, int t, int offset, int n, const float *in)
{
	static void *_Atomic lib;

	if (tessnet_fast()) {
		int k = 0;

		if (!io->int_mode) {
			float *out = (float *)io->f.array + (long)(t * io->f.dim2) + offset;

			for (; k < n; k++)
				out[k] = in[k];
			return;
		}
		signed char *out = (signed char *)io->i.array + (long)(t * io->i.dim2) + offset;

		if (n >= 8 && __builtin_cpu_supports("avx2"))
			k = to_int8_avx2(out, in, n);
		for (; k < n; k++)
			out[k] = to_int8(in[k]);
		return;
	}
	((write_part_fn)library_definition(TN_SYM_WRITE_PART, &lib))(io, t, offset, n, in);
}

/* n features of src's row src_t (from src_offset) into row dest_t */
void tn_copy_general(struct tn_network_io *io, int dest_t, int dest_offset, int n,
		     const struct tn_network_io *src, int src_t, int src_offset)
{
	static void *_Atomic lib;

	if (tessnet_fast() && io->int_mode && src->int_mode && plain_int8_array(&src->i)) {
		signed char *to =
		    (signed char *)io->i.array + (long)(dest_t * io->i.dim2) + dest_offset;
		const signed char *from =
		    (const signed char *)src->i.array + (long)(src_t * src->i.dim2) + src_offset;

		if (n == 1)
			*to = *from;
		else if (n > 0)
			memcpy(to, from, (size_t)n);
		return;
	}
	((copy_general_fn)library_definition(TN_SYM_COPY_GENERAL, &lib))(io, dest_t, dest_offset, n,
									 src, src_t, src_offset);
}

/* the larger of row dest_t and src's row src_t, feature by feature */
void tn_maxpool(struct tn_network_io *io, int dest_t, const struct tn_network_io *src, int src_t,
		int *max_line)
{
	static void *_Atomic lib;

	if (tessnet_fast() && io->int_mode && src->int_mode && plain_int8_array(&src->i)) {
		int n = io->i.dim2, k = 0;
		signed char *to = (signed char *)io->i.array + (long)(dest_t * n);
		const signed char *from =
		    (const signed char *)src->i.array + (long)(src_t * src->i.dim2);

		if (n >= 16 && __builtin_cpu_supports("sse4.1"))
			k = maxpool_sse41(to, from, n, src_t, max_line);
		for (; k < n; k++) {
			if (from[k] > to[k]) {
				to[k] = from[k];
				max_line[k] = src_t;
			}
		}
		return;
	}
	((maxpool_fn)library_definition(TN_SYM_MAXPOOL, &lib))(io, dest_t, src, src_t, max_line);
}
#endif
