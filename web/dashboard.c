/*
 * dashboard.c — what project managers watch: records digitized, linked and
 * linked %, waiting for review, unmatched, rejected files, by office,
 * document type, year and batch, digitized % against the inventory, the
 * trend over the nightly batches (inline SVG), CSV export of every table;
 * the discrepancy list of the match stage; the audit log (admin).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "web_internal.h"

static const char *const by_names[] = { "office", "doc_type", "year", "batch" };
static const char *const by_titles[] = { "By registry office", "By document type", "By year",
					 "By batch" };

static void pct(char *buf, size_t n, long num, long den)
{
	if (den > 0)
		snprintf(buf, n, "%.1f", 100.0 * (double)num / (double)den);
	else
		snprintf(buf, n, "%s", "");
}

/* A horizontal bar of `p` percent (0..100), inline SVG. */
static void bar(strbuf *b, double p, const char *cls)
{
	int w = (int)(p < 0 ? 0 : p > 100 ? 100 : p);

	strbuf_addf(b,
		    "<svg width=\"104\" height=\"12\" class=\"bar\" aria-hidden=\"true\">"
		    "<rect x=\"0\" y=\"1\" width=\"102\" height=\"10\" class=\"track\"/>"
		    "<rect x=\"1\" y=\"2\" width=\"%d\" height=\"8\" class=\"%s\"/></svg>",
		    w, cls);
}

static void card(strbuf *b, const char *label, const char *value, const char *sub)
{
	strbuf_addstr(b, "<div class=\"stat\"><span class=\"label\">");
	html_esc(b, label);
	strbuf_addstr(b, "</span><span class=\"value\">");
	html_esc(b, value);
	strbuf_addstr(b, "</span>");
	if (sub) {
		strbuf_addstr(b, "<span class=\"sub\">");
		html_esc(b, sub);
		strbuf_addstr(b, "</span>");
	}
	strbuf_addstr(b, "</div>");
}

static void group_label(strbuf *b, enum report_by by, const char *g)
{
	static const char *const types[][2] = {
		{ "khai_sinh", "Khai sinh" },
		{ "khai_tu", "Khai tử" },
		{ "ket_hon", "Kết hôn" },
		{ "nhan_cha_me_con", "Nhận cha, mẹ, con" },
		{ "tthc_receipt", "Biên nhận TTHC" },
		{ "unknown", "Không xác định" },
	};

	if (by == REPORT_BY_DOC_TYPE)
		for (size_t i = 0; i < HT_ARRAY_LEN(types); i++)
			if (!strcmp(types[i][0], g)) {
				html_esc(b, types[i][1]);
				return;
			}
	html_esc(b, g);
}

static void report_table(strbuf *b, enum report_by by, const struct report_row *rows, size_t n)
{
	int any_expected = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].expected >= 0)
			any_expected = 1;
	strbuf_addf(
	    b,
	    "<section class=\"card\"><div class=\"cardhead\"><h2>%s</h2>"
	    "<a class=\"csv\" href=\"/dashboard/%s.csv\" download>CSV</a></div>"
	    "<div class=\"scroll\"><table class=\"list\" id=\"by-%s\"><thead><tr><th>%s</th>"
	    "<th class=\"num\">Records</th><th class=\"num\">Linked</th>"
	    "<th colspan=\"2\">Linked %%</th><th class=\"num\">Review</th>"
	    "<th class=\"num\">Unmatched</th><th class=\"num\">Rejected files</th>",
	    by_titles[by], by_names[by], by_names[by],
	    by == REPORT_BY_OFFICE     ? "Office"
	    : by == REPORT_BY_DOC_TYPE ? "Document"
	    : by == REPORT_BY_YEAR     ? "Year"
				       : "Batch");
	if (any_expected)
		strbuf_addstr(b,
			      "<th class=\"num\">Expected</th><th colspan=\"2\">Digitized %</th>");
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct report_row *r = &rows[i];
		char lp[16], dp[16];

		pct(lp, sizeof(lp), r->linked, r->records);
		strbuf_addstr(b, "<tr><th>");
		group_label(b, by, r->group);
		strbuf_addf(b,
			    "</th><td class=\"num\">%ld</td><td class=\"num\">%ld</td>"
			    "<td class=\"num\">%s</td><td>",
			    r->records, r->linked, lp);
		bar(b, r->records ? 100.0 * (double)r->linked / (double)r->records : 0, "linked");
		strbuf_addf(b,
			    "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td>"
			    "<td class=\"num\">%ld</td>",
			    r->pending_review, r->unmatched, r->rejected_files);
		if (any_expected) {
			if (r->expected >= 0) {
				pct(dp, sizeof(dp), r->records, r->expected);
				strbuf_addf(
				    b, "<td class=\"num\">%ld</td><td class=\"num\">%s</td><td>",
				    r->expected, dp);
				bar(b,
				    r->expected ? 100.0 * (double)r->records / (double)r->expected
						: 0,
				    "digitized");
				strbuf_addstr(b, "</td>");
			} else {
				strbuf_addstr(b, "<td></td><td></td><td></td>");
			}
		}
		strbuf_addstr(b, "</tr>");
	}
	if (!n)
		strbuf_addstr(b, "<tr><td colspan=\"9\" class=\"muted\">No records yet.</td></tr>");
	strbuf_addstr(b, "</tbody></table></div></section>");
}

