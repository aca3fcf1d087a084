/*
 * review.c — the review queue of the data cleaners.
 *
 * Two kinds of items: a match the batch left in `review` (the reviewer
 * confirms a candidate, picks another citizen by ID number, or says no
 * match), and a record with fields flagged `review` (the reviewer corrects
 * a value or accepts it as read).  Items come oldest batch first; a
 * reviewer claims one with SELECT ... FOR UPDATE SKIP LOCKED and holds it
 * under a lease, so two reviewers never get the same item.  A decision
 * changes the match or the record and writes its audit row
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

static void num(char *buf, size_t size, long v)
{
	snprintf(buf, size, "%ld", v);
}

static long col_long(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtol(PQgetvalue(res, row, col), NULL, 10);
}

static const char *col(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static const char *doc_type_label(const char *t)
{
	static const char *const map[][2] = {
		{ "khai_sinh", "Khai sinh (birth)" },
		{ "khai_tu", "Khai tử (death)" },
		{ "ket_hon", "Kết hôn (marriage)" },
		{ "nhan_cha_me_con", "Nhận cha, mẹ, con (recognition)" },
		{ "tthc_receipt", "Biên nhận TTHC (procedure receipt)" },
		{ "unknown", "Không xác định (unknown)" },
	};

	for (size_t i = 0; t && i < HT_ARRAY_LEN(map); i++)
		if (!strcmp(map[i][0], t))
			return map[i][1];
	return t ? t : "";
}

static const char *field_label(const char *f)
{
	static const char *const map[][2] = {
		{ "full_name", "Họ tên — name" },
		{ "name", "Họ tên — name" },
		{ "dob", "Ngày sinh — date of birth" },
		{ "sex", "Giới tính — sex" },
		{ "id_number", "Số định danh — ID number" },
		{ "cmnd_number", "Số CMND — old ID card" },
		{ "birthplace", "Nơi sinh — birthplace" },
		{ "hometown", "Quê quán — hometown" },
		{ "ethnicity", "Dân tộc — ethnicity" },
		{ "nationality", "Quốc tịch — nationality" },
		{ "residence", "Nơi cư trú — residence" },
		{ "father_name", "Cha — father" },
		{ "mother_name", "Mẹ — mother" },
		{ "registered_on", "Ngày đăng ký — registered on" },
		{ "register_no", "Số — register no." },
		{ "book_no", "Quyển — book" },
		{ "registry_office", "Nơi đăng ký — office" },
		{ "died_on", "Ngày chết — died on" },
		{ "death_place", "Nơi chết — place of death" },
		{ "death_cause", "Nguyên nhân — cause" },
		{ "dossier_code", "Mã hồ sơ — dossier" },
		{ "procedure_name", "Thủ tục — procedure" },
		{ "received_on", "Ngày nhận — received on" },
		{ "due_on", "Hẹn trả — due on" },
	};

	for (size_t i = 0; i < HT_ARRAY_LEN(map); i++)
		if (!strcmp(map[i][0], f))
			return map[i][1];
	return NULL;
}

/* label_html: a field's label; "husband_dob" reads "Chồng — husband · Ngày sinh ...". */
static void label_html(strbuf *b, const char *f)
{
	static const char *const who[][2] = {
		{ "husband_", "Chồng — husband" },	   { "wife_", "Vợ — wife" },
		{ "parent_", "Cha/mẹ — parent" },	   { "child_", "Con — child" },
		{ "applicant_", "Người nộp — applicant" },
	};
	const char *l = field_label(f);

	if (l) {
		html_esc(b, l);
		return;
	}
	for (size_t i = 0; i < HT_ARRAY_LEN(who); i++) {
		size_t n = strlen(who[i][0]);

		if (!strncmp(f, who[i][0], n) && field_label(f + n)) {
			html_esc(b, who[i][1]);
			strbuf_addstr(b, " · ");
			html_esc(b, field_label(f + n));
			return;
		}
	}
	html_esc(b, f);
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

/*
 * normalize_value: a reviewer's value in the contract's normal form, or -1
 * with a message for the reviewer.
 */
static int normalize_value(const char *field, const char *in, strbuf *out, const char **why)
{
	unsigned warn = 0;
	herr e = { 0, "" };

	strbuf_reset(out);
	switch (field_kind(field)) {
	case FK_NAMEV: {
		struct vn_name n;

		if (vn_name_parse(in, &n, &warn) < 0) {
			*why = "That is not a name.";
			return -1;
		}
		strbuf_addstr(out, n.full);
		return 0;
	}
	case FK_DATEV: {
		struct vn_date d;
		char buf[16];

		if (vn_date_parse(in, &d, &warn, &e) < 0) {
			*why = "That is not a possible date (write dd/mm/yyyy, mm/yyyy or yyyy).";
			return -1;
		}
		vn_date_format(&d, buf, sizeof(buf));
		strbuf_addstr(out, buf);
		return 0;
	}
	case FK_IDV: {
		struct vn_id id;

		if (vn_id_parse(in, &id, &warn, &e) < 0 || id.kind != VN_ID_PERSONAL) {
			*why = "That is not a valid 12-digit personal ID number.";
			return -1;
		}
		strbuf_addstr(out, id.digits);
		return 0;
	}
	case FK_SEXV: {
		enum vn_sex s = vn_sex_parse(in, &warn);

		if (s == VN_SEX_UNKNOWN) {
			*why = "Sex must be nam or nữ.";
			return -1;
		}
		strbuf_addstr(out, vn_sex_code(s));
		return 0;
	}
	case FK_TEXTV:
	default:
		if (vn_text_normalize(in, -1, out, &warn) < 0 || out->len == 0) {
			*why = "The value is empty.";
			return -1;
		}
		if (out->len > 500) {
			*why = "The value is longer than 500 characters.";
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
	same = !strcmp(fa.buf ? fa.buf : "", fb.buf ? fb.buf : "");
	strbuf_release(&fa);
	strbuf_release(&fb);
	return same;
}

static void flash(struct web_req *q, strbuf *b)
{
	static const char *const msgs[][2] = {
		{ "unknown_id", "No citizen has that ID number in the registry." },
		{ "bad_id", "That is not a valid 12-digit personal ID number." },
		{ "taken", "Another reviewer holds this item now." },
		{ "decided", "This item was decided already." },
		{ "bad_value", "The value was not accepted." },
		{ "no_field", "The record has no such field." },
		{ "reopened", "The link is open for review again." },
	};
	const char *m = req_arg(q, "msg");
	const char *why = req_arg(q, "why");

	for (size_t i = 0; m && i < HT_ARRAY_LEN(msgs); i++) {
		if (!strcmp(m, msgs[i][0])) {
			strbuf_addf(b, "<p class=\"flash %s\" role=\"alert\">%s",
				    strcmp(m, "reopened") ? "error" : "ok", msgs[i][1]);
			if (why && !strcmp(m, "bad_value")) {
				strbuf_addch(b, ' ');
				html_esc(b, why);
			}
			strbuf_addstr(b, "</p>");
		}
	}
}

/* ------------------------------------------------------------------------
 * The queue
 * ---------------------------------------------------------------------- */

static const char held_sql[] =
    "SELECT 'm', match_id FROM matches WHERE status = 'review' AND claimed_by = $1"
    " AND claim_until > now()"
    " UNION ALL SELECT 'r', record_id FROM records WHERE n_review > 0 AND claimed_by = $1"
    " AND claim_until > now() LIMIT 1";

/* claimable by $1 (a user name): free, expired, or skipped by someone else */
#define CLAIMABLE(t)                                                                               \
	"(" t ".claim_until IS NULL OR " t ".claim_until < now() OR (" t ".claimed_by LIKE "       \
	"'skipped:%' AND " t ".claimed_by <> 'skipped:' || $1))"

static const char next_match_sql[] =
    "SELECT m.match_id, f.batch_id FROM matches m"
    " JOIN records r ON r.record_id = m.record_id JOIN pages p ON p.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = p.file_id"
    " WHERE m.status = 'review' AND " CLAIMABLE(
	"m") " AND ($2::text IS NULL OR r.registry_office = $2)"
	     " ORDER BY f.batch_id, m.match_id LIMIT 1 FOR UPDATE OF m SKIP LOCKED";

static const char next_record_sql[] =
    "SELECT r.record_id, f.batch_id FROM records r JOIN pages p ON p.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = p.file_id"
    " WHERE r.n_review > 0 AND " CLAIMABLE(
	"r") " AND ($2::text IS NULL OR r.registry_office = $2)"
	     " ORDER BY f.batch_id, r.record_id LIMIT 1 FOR UPDATE OF r SKIP LOCKED";

/* queue_claim: 1 with *kind ('m' or 'r') and *id, 0 when the queue is empty. */
static int queue_claim(struct web_req *q, char *kind, long *id)
{
	const char *v[3] = { q->user.name, user_office(q), NULL };
	char lease[16];
	PGresult *res, *rm = NULL, *rr = NULL;
	int found = 0;

	res = wdb(q, held_sql, 1, v, PGRES_TUPLES_OK);
	if (!res)
		return -1;
	if (PQntuples(res)) {
		*kind = PQgetvalue(res, 0, 0)[0];
		*id = col_long(res, 0, 1);
		PQclear(res);
		return 1;
	}
	PQclear(res);
	if (wdb_exec(q, "BEGIN") < 0)
		return -1;
	rm = wdb(q, next_match_sql, 2, v, PGRES_TUPLES_OK);
	rr = rm ? wdb(q, next_record_sql, 2, v, PGRES_TUPLES_OK) : NULL;
	if (!rm || !rr) {
		PQclear(rm);
		wdb_exec(q, "ROLLBACK");
		return -1;
	}
	if (PQntuples(rm) && (!PQntuples(rr) || col_long(rm, 0, 1) <= col_long(rr, 0, 1))) {
		*kind = 'm';
		*id = col_long(rm, 0, 0);
		found = 1;
	} else if (PQntuples(rr)) {
		*kind = 'r';
		*id = col_long(rr, 0, 0);
		found = 1;
	}
	PQclear(rm);
	PQclear(rr);
	if (found) {
		char idbuf[24];

		num(idbuf, sizeof(idbuf), *id);
		snprintf(lease, sizeof(lease), "%d", q->o->lease_s);
		v[1] = lease;
		v[2] = idbuf;
		res = wdb(q,
			  *kind == 'm' ? "UPDATE matches SET claimed_by = $1,"
					 " claim_until = now() + make_interval(secs => $2::int)"
					 " WHERE match_id = $3::bigint"
				       : "UPDATE records SET claimed_by = $1,"
					 " claim_until = now() + make_interval(secs => $2::int)"
					 " WHERE record_id = $3::bigint",
			  3, v, PGRES_COMMAND_OK);
		if (!res) {
			wdb_exec(q, "ROLLBACK");
			return -1;
		}
		PQclear(res);
	}
	if (wdb_exec(q, "COMMIT") < 0)
		return -1;
	return found;
}

static void queue_counts_line(struct web_req *q, strbuf *b)
{
	const char *v[1] = { user_office(q) };
	PGresult *res =
	    wdb(q,
		"SELECT (SELECT count(*) FROM matches m JOIN records r USING (record_id)"
		"  WHERE m.status = 'review' AND ($1::text IS NULL OR"
		"  r.registry_office = $1)),"
		" (SELECT count(*) FROM records r WHERE n_review > 0 AND"
		"  ($1::text IS NULL OR r.registry_office = $1))",
		1, v, PGRES_TUPLES_OK);

	if (!res)
		return;
	strbuf_addf(b,
		    "<p class=\"queue\"><strong>%ld</strong> matches and <strong>%ld</strong>"
		    " records with flagged fields wait for review.</p>",
		    col_long(res, 0, 0), col_long(res, 0, 1));
	PQclear(res);
}

void h_review_next(struct web_req *q, struct web_resp *r)
{
	char kind = 0, loc[64];
	long id = 0;
	int got = queue_claim(q, &kind, &id);

	if (got < 0) {
		resp_error(q, r, 503, "The review queue is not available. Try again in a moment.");
		return;
	}
	if (got) {
		snprintf(loc, sizeof(loc), "/review/%s/%ld", kind == 'm' ? "match" : "record", id);
		resp_redirect(r, loc);
		return;
	}
	resp_html(r, 200);
	page_begin(q, r, "Review queue", "review");
	strbuf_addstr(&r->body, "<main class=\"narrow\"><h1>Review queue</h1>");
	flash(q, &r->body);
	strbuf_addstr(&r->body, "<div class=\"card empty\"><p class=\"big\">Nothing to review.</p>"
				"<p class=\"muted\">Every match and every flagged field has been "
				"decided, or is held by another reviewer.</p></div>");
	queue_counts_line(q, &r->body);
	strbuf_addstr(&r->body, "</main>");
	page_end(r);
}

/*
 * hold: make sure the reviewer holds item `id` of `table` (claiming it when
 * it is free).  1: held; 0: another reviewer holds it; -1: error.
 */
static int hold(struct web_req *q, const char *table, long id)
{
	char idbuf[24], lease[16];
	const char *v[3];
	PGresult *res;
	int ok;

	num(idbuf, sizeof(idbuf), id);
	snprintf(lease, sizeof(lease), "%d", q->o->lease_s);
	v[0] = q->user.name;
	v[1] = lease;
	v[2] = idbuf;
	res = wdb(
	    q,
	    !strcmp(table, "matches")
		? "UPDATE matches m SET claimed_by = $1,"
		  " claim_until = now() + make_interval(secs => $2::int)"
		  " WHERE m.match_id = $3::bigint AND (m.claimed_by = $1 OR " CLAIMABLE("m") ")"
		: "UPDATE records r SET claimed_by = $1,"
		  " claim_until = now() + make_interval(secs => $2::int)"
		  " WHERE r.record_id = $3::bigint AND (r.claimed_by = $1 OR " CLAIMABLE("r") ")",
	    3, v, PGRES_COMMAND_OK);
	if (!res)
		return -1;
	ok = strcmp(PQcmdTuples(res), "1") == 0;
	PQclear(res);
	return ok;
}

/*
 * hold_or_answer: 1 when the reviewer holds the item; otherwise 0 with the
 * answer set (another reviewer holds it: back to the queue; an error).
 */
static int hold_or_answer(struct web_req *q, struct web_resp *r, const char *table, long id)
{
	int held = hold(q, table, id);

	if (held > 0)
		return 1;
	if (held < 0)
		resp_error(q, r, 503, "The database is not available. Try again.");
	else
		resp_redirect(r, "/review?msg=taken");
	return 0;
}

/* ------------------------------------------------------------------------
 * A match to decide
 * ---------------------------------------------------------------------- */

static const char match_sql[] =
    "SELECT m.match_id, m.record_id, m.role, m.citizen_id, m.score, m.status,"
    " m.explanation::text, m.candidates::text, m.discrepancies::text, m.model_version,"
    " r.doc_type, r.registry_office, r.register_no, r.book_no, r.registered_on,"
    " f.path, pg.page_no, b.name, pg.dpi,"
    " p.full_name, p.dob, p.sex, p.id_number, p.birthplace, p.father_name, p.mother_name,"
    " m.claimed_by, m.claim_until > now()"
    " FROM matches m JOIN records r ON r.record_id = m.record_id"
    " JOIN record_people p ON p.record_id = m.record_id AND p.role = m.role"
    " JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f ON f.file_id = pg.file_id"
    " JOIN batches b ON b.batch_id = f.batch_id"
    " WHERE m.match_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)";

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
	M_P_NAME
};

static const char *const person_rows[][2] = {
	{ "Họ tên — name", "full_name" },
	{ "Ngày sinh — born", "dob" },
	{ "Giới tính — sex", "sex" },
	{ "Số định danh — ID", "id_number" },
	{ "Nơi sinh — birthplace", "birthplace" },
	{ "Cha — father", "father_name" },
	{ "Mẹ — mother", "mother_name" },
};

static void record_header(strbuf *b, const PGresult *res, int c_doctype, int c_office, int c_regno,
			  int c_book, int c_regon, int c_path, int c_page, int c_batch,
			  long record_id)
{
	strbuf_addstr(b, "<dl class=\"meta\"><dt>Document</dt><dd>");
	html_esc(b, doc_type_label(col(res, 0, c_doctype)));
	strbuf_addstr(b, "</dd><dt>Office</dt><dd>");
	html_esc(b, col(res, 0, c_office) ? col(res, 0, c_office) : "—");
	strbuf_addstr(b, "</dd><dt>Số / Quyển</dt><dd>");
	html_esc(b, col(res, 0, c_regno) ? col(res, 0, c_regno) : "—");
	strbuf_addstr(b, " / ");
	html_esc(b, col(res, 0, c_book) ? col(res, 0, c_book) : "—");
	strbuf_addstr(b, "</dd><dt>Registered</dt><dd>");
	html_esc(b, col(res, 0, c_regon) ? col(res, 0, c_regon) : "—");
	strbuf_addstr(b, "</dd><dt>Scan</dt><dd class=\"path\">");
	html_esc(b, col(res, 0, c_path));
	strbuf_addf(b, ", page %s</dd><dt>Batch</dt><dd>", PQgetvalue(res, 0, c_page));
	html_esc(b, col(res, 0, c_batch));
	strbuf_addf(b, "</dd><dt>Record</dt><dd><a href=\"/record/%ld\">#%ld</a></dd></dl>",
		    record_id, record_id);
}

static void citizens_of(struct web_req *q, const char *best, json_t *cands, PGresult **out)
{
	strbuf arr = STRBUF_INIT;
	const char *v[1];
	size_t i;
	json_t *c;
	int n = 0;

	strbuf_addch(&arr, '{');
	if (best) {
		strbuf_addstr(&arr, best);
		n++;
	}
	json_array_foreach(cands, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "citizen_id"));

		if (!id || strlen(id) != 12 || strspn(id, "0123456789") != 12 || n >= 3)
			continue;
		if (n)
			strbuf_addch(&arr, ',');
		strbuf_addstr(&arr, id);
		n++;
	}
	strbuf_addch(&arr, '}');
	v[0] = arr.buf;
	*out = wdb(q,
		   "SELECT c.id_number, c.full_name, c.dob, c.sex, c.id_number, c.birthplace,"
		   " c.father_name, c.mother_name"
		   " FROM unnest($1::text[]) WITH ORDINALITY AS w(id, k)"
		   " JOIN citizens c ON c.id_number = w.id ORDER BY w.k",
		   1, v, PGRES_TUPLES_OK);
	strbuf_release(&arr);
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

static void explanation(strbuf *b, json_t *expl)
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
	strbuf_addstr(b, "<table class=\"weights\"><caption>Why this score (weights of the best"
			 " candidate, log<sub>2</sub> m/u)</caption>");
	json_array_foreach(expl, i, w)
	{
		double x = json_number_value(json_object_get(w, "weight"));
		int px = (int)(60.0 * (x < 0 ? -x : x) / max + 0.5);

		strbuf_addstr(b, "<tr><th>");
		html_esc(b, json_string_value(json_object_get(w, "field")));
		strbuf_addstr(b, "</th><td>");
		html_esc(b, json_string_value(json_object_get(w, "level")));
		strbuf_addf(b,
			    "</td><td class=\"num\">%+.1f</td><td><svg width=\"130\" height=\"12\""
			    " aria-hidden=\"true\"><line x1=\"65\" y1=\"0\" x2=\"65\" y2=\"12\""
			    " class=\"axis\"/><rect x=\"%d\" y=\"2\" width=\"%d\" height=\"8\""
			    " class=\"%s\"/></svg></td></tr>",
			    x, x < 0 ? 65 - px : 65, px, x < 0 ? "neg" : "pos");
	}
	strbuf_addstr(b, "</table>");
}

