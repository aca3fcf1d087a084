/*
 * i18n.c — the interface's languages: GNU gettext catalogues (web/po/LANG.po),
 * built into the binary by tools/embed-po.sh and parsed when the server
 * starts.  English is the language of the messages in the source (the
 * msgids); each catalogue adds one language (vi.po: Vietnamese, the
 * default).  A catalogue that does not parse, or whose translation of a
 * format string has other %-conversions than the message, stops the start
 * with its file and line: a wrong translation must never reach printf.
 *
 * What is understood of the PO format: comments (a "#, fuzzy" entry is
 * skipped, as msgfmt does; "#~" obsolete entries are comments), msgctxt,
 * msgid, msgid_plural, msgstr and msgstr[N], strings continued on the next
 * lines, the C escapes \n \t \r \" \\ and the header's Plural-Forms, of
 * which "nplurals=1; plural=0;" and "nplurals=2; plural=(n != 1);" are
 * known.  An entry without a translation falls back to the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web_internal.h"

struct po_entry {
	char *key;    /* msgctxt "\004" msgid, or msgid */
	char *str[2]; /* msgstr or msgstr[0], msgstr[1] (NULL: none) */
};

struct po_catalog {
	char lang[8];
	int nplurals; /* 1 or 2; with 2, plural = (n != 1) */
	struct po_entry *e;
	size_t n;
};

static void entry_release(struct po_entry *x)
{
	free(x->key);
	free(x->str[0]);
	free(x->str[1]);
	memset(x, 0, sizeof(*x));
}

void i18n_po_catalog_free(struct po_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_release(&c->e[i]);
	free(c->e);
	free(c);
}

/*
 * The %-conversions of a format string, in order, into `out` ("ld s .1f"):
 * the conversion character with its flags, width, precision and length.
 * "%%" is not a conversion.  Returns -1 on a '%' that starts nothing.
 */
static int conversions(const char *s, strbuf *out)
{
	strbuf_reset(out);
	for (; *s; s++) {
		const char *start;

		if (*s != '%')
			continue;
		if (s[1] == '%') {
			s++;
			continue;
		}
		start = s + 1;
		s++;
		while (*s && strchr("-+ #0'123456789.*hlLqjzt", *s))
			s++;
		if (!*s || !strchr("diouxXeEfFgGaAcspn", *s))
			return -1;
		strbuf_add(out, start, (size_t)(s - start + 1));
		strbuf_addch(out, ' ');
	}
	return 0;
}

/*
 * 1 when `tr` may be used where `id` is a format: the same conversions.  A
 * message that is no format ("Linked %": a '%' that starts nothing) can
 * never be one (the compiler checks every format), so anything goes.
 */
static int same_conversions(const char *id, const char *tr)
{
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int ok;

	if (conversions(id, &a) < 0) {
		strbuf_release(&a);
		return 1;
	}
	ok = conversions(tr, &b) == 0 && !strcmp(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	return ok;
}

/* The parser's state: one entry being read. */
struct i18n_po_parse {
	const char *name;
	long line;
	herr *e;
	strbuf ctx, id, plural, str[2];
	int have_ctx, have_id, have_plural, have_str[2];
	int fuzzy, next_fuzzy;
	long entry_line;
	strbuf *cur; /* the string a continuation line adds to */
	struct po_catalog *c;
	size_t cap;
};

static int fail(struct i18n_po_parse *p, const char *what)
{
	return herr_set(p->e, HT_EXIT_FATAL, "%s:%ld: %s", p->name, p->line, what);
}

/*
 * One quoted string at *s (after optional blanks) appended, unescaped, to
 * `out`; *s moves past it.  -1 (with the error set) when malformed.
 */
static int quoted(struct i18n_po_parse *p, const char **s, strbuf *out)
{
	const char *q = *s;

	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != '"')
		return fail(p, "expected a string in double quotes");
	for (q++; *q != '"'; q++) {
		if (!*q || *q == '\n')
			return fail(p, "the string does not end on its line");
		if (*q != '\\') {
			strbuf_addch(out, *q);
			continue;
		}
		q++;
		switch (*q) {
		case 'n':
			strbuf_addch(out, '\n');
			break;
		case 't':
			strbuf_addch(out, '\t');
			break;
		case 'r':
			strbuf_addch(out, '\r');
			break;
		case '"':
		case '\\':
			strbuf_addch(out, *q);
			break;
		default:
			return fail(p, "unknown escape in a string");
		}
	}
	q++;
	while (*q == ' ' || *q == '\t' || *q == '\r')
		q++;
	if (*q && *q != '\n')
		return fail(p, "text after the string");
	*s = q;
	return 0;
}

