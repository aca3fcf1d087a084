/*
 * normalize.h — Vietnamese text, names, dates, ID numbers and places, on
 * ICU.  Every value hotich stores or compares goes through here.
 *
 * The canonical form of text (see README.md, "Normalization"):
 *   - Unicode NFC;
 *   - the tone mark placed by one rule, the "new style": on the vowel with
 *     a quality mark (â ă ê ô ơ ư; the second of ươ); else, with three
 *     vowels, on the middle one; with two vowels, on the second when a
 *     final consonant follows or the pair is oa, oe, uy ("hoà", "khoẻ",
 *     "thuỷ", "toàn"), else on the first ("hài", "mùa"); the u of qu and
 *     the i of gi belong to the consonant ("quý", "giá");
 *   - look-alikes repaired (Icelandic Ð/ð -> Đ/đ, Cyrillic letters inside
 *     Latin words), invisible characters removed, every space character a
 *     plain space, runs of spaces collapsed, no space at either end.
 * The folded key: the canonical text without any mark, đ -> d, lower case,
 * apostrophes and hyphens removed (for blocking and search).
 *
 * Strings are UTF-8 and NUL-terminated.  No function here touches the
 * database or keeps global state beyond ICU's own caches, so all of them are
 * safe to call from several threads.
 */
#ifndef HOTICH_NORMALIZE_H
#define HOTICH_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/common.h"

/* ------------------------------------------------------------------------
 * Warnings: a bit set, printed by name ("tone_misplaced,lookalike").
 * ---------------------------------------------------------------------- */
enum {
	VN_W_INVALID_UTF8 = 1u << 0,	     /* bytes that were not UTF-8 replaced */
	VN_W_LOOKALIKE = 1u << 1,	     /* Ð/ð or Cyrillic look-alikes replaced */
	VN_W_INVISIBLE = 1u << 2,	     /* zero-width or control characters removed */
	VN_W_STRAY_MARK = 1u << 3,	     /* combining mark without a letter dropped */
	VN_W_TONE_MISPLACED = 1u << 4,	     /* tone mark on a wrong vowel moved */
	VN_W_TONE_CONFLICT = 1u << 5,	     /* two tone marks in one syllable */
	VN_W_SYLLABLE_REPAIRED = 1u << 6,    /* a syllable outside Vietnamese repaired */
	VN_W_SYLLABLE_INVALID = 1u << 7,     /* a syllable outside Vietnamese kept */
	VN_W_LEGACY_ENCODING = 1u << 8,	     /* decoded from TCVN3/VNI/VIQR/CP1258 */
	VN_W_ENCODING_UNSURE = 1u << 9,	     /* the encoding was a weak guess */
	VN_W_EMPTY = 1u << 10,		     /* nothing readable */
	VN_W_NAME_PREFIX = 1u << 11,	     /* "H' "/"H’" written another way */
	VN_W_NAME_UNUSUAL = 1u << 12,	     /* digits, one word, too many words */
	VN_W_DATE_PARTIAL = 1u << 13,	     /* only year, or year and month */
	VN_W_DATE_IMPOSSIBLE = 1u << 14,     /* 31/02, month 13, year 1066 ... */
	VN_W_DATE_WORDS = 1u << 15,	     /* read from words */
	VN_W_DATE_DISAGREE = 1u << 16,	     /* digits and words disagree */
	VN_W_DATE_TWO_DIGIT_YEAR = 1u << 17, /* a two-digit year was widened */
	VN_W_ID_REPAIRED = 1u << 18,	     /* OCR digit confusions repaired */
	VN_W_ID_INVALID = 1u << 19,	     /* not a valid 12-digit ID or 9-digit CMND */
	VN_W_ID_INCONSISTENT = 1u << 20,     /* disagrees with date of birth or sex */
	VN_W_ID_CMND = 1u << 21,	     /* a 9-digit CMND, not a personal ID */
	VN_W_PLACE_UNKNOWN = 1u << 22,	     /* province not recognized */
	VN_W_PLACE_MERGED = 1u << 23,	     /* a pre-2025 province, mapped to its successor */
	VN_W_PLACE_AMBIGUOUS = 1u << 24,     /* more than one unit fits */
	VN_W_VOCAB_UNKNOWN = 1u << 25,	     /* not in the vocabulary (sex, ethnicity ...) */
	VN_W_PLACE_REPAIRED = 1u << 26	     /* a printed unit name changed into the nearest
					      * unit of the list (a misreading): to review */
};

