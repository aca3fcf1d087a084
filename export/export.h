/*
 * export.h — the hand-over of a province's digitized registers: per
 * register book, one searchable PDF per case, the cases' rows in the
 * national import template (XLSX and CSV), a validation report of the
 * records held back, and a manifest with the SHA-256 of every file
 * (`hotich export`, and the web application's download of a book).
 *
 *   export_templates_load  the export templates (export/templates/ (.tpl and
 *                          their code lists .map, built into the binary),
 *                          checked: a bad file is an error naming its file
 *                          and line
 *   export_run             select, validate, write; repeatable (the same
 *                          request gives the same bytes; a PDF whose inputs
 *                          did not change is not written again); the state
 *                          of what was delivered kept in the database so
 *                          that a record corrected later is marked so
 *   export_book_archive    a book's folder as one ZIP archive
 *
 * The database is reached only through loaders/.
 */
#ifndef HOTICH_EXPORT_H
#define HOTICH_EXPORT_H

#include "../common/common.h"
#include "../loaders/export_db.h"

/* ------------------------------------------------------------------------
 * Templates
 * ---------------------------------------------------------------------- */

struct export_templates;

/*
 * export_templates_load: the built-in templates, parsed and checked once;
 * NULL with `e` naming the file and line of the first error.  The result
 * is owned by the module (never freed by the caller).
 */
const struct export_templates *export_templates_load(herr *e);

/*
 * export_templates_parse: templates from texts (`names[i]` the file name
 * for messages, ending in .tpl or .map); for tests and for checking a
 * province's file.  Free with export_templates_free.
 */
struct export_templates *export_templates_parse(const char *const *names, const char *const *texts,
						size_t n, herr *e);
void export_templates_free(struct export_templates *t);

/* export_templates_read: the .tpl and .map files of the folder `dir`,
 * parsed and checked as the built-in ones.  Free with export_templates_free. */
struct export_templates *export_templates_read(const char *dir, herr *e);

/* The document types that have a template, sorted; *types points into `t`. */
size_t export_template_types(const struct export_templates *t, const char *const **types);

/* ------------------------------------------------------------------------
 * Cases: one record through its template
 * ---------------------------------------------------------------------- */

/* A reason a record is held back: Vietnamese first, English second. */
struct export_reason {
	char *vi, *en;
};

struct export_case {
	char **cells; /* the template's columns, formatted (owned; "" when empty) */
	size_t ncells;
	struct export_reason *reasons; /* why the record is held back (none: it goes out) */
	size_t nreasons;
	char sha256[65]; /* of the cells, the row as delivered */
};

/*
 * export_case_build: the row of record `it` in the template of its
 * document type and the reasons to hold it back (a field flagged and not
 * decided, a required column empty, a value the template cannot write, a
 * person neither linked nor decided by a reviewer).  -1 when the document
 * type has no template.  Release with export_case_release.
 */
int export_case_build(const struct export_templates *t, const struct export_item *it,
		      struct export_case *c, herr *e);
void export_case_release(struct export_case *c);

/* The column names of a document type's template (NULL when it has none). */
size_t export_template_columns(const struct export_templates *t, const char *doc_type,
			       const char *const **names);

/* ------------------------------------------------------------------------
 * Export
 * ---------------------------------------------------------------------- */

struct export_request {
	const char *office;   /* the office (exact, or a unique beginning of its folded name) */
	const char *book;     /* a register book */
	const char *batch;    /* a batch name */
	const char *doc_type; /* one document type */
	int all;	      /* every record, those that fail the checks too */
	int exact_office;     /* the office as given, not resolved (the web application) */
	const char *out_dir;
	const char
	    *templates_dir; /* a province's templates (*.tpl, *.map) instead of the built-in ones */
	const char *by;	    /* who asked: the OS user or the web user */
	const char *via;    /* "cli" or "web" */
};

struct export_stats {
	long books, records, exported, held_back, corrections, failed;
	long pdf_written, pdf_unchanged, pdf_pages;
	long files_written, files_unchanged;
	long skipped_no_template; /* records of types without a template */
	double seconds, seconds_pdf;
	char **book_dirs; /* the books' folders, relative to out_dir (owned) */
	size_t nbook_dirs;
};

void export_stats_release(struct export_stats *st);

/*
 * export_run: export the books of `rq` into rq->out_dir:
 *   OUT/<office>/<type>-quyen-<book>/  one PDF per case, <type>.xlsx (the
 *   cases, then the validation report), <type>.csv, kiem-tra.csv (the
 *   validation report), manifest.json and SHA256SUMS
 *   OUT/manifest.json                   the books of this export
 * Every file is written to a temporary name and renamed, and only when its
 * bytes changed.  Returns 0 (some records may be held back: that is the
 * checks working), or -1 with `e`: HT_EXIT_USAGE for a request that names
 * nothing that exists, HT_EXIT_PARTIAL when a scan could not be read
 * (the rest was exported; st->failed counts them), HT_EXIT_FATAL when the
 * database or the disk fails.
 */
int export_run(PGconn *conn, const struct export_request *rq, struct export_stats *st, herr *e);

/* The books that can be exported, in `office` (NULL: every office). */
int export_books_list(PGconn *conn, const char *office, struct export_book_row **rows, size_t *n,
		      herr *e);

/* The folder name of a book, relative to the export root:
 * "xa-co-ba-huyen-bao-lac-tinh-cao-bang/khai_sinh-quyen-05". */
void export_book_dir(const char *office, const char *doc_type, const char *book, strbuf *out);

/*
 * export_book_archive: the files of the folder `dir` (not its
 * subfolders), sorted, into a ZIP archive written to `fd`, each under
 * "<prefix>/<name>", with a fixed time (the same folder gives the same
 * bytes).  -1 with `e` on failure.
 */
int export_book_archive(const char *dir, const char *prefix, int fd, herr *e);

#endif
