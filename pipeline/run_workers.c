/*
 * run_workers.c — the batch engine's workers (run.h): forked readers that
 * claim pages until none is left, the coordinator that drives them and
 * shows the progress, and the host's name in the leases.
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

volatile sig_atomic_t run_stop_requested;

void run_on_signal(int sig)
{
	(void)sig;
	run_stop_requested = 1;
}

/*
 * worker_host: the host part of a worker's name in the leases ("host:pid"):
 * $HOTICH_HOST, else the host name.  A run releases at once the pages of
 * the dead workers of its own host; those of other hosts wait for their
 * lease to run out.
 */
void run_worker_host(char *buf, size_t n)
{
	const char *h = getenv("HOTICH_HOST");

	if (h && *h && !strchr(h, ':')) {
		snprintf(buf, n, "%s", h);
		return;
	}
	if (gethostname(buf, n) < 0)
		snprintf(buf, n, "%s", "localhost");
	buf[n - 1] = '\0';
}

/* worker_name: a worker's name in the leases, "host:pid". */
static void worker_name(pid_t pid, char *buf, size_t n)
{
	char host[128];

	run_worker_host(host, sizeof(host));
	snprintf(buf, n, "%s:%ld", host, (long)pid);
}

/* ------------------------------------------------------------------------
 * Workers
 * ---------------------------------------------------------------------- */

/*
 * The scan a worker read its last page from, kept open for the next page
 * of the same file (claims go in file order): opening a scan hashes all of
 * it and walks its directory chain, which for a register book of 500
 * pages is 500 times the book read over the shared volume.  It is taken
 * again only while the file is the one that was hashed: same device,
 * inode, size and modification time as when it was opened.
 */
struct open_scan {
	struct ocr_file *f;
	long file_id;
	struct stat st;
	struct ocr_options o; /* f's options: the worker's, with its batch's dpi */
};

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* scan_open: the scan of job `j` (owned by `c`), or NULL with `e` set. */
static struct ocr_file *scan_open(struct open_scan *c, const struct page_job *j,
				  const struct ocr_options *o, herr *e)
{
	struct stat before, after;

	if (c->f && c->file_id == j->file_id && c->o.dpi == j->dpi && stat(j->path, &after) == 0 &&
	    same_file(&c->st, &after))
		return c->f;
	ocr_file_close(c->f);
	c->f = NULL;
	c->o = *o;
	if (j->dpi)
		c->o.dpi = j->dpi; /* hotich run --dpi */
	if (stat(j->path, &before) < 0) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: %s", j->path, strerror(errno));
		return NULL;
	}
	c->f = ocr_file_open(j->path, &c->o, e);
	/* kept only when nothing changed the file while it was hashed */
	if (c->f && stat(j->path, &after) == 0 && same_file(&before, &after)) {
		c->file_id = j->file_id;
		c->st = before;
	} else {
		c->file_id = 0;
	}
	return c->f;
}

static void scan_close(struct open_scan *c)
{
	ocr_file_close(c->f);
	memset(c, 0, sizeof(*c));
}

/*
 * The worker loop: claim a page, read it, store it; until no page is left
 * to read nor held by another worker (whose lease may run out: a worker that
 * hangs holds its page no longer than that).  Returns an exit code; the
 * database going away is fatal (3).
 */
