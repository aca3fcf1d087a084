/*
 * dashboard.c — what project managers watch.  At the top, the figures a
 * province reports: records digitized, linked to a personal ID ("trên nền
 * dân cư") and the share of the inventory of paper registers, for the
 * province and for each office and province since July 2025, with their
 * progress over time; then what waits for a person (links to decide, values
 * to check), the nightly batches (inline SVG), the tables by document
 * type, year and batch, and a CSV of every table (the figures of `hotich
 * report`).  Also the discrepancy list of the match stage and the audit
 * log (admin), in words.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "web_internal.h"

static const char *const by_names[] = { "office", "doc_type", "year", "batch", "province" };

static double ratio(long num, long den)
{
	return den > 0 ? 100.0 * (double)num / (double)den : 0;
}

/* "12.5" for the CSV (the figures of hotich report), "" without a base */
static void pct_csv(char *buf, size_t n, long num, long den)
{
	if (den > 0)
		snprintf(buf, n, "%.1f", 100.0 * (double)num / (double)den);
	else
		snprintf(buf, n, "%s", "");
}

/* A horizontal bar of `p` percent (0..100), inline SVG. */
static void bar(strbuf *b, double p, const char *cls)
{
	int w = (int)(p < 0 ? 0 : p > 100 ? 100 : p + 0.5);

	strbuf_addf(b,
		    "<svg width=\"64\" height=\"10\" class=\"bar\" aria-hidden=\"true\">"
		    "<rect x=\"0\" y=\"1\" width=\"62\" height=\"8\" class=\"track\"/>"
		    "<rect x=\"1\" y=\"2\" width=\"%d\" height=\"6\" class=\"%s\"/></svg>",
		    w * 60 / 100, cls);
}

static void card(strbuf *b, const char *id, const char *label, const char *value, const char *sub)
{
	strbuf_addf(b, "<div class=\"stat\" id=\"%s\"><span class=\"label\">", id);
	web_html_esc(b, label);
	strbuf_addstr(b, "</span><span class=\"value\">");
	strbuf_addstr(b, value); /* formatted number */
	strbuf_addstr(b, "</span>");
	if (sub) {
		strbuf_addstr(b, "<span class=\"sub\">");
		web_html_esc(b, sub);
		strbuf_addstr(b, "</span>");
	}
	strbuf_addstr(b, "</div>");
}

static void group_label(struct web_req *q, strbuf *b, enum report_by by, const char *g)
{
	if (by == REPORT_BY_DOC_TYPE)
		web_html_esc(b, web_doc_type_label(q, g));
	else if (!strcmp(g, "(unknown)"))
		web_html_esc(b, tr(q, "(unknown)"));
	else if (!strcmp(g, "(no office)"))
		web_html_esc(b, tr(q, "(no office)"));
	else
		web_html_esc(b, g);
}

/* A number cell of a table, formatted. */
static void num_td(struct web_req *q, strbuf *b, long v)
{
	strbuf_addstr(b, "<td class=\"num\">");
	web_fmt_num(q, b, v);
	strbuf_addstr(b, "</td>");
}

/* A percentage cell with its bar; empty without a base. */
static void pct_td(struct web_req *q, strbuf *b, long num, long den, const char *cls)
{
	strbuf_addstr(b, "<td class=\"num pct\">");
	if (den > 0) {
		web_fmt_pct(q, b, ratio(num, den));
		strbuf_addch(b, ' ');
		bar(b, ratio(num, den), cls);
	}
	strbuf_addstr(b, "</td>");
}

static const char *by_title(struct web_req *q, enum report_by by)
{
	switch (by) {
	case REPORT_BY_OFFICE:
		return tr(q, "By registry office");
	case REPORT_BY_DOC_TYPE:
		return tr(q, "By document type");
	case REPORT_BY_YEAR:
		return tr(q, "By year of registration");
	case REPORT_BY_BATCH:
		return tr(q, "By batch");
	case REPORT_BY_PROVINCE:
	default:
		return tr(q, "By province (since 1 July 2025)");
	}
}

static const char *by_column(struct web_req *q, enum report_by by)
{
	switch (by) {
	case REPORT_BY_OFFICE:
		return tr(q, "Office");
	case REPORT_BY_DOC_TYPE:
		return tr(q, "Document");
	case REPORT_BY_YEAR:
		return tr(q, "Year");
	case REPORT_BY_BATCH:
		return tr(q, "Batch");
	case REPORT_BY_PROVINCE:
	default:
		return tr(q, "Province");
	}
}

static void th(strbuf *b, const char *cls, const char *text)
{
	strbuf_addf(b, "<th%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	web_html_esc(b, text);
	strbuf_addstr(b, "</th>");
}

/* The detail tables: every figure of hotich report. */
static void report_table(struct web_req *q, strbuf *b, enum report_by by,
			 const struct report_row *rows, size_t n)
{
	int any_expected = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].expected >= 0)
			any_expected = 1;
	strbuf_addstr(b, "<section class=\"card\"><div class=\"cardhead\"><h2>");
	web_html_esc(b, by_title(q, by));
	strbuf_addf(b,
		    "</h2><a class=\"csv\" href=\"/dashboard/%s.csv\" download>CSV</a></div>"
		    "<div class=\"scroll\"><table class=\"list\" id=\"by-%s\"><thead><tr>",
		    by_names[by], by_names[by]);
	th(b, NULL, by_column(q, by));
	th(b, "num", tr(q, "Records"));
	th(b, "num", tr(q, "Linked"));
	th(b, "num", tr(q, "Linked %"));
	th(b, "num", tr(q, "Waiting for review"));
	th(b, "num", tr(q, "No citizen found"));
	th(b, "num", tr(q, "Rejected files"));
	if (any_expected) {
		th(b, "num", tr(q, "Expected"));
		th(b, "num", tr(q, "Digitized %"));
	}
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct report_row *r = &rows[i];

		strbuf_addstr(b, "<tr><th>");
		group_label(q, b, by, r->group);
		strbuf_addstr(b, "</th>");
		num_td(q, b, r->records);
		num_td(q, b, r->linked);
		pct_td(q, b, r->linked, r->records, "linked");
		num_td(q, b, r->pending_review);
		num_td(q, b, r->unmatched);
		num_td(q, b, r->rejected_files);
		if (any_expected) {
			if (r->expected >= 0) {
				num_td(q, b, r->expected);
				pct_td(q, b, r->records, r->expected, "digitized");
			} else {
				strbuf_addstr(b, "<td></td><td></td>");
			}
		}
		strbuf_addstr(b, "</tr>");
	}
	if (!n) {
		strbuf_addstr(b, "<tr><td colspan=\"9\" class=\"muted\">");
		web_html_esc(b, tr(q, "No records yet."));
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></div></section>");
}

