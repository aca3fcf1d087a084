/*
 * ocr_internal.h — what the files of ocr/ share: the open file, the
 * preprocessed page, text lines, Tesseract words, and the forms.
 */
#ifndef HOTICH_OCR_INTERNAL_H
#define HOTICH_OCR_INTERNAL_H

#include <leptonica/allheaders.h>

#include "ocr.h"

/* ------------------------------------------------------------------------
 * Ingest (ingest.c)
 * ---------------------------------------------------------------------- */

enum ocr_format {
	FMT_TIFF,
	FMT_PNG,
	FMT_JPEG
};

struct ocr_page_info {
	uint64_t offset; /* TIFF directory offset */
	int w, h, bps, spp;
	int dpi; /* 0 when the file has none */
};

struct ocr_file {
	char *path;
	char sha256[65];
	enum ocr_format format;
	struct ocr_page_info *pages;
	int npages;
	char *warning;
	const struct ocr_options *o;
};

/*
 * ingest_page: decode page `page_no` to a PIX (any depth; caller destroys
 * it) and its resolution (the file's; 0 when the file gives none: the
 * page's text measures it).  NULL with `e` set on failure.
 */
PIX *ingest_page(struct ocr_file *f, int page_no, int *dpi, herr *e);

/* Route Leptonica's and libtiff's messages into a per-thread buffer. */
void ingest_quiet_libraries(void);
/* The last library message of this thread ("" when none). */
const char *ingest_last_message(void);
void ingest_clear_message(void);

/* ------------------------------------------------------------------------
 * Photos (photo.c)
 * ---------------------------------------------------------------------- */

/* A sheet of paper found in a photograph. */
struct sheet {
	int found;
	double x[4], y[4];	/* its corners in the frame: top left, top right,
				 * bottom right, bottom left */
	int frame_w, frame_h;	/* the frame's size */
	int w, h;		/* the sheet brought upright (photo_rectify) */
	double to_frame[9];	/* from the upright sheet to the frame */
	int straightened;	/* its corners moved by the text lines */
	int fills_frame;	/* not found: the paper fills the frame (a scan) */
};

/*
 * photo_find_sheet: the sheet of paper in a photograph `in` (any depth):
 * 1 with its corners in *s, or 0 when there is none to find (a scan, whose
 * paper fills the frame, or no clear sheet).
 */
int photo_find_sheet(PIX *in, struct sheet *s);

/*
 * photo_rectify: the sheet found in the 8-bit `grey` frame brought upright
 * to a rectangle as long and wide as its edges (a new PIX; NULL on
 * failure); fills s->w, s->h and s->to_frame.
 */
PIX *photo_rectify(PIX *grey, struct sheet *s);

/*
 * photo_straighten: when the text lines of the upright sheet `rect` (8-bit,
 * from photo_rectify) turn between its top and its bottom, the corners
 * found were off: they are moved (s->x, s->y) so that the lines come out
 * level, and 1 is returned (rectify again); 0 when there is nothing to do.
 */
int photo_straighten(PIX *rect, struct sheet *s);

/*
 * photo_homography: the homography taking the four points (sx, sy) to
 * (dx, dy); 0, or -1 when they are degenerate.
 */
int photo_homography(const double *sx, const double *sy, const double *dx, const double *dy,
		     double h[9]);

/* photo_map: a point through a homography (3x3, row-major). */
void photo_map(const double h[9], double x, double y, double *ox, double *oy);

/* ------------------------------------------------------------------------
 * Preprocessing (prep.c)
 * ---------------------------------------------------------------------- */

struct prep {
	PIX *grey;    /* 8 bpp, upright, deskewed, background normalized,
				 * dotted leaders and ruling lines removed */
	PIX *bin;     /* 1 bpp of the same (text black) */
	int rotation; /* degrees turned (clockwise) to make it upright */
	double skew;  /* degrees rotated (clockwise) to straighten it */
	double scale; /* resolution change applied first */
	int dpi;      /* of grey and bin */
	int w0, h0;   /* the page as read */
	int w1, h1;   /* after scaling and turning */
	char steps[160];
	double xheight;	       /* of the text on grey/bin, in their pixels (0: unknown) */
	int dpi_used;	       /* the resolution the page was taken to have */
	int dpi_measured;      /* ... measured from its text (no tag, or a tag that disagreed) */
	int tag_dpi;	       /* the tag that disagreed, or 0 */
	double text_too_small; /* the x-height in pixels as read, when too small to read; else 0 */
	int no_sheet;	       /* a photograph (no resolution tag) whose sheet was not found */
	struct sheet sheet;    /* a photograph's sheet (found: the page as read is the frame) */
	PIX *upright_hb;       /* PREP_UPRIGHT_FIRST: the half-resolution binary page the
				* orientation is judged on (prep_rotation_found) */
};

