/*
 * fuzz_normalize.c — libFuzzer targets for the parsers of outside bytes in
 * normalize/: each legacy decoder, the encoding detector, text
 * normalization, names, dates, ID numbers and places.  Built once per
 * target with -DFUZZ_TARGET_<name>; inputs over 4 KiB are skipped (values
 * are short, and the caps keep each run fast).
 *
 * Besides "does not crash", each target checks a property: decoders give
 * valid UTF-8, and Windows-1258's the same text as ICU's converter of
 * Microsoft's table composed with NFC; normalization is idempotent; a
 * parsed date formats to a string that parses to the same date; a parsed
 * name's canonical form parses to itself; a parsed place has a status, its
 * units since July 2025 exist, and the exact parser never repairs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../normalize/normalize.h"

#define MAX_INPUT 4096

static __attribute__((unused)) int valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		int k;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0)
			k = 1;
		else if ((*p & 0xF0) == 0xE0)
			k = 2;
		else if ((*p & 0xF8) == 0xF0)
			k = 3;
		else
			return 0;
		if (end - p <= k)
			return 0;
		for (int i = 1; i <= k; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		p += k + 1;
	}
	return 1;
}

static void check(int cond)
{
	if (!cond)
		abort();
}

#if defined(FUZZ_TARGET_cp1258)
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/*
 * The oracle of Windows-1258: ICU's converter for Microsoft's table
 * (ibm-5354), then NFC.  hotich's own table must decode every byte string
 * to the same text: each letter with each combining tone mark, the
 * precomposed letters, in any order and any company.  Skipped when the
 * ICU data installed has no such converter.
 */
static void cp1258_oracle(const uint8_t *data, size_t size, const strbuf *ours)
{
	UErrorCode err = U_ZERO_ERROR;
	UConverter *cv = ucnv_open("ibm-5354_P100-1998", &err);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	UChar *raw, *composed;
	int32_t n, m, len = 0;
	char *utf8;

	if (U_FAILURE(err) || !cv || !nfc) {
		if (cv)
			ucnv_close(cv);
		return;
	}
	raw = xmalloc((size + 1) * sizeof(UChar));
	n = ucnv_toUChars(cv, raw, (int32_t)size + 1, (const char *)data, (int32_t)size, &err);
	ucnv_close(cv);
	check(U_SUCCESS(err));
	m = unorm2_normalize(nfc, raw, n, NULL, 0, &err);
	err = U_ZERO_ERROR;
	composed = xmalloc(((size_t)m + 1) * sizeof(UChar));
	m = unorm2_normalize(nfc, raw, n, composed, m + 1, &err);
	check(U_SUCCESS(err));
	utf8 = xmalloc((size_t)m * 3 + 1);
	u_strToUTF8(utf8, m * 3 + 1, &len, composed, m, &err);
	check(U_SUCCESS(err));
	check((size_t)len == ours->len && !memcmp(utf8, ours->buf, ours->len));
	free(utf8);
	free(composed);
	free(raw);
}
#endif

#if defined(FUZZ_TARGET_tcvn3) || defined(FUZZ_TARGET_vni) || defined(FUZZ_TARGET_viqr) ||         \
    defined(FUZZ_TARGET_cp1258)
static void decode(enum vn_encoding enc, const uint8_t *data, size_t size)
{
	strbuf out = STRBUF_INIT, canon = STRBUF_INIT;

	vn_decode(enc, (const char *)data, size, &out, NULL, NULL);
	check(valid_utf8(out.buf, out.len));
#if defined(FUZZ_TARGET_cp1258)
	cp1258_oracle(data, size, &out);
#endif
	vn_text_normalize(out.buf, (ptrdiff_t)out.len, &canon, NULL);
	check(valid_utf8(canon.buf, canon.len));
	strbuf_release(&out);
	strbuf_release(&canon);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > MAX_INPUT)
		return 0;
	s = xstrndup((const char *)data, size); /* the string parsers take C strings */
	(void)s;
#if defined(FUZZ_TARGET_tcvn3)
	decode(VN_ENC_TCVN3, data, size);
