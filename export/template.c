/*
 * template.c — the export templates as data: one file per document type
 * (export/templates/<type>.tpl: the columns of the national import
 * template, where each value comes from and how it is written) and the
 * code lists they use (*.map: sexes, ethnic groups, nationalities, kinds
 * of registration), built into the binary and checked when an export
 * starts.  A bad file is an error naming its file and line.  The format is
 * in the README ("Hand-over").
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../normalize/normalize.h"
#include "export_internal.h"

/* The fields each document type's records carry (the contract's, and the
 * identity papers the reader tells apart), for checking the sources. */
static const char *const common_fields[] = { "register_no", "book_no", "registered_on",
					     "registry_office" };
static const struct {
	const char *doc_type;
	const char *fields; /* space-separated */
	const char *roles;
} known[] = {
	{ "khai_sinh",
	  "full_name dob sex ethnicity nationality birthplace hometown id_number cmnd_number "
	  "passport_number father_name mother_name",
	  "subject" },
	{ "khai_tu",
	  "full_name dob sex ethnicity nationality id_number cmnd_number passport_number died_on "
	  "death_place death_cause",
	  "subject" },
	{ "ket_hon",
	  "husband_name husband_dob husband_id_number husband_cmnd_number husband_passport_number "
	  "husband_ethnicity husband_nationality husband_residence wife_name wife_dob "
	  "wife_id_number wife_cmnd_number wife_passport_number wife_ethnicity wife_nationality "
	  "wife_residence",
	  "husband wife" },
	{ "nhan_cha_me_con",
	  "parent_name parent_dob parent_sex parent_id_number parent_cmnd_number "
	  "parent_passport_number child_name child_dob child_id_number child_cmnd_number "
	  "child_passport_number",
	  "parent child" },
	{ "tthc_receipt",
	  "dossier_code procedure_name applicant_name applicant_id_number applicant_cmnd_number "
	  "received_on due_on",
	  "applicant" },
};

