/*
 * test_ocr.c — the OCR stage's parts that can be checked without a page of
 * text: label matching (exact, misread, glued, short labels), the layout of
 * spouses side by side, the line finder's geometry, and ingest (a damaged
 * page of a multi-page TIFF costs only that page; a page over the pixel
 * cap is refused from its header, before decoding), with the real
 * libtiff, Leptonica and Tesseract.
 */
#include <dlfcn.h>
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

#include <tiffio.h>

#include "../../ocr/ocr_internal.h"
#if defined(HOTICH_TESSNET)
#include "../../ocr/tessnet.h"
#endif

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

/* A line of words from "text@x" items, laid out at height y. */
static void make_line(struct ocr_words *ws, int y, const char *const *items)
{
	int i, n = 0;

	while (items[n])
		n++;
	ws->n = n;
	ws->w = calloc((size_t)n + 1, sizeof(*ws->w));
	for (i = 0; i < n; i++) {
		const char *at = strrchr(items[i], '@');

		ws->w[i].text = strndup(items[i], (size_t)(at - items[i]));
		ws->w[i].x = (int)strtol(at + 1, NULL, 10);
		ws->w[i].y = y;
		ws->w[i].w = 20 * (int)strlen(ws->w[i].text);
		ws->w[i].h = 40;
		ws->w[i].conf = 95;
	}
}

static const char *label_text(const struct form_def *fd, const struct label_hit *h)
{
	return fd->labels[h->label].text;
}

/* ------------------------------------------------------------------------
 * Labels
 * ---------------------------------------------------------------------- */

static void every_label_finds_itself(void **state)
{
	int d, k;

	(void)state;
	for (d = 0; d < forms_count(); d++) {
		const struct form_def *fd = forms_def(d);

		for (k = 0; k < fd->nlabels; k++) {
			/* the label's words, then a value */
			char *copy = strdup(fd->labels[k].text), *save = NULL, *w;
			const char *items[32];
			char buf[32][64];
			int n = 0, x = 100, hits;
			struct ocr_words ws;
			struct label_hit h[8];

			for (w = strtok_r(copy, " ", &save); w && n < 30;
			     w = strtok_r(NULL, " ", &save)) {
				snprintf(buf[n], sizeof(buf[n]), "%s@%d", w, x);
				items[n] = buf[n];
				x += 30 * (int)strlen(w);
				n++;
			}
			/* printed with its colon (short labels need it) */
			if (n && !(fd->labels[k].flags & FL_ALONE)) {
				char *at = strrchr(buf[n - 1], '@');
				char tail[16];

				snprintf(tail, sizeof(tail), "%s", at);
				snprintf(at, sizeof(buf[n - 1]) - (size_t)(at - buf[n - 1]), ":%s",
					 tail);
			}
			snprintf(buf[n], sizeof(buf[n]), "12345@%d", x + 40);
			items[n] = buf[n];
			items[n + 1] = NULL;
			make_line(&ws, 500, items);
			hits = extract_find_labels(fd, &ws, h, 8);
			if (fd->labels[k].flags & FL_ALONE) {
				/* "Và" is a label only on a line by itself */
				assert_int_equal(hits, 0);
			} else {
				assert_true(hits >= 1);
				assert_string_equal(label_text(fd, &h[0]), fd->labels[k].text);
				assert_int_equal(h[0].first_word, 0);
				assert_int_equal(h[0].last_word, n - 1);
				assert_true(h[0].score > 0.99);
			}
			ocr_words_release(&ws);
			free(copy);
		}
	}
}

/* a date whose slashes were read as strokes; other text left alone */
static void date_separators_repaired(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "13/02I1968", "13/02/1968" },
		{ "22!03|1941", "22/03/1941" },
		{ "1l01l2000", "1/01/2000" },
		{ "13/02/1968", NULL },
		{ "1968I02", NULL },
		{ "Ilona", NULL },
	};
	strbuf b = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int changed = fields_repair_date_separators(cases[i].in, &b);

		assert_int_equal(changed, cases[i].out != NULL);
		if (changed)
			assert_string_equal(b.buf, cases[i].out);
	}
	strbuf_release(&b);
}

/* A place whose words ran together is read with them apart, two or three to a word */
static void places_with_words_run_together(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Xóm 3, Xã Cộng Hoà, Huyện Quốc Oai, Thành phốHàNội",
		  "Xóm 3, Xã Cộng Hoà, Huyện Quốc Oai, Thành phố Hà Nội" },
		{ "Xã Phú Sơn, Huyện Gia Lâm, ThànhphốHàNội",
		  "Xã Phú Sơn, Huyện Gia Lâm, Thành phố Hà Nội" },
		{ "Phường Ngọc Hà, Quận Ba Đình, Thành phố HàNội",
		  "Phường Ngọc Hà, Quận Ba Đình, Thành phố Hà Nội" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ocr_field f;

		memset(&f, 0, sizeof(f));
		fields_place(&f, cases[i].in);
		assert_non_null(f.value);
		assert_string_equal(f.value, cases[i].out);
		if (f.review)
			fail_msg("%s: flagged (%s)", cases[i].in, f.why);
		free(f.value);
	}
}

/*
 * A hamlet's unit word one mark off ("Tố 11" for "Tổ 11") goes to review:
 * the list of units cannot check a hamlet.  The word as printed, or a
 * street with no unit word, does not.
 */
