/*
 * test_web.c — the web application's parsers of outside bytes and its
 * escapers: form bodies (escapes, '+', broken escapes, invalid UTF-8, too
 * many pairs), cookies, path ids, --listen and --trusted-proxy values,
 * X-Forwarded-For, HTML, CSV (formula defusing), URL and log escaping; the
 * message catalogues (the PO parser, each kind of bad file named with its
 * line, the built-in Vietnamese catalogue, Accept-Language); what users
 * read (dates, numbers, percentages); the sign-in back-off, the password
 * rules, the plausibility of names, the chart's axis and cut labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../normalize/normalize.h"
#include "../../web/web_internal.h"

static void test_form(void **state)
{
	struct web_params ps = { .n = 0 };
	const char body[] = "user=an+nguy%E1%BB%85n&password=p%26ss%3D1&empty=&flag&csrf=ab";

	(void)state;
	assert_int_equal(web_form_parse(body, strlen(body), &ps), 0);
	assert_int_equal(ps.n, 5);
	assert_string_equal(web_param(&ps, "user"), "an nguyễn");
	assert_string_equal(web_param(&ps, "password"), "p&ss=1");
	assert_string_equal(web_param(&ps, "empty"), "");
	assert_string_equal(web_param(&ps, "flag"), "");
	assert_null(web_param(&ps, "missing"));
	web_params_release(&ps);
}

static void test_form_hostile(void **state)
{
	struct web_params ps = { .n = 0 };
	/* a broken escape, a truncated one, a NUL, an overlong UTF-8 '/', a
	 * lone continuation byte, an empty name: each pair dropped */
	const char body[] = "a=%zz&b=%4&c=x%00y&d=%C0%AF&e=%80&=v&ok=1&&&";
	char big[4096];
	size_t n = 0;

	(void)state;
	assert_int_equal(web_form_parse(body, strlen(body), &ps), 6);
	assert_int_equal(ps.n, 1);
	assert_string_equal(web_param(&ps, "ok"), "1");
	web_params_release(&ps);
	/* more pairs than WEB_MAX_PARAMS: the rest is dropped, nothing overflows */
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "k%d=v&", i);
	assert_int_equal(web_form_parse(big, n, &ps), 100 - WEB_MAX_PARAMS);
	assert_int_equal(ps.n, WEB_MAX_PARAMS);
	web_params_release(&ps);
	/* a body cut in the middle of an escape */
	assert_int_equal(web_form_parse("x=%E1%BB", 8, &ps), 1);
	assert_int_equal(ps.n, 0);
}

static void test_cookie(void **state)
{
	char v[80];

	(void)state;
	assert_int_equal(
	    web_cookie_get("a=1; hotich_session=abc; b=2", "hotich_session", v, sizeof(v)), 1);
	assert_string_equal(v, "abc");
	assert_int_equal(web_cookie_get("xhotich_session=abc", "hotich_session", v, sizeof(v)), 0);
	assert_int_equal(web_cookie_get("hotich_session=\"q\"", "hotich_session", v, sizeof(v)), 1);
	assert_string_equal(v, "q");
	assert_int_equal(web_cookie_get(";;; ;", "a", v, sizeof(v)), 0);
	assert_int_equal(web_cookie_get(NULL, "a", v, sizeof(v)), 0);
	assert_int_equal(web_cookie_get("a=0123456789", "a", v, 5), 0); /* does not fit */
	assert_int_equal(web_cookie_get("a=", "a", v, sizeof(v)), 1);
	assert_string_equal(v, "");
}

static void test_path_id(void **state)
{
	(void)state;
	assert_int_equal(web_path_id("/review/match/42", "/review/match/", NULL), 42);
	assert_int_equal(web_path_id("/crop/7.png", "/crop/", ".png"), 7);
	assert_int_equal(web_path_id("/crop/7.jpg", "/crop/", ".png"), -1);
	assert_int_equal(web_path_id("/review/match/", "/review/match/", NULL), -1);
	assert_int_equal(web_path_id("/review/match/1 OR 1=1", "/review/match/", NULL), -1);
	assert_int_equal(web_path_id("/review/match/-1", "/review/match/", NULL), -1);
	assert_int_equal(web_path_id("/review/match/9999999999999999999", "/review/match/", NULL),
			 -1);
	assert_int_equal(web_path_id("/other/1", "/review/match/", NULL), -1);
}

