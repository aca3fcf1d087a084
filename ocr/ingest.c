/*
 * ingest.c — scans in: TIFF through libtiff (every page, the directory
 * chain walked once with the tags only; each page then decoded from its
 * directory offset by Leptonica), PNG and JPEG through Leptonica.  The
 * format comes from the bytes, not the name; every page's size is checked
 * against the pixel cap before it is decoded.
 *
 * Leptonica and libtiff print their complaints to stderr by default;
 * here they go to a per-thread buffer so that a rejected page is reported
 * once, with its file and page, by the caller.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tiffio.h>

#include "ocr_internal.h"

/* ------------------------------------------------------------------------
 * Library messages
 * ---------------------------------------------------------------------- */

static _Thread_local char last_message[512];

static void keep_message(const char *module, const char *fmt, va_list ap) HT_PRINTF(2, 0);

static void keep_message(const char *module, const char *fmt, va_list ap)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (module && *module)
		snprintf(last_message, sizeof(last_message), "%s: %s", module, msg);
	else
		snprintf(last_message, sizeof(last_message), "%s", msg);
}

static void tiff_error(const char *module, const char *fmt, va_list ap) HT_PRINTF(2, 0);

static void tiff_error(const char *module, const char *fmt, va_list ap)
{
	keep_message(module, fmt, ap);
}

static void tiff_warning(const char *module, const char *fmt, va_list ap)
{
	(void)module;
	(void)fmt;
	(void)ap; /* warnings (unknown tags ...) are not failures */
}

static void lept_message(const char *msg)
{
	size_t n = strlen(msg);

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	if (n >= sizeof(last_message))
		n = sizeof(last_message) - 1;
	memcpy(last_message, msg, n);
	last_message[n] = '\0';
}

void ingest_quiet_libraries(void)
{
	TIFFSetErrorHandler(tiff_error);
	TIFFSetWarningHandler(tiff_warning);
	leptSetStderrHandler(lept_message);
	setMsgSeverity(L_SEVERITY_ERROR);
}

const char *ingest_last_message(void)
{
	return last_message;
}

void ingest_clear_message(void)
{
	last_message[0] = '\0';
}

/* ------------------------------------------------------------------------
 * Options
 * ---------------------------------------------------------------------- */

void ocr_options_init(struct ocr_options *o)
{
	memset(o, 0, sizeof(*o));
	o->max_pixels = 100L * 1000 * 1000;
	o->max_pages = 2000;
	o->page_deadline_ms = 30000;
	o->dpi = 0;
	{
		const char *b = getenv("HOTICH_OCR_BOOK");

		o->book = !(b && !strcmp(b, "0"));
		b = getenv("HOTICH_OCR_LAZY_WORDS");
		o->lazy_words = !(b && !strcmp(b, "0"));
		b = getenv("HOTICH_OCR_IDLE");
		o->skip_idle = !(b && !strcmp(b, "0"));
	}
}

/* ------------------------------------------------------------------------
 * Opening a file
 * ---------------------------------------------------------------------- */

static int sniff_format(const char *path, enum ocr_format *fmt, herr *e)
{
	unsigned char b[8] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return herr_set(e, HT_EXIT_PARTIAL, "%s: cannot open: %s", path, strerror(errno));
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) ||
		       (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
		*fmt = FMT_TIFF;
		return 0;
	}
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)) {
		*fmt = FMT_PNG;
		return 0;
	}
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
		*fmt = FMT_JPEG;
		return 0;
	}
	if (n == 0)
		return herr_set(e, HT_EXIT_PARTIAL, "%s: empty file", path);
	if (n >= 4 && !memcmp(b, "%PDF", 4))
		return herr_set(e, HT_EXIT_PARTIAL,
				"%s: a PDF, not a scan image (TIFF, PNG and JPEG are read)", path);
	if ((b[0] == 'I' && b[1] == 'I' && b[2] == 43) ||
	    (b[0] == 'M' && b[1] == 'M' && b[3] == 43))
		return herr_set(e, HT_EXIT_PARTIAL, "%s: BigTIFF is not supported", path);
	return herr_set(e, HT_EXIT_PARTIAL,
			"%s: not a TIFF, PNG or JPEG image (the content says so, whatever the "
			"name)",
			path);
}

static int check_size(const struct ocr_file *f, int page, int w, int h, herr *e)
{
	if (w <= 0 || h <= 0)
		return herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: no image size", f->path, page);
	if ((double)w * (double)h > (double)f->o->max_pixels)
		return herr_set(e, HT_EXIT_PARTIAL,
				"%s: page %d: %d x %d pixels is over the limit of %ld pixels "
				"(refused before decoding)",
				f->path, page, w, h, f->o->max_pixels);
	return 0;
}

static int dpi_of(float xres, uint16_t unit)
{
	double dpi = xres;

	/* a header may say anything: NaN, negative, 4e9; no scanner exceeds
	 * 10,000 dpi, so that is unknown (the default is used) */
	if (!(dpi > 0) || unit == RESUNIT_NONE)
		return 0;
	if (unit == RESUNIT_CENTIMETER)
		dpi *= 2.54;
	if (dpi > 10000)
		return 0;
	return (int)(dpi + 0.5);
}

