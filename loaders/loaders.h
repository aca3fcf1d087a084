/*
 * loaders.h — the PostgreSQL side of hotich: where the database is (the
 * connection rules of the contract), the project-local cluster under
 * ./var/pg, and the schema and its migrations.
 *
 * Only pipeline/ and web/ include this header: ocr/, match/ and normalize/
 * never touch the database.
 *
 * Every function returns 0 (or a valid pointer) on success and -1 (or NULL)
 * on failure with `e` filled; a database that cannot be reached or a schema
 * that does not fit sets HT_EXIT_FATAL.
 */
#ifndef HOTICH_LOADERS_H
#define HOTICH_LOADERS_H

#include <sys/types.h>

#include <libpq-fe.h>

#include "../common/common.h"
#include "../normalize/normalize.h"

/* ------------------------------------------------------------------------
 * Where the database is
 * ---------------------------------------------------------------------- */

enum db_source {
	DB_SOURCE_OPTION,  /* --db CONNINFO */
	DB_SOURCE_URL_ENV, /* $DATABASE_URL */
	DB_SOURCE_PG_ENV,  /* libpq's PG* variables (PGHOST or PGDATABASE set) */
	DB_SOURCE_LOCAL	   /* the project-local cluster under <home>/var/pg */
};

struct db_target {
	enum db_source source;
	char *conninfo; /* owned; may hold a password: never print it */
	char *var_dir;	/* owned; absolute <home>/var */
};

/*
 * db_target_resolve: apply the contract's order: `opt_db` (the --db value,
 * may be NULL), then $DATABASE_URL, then PG* variables, then the local
 * cluster under $HOTICH_HOME/var (default: the current directory's var/).
 * Release with db_target_release.
 */
int db_target_resolve(struct db_target *t, const char *opt_db, herr *e);
void db_target_release(struct db_target *t);

/* db_source_name: "--db", "DATABASE_URL", "PG* environment", "local cluster" */
const char *db_source_name(enum db_source source);

enum db_open_flags {
	DB_OPEN_START_LOCAL = 1 << 0,  /* start (and initdb) the local cluster */
	DB_OPEN_CHECK_SCHEMA = 1 << 1, /* schema must be this binary's version */
	DB_OPEN_MIGRATE_LOCAL = 1 << 2 /* bring the local cluster's schema up */
};

/*
 * db_open: connect to `t` with flags from db_open_flags.  The connection
 * uses client_encoding UTF8 and application_name "hotich".  Returns the
 * connection (caller frees it with PQfinish) or NULL.
 */
PGconn *db_open(const struct db_target *t, unsigned flags, herr *e);

/* db_close: end the connection of db_open (NULL: nothing to do). */
void db_close(PGconn *conn);

/* db_as_web: the connection takes the database role hotich_web (schema v2),
 * which holds only the rights the web application uses. */
int db_as_web(PGconn *conn, herr *e);

/* db_alive: the connection is still open and usable (1) or broken (0). */
int db_alive(PGconn *conn);
/* db_idle: bring a connection out of any transaction a failed caller left
 * open (ROLLBACK); 0 when it is idle again, -1 when it must be closed. */
int db_idle(PGconn *conn);

/* db_server_version: the server's version as PostgreSQL numbers it (170002);
 * db_client_version: libpq's. */
int db_server_version(PGconn *conn);
int db_client_version(void);

/* db_contents: what the database holds, for `hotich db status`. */
struct db_contents {
	long batches, files, rejected_files, pages, records, citizens, matches, users;
};
int db_contents(PGconn *conn, struct db_contents *out, herr *e);

/*
 * db_describe: "database hotich on /path/var/pg:5432 as hotich" for
 * messages.  Built from the live connection, so it never contains a
 * password.
 */
void db_describe(PGconn *conn, strbuf *out);

/*
 * db_exec: run SQL without parameters (DDL, BEGIN/COMMIT); db_query_value:
 * run `sql` with text parameters and copy the first column of the first row
 * into `out` (empty when there is no row or the value is NULL; returns 1
 * when a row with a non-NULL value came back, 0 otherwise).  Failures log
 * the SQL's first line in the message.
 */
int db_exec(PGconn *conn, const char *sql, herr *e);
int db_query_value(PGconn *conn, const char *sql, int nparams, const char *const *params,
		   strbuf *out, herr *e);

/*
 * A query's answer as text, copied out of the database layer for the
 * callers that lay it out (web/): n rows of ncols columns, NULL where SQL
 * gave NULL.  db_rows_get gives "" for a NULL (as libpq does), db_rows_long
 * its leading number (0 for a NULL).  The rows own their text: db_rows_release frees it (zeroed after,
 * released twice is harmless).
 */
struct db_rows {
	int n, ncols;
	char **cell; /* n * ncols, row by row */
};
const char *db_rows_get(const struct db_rows *r, int row, int col);
int db_rows_isnull(const struct db_rows *r, int row, int col);
long db_rows_long(const struct db_rows *r, int row, int col);
void db_rows_release(struct db_rows *r);

/* ------------------------------------------------------------------------
 * The project-local cluster (<home>/var/pg)
 * ---------------------------------------------------------------------- */