/* The trend over nightly batches: records per batch (bars) and the linked
 * share (line), oldest first. */
static void trend_chart(strbuf *b, const PGresult *t)
{
	int n = PQntuples(t);
	const int W = 720, H = 200, L = 44, R = 44, T = 14, B = 46;
	long max = 1;
	double step;

	strbuf_addstr(b, "<section class=\"card\"><div class=\"cardhead\"><h2>Nightly batches</h2>"
			 "<a class=\"csv\" href=\"/dashboard/trend.csv\" download>CSV</a></div>");
	if (n == 0) {
		strbuf_addstr(b, "<p class=\"muted\">No batch yet.</p></section>");
		return;
	}
	for (int i = 0; i < n; i++) {
		long v = strtol(PQgetvalue(t, i, 2), NULL, 10);

		if (v > max)
			max = v;
	}
	{
		/* a round top for the axis: 4 steps of 1, 2 or 5 x 10^k */
		long unit = 1;

		while (unit * 10 * 4 < max)
			unit *= 10;
		if (unit * 4 < max)
			unit = unit * 2 * 4 >= max ? unit * 2 : unit * 5;
		max = unit * 4;
	}
	step = (double)(W - L - R) / n;
	strbuf_addf(b,
		    "<svg class=\"trend\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Records"
		    " and linked share per batch\">",
		    W, H);
	/* axes and grid */
	for (int g = 0; g <= 4; g++) {
		int y = T + (H - T - B) * g / 4;

		strbuf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", L,
			    y, W - R, y);
		strbuf_addf(b,
			    "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%ld</text>",
			    L - 6, y + 4, max * (4 - g) / 4);
		strbuf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax pct\">%d%%</text>", W - R + 6,
			    y + 4, 100 - 25 * g);
	}
	for (int i = 0; i < n; i++) {
		long rec = strtol(PQgetvalue(t, i, 2), NULL, 10);
		long lk = strtol(PQgetvalue(t, i, 3), NULL, 10);
		int h = (int)((double)(H - T - B) * (double)rec / (double)max);
		int w = step * 0.6 > 56 ? 56 : (int)(step * 0.6);
		int x = L + (int)(step * i + step * 0.5) - w / 2;

		if (w < 2)
			w = 2;
		strbuf_addf(b,
			    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"recs\">"
			    "<title>",
			    x, H - B - h, w, h);
		html_esc(b, PQgetvalue(t, i, 0));
		strbuf_addf(b, ": %ld records, %ld linked</title></rect>", rec, lk);
		if (n <= 16) {
			strbuf_addf(b,
				    "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">",
				    x + w / 2, H - B + 14);
			html_esc(b, PQgetvalue(t, i, 1));
			strbuf_addstr(b, "</text>");
			strbuf_addf(
			    b, "<text x=\"%d\" y=\"%d\" class=\"ax name\" text-anchor=\"middle\">",
			    x + w / 2, H - B + 28);
			{
				const char *nm = PQgetvalue(t, i, 0);
				char shortname[20];

				snprintf(shortname, sizeof(shortname), "%.16s%s", nm,
					 strlen(nm) > 16 ? "…" : "");
				html_esc(b, shortname);
			}
			strbuf_addstr(b, "</text>");
		}
	}
	strbuf_addstr(b, "<polyline class=\"linked\" points=\"");
	for (int i = 0; i < n; i++) {
		long rec = strtol(PQgetvalue(t, i, 2), NULL, 10);
		long lk = strtol(PQgetvalue(t, i, 3), NULL, 10);
		double p = rec ? (double)lk / (double)rec : 0;

		strbuf_addf(b, "%d,%d ", L + (int)(step * i + step * 0.5),
			    T + (int)((H - T - B) * (1 - p)));
	}
	strbuf_addstr(b, "\"/>");
	for (int i = 0; i < n; i++) {
		long rec = strtol(PQgetvalue(t, i, 2), NULL, 10);
		long lk = strtol(PQgetvalue(t, i, 3), NULL, 10);
		double p = rec ? (double)lk / (double)rec : 0;

		strbuf_addf(b,
			    "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" class=\"linked\"><title>%.1f%%"
			    " linked</title></circle>",
			    L + (int)(step * i + step * 0.5), T + (int)((H - T - B) * (1 - p)),
			    100 * p);
	}
	strbuf_addstr(b, "</svg><p class=\"legend\"><span class=\"key recs\"></span> records loaded"
			 " <span class=\"key linked\"></span> share linked to the population base"
			 "</p></section>");
}

