/*
 * forms.c — what is printed on the five documents of the contract (from
 * ../shared/domain/forms.md): their titles and their labels, and which
 * field of the record each label's value is, given whose block it is in
 * (the child's, the mother's, the husband's ...).
 *
 * Labels are matched on folded text with a tolerance (forms_similarity),
 * so that "Ho, chu dem, ten:" or "Hq, chữ đệm, tèn:" still anchor.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ocr_internal.h"

/* ------------------------------------------------------------------------
 * Titles
 * ---------------------------------------------------------------------- */

static const char *const titles_khai_sinh[] = { "GIẤY KHAI SINH", "TRÍCH LỤC KHAI SINH",
						"BẢN SAO GIẤY KHAI SINH", NULL };
static const char *const titles_khai_tu[] = { "TRÍCH LỤC KHAI TỬ", "GIẤY CHỨNG TỬ", "GIẤY BÁO TỬ",
					      NULL };
static const char *const titles_ket_hon[] = { "GIẤY CHỨNG NHẬN KẾT HÔN", "TRÍCH LỤC KẾT HÔN",
					      NULL };
static const char *const titles_cmc[] = { "TRÍCH LỤC ĐĂNG KÝ NHẬN CHA, MẸ, CON",
					  "TRÍCH LỤC NHẬN CHA, MẸ, CON",
					  "GIẤY CHỨNG NHẬN NHẬN CHA, MẸ, CON", NULL };
static const char *const titles_tthc[] = { "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
					   "PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", NULL };

/* ------------------------------------------------------------------------
 * Labels
 * ---------------------------------------------------------------------- */

#define S  FL_SETS_CONTEXT
#define W  FL_WRAPS
#define F1 FL_FIRST_ONLY
#define L  FL_LAST

static const struct form_label labels_khai_sinh[] = {
	{ "Số:", "register_no", FK_NUMBER, CTX_ANY, F1 },
	{ "Quyển số:", "book_no", FK_NUMBER, CTX_ANY, 0 },
	{ "Họ, chữ đệm, tên:", "full_name", FK_NAME, CTX_SUBJECT, W },
	{ "Ngày, tháng, năm sinh:", "dob", FK_DATE, CTX_SUBJECT, 0 },
	{ "ghi bằng chữ:", "dob", FK_DATE_WORDS, CTX_SUBJECT, W },
	{ "Giới tính:", "sex", FK_SEX, CTX_SUBJECT, 0 },
	{ "Dân tộc:", "ethnicity", FK_ETHNIC, CTX_SUBJECT, 0 },
	{ "Quốc tịch:", "nationality", FK_NATION, CTX_SUBJECT, 0 },
	{ "Nơi sinh:", "birthplace", FK_PLACE, CTX_SUBJECT, W },
	{ "Quê quán:", "hometown", FK_PLACE, CTX_SUBJECT, W },
	{ "Số định danh cá nhân:", "id_number", FK_ID, CTX_SUBJECT, 0 },
	{ "Họ, chữ đệm, tên người mẹ:", "mother_name", FK_NAME, CTX_MOTHER, S | W },
	{ "Họ, chữ đệm, tên người cha:", "father_name", FK_NAME, CTX_FATHER, S | W },
	{ "Họ, chữ đệm, tên người đi khai sinh:", NULL, FK_SKIP, CTX_DECLARANT, S },
	{ "Năm sinh:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Dân tộc:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Quốc tịch:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Nơi cư trú:", NULL, FK_SKIP, CTX_ANY, W },
	{ "Giấy tờ tùy thân:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Nơi đăng ký khai sinh:", "registry_office", FK_OFFICE, CTX_OFFICE, W | S },
	{ "Đăng ký khai sinh tại:", "registry_office", FK_OFFICE, CTX_OFFICE, W | S },
	{ "Ngày, tháng, năm đăng ký:", "registered_on", FK_DATE, CTX_ANY, L },
	{ "Ghi chú:", NULL, FK_SKIP, CTX_ANY, W },
};

static const struct form_label labels_khai_tu[] = {
	{ "Số:", "register_no", FK_NUMBER, CTX_ANY, F1 },
	{ "Quyển số:", "book_no", FK_NUMBER, CTX_ANY, 0 },
	{ "Họ, chữ đệm, tên:", "full_name", FK_NAME, CTX_SUBJECT, W },
	{ "Ngày, tháng, năm sinh:", "dob", FK_DATE, CTX_SUBJECT, 0 },
	{ "Giới tính:", "sex", FK_SEX, CTX_SUBJECT, 0 },
	{ "Dân tộc:", "ethnicity", FK_ETHNIC, CTX_SUBJECT, 0 },
	{ "Quốc tịch:", "nationality", FK_NATION, CTX_SUBJECT, 0 },
	{ "Số định danh cá nhân:", "id_number", FK_ID, CTX_SUBJECT, 0 },
	{ "Giấy tờ tùy thân:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Đã chết vào lúc:", "died_on", FK_DATETIME, CTX_ANY, 0 },
	{ "Nơi chết:", "death_place", FK_PLACE, CTX_ANY, W },
	{ "Nguyên nhân chết:", "death_cause", FK_TEXT, CTX_ANY, W },
	{ "Đã được đăng ký khai tử tại:", "registry_office", FK_OFFICE, CTX_OFFICE, W | S },
	{ "Ngày:", "registered_on", FK_DATE, CTX_OFFICE, L },
	{ "Ghi chú:", NULL, FK_SKIP, CTX_ANY, W },
};