struct pg_cluster {
	char *dir;	/* <var>/pg: socket directory and logs */
	char *datadir;	/* <var>/pg/data */
	char *logfile;	/* <var>/pg/postgres.log */
	char *bindir;	/* PostgreSQL server binaries (initdb, pg_ctl) */
	char *run_user; /* unprivileged owner when hotich runs as root */
	uid_t run_uid;
	gid_t run_gid;
	int drop_privileges; /* 1 when running as root */
};

struct db_cluster_state {
	int initialized; /* data directory exists with PG_VERSION */
	int running;	 /* postmaster answers */
	long pid;
	int port;
	char version[16]; /* PG_VERSION of the data directory */
	char listen[256]; /* listen_addresses; "" for socket only */
};

/*
 * db_cluster_init: resolve the paths and the server binaries for the
 * cluster under `var_dir` (nothing is created).  The binaries come from
 * $HOTICH_PG_BINDIR, then `initdb` on PATH, then the newest
 * /usr/lib/postgresql/N/bin (or the one matching an existing data
 * directory).  As root, the cluster is owned and run by $HOTICH_PG_USER
 * (default "postgres"), since PostgreSQL refuses to run as root.
 */
int db_cluster_init(struct pg_cluster *c, const char *var_dir, herr *e);
void db_cluster_release(struct pg_cluster *c);

int db_cluster_state(const struct pg_cluster *c, struct db_cluster_state *st, herr *e);

/*
 * db_cluster_start: initdb (UTF-8, trust on the private unix socket) when
 * the data directory does not exist, then start the server if it is not
 * running, with the socket in c->dir and no TCP listener unless `listen`
 * ("ADDR" or "ADDR:PORT") is given; then create the database "hotich".
 * *started is set to 1 when the server was started by this call.
 */
int db_cluster_start(const struct pg_cluster *c, const char *listen, int *started, herr *e);

/* db_cluster_stop: fast shutdown; *stopped is 0 when it was not running. */
int db_cluster_stop(const struct pg_cluster *c, int *stopped, herr *e);

/* db_cluster_conninfo: malloc'd conninfo for database `dbname` on `port`. */
char *db_cluster_conninfo(const struct pg_cluster *c, int port, const char *dbname);

/* ------------------------------------------------------------------------
 * Schema and migrations
 * ---------------------------------------------------------------------- */

/* schema_binary_version: the newest migration built into this binary. */
int schema_binary_version(void);

/*
 * schema_version: the version recorded in the database (0 when hotich's
 * schema was never created there).
 */
int schema_version(PGconn *conn, int *version, herr *e);

/*
 * schema_migrate: apply every migration newer than the database's, each in
 * its own transaction under an advisory lock, recording it in
 * schema_version.  Refuses (HT_EXIT_FATAL) a schema newer than the binary
 * and a database whose applied migrations differ from the binary's text.
 * *from and *to (may be NULL) receive the versions before and after.
 */
int schema_migrate(PGconn *conn, int *from, int *to, herr *e);

/* schema_check: fail unless the database is at schema_binary_version(). */
int schema_check(PGconn *conn, herr *e);

/* ------------------------------------------------------------------------
 * The citizen registry and the inventory (citizens.c)
 * ---------------------------------------------------------------------- */

struct import_stats {
	long rows;     /* data rows read */
	long inserted; /* new citizens */
	long updated;  /* citizens whose values changed */
	long unchanged;
	long rejected; /* bad rows (in the reject report) */
	enum vn_encoding encoding;
	double seconds;
};

/*
 * citizens_import: stream a registry CSV (the contract's columns) into the
 * citizens table: each row decoded (`enc`, or detected with VN_ENC_AUTO)
 * and normalized, bad rows (wrong column count, bad ID structure, no name,
 * impossible date, unknown sex) written to `rejects` as
 * "line,id_number,reason" and skipped; good rows COPY'd into a staging
 * table and upserted by id_number in one transaction (a row seen twice:
 * the last wins).  `dry_run` rolls back.  A second import of the same file
 * changes nothing.
 */
int citizens_import(PGconn *conn, const char *path, enum vn_encoding enc, int dry_run,
		    FILE *rejects, struct import_stats *st, herr *e);

/* citizens_count: how many citizens the database holds. */
int citizens_count(PGconn *conn, long *n, herr *e);

/* citizens_names: the citizens' and their parents' names into a name model. */
int citizens_names(PGconn *conn, struct vn_name_model *m, herr *e);

/* citizens_to_registry: every citizen into a match registry (COPY out). */
struct match_registry;
int citizens_to_registry(PGconn *conn, struct match_registry *r, herr *e);

/*
 * citizens_inventory_import: registry_office,doc_type,book_no,year,entries (office
 * names normalized as places), upserted; bad rows to `rejects`.
 */
int citizens_inventory_import(PGconn *conn, const char *path, FILE *rejects,
			      struct import_stats *st, herr *e);

/* ------------------------------------------------------------------------
 * The batch: files, the page queue, results (batch.c)
 * ---------------------------------------------------------------------- */

