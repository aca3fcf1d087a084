/*
 * export.c — what `hotich export` and the web application's download of
 * a register book read from and write to PostgreSQL: the records of the
 * books asked for with their fields, people, links and page, the register
 * book of each (as read, else the inventory's one book of its office, type
 * and year), the state of what was delivered before, and the log of
 * exports.  Every statement is parameterized; the caller (export/) decides
 * what is exported and writes the files.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

/*
 * The cases: a record and the records that continue it.  A record continues
 * the one before it in the same file (the next part of the same page, or
 * the first of the next page) when it is of the same document type and
 * either prints neither a title nor a registration number of its own (the
 * OCR classified its page by its labels, ocr/page.c's warning "the title
 * was not read", and the number's label was not found: the second page of
 * a form, the right half of a register entry spread over two pages) or
 * carries the same number in the same book.  A full form whose number was
 * missed still has its title: it stays a case of its own.  A case is
 * exported once, under its first record, with every page.
 */
#define CASE_CTE                                                                                   \
	"seq AS (SELECT r.record_id, pg.file_id, pg.page_no, r.rec_index, r.doc_type,"             \
	"  nullif(r.register_no, '') AS regno, nullif(r.book_no, '') AS bk,"                       \
	"  (r.fields->'register_no' IS NULL OR (r.fields->'register_no'->>'value' IS NULL"         \
	"   AND r.fields->'register_no'->>'why' = 'label not found'))"                             \
	"  AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(pg.warnings) pw"                    \
	"   WHERE pw LIKE '%the title was not read%') AS nonum,"                                   \
	"  lag(r.record_id) OVER w AS p_id, lag(r.doc_type) OVER w AS p_type,"                     \
	"  lag(pg.page_no) OVER w AS p_page, lag(nullif(r.register_no, '')) OVER w AS p_regno,"    \
	"  lag(nullif(r.book_no, '')) OVER w AS p_bk"                                              \
	"  FROM records r JOIN pages pg ON pg.page_id = r.page_id"                                 \
	"  WINDOW w AS (PARTITION BY pg.file_id ORDER BY pg.page_no, r.rec_index)),"               \
	" cont AS (SELECT seq.*, (p_id IS NOT NULL AND p_type = doc_type AND page_no - p_page <= " \
	"1"                                                                                        \
	"  AND (nonum OR coalesce(regno = p_regno AND bk IS NOT DISTINCT FROM p_bk, false)))"      \
	" AS is_cont FROM seq),"                                                                   \
	" grp AS (SELECT record_id, is_cont, first_value(record_id) OVER"                          \
	"  (PARTITION BY file_id, g ORDER BY page_no, rec_index) AS head"                          \
	"  FROM (SELECT cont.*, sum(CASE WHEN is_cont THEN 0 ELSE 1 END) OVER"                     \
	"   (PARTITION BY file_id ORDER BY page_no, rec_index) AS g FROM cont) s),"

/*
 * The register book of a case: the number read on its first record's
 * page, else the inventory's book when the inventory has exactly one for
 * the record's office, document type and year.  Only the first records of
 * cases.  $1 office, $2 document types (a text array), $3 book, $4 batch
 * name: NULL for any.
 */
#define BOOK_CTE                                                                                   \
	"WITH " CASE_CTE                                                                           \
	" inv AS (SELECT registry_office, doc_type, year, min(book_no) AS book_no,"                \
	" count(*) AS n FROM inventory GROUP BY 1, 2, 3),"                                         \
	" rb AS (SELECT r.record_id, f.batch_id,"                                                  \
	"  coalesce(nullif(r.book_no, ''), CASE WHEN inv.n = 1 THEN inv.book_no END) AS book,"     \
	"  (nullif(r.book_no, '') IS NULL AND inv.n = 1) AS book_inv"                              \
	"  FROM records r JOIN pages pg ON pg.page_id = r.page_id"                                 \
	"  JOIN grp ON grp.record_id = r.record_id AND NOT grp.is_cont"                            \
	"  JOIN source_files f ON f.file_id = pg.file_id"                                          \
	"  LEFT JOIN inv ON inv.registry_office = r.registry_office"                               \
	"   AND inv.doc_type = r.doc_type AND inv.year = r.reg_year"                               \
	"  WHERE r.doc_type = ANY ($2::text[])"                                                    \
	"   AND ($1::text IS NULL OR r.registry_office = $1))"

