/*
 * bench_load.c — how fast the batch loads what OCR and matching produce:
 *
 *   records   pages of two birth records each (an A3 register spread),
 *             stored as the workers store them (batch_page_store: the page, its
 *             records and their people by COPY, the job closed, one
 *             transaction per page), records per second;
 *   matches   the people of those records linked against the registry in
 *             the database, and the matches stored (batch_matches_store: COPY
 *             into a staging table, one upsert), matches per second;
 *   peer      the same record and people rows COPY'd into bare tables (no
 *             constraint, no index) in one transaction: what COPY alone
 *             does on this machine, in the same run.
 *
 * bench_load --db CONNINFO [--pages N]
 *
 * The database must hold the schema and a registry (bench_batch.sh imports
 * 2,000,000 citizens first); the people on the records are citizens of
 * it, so that the matches are real ones.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../loaders/loaders.h"
#include "../match/match.h"
#include "../ocr/ocr.h"

static int die(const char *what, const herr *e)
{
	fprintf(stderr, "bench_load: %s: %s\n", what, e->msg);
	return 1;
}

static void add_field(struct ocr_record *r, const char *name, const char *value)
{
	struct ocr_field *f;

	if (!value || !*value || r->nfields == OCR_MAX_FIELDS)
		return;
	f = &r->fields[r->nfields++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->value = (char *)value;
	f->raw = (char *)value;
	f->conf = 0.93;
	f->bbox[0] = 400;
	f->bbox[1] = 300 + 60 * r->nfields;
	f->bbox[2] = 900;
	f->bbox[3] = 48;
}

/* Start the COPY `sql`; 0 when the server answers with `want`. */
static int copy_start(PGconn *conn, const char *sql, ExecStatusType want)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == want;

	if (!ok)
		fprintf(stderr, "bench_load: %s", PQerrorMessage(conn));
	PQclear(res);
	return ok ? 0 : -1;
}

/* A COPY TO STDOUT of `sql`, whole, into *out. */
static int copy_out(PGconn *conn, const char *sql, strbuf *out)
{
	PGresult *res;
	char *buf;
	int n;

	if (copy_start(conn, sql, PGRES_COPY_OUT) < 0)
		return -1;
	while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
		strbuf_add(out, buf, (size_t)n);
		PQfreemem(buf);
	}
	while ((res = PQgetResult(conn)))
		PQclear(res);
	return 0;
}

static int copy_in(PGconn *conn, const char *sql, const strbuf *rows)
{
	PGresult *res;
	int ok;

	if (copy_start(conn, sql, PGRES_COPY_IN) < 0)
		return -1;
	ok = PQputCopyData(conn, rows->buf, (int)rows->len) == 1 && PQputCopyEnd(conn, NULL) == 1;
	res = PQgetResult(conn);
	ok = ok && PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "bench_load: %s", PQerrorMessage(conn));
	PQclear(res);
	while ((res = PQgetResult(conn)))
		PQclear(res);
	return ok ? 0 : -1;
}