/*
 * A batch is open while its pages are read, `matching` once they are and
 * its people wait for matching (no registry yet, or a run stopped in
 * between), and done when its matches are stored: a run finishes every
 * batch left open before its own.
 */

/*
 * batch_start: the batch named `name` started (created, or reopened with these
 * options: its "dpi", when given, is every page's resolution, read by
 * batch_job_claim for whichever worker reads the page).
 */
int batch_start(PGconn *conn, const char *name, const char *office, const char *options_json,
		long *batch_id, herr *e);
/* batch_set_summary: the summary of the batch's last run (durably: the
 * batch's closing commit). */
int batch_set_summary(PGconn *conn, long batch_id, const char *summary_json, herr *e);
/* batch_find: the id of a batch by name; 0 when none. */
int batch_find(PGconn *conn, const char *name, long *batch_id, herr *e);
/* batch_set_matching: an open batch whose pages are all read. */
int batch_set_matching(PGconn *conn, long batch_id, herr *e);

/*
 * batch_hold: this session runs the batch (a shared advisory lock, held
 * until the connection ends: several runs of one batch may hold it).
 * batch_take_over: *got is 1 when no live run holds the batch, which this
 * session then holds alone until its connection ends: it may finish it.
 */
int batch_hold(PGconn *conn, long batch_id, herr *e);
int batch_take_over(PGconn *conn, long batch_id, int *got, herr *e);

/* batch_unfinished: the batches not done but `except`, oldest first. */
struct batch_ref {
	long batch_id;
	char *name;
};
int batch_unfinished(PGconn *conn, long except, struct batch_ref **v, size_t *n, herr *e);
void batch_refs_free(struct batch_ref *v, size_t n);

enum batch_file_state {
	FILE_NEW,
	FILE_PENDING,
	FILE_LOADED,
	FILE_REJECTED
};

/*
 * batch_file_state: what the database knows of a file's bytes; *file_id and
 * *batch_id (the batch that registered it) when known, else 0.
 */
int batch_file_state(PGconn *conn, const char *sha256, long *file_id, long *batch_id,
		     enum batch_file_state *state, herr *e);

/*
 * batch_file_register: a readable file and its pages as jobs, in one
 * transaction; a file already registered (same bytes, by a run at the same
 * time) keeps its row.  *owner: the batch the file is registered in.
 */
int batch_file_register(PGconn *conn, long batch_id, const char *sha256, const char *path,
			long size, const char *format, int pages, const char *office, long *file_id,
			long *owner, herr *e);
/* batch_file_reject: a file that cannot be read, with the reason. */
int batch_file_reject(PGconn *conn, long batch_id, const char *sha256, const char *path, long size,
		      const char *office, const char *reason, herr *e);
/* batch_file_set_path: after --move-rejected. */
int batch_file_set_path(PGconn *conn, const char *sha256, const char *path, herr *e);

struct page_job {
	long file_id;
	int page_no;
	int attempts;
	char *path;
	char *sha256;
	char *office; /* the file's registry office (--office), or NULL */
	int dpi;      /* the batch's resolution (hotich run --dpi), 0: from the text */
};

void batch_page_job_release(struct page_job *j);

/*
 * batch_job_claim: the next page to read (pending, or running under a lease that
 * expired) for `worker`, leased for `lease_s` seconds.  Returns 1 with *j
 * filled, 0 when there is none.  A page that has been claimed `max_tries`
 * times already is marked failed instead.
 */
int batch_job_claim(PGconn *conn, const char *worker, int lease_s, int max_tries,
		    struct page_job *j, herr *e);

/*
 * batch_job_release_dead: pages leased by workers of this host ("host:pid") whose
 * process is gone are made claimable at once (not at the lease's end), with
 * their count of attempts reset: called when a run starts, so that kills of
 * whole runs do not add up to "this page brings workers down".
 */
int batch_job_release_dead(PGconn *conn, const char *host, herr *e);
/*
 * batch_job_release_worker: the page a worker ("host:pid") held when it died
 * is claimable at once, its count of attempts kept (a page that brings
 * every worker down is set aside after its tries).  Returns the number of
 * pages given back (0 or 1), -1 on error.
 */
int batch_job_release_worker(PGconn *conn, const char *worker, herr *e);

/*
 * batch_job_retry_abandoned: pages set aside because their worker died each time
 * (max_tries) become pending again, with *n their number: a new run is the
 * operator's signal to try once more (a page that really stops workers is
 * set aside again after max_tries; a batch killed repeatedly from outside
 * still finishes).
 */
int batch_job_retry_abandoned(PGconn *conn, long *n, herr *e);

/* batch_job_fail: a page that cannot be read (undecodable), with the reason. */
int batch_job_fail(PGconn *conn, const struct page_job *j, const char *error, herr *e);

/*
 * batch_page_store: a read page, its records and their people, in one
 * transaction that also marks the job done and, when it was the file's
 * last page, the file loaded.  A page stored already (a worker that lost
 * its lease, a re-run) is left as it is: every record exactly once.  Each
 * record's office is decided by office_decide from the file's office and
 * the one printed, named as `offices` (may be NULL) knows it.
 */
