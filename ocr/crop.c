/*
 * crop.c — a part of a scanned page as PNG, for the people who review what
 * OCR read: the region around a person's or a field's values, turned
 * upright, the values' boxes tinted, scaled for a screen.
 */
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

int ocr_crop_png(const char *path, int page_no, const int box[4], const int (*marks)[4], int nmarks,
		 int rotation, int max_w, unsigned char **png, size_t *len, herr *e)
{
	struct ocr_options o;
	struct ocr_file *f;
	PIX *page, *rgb = NULL, *crop = NULL, *turned = NULL, *out = NULL;
	BOX *clip = NULL;
	l_uint8 *data = NULL;
	size_t size = 0;
	int dpi, x0, y0, rc = -1;

	*png = NULL;
	*len = 0;
	ocr_options_init(&o);
	f = ocr_file_open(path, &o, e);
	if (!f)
		return -1;
	page = ingest_page(f, page_no, &dpi, e);
	ocr_file_close(f);
	if (!page)
		return -1;
	x0 = box[0] < 0 ? 0 : box[0];
	y0 = box[1] < 0 ? 0 : box[1];
	if (x0 >= pixGetWidth(page) || y0 >= pixGetHeight(page) || box[2] <= 0 || box[3] <= 0) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: the region is outside the page", path,
			 page_no);
		goto out;
	}
	rgb = pixConvertTo32(page);
	clip = boxCreate(x0, y0, box[0] + box[2] - x0, box[1] + box[3] - y0);
	crop = rgb ? pixClipRectangle(rgb, clip, NULL) : NULL;
	if (!crop) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: cannot cut the region", path, page_no);
		goto out;
	}
	for (int i = 0; i < nmarks; i++) {
		BOX *b = boxCreate(marks[i][0] - x0 - 4, marks[i][1] - y0 - 3, marks[i][2] + 8,
				   marks[i][3] + 6);

		if (!b)
			continue;
		pixBlendInRect(crop, b, 0xffd20000, 0.28f);
		pixRenderBoxArb(crop, b, 2, 214, 120, 0);
		boxDestroy(&b);
	}
	turned = rotation % 360 ? pixRotateOrth(crop, (rotation / 90) % 4) : pixClone(crop);
	if (turned && max_w > 0 && pixGetWidth(turned) > max_w) {
		float s = (float)max_w / (float)pixGetWidth(turned);

		out = pixScale(turned, s, s);
	} else {
		out = turned ? pixClone(turned) : NULL;
	}
	if (!out || pixWriteMemPng(&data, &size, out, 0.0f) != 0 || !data) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: cannot write the PNG", path, page_no);
		goto out;
	}
	*png = xmalloc(size);
	memcpy(*png, data, size);
	*len = size;
	rc = 0;
out:
	if (data)
		lept_free(data);
	boxDestroy(&clip);
	pixDestroy(&out);
	pixDestroy(&turned);
	pixDestroy(&crop);
	pixDestroy(&rgb);
	pixDestroy(&page);
	return rc;
}

/* A 16- or 32-bit value of a TIFF in memory, in its byte order. */
static unsigned long tiff_uint(const l_uint8 *p, int bytes, int big)
{
	unsigned long v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (unsigned long)p[big ? i : bytes - 1 - i] << (8 * (bytes - 1 - i));
	return v;
}

/*
 * g4_strip: the CCITT G4 data of a one-strip TIFF in memory (as Leptonica
 * writes it), pointed into `tif`; *black_is_0 from its photometry.  -1
 * when it is not one G4 strip in order.
 */
