/*
 * report.c — digitization progress per office, province since July 2025,
 * document type, year or batch: records loaded, linked (every person on
 * the record linked automatically or confirmed by a reviewer), pending
 * review, unmatched, rejected files, and the inventory's expected count
 * where there is one.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

/*
 * One row per record with its group and its state: linked when each of
 * its people is linked, in review when one waits for a reviewer, else
 * unmatched (a record without people counts as unmatched); flagged when
 * a value read waits for a person to check it.  Pending review: in review
 * or flagged.
 */
static const char per_record[] =
    "WITH rec AS ("
    " SELECT r.record_id, r.registry_office AS office, r.doc_type, r.reg_year AS year,"
    "        b.name AS batch,"
    "        bool_and(m.status IN ('auto', 'confirmed')) AS linked,"
    "        bool_or(m.status = 'review') AS review,"
    "        max(r.n_review) > 0 AS flagged"
    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = pg.file_id JOIN batches b ON b.batch_id = f.batch_id"
    " LEFT JOIN record_people p ON p.record_id = r.record_id"
    " LEFT JOIN matches m ON m.record_id = p.record_id AND m.role = p.role"
    " GROUP BY r.record_id, b.name)";

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct report_row *)a)->group, ((const struct report_row *)b)->group);
}

/* The row of the records whose office is not known. */
static const char office_unknown[] = "(office unknown)";

/*
 * Per real office: the groups of the stored office names merged by unit
 * (office.c), so that two spellings of an office are one row, named as
 * the inventory names it (else by its longest spelling).  A name that is
 * no unit counts as itself when an operator gave it (an office of the
 * inventory or of a run's scans: a justice office that is no commune),
 * else, as text read on a page and never resolved (rows loaded before
 * offices were resolved), under "(office unknown)".
 */
struct office_groups {
	struct office_index *index;
	char **declared;
	size_t ndeclared;
	char **keys; /* parallel to the rows */
};

