/*
 * test_export.c — the export templates: every column of every built-in
 * template from a record whose every field is set, the reasons a record is
 * held back, a province's template file checked line by line, the CSV
 * writer, the text layer of a PDF.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <allheaders.h>

#include "../../export/export_internal.h"
#include "../../normalize/normalize.h"

static const struct export_templates *builtin(void)
{
	herr e = { 0 };
	const struct export_templates *t = export_templates_load(&e);

	if (!t)
		fail_msg("%s", e.msg);
	return t;
}

/* A record of `doc_type` with `fields` (JSON) and `people` (JSON). */
static struct export_item item(const char *doc_type, const char *fields, const char *people)
{
	struct export_item it;

	memset(&it, 0, sizeof(it));
	it.record_id = 7;
	it.record_ref = (char *)"ab:1:0";
	it.doc_type = (char *)doc_type;
	it.office = (char *)"Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng";
	it.book = (char *)"05";
	it.register_no = (char *)"022/2014/TLKS-BS";
	it.registered_on = (char *)"1987-04-02";
	it.fields = (char *)fields;
	it.people = (char *)people;
	return it;
}

/* Every column of the case against `want` (name=value, in the template's
 * order, the status column last and empty). */
static void assert_columns(const struct export_templates *t, const struct export_item *it,
			   const char *const *want, size_t nwant, size_t nreasons)
{
	struct export_case c;
	const char *const *names;
	size_t n = export_template_columns(t, it->doc_type, &names);
	herr e = { 0 };

	assert_int_equal(export_case_build(t, it, &c, &e), 0);
	assert_int_equal(n, nwant + 1);
	assert_int_equal(c.ncells, n);
	for (size_t i = 0; i < nwant; i++) {
		const char *eq = strchr(want[i], '=');
		char name[64];

		assert_non_null(eq);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - want[i]), want[i]);
		if (strcmp(names[i], name))
			fail_msg("column %zu: %s, want %s", i, names[i], name);
		if (strcmp(c.cells[i], eq + 1))
			fail_msg("%s: \"%s\", want \"%s\"", name, c.cells[i], eq + 1);
	}
	assert_string_equal(names[nwant], "trangThai");
	if (c.nreasons != nreasons)
		fail_msg("%zu reasons, want %zu (first: %s)", c.nreasons, nreasons,
			 c.nreasons ? c.reasons[0].en : "-");
	assert_int_equal(strlen(c.sha256), 64);
	export_case_release(&c);
}

#define F(name, value) "\"" name "\": {\"value\": \"" value "\", \"review\": false}"

static void birth_template_every_column(void **state)
{
	const struct export_templates *t = builtin();
	const char *fields =
	    "{" F("full_name", "Võ Thị Vân Hà") "," F("dob", "1987-03-15") "," F("sex", "nu") "," F("ethnicity", "Tày") "," F(
		"nationality",
		"Việt Nam") "," F("birthplace",
				  "Xã Lũng Nặm") "," F("hometown",
						       "Thị trấn Pác Miầu") "," F("fat"
										  "her"
										  "_na"
										  "me",
										  "Võ "
										  "Côn"
										  "g "
										  "Gia"
										  "ng") "," F("moth"
											      "er_"
											      "nam"
											      "e",
											      "Phan"
											      " Diệ"
											      "u "
											      "Hoa") "}";
	const char *people = "[{\"role\": \"subject\", \"status\": \"confirmed\", \"citizen\": "
			     "\"004187012345\"}]";
	struct export_item it = item("khai_sinh", fields, people);
	const char *const want[] = {
		"so=22",
		"quyenSo=05",
		"trangSo=",
		"ngayDangKy=02/04/1987",
		"loaiDangKy=1", /* 18 days after the birth: on time */
		"noiDangKy=Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng",
		"nguoiKy=",
		"chucVuNguoiKy=",
		"nguoiThucHien=",
		"ghiChu=",
		"nksSoDinhDanh=004187012345", /* no ID on the page: the linked citizen's */
		"nksHoTen=Võ Thị Vân Hà",
		"nksGioiTinh=Nữ",
		"nksNgaySinh=15/03/1987",
		"nksNgaySinhBangChu=Ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi bảy",
		"nksNoiSinh=Xã Lũng Nặm",
		"nksQueQuan=Thị trấn Pác Miầu",
		"nksDanToc=02",
		"nksQuocTich=VN",
		"meSoDinhDanhCaNhan=",
		"meHoTen=Phan Diệu Hoa",
		"meNgaySinh=",
		"meDanToc=",
		"meQuocTich=",
		"meNoiCuTru=",
		"chaSoDinhDanhCaNhan=",
		"chaHoTen=Võ Công Giang",
		"chaNgaySinh=",
		"chaDanToc=",
		"chaQuocTich=",
		"chaNoiCuTru=",
	};

	(void)state;
	assert_columns(t, &it, want, HT_ARRAY_LEN(want), 0);
}

