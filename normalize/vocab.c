/*
 * vocab.c — closed vocabularies of the forms: sex, the 54 ethnic groups of
 * Viet Nam (with the other names they are written under), nationality.
 * Matching is on the folded key, so "NỮ", "Nữ", "nu" and "Nu" are one.
 */
#include <stdlib.h>
#include <string.h>

#include "normalize_internal.h"

enum vn_sex vn_sex_parse(const char *in, unsigned *warn)
{
	strbuf k = STRBUF_INIT;
	enum vn_sex s = VN_SEX_UNKNOWN;

	vn_fold(in, -1, &k);
	if (!strcmp(k.buf, "nam") || !strcmp(k.buf, "m") || !strcmp(k.buf, "male") ||
	    !strcmp(k.buf, "trai"))
		s = VN_SEX_MALE;
	else if (!strcmp(k.buf, "nu") || !strcmp(k.buf, "f") || !strcmp(k.buf, "female") ||
		 !strcmp(k.buf, "gai"))
		s = VN_SEX_FEMALE;
	else if (warn)
		*warn |= k.len ? VN_W_VOCAB_UNKNOWN : VN_W_EMPTY;
	strbuf_release(&k);
	return s;
}

const char *vn_sex_code(enum vn_sex sex)
{
	return sex == VN_SEX_MALE ? "nam" : sex == VN_SEX_FEMALE ? "nu" : NULL;
}

/*
 * The 54 groups by the official list (Decision 121-TCTK/PPCĐ), canonical
 * name first, then other spellings (folded, '|'-separated).
 */
static const struct {
	const char *name;
	const char *aliases;
} ethnic_groups[] = {
	{ "Kinh", "viet|kinh viet" },
	{ "Tày", "tho tay" },
	{ "Thái", "tay thai" },
	{ "Hoa", "han|hoa han" },
	{ "Khmer", "kho me|khome|khmer krom|kho-me|cur|cul" },
	{ "Mường", "muong" },
	{ "Nùng", "nung" },
	{ "Mông", "hmong|h'mong|hmong|meo|mong" },
	{ "Dao", "man|dao" },
	{ "Gia Rai", "giarai|jarai|jrai|gia-rai" },
	{ "Ngái", "ngai" },
	{ "Ê Đê", "ede|e de|rhade|e-de" },
	{ "Ba Na", "bana|ba-na|bahnar" },
	{ "Xơ Đăng", "xo dang|xodang|sedang|xo-dang" },
	{ "Sán Chay", "san chay|cao lan|san chi" },
	{ "Cơ Ho", "co ho|koho|co-ho" },
	{ "Chăm", "cham|cham pa|champa" },
	{ "Sán Dìu", "san diu|san deo" },
	{ "Hrê", "hre|h're" },
	{ "Mnông", "mnong|m'nong" },
	{ "Ra Glai", "raglai|ra-glai|ra glai" },
	{ "Xtiêng", "xtieng|stieng|x'tieng" },
	{ "Bru-Vân Kiều", "bru van kieu|bruvankieu|van kieu|bru" },
	{ "Thổ", "tho" },
	{ "Giáy", "giay|nhang" },
	{ "Cơ Tu", "co tu|katu|co-tu" },
	{ "Gié Triêng", "gie trieng|gie-trieng|gie|trieng" },
	{ "Mạ", "ma" },
	{ "Khơ Mú", "kho mu|khmu|khomu|kho-mu" },
	{ "Co", "cor|co" },
	{ "Tà Ôi", "ta oi|taoi|ta-oi" },
	{ "Chơ Ro", "cho ro|choro|cho-ro" },
	{ "Kháng", "khang" },
	{ "Xinh Mun", "xinh mun|xinh-mun" },
	{ "Hà Nhì", "ha nhi|hani|ha-nhi" },
	{ "Chu Ru", "chu ru|churu|chu-ru" },
	{ "Lào", "lao" },
	{ "La Chí", "la chi|la-chi" },
	{ "La Ha", "la ha|la-ha" },
	{ "Phù Lá", "phu la|phu-la" },
	{ "La Hủ", "la hu|la-hu" },
	{ "Lự", "lu" },
	{ "Lô Lô", "lo lo|lolo|lo-lo" },
	{ "Chứt", "chut" },
	{ "Mảng", "mang" },
	{ "Pà Thẻn", "pa then|pa-then" },
	{ "Cờ Lao", "co lao|colao|co-lao" },
	{ "Cống", "cong" },
	{ "Bố Y", "bo y|bo-y" },
	{ "Si La", "si la|sila|si-la" },
	{ "Pu Péo", "pu peo|pu-peo" },
	{ "Brâu", "brau" },
	{ "Ơ Đu", "o du|odu|o-du" },
	{ "Rơ Măm", "ro mam|romam|ro-mam" },
};

