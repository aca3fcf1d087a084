/*
 * cmd_run.c — the nightly batch: `hotich run` (find the scans, queue their
 * pages, read them with N worker processes, match, summarize), `hotich
 * worker` (the same workers on another host), `hotich match` (matching
 * again on stored records, after a registry import).
 *
 * The coordinator registers files and pages in the database and forks the
 * workers; each worker opens its own connection and its own Tesseract
 * handle and claims pages until none is left.  Everything a page yields
 * is stored in one transaction with its job marked done, so a run killed
 * at any moment and started again finishes with every record once.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../loaders/loaders.h"
#include "../match/match.h"
#include "../ocr/ocr.h"
#include "commands.h"

static const char run_usage[] =
    "usage: hotich run [OPTIONS] INPUT...\n"
    "\n"
    "The nightly batch: find the scans under each INPUT (files or folders,\n"
    "recursively, in a stable order), skip those already loaded (by the SHA-256\n"
    "of their bytes), read every page, match the people to the registry, load\n"
    "everything, and print a summary.  Stopped at any moment, the same command\n"
    "finishes the batch with every record loaded once.\n"
    "\n"
    "  --jobs N              worker processes (default: the number of cores)\n"
    "  --batch NAME          the batch's name (default: run-YYYY-MM-DD)\n"
    "  --office NAME         the registration office of the scans that no folder\n"
    "                        mapping places\n"
    "  --offices FILE        a CSV folder,registry_office: the office of the\n"
    "                        scans under each folder (the inventory's folders too)\n"
    "  --move-rejected DIR   move files that cannot be read there\n"
    "  --lease SECONDS       how long a worker holds a page (default 120)\n"
    "  --json                print the summary as JSON\n"
    "  -q, --quiet           no progress\n";

static const char worker_usage[] =
    "usage: hotich worker [--lease SECONDS] [--wait SECONDS]\n"
    "\n"
    "Join the open batches of the database and read their pages until none is\n"
    "left (scans on a path all hosts share).  --wait: how long to wait for new\n"
    "pages before stopping (default 0).\n";

static const char match_usage[] =
    "usage: hotich match [--batch NAME | --unlinked] [--thresholds A,R] [--jobs N]\n"
    "\n"
    "Match the people of stored records again, without OCR (after a registry\n"
    "import): a batch's, those not linked yet, or (neither option) all.  A\n"
    "reviewer's decision is never replaced.\n";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static PGconn *open_db(const struct global_opts *g, unsigned extra, herr *e)
{
	struct db_target t;
	PGconn *conn;

	if (db_target_resolve(&t, g->db, e) < 0)
		return NULL;
	conn = db_open(&t, DB_OPEN_CHECK_SCHEMA | extra, e);
	db_target_release(&t);
	return conn;
}

/* ------------------------------------------------------------------------
 * Workers
 * ---------------------------------------------------------------------- */

struct worker_cfg {
	const struct global_opts *g;
	int lease_s;
	int wait_s; /* keep asking this long after the queue is empty */
	const struct vn_name_model *names;
	const struct office_index *offices; /* the known offices, to name a record's */
};

/*
 * The worker loop: claim a page, read it, store it; until no page is left.
 * Returns an exit code; the database going away is fatal (3).
 */