/*
 * prep_page: preprocess a page; `rotation` -1 detects the orientation,
 * 0/90/180/270 imposes it, PREP_UPRIGHT_FIRST takes the page as upright
 * and keeps what the detection needs for prep_rotation_found to judge it
 * later (the orientation as -1 would have found it, or 0); `off` switches steps off (OCR_PREP_*).  The
 * page's resolution is `forced_dpi` when not 0 (hotich ocr --dpi), else
 * its tag `tag_dpi` when the size of its text agrees with it, else what
 * the size of its text says (print of body size brought to the working
 * resolution); out->text_too_small says when its letters are too small
 * to read.
 */
int prep_page(PIX *in, int tag_dpi, int forced_dpi, int rotation, unsigned off, struct prep *out,
	      herr *e);
void prep_release(struct prep *p);
#define PREP_UPRIGHT_FIRST (-2)
/*
 * prep_threshold: the binary image of 8-bpp `grey`, ink below `thresh`
 * (1 to 255), after `inv` (an inverse background map of sx x sy tiles, or
 * NULL) has brought its paper to white; prep_threshold_simd(0) keeps it to
 * the scalar rows (tests: both give the same bits).
 */
PIX *prep_threshold(PIX *grey, PIX *inv, int sx, int sy, int thresh);
/* prep_half: Leptonica's pixScaleAreaMap2 (2 x 2 means), faster on 8 bpp */
PIX *prep_half(PIX *g);
/* prep_histogram: Leptonica's pixGetGrayHistogram, faster on 8 bpp */
NUMA *prep_histogram(PIX *grey, int factor);
void prep_threshold_simd(int on);
int prep_rotation_found(const struct prep *p);

/*
 * warp_page (warp.c): the page of w1 x h1 pixels at `dpi` whose pixel
 * centres (X + 0.5, Y + 0.5) sample `src` bilinearly at m[0] + X (m[2] -
 * m[0]) + Y (m[4] - m[0]), m[1] + X (m[3] - m[1]) + Y (m[5] - m[1]) (src
 * pixel indices); outside src is white.  `inv`, when not NULL, brings the
 * paper to white (tiles of tx x ty source pixels).  warp_simd(0) keeps it to
 * the scalar pass (tests: both give the same bytes).
 */
PIX *warp_page(PIX *src, int w1, int h1, int dpi, const double m[6], PIX *inv, int tx, int ty);
void warp_simd(int on);

/*
 * page_ink_shape (page.c): the marks of letter height (0.6 mm to 8 mm,
 * either way up) on a page (any depth) at `dpi`: none on a blank page.
 * With Tesseract's confidence, what tells a page written by hand from a
 * blank page and a cover (the "handwriting" warning of a page without a
 * record).
 */
int page_ink_shape(PIX *page, int dpi);

/*
 * prep_text_height: the x-height of the text on a binary page (text
 * black), in its pixels, from the heights of its letters; 0 when it has
 * too little text to tell.
 */
double prep_text_height(PIX *bin);

/*
 * prep_box_to_page: a box of the preprocessed page in pixels of the page
 * as read (the bounds of its four corners moved back).
 */
void prep_box_to_page(const struct prep *p, int x, int y, int w, int h, int out[4]);

/* ------------------------------------------------------------------------
 * Text lines (lines.c)
 * ---------------------------------------------------------------------- */

struct text_line {
	int x, y, w, h; /* ink bounds */
	int body;	/* typical letter height (x-height-ish), pixels */
};

/*
 * lines_find: the text lines of a 1-bpp page (or of the box `clip`, when
 * not NULL), top to bottom, from the horizontal ink profile, with touching
 * lines split at profile minima.  *out is malloc'd (caller frees).
 */
