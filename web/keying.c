/*
 * keying.c — keying (nhập liệu): pages the reader could not classify and
 * records with most of their fields flagged, typed in by a person beside
 * the zoomable scan.
 *
 * A keyer (role reviewer, or admin) takes the next item like a review item
 * (SKIP LOCKED, under a lease), picks the document type (a page), and types
 * the fields the forms of that type print (ocr_form_fields: the list the
 * extraction reads), keyboard first: Tab between fields, Enter saves, dates
 * as digits.  Each value is normalized like a reviewer's correction
 * (web_field_normalize: names by the normalize stage, which also checks a
 * name while it is typed, through GET /keying/check).  Vietnamese is typed
 * with the operating system's input method (Telex, VNI): the page listens
 * to no key inside a text field, so composition is left alone.  A saved
 * keying makes the record like an OCR'd one (loaders: keying_save), which
 * `hotich match --unlinked` links.  With double keying the identity fields
 * are typed by two keyers, a third deciding when they disagree.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../ocr/ocr.h"
#include "web_internal.h"

#define KEY_MAX_FIELDS 32

static const char *const doc_types[] = { "khai_sinh", "khai_tu", "ket_hon", "nhan_cha_me_con",
					 "tthc_receipt" };

static void db_failed(const herr *e)
{
	log_error("serve: %s", e->msg);
}

static const char *col(const struct db_rows *res, int row, int c)
{
	return db_rows_isnull(res, row, c) ? NULL : db_rows_get(res, row, c);
}

/* The kind of an item by its address: 'p' (/keying/page/N), 'r', or 0. */
static char item_kind(const char *path, const char *page_prefix, const char *record_prefix,
		      const char *suffix, long *id)
{
	if (!strncmp(path, page_prefix, strlen(page_prefix))) {
		*id = web_path_id(path, page_prefix, suffix);
		return *id > 0 ? 'p' : 0;
	}
	*id = web_path_id(path, record_prefix, suffix);
	return *id > 0 ? 'r' : 0;
}

static void item_url(char *buf, size_t size, char kind, long id)
{
	snprintf(buf, size, "/keying/%s/%ld", kind == 'p' ? "page" : "record", id);
}

static int known_doc_type(const char *t)
{
	for (size_t i = 0; t && i < HT_ARRAY_LEN(doc_types); i++)
		if (!strcmp(t, doc_types[i]))
			return 1;
	return 0;
}

/* The fields of a document type in the order its forms print them; *keys
 * malloc'd (static strings), their number returned. */
static size_t form_fields(const char *doc_type, const char ***keys)
{
	const char *names[KEY_MAX_FIELDS];
	int n = ocr_form_fields(doc_type, names, KEY_MAX_FIELDS);
	json_t *obj = json_object();
	const char **sorted;
	size_t m;

	for (int i = 0; i < n; i++)
		json_object_set_new(obj, names[i], json_null());
	m = web_fields_in_order(obj, &sorted);
	/* the object's keys are its own copies: point at the static names */
	*keys = xcalloc(m + 1, sizeof(**keys));
	for (size_t i = 0; i < m; i++)
		for (int k = 0; k < n; k++)
			if (!strcmp(sorted[i], names[k]))
				(*keys)[i] = names[k];
	free(sorted);
	json_decref(obj);
	return m;
}

static int is_date_field(const char *f)
{
	size_t n = strlen(f);

	return !strcmp(f, "dob") || (n > 4 && !strcmp(f + n - 4, "_dob")) ||
	       (n > 3 && !strcmp(f + n - 3, "_on"));
}

static int is_name_field(const char *f)
{
	size_t n = strlen(f);

	return !strcmp(f, "full_name") ||
	       (n > 5 && !strcmp(f + n - 5, "_name") && strcmp(f, "procedure_name"));
}

static int is_id_field(const char *f)
{
	size_t n = strlen(f);

	return n >= 9 && !strcmp(f + n - 9, "id_number");
}

