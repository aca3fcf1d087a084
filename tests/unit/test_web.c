/*
 * test_web.c — the web application's parsers of outside bytes and its
 * escapers: form bodies (escapes, '+', broken escapes, invalid UTF-8, too
 * many pairs), cookies, path ids, --listen values, HTML, CSV (formula
 * defusing) and URL escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	html_esc(&b, "<a href=\"x\" title='y'>&</a>");
	assert_string_equal(b.buf, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
	strbuf_reset(&b);
	csv_esc(&b, "Xã A, Huyện B");
	assert_string_equal(b.buf, "\"Xã A, Huyện B\"");
	strbuf_reset(&b);
	csv_esc(&b, "say \"hi\"");
	assert_string_equal(b.buf, "\"say \"\"hi\"\"\"");
	strbuf_reset(&b);
	csv_esc(&b, "=HYPERLINK(\"http://x\")");
	assert_string_equal(b.buf, "\"'=HYPERLINK(\"\"http://x\"\")\"");
	strbuf_reset(&b);
	csv_esc(&b, "-12"); /* a negative number stays a number */
	assert_string_equal(b.buf, "\"-12\"");
	strbuf_reset(&b);
	csv_esc(&b, "@SUM(A1)");
	assert_string_equal(b.buf, "\"'@SUM(A1)\"");
	strbuf_reset(&b);
	url_esc(&b, "a b&c=đ");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),   cmocka_unit_test(test_form_hostile),
		cmocka_unit_test(test_cookie), cmocka_unit_test(test_path_id),
		cmocka_unit_test(test_listen), cmocka_unit_test(test_escape),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
