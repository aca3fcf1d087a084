/*
 * conn.c — where the database is, and connecting to it.
 *
 * The order is the contract's: --db, $DATABASE_URL, libpq's PG* variables
 * (when PGHOST or PGDATABASE is set), then the project-local cluster, which
 * is initialized and started on first use.  Connection strings may hold a
 * password, so they are never printed: messages describe a connection from
 * its live parameters (db_describe) or by where it came from.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

const char *db_source_name(enum db_source source)
{
	switch (source) {
	case DB_SOURCE_OPTION:
		return "--db";
	case DB_SOURCE_URL_ENV:
		return "DATABASE_URL";
	case DB_SOURCE_PG_ENV:
		return "PG* environment";
	case DB_SOURCE_LOCAL:
		return "local cluster";
	}
	return "?";
}

static int env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

int db_target_resolve(struct db_target *t, const char *opt_db, herr *e)
{
	const char *home = getenv("HOTICH_HOME");
	char *base;

	memset(t, 0, sizeof(*t));
	base = fs_absolute_path(home && *home ? home : ".");
	t->var_dir = xasprintf("%s/var", base);
	free(base);

	if (opt_db) {
		if (!*opt_db) {
			db_target_release(t);
			return herr_set(e, HT_EXIT_USAGE, "--db needs a connection string");
		}
		t->source = DB_SOURCE_OPTION;
		t->conninfo = xstrdup(opt_db);
	} else if (env_set("DATABASE_URL")) {
		t->source = DB_SOURCE_URL_ENV;
		t->conninfo = xstrdup(getenv("DATABASE_URL"));
	} else if (env_set("PGHOST") || env_set("PGDATABASE")) {
		t->source = DB_SOURCE_PG_ENV;
		t->conninfo = xstrdup("");
	} else {
		t->source = DB_SOURCE_LOCAL;
		t->conninfo = NULL; /* known once the cluster runs */
	}
	return 0;
}

void db_target_release(struct db_target *t)
{
	if (!t)
		return;
	free(t->conninfo);
	free(t->var_dir);
	t->conninfo = NULL;
	t->var_dir = NULL;
}

/* Notices from the server go to our log at debug level, not raw to stderr. */
static void notice_to_log(void *arg, const char *message)
{
	size_t len = strlen(message);

	(void)arg;
	while (len && message[len - 1] == '\n')
		len--;
	log_debug("server: %.*s", (int)len, message);
}

