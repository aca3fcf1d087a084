/*
 * cmd_find.c — `hotich find`: look up stored records (tra cứu) by a name
 * with or without diacritics, an ID or CMND number, a full or partial date
 * of birth, an office, a document type; TEXT searches names and numbers at
 * once.  The search itself is loaders/search.c's, the web's too.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../loaders/loaders.h"
#include "commands.h"

static const char find_usage[] =
    "usage: hotich find [--name N] [--id ID] [--dob DATE] [--office O] [--type DOC_TYPE]\n"
    "                   [--book B] [--father N] [--mother N] [--near] [--limit K]\n"
    "                   [--format table|json] [TEXT...]\n"
    "\n"
    "Look up stored records, best first: the name as written, then without\n"
    "diacritics in any case (\"nguyen van hung\" finds \"Nguyễn Văn Hùng\");\n"
    "when no one has that name (or with --near), names with its words among\n"
    "others, then (with pg_trgm) names with one word a letter or two off,\n"
    "then with letters of its words.  --id: a 12-digit ID or a 9-digit CMND\n"
    "number; --dob: dd/mm/yyyy, mm/yyyy, yyyy or yyyy-mm-dd; --office: its name\n"
    "or a unique beginning of it, with or without marks; --father, --mother:\n"
    "the parents' names (their words).  TEXT: words with digits are an ID,\n"
    "CMND number or date of birth, the others the name.  --limit: records\n"
    "shown (20; at most 1000).  --format json: one record per line, the\n"
    "record JSON of `hotich ocr --json` with record_id, office, file, page and\n"
    "match (exact, folded, words, near, partial, filter).\n"
    "Exit 0 with results, 1 with none.\n";

static const char *const doc_types[] = { "khai_sinh",	    "khai_tu",	    "ket_hon",
					 "nhan_cha_me_con", "tthc_receipt", "unknown" };

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
	putchar(' ');
}

static json_t *json_text(const struct db_rows *r, int row, int col)
{
	return db_rows_isnull(r, row, col) ? json_null() : json_string(db_rows_get(r, row, col));
}

/* The record JSON of the contract, plus where it was found and how. */
static void print_json(const struct db_rows *r, int row)
{
	json_t *o = json_object(), *fields, *warn;
	char *s;

	fields = json_loads(db_rows_get(r, row, 15), 0, NULL);
	warn = json_loads(db_rows_get(r, row, 17), 0, NULL);
	json_object_set_new(o, "record_ref", json_text(r, row, 14));
	json_object_set_new(o, "file", json_text(r, row, 12));
	json_object_set_new(o, "page", json_integer(db_rows_long(r, row, 13)));
	json_object_set_new(o, "doc_type", json_text(r, row, 7));
	json_object_set_new(o, "fields", fields ? fields : json_object());
	json_object_set_new(o, "mean_conf", json_real(strtod(db_rows_get(r, row, 16), NULL)));
	json_object_set_new(o, "text", json_text(r, row, 23));
	json_object_set_new(o, "warnings", warn ? warn : json_array());
	json_object_set_new(o, "record_id", json_integer(db_rows_long(r, row, 0)));
	json_object_set_new(o, "office", json_text(r, row, 8));
	json_object_set_new(o, "match", json_text(r, row, 18));
	s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

static void print_table(const struct db_rows *r, int n)
{
	static const char *const head[] = { "match", "record", "name",	  "dob",      "id",
					    "type",  "office", "book/no", "file:page" };
	int w[9], ncol = 9;
	char buf[9][64];

	for (int c = 0; c < ncol; c++)
		w[c] = width(head[c]);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			for (int c = 0; c < ncol; c++)
				cell(head[c], c == ncol - 1 ? 0 : w[c]);
		if (pass)
			putchar('\n');
		for (int i = 0; i < n; i++) {
			const char *v[9];

			snprintf(buf[0], sizeof(buf[0]), "%s", db_rows_get(r, i, 0));
			snprintf(buf[1], sizeof(buf[1]), "%s/%s", db_rows_get(r, i, 9),
				 db_rows_get(r, i, 10));
			v[0] = db_rows_get(r, i, 18);
			v[1] = buf[0];
			v[2] = db_rows_get(r, i, 2);
			v[3] = db_rows_get(r, i, 3);
			v[4] =
			    !db_rows_isnull(r, i, 5) ? db_rows_get(r, i, 5) : db_rows_get(r, i, 6);
			v[5] = db_rows_get(r, i, 7);
			v[6] = db_rows_get(r, i, 8);
			v[7] = buf[1];
			v[8] = NULL;
			for (int c = 0; c < ncol - 1; c++) {
				if (!pass && width(v[c]) > w[c])
					w[c] = width(v[c]);
				if (pass)
					cell(v[c], w[c]);
			}
			if (pass)
				printf("%s:%s\n", db_rows_get(r, i, 12), db_rows_get(r, i, 13));
		}
	}
}