struct ocr_page;
struct office_index;
int batch_page_store(PGconn *conn, const struct page_job *j, const struct ocr_page *p,
		     const struct office_index *offices, herr *e);

struct batch_queue_counts {
	long files, files_loaded, files_rejected;
	long pages, pages_done, pages_failed, pages_running;
};

/* batch_queue_counts: the state of a batch's files and pages; batch_id 0: of
 * every batch not done. */
int batch_queue_counts(PGconn *conn, long batch_id, struct batch_queue_counts *c, herr *e);
/* batch_files_loaded_among: how many of the files `ids` are loaded now. */
int batch_files_loaded_among(PGconn *conn, const long *ids, size_t n, long *loaded, herr *e);
/* batch_queue_pending: pages any open batch still has to read: claimable now (pending,
 * or leased under a lease that ran out), and leased to a live worker. */
int batch_queue_pending(PGconn *conn, long *pending, long *running, herr *e);

/* ------------------------------------------------------------------------
 * Matches (batch.c)
 * ---------------------------------------------------------------------- */

/*
 * batch_people_for_matching: the people of a batch's records (batch_id > 0), or
 * of every record with a person not linked (batch_id 0, --unlinked), or of
 * every record (batch_id < 0): record ids and roles in *ids (two longs
 * each... see struct), queries filled (strings owned by *store).
 */
struct match_query;
struct people_set {
	struct match_query *q;
	long *record_id;
	char **strings;
	size_t n, nstrings;
};
int batch_people_for_matching(PGconn *conn, long batch_id, struct people_set *ps, herr *e);
void batch_people_set_release(struct people_set *ps);

/*
 * batch_matches_store: the model and one match per person (`res`, with what the
 * match stage says of it in `js`: match_results_json), upserted by (record,
 * role), in one transaction; a reviewer's decision (confirmed, rejected)
 * is never replaced.  *kept counts the people whose decision stood.  With
 * `close`, the batch is done in the same transaction (unless a page of it
 * is still to be read): a batch is complete only with its matches.
 */
struct match_model;
struct match_result;
struct match_json;
int batch_matches_store(PGconn *conn, long batch_id, const struct match_model *m,
			const struct match_registry *r, const struct people_set *ps,
			const struct match_result *res, const struct match_json *js, int close,
			long *kept, herr *e);

/* ------------------------------------------------------------------------
 * Offices (office.c): a record's registration office as a real unit
 * ---------------------------------------------------------------------- */

/*
 * The known offices: the inventory's (and those given to runs for their
 * scans), each under the key of its unit, so that any spelling of a unit
 * is named as the inventory names it; their provinces are the context in
 * which a print cut before its province is read.
 */
struct office_index;
struct office_index *office_index_new(void);
void office_index_free(struct office_index *x);
/* office_index_load: the inventory's offices, then the runs' offices. */
int office_index_load(PGconn *conn, struct office_index *x, herr *e);
/* office_index_add: one more known office (ignored unless it is a unit). */
void office_index_add(struct office_index *x, const char *name);

/*
 * An office resolved: `key` identifies its unit (two spellings of one
 * unit, with or without their district, have one key), `name` is how the
 * index names it (else the canonical text of the place), `province` its
 * province as printed ("Tỉnh Cao Bằng"; NULL for an office that is no
 * unit).  Owned; office_unit_release frees them.
 */
struct office_unit {
	char *key, *name, *province;
};
void office_unit_release(struct office_unit *u);

/*
 * office_resolve: the unit `text` (a place, as printed or normalized)
 * names when it is a registration office: a commune, ward or township
 * (before July 2025, at some date, or a unit since) recognized under its
 * province with nothing astray and no doubt between units (vn_place_parse).
 * A text without its province is tried with the province `context` (may
 * be NULL) and the provinces of the index's offices, and without its last
 * part (cut short), and taken when exactly one unit fits.  Returns 1 with
 * *u filled, 0 when the text names no office.
 */
int office_resolve(const struct office_index *x, const char *text, const char *context,
		   struct office_unit *u);

/*
 * office_source: an office given by the operator (--office, a folder's
 * office): its unit when it is one, else the text itself, normalized (a
 * justice office of a district or province).  0 when `given` is empty.
 */
int office_source(const struct office_index *x, const char *given, struct office_unit *u);

enum office_verdict {
	OFFICE_FROM_SOURCE, /* the scans' office; the print agrees or says nothing */
	OFFICE_PRINTED,	    /* no office for the scans: the print's unit */
	OFFICE_DIFFERS,	    /* the scans' office, but the print names another unit */
	OFFICE_UNKNOWN	    /* neither */
};

/*
 * office_decide: a record's office from the office of its scans (`source`,
 * may be NULL) and the office printed on it (`printed`, may be NULL).
 * *office (malloc'd) is the office's name, NULL when unknown;
 * *printed_office (may be NULL; malloc'd or NULL) the printed unit's name.
 */
enum office_verdict office_decide(const struct office_index *x, const char *source,
				  const char *printed, char **office, char **printed_office);