/* ------------------------------------------------------------------------
 * The headline: per province and per office, with progress over time
 * ---------------------------------------------------------------------- */

static long today_day(int offset)
{
	return (long)((time(NULL) + offset) / 86400);
}

static int utc_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return (int)tm.tm_gmtoff;
}

/* dd/mm of a day number */
static void day_label(strbuf *b, long day, int with_year)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;
	char buf[16];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), with_year ? "%d/%m/%Y" : "%d/%m", &tm);
	strbuf_addstr(b, buf);
}

static const struct report_series *find_series(const struct report_series *s, size_t n,
					       const char *g)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s[i].group, g))
			return &s[i];
	return NULL;
}

/*
 * A sparkline of a group's cumulative records (and linked) over the last
 * `span` days to today, scaled to the inventory when there is one.
 */
static void sparkline(strbuf *b, const struct report_series *s, long expected, long today,
		      long span)
{
	const int W = 132, H = 26;
	long first = today - span + 1, cum = 0, cuml = 0, top;
	size_t k = 0;

	if (!s || !s->n) {
		strbuf_addstr(b, "—");
		return;
	}
	/* what came before the window */
	for (; k < s->n && s->days[k].day < first; k++) {
		cum += s->days[k].records;
		cuml += s->days[k].linked;
	}
	{
		long all = 0;

		for (size_t i = 0; i < s->n; i++)
			all += s->days[i].records;
		top = expected > all ? expected : all;
		if (top <= 0)
			top = 1;
	}
	strbuf_addf(b,
		    "<svg class=\"spark\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
		    " aria-hidden=\"true\"><polyline class=\"recs\" points=\"",
		    W, H, W, H);
	{
		long c = cum;
		size_t j = k;

		for (long d = first; d <= today; d++) {
			while (j < s->n && s->days[j].day == d)
				c += s->days[j++].records;
			strbuf_addf(b, "%.1f,%.1f ", (double)(d - first) * (W - 2) / (span - 1) + 1,
				    H - 1 - (double)c * (H - 2) / (double)top);
		}
	}
	strbuf_addstr(b, "\"/><polyline class=\"linked\" points=\"");
	{
		long c = cuml;
		size_t j = k;

		for (long d = first; d <= today; d++) {
			while (j < s->n && s->days[j].day == d)
				c += s->days[j++].linked;
			strbuf_addf(b, "%.1f,%.1f ", (double)(d - first) * (W - 2) / (span - 1) + 1,
				    H - 1 - (double)c * (H - 2) / (double)top);
		}
	}
	strbuf_addstr(b, "\"/></svg>");
}

/* The headline table of the offices or provinces: the figures a province
 * reports, what waits, and the progress of the last 30 days. */
static void headline_table(struct web_req *q, strbuf *b, enum report_by by,
			   const struct report_row *rows, size_t n, const struct report_series *s,
			   size_t ns, long today)
{
	strbuf_addstr(b, "<section class=\"card\"><div class=\"cardhead\"><h2>");
	web_html_esc(b, by_title(q, by));
	strbuf_addf(b,
		    "</h2><a class=\"csv\" href=\"/dashboard/%s.csv\" download>CSV</a></div>"
		    "<div class=\"scroll\"><table class=\"list headline\" id=\"by-%s\">"
		    "<thead><tr>",
		    by_names[by], by_names[by]);
	th(b, NULL, by_column(q, by));
	th(b, "num", tr(q, "Records digitized"));
	th(b, "num", tr(q, "Of the inventory"));
	th(b, "num", tr(q, "Linked to a personal ID"));
	th(b, "num", tr(q, "On the population base"));
	th(b, "num", tr(q, "Waiting for review"));
	th(b, "num", tr(q, "No citizen found"));
	th(b, "num", tr(q, "Rejected files"));
	th(b, NULL, tr(q, "Last 30 days"));
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct report_row *r = &rows[i];

		strbuf_addstr(b, "<tr><th>");
		group_label(q, b, by, r->group);
		strbuf_addstr(b, "</th>");
		num_td(q, b, r->records);
		if (r->expected > 0) {
			pct_td(q, b, r->records, r->expected, "digitized");
		} else {
			strbuf_addstr(b, "<td class=\"num muted\" title=\"");
			web_html_esc(b, tr(q, "no inventory imported"));
			strbuf_addstr(b, "\">—</td>");
		}
		num_td(q, b, r->linked);
		pct_td(q, b, r->linked, r->records, "linked");
		num_td(q, b, r->pending_review);
		num_td(q, b, r->unmatched);
		num_td(q, b, r->rejected_files);
		strbuf_addstr(b, "<td>");
		sparkline(b, find_series(s, ns, r->group), r->expected, today, 30);
		strbuf_addstr(b, "</td></tr>");
	}
	if (!n) {
		strbuf_addstr(b, "<tr><td colspan=\"9\" class=\"muted\">");
		web_html_esc(b, tr(q, "No records yet."));
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></div></section>");
}

/*
 * The province's progress over time: records digitized (cumulative, by the
 * day they were loaded) and, of those, linked now; the inventory as a line
 * when there is one.
 */
