/*
 * test_schema.c — the migrations and the constraints of schema v1, against
 * a database of the throwaway cluster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../loaders/loaders.h"
#include "../../loaders/loaders_internal.h"
#include "testdb.h"

static char *conninfo;

static PGconn *open_db(void)
{
	struct db_target t;
	herr e = { 0 };
	PGconn *conn;

	assert_int_equal(db_target_resolve(&t, conninfo, &e), 0);
	conn = db_open(&t, 0, &e);
	db_target_release(&t);
	if (!conn)
		fail_msg("%s", e.msg);
	return conn;
}

/* Run SQL; return its SQLSTATE ("00000" on success) in a static buffer. */
static const char *sqlstate_of(PGconn *conn, const char *sql)
{
	static char state[6];
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		snprintf(state, sizeof(state), "00000");
	else
		snprintf(state, sizeof(state), "%s",
			 PQresultErrorField(res, PG_DIAG_SQLSTATE)
			     ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
			     : "?????");
	PQclear(res);
	return state;
}

static void exec_ok(PGconn *conn, const char *sql)
{
	const char *st = sqlstate_of(conn, sql);

	if (strcmp(st, "00000") != 0)
		fail_msg("%s: SQLSTATE %s: %s", sql, st, PQerrorMessage(conn));
}

/* The single value of a query, compared as text. */
static void assert_value(PGconn *conn, const char *sql, const char *want)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		fail_msg("%s: %s", sql, PQerrorMessage(conn));
	assert_string_equal(PQgetvalue(res, 0, 0), want);
	PQclear(res);
}

static const char *itoa_s(int v)
{
	static char buf[16];

	snprintf(buf, sizeof(buf), "%d", v);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	conninfo = testdb_create("schema");
	return conninfo ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	testdb_drop("schema");
	free(conninfo);
	return 0;
}

static void migrations_are_numbered_in_order(void **state)
{
	int i;

	(void)state;
	assert_true(db_migrations_count >= 1);
	for (i = 0; i < db_migrations_count; i++) {
		assert_int_equal(db_migrations[i].version, i + 1);
		assert_true(strlen(db_migrations[i].sql) > 0);
	}
	assert_int_equal(schema_binary_version(), db_migrations_count);
}

static void fresh_database_has_no_schema(void **state)
{
	PGconn *conn = open_db();
	herr e = { 0 };
	int v = -1;

	(void)state;
	assert_int_equal(schema_version(conn, &v, &e), 0);
	assert_int_equal(v, 0);
	assert_int_equal(schema_check(conn, &e), -1);
	assert_int_equal(e.code, HT_EXIT_FATAL);
	assert_non_null(strstr(e.msg, "hotich db init"));
	PQfinish(conn);
}

/* Two processes migrate the same fresh database at once: both succeed. */
static void concurrent_migrations_apply_once(void **state)
{
	pid_t kids[2];
	int i, status;
	PGconn *conn;

	(void)state;
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		assert_true(kids[i] >= 0);
		if (kids[i] == 0) {
			herr e = { 0 };
			PGconn *c = open_db();
			int rc = schema_migrate(c, NULL, NULL, &e);

			PQfinish(c);
			_exit(rc == 0 ? 0 : 1);
		}
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	conn = open_db();
	assert_value(conn, "SELECT count(*) FROM schema_version", itoa_s(db_migrations_count));
	assert_value(conn, "SELECT max(version) FROM schema_version",
		     itoa_s(schema_binary_version()));
	PQfinish(conn);
}

static void second_migration_is_a_no_op(void **state)
{
	PGconn *conn = open_db();
	herr e = { 0 };
	int from = -1, to = -1;

	(void)state;
	assert_int_equal(schema_migrate(conn, &from, &to, &e), 0);
	assert_int_equal(from, schema_binary_version());
	assert_int_equal(to, schema_binary_version());
	assert_int_equal(schema_check(conn, &e), 0);
	assert_value(conn, "SELECT count(*) FROM schema_version", itoa_s(db_migrations_count));
	/* every table is in the schema "hotich" */
	assert_value(conn,
		     "SELECT count(*) FROM pg_tables WHERE schemaname = 'hotich' AND "
		     "tablename IN ('batches','source_files','page_jobs','pages','records',"
		     "'record_people','citizens','match_models','matches','users',"
		     "'review_decisions','inventory','schema_version')",
		     "13");
	PQfinish(conn);
}