static void hamlet_word_one_mark_off_flagged(void **state)
{
	static const struct {
		const char *in;
		int review;
	} cases[] = {
		{ "Tố 11, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 1 },
		{ "Tổ 11, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 0 },
		{ "Thồn Đông, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 1 },
		{ "Thôn Đông, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 0 },
		{ "Xòm 3, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 1 },
		{ "Ấp 3, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 0 },
		{ "Lê Lợi, Xã Ngọc Xá, Huyện Quế Võ, Tỉnh Bắc Ninh", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ocr_field f;

		memset(&f, 0, sizeof(f));
		fields_place(&f, cases[i].in);
		assert_non_null(f.value);
		if (f.review != cases[i].review)
			fail_msg("%s: review %d (%s), expected %d", cases[i].in, f.review,
				 f.why ? f.why : "-", cases[i].review);
		free(f.value);
	}
}

/* Dots, colons and quotation marks read around a value are not the value */
static void values_trimmed_of_punctuation(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Suy tim.", "Suy tim" },
		{ "\xE2\x80\x9C"
		  "Cấp bản sao trích lục hộ tịch",
		  "Cấp bản sao trích lục hộ tịch" },
		{ ": \"Xơ gan\" ;", "Xơ gan" },
		{ "Đột quỵ\xE2\x80\x9D.", "Đột quỵ" },
		{ "93/2007/TLKH-BS", "93/2007/TLKH-BS" },
		{ "...", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = fields_trim_punct(cases[i].in);

		assert_string_equal(t, cases[i].out);
		free(t);
	}
}

/* "việc nhận cha" is a father, "nhận mẹ" a mother, OCR-damaged or not */
static void recognition_relation(void **state)
{
	(void)state;
	assert_int_equal(fields_relation_sex("Xác nhận đăng ký việc nhận cha, con giữa:"),
			 VN_SEX_MALE);
	assert_int_equal(fields_relation_sex("Xác nhận đăng ký việc nhận mẹ, con giữa:"),
			 VN_SEX_FEMALE);
	assert_int_equal(fields_relation_sex("XÁC NHẬN ĐĂNG KÝ VIỆC NHẬN MẸ, CON GIỮA:"),
			 VN_SEX_FEMALE);
	assert_int_equal(fields_relation_sex("Xac nhan dang ky viec nhan cha. con giua"),
			 VN_SEX_MALE);
	assert_int_equal(fields_relation_sex("Xác nhận đăng ký việc nhận ..., con giữa:"),
			 VN_SEX_UNKNOWN);
}

static void misread_label_still_anchors(void **state)
{
	const struct form_def *fd = forms_find("khai_sinh");
	/* "rn" read for "m", a dropped letter, marks astray */
	static const char *const line[] = { "Ho,@100",	"chữ@180", "đêrn,@260",	 "tèn@340",
					    "ngưi@420", "mẹ:@520", "NGUYỄN@640", "THỊ@800",
					    "LAN@900",	NULL };
	struct ocr_words ws;
	struct label_hit h[4];
	int n;

	(void)state;
	make_line(&ws, 300, line);
	n = extract_find_labels(fd, &ws, h, 4);
	assert_int_equal(n, 1);
	assert_string_equal(label_text(fd, &h[0]), "Họ, chữ đệm, tên người mẹ");
	assert_int_equal(h[0].last_word, 5);
	assert_true(h[0].score >= 0.78 && h[0].score < 1.0);
	ocr_words_release(&ws);
}

static void two_labels_on_a_line(void **state)
{
	const struct form_def *fd = forms_find("khai_sinh");
	static const char *const line[] = { "Dân@100",	  "tộc:@180",  "Kinh@280", "Quốc@900",
					    "tịch:@1000", "Việt@1120", "Nam@1220", NULL };
	struct ocr_words ws;
	struct label_hit h[4];
	int n;

	(void)state;
	make_line(&ws, 300, line);
	n = extract_find_labels(fd, &ws, h, 4);
	assert_int_equal(n, 2);
	assert_string_equal(label_text(fd, &h[0]), "Dân tộc");
	assert_string_equal(label_text(fd, &h[1]), "Quốc tịch");
	assert_int_equal(h[1].first_word, 3);
	ocr_words_release(&ws);
}

static void a_label_does_not_take_the_value_before_it(void **state)
{
	const struct form_def *fd = forms_find("ket_hon");
	/* "huy họ chữ đệm tên vợ" is near enough the label too: the better
	 * match, a word later, wins */
	static const char *const line[] = { "Họ,@100",	  "chữ@180",  "đệm,@260",  "tên@360",
					    "chồng:@440", "LÊ@560",   "NHẬT@640",  "HUY@760",
					    "Họ,@1326",	  "chữ@1400", "đệm,@1480", "tên@1580",
					    "vợ:@1660",	  NULL };
	struct ocr_words ws;
	struct label_hit h[4];

	(void)state;
	make_line(&ws, 300, line);
	assert_int_equal(extract_find_labels(fd, &ws, h, 4), 2);
	assert_string_equal(label_text(fd, &h[1]), "Họ, chữ đệm, tên vợ");
	assert_int_equal(h[1].first_word, 8);
	ocr_words_release(&ws);
}

static void short_label_needs_its_colon(void **state)
{
	const struct form_def *fd = forms_find("khai_sinh");
	static const char *const with_colon[] = { "Số:@100", "25@200", NULL };
	static const char *const in_text[] = { "Số@100", "nhà@200", "25@300", NULL };
	static const char *const glued[] = { "Số19@100", "Quyển@400", "số:@520", "04@600", NULL };
	static const char *const rest[] = { "Số:25/2015/TLKS-BS@100", NULL };
	struct ocr_words ws;
	struct label_hit h[4];
	int n;

	(void)state;
	make_line(&ws, 300, with_colon);
	n = extract_find_labels(fd, &ws, h, 4);
	assert_int_equal(n, 1);
	assert_string_equal(label_text(fd, &h[0]), "Số");
	assert_int_equal(h[0].rest_offset, -1);
	ocr_words_release(&ws);

	/* "Số" inside a sentence is not the label */
	make_line(&ws, 300, in_text);
	assert_int_equal(extract_find_labels(fd, &ws, h, 4), 0);
	ocr_words_release(&ws);

	/* run into its number: the value starts at the digits */
	make_line(&ws, 300, glued);
	n = extract_find_labels(fd, &ws, h, 4);
	assert_int_equal(n, 2);
	assert_string_equal(label_text(fd, &h[0]), "Số");
	assert_int_equal(h[0].rest_offset, (int)strlen("Số"));
	assert_string_equal(label_text(fd, &h[1]), "Quyển số");
	ocr_words_release(&ws);

	/* the value glued after the colon */
	make_line(&ws, 300, rest);
	n = extract_find_labels(fd, &ws, h, 4);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].rest_offset, (int)strlen("Số:"));
	ocr_words_release(&ws);
}

/* ------------------------------------------------------------------------
 * Spouses side by side
 * ---------------------------------------------------------------------- */

static int line_has(const struct ocr_words *ws, const char *text)
{
	for (int i = 0; i < ws->n; i++)
		if (!strcmp(ws->w[i].text, text))
			return 1;
	return 0;
}

static void columns_are_unfolded(void **state)
{
	const struct form_def *fd = forms_find("ket_hon");
	static const char *const l0[] = { "Số:@100", "209@180", NULL };
	static const char *const l1[] = { "Bên@300", "chồng@380", "Bên@1500", "vợ@1580", NULL };
	static const char *const l2[] = { "Họ,@100",	"chữ@180",  "đệm,@260", "tên@360",
					  "chồng:@440", "Họ,@1200", "chữ@1280", "đệm,@1360",
					  "tên@1460",	"vợ:@1540", NULL };
	static const char *const l3[] = { "LÊ@140",   "VĂN@220",   "AN@320", "MAI@1240",
					  "THỊ@1340", "BÌNH@1440", NULL };
	static const char *const l4[] = { "Dân@100",   "tộc:@180", "Kinh@280", "Dân@1200",
					  "tộc:@1280", "Tày@1380", NULL };
	static const char *const l5[] = { "Nơi@100",  "đăng@180", "ký@260", "kết@320", "hôn:@400",
					  "UBND@500", "xã@600",	  "Cổ@660", "Loa@720", NULL };
	const char *const *src[] = { l0, l1, l2, l3, l4, l5 };
	struct ocr_words lines[6], *out = NULL;
	int i, n = 0;

	(void)state;
	for (i = 0; i < 6; i++)
		make_line(&lines[i], 100 + 80 * i, src[i]);
	assert_int_equal(extract_unfold(fd, lines, 6, &out, &n), 1);
	/* before the block, the left column, the right column, after */
	assert_int_equal(n, 10);
	assert_true(line_has(&out[0], "209"));
	assert_true(line_has(&out[1], "chồng"));
	assert_false(line_has(&out[1], "vợ"));
	assert_true(line_has(&out[2], "chồng:"));
	assert_true(line_has(&out[3], "AN"));
	assert_false(line_has(&out[3], "BÌNH"));
	assert_true(line_has(&out[4], "Kinh"));
	assert_false(line_has(&out[4], "Tày"));
	assert_true(line_has(&out[5], "vợ"));
	assert_true(line_has(&out[6], "vợ:"));
	assert_true(line_has(&out[7], "BÌNH"));
	assert_true(line_has(&out[8], "Tày"));
	assert_true(line_has(&out[9], "Loa"));
	/* the halves keep their place on the page */
	assert_int_equal(out[7].w[0].x, 1240);
	for (i = 0; i < n; i++)
		ocr_words_release(&out[i]);
	free(out);

	/* one column: nothing to unfold */
	assert_int_equal(extract_unfold(fd, lines + 3, 3, &out, &n), 0);
	assert_null(out);
	for (i = 0; i < 6; i++)
		ocr_words_release(&lines[i]);
}

/*
 * forms_similarity_least (the banded edit distance labels are matched
 * with) is forms_similarity wherever that reaches `need`, and under `need`
 * elsewhere: random near strings, every threshold the extraction uses.
 */
static void similarity_least_is_similarity(void **state)
{
	static const double needs[] = { 1.0, 0.85, 0.8, 0.78, 0.5, 0.0 };
	unsigned seed = 2701;
	char a[160], b[160];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		int la = (int)(rand_r(&seed) % (round % 10 ? 40 : 150));
		int lb;

		for (int i = 0; i < la; i++)
			a[i] = (char)('a' + rand_r(&seed) % 4);
		a[la] = 0;
		/* b: a with a few edits, or anything */
		lb = 0;
		for (int i = 0; i < la && lb < 150; i++) {
			int r = (int)(rand_r(&seed) % 10);

			if (r == 0)
				continue;
			b[lb++] = r == 1 ? (char)('a' + rand_r(&seed) % 4) : a[i];
			if (r == 2 && lb < 150)
				b[lb++] = ' ';
		}
		if (round % 7 == 0)
			for (lb = 0; lb < (int)(rand_r(&seed) % 30); lb++)
				b[lb] = (char)('a' + rand_r(&seed) % 4);
		b[lb] = 0;
		for (size_t k = 0; k < sizeof(needs) / sizeof(needs[0]); k++) {
			double full = forms_similarity(a, b),
			       least = forms_similarity_least(a, b, needs[k]);

			if (full >= needs[k])
				assert_true(least == full);
			else
				assert_true(least < needs[k]);
		}
	}
}

/* ------------------------------------------------------------------------
 * Line geometry
 * ---------------------------------------------------------------------- */

static void lines_ignore_specks(void **state)
{
	PIX *pix = pixCreate(2400, 1200, 1);
	struct text_line *tl = NULL;
	int n = 0, i;

	(void)state;
	/* three "lines" of "words": 10 blocks of 60x36 with gaps */
	for (i = 0; i < 3; i++)
		for (int k = 0; k < (i == 1 ? 3 : 10); k++)
			pixRasterop(pix, 200 + k * 90, 200 + i * 120, 60, 36, PIX_SET, NULL, 0, 0);
	/* specks far to the right of the short line, and alone in the margin */
	pixRasterop(pix, 2200, 330, 3, 3, PIX_SET, NULL, 0, 0);
	pixRasterop(pix, 2300, 335, 2, 2, PIX_SET, NULL, 0, 0);
	pixRasterop(pix, 1200, 900, 3, 3, PIX_SET, NULL, 0, 0);
	assert_int_equal(lines_find(pix, NULL, 300, &tl, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(tl[i].x, 200);
		assert_in_range(tl[i].y, 195, 200 + i * 120);
		assert_in_range(tl[i].h, 36, 40);
	}
	/* the short line ends at its last word, not at the specks */
	assert_int_equal(tl[1].x + tl[1].w, 200 + 2 * 90 + 60);
	assert_int_equal(tl[0].x + tl[0].w, 200 + 9 * 90 + 60);
	free(tl);
	pixDestroy(&pix);
}

/* A vertical rule or a fold's shadow down the page does not join its lines. */
static void lines_across_a_vertical_rule(void **state)
{
	PIX *pix = pixCreate(2400, 1200, 1);
	struct text_line *tl = NULL;
	int n = 0, i;

	(void)state;
	for (i = 0; i < 3; i++)
		for (int k = 0; k < 10; k++)
			pixRasterop(pix, 200 + k * 90, 200 + i * 120, 60, 36, PIX_SET, NULL, 0, 0);
	/* a shadow 40 pixels wide from top to bottom, across 32-pixel words */
	pixRasterop(pix, 1230, 0, 40, 1200, PIX_SET, NULL, 0, 0);
	assert_int_equal(lines_find(pix, NULL, 300, &tl, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(tl[i].y, 200 + i * 120);
		assert_int_equal(tl[i].h, 36);
	}
	free(tl);
	pixDestroy(&pix);
}

static void title_line_is_not_cut(void **state)
{
	PIX *pix = pixCreate(2400, 1400, 1);
	struct text_line *tl = NULL;
	int n = 0, i;

	(void)state;
	/* body lines 36 px tall; a title line of 80 px solid ink */
	for (i = 0; i < 6; i++)
		pixRasterop(pix, 200, 400 + i * 80, 1500, 36, PIX_SET, NULL, 0, 0);
	pixRasterop(pix, 300, 200, 1200, 80, PIX_SET, NULL, 0, 0);
	/* two body lines touching: one band, cut in two at the dip */
	pixRasterop(pix, 200, 1000, 1500, 36, PIX_SET, NULL, 0, 0);
	pixRasterop(pix, 200, 1036, 40, 2, PIX_SET, NULL, 0, 0);
	pixRasterop(pix, 200, 1038, 1500, 36, PIX_SET, NULL, 0, 0);
	assert_int_equal(lines_find(pix, NULL, 300, &tl, &n), 0);
	assert_int_equal(n, 9);
	assert_int_equal(tl[0].y, 200);
	assert_int_equal(tl[0].h, 80);
	assert_in_range(tl[7].y, 1000, 1000);
	assert_in_range(tl[8].y, 1030, 1040);
	free(tl);
	pixDestroy(&pix);
}

/* ------------------------------------------------------------------------
 * Preprocessing geometry
 * ---------------------------------------------------------------------- */

/*
 * A page of "text" (rows of word-sized bars) at `dpi`, with a 40x40 square
 * of ink at (sqx, sqy) in the margin; turned by `quads` quarter turns and
 * skewed by `deg` degrees.
 */
static PIX *geometry_page(int dpi, int quads, double deg, int *sqx, int *sqy)
{
	int w = dpi * 827 / 100, h = dpi * 1169 / 100;
	PIX *p = pixCreate(w, h, 8), *t;

	pixSetAll(p);
	for (int row = 0; row < 30; row++)
		for (int k = 0; k < 14; k++)
			pixRasterop(p, w / 6 + k * w / 22, h / 8 + row * h / 40, w / 30, h / 130,
				    PIX_CLR, NULL, 0, 0);
	/* near a corner: straightening moves it a long way */
	*sqx = w / 20;
	*sqy = h / 12;
	pixRasterop(p, *sqx, *sqy, 40, 40, PIX_CLR, NULL, 0, 0);
	if (quads) {
		t = pixRotateOrth(p, quads);
		pixDestroy(&p);
		p = t;
		/* where the square went */
		if (quads == 2) {
			*sqx = w - *sqx - 40;
			*sqy = h - *sqy - 40;
		}
	}
	if (deg != 0) {
		t = pixRotate(p, (float)(deg * 3.14159265 / 180), L_ROTATE_AREA_MAP,
			      L_BRING_IN_WHITE, 0, 0);
		pixDestroy(&p);
		p = t;
	}
	pixSetResolution(p, dpi, dpi);
	return p;
}

/* The square's box in the preprocessed page: the component of its size. */
static int find_square(const struct prep *pp, int box[4])
{
	BOXA *b = pixConnCompBB(pp->bin, 8);
	int n = b ? boxaGetCount(b) : 0, found = 0, side = (int)(40 * pp->scale + 0.5);

	for (int i = 0; i < n; i++) {
		l_int32 x, y, w, h;

		boxaGetBoxGeometry(b, i, &x, &y, &w, &h);
		if (abs(w - side) <= 4 && abs(h - side) <= 4) {
			box[0] = x;
			box[1] = y;
			box[2] = w;
			box[3] = h;
			found++;
		}
	}
	boxaDestroy(&b);
	return found;
}

static void check_geometry(int dpi, int quads, double deg)
{
	int sqx, sqy, box[4] = { 0 }, back[4];
	PIX *page = geometry_page(dpi, quads, deg, &sqx, &sqy);
	struct prep pp;
	herr e = { 0 };

	assert_int_equal(prep_page(page, dpi, dpi, quads ? 90 * quads : 0, 0, &pp, &e), 0);
	/* within a sixth of 240 dpi a page keeps its resolution */
	assert_in_range(pp.dpi, 200, 280);
	/* the page came out straight: its skew was found (and undone) */
	if (deg != 0) {
		l_float32 left = 9, conf = 0;

		assert_true(fabs(fabs(pp.skew) - fabs(deg)) < 0.2);
		/* straightened, not turned the other way */
		assert_int_equal(pixFindSkew(pp.bin, &left, &conf), 0);
		assert_true(fabsf(left) < 0.2f);
	}
	assert_int_equal(find_square(&pp, box), 1);
	/* and a box of it maps back onto the square of the page as read */
	prep_box_to_page(&pp, box[0], box[1], box[2], box[3], back);
	if (deg == 0) {
		assert_in_range(back[0], sqx - 3, sqx + 3);
		assert_in_range(back[1], sqy - 3, sqy + 3);
	} else {
		/* the square itself was turned by the skew: its centre is where it was */
		double cx = pixGetWidth(page) / 2.0, cy = pixGetHeight(page) / 2.0;
		double a = deg * 3.14159265 / 180, dx = sqx + 20 - cx, dy = sqy + 20 - cy;
		/* Leptonica turns clockwise for a positive angle (y down) */
		double ex = cx + dx * cos(a) - dy * sin(a), ey = cy + dx * sin(a) + dy * cos(a);

		assert_in_range(back[0] + back[2] / 2, (int)ex - 3, (int)ex + 3);
		assert_in_range(back[1] + back[3] / 2, (int)ey - 3, (int)ey + 3);
	}
	prep_release(&pp);
	pixDestroy(&page);
}

/* pixWriteMem of `pix` as `format`, read back: must be the same image; its size */
static size_t written_size(PIX *pix, l_int32 format)
{
	l_uint8 *data = NULL;
	size_t size = 0;
	l_int32 same = 0;
	PIX *back;

	assert_int_equal(pixWriteMem(&data, &size, pix, format), 0);
	back = pixReadMem(data, size);
	assert_non_null(back);
	pixEqual(pix, back, &same);
	assert_true(same);
	pixDestroy(&back);
	lept_free(data);
	return size;
}

/*
 * ocr/tess.c's pixWriteMem and pixReadMem (Tesseract's line images kept
 * in memory): inside Tesseract's recognition an image asked for as PNG is
 * not encoded (a few bytes that name a kept copy) and reads back the same
 * image; another format is Leptonica's own; once the recognition is over,
 * the bytes it handed out read as nothing, and outside it a PNG is a PNG.
 */
static void line_images_passed_without_encoding(void **state)
{
	PIX *pix = pixCreate(400, 40, 8), *back;
	l_uint8 *token = NULL, *other = NULL;
	size_t size = 0, osize = 0;
	l_int32 same = 0;

	(void)state;
	assert_non_null(pix);
	pixSetAllArbitrary(pix, 255);
	pixRasterop(pix, 20, 10, 200, 20, PIX_CLR, NULL, 0, 0);
	/* outside tess_read: Leptonica's PNG, deflated to a few hundred bytes */
	assert_true(written_size(pix, IFF_PNG) < 1000);
	tess_png_plain(1);
	assert_true(written_size(pix, IFF_PNG) < 100);
	assert_true(written_size(pix, IFF_PNM) > 400 * 40);
	assert_int_equal(pixWriteMem(&token, &size, pix, IFF_PNG), 0);
	assert_int_equal(pixWriteMem(&other, &osize, pix, IFF_PNG), 0);
	/* the image written, not a later change of the caller's */
	pixRasterop(pix, 300, 10, 50, 20, PIX_CLR, NULL, 0, 0);
	back = pixReadMem(other, osize);
	assert_non_null(back);
	pixEqual(pix, back, &same);
	assert_false(same);
	pixRasterop(back, 300, 10, 50, 20, PIX_CLR, NULL, 0, 0);
	pixEqual(pix, back, &same);
	assert_true(same);
	pixDestroy(&back);
	tess_png_plain(0);
	/* kept past the recognition: nothing, never another image */
	tess_png_plain(1);
	for (int i = 0; i < 3; i++)
		assert_true(written_size(pix, IFF_PNG) < 100);
	assert_null(pixReadMem(token, size));
	tess_png_plain(0);
	assert_null(pixReadMem(token, size));
	lept_free(token);
	lept_free(other);
	/* Leptonica's own again */
	assert_true(written_size(pix, IFF_PNG) < 1000);
	pixDestroy(&pix);
}

/*
 * ocr/tess.c's GOMP_* (Tesseract's OpenMP regions, the thread limit one):
 * a region's body runs once, in the calling thread, as a team of one; its
 * sections come one after the other, each once, also around a region
 * opened inside one of them.
 */
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count,
			    unsigned flags);
unsigned GOMP_sections_next(void);
void GOMP_sections_end_nowait(void);

struct omp_seen {
	int calls, team, order[16], n;
};

static void omp_inner(void *data)
{
	struct omp_seen *s = data;
	unsigned k;

	s->calls++;
	while ((k = GOMP_sections_next()) != 0 && s->n < 16)
		s->order[s->n++] = 100 + (int)k;
	GOMP_sections_end_nowait();
}

static void omp_outer(void *data)
{
	struct omp_seen *s = data;
	unsigned k;

	s->calls++;
	while ((k = GOMP_sections_next()) != 0 && s->n < 16) {
		s->order[s->n++] = (int)k;
		if (k == 2)
			GOMP_parallel_sections(omp_inner, s, 4, 2, 0);
	}
	GOMP_sections_end_nowait();
}

/* libgomp's (loaded with Tesseract): how a loop's body finds its share */
static int omp_call(const char *name)
{
	int (*f)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, name);

	assert_non_null(f);
	return f();
}

static void omp_loop(void *data)
{
	struct omp_seen *s = data;

	s->calls++;
	s->team = omp_call("omp_get_num_threads") * 10 + omp_call("omp_get_thread_num");
}

static void omp_regions_run_inline(void **state)
{
	struct omp_seen s = { 0 };
	const int want[] = { 1, 2, 101, 102, 3 };
	const char *limit = getenv("OMP_THREAD_LIMIT");

	(void)state;
	/* tests/run-tests.sh sets the limit, as pipeline/hotich.c does */
	if (!limit || strcmp(limit, "1")) {
		skip();
		return;
	}
	assert_int_equal(tess_omp_inline(), 1);
	GOMP_parallel_sections(omp_outer, &s, 4, 3, 0);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(s.order[i], want[i]);
	memset(&s, 0, sizeof(s));
	GOMP_parallel(omp_loop, &s, 4, 0);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.team, 10);
}

/*
 * ocr/tessnet.c's definitions of Tesseract's network bookkeeping give
 * what the library's own give (found after the test binary's with
 * RTLD_NEXT), on random tensors and indices: StrideMap::Index's functions
 * (batches whose images are smaller than the tensor, vectors shorter than
 * the batch, indices off every edge), and NetworkIO's rows in the integer
 * mode (values at the rounding's halves, out of range, infinite, not a
 * number) and in the float mode.
 */
#if defined(HOTICH_TESSNET)
static void *library_fn(const char *name, const void *ours)
{
	void *f = dlsym(RTLD_NEXT, name);

	assert_non_null(f);
	assert_ptr_not_equal(f, ours);
	return f;
}

static int random_in(unsigned *seed, int lo, int hi)
{
	return lo + (int)(rand_r(seed) % (unsigned)(hi - lo + 1));
}

static void random_stride_map(unsigned *seed, struct tn_stride_map *m, int *hv, int *wv)
{
	int nb = random_in(seed, 1, 3), nh = random_in(seed, 0, nb), nw = random_in(seed, 0, nb);

	memset(m, 0, sizeof(*m));
	m->shape[TN_BATCH] = nb;
	m->shape[TN_HEIGHT] = random_in(seed, 1, 40);
	m->shape[TN_WIDTH] = random_in(seed, 1, 60);
	m->t_increments[TN_WIDTH] = 1;
	m->t_increments[TN_HEIGHT] = m->shape[TN_WIDTH];
	m->t_increments[TN_BATCH] = m->shape[TN_WIDTH] * m->shape[TN_HEIGHT];
	for (int b = 0; b < nb; b++) {
		hv[b] = random_in(seed, 0, m->shape[TN_HEIGHT] + 2);
		wv[b] = random_in(seed, 0, m->shape[TN_WIDTH] + 2);
	}
	m->heights.begin = hv;
	m->heights.end = m->heights.cap = hv + nh;
	m->widths.begin = wv;
	m->widths.end = m->widths.cap = wv + nw;
}

static void assert_same_index(const struct tn_index *a, const struct tn_index *b)
{
	assert_ptr_equal(a->map, b->map);
	assert_int_equal(a->t, b->t);
	for (int d = 0; d < TN_DIMS; d++)
		assert_int_equal(a->indices[d], b->indices[d]);
}

static void stride_index_is_tesseracts(void **state)
{
	int (*max_index)(const struct tn_index *, int) =
	    (int (*)(const struct tn_index *, int))library_fn(TN_SYM_MAX_INDEX,
							      (void *)tn_max_index);
	bool (*is_valid)(const struct tn_index *) =
	    (bool (*)(const struct tn_index *))library_fn(TN_SYM_IS_VALID, (void *)tn_is_valid);
	bool (*is_last)(const struct tn_index *, int) =
	    (bool (*)(const struct tn_index *, int))library_fn(TN_SYM_IS_LAST, (void *)tn_is_last);
	bool (*add_offset)(struct tn_index *, int, int) =
	    (bool (*)(struct tn_index *, int, int))library_fn(TN_SYM_ADD_OFFSET,
							      (void *)tn_add_offset);
	void (*set_t)(struct tn_index *) =
	    (void (*)(struct tn_index *))library_fn(TN_SYM_SET_T, (void *)tn_set_t);
	bool (*increment)(struct tn_index *) =
	    (bool (*)(struct tn_index *))library_fn(TN_SYM_INCREMENT, (void *)tn_increment);
	unsigned seed = 56;
	int valid = 0, increments = 0;

	(void)state;
	if (!tessnet_fast()) {
		skip();
		return;
	}
	for (int round = 0; round < 20000; round++) {
		struct tn_stride_map m;
		int hv[3], wv[3];
		struct tn_index a, b;
		int dim = random_in(&seed, 0, TN_DIMS - 1), off = random_in(&seed, -2, 2);

		random_stride_map(&seed, &m, hv, wv);
		a.map = &m;
		a.t = random_in(&seed, 0, 1000);
		for (int d = 0; d < TN_DIMS; d++)
			a.indices[d] = random_in(&seed, -1, m.shape[d]);
		b = a;
		assert_int_equal(tn_is_valid(&a), is_valid(&b));
		valid += is_valid(&b);
		/* MaxIndexOfDim and IsLast are asked with a batch index in range */
		if (a.indices[TN_BATCH] >= 0 && a.indices[TN_BATCH] < m.shape[TN_BATCH]) {
			for (int d = 0; d < TN_DIMS; d++) {
				assert_int_equal(tn_max_index(&a, d), max_index(&b, d));
				assert_int_equal(tn_is_last(&a, d), is_last(&b, d));
			}
		}
		tn_set_t(&a);
		set_t(&b);
		assert_same_index(&a, &b);
		assert_int_equal(tn_add_offset(&a, off, dim), add_offset(&b, off, dim));
		assert_same_index(&a, &b);
		/* Increment walks from a valid index */
		if (is_valid(&b)) {
			bool more;

			do {
				more = tn_increment(&a);
				assert_int_equal(more, increment(&b));
				assert_same_index(&a, &b);
				increments++;
			} while (more && increments % 50);
		}
	}
	/* both kinds were met */
	assert_in_range(valid, 2000, 18000);
	assert_true(increments > 10000);
}

/* a GENERIC_2D_ARRAY<int8_t>'s index() that is not the class's own */
static int other_index(const struct tn_array *a, int col, int row)
{
	return col * a->dim2 + row;
}

static float special_value(unsigned *seed)
{
	static const float some[] = { 0.0f, -0.0f, 1.0f, -1.0f, 2.0f, -3.0f, 1e10f, -1e10f, 1e30f };

	switch (rand_r(seed) % 6) {
	case 0: /* at a half of the rounding */
		return ((float)random_in(seed, -300, 300) + 0.5f) / 127.0f;
	case 1:
		return some[rand_r(seed) % (sizeof(some) / sizeof(*some))];
	case 2:
		return rand_r(seed) % 2 ? INFINITY : -INFINITY;
	case 3:
		return rand_r(seed) % 8 ? ((float)rand_r(seed) / (float)RAND_MAX - 0.5f) * 2.6f
					: NAN;
	default:
		return ((float)rand_r(seed) / (float)RAND_MAX - 0.5f) * 2.2f;
	}
}

static void network_rows_are_tesseracts(void **state)
{
	void (*write_part)(struct tn_network_io *, int, int, int, const float *) =
	    (void (*)(struct tn_network_io *, int, int, int, const float *))library_fn(
		TN_SYM_WRITE_PART, (void *)tn_write_part);
	void (*copy_general)(struct tn_network_io *, int, int, int, const struct tn_network_io *,
			     int, int) =
	    (void (*)(struct tn_network_io *, int, int, int, const struct tn_network_io *, int,
		      int))library_fn(TN_SYM_COPY_GENERAL, (void *)tn_copy_general);
	void (*maxpool)(struct tn_network_io *, int, const struct tn_network_io *, int, int *) =
	    (void (*)(struct tn_network_io *, int, const struct tn_network_io *, int,
		      int *))library_fn(TN_SYM_MAXPOOL, (void *)tn_maxpool);
	void *plain[4] = { NULL, NULL, NULL, dlsym(RTLD_DEFAULT, TN_SYM_INDEX_INT8) };
	void *other[4] = { NULL, NULL, NULL, (void *)other_index };
	enum {
		ROWS = 6,
		DIM = 200
	};
	unsigned seed = 127;
	int changed = 0;

	(void)state;
	if (!tessnet_fast()) {
		skip();
		return;
	}
	assert_non_null(plain[3]);
	for (int round = 0; round < 4000; round++) {
		signed char ia[ROWS * DIM], ib[ROWS * DIM], is[ROWS * DIM];
		float fa[ROWS * DIM], fb[ROWS * DIM], in[DIM];
		int la[DIM], lb[DIM];
		struct tn_network_io a, b, src;
		int dim2 = random_in(&seed, 1, DIM), n = random_in(&seed, 0, dim2);
		int t = random_in(&seed, 0, ROWS - 1), offset = random_in(&seed, 0, dim2 - n);
		int src_t = random_in(&seed, 0, ROWS - 1), src_offset;

		for (int k = 0; k < ROWS * DIM; k++) {
			ia[k] = ib[k] = (signed char)random_in(&seed, -127, 127);
			is[k] = (signed char)random_in(&seed, -127, 127);
			fa[k] = fb[k] = (float)k;
		}
		for (int k = 0; k < DIM; k++) {
			in[k] = special_value(&seed);
			la[k] = lb[k] = -k;
		}
		memset(&a, 0, sizeof(a));
		a.int_mode = round % 8 != 0;
		a.i.vtable = a.f.vtable = plain;
		a.i.array = ia;
		a.f.array = fa;
		a.i.dim1 = a.f.dim1 = ROWS;
		a.i.dim2 = a.f.dim2 = dim2;
		b = a;
		b.i.array = ib;
		b.f.array = fb;
		src = a;
		src.int_mode = true;
		src.i.array = is;
		src.i.vtable = round % 5 ? (const void *)plain : (const void *)other;

		tn_write_part(&a, t, offset, n, in);
		write_part(&b, t, offset, n, in);
		assert_memory_equal(ia, ib, sizeof(ia));
		assert_memory_equal(fa, fb, sizeof(fa));
		if (!a.int_mode)
			continue;
		changed += n > 0;
		n = random_in(&seed, 0, dim2 - offset);
		src_offset = random_in(&seed, 0, dim2 - n);
		tn_copy_general(&a, t, offset, n, &src, src_t, src_offset);
		copy_general(&b, t, offset, n, &src, src_t, src_offset);
		assert_memory_equal(ia, ib, sizeof(ia));
		tn_maxpool(&a, t, &src, src_t, la);
		maxpool(&b, t, &src, src_t, lb);
		assert_memory_equal(ia, ib, sizeof(ia));
		assert_memory_equal(la, lb, sizeof(la));
	}
	assert_true(changed > 3000);
}

#else
/* built against another Tesseract: tessnet.c defines none of them */
static void stride_index_is_tesseracts(void **state)
{
	(void)state;
	assert_int_equal(tessnet_fast(), 0);
	skip();
}

static void network_rows_are_tesseracts(void **state)
{
	(void)state;
	skip();
}
#endif

/*
 * prep_threshold, AVX2 and scalar rows alike, gives the bits Leptonica
 * gives: pixThresholdToBinary of the page, or of the page after
 * pixApplyInvBackgroundGrayMap, on random pages of widths around 32
 * (thresholds up to 255: at 256 Leptonica's map, clamped at 255, would
 * make every pixel ink).
 */
static void threshold_is_leptonicas(void **state)
{
	unsigned seed = 27;

	(void)state;
	for (int round = 0; round < 200; round++) {
		int sx = 2 + (int)(rand_r(&seed) % 6), sy = 2 + (int)(rand_r(&seed) % 6);
		int wm = 1 + (int)(rand_r(&seed) % 40), hm = 1 + (int)(rand_r(&seed) % 6);
		int w = wm * sx, h = hm * sy, thresh = 1 + (int)(rand_r(&seed) % 255);
		PIX *grey = pixCreate(w, h, 8), *inv = pixCreate(wm, hm, 16), *mapped, *want;

		assert_non_null(grey);
		assert_non_null(inv);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				pixSetPixel(grey, x, y, rand_r(&seed) % 256);
		for (int y = 0; y < hm; y++)
			for (int x = 0; x < wm; x++)
				pixSetPixel(inv, x, y, rand_r(&seed) % (round % 3 ? 600 : 5000));
		for (int simd = 0; simd <= 1; simd++) {
			PIX *got;
			l_int32 same = 0;

			prep_threshold_simd(simd);
			want = pixThresholdToBinary(grey, thresh);
			got = prep_threshold(grey, NULL, 1, 1, thresh);
			pixEqual(want, got, &same);
			assert_true(same);
			pixDestroy(&want);
			pixDestroy(&got);
			mapped = pixApplyInvBackgroundGrayMap(grey, inv, sx, sy);
			assert_non_null(mapped);
			want = pixThresholdToBinary(mapped, thresh);
			got = prep_threshold(grey, inv, sx, sy, thresh);
			pixEqual(want, got, &same);
			assert_true(same);
			pixDestroy(&want);
			pixDestroy(&got);
			pixDestroy(&mapped);
		}
		pixDestroy(&grey);
		pixDestroy(&inv);
	}
	prep_threshold_simd(1);
}

/*
 * prep_half is Leptonica's pixScaleAreaMap2, and prep_histogram its
 * pixGetGrayHistogram, on random pages of odd and even sizes.
 */
static void half_is_leptonicas(void **state)
{
	unsigned seed = 2;

	(void)state;
	for (int round = 0; round < 100; round++) {
		int w = 2 + (int)(rand_r(&seed) % 70), h = 2 + (int)(rand_r(&seed) % 9);
		PIX *grey = pixCreate(w, h, 8), *want, *got;
		l_int32 same = 0;

		assert_non_null(grey);
		pixSetResolution(grey, 300, 300);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				pixSetPixel(grey, x, y, rand_r(&seed) % 256);
		for (int factor = 1; factor <= 3; factor++) {
			NUMA *a = pixGetGrayHistogram(grey, factor),
			     *b = prep_histogram(grey, factor);

			assert_int_equal(numaGetCount(a), numaGetCount(b));
			for (int v = 0; v < numaGetCount(a); v++) {
				l_float32 fa = 0, fb = 0;

				numaGetFValue(a, v, &fa);
				numaGetFValue(b, v, &fb);
				assert_true(fa == fb);
			}
			numaDestroy(&a);
			numaDestroy(&b);
		}
		want = pixScaleAreaMap2(grey);
		got = prep_half(grey);
		assert_non_null(got);
		pixEqual(want, got, &same);
		assert_true(same);
		assert_int_equal(pixGetXRes(got), 150);
		pixDestroy(&want);
		pixDestroy(&got);
		pixDestroy(&grey);
	}
}

/*
 * The border step: a shadow down an edge of the scan goes, a letter-sized
 * mark touching an edge stays, and a page whose ink touches no edge (the
 * step's shortcut) keeps every mark.  Each edge, the right one at a width
 * that is no multiple of 32 pixels.
 */
static void border_marks_go_letters_stay(void **state)
{
	const unsigned off = OCR_PREP_ORIENT | OCR_PREP_DESKEW | OCR_PREP_BACKGROUND |
			     OCR_PREP_MEDIAN | OCR_PREP_LEADERS;
	/* x, y, w, h of the shadow on each edge of a 1203 x 1500 page (no other edge) */
	static const int shadows[4][4] = { { 0, 100, 30, 1300 },
					   { 1173, 100, 30, 1300 },
					   { 100, 0, 1000, 30 },
					   { 100, 1470, 1000, 30 } };
	herr e = { 0 };

	(void)state;
	for (int k = 0; k <= 4; k++) {
		PIX *page = pixCreate(1203, 1500, 8);
		struct prep pp;
		l_uint32 v = 0;
		l_int32 ink = 0;

		assert_non_null(page);
		pixSetAllArbitrary(page, 255);
		for (int i = 0; i < 8; i++)
			for (int j = 0; j < 12; j++)
				pixRasterop(page, 150 + j * 75, 200 + i * 120, 50, 30, PIX_CLR,
					    NULL, 0, 0);
		/* a letter-sized mark touching the right edge: kept */
		if (k == 4)
			pixRasterop(page, 1193, 600, 10, 20, PIX_CLR, NULL, 0, 0);
		else
			pixRasterop(page, shadows[k][0], shadows[k][1], shadows[k][2],
				    shadows[k][3], PIX_CLR, NULL, 0, 0);
		pixSetResolution(page, 240, 240);
		assert_int_equal(prep_page(page, 240, 240, 0, off, &pp, &e), 0);
		assert_int_equal(pixGetWidth(pp.bin), 1203);
		if (k < 4) {
			BOX *b =
			    boxCreate(shadows[k][0], shadows[k][1], shadows[k][2], shadows[k][3]);
			PIX *part = pixClipRectangle(pp.bin, b, NULL);

			assert_non_null(strstr(pp.steps, "border"));
			pixCountPixels(part, &ink, NULL);
			assert_int_equal(ink, 0);
			pixDestroy(&part);
			boxDestroy(&b);
		} else {
			assert_null(strstr(pp.steps, "border"));
			pixGetPixel(pp.bin, 1200, 610, &v);
			assert_int_equal(v, 1);
		}
		/* the text stays */
		pixGetPixel(pp.bin, 175, 215, &v);
		assert_int_equal(v, 1);
		prep_release(&pp);
		pixDestroy(&page);
	}
}

static void prep_maps_boxes_back(void **state)
{
	(void)state;
	check_geometry(300, 0, 0);    /* scaled down */
	check_geometry(240, 0, 0);    /* as it is */
	check_geometry(300, 0, 2.0);  /* straightened */
	check_geometry(180, 0, -1.5); /* scaled up and straightened */
	check_geometry(400, 2, 0);    /* upside down, from half the resolution */
}

/* ------------------------------------------------------------------------
 * Ingest
 * ---------------------------------------------------------------------- */

static char tmpdir[256];

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hotich-test-ocr-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A page of `w` x `h` 8-bit grey with a dark block, LZW. */
static void write_page(TIFF *t, uint32_t w, uint32_t h, int corrupt)
{
	unsigned char *row = malloc(w);
	uint32_t y;

	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, h);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 300.0);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, 300.0);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	if (corrupt) {
		/* bytes that are not an LZW stream */
		unsigned char junk[512];

		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (unsigned char)(i * 37 + 11);
		TIFFWriteRawStrip(t, 0, junk, sizeof(junk));
	} else {
		for (y = 0; y < h; y++) {
			for (uint32_t x = 0; x < w; x++)
				row[x] = (y > h / 3 && y < h / 3 + 30 && x > 100 && x < w - 100)
					     ? 20
					     : 240;
			TIFFWriteScanline(t, row, y, 0);
		}
	}
	TIFFWriteDirectory(t);
	free(row);
}

