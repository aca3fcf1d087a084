/*
 * tessnet.h — the parts of Tesseract's network that tessnet.c defines
 * again: the layout of the objects they work on (libtesseract 5.3.0 on
 * x86-64, as its disassembly reads; not Tesseract's API) and the
 * functions, named as the C++ library names them.  Only ocr/tessnet.c and
 * its test use this header, and only when the Makefile defines
 * HOTICH_TESSNET (that Tesseract, that processor).
 */
#ifndef HOTICH_OCR_TESSNET_H
#define HOTICH_OCR_TESSNET_H

#include <stdbool.h>
#include <stddef.h>

/* the Tesseract whose layout this is (TessVersion()) */
#define TN_VERSION "5.3.0"

/* tesseract::FlexDimensions */
enum {
	TN_BATCH,
	TN_HEIGHT,
	TN_WIDTH,
	TN_DIMS
};

/* std::vector<int> (libstdc++) */
struct tn_ints {
	int *begin, *end, *cap;
};

/* tesseract::StrideMap: a tensor's shape and its rows' strides */
struct tn_stride_map {
	int shape[TN_DIMS];
	int t_increments[TN_DIMS];
	struct tn_ints heights, widths; /* of each image of the batch */
};

/* tesseract::StrideMap::Index: a place (batch, y, x) and its row t */
struct tn_index {
	const struct tn_stride_map *map;
	int t;
	int indices[TN_DIMS];
};

/* tesseract::GENERIC_2D_ARRAY<T> (a class with virtual functions) */
struct tn_array {
	const void *vtable;
	void *array;
	char empty[4];
	int dim1, dim2, size_allocated;
};

/* tesseract::NetworkIO, as far as these functions read it */
struct tn_network_io {
	struct tn_array f; /* float features, a row per time step */
	struct tn_array i; /* int8 features, in the integer mode */
	bool int_mode;
};

/* where the disassembly reads them */
_Static_assert(offsetof(struct tn_stride_map, heights) == 0x18, "StrideMap::heights_");
_Static_assert(offsetof(struct tn_stride_map, widths) == 0x30, "StrideMap::widths_");
_Static_assert(offsetof(struct tn_index, t) == 0x08, "StrideMap::Index::t_");
_Static_assert(offsetof(struct tn_index, indices) == 0x0c, "StrideMap::Index::indices_");
_Static_assert(offsetof(struct tn_network_io, f.array) == 0x08, "NetworkIO::f_");
_Static_assert(offsetof(struct tn_network_io, f.dim2) == 0x18, "NetworkIO::f_.dim2_");
_Static_assert(offsetof(struct tn_network_io, i.array) == 0x28, "NetworkIO::i_");
_Static_assert(offsetof(struct tn_network_io, i.dim2) == 0x38, "NetworkIO::i_.dim2_");
_Static_assert(offsetof(struct tn_network_io, int_mode) == 0x40, "NetworkIO::int_mode_");

#define TN_SYM_MAX_INDEX    "_ZNK9tesseract9StrideMap5Index13MaxIndexOfDimENS_14FlexDimensionsE"
#define TN_SYM_IS_VALID	    "_ZNK9tesseract9StrideMap5Index7IsValidEv"
#define TN_SYM_IS_LAST	    "_ZNK9tesseract9StrideMap5Index6IsLastENS_14FlexDimensionsE"
#define TN_SYM_ADD_OFFSET   "_ZN9tesseract9StrideMap5Index9AddOffsetEiNS_14FlexDimensionsE"
#define TN_SYM_SET_T	    "_ZN9tesseract9StrideMap5Index15SetTFromIndicesEv"
#define TN_SYM_INCREMENT    "_ZN9tesseract9StrideMap5Index9IncrementEv"
#define TN_SYM_WRITE_PART   "_ZN9tesseract9NetworkIO17WriteTimeStepPartEiiiPKf"
#define TN_SYM_COPY_GENERAL "_ZN9tesseract9NetworkIO19CopyTimeStepGeneralEiiiRKS0_ii"
#define TN_SYM_MAXPOOL	    "_ZN9tesseract9NetworkIO15MaxpoolTimeStepEiRKS0_iPi"
/* the int8 array's index(), which the library checks is not overridden */
#define TN_SYM_INDEX_INT8 "_ZNK9tesseract16GENERIC_2D_ARRAYIaE5indexEii"

int tn_max_index(const struct tn_index *ix, int dim) __asm__(TN_SYM_MAX_INDEX);
bool tn_is_valid(const struct tn_index *ix) __asm__(TN_SYM_IS_VALID);
bool tn_is_last(const struct tn_index *ix, int dim) __asm__(TN_SYM_IS_LAST);
bool tn_add_offset(struct tn_index *ix, int offset, int dim) __asm__(TN_SYM_ADD_OFFSET);
void tn_set_t(struct tn_index *ix) __asm__(TN_SYM_SET_T);
bool tn_increment(struct tn_index *ix) __asm__(TN_SYM_INCREMENT);
void tn_write_part(struct tn_network_io *io, int t, int offset, int n,
		   const float *in) __asm__(TN_SYM_WRITE_PART);
void tn_copy_general(struct tn_network_io *io, int dest_t, int dest_offset, int n,
		     const struct tn_network_io *src, int src_t,
		     int src_offset) __asm__(TN_SYM_COPY_GENERAL);
void tn_maxpool(struct tn_network_io *io, int dest_t, const struct tn_network_io *src, int src_t,
		int *max_line) __asm__(TN_SYM_MAXPOOL);

#endif