int cmd_find(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'n' },
					      { "id", required_argument, NULL, 'i' },
					      { "dob", required_argument, NULL, 'd' },
					      { "office", required_argument, NULL, 'o' },
					      { "type", required_argument, NULL, 't' },
					      { "book", required_argument, NULL, 'b' },
					      { "father", required_argument, NULL, 'F' },
					      { "mother", required_argument, NULL, 'M' },
					      { "limit", required_argument, NULL, 'l' },
					      { "format", required_argument, NULL, 'f' },
					      { "near", no_argument, NULL, 'N' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct search_query sq = { .limit = 20 };
	struct search_results res = { 0 };
	const char *format = "table";
	strbuf text = STRBUF_INIT;
	PGconn *conn = NULL;
	herr e = { 0 };
	long lim;
	size_t k;
	int c, shown, rc = HT_EXIT_OK;

	while ((c = cmd_getopt(argc, argv, "find", NULL, opts, find_usage)) > 0) {
		switch (c) {
		case 'n':
			sq.name = optarg;
			break;
		case 'i':
			sq.id = optarg;
			break;
		case 'd':
			sq.dob = optarg;
			break;
		case 'o':
			sq.office = optarg;
			break;
		case 't':
			for (k = 0; k < HT_ARRAY_LEN(doc_types) && strcmp(optarg, doc_types[k]);
			     k++)
				;
			if (k == HT_ARRAY_LEN(doc_types))
				return usage_error("find",
						   "--type khai_sinh, khai_tu, ket_hon, "
						   "nhan_cha_me_con, tthc_receipt or unknown");
			sq.doc_type = optarg;
			break;
		case 'b':
			sq.book_no = optarg;
			break;
		case 'F':
			sq.father = optarg;
			break;
		case 'M':
			sq.mother = optarg;
			break;
		case 'N':
			sq.near = 1;
			break;
		case 'l':
			if (parse_int(optarg, 1, 1000, &lim) < 0)
				return usage_error("find", "--limit takes 1 to 1000");
			sq.limit = (int)lim;
			break;
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				return usage_error("find", "--format table or json");
			format = optarg;
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	for (; optind < argc; optind++) {
		if (text.len)
			strbuf_addch(&text, ' ');
		strbuf_addstr(&text, argv[optind]);
	}
	sq.text = text.len ? text.buf : NULL;
	if (!sq.text && !sq.name && !sq.id && !sq.dob && !sq.office && !sq.doc_type &&
	    !sq.book_no && !sq.father && !sq.mother) {
		strbuf_release(&text);
		return usage_error("find",
				   "nothing to search for: give a name, a number or a date");
	}
	sq.with_text = !strcmp(format, "json");
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn || search_records(conn, &sq, &res, &e) < 0) {
		rc = e.code == HT_EXIT_USAGE ? usage_error("find", "%s", e.msg) : log_herr(&e);
		goto done;
	}
	if (!res.trgm)
		log_warning("pg_trgm is not installed in this database: searches by part of a "
			    "name read every record");
	shown = res.rows.n > sq.limit ? sq.limit : res.rows.n; /* past the page: "more" */
	if (!shown) {
		rc = HT_EXIT_PARTIAL;
		fprintf(stderr, "hotich: nothing found\n");
		goto done;
	}
	if (!strcmp(format, "json"))
		for (int i = 0; i < shown; i++)
			print_json(&res.rows, i);
	else
		print_table(&res.rows, shown);
	if (res.more)
		fprintf(stderr, "hotich: more records match: narrow the search or raise --limit\n");
done:
	search_results_release(&res);
	db_close(conn);
	strbuf_release(&text);
	return rc;
}
