/*
 * test_render.c — the fixture renderer: value boxes sit on their ink, wrap,
 * follow the page through rotation and skew; files come back as written;
 * the scanner's noise is a function of its seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../fixtures/render.h"

static const struct fx_style serif = {
	.font = "Liberation Serif",
	.size_pt = 12,
	.line_spacing = 1.3,
	.margin_mm = { 25, 15, 15, 15 },
	.leaders = 1,
	.join_groups = 1,
	.bold_values = 1,
	.dpi = 200,
};

static struct fx_block *add(struct fx_doc *d, enum fx_block_kind kind)
{
	struct fx_block *b = &d->blocks[d->nblocks++];

	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

static void add_item(struct fx_block *b, const char *label, const char *value, const char *field)
{
	struct fx_item *it = &b->items[b->nitems++];

	it->label = label;
	it->value = value;
	it->field = field;
}

/* a birth certificate, with joined groups, a long wrapped value and a blank */
static void birth_doc(struct fx_doc *d)
{
	struct fx_block *b;

	memset(d, 0, sizeof(*d));
	b = add(d, FX_HEADER);
	b->text[0] = "ỦY BAN NHÂN DÂN";
	b->text[1] = "XÃ TÂN QUANG";
	b->text[4] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
	b->text[5] = "Độc lập - Tự do - Hạnh phúc";
	b = add(d, FX_TITLE);
	b->text[0] = "GIẤY KHAI SINH";
	add_item(add(d, FX_ITEMS), "Họ, chữ đệm, tên:", "NGUYỄN THỊ THUỲ DƯƠNG", "full_name");
	b = add(d, FX_ITEMS);
	add_item(b, "Giới tính:", "Nữ", "sex");
	add_item(b, "Dân tộc:", "Kinh", "ethnicity");
	add_item(b, "Quốc tịch:", "Việt Nam", "nationality");
	add_item(add(d, FX_ITEMS), "Ngày, tháng, năm sinh:", "15/03/1987", "dob");
	add_item(add(d, FX_ITEMS), "Nơi đăng ký khai sinh:",
		 "Ủy ban nhân dân xã Tân Quang, huyện Văn Lâm, tỉnh Hưng Yên, "
		 "nay là thị trấn Như Quỳnh",
		 "reg_place");
	add_item(add(d, FX_ITEMS), "Số định danh cá nhân:", "033187004512", "pid");
	add_item(add(d, FX_ITEMS), "Ghi chú:", "", "note");
	b = add(d, FX_SIGNATURE);
	b->text[0] = "NGƯỜI KÝ GIẤY KHAI SINH";
	b->text[1] = "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)";
	b->text[2] = "Phạm Văn Long";
}

/* dark: pixels darker than mid-grey (or set, at 1 bpp) in a rectangle, clipped */
static int dark(PIX *pix, int x, int y, int w, int h)
{
	int pw = pixGetWidth(pix), ph = pixGetHeight(pix), d = pixGetDepth(pix);
	int wpl = pixGetWpl(pix), i, j, n = 0;
	l_uint32 *data = pixGetData(pix);

	for (i = y < 0 ? 0 : y; i < y + h && i < ph; i++) {
		l_uint32 *line = data + i * wpl;

		for (j = x < 0 ? 0 : x; j < x + w && j < pw; j++)
			n += d == 1 ? (int)GET_DATA_BIT(line, j) : GET_DATA_BYTE(line, j) < 128;
	}
	return n;
}

static const struct fx_box *find(const struct fx_boxes *bx, const char *field)
{
	int i;

	for (i = 0; i < bx->n; i++)
		if (!strcmp(bx->box[i].field, field))
			return &bx->box[i];
	fail_msg("no box for %s", field);
	return NULL;
}

