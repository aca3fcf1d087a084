/*
 * test_common.c — strbuf, the error context, parsing and file helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/common.h"

static void strbuf_grows_and_stays_terminated(void **state)
{
	strbuf sb = STRBUF_INIT;
	size_t len;
	char *s;
	int i;

	(void)state;
	assert_string_equal(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	assert_int_equal(strlen(sb.buf), 2000);
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "  xin chào \n\t");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "  xin chào");
	strbuf_addch(&sb, '!');
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "  xin chào!");
	assert_int_equal(len, strlen(s));
	assert_string_equal(sb.buf, "");
	free(s);
	strbuf_release(&sb);
	strbuf_release(&sb); /* twice is safe */
}

static void strbuf_detach_of_empty_is_owned(void **state)
{
	strbuf sb = STRBUF_INIT;
	char *s = strbuf_detach(&sb, NULL);

	(void)state;
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_ptr_not_equal(s, strbuf_empty);
	free(s);
}

static void strbuf_long_format(void **state)
{
	strbuf sb = STRBUF_INIT;
	char big[5000];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addstr(&sb, "a");
	strbuf_addf(&sb, "[%s]", big);
	assert_int_equal(sb.len, 1 + 2 + sizeof(big) - 1);
	assert_int_equal(sb.buf[sb.len - 1], ']');
	strbuf_release(&sb);
}

static void herr_set_returns_minus_one_and_keeps_code(void **state)
{
	herr e = { 0 };

	(void)state;
	assert_int_equal(herr_set(&e, HT_EXIT_USAGE, "bad flag '%s'", "--x"), -1);
	assert_int_equal(e.code, HT_EXIT_USAGE);
	assert_string_equal(e.msg, "bad flag '--x'");
	assert_int_equal(herr_set(NULL, HT_EXIT_USAGE, "dropped"), -1);
	herr_clear(&e);
	assert_int_equal(e.code, 0);
	assert_string_equal(e.msg, "");
	/* a zero code still means failure */
	herr_set(&e, 0, "x");
	assert_int_equal(e.code, HT_EXIT_FATAL);
}

static void herr_prefix_adds_context(void **state)
{
	herr e = { 0 };
	char longmsg[2000];

	(void)state;
	herr_set(&e, HT_EXIT_PARTIAL, "bad strip");
	herr_prefix(&e, "%s: page %d", "scan.tif", 3);
	assert_string_equal(e.msg, "scan.tif: page 3: bad strip");
	assert_int_equal(e.code, HT_EXIT_PARTIAL);

	/* a message that no longer fits is cut at the end, never overflows */
	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	herr_set(&e, HT_EXIT_FATAL, "%s", longmsg);
	herr_prefix(&e, "file");
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
	assert_memory_equal(e.msg, "file: mmm", 9);
}

static void parse_int_is_strict(void **state)
{
	long v = 42;

	(void)state;
	assert_int_equal(parse_int("17", 0, 100, &v), 0);
	assert_int_equal(v, 17);
	assert_int_equal(parse_int("-3", -5, 5, &v), 0);
	assert_int_equal(v, -3);
	v = 42;
	assert_int_equal(parse_int("", 0, 100, &v), -1);
	assert_int_equal(parse_int(NULL, 0, 100, &v), -1);
	assert_int_equal(parse_int("12x", 0, 100, &v), -1);
	assert_int_equal(parse_int("101", 0, 100, &v), -1);
	assert_int_equal(parse_int("99999999999999999999999", 0, 100, &v), -1);
	assert_int_equal(v, 42);
}

