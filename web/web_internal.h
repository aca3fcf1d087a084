/*
 * web_internal.h — what the files of web/ share: the parsed request, the
 * response being built, the logged-in user, HTML helpers and the route
 * handlers.  Parsers of outside bytes (forms, cookies, paths) are here so
 * that the fuzz targets can reach them.
 */
#ifndef HOTICH_WEB_INTERNAL_H
#define HOTICH_WEB_INTERNAL_H

#include <stddef.h>

#include <sys/types.h>

#include "web.h"

#if defined(__GNUC__)
#define HT_FORMAT_ARG(n) __attribute__((format_arg(n)))
#else
#define HT_FORMAT_ARG(n)
#endif

/* ------------------------------------------------------------------------
 * Parsing (http.c): no allocation beyond the structures given and the
 * output buffers
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
void web_html_esc(strbuf *out, const char *s); /* text and attribute values */
/*
 * web_flash: a message above a page's content, `good` (1) a success read
 * out politely (role status), otherwise an error read out at once (role
 * alert); `text` already translated.
 */
void web_flash(strbuf *out, const char *text, int good);
/*
 * web_csv_esc: one CSV field, quoted when needed.  A value a spreadsheet would
 * run as a formula (its first character '=', '+', '-', '@', a tab or a
 * carriage return) gets a leading apostrophe inside the quotes.
 */
void web_csv_esc(strbuf *out, const char *s);
void web_url_esc(strbuf *out, const char *s); /* a query-string value */

/*
 * web_log_esc: `s` for one log line, at most `max` bytes of it: control
 * characters (newlines included, and U+0085, U+2028, U+2029) as \xNN or
 * \u{NNNN}, a backslash doubled, so that no outside text starts a line of
 * its own.  Returns out->buf.
 */
const char *web_log_esc(strbuf *out, const char *s, size_t max);

/*
 * web_xff_client: the client of a request that came through a trusted
 * proxy: the last address of X-Forwarded-For (the one the proxy added),
 * when it is a numeric IPv4 or IPv6 address; into `out`.  0 when found,
 * -1 when the header is missing or its last entry is not an address.
 */
int web_xff_client(const char *xff, char *out, size_t size);

/* web_utf8_cut: at most `max_chars` characters of `s` (whole UTF-8
 * sequences), "…" added when cut, appended to `out`. */
void web_utf8_cut(strbuf *out, const char *s, size_t max_chars);

/* web_axis_step: the step of a chart axis of 4 steps from 0 to at least
 * `max`: 1, 2 or 5 times a power of ten. */
long web_axis_step(long max);

/*
 * web_backoff: seconds still to wait before another sign-in is tried on a
 * key (an account, a client, a device) with `failures` failures, the last
 * `since_last` seconds ago: none for the first `free` failures, then 15 s
 * doubling with each failure, at most 15 minutes.
 */
long web_backoff(long failures, long free_tries, double since_last);

/*
 * web_password_check: 0 when `pw` will do as the password of user `name`:
 * at least 12 characters, not one of the common passwords hotich ships
 * (web/data/common-passwords.txt), nor one of them with digits or signs
 * around it, nor a run of one character, a sequence ("123456789012",
 * "qwertyuiopas") or a repeated part, nor containing the user name.
 * Otherwise -1 and *why (English; a message of the catalogue).
 */
int web_password_check(const char *name, const char *pw, const char **why);

/* ------------------------------------------------------------------------
 * Languages (i18n.c): GNU gettext catalogues built in from web/po/
 * ---------------------------------------------------------------------- */

enum web_lang {
	LANG_VI = 0, /* the default */
	LANG_EN = 1, /* the messages as written in the source */
	WEB_LANGS
};

struct po_catalog;
/*
 * i18n_po_parse: a PO file's text (`name` for messages) into a catalogue, or
 * NULL with `e` naming the file and line.  Free with i18n_po_catalog_free.
 */
struct po_catalog *i18n_po_parse(const char *name, const char *lang, const char *text, size_t len,
				 herr *e);
void i18n_po_catalog_free(struct po_catalog *c);
/* The translation of `msgid`, or msgid itself when the catalogue has none. */
const char *i18n_po_get(const struct po_catalog *c, const char *msgid) HT_FORMAT_ARG(2);
const char *i18n_po_nget(const struct po_catalog *c, const char *msgid, const char *plural,
			 unsigned long n) HT_FORMAT_ARG(2) HT_FORMAT_ARG(3);
size_t i18n_po_count(const struct po_catalog *c);

/* i18n_init: parse the built-in catalogues (once, before the threads). */
int i18n_init(herr *e);
void i18n_release(void);
const char *i18n_get(int lang, const char *msgid) HT_FORMAT_ARG(2);
const char *i18n_nget(int lang, const char *msgid, const char *plural, unsigned long n)
    HT_FORMAT_ARG(2) HT_FORMAT_ARG(3);
