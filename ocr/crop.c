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

int ocr_page_jpeg(const char *path, int page_no, int rotation, int part, int nparts, int quality,
		  struct ocr_page_image *out, herr *e)
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
	if (half)
		img = pixGetDepth(half) == 32 ? pixClone(half) : pixConvertTo8(half, 0);
	if (!img || pixWriteMemJpeg(&data, &size, img, quality, 0) != 0 || !data) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: cannot write the page as JPEG", path,
			 page_no);
		goto out;
	}
	out->jpeg = xmalloc(size);
	memcpy(out->jpeg, data, size);
	out->len = size;
	out->width = pixGetWidth(img);
	out->height = pixGetHeight(img);
	out->color = pixGetDepth(img) == 32;
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