int run_worker_loop(const struct worker_cfg *w)
{
	struct ocr_engine *eng;
	struct open_scan scan = { 0 };
	PGconn *conn;
	char id[160];
	herr e = { 0 };
	double idle_since = 0;
	int rc = HT_EXIT_OK;

	worker_name(getpid(), id, sizeof(id));
	conn = cmd_db_open(w->g, DB_OPEN_CHECK_SCHEMA, &e);
	if (!conn)
		return log_herr(&e);
	eng = ocr_engine_new(&w->ocr, &e);
	if (!eng) {
		db_close(conn);
		return log_herr(&e);
	}
	while (!run_stop_requested) {
		struct page_job j;
		struct ocr_file *f;
		struct ocr_page page;
		int got = batch_job_claim(conn, id, w->lease_s, 3, &j, &e);

		if (got < 0) {
			rc = log_herr(&e);
			break;
		}
		if (!got) {
			long pending = 0, held = 0;

			if (w->shared && atomic_load(&w->shared->discovering)) {
				/* the coordinator is still queueing files */
				idle_since = 0;
				usleep(100 * 1000);
				continue;
			}
			if (batch_queue_pending(conn, &pending, &held, &e) < 0) {
				rc = log_herr(&e);
				break;
			}
			if (pending || held) {
				/*
				 * Pages other workers hold: one that hangs or is frozen
				 * loses its page when the lease runs out, and a worker
				 * still here takes it over.  (The coordinator stops its
				 * workers once every page is read.)
				 */
				idle_since = 0;
				sleep(1);
				continue;
			}
			if (!idle_since)
				idle_since = clock_now_s();
			if (clock_now_s() - idle_since >= w->wait_s)
				break;
			sleep(1);
			continue;
		}
		idle_since = 0;
		f = scan_open(&scan, &j, &w->ocr, &e);
		if (!f || strcmp(ocr_file_sha256(f), j.sha256)) {
			char *why =
			    f ? xstrdup("the file changed since it was queued") : xstrdup(e.msg);

			log_error("%s: page %d: %s", j.path, j.page_no, why);
			if (batch_job_fail(conn, &j, why, &e) < 0)
				rc = log_herr(&e);
			free(why);
			scan_close(&scan);
			batch_page_job_release(&j);
			if (rc)
				break;
			continue;
		}
		herr_clear(&e);
		if (ocr_read_page(eng, f, j.page_no, &page, &e) < 0) {
			log_error("%s", e.msg);
			if (batch_job_fail(conn, &j, e.msg, &e) < 0)
				rc = log_herr(&e);
		} else if (batch_page_store(conn, &j, &page, w->offices, &e) < 0) {
			rc = log_herr(&e);
		}
		ocr_page_release(&page);
		batch_page_job_release(&j);
		if (rc)
			break;
	}
	scan_close(&scan);
	ocr_engine_free(eng);
	db_close(conn);
	return rc;
}

/* Start n workers; their pids in pids[] (0 for a slot not started). */
int run_spawn_workers(const struct worker_cfg *w, int n, pid_t *pids)
{
	int started = 0;

	fflush(NULL);
	for (int i = 0; i < n; i++) {
		pid_t pid;

		if (pids[i])
			continue;
		pid = fork();
		if (pid < 0) {
			log_error("could not start a worker: %s", strerror(errno));
			break;
		}
		if (pid == 0) {
			/* a worker: its own connection (the parent's socket is left alone) */
			signal(SIGINT, run_on_signal);
			signal(SIGTERM, run_on_signal);
			_exit(run_worker_loop(w));
		}
		pids[i] = pid;
		started++;
	}
	return started;
}

/* ------------------------------------------------------------------------
 * Progress
 * ---------------------------------------------------------------------- */

static void show_progress(struct progress *pg, const struct batch_queue_counts *c, int final)
{
	double el = clock_now_s() - pg->start;
	long done = c->pages_done + c->pages_failed, mine = done - pg->pages0;
	double ppm = el > 1 ? (double)mine / el * 60.0 : 0;
	long left = c->pages - done;
	char eta[32] = "--:--";

	if (pg->quiet)
		return;
	if (ppm > 0) {
		long s = (long)((double)left / ppm * 60.0);

		snprintf(eta, sizeof(eta), "%ld:%02ld", s / 60, s % 60);
	}
	if (pg->tty) {
		int width = 24, fill = c->pages ? (int)(width * done / c->pages) : width;

		fprintf(stderr,
			"\r[%.*s%*s] files %ld/%ld  pages %ld/%ld  %.1f pages/min  ETA %s"
			"  errors %ld \033[K",
			fill, "########################", width - fill, "",
			c->files_loaded + c->files_rejected, c->files, done, c->pages, ppm, eta,
			c->files_rejected + c->pages_failed);
		if (final)
			fputc('\n', stderr);
		fflush(stderr);
	} else if (final || clock_now_s() - pg->last_log >= 10) {
		time_t t = time(NULL);
		struct tm tm;
		char ts[32];

		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
		fprintf(stderr,
			"%s hotich: files %ld/%ld, pages %ld/%ld, %.1f pages/min, ETA %s, "
			"errors %ld\n",
			ts, c->files_loaded + c->files_rejected, c->files, done, c->pages, ppm, eta,
			c->files_rejected + c->pages_failed);
		pg->last_log = clock_now_s();
	}
}

/* ------------------------------------------------------------------------
 * hotich run
 * ---------------------------------------------------------------------- */

int run_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/*
 * worker_died: a worker killed by a signal (a crash in a page, the OOM
 * killer, an operator): the page it held is read again by another at once,
 * not when its lease runs out.  said: its end was told already.
 */
static int worker_died(PGconn *conn, pid_t pid, int status, int said, herr *e)
{
	char id[160];
	int n;

	worker_name(pid, id, sizeof(id));
	n = batch_job_release_worker(conn, id, e);
	if (n < 0)
		return -1;
	if (!said)
		log_warning("worker %ld stopped by signal %d (%s)%s", (long)pid, WTERMSIG(status),
			    strsignal(WTERMSIG(status)),
			    n ? ": its page is read again" : " between pages");
	return 0;
}