const char *i18n_lang_code(int lang); /* "vi", "en" */
int i18n_lang_parse(const char *s);   /* -1 when not a language of the interface */
/* The language an Accept-Language header prefers among ours, or -1. */
int i18n_accept_language(const char *header);

/* Messages in the request's language; N_ marks a message translated later. */
#define tr(q, s)	i18n_get((q)->lang, s)
#define trn(q, s, p, n) i18n_nget((q)->lang, s, p, n)
#define N_(s)		s

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
	int lang;	  /* enum web_lang chosen by the user, or -1 */
	char office[256]; /* "" means every office */
	char csrf[65];	  /* the session's CSRF token */
	char session[65]; /* sha256 of the session token */
};

struct web_server;

struct web_req {
	const char *method; /* "GET", "POST" */
	const char *path;
	const char *client; /* the client's address (X-Forwarded-For of a trusted proxy) */
	int lang;	    /* enum web_lang of the answer */
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
	char *cookies[4];  /* Set-Cookie values */
	char *retry_after; /* Retry-After (seconds) of a refused sign-in */
	char *disposition; /* Content-Disposition for downloads */
	int cacheable;	   /* static assets: may be cached */
	int send_fd;	   /* 1: send the file `fd` (fd_size bytes) instead of body */
	int fd;		   /* the server closes it */
	off_t fd_size;
};

void web_resp_html(struct web_resp *r, int status);
void web_resp_redirect(struct web_resp *r, const char *location);
void web_resp_add_cookie(struct web_resp *r, const char *value);
/* A plain error page (the message, translated by the caller, is escaped);
 * no details of the cause. */
void web_resp_error(struct web_req *q, struct web_resp *r, int status, const char *msg);

/* The query parameter or form field `name`, or NULL. */
const char *web_req_arg(const struct web_req *q, const char *name);
/* A request header, or NULL. */
const char *web_req_header(const struct web_req *q, const char *name);

/* ------------------------------------------------------------------------
 * Display (format.c): what users read, in the request's language
 * ---------------------------------------------------------------------- */

/* A date of the records (ISO, partial or not) as dd/mm/yyyy, mm/yyyy or
 * yyyy, escaped; "—" for none; anything else as it is. */
void web_fmt_date(strbuf *b, const char *iso);
/* A time (seconds since the epoch, as text) in the server's zone with the
 * zone: "25/11/2026 14:32 (GMT+7)". */
void web_fmt_time(strbuf *b, const char *epoch);
/* The zone of the server, "GMT+7". */
void web_fmt_zone(strbuf *b);
/* A value of a field, for reading: dates as dates, sexes as words, escaped. */
void web_fmt_value(struct web_req *q, strbuf *b, const char *field, const char *value);
const char *web_sex_label(struct web_req *q, const char *code);		 /* "nam" -> "Nam" */
const char *web_doc_type_label(struct web_req *q, const char *doc_type); /* "Khai sinh" */
const char *web_role_label(struct web_req *q, const char *person_role); /* "Người được khai sinh" */
const char *web_status_label(struct web_req *q, const char *match_status);
const char *web_action_label(struct web_req *q, const char *action);
/* The label of a field as the forms print it ("Họ, chữ đệm, tên"), escaped. */
void web_field_label(struct web_req *q, strbuf *b, const char *field);
/*
 * web_fields_in_order: the keys of a record's fields (a JSON object) in the
 * order the forms print them; *keys is malloc'd (free it), the strings are
 * the object's.  Returns their number.
 */
typedef struct json_t json_t;
size_t web_fields_in_order(json_t *fields, const char ***keys);
/* A reason a value was flagged (ocr/: "low confidence"), translated. */
const char *web_reason_label(struct web_req *q, const char *why);
/* A level of a match comparison ("id", "exact") in words. */
const char *web_cmp_label(struct web_req *q, const char *cmp);
const char *web_level_label(struct web_req *q, const char *level);
/* A discrepancy the match stage found ("dob: 1990-01-02 / 1990-02-01"), in
 * words, escaped. */
void web_fmt_discrepancy(struct web_req *q, strbuf *b, const char *d);
/* A number with the language's thousands separator ("1.234" / "1,234"). */
void web_fmt_num(struct web_req *q, strbuf *b, long v);
/* A percentage with one decimal ("12,5%" / "12.5%"). */
void web_fmt_pct(struct web_req *q, strbuf *b, double pct);

/* ------------------------------------------------------------------------
 * Pages (layout in server.c)
 * ---------------------------------------------------------------------- */

/* web_page_begin: doctype, head, the top bar for the logged-in user. */
void web_page_begin(struct web_req *q, struct web_resp *r, const char *title, const char *nav);
void web_page_end(struct web_resp *r);
/* web_csrf_field: the hidden input carrying the session's CSRF token. */
void web_csrf_field(const struct web_req *q, strbuf *out);

