/*
 * bench_ocr.c — pages per minute on one core of the OCR stage, against the
 * plain `tesseract FILE - -l vie` on the same scans in the same run, with
 * the accuracy of each configuration on the set's ground truth, and the
 * preprocessing ablation: each step switched off in turn, what it costs
 * and what it gains.
 *
 * bench_ocr [--set DIR] [--no-ablation] [--no-peer] [--book-row]
 *
 * --book-row: with --no-ablation, still the rows of the book memory (book.c):
 * without it, and with it but reading the lines that gave no field
 * (HOTICH_OCR_IDLE=0) or the date in words always (HOTICH_OCR_LAZY_WORDS=0);
 * each configuration with a fresh engine (no memory carried from one to
 * the other).
 *
 * On a set with phone photos (make bench makes one), a second table sets
 * the photographed pages against scanned pages of the same forms.
 *
 * DIR is a fixture set (scans/, truth.jsonl, registry.csv); the default is
 * the committed fixtures/small.  Both sides run with OMP_THREAD_LIMIT=1 (the
 * figure is per core), file by file in turn (hotich, then the peer, on each
 * file), so that both see the machine in the same state.  Peak memory is the largest resident set of a
 * configuration's run (ours in process, the peer's per command).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../fixtures/score.h"
#include "../ocr/ocr.h"

struct files {
	char **v;
	int n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, struct files *f)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(p, f);
			free(p);
		} else {
			f->v = xrealloc(f->v, (size_t)(f->n + 1) * sizeof(*f->v));
			f->v[f->n++] = p;
		}
	}
	closedir(d);
}

static json_t **read_jsonl(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	json_t **v = NULL;

	*n = 0;
	if (!f)
		return NULL;
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);

		if (!o)
			continue;
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = o;
	}
	free(line);
	fclose(f);
	return v;
}

static void free_jsonl(json_t **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
}

/* One page's time, with how it was captured and the form on it (from the truth). */
struct page_time {
	const char *capture; /* "scan", "photo" (borrowed from the truth) */
	const char *doc_type;
	double ours, peer; /* seconds; the file's time shared among its pages */
	double share;	   /* of the file's time: 1 / (pages x forms on this page) */
};

struct result {
	const char *name;
	int pages;
	double seconds;
	long max_rss_kb;
	double exact, silent, review; /* percent; < 0 when not measured */
	struct page_time *pt;	      /* per page, when asked for (room for cap_pt) */
	int npt, cap_pt;
};

/* Is `t` the truth of page `page` of the file at `path` (a path ending in its "file")? */
static int truth_is(json_t *t, const char *path, int page)
{
	const char *f = json_string_value(json_object_get(t, "file"));
	size_t lp = strlen(path), lf = f ? strlen(f) : 0;

	return f && lf < lp && path[lp - lf - 1] == '/' && !strcmp(path + lp - lf, f) &&
	       json_integer_value(json_object_get(t, "page")) == page;
}

/* The (first) truth of page `page` of the file at `path`, or NULL. */
static json_t *truth_of(json_t **truth, size_t ntruth, const char *path, int page)
{
	for (size_t i = 0; i < ntruth; i++)
		if (truth_is(truth[i], path, page))
			return truth[i];
	return NULL;
}

/* How many forms the truth has on page `page` of the file at `path` (at least 1). */
static int truth_forms(json_t **truth, size_t ntruth, const char *path, int page)
{
	int n = 0;

	for (size_t i = 0; i < ntruth; i++)
		n += truth_is(truth[i], path, page);
	return n ? n : 1;
}

static int run_peer_file(const char *path, struct result *r);
/*
 * One configuration of hotich over every file, scored on the truth.  With
 * `peer`, the tesseract command reads each file right after hotich did:
 * both sides see the machine in the same state (its speed drifts by 20%
 * over minutes on a shared host), and the ratio compares like with like.
 */