static const char trend_sql[] =
    "WITH rec AS ("
    " SELECT r.record_id, f.batch_id,"
    "        bool_and(m.status IN ('auto', 'confirmed')) AS linked"
    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = pg.file_id"
    " LEFT JOIN record_people p ON p.record_id = r.record_id"
    " LEFT JOIN matches m ON m.record_id = p.record_id AND m.role = p.role"
    " GROUP BY r.record_id, f.batch_id)"
    " SELECT b.name, to_char(b.started_at, 'YYYY-MM-DD'), count(rec.record_id),"
    " count(*) FILTER (WHERE rec.linked)"
    " FROM batches b LEFT JOIN rec ON rec.batch_id = b.batch_id"
    " GROUP BY b.batch_id ORDER BY b.started_at, b.batch_id";

void h_dashboard(struct web_req *q, struct web_resp *r)
{
	struct report_row *rows[4] = { NULL, NULL, NULL, NULL };
	size_t n[4] = { 0, 0, 0, 0 };
	long records = 0, linked = 0, review = 0, unmatched = 0, rejected = 0, expected = 0;
	herr e = { 0, "" };
	PGresult *t, *tot;
	char buf[64], sub[96];
	strbuf *b = &r->body;

	for (int by = 0; by < 4; by++) {
		if (report_rows(q->db, (enum report_by)by, &rows[by], &n[by], &e) < 0) {
			log_error("serve: dashboard: %s", e.msg);
			for (int k = 0; k < by; k++)
				report_rows_release(rows[k], n[k]);
			resp_error(q, r, 503,
				   "The figures are not available. Try again in a moment.");
			return;
		}
	}
	for (size_t i = 0; i < n[REPORT_BY_BATCH]; i++) {
		records += rows[REPORT_BY_BATCH][i].records;
		linked += rows[REPORT_BY_BATCH][i].linked;
		review += rows[REPORT_BY_BATCH][i].pending_review;
		unmatched += rows[REPORT_BY_BATCH][i].unmatched;
		rejected += rows[REPORT_BY_BATCH][i].rejected_files;
	}
	tot = wdb(q, "SELECT coalesce(sum(entries), 0) FROM inventory", 0, NULL, PGRES_TUPLES_OK);
	if (tot) {
		expected = strtol(PQgetvalue(tot, 0, 0), NULL, 10);
		PQclear(tot);
	}
	t = wdb(q, trend_sql, 0, NULL, PGRES_TUPLES_OK);

	resp_html(r, 200);
	page_begin(q, r, "Progress", "dashboard");
	strbuf_addstr(b, "<main><div class=\"itemhead\"><h1>Digitization progress</h1>"
			 "<span class=\"muted\">Tiến độ số hoá và làm sạch dữ liệu hộ tịch</span>"
			 "</div>");
	if (user_office(q)) {
		strbuf_addstr(b, "<p class=\"muted\">Figures for the whole province; your review "
				 "work is limited to ");
		html_esc(b, user_office(q));
		strbuf_addstr(b, ".</p>");
	}
	strbuf_addstr(b, "<div class=\"stats\">");
	snprintf(buf, sizeof(buf), "%ld", records);
	if (expected > 0)
		snprintf(sub, sizeof(sub), "%.1f%% of %ld expected", 100.0 * records / expected,
			 expected);
	card(b, "Records digitized", buf, expected > 0 ? sub : "no inventory imported");
	snprintf(buf, sizeof(buf), "%ld", linked);
	pct(sub, sizeof(sub), linked, records);
	{
		char s2[128];

		snprintf(s2, sizeof(s2), "%s%% on the population base", records ? sub : "0.0");
		card(b, "Linked", buf, s2);
	}
	snprintf(buf, sizeof(buf), "%ld", review);
	card(b, "Waiting for review", buf, "records with a match to decide");
	snprintf(buf, sizeof(buf), "%ld", unmatched);
	card(b, "Unmatched", buf, "no citizen found");
	snprintf(buf, sizeof(buf), "%ld", rejected);
	card(b, "Rejected files", buf, "unreadable scans");
	strbuf_addstr(b, "</div>");
	if (t) {
		trend_chart(b, t);
		PQclear(t);
	}
	strbuf_addstr(b, "<div class=\"grid2\">");
	report_table(b, REPORT_BY_OFFICE, rows[0], n[0]);
	report_table(b, REPORT_BY_DOC_TYPE, rows[1], n[1]);
	report_table(b, REPORT_BY_YEAR, rows[2], n[2]);
	report_table(b, REPORT_BY_BATCH, rows[3], n[3]);
	strbuf_addstr(b, "</div><p class=\"muted small\">Linked: every person on the record is "
			 "linked automatically or confirmed by a reviewer. Digitized %: records "
			 "loaded / entries in the inventory of the paper registers. <a href=\""
			 "/discrepancies\">Discrepancies found by matching</a>.</p></main>");
	page_end(r);
	for (int by = 0; by < 4; by++)
		report_rows_release(rows[by], n[by]);
}