/*
 * settle_workers: every page is read, and workers are still there.  A worker
 * waiting for pages others held, or one that lost its page to another
 * after its lease ran out (frozen, hung, stuck in a page), has nothing left
 * to do: it is asked to stop (SIGTERM: after its page, if it is in one; a
 * late result is not stored, the page being another's) and, if still there
 * a lease later, killed.  *since: when this was first seen.
 */
static void settle_workers(const struct worker_cfg *w, int jobs, const pid_t *pids, double *since)
{
	double grace = w->lease_s;

	if (!*since) {
		*since = clock_now_s();
		for (int i = 0; i < jobs; i++)
			if (pids[i])
				kill(pids[i], SIGTERM);
		return;
	}
	if (*since < 0 || clock_now_s() - *since < grace)
		return;
	for (int i = 0; i < jobs; i++)
		if (pids[i]) {
			log_warning("worker %ld did not stop %.0f s after every page was read: "
				    "stopped (SIGKILL)",
				    (long)pids[i], grace);
			kill(pids[i], SIGKILL);
		}
	*since = -1; /* once */
}

/*
 * drive: wait for the workers (pids[], `jobs` slots) while showing the
 * progress of every batch not done; start others while pages are left and
 * workers died; with no worker here (--jobs 0), wait for the pages that
 * workers elsewhere read.  Returns when no batch has a page left to read.
 */
int run_drive(PGconn *conn, const struct worker_cfg *w, int jobs, pid_t *pids, struct progress *pg,
	      herr *e)
{
	int alive = 0, fatal = 0, rounds = 0, said = 0;
	double settled_since = 0;
	struct batch_queue_counts qc = { 0 };

	for (int i = 0; i < jobs; i++)
		alive += pids[i] != 0;
	for (;;) {
		int status;
		pid_t pid;

		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < jobs; i++)
				if (pids[i] == pid) {
					pids[i] = 0;
					alive--;
				}
			if (WIFEXITED(status) && WEXITSTATUS(status) == HT_EXIT_FATAL)
				fatal = 1;
			else if (WIFSIGNALED(status) &&
				 worker_died(conn, pid, status, settled_since < 0, e) < 0) {
				fatal = 2;
				break;
			}
		}
		if (fatal == 2)
			break;
		if (run_stop_requested) {
			for (int i = 0; i < jobs; i++)
				if (pids[i])
					kill(pids[i], SIGTERM);
		}
		if (batch_queue_counts(conn, 0, &qc, e) < 0) {
			fatal = 2;
			break;
		}
		show_progress(pg, &qc, 0);
		if (alive > 0 && qc.pages_done + qc.pages_failed == qc.pages)
			settle_workers(w, jobs, pids, &settled_since);
		else
			settled_since = 0;
		if (alive == 0) {
			long pending = 0, running = 0;

			if (fatal || run_stop_requested)
				break;
			if (batch_queue_pending(conn, &pending, &running, e) < 0) {
				fatal = 2;
				break;
			}
			if (!pending && !running)
				break;
			if (pending && jobs > 0 && ++rounds <= 3) {
				/* a worker died: its pages wait, start others */
				alive = run_spawn_workers(w, jobs, pids);
				continue;
			}
			if (jobs == 0 || !pending) {
				/* pages leased by (or left to) workers elsewhere: hotich worker */
				if (jobs == 0 && !said++)
					log_info("waiting for the workers of other hosts ('hotich "
						 "worker') to read %ld page%s",
						 pending + running,
						 pending + running == 1 ? "" : "s");
				sleep(1);
				continue;
			}
			break;
		}
		usleep(300 * 1000);
	}
	for (int i = 0; i < jobs; i++)
		if (pids[i]) {
			waitpid(pids[i], NULL, 0);
			pids[i] = 0;
		}
	if (fatal == 2)
		return -1;
	if (fatal)
		return herr_set(e, HT_EXIT_FATAL,
				"a worker lost the database; run the same command "
				"again when it is back");
	if (run_stop_requested)
		return herr_set(e, HT_EXIT_FATAL, "stopped; run the same command to finish");
	show_progress(pg, &qc, 1);
	return 0;
}

/* stop_workers: after a failure of the coordinator, its workers stop too. */
void run_stop_workers(pid_t *pids, int jobs)
{
	for (int i = 0; i < jobs; i++)
		if (pids[i])
			kill(pids[i], SIGTERM);
	for (int i = 0; i < jobs; i++)
		if (pids[i]) {
			waitpid(pids[i], NULL, 0);
			pids[i] = 0;
		}
}