int lines_find(PIX *bin, const BOX *clip, int dpi, struct text_line **out, int *n);
/*
 * lines_column_ink: the ink of each column of the 1-bpp `bin` over the
 * rectangle (x, y, w, h), in out[0 .. w) (columns off the image: 0); -1
 * when `bin` is no 1-bpp image.  Word by word, the blank words skipped:
 * Leptonica's pixCountPixelsByColumn reads pixel by pixel.
 */
int lines_column_ink(PIX *bin, int x, int y, int w, int h, int *out);

/* ------------------------------------------------------------------------
 * Tesseract (tess.c)
 * ---------------------------------------------------------------------- */

struct ocr_word {
	char *text; /* UTF-8 as Tesseract read it */
	int x, y, w, h;
	float conf; /* 0..100 */
};

struct ocr_words {
	struct ocr_word *w;
	int n;
};

void ocr_words_release(struct ocr_words *ws);

/* The page image Tesseract reads from (the engine keeps a clone). */
void tess_set_page(struct ocr_engine *eng, PIX *grey, int dpi);

enum tess_mode {
	TM_LINE,   /* one text line */
	TM_DIGITS, /* one line of digits and / . - : */
	TM_BLOCK   /* a block of lines */
};

/*
 * tess_read: recognize the rectangle (x, y, w, h) of the page with `mode`,
 * scaled by `scale` (1.0, or more for small print); words appended to
 * `out` in page coordinates.  Returns 0, or -1 when the page's deadline
 * has passed (the words read so far are kept).
 */
int tess_read(struct ocr_engine *eng, int x, int y, int w, int h, enum tess_mode mode, double scale,
	      struct ocr_words *out);

/*
 * tess_png_plain: while on (this thread), an image asked of pixWriteMem
 * as PNG is kept as it is (pixReadMem gives it back) instead of encoded;
 * turned off, what was kept is freed.  tess_read turns it on around
 * Tesseract's recognition only.
 */
void tess_png_plain(int on);

/*
 * tess_omp_inline: 1 when Tesseract's OpenMP regions run inline in the
 * calling thread (the thread limit is one), 0 when libgomp runs them.
 */
int tess_omp_inline(void);

/*
 * tess_next_definition: the library's own definition of name (the next one
 * after the hotich binary's, dlsym RTLD_NEXT), kept in *cache; NULL if
 * none.  For the definitions hotich exports in a library's place.
 */
void *tess_next_definition(const char *name, void *_Atomic *cache);

/*
 * tessnet_fast: 1 when tessnet.c's definitions of the network's index and
 * row bookkeeping do their work (the Tesseract whose layout they know, not
 * HOTICH_OCR_TESS_NET=0), 0 when they call the library's own.
 */
int tessnet_fast(void);

/* tess_spent: time inside Tesseract and recognitions since tess_deadline. */
void tess_spent(const struct ocr_engine *eng, double *seconds, int *calls);

/* tess_deadline: start the page's clock; tess_expired: has it run out? */
void tess_deadline(struct ocr_engine *eng);
int tess_expired(const struct ocr_engine *eng);

/* ------------------------------------------------------------------------
 * Forms (forms.c; the definitions are the .form files of ocr/forms/)
 * ---------------------------------------------------------------------- */

enum field_kind {
	FK_NAME,     /* a person's name */
	FK_DATE,     /* a date in digits */
	FK_DATETIME, /* "14 giờ 30 phút, ngày 05/06/2023" (the date is the value) */
	FK_ID,	     /* personal ID number */
	FK_IDPAPER, /* "Căn cước công dân số ...", "CMND số ...", "Hộ chiếu số ..." */
	FK_SEX,
	FK_ETHNIC,
	FK_NATION,
	FK_PLACE,
	FK_OFFICE,     /* "Ủy ban nhân dân xã ..." -> the place */
	FK_TEXT,       /* free text: cause of death, procedure */
	FK_NUMBER,     /* register number, book number, dossier code */
	FK_DATE_WORDS, /* the date in words ("ghi bằng chữ"): checks the date */
	FK_SENTENCE,   /* "Đã đăng ký nhận ... tại <office>, số <n>, ngày <date>" */
	FK_RELATION,   /* "... việc nhận cha, con": the parent's sex, from the label's words */
	FK_SKIP	       /* printed, not a field of the contract */
};