static void csv_download(struct web_resp *r, const char *name)
{
	char d[128];

	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	snprintf(d, sizeof(d), "attachment; filename=\"hotich-%s.csv\"", name);
	free(r->disposition);
	r->disposition = xstrdup(d);
}

static void discrepancies_csv(struct web_req *q, struct web_resp *r);

void h_dashboard_csv(struct web_req *q, struct web_resp *r)
{
	const char *name = q->path + strlen("/dashboard/");
	int by = -1;

	for (int i = 0; i < 4; i++) {
		char want[32];

		snprintf(want, sizeof(want), "%s.csv", by_names[i]);
		if (!strcmp(name, want))
			by = i;
	}
	if (!strcmp(name, "discrepancies.csv")) {
		discrepancies_csv(q, r);
		return;
	}
	if (!strcmp(name, "trend.csv")) {
		PGresult *t = wdb(q, trend_sql, 0, NULL, PGRES_TUPLES_OK);

		if (!t) {
			resp_error(q, r, 503, "The figures are not available.");
			return;
		}
		csv_download(r, "trend");
		strbuf_addstr(&r->body, "batch,started,records,linked,linked_pct\r\n");
		for (int i = 0; i < PQntuples(t); i++) {
			char lp[16];

			pct(lp, sizeof(lp), strtol(PQgetvalue(t, i, 3), NULL, 10),
			    strtol(PQgetvalue(t, i, 2), NULL, 10));
			csv_esc(&r->body, PQgetvalue(t, i, 0));
			strbuf_addf(&r->body, ",%s,%s,%s,%s\r\n", PQgetvalue(t, i, 1),
				    PQgetvalue(t, i, 2), PQgetvalue(t, i, 3), lp);
		}
		PQclear(t);
		return;
	}
	if (by < 0) {
		resp_error(q, r, 404, "No such table.");
		return;
	}
	{
		struct report_row *rows;
		size_t n;
		herr e = { 0, "" };

		if (report_rows(q->db, (enum report_by)by, &rows, &n, &e) < 0) {
			log_error("serve: %s", e.msg);
			resp_error(q, r, 503, "The figures are not available.");
			return;
		}
		csv_download(r, by_names[by]);
		strbuf_addf(&r->body,
			    "%s,records,linked,linked_pct,pending_review,unmatched,rejected_files,"
			    "expected,digitized_pct\r\n",
			    by_names[by]);
		for (size_t i = 0; i < n; i++) {
			char lp[16], dp[16], ex[24] = "";

			pct(lp, sizeof(lp), rows[i].linked, rows[i].records);
			pct(dp, sizeof(dp), rows[i].records, rows[i].expected);
			if (rows[i].expected >= 0)
				snprintf(ex, sizeof(ex), "%ld", rows[i].expected);
			else
				dp[0] = '\0';
			csv_esc(&r->body, rows[i].group);
			strbuf_addf(&r->body, ",%ld,%ld,%s,%ld,%ld,%ld,%s,%s\r\n", rows[i].records,
				    rows[i].linked, lp, rows[i].pending_review, rows[i].unmatched,
				    rows[i].rejected_files, ex, dp);
		}
		report_rows_release(rows, n);
	}
}