static void death_template_every_column(void **state)
{
	const struct export_templates *t = builtin();
	const char *fields =
	    "{" F("full_name", "Nguyễn Văn Cảnh") "," F("dob", "1930") "," F("sex", "nam") "," F(
		"ethnicity",
		"Kinh") "," F("nationality",
			      "Việt Nam") "," F("id_number",
						"001030000123") "," F("died_on",
								      "1987-03-01") "," F("death_"
											  "place",
											  "Bệnh "
											  "viện "
											  "Cao "
											  "Bằng") "," F("death_cause",
													"Già yếu") "}";
	const char *people =
	    "[{\"role\": \"subject\", \"status\": \"rejected\", \"citizen\": null}]";
	struct export_item it = item("khai_tu", fields, people);
	const char *const want[] = {
		"so=22",
		"quyenSo=05",
		"trangSo=",
		"ngayDangKy=02/04/1987",
		"loaiDangKy=4", /* 32 days after the death: late */
		"noiDangKy=Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng",
		"nguoiKy=",
		"chucVuNguoiKy=",
		"nguoiThucHien=",
		"ghiChu=",
		"nktSoDinhDanh=001030000123",
		"nktHoTen=Nguyễn Văn Cảnh",
		"nktGioiTinh=Nam",
		"nktNgaySinh=1930", /* a partial date where the template allows one */
		"nktDanToc=01",
		"nktQuocTich=VN",
		"nktNgayChet=01/03/1987",
		"nktNoiChet=Bệnh viện Cao Bằng",
		"nktNguyenNhan=Già yếu",
	};

	(void)state;
	assert_columns(t, &it, want, HT_ARRAY_LEN(want), 0);
}

static void marriage_template_every_column(void **state)
{
	const struct export_templates *t = builtin();
	const char *fields = "{" F("husband_name", "Lò Văn Tú") "," F("husband_dob", "1960-01-02") "," F("husband_id_number", "004060000001") "," F(
	    "husband_ethnicity",
	    "Nùng") "," F("husband_nationality",
			  "Việt Nam") "," F("husband_residence",
					    "Xã Cô Ba") "," F("wife_name",
							      "Hoàng Thị Mai") "," F("wife_dob",
										     "1962-05") "," F("wife_ethnicity",
												      "Mông") "," F("wife_nationality",
														    "Trung Quốc") "," F("wife_residence",
																	"Xã Lũng Nặm") "}";
	const char *people = "[{\"role\": \"husband\", \"status\": \"auto\", \"citizen\": "
			     "\"004060000001\"}, {\"role\": \"wife\", \"status\": \"auto\", "
			     "\"citizen\": \"004162000002\"}]";
	struct export_item it = item("ket_hon", fields, people);
	const char *const want[] = {
		"so=22",
		"quyenSo=05",
		"trangSo=",
		"ngayDangKy=02/04/1987",
		"loaiDangKy=6", /* no event date for a marriage: unknown */
		"noiDangKy=Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng",
		"nguoiKy=",
		"chucVuNguoiKy=",
		"nguoiThucHien=",
		"ghiChu=",
		"chongSoDinhDanh=004060000001",
		"chongHoTen=Lò Văn Tú",
		"chongNgaySinh=02/01/1960",
		"chongDanToc=07",
		"chongQuocTich=VN",
		"chongNoiCuTru=Xã Cô Ba",
		"voSoDinhDanh=004162000002",
		"voHoTen=Hoàng Thị Mai",
		"voNgaySinh=05/1962",
		"voDanToc=08",
		"voQuocTich=CN",
		"voNoiCuTru=Xã Lũng Nặm",
	};

	(void)state;
	assert_columns(t, &it, want, HT_ARRAY_LEN(want), 0);
}

