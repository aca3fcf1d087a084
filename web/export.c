/*
 * export.c — the hand-over for managers: the register books that can be
 * exported (those of the manager's office only, when the account is
 * limited to one), and a book's folder as one ZIP archive (searchable
 * PDFs, the workbook, the CSVs, the manifest), made by export/ as
 * `hotich export` makes it and logged with the manager's name.
 */
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../export/export.h"
#include "web_internal.h"

/* One export at a time: two downloads of a book write the same files. */
static pthread_mutex_t export_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp_book(const void *pa, const void *pb)
{
	const struct export_book_row *a = pa, *b = pb;
	int c = strcmp(a->office, b->office);

	if (!c)
		c = strcmp(a->doc_type, b->doc_type);
	if (!c)
		c = strcmp(a->book ? a->book : "", b->book ? b->book : "");
	return c;
}

void web_export(struct web_req *q, struct web_resp *r)
{
	struct export_book_row *rows = NULL;
	size_t n = 0;
	herr e = { 0, "" };
	strbuf *b = &r->body;

	if (export_books_list(q->db, web_user_office(q), &rows, &n, &e) < 0) {
		log_error("serve: export: %s", e.msg);
		web_resp_error(q, r, 503, tr(q, "The register books are not available."));
		return;
	}
	qsort(rows, n, sizeof(*rows), cmp_book);
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Hand-over"), "export");
	strbuf_addstr(b, "<main><div class=\"itemhead\"><h1>");
	web_html_esc(b, tr(q, "Hand-over"));
	strbuf_addstr(b, "</h1><span class=\"muted\">");
	web_html_esc(b, tr(q, "Per register book: one searchable PDF per case, the import template"
			      " (XLSX and CSV) and the records held back, as one archive"));
	strbuf_addstr(b, "</span></div>");
	if (!n) {
		strbuf_addstr(b, "<p>");
		web_html_esc(b, tr(q, "No register book to hand over."));
		strbuf_addstr(b, "</p>");
	} else {
		strbuf_addstr(b, "<table class=\"grid\" id=\"books\"><thead><tr><th>");
		web_html_esc(b, tr(q, "Office"));
		strbuf_addstr(b, "</th><th>");
		web_html_esc(b, tr(q, "Document type"));
		strbuf_addstr(b, "</th><th>");
		web_html_esc(b, tr(q, "Book"));
		strbuf_addstr(b, "</th><th class=\"num\">");
		web_html_esc(b, tr(q, "Records"));
		strbuf_addstr(b, "</th><th class=\"num\">");
		web_html_esc(b, tr(q, "Exported"));
		strbuf_addstr(b, "</th><th class=\"num\">");
		web_html_esc(b, tr(q, "Corrections"));
		strbuf_addstr(b, "</th><th></th></tr></thead><tbody>");
		for (size_t i = 0; i < n; i++) {
			strbuf_addstr(b, "<tr><td>");
			web_html_esc(b, rows[i].office);
			strbuf_addstr(b, "</td><td>");
			web_html_esc(b, web_doc_type_label(q, rows[i].doc_type));
			strbuf_addstr(b, "</td><td>");
			web_html_esc(b, rows[i].book ? rows[i].book : tr(q, "unknown"));
			strbuf_addstr(b, "</td><td class=\"num\">");
			web_fmt_num(q, b, rows[i].records);
			strbuf_addstr(b, "</td><td class=\"num\">");
			web_fmt_num(q, b, rows[i].exported);
			strbuf_addstr(b, "</td><td class=\"num\">");
			web_fmt_num(q, b, rows[i].corrected);
			strbuf_addstr(b, "</td><td>");
			if (rows[i].book) {
				strbuf_addstr(b, "<form method=\"post\" action=\"/export/book\" "
						 "class=\"inline\">");
				web_csrf_field(q, b);
				strbuf_addstr(b, "<input type=\"hidden\" name=\"office\" value=\"");
				web_html_esc(b, rows[i].office);
				strbuf_addstr(b,
					      "\"><input type=\"hidden\" name=\"type\" value=\"");
				web_html_esc(b, rows[i].doc_type);
				strbuf_addstr(b,
					      "\"><input type=\"hidden\" name=\"book\" value=\"");
				web_html_esc(b, rows[i].book);
				strbuf_addstr(b, "\"><button type=\"submit\">");
				web_html_esc(b, tr(q, "Download"));
				strbuf_addstr(b, "</button></form>");
			}
			strbuf_addstr(b, "</td></tr>");
		}
		strbuf_addstr(b, "</tbody></table>");
	}
	strbuf_addstr(b, "<p class=\"muted small\">");
	web_html_esc(b, tr(q, "Only records with no value awaiting review, every mandatory column"
			      " and every person linked or decided by a reviewer go out; the others"
			      " are listed with their reasons in the workbook's second sheet."));
	strbuf_addstr(b, "</p></main>");
	web_page_end(r);
	export_books_free(rows, n);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? 0 : 0;
}