/* ------------------------------------------------------------------------
 * Discrepancies: linked or candidate citizens whose registry values
 * disagree with the record (the "sạch" part: data to clean at the source)
 * ---------------------------------------------------------------------- */

static const char disc_sql[] =
    "SELECT m.record_id, r.doc_type, coalesce(r.registry_office, ''), m.role, m.status,"
    " coalesce(m.citizen_id, ''), d.value #>> '{}'"
    " FROM matches m JOIN records r ON r.record_id = m.record_id"
    " CROSS JOIN LATERAL jsonb_array_elements(m.discrepancies) d"
    " WHERE m.status IN ('auto', 'confirmed', 'review')"
    " AND ($1::text IS NULL OR r.registry_office = $1)"
    " ORDER BY m.record_id, m.role LIMIT $2::int";

static void discrepancies_csv(struct web_req *q, struct web_resp *r)
{
	const char *v[2] = { user_office(q), "1000000" };
	PGresult *res = wdb(q, disc_sql, 2, v, PGRES_TUPLES_OK);

	if (!res) {
		resp_error(q, r, 503, "The list is not available.");
		return;
	}
	csv_download(r, "discrepancies");
	strbuf_addstr(&r->body, "record_id,doc_type,registry_office,role,status,citizen_id,"
				"discrepancy\r\n");
	for (int i = 0; i < PQntuples(res); i++) {
		for (int c = 0; c < 7; c++) {
			if (c)
				strbuf_addch(&r->body, ',');
			csv_esc(&r->body, PQgetvalue(res, i, c));
		}
		strbuf_addstr(&r->body, "\r\n");
	}
	PQclear(res);
}

void h_discrepancies(struct web_req *q, struct web_resp *r)
{
	const char *v[2] = { user_office(q), "500" };
	PGresult *res = wdb(q, disc_sql, 2, v, PGRES_TUPLES_OK);
	strbuf *b = &r->body;

	if (!res) {
		resp_error(q, r, 503, "The list is not available.");
		return;
	}
	resp_html(r, 200);
	page_begin(q, r, "Discrepancies", "discrepancies");
	strbuf_addstr(b,
		      "<main><div class=\"itemhead\"><h1>Discrepancies</h1><span class=\"muted\">"
		      "Values on the record that disagree with the citizen registry</span>"
		      "<a class=\"csv\" href=\"/dashboard/discrepancies.csv\" download>CSV</a>"
		      "</div><section class=\"card\"><div class=\"scroll\"><table class=\"list\">"
		      "<thead><tr><th>Record</th><th>Document</th><th>Office</th><th>Person</th>"
		      "<th>Status</th><th>Citizen</th><th>Record value / registry value</th>"
		      "</tr></thead><tbody>");
	for (int i = 0; i < PQntuples(res); i++) {
		strbuf_addf(b, "<tr><td><a href=\"/record/%s\">#%s</a></td><td>",
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 0));
		html_esc(b, PQgetvalue(res, i, 1));
		strbuf_addstr(b, "</td><td>");
		html_esc(b, PQgetvalue(res, i, 2));
		strbuf_addstr(b, "</td><td>");
		html_esc(b, PQgetvalue(res, i, 3));
		strbuf_addf(b, "</td><td><span class=\"st %s\">%s</span></td><td>",
			    PQgetvalue(res, i, 4), PQgetvalue(res, i, 4));
		html_esc(b, PQgetvalue(res, i, 5));
		strbuf_addstr(b, "</td><td>");
		html_esc(b, PQgetvalue(res, i, 6));
		strbuf_addstr(b, "</td></tr>");
	}
	if (PQntuples(res) == 0)
		strbuf_addstr(b, "<tr><td colspan=\"7\" class=\"muted\">None.</td></tr>");
	strbuf_addstr(b, "</tbody></table></div></section>");
	if (PQntuples(res) == 500)
		strbuf_addstr(b, "<p class=\"muted\">The first 500; the CSV has them all.</p>");
	strbuf_addstr(b, "</main>");
	page_end(r);
	PQclear(res);
}