/* vn_warnings_format: append the names of the bits of `w`, comma-separated. */
void vn_warnings_format(unsigned w, strbuf *out);
/* vn_warning_name: the name of one bit ("tone_misplaced"), or NULL. */
const char *vn_warning_name(unsigned bit);

/* ------------------------------------------------------------------------
 * Text
 * ---------------------------------------------------------------------- */

/*
 * vn_text_normalize: canonical form of `in` (`len` bytes, or -1 for a
 * NUL-terminated string) appended to `out`.  Bytes that are not UTF-8 are
 * replaced with U+FFFD (VN_W_INVALID_UTF8).  Warnings are OR-ed into *warn
 * (may be NULL).  Returns 0; never fails on any input.
 */
int vn_text_normalize(const char *in, ptrdiff_t len, strbuf *out, unsigned *warn);

/*
 * vn_nfc: `in` (`len` bytes, or -1) in Unicode NFC appended to `out`, and
 * nothing else changed (no tone-mark rule, no spacing): for writing a
 * stored value out exactly, composed.  Bytes that are not UTF-8 become
 * U+FFFD.  Returns 0.
 */
int vn_nfc(const char *in, ptrdiff_t len, strbuf *out);

/* vn_fold: the folded key of `in` (any form) appended to `out`. */
int vn_fold(const char *in, ptrdiff_t len, strbuf *out);

enum vn_case {
	VN_CASE_LOWER,
	VN_CASE_UPPER,
	VN_CASE_TITLE
};

/*
 * vn_case_map: `in` in lower, upper or title case (ICU, Vietnamese
 * locale), appended to `out`.  Title case capitalizes the first letter of
 * each word and of each part of a hyphenated word, and the letter after an
 * "H'" prefix.
 */
int vn_case_map(const char *in, ptrdiff_t len, enum vn_case c, strbuf *out);

/* ------------------------------------------------------------------------
 * Syllables
 * ---------------------------------------------------------------------- */

/*
 * vn_syllable_valid: 1 when `syl` (one word, any case, canonical or not)
 * is a syllable of Vietnamese: onset + rhyme + tone, spelled by the rules
 * (c/k/q, g/gh, ng/ngh), and with only the sắc or nặng tone when the rhyme
 * ends in p, t, c or ch.  0 otherwise.
 */
int vn_syllable_valid(const char *syl, ptrdiff_t len);

/*
 * vn_text_repair: vn_text_normalize, then every word that is not a valid
 * syllable but is one or two OCR-likely edits (a vowel's quality mark
 * ư/u ơ/o â/ă/a ê/e ô/o, the tone mark, ...) away from valid syllables is
 * replaced by the nearest of them; ties are broken by `lexicon` (a
 * vn_lexicon of frequent names; may be NULL), and a word with no unique
 * nearest syllable is kept (VN_W_SYLLABLE_INVALID).  A valid syllable is
 * never changed.
 */
struct vn_lexicon;
int vn_text_repair(const char *in, ptrdiff_t len, const struct vn_lexicon *lexicon, strbuf *out,
		   unsigned *warn);

/*
 * Lexicon of frequent words (names): vn_lexicon_new, vn_lexicon_add (any
 * form; counts accumulate), vn_lexicon_free.  Not thread-safe while being
 * built; read-only use from several threads is safe.
 */
