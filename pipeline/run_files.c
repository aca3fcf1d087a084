/*
 * run_files.c — the batch engine's discovery (run.h): the inputs walked in
 * a stable order, each file registered in the database once (by its
 * bytes), its pages queued, its office named; what cannot be read set
 * aside with its reason.
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
 * Discovery
 * ---------------------------------------------------------------------- */

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

	if (fs_mkdir_p(dir, 0755, &e) < 0) {
		log_herr(&e);
		return;
	}
	to = xasprintf("%s/%s", dir, base ? base + 1 : path);
	if (rename(path, to) < 0)
		log_warning("%s: could not move to %s: %s", path, dir, strerror(errno));
	else if (batch_file_set_path(conn, sha, to, &e) < 0)
		log_herr(&e);
	free(to);
}

static void ids_add(long **v, size_t *n, long id)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = id;
}

void run_discovery_release(struct discovery *d)
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
/*
 * absolute_input: an input as an absolute path, not resolving links (the
 * queue names each file by it: a worker of another folder or host, the
 * web server showing a crop, open it by that name).  Owned by the caller.
 */
static char *absolute_input(const char *in)
{
	strbuf sb = STRBUF_INIT;
	char *cwd;

	if (in[0] == '/')
		return xstrdup(in);
	while (in[0] == '.' && in[1] == '/')
		in += 2;
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(in); /* a folder removed under us: as given */
	strbuf_addstr(&sb, cwd);
	if (strcmp(in, ".") && in[0]) {
		if (sb.len > 1)
			strbuf_addch(&sb, '/');
		strbuf_addstr(&sb, in);
	}
	free(cwd);
	return strbuf_detach(&sb, NULL);
}

int run_find_files(char **inputs, int ninputs, struct discovery *d, herr *e)
{
	struct skipped sk = { 0 };
	struct walk_dir stack[WALK_MAX_DEPTH + 1];
	double t0 = clock_now_s();
	int rc = 0;

	d->rejects = json_array();
	for (int i = 0; i < ninputs && !rc; i++) {
		char *in = absolute_input(inputs[i]);

		if (walk(in, 0, stack, &d->ps, &sk, e) < 0)
			rc = -1;
		free(in);
	}
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
int run_register_files(PGconn *conn, long batch_id, const struct office_index *offices,
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
		enum batch_file_state state;
		struct stat st;
		struct ocr_file *f;
		herr fe = { 0 };
		int clean;
		char *shown = display_path(p, &clean);

		if (run_stop_requested) {
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
		if (batch_file_state(conn, sha, &file_id, &owner, &state, e) < 0) {
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
			if (batch_file_reject(conn, batch_id, sha, shown, (long)st.st_size, office, why,
					e) < 0)
				rc = -1;
			else
				discovery_reject(d, shown, why);
		} else if (!(f = ocr_file_open(p, &o, &fe))) {
			/* a file that cannot be read: recorded with its reason, left (or moved) */
			log_error("%s", fe.msg);
			office = file_office(offices, omap, office_opt, p);
			if (batch_file_reject(conn, batch_id, sha, p, (long)st.st_size, office, fe.msg,
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
			if (batch_file_register(conn, batch_id, sha, p, (long)st.st_size,
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

