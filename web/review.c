/*
 * review.c — the review queue of the data cleaners.
 *
 * Two kinds of items: a match the batch left in `review` (the reviewer
 * confirms a candidate, picks another citizen by ID number after seeing who
 * it is, or says no match), and a record with fields flagged `review` (the
 * reviewer corrects a value or accepts it as read).  Items come oldest
 * batch first.  A reviewer claims an item only by starting work (the
 * queue's start button, or the button on an item opened by its address),
 * with SELECT ... FOR UPDATE SKIP LOCKED, and holds it under a lease; the
 * next item is claimed when a decision is made.  Two reviewers never hold
 * the same item, and a decision is taken only from the reviewer who holds
 * it, within the reviewer's office, and, for a correction, only for a field
 * the review page offers (a flagged one; the office only by an admin).  A
 * decision changes the match or the record and writes its audit row
 * (review_decisions: who, when, before, after) in one transaction.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "../match/match.h"
#include "../normalize/normalize.h"
#include "../ocr/ocr.h"
#include "web_internal.h"

/* ------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------- */

static long col_long(const struct db_rows *res, int row, int col)
{
	return db_rows_long(res, row, col);
}

static const char *col(const struct db_rows *res, int row, int col)
{
	return db_rows_isnull(res, row, col) ? NULL : db_rows_get(res, row, col);
}

/* rows that may not have come (NULL) released */
static void rows_free(struct db_rows *res)
{
	if (res)
		db_rows_release(res);
}

/* a database failure, logged (the page says only that it failed) */
static void db_failed(const herr *e)
{
	log_error("serve: %s", e->msg);
}

/* The kind of a contract field, by its name. */
enum fkind {
	FK_TEXTV,
	FK_NAMEV,
	FK_DATEV,
	FK_IDV,
	FK_SEXV
};

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static enum fkind field_kind(const char *f)
{
	if (!strcmp(f, "full_name") || (ends_with(f, "_name") && strcmp(f, "procedure_name")))
		return FK_NAMEV;
	if (!strcmp(f, "dob") || ends_with(f, "_dob") || ends_with(f, "_on"))
		return FK_DATEV;
	if (ends_with(f, "id_number"))
		return FK_IDV;
	if (!strcmp(f, "sex") || ends_with(f, "_sex"))
		return FK_SEXV;
	return FK_TEXTV;
}

/* Why a name is not taken (normalize/'s reasons), in the user's language. */
static const char *const name_reasons[][2] = {
	{ "it has characters that are not letters", N_("it has characters that are not letters") },
	{ "it is empty", N_("it is empty") },
	{ "it is one word", N_("it is one word") },
	{ "it has more than seven words", N_("it has more than seven words") },
	{ "a word has no vowel or is too long", N_("a word has no vowel or is too long") },
	{ "a word is not a Vietnamese syllable", N_("a word is not a Vietnamese syllable") },
};

static const char *name_reason(struct web_req *q, const char *why)
{
	for (size_t i = 0; why && i < HT_ARRAY_LEN(name_reasons); i++)
		if (!strcmp(why, name_reasons[i][0]))
			return i18n_get(q->lang, name_reasons[i][1]);
	return why ? why : "";
}

/*
 * web_field_normalize: a reviewer's value in the contract's normal form, or -1
 * with a message for the reviewer in `why` (translated).  A name must be
 * plausible (vn_name_plausible) unless `unusual` says the reviewer
 * confirmed it as written; *implausible is set when that is what failed.
 */
int web_field_normalize(struct web_req *q, const char *field, const char *in, int unusual,
			strbuf *out, strbuf *why, int *implausible)
{
	unsigned warn = 0;
	herr e = { 0, "" };

	strbuf_reset(out);
	strbuf_reset(why);
	*implausible = 0;
	switch (field_kind(field)) {
	case FK_NAMEV: {
		struct vn_name n;
		const char *reason;

		if (vn_name_parse(in, &n, &warn) < 0) {
			strbuf_addstr(why, tr(q, "That is not a name."));
			return -1;
		}
		if (!unusual && !vn_name_plausible(in, &reason)) {
			strbuf_addf(why,
				    tr(q, "That does not look like a Vietnamese name: %s. If it is"
					  " written so on the paper, tick the box to keep it."),
				    name_reason(q, reason));
			*implausible = 1;
			return -1;
		}
		strbuf_addstr(out, n.full);
		return 0;
	}
	case FK_DATEV: {
		struct vn_date d;
		char buf[16], typed[16];
		size_t n = strspn(in, "0123456789");

		/* typed as digits only: ddmmyyyy, mmyyyy (yyyy is a date already) */
		if (!in[n] && (n == 8 || n == 6)) {
			if (n == 8)
				snprintf(typed, sizeof(typed), "%.2s/%.2s/%.4s", in, in + 2,
					 in + 4);
			else
				snprintf(typed, sizeof(typed), "%.2s/%.4s", in, in + 2);
			in = typed;
		}
		if (vn_date_parse(in, &d, &warn, &e) < 0) {
			strbuf_addstr(why, tr(q, "That is not a possible date (write dd/mm/yyyy,"
						 " mm/yyyy or yyyy)."));
			return -1;
		}
		vn_date_format(&d, buf, sizeof(buf));
		strbuf_addstr(out, buf);
		return 0;
	}
	case FK_IDV: {
		struct vn_id id;

		if (vn_id_parse(in, &id, &warn, &e) < 0 || id.kind != VN_ID_PERSONAL) {
			strbuf_addstr(why,
				      tr(q, "That is not a valid 12-digit personal ID number."));
			return -1;
		}
		strbuf_addstr(out, id.digits);
		return 0;
	}
	case FK_SEXV: {
		enum vn_sex s = vn_sex_parse(in, &warn);

		if (s == VN_SEX_UNKNOWN) {
			strbuf_addstr(why, tr(q, "Sex must be Nam or Nữ."));
			return -1;
		}
		strbuf_addstr(out, vn_sex_code(s));
		return 0;
	}
	case FK_TEXTV:
	default:
		if (vn_text_normalize(in, -1, out, &warn) < 0 || out->len == 0) {
			strbuf_addstr(why, tr(q, "The value is empty."));
			return -1;
		}
		if (out->len > 500) {
			strbuf_addstr(why, tr(q, "The value is longer than 500 characters."));
			return -1;
		}
		return 0;
	}
}

/* Equal after folding (case, diacritics): for the comparison table. */
static int same_folded(const char *a, const char *b)
{
	strbuf fa = STRBUF_INIT, fb = STRBUF_INIT;
	int same;

	if (!a || !b || !*a || !*b)
		return -1;
	vn_fold(a, -1, &fa);
	vn_fold(b, -1, &fb);
	same = !strcmp(fa.buf, fb.buf);
	strbuf_release(&fa);
	strbuf_release(&fb);
	return same;
}

/* Two dates (ISO, partial) that disagree on a part both know: 1. */
static int dates_contradict(const char *a, const char *b)
{
	struct vn_date da, db;
	herr e = { 0, "" };

	if (!a || !b || !*a || !*b || vn_date_parse(a, &da, NULL, &e) < 0 ||
	    vn_date_parse(b, &db, NULL, &e) < 0)
		return 0;
	return vn_date_agree(&da, &db) == 0;
}

static void flash(struct web_req *q, strbuf *b)
{
	static const char *const msgs[][2] = {
		{ "unknown_id", N_("No citizen has that ID number in the registry.") },
		{ "bad_id", N_("That is not a valid 12-digit personal ID number.") },
		{ "taken", N_("Another reviewer holds this item now.") },
		{ "decided", N_("This item was decided already.") },
		{ "no_field", N_("That field is not one this page offers to correct.") },
		{ "reopened", N_("The link is open for review again.") },
		{ "not_held", N_("Take the item first: you do not hold it now.") },
		{ "empty", N_("Nothing is waiting for review.") },
		{ "done", N_("Saved. Nothing more is waiting for review.") },
		{ "saved", N_("Saved.") },
		{ "confirm_needed",
		  N_("That citizen's sex or date of birth contradicts the record: tick the box"
		     " if you have checked that it is the same person.") },
	};
	const char *m = web_req_arg(q, "msg");

	for (size_t i = 0; m && i < HT_ARRAY_LEN(msgs); i++) {
		if (!strcmp(m, msgs[i][0])) {
			int good = !strcmp(m, "reopened") || !strcmp(m, "done") ||
				   !strcmp(m, "saved") || !strcmp(m, "empty");

			web_flash(b, i18n_get(q->lang, msgs[i][1]), good);
		}
	}
}

/* ------------------------------------------------------------------------
 * The queue
 * ---------------------------------------------------------------------- */

