/*
 * auth.c — users, passwords, sessions, CSRF, the sign-in back-off and the
 * interface language.
 *
 * Passwords are kept as libsodium's Argon2id strings (crypto_pwhash_str,
 * interactive limits); a new one must have 12 characters and be none of
 * the common passwords hotich ships.  A session is a random 256-bit token
 * in an HttpOnly, SameSite=Strict cookie; the database keeps only its
 * SHA-256, the user, a CSRF token and the times that make it expire (idle
 * and absolute).  The login form itself carries a double-submit token (a
 * cookie and a field that must agree), so that another site cannot log a
 * browser in.
 *
 * Failed sign-ins slow further tries down (web_backoff) on several keys:
 * the name from one client address, the name from anywhere, the client
 * whatever the names.  A browser that has signed in as a user before holds
 * a device cookie for that user (its hash in login_devices); its tries are
 * judged only by its own failures, so that nobody else's guesses, from
 * any address, can keep the user out of a browser they have used.  The
 * check and the record of a try are one step under a lock, so that tries
 * sent at once cannot all pass a check before any of them is counted, and
 * a refused try is not counted: it does not push the wait further.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web_internal.h"

#define SESSION_COOKIE "hotich_session"
#define LOGIN_COOKIE   "hotich_login"
#define DEVICE_COOKIE  "hotich_device"
#define LANG_COOKIE    "hotich_lang"

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

/* ------------------------------------------------------------------------
 * Passwords
 * ---------------------------------------------------------------------- */

static char **common_pw;
static size_t n_common_pw;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The built-in list (web/data/common-passwords.txt), sorted, once. */
static void common_load(void)
{
	for (int i = 0; i < web_data_count; i++) {
		const char *s = (const char *)web_data[i].data, *end = s + web_data[i].len;
		size_t cap = 0;

		if (!strstr(web_data[i].path, "common-passwords"))
			continue;
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

			if (n && *s != '#') {
				if (n_common_pw == cap) {
					cap = cap ? cap * 2 : 16384;
					common_pw = xrealloc(common_pw, cap * sizeof(*common_pw));
				}
				common_pw[n_common_pw++] = xstrndup(s, n);
			}
			s += n + 1;
		}
	}
	if (n_common_pw)
		qsort(common_pw, n_common_pw, sizeof(*common_pw), cmp_str);
}

static int is_common(const char *lower)
{
	pthread_once(&common_once, common_load);
	return n_common_pw &&
	       bsearch(&lower, common_pw, n_common_pw, sizeof(*common_pw), cmp_str) != NULL;
}

/* The same character throughout, or a run of neighbours ("1234...",
 * "abcd...", or along a keyboard's rows) */
static int is_run(const char *s)
{
	static const char *const rows[] = {
		"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz",
		"0987654321"
	};
	size_t n = strlen(s), i;

	for (i = 1; i < n && s[i] == s[0]; i++)
		;
	if (i == n)
		return 1;
	/* each step of the string stays on one row, forward or back, wrapping */
	for (i = 1; i < n; i++) {
		int ok = 0;

		for (size_t r = 0; r < HT_ARRAY_LEN(rows) && !ok; r++) {
			const char *a = strchr(rows[r], s[i - 1]), *b = strchr(rows[r], s[i]);
			long len = (long)strlen(rows[r]), d;

			if (!a || !b || !s[i - 1] || !s[i])
				continue;
			d = (long)(b - a);
			ok = d == 1 || d == -1 || d == len - 1 || d == -(len - 1);
		}
		/* a jump to the start of another row: "qwertyuiopasdfgh" */
		if (!ok)
			for (size_t r = 0; r < 4 && !ok; r++)
				ok = s[i] == rows[r][0] && i + 1 < n && s[i + 1] == rows[r][1];
		if (!ok)
			return 0;
	}
	return 1;
}