static void progress_chart(struct web_req *q, strbuf *b, const struct report_series *s, size_t ns,
			   long expected, long today)
{
	const int W = 720, H = 210, L = 58, R = 16, T = 14, B = 30;
	long first = today, total = 0, top, step;
	long span;

	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].n; k++) {
			if (s[i].days[k].day < first)
				first = s[i].days[k].day;
			total += s[i].days[k].records;
		}
	if (today - first < 6)
		first = today - 6;
	span = today - first + 1;
	strbuf_addstr(b, "<section class=\"card\"><div class=\"cardhead\"><h2>");
	web_html_esc(b, tr(q, "Progress over time"));
	strbuf_addstr(b, "</h2></div>");
	if (total == 0) {
		strbuf_addstr(b, "<p class=\"muted\">");
		web_html_esc(b, tr(q, "No records yet."));
		strbuf_addstr(b, "</p></section>");
		return;
	}
	/* the inventory as a line when it is within reach of the chart; else
	 * its figure, so that the records do not lie flat along the axis */
	top = expected > total && expected <= 3 * total ? expected : total;
	step = web_axis_step(top);
	top = step * 4;
	strbuf_addf(b,
		    "<svg class=\"trend\" id=\"progress\" viewBox=\"0 0 %d %d\" role=\"img\""
		    " aria-label=\"",
		    W, H);
	web_html_esc(b, tr(q, "Records digitized and linked over time"));
	strbuf_addstr(b, "\">");
	for (int g = 0; g <= 4; g++) {
		int y = T + (H - T - B) * g / 4;
		strbuf lab = STRBUF_INIT;

		web_fmt_num(q, &lab, step * (4 - g));
		strbuf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", L,
			    y, W - R, y);
		strbuf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%s</text>",
			    L - 6, y + 4, lab.buf);
		strbuf_release(&lab);
	}
	/* dates: the first, the last and three between */
	for (int t = 0; t <= 4; t++) {
		long d = first + (span - 1) * t / 4;
		double x = L + (double)(d - first) * (W - L - R) / (double)(span - 1);

		strbuf_addf(b, "<text x=\"%.0f\" y=\"%d\" class=\"ax\" text-anchor=\"%s\">", x,
			    H - B + 16,
			    t == 0   ? "start"
			    : t == 4 ? "end"
				     : "middle");
		day_label(b, d, t == 4);
		strbuf_addstr(b, "</text>");
	}
	if (expected > 0 && expected <= top) {
		double y = T + (double)(H - T - B) * (1 - (double)expected / (double)top);

		strbuf_addf(b,
			    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"expected\">"
			    "<title>",
			    L, y, W - R, y);
		web_html_esc(b, tr(q, "Entries in the inventory of the paper registers"));
		strbuf_addstr(b, "</title></line>");
	} else if (expected > 0) {
		strbuf lab = STRBUF_INIT, t = STRBUF_INIT;

		web_fmt_num(q, &lab, expected);
		strbuf_addf(&t, tr(q, "↑ inventory: %s entries"), lab.buf);
		strbuf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax off\">", L + 6, T + 12);
		web_html_esc(b, t.buf);
		strbuf_addstr(b, "</text>");
		strbuf_release(&lab);
		strbuf_release(&t);
	}
	for (int pass = 0; pass < 2; pass++) {
		long c = 0;

		strbuf_addf(b, "<polyline class=\"%s\" points=\"", pass ? "linked" : "cum");
		for (long d = first; d <= today; d++) {
			for (size_t i = 0; i < ns; i++)
				for (size_t k = 0; k < s[i].n; k++)
					if (s[i].days[k].day == d)
						c += pass ? s[i].days[k].linked
							  : s[i].days[k].records;
			strbuf_addf(b, "%.1f,%.1f ",
				    L + (double)(d - first) * (W - L - R) / (double)(span - 1),
				    T + (double)(H - T - B) * (1 - (double)c / (double)top));
		}
		strbuf_addstr(b, "\"/>");
	}
	strbuf_addstr(b, "</svg><p class=\"legend\"><span class=\"key cum\"></span> ");
	web_html_esc(b, tr(q, "records digitized"));
	strbuf_addstr(b, " <span class=\"key linked\"></span> ");
	web_html_esc(b, tr(q, "of them linked to a personal ID"));
	if (expected > 0 && expected <= top) {
		strbuf_addstr(b, " <span class=\"key expected\"></span> ");
		web_html_esc(b, tr(q, "entries in the inventory"));
	}
	strbuf_addstr(b, "</p></section>");
}

/* ------------------------------------------------------------------------
 * The nightly batches
 * ---------------------------------------------------------------------- */

/* Records per batch (bars) and the linked share (line), oldest first; a
 * batch that loaded nothing new (a re-run) has no bar and no point. */
