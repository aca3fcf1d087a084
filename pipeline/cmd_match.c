/*
 * cmd_match.c — `hotich match`: the people of stored records matched again
 * (run.h), without OCR, after a registry import.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static const char match_usage[] =
    "usage: hotich match [--batch NAME | --unlinked] [--thresholds A,R] [--jobs N]\n"
    "\n"
    "Match the people of stored records again, without OCR (after a registry\n"
    "import): a batch's, those not linked yet, or (neither option) all.  A\n"
    "reviewer's decision is never replaced.\n";

/* ------------------------------------------------------------------------
 * hotich match
 * ---------------------------------------------------------------------- */

int cmd_match(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "batch", required_argument, NULL, 'b' },
					      { "unlinked", no_argument, NULL, 'u' },
					      { "thresholds", required_argument, NULL, 't' },
					      { "jobs", required_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *batch = NULL;
	int unlinked = 0, c, jobs = 1, rc = HT_EXIT_OK;
	double th[2], *thp = NULL;
	long batch_id = -1, v;
	struct match_outcome mo;
	struct matcher mt = { 0 };
	PGconn *conn;
	herr e = { 0 };

	while ((c = cmd_getopt(argc, argv, "match", NULL, opts, match_usage)) > 0) {
		switch (c) {
		case 'b':
			batch = optarg;
			break;
		case 'u':
			unlinked = 1;
			break;
		case 't':
			if (cmd_opt_thresholds("match", optarg, th) < 0)
				return HT_EXIT_USAGE;
			thp = th;
			break;
		case 'j':
			if (parse_int(optarg, 1, 256, &v) < 0)
				return usage_error("match", "--jobs must be 1..256");
			jobs = (int)v;
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	if (batch && unlinked)
		return usage_error("match", "--batch and --unlinked exclude each other");
	if (optind != argc)
		return usage_error("match", "unexpected argument '%s'", argv[optind]);
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn)
		return log_herr(&e);
	if (batch) {
		if (batch_find(conn, batch, &batch_id, &e) < 0)
			goto fatal;
		if (!batch_id) {
			db_close(conn);
			return usage_error("match", "no batch named \"%s\"", batch);
		}
	} else if (unlinked) {
		batch_id = 0;
	}
	mt.threads = jobs;
	mt.thresholds = thp;
	/* a batch named is done with its matches (when its pages are all read) */
	if (run_matcher_load(conn, &mt, &e) < 0 ||
	    run_match_batch(conn, &mt, batch_id, batch_id > 0, &mo, &e) < 0)
		goto fatal;
	run_matcher_release(&mt);
	printf("matched %ld people: linked %ld, to review %ld, unmatched %ld; %ld reviewer "
	       "decisions kept; model %s\n",
	       mo.people, mo.auto_, mo.review, mo.none, mo.kept, mo.done ? mo.version : "-");
	if (mo.auto_)
		printf("linked automatically: about %.1f of the %ld wrong, by their own scores "
		       "(each link's score is the probability that it is right)\n",
		       mo.auto_wrong, mo.auto_);
	db_close(conn);
	return rc;
fatal:
	rc = log_herr(&e);
	run_matcher_release(&mt);
	db_close(conn);
	return rc;
}
