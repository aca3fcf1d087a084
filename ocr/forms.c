/*
 * forms.c — the documents hotich reads, as data: the form definitions of
 * the .form files of ocr/forms/ (embedded in the binary; the format is in
 * ocr/forms/README.md), parsed and checked once, and the versions of a
 * document type merged into the one definition the reader uses.
 *
 * A definition file gives a document type and version, its printed
 * titles, the fields every such form prints, and its labels: for each, whose
 * block it is in, the field and kind of its value, flags, and the printed
 * wording with its variants.  A bad file is an error naming the file and
 * line.  Versions of one type are merged newest first: titles and labels
 * united (a label the newer version already has is kept once; the same
 * wording with another meaning in the same block is an error), required
 * fields intersected.
 *
 * Labels are matched on folded text with a tolerance (forms_similarity),
 * so that "Ho, chu dem, ten:" or "Hq, chữ đệm, tèn:" still anchor.
 */
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

/* ------------------------------------------------------------------------
 * Vocabulary of the files
 * ---------------------------------------------------------------------- */

static const char *const doc_types[] = { "khai_sinh", "khai_tu", "ket_hon", "nhan_cha_me_con",
					 "tthc_receipt" };

static const struct {
	const char *name;
	int ctx;
} contexts[] = {
	{ "any", CTX_ANY },	  { "subject", CTX_SUBJECT },	  { "mother", CTX_MOTHER },
	{ "father", CTX_FATHER }, { "declarant", CTX_DECLARANT }, { "husband", CTX_HUSBAND },
	{ "wife", CTX_WIFE },	  { "parent", CTX_PARENT },	  { "child", CTX_CHILD },
	{ "office", CTX_OFFICE },
};

static const struct {
	const char *name;
	enum field_kind kind;
} kinds[] = {
	{ "name", FK_NAME },
	{ "date", FK_DATE },
	{ "datetime", FK_DATETIME },
	{ "id", FK_ID },
	{ "idpaper", FK_IDPAPER },
	{ "sex", FK_SEX },
	{ "ethnicity", FK_ETHNIC },
	{ "nationality", FK_NATION },
	{ "place", FK_PLACE },
	{ "office", FK_OFFICE },
	{ "text", FK_TEXT },
	{ "number", FK_NUMBER },
	{ "date_words", FK_DATE_WORDS },
	{ "sentence", FK_SENTENCE },
	{ "relation", FK_RELATION },
	{ "skip", FK_SKIP },
};

static const struct {
	const char *name;
	unsigned flag;
} flags[] = {
	{ "first", FL_FIRST_ONLY }, { "opens", FL_SETS_CONTEXT }, { "wraps", FL_WRAPS },
	{ "alone", FL_ALONE },	    { "last", FL_LAST },
};

/* The fields of the record JSON (../shared/CONTRACT.md and README). */
static const char *const known_fields[] = {
	"register_no",
	"book_no",
	"registered_on",
	"registry_office",
	"full_name",
	"dob",
	"sex",
	"ethnicity",
	"nationality",
	"birthplace",
	"hometown",
	"id_number",
	"cmnd_number",
	"passport_number",
	"father_name",
	"mother_name",
	"died_on",
	"death_place",
	"death_cause",
	"husband_name",
	"husband_dob",
	"husband_id_number",
	"husband_cmnd_number",
	"husband_passport_number",
	"husband_ethnicity",
	"husband_nationality",
	"husband_residence",
	"wife_name",
	"wife_dob",
	"wife_id_number",
	"wife_cmnd_number",
	"wife_passport_number",
	"wife_ethnicity",
	"wife_nationality",
	"wife_residence",
	"parent_name",
	"parent_sex",
	"parent_dob",
	"parent_id_number",
	"parent_cmnd_number",
	"parent_passport_number",
	"child_name",
	"child_dob",
	"child_id_number",
	"child_cmnd_number",
	"child_passport_number",
	"dossier_code",
	"procedure_name",
	"applicant_name",
	"applicant_id_number",
	"applicant_cmnd_number",
	"received_on",
	"due_on",
};

static const char *known_field(const char *name)
{
	for (size_t i = 0; i < HT_ARRAY_LEN(known_fields); i++)
		if (!strcmp(known_fields[i], name))
			return known_fields[i];
	return NULL;
}

const char *forms_field(const char *name)
{
	return known_field(name);
}