struct vn_lexicon *vn_lexicon_new(void);
void vn_lexicon_add(struct vn_lexicon *lx, const char *word, unsigned count);
unsigned vn_lexicon_count(const struct vn_lexicon *lx, const char *word);
void vn_lexicon_free(struct vn_lexicon *lx);
/* vn_lexicon_read: every word of every line of `path` (a name list, or
 * "word<TAB>count" lines) added.  Returns 0, or -1 with `e` naming the
 * file. */
int vn_lexicon_read(const char *path, struct vn_lexicon *lx, herr *e);

/* ------------------------------------------------------------------------
 * Legacy encodings
 * ---------------------------------------------------------------------- */

enum vn_encoding {
	VN_ENC_UTF8 = 0,
	VN_ENC_TCVN3,  /* TCVN 5712:1993 VN3 (ABC), one byte per letter */
	VN_ENC_VNI,    /* VNI-Windows: base letter + mark bytes */
	VN_ENC_VIQR,   /* RFC 1456 ASCII mnemonics */
	VN_ENC_CP1258, /* Windows-1258 (ICU converter), composed with NFC */
	VN_ENC_AUTO    /* detect (decoding only) */
};

/* vn_encoding_name: "utf8", "tcvn3", "vni", "viqr", "cp1258", "auto". */
const char *vn_encoding_name(enum vn_encoding enc);
/* vn_encoding_parse: the encoding named `name` (also "utf-8", "abc",
 * "windows-1258"), or -1. */
int vn_encoding_parse(const char *name);

/*
 * vn_decode: `in` (`len` bytes) from `enc` to UTF-8 NFC, appended to `out`
 * (not yet tone-canonical: pass it to vn_text_normalize).  With
 * VN_ENC_AUTO, the encoding is detected first (vn_detect) and *used (may be
 * NULL) tells which.  Never fails: unmappable bytes become U+FFFD with
 * VN_W_INVALID_UTF8.
 */
int vn_decode(enum vn_encoding enc, const char *in, size_t len, strbuf *out, enum vn_encoding *used,
	      unsigned *warn);

/*
 * vn_encode: UTF-8 text (any normalization form) in `enc`, appended to
 * `out` (for fixtures and round trips).  Characters the encoding cannot
 * hold become '?'; returns the number of them.
 */
int vn_encode(enum vn_encoding enc, const char *utf8, strbuf *out);

/*
 * vn_detect: which encoding `in` most likely is, with a confidence in
 * [0, 1] in *confidence (may be NULL).  Pure ASCII is UTF-8 with
 * confidence 1 unless VIQR mnemonics make VIQR likelier.
 */
enum vn_encoding vn_detect(const char *in, size_t len, double *confidence);

/*
 * vn_detect_file: the encoding of a data file (a registry CSV) from its
 * first 256 KiB: UTF-8, TCVN3, VNI or Windows-1258 (VIQR is not guessed
 * for files: plain ASCII with apostrophes is not VIQR there).  UTF-8 when
 * the file cannot be read.
 */
enum vn_encoding vn_detect_file(const char *path, double *confidence);

/* ------------------------------------------------------------------------
 * Names
 * ---------------------------------------------------------------------- */

#define VN_NAME_MAX 192

struct vn_name {
	char full[VN_NAME_MAX];	   /* canonical, title case: "Nguyễn Thị Thuỳ Dương" */
	char key[VN_NAME_MAX];	   /* folded: "nguyen thi thuy duong" */
	char surname[VN_NAME_MAX]; /* "Nguyễn"; "Niê" for "H'Nhi Niê" */
	char middle[VN_NAME_MAX];  /* "Thị Thuỳ" (may be empty) */
	char given[VN_NAME_MAX];   /* "Dương"; "H'Nhi" */
	int clan_last;		   /* 1: Ê Đê / Jrai order, clan name last */
	int words;		   /* number of words */
};