/* held_item: the item the reviewer holds now: 1 with *kind and *id, 0 none. */
static int held_item(struct web_req *q, char *kind, long *id)
{
	herr e = { 0 };
	int found = review_held(q->db, q->user.name, kind, id, &e);

	if (found < 0)
		db_failed(&e);
	return found;
}

/* queue_claim: the next item, claimed: 1 with *kind ('m' or 'r') and *id,
 * 0 when the queue is empty. */
static int queue_claim(struct web_req *q, char *kind, long *id)
{
	herr e = { 0 };
	int found = held_item(q, kind, id);

	if (found != 0)
		return found;
	found =
	    review_claim_next(q->db, q->user.name, web_user_office(q), q->o->lease_s, kind, id, &e);
	if (found < 0)
		db_failed(&e);
	return found;
}

/* go_next: after a decision, on to the next item (claimed), or the queue
 * with `msg_empty` when nothing is left. */
static void go_next(struct web_req *q, struct web_resp *r, const char *msg_empty)
{
	char kind = 0, loc[96];
	long id = 0;
	int got = queue_claim(q, &kind, &id);

	if (got > 0) {
		snprintf(loc, sizeof(loc), "/review/%s/%ld", kind == 'm' ? "match" : "record", id);
		web_resp_redirect(r, loc);
	} else {
		snprintf(loc, sizeof(loc), "/review?msg=%s", msg_empty);
		web_resp_redirect(r, loc);
	}
}

static void queue_counts_line(struct web_req *q, strbuf *b)
{
	long nm, nr;
	strbuf a = STRBUF_INIT, c = STRBUF_INIT;
	herr e = { 0 };

	if (review_queue_counts(q->db, web_user_office(q), &nm, &nr, &e) < 0) {
		db_failed(&e);
		return;
	}
	strbuf_addf(&a, trn(q, "%ld link to decide", "%ld links to decide", (unsigned long)nm), nm);
	strbuf_addf(&c,
		    trn(q, "%ld record with values to check", "%ld records with values to check",
			(unsigned long)nr),
		    nr);
	strbuf_addstr(b, "<p class=\"queue\">");
	{
		strbuf t = STRBUF_INIT;

		strbuf_addf(&t, tr(q, "Waiting for review: %s and %s."), a.buf, c.buf);
		web_html_esc(b, t.buf);
		strbuf_release(&t);
	}
	strbuf_addstr(b, "</p>");
	strbuf_release(&a);
	strbuf_release(&c);
}

/* GET /review: the item the reviewer holds, or the queue and a start button
 * (opening the page claims nothing). */
void web_review_queue(struct web_req *q, struct web_resp *r)
{
	char kind = 0, loc[64];
	long id = 0;
	int got = held_item(q, &kind, &id);

	if (got < 0) {
		web_resp_error(q, r, 503,
			       tr(q, "The review queue is not available. Try again in a moment."));
		return;
	}
	if (got) {
		snprintf(loc, sizeof(loc), "/review/%s/%ld", kind == 'm' ? "match" : "record", id);
		web_resp_redirect(r, loc);
		return;
	}
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Review queue"), "review");
	strbuf_addstr(&r->body, "<main class=\"narrow\"><h1>");
	web_html_esc(&r->body, tr(q, "Review queue"));
	strbuf_addstr(&r->body, "</h1>");
	flash(q, &r->body);
	queue_counts_line(q, &r->body);
	strbuf_addstr(&r->body, "<div class=\"card start\"><p>");
	web_html_esc(&r->body,
		     tr(q, "The queue gives you one item at a time, the oldest batch first;"
			   " you hold it until you decide, skip it, or leave it for 15"
			   " minutes."));
	strbuf_addstr(&r->body, "</p><form method=\"post\" action=\"/review/next\">");
	web_csrf_field(q, &r->body);
	strbuf_addstr(&r->body, "<button type=\"submit\" class=\"primary\" id=\"start\" autofocus>"
				"<kbd>Enter</kbd> ");
	web_html_esc(&r->body, tr(q, "Start reviewing"));
	strbuf_addstr(&r->body, "</button></form></div></main>");
	web_page_end(r);
}

/* POST /review/next: claim the next item and go there. */
void web_review_next(struct web_req *q, struct web_resp *r)
{
	char kind = 0, loc[64];
	long id = 0;
	int got = queue_claim(q, &kind, &id);

	if (got < 0) {
		web_resp_error(q, r, 503,
			       tr(q, "The review queue is not available. Try again in a moment."));
		return;
	}
	if (!got) {
		web_resp_redirect(r, "/review?msg=empty");
		return;
	}
	snprintf(loc, sizeof(loc), "/review/%s/%ld", kind == 'm' ? "match" : "record", id);
	web_resp_redirect(r, loc);
}

/*
 * claim_one: the reviewer takes item `id` of `table` (when free, or theirs
 * already).  1: held; 0: another reviewer holds it; -1: error.
 */
static int claim_one(struct web_req *q, const char *table, long id)
{
	herr e = { 0 };
	int ok = review_claim(q->db, !strcmp(table, "matches") ? REVIEW_MATCH : REVIEW_RECORD, id,
			      q->user.name, web_user_office(q), q->o->lease_s, &e);

	if (ok < 0)
		db_failed(&e);
	return ok;
}

/* Who holds an item, from its claimed_by and whether its claim runs. */
enum holder {
	HOLD_ME,
	HOLD_FREE,
	HOLD_OTHER
};

static enum holder holder_of(struct web_req *q, const char *claimed_by, const char *live)
{
	if (claimed_by && !strcmp(claimed_by, q->user.name))
		return HOLD_ME;
	if (claimed_by && strncmp(claimed_by, "skipped:", 8) && live && !strcmp(live, "t"))
		return HOLD_OTHER;
	return HOLD_FREE;
}

/* The banner of an item the reviewer does not hold: who does, or a button
 * to take it. */
static void not_held_banner(struct web_req *q, strbuf *b, enum holder h, const char *who,
			    const char *until, const char *action)
{
	if (h == HOLD_OTHER) {
		strbuf t = STRBUF_INIT, when = STRBUF_INIT;

		web_fmt_time(&when, until);
		strbuf_addstr(&when, " (");
		web_fmt_zone(&when);
		strbuf_addch(&when, ')');
		strbuf_addf(&t,
			    tr(q, "%s is working on this item (until %s). You can read it, not"
				  " decide it."),
			    who, when.buf);
		strbuf_addstr(b, "<div class=\"card held\"><p>");
		web_html_esc(b, t.buf);
		strbuf_addstr(b, "</p></div>");
		strbuf_release(&t);
		strbuf_release(&when);
		return;
	}
	strbuf_addstr(b, "<div class=\"card held\"><p>");
	web_html_esc(b, tr(q, "Nobody is working on this item. Take it to decide it."));
	strbuf_addf(b, "</p><form method=\"post\" action=\"%s\">", action);
	web_csrf_field(q, b);
	strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"claim\">"
			 "<button type=\"submit\" class=\"primary\" data-key=\"t\" id=\"take\">"
			 "<kbd>T</kbd> ");
	web_html_esc(b, tr(q, "Take this item"));
	strbuf_addstr(b, "</button></form></div>");
}

/* ------------------------------------------------------------------------
 * A match to decide
 * ---------------------------------------------------------------------- */

enum {
	M_ID,
	M_RECORD,
	M_ROLE,
	M_CITIZEN,
	M_SCORE,
	M_STATUS,
	M_EXPL,
	M_CANDS,
	M_DISC,
	M_MODEL,
	M_DOCTYPE,
	M_OFFICE,
	M_REGNO,
	M_BOOK,
	M_REGON,
	M_PATH,
	M_PAGE,
	M_BATCH,
	M_DPI,
	M_P_NAME,
	M_CLAIMED_BY = M_P_NAME + 7,
	M_CLAIM_LIVE,
	M_CLAIM_UNTIL
};

/* The person's rows of the comparison: field of the record_people row and
 * of the citizens row, in the same order. */
static const char *const person_rows[] = {
	"full_name", "dob", "sex", "id_number", "birthplace", "father_name", "mother_name",
};

