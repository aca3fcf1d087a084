/*
 * bench_ocr.c — pages per minute on one core of the OCR stage, against the
 * plain `tesseract FILE - -l vie` on the same scans in the same run, with
 * the accuracy of each configuration on the set's ground truth, and the
 * preprocessing ablation: each step switched off in turn, what it costs
 * and what it gains.
 *
 * bench_ocr [--set DIR] [--no-ablation] [--no-peer]
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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

struct result {
	const char *name;
	int pages;
	double seconds;
	long max_rss_kb;
	double exact, silent, review; /* percent; < 0 when not measured */
};

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

		t0 = now_s();
		f = ocr_file_open(fs->v[i], o, &e);
		if (!f)
			continue;
		for (int p = 1; p <= ocr_file_pages(f); p++) {
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
		r->seconds += now_s() - t0;
		if (peer && run_peer_file(fs->v[i], peer) < 0) {
			ocr_engine_free(eng);
			free_jsonl(out, nout);
			return -1;
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
	double t0 = now_s();
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
	r->seconds += now_s() - t0;
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

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "set", required_argument, NULL, 's' },
					      { "no-ablation", no_argument, NULL, 'a' },
					      { "no-peer", no_argument, NULL, 'p' },
					      { NULL, 0, NULL, 0 } };
	static const struct {
		const char *name;
		unsigned off;
		int read_all;
	} configs[] = {
		{ "hotich ocr", 0, 0 },
		{ "  reading every line", 0, 1 },
		{ "  without orientation", OCR_PREP_ORIENT, 0 },
		{ "  without deskew", OCR_PREP_DESKEW, 0 },
		{ "  without background", OCR_PREP_BACKGROUND, 0 },
		{ "  without median", OCR_PREP_MEDIAN, 0 },
		{ "  without border removal", OCR_PREP_BORDER, 0 },
		{ "  without leaders and rules", OCR_PREP_LEADERS, 0 },
	};
	const char *set = "fixtures/small";
	int ablation = 1, peer_on = 1, c, nconf;
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
	nconf = ablation ? (int)HT_ARRAY_LEN(configs) : 1;
	for (int k = 0; k < nconf; k++) {
		struct ocr_options o;

		ocr_options_init(&o);
		o.names = names;
		o.prep_off = configs[k].off;
		o.read_all = configs[k].read_all;
		memset(&r, 0, sizeof(r));
		r.name = configs[k].name;
		memset(&peer, 0, sizeof(peer));
		peer.name = "tesseract FILE - -l vie";
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
	for (int i = 0; i < fs.n; i++)
		free(fs.v[i]);
	free(fs.v);
	free_jsonl(truth, ntruth);
	vn_name_model_free(names);
	return 0;
}
