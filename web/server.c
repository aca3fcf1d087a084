/*
 * server.c — the HTTP side of `hotich serve`: libmicrohttpd with a pool of
 * request threads, one PostgreSQL connection per thread (role hotich_web),
 * the route table with the roles each route admits, the security headers
 * of every response, the page layout, and the access log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium.h>

#include "web_internal.h"

struct web_server {
	const struct db_target *t;
	const struct web_options *o;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	PGconn **conns;
	int *busy;
	int n;
	char *cache_dir; /* cropped page images, or NULL when not writable */
};

const char *web_cache_dir(const struct web_server *s)
{
	return s->cache_dir;
}

void web_cache_write(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd >= 0) {
		int ok = write(fd, data, len) == (ssize_t)len;

		if (close(fd) < 0 || !ok || rename(tmp, path) < 0)
			unlink(tmp);
	}
	free(tmp);
}

/* Per HTTP request: the body of a POST as it arrives. */
struct req_ctx {
	strbuf body;
	int too_large;
	struct timespec t0;
};

void web_options_init(struct web_options *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->listen_addr, sizeof(o->listen_addr), "127.0.0.1");
	o->port = 8080;
	o->threads = 4;
	o->idle_s = 30 * 60;
	o->absolute_s = 12 * 3600;
	o->lease_s = 15 * 60;
	o->max_failures = 5;
	o->window_s = 15 * 60;
	o->n_trusted = 0;
}

int web_add_trusted_proxy(struct web_options *o, const char *addr, herr *e)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char a[64];
	size_t n = strlen(addr);

	if (n >= sizeof(a))
		return herr_set(e, HT_EXIT_USAGE, "--trusted-proxy \"%.80s\": bad address", addr);
	snprintf(a, sizeof(a), "%s", addr);
	if (a[0] == '[' && n > 2 && a[n - 1] == ']') {
		memmove(a, a + 1, n - 2);
		a[n - 2] = '\0';
	}
	if (o->n_trusted >= (int)HT_ARRAY_LEN(o->trusted_proxy))
		return herr_set(e, HT_EXIT_USAGE, "--trusted-proxy: at most %d proxies",
				(int)HT_ARRAY_LEN(o->trusted_proxy));
	/* kept as inet_ntop writes it, the form the peer's address is compared in */
	if (inet_pton(AF_INET, a, buf) == 1)
		inet_ntop(AF_INET, buf, o->trusted_proxy[o->n_trusted],
			  sizeof(o->trusted_proxy[0]));
	else if (inet_pton(AF_INET6, a, buf) == 1)
		inet_ntop(AF_INET6, buf, o->trusted_proxy[o->n_trusted],
			  sizeof(o->trusted_proxy[0]));
	else
		return herr_set(e, HT_EXIT_USAGE,
				"--trusted-proxy \"%s\": not a numeric IPv4 or IPv6 address", addr);
	o->n_trusted++;
	return 0;
}

