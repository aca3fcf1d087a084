/*
 * export_internal.h — what the files of export/ share: the parsed
 * templates and code lists, the embedded template files, the writers of
 * the workbook, the CSV and the manifest.
 */
#ifndef HOTICH_EXPORT_INTERNAL_H
#define HOTICH_EXPORT_INTERNAL_H

#include "../ocr/ocr.h"
#include "export.h"

/* One file of export/templates/, embedded by tools/embed-export-templates.sh. */
struct export_template_file {
	const char *name; /* "export/templates/khai_sinh.tpl" */
	const char *text;
};
extern const struct export_template_file export_templates_embedded[];
extern const int export_templates_embedded_count;

/* Where a column's value comes from. */
enum xsrc_kind {
	XSRC_NONE,     /* "-": nothing, the column stays empty */
	XSRC_FIELD,    /* a field of the record */
	XSRC_LINK,     /* link:ROLE: the ID number of the citizen the person is linked to */
	XSRC_BOOK,     /* book: the register book (as read, else the inventory's) */
	XSRC_REG_KIND, /* registration_kind: on_time, late or unknown */
};

#define XSRC_MAX 4

struct xsrc {
	enum xsrc_kind kind;
	char *name; /* the field or the role */
};

enum xfmt {
	XF_TEXT,      /* as stored (normalized) */
	XF_DATE,      /* dd/mm/yyyy; a partial date mm/yyyy or yyyy */
	XF_DATE_FULL, /* dd/mm/yyyy; a partial date cannot be written */
	XF_DATE_WORDS, /* "Ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi bảy" */
	XF_NUMBER, /* the leading number: "22/2014/TLKS-BS" -> "22" */
	XF_ID,	   /* a 12-digit personal ID number */
	XF_MAP,	   /* through a code list */
};

struct xmap {
	char *name;
	char **keys, **codes; /* the value as hotich stores it, its code */
	size_t n;
	char *file;
};

struct xcolumn {
	char *name;
	struct xsrc src[XSRC_MAX]; /* alternatives: the first with a value */
	int nsrc;
	enum xfmt fmt;
	char *map_name;
	const struct xmap *map;
	int required;
	char *label; /* for people: "Họ, chữ đệm, tên" (or the column's name) */
	int line;
};

struct xtemplate {
	char *doc_type, *title, *prefix;
	char *status_column; /* a last column: Mới, Cải chính, Chưa đạt; or NULL */
	struct xcolumn *cols;
	size_t ncols;
	const char **names; /* the columns' names, the status column last */
	size_t nnames;
	char *file;
};

struct export_templates {
	struct xtemplate *tpl;
	size_t ntpl;
	struct xmap *maps;
	size_t nmaps;
	const char **types; /* sorted document types */
};

const struct xtemplate *export_template_find(const struct export_templates *t,
					     const char *doc_type);

/* The status column's values. */
#define EXPORT_STATUS_NEW	 "Mới"
#define EXPORT_STATUS_CORRECTION "Cải chính"
#define EXPORT_STATUS_FAILED	 "Chưa đạt"

/* ------------------------------------------------------------------------
 * Writers (write.c)
 * ---------------------------------------------------------------------- */

/* A row of the held-back list. */
struct export_held {
	const char *book, *reg_no, *reg_date, *name, *record_ref, *reason_vi, *reason_en;
	long record_id;
};

/*
 * export_xlsx_write: the workbook at `path` (a temporary name the caller
 * renames): the sheet `sheet` with `header` and `rows` (ncols strings
 * each), then the sheet "Kiểm tra" with the held-back records.  The
 * document's times are fixed, so that the same rows give the same bytes.
 */
int export_xlsx_write(const char *path, const char *sheet, const char *const *header, size_t ncols,
		      char ***rows, size_t nrows, const struct export_held *held, size_t nheld,
		      herr *e);

/* export_csv_row: one row of RFC 4180 CSV (CRLF), a formula's first sign
 * defused with an apostrophe. */
void export_csv_row(strbuf *out, const char *const *cells, size_t n);

/* The header of the validation report, and one of its rows. */
extern const char *const export_held_header[8];
void export_held_cells(const struct export_held *h, char idbuf[24], const char *cells[8]);

/* ------------------------------------------------------------------------
 * Searchable PDFs (pdf.c)
 * ---------------------------------------------------------------------- */

/* The text over the pages of a case: values with their page (an index
 * into the case's pages) and boxes (pixels of that page as read; all
 * zero: not placed). */
#define EXPORT_PDF_MAX_PAGES 16

struct export_pdf_text {
	struct {
		const char *text;
		int page;
		int bbox[4];
	} items[128];
	size_t n;
	char buf[4096]; /* values rewritten for display */
	size_t nbuf;
};

void export_pdf_text(struct export_pdf_text *t, int page, const char *text, const int bbox[4]);

/* the glyphless TrueType font of the text layer (glyphless_font.c) */
extern const unsigned char export_glyphless_ttf[];
extern const size_t export_glyphless_ttf_len;

/* export_pdf_build: the PDF of a case's `npages` pages (at most
 * EXPORT_PDF_MAX_PAGES), each with its text layer, into `out`; `key` (or
 * NULL), what it is made of, in a comment on its second line. */
void export_pdf_build(const struct ocr_page_image *pages, size_t npages,
		      const struct export_pdf_text *t, const char *key, strbuf *out);

#endif
