/*
 * citizens.c — the registry extract and the inventory into PostgreSQL:
 * rows read as a stream, normalized, checked (bad rows to a reject report
 * with their line and reason), COPY'd into a staging table and upserted in
 * one transaction; and the registry back out, by COPY, into the match
 * stage's memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

#include "../match/match.h"
#include "loaders_internal.h"

#define IMPORT_THREADS_MAX 4

/* threads for the normalization of an import: the cores, at most 4
 * (HOTICH_IMPORT_THREADS=N to choose) */
static int import_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (getenv("HOTICH_IMPORT_THREADS"))
		n = strtol(getenv("HOTICH_IMPORT_THREADS"), NULL, 10);

	return n < 1 ? 1 : n > IMPORT_THREADS_MAX ? IMPORT_THREADS_MAX : (int)n;
}

/* A reject report line, "line,"id",reason", appended to `out`. */
static void reject(strbuf *out, long line, const char *id, const char *reason, long *count)
{
	(*count)++;
	strbuf_addf(out, "%ld,\"", line);
	/* quote the ID as given: it may hold anything */
	for (; id && *id; id++) {
		if (*id == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *id);
	}
	strbuf_addf(out, "\",%s\n", reason);
}

/* The same, straight to a report file (or nowhere). */
static void reject_to(FILE *f, long line, const char *id, const char *reason, long *count)
{
	strbuf b = STRBUF_INIT;

	reject(&b, line, id, reason, count);
	if (f)
		fwrite(b.buf, 1, b.len, f);
	strbuf_release(&b);
}

static const char stage_sql[] =
    "CREATE TEMP TABLE citizens_stage ("
    " line bigint, id_number text, full_name text, name_key text, dob text, sex text,"
    " birthplace text, birth_province text, birth_province_now text, father_name text,"
    " mother_name text, source text) ON COMMIT DROP";

/* the last row of an ID wins; a row that changes nothing is left alone */
static const char upsert_sql[] =
    "WITH s AS (SELECT DISTINCT ON (id_number) * FROM citizens_stage"
    "           ORDER BY id_number, line DESC),"
    " up AS (INSERT INTO citizens (id_number, full_name, name_key, dob, sex, birthplace,"
    "        birth_province, birth_province_now, father_name, mother_name, source)"
    "        SELECT id_number, full_name, name_key, dob, sex, birthplace, birth_province,"
    "               birth_province_now, father_name, mother_name, source FROM s"
    "        ON CONFLICT (id_number) DO UPDATE SET full_name = EXCLUDED.full_name,"
    "          name_key = EXCLUDED.name_key, dob = EXCLUDED.dob, sex = EXCLUDED.sex,"
    "          birthplace = EXCLUDED.birthplace, birth_province = EXCLUDED.birth_province,"
    "          birth_province_now = EXCLUDED.birth_province_now,"
    "          father_name = EXCLUDED.father_name, mother_name = EXCLUDED.mother_name,"
    "          source = EXCLUDED.source, updated_at = now()"
    "        WHERE (citizens.full_name, citizens.dob, citizens.sex, citizens.birthplace,"
    "               citizens.father_name, citizens.mother_name)"
    "          IS DISTINCT FROM (EXCLUDED.full_name, EXCLUDED.dob, EXCLUDED.sex,"
    "               EXCLUDED.birthplace, EXCLUDED.father_name, EXCLUDED.mother_name)"
    "        RETURNING (xmax = 0) AS inserted)"
    " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),"
    "        (SELECT count(*) FROM s) FROM up";

/* A name normalized, or NULL when empty. */
static const char *norm_name(const char *in, struct vn_name *n)
{
	if (!in || !*in || vn_name_parse(in, n, NULL) < 0 || !n->full[0])
		return NULL;
	return n->full;
}

/*
 * Rows are read in batches and normalized by a few threads (ICU and the
 * normalize stage are thread-safe); each part gives its COPY rows and its
 * rejects, appended in the order of the file.
 */
#define IMPORT_BATCH 4096

struct raw_row {
	long line;
	int columns_ok;
	char *buf; /* the seven fields, NUL-separated (one allocation) */
	const char *f[7];
};

struct import_part {
	const struct raw_row *rows;
	int n;
	enum vn_encoding enc;
	const char *source;
	strbuf out, rej;
	long rejected;
	pthread_t thread;
};

