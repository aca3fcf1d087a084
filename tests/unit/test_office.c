/*
 * test_office.c — a record's registration office as a real unit
 * (loaders/office.c): spellings of one unit as one office, prints cut
 * before their province, the scans' office against the printed one, and
 * folders mapped to offices.  No database: the index is filled by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../loaders/loaders.h"

static const char chu_trinh[] = "Xã Chu Trinh, Thành phố Cao Bằng, Tỉnh Cao Bằng";
static const char co_ba[] = "Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng";
static const char an_tay[] = "Phường An Tây, Thành phố Bến Cát, Tỉnh Bình Dương";

static struct office_index *inventory(void)
{
	struct office_index *x = office_index_new();

	office_index_add(x, chu_trinh);
	office_index_add(x, co_ba);
	office_index_add(x, an_tay);
	office_index_add(x, "Sở Tư pháp tỉnh Cao Bằng"); /* no unit: ignored */
	return x;
}

/* the name `text` resolves to, or "-" */
static const char *resolved(const struct office_index *x, const char *text, char *buf, size_t n)
{
	struct office_unit u;

	if (!office_resolve(x, text, NULL, &u))
		return "-";
	snprintf(buf, n, "%s", u.name);
	office_unit_release(&u);
	return buf;
}

static void spellings_of_one_unit_are_one_office(void **state)
{
	struct office_index *x = inventory();
	struct office_unit a, b;
	char buf[512];
	static const char *const spellings[] = {
		"Xã Chu Trinh, Thành phố Cao Bằng, Tỉnh Cao Bằng",
		"xã Chu Trinh, thành phố Cao Bằng, tỉnh Cao Bằng",
		"X. Chu Trinh, TP. Cao Bằng, T. Cao Bằng",
		"Xã Chu Trinh, Tỉnh Cao Bằng", /* without its district */
		"Xã Chu Trinh, TP Cao Bằng",   /* its province cut off */
	};

	(void)state;
	for (size_t i = 0; i < HT_ARRAY_LEN(spellings); i++)
		assert_string_equal(resolved(x, spellings[i], buf, sizeof(buf)), chu_trinh);
	/* the same key without an index: named by its own spelling */
	assert_int_equal(office_resolve(NULL, spellings[0], NULL, &a), 1);
	assert_int_equal(office_resolve(NULL, spellings[3], NULL, &b), 1);
	assert_string_equal(a.key, b.key);
	assert_string_equal(b.name, "Xã Chu Trinh, Tỉnh Cao Bằng");
	assert_string_equal(a.province, "Tỉnh Cao Bằng");
	office_unit_release(&a);
	office_unit_release(&b);
	/* another commune of the same district is another office */
	assert_string_equal(resolved(x, co_ba, buf, sizeof(buf)), co_ba);
	office_index_free(x);
}

static void prints_cut_short_take_the_province_of_the_offices(void **state)
{
	struct office_index *x = inventory(), *two = office_index_new();
	char buf[512];

	(void)state;
	/* cut before the province, or in its name */
	assert_string_equal(resolved(x, "Phường An Tây, Thành phố Bến Cát", buf, sizeof(buf)),
			    an_tay);
	assert_string_equal(
	    resolved(x, "Phường An Tây, Thành phố Bến Cát, Tỉnh Bình", buf, sizeof(buf)), an_tay);
	/* without offices to give a province: no office */
	assert_string_equal(resolved(NULL, "Phường An Tây, Thành phố Bến Cát", buf, sizeof(buf)),
			    "-");
	/* a name that fits under two provinces of the offices: none is taken */
	office_index_add(two, "Xã Tân Thành, Thành phố Cà Mau, Tỉnh Cà Mau");
	office_index_add(two, "Xã Tân Thành, Tỉnh Tây Ninh");
	assert_string_equal(resolved(two, "Xã Tân Thành", buf, sizeof(buf)), "-");
	office_index_free(two);
	office_index_free(x);
}

static void what_is_no_office(void **state)
{
	struct office_index *x = inventory();
	char buf[512];
	static const char *const none[] = {
		"",
		"Xã Tân Thành, Tỉnh Cà, Tỉnh Cà Mau", /* a part astray, no commune */
		"Xã Cãm Phúc, Huyện Cấm Giàng",	      /* misread, and no province */
		"Huyện Bảo Lạc, Tỉnh Cao Bằng",	      /* a district is no commune */
		"Tỉnh Cao Bằng",
		"UBND",
	};

	(void)state;
	for (size_t i = 0; i < HT_ARRAY_LEN(none); i++)
		assert_string_equal(resolved(x, none[i], buf, sizeof(buf)), "-");
	assert_string_equal(resolved(x, NULL, buf, sizeof(buf)), "-");
	office_index_free(x);
}

static void units_since_july_2025_are_offices(void **state)
{
	struct office_unit a, b;

	(void)state;
	assert_int_equal(office_resolve(NULL, "Phường Thục Phán, Tỉnh Cao Bằng", NULL, &a), 1);
	assert_int_equal(office_resolve(NULL, "phường Thục Phán, tỉnh Cao Bằng", NULL, &b), 1);
	assert_string_equal(a.key, b.key);
	assert_string_equal(a.name, "Phường Thục Phán, Tỉnh Cao Bằng");
	office_unit_release(&a);
	/* the old commune merged into it is another office (its own books) */
	assert_int_equal(office_resolve(NULL, chu_trinh, NULL, &a), 1);
	assert_string_not_equal(a.key, b.key);
	office_unit_release(&a);
	office_unit_release(&b);
}