static void damaged_page_keeps_the_others(void **state)
{
	char path[300];
	TIFF *t;
	struct ocr_options o;
	struct ocr_engine *eng;
	struct ocr_file *f;
	struct ocr_page page;
	herr e = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/bundle.tif", tmpdir);
	t = TIFFOpen(path, "w");
	assert_non_null(t);
	write_page(t, 800, 1000, 0);
	write_page(t, 800, 1000, 1);
	write_page(t, 800, 1000, 0);
	TIFFClose(t);

	ocr_options_init(&o);
	eng = ocr_engine_new(&o, &e);
	assert_non_null(eng);
	f = ocr_file_open(path, &o, &e);
	assert_non_null(f);
	assert_int_equal(ocr_file_pages(f), 3);
	assert_int_equal(ocr_read_page(eng, f, 1, &page, &e), 0);
	assert_int_equal(page.nrec, 0); /* no form on it: unknown */
	ocr_page_release(&page);

	herr_clear(&e);
	assert_int_equal(ocr_read_page(eng, f, 2, &page, &e), -1);
	ocr_page_release(&page);
	assert_non_null(strstr(e.msg, "bundle.tif"));
	assert_non_null(strstr(e.msg, "page 2"));

	herr_clear(&e);
	assert_int_equal(ocr_read_page(eng, f, 3, &page, &e), 0);
	assert_int_equal(page.width, 800);
	ocr_page_release(&page);
	ocr_file_close(f);
	ocr_engine_free(eng);
}