/*
 * Folders to offices: "folder,registry_office" rows (`hotich run
 * --offices FILE`) and the inventory's folder column.  A scan belongs to
 * the office of the deepest folder that its path runs through: a relative
 * folder ("xa-chu-trinh" or "xa-chu-trinh/quyen-03") matches whole path
 * components anywhere in the path, an absolute one from the root.
 */
struct office_map;
struct office_map *office_map_new(void);
void office_map_free(struct office_map *m);
/* office_map_add: one folder; a folder given two offices is an error. */
int office_map_add(struct office_map *m, const char *folder, const char *office, herr *e);
/* office_map_read: a CSV with the columns folder and registry_office. */
int office_map_read(struct office_map *m, const char *path, herr *e);
/* office_map_load_inventory: the folders of the inventory's rows. */
int office_map_load_inventory(PGconn *conn, struct office_map *m, herr *e);
/* office_map_lookup: the office of a scan's path, or NULL. */
const char *office_map_lookup(const struct office_map *m, const char *path);

/* ------------------------------------------------------------------------
 * Progress report (report.c)
 * ---------------------------------------------------------------------- */

/* REPORT_BY_PROVINCE: the provinces since 1 July 2025, the offices' places
 * resolved and summed (a province merged in 2025 has one row) */
enum report_by {
	REPORT_BY_OFFICE,
	REPORT_BY_DOC_TYPE,
	REPORT_BY_YEAR,
	REPORT_BY_BATCH,
	REPORT_BY_PROVINCE
};

struct report_row {
	char *group;
	long records, linked, pending_review, unmatched, rejected_files;
	long expected; /* -1: no inventory for the group */
};

/*
 * report_rows: the figures of each group.  pending_review counts the
 * records that wait for a person: a link to decide or a value to check.
 */
int report_rows(PGconn *conn, enum report_by by, struct report_row **rows, size_t *n, herr *e);
void report_rows_free(struct report_row *rows, size_t n);

/* A group's records by the day they were loaded, and how many of those
 * are linked now. */
struct report_day {
	long day; /* days since 1970-01-01 in the zone of utc_offset_s */
	long records, linked;
};

struct report_series {
	char *group;
	struct report_day *days; /* in order of day */
	size_t n;
};

/*
 * report_timeline: per office (REPORT_BY_OFFICE) or per province since
 * July 2025 (REPORT_BY_PROVINCE), the records loaded each day (days
 * counted in the zone `utc_offset_s` seconds east of UTC) and how many of
 * them are linked now; groups sorted by name.  Release with
 * report_series_free.
 */
int report_timeline(PGconn *conn, enum report_by by, int utc_offset_s, struct report_series **s,
		    size_t *n, herr *e);
void report_series_free(struct report_series *s, size_t n);

/* batch_counts_json: {"pages": {doc_type: n, ...}, "records": n} of a
 * batch, as JSON text into `out`; 1 when it came, 0 or -1 as
 * db_query_value. */
int batch_counts_json(PGconn *conn, long batch_id, strbuf *out, herr *e);

/* ------------------------------------------------------------------------
 * What the dashboard and the audit log show (report.c)
 * ---------------------------------------------------------------------- */

/* report_expected_total: the entries the inventory expects, all offices. */
int report_expected_total(PGconn *conn, long *out, herr *e);
/* report_batch_trend: per batch in order: name, start day (YYYY-MM-DD),
 * records, records linked. */
int report_batch_trend(PGconn *conn, struct db_rows *out, herr *e);
/* report_discrepancies: at most `limit` rows of record_id, doc_type,
 * registry_office, role, status, citizen_id, discrepancy, in `office`. */
int report_discrepancies(PGconn *conn, const char *office, long limit, struct db_rows *out,
			 herr *e);
/* report_audit: the last 300 decisions, newest first (of `user`, NULL:
 * everyone's): epoch, user, action, record_id, role, field, before, after,
 * doc_type, person's name, citizen before, citizen after. */
int report_audit(PGconn *conn, const char *user, struct db_rows *out, herr *e);

/* ------------------------------------------------------------------------
 * The web application's users, sessions and sign-ins (users.c)
 *
 * The web layer decides (passwords, roles, back-off, cookies); these read
 * and write, each in one statement or one transaction.  Hashes are the
 * sha256 hex of the tokens the browser holds.
 * ---------------------------------------------------------------------- */

/* users_add: a user with an Argon2id `password_hash`; `replace` sets the
 * role, password and office of an existing one and ends its sessions and
 * known browsers.  A user that exists already without `replace` is a usage
 * error. */
int users_add(PGconn *conn, const char *name, const char *role, const char *password_hash,
	      const char *office, int replace, herr *e);
/* users_disable: the account, its sessions and the review items it held. */
int users_disable(PGconn *conn, const char *name, herr *e);
int users_set_lang(PGconn *conn, int user_id, const char *lang, herr *e);

struct users_session {
	int user_id;
	char name[65];
	char role[16];
	char office[256];
	char csrf[65];
	char lang[16];
};
/* users_session_touch: the live session of `token_hash` (idle for less
 * than idle_s, younger than absolute_s, its user enabled), its last use
 * now: 1 and *out, 0 when there is none, -1 on failure. */