static PGconn *connect_conninfo(const char *conninfo, const char *what, herr *e)
{
	/*
	 * Defaults come before "dbname" so that the user's string (expanded from
	 * dbname) can override application_name; client_encoding is forced after
	 * it because every string hotich handles is UTF-8.
	 */
	const char *const keys[] = { "application_name", "dbname", "client_encoding", NULL };
	const char *const vals[] = { "hotich", conninfo, "UTF8", NULL };
	PGconn *conn = PQconnectdbParams(keys, vals, 1);

	if (!conn)
		xdie_oom(0);
	if (PQstatus(conn) != CONNECTION_OK) {
		strbuf msg = STRBUF_INIT;

		strbuf_addstr(&msg, PQerrorMessage(conn));
		strbuf_rtrim(&msg);
		herr_set(e, HT_EXIT_FATAL, "could not connect to the database (%s): %s", what,
			 msg.buf);
		strbuf_release(&msg);
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, notice_to_log, NULL);
	/* All of hotich's objects live in the schema "hotich" (see schema.c). */
	if (db_exec(conn, "SET search_path TO hotich", e) < 0) {
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static PGconn *open_local(const struct db_target *t, unsigned flags, herr *e)
{
	struct pg_cluster cluster;
	struct db_cluster_state st;
	PGconn *conn = NULL;
	char *conninfo = NULL;
	int started = 0;

	if (db_cluster_init(&cluster, t->var_dir, e) < 0)
		return NULL;
	if (db_cluster_state(&cluster, &st, e) < 0)
		goto cleanup;
	if (!st.running) {
		if (!(flags & DB_OPEN_START_LOCAL)) {
			herr_set(e, HT_EXIT_FATAL,
				 "the local cluster in \"%s\" is %s: run 'hotich db start'",
				 cluster.dir, st.initialized ? "not running" : "not initialized");
			goto cleanup;
		}
		if (db_cluster_start(&cluster, NULL, &started, e) < 0)
			goto cleanup;
		if (db_cluster_state(&cluster, &st, e) < 0)
			goto cleanup;
		if (started)
			log_info("started the local cluster in \"%s\"", cluster.dir);
	}
	conninfo = db_cluster_conninfo(&cluster, st.port, "hotich");
	conn = connect_conninfo(conninfo, "local cluster", e);
cleanup:
	free(conninfo);
	db_cluster_release(&cluster);
	return conn;
}

PGconn *db_open(const struct db_target *t, unsigned flags, herr *e)
{
	PGconn *conn;
	int from = 0, to = 0;

	if (t->source == DB_SOURCE_LOCAL)
		conn = open_local(t, flags, e);
	else
		conn = connect_conninfo(t->conninfo, db_source_name(t->source), e);
	if (!conn)
		return NULL;

	if (t->source == DB_SOURCE_LOCAL && (flags & DB_OPEN_MIGRATE_LOCAL)) {
		if (schema_migrate(conn, &from, &to, e) < 0)
			goto fail;
		if (from != to)
			log_info("schema of the local cluster brought from version %d to %d", from,
				 to);
	}
	if ((flags & DB_OPEN_CHECK_SCHEMA) && schema_check(conn, e) < 0)
		goto fail;
	return conn;
fail:
	PQfinish(conn);
	return NULL;
}

void db_close(PGconn *conn)
{
	PQfinish(conn);
}

int db_as_web(PGconn *conn, herr *e)
{
	return db_exec(conn, "SET ROLE hotich_web", e);
}

int db_alive(PGconn *conn)
{
	return PQstatus(conn) == CONNECTION_OK;
}

int db_idle(PGconn *conn)
{
	if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
		PGresult *r = PQexec(conn, "ROLLBACK");

		PQclear(r);
	}
	return PQtransactionStatus(conn) == PQTRANS_IDLE ? 0 : -1;
}

int db_server_version(PGconn *conn)
{
	return PQserverVersion(conn);
}

int db_client_version(void)
{
	return PQlibVersion();
}

int db_contents(PGconn *conn, struct db_contents *out, herr *e)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM batches), (SELECT count(*) FROM source_files),"
	    " (SELECT count(*) FROM source_files WHERE status = 'rejected'),"
	    " (SELECT count(*) FROM pages), (SELECT count(*) FROM records),"
	    " (SELECT count(*) FROM citizens), (SELECT count(*) FROM matches),"
	    " (SELECT count(*) FROM users)";
	PGresult *res = db_params(conn, sql, 0, NULL, PGRES_TUPLES_OK, e);

	memset(out, 0, sizeof(*out));
	if (!res)
		return -1;
	out->batches = db_long(res, 0, 0);
	out->files = db_long(res, 0, 1);
	out->rejected_files = db_long(res, 0, 2);
	out->pages = db_long(res, 0, 3);
	out->records = db_long(res, 0, 4);
	out->citizens = db_long(res, 0, 5);
	out->matches = db_long(res, 0, 6);
	out->users = db_long(res, 0, 7);
	PQclear(res);
	return 0;
}

void db_describe(PGconn *conn, strbuf *out)
{
	const char *host = PQhost(conn);
	const char *port = PQport(conn);

	strbuf_addf(out, "database \"%s\" on %s%s%s as \"%s\"", PQdb(conn),
		    host && *host ? host : "localhost", port && *port ? ":" : "", port ? port : "",
		    PQuser(conn));
}

static void first_line(strbuf *out, const char *sql)
{
	const char *nl;

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	nl = strchr(sql, '\n');
	strbuf_add(out, sql, nl ? (size_t)(nl - sql) : strlen(sql));
}

