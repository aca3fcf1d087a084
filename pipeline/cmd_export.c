/*
 * cmd_export.c — `hotich export`: per register book, one searchable PDF
 * per case, the rows in the national import template (XLSX and CSV), the
 * validation report and a manifest (export/ does the work).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../export/export.h"
#include "../loaders/loaders.h"
#include "commands.h"

static const char export_usage[] =
    "usage: hotich export [--office O] [--book B] [--batch NAME] [--type DOC_TYPE] [--all]\n"
    "                     [--templates DIR] --out DIR\n"
    "\n"
    "Per register book, a folder DIR/<office>/<type>-quyen-<book>/ with one\n"
    "searchable PDF per case, <prefix>.xlsx (the cases in the national import\n"
    "template, then the sheet \"Kiểm tra\": the records held back and why),\n"
    "<prefix>.csv, kiem-tra.csv, manifest.json and SHA256SUMS.  Only records\n"
    "with no field awaiting review, every mandatory column and every person\n"
    "linked or decided by a reviewer go out, unless --all (then marked\n"
    "\"Chưa đạt\").  The same request gives the same bytes; a record changed\n"
    "since its first export is marked \"Cải chính\" (correction).\n"
    "--office: the office's name or a unique beginning of it, with or without\n"
    "marks.  --templates DIR: a province's templates (*.tpl, *.map: the format\n"
    "is in the README, \"Hand-over\") instead of the built-in ones.\n";

int cmd_export(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "office", required_argument, NULL, 'o' },
					      { "book", required_argument, NULL, 'b' },
					      { "batch", required_argument, NULL, 'B' },
					      { "type", required_argument, NULL, 't' },
					      { "all", no_argument, NULL, 'a' },
					      { "out", required_argument, NULL, 'O' },
					      { "templates", required_argument, NULL, 'T' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct export_request rq = { 0 };
	struct export_stats st = { 0 };
	struct passwd *pw = getpwuid(getuid());
	PGconn *conn;
	herr e = { 0 };
	int c, rc;

	while ((c = cmd_getopt(argc, argv, "export", NULL, opts, export_usage)) > 0) {
		switch (c) {
		case 'o':
			rq.office = optarg;
			break;
		case 'b':
			rq.book = optarg;
			break;
		case 'B':
			rq.batch = optarg;
			break;
		case 't':
			rq.doc_type = optarg;
			break;
		case 'a':
			rq.all = 1;
			break;
		case 'O':
			rq.out_dir = optarg;
			break;
		case 'T':
			rq.templates_dir = optarg;
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	if (optind != argc)
		return usage_error("export", "unexpected argument '%s'", argv[optind]);
	if (!rq.out_dir || !*rq.out_dir)
		return usage_error("export", "--out DIR is required");
	rq.by = pw && pw->pw_name ? pw->pw_name : "cli";
	rq.via = "cli";
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn)
		return log_herr(&e);
	rc = export_run(conn, &rq, &st, &e);
	if (st.records)
		printf("books: %ld, records: %ld, exported: %ld (corrections: %ld), held back: %ld,"
		       " unreadable scans: %ld\n"
		       "PDFs: %ld written, %ld unchanged; other files: %ld written, %ld unchanged\n"
		       "time: %.2f s (%.1f records/s); PDFs %.2f s (%.1f pages/s)\n",
		       st.books, st.records, st.exported, st.corrections, st.held_back, st.failed,
		       st.pdf_written, st.pdf_unchanged, st.files_written, st.files_unchanged,
		       st.seconds, st.seconds > 0 ? (double)st.records / st.seconds : 0.0,
		       st.seconds_pdf,
		       st.seconds_pdf > 0 ? (double)st.pdf_pages / st.seconds_pdf : 0.0);
	if (st.skipped_no_template)
		printf("left out: %ld records of types without a template (in manifest.json)\n",
		       st.skipped_no_template);
	for (size_t i = 0; i < st.nbook_dirs; i++)
		printf("%s/%s\n", rq.out_dir, st.book_dirs[i]);
	export_stats_release(&st);
	db_close(conn);
	return rc < 0 ? log_herr(&e) : HT_EXIT_OK;
}