/* Whose block a label is in. */
enum form_context {
	CTX_ANY,     /* the label means the same everywhere */
	CTX_SUBJECT, /* the child of a birth, the deceased */
	CTX_MOTHER,
	CTX_FATHER,
	CTX_DECLARANT,
	CTX_HUSBAND,
	CTX_WIFE,
	CTX_PARENT,
	CTX_CHILD,
	CTX_OFFICE /* the registration part at the end */
};

/* A printed label (one wording) and what its value is. */
struct form_label {
	char *text;	   /* "Họ, chữ đệm, tên người mẹ" */
	const char *field; /* contract field (static string), NULL for FK_SKIP */
	enum field_kind kind;
	int context; /* enum form_context: whose block */
	unsigned flags;
	char *key;	 /* folded text */
	int ntok;	 /* its tokens */
	const char *src; /* the definition file and line it comes from */
	int line;
};

#define FL_FIRST_ONLY	1u  /* only the first occurrence is the field ("Số:") */
#define FL_SETS_CONTEXT 2u  /* the label starts a person's block */
#define FL_WRAPS	4u  /* the value may continue on the next line */
#define FL_ALONE	8u  /* the label is a line by itself ("Và") */
#define FL_LAST		16u /* the form's last field: below it, signatures */

/* A document type: its versions merged (forms.c says how). */
struct form_def {
	char *doc_type;
	char **titles; /* printed titles (any one), NULL-terminated */
	int ntitles;
	struct form_label *labels;
	int nlabels;
	char **required; /* fields every version prints, NULL-terminated */
	int nrequired;
	int start;     /* the block the form starts in */
	int *versions; /* the years of its versions, newest first */
	int nversions;
};

/* A definition file: its name (for messages) and its text. */
struct form_file {
	const char *name;
	const char *text;
};

/* The files of ocr/forms/, embedded at build time (tools/embed-forms.sh). */
extern const struct form_file forms_embedded[];
extern const int forms_embedded_count;

/*
 * forms_load: parse and check definition files and merge the versions of
 * each type.  NULL with `e` naming the file and line of the first fault.
 * Free with forms_set_free (accepts NULL).
 */
struct form_set;
struct form_set *forms_load(const struct form_file *files, int n, herr *e);
void forms_set_free(struct form_set *s);
int forms_set_count(const struct form_set *s);
const struct form_def *forms_set_def(const struct form_set *s, int i);

/*
 * The embedded definitions, loaded on first use and kept for the process:
 * forms_ready fails (the file and line named) when they do not load;
 * forms_count and forms_def give them; forms_find the one of a doc_type
 * (or NULL).
 */
int forms_ready(herr *e);
int forms_count(void);
const struct form_def *forms_def(int i);
const struct form_def *forms_find(const char *doc_type);

/* forms_field: the static name of a field of the record JSON, or NULL. */
const char *forms_field(const char *name);

/* "subject", "mother", ...: the name of a block in the definition files. */
const char *forms_context_name(int ctx);

/* Folded, punctuation-light form of a string, for fuzzy comparison. */
void forms_fold(const char *s, strbuf *out);

/*
 * forms_similarity: 1 - edit distance / length between two folded strings
 * (a misread label still scores high).
 */
double forms_similarity(const char *a, const char *b);
/* forms_similarity_least: forms_similarity when it is `need` or more, else -1 (cheaper) */
double forms_similarity_least(const char *a, const char *b, double need);

/* ------------------------------------------------------------------------
 * Extraction: lines, labels, values (extract.c), fields (fields.c) and
 * the page (page.c)
 * ---------------------------------------------------------------------- */

/* A folded token of a line and the word it comes from. */
struct line_token {
	char *t;  /* folded */
	int word; /* index in the line's words */
};

/* A text line of the page: its ink box, and once read its words and tokens. */
struct rline {
	struct text_line tl;
	struct ocr_words ws;
	struct line_token *tok;
	int ntok;
	int consumed; /* its words were taken as the continuation of a value */
	int right;    /* the right edge of its column: a line reaching it is full */
	int from_book; /* some of its words are a template's (book.c), not read */
	int deferred;  /* only its label's words: the date in words, not read yet */
	int defer_x, defer_y; /* ... where its label's ink starts */
	int idle;      /* only its label's words: a line that gives no field (book.c) */
	int tried;     /* recognized whole (page.c's read_line), words or none */
	long tmpl;     /* the book template of the label opening it, or 0 */
};

