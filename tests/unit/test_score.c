/*
 * test_score.c — the scorer of make eval: a perfect output scores 100%, and
 * each kind of bad output is counted where it belongs (a wrong unflagged
 * value is a silent error, a flagged one is not, a missing field is, a
 * wrong automatic link lowers precision, a missed one recall); phone
 * photos have their own row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../fixtures/score.h"

static json_t *truth_record(const char *ref, const char *doc_type)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "record_ref", ref, "doc_type",
			 doc_type, "fields", "full_name", "Nguyễn Thị Thuỳ Dương", "dob",
			 "1987-03-15", "id_number", "001187012345", "ethnicity", "Kinh");
}

static json_t *out_field(const char *v, int review)
{
	return json_pack("{s:s, s:f, s:b}", "value", v, "conf", 0.9, "review", review);
}

static json_t *out_record(const char *ref, const char *doc_type, const char *name, int name_review,
			  const char *dob, int with_id)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:{}}", "record_ref", ref, "doc_type", doc_type, "fields");
	json_t *f = json_object_get(o, "fields");

	json_object_set_new(f, "full_name", out_field(name, name_review));
	json_object_set_new(f, "dob", out_field(dob, 0));
	if (with_id)
		json_object_set_new(f, "id_number", out_field("001187012345", 0));
	json_object_set_new(f, "ethnicity", out_field("Kinh", 0));
	return o;
}

static const struct score_group *all(const struct score *s)
{
	return &s->groups[s->ngroups - 1];
}

static void perfect_output_scores_perfect(void **state)
{
	json_t *t[1], *o[1];
	struct score s;

	(void)state;
	t[0] = truth_record("aa:1:0", "khai_sinh");
	o[0] = out_record("aa:1:0", "khai_sinh", "Nguyễn Thị Thuỳ Dương", 0, "1987-03-15", 1);
	score_init(&s);
	score_records(&s, t, 1, o, 1);
	assert_int_equal(all(&s)->pages, 1);
	assert_int_equal(all(&s)->doc_type_ok, 1);
	assert_int_equal(all(&s)->all.total, 4);
	assert_int_equal(all(&s)->all.correct, 4);
	assert_int_equal(all(&s)->all.silent, 0);
	assert_int_equal(all(&s)->all.flagged, 0);
	assert_int_equal(s.groups[0].cls[SC_NAME].correct, 1);
	json_decref(t[0]);
	json_decref(o[0]);
}

static void wrong_values_are_silent_unless_flagged(void **state)
{
	json_t *t[2], *o[2];
	struct score s;

	(void)state;
	t[0] = truth_record("aa:1:0", "khai_sinh");
	t[1] = truth_record("bb:1:0", "khai_tu");
	/* a lost mark, not flagged: silent; the date wrong, not flagged: silent */
	o[0] = out_record("aa:1:0", "khai_sinh", "Nguyễn Thị Thuỳ Duơng", 0, "1987-03-16", 1);
	/* the same lost mark flagged: wrong but not silent; the ID missing: silent */
	o[1] = out_record("bb:1:0", "khai_tu", "Nguyên Thị Thuỳ Dương", 1, "1987-03-15", 0);
	score_init(&s);
	score_records(&s, t, 2, o, 2);
	assert_int_equal(all(&s)->all.total, 8);
	assert_int_equal(all(&s)->all.correct, 4);
	assert_int_equal(all(&s)->all.silent, 3);
	assert_int_equal(all(&s)->all.wrong_flagged, 1);
	assert_int_equal(all(&s)->cls[SC_NAME].silent, 1);
	assert_int_equal(all(&s)->cls[SC_DATE].silent, 1);
	assert_int_equal(all(&s)->cls[SC_ID].silent, 1);
	assert_true(score_pct(all(&s)->all.silent, all(&s)->all.total) > 30.0);
	json_decref(t[0]);
	json_decref(t[1]);
	json_decref(o[0]);
	json_decref(o[1]);
}