int users_session_touch(PGconn *conn, const char *token_hash, int idle_s, int absolute_s,
			struct users_session *out, herr *e);
int users_session_close(PGconn *conn, const char *token_hash, herr *e);
/* users_device_known: 1 when the browser of `device_hash` signed in as `name`. */
int users_device_known(PGconn *conn, const char *device_hash, const char *name, herr *e);

/* The failed sign-ins of the window: [0] of this browser, [1] of the name
 * from this client, [2] of the name from anywhere, [3] of this client; the
 * seconds since the last of each. */
struct users_failures {
	long n[4];
	double since[4];
};
typedef long (*users_wait_fn)(const struct users_failures *f, void *arg);
/* users_login_attempt: under one lock, the failures of the last window_s
 * seconds given to `wait_fn`; when it says to wait, that many seconds;
 * else 0 and the try recorded as a failure (until users_signed_in), its
 * id in `attempt`.  -1 on failure. */
long users_login_attempt(PGconn *conn, const char *name, const char *client, const char *device,
			 int window_s, users_wait_fn wait_fn, void *arg, char attempt[24], herr *e);
/* users_password: 1 and the user's id, hash and state; 0 when no such user. */
int users_password(PGconn *conn, const char *name, int *user_id, strbuf *hash, int *disabled,
		   herr *e);

struct users_signin {
	const char *token_hash; /* of the new session */
	int user_id;
	const char *csrf;
	const char *client;
	const char *new_device_hash; /* a browser seen for the first time, or NULL */
	const char *device_hash;     /* the known browser, or NULL */
	const char *attempt;	     /* of users_login_attempt */
	const char *name;
	int window_s;
};
/* users_signed_in: the session, the browser, the try forgiven, and what
 * has expired removed, in one transaction. */
int users_signed_in(PGconn *conn, const struct users_signin *s, herr *e);

/* ------------------------------------------------------------------------
 * The review pages (review.c)
 *
 * The web layer decides what a reviewer may do and lays the rows out;
 * these read and write, each in one statement or one transaction (the item
 * locked, checked, changed, and its audit row written, or nothing).
 * `office` limits to one office's records (NULL: every office).
 * ---------------------------------------------------------------------- */

enum review_kind {
	REVIEW_MATCH,
	REVIEW_RECORD
};

/* What a decision came to. */
enum review_outcome {
	REVIEW_FAILED = -1, /* the database failed: nothing was changed (e set) */
	REVIEW_DONE = 0,    /* written, with its audit row */
	REVIEW_NOT_FOUND,   /* no such item (or another office's) */
	REVIEW_DECIDED,	    /* no longer in review */
	REVIEW_TAKEN,	    /* another reviewer holds it (or nobody does) */
	REVIEW_REFUSED	    /* the check said no (see each function) */
};

/* review_held: the item `user` holds now: 1 with *kind ('m' or 'r') and *id. */
int review_held(PGconn *conn, const char *user, char *kind, long *id, herr *e);
/* review_claim_next: the next claimable item (oldest batch first), claimed
 * for lease_s seconds: 1 with *kind and *id, 0 when the queue is empty. */
int review_claim_next(PGconn *conn, const char *user, const char *office, int lease_s, char *kind,
		      long *id, herr *e);
/* review_queue_counts: the links and the records with values that wait for
 * a person, in `office` (NULL: every office). */
int review_queue_counts(PGconn *conn, const char *office, long *matches, long *records, herr *e);
/* review_claim: take item `id` when free or already the user's: 1 held,
 * 0 another holds it. */
int review_claim(PGconn *conn, enum review_kind kind, long id, const char *user, const char *office,
		 int lease_s, herr *e);
/* review_skip: the user's item left for others (for lease_s seconds). */
int review_skip(PGconn *conn, enum review_kind kind, long id, const char *user, int lease_s,
		herr *e);

/* The rows of an item (none when it is not there): review_match_item:
 * match_id, record_id, role, citizen_id, score, status, explanation,
 * candidates, discrepancies, model_version, doc_type, registry_office,
 * register_no, book_no, registered_on, path, page_no, batch, dpi, the
 * person's full_name, dob, sex, id_number, birthplace, father_name,
 * mother_name, claimed_by, claim live, claim_until (epoch).
 * review_record_item: record_id, doc_type, registry_office, register_no,
 * book_no, registered_on, path, page_no, batch, fields, n_review,
 * mean_conf, claimed_by, claim live, claim_until (epoch).
 * review_record_links: match_id, role, status, citizen_id, score, the
 * citizen's name, decided_by, decided_at (epoch), by role.
 * review_citizens: id_number, full_name, dob, sex, id_number, birthplace,
 * father_name, mother_name of the citizens `ids` (12 digits each), in
 * their order.  review_crop_source: path, page_no, rotation, fields,
 * doc_type, width, height, dpi, rec_index, records on the page, sha256. */
int review_match_item(PGconn *conn, long id, const char *office, struct db_rows *out, herr *e);
int review_record_item(PGconn *conn, long id, const char *office, struct db_rows *out, herr *e);
int review_record_links(PGconn *conn, long record_id, struct db_rows *out, herr *e);
int review_citizens(PGconn *conn, const char *const *ids, int n, struct db_rows *out, herr *e);
int review_crop_source(PGconn *conn, long record_id, const char *office, struct db_rows *out,
		       herr *e);
