/*
 * idnum.c — the 12-digit personal identification number (số định danh cá
 * nhân, Decree 137/2015 art. 13) and the 9-digit CMND.
 *
 * PPP G YY NNNNNN: PPP the province where the birth was registered, G the
 * century and sex (0/1 male/female 1900-1999, 2/3 2000-2099, ...), YY the
 * last digits of the year of birth, NNNNNN random; there is no check
 * digit.  So a read number can be checked against its own structure and
 * against a date of birth and a sex, and a misread digit in the first six
 * is often caught.
 */
#include <string.h>
#include <time.h>

#include "normalize_internal.h"

static int this_year(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm))
		return 2100;
	return tm.tm_year + 1900;
}

static const struct vn_province *province_by_code(const char *code)
{
	int i;

	for (i = 0; i < vn_provinces_count; i++)
		if (!strncmp(vn_provinces[i].code, code, 3))
			return &vn_provinces[i];
	return NULL;
}

const char *vn_province_name(const char *code)
{
	const struct vn_province *p = code ? province_by_code(code) : NULL;

	return p ? p->name : NULL;
}

const char *vn_province_successor(const char *code)
{
	const struct vn_province *p = code ? province_by_code(code) : NULL;

	return p ? p->successor : NULL;
}

/* OCR look-alikes of digits; 0 when `c` is not one. */
static char digit_lookalike(unsigned char c)
{
	switch (c) {
	case 'O':
	case 'o':
	case 'D':
	case 'Q':
		return '0';
	case 'l':
	case 'I':
	case 'i':
	case '|':
	case '!':
		return '1';
	case 'Z':
	case 'z':
		return '2';
	case 'S':
	case 's':
		return '5';
	case 'G':
	case 'b':
		return '6';
	case 'T':
		return '7';
	case 'B':
		return '8';
	case 'g':
	case 'q':
		return '9';
	}
	return 0;
}

/* Check the structure of 12 digits; fill `out`. */
static int check_personal(const char *d, struct vn_id *out, herr *e)
{
	int g = d[3] - '0', yy = (d[4] - '0') * 10 + (d[5] - '0');

	memset(out, 0, sizeof(*out));
	memcpy(out->digits, d, 12);
	out->digits[12] = '\0';
	out->kind = VN_ID_PERSONAL;
	memcpy(out->province, d, 3);
	out->province[3] = '\0';
	out->sex = g % 2 ? VN_SEX_FEMALE : VN_SEX_MALE;
	out->birth_year = 1900 + (g / 2) * 100 + yy;
	if (!province_by_code(d))
		return herr_set(e, HT_EXIT_PARTIAL, "ID number %.12s: no province has code %.3s", d,
				d);
	if (out->birth_year > this_year())
		return herr_set(e, HT_EXIT_PARTIAL,
				"ID number %.12s: century digit %d and year %02d give %d, in the "
				"future",
				d, g, yy, out->birth_year);
	return 0;
}

static int digitish(unsigned char c)
{
	return (c >= '0' && c <= '9') || digit_lookalike(c);
}