static const char *const keying_msgs[][2] = {
	{ "empty", N_("Nothing is waiting to be keyed.") },
	{ "saved", N_("Saved: the record is made.") },
	{ "second", N_("Saved. A second keyer types the same page.") },
	{ "third", N_("Saved. The two keyings differ: a third keyer decides.") },
	{ "not_held", N_("Take the item first: you do not hold it now.") },
	{ "gone", N_("This item is not waiting to be keyed any more.") },
	{ "same", N_("You keyed this page already: another keyer types it.") },
	{ "settings", N_("The keying settings are saved.") },
};

static void flash(struct web_req *q, strbuf *b)
{
	const char *m = web_req_arg(q, "msg");

	for (size_t i = 0; m && i < HT_ARRAY_LEN(keying_msgs); i++)
		if (!strcmp(m, keying_msgs[i][0])) {
			int good = strcmp(m, "not_held") && strcmp(m, "gone") && strcmp(m, "same");

			web_flash(b, i18n_get(q->lang, keying_msgs[i][1]), good);
		}
}

/* ------------------------------------------------------------------------
 * The queue
 * ---------------------------------------------------------------------- */

static int claim_next(struct web_req *q, char *kind, long *id)
{
	herr e = { 0 };
	int got = keying_held(q->db, q->user.name, web_user_office(q), kind, id, &e);

	if (got == 0)
		got = keying_claim_next(q->db, q->user.name, web_user_office(q), q->o->lease_s,
					kind, id, &e);
	if (got < 0)
		db_failed(&e);
	return got;
}

static void go_next(struct web_req *q, struct web_resp *r, const char *msg)
{
	char kind = 0, loc[96];
	long id = 0;

	if (claim_next(q, &kind, &id) > 0) {
		item_url(loc, sizeof(loc), kind, id);
		if (msg) {
			size_t n = strlen(loc);

			snprintf(loc + n, sizeof(loc) - n, "?msg=%s", msg);
		}
	} else {
		snprintf(loc, sizeof(loc), "/keying?msg=%s", msg ? msg : "empty");
	}
	web_resp_redirect(r, loc);
}

static void settings_form(struct web_req *q, strbuf *b)
{
	struct keying_settings s;
	herr e = { 0 };

	if (keying_settings_get(q->db, &s, &e) < 0) {
		db_failed(&e);
		return;
	}
	strbuf_addstr(b, "<div class=\"card\"><h2>");
	web_html_esc(b, tr(q, "Settings"));
	strbuf_addstr(b, "</h2><p>");
	web_html_esc(b, s.double_keying
			    ? tr(q, "Double keying is on: names, dates of birth and ID"
				    " numbers are typed by two keyers, a third"
				    " decides when they differ.")
			    : tr(q, "Double keying is off: one keyer makes the record."));
	strbuf_addstr(b, "</p>");
	if (q->user.role == ROLE_ADMIN) {
		strbuf_addstr(b, "<form method=\"post\" action=\"/keying/settings\">");
		web_csrf_field(q, b);
		strbuf_addf(b,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"double\""
			    " value=\"1\" id=\"double\"%s> ",
			    s.double_keying ? " checked" : "");
		web_html_esc(b, tr(q, "Double keying of the identity fields"));
		strbuf_addstr(b, "</label> <label>");
		web_html_esc(b,
			     tr(q, "Records go to keying when more than this share of their fields"
				   " is flagged, in percent"));
		strbuf_addf(b,
			    " <input name=\"share\" id=\"share\" inputmode=\"numeric\" size=\"4\""
			    " value=\"%d\"></label> <button type=\"submit\">",
			    (int)(s.flagged_share * 100 + 0.5));
		web_html_esc(b, tr(q, "Save the settings"));
		strbuf_addstr(b, "</button></form>");
	}
	strbuf_addstr(b, "</div>");
}