/* One row: checked, normalized, as a COPY line (or a reject line). */
static void import_row(const struct raw_row *r, struct import_part *pt, strbuf dec[7])
{
	const char *v[7];
	struct vn_name nm, fa, mo;
	struct vn_id id;
	struct vn_date dob;
	char line[24], iso[16], prov[4], prov_now[4];
	const char *name, *sexcode = NULL;
	strbuf place = STRBUF_INIT, key = STRBUF_INIT;
	herr re = { 0 };
	int k;

	if (!r->columns_ok) {
		reject(&pt->rej, r->line, r->f[0], "wrong number of columns", &pt->rejected);
		return;
	}
	for (k = 0; k < 7; k++) {
		v[k] = r->f[k];
		if (pt->enc != VN_ENC_UTF8 && *v[k]) {
			strbuf_reset(&dec[k]);
			vn_decode(pt->enc, v[k], strlen(v[k]), &dec[k], NULL, NULL);
			v[k] = dec[k].buf;
		}
	}
	if (vn_id_parse(v[0], &id, NULL, &re) < 0 || id.kind != VN_ID_PERSONAL) {
		reject(&pt->rej, r->line, v[0],
		       *v[0] ? "id_number is not a valid 12-digit personal ID" : "no id_number",
		       &pt->rejected);
		return;
	}
	name = norm_name(v[1], &nm);
	if (!name) {
		reject(&pt->rej, r->line, v[0], "no full_name", &pt->rejected);
		return;
	}
	/* a name must be one: "<img src=x onerror=alert(1)>" makes a name of
	 * letters, but no person's (the parents' too, when given, but for a
	 * parent known by one word) */
	for (k = 1; k <= 6; k += k == 1 ? 4 : 1) {
		const char *why;
		char msg[96];

		if (*v[k] && !vn_name_plausible(v[k], &why) &&
		    (k == 1 || strcmp(why, "it is one word"))) {
			snprintf(msg, sizeof(msg), "%s is not a plausible name: %s",
				 k == 1	  ? "full_name"
				 : k == 5 ? "father_name"
					  : "mother_name",
				 why);
			reject(&pt->rej, r->line, v[0], msg, &pt->rejected);
			return;
		}
	}
	iso[0] = '\0';
	if (*v[2]) {
		if (vn_date_parse(v[2], &dob, NULL, &re) < 0) {
			reject(&pt->rej, r->line, v[0], "impossible or unreadable dob",
			       &pt->rejected);
			return;
		}
		vn_date_format(&dob, iso, sizeof(iso));
	}
	if (*v[3]) {
		sexcode = vn_sex_code(vn_sex_parse(v[3], NULL));
		if (!sexcode) {
			reject(&pt->rej, r->line, v[0], "sex is neither nam nor nu", &pt->rejected);
			return;
		}
	}
	/* the birthplace in its canonical form: "P. Phương Liệt, Q. Thanh
	 * Xuân, HN" and the full form are one place; its province as printed
	 * and since July 2025 (the ID's when there is no birthplace) */
	prov[0] = prov_now[0] = '\0';
	if (*v[4]) {
		struct vn_place pl;

		if (vn_place_parse(v[4], &pl, NULL) == 0 && pl.canonical[0]) {
			strbuf_addstr(&place, pl.canonical);
			memcpy(prov, pl.province_code, sizeof(prov));
			memcpy(prov_now, pl.province_now_code, sizeof(prov_now));
		} else {
			vn_text_normalize(v[4], -1, &place, NULL);
		}
	}
	if (!prov[0] && vn_province_now_code(id.province))
		memcpy(prov_now, vn_province_now_code(id.province), sizeof(prov_now));
	vn_fold(name, -1, &key);
	snprintf(line, sizeof(line), "%ld", r->line);
	db_copy_field(&pt->out, line, 0);
	db_copy_field(&pt->out, id.digits, 0);
	db_copy_field(&pt->out, name, 0);
	db_copy_field(&pt->out, key.buf, 0);
	db_copy_field(&pt->out, iso[0] ? iso : NULL, 0);
	db_copy_field(&pt->out, sexcode, 0);
	db_copy_field(&pt->out, place.len ? place.buf : NULL, 0);
	db_copy_field(&pt->out, prov[0] ? prov : id.province, 0);
	db_copy_field(&pt->out, prov_now[0] ? prov_now : NULL, 0);
	db_copy_field(&pt->out, norm_name(v[5], &fa), 0);
	db_copy_field(&pt->out, norm_name(v[6], &mo), 0);
	db_copy_field(&pt->out, pt->source, 1);
	strbuf_release(&place);
	strbuf_release(&key);
}

