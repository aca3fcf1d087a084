/*
 * cmd_worker.c — `hotich worker`: the batch engine's workers (run.h) on
 * another host, for the open batches of the database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static const char worker_usage[] =
    "usage: hotich worker [--lease SECONDS] [--wait SECONDS]\n"
    "\n"
    "Join the open batches of the database and read their pages until none is\n"
    "left to read nor held by another worker, whose page it takes over when\n"
    "that one's lease runs out (scans on a path all hosts share).  --wait: how\n"
    "long to wait for new pages before stopping (default 0).  $HOTICH_HOST\n"
    "names this host in the leases (default: its host name).\n";

/* ------------------------------------------------------------------------
 * hotich worker
 * ---------------------------------------------------------------------- */

int cmd_worker(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "lease", required_argument, NULL, 'l' },
					      { "wait", required_argument, NULL, 'w' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct worker_cfg w = { 0 };
	struct vn_name_model *names = NULL;
	PGconn *conn;
	herr e = { 0 };
	long v;
	int c, rc;

	w.g = g;
	w.lease_s = 120;
	ocr_options_init(&w.ocr);
	while ((c = cmd_getopt(argc, argv, "worker", NULL, opts, worker_usage)) > 0) {
		switch (c) {
		case 'l':
			if (parse_int(optarg, 5, 86400, &v) < 0)
				return usage_error("worker", "--lease must be 5..86400 seconds");
			w.lease_s = (int)v;
			break;
		case 'w':
			if (parse_int(optarg, 0, 86400, &v) < 0)
				return usage_error("worker", "--wait must be 0..86400 seconds");
			w.wait_s = (int)v;
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	if (optind != argc)
		return usage_error("worker", "unexpected argument '%s'", argv[optind]);
	signal(SIGINT, run_on_signal);
	signal(SIGTERM, run_on_signal);
	conn = cmd_db_open(g, DB_OPEN_CHECK_SCHEMA, &e);
	names = vn_name_model_new();
	w.offices = office_index_new();
	if (!conn || citizens_names(conn, names, &e) < 0 ||
	    office_index_load(conn, w.offices, &e) < 0) {
		db_close(conn);
		office_index_free(w.offices);
		vn_name_model_free(names);
		return log_herr(&e);
	}
	db_close(conn);
	w.ocr.names = names;
	rc = run_worker_loop(&w);
	office_index_free(w.offices);
	vn_name_model_free(names);
	return rc;
}
