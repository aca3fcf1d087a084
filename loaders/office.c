/*
 * office.c — the registration office of a record as a real unit, not as
 * it came out of OCR.
 *
 * An office is known, in this order, from where its pages came from (the
 * `--office` of the run, a mapping of folders to offices given to `hotich
 * run --offices`, or the inventory's folders), else from the "Nơi đăng
 * ký" printed on the page, resolved to an administrative unit by the
 * place parser (a commune, ward or township of the lists before July
 * 2025, one that existed at some date, or a unit since July 2025), else it
 * is unknown.  Two spellings of one unit ("Xã Chu Trinh, Thành phố Cao
 * Bằng, Tỉnh Cao Bằng" and "Xã Chu Trinh, Tỉnh Cao Bằng") are one office,
 * named as the inventory names it.  A print cut before its province
 * ("Phường An Tây, Thành phố Bến Cát") is read with the province of the
 * scans' office, or of the inventory's offices, when exactly one unit
 * fits.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

/* A unit's identity: two places with the same key are the same office. */
#define OFFICE_KEY_MAX (VN_PLACE_MAX + 8 + VN_PLACE_NOW_MAX * 7)

struct office_entry {
	char *key;
	char *name;	/* as the inventory spells it */
	char *province; /* "Tỉnh Cao Bằng": a context for cut prints */
};

struct office_index {
	struct office_entry *v;
	size_t n;
	char **provinces; /* distinct provinces of the offices */
	size_t nprov;
};

struct office_index *office_index_new(void)
{
	return xcalloc(1, sizeof(struct office_index));
}

void office_index_free(struct office_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].key);
		free(x->v[i].name);
		free(x->v[i].province);
	}
	for (size_t i = 0; i < x->nprov; i++)
		free(x->provinces[i]);
	free(x->provinces);
	free(x->v);
	free(x);
}

/*
 * unit_key: the key of a parsed place when it names a registration office:
 * its lowest unit a commune, ward or township (or a unit since July 2025)
 * recognized under its province, nothing astray, no doubt between units.
 * Old units by province, folded name and successors (the district may be
 * printed or not); a unit since July 2025 by its code.
 */
static int unit_key(const struct vn_place *pl, unsigned w, strbuf *key)
{
	strbuf_reset(key);
	if ((w & (VN_W_PLACE_UNKNOWN | VN_W_PLACE_AMBIGUOUS)) || pl->stray ||
	    !(pl->found & VN_PLACE_COMMUNE) || !(pl->found & VN_PLACE_PROVINCE) || !pl->commune[0])
		return 0;
	if (pl->status == VN_PLACE_STATUS_2025 && pl->now_count == 1) {
		strbuf_addf(key, "u|%s", pl->now[0]);
		return 1;
	}
	strbuf_addf(key, "o|%s|", pl->province_code);
	vn_fold(pl->commune, -1, key);
	strbuf_addch(key, '|');
	for (int k = 0; k < pl->now_count; k++)
		strbuf_addf(key, "%s%s", k ? "," : "", pl->now[k]);
	return 1;
}

/* parse_unit: `text` parsed; 1 with the key when it names an office */
static int parse_unit(const char *text, struct vn_place *pl, strbuf *key)
{
	unsigned w = 0;

	if (!text || !*text || vn_place_parse(text, pl, &w) < 0)
		return 0;
	return unit_key(pl, w, key);
}

static const struct office_entry *index_find(const struct office_index *x, const char *key)
{
	for (size_t i = 0; x && i < x->n; i++)
		if (!strcmp(x->v[i].key, key))
			return &x->v[i];
	return NULL;
}

static void add_province(struct office_index *x, const char *p)
{
	if (!p || !*p)
		return;
	for (size_t i = 0; i < x->nprov; i++)
		if (!strcmp(x->provinces[i], p))
			return;
	x->provinces = xrealloc(x->provinces, (x->nprov + 1) * sizeof(*x->provinces));
	x->provinces[x->nprov++] = xstrdup(p);
}