static int run_ours(const struct files *fs, const struct ocr_options *o, json_t **truth,
		    size_t ntruth, struct result *r, struct result *peer)
{
	struct ocr_engine *eng;
	json_t **out = NULL;
	size_t nout = 0;
	herr e = { 0 };
	double t0;
	struct score s;
	struct rusage ru;

	eng = ocr_engine_new(o, &e);
	if (!eng) {
		fprintf(stderr, "bench_ocr: %s\n", e.msg);
		return -1;
	}
	r->pages = 0;
	r->seconds = 0;
	if (peer) {
		peer->seconds = 0;
		peer->max_rss_kb = 0;
	}
	for (int i = 0; i < fs->n; i++) {
		struct ocr_file *f;
		int first = r->npt, np;
		double peer0 = peer ? peer->seconds : 0, took;

		t0 = clock_now_s();
		f = ocr_file_open(fs->v[i], o, &e);
		if (!f)
			continue;
		np = ocr_file_pages(f);
		/*
		 * A page with two forms (an A3 spread) counts as two pages of its
		 * form, each with half its time: a photo of a spread is compared
		 * with two scanned pages, not one.
		 */
		for (int p = 1; r->pt && p <= np && r->npt < r->cap_pt; p++) {
			json_t *t = truth_of(truth, ntruth, fs->v[i], p);
			json_t *pr = t ? json_object_get(t, "printed") : NULL;
			const char *cap =
			    pr ? json_string_value(json_object_get(pr, "capture")) : NULL;
			int forms = truth_forms(truth, ntruth, fs->v[i], p);

			for (int k = 0; k < forms && r->npt < r->cap_pt; k++) {
				r->pt[r->npt].capture = cap ? cap : "scan";
				r->pt[r->npt].doc_type =
				    t ? json_string_value(json_object_get(t, "doc_type")) : NULL;
				r->pt[r->npt].share = 1.0 / (np * forms);
				r->npt++;
			}
		}
		for (int p = 1; p <= np; p++) {
			struct ocr_page page;
			strbuf js = STRBUF_INIT;
			char *save = NULL, *line;

			if (ocr_read_page(eng, f, p, &page, &e) == 0) {
				r->pages++;
				ocr_page_json(&page, fs->v[i], ocr_file_sha256(f), &js);
				for (line = strtok_r(js.buf, "\n", &save); line;
				     line = strtok_r(NULL, "\n", &save)) {
					json_t *obj = json_loads(line, 0, NULL);

					if (obj) {
						out = xrealloc(out, (nout + 1) * sizeof(*out));
						out[nout++] = obj;
					}
				}
			}
			ocr_page_release(&page);
			strbuf_release(&js);
		}
		ocr_file_close(f);
		took = clock_now_s() - t0;
		r->seconds += took;
		if (peer && run_peer_file(fs->v[i], peer) < 0) {
			ocr_engine_free(eng);
			free_jsonl(out, nout);
			return -1;
		}
		for (int k = first; k < r->npt; k++) {
			r->pt[k].ours = took * r->pt[k].share;
			r->pt[k].peer = peer ? (peer->seconds - peer0) * r->pt[k].share : 0;
		}
	}
	if (peer) {
		peer->pages = r->pages;
		peer->exact = peer->silent = peer->review = -1;
	}
	ocr_engine_free(eng);
	getrusage(RUSAGE_SELF, &ru);
	r->max_rss_kb = ru.ru_maxrss;
	score_init(&s);
	score_records(&s, truth, ntruth, out, nout);
	for (int g = 0; g < s.ngroups; g++) {
		const struct score_group *a = &s.groups[g];

		if (strcmp(a->name, "all"))
			continue;
		r->exact = score_pct(a->all.correct, a->all.total);
		r->silent = score_pct(a->all.silent, a->all.total);
		r->review = score_pct(a->all.flagged, a->all.total);
	}
	free_jsonl(out, nout);
	return 0;
}

/*
 * The peer on one file: `tesseract FILE - -l vie`; its time and largest
 * resident set added to `r`.
 */
