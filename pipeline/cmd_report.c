/*
 * cmd_report.c — `hotich report`: digitization progress, the figures a
 * province reports ("records digitized", "digitized on the population
 * base"), per office, document type, year or batch.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../loaders/loaders.h"
#include "commands.h"

static const char report_usage[] =
    "usage: hotich report [--by office|province|doc_type|year|batch] [--format table|csv|json]\n"
    "\n"
    "Per group: records loaded, linked (every person on the record linked\n"
    "automatically or confirmed by a reviewer), linked_pct, pending_review,\n"
    "unmatched, rejected_files, and, where the inventory knows it, expected and\n"
    "digitized_pct (records / expected).  --by province groups the offices by\n"
    "the provinces in force since 1 July 2025 (a province merged then is one\n"
    "row).\n";

static void pct(char *buf, size_t n, long num, long den)
{
	if (den > 0)
		snprintf(buf, n, "%.1f", 100.0 * (double)num / (double)den);
	else
		snprintf(buf, n, "%s", "");
}

/* Characters (not bytes) of a UTF-8 string, for aligning columns. */
static int width(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void cell(const char *s, int w)
{
	fputs(s, stdout);
	for (int k = width(s); k < w; k++)
		putchar(' ');
}

static void csv_cell(const char *s, int last)
{
	if (strpbrk(s, ",\"\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

int cmd_report(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "by", required_argument, NULL, 'b' },
					      { "format", required_argument, NULL, 'f' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	/* in the order of enum report_by */
	static const char *const by_names[] = { "office", "doc_type", "year", "batch",
						"province" };
	enum report_by by = REPORT_BY_OFFICE;
	const char *format = "table";
	struct report_row *rows = NULL;
	size_t n = 0, i;
	PGconn *conn;
	herr e = { 0 };
	int c, k, rc = HT_EXIT_OK;
	long tot[6] = { 0 };
	int have_expected = 0;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			for (k = 0; k < 5 && strcmp(optarg, by_names[k]); k++)
				;
			if (k == 5)
				return usage_error("report",
						   "--by office, province, doc_type, year or batch");
			by = (enum report_by)k;
			break;
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "csv") &&
			    strcmp(optarg, "json"))
				return usage_error("report", "--format table, csv or json");
			format = optarg;
			break;
		case 'h':
			fputs(report_usage, stdout);
			return HT_EXIT_OK;
		case ':':
			return usage_error("report", "option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return usage_error("report", "unexpected argument '%s'", argv[optind]);
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn || report_rows(conn, by, &rows, &n, &e) < 0) {
		rc = log_herr(&e);
		goto done;
	}
	for (i = 0; i < n; i++) {
		tot[0] += rows[i].records;
		tot[1] += rows[i].linked;
		tot[2] += rows[i].pending_review;
		tot[3] += rows[i].unmatched;
		tot[4] += rows[i].rejected_files;
		if (rows[i].expected >= 0) {
			tot[5] += rows[i].expected;
			have_expected = 1;
		}
	}
	if (!strcmp(format, "json")) {
		json_t *arr = json_array();
		char *s;

		for (i = 0; i < n; i++) {
			json_t *o = json_pack(
			    "{s:s, s:I, s:I, s:f, s:I, s:I, s:I}", by_names[by], rows[i].group,
			    "records", (json_int_t)rows[i].records, "linked",
			    (json_int_t)rows[i].linked, "linked_pct",
			    rows[i].records
				? (double)((long)(1000.0 * rows[i].linked / rows[i].records +
						  0.5)) /
				      10.0
				: 0.0,
			    "pending_review", (json_int_t)rows[i].pending_review, "unmatched",
			    (json_int_t)rows[i].unmatched, "rejected_files",
			    (json_int_t)rows[i].rejected_files);

			if (rows[i].expected >= 0) {
				json_object_set_new(o, "expected", json_integer(rows[i].expected));
				json_object_set_new(
				    o, "digitized_pct",
				    json_real(rows[i].expected
						  ? (double)((long)(1000.0 * rows[i].records /
									rows[i].expected +
								    0.5)) /
							10.0
						  : 0.0));
			}
			json_array_append_new(arr, o);
		}
		s = json_dumps(arr, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
		puts(s ? s : "[]");
		free(s);
		json_decref(arr);
	} else if (!strcmp(format, "csv")) {
		printf("%s,records,linked,linked_pct,pending_review,unmatched,rejected_files,"
		       "expected,digitized_pct\n",
		       by_names[by]);
		for (i = 0; i < n; i++) {
			char lp[16], dp[16], ex[24];

			pct(lp, sizeof(lp), rows[i].linked, rows[i].records);
			pct(dp, sizeof(dp), rows[i].records, rows[i].expected);
			snprintf(ex, sizeof(ex), "%ld", rows[i].expected);
			csv_cell(rows[i].group, 0);
			printf("%ld,%ld,%s,%ld,%ld,%ld,", rows[i].records, rows[i].linked, lp,
			       rows[i].pending_review, rows[i].unmatched, rows[i].rejected_files);
			printf("%s,%s\n", rows[i].expected >= 0 ? ex : "", dp);
		}
	} else {
		int w = width(by_names[by]);

		for (i = 0; i < n; i++)
			if (width(rows[i].group) > w)
				w = width(rows[i].group);
		cell(by_names[by], w);
		printf(" %8s %8s %7s %8s %9s %8s", "records", "linked", "linked%", "review",
		       "unmatched", "rejected");
		if (have_expected)
			printf(" %9s %11s", "expected", "digitized%");
		putchar('\n');
		for (i = 0; i <= n; i++) {
			const struct report_row *r = i < n ? &rows[i] : NULL;
			long rec = r ? r->records : tot[0], lk = r ? r->linked : tot[1];
			long ex = r ? r->expected : (have_expected ? tot[5] : -1);
			char lp[16], dp[16];

			pct(lp, sizeof(lp), lk, rec);
			pct(dp, sizeof(dp), rec, ex);
			cell(r ? r->group : "total", w);
			printf(" %8ld %8ld %7s %8ld %9ld %8ld", rec, lk, lp,
			       r ? r->pending_review : tot[2], r ? r->unmatched : tot[3],
			       r ? r->rejected_files : tot[4]);
			if (have_expected) {
				char exs[24] = "";

				if (ex >= 0)
					snprintf(exs, sizeof(exs), "%ld", ex);
				printf(" %9s %11s", exs, dp);
			}
			putchar('\n');
		}
	}
done:
	report_rows_free(rows, n);
	db_close(conn);
	return rc;
}
