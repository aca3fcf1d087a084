/*
 * search.c — look-up (tra cứu): a clerk finds a citizen's record among
 * millions to issue a copy.  The search page (a name with or without
 * diacritics, an ID or CMND number, a date or year of birth, the office,
 * book and number, the document type, the parents' names; ranked, paged,
 * each result with a thumbnail of its scan), the record page (every field,
 * who decided what, the citizen linked, the whole page image with the
 * record's fields marked, zoom and rotate), and the print view laid out
 * like an extract of the register with its source.  Every role may look
 * up; a user tied to an office finds only that office's records.  The
 * search is loaders/search.c's, as `hotich find`'s.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../loaders/loaders.h"
#include "../match/match.h"
#include "../ocr/ocr.h"
#include "web_internal.h"

#define PAGE_ROWS 20

/* The search's parameters as the form names them. */
static const char *const find_params[] = { "q",	   "name", "id",     "dob",    "office", "type",
					   "book", "no",   "father", "mother", "year",	 "near" };

static const char *arg(const struct web_req *q, const char *name)
{
	const char *v = web_req_arg(q, name);

	return v && *v ? v : NULL;
}

static const char *match_label(struct web_req *q, const char *m)
{
	static const char *const labels[][2] = {
		{ "exact", N_("Exact") },    { "folded", N_("Without diacritics") },
		{ "words", N_("By words") }, { "partial", N_("Part of the name") },
		{ "near", N_("Near") },	     { "filter", N_("By the filters") },
	};

	for (size_t i = 0; i < HT_ARRAY_LEN(labels); i++)
		if (m && !strcmp(m, labels[i][0]))
			return tr(q, labels[i][1]);
	return m ? m : "";
}

/* The query string of the search without `page`, for the paging links. */
static void search_url(const struct web_req *q, strbuf *b, long page)
{
	strbuf_addstr(b, "/find?");
	for (size_t i = 0; i < HT_ARRAY_LEN(find_params); i++) {
		const char *v = arg(q, find_params[i]);

		if (!v)
			continue;
		strbuf_addf(b, "%s=", find_params[i]);
		web_url_esc(b, v);
		strbuf_addch(b, '&');
	}
	strbuf_addf(b, "page=%ld", page);
}

static void input(struct web_req *q, strbuf *b, const char *name, const char *label,
		  const char *placeholder)
{
	strbuf_addstr(b, "<label>");
	web_html_esc(b, label);
	strbuf_addf(b, "<input type=\"text\" name=\"%s\" id=\"f-%s\" value=\"", name, name);
	web_html_esc(b, arg(q, name) ? arg(q, name) : "");
	strbuf_addstr(b, "\"");
	if (placeholder) {
		strbuf_addstr(b, " placeholder=\"");
		web_html_esc(b, placeholder);
		strbuf_addstr(b, "\"");
	}
	strbuf_addstr(b, "></label>");
}

/*
 * The office: typed (a beginning is enough when one office has it) or
 * picked from the offices whose records are stored.
 */
static void office_input(struct web_req *q, strbuf *b)
{
	char **offices = NULL;
	size_t n = 0;
	herr e = { 0 };

	strbuf_addstr(b, "<label>");
	web_html_esc(b, tr(q, "Registry office"));
	strbuf_addstr(b, "<input type=\"text\" name=\"office\" id=\"f-office\""
			 " list=\"f-office-list\" autocomplete=\"off\" value=\"");
	web_html_esc(b, arg(q, "office") ? arg(q, "office") : "");
	strbuf_addstr(b, "\"></label><datalist id=\"f-office-list\">");
	if (export_offices(q->db, &offices, &n, &e) < 0)
		log_error("serve: %s", e.msg); /* the box still takes a typed office */
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(b, "<option value=\"");
		web_html_esc(b, offices[i]);
		strbuf_addstr(b, "\">");
		free(offices[i]);
	}
	free(offices);
	strbuf_addstr(b, "</datalist>");
}