/*
 * load_item: the one row of `sql` ($1 the id, $2 the user's office) for
 * item `id`; NULL with the error page set when the id is bad, the row is
 * not there (or belongs to another office), or the database fails.
 */
static PGresult *load_item(struct web_req *q, struct web_resp *r, long id, const char *sql)
{
	char idbuf[24];
	const char *v[2];
	PGresult *res;

	if (id < 0) {
		resp_error(q, r, 404, "No such item.");
		return NULL;
	}
	num(idbuf, sizeof(idbuf), id);
	v[0] = idbuf;
	v[1] = user_office(q);
	res = wdb(q, sql, 2, v, PGRES_TUPLES_OK);
	if (!res) {
		resp_error(q, r, 503, "The database is not available. Try again in a moment.");
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_error(q, r, 404, "No such item.");
		return NULL;
	}
	return res;
}

void h_review_match(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/match/", NULL);
	PGresult *res, *cit = NULL;
	json_t *expl, *cands, *disc;
	const char *best;
	double score;
	strbuf *b = &r->body;

	res = load_item(q, r, id, match_sql);
	if (!res)
		return;
	if (strcmp(PQgetvalue(res, 0, M_STATUS), "review")) {
		char loc[64];

		PQclear(res);
		snprintf(loc, sizeof(loc), "/review?msg=decided");
		resp_redirect(r, loc);
		return;
	}
	if (!hold_or_answer(q, r, "matches", id)) {
		PQclear(res);
		return;
	}
	best = col(res, 0, M_CITIZEN);
	score = strtod(PQgetvalue(res, 0, M_SCORE), NULL);
	expl = json_loads(PQgetvalue(res, 0, M_EXPL), 0, NULL);
	cands = json_loads(PQgetvalue(res, 0, M_CANDS), 0, NULL);
	disc = json_loads(PQgetvalue(res, 0, M_DISC), 0, NULL);
	if (!json_is_array(cands)) {
		json_decref(cands);
		cands = json_array();
	}
	citizens_of(q, best, cands, &cit);

	resp_html(r, 200);
	page_begin(q, r, "Review a match", "review");
	strbuf_addf(b,
		    "<main class=\"item\" data-item=\"match-%ld\"><div class=\"itemhead\"><h1>"
		    "Is this the same person?</h1><span class=\"pill\">",
		    id);
	html_esc(b, PQgetvalue(res, 0, M_ROLE));
	strbuf_addf(b,
		    "</span><span class=\"score\" title=\"calibrated probability\">score"
		    " %.1f%%</span></div>",
		    score * 100);
	flash(q, b);
	queue_counts_line(q, b);
	strbuf_addstr(b, "<div class=\"cols\"><section class=\"scan\">");
	strbuf_addf(b,
		    "<img class=\"crop\" src=\"/crop/%ld.png?role=%s\" alt=\"The scanned page"
		    " around this person's fields\">",
		    col_long(res, 0, M_RECORD), PQgetvalue(res, 0, M_ROLE));
	record_header(b, res, M_DOCTYPE, M_OFFICE, M_REGNO, M_BOOK, M_REGON, M_PATH, M_PAGE,
		      M_BATCH, col_long(res, 0, M_RECORD));
	strbuf_addstr(b, "</section><section class=\"decide\">");

	/* field-by-field comparison */
	strbuf_addstr(b, "<table class=\"compare\"><thead><tr><th></th><th>On the record</th>");
	for (int k = 0; cit && k < PQntuples(cit); k++)
		strbuf_addf(b, "<th>Candidate %d<br><span class=\"muted\">%.1f%%</span></th>",
			    k + 1, 100 * cand_score(cands, PQgetvalue(cit, k, 0), score, best));
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (size_t f = 0; f < HT_ARRAY_LEN(person_rows); f++) {
		const char *mine = col(res, 0, M_P_NAME + (int)f);

		strbuf_addf(b, "<tr><th>%s</th><td>", person_rows[f][0]);
		html_esc(b, mine ? mine : "—");
		strbuf_addstr(b, "</td>");
		for (int k = 0; cit && k < PQntuples(cit); k++) {
			const char *theirs = col(cit, k, 1 + (int)f);
			int same = same_folded(mine, theirs);

			strbuf_addf(b, "<td class=\"%s\">",
				    same < 0 ? "missing"
				    : same   ? "same"
					     : "differs");
			html_esc(b, theirs ? theirs : "—");
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
			html_esc(b, json_string_value(d));
			strbuf_addstr(b, "</li>");
		}
		strbuf_addstr(b, "</ul>");
	}

	/* actions */
	strbuf_addstr(b, "<div class=\"actions\">");
	for (int k = 0; cit && k < PQntuples(cit); k++) {
		strbuf_addf(b, "<form method=\"post\" action=\"/review/match/%ld\">", id);
		csrf_field(q, b);
		strbuf_addf(b,
			    "<input type=\"hidden\" name=\"action\" value=\"confirm\">"
			    "<input type=\"hidden\" name=\"candidate\" value=\"%s\">"
			    "<button type=\"submit\" class=\"primary\" data-key=\"%d\">"
			    "<kbd>%d</kbd> Same as candidate %d</button></form>",
			    PQgetvalue(cit, k, 0), k + 1, k + 1, k + 1);
	}
	strbuf_addf(b, "<form method=\"post\" action=\"/review/match/%ld\">", id);
	csrf_field(q, b);
	strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"no_match\">"
			 "<button type=\"submit\" class=\"danger\" data-key=\"n\"><kbd>N</kbd>"
			 " No match</button></form>");
	strbuf_addf(b, "<form method=\"post\" action=\"/review/match/%ld\" class=\"pick\">", id);
	csrf_field(q, b);
	strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"pick\">"
			 "<label><kbd>P</kbd> Another citizen: <input name=\"id_number\""
			 " id=\"pick\" inputmode=\"numeric\" pattern=\"[0-9 .]{12,16}\""
			 " placeholder=\"12-digit ID number\" data-focus-key=\"p\"></label>"
			 "<button type=\"submit\">Link</button></form>");
	strbuf_addf(b, "<form method=\"post\" action=\"/review/match/%ld\">", id);
	csrf_field(q, b);
	strbuf_addstr(b, "<input type=\"hidden\" name=\"action\" value=\"skip\">"
			 "<button type=\"submit\" class=\"quiet\" data-key=\"s\"><kbd>S</kbd>"
			 " Skip</button></form></div>");
	if (json_is_array(expl))
		explanation(b, expl);
	strbuf_addstr(b, "<p class=\"muted small\">Model ");
	html_esc(b, PQgetvalue(res, 0, M_MODEL));
	strbuf_addstr(b, ". Keys: <kbd>1</kbd>–<kbd>3</kbd> confirm, <kbd>N</kbd> no match,"
			 " <kbd>P</kbd> pick by ID, <kbd>S</kbd> skip.</p>");
	strbuf_addstr(b, "</section></div></main>");
	page_end(r);
	json_decref(expl);
	json_decref(cands);
	json_decref(disc);
	PQclear(cit);
	PQclear(res);
}

