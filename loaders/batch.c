/*
 * batch.c — the nightly batch in PostgreSQL: batches, the files seen (by
 * the SHA-256 of their bytes, so a file is loaded once wherever it lies),
 * the queue of pages that workers on any host claim with FOR UPDATE SKIP
 * LOCKED under a lease, the results (a page, its records and their people,
 * stored in one transaction that also closes the job), and the matches.
 *
 * Exactly once: a page's results go in with its job marked done in the
 * same transaction, guarded by UNIQUE (file_id, page_no) and UNIQUE
 * (record_ref); a worker killed before COMMIT leaves nothing behind and its
 * page is claimed again when its lease runs out.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "../match/match.h"
#include "../ocr/ocr.h"
#include "loaders_internal.h"

/* ------------------------------------------------------------------------
 * Batches and files
 * ---------------------------------------------------------------------- */

int batch_start(PGconn *conn, const char *name, const char *office, const char *options_json,
		long *batch_id, herr *e)
{
	static const char sql[] =
	    "INSERT INTO batches (name, office, options) VALUES ($1, $2, $3::jsonb)"
	    " ON CONFLICT (name) DO UPDATE SET status = 'open', finished_at = NULL,"
	    " options = EXCLUDED.options"
	    " RETURNING batch_id";
	const char *v[3] = { name, office, options_json ? options_json : "{}" };
	PGresult *res = db_params(conn, sql, 3, v, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	*batch_id = db_long(res, 0, 0);
	PQclear(res);
	return 0;
}

int batch_set_summary(PGconn *conn, long batch_id, const char *summary_json, herr *e)
{
	/* synchronous: the pages committed without waiting for the WAL are
	 * durable once this is */
	static const char sql[] = "UPDATE batches SET summary = $2::jsonb WHERE batch_id = $1";
	char id[24];
	const char *v[2] = { id, summary_json };
	PGresult *res;

	snprintf(id, sizeof(id), "%ld", batch_id);
	res = db_params(conn, sql, 2, v, PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

/*
 * The advisory locks of batches (the two-key form, apart from the schema's
 * one-key lock): a run holds its own batch's in shared mode while it lives;
 * a run that finds a batch left open takes it in exclusive mode to finish
 * it, which it gets only when no live run holds it.  Session locks: a run
 * killed loses them with its connection.
 */
#define BATCH_LOCK_CLASS "1752462130"

int batch_hold(PGconn *conn, long batch_id, herr *e)
{
	char b[24];
	const char *v[1] = { b };
	PGresult *res;

	snprintf(b, sizeof(b), "%ld", batch_id);
	res = db_params(conn, "SELECT pg_advisory_lock_shared(" BATCH_LOCK_CLASS ", $1::integer)",
			1, v, PGRES_TUPLES_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

int batch_take_over(PGconn *conn, long batch_id, int *got, herr *e)
{
	char b[24];
	const char *v[1] = { b };
	PGresult *res;

	snprintf(b, sizeof(b), "%ld", batch_id);
	res = db_params(conn, "SELECT pg_try_advisory_lock(" BATCH_LOCK_CLASS ", $1::integer)", 1,
			v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	*got = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return 0;
}

int batch_unfinished(PGconn *conn, long except, struct batch_ref **v, size_t *n, herr *e)
{
	static const char sql[] = "SELECT batch_id, name FROM batches"
				  " WHERE status <> 'done' AND batch_id <> $1::bigint"
				  " ORDER BY batch_id";
	char b[24];
	const char *p[1] = { b };
	PGresult *res;

	*v = NULL;
	*n = 0;
	snprintf(b, sizeof(b), "%ld", except);
	res = db_params(conn, sql, 1, p, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	*n = (size_t)PQntuples(res);
	*v = xcalloc(*n ? *n : 1, sizeof(**v));
	for (size_t i = 0; i < *n; i++) {
		(*v)[i].batch_id = db_long(res, (int)i, 0);
		(*v)[i].name = xstrdup(PQgetvalue(res, (int)i, 1));
	}
	PQclear(res);
	return 0;
}

void batch_refs_free(struct batch_ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int batch_set_matching(PGconn *conn, long batch_id, herr *e)
{
	static const char sql[] =
	    "UPDATE batches SET status = 'matching' WHERE batch_id = $1 AND status = 'open'";
	char b[24];
	const char *v[1] = { b };
	PGresult *res;

	snprintf(b, sizeof(b), "%ld", batch_id);
	res = db_params(conn, sql, 1, v, PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

int batch_find(PGconn *conn, const char *name, long *batch_id, herr *e)
{
	strbuf v = STRBUF_INIT;
	int rc =
	    db_query_value(conn, "SELECT batch_id FROM batches WHERE name = $1", 1, &name, &v, e);

	*batch_id = rc > 0 ? strtol(v.buf, NULL, 10) : 0;
	strbuf_release(&v);
	return rc < 0 ? -1 : 0;
}

int batch_file_state(PGconn *conn, const char *sha256, long *file_id, long *batch_id,
		     enum batch_file_state *state, herr *e)
{
	static const char sql[] =
	    "SELECT file_id, status, batch_id FROM source_files WHERE sha256 = $1";
	PGresult *res = db_params(conn, sql, 1, &sha256, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	*file_id = 0;
	*batch_id = 0;
	*state = FILE_NEW;
	if (PQntuples(res) == 1) {
		const char *s = PQgetvalue(res, 0, 1);

		*file_id = db_long(res, 0, 0);
		*batch_id = db_long(res, 0, 2);
		*state = !strcmp(s, "loaded")	  ? FILE_LOADED
			 : !strcmp(s, "rejected") ? FILE_REJECTED
						  : FILE_PENDING;
	}
	PQclear(res);
	return 0;
}

int batch_file_register(PGconn *conn, long batch_id, const char *sha256, const char *path,
			long size, const char *format, int pages, const char *office, long *file_id,
			long *owner, herr *e)
{
	static const char ins[] =
	    "INSERT INTO source_files (sha256, batch_id, path, size_bytes, format, n_pages,"
	    " registry_office) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " ON CONFLICT (sha256) DO NOTHING RETURNING file_id";
	static const char jobs[] = "INSERT INTO page_jobs (file_id, page_no)"
				   " SELECT $1, g FROM generate_series(1, $2::integer) g"
				   " ON CONFLICT DO NOTHING";
	char b[24], sz[24], np[16], fid[24];
	const char *v[7] = { sha256, b, path, sz, format, np, office };
	PGresult *res;

	snprintf(b, sizeof(b), "%ld", batch_id);
	snprintf(sz, sizeof(sz), "%ld", size);
	snprintf(np, sizeof(np), "%d", pages);
	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	res = db_params(conn, ins, 7, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	if (PQntuples(res) == 0) {
		/* registered already (another run at the same time): keep it */
		enum batch_file_state s;

		PQclear(res);
		if (db_exec(conn, "COMMIT", e) < 0)
			return -1;
		return batch_file_state(conn, sha256, file_id, owner, &s, e);
	}
	*file_id = db_long(res, 0, 0);
	*owner = batch_id;
	PQclear(res);
	snprintf(fid, sizeof(fid), "%ld", *file_id);
	{
		const char *jv[2] = { fid, np };

		res = db_params(conn, jobs, 2, jv, PGRES_COMMAND_OK, e);
		if (!res)
			goto fail;
		PQclear(res);
	}
	return db_exec(conn, "COMMIT", e);
fail:
	db_rollback(conn);
	return -1;
}

int batch_file_reject(PGconn *conn, long batch_id, const char *sha256, const char *path, long size,
		      const char *office, const char *reason, herr *e)
{
	static const char sql[] =
	    "INSERT INTO source_files (sha256, batch_id, path, size_bytes, registry_office,"
	    " status, reject_reason) VALUES ($1, $2, $3, $4, $5, 'rejected', $6)"
	    " ON CONFLICT (sha256) DO UPDATE SET reject_reason = EXCLUDED.reject_reason,"
	    " path = EXCLUDED.path WHERE source_files.status = 'rejected'";
	char b[24], sz[24];
	const char *v[6] = { sha256, b, path, sz, office, reason };
	PGresult *res;

	snprintf(b, sizeof(b), "%ld", batch_id);
	snprintf(sz, sizeof(sz), "%ld", size);
	res = db_params(conn, sql, 6, v, PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

int batch_file_set_path(PGconn *conn, const char *sha256, const char *path, herr *e)
{
	const char *v[2] = { sha256, path };
	PGresult *res = db_params(conn, "UPDATE source_files SET path = $2 WHERE sha256 = $1", 2, v,
				  PGRES_COMMAND_OK, e);

	PQclear(res);
	return res ? 0 : -1;
}

/* ------------------------------------------------------------------------
 * The page queue
 * ---------------------------------------------------------------------- */

void batch_page_job_release(struct page_job *j)
{
	if (!j)
		return;
	free(j->path);
	free(j->sha256);
	free(j->office);
	memset(j, 0, sizeof(*j));
}

static const char abandoned_msg[] = "the page stopped a worker each time it was read";

int batch_job_retry_abandoned(PGconn *conn, long *n, herr *e)
{
	static const char sql[] =
	    "UPDATE page_jobs SET status = 'pending', attempts = 0, error = NULL,"
	    " worker = NULL, lease_until = NULL, updated_at = now()"
	    " WHERE status = 'failed' AND error = $1";
	const char *v[1] = { abandoned_msg };
	PGresult *res = db_params(conn, sql, 1, v, PGRES_COMMAND_OK, e);

	if (!res)
		return -1;
	*n = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}

int batch_job_claim(PGconn *conn, const char *worker, int lease_s, int max_tries,
		    struct page_job *j, herr *e)
{
	/* the oldest claimable page; SKIP LOCKED: workers never wait for each other */
	static const char claim[] =
	    "UPDATE page_jobs j SET status = 'running', worker = $1,"
	    " lease_until = now() + make_interval(secs => $2::integer),"
	    " attempts = j.attempts + 1, updated_at = now()"
	    " FROM (SELECT file_id, page_no FROM page_jobs"
	    "       WHERE status = 'pending' OR (status = 'running' AND lease_until < now())"
	    "       ORDER BY file_id, page_no LIMIT 1 FOR UPDATE SKIP LOCKED) c,"
	    "      source_files f, batches b"
	    " WHERE j.file_id = c.file_id AND j.page_no = c.page_no AND f.file_id = j.file_id"
	    "   AND b.batch_id = f.batch_id"
	    " RETURNING j.file_id, j.page_no, j.attempts, f.path, f.sha256, f.registry_office,"
	    " coalesce(b.options ->> 'dpi', '0')";
	char lease[16];
	const char *v[2] = { worker, lease };

	memset(j, 0, sizeof(*j));
	snprintf(lease, sizeof(lease), "%d", lease_s);
	for (;;) {
		PGresult *res = db_params(conn, claim, 2, v, PGRES_TUPLES_OK, e);

		if (!res)
			return -1;
		if (PQntuples(res) == 0) {
			PQclear(res);
			return 0;
		}
		j->file_id = db_long(res, 0, 0);
		j->page_no = (int)db_long(res, 0, 1);
		j->attempts = (int)db_long(res, 0, 2);
		j->path = xstrdup(PQgetvalue(res, 0, 3));
		j->sha256 = xstrdup(PQgetvalue(res, 0, 4));
		j->office = PQgetisnull(res, 0, 5) ? NULL : xstrdup(PQgetvalue(res, 0, 5));
		j->dpi = (int)db_long(res, 0, 6);
		PQclear(res);
		if (j->attempts <= max_tries)
			return 1;
		/* it brought down a worker every time: set it aside */
		if (batch_job_fail(conn, j, abandoned_msg, e) < 0)
			return -1;
		batch_page_job_release(j);
	}
}

/*
 * process_gone: no such process, or a zombie nobody reaps (a worker killed
 * with its parent, under a PID 1 that does not wait for orphans).
 */
static int process_gone(long pid)
{
	char path[64], buf[256];
	FILE *f;
	const char *p;
	size_t n;

	if (kill((pid_t)pid, 0) != 0)
		return 1;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* "pid (comm) S ...": the state follows the name */
	return p && p[1] == ' ' && p[2] == 'Z';
}

/*
 * release_worker: the page the worker (gone) held made claimable at once;
 * its count of attempts started again or kept.  Returns the pages released.
 */
static int release_worker(PGconn *conn, const char *worker, int reset_attempts, herr *e)
{
	static const char sql[] =
	    "UPDATE page_jobs SET status = 'pending', lease_until = NULL, updated_at = now(),"
	    " attempts = CASE WHEN $2::boolean THEN 0 ELSE attempts END"
	    " WHERE status = 'running' AND worker = $1";
	const char *v[2] = { worker, reset_attempts ? "true" : "false" };
	PGresult *res = db_params(conn, sql, 2, v, PGRES_COMMAND_OK, e);
	int n;

	if (!res)
		return -1;
	n = (int)strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return n;
}

int batch_job_release_dead(PGconn *conn, const char *host, herr *e)
{
	static const char list[] = "SELECT DISTINCT worker FROM page_jobs"
				   " WHERE status = 'running' AND worker LIKE $1 || ':%'";
	PGresult *res = db_params(conn, list, 1, &host, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *w = PQgetvalue(res, i, 0), *colon = strrchr(w, ':');
		long pid = colon ? strtol(colon + 1, NULL, 10) : 0;

		/*
		 * attempts start again: a reader gone before this run began was
		 * killed with its run (kill -9, power cut) as often as by the page
		 * itself, and a page that really brings workers down is found
		 * again within this run
		 */
		if (pid > 0 && process_gone(pid) && release_worker(conn, w, 1, e) < 0) {
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

int batch_job_release_worker(PGconn *conn, const char *worker, herr *e)
{
	return release_worker(conn, worker, 0, e);
}

/* The file is done when none of its pages is left to read. */
static const char file_done_sql[] =
    "UPDATE source_files SET status = 'loaded', loaded_at = now()"
    " WHERE file_id = $1 AND status = 'pending' AND NOT EXISTS"
    " (SELECT 1 FROM page_jobs WHERE file_id = $1 AND status NOT IN ('done', 'failed'))";

int batch_job_fail(PGconn *conn, const struct page_job *j, const char *error, herr *e)
{
	static const char sql[] = "UPDATE page_jobs SET status = 'failed', error = $3,"
				  " lease_until = NULL, updated_at = now()"
				  " WHERE file_id = $1 AND page_no = $2";
	char fid[24], pno[16];
	const char *v[3] = { fid, pno, error };
	PGresult *res;

	snprintf(fid, sizeof(fid), "%ld", j->file_id);
	snprintf(pno, sizeof(pno), "%d", j->page_no);
	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	res = db_params(conn, sql, 3, v, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	res = db_params(conn, file_done_sql, 1, v, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	return db_exec(conn, "COMMIT", e);
fail:
	db_rollback(conn);
	return -1;
}

/* ------------------------------------------------------------------------
 * Results
 * ---------------------------------------------------------------------- */

static const char *jfield(json_t *fields, const char *name)
{
	json_t *f, *v;

	if (!name || !fields)
		return NULL;
	f = json_object_get(fields, name);
	v = f ? json_object_get(f, "value") : NULL;
	return v && json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *jfield_of(void *fields, const char *name)
{
	return jfield(fields, name);
}

/* The people of a record: one COPY row each, typed for matching. */
/* The folded key of a name (the look-up's, search.c), or NULL. */
static void fold_field(strbuf *rows, const char *name, int last)
{
	strbuf key = STRBUF_INIT;

	if (name)
		vn_fold(name, -1, &key);
	db_copy_field(rows, name ? key.buf : NULL, last);
	strbuf_release(&key);
}

/* A person's 9-digit legacy card: the field of the role's ID number with
 * "cmnd_number" for "id_number" ("husband_cmnd_number"), or NULL. */
static const char *cmnd_of(const struct match_role *ro, json_t *fields)
{
	char fname[64];
	const char *v, *suffix;
	size_t n;

	if (!ro->id_number || !(suffix = strstr(ro->id_number, "id_number")))
		return NULL;
	n = (size_t)(suffix - ro->id_number);
	if (n + sizeof("cmnd_number") > sizeof(fname))
		return NULL;
	memcpy(fname, ro->id_number, n);
	memcpy(fname + n, "cmnd_number", sizeof("cmnd_number"));
	v = jfield(fields, fname);
	if (!v || strlen(v) != 9 || strspn(v, "0123456789") != 9)
		return NULL;
	return v;
}

void batch_people_rows(strbuf *rows, const char *record_id, const char *doc_type, json_t *fields)
{
	const struct match_role *roles;
	int n = match_roles(doc_type, &roles);

	for (int k = 0; k < n; k++) {
		const struct match_role *ro = &roles[k];
		struct match_fields mf;
		const char *name, *id, *bp, *sex;
		strbuf key = STRBUF_INIT;
		struct vn_place pl;
		char prov[4] = "", prov_now[4] = "";
		int digits;

		match_role_fields(ro, jfield_of, fields, &mf);
		name = mf.full_name;
		id = mf.id_number;
		bp = mf.birthplace;
		sex = mf.sex;
		digits = id && strlen(id) == 12;
		if (name)
			vn_fold(name, -1, &key);
		if (bp && vn_place_parse(bp, &pl, NULL) == 0) {
			memcpy(prov, pl.province_code, 4);
			memcpy(prov_now, pl.province_now_code, 4);
		}
		for (const char *p = id; digits && *p; p++)
			digits = *p >= '0' && *p <= '9';
		db_copy_field(rows, record_id, 0);
		db_copy_field(rows, ro->role, 0);
		db_copy_field(rows, name, 0);
		db_copy_field(rows, name ? key.buf : NULL, 0);
		db_copy_field(rows, mf.dob, 0);
		db_copy_field(rows, sex && (!strcmp(sex, "nam") || !strcmp(sex, "nu")) ? sex : NULL,
			      0);
		db_copy_field(rows, digits ? id : NULL, 0);
		db_copy_field(rows, cmnd_of(ro, fields), 0);
		db_copy_field(rows, bp, 0);
		db_copy_field(rows, prov[0] ? prov : NULL, 0);
		db_copy_field(rows, prov_now[0] ? prov_now : NULL, 0);
		db_copy_field(rows, mf.father_name, 0);
		db_copy_field(rows, mf.mother_name, 0);
		fold_field(rows, mf.father_name, 0);
		fold_field(rows, mf.mother_name, 1);
		strbuf_release(&key);
	}
}

/*
 * The records of a new page (the contract's JSON, one object per record)
 * and their people, by COPY.  The page row was just inserted, so none of
 * its records can exist (a record_ref is the file's hash, the page and
 * the index); UNIQUE (record_ref) would refuse one that did.
 */
/*
 * record_office: the office a record is counted under (office.c): its
 * scans' office, else the unit printed, else none; a printed unit that is
 * not the scans' office, and an office not known at all, flag the
 * record's registry_office field for review with the reason, and add a
 * warning to the record.  *office is malloc'd (NULL: unknown).
 */
static void record_office(const struct office_index *offices, const char *file_office, json_t *rec,
			  char **office)
{
	json_t *fields = json_object_get(rec, "fields"), *f, *warn;
	const char *printed;
	char *printed_office = NULL, *why = NULL;
	const char *tag = NULL;

	f = fields ? json_object_get(fields, "registry_office") : NULL;
	printed = f && json_is_string(json_object_get(f, "value"))
		      ? json_string_value(json_object_get(f, "value"))
		      : NULL;
	switch (office_decide(offices, file_office, printed, office, &printed_office)) {
	case OFFICE_DIFFERS:
		why = xasprintf("the office printed (%s) is not the office of the scans (%s)",
				printed_office, *office);
		tag = "office_differs";
		break;
	case OFFICE_UNKNOWN:
		why = xstrdup(printed ? "the office printed is no administrative unit known"
				      : "no office printed, and none given for the scans");
		tag = "office_unknown";
		break;
	default:
		break;
	}
	free(printed_office);
	if (!why || !fields)
		goto out;
	if (!f) {
		/* not read on the page: the field a reviewer fills in */
		f = json_pack("{s:n, s:f, s:b}", "value", "conf", 0.0, "review", 1);
		json_object_set_new(fields, "registry_office", f);
	} else {
		const char *before = json_is_true(json_object_get(f, "review"))
					 ? json_string_value(json_object_get(f, "why"))
					 : NULL;

		if (before && *before) {
			char *both = xasprintf("%s; %s", before, why);

			free(why);
			why = both;
		}
		json_object_set_new(f, "review", json_true());
	}
	json_object_set_new(f, "why", json_string(why));
	warn = json_object_get(rec, "warnings");
	if (!json_is_array(warn)) {
		warn = json_array();
		json_object_set_new(rec, "warnings", warn);
	}
	json_array_append_new(warn, json_string(tag));
out:
	free(why);
}

static int store_records(PGconn *conn, const char *page_id, const struct ocr_page *p,
			 const char *path, const char *sha256, const char *file_office,
			 const struct office_index *offices, herr *e)
{
	static const char copy_records[] =
	    "COPY records (record_ref, page_id, rec_index, doc_type, registry_office,"
	    " register_no, book_no, registered_on, mean_conf, n_review, fields, warnings)"
	    " FROM STDIN";
	static const char copy_people[] =
	    "COPY record_people (record_id, role, full_name, name_key, dob, sex,"
	    " id_number, cmnd_number, birthplace, birth_province, birth_province_now, father_name,"
	    " mother_name, father_key, mother_key)"
	    " FROM STDIN";
	static const char ids_sql[] = "SELECT rec_index, record_id FROM records WHERE page_id = $1";
	strbuf js = STRBUF_INIT, rows = STRBUF_INIT;
	json_t *recs[8];
	int nrecs = 0, rc = 0;
	char *save = NULL, *line;
	PGresult *res = NULL;

	if (!p->nrec)
		return 0;
	ocr_page_json(p, path, sha256, &js);
	for (line = strtok_r(js.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(line, 0, NULL), *fields;
		char *fj, *wj, idx[8], conf[32], nrev[16], *office = NULL;
		const char *ref, *doc, *colon;
		int nr = 0;

		ref = o ? json_string_value(json_object_get(o, "record_ref")) : NULL;
		colon = ref ? strrchr(ref, ':') : NULL;
		if (!colon || nrecs == (int)(sizeof(recs) / sizeof(recs[0]))) {
			json_decref(o);
			rc = herr_set(e, HT_EXIT_FATAL, "%s: page %d: bad record JSON", path,
				      p->page_no);
			goto out;
		}
		recs[nrecs++] = o;
		record_office(offices, file_office, o, &office);
		doc = json_string_value(json_object_get(o, "doc_type"));
		fields = json_object_get(o, "fields");
		{
			const char *k;
			json_t *f;

			json_object_foreach(fields, k, f) nr +=
			    json_is_true(json_object_get(f, "review"));
		}
		fj = json_dumps(fields, JSON_COMPACT | JSON_REAL_PRECISION(6));
		wj = json_dumps(json_object_get(o, "warnings"), JSON_COMPACT);
		snprintf(idx, sizeof(idx), "%s", colon + 1);
		snprintf(conf, sizeof(conf), "%.4f",
			 json_number_value(json_object_get(o, "mean_conf")));
		snprintf(nrev, sizeof(nrev), "%d", nr);
		db_copy_field(&rows, ref, 0);
		db_copy_field(&rows, page_id, 0);
		db_copy_field(&rows, idx, 0);
		db_copy_field(&rows, doc, 0);
		db_copy_field(&rows, office, 0);
		free(office);
		office = NULL;
		db_copy_field(&rows, jfield(fields, "register_no"), 0);
		db_copy_field(&rows, jfield(fields, "book_no"), 0);
		db_copy_field(&rows, jfield(fields, "registered_on"), 0);
		db_copy_field(&rows, conf, 0);
		db_copy_field(&rows, nrev, 0);
		db_copy_field(&rows, fj ? fj : "{}", 0);
		db_copy_field(&rows, wj ? wj : "[]", 1);
		free(fj);
		free(wj);
	}
	if (db_copy_rows(conn, copy_records, &rows, "records", e) < 0) {
		rc = -1;
		goto out;
	}
	/* their ids, for their people */
	res = db_params(conn, ids_sql, 1, &page_id, PGRES_TUPLES_OK, e);
	if (!res) {
		rc = -1;
		goto out;
	}
	for (int i = 0; i < nrecs; i++) {
		const char *ref = json_string_value(json_object_get(recs[i], "record_ref"));
		const char *idx = strrchr(ref, ':') + 1;

		for (int r = 0; r < PQntuples(res); r++)
			if (!strcmp(PQgetvalue(res, r, 0), idx))
				batch_people_rows(
				    &rows, PQgetvalue(res, r, 1),
				    json_string_value(json_object_get(recs[i], "doc_type")),
				    json_object_get(recs[i], "fields"));
	}
	if (rows.len && db_copy_rows(conn, copy_people, &rows, "record_people", e) < 0)
		rc = -1;
out:
	PQclear(res);
	for (int i = 0; i < nrecs; i++)
		json_decref(recs[i]);
	strbuf_release(&rows);
	strbuf_release(&js);
	return rc;
}

int batch_page_store(PGconn *conn, const struct page_job *j, const struct ocr_page *p,
		     const struct office_index *offices, herr *e)
{
	static const char ins_page[] =
	    "INSERT INTO pages (file_id, page_no, doc_type, width_px, height_px, dpi, rotation,"
	    " skew_deg, mean_conf, preprocess, ocr_ms, text, warnings)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, string_to_array($10, ','), $11, $12,"
	    " $13::jsonb) ON CONFLICT (file_id, page_no) DO NOTHING RETURNING page_id";
	static const char done[] = "UPDATE page_jobs SET status = 'done', lease_until = NULL,"
				   " error = NULL, updated_at = now()"
				   " WHERE file_id = $1 AND page_no = $2";
	char fid[24], pno[16], w[16], h[16], dpi[16], rot[8], skew[32], conf[32], ms[24];
	json_t *warn = json_array();
	char *wj;
	const char *v[13];
	PGresult *res;

	snprintf(fid, sizeof(fid), "%ld", j->file_id);
	snprintf(pno, sizeof(pno), "%d", j->page_no);
	snprintf(w, sizeof(w), "%d", p->width);
	snprintf(h, sizeof(h), "%d", p->height);
	snprintf(dpi, sizeof(dpi), "%d", p->dpi > 0 ? p->dpi : 300);
	snprintf(rot, sizeof(rot), "%d", p->rotation);
	snprintf(skew, sizeof(skew), "%.3f", p->skew_deg);
	snprintf(conf, sizeof(conf), "%.4f",
		 p->mean_conf < 0   ? 0
		 : p->mean_conf > 1 ? 1
				    : p->mean_conf);
	snprintf(ms, sizeof(ms), "%ld", p->ms);
	for (int i = 0; i < p->nwarnings; i++)
		json_array_append_new(warn, json_string(p->warnings[i]));
	wj = json_dumps(warn, JSON_COMPACT);
	json_decref(warn);
	v[0] = fid;
	v[1] = pno;
	v[2] = p->nrec ? p->rec[0].doc_type : "unknown";
	v[3] = w;
	v[4] = h;
	v[5] = dpi;
	v[6] = rot;
	v[7] = skew;
	v[8] = conf;
	v[9] = p->steps;
	v[10] = ms;
	v[11] = p->text.buf;
	v[12] = wj ? wj : "[]";
	/*
	 * Not waiting for the WAL flush: a page's commit lost in a crash of
	 * the server takes its job's "done" with it (one transaction), so
	 * the page is read again, never stored twice; the batch's closing
	 * commit (synchronous) makes every page before it durable.
	 */
	if (db_exec(conn, "BEGIN; SET LOCAL synchronous_commit TO off", e) < 0) {
		free(wj);
		return -1;
	}
	res = db_params(conn, ins_page, 13, v, PGRES_TUPLES_OK, e);
	free(wj);
	if (!res)
		goto fail;
	if (PQntuples(res) == 1) {
		char page_id[24];

		snprintf(page_id, sizeof(page_id), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		if (store_records(conn, page_id, p, j->path, j->sha256, j->office, offices, e) < 0)
			goto fail;
	} else {
		/* stored already: another worker's lease ran out after it committed */
		PQclear(res);
	}
	res = db_params(conn, done, 2, v, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	res = db_params(conn, file_done_sql, 1, v, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	return db_exec(conn, "COMMIT", e);
fail:
	db_rollback(conn);
	return -1;
}

int batch_queue_counts(PGconn *conn, long batch_id, struct batch_queue_counts *c, herr *e)
{
	/* batch_id 0: this run's batch and every batch left open */
	static const char sql[] =
	    "WITH b AS (SELECT batch_id FROM batches WHERE batch_id = $1::bigint"
	    "  OR ($1::bigint = 0 AND status <> 'done'))"
	    " SELECT (SELECT count(*) FROM source_files WHERE batch_id IN (SELECT * FROM b)),"
	    " (SELECT count(*) FROM source_files WHERE batch_id IN (SELECT * FROM b)"
	    "  AND status = 'loaded'),"
	    " (SELECT count(*) FROM source_files WHERE batch_id IN (SELECT * FROM b)"
	    "  AND status = 'rejected'),"
	    " count(*), count(*) FILTER (WHERE j.status = 'done'),"
	    " count(*) FILTER (WHERE j.status = 'failed'),"
	    " count(*) FILTER (WHERE j.status = 'running')"
	    " FROM page_jobs j JOIN source_files f USING (file_id)"
	    " WHERE f.batch_id IN (SELECT * FROM b)";
	char b[24];
	const char *v[1] = { b };
	PGresult *res;

	snprintf(b, sizeof(b), "%ld", batch_id);
	res = db_params(conn, sql, 1, v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	c->files = db_long(res, 0, 0);
	c->files_loaded = db_long(res, 0, 1);
	c->files_rejected = db_long(res, 0, 2);
	c->pages = db_long(res, 0, 3);
	c->pages_done = db_long(res, 0, 4);
	c->pages_failed = db_long(res, 0, 5);
	c->pages_running = db_long(res, 0, 6);
	PQclear(res);
	return 0;
}

int batch_files_loaded_among(PGconn *conn, const long *ids, size_t n, long *loaded, herr *e)
{
	static const char sql[] = "SELECT count(*) FROM source_files"
				  " WHERE file_id = ANY ($1::bigint[]) AND status = 'loaded'";
	strbuf a = STRBUF_INIT;
	const char *v[1];
	PGresult *res;

	*loaded = 0;
	if (!n)
		return 0;
	strbuf_addch(&a, '{');
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&a, "%s%ld", i ? "," : "", ids[i]);
	strbuf_addch(&a, '}');
	v[0] = a.buf;
	res = db_params(conn, sql, 1, v, PGRES_TUPLES_OK, e);
	strbuf_release(&a);
	if (!res)
		return -1;
	*loaded = db_long(res, 0, 0);
	PQclear(res);
	return 0;
}

int batch_queue_pending(PGconn *conn, long *pending, long *running, herr *e)
{
	/* a page whose lease ran out is claimable: pending, not running */
	static const char sql[] =
	    "SELECT count(*) FILTER (WHERE status = 'pending' OR lease_until < now()),"
	    " count(*) FILTER (WHERE status = 'running' AND lease_until >= now())"
	    " FROM page_jobs WHERE status IN ('pending', 'running')";
	PGresult *res = db_params(conn, sql, 0, NULL, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	*pending = db_long(res, 0, 0);
	*running = db_long(res, 0, 1);
	PQclear(res);
	return 0;
}

/* ------------------------------------------------------------------------
 * Matches
 * ---------------------------------------------------------------------- */

static const char *keep(struct people_set *ps, const char *s)
{
	if (!s)
		return NULL;
	if ((ps->nstrings & 1023) == 0)
		ps->strings = xrealloc(ps->strings, (ps->nstrings + 1024) * sizeof(*ps->strings));
	return ps->strings[ps->nstrings++] = xstrdup(s);
}

int batch_people_for_matching(PGconn *conn, long batch_id, struct people_set *ps, herr *e)
{
	static const char base[] =
	    "SELECT p.record_id, p.role, r.record_ref, r.doc_type, p.full_name, p.dob, p.sex,"
	    " p.id_number, p.birthplace, p.father_name, p.mother_name"
	    " FROM record_people p JOIN records r USING (record_id)";
	strbuf sql = STRBUF_INIT;
	char b[24];
	const char *v[1] = { b };
	PGresult *res;

	memset(ps, 0, sizeof(*ps));
	strbuf_addstr(&sql, base);
	if (batch_id > 0)
		strbuf_addstr(&sql, " JOIN pages pg ON pg.page_id = r.page_id"
				    " JOIN source_files f ON f.file_id = pg.file_id"
				    " WHERE f.batch_id = $1::bigint");
	else if (batch_id == 0)
		strbuf_addstr(&sql, " WHERE $1::bigint = 0 AND NOT EXISTS (SELECT 1 FROM matches m"
				    " WHERE m.record_id = p.record_id AND m.role = p.role"
				    " AND m.status IN ('auto', 'confirmed'))");
	else
		strbuf_addstr(&sql, " WHERE $1::bigint < 0");
	strbuf_addstr(&sql, " ORDER BY p.record_id, p.role");
	snprintf(b, sizeof(b), "%ld", batch_id);
	res = db_params(conn, sql.buf, 1, v, PGRES_TUPLES_OK, e);
	strbuf_release(&sql);
	if (!res)
		return -1;
	ps->n = (size_t)PQntuples(res);
	ps->q = xcalloc(ps->n ? ps->n : 1, sizeof(*ps->q));
	ps->record_id = xcalloc(ps->n ? ps->n : 1, sizeof(*ps->record_id));
	for (size_t i = 0; i < ps->n; i++) {
		struct match_query *q = &ps->q[i];
		const struct match_role *roles;
		int nr = match_roles(PQgetvalue(res, (int)i, 3), &roles);
		const char *role = PQgetvalue(res, (int)i, 1);
		strbuf ref = STRBUF_INIT;

#define COL(k) (PQgetisnull(res, (int)i, k) ? NULL : keep(ps, PQgetvalue(res, (int)i, k)))
		ps->record_id[i] = db_long(res, (int)i, 0);
		for (int k = 0; k < nr; k++)
			if (!strcmp(roles[k].role, role))
				q->role = &roles[k];
		strbuf_addf(&ref, "%s%s", PQgetvalue(res, (int)i, 2),
			    q->role ? q->role->suffix : "");
		q->ref = keep(ps, ref.buf);
		strbuf_release(&ref);
		q->doc_type = COL(3);
		q->f.full_name = COL(4);
		q->f.dob = COL(5);
		q->f.sex = COL(6);
		q->f.id_number = COL(7);
		q->f.birthplace = COL(8);
		q->f.father_name = COL(9);
		q->f.mother_name = COL(10);
#undef COL
	}
	PQclear(res);
	return 0;
}

void batch_people_set_release(struct people_set *ps)
{
	for (size_t i = 0; i < ps->nstrings; i++)
		free(ps->strings[i]);
	free(ps->strings);
	free(ps->q);
	free(ps->record_id);
	memset(ps, 0, sizeof(*ps));
}

int batch_matches_store(PGconn *conn, long batch_id, const struct match_model *m,
			const struct match_registry *r, const struct people_set *ps,
			const struct match_result *res, const struct match_json *js, int close,
			long *kept, herr *e)
{
	/* with the matches: the batch is complete, unless a page of it is
	 * still to be read (then a later run matches it again) */
	static const char close_sql[] =
	    "UPDATE batches SET status = 'done', finished_at = now() WHERE batch_id = $1::bigint"
	    " AND NOT EXISTS (SELECT 1 FROM page_jobs j JOIN source_files f USING (file_id)"
	    "  WHERE f.batch_id = $1::bigint AND j.status IN ('pending', 'running'))";
	static const char model_sql[] = "INSERT INTO match_models (model_version, batch_id, params)"
					" VALUES ($1, NULLIF($2, '0')::bigint, $3::jsonb)"
					" ON CONFLICT (model_version) DO NOTHING";
	/* the matches COPY'd into a staging table, then upserted in one
	 * statement: a reviewer's decision stands; a newer run replaces an
	 * automatic one */
	static const char stage_sql[] =
	    "CREATE TEMP TABLE matches_stage (record_id bigint, role text, citizen_id text,"
	    " score double precision, status text, model_version text, explanation jsonb,"
	    " candidates jsonb, discrepancies jsonb) ON COMMIT DROP";
	static const char copy_sql[] = "COPY matches_stage FROM STDIN";
	static const char upsert_sql[] =
	    "WITH up AS (INSERT INTO matches (record_id, role, citizen_id, score, status,"
	    "  model_version, explanation, candidates, discrepancies)"
	    " SELECT record_id, role::person_role, citizen_id::id_number, score, status,"
	    "  model_version, explanation, candidates, discrepancies FROM matches_stage"
	    " ON CONFLICT (record_id, role) DO UPDATE SET citizen_id = EXCLUDED.citizen_id,"
	    "  score = EXCLUDED.score, status = EXCLUDED.status,"
	    "  model_version = EXCLUDED.model_version, explanation = EXCLUDED.explanation,"
	    "  candidates = EXCLUDED.candidates, discrepancies = EXCLUDED.discrepancies,"
	    "  updated_at = now()"
	    " WHERE matches.status IN ('auto', 'review', 'none')"
	    " RETURNING 1) SELECT count(*) FROM up";
	strbuf rows = STRBUF_INIT;
	strbuf mj = STRBUF_INIT;
	char b[24];
	PGresult *pr;
	int copying = 0;

	*kept = 0;
	match_model_json(m, &mj);
	snprintf(b, sizeof(b), "%ld", batch_id > 0 ? batch_id : 0);
	if (db_exec(conn, "BEGIN", e) < 0) {
		strbuf_release(&mj);
		return -1;
	}
	{
		const char *v[3] = { m->version, b, mj.buf };

		pr = db_params(conn, model_sql, 3, v, PGRES_COMMAND_OK, e);
		strbuf_release(&mj);
		if (!pr)
			goto fail;
		PQclear(pr);
	}
	if (db_exec(conn, stage_sql, e) < 0)
		goto fail;
	if (db_copy_begin(conn, copy_sql, e) < 0)
		goto fail;
	copying = 1;
	for (size_t i = 0; i < ps->n; i++) {
		const struct match_result *rs = &res[i];
		char rid[24], score[32];
		const char *cit =
		    rs->citizen >= 0 ? match_registry_id(r, (size_t)rs->citizen) : NULL;

		snprintf(rid, sizeof(rid), "%ld", ps->record_id[i]);
		snprintf(score, sizeof(score), "%.6f",
			 rs->score < 0	 ? 0
			 : rs->score > 1 ? 1
					 : rs->score);
		db_copy_field(&rows, rid, 0);
		db_copy_field(&rows, ps->q[i].role ? ps->q[i].role->role : "subject", 0);
		db_copy_field(&rows, cit, 0);
		db_copy_field(&rows, score, 0);
		db_copy_field(&rows, cit ? rs->status : "none", 0);
		db_copy_field(&rows, m->version, 0);
		db_copy_field(&rows, js[i].explanation, 0);
		db_copy_field(&rows, js[i].candidates, 0);
		db_copy_field(&rows, js[i].discrepancies, 1);
		if (rows.len > (1 << 20) && db_copy_send(conn, &rows, e) < 0)
			goto fail;
	}
	if (db_copy_send(conn, &rows, e) < 0)
		goto fail;
	copying = 0;
	if (db_copy_end(conn, "matches_stage", e) < 0)
		goto fail;
	pr = db_params(conn, upsert_sql, 0, NULL, PGRES_TUPLES_OK, e);
	if (!pr)
		goto fail;
	/* the people whose match was not written: a reviewer decided them */
	*kept = (long)ps->n - db_long(pr, 0, 0);
	PQclear(pr);
	strbuf_release(&rows);
	if (close && batch_id > 0) {
		const char *v[1] = { b };

		pr = db_params(conn, close_sql, 1, v, PGRES_COMMAND_OK, e);
		if (!pr)
			goto fail;
		PQclear(pr);
	}
	return db_exec(conn, "COMMIT", e);
fail:
	strbuf_release(&rows);
	/* out of COPY state first: a ROLLBACK is no COPY row */
	if (copying)
		db_copy_abort(conn, "the matches could not be sent");
	db_rollback(conn);
	return -1;
}

int batch_counts_json(PGconn *conn, long batch_id, strbuf *out, herr *e)
{
	/* a small read-only summary: counts per doc_type of this batch */
	static const char sql[] =
	    "SELECT json_build_object('pages', coalesce((SELECT json_object_agg(t, n)"
	    " FROM (SELECT pg.doc_type AS t, count(*) AS n FROM pages pg"
	    "  JOIN source_files f USING (file_id) WHERE f.batch_id = $1::bigint"
	    "  GROUP BY 1) x), '{}'::json), 'records', (SELECT count(*) FROM records r"
	    " JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f"
	    " ON f.file_id = pg.file_id WHERE f.batch_id = $1::bigint))::text";
	char b[24];
	const char *p[1] = { b };

	snprintf(b, sizeof(b), "%ld", batch_id);
	return db_query_value(conn, sql, 1, p, out, e);
}