static void search_form(struct web_req *q, strbuf *b)
{
	static const char *const types[] = { "khai_sinh",	"khai_tu",	"ket_hon",
					     "nhan_cha_me_con", "tthc_receipt", "unknown" };
	const char *t = arg(q, "type");
	int advanced = 0;

	for (size_t i = 1; i < HT_ARRAY_LEN(find_params); i++)
		advanced |= arg(q, find_params[i]) != NULL;
	strbuf_addstr(b, "<form method=\"get\" action=\"/find\" class=\"find\" role=\"search\">"
			 "<div class=\"findmain\"><input type=\"search\" name=\"q\" id=\"f-q\" "
			 "autofocus value=\"");
	web_html_esc(b, arg(q, "q") ? arg(q, "q") : "");
	strbuf_addstr(b, "\" aria-label=\"");
	web_html_esc(b, tr(q, "Name, ID or CMND number, date of birth"));
	strbuf_addstr(b, "\" placeholder=\"");
	web_html_esc(b, tr(q, "Name, ID or CMND number, date of birth"));
	strbuf_addstr(b, "\"><button type=\"submit\" id=\"f-go\">");
	web_html_esc(b, tr(q, "Search"));
	strbuf_addf(b, "</button></div><details%s><summary>", advanced ? " open" : "");
	web_html_esc(b, tr(q, "More conditions"));
	strbuf_addstr(b, "</summary><div class=\"findmore\">");
	input(q, b, "name", tr(q, "Full name"), NULL);
	input(q, b, "id", tr(q, "ID or CMND number"), NULL);
	input(q, b, "dob", tr(q, "Date or year of birth"), tr(q, "dd/mm/yyyy"));
	input(q, b, "father", tr(q, "Father's name"), NULL);
	input(q, b, "mother", tr(q, "Mother's name"), NULL);
	if (!web_user_office(q))
		office_input(q, b);
	input(q, b, "book", tr(q, "Book"), NULL);
	input(q, b, "no", tr(q, "Number"), NULL);
	input(q, b, "year", tr(q, "Year registered"), NULL);
	strbuf_addstr(b, "<label>");
	web_html_esc(b, tr(q, "Document"));
	strbuf_addstr(b, "<select name=\"type\" id=\"f-type\"><option value=\"\">");
	web_html_esc(b, tr(q, "Any"));
	strbuf_addstr(b, "</option>");
	for (size_t i = 0; i < HT_ARRAY_LEN(types); i++) {
		strbuf_addf(b, "<option value=\"%s\"%s>", types[i],
			    t && !strcmp(t, types[i]) ? " selected" : "");
		web_html_esc(b, web_doc_type_label(q, types[i]));
		strbuf_addstr(b, "</option>");
	}
	strbuf_addf(b,
		    "</select></label><label class=\"check\"><input type=\"checkbox\" "
		    "name=\"near\" value=\"1\" id=\"f-near\"%s>",
		    arg(q, "near") ? " checked" : "");
	web_html_esc(b, tr(q, "Also names that are near"));
	strbuf_addstr(b, "</label></div></details></form>");
}

