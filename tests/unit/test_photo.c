/*
 * test_photo.c — pages as phones and unknown scanners give them: the
 * resolution from the size of the text (the same page rendered at 100 to
 * 400 dpi, its tag missing, a camera's 72 dpi or wrong, comes to the same
 * working size), the sheet found in photographs (its corners within 1% of
 * the page's diagonal, on a desk, in perspective, with a phone over an
 * edge; photographed by the fixtures' camera, an A3 spread whole, a sheet
 * lying on other papers, on a light desk), and an image that holds one line of text read as that line.
 * Pages are rendered by the fixtures' renderer; the OCR is the real one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../fixtures/camera.h"
#include "../../fixtures/render.h"
#include "../../ocr/ocr_internal.h"

static struct fx_block *block(struct fx_doc *d, enum fx_block_kind kind)
{
	struct fx_block *b = &d->blocks[d->nblocks++];

	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

static void line_item(struct fx_doc *d, const char *label, const char *value)
{
	struct fx_block *b = block(d, FX_ITEMS);

	b->items[0].label = label;
	b->items[0].value = value;
	b->nitems = 1;
}

/* A death extract: enough lines of text to measure its letters. */
static void death_doc(struct fx_doc *d)
{
	struct fx_block *b;

	memset(d, 0, sizeof(*d));
	b = block(d, FX_TITLE);
	b->text[0] = "TRÍCH LỤC KHAI TỬ";
	line_item(d, "Số:", "115/2024/TLKT-BS");
	line_item(d, "Họ, chữ đệm, tên:", "Phan Văn Chi");
	line_item(d, "Ngày, tháng, năm sinh:", "08/06/1952");
	line_item(d, "Giới tính:", "Nam");
	line_item(d, "Dân tộc:", "Kinh");
	line_item(d, "Quốc tịch:", "Việt Nam");
	line_item(d, "Giấy tờ tùy thân:", "Căn cước công dân số 024152655596");
	line_item(d, "Đã chết vào lúc:", "13 giờ 40 phút, ngày 16/07/2024");
	line_item(
	    d, "Nơi chết:", "Khu phố Tân Lập, phường Tăng Tiến, thị xã Việt Yên, tỉnh Bắc Giang");
	line_item(d, "Nguyên nhân chết:", "Bệnh già");
	line_item(d, "Đã được đăng ký khai tử tại:",
		  "Ủy ban nhân dân xã An Dương, huyện Tân Yên, tỉnh Bắc Giang");
	line_item(d, "Ngày:", "20/07/2024");
	line_item(d, "Ghi chú:", "Không có");
}

static PIX *render(int dpi)
{
	static struct fx_style st = { .font = "Liberation Serif",
				      .size_pt = 13,
				      .line_spacing = 1.3,
				      .margin_mm = { 25, 20, 20, 20 },
				      .leaders = 0,
				      .join_groups = 0,
				      .stack_columns = 0,
				      .bold_values = 0,
				      .dpi = 300,
				      .a5 = 0 };
	struct fx_doc doc;
	herr e = { 0 };
	PIX *pix;

	st.dpi = dpi;
	death_doc(&doc);
	pix = fx_render_doc(&doc, &st, NULL, &e);
	if (!pix)
		fail_msg("render: %s", e.msg);
	return pix;
}