/*
 * decide_match: lock the match, check it is in review and not held by
 * another reviewer, apply the decision and write the audit row, all in one
 * transaction.  Returns a msg code for the redirect, or NULL on success.
 */
static const char *decide_match(struct web_req *q, long id, const char *action, const char *citizen,
				int *err)
{
	char idbuf[24];
	const char *v[6];
	PGresult *res;
	const char *status = NULL;
	strbuf before = STRBUF_INIT;
	const char *msg = NULL;

	*err = 0;
	num(idbuf, sizeof(idbuf), id);
	if (wdb_exec(q, "BEGIN") < 0)
		goto fail;
	v[0] = q->user.name;
	v[1] = user_office(q);
	v[2] = idbuf;
	res = wdb(q,
		  "SELECT m.status, (m.claimed_by = $1 OR " CLAIMABLE(
		      "m") "),"
			   " jsonb_build_object('status', m.status, 'citizen_id', m.citizen_id,"
			   " 'score', m.score)::text, m.citizen_id, m.candidates::text"
			   " FROM matches m JOIN records r ON r.record_id = m.record_id"
			   " WHERE m.match_id = $3::bigint AND ($2::text IS NULL OR "
			   "r.registry_office = $2)"
			   " FOR UPDATE OF m",
		  3, v, PGRES_TUPLES_OK);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1) {
		PQclear(res);
		wdb_exec(q, "ROLLBACK");
		*err = 404;
		return NULL;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "review")) {
		PQclear(res);
		wdb_exec(q, "ROLLBACK");
		return "decided";
	}
	if (strcmp(PQgetvalue(res, 0, 1), "t")) {
		PQclear(res);
		wdb_exec(q, "ROLLBACK");
		return "taken";
	}
	strbuf_addstr(&before, PQgetvalue(res, 0, 2));
	if (!strcmp(action, "confirm")) {
		/* the candidate must be one the match stage offered */
		const char *best = col(res, 0, 3);
		json_t *cands = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
		int offered = best && citizen && !strcmp(best, citizen);
		size_t i;
		json_t *c;

		json_array_foreach(cands, i, c)
		{
			const char *cid = json_string_value(json_object_get(c, "citizen_id"));

			if (cid && citizen && !strcmp(cid, citizen))
				offered = 1;
		}
		json_decref(cands);
		if (!offered) {
			PQclear(res);
			wdb_exec(q, "ROLLBACK");
			strbuf_release(&before);
			*err = 400;
			return NULL;
		}
		status = "confirmed";
	} else if (!strcmp(action, "pick")) {
		status = "confirmed";
	} else {
		status = "rejected";
		citizen = NULL;
	}
	PQclear(res);
	if (citizen) {
		v[0] = citizen;
		res = wdb(q, "SELECT 1 FROM citizens WHERE id_number = $1", 1, v, PGRES_TUPLES_OK);
		if (!res)
			goto fail;
		if (PQntuples(res) == 0) {
			PQclear(res);
			wdb_exec(q, "ROLLBACK");
			strbuf_release(&before);
			return "unknown_id";
		}
		PQclear(res);
	}
	v[0] = idbuf;
	v[1] = status;
	v[2] = citizen;
	v[3] = q->user.name;
	res = wdb(q,
		  "UPDATE matches SET status = $2, citizen_id = $3, decided_by = $4,"
		  " decided_at = now(), claimed_by = NULL, claim_until = NULL, updated_at = now()"
		  " WHERE match_id = $1::bigint",
		  4, v, PGRES_COMMAND_OK);
	if (!res)
		goto fail;
	PQclear(res);
	v[0] = idbuf;
	v[1] = q->user.name;
	v[2] = action;
	v[3] = before.buf;
	res = wdb(q,
		  "INSERT INTO review_decisions (user_name, action, record_id, role, before, after)"
		  " SELECT $2, $3, record_id, role, $4::jsonb,"
		  " jsonb_build_object('status', status, 'citizen_id', citizen_id)"
		  " FROM matches WHERE match_id = $1::bigint",
		  4, v, PGRES_COMMAND_OK);
	if (!res)
		goto fail;
	PQclear(res);
	if (wdb_exec(q, "COMMIT") < 0)
		goto fail;
	log_info("serve: \"%s\" decided match %ld: %s%s%s", q->user.name, id, action,
		 citizen ? " " : "", citizen ? citizen : "");
	strbuf_release(&before);
	return msg;
