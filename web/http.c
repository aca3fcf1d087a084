/*
 * http.c — the parsers of what browsers send (form bodies, cookies, path
 * ids) and the escapers of what goes back (HTML, CSV, URLs).  Everything
 * here takes outside bytes: bounded, no trust in lengths or encodings.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "web_internal.h"

int web_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(end - p) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..len) into a new string; NULL when malformed. */
static char *form_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len || (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0) {
				free(out);
				return NULL;
			}
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!web_utf8_valid(out, o)) {
		free(out);
		return NULL;
	}
	return out;
}

int web_form_parse(const char *body, size_t len, struct web_params *out)
{
	size_t i = 0;
	int dropped = 0;

	while (i < len) {
		size_t end = i, eq;
		char *name, *value;

		while (end < len && body[end] != '&')
			end++;
		eq = i;
		while (eq < end && body[eq] != '=')
			eq++;
		if (end > i) {
			name = form_decode(body + i, eq - i);
			value = eq < end ? form_decode(body + eq + 1, end - eq - 1) : xstrdup("");
			if (!name || !value || !*name || out->n >= WEB_MAX_PARAMS) {
				free(name);
				free(value);
				dropped++;
			} else {
				out->p[out->n].name = name;
				out->p[out->n].value = value;
				out->n++;
			}
		}
		i = end + 1;
	}
	return dropped;
}

void web_params_release(struct web_params *ps)
{
	for (int i = 0; i < ps->n; i++) {
		free(ps->p[i].name);
		free(ps->p[i].value);
	}
	ps->n = 0;
}

const char *web_param(const struct web_params *ps, const char *name)
{
	for (int i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].name, name))
			return ps->p[i].value;
	return NULL;
}

int web_cookie_get(const char *header, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = header;

	if (!header || !size)
		return 0;
	while (*p) {
		const char *start, *end;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		start = p;
		while (*p && *p != ';')
			p++;
		end = p;
		if ((size_t)(end - start) > nlen && !strncmp(start, name, nlen) &&
		    start[nlen] == '=') {
			const char *v = start + nlen + 1;
			size_t vlen = (size_t)(end - v);

			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
				v++, vlen -= 2;
			if (vlen + 1 > size)
				return 0;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return 1;
		}
	}
	return 0;
}

long web_path_id(const char *path, const char *prefix, const char *suffix)
{
	size_t plen = strlen(prefix), n = 0;
	long v = 0;
	const char *p;

	if (strncmp(path, prefix, plen))
		return -1;
	p = path + plen;
	while (p[n] >= '0' && p[n] <= '9') {
		if (n >= 18)
			return -1;
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n == 0)
		return -1;
	if (suffix ? strcmp(p + n, suffix) : p[n] != '\0')
		return -1;
	return v;
}

void web_html_esc(strbuf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&':
			strbuf_addstr(out, "&amp;");
			break;
		case '<':
			strbuf_addstr(out, "&lt;");
			break;
		case '>':
			strbuf_addstr(out, "&gt;");
			break;
		case '"':
			strbuf_addstr(out, "&quot;");
			break;
		case '\'':
			strbuf_addstr(out, "&#39;");
			break;
		default:
			strbuf_addch(out, *s);
			break;
		}
	}
}

void web_flash(strbuf *out, const char *text, int good)
{
	strbuf_addf(out, "<p class=\"flash %s\" role=\"%s\">", good ? "ok" : "error",
		    good ? "status" : "alert");
	web_html_esc(out, text);
	strbuf_addstr(out, "</p>");
}

void web_csv_esc(strbuf *out, const char *s)
{
	int formula;

	if (!s)
		return;
	/* a value a spreadsheet would run as a formula is quoted and prefixed */
	formula = *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	if (formula)
		strbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

void web_url_esc(strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			strbuf_addch(out, (char)c);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[c >> 4]);
			strbuf_addch(out, hex[c & 15]);
		}
	}
}

const char *web_log_esc(strbuf *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = 0;

	strbuf_reset(out);
	for (; *p && n < max; p++, n++) {
		if (*p < 0x20 || *p == 0x7f) {
			strbuf_addf(out, "\\x%02x", *p);
		} else if (*p == '\\') {
			strbuf_addstr(out, "\\\\");
		} else if (p[0] == 0xc2 && p[1] == 0x85) {
			strbuf_addstr(out, "\\u{0085}"); /* NEL */
			p++;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			strbuf_addf(out, "\\u{%04x}", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else {
			strbuf_addch(out, (char)*p);
		}
	}
	if (*p)
		strbuf_addstr(out, "...");
	return out->buf;
}

int web_xff_client(const char *xff, char *out, size_t size)
{
	const char *end, *start;
	char addr[64];
	unsigned char buf[16];
	size_t n;

	if (!xff)
		return -1;
	end = xff + strlen(xff);
	while (end > xff && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	start = end;
	while (start > xff && start[-1] != ',')
		start--;
	while (start < end && (*start == ' ' || *start == '\t'))
		start++;
	n = (size_t)(end - start);
	if (n == 0 || n >= sizeof(addr))
		return -1;
	memcpy(addr, start, n);
	addr[n] = '\0';
	if (addr[0] == '[' && addr[n - 1] == ']') { /* "[::1]" */
		memmove(addr, addr + 1, n - 2);
		addr[n - 2] = '\0';
	}
	if (inet_pton(AF_INET, addr, buf) == 1) {
		if (!inet_ntop(AF_INET, buf, out, (socklen_t)size))
			return -1;
	} else if (inet_pton(AF_INET6, addr, buf) == 1) {
		if (!inet_ntop(AF_INET6, buf, out, (socklen_t)size))
			return -1;
	} else {
		return -1;
	}
	return 0;
}

void web_utf8_cut(strbuf *out, const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t chars = 0;

	while (*p && chars < max_chars) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;

		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				len = i; /* a broken sequence: as far as it goes */
		strbuf_add(out, p, len);
		p += len;
		chars++;
	}
	if (*p)
		strbuf_addstr(out, "…");
}

long web_axis_step(long max)
{
	long unit = 1;

	if (max <= 4)
		return 1;
	for (;;) {
		if (unit * 4 >= max)
			return unit;
		if (unit * 2 * 4 >= max)
			return unit * 2;
		if (unit * 5 * 4 >= max)
			return unit * 5;
		if (unit > LONG_MAX / 100)
			return unit * 10;
		unit *= 10;
	}
}

long web_backoff(long failures, long free_tries, double since_last)
{
	double wait;

	if (failures < free_tries)
		return 0;
	wait = failures - free_tries >= 6 ? 900.0 : 15.0 * (double)(1L << (failures - free_tries));
	if (wait > 900.0)
		wait = 900.0;
	wait -= since_last;
	return wait > 0 ? (long)wait + (wait > (long)wait) : 0;
}