void web_keying_queue(struct web_req *q, struct web_resp *r)
{
	char kind = 0, loc[64];
	long id = 0, np = 0, nr = 0;
	herr e = { 0 };
	int got = keying_held(q->db, q->user.name, web_user_office(q), &kind, &id, &e);
	strbuf *b = &r->body;

	if (got < 0 ||
	    keying_queue_counts(q->db, q->user.name, web_user_office(q), &np, &nr, &e) < 0) {
		db_failed(&e);
		web_resp_error(q, r, 503,
			       tr(q, "The keying queue is not available. Try again in a moment."));
		return;
	}
	if (got) {
		item_url(loc, sizeof(loc), kind, id);
		web_resp_redirect(r, loc);
		return;
	}
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Keying"), "keying");
	strbuf_addstr(b, "<main class=\"narrow\"><h1>");
	web_html_esc(b, tr(q, "Keying"));
	strbuf_addstr(b, "</h1>");
	flash(q, b);
	strbuf_addstr(b, "<p class=\"queue\" id=\"keyqueue\">");
	{
		strbuf t = STRBUF_INIT, a = STRBUF_INIT, c = STRBUF_INIT;

		strbuf_addf(&a,
			    trn(q, "%ld page the reader could not read",
				"%ld pages the reader could not read", (unsigned long)np),
			    np);
		strbuf_addf(&c,
			    trn(q, "%ld record with most values flagged",
				"%ld records with most values flagged", (unsigned long)nr),
			    nr);
		strbuf_addf(&t, tr(q, "Waiting to be keyed: %s and %s."), a.buf, c.buf);
		web_html_esc(b, t.buf);
		strbuf_release(&t);
		strbuf_release(&a);
		strbuf_release(&c);
	}
	strbuf_addstr(b, "</p><div class=\"card start\"><p>");
	web_html_esc(b, tr(q, "Type in what the scan says: pick the document type, then its fields."
			      " Tab goes to the next field, Enter saves; dates as digits (25031987"
			      " is 25/03/1987). Vietnamese with your keyboard's input method (Telex"
			      " or VNI)."));
	strbuf_addstr(b, "</p><form method=\"post\" action=\"/keying/next\">");
	web_csrf_field(q, b);
	strbuf_addstr(b, "<button type=\"submit\" class=\"primary\" id=\"start\" autofocus>"
			 "<kbd>Enter</kbd> ");
	web_html_esc(b, tr(q, "Start keying"));
	strbuf_addstr(b, "</button></form></div>");
	settings_form(q, b);
	strbuf_addstr(b, "</main>");
	web_page_end(r);
}

void web_keying_next(struct web_req *q, struct web_resp *r)
{
	go_next(q, r, NULL);
}

void web_keying_settings(struct web_req *q, struct web_resp *r)
{
	struct keying_settings s;
	const char *share = web_param(&q->form, "share");
	herr e = { 0 };
	char *end = NULL;
	long pct = share ? strtol(share, &end, 10) : 50;

	if ((share && (end == share || *end)) || pct < 1 || pct > 100) {
		web_resp_error(q, r, 400, tr(q, "The share must be a whole number from 1 to 100."));
		return;
	}
	s.double_keying = web_param(&q->form, "double") != NULL;
	s.flagged_share = pct / 100.0;
	if (keying_settings_set(q->db, &s, q->user.name, &e) < 0) {
		db_failed(&e);
		web_resp_error(q, r, 503,
			       tr(q, "The settings could not be saved. Nothing was changed."));
		return;
	}
	log_info("serve: \"%s\" set double keying %s, flagged share %ld%%", q->user.name,
		 s.double_keying ? "on" : "off", pct);
	web_resp_redirect(r, "/keying?msg=settings");
}

/* ------------------------------------------------------------------------
 * An item
 * ---------------------------------------------------------------------- */

enum {
	K_PAGE,
	K_INDEX,
	K_DOCTYPE,
	K_PATH,
	K_PAGENO,
	K_ROT,
	K_DPI,
	K_NPARTS,
	K_FIELDS,
	K_CLAIMED_BY,
	K_CLAIM_LIVE,
	K_CLAIM_UNTIL,
	K_OFFICE,
	K_BATCH,
	K_KEYERS,
	K_WAITS
};

/* What the form shows again after a refused value. */
struct typed {
	const struct web_params *form; /* the values typed (f_FIELD), or NULL */
	const char *bad[KEY_MAX_FIELDS];
	const char *why[KEY_MAX_FIELDS];
	int implausible[KEY_MAX_FIELDS];
	strbuf msgs;
};

