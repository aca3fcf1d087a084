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

struct pg_cluster_state {
	int initialized; /* data directory exists with PG_VERSION */
	int running;	 /* postmaster answers */
	long pid;
	int port;
	char version[16]; /* PG_VERSION of the data directory */
	char listen[256]; /* listen_addresses; "" for socket only */
};

/*
 * pg_cluster_init: resolve the paths and the server binaries for the
 * cluster under `var_dir` (nothing is created).  The binaries come from
 * $HOTICH_PG_BINDIR, then `initdb` on PATH, then the newest
 * /usr/lib/postgresql/N/bin (or the one matching an existing data
 * directory).  As root, the cluster is owned and run by $HOTICH_PG_USER
 * (default "postgres"), since PostgreSQL refuses to run as root.
 */
int pg_cluster_init(struct pg_cluster *c, const char *var_dir, herr *e);
void pg_cluster_release(struct pg_cluster *c);

int pg_cluster_state(const struct pg_cluster *c, struct pg_cluster_state *st, herr *e);

/*
 * pg_cluster_start: initdb (UTF-8, trust on the private unix socket) when
 * the data directory does not exist, then start the server if it is not
 * running, with the socket in c->dir and no TCP listener unless `listen`
 * ("ADDR" or "ADDR:PORT") is given; then create the database "hotich".
 * *started is set to 1 when the server was started by this call.
 */
int pg_cluster_start(const struct pg_cluster *c, const char *listen, int *started, herr *e);

/* pg_cluster_stop: fast shutdown; *stopped is 0 when it was not running. */
int pg_cluster_stop(const struct pg_cluster *c, int *stopped, herr *e);

/* pg_cluster_conninfo: malloc'd conninfo for database `dbname` on `port`. */
char *pg_cluster_conninfo(const struct pg_cluster *c, int port, const char *dbname);

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

#endif
