/*
 * auth.c — users, passwords, sessions, CSRF and login throttling.
 *
 * Passwords are kept as libsodium's Argon2id strings (crypto_pwhash_str,
 * interactive limits).  A session is a random 256-bit token in an HttpOnly,
 * SameSite=Strict cookie; the database keeps only its SHA-256, the user,
 * a CSRF token and the times that make it expire (idle and absolute).  The
 * login form itself carries a double-submit token (a cookie and a field
 * that must agree), so that another site cannot log a browser in.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web_internal.h"

#define SESSION_COOKIE "hotich_session"
#define LOGIN_COOKIE   "hotich_login"

void auth_random_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];

	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	randombytes_buf(buf, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
	sodium_memzero(buf, sizeof(buf));
}

static int role_parse(const char *s)
{
	if (!strcmp(s, "reviewer"))
		return ROLE_REVIEWER;
	if (!strcmp(s, "manager"))
		return ROLE_MANAGER;
	if (!strcmp(s, "admin"))
		return ROLE_ADMIN;
	return 0;
}

static int name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

int web_user_add(PGconn *conn, const char *name, const char *role, const char *office,
		 const char *password, int replace, herr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *v[4];
	PGresult *res;
	int rc = 0;

	if (sodium_init() < 0)
		return herr_set(e, HT_EXIT_FATAL, "libsodium could not be initialized");
	if (!name_ok(name))
		return herr_set(e, HT_EXIT_USAGE,
				"user name \"%s\": use 1 to 64 letters, digits, '.', '_' or '-'",
				name);
	if (!role_parse(role))
		return herr_set(e, HT_EXIT_USAGE, "role \"%s\": must be reviewer, manager or admin",
				role);
	if (strlen(password) < 10)
		return herr_set(e, HT_EXIT_USAGE, "the password must have at least 10 characters");
	if (strlen(password) > 1024)
		return herr_set(e, HT_EXIT_USAGE, "the password is longer than 1024 characters");
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return herr_set(e, HT_EXIT_FATAL, "out of memory hashing the password");
	v[0] = name;
	v[1] = role;
	v[2] = hash;
	v[3] = office && *office ? office : NULL;
	res =
	    PQexecParams(conn,
			 replace ? "INSERT INTO users (name, role, password_hash, office)"
				   " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
				   " role = EXCLUDED.role, password_hash = EXCLUDED.password_hash,"
				   " office = EXCLUDED.office, disabled = false"
				 : "INSERT INTO users (name, role, password_hash, office)"
				   " VALUES ($1, $2, $3, $4)",
			 4, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state && !strcmp(state, "23505"))
			rc = herr_set(e, HT_EXIT_USAGE,
				      "user \"%s\" exists already (--replace sets a new password)",
				      name);
		else
			rc = herr_set(e, HT_EXIT_FATAL, "could not add user \"%s\": %s", name,
				      PQresultErrorMessage(res));
	}
	PQclear(res);
	sodium_memzero(hash, sizeof(hash));
	if (rc == 0 && replace) {
		/* a new password ends the user's sessions */
		res = PQexecParams(conn,
				   "DELETE FROM web_sessions WHERE user_id ="
				   " (SELECT user_id FROM users WHERE name = $1)",
				   1, NULL, v, NULL, NULL, 0);
		PQclear(res);
	}
	return rc;
}

