/*
 * ocr.h — the OCR stage: a scan becomes records of normalized fields.
 *
 *   ocr_file_open      read a scan's header: format by content (TIFF, PNG,
 *                      JPEG), SHA-256, pages (TIFF: the directory chain is
 *                      walked once, tags only), sizes checked against the
 *                      pixel cap before anything is decoded
 *   ocr_read_page      decode one page, preprocess it (orientation, skew,
 *                      background, leaders and rules), split an A3 spread,
 *                      classify it by its printed title, read the values
 *                      anchored on the printed labels, normalize and check
 *                      them, and decide which a person must review
 *   ocr_page_json      the contract's record JSON, one line per record
 *
 * An engine holds one Tesseract handle: one per thread, never shared.
 * No function here touches the database.
 */
#ifndef HOTICH_OCR_H
#define HOTICH_OCR_H

#include <stdint.h>

#include "../common/common.h"
#include "../normalize/normalize.h"

struct ocr_options {
	const char *tessdata;		   /* NULL: Tesseract's default location */
	long max_pixels;		   /* pages larger are refused before decoding */
	int max_pages;			   /* files with more pages are refused */
	int page_deadline_ms;		   /* recognition time per page (0: none) */
	int dpi;			   /* the pages' resolution, whatever their tag
					    * says (hotich ocr --dpi); 0: from the text */
	const struct vn_name_model *names; /* the population's names (registry), or NULL */
	unsigned prep_off;		   /* OCR_PREP_* steps switched off (ablation) */
	int read_all;			   /* read every line, not only the form's */
	int book;			   /* remember a book's titles and labels by
					    * their images (book.c); 1 unless
					    * HOTICH_OCR_BOOK=0 */
	int lazy_words;			   /* with the book memory: the date in words
					    * read only when the date in digits is
					    * doubtful (page.c); 1 unless
					    * HOTICH_OCR_LAZY_WORDS=0 */
	int skip_idle;			   /* with the book memory: a line whose label
					    * opened only lines that gave no field is
					    * not read (book.c); 1 unless
					    * HOTICH_OCR_IDLE=0 */
};

/* Preprocessing steps (ocr_options.prep_off switches them off, for bench/). */
#define OCR_PREP_ORIENT	    0x01u /* turn upside-down and sideways pages */
#define OCR_PREP_DESKEW	    0x02u /* straighten */
#define OCR_PREP_BACKGROUND 0x04u /* flatten uneven paper, stretch contrast */
#define OCR_PREP_MEDIAN	    0x08u /* median filter on grainy scans */
#define OCR_PREP_BORDER	    0x10u /* remove marks touching the scan's edge */
#define OCR_PREP_LEADERS    0x20u /* remove dotted leaders and ruling lines */

/* ocr_options_init: 100 megapixels, 2,000 pages, 30 s per page, resolution from the text. */
void ocr_options_init(struct ocr_options *o);

/* The version of the Tesseract library, and of its Vietnamese model. */
const char *ocr_tesseract_version(void);

struct ocr_engine;

/*
 * ocr_engine_new: a Tesseract handle for Vietnamese; NULL with `e` set when
 * the library or the "vie" model cannot be loaded.  Free with
 * ocr_engine_free.  `o` must outlive the engine.
 */
struct ocr_engine *ocr_engine_new(const struct ocr_options *o, herr *e);
void ocr_engine_free(struct ocr_engine *eng);

struct ocr_file;

/*
 * ocr_file_open: open a scan.  Fails (HT_EXIT_PARTIAL, the file named)
 * when it is not a TIFF, PNG or JPEG, cannot be read, has no page, more
 * pages than allowed, or a first page larger than the pixel cap.  A TIFF
 * whose directory chain breaks after some pages keeps those pages and
 * says so (ocr_file_warning).
 */
struct ocr_file *ocr_file_open(const char *path, const struct ocr_options *o, herr *e);
void ocr_file_close(struct ocr_file *f);
int ocr_file_pages(const struct ocr_file *f);
const char *ocr_file_sha256(const struct ocr_file *f);
const char *ocr_file_format(const struct ocr_file *f); /* "tiff", "png", "jpeg" */
const char *ocr_file_path(const struct ocr_file *f);
const char *ocr_file_warning(const struct ocr_file *f); /* or NULL */

/*
 * ocr_crop_png: the region `box` (x, y, w, h in pixels of the page as read,
 * as the fields' bbox) of page `page_no` of the scan at `path`, with the
 * boxes `marks` tinted, turned upright by `rotation` (0, 90, 180, 270
 * degrees clockwise, the page's rotation), scaled down to at most `max_w`
 * pixels wide (0: as scanned), as PNG bytes: *png is malloc'd (caller
 * frees), *len its size.  -1 with `e` naming file and page on failure.
 */
int ocr_crop_png(const char *path, int page_no, const int box[4], const int (*marks)[4], int nmarks,
		 int rotation, int max_w, unsigned char **png, size_t *len, herr *e);