static int word_in(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int known_type(const char *doc_type)
{
	for (size_t i = 0; i < HT_ARRAY_LEN(known); i++)
		if (!strcmp(known[i].doc_type, doc_type))
			return (int)i;
	return -1;
}

static int known_field(int type, const char *field)
{
	for (size_t i = 0; i < HT_ARRAY_LEN(common_fields); i++)
		if (!strcmp(common_fields[i], field))
			return 1;
	return word_in(known[type].fields, field);
}

/* ------------------------------------------------------------------------
 * Lines and words
 * ---------------------------------------------------------------------- */

#define MAX_WORDS 8

struct line {
	char copy[2048]; /* the line as it was, for rest */
	char *w[MAX_WORDS];
	int n;
	const char *rest[MAX_WORDS]; /* the text from word i to the end of the line */
};

/* Split a line (modified in place) into words; '#' after a blank or at the
 * start begins a comment. */
static void split(char *s, struct line *l)
{
	char *p = s;

	l->n = 0;
	for (char *c = s; *c; c++)
		if (*c == '#' && (c == s || c[-1] == ' ' || c[-1] == '\t')) {
			*c = 0;
			break;
		}
	/* trailing blanks */
	for (size_t k = strlen(s); k && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r');
	     k--)
		s[k - 1] = 0;
	snprintf(l->copy, sizeof(l->copy), "%s", s);
	while (*p && l->n < MAX_WORDS) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		l->rest[l->n] = (size_t)(p - s) < sizeof(l->copy) ? l->copy + (p - s) : "";
		l->w[l->n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p && l->n < MAX_WORDS)
			*p++ = 0;
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* ------------------------------------------------------------------------
 * Parsing
 * ---------------------------------------------------------------------- */

static int parse_source(const char *s, int type, struct xcolumn *c, const char *file, int line,
			herr *e)
{
	char *copy = xstrdup(s), *save = NULL, *alt;
	int rc = 0;

	if (!strcmp(s, "-")) {
		free(copy);
		return 0;
	}
	for (alt = strtok_r(copy, "|", &save); alt && !rc; alt = strtok_r(NULL, "|", &save)) {
		struct xsrc *x;

		if (c->nsrc == XSRC_MAX) {
			rc = herr_set(e, HT_EXIT_FATAL, "%s:%d: more than %d sources in a column",
				      file, line, XSRC_MAX);
			break;
		}
		x = &c->src[c->nsrc];
		if (!strcmp(alt, "book")) {
			x->kind = XSRC_BOOK;
		} else if (!strcmp(alt, "registration_kind")) {
			x->kind = XSRC_REG_KIND;
		} else if (!strncmp(alt, "link:", 5)) {
			if (!word_in(known[type].roles, alt + 5)) {
				rc = herr_set(e, HT_EXIT_FATAL,
					      "%s:%d: no person \"%s\" on a record of %s (%s)",
					      file, line, alt + 5, known[type].doc_type,
					      known[type].roles);
				break;
			}
			x->kind = XSRC_LINK;
			x->name = xstrdup(alt + 5);
		} else if (known_field(type, alt)) {
			x->kind = XSRC_FIELD;
			x->name = xstrdup(alt);
		} else {
			rc =
			    herr_set(e, HT_EXIT_FATAL,
				     "%s:%d: unknown source \"%s\" (a field of %s, link:ROLE, book,"
				     " registration_kind or -)",
				     file, line, alt, known[type].doc_type);
			break;
		}
		c->nsrc++;
	}
	free(copy);
	return rc;
}

static int parse_format(const char *s, struct xcolumn *c, const char *file, int line, herr *e)
{
	static const struct {
		const char *name;
		enum xfmt fmt;
	} formats[] = { { "text", XF_TEXT },	       { "date", XF_DATE },
			{ "date_full", XF_DATE_FULL }, { "date_words", XF_DATE_WORDS },
			{ "number", XF_NUMBER },       { "id", XF_ID } };

	if (!strncmp(s, "map:", 4) && s[4]) {
		c->fmt = XF_MAP;
		c->map_name = xstrdup(s + 4);
		return 0;
	}
	for (size_t i = 0; i < HT_ARRAY_LEN(formats); i++)
		if (!strcmp(formats[i].name, s)) {
			c->fmt = formats[i].fmt;
			return 0;
		}
	return herr_set(e, HT_EXIT_FATAL,
			"%s:%d: unknown format \"%s\" (text, date, date_full, date_words, number,"
			" id, map:NAME)",
			file, line, s);
}

static int valid_name(const char *s, const char *also)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(also, *s)))
			return 0;
	return 1;
}

static void xtemplate_release(struct xtemplate *tp)
{
	for (size_t i = 0; i < tp->ncols; i++) {
		struct xcolumn *c = &tp->cols[i];

		free(c->name);
		free(c->label);
		free(c->map_name);
		for (int k = 0; k < c->nsrc; k++)
			free(c->src[k].name);
	}
	free(tp->cols);
	free(tp->names);
	free(tp->doc_type);
	free(tp->title);
	free(tp->prefix);
	free(tp->status_column);
	free(tp->file);
	memset(tp, 0, sizeof(*tp));
}