static void results_table(struct web_req *q, strbuf *b, const struct search_results *res, int from,
			  int to)
{
	strbuf_addstr(b, "<table class=\"list results\" id=\"results\"><thead><tr><th></th><th>");
	web_html_esc(b, tr(q, "Full name"));
	strbuf_addstr(b, "</th><th>");
	web_field_label(q, b, "dob");
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "ID or CMND number"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Document"));
	strbuf_addstr(b, "</th><th>");
	web_field_label(q, b, "registry_office");
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Number / book"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Found"));
	strbuf_addstr(b, "</th><th></th></tr></thead><tbody>");
	for (int i = from; i < to; i++) {
		const struct db_rows *r = &res->rows;
		const char *id = db_rows_get(r, i, 0);

		strbuf_addf(
		    b,
		    "<tr data-record=\"%s\"><td class=\"thumb\"><a href=\"/find/record/%s\">"
		    "<img src=\"/find/thumb/%s.png\" alt=\"\" loading=\"lazy\" width=\"80\">"
		    "</a></td><td><a class=\"name\" href=\"/find/record/%s\">",
		    id, id, id, id);
		web_html_esc(b, db_rows_isnull(r, i, 2) ? "—" : db_rows_get(r, i, 2));
		strbuf_addstr(b, "</a>");
		if (strcmp(db_rows_get(r, i, 1), "subject")) {
			strbuf_addstr(b, "<br><span class=\"muted\">");
			web_html_esc(b, web_role_label(q, db_rows_get(r, i, 1)));
			strbuf_addstr(b, "</span>");
		}
		strbuf_addstr(b, "</td><td>");
		web_fmt_date(b, db_rows_isnull(r, i, 3) ? NULL : db_rows_get(r, i, 3));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, !db_rows_isnull(r, i, 5)   ? db_rows_get(r, i, 5)
				: !db_rows_isnull(r, i, 6) ? db_rows_get(r, i, 6)
							   : "—");
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, web_doc_type_label(q, db_rows_get(r, i, 7)));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, db_rows_isnull(r, i, 8) ? "—" : db_rows_get(r, i, 8));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, db_rows_isnull(r, i, 10) ? "—" : db_rows_get(r, i, 10));
		strbuf_addstr(b, " / ");
		web_html_esc(b, db_rows_isnull(r, i, 9) ? "—" : db_rows_get(r, i, 9));
		strbuf_addf(b, "</td><td><span class=\"match %s\">", db_rows_get(r, i, 18));
		web_html_esc(b, match_label(q, db_rows_get(r, i, 18)));
		strbuf_addf(b, "</span></td><td><a href=\"/find/print/%s\">", id);
		web_html_esc(b, tr(q, "Print"));
		strbuf_addstr(b, "</a></td></tr>");
	}
	strbuf_addstr(b, "</tbody></table>");
}

