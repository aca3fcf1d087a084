/*
 * http.c — the parsers of what browsers send (form bodies, cookies, path
 * ids) and the escapers of what goes back (HTML, CSV, URLs).  Everything
 * here takes outside bytes: bounded, no trust in lengths or encodings.
 */
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

void html_esc(strbuf *out, const char *s)
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

void csv_esc(strbuf *out, const char *s)
{
	int quote = 0;

	if (!s)
		return;
	/* a value a spreadsheet would run as a formula is quoted and prefixed */
	if (strpbrk(s, ",\"\r\n") || *s == '=' || *s == '+' || *s == '-' || *s == '@')
		quote = 1;
	if (!quote) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	if (*s == '=' || *s == '+' || *s == '@' || (*s == '-' && !(s[1] >= '0' && s[1] <= '9')))
		strbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

void url_esc(strbuf *out, const char *s)
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
