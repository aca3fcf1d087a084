/*
 * loaders_internal.h — what the files of loaders/ share and nobody else
 * may use.
 */
#ifndef HOTICH_LOADERS_INTERNAL_H
#define HOTICH_LOADERS_INTERNAL_H

#include "loaders.h"

/* One numbered migration, embedded from loaders/migrations/NNNN_name.sql. */
struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* In version order, 1..count (generated at build time). */
extern const struct migration db_migrations[];
extern const int db_migrations_count;

/*
 * db_result_error: `e` from a failed result (or the connection when `res`
 * is NULL) with the first line of the SQL; clears `res`; returns -1.
 */
int db_result_error(PGconn *conn, PGresult *res, const char *sql, herr *e);

/*
 * db_params: run `sql` with text parameters (NULL is SQL NULL); the result
 * (caller clears) or NULL with `e` set.  `want` is PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK.
 */
PGresult *db_params(PGconn *conn, const char *sql, int n, const char *const *v, int want,
		    herr *e);

/* db_rows_take: the text of `res` into *out (NULL res: empty rows); res
 * cleared. */
void db_rows_take(PGresult *res, struct db_rows *out);
/* db_rows_query: db_params' answer (PGRES_TUPLES_OK) as rows; -1 on failure. */
int db_rows_query(PGconn *conn, const char *sql, int n, const char *const *v,
		  struct db_rows *out, herr *e);

/* A numeric column of a result (0 when NULL or not a number). */
long db_long(const PGresult *res, int row, int col);

/* COPY text format: one field appended, escaped (NULL when v is NULL). */
void db_copy_field(strbuf *row, const char *v, int last);
/* Start `copy_sql` (a COPY ... FROM STDIN); the server must be ready for rows. */
int db_copy_begin(PGconn *conn, const char *copy_sql, herr *e);
/* Send a buffer of COPY rows; end the COPY and check its result. */
int db_copy_send(PGconn *conn, strbuf *rows, herr *e);
int db_copy_end(PGconn *conn, const char *what, herr *e);
/* Abandon a COPY in progress: end it with `why` as its error (the server
 * fails the statement) and drain its results, so that the connection is
 * out of COPY state before the caller's ROLLBACK. */
void db_copy_abort(PGconn *conn, const char *why);
/* The whole COPY: start `copy_sql` (a COPY ... FROM STDIN), send `rows`
 * (reset after), end it and check its result. */
int db_copy_rows(PGconn *conn, const char *copy_sql, strbuf *rows, const char *what, herr *e);

#endif