static int alias_match(const char *aliases, const char *key)
{
	size_t kl = strlen(key);
	const char *p = aliases;

	while (*p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == kl && !strncmp(p, key, n))
			return 1;
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

int vn_ethnicity_parse(const char *in, strbuf *out, unsigned *warn)
{
	strbuf k = STRBUF_INIT, name = STRBUF_INIT;
	size_t i;
	int ret = -1;

	vn_fold(in, -1, &k);
	/* "dân tộc Kinh" */
	if (!strncmp(k.buf, "dan toc ", 8)) {
		memmove(k.buf, k.buf + 8, k.len - 8 + 1);
		k.len -= 8;
	}
	for (i = 0; i < HT_ARRAY_LEN(ethnic_groups) && ret < 0; i++) {
		strbuf nk = STRBUF_INIT;

		vn_fold(ethnic_groups[i].name, -1, &nk);
		if (!strcmp(nk.buf, k.buf) || alias_match(ethnic_groups[i].aliases, k.buf)) {
			strbuf_addstr(out, ethnic_groups[i].name);
			ret = 0;
		}
		strbuf_release(&nk);
	}
	if (ret < 0) {
		vn_text_normalize(in, -1, &name, warn);
		vn_case_map(name.buf, (ptrdiff_t)name.len, VN_CASE_TITLE, out);
		if (warn)
			*warn |= k.len ? VN_W_VOCAB_UNKNOWN : VN_W_EMPTY;
	}
	strbuf_release(&k);
	strbuf_release(&name);
	return ret;
}

static const struct {
	const char *name;
	const char *aliases;
} nationalities[] = {
	{ "Việt Nam", "viet nam|vietnam|vn|vietnamese|nuoc chxhcn viet nam|chxhcn viet nam" },
	{ "Trung Quốc", "trung quoc|china|chinese|tq" },
	{ "Lào", "lao|laos" },
	{ "Campuchia", "campuchia|cambodia|cam pu chia" },
	{ "Hàn Quốc", "han quoc|korea|south korea" },
	{ "Nhật Bản", "nhat ban|japan" },
	{ "Hoa Kỳ", "hoa ky|my|usa|united states" },
	{ "Đài Loan", "dai loan|taiwan" },
	{ "Pháp", "phap|france" },
	{ "Úc", "uc|australia|oxtraylia" },
	{ "Thái Lan", "thai lan|thailand" },
};

int vn_nationality_parse(const char *in, strbuf *out, unsigned *warn)
{
	strbuf k = STRBUF_INIT, name = STRBUF_INIT;
	size_t i;
	int ret = -1;

	vn_fold(in, -1, &k);
	for (i = 0; i < HT_ARRAY_LEN(nationalities) && ret < 0; i++) {
		if (alias_match(nationalities[i].aliases, k.buf)) {
			strbuf_addstr(out, nationalities[i].name);
			ret = 0;
		}
	}
	if (ret < 0) {
		vn_text_normalize(in, -1, &name, warn);
		vn_case_map(name.buf, (ptrdiff_t)name.len, VN_CASE_TITLE, out);
		if (warn)
			*warn |= k.len ? VN_W_VOCAB_UNKNOWN : VN_W_EMPTY;
	}
	strbuf_release(&k);
	strbuf_release(&name);
	return ret;
}

/* ------------------------------------------------------------------------
 * Nearest entry of a vocabulary (for misread values)
 * ---------------------------------------------------------------------- */

int vn_lev(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[64], prev, tmp;

	if (lb >= HT_ARRAY_LEN(row))
		return (int)(la > lb ? la : lb);
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int sub = prev + (a[i - 1] != b[j - 1]);
			int del = row[j] + 1, ins = row[j - 1] + 1;

			tmp = row[j];
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = tmp;
		}
	}
	return row[lb];
}

static double sim(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), m = la > lb ? la : lb;

	return m ? 1.0 - (double)vn_lev(a, b) / (double)m : 1.0;
}

/* The best similarity of `key` to a name or any of its aliases. */
static double entry_sim(const char *name, const char *aliases, const char *key)
{
	strbuf nk = STRBUF_INIT;
	double best;
	const char *p = aliases;

	vn_fold(name, -1, &nk);
	best = sim(nk.buf, key);
	strbuf_release(&nk);
	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char *a = xstrndup(p, n);
		double s = sim(a, key);

		free(a);
		if (s > best)
			best = s;
		p = bar ? bar + 1 : NULL;
	}
	return best;
}

double vn_vocab_nearest(enum vn_vocab which, const char *in, strbuf *out, double *second)
{
	strbuf k = STRBUF_INIT;
	double best = 0, next = 0;
	const char *hit = NULL;
	size_t i, n = which == VN_VOCAB_ETHNICITY ? HT_ARRAY_LEN(ethnic_groups)
						  : HT_ARRAY_LEN(nationalities);

	vn_fold(in, -1, &k);
	for (i = 0; i < n; i++) {
		const char *name =
		    which == VN_VOCAB_ETHNICITY ? ethnic_groups[i].name : nationalities[i].name;
		const char *aliases = which == VN_VOCAB_ETHNICITY ? ethnic_groups[i].aliases
								  : nationalities[i].aliases;
		double s = entry_sim(name, aliases, k.buf);

		if (s > best) {
			next = best;
			best = s;
			hit = name;
		} else if (s > next) {
			next = s;
		}
	}
	if (hit)
		strbuf_addstr(out, hit);
	if (second)
		*second = next;
	strbuf_release(&k);
	return best;
}