static void recognition_template_every_column(void **state)
{
	const struct export_templates *t = builtin();
	const char *fields =
	    "{" F("parent_name", "Lê Thanh Cương") "," F("parent_dob", "1950-02-03") "," F(
		"parent_sex",
		"nam") "," F("parent_id_number",
			     "004050000003") "," F("child_name",
						   "Lê Thị Hoa") "," F("child_dob",
								       "1980-06-07") "}";
	const char *people = "[{\"role\": \"child\", \"status\": \"auto\", \"citizen\": "
			     "\"004180000004\"}, {\"role\": \"parent\", \"status\": \"confirmed\", "
			     "\"citizen\": \"004050000003\"}]";
	struct export_item it = item("nhan_cha_me_con", fields, people);
	const char *const want[] = {
		"so=22",
		"quyenSo=05",
		"trangSo=",
		"ngayDangKy=02/04/1987",
		"loaiDangKy=6",
		"noiDangKy=Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng",
		"nguoiKy=",
		"chucVuNguoiKy=",
		"nguoiThucHien=",
		"ghiChu=",
		"nnSoDinhDanh=004050000003",
		"nnHoTen=Lê Thanh Cương",
		"nnNgaySinh=03/02/1950",
		"nnGioiTinh=Nam",
		"nnDanToc=",
		"nnQuocTich=",
		"nnNoiCuTru=",
		"dnSoDinhDanh=004180000004",
		"dnHoTen=Lê Thị Hoa",
		"dnNgaySinh=07/06/1980",
		"dnGioiTinh=",
		"dnDanToc=",
		"dnQuocTich=",
		"dnNoiCuTru=",
	};

	(void)state;
	assert_columns(t, &it, want, HT_ARRAY_LEN(want), 0);
}

/* Reasons held back, each in Vietnamese and in English. */
static void held_back_reasons(void **state)
{
	const struct export_templates *t = builtin();
	const char *fields = "{\"full_name\": {\"value\": \"Võ Hà\", \"review\": true, \"why\": "
			     "\"low confidence\"}," F("dob", "1987-03") "," F("sex", "x") "," F(
				 "id_number", "12345") "}";
	const char *people = "[{\"role\": \"subject\", \"status\": \"review\", \"citizen\": "
			     "\"004187012345\"}]";
	struct export_item it = item("khai_sinh", fields, people);
	struct export_case c;
	herr e = { 0 };
	const char *want_vi[] = {
		"trường full_name cần kiểm tra, chưa được quyết định",
		"người (subject) chưa được liên kết",
		"Số định danh cá nhân: không phải số định danh 12 chữ số (\"12345\")",
		"Giới tính: \"x\" không có trong danh mục gioi_tinh",
		"Ngày sinh: ngày không đầy đủ (1987-03)",
		"Ngày sinh bằng chữ: ngày không đầy đủ (1987-03)",
		"thiếu cột bắt buộc Nơi sinh (nksNoiSinh)",
		"thiếu cột bắt buộc Số (so)",
	};
	const char *want_en[] = {
		"field full_name flagged for review, not decided: low confidence",
		"person (subject) neither linked to the population database nor decided by a "
		"reviewer (review)",
		"nksSoDinhDanh: not a 12-digit ID number (\"12345\")",
		"nksGioiTinh: \"x\" is not in the code list gioi_tinh",
		"nksNgaySinh: partial date (1987-03)",
		"nksNgaySinhBangChu: partial date (1987-03)",
		"mandatory column nksNoiSinh is empty",
		"mandatory column so is empty",
	};

	(void)state;
	it.register_no = NULL;
	assert_int_equal(export_case_build(t, &it, &c, &e), 0);
	for (size_t i = 0; i < HT_ARRAY_LEN(want_vi); i++) {
		size_t k;

		for (k = 0; k < c.nreasons; k++)
			if (strstr(c.reasons[k].vi, want_vi[i]) &&
			    !strcmp(c.reasons[k].en, want_en[i]))
				break;
		if (k == c.nreasons)
			fail_msg("no reason \"%s\" / \"%s\"", want_vi[i], want_en[i]);
	}
	assert_int_equal(c.nreasons, HT_ARRAY_LEN(want_vi));
	export_case_release(&c);

	/* a person never matched holds the record back; one without a record
	 * of people (a template's name column says if it is missing) does not */
	it = item("khai_sinh", "{}", "[{\"role\": \"subject\", \"status\": null}]");
	assert_int_equal(export_case_build(t, &it, &c, &e), 0);
	assert_non_null(strstr(c.reasons[0].en, "(not matched)"));
	export_case_release(&c);

	it = item("tthc_receipt", "{}", "[]");
	assert_int_equal(export_case_build(t, &it, &c, &e), -1);
	assert_non_null(strstr(e.msg, "no export template for tthc_receipt"));
}