static void record_header(struct web_req *q, strbuf *b, const struct db_rows *res, int c_doctype,
			  int c_office, int c_regno, int c_book, int c_regon, int c_path,
			  int c_page, int c_batch, long record_id)
{
	strbuf_addstr(b, "<dl class=\"meta\"><dt>");
	web_html_esc(b, tr(q, "Document"));
	strbuf_addstr(b, "</dt><dd>");
	web_html_esc(b, web_doc_type_label(q, col(res, 0, c_doctype)));
	strbuf_addstr(b, "</dd><dt>");
	web_field_label(q, b, "registry_office");
	strbuf_addstr(b, "</dt><dd>");
	web_html_esc(b, col(res, 0, c_office) ? col(res, 0, c_office) : "—");
	strbuf_addstr(b, "</dd><dt>");
	web_html_esc(b, tr(q, "Number / book"));
	strbuf_addstr(b, "</dt><dd>");
	web_html_esc(b, col(res, 0, c_regno) ? col(res, 0, c_regno) : "—");
	strbuf_addstr(b, " / ");
	web_html_esc(b, col(res, 0, c_book) ? col(res, 0, c_book) : "—");
	strbuf_addstr(b, "</dd><dt>");
	web_field_label(q, b, "registered_on");
	strbuf_addstr(b, "</dt><dd>");
	web_fmt_date(b, col(res, 0, c_regon));
	strbuf_addstr(b, "</dd><dt>");
	web_html_esc(b, tr(q, "Scan"));
	strbuf_addstr(b, "</dt><dd class=\"path\">");
	web_html_esc(b, col(res, 0, c_path));
	strbuf_addstr(b, ", ");
	strbuf_addf(b, tr(q, "page %s"), db_rows_get(res, 0, c_page));
	strbuf_addstr(b, "</dd><dt>");
	web_html_esc(b, tr(q, "Batch"));
	strbuf_addstr(b, "</dt><dd>");
	web_html_esc(b, col(res, 0, c_batch));
	strbuf_addstr(b, "</dd><dt>");
	web_html_esc(b, tr(q, "Record"));
	strbuf_addf(b, "</dt><dd><a href=\"/record/%ld\">#%ld</a></dd></dl>", record_id, record_id);
}

/* citizens_of: the best citizen and the other candidates (three at most),
 * into *out; NULL when the database failed. */
static void citizens_of(struct web_req *q, const char *best, json_t *cands, struct db_rows *rows,
			struct db_rows **out)
{
	const char *ids[3];
	size_t i;
	json_t *c;
	int n = 0;
	herr e = { 0 };

	if (best)
		ids[n++] = best;
	json_array_foreach(cands, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "citizen_id"));

		if (!id || strlen(id) != 12 || strspn(id, "0123456789") != 12 || n >= 3 ||
		    (best && !strcmp(id, best)))
			continue;
		ids[n++] = id;
	}
	*out = NULL;
	if (review_citizens(q->db, ids, n, rows, &e) < 0)
		db_failed(&e);
	else
		*out = rows;
}

static double cand_score(json_t *cands, const char *id, double best_score, const char *best)
{
	size_t i;
	json_t *c;

	if (best && !strcmp(id, best))
		return best_score;
	json_array_foreach(cands, i, c)
	{
		const char *cid = json_string_value(json_object_get(c, "citizen_id"));

		if (cid && !strcmp(cid, id))
			return json_number_value(json_object_get(c, "score"));
	}
	return 0;
}

static void explanation(struct web_req *q, strbuf *b, json_t *expl)
{
	size_t i;
	json_t *w;
	double max = 1;

	json_array_foreach(expl, i, w)
	{
		double x = json_number_value(json_object_get(w, "weight"));

		if (x < 0)
			x = -x;
		if (x > max)
			max = x;
	}
	strbuf_addstr(b, "<table class=\"weights\"><caption>");
	web_html_esc(b,
		     tr(q, "Why this score: what each comparison weighs for the best candidate"));
	strbuf_addstr(b, "</caption>");
	json_array_foreach(expl, i, w)
	{
		double x = json_number_value(json_object_get(w, "weight"));
		int px = (int)(60.0 * (x < 0 ? -x : x) / max + 0.5);

		strbuf_addstr(b, "<tr><th>");
		web_html_esc(b, web_cmp_label(q, json_string_value(json_object_get(w, "field"))));
		strbuf_addstr(b, "</th><td>");
		web_html_esc(b, web_level_label(q, json_string_value(json_object_get(w, "level"))));
		{
			char wb[32], *dot;

			snprintf(wb, sizeof(wb), "%+.1f", x);
			dot = strchr(wb, '.');
			if (dot && q->lang == LANG_VI)
				*dot = ',';
			strbuf_addf(b, "</td><td class=\"num\">%s", wb);
		}
		strbuf_addf(b,
			    "</td><td><svg width=\"130\" height=\"12\""
			    " aria-hidden=\"true\"><line x1=\"65\" y1=\"0\" x2=\"65\" y2=\"12\""
			    " class=\"axis\"/><rect x=\"%d\" y=\"2\" width=\"%d\" height=\"8\""
			    " class=\"%s\"/></svg></td></tr>",
			    x < 0 ? 65 - px : 65, px, x < 0 ? "neg" : "pos");
	}
	strbuf_addstr(b, "</table>");
}

/*
 * load_item: the one row of item `id` by `load` (the user's office); -1
 * with the error page set when the id is bad, the row is not there (or
 * belongs to another office), or the database fails.
 */
typedef int (*item_loader)(PGconn *conn, long id, const char *office, struct db_rows *out, herr *e);

static int load_item(struct web_req *q, struct web_resp *r, long id, item_loader load,
		     struct db_rows *out)
{
	herr e = { 0 };

	memset(out, 0, sizeof(*out));
	if (id < 0) {
		web_resp_error(q, r, 404, tr(q, "No such item."));
		return -1;
	}
	if (load(q->db, id, web_user_office(q), out, &e) < 0) {
		db_failed(&e);
		web_resp_error(q, r, 503,
			       tr(q, "The database is not available. Try again in a moment."));
		return -1;
	}
	if (out->n != 1) {
		db_rows_release(out);
		web_resp_error(q, r, 404, tr(q, "No such item."));
		return -1;
	}
	return 0;
}

/*
 * pick_panel: the citizen a reviewer typed (`pick`, 12 digits) beside the
 * record's person, before anything is linked: name, date of birth, sex,
 * parents, birthplace; a contradiction of sex or date of birth needs a
 * tick.  Nothing when the citizen is not in the registry.
 */