int web_parse_listen(struct web_options *o, const char *s, herr *e)
{
	char host[64] = "";
	const char *port = NULL;
	long p = o->port;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || (size_t)(end - s - 1) >= sizeof(host))
			return herr_set(e, HT_EXIT_USAGE, "--listen \"%s\": bad IPv6 address", s);
		memcpy(host, s + 1, (size_t)(end - s - 1));
		host[end - s - 1] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return herr_set(e, HT_EXIT_USAGE, "--listen \"%s\": expected [ADDR]:PORT",
					s);
	} else {
		const char *colon = strrchr(s, ':');

		if (colon && strchr(s, ':') != colon)
			return herr_set(e, HT_EXIT_USAGE,
					"--listen \"%s\": write an IPv6 address as [ADDR]:PORT", s);
		if (colon) {
			if ((size_t)(colon - s) >= sizeof(host))
				return herr_set(e, HT_EXIT_USAGE, "--listen \"%s\": bad address",
						s);
			memcpy(host, s, (size_t)(colon - s));
			host[colon - s] = '\0';
			port = colon + 1;
		} else if (strlen(s) < sizeof(host)) {
			snprintf(host, sizeof(host), "%s", s);
		} else {
			return herr_set(e, HT_EXIT_USAGE, "--listen \"%s\": bad address", s);
		}
	}
	if (port && parse_int(port, 1, 65535, &p) < 0)
		return herr_set(e, HT_EXIT_USAGE, "--listen \"%s\": port must be 1 to 65535", s);
	if (*host) {
		unsigned char buf[sizeof(struct in6_addr)];

		if (!strcmp(host, "localhost"))
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, buf) != 1 && inet_pton(AF_INET6, host, buf) != 1)
			return herr_set(
			    e, HT_EXIT_USAGE,
			    "--listen \"%s\": \"%s\" is not a numeric IPv4 or IPv6 address", s,
			    host);
		snprintf(o->listen_addr, sizeof(o->listen_addr), "%s", host);
	}
	o->port = (int)p;
	return 0;
}

/* ------------------------------------------------------------------------
 * Connections
 * ---------------------------------------------------------------------- */

static PGconn *pool_get(struct web_server *s, int *slot)
{
	PGconn *c;
	herr e = { 0, "" };
	int i;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		for (i = 0; i < s->n && s->busy[i]; i++)
			;
		if (i < s->n)
			break;
		pthread_cond_wait(&s->cv, &s->mu);
	}
	s->busy[i] = 1;
	c = s->conns[i];
	s->conns[i] = NULL;
	pthread_mutex_unlock(&s->mu);
	*slot = i;
	if (c && !db_alive(c)) {
		db_close(c);
		c = NULL;
	}
	if (!c) {
		c = db_open(s->t, DB_OPEN_CHECK_SCHEMA, &e);
		if (c && db_as_web(c, &e) < 0) {
			db_close(c);
			c = NULL;
		}
		if (!c)
			log_error("serve: %s", e.msg);
	}
	return c;
}

static void pool_put(struct web_server *s, int slot, PGconn *c)
{
	/* a handler that failed inside a transaction: start clean */
	if (c && db_idle(c) < 0) {
		db_close(c);
		c = NULL;
	}
	pthread_mutex_lock(&s->mu);
	s->conns[slot] = c;
	s->busy[slot] = 0;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

const char *web_user_office(const struct web_req *q)
{
	return q->user.office[0] ? q->user.office : NULL;
}

/* ------------------------------------------------------------------------
 * Responses
 * ---------------------------------------------------------------------- */

void web_resp_html(struct web_resp *r, int status)
{
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	strbuf_reset(&r->body);
}

void web_resp_redirect(struct web_resp *r, const char *location)
{
	free(r->location);
	r->location = xstrdup(location);
	r->status = 303;
	r->content_type = "text/plain; charset=utf-8";
	strbuf_reset(&r->body);
}

void web_resp_add_cookie(struct web_resp *r, const char *value)
{
	for (size_t i = 0; i < HT_ARRAY_LEN(r->cookies); i++) {
		if (!r->cookies[i]) {
			r->cookies[i] = xstrdup(value);
			return;
		}
	}
}

const char *web_req_arg(const struct web_req *q, const char *name)
{
	const char *v = web_param(&q->form, name);

	return v ? v : web_param(&q->query, name);
}

const char *web_req_header(const struct web_req *q, const char *name)
{
	return q->conn ? MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name) : NULL;
}