void office_index_add(struct office_index *x, const char *name)
{
	struct vn_place pl;
	strbuf key = STRBUF_INIT;

	if (!parse_unit(name, &pl, &key)) {
		strbuf_release(&key);
		return;
	}
	add_province(x, pl.province);
	if (index_find(x, key.buf)) {
		strbuf_release(&key);
		return;
	}
	x->v = xrealloc(x->v, (x->n + 1) * sizeof(*x->v));
	x->v[x->n].key = strbuf_detach(&key, NULL);
	x->v[x->n].name = xstrdup(name);
	x->v[x->n].province = xstrdup(pl.province);
	x->n++;
}

int office_index_load(PGconn *conn, struct office_index *x, herr *e)
{
	/* the inventory's spellings before the offices given to runs, complete
	 * ones first: the index keeps the first it meets for a unit */
	static const char sql[] =
	    "SELECT o FROM (SELECT registry_office AS o, 0 AS src FROM inventory"
	    " UNION SELECT registry_office, 1 FROM source_files WHERE registry_office IS NOT NULL) "
	    "x"
	    " GROUP BY o ORDER BY min(src), length(o) DESC, o";
	PGresult *res = db_params(conn, sql, 0, NULL, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		office_index_add(x, PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

/* Without its last comma-separated part ("..., Tỉnh Bình" cut short), or NULL. */
static char *drop_last_part(const char *text)
{
	const char *c = strrchr(text, ',');

	return c && c > text ? xstrndup(text, (size_t)(c - text)) : NULL;
}

/*
 * resolve: the office `text` names, by the place parser; a print without
 * its province tried with each province of `context` (then without its
 * last part, cut short): taken when exactly one unit fits.
 */
static int resolve(const char *text, const char *const *context, size_t ncontext,
		   struct vn_place *out, strbuf *key)
{
	struct vn_place pl;
	unsigned w = 0;
	char *cut;
	int found = 0;
	strbuf k = STRBUF_INIT, try = STRBUF_INIT;

	strbuf_reset(key);
	if (!text || !*text || vn_place_parse(text, &pl, &w) < 0)
		return 0;
	if (unit_key(&pl, w, key)) {
		*out = pl;
		return 1;
	}
	if (!(w & VN_W_PLACE_UNKNOWN) || !ncontext)
		return 0;
	cut = drop_last_part(text);
	for (int pass = 0; pass < 2 && found >= 0; pass++) {
		const char *base = pass ? cut : text;

		if (!base)
			continue;
		for (size_t i = 0; i < ncontext && found >= 0; i++) {
			unsigned w2 = 0;

			strbuf_reset(&try);
			strbuf_addf(&try, "%s, %s", base, context[i]);
			if (vn_place_parse(try.buf, &pl, &w2) < 0 || !unit_key(&pl, w2, &k))
				continue;
			if (!found) {
				found = 1;
				*out = pl;
				strbuf_reset(key);
				strbuf_addstr(key, k.buf);
			} else if (strcmp(key->buf, k.buf)) {
				found = -1; /* two units fit: none is taken */
			}
		}
		if (found)
			break;
	}
	free(cut);
	strbuf_release(&k);
	strbuf_release(&try);
	if (found < 0)
		strbuf_reset(key);
	return found > 0;
}

/* The name of the office of key `key`: the inventory's, else the parse's. */
static char *office_display(const struct office_index *x, const char *key,
			    const struct vn_place *pl)
{
	const struct office_entry *o = index_find(x, key);

	return xstrdup(o ? o->name : pl->canonical);
}

int office_resolve(const struct office_index *x, const char *text, const char *context,
		   struct office_unit *u)
{
	struct vn_place pl;
	strbuf key = STRBUF_INIT;
	const char *ctx[64];
	size_t nctx = 0;
	int ok;

	memset(u, 0, sizeof(*u));
	if (context && *context)
		ctx[nctx++] = context;
	for (size_t i = 0; x && i < x->nprov && nctx < HT_ARRAY_LEN(ctx); i++)
		if (!context || strcmp(context, x->provinces[i]))
			ctx[nctx++] = x->provinces[i];
	ok = resolve(text, ctx, nctx, &pl, &key);
	if (ok) {
		u->key = strbuf_detach(&key, NULL);
		u->name = office_display(x, u->key, &pl);
		u->province = xstrdup(pl.province);
	}
	strbuf_release(&key);
	return ok;
}

void office_unit_release(struct office_unit *u)
{
	if (!u)
		return;
	free(u->key);
	free(u->name);
	free(u->province);
	memset(u, 0, sizeof(*u));
}

int office_source(const struct office_index *x, const char *given, struct office_unit *u)
{
	strbuf t = STRBUF_INIT;
	unsigned w = 0;

	if (office_resolve(x, given, NULL, u))
		return 1;
	/* an office that is no commune (a district's or the province's justice
	 * office): itself, as written */
	if (!given || vn_text_normalize(given, -1, &t, &w) < 0 || !t.len) {
		strbuf_release(&t);
		return 0;
	}
	u->name = xstrdup(t.buf);
	strbuf_reset(&t);
	strbuf_addstr(&t, "t|");
	vn_fold(u->name, -1, &t);
	u->key = strbuf_detach(&t, NULL);
	return 1;
}

enum office_verdict office_decide(const struct office_index *x, const char *source,
				  const char *printed, char **office, char **printed_office)
{
	struct office_unit s = { 0 }, p = { 0 };
	enum office_verdict v;
	int has_s = office_source(x, source, &s);
	int has_p = office_resolve(x, printed, has_s ? s.province : NULL, &p);

	*office = NULL;
	if (printed_office)
		*printed_office = NULL;
	if (has_s) {
		v = has_p && strcmp(s.key, p.key) ? OFFICE_DIFFERS : OFFICE_FROM_SOURCE;
		*office = s.name;
		s.name = NULL;
	} else if (has_p) {
		v = OFFICE_PRINTED;
		*office = xstrdup(p.name);
	} else {
		v = OFFICE_UNKNOWN;
	}
	if (has_p && printed_office) {
		*printed_office = p.name;
		p.name = NULL;
	}
	office_unit_release(&s);
	office_unit_release(&p);
	return v;
}

/* ------------------------------------------------------------------------
 * Folders to offices
 * ---------------------------------------------------------------------- */

struct office_map_entry {
	char *folder; /* "xa-chu-trinh/quyen-03": no leading or trailing slash */
	char *office;
	int depth;    /* path components */
	int absolute; /* given as /srv/scans/...: matched from the root */
};

struct office_map {
	struct office_map_entry *v;
	size_t n;
};

struct office_map *office_map_new(void)
{
	return xcalloc(1, sizeof(struct office_map));
}

void office_map_free(struct office_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].folder);
		free(m->v[i].office);
	}
	free(m->v);
	free(m);
}