static void test_listen(void **state)
{
	struct web_options o;
	herr e = { 0 };

	(void)state;
	web_options_init(&o);
	assert_string_equal(o.listen_addr, "127.0.0.1");
	assert_int_equal(o.port, 8080);
	assert_int_equal(web_parse_listen(&o, "10.0.0.5:9000", &e), 0);
	assert_string_equal(o.listen_addr, "10.0.0.5");
	assert_int_equal(o.port, 9000);
	assert_int_equal(web_parse_listen(&o, ":8081", &e), 0);
	assert_string_equal(o.listen_addr, "10.0.0.5");
	assert_int_equal(o.port, 8081);
	assert_int_equal(web_parse_listen(&o, "[::1]:8443", &e), 0);
	assert_string_equal(o.listen_addr, "::1");
	assert_int_equal(o.port, 8443);
	assert_int_equal(web_parse_listen(&o, "localhost", &e), 0);
	assert_string_equal(o.listen_addr, "127.0.0.1");
	assert_int_equal(web_parse_listen(&o, "example.org:80", &e), -1);
	assert_int_equal(e.code, HT_EXIT_USAGE);
	assert_int_equal(web_parse_listen(&o, "1.2.3.4:0", &e), -1);
	assert_int_equal(web_parse_listen(&o, "1.2.3.4:70000", &e), -1);
	assert_int_equal(web_parse_listen(&o, "::1:80", &e), -1);
	assert_int_equal(web_parse_listen(&o, "[::1", &e), -1);
}