int db_result_error(PGconn *conn, PGresult *res, const char *sql, herr *e)
{
	strbuf msg = STRBUF_INIT;

	strbuf_addstr(&msg, res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	strbuf_rtrim(&msg);
	strbuf_addstr(&msg, " (query: ");
	first_line(&msg, sql);
	strbuf_addch(&msg, ')');
	herr_set(e, HT_EXIT_FATAL, "%s", msg.buf);
	strbuf_release(&msg);
	PQclear(res);
	return -1;
}

int db_exec(PGconn *conn, const char *sql, herr *e)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return db_result_error(conn, res, sql, e);
	PQclear(res);
	return 0;
}

int db_query_value(PGconn *conn, const char *sql, int nparams, const char *const *params,
		   strbuf *out, herr *e)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	int found = 0;

	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
		return db_result_error(conn, res, sql, e);
	strbuf_reset(out);
	if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0)) {
		strbuf_addstr(out, PQgetvalue(res, 0, 0));
		found = 1;
	}
	PQclear(res);
	return found;
}

PGresult *db_params(PGconn *conn, const char *sql, int n, const char *const *v, int want, herr *e)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, v, NULL, NULL, 0);

	if (!res || PQresultStatus(res) != (ExecStatusType)want) {
		db_result_error(conn, res, sql, e);
		return NULL;
	}
	return res;
}

void db_copy_field(strbuf *row, const char *v, int last)
{
	if (!v) {
		strbuf_addstr(row, "\\N");
	} else {
		for (; *v; v++) {
			switch (*v) {
			case '\\':
				strbuf_addstr(row, "\\\\");
				break;
			case '\t':
				strbuf_addstr(row, "\\t");
				break;
			case '\n':
				strbuf_addstr(row, "\\n");
				break;
			case '\r':
				strbuf_addstr(row, "\\r");
				break;
			default:
				strbuf_addch(row, *v);
			}
		}
	}
	strbuf_addch(row, last ? '\n' : '\t');
}

int db_copy_send(PGconn *conn, strbuf *rows, herr *e)
{
	if (rows->len && PQputCopyData(conn, rows->buf, (int)rows->len) != 1)
		return herr_set(e, HT_EXIT_FATAL, "COPY failed: %s", PQerrorMessage(conn));
	strbuf_reset(rows);
	return 0;
}

int db_copy_begin(PGconn *conn, const char *copy_sql, herr *e)
{
	PGresult *res = PQexec(conn, copy_sql);

	if (!res || PQresultStatus(res) != PGRES_COPY_IN)
		return db_result_error(conn, res, copy_sql, e);
	PQclear(res);
	return 0;
}

int db_copy_rows(PGconn *conn, const char *copy_sql, strbuf *rows, const char *what, herr *e)
{
	if (db_copy_begin(conn, copy_sql, e) < 0)
		return -1;
	if (db_copy_send(conn, rows, e) < 0) {
		db_copy_abort(conn, "aborted");
		return -1;
	}
	return db_copy_end(conn, what, e);
}

void db_copy_abort(PGconn *conn, const char *why)
{
	PGresult *res;

	PQputCopyEnd(conn, why);
	while ((res = PQgetResult(conn)))
		PQclear(res);
}