static void state_reset(struct i18n_po_parse *p)
{
	strbuf_reset(&p->ctx);
	strbuf_reset(&p->id);
	strbuf_reset(&p->plural);
	strbuf_reset(&p->str[0]);
	strbuf_reset(&p->str[1]);
	p->have_ctx = p->have_id = p->have_plural = p->have_str[0] = p->have_str[1] = 0;
	p->fuzzy = 0;
	p->cur = NULL;
}

static const char *sbs(const strbuf *b)
{
	return b->buf ? b->buf : "";
}

/* Plural-Forms of the header: the forms this file may use. */
static int header(struct i18n_po_parse *p, const char *h)
{
	const char *pf = strstr(h, "Plural-Forms:");
	char spec[128];
	size_t n = 0;

	p->c->nplurals = 2;
	if (!pf)
		return 0;
	for (pf += 13; *pf && *pf != '\n' && n + 1 < sizeof(spec); pf++)
		if (*pf != ' ')
			spec[n++] = *pf;
	spec[n] = '\0';
	if (!strcmp(spec, "nplurals=1;plural=0;"))
		p->c->nplurals = 1;
	else if (strcmp(spec, "nplurals=2;plural=(n!=1);") &&
		 strcmp(spec, "nplurals=2;plural=n!=1;"))
		return herr_set(p->e, HT_EXIT_FATAL,
				"%s:%ld: Plural-Forms \"%s\": only nplurals=1; plural=0; and"
				" nplurals=2; plural=(n != 1); are known",
				p->name, p->entry_line, spec);
	return 0;
}

/* The entry read so far, checked and kept (or dropped: fuzzy, untranslated). */
static int flush(struct i18n_po_parse *p)
{
	struct po_entry x;
	int forms = p->have_plural ? p->c->nplurals : 1;

	if (!p->have_id) {
		if (p->have_ctx || p->have_str[0] || p->have_plural)
			return herr_set(p->e, HT_EXIT_FATAL, "%s:%ld: an entry without msgid",
					p->name, p->entry_line);
		state_reset(p);
		return 0;
	}
	if (!p->have_str[0])
		return herr_set(p->e, HT_EXIT_FATAL, "%s:%ld: msgid without msgstr", p->name,
				p->entry_line);
	if (!p->have_ctx && p->id.len == 0) {
		int rc = header(p, sbs(&p->str[0]));

		state_reset(p);
		return rc;
	}
	if (p->fuzzy || p->str[0].len == 0 || (forms == 2 && p->str[1].len == 0)) {
		state_reset(p); /* not (yet) translated: the message is shown */
		return 0;
	}
	/* each form may stand for the singular or, with one form, the plural */
	for (int k = 0; k < forms; k++) {
		const char *t = sbs(&p->str[k]);
		int ok = k == 0 ? same_conversions(sbs(&p->id), t) : 0;

		if (p->have_plural && !ok)
			ok = same_conversions(sbs(&p->plural), t);
		if (!ok)
			return herr_set(p->e, HT_EXIT_FATAL,
					"%s:%ld: the translation's %%-conversions differ from the"
					" message's",
					p->name, p->entry_line);
	}
	memset(&x, 0, sizeof(x));
	if (p->have_ctx)
		x.key = xasprintf("%s\004%s", sbs(&p->ctx), sbs(&p->id));
	else
		x.key = xstrdup(sbs(&p->id));
	x.str[0] = xstrdup(sbs(&p->str[0]));
	if (forms == 2)
		x.str[1] = xstrdup(sbs(&p->str[1]));
	if (p->c->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->c->e = xrealloc(p->c->e, p->cap * sizeof(*p->c->e));
	}
	p->c->e[p->c->n++] = x;
	state_reset(p);
	return 0;
}

/* A new entry starts (msgctxt, or msgid without one): keep the last. */
static int begin_entry(struct i18n_po_parse *p)
{
	int rc = 0;

	if (p->have_id || p->have_ctx)
		rc = flush(p);
	p->fuzzy = p->next_fuzzy;
	p->next_fuzzy = 0;
	p->entry_line = p->line;
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct po_entry *)a)->key, ((const struct po_entry *)b)->key);
}