static const struct form_label labels_ket_hon[] = {
	{ "Số:", "register_no", FK_NUMBER, CTX_ANY, F1 },
	{ "Quyển số:", "book_no", FK_NUMBER, CTX_ANY, 0 },
	{ "Họ, chữ đệm, tên chồng:", "husband_name", FK_NAME, CTX_HUSBAND, S | W },
	{ "Họ, chữ đệm, tên vợ:", "wife_name", FK_NAME, CTX_WIFE, S | W },
	{ "Ngày, tháng, năm sinh:", "husband_dob", FK_DATE, CTX_HUSBAND, 0 },
	{ "Ngày, tháng, năm sinh:", "wife_dob", FK_DATE, CTX_WIFE, 0 },
	{ "Dân tộc:", "husband_ethnicity", FK_ETHNIC, CTX_HUSBAND, 0 },
	{ "Dân tộc:", "wife_ethnicity", FK_ETHNIC, CTX_WIFE, 0 },
	{ "Quốc tịch:", "husband_nationality", FK_NATION, CTX_HUSBAND, 0 },
	{ "Quốc tịch:", "wife_nationality", FK_NATION, CTX_WIFE, 0 },
	{ "Nơi cư trú:", "husband_residence", FK_PLACE, CTX_HUSBAND, W },
	{ "Nơi cư trú:", "wife_residence", FK_PLACE, CTX_WIFE, W },
	{ "Số định danh cá nhân:", "husband_id_number", FK_ID, CTX_HUSBAND, 0 },
	{ "Số định danh cá nhân:", "wife_id_number", FK_ID, CTX_WIFE, 0 },
	{ "Giấy tờ tùy thân:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Nơi đăng ký kết hôn:", "registry_office", FK_OFFICE, CTX_OFFICE, W | S },
	{ "Ngày, tháng, năm đăng ký:", "registered_on", FK_DATE, CTX_ANY, L },
	{ "Bên chồng", NULL, FK_SKIP, CTX_HUSBAND, S },
	{ "Bên vợ", NULL, FK_SKIP, CTX_WIFE, S },
};

static const struct form_label labels_cmc[] = {
	{ "Số:", "register_no", FK_NUMBER, CTX_ANY, F1 },
	/* the parent's sex is in the words: "nhận cha" (a father), "nhận mẹ" */
	{ "Xác nhận đăng ký việc nhận cha, con giữa:", "parent_sex", FK_RELATION, CTX_PARENT, S },
	{ "Xác nhận đăng ký việc nhận mẹ, con giữa:", "parent_sex", FK_RELATION, CTX_PARENT, S },
	{ "Họ, chữ đệm, tên:", "parent_name", FK_NAME, CTX_PARENT, W },
	{ "Họ, chữ đệm, tên con:", "child_name", FK_NAME, CTX_CHILD, S | W },
	{ "Và", NULL, FK_SKIP, CTX_CHILD, S | FL_ALONE },
	{ "Ngày, tháng, năm sinh:", "child_dob", FK_DATE, CTX_CHILD, 0 },
	{ "Ngày, tháng, năm sinh:", "parent_dob", FK_DATE, CTX_PARENT, 0 },
	{ "Số định danh cá nhân:", "parent_id_number", FK_ID, CTX_PARENT, 0 },
	{ "Số định danh cá nhân:", "child_id_number", FK_ID, CTX_CHILD, 0 },
	{ "Giấy khai sinh/Giấy tờ tùy thân:", "child_id_number", FK_ID, CTX_CHILD, 0 },
	{ "Giấy tờ tùy thân:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Giới tính:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Dân tộc:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Quốc tịch:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Nơi cư trú:", NULL, FK_SKIP, CTX_ANY, W },
	{ "Đã đăng ký nhận cha, con tại", "registry_office", FK_SENTENCE, CTX_ANY, W | S | L },
	{ "Đã đăng ký nhận mẹ, con tại", "registry_office", FK_SENTENCE, CTX_ANY, W | S | L },
};