static int worker_loop(const struct worker_cfg *w)
{
	struct ocr_options o;
	struct ocr_engine *eng;
	PGconn *conn;
	char host[128], id[160];
	herr e = { 0 };
	double idle_since = 0;
	int rc = HT_EXIT_OK;

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	snprintf(id, sizeof(id), "%s:%ld", host, (long)getpid());
	conn = open_db(w->g, 0, &e);
	if (!conn)
		return log_herr(&e);
	ocr_options_init(&o);
	o.names = w->names;
	eng = ocr_engine_new(&o, &e);
	if (!eng) {
		PQfinish(conn);
		return log_herr(&e);
	}
	while (!stop_requested) {
		struct page_job j;
		struct ocr_file *f;
		struct ocr_page page;
		int got = job_claim(conn, id, w->lease_s, 3, &j, &e);

		if (got < 0) {
			rc = log_herr(&e);
			break;
		}
		if (!got) {
			if (!idle_since)
				idle_since = now_s();
			if (now_s() - idle_since >= w->wait_s)
				break;
			sleep(1);
			continue;
		}
		idle_since = 0;
		f = ocr_file_open(j.path, &o, &e);
		if (!f || strcmp(ocr_file_sha256(f), j.sha256)) {
			char *why =
			    f ? xstrdup("the file changed since it was queued") : xstrdup(e.msg);

			log_error("%s: page %d: %s", j.path, j.page_no, why);
			if (job_fail(conn, &j, why, &e) < 0)
				rc = log_herr(&e);
			free(why);
			ocr_file_close(f);
			page_job_release(&j);
			if (rc)
				break;
			continue;
		}
		herr_clear(&e);
		if (ocr_read_page(eng, f, j.page_no, &page, &e) < 0) {
			log_error("%s", e.msg);
			if (job_fail(conn, &j, e.msg, &e) < 0)
				rc = log_herr(&e);
		} else if (page_store(conn, &j, &page, w->offices, &e) < 0) {
			rc = log_herr(&e);
		}
		ocr_page_release(&page);
		ocr_file_close(f);
		page_job_release(&j);
		if (rc)
			break;
	}
	ocr_engine_free(eng);
	PQfinish(conn);
	return rc;
}

/* Start n workers; their pids in pids[]. */
static int spawn_workers(const struct worker_cfg *w, int n, pid_t *pids)
{
	int started = 0;

	fflush(NULL);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			log_error("could not start a worker: %s", strerror(errno));
			break;
		}
		if (pid == 0) {
			/* a worker: its own connection (the parent's socket is left alone) */
			signal(SIGINT, on_signal);
			signal(SIGTERM, on_signal);
			_exit(worker_loop(w));
		}
		pids[started++] = pid;
	}
	return started;
}

/* ------------------------------------------------------------------------
 * Discovery
 * ---------------------------------------------------------------------- */

struct paths {
	char **v;
	size_t n;
};

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(struct paths *p, const char *s)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	p->v[p->n++] = xstrdup(s);
}

/*
 * display_path: `p` with what a database text column, JSON and a log line
 * cannot carry made visible: bytes that are not UTF-8 as \xNN, control
 * characters (a newline in a file name) as \n, \t or \xNN.
 */
static char *display_path(const char *p, int *clean)
{
	const unsigned char *s = (const unsigned char *)p;
	strbuf b = STRBUF_INIT;

	*clean = 1;
	while (*s) {
		int n = 0;

		if (*s < 0x80)
			n = 0;
		else if (*s >= 0xc2 && *s <= 0xdf)
			n = 1;
		else if (*s >= 0xe0 && *s <= 0xef)
			n = 2;
		else if (*s >= 0xf0 && *s <= 0xf4)
			n = 3;
		else
			n = -1;
		for (int k = 1; n > 0 && k <= n; k++)
			if ((s[k] & 0xc0) != 0x80)
				n = -1;
		/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
		if ((n == 2 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) ||
		    (n == 3 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))))
			n = -1;
		if (n < 0) {
			strbuf_addf(&b, "\\x%02x", *s);
			*clean = 0;
			s++;
		} else if (n == 0 && *s < 0x20) {
			if (*s == '\n')
				strbuf_addstr(&b, "\\n");
			else if (*s == '\t')
				strbuf_addstr(&b, "\\t");
			else
				strbuf_addf(&b, "\\x%02x", *s);
			s++;
		} else {
			strbuf_add(&b, s, (size_t)n + 1);
			s += n + 1;
		}
	}
	return b.buf ? strbuf_detach(&b, NULL) : xstrdup("");
}

/* A path that cannot be a scan, with the reason (reported, not loaded). */
struct skipped {
	char **path, **reason;
	size_t n;
};

static void skip_add(struct skipped *sk, const char *path, const char *reason)
{
	int clean;

	sk->path = xrealloc(sk->path, (sk->n + 1) * sizeof(*sk->path));
	sk->reason = xrealloc(sk->reason, (sk->n + 1) * sizeof(*sk->reason));
	sk->path[sk->n] = display_path(path, &clean);
	sk->reason[sk->n] = xstrdup(reason);
	sk->n++;
}

#define WALK_MAX_DEPTH 64