/* The archive of `dir`, sent from a temporary file (removed at once: the
 * open descriptor keeps it until the server has sent it). */
static int zip_body(const char *dir, const char *prefix, struct web_resp *r, herr *e)
{
	char tmpl[] = "/tmp/hotich-export-XXXXXX";
	int fd = mkstemp(tmpl);
	off_t size;

	if (fd < 0)
		return herr_set(e, HT_EXIT_FATAL, "cannot make a temporary file");
	unlink(tmpl);
	if (export_book_archive(dir, prefix, fd, e) < 0) {
		close(fd);
		return -1;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return herr_set(e, HT_EXIT_FATAL, "cannot read the archive back");
	}
	strbuf_reset(&r->body);
	r->send_fd = 1;
	r->fd = fd;
	r->fd_size = size;
	return 0;
}

void web_export_post(struct web_req *q, struct web_resp *r)
{
	const char *office = web_param(&q->form, "office");
	const char *type = web_param(&q->form, "type");
	const char *book = web_param(&q->form, "book");
	struct export_request rq = { 0 };
	struct export_stats st = { 0 };
	herr e = { 0, "" };
	char tmpdir[] = "/tmp/hotich-export-XXXXXX";
	const char *cache = web_cache_dir(q->srv);
	char *out = NULL, *dir = NULL, *prefix = NULL;
	strbuf rel = STRBUF_INIT;
	int rc;

	if (!office || !*office || !type || !*type || !book || !*book) {
		web_resp_error(q, r, 400, tr(q, "Choose a register book."));
		return;
	}
	/* a manager of one office hands over that office's books only */
	if (web_user_office(q) && strcmp(web_user_office(q), office)) {
		log_warning("serve: export: %s asked for a book of %s, limited to %s", q->user.name,
			    office, web_user_office(q));
		web_resp_error(q, r, 403, tr(q, "This register book is not in your office."));
		return;
	}
	if (cache)
		out = xasprintf("%s/export", cache);
	else if (mkdtemp(tmpdir))
		out = xstrdup(tmpdir);
	if (!out) {
		web_resp_error(q, r, 503, tr(q, "The hand-over cannot be prepared now."));
		return;
	}
	rq.office = office;
	rq.exact_office = 1;
	rq.doc_type = type;
	rq.book = book;
	rq.out_dir = out;
	rq.by = q->user.name;
	rq.via = "web";
	pthread_mutex_lock(&export_lock);
	rc = export_run(q->db, &rq, &st, &e);
	if ((rc == 0 || e.code == HT_EXIT_PARTIAL) && st.nbook_dirs == 1) {
		dir = xasprintf("%s/%s", out, st.book_dirs[0]);
		export_book_dir(office, type, book, &rel);
		prefix = xstrdup(strrchr(rel.buf, '/') ? strrchr(rel.buf, '/') + 1 : rel.buf);
		rc = zip_body(dir, prefix, r, &e);
	} else if (rc == 0) {
		rc = herr_set(&e, HT_EXIT_USAGE, "%ld books for one request", st.books);
	}
	pthread_mutex_unlock(&export_lock);
	if (rc < 0) {
		log_error("serve: export: %s", e.msg);
		web_resp_error(q, r, e.code == HT_EXIT_USAGE ? 404 : 503,
			       e.code == HT_EXIT_USAGE
				   ? tr(q, "No such register book.")
				   : tr(q, "The hand-over cannot be prepared now."));
	} else {
		char d[300];

		log_info("serve: export: %s downloaded %s (%ld records exported, %ld held back)",
			 q->user.name, rel.buf, st.exported, st.held_back);
		r->status = 200;
		r->content_type = "application/zip";
		snprintf(d, sizeof(d), "attachment; filename=\"%s.zip\"", prefix);
		free(r->disposition);
		r->disposition = xstrdup(d);
	}
	if (!cache && out) /* a folder of this request only */
		nftw(out, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	export_stats_release(&st);
	strbuf_release(&rel);
	free(prefix);
	free(dir);
	free(out);
}