#elif defined(FUZZ_TARGET_vni)
	decode(VN_ENC_VNI, data, size);
#elif defined(FUZZ_TARGET_viqr)
	decode(VN_ENC_VIQR, data, size);
#elif defined(FUZZ_TARGET_cp1258)
	decode(VN_ENC_CP1258, data, size);
#elif defined(FUZZ_TARGET_detect)
	{
		strbuf out = STRBUF_INIT;
		double conf = -1;
		enum vn_encoding enc = vn_detect((const char *)data, size, &conf), used;

		check(conf >= 0 && conf <= 1);
		vn_decode(VN_ENC_AUTO, (const char *)data, size, &out, &used, NULL);
		check(used == enc);
		check(valid_utf8(out.buf, out.len));
		strbuf_release(&out);
	}
#elif defined(FUZZ_TARGET_text)
	{
		strbuf a = STRBUF_INIT, b = STRBUF_INIT, k1 = STRBUF_INIT, k2 = STRBUF_INIT,
		       r = STRBUF_INIT;

		vn_text_normalize(s, -1, &a, NULL);
		vn_text_normalize(a.buf, -1, &b, NULL);
		check(!strcmp(a.buf, b.buf)); /* idempotent */
		vn_fold(s, -1, &k1);
		vn_fold(a.buf, -1, &k2);
		check(!strcmp(k1.buf, k2.buf));
		vn_text_repair(s, -1, NULL, &r, NULL);
		check(valid_utf8(r.buf, r.len));
		strbuf_release(&a);
		strbuf_release(&b);
		strbuf_release(&k1);
		strbuf_release(&k2);
		strbuf_release(&r);
	}
#elif defined(FUZZ_TARGET_name)
	{
		struct vn_name n, again;

		if (vn_name_parse(s, &n, NULL) == 0) {
			check(valid_utf8(n.full, strlen(n.full)));
			check(vn_name_parse(n.full, &again, NULL) == 0);
			check(!strcmp(n.full, again.full));
			check(!strcmp(n.key, again.key));
		}
	}
#elif defined(FUZZ_TARGET_date)
	{
		struct vn_date d, again;
		herr e;
		char iso[16];

		if (vn_date_parse(s, &d, NULL, &e) == 0) {
			check(vn_date_check(&d, &e) == 0);
			vn_date_format(&d, iso, sizeof(iso));
			check(vn_date_parse(iso, &again, NULL, &e) == 0);
			check(vn_date_agree(&d, &again) == 1);
		}
	}
#elif defined(FUZZ_TARGET_id)
	{
		struct vn_id id, fixed;
		struct vn_date dob = { 1987, 3, 15 };
		herr e;

		if (vn_id_parse(s, &id, NULL, &e) == 0)
			check(strlen(id.digits) == 12 || strlen(id.digits) == 9);
		if (size == 12)
			vn_id_repair(NULL, s, &dob, VN_SEX_MALE, &fixed);
	}
#elif defined(FUZZ_TARGET_place)
	{
		struct vn_place p;
		unsigned w = 0;

		if (vn_place_parse(s, &p, &w) == 0) {
			strbuf now = STRBUF_INIT;

			check(valid_utf8(p.canonical, strlen(p.canonical)));
			check(!(w & VN_W_PLACE_REPAIRED));
			check(p.status >= VN_PLACE_STATUS_UNKNOWN &&
			      p.status <= VN_PLACE_STATUS_HISTORICAL);
			check(p.now_count >= 0 && p.now_count <= VN_PLACE_NOW_MAX);
			check((p.status == VN_PLACE_STATUS_UNKNOWN) ==
			      !(p.found & VN_PLACE_PROVINCE));
			vn_place_now_format(&p, &now);
			check(valid_utf8(now.buf, now.len));
			/* every unit since 2025 is named, with its province */
			check(!p.now_count || now.len > 0);
			strbuf_release(&now);
		}
		w = 0;
		if (vn_place_parse_near(s, &p, &w) == 0)
			check(valid_utf8(p.canonical, strlen(p.canonical)));
	}
#else
#error "define FUZZ_TARGET_<name>"
#endif
	free(s);
	return 0;
}