/*
 * Upright first: a form page as it is gives its record without its
 * orientation being judged; the same page turned a quarter gives no record
 * read as it is, is judged turned (prep_rotation_found), and is read
 * turned back, with the same record.
 */
static void turned_page_is_read_upright(void **state)
{
	const char *src = getenv("HOTICH_SRC");
	char in[512], path[300];
	PIX *page, *turned;
	struct ocr_options o;
	struct ocr_engine *eng;
	struct ocr_file *f;
	struct ocr_page up, side;
	struct prep pp;
	herr e = { 0 };
	const char *names[] = { "husband_name", "wife_name", "registered_on" };

	(void)state;
	snprintf(in, sizeof(in), "%s/fixtures/small/scans/xa-co-ba/quyen-05/000003.tif",
		 src ? src : ".");
	page = pixRead(in);
	assert_non_null(page);
	turned = pixRotate90(page, 1);
	assert_non_null(turned);
	pixCopyResolution(turned, page);
	snprintf(path, sizeof(path), "%s/turned.tif", tmpdir);
	assert_int_equal(pixWrite(path, turned, IFF_TIFF_G4), 0);

	/* what the page reading builds on: judged later, and only when asked */
	assert_int_equal(prep_page(turned, pixGetXRes(page), 0, PREP_UPRIGHT_FIRST, 0, &pp, &e), 0);
	assert_int_equal(pp.rotation, 0);
	assert_int_equal(prep_rotation_found(&pp), 270);
	prep_release(&pp);
	assert_int_equal(prep_page(page, pixGetXRes(page), 0, PREP_UPRIGHT_FIRST, 0, &pp, &e), 0);
	assert_int_equal(prep_rotation_found(&pp), 0);
	prep_release(&pp);
	assert_int_equal(
	    prep_page(turned, pixGetXRes(page), 0, PREP_UPRIGHT_FIRST, OCR_PREP_ORIENT, &pp, &e),
	    0);
	assert_null(pp.upright_hb);
	assert_int_equal(prep_rotation_found(&pp), 0);
	prep_release(&pp);

	ocr_options_init(&o);
	eng = ocr_engine_new(&o, &e);
	assert_non_null(eng);
	f = ocr_file_open(in, &o, &e);
	assert_non_null(f);
	assert_int_equal(ocr_read_page(eng, f, 1, &up, &e), 0);
	ocr_file_close(f);
	f = ocr_file_open(path, &o, &e);
	assert_non_null(f);
	assert_int_equal(ocr_read_page(eng, f, 1, &side, &e), 0);
	ocr_file_close(f);
	assert_int_equal(up.rotation, 0);
	assert_int_equal(side.rotation, 270);
	assert_int_equal(up.nrec, 1);
	assert_int_equal(side.nrec, 1);
	assert_string_equal(up.rec[0].doc_type, side.rec[0].doc_type);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct ocr_field *a = ocr_field_get(&up.rec[0], names[i]);
		const struct ocr_field *b = ocr_field_get(&side.rec[0], names[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a->value, b->value);
	}
	ocr_page_release(&up);
	ocr_page_release(&side);
	ocr_engine_free(eng);
	pixDestroy(&turned);
	pixDestroy(&page);
}