void web_find(struct web_req *q, struct web_resp *r)
{
	struct search_query sq = { 0 };
	struct search_results res = { 0 };
	strbuf *b = &r->body;
	herr e = { 0 };
	long page = 1, year = 0;
	int asked = 0, failed = 0;

	for (size_t i = 0; i < HT_ARRAY_LEN(find_params); i++)
		asked |= strcmp(find_params[i], "near") && arg(q, find_params[i]) != NULL;
	if (arg(q, "page") && parse_int(arg(q, "page"), 1, 50, &page) < 0)
		page = 1;
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Look-up"), "find");
	strbuf_addstr(b, "<main class=\"wide\"><h1>");
	web_html_esc(b, tr(q, "Look-up"));
	strbuf_addstr(b, "</h1>");
	search_form(q, b);
	if (!asked) {
		strbuf_addstr(b, "<p class=\"muted\">");
		web_html_esc(b, tr(q, "Type a name with or without diacritics (\"nguyen van hung\" "
				      "finds \"Nguyễn Văn Hùng\"), an ID or CMND number, or a date "
				      "of birth; or open \"More conditions\"."));
		strbuf_addstr(b, "</p></main>");
		web_page_end(r);
		return;
	}
	sq.text = arg(q, "q");
	sq.name = arg(q, "name");
	sq.id = arg(q, "id");
	sq.dob = arg(q, "dob");
	sq.office = web_user_office(q) ? NULL : arg(q, "office");
	sq.doc_type = arg(q, "type");
	sq.book_no = arg(q, "book");
	sq.register_no = arg(q, "no");
	sq.father = arg(q, "father");
	sq.mother = arg(q, "mother");
	sq.web_user_office = web_user_office(q);
	sq.near = arg(q, "near") != NULL;
	if (arg(q, "year") && parse_int(arg(q, "year"), 1800, 2200, &year) == 0)
		sq.year = (int)year;
	else if (arg(q, "year"))
		sq.year = -1;
	sq.offset = (int)(page - 1) * PAGE_ROWS;
	sq.limit = PAGE_ROWS;
	if (sq.year < 0) {
		failed = 1;
	} else if (search_records(q->db, &sq, &res, &e) < 0) {
		/* an office named by a beginning several offices share (search.c's
		 * message), else a value that is not a date or a number */
		failed = e.code != HT_EXIT_USAGE ? 2 : !strncmp(e.msg, "office ", 7) ? 3 : 1;
		if (failed == 2)
			log_warning("serve: search: %s", e.msg);
	}
	if (failed) {
		strbuf_addstr(b, "<p class=\"flash error\" id=\"find-error\">");
		web_html_esc(
		    b, failed == 1   ? tr(q, "This cannot be searched: a date is dd/mm/yyyy, "
					       "mm/yyyy or yyyy, an ID number has 12 digits and a "
					       "CMND number 9.")
		       : failed == 3 ? tr(q, "Several offices have a name that begins so: write "
					     "more of it.")
				     : tr(q, "The search failed. Try again in a moment."));
		strbuf_addstr(b, "</p>");
	} else {
		int to = res.rows.n < sq.offset + sq.limit ? res.rows.n : sq.offset + sq.limit;

		strbuf_addstr(b, "<p class=\"count\" id=\"find-count\">");
		if (to <= sq.offset)
			web_html_esc(b, tr(q, "No record found."));
		else
			strbuf_addf(b, tr(q, "Records %d–%d%s"), sq.offset + 1, to,
				    res.more ? "+" : "");
		strbuf_addstr(b, "</p>");
		if (to > sq.offset)
			results_table(q, b, &res, sq.offset, to);
		strbuf_addstr(b, "<nav class=\"pages\">");
		if (page > 1) {
			strbuf_addstr(b, "<a rel=\"prev\" id=\"find-prev\" href=\"");
			{
				strbuf u = STRBUF_INIT;

				search_url(q, &u, page - 1);
				web_html_esc(b, u.buf);
				strbuf_release(&u);
			}
			strbuf_addstr(b, "\">");
			web_html_esc(b, tr(q, "Previous page"));
			strbuf_addstr(b, "</a> ");
		}
		if (res.more && page < 50) {
			strbuf u = STRBUF_INIT;

			search_url(q, &u, page + 1);
			strbuf_addstr(b, "<a rel=\"next\" id=\"find-next\" href=\"");
			web_html_esc(b, u.buf);
			strbuf_addstr(b, "\">");
			web_html_esc(b, tr(q, "Next page"));
			strbuf_addstr(b, "</a>");
			strbuf_release(&u);
		}
		strbuf_addstr(b, "</nav>");
	}
	strbuf_addstr(b, "</main>");
	web_page_end(r);
	search_results_release(&res);
}

/* ------------------------------------------------------------------------
 * One record
 * ---------------------------------------------------------------------- */

/* The record, or an answer already given (404, 503): 1 found, 0 not. */
static int load_record(struct web_req *q, struct web_resp *r, long id, struct db_rows *rec,
		       struct db_rows *people, struct db_rows *audit)
{
	herr e = { 0 };
	int found =
	    id < 0 ? 0 : search_record(q->db, id, web_user_office(q), rec, people, audit, &e);

	if (found < 0) {
		log_warning("serve: record %ld: %s", id, e.msg);
		web_resp_error(q, r, 503,
			       tr(q, "The database is not available. Try again in a moment."));
		return 0;
	}
	if (!found) {
		db_rows_release(rec);
		db_rows_release(people);
		db_rows_release(audit);
		web_resp_error(q, r, 404, tr(q, "No such record, or not one of your office."));
		return 0;
	}
	return 1;
}