/* A folder as the map keeps it: slashes collapsed, none at either end. */
static char *folder_clean(const char *in, int *absolute, int *depth)
{
	strbuf b = STRBUF_INIT;

	*absolute = in[0] == '/';
	*depth = 0;
	for (const char *p = in; *p; p++) {
		if (*p == '/') {
			if (b.len && b.buf[b.len - 1] != '/')
				strbuf_addch(&b, '/');
			continue;
		}
		if (!b.len || b.buf[b.len - 1] == '/')
			(*depth)++;
		strbuf_addch(&b, *p);
	}
	while (b.len && b.buf[b.len - 1] == '/')
		b.buf[--b.len] = '\0';
	/* "." and ".." name nothing a scan's path can be matched by */
	if (!b.len || !strcmp(b.buf, ".") || !strcmp(b.buf, "..")) {
		strbuf_release(&b);
		return NULL;
	}
	return strbuf_detach(&b, NULL);
}

int office_map_add(struct office_map *m, const char *folder, const char *office, herr *e)
{
	int absolute, depth;
	char *f = folder_clean(folder, &absolute, &depth);

	if (!f)
		return herr_set(e, HT_EXIT_USAGE, "\"%s\" is not a folder", folder);
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].absolute == absolute && !strcmp(m->v[i].folder, f)) {
			int same = !strcmp(m->v[i].office, office);

			free(f);
			if (same)
				return 0;
			return herr_set(e, HT_EXIT_USAGE,
					"folder \"%s\" is given two offices: \"%s\" and \"%s\"",
					folder, m->v[i].office, office);
		}
	m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	m->v[m->n].folder = f;
	m->v[m->n].office = xstrdup(office);
	m->v[m->n].depth = depth;
	m->v[m->n].absolute = absolute;
	m->n++;
	return 0;
}

