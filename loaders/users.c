/*
 * users.c — the web application's users, sessions, browsers and sign-in
 * attempts in the database.  The web layer decides (passwords, roles,
 * back-off, cookies); this file only reads and writes, each function in one
 * statement or one transaction with one way out on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

int users_add(PGconn *conn, const char *name, const char *role, const char *password_hash,
	      const char *office, int replace, herr *e)
{
	static const char insert_sql[] = "INSERT INTO users (name, role, password_hash, office)"
					 " VALUES ($1, $2, $3, $4)";
	static const char upsert_sql[] =
	    "INSERT INTO users (name, role, password_hash, office)"
	    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
	    " role = EXCLUDED.role, password_hash = EXCLUDED.password_hash,"
	    " office = EXCLUDED.office, disabled = false";
	/* a new password ends the user's sessions and forgets the browsers
	 * they used */
	static const char forget_sql[] = "WITH u AS (SELECT user_id FROM users WHERE name = $1),"
					 " d AS (DELETE FROM login_devices WHERE user_id IN"
					 " (SELECT user_id FROM u))"
					 " DELETE FROM web_sessions WHERE user_id IN"
					 " (SELECT user_id FROM u)";
	const char *v[4] = { name, role, password_hash, office && *office ? office : NULL };
	PGresult *res;

	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	res = PQexecParams(conn, replace ? upsert_sql : insert_sql, 4, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state && !strcmp(state, "23505"))
			herr_set(e, HT_EXIT_USAGE,
				 "user \"%s\" exists already (--replace sets a new password)",
				 name);
		else
			herr_set(e, HT_EXIT_FATAL, "could not add user \"%s\": %s", name,
				 PQresultErrorMessage(res));
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	if (replace) {
		res = db_params(conn, forget_sql, 1, v, PGRES_COMMAND_OK, e);
		if (!res)
			goto fail;
		PQclear(res);
	}
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(conn);
	return -1;
}