const char *forms_context_name(int ctx)
{
	for (size_t i = 0; i < HT_ARRAY_LEN(contexts); i++)
		if (contexts[i].ctx == ctx)
			return contexts[i].name;
	return "?";
}

/* ------------------------------------------------------------------------
 * Parsing one file
 * ---------------------------------------------------------------------- */

/* One file as parsed: a version of a document type. */
struct form_version {
	const char *src; /* file name (static: the embedded table's) */
	char *doc_type;
	int year;
	int version_line;
	char **titles;
	int ntitles;
	char **required;
	int nrequired;
	int start, start_line;
	struct form_label *labels;
	int nlabels;
};

static void version_release(struct form_version *v)
{
	int i;

	free(v->doc_type);
	for (i = 0; i < v->ntitles; i++)
		free(v->titles[i]);
	free(v->titles);
	for (i = 0; i < v->nrequired; i++)
		free(v->required[i]);
	free(v->required);
	for (i = 0; i < v->nlabels; i++) {
		free(v->labels[i].text);
		free(v->labels[i].key);
	}
	free(v->labels);
	memset(v, 0, sizeof(*v));
}

static void push_str(char ***arr, int *n, const char *s, size_t len)
{
	*arr = xrealloc(*arr, (size_t)(*n + 2) * sizeof(char *));
	(*arr)[(*n)++] = xstrndup(s, len);
	(*arr)[*n] = NULL;
}

/* The next whitespace-separated token of *p (its start and length). */
static int next_token(const char **p, const char **tok, size_t *len)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	*tok = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return 1;
}

static int token_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && !strncmp(tok, word, len);
}

static void fold_key(const char *text, char **key, int *ntok)
{
	strbuf f = STRBUF_INIT;
	int n;

	vn_fold(text, -1, &f);
	n = f.len ? 1 : 0;
	for (size_t i = 0; i < f.len; i++)
		n += f.buf[i] == ' ';
	*key = strbuf_detach(&f, NULL);
	*ntok = n;
}