static const char ref1[] = "'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:1:0'";

static void load_one_record(PGconn *conn)
{
	exec_ok(conn, "INSERT INTO batches (name) VALUES ('b1')");
	exec_ok(conn, "INSERT INTO source_files (sha256, batch_id, path, size_bytes) "
		      "SELECT repeat('ab', 32), batch_id, 'scans/a.tif', 100 FROM batches");
	exec_ok(conn, "INSERT INTO pages (file_id, page_no, doc_type, text) "
		      "SELECT file_id, 1, 'khai_sinh', 'GIẤY KHAI SINH' FROM source_files");
	exec_ok(conn, "INSERT INTO records (record_ref, page_id, rec_index, doc_type, "
		      "registered_on, fields) SELECT "
		      "'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:1:0', "
		      "page_id, 0, 'khai_sinh', '1987-03', '{\"full_name\":{\"value\":\"x\"}}' "
		      "FROM pages");
	exec_ok(conn, "INSERT INTO record_people (record_id, role, full_name, dob) "
		      "SELECT record_id, 'subject', 'Nguyễn Văn A', '1987-03-15' FROM records");
	exec_ok(conn, "INSERT INTO citizens (id_number, full_name, name_key, dob, sex, source) "
		      "VALUES ('001087012345', 'Nguyễn Văn A', 'nguyen van a', '1987-03-15', "
		      "'nam', 'test')");
	exec_ok(conn, "INSERT INTO match_models (model_version, params) VALUES ('m1', '{}')");
}

static void constraints_refuse_duplicates(void **state)
{
	PGconn *conn = open_db();
	char sql[1024];

	(void)state;
	load_one_record(conn);
	/* the same file bytes, the same page, the same record: refused */
	assert_string_equal(sqlstate_of(conn, "INSERT INTO source_files (sha256, batch_id, path, "
					      "size_bytes) SELECT repeat('ab', 32), batch_id, "
					      "'elsewhere/a.tif', 100 FROM batches"),
			    "23505");
	assert_string_equal(sqlstate_of(conn, "INSERT INTO pages (file_id, page_no, doc_type) "
					      "SELECT file_id, 1, 'unknown' FROM source_files"),
			    "23505");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO records (record_ref, page_id, rec_index, doc_type) "
		 "SELECT %s, page_id, 1, 'khai_sinh' FROM pages",
		 ref1);
	assert_string_equal(sqlstate_of(conn, sql), "23505");
	/* one match per record and role */
	exec_ok(conn, "INSERT INTO matches (record_id, role, citizen_id, score, status, "
		      "model_version) SELECT record_id, 'subject', '001087012345', 0.999, "
		      "'auto', 'm1' FROM records");
	assert_string_equal(sqlstate_of(conn, "INSERT INTO matches (record_id, role, citizen_id, "
					      "score, status, model_version) SELECT record_id, "
					      "'subject', NULL, 0.1, 'none', 'm1' FROM records"),
			    "23505");
	PQfinish(conn);
}