static int exec_ok(PGconn *conn, const char *sql)
{
	herr e = { 0 };

	if (db_exec(conn, sql, &e) < 0) {
		fprintf(stderr, "bench_load: %s\n", e.msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
					      { "pages", required_argument, NULL, 'p' },
					      { NULL, 0, NULL, 0 } };
	const char *conninfo = NULL;
	long pages = 20000, file_id, owner, batch_id, kept = 0;
	int c, rc = 1;
	herr e = { 0 };
	PGconn *conn;
	PGresult *cit = NULL;
	char limit[24], sha[65];
	double t0, t_rec, t_match_store, t_peer;
	long nrec = 0, npeople = 0;
	struct people_set ps = { 0 };
	struct match_registry *reg = NULL;
	struct match_result *res = NULL;
	struct match_model model;
	struct match_options mo;
	struct match_stats st;
	strbuf recs = STRBUF_INIT, people = STRBUF_INIT;
	char path[] = "/bench/register-book.tif", office[] = "UBND phường Phúc Xá";

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			conninfo = optarg;
		else if (c == 'p')
			pages = strtol(optarg, NULL, 10);
		else
			return 2;
	}
	if (!conninfo || pages < 1) {
		fprintf(stderr, "usage: bench_load --db CONNINFO [--pages N]\n");
		return 2;
	}
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "bench_load: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 1;
	}
	/* hotich's objects live in the schema "hotich", as db_open sets it */
	if (exec_ok(conn, "SET search_path TO hotich") < 0) {
		PQfinish(conn);
		return 1;
	}
	snprintf(limit, sizeof(limit), "%ld", pages * 2);
	{
		const char *v[1] = { limit };

		cit = PQexecParams(conn,
				   "SELECT id_number, full_name, dob, sex, birthplace, father_name,"
				   " mother_name FROM citizens WHERE dob ~ '^[0-9]{4}-' ORDER BY"
				   " id_number LIMIT $1",
				   1, NULL, v, NULL, NULL, 0);
	}
	if (PQresultStatus(cit) != PGRES_TUPLES_OK || PQntuples(cit) < 2) {
		fprintf(stderr, "bench_load: no registry in the database (import one first) %s\n",
			PQerrorMessage(conn));
		goto out;
	}
	if (PQntuples(cit) < pages * 2)
		pages = PQntuples(cit) / 2;
	snprintf(sha, sizeof(sha), "%064lx", (unsigned long)time(NULL));
	if (batch_start(conn, "bench-load", NULL, "{}", &batch_id, &e) < 0)
		goto fail;
	if (batch_file_register(conn, batch_id, sha, path, 1L << 30, "tiff", (int)pages, office,
				&file_id, &owner, &e) < 0)
		goto fail;

	/* --- records, as the workers store them ------------------------------ */
	t0 = clock_now_s();
	for (long pg = 0; pg < pages; pg++) {
		struct ocr_page p;
		struct page_job j = { file_id, (int)pg + 1, 1, path, sha, office, 0 };
		char regno[2][16];

		memset(&p, 0, sizeof(p));
		strbuf_init(&p.text, 0);
		p.page_no = (int)pg + 1;
		p.width = 4960;
		p.height = 3508;
		p.dpi = 300;
		p.mean_conf = 0.91;
		p.nrec = 2;
		snprintf(p.steps, sizeof(p.steps), "grey,deskew,background,leaders");
		for (int k = 0; k < 2; k++) {
			struct ocr_record *r = &p.rec[k];
			int row = (int)(pg * 2 + k);

			r->doc_type = "khai_sinh";
			r->index = k;
			r->mean_conf = 0.91;
			snprintf(regno[k], sizeof(regno[k]), "%ld", pg * 2 + k + 1);
			add_field(r, "register_no", regno[k]);
			add_field(r, "book_no", "01");
			add_field(r, "registered_on", PQgetvalue(cit, row, 2));
			add_field(r, "full_name", PQgetvalue(cit, row, 1));
			add_field(r, "dob", PQgetvalue(cit, row, 2));
			add_field(r, "sex", PQgetvalue(cit, row, 3));
			add_field(r, "ethnicity", "Kinh");
			add_field(r, "nationality", "Việt Nam");
			add_field(r, "birthplace", PQgetvalue(cit, row, 4));
			/* one in four old records prints the personal ID */
			if (row % 4 == 0)
				add_field(r, "id_number", PQgetvalue(cit, row, 0));
			add_field(r, "father_name", PQgetvalue(cit, row, 5));
			add_field(r, "mother_name", PQgetvalue(cit, row, 6));
			npeople++;
		}
		strbuf_addstr(&p.text, "GIẤY KHAI SINH");
		if (batch_page_store(conn, &j, &p, NULL, &e) < 0) {
			strbuf_release(&p.text);
			goto fail;
		}
		strbuf_release(&p.text);
		nrec += 2;
	}
	t_rec = clock_now_s() - t0;
	printf("records: %ld pages of 2 birth records, %ld records and %ld people stored in %.1f s:"
	       " %.0f records/s, %.0f pages/s (one transaction per page)\n",
	       pages, nrec, npeople, t_rec, nrec / t_rec, pages / t_rec);

	/* --- matches ---------------------------------------------------------- */
	t0 = clock_now_s();
	if (batch_people_for_matching(conn, batch_id, &ps, &e) < 0)
		goto fail;
	reg = match_registry_new();
	if (citizens_to_registry(conn, reg, &e) < 0)
		goto fail;
	match_registry_index(reg);
	match_model_defaults(&model);
	match_options_init(&mo);
	mo.threads = 2;
	res = calloc(ps.n ? ps.n : 1, sizeof(*res));
	if (!res || match_link(reg, &model, ps.q, ps.n, &mo, res, &st, &e) < 0)
		goto fail;
	printf("matching: %zu people against %zu citizens linked in %.1f s (registry streamed from"
	       " the database, EM, decisions)\n",
	       ps.n, match_registry_count(reg), clock_now_s() - t0);
	t0 = clock_now_s();
	{
		struct match_json *js = match_results_json(reg, ps.q, res, ps.n);
		int stored =
		    batch_matches_store(conn, batch_id, &model, reg, &ps, res, js, 1, &kept, &e);

		match_results_json_free(js, ps.n);
		if (stored < 0)
			goto fail;
	}
	t_match_store = clock_now_s() - t0;
	printf("matches: %zu stored in %.2f s: %.0f matches/s (COPY into a staging table, one"
	       " upsert, one transaction)\n",
	       ps.n, t_match_store, ps.n / t_match_store);

	/* --- peer: COPY alone of the same rows -------------------------------- */
	{
		char sql[512];

		snprintf(sql, sizeof(sql),
			 "COPY (SELECT r.record_ref, r.page_id, r.rec_index, r.doc_type,"
			 " r.registry_office, r.register_no, r.book_no, r.registered_on,"
			 " r.mean_conf, r.n_review, r.fields, r.warnings FROM records r"
			 " JOIN pages p USING (page_id) WHERE p.file_id = %ld) TO STDOUT",
			 file_id);
		if (copy_out(conn, sql, &recs) < 0)
			goto out;
		snprintf(
		    sql, sizeof(sql),
		    "COPY (SELECT rp.record_id, rp.role, rp.full_name, rp.name_key, rp.dob,"
		    " rp.sex, rp.id_number, rp.cmnd_number, rp.birthplace, rp.birth_province,"
		    " rp.birth_province_now, rp.father_name, rp.mother_name, rp.father_key,"
		    " rp.mother_key FROM record_people rp JOIN records r USING"
		    " (record_id) JOIN pages p USING (page_id) WHERE p.file_id = %ld) TO STDOUT",
		    file_id);
		if (copy_out(conn, sql, &people) < 0)
			goto out;
	}
	if (exec_ok(conn, "CREATE TEMP TABLE bare_records (record_ref text, page_id bigint,"
			  " rec_index int, doc_type text, registry_office text, register_no text,"
			  " book_no text, registered_on text, mean_conf real, n_review int,"
			  " fields jsonb, warnings jsonb)") < 0 ||
	    exec_ok(conn, "CREATE TEMP TABLE bare_people (record_id bigint, role text,"
			  " full_name text, name_key text, dob text, sex text, id_number text,"
			  " cmnd_number text, birthplace text, birth_province text,"
			  " birth_province_now text, father_name text, mother_name text,"
			  " father_key text, mother_key text)") < 0)
		goto out;
	t0 = clock_now_s();
	if (exec_ok(conn, "BEGIN") < 0 ||
	    copy_in(conn, "COPY bare_records FROM STDIN", &recs) < 0 ||
	    copy_in(conn, "COPY bare_people FROM STDIN", &people) < 0 ||
	    exec_ok(conn, "COMMIT") < 0)
		goto out;
	t_peer = clock_now_s() - t0;
	printf("peer: the same %ld records and %ld people COPY'd into bare tables in one"
	       " transaction: %.2f s, %.0f records/s\n",
	       nrec, npeople, t_peer, nrec / t_peer);
	printf("ratio: stored as the batch stores them / COPY alone: %.2f\n",
	       (nrec / t_rec) / (nrec / t_peer));
	rc = 0;
	goto out;
fail:
	die("load", &e);
out:
	strbuf_release(&recs);
	strbuf_release(&people);
	free(res);
	if (reg)
		match_registry_free(reg);
	batch_people_set_release(&ps);
	PQclear(cit);
	PQfinish(conn);
	return rc;
}