/* A label found in a line. */
struct occurrence {
	int line;
	int first_word, last_word; /* label words */
	int label;		   /* index into form->labels of the first entry with
					 * this wording */
	const char *rest;	   /* text glued after the colon in the last label word */
	double score;
};

/* What page.c reads a part of a page with, and extract.c reads values again with. */
struct reader {
	struct ocr_engine *eng;
	const struct ocr_options *o;
	struct prep *pp;
	struct ocr_page *page;
	struct rline *lines;
	int nlines;
	/*
	 * Where the last record built took something from (extract.c): the
	 * lines of its fields' labels and the boxes of their values, x y w h
	 * on the preprocessed page.
	 */
	int (*used)[4];
	int nused;
};

/* ------------------------------------------------------------------------
 * The layout memory of a register book (book.c): templates of the titles
 * and of the labels opening lines, from pages read in full, compared by
 * image on later pages so that only the values are recognized.
 * ---------------------------------------------------------------------- */

struct book;
struct book *book_new(void);
void book_free(struct book *b);

/* The engine's book memory, or NULL when switched off (ocr_options.book). */
struct book *tess_book(struct ocr_engine *eng);

/*
 * book_title: 1 when line `l` of the page is the image of a kept title:
 * its words are the title's (l->from_book set); 0 otherwise (read it).
 */
int book_title(struct book *b, const struct prep *pp, struct rline *l);
/* book_learn_title: keep line `l`, read in full, as the title of `fd`. */
void book_learn_title(struct book *b, const struct prep *pp, const struct rline *l,
		      const struct form_def *fd);

/*
 * book_read_line: 1 when line `l` opens with the image of a kept label of
 * `fd`: the label's words are the kept ones, the rest of the line is
 * recognized (from the label's last word on), or not at all when it gives
 * no field (idle: a label whose lines gave nothing twice, or one that gives
 * nothing in the quiet block `ctx` the line is in); 0 otherwise (read it
 * all).
 */
int book_read_line(struct book *b, struct reader *rd, const struct form_def *fd, int ctx,
		   struct rline *l);
/*
 * book_learn_line: keep the label `o` opening line `l` (read in full);
 * l->tmpl is then its template (new or known).
 */
void book_learn_line(struct book *b, const struct prep *pp, const struct form_def *fd,
		     struct rline *l, const struct occurrence *o);
/*
 * book_read_deferred: read the value of a deferred line (l->deferred, its
 * words the label's) as book_read_line reads a matched line: 1 when done,
 * 0 when it must be read in full (its words released either way).
 */
int book_read_deferred(struct book *b, struct reader *rd, struct rline *l);
/*
 * book_note_line: whether line `l`, opened by its template (l->tmpl), gave
 * a record something.  A template whose lines gave nothing BOOK_IDLE times
 * and never anything is idle: its lines are not read again.
 */
void book_note_line(struct book *b, const struct rline *l, int used);

/* extract_tokenize: the folded tokens of a line's words; extract_line_release frees both. */
void extract_tokenize(struct rline *l);
void extract_line_release(struct rline *l);

/*
 * extract_labels: the labels of `fd` in line `l` (number `line` of the
 * part), left to right, at most `max`.
 */
int extract_labels(const struct form_def *fd, struct rline *l, int line, struct occurrence *occ,
		   int max);

/*
 * extract_resolve: the entry of `fd` for the wording of label `label` (an
 * index into fd->labels) in block `ctx` (enum form_context), or NULL when
 * it has none there.
 */
const struct form_label *extract_resolve(const struct form_def *fd, int label, int ctx);
/*
 * extract_line_context: the block the next line is in, after a line in
 * block `ctx` whose labels are occ[0..n) (a block's opening label starts
 * its block), as the record's build reads them.
 */
int extract_line_context(const struct form_def *fd, const struct occurrence *occ, int n, int ctx);
/*
 * extract_quiet_block: 1 when no label of block `ctx` of `fd` gives a field
 * but the one opening it (a birth's mother, father and declarant: "Năm
 * sinh", "Nơi cư trú" print what the contract does not take).
 */
int extract_quiet_block(const struct form_def *fd, int ctx);
/* extract_title: the document type whose printed title best matches a line. */
const struct form_def *extract_title(const struct rline *l, double *score);

/*
 * extract_unfold_columns: the lines of a part with persons side by side,
 * laid out as one column after the other (new copies: the caller releases
 * each with extract_line_release and frees the array), or NULL.
 */