static void value_boxes_hold_their_ink(void **state)
{
	struct fx_doc doc;
	struct fx_boxes bx;
	herr e = { 0 };
	PIX *pix;
	int i, ring_dark = 0, ring_total = 0;

	(void)state;
	birth_doc(&doc);
	pix = fx_render_doc(&doc, &serif, &bx, &e);
	assert_non_null(pix);
	assert_int_equal(e.code, 0);
	assert_int_equal(pixGetDepth(pix), 8);
	assert_int_equal(pixGetWidth(pix), 1654); /* A4 at 200 dpi */
	assert_int_equal(pixGetHeight(pix), 2339);
	assert_int_equal(pixGetXRes(pix), 200);
	assert_int_equal(bx.n, 8);
	for (i = 0; i < bx.n; i++) {
		const struct fx_box *b = &bx.box[i];
		int ring;

		if (!strcmp(b->field, "note")) { /* a blank: no ink, zero width */
			assert_int_equal(b->w, 0);
			assert_true(b->h > 0);
			continue;
		}
		assert_true(b->w > 10 && b->h > 10);
		assert_true(dark(pix, b->x, b->y, b->w, b->h) > b->w * b->h / 20);
		/* a 2-pixel ring just outside the box */
		ring = dark(pix, b->x - 2, b->y - 2, b->w + 4, 2) +
		       dark(pix, b->x - 2, b->y + b->h, b->w + 4, 2) +
		       dark(pix, b->x - 2, b->y, 2, b->h) + dark(pix, b->x + b->w, b->y, 2, b->h);
		ring_dark += ring;
		ring_total += 4 * (b->w + b->h);
		assert_true(ring <= 2);
	}
	assert_true(ring_dark * 200 <= ring_total);
	pixDestroy(&pix);
}

static void long_value_wraps_into_a_taller_box(void **state)
{
	struct fx_style st = serif;
	struct fx_doc doc;
	struct fx_boxes bx;
	const struct fx_box *s, *l, *n;
	herr e = { 0 };
	PIX *pix;

	(void)state;
	st.join_groups = 0;
	memset(&doc, 0, sizeof(doc));
	add_item(add(&doc, FX_ITEMS), "Nơi cư trú:", "thôn Đông, xã Đông Phong", "short");
	add_item(add(&doc, FX_ITEMS), "Nơi cư trú:",
		 "số 12 ngõ 45 phố Trần Phú, phường Đông Ngàn, thị xã Từ Sơn, tỉnh Bắc Ninh, "
		 "nơi đăng ký thường trú trước đây: thôn Đông, xã Đông Phong, huyện Yên Phong",
		 "long");
	add_item(add(&doc, FX_ITEMS), "Dân tộc:", "Kinh", "next");
	pix = fx_render_doc(&doc, &st, &bx, &e);
	assert_non_null(pix);
	s = find(&bx, "short");
	l = find(&bx, "long");
	n = find(&bx, "next");
	assert_true(l->h > s->h * 18 / 10); /* two lines at least */
	assert_true(abs(l->x - s->x) <= 2); /* aligned after the label */
	assert_true(l->x + l->w <= pixGetWidth(pix) - (int)(15 * 200 / 25.4));
	assert_true(n->y > l->y + l->h); /* the next item is under both lines */
	pixDestroy(&pix);
}

static void upside_down_mirrors_the_boxes(void **state)
{
	struct fx_scan sc = { .upside_down = 1 };
	struct fx_boxes bx, moved;
	struct fx_doc doc;
	herr e = { 0 };
	PIX *pix, *scan;
	int i, w, h;

	(void)state;
	birth_doc(&doc);
	pix = fx_render_doc(&doc, &serif, &bx, &e);
	assert_non_null(pix);
	w = pixGetWidth(pix);
	h = pixGetHeight(pix);
	moved = bx;
	scan = fx_scan_page(pix, &sc, &moved, &e);
	assert_non_null(scan);
	for (i = 0; i < bx.n; i++) {
		const struct fx_box *a = &bx.box[i], *b = &moved.box[i];

		assert_int_equal(b->x, w - a->x - a->w);
		assert_int_equal(b->y, h - a->y - a->h);
		assert_int_equal(b->w, a->w);
		assert_int_equal(b->h, a->h);
		assert_int_equal(dark(scan, b->x, b->y, b->w, b->h),
				 dark(pix, a->x, a->y, a->w, a->h));
	}
	pixDestroy(&scan);
	pixDestroy(&pix);
}

static void skew_keeps_the_ink_in_its_box(void **state)
{
	static const double angles[] = { 3.0, -2.5, 0.7 };
	struct fx_style st = serif;
	struct fx_doc doc;
	struct fx_boxes bx;
	herr e = { 0 };
	PIX *pix;
	size_t k;

	(void)state;
	/* one value alone on the page (no leader), off centre: all the ink is the value's */
	st.leaders = 0;
	memset(&doc, 0, sizeof(doc));
	add(&doc, FX_TITLE)->text[0] = " ";
	add_item(add(&doc, FX_ITEMS), NULL, "NGUYỄN VĂN HẢI, thôn Ngọc Lâm", "v");
	pix = fx_render_doc(&doc, &st, &bx, &e);
	assert_non_null(pix);
	assert_int_equal(bx.n, 1);
	for (k = 0; k < HT_ARRAY_LEN(angles); k++) {
		struct fx_scan sc = { .skew_deg = angles[k], .blur = 0.6 };
		struct fx_boxes moved = bx;
		PIX *scan = fx_scan_page(pix, &sc, &moved, &e);
		const struct fx_box *b = &moved.box[0];
		int all, in;

		assert_non_null(scan);
		all = dark(scan, 0, 0, pixGetWidth(scan), pixGetHeight(scan));
		in = dark(scan, b->x, b->y, b->w, b->h);
		assert_true(all > 500);
		assert_int_equal(in, all);
		/* the box moved with the page, and did not just grow to cover it */
		assert_true(b->y != bx.box[0].y);
		assert_true(b->w < bx.box[0].w + 20 && b->h < bx.box[0].h + bx.box[0].w / 15);
		pixDestroy(&scan);
	}
	pixDestroy(&pix);
}

