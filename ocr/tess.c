/*
 * tess.c — Tesseract through its C API: one handle per engine (per thread),
 * the Vietnamese model, one rectangle at a time, words with their boxes and
 * confidences, and a deadline per page through the monitor so that a
 * pathological page is flagged instead of hanging the batch.
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tesseract/capi.h>

#include "ocr_internal.h"

struct ocr_engine {
	TessBaseAPI *api;
	ETEXT_DESC *monitor;
	const struct ocr_options *o;
	PIX *page;
	int dpi;
	double deadline;   /* monotonic seconds; 0: none */
	int digits;	   /* the digit whitelist is set */
	double spent;	   /* seconds inside Tesseract since tess_deadline */
	int calls;	   /* recognitions since tess_deadline */
	struct book *book; /* the layout memory of the book being read, or NULL */
};

struct book *tess_book(struct ocr_engine *eng)
{
	return eng->book;
}

/*
 * Tesseract hands each line to its LSTM as an ImageData, which keeps the
 * line image as PNG bytes: pixWriteMem(..., IFF_PNG), and pixReadMem a
 * moment later, within the same recognition.  Deflate at zlib's default
 * level took 5% of `hotich ocr`'s time (perf on fixtures/small), and the
 * PNG's filtering, checksums and decoding even without deflate another 2%,
 * for bytes that never leave the process.  The hotich binary exports both
 * definitions (the Makefile links it with --export-dynamic-symbol), so
 * that Tesseract's calls land here.  While this thread is inside
 * tess_read's recognition (tess_png_plain), the image asked for as PNG is
 * not encoded: a copy of it is kept in this thread's list, and the bytes
 * handed out only name it (PASS_MAGIC, the thread, the list's generation
 * and the copy's place); pixReadMem of such bytes, in the same thread and
 * recognition, gives a copy of the kept image, the pixels the PNG would
 * have given.  tess_png_plain(0) frees the list and starts a new
 * generation, so bytes kept past it read as nothing (NULL), never as
 * another image.  No field of Leptonica's PIX is read or written directly
 * (the struct is opaque from Leptonica 1.83).  Any other call, any other
 * format, any other bytes go to Leptonica's own functions.
 */
typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);
typedef PIX *(*read_mem_fn)(const l_uint8 *, size_t);

#define PASS_MAGIC "hotich-line-image"

struct pass_token {
	char magic[sizeof(PASS_MAGIC)];
	const void *owner; /* the thread's list (&pass_n) */
	unsigned long generation;
	int index;
};

static _Thread_local int png_plain;
static _Thread_local PIX **pass_pix;
static _Thread_local int pass_n, pass_cap;
static _Thread_local unsigned long pass_generation;

void tess_png_plain(int on)
{
	png_plain = on;
	if (!on) {
		for (int i = 0; i < pass_n; i++)
			pixDestroy(&pass_pix[i]);
		free(pass_pix);
		pass_pix = NULL;
		pass_n = pass_cap = 0;
		pass_generation++;
	}
}

void *tess_next_definition(const char *name, void *_Atomic *cache)
{
	void *f = atomic_load(cache);

	if (!f) {
		f = dlsym(RTLD_NEXT, name);
		if (f)
			atomic_store(cache, f);
	}
	return f;
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
	static void *_Atomic lept;
	write_mem_fn real;

	if (png_plain && pix && format == IFF_PNG && pdata && psize) {
		PIX *copy = pixCopy(NULL, pix);
		struct pass_token *t;

		if (!copy)
			return 1;
		if (pass_n == pass_cap) {
			pass_cap = pass_cap ? 2 * pass_cap : 8;
			pass_pix = xrealloc(pass_pix, (size_t)pass_cap * sizeof(*pass_pix));
		}
		/* Leptonica's lept_free releases what pixWriteMem hands out */
		t = xcalloc(1, sizeof(*t));
		memcpy(t->magic, PASS_MAGIC, sizeof(PASS_MAGIC));
		t->owner = &pass_n;
		t->generation = pass_generation;
		t->index = pass_n;
		pass_pix[pass_n++] = copy;
		*pdata = (l_uint8 *)t;
		*psize = sizeof(*t);
		return 0;
	}
	real = (write_mem_fn)tess_next_definition("pixWriteMem", &lept);
	return real ? real(pdata, psize, pix, format) : 1;
}