struct po_catalog *i18n_po_parse(const char *name, const char *lang, const char *text, size_t len,
				 herr *e)
{
	struct i18n_po_parse p;
	const char *s = text, *end = text + len;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.e = e;
	p.c = xcalloc(1, sizeof(*p.c));
	p.c->nplurals = 2;
	snprintf(p.c->lang, sizeof(p.c->lang), "%s", lang);
	if (memchr(text, '\0', len)) {
		p.line = 1;
		rc = fail(&p, "a NUL byte in the catalogue");
		goto out;
	}
	if (!web_utf8_valid(text, len)) {
		p.line = 1;
		rc = fail(&p, "the catalogue is not UTF-8");
		goto out;
	}
	while (s < end && rc == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t ll = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *line = xstrndup(s, ll);
		const char *l = line;

		p.line++;
		s += ll + (nl ? 1 : 0);
		while (*l == ' ' || *l == '\t')
			l++;
		if (*l == '\0' || *l == '\r') {
			p.cur = NULL;
		} else if (*l == '#') {
			if (l[1] == ',' && strstr(l, "fuzzy"))
				p.next_fuzzy = 1;
			p.cur = NULL;
		} else if (*l == '"') {
			if (!p.cur)
				rc = fail(&p, "a string that continues nothing");
			else
				rc = quoted(&p, &l, p.cur);
		} else if (!strncmp(l, "msgctxt", 7) && (l[7] == ' ' || l[7] == '\t')) {
			if (p.have_ctx && !p.have_id)
				rc = fail(&p, "a second msgctxt");
			else
				rc = begin_entry(&p);
			p.have_ctx = 1;
			p.cur = &p.ctx;
			l += 7;
			rc = rc ? rc : quoted(&p, &l, p.cur);
		} else if (!strncmp(l, "msgid_plural", 12) && (l[12] == ' ' || l[12] == '\t')) {
			if (!p.have_id || p.have_plural || p.have_str[0])
				rc = fail(&p, "msgid_plural out of place");
			p.have_plural = 1;
			p.cur = &p.plural;
			l += 12;
			rc = rc ? rc : quoted(&p, &l, p.cur);
		} else if (!strncmp(l, "msgid", 5) && (l[5] == ' ' || l[5] == '\t')) {
			if (!p.have_ctx || p.have_id)
				rc = begin_entry(&p);
			p.have_id = 1;
			p.cur = &p.id;
			l += 5;
			rc = rc ? rc : quoted(&p, &l, p.cur);
		} else if (!strncmp(l, "msgstr[", 7)) {
			char *endp;
			long k = strtol(l + 7, &endp, 10);

			if (!p.have_plural || endp == l + 7 || *endp != ']' || k < 0 || k > 1 ||
			    p.have_str[k] || (k == 1 && !p.have_str[0]))
				rc = fail(&p, "msgstr[N] out of place");
			else if (k >= p.c->nplurals)
				rc = fail(&p, "more plural forms than Plural-Forms says");
			else {
				p.have_str[k] = 1;
				p.cur = &p.str[k];
				l = endp + 1;
				rc = quoted(&p, &l, p.cur);
			}
		} else if (!strncmp(l, "msgstr", 6) && (l[6] == ' ' || l[6] == '\t')) {
			if (!p.have_id || p.have_plural || p.have_str[0])
				rc = fail(&p, "msgstr out of place");
			p.have_str[0] = 1;
			p.cur = &p.str[0];
			l += 6;
			rc = rc ? rc : quoted(&p, &l, p.cur);
		} else {
			rc = fail(&p, "expected msgctxt, msgid, msgid_plural, msgstr or a comment");
		}
		free(line);
	}
	if (rc == 0)
		rc = flush(&p);
	if (rc == 0 && p.c->n) {
		qsort(p.c->e, p.c->n, sizeof(*p.c->e), cmp_entry);
		for (size_t i = 1; i < p.c->n; i++)
			if (!strcmp(p.c->e[i - 1].key, p.c->e[i].key)) {
				rc = herr_set(e, HT_EXIT_FATAL, "%s: the message \"%.60s\" twice",
					      name, p.c->e[i].key);
				break;
			}
	}
out:
	strbuf_release(&p.ctx);
	strbuf_release(&p.id);
	strbuf_release(&p.plural);
	strbuf_release(&p.str[0]);
	strbuf_release(&p.str[1]);
	if (rc < 0) {
		i18n_po_catalog_free(p.c);
		return NULL;
	}
	return p.c;
}

