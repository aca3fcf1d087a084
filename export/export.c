/*
 * export.c — `hotich export` and the web application's download: the
 * records asked for (through loaders/), each through its template, per
 * register book a folder with one searchable PDF per case, the workbook
 * and its CSVs, a manifest and SHA256SUMS; files written only when their
 * bytes change; the state of what was delivered kept for the next export.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <pthread.h>

#include "../normalize/normalize.h"
#include "export_internal.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Letters and digits of the folded text, anything else one '-'. */
static void slug(const char *s, strbuf *out)
{
	strbuf k = STRBUF_INIT;
	int dash = 0;
	size_t start = out->len;

	vn_fold(s, -1, &k);
	for (const char *p = k.buf ? k.buf : ""; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z')) {
			if (dash && out->len > start)
				strbuf_addch(out, '-');
			strbuf_addch(out, *p);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (out->len == start)
		strbuf_addstr(out, "khong-ro");
	strbuf_release(&k);
}

void export_book_dir(const char *office, const char *doc_type, const char *book, strbuf *out)
{
	slug(office ? office : "", out);
	strbuf_addf(out, "/%s-quyen-", doc_type);
	slug(book ? book : "", out);
}

void export_stats_release(struct export_stats *st)
{
	for (size_t i = 0; i < st->nbook_dirs; i++)
		free(st->book_dirs[i]);
	free(st->book_dirs);
	st->book_dirs = NULL;
	st->nbook_dirs = 0;
}

/* ------------------------------------------------------------------------
 * Files written only when their bytes change
 * ---------------------------------------------------------------------- */

static int same_bytes(const char *path, const void *data, size_t len)
{
	strbuf old = STRBUF_INIT;
	herr ignore = { 0 };
	int same = fs_read_file(path, len + 1, &old, &ignore) == 0 && old.len == len &&
		   (!len || !memcmp(old.buf, data, len));

	strbuf_release(&old);
	return same;
}

/* 1 written, 0 unchanged, -1 failed. */
static int put_file(const char *path, const void *data, size_t len, herr *e)
{
	char *tmp;
	FILE *f;
	int ok;

	if (same_bytes(path, data, len))
		return 0;
	tmp = xasprintf("%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f) {
		herr_set(e, HT_EXIT_FATAL, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		herr_set(e, HT_EXIT_FATAL, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 1;
}

/* put_manifest: DIR/manifest.json, `m` indented with its keys in order and a final newline. */
static int put_manifest(const char *dir, const json_t *m, herr *e)
{
	char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *path = xasprintf("%s/manifest.json", dir);
	size_t len = strlen(text);
	int w;

	text = xrealloc(text, len + 2);
	text[len++] = '\n';
	text[len] = 0;
	w = put_file(path, text, len, e);
	free(path);
	free(text);
	return w;
}

/* A file written by a library at `tmp`: kept when it differs, else removed. */
static int settle_file(const char *tmp, const char *path, herr *e)
{
	strbuf bytes = STRBUF_INIT;
	int rc;

	if (fs_read_file(tmp, (size_t)1 << 31, &bytes, e) < 0) {
		unlink(tmp);
		return -1;
	}
	if (same_bytes(path, bytes.buf, bytes.len)) {
		unlink(tmp);
		rc = 0;
	} else if (rename(tmp, path) != 0) {
		rc = herr_set(e, HT_EXIT_FATAL, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
	} else {
		rc = 1;
	}
	strbuf_release(&bytes);
	return rc;
}

/* ------------------------------------------------------------------------
 * Cases and books
 * ---------------------------------------------------------------------- */

struct xcase {
	struct export_item *it;
	struct export_case c;
	const struct xtemplate *tp;
	char *book_dir;	   /* office/type-quyen-book */
	long regno;	   /* the register number's leading number, or 10^9 when none */
	int corrected;	   /* delivered before with another row */
	const char *name;  /* the person's name, for the report */
	char reg_date[16]; /* the registration date, dd/mm/yyyy, for the report */
};

static long lead_number(const char *s)
{
	long v = 0;
	int any = 0;

	for (; s && *s >= '0' && *s <= '9'; s++, any = 1)
		if (v < 100000000)
			v = v * 10 + (*s - '0');
	return any ? v : 1000000000;
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By book, then register number, date, record ref: the same order in any
 * database that holds the same records. */
static int cmp_case(const void *pa, const void *pb)
{
	const struct xcase *a = pa, *b = pb;
	int c = strcmp(a->book_dir, b->book_dir);

	if (c)
		return c;
	if (a->regno != b->regno)
		return a->regno < b->regno ? -1 : 1;
	if ((c = strcmp0(a->it->register_no, b->it->register_no)))
		return c;
	if ((c = strcmp0(a->it->registered_on, b->it->registered_on)))
		return c;
	return strcmp0(a->it->record_ref, b->it->record_ref);
}

static const char *person_name(const struct export_item *it)
{
	static const char *const names[] = { "full_name", "husband_name", "parent_name",
					     "child_name", "applicant_name" };
	json_t *f = json_loads(it->fields ? it->fields : "{}", 0, NULL);
	const char *out = NULL;
	static __thread char buf[256];

	for (size_t i = 0; i < HT_ARRAY_LEN(names) && !out; i++) {
		json_t *v = json_object_get(json_object_get(f, names[i]), "value");

		if (json_is_string(v)) {
			snprintf(buf, sizeof(buf), "%s", json_string_value(v));
			out = buf;
		}
	}
	json_decref(f);
	return out;
}

/* The PDF's name: "khai-sinh-q05-so-22.pdf". */
static void pdf_name(const struct xcase *x, strbuf *out)
{
	strbuf_addf(out, "%s-q", x->tp->prefix);
	slug(x->it->book ? x->it->book : "", out);
	if (x->it->register_no && *x->it->register_no) {
		strbuf_addstr(out, "-so-");
		slug(x->it->register_no, out);
	} else {
		strbuf_addf(out, "-ban-ghi-%.12s", x->it->record_ref ? x->it->record_ref : "x");
	}
}

/* A value as people read it: dates dd/mm/yyyy, sexes Nam / Nữ (kept in
 * the text's own buffer). */
static const char *display_value(const char *field, const char *v, struct export_pdf_text *t)
{
	int y, m, d;
	size_t n = strlen(v);

	if (!strcmp(v, "nam") && strstr(field, "sex"))
		return "Nam";
	if (!strcmp(v, "nu") && strstr(field, "sex"))
		return "Nữ";
	if (t->nbuf + 16 > sizeof(t->buf))
		return v;
	if (n == 10 && sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(t->buf + t->nbuf, 16, "%02d/%02d/%04d", d, m, y);
	else if (n == 7 && sscanf(v, "%4d-%2d", &y, &m) == 2)
		snprintf(t->buf + t->nbuf, 16, "%02d/%04d", m, y);
	else
		return v;
	v = t->buf + t->nbuf;
	t->nbuf += strlen(v) + 1;
	return v;
}

/* The text layer of a case: its values where they were read. */
static void case_text(const struct export_item *it, json_t *fields, struct export_pdf_text *t)
{
	const char *name;
	json_t *f;

	json_object_foreach(fields, name, f)
	{
		json_t *v = json_object_get(f, "value"), *b = json_object_get(f, "bbox");
		int bbox[4] = { 0, 0, 0, 0 };

		if (!json_is_string(v))
			continue;
		if (json_is_array(b) && json_array_size(b) == 4 && !it->rotation)
			for (int k = 0; k < 4; k++)
				bbox[k] = (int)json_integer_value(json_array_get(b, (size_t)k));
		export_pdf_text(t, display_value(name, json_string_value(v), t), bbox);
	}
}

/* What a case's PDF is made of: the scan's bytes, the page, its part and
 * turn, the JPEG quality, the text and its places.  The PDF carries it in
 * its second line, so that an unchanged PDF is known without decoding the
 * scan again. */
#define PDF_QUALITY 75
#define PDF_FORMAT  1 /* bump when pdf.c writes other bytes for the same inputs */

static void pdf_key(const struct xcase *x, const struct export_pdf_text *t, int nparts,
		    char key[65])
{
	strbuf k = STRBUF_INIT;

	strbuf_addf(&k, "%d|%s|%d|%d|%d|%d|%d", PDF_FORMAT,
		    x->it->file_sha256 ? x->it->file_sha256 : x->it->path, x->it->page_no,
		    x->it->rotation, nparts > 1 ? x->it->rec_index : 0, nparts, PDF_QUALITY);
	for (size_t i = 0; i < t->n; i++)
		strbuf_addf(&k, "|%s@%d,%d,%d,%d", t->items[i].text, t->items[i].bbox[0],
			    t->items[i].bbox[1], t->items[i].bbox[2], t->items[i].bbox[3]);
	sha256_mem(k.buf, k.len, key);
	strbuf_release(&k);
}

static int pdf_has_key(const char *path, const char *key)
{
	char head[160];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = 0;
	return strstr(head, key) != NULL;
}

/* One PDF to make: the case, its path; what came of it. */
struct pdf_job {
	struct xcase *x;
	char *path;
	int rc;	   /* 1 written, 0 unchanged, -1 failed (e says why) */
	int built; /* the scan was decoded and the PDF made */
	herr e;
};

static void write_pdf(struct pdf_job *j)
{
	const struct xcase *x = j->x;
	struct ocr_page_image img;
	struct export_pdf_text t;
	strbuf pdf = STRBUF_INIT;
	json_t *fields;
	int nparts = x->it->on_page == 2 ? 2 : 1;
	char key[65];

	j->rc = 0;
	memset(&t, 0, sizeof(t));
	fields = json_loads(x->it->fields ? x->it->fields : "{}", 0, NULL);
	case_text(x->it, fields, &t);
	pdf_key(x, &t, nparts, key);
	if (!pdf_has_key(j->path, key)) {
		if (ocr_page_jpeg(x->it->path, x->it->page_no, x->it->rotation,
				  nparts > 1 ? x->it->rec_index : 0, nparts, PDF_QUALITY, &img,
				  &j->e) < 0) {
			j->rc = -1;
		} else {
			export_pdf_build(&img, &t, key, &pdf);
			j->rc = put_file(j->path, pdf.buf, pdf.len, &j->e);
			j->built = 1;
			free(img.jpeg);
		}
	}
	json_decref(fields);
	strbuf_release(&pdf);
}

/* The PDFs of a book on several threads: each decodes its own scan. */
struct pdf_pool {
	struct pdf_job *jobs;
	size_t n, next;
	pthread_mutex_t lock;
};

static void *pdf_worker(void *arg)
{
	struct pdf_pool *p = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		write_pdf(&p->jobs[i]);
	}
}

/* Threads for the PDFs: $HOTICH_EXPORT_THREADS, else the cores (at most 8). */
static int pdf_threads(size_t njobs)
{
	const char *env = getenv("HOTICH_EXPORT_THREADS");
	long n = sysconf(_SC_NPROCESSORS_ONLN), v;

	if (env && parse_int(env, 1, 64, &v) == 0)
		n = v;
	if (n > 8 && !env)
		n = 8;
	if (n < 1)
		n = 1;
	if ((size_t)n > njobs)
		n = njobs ? (long)njobs : 1;
	return (int)n;
}

static void run_pdf_jobs(struct pdf_job *jobs, size_t n)
{
	struct pdf_pool p = { jobs, n, 0, PTHREAD_MUTEX_INITIALIZER };
	int nt = pdf_threads(n), started = 0;
	pthread_t th[64];

	for (int i = 1; i < nt; i++)
		if (pthread_create(&th[started], NULL, pdf_worker, &p) == 0)
			started++;
	pdf_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

/* Remove the PDFs of the folder that this export did not produce (a record
 * held back since, a number corrected). */
static void remove_stale(const char *dir, char **keep, size_t nkeep)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), k;

		if (n < 5 || strcmp(de->d_name + n - 4, ".pdf"))
			continue;
		for (k = 0; k < nkeep && strcmp(keep[k], de->d_name); k++)
			;
		if (k == nkeep) {
			char *p = xasprintf("%s/%s", dir, de->d_name);

			unlink(p);
			free(p);
		}
	}
	closedir(d);
}

/* A case whose scan cannot be read: held back with the reason. */
static void hold_unreadable(struct xcase *x, const char *why)
{
	struct export_case *c = &x->c;

	c->reasons = xrealloc(c->reasons, (c->nreasons + 1) * sizeof(*c->reasons));
	c->reasons[c->nreasons].vi = xasprintf("không đọc được bản quét (%s)", why);
	c->reasons[c->nreasons].en = xasprintf("the scan cannot be read (%s)", why);
	c->nreasons++;
}

struct book_out {
	json_t *manifest;
	long exported, held, corrections;
};

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One book: cases [from, to) of `xs`, all of one template. */
static int write_book(const struct export_request *rq, struct xcase *xs, size_t from, size_t to,
		      struct export_delivered **dl, size_t *ndl, struct export_stats *st,
		      struct book_out *bo, herr *e)
{
	const struct xtemplate *tp = xs[from].tp;
	char *dir = xasprintf("%s/%s", rq->out_dir, xs[from].book_dir);
	char ***rows = xcalloc(to - from + 1, sizeof(char **));
	struct export_held *held = NULL;
	char **pdfs = xcalloc(to - from + 1, sizeof(char *));
	struct pdf_job *jobs = xcalloc(to - from + 1, sizeof(*jobs));
	int fatal = 0;
	size_t nrows = 0, nheld = 0, npdf = 0, aheld = 0;
	strbuf csv = STRBUF_INIT, hcsv = STRBUF_INIT, sums = STRBUF_INIT, p = STRBUF_INIT;
	json_t *files = json_array(), *heldj = json_array();
	const char *names[] = { "", "", "kiem-tra.csv", "manifest.json" };
	char *xlsx_name = xasprintf("%s.xlsx", tp->prefix),
	     *csv_name = xasprintf("%s.csv", tp->prefix);
	int rc = -1;

	memset(bo, 0, sizeof(*bo));
	names[0] = xlsx_name;
	names[1] = csv_name;
	if (fs_mkdir_p(dir, 0755, e) < 0)
		goto out;
	export_csv_row(&csv, tp->names, tp->nnames);
	export_csv_row(&hcsv, export_held_header, 8);

	/* the PDFs first: a case whose scan cannot be read is held back */
	for (size_t i = from; i < to; i++) {
		struct xcase *x = &xs[i];

		if (x->c.nreasons && !rq->all)
			continue;
		strbuf_reset(&p);
		pdf_name(x, &p);
		/* two records with one number in a book: the second gets its ref */
		for (size_t k = 0; k < npdf; k++)
			if (!strncmp(pdfs[k], p.buf, p.len) && pdfs[k][p.len] == '.') {
				strbuf_addf(&p, "-%.8s", x->it->record_ref);
				break;
			}
		strbuf_addstr(&p, ".pdf");
		pdfs[npdf] = xstrdup(p.buf);
		jobs[npdf].x = x;
		jobs[npdf].path = xasprintf("%s/%s", dir, p.buf);
		npdf++;
	}
	{
		double t0 = now_s();
		long built = 0;
		size_t kept = 0;

		run_pdf_jobs(jobs, npdf);
		for (size_t k = 0; k < npdf; k++) {
			struct pdf_job *j = &jobs[k];

			built += j->built;
			if (j->rc < 0 && j->e.code == HT_EXIT_FATAL && !fatal) {
				*e = j->e;
				fatal = 1;
			} else if (j->rc < 0) {
				log_warning("%s", j->e.msg);
				st->failed++;
				hold_unreadable(j->x, j->e.msg);
			}
			if (j->rc < 0) {
				free(pdfs[k]);
				continue;
			}
			st->pdf_written += j->rc;
			st->pdf_unchanged += !j->rc;
			pdfs[kept++] = pdfs[k];
		}
		npdf = kept;
		if (built) {
			st->pdf_pages += built;
			st->seconds_pdf += now_s() - t0;
		}
		if (fatal)
			goto out;
	}

	/* the rows and the validation report */
	for (size_t i = from; i < to; i++) {
		struct xcase *x = &xs[i];
		int bad = x->c.nreasons > 0;
		const char *status = bad	    ? EXPORT_STATUS_FAILED
				     : x->corrected ? EXPORT_STATUS_CORRECTION
						    : EXPORT_STATUS_NEW;

		for (size_t r = 0; r < x->c.nreasons; r++) {
			if (nheld == aheld) {
				aheld = aheld ? 2 * aheld : 16;
				held = xrealloc(held, aheld * sizeof(*held));
			}
			held[nheld++] = (struct export_held){
				.book = x->it->book,
				.reg_no = x->it->register_no,
				.reg_date = x->reg_date,
				.name = x->name,
				.record_ref = x->it->record_ref,
				.reason_vi = x->c.reasons[r].vi,
				.reason_en = x->c.reasons[r].en,
				.record_id = x->it->record_id,
			};
		}
		if (bad) {
			json_t *h = json_object();

			json_object_set_new(h, "record_ref", json_string(x->it->record_ref));
			json_object_set_new(h, "register_no",
					    x->it->register_no ? json_string(x->it->register_no)
							       : json_null());
			json_object_set_new(h, "reason", json_string(x->c.reasons[0].vi));
			json_object_set_new(h, "reason_en", json_string(x->c.reasons[0].en));
			json_object_set_new(h, "exported", json_boolean(rq->all));
			json_array_append_new(heldj, h);
			bo->held++;
			if (!rq->all)
				continue;
		} else {
			bo->exported++;
			bo->corrections += x->corrected;
			*dl = xrealloc(*dl, (*ndl + 1) * sizeof(**dl));
			(*dl)[*ndl].record_id = x->it->record_id;
			(*dl)[*ndl].template_name = tp->doc_type;
			memcpy((*dl)[*ndl].sha256, x->c.sha256, 65);
			(*ndl)++;
		}
		if (tp->status_column) {
			free(x->c.cells[tp->ncols]);
			x->c.cells[tp->ncols] = xstrdup(status);
		}
		rows[nrows++] = x->c.cells;
		export_csv_row(&csv, (const char *const *)x->c.cells, x->c.ncells);
	}
	remove_stale(dir, pdfs, npdf);
	for (size_t r = 0; r < nheld; r++) {
		const char *cells[8];
		char idbuf[24];

		export_held_cells(&held[r], idbuf, cells);
		export_csv_row(&hcsv, cells, 8);
	}

	/* the workbook, the CSVs */
	{
		char *xpath = xasprintf("%s/%s", dir, xlsx_name);
		char *tmp = xasprintf("%s.tmp.xlsx", xpath);
		int w = export_xlsx_write(tmp, tp->title, tp->names, tp->nnames, rows, nrows, held,
					  nheld, e);

		if (w == 0)
			w = settle_file(tmp, xpath, e);
		else
			unlink(tmp);
		free(tmp);
		free(xpath);
		if (w < 0)
			goto out;
		st->files_written += w;
		st->files_unchanged += !w;
	}
	{
		const strbuf *bodies[2] = { &csv, &hcsv };

		for (int k = 0; k < 2; k++) {
			char *path = xasprintf("%s/%s", dir, names[k + 1]);
			int w = put_file(path, bodies[k]->buf, bodies[k]->len, e);

			free(path);
			if (w < 0)
				goto out;
			st->files_written += w;
			st->files_unchanged += !w;
		}
	}

	/* the manifest: every file with its SHA-256, sorted by name */
	qsort(pdfs, npdf, sizeof(char *), cmp_cstr);
	{
		const char **all = xcalloc(npdf + 3, sizeof(char *));
		size_t nall = 0;

		for (int k = 0; k < 3; k++)
			all[nall++] = names[k];
		for (size_t k = 0; k < npdf; k++)
			all[nall++] = pdfs[k];
		qsort(all, nall, sizeof(char *), cmp_cstr);
		for (size_t k = 0; k < nall; k++) {
			char *path = xasprintf("%s/%s", dir, all[k]), hex[65];
			struct stat sb;
			json_t *fj;

			if (sha256_file(path, hex, e) < 0 || stat(path, &sb) < 0) {
				free(path);
				free(all);
				goto out;
			}
			fj = json_object();
			json_object_set_new(fj, "name", json_string(all[k]));
			json_object_set_new(fj, "bytes", json_integer((json_int_t)sb.st_size));
			json_object_set_new(fj, "sha256", json_string(hex));
			json_array_append_new(files, fj);
			strbuf_addf(&sums, "%s  %s\n", hex, all[k]);
			free(path);
		}
		free(all);
	}
	bo->manifest = json_object();
	json_object_set_new(bo->manifest, "folder", json_string(xs[from].book_dir));
	json_object_set_new(bo->manifest, "registry_office",
			    json_string(xs[from].it->office ? xs[from].it->office : ""));
	json_object_set_new(bo->manifest, "doc_type", json_string(tp->doc_type));
	json_object_set_new(bo->manifest, "book",
			    xs[from].it->book ? json_string(xs[from].it->book) : json_null());
	json_object_set_new(bo->manifest, "template", json_string(tp->file));
	json_object_set_new(bo->manifest, "all", json_boolean(rq->all));
	json_object_set_new(bo->manifest, "records", json_integer((json_int_t)(to - from)));
	json_object_set_new(bo->manifest, "exported", json_integer(bo->exported));
	json_object_set_new(bo->manifest, "corrections", json_integer(bo->corrections));
	json_object_set_new(bo->manifest, "held_back", json_integer(bo->held));
	json_object_set_new(bo->manifest, "pdfs", json_integer((json_int_t)npdf));
	json_object_set(bo->manifest, "files", files);
	json_object_set(bo->manifest, "held_back_records", heldj);
	{
		int w = put_manifest(dir, bo->manifest, e);
		char *path;

		if (w < 0)
			goto out;
		st->files_written += w;
		st->files_unchanged += !w;
		path = xasprintf("%s/SHA256SUMS", dir);
		w = put_file(path, sums.buf ? sums.buf : "", sums.len, e);
		free(path);
		if (w < 0)
			goto out;
		st->files_written += w;
		st->files_unchanged += !w;
	}
	rc = 0;
out:
	json_decref(files);
	json_decref(heldj);
	for (size_t k = 0; k < npdf; k++)
		free(pdfs[k]);
	free(pdfs);
	for (size_t k = 0; k < to - from; k++)
		free(jobs[k].path);
	free(jobs);
	free(rows);
	free(held);
	free(xlsx_name);
	free(csv_name);
	free(dir);
	strbuf_release(&csv);
	strbuf_release(&hcsv);
	strbuf_release(&sums);
	strbuf_release(&p);
	return rc;
}

/* The office of the request: exact, or the one office whose folded name
 * begins with the folded request.  Malloc'd; NULL with `e` when none or
 * several. */
static char *resolve_office(PGconn *conn, const char *want, herr *e)
{
	char **offs = NULL, *found = NULL;
	size_t n = 0, hits = 0;
	strbuf w = STRBUF_INIT;

	if (export_offices(conn, &offs, &n, e) < 0)
		return NULL;
	vn_fold(want, -1, &w);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(offs[i], want)) {
			free(found);
			found = xstrdup(offs[i]);
			hits = 1;
			break;
		} else {
			strbuf k = STRBUF_INIT;

			vn_fold(offs[i], -1, &k);
			if (w.len && !strncmp(k.buf, w.buf, w.len)) {
				hits++;
				free(found);
				found = xstrdup(offs[i]);
			}
			strbuf_release(&k);
		}
	if (hits != 1) {
		herr_set(e, HT_EXIT_USAGE,
			 hits ? "--office \"%s\" names %zu offices: be more precise"
			      : "--office \"%s\": no records of such an office",
			 want, hits);
		free(found);
		found = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(offs[i]);
	free(offs);
	strbuf_release(&w);
	return found;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int export_run(PGconn *conn, const struct export_request *rq, struct export_stats *st, herr *e)
{
	struct export_templates *own =
	    rq->templates_dir ? export_templates_read(rq->templates_dir, e) : NULL;
	const struct export_templates *t = rq->templates_dir ? own : export_templates_load(e);
	const char *const *types;
	size_t ntypes, nitems = 0, ndl = 0, nbooks = 0;
	struct export_item *items = NULL;
	struct xcase *xs = NULL;
	struct export_delivered *dl = NULL;
	struct export_filter f = { 0 };
	char *office = NULL, *req = NULL;
	json_t *reqj = NULL, *books = json_array();
	long export_id = 0;
	double t0 = now_s();
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!t)
		goto out;
	ntypes = export_template_types(t, &types);
	if (rq->doc_type) {
		if (!export_template_find(t, rq->doc_type)) {
			strbuf l = STRBUF_INIT;

			for (size_t i = 0; i < ntypes; i++)
				strbuf_addf(&l, "%s%s", i ? ", " : "", types[i]);
			herr_set(e, HT_EXIT_USAGE, "--type %s: no export template (there are: %s)",
				 rq->doc_type, l.buf);
			strbuf_release(&l);
			goto out;
		}
		f.doc_types = &rq->doc_type;
		f.n_doc_types = 1;
	} else {
		f.doc_types = types;
		f.n_doc_types = ntypes;
	}
	if (rq->office && !rq->exact_office) {
		office = resolve_office(conn, rq->office, e);
		if (!office)
			goto out;
	} else if (rq->office) {
		office = xstrdup(rq->office);
	}
	f.office = office;
	f.book = rq->book;
	f.batch = rq->batch;
	if (fs_mkdir_p(rq->out_dir, 0755, e) < 0)
		goto out;

	reqj = json_object();
	json_object_set_new(reqj, "office", str_or_null(office));
	json_object_set_new(reqj, "book", str_or_null(rq->book));
	json_object_set_new(reqj, "batch", str_or_null(rq->batch));
	json_object_set_new(reqj, "type", str_or_null(rq->doc_type));
	json_object_set_new(reqj, "all", json_boolean(rq->all));
	req = json_dumps(reqj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (export_items_load(conn, &f, &items, &nitems, e) < 0)
		goto out;
	if (!nitems) {
		herr_set(e, HT_EXIT_USAGE, "no records to export for %s", req);
		goto out;
	}
	if (export_log_begin(conn, rq->by, rq->via, req, &export_id, e) < 0)
		goto out;

	xs = xcalloc(nitems, sizeof(*xs));
	for (size_t i = 0; i < nitems; i++) {
		struct xcase *x = &xs[i];
		strbuf d = STRBUF_INIT;

		x->it = &items[i];
		x->tp = export_template_find(t, items[i].doc_type);
		if (export_case_build(t, &items[i], &x->c, e) < 0)
			goto out;
		export_book_dir(items[i].office, items[i].doc_type, items[i].book, &d);
		x->book_dir = strbuf_detach(&d, NULL);
		x->regno = lead_number(items[i].register_no);
		{
			int y = 0, m = 0, dd = 0,
			    k = items[i].registered_on
				    ? sscanf(items[i].registered_on, "%4d-%2d-%2d", &y, &m, &dd)
				    : 0;

			if (k == 3)
				snprintf(x->reg_date, sizeof(x->reg_date), "%02d/%02d/%04d", dd, m,
					 y);
			else if (k == 2)
				snprintf(x->reg_date, sizeof(x->reg_date), "%02d/%04d", m, y);
			else if (k == 1)
				snprintf(x->reg_date, sizeof(x->reg_date), "%04d", y);
		}
		x->corrected = items[i].first_sha256 && strcmp(items[i].first_sha256, x->c.sha256);
		x->name = NULL;
	}
	qsort(xs, nitems, sizeof(*xs), cmp_case);
	for (size_t i = 0; i < nitems; i++) {
		const char *nm = person_name(xs[i].it);

		/* person_name's buffer is reused: keep a copy in the cells' owner */
		xs[i].name = nm ? xstrdup(nm) : NULL;
	}
	st->records = (long)nitems;
	for (size_t from = 0, to; from < nitems; from = to) {
		struct book_out bo;

		for (to = from + 1; to < nitems && !strcmp(xs[to].book_dir, xs[from].book_dir);
		     to++)
			;
		if (write_book(rq, xs, from, to, &dl, &ndl, st, &bo, e) < 0)
			goto out;
		json_array_append_new(books,
				      json_pack("{s:s, s:I, s:I, s:I}", "folder", xs[from].book_dir,
						"exported", (json_int_t)bo.exported, "held_back",
						(json_int_t)bo.held, "corrections",
						(json_int_t)bo.corrections));
		json_decref(bo.manifest);
		st->exported += bo.exported;
		st->held_back += bo.held;
		st->corrections += bo.corrections;
		st->book_dirs = xrealloc(st->book_dirs, (nbooks + 1) * sizeof(char *));
		st->book_dirs[nbooks++] = xstrdup(xs[from].book_dir);
		st->nbook_dirs = nbooks;
	}
	st->books = (long)nbooks;
	{
		json_t *top = json_pack("{s:O, s:O}", "request", reqj, "books", books);
		int w = put_manifest(rq->out_dir, top, e);

		json_decref(top);
		if (w < 0)
			goto out;
	}
	{
		json_t *sum = json_pack(
		    "{s:I, s:I, s:I, s:I, s:I, s:I}", "books", (json_int_t)st->books, "records",
		    (json_int_t)st->records, "exported", (json_int_t)st->exported, "held_back",
		    (json_int_t)st->held_back, "corrections", (json_int_t)st->corrections, "failed",
		    (json_int_t)st->failed);
		char *s = json_dumps(sum, JSON_COMPACT);

		rc = export_log_finish(conn, export_id, s, dl, ndl, e);
		free(s);
		json_decref(sum);
	}
	if (rc == 0 && st->failed)
		rc = herr_set(e, HT_EXIT_PARTIAL, "%ld scans could not be read (named above)",
			      st->failed);
out:
	st->seconds = now_s() - t0;
	for (size_t i = 0; xs && i < nitems; i++) {
		export_case_release(&xs[i].c);
		free(xs[i].book_dir);
		free((char *)xs[i].name);
	}
	free(xs);
	free(dl);
	export_items_release(items, nitems);
	json_decref(reqj);
	json_decref(books);
	free(req);
	free(office);
	export_templates_free(own);
	return rc;
}

int export_books_list(PGconn *conn, const char *office, struct export_book_row **rows, size_t *n,
		      herr *e)
{
	const struct export_templates *t = export_templates_load(e);
	struct export_filter f = { 0 };

	if (!t)
		return -1;
	f.office = office;
	f.n_doc_types = export_template_types(t, &f.doc_types);
	return export_books_load(conn, &f, rows, n, e);
}

/* ------------------------------------------------------------------------
 * A book's folder as one ZIP archive
 * ---------------------------------------------------------------------- */

int export_book_archive(const char *dir, const char *prefix, int fd, herr *e)
{
	struct archive *a = archive_write_new();
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = -1;

	if (!d) {
		archive_write_free(a);
		return herr_set(e, HT_EXIT_USAGE, "%s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d))) {
		char *p = xasprintf("%s/%s", dir, de->d_name);
		struct stat sb;

		if (de->d_name[0] != '.' && !strstr(de->d_name, ".tmp") && stat(p, &sb) == 0 &&
		    S_ISREG(sb.st_mode)) {
			names = xrealloc(names, (n + 1) * sizeof(char *));
			names[n++] = xstrdup(de->d_name);
		}
		free(p);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), cmp_cstr);
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		herr_set(e, HT_EXIT_FATAL, "zip archive: %s", archive_error_string(a));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]),
		     *an = xasprintf("%s/%s", prefix, names[i]);
		strbuf body = STRBUF_INIT;
		struct archive_entry *ent = archive_entry_new();
		int ok = fs_read_file(p, (size_t)1 << 31, &body, e) == 0;

		if (ok) {
			archive_entry_set_pathname(ent, an);
			archive_entry_set_filetype(ent, AE_IFREG);
			archive_entry_set_perm(ent, 0644);
			archive_entry_set_size(ent, (la_int64_t)body.len);
			archive_entry_set_mtime(ent, 946684800, 0);
			ok = archive_write_header(a, ent) == ARCHIVE_OK &&
			     (!body.len ||
			      archive_write_data(a, body.buf, body.len) == (la_ssize_t)body.len);
			if (!ok)
				herr_set(e, HT_EXIT_FATAL, "zip archive: %s: %s", names[i],
					 archive_error_string(a));
		}
		archive_entry_free(ent);
		strbuf_release(&body);
		free(p);
		free(an);
		if (!ok)
			goto out;
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		herr_set(e, HT_EXIT_FATAL, "zip archive: %s", archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(a);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
