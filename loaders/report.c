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

		if (o->group[0] != '(' && vn_place_parse(o->group, &pl, NULL) == 0 &&
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
	report_rows_release(office, no);
	qsort(*rows, *n, sizeof(**rows), cmp_group);
	return 0;
}

int report_rows(PGconn *conn, enum report_by by, struct report_row **rows, size_t *n, herr *e)
{
	static const char *const group_col[] = { "office", "doc_type", "year::text", "batch" };
	/* rejected files belong to an office and a batch; not to a type or a year */
	static const char *const rejected_sql[] = {
		"SELECT coalesce(registry_office, '(no office)'), count(*) FROM source_files"
		" WHERE status = 'rejected' GROUP BY 1",
		NULL,
		NULL,
		"SELECT b.name, count(*) FROM source_files f JOIN batches b USING (batch_id)"
		" WHERE f.status = 'rejected' GROUP BY 1",
	};
	static const char *const expected_sql[] = {
		"SELECT registry_office, sum(entries) FROM inventory GROUP BY 1",
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
		    "%s SELECT coalesce(%s, '(unknown)') AS g, count(*),"
		    " count(*) FILTER (WHERE linked), count(*) FILTER (WHERE flagged OR (review"
		    " AND NOT coalesce(linked, false))),"
		    " count(*) FILTER (WHERE NOT coalesce(linked, false) AND NOT"
		    " coalesce(review, false))"
		    " FROM rec GROUP BY 1 ORDER BY 1",
		    per_record, group_col[by]);
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
			report_rows_release(*rows, *n);
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

void report_rows_release(struct report_row *rows, size_t n)
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

void report_series_release(struct report_series *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].group);
		free(s[i].days);
	}
	free(s);
}