static void trend_chart(struct web_req *q, strbuf *b, const struct db_rows *t)
{
	int n = t->n;
	const int W = 720, H = 210, L = 52, R = 44, T = 14, B = 46;
	long max = 0, step;
	double span;
	int first = 1;

	strbuf_addstr(b, "<section class=\"card\"><div class=\"cardhead\"><h2>");
	web_html_esc(b, tr(q, "Nightly batches"));
	strbuf_addstr(b,
		      "</h2><a class=\"csv\" href=\"/dashboard/trend.csv\" download>CSV</a></div>");
	if (n == 0) {
		strbuf_addstr(b, "<p class=\"muted\">");
		web_html_esc(b, tr(q, "No batch yet."));
		strbuf_addstr(b, "</p></section>");
		return;
	}
	for (int i = 0; i < n; i++) {
		long v = strtol(db_rows_get(t, i, 2), NULL, 10);

		if (v > max)
			max = v;
	}
	step = web_axis_step(max);
	max = step * 4;
	span = (double)(W - L - R) / n;
	strbuf_addf(
	    b,
	    "<svg class=\"trend\" id=\"batches\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	    W, H);
	web_html_esc(b, tr(q, "Records and linked share per batch"));
	strbuf_addstr(b, "\">");
	for (int g = 0; g <= 4; g++) {
		int y = T + (H - T - B) * g / 4;
		strbuf lab = STRBUF_INIT;

		web_fmt_num(q, &lab, step * (4 - g));
		strbuf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", L,
			    y, W - R, y);
		strbuf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%s</text>",
			    L - 6, y + 4, lab.buf);
		strbuf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax pct\">%d%%</text>", W - R + 6,
			    y + 4, 100 - 25 * g);
		strbuf_release(&lab);
	}
	for (int i = 0; i < n; i++) {
		long rec = strtol(db_rows_get(t, i, 2), NULL, 10);
		long lk = strtol(db_rows_get(t, i, 3), NULL, 10);
		int h = (int)((double)(H - T - B) * (double)rec / (double)max + 0.5);
		int w = span * 0.6 > 56 ? 56 : (int)(span * 0.6);
		int x = L + (int)(span * i + span * 0.5) - w / 2;
		strbuf tip = STRBUF_INIT;

		if (w < 2)
			w = 2;
		if (rec > 0) {
			strbuf_addf(&tip, tr(q, "%s: %ld records, %ld linked"),
				    db_rows_get(t, i, 0), rec, lk);
			strbuf_addf(
			    b,
			    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"recs\">"
			    "<title>",
			    x, H - B - h, w, h);
			web_html_esc(b, tip.buf);
			strbuf_addstr(b, "</title></rect>");
		} else {
			strbuf_addf(&tip, tr(q, "%s: nothing new (a re-run)"),
				    db_rows_get(t, i, 0));
			strbuf_addf(
			    b,
			    "<text x=\"%d\" y=\"%d\" class=\"ax empty\" text-anchor=\"middle\">"
			    "0<title>",
			    x + w / 2, H - B - 4);
			web_html_esc(b, tip.buf);
			strbuf_addstr(b, "</title></text>");
		}
		strbuf_release(&tip);
		if (n <= 16) {
			strbuf_addf(b,
				    "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">",
				    x + w / 2, H - B + 14);
			web_fmt_date(b, db_rows_get(t, i, 1));
			strbuf_addstr(b, "</text>");
			strbuf_addf(
			    b, "<text x=\"%d\" y=\"%d\" class=\"ax name\" text-anchor=\"middle\">",
			    x + w / 2, H - B + 28);
			{
				strbuf nm = STRBUF_INIT;

				/* whole characters: a cut name stays UTF-8 */
				web_utf8_cut(&nm, db_rows_get(t, i, 0), n <= 6 ? 22 : 12);
				web_html_esc(b, nm.buf);
				strbuf_release(&nm);
			}
			strbuf_addstr(b, "</text>");
		}
	}
	/* the linked share: only batches that loaded records */
	strbuf_addstr(b, "<polyline class=\"linked\" points=\"");
	for (int i = 0; i < n; i++) {
		long rec = strtol(db_rows_get(t, i, 2), NULL, 10);
		long lk = strtol(db_rows_get(t, i, 3), NULL, 10);

		if (rec <= 0)
			continue;
		strbuf_addf(b, "%s%d,%d", first ? "" : " ", L + (int)(span * i + span * 0.5),
			    T + (int)((H - T - B) * (1 - (double)lk / (double)rec)));
		first = 0;
	}
	strbuf_addstr(b, "\"/>");
	for (int i = 0; i < n; i++) {
		long rec = strtol(db_rows_get(t, i, 2), NULL, 10);
		long lk = strtol(db_rows_get(t, i, 3), NULL, 10);
		strbuf tip = STRBUF_INIT;

		if (rec <= 0)
			continue;
		strbuf_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" class=\"linked\"><title>",
			    L + (int)(span * i + span * 0.5),
			    T + (int)((H - T - B) * (1 - (double)lk / (double)rec)));
		web_fmt_pct(q, &tip, ratio(lk, rec));
		strbuf_addch(&tip, ' ');
		strbuf_addstr(&tip, tr(q, "linked"));
		web_html_esc(b, tip.buf);
		strbuf_addstr(b, "</title></circle>");
		strbuf_release(&tip);
	}
	strbuf_addstr(b, "</svg><p class=\"legend\"><span class=\"key recs\"></span> ");
	web_html_esc(b, tr(q, "records loaded"));
	strbuf_addstr(b, " <span class=\"key linked\"></span> ");
	web_html_esc(b, tr(q, "share linked to the population base"));
	strbuf_addstr(b, "</p></section>");
}

/* What waits for a person, in the user's offices: links and values. */
static void backlog(struct web_req *q, long *links, long *values)
{
	herr e = { 0 };

	*links = *values = 0;
	if (review_queue_counts(q->db, web_user_office(q), links, values, &e) < 0)
		log_error("serve: %s", e.msg);
}

#define NBY 5