static void typed_value(struct web_req *q, strbuf *b, const struct typed *t, const char *field,
			json_t *fields)
{
	if (t && t->form) {
		char name[80];
		const char *v;

		snprintf(name, sizeof(name), "f_%s", field);
		v = web_param(t->form, name);
		if (v)
			web_html_esc(b, v);
		return;
	}
	/* a record: what the reader made of it, to correct */
	{
		json_t *fv = json_object_get(fields, field);
		const char *v = json_string_value(json_object_get(fv, "value"));

		if (v && is_date_field(field))
			web_fmt_value(q, b, field, v);
		else if (v)
			web_html_esc(b, v);
	}
}

static void render_item(struct web_req *q, struct web_resp *r, char kind, long id, struct typed *t,
			int status)
{
	struct db_rows res_rows = { 0 }, *res = &res_rows;
	herr e = { 0 };
	strbuf *b = &r->body;
	char url[96];
	const char *doc_type, *claimed_by, *live;
	const char **keys = NULL;
	size_t nkeys = 0;
	json_t *fields = NULL;
	int mine, first = 1;

	if (keying_item(q->db, kind, id, q->user.name, web_user_office(q), res, &e) < 0) {
		db_failed(&e);
		web_resp_error(q, r, 503,
			       tr(q, "The keying queue is not available. Try again in a"
				     " moment."));
		return;
	}
	if (res->n != 1) {
		db_rows_release(res);
		web_resp_error(q, r, 404, tr(q, "No such item."));
		return;
	}
	item_url(url, sizeof(url), kind, id);
	claimed_by = col(res, 0, K_CLAIMED_BY);
	live = col(res, 0, K_CLAIM_LIVE);
	mine = claimed_by && !strcmp(claimed_by, q->user.name) && live && !strcmp(live, "t") &&
	       !strcmp(db_rows_get(res, 0, K_WAITS), "t");
	/* the type: a record's own; a page's as picked (?type=, or the form's) */
	doc_type = kind == 'r' ? db_rows_get(res, 0, K_DOCTYPE) : web_req_arg(q, "type");
	if (!known_doc_type(doc_type))
		doc_type = NULL;
	fields = json_loads(db_rows_get(res, 0, K_FIELDS), 0, NULL);
	web_resp_html(r, status);
	web_page_begin(q, r, tr(q, "Keying"), "keying");
	strbuf_addf(b, "<main class=\"item keying\" data-item=\"%s-%ld\" data-held=\"%s\">",
		    kind == 'p' ? "page" : "record", id, mine ? "yes" : "no");
	strbuf_addstr(b, "<div class=\"itemhead\"><h1>");
	web_html_esc(b, kind == 'p' ? tr(q, "Key a page the reader could not read")
				    : tr(q, "Key a record with most values flagged"));
	strbuf_addstr(b, "</h1></div>");
	flash(q, b);
	if (!mine) {
		if (strcmp(db_rows_get(res, 0, K_WAITS), "t")) {
			strbuf_addstr(b, "<div class=\"card held\"><p>");
			web_html_esc(b, tr(q, "This item is not waiting to be keyed by you."));
			strbuf_addstr(b, "</p></div>");
		} else if (claimed_by && strncmp(claimed_by, "skipped:", 8) && live &&
			   !strcmp(live, "t")) {
			strbuf m = STRBUF_INIT;

			strbuf_addf(&m, tr(q, "%s is keying this item."), claimed_by);
			strbuf_addstr(b, "<div class=\"card held\"><p>");
			web_html_esc(b, m.buf);
			strbuf_addstr(b, "</p></div>");
			strbuf_release(&m);
		} else {
			strbuf_addstr(b, "<div class=\"card held\"><p>");
			web_html_esc(b, tr(q, "Nobody is keying this item. Take it to key it."));
			strbuf_addf(b, "</p><form method=\"post\" action=\"%s\">", url);
			web_csrf_field(q, b);
			strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"claim\">"
					 "<button type=\"submit\" class=\"primary\" data-key=\"t\""
					 " id=\"take\"><kbd>T</kbd> ");
			web_html_esc(b, tr(q, "Take this item"));
			strbuf_addstr(b, "</button></form></div>");
		}
	}
	/* the scan, zoomable */
	strbuf_addstr(b, "<div class=\"cols\"><section class=\"scan keyscan\">"
			 "<div class=\"zoombar\"><button type=\"button\" class=\"quiet\""
			 " id=\"zoomout\">−</button><button type=\"button\" class=\"quiet\""
			 " id=\"zoomin\">+</button> <span class=\"muted small\">");
	web_html_esc(b, db_rows_get(res, 0, K_BATCH));
	strbuf_addf(b, " · %s %s</span></div><div class=\"zoombox\" id=\"zoombox\">", tr(q, "page"),
		    db_rows_get(res, 0, K_PAGENO));
	strbuf_addf(b, "<img id=\"scanimg\" class=\"zoom1\" src=\"/keying/scan/%s/%ld.jpg\" alt=\"",
		    kind == 'p' ? "page" : "record", id);
	web_html_esc(b, tr(q, "The scanned page"));
	strbuf_addstr(b, "\"></div></section><section class=\"decide\">");
	if (mine && kind == 'p') {
		/* the type first: a GET form, so that the fields follow it */
		strbuf_addf(b,
			    "<form method=\"get\" action=\"%s\" class=\"card\" id=\"typeform\">"
			    "<label>",
			    url);
		web_html_esc(b, tr(q, "Document type"));
		strbuf_addstr(b, " <select name=\"type\" id=\"doctype\"");
		strbuf_addstr(b, doc_type ? ">" : " autofocus>");
		for (size_t i = 0; i < HT_ARRAY_LEN(doc_types); i++) {
			strbuf_addf(b, "<option value=\"%s\"%s>", doc_types[i],
				    doc_type && !strcmp(doc_type, doc_types[i]) ? " selected" : "");
			web_html_esc(b, web_doc_type_label(q, doc_types[i]));
			strbuf_addstr(b, "</option>");
		}
		strbuf_addstr(b, "</select></label> <button type=\"submit\" id=\"pick\">");
		web_html_esc(b, tr(q, "Show its fields"));
		strbuf_addstr(b, "</button></form>");
	} else if (doc_type) {
		strbuf_addstr(b, "<p class=\"pill\">");
		web_html_esc(b, web_doc_type_label(q, doc_type));
		strbuf_addstr(b, "</p>");
	}
	if (mine && doc_type) {
		nkeys = form_fields(doc_type, &keys);
		strbuf_addf(b,
			    "<form method=\"post\" action=\"%s\" class=\"card keyform\""
			    " id=\"keyform\" autocomplete=\"off\">",
			    url);
		web_csrf_field(q, b);
		strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"save\">"
				 "<input type=\"hidden\" name=\"doc_type\" value=\"");
		web_html_esc(b, doc_type);
		strbuf_addstr(b, "\">");
		if (t && t->msgs.len)
			web_flash(b, t->msgs.buf, 0);
		for (size_t i = 0; i < nkeys; i++) {
			const char *f = keys[i];
			int bad = t && t->bad[i];

			strbuf_addf(
			    b, "<div class=\"keyfield%s\" data-field=\"%s\"><label for=\"f_%s\">",
			    bad ? " bad" : "", f, f);
			web_field_label(q, b, f);
			strbuf_addf(b,
				    "</label><input id=\"f_%s\" name=\"f_%s\" lang=\"vi\""
				    " spellcheck=\"false\"",
				    f, f);
			if (is_date_field(f))
				strbuf_addstr(b,
					      " inputmode=\"numeric\" placeholder=\"dd/mm/yyyy\"");
			else if (is_id_field(f))
				strbuf_addstr(b, " inputmode=\"numeric\"");
			if (is_name_field(f))
				strbuf_addstr(b, " data-check=\"name\"");
			if (first)
				strbuf_addstr(
				    b, kind == 'r' || web_req_arg(q, "type") ? " autofocus" : "");
			strbuf_addstr(b, " value=\"");
			typed_value(q, b, t, f, fields);
			strbuf_addstr(b, "\"><span class=\"hint\" aria-live=\"polite\">");
			if (bad)
				web_html_esc(b, t->why[i]);
			strbuf_addstr(b, "</span>");
			if (bad && t->implausible[i]) {
				strbuf_addf(b,
					    "<label class=\"check\"><input type=\"checkbox\""
					    " name=\"unusual_%s\" value=\"1\"> ",
					    f);
				web_html_esc(b,
					     tr(q, "The name is written so on the paper: keep it as"
						   " typed."));
				strbuf_addstr(b, "</label>");
			}
			strbuf_addstr(b, "</div>");
			first = 0;
		}
		strbuf_addstr(
		    b, "<button type=\"submit\" class=\"primary\" id=\"save\"><kbd>Enter</kbd> ");
		web_html_esc(b, tr(q, "Save the record"));
		strbuf_addstr(b, "</button></form>");
	}
	if (mine) {
		strbuf_addf(b, "<form method=\"post\" action=\"%s\">", url);
		web_csrf_field(q, b);
		strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"skip\">"
				 "<button type=\"submit\" class=\"quiet\" id=\"skip\">");
		web_html_esc(b, tr(q, "Skip"));
		strbuf_addstr(b, "</button></form><p class=\"muted small\">");
		web_html_esc(b, tr(q, "Tab: next field; Enter: save. Names are checked as you type."
				      " Saved records are linked by 'hotich match --unlinked'."));
		strbuf_addstr(b, "</p>");
	}
	strbuf_addstr(b, "</section></div></main>");
	web_page_end(r);
	free(keys);
	json_decref(fields);
	db_rows_release(res);
}