static void pick_panel(struct web_req *q, strbuf *b, long id, const struct db_rows *res,
		       const char *pick)
{
	struct db_rows c_rows, *c = &c_rows;
	herr e = { 0 };
	int sex_bad, dob_bad;

	if (review_citizens(q->db, &pick, 1, c, &e) < 0) {
		db_failed(&e);
		return;
	}
	if (c->n != 1) {
		db_rows_release(c);
		return;
	}
	sex_bad = col(res, 0, M_P_NAME + 2) && col(c, 0, 3) &&
		  strcmp(col(res, 0, M_P_NAME + 2), col(c, 0, 3));
	dob_bad = dates_contradict(col(res, 0, M_P_NAME + 1), col(c, 0, 2));
	strbuf_addstr(b, "<section class=\"card pick\" id=\"pick-panel\"><h2>");
	{
		strbuf t = STRBUF_INIT;

		strbuf_addf(&t, tr(q, "Link to the citizen with ID number %s?"), pick);
		web_html_esc(b, t.buf);
		strbuf_release(&t);
	}
	strbuf_addstr(b, "</h2><table class=\"compare\"><thead><tr><th></th><th>");
	web_html_esc(b, tr(q, "On the record"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "In the registry"));
	strbuf_addstr(b, "</th></tr></thead><tbody>");
	for (size_t f = 0; f < HT_ARRAY_LEN(person_rows); f++) {
		const char *mine = col(res, 0, M_P_NAME + (int)f);
		const char *theirs = col(c, 0, 1 + (int)f);
		int same = !strcmp(person_rows[f], "dob")   ? (dob_bad		? 0
							       : mine && theirs ? 1
										: -1)
			   : !strcmp(person_rows[f], "sex") ? (sex_bad		? 0
							       : mine && theirs ? 1
										: -1)
							    : same_folded(mine, theirs);

		strbuf_addstr(b, "<tr><th>");
		web_field_label(q, b, person_rows[f]);
		strbuf_addstr(b, "</th><td>");
		web_fmt_value(q, b, person_rows[f], mine);
		strbuf_addf(b, "</td><td class=\"%s\">",
			    same < 0 ? "missing"
			    : same   ? "same"
				     : "differs");
		web_fmt_value(q, b, person_rows[f], theirs);
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table>");
	strbuf_addf(b, "<form method=\"post\" action=\"/review/match/%ld\" class=\"pickconfirm\">",
		    id);
	web_csrf_field(q, b);
	strbuf_addf(b,
		    "<input type=\"hidden\" name=\"action\" value=\"pick\">"
		    "<input type=\"hidden\" name=\"id_number\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"confirm\" value=\"1\">",
		    pick);
	if (sex_bad || dob_bad) {
		web_flash(b,
			  sex_bad && dob_bad ? tr(q, "The sex and the date of birth of this citizen"
						     " contradict the record.")
			  : sex_bad ? tr(q, "The sex of this citizen contradicts the record.")
				    : tr(q, "The date of birth of this citizen contradicts the"
					    " record."),
			  0);
		strbuf_addstr(b, "<label class=\"check\"><input type=\"checkbox\" name=\"override\""
				 " value=\"1\" id=\"override\" required> ");
		web_html_esc(
		    b, tr(q, "I have checked the paper: it is the same person all the same."));
		strbuf_addstr(b, "</label>");
	}
	strbuf_addstr(b, "<div class=\"actions\"><button type=\"submit\" class=\"primary\""
			 " id=\"pick-link\" autofocus><kbd>Enter</kbd> ");
	web_html_esc(b, tr(q, "Link this citizen"));
	strbuf_addf(b, "</button><a href=\"/review/match/%ld\">", id);
	web_html_esc(b, tr(q, "Cancel"));
	strbuf_addstr(b, "</a></div></form></section>");
	rows_free(c);
}

void web_review_match(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/match/", NULL);
	struct db_rows res_rows, *res = &res_rows, cit_rows, *cit = NULL;
	json_t *expl, *cands, *disc;
	const char *best, *pick = web_req_arg(q, "pick");
	double score;
	strbuf *b = &r->body;
	enum holder h;
	char action[48];

	if (load_item(q, r, id, review_match_item, res) < 0)
		return;
	if (strcmp(db_rows_get(res, 0, M_STATUS), "review")) {
		rows_free(res);
		web_resp_redirect(r, "/review?msg=decided");
		return;
	}
	h = holder_of(q, col(res, 0, M_CLAIMED_BY), col(res, 0, M_CLAIM_LIVE));
	snprintf(action, sizeof(action), "/review/match/%ld", id);
	best = col(res, 0, M_CITIZEN);
	score = strtod(db_rows_get(res, 0, M_SCORE), NULL);
	expl = json_loads(db_rows_get(res, 0, M_EXPL), 0, NULL);
	cands = json_loads(db_rows_get(res, 0, M_CANDS), 0, NULL);
	disc = json_loads(db_rows_get(res, 0, M_DISC), 0, NULL);
	if (!json_is_array(cands)) {
		json_decref(cands);
		cands = json_array();
	}
	citizens_of(q, best, cands, &cit_rows, &cit);

	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Is this the same person?"), "review");
	strbuf_addf(b,
		    "<main class=\"item\" data-item=\"match-%ld\" data-held=\"%s\">"
		    "<div class=\"itemhead\"><h1>",
		    id, h == HOLD_ME ? "yes" : "no");
	web_html_esc(b, tr(q, "Is this the same person?"));
	strbuf_addstr(b, "</h1><span class=\"pill\">");
	web_html_esc(b, web_role_label(q, db_rows_get(res, 0, M_ROLE)));
	strbuf_addstr(b, "</span><span class=\"score\" title=\"");
	web_html_esc(b, tr(q, "the probability that the best candidate is this person"));
	strbuf_addstr(b, "\">");
	web_html_esc(b, tr(q, "score"));
	strbuf_addch(b, ' ');
	web_fmt_pct(q, b, score * 100);
	strbuf_addstr(b, "</span></div>");
	flash(q, b);
	queue_counts_line(q, b);
	if (h != HOLD_ME)
		not_held_banner(q, b, h, col(res, 0, M_CLAIMED_BY), col(res, 0, M_CLAIM_UNTIL),
				action);
	strbuf_addstr(b, "<div class=\"cols\"><section class=\"scan\">");
	strbuf_addf(b, "<img class=\"crop\" src=\"/crop/%ld.png?role=%s\" alt=\"",
		    col_long(res, 0, M_RECORD), db_rows_get(res, 0, M_ROLE));
	web_html_esc(b, tr(q, "The scanned page around this person's values"));
	strbuf_addstr(b, "\">");
	record_header(q, b, res, M_DOCTYPE, M_OFFICE, M_REGNO, M_BOOK, M_REGON, M_PATH, M_PAGE,
		      M_BATCH, col_long(res, 0, M_RECORD));
	strbuf_addstr(b, "</section><section class=\"decide\">");
	if (h == HOLD_ME && pick && strlen(pick) == 12 && strspn(pick, "0123456789") == 12)
		pick_panel(q, b, id, res, pick);

	/* field-by-field comparison */
	strbuf_addstr(b, "<table class=\"compare\"><thead><tr><th></th><th>");
	web_html_esc(b, tr(q, "On the record"));
	strbuf_addstr(b, "</th>");
	for (int k = 0; cit && k < cit->n; k++) {
		strbuf_addstr(b, "<th>");
		strbuf_addf(b, tr(q, "Candidate %d"), k + 1);
		strbuf_addstr(b, "<br><span class=\"muted\">");
		web_fmt_pct(q, b, 100 * cand_score(cands, db_rows_get(cit, k, 0), score, best));
		strbuf_addstr(b, "</span></th>");
	}
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (size_t f = 0; f < HT_ARRAY_LEN(person_rows); f++) {
		const char *mine = col(res, 0, M_P_NAME + (int)f);

		strbuf_addstr(b, "<tr><th>");
		web_field_label(q, b, person_rows[f]);
		strbuf_addstr(b, "</th><td>");
		web_fmt_value(q, b, person_rows[f], mine);
		strbuf_addstr(b, "</td>");
		for (int k = 0; cit && k < cit->n; k++) {
			const char *theirs = col(cit, k, 1 + (int)f);
			int same = !strcmp(person_rows[f], "dob") && mine && theirs
				       ? !dates_contradict(mine, theirs)
				       : same_folded(mine, theirs);

			strbuf_addf(b, "<td class=\"%s\">",
				    same < 0 ? "missing"
				    : same   ? "same"
					     : "differs");
			web_fmt_value(q, b, person_rows[f], theirs);
			strbuf_addstr(b, "</td>");
		}
		strbuf_addstr(b, "</tr>");
	}
	strbuf_addstr(b, "</tbody></table>");
	if (json_is_array(disc) && json_array_size(disc)) {
		size_t i;
		json_t *d;

		strbuf_addstr(b, "<ul class=\"disc\">");
		json_array_foreach(disc, i, d)
		{
			strbuf_addstr(b, "<li>");
			web_fmt_discrepancy(q, b, json_string_value(d));
			strbuf_addstr(b, "</li>");
		}
		strbuf_addstr(b, "</ul>");
	}

	/* actions: only for the reviewer who holds the item */
	if (h == HOLD_ME) {
		strbuf_addstr(b, "<div class=\"actions\">");
		for (int k = 0; cit && k < cit->n; k++) {
			strbuf_addf(b, "<form method=\"post\" action=\"%s\">", action);
			web_csrf_field(q, b);
			strbuf_addf(b,
				    "<input type=\"hidden\" name=\"action\" value=\"confirm\">"
				    "<input type=\"hidden\" name=\"candidate\" value=\"%s\">"
				    "<button type=\"submit\" class=\"primary\" data-key=\"%d\">"
				    "<kbd>%d</kbd> ",
				    db_rows_get(cit, k, 0), k + 1, k + 1);
			strbuf_addf(b, tr(q, "Same as candidate %d"), k + 1);
			strbuf_addstr(b, "</button></form>");
		}
		strbuf_addf(b, "<form method=\"post\" action=\"%s\">", action);
		web_csrf_field(q, b);
		strbuf_addstr(
		    b, "<input type=\"hidden\" name=\"action\" value=\"no_match\">"
		       "<button type=\"submit\" class=\"danger\" data-key=\"n\"><kbd>N</kbd> ");
		web_html_esc(b, tr(q, "None of them"));
		strbuf_addstr(b, "</button></form>");
		strbuf_addf(b, "<form method=\"post\" action=\"%s\" class=\"pick\">", action);
		web_csrf_field(q, b);
		strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"pick\">"
				 "<label><kbd>P</kbd> ");
		web_html_esc(b, tr(q, "Another citizen:"));
		strbuf_addstr(b, " <input name=\"id_number\" id=\"pick\" inputmode=\"numeric\""
				 " autocomplete=\"off\" pattern=\"[0-9 .]{12,16}\" placeholder=\"");
		web_html_esc(b, tr(q, "12-digit ID number"));
		strbuf_addstr(b, "\" data-focus-key=\"p\"></label><button type=\"submit\">");
		web_html_esc(b, tr(q, "Look up"));
		strbuf_addstr(b, "</button></form>");
		strbuf_addf(b, "<form method=\"post\" action=\"%s\">", action);
		web_csrf_field(q, b);
		strbuf_addstr(
		    b, "<input type=\"hidden\" name=\"action\" value=\"skip\">"
		       "<button type=\"submit\" class=\"quiet\" data-key=\"s\"><kbd>S</kbd> ");
		web_html_esc(b, tr(q, "Skip"));
		strbuf_addstr(b, "</button></form></div>");
	}
	if (json_is_array(expl))
		explanation(q, b, expl);
	strbuf_addstr(b, "<p class=\"muted small\">");
	web_html_esc(b, tr(q, "Model"));
	strbuf_addch(b, ' ');
	web_html_esc(b, db_rows_get(res, 0, M_MODEL));
	strbuf_addstr(b, ". ");
	web_html_esc(b, tr(q, "Keys:"));
	strbuf_addstr(b, " <kbd>1</kbd>–<kbd>3</kbd> ");
	web_html_esc(b, tr(q, "confirm a candidate,"));
	strbuf_addstr(b, " <kbd>N</kbd> ");
	web_html_esc(b, tr(q, "none of them,"));
	strbuf_addstr(b, " <kbd>P</kbd> ");
	web_html_esc(b, tr(q, "another citizen by ID number,"));
	strbuf_addstr(b, " <kbd>S</kbd> ");
	web_html_esc(b, tr(q, "skip."));
	strbuf_addstr(b, "</p></section></div></main>");
	web_page_end(r);
	json_decref(expl);
	json_decref(cands);
	json_decref(disc);
	rows_free(cit);
	rows_free(res);
}