int vn_id_parse(const char *in, struct vn_id *out, unsigned *warn, herr *e)
{
	char d[32];
	size_t n = 0, subs = 0;
	const char *p = in;

	memset(out, 0, sizeof(*out));
	/* skip a label: "Số định danh cá nhân:", "CMND số:" */
	if (strchr(in, ':'))
		p = strrchr(in, ':') + 1;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		char l;

		if (c >= '0' && c <= '9') {
			if (n >= sizeof(d) - 1)
				break;
			d[n++] = (char)c;
		} else if (n > 0 && (c == ' ' || c == '.' || c == '-' || c == '\t')) {
			/* a group separator inside the number */
			if (!digitish((unsigned char)p[1]))
				break;
		} else if ((l = digit_lookalike(c)) != 0 &&
			   (n > 0 ? digitish((unsigned char)p[1])
				  : p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9')) {
			/* O/l/S/B... between digits */
			if (n >= sizeof(d) - 1)
				break;
			d[n++] = l;
			subs++;
		} else if (n > 0) {
			break; /* the number ended */
		}
	}
	d[n] = '\0';
	if (n == 12) {
		if (check_personal(d, out, e) < 0) {
			if (warn)
				*warn |= VN_W_ID_INVALID;
			return -1;
		}
		if (subs && warn)
			*warn |= VN_W_ID_REPAIRED;
		return 0;
	}
	if (n == 9) {
		memcpy(out->digits, d, 10);
		out->kind = VN_ID_CMND;
		if (warn)
			*warn |= VN_W_ID_CMND | (subs ? VN_W_ID_REPAIRED : 0);
		return 0;
	}
	if (warn)
		*warn |= n ? VN_W_ID_INVALID : VN_W_EMPTY;
	return herr_set(e, HT_EXIT_PARTIAL,
			"ID number \"%s\" has %zu digits, not 12 (or 9 for a CMND)", in, n);
}

int vn_id_consistent(const struct vn_id *id, const struct vn_date *dob, enum vn_sex sex, herr *e)
{
	if (id->kind != VN_ID_PERSONAL)
		return 1;
	if (dob && dob->year && dob->year != id->birth_year)
		return herr_set(e, HT_EXIT_PARTIAL,
				"ID number %s says born in %d, the date of birth says %d",
				id->digits, id->birth_year, dob->year),
		       0;
	if (sex != VN_SEX_UNKNOWN && sex != id->sex)
		return herr_set(e, HT_EXIT_PARTIAL, "ID number %s says %s, the record says %s",
				id->digits, id->sex == VN_SEX_MALE ? "male" : "female",
				sex == VN_SEX_MALE ? "male" : "female"),
		       0;
	return 1;
}

/* Digits OCR confuses with each digit (printed forms, Tesseract). */
static const char *const confusions[10] = {
	"689", "74", "37", "825", "19", "638", "580", "12", "50369", "804",
};

int vn_id_repair(const struct vn_id *read, const char *raw_digits, const struct vn_date *dob,
		 enum vn_sex sex, struct vn_id *out)
{
	char d[13], best[13];
	int found = 0, pos;
	herr ignore;
	struct vn_id cand;

	if (!raw_digits || strlen(raw_digits) != 12 || strspn(raw_digits, "0123456789") != 12)
		return 0;
	/* a valid and consistent reading is never changed */
	if (read && read->kind == VN_ID_PERSONAL && vn_id_consistent(read, dob, sex, &ignore))
		return 0;
	if (!dob || !dob->year)
		return 0; /* nothing to check a change against */
	/* one substitution among the six checkable digits */
	for (pos = 0; pos < 6; pos++) {
		const char *alt;

		for (alt = confusions[raw_digits[pos] - '0']; *alt; alt++) {
			memcpy(d, raw_digits, 13);
			d[pos] = *alt;
			if (check_personal(d, &cand, &ignore) < 0 ||
			    !vn_id_consistent(&cand, dob, sex, &ignore))
				continue;
			if (found && strcmp(best, d) != 0) {
				found = 2;
				break;
			}
			memcpy(best, d, 13);
			found = found ? found : 1;
		}
	}
	/* two neighbours swapped among the year digits */
	memcpy(d, raw_digits, 13);
	d[4] = raw_digits[5];
	d[5] = raw_digits[4];
	if (found < 2 && d[4] != d[5] && check_personal(d, &cand, &ignore) == 0 &&
	    vn_id_consistent(&cand, dob, sex, &ignore)) {
		if (found && strcmp(best, d) != 0)
			found = 2;
		else {
			memcpy(best, d, 13);
			found = 1;
		}
	}
	if (found != 1)
		return 0;
	return check_personal(best, out, &ignore) == 0;
}