fail:
	wdb_exec(q, "ROLLBACK");
	strbuf_release(&before);
	*err = 503;
	return NULL;
}

static void release_skip(struct web_req *q, const char *table, long id)
{
	char idbuf[24], lease[16];
	const char *v[3];

	num(idbuf, sizeof(idbuf), id);
	snprintf(lease, sizeof(lease), "%d", q->o->lease_s);
	v[0] = q->user.name;
	v[1] = lease;
	v[2] = idbuf;
	PQclear(wdb(q,
		    !strcmp(table, "matches")
			? "UPDATE matches SET claimed_by = 'skipped:' || $1,"
			  " claim_until = now() + make_interval(secs => $2::int)"
			  " WHERE match_id = $3::bigint AND claimed_by = $1"
			: "UPDATE records SET claimed_by = 'skipped:' || $1,"
			  " claim_until = now() + make_interval(secs => $2::int)"
			  " WHERE record_id = $3::bigint AND claimed_by = $1",
		    3, v, PGRES_COMMAND_OK));
}

void h_review_match_post(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/match/", NULL);
	const char *action = web_param(&q->form, "action");
	const char *citizen = NULL;
	const char *msg;
	char loc[96];
	int err = 0;

	if (id < 0 || !action) {
		resp_error(q, r, 400, "Bad request.");
		return;
	}
	if (!strcmp(action, "skip")) {
		release_skip(q, "matches", id);
		resp_redirect(r, "/review");
		return;
	}
	if (!strcmp(action, "confirm")) {
		citizen = web_param(&q->form, "candidate");
		if (!citizen || strlen(citizen) != 12 || strspn(citizen, "0123456789") != 12) {
			resp_error(q, r, 400, "Bad request.");
			return;
		}
	} else if (!strcmp(action, "pick")) {
		struct vn_id vid;
		unsigned warn = 0;
		const char *in = web_param(&q->form, "id_number");
		static __thread char digits[13];

		if (!in || vn_id_parse(in, &vid, &warn, NULL) < 0 || vid.kind != VN_ID_PERSONAL) {
			snprintf(loc, sizeof(loc), "/review/match/%ld?msg=bad_id", id);
			resp_redirect(r, loc);
			return;
		}
		snprintf(digits, sizeof(digits), "%s", vid.digits);
		citizen = digits;
	} else if (strcmp(action, "no_match")) {
		resp_error(q, r, 400, "Bad request.");
		return;
	}
	msg = decide_match(q, id, action, citizen, &err);
	if (err) {
		resp_error(q, r, err,
			   err == 404	? "No such item."
			   : err == 400 ? "That candidate was not offered for this record."
					: "The decision could not be saved. Nothing was changed.");
		return;
	}
	if (msg && !strcmp(msg, "unknown_id")) {
		snprintf(loc, sizeof(loc), "/review/match/%ld?msg=unknown_id", id);
		resp_redirect(r, loc);
		return;
	}
	if (msg) {
		snprintf(loc, sizeof(loc), "/review?msg=%s", msg);
		resp_redirect(r, loc);
		return;
	}
	resp_redirect(r, "/review");
}

