/*
 * web.h — the review and dashboard web application (`hotich serve`) and
 * its users (`hotich user add`).
 *
 * Data cleaners (role reviewer) decide the matches and fields the batch
 * left for a person, with the scanned page beside the text; project
 * managers (role manager) watch the progress dashboard; an admin may do
 * both and read the audit log.  Every page needs a login; every
 * state-changing request carries the session's CSRF token; every decision
 * is written with its audit row in one transaction.
 *
 * The server talks to PostgreSQL through loaders/ and switches to the
 * database role hotich_web (schema v2), which holds only the rights the
 * application uses.
 */
#ifndef HOTICH_WEB_H
#define HOTICH_WEB_H

#include "../common/common.h"
#include "../loaders/loaders.h"

struct web_options {
	char listen_addr[64]; /* numeric IPv4 or IPv6 address; default 127.0.0.1 */
	int port;	      /* default 8080 */
	int threads;	      /* request threads (each with its own connection) */
	int secure_cookie;    /* add "Secure" to the session cookie (behind TLS) */
	int idle_s;	      /* a session ends after this long unused */
	int absolute_s;	      /* and this long after login, whatever happens */
	int lease_s;	      /* how long a reviewer holds a review item */
	int max_failures;     /* failed sign-ins of a name from one client (or one
			       * known browser) in `window_s` before backing off;
			       * twice that for a name from anywhere, four times
			       * for a client whatever the names */
	int window_s;
	const char *cache_dir; /* cropped page images; NULL: <var>/crops */
	/* reverse proxies whose X-Forwarded-For gives the client's address
	 * (numeric, as inet_ntop writes them) */
	char trusted_proxy[4][64];
	int n_trusted;
};

void web_options_init(struct web_options *o);

/*
 * web_parse_listen: "ADDR:PORT", "ADDR", ":PORT" or "[V6]:PORT" into `o`.
 * Returns -1 with `e` (HT_EXIT_USAGE) on a malformed value.
 */
int web_parse_listen(struct web_options *o, const char *s, herr *e);

/*
 * web_add_trusted_proxy: a --trusted-proxy ADDR (numeric IPv4 or IPv6, at
 * most 4).  -1 with `e` (HT_EXIT_USAGE) otherwise.
 */
int web_add_trusted_proxy(struct web_options *o, const char *addr, herr *e);

/*
 * web_serve: serve until SIGINT or SIGTERM.  Each request thread opens its
 * own connection to `t` (schema checked, role hotich_web).  Returns 0
 * after a clean stop, -1 with `e` (HT_EXIT_FATAL) when the database or the
 * listening socket cannot be had.
 */
int web_serve(const struct db_target *t, const struct web_options *o, herr *e);

/*
 * web_user_add: create (or, with `replace`, reset the password and role
 * of) a user.  The password is stored as an Argon2id hash (libsodium);
 * `office` NULL means every office.  Fails with HT_EXIT_USAGE on a bad
 * name, role or password (shorter than 12 characters, a common password,
 * or the user name in it: web_password_check).
 */
int web_user_add(PGconn *conn, const char *name, const char *role, const char *office,
		 const char *password, int replace, herr *e);

/* web_user_disable: a user who may no longer log in; sessions end and the
 * review items the user held are free again. */
int web_user_disable(PGconn *conn, const char *name, herr *e);

#endif