static void *import_part_run(void *arg)
{
	struct import_part *pt = arg;
	strbuf dec[7];
	int k;

	for (k = 0; k < 7; k++)
		strbuf_init(&dec[k], 0);
	for (int i = 0; i < pt->n; i++)
		import_row(&pt->rows[i], pt, dec);
	for (k = 0; k < 7; k++)
		strbuf_release(&dec[k]);
	return NULL;
}

/*
 * Every table and ICU service the rows need, made once on this thread
 * before the others start (their creation then happens before their use).
 */
static void warm_up(enum vn_encoding enc)
{
	struct import_part pt = { 0 };
	struct raw_row r = { 1,
			     1,
			     NULL,
			     { "001090000001", "Nguyễn Văn An", "1990-01-02", "nam",
			       "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội", "Nguyễn Văn Bình",
			       "Trần Thị Lan" } };

	pt.rows = &r;
	pt.n = 1;
	pt.enc = enc;
	pt.source = "";
	strbuf_init(&pt.out, 0);
	strbuf_init(&pt.rej, 0);
	import_part_run(&pt);
	strbuf_release(&pt.out);
	strbuf_release(&pt.rej);
}

/* Copy the row the reader is on (its seven columns) into r. */
static void raw_row_take(struct csv *c, const int idx[7], int ncols, struct raw_row *r)
{
	size_t len = 0, at = 0;
	int k;

	r->line = csv_line(c);
	r->columns_ok = csv_nfields(c) == ncols;
	for (k = 0; k < 7; k++)
		len += strlen(csv_field(c, idx[k])) + 1;
	r->buf = xmalloc(len);
	for (k = 0; k < 7; k++) {
		const char *f = csv_field(c, idx[k]);
		size_t n = strlen(f) + 1;

		memcpy(r->buf + at, f, n);
		r->f[k] = r->buf + at;
		at += n;
	}
}

/* Normalize a batch with `nt` threads; its COPY rows to *row, rejects to the report. */
static void import_batch(struct raw_row *rows, int n, int nt, enum vn_encoding enc,
			 const char *source, strbuf *row, FILE *rejects, long *rejected)
{
	struct import_part parts[IMPORT_THREADS_MAX];
	int per, t, started[IMPORT_THREADS_MAX];

	if (n < 256)
		nt = 1;
	per = (n + nt - 1) / nt;
	for (t = 0; t < nt; t++) {
		struct import_part *pt = &parts[t];
		int from = t * per;

		pt->rows = rows + from;
		pt->n = from >= n ? 0 : (n - from < per ? n - from : per);
		pt->enc = enc;
		pt->source = source;
		strbuf_init(&pt->out, 0);
		strbuf_init(&pt->rej, 0);
		pt->rejected = 0;
		/* the first part on this thread; the others on threads of their own */
		started[t] = t > 0 && pthread_create(&pt->thread, NULL, import_part_run, pt) == 0;
		if (t > 0 && !started[t])
			import_part_run(pt);
	}
	import_part_run(&parts[0]);
	for (t = 0; t < nt; t++) {
		struct import_part *pt = &parts[t];

		if (t > 0 && started[t])
			pthread_join(pt->thread, NULL);
		strbuf_add(row, pt->out.buf ? pt->out.buf : "", pt->out.len);
		if (rejects && pt->rej.len)
			fwrite(pt->rej.buf, 1, pt->rej.len, rejects);
		*rejected += pt->rejected;
		strbuf_release(&pt->out);
		strbuf_release(&pt->rej);
	}
	for (int i = 0; i < n; i++)
		free(rows[i].buf);
}