static void the_scans_office_against_the_printed_one(void **state)
{
	struct office_index *x = inventory();
	char *office, *printed;

	(void)state;
	/* the scans' office, the print agreeing in another spelling */
	assert_int_equal(office_decide(x, "Xã Chu Trinh, TP. Cao Bằng, Tỉnh Cao Bằng",
				       "Xã Chu Trinh, Tỉnh Cao Bằng", &office, &printed),
			 OFFICE_FROM_SOURCE);
	assert_string_equal(office, chu_trinh);
	assert_string_equal(printed, chu_trinh);
	free(office);
	free(printed);
	/* the print unreadable: the scans' office, no discrepancy */
	assert_int_equal(office_decide(x, chu_trinh, "Xã Cãm Phúc", &office, &printed),
			 OFFICE_FROM_SOURCE);
	assert_string_equal(office, chu_trinh);
	assert_null(printed);
	free(office);
	/* the print names another office: the scans' office, for review */
	assert_int_equal(office_decide(x, chu_trinh, co_ba, &office, &printed), OFFICE_DIFFERS);
	assert_string_equal(office, chu_trinh);
	assert_string_equal(printed, co_ba);
	free(office);
	free(printed);
	/* no office for the scans: the print's unit, cut short or not */
	assert_int_equal(
	    office_decide(x, NULL, "Phường An Tây, Thành phố Bến Cát", &office, &printed),
	    OFFICE_PRINTED);
	assert_string_equal(office, an_tay);
	free(office);
	free(printed);
	/* neither */
	assert_int_equal(
	    office_decide(x, NULL, "Xã Tân Thành, Tỉnh Cà, Tỉnh Cà Mau", &office, &printed),
	    OFFICE_UNKNOWN);
	assert_null(office);
	assert_null(printed);
	assert_int_equal(office_decide(x, NULL, NULL, &office, NULL), OFFICE_UNKNOWN);
	/* an office that is no unit, given by the operator: itself */
	assert_int_equal(office_decide(x, "  Sở Tư pháp   tỉnh Cao Bằng ", NULL, &office, &printed),
			 OFFICE_FROM_SOURCE);
	assert_string_equal(office, "Sở Tư pháp tỉnh Cao Bằng");
	free(office);
	office_index_free(x);
}

static void folders_map_to_offices(void **state)
{
	struct office_map *m = office_map_new();
	herr e = { 0 };
	char path[] = "/tmp/test_office.XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	assert_null(office_map_lookup(m, "/scans/xa-chu-trinh/1.tif"));
	assert_int_equal(office_map_add(m, "xa-chu-trinh/", chu_trinh, &e), 0);
	assert_int_equal(office_map_add(m, "xa-chu-trinh/quyen-09", co_ba, &e), 0);
	assert_int_equal(office_map_add(m, "/srv/scans//box-7", an_tay, &e), 0);
	assert_int_equal(office_map_add(m, "xa-chu-trinh", chu_trinh, &e), 0); /* again: fine */
	assert_int_equal(office_map_add(m, "xa-chu-trinh", co_ba, &e), -1);
	assert_non_null(strstr(e.msg, "two offices"));
	assert_int_equal(office_map_add(m, "/", co_ba, &e), -1);
	/* whole components, anywhere in the path; the deepest folder wins */
	assert_string_equal(office_map_lookup(m, "/scans/xa-chu-trinh/quyen-03/1.tif"), chu_trinh);
	assert_string_equal(office_map_lookup(m, "scans/xa-chu-trinh/2.tif"), chu_trinh);
	assert_string_equal(office_map_lookup(m, "/a/xa-chu-trinh/quyen-09/3.tif"), co_ba);
	assert_null(office_map_lookup(m, "/scans/xa-chu-trinh-2/1.tif"));
	assert_null(office_map_lookup(m, "/scans/old-xa-chu-trinh/1.tif"));
	assert_null(office_map_lookup(m, "/scans/xa-chu-trinh.tif")); /* a file, not a folder */
	/* an absolute folder from the root only */
	assert_string_equal(office_map_lookup(m, "/srv/scans/box-7/a/1.tif"), an_tay);
	assert_null(office_map_lookup(m, "/mnt/srv/scans/box-7/1.tif"));
	office_map_free(m);

	/* a CSV; a bad one names its file and line */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "folder,registry_office\n\"xa-co-ba\",\"%s\"\n,\nbox-1,\n", co_ba);
	fclose(f);
	m = office_map_new();
	assert_int_equal(office_map_read(m, path, &e), -1);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "line 4"));
	assert_string_equal(office_map_lookup(m, "x/xa-co-ba/1.tif"), co_ba);
	office_map_free(m);
	f = fopen(path, "w");
	fprintf(f, "office,folder\n%s,x\n", co_ba);
	fclose(f);
	m = office_map_new();
	assert_int_equal(office_map_read(m, path, &e), -1);
	assert_non_null(strstr(e.msg, "folder,registry_office"));
	office_map_free(m);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spellings_of_one_unit_are_one_office),
		cmocka_unit_test(prints_cut_short_take_the_province_of_the_offices),
		cmocka_unit_test(what_is_no_office),
		cmocka_unit_test(units_since_july_2025_are_offices),
		cmocka_unit_test(the_scans_office_against_the_printed_one),
		cmocka_unit_test(folders_map_to_offices),
	};

	return cmocka_run_group_tests_name("office", tests, NULL, NULL);
}