int db_copy_end(PGconn *conn, const char *what, herr *e)
{
	PGresult *res;
	int ok;

	if (PQputCopyEnd(conn, NULL) != 1)
		return herr_set(e, HT_EXIT_FATAL, "COPY into %s failed: %s", what,
				PQerrorMessage(conn));
	res = PQgetResult(conn);
	ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		herr_set(e, HT_EXIT_FATAL, "COPY into %s failed: %s", what,
			 res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	PQclear(res);
	/* drain */
	while ((res = PQgetResult(conn)))
		PQclear(res);
	return ok ? 0 : -1;
}

long db_long(const PGresult *res, int row, int col)
{
	const char *v = PQgetvalue(res, row, col);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	return *end ? 0 : n;
}

void db_rows_take(PGresult *res, struct db_rows *out)
{
	int n = res ? PQntuples(res) : 0, nc = res ? PQnfields(res) : 0;

	out->n = n;
	out->ncols = nc;
	out->cell = n && nc ? xcalloc((size_t)n * (size_t)nc, sizeof(*out->cell)) : NULL;
	for (int i = 0; i < n; i++)
		for (int c = 0; c < nc; c++)
			if (!PQgetisnull(res, i, c))
				out->cell[(size_t)i * (size_t)nc + (size_t)c] =
				    xstrdup(PQgetvalue(res, i, c));
	PQclear(res);
}

int db_rows_query(PGconn *conn, const char *sql, int n, const char *const *v, struct db_rows *out,
		  herr *e)
{
	PGresult *res = db_params(conn, sql, n, v, PGRES_TUPLES_OK, e);

	db_rows_take(res, out);
	return res ? 0 : -1;
}

const char *db_rows_get(const struct db_rows *r, int row, int col)
{
	const char *v;

	if (row < 0 || row >= r->n || col < 0 || col >= r->ncols)
		return "";
	v = r->cell[(size_t)row * (size_t)r->ncols + (size_t)col];
	return v ? v : "";
}

int db_rows_isnull(const struct db_rows *r, int row, int col)
{
	if (row < 0 || row >= r->n || col < 0 || col >= r->ncols)
		return 1;
	return r->cell[(size_t)row * (size_t)r->ncols + (size_t)col] == NULL;
}

long db_rows_long(const struct db_rows *r, int row, int col)
{
	return strtol(db_rows_get(r, row, col), NULL, 10);
}

void db_rows_release(struct db_rows *r)
{
	for (size_t i = 0; r->cell && i < (size_t)r->n * (size_t)r->ncols; i++)
		free(r->cell[i]);
	free(r->cell);
	memset(r, 0, sizeof(*r));
}

int db_rollback(PGconn *conn)
{
	herr ignore = { 0 };

	return db_exec(conn, "ROLLBACK", &ignore);
}

long db_col_long(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtol(PQgetvalue(res, row, col), NULL, 10);
}

int db_held_item(PGconn *conn, const char *sql, int n, const char *const *v, char *kind, long *id,
		 herr *e)
{
	PGresult *res = db_params(conn, sql, n, v, PGRES_TUPLES_OK, e);
	int found;

	if (!res)
		return -1;
	found = PQntuples(res) > 0;
	if (found) {
		*kind = PQgetvalue(res, 0, 0)[0];
		*id = db_col_long(res, 0, 1);
	}
	PQclear(res);
	return found;
}

int db_claim_next(PGconn *conn, const struct db_two_queues *qs, const char *user,
		  const char *office, int lease_s, char *kind, long *id, herr *e)
{
	const char *v[3] = { user, office, NULL };
	char lease[16], idbuf[24];
	PGresult *r0 = NULL, *r1 = NULL, *up;
	int found = 0, which = 0;

	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	r0 = db_params(conn, qs->next[0], 2, v, PGRES_TUPLES_OK, e);
	r1 = r0 ? db_params(conn, qs->next[1], 2, v, PGRES_TUPLES_OK, e) : NULL;
	if (!r0 || !r1)
		goto fail;
	/* the oldest batch first; the first queue's item on a tie */
	if (PQntuples(r0) && (!PQntuples(r1) || db_col_long(r0, 0, 1) <= db_col_long(r1, 0, 1)))
		found = 1, which = 0;
	else if (PQntuples(r1))
		found = 1, which = 1;
	if (found) {
		*kind = qs->kind[which];
		*id = db_col_long(which ? r1 : r0, 0, 0);
		snprintf(idbuf, sizeof(idbuf), "%ld", *id);
		snprintf(lease, sizeof(lease), "%d", lease_s);
		v[1] = lease;
		v[2] = idbuf;
		up = db_params(conn, qs->claim[which], 3, v, PGRES_COMMAND_OK, e);
		if (!up)
			goto fail;
		PQclear(up);
	}
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	PQclear(r0);
	PQclear(r1);
	return found;
fail:
	PQclear(r0);
	PQclear(r1);
	db_rollback(conn);
	return -1;
}