int web_user_disable(PGconn *conn, const char *name, herr *e)
{
	const char *v[1] = { name };
	PGresult *res;
	int rc = 0;

	res = PQexecParams(conn,
			   "WITH u AS (UPDATE users SET disabled = true WHERE name = $1"
			   " RETURNING user_id)"
			   " DELETE FROM web_sessions WHERE user_id IN (SELECT user_id FROM u)"
			   " RETURNING 1",
			   1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = herr_set(e, HT_EXIT_FATAL, "could not disable user \"%s\": %s", name,
			      PQresultErrorMessage(res));
	PQclear(res);
	if (rc == 0) {
		res = PQexecParams(conn, "SELECT 1 FROM users WHERE name = $1", 1, NULL, v, NULL,
				   NULL, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0)
			rc = herr_set(e, HT_EXIT_USAGE, "no user \"%s\"", name);
		PQclear(res);
	}
	return rc;
}

void auth_session_cookie(const struct web_options *o, const char *token, strbuf *out)
{
	if (token)
		strbuf_addf(out, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
			    o->secure_cookie ? "; Secure" : "");
	else
		strbuf_addf(out, SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
			    o->secure_cookie ? "; Secure" : "");
}

static int hex64(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 64;
}

int auth_session(struct web_req *q, herr *e)
{
	char token[80], hash[65], idle[16], absolute[16];
	const char *v[3];
	PGresult *res;

	(void)e;
	q->logged_in = 0;
	if (!web_cookie_get(q->cookie_header, SESSION_COOKIE, token, sizeof(token)) ||
	    !hex64(token))
		return 0;
	sha256_mem(token, strlen(token), hash);
	snprintf(idle, sizeof(idle), "%d", q->o->idle_s);
	snprintf(absolute, sizeof(absolute), "%d", q->o->absolute_s);
	v[0] = hash;
	v[1] = idle;
	v[2] = absolute;
	res = wdb(q,
		  "UPDATE web_sessions s SET last_seen = now() FROM users u"
		  " WHERE s.token_hash = $1 AND u.user_id = s.user_id AND NOT u.disabled"
		  " AND s.last_seen > now() - make_interval(secs => $2::int)"
		  " AND s.created_at > now() - make_interval(secs => $3::int)"
		  " RETURNING u.user_id, u.name, u.role, coalesce(u.office, ''), s.csrf_token",
		  3, v, PGRES_TUPLES_OK);
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		struct web_user *u = &q->user;

		u->id = (int)strtol(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(u->name, sizeof(u->name), "%s", PQgetvalue(res, 0, 1));
		u->role = role_parse(PQgetvalue(res, 0, 2));
		snprintf(u->office, sizeof(u->office), "%s", PQgetvalue(res, 0, 3));
		snprintf(u->csrf, sizeof(u->csrf), "%s", PQgetvalue(res, 0, 4));
		snprintf(u->session, sizeof(u->session), "%s", hash);
		q->logged_in = u->role != 0;
	}
	PQclear(res);
	return 0;
}

int auth_csrf_ok(const struct web_req *q)
{
	const char *t = web_param(&q->form, "csrf");

	if (!q->logged_in || !t || strlen(t) != strlen(q->user.csrf) || !*t)
		return 0;
	return sodium_memcmp(t, q->user.csrf, strlen(t)) == 0;
}

/* ------------------------------------------------------------------------
 * Login and logout
 * ---------------------------------------------------------------------- */

static void login_form(struct web_req *q, struct web_resp *r, int status, const char *message,
		       const char *name)
{
	char token[65];
	strbuf c = STRBUF_INIT;

	auth_random_hex(token, 32);
	strbuf_addf(&c, LOGIN_COOKIE "=%s; Path=/login; HttpOnly; SameSite=Strict%s", token,
		    q->o->secure_cookie ? "; Secure" : "");
	resp_add_cookie(r, c.buf);
	strbuf_release(&c);
	resp_html(r, status);
	page_begin(q, r, "Đăng nhập — Sign in", NULL);
	strbuf_addstr(&r->body, "<main class=\"login\"><form method=\"post\" action=\"/login\""
				" class=\"card\"><h1>hotich</h1>"
				"<p class=\"muted\">Số hoá hộ tịch — civil-status review</p>");
	if (message) {
		strbuf_addstr(&r->body, "<p class=\"flash error\" role=\"alert\">");
		html_esc(&r->body, message);
		strbuf_addstr(&r->body, "</p>");
	}
	strbuf_addf(&r->body, "<input type=\"hidden\" name=\"login_token\" value=\"%s\">", token);
	strbuf_addstr(&r->body, "<label>Tên đăng nhập — User<input name=\"user\" id=\"user\""
				" autocomplete=\"username\" required autofocus value=\"");
	html_esc(&r->body, name ? name : "");
	strbuf_addstr(&r->body,
		      "\"></label><label>Mật khẩu — Password<input type=\"password\""
		      " name=\"password\" id=\"password\" autocomplete=\"current-password\""
		      " required></label><button type=\"submit\" class=\"primary\">Sign in</button>"
		      "</form></main>");
	page_end(r);
}

void h_login_get(struct web_req *q, struct web_resp *r)
{
	if (q->logged_in) {
		resp_redirect(r, "/");
		return;
	}
	login_form(q, r, 200,
		   req_arg(q, "expired") ? "Your session has ended. Please sign in again." : NULL,
		   NULL);
}

static void record_attempt(struct web_req *q, const char *name, int ok)
{
	const char *v[3] = { name, q->client, ok ? "t" : "f" };
	PGresult *res = wdb(q,
			    "INSERT INTO login_attempts (user_name, client, ok)"
			    " VALUES (left($1, 64), $2, $3::boolean)",
			    3, v, PGRES_COMMAND_OK);

	PQclear(res);
}

/*
 * A valid Argon2id string of a password nobody knows: a login for a name
 * that does not exist verifies against it, so that the time of a failed
 * login does not tell whether the user exists.  Made once by auth_init,
 * before the request threads start.
 */
static char dummy[crypto_pwhash_STRBYTES];
static int dummy_ready;

int auth_init(void)
{
	char pw[65];

	if (sodium_init() < 0)
		return -1;
	auth_random_hex(pw, 32);
	if (crypto_pwhash_str(dummy, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -1;
	dummy_ready = 1;
	return 0;
}

void h_login_post(struct web_req *q, struct web_resp *r)
{
	const char *name = web_param(&q->form, "user");
	const char *password = web_param(&q->form, "password");
	const char *ftoken = web_param(&q->form, "login_token");
	char ctoken[80], window[16], token[65], hash[65], csrf[65];
	const char *v[4];
	PGresult *res;
	int ok = 0, throttled = 0;
	strbuf c = STRBUF_INIT;

	if (!web_cookie_get(q->cookie_header, LOGIN_COOKIE, ctoken, sizeof(ctoken)) || !ftoken ||
	    strlen(ftoken) != 64 || strcmp(ctoken, ftoken)) {
		login_form(q, r, 403, "The sign-in form had expired. Please try again.", NULL);
		return;
	}
	if (!name || !password || !*name || !*password || strlen(name) > 64 ||
	    strlen(password) > 1024) {
		login_form(q, r, 400, "Enter your user name and password.", name);
		return;
	}
	snprintf(window, sizeof(window), "%d", q->o->window_s);
	v[0] = name;
	v[1] = q->client;
	v[2] = window;
	res = wdb(q,
		  "SELECT count(*) FILTER (WHERE user_name = $1),"
		  " count(*) FILTER (WHERE client = $2) FROM login_attempts"
		  " WHERE NOT ok AND at > now() - make_interval(secs => $3::int)"
		  " AND (user_name = $1 OR client = $2)",
		  3, v, PGRES_TUPLES_OK);
	if (!res) {
		resp_error(q, r, 503, "The database is not available. Try again in a moment.");
		return;
	}
	if (strtol(PQgetvalue(res, 0, 0), NULL, 10) >= q->o->max_failures ||
	    strtol(PQgetvalue(res, 0, 1), NULL, 10) >= 4L * q->o->max_failures)
		throttled = 1;
	PQclear(res);
	if (throttled) {
		record_attempt(q, name, 0);
		log_warning("serve: login of \"%s\" from %s refused: too many failures", name,
			    q->client);
		login_form(q, r, 429, "Too many failed sign-ins. Wait a few minutes and try again.",
			   name);
		return;
	}

	v[0] = name;
	res = wdb(q, "SELECT user_id, password_hash, disabled FROM users WHERE name = $1", 1, v,
		  PGRES_TUPLES_OK);
	if (!res) {
		resp_error(q, r, 503, "The database is not available. Try again in a moment.");
		return;
	}
	if (PQntuples(res) == 1) {
		ok = crypto_pwhash_str_verify(PQgetvalue(res, 0, 1), password, strlen(password)) ==
			 0 &&
		     strcmp(PQgetvalue(res, 0, 2), "t") != 0;
	} else if (dummy_ready) {
		if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			ok = 0; /* nobody knows it; the time spent is the point */
	}
	if (!ok) {
		PQclear(res);
		record_attempt(q, name, 0);
		log_info("serve: failed sign-in as \"%s\" from %s", name, q->client);
		login_form(q, r, 401, "Wrong user name or password.", name);
		return;
	}
	auth_random_hex(token, 32);
	auth_random_hex(csrf, 32);
	sha256_mem(token, strlen(token), hash);
	v[0] = hash;
	v[1] = PQgetvalue(res, 0, 0);
	v[2] = csrf;
	v[3] = q->client;
	{
		PGresult *ins =
		    wdb(q,
			"INSERT INTO web_sessions (token_hash, user_id, csrf_token, client)"
			" VALUES ($1, $2::int, $3, $4)",
			4, v, PGRES_COMMAND_OK);

		PQclear(res);
		if (!ins) {
			resp_error(q, r, 503, "The database is not available. Try again.");
			return;
		}
		PQclear(ins);
	}
	record_attempt(q, name, 1);
	v[0] = name;
	v[1] = window;
	PQclear(wdb(q,
		    "WITH a AS (DELETE FROM login_attempts WHERE user_name = $1 AND NOT ok)"
		    " DELETE FROM login_attempts WHERE at < now() - make_interval(secs => $2::int)",
		    2, v, PGRES_COMMAND_OK));
	/* sessions no server could still accept (the longest --idle-timeout is
	 * 7 days, --session-max 30 days): servers with other settings may share
	 * this database */
	PQclear(wdb(q,
		    "DELETE FROM web_sessions WHERE last_seen < now() - interval '7 days'"
		    " OR created_at < now() - interval '30 days'",
		    0, NULL, PGRES_COMMAND_OK));
	log_info("serve: \"%s\" signed in from %s", name, q->client);
	auth_session_cookie(q->o, token, &c);
	resp_add_cookie(r, c.buf);
	strbuf_release(&c);
	sodium_memzero(token, sizeof(token));
	resp_redirect(r, "/");
}

void h_logout(struct web_req *q, struct web_resp *r)
{
	const char *v[1] = { q->user.session };
	strbuf c = STRBUF_INIT;

	PQclear(wdb(q, "DELETE FROM web_sessions WHERE token_hash = $1", 1, v, PGRES_COMMAND_OK));
	log_info("serve: \"%s\" signed out", q->user.name);
	auth_session_cookie(q->o, NULL, &c);
	resp_add_cookie(r, c.buf);
	strbuf_release(&c);
	resp_redirect(r, "/login");
}