/* ------------------------------------------------------------------------
 * The resolution from the text
 * ---------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void working_size_from_the_text(void **state)
{
	static const int dpis[] = { 100, 150, 200, 300, 400 };
	double widths[32], lo = 1e9, hi = 0;
	int n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(dpis) / sizeof(dpis[0]); i++) {
		PIX *page = render(dpis[i]);
		/* no tag, a camera's 72 dpi, a tag twice and half the truth */
		int tags[] = { 0, 72, dpis[i] * 2, dpis[i] / 2 };

		for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
			struct prep pp;
			herr e = { 0 };

			assert_int_equal(prep_page(page, tags[t], 0, 0, 0, &pp, &e), 0);
			widths[n++] = pp.w1;
			lo = pp.w1 < lo ? pp.w1 : lo;
			hi = pp.w1 > hi ? pp.w1 : hi;
			if (!pp.dpi_measured)
				fail_msg("%d dpi with tag %d: the tag was taken (%d; x-height %.1f "
					 "at %d dpi)",
					 dpis[i], tags[t], pp.dpi_used, pp.xheight, pp.dpi);
			/* about the truth: the working resolution is 240 dpi */
			if (abs(pp.dpi_used - dpis[i]) > dpis[i] / 5)
				fail_msg("%d dpi with tag %d taken as %d dpi", dpis[i], tags[t],
					 pp.dpi_used);
			prep_release(&pp);
		}
		pixDestroy(&page);
	}
	/* every rendering to the same working size: within 5% of their median */
	qsort(widths, (size_t)n, sizeof(double), cmp_double);
	for (int i = 0; i < n; i++)
		if (fabs(widths[i] - widths[n / 2]) > 0.05 * widths[n / 2])
			fail_msg("working widths from %.0f to %.0f pixels, median %.0f", lo, hi,
				 widths[n / 2]);
}

/* A tag the text agrees with is kept; --dpi imposes its own. */
static void agreeing_tag_kept_and_dpi_forced(void **state)
{
	PIX *page = render(300);
	struct prep pp;
	herr e = { 0 };

	(void)state;
	assert_int_equal(prep_page(page, 300, 0, 0, 0, &pp, &e), 0);
	assert_int_equal(pp.dpi_used, 300);
	assert_false(pp.dpi_measured);
	prep_release(&pp);
	assert_int_equal(prep_page(page, 72, 150, 0, 0, &pp, &e), 0);
	assert_int_equal(pp.dpi_used, 150);
	prep_release(&pp);
	pixDestroy(&page);
}

/* ------------------------------------------------------------------------
 * Photographs
 * ---------------------------------------------------------------------- */

/*
 * A photograph of `page` in a frame of fw x fh: the page's corners at
 * (cx, cy), on a desk of wood grain, lit unevenly, with a dark phone over
 * part of the right edge when `phone`.  RGB.
 */
static PIX *photograph(PIX *page, int fw, int fh, const double *cx, const double *cy, int phone)
{
	double px[4] = { 0, pixGetWidth(page), pixGetWidth(page), 0 };
	double py[4] = { 0, 0, pixGetHeight(page), pixGetHeight(page) };
	double h[9];
	PIX *out = pixCreate(fw, fh, 32);
	l_uint32 *d = pixGetData(out);
	int wpl = pixGetWpl(out), x, y;
	unsigned seed = 12345;

	assert_int_equal(photo_homography(cx, cy, px, py, h), 0);
	for (y = 0; y < fh; y++)
		for (x = 0; x < fw; x++) {
			double u, v, light = 0.7 + 0.3 * (1.0 - (double)x / fw);
			int r, g, b;

			photo_map(h, x + 0.5, y + 0.5, &u, &v);
			seed = seed * 1103515245u + 12345u;
			if (phone && x > cx[1] - fw / 20 && x < cx[1] + fw / 12 && y > fh / 3 &&
			    y < fh / 2) {
				r = g = b = 25 + (int)(seed >> 28);
			} else if (u >= 0 && v >= 0 && u < pixGetWidth(page) - 1 &&
				   v < pixGetHeight(page) - 1) {
				l_uint32 val = 0;

				pixGetPixel(page, (int)u, (int)v, &val);
				r = (int)(val * light);
				g = (int)(val * light * 0.96);
				b = (int)(val * light * 0.9);
			} else {
				double t = sin(y * 0.04 + sin(x * 0.004) * 3) * 0.5 + 0.5;

				r = 100 + (int)(50 * t) + (int)(seed >> 28);
				g = 62 + (int)(30 * t) + (int)(seed >> 28);
				b = 35 + (int)(18 * t);
			}
			composeRGBPixel(r, g, b, d + (size_t)y * (size_t)wpl + x);
		}
	return out;
}

