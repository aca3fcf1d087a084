/*
 * test_forms.c — form definitions as data (the .form files of ocr/forms/: good files
 * load and merge, each kind of bad file is refused with its file and line)
 * and the extraction on lines of word boxes as Tesseract gives them: a
 * value wrapping from the margin, identity papers, register numbers as
 * printed, a widely spaced line, a name one mark off, a value that only
 * looks like a label, the wording of other versions, spouses side by side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ocr/ocr_internal.h"

/* ------------------------------------------------------------------------
 * Lines of word boxes
 * ---------------------------------------------------------------------- */

#define CHAR_W 18 /* pixels per letter */
#define SPACE  14 /* between words */
#define LINE_H 40

/* Letters of a UTF-8 word (not bytes). */
static int letters(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/*
 * A line at height y from phrases "text@x" (NULL-terminated): each phrase's
 * words laid out from x, CHAR_W a letter, SPACE between words; every word
 * read with confidence 95.
 */
static void phrase_line(struct ocr_words *ws, int y, const char *const *phrases)
{
	memset(ws, 0, sizeof(*ws));
	for (int p = 0; phrases[p]; p++) {
		const char *at = strrchr(phrases[p], '@'), *s = phrases[p];
		int x = (int)strtol(at + 1, NULL, 10);

		while (s < at) {
			const char *e = s;
			struct ocr_word *w;

			while (e < at && *e != ' ')
				e++;
			if (e > s) {
				ws->w = realloc(ws->w, (size_t)(ws->n + 1) * sizeof(*ws->w));
				w = &ws->w[ws->n++];
				w->text = strndup(s, (size_t)(e - s));
				w->x = x;
				w->y = y;
				w->w = CHAR_W * letters(s, (size_t)(e - s));
				w->h = LINE_H;
				w->conf = 95;
				x += w->w + SPACE;
			}
			s = e + (e < at);
		}
	}
}

/* A page: lines of phrases, one every 60 pixels; each line a NULL-terminated list. */
struct page {
	struct ocr_words lines[32];
	int n;
};

static void page_line(struct page *pg, ...)
{
	const char *ph[16];
	int n = 0;
	va_list ap;

	va_start(ap, pg);
	while (n < 15 && (ph[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	ph[n] = NULL;
	phrase_line(&pg->lines[pg->n], 100 + 60 * pg->n, ph);
	pg->n++;
}

static void page_release(struct page *pg)
{
	for (int i = 0; i < pg->n; i++)
		ocr_words_release(&pg->lines[i]);
	pg->n = 0;
}

/* The record of `doc_type` from the page, without a registry. */
static void read_page(struct page *pg, const char *doc_type, struct ocr_record *r)
{
	static struct ocr_options o;

	ocr_options_init(&o);
	extract_record_from_words(forms_find(doc_type), pg->lines, pg->n, &o, r);
}

static const struct ocr_field *field(const struct ocr_record *r, const char *name)
{
	const struct ocr_field *f = ocr_field_get(r, name);

	if (!f)
		fail_msg("no field %s", name);
	return f;
}

/* The field has this value and is not flagged (or is, when `review`). */
static void expect(const struct ocr_record *r, const char *name, const char *value, int review)
{
	const struct ocr_field *f = field(r, name);

	if (!f->value || strcmp(f->value, value))
		fail_msg("%s: \"%s\", expected \"%s\" (%s)", name, f->value ? f->value : "(null)",
			 value, f->why ? f->why : "");
	if (f->review != review)
		fail_msg("%s: review %d (%s), expected %d", name, f->review, f->why ? f->why : "",
			 review);
}

/* ------------------------------------------------------------------------
 * Form definitions
 * ---------------------------------------------------------------------- */

static void embedded_forms_load(void **state)
{
	herr e = { 0 };
	static const char *const types[] = { "khai_sinh", "khai_tu", "ket_hon", "nhan_cha_me_con",
					     "tthc_receipt" };

	(void)state;
	assert_int_equal(forms_ready(&e), 0);
	assert_int_equal(forms_count(), 5);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct form_def *fd = forms_find(types[i]);

		assert_non_null(fd);
		assert_true(fd->nlabels > 5);
		assert_true(fd->ntitles >= 1);
		for (int k = 0; k < fd->nlabels; k++) {
			assert_non_null(fd->labels[k].src);
			assert_true(fd->labels[k].line > 0);
		}
	}
	/* the versions since 2006 of the birth form */
	assert_true(forms_find("khai_sinh")->nversions >= 3);
}

static const char good_new[] =
    "# the newer version\n"
    "doc_type  khai_sinh\n"
    "version   2016 Thông tư 15/2015/TT-BTP\n"
    "title     GIẤY KHAI SINH\n"
    "start     subject\n"
    "required  register_no full_name dob\n"
    "label  any      register_no  number  first  Số\n"
    "label  subject  full_name    name    wraps  Họ, chữ đệm, tên | Họ tên\n"
    "label  subject  dob          date    -      Ngày, tháng, năm sinh\n";
static const char good_old[] =
    "doc_type  khai_sinh\n"
    "version   2006 Nghị định 158/2005/NĐ-CP   # comment after\n"
    "title     BẢN SAO GIẤY KHAI SINH\n"
    "required  full_name dob\n"
    "label  subject  full_name    name    wraps  Họ và tên\n"
    "label  subject  dob          date    -      Ngày, tháng, năm sinh\n";

static void form_versions_merge(void **state)
{
	const struct form_file files[] = { { "old.form", good_old }, { "new.form", good_new } };
	herr e = { 0 };
	struct form_set *s = forms_load(files, 2, &e);
	const struct form_def *d;
	int k, found = 0;

	(void)state;
	assert_non_null(s);
	assert_int_equal(forms_set_count(s), 1);
	d = forms_set_def(s, 0);
	assert_string_equal(d->doc_type, "khai_sinh");
	/* newest first, titles united */
	assert_int_equal(d->nversions, 2);
	assert_int_equal(d->versions[0], 2016);
	assert_int_equal(d->ntitles, 2);
	/* labels united: the shared one once, each version's own wordings */
	for (k = 0; k < d->nlabels; k++) {
		if (!strcmp(d->labels[k].text, "Họ và tên")) {
			assert_string_equal(d->labels[k].src, "old.form");
			assert_int_equal(d->labels[k].line, 5);
			found++;
		}
		if (!strcmp(d->labels[k].text, "Họ tên"))
			found++;
	}
	assert_int_equal(found, 2);
	assert_int_equal(d->nlabels, 5);
	/* required: what both print */
	assert_int_equal(d->nrequired, 2);
	assert_string_equal(d->required[0], "full_name");
	assert_null(d->required[2]);
	forms_set_free(s);
}

static void bad_form_files_are_named(void **state)
{
	static const char head[] = "doc_type khai_sinh\nversion 2016 x\ntitle GIẤY KHAI SINH\n";
	static const struct {
		const char *body; /* after the three lines above (line 4 on) */
		const char *msg;  /* expected in the message */
	} cases[] = {
		{ "bogus line\n", "bad.form:4: unknown line \"bogus\"" },
		{ "label somebody full_name name - Họ tên\n", "bad.form:4: unknown block" },
		{ "label subject full_nam name - Họ tên\n", "bad.form:4: unknown field" },
		{ "label subject full_name nam - Họ tên\n", "bad.form:4: unknown kind" },
		{ "label subject full_name name wraps,often Họ tên\n",
		  "bad.form:4: unknown flag \"often\"" },
		{ "label subject full_name skip - Họ tên\n",
		  "bad.form:4: a skipped label gives no field" },
		{ "label subject - name - Họ tên\n", "bad.form:4: a label that is not skipped" },
		{ "label subject full_name idpaper - Giấy tờ\n", "bad.form:4: an identity number" },
		{ "label subject full_name date_words - ghi bằng chữ\n",
		  "bad.form:4: a date in words" },
		{ "label parent parent_name relation - nhận\n", "bad.form:4: a relation gives" },
		{ "label subject full_name name - Họ tên | | Tên\n",
		  "bad.form:4: an empty wording" },
		{ "label subject full_name name -\n", "bad.form:4: a label line is" },
		{ "label subject full_name name - ::\n",
		  "bad.form:4: the wording \"::\" has no letter" },
		{ "doc_type khai_tu\n", "bad.form:4: a second doc_type" },
		{ "version 2020 y\n", "bad.form:4: a second version" },
		{ "start nobody\n", "bad.form:4: unknown starting block" },
		{ "required full_name wife\n", "bad.form:4: unknown required field \"wife\"" },
		{ "label subject full_name name - Họ tên\nrequired dob\n",
		  "bad.form: required field \"dob\" has no label" },
		{ "\n", "bad.form: no label" },
	};
	static const struct {
		const char *text, *msg;
	} whole[] = {
		{ "version 2016\ntitle T\nlabel any register_no number - Số\n",
		  "bad.form: no doc_type" },
		{ "doc_type giay_to\n", "bad.form:1: unknown doc_type \"giay_to\"" },
		{ "doc_type khai_sinh\nversion sau 2016\n",
		  "bad.form:2: version begins with the year" },
		{ "doc_type khai_sinh\nversion 2016\nlabel any register_no number - Số\n",
		  "bad.form: no title" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		struct form_file f = { "bad.form", text };
		herr e = { 0 };
		struct form_set *s;

		snprintf(text, sizeof(text), "%s%s", head, cases[i].body);
		s = forms_load(&f, 1, &e);
		if (s || !strstr(e.msg, cases[i].msg))
			fail_msg("case %zu: \"%s\", expected \"%s\"", i, s ? "(loaded)" : e.msg,
				 cases[i].msg);
	}
	for (i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		struct form_file f = { "bad.form", whole[i].text };
		herr e = { 0 };
		struct form_set *s = forms_load(&f, 1, &e);

		if (s || !strstr(e.msg, whole[i].msg))
			fail_msg("whole %zu: \"%s\", expected \"%s\"", i, s ? "(loaded)" : e.msg,
				 whole[i].msg);
	}
}

/* Two versions that give one wording two meanings in one block, or start apart. */
static void conflicting_versions_are_named(void **state)
{
	static const char a[] = "doc_type khai_sinh\nversion 2016\ntitle T\n"
				"label subject full_name name wraps Họ tên\n";
	static const char b[] = "doc_type khai_sinh\nversion 2006\ntitle T\n"
				"label subject mother_name name wraps Họ tên\n";
	static const char c[] = "doc_type khai_sinh\nversion 2006\ntitle T\nstart mother\n"
				"label subject full_name name wraps Họ tên\n";
	struct form_file f1[] = { { "a.form", a }, { "b.form", b } };
	struct form_file f2[] = { { "a.form", a }, { "c.form", c } };
	herr e = { 0 };

	(void)state;
	assert_null(forms_load(f1, 2, &e));
	assert_non_null(strstr(e.msg, "b.form:4: \"Họ tên\" in the subject block means otherwise "
				      "at a.form:4"));
	herr_clear(&e);
	assert_null(forms_load(f2, 2, &e));
	assert_non_null(strstr(e.msg, "c.form:4: starts in the mother block"));
}

/* ------------------------------------------------------------------------
 * Extraction on word boxes
 * ---------------------------------------------------------------------- */

/* A long place goes on from the left margin; a short line is not continued. */
static void value_wraps_from_the_margin(void **state)
{
	struct page pg = { 0 };
	struct ocr_record r;

	(void)state;
	page_line(&pg, "Họ, chữ đệm, tên: NGUYỄN VĂN AN@100", NULL);
	/* the longest line: "Ninh" would not have fitted after it */
	page_line(&pg, "Nơi sinh: Xã Quảng Long, huyện Hải Hà, tỉnh Quảng@100", NULL);
	page_line(&pg, "Ninh@100", NULL);
	page_line(&pg, "Quê quán: Xã Quảng Long, huyện Hải Hà,@100", NULL);
	page_line(&pg, "tỉnh Quảng Ninh@100", NULL);
	page_line(&pg, "Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA@100", NULL);
	/* the line above is short: what follows at the margin is not its value */
	page_line(&pg, "Bình An@100", NULL);
	read_page(&pg, "khai_sinh", &r);
	expect(&r, "birthplace", "Xã Quảng Long, Huyện Hải Hà, Tỉnh Quảng Ninh", 0);
	/* a line that ends with a comma short of the edge: the next is not its part */
	expect(&r, "hometown", "Xã Quảng Long, Huyện Hải Hà", 1);
	expect(&r, "mother_name", "Lê Thị Hoa", 0);
	extract_record_release(&r);
	page_release(&pg);
}

/* Each identity paper gives its number to the person's field of its kind. */
static void identity_papers_give_their_numbers(void **state)
{
	static const struct {
		const char *paper, *field, *value;
	} cases[] = {
		{ "Căn cước công dân số 001089012345, cấp ngày 12/03/2015 tại Công an tỉnh Bắc "
		  "Ninh",
		  "id_number", "001089012345" },
		{ "CCCD số 001089012345", "id_number", "001089012345" },
		{ "CMND số 012345678", "cmnd_number", "012345678" },
		{ "Chứng minh nhân dân số 145678901 cấp ngày 01/02/2003", "cmnd_number",
		  "145678901" },
		{ "Hộ chiếu số B1234567", "passport_number", "B1234567" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct page pg = { 0 };
		struct ocr_record r;
		char paper[160];

		snprintf(paper, sizeof(paper), "Giấy tờ tùy thân: %s@100", cases[i].paper);
		page_line(&pg, "Họ, chữ đệm, tên: TRẦN VĂN BÌNH@100", NULL);
		page_line(&pg, "Ngày, tháng, năm sinh: 05/04/1989@100", NULL);
		page_line(&pg, "Giới tính: Nam@100", "Dân tộc: Kinh@700",
			  "Quốc tịch: Việt Nam@1300", NULL);
		page_line(&pg, paper, NULL);
		page_line(&pg, "Đã chết vào lúc: 10 giờ 30 phút, ngày 02/03/2020@100", NULL);
		read_page(&pg, "khai_tu", &r);
		expect(&r, cases[i].field, cases[i].value, 0);
		extract_record_release(&r);
		page_release(&pg);
	}
}

/* The spouses side by side, a name and a paper wrapping within a column. */
static void spouses_side_by_side_wrap_in_their_columns(void **state)
{
	struct page pg = { 0 };
	struct ocr_record r;

	(void)state;
	page_line(&pg, "Số: 28/2017@100", "Quyển số: 04/2017@1300", NULL);
	page_line(&pg, "Họ, chữ đệm, tên chồng: NGÔ CÔNG@100",
		  "Họ, chữ đệm, tên vợ: ĐẶNG TỊNH@1000", NULL);
	page_line(&pg, "HIẾU@100", "YÊN@1000", NULL);
	page_line(&pg, "Ngày, tháng, năm sinh: 16/01/1971@100",
		  "Ngày, tháng, năm sinh: 23/02/1994@1000", NULL);
	page_line(&pg, "Giấy tờ tùy thân: CCCD số@100", "Giấy tờ tùy thân: CMND số@1000", NULL);
	page_line(&pg, "001071903597@100", "123456789@1000", NULL);
	page_line(&pg,
		  "Nơi đăng ký: Ủy ban nhân dân Xã Quảng Long, huyện Hải Hà, tỉnh Quảng Ninh@100",
		  NULL);
	read_page(&pg, "ket_hon", &r);
	expect(&r, "husband_name", "Ngô Công Hiếu", 0);
	expect(&r, "wife_name", "Đặng Tịnh Yên", 0);
	expect(&r, "husband_id_number", "001071903597", 0);
	expect(&r, "wife_cmnd_number", "123456789", 0);
	expect(&r, "register_no", "28/2017", 0);
	expect(&r, "book_no", "04/2017", 0);
	extract_record_release(&r);
	page_release(&pg);
}

/* Register numbers as certificates print them, and grain read after one. */
static void register_numbers_as_printed(void **state)
{
	static const struct {
		const char *line, *value;
	} cases[] = {
		{ "Số: 211/2024@100", "211/2024" },
		{ "Số: 93/2007/TLKH-BS@100", "93/2007/TLKH-BS" },
		{ "Số: 12@100", "12" },
		{ "Số: 234/1999/TLKS-BS Sụ nó 0@100", "234/1999/TLKS-BS" },
		{ "Số.57/1987@100", "57/1987" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct page pg = { 0 };
		struct ocr_record r;

		page_line(&pg, cases[i].line, NULL);
		page_line(&pg, "Họ, chữ đệm, tên: TRẦN VĂN BÌNH@100", NULL);
		read_page(&pg, "ket_hon", &r);
		expect(&r, "register_no", cases[i].value, 0);
		extract_record_release(&r);
		page_release(&pg);
	}
}

/* Sex, ethnicity and nationality spread over one line, with marks read in the blanks. */
static void widely_spaced_line(void **state)
{
	struct page pg = { 0 };
	struct ocr_record r;

	(void)state;
	page_line(&pg, "Họ, chữ đệm, tên: NGUYỄN THỊ TIÊN@100", NULL);
	page_line(&pg, "Giới tính: NỮ@100", "ˆ - _@500", "Dân tộc: Kinh@900", "ˆ ˆ@1300",
		  "Quốc tịch: Việt Nam@1700", NULL);
	read_page(&pg, "khai_sinh", &r);
	expect(&r, "sex", "nu", 0);
	expect(&r, "ethnicity", "Kinh", 0);
	expect(&r, "nationality", "Việt Nam", 0);
	extract_record_release(&r);
	page_release(&pg);
}

/* Names one mark from a far more common one are flagged, without a registry. */
static void name_one_mark_off_is_flagged(void **state)
{
	static const struct {
		const char *name, *value;
		int review;
	} cases[] = {
		{ "Nguyễn Thị Huyền", "Nguyễn Thị Huyền", 0 },
		{ "Nguyễn Thị Huyển", "Nguyễn Thị Huyển", 1 },
		{ "Lê Thị Nhi", "Lê Thị Nhi", 0 },
		{ "Lê Thị Nhỉ", "Lê Thị Nhỉ", 1 },
		{ "Trần Văn Hùng", "Trần Văn Hùng", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct page pg = { 0 };
		struct ocr_record r;
		char line[96];

		snprintf(line, sizeof(line), "Họ, chữ đệm, tên: %s@100", cases[i].name);
		page_line(&pg, line, NULL);
		read_page(&pg, "khai_sinh", &r);
		expect(&r, "full_name", cases[i].value, cases[i].review);
		extract_record_release(&r);
		page_release(&pg);
	}
}

/* Words of a value that look like a label are not one: "huyện Lục Nam, tỉnh" is no "Năm sinh". */
static void value_that_looks_like_a_label(void **state)
{
	struct page pg = { 0 };
	struct ocr_record r;

	(void)state;
	page_line(&pg, "Nơi sinh: Xã Trường Sơn, huyện Lục Nam, tỉnh Bắc Giang@100", NULL);
	read_page(&pg, "khai_sinh", &r);
	expect(&r, "birthplace", "Xã Trường Sơn, Huyện Lục Nam, Tỉnh Bắc Giang", 0);
	extract_record_release(&r);
	page_release(&pg);
}

/* The wording of the 2006 forms, in capitals, without colons. */
static void labels_of_other_versions(void **state)
{
	struct page pg = { 0 };
	struct ocr_record r;

	(void)state;
	page_line(&pg, "HỌ VÀ TÊN@100", "Phạm Văn Linh@500", NULL);
	page_line(&pg, "Ghi bằng chữ@100", "Ngày mười hai tháng chín năm hai nghìn@500", NULL);
	page_line(&pg, "Họ và tên mẹ Nguyễn Mỹ Lan@100", NULL);
	page_line(&pg, "Nơi thường trú Tổ Hạ, Xã Quảng Long, huyện Hải Hà, tỉnh Quảng Ninh@100",
		  NULL);
	page_line(&pg, "Họ và tên cha@100", "PHẠM TIẾN HIỆP@500", NULL);
	page_line(&pg, "Số Giấy CMND/Hộ chiếu CMND số 231343665@100", NULL);
	page_line(&pg,
		  "Nơi đăng ký khai sinh Ủy ban nhân dân Xã Quảng Long, huyện Hải Hà, tỉnh "
		  "Quảng Ninh@100",
		  NULL);
	read_page(&pg, "khai_sinh", &r);
	expect(&r, "full_name", "Phạm Văn Linh", 0);
	expect(&r, "mother_name", "Nguyễn Mỹ Lan", 0);
	expect(&r, "father_name", "Phạm Tiến Hiệp", 0);
	expect(&r, "registry_office", "Xã Quảng Long, Huyện Hải Hà, Tỉnh Quảng Ninh", 0);
	/* the declarant's paper is nobody's field here */
	assert_null(ocr_field_get(&r, "cmnd_number"));
	extract_record_release(&r);
	page_release(&pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(embedded_forms_load),
		cmocka_unit_test(form_versions_merge),
		cmocka_unit_test(bad_form_files_are_named),
		cmocka_unit_test(conflicting_versions_are_named),
		cmocka_unit_test(value_wraps_from_the_margin),
		cmocka_unit_test(identity_papers_give_their_numbers),
		cmocka_unit_test(spouses_side_by_side_wrap_in_their_columns),
		cmocka_unit_test(register_numbers_as_printed),
		cmocka_unit_test(widely_spaced_line),
		cmocka_unit_test(name_one_mark_off_is_flagged),
		cmocka_unit_test(value_that_looks_like_a_label),
		cmocka_unit_test(labels_of_other_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