/*
 * vn_name_parse: canonical form and parts of a personal name in any case
 * and form.  Kinh order is surname, middle, given; compound surnames
 * (Tôn Nữ, Công Tằng Tôn Nữ, Âu Dương ...) stay together; Ê Đê/Jrai names
 * with a Y / H' prefix or a known clan name last (Niê, Ksor, Byă, Êban,
 * Mlô, Rcom, Siu, Rahlan, Kpă, Nay, Ayun ...) take the last word as the
 * surname.  Returns 0, or -1 (with VN_W_EMPTY) when nothing is left, or
 * when the name is longer than VN_NAME_MAX bytes.
 */
int vn_name_parse(const char *in, struct vn_name *out, unsigned *warn);

/*
 * vn_name_plausible: 1 when `in` can be a person's name by the rules above:
 * only letters, marks, spaces, hyphens and apostrophes; two to seven
 * words; each word a Vietnamese syllable (vn_syllable_valid) but at most
 * one, which must still have a vowel, at most 8 letters and none of f, j,
 * w, z ("Thạch Phol", "Sùng A Phol"); in a name of the Ê Đê / Jrai kind (a
 * Y or H' prefix, or a clan name) any word with a vowel.  0 otherwise, with
 * *why the reason in English ("a word is not a Vietnamese syllable").  A
 * foreign name is not plausible: a person has to confirm it.
 */
int vn_name_plausible(const char *in, const char **why);

/*
 * Name model: how often each word of a population's names (a citizen
 * registry) is the surname, a middle name or the given name, with an
 * index by folded key, so that a misread word finds the forms it may
 * stand for ("Nguyên" as a surname -> "Nguyễn").  Built once, then
 * read-only (safe from several threads).
 */
enum vn_name_part {
	VN_PART_SURNAME,
	VN_PART_MIDDLE,
	VN_PART_GIVEN
};

struct vn_name_model;
struct vn_name_model *vn_name_model_new(void);
/* vn_name_model_add: count the words of a name (any form) at their parts. */
void vn_name_model_add(struct vn_name_model *m, const char *full_name, unsigned count);
/* How often `word` (any case and form) is at `part`; 0 when m is NULL. */
unsigned vn_name_model_count(const struct vn_name_model *m, enum vn_name_part part,
			     const char *word);
/*
 * vn_name_model_best: the most frequent form at `part` with the folded key
 * of `word`, appended to `out` in title case; returns its count (0: none)
 * and the count of every form with that key in *total.
 */
unsigned vn_name_model_best(const struct vn_name_model *m, enum vn_name_part part, const char *word,
			    strbuf *out, unsigned *total);
/* The number of names counted. */
unsigned vn_name_model_names(const struct vn_name_model *m);
/* Every word of every part, as a lexicon for vn_text_repair. */
const struct vn_lexicon *vn_name_model_lexicon(const struct vn_name_model *m);
void vn_name_model_free(struct vn_name_model *m);

/*
 * vn_name_model_builtin: the name-frequency data hotich ships
 * (normalize/data/names: surnames by their published shares, the most
 * frequent middle names, middle and given names counted over the lists of
 * Vietnamese names), for judging
 * names when no registry is at hand.  Built on first use, kept for the
 * process, read-only; never NULL.  Its counts are small and its lists
 * incomplete: a word it lacks may well be a real name.
 */
const struct vn_name_model *vn_name_model_builtin(void);

/* ------------------------------------------------------------------------
 * Dates
 * ---------------------------------------------------------------------- */

struct vn_date {
	int year;  /* 0 when unknown */
	int month; /* 0 when unknown */
	int day;   /* 0 when unknown */
};

/*
 * vn_date_parse: a date in digits (dd/mm/yyyy, d/m/yyyy, dd.mm.yyyy,
 * dd-mm-yyyy, yyyy-mm-dd, partial …/…/1948, mm/yyyy, năm 1948, tháng 3
 * năm 1948, "ngày 5 tháng 3 năm 1948") or in words ("ngày mười lăm tháng
 * ba năm một nghìn chín trăm tám mươi bảy", any case, mùng/mồng, lăm,
 * mốt, tư, linh/lẻ, nghìn/ngàn, giêng, chạp, OCR-damaged diacritics).
 * Returns 0 with *out set, or -1 with `e` giving the reason (impossible
 * date, unreadable) and VN_W_DATE_IMPOSSIBLE when the date was read but
 * cannot exist.
 */
