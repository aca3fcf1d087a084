/*
 * hotich.c — the entry point: global options and the command table.
 *
 * hotich [--db CONNINFO] [-q|-v] COMMAND [ARGS]
 *
 * Only `main` decides to exit; commands return an HT_EXIT_* code.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../loaders/loaders.h"
#include "../normalize/normalize.h"
#include "../ocr/ocr.h"
#include "commands.h"

static const struct command commands[] = {
	{ "db", cmd_db, "init|start|stop|status",
	  "create or migrate the schema; manage the local cluster under ./var/pg" },
	{ "normalize", cmd_normalize, "name|date|id|place|text",
	  "normalize values: canonical form, folded key, warnings" },
	{ "ocr", cmd_ocr, "[--json] FILE...",
	  "read scans without a database: records of normalized fields" },
	{ "link", cmd_link, "--registry FILE.csv RECORDS.jsonl",
	  "match the people of records to a registry CSV without a database" },
	{ "registry", cmd_registry, "import FILE.csv",
	  "load a citizen-registry extract (upsert by ID number; bad rows reported)" },
	{ "inventory", cmd_inventory, "import FILE.csv",
	  "load the inventory of paper registers (expected entries)" },
	{ "run", cmd_run, "[--jobs N] [--batch NAME] [--office NAME] INPUT...",
	  "the nightly batch: scans to matched records in the database; resumable" },
	{ "worker", cmd_worker, "[--lease S] [--wait S]",
	  "read the pages of the open batches (from another host)" },
	{ "match", cmd_match, "[--batch NAME | --unlinked]",
	  "match stored records again (after a registry import)" },
	{ "report", cmd_report,
	  "[--by office|province|doc_type|year|batch] [--format table|csv|json]",
	  "digitization progress: records, linked, review, expected" },
	{ "find", cmd_find,
	  "[--name N] [--id ID] [--dob DATE] [--office O] [--type T] [--format table|json] [TEXT]",
	  "look up stored records by name (with or without diacritics), number or date" },
	{ "export", cmd_export, "[--office O] [--book B] [--all] --out DIR",
	  "per register book: searchable PDFs, the import template (XLSX, CSV), checks" },
	{ "serve", cmd_serve, "[--listen ADDR:PORT]",
	  "the review and dashboard web application (127.0.0.1:8080)" },
	{ "user", cmd_user, "add NAME --role reviewer|manager|admin",
	  "create a user of the web application (password from stdin)" },
};

PGconn *cmd_db_open(const struct global_opts *g, unsigned flags, herr *e)
{
	struct db_target t;
	PGconn *conn;

	if (db_target_resolve(&t, g->db, e) < 0)
		return NULL;
	conn = db_open(&t, flags, e);
	db_target_release(&t);
	return conn;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	fprintf(stderr, "Try 'hotich %s%s--help' for more information.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return HT_EXIT_USAGE;
}

static void print_help(void)
{
	size_t i;

	printf("hotich turns scanned civil-status registers (ho tich) into linked, searchable\n"
	       "data: OCR of the scans, normalized fields, links to the citizen registry,\n"
	       "loaded into PostgreSQL.\n\n"
	       "Usage: hotich [OPTIONS] COMMAND [ARGS]\n\n"
	       "Commands:\n");
	for (i = 0; i < HT_ARRAY_LEN(commands); i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", commands[i].name, commands[i].args);
		printf("  %-26s %s\n", head, commands[i].summary);
	}
	printf("\nOptions:\n"
	       "  --db CONNINFO   PostgreSQL connection string or URI (default: $DATABASE_URL,\n"
	       "                  then libpq's PG* variables, then the local cluster in\n"
	       "                  ./var/pg, started on demand)\n"
	       "  -q, --quiet     print only errors\n"
	       "  -v, --verbose   print debugging messages\n"
	       "  -h, --help      print this help and exit\n"
	       "  -V, --version   print the version and exit\n\n"
	       "Exit codes: 0 done; 1 done, some inputs rejected; 2 usage error;\n"
	       "3 cannot proceed (database unreachable, schema too new, disk full).\n\n"
	       "'hotich COMMAND --help' describes a command.\n");
}

/*
 * What the binary carries from others, after the program's own lines of
 * --version; THIRD-PARTY-NOTICES.md has each with its version and source.
 */
static const char notices[] =
    "licence: GPL-3.0-or-later (LICENSE); no warranty\n"
    "data built in:\n"
    "  units before 1 July 2025 and their changes 2019-2025: daohoangson/dvhcvn, GPL-3.0\n"
    "  units since 1 July 2025: thanglequoc/vietnamese-provinces-database v3.0.2, v4.2.0, MIT\n"
    "  conversion table old -> new units (statistics office): sunshine-tech/VietnamProvinces\n"
    "    v2026.2.3, GPL-3.0-or-later; with the GSO catalogue of tranngocminhhieu/\n"
    "    vietnamadminunits, MIT\n"
    "  Hà Tây and the 2008 merger into Hà Nội: from NQ 15/2008/QH12, hotich's\n"
    "  given names: duyet/vietnamese-namedb, MIT; surname shares: hotich's\n"
    "  the PDFs' glyphless font: Tesseract's tessdata/pdf.ttf, Apache-2.0\n"
    "libraries: Tesseract (Apache-2.0), Leptonica (BSD-2-Clause), libtiff (libtiff),\n"
    "  ICU (Unicode-DFS-2016), libpq (PostgreSQL), libsodium (ISC), Jansson (MIT),\n"
    "  GNU libmicrohttpd (LGPL-2.1-or-later)\n"
    "notices: THIRD-PARTY-NOTICES.md (installed in share/doc/hotich)\n";

static void print_version(void)
{
	int pq = db_client_version();

	printf("hotich %s\n", HOTICH_VERSION);
	printf("schema version %d\n", schema_binary_version());
	printf("libpq %d.%d, ICU %s, Tesseract %s\n", pq / 10000, pq % 10000, vn_icu_version(),
	       ocr_tesseract_version());
	fputs(notices, stdout);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },	{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	{ NULL, 0, NULL, 0 }
	};
	struct global_opts g = { NULL };
	size_t i;
	int c;

	/*
	 * Tesseract's OpenMP threads fight the batch's own workers for the
	 * cores and make a page several times slower (engineering-notes.md).
	 * The OpenMP runtime reads OMP_THREAD_LIMIT when it is loaded, before
	 * main, so when it is not set the program starts itself again with it.
	 */
	if (!getenv("OMP_THREAD_LIMIT")) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		/* no /proc: go on with OpenMP as it is */
	}

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:qvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			g.db = optarg;
			break;
		case 'q':
			log_set_level(HT_LOG_ERROR);
			break;
		case 'v':
			log_set_level(HT_LOG_DEBUG);
			break;
		case 'h':
			print_help();
			return HT_EXIT_OK;
		case 'V':
			print_version();
			return HT_EXIT_OK;
		case ':':
			return usage_error(NULL, "option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error(NULL, "no command given");
	for (i = 0; i < HT_ARRAY_LEN(commands); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			int first = optind;

			optind = 0; /* glibc: restart getopt for the command's options */
			return commands[i].fn(argc - first, argv + first, &g);
		}
	}
	return usage_error(NULL, "'%s' is not a hotich command", argv[optind]);
}
