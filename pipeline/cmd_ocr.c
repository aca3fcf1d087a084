/*
 * cmd_ocr.c — `hotich ocr [--json] FILE...`: read scans without a
 * database.  With --json, one JSON object per record on stdout (the
 * contract's record format); without, a short line per page.  A file or
 * page that cannot be read is named on stderr with its reason, and the
 * rest goes on (exit code 1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ocr/ocr.h"
#include "commands.h"

static const char ocr_usage[] =
    "Usage: hotich ocr [--json] [--registry FILE.csv] [OPTIONS] FILE...\n"
    "\n"
    "Read scans (TIFF, PNG, JPEG; every page of a multi-page TIFF), classify each\n"
    "page, and extract and normalize its fields.  No database is used.\n"
    "\n"
    "  --json             one JSON object per record (the contract's format)\n"
    "  --registry FILE    a registry CSV whose names help judge a name read (a\n"
    "                     name word no citizen has is sent to review)\n"
    "  --names FILE       known names, one per line (name, or name<TAB>count)\n"
    "  --dpi N            the pages' resolution, whatever their files say (by\n"
    "                     default the size of the text decides where the file's\n"
    "                     tag is missing, a camera's 72 dpi, or disagrees)\n"
    "  --max-pixels N     refuse pages larger than N pixels (default 100000000)\n"
    "  --deadline MS      time allowed per page (default 30000)\n"
    "  --tessdata DIR     where Tesseract's models are\n";

/* The names of a registry CSV (citizens and their parents) into the model. */
static int names_from_registry(const char *path, struct vn_name_model *m, herr *e)
{
	static const char *const cols[] = { "full_name", "father_name", "mother_name" };
	struct csv *c = csv_open(path, e);
	int idx[3], rc, k;

	if (!c)
		return herr_prefix(e, "registry");
	rc = csv_next(c, e);
	if (rc <= 0) {
		csv_close(c);
		return rc < 0 ? -1 : herr_set(e, HT_EXIT_USAGE, "registry \"%s\" is empty", path);
	}
	for (k = 0; k < 3; k++)
		idx[k] = csv_column(c, cols[k]);
	if (idx[0] < 0) {
		csv_close(c);
		return herr_set(e, HT_EXIT_USAGE, "registry \"%s\": no full_name column", path);
	}
	while ((rc = csv_next(c, e)) > 0)
		for (k = 0; k < 3; k++)
			if (idx[k] >= 0 && *csv_field(c, idx[k]))
				vn_name_model_add(m, csv_field(c, idx[k]), 1);
	csv_close(c);
	return rc;
}

/* A list of names, one per line, optionally followed by a tab and a count. */
static int names_from_list(const char *path, struct vn_name_model *m, herr *e)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return herr_set(e, HT_EXIT_USAGE, "could not open \"%s\": %s", path,
				strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		char *tab = strchr(line, '\t');
		long cnt = 1;

		line[strcspn(line, "\r\n")] = '\0';
		if (tab) {
			*tab = '\0';
			if (parse_int(tab + 1, 1, 1000000000, &cnt) < 0)
				cnt = 1;
		}
		vn_name_model_add(m, line, (unsigned)cnt);
	}
	free(line);
	fclose(f);
	return 0;
}

int cmd_ocr(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
					      { "registry", required_argument, NULL, 'r' },
					      { "names", required_argument, NULL, 'N' },
					      { "max-pixels", required_argument, NULL, 'p' },
					      { "dpi", required_argument, NULL, 'D' },
					      { "deadline", required_argument, NULL, 'd' },
					      { "tessdata", required_argument, NULL, 't' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct ocr_options o;
	struct ocr_engine *eng = NULL;
	struct vn_name_model *names = NULL;
	int c, json = 0, failed = 0, i;
	long v;
	herr e = { 0 };

	(void)g;
	ocr_options_init(&o);
	while ((c = cmd_getopt(argc, argv, "ocr", NULL, opts, ocr_usage)) > 0) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'r':
		case 'N':
			if (!names)
				names = vn_name_model_new();
			if ((c == 'r' ? names_from_registry : names_from_list)(optarg, names, &e) <
			    0) {
				vn_name_model_free(names);
				return usage_error("ocr", "%s", e.msg);
			}
			break;
		case 'p':
			if (parse_int(optarg, 1000, 2000000000L, &v) < 0)
				return usage_error("ocr",
						   "--max-pixels must be a number of pixels");
			o.max_pixels = v;
			break;
		case 'D':
			if (parse_int(optarg, 30, 2400, &v) < 0)
				return usage_error("ocr",
						   "--dpi must be a resolution of 30 to 2400");
			o.dpi = (int)v;
			break;
		case 'd':
			if (parse_int(optarg, 0, 3600000, &v) < 0)
				return usage_error("ocr", "--deadline must be milliseconds");
			o.page_deadline_ms = (int)v;
			break;
		case 't':
			o.tessdata = optarg;
			break;
		}
	}
	if (c != -1) {
		vn_name_model_free(names);
		return cmd_opt_exit(c);
	}
	if (optind >= argc) {
		vn_name_model_free(names);
		return usage_error("ocr", "no scan given");
	}
	o.names = names;
	eng = ocr_engine_new(&o, &e);
	if (!eng) {
		vn_name_model_free(names);
		return log_herr(&e);
	}
	for (i = optind; i < argc; i++) {
		struct ocr_file *f = ocr_file_open(argv[i], &o, &e);
		int p;

		if (!f) {
			log_error("%s", e.msg);
			failed++;
			continue;
		}
		if (ocr_file_warning(f)) {
			log_warning("%s: %s", argv[i], ocr_file_warning(f));
			failed++;
		}
		for (p = 1; p <= ocr_file_pages(f); p++) {
			struct ocr_page page;
			strbuf out = STRBUF_INIT;

			herr_clear(&e);
			if (ocr_read_page(eng, f, p, &page, &e) < 0) {
				log_error("%s", e.msg);
				failed++;
				continue;
			}
			if (json) {
				ocr_page_json(&page, argv[i], ocr_file_sha256(f), &out);
			} else {
				strbuf when = STRBUF_INIT;

				strbuf_addf(
				    &when,
				    "%ld ms (decode %ld, preprocess %ld, Tesseract %ld in %d "
				    "calls)",
				    page.ms, page.ms_decode, page.ms_prep, page.ms_tess,
				    page.tess_calls);
				if (!page.nrec)
					strbuf_addf(&out, "%s\tpage %d\tunknown\t\t%s\n", argv[i],
						    p, when.buf);
				for (int r = 0; r < page.nrec; r++) {
					int nrev = 0;

					for (int k = 0; k < page.rec[r].nfields; k++)
						nrev += page.rec[r].fields[k].review;
					strbuf_addf(
					    &out, "%s\tpage %d\t%s\t%d fields, %d to review\t%s\n",
					    argv[i], p, page.rec[r].doc_type, page.rec[r].nfields,
					    nrev, when.buf);
				}
				strbuf_release(&when);
			}
			fwrite(out.buf, 1, out.len, stdout);
			fflush(stdout);
			strbuf_release(&out);
			ocr_page_release(&page);
		}
		ocr_file_close(f);
	}
	ocr_engine_free(eng);
	vn_name_model_free(names);
	return failed ? HT_EXIT_PARTIAL : HT_EXIT_OK;
}