int vn_date_parse(const char *in, struct vn_date *out, unsigned *warn, herr *e);

/* vn_date_words: like vn_date_parse for words only (no digits). */
int vn_date_parse_words(const char *in, struct vn_date *out, unsigned *warn, herr *e);

/*
 * vn_date_check: 0 when the (possibly partial) date can exist (years
 * 1800..2100, months 1..12, days within the month, leap years), else -1
 * with the reason.
 */
int vn_date_check(const struct vn_date *d, herr *e);

/* vn_date_format: "YYYY-MM-DD", "YYYY-MM" or "YYYY" into buf (>= 11). */
void vn_date_format(const struct vn_date *d, char *buf, size_t size);

/*
 * vn_date_agree: 1 when `a` and `b` agree on every part both know, 0 when
 * they disagree, -1 when they share no known part.
 */
int vn_date_agree(const struct vn_date *a, const struct vn_date *b);

/* vn_date_to_words: the date in words as forms print it (for fixtures). */
void vn_date_to_words(const struct vn_date *d, strbuf *out);

/* ------------------------------------------------------------------------
 * Personal ID numbers (số định danh cá nhân) and CMND
 * ---------------------------------------------------------------------- */

enum vn_id_kind {
	VN_ID_NONE = 0,
	VN_ID_PERSONAL,
	VN_ID_CMND
};
enum vn_sex {
	VN_SEX_UNKNOWN = 0,
	VN_SEX_MALE,
	VN_SEX_FEMALE
};

struct vn_id {
	enum vn_id_kind kind;
	char digits[13];  /* 12 (or 9) digits, NUL-terminated */
	char province[4]; /* "001"; for a personal ID only */
	enum vn_sex sex;  /* from the century/sex digit */
	int birth_year;	  /* full year from the century digit and YY */
};

/*
 * vn_id_parse: read an ID number (spaces, dots and dashes between digit
 * groups allowed; "CMND số 012345678" recognized).  A 12-digit number is
 * checked: province code in provinces.csv, century/sex digit 0..9 giving a
 * year 1900..2399 not in the future.  Returns 0 with *out set, or -1 with
 * VN_W_ID_INVALID and the reason.  OCR confusions (O/o/D->0, l/I/|->1,
 * S->5, B->8, Z->2, G->6) are read as digits with VN_W_ID_REPAIRED only
 * when the result is valid.
 */
int vn_id_parse(const char *in, struct vn_id *out, unsigned *warn, herr *e);

/*
 * vn_id_consistent: 1 when `id` agrees with the date of birth and sex
 * (either may be unknown), 0 when it disagrees (reason in `e`).
 */
int vn_id_consistent(const struct vn_id *id, const struct vn_date *dob, enum vn_sex sex, herr *e);

/*
 * vn_id_repair: the nearest reading of a misread 12-digit ID (one digit
 * replaced by an OCR-confusable one: 8<->5/3/6/0/9, 1<->7, 2<->3 ...) that is
 * valid and consistent with `dob`/`sex`, when exactly one exists and the
 * read one is invalid or inconsistent.  Returns 1 with *out set, 0 when
 * there is nothing (or nothing unique) to repair.
 */
int vn_id_repair(const struct vn_id *read, const char *raw_digits, const struct vn_date *dob,
		 enum vn_sex sex, struct vn_id *out);

/* vn_province_name: the pre-2025 name of a province code ("001" -> "Hà Nội"),
 * or NULL; vn_province_successor: its province since 1 July 2025. */
const char *vn_province_name(const char *code);
const char *vn_province_successor(const char *code);
/* vn_province_now_code: the code of that province since 1 July 2025
 * ("034" Thái Bình -> "033" Hưng Yên), or NULL for an unknown code. */