PIX *pixReadMem(const l_uint8 *data, size_t size)
{
	static void *_Atomic lept;
	read_mem_fn real;

	if (data && size == sizeof(struct pass_token) &&
	    !memcmp(data, PASS_MAGIC, sizeof(PASS_MAGIC))) {
		struct pass_token t;

		memcpy(&t, data, sizeof(t));
		if (t.owner != &pass_n || t.generation != pass_generation || t.index < 0 ||
		    t.index >= pass_n)
			return NULL;
		return pixCopy(NULL, pass_pix[t.index]);
	}
	real = (read_mem_fn)tess_next_definition("pixReadMem", &lept);
	return real ? real(data, size) : NULL;
}

const char *ocr_tesseract_version(void)
{
	return TessVersion();
}

struct ocr_engine *ocr_engine_new(const struct ocr_options *o, herr *e)
{
	struct ocr_engine *eng;

	/* the form definitions: a bad one stops here, named with its line */
	if (forms_ready(e) < 0)
		return NULL;
	eng = xcalloc(1, sizeof(*eng));
	ingest_quiet_libraries();
	(void)tessnet_fast(); /* (decided once, before any recognition) */
	eng->o = o;
	eng->api = TessBaseAPICreate();
	if (!eng->api) {
		free(eng);
		herr_set(e, HT_EXIT_FATAL, "cannot create a Tesseract handle");
		return NULL;
	}
	/* Tesseract prints its notes to stderr unless told otherwise */
	TessBaseAPISetVariable(eng->api, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(eng->api, o->tessdata, "vie") != 0) {
		herr_set(e, HT_EXIT_FATAL,
			 "cannot load Tesseract's Vietnamese model (\"vie\"%s%s): install the "
			 "tesseract-ocr-vie package",
			 o->tessdata ? " in " : "", o->tessdata ? o->tessdata : "");
		TessBaseAPIDelete(eng->api);
		free(eng);
		return NULL;
	}
	TessBaseAPISetVariable(eng->api, "debug_file", "/dev/null");
	/*
	 * Print on forms is proportional: the fixed-pitch test that word
	 * finding runs on every line took 7% of a line's time and changed
	 * no field of the tuning set.
	 */
	TessBaseAPISetVariable(eng->api, "textord_disable_pitch_test", "1");
	/*
	 * Forms print dark on light: the second reading of every doubtful
	 * line inverted (for white-on-black text) only cost time; on the
	 * tuning sets it changed no field that was not flagged already.
	 */
	TessBaseAPISetVariable(eng->api, "tessedit_do_invert", "0");
	eng->monitor = TessMonitorCreate();
	if (o->book)
		eng->book = book_new();
	return eng;
}

void ocr_engine_free(struct ocr_engine *eng)
{
	if (!eng)
		return;
	pixDestroy(&eng->page);
	book_free(eng->book);
	if (eng->monitor)
		TessMonitorDelete(eng->monitor);
	TessBaseAPIEnd(eng->api);
	TessBaseAPIDelete(eng->api);
	free(eng);
}

void tess_set_page(struct ocr_engine *eng, PIX *grey, int dpi)
{
	pixDestroy(&eng->page);
	eng->page = grey ? pixClone(grey) : NULL;
	eng->dpi = dpi;
}

void tess_spent(const struct ocr_engine *eng, double *seconds, int *calls)
{
	*seconds = eng->spent;
	*calls = eng->calls;
}

void tess_deadline(struct ocr_engine *eng)
{
	eng->spent = 0;
	eng->calls = 0;
	eng->deadline =
	    eng->o->page_deadline_ms > 0 ? clock_now_s() + eng->o->page_deadline_ms / 1000.0 : 0;
}