static int parse_template(struct export_templates *t, const char *file, const char *text, herr *e)
{
	struct xtemplate tp = { 0 };
	char *copy = xstrdup(text), *ln, *p;
	int lineno = 0, type = -1, rc = -1;
	size_t alloc = 0;

	tp.file = xstrdup(file);
	/* lines, blank ones kept for the numbering */
	for (p = copy; p; p = ln) {
		struct line l;

		ln = strchr(p, '\n');
		if (ln)
			*ln++ = 0;
		lineno++;
		split(p, &l);
		if (!l.n)
			continue;
		if (!strcmp(l.w[0], "template")) {
			if (l.n != 2 || tp.doc_type) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: 'template DOC_TYPE' once", file,
					 lineno);
				goto out;
			}
			type = known_type(l.w[1]);
			if (type < 0) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: unknown document type \"%s\" (khai_sinh, khai_tu,"
					 " ket_hon, nhan_cha_me_con, tthc_receipt)",
					 file, lineno, l.w[1]);
				goto out;
			}
			tp.doc_type = xstrdup(l.w[1]);
		} else if (!strcmp(l.w[0], "title") || !strcmp(l.w[0], "prefix") ||
			   !strcmp(l.w[0], "status")) {
			char **slot = l.w[0][0] == 't'	 ? &tp.title
				      : l.w[0][0] == 'p' ? &tp.prefix
							 : &tp.status_column;

			if (l.n < 2 || *slot) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: '%s' takes a value, once", file,
					 lineno, l.w[0]);
				goto out;
			}
			if (l.w[0][0] != 't' &&
			    (l.n != 2 || !valid_name(l.w[1], l.w[0][0] == 'p' ? "_-" : "_"))) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: '%s' takes one word of letters, digits and %s",
					 file, lineno, l.w[0], l.w[0][0] == 'p' ? "_ or -" : "_");
				goto out;
			}
			*slot = xstrdup(l.rest[1]);
		} else if (!strcmp(l.w[0], "column")) {
			struct xcolumn *c;

			if (type < 0) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: 'template' must come first",
					 file, lineno);
				goto out;
			}
			if (l.n < 5) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: 'column NAME SOURCE FORMAT required|- [LABEL]'",
					 file, lineno);
				goto out;
			}
			if (!valid_name(l.w[1], "_")) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: column name \"%s\": letters, digits and _ only",
					 file, lineno, l.w[1]);
				goto out;
			}
			for (size_t k = 0; k < tp.ncols; k++)
				if (!strcmp(tp.cols[k].name, l.w[1])) {
					herr_set(e, HT_EXIT_FATAL,
						 "%s:%d: column \"%s\" already on line %d", file,
						 lineno, l.w[1], tp.cols[k].line);
					goto out;
				}
			if (strcmp(l.w[4], "required") && strcmp(l.w[4], "-")) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: \"%s\": 'required' or '-'", file,
					 lineno, l.w[4]);
				goto out;
			}
			if (tp.ncols == alloc) {
				alloc = alloc ? 2 * alloc : 32;
				tp.cols = xrealloc(tp.cols, alloc * sizeof(*tp.cols));
			}
			c = &tp.cols[tp.ncols++];
			memset(c, 0, sizeof(*c));
			c->name = xstrdup(l.w[1]);
			c->line = lineno;
			c->required = !strcmp(l.w[4], "required");
			c->label = xstrdup(l.n > 5 ? l.rest[5] : l.w[1]);
			if (parse_source(l.w[2], type, c, file, lineno, e) < 0 ||
			    parse_format(l.w[3], c, file, lineno, e) < 0)
				goto out;
			if (c->required && !c->nsrc) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: a required column needs a source, not '-'", file,
					 lineno);
				goto out;
			}
		} else {
			herr_set(e, HT_EXIT_FATAL,
				 "%s:%d: unknown statement \"%s\" (template, title, prefix, status,"
				 " column)",
				 file, lineno, l.w[0]);
			goto out;
		}
	}
	if (!tp.doc_type || !tp.title || !tp.prefix || !tp.ncols) {
		herr_set(e, HT_EXIT_FATAL, "%s: needs 'template', 'title', 'prefix' and columns",
			 file);
		goto out;
	}
	for (size_t i = 0; i < t->ntpl; i++)
		if (!strcmp(t->tpl[i].doc_type, tp.doc_type)) {
			herr_set(e, HT_EXIT_FATAL, "%s: a second template of %s (the first in %s)",
				 file, tp.doc_type, t->tpl[i].file);
			goto out;
		}
	t->tpl = xrealloc(t->tpl, (t->ntpl + 1) * sizeof(*t->tpl));
	t->tpl[t->ntpl++] = tp;
	memset(&tp, 0, sizeof(tp));
	rc = 0;
out:
	if (rc < 0)
		xtemplate_release(&tp);
	free(copy);
	return rc;
}