/* A province's template: each mistake named by file and line. */
static void template_errors_name_file_and_line(void **state)
{
	static const struct {
		const char *tpl, *want;
	} cases[] = {
		{ "template khai_sinh\ntitle T\nprefix p\ncolumn a full_nam text required\n",
		  "x.tpl:4: unknown source \"full_nam\"" },
		{ "template khai_sinh\ntitle T\nprefix p\n\ncolumn a full_name datum -\n",
		  "x.tpl:5: unknown format \"datum\"" },
		{ "template khai_sinh\ntitle T\nprefix p\ncolumn a sex map:nope -\n",
		  "x.tpl:4: no code list \"nope\"" },
		{ "template khai_sinh\ntitle T\nprefix p\ncolumn a sex text -\ncolumn a dob date "
		  "-\n",
		  "x.tpl:5: column \"a\" already on line 4" },
		{ "template khai_sinh\ntitle T\nprefix p\ncolumn a link:wife id -\n",
		  "x.tpl:4: no person \"wife\" on a record of khai_sinh" },
		{ "template khai_sinh\ntitle T\nprefix p\ncolumn a - text required\n",
		  "x.tpl:4: a required column needs a source" },
		{ "template birth\n", "x.tpl:1: unknown document type \"birth\"" },
		{ "column a sex text -\n", "x.tpl:1: 'template' must come first" },
		{ "template khai_sinh\ntitle T\n", "x.tpl: needs 'template', 'title', 'prefix'" },
	};
	const char *names[2] = { "m.map", "x.tpl" };
	const char *texts[2] = { "map sexes\nNam nam\nNữ nu\n", NULL };

	(void)state;
	for (size_t i = 0; i < HT_ARRAY_LEN(cases); i++) {
		herr e = { 0 };
		struct export_templates *t;

		texts[1] = cases[i].tpl;
		t = export_templates_parse(names, texts, 2, &e);
		assert_null(t);
		if (!strstr(e.msg, cases[i].want))
			fail_msg("case %zu: \"%s\", want \"%s\"", i, e.msg, cases[i].want);
	}
	{
		herr e = { 0 };
		const char *m[1] = { "m.map" };
		const char *bad[1] = { "map a\n1 x\n2 X\n" };

		assert_null(export_templates_parse(m, bad, 1, &e));
		assert_non_null(strstr(e.msg, "m.map:3: the value \"X\" is already in map a"));
	}
	{
		/* a province's own file, with a label of several words */
		herr e = { 0 };
		struct export_templates *t;
		const char *const *cols;
		struct export_item it = item("khai_sinh", "{" F("sex", "nam") "}", "[]");
		struct export_case c;

		texts[1] = "template khai_sinh\ntitle Khai sinh\nprefix ks\n"
			   "column GT sex map:sexes required Giới tính của trẻ\n";
		t = export_templates_parse(names, texts, 2, &e);
		assert_non_null(t);
		assert_int_equal(export_template_columns(t, "khai_sinh", &cols), 1);
		assert_string_equal(cols[0], "GT");
		assert_int_equal(export_case_build(t, &it, &c, &e), 0);
		assert_string_equal(c.cells[0], "Nam");
		assert_int_equal(c.nreasons, 0);
		export_case_release(&c);
		export_templates_free(t);
	}
}

static const struct xmap *find_map(const struct export_templates *t, const char *name)
{
	for (size_t i = 0; i < t->nmaps; i++)
		if (!strcmp(t->maps[i].name, name))
			return &t->maps[i];
	fail_msg("no code list %s", name);
	return NULL;
}