void web_keying_item(struct web_req *q, struct web_resp *r)
{
	long id;
	char kind = item_kind(q->path, "/keying/page/", "/keying/record/", NULL, &id);

	if (!kind) {
		web_resp_error(q, r, 404, tr(q, "No such item."));
		return;
	}
	render_item(q, r, kind, id, NULL, 200);
}

/* The values typed, each normalized: a JSON object, or NULL with the
 * refusals in `t`. */
static char *normalized_values(struct web_req *q, const char *doc_type, struct typed *t)
{
	const char **keys;
	size_t n = form_fields(doc_type, &keys);
	json_t *obj = json_object();
	strbuf norm = STRBUF_INIT, why = STRBUF_INIT;
	int refused = 0;
	char *out = NULL;

	for (size_t i = 0; i < n && i < KEY_MAX_FIELDS; i++) {
		char name[80], un[96];
		const char *v;
		int implausible = 0;
		size_t sp;

		snprintf(name, sizeof(name), "f_%s", keys[i]);
		snprintf(un, sizeof(un), "unusual_%s", keys[i]);
		v = web_param(&q->form, name);
		sp = v ? strspn(v, " \t") : 0;
		if (!v || !v[sp])
			continue; /* not on the paper, or left empty */
		if (web_field_normalize(q, keys[i], v, web_param(&q->form, un) != NULL, &norm, &why,
					&implausible) < 0) {
			t->bad[i] = keys[i];
			t->why[i] = xstrdup(why.buf);
			t->implausible[i] = implausible;
			refused++;
			continue;
		}
		json_object_set_new(obj, keys[i], json_string(norm.buf));
	}
	if (refused)
		strbuf_addf(&t->msgs,
			    trn(q, "%d value is not taken: see the field.",
				"%d values are not taken: see the fields.", (unsigned long)refused),
			    refused);
	else if (!json_object_size(obj))
		strbuf_addstr(&t->msgs, tr(q, "Nothing was typed."));
	else
		out = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(obj);
	strbuf_release(&norm);
	strbuf_release(&why);
	free(keys);
	return out;
}