/* A code list: "map NAME", then "CODE VALUE..." lines, until the next map. */
static int parse_maps(struct export_templates *t, const char *file, const char *text, herr *e)
{
	char *copy = xstrdup(text), *ln, *p;
	struct xmap *m = NULL;
	int lineno = 0, rc = -1;

	for (p = copy; p; p = ln) {
		struct line l;

		ln = strchr(p, '\n');
		if (ln)
			*ln++ = 0;
		lineno++;
		split(p, &l);
		if (!l.n)
			continue;
		if (!strcmp(l.w[0], "map")) {
			if (l.n != 2 || !valid_name(l.w[1], "_")) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: 'map NAME' (letters, digits, _)",
					 file, lineno);
				goto out;
			}
			for (size_t i = 0; i < t->nmaps; i++)
				if (!strcmp(t->maps[i].name, l.w[1])) {
					herr_set(e, HT_EXIT_FATAL, "%s:%d: a second map \"%s\"",
						 file, lineno, l.w[1]);
					goto out;
				}
			t->maps = xrealloc(t->maps, (t->nmaps + 1) * sizeof(*t->maps));
			m = &t->maps[t->nmaps++];
			memset(m, 0, sizeof(*m));
			m->name = xstrdup(l.w[1]);
			m->file = xstrdup(file);
			continue;
		}
		if (!m) {
			herr_set(e, HT_EXIT_FATAL, "%s:%d: 'map NAME' must come first", file,
				 lineno);
			goto out;
		}
		if (l.n < 2) {
			herr_set(e, HT_EXIT_FATAL, "%s:%d: 'CODE VALUE' (the code, then the value)",
				 file, lineno);
			goto out;
		}
		{
			strbuf key = STRBUF_INIT;

			vn_fold(l.rest[1], -1, &key);
			for (size_t i = 0; i < m->n; i++)
				if (!strcmp(m->keys[i], key.buf)) {
					herr_set(e, HT_EXIT_FATAL,
						 "%s:%d: the value \"%s\" is already in map %s",
						 file, lineno, l.rest[1], m->name);
					strbuf_release(&key);
					goto out;
				}
			m->keys = xrealloc(m->keys, (m->n + 1) * sizeof(char *));
			m->codes = xrealloc(m->codes, (m->n + 1) * sizeof(char *));
			m->keys[m->n] = strbuf_detach(&key, NULL);
			m->codes[m->n++] = xstrdup(l.w[0]);
		}
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void export_templates_free(struct export_templates *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ntpl; i++)
		xtemplate_release(&t->tpl[i]);
	for (size_t i = 0; i < t->nmaps; i++) {
		struct xmap *m = &t->maps[i];

		for (size_t k = 0; k < m->n; k++) {
			free(m->keys[k]);
			free(m->codes[k]);
		}
		free(m->keys);
		free(m->codes);
		free(m->name);
		free(m->file);
	}
	free(t->tpl);
	free(t->maps);
	free(t->types);
	free(t);
}