/* ------------------------------------------------------------------------
 * A record with flagged fields
 * ---------------------------------------------------------------------- */

static const char record_sql[] =
    "SELECT r.record_id, r.doc_type, r.registry_office, r.register_no, r.book_no,"
    " r.registered_on, f.path, pg.page_no, b.name, r.fields::text, r.n_review,"
    " r.mean_conf"
    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = pg.file_id JOIN batches b ON b.batch_id = f.batch_id"
    " WHERE r.record_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)";

static void conf_bar(strbuf *b, double conf)
{
	int w = (int)(conf * 60 + 0.5);

	strbuf_addf(
	    b,
	    "<svg width=\"64\" height=\"10\" class=\"conf\" aria-label=\"confidence %.0f%%\">"
	    "<rect x=\"0\" y=\"1\" width=\"62\" height=\"8\" class=\"track\"/>"
	    "<rect x=\"1\" y=\"2\" width=\"%d\" height=\"6\" class=\"%s\"/></svg> %.0f%%",
	    conf * 100, w,
	    conf >= 0.9	   ? "hi"
	    : conf >= 0.75 ? "mid"
			   : "lo",
	    conf * 100);
}

/* fields_rows: a table row per field read: label, value, confidence. */
static void fields_rows(strbuf *b, json_t *fields)
{
	const char *key;
	json_t *fv;

	json_object_foreach(fields, key, fv)
	{
		const char *val = json_string_value(json_object_get(fv, "value"));

		strbuf_addf(b, "<tr%s><th>",
			    json_is_true(json_object_get(fv, "review")) ? " class=\"flagged\""
									: "");
		label_html(b, key);
		strbuf_addstr(b, "</th><td>");
		html_esc(b, val ? val : "(illegible)");
		strbuf_addstr(b, "</td><td class=\"nowrap\">");
		conf_bar(b, json_number_value(json_object_get(fv, "conf")));
		strbuf_addstr(b, "</td></tr>");
	}
}