static const struct po_entry *find(const struct po_catalog *c, const char *key)
{
	struct po_entry k = { .key = (char *)(uintptr_t)key };

	return c && c->n ? bsearch(&k, c->e, c->n, sizeof(*c->e), cmp_entry) : NULL;
}

const char *i18n_po_get(const struct po_catalog *c, const char *msgid)
{
	const struct po_entry *x = find(c, msgid);

	return x ? x->str[0] : msgid;
}

const char *i18n_po_nget(const struct po_catalog *c, const char *msgid, const char *plural,
			 unsigned long n)
{
	const struct po_entry *x = find(c, msgid);

	if (!x)
		return n == 1 ? msgid : plural;
	if (c->nplurals == 1 || !x->str[1])
		return x->str[0];
	return n != 1 ? x->str[1] : x->str[0];
}

size_t i18n_po_count(const struct po_catalog *c)
{
	return c ? c->n : 0;
}

/* ------------------------------------------------------------------------
 * The languages of the interface
 * ---------------------------------------------------------------------- */

static struct po_catalog *catalogs[WEB_LANGS];

static const char *const lang_codes[WEB_LANGS] = { "vi", "en" };

int i18n_init(herr *e)
{
	for (int i = 0; i < web_catalogs_count; i++) {
		const struct web_asset *a = &web_catalogs[i];
		const char *base = strrchr(a->path, '/');
		char lang[8];
		size_t n;
		int k;

		base = base ? base + 1 : a->path;
		n = strcspn(base, ".");
		if (n == 0 || n >= sizeof(lang))
			return herr_set(e, HT_EXIT_FATAL, "%s: not a LANG.po name", a->path);
		memcpy(lang, base, n);
		lang[n] = '\0';
		k = i18n_lang_parse(lang);
		if (k < 0 || k == LANG_EN)
			return herr_set(e, HT_EXIT_FATAL, "%s: no language \"%s\" in this build",
					a->path, lang);
		i18n_po_catalog_free(catalogs[k]);
		catalogs[k] = i18n_po_parse(a->path, lang, (const char *)a->data, a->len, e);
		if (!catalogs[k])
			return -1;
	}
	return 0;
}

void i18n_release(void)
{
	for (int i = 0; i < WEB_LANGS; i++) {
		i18n_po_catalog_free(catalogs[i]);
		catalogs[i] = NULL;
	}
}

const char *i18n_get(int lang, const char *msgid)
{
	return lang >= 0 && lang < WEB_LANGS ? i18n_po_get(catalogs[lang], msgid) : msgid;
}

const char *i18n_nget(int lang, const char *msgid, const char *plural, unsigned long n)
{
	if (lang < 0 || lang >= WEB_LANGS || !catalogs[lang])
		return n == 1 ? msgid : plural;
	return i18n_po_nget(catalogs[lang], msgid, plural, n);
}

const char *i18n_lang_code(int lang)
{
	return lang >= 0 && lang < WEB_LANGS ? lang_codes[lang] : "vi";
}

int i18n_lang_parse(const char *s)
{
	for (int i = 0; s && i < WEB_LANGS; i++)
		if (!strcmp(s, lang_codes[i]))
			return i;
	return -1;
}

int i18n_accept_language(const char *h)
{
	int best = -1;
	double bestq = -1;

	/* "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7": the known language of highest q */
	while (h && *h) {
		char tag[16];
		size_t n = 0;
		double qv = 1.0;
		int k;

		while (*h == ' ' || *h == ',')
			h++;
		while (*h && *h != ',' && *h != ';' && *h != ' ') {
			if (n + 1 < sizeof(tag))
				tag[n++] = (char)((*h >= 'A' && *h <= 'Z') ? *h + 32 : *h);
			h++;
		}
		tag[n] = '\0';
		while (*h && *h != ',') {
			if (*h == 'q' && h[1] == '=') {
				char *endp;
				double v = strtod(h + 2, &endp);

				if (endp != h + 2 && v >= 0 && v <= 1)
					qv = v;
				h = endp > h + 2 ? endp : h + 2;
				continue;
			}
			h++;
		}
		tag[strcspn(tag, "-_")] = '\0';
		k = i18n_lang_parse(tag);
		if (k >= 0 && qv > 0 && qv > bestq) {
			best = k;
			bestq = qv;
		}
	}
	return best;
}