static void source_line(struct web_req *q, strbuf *b, const struct db_rows *rec)
{
	web_field_label(q, b, "registry_office");
	strbuf_addstr(b, ": ");
	web_html_esc(b, db_rows_isnull(rec, 0, 2) ? "—" : db_rows_get(rec, 0, 2));
	strbuf_addstr(b, "; ");
	web_html_esc(b, tr(q, "book"));
	strbuf_addstr(b, " ");
	web_html_esc(b, db_rows_isnull(rec, 0, 3) ? "—" : db_rows_get(rec, 0, 3));
	strbuf_addstr(b, ", ");
	web_html_esc(b, tr(q, "number"));
	strbuf_addstr(b, " ");
	web_html_esc(b, db_rows_isnull(rec, 0, 4) ? "—" : db_rows_get(rec, 0, 4));
	strbuf_addstr(b, "; ");
	strbuf_addf(b, tr(q, "page %s"), db_rows_get(rec, 0, 7));
	strbuf_addstr(b, "; ");
	web_html_esc(b, tr(q, "file"));
	strbuf_addstr(b, " <span class=\"path\">");
	web_html_esc(b, db_rows_get(rec, 0, 6));
	strbuf_addstr(b, "</span>");
}

static void fields_table(struct web_req *q, strbuf *b, json_t *fields, int with_conf)
{
	const char **keys;
	size_t n = web_fields_in_order(fields, &keys);

	strbuf_addstr(b, "<table class=\"fields\" id=\"fields\"><tbody>");
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_object_get(fields, keys[i]);
		json_t *v = json_object_get(f, "value");

		strbuf_addf(b, "<tr data-field=\"%s\"><th>", keys[i]);
		web_field_label(q, b, keys[i]);
		strbuf_addstr(b, "</th><td>");
		web_fmt_value(q, b, keys[i], json_is_string(v) ? json_string_value(v) : NULL);
		strbuf_addstr(b, "</td>");
		if (with_conf) {
			strbuf_addstr(b, "<td class=\"num\">");
			if (json_is_number(json_object_get(f, "conf")))
				web_fmt_pct(q, b,
					    100 * json_number_value(json_object_get(f, "conf")));
			strbuf_addstr(b, "</td><td>");
			if (json_is_true(json_object_get(f, "review"))) {
				strbuf_addstr(b, "<span class=\"st review\">");
				web_html_esc(b, tr(q, "To check"));
				strbuf_addstr(b, "</span>");
			}
			strbuf_addstr(b, "</td>");
		}
		strbuf_addstr(b, "</tr>");
	}
	strbuf_addstr(b, "</tbody></table>");
	free(keys);
}

