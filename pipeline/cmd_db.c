/*
 * cmd_db.c — `hotich db init|start|stop|status`: the schema and the
 * project-local cluster.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../loaders/loaders.h"
#include "commands.h"

static const char db_usage[] =
    "Usage: hotich db init   [--db CONNINFO]\n"
    "       hotich db start  [--listen ADDR[:PORT]]\n"
    "       hotich db stop\n"
    "       hotich db status [--db CONNINFO]\n"
    "\n"
    "  init     create the schema, or migrate it to this hotich's version (a no-op\n"
    "           when it is current; a schema newer than this hotich is refused)\n"
    "  start    start the local cluster in ./var/pg (created on first use: UTF-8,\n"
    "           unix socket in ./var/pg, no TCP listener unless --listen is given)\n"
    "  stop     stop the local cluster\n"
    "  status   where the database is, whether it answers, its schema version\n"
    "\n"
    "The database is --db, else $DATABASE_URL, else libpq's PG* variables (when\n"
    "PGHOST or PGDATABASE is set), else the local cluster.  $HOTICH_HOME moves\n"
    "./var to HOTICH_HOME/var.\n";

struct db_args {
	const char *db;
	const char *listen;
};

static int parse_db_args(int argc, char **argv, const char *action, int allow_db, int allow_listen,
			 struct db_args *a)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
					      { "listen", required_argument, NULL, 'l' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!allow_db)
				return usage_error(
				    "db", "'db %s' acts on the local cluster and takes no --db",
				    action);
			a->db = optarg;
			break;
		case 'l':
			if (!allow_listen)
				return usage_error("db", "'db %s' takes no --listen", action);
			a->listen = optarg;
			break;
		case 'h':
			fputs(db_usage, stdout);
			return -1;
		case ':':
			return usage_error("db", "option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error("db", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("db", "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int db_init(const struct db_args *a)
{
	struct db_target t;
	strbuf where = STRBUF_INIT;
	PGconn *conn = NULL;
	herr e = { 0 };
	int from = 0, to = 0, rc = HT_EXIT_FATAL;

	if (db_target_resolve(&t, a->db, &e) < 0)
		return log_herr(&e);
	conn = db_open(&t, DB_OPEN_START_LOCAL, &e);
	if (!conn || schema_migrate(conn, &from, &to, &e) < 0) {
		rc = log_herr(&e);
		goto cleanup;
	}
	db_describe(conn, &where);
	if (from == to)
		printf("schema is up to date at version %d (%s)\n", to, where.buf);
	else if (from == 0)
		printf("schema created at version %d (%s)\n", to, where.buf);
	else
		printf("schema migrated from version %d to %d (%s)\n", from, to, where.buf);
	rc = HT_EXIT_OK;
cleanup:
	strbuf_release(&where);
	db_close(conn);
	db_target_release(&t);
	return rc;
}

static void describe_cluster(const struct pg_cluster *c, const struct db_cluster_state *st)
{
	if (!st->initialized) {
		printf("%-10s %s (not initialized; created on first use or by 'hotich db init')\n",
		       "cluster:", c->dir);
		return;
	}
	if (!st->running) {
		printf("%-10s %s (stopped; PostgreSQL %s)\n", "cluster:", c->dir, st->version);
		return;
	}
	printf("%-10s %s (running, pid %ld, PostgreSQL %s, socket %s/.s.PGSQL.%d, %s%s)\n",
	       "cluster:", c->dir, st->pid, st->version, c->dir, st->port,
	       st->listen[0] ? "TCP on " : "no TCP listener", st->listen);
}

static int db_start(const struct db_args *a)
{
	struct db_target t;
	struct pg_cluster c;
	struct db_cluster_state st;
	herr e = { 0 };
	int started, rc = HT_EXIT_FATAL;

	if (db_target_resolve(&t, NULL, &e) < 0)
		return log_herr(&e);
	if (db_cluster_init(&c, t.var_dir, &e) < 0) {
		db_target_release(&t);
		return log_herr(&e);
	}
	if (db_cluster_start(&c, a->listen, &started, &e) < 0 ||
	    db_cluster_state(&c, &st, &e) < 0) {
		rc = log_herr(&e);
		goto cleanup;
	}
	if (!started)
		log_info("the local cluster was already running");
	describe_cluster(&c, &st);
	{
		struct db_target resolved;

		if (db_target_resolve(&resolved, NULL, &e) == 0 &&
		    resolved.source != DB_SOURCE_LOCAL)
			log_warning("%s is set: hotich commands use that database, not this "
				    "cluster",
				    db_source_name(resolved.source));
		db_target_release(&resolved);
	}
	rc = HT_EXIT_OK;
cleanup:
	db_cluster_release(&c);
	db_target_release(&t);
	return rc;
}

static int db_stop(void)
{
	struct db_target t;
	struct pg_cluster c;
	herr e = { 0 };
	int stopped, rc = HT_EXIT_FATAL;

	if (db_target_resolve(&t, NULL, &e) < 0)
		return log_herr(&e);
	if (db_cluster_init(&c, t.var_dir, &e) < 0) {
		db_target_release(&t);
		return log_herr(&e);
	}
	if (db_cluster_stop(&c, &stopped, &e) < 0) {
		rc = log_herr(&e);
		goto cleanup;
	}
	printf("%-10s %s (%s)\n", "cluster:", c.dir, stopped ? "stopped" : "was not running");
	rc = HT_EXIT_OK;
cleanup:
	db_cluster_release(&c);
	db_target_release(&t);
	return rc;
}

static void print_contents(PGconn *conn)
{
	struct db_contents n;
	herr ignore = { 0 };

	if (db_contents(conn, &n, &ignore) == 0)
		printf("%-10s %ld batches, %ld files (%ld rejected), %ld pages, %ld records, "
		       "%ld citizens, %ld matches, %ld users\n",
		       "contents:", n.batches, n.files, n.rejected_files, n.pages, n.records,
		       n.citizens, n.matches, n.users);
}

static int db_status(const struct db_args *a)
{
	struct db_target t;
	struct pg_cluster c = { 0 };
	struct db_cluster_state st;
	strbuf where = STRBUF_INIT;
	PGconn *conn = NULL;
	herr e = { 0 };
	int have, rc = HT_EXIT_FATAL;

	if (db_target_resolve(&t, a->db, &e) < 0)
		return log_herr(&e);
	printf("%-10s %s\n", "target:", db_source_name(t.source));
	if (t.source == DB_SOURCE_LOCAL) {
		if (db_cluster_init(&c, t.var_dir, &e) < 0 || db_cluster_state(&c, &st, &e) < 0) {
			rc = log_herr(&e);
			goto cleanup;
		}
		describe_cluster(&c, &st);
		if (!st.running) {
			herr_set(
			    &e, HT_EXIT_FATAL,
			    "the local cluster is %s: 'hotich db start' or 'hotich db init' %s it",
			    st.initialized ? "not running" : "not initialized",
			    st.initialized ? "starts" : "creates");
			rc = log_herr(&e);
			goto cleanup;
		}
	}
	/* status looks, it does not start anything */
	conn = db_open(&t, 0, &e);
	if (!conn) {
		rc = log_herr(&e);
		goto cleanup;
	}
	db_describe(conn, &where);
	printf("%-10s %s, PostgreSQL %d.%d\n", "database:", where.buf,
	       db_server_version(conn) / 10000, db_server_version(conn) % 10000);
	if (schema_version(conn, &have, &e) < 0) {
		rc = log_herr(&e);
		goto cleanup;
	}
	if (have == 0) {
		printf("%-10s none (run 'hotich db init'); this hotich uses version %d\n",
		       "schema:", schema_binary_version());
	} else if (have < schema_binary_version()) {
		printf("%-10s version %d, older than this hotich's %d (run 'hotich db init')\n",
		       "schema:", have, schema_binary_version());
	} else if (have > schema_binary_version()) {
		printf("%-10s version %d, newer than this hotich's %d\n", "schema:", have,
		       schema_binary_version());
		schema_check(conn, &e);
		rc = log_herr(&e);
		goto cleanup;
	} else {
		printf("%-10s version %d (up to date)\n", "schema:", have);
		print_contents(conn);
	}
	rc = HT_EXIT_OK;