static char *tmp_path(char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void multipage_lzw_tiff_reads_back(void **state)
{
	struct fx_style st = serif;
	char dir[] = "/tmp/test_render.XXXXXX";
	struct fx_doc doc;
	PIX *pages[3], *p;
	herr e = { 0 };
	size_t offset = 0;
	char *path;
	int i, n = 0, fmt = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = tmp_path(dir, "book.tif");
	st.dpi = 100;
	birth_doc(&doc);
	pages[0] = fx_render_blank(FX_BOOK_COVER, &st, 3, "SỔ ĐĂNG KÝ KHAI SINH", NULL, &e);
	pages[1] = fx_render_doc(&doc, &st, NULL, &e);
	pages[2] = fx_render_blank(FX_BLANK_PAGE, &st, 3, NULL, NULL, &e);
	for (i = 0; i < 3; i++)
		assert_non_null(pages[i]);
	assert_int_equal(fx_write_pages(path, pages, 3, FX_TIFF_LZW, 300, &e), 0);
	assert_int_equal(findFileFormat(path, &fmt), 0);
	assert_int_equal(fmt, IFF_TIFF_LZW);
	do {
		p = pixReadFromMultipageTiff(path, &offset);
		assert_non_null(p);
		assert_int_equal(pixGetXRes(p), 300);
		assert_int_equal(pixGetYRes(p), 300);
		assert_int_equal(pixGetDepth(p), 8);
		assert_int_equal(pixGetWidth(p), pixGetWidth(pages[n]));
		n++;
		pixDestroy(&p);
	} while (offset != 0 && n < 10);
	assert_int_equal(n, 3);
	/* the caller's pages keep their own resolution */
	assert_int_equal(pixGetXRes(pages[1]), 100);
	/* PNG and JPEG take exactly one page */
	assert_int_equal(fx_write_pages(path, pages, 3, FX_PNG, 300, &e), -1);
	assert_non_null(strstr(e.msg, "one page"));
	for (i = 0; i < 3; i++)
		pixDestroy(&pages[i]);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void bilevel_and_single_page_formats(void **state)
{
	static const struct {
		enum fx_format f;
		int iff, depth;
	} cases[] = {
		{ FX_TIFF_G4, IFF_TIFF_G4, 1 },
		{ FX_TIFF_G3, IFF_TIFF_G3, 1 },
		{ FX_TIFF_ZIP, IFF_TIFF_ZIP, 8 },
		{ FX_TIFF_JPEG, IFF_TIFF_JPEG, 8 },
		{ FX_TIFF_PACKBITS, IFF_TIFF_PACKBITS, 8 },
		{ FX_TIFF_NONE, IFF_TIFF, 8 },
		{ FX_PNG, IFF_PNG, 8 },
		{ FX_JPEG, IFF_JFIF_JPEG, 8 },
	};
	struct fx_style st = serif;
	char dir[] = "/tmp/test_render.XXXXXX";
	struct fx_doc doc;
	herr e = { 0 };
	PIX *page;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	st.dpi = 150;
	birth_doc(&doc);
	page = fx_render_doc(&doc, &st, NULL, &e);
	assert_non_null(page);
	for (i = 0; i < HT_ARRAY_LEN(cases); i++) {
		char *name = xasprintf("page%zu.%s", i, fx_format_ext(cases[i].f));
		char *path = tmp_path(dir, name);
		int fmt = 0;
		PIX *back;

		assert_int_equal(fx_write_pages(path, &page, 1, cases[i].f, 150, &e), 0);
		assert_int_equal(findFileFormat(path, &fmt), 0);
		assert_int_equal(fmt, cases[i].iff);
		back = pixRead(path);
		assert_non_null(back);
		assert_int_equal(pixGetDepth(back), cases[i].depth);
		assert_int_equal(pixGetXRes(back), 150);
		assert_int_equal(pixGetWidth(back), pixGetWidth(page));
		/* the text survived: some ink, mostly paper */
		{
			int ink = dark(back, 0, 0, pixGetWidth(back), pixGetHeight(back));

			assert_true(ink > 5000 &&
				    ink < pixGetWidth(back) * pixGetHeight(back) / 10);
		}
		pixDestroy(&back);
		unlink(path);
		free(path);
		free(name);
	}
	assert_string_equal(fx_format_ext(FX_TIFF_G4), "tif");
	assert_string_equal(fx_format_ext(FX_PNG), "png");
	assert_string_equal(fx_format_ext(FX_JPEG), "jpg");
	/* a file that cannot be written is named in the error */
	assert_int_equal(fx_write_pages("/nonexistent/dir/x.tif", &page, 1, FX_TIFF_G4, 150, &e),
			 -1);
	assert_non_null(strstr(e.msg, "/nonexistent/dir/x.tif"));
	pixDestroy(&page);
	rmdir(dir);
}

static void noise_follows_the_seed(void **state)
{
	struct fx_scan sc = { .skew_deg = 1.2,
			      .blur = 0.8,
			      .noise = 0.7,
			      .contrast = 0.6,
			      .uneven = 0.7,
			      .jpeg_quality = 70,
			      .seed = 5 };
	struct fx_doc doc;
	struct fx_boxes bx;
	herr e = { 0 };
	PIX *page, *a, *b, *c, *bin;
	int same = 0;

	(void)state;
	birth_doc(&doc);
	page = fx_render_doc(&doc, &serif, &bx, &e);
	assert_non_null(page);
	a = fx_scan_page(page, &sc, NULL, &e);
	b = fx_scan_page(page, &sc, NULL, &e);
	sc.seed = 6;
	c = fx_scan_page(page, &sc, NULL, &e);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(pixEqual(a, b, &same), 0);
	assert_true(same);
	assert_int_equal(pixEqual(a, c, &same), 0);
	assert_false(same);
	assert_int_equal(pixEqual(a, page, &same), 0);
	assert_false(same);
	/* a bilevel scan is 1 bpp and keeps the text */
	sc.binarize = 1;
	bin = fx_scan_page(page, &sc, NULL, &e);
	assert_non_null(bin);
	assert_int_equal(pixGetDepth(bin), 1);
	assert_true(dark(bin, 0, 0, pixGetWidth(bin), pixGetHeight(bin)) > 5000);
	/* out of range settings are refused */
	sc.noise = 2;
	assert_null(fx_scan_page(page, &sc, NULL, &e));
	assert_int_equal(e.code, HT_EXIT_FATAL);
	pixDestroy(&a);
	pixDestroy(&b);
	pixDestroy(&c);
	pixDestroy(&bin);
	pixDestroy(&page);
}

static void spread_puts_the_right_page_after_the_gutter(void **state)
{
	struct fx_style st = serif;
	struct fx_boxes lb, rb, both, single;
	struct fx_doc doc;
	herr e = { 0 };
	PIX *pix, *one;
	int split = 0, i;

	(void)state;
	st.dpi = 100;
	birth_doc(&doc);
	one = fx_render_doc(&doc, &st, &single, &e);
	pix = fx_render_spread(&doc, &doc, &st, &lb, &rb, &split, &e);
	assert_non_null(one);
	assert_non_null(pix);
	assert_int_equal(split, pixGetWidth(one));
	assert_int_equal(pixGetWidth(pix), 2 * pixGetWidth(one));
	assert_int_equal(lb.n, single.n);
	assert_int_equal(rb.n, single.n);
	for (i = 0; i < single.n; i++) {
		assert_int_equal(lb.box[i].x, single.box[i].x);
		assert_int_equal(rb.box[i].x, single.box[i].x + split);
		assert_int_equal(rb.box[i].y, single.box[i].y);
	}
	/* the gutter is shaded */
	assert_true(dark(pix, split - 1, 0, 2, pixGetHeight(pix)) > pixGetHeight(pix) / 2);
	pixDestroy(&pix);
	/* one list for both pages: the right page's boxes follow */
	pix = fx_render_spread(&doc, &doc, &st, &both, &both, &split, &e);
	assert_non_null(pix);
	assert_int_equal(both.n, 2 * single.n);
	assert_int_equal(both.box[single.n].x, single.box[0].x + split);
	pixDestroy(&pix);
	pixDestroy(&one);
}

static void pages_without_a_record(void **state)
{
	struct fx_style st = serif;
	herr e = { 0 };
	PIX *blank, *cover, *s1, *s2, *s3;
	int same = 0, ink;

	(void)state;
	st.dpi = 100;
	blank = fx_render_blank(FX_BLANK_PAGE, &st, 1, NULL, NULL, &e);
	cover = fx_render_blank(FX_BOOK_COVER, &st, 1, "SỔ ĐĂNG KÝ KẾT HÔN", "UBND XÃ AN BÌNH", &e);
	s1 = fx_render_blank(FX_SCRIBBLE, &st, 9, NULL, NULL, &e);
	s2 = fx_render_blank(FX_SCRIBBLE, &st, 9, NULL, NULL, &e);
	s3 = fx_render_blank(FX_SCRIBBLE, &st, 10, NULL, NULL, &e);
	assert_non_null(blank);
	assert_non_null(cover);
	assert_non_null(s1);
	assert_non_null(s2);
	assert_non_null(s3);
	assert_int_equal(dark(blank, 0, 0, pixGetWidth(blank), pixGetHeight(blank)), 0);
	assert_true(dark(cover, 0, 0, pixGetWidth(cover), pixGetHeight(cover)) > 2000);
	ink = dark(s1, 0, 0, pixGetWidth(s1), pixGetHeight(s1));
	assert_true(ink > 5000);
	assert_int_equal(pixEqual(s1, s2, &same), 0);
	assert_true(same);
	assert_int_equal(pixEqual(s1, s3, &same), 0);
	assert_false(same);
	pixDestroy(&blank);
	pixDestroy(&cover);
	pixDestroy(&s1);
	pixDestroy(&s2);
	pixDestroy(&s3);
}

static void fonts_fall_back_and_overflow_fails(void **state)
{
	static const char *const families[] = { "Liberation Serif", "Liberation Sans",
						"DejaVu Serif",	    "DejaVu Sans",
						"Noto Serif",	    "Noto Sans" };
	struct fx_style st = serif;
	struct fx_doc doc;
	struct fx_boxes bx;
	herr e = { 0 };
	PIX *pix;
	size_t i;
	int k;

	(void)state;
	st.dpi = 100;
	birth_doc(&doc);
	/* every family of render.h is installed and has the Vietnamese letters */
	for (i = 0; i < HT_ARRAY_LEN(families); i++) {
		st.font = families[i];
		herr_clear(&e);
		pix = fx_render_doc(&doc, &st, &bx, &e);
		assert_non_null(pix);
		assert_string_equal(e.msg, "");
		assert_int_equal(bx.n, 8);
		pixDestroy(&pix);
	}
	st.font = "No Such Family Sans";
	pix = fx_render_doc(&doc, &st, &bx, &e);
	assert_non_null(pix);
	assert_int_equal(e.code, 0);
	assert_non_null(strstr(e.msg, "not installed"));
	assert_non_null(strstr(e.msg, "Liberation Sans"));
	pixDestroy(&pix);

	st.font = "Liberation Serif";
	memset(&doc, 0, sizeof(doc));
	for (k = 0; k < 30; k++)
		add(&doc, FX_TEXT)->text[0] =
		    "Xác nhận đăng ký việc nhận cha, mẹ, con giữa các bên có tên sau đây, "
		    "theo đúng quy định của Luật Hộ tịch năm 2014 và các văn bản hướng dẫn";
	herr_clear(&e);
	pix = fx_render_doc(&doc, &st, &bx, &e);
	assert_null(pix);
	assert_int_equal(e.code, HT_EXIT_FATAL);
	assert_non_null(strstr(e.msg, "does not fit"));
	assert_int_equal(bx.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_boxes_hold_their_ink),
		cmocka_unit_test(long_value_wraps_into_a_taller_box),
		cmocka_unit_test(upside_down_mirrors_the_boxes),
		cmocka_unit_test(skew_keeps_the_ink_in_its_box),
		cmocka_unit_test(multipage_lzw_tiff_reads_back),
		cmocka_unit_test(bilevel_and_single_page_formats),
		cmocka_unit_test(noise_follows_the_seed),
		cmocka_unit_test(spread_puts_the_right_page_after_the_gutter),
		cmocka_unit_test(pages_without_a_record),
		cmocka_unit_test(fonts_fall_back_and_overflow_fails),
	};

	int failed;

	/* Leptonica reports the failures the tests provoke on stderr: keep TAP clean */
	setMsgSeverity(L_SEVERITY_NONE);
	failed = cmocka_run_group_tests_name("render", tests, NULL, NULL);
	/*
	 * No FcFini: Pango loads fontconfig's configuration in a thread of its
	 * own, and FcFini racing it aborts; what stays is reachable memory.
	 */
	return failed;
}
