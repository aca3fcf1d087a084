/*
 * cmd_run.c — `hotich run`, the nightly batch: its options, then the
 * batch engine's steps (run.h) in order: find the files, open the batch,
 * start the workers, register the files while they read, load the
 * registry, drive the workers, finish the batches left open, match this
 * one, summarize.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static const char run_usage[] =
    "usage: hotich run [OPTIONS] INPUT...\n"
    "\n"
    "The nightly batch: find the scans under each INPUT (files or folders,\n"
    "recursively, in a stable order), skip those already loaded (by the SHA-256\n"
    "of their bytes), read every page, match the people to the registry, load\n"
    "everything, and print a summary.  Stopped at any moment, the same command\n"
    "finishes the batch with every record loaded once; a batch left open by a\n"
    "run that died is finished first (its pages, then its matching), whatever\n"
    "this run's batch is called.\n"
    "\n"
    "  --jobs N              worker processes (default: the number of run_cores; 0:\n"
    "                        none here, the pages are read by `hotich worker` on\n"
    "                        other hosts)\n"
    "  --batch NAME          the batch's name (default: run-YYYY-MM-DD)\n"
    "  --office NAME         the registration office of the scans that no folder\n"
    "                        mapping places\n"
    "  --offices FILE        a CSV folder,registry_office: the office of the\n"
    "                        scans under each folder (the inventory's folders too)\n"
    "  --move-rejected DIR   move files that cannot be read there\n"
    "  --lease SECONDS       how long a worker holds a page (default 120)\n"
    "  --dpi N               the pages' resolution, whatever their files say or\n"
    "                        their text measures (a batch of photographs taken\n"
    "                        the same way); every worker of the batch uses it\n"
    "  --json                print the summary as JSON\n"
    "  -q, --quiet           no progress\n";

int cmd_run(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "jobs", required_argument, NULL, 'j' },
					      { "batch", required_argument, NULL, 'b' },
					      { "office", required_argument, NULL, 'o' },
					      { "offices", required_argument, NULL, 'O' },
					      { "move-rejected", required_argument, NULL, 'm' },
					      { "lease", required_argument, NULL, 'l' },
					      { "dpi", required_argument, NULL, 'D' },
					      { "json", no_argument, NULL, 'J' },
					      { "quiet", no_argument, NULL, 'q' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *batch = NULL, *office = NULL, *offices_file = NULL, *move_dir = NULL;
	int jobs = run_cores(), json = 0, quiet = 0, dpi = 0, c, rc = HT_EXIT_OK;
	long v, batch_id = 0, retried = 0, failed_other = 0;
	long loaded = 0, loaded_other = 0;
	char default_name[32], host[128];
	struct worker_cfg w = { 0 };
	struct discovery d = { 0 };
	struct progress pg = { 0 };
	struct batch_queue_counts qc = { 0 }, all0 = { 0 }, all1 = { 0 };
	struct match_outcome mo = { 0 };
	struct matcher mt = { 0 };
	struct vn_name_model *names = NULL;
	struct office_map *omap = office_map_new();
	struct batch_ref *others = NULL;
	size_t nothers = 0;
	pid_t *pids = NULL;
	PGconn *conn = NULL;
	herr e = { 0 };
	json_t *finished = json_array(), *other_names = json_array();
	double t0 = clock_now_s(), t_names = 0, t_pages0 = 0, t_pages = 0, t_match = 0;

	w.g = g;
	w.lease_s = 120;
	ocr_options_init(&w.ocr);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (parse_int(optarg, 0, 256, &v) < 0) {
				rc = usage_error("run", "--jobs must be 0..256");
				goto out;
			}
			jobs = (int)v;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'o':
			office = optarg;
			break;
		case 'O':
			offices_file = optarg;
			break;
		case 'm':
			move_dir = optarg;
			break;
		case 'l':
			if (parse_int(optarg, 5, 86400, &v) < 0) {
				rc = usage_error("run", "--lease must be 5..86400 seconds");
				goto out;
			}
			w.lease_s = (int)v;
			break;
		case 'D':
			if (parse_int(optarg, 30, 2400, &v) < 0) {
				rc = usage_error("run", "--dpi must be a resolution of 30 to 2400");
				goto out;
			}
			dpi = (int)v;
			break;
		case 'J':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			goto out;
		case ':':
			rc = usage_error("run", "option '%s' needs an argument", argv[optind - 1]);
			goto out;
		default:
			rc = usage_error("run", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = usage_error("run", "no INPUT given (files or folders of scans)");
		goto out;
	}
	if (offices_file && office_map_read(omap, offices_file, &e) < 0) {
		log_herr(&e);
		rc = HT_EXIT_USAGE;
		goto out;
	}
	if (!batch) {
		time_t t = time(NULL);
		struct tm tm;

		strftime(default_name, sizeof(default_name), "run-%Y-%m-%d", localtime_r(&t, &tm));
		batch = default_name;
	}
	signal(SIGINT, run_on_signal);
	signal(SIGTERM, run_on_signal);
	/* what the inputs hold, before anything starts (a missing input is a usage error) */
	if (run_find_files(argv + optind, argc - optind, &d, &e) < 0)
		goto fatal;
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn)
		goto fatal;
	{
		json_t *opt = json_pack("{s:i, s:s?}", "jobs", jobs, "office", office);

		if (dpi) /* read by every worker of the batch (batch_job_claim) */
			json_object_set_new(opt, "dpi", json_integer(dpi));
		char *os = json_dumps(opt, JSON_COMPACT);

		rc = batch_start(conn, batch, office, os, &batch_id, &e);
		free(os);
		json_decref(opt);
		if (rc < 0 || batch_hold(conn, batch_id, &e) < 0)
			goto fatal;
	}
	run_worker_host(host, sizeof(host));
	if (batch_job_retry_abandoned(conn, &retried, &e) < 0)
		goto fatal;
	if (retried)
		log_info("%ld page%s set aside earlier (a worker died each time) will be read again",
			 retried, retried == 1 ? "" : "s");
	if (batch_job_release_dead(conn, host, &e) < 0)
		goto fatal;
	/* the offices the inventory knows, and its folders (after --offices') */
	w.offices = office_index_new();
	if (office_index_load(conn, w.offices, &e) < 0 ||
	    office_map_load_inventory(conn, omap, &e) < 0)
		goto fatal;
	if (jobs > 0) {
		/* the registry's names help judge the names read (shared by the workers) */
		double tn = clock_now_s();

		names = vn_name_model_new();
		if (citizens_names(conn, names, &e) < 0)
			goto fatal;
		w.ocr.names = names;
		t_names = clock_now_s() - tn;
	}
	w.shared = mmap(NULL, sizeof(*w.shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			-1, 0);
	if (w.shared == MAP_FAILED) {
		w.shared = NULL;
		herr_set(&e, HT_EXIT_FATAL, "could not share memory with the workers: %s",
			 strerror(errno));
		goto fatal;
	}
	pg.tty = isatty(2);
	pg.quiet = quiet || log_get_level() < HT_LOG_INFO;
	if (batch_queue_counts(conn, 0, &all0, &e) < 0)
		goto fatal;
	pg.pages0 = all0.pages_done + all0.pages_failed;
	/* the workers read while the files are registered and the registry loaded */
	t_pages0 = clock_now_s();
	pg.start = t_pages0;
	pids = xcalloc(jobs ? (size_t)jobs : 1, sizeof(*pids));
	atomic_store(&w.shared->discovering, 1);
	run_spawn_workers(&w, jobs, pids);
	rc = run_register_files(conn, batch_id, w.offices, omap, office, move_dir, &d, &e);
	atomic_store(&w.shared->discovering, 0);
	mt.threads = jobs > 0 ? jobs : run_cores();
	if (rc < 0 || run_matcher_load(conn, &mt, &e) < 0) {
		run_stop_workers(pids, jobs);
		goto fatal;
	}
	if (run_drive(conn, &w, jobs, pids, &pg, &e) < 0 || batch_queue_counts(conn, 0, &all1, &e) < 0)
		goto fatal;
	t_pages = clock_now_s() - t_pages0;

	/* every batch left open first, then this one: matched, then done */
	{
		double tm = clock_now_s();

		if (batch_unfinished(conn, batch_id, &others, &nothers, &e) < 0)
			goto fatal;
		for (size_t i = 0; i < nothers; i++) {
			json_t *entry;

			if (run_finish_other(conn, &mt, &others[i], batch, &entry, &failed_other, &e) <
			    0)
				goto fatal;
			if (entry)
				json_array_append_new(finished, entry);
		}
		if (batch_queue_counts(conn, batch_id, &qc, &e) < 0 ||
		    batch_set_matching(conn, batch_id, &e) < 0 ||
		    run_match_batch(conn, &mt, batch_id, 1, &mo, &e) < 0)
			goto fatal;
		t_match = clock_now_s() - tm;
	}
	if (batch_files_loaded_among(conn, d.mine, d.nmine, &loaded, &e) < 0 ||
	    batch_files_loaded_among(conn, d.other, d.nother, &loaded_other, &e) < 0)
		goto fatal;
	{
		json_t *fi;
		size_t k;

		json_array_foreach(finished, k, fi)
		    json_array_append(other_names, json_object_get(fi, "batch"));
	}

	/* the summary, stored with the batch and printed */
	{
		struct run_report rr = { batch, batch_id, &d, loaded, loaded_other, other_names,
					 &qc, all1.pages_done + all1.pages_failed - pg.pages0,
					 &mo, finished, t0, t_names, t_pages, mt.load_s, t_match };

		if (run_summary(conn, &rr, json, &e) < 0)
			goto fatal;
	}
	rc = HT_EXIT_OK;
	if (d.rejected || d.skipped_rejected || qc.pages_failed || failed_other)
		rc = HT_EXIT_PARTIAL;
	goto out;
fatal:
	rc = log_herr(&e);
	if (rc == HT_EXIT_OK)
		rc = HT_EXIT_FATAL;
out:
	free(pids);
	if (w.shared)
		munmap(w.shared, sizeof(*w.shared));
	batch_refs_free(others, nothers);
	run_matcher_release(&mt);
	json_decref(finished);
	json_decref(other_names);
	run_discovery_release(&d);
	office_index_free(w.offices);
	office_map_free(omap);
	vn_name_model_free(names);
	db_close(conn);
	return rc;
}