/* ------------------------------------------------------------------------
 * The audit log (admin)
 * ---------------------------------------------------------------------- */

void h_audit(struct web_req *q, struct web_resp *r)
{
	const char *who = req_arg(q, "user");
	const char *v[1] = { who && *who ? who : NULL };
	PGresult *res =
	    wdb(q,
		"SELECT to_char(decided_at, 'YYYY-MM-DD HH24:MI:SS'), user_name, action,"
		" record_id, coalesce(role, ''), coalesce(field, ''),"
		" coalesce(before::text, ''), coalesce(after::text, '')"
		" FROM review_decisions WHERE ($1::text IS NULL OR user_name = $1)"
		" ORDER BY decision_id DESC LIMIT 300",
		1, v, PGRES_TUPLES_OK);
	strbuf *b = &r->body;

	if (!res) {
		resp_error(q, r, 503, "The audit log is not available.");
		return;
	}
	resp_html(r, 200);
	page_begin(q, r, "Audit log", "audit");
	strbuf_addstr(b, "<main><div class=\"itemhead\"><h1>Audit log</h1><span class=\"muted\">"
			 "Every decision, newest first (append-only)</span></div>"
			 "<form method=\"get\" action=\"/audit\" class=\"filter\"><label>Reviewer "
			 "<input name=\"user\" value=\"");
	html_esc(b, who ? who : "");
	strbuf_addstr(b,
		      "\"></label><button type=\"submit\">Filter</button></form>"
		      "<section class=\"card\"><div class=\"scroll\"><table class=\"list audit\">"
		      "<thead><tr><th>When</th><th>Who</th><th>Action</th><th>Record</th>"
		      "<th>Person / field</th><th>Before</th><th>After</th></tr></thead><tbody>");
	for (int i = 0; i < PQntuples(res); i++) {
		strbuf_addstr(b, "<tr><td class=\"nowrap\">");
		html_esc(b, PQgetvalue(res, i, 0));
		strbuf_addstr(b, "</td><td>");
		html_esc(b, PQgetvalue(res, i, 1));
		strbuf_addstr(b, "</td><td>");
		html_esc(b, PQgetvalue(res, i, 2));
		strbuf_addf(b, "</td><td><a href=\"/record/%s\">#%s</a></td><td>",
			    PQgetvalue(res, i, 3), PQgetvalue(res, i, 3));
		html_esc(b, PQgetvalue(res, i, 4));
		if (*PQgetvalue(res, i, 5)) {
			strbuf_addstr(b, " ");
			html_esc(b, PQgetvalue(res, i, 5));
		}
		strbuf_addstr(b, "</td><td><code>");
		html_esc(b, PQgetvalue(res, i, 6));
		strbuf_addstr(b, "</code></td><td><code>");
		html_esc(b, PQgetvalue(res, i, 7));
		strbuf_addstr(b, "</code></td></tr>");
	}
	if (PQntuples(res) == 0)
		strbuf_addstr(b,
			      "<tr><td colspan=\"7\" class=\"muted\">No decision yet.</td></tr>");
	strbuf_addstr(b, "</tbody></table></div></section></main>");
	page_end(r);
	PQclear(res);
}