/*
 * decide_match: lock the match, check that it is in review and held by this
 * reviewer, apply the decision and write the audit row, all in one
 * transaction.  For a citizen picked by ID number, a sex or a date of birth
 * that contradicts the record needs `override`.  Returns a msg code for the
 * redirect, or NULL on success (or with *err, an HTTP status).
 */
/* why a decision is refused before anything is written */
enum {
	REFUSE_NOT_OFFERED = 1, /* 400: the candidate was not one offered */
	REFUSE_UNKNOWN_ID,	/* the citizen is not in the registry */
	REFUSE_CONFIRM_NEEDED	/* a contradiction, not confirmed */
};

struct match_check {
	const char *action, *citizen;
	int override;
	int despite; /* set: confirmed despite a contradiction */
};

static int match_check(const struct review_match_seen *s, strbuf *despite, void *arg)
{
	struct match_check *m = arg;

	if (!strcmp(m->action, "confirm")) {
		/* the candidate must be one the match stage offered */
		json_t *cands = json_loads(s->candidates, 0, NULL);
		int offered = s->citizen_id && m->citizen && !strcmp(s->citizen_id, m->citizen);
		size_t i;
		json_t *c;

		json_array_foreach(cands, i, c)
		{
			const char *cid = json_string_value(json_object_get(c, "citizen_id"));

			if (cid && m->citizen && !strcmp(cid, m->citizen))
				offered = 1;
		}
		json_decref(cands);
		if (!offered)
			return REFUSE_NOT_OFFERED;
	}
	if (!m->citizen)
		return 0;
	if (!s->citizen_known)
		return REFUSE_UNKNOWN_ID;
	if (!strcmp(m->action, "pick")) {
		/* what contradicts the record, and was confirmed all the same */
		if (*s->sex && s->c_sex && strcmp(s->sex, s->c_sex))
			strbuf_addstr(despite, "\"sex\"");
		if (dates_contradict(s->dob, s->c_dob))
			strbuf_addf(despite, "%s\"dob\"", despite->len ? "," : "");
	}
	m->despite = despite->len > 0;
	return despite->len && !m->override ? REFUSE_CONFIRM_NEEDED : 0;
}

/*
 * decide_match: lock the match, check that it is in review and held by this
 * reviewer, apply the decision and write the audit row, all in one
 * transaction (review_decide_match).  For a citizen picked by ID number, a
 * sex or a date of birth that contradicts the record needs `override`.
 * Returns a msg code for the redirect, or NULL on success (or with *err, an
 * HTTP status).
 */
static const char *decide_match(struct web_req *q, long id, const char *action, const char *citizen,
				int override, int *err)
{
	struct review_match_decision d = {
		id, q->user.name, web_user_office(q), action, NULL, NULL
	};
	struct match_check m = { action, NULL, override, 0 };
	herr e = { 0 };
	int rc, refusal = 0;

	*err = 0;
	if (!strcmp(action, "confirm") || !strcmp(action, "pick")) {
		d.status = "confirmed";
	} else {
		d.status = "rejected";
		citizen = NULL;
	}
	d.citizen = m.citizen = citizen;
	rc = review_decide_match(q->db, &d, match_check, &m, &refusal, &e);
	switch (rc) {
	case REVIEW_DONE:
		log_info("serve: \"%s\" decided match %ld: %s%s%s%s", q->user.name, id, action,
			 citizen ? " " : "", citizen ? citizen : "",
			 m.despite ? " (confirmed despite a contradiction)" : "");
		return NULL;
	case REVIEW_NOT_FOUND:
		*err = 404;
		return NULL;
	case REVIEW_DECIDED:
		return "decided";
	case REVIEW_TAKEN:
		return "taken";
	case REVIEW_REFUSED:
		if (refusal == REFUSE_NOT_OFFERED) {
			*err = 400;
			return NULL;
		}
		return refusal == REFUSE_UNKNOWN_ID ? "unknown_id" : "confirm_needed";
	default:
		db_failed(&e);
		*err = 503;
		return NULL;
	}
}

static void release_skip(struct web_req *q, const char *table, long id)
{
	herr e = { 0 };

	if (review_skip(q->db, !strcmp(table, "matches") ? REVIEW_MATCH : REVIEW_RECORD, id,
			q->user.name, q->o->lease_s, &e) < 0)
		db_failed(&e);
}

/* POST action=claim: take the item (when free) and show it again. */
static void take(struct web_req *q, struct web_resp *r, const char *table, long id,
		 const char *back)
{
	int held = claim_one(q, table, id);

	if (held < 0)
		web_resp_error(q, r, 503, tr(q, "The database is not available. Try again."));
	else if (held == 0)
		web_resp_redirect(r, "/review?msg=taken");
	else
		web_resp_redirect(r, back);
}

void web_review_match_post(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/match/", NULL);
	const char *action = web_param(&q->form, "action");
	const char *citizen = NULL;
	const char *msg;
	char loc[128], digits[13];
	int err = 0, override = 0;

	if (id < 0 || !action) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	snprintf(loc, sizeof(loc), "/review/match/%ld", id);
	if (!strcmp(action, "claim")) {
		take(q, r, "matches", id, loc);
		return;
	}
	if (!strcmp(action, "skip")) {
		release_skip(q, "matches", id);
		go_next(q, r, "empty");
		return;
	}
	if (!strcmp(action, "confirm")) {
		citizen = web_param(&q->form, "candidate");
		if (!citizen || strlen(citizen) != 12 || strspn(citizen, "0123456789") != 12) {
			web_resp_error(q, r, 400, tr(q, "Bad request."));
			return;
		}
	} else if (!strcmp(action, "pick")) {
		struct vn_id vid;
		unsigned warn = 0;
		const char *in = web_param(&q->form, "id_number");

		if (!in || vn_id_parse(in, &vid, &warn, NULL) < 0 || vid.kind != VN_ID_PERSONAL) {
			snprintf(loc, sizeof(loc), "/review/match/%ld?msg=bad_id", id);
			web_resp_redirect(r, loc);
			return;
		}
		snprintf(digits, sizeof(digits), "%s", vid.digits);
		citizen = digits;
		override = web_param(&q->form, "override") != NULL;
		if (!web_param(&q->form, "confirm")) {
			/* first who it is: the citizen beside the record */
			herr e = { 0 };
			int known = review_citizen_known(q->db, digits, &e);

			if (known < 0) {
				db_failed(&e);
				web_resp_error(q, r, 503,
					       tr(q, "The database is not available. Try again."));
				return;
			}
			snprintf(loc, sizeof(loc), "/review/match/%ld?%s=%s", id,
				 known ? "pick" : "msg=unknown_id&tried", digits);
			web_resp_redirect(r, loc);
			return;
		}
	} else if (strcmp(action, "no_match")) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	msg = decide_match(q, id, action, citizen, override, &err);
	if (err) {
		web_resp_error(
		    q, r, err,
		    err == 404	 ? tr(q, "No such item.")
		    : err == 400 ? tr(q, "That candidate was not offered for this record.")
				 : tr(q, "The decision could not be saved. Nothing was changed."));
		return;
	}
	if (msg && !strcmp(msg, "unknown_id")) {
		snprintf(loc, sizeof(loc), "/review/match/%ld?msg=unknown_id", id);
		web_resp_redirect(r, loc);
		return;
	}
	if (msg && !strcmp(msg, "confirm_needed")) {
		snprintf(loc, sizeof(loc), "/review/match/%ld?msg=confirm_needed&pick=%s", id,
			 citizen);
		web_resp_redirect(r, loc);
		return;
	}
	if (msg) {
		snprintf(loc, sizeof(loc), "/review?msg=%s", msg);
		web_resp_redirect(r, loc);
		return;
	}
	go_next(q, r, "done");
}