struct walk_dir {
	dev_t dev;
	ino_t ino;
};

/*
 * Regular files under `path`, recursively (symbolic links followed);
 * hidden entries skipped.  What cannot be walked below the inputs (an
 * unreadable folder, a dangling link, a link back to a folder above it, a
 * FIFO or device) is reported in `sk` and the rest goes on; an input that
 * does not exist is a usage error.
 */
static int walk(const char *path, int depth, struct walk_dir *stack, struct paths *out,
		struct skipped *sk, herr *e)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (stat(path, &st) < 0) {
		if (depth == 0)
			return herr_set(e, HT_EXIT_USAGE, "%s: %s", path, strerror(errno));
		skip_add(sk, path, strerror(errno));
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		add_path(out, path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		skip_add(sk, path, "not a regular file (a FIFO, socket or device)");
		return 0;
	}
	for (int i = 0; i < depth; i++) {
		if (stack[i].dev == st.st_dev && stack[i].ino == st.st_ino) {
			skip_add(sk, path, "a symbolic link back to a folder above it (a loop)");
			return 0;
		}
	}
	if (depth >= WALK_MAX_DEPTH) {
		skip_add(sk, path, "folders nested more than 64 deep");
		return 0;
	}
	d = opendir(path);
	if (!d) {
		if (depth == 0)
			return herr_set(e, HT_EXIT_USAGE, "%s: %s", path, strerror(errno));
		skip_add(sk, path, strerror(errno));
		return 0;
	}
	stack[depth].dev = st.st_dev;
	stack[depth].ino = st.st_ino;
	while ((de = readdir(d))) {
		char *child;
		int rc;

		if (de->d_name[0] == '.')
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		rc = walk(child, depth + 1, stack, out, sk, e);
		free(child);
		if (rc < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static void move_rejected(PGconn *conn, const char *dir, const char *path, const char *sha)
{
	const char *base = strrchr(path, '/');
	char *to;
	herr e = { 0 };

	if (mkdir_p(dir, 0755, &e) < 0) {
		log_herr(&e);
		return;
	}
	to = xasprintf("%s/%s", dir, base ? base + 1 : path);
	if (rename(path, to) < 0)
		log_warning("%s: could not move to %s: %s", path, dir, strerror(errno));
	else if (file_set_path(conn, sha, to, &e) < 0)
		log_herr(&e);
	free(to);
}

struct discovery {
	long seen, skipped_loaded, skipped_rejected, resumed, registered, rejected, pages;
	json_t *rejects; /* [{file, reason}] */
};

/* The office of a scan: its folder's, else --office; as the index names it. */
static char *file_office(const struct office_index *x, const struct office_map *m,
			 const char *office_opt, const char *path)
{
	const char *given = office_map_lookup(m, path);
	struct office_unit u;
	char *name;

	if (!given)
		given = office_opt;
	if (!given || !office_source(x, given, &u))
		return NULL;
	name = u.name;
	u.name = NULL;
	office_unit_release(&u);
	return name;
}

static int discover(PGconn *conn, long batch_id, char **inputs, int ninputs,
		    const struct office_index *offices, const struct office_map *omap,
		    const char *office_opt, const char *move_dir, struct discovery *d, herr *e)
{
	struct paths ps = { 0 };
	struct ocr_options o;
	int rc = 0;

	struct skipped sk = { 0 };
	struct walk_dir stack[WALK_MAX_DEPTH + 1];

	ocr_options_init(&o);
	d->rejects = json_array();
	for (int i = 0; i < ninputs; i++)
		if (walk(inputs[i], 0, stack, &ps, &sk, e) < 0) {
			rc = -1;
			goto done;
		}
	for (size_t i = 0; i < sk.n; i++) {
		log_error("%s: %s", sk.path[i], sk.reason[i]);
		d->seen++;
		d->rejected++;
		json_array_append_new(d->rejects, json_pack("{s:s, s:s}", "file", sk.path[i],
							    "reason", sk.reason[i]));
	}
	qsort(ps.v, ps.n, sizeof(*ps.v), cmp_path);
	for (size_t i = 0; i < ps.n; i++) {
		const char *p = ps.v[i];
		char sha[65];
		long file_id;
		enum file_state state;
		struct stat st;
		struct ocr_file *f;
		herr fe = { 0 };
		char *office;
		int clean;
		char *shown = display_path(p, &clean);

		d->seen++;
		if (stat(p, &st) < 0 || sha256_file(p, sha, &fe) < 0) {
			const char *why = fe.msg[0] ? fe.msg : strerror(errno);
			char *why_shown = display_path(why, &clean);

			log_error("%s: %s", shown, why_shown);
			d->rejected++;
			json_array_append_new(d->rejects, json_pack("{s:s, s:s}", "file", shown,
								    "reason", why_shown));
			free(why_shown);
			free(shown);
			continue;
		}
		if (!clean) {
			/* workers open files by the name kept in the database, which
			 * holds UTF-8 only */
			static const char why[] = "the file name is not valid UTF-8: rename the file";

			log_error("%s: %s", shown, why);
			office = file_office(offices, omap, office_opt, shown);
			if (file_state(conn, sha, &file_id, &state, e) < 0 ||
			    (state == FILE_NEW &&
			     file_reject(conn, batch_id, sha, shown, (long)st.st_size, office, why, e) <
				 0)) {
				free(office);
				free(shown);
				rc = -1;
				goto done;
			}
			free(office);
			d->rejected++;
			json_array_append_new(d->rejects,
					      json_pack("{s:s, s:s}", "file", shown, "reason", why));
			free(shown);
			continue;
		}
		free(shown);
		if (file_state(conn, sha, &file_id, &state, e) < 0) {
			rc = -1;
			goto done;
		}
		if (state == FILE_LOADED) {
			d->skipped_loaded++;
			continue;
		}
		if (state == FILE_REJECTED) {
			d->skipped_rejected++;
			continue;
		}
		if (state == FILE_PENDING) {
			d->resumed++;
			continue;
		}
		f = ocr_file_open(p, &o, &fe);
		if (!f) {
			/* a file that cannot be read: recorded with its reason, left (or moved) */
			log_error("%s", fe.msg);
			office = file_office(offices, omap, office_opt, p);
			rc = file_reject(conn, batch_id, sha, p, (long)st.st_size, office, fe.msg,
					 e);
			free(office);
			if (rc < 0)
				goto done;
			d->rejected++;
			json_array_append_new(d->rejects,
					      json_pack("{s:s, s:s}", "file", p, "reason", fe.msg));
			if (move_dir)
				move_rejected(conn, move_dir, p, sha);
			continue;
		}
		if (ocr_file_warning(f))
			log_warning("%s: %s", p, ocr_file_warning(f));
		office = file_office(offices, omap, office_opt, p);
		rc = file_register(conn, batch_id, sha, p, (long)st.st_size, ocr_file_format(f),
				   ocr_file_pages(f), office, &file_id, e);
		free(office);
		if (rc < 0) {
			ocr_file_close(f);
			goto done;
		}
		d->registered++;
		d->pages += ocr_file_pages(f);
		ocr_file_close(f);
	}
done:
	for (size_t i = 0; i < ps.n; i++)
		free(ps.v[i]);
	free(ps.v);
	for (size_t i = 0; i < sk.n; i++) {
		free(sk.path[i]);
		free(sk.reason[i]);
	}
	free(sk.path);
	free(sk.reason);
	return rc;
}

/* ------------------------------------------------------------------------
 * Progress
 * ---------------------------------------------------------------------- */

struct progress {
	int tty, quiet;
	double start, last_log;
	long pages0; /* pages already done when this run started */
};

static void show_progress(struct progress *pg, const struct queue_counts *c, int final)
{
	double el = now_s() - pg->start;
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
	} else if (final || now_s() - pg->last_log >= 10) {
		time_t t = time(NULL);
		struct tm tm;
		char ts[32];

		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
		fprintf(stderr,
			"%s hotich: files %ld/%ld, pages %ld/%ld, %.1f pages/min, ETA %s, "
			"errors %ld\n",
			ts, c->files_loaded + c->files_rejected, c->files, done, c->pages, ppm, eta,
			c->files_rejected + c->pages_failed);
		pg->last_log = now_s();
	}
}

/* ------------------------------------------------------------------------
 * Matching
 * ---------------------------------------------------------------------- */

struct match_outcome {
	long people, auto_, review, none, kept;
	int done;
	char version[40];
};

static int match_stored(PGconn *conn, long batch_id, const double *thresholds, int threads,
			struct match_outcome *mo, herr *e)
{
	struct match_registry *reg;
	struct people_set ps;
	struct match_model model;
	struct match_options o;
	struct match_stats st;
	struct match_result *res;
	long citizens = 0;
	int rc = 0;

	memset(mo, 0, sizeof(*mo));
	if (citizens_count(conn, &citizens, e) < 0)
		return -1;
	if (!citizens) {
		log_warning("no registry in the database ('hotich registry import'): the people "
			    "of the records are not matched yet");
		return 0;
	}
	if (people_for_matching(conn, batch_id, &ps, e) < 0)
		return -1;
	reg = match_registry_new();
	if (citizens_to_registry(conn, reg, e) < 0) {
		people_set_release(&ps);
		match_registry_free(reg);
		return -1;
	}
	match_registry_finish(reg);
	match_model_defaults(&model);
	if (thresholds) {
		model.auto_threshold = thresholds[0];
		model.review_threshold = thresholds[1];
	}
	match_options_init(&o);
	o.threads = threads > 0 ? threads : 1;
	res = xcalloc(ps.n ? ps.n : 1, sizeof(*res));
	if (match_link(reg, &model, ps.q, ps.n, &o, res, &st, e) < 0 ||
	    matches_store(conn, batch_id, &model, reg, &ps, res, &mo->kept, e) < 0) {
		rc = -1;
	} else {
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
	people_set_release(&ps);
	match_registry_free(reg);
	return rc;
}

/* ------------------------------------------------------------------------
 * hotich run
 * ---------------------------------------------------------------------- */

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* Wait for the workers while showing progress; restart them while work is left. */
static int drive(PGconn *conn, long batch_id, const struct worker_cfg *w, int jobs,
		 struct progress *pg, herr *e)
{
	pid_t *pids = xcalloc((size_t)jobs, sizeof(pid_t));
	int alive = spawn_workers(w, jobs, pids), fatal = 0, rounds = 0;
	struct queue_counts qc;

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
		}
		if (stop_requested) {
			for (int i = 0; i < jobs; i++)
				if (pids[i])
					kill(pids[i], SIGTERM);
		}
		if (queue_counts(conn, batch_id, &qc, e) < 0) {
			fatal = 2;
			break;
		}
		show_progress(pg, &qc, 0);
		if (alive == 0) {
			long pending = 0, running = 0;

			if (fatal || stop_requested)
				break;
			if (queue_open(conn, &pending, &running, e) < 0) {
				fatal = 2;
				break;
			}
			if (!pending && !running)
				break;
			if (pending && ++rounds <= 3) {
				/* a worker died: its pages wait, start others */
				alive = spawn_workers(w, jobs, pids);
				continue;
			}
			if (!pending && running) {
				/* pages leased by workers elsewhere (hotich worker) */
				sleep(1);
				continue;
			}
			break;
		}
		usleep(300 * 1000);
	}
	for (int i = 0; i < jobs; i++)
		if (pids[i])
			waitpid(pids[i], NULL, 0);
	free(pids);
	if (fatal == 2)
		return -1;
	if (fatal)
		return herr_set(e, HT_EXIT_FATAL,
				"a worker lost the database; run the same command "
				"again when it is back");
	if (stop_requested)
		return herr_set(e, HT_EXIT_FATAL, "stopped; run the same command to finish");
	show_progress(pg, &qc, 1);
	return 0;
}

static json_t *pages_by_type(PGconn *conn, long batch_id, long *records, herr *e)
{
	/* a small read-only summary: counts per doc_type of this batch */
	strbuf v = STRBUF_INIT;
	char b[24];
	const char *p[1] = { b };
	json_t *o = NULL;
	int rc;

	snprintf(b, sizeof(b), "%ld", batch_id);
	rc = db_query_value(
	    conn,
	    "SELECT json_build_object('pages', coalesce((SELECT json_object_agg(t, n)"
	    " FROM (SELECT pg.doc_type AS t, count(*) AS n FROM pages pg"
	    "  JOIN source_files f USING (file_id) WHERE f.batch_id = $1::bigint"
	    "  GROUP BY 1) x), '{}'::json), 'records', (SELECT count(*) FROM records r"
	    " JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f"
	    " ON f.file_id = pg.file_id WHERE f.batch_id = $1::bigint))::text",
	    1, p, &v, e);
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

int cmd_run(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "jobs", required_argument, NULL, 'j' },
					      { "batch", required_argument, NULL, 'b' },
					      { "office", required_argument, NULL, 'o' },
					      { "offices", required_argument, NULL, 'O' },
					      { "move-rejected", required_argument, NULL, 'm' },
					      { "lease", required_argument, NULL, 'l' },
					      { "json", no_argument, NULL, 'J' },
					      { "quiet", no_argument, NULL, 'q' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *batch = NULL, *office = NULL, *offices_file = NULL, *move_dir = NULL;
	int jobs = cores(), json = 0, quiet = 0, c, rc = HT_EXIT_OK;
	long v, batch_id = 0, records = 0, loaded0 = 0, retried = 0;
	char default_name[32], host[128];
	struct worker_cfg w = { g, 120, 0, NULL, NULL };
	struct discovery d = { 0 };
	struct progress pg = { 0 };
	struct queue_counts qc = { 0 };
	struct match_outcome mo = { 0 };
	struct vn_name_model *names = NULL;
	struct office_index *offices = NULL;
	struct office_map *omap = NULL;
	PGconn *conn;
	herr e = { 0 };
	json_t *sum = NULL;
	double t0 = now_s();

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (parse_int(optarg, 1, 256, &v) < 0)
				return usage_error("run", "--jobs must be 1..256");
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
			if (parse_int(optarg, 5, 86400, &v) < 0)
				return usage_error("run", "--lease must be 5..86400 seconds");
			w.lease_s = (int)v;
			break;
		case 'J':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return HT_EXIT_OK;
		case ':':
			return usage_error("run", "option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("run", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("run", "no INPUT given (files or folders of scans)");
	omap = office_map_new();
	if (offices_file && office_map_read(omap, offices_file, &e) < 0) {
		log_herr(&e);
		office_map_free(omap);
		return HT_EXIT_USAGE;
	}
	if (!batch) {
		time_t t = time(NULL);
		struct tm tm;

		strftime(default_name, sizeof(default_name), "run-%Y-%m-%d", localtime_r(&t, &tm));
		batch = default_name;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	conn = open_db(g, DB_OPEN_START_LOCAL | DB_OPEN_MIGRATE_LOCAL, &e);
	if (!conn) {
		office_map_free(omap);
		return log_herr(&e);
	}
	{
		json_t *opt = json_pack("{s:i, s:s?}", "jobs", jobs, "office", office);
		char *os = json_dumps(opt, JSON_COMPACT);

		rc = batch_open(conn, batch, office, os, &batch_id, &e);
		free(os);
		json_decref(opt);
		if (rc < 0)
			goto fatal;
	}
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	if (job_retry_abandoned(conn, &retried, &e) < 0)
		goto fatal;
	if (retried)
		log_info("%ld page%s set aside earlier (a worker died each time) will be read again",
			 retried, retried == 1 ? "" : "s");
	/* the offices the inventory knows, and its folders (after --offices') */
	offices = office_index_new();
	w.offices = offices;
	if (office_index_load(conn, offices, &e) < 0 ||
	    office_map_load_inventory(conn, omap, &e) < 0)
		goto fatal;
	if (job_release_dead(conn, host, &e) < 0 ||
	    discover(conn, batch_id, argv + optind, argc - optind, offices, omap, office, move_dir,
		     &d, &e) < 0)
		goto fatal;
	/* the registry's names help judge the names read (shared by the workers) */
	names = vn_name_model_new();
	if (citizens_names(conn, names, &e) < 0)
		goto fatal;
	w.names = names;
	pg.tty = isatty(2);
	pg.quiet = quiet || log_get_level() < HT_LOG_INFO;
	pg.start = now_s();
	if (queue_counts(conn, batch_id, &qc, &e) < 0)
		goto fatal;
	pg.pages0 = qc.pages_done + qc.pages_failed;
	loaded0 = qc.files_loaded;
	if (drive(conn, batch_id, &w, jobs, &pg, &e) < 0)
		goto fatal;
	if (queue_counts(conn, batch_id, &qc, &e) < 0)
		goto fatal;
	if (match_stored(conn, batch_id, NULL, jobs, &mo, &e) < 0)
		goto fatal;

	/* the summary */
	{
		double el = now_s() - t0;
		long mine = qc.pages_done + qc.pages_failed - pg.pages0;
		char *s;
		/* before json_pack: the order its arguments are evaluated in is
		 * unspecified, and this one sets `records` */
		json_t *by_type = pages_by_type(conn, batch_id, &records, &e);

		sum = json_pack(
		    "{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:o}, s:{s:I, s:I, s:I, s:o}, s:I,"
		    " s:{s:b, s:I, s:I, s:I, s:I, s:s}, s:f, s:f}",
		    "batch", batch, "files", "seen", (json_int_t)d.seen, "skipped_loaded",
		    (json_int_t)d.skipped_loaded, "skipped_rejected",
		    (json_int_t)d.skipped_rejected, "loaded",
		    (json_int_t)(qc.files_loaded - loaded0), "rejected",
		    (json_int_t)(qc.files_rejected + (d.rejected > qc.files_rejected
							  ? d.rejected - qc.files_rejected
							  : 0)),
		    "rejects", json_incref(d.rejects), "pages", "total", (json_int_t)qc.pages,
		    "read", (json_int_t)qc.pages_done, "failed", (json_int_t)qc.pages_failed,
		    "by_doc_type", by_type, "records",
		    (json_int_t)records, "matching", "done", mo.done, "people",
		    (json_int_t)mo.people, "auto", (json_int_t)mo.auto_, "review",
		    (json_int_t)mo.review, "unmatched", (json_int_t)mo.none, "model", mo.version,
		    "elapsed_s", el, "pages_per_min", el > 0 ? (double)mine / el * 60.0 : 0.0);
		{
			/* the largest process: this one or a worker (kB on Linux) */
			struct rusage ru_self, ru_kids;
			long kb = 0;

			if (getrusage(RUSAGE_SELF, &ru_self) == 0)
				kb = ru_self.ru_maxrss;
			if (getrusage(RUSAGE_CHILDREN, &ru_kids) == 0 && ru_kids.ru_maxrss > kb)
				kb = ru_kids.ru_maxrss;
			json_object_set_new(sum, "peak_rss_mb", json_real((double)kb / 1024.0));
		}
		s = json_dumps(sum, JSON_COMPACT | JSON_REAL_PRECISION(6));
		if (batch_close(conn, batch_id, s, &e) < 0) {
			free(s);
			goto fatal;
		}
		free(s);
		if (json) {
			s = json_dumps(sum, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
			puts(s);
			free(s);
		} else {
			const char *k;
			json_t *val,
			    *bt = json_object_get(json_object_get(sum, "pages"), "by_doc_type");
			size_t i;

			printf(
			    "batch %s: %ld files seen, %ld skipped (already loaded), %ld loaded, "
			    "%ld rejected\n",
			    batch, d.seen, d.skipped_loaded + d.skipped_rejected,
			    qc.files_loaded - loaded0,
			    (long)json_integer_value(
				json_object_get(json_object_get(sum, "files"), "rejected")));
			json_array_foreach(d.rejects, i, val)
			{
				printf("  rejected: %s: %s\n",
				       json_string_value(json_object_get(val, "file")),
				       json_string_value(json_object_get(val, "reason")));
			}
			printf("pages: %ld read (%ld in this run), %ld failed;", qc.pages_done,
			       qc.pages_done + qc.pages_failed - pg.pages0, qc.pages_failed);
			json_object_foreach(bt, k, val)
			    printf(" %s %lld", k, (long long)json_integer_value(val));
			printf("\nrecords: %ld; people: %ld, linked %ld, to review %ld, unmatched "
			       "%ld%s\n",
			       records, mo.people, mo.auto_, mo.review, mo.none,
			       mo.done ? "" : " (not matched: no registry)");
			printf("time: %.1f s, %.1f pages/min; memory: %.0f MB at the peak (one process)\n",
			       el, el > 0 ? (double)mine / el * 60.0 : 0.0,
			       json_real_value(json_object_get(sum, "peak_rss_mb")));
		}
	}
	if (d.rejected || qc.files_rejected || qc.pages_failed)
		rc = HT_EXIT_PARTIAL;
	goto done;
fatal:
	rc = log_herr(&e);
	if (rc == HT_EXIT_OK)
		rc = HT_EXIT_FATAL;
done:
	json_decref(sum);
	json_decref(d.rejects);
	vn_name_model_free(names);
	office_index_free(offices);
	office_map_free(omap);
	PQfinish(conn);
	return rc;
}

/* ------------------------------------------------------------------------
 * hotich worker
 * ---------------------------------------------------------------------- */

int cmd_worker(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "lease", required_argument, NULL, 'l' },
					      { "wait", required_argument, NULL, 'w' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct worker_cfg w = { g, 120, 0, NULL, NULL };
	struct vn_name_model *names = vn_name_model_new();
	struct office_index *offices;
	PGconn *conn;
	herr e = { 0 };
	long v;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_int(optarg, 5, 86400, &v) < 0) {
				vn_name_model_free(names);
				return usage_error("worker", "--lease must be 5..86400 seconds");
			}
			w.lease_s = (int)v;
			break;
		case 'w':
			if (parse_int(optarg, 0, 86400, &v) < 0) {
				vn_name_model_free(names);
				return usage_error("worker", "--wait must be 0..86400 seconds");
			}
			w.wait_s = (int)v;
			break;
		case 'h':
			fputs(worker_usage, stdout);
			vn_name_model_free(names);
			return HT_EXIT_OK;
		default:
			vn_name_model_free(names);
			return usage_error("worker", "unknown option '%s'", argv[optind - 1]);
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	offices = office_index_new();
	conn = open_db(g, 0, &e);
	if (!conn || citizens_names(conn, names, &e) < 0 ||
	    office_index_load(conn, offices, &e) < 0) {
		PQfinish(conn);
		vn_name_model_free(names);
		office_index_free(offices);
		return log_herr(&e);
	}
	PQfinish(conn);
	w.names = names;
	w.offices = offices;
	rc = worker_loop(&w);
	vn_name_model_free(names);
	office_index_free(offices);
	return rc;
}

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
	PGconn *conn;
	herr e = { 0 };

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			batch = optarg;
			break;
		case 'u':
			unlinked = 1;
			break;
		case 't': {
			char *end;

			th[0] = strtod(optarg, &end);
			if (*end != ',')
				return usage_error("match", "--thresholds takes AUTO,REVIEW");
			th[1] = strtod(end + 1, &end);
			if (*end || !(th[1] > 0 && th[1] <= th[0] && th[0] <= 1))
				return usage_error(
				    "match", "--thresholds: 0 < REVIEW <= AUTO <= 1 expected");
			thp = th;
			break;
		}
		case 'j':
			if (parse_int(optarg, 1, 256, &v) < 0)
				return usage_error("match", "--jobs must be 1..256");
			jobs = (int)v;
			break;
		case 'h':
			fputs(match_usage, stdout);
			return HT_EXIT_OK;
		case ':':
			return usage_error("match", "option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("match", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (batch && unlinked)
		return usage_error("match", "--batch and --unlinked exclude each other");
	if (optind != argc)
		return usage_error("match", "unexpected argument '%s'", argv[optind]);
	conn = open_db(g, DB_OPEN_START_LOCAL | DB_OPEN_MIGRATE_LOCAL, &e);
	if (!conn)
		return log_herr(&e);
	if (batch) {
		if (batch_find(conn, batch, &batch_id, &e) < 0)
			goto fatal;
		if (!batch_id) {
			PQfinish(conn);
			return usage_error("match", "no batch named \"%s\"", batch);
		}
	} else if (unlinked) {
		batch_id = 0;
	}
	if (match_stored(conn, batch_id, thp, jobs, &mo, &e) < 0)
		goto fatal;
	printf("matched %ld people: linked %ld, to review %ld, unmatched %ld; %ld reviewer "
	       "decisions kept; model %s\n",
	       mo.people, mo.auto_, mo.review, mo.none, mo.kept, mo.done ? mo.version : "-");
	PQfinish(conn);
	return rc;
fatal:
	rc = log_herr(&e);
	PQfinish(conn);
	return rc;
}
