/*
 * run.h — the batch engine of `hotich run`, `hotich worker` and `hotich
 * match`: walking the inputs and registering their files (run_files.c),
 * forking and driving the workers that read the pages (run_workers.c),
 * matching the stored records (run_match.c), and the summary
 * (run_summary.c).  The cmd_*.c files parse the options and call these.
 *
 * The coordinator starts the workers first, then registers files and
 * pages in the database while they read (each worker has its own
 * connection and its own Tesseract handle and claims pages until none is
 * left), loads the registry for matching while they read, and matches
 * once every page is in.  Everything a page yields is stored in one
 * transaction with its job marked done, so a run killed at any moment and
 * started again finishes with every record once.  A run first finishes
 * every batch left open by a run that died (their pages, then their
 * matching), whatever its own batch's name: a batch is done only once its
 * records are matched.
 */
#ifndef HOTICH_RUN_H
#define HOTICH_RUN_H

#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>

#include <jansson.h>

#include "../loaders/loaders.h"
#include "../match/match.h"
#include "../ocr/ocr.h"
#include "commands.h"

/*
 * What a run's coordinator and its workers share (an anonymous shared
 * mapping made before they fork): while the coordinator still registers
 * files, a worker that finds no page waits for more instead of stopping.
 */
struct run_shared {
	atomic_int discovering;
};

struct worker_cfg {
	const struct global_opts *g;
	int lease_s;
	int wait_s;		      /* keep asking this long after the queue is empty */
	struct ocr_options ocr;	      /* the OCR stage's options (names from the registry) */
	struct office_index *offices; /* the inventory's offices, to name a record's */
	struct run_shared *shared;    /* NULL for `hotich worker` */
};

struct paths {
	char **v;
	size_t n;
};

/*
 * Every file under the inputs is one of: loaded by this run (its pages
 * queued for this batch now or by an earlier run of it), loaded for
 * another open batch (queued by a run that died: this run reads its
 * pages), skipped (loaded before), rejected (now or before), or, when the
 * run ends, still being read by a host whose lease has not run out.
 */
struct discovery {
	long seen, skipped_loaded, skipped_rejected, rejected, pages;
	long *mine, *other; /* file ids whose pages this run reads: of this batch, of others */
	size_t nmine, nother;
	json_t *rejects; /* [{file, reason}] */
	struct paths ps; /* the regular files found, sorted */
	double find_s, register_s;
};

struct progress {
	int tty, quiet;
	double start, last_log;
	long pages0; /* pages already done when this run started */
};

/*
 * The registry in memory for the matching of one or more batches: loaded
 * once (by a run, while its workers read the pages), then each batch
 * matched with a model fitted on its own people.
 */
struct matcher {
	struct match_registry *reg; /* NULL: no registry in the database */
	int threads;
	const double *thresholds; /* auto, review; NULL: the defaults */
	double load_s;
};

struct match_outcome {
	long people, auto_, review, none, kept;
	int done;
	char version[40];
	double seconds;
};

/* set by SIGINT and SIGTERM (run_on_signal): the coordinator stops */
extern volatile sig_atomic_t run_stop_requested;
void run_on_signal(int sig);

/* run_worker_host: this host's name in the leases ($HOTICH_HOST, else the
 * host name). */
void run_worker_host(char *buf, size_t n);
/* run_worker_loop: a worker: claim and read pages until none is left. */
int run_worker_loop(const struct worker_cfg *w);
/* run_spawn_workers: fork n workers into pids[]; how many started. */
int run_spawn_workers(const struct worker_cfg *w, int n, pid_t *pids);
/* run_cores: the cores online. */
int run_cores(void);
/* run_drive: wait for the workers while showing the progress of every
 * batch not done, start others when some died, until no batch has a page
 * left to read. */
int run_drive(PGconn *conn, const struct worker_cfg *w, int jobs, pid_t *pids,
	      struct progress *pg, herr *e);
void run_stop_workers(pid_t *pids, int jobs);

/* run_find_files: what the inputs hold (a missing input: usage error). */
int run_find_files(char **inputs, int ninputs, struct discovery *d, herr *e);
/* run_register_files: the files found registered in batch_id (their pages
 * queued), skipped or rejected, with their office. */
int run_register_files(PGconn *conn, long batch_id, const struct office_index *offices,
		       const struct office_map *omap, const char *office, const char *move_dir,
		       struct discovery *d, herr *e);
void run_discovery_release(struct discovery *d);

/* run_matcher_load: the registry in memory (none when the database has no
 * citizens); run_matcher_release. */
int run_matcher_load(PGconn *conn, struct matcher *mt, herr *e);
void run_matcher_release(struct matcher *mt);
/* run_match_batch: the people of batch_id (every stored record when 0)
 * matched and stored; with `close`, the batch done with its matches. */
int run_match_batch(PGconn *conn, const struct matcher *mt, long batch_id, int close,
		    struct match_outcome *mo, herr *e);
/* run_finish_other: a batch a dead run left open, matched and done;
 * *entry its line of this run's summary (NULL: a live run holds it). */
int run_finish_other(PGconn *conn, const struct matcher *mt, const struct batch_ref *b,
		     const char *by, json_t **entry, long *failed, herr *e);

/* The summary: the pages by doc_type and the records of a batch; what the
 * matching did; the text of a summary. */
json_t *run_pages_by_type(PGconn *conn, long batch_id, long *records, herr *e);
json_t *run_matching_json(const struct match_outcome *mo);
void run_print_summary(const json_t *sum, const struct discovery *d);

/* What a run did, for its summary. */
struct run_report {
	const char *batch;
	long batch_id;
	const struct discovery *d;
	long loaded, loaded_other;     /* files of this batch, of others, loaded */
	json_t *other_names;	       /* the batches of others read (names) */
	const struct batch_queue_counts *qc; /* this batch's */
	long pages_this_run; /* of every open batch, read while this run lived */
	const struct match_outcome *mo;
	json_t *finished; /* the other batches finished: their lines */
	double t0;	  /* when the run started (clock_now_s) */
	double t_names, t_pages, t_registry, t_match;
};
/* run_summary: the summary as JSON stored with the batch, then printed
 * (JSON with `json`, else text). */
int run_summary(PGconn *conn, const struct run_report *r, int json, herr *e);

#endif