void web_keying_post(struct web_req *q, struct web_resp *r)
{
	long id, rid = 0;
	char kind = item_kind(q->path, "/keying/page/", "/keying/record/", NULL, &id);
	const char *action = web_param(&q->form, "action");
	const char *doc_type = web_param(&q->form, "doc_type");
	char url[128];
	herr e = { 0 };
	struct typed t;
	struct keying_save s;
	enum keying_outcome out;
	char *values;

	memset(&t, 0, sizeof(t));
	strbuf_init(&t.msgs, 0);
	if (!kind || !action) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	item_url(url, sizeof(url), kind, id);
	if (!strcmp(action, "claim")) {
		int ok = keying_claim(q->db, kind, id, q->user.name, web_user_office(q),
				      q->o->lease_s, &e);

		if (ok < 0)
			db_failed(&e);
		if (ok <= 0) {
			size_t n = strlen(url);

			snprintf(url + n, sizeof(url) - n, "?msg=gone");
		}
		web_resp_redirect(r, url);
		return;
	}
	if (!strcmp(action, "skip")) {
		if (keying_skip(q->db, kind, id, q->user.name, q->o->lease_s, &e) < 0)
			db_failed(&e);
		go_next(q, r, NULL);
		return;
	}
	if (strcmp(action, "save") || !known_doc_type(doc_type)) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	values = normalized_values(q, doc_type, &t);
	if (!values) {
		char *type = xstrdup(doc_type);

		/* shown again with what was typed and why it was refused */
		t.form = &q->form;
		web_params_release(&q->query);
		memset(&q->query, 0, sizeof(q->query));
		if (kind == 'p') {
			q->query.p[0].name = xstrdup("type");
			q->query.p[0].value = type;
			q->query.n = 1;
		} else {
			free(type);
		}
		render_item(q, r, kind, id, &t, 422);
		goto out;
	}
	s.kind = kind;
	s.id = id;
	s.user = q->user.name;
	s.office = web_user_office(q);
	s.doc_type = doc_type;
	s.values_json = values;
	if (keying_save(q->db, &s, &out, &rid, &e) < 0) {
		db_failed(&e);
		free(values);
		web_resp_error(q, r, 503,
			       tr(q, "The keying could not be saved. Nothing was changed."));
		goto out;
	}
	free(values);
	switch (out) {
	case KEYING_SAVED:
		log_info("serve: \"%s\" keyed %s %ld as record %ld", q->user.name,
			 kind == 'p' ? "page" : "record", id, rid);
		go_next(q, r, "saved");
		break;
	case KEYING_SECOND:
	case KEYING_THIRD:
		log_info("serve: \"%s\" keyed %s %ld (%s)", q->user.name,
			 kind == 'p' ? "page" : "record", id,
			 out == KEYING_SECOND ? "first of two" : "the two differ");
		go_next(q, r, out == KEYING_SECOND ? "second" : "third");
		break;
	case KEYING_TAKEN: {
		size_t n = strlen(url);

		snprintf(url + n, sizeof(url) - n, "?msg=not_held");
		web_resp_redirect(r, url);
		break;
	}
	case KEYING_SAME_KEYER:
		go_next(q, r, "same");
		break;
	case KEYING_REFUSED:
		log_warning("serve: \"%s\" tried to change the type of record %ld", q->user.name,
			    id);
		web_resp_error(q, r, 403, tr(q, "A record keeps the type its title gave."));
		break;
	case KEYING_NOT_FOUND:
	case KEYING_DECIDED:
	default:
		web_resp_error(q, r, 404, tr(q, "This item is not waiting to be keyed any more."));
		break;
	}
out:
	for (int i = 0; i < KEY_MAX_FIELDS; i++)
		free((char *)t.why[i]);
	strbuf_release(&t.msgs);
}