/* Walk the directory chain: the offset and size of every page. */
static int tiff_pages(struct ocr_file *f, herr *e)
{
	TIFF *tif;
	int ok = 1;

	ingest_clear_message();
	tif = TIFFOpen(f->path, "r");
	if (!tif)
		return herr_set(e, HT_EXIT_PARTIAL, "%s: not a readable TIFF: %s", f->path,
				ingest_last_message()[0] ? ingest_last_message() : "open failed");
	do {
		uint32_t w = 0, h = 0;
		uint16_t bps = 1, spp = 1, unit = RESUNIT_INCH;
		float xres = 0;
		struct ocr_page_info *pi;

		if (f->npages >= f->o->max_pages) {
			TIFFClose(tif);
			return herr_set(e, HT_EXIT_PARTIAL, "%s: more than %d pages", f->path,
					f->o->max_pages);
		}
		TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
		TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
		TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
		TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
		TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
		if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres))
			xres = 0;
		f->pages = xrealloc(f->pages, (size_t)(f->npages + 1) * sizeof(*f->pages));
		pi = &f->pages[f->npages++];
		pi->offset = TIFFCurrentDirOffset(tif);
		pi->w = (int)(w > 0x7fffffff ? 0x7fffffff : w);
		pi->h = (int)(h > 0x7fffffff ? 0x7fffffff : h);
		pi->bps = bps;
		pi->spp = spp;
		pi->dpi = dpi_of(xres, unit);
		ingest_clear_message();
		ok = TIFFReadDirectory(tif);
	} while (ok);
	if (ingest_last_message()[0]) {
		/* the chain broke: keep the pages before the break */
		f->warning = xasprintf("directory chain broken after page %d: %s", f->npages,
				       ingest_last_message());
	}
	TIFFClose(tif);
	return 0;
}

struct ocr_file *ocr_file_open(const char *path, const struct ocr_options *o, herr *e)
{
	struct ocr_file *f = xcalloc(1, sizeof(*f));
	struct stat st;

	/* library messages become the reason of a refusal, not stderr noise */
	ingest_quiet_libraries();
	f->path = xstrdup(path);
	f->o = o;
	if (stat(path, &st) < 0) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: not a regular file", path);
		goto fail;
	}
	if (sniff_format(path, &f->format, e) < 0)
		goto fail;
	if (sha256_file(path, f->sha256, e) < 0)
		goto fail;
	if (f->format == FMT_TIFF) {
		if (tiff_pages(f, e) < 0)
			goto fail;
	} else {
		l_int32 format, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;

		ingest_clear_message();
		if (pixReadHeader(path, &format, &w, &h, &bps, &spp, &iscmap) != 0) {
			herr_set(e, HT_EXIT_PARTIAL, "%s: unreadable %s header%s%s", path,
				 f->format == FMT_PNG ? "PNG" : "JPEG",
				 ingest_last_message()[0] ? ": " : "", ingest_last_message());
			goto fail;
		}
		f->pages = xcalloc(1, sizeof(*f->pages));
		f->npages = 1;
		f->pages[0].w = w;
		f->pages[0].h = h;
		f->pages[0].bps = bps;
		f->pages[0].spp = spp;
	}
	if (!f->npages) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: no page", path);
		goto fail;
	}
	if (check_size(f, 1, f->pages[0].w, f->pages[0].h, e) < 0)
		goto fail;
	return f;
fail:
	ocr_file_close(f);
	return NULL;
}

void ocr_file_close(struct ocr_file *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->pages);
	free(f->warning);
	free(f);
}

int ocr_file_pages(const struct ocr_file *f)
{
	return f->npages;
}

const char *ocr_file_sha256(const struct ocr_file *f)
{
	return f->sha256;
}

const char *ocr_file_format(const struct ocr_file *f)
{
	static const char *const names[] = { "tiff", "png", "jpeg" };

	return names[f->format];
}

const char *ocr_file_path(const struct ocr_file *f)
{
	return f->path;
}

const char *ocr_file_warning(const struct ocr_file *f)
{
	return f->warning;
}

/* ------------------------------------------------------------------------
 * Decoding a page
 * ---------------------------------------------------------------------- */

PIX *ingest_page(struct ocr_file *f, int page_no, int *dpi, herr *e)
{
	struct ocr_page_info *pi;
	PIX *pix = NULL;

	if (page_no < 1 || page_no > f->npages) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: no page %d", f->path, page_no);
		return NULL;
	}
	pi = &f->pages[page_no - 1];
	if (check_size(f, page_no, pi->w, pi->h, e) < 0)
		return NULL;
	ingest_clear_message();
	if (f->format == FMT_TIFF) {
		size_t offset = (size_t)pi->offset;

		pix = pixReadFromMultipageTiff(f->path, &offset);
	} else {
		pix = pixRead(f->path);
	}
	if (!pix) {
		herr_set(e, HT_EXIT_PARTIAL, "%s: page %d: cannot be decoded%s%s", f->path, page_no,
			 ingest_last_message()[0] ? ": " : "", ingest_last_message());
		return NULL;
	}
	if (pixGetWidth(pix) != pi->w || pixGetHeight(pix) != pi->h) {
		/* the header lied about the size: never trust the decoded image more */
		if (check_size(f, page_no, pixGetWidth(pix), pixGetHeight(pix), e) < 0) {
			pixDestroy(&pix);
			return NULL;
		}
	}
	/* the file's resolution tag as it is (0: none); prep_page judges it by the text */
	*dpi = pi->dpi;
	if (!*dpi) {
		l_int32 xres = pixGetXRes(pix);

		*dpi = xres > 0 && xres <= 10000 ? xres : 0; /* 4e9 dpi is a broken header */
	}
	return pix;
}