static void constraints_refuse_bad_values(void **state)
{
	PGconn *conn = open_db();

	(void)state;
	/* partial dates: YYYY, YYYY-MM, YYYY-MM-DD only */
	exec_ok(conn, "SELECT '1948'::partial_date, '1948-03'::partial_date, "
		      "'1948-03-31'::partial_date");
	assert_string_equal(sqlstate_of(conn, "SELECT '1987-13-01'::partial_date"), "23514");
	assert_string_equal(sqlstate_of(conn, "SELECT '15/03/1987'::partial_date"), "23514");
	assert_string_equal(sqlstate_of(conn, "SELECT 'khai_sinh2'::doc_type"), "23514");
	assert_string_equal(sqlstate_of(conn, "SELECT 'nữ'::sex_code"), "23514");
	assert_string_equal(sqlstate_of(conn, "SELECT '12345678901'::id_number"), "23514");
	/* an automatic match names a citizen; "none" does not */
	assert_string_equal(sqlstate_of(conn, "UPDATE matches SET citizen_id = NULL"), "23514");
	assert_string_equal(sqlstate_of(conn, "UPDATE matches SET score = 1.5"), "23514");
	/* a reviewer's decision names the reviewer */
	assert_string_equal(sqlstate_of(conn, "UPDATE matches SET status = 'confirmed'"), "23514");
	exec_ok(conn, "UPDATE matches SET status = 'confirmed', decided_by = 'lan', "
		      "decided_at = now()");
	/* a rejected file says why */
	assert_string_equal(sqlstate_of(conn, "UPDATE source_files SET status = 'rejected'"),
			    "23514");
	/* the year of a record comes from its registration date */
	assert_value(conn, "SELECT reg_year FROM records", "1987");
	/* users: a role of the three, a hash */
	assert_string_equal(sqlstate_of(conn, "INSERT INTO users (name, role, password_hash) "
					      "VALUES ('x', 'root', 'h')"),
			    "23514");
	PQfinish(conn);
}

static void audit_is_append_only(void **state)
{
	PGconn *conn = open_db();

	(void)state;
	exec_ok(conn, "INSERT INTO review_decisions (user_name, action, record_id, role, before, "
		      "after) VALUES ('lan', 'confirm', 1, 'subject', '{}', '{}')");
	assert_string_equal(sqlstate_of(conn, "UPDATE review_decisions SET user_name = 'x'"),
			    "42501");
	assert_string_equal(sqlstate_of(conn, "DELETE FROM review_decisions"), "42501");
	assert_string_equal(sqlstate_of(conn, "TRUNCATE review_decisions"), "42501");
	assert_value(conn, "SELECT string_agg(user_name, ',') FROM review_decisions", "lan");
	PQfinish(conn);
}

static void deleting_a_file_cascades(void **state)
{
	PGconn *conn = open_db();

	(void)state;
	exec_ok(conn, "BEGIN");
	exec_ok(conn, "DELETE FROM source_files");
	assert_value(conn,
		     "SELECT (SELECT count(*) FROM pages) + (SELECT count(*) FROM records) +"
		     " (SELECT count(*) FROM record_people) + (SELECT count(*) FROM matches)",
		     "0");
	exec_ok(conn, "ROLLBACK");
	PQfinish(conn);
}

/*
 * Schema v4 on a database loaded before it: each birth province gets its
 * province since July 2025 (Thái Bình 034 is in Hưng Yên 033).  The
 * database is taken back to v3 first: v4's columns dropped, its row of
 * schema_version deleted.
 */
static void migration_4_adds_province_now(void **state)
{
	PGconn *conn = open_db();
	herr e = { 0 };
	int from = -1, to = -1;

	(void)state;
	exec_ok(conn, "ALTER TABLE citizens DROP COLUMN birth_province_now");
	exec_ok(conn, "ALTER TABLE record_people DROP COLUMN birth_province_now");
	exec_ok(conn, "ALTER TABLE inventory DROP COLUMN folder"); /* v6 */
	exec_ok(conn, "DROP TABLE export_records, exports");	   /* v7 */
	exec_ok(conn, "DROP TABLE keyings, keying_settings");	   /* v9 */
	exec_ok(conn, "DROP INDEX pages_unknown");
	exec_ok(conn, "ALTER TABLE pages DROP COLUMN claimed_by, DROP COLUMN claim_until");
	exec_ok(conn, "DROP INDEX IF EXISTS record_people_cmnd, record_people_dob, records_book,"
		      " record_people_name_trgm"); /* v8 */
	exec_ok(conn, "ALTER TABLE record_people DROP COLUMN name_words, DROP COLUMN father_words,"
		      " DROP COLUMN mother_words, DROP COLUMN father_key, DROP COLUMN mother_key");
	exec_ok(conn, "DELETE FROM schema_version WHERE version >= 4");
	exec_ok(conn,
		"INSERT INTO citizens (id_number, full_name, name_key, source, birth_province)"
		" VALUES ('034190000005', 'Vũ Thị Sáp', 'vu thi sap', 'test', '034'),"
		" ('004190000006', 'Lò Thị Bản', 'lo thi ban', 'test', '004'),"
		" ('001170000007', 'Đỗ Thị Tây', 'do thi tay', 'test', NULL)");
	assert_int_equal(schema_migrate(conn, &from, &to, &e), 0);
	assert_int_equal(from, 3);
	assert_int_equal(to, schema_binary_version());
	assert_value(conn,
		     "SELECT string_agg(id_number || ':' || coalesce(birth_province_now, '-'), ' '"
		     " ORDER BY id_number) FROM citizens WHERE source = 'test' AND id_number <>"
		     " '001087012345'",
		     "001170000007:- 004190000006:004 034190000005:033");
	exec_ok(conn, "DELETE FROM citizens WHERE id_number IN ('034190000005', '004190000006',"
		      " '001170000007')");
	PQfinish(conn);
}