static int office_groups_init(PGconn *conn, struct office_groups *og, herr *e)
{
	static const char declared_sql[] =
	    "SELECT registry_office FROM source_files WHERE registry_office IS NOT NULL"
	    " UNION SELECT registry_office FROM inventory";
	PGresult *res;

	memset(og, 0, sizeof(*og));
	og->index = office_index_new();
	if (office_index_load(conn, og->index, e) < 0)
		return -1;
	res = db_params(conn, declared_sql, 0, NULL, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	og->ndeclared = (size_t)PQntuples(res);
	og->declared = xcalloc(og->ndeclared ? og->ndeclared : 1, sizeof(char *));
	for (size_t i = 0; i < og->ndeclared; i++)
		og->declared[i] = xstrdup(PQgetvalue(res, (int)i, 0));
	PQclear(res);
	return 0;
}

static void office_groups_release(struct office_groups *og, size_t nrows)
{
	office_index_free(og->index);
	for (size_t i = 0; i < og->ndeclared; i++)
		free(og->declared[i]);
	free(og->declared);
	for (size_t i = 0; og->keys && i < nrows; i++)
		free(og->keys[i]);
	free(og->keys);
	memset(og, 0, sizeof(*og));
}

/* The key and name of the office row a stored name counts in (malloc'd). */
static void office_group(const struct office_groups *og, const char *stored, char **key,
			 char **name)
{
	struct office_unit u;

	if (stored && office_resolve(og->index, stored, NULL, &u)) {
		*key = u.key;
		*name = u.name;
		u.key = u.name = NULL;
		office_unit_release(&u);
		return;
	}
	for (size_t i = 0; stored && i < og->ndeclared; i++)
		if (!strcmp(og->declared[i], stored)) {
			*key = xasprintf("t|%s", stored);
			*name = xstrdup(stored);
			return;
		}
	*key = xstrdup("?");
	*name = xstrdup(office_unknown);
}

/* The row of `key` among *n rows (added, empty, when there is none). */
static struct report_row *office_row(struct office_groups *og, struct report_row **rows, size_t *n,
				     char *key, char *name)
{
	struct report_row *r;
	size_t i;

	for (i = 0; i < *n && strcmp(og->keys[i], key); i++)
		;
	if (i == *n) {
		*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
		og->keys = xrealloc(og->keys, (*n + 1) * sizeof(*og->keys));
		r = &(*rows)[i];
		memset(r, 0, sizeof(*r));
		r->group = name;
		r->expected = -1;
		og->keys[i] = key;
		(*n)++;
		return r;
	}
	r = &(*rows)[i];
	/* a unit the inventory does not name: its longest spelling */
	if (strlen(name) > strlen(r->group)) {
		free(r->group);
		r->group = name;
	} else {
		free(name);
	}
	free(key);
	return r;
}

static int cmp_longer(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * index_stored: the offices stored on records join the index after the
 * inventory's (the longest spelling of a unit first): a unit the
 * inventory does not know is named by them, and their provinces help read
 * the prints cut short.
 */
static void index_stored(struct office_index *x, const PGresult *res)
{
	size_t n = 0;
	char **v = xcalloc((size_t)PQntuples(res) + 1, sizeof(*v));

	for (int k = 0; k < PQntuples(res); k++)
		if (!PQgetisnull(res, k, 0))
			v[n++] = PQgetvalue(res, k, 0);
	qsort(v, n, sizeof(*v), cmp_longer);
	for (size_t i = 0; i < n; i++)
		office_index_add(x, v[i]);
	free(v);
}

static int office_rows(PGconn *conn, const char *records_sql, struct report_row **rows, size_t *n,
		       herr *e)
{
	static const char rejected_sql[] = "SELECT registry_office, count(*) FROM source_files"
					   " WHERE status = 'rejected' GROUP BY 1";
	static const char expected_sql[] =
	    "SELECT registry_office, sum(entries) FROM inventory GROUP BY 1";
	const char *const sql[3] = { records_sql, rejected_sql, expected_sql };
	struct office_groups og;
	int rc = 0;

	*rows = NULL;
	*n = 0;
	if (office_groups_init(conn, &og, e) < 0) {
		office_groups_release(&og, 0);
		return -1;
	}
	for (int pass = 0; pass < 3 && !rc; pass++) {
		PGresult *res = db_params(conn, sql[pass], 0, NULL, PGRES_TUPLES_OK, e);

		if (!res) {
			rc = -1;
			break;
		}
		if (pass == 0)
			index_stored(og.index, res);
		for (int k = 0; k < PQntuples(res); k++) {
			char *key, *name;
			struct report_row *r;

			office_group(&og, PQgetisnull(res, k, 0) ? NULL : PQgetvalue(res, k, 0),
				     &key, &name);
			r = office_row(&og, rows, n, key, name);
			if (pass == 0) {
				r->records += db_long(res, k, 1);
				r->linked += db_long(res, k, 2);
				r->pending_review += db_long(res, k, 3);
				r->unmatched += db_long(res, k, 4);
			} else if (pass == 1) {
				r->rejected_files += db_long(res, k, 1);
			} else {
				r->expected =
				    (r->expected < 0 ? 0 : r->expected) + db_long(res, k, 1);
			}
		}
		PQclear(res);
	}
	office_groups_release(&og, *n);
	if (rc < 0) {
		report_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	if (*n) /* no office yet: no rows, and qsort must not see NULL */
		qsort(*rows, *n, sizeof(**rows), cmp_group);
	return 0;
}

/*
 * By province since July 2025: the rows of the offices, each office's
 * place resolved to its province since then (vn_place_parse) and summed,
 * so that the archive of a province merged in 2025 (Thái Bình into Hưng
 * Yên) is one row.  Resolved here rather than stored: rows loaded by any
 * version group alike, and the offices are few.
 */
static int province_rows(PGconn *conn, struct report_row **rows, size_t *n, herr *e)
{
	struct report_row *office;
	size_t no;

	if (report_rows(conn, REPORT_BY_OFFICE, &office, &no, e) < 0)
		return -1;
	*rows = xcalloc(no ? no : 1, sizeof(**rows));
	*n = 0;
	for (size_t i = 0; i < no; i++) {
		const struct report_row *o = &office[i];
		const char *g = "(unknown)";
		struct vn_place pl;
		struct report_row *r;
		size_t k;

		if (strcmp(o->group, office_unknown) && vn_place_parse(o->group, &pl, NULL) == 0 &&
		    pl.province_now[0])
			g = pl.province_now;
		for (k = 0; k < *n && strcmp((*rows)[k].group, g); k++)
			;
		r = &(*rows)[k];
		if (k == *n) {
			r->group = xstrdup(g);
			r->expected = -1;
			(*n)++;
		}
		r->records += o->records;
		r->linked += o->linked;
		r->pending_review += o->pending_review;
		r->unmatched += o->unmatched;
		r->rejected_files += o->rejected_files;
		if (o->expected >= 0)
			r->expected = (r->expected < 0 ? 0 : r->expected) + o->expected;
	}
	report_rows_free(office, no);
	if (*n) /* no office yet: no rows, and qsort must not see NULL */
		qsort(*rows, *n, sizeof(**rows), cmp_group);
	return 0;
}

int report_rows(PGconn *conn, enum report_by by, struct report_row **rows, size_t *n, herr *e)
{
	static const char *const group_col[] = { "office", "doc_type", "year::text", "batch" };
	/* rejected files belong to an office and a batch; not to a type or a year */
	/* (by office: office_rows) */
	static const char *const rejected_sql[] = {
		NULL,
		NULL,
		NULL,
		"SELECT b.name, count(*) FROM source_files f JOIN batches b USING (batch_id)"
		" WHERE f.status = 'rejected' GROUP BY 1",
	};
	static const char *const expected_sql[] = {
		NULL,
		"SELECT doc_type, sum(entries) FROM inventory GROUP BY 1",
		"SELECT year::text, sum(entries) FROM inventory GROUP BY 1",
		NULL,
	};
	strbuf sql = STRBUF_INIT;
	PGresult *res;

	*rows = NULL;
	*n = 0;
	if (by == REPORT_BY_PROVINCE)
		return province_rows(conn, rows, n, e);
	strbuf_addf(&sql,
		    "%s SELECT %s%s%s AS g, count(*),"
		    " count(*) FILTER (WHERE linked), count(*) FILTER (WHERE flagged OR (review"
		    " AND NOT coalesce(linked, false))),"
		    " count(*) FILTER (WHERE NOT coalesce(linked, false) AND NOT"
		    " coalesce(review, false))"
		    " FROM rec GROUP BY 1 ORDER BY 1",
		    per_record, by == REPORT_BY_OFFICE ? "" : "coalesce(", group_col[by],
		    by == REPORT_BY_OFFICE ? "" : ", '(unknown)')");
	if (by == REPORT_BY_OFFICE) {
		int rc = office_rows(conn, sql.buf, rows, n, e);

		strbuf_release(&sql);
		return rc;
	}
	res = db_params(conn, sql.buf, 0, NULL, PGRES_TUPLES_OK, e);
	strbuf_release(&sql);
	if (!res)
		return -1;
	*n = (size_t)PQntuples(res);
	*rows = xcalloc(*n ? *n : 1, sizeof(**rows));
	for (size_t i = 0; i < *n; i++) {
		struct report_row *r = &(*rows)[i];

		r->group = xstrdup(PQgetvalue(res, (int)i, 0));
		r->records = db_long(res, (int)i, 1);
		r->linked = db_long(res, (int)i, 2);
		r->pending_review = db_long(res, (int)i, 3);
		r->unmatched = db_long(res, (int)i, 4);
		r->expected = -1;
	}
	PQclear(res);
	/* rejected files and expected counts, joined by group name */
	for (int pass = 0; pass < 2; pass++) {
		const char *q = pass ? expected_sql[by] : rejected_sql[by];

		if (!q)
			continue;
		res = db_params(conn, q, 0, NULL, PGRES_TUPLES_OK, e);
		if (!res) {
			report_rows_free(*rows, *n);
			*rows = NULL;
			*n = 0;
			return -1;
		}
		for (int k = 0; k < PQntuples(res); k++) {
			const char *g = PQgetvalue(res, k, 0);
			long v = db_long(res, k, 1);
			size_t i;

			for (i = 0; i < *n && strcmp((*rows)[i].group, g); i++)
				;
			if (i == *n) {
				/* a group with no record yet: an office whose files were all
				 * rejected, an inventory year not scanned */
				*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
				memset(&(*rows)[i], 0, sizeof(**rows));
				(*rows)[i].group = xstrdup(g);
				(*rows)[i].expected = -1;
				(*n)++;
			}
			if (pass)
				(*rows)[i].expected = v;
			else
				(*rows)[i].rejected_files = v;
		}
		PQclear(res);
	}
	return 0;
}

void report_rows_free(struct report_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].group);
	free(rows);
}

/* ------------------------------------------------------------------------
 * Progress over time
 * ---------------------------------------------------------------------- */

static int cmp_series(const void *a, const void *b)
{
	return strcmp(((const struct report_series *)a)->group,
		      ((const struct report_series *)b)->group);
}

static struct report_series *series_of(struct report_series **s, size_t *n, const char *g)
{
	size_t k;

	for (k = 0; k < *n && strcmp((*s)[k].group, g); k++)
		;
	if (k == *n) {
		*s = xrealloc(*s, (*n + 1) * sizeof(**s));
		memset(&(*s)[k], 0, sizeof(**s));
		(*s)[k].group = xstrdup(g);
		(*n)++;
	}
	return &(*s)[k];
}

static void series_add(struct report_series *s, long day, long records, long linked)
{
	if (s->n && s->days[s->n - 1].day == day) {
		s->days[s->n - 1].records += records;
		s->days[s->n - 1].linked += linked;
		return;
	}
	/* days come in order for each office; several offices of one province
	 * interleave: keep them sorted */
	s->days = xrealloc(s->days, (s->n + 1) * sizeof(*s->days));
	{
		size_t i = s->n;

		while (i > 0 && s->days[i - 1].day > day)
			i--;
		if (i > 0 && s->days[i - 1].day == day) {
			s->days[i - 1].records += records;
			s->days[i - 1].linked += linked;
			return;
		}
		memmove(&s->days[i + 1], &s->days[i], (s->n - i) * sizeof(*s->days));
		s->days[i].day = day;
		s->days[i].records = records;
		s->days[i].linked = linked;
		s->n++;
	}
}

int report_timeline(PGconn *conn, enum report_by by, int utc_offset_s, struct report_series **out,
		    size_t *n, herr *e)
{
	char off[16];
	const char *v[1] = { off };
	PGresult *res;

	*out = NULL;
	*n = 0;
	if (by != REPORT_BY_OFFICE && by != REPORT_BY_PROVINCE)
		return herr_set(e, HT_EXIT_USAGE, "the timeline is by office or by province");
	snprintf(off, sizeof(off), "%d", utc_offset_s);
	res =
	    db_params(conn,
		      "WITH rec AS ("
		      " SELECT r.record_id, coalesce(r.registry_office, '(unknown)') AS office,"
		      "  floor((extract(epoch FROM r.loaded_at) + $1::int) / 86400)::bigint AS day,"
		      "  bool_and(m.status IN ('auto', 'confirmed')) AS linked"
		      " FROM records r LEFT JOIN record_people p ON p.record_id = r.record_id"
		      " LEFT JOIN matches m ON m.record_id = p.record_id AND m.role = p.role"
		      " GROUP BY r.record_id)"
		      " SELECT office, day, count(*), count(*) FILTER (WHERE linked)"
		      " FROM rec GROUP BY 1, 2 ORDER BY 1, 2",
		      1, v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *g = PQgetvalue(res, i, 0);
		struct vn_place pl;

		if (by == REPORT_BY_PROVINCE)
			g = g[0] != '(' && vn_place_parse(g, &pl, NULL) == 0 && pl.province_now[0]
				? pl.province_now
				: "(unknown)";
		series_add(series_of(out, n, g), db_long(res, i, 1), db_long(res, i, 2),
			   db_long(res, i, 3));
	}
	PQclear(res);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_series);
	return 0;
}