static int g4_strip(const l_uint8 *tif, size_t size, const l_uint8 **data, size_t *len,
		    int *black_is_0)
{
	unsigned long ifd, n, off = 0, count = 0, strips = 0, compression = 0, fill = 1;
	int big;

	if (size < 8 || (memcmp(tif, "II*\0", 4) && memcmp(tif, "MM\0*", 4)))
		return -1;
	big = tif[0] == 'M';
	ifd = tiff_uint(tif + 4, 4, big);
	if (ifd + 2 > size)
		return -1;
	n = tiff_uint(tif + ifd, 2, big);
	if (ifd + 2 + n * 12 > size)
		return -1;
	*black_is_0 = 0;
	for (unsigned long i = 0; i < n; i++) {
		const l_uint8 *en = tif + ifd + 2 + i * 12;
		unsigned long tag = tiff_uint(en, 2, big), type = tiff_uint(en + 2, 2, big);
		unsigned long cnt = tiff_uint(en + 4, 4, big);
		unsigned long v = type == 3 ? tiff_uint(en + 8, 2, big) : tiff_uint(en + 8, 4, big);

		if (tag == 259)
			compression = v;
		else if (tag == 262)
			*black_is_0 = v == 1;
		else if (tag == 266)
			fill = v;
		else if (tag == 273)
			off = v, strips = cnt;
		else if (tag == 279)
			count = v;
	}
	if (compression != 4 || fill != 1 || strips != 1 || !count || off > size ||
	    count > size - off)
		return -1;
	*data = tif + off;
	*len = count;
	return 0;
}

/* A one-bit image as CCITT G4 into `out`; -1 when it cannot be. */
static int encode_g4(PIX *img, struct ocr_page_image *out)
{
	l_uint8 *tif = NULL;
	const l_uint8 *g4;
	size_t size = 0, len;
	int rc = -1;

	if (pixWriteMemTiff(&tif, &size, img, IFF_TIFF_G4) == 0 && tif &&
	    g4_strip(tif, size, &g4, &len, &out->black_is_0) == 0) {
		out->data = xmalloc(len);
		memcpy(out->data, g4, len);
		out->len = len;
		out->kind = OCR_IMAGE_G4;
		rc = 0;
	}
	if (tif)
		lept_free(tif);
	return rc;
}

static int page_encode(const char *path, int page_no, int rotation, int part, int nparts,
		       int quality, int allow_g4, struct ocr_page_image *out, herr *e)
{
	struct ocr_options o;
	struct ocr_file *f;
	PIX *page, *turned = NULL, *half = NULL, *img = NULL;
	BOX *clip = NULL;
	l_uint8 *data = NULL;
	size_t size = 0;
	int dpi = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	ocr_options_init(&o);
	f = ocr_file_open(path, &o, e);
	if (!f)
		return -1;
	page = ingest_page(f, page_no, &dpi, e);
	ocr_file_close(f);
	if (!page)
		return -1;
	turned = rotation % 360 ? pixRotateOrth(page, (rotation / 90) % 4) : pixClone(page);
	if (turned && nparts > 1 && part >= 0 && part < nparts) {
		int w = pixGetWidth(turned) / nparts;

		clip = boxCreate(w * part, 0, w, pixGetHeight(turned));
		half = pixClipRectangle(turned, clip, NULL);
		out->x0 = w * part;
	} else {
		half = turned ? pixClone(turned) : NULL;
	}
	if (allow_g4 && half && pixGetDepth(half) == 1 && !pixGetColormap(half) &&
	    encode_g4(half, out) == 0) {
		img = pixClone(half);
	} else {
		if (half)
			img = pixGetDepth(half) == 32 ? pixClone(half) : pixConvertTo8(half, 0);
		if (!img || pixWriteMemJpeg(&data, &size, img, quality, 0) != 0 || !data) {
			herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: cannot write the page as JPEG",
				 path, page_no);
			goto out;
		}
		out->data = xmalloc(size);
		memcpy(out->data, data, size);
		out->len = size;
		out->kind = OCR_IMAGE_JPEG;
		out->color = pixGetDepth(img) == 32;
	}
	out->width = pixGetWidth(img);
	out->height = pixGetHeight(img);
	out->dpi = dpi > 0 ? dpi : 300;
	rc = 0;
out:
	if (data)
		lept_free(data);
	boxDestroy(&clip);
	pixDestroy(&img);
	pixDestroy(&half);
	pixDestroy(&turned);
	pixDestroy(&page);
	return rc;
}

int ocr_page_encode(const char *path, int page_no, int rotation, int part, int nparts, int quality,
		    struct ocr_page_image *out, herr *e)
{
	return page_encode(path, page_no, rotation, part, nparts, quality, 1, out, e);
}

int ocr_page_jpeg(const char *path, int page_no, int rotation, int part, int nparts, int quality,
		  struct ocr_page_image *out, herr *e)
{
	return page_encode(path, page_no, rotation, part, nparts, quality, 0, out, e);
}