static void newer_schema_is_refused(void **state)
{
	PGconn *conn = open_db();
	herr e = { 0 };
	char sql[256];

	(void)state;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO schema_version (version, name, checksum) VALUES (%d, 'future', 'x')",
		 schema_binary_version() + 1);
	exec_ok(conn, sql);
	assert_int_equal(schema_migrate(conn, NULL, NULL, &e), -1);
	assert_int_equal(e.code, HT_EXIT_FATAL);
	assert_non_null(strstr(e.msg, "newer than this hotich"));
	herr_clear(&e);
	assert_int_equal(schema_check(conn, &e), -1);
	assert_int_equal(e.code, HT_EXIT_FATAL);
	assert_non_null(strstr(e.msg, "newer"));
	PQfinish(conn);
}

static void unreachable_database_is_fatal(void **state)
{
	struct db_target t;
	herr e = { 0 };

	(void)state;
	assert_int_equal(
	    db_target_resolve(&t, "host=/nonexistent-dir dbname=x connect_timeout=2", &e), 0);
	assert_null(db_open(&t, 0, &e));
	assert_int_equal(e.code, HT_EXIT_FATAL);
	assert_non_null(strstr(e.msg, "could not connect to the database (--db)"));
	db_target_release(&t);
}

static void password_is_never_in_messages(void **state)
{
	struct db_target t;
	herr e = { 0 };
	strbuf where = STRBUF_INIT;
	char *url;
	PGconn *conn;

	(void)state;
	url = xasprintf("postgresql://%s:S3cretPw@/%s?host=%s", getenv("HOTICH_TEST_PGUSER"),
			"no_such_db", getenv("HOTICH_TEST_PGHOST"));
	assert_int_equal(db_target_resolve(&t, url, &e), 0);
	assert_null(db_open(&t, 0, &e));
	assert_null(strstr(e.msg, "S3cretPw"));
	db_target_release(&t);
	free(url);

	url = xasprintf("%s password=S3cretPw", conninfo);
	assert_int_equal(db_target_resolve(&t, url, &e), 0);
	conn = db_open(&t, 0, &e);
	assert_non_null(conn);
	db_describe(conn, &where);
	assert_null(strstr(where.buf, "S3cretPw"));
	assert_non_null(strstr(where.buf, "as \"hotich_test\""));
	PQfinish(conn);
	strbuf_release(&where);
	db_target_release(&t);
	free(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_are_numbered_in_order),
		cmocka_unit_test(fresh_database_has_no_schema),
		cmocka_unit_test(concurrent_migrations_apply_once),
		cmocka_unit_test(second_migration_is_a_no_op),
		cmocka_unit_test(constraints_refuse_duplicates),
		cmocka_unit_test(constraints_refuse_bad_values),
		cmocka_unit_test(audit_is_append_only),
		cmocka_unit_test(deleting_a_file_cascades),
		cmocka_unit_test(migration_4_adds_province_now),
		cmocka_unit_test(newer_schema_is_refused),
		cmocka_unit_test(unreachable_database_is_fatal),
		cmocka_unit_test(password_is_never_in_messages),
	};

	return cmocka_run_group_tests_name("schema", tests, setup, teardown);
}