void web_csrf_field(const struct web_req *q, strbuf *out)
{
	strbuf_addf(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", q->user.csrf);
}

static const char *role_name(int role)
{
	return role == ROLE_ADMIN ? "admin" : role == ROLE_MANAGER ? "manager" : "reviewer";
}

static const char *role_title(struct web_req *q, int role)
{
	return role == ROLE_ADMIN     ? tr(q, "administrator")
	       : role == ROLE_MANAGER ? tr(q, "manager")
				      : tr(q, "reviewer");
}

static void nav_link(struct web_req *q, strbuf *b, const char *href, const char *nav,
		     const char *key, const char *label)
{
	strbuf_addf(b, "<a href=\"%s\"%s>", href,
		    nav && !strcmp(nav, key) ? " class=\"on\" aria-current=\"page\"" : "");
	web_html_esc(b, label);
	strbuf_addstr(b, "</a>");
	(void)q;
}

void web_page_begin(struct web_req *q, struct web_resp *r, const char *title, const char *nav)
{
	strbuf *b = &r->body;

	strbuf_addf(b,
		    "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>",
		    i18n_lang_code(q->lang));
	web_html_esc(b, title);
	strbuf_addstr(b, " · hotich</title><link rel=\"icon\" href=\"/static/favicon.svg\">"
			 "<link rel=\"stylesheet\" href=\"/static/app.css\">"
			 "<script src=\"/static/app.js\" defer></script></head><body>");
	if (!q->logged_in)
		return;
	strbuf_addstr(b, "<header class=\"top\"><a class=\"brand\" href=\"/\">hotich</a><nav>");
	if (q->user.role & (ROLE_REVIEWER | ROLE_ADMIN))
		nav_link(q, b, "/review", nav, "review", tr(q, "Review"));
	if (q->user.role & (ROLE_REVIEWER | ROLE_ADMIN))
		nav_link(q, b, "/keying", nav, "keying", tr(q, "Keying"));
	if (q->user.role & (ROLE_MANAGER | ROLE_ADMIN))
		nav_link(q, b, "/dashboard", nav, "dashboard", tr(q, "Progress"));
	if (q->user.role & (ROLE_MANAGER | ROLE_ADMIN))
		nav_link(q, b, "/export", nav, "export", tr(q, "Hand-over"));
	nav_link(q, b, "/find", nav, "find", tr(q, "Look-up"));
	nav_link(q, b, "/discrepancies", nav, "discrepancies", tr(q, "Discrepancies"));
	if (q->user.role & ROLE_ADMIN)
		nav_link(q, b, "/audit", nav, "audit", tr(q, "Audit log"));
	strbuf_addstr(b, "</nav><span class=\"who\">");
	web_html_esc(b, q->user.name);
	strbuf_addstr(b, " · ");
	web_html_esc(b, role_title(q, q->user.role));
	if (q->user.office[0]) {
		strbuf_addstr(b, " · ");
		web_html_esc(b, q->user.office);
	}
	/* the other language, one click away */
	strbuf_addstr(b, "</span><form method=\"post\" action=\"/lang\" class=\"inline lang\">");
	web_csrf_field(q, b);
	strbuf_addf(b, "<input type=\"hidden\" name=\"lang\" value=\"%s\">",
		    q->lang == LANG_VI ? "en" : "vi");
	strbuf_addstr(b, "<input type=\"hidden\" name=\"back\" value=\"");
	web_html_esc(b, q->path);
	strbuf_addf(b, "\"><button type=\"submit\" class=\"link\" lang=\"%s\">%s</button></form>",
		    q->lang == LANG_VI ? "en" : "vi",
		    q->lang == LANG_VI ? "English" : "Tiếng Việt");
	strbuf_addstr(b, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
	web_csrf_field(q, b);
	strbuf_addstr(b, "<button type=\"submit\" class=\"link\" id=\"signout\">");
	web_html_esc(b, tr(q, "Sign out"));
	strbuf_addstr(b, "</button></form></header>");
}

void web_page_end(struct web_resp *r)
{
	strbuf_addstr(&r->body, "</body></html>\n");
}

void web_resp_error(struct web_req *q, struct web_resp *r, int status, const char *msg)
{
	web_resp_html(r, status);
	web_page_begin(q, r, tr(q, "Error"), NULL);
	strbuf_addf(&r->body, "<main class=\"narrow\"><h1>%d</h1><p class=\"flash error\">",
		    status);
	web_html_esc(&r->body, msg);
	strbuf_addstr(&r->body, "</p><p><a href=\"/\">");
	web_html_esc(&r->body, tr(q, "Back to the start page"));
	strbuf_addstr(&r->body, "</a></p></main>");
	web_page_end(r);
}

/* ------------------------------------------------------------------------
 * Routes
 * ---------------------------------------------------------------------- */

#define PUBLIC 0

struct route {
	const char *method;
	const char *path; /* exact, or a prefix when it ends in '/' and prefix is set */
	int prefix;
	int roles; /* PUBLIC, or the roles admitted */
	void (*fn)(struct web_req *q, struct web_resp *r);
};

/* The start page: a reviewer's queue, the others' dashboard (signing in
 * claims nothing) */
static void web_home(struct web_req *q, struct web_resp *r)
{
	web_resp_redirect(r, q->user.role == ROLE_REVIEWER ? "/review" : "/dashboard");
}

static void web_health(struct web_req *q, struct web_resp *r)
{
	(void)q;
	r->status = 200;
	r->content_type = "text/plain; charset=utf-8";
	strbuf_addstr(&r->body, "ok\n");
}

static void web_static(struct web_req *q, struct web_resp *r)
{
	for (int i = 0; i < web_assets_count; i++) {
		if (!strcmp(web_assets[i].path, q->path)) {
			r->status = 200;
			r->content_type = web_assets[i].content_type;
			strbuf_add(&r->body, web_assets[i].data, web_assets[i].len);
			r->cacheable = 1;
			return;
		}
	}
	web_resp_error(q, r, 404, tr(q, "No such page."));
}

#define REVIEW (ROLE_REVIEWER | ROLE_ADMIN)
#define MANAGE (ROLE_MANAGER | ROLE_ADMIN)

static const struct route routes[] = {
	{ "GET", "/static/", 1, PUBLIC, web_static },
	{ "GET", "/healthz", 0, PUBLIC, web_health },
	{ "GET", "/login", 0, PUBLIC, web_login_get },
	{ "POST", "/login", 0, PUBLIC, web_login_post },
	{ "POST", "/logout", 0, ROLE_ANY, web_logout },
	{ "POST", "/lang", 0, ROLE_ANY, web_lang_set },
	{ "GET", "/", 0, ROLE_ANY, web_home },
	{ "GET", "/review", 0, REVIEW, web_review_queue },
	{ "POST", "/review/next", 0, REVIEW, web_review_next },
	{ "GET", "/review/match/", 1, REVIEW, web_review_match },
	{ "POST", "/review/match/", 1, REVIEW, web_review_match_post },
	{ "GET", "/review/record/", 1, REVIEW, web_review_record },
	{ "POST", "/review/record/", 1, REVIEW, web_review_record_post },
	{ "GET", "/record/", 1, ROLE_ANY, web_record },
	{ "POST", "/reopen/", 1, REVIEW, web_reopen },
	{ "GET", "/crop/", 1, REVIEW, web_crop },
	{ "GET", "/keying", 0, REVIEW, web_keying_queue },
	{ "POST", "/keying/next", 0, REVIEW, web_keying_next },
	{ "POST", "/keying/settings", 0, ROLE_ADMIN, web_keying_settings },
	{ "GET", "/keying/check", 0, REVIEW, web_keying_check },
	{ "GET", "/keying/scan/", 1, REVIEW, web_keying_scan },
	{ "GET", "/keying/page/", 1, REVIEW, web_keying_item },
	{ "POST", "/keying/page/", 1, REVIEW, web_keying_post },
	{ "GET", "/keying/record/", 1, REVIEW, web_keying_item },
	{ "POST", "/keying/record/", 1, REVIEW, web_keying_post },
	{ "GET", "/dashboard", 0, MANAGE, web_dashboard },
	{ "GET", "/dashboard/", 1, MANAGE, web_dashboard_csv },
	{ "GET", "/discrepancies", 0, ROLE_ANY, web_discrepancies },
	{ "GET", "/audit", 0, ROLE_ADMIN, web_audit },
	{ "GET", "/export", 0, MANAGE, web_export },
	{ "POST", "/export/book", 0, MANAGE, web_export_post },
	{ "GET", "/find", 0, ROLE_ANY, web_find },
	{ "GET", "/find/record/", 1, ROLE_ANY, web_find_record },
	{ "GET", "/find/print/", 1, ROLE_ANY, web_find_print },
	{ "GET", "/find/page/", 1, ROLE_ANY, web_find_page },
	{ "GET", "/find/thumb/", 1, ROLE_ANY, web_find_thumb },
};

static const struct route *route_find(const char *method, const char *path, int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < HT_ARRAY_LEN(routes); i++) {
		const struct route *rt = &routes[i];
		int hit = rt->prefix ? !strncmp(path, rt->path, strlen(rt->path))
				     : !strcmp(path, rt->path);

		if (!hit)
			continue;
		*path_known = 1;
		if (!strcmp(rt->method, method) ||
		    (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET")))
			return rt;
	}
	return NULL;
}

static void dispatch(struct web_req *q, struct web_resp *r)
{
	int known;
	const struct route *rt = route_find(q->method, q->path, &known);
	herr e = { 0, "" };
	strbuf l1 = STRBUF_INIT;

	q->lang = auth_request_lang(q);
	if (!rt) {
		if (known)
			web_resp_error(q, r, 405, tr(q, "This page does not accept that request."));
		else
			web_resp_error(q, r, 404, tr(q, "No such page."));
		return;
	}
	if (rt->roles == PUBLIC && (rt->fn == web_static || rt->fn == web_health)) {
		rt->fn(q, r);
		return;
	}
	if (!q->db || auth_session(q, &e) < 0) {
		web_resp_error(q, r, 503,
			       tr(q, "The database is not available. Try again in a moment."));
		return;
	}
	if (rt->roles != PUBLIC) {
		if (!q->logged_in) {
			if (!strcmp(q->method, "POST")) {
				web_resp_error(q, r, 401,
					       tr(q, "Your session has ended. Sign in again."));
			} else {
				char tmp[8];

				web_resp_redirect(
				    r, web_cookie_get(q->cookie_header, "hotich_session", tmp, 1) ||
					       (q->cookie_header &&
						strstr(q->cookie_header, "hotich_session="))
					   ? "/login?expired=1"
					   : "/login");
			}
			return;
		}
		if (!(q->user.role & rt->roles)) {
			log_warning("serve: \"%s\" (%s) refused %s %s", q->user.name,
				    role_name(q->user.role), q->method,
				    web_log_esc(&l1, q->path, 200));
			strbuf_release(&l1);
			web_resp_error(q, r, 403,
				       tr(q, "Your role does not give access to this page."));
			return;
		}
		if (!strcmp(q->method, "POST") && !auth_csrf_ok(q)) {
			log_warning("serve: \"%s\": %s %s without a valid CSRF token", q->user.name,
				    q->method, web_log_esc(&l1, q->path, 200));
			strbuf_release(&l1);
			web_resp_error(
			    q, r, 403,
			    tr(q, "The form had expired or did not come from this site. Reload"
				  " the page and try again."));
			return;
		}
	}
	rt->fn(q, r);
}

/* ------------------------------------------------------------------------
 * libmicrohttpd glue
 * ---------------------------------------------------------------------- */

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct web_params *ps = cls;

	(void)kind;
	if (ps->n < WEB_MAX_PARAMS && key && web_utf8_valid(key, strlen(key)) &&
	    web_utf8_valid(value ? value : "", value ? strlen(value) : 0)) {
		ps->p[ps->n].name = xstrdup(key);
		ps->p[ps->n].value = xstrdup(value ? value : "");
		ps->n++;
	}
	return MHD_YES;
}

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(out, size, "unknown");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
			  out, (socklen_t)size);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
			  out, (socklen_t)size);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct web_resp *r, int head)
{
	size_t len = r->body.len;
	char *buf = strbuf_detach(&r->body, NULL);
	struct MHD_Response *m;
	enum MHD_Result ret;

	if (head) {
		free(buf);
		buf = xstrdup("");
		len = 0;
	}
	if (r->send_fd && !head) {
		/* a download from a file: libmicrohttpd reads and closes it */
		free(buf);
		buf = NULL;
		m = MHD_create_response_from_fd64((uint64_t)r->fd_size, r->fd);
		r->send_fd = 0;
		if (!m) {
			close(r->fd);
			return MHD_NO;
		}
	} else {
		if (r->send_fd) {
			close(r->fd);
			r->send_fd = 0;
		}
		m = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
		if (!m) {
			free(buf);
			return MHD_NO;
		}
	}
	MHD_add_response_header(m, "Content-Type",
				r->content_type ? r->content_type : "text/plain; charset=utf-8");
	MHD_add_response_header(m, "Cache-Control",
				r->cacheable ? "private, max-age=3600" : "no-store");
	MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(m, "X-Frame-Options", "DENY");
	MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(
	    m, "Content-Security-Policy",
	    "default-src 'none'; style-src 'self'; script-src 'self';"
	    " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
	    " base-uri 'none'");
	if (r->location)
		MHD_add_response_header(m, "Location", r->location);
	if (r->disposition)
		MHD_add_response_header(m, "Content-Disposition", r->disposition);
	if (r->retry_after)
		MHD_add_response_header(m, "Retry-After", r->retry_after);
	for (size_t i = 0; i < HT_ARRAY_LEN(r->cookies); i++)
		if (r->cookies[i])
			MHD_add_response_header(m, "Set-Cookie", r->cookies[i]);
	ret = MHD_queue_response(c, (unsigned)r->status, m);
	MHD_destroy_response(m);
	return ret;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Header checks of the first call: what HTTP/1.1 forbids and proxies
 * would read otherwise.  Counts the Content-Length headers that differ. */
struct hdr_scan {
	const char *content_length;
	int conflicting;
	const char *xff; /* the last X-Forwarded-For */
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct hdr_scan *h = cls;

	(void)kind;
	if (!key)
		return MHD_YES;
	if (!strcasecmp(key, "Content-Length")) {
		if (h->content_length && strcmp(h->content_length, value ? value : ""))
			h->conflicting = 1;
		if (!h->content_length)
			h->content_length = value ? value : "";
	} else if (!strcasecmp(key, "X-Forwarded-For")) {
		h->xff = value;
	}
	return MHD_YES;
}

/* The client: the peer, or what a trusted proxy says it forwarded. */
static void request_client(struct web_server *s, struct MHD_Connection *c, const char *xff,
			   char *out, size_t size)
{
	client_address(c, out, size);
	for (int i = 0; i < s->o->n_trusted; i++) {
		if (!strcmp(out, s->o->trusted_proxy[i])) {
			char fwd[64];

			if (web_xff_client(xff, fwd, sizeof(fwd)) == 0)
				snprintf(out, size, "%s", fwd);
			return;
		}
	}
}

static enum MHD_Result early_error(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *m = MHD_create_response_from_buffer(
	    strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!m)
		return MHD_NO;
	MHD_add_response_header(m, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(m, "Connection", "close");
	ret = MHD_queue_response(c, status, m);
	MHD_destroy_response(m);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct web_server *s = cls;
	struct req_ctx *ctx = *con_cls;
	struct web_req q;
	struct web_resp r;
	char client[64];
	const char *ctype;
	enum MHD_Result ret;
	int slot = -1;
	strbuf l1 = STRBUF_INIT, l2 = STRBUF_INIT;

	if (!ctx) {
		struct hdr_scan h = { NULL, 0, NULL };

		ctx = xcalloc(1, sizeof(*ctx));
		strbuf_init(&ctx->body, 0);
		clock_gettime(CLOCK_MONOTONIC, &ctx->t0);
		*con_cls = ctx;
		MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header, &h);
		/* RFC 9112: a request of HTTP/1.1 names its Host; two different
		 * lengths are a request smuggled past whatever reads the other */
		if (!strcmp(version, MHD_HTTP_VERSION_1_1) &&
		    !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")) {
			log_info("serve: %s request without Host refused", version);
			return early_error(c, 400, "400 Bad Request: no Host header\n");
		}
		if (h.conflicting) {
			log_info("serve: request with two different Content-Length refused");
			return early_error(c, 400, "400 Bad Request: two Content-Length headers\n");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (ctx->body.len + *upload_size > WEB_MAX_BODY)
			ctx->too_large = 1;
		else
			strbuf_add(&ctx->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}

	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	strbuf_init(&r.body, 0);
	r.status = 500;
	{
		struct hdr_scan h = { NULL, 0, NULL };

		MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header, &h);
		request_client(s, c, h.xff, client, sizeof(client));
	}
	q.method = method;
	q.path = url;
	q.client = client;
	q.lang = LANG_VI;
	q.o = s->o;
	q.srv = s;
	q.conn = c;
	q.user.lang = -1;
	q.cookie_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q.query);
	ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (ctx->too_large) {
		q.lang = auth_request_lang(&q);
		web_resp_error(&q, &r, 413, tr(&q, "The form is too large."));
	} else if (!web_utf8_valid(url, strlen(url))) {
		q.lang = auth_request_lang(&q);
		web_resp_error(&q, &r, 400, tr(&q, "Bad address."));
	} else {
		if (!strcmp(method, "POST") && ctx->body.len) {
			if (!ctype || strncmp(ctype, "application/x-www-form-urlencoded", 33)) {
				q.lang = auth_request_lang(&q);
				web_resp_error(&q, &r, 415,
					       tr(&q, "Forms must be sent URL-encoded."));
				goto send;
			}
			web_form_parse(ctx->body.buf, ctx->body.len, &q.form);
		}
		if (strncmp(url, "/static/", 8) && strcmp(url, "/healthz"))
			q.db = pool_get(s, &slot);
		dispatch(&q, &r);
	}
send:
	if (slot >= 0)
		pool_put(s, slot, q.db);
	log_info("serve: %s %s %d %s %s %.0f ms", web_log_esc(&l1, method, 16),
		 web_log_esc(&l2, url, 300), r.status, q.logged_in ? q.user.name : "-", client,
		 ms_since(&ctx->t0));
	strbuf_release(&l1);
	strbuf_release(&l2);
	ret = send_resp(c, &r, !strcmp(method, "HEAD"));
	strbuf_release(&r.body);
	free(r.location);
	free(r.disposition);
	free(r.retry_after);
	for (size_t i = 0; i < HT_ARRAY_LEN(r.cookies); i++)
		free(r.cookies[i]);
	web_params_release(&q.query);
	web_params_release(&q.form);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *ctx = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (ctx) {
		strbuf_release(&ctx->body);
		free(ctx);
		*con_cls = NULL;
	}
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) HT_PRINTF(2, 0);

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	strbuf sb = STRBUF_INIT;

	(void)cls;
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_rtrim(&sb);
	log_debug("serve: libmicrohttpd: %s", sb.buf);
	strbuf_release(&sb);
}