void h_review_record(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/record/", NULL);
	PGresult *res;
	json_t *fields;
	const char *key;
	json_t *fv;
	strbuf *b = &r->body;
	int first = 1;

	res = load_item(q, r, id, record_sql);
	if (!res)
		return;
	if (col_long(res, 0, 10) == 0) {
		PQclear(res);
		resp_redirect(r, "/review?msg=decided");
		return;
	}
	if (!hold_or_answer(q, r, "records", id)) {
		PQclear(res);
		return;
	}
	fields = json_loads(PQgetvalue(res, 0, 9), 0, NULL);
	resp_html(r, 200);
	page_begin(q, r, "Check fields", "review");
	strbuf_addf(b,
		    "<main class=\"item\" data-item=\"record-%ld\"><div class=\"itemhead\"><h1>"
		    "Check what was read</h1><span class=\"pill\">%ld field%s flagged</span></div>",
		    id, col_long(res, 0, 10), col_long(res, 0, 10) == 1 ? "" : "s");
	flash(q, b);
	queue_counts_line(q, b);
	strbuf_addstr(b, "<div class=\"cols\"><section class=\"scan\">");
	record_header(b, res, 1, 2, 3, 4, 5, 6, 7, 8, id);
	strbuf_addstr(b,
		      "<table class=\"fields\"><caption>Everything read on the record</caption>");
	fields_rows(b, fields);
	strbuf_addstr(b, "</table></section><section class=\"decide\">");
	json_object_foreach(fields, key, fv)
	{
		const char *val = json_string_value(json_object_get(fv, "value"));
		const char *why = json_string_value(json_object_get(fv, "why"));

		if (!json_is_true(json_object_get(fv, "review")))
			continue;
		strbuf_addstr(b, "<div class=\"fieldcheck card\"><h2>");
		label_html(b, key);
		strbuf_addstr(b, "</h2>");
		strbuf_addf(b, "<img class=\"crop\" src=\"/crop/%ld.png?field=", id);
		url_esc(b, key);
		strbuf_addstr(b, "\" alt=\"The scanned field\">");
		if (why) {
			strbuf_addstr(b, "<p class=\"why\">");
			html_esc(b, why);
			strbuf_addstr(b, "</p>");
		}
		strbuf_addf(b, "<form method=\"post\" action=\"/review/record/%ld\">", id);
		csrf_field(q, b);
		strbuf_addstr(b, "<input type=\"hidden\" name=\"field\" value=\"");
		html_esc(b, key);
		strbuf_addstr(b, "\"><label>Value <input name=\"value\" class=\"value\" value=\"");
		html_esc(b, val ? val : "");
		strbuf_addf(b,
			    "\"%s></label><button type=\"submit\" name=\"action\" value=\"correct\""
			    " class=\"primary\"%s>Save correction</button>"
			    "<button type=\"submit\" name=\"action\" value=\"accept\"%s>"
			    "%sAccept as read</button></form></div>",
			    first ? " data-focus-key=\"e\"" : "",
			    first ? " data-key=\"Enter\"" : "", first ? " data-key=\"a\"" : "",
			    first ? "<kbd>A</kbd> " : "");
		first = 0;
	}
	strbuf_addf(b, "<form method=\"post\" action=\"/review/record/%ld\">", id);
	csrf_field(q, b);
	strbuf_addstr(b,
		      "<input type=\"hidden\" name=\"action\" value=\"skip\">"
		      "<button type=\"submit\" class=\"quiet\" data-key=\"s\"><kbd>S</kbd>"
		      " Skip</button></form>"
		      "<p class=\"muted small\">Keys: <kbd>A</kbd> accept the first flagged value,"
		      " <kbd>E</kbd> edit it (Enter saves), <kbd>S</kbd> skip. Corrected names,"
		      " dates and ID numbers are matched again by <code>hotich match"
		      " --unlinked</code>.</p></section></div></main>");
	page_end(r);
	json_decref(fields);
	PQclear(res);
}

/* the record_people column a field feeds, for the record's doc_type */
static const char *people_column(const char *doc_type, const char *field, const char **role)
{
	const struct match_role *roles;
	int n = match_roles(doc_type, &roles);

	for (int k = 0; k < n; k++) {
		const struct match_role *ro = &roles[k];
		const char *const map[][2] = {
			{ ro->name, "full_name" },	    { ro->dob, "dob" },
			{ ro->id_number, "id_number" },	    { ro->birthplace, "birthplace" },
			{ ro->father_name, "father_name" }, { ro->mother_name, "mother_name" },
			{ ro->sex_field, "sex" },
		};

		for (size_t i = 0; i < HT_ARRAY_LEN(map); i++) {
			if (map[i][0] && !strcmp(map[i][0], field)) {
				*role = ro->role;
				return map[i][1];
			}
		}
	}
	return NULL;
}

/*
 * The child of a recognition has the recognized parent as father or mother
 * (match_role_fields): a corrected name or sex of that parent moves there
 * too.  0, or -1 when the database failed.
 */
static int sync_named_parent(struct web_req *q, const char *doc_type, const char *field,
			     const char *idbuf)
{
	const struct match_role *roles;
	int n = match_roles(doc_type, &roles);

	for (int k = 0; k < n; k++) {
		const struct match_role *ro = &roles[k];
		const char *v[4] = { idbuf, ro->role, ro->parent_name_field, ro->parent_sex_field };
		PGresult *res;

		if (!ro->parent_name_field || (strcmp(field, ro->parent_name_field) &&
					       strcmp(field, ro->parent_sex_field)))
			continue;
		res = wdb(q,
			  "UPDATE record_people p SET"
			  " father_name = CASE WHEN r.fields -> $4 ->> 'value' = 'nam'"
			  "  THEN r.fields -> $3 ->> 'value' END,"
			  " mother_name = CASE WHEN r.fields -> $4 ->> 'value' = 'nu'"
			  "  THEN r.fields -> $3 ->> 'value' END"
			  " FROM records r WHERE r.record_id = $1::bigint"
			  " AND p.record_id = r.record_id AND p.role = $2",
			  4, v, PGRES_COMMAND_OK);
		if (!res)
			return -1;
		PQclear(res);
	}
	return 0;
}