void web_dashboard(struct web_req *q, struct web_resp *r)
{
	struct report_row *rows[NBY] = { NULL };
	size_t n[NBY] = { 0 };
	struct report_series *so = NULL, *sp = NULL;
	size_t nso = 0, nsp = 0;
	long records = 0, linked = 0, review = 0, unmatched = 0, rejected = 0, expected = 0;
	long links = 0, values = 0, today;
	int offset = utc_offset();
	herr e = { 0, "" };
	struct db_rows t = { 0 };
	int have_trend;
	strbuf *b = &r->body, v = STRBUF_INIT, sub = STRBUF_INIT;

	for (int by = 0; by < NBY; by++) {
		if (report_rows(q->db, (enum report_by)by, &rows[by], &n[by], &e) < 0) {
			log_error("serve: dashboard: %s", e.msg);
			for (int k = 0; k < by; k++)
				report_rows_free(rows[k], n[k]);
			web_resp_error(
			    q, r, 503,
			    tr(q, "The figures are not available. Try again in a moment."));
			return;
		}
	}
	if (report_timeline(q->db, REPORT_BY_OFFICE, offset, &so, &nso, &e) < 0 ||
	    report_timeline(q->db, REPORT_BY_PROVINCE, offset, &sp, &nsp, &e) < 0)
		log_error("serve: dashboard: %s", e.msg); /* the rest still shows */
	for (size_t i = 0; i < n[REPORT_BY_BATCH]; i++) {
		records += rows[REPORT_BY_BATCH][i].records;
		linked += rows[REPORT_BY_BATCH][i].linked;
		review += rows[REPORT_BY_BATCH][i].pending_review;
		unmatched += rows[REPORT_BY_BATCH][i].unmatched;
		rejected += rows[REPORT_BY_BATCH][i].rejected_files;
	}
	if (report_expected_total(q->db, &expected, &e) < 0)
		log_error("serve: %s", e.msg);
	backlog(q, &links, &values);
	have_trend = report_batch_trend(q->db, &t, &e) == 0;
	if (!have_trend)
		log_error("serve: %s", e.msg);
	today = today_day(offset);

	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Digitization progress"), "dashboard");
	strbuf_addstr(b, "<main class=\"dash\"><div class=\"itemhead\"><h1>");
	web_html_esc(b, tr(q, "Digitization progress"));
	strbuf_addstr(b, "</h1><span class=\"muted\">");
	{
		strbuf when = STRBUF_INIT, line = STRBUF_INIT;
		char now[24];

		snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
		web_fmt_time(&when, now);
		strbuf_addstr(&when, " (");
		web_fmt_zone(&when);
		strbuf_addch(&when, ')');
		strbuf_addf(&line, tr(q, "Figures at %s"), when.buf);
		web_html_esc(b, line.buf);
		strbuf_release(&when);
		strbuf_release(&line);
	}
	strbuf_addstr(b, "</span></div>");
	if (web_user_office(q)) {
		strbuf m = STRBUF_INIT;

		strbuf_addf(&m,
			    tr(q, "Figures for the whole province; your review work is limited to"
				  " %s."),
			    web_user_office(q));
		strbuf_addstr(b, "<p class=\"muted\">");
		web_html_esc(b, m.buf);
		strbuf_addstr(b, "</p>");
		strbuf_release(&m);
	}

	/* the headline figures */
	strbuf_addstr(b, "<div class=\"stats\">");
	web_fmt_num(q, &v, records);
	if (expected > 0) {
		strbuf p = STRBUF_INIT, x = STRBUF_INIT;

		web_fmt_pct(q, &p, ratio(records, expected));
		web_fmt_num(q, &x, expected);
		strbuf_addf(&sub, tr(q, "%s of the %s entries in the inventory"), p.buf, x.buf);
		strbuf_release(&p);
		strbuf_release(&x);
	} else {
		strbuf_addstr(&sub, tr(q, "no inventory imported"));
	}
	card(b, "stat-records", tr(q, "Records digitized"), v.buf, sub.buf);
	strbuf_reset(&v);
	strbuf_reset(&sub);
	web_fmt_num(q, &v, linked);
	{
		strbuf p = STRBUF_INIT;

		web_fmt_pct(q, &p, ratio(linked, records));
		strbuf_addf(&sub, tr(q, "%s on the population base"), p.buf);
		strbuf_release(&p);
	}
	card(b, "stat-linked", tr(q, "Linked to a personal ID"), v.buf, sub.buf);
	strbuf_reset(&v);
	strbuf_reset(&sub);
	web_fmt_num(q, &v, review);
	{
		strbuf x = STRBUF_INIT, y = STRBUF_INIT;

		strbuf_addf(
		    &x, trn(q, "%ld link to decide", "%ld links to decide", (unsigned long)links),
		    links);
		strbuf_addf(&y,
			    trn(q, "%ld record with values to check",
				"%ld records with values to check", (unsigned long)values),
			    values);
		strbuf_addf(&sub, tr(q, "%s, %s"), x.buf, y.buf);
		strbuf_release(&x);
		strbuf_release(&y);
	}
	card(b, "stat-review", tr(q, "Waiting for review"), v.buf, sub.buf);
	strbuf_reset(&v);
	web_fmt_num(q, &v, unmatched);
	card(b, "stat-unmatched", tr(q, "No citizen found"), v.buf,
	     tr(q, "no citizen of the registry fits"));
	strbuf_reset(&v);
	web_fmt_num(q, &v, rejected);
	card(b, "stat-rejected", tr(q, "Rejected files"), v.buf,
	     tr(q, "scans that cannot be read"));
	{
		long exported = 0, corrected = 0;
		herr xe = { 0, "" };

		if (export_counts(q->db, NULL, &exported, &corrected, &xe) < 0)
			log_error("serve: dashboard: %s", xe.msg); /* the rest still shows */
		strbuf_reset(&v);
		strbuf_reset(&sub);
		web_fmt_num(q, &v, exported);
		strbuf_addf(&sub,
			    trn(q, "%ld corrected since its first hand-over",
				"%ld corrected since their first hand-over",
				(unsigned long)corrected),
			    corrected);
		card(b, "stat-exported", tr(q, "Records handed over"), v.buf, sub.buf);
	}
	strbuf_addstr(b, "</div>");

	progress_chart(q, b, so, nso, expected, today);
	headline_table(q, b, REPORT_BY_PROVINCE, rows[REPORT_BY_PROVINCE], n[REPORT_BY_PROVINCE],
		       sp, nsp, today);
	headline_table(q, b, REPORT_BY_OFFICE, rows[REPORT_BY_OFFICE], n[REPORT_BY_OFFICE], so, nso,
		       today);
	if (have_trend)
		trend_chart(q, b, &t);
	db_rows_release(&t);
	report_table(q, b, REPORT_BY_DOC_TYPE, rows[REPORT_BY_DOC_TYPE], n[REPORT_BY_DOC_TYPE]);
	report_table(q, b, REPORT_BY_YEAR, rows[REPORT_BY_YEAR], n[REPORT_BY_YEAR]);
	report_table(q, b, REPORT_BY_BATCH, rows[REPORT_BY_BATCH], n[REPORT_BY_BATCH]);
	web_keying_throughput(q, b);
	strbuf_addstr(b, "<p class=\"muted small\">");
	web_html_esc(b,
		     tr(q, "Linked: every person on the record is linked to the citizen registry,"
			   " automatically or by a reviewer. Waiting for review: records with a"
			   " link to decide or a value to check. Of the inventory: records loaded"
			   " over the entries of the paper registers."));
	strbuf_addstr(b, " <a href=\"/discrepancies\">");
	web_html_esc(b, tr(q, "Discrepancies found by matching"));
	strbuf_addstr(b, "</a>.</p></main>");
	web_page_end(r);
	for (int by = 0; by < NBY; by++)
		report_rows_free(rows[by], n[by]);
	report_series_free(so, nso);
	report_series_free(sp, nsp);
	strbuf_release(&v);
	strbuf_release(&sub);
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

void web_dashboard_csv(struct web_req *q, struct web_resp *r)
{
	const char *name = q->path + strlen("/dashboard/");
	int by = -1;

	for (int i = 0; i < NBY; i++) {
		char want[32];

		snprintf(want, sizeof(want), "%s.csv", by_names[i]);
		if (!strcmp(name, want))
			by = i;
	}
	if (!strcmp(name, "discrepancies.csv")) {
		discrepancies_csv(q, r);
		return;
	}
	if (!strcmp(name, "keying-user.csv") || !strcmp(name, "keying-office.csv")) {
		int by_office = !strcmp(name, "keying-office.csv");
		struct db_rows t = { 0 };
		herr e = { 0 };

		if (keying_throughput(q->db, by_office, web_user_office(q), &t, &e) < 0) {
			log_error("serve: %s", e.msg);
			web_resp_error(q, r, 503, tr(q, "The figures are not available."));
			return;
		}
		csv_download(r, by_office ? "keying-office" : "keying-user");
		strbuf_addf(&r->body, "%s,today,last_7_days,all,records_made,disagreements\r\n",
			    by_office ? "office" : "keyer");
		for (int i = 0; i < t.n; i++) {
			web_csv_esc(&r->body, db_rows_get(&t, i, 0));
			for (int c = 1; c <= 5; c++)
				strbuf_addf(&r->body, ",%ld", db_rows_long(&t, i, c));
			strbuf_addstr(&r->body, "\r\n");
		}
		db_rows_release(&t);
		return;
	}
	if (!strcmp(name, "trend.csv")) {
		struct db_rows t;
		herr e = { 0 };

		if (report_batch_trend(q->db, &t, &e) < 0) {
			log_error("serve: %s", e.msg);
			web_resp_error(q, r, 503, tr(q, "The figures are not available."));
			return;
		}
		csv_download(r, "trend");
		strbuf_addstr(&r->body, "batch,started,records,linked,linked_pct\r\n");
		for (int i = 0; i < t.n; i++) {
			char lp[16];

			pct_csv(lp, sizeof(lp), db_rows_long(&t, i, 3), db_rows_long(&t, i, 2));
			web_csv_esc(&r->body, db_rows_get(&t, i, 0));
			strbuf_addf(&r->body, ",%s,%s,%s,%s\r\n", db_rows_get(&t, i, 1),
				    db_rows_get(&t, i, 2), db_rows_get(&t, i, 3), lp);
		}
		db_rows_release(&t);
		return;
	}
	if (by < 0) {
		web_resp_error(q, r, 404, tr(q, "No such table."));
		return;
	}
	{
		struct report_row *rows;
		size_t n;
		herr e = { 0, "" };

		if (report_rows(q->db, (enum report_by)by, &rows, &n, &e) < 0) {
			log_error("serve: %s", e.msg);
			web_resp_error(q, r, 503, tr(q, "The figures are not available."));
			return;
		}
		csv_download(r, by_names[by]);
		strbuf_addf(&r->body,
			    "%s,records,linked,linked_pct,pending_review,unmatched,rejected_files,"
			    "expected,digitized_pct\r\n",
			    by_names[by]);
		for (size_t i = 0; i < n; i++) {
			char lp[16], dp[16], ex[24] = "";

			pct_csv(lp, sizeof(lp), rows[i].linked, rows[i].records);
			pct_csv(dp, sizeof(dp), rows[i].records, rows[i].expected);
			if (rows[i].expected >= 0)
				snprintf(ex, sizeof(ex), "%ld", rows[i].expected);
			else
				dp[0] = '\0';
			web_csv_esc(&r->body, rows[i].group);
			strbuf_addf(&r->body, ",%ld,%ld,%s,%ld,%ld,%ld,%s,%s\r\n", rows[i].records,
				    rows[i].linked, lp, rows[i].pending_review, rows[i].unmatched,
				    rows[i].rejected_files, ex, dp);
		}
		report_rows_free(rows, n);
	}
}

/* ------------------------------------------------------------------------
 * Discrepancies: linked or candidate citizens whose registry values
 * disagree with the record (the "sạch" part: data to clean at the source)
 * ---------------------------------------------------------------------- */

static void discrepancies_csv(struct web_req *q, struct web_resp *r)
{
	struct db_rows res;
	herr e = { 0 };

	if (report_discrepancies(q->db, web_user_office(q), 1000000, &res, &e) < 0) {
		log_error("serve: %s", e.msg);
		web_resp_error(q, r, 503, tr(q, "The list is not available."));
		return;
	}
	csv_download(r, "discrepancies");
	strbuf_addstr(&r->body, "record_id,doc_type,registry_office,role,status,citizen_id,"
				"discrepancy\r\n");
	for (int i = 0; i < res.n; i++) {
		for (int c = 0; c < 7; c++) {
			if (c)
				strbuf_addch(&r->body, ',');
			web_csv_esc(&r->body, db_rows_get(&res, i, c));
		}
		strbuf_addstr(&r->body, "\r\n");
	}
	db_rows_release(&res);
}

void web_discrepancies(struct web_req *q, struct web_resp *r)
{
	struct db_rows res;
	strbuf *b = &r->body;
	herr e = { 0 };

	if (report_discrepancies(q->db, web_user_office(q), 500, &res, &e) < 0) {
		log_error("serve: %s", e.msg);
		web_resp_error(q, r, 503, tr(q, "The list is not available."));
		return;
	}
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Discrepancies"), "discrepancies");
	strbuf_addstr(b, "<main><div class=\"itemhead\"><h1>");
	web_html_esc(b, tr(q, "Discrepancies"));
	strbuf_addstr(b, "</h1><span class=\"muted\">");
	web_html_esc(b, tr(q, "Values on the record that disagree with the citizen registry"));
	strbuf_addstr(b, "</span>");
	if (q->user.role & (ROLE_MANAGER | ROLE_ADMIN))
		strbuf_addstr(b, "<a class=\"csv\" href=\"/dashboard/discrepancies.csv\" download>"
				 "CSV</a>");
	strbuf_addstr(b, "</div><section class=\"card\"><div class=\"scroll\">"
			 "<table class=\"list\"><thead><tr>");
	th(b, NULL, tr(q, "Record"));
	th(b, NULL, tr(q, "Document"));
	th(b, NULL, tr(q, "Office"));
	th(b, NULL, tr(q, "Person"));
	th(b, NULL, tr(q, "Status"));
	th(b, NULL, tr(q, "Citizen"));
	th(b, NULL, tr(q, "What differs"));
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (int i = 0; i < res.n; i++) {
		strbuf_addf(b, "<tr><td><a href=\"/record/%s\">#%s</a></td><td>",
			    db_rows_get(&res, i, 0), db_rows_get(&res, i, 0));
		web_html_esc(b, web_doc_type_label(q, db_rows_get(&res, i, 1)));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, db_rows_get(&res, i, 2));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, web_role_label(q, db_rows_get(&res, i, 3)));
		strbuf_addf(b, "</td><td><span class=\"st %s\">", db_rows_get(&res, i, 4));
		web_html_esc(b, web_status_label(q, db_rows_get(&res, i, 4)));
		strbuf_addstr(b, "</span></td><td>");
		web_html_esc(b, db_rows_get(&res, i, 5));
		strbuf_addstr(b, "</td><td>");
		web_fmt_discrepancy(q, b, db_rows_get(&res, i, 6));
		strbuf_addstr(b, "</td></tr>");
	}
	if (res.n == 0) {
		strbuf_addstr(b, "<tr><td colspan=\"7\" class=\"muted\">");
		web_html_esc(b, tr(q, "None."));
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></div></section>");
	if (res.n == 500) {
		strbuf_addstr(b, "<p class=\"muted\">");
		web_html_esc(b, tr(q, "The first 500; the CSV has them all."));
		strbuf_addstr(b, "</p>");
	}
	strbuf_addstr(b, "</main>");
	web_page_end(r);
	db_rows_release(&res);
}