/* GET /keying/scan/page/N.jpg, /keying/scan/record/N.jpg: the page (or the
 * record's half of an A3 spread) as JPEG, of the user's office only. */
void web_keying_scan(struct web_req *q, struct web_resp *r)
{
	long id;
	char kind = item_kind(q->path, "/keying/scan/page/", "/keying/scan/record/", ".jpg", &id);
	struct db_rows res = { 0 };
	struct ocr_page_image img;
	herr e = { 0 };
	int nparts;

	if (!kind || keying_item(q->db, kind, id, q->user.name, web_user_office(q), &res, &e) < 0 ||
	    res.n != 1) {
		if (e.code)
			db_failed(&e);
		db_rows_release(&res);
		web_resp_error(q, r, 404, tr(q, "No such image."));
		return;
	}
	nparts = (int)db_rows_long(&res, 0, K_NPARTS);
	if (ocr_page_jpeg(db_rows_get(&res, 0, K_PATH), (int)db_rows_long(&res, 0, K_PAGENO),
			  (int)db_rows_long(&res, 0, K_ROT), (int)db_rows_long(&res, 0, K_INDEX),
			  nparts == 2 ? 2 : 1, 80, &img, &e) < 0) {
		log_warning("serve: scan of %s %ld: %s", kind == 'p' ? "page" : "record", id,
			    e.msg);
		db_rows_release(&res);
		web_resp_error(q, r, 404,
			       tr(q, "The scan of this record cannot be read any more."));
		return;
	}
	db_rows_release(&res);
	r->status = 200;
	r->content_type = "image/jpeg";
	strbuf_add(&r->body, img.data, img.len);
	free(img.data);
}