#define BOOK_WHERE                                                                                 \
	" AND ($3::text IS NULL OR ltrim(rb.book, '0') = ltrim($3, '0'))"                          \
	" AND ($4::text IS NULL OR rb.batch_id = (SELECT batch_id FROM batches WHERE name = $4))"

/* {a,b,c} as a PostgreSQL array literal of text, each element quoted. */
static void text_array(strbuf *out, const char *const *v, size_t n)
{
	strbuf_addch(out, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(out, ',');
		strbuf_addch(out, '"');
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(out, '\\');
			strbuf_addch(out, *p);
		}
		strbuf_addch(out, '"');
	}
	strbuf_addch(out, '}');
}

static char *dup_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

/*
 * filtered_query: `sql` with the filter's parameters ($1 office, $2 the
 * document types as a text array, $3 book, $4 batch); NULL with `e` set.
 */
static PGresult *filtered_query(PGconn *conn, const char *sql, const struct export_filter *f,
				herr *e)
{
	strbuf types = STRBUF_INIT;
	const char *v[4];
	PGresult *res;

	text_array(&types, f->doc_types, f->n_doc_types);
	v[0] = f->office;
	v[1] = types.buf;
	v[2] = f->book;
	v[3] = f->batch;
	res = db_params(conn, sql, 4, v, PGRES_TUPLES_OK, e);
	strbuf_release(&types);
	return res;
}

int export_items_load(PGconn *conn, const struct export_filter *f, struct export_item **items,
		      size_t *n, herr *e)
{
	static const char sql[] = BOOK_CTE
	    " SELECT r.record_id, r.record_ref, r.doc_type, r.registry_office, rb.book,"
	    " rb.book_inv, r.register_no, r.registered_on, r.fields::text, r.n_review,"
	    " coalesce((SELECT json_agg(json_build_object('role', p.role, 'status', m.status,"
	    "   'citizen', m.citizen_id) ORDER BY p.role)"
	    "  FROM record_people p LEFT JOIN matches m"
	    "   ON m.record_id = p.record_id AND m.role = p.role"
	    "  WHERE p.record_id = r.record_id), '[]')::text,"
	    " sf.path, sf.sha256, pg.page_no, coalesce(pg.rotation, 0), coalesce(pg.dpi, 0),"
	    " (SELECT count(*) FROM records o WHERE o.page_id = r.page_id), r.rec_index,"
	    " x.first_sha256, x.last_sha256, to_char(x.first_at, 'DD/MM/YYYY'),"
	    " coalesce(pg.width_px, 0),"
	    " coalesce((SELECT json_agg(json_build_object('page_no', cp.page_no,"
	    "   'rotation', coalesce(cp.rotation, 0), 'rec_index', c.rec_index,"
	    "   'on_page', (SELECT count(*) FROM records o WHERE o.page_id = c.page_id),"
	    "   'record_ref', c.record_ref,"
	    "   'fields', c.fields) ORDER BY cp.page_no, c.rec_index)"
	    "  FROM grp g JOIN records c ON c.record_id = g.record_id"
	    "  JOIN pages cp ON cp.page_id = c.page_id"
	    "  WHERE g.head = r.record_id AND g.is_cont), '[]')::text"
	    " FROM rb JOIN records r ON r.record_id = rb.record_id"
	    " JOIN pages pg ON pg.page_id = r.page_id"
	    " JOIN source_files sf ON sf.file_id = pg.file_id"
	    " LEFT JOIN export_records x ON x.record_id = r.record_id"
	    " WHERE true" BOOK_WHERE " ORDER BY r.record_id";
	PGresult *res;
	int rows;

	*items = NULL;
	*n = 0;
	res = filtered_query(conn, sql, f, e);
	if (!res)
		return -1;
	rows = PQntuples(res);
	*items = xcalloc(rows ? (size_t)rows : 1, sizeof(**items));
	for (int i = 0; i < rows; i++) {
		struct export_item *it = &(*items)[i];

		it->record_id = db_long(res, i, 0);
		it->record_ref = dup_or_null(res, i, 1);
		it->doc_type = dup_or_null(res, i, 2);
		it->office = dup_or_null(res, i, 3);
		it->book = dup_or_null(res, i, 4);
		it->book_from_inventory = !strcmp(PQgetvalue(res, i, 5), "t");
		it->register_no = dup_or_null(res, i, 6);
		it->registered_on = dup_or_null(res, i, 7);
		it->fields = dup_or_null(res, i, 8);
		it->n_review = (int)db_long(res, i, 9);
		it->people = dup_or_null(res, i, 10);
		it->path = dup_or_null(res, i, 11);
		it->file_sha256 = dup_or_null(res, i, 12);
		it->page_no = (int)db_long(res, i, 13);
		it->rotation = (int)db_long(res, i, 14);
		it->dpi = (int)db_long(res, i, 15);
		it->on_page = (int)db_long(res, i, 16);
		it->rec_index = (int)db_long(res, i, 17);
		it->first_sha256 = dup_or_null(res, i, 18);
		it->last_sha256 = dup_or_null(res, i, 19);
		it->first_at = dup_or_null(res, i, 20);
		it->page_width = (int)db_long(res, i, 21);
		it->continued = dup_or_null(res, i, 22);
	}
	*n = (size_t)rows;
	PQclear(res);
	return 0;
}