/* ------------------------------------------------------------------------
 * The audit log (admin), in words
 * ---------------------------------------------------------------------- */

/* A citizen as "001090000001 (Nguyễn Văn An)", or "—". */
static void citizen_words(strbuf *b, const char *id, const char *name)
{
	if (!id || !*id) {
		strbuf_addstr(b, "—");
		return;
	}
	web_html_esc(b, id);
	if (name && *name) {
		strbuf_addstr(b, " (");
		web_html_esc(b, name);
		strbuf_addch(b, ')');
	}
}

/* before → after of one decision */
static void change_words(struct web_req *q, strbuf *b, const char *action, const char *field,
			 const char *before, const char *after, const char *cname_before,
			 const char *cname_after)
{
	json_t *jb = json_loads(before ? before : "null", JSON_DECODE_ANY, NULL);
	json_t *ja = json_loads(after ? after : "null", JSON_DECODE_ANY, NULL);

	if (field && *field) {
		const char *vb = json_string_value(json_object_get(jb, "value"));
		const char *va = json_string_value(json_object_get(ja, "value"));

		web_field_label(q, b, field);
		strbuf_addstr(b, ": ");
		if (!strcmp(action, "accept_field")) {
			web_html_esc(b, tr(q, "kept"));
			strbuf_addstr(b, " «");
			web_fmt_value(q, b, field, va ? va : vb);
			strbuf_addstr(b, "»");
		} else {
			strbuf_addstr(b, "«");
			web_fmt_value(q, b, field, vb);
			strbuf_addstr(b, "» → «<strong>");
			web_fmt_value(q, b, field, va);
			strbuf_addstr(b, "</strong>»");
		}
		if (json_is_true(json_object_get(ja, "confirmed_unusual"))) {
			strbuf_addstr(b, " <em>");
			web_html_esc(b, tr(q, "(an unusual name, confirmed as written)"));
			strbuf_addstr(b, "</em>");
		}
	} else {
		const char *sb = json_string_value(json_object_get(jb, "status"));
		const char *sa = json_string_value(json_object_get(ja, "status"));
		json_t *despite = json_object_get(ja, "confirmed_despite");

		web_html_esc(b, tr(q, "Status"));
		strbuf_addstr(b, ": ");
		web_html_esc(b, sb ? web_status_label(q, sb) : "—");
		strbuf_addstr(b, " → <strong>");
		web_html_esc(b, sa ? web_status_label(q, sa) : "—");
		strbuf_addstr(b, "</strong>; ");
		web_html_esc(b, tr(q, "Citizen"));
		strbuf_addstr(b, ": ");
		citizen_words(b, json_string_value(json_object_get(jb, "citizen_id")),
			      cname_before);
		strbuf_addstr(b, " → <strong>");
		citizen_words(b, json_string_value(json_object_get(ja, "citizen_id")), cname_after);
		strbuf_addstr(b, "</strong>");
		if (json_is_array(despite) && json_array_size(despite)) {
			size_t i;
			json_t *x;

			strbuf_addstr(b, " <em>(");
			web_html_esc(b, tr(q, "confirmed although it differs in:"));
			json_array_foreach(despite, i, x)
			{
				const char *f = json_string_value(x);

				strbuf_addstr(b, i ? ", " : " ");
				web_html_esc(b, web_cmp_label(q, f ? f : "?"));
			}
			strbuf_addstr(b, ")</em>");
		}
	}
	json_decref(jb);
	json_decref(ja);
}