const char *vn_province_now_code(const char *code);

/* ------------------------------------------------------------------------
 * Places
 * ---------------------------------------------------------------------- */

#define VN_PLACE_MAX 160
/* units since July 2025 kept for one place (a split commune went to at
 * most 5; the candidates of a unit removed before 2025 are its district's) */
#define VN_PLACE_NOW_MAX 16

/*
 * The status of a place as printed: of the lowest unit recognized in it.
 * The printed units are what is kept; the units since July 2025 are added.
 */
enum vn_place_status {
	VN_PLACE_STATUS_UNKNOWN = 0, /* no unit recognized */
	VN_PLACE_STATUS_2025,	     /* a unit in force since 1 July 2025: "Xã X, Tỉnh Y" */
	VN_PLACE_STATUS_PRE2025,     /* a unit of the list in force before July 2025 */
	VN_PLACE_STATUS_HISTORICAL   /* a unit that existed at some date but in neither
				      * list: removed or renamed 2019-2025 (the changes'
				      * list), or earlier (Hà Tây, 2008) */
};

struct vn_place {
	char canonical[VN_PLACE_MAX * 3]; /* "Xã Tân Quang, Huyện Văn Lâm, Tỉnh Hưng Yên" */
	char commune[VN_PLACE_MAX];	  /* "Xã Tân Quang" (full unit word) */
	char district[VN_PLACE_MAX];	  /* "Huyện Văn Lâm"; "" in the 2025 shape */
	char province[VN_PLACE_MAX];	  /* "Tỉnh Hưng Yên" */
	char province_code[4];		  /* of the province as printed: "033"; "028" for
					   * Hà Tây; "" when unknown */
	char province_now[VN_PLACE_MAX]; /* successor since 2025-07: "Hưng Yên" */
	char key[VN_PLACE_MAX * 3];	 /* folded canonical */
	unsigned found;			 /* VN_PLACE_* units found in a list */
	int stray;			 /* parts not resolved after a resolved unit
					   * ("Xã A, Vì, Huyện B": "Vì") */
	char province_now_code[4];	 /* the province since 2025-07: "033"; "" */
	char province_id[4];		 /* the province before 2025-07 the unit was in,
					  * as personal ID numbers code it: "001" for
					  * Mê Linh printed under Vĩnh Phúc; "" in the
					  * 2025 shape or when unknown */
	enum vn_place_status status;
	/*
	 * The unit or units since July 2025 that the lowest recognized unit
	 * lies in, by their codes in units-2025.tsv: one for most communes;
	 * every candidate for a commune split between several, or removed
	 * before 2025 without a known successor.  0 when only the province is
	 * known (a district, a province, more candidates than fit).
	 */
	int now_count;
	char now[VN_PLACE_NOW_MAX][6];
};

#define VN_PLACE_COMMUNE  1u
#define VN_PLACE_DISTRICT 2u
#define VN_PLACE_PROVINCE 4u

/*
 * vn_place_parse: split a place into its units and resolve them against
 * the units across time, in three shapes:
 *   - three levels, as papers printed them before July 2025: "X. Tân
 *     Quang, H. Văn Lâm, T. Hưng Yên" (full or abbreviated unit words TP.
 *     H. Q. TX. X. P. TT. T., or none), against the list in force before
 *     1 July 2025 (63 provinces, 696 districts, 10,047 communes);
 *   - two levels, as papers print them since: "Xã Quảng Tân, Tỉnh Quảng
 *     Ninh", against the 3,321 units and 34 provinces since July 2025;
 *   - units that existed at some date: removed, renamed or moved between
 *     2019 and 2025 (the changes' list), and the province of Hà Tây with
 *     its districts (merged into Hà Nội in 2008).
 * The printed units are kept in the canonical text (never replaced by
 * another unit); `status` says which list the lowest recognized unit is
 * from, `now` its unit or units since July 2025, and province_now its
 * province since then.  A name that is itself a known unit (in any list)
 * is never taken for another.  Returns 0 (with VN_W_PLACE_UNKNOWN when no
 * province was recognized; the text is still normalized), -1 only on empty
 * input.
 */
