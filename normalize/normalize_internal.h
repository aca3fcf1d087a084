/*
 * normalize_internal.h — what the files of normalize/ share: UTF-16
 * buffers over ICU, the Vietnamese letter model (base letter, quality
 * mark, tone mark) and the tone-placement rule.
 */
#ifndef HOTICH_NORMALIZE_INTERNAL_H
#define HOTICH_NORMALIZE_INTERNAL_H

#include <unicode/uchar.h>
#include <unicode/utypes.h>

#include "normalize.h"

/* ------------------------------------------------------------------------
 * UTF-16 buffer with inline storage for short strings (names, fields).
 * ---------------------------------------------------------------------- */
struct ubuf {
	UChar *p;
	int32_t len;
	int32_t cap;
	UChar inline_buf[256];
};

void vn_ubuf_init(struct ubuf *b);
void vn_ubuf_release(struct ubuf *b);
void vn_ubuf_reserve(struct ubuf *b, int32_t cap);
void vn_ubuf_push(struct ubuf *b, UChar c);
/* vn_ubuf_move: dst takes src's contents (dst's are released); src is emptied. */
void vn_ubuf_move(struct ubuf *dst, struct ubuf *src);
/* vn_ubuf_from_utf8: replace contents with `in`; returns the number of
 * invalid sequences replaced by U+FFFD. */
int32_t vn_ubuf_from_utf8(struct ubuf *b, const char *in, ptrdiff_t len);
/* vn_ubuf_to_utf8: append to `out`. */
void vn_ubuf_to_utf8(const struct ubuf *b, strbuf *out);
/*
 * text_canonical_u: vn_text_normalize into a UTF-16 buffer (NFC);
 * text_fold_u: the folded key of canonical UTF-16 text, appended;
 * text_title_u: title case in place (see vn_case_map).
 */
void text_canonical_u(const char *in, ptrdiff_t len, struct ubuf *out, unsigned *warn);
void text_fold_u(const struct ubuf *nfc, strbuf *out);
void text_title_u(struct ubuf *b);

/* vn_ubuf_nfd / vn_ubuf_nfc: dst = normalization of src (dst != src). */
void vn_ubuf_nfd(const struct ubuf *src, struct ubuf *dst);
void vn_ubuf_nfc(const struct ubuf *src, struct ubuf *dst);

/* ------------------------------------------------------------------------
 * Vietnamese letters in decomposed form
 * ---------------------------------------------------------------------- */

enum vn_tone {
	TONE_NONE = 0,
	TONE_HUYEN,
	TONE_SAC,
	TONE_HOI,
	TONE_NGA,
	TONE_NANG
};
enum {
	Q_CIRC = 1,
	Q_BREVE = 2,
	Q_HORN = 4
};

#define U_GRAVE	     0x0300
#define U_ACUTE	     0x0301
#define U_CIRC	     0x0302
#define U_TILDE	     0x0303
#define U_BREVE	     0x0306
#define U_HOOK	     0x0309
#define U_HORN	     0x031B
#define U_DOTBELOW   0x0323
#define U_DSTROKE_UP 0x0110
#define U_DSTROKE_LO 0x0111

/*
 * uc_is_mark / uc_is_alpha: ICU's properties with a fast path for the
 * Latin ranges that make up nearly all of the text (these run per
 * character on every value).
 */
static inline int uc_is_mark(UChar c)
{
	if (c < 0x0300)
		return 0;
	if (c <= 0x036F)
		return 1; /* combining diacritical marks */
	return u_getCombiningClass(c) > 0 || u_charType(c) == U_NON_SPACING_MARK;
}

static inline int uc_is_alpha(UChar c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	return u_isalpha(c);
}

/* vn_tone_of_mark: the tone a combining mark stands for, or TONE_NONE. */
int vn_tone_of_mark(UChar c);
/* vn_mark_of_tone: the combining mark of a tone (0 for TONE_NONE). */
UChar vn_mark_of_tone(int tone);
/* vn_quality_of_mark: Q_* for U+0302/0306/031B, else 0. */
int vn_quality_of_mark(UChar c);
/* vn_is_vowel_base: a e i o u y (lower case ASCII). */
int vn_is_vowel_base(UChar lower);

/*
 * One letter of a syllable: its base (ASCII or đ), lower-cased base, the
 * quality marks on it, and the original code unit for output.
 */
struct vn_letter {
	UChar base;  /* as written (case kept) */
	UChar lower; /* lower case base: 'a'..'z' or U+0111 */
	int quality; /* Q_* bits */
};

#define VN_SYL_MAX 24

/*
 * A decomposed syllable: letters, its tone and the index of the letter that
 * carried it.  `foreign` is set when a letter or mark is not Vietnamese.
 */
struct vn_syl {
	struct vn_letter l[VN_SYL_MAX];
	int n;
	int tone;
	int tone_at;	/* index of the letter carrying the tone, -1 none */
	int tones_seen; /* how many tone marks were found */
	int foreign;
};

/*
 * vn_syl_from_nfd: decompose a run of letters and marks (NFD, one word) into
 * `s`.  Returns 0, or -1 when the run is longer than VN_SYL_MAX letters.
 */
int vn_syl_from_nfd(const UChar *run, int32_t len, struct vn_syl *s);