/* The hand-overs: who exported what, from where, and what came out. */
static void export_log_section(struct web_req *q, strbuf *b)
{
	struct export_log_row *rows = NULL;
	size_t n = 0;
	herr e = { 0, "" };

	if (export_log_recent(q->db, 100, &rows, &n, &e) < 0) {
		log_error("serve: audit: %s", e.msg);
		return;
	}
	strbuf_addstr(b, "<section class=\"card\" id=\"exports\"><h2>");
	web_html_esc(b, tr(q, "Hand-overs"));
	strbuf_addstr(b, "</h2><div class=\"scroll\"><table class=\"list\"><thead><tr><th>");
	web_html_esc(b, tr(q, "When"));
	strbuf_addstr(b, "</th>");
	th(b, NULL, tr(q, "Who"));
	th(b, NULL, tr(q, "Request"));
	th(b, NULL, tr(q, "Result"));
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(b, "<tr><td class=\"nowrap\">");
		web_fmt_time(b, rows[i].started_epoch);
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, rows[i].by);
		strbuf_addstr(b, " (");
		web_html_esc(b, !strcmp(rows[i].via, "web") ? tr(q, "web") : tr(q, "command line"));
		strbuf_addstr(b, ")</td><td><code>");
		web_html_esc(b, rows[i].request);
		strbuf_addstr(b, "</code></td><td><code>");
		web_html_esc(b, *rows[i].summary ? rows[i].summary : tr(q, "not finished"));
		strbuf_addstr(b, "</code></td></tr>");
	}
	if (!n) {
		strbuf_addstr(b, "<tr><td colspan=\"4\" class=\"muted\">");
		web_html_esc(b, tr(q, "No hand-over yet."));
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></div></section>");
	export_log_free(rows, n);
}