void export_items_release(struct export_item *items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++) {
		struct export_item *it = &items[i];

		free(it->record_ref);
		free(it->doc_type);
		free(it->office);
		free(it->book);
		free(it->register_no);
		free(it->registered_on);
		free(it->fields);
		free(it->people);
		free(it->path);
		free(it->file_sha256);
		free(it->first_sha256);
		free(it->last_sha256);
		free(it->first_at);
		free(it->continued);
	}
	free(items);
}

int export_left_out(PGconn *conn, const struct export_filter *f, struct export_left_row **rows,
		    size_t *n, herr *e)
{
	static const char sql[] = "SELECT r.doc_type::text, count(*) FROM records r"
				  " JOIN pages pg ON pg.page_id = r.page_id"
				  " JOIN source_files sf ON sf.file_id = pg.file_id"
				  " WHERE NOT (r.doc_type::text = ANY ($2::text[]))"
				  " AND ($1::text IS NULL OR r.registry_office = $1)"
				  " AND ($3::text IS NULL OR sf.batch_id = (SELECT batch_id FROM "
				  "batches WHERE name = $3))"
				  " GROUP BY 1 ORDER BY 1";
	strbuf types = STRBUF_INIT;
	const char *v[3];
	PGresult *res;
	int nr;

	*rows = NULL;
	*n = 0;
	text_array(&types, f->doc_types, f->n_doc_types);
	v[0] = f->office;
	v[1] = types.buf;
	v[2] = f->batch;
	res = db_params(conn, sql, 3, v, PGRES_TUPLES_OK, e);
	strbuf_release(&types);
	if (!res)
		return -1;
	nr = PQntuples(res);
	*rows = xcalloc(nr ? (size_t)nr : 1, sizeof(**rows));
	for (int i = 0; i < nr; i++) {
		(*rows)[i].doc_type = dup_or_null(res, i, 0);
		(*rows)[i].records = db_long(res, i, 1);
	}
	*n = (size_t)nr;
	PQclear(res);
	return 0;
}

void export_left_free(struct export_left_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].doc_type);
	free(rows);
}