/*
 * vn_syl_tone_position: the index of the letter that carries the tone by the
 * rule of normalize.h, or -1 when the letters do not form one Vietnamese
 * syllable.  *old_style is set when the old style would put it elsewhere
 * (oa, oe, uy without a final consonant) and gives that index.
 */
int vn_syl_tone_position(const struct vn_syl *s, int *old_style);

/* vn_syl_emit: the syllable with its tone at `pos` (NFD order), appended. */
void vn_syl_emit(const struct vn_syl *s, int pos, struct ubuf *out);

/*
 * syl_key: the syllable's letters in lower case with their quality marks
 * composed ("thuyên") into buf (UTF-8), for the validity tables.
 */
void vn_syl_letters_utf8(const struct vn_syl *s, char *buf, size_t size);

/* The closed set of syllables (syllable.c). */
int vn_syl_valid(const struct vn_syl *s);
/* vn_rhymes_sorted: 1 when the rhyme table is in byte order (for a test). */
int vn_rhymes_sorted(void);

/* Provinces (provinces.c, generated from provinces.csv). */
struct vn_province {
	const char *code;
	const char *name;      /* before 2025-07: "Hà Nội" */
	const char *kind;      /* "tỉnh" / "thành phố" */
	const char *successor; /* since 2025-07 */
};
extern const struct vn_province vn_provinces[];
extern const int vn_provinces_count;

/* Administrative units (admin_units.c, generated from dvhcvn.json). */
struct vn_admin_unit {
	const char *name;	 /* "Phúc Xá" (without its unit word) */
	const char *type;	 /* "Phường" */
	unsigned short province; /* index into vn_provinces */
	unsigned short district; /* index into vn_admin_districts + 1, 0 for none */
	const char *code;	 /* the statistics office's: "001", "00001" */
};
extern const struct vn_admin_unit vn_admin_districts[];
extern const int vn_admin_districts_count;
extern const struct vn_admin_unit vn_admin_communes[];
extern const int vn_admin_communes_count;

/*
 * Places across time (places_2025.c, generated by tools/embed-places-2025.sh
 * from normalize/data/admin-units-2025/ and historical-units.tsv).  Names
 * carry their unit word ("Phường Ba Đình"); codes are text with their
 * leading zeros, and a code of the 2025 list may name another unit in the
 * older lists.
 */
struct vn_unit_2025 {
	const char *code;	/* "00004" */
	const char *name;	/* "Phường Ba Đình" */
	const char *type;	/* "Phường", "Xã", "Đặc khu" */
	const char *province;	/* "01" (vn_provinces_2025) */
	const char *name_after; /* a later name (30/04/2026), or "" */
};
extern const struct vn_unit_2025 vn_units_2025[];
extern const int vn_units_2025_count;

struct vn_province_2025 {
	const char *code;	/* "01" */
	const char *name;	/* "Thành phố Hà Nội" */
	const char *name_after; /* "Thành phố Đồng Nai" (30/04/2026), or "" */
};
extern const struct vn_province_2025 vn_provinces_2025[];
extern const int vn_provinces_2025_count;

/* One pair of the conversion table (old unit -> new unit). */
struct vn_old_new {
	const char *old_code;	  /* "00001"; "" for the island districts and the Kim Sơn area */
	const char *old_name;	  /* the NSO table's spelling */
	const char *old_name_gso; /* the GSO catalogue's, where it differs, or "" */
	const char *old_type;	  /* "Xã", "Phường", "Thị trấn" */
	const char *old_district; /* "001" */
	const char *old_province; /* "01" */
	const char *new_code;	  /* a code of vn_units_2025 */
	char level;		  /* 'c' commune, 'd' district, 'a' area */
};
extern const struct vn_old_new vn_old_to_new[];
extern const int vn_old_to_new_count;

/* One dated change between two snapshots of the list (2019-2025). */
struct vn_change {
	const char *after, *until; /* it happened after `after`, on or before `until` */
	int level;		   /* 1 province, 2 district, 3 commune */
	char event;		   /* 'x' removed, 'a' added, 'r' renamed, 'm' moved,
				    * 'b' renamed and moved */
	const char *code;
	const char *name_before, *name_after;
	const char *parent, *parent_before; /* the parent's code after and before */
};
extern const struct vn_change vn_changes[];
extern const int vn_changes_count;

/* A unit of the hand-written table (historical-units.tsv). */
struct vn_hist_row {
	int level;	      /* 1 province, 2 district, 3 commune */
	const char *name;     /* "Tỉnh Hà Tây" */
	const char *gso;      /* its own code (provinces), or "" */
	const char *province; /* the province it was in (name), or "" */
	const char *district; /* the district it was in (communes), or "" */
	const char *until;    /* "2008-08-01" */
	const char *now;      /* the code it became in the list before July 2025 */
	const char *source;   /* "NQ 15/2008/QH12" */
};
extern const struct vn_hist_row vn_hist_rows[];
extern const int vn_hist_rows_count;

/* vn_lev: Levenshtein distance of two byte strings (folded text is ASCII). */
int vn_lev(const char *a, const char *b);

/* The name lists of normalize/data/names, embedded (tools/embed-names.sh). */
extern const char *const vn_names_surnames;
extern const char *const vn_names_middles;
extern const char *const vn_names_boy;
extern const char *const vn_names_girl;

#endif