int vn_place_parse(const char *in, struct vn_place *out, unsigned *warn);

/*
 * vn_place_parse_near: the same for text read by OCR: a district, commune
 * or 2025 unit whose name is not in the lists under its province or
 * district, and is not the name of any known unit anywhere, is taken as
 * the one unit there whose folded name is nearest (one letter off, or two
 * in a long name, and no other as near), with VN_W_PLACE_REPAIRED: the
 * printed name was changed, so the value goes to review ("Huyện Nậm Đồ,
 * Tỉnh Điện Biên" -> "Huyện Nậm Pồ").
 */
int vn_place_parse_near(const char *in, struct vn_place *out, unsigned *warn);

/* vn_place_status_name: "2025", "pre2025", "historical" or "unknown". */
const char *vn_place_status_name(enum vn_place_status s);

/*
 * vn_place_complete: 1 when every level of the place's shape was found
 * (commune, district and province; commune and province for a unit since
 * July 2025) and no part is astray among them.
 */
int vn_place_complete(const struct vn_place *p);

/*
 * vn_place_now_format: the units since July 2025 of a parsed place,
 * appended to `out` as "Xã Quảng Tân, Tỉnh Quảng Ninh", several joined by
 * " | "; the province since July 2025 when no unit is known ("Thành phố Hà
 * Nội"); nothing when not even that is.
 */
void vn_place_now_format(const struct vn_place *p, strbuf *out);

/* ------------------------------------------------------------------------
 * Vocabularies
 * ---------------------------------------------------------------------- */

/* vn_sex_parse: "Nam", "NAM", "nam", "Nữ", "NỮ", "nu", "Nu" ... -> sex. */
enum vn_sex vn_sex_parse(const char *in, unsigned *warn);
/* vn_sex_code: "nam", "nu" or NULL. */
const char *vn_sex_code(enum vn_sex sex);

/*
 * vn_ethnicity_parse: the canonical name of one of the 54 ethnic groups
 * ("Kinh", "Ê Đê", "Mông" for H'Mông/Hmông/Mèo ...) into out, or -1 with
 * VN_W_VOCAB_UNKNOWN (out gets the normalized text).
 */
int vn_ethnicity_parse(const char *in, strbuf *out, unsigned *warn);

/* vn_nationality_parse: "Việt Nam" for "Việt Nam", "VN", "Viet Nam" ... */
int vn_nationality_parse(const char *in, strbuf *out, unsigned *warn);

/*
 * vn_vocab_nearest: the entry of a vocabulary nearest to `in` by edit
 * distance on folded text (names and aliases), into out; returns its
 * similarity (1 - distance / length, 0..1) and the runner-up's in *second.
 * For values that may be misread ("Việ Nam"): the caller decides how near
 * is near enough.
 */
enum vn_vocab {
	VN_VOCAB_ETHNICITY,
	VN_VOCAB_NATIONALITY
};
double vn_vocab_nearest(enum vn_vocab which, const char *in, strbuf *out, double *second);

/*
 * Known phrases of the free-text fields: the procedures of the civil-status
 * law (Luật Hộ tịch 2014 and its decrees) a receipt names, and the causes
 * of death most often written in the registers.  vn_phrase_mark_differs
 * returns 1 when `in` is one of them but for a mark (a tone, a hook, a dot
 * below: "Đột quy" for "Đột quỵ"), the phrase in *known; 0 when it is one
 * exactly, or none at all (free text may say anything; only a near miss is
 * suspect).
 */
enum vn_phrases {
	VN_PHRASES_PROCEDURE,
	VN_PHRASES_DEATH_CAUSE
};
int vn_phrase_mark_differs(enum vn_phrases which, const char *in, const char **known);

/* vn_icu_version: "72.1" */
const char *vn_icu_version(void);

#endif