int export_books_load(PGconn *conn, const struct export_filter *f, struct export_book_row **rows,
		      size_t *n, herr *e)
{
	static const char sql[] =
	    BOOK_CTE " SELECT r.registry_office, r.doc_type, rb.book, count(*),"
		     " count(x.record_id), count(*) FILTER (WHERE x.first_sha256 <> x.last_sha256)"
		     " FROM rb JOIN records r ON r.record_id = rb.record_id"
		     " LEFT JOIN export_records x ON x.record_id = r.record_id"
		     " WHERE true" BOOK_WHERE " GROUP BY 1, 2, 3";
	PGresult *res;
	int nr;

	*rows = NULL;
	*n = 0;
	res = filtered_query(conn, sql, f, e);
	if (!res)
		return -1;
	nr = PQntuples(res);
	*rows = xcalloc(nr ? (size_t)nr : 1, sizeof(**rows));
	for (int i = 0; i < nr; i++) {
		(*rows)[i].office = dup_or_null(res, i, 0);
		(*rows)[i].doc_type = dup_or_null(res, i, 1);
		(*rows)[i].book = dup_or_null(res, i, 2);
		(*rows)[i].records = db_long(res, i, 3);
		(*rows)[i].exported = db_long(res, i, 4);
		(*rows)[i].corrected = db_long(res, i, 5);
	}
	*n = (size_t)nr;
	PQclear(res);
	return 0;
}

void export_books_free(struct export_book_row *rows, size_t n)
{
	if (!rows)
		return;
	for (size_t i = 0; i < n; i++) {
		free(rows[i].office);
		free(rows[i].doc_type);
		free(rows[i].book);
	}
	free(rows);
}

int export_offices(PGconn *conn, char ***offices, size_t *n, herr *e)
{
	static const char sql[] = "SELECT DISTINCT registry_office FROM records"
				  " WHERE registry_office IS NOT NULL ORDER BY 1";
	PGresult *res = db_params(conn, sql, 0, NULL, PGRES_TUPLES_OK, e);
	int nr;

	*offices = NULL;
	*n = 0;
	if (!res)
		return -1;
	nr = PQntuples(res);
	*offices = xcalloc(nr ? (size_t)nr : 1, sizeof(char *));
	for (int i = 0; i < nr; i++)
		(*offices)[i] = xstrdup(PQgetvalue(res, i, 0));
	*n = (size_t)nr;
	PQclear(res);
	return 0;
}