struct export_templates *export_templates_parse(const char *const *names, const char *const *texts,
						size_t n, herr *e)
{
	struct export_templates *t = xcalloc(1, sizeof(*t));

	/* the code lists first: the templates refer to them */
	for (size_t i = 0; i < n; i++)
		if (ends_with(names[i], ".map") && parse_maps(t, names[i], texts[i], e) < 0)
			goto fail;
	for (size_t i = 0; i < n; i++) {
		if (ends_with(names[i], ".map"))
			continue;
		if (!ends_with(names[i], ".tpl")) {
			herr_set(e, HT_EXIT_FATAL,
				 "%s: a template file ends in .tpl, a code list in .map", names[i]);
			goto fail;
		}
		if (parse_template(t, names[i], texts[i], e) < 0)
			goto fail;
	}
	if (!t->ntpl) {
		herr_set(e, HT_EXIT_FATAL, "no export template");
		goto fail;
	}
	for (size_t i = 0; i < t->ntpl; i++) {
		struct xtemplate *tp = &t->tpl[i];

		for (size_t k = 0; k < tp->ncols; k++) {
			struct xcolumn *c = &tp->cols[k];

			if (c->fmt != XF_MAP)
				continue;
			for (size_t j = 0; j < t->nmaps; j++)
				if (!strcmp(t->maps[j].name, c->map_name))
					c->map = &t->maps[j];
			if (!c->map) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: no code list \"%s\"", tp->file,
					 c->line, c->map_name);
				goto fail;
			}
		}
		tp->nnames = tp->ncols + (tp->status_column != NULL);
		tp->names = xcalloc(tp->nnames, sizeof(char *));
		for (size_t k = 0; k < tp->ncols; k++)
			tp->names[k] = tp->cols[k].name;
		if (tp->status_column)
			tp->names[tp->ncols] = tp->status_column;
	}
	t->types = xcalloc(t->ntpl, sizeof(char *));
	for (size_t i = 0; i < t->ntpl; i++)
		t->types[i] = t->tpl[i].doc_type;
	qsort(t->types, t->ntpl, sizeof(char *), cmp_str);
	return t;
fail:
	export_templates_free(t);
	return NULL;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct export_templates *builtin;
static herr builtin_err;

static void builtin_load(void)
{
	const char **names = xcalloc((size_t)export_templates_embedded_count, sizeof(char *));
	const char **texts = xcalloc((size_t)export_templates_embedded_count, sizeof(char *));

	for (int i = 0; i < export_templates_embedded_count; i++) {
		names[i] = export_templates_embedded[i].name;
		texts[i] = export_templates_embedded[i].text;
	}
	builtin = export_templates_parse(names, texts, (size_t)export_templates_embedded_count,
					 &builtin_err);
	free(names);
	free(texts);
}

/* The built-in templates live as long as the process (one allocation,
 * never freed, like the forms of ocr/). */
const struct export_templates *export_templates_load(herr *e)
{
	pthread_once(&builtin_once, builtin_load);
	if (!builtin) {
		herr_set(e, builtin_err.code, "%s", builtin_err.msg);
		return NULL;
	}
	return builtin;
}

size_t export_template_types(const struct export_templates *t, const char *const **types)
{
	*types = t->types;
	return t->ntpl;
}

const struct xtemplate *export_template_find(const struct export_templates *t, const char *doc_type)
{
	for (size_t i = 0; doc_type && i < t->ntpl; i++)
		if (!strcmp(t->tpl[i].doc_type, doc_type))
			return &t->tpl[i];
	return NULL;
}

size_t export_template_columns(const struct export_templates *t, const char *doc_type,
			       const char *const **names)
{
	const struct xtemplate *tp = export_template_find(t, doc_type);

	*names = tp ? tp->names : NULL;
	return tp ? tp->nnames : 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct export_templates *export_templates_read(const char *dir, herr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **texts = NULL;
	size_t n = 0;
	struct export_templates *t = NULL;

	if (!d) {
		herr_set(e, HT_EXIT_USAGE, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)))
		if (ends_with(de->d_name, ".tpl") || ends_with(de->d_name, ".map")) {
			names = xrealloc(names, (n + 1) * sizeof(char *));
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), cmp_name);
	texts = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		strbuf sb = STRBUF_INIT;

		if (fs_read_file(names[i], 1 << 20, &sb, e) < 0) {
			strbuf_release(&sb);
			e->code = HT_EXIT_USAGE;
			goto out;
		}
		texts[i] = strbuf_detach(&sb, NULL);
	}
	if (!n)
		herr_set(e, HT_EXIT_USAGE, "%s: no template (.tpl) or code list (.map)", dir);
	else
		t = export_templates_parse((const char *const *)names, (const char *const *)texts,
					   n, e);
	if (!t) /* the province's file is the input at fault */
		e->code = HT_EXIT_USAGE;
out:
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(texts[i]);
	}
	free(names);
	free(texts);
	return t;
}
