/*
 * cmd_run.c — the nightly batch: `hotich run` (find the scans, queue their
 * pages, read them with N worker processes, match, summarize), `hotich
 * worker` (the same workers on another host), `hotich match` (matching
 * again on stored records, after a registry import).
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
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
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
    "finishes the batch with every record loaded once; a batch left open by a\n"
    "run that died is finished first (its pages, then its matching), whatever\n"
    "this run's batch is called.\n"
    "\n"
    "  --jobs N              worker processes (default: the number of cores; 0:\n"
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

static const char worker_usage[] =
    "usage: hotich worker [--lease SECONDS] [--wait SECONDS]\n"
    "\n"
    "Join the open batches of the database and read their pages until none is\n"
    "left (scans on a path all hosts share).  --wait: how long to wait for new\n"
    "pages before stopping (default 0).  $HOTICH_HOST names this host in the\n"
    "leases (default: its host name).\n";

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


/*
 * worker_host: the host part of a worker's name in the leases ("host:pid"):
 * $HOTICH_HOST, else the host name.  A run releases at once the pages of
 * the dead workers of its own host; those of other hosts wait for their
 * lease to run out.
 */
static void worker_host(char *buf, size_t n)
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

/* ------------------------------------------------------------------------
 * Workers
 * ---------------------------------------------------------------------- */

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
 * The worker loop: claim a page, read it, store it; until no page is left.
 * Returns an exit code; the database going away is fatal (3).
 */
static int worker_loop(const struct worker_cfg *w)
{
	struct ocr_engine *eng;
	struct open_scan scan = { 0 };
	PGconn *conn;
	char host[128], id[160];
	herr e = { 0 };
	double idle_since = 0;
	int rc = HT_EXIT_OK;

	worker_host(host, sizeof(host));
	snprintf(id, sizeof(id), "%s:%ld", host, (long)getpid());
	conn = cmd_db_open(w->g, DB_OPEN_CHECK_SCHEMA, &e);
	if (!conn)
		return log_herr(&e);
	eng = ocr_engine_new(&w->ocr, &e);
	if (!eng) {
		db_close(conn);
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
			if (w->shared && atomic_load(&w->shared->discovering)) {
				/* the coordinator is still queueing files */
				idle_since = 0;
				usleep(100 * 1000);
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
			if (job_fail(conn, &j, why, &e) < 0)
				rc = log_herr(&e);
			free(why);
			scan_close(&scan);
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
		page_job_release(&j);
		if (rc)
			break;
	}
	scan_close(&scan);
	ocr_engine_free(eng);
	db_close(conn);
	return rc;
}

/* Start n workers; their pids in pids[] (0 for a slot not started). */
static int spawn_workers(const struct worker_cfg *w, int n, pid_t *pids)
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
			signal(SIGINT, on_signal);
			signal(SIGTERM, on_signal);
			_exit(worker_loop(w));
		}
		pids[i] = pid;
		started++;
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

static void ids_add(long **v, size_t *n, long id)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = id;
}

static void discovery_release(struct discovery *d)
{
	for (size_t i = 0; i < d->ps.n; i++)
		free(d->ps.v[i]);
	free(d->ps.v);
	free(d->mine);
	free(d->other);
	json_decref(d->rejects);
	memset(d, 0, sizeof(*d));
}

static void discovery_reject(struct discovery *d, const char *file, const char *reason)
{
	d->rejected++;
	json_array_append_new(d->rejects, json_pack("{s:s, s:s}", "file", file, "reason", reason));
}

/*
 * find_files: the regular files under the inputs, sorted; what cannot be a
 * scan is rejected with its reason.  An input that does not exist is a
 * usage error (before anything is started).
 */
static int find_files(char **inputs, int ninputs, struct discovery *d, herr *e)
{
	struct skipped sk = { 0 };
	struct walk_dir stack[WALK_MAX_DEPTH + 1];
	double t0 = clock_now_s();
	int rc = 0;

	d->rejects = json_array();
	for (int i = 0; i < ninputs && !rc; i++)
		if (walk(inputs[i], 0, stack, &d->ps, &sk, e) < 0)
			rc = -1;
	for (size_t i = 0; i < sk.n; i++) {
		if (!rc) {
			log_error("%s: %s", sk.path[i], sk.reason[i]);
			d->seen++;
			discovery_reject(d, sk.path[i], sk.reason[i]);
		}
		free(sk.path[i]);
		free(sk.reason[i]);
	}
	free(sk.path);
	free(sk.reason);
	qsort(d->ps.v, d->ps.n, sizeof(*d->ps.v), cmp_path);
	d->find_s = clock_now_s() - t0;
	return rc;
}

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