/* A scanned page as JPEG, for the export's searchable PDFs. */
/* How a page image is encoded for a PDF. */
enum ocr_image_kind {
	OCR_IMAGE_JPEG, /* grey or colour: JPEG (PDF DCTDecode) */
	OCR_IMAGE_G4,	/* one bit a pixel: CCITT Group 4 (PDF CCITTFaxDecode, K -1), lossless */
};

struct ocr_page_image {
	unsigned char *data; /* malloc'd (caller frees) */
	size_t len;
	enum ocr_image_kind kind;
	int width, height; /* pixels */
	int color;	   /* 1: RGB, 0: grey (or black and white) */
	int black_is_0;	   /* G4: the coded "white" runs are black (min-is-black) */
	int dpi;	   /* as measured, else 300 */
	int x0;		   /* the left edge of the part in the page as read */
};

/*
 * ocr_page_encode: page `page_no` of the scan at `path`, turned upright by
 * `rotation`, cut into `nparts` halves side by side (an A3 spread holds two
 * records: 2) of which `part` is kept (nparts 1: the whole page), at the
 * scan's resolution, for a PDF: a black-and-white scan (1 bit a pixel) as
 * CCITT G4, lossless and some twenty times smaller than a JPEG of it; a
 * grey or colour one as JPEG of `quality`.  Nothing is written to disk.
 * -1 with `e` naming file and page on failure.
 */
int ocr_page_encode(const char *path, int page_no, int rotation, int part, int nparts, int quality,
		    struct ocr_page_image *out, herr *e);
/* ocr_page_jpeg: the same, always as JPEG (a black-and-white scan in grey),
 * for a browser, which shows no G4. */
int ocr_page_jpeg(const char *path, int page_no, int rotation, int part, int nparts, int quality,
		  struct ocr_page_image *out, herr *e);

/* ------------------------------------------------------------------------
 * Records
 * ---------------------------------------------------------------------- */

#define OCR_MAX_FIELDS	 40
#define OCR_MAX_WARNINGS 16

struct ocr_field {
	const char *name; /* contract field name (static string) */
	char *value;	  /* normalized value; NULL when on the page but illegible */
	char *raw;	  /* the text as read */
	double conf;	  /* [0, 1] */
	int review;	  /* a person should check it */
	int bbox[4];	  /* x, y, w, h in pixels of the page as read */
	unsigned warn;	  /* VN_W_* bits */
	const char *why;  /* why review, for people (static string), or NULL */
};

struct ocr_record {
	const char *doc_type; /* contract doc_type (static) */
	int index;	      /* 0, or 1 for the right page of an A3 spread */
	struct ocr_field fields[OCR_MAX_FIELDS];
	int nfields;
	double mean_conf;
	char *warnings[OCR_MAX_WARNINGS];
	int nwarnings;
};

struct ocr_page {
	int page_no;		/* 1-based */
	int width, height, dpi; /* as read */
	int rotation;		/* 0, 90, 180, 270: how much the page was turned */
	double skew_deg;
	char steps[160]; /* preprocessing applied, comma-separated */
	struct ocr_record rec[2];
	int nrec;    /* records (0 for a page of type unknown) */
	strbuf text; /* recognized text, reading order */
	double mean_conf;
	long ms;	/* time spent on the page */
	long ms_decode; /* of which: reading the image */
	long ms_prep;	/* preprocessing */
	long ms_tess;	/* inside Tesseract */
	int tess_calls; /* recognitions (lines and re-readings) */
	int book_lines; /* lines whose title or label the book memory gave (book.c) */
	char *warnings[OCR_MAX_WARNINGS];
	int nwarnings;
};

/*
 * ocr_read_page: read page `page_no` (1-based) of `f`.  Returns 0 with
 * `out` filled (release with ocr_page_release), or -1 when the page cannot
 * be decoded (`e` names file, page and reason; the other pages can still
 * be read).
 */
int ocr_read_page(struct ocr_engine *eng, struct ocr_file *f, int page_no, struct ocr_page *out,
		  herr *e);
void ocr_page_release(struct ocr_page *p);

/*
 * ocr_page_json: the records of a page in the contract's JSON, one object
 * per line (a page of type unknown gives one object with its text).
 * `path` is the file as given.
 */
void ocr_page_json(const struct ocr_page *p, const char *path, const char *sha256, strbuf *out);

/*
 * ocr_form_fields: the fields of the record JSON that the forms of
 * `doc_type` print (every version of the form, as the extraction reads
 * them), each once, into out[0..max); their names are static.  Returns
 * their number, or -1 for a doc_type without a form ("unknown").
 */
int ocr_form_fields(const char *doc_type, const char **out, int max);

/* ocr_field_get: the field named `name` of a record, or NULL. */
const struct ocr_field *ocr_field_get(const struct ocr_record *r, const char *name);

#endif