int web_serve(const struct db_target *t, const struct web_options *o, herr *e)
{
	struct web_server s;
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	unsigned conn_limit;
	struct rlimit rl;
	PGconn *first;
	sigset_t set;
	int sig = 0, slot, ret = -1;

	if (auth_init() < 0)
		return herr_set(e, HT_EXIT_FATAL, "libsodium could not be initialized");
	if (i18n_init(e) < 0) {
		auth_release();
		return -1;
	}
	/*
	 * Connections: as many as the descriptors allow (epoll, no per-address
	 * cap), so that requests left half-sent from one address (a slow or
	 * hostile client, or everyone behind one proxy) do not shut that address
	 * out; each waits at most 15 s for its next bytes.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	conn_limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 256 + 64
			 ? (unsigned)(rl.rlim_cur > 16384 ? 16384 - 64 : rl.rlim_cur - 64)
			 : 192u;
	memset(&ss, 0, sizeof(ss));
	if (strchr(o->listen_addr, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)o->port);
		inet_pton(AF_INET6, o->listen_addr, &a6->sin6_addr);
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)o->port);
		inet_pton(AF_INET, o->listen_addr, &a4->sin_addr);
	}

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.o = o;
	s.n = o->threads > 0 ? o->threads : 1;
	s.conns = xcalloc((size_t)s.n, sizeof(*s.conns));
	s.busy = xcalloc((size_t)s.n, sizeof(*s.busy));
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);

	/* the database must be there, at this schema, with the role */
	first = db_open(t, DB_OPEN_START_LOCAL | DB_OPEN_CHECK_SCHEMA, e);
	if (!first)
		goto fail;
	if (db_as_web(first, e) < 0) {
		herr_prefix(e, "the server runs as the database role hotich_web (created by "
			       "'hotich db init'); grant it to the connecting role");
		e->code = HT_EXIT_FATAL;
		db_close(first);
		goto fail;
	}
	slot = 0;
	s.conns[slot] = first;
	/* crops of personal data: a private directory */
	s.cache_dir = o->cache_dir ? xstrdup(o->cache_dir)
		      : t->var_dir ? xasprintf("%s/crops", t->var_dir)
				   : NULL;
	if (s.cache_dir) {
		herr ce = { 0, "" };

		if (fs_mkdir_p(s.cache_dir, 0700, &ce) < 0) {
			log_warning("serve: crops will not be cached: %s", ce.msg);
			free(s.cache_dir);
			s.cache_dir = NULL;
		}
	}

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(
	    flags, (uint16_t)o->port, NULL, NULL, on_request, &s, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s.n,
	    MHD_OPTION_CONNECTION_LIMIT, conn_limit, MHD_OPTION_CONNECTION_TIMEOUT, 15u,
	    MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)(128 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_END);
	if (!d) {
		herr_set(e, HT_EXIT_FATAL, "cannot listen on %s%s%s:%d: %s",
			 strchr(o->listen_addr, ':') ? "[" : "", o->listen_addr,
			 strchr(o->listen_addr, ':') ? "]" : "", o->port,
			 errno ? strerror(errno) : "address in use or not available");
		goto fail;
	}
	log_info("serve: listening on http://%s%s%s:%d/ (%d threads, %u connections)",
		 strchr(o->listen_addr, ':') ? "[" : "", o->listen_addr,
		 strchr(o->listen_addr, ':') ? "]" : "", o->port, s.n, conn_limit);
	fprintf(stdout, "hotich serve: listening on http://%s%s%s:%d/\n",
		strchr(o->listen_addr, ':') ? "[" : "", o->listen_addr,
		strchr(o->listen_addr, ':') ? "]" : "", o->port);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	log_info("serve: signal %d, stopping", sig);
	MHD_stop_daemon(d);
	ret = 0;
fail:
	for (int i = 0; i < s.n; i++)
		if (s.conns[i])
			db_close(s.conns[i]);
	free(s.conns);
	free(s.busy);
	free(s.cache_dir);
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.cv);
	i18n_release();
	auth_release();
	return ret;
}