/* ------------------------------------------------------------------------
 * Authentication (auth.c)
 * ---------------------------------------------------------------------- */

/* auth_init: libsodium, the hash failed logins of unknown users verify,
 * the list of common passwords; auth_release frees the list. */
int auth_init(void);
void auth_release(void);
/* The language of a request before its session is known: the hotich_lang
 * cookie, else the browser's Accept-Language, else Vietnamese. */
int auth_request_lang(const struct web_req *q);
/* The user of the request's session cookie (idle and absolute expiry). */
int auth_session(struct web_req *q, herr *e);
/* CSRF: the form's token equals the session's (constant time). */
int auth_csrf_ok(const struct web_req *q);
void web_login_get(struct web_req *q, struct web_resp *r);
void web_login_post(struct web_req *q, struct web_resp *r);
void web_logout(struct web_req *q, struct web_resp *r);
void web_lang_set(struct web_req *q, struct web_resp *r);
void auth_session_cookie(const struct web_options *o, const char *token, strbuf *out);
/* A hex string of n random bytes (2n+1 chars in out). */
void auth_random_hex(char *out, size_t nbytes);

/* ------------------------------------------------------------------------
 * Handlers (review.c, dashboard.c)
 * ---------------------------------------------------------------------- */

void web_review_queue(struct web_req *q, struct web_resp *r);
void web_review_next(struct web_req *q, struct web_resp *r);
void web_review_match(struct web_req *q, struct web_resp *r);
void web_review_match_post(struct web_req *q, struct web_resp *r);
void web_review_record(struct web_req *q, struct web_resp *r);
void web_review_record_post(struct web_req *q, struct web_resp *r);
void web_record(struct web_req *q, struct web_resp *r);
void web_reopen(struct web_req *q, struct web_resp *r);
void web_crop(struct web_req *q, struct web_resp *r);
void web_dashboard(struct web_req *q, struct web_resp *r);
void web_dashboard_csv(struct web_req *q, struct web_resp *r);
void web_discrepancies(struct web_req *q, struct web_resp *r);
void web_audit(struct web_req *q, struct web_resp *r);
void web_export(struct web_req *q, struct web_resp *r);
/* Look-up (search.c) */
void web_find(struct web_req *q, struct web_resp *r);
void web_find_record(struct web_req *q, struct web_resp *r);
void web_find_print(struct web_req *q, struct web_resp *r);
void web_find_page(struct web_req *q, struct web_resp *r);
void web_find_thumb(struct web_req *q, struct web_resp *r);
void web_export_post(struct web_req *q, struct web_resp *r);

/*
 * web_field_normalize (review.c): a value typed by a reviewer or a keyer
 * in the contract's normal form (a name canonical, a date ISO — typed as
 * dd/mm/yyyy or as digits ddmmyyyy —, an ID number checked, a sex as its
 * code), or -1 with a message for the user in `why` (translated).  A name
 * must be plausible (vn_name_plausible) unless `unusual` says the user
 * confirmed it as written; *implausible is set when that is what failed.
 */
int web_field_normalize(struct web_req *q, const char *field, const char *in, int unusual,
			strbuf *out, strbuf *why, int *implausible);

/* Keying (keying.c): pages and records typed in by people */
void web_keying_queue(struct web_req *q, struct web_resp *r);
void web_keying_next(struct web_req *q, struct web_resp *r);
void web_keying_item(struct web_req *q, struct web_resp *r);
void web_keying_post(struct web_req *q, struct web_resp *r);
void web_keying_scan(struct web_req *q, struct web_resp *r);
void web_keying_check(struct web_req *q, struct web_resp *r);
void web_keying_settings(struct web_req *q, struct web_resp *r);
/* web_keying_throughput: the keyers' throughput, per person and per
 * office, for the dashboard (managers). */
void web_keying_throughput(struct web_req *q, strbuf *b);

/* ------------------------------------------------------------------------
 * Server helpers (server.c)
 * ---------------------------------------------------------------------- */

/* Where crops are cached (NULL: not cached). */
const char *web_cache_dir(const struct web_server *s);
/* web_cache_write: `len` bytes as the cached file `path`, written whole
 * under a temporary name and then renamed; on any failure no file (a cache
 * only saves work). */
void web_cache_write(const char *path, const void *data, size_t len);
/* The user's office as a parameter: NULL when every office. */
const char *web_user_office(const struct web_req *q);

/* Static assets (assets.c, generated from web/static/) */
struct web_asset {
	const char *path; /* "/static/app.css" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
};
extern const struct web_asset web_assets[];
extern const int web_assets_count;
/* The catalogues (web/po/LANG.po) and data (web/data/), tools/embed-web-data.sh */
extern const struct web_asset web_catalogs[];
extern const int web_catalogs_count;
extern const struct web_asset web_data[];
extern const int web_data_count;

#endif