static const struct form_label labels_tthc[] = {
	{ "Mã hồ sơ:", "dossier_code", FK_NUMBER, CTX_ANY, 0 },
	{ "Bộ phận tiếp nhận và trả kết quả:", "registry_office", FK_OFFICE, CTX_ANY, W },
	{ "Tiếp nhận hồ sơ của:", "applicant_name", FK_NAME, CTX_ANY, W },
	{ "Số định danh cá nhân:", "applicant_id_number", FK_ID, CTX_ANY, 0 },
	{ "Địa chỉ:", NULL, FK_SKIP, CTX_ANY, W },
	{ "Số điện thoại:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Email:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "Nội dung yêu cầu giải quyết:", "procedure_name", FK_TEXT, CTX_ANY, W },
	{ "1. Thành phần hồ sơ nộp gồm:", NULL, FK_SKIP, CTX_ANY, W },
	{ "2. Số lượng hồ sơ:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "3. Thời gian giải quyết hồ sơ theo quy định là:", NULL, FK_SKIP, CTX_ANY, 0 },
	{ "4. Thời gian nhận hồ sơ:", "received_on", FK_DATETIME, CTX_ANY, 0 },
	{ "5. Thời gian trả kết quả giải quyết hồ sơ:", "due_on", FK_DATETIME, CTX_ANY, L },
	{ "Vào Sổ theo dõi hồ sơ, Quyển số:", NULL, FK_SKIP, CTX_ANY, 0 },
};

#undef S
#undef W
#undef F1
#undef L

/*
 * The fields whose labels every form of the type prints (forms.md): when
 * one is not found, the value is on the page but was not read, so it is
 * reported as illegible rather than left out.  ID numbers are not here:
 * forms before 2016 have none.
 */
static const char *const required_khai_sinh[] = {
	"register_no", "full_name",	  "dob",	   "sex",
	"ethnicity",   "nationality",	  "birthplace",	   "father_name",
	"mother_name", "registry_office", "registered_on", NULL
};
static const char *const required_khai_tu[] = {
	"register_no", "full_name",	  "dob",	   "sex",
	"ethnicity",   "nationality",	  "died_on",	   "death_place",
	"death_cause", "registry_office", "registered_on", NULL
};
static const char *const required_ket_hon[] = { "register_no",	       "husband_name",
						"husband_dob",	       "husband_ethnicity",
						"husband_nationality", "husband_residence",
						"wife_name",	       "wife_dob",
						"wife_ethnicity",      "wife_nationality",
						"wife_residence",      "registry_office",
						"registered_on",       NULL };
static const char *const required_cmc[] = { "register_no",     "parent_name",	"parent_sex",
					    "parent_dob",      "child_name",	"child_dob",
					    "registry_office", "registered_on", NULL };
static const char *const required_tthc[] = { "dossier_code",
					     "procedure_name",
					     "applicant_name",
					     "received_on",
					     "due_on",
					     "registry_office",
					     NULL };

const struct form_def form_defs[] = {
	{ "khai_sinh", titles_khai_sinh, labels_khai_sinh, (int)HT_ARRAY_LEN(labels_khai_sinh),
	  required_khai_sinh },
	{ "khai_tu", titles_khai_tu, labels_khai_tu, (int)HT_ARRAY_LEN(labels_khai_tu),
	  required_khai_tu },
	{ "ket_hon", titles_ket_hon, labels_ket_hon, (int)HT_ARRAY_LEN(labels_ket_hon),
	  required_ket_hon },
	{ "nhan_cha_me_con", titles_cmc, labels_cmc, (int)HT_ARRAY_LEN(labels_cmc), required_cmc },
	{ "tthc_receipt", titles_tthc, labels_tthc, (int)HT_ARRAY_LEN(labels_tthc), required_tthc },
};
const int form_defs_count = (int)HT_ARRAY_LEN(form_defs);

/* ------------------------------------------------------------------------
 * Fuzzy comparison
 * ---------------------------------------------------------------------- */

/* The folded keys of every label, made once (the forms are constant). */
#define MAX_LABELS 64
static char *label_keys[8][MAX_LABELS];
static int label_ntok[8][MAX_LABELS];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void build_keys(void)
{
	for (int d = 0; d < form_defs_count; d++)
		for (int k = 0; k < form_defs[d].nlabels && k < MAX_LABELS; k++) {
			strbuf f = STRBUF_INIT;
			int n;

			vn_fold(form_defs[d].labels[k].text, -1, &f);
			n = f.len ? 1 : 0;
			for (size_t i = 0; i < f.len; i++)
				n += f.buf[i] == ' ';
			label_keys[d][k] = strbuf_detach(&f, NULL);
			label_ntok[d][k] = n;
		}
}

const char *forms_label_key(const struct form_def *fd, int k, int *ntok)
{
	int d = (int)(fd - form_defs);

	pthread_once(&keys_once, build_keys);
	*ntok = label_ntok[d][k];
	return label_keys[d][k];
}

const struct form_def *forms_find(const char *doc_type)
{
	int i;

	for (i = 0; i < form_defs_count; i++)
		if (!strcmp(form_defs[i].doc_type, doc_type))
			return &form_defs[i];
	return NULL;
}

void forms_fold(const char *s, strbuf *out)
{
	vn_fold(s, -1, out);
}

/* Levenshtein distance on bytes (folded text is ASCII). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *prev, *cur, d;

	if (!la)
		return (int)lb;
	if (!lb)
		return (int)la;
	prev = xmalloc((lb + 1) * sizeof(int));
	cur = xmalloc((lb + 1) * sizeof(int));
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	d = prev[lb];
	free(prev);
	free(cur);
	return d;
}

double forms_similarity(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), m = la > lb ? la : lb;

	if (!m)
		return 1.0;
	return 1.0 - (double)distance(a, b) / (double)m;
}