void h_review_record_post(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/review/record/", NULL);
	const char *action = web_param(&q->form, "action");
	const char *field = web_param(&q->form, "field");
	const char *value = web_param(&q->form, "value");
	const char *why = NULL, *role = NULL, *pcol;
	char idbuf[24], loc[256], doc_type[32];
	const char *v[6];
	strbuf norm = STRBUF_INIT, before = STRBUF_INIT, u = STRBUF_INIT;
	PGresult *res;

	if (id < 0 || !action) {
		resp_error(q, r, 400, "Bad request.");
		return;
	}
	if (!strcmp(action, "skip")) {
		release_skip(q, "records", id);
		resp_redirect(r, "/review");
		return;
	}
	if ((strcmp(action, "correct") && strcmp(action, "accept")) || !field ||
	    strlen(field) > 64) {
		resp_error(q, r, 400, "Bad request.");
		return;
	}
	if (!strcmp(action, "correct")) {
		if (!value || normalize_value(field, value, &norm, &why) < 0) {
			strbuf sb = STRBUF_INIT;

			url_esc(&sb, why ? why : "");
			snprintf(loc, sizeof(loc), "/review/record/%ld?msg=bad_value&why=%s", id,
				 sb.buf ? sb.buf : "");
			strbuf_release(&sb);
			strbuf_release(&norm);
			resp_redirect(r, loc);
			return;
		}
	}
	num(idbuf, sizeof(idbuf), id);
	if (wdb_exec(q, "BEGIN") < 0)
		goto fail;
	v[0] = q->user.name;
	v[1] = user_office(q);
	v[2] = idbuf;
	v[3] = field;
	res = wdb(q,
		  "SELECT r.doc_type, (r.claimed_by = $1 OR " CLAIMABLE(
		      "r") "),"
			   " r.fields -> $4, (r.fields -> $4 ->> 'review')::boolean"
			   " FROM records r"
			   " WHERE r.record_id = $3::bigint AND ($2::text IS NULL OR "
			   "r.registry_office = $2)"
			   " FOR UPDATE OF r",
		  4, v, PGRES_TUPLES_OK);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 2)) {
		int none = PQntuples(res) != 1;

		PQclear(res);
		wdb_exec(q, "ROLLBACK");
		if (none) {
			resp_error(q, r, 404, "No such item.");
		} else {
			snprintf(loc, sizeof(loc), "/review/record/%ld?msg=no_field", id);
			resp_redirect(r, loc);
		}
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 1), "t")) {
		PQclear(res);
		wdb_exec(q, "ROLLBACK");
		resp_redirect(r, "/review?msg=taken");
		goto out;
	}
	strbuf_addstr(&before, PQgetvalue(res, 0, 2));
	pcol = people_column(PQgetvalue(res, 0, 0), field, &role);
	snprintf(doc_type, sizeof(doc_type), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	v[0] = idbuf;
	v[1] = field;
	v[2] = !strcmp(action, "correct") ? norm.buf : NULL;
	v[3] = q->user.name;
	res = wdb(q,
		  "UPDATE records SET fields = jsonb_set(fields, ARRAY[$2],"
		  "  (fields -> $2) || jsonb_build_object('review', false, 'checked_by', $4::text)"
		  "  || CASE WHEN $3::text IS NULL THEN '{}'::jsonb ELSE"
		  "     jsonb_build_object('value', $3::text, 'conf', 1.0) END),"
		  " updated_at = now() WHERE record_id = $1::bigint",
		  4, v, PGRES_COMMAND_OK);
	if (!res)
		goto fail;
	PQclear(res);
	res = wdb(q,
		  "UPDATE records SET n_review = (SELECT count(*) FROM jsonb_each(fields) f"
		  "  WHERE (f.value ->> 'review')::boolean),"
		  " claimed_by = NULL, claim_until = NULL WHERE record_id = $1::bigint",
		  1, v, PGRES_COMMAND_OK);
	if (!res)
		goto fail;
	PQclear(res);
	if (v[2]) {
		/* the typed columns follow the corrected value */
		if (!strcmp(field, "registered_on") || !strcmp(field, "register_no") ||
		    !strcmp(field, "book_no") || !strcmp(field, "registry_office")) {
			strbuf_addf(&u, "UPDATE records SET %s = $2 WHERE record_id = $1::bigint",
				    field);
			v[1] = norm.buf;
			res = wdb(q, u.buf, 2, v, PGRES_COMMAND_OK);
			if (!res)
				goto fail;
			PQclear(res);
		}
		if (pcol) {
			strbuf_reset(&u);
			strbuf_addf(
			    &u,
			    "UPDATE record_people SET %s = $3%s WHERE record_id = $1::bigint"
			    " AND role = $2",
			    pcol, !strcmp(pcol, "full_name") ? ", name_key = $4" : "");
			{
				strbuf key = STRBUF_INIT;
				const char *pv[4];

				vn_fold(norm.buf, -1, &key);
				pv[0] = idbuf;
				pv[1] = role;
				pv[2] = norm.buf;
				pv[3] = key.buf ? key.buf : "";
				res = wdb(q, u.buf, !strcmp(pcol, "full_name") ? 4 : 3, pv,
					  PGRES_COMMAND_OK);
				strbuf_release(&key);
			}
			if (!res)
				goto fail;
			PQclear(res);
		}
		if (sync_named_parent(q, doc_type, field, idbuf) < 0)
			goto fail;
	}
	v[0] = idbuf;
	v[1] = q->user.name;
	v[2] = !strcmp(action, "correct") ? "correct_field" : "accept_field";
	v[3] = field;
	v[4] = before.buf;
	v[5] = role;
	res = wdb(q,
		  "INSERT INTO review_decisions (user_name, action, record_id, role, field, before,"
		  " after) SELECT $2, $3, record_id, $6, $4, $5::jsonb, fields -> $4"
		  " FROM records WHERE record_id = $1::bigint",
		  6, v, PGRES_COMMAND_OK);
	if (!res)
		goto fail;
	PQclear(res);
	if (wdb_exec(q, "COMMIT") < 0)
		goto fail;
	log_info("serve: \"%s\" %s field %s of record %ld", q->user.name,
		 !strcmp(action, "correct") ? "corrected" : "accepted", field, id);
	snprintf(loc, sizeof(loc), "/review/record/%ld", id);
	resp_redirect(r, loc);
	goto out;
fail:
	wdb_exec(q, "ROLLBACK");
	resp_error(q, r, 503, "The decision could not be saved. Nothing was changed.");
out:
	strbuf_release(&norm);
	strbuf_release(&before);
	strbuf_release(&u);
}

/* ------------------------------------------------------------------------
 * A record, read-only, with its matches (any role); reopen an auto link
 * ---------------------------------------------------------------------- */