int export_log_begin(PGconn *conn, const char *by, const char *via, const char *request_json,
		     long *export_id, herr *e)
{
	static const char sql[] = "INSERT INTO exports (requested_by, via, request)"
				  " VALUES ($1, $2, $3::jsonb) RETURNING export_id";
	const char *v[3] = { by, via, request_json };
	PGresult *res = db_params(conn, sql, 3, v, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	*export_id = db_long(res, 0, 0);
	PQclear(res);
	return 0;
}

int export_log_finish(PGconn *conn, long export_id, const char *summary_json,
		      const struct export_delivered *d, size_t n, herr *e)
{
	static const char state_sql[] =
	    "INSERT INTO export_records (record_id, template, first_sha256, first_export,"
	    " last_sha256, last_export)"
	    " SELECT u.id, u.t, u.h, $4::bigint, u.h, $4::bigint"
	    " FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, t, h)"
	    " WHERE EXISTS (SELECT 1 FROM records r WHERE r.record_id = u.id)"
	    " ON CONFLICT (record_id) DO UPDATE SET template = EXCLUDED.template,"
	    " last_sha256 = EXCLUDED.last_sha256, last_export = EXCLUDED.last_export,"
	    " last_at = now()";
	static const char end_sql[] = "UPDATE exports SET finished_at = now(), summary = $2::jsonb"
				      " WHERE export_id = $1::bigint";
	strbuf ids = STRBUF_INIT, tpl = STRBUF_INIT, hashes = STRBUF_INIT;
	char idbuf[24];
	const char *v[4];
	PGresult *res;
	int rc = -1;

	snprintf(idbuf, sizeof(idbuf), "%ld", export_id);
	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	if (n) {
		strbuf_addch(&ids, '{');
		strbuf_addch(&tpl, '{');
		strbuf_addch(&hashes, '{');
		for (size_t i = 0; i < n; i++) {
			const char *sep = i ? "," : "";

			strbuf_addf(&ids, "%s%ld", sep, d[i].record_id);
			strbuf_addf(&tpl, "%s\"%s\"", sep, d[i].template_name);
			strbuf_addf(&hashes, "%s\"%s\"", sep, d[i].sha256);
		}
		strbuf_addch(&ids, '}');
		strbuf_addch(&tpl, '}');
		strbuf_addch(&hashes, '}');
		v[0] = ids.buf;
		v[1] = tpl.buf;
		v[2] = hashes.buf;
		v[3] = idbuf;
		res = db_params(conn, state_sql, 4, v, PGRES_COMMAND_OK, e);
		if (!res)
			goto out;
		PQclear(res);
	}
	v[0] = idbuf;
	v[1] = summary_json;
	res = db_params(conn, end_sql, 2, v, PGRES_COMMAND_OK, e);
	if (!res)
		goto out;
	PQclear(res);
	if (db_exec(conn, "COMMIT", e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		db_rollback(conn);
	strbuf_release(&ids);
	strbuf_release(&tpl);
	strbuf_release(&hashes);
	return rc;
}

int export_counts(PGconn *conn, const char *office, long *exported, long *corrected, herr *e)
{
	static const char sql[] =
	    "SELECT count(*), count(*) FILTER (WHERE x.first_sha256 <> x.last_sha256)"
	    " FROM export_records x JOIN records r ON r.record_id = x.record_id"
	    " WHERE ($1::text IS NULL OR r.registry_office = $1)";
	const char *v[1] = { office };
	PGresult *res = db_params(conn, sql, 1, v, PGRES_TUPLES_OK, e);

	*exported = *corrected = 0;
	if (!res)
		return -1;
	*exported = db_long(res, 0, 0);
	*corrected = db_long(res, 0, 1);
	PQclear(res);
	return 0;
}

int export_log_recent(PGconn *conn, int limit, struct export_log_row **rows, size_t *n, herr *e)
{
	static const char sql[] =
	    "SELECT export_id, extract(epoch FROM started_at)::bigint, requested_by, via,"
	    " request::text, coalesce(summary::text, '')"
	    " FROM exports ORDER BY export_id DESC LIMIT $1::int";
	char lim[16];
	const char *v[1] = { lim };
	PGresult *res;
	int nr;

	snprintf(lim, sizeof(lim), "%d", limit);
	*rows = NULL;
	*n = 0;
	res = db_params(conn, sql, 1, v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	nr = PQntuples(res);
	*rows = xcalloc(nr ? (size_t)nr : 1, sizeof(**rows));
	for (int i = 0; i < nr; i++) {
		struct export_log_row *r = &(*rows)[i];

		r->export_id = db_long(res, i, 0);
		r->started_epoch = xstrdup(PQgetvalue(res, i, 1));
		r->by = xstrdup(PQgetvalue(res, i, 2));
		r->via = xstrdup(PQgetvalue(res, i, 3));
		r->request = xstrdup(PQgetvalue(res, i, 4));
		r->summary = xstrdup(PQgetvalue(res, i, 5));
	}
	*n = (size_t)nr;
	PQclear(res);
	return 0;
}

void export_log_free(struct export_log_row *rows, size_t n)
{
	if (!rows)
		return;
	for (size_t i = 0; i < n; i++) {
		free(rows[i].started_epoch);
		free(rows[i].by);
		free(rows[i].via);
		free(rows[i].request);
		free(rows[i].summary);
	}
	free(rows);
}