static void sheet_found_in_photographs(void **state)
{
	static const struct {
		int fw, fh, phone;
		double cx[4], cy[4];
	} shots[] = {
		{ 1600, 1200, 0, { 430, 1170, 1210, 380 }, { 90, 120, 1100, 1070 } },
		{ 3000, 2250, 1, { 700, 2300, 2380, 620 }, { 150, 230, 2150, 2080 } },
		{ 2400, 1800, 0, { 520, 1850, 1800, 560 }, { 60, 100, 1760, 1720 } },
		{ 1800, 2400, 1, { 260, 1540, 1600, 200 }, { 420, 380, 2200, 2260 } },
	};
	PIX *page = render(200);

	(void)state;
	for (size_t i = 0; i < sizeof(shots) / sizeof(shots[0]); i++) {
		PIX *photo = photograph(page, shots[i].fw, shots[i].fh, shots[i].cx, shots[i].cy,
					shots[i].phone);
		struct sheet s;
		double diag =
		    hypot(shots[i].cx[2] - shots[i].cx[0], shots[i].cy[2] - shots[i].cy[0]);

		assert_int_equal(photo_find_sheet(photo, &s), 1);
		for (int k = 0; k < 4; k++) {
			double err = hypot(s.x[k] - shots[i].cx[k], s.y[k] - shots[i].cy[k]);

			if (err > 0.01 * diag)
				fail_msg(
				    "shot %zu corner %d at (%.0f, %.0f), was (%.0f, %.0f): %.1f%% "
				    "of the diagonal",
				    i, k, s.x[k], s.y[k], shots[i].cx[k], shots[i].cy[k],
				    100 * err / diag);
		}
		pixDestroy(&photo);
	}
	/* a scan, the paper to the frame's edges, is no photograph */
	{
		struct sheet s;
		PIX *c = pixConvertTo32(page);

		assert_int_equal(photo_find_sheet(c, &s), 0);
		pixDestroy(&c);
	}
	pixDestroy(&page);
}

/*
 * Photographs by the fixtures' camera: `page` on `backdrop` with
 * `objects` things about it (the seed picks them and where they lie:
 * pens, phones, papers under the sheet), the phone held as `pose`; the
 * sheet's corners found within 1% of its diagonal.
 */
struct camera_shot {
	const char *what;
	int spread;
	enum fx_backdrop backdrop;
	int objects;
	uint64_t seed;
	struct fx_pose pose;
};

static void check_camera_shot(PIX *page, const struct camera_shot *sh)
{
	int pw = pixGetWidth(page), ph = pixGetHeight(page);
	struct fx_camera cam;
	struct sheet s;
	herr e = { 0 };
	PIX *photo;
	double diag;

	memset(&cam, 0, sizeof(cam));
	cam.frame_w = pw > ph ? 1600 : 1200;
	cam.frame_h = pw > ph ? 1200 : 1600;
	cam.backdrop = sh->backdrop;
	cam.objects = sh->objects;
	cam.light = 0.5;
	cam.vignette = 0.3;
	cam.blur = 1;
	cam.noise = 3;
	cam.sharpen = 0.3;
	cam.seed = sh->seed;
	if (fx_camera_place(&cam, pw, ph, &sh->pose, &e) < 0)
		fail_msg("%s: %s", sh->what, e.msg);
	photo = fx_camera_shoot(page, &cam, NULL, &e);
	if (!photo)
		fail_msg("%s: %s", sh->what, e.msg);
	diag = hypot(cam.corners[2][0] - cam.corners[0][0], cam.corners[2][1] - cam.corners[0][1]);
	if (!photo_find_sheet(photo, &s))
		fail_msg("%s: no sheet found", sh->what);
	for (int k = 0; k < 4; k++) {
		double err = hypot(s.x[k] - cam.corners[k][0], s.y[k] - cam.corners[k][1]);

		if (err > 0.01 * diag)
			fail_msg("%s: corner %d at (%.0f, %.0f), was (%.0f, %.0f): %.1f%% of the "
				 "diagonal",
				 sh->what, k, s.x[k], s.y[k], cam.corners[k][0], cam.corners[k][1],
				 100 * err / diag);
	}
	pixDestroy(&photo);
}