static void missing_records_and_wrong_types(void **state)
{
	json_t *t[2], *o[1];
	struct score s;
	strbuf report = STRBUF_INIT;

	(void)state;
	t[0] = truth_record("aa:1:0", "khai_sinh");
	t[1] =
	    json_pack("{s:s, s:s, s:{}}", "record_ref", "cc:1:0", "doc_type", "unknown", "fields");
	/* the birth certificate classified as a death record; the blank page missing */
	o[0] = out_record("aa:1:0", "khai_tu", "Nguyễn Thị Thuỳ Dương", 0, "1987-03-15", 1);
	json_object_set_new(json_object_get(o[0], "fields"), "death_cause",
			    out_field("Bệnh già", 0));
	score_init(&s);
	score_records(&s, t, 2, o, 1);
	assert_int_equal(all(&s)->pages, 2);
	assert_int_equal(all(&s)->doc_type_ok, 0);
	assert_int_equal(s.ocr_missing, 1);
	assert_int_equal(all(&s)->all.spurious, 1);
	score_report(&s, &report);
	assert_non_null(strstr(report.buf, "| khai_sinh | 1 | 0.0% |"));
	assert_non_null(strstr(report.buf, "have no output record"));
	strbuf_release(&report);
	json_decref(t[0]);
	json_decref(t[1]);
	json_decref(o[0]);
}

/* the capture table: photos apart from scans, and only once a set has photos */
static void photos_are_scored_apart(void **state)
{
	json_t *t[2], *o[2];
	struct score s;
	strbuf report = STRBUF_INIT;
	int i, photo = -1, scan = -1;

	(void)state;
	t[0] = truth_record("aa:1:0", "khai_sinh");
	t[1] = truth_record("bb:1:0", "khai_sinh");
	json_object_set_new(t[1], "printed",
			    json_pack("{s:s, s:s}", "family", "classic", "capture", "photo"));
	o[0] = out_record("aa:1:0", "khai_sinh", "Nguyễn Thị Thuỳ Dương", 0, "1987-03-15", 1);
	/* the photo: a lost mark, not flagged, and the ID number missing */
	o[1] = out_record("bb:1:0", "khai_sinh", "Nguyễn Thị Thuỳ Duơng", 0, "1987-03-15", 0);

	/* scans alone: no capture table */
	score_init(&s);
	score_records(&s, t, 1, o, 1);
	assert_int_equal(s.ncaptures, 1);
	score_report(&s, &report);
	assert_null(strstr(report.buf, "| capture |"));
	strbuf_release(&report);

	score_init(&s);
	score_records(&s, t, 2, o, 2);
	assert_int_equal(s.ncaptures, 2);
	for (i = 0; i < s.ncaptures; i++) {
		if (!strcmp(s.captures[i].name, "photo"))
			photo = i;
		if (!strcmp(s.captures[i].name, "scan"))
			scan = i;
	}
	assert_true(photo >= 0 && scan >= 0);
	assert_int_equal(s.captures[scan].pages, 1);
	assert_int_equal(s.captures[scan].all.correct, 4);
	assert_int_equal(s.captures[photo].pages, 1);
	assert_int_equal(s.captures[photo].all.correct, 2);
	assert_int_equal(s.captures[photo].all.silent, 2);
	/* one family for both */
	assert_int_equal(s.nfamilies, 1);
	/* links too: the photo's person linked to someone else */
	{
		const struct score_link tl[2] = {
			{ .ref = "aa:1:0", .citizen = "001", .kind = "registered", .score = -1 },
			{ .ref = "bb:1:0", .citizen = "002", .kind = "registered", .score = -1 }
		};
		const struct score_link ol[2] = {
			{ .ref = "aa:1:0", .citizen = "001", .status = "auto", .score = -1 },
			{ .ref = "bb:1:0", .citizen = "003", .status = "auto", .score = -1 }
		};

		score_links(&s, tl, 2, ol, 2, t, 2);
		assert_int_equal(s.captures[scan].auto_ok, 1);
		assert_int_equal(s.captures[photo].auto_links, 1);
		assert_int_equal(s.captures[photo].auto_wrong, 1);
		assert_ptr_equal(score_row(&s, "photo"), &s.captures[photo]);
		assert_ptr_equal(score_row(&s, "all"), all(&s));
		assert_null(score_row(&s, "fax"));
	}
	score_report(&s, &report);
	assert_non_null(strstr(report.buf, "| capture |"));
	assert_non_null(strstr(report.buf, "| scan | 1 | 100.0% | 100.0% |"));
	assert_non_null(strstr(report.buf, "| photo | 1 | 100.0% | 50.0% |"));
	strbuf_release(&report);
	for (i = 0; i < 2; i++) {
		json_decref(t[i]);
		json_decref(o[i]);
	}
}

