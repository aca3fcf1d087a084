/*
 * fuzz_web.c — libFuzzer target for what browsers send to `hotich serve`:
 * the bytes as a form body, a Cookie header, a request path, a --listen
 * value, an X-Forwarded-For and an Accept-Language header, a message
 * catalogue, and every decoded value escaped back for HTML, CSV, URLs and
 * log lines.  Properties: decoded names and values are valid UTF-8 without
 * NUL; the HTML escape of anything holds no '<', '>', '"' or '\''; a log
 * line holds no control character; a CSV field starts with no formula
 * sign; a forwarded client is a numeric address; a catalogue that parses
 * translates with the message's %-conversions.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../web/web_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_html(const char *s)
{
	strbuf b = STRBUF_INIT;

	web_html_esc(&b, s);
	if (b.buf && strpbrk(b.buf, "<>\"'"))
		abort();
	strbuf_reset(&b);
	web_csv_esc(&b, s);
	if (b.len && strchr("=+-@\t\r", b.buf[0]))
		abort();
	strbuf_reset(&b);
	web_log_esc(&b, s, 4096);
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.buf[i] < 0x20 || b.buf[i] == 0x7f)
			abort();
	strbuf_reset(&b);
	web_url_esc(&b, s);
	for (size_t i = 0; i < b.len; i++)
		if (!((b.buf[i] >= 'a' && b.buf[i] <= 'z') ||
		      (b.buf[i] >= 'A' && b.buf[i] <= 'Z') ||
		      (b.buf[i] >= '0' && b.buf[i] <= '9') || strchr("-_.~%", b.buf[i])))
			abort();
	strbuf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_params ps = { .n = 0 };
	struct web_options o;
	char *s, cookie[80];
	herr e = { 0 };

	if (size > WEB_MAX_BODY)
		return 0;
	web_form_parse((const char *)data, size, &ps);
	if (ps.n > WEB_MAX_PARAMS)
		abort();
	for (int i = 0; i < ps.n; i++) {
		if (!web_utf8_valid(ps.p[i].name, strlen(ps.p[i].name)) ||
		    !web_utf8_valid(ps.p[i].value, strlen(ps.p[i].value)) || !*ps.p[i].name)
			abort();
		check_html(ps.p[i].value);
	}
	web_params_release(&ps);

	s = xstrndup((const char *)data, size); /* as a NUL-terminated header */
	if (web_cookie_get(s, "hotich_session", cookie, sizeof(cookie)) &&
	    strlen(cookie) >= sizeof(cookie))
		abort();
	(void)web_path_id(s, "/review/match/", NULL);
	(void)web_path_id(s, "/crop/", ".png");
	web_options_init(&o);
	if (web_parse_listen(&o, s, &e) == 0 && (o.port < 1 || o.port > 65535))
		abort();
	if (web_utf8_valid(s, strlen(s)))
		check_html(s);
	{
		char addr[64];
		unsigned char bin[16];

		if (web_xff_client(s, addr, sizeof(addr)) == 0 &&
		    inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)
			abort();
	}
	{
		int l = i18n_accept_language(s);

		if (l < -1 || l >= WEB_LANGS)
			abort();
	}
	free(s);
	{
		/* the bytes as a catalogue: parsed or refused, never a crash; a
		 * translation found keeps its message's conversions */
		struct po_catalog *c = i18n_po_parse("fuzz.po", "vi", (const char *)data, size, &e);

		if (c) {
			const char *t = i18n_po_get(c, "%s of %d");

			if (strcmp(t, "%s of %d")) {
				const char *p1 = strstr(t, "%s"), *p2 = strstr(t, "%d");

				if (!p1 || !p2 || p1 > p2)
					abort();
			}
			i18n_po_catalog_free(c);
		}
	}
	return 0;
}