void h_record(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/record/", NULL);
	char idbuf[24];
	const char *v[2];
	PGresult *res, *ms;
	json_t *fields;
	strbuf *b = &r->body;

	res = load_item(q, r, id, record_sql);
	if (!res)
		return;
	num(idbuf, sizeof(idbuf), id);
	v[0] = idbuf;
	ms = wdb(q,
		 "SELECT m.match_id, m.role, m.status, m.citizen_id, m.score, c.full_name,"
		 " m.decided_by, to_char(m.decided_at, 'YYYY-MM-DD HH24:MI')"
		 " FROM matches m LEFT JOIN citizens c ON c.id_number = m.citizen_id"
		 " WHERE m.record_id = $1::bigint ORDER BY m.role",
		 1, v, PGRES_TUPLES_OK);
	fields = json_loads(PQgetvalue(res, 0, 9), 0, NULL);
	resp_html(r, 200);
	page_begin(q, r, "Record", NULL);
	strbuf_addf(b, "<main class=\"narrow wide\"><h1>Record #%ld</h1>", id);
	flash(q, b);
	record_header(b, res, 1, 2, 3, 4, 5, 6, 7, 8, id);
	strbuf_addstr(b, "<table class=\"fields\"><caption>Fields</caption>");
	fields_rows(b, fields);
	strbuf_addstr(b, "</table><table class=\"list\"><caption>Links to the citizen registry"
			 "</caption><thead><tr><th>Person</th><th>Status</th><th>Citizen</th>"
			 "<th>Score</th><th>Decided</th><th></th></tr></thead><tbody>");
	for (int i = 0; ms && i < PQntuples(ms); i++) {
		const char *st = PQgetvalue(ms, i, 2);

		strbuf_addstr(b, "<tr><td>");
		html_esc(b, PQgetvalue(ms, i, 1));
		strbuf_addf(b, "</td><td><span class=\"st %s\">%s</span></td><td>", st, st);
		html_esc(b, col(ms, i, 3) ? col(ms, i, 3) : "—");
		if (col(ms, i, 5)) {
			strbuf_addstr(b, " ");
			html_esc(b, col(ms, i, 5));
		}
		strbuf_addf(b, "</td><td class=\"num\">%.1f%%</td><td>",
			    100 * strtod(PQgetvalue(ms, i, 4), NULL));
		if (col(ms, i, 6)) {
			html_esc(b, col(ms, i, 6));
			strbuf_addstr(b, ", ");
			html_esc(b, col(ms, i, 7));
		}
		strbuf_addstr(b, "</td><td>");
		if ((q->user.role & (ROLE_REVIEWER | ROLE_ADMIN)) &&
		    (!strcmp(st, "auto") || !strcmp(st, "confirmed"))) {
			strbuf_addf(b,
				    "<form method=\"post\" action=\"/reopen/%s\" class=\"inline\">",
				    PQgetvalue(ms, i, 0));
			csrf_field(q, b);
			strbuf_addstr(b, "<button type=\"submit\" class=\"link\">Reopen</button>"
					 "</form>");
		} else if ((q->user.role & (ROLE_REVIEWER | ROLE_ADMIN)) && !strcmp(st, "review")) {
			strbuf_addf(b, "<a href=\"/review/match/%s\">Review</a>",
				    PQgetvalue(ms, i, 0));
		}
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></main>");
	page_end(r);
	json_decref(fields);
	PQclear(ms);
	PQclear(res);
}

void h_reopen(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/reopen/", NULL);
	char idbuf[24], loc[64];
	const char *v[3];
	PGresult *res;
	long record_id;

	if (id < 0) {
		resp_error(q, r, 404, "No such link.");
		return;
	}
	num(idbuf, sizeof(idbuf), id);
	if (wdb_exec(q, "BEGIN") < 0)
		goto fail;
	v[0] = idbuf;
	v[1] = user_office(q);
	res = wdb(q,
		  "SELECT m.record_id, jsonb_build_object('status', m.status, 'citizen_id',"
		  " m.citizen_id, 'score', m.score, 'decided_by', m.decided_by)::text"
		  " FROM matches m JOIN records r ON r.record_id = m.record_id"
		  " WHERE m.match_id = $1::bigint AND m.status IN ('auto', 'confirmed')"
		  " AND ($2::text IS NULL OR r.registry_office = $2) FOR UPDATE OF m",
		  2, v, PGRES_TUPLES_OK);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1) {
		PQclear(res);
		wdb_exec(q, "ROLLBACK");
		resp_error(q, r, 404, "No such link, or it is not one that can be reopened.");
		return;
	}
	record_id = col_long(res, 0, 0);
	v[1] = q->user.name;
	v[2] = PQgetvalue(res, 0, 1);
	{
		PGresult *u = wdb(q,
				  "UPDATE matches SET status = 'review', decided_by = NULL,"
				  " decided_at = NULL, claimed_by = NULL, claim_until = NULL,"
				  " updated_at = now() WHERE match_id = $1::bigint",
				  1, v, PGRES_COMMAND_OK);
		PGresult *a =
		    u ? wdb(q,
			    "INSERT INTO review_decisions (user_name, action, record_id,"
			    " role, before, after) SELECT $2, 'reopen', record_id, role,"
			    " $3::jsonb, jsonb_build_object('status', status, 'citizen_id',"
			    " citizen_id) FROM matches WHERE match_id = $1::bigint",
			    3, v, PGRES_COMMAND_OK)
		      : NULL;

		PQclear(res);
		PQclear(u);
		if (!a)
			goto fail;
		PQclear(a);
	}
	if (wdb_exec(q, "COMMIT") < 0)
		goto fail;
	log_info("serve: \"%s\" reopened match %ld", q->user.name, id);
	snprintf(loc, sizeof(loc), "/record/%ld?msg=reopened", record_id);
	resp_redirect(r, loc);
	return;
fail:
	wdb_exec(q, "ROLLBACK");
	resp_error(q, r, 503, "The link could not be reopened. Nothing was changed.");
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

void h_crop(struct web_req *q, struct web_resp *r)
{
	long id = web_path_id(q->path, "/crop/", ".png");
	const char *role = req_arg(q, "role");
	const char *field = req_arg(q, "field");
	char idbuf[24];
	const char *v[2];
	PGresult *res;
	json_t *fields;
	int marks[OCR_MAX_FIELDS][4], nmarks = 0, box[4] = { 0, 0, 0, 0 };
	unsigned char *png = NULL;
	size_t len = 0;
	herr e = { 0, "" };
	const char *key;
	json_t *fv;

	if (id < 0 || (!role && !field)) {
		resp_error(q, r, 404, "No such image.");
		return;
	}
	num(idbuf, sizeof(idbuf), id);
	v[0] = idbuf;
	v[1] = user_office(q);
	res =
	    wdb(q,
		"SELECT f.path, pg.page_no, coalesce(pg.rotation, 0), r.fields::text, r.doc_type,"
		" pg.width_px, pg.height_px, coalesce(pg.dpi, 300), r.rec_index,"
		" (SELECT count(*) FROM records r2 WHERE r2.page_id = r.page_id), f.sha256"
		" FROM records r JOIN pages pg ON pg.page_id = r.page_id"
		" JOIN source_files f ON f.file_id = pg.file_id"
		" WHERE r.record_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)",
		2, v, PGRES_TUPLES_OK);
	if (!res || PQntuples(res) != 1) {
		PQclear(res);
		resp_error(q, r, 404, "No such image.");
		return;
	}
	fields = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	if (field) {
		fv = json_object_get(fields, field);
		if (fv && json_box(fv, marks[0]))
			nmarks = 1;
	} else {
		const struct match_role *roles;
		int n = match_roles(PQgetvalue(res, 0, 4), &roles);

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
		PQclear(res);
		resp_error(q, r, 404, "No position was read for these fields.");
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

		strbuf_addf(&k, "%s|%s|%s|%d,%d,%d,%d", PQgetvalue(res, 0, 10),
			    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), box[0], box[1], box[2],
			    box[3]);
		for (int i = 0; i < nmarks; i++)
			strbuf_addf(&k, "|%d,%d,%d,%d", marks[i][0], marks[i][1], marks[i][2],
				    marks[i][3]);
		sha256_mem(k.buf, k.len, hex);
		strbuf_release(&k);
		if (dir) {
			path = xasprintf("%s/%s.png", dir, hex);
			if (read_file(path, 16u << 20, &sb, NULL) == 0 && sb.len > 8) {
				PQclear(res);
				free(path);
				r->status = 200;
				r->content_type = "image/png";
				strbuf_add(&r->body, sb.buf, sb.len);
				strbuf_release(&sb);
				return;
			}
			strbuf_release(&sb);
		}
		if (ocr_crop_png(PQgetvalue(res, 0, 0), (int)col_long(res, 0, 1), box,
				 (const int(*)[4])marks, nmarks, (int)col_long(res, 0, 2), 1100,
				 &png, &len, &e) < 0) {
			log_warning("serve: crop of record %ld: %s", id, e.msg);
			PQclear(res);
			free(path);
			resp_error(q, r, 404, "The scan of this record cannot be read any more.");
			return;
		}
		if (path) {
			/* written whole under a temporary name, then renamed */
			char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
			int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

			if (fd >= 0) {
				int ok = write(fd, png, len) == (ssize_t)len;

				if (close(fd) < 0 || !ok || rename(tmp, path) < 0)
					unlink(tmp);
			}
			free(tmp);
			free(path);
		}
	}
	PQclear(res);
	r->status = 200;
	r->content_type = "image/png";
	strbuf_add(&r->body, png, len);
	free(png);
}