int users_disable(PGconn *conn, const char *name, herr *e)
{
	/* the account, its sessions and the review items it held, at once */
	static const char sql[] =
	    "WITH u AS (UPDATE users SET disabled = true WHERE name = $1"
	    " RETURNING user_id),"
	    " s AS (DELETE FROM web_sessions WHERE user_id IN (SELECT user_id FROM u)),"
	    " m AS (UPDATE matches SET claimed_by = NULL, claim_until = NULL"
	    "  WHERE claimed_by = $1 AND EXISTS (SELECT 1 FROM u)),"
	    " r AS (UPDATE records SET claimed_by = NULL, claim_until = NULL"
	    "  WHERE claimed_by = $1 AND EXISTS (SELECT 1 FROM u))"
	    " SELECT count(*) FROM u";
	const char *v[1] = { name };
	PGresult *res;
	int rc = 0;

	res = PQexecParams(conn, sql, 1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = herr_set(e, HT_EXIT_FATAL, "could not disable user \"%s\": %s", name,
			      PQresultErrorMessage(res));
	else if (!strcmp(PQgetvalue(res, 0, 0), "0"))
		rc = herr_set(e, HT_EXIT_USAGE, "no user \"%s\"", name);
	PQclear(res);
	return rc;
}

int users_set_lang(PGconn *conn, int user_id, const char *lang, herr *e)
{
	char uid[16];
	const char *v[2] = { lang, uid };
	PGresult *res;

	snprintf(uid, sizeof(uid), "%d", user_id);
	res = db_params(conn, "UPDATE users SET lang = $1 WHERE user_id = $2::int", 2, v,
			PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

int users_session_touch(PGconn *conn, const char *token_hash, int idle_s, int absolute_s,
			struct users_session *out, herr *e)
{
	static const char sql[] =
	    "UPDATE web_sessions s SET last_seen = now() FROM users u"
	    " WHERE s.token_hash = $1 AND u.user_id = s.user_id AND NOT u.disabled"
	    " AND s.last_seen > now() - make_interval(secs => $2::int)"
	    " AND s.created_at > now() - make_interval(secs => $3::int)"
	    " RETURNING u.user_id, u.name, u.role, coalesce(u.office, ''), s.csrf_token,"
	    " coalesce(u.lang, '')";
	char idle[16], absolute[16];
	const char *v[3] = { token_hash, idle, absolute };
	PGresult *res;
	int found;

	memset(out, 0, sizeof(*out));
	snprintf(idle, sizeof(idle), "%d", idle_s);
	snprintf(absolute, sizeof(absolute), "%d", absolute_s);
	res = db_params(conn, sql, 3, v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		out->user_id = (int)db_long(res, 0, 0);
		snprintf(out->name, sizeof(out->name), "%s", PQgetvalue(res, 0, 1));
		snprintf(out->role, sizeof(out->role), "%s", PQgetvalue(res, 0, 2));
		snprintf(out->office, sizeof(out->office), "%s", PQgetvalue(res, 0, 3));
		snprintf(out->csrf, sizeof(out->csrf), "%s", PQgetvalue(res, 0, 4));
		snprintf(out->lang, sizeof(out->lang), "%s", PQgetvalue(res, 0, 5));
	}
	PQclear(res);
	return found;
}

int users_session_close(PGconn *conn, const char *token_hash, herr *e)
{
	const char *v[1] = { token_hash };
	PGresult *res = db_params(conn, "DELETE FROM web_sessions WHERE token_hash = $1", 1, v,
				  PGRES_COMMAND_OK, e);

	PQclear(res);
	return res ? 0 : -1;
}

int users_device_known(PGconn *conn, const char *device_hash, const char *name, herr *e)
{
	const char *v[2] = { device_hash, name };
	PGresult *res;
	int ok;

	res = db_params(conn,
			"SELECT 1 FROM login_devices d JOIN users u USING (user_id)"
			" WHERE d.token_hash = $1 AND u.name = $2",
			2, v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	ok = PQntuples(res) == 1;
	PQclear(res);
	return ok;
}

long users_login_attempt(PGconn *conn, const char *name, const char *client, const char *device,
			 int window_s, users_wait_fn wait_fn, void *arg, char attempt[24], herr *e)
{
	static const char failures_sql[] =
	    "WITH f AS (SELECT * FROM login_attempts WHERE NOT ok"
	    "  AND at > now() - make_interval(secs => $3::int)"
	    "  AND (user_name = left($1, 64) OR client = $2))"
	    " SELECT"
	    " count(*) FILTER (WHERE device = $4),"
	    " extract(epoch FROM now() - max(at) FILTER (WHERE device = $4)),"
	    " count(*) FILTER (WHERE device IS NULL AND user_name = left($1, 64)"
	    "  AND client = $2),"
	    " extract(epoch FROM now() - max(at) FILTER (WHERE device IS NULL"
	    "  AND user_name = left($1, 64) AND client = $2)),"
	    " count(*) FILTER (WHERE device IS NULL AND user_name = left($1, 64)),"
	    " extract(epoch FROM now() - max(at) FILTER (WHERE device IS NULL"
	    "  AND user_name = left($1, 64))),"
	    " count(*) FILTER (WHERE device IS NULL AND client = $2),"
	    " extract(epoch FROM now() - max(at) FILTER (WHERE device IS NULL"
	    "  AND client = $2))"
	    " FROM f";
	static const char record_sql[] =
	    "INSERT INTO login_attempts (user_name, client, device, ok)"
	    " VALUES (left($1, 64), $2, $3, false)"
	    " RETURNING attempt_id";
	char window[16];
	const char *v[4] = { name, client, window, device };
	struct users_failures f;
	PGresult *res;
	long wait;

	snprintf(window, sizeof(window), "%d", window_s);
	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	/* one lock for every sign-in's check: the step is short */
	res = db_params(conn, "SELECT pg_advisory_xact_lock(7243101725)", 0, NULL, PGRES_TUPLES_OK,
			e);
	if (!res)
		goto fail;
	PQclear(res);
	res = db_params(conn, failures_sql, 4, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	for (int k = 0; k < 4; k++) {
		f.n[k] = strtol(PQgetvalue(res, 0, 2 * k), NULL, 10);
		f.since[k] = strtod(PQgetvalue(res, 0, 2 * k + 1), NULL);
	}
	PQclear(res);
	wait = wait_fn(&f, arg);
	if (wait > 0) {
		db_rollback(conn);
		return wait;
	}
	v[2] = device;
	res = db_params(conn, record_sql, 3, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	snprintf(attempt, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(conn);
	return -1;
}

int users_password(PGconn *conn, const char *name, int *user_id, strbuf *hash, int *disabled,
		   herr *e)
{
	const char *v[1] = { name };
	PGresult *res;
	int found;

	res = db_params(conn, "SELECT user_id, password_hash, disabled FROM users WHERE name = $1",
			1, v, PGRES_TUPLES_OK, e);
	if (!res)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		*user_id = (int)db_long(res, 0, 0);
		strbuf_addstr(hash, PQgetvalue(res, 0, 1));
		*disabled = !strcmp(PQgetvalue(res, 0, 2), "t");
	}
	PQclear(res);
	return found;
}

int users_signed_in(PGconn *conn, const struct users_signin *s, herr *e)
{
	static const char session_sql[] =
	    "INSERT INTO web_sessions (token_hash, user_id, csrf_token, client)"
	    " VALUES ($1, $2::int, $3, $4)";
	static const char new_device_sql[] =
	    "INSERT INTO login_devices (token_hash, user_id) VALUES ($1, $2::int)";
	static const char old_device_sql[] =
	    "UPDATE login_devices SET last_used = now() WHERE token_hash = $1";
	/* this try was right; the failures of this browser, or of this name
	 * from this client, are forgiven (not those of others) */
	static const char forgive_sql[] =
	    "WITH a AS (UPDATE login_attempts SET ok = true"
	    "  WHERE attempt_id = $1::bigint)"
	    " DELETE FROM login_attempts WHERE NOT ok AND attempt_id <> $1::bigint"
	    " AND ((device = $4) OR ($4::text IS NULL AND device IS NULL"
	    "  AND user_name = $2 AND client = $3))";
	static const char old_attempts_sql[] =
	    "DELETE FROM login_attempts WHERE at < now() - make_interval(secs => $1::int)";
	/* sessions no server could still accept (the longest --idle-timeout is
	 * 7 days, --session-max 30 days): servers with other settings may share
	 * this database; browsers unused for a year */
	static const char old_sessions_sql[] =
	    "WITH d AS (DELETE FROM login_devices WHERE last_used < now() - interval '1 year')"
	    " DELETE FROM web_sessions WHERE last_seen < now() - interval '7 days'"
	    " OR created_at < now() - interval '30 days'";
	char uid[16], window[16];
	const char *session[4] = { s->token_hash, uid, s->csrf, s->client };
	const char *forgive[4] = { s->attempt, s->name, s->client, s->device_hash };
	const char *v[2];
	PGresult *res;

	snprintf(uid, sizeof(uid), "%d", s->user_id);
	snprintf(window, sizeof(window), "%d", s->window_s);
	if (db_exec(conn, "BEGIN", e) < 0)
		return -1;
	res = db_params(conn, session_sql, 4, session, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	/* this browser is known for this user from now on */
	if (s->new_device_hash) {
		v[0] = s->new_device_hash;
		v[1] = uid;
		res = db_params(conn, new_device_sql, 2, v, PGRES_COMMAND_OK, e);
	} else {
		v[0] = s->device_hash;
		res = db_params(conn, old_device_sql, 1, v, PGRES_COMMAND_OK, e);
	}
	if (!res)
		goto fail;
	PQclear(res);
	res = db_params(conn, forgive_sql, 4, forgive, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	v[0] = window;
	res = db_params(conn, old_attempts_sql, 1, v, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	res = db_params(conn, old_sessions_sql, 0, NULL, PGRES_COMMAND_OK, e);
	if (!res)
		goto fail;
	PQclear(res);
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(conn);
	return -1;
}
