/*
 * web_internal.h — what the files of web/ share: the parsed request, the
 * response being built, the logged-in user, HTML helpers and the route
 * handlers.  Parsers of outside bytes (forms, cookies, paths) are here so
 * that the fuzz targets can reach them.
 */
#ifndef HOTICH_WEB_INTERNAL_H
#define HOTICH_WEB_INTERNAL_H

#include <stddef.h>

#include <libpq-fe.h>

#include "web.h"

/* ------------------------------------------------------------------------
 * Parsing (http.c): no allocation beyond the structures given
 * ---------------------------------------------------------------------- */

#define WEB_MAX_PARAMS 32
#define WEB_MAX_BODY   (64 * 1024) /* form posts; larger is refused (413) */

struct web_param {
	char *name;  /* owned, decoded */
	char *value; /* owned, decoded; valid UTF-8 or the pair is dropped */
};

struct web_params {
	struct web_param p[WEB_MAX_PARAMS];
	int n;
};

/*
 * web_form_parse: application/x-www-form-urlencoded (`+` is a space,
 * %XX escapes) into `out`, appended.  Pairs beyond WEB_MAX_PARAMS, names
 * or values with NUL or invalid UTF-8, and malformed escapes are dropped.
 * Returns the number of pairs dropped.
 */
int web_form_parse(const char *body, size_t len, struct web_params *out);
void web_params_release(struct web_params *ps);
/* web_param: the first value of `name`, or NULL. */
const char *web_param(const struct web_params *ps, const char *name);

/*
 * web_cookie_get: the value of cookie `name` in a Cookie header
 * ("a=1; b=2") copied into `out` (NUL-terminated); 1 when found and it fit,
 * 0 otherwise.
 */
int web_cookie_get(const char *header, const char *name, char *out, size_t size);

/*
 * web_path_id: "/review/match/123" with prefix "/review/match/" gives 123;
 * -1 unless the rest is 1..18 digits (optionally followed by `suffix`).
 */
long web_path_id(const char *path, const char *prefix, const char *suffix);

/* web_utf8_valid: 1 when `s` (len bytes) is well-formed UTF-8 with no NUL. */
int web_utf8_valid(const char *s, size_t len);

/* HTML and CSV output */
void html_esc(strbuf *out, const char *s); /* text and attribute values */
void csv_esc(strbuf *out, const char *s);  /* one CSV field, quoted if needed */
void url_esc(strbuf *out, const char *s);  /* a query-string value */

/* ------------------------------------------------------------------------
 * Requests and responses (server.c)
 * ---------------------------------------------------------------------- */

enum web_role {
	ROLE_REVIEWER = 1,
	ROLE_MANAGER = 2,
	ROLE_ADMIN = 4
};
#define ROLE_ANY (ROLE_REVIEWER | ROLE_MANAGER | ROLE_ADMIN)

struct web_user {
	int id;
	char name[65];
	int role;	  /* one of enum web_role */
	char office[256]; /* "" means every office */
	char csrf[65];	  /* the session's CSRF token */
	char session[65]; /* sha256 of the session token */
};

struct web_server;

struct web_req {
	const char *method; /* "GET", "POST" */
	const char *path;
	const char *client; /* address of the peer */
	struct web_params query;
	struct web_params form;
	const char *cookie_header;
	struct web_user user; /* valid when logged_in */
	int logged_in;
	PGconn *db;
	const struct web_options *o;
	struct web_server *srv;
	void *conn; /* struct MHD_Connection */
};

struct web_resp {
	int status;
	const char *content_type;
	strbuf body;
	char *location;	   /* redirect target (303 unless status says otherwise) */
	char *cookies[2];  /* Set-Cookie values */
	char *disposition; /* Content-Disposition for downloads */
	int cacheable;	   /* static assets: may be cached */
};

void resp_html(struct web_resp *r, int status);
void resp_redirect(struct web_resp *r, const char *location);
void resp_add_cookie(struct web_resp *r, const char *value);
/* A plain error page (the message is escaped); no details of the cause. */
void resp_error(struct web_req *q, struct web_resp *r, int status, const char *msg);

/* The query parameter or form field `name`, or NULL. */
const char *req_arg(const struct web_req *q, const char *name);

/* ------------------------------------------------------------------------
 * Pages (layout in server.c)
 * ---------------------------------------------------------------------- */

/* page_begin: doctype, head, the top bar for the logged-in user. */
void page_begin(struct web_req *q, struct web_resp *r, const char *title, const char *nav);
void page_end(struct web_resp *r);
/* csrf_field: the hidden input carrying the session's CSRF token. */
void csrf_field(const struct web_req *q, strbuf *out);

/* ------------------------------------------------------------------------
 * Authentication (auth.c)
 * ---------------------------------------------------------------------- */

/* auth_init: libsodium, and the hash failed logins of unknown users verify. */
int auth_init(void);
/* The user of the request's session cookie (idle and absolute expiry). */
int auth_session(struct web_req *q, herr *e);
/* CSRF: the form's token equals the session's (constant time). */
int auth_csrf_ok(const struct web_req *q);
void h_login_get(struct web_req *q, struct web_resp *r);
void h_login_post(struct web_req *q, struct web_resp *r);
void h_logout(struct web_req *q, struct web_resp *r);
void auth_session_cookie(const struct web_options *o, const char *token, strbuf *out);
/* A hex string of n random bytes (2n+1 chars in out). */
void auth_random_hex(char *out, size_t nbytes);

/* ------------------------------------------------------------------------
 * Handlers (review.c, dashboard.c)
 * ---------------------------------------------------------------------- */

void h_review_next(struct web_req *q, struct web_resp *r);
void h_review_match(struct web_req *q, struct web_resp *r);
void h_review_match_post(struct web_req *q, struct web_resp *r);
void h_review_record(struct web_req *q, struct web_resp *r);
void h_review_record_post(struct web_req *q, struct web_resp *r);
void h_record(struct web_req *q, struct web_resp *r);
void h_reopen(struct web_req *q, struct web_resp *r);
void h_crop(struct web_req *q, struct web_resp *r);
void h_dashboard(struct web_req *q, struct web_resp *r);
void h_dashboard_csv(struct web_req *q, struct web_resp *r);
void h_discrepancies(struct web_req *q, struct web_resp *r);
void h_audit(struct web_req *q, struct web_resp *r);

/* ------------------------------------------------------------------------
 * Database helpers (server.c)
 * ---------------------------------------------------------------------- */

/* Run `sql` with text parameters; NULL on failure (logged, not shown). */
PGresult *wdb(struct web_req *q, const char *sql, int n, const char *const *v, int want);
int wdb_exec(struct web_req *q, const char *sql); /* BEGIN, COMMIT, ROLLBACK */
/* Where crops are cached (NULL: not cached). */
const char *web_cache_dir(const struct web_server *s);
/* The user's office as a parameter: NULL when every office. */
const char *user_office(const struct web_req *q);

/* Static assets (assets.c, generated from web/static/) */
struct web_asset {
	const char *path; /* "/static/app.css" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
};
extern const struct web_asset web_assets[];
extern const int web_assets_count;

#endif