/*
 * register_files: hash each file found, skip what is loaded, record what
 * cannot be read, and queue the pages of the others; workers may already
 * be reading them.
 */
static int register_files(PGconn *conn, long batch_id, const struct office_index *offices,
			  const struct office_map *omap, const char *office_opt,
			  const char *move_dir, struct discovery *d, herr *e)
{
	struct ocr_options o;
	double t0 = clock_now_s();
	int rc = 0;

	ocr_options_init(&o);
	for (size_t i = 0; i < d->ps.n && !rc; i++) {
		const char *p = d->ps.v[i];
		char sha[65], *office = NULL;
		long file_id, owner;
		enum file_state state;
		struct stat st;
		struct ocr_file *f;
		herr fe = { 0 };
		int clean;
		char *shown = display_path(p, &clean);

		if (stop_requested) {
			free(shown);
			rc = herr_set(e, HT_EXIT_FATAL, "stopped; run the same command to finish");
			break;
		}
		d->seen++;
		if (stat(p, &st) < 0 || sha256_file(p, sha, &fe) < 0) {
			const char *why = fe.msg[0] ? fe.msg : strerror(errno);
			char *why_shown = display_path(why, &clean);

			log_error("%s: %s", shown, why_shown);
			discovery_reject(d, shown, why_shown);
			free(why_shown);
			free(shown);
			continue;
		}
		if (file_state(conn, sha, &file_id, &owner, &state, e) < 0) {
			free(shown);
			rc = -1;
			break;
		}
		if (state == FILE_LOADED) {
			d->skipped_loaded++;
		} else if (state == FILE_REJECTED) {
			d->skipped_rejected++;
		} else if (state == FILE_PENDING) {
			/* queued by an earlier run: of this batch, or of one left open */
			if (owner == batch_id)
				ids_add(&d->mine, &d->nmine, file_id);
			else
				ids_add(&d->other, &d->nother, file_id);
		} else if (!clean) {
			/* workers open files by the name kept in the database, which
			 * holds UTF-8 only */
			static const char why[] = "the file name is not valid UTF-8: rename the file";

			log_error("%s: %s", shown, why);
			office = file_office(offices, omap, office_opt, shown);
			if (file_reject(conn, batch_id, sha, shown, (long)st.st_size, office, why,
					e) < 0)
				rc = -1;
			else
				discovery_reject(d, shown, why);
		} else if (!(f = ocr_file_open(p, &o, &fe))) {
			/* a file that cannot be read: recorded with its reason, left (or moved) */
			log_error("%s", fe.msg);
			office = file_office(offices, omap, office_opt, p);
			if (file_reject(conn, batch_id, sha, p, (long)st.st_size, office, fe.msg,
					e) < 0) {
				rc = -1;
			} else {
				discovery_reject(d, p, fe.msg);
				if (move_dir)
					move_rejected(conn, move_dir, p, sha);
			}
		} else {
			if (ocr_file_warning(f))
				log_warning("%s: %s", p, ocr_file_warning(f));
			office = file_office(offices, omap, office_opt, p);
			if (file_register(conn, batch_id, sha, p, (long)st.st_size,
					  ocr_file_format(f), ocr_file_pages(f), office, &file_id,
					  &owner, e) < 0) {
				rc = -1;
			} else {
				/* (registered by a run at the same time: its batch's) */
				if (owner == batch_id)
					ids_add(&d->mine, &d->nmine, file_id);
				else
					ids_add(&d->other, &d->nother, file_id);
				d->pages += ocr_file_pages(f);
			}
			ocr_file_close(f);
		}
		free(office);
		free(shown);
	}
	d->register_s = clock_now_s() - t0;
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
 * Matching
 * ---------------------------------------------------------------------- */

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

static int matcher_load(PGconn *conn, struct matcher *mt, herr *e)
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

static void matcher_release(struct matcher *mt)
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
static int match_batch(PGconn *conn, const struct matcher *mt, long batch_id, int close,
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
	if (people_for_matching(conn, batch_id, &ps, e) < 0)
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

		rc = matches_store(conn, batch_id, &model, mt->reg, &ps, res, js, close, &mo->kept,
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
	people_set_release(&ps);
	mo->seconds = clock_now_s() - t0;
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

/*
 * drive: wait for the workers (pids[], `jobs` slots) while showing the
 * progress of every batch not done; start others while pages are left and
 * workers died; with no worker here (--jobs 0), wait for the pages that
 * workers elsewhere read.  Returns when no batch has a page left to read.
 */
static int drive(PGconn *conn, const struct worker_cfg *w, int jobs, pid_t *pids,
		 struct progress *pg, herr *e)
{
	int alive = 0, fatal = 0, rounds = 0, said = 0;
	struct queue_counts qc = { 0 };

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
		}
		if (stop_requested) {
			for (int i = 0; i < jobs; i++)
				if (pids[i])
					kill(pids[i], SIGTERM);
		}
		if (queue_counts(conn, 0, &qc, e) < 0) {
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
			if (pending && jobs > 0 && ++rounds <= 3) {
				/* a worker died: its pages wait, start others */
				alive = spawn_workers(w, jobs, pids);
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
	if (stop_requested)
		return herr_set(e, HT_EXIT_FATAL, "stopped; run the same command to finish");
	show_progress(pg, &qc, 1);
	return 0;
}

/* stop_workers: after a failure of the coordinator, its workers stop too. */
static void stop_workers(pid_t *pids, int jobs)
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

static json_t *pages_by_type(PGconn *conn, long batch_id, long *records, herr *e)
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

static json_t *matching_json(const struct match_outcome *mo)
{
	return json_pack("{s:b, s:I, s:I, s:I, s:I, s:s}", "done", mo->done, "people",
			 (json_int_t)mo->people, "auto", (json_int_t)mo->auto_, "review",
			 (json_int_t)mo->review, "unmatched", (json_int_t)mo->none, "model",
			 mo->version);
}

/*
 * finish_other: a batch left open by a run that died (no live run holds
 * it): its pages are read (drive read every open batch's), its people
 * matched and the batch done in the same transaction, with a summary
 * naming the run that finished it.  *entry: its line of this run's summary
 * (NULL when another live run holds it).
 */
static int finish_other(PGconn *conn, const struct matcher *mt, const struct batch_ref *b,
			const char *by, json_t **entry, long *failed, herr *e)
{
	struct match_outcome mo;
	struct queue_counts qc;
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
	if (queue_counts(conn, b->batch_id, &qc, e) < 0)
		return -1;
	if (qc.pages_done + qc.pages_failed < qc.pages)
		return 0; /* stopped before its pages were read: the next run */
	if (batch_set_matching(conn, b->batch_id, e) < 0 ||
	    match_batch(conn, mt, b->batch_id, 1, &mo, e) < 0)
		return -1;
	types = pages_by_type(conn, b->batch_id, &records, e);
	*failed += qc.pages_failed;
	*entry = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:o}", "batch", b->name, "files",
			   (json_int_t)qc.files, "files_loaded", (json_int_t)qc.files_loaded,
			   "pages_read", (json_int_t)qc.pages_done, "pages_failed",
			   (json_int_t)qc.pages_failed, "by_doc_type", types, "records",
			   (json_int_t)records, "matching", matching_json(&mo));
	sum = json_deep_copy(*entry);
	json_object_set_new(sum, "finished_by", json_string(by));
	s = json_dumps(sum, JSON_COMPACT);
	json_decref(sum);
	rc = batch_set_summary(conn, b->batch_id, s, e);
	free(s);
	return rc;
}

static void print_summary(const json_t *sum, const struct discovery *d)
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
	printf("time: %.1f s, %.1f pages/min; memory: %.0f MB at the peak (one process)\n", el,
	       json_real_value(json_object_get(sum, "pages_per_min")),
	       json_real_value(json_object_get(sum, "peak_rss_mb")));
#undef JI
}

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
	int jobs = cores(), json = 0, quiet = 0, dpi = 0, c, rc = HT_EXIT_OK;
	long v, batch_id = 0, records = 0, retried = 0, failed_other = 0;
	long loaded = 0, loaded_other = 0;
	char default_name[32], host[128];
	struct worker_cfg w = { 0 };
	struct discovery d = { 0 };
	struct progress pg = { 0 };
	struct queue_counts qc = { 0 }, all0 = { 0 }, all1 = { 0 };
	struct match_outcome mo = { 0 };
	struct matcher mt = { 0 };
	struct vn_name_model *names = NULL;
	struct office_map *omap = office_map_new();
	struct batch_ref *others = NULL;
	size_t nothers = 0;
	pid_t *pids = NULL;
	PGconn *conn = NULL;
	herr e = { 0 };
	json_t *sum = NULL, *finished = json_array(), *other_names = json_array();
	double t0 = clock_now_s(), t_names = 0, t_pages0 = 0, t_pages = 0, t_match = 0, t_close = 0;

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
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* what the inputs hold, before anything starts (a missing input is a usage error) */
	if (find_files(argv + optind, argc - optind, &d, &e) < 0)
		goto fatal;
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn)
		goto fatal;
	{
		json_t *opt = json_pack("{s:i, s:s?}", "jobs", jobs, "office", office);

		if (dpi) /* read by every worker of the batch (job_claim) */
			json_object_set_new(opt, "dpi", json_integer(dpi));
		char *os = json_dumps(opt, JSON_COMPACT);

		rc = batch_open(conn, batch, office, os, &batch_id, &e);
		free(os);
		json_decref(opt);
		if (rc < 0 || batch_hold(conn, batch_id, &e) < 0)
			goto fatal;
	}
	worker_host(host, sizeof(host));
	if (job_retry_abandoned(conn, &retried, &e) < 0)
		goto fatal;
	if (retried)
		log_info("%ld page%s set aside earlier (a worker died each time) will be read again",
			 retried, retried == 1 ? "" : "s");
	if (job_release_dead(conn, host, &e) < 0)
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
	if (queue_counts(conn, 0, &all0, &e) < 0)
		goto fatal;
	pg.pages0 = all0.pages_done + all0.pages_failed;
	/* the workers read while the files are registered and the registry loaded */
	t_pages0 = clock_now_s();
	pg.start = t_pages0;
	pids = xcalloc(jobs ? (size_t)jobs : 1, sizeof(*pids));
	atomic_store(&w.shared->discovering, 1);
	spawn_workers(&w, jobs, pids);
	rc = register_files(conn, batch_id, w.offices, omap, office, move_dir, &d, &e);
	atomic_store(&w.shared->discovering, 0);
	mt.threads = jobs > 0 ? jobs : cores();
	if (rc < 0 || matcher_load(conn, &mt, &e) < 0) {
		stop_workers(pids, jobs);
		goto fatal;
	}
	if (drive(conn, &w, jobs, pids, &pg, &e) < 0 || queue_counts(conn, 0, &all1, &e) < 0)
		goto fatal;
	t_pages = clock_now_s() - t_pages0;

	/* every batch left open first, then this one: matched, then done */
	{
		double tm = clock_now_s();

		if (batches_unfinished(conn, batch_id, &others, &nothers, &e) < 0)
			goto fatal;
		for (size_t i = 0; i < nothers; i++) {
			json_t *entry;

			if (finish_other(conn, &mt, &others[i], batch, &entry, &failed_other, &e) <
			    0)
				goto fatal;
			if (entry)
				json_array_append_new(finished, entry);
		}
		if (queue_counts(conn, batch_id, &qc, &e) < 0 ||
		    batch_set_matching(conn, batch_id, &e) < 0 ||
		    match_batch(conn, &mt, batch_id, 1, &mo, &e) < 0)
			goto fatal;
		t_match = clock_now_s() - tm;
	}
	if (files_loaded_among(conn, d.mine, d.nmine, &loaded, &e) < 0 ||
	    files_loaded_among(conn, d.other, d.nother, &loaded_other, &e) < 0)
		goto fatal;
	{
		json_t *fi;
		size_t k;

		json_array_foreach(finished, k, fi)
		    json_array_append(other_names, json_object_get(fi, "batch"));
	}

	/* the summary */
	{
		double el;
		long mine;
		char *s;
		/* before json_pack: the order its arguments are evaluated in is
		 * unspecified, and this one sets `records` */
		json_t *by_type = pages_by_type(conn, batch_id, &records, &e);
		struct rusage ru_self, ru_kids;
		long kb = 0;

		/* the pages of every open batch read while this run lived */
		mine = all1.pages_done + all1.pages_failed - pg.pages0;
		if (mine < 0)
			mine = 0;
		if (getrusage(RUSAGE_SELF, &ru_self) == 0)
			kb = ru_self.ru_maxrss;
		if (getrusage(RUSAGE_CHILDREN, &ru_kids) == 0 && ru_kids.ru_maxrss > kb)
			kb = ru_kids.ru_maxrss;
		el = clock_now_s() - t0;
		sum = json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:O, s:I, s:I, s:O},"
				" s:{s:I, s:I, s:I, s:o}, s:I, s:I, s:o, s:O}",
				"batch", batch, "files", "seen", (json_int_t)d.seen,
				"skipped_loaded", (json_int_t)d.skipped_loaded, "skipped_rejected",
				(json_int_t)d.skipped_rejected, "loaded", (json_int_t)loaded,
				"loaded_other", (json_int_t)loaded_other, "other_batches",
				other_names, "pending",
				(json_int_t)((long)(d.nmine + d.nother) - loaded - loaded_other),
				"rejected", (json_int_t)d.rejected, "rejects", d.rejects, "pages",
				"total", (json_int_t)qc.pages, "read", (json_int_t)qc.pages_done,
				"failed", (json_int_t)qc.pages_failed, "by_doc_type", by_type,
				"pages_this_run", (json_int_t)mine, "records", (json_int_t)records,
				"matching", matching_json(&mo), "finished", finished);
		t_close = clock_now_s();
		json_object_set_new(sum, "elapsed_s", json_real(el));
		json_object_set_new(sum, "pages_per_min",
				    json_real(el > 0 ? (double)mine / el * 60.0 : 0.0));
		json_object_set_new(sum, "peak_rss_mb", json_real((double)kb / 1024.0));
		/* where the time went: before the workers (finding the files, the
		 * names), while they read (registering, the registry), after */
		json_object_set_new(sum, "timing",
				    json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "find_s",
					      d.find_s, "names_s", t_names, "pages_s", t_pages,
					      "register_s", d.register_s, "registry_s", mt.load_s,
					      "match_s", t_match, "match_link_s", mo.seconds));
		s = json_dumps(sum, JSON_COMPACT | JSON_REAL_PRECISION(6));
		rc = batch_set_summary(conn, batch_id, s, &e);
		free(s);
		if (rc < 0)
			goto fatal;
		t_close = clock_now_s() - t_close;
		json_object_set_new(json_object_get(sum, "timing"), "close_s", json_real(t_close));
		if (json) {
			s = json_dumps(sum, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
			puts(s);
			free(s);
		} else {
			print_summary(sum, &d);
		}
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
	matcher_release(&mt);
	json_decref(sum);
	json_decref(finished);
	json_decref(other_names);
	discovery_release(&d);
	office_index_free(w.offices);
	office_map_free(omap);
	vn_name_model_free(names);
	db_close(conn);
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
	struct worker_cfg w = { 0 };
	struct vn_name_model *names = NULL;
	PGconn *conn;
	herr e = { 0 };
	long v;
	int c, rc;

	w.g = g;
	w.lease_s = 120;
	ocr_options_init(&w.ocr);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
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
		case 'h':
			fputs(worker_usage, stdout);
			return HT_EXIT_OK;
		case ':':
			return usage_error("worker", "option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("worker", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return usage_error("worker", "unexpected argument '%s'", argv[optind]);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
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
	rc = worker_loop(&w);
	office_index_free(w.offices);
	vn_name_model_free(names);
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
	struct matcher mt = { 0 };
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
	if (matcher_load(conn, &mt, &e) < 0 ||
	    match_batch(conn, &mt, batch_id, batch_id > 0, &mo, &e) < 0)
		goto fatal;
	matcher_release(&mt);
	printf("matched %ld people: linked %ld, to review %ld, unmatched %ld; %ld reviewer "
	       "decisions kept; model %s\n",
	       mo.people, mo.auto_, mo.review, mo.none, mo.kept, mo.done ? mo.version : "-");
	db_close(conn);
	return rc;
fatal:
	rc = log_herr(&e);
	matcher_release(&mt);
	db_close(conn);
	return rc;
}