/* The code lists against ../shared/domain and what hotich stores: the 54
 * ethnic groups numbered 01-54 in the official order, each the canonical
 * name normalize/ stores; every nationality normalize/ knows, with its
 * ISO 3166 letters; sex as the forms print it; loaiDangKy's six codes. */
static void code_lists_agree_with_the_vocabularies(void **state)
{
	const struct export_templates *t = builtin();
	const struct xmap *m = find_map(t, "dan_toc");
	static const char *const nat[][2] = {
		{ "VN", "Việt Nam" },  { "CN", "Trung Quốc" }, { "LA", "Lào" },
		{ "KH", "Campuchia" }, { "KR", "Hàn Quốc" },   { "JP", "Nhật Bản" },
		{ "US", "Hoa Kỳ" },    { "TW", "Đài Loan" },   { "FR", "Pháp" },
		{ "AU", "Úc" },	       { "TH", "Thái Lan" },
	};
	static const char *const kinds[][2] = {
		{ "1", "on time" }, { "2", "re registration" }, { "3", "foreign record" },
		{ "4", "late" },    { "5", "reissued" },	{ "6", "unknown" }
	};

	(void)state;
	assert_int_equal(m->n, 54);
	for (size_t i = 0; i < m->n; i++) {
		char code[24];
		strbuf canon = STRBUF_INIT, key = STRBUF_INIT;
		unsigned warn = 0;

		snprintf(code, sizeof(code), "%02zu", i + 1);
		assert_string_equal(m->codes[i], code);
		/* the value hotich stores for this group folds to the list's key */
		assert_int_equal(vn_ethnicity_parse(m->keys[i], &canon, &warn), 0);
		vn_fold(canon.buf, -1, &key);
		if (strcmp(key.buf, m->keys[i]))
			fail_msg("dan_toc %s: stored as \"%s\"", code, canon.buf);
		strbuf_release(&canon);
		strbuf_release(&key);
	}
	m = find_map(t, "quoc_tich");
	assert_int_equal(m->n, HT_ARRAY_LEN(nat));
	for (size_t i = 0; i < HT_ARRAY_LEN(nat); i++) {
		strbuf canon = STRBUF_INIT, key = STRBUF_INIT;
		unsigned warn = 0;

		/* normalize/ stores nat[i][1]; the list gives it nat[i][0] */
		assert_int_equal(vn_nationality_parse(nat[i][1], &canon, &warn), 0);
		assert_string_equal(canon.buf, nat[i][1]);
		vn_fold(canon.buf, -1, &key);
		assert_string_equal(m->keys[i], key.buf);
		assert_string_equal(m->codes[i], nat[i][0]);
		strbuf_release(&canon);
		strbuf_release(&key);
	}
	m = find_map(t, "gioi_tinh");
	assert_int_equal(m->n, 2);
	assert_string_equal(m->codes[0], "Nam");
	assert_string_equal(m->keys[0], "nam");
	assert_string_equal(m->codes[1], "Nữ");
	assert_string_equal(m->keys[1], "nu");
	/* (keys folded: registration_kind's on_time is "on time") */
	m = find_map(t, "loai_dang_ky");
	assert_int_equal(m->n, HT_ARRAY_LEN(kinds));
	for (size_t i = 0; i < HT_ARRAY_LEN(kinds); i++) {
		assert_string_equal(m->codes[i], kinds[i][0]);
		assert_string_equal(m->keys[i], kinds[i][1]);
	}
}

/* Dates as the forms print them: digits dd/mm/yyyy (mm/yyyy, yyyy where
 * the template allows a partial date), and in words with mùng for days
 * 1-10, lăm, mốt, tư, and linh after không trăm. */
