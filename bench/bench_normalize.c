/*
 * bench_normalize.c — names and places normalized per second on one core,
 * names against a peer measured in the same run: ICU's own NFC
 * normalization plus lower casing of the same strings (the least any tool
 * does to compare names).
 *
 * bench_normalize [N]   (default 300,000 names, and N / 3 places)
 *
 * The names are synthetic: surnames by their published shares, middle and
 * given names from built-in lists, written in the forms real data has
 * (capitals, NFD, the old tone style, extra spaces, Icelandic Ð).  The
 * places are the shapes papers print: three levels before July 2025 (full,
 * abbreviated, lower case, without marks, with a hamlet), two levels since,
 * units of the past, a province alone, a place that is no unit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "../normalize/normalize.h"

static const char *const surnames[] = {
	"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
	"Vũ",	  "Võ",	    "Đặng",   "Bùi",	"Đỗ",	"Hồ", "Ngô",  "Dương", "Lý",	"Khổng",
};
static const char *const middles[] = { "Văn",  "Thị",  "Đức",  "Quang", "Công", "Hữu",
				       "Xuân", "Minh", "Ngọc", "Thanh", "Kim",	"Thuý" };
static const char *const givens[] = { "Hùng", "Dương", "Hoà",  "Thuỷ",	"Khoẻ", "Quý", "Tuấn",
				      "Lan",  "Hương", "Toàn", "Huỳnh", "Đức",	"Anh", "Ỷ" };

static const char *const places[] = {
	"Xã Tân Quang, Huyện Văn Lâm, Tỉnh Hưng Yên",
	"X. Tân Quang, H. Văn Lâm, T. Hưng Yên",
	"thôn Đông, xã Tân Quang, huyện Văn Lâm, tỉnh Hưng Yên",
	"xa tan quang, huyen van lam, tinh hung yen",
	"P.5, Q.3, TP.HCM",
	"Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
	"Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng",
	"Thị trấn Phố Lu, Huyện Bảo Thắng, Tỉnh Lào Cai",
	"Xóm 3, Xã Nghi Vạn, Huyện Nghi Lộc, Tỉnh Nghệ An",
	"Phường Láng Hạ, Quận Đống Đa, Hà Nội",
	"Xã Quảng Tân, Tỉnh Quảng Ninh",
	"Phường Ba Đình, Thành phố Hà Nội",
	"xã Đông Hưng, tỉnh Hưng Yên",
	"Xã Quảng Lợi, Huyện Đầm Hà, Tỉnh Quảng Ninh",
	"Xã Yên Bình, Huyện Thạch Thất, Tỉnh Hà Tây",
	"Tỉnh Thái Bình",
	"Hà Nội",
	"Bệnh viện Phụ sản Hà Nội",
	"Atlantis",
};

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* One name in a random written form. */
static char *make_name(void)
{
	strbuf plain = STRBUF_INIT, out = STRBUF_INIT;
	unsigned form = next(5);

	strbuf_addf(&plain, "%s %s %s", surnames[next(20)], middles[next(12)], givens[next(14)]);
	switch (form) {
	case 0: /* as is */
		strbuf_addstr(&out, plain.buf);
		break;
	case 1: /* capitals */
		vn_case_map(plain.buf, -1, VN_CASE_UPPER, &out);
		break;
	case 2: { /* NFD */
		UErrorCode err = U_ZERO_ERROR;
		UChar a[256], b[512];
		int32_t n = 0, m;
		char u8[1024];

		u_strFromUTF8(a, 256, &n, plain.buf, -1, &err);
		m = unorm2_normalize(unorm2_getNFDInstance(&err), a, n, b, 512, &err);
		u_strToUTF8(u8, sizeof(u8), &n, b, m, &err);
		strbuf_add(&out, u8, (size_t)n);
		break;
	}
	case 3: /* old tone style and double spaces */
		strbuf_addf(&out, "  %s  ", plain.buf);
		break;
	default: /* Icelandic Ð for Đ */
		for (const char *p = plain.buf; *p; p++) {
			if (!strncmp(p, "Đ", 2)) {
				strbuf_addstr(&out, "Ð");
				p++;
			} else {
				strbuf_addch(&out, *p);
			}
		}
	}
	strbuf_release(&plain);
	return strbuf_detach(&out, NULL);
}

int main(int argc, char **argv)
{
	long n = 300000, i;
	char **names;
	double t0, ours, peer;
	size_t sink = 0;

	if (argc > 1 && parse_int(argv[1], 1000, 100000000, &n) < 0) {
		fprintf(stderr, "usage: bench_normalize [N]\n");
		return 2;
	}
	names = xcalloc((size_t)n, sizeof(char *));
	for (i = 0; i < n; i++)
		names[i] = make_name();

	/* warm up ICU's data and our tables */
	for (i = 0; i < 1000; i++) {
		struct vn_name nm;

		vn_name_parse(names[i], &nm, NULL);
	}

	t0 = clock_now_s();
	for (i = 0; i < n; i++) {
		struct vn_name nm;

		vn_name_parse(names[i], &nm, NULL);
		sink += strlen(nm.key);
	}
	ours = clock_now_s() - t0;

	t0 = clock_now_s();
	for (i = 0; i < n; i++) {
		UErrorCode err = U_ZERO_ERROR;
		UChar a[256], b[256], c[256];
		int32_t len = 0, m, k;
		char u8[768];

		u_strFromUTF8(a, 256, &len, names[i], -1, &err);
		m = unorm2_normalize(unorm2_getNFCInstance(&err), a, len, b, 256, &err);
		k = u_strToLower(c, 256, b, m, "vi", &err);
		u_strToUTF8(u8, sizeof(u8), &len, c, k, &err);
		sink += (size_t)len;
	}
	peer = clock_now_s() - t0;

	printf("bench_normalize: %ld names, one core (checksum %zu)\n", n, sink % 1000);
	printf("  hotich vn_name_parse (canonical, parts, key): %10.0f names/s  (%.2f us/name)\n",
	       (double)n / ours, ours * 1e6 / (double)n);
	printf("  peer: ICU NFC + lower case only:             %10.0f names/s  (%.2f us/name)\n",
	       (double)n / peer, peer * 1e6 / (double)n);
	printf("  ratio hotich/peer: %.2f; target >= 500000 names/s: %s\n", peer / ours,
	       (double)n / ours >= 500000 ? "met" : "NOT met");

	/* places, drawn at random from the shapes above */
	{
		long np = n / 3;
		long nplaces = (long)(sizeof(places) / sizeof(places[0]));
		double tp;

		for (i = 0; i < 1000; i++) {
			struct vn_place pl;

			vn_place_parse(places[i % nplaces], &pl, NULL);
		}
		t0 = clock_now_s();
		for (i = 0; i < np; i++) {
			struct vn_place pl;

			vn_place_parse(places[next((unsigned)nplaces)], &pl, NULL);
			sink += (size_t)pl.now_count + strlen(pl.key);
		}
		tp = clock_now_s() - t0;
		printf("  hotich vn_place_parse (units, status, units since July 2025): %8.0f "
		       "places/s  (%.2f us/place)\n",
		       (double)np / tp, tp * 1e6 / (double)np);
		printf("  target >= 100000 places/s: %s (checksum %zu)\n",
		       (double)np / tp >= 100000 ? "met" : "NOT met", sink % 1000);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}