static void page_over_the_cap_is_refused_from_its_header(void **state)
{
	char path[300];
	TIFF *t;
	struct ocr_options o;
	struct ocr_file *f;
	herr e = { 0 };
	FILE *fp;
	/* a PNG header claiming 100000 x 100000 pixels, then a few bytes of nothing */
	static const unsigned char png[] = { 0x89, 'P',	 'N',  'G',  0x0d, 0x0a, 0x1a, 0x0a, 0,
					     0,	   0,	 13,   'I',  'H',  'D',	 'R',  0,    0x01,
					     0x86, 0xa0, 0,    0x01, 0x86, 0xa0, 8,    0,    0,
					     0,	   0,	 0x8d, 0x39, 0x54, 0x14, 0,    0,    0,
					     0,	   0,	 0,    0,    0,	   0,	 0,    0,    0,
					     0,	   0,	 0,    0 };

	(void)state;
	ocr_options_init(&o);
	o.max_pixels = 50L * 1000 * 1000;

	snprintf(path, sizeof(path), "%s/huge.png", tmpdir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fwrite(png, 1, sizeof(png), fp);
	fclose(fp);
	f = ocr_file_open(path, &o, &e);
	assert_null(f);
	assert_non_null(strstr(e.msg, "refused before decoding"));
	assert_non_null(strstr(e.msg, "huge.png"));

	/* a TIFF whose second page is too large: the first is still read */
	snprintf(path, sizeof(path), "%s/mixed.tif", tmpdir);
	t = TIFFOpen(path, "w");
	assert_non_null(t);
	write_page(t, 800, 1000, 0);
	write_page(t, 8000, 7000, 1);
	TIFFClose(t);
	{
		struct ocr_engine *eng;
		struct ocr_page page;

		herr_clear(&e);
		eng = ocr_engine_new(&o, &e);
		assert_non_null(eng);
		f = ocr_file_open(path, &o, &e);
		assert_non_null(f);
		assert_int_equal(ocr_file_pages(f), 2);
		assert_int_equal(ocr_read_page(eng, f, 1, &page, &e), 0);
		ocr_page_release(&page);
		herr_clear(&e);
		assert_int_equal(ocr_read_page(eng, f, 2, &page, &e), -1);
		ocr_page_release(&page);
		assert_non_null(strstr(e.msg, "page 2"));
		assert_non_null(strstr(e.msg, "refused before decoding"));
		ocr_file_close(f);
		ocr_engine_free(eng);
	}
}

static void not_an_image_is_named(void **state)
{
	char path[300];
	struct ocr_options o;
	herr e = { 0 };
	FILE *fp;

	(void)state;
	ocr_options_init(&o);
	snprintf(path, sizeof(path), "%s/scan.tif", tmpdir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("%PDF-1.4 not really a tiff", fp);
	fclose(fp);
	assert_null(ocr_file_open(path, &o, &e));
	assert_non_null(strstr(e.msg, "scan.tif"));
	assert_non_null(strstr(e.msg, "PDF"));
}

/*
 * The warp's eight-pixel pass (AVX2) gives the scalar pass's bytes: pages
 * straightened a little either way, scaled, turned a quarter and a half,
 * with and without a background map, on a source whose width is no
 * multiple of four (its last word padded) and of random bytes.  On a
 * processor without AVX2 both are the scalar pass, and this still holds.
 */
static void warp_simd_gives_the_same_bytes(void **state)
{
	PIX *src = pixCreate(1203, 1701, 8), *inv = pixCreate(121, 82, 16);
	l_uint32 *d = pixGetData(src);
	int wpl = pixGetWpl(src);
	unsigned r = 12345;
	const double angle[] = { 1.5, -1.5, 0.3, -0.05, 7.0, 90.0, 180.4, 270.0, 0.0 };
	const double scale[] = { 0.8, 0.8, 1.0, 1.25, 0.5, 0.8, 1.3, 0.8, 0.8 };

	(void)state;
	assert_non_null(src);
	assert_non_null(inv);
	for (int y = 0; y < 1701; y++)
		for (int x = 0; x < 1203; x++) {
			r = r * 1103515245u + 12345u;
			SET_DATA_BYTE(d + y * wpl, x, (r >> 16) & 255);
		}
	for (int y = 0; y < 82; y++)
		for (int x = 0; x < 121; x++)
			SET_DATA_TWO_BYTES(pixGetData(inv) + y * pixGetWpl(inv), x,
					   200 + (x * 7 + y * 3) % 300);
	for (size_t t = 0; t < sizeof(angle) / sizeof(*angle); t++)
		for (int map = 0; map < 2; map++) {
			double a = angle[t] * M_PI / 180, m[6], cx = 481, cy = 680;
			PIX *o[2];
			int same = 0;

			/* the page's centre turned by `angle`, then scaled (prep.c's unwarp) */
			for (int k = 0; k < 3; k++) {
				double dx = (k == 1 ? 1.5 : 0.5) - cx,
				       dy = (k == 2 ? 1.5 : 0.5) - cy;

				m[2 * k] = (cx + dx * cos(a) - dy * sin(a)) / scale[t] - 0.5;
				m[2 * k + 1] = (cy + dx * sin(a) + dy * cos(a)) / scale[t] - 0.5;
			}
			for (int simd = 0; simd < 2; simd++) {
				warp_simd(simd);
				o[simd] =
				    warp_page(src, 963, 1361, 240, m, map ? inv : NULL, 10, 21);
				assert_non_null(o[simd]);
			}
			assert_int_equal(pixEqual(o[0], o[1], &same), 0);
			if (!same)
				fail_msg("angle %.2f, scale %.2f, map %d: the passes differ",
					 angle[t], scale[t], map);
			pixDestroy(&o[0]);
			pixDestroy(&o[1]);
		}
	warp_simd(1);
	pixDestroy(&src);
	pixDestroy(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_label_finds_itself),
		cmocka_unit_test(misread_label_still_anchors),
		cmocka_unit_test(date_separators_repaired),
		cmocka_unit_test(places_with_words_run_together),
		cmocka_unit_test(hamlet_word_one_mark_off_flagged),
		cmocka_unit_test(values_trimmed_of_punctuation),
		cmocka_unit_test(recognition_relation),
		cmocka_unit_test(two_labels_on_a_line),
		cmocka_unit_test(a_label_does_not_take_the_value_before_it),
		cmocka_unit_test(short_label_needs_its_colon),
		cmocka_unit_test(columns_are_unfolded),
		cmocka_unit_test(similarity_least_is_similarity),
		cmocka_unit_test(lines_ignore_specks),
		cmocka_unit_test(lines_across_a_vertical_rule),
		cmocka_unit_test(title_line_is_not_cut),
		cmocka_unit_test(prep_maps_boxes_back),
		cmocka_unit_test(warp_simd_gives_the_same_bytes),
		cmocka_unit_test(threshold_is_leptonicas),
		cmocka_unit_test(half_is_leptonicas),
		cmocka_unit_test(border_marks_go_letters_stay),
		cmocka_unit_test(line_images_passed_without_encoding),
		cmocka_unit_test(omp_regions_run_inline),
		cmocka_unit_test(stride_index_is_tesseracts),
		cmocka_unit_test(network_rows_are_tesseracts),
		cmocka_unit_test(damaged_page_keeps_the_others),
		cmocka_unit_test(turned_page_is_read_upright),
		cmocka_unit_test(page_over_the_cap_is_refused_from_its_header),
		cmocka_unit_test(not_an_image_is_named),
	};

	ingest_quiet_libraries();
	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