int citizens_import(PGconn *conn, const char *path, enum vn_encoding enc, int dry_run,
		    FILE *rejects, struct import_stats *st, herr *e)
{
	static const char *const cols[] = { "id_number",  "full_name",	 "dob",	       "sex",
					    "birthplace", "father_name", "mother_name" };
	struct csv *c;
	struct raw_row *batch = NULL;
	int idx[7], rc, k, ncols, nb = 0, copying = 0;
	int nt = import_threads();
	strbuf row = STRBUF_INIT;
	PGresult *res;
	double t0 = clock_now_s();

	memset(st, 0, sizeof(*st));
	st->encoding = enc == VN_ENC_AUTO ? vn_detect_file(path, NULL) : enc;
	c = csv_open(path, e);
	if (!c)
		return -1;
	rc = csv_next(c, e);
	if (rc <= 0) {
		csv_close(c);
		return rc < 0 ? -1 : herr_set(e, HT_EXIT_USAGE, "%s: empty file", path);
	}
	ncols = csv_nfields(c);
	for (k = 0; k < 7; k++) {
		idx[k] = csv_column(c, cols[k]);
		if (idx[k] < 0) {
			csv_close(c);
			return herr_set(e, HT_EXIT_USAGE, "%s: no %s column in the header", path,
					cols[k]);
		}
	}
	if (rejects)
		fprintf(rejects, "line,id_number,reason\n");
	/* memory for the sort of the staged rows by ID (not a sort on disk) */
	if (db_exec(conn, "BEGIN", e) < 0 || db_exec(conn, "SET LOCAL work_mem = '256MB'", e) < 0 ||
	    db_exec(conn, stage_sql, e) < 0)
		goto fail;
	if (db_copy_begin(conn, "COPY citizens_stage FROM STDIN", e) < 0)
		goto fail;
	copying = 1;
	warm_up(st->encoding);
	batch = xcalloc(IMPORT_BATCH, sizeof(*batch));
	for (;;) {
		rc = csv_next(c, e);
		if (rc > 0) {
			st->rows++;
			raw_row_take(c, idx, ncols, &batch[nb++]);
		}
		if (nb == IMPORT_BATCH || (rc <= 0 && nb)) {
			import_batch(batch, nb, nt, st->encoding, path, &row, rejects,
				     &st->rejected);
			nb = 0;
			if (row.len > (1 << 20) && db_copy_send(conn, &row, e) < 0)
				goto fail;
		}
		if (rc <= 0)
			break;
	}
	/* the CSV broke (a quote never closed): nothing of it is loaded */
	if (rc < 0 || db_copy_send(conn, &row, e) < 0)
		goto fail;
	copying = 0;
	if (db_copy_end(conn, "citizens_stage", e) < 0)
		goto fail;
	res = db_params(conn, upsert_sql, 0, NULL, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	st->inserted = db_long(res, 0, 0);
	st->updated = db_long(res, 0, 1);
	st->unchanged = db_long(res, 0, 2) - st->inserted - st->updated;
	PQclear(res);
	if (db_exec(conn, dry_run ? "ROLLBACK" : "COMMIT", e) < 0)
		goto fail;
	st->seconds = clock_now_s() - t0;
	free(batch);
	strbuf_release(&row);
	csv_close(c);
	return 0;
fail : {
	herr ignore = { 0 };

	/* out of COPY state first: a ROLLBACK is no COPY row */
	if (copying)
		db_copy_abort(conn, "the registry file could not be read");
	db_exec(conn, "ROLLBACK", &ignore);
}
	for (k = 0; k < nb; k++)
		free(batch[k].buf);
	free(batch);
	strbuf_release(&row);
	csv_close(c);
	return -1;
}

int citizens_count(PGconn *conn, long *n, herr *e)
{
	strbuf v = STRBUF_INIT;
	int rc = db_query_value(conn, "SELECT count(*) FROM citizens", 0, NULL, &v, e);

	*n = rc > 0 ? strtol(v.buf, NULL, 10) : 0;
	strbuf_release(&v);
	return rc < 0 ? -1 : 0;
}

/* Split a COPY text row in place into fields (\N as NULL, escapes undone). */
static int copy_split(char *row, char **f, int max)
{
	int n = 0;
	char *p = row;

	while (n < max) {
		char *start = p, *w = p, end;

		if (p[0] == '\\' && p[1] == 'N' && (p[2] == '\t' || p[2] == '\n' || !p[2])) {
			f[n++] = NULL;
			p += 2;
			end = *p;
		} else {
			while (*p && *p != '\t' && *p != '\n') {
				if (*p == '\\' && p[1]) {
					p++;
					*w++ = *p == 't'   ? '\t'
					       : *p == 'n' ? '\n'
					       : *p == 'r' ? '\r'
							   : *p;
					p++;
				} else {
					*w++ = *p++;
				}
			}
			end = *p;
			*w = '\0';
			f[n++] = start;
		}
		if (end != '\t')
			break;
		p++;
	}
	return n;
}

int citizens_to_registry(PGconn *conn, struct match_registry *r, herr *e)
{
	static const char sql[] =
	    "COPY (SELECT id_number, full_name, dob, sex, birthplace, father_name, mother_name"
	    " FROM citizens) TO STDOUT";
	PGresult *res = PQexec(conn, sql);
	char *buf;
	int len;

	if (!res || PQresultStatus(res) != PGRES_COPY_OUT)
		return db_result_error(conn, res, sql, e);
	PQclear(res);
	while ((len = PQgetCopyData(conn, &buf, 0)) > 0) {
		char *f[7] = { 0 };
		struct match_fields mf;
		herr re = { 0 };

		copy_split(buf, f, 7);
		mf.id_number = f[0];
		mf.full_name = f[1];
		mf.dob = f[2];
		mf.sex = f[3];
		mf.birthplace = f[4];
		mf.father_name = f[5];
		mf.mother_name = f[6];
		match_registry_add(r, &mf, &re); /* the table's checks make this hold */
		PQfreemem(buf);
	}
	res = PQgetResult(conn);
	if (len == -2 || !res || PQresultStatus(res) != PGRES_COMMAND_OK)
		return db_result_error(conn, res, sql, e);
	PQclear(res);
	while ((res = PQgetResult(conn)))
		PQclear(res);
	return 0;
}

/* ------------------------------------------------------------------------
 * Inventory
 * ---------------------------------------------------------------------- */

int citizens_inventory_import(PGconn *conn, const char *path, FILE *rejects,
			      struct import_stats *st, herr *e)
{
	static const char *const cols[] = { "registry_office", "doc_type", "book_no", "year",
					    "entries" };
	/* a file without folders leaves the folders known alone */
	static const char upsert[] =
	    "INSERT INTO inventory (registry_office, doc_type, book_no, year, entries, folder)"
	    " VALUES ($1, $2, $3, $4::integer, $5::integer, $6)"
	    " ON CONFLICT (registry_office, doc_type, book_no, year) DO UPDATE"
	    " SET entries = EXCLUDED.entries, folder = coalesce(EXCLUDED.folder, inventory.folder),"
	    " imported_at = now()"
	    " WHERE inventory.entries IS DISTINCT FROM EXCLUDED.entries"
	    " OR inventory.folder IS DISTINCT FROM coalesce(EXCLUDED.folder, inventory.folder)"
	    " RETURNING (xmax = 0)";
	/* a folder holds the scans of one office */
	static const char other_office[] =
	    "SELECT registry_office FROM inventory WHERE folder = $1 AND registry_office <> $2"
	    " LIMIT 1";
	struct csv *c;
	int idx[5], rc, folder_col;
	double t0 = clock_now_s();

	memset(st, 0, sizeof(*st));
	c = csv_open(path, e);
	if (!c)
		return -1;
	rc = csv_next(c, e);
	if (rc <= 0) {
		csv_close(c);
		return rc < 0 ? -1 : herr_set(e, HT_EXIT_USAGE, "%s: empty file", path);
	}
	for (int k = 0; k < 5; k++)
		if ((idx[k] = csv_column(c, cols[k])) < 0) {
			csv_close(c);
			return herr_set(e, HT_EXIT_USAGE, "%s: no %s column in the header", path,
					cols[k]);
		}
	folder_col = csv_column(c, "folder"); /* optional */
	if (rejects)
		fprintf(rejects, "line,registry_office,reason\n");
	if (db_exec(conn, "BEGIN", e) < 0) {
		csv_close(c);
		return -1;
	}
	while ((rc = csv_next(c, e)) > 0) {
		const char *office = csv_field(c, idx[0]), *doc = csv_field(c, idx[1]);
		const char *folder = folder_col >= 0 ? csv_field(c, folder_col) : "";
		long year, entries;
		struct vn_place pl;
		const char *v[6];
		PGresult *res;

		st->rows++;
		if (vn_place_parse(office, &pl, NULL) < 0) {
			reject_to(rejects, csv_line(c), office, "no registry_office",
				  &st->rejected);
			continue;
		}
		if (strcmp(doc, "khai_sinh") && strcmp(doc, "khai_tu") && strcmp(doc, "ket_hon") &&
		    strcmp(doc, "nhan_cha_me_con") && strcmp(doc, "tthc_receipt")) {
			reject_to(rejects, csv_line(c), office, "unknown doc_type", &st->rejected);
			continue;
		}
		if (parse_int(csv_field(c, idx[3]), 1900, 2200, &year) < 0 ||
		    parse_int(csv_field(c, idx[4]), 0, 100000000, &entries) < 0) {
			reject_to(rejects, csv_line(c), office, "year or entries is not a number",
				  &st->rejected);
			continue;
		}
		v[0] = pl.canonical;
		v[1] = doc;
		v[2] = csv_field(c, idx[2]);
		v[3] = csv_field(c, idx[3]);
		v[4] = csv_field(c, idx[4]);
		v[5] = *folder ? folder : NULL;
		if (v[5]) {
			const char *fv[2] = { folder, pl.canonical };

			res = db_params(conn, other_office, 2, fv, PGRES_TUPLES_OK, e);
			if (!res) {
				herr ignore = { 0 };

				db_exec(conn, "ROLLBACK", &ignore);
				csv_close(c);
				return -1;
			}
			if (PQntuples(res)) {
				/* the reason is the report's last column: no comma, no quote */
				PQclear(res);
				reject_to(rejects, csv_line(c), office,
					  "its folder holds the scans of another office",
					  &st->rejected);
				continue;
			}
			PQclear(res);
		}
		res = db_params(conn, upsert, 6, v, PGRES_TUPLES_OK, e);
		if (!res) {
			herr ignore = { 0 };

			db_exec(conn, "ROLLBACK", &ignore);
			csv_close(c);
			return -1;
		}
		if (PQntuples(res) == 0)
			st->unchanged++;
		else if (!strcmp(PQgetvalue(res, 0, 0), "t"))
			st->inserted++;
		else
			st->updated++;
		PQclear(res);
	}
	csv_close(c);
	if (rc < 0 || db_exec(conn, "COMMIT", e) < 0) {
		herr ignore = { 0 };

		db_exec(conn, "ROLLBACK", &ignore);
		return -1;
	}
	st->seconds = clock_now_s() - t0;
	return 0;
}

int citizens_names(PGconn *conn, struct vn_name_model *m, herr *e)
{
	/* each distinct name once with its count: a registry repeats its
	 * names (300,000 names of 100,000 citizens are 79,000 distinct), and
	 * parsing a name is what the model costs; before the workers of a run
	 * start, this is time no core reads pages */
	static const char sql[] =
	    "COPY (SELECT n, count(*) FROM (SELECT full_name AS n FROM citizens"
	    " UNION ALL SELECT father_name FROM citizens"
	    " WHERE father_name IS NOT NULL"
	    " UNION ALL SELECT mother_name FROM citizens"
	    " WHERE mother_name IS NOT NULL) x GROUP BY n) TO STDOUT";
	PGresult *res = PQexec(conn, sql);
	char *buf;
	int len;

	if (!res || PQresultStatus(res) != PGRES_COPY_OUT)
		return db_result_error(conn, res, sql, e);
	PQclear(res);
	while ((len = PQgetCopyData(conn, &buf, 0)) > 0) {
		char *f[2];
		long count;

		if (copy_split(buf, f, 2) == 2 && f[0] && f[1] &&
		    parse_int(f[1], 1, 0x7fffffff, &count) == 0)
			vn_name_model_add(m, f[0], (unsigned)count);
		PQfreemem(buf);
	}
	res = PQgetResult(conn);
	if (len == -2 || !res || PQresultStatus(res) != PGRES_COMMAND_OK)
		return db_result_error(conn, res, sql, e);
	PQclear(res);
	while ((res = PQgetResult(conn)))
		PQclear(res);
	return 0;
}