/* One part written again and again: "abcabcabcabc", "passwordpassword" */
static int is_repeat(const char *s)
{
	size_t n = strlen(s);

	for (size_t k = 1; k <= n / 2; k++) {
		size_t i;

		if (n % k)
			continue;
		for (i = k; i < n && s[i] == s[i - k]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

int web_password_check(const char *name, const char *pw, const char **why)
{
	char lower[1100];
	size_t n = strlen(pw), i, a, b;
	const char *core;

	*why = NULL;
	if (n > 1024) {
		*why = "The password is longer than 1024 characters.";
		return -1;
	}
	/* characters, not bytes */
	{
		size_t chars = 0;

		for (i = 0; i < n; i++)
			chars += ((unsigned char)pw[i] & 0xc0) != 0x80;
		if (chars < 12) {
			*why = "The password must have at least 12 characters.";
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		lower[i] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ? pw[i] + 32 : pw[i]);
	lower[n] = '\0';
	if (is_common(lower) || is_run(lower) || is_repeat(lower)) {
		*why = "That password is among the most common ones; choose another.";
		return -1;
	}
	/* a common password with digits or signs before or after it */
	for (a = 0;
	     a < n && !((lower[a] >= 'a' && lower[a] <= 'z') || (unsigned char)lower[a] >= 0x80);
	     a++)
		;
	for (b = n; b > a && !((lower[b - 1] >= 'a' && lower[b - 1] <= 'z') ||
			       (unsigned char)lower[b - 1] >= 0x80);
	     b--)
		;
	if (b - a >= 3 && (a > 0 || b < n)) {
		char c[1100];

		memcpy(c, lower + a, b - a);
		c[b - a] = '\0';
		core = c;
		if (is_common(core) || is_repeat(core) || (b - a >= 4 && is_run(core))) {
			*why = "That password is a common one with digits or signs added; choose"
			       " another.";
			return -1;
		}
	}
	if (name && strlen(name) >= 3) {
		char ln[65];
		size_t k;

		for (k = 0; name[k] && k < sizeof(ln) - 1; k++)
			ln[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
		ln[k] = '\0';
		if (strstr(lower, ln)) {
			*why = "The password must not contain the user name.";
			return -1;
		}
	}
	return 0;
}

int web_user_add(PGconn *conn, const char *name, const char *role, const char *office,
		 const char *password, int replace, herr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *why;
	int rc;

	if (sodium_init() < 0)
		return herr_set(e, HT_EXIT_FATAL, "libsodium could not be initialized");
	if (!name_ok(name))
		return herr_set(e, HT_EXIT_USAGE,
				"user name \"%s\": use 1 to 64 letters, digits, '.', '_' or '-'",
				name);
	if (!role_parse(role))
		return herr_set(e, HT_EXIT_USAGE, "role \"%s\": must be reviewer, manager or admin",
				role);
	if (web_password_check(name, password, &why) < 0) {
		/* "The password must ..." as a message: lower case, no period */
		char msg[160];
		size_t n;

		snprintf(msg, sizeof(msg), "%s", why);
		n = strlen(msg);
		if (n && msg[n - 1] == '.')
			msg[n - 1] = '\0';
		if (msg[0] >= 'A' && msg[0] <= 'Z')
			msg[0] = (char)(msg[0] + 32);
		return herr_set(e, HT_EXIT_USAGE, "%s", msg);
	}
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return herr_set(e, HT_EXIT_FATAL, "out of memory hashing the password");
	rc = users_add(conn, name, role, hash, office, replace, e);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int web_user_disable(PGconn *conn, const char *name, herr *e)
{
	return users_disable(conn, name, e);
}

/* ------------------------------------------------------------------------
 * Sessions
 * ---------------------------------------------------------------------- */

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
	char token[80], hash[65];
	struct users_session us;
	herr err = { 0 };
	int found;

	(void)e;
	q->logged_in = 0;
	if (!web_cookie_get(q->cookie_header, SESSION_COOKIE, token, sizeof(token)) ||
	    !hex64(token))
		return 0;
	sha256_mem(token, strlen(token), hash);
	found = users_session_touch(q->db, hash, q->o->idle_s, q->o->absolute_s, &us, &err);
	if (found < 0) {
		log_error("serve: %s", err.msg);
		return -1;
	}
	if (found) {
		struct web_user *u = &q->user;

		u->id = us.user_id;
		snprintf(u->name, sizeof(u->name), "%s", us.name);
		u->role = role_parse(us.role);
		snprintf(u->office, sizeof(u->office), "%s", us.office);
		snprintf(u->csrf, sizeof(u->csrf), "%s", us.csrf);
		snprintf(u->session, sizeof(u->session), "%s", hash);
		u->lang = i18n_lang_parse(us.lang);
		q->logged_in = u->role != 0;
		if (q->logged_in && u->lang >= 0)
			q->lang = u->lang;
	}
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
 * The interface language
 * ---------------------------------------------------------------------- */

int auth_request_lang(const struct web_req *q)
{
	char c[8];
	int k;

	if (web_cookie_get(q->cookie_header, LANG_COOKIE, c, sizeof(c)) &&
	    (k = i18n_lang_parse(c)) >= 0)
		return k;
	k = i18n_accept_language(web_req_header(q, "Accept-Language"));
	return k >= 0 ? k : LANG_VI;
}

static void lang_cookie(struct web_req *q, struct web_resp *r, int lang)
{
	strbuf c = STRBUF_INIT;

	strbuf_addf(&c, LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Strict%s",
		    i18n_lang_code(lang), q->o->secure_cookie ? "; Secure" : "");
	web_resp_add_cookie(r, c.buf);
	strbuf_release(&c);
}

/* A path of this site to go back to: "/..." and nothing that leaves it. */
static const char *local_path(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strpbrk(p, "\r\n\\") ||
	    strlen(p) > 512)
		return "/";
	return p;
}

void web_lang_set(struct web_req *q, struct web_resp *r)
{
	int lang = i18n_lang_parse(web_param(&q->form, "lang"));
	herr err = { 0 };

	if (lang < 0) {
		web_resp_error(q, r, 400, tr(q, "That language is not available."));
		return;
	}
	if (users_set_lang(q->db, q->user.id, i18n_lang_code(lang), &err) < 0)
		log_error("serve: %s", err.msg);
	lang_cookie(q, r, lang);
	web_resp_redirect(r, local_path(web_param(&q->form, "back")));
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
	web_resp_add_cookie(r, c.buf);
	strbuf_release(&c);
	web_resp_html(r, status);
	web_page_begin(q, r, tr(q, "Sign in"), NULL);
	strbuf_addstr(&r->body, "<main class=\"login\"><form method=\"post\" action=\"/login\""
				" class=\"card\"><h1>hotich</h1><p class=\"muted\">");
	web_html_esc(&r->body, tr(q, "Civil-status records: review and progress"));
	strbuf_addstr(&r->body, "</p>");
	if (message)
		web_flash(&r->body, message, 0);
	strbuf_addf(&r->body, "<input type=\"hidden\" name=\"login_token\" value=\"%s\">", token);
	strbuf_addstr(&r->body, "<label>");
	web_html_esc(&r->body, tr(q, "User name"));
	strbuf_addstr(&r->body, "<input name=\"user\" id=\"user\" autocomplete=\"username\""
				" required autofocus value=\"");
	web_html_esc(&r->body, name ? name : "");
	strbuf_addstr(&r->body, "\"></label><label>");
	web_html_esc(&r->body, tr(q, "Password"));
	strbuf_addstr(&r->body, "<input type=\"password\" name=\"password\" id=\"password\""
				" autocomplete=\"current-password\" required></label>"
				"<button type=\"submit\" class=\"primary\">");
	web_html_esc(&r->body, tr(q, "Sign in"));
	strbuf_addstr(&r->body, "</button><p class=\"langs\">");
	strbuf_addf(&r->body, "<a href=\"/login?lang=vi\" lang=\"vi\"%s>Tiếng Việt</a> · ",
		    q->lang == LANG_VI ? " class=\"on\"" : "");
	strbuf_addf(&r->body, "<a href=\"/login?lang=en\" lang=\"en\"%s>English</a></p>",
		    q->lang == LANG_EN ? " class=\"on\"" : "");
	strbuf_addstr(&r->body, "</form></main>");
	web_page_end(r);
}

void web_login_get(struct web_req *q, struct web_resp *r)
{
	int lang = i18n_lang_parse(web_req_arg(q, "lang"));

	if (q->logged_in) {
		web_resp_redirect(r, "/");
		return;
	}
	if (lang >= 0) {
		q->lang = lang;
		lang_cookie(q, r, lang);
	}
	login_form(q, r, 200,
		   web_req_arg(q, "expired")
		       ? tr(q, "Your session has ended. Please sign in again.")
		       : NULL,
		   NULL);
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
	pthread_once(&common_once, common_load);
	return 0;
}

void auth_release(void)
{
	for (size_t i = 0; i < n_common_pw; i++)
		free(common_pw[i]);
	free(common_pw);
	common_pw = NULL;
	n_common_pw = 0;
}

/*
 * The device cookie of the request, when it is one this browser got by
 * signing in as `name`: its hash into `out` (1), else 0; -1 when the
 * database failed.
 */
static int known_device(struct web_req *q, const char *name, char out[65])
{
	char token[80], hash[65];
	herr err = { 0 };
	int ok;

	if (!web_cookie_get(q->cookie_header, DEVICE_COOKIE, token, sizeof(token)) || !hex64(token))
		return 0;
	sha256_mem(token, strlen(token), hash);
	ok = users_device_known(q->db, hash, name, &err);
	if (ok < 0) {
		log_error("serve: %s", err.msg);
		return -1;
	}
	if (ok)
		memcpy(out, hash, 65);
	return ok;
}

/*
 * check_and_record: under one lock, how long this try must wait (0: it may
 * go on, and is recorded as a failure until the password proves right,
 * *attempt its id).  -1 when the database failed.
 */
struct wait_args {
	const struct web_options *o;
	int known; /* a known browser */
};

/* a known browser: its own failures only; else the name from this client,
 * the name from anywhere, this client */
static long failures_wait(const struct users_failures *f, void *arg)
{
	const struct wait_args *a = arg;
	const long free_tries[4] = { a->o->max_failures, a->o->max_failures,
				     2L * a->o->max_failures, 4L * a->o->max_failures };
	long wait = 0;

	for (int k = a->known ? 0 : 1; k < (a->known ? 1 : 4); k++) {
		long w = f->n[k] ? web_backoff(f->n[k], free_tries[k], f->since[k]) : 0;

		if (w > wait)
			wait = w;
	}
	return wait;
}

static long check_and_record(struct web_req *q, const char *name, const char *device,
			     char attempt[24])
{
	struct wait_args a = { q->o, device != NULL };
	herr err = { 0 };
	long wait;

	wait = users_login_attempt(q->db, name, q->client, device, q->o->window_s, failures_wait,
				   &a, attempt, &err);
	if (wait < 0)
		log_error("serve: %s", err.msg);
	return wait;
}

static void retry_after(struct web_resp *r, long s)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%ld", s);
	free(r->retry_after);
	r->retry_after = xstrdup(buf);
}

void web_login_post(struct web_req *q, struct web_resp *r)
{
	const char *name = web_param(&q->form, "user");
	const char *password = web_param(&q->form, "password");
	const char *ftoken = web_param(&q->form, "login_token");
	char ctoken[80], token[65], hash[65], csrf[65], device[65], attempt[24] = "";
	char newdev[65], newdev_hash[65];
	strbuf pwhash = STRBUF_INIT;
	struct users_signin si = { 0 };
	herr err = { 0 };
	int ok = 0, dev, found, user_id = 0, disabled = 0;
	long wait;
	strbuf c = STRBUF_INIT, l1 = STRBUF_INIT;

	if (!web_cookie_get(q->cookie_header, LOGIN_COOKIE, ctoken, sizeof(ctoken)) || !ftoken ||
	    strlen(ftoken) != 64 || strcmp(ctoken, ftoken)) {
		login_form(q, r, 403, tr(q, "The sign-in form had expired. Please try again."),
			   NULL);
		return;
	}
	if (!name || !password || !*name || !*password || strlen(name) > 64 ||
	    strlen(password) > 1024) {
		login_form(q, r, 400, tr(q, "Enter your user name and password."), name);
		return;
	}
	dev = known_device(q, name, device);
	if (dev < 0 || (wait = check_and_record(q, name, dev ? device : NULL, attempt)) < 0) {
		web_resp_error(q, r, 503,
			       tr(q, "The database is not available. Try again in a moment."));
		return;
	}
	if (wait > 0) {
		strbuf m = STRBUF_INIT;

		log_warning(
		    "serve: sign-in as \"%s\" from %s refused: %ld s to wait after failures",
		    web_log_esc(&l1, name, 64), q->client, wait);
		if (wait >= 60)
			strbuf_addf(&m,
				    trn(q, "Too many failed sign-ins. Try again in %ld minute.",
					"Too many failed sign-ins. Try again in %ld minutes.",
					(unsigned long)((wait + 59) / 60)),
				    (wait + 59) / 60);
		else
			strbuf_addf(&m,
				    trn(q, "Too many failed sign-ins. Try again in %ld second.",
					"Too many failed sign-ins. Try again in %ld seconds.",
					(unsigned long)wait),
				    wait);
		login_form(q, r, 429, m.buf, name);
		retry_after(r, wait);
		strbuf_release(&m);
		strbuf_release(&l1);
		return;
	}

	found = users_password(q->db, name, &user_id, &pwhash, &disabled, &err);
	if (found < 0) {
		log_error("serve: %s", err.msg);
		web_resp_error(q, r, 503,
			       tr(q, "The database is not available. Try again in a moment."));
		strbuf_release(&pwhash);
		strbuf_release(&l1);
		return;
	}
	if (found) {
		ok = crypto_pwhash_str_verify(pwhash.buf, password, strlen(password)) == 0 &&
		     !disabled;
	} else if (dummy_ready) {
		if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			ok = 0; /* nobody knows it; the time spent is the point */
	}
	strbuf_release(&pwhash);
	if (!ok) {
		log_info("serve: failed sign-in as \"%s\" from %s", web_log_esc(&l1, name, 64),
			 q->client);
		login_form(q, r, 401, tr(q, "Wrong user name or password."), name);
		strbuf_release(&l1);
		return;
	}
	auth_random_hex(token, 32);
	auth_random_hex(csrf, 32);
	sha256_mem(token, strlen(token), hash);
	if (!dev) {
		auth_random_hex(newdev, 32);
		sha256_mem(newdev, strlen(newdev), newdev_hash);
	}
	si.token_hash = hash;
	si.user_id = user_id;
	si.csrf = csrf;
	si.client = q->client;
	si.new_device_hash = dev ? NULL : newdev_hash;
	si.device_hash = dev ? device : NULL;
	si.attempt = attempt;
	si.name = name;
	si.window_s = q->o->window_s;
	if (users_signed_in(q->db, &si, &err) < 0) {
		log_error("serve: %s", err.msg);
		if (!dev)
			sodium_memzero(newdev, sizeof(newdev));
		web_resp_error(q, r, 503, tr(q, "The database is not available. Try again."));
		strbuf_release(&l1);
		return;
	}
	/* this browser is known for this user from now on */
	if (!dev) {
		strbuf_addf(&c,
			    DEVICE_COOKIE "=%s; Path=/login; Max-Age=31536000; HttpOnly;"
					  " SameSite=Strict%s",
			    newdev, q->o->secure_cookie ? "; Secure" : "");
		web_resp_add_cookie(r, c.buf);
		strbuf_reset(&c);
		sodium_memzero(newdev, sizeof(newdev));
	}
	log_info("serve: \"%s\" signed in from %s", web_log_esc(&l1, name, 64), q->client);
	auth_session_cookie(q->o, token, &c);
	web_resp_add_cookie(r, c.buf);
	strbuf_release(&c);
	strbuf_release(&l1);
	sodium_memzero(token, sizeof(token));
	web_resp_redirect(r, "/");
}

void web_logout(struct web_req *q, struct web_resp *r)
{
	strbuf c = STRBUF_INIT;
	herr err = { 0 };

	if (users_session_close(q->db, q->user.session, &err) < 0)
		log_error("serve: %s", err.msg);
	log_info("serve: \"%s\" signed out", q->user.name);
	auth_session_cookie(q->o, NULL, &c);
	web_resp_add_cookie(r, c.buf);
	strbuf_release(&c);
	web_resp_redirect(r, "/login");
}
