/*
 * run_match.c — the batch engine's matching (run.h): the registry loaded
 * once, each batch's people matched with a model fitted on them, and the
 * batches a dead run left open finished.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "run.h"

/* ------------------------------------------------------------------------
 * Matching
 * ---------------------------------------------------------------------- */

int run_matcher_load(PGconn *conn, struct matcher *mt, herr *e)
{
	long citizens = 0;
	double t0 = clock_now_s();

	if (citizens_count(conn, &citizens, e) < 0)
		return -1;
	if (!citizens) {
		log_warning("no registry in the database ('hotich registry import'): the people "
			    "of the records are not matched yet");
		return 0;
	}
	mt->reg = match_registry_new();
	if (citizens_to_registry(conn, mt->reg, e) < 0) {
		match_registry_free(mt->reg);
		mt->reg = NULL;
		return -1;
	}
	match_registry_index(mt->reg);
	mt->load_s = clock_now_s() - t0;
	return 0;
}

void run_matcher_release(struct matcher *mt)
{
	match_registry_free(mt->reg);
	mt->reg = NULL;
}

/*
 * match_batch: the people of a batch (batch_id > 0), of the records not
 * linked (0) or of every record (< 0) matched and stored; with `close`,
 * the batch is done in the same transaction as its matches.  Without a
 * registry nothing is done (mo->done 0) and the batch stays open for
 * matching.
 */
int run_match_batch(PGconn *conn, const struct matcher *mt, long batch_id, int close,
		       struct match_outcome *mo, herr *e)
{
	struct people_set ps;
	struct match_model model;
	struct match_options o;
	struct match_stats st;
	struct match_result *res;
	double t0 = clock_now_s();
	int rc = 0;

	memset(mo, 0, sizeof(*mo));
	if (!mt->reg)
		return 0;
	if (batch_people_for_matching(conn, batch_id, &ps, e) < 0)
		return -1;
	match_model_defaults(&model);
	if (mt->thresholds) {
		model.auto_threshold = mt->thresholds[0];
		model.review_threshold = mt->thresholds[1];
	}
	match_options_init(&o);
	o.threads = mt->threads > 0 ? mt->threads : 1;
	res = xcalloc(ps.n ? ps.n : 1, sizeof(*res));
	if (match_link(mt->reg, &model, ps.q, ps.n, &o, res, &st, e) < 0) {
		rc = -1;
	} else {
		/* what the match stage says of each, then stored */
		struct match_json *js = match_results_json(mt->reg, ps.q, res, ps.n);

		rc = batch_matches_store(conn, batch_id, &model, mt->reg, &ps, res, js, close, &mo->kept,
				   e);
		match_results_json_free(js, ps.n);
	}
	if (rc == 0) {
		mo->done = 1;
		mo->people = (long)ps.n;
		for (size_t i = 0; i < ps.n; i++) {
			mo->auto_ += !strcmp(res[i].status, "auto");
			mo->review += !strcmp(res[i].status, "review");
			mo->none += !strcmp(res[i].status, "none");
		}
		snprintf(mo->version, sizeof(mo->version), "%s", model.version);
		if (st.capped_blocks)
			log_warning(
			    "matching: %ld blocks of more than %d citizens were not compared",
			    st.capped_blocks, o.block_cap);
	}
	free(res);
	batch_people_set_release(&ps);
	mo->seconds = clock_now_s() - t0;
	return rc;
}

/*
 * finish_other: a batch left open by a run that died (no live run holds
 * it): its pages are read (drive read every open batch's), its people
 * matched and the batch done in the same transaction, with a summary
 * naming the run that finished it.  *entry: its line of this run's summary
 * (NULL when another live run holds it).
 */
int run_finish_other(PGconn *conn, const struct matcher *mt, const struct batch_ref *b,
			const char *by, json_t **entry, long *failed, herr *e)
{
	struct match_outcome mo;
	struct batch_queue_counts qc;
	long records = 0;
	json_t *types, *sum;
	char *s;
	int got = 0, rc;

	*entry = NULL;
	if (batch_take_over(conn, b->batch_id, &got, e) < 0)
		return -1;
	if (!got) {
		log_info("batch %s is being run elsewhere: left to that run", b->name);
		return 0;
	}
	if (batch_queue_counts(conn, b->batch_id, &qc, e) < 0)
		return -1;
	if (qc.pages_done + qc.pages_failed < qc.pages)
		return 0; /* stopped before its pages were read: the next run */
	if (batch_set_matching(conn, b->batch_id, e) < 0 ||
	    run_match_batch(conn, mt, b->batch_id, 1, &mo, e) < 0)
		return -1;
	types = run_pages_by_type(conn, b->batch_id, &records, e);
	*failed += qc.pages_failed;
	*entry = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:o}", "batch", b->name, "files",
			   (json_int_t)qc.files, "files_loaded", (json_int_t)qc.files_loaded,
			   "pages_read", (json_int_t)qc.pages_done, "pages_failed",
			   (json_int_t)qc.pages_failed, "by_doc_type", types, "records",
			   (json_int_t)records, "matching", run_matching_json(&mo));
	sum = json_deep_copy(*entry);
	json_object_set_new(sum, "finished_by", json_string(by));
	s = json_dumps(sum, JSON_COMPACT);
	json_decref(sum);
	rc = batch_set_summary(conn, b->batch_id, s, e);
	free(s);
	return rc;
}