/* "label WHOSE FIELD KIND FLAGS WORDING [| WORDING]...": one entry per wording. */
static int parse_label(struct form_version *v, const char *rest, int line, herr *e)
{
	const char *tok, *p = rest;
	size_t len;
	int ctx = -1, kind = -1;
	unsigned fl = 0;
	const char *field = NULL;
	size_t i;

	if (!next_token(&p, &tok, &len))
		goto short_line;
	for (i = 0; i < HT_ARRAY_LEN(contexts); i++)
		if (token_is(tok, len, contexts[i].name))
			ctx = contexts[i].ctx;
	if (ctx < 0)
		return herr_set(e, HT_EXIT_FATAL,
				"%s:%d: unknown block \"%.*s\" (any, subject, mother, father, "
				"declarant, husband, wife, parent, child, office)",
				v->src, line, (int)len, tok);
	if (!next_token(&p, &tok, &len))
		goto short_line;
	if (!token_is(tok, len, "-")) {
		char *name = xstrndup(tok, len);

		field = known_field(name);
		free(name);
		if (!field)
			return herr_set(
			    e, HT_EXIT_FATAL,
			    "%s:%d: unknown field \"%.*s\" (a field of the record JSON, "
			    "or - for none)",
			    v->src, line, (int)len, tok);
	}
	if (!next_token(&p, &tok, &len))
		goto short_line;
	for (i = 0; i < HT_ARRAY_LEN(kinds); i++)
		if (token_is(tok, len, kinds[i].name))
			kind = (int)kinds[i].kind;
	if (kind < 0)
		return herr_set(e, HT_EXIT_FATAL,
				"%s:%d: unknown kind \"%.*s\" (name, date, datetime, id, idpaper, "
				"sex, ethnicity, nationality, place, office, text, number, "
				"date_words, sentence, relation, skip)",
				v->src, line, (int)len, tok);
	if (!next_token(&p, &tok, &len))
		goto short_line;
	if (!token_is(tok, len, "-")) {
		const char *f = tok, *end = tok + len;

		while (f < end) {
			const char *c = memchr(f, ',', (size_t)(end - f));
			size_t fl_len = (size_t)((c ? c : end) - f);
			unsigned bit = 0;

			for (i = 0; i < HT_ARRAY_LEN(flags); i++)
				if (token_is(f, fl_len, flags[i].name))
					bit = flags[i].flag;
			if (!bit)
				return herr_set(
				    e, HT_EXIT_FATAL,
				    "%s:%d: unknown flag \"%.*s\" (first, opens, wraps, "
				    "alone, last, or - for none)",
				    v->src, line, (int)fl_len, f);
			fl |= bit;
			f = c ? c + 1 : end;
		}
	}
	/* what the kind asks of the field */
	if (kind == FK_SKIP && field)
		return herr_set(e, HT_EXIT_FATAL, "%s:%d: a skipped label gives no field (write -)",
				v->src, line);
	if (kind != FK_SKIP && !field)
		return herr_set(e, HT_EXIT_FATAL,
				"%s:%d: a label that is not skipped needs its field", v->src, line);
	if ((kind == FK_ID || kind == FK_IDPAPER) && !strstr(field, "id_number"))
		return herr_set(e, HT_EXIT_FATAL,
				"%s:%d: an identity number or paper gives an ..._id_number field, "
				"not \"%s\"",
				v->src, line, field);
	if (kind == FK_DATE_WORDS && strcmp(field, "dob"))
		return herr_set(e, HT_EXIT_FATAL,
				"%s:%d: a date in words checks the date of birth (dob), not \"%s\"",
				v->src, line, field);
	if (kind == FK_RELATION && strcmp(field, "parent_sex"))
		return herr_set(e, HT_EXIT_FATAL, "%s:%d: a relation gives parent_sex, not \"%s\"",
				v->src, line, field);
	/* the wordings */
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		goto short_line;
	while (*p) {
		const char *bar = strstr(p, "|"), *end = bar ? bar : p + strlen(p);
		const char *b = p, *z = end;
		struct form_label *lb;

		while (b < z && (*b == ' ' || *b == '\t'))
			b++;
		while (z > b && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if (z == b)
			return herr_set(e, HT_EXIT_FATAL, "%s:%d: an empty wording between |",
					v->src, line);
		v->labels = xrealloc(v->labels, (size_t)(v->nlabels + 1) * sizeof(*v->labels));
		lb = &v->labels[v->nlabels++];
		memset(lb, 0, sizeof(*lb));
		lb->text = xstrndup(b, (size_t)(z - b));
		lb->field = field;
		lb->kind = (enum field_kind)kind;
		lb->context = ctx;
		lb->flags = fl;
		lb->src = v->src;
		lb->line = line;
		fold_key(lb->text, &lb->key, &lb->ntok);
		if (!lb->ntok)
			return herr_set(e, HT_EXIT_FATAL,
					"%s:%d: the wording \"%s\" has no letter or digit", v->src,
					line, lb->text);
		p = bar ? bar + 1 : end;
	}
	return 0;
short_line:
	return herr_set(
	    e, HT_EXIT_FATAL,
	    "%s:%d: a label line is: label WHOSE FIELD KIND FLAGS WORDING [| WORDING]...", v->src,
	    line);
}

/* Parse one definition file.  Returns 0, or -1 with `e` naming file and line. */
static int parse_file(const char *src, const char *text, struct form_version *v, herr *e)
{
	const char *p = text;
	int line = 0;

	memset(v, 0, sizeof(*v));
	v->src = src;
	v->start = CTX_SUBJECT;
	while (*p) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p), *q, *tok;
		char *l;
		size_t len;

		line++;
		l = xstrndup(p, (size_t)(end - p));
		p = eol ? eol + 1 : end;
		/* a comment: "#" at the start or after a blank */
		for (char *c = l; *c; c++)
			if (*c == '#' && (c == l || c[-1] == ' ' || c[-1] == '\t')) {
				*c = '\0';
				break;
			}
		len = strlen(l);
		while (len && (l[len - 1] == ' ' || l[len - 1] == '\t' || l[len - 1] == '\r'))
			l[--len] = '\0';
		q = l;
		if (!next_token(&q, &tok, &len)) {
			free(l);
			continue;
		}
		while (*q == ' ' || *q == '\t')
			q++;
		if (token_is(tok, len, "label")) {
			if (parse_label(v, q, line, e) < 0)
				goto fail;
		} else if (token_is(tok, len, "doc_type")) {
			size_t i;

			if (v->doc_type) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: a second doc_type", src, line);
				goto fail;
			}
			for (i = 0; i < HT_ARRAY_LEN(doc_types); i++)
				if (!strcmp(q, doc_types[i]))
					break;
			if (i == HT_ARRAY_LEN(doc_types)) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: unknown doc_type \"%s\" (khai_sinh, khai_tu, "
					 "ket_hon, nhan_cha_me_con, tthc_receipt)",
					 src, line, q);
				goto fail;
			}
			v->doc_type = xstrdup(q);
		} else if (token_is(tok, len, "version")) {
			char *endp = NULL;
			long y = strtol(q, &endp, 10);

			if (v->version_line) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: a second version", src, line);
				goto fail;
			}
			if (endp == q || y < 1945 || y > 2100 ||
			    (*endp && *endp != ' ' && *endp != '\t')) {
				herr_set(e, HT_EXIT_FATAL,
					 "%s:%d: version begins with the year the form came into "
					 "force (\"version 2016 Thông tư 15/2015/TT-BTP\")",
					 src, line);
				goto fail;
			}
			v->year = (int)y;
			v->version_line = line;
		} else if (token_is(tok, len, "title")) {
			if (!*q) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: an empty title", src, line);
				goto fail;
			}
			push_str(&v->titles, &v->ntitles, q, strlen(q));
		} else if (token_is(tok, len, "start")) {
			size_t i;

			for (i = 0; i < HT_ARRAY_LEN(contexts); i++)
				if (!strcmp(q, contexts[i].name))
					break;
			if (i == HT_ARRAY_LEN(contexts) || contexts[i].ctx == CTX_ANY) {
				herr_set(e, HT_EXIT_FATAL, "%s:%d: unknown starting block \"%s\"",
					 src, line, q);
				goto fail;
			}
			v->start = contexts[i].ctx;
			v->start_line = line;
		} else if (token_is(tok, len, "required")) {
			const char *f;
			size_t fl;

			while (next_token(&q, &f, &fl)) {
				char *name = xstrndup(f, fl);
				const char *k = known_field(name);

				free(name);
				if (!k) {
					herr_set(e, HT_EXIT_FATAL,
						 "%s:%d: unknown required field \"%.*s\"", src,
						 line, (int)fl, f);
					goto fail;
				}
				push_str(&v->required, &v->nrequired, f, fl);
			}
		} else {
			herr_set(e, HT_EXIT_FATAL,
				 "%s:%d: unknown line \"%.*s\" (doc_type, version, title, start, "
				 "required, label)",
				 src, line, (int)len, tok);
			goto fail;
		}
		free(l);
		continue;
	fail:
		free(l);
		version_release(v);
		return -1;
	}
	if (!v->doc_type || !v->version_line || !v->ntitles || !v->nlabels) {
		herr_set(e, HT_EXIT_FATAL, "%s: no %s", src,
			 !v->doc_type	    ? "doc_type line"
			 : !v->version_line ? "version line"
			 : !v->ntitles	    ? "title"
					    : "label");
		version_release(v);
		return -1;
	}
	for (int i = 0; i < v->nrequired; i++) {
		int k;

		for (k = 0; k < v->nlabels; k++)
			if ((v->labels[k].field && !strcmp(v->labels[k].field, v->required[i])) ||
			    /* "... tại <office>, số <n>, ngày <date>": the date too */
			    (v->labels[k].kind == FK_SENTENCE &&
			     !strcmp(v->required[i], "registered_on")))
				break;
		if (k == v->nlabels) {
			herr_set(e, HT_EXIT_FATAL, "%s: required field \"%s\" has no label", src,
				 v->required[i]);
			version_release(v);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Merging the versions of a type
 * ---------------------------------------------------------------------- */

struct form_set {
	struct form_def *defs;
	int ndefs;
};

static int cmp_versions(const void *a, const void *b)
{
	const struct form_version *x = a, *y = b;
	int c = strcmp(x->doc_type, y->doc_type);

	if (c)
		return c;
	if (x->year != y->year)
		return y->year - x->year; /* newest first */
	return strcmp(x->src, y->src);
}

static int same_meaning(const struct form_label *a, const struct form_label *b)
{
	return a->kind == b->kind && a->flags == b->flags &&
	       ((!a->field && !b->field) || (a->field && b->field && !strcmp(a->field, b->field)));
}

/* Add the versions [a, z) (one type, newest first) as one definition. */
static int merge(struct form_def *d, struct form_version *v, int a, int z, herr *e)
{
	int i, k, j;

	memset(d, 0, sizeof(*d));
	d->doc_type = xstrdup(v[a].doc_type);
	d->start = v[a].start;
	for (i = a; i < z; i++) {
		if (v[i].start != d->start)
			return herr_set(e, HT_EXIT_FATAL,
					"%s:%d: starts in the %s block, where %s starts in the %s "
					"block",
					v[i].src, v[i].start_line, forms_context_name(v[i].start),
					v[a].src, forms_context_name(d->start));
		for (k = 0; k < v[i].ntitles; k++) {
			for (j = 0; j < d->ntitles; j++)
				if (!strcmp(d->titles[j], v[i].titles[k]))
					break;
			if (j == d->ntitles)
				push_str(&d->titles, &d->ntitles, v[i].titles[k],
					 strlen(v[i].titles[k]));
		}
		for (k = 0; k < v[i].nlabels; k++) {
			const struct form_label *lb = &v[i].labels[k];
			struct form_label *nl;

			for (j = 0; j < d->nlabels; j++) {
				const struct form_label *o = &d->labels[j];

				if (strcmp(o->key, lb->key) || o->context != lb->context)
					continue;
				if (!same_meaning(o, lb))
					return herr_set(e, HT_EXIT_FATAL,
							"%s:%d: \"%s\" in the %s block means "
							"otherwise at %s:%d",
							lb->src, lb->line, lb->text,
							forms_context_name(lb->context), o->src,
							o->line);
				break;
			}
			if (j < d->nlabels)
				continue;
			d->labels =
			    xrealloc(d->labels, (size_t)(d->nlabels + 1) * sizeof(*d->labels));
			nl = &d->labels[d->nlabels++];
			*nl = *lb;
			nl->text = xstrdup(lb->text);
			nl->key = xstrdup(lb->key);
		}
	}
	/* required: what every version prints */
	for (k = 0; k < v[a].nrequired; k++) {
		int all = 1;

		for (i = a + 1; i < z && all; i++) {
			all = 0;
			for (j = 0; j < v[i].nrequired; j++)
				if (!strcmp(v[i].required[j], v[a].required[k]))
					all = 1;
		}
		if (all)
			push_str(&d->required, &d->nrequired, v[a].required[k],
				 strlen(v[a].required[k]));
	}
	if (!d->required)
		d->required = xcalloc(1, sizeof(char *));
	for (i = a; i < z; i++) {
		d->versions = xrealloc(d->versions, (size_t)(d->nversions + 1) * sizeof(int));
		d->versions[d->nversions++] = v[i].year;
	}
	return 0;
}

static void def_release(struct form_def *d)
{
	int i;

	free(d->doc_type);
	for (i = 0; i < d->ntitles; i++)
		free(d->titles[i]);
	free(d->titles);
	for (i = 0; i < d->nrequired; i++)
		free(d->required[i]);
	free(d->required);
	for (i = 0; i < d->nlabels; i++) {
		free(d->labels[i].text);
		free(d->labels[i].key);
	}
	free(d->labels);
	free(d->versions);
	memset(d, 0, sizeof(*d));
}

void forms_set_free(struct form_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->ndefs; i++)
		def_release(&s->defs[i]);
	free(s->defs);
	free(s);
}

struct form_set *forms_load(const struct form_file *files, int n, herr *e)
{
	struct form_version *v = xcalloc((size_t)(n ? n : 1), sizeof(*v));
	struct form_set *s = xcalloc(1, sizeof(*s));
	int i, nv = 0, a;

	for (i = 0; i < n; i++) {
		if (parse_file(files[i].name, files[i].text, &v[nv], e) < 0)
			goto fail;
		nv++;
	}
	if (!nv) {
		herr_set(e, HT_EXIT_FATAL, "no form definition");
		goto fail;
	}
	qsort(v, (size_t)nv, sizeof(*v), cmp_versions);
	for (a = 0; a < nv;) {
		int z = a + 1;

		while (z < nv && !strcmp(v[z].doc_type, v[a].doc_type))
			z++;
		s->defs = xrealloc(s->defs, (size_t)(s->ndefs + 1) * sizeof(*s->defs));
		if (merge(&s->defs[s->ndefs], v, a, z, e) < 0) {
			def_release(&s->defs[s->ndefs]);
			goto fail;
		}
		s->ndefs++;
		a = z;
	}
	for (i = 0; i < nv; i++)
		version_release(&v[i]);
	free(v);
	return s;
fail:
	for (i = 0; i < nv; i++)
		version_release(&v[i]);
	free(v);
	forms_set_free(s);
	return NULL;
}

int forms_set_count(const struct form_set *s)
{
	return s->ndefs;
}

const struct form_def *forms_set_def(const struct form_set *s, int i)
{
	return i >= 0 && i < s->ndefs ? &s->defs[i] : NULL;
}

/* ------------------------------------------------------------------------
 * The embedded definitions, loaded once per process
 * ---------------------------------------------------------------------- */

static struct form_set *builtin;
static herr builtin_err;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_load(void)
{
	builtin = forms_load(forms_embedded, forms_embedded_count, &builtin_err);
}

int forms_ready(herr *e)
{
	pthread_once(&builtin_once, builtin_load);
	if (builtin)
		return 0;
	return herr_set(e, builtin_err.code ? builtin_err.code : HT_EXIT_FATAL, "%s",
			builtin_err.msg);
}

int forms_count(void)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin ? builtin->ndefs : 0;
}