static void files_and_directories(void **state)
{
	char tmpl[] = "/tmp/hotich-unit.XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *deep, *file;
	strbuf sb = STRBUF_INIT;
	herr e = { 0 };
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(dir);
	deep = xasprintf("%s/a/b/c", dir);
	assert_int_equal(fs_mkdir_p(deep, 0755, &e), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(fs_mkdir_p(deep, 0755, &e), 0); /* existing is fine */

	file = xasprintf("%s/x.txt", deep);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("Nguyễn Thị Thuỳ Dương\n", f);
	fclose(f);
	assert_int_equal(fs_read_file(file, 1000, &sb, &e), 0);
	assert_string_equal(sb.buf, "Nguyễn Thị Thuỳ Dương\n");
	strbuf_reset(&sb);
	assert_int_equal(fs_read_file(file, 5, &sb, &e), -1);
	assert_non_null(strstr(e.msg, "larger than 5 bytes"));
	assert_int_equal(fs_read_file("/nonexistent/x", 5, &sb, &e), -1);
	assert_non_null(strstr(e.msg, "could not open file \"/nonexistent/x\""));

	/* fs_mkdir_p below a file fails and names the path */
	{
		char *bad = xasprintf("%s/sub", file);

		assert_int_equal(fs_mkdir_p(bad, 0755, &e), -1);
		assert_non_null(strstr(e.msg, "could not create directory"));
		free(bad);
	}
	unlink(file);
	free(file);
	rmdir(deep);
	free(deep);
	deep = xasprintf("%s/a/b", dir);
	rmdir(deep);
	free(deep);
	deep = xasprintf("%s/a", dir);
	rmdir(deep);
	free(deep);
	rmdir(dir);
	strbuf_release(&sb);
}

static void absolute_path_joins_cwd(void **state)
{
	char cwd[4096];
	char *p, *want;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	p = fs_absolute_path("/x/y");
	assert_string_equal(p, "/x/y");
	free(p);
	p = fs_absolute_path("./var");
	want = xasprintf("%s/var", cwd);
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = fs_absolute_path(".");
	assert_string_equal(p, cwd);
	free(p);
}

/* A CSV file's records, fields joined with "|" and records with "\n". */
static int csv_dump(const char *content, strbuf *out, herr *e)
{
	FILE *f = fmemopen((void *)content, strlen(content), "r");
	struct csv *c = csv_from_stream(f, "test.csv");
	int rc;

	while ((rc = csv_next(c, e)) > 0) {
		for (int i = 0; i < csv_nfields(c); i++)
			strbuf_addf(out, "%s%s", i ? "|" : "", csv_field(c, i));
		strbuf_addf(out, "@%ld\n", csv_line(c));
	}
	csv_close(c);
	fclose(f);
	return rc;
}

static void csv_reads_rfc4180(void **state)
{
	strbuf out = STRBUF_INIT;
	herr e = { 0 };

	(void)state;
	assert_int_equal(csv_dump("\xEF\xBB\xBF"
				  "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
				  "\n2,\"two\nlines\",\n3,,last",
				  &out, &e),
			 0);
	assert_string_equal(out.buf, "a|b|c@1\n1|x, y|say \"hi\"@2\n2|two\nlines|@4\n3||last@6\n");
	strbuf_release(&out);
}

static void csv_names_the_broken_line(void **state)
{
	strbuf out = STRBUF_INIT;
	herr e = { 0 };

	(void)state;
	assert_int_equal(csv_dump("a,b\n1,2\n3,\"open\n4,5\n", &out, &e), -1);
	assert_non_null(strstr(e.msg, "test.csv"));
	assert_non_null(strstr(e.msg, "line 3"));
	assert_non_null(strstr(e.msg, "not closed"));
	strbuf_release(&out);
}

static void csv_columns_by_name(void **state)
{
	FILE *f = fmemopen((void *)"id_number,full_name\n", 20, "r");
	struct csv *c = csv_from_stream(f, "r.csv");
	herr e = { 0 };

	(void)state;
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_column(c, "full_name"), 1);
	assert_int_equal(csv_column(c, "dob"), -1);
	assert_string_equal(csv_field(c, 7), "");
	assert_int_equal(csv_next(c, &e), 0);
	csv_close(c);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strbuf_grows_and_stays_terminated),
		cmocka_unit_test(strbuf_detach_of_empty_is_owned),
		cmocka_unit_test(strbuf_long_format),
		cmocka_unit_test(herr_set_returns_minus_one_and_keeps_code),
		cmocka_unit_test(herr_prefix_adds_context),
		cmocka_unit_test(parse_int_is_strict),
		cmocka_unit_test(files_and_directories),
		cmocka_unit_test(absolute_path_joins_cwd),
		cmocka_unit_test(csv_reads_rfc4180),
		cmocka_unit_test(csv_names_the_broken_line),
		cmocka_unit_test(csv_columns_by_name),
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
