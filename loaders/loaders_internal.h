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
PGresult *db_params(PGconn *conn, const char *sql, int n, const char *const *v, int want, herr *e);

/* db_rows_take: the text of `res` into *out (NULL res: empty rows); res
 * cleared. */
void db_rows_take(PGresult *res, struct db_rows *out);
/* db_rows_query: db_params' answer (PGRES_TUPLES_OK) as rows; -1 on failure. */
int db_rows_query(PGconn *conn, const char *sql, int n, const char *const *v, struct db_rows *out,
		  herr *e);

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

/* db_rollback: ROLLBACK, its failure ignored (a fail: path's end). */
int db_rollback(PGconn *conn);
/* db_col_long: a cell as a number (0 when NULL). */
long db_col_long(const PGresult *res, int row, int col);

/* db_held_item: the item a user holds, by `sql` (SELECT kind letter, id):
 * 1 with *kind and *id, 0 none, -1 with `e` set. */
int db_held_item(PGconn *conn, const char *sql, int n, const char *const *v, char *kind, long *id,
		 herr *e);

/*
 * db_claim_next: in one transaction, the first waiting item of two work
 * queues, the older batch first (the first queue's on a tie), leased to
 * `user` for `lease_s` seconds.  next[i]: SELECT id, batch_id ... LIMIT 1
 * FOR UPDATE SKIP LOCKED, with $1 the user and $2 the office (or NULL);
 * claim[i]: the UPDATE that leases it, with $1 the user, $2 the seconds and
 * $3 the id.  *kind is kind[i] of the queue it came from.  1 found, 0 none,
 * -1 with `e` set (rolled back).
 */
struct db_two_queues {
	const char *next[2];
	const char *claim[2];
	char kind[2];
};
int db_claim_next(PGconn *conn, const struct db_two_queues *qs, const char *user,
		  const char *office, int lease_s, char *kind, long *id, herr *e);

/* search_backfill (search.c): the parents' folded keys of the rows loaded
 * before schema v8, in the caller's transaction (the migration's). */
int search_backfill(PGconn *conn, herr *e);
/*
 * batch_people_rows: the people of a record (its doc_type's roles, from its
 * fields, a JSON object of the contract) as COPY rows of record_people
 * (record_id, role, full_name, name_key, dob, sex, id_number, cmnd_number,
 * birthplace, birth_province, birth_province_now, father_name,
 * mother_name, father_key, mother_key), appended to `rows` (batch.c; keying.c stores a keyed
 * record's people the same way).
 */
typedef struct json_t json_t;
void batch_people_rows(strbuf *rows, const char *record_id, const char *doc_type, json_t *fields);

#endif