int tess_expired(const struct ocr_engine *eng)
{
	return eng->deadline > 0 && clock_now_s() > eng->deadline;
}

void ocr_words_release(struct ocr_words *ws)
{
	int i;

	if (!ws)
		return;
	for (i = 0; i < ws->n; i++)
		free(ws->w[i].text);
	free(ws->w);
	ws->w = NULL;
	ws->n = 0;
}

static void add_word(struct ocr_words *ws, const char *text, int x, int y, int w, int h, float conf)
{
	ws->w = xrealloc(ws->w, (size_t)(ws->n + 1) * sizeof(*ws->w));
	ws->w[ws->n].text = xstrdup(text);
	ws->w[ws->n].x = x;
	ws->w[ws->n].y = y;
	ws->w[ws->n].w = w;
	ws->w[ws->n].h = h;
	ws->w[ws->n].conf = conf;
	ws->n++;
}

int tess_read(struct ocr_engine *eng, int x, int y, int w, int h, enum tess_mode mode, double scale,
	      struct ocr_words *out)
{
	TessBaseAPI *api = eng->api;
	TessResultIterator *it;
	BOX *box;
	PIX *clip, *scaled;
	int pw, ph, pad = 0, remaining = 0, rc;
	double t0;

	if (!eng->page)
		return 0;
	if (tess_expired(eng))
		return -1;
	pw = pixGetWidth(eng->page);
	ph = pixGetHeight(eng->page);
	/* a margin of white around the zone helps the recognizer */
	pad = h / 4 + 2;
	x -= pad;
	y -= pad;
	w += 2 * pad;
	h += 2 * pad;
	if (x < 0) {
		w += x;
		x = 0;
	}
	if (y < 0) {
		h += y;
		y = 0;
	}
	if (x + w > pw)
		w = pw - x;
	if (y + h > ph)
		h = ph - y;
	if (w < 4 || h < 4)
		return 0;
	box = boxCreate(x, y, w, h);
	clip = pixClipRectangle(eng->page, box, NULL);
	boxDestroy(&box);
	if (!clip)
		return 0;
	if (scale != 1.0) {
		scaled = pixScaleGrayLI(clip, (float)scale, (float)scale);
		pixDestroy(&clip);
		if (!scaled)
			return 0;
		clip = scaled;
	}
	TessBaseAPISetPageSegMode(api, mode == TM_BLOCK ? PSM_SINGLE_BLOCK : PSM_SINGLE_LINE);
	if ((mode == TM_DIGITS) != eng->digits) {
		TessBaseAPISetVariable(api, "tessedit_char_whitelist",
				       mode == TM_DIGITS ? "0123456789/.-:" : "");
		eng->digits = mode == TM_DIGITS;
	}
	TessBaseAPISetImage2(api, clip);
	TessBaseAPISetSourceResolution(api, (int)(eng->dpi * scale + 0.5));
	if (eng->deadline > 0) {
		remaining = (int)((eng->deadline - clock_now_s()) * 1000);
		if (remaining < 1)
			remaining = 1;
		TessMonitorSetDeadlineMSecs(eng->monitor, remaining);
	} else {
		TessMonitorSetDeadlineMSecs(eng->monitor, 1 << 30);
	}
	t0 = clock_now_s();
	tess_png_plain(1);
	rc = TessBaseAPIRecognize(api, eng->monitor);
	tess_png_plain(0);
	eng->spent += clock_now_s() - t0;
	eng->calls++;

	it = rc == 0 ? TessBaseAPIGetIterator(api) : NULL;
	if (it) {
		TessPageIterator *pi = TessResultIteratorGetPageIterator(it);

		do {
			char *t = TessResultIteratorGetUTF8Text(it, RIL_WORD);
			int l, tp, r, b;

			if (t && *t && strspn(t, " ") != strlen(t) &&
			    TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &tp, &r, &b)) {
				float c = TessResultIteratorConfidence(it, RIL_WORD);

				add_word(out, t, x + (int)(l / scale), y + (int)(tp / scale),
					 (int)((r - l) / scale), (int)((b - tp) / scale), c);
			}
			TessDeleteText(t);
		} while (TessPageIteratorNext(pi, RIL_WORD));
		TessResultIteratorDelete(it);
	}
	TessBaseAPIClear(api);
	pixDestroy(&clip);
	return rc == 0 && !tess_expired(eng) ? 0 : -1;
}