void web_find_record(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/find/record/", NULL);
	struct db_rows rec, people, audit;
	strbuf *b = &r->body;
	json_t *fields;

	if (!load_record(q, r, id, &rec, &people, &audit))
		return;
	fields = json_loads(db_rows_get(&rec, 0, 8), 0, NULL);
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Record"), "find");
	strbuf_addstr(b, "<main class=\"wide\"><h1>");
	web_html_esc(b, web_doc_type_label(q, db_rows_get(&rec, 0, 1)));
	strbuf_addf(b, " #%ld</h1><p class=\"source\">", id);
	source_line(q, b, &rec);
	strbuf_addf(b, "</p><p><a class=\"button\" id=\"print\" href=\"/find/print/%ld\">", id);
	web_html_esc(b, tr(q, "Print view"));
	strbuf_addstr(b, "</a> <a href=\"/find\">");
	web_html_esc(b, tr(q, "New search"));
	strbuf_addstr(b, "</a></p><div class=\"recordview\"><section class=\"data\"><h2>");
	web_html_esc(b, tr(q, "Values read"));
	strbuf_addstr(b, "</h2>");
	fields_table(q, b, fields, 1);

	/* the people and the citizens they are linked to */
	strbuf_addstr(b, "<h2>");
	web_html_esc(b, tr(q, "Links to the citizen registry"));
	strbuf_addstr(b, "</h2><table class=\"list\" id=\"links\"><thead><tr><th>");
	web_html_esc(b, tr(q, "Person"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Status"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Citizen"));
	strbuf_addstr(b, "</th></tr></thead><tbody>");
	for (int i = 0; i < people.n; i++) {
		const char *st = db_rows_get(&people, i, 5);

		strbuf_addstr(b, "<tr><td>");
		web_html_esc(b, web_role_label(q, db_rows_get(&people, i, 0)));
		strbuf_addstr(b, "<br>");
		web_html_esc(b, db_rows_isnull(&people, i, 1) ? "—" : db_rows_get(&people, i, 1));
		strbuf_addf(b, "</td><td><span class=\"st %s\">", *st ? st : "none");
		web_html_esc(b, *st ? web_status_label(q, st) : tr(q, "Not matched yet"));
		strbuf_addstr(b, "</span>");
		if (!db_rows_isnull(&people, i, 14)) {
			strbuf_addstr(b, "<br><span class=\"muted\">");
			web_html_esc(b, db_rows_get(&people, i, 14));
			strbuf_addstr(b, ", ");
			web_fmt_time(b, db_rows_get(&people, i, 15));
			strbuf_addstr(b, "</span>");
		}
		strbuf_addstr(b, "</td><td>");
		if (!db_rows_isnull(&people, i, 6) &&
		    (!strcmp(st, "auto") || !strcmp(st, "confirmed") || !strcmp(st, "review"))) {
			strbuf_addstr(b, "<span class=\"citizen\">");
			web_html_esc(b, db_rows_get(&people, i, 6));
			strbuf_addstr(b, " · ");
			web_html_esc(b, db_rows_get(&people, i, 8));
			strbuf_addstr(b, " · ");
			web_fmt_date(b, db_rows_isnull(&people, i, 9) ? NULL
								      : db_rows_get(&people, i, 9));
			strbuf_addstr(b, " · ");
			web_html_esc(b, web_sex_label(q, db_rows_get(&people, i, 10)));
			strbuf_addstr(b, "</span>");
			if (!strcmp(st, "review")) {
				strbuf_addstr(b, " <span class=\"muted\">(");
				web_html_esc(b, tr(q, "candidate"));
				strbuf_addstr(b, ")</span>");
			}
		} else {
			strbuf_addstr(b, "—");
		}
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table>");

	/* who decided what */
	strbuf_addstr(b, "<h2>");
	web_html_esc(b, tr(q, "Decisions"));
	strbuf_addstr(b, "</h2>");
	if (!audit.n) {
		strbuf_addstr(b, "<p class=\"muted\" id=\"audit-none\">");
		web_html_esc(b, tr(q, "Nobody has changed or decided anything on this record."));
		strbuf_addstr(b, "</p>");
	} else {
		strbuf_addstr(b, "<table class=\"list\" id=\"audit\"><thead><tr><th>");
		web_html_esc(b, tr(q, "When"));
		strbuf_addstr(b, " (");
		web_fmt_zone(b);
		strbuf_addstr(b, ")</th><th>");
		web_html_esc(b, tr(q, "Who"));
		strbuf_addstr(b, "</th><th>");
		web_html_esc(b, tr(q, "What"));
		strbuf_addstr(b, "</th></tr></thead><tbody>");
		for (int i = 0; i < audit.n; i++) {
			strbuf_addstr(b, "<tr><td>");
			web_fmt_time(b, db_rows_get(&audit, i, 0));
			strbuf_addstr(b, "</td><td>");
			web_html_esc(b, db_rows_get(&audit, i, 1));
			strbuf_addstr(b, "</td><td>");
			web_html_esc(b, web_action_label(q, db_rows_get(&audit, i, 2)));
			if (!db_rows_isnull(&audit, i, 4)) {
				strbuf_addstr(b, ": ");
				web_field_label(q, b, db_rows_get(&audit, i, 4));
			} else if (!db_rows_isnull(&audit, i, 3)) {
				strbuf_addstr(b, ": ");
				web_html_esc(b, web_role_label(q, db_rows_get(&audit, i, 3)));
			}
			strbuf_addstr(b, "</td></tr>");
		}
		strbuf_addstr(b, "</tbody></table>");
	}

	/* the whole page */
	strbuf_addstr(b, "</section><section class=\"scan viewer\" data-viewer=\"1\"><h2>");
	web_html_esc(b, tr(q, "The scanned page"));
	strbuf_addstr(b, "</h2><div class=\"tools\"><button type=\"button\" data-zoom=\"in\" "
			 "id=\"zoom-in\">");
	web_html_esc(b, tr(q, "Zoom in"));
	strbuf_addstr(b, "</button><button type=\"button\" data-zoom=\"out\" id=\"zoom-out\">");
	web_html_esc(b, tr(q, "Zoom out"));
	strbuf_addstr(b, "</button><button type=\"button\" data-rotate=\"1\" id=\"rotate\">");
	web_html_esc(b, tr(q, "Rotate"));
	strbuf_addstr(b, "</button></div><div class=\"frame\">");
	strbuf_addf(b, "<img id=\"page\" src=\"/find/page/%ld.png\" alt=\"", id);
	web_html_esc(b, tr(q, "The scanned page, the record's fields marked"));
	strbuf_addstr(b, "\"></div></section></div></main>");
	web_page_end(r);
	json_decref(fields);
	db_rows_release(&rec);
	db_rows_release(&people);
	db_rows_release(&audit);
}

/* The print view: the record's data laid out like an extract of the
 * register, with its source, for the clerk to check against the paper. */
void web_find_print(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/find/print/", NULL);
	struct db_rows rec, people, audit;
	strbuf *b = &r->body;
	json_t *fields;

	if (!load_record(q, r, id, &rec, &people, &audit))
		return;
	fields = json_loads(db_rows_get(&rec, 0, 8), 0, NULL);
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Print view"), "find");
	strbuf_addstr(b, "<main class=\"print\"><p class=\"noprint\"><button type=\"button\" "
			 "data-print=\"1\" id=\"do-print\">");
	web_html_esc(b, tr(q, "Print"));
	strbuf_addf(b, "</button> <a href=\"/find/record/%ld\">", id);
	web_html_esc(b, tr(q, "Back to the record"));
	strbuf_addstr(b,
		      "</a></p><article class=\"extract\"><p class=\"nation\">CỘNG HOÀ XÃ HỘI "
		      "CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p><p class=\"office\">");
	web_html_esc(b, db_rows_isnull(&rec, 0, 2) ? "—" : db_rows_get(&rec, 0, 2));
	strbuf_addstr(b, "</p><h1>");
	web_html_esc(b, web_doc_type_label(q, db_rows_get(&rec, 0, 1)));
	strbuf_addstr(b, "</h1><p class=\"stamp\" id=\"printed-from\">");
	/* the words the issue asks for, in the interface's language first */
	web_html_esc(b, tr(q, "printed from the digitized register"));
	if (q->lang != LANG_EN)
		strbuf_addstr(b, " <span lang=\"en\">(printed from the digitized register)</span>");
	strbuf_addstr(b, "</p><p class=\"numbers\">");
	web_field_label(q, b, "register_no");
	strbuf_addstr(b, ": ");
	web_html_esc(b, db_rows_isnull(&rec, 0, 4) ? "—" : db_rows_get(&rec, 0, 4));
	strbuf_addstr(b, " &nbsp; ");
	web_field_label(q, b, "book_no");
	strbuf_addstr(b, ": ");
	web_html_esc(b, db_rows_isnull(&rec, 0, 3) ? "—" : db_rows_get(&rec, 0, 3));
	strbuf_addstr(b, "</p>");
	fields_table(q, b, fields, 0);
	strbuf_addstr(b, "<p class=\"source\" id=\"source\"><strong>");
	web_html_esc(b, tr(q, "Source"));
	strbuf_addstr(b, ":</strong> ");
	source_line(q, b, &rec);
	strbuf_addstr(b, "</p><p class=\"muted\">");
	web_html_esc(b,
		     tr(q, "Check every value against the paper register before issuing a copy."));
	strbuf_addstr(b, "</p></article></main>");
	web_page_end(r);
	json_decref(fields);
	db_rows_release(&rec);
	db_rows_release(&people);
	db_rows_release(&audit);
}

/* ------------------------------------------------------------------------
 * The page image and its thumbnail
 * ---------------------------------------------------------------------- */

static int json_box(json_t *fv, int out[4])
{
	json_t *bb = json_object_get(fv, "bbox");

	if (!json_is_array(bb) || json_array_size(bb) != 4)
		return 0;
	for (int i = 0; i < 4; i++)
		out[i] = (int)json_integer_value(json_array_get(bb, (size_t)i));
	return out[2] > 0 && out[3] > 0;
}

/* The whole page (`max_w` wide at most), the record's fields marked;
 * cached like the review's crops. */
static void page_png(struct web_req *q, struct web_resp *r, long id, int max_w)
{
	struct db_rows src;
	herr e = { 0, "" };
	int marks[OCR_MAX_FIELDS][4], nmarks = 0, box[4] = { 0, 0, 0, 0 }, rot;
	unsigned char *png = NULL;
	size_t len = 0;
	const char *key, *dir = web_cache_dir(q->srv);
	json_t *fields, *fv;
	strbuf k = STRBUF_INIT, sb = STRBUF_INIT;
	char hex[65], *path = NULL;

	if (id < 0 || review_crop_source(q->db, id, web_user_office(q), &src, &e) < 0 ||
	    src.n != 1) {
		if (e.code)
			log_warning("serve: page of record %ld: %s", id, e.msg);
		db_rows_release(&src);
		web_resp_error(q, r, 404, tr(q, "No such image."));
		return;
	}
	fields = json_loads(db_rows_get(&src, 0, 3), 0, NULL);
	json_object_foreach(fields, key, fv)
	{
		if (nmarks < OCR_MAX_FIELDS && json_box(fv, marks[nmarks]))
			nmarks++;
	}
	json_decref(fields);
	rot = (int)db_rows_long(&src, 0, 2);
	box[2] = (int)db_rows_long(&src, 0, rot == 90 || rot == 270 ? 6 : 5);
	box[3] = (int)db_rows_long(&src, 0, rot == 90 || rot == 270 ? 5 : 6);
	strbuf_addf(&k, "page|%s|%s|%d|%d", db_rows_get(&src, 0, 10), db_rows_get(&src, 0, 1),
		    max_w, rot);
	for (int i = 0; i < nmarks; i++)
		strbuf_addf(&k, "|%d,%d,%d,%d", marks[i][0], marks[i][1], marks[i][2], marks[i][3]);
	sha256_mem(k.buf, k.len, hex);
	strbuf_release(&k);
	if (dir) {
		path = xasprintf("%s/%s.png", dir, hex);
		if (fs_read_file(path, 32u << 20, &sb, NULL) == 0 && sb.len > 8) {
			r->status = 200;
			r->content_type = "image/png";
			strbuf_add(&r->body, sb.buf, sb.len);
			goto out;
		}
	}
	if (box[2] <= 0 || box[3] <= 0 ||
	    ocr_crop_png(db_rows_get(&src, 0, 0), (int)db_rows_long(&src, 0, 1), box,
			 (const int(*)[4])marks, nmarks, rot, max_w, &png, &len, &e) < 0) {
		log_warning("serve: page of record %ld: %s", id, e.msg);
		web_resp_error(q, r, 404,
			       tr(q, "The scan of this record cannot be read any more."));
		goto out;
	}
	if (path) {
		web_cache_write(path, png, len);
	}
	r->status = 200;
	r->content_type = "image/png";
	strbuf_add(&r->body, png, len);
out:
	free(png);
	free(path);
	strbuf_release(&sb);
	db_rows_release(&src);
}

void web_find_page(struct web_req *q, struct web_resp *r)
{
	page_png(q, r, web_path_id(q->path, "/find/page/", ".png"), 1600);
}

void web_find_thumb(struct web_req *q, struct web_resp *r)
{
	page_png(q, r, web_path_id(q->path, "/find/thumb/", ".png"), 160);
}