/* review_citizen_known: 1 when the registry has `id_number`. */
int review_citizen_known(PGconn *conn, const char *id_number, herr *e);

/* What a match decision sees once the match is locked. */
struct review_match_seen {
	const char *citizen_id; /* the match's citizen, or NULL */
	const char *candidates; /* its candidates (JSON) */
	const char *dob, *sex;	/* of the record's person */
	int citizen_known;	/* the chosen citizen is in the registry */
	const char *c_dob;	/* the chosen citizen's, or NULL */
	const char *c_sex;
};
/* The caller's check: 0 to write the decision (with, in `despite`, the
 * JSON strings of what contradicts the record and is confirmed all the
 * same), else its own refusal code. */
typedef int (*review_match_check_fn)(const struct review_match_seen *s, strbuf *despite, void *arg);
struct review_match_decision {
	long match_id;
	const char *user, *office;
	const char *action;  /* of the audit row: confirm, pick, no_match */
	const char *status;  /* confirmed or rejected */
	const char *citizen; /* the citizen linked, or NULL */
};
/* review_decide_match: a match in review, held by the user, decided and
 * audited; REVIEW_REFUSED with *refusal the check's code. */
int review_decide_match(PGconn *conn, const struct review_match_decision *d,
			review_match_check_fn check, void *arg, int *refusal, herr *e);

struct review_field_check {
	long record_id;
	const char *user, *office;
	const char *field;
	const char *value;     /* the corrected value (normalized), NULL: accepted as read */
	int confirmed_unusual; /* an unusual name, confirmed */
	int lease_s;	       /* the reviewer keeps the record while values are left */
};
/* review_check_field: a field flagged for review on a record the user
 * holds, corrected or accepted, the typed columns (and a recognized
 * parent's name) following, audited; *left the values still to check.
 * REVIEW_REFUSED: the field is not one flagged for review. */
int review_check_field(PGconn *conn, const struct review_field_check *d, int *left, herr *e);

/* review_reopen: an automatic or decided link back to review, with the
 * citizen it had, or the one a "no match" was decided against, or the
 * best candidate; REVIEW_REFUSED when there is none. */
int review_reopen(PGconn *conn, long match_id, const char *user, const char *office,
		  long *record_id, herr *e);

/* ------------------------------------------------------------------------
 * Look-up (search.c): `hotich find` and the web's search page
 * ---------------------------------------------------------------------- */

/*
 * What to look for; NULL or "" leaves a filter out.  `text` is the
 * command line's TEXT: its words with digits are an ID (12 digits) or CMND
 * (9) number or a date, the others a name.  `name` in any case, with or
 * without diacritics; `id` an ID or CMND number (spaces and dots allowed);
 * `dob` a full or partial date (dd/mm/yyyy, mm/yyyy, yyyy, ISO); `office`
 * the office's name or a unique beginning of it, with or without marks
 * (several: a usage error; none: nothing found); `father`
 * and `mother` the parents' names (their words, any order); `year` the year
 * of registration (0: any); `role` one person's role; `web_user_office` the
 * office a web user is limited to (NULL: every office).  Rows offset ..
 * offset+limit-1 are wanted, at most 1000 in all.
 */
struct search_query {
	const char *text, *name, *id, *dob, *office, *doc_type, *book_no, *register_no;
	const char *father, *mother, *role, *web_user_office;
	int year;
	int offset, limit;
	int with_text; /* the page's recognized text in column 23 */
	int near;      /* names by words, letters and near even when found as such */
};

/*
 * The records found, best first, one row per record (its best person):
 * record_id, role, full_name, dob, sex, id_number, cmnd_number, doc_type,
 * registry_office, book_no, register_no, registered_on, path, page_no,
 * record_ref, fields (JSON), mean_conf, warnings (JSON), match (how it was
 * found: exact, folded, words, near, partial, filter), father_name,
 * mother_name, the person's link status and citizen, the page's text.
 * The rows are those from 0 to offset+limit (the caller shows from
 * offset); `more` when there is a row past the page; `tier` per row;
 * `trgm` when pg_trgm served the search.
 */
struct search_results {
	struct db_rows rows;
	int *tier;
	int more;
	int trgm;
};

/* search_records: one read-only transaction; a query that says nothing or
 * cannot be read sets e to HT_EXIT_USAGE.  Release with
 * search_results_release (safe twice). */
int search_records(PGconn *conn, const struct search_query *sq, struct search_results *out,
		   herr *e);
void search_results_release(struct search_results *res);
/* search_match_name: "exact", "folded", ... of a tier. */
const char *search_match_name(int tier);
/* search_parse_id: 12 or 9 digits (spaces, dots, dashes between): 0, else -1. */
int search_parse_id(const char *in, char out[13]);
/* search_parse_dob: a date any way vn_date_parse reads it, as ISO. */
int search_parse_dob(const char *in, char out[11]);
/* search_offices: every office of the records, in order (one column). */
int search_offices(PGconn *conn, struct db_rows *out, herr *e);
/* search_trgm_available: 1 when pg_trgm is installed, 0 when not. */
int search_trgm_available(PGconn *conn, herr *e);