struct rline *extract_unfold_columns(const struct form_def *fd, const struct rline *src, int n,
				     int *nout);

/*
 * extract_record: the record of `fd` from lines [0, n) (already read):
 * each label's value, normalized and checked, its confidence and review
 * flag; `r` is filled (release with extract_record_release).
 */
void extract_record(struct reader *rd, const struct form_def *fd, struct rline *lines, int n,
		    struct ocr_record *r);
void extract_record_release(struct ocr_record *r);

/* What the fields of one person tell about the others (fields.c). */
struct person_facts {
	struct vn_date dob;
	enum vn_sex sex;
	int female_middle; /* the name has "Thị" as a middle name */
	int male_middle;   /* the name has "Văn" */
};

/*
 * Fields (fields.c): a value as read becomes the field's normalized value,
 * with the review flag and its reason when a check fails.
 *   fields_set          replace the value (copied; NULL: illegible)
 *   fields_flag         mark for review, keeping the first reason
 *   fields_take_better  keep the better of two readings (frees g's value)
 *   fields_name ...     normalize and check a value of each kind
 */
void fields_set(struct ocr_field *f, const char *v);
void fields_flag(struct ocr_field *f, const char *why);
int fields_take_better(struct ocr_field *f, struct ocr_field *g, double gconf);
char *fields_trim_punct(const char *s);
const char *fields_office_place(const char *raw);
const char *fields_datetime_date(const char *raw);
int fields_ends_with_nam(const char *raw);
void fields_name(struct ocr_field *f, const char *raw, const struct ocr_options *o,
		 struct person_facts *pf);
void fields_number(struct ocr_field *f, const char *raw);
void fields_text(struct ocr_field *f, const char *raw);
void fields_place(struct ocr_field *f, const char *text);
void fields_date(struct ocr_field *f, const char *raw, struct vn_date *out);
void fields_id(struct ocr_field *f, const char *raw, struct vn_id *out);

/* The kinds of identity paper printed after "Giấy tờ tùy thân:". */
enum paper_kind {
	PAPER_UNKNOWN,
	PAPER_PERSONAL_ID, /* căn cước (công dân), CCCD, or a 12-digit CMND: the personal ID */
	PAPER_CMND,	   /* the old identity card, 9 digits */
	PAPER_PASSPORT	   /* hộ chiếu: a letter and 7 digits */
};

/*
 * fields_paper: an identity paper as printed ("Căn cước công dân số
 * 001089012345, cấp ngày ... tại ...", "CMND số 012345678", "Hộ chiếu số
 * B1234567"): its kind (by its words, then by the number's length) and
 * its number as printed, without the issue that may follow, in `num`.
 */
enum paper_kind fields_paper(const char *raw, strbuf *num);

/* ------------------------------------------------------------------------
 * Seams for the unit tests
 * ---------------------------------------------------------------------- */

struct label_hit {
	int label; /* index into form->labels */
	int first_word, last_word;
	int rest_offset; /* value glued to the label: its byte offset in
					 * the last word, or -1 */
	double score;
};

/* extract_find_labels: the labels of `fd` in one line of words, left to right. */
int extract_find_labels(const struct form_def *fd, const struct ocr_words *ws,
			struct label_hit *out, int max);

/*
 * fields_repair_date_separators: "13/02I1968" -> "13/02/1968" (a stroke
 * read for a slash after one or two digits); 1 when something changed.
 */
int fields_repair_date_separators(const char *raw, strbuf *out);

/* fields_relation_sex: the parent's sex in "... việc nhận cha, con giữa:". */
enum vn_sex fields_relation_sex(const char *raw);

/*
 * extract_unfold: the lines of a part with persons side by side laid out
 * as one column after the other (copies in *out, released with
 * ocr_words_release each and free); 0 when the part is one column.
 */
int extract_unfold(const struct form_def *fd, const struct ocr_words *lines, int n,
		   struct ocr_words **out, int *nout);

/*
 * extract_record_from_words: the record of `fd` from lines of words (as
 * Tesseract would give them, in page pixels), without a page or an engine
 * (no second readings); fills `r` (release with extract_record_release)
 * and returns its number of fields.
 */
int extract_record_from_words(const struct form_def *fd, const struct ocr_words *lines, int n,
			      const struct ocr_options *o, struct ocr_record *r);

#endif