/* GET /keying/check?field=F&value=V: what the normalize stage makes of a
 * value as it is typed, as JSON {"ok", "value", "why"}. */
void web_keying_check(struct web_req *q, struct web_resp *r)
{
	const char *field = web_req_arg(q, "field"), *value = web_req_arg(q, "value");
	strbuf norm = STRBUF_INIT, why = STRBUF_INIT;
	int implausible = 0, ok;
	json_t *o;
	char *js;

	if (!field || !value || !field[0] || strlen(field) > 64 ||
	    field[strspn(field, "abcdefghijklmnopqrstuvwxyz_")]) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	ok = web_field_normalize(q, field, value, 0, &norm, &why, &implausible) == 0;
	o = json_pack("{s:b, s:s, s:s, s:b}", "ok", ok, "value", ok ? norm.buf : "", "why",
		      ok ? "" : why.buf, "implausible", implausible);
	js = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	r->status = 200;
	r->content_type = "application/json";
	strbuf_addstr(&r->body, js ? js : "{}");
	free(js);
	json_decref(o);
	strbuf_release(&norm);
	strbuf_release(&why);
}

/* ------------------------------------------------------------------------
 * The dashboard's throughput
 * ---------------------------------------------------------------------- */

static void throughput_table(struct web_req *q, strbuf *b, int by_office)
{
	struct db_rows res = { 0 };
	herr e = { 0 };

	if (keying_throughput(q->db, by_office, web_user_office(q), &res, &e) < 0) {
		db_failed(&e);
		return;
	}
	strbuf_addf(b, "<table class=\"list\" id=\"keying-%s\"><caption>",
		    by_office ? "office" : "user");
	web_html_esc(b, by_office ? tr(q, "Keying per office") : tr(q, "Keying per person"));
	strbuf_addf(b, " <a class=\"csv\" href=\"/dashboard/keying-%s.csv\" download>CSV</a>",
		    by_office ? "office" : "user");
	strbuf_addstr(b, "</caption><thead><tr><th>");
	web_html_esc(b, by_office ? tr(q, "Office") : tr(q, "Keyer"));
	strbuf_addstr(b, "</th><th class=\"num\">");
	web_html_esc(b, tr(q, "Today"));
	strbuf_addstr(b, "</th><th class=\"num\">");
	web_html_esc(b, tr(q, "7 days"));
	strbuf_addstr(b, "</th><th class=\"num\">");
	web_html_esc(b, tr(q, "In all"));
	strbuf_addstr(b, "</th><th class=\"num\">");
	web_html_esc(b, tr(q, "Records made"));
	strbuf_addstr(b, "</th><th class=\"num\">");
	web_html_esc(b, tr(q, "Disagreements"));
	strbuf_addstr(b, "</th></tr></thead><tbody>");
	for (int i = 0; i < res.n; i++) {
		const char *name = db_rows_get(&res, i, 0);

		strbuf_addstr(b, "<tr><td>");
		web_html_esc(b, *name ? name : tr(q, "(no office)"));
		strbuf_addstr(b, "</td>");
		for (int c = 1; c <= 5; c++) {
			strbuf_addstr(b, "<td class=\"num\">");
			web_fmt_num(q, b, db_rows_long(&res, i, c));
			strbuf_addstr(b, "</td>");
		}
		strbuf_addstr(b, "</tr>");
	}
	if (!res.n) {
		strbuf_addstr(b, "<tr><td colspan=\"6\" class=\"muted\">");
		web_html_esc(b, tr(q, "Nothing keyed yet."));
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table>");
	db_rows_release(&res);
}

void web_keying_throughput(struct web_req *q, strbuf *b)
{
	strbuf_addstr(b, "<section class=\"keying-throughput\"><h2>");
	web_html_esc(b, tr(q, "Keying"));
	strbuf_addstr(b, "</h2><div class=\"cols\">");
	throughput_table(q, b, 0);
	throughput_table(q, b, 1);
	strbuf_addstr(b, "</div></section>");
}