/* ------------------------------------------------------------------------
 * A record with flagged fields
 * ---------------------------------------------------------------------- */

static void conf_bar(struct web_req *q, strbuf *b, double conf)
{
	int w = (int)(conf * 60 + 0.5);

	strbuf_addf(b,
		    "<svg width=\"64\" height=\"10\" class=\"conf\" aria-hidden=\"true\">"
		    "<rect x=\"0\" y=\"1\" width=\"62\" height=\"8\" class=\"track\"/>"
		    "<rect x=\"1\" y=\"2\" width=\"%d\" height=\"6\" class=\"%s\"/></svg> ",
		    w,
		    conf >= 0.9	   ? "hi"
		    : conf >= 0.75 ? "mid"
				   : "lo");
	web_fmt_pct(q, b, conf * 100);
}

/* fields_rows: a table row per field read: label, value, confidence. */
static void fields_rows(struct web_req *q, strbuf *b, json_t *fields)
{
	const char **keys;
	size_t n = web_fields_in_order(fields, &keys);

	for (size_t i = 0; i < n; i++) {
		const char *key = keys[i];
		json_t *fv = json_object_get(fields, key);
		const char *val = json_string_value(json_object_get(fv, "value"));

		strbuf_addf(b, "<tr%s><th>",
			    json_is_true(json_object_get(fv, "review")) ? " class=\"flagged\""
									: "");
		web_field_label(q, b, key);
		strbuf_addstr(b, "</th><td>");
		if (val)
			web_fmt_value(q, b, key, val);
		else
			web_html_esc(b, tr(q, "(illegible)"));
		strbuf_addstr(b, "</td><td class=\"nowrap\">");
		conf_bar(q, b, json_number_value(json_object_get(fv, "conf")));
		strbuf_addstr(b, "</td></tr>");
	}
	free(keys);
}

/* What a correction form shows again after a refused value. */
struct refused {
	const char *field; /* the field whose value was refused, or NULL */
	const char *value; /* as typed */
	const char *why;   /* translated */
	int implausible;   /* a name that needs the "as written" box */
};

/* A value shown in an input: a date as dd/mm/yyyy, a sex as a word. */
static void input_value(struct web_req *q, strbuf *b, const char *field, const char *val)
{
	strbuf t = STRBUF_INIT;

	if (!val)
		return;
	if (field_kind(field) == FK_DATEV || field_kind(field) == FK_SEXV) {
		web_fmt_value(q, &t, field, val); /* escaped already */
		strbuf_addstr(b, t.buf);
	} else {
		web_html_esc(b, val);
	}
	strbuf_release(&t);
}

static void render_record(struct web_req *q, struct web_resp *r, long id, const struct refused *rf,
			  int status)
{
	struct db_rows res_rows, *res = &res_rows;
	json_t *fields;
	const char **keys = NULL;
	size_t nkeys;
	strbuf *b = &r->body;
	int first = 1;
	enum holder h;
	char action[48];

	if (load_item(q, r, id, review_record_item, res) < 0)
		return;
	if (col_long(res, 0, 10) == 0) {
		rows_free(res);
		web_resp_redirect(r, "/review?msg=decided");
		return;
	}
	h = holder_of(q, col(res, 0, 12), col(res, 0, 13));
	snprintf(action, sizeof(action), "/review/record/%ld", id);
	fields = json_loads(db_rows_get(res, 0, 9), 0, NULL);
	web_resp_html(r, status);
	web_page_begin(q, r, tr(q, "Check what was read"), "review");
	strbuf_addf(b,
		    "<main class=\"item\" data-item=\"record-%ld\" data-held=\"%s\">"
		    "<div class=\"itemhead\"><h1>",
		    id, h == HOLD_ME ? "yes" : "no");
	web_html_esc(b, tr(q, "Check what was read"));
	strbuf_addstr(b, "</h1><span class=\"pill\">");
	strbuf_addf(b,
		    trn(q, "%ld value to check", "%ld values to check",
			(unsigned long)col_long(res, 0, 10)),
		    col_long(res, 0, 10));
	strbuf_addstr(b, "</span></div>");
	flash(q, b);
	queue_counts_line(q, b);
	if (h != HOLD_ME)
		not_held_banner(q, b, h, col(res, 0, 12), col(res, 0, 14), action);
	strbuf_addstr(b, "<div class=\"cols\"><section class=\"scan\">");
	record_header(q, b, res, 1, 2, 3, 4, 5, 6, 7, 8, id);
	strbuf_addstr(b, "<table class=\"fields\"><caption>");
	web_html_esc(b, tr(q, "Everything read on the record"));
	strbuf_addstr(b, "</caption>");
	fields_rows(q, b, fields);
	strbuf_addstr(b, "</table></section><section class=\"decide\">");
	nkeys = web_fields_in_order(fields, &keys);
	for (size_t ki = 0; ki < nkeys; ki++) {
		const char *key = keys[ki];
		json_t *fv = json_object_get(fields, key);
		const char *val = json_string_value(json_object_get(fv, "value"));
		const char *why = json_string_value(json_object_get(fv, "why"));
		int office = !strcmp(key, "registry_office");
		int editable = !office || q->user.role == ROLE_ADMIN;
		int mine = rf && rf->field && !strcmp(rf->field, key);

		if (!json_is_true(json_object_get(fv, "review")))
			continue;
		strbuf_addstr(b, "<div class=\"fieldcheck card\" data-field=\"");
		web_html_esc(b, key);
		strbuf_addstr(b, "\"><h2>");
		web_field_label(q, b, key);
		strbuf_addstr(b, "</h2>");
		strbuf_addf(b, "<img class=\"crop\" src=\"/crop/%ld.png?field=", id);
		web_url_esc(b, key);
		strbuf_addstr(b, "\" alt=\"");
		web_html_esc(b, tr(q, "The scanned value"));
		strbuf_addstr(b, "\">");
		if (why) {
			strbuf_addstr(b, "<p class=\"why\">");
			web_html_esc(b, tr(q, "Why it needs a person:"));
			strbuf_addch(b, ' ');
			web_html_esc(b, web_reason_label(q, why));
			strbuf_addstr(b, "</p>");
		}
		if (mine && rf->why)
			web_flash(b, rf->why, 0);
		if (h != HOLD_ME) {
			strbuf_addstr(b, "<p class=\"value\">");
			if (val)
				web_fmt_value(q, b, key, val);
			strbuf_addstr(b, "</p></div>");
			continue;
		}
		strbuf_addf(b, "<form method=\"post\" action=\"%s\">", action);
		web_csrf_field(q, b);
		strbuf_addstr(b, "<input type=\"hidden\" name=\"field\" value=\"");
		web_html_esc(b, key);
		strbuf_addstr(b, "\">");
		if (editable) {
			strbuf_addstr(b, "<label>");
			web_html_esc(b, tr(q, "Value"));
			strbuf_addstr(b,
				      " <input name=\"value\" class=\"value\" autocomplete=\"off\""
				      " value=\"");
			if (mine)
				web_html_esc(b, rf->value);
			else
				input_value(q, b, key, val);
			strbuf_addf(b, "\"%s></label>", first ? " data-focus-key=\"e\"" : "");
			if (mine && rf->implausible) {
				strbuf_addstr(b, "<label class=\"check\"><input type=\"checkbox\""
						 " name=\"unusual\" value=\"1\" id=\"unusual\"> ");
				web_html_esc(b,
					     tr(q, "The name is written so on the paper: keep it as"
						   " typed."));
				strbuf_addstr(b, "</label>");
			}
			strbuf_addstr(b, "<button type=\"submit\" name=\"action\" value=\"correct\""
					 " class=\"primary\">");
			web_html_esc(b, tr(q, "Save the correction"));
			strbuf_addstr(b, "</button>");
		} else {
			strbuf_addstr(b, "<p class=\"value\">");
			if (val)
				web_html_esc(b, val);
			strbuf_addstr(b, "</p><p class=\"muted small\">");
			web_html_esc(
			    b, tr(q, "Only an administrator can change the office of a record."));
			strbuf_addstr(b, "</p>");
		}
		strbuf_addf(b, "<button type=\"submit\" name=\"action\" value=\"accept\"%s>%s",
			    first ? " data-key=\"a\"" : "", first ? "<kbd>A</kbd> " : "");
		web_html_esc(b, tr(q, "Keep as read"));
		strbuf_addstr(b, "</button></form></div>");
		first = 0;
	}
	if (h == HOLD_ME) {
		strbuf_addf(b, "<form method=\"post\" action=\"%s\">", action);
		web_csrf_field(q, b);
		strbuf_addstr(
		    b, "<input type=\"hidden\" name=\"action\" value=\"skip\">"
		       "<button type=\"submit\" class=\"quiet\" data-key=\"s\"><kbd>S</kbd> ");
		web_html_esc(b, tr(q, "Skip"));
		strbuf_addstr(b, "</button></form><p class=\"muted small\">");
		web_html_esc(b, tr(q, "Keys:"));
		strbuf_addstr(b, " <kbd>A</kbd> ");
		web_html_esc(b, tr(q, "keep the first value as read,"));
		strbuf_addstr(b, " <kbd>E</kbd> ");
		web_html_esc(b, tr(q, "edit it (Enter saves),"));
		strbuf_addstr(b, " <kbd>S</kbd> ");
		web_html_esc(b, tr(q, "skip."));
		strbuf_addch(b, ' ');
		web_html_esc(b, tr(q, "Corrected names, dates and ID numbers are linked again by"
				      " 'hotich match --unlinked'."));
		strbuf_addstr(b, "</p>");
	}
	strbuf_addstr(b, "</section></div></main>");
	web_page_end(r);
	free(keys);
	json_decref(fields);
	rows_free(res);
}