static int run_peer_file(const char *path, struct result *r)
{
	double t0 = clock_now_s();
	pid_t pid = fork();
	int status = 0;
	struct rusage ru;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execlp("tesseract", "tesseract", path, "-", "-l", "vie", (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		fprintf(stderr, "bench_ocr: the tesseract command failed on %s\n", path);
		return -1;
	}
	r->seconds += clock_now_s() - t0;
	if (ru.ru_maxrss > r->max_rss_kb)
		r->max_rss_kb = ru.ru_maxrss;
	return 0;
}

/*
 * A row of the table.  With the peer's run beside each configuration, the
 * change in ms/page is measured against the peer (the configuration's
 * time over its peer's, scaled to the base's peer), so that the machine's
 * drift between configurations does not count.
 */
static void print_row(const struct result *r, const struct result *peer, const struct result *base,
		      const struct result *base_peer)
{
	double ppm = r->pages / r->seconds * 60.0;

	printf("| %-28s | %6.1f | %5.0f | ", r->name, ppm, r->seconds * 1000.0 / r->pages);
	if (peer)
		printf("%5.2f× | ", ppm / (peer->pages / peer->seconds * 60.0));
	else
		printf("    – | ");
	if (r->exact >= 0)
		printf("%5.1f%% | %5.2f%% | %5.1f%% |", r->exact, r->silent, r->review);
	else
		printf("    – |     – |     – |");
	if (base && base != r && strcmp(base->name, r->name)) {
		double d = (r->seconds / r->pages - base->seconds / base->pages) * 1000.0;

		if (peer && base_peer)
			d = (r->seconds / peer->seconds - base->seconds / base_peer->seconds) *
			    base_peer->seconds * 1000.0 / base_peer->pages;
		printf(" %+5.1f | %+5.1f |", r->exact - base->exact, d);
	} else {
		printf("     – |     – |");
	}
	printf(" %5ld |\n", r->max_rss_kb / 1024);
	fflush(stdout);
}

/*
 * Photographed pages against scanned pages of the same form, in the same
 * run: ms per page of each, by form, and the ratio (the photos' forms
 * weighted by their pages); the peer's on the same files beside.
 */
static void print_captures(const struct result *r, int with_peer)
{
	const char *docs[32];
	int nd = 0, n_ph = 0;
	double wsum = 0, wsum_peer = 0;

	for (int k = 0; k < r->npt; k++) {
		int d;

		if (!r->pt[k].doc_type || !strcmp(r->pt[k].doc_type, "unknown"))
			continue;
		for (d = 0; d < nd && strcmp(docs[d], r->pt[k].doc_type); d++)
			;
		if (d == nd && nd < 32)
			docs[nd++] = r->pt[k].doc_type;
	}
	printf("\nPhotographed and scanned pages of the same form, same run (ms per page):\n\n");
	printf("| form | scans | ms/page | photos | ms/page | photo / scan |%s\n",
	       with_peer ? " tesseract photo / scan |" : "");
	printf("|---|---:|---:|---:|---:|---:|%s\n", with_peer ? "---:|" : "");
	for (int d = 0; d < nd; d++) {
		double t[2] = { 0, 0 }, tp[2] = { 0, 0 };
		int c[2] = { 0, 0 };

		for (int k = 0; k < r->npt; k++) {
			int ph;

			if (!r->pt[k].doc_type || strcmp(r->pt[k].doc_type, docs[d]))
				continue;
			ph = !strcmp(r->pt[k].capture, "photo");
			t[ph] += r->pt[k].ours;
			tp[ph] += r->pt[k].peer;
			c[ph]++;
		}
		printf("| %s | %d | %.0f | %d | %.0f | ", docs[d], c[0],
		       c[0] ? 1000 * t[0] / c[0] : 0, c[1], c[1] ? 1000 * t[1] / c[1] : 0);
		if (c[0] && c[1]) {
			double ratio = (t[1] / c[1]) / (t[0] / c[0]);

			printf("%.2f× |", ratio);
			wsum += ratio * c[1];
			if (with_peer && tp[0] > 0) {
				double rp = (tp[1] / c[1]) / (tp[0] / c[0]);

				printf(" %.2f× |", rp);
				wsum_peer += rp * c[1];
			} else if (with_peer) {
				printf(" – |");
			}
			n_ph += c[1];
		} else {
			printf("– |%s", with_peer ? " – |" : "");
		}
		printf("\n");
	}
	if (n_ph)
		printf("\nA photographed page costs %.2f× a scanned page of the same form "
		       "(target: at most 1.5×).\n",
		       wsum / n_ph);
	if (n_ph && with_peer)
		printf("The tesseract command alone: %.2f× on the same files.\n", wsum_peer / n_ph);
	if (!n_ph)
		printf("\n(no form with both photographed and scanned pages in this set)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "set", required_argument, NULL, 's' },
					      { "no-ablation", no_argument, NULL, 'a' },
					      { "no-peer", no_argument, NULL, 'p' },
					      { "book-row", no_argument, NULL, 'b' },
					      { NULL, 0, NULL, 0 } };
	static const struct {
		const char *name;
		unsigned off;
		int read_all;
		int no_book;
		int no_idle; /* the lines that gave no field read (HOTICH_OCR_IDLE=0) */
		int no_lazy; /* the date in words always read (HOTICH_OCR_LAZY_WORDS=0) */
	} configs[] = {
		{ "hotich ocr", 0, 0, 0, 0, 0 },
		{ "  without book memory", 0, 0, 1, 0, 0 },
		{ "  reading idle lines", 0, 0, 0, 1, 0 },
		{ "  date in words always", 0, 0, 0, 0, 1 },
		{ "  reading every line", 0, 1, 0, 0, 0 },
		{ "  without orientation", OCR_PREP_ORIENT, 0, 0, 0, 0 },
		{ "  without deskew", OCR_PREP_DESKEW, 0, 0, 0, 0 },
		{ "  without background", OCR_PREP_BACKGROUND, 0, 0, 0, 0 },
		{ "  without median", OCR_PREP_MEDIAN, 0, 0, 0, 0 },
		{ "  without border removal", OCR_PREP_BORDER, 0, 0, 0, 0 },
		{ "  without leaders and rules", OCR_PREP_LEADERS, 0, 0, 0, 0 },
	};
	const char *set = "fixtures/small";
	int ablation = 1, peer_on = 1, book_row = 0, c, nconf;
	struct files fs = { 0 };
	json_t **truth;
	size_t ntruth = 0;
	char *path;
	struct result base = { 0 }, peer = { 0 }, base_peer = { 0 }, r;
	struct vn_name_model *names = vn_name_model_new();
	struct csv *csv;
	herr e = { 0 };

	/* as hotich does: OpenMP reads its limit when it loads, before main */
	if (!getenv("OMP_THREAD_LIMIT")) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
	}
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			set = optarg;
		else if (c == 'a')
			ablation = 0;
		else if (c == 'p')
			peer_on = 0;
		else if (c == 'b')
			book_row = 1;
		else
			return 2;
	}
	path = xasprintf("%s/scans", set);
	walk(path, &fs);
	free(path);
	qsort(fs.v, (size_t)fs.n, sizeof(*fs.v), cmp_str);
	path = xasprintf("%s/truth.jsonl", set);
	truth = read_jsonl(path, &ntruth);
	free(path);
	if (!fs.n || !truth) {
		fprintf(stderr, "bench_ocr: %s has no scans/ or truth.jsonl\n", set);
		return 1;
	}
	/* the registry's names, as the batch lends them */
	path = xasprintf("%s/registry.csv", set);
	csv = csv_open(path, &e);
	free(path);
	if (csv && csv_next(csv, &e) > 0) {
		int col = csv_column(csv, "full_name");

		while (col >= 0 && csv_next(csv, &e) > 0)
			vn_name_model_add(names, csv_field(csv, col), 1);
	}
	csv_close(csv);

	printf("bench_ocr: %s, %d files, %s\n\n", set, fs.n, ocr_tesseract_version());
	printf("| configuration | pages/min | ms/page | vs tesseract | exact | silent | review | Δ "
	       "exact | Δ ms/page | peak MB |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	nconf = ablation ? (int)HT_ARRAY_LEN(configs) : book_row ? 4 : 1;
	for (int k = 0; k < nconf; k++) {
		struct ocr_options o;

		ocr_options_init(&o);
		/* the book memory is what is measured: on in every row but its own */
		o.book = !configs[k].no_book;
		if (configs[k].no_idle)
			o.skip_idle = 0;
		if (configs[k].no_lazy)
			o.lazy_words = 0;
		o.names = names;
		o.prep_off = configs[k].off;
		o.read_all = configs[k].read_all;
		memset(&r, 0, sizeof(r));
		r.name = configs[k].name;
		memset(&peer, 0, sizeof(peer));
		peer.name = "tesseract FILE - -l vie";
		if (k == 0) {
			r.cap_pt = fs.n * 8 + 64;
			r.pt = xcalloc((size_t)r.cap_pt, sizeof(*r.pt));
		}
		if (run_ours(&fs, &o, truth, ntruth, &r, peer_on ? &peer : NULL) < 0)
			return 1;
		if (k == 0) {
			base = r;
			base_peer = peer;
			if (peer_on)
				print_row(&peer, NULL, NULL, NULL);
		}
		print_row(&r, peer_on ? &peer : NULL, &base, peer_on ? &base_peer : NULL);
	}
	printf("\n%d pages; Δ columns: change from `hotich ocr` when the step is switched off "
	       "(a step gains what its absence loses, and costs what its absence saves).\n",
	       base.pages);
	print_captures(&base, peer_on);
	free(base.pt);
	for (int i = 0; i < fs.n; i++)
		free(fs.v[i]);
	free(fs.v);
	free_jsonl(truth, ntruth);
	vn_name_model_free(names);
	return 0;
}