static void links_precision_recall_and_kinds(void **state)
{
	json_t *rec[2];
	const struct score_link truth[] = {
		{ .ref = "aa:1:0", .citizen = "001187012345", .kind = "registered", .score = -1 },
		{ .ref = "bb:1:0#husband", .citizen = "001087000001", .kind = "twin", .score = -1 },
		{ .ref = "bb:1:0#wife", .citizen = "", .kind = "unregistered", .score = -1 },
		{ .ref = "cc:1:0", .citizen = "001087000002", .kind = "namesake", .score = -1 },
	};
	const struct score_link out[] = {
		{ .ref = "aa:1:0",
		  .citizen = "001187012345",
		  .status = "auto",
		  .score = -1 }, /* right */
		{ .ref = "bb:1:0#husband",
		  .citizen = "001087000009",
		  .status = "auto",
		  .score = -1 }, /* the twin: wrong */
		{ .ref = "bb:1:0#wife",
		  .citizen = "001087000003",
		  .status = "auto",
		  .score = -1 }, /* not in the registry: wrong */
		{ .ref = "cc:1:0", .citizen = "001087000002", .status = "review", .score = -1 },
	};
	struct score s;
	int i;

	(void)state;
	rec[0] = json_pack("{s:s, s:s}", "record_ref", "bb:1:0", "doc_type", "ket_hon");
	rec[1] = json_pack("{s:s, s:s}", "record_ref", "aa:1:0", "doc_type", "khai_sinh");
	score_init(&s);
	score_links(&s, truth, 4, out, 4, rec, 2);
	assert_int_equal(all(&s)->persons, 4);
	assert_int_equal(all(&s)->in_registry, 3);
	assert_int_equal(all(&s)->auto_links, 3);
	assert_int_equal(all(&s)->auto_ok, 1);
	assert_int_equal(all(&s)->auto_wrong, 2);
	assert_int_equal(all(&s)->review, 1);
	assert_int_equal(s.groups[2].persons, 2); /* ket_hon */
	for (i = 0; i < s.nkinds; i++) {
		if (!strcmp(s.kinds[i].name, "twin"))
			assert_int_equal(s.kinds[i].auto_wrong, 1);
		if (!strcmp(s.kinds[i].name, "namesake"))
			assert_int_equal(s.kinds[i].review, 1);
	}
	/* no output at all: nothing linked, recall 0 */
	score_init(&s);
	score_links(&s, truth, 4, NULL, 0, rec, 2);
	assert_int_equal(all(&s)->auto_links, 0);
	assert_int_equal(all(&s)->none, 4);
	json_decref(rec[0]);
	json_decref(rec[1]);
}

static void field_classes(void **state)
{
	(void)state;
	assert_int_equal(score_field_class("full_name"), SC_NAME);
	assert_int_equal(score_field_class("wife_name"), SC_NAME);
	assert_int_equal(score_field_class("procedure_name"), SC_OTHER);
	assert_int_equal(score_field_class("child_dob"), SC_DATE);
	assert_int_equal(score_field_class("registered_on"), SC_DATE);
	assert_int_equal(score_field_class("husband_id_number"), SC_ID);
	assert_int_equal(score_field_class("birthplace"), SC_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(perfect_output_scores_perfect),
		cmocka_unit_test(wrong_values_are_silent_unless_flagged),
		cmocka_unit_test(missing_records_and_wrong_types),
		cmocka_unit_test(photos_are_scored_apart),
		cmocka_unit_test(links_precision_recall_and_kinds),
		cmocka_unit_test(field_classes),
	};

	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