void web_review_record(struct web_req *q, struct web_resp *r)
{
	render_record(q, r, web_path_id(q->path, "/review/record/", NULL), NULL, 200);
}

void web_review_record_post(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/record/", NULL);
	const char *action = web_param(&q->form, "action");
	const char *field = web_param(&q->form, "field");
	const char *value = web_param(&q->form, "value");
	int unusual = web_param(&q->form, "unusual") != NULL;
	char loc[256];
	strbuf norm = STRBUF_INIT, why = STRBUF_INIT;
	struct review_field_check d = { 0 };
	herr e = { 0 };
	int implausible = 0, left = 0, rc;

	if (id < 0 || !action) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	snprintf(loc, sizeof(loc), "/review/record/%ld", id);
	if (!strcmp(action, "claim")) {
		take(q, r, "records", id, loc);
		return;
	}
	if (!strcmp(action, "skip")) {
		release_skip(q, "records", id);
		go_next(q, r, "empty");
		return;
	}
	if ((strcmp(action, "correct") && strcmp(action, "accept")) || !field ||
	    strlen(field) > 64) {
		web_resp_error(q, r, 400, tr(q, "Bad request."));
		return;
	}
	if (!strcmp(action, "correct") && !strcmp(field, "registry_office") &&
	    q->user.role != ROLE_ADMIN) {
		log_warning("serve: \"%s\" may not change the office of record %ld", q->user.name,
			    id);
		web_resp_error(q, r, 403,
			       tr(q, "Only an administrator can change the office of a record."));
		return;
	}
	if (!strcmp(action, "correct") &&
	    (!value ||
	     web_field_normalize(q, field, value, unusual, &norm, &why, &implausible) < 0)) {
		struct refused rf = { field, value ? value : "",
				      why.len ? why.buf : tr(q, "The value is empty."),
				      implausible };

		render_record(q, r, id, &rf, 422);
		goto out;
	}
	d.record_id = id;
	d.user = q->user.name;
	d.office = web_user_office(q);
	d.field = field;
	d.value = !strcmp(action, "correct") ? norm.buf : NULL;
	d.confirmed_unusual = unusual && field_kind(field) == FK_NAMEV;
	d.lease_s = q->o->lease_s;
	rc = review_check_field(q->db, &d, &left, &e);
	if (rc == REVIEW_NOT_FOUND) {
		web_resp_error(q, r, 404, tr(q, "No such item."));
		goto out;
	}
	if (rc == REVIEW_TAKEN) {
		snprintf(loc, sizeof(loc), "/review/record/%ld?msg=not_held", id);
		web_resp_redirect(r, loc);
		goto out;
	}
	if (rc == REVIEW_REFUSED) {
		log_warning("serve: \"%s\" tried to change field %s of record %ld, not offered",
			    q->user.name, web_log_esc(&why, field, 64), id);
		snprintf(loc, sizeof(loc), "/review/record/%ld?msg=no_field", id);
		web_resp_redirect(r, loc);
		goto out;
	}
	if (rc != REVIEW_DONE) {
		db_failed(&e);
		web_resp_error(q, r, 503,
			       tr(q, "The decision could not be saved. Nothing was changed."));
		goto out;
	}
	log_info("serve: \"%s\" %s field %s of record %ld%s", q->user.name,
		 !strcmp(action, "correct") ? "corrected" : "accepted", field, id,
		 unusual && !strcmp(action, "correct") ? " (an unusual name, confirmed)" : "");
	if (left > 0) {
		snprintf(loc, sizeof(loc), "/review/record/%ld?msg=saved", id);
		web_resp_redirect(r, loc);
	} else {
		go_next(q, r, "done");
	}
out:
	strbuf_release(&norm);
	strbuf_release(&why);
}

/* ------------------------------------------------------------------------
 * A record, read-only, with its links (any role); reopen a decided link
 * ---------------------------------------------------------------------- */

