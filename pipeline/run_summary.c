/*
 * run_summary.c — the batch engine's summary (run.h): what a run did, as
 * JSON (stored with the batch) and as text.
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

json_t *run_pages_by_type(PGconn *conn, long batch_id, long *records, herr *e)
{
	strbuf v = STRBUF_INIT;
	json_t *o = NULL;
	int rc = batch_counts_json(conn, batch_id, &v, e);

	if (rc > 0) {
		json_t *all = json_loads(v.buf, 0, NULL);

		if (all) {
			o = json_incref(json_object_get(all, "pages"));
			*records = (long)json_integer_value(json_object_get(all, "records"));
			json_decref(all);
		}
	}
	strbuf_release(&v);
	return o ? o : json_object();
}

json_t *run_matching_json(const struct match_outcome *mo)
{
	return json_pack("{s:b, s:I, s:I, s:f, s:I, s:I, s:s}", "done", mo->done, "people",
			 (json_int_t)mo->people, "auto", (json_int_t)mo->auto_,
			 "auto_expected_wrong", mo->auto_wrong, "review", (json_int_t)mo->review,
			 "unmatched", (json_int_t)mo->none, "model", mo->version);
}

void run_print_summary(const json_t *sum, const struct discovery *d)
{
	const json_t *files = json_object_get(sum, "files"), *pages = json_object_get(sum, "pages");
	const json_t *m = json_object_get(sum, "matching"), *fin = json_object_get(sum, "finished");
	const json_t *val, *bt = json_object_get(pages, "by_doc_type");
	const char *k;
	size_t i;
	long other = (long)json_integer_value(json_object_get(files, "loaded_other"));
	long pending = (long)json_integer_value(json_object_get(files, "pending"));
	double el = json_real_value(json_object_get(sum, "elapsed_s"));

#define JI(o, key) ((long)json_integer_value(json_object_get((o), (key))))
	printf("batch %s: %ld files seen: %ld loaded",
	       json_string_value(json_object_get(sum, "batch")), JI(files, "seen"),
	       JI(files, "loaded"));
	if (other) {
		json_t *names = json_object_get(files, "other_batches");

		printf(", %ld loaded for open batch%s", other,
		       json_array_size(names) == 1 ? "" : "es");
		json_array_foreach(names, i, val)
		    printf("%s %s", i ? "," : "", json_string_value(val));
	}
	printf(", %ld skipped (already loaded), %ld rejected", JI(files, "skipped_loaded"),
	       JI(files, "rejected") + JI(files, "skipped_rejected"));
	if (JI(files, "skipped_rejected"))
		printf(" (%ld before)", JI(files, "skipped_rejected"));
	if (pending)
		printf(", %ld still read by other hosts", pending);
	putchar('\n');
	json_array_foreach(d->rejects, i, val)
	{
		printf("  rejected: %s: %s\n", json_string_value(json_object_get(val, "file")),
		       json_string_value(json_object_get(val, "reason")));
	}
	json_array_foreach(fin, i, val)
	{
		const json_t *fm = json_object_get(val, "matching");

		printf("finished batch %s (left open by a run that stopped): %ld pages read, %ld "
		       "failed; records: %ld; people: %ld, linked %ld, to review %ld, unmatched "
		       "%ld%s\n",
		       json_string_value(json_object_get(val, "batch")), JI(val, "pages_read"),
		       JI(val, "pages_failed"), JI(val, "records"), JI(fm, "people"),
		       JI(fm, "auto"), JI(fm, "review"), JI(fm, "unmatched"),
		       json_is_true(json_object_get(fm, "done")) ? ""
								 : " (not matched: no registry)");
	}
	printf("pages: %ld read (%ld in this run), %ld failed;", JI(pages, "read"),
	       JI(sum, "pages_this_run"), JI(pages, "failed"));
	json_object_foreach((json_t *)bt, k, val)
	    printf(" %s %lld", k, (long long)json_integer_value(val));
	printf("\nrecords: %ld; people: %ld, linked %ld, to review %ld, unmatched %ld%s\n",
	       JI(sum, "records"), JI(m, "people"), JI(m, "auto"), JI(m, "review"),
	       JI(m, "unmatched"),
	       json_is_true(json_object_get(m, "done")) ? "" : " (not matched: no registry)");
	if (JI(m, "auto"))
		printf("linked automatically: about %.1f of the %ld wrong, by their own scores "
		       "(each link's score is the probability that it is right)\n",
		       json_real_value(json_object_get(m, "auto_expected_wrong")), JI(m, "auto"));
	printf("time: %.1f s, %.1f pages/min; memory: %.0f MB at the peak (one process)\n", el,
	       json_real_value(json_object_get(sum, "pages_per_min")),
	       json_real_value(json_object_get(sum, "peak_rss_mb")));
#undef JI
}

int run_summary(PGconn *conn, const struct run_report *r, int json, herr *e)
{
	const struct discovery *d = r->d;
	long records = 0;
	json_t *sum;
	double t_close, el;
	long mine;
	char *s;
	int rc;
	/* before json_pack: the order its arguments are evaluated in is
	 * unspecified, and this one sets `records` */
	json_t *by_type = run_pages_by_type(conn, r->batch_id, &records, e);
	struct rusage ru_self, ru_kids;
	long kb = 0;

	/* the pages of every open batch read while this run lived */
	mine = r->pages_this_run;
	if (mine < 0)
		mine = 0;
	if (getrusage(RUSAGE_SELF, &ru_self) == 0)
		kb = ru_self.ru_maxrss;
	if (getrusage(RUSAGE_CHILDREN, &ru_kids) == 0 && ru_kids.ru_maxrss > kb)
		kb = ru_kids.ru_maxrss;
	el = clock_now_s() - r->t0;
	sum = json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:O, s:I, s:I, s:O},"
			" s:{s:I, s:I, s:I, s:o}, s:I, s:I, s:o, s:O}",
			"batch", r->batch, "files", "seen", (json_int_t)d->seen, "skipped_loaded",
			(json_int_t)d->skipped_loaded, "skipped_rejected",
			(json_int_t)d->skipped_rejected, "loaded", (json_int_t)r->loaded,
			"loaded_other", (json_int_t)r->loaded_other, "other_batches",
			r->other_names, "pending",
			(json_int_t)((long)(d->nmine + d->nother) - r->loaded - r->loaded_other),
			"rejected", (json_int_t)d->rejected, "rejects", d->rejects, "pages",
			"total", (json_int_t)r->qc->pages, "read", (json_int_t)r->qc->pages_done,
			"failed", (json_int_t)r->qc->pages_failed, "by_doc_type", by_type,
			"pages_this_run", (json_int_t)mine, "records", (json_int_t)records,
			"matching", run_matching_json(r->mo), "finished", r->finished);
	t_close = clock_now_s();
	json_object_set_new(sum, "elapsed_s", json_real(el));
	json_object_set_new(sum, "pages_per_min",
			    json_real(el > 0 ? (double)mine / el * 60.0 : 0.0));
	json_object_set_new(sum, "peak_rss_mb", json_real((double)kb / 1024.0));
	/* where the time went: before the workers (finding the files, the
	 * names), while they read (registering, the registry), after */
	json_object_set_new(sum, "timing",
			    json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "find_s", d->find_s,
				      "names_s", r->t_names, "pages_s", r->t_pages, "register_s",
				      d->register_s, "registry_s", r->t_registry, "match_s",
				      r->t_match, "match_link_s", r->mo->seconds));
	s = json_dumps(sum, JSON_COMPACT | JSON_REAL_PRECISION(6));
	rc = batch_set_summary(conn, r->batch_id, s, e);
	free(s);
	if (rc < 0) {
		json_decref(sum);
		return -1;
	}
	t_close = clock_now_s() - t_close;
	json_object_set_new(json_object_get(sum, "timing"), "close_s", json_real(t_close));
	if (json) {
		s = json_dumps(sum, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
		puts(s);
		free(s);
	} else {
		run_print_summary(sum, d);
	}
	json_decref(sum);
	return 0;
}