/*
 * An A3 register spread is one sheet, not its left or right page (the
 * gutter's shadow splits it); a sheet lying on other papers, nearly as
 * bright as it, is the sheet alone; and on a light desk.
 */
static void sheet_found_among_papers(void **state)
{
	static const struct camera_shot shots[] = {
		{ "spread, wood", 1, FX_BACKDROP_WOOD, 0, 1, { 4, -3, 2, 0, 0.6, -0.4, 0.8 } },
		{ "spread, cloth", 1, FX_BACKDROP_FABRIC, 2, 7, { -3, 5, -2, 0, 0.7, 0.3, -0.5 } },
		{ "under, dark", 0, FX_BACKDROP_DARK, 3, 2, { 4, -3, 2, 0, 0.6, 0, 0 } },
		{ "under, dark", 0, FX_BACKDROP_DARK, 3, 5, { 2, 4, -3, 0, 0.6, 0.8, 0 } },
		{ "under, cloth", 0, FX_BACKDROP_FABRIC, 3, 3, { -4, 2, 1, 0, 0.55, 0, -0.8 } },
		{ "light desk", 0, FX_BACKDROP_LIGHT, 3, 7, { 4, -3, 2, 0, 0.6, 0.4, 0 } },
	};
	static const struct fx_style st = { .font = "Liberation Serif",
					    .size_pt = 13,
					    .line_spacing = 1.3,
					    .margin_mm = { 25, 20, 20, 20 },
					    .dpi = 100 };
	struct fx_doc doc;
	herr e = { 0 };
	PIX *page = render(100), *spread;
	int split;

	(void)state;
	death_doc(&doc);
	spread = fx_render_spread(&doc, &doc, &st, NULL, NULL, &split, &e);
	if (!spread)
		fail_msg("spread: %s", e.msg);
	for (size_t i = 0; i < sizeof(shots) / sizeof(shots[0]); i++)
		check_camera_shot(shots[i].spread ? spread : page, &shots[i]);
	pixDestroy(&spread);
	pixDestroy(&page);
}

/* ------------------------------------------------------------------------
 * One line of text
 * ---------------------------------------------------------------------- */

/*
 * Corners found a little off (the bottom edge tilted against the top, as
 * a paper under the sheet or a shadow leads the edge finder) leave text
 * lines that turn down the page; photo_straighten moves the corners back
 * by the lines.  Where the corners were right, it leaves them.
 */