const struct form_def *forms_def(int i)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin ? forms_set_def(builtin, i) : NULL;
}

const struct form_def *forms_find(const char *doc_type)
{
	for (int i = 0; i < forms_count(); i++)
		if (!strcmp(forms_def(i)->doc_type, doc_type))
			return forms_def(i);
	return NULL;
}

/* ------------------------------------------------------------------------
 * Fuzzy comparison
 * ---------------------------------------------------------------------- */

void forms_fold(const char *s, strbuf *out)
{
	vn_fold(s, -1, out);
}

/* Levenshtein distance on bytes (folded text is ASCII). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *prev, *cur, d, stack[2][128];

	if (!la)
		return (int)lb;
	if (!lb)
		return (int)la;
	/* labels are short: no allocation for them (this runs for every word of every line) */
	if (lb < 128) {
		prev = stack[0];
		cur = stack[1];
	} else {
		prev = xmalloc((lb + 1) * sizeof(int));
		cur = xmalloc((lb + 1) * sizeof(int));
	}
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	d = prev[lb];
	if (lb >= 128) {
		free(prev);
		free(cur);
	}
	return d;
}

/*
 * The distance of a and b (la, lb bytes) when it is at most `max`, else
 * max + 1: only the cells of the table within `max` of its diagonal can
 * be on a path that costs no more (Ukkonen), and a row whose every cell
 * is over `max` ends it.  The same number as distance() up to `max`.
 */
