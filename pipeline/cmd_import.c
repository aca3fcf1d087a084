/*
 * cmd_import.c — `hotich registry import FILE.csv` and `hotich inventory
 * import FILE.csv`: load the citizen registry extract and the inventory of
 * paper registers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../loaders/loaders.h"
#include "commands.h"

static const char registry_usage[] =
    "usage: hotich registry import [OPTIONS] FILE.csv\n"
    "\n"
    "Load a citizen-registry extract (id_number,full_name,dob,sex,birthplace,\n"
    "father_name,mother_name, any order, extra columns ignored): names, dates and\n"
    "IDs normalized; an upsert by id_number, so importing the same file again\n"
    "changes nothing; bad rows are reported with their line and reason.\n"
    "\n"
    "  --encoding ENC   utf8, tcvn3, vni or cp1258 (default: detected)\n"
    "  --rejects FILE   the reject report (default: FILE.csv.rejects)\n"
    "  --dry-run        check and count, load nothing\n";

static const char inventory_usage[] =
    "usage: hotich inventory import [--rejects FILE] FILE.csv\n"
    "\n"
    "Load the inventory of paper registers: registry_office,doc_type,book_no,year,\n"
    "entries (the expected counts of the progress report), and optionally folder:\n"
    "the folder of the book's scans (\"xa-chu-trinh/quyen-03\"), whose scans `hotich\n"
    "run` then gives that office.\n";

static int import(int argc, char **argv, const struct global_opts *g, int registry)
{
	static const struct option opts[] = { { "encoding", required_argument, NULL, 'E' },
					      { "rejects", required_argument, NULL, 'r' },
					      { "dry-run", no_argument, NULL, 'n' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *what = registry ? "registry" : "inventory", *rej_path = NULL;
	enum vn_encoding enc = VN_ENC_AUTO;
	int c, dry = 0, rc = HT_EXIT_OK;
	struct import_stats st;
	PGconn *conn;
	FILE *rej;
	char *rej_default = NULL;
	herr e = { 0 };

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'E':
			if (!registry || (c = vn_encoding_parse(optarg)) < 0 || c == VN_ENC_AUTO)
				return usage_error(what, "--encoding: utf8, tcvn3, vni or cp1258");
			enc = (enum vn_encoding)c;
			break;
		case 'r':
			rej_path = optarg;
			break;
		case 'n':
			if (!registry)
				return usage_error(what, "unknown option '--dry-run'");
			dry = 1;
			break;
		case 'h':
			fputs(registry ? registry_usage : inventory_usage, stdout);
			return HT_EXIT_OK;
		case ':':
			return usage_error(what, "option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error(what, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error(what, "one FILE.csv expected");
	if (!rej_path)
		rej_path = rej_default = xasprintf("%s.rejects", argv[optind]);
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn) {
		free(rej_default);
		return log_herr(&e);
	}
	rej = fopen(rej_path, "w");
	if (!rej) {
		log_error("could not write the reject report \"%s\": %s", rej_path,
			  strerror(errno));
		rc = HT_EXIT_FATAL;
		goto done;
	}
	if ((registry ? citizens_import(conn, argv[optind], enc, dry, rej, &st, &e)
		      : citizens_inventory_import(conn, argv[optind], rej, &st, &e)) < 0) {
		fclose(rej);
		rc = e.code == HT_EXIT_USAGE ? usage_error(what, "%s", e.msg) : log_herr(&e);
		goto done;
	}
	fclose(rej);
	printf("%s: %ld rows read%s%s: %ld new, %ld updated, %ld unchanged, %ld rejected (%.1f s",
	       argv[optind], st.rows, registry ? ", encoding " : "",
	       registry ? vn_encoding_name(st.encoding) : "", st.inserted, st.updated, st.unchanged,
	       st.rejected, st.seconds);
	if (registry && st.seconds > 0)
		printf(", %.0f rows/s", (double)st.rows / st.seconds);
	printf(")%s\n", dry ? "; dry run: nothing loaded" : "");
	if (st.rejected) {
		log_warning("%ld rows rejected: see %s", st.rejected, rej_path);
		rc = HT_EXIT_PARTIAL;
	} else {
		remove(rej_path);
	}
done:
	free(rej_default);
	db_close(conn);
	return rc;
}

int cmd_registry(int argc, char **argv, const struct global_opts *g)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(registry_usage, stdout);
		return HT_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "import"))
		return usage_error("registry", "expected 'registry import FILE.csv'");
	return import(argc - 1, argv + 1, g, 1);
}

int cmd_inventory(int argc, char **argv, const struct global_opts *g)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(inventory_usage, stdout);
		return HT_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "import"))
		return usage_error("inventory", "expected 'inventory import FILE.csv'");
	return import(argc - 1, argv + 1, g, 0);
}