int office_map_read(struct office_map *m, const char *path, herr *e)
{
	struct csv *c = csv_open(path, e);
	int rc, fi, oi;

	if (!c)
		return -1;
	rc = csv_next(c, e);
	if (rc <= 0) {
		csv_close(c);
		return rc < 0 ? -1 : herr_set(e, HT_EXIT_USAGE, "%s: empty file", path);
	}
	fi = csv_column(c, "folder");
	oi = csv_column(c, "registry_office");
	if (fi < 0 || oi < 0) {
		csv_close(c);
		return herr_set(e, HT_EXIT_USAGE,
				"%s: the header must name the columns folder,registry_office",
				path);
	}
	while ((rc = csv_next(c, e)) > 0) {
		const char *f = csv_field(c, fi), *o = csv_field(c, oi);

		if (!*f && !*o)
			continue;
		if (!*o || office_map_add(m, f, o, e) < 0) {
			if (!*o)
				herr_set(e, HT_EXIT_USAGE, "no registry_office");
			herr_prefix(e, "%s: line %ld", path, csv_line(c));
			csv_close(c);
			return -1;
		}
	}
	csv_close(c);
	return rc < 0 ? -1 : 0;
}

int office_map_load_inventory(PGconn *conn, struct office_map *m, herr *e)
{
	static const char sql[] = "SELECT DISTINCT folder, registry_office FROM inventory"
				  " WHERE folder IS NOT NULL ORDER BY 1, 2";
	PGresult *res = db_params(conn, sql, 0, NULL, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		herr ignore = { 0 };

		/* a folder the inventory gives two offices: the first (the import
		 * refuses that, but a database edited by hand may have it) */
		office_map_add(m, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), &ignore);
	}
	PQclear(res);
	return 0;
}

/* Does `folder` (depth components) sit in `dir` ending at component end `at`? */
static int folder_at(const char *dir, const char *at_end, const char *folder)
{
	size_t n = strlen(folder);

	if ((size_t)(at_end - dir) < n || strncmp(at_end - n, folder, n))
		return 0;
	return at_end - n == dir || at_end[-(ptrdiff_t)n - 1] == '/';
}

const char *office_map_lookup(const struct office_map *m, const char *path)
{
	const struct office_map_entry *best = NULL;
	int clean_abs, clean_depth;
	char *dir, *slash;

	if (!m || !m->n)
		return NULL;
	dir = folder_clean(path, &clean_abs, &clean_depth);
	if (!dir)
		return NULL;
	slash = strrchr(dir, '/');
	if (!slash) {
		free(dir);
		return NULL;
	}
	*slash = '\0'; /* the file's folder */
	for (size_t i = 0; i < m->n; i++) {
		const struct office_map_entry *o = &m->v[i];
		int hit = 0;

		if (best && o->depth <= best->depth)
			continue;
		if (o->absolute) {
			size_t n = strlen(o->folder);

			hit = clean_abs && !strncmp(dir, o->folder, n) &&
			      (dir[n] == '\0' || dir[n] == '/');
		} else {
			/* the folder's components anywhere in the path */
			for (char *p = dir; !hit; p++) {
				if (*p == '/' || *p == '\0')
					hit = folder_at(dir, p, o->folder);
				if (!*p)
					break;
			}
		}
		if (hit)
			best = o;
	}
	free(dir);
	return best ? best->office : NULL;
}