cleanup:
	strbuf_release(&where);
	db_close(conn);
	db_cluster_release(&c);
	db_target_release(&t);
	return rc;
}

int cmd_db(int argc, char **argv, const struct global_opts *g)
{
	struct db_args a = { g->db, NULL };
	const char *action;
	int rc;

	if (argc < 2)
		return usage_error("db", "'db' needs an action: init, start, stop or status");
	action = argv[1];
	if (!strcmp(action, "--help") || !strcmp(action, "-h")) {
		fputs(db_usage, stdout);
		return HT_EXIT_OK;
	}
	if (strcmp(action, "init") && strcmp(action, "start") && strcmp(action, "stop") &&
	    strcmp(action, "status"))
		return usage_error("db", "unknown action '%s' (init, start, stop or status)",
				   action);
	rc = parse_db_args(argc - 1, argv + 1, action,
			   !strcmp(action, "init") || !strcmp(action, "status"),
			   !strcmp(action, "start"), &a);
	if (rc == -1)
		return HT_EXIT_OK; /* --help */
	if (rc)
		return rc;
	if (!strcmp(action, "init"))
		return db_init(&a);
	if (!strcmp(action, "start"))
		return db_start(&a);
	if (!strcmp(action, "stop"))
		return db_stop();
	return db_status(&a);
}