static int distance_within(const char *a, size_t la, const char *b, size_t lb, int max)
{
	int rows[2][128], *prev = rows[0], *cur = rows[1], over = max + 1;

	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return over;
	if (lb >= 127) {
		int d = distance(a, b);

		return d < over ? d : over;
	}
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j <= (size_t)max ? (int)j : over;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > (size_t)max ? i - (size_t)max : 1;
		size_t hi = i + (size_t)max < lb ? i + (size_t)max : lb;
		int least;

		cur[lo - 1] = lo == 1 && i <= (size_t)max ? (int)i : over;
		least = cur[lo - 1];
		for (size_t j = lo; j <= hi; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			int v = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);

			cur[j] = v < over ? v : over;
			least = cur[j] < least ? cur[j] : least;
		}
		if (hi < lb)
			cur[hi + 1] = over;
		if (least > max)
			return over;
		{
			int *t = prev;

			prev = cur;
			cur = t;
		}
	}
	return prev[lb];
}

double forms_similarity_least(const char *a, const char *b, double need)
{
	size_t la = strlen(a), lb = strlen(b), m = la > lb ? la : lb;
	int max, d;

	if (!m)
		return 1.0;
	max = need <= 0 ? (int)m : (int)floor((1.0 - need) * (double)m + 1e-6);
	d = distance_within(a, la, b, lb, max);
	return d > max ? -1.0 : 1.0 - (double)d / (double)m;
}

double forms_similarity(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), m = la > lb ? la : lb;

	if (!m)
		return 1.0;
	return 1.0 - (double)distance(a, b) / (double)m;
}

/* ------------------------------------------------------------------------
 * The fields of a form, for the people who key a page by hand
 * ---------------------------------------------------------------------- */

int ocr_form_fields(const char *doc_type, const char **out, int max)
{
	const struct form_def *d = doc_type ? forms_find(doc_type) : NULL;
	int n = 0;

	if (!d)
		return -1;
	for (int i = 0; i < d->nlabels; i++) {
		const char *f = d->labels[i].field;
		int seen = 0;

		for (int k = 0; f && k < n && !seen; k++)
			seen = !strcmp(out[k], f);
		if (f && !seen && n < max)
			out[n++] = f;
	}
	return n;
}