static void dates_as_the_forms_print_them(void **state)
{
	const struct export_templates *t = builtin();
	static const char *const cases[][3] = {
		{ "2008-04-24", "24/04/2008",
		  "Ngày hai mươi tư tháng tư năm hai nghìn không trăm linh tám" },
		{ "1987-03-15", "15/03/1987",
		  "Ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi bảy" },
		{ "1961-12-31", "31/12/1961",
		  "Ngày ba mươi mốt tháng mười hai năm một nghìn chín trăm sáu mươi mốt" },
		{ "2000-01-05", "05/01/2000", "Ngày mùng năm tháng một năm hai nghìn" },
		{ "1910-10-10", "10/10/1910",
		  "Ngày mùng mười tháng mười năm một nghìn chín trăm mười" },
	};
	char fields[256];

	(void)state;
	for (size_t i = 0; i < HT_ARRAY_LEN(cases); i++) {
		struct export_item it;
		struct export_case c;
		const char *const *names;
		size_t n = export_template_columns(t, "khai_sinh", &names), k;
		herr e = { 0 };

		snprintf(fields, sizeof(fields),
			 "{\"dob\": {\"value\": \"%s\", \"review\": false}}", cases[i][0]);
		it = item("khai_sinh", fields, "[]");
		assert_int_equal(export_case_build(t, &it, &c, &e), 0);
		for (k = 0; k < n && strcmp(names[k], "nksNgaySinh"); k++)
			;
		assert_true(k + 1 < n);
		assert_string_equal(c.cells[k], cases[i][1]);
		assert_string_equal(c.cells[k + 1], cases[i][2]);
		export_case_release(&c);
	}
	{
		/* a partial date where the template allows one: the death's nktNgaySinh */
		struct export_item it = item("khai_tu", "{" F("dob", "1930-07") "}", "[]");
		struct export_case c;
		herr e = { 0 };

		assert_int_equal(export_case_build(t, &it, &c, &e), 0);
		assert_string_equal(c.cells[13], "07/1930");
		export_case_release(&c);
	}
}

static void csv_quotes_and_defuses(void **state)
{
	strbuf sb = STRBUF_INIT;
	const char *cells[] = { "a", "b,c", "say \"x\"", "=1+1", "" };

	(void)state;
	export_csv_row(&sb, cells, 5);
	assert_string_equal(sb.buf, "a,\"b,c\",\"say \"\"x\"\"\",\"'=1+1\",\r\n");
	strbuf_release(&sb);
}

static void pdf_text_layer_is_utf16(void **state)
{
	struct ocr_page_image img = { 0 };
	struct export_pdf_text t;
	strbuf pdf = STRBUF_INIT;
	unsigned char jpeg[4] = { 0xff, 0xd8, 0xff, 0xd9 };
	const int box[4] = { 100, 200, 300, 40 };

	(void)state;
	memset(&t, 0, sizeof(t));
	img.data = jpeg;
	img.len = 4;
	img.width = 600;
	img.height = 800;
	img.dpi = 300;
	export_pdf_text(&t, 0, "Hà", box);
	export_pdf_text(&t, 0, "x", NULL);
	export_pdf_build(&img, 1, &t, "k3y", &pdf);
	assert_non_null(strstr(pdf.buf, "<004800E0> Tj"));    /* H, à */
	assert_non_null(strstr(pdf.buf, "1 0 0 1 24.00 "));   /* 100 px at 300 dpi */
	assert_non_null(strstr(pdf.buf, "/ToUnicode 5 0 R")); /* pdftotext's way back */
	assert_non_null(strstr(pdf.buf, "3 Tr"));	      /* invisible */
	/* the font in the file: after the page's three objects, its file (the
	 * TrueType bytes as they are) and its map of codes to glyphs */
	assert_non_null(strstr(pdf.buf, "/FontFile2 10 0 R"));
	assert_non_null(strstr(pdf.buf, "/CIDToGIDMap 11 0 R"));
	{
		char head[64];
		const char *at;

		snprintf(head, sizeof(head), "10 0 obj\n<< /Length %zu /Length1 %zu >>\nstream\n",
			 export_glyphless_ttf_len, export_glyphless_ttf_len);
		at = strstr(pdf.buf, head);
		assert_non_null(at);
		assert_memory_equal(at + strlen(head), export_glyphless_ttf,
				    export_glyphless_ttf_len);
	}
	/* (after the font's bytes, which hold NULs) */
	assert_non_null(memmem(pdf.buf, pdf.len, "/Size 12 /Root 1 0 R", 20));
	strbuf_release(&pdf);
}