void report_series_free(struct report_series *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].group);
		free(s[i].days);
	}
	free(s);
}

/* ------------------------------------------------------------------------
 * The dashboard's and the audit log's reads
 * ---------------------------------------------------------------------- */

int report_expected_total(PGconn *conn, long *out, herr *e)
{
	PGresult *res = db_params(conn, "SELECT coalesce(sum(entries), 0) FROM inventory", 0, NULL,
				  PGRES_TUPLES_OK, e);

	*out = 0;
	if (!res)
		return -1;
	*out = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

int report_batch_trend(PGconn *conn, struct db_rows *out, herr *e)
{
	static const char sql[] =
	    "WITH rec AS ("
	    " SELECT r.record_id, f.batch_id,"
	    "        bool_and(m.status IN ('auto', 'confirmed')) AS linked"
	    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
	    " JOIN source_files f ON f.file_id = pg.file_id"
	    " LEFT JOIN record_people p ON p.record_id = r.record_id"
	    " LEFT JOIN matches m ON m.record_id = p.record_id AND m.role = p.role"
	    " GROUP BY r.record_id, f.batch_id)"
	    " SELECT b.name, to_char(b.started_at, 'YYYY-MM-DD'), count(rec.record_id),"
	    " count(*) FILTER (WHERE rec.linked)"
	    " FROM batches b LEFT JOIN rec ON rec.batch_id = b.batch_id"
	    " GROUP BY b.batch_id ORDER BY b.started_at, b.batch_id";

	return db_rows_query(conn, sql, 0, NULL, out, e);
}

int report_discrepancies(PGconn *conn, const char *office, long limit, struct db_rows *out, herr *e)
{
	static const char sql[] =
	    "SELECT m.record_id, r.doc_type, coalesce(r.registry_office, ''), m.role, m.status,"
	    " coalesce(m.citizen_id, ''), d.value #>> '{}'"
	    " FROM matches m JOIN records r ON r.record_id = m.record_id"
	    " CROSS JOIN LATERAL jsonb_array_elements(m.discrepancies) d"
	    " WHERE m.status IN ('auto', 'confirmed', 'review')"
	    " AND ($1::text IS NULL OR r.registry_office = $1)"
	    " ORDER BY m.record_id, m.role LIMIT $2::int";
	char lim[24];
	const char *v[2] = { office, lim };

	snprintf(lim, sizeof(lim), "%ld", limit);
	return db_rows_query(conn, sql, 2, v, out, e);
}

int report_audit(PGconn *conn, const char *user, struct db_rows *out, herr *e)
{
	static const char sql[] =
	    "SELECT extract(epoch FROM d.decided_at)::bigint, d.user_name, d.action,"
	    " d.record_id, coalesce(d.role, ''), coalesce(d.field, ''),"
	    " d.before::text, d.after::text, r.doc_type,"
	    " coalesce(p.full_name, r.fields -> 'full_name' ->> 'value'),"
	    " cb.full_name, ca.full_name"
	    " FROM review_decisions d LEFT JOIN records r ON r.record_id = d.record_id"
	    " LEFT JOIN record_people p ON p.record_id = d.record_id AND p.role = d.role"
	    " LEFT JOIN citizens cb ON cb.id_number = d.before ->> 'citizen_id'"
	    " LEFT JOIN citizens ca ON ca.id_number = d.after ->> 'citizen_id'"
	    " WHERE ($1::text IS NULL OR d.user_name = $1)"
	    " ORDER BY d.decision_id DESC LIMIT 300";
	const char *v[1] = { user };

	return db_rows_query(conn, sql, 1, v, out, e);
}