void web_audit(struct web_req *q, struct web_resp *r)
{
	const char *who = web_req_arg(q, "user");
	struct db_rows res;
	herr e = { 0 };
	strbuf *b = &r->body;

	if (report_audit(q->db, who && *who ? who : NULL, &res, &e) < 0) {
		log_error("serve: %s", e.msg);
		web_resp_error(q, r, 503, tr(q, "The audit log is not available."));
		return;
	}
	web_resp_html(r, 200);
	web_page_begin(q, r, tr(q, "Audit log"), "audit");
	strbuf_addstr(b, "<main><div class=\"itemhead\"><h1>");
	web_html_esc(b, tr(q, "Audit log"));
	strbuf_addstr(b, "</h1><span class=\"muted\">");
	web_html_esc(b, tr(q, "Every decision, newest first; nothing here can be changed"));
	strbuf_addstr(b, "</span></div><form method=\"get\" action=\"/audit\" class=\"filter\">"
			 "<label>");
	web_html_esc(b, tr(q, "Reviewer"));
	strbuf_addstr(b, " <input name=\"user\" value=\"");
	web_html_esc(b, who ? who : "");
	strbuf_addstr(b, "\"></label><button type=\"submit\">");
	web_html_esc(b, tr(q, "Filter"));
	strbuf_addstr(b, "</button></form><section class=\"card\"><div class=\"scroll\">"
			 "<table class=\"list audit\"><thead><tr><th>");
	web_html_esc(b, tr(q, "When"));
	strbuf_addstr(b, " (");
	web_fmt_zone(b);
	strbuf_addstr(b, ")</th>");
	th(b, NULL, tr(q, "Who"));
	th(b, NULL, tr(q, "What"));
	th(b, NULL, tr(q, "Record"));
	th(b, NULL, tr(q, "Before → after"));
	strbuf_addstr(b, "</tr></thead><tbody>");
	for (int i = 0; i < res.n; i++) {
		const char *role = db_rows_get(&res, i, 4);
		const char *person = db_rows_isnull(&res, i, 9) ? NULL : db_rows_get(&res, i, 9);

		strbuf_addstr(b, "<tr><td class=\"nowrap\">");
		web_fmt_time(b, db_rows_get(&res, i, 0));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, db_rows_get(&res, i, 1));
		strbuf_addstr(b, "</td><td>");
		web_html_esc(b, web_action_label(q, db_rows_get(&res, i, 2)));
		strbuf_addf(b, "</td><td><a href=\"/record/%s\">#%s</a> ", db_rows_get(&res, i, 3),
			    db_rows_get(&res, i, 3));
		web_html_esc(b, web_doc_type_label(q, db_rows_get(&res, i, 8)));
		if (*role || person) {
			strbuf_addstr(b, "<br><span class=\"muted\">");
			if (*role) {
				web_html_esc(b, web_role_label(q, role));
				if (person)
					strbuf_addstr(b, ": ");
			}
			if (person)
				web_html_esc(b, person);
			strbuf_addstr(b, "</span>");
		}
		strbuf_addstr(b, "</td><td>");
		change_words(q, b, db_rows_get(&res, i, 2), db_rows_get(&res, i, 5),
			     db_rows_isnull(&res, i, 6) ? NULL : db_rows_get(&res, i, 6),
			     db_rows_isnull(&res, i, 7) ? NULL : db_rows_get(&res, i, 7),
			     db_rows_isnull(&res, i, 10) ? NULL : db_rows_get(&res, i, 10),
			     db_rows_isnull(&res, i, 11) ? NULL : db_rows_get(&res, i, 11));
		strbuf_addstr(b, "</td></tr>");
	}
	if (res.n == 0) {
		strbuf_addstr(b, "<tr><td colspan=\"5\" class=\"muted\">");
		web_html_esc(b, tr(q, "No decision yet."));
		strbuf_addstr(b, "</td></tr>");
	}
	strbuf_addstr(b, "</tbody></table></div></section>");
	export_log_section(q, b);
	strbuf_addstr(b, "</main>");
	web_page_end(r);
	db_rows_release(&res);
}