/* The page of a case: a half of an A3 spread, a page turned upright. */
static void page_image_half_and_turn(void **state)
{
	char path[] = "/tmp/hotich-test-export-XXXXXX.png";
	int fd = mkstemps(path, 4);
	PIX *pix = pixCreate(400, 200, 8);
	struct ocr_page_image img;
	herr e = { 0 };
	PIX *back;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* the left half black, the right half white */
	pixSetAllArbitrary(pix, 255);
	pixRasterop(pix, 0, 0, 200, 200, PIX_CLR, NULL, 0, 0);
	assert_int_equal(pixWrite(path, pix, IFF_PNG), 0);

	assert_int_equal(ocr_page_encode(path, 1, 0, 1, 2, 90, &img, &e), 0);
	assert_int_equal(img.width, 200);
	assert_int_equal(img.height, 200);
	assert_int_equal(img.x0, 200);
	assert_int_equal(img.color, 0);
	back = pixReadMem(img.data, img.len);
	assert_non_null(back);
	{
		l_uint32 v = 0;

		pixGetPixel(back, 100, 100, &v);
		assert_true(v > 200); /* the right half: white */
	}
	pixDestroy(&back);
	free(img.data);

	assert_int_equal(ocr_page_encode(path, 1, 0, 0, 2, 90, &img, &e), 0);
	back = pixReadMem(img.data, img.len);
	{
		l_uint32 v = 255;

		pixGetPixel(back, 100, 100, &v);
		assert_true(v < 50); /* the left half: black */
	}
	assert_int_equal(img.x0, 0);
	pixDestroy(&back);
	free(img.data);

	assert_int_equal(ocr_page_encode(path, 1, 90, 0, 1, 90, &img, &e), 0);
	assert_int_equal(img.width, 200); /* turned: the page stands */
	assert_int_equal(img.height, 400);
	assert_int_equal(img.kind, OCR_IMAGE_JPEG); /* a grey page: JPEG */
	free(img.data);

	/* a black-and-white page: CCITT G4 at its size, far smaller than a JPEG */
	{
		PIX *bw = pixCreate(1600, 2000, 1);
		size_t jpeg_len;

		pixRasterop(bw, 100, 100, 1400, 30, PIX_SET, NULL, 0, 0);
		for (int y = 300; y < 1900; y += 40)
			pixRasterop(bw, 100, y, 200 + (y * 7) % 1200, 12, PIX_SET, NULL, 0, 0);
		assert_int_equal(pixWrite(path, bw, IFF_PNG), 0);
		assert_int_equal(ocr_page_encode(path, 1, 0, 0, 1, 75, &img, &e), 0);
		assert_int_equal(img.kind, OCR_IMAGE_G4);
		assert_int_equal(img.width, 1600);
		assert_int_equal(img.height, 2000);
		assert_int_equal(img.black_is_0, 0);
		assert_true(img.len > 0);
		free(img.data);
		/* a half of a turned black-and-white spread: G4 too */
		assert_int_equal(ocr_page_encode(path, 1, 90, 1, 2, 75, &img, &e), 0);
		assert_int_equal(img.kind, OCR_IMAGE_G4);
		assert_int_equal(img.width, 1000);
		assert_int_equal(img.height, 1600);
		free(img.data);
		{
			PIX *g = pixConvertTo8(bw, 0);
			l_uint8 *j = NULL;

			pixWriteMemJpeg(&j, &jpeg_len, g, 75, 0);
			lept_free(j);
			pixDestroy(&g);
		}
		assert_int_equal(ocr_page_encode(path, 1, 0, 0, 1, 75, &img, &e), 0);
		if (img.len * 4 > jpeg_len)
			fail_msg("G4 %zu bytes, JPEG %zu", img.len, jpeg_len);
		free(img.data);
		pixDestroy(&bw);
	}

	assert_int_equal(ocr_page_encode("/nonexistent/x.tif", 1, 0, 0, 1, 90, &img, &e), -1);
	assert_non_null(strstr(e.msg, "x.tif"));
	pixDestroy(&pix);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(birth_template_every_column),
		cmocka_unit_test(death_template_every_column),
		cmocka_unit_test(marriage_template_every_column),
		cmocka_unit_test(recognition_template_every_column),
		cmocka_unit_test(held_back_reasons),
		cmocka_unit_test(code_lists_agree_with_the_vocabularies),
		cmocka_unit_test(dates_as_the_forms_print_them),
		cmocka_unit_test(template_errors_name_file_and_line),
		cmocka_unit_test(csv_quotes_and_defuses),
		cmocka_unit_test(pdf_text_layer_is_utf16),
		cmocka_unit_test(page_image_half_and_turn),
	};

	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