/*
 * search_record: one record for its page (none when another office's,
 * with `office` set): 1 when found, 0 when not, -1 on failure.  rec:
 * record_id, doc_type, registry_office, book_no, register_no,
 * registered_on, path, page_no, fields, mean_conf, record_ref, width,
 * height, rotation, rec_index, batch, loaded_at (epoch), warnings.
 * people: role, full_name, dob, sex, id_number, link status, citizen_id,
 * score, the citizen's full_name, dob, sex, birthplace, father_name,
 * mother_name, decided_by, decided_at (epoch).  audit: epoch, user,
 * action, role, field, before, after, oldest first.  All three released
 * by the caller (db_rows_release).
 */
int search_record(PGconn *conn, long record_id, const char *office, struct db_rows *rec,
		  struct db_rows *people, struct db_rows *audit, herr *e);

#include "export_db.h"

/* ------------------------------------------------------------------------
 * Keying (keying.c): pages and records typed in by people
 * ---------------------------------------------------------------------- */

/*
 * The queue of keying: pages the reader gave no type and no record,
 * written by hand (the reader's "handwriting" warning) or with print that
 * is not a blank page (3 words read at least) nor a register book's cover
 * ("SỔ ĐĂNG KÝ" read in under 80 words), and records whose share of flagged fields
 * is above keying_settings.flagged_share; of the user's office (NULL:
 * every office), never a page the user keyed before.  An item is a page
 * ('p', by page_id) or a record ('r', by record_id), held under a lease.
 */
struct keying_settings {
	int double_keying;    /* identity fields keyed twice, a third keyer on disagreement */
	double flagged_share; /* a record with more of its fields flagged is keyed */
};
int keying_settings_get(PGconn *conn, struct keying_settings *s, herr *e);
int keying_settings_set(PGconn *conn, const struct keying_settings *s, const char *user, herr *e);
int keying_queue_counts(PGconn *conn, const char *user, const char *office, long *pages,
			long *records, herr *e);
/* keying_held: the item the user holds: 1 with *kind and *id, 0 none, -1. */
int keying_held(PGconn *conn, const char *user, const char *office, char *kind, long *id, herr *e);
/* keying_claim_next: the next item, oldest batch first, claimed (SKIP LOCKED). */
int keying_claim_next(PGconn *conn, const char *user, const char *office, int lease_s, char *kind,
		      long *id, herr *e);
/* keying_claim: take item (kind, id): 1 held, 0 not (another holds it, or
 * it waits no more, or another office's), -1 error. */
int keying_claim(PGconn *conn, char kind, long id, const char *user, const char *office,
		 int lease_s, herr *e);
int keying_skip(PGconn *conn, char kind, long id, const char *user, int lease_s, herr *e);
/*
 * keying_item: one row (none when not there or another office's):
 * page_id, rec_index, doc_type, path, page_no, rotation, dpi, records on
 * the page, fields (JSON), claimed_by, claim live (t/f), claim_until
 * (epoch), office, batch, keyers so far (comma-separated), waits (t/f:
 * still to be keyed by this user).
 */
int keying_item(PGconn *conn, char kind, long id, const char *user, const char *office,
		struct db_rows *out, herr *e);

enum keying_outcome {
	KEYING_SAVED = 0,  /* the record is made (or its fields replaced), with its audit row */
	KEYING_SECOND,	   /* first pass of double keying kept: a second keyer next */
	KEYING_THIRD,	   /* the second pass disagreed on an identity field: a third keyer */
	KEYING_NOT_FOUND,  /* no such item waiting (or another office's) */
	KEYING_TAKEN,	   /* the user does not hold it */
	KEYING_SAME_KEYER, /* the user keyed a pass of it already */
	KEYING_DECIDED,	   /* keyed to the end already */
	KEYING_REFUSED	   /* a record's type changed: refused */
};

/*
 * keying_save: what a keyer typed for item (kind, id): `values_json`, an
 * object of field -> normalized value (strings), for `doc_type`.  In one
 * transaction: the keyings row (who, which pass, agreed), and when the
 * keying is final (one pass; or with double keying, two that agree on the
 * identity fields — names, dates of birth, ID numbers — and the type, or
 * the third) the record: inserted for a page (record_ref from the file's
 * hash, page and part; the page takes the type), or its fields replaced
 * for a record, its people stored for matching (`hotich match --unlinked`
 * links them), and a review_decisions row (key_record).
 */
struct keying_save {
	char kind; /* 'p' or 'r' */
	long id;
	const char *user, *office;
	const char *doc_type;
	const char *values_json;
};
int keying_save(PGconn *conn, const struct keying_save *s, enum keying_outcome *outcome,
		long *record_id, herr *e);

/* keying_throughput: per keyer (by_office 0) or per office: name, keyed
 * today, in 7 days, in all, of them records made, disagreements. */
int keying_throughput(PGconn *conn, int by_office, const char *office, struct db_rows *out,
		      herr *e);

#endif