static void corners_off_straightened_by_the_text(void **state)
{
	const double cx[4] = { 430, 1570, 1610, 380 }, cy[4] = { 90, 120, 1700, 1670 };
	const double diag = hypot(cx[2] - cx[0], cy[2] - cy[0]);
	PIX *page = render(200), *photo = photograph(page, 2000, 1800, cx, cy, 0);
	PIX *g = pixConvertTo8(photo, 0);

	(void)state;
	for (int off = 0; off < 2; off++) {
		struct sheet s;
		PIX *rect;
		double before = 0, after = 0;

		memset(&s, 0, sizeof(s));
		s.found = 1;
		s.frame_w = 2000;
		s.frame_h = 1800;
		for (int k = 0; k < 4; k++) {
			s.x[k] = cx[k];
			s.y[k] = cy[k];
		}
		if (off) {
			/* the bottom edge turned by about 2.5 degrees about its middle */
			s.y[2] += 0.04 * diag;
			s.y[3] -= 0.04 * diag;
		}
		for (int k = 0; k < 4; k++)
			before = fmax(before, hypot(s.x[k] - cx[k], s.y[k] - cy[k]) / diag);
		rect = photo_rectify(g, &s);
		assert_non_null(rect);
		assert_int_equal(photo_straighten(rect, &s), off);
		for (int k = 0; k < 4; k++)
			after = fmax(after, hypot(s.x[k] - cx[k], s.y[k] - cy[k]) / diag);
		if (off && after > 0.012)
			fail_msg("corners still %.1f%% of the diagonal off (%.1f%% before)",
				 100 * after, 100 * before);
		assert_true(after <= before + 1e-9);
		pixDestroy(&rect);
	}
	pixDestroy(&g);
	pixDestroy(&photo);
	pixDestroy(&page);
}

static void one_line_read_as_one_line(void **state)
{
	static const struct fx_style st = { .font = "Liberation Serif",
					    .size_pt = 13,
					    .line_spacing = 1.2,
					    .margin_mm = { 10, 10, 10, 10 },
					    .leaders = 0,
					    .join_groups = 0,
					    .stack_columns = 0,
					    .bold_values = 0,
					    .dpi = 300,
					    .a5 = 0 };
	struct fx_doc doc;
	struct ocr_options o;
	struct ocr_engine *eng;
	struct ocr_file *f;
	struct ocr_page pg;
	herr e = { 0 };
	PIX *page, *bin, *line;
	BOX *ink = NULL;
	char path[] = "/tmp/hotich-test-line-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	memset(&doc, 0, sizeof(doc));
	line_item(&doc, "Nơi cư trú:", "Khu phố Tân Lập, phường Tăng Tiến, tỉnh Bắc Giang");
	page = fx_render_doc(&doc, &st, NULL, &e);
	assert_non_null(page);
	/* cropped to its ink: the descenders touch the edge */
	bin = pixConvertTo1(page, 160);
	pixClipToForeground(bin, NULL, &ink);
	assert_non_null(ink);
	line = pixClipRectangle(page, ink, NULL);
	pixSetResolution(line, 300, 300);
	assert_int_equal(pixWrite(path, line, IFF_PNG), 0);
	ocr_options_init(&o);
	eng = ocr_engine_new(&o, &e);
	assert_non_null(eng);
	f = ocr_file_open(path, &o, &e);
	assert_non_null(f);
	assert_int_equal(ocr_read_page(eng, f, 1, &pg, &e), 0);
	/*
	 * One line, whole: its letters read (the marks, which Tesseract reads
	 * no better on such a crop, are not the point here)
	 */
	assert_null(strchr(pg.text.buf, '\n'));
	{
		strbuf got = STRBUF_INIT, want = STRBUF_INIT;

		vn_fold(pg.text.buf, -1, &got);
		vn_fold("Nơi cư trú: Khu phố Tân Lập, phường Tăng Tiến, tỉnh Bắc Giang", -1, &want);
		if (strcmp(got.buf, want.buf))
			fail_msg("read \"%s\"", pg.text.buf);
		strbuf_release(&got);
		strbuf_release(&want);
	}
	ocr_page_release(&pg);
	ocr_file_close(f);
	ocr_engine_free(eng);
	unlink(path);
	boxDestroy(&ink);
	pixDestroy(&bin);
	pixDestroy(&line);
	pixDestroy(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(working_size_from_the_text),
		cmocka_unit_test(agreeing_tag_kept_and_dpi_forced),
		cmocka_unit_test(sheet_found_in_photographs),
		cmocka_unit_test(corners_off_straightened_by_the_text),
		cmocka_unit_test(sheet_found_among_papers),
		cmocka_unit_test(one_line_read_as_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