static void test_escape(void **state)
{
	strbuf b = STRBUF_INIT;

	(void)state;
	web_html_esc(&b, "<a href=\"x\" title='y'>&</a>");
	assert_string_equal(b.buf, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
	strbuf_reset(&b);
	web_csv_esc(&b, "Xã A, Huyện B");
	assert_string_equal(b.buf, "\"Xã A, Huyện B\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "say \"hi\"");
	assert_string_equal(b.buf, "\"say \"\"hi\"\"\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "=HYPERLINK(\"http://x\")");
	assert_string_equal(b.buf, "\"'=HYPERLINK(\"\"http://x\"\")\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "-2+3+cmd|' /C calc'!A0"); /* every leading sign that starts a formula */
	assert_string_equal(b.buf, "\"'-2+3+cmd|' /C calc'!A0\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "@SUM(A1)");
	assert_string_equal(b.buf, "\"'@SUM(A1)\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "+84 912");
	assert_string_equal(b.buf, "\"'+84 912\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "\t=1+1");
	assert_string_equal(b.buf, "\"'\t=1+1\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "\r=1+1");
	assert_string_equal(b.buf, "\"'\r=1+1\"");
	strbuf_reset(&b);
	web_csv_esc(&b, "12"); /* plain values stay as they are */
	assert_string_equal(b.buf, "12");
	strbuf_reset(&b);
	web_csv_esc(&b, "Xã A=B");
	assert_string_equal(b.buf, "Xã A=B");
	strbuf_reset(&b);
	web_url_esc(&b, "a b&c=đ");
	assert_string_equal(b.buf, "a%20b%26c%3D%C4%91");
	strbuf_release(&b);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(web_utf8_valid("Nguyễn", strlen("Nguyễn")));
	assert_false(web_utf8_valid("\xc0\xaf", 2));	     /* overlong */
	assert_false(web_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(web_utf8_valid("\xf4\x90\x80\x80", 4)); /* beyond U+10FFFF */
	assert_false(web_utf8_valid("a\0b", 3));
	assert_false(web_utf8_valid("\xe1\xbb", 2)); /* cut */
	assert_true(web_utf8_valid("\xf0\x9f\x98\x80", 4));
}

static void test_log_esc(void **state)
{
	strbuf b = STRBUF_INIT;

	(void)state;
	assert_string_equal(web_log_esc(&b, "alice\nhotich: serve: \"root\" signed in", 200),
			    "alice\\x0ahotich: serve: \"root\" signed in");
	assert_string_equal(web_log_esc(&b,
					"a\rb\x1b"
					"[31mc\\d",
					200),
			    "a\\x0db\\x1b[31mc\\\\d");
	/* the line and paragraph separators, and NEL, are line ends too */
	assert_string_equal(web_log_esc(&b,
					"a\xe2\x80\xa8"
					"b\xe2\x80\xa9"
					"c\xc2\x85"
					"d",
					200),
			    "a\\u{2028}b\\u{2029}c\\u{0085}d");
	assert_string_equal(web_log_esc(&b, "Nguyễn", 200), "Nguyễn");
	assert_string_equal(web_log_esc(&b, "abcdef", 3), "abc...");
	assert_string_equal(web_log_esc(&b, NULL, 3), "");
	strbuf_release(&b);
}

static void test_proxy(void **state)
{
	struct web_options o;
	herr e = { 0 };
	char out[64];

	(void)state;
	web_options_init(&o);
	assert_int_equal(web_add_trusted_proxy(&o, "127.0.0.1", &e), 0);
	assert_int_equal(web_add_trusted_proxy(&o, "[::1]", &e), 0);
	assert_string_equal(o.trusted_proxy[1], "::1");
	assert_int_equal(web_add_trusted_proxy(&o, "proxy.example", &e), -1);
	assert_int_equal(e.code, HT_EXIT_USAGE);
	assert_int_equal(o.n_trusted, 2);
	/* the proxy appends the address it saw: the last entry counts */
	assert_int_equal(web_xff_client("6.6.6.6, 10.0.0.7", out, sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.7");
	assert_int_equal(web_xff_client(" 2001:db8::1 ", out, sizeof(out)), 0);
	assert_string_equal(out, "2001:db8::1");
	assert_int_equal(web_xff_client("[2001:DB8::2]", out, sizeof(out)), 0);
	assert_string_equal(out, "2001:db8::2");
	assert_int_equal(web_xff_client("10.0.0.7, evil\nline", out, sizeof(out)), -1);
	assert_int_equal(web_xff_client("10.0.0.7,", out, sizeof(out)), -1);
	assert_int_equal(web_xff_client("", out, sizeof(out)), -1);
	assert_int_equal(web_xff_client(NULL, out, sizeof(out)), -1);
}

static void test_po(void **state)
{
	static const char good[] = "# a comment\n"
				   "msgid \"\"\n"
				   "msgstr \"\"\n"
				   "\"Language: vi\\n\"\n"
				   "\"Plural-Forms: nplurals=1; plural=0;\\n\"\n"
				   "\n"
				   "msgid \"Sign in\"\n"
				   "msgstr \"Đăng nhập\"\n"
				   "\n"
				   "#, c-format\n"
				   "msgid \"Candidate %d of %s\"\n"
				   "msgstr \"Ứng viên \"\n"
				   "\"%d của %s\"\n"
				   "\n"
				   "msgid \"%ld file\"\n"
				   "msgid_plural \"%ld files\"\n"
				   "msgstr[0] \"%ld tệp\"\n"
				   "\n"
				   "#, fuzzy\n"
				   "msgid \"Skip\"\n"
				   "msgstr \"Bỏ qua (chưa chắc)\"\n"
				   "\n"
				   "msgid \"Untranslated\"\n"
				   "msgstr \"\"\n"
				   "\n"
				   "msgctxt \"noun\"\n"
				   "msgid \"Record\"\n"
				   "msgstr \"Hồ sơ\"\n"
				   "\n"
				   "msgid \"Say \\\"hi\\\"\\tnow\"\n"
				   "msgstr \"Nói \\\"chào\\\"\\tngay\"\n"
				   "#~ msgid \"Old\"\n"
				   "#~ msgstr \"Cũ\"\n";
	static const struct {
		const char *text;
		const char *error;
	} bad[] = {
		{ "msgid \"a\"\nmsgstr \"b\n", "x.po:2: the string does not end on its line" },
		{ "msgid \"a\"\nmsgstr \"b\\q\"\n", "x.po:2: unknown escape in a string" },
		{ "msgstr \"b\"\n", "x.po:1: msgstr out of place" },
		{ "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", "x.po:1: msgid without msgstr" },
		{ "msgid \"%s of %d\"\nmsgstr \"%d của %s\"\n",
		  "x.po:1: the translation's %-conversions differ from the message's" },
		{ "\n\nmsgid \"%s\"\nmsgstr \"%s %s\"\n",
		  "x.po:3: the translation's %-conversions differ from the message's" },
		{ "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=3; plural=n%10;\\n\"\n",
		  "x.po:1: Plural-Forms" },
		{ "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n",
		  "the message \"a\" twice" },
		{ "msgid \"a\"\nmsgstr \"b\"\n\"c\"x\n", "x.po:3: text after the string" },
		{ "hello\n", "x.po:1: expected msgctxt, msgid, msgid_plural, msgstr or a comment" },
		{ "msgid \"a\"\nmsgstr \"\xc3"
		  "(\"\n",
		  "x.po:1: the catalogue is not UTF-8" },
	};
	herr e = { 0 };
	struct po_catalog *c = i18n_po_parse("x.po", "vi", good, sizeof(good) - 1, &e);

	(void)state;
	assert_non_null(c);
	assert_string_equal(i18n_po_get(c, "Sign in"), "Đăng nhập");
	assert_string_equal(i18n_po_get(c, "Candidate %d of %s"), "Ứng viên %d của %s");
	assert_string_equal(i18n_po_nget(c, "%ld file", "%ld files", 1), "%ld tệp");
	assert_string_equal(i18n_po_nget(c, "%ld file", "%ld files", 7), "%ld tệp");
	assert_string_equal(i18n_po_get(c, "Skip"), "Skip"); /* fuzzy: not used */
	assert_string_equal(i18n_po_get(c, "Untranslated"), "Untranslated");
	assert_string_equal(i18n_po_get(c, "noun\004Record"), "Hồ sơ");
	assert_string_equal(i18n_po_get(c, "Record"), "Record");
	assert_string_equal(i18n_po_get(c, "Say \"hi\"\tnow"), "Nói \"chào\"\tngay");
	assert_string_equal(i18n_po_get(c, "Old"), "Old");
	assert_string_equal(i18n_po_get(c, "Not there"), "Not there");
	assert_int_equal((int)i18n_po_count(c), 5);
	i18n_po_catalog_free(c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		herr be = { 0 };

		c = i18n_po_parse("x.po", "vi", bad[i].text, strlen(bad[i].text), &be);
		if (c || !strstr(be.msg, bad[i].error))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, c ? "(parsed)" : be.msg,
				 bad[i].error);
		assert_int_equal(be.code, HT_EXIT_FATAL);
	}
	/* without a catalogue: the message, and English plurals */
	assert_string_equal(i18n_po_nget(NULL, "%ld file", "%ld files", 1), "%ld file");
	assert_string_equal(i18n_po_nget(NULL, "%ld file", "%ld files", 2), "%ld files");
}

static void test_catalogue(void **state)
{
	herr e = { 0 };

	(void)state;
	assert_int_equal(i18n_init(&e), 0);
	assert_string_equal(i18n_get(LANG_VI, "Sign in"), "Đăng nhập");
	assert_string_equal(i18n_get(LANG_EN, "Sign in"), "Sign in");
	assert_string_equal(i18n_get(LANG_VI, "Female"), "Nữ");
	assert_string_equal(i18n_get(LANG_VI, "Full name"), "Họ, chữ đệm, tên");
	assert_string_equal(i18n_get(LANG_VI, "Birth registration"), "Khai sinh");
	assert_string_equal(i18n_nget(LANG_VI, "%ld link to decide", "%ld links to decide", 3),
			    "%ld liên kết cần quyết định");
	assert_string_equal(i18n_nget(LANG_EN, "%ld link to decide", "%ld links to decide", 3),
			    "%ld links to decide");
	assert_string_equal(i18n_lang_code(LANG_VI), "vi");
	assert_int_equal(i18n_lang_parse("en"), LANG_EN);
	assert_int_equal(i18n_lang_parse("fr"), -1);
	assert_int_equal(i18n_accept_language("vi-VN,vi;q=0.9,en-US;q=0.8"), LANG_VI);
	assert_int_equal(i18n_accept_language("en-US,en;q=0.9"), LANG_EN);
	assert_int_equal(i18n_accept_language("fr-FR, en;q=0.5, vi;q=0.7"), LANG_VI);
	assert_int_equal(i18n_accept_language("fr, de"), -1);
	assert_int_equal(i18n_accept_language("vi;q=0, en;q=0.1"), LANG_EN);
	assert_int_equal(i18n_accept_language(NULL), -1);
	i18n_release();
}

static void test_display(void **state)
{
	struct web_req q;
	strbuf b = STRBUF_INIT;
	herr e = { 0 };

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_int_equal(i18n_init(&e), 0);
	q.lang = LANG_VI;
	web_fmt_date(&b, "1996-12-17");
	web_fmt_date(&b, " ");
	web_fmt_date(&b, "1996-12");
	web_fmt_date(&b, " ");
	web_fmt_date(&b, "1948");
	web_fmt_date(&b, " ");
	web_fmt_date(&b, NULL);
	web_fmt_date(&b, " ");
	web_fmt_date(&b, "<b>");
	assert_string_equal(b.buf, "17/12/1996 12/1996 1948 — &lt;b&gt;");
	strbuf_reset(&b);
	web_fmt_num(&q, &b, 1234567);
	strbuf_addch(&b, ' ');
	web_fmt_pct(&q, &b, 57.14);
	assert_string_equal(b.buf, "1.234.567 57,1%");
	q.lang = LANG_EN;
	strbuf_reset(&b);
	web_fmt_num(&q, &b, 1234567);
	strbuf_addch(&b, ' ');
	web_fmt_pct(&q, &b, 57.14);
	strbuf_addch(&b, ' ');
	web_fmt_num(&q, &b, 999);
	assert_string_equal(b.buf, "1,234,567 57.1% 999");
	q.lang = LANG_VI;
	assert_string_equal(web_sex_label(&q, "nu"), "Nữ");
	assert_string_equal(web_sex_label(&q, "nam"), "Nam");
	assert_string_equal(web_doc_type_label(&q, "ket_hon"), "Kết hôn");
	assert_string_equal(web_status_label(&q, "rejected"), "Không khớp");
	assert_string_equal(web_reason_label(&q, "low confidence"), "độ tin cậy thấp");
	assert_string_equal(web_reason_label(&q, "something new"), "something new");
	strbuf_reset(&b);
	web_field_label(&q, &b, "wife_dob");
	assert_string_equal(b.buf, "Ngày, tháng, năm sinh (vợ)");
	strbuf_reset(&b);
	web_field_label(&q, &b, "mother_name");
	assert_string_equal(b.buf, "Họ, chữ đệm, tên người mẹ");
	strbuf_reset(&b);
	web_fmt_value(&q, &b, "child_dob", "2001-02-03");
	assert_string_equal(b.buf, "03/02/2001");
	strbuf_reset(&b);
	web_fmt_discrepancy(&q, &b, "dob: 1990-01-02 / 1990-02-01");
	assert_string_equal(b.buf, "Ngày, tháng, năm sinh: trên hồ sơ <strong>02/01/1990</strong>,"
				   " trong CSDL dân cư <strong>01/02/1990</strong>");
	strbuf_release(&b);
	i18n_release();
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(web_backoff(0, 5, 0), 0);
	assert_int_equal(web_backoff(4, 5, 0), 0);
	assert_int_equal(web_backoff(5, 5, 0), 15); /* the 6th try waits 15 s */
	assert_int_equal(web_backoff(5, 5, 14.5), 1);
	assert_int_equal(web_backoff(5, 5, 15), 0);
	assert_int_equal(web_backoff(6, 5, 0), 30); /* doubling */
	assert_int_equal(web_backoff(8, 5, 0), 120);
	assert_int_equal(web_backoff(11, 5, 0), 900); /* at most 15 minutes */
	assert_int_equal(web_backoff(1000, 5, 0), 900);
	assert_int_equal(web_backoff(1000, 5, 901), 0);
}

static void test_passwords(void **state)
{
	static const char *const refused[] = {
		"short-pw",	  /* 8 characters */
		"mật khẩu 11",	  /* 11 characters, more bytes */
		"password1234",	  /* a common one with digits */
		"1234567890123",  /* a sequence */
		"qwertyuiopasdf", /* the keyboard's rows */
		"aaaaaaaaaaaaaa", /* one character */
		"abcabcabcabc",	  /* a repeated part */
		"iloveyou!2024",  /* common, with signs and digits */
		"Anhyeuem12345",  /* common in Vietnam */
		"matkhau@2025!!", "123456qwerty",
		"1q2w3e4r5t6y",	  "rita-password-1", /* contains the user name */
	};
	static const char *const accepted[] = {
		"reviewer-pass-1",	 "long-manager-secret", "Sông Hồng chảy qua",
		"correct horse battery", "t0i-di-lam-luc-7h",
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (web_password_check("rita", refused[i], &why) == 0)
			fail_msg("\"%s\" was accepted", refused[i]);
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		if (web_password_check("rita", accepted[i], &why) < 0)
			fail_msg("\"%s\" was refused: %s", accepted[i], why);
	assert_int_equal(web_password_check("rita", "short-pw", &why), -1);
	assert_non_null(strstr(why, "12 characters"));
	assert_int_equal(web_password_check("rita", "password1234", &why), -1);
	assert_non_null(strstr(why, "common"));
	assert_int_equal(web_password_check("rita", "my-RITA-2025-secret", &why), -1);
	assert_non_null(strstr(why, "user name"));
}

static void test_names(void **state)
{
	static const char *const plausible[] = {
		"Nguyễn Thị Thuỳ Dương",
		"nguyễn  văn AN",
		"Công Tằng Tôn Nữ Thị Bích",
		"Giàng A Páo",
		"H'Nhi Niê",
		"Y Bih Ksor",
		"Ksor H'Ben",
		"Lò Văn Ỏn",
		"Thạch Thị Sa Rết",
	};
	static const char *const junk[] = {
		"Script Script Alert Script",
		"<script>alert(1)</script>",
		"\"><img src=x onerror=alert(1)>",
		"Img Src X Onerror Alert",
		"John Smith",
		"Nguyễn",
		"Nguyễn Văn 2",
		"Nguyễn Văn An Bình Chi Dũng Em Giang",
		"Robert'); DROP TABLE citizens;--",
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(plausible) / sizeof(plausible[0]); i++)
		if (!vn_name_plausible(plausible[i], &why))
			fail_msg("\"%s\" was refused: %s", plausible[i], why);
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		if (vn_name_plausible(junk[i], &why))
			fail_msg("\"%s\" was taken for a name", junk[i]);
	assert_int_equal(vn_name_plausible("Script Script Alert Script", &why), 0);
	assert_string_equal(why, "a word is not a Vietnamese syllable");
	assert_int_equal(vn_name_plausible("Nguyễn Văn 2", &why), 0);
	assert_string_equal(why, "it has characters that are not letters");
}

static void test_chart(void **state)
{
	strbuf b = STRBUF_INIT;

	(void)state;
	/* the axis's top (4 steps) is never below the largest bar */
	for (long max = 0; max < 200000; max += max < 100 ? 1 : 97) {
		long step = web_axis_step(max);

		if (step * 4 < max)
			fail_msg("max %ld: step %ld", max, step);
		if (max > 4 && step * 4 >= max * 3)
			fail_msg("max %ld: step %ld is too coarse", max, step);
	}
	assert_int_equal(web_axis_step(37), 10);
	assert_int_equal(web_axis_step(7), 2);
	assert_int_equal(web_axis_step(4000), 1000);
	assert_int_equal(web_axis_step(4001), 2000);
	/* a cut name stays UTF-8: whole characters and an ellipsis */
	web_utf8_cut(&b, "Đợt tháng mười một năm 2026", 12);
	assert_string_equal(b.buf, "Đợt tháng mư…");
	assert_true(web_utf8_valid(b.buf, b.len));
	strbuf_reset(&b);
	web_utf8_cut(&b, "ngắn", 12);
	assert_string_equal(b.buf, "ngắn");
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),	  cmocka_unit_test(test_form_hostile),
		cmocka_unit_test(test_cookie),	  cmocka_unit_test(test_path_id),
		cmocka_unit_test(test_listen),	  cmocka_unit_test(test_escape),
		cmocka_unit_test(test_utf8),	  cmocka_unit_test(test_log_esc),
		cmocka_unit_test(test_proxy),	  cmocka_unit_test(test_po),
		cmocka_unit_test(test_catalogue), cmocka_unit_test(test_display),
		cmocka_unit_test(test_backoff),	  cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_names),	  cmocka_unit_test(test_chart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