/* ------------------------------------------------------------------------
 * Known phrases of free text
 * ---------------------------------------------------------------------- */

static const char *const procedures[] = {
	"Đăng ký khai sinh",
	"Đăng ký kết hôn",
	"Đăng ký khai tử",
	"Đăng ký nhận cha, mẹ, con",
	"Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
	"Đăng ký thay đổi, cải chính hộ tịch",
	"Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
	"Bổ sung thông tin hộ tịch",
	"Cấp bản sao trích lục hộ tịch",
	"Cấp Giấy xác nhận tình trạng hôn nhân",
	"Đăng ký giám hộ",
	"Đăng ký chấm dứt giám hộ",
	"Đăng ký thay đổi giám hộ",
	"Đăng ký lại khai sinh",
	"Đăng ký lại kết hôn",
	"Đăng ký lại khai tử",
	"Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân",
	"Đăng ký xác định lại dân tộc",
	"Đăng ký khai sinh lưu động",
	"Đăng ký kết hôn lưu động",
	"Đăng ký khai tử lưu động",
	/* one phrase, in two literals */
	("Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ "
	 "quan có thẩm quyền của nước ngoài"),
};

static const char *const death_causes[] = {
	"Bệnh già",
	"Già yếu",
	"Tuổi già",
	"Tai nạn giao thông",
	"Tai nạn lao động",
	"Tai nạn sinh hoạt",
	"Đột quỵ",
	"Tai biến mạch máu não",
	"Xuất huyết não",
	"Nhồi máu não",
	"Nhồi máu cơ tim",
	"Suy tim",
	"Suy thận",
	"Suy hô hấp",
	"Suy đa tạng",
	"Ung thư phổi",
	"Ung thư gan",
	"Ung thư dạ dày",
	"Ung thư vú",
	"Ung thư cổ tử cung",
	"Ung thư vòm họng",
	"Ung thư máu",
	"Ung thư đại tràng",
	"Ung thư tuyến tụy",
	"Xơ gan",
	"Viêm phổi",
	"Viêm gan",
	"Lao phổi",
	"Đái tháo đường",
	"Tăng huyết áp",
	"Cao huyết áp",
	"Bệnh tim",
	"Bệnh hiểm nghèo",
	"Bệnh phổi tắc nghẽn mạn tính",
	"Hen phế quản",
	"Nhiễm trùng huyết",
	"Sốc nhiễm khuẩn",
	"Sốt xuất huyết",
	"Đuối nước",
	"Điện giật",
	"Ngộ độc",
	"Tự tử",
	"COVID-19",
};

/* Lower case with its marks, trimmed of the punctuation around it. */
static void lower_marked(const char *in, strbuf *out)
{
	strbuf n = STRBUF_INIT;
	size_t a = 0, b;

	vn_text_normalize(in, -1, &n, NULL);
	b = n.len;
	while (a < b && strchr(" .,;:-", n.buf[a]))
		a++;
	while (b > a && strchr(" .,;:-", n.buf[b - 1]))
		b--;
	vn_case_map(n.buf + a, (ptrdiff_t)(b - a), VN_CASE_LOWER, out);
	strbuf_release(&n);
}

int vn_phrase_mark_differs(enum vn_phrases which, const char *in, const char **known)
{
	const char *const *list = which == VN_PHRASES_PROCEDURE ? procedures : death_causes;
	size_t n =
	    which == VN_PHRASES_PROCEDURE ? HT_ARRAY_LEN(procedures) : HT_ARRAY_LEN(death_causes);
	strbuf fin = STRBUF_INIT, lin = STRBUF_INIT, f = STRBUF_INIT, l = STRBUF_INIT;
	int ret = 0;

	if (known)
		*known = NULL;
	vn_fold(in, -1, &fin);
	lower_marked(in, &lin);
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&f);
		strbuf_reset(&l);
		vn_fold(list[i], -1, &f);
		if (strcmp(f.buf, fin.buf))
			continue;
		lower_marked(list[i], &l);
		if (!strcmp(l.buf, lin.buf)) {
			ret = 0; /* the phrase itself, whatever came before */
			break;
		}
		if (!ret) {
			ret = 1;
			if (known)
				*known = list[i];
		}
	}
	if (!ret && known)
		*known = NULL;
	strbuf_release(&fin);
	strbuf_release(&lin);
	strbuf_release(&f);
	strbuf_release(&l);
	return ret;
}