void web_record(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/record/", NULL);
	struct db_rows res_rows, *res = &res_rows, ms_rows, *ms = &ms_rows;
	json_t *fields;
	strbuf *b = &r->body;
	herr e = { 0 };

	if (load_item(q, r, id, review_record_item, res) < 0)
		return;
	if (review_record_links(q->db, id, ms, &e) < 0) {
		db_failed(&e);
		ms = NULL;
	}
	fields = json_loads(db_rows_get(res, 0, 9), 0, NULL);
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Record"), NULL);
	strbuf_addstr(b, "<main class=\"narrow wide\"><h1>");
	web_html_esc(b, tr(q, "Record"));
	strbuf_addf(b, " #%ld</h1>", id);
	flash(q, b);
	record_header(q, b, res, 1, 2, 3, 4, 5, 6, 7, 8, id);
	strbuf_addstr(b, "<table class=\"fields\"><caption>");
	web_html_esc(b, tr(q, "Values read"));
	strbuf_addstr(b, "</caption>");
	fields_rows(q, b, fields);
	strbuf_addstr(b, "</table><table class=\"list\"><caption>");
	web_html_esc(b, tr(q, "Links to the citizen registry"));
	strbuf_addstr(b, "</caption><thead><tr><th>");
	web_html_esc(b, tr(q, "Person"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Status"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Citizen"));
	strbuf_addstr(b, "</th><th class=\"num\">");
	web_html_esc(b, tr(q, "Score"));
	strbuf_addstr(b, "</th><th>");
	web_html_esc(b, tr(q, "Decided"));
	strbuf_addstr(b, " (");
	web_fmt_zone(b);
	strbuf_addstr(b, ")</th><th></th></tr></thead><tbody>");
	for (int i = 0; ms && i < ms->n; i++) {
		const char *st = db_rows_get(ms, i, 2);

		strbuf_addstr(b, "<tr><td>");
		web_html_esc(b, web_role_label(q, db_rows_get(ms, i, 1)));
		strbuf_addf(b, "</td><td><span class=\"st %s\">", st);
		web_html_esc(b, web_status_label(q, st));
		strbuf_addstr(b, "</span></td><td>");
		web_html_esc(b, col(ms, i, 3) ? col(ms, i, 3) : "—");
		if (col(ms, i, 5)) {
			strbuf_addstr(b, " ");
			web_html_esc(b, col(ms, i, 5));
		}
		strbuf_addstr(b, "</td><td class=\"num\">");
		web_fmt_pct(q, b, 100 * strtod(db_rows_get(ms, i, 4), NULL));
		strbuf_addstr(b, "</td><td>");
		if (col(ms, i, 6)) {
			web_html_esc(b, col(ms, i, 6));
			strbuf_addstr(b, ", ");
			web_fmt_time(b, col(ms, i, 7));
		}
		strbuf_addstr(b, "</td><td>");
		if ((q->user.role & (ROLE_REVIEWER | ROLE_ADMIN)) &&
		    (!strcmp(st, "auto") || !strcmp(st, "confirmed") || !strcmp(st, "rejected"))) {
			strbuf_addf(b,
				    "<form method=\"post\" action=\"/reopen/%s\" class=\"inline\">",
				    db_rows_get(ms, i, 0));
			web_csrf_field(q, b);
			strbuf_addstr(b, "<button type=\"submit\" class=\"link\">");
			web_html_esc(b, tr(q, "Reopen"));
			strbuf_addstr(b, "</button></form>");
		} else if ((q->user.role & (ROLE_REVIEWER | ROLE_ADMIN)) && !strcmp(st, "review")) {
			strbuf_addf(b, "<a href=\"/review/match/%s\">", db_rows_get(ms, i, 0));
			web_html_esc(b, tr(q, "Review"));
			strbuf_addstr(b, "</a>");
		}
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></main>");
	web_page_end(r);
	json_decref(fields);
	rows_free(ms);
	rows_free(res);
}

/*
 * POST /reopen/N: an automatic or decided link back to review.  A "no
 * match" has no citizen; the one it was decided against comes back (from
 * the audit row of that decision), else the best candidate the match stage
 * offered.
 */
void web_reopen(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/reopen/", NULL);
	char loc[64];
	long record_id;
	herr e = { 0 };

	if (id < 0) {
		web_resp_error(q, r, 404, tr(q, "No such link."));
		return;
	}
	switch (review_reopen(q->db, id, q->user.name, web_user_office(q), &record_id, &e)) {
	case REVIEW_DONE:
		log_info("serve: \"%s\" reopened match %ld", q->user.name, id);
		snprintf(loc, sizeof(loc), "/record/%ld?msg=reopened", record_id);
		web_resp_redirect(r, loc);
		return;
	case REVIEW_NOT_FOUND:
		web_resp_error(q, r, 404,
			       tr(q, "No such link, or it is not one that can be reopened."));
		return;
	case REVIEW_REFUSED:
		web_resp_error(q, r, 409,
			       tr(q, "This link has no candidate to review again. Use 'hotich match"
				     " --unlinked' after a registry import."));
		return;
	default:
		db_failed(&e);
		web_resp_error(q, r, 503,
			       tr(q, "The link could not be reopened. Nothing was changed."));
	}
}

/* ------------------------------------------------------------------------
 * Crops of the scanned page
 * ---------------------------------------------------------------------- */

static void box_union(int acc[4], const int b[4])
{
	if (acc[2] <= 0) {
		memcpy(acc, b, 4 * sizeof(int));
		return;
	}
	int x1 = acc[0] + acc[2] > b[0] + b[2] ? acc[0] + acc[2] : b[0] + b[2];
	int y1 = acc[1] + acc[3] > b[1] + b[3] ? acc[1] + acc[3] : b[1] + b[3];

	acc[0] = acc[0] < b[0] ? acc[0] : b[0];
	acc[1] = acc[1] < b[1] ? acc[1] : b[1];
	acc[2] = x1 - acc[0];
	acc[3] = y1 - acc[1];
}

static int json_box(json_t *fv, int out[4])
{
	json_t *bb = json_object_get(fv, "bbox");

	if (!json_is_array(bb) || json_array_size(bb) != 4)
		return 0;
	for (int i = 0; i < 4; i++)
		out[i] = (int)json_integer_value(json_array_get(bb, (size_t)i));
	return out[2] > 0 && out[3] > 0;
}

void web_crop(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/crop/", ".png");
	const char *role = web_req_arg(q, "role");
	const char *field = web_req_arg(q, "field");
	struct db_rows res_rows, *res = &res_rows;
	json_t *fields;
	int marks[OCR_MAX_FIELDS][4], nmarks = 0, box[4] = { 0, 0, 0, 0 };
	unsigned char *png = NULL;
	size_t len = 0;
	herr e = { 0, "" };
	const char *key;
	json_t *fv;

	if (id < 0 || (!role && !field)) {
		web_resp_error(q, r, 404, tr(q, "No such image."));
		return;
	}
	if (review_crop_source(q->db, id, web_user_office(q), res, &e) < 0 || res->n != 1) {
		if (e.code)
			db_failed(&e);
		db_rows_release(res);
		web_resp_error(q, r, 404, tr(q, "No such image."));
		return;
	}
	fields = json_loads(db_rows_get(res, 0, 3), 0, NULL);
	if (field) {
		fv = json_object_get(fields, field);
		if (fv && json_box(fv, marks[0]))
			nmarks = 1;
	} else {
		const struct match_role *roles;
		int n = match_roles(db_rows_get(res, 0, 4), &roles);

		for (int k = 0; k < n; k++) {
			const struct match_role *ro = &roles[k];
			const char *names[] = { ro->name,	ro->dob,	 ro->id_number,
						ro->birthplace, ro->father_name, ro->mother_name,
						ro->sex_field };

			if (strcmp(ro->role, role))
				continue;
			json_object_foreach(fields, key, fv)
			{
				for (size_t i = 0; i < HT_ARRAY_LEN(names); i++)
					if (names[i] && !strcmp(names[i], key) &&
					    nmarks < OCR_MAX_FIELDS && json_box(fv, marks[nmarks]))
						nmarks++;
			}
		}
	}
	json_decref(fields);
	if (!nmarks) {
		rows_free(res);
		web_resp_error(q, r, 404, tr(q, "No position was read for these values."));
		return;
	}
	for (int i = 0; i < nmarks; i++)
		box_union(box, marks[i]);
	{
		/* the whole width of the record (labels included), a margin above
		 * and below; half of an A3 spread that carries two records */
		int pw = (int)col_long(res, 0, 5), dpi = (int)col_long(res, 0, 7);
		int nrec = (int)col_long(res, 0, 9), idx = (int)col_long(res, 0, 8);
		int rot = (int)col_long(res, 0, 2);
		int margin = dpi * 2 / 5, x0 = 0, x1 = pw;

		if (rot == 90 || rot == 270)
			pw = (int)col_long(res, 0, 6);
		if (pw <= 0)
			pw = box[0] + box[2] + margin;
		x1 = pw;
		if (nrec == 2) {
			x0 = idx == 1 ? pw / 2 : 0;
			x1 = idx == 1 ? pw : pw / 2;
		}
		if (rot == 0 || rot == 180) {
			box[1] -= margin;
			box[3] += 2 * margin;
			box[2] = x1 - x0;
			box[0] = x0;
		} else {
			box[0] -= margin;
			box[2] += 2 * margin;
		}
		if (box[1] < 0) {
			box[3] += box[1];
			box[1] = 0;
		}
		if (box[0] < 0) {
			box[2] += box[0];
			box[0] = 0;
		}
	}
	{
		/* the cache: by the file's bytes, the page, the region and marks */
		const char *dir = web_cache_dir(q->srv);
		strbuf k = STRBUF_INIT, sb = STRBUF_INIT;
		char hex[65], *path = NULL;

		strbuf_addf(&k, "%s|%s|%s|%d,%d,%d,%d", db_rows_get(res, 0, 10),
			    db_rows_get(res, 0, 1), db_rows_get(res, 0, 2), box[0], box[1], box[2],
			    box[3]);
		for (int i = 0; i < nmarks; i++)
			strbuf_addf(&k, "|%d,%d,%d,%d", marks[i][0], marks[i][1], marks[i][2],
				    marks[i][3]);
		sha256_mem(k.buf, k.len, hex);
		strbuf_release(&k);
		if (dir) {
			path = xasprintf("%s/%s.png", dir, hex);
			if (fs_read_file(path, 16u << 20, &sb, NULL) == 0 && sb.len > 8) {
				rows_free(res);
				free(path);
				r->status = 200;
				r->content_type = "image/png";
				strbuf_add(&r->body, sb.buf, sb.len);
				strbuf_release(&sb);
				return;
			}
			strbuf_release(&sb);
		}
		if (ocr_crop_png(db_rows_get(res, 0, 0), (int)col_long(res, 0, 1), box,
				 (const int(*)[4])marks, nmarks, (int)col_long(res, 0, 2), 1100,
				 &png, &len, &e) < 0) {
			log_warning("serve: crop of record %ld: %s", id, e.msg);
			rows_free(res);
			free(path);
			web_resp_error(q, r, 404,
				       tr(q, "The scan of this record cannot be read any more."));
			return;
		}
		if (path) {
			web_cache_write(path, png, len);
			free(path);
		}
	}
	rows_free(res);
	r->status = 200;
	r->content_type = "image/png";
	strbuf_add(&r->body, png, len);
	free(png);
}
