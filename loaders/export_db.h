/*
 * export_db.h — what `hotich export` and the web application's download of
 * a register book read from and keep in PostgreSQL (export.c).  The
 * connection is an opaque handle here: export/ includes this header, not
 * libpq's, and reaches the database only through these functions.
 */
#ifndef HOTICH_EXPORT_DB_H
#define HOTICH_EXPORT_DB_H

#include <stddef.h>

#include "../common/common.h"

/* libpq's handle, declared as libpq-fe.h declares it (C11 allows the
 * same typedef twice). */
typedef struct pg_conn PGconn;

/* Which records: NULL members mean any.  `doc_types` (required) are the
 * types that have an export template. */
struct export_filter {
	const char *office; /* exact registry_office */
	const char *book;   /* the register book; leading zeros ignored ("5" is "05") */
	const char *batch;  /* the name of the batch that loaded the record's file */
	const char *const *doc_types;
	size_t n_doc_types;
};

/* One record as the export reads it; every string owned (NULL when the
 * database has none). */
struct export_item {
	long record_id;
	char *record_ref, *doc_type, *office;
	char *book; /* as read on the page, else the inventory's one book */
	int book_from_inventory;
	char *register_no, *registered_on;
	char *fields; /* records.fields: JSON object of {value, conf, review, bbox, why} */
	int n_review; /* fields flagged and not yet decided */
	char *people; /* JSON array of {role, status (or null), citizen (or null)} */
	char *path, *file_sha256;
	int page_no, rotation, dpi, page_width;
	int on_page, rec_index;		  /* records on the page (2: an A3 spread), and which */
	char *first_sha256, *last_sha256; /* of the row as delivered before, or NULL */
	char *first_at;			  /* when first delivered, dd/mm/yyyy */
};

/*
 * export_items_load: the records of `f`, in order of record_id.  Release
 * with export_items_release.
 */
int export_items_load(PGconn *conn, const struct export_filter *f, struct export_item **items,
		      size_t *n, herr *e);
void export_items_release(struct export_item *items, size_t n);

/* The register books of `f` with their counts (unordered). */
struct export_book_row {
	char *office, *doc_type, *book; /* owned; book NULL when unknown */
	long records, exported, corrected;
};
int export_books_load(PGconn *conn, const struct export_filter *f, struct export_book_row **rows,
		      size_t *n, herr *e);
void export_books_free(struct export_book_row *rows, size_t n);

/* export_offices: every registry office of the records (malloc'd strings
 * in a malloc'd array; free each, then the array). */
int export_offices(PGconn *conn, char ***offices, size_t *n, herr *e);

/* export_log_begin: an export asked for by `by` ("cli" or "web"); its id. */
int export_log_begin(PGconn *conn, const char *by, const char *via, const char *request_json,
		     long *export_id, herr *e);

/* A record delivered by an export: the SHA-256 of its row. */
struct export_delivered {
	long record_id;
	const char *template_name;
	char sha256[65];
};

/*
 * export_log_finish: in one transaction, the state of the records
 * delivered (the first delivery's hash kept, the last's replaced) and the
 * export's summary.
 */
int export_log_finish(PGconn *conn, long export_id, const char *summary_json,
		      const struct export_delivered *d, size_t n, herr *e);

/* export_counts: records delivered at least once, and of them those whose
 * last row differs from their first (corrections), in `office` (NULL: all). */
int export_counts(PGconn *conn, const char *office, long *exported, long *corrected, herr *e);

/* The last exports, newest first: who, from where, what was asked and what
 * came out (for the audit page). */
struct export_log_row {
	long export_id;
	char *started_epoch;		    /* seconds since 1970, as text */
	char *by, *via, *request, *summary; /* request and summary: JSON text ("" when none) */
};
int export_log_recent(PGconn *conn, int limit, struct export_log_row **rows, size_t *n, herr *e);
void export_log_free(struct export_log_row *rows, size_t n);

#endif