/*
 * Tesseract's network runs its gates through OpenMP: every time step of
 * its LSTM layers opens a parallel region (GOMP_parallel_sections, and
 * GOMP_parallel for its loops).  hotich runs with OMP_THREAD_LIMIT=1
 * (pipeline/hotich.c: the batch's workers are the parallelism), so each
 * region is a team of one thread, and libgomp still starts and ends a team
 * for it: 41,000 futex system calls for one page (strace -c), about 4% of
 * `hotich ocr`'s CPU on fixtures/small.  When the thread limit is one,
 * these definitions, exported by the hotich binary like pixWriteMem above,
 * run a region as a plain call of its body in the calling thread, and
 * hand out its sections one after the other: what a team of one does, as
 * OpenMP defines it (outside a team, omp_get_num_threads() is 1 and
 * omp_get_thread_num() 0, which is how the body of a loop finds its whole
 * range).  With any other limit, or HOTICH_OCR_OMP_INLINE=0, libgomp's own
 * definitions run (and were they not found, the region would still run as
 * a team of one, never be skipped).
 */
typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef void (*gomp_psections_fn)(void (*)(void *), void *, unsigned, unsigned, unsigned);
typedef unsigned (*gomp_next_fn)(void);
typedef void (*gomp_end_fn)(void);
typedef int (*omp_limit_fn)(void);

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count,
			    unsigned flags);
unsigned GOMP_sections_next(void);
void GOMP_sections_end_nowait(void);

/* the sections of the region this thread runs inline: the next one, how many */
static _Thread_local unsigned inline_next, inline_count;
static _Thread_local int inline_sections;

int tess_omp_inline(void)
{
	static _Atomic int known = -1;
	int k = atomic_load(&known);

	if (k < 0) {
		static void *_Atomic limit;
		const char *off = getenv("HOTICH_OCR_OMP_INLINE");
		omp_limit_fn f = (omp_limit_fn)tess_next_definition("omp_get_thread_limit", &limit);

		k = !(off && !strcmp(off, "0")) && f && f() == 1;
		atomic_store(&known, k);
	}
	return k;
}

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags)
{
	static void *_Atomic real;
	gomp_parallel_fn f;

	/* (without libgomp's, a team of one too) */
	f = tess_omp_inline() ? NULL
			      : (gomp_parallel_fn)tess_next_definition("GOMP_parallel", &real);
	if (f)
		f(fn, data, num_threads, flags);
	else
		fn(data);
}

void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count,
			    unsigned flags)
{
	static void *_Atomic real;
	gomp_psections_fn f;

	f = tess_omp_inline()
		? NULL
		: (gomp_psections_fn)tess_next_definition("GOMP_parallel_sections", &real);
	if (f) {
		f(fn, data, num_threads, count, flags);
	} else {
		/* (a region inside a region's body: the outer one's sections kept) */
		unsigned next = inline_next, n = inline_count;
		int on = inline_sections;

		inline_next = 1;
		inline_count = count;
		inline_sections = 1;
		fn(data);
		inline_next = next;
		inline_count = n;
		inline_sections = on;
	}
}

unsigned GOMP_sections_next(void)
{
	static void *_Atomic real;
	gomp_next_fn f;

	if (inline_sections)
		return inline_next <= inline_count ? inline_next++ : 0;
	f = (gomp_next_fn)tess_next_definition("GOMP_sections_next", &real);
	return f ? f() : 0;
}

void GOMP_sections_end_nowait(void)
{
	static void *_Atomic real;
	gomp_end_fn f;

	if (inline_sections)
		return;
	f = (gomp_end_fn)tess_next_definition("GOMP_sections_end_nowait", &real);
	if (f)
		f();
}
