/*
 * migrate.c — the schema and its migrations.
 *
 * hotich keeps all its objects in the schema "hotich" of the database it is
 * given (so that it can share a database with other applications without a
 * clash of table names); every connection sets search_path to it.
 *
 * Migrations are the numbered SQL files of loaders/migrations/, embedded in
 * the binary.  Each is applied in its own transaction under an advisory
 * lock (two `hotich db init` at once apply it once), and recorded in
 * hotich.schema_version with the md5 of its text, which later runs compare
 * to detect a database made by a different build.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

#define SCHEMA_LOCK_KEY "7526835433420537856" /* any constant: hotich's migrations */

static const char create_version_table[] = "CREATE TABLE IF NOT EXISTS schema_version (\n"
					   "    version     integer PRIMARY KEY,\n"
					   "    name        text NOT NULL,\n"
					   "    checksum    text NOT NULL,\n"
					   "    applied_at  timestamptz NOT NULL DEFAULT now(),\n"
					   "    applied_by  text NOT NULL DEFAULT current_user\n"
					   ")";

int schema_binary_version(void)
{
	return db_migrations[db_migrations_count - 1].version;
}

static int set_search_path(PGconn *conn, herr *e)
{
	return db_exec(conn, "SET search_path TO hotich", e);
}

int schema_version(PGconn *conn, int *version, herr *e)
{
	strbuf val = STRBUF_INIT;
	long v = 0;
	int found;

	*version = 0;
	found = db_query_value(conn, "SELECT to_regclass('hotich.schema_version') IS NOT NULL", 0,
			       NULL, &val, e);
	if (found < 0)
		goto fail;
	if (strcmp(val.buf, "t") != 0) {
		strbuf_release(&val);
		return 0;
	}
	found = db_query_value(conn, "SELECT max(version) FROM hotich.schema_version", 0, NULL,
			       &val, e);
	if (found < 0)
		goto fail;
	if (found && parse_int(val.buf, 0, 1000000, &v) < 0) {
		herr_set(e, HT_EXIT_FATAL, "unreadable schema version \"%s\"", val.buf);
		goto fail;
	}
	*version = (int)v;
	strbuf_release(&val);
	return 0;
fail:
	strbuf_release(&val);
	return -1;
}

static int too_new(int have, herr *e)
{
	return herr_set(e, HT_EXIT_FATAL,
			"the database schema is at version %d, newer than this hotich knows "
			"(version %d): use a newer hotich",
			have, schema_binary_version());
}

/* Warn when an applied migration's text differs from this binary's. */
static void compare_checksums(PGconn *conn, int upto)
{
	herr ignore;
	strbuf val = STRBUF_INIT;
	char vbuf[16];
	int i;

	for (i = 0; i < db_migrations_count && db_migrations[i].version <= upto; i++) {
		const struct migration *m = &db_migrations[i];
		const char *params[2] = { vbuf, m->sql };

		snprintf(vbuf, sizeof(vbuf), "%d", m->version);
		if (db_query_value(conn,
				   "SELECT checksum = md5($2) FROM hotich.schema_version "
				   "WHERE version = $1::integer",
				   2, params, &val, &ignore) == 1 &&
		    strcmp(val.buf, "t") != 0)
			log_warning("migration %d (%s) was applied from a different text than "
				    "this hotich's",
				    m->version, m->name);
	}
	strbuf_release(&val);
}

static int apply_one(PGconn *conn, const struct migration *m, int *applied, herr *e)
{
	strbuf val = STRBUF_INIT;
	char vbuf[16];
	const char *params[3] = { vbuf, m->name, m->sql };
	int have, found;

	*applied = 0;
	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	if (db_exec(conn, "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ")", e) < 0)
		goto rollback;
	found = db_query_value(conn, "SELECT 1 FROM pg_namespace WHERE nspname = 'hotich'", 0, NULL,
			       &val, e);
	if (found < 0)
		goto rollback;
	if (!found && db_exec(conn, "CREATE SCHEMA hotich", e) < 0)
		goto rollback;
	if (set_search_path(conn, e) < 0 || db_exec(conn, create_version_table, e) < 0)
		goto rollback;
	if (schema_version(conn, &have, e) < 0)
		goto rollback;
	if (have > schema_binary_version()) {
		too_new(have, e);
		goto rollback;
	}
	if (have >= m->version) {
		strbuf_release(&val);
		return db_exec(conn, "ROLLBACK", e);
	}
	if (have != m->version - 1) {
		herr_set(e, HT_EXIT_FATAL, "schema version %d cannot be migrated to %d", have,
			 m->version);
		goto rollback;
	}
	if (db_exec(conn, m->sql, e) < 0) {
		herr_prefix(e, "migration %d (%s)", m->version, m->name);
		goto rollback;
	}
	snprintf(vbuf, sizeof(vbuf), "%d", m->version);
	if (db_query_value(conn,
			   "INSERT INTO schema_version (version, name, checksum) "
			   "VALUES ($1::integer, $2, md5($3)) RETURNING version",
			   3, params, &val, e) < 0)
		goto rollback;
	if (db_exec(conn, "COMMIT", e) < 0)
		goto rollback;
	strbuf_release(&val);
	*applied = 1;
	return 0;
rollback:
	strbuf_release(&val);
	PQclear(PQexec(conn, "ROLLBACK"));
	return -1;
}

int schema_migrate(PGconn *conn, int *from, int *to, herr *e)
{
	int i, have, applied;

	if (schema_version(conn, &have, e) < 0)
		return -1;
	if (from)
		*from = have;
	if (to)
		*to = have;
	if (have > schema_binary_version())
		return too_new(have, e);
	compare_checksums(conn, have);
	for (i = 0; i < db_migrations_count; i++) {
		const struct migration *m = &db_migrations[i];

		if (m->version <= have)
			continue;
		if (apply_one(conn, m, &applied, e) < 0)
			return -1;
		if (applied)
			log_debug("applied migration %d (%s)", m->version, m->name);
		if (to)
			*to = m->version;
	}
	return 0;
}

int schema_check(PGconn *conn, herr *e)
{
	int have;

	if (schema_version(conn, &have, e) < 0)
		return -1;
	if (have > schema_binary_version())
		return too_new(have, e);
	if (have == 0)
		return herr_set(e, HT_EXIT_FATAL,
				"the database has no hotich schema: run 'hotich db init'");
	if (have < schema_binary_version())
		return herr_set(e, HT_EXIT_FATAL,
				"the database schema is at version %d and this hotich needs "
				"version %d: run 'hotich db init' to migrate it",
				have, schema_binary_version());
	return 0;
}
