/*
 * keying.c — what the keying pages read and write (nhập liệu): the queue
 * of pages the reader could not classify (not blank pages nor book covers)
 * and of records with most fields flagged, their leases, a keyed page or
 * record saved (one pass, or the record it makes with its people and
 * audit row), the settings, and the keyers' throughput.  Each function is
 * one statement or one transaction with one way out on failure; the web
 * layer checks and normalizes what was typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "loaders_internal.h"

/*
 * The queue.  A page waits to be keyed when the reader gave it no type
 * ('unknown') and no record, and it is written by hand (the reader's
 * "handwriting" warning: ink of letter height, no print read), or it has
 * print that is neither nothing (fewer than 3 words read: a blank page) nor
 * a register book's cover (its title "SỔ ĐĂNG KÝ ..." read, in under 80
 * words); and nobody keyed it to the end.  A record waits when the share
 * of its fields flagged is above the setting.  $1 the user (who never keys
 * the same page twice), $2 the user's office or NULL.
 */
#define WORDS(pg) "array_length(regexp_split_to_array(btrim(" pg ".text), '\\s+'), 1)"
#define PAGE_WAITS(pg, f)                                                                          \
	pg ".doc_type = 'unknown' AND NOT EXISTS (SELECT 1 FROM records rr WHERE rr.page_id = " pg \
	   ".page_id)"                                                                             \
	   " AND (EXISTS (SELECT 1 FROM jsonb_array_elements_text(" pg ".warnings) w"              \
	   "  WHERE w LIKE 'handwriting:%') OR (" WORDS(                                           \
	       pg) " >= 3"                                                                         \
		   " AND NOT (" pg ".text ~ 'S[ỔỐỒỖỘOÔ] *Đ[ĂA]NG *K[ÝỶỲỸỴY]' AND " WORDS(          \
		       pg) " < 80)))"                                                              \
			   " AND ($2::text IS NULL OR " f ".registry_office = $2)"                 \
			   " AND NOT EXISTS (SELECT 1 FROM keyings k WHERE k.page_id = " pg        \
			   ".page_id"                                                              \
			   " AND k.rec_index = 0 AND k.user_name = $1)"

#define RECORD_WAITS(r)                                                                            \
	r ".n_review > 0 AND " r ".n_review::real / greatest(1, (SELECT count(*) FROM"             \
	  " jsonb_object_keys(" r ".fields))) > (SELECT flagged_share FROM keying_settings)"       \
	  " AND ($2::text IS NULL OR " r ".registry_office = $2)"                                  \
	  " AND NOT EXISTS (SELECT 1 FROM keyings k WHERE k.page_id = " r ".page_id"               \
	  " AND k.rec_index = " r ".rec_index AND k.user_name = $1)"

/* claimable by $1: free, expired, or skipped by someone else */
#define CLAIMABLE(t)                                                                               \
	"(" t ".claim_until IS NULL OR " t ".claim_until < now() OR (" t ".claimed_by LIKE "       \
	"'skipped:%' AND " t ".claimed_by <> 'skipped:' || $1))"

int keying_settings_get(PGconn *conn, struct keying_settings *s, herr *e)
{
	PGresult *res = db_params(conn, "SELECT double_keying, flagged_share FROM keying_settings",
				  0, NULL, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	s->double_keying = PQntuples(res) && !strcmp(PQgetvalue(res, 0, 0), "t");
	s->flagged_share = PQntuples(res) ? strtod(PQgetvalue(res, 0, 1), NULL) : 0.5;
	PQclear(res);
	return 0;
}

int keying_settings_set(PGconn *conn, const struct keying_settings *s, const char *user, herr *e)
{
	char share[32];
	const char *v[3] = { s->double_keying ? "t" : "f", share, user };
	PGresult *res;

	snprintf(share, sizeof(share), "%.3f", s->flagged_share);
	res = db_params(conn,
			"UPDATE keying_settings SET double_keying = $1::boolean,"
			" flagged_share = $2::real, updated_by = $3, updated_at = now()",
			3, v, PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

int keying_queue_counts(PGconn *conn, const char *user, const char *office, long *pages,
			long *records, herr *e)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM pages pg JOIN source_files f USING (file_id)"
	    "  WHERE " PAGE_WAITS("pg", "f") "),"
					     " (SELECT count(*) FROM records r WHERE " RECORD_WAITS(
						 "r") ")";
	const char *v[2] = { user, office };
	PGresult *res = db_params(conn, sql, 2, v, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	*pages = db_col_long(res, 0, 0);
	*records = db_col_long(res, 0, 1);
	PQclear(res);
	return 0;
}

int keying_held(PGconn *conn, const char *user, const char *office, char *kind, long *id, herr *e)
{
	static const char sql[] =
	    "SELECT 'p', pg.page_id FROM pages pg JOIN source_files f USING (file_id)"
	    " WHERE pg.claimed_by = $1 AND pg.claim_until > now() AND " PAGE_WAITS(
		"pg",
		"f") " UNION ALL SELECT 'r', r.record_id FROM records r WHERE r.claimed_by = $1"
		     " AND r.claim_until > now() AND " RECORD_WAITS("r") " LIMIT 1";
	const char *v[2] = { user, office };

	return db_held_item(conn, sql, 2, v, kind, id, e);
}

int keying_claim_next(PGconn *conn, const char *user, const char *office, int lease_s, char *kind,
		      long *id, herr *e)
{
	static const char next_page[] =
	    "SELECT pg.page_id, f.batch_id FROM pages pg JOIN source_files f USING (file_id)"
	    " WHERE " PAGE_WAITS("pg", "f") " AND " CLAIMABLE(
		"pg") " ORDER BY f.batch_id, pg.page_id LIMIT 1 FOR UPDATE OF pg SKIP LOCKED";
	static const char next_record[] =
	    "SELECT r.record_id, f.batch_id FROM records r JOIN pages pg ON pg.page_id = r.page_id"
	    " JOIN source_files f ON f.file_id = pg.file_id WHERE " RECORD_WAITS(
		"r") " AND " CLAIMABLE("r") " ORDER BY f.batch_id, r.record_id LIMIT 1 FOR UPDATE "
					    "OF r SKIP LOCKED";
	static const struct db_two_queues qs = {
		{ next_page, next_record },
		{ "UPDATE pages SET claimed_by = $1,"
		  " claim_until = now() + make_interval(secs => $2::int)"
		  " WHERE page_id = $3::bigint",
		  "UPDATE records SET claimed_by = $1,"
		  " claim_until = now() + make_interval(secs => $2::int)"
		  " WHERE record_id = $3::bigint" },
		{ 'p', 'r' }
	};

	return db_claim_next(conn, &qs, user, office, lease_s, kind, id, e);
}

int keying_claim(PGconn *conn, char kind, long id, const char *user, const char *office,
		 int lease_s, herr *e)
{
	static const char page_sql[] =
	    "UPDATE pages pg SET claimed_by = $1,"
	    " claim_until = now() + make_interval(secs => $3::int) FROM source_files f"
	    " WHERE f.file_id = pg.file_id AND pg.page_id = $4::bigint AND " PAGE_WAITS(
		"pg", "f") " AND (pg.claimed_by = $1 OR " CLAIMABLE("pg") ")";
	static const char record_sql[] = "UPDATE records r SET claimed_by = $1,"
					 " claim_until = now() + make_interval(secs => $3::int)"
					 " WHERE r.record_id = $4::bigint AND " RECORD_WAITS(
					     "r") " AND (r.claimed_by = $1 OR " CLAIMABLE("r") ")";
	char idbuf[24], lease[16];
	const char *v[4] = { user, office, lease, idbuf };
	PGresult *res;
	int ok;

	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	snprintf(lease, sizeof(lease), "%d", lease_s);
	res = db_params(conn, kind == 'p' ? page_sql : record_sql, 4, v, PGRES_COMMAND_OK, e);
	if (!res)
		return -1;
	ok = strcmp(PQcmdTuples(res), "1") == 0;
	PQclear(res);
	return ok;
}

int keying_skip(PGconn *conn, char kind, long id, const char *user, int lease_s, herr *e)
{
	char idbuf[24], lease[16];
	const char *v[3] = { user, lease, idbuf };
	PGresult *res;

	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	snprintf(lease, sizeof(lease), "%d", lease_s);
	res = db_params(conn,
			kind == 'p' ? "UPDATE pages SET claimed_by = 'skipped:' || $1,"
				      " claim_until = now() + make_interval(secs => $2::int)"
				      " WHERE page_id = $3::bigint AND claimed_by = $1"
				    : "UPDATE records SET claimed_by = 'skipped:' || $1,"
				      " claim_until = now() + make_interval(secs => $2::int)"
				      " WHERE record_id = $3::bigint AND claimed_by = $1",
			3, v, PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

int keying_item(PGconn *conn, char kind, long id, const char *user, const char *office,
		struct db_rows *out, herr *e)
{
	/* the same columns for a page and for a record */
	static const char page_sql[] =
	    "SELECT pg.page_id, 0, 'unknown', f.path, pg.page_no, coalesce(pg.rotation, 0),"
	    " coalesce(pg.dpi, 300), 1, '{}', pg.claimed_by, pg.claim_until > now(),"
	    " extract(epoch FROM pg.claim_until)::bigint, f.registry_office, b.name,"
	    " (SELECT string_agg(k.user_name, ',' ORDER BY k.pass) FROM keyings k"
	    "  WHERE k.page_id = pg.page_id AND k.rec_index = 0),"
	    " (" PAGE_WAITS("pg", "f") ")"
				       " FROM pages pg JOIN source_files f USING (file_id) JOIN "
				       "batches b USING (batch_id)"
				       " WHERE pg.page_id = $3::bigint AND ($2::text IS NULL OR "
				       "f.registry_office = $2)";
	static const char record_sql[] =
	    "SELECT r.page_id, r.rec_index, r.doc_type, f.path, pg.page_no,"
	    " coalesce(pg.rotation, 0), coalesce(pg.dpi, 300),"
	    " (SELECT count(*) FROM records r2 WHERE r2.page_id = r.page_id), r.fields::text,"
	    " r.claimed_by, r.claim_until > now(), extract(epoch FROM r.claim_until)::bigint,"
	    " r.registry_office, b.name,"
	    " (SELECT string_agg(k.user_name, ',' ORDER BY k.pass) FROM keyings k"
	    "  WHERE k.page_id = r.page_id AND k.rec_index = r.rec_index),"
	    " (" RECORD_WAITS(
		"r") ")"
		     " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
		     " JOIN source_files f ON f.file_id = pg.file_id JOIN batches b ON b.batch_id ="
		     " f.batch_id WHERE r.record_id = $3::bigint AND ($2::text IS NULL OR"
		     " r.registry_office = $2)";
	char idbuf[24];
	const char *v[3] = { user, office, idbuf };

	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	return db_rows_query(conn, kind == 'p' ? page_sql : record_sql, 3, v, out, e);
}

/* ------------------------------------------------------------------------
 * A keying saved
 * ---------------------------------------------------------------------- */

/* Two keyings agree on their identity fields: every name, date of birth and
 * ID number the same, or absent from both (double keying). */
static int identity_equal(json_t *a, json_t *b)
{
	static const char *const suffixes[] = { "name", "dob", "id_number" };
	const char *key;
	json_t *v;

	if (!json_is_object(a) || !json_is_object(b))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		json_t *x = pass ? b : a, *y = pass ? a : b;

		json_object_foreach(x, key, v)
		{
			size_t n = strlen(key);
			int ident = 0;

			for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
				size_t m = strlen(suffixes[i]);

				ident |= n >= m && !strcmp(key + n - m, suffixes[i]) &&
					 strcmp(key, "procedure_name");
			}
			if (ident && !json_equal(v, json_object_get(y, key)) &&
			    !(json_is_null(v) && !json_object_get(y, key)))
				return 0;
		}
	}
	return 1;
}

/* The fields of the record JSON from a keying's values: keyed, not flagged. */
static json_t *record_fields(json_t *values, json_t *old)
{
	json_t *out = json_object(), *v;
	const char *key;

	json_object_foreach(values, key, v)
	{
		json_t *f = json_pack("{s:O, s:f, s:b, s:b}", "value", v, "conf", 1.0, "review", 0,
				      "keyed", 1);
		json_t *was = old ? json_object_get(old, key) : NULL;

		/* the box the reader found, for the crops */
		if (was && json_object_get(was, "bbox"))
			json_object_set(f, "bbox", json_object_get(was, "bbox"));
		json_object_set_new(out, key, f);
	}
	return out;
}

static const char *jvalue(json_t *values, const char *key)
{
	json_t *v = json_object_get(values, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The record of a keying: inserted (a page) or its fields replaced (a
 * record), its people stored for matching, and its audit row. */
static int make_record(PGconn *conn, const struct keying_save *s, const char *page_id,
		       const char *rec_index, json_t *values, json_t *old_fields, long record_id,
		       long *out_id, herr *e)
{
	static const char ins[] =
	    "INSERT INTO records (record_ref, page_id, rec_index, doc_type, registry_office,"
	    " register_no, book_no, registered_on, mean_conf, n_review, fields, warnings)"
	    " SELECT f.sha256 || ':' || pg.page_no || ':' || $2, pg.page_id, $2::int, $3,"
	    " coalesce(f.registry_office, $4), $5, $6, $7, 1, 0, $8::jsonb, '[\"keyed\"]'"
	    " FROM pages pg JOIN source_files f USING (file_id) WHERE pg.page_id = $1::bigint"
	    " RETURNING record_id";
	static const char upd[] =
	    "UPDATE records SET fields = $2::jsonb, n_review = 0, register_no = $3, book_no = $4,"
	    " registered_on = $5, mean_conf = 1, warnings = warnings || '[\"keyed\"]',"
	    " updated_at = now(), claimed_by = NULL, claim_until = NULL"
	    " WHERE record_id = $1::bigint";
	static const char page_type[] =
	    "UPDATE pages SET doc_type = $2, claimed_by = NULL, claim_until = NULL"
	    " WHERE page_id = $1::bigint";
	static const char audit[] =
	    "INSERT INTO review_decisions (user_name, action, record_id, before, after)"
	    " VALUES ($1, 'key_record', $2::bigint, $3::jsonb, $4::jsonb)";
	static const char people_tmp[] =
	    "CREATE TEMP TABLE keyed_people (LIKE record_people) ON COMMIT DROP";
	static const char copy_people[] =
	    "COPY keyed_people (record_id, role, full_name, name_key, dob, sex,"
	    " id_number, cmnd_number, birthplace, birth_province, birth_province_now, father_name,"
	    " mother_name, father_key, mother_key) FROM STDIN";
	static const char relink[] = "UPDATE matches SET status = 'review', updated_at = now()"
				     " WHERE record_id = $1::bigint AND status = 'auto'";
	static const char people_up[] =
	    "INSERT INTO record_people (record_id, role, full_name, name_key, dob, sex,"
	    " id_number, cmnd_number, birthplace, birth_province, birth_province_now, father_name,"
	    " mother_name, father_key, mother_key) SELECT record_id, role, full_name, name_key,"
	    " dob, sex, id_number, cmnd_number, birthplace, birth_province, birth_province_now,"
	    " father_name, mother_name, father_key, mother_key"
	    " FROM keyed_people ON CONFLICT (record_id, role) DO UPDATE SET"
	    " full_name = EXCLUDED.full_name, name_key = EXCLUDED.name_key, dob = EXCLUDED.dob,"
	    " sex = EXCLUDED.sex, id_number = EXCLUDED.id_number,"
	    " cmnd_number = EXCLUDED.cmnd_number, birthplace = EXCLUDED.birthplace,"
	    " birth_province = EXCLUDED.birth_province,"
	    " birth_province_now = EXCLUDED.birth_province_now,"
	    " father_name = EXCLUDED.father_name, mother_name = EXCLUDED.mother_name,"
	    " father_key = EXCLUDED.father_key, mother_key = EXCLUDED.mother_key";
	json_t *fields = record_fields(values, old_fields);
	char *fj = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
	char *before = old_fields ? json_dumps(old_fields, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char idbuf[24];
	strbuf rows = STRBUF_INIT;
	PGresult *res = NULL;
	int rc = -1;

	if (record_id > 0) {
		const char *v[5] = { idbuf, fj, jvalue(values, "register_no"),
				     jvalue(values, "book_no"), jvalue(values, "registered_on") };

		snprintf(idbuf, sizeof(idbuf), "%ld", record_id);
		res = db_params(conn, upd, 5, v, PGRES_COMMAND_OK, e);
	} else {
		const char *v[8] = { page_id,
				     rec_index,
				     s->doc_type,
				     jvalue(values, "registry_office"),
				     jvalue(values, "register_no"),
				     jvalue(values, "book_no"),
				     jvalue(values, "registered_on"),
				     fj };

		res = db_params(conn, ins, 8, v, PGRES_TUPLES_OK, e);
		if (res && PQntuples(res) == 1)
			record_id = db_col_long(res, 0, 0);
		else if (res)
			rc = herr_set(e, HT_EXIT_FATAL, "page %s: no record made", page_id);
		if (res && record_id > 0) {
			const char *pv[2] = { page_id, s->doc_type };

			PQclear(res);
			res = db_params(conn, page_type, 2, pv, PGRES_COMMAND_OK, e);
		}
		snprintf(idbuf, sizeof(idbuf), "%ld", record_id);
	}
	if (!res || record_id <= 0)
		goto out;
	PQclear(res);
	res = db_params(conn, people_tmp, 0, NULL, PGRES_COMMAND_OK, e);
	if (!res)
		goto out;
	batch_people_rows(&rows, idbuf, s->doc_type, fields);
	if (rows.len && db_copy_rows(conn, copy_people, &rows, "keyed people", e) < 0)
		goto out;
	PQclear(res);
	res = db_params(conn, people_up, 0, NULL, PGRES_COMMAND_OK, e);
	if (!res)
		goto out;
	PQclear(res);
	{
		/* a link made from the values as misread is not kept as automatic:
		 * it waits for a reviewer, and `hotich match --unlinked` scores it
		 * again from the keyed values (a reviewer's decision stands) */
		const char *v[1] = { idbuf };

		res = db_params(conn, relink, 1, v, PGRES_COMMAND_OK, e);
	}
	if (!res)
		goto out;
	PQclear(res);
	{
		const char *v[4] = { s->user, idbuf, before, fj };

		res = db_params(conn, audit, 4, v, PGRES_COMMAND_OK, e);
	}
	if (!res)
		goto out;
	*out_id = record_id;
	rc = 0;
out:
	PQclear(res);
	strbuf_release(&rows);
	free(fj);
	free(before);
	json_decref(fields);
	return rc;
}

int keying_save(PGconn *conn, const struct keying_save *s, enum keying_outcome *outcome,
		long *record_id, herr *e)
{
	static const char lock_page[] =
	    "SELECT pg.page_id, 0, NULL, pg.claimed_by = $1 AND pg.claim_until > now(), NULL,"
	    " f.registry_office FROM pages pg JOIN source_files f USING (file_id)"
	    " WHERE pg.page_id = $3::bigint AND ($2::text IS NULL OR f.registry_office = $2)"
	    " AND " PAGE_WAITS("pg", "f") " FOR UPDATE OF pg";
	static const char lock_record[] =
	    "SELECT r.page_id, r.rec_index, r.record_id, r.claimed_by = $1 AND r.claim_until >"
	    " now(), r.fields::text, r.registry_office, r.doc_type FROM records r"
	    " WHERE r.record_id = $3::bigint AND ($2::text IS NULL OR r.registry_office = $2)"
	    " AND " RECORD_WAITS("r") " FOR UPDATE OF r";
	static const char passes_sql[] =
	    "SELECT pass, user_name, doc_type, fields::text FROM keyings"
	    " WHERE page_id = $1::bigint AND rec_index = $2::int ORDER BY pass";
	static const char ins_keying[] =
	    "INSERT INTO keyings (page_id, rec_index, pass, user_name, office, doc_type, fields,"
	    " agreed, record_id) VALUES ($1::bigint, $2::int, $3::smallint, $4, $5, $6, $7::jsonb,"
	    " $8::boolean, $9::bigint)";
	static const char release[] =
	    "UPDATE pages SET claimed_by = NULL, claim_until = NULL WHERE page_id = $1::bigint";
	static const char release_r[] =
	    "UPDATE records SET claimed_by = NULL, claim_until = NULL WHERE record_id = $1::bigint";
	struct keying_settings set;
	char idbuf[24], page_id[24], rec_index[16], passbuf[16], ridbuf[24];
	const char *v[3] = { s->user, s->office, idbuf };
	PGresult *res = NULL, *pr = NULL;
	json_t *values = NULL, *old = NULL;
	long rid = 0;
	int pass, final, agreed = -1;

	*outcome = KEYING_NOT_FOUND;
	*record_id = 0;
	values = json_loads(s->values_json, 0, NULL);
	if (!json_is_object(values)) {
		json_decref(values);
		return herr_set(e, HT_EXIT_USAGE, "keyed values are not a JSON object");
	}
	snprintf(idbuf, sizeof(idbuf), "%ld", s->id);
	if (db_exec(conn, "BEGIN", e) < 0) {
		json_decref(values);
		return -1;
	}
	if (keying_settings_get(conn, &set, e) < 0)
		goto fail;
	res = db_params(conn, s->kind == 'p' ? lock_page : lock_record, 3, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1)
		goto done; /* not there, another office's, or keyed already */
	if (strcmp(PQgetvalue(res, 0, 3), "t")) {
		*outcome = KEYING_TAKEN;
		goto done;
	}
	if (s->kind == 'r' && strcmp(PQgetvalue(res, 0, 6), s->doc_type)) {
		*outcome = KEYING_REFUSED; /* a record keeps the type its title gave */
		goto done;
	}
	snprintf(page_id, sizeof(page_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(rec_index, sizeof(rec_index), "%s", PQgetvalue(res, 0, 1));
	rid = s->kind == 'r' ? db_col_long(res, 0, 2) : 0;
	if (s->kind == 'r')
		old = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
	{
		const char *pv[2] = { page_id, rec_index };

		pr = db_params(conn, passes_sql, 2, pv, PGRES_TUPLES_OK, e);
	}
	if (!pr)
		goto fail;
	pass = PQntuples(pr) + 1;
	if (pass > 3) {
		*outcome = KEYING_DECIDED;
		goto done;
	}
	for (int i = 0; i < PQntuples(pr); i++)
		if (!strcmp(PQgetvalue(pr, i, 1), s->user)) {
			*outcome = KEYING_SAME_KEYER;
			goto done;
		}
	if (pass == 2) {
		json_t *first = json_loads(PQgetvalue(pr, 0, 3), 0, NULL);

		agreed =
		    !strcmp(PQgetvalue(pr, 0, 2), s->doc_type) && identity_equal(first, values);
		json_decref(first);
	}
	/* one pass makes the record, or two that agree, or the third */
	final = !set.double_keying || pass == 3 || (pass == 2 && agreed == 1);
	if (final && make_record(conn, s, page_id, rec_index, values, old, rid, &rid, e) < 0)
		goto fail;
	{
		char *vj = json_dumps(values, JSON_COMPACT | JSON_SORT_KEYS);
		const char *kv[9] = { page_id,
				      rec_index,
				      passbuf,
				      s->user,
				      PQgetvalue(res, 0, 5)[0] ? PQgetvalue(res, 0, 5) : NULL,
				      s->doc_type,
				      vj,
				      agreed < 0 ? NULL
				      : agreed	 ? "t"
						 : "f",
				      final ? ridbuf : NULL };
		PGresult *ki;

		snprintf(passbuf, sizeof(passbuf), "%d", pass);
		snprintf(ridbuf, sizeof(ridbuf), "%ld", rid);
		ki = db_params(conn, ins_keying, 9, kv, PGRES_COMMAND_OK, e);
		free(vj);
		if (!ki)
			goto fail;
		PQclear(ki);
	}
	if (!final) {
		PGresult *rl = db_params(conn, s->kind == 'p' ? release : release_r, 1, v + 2,
					 PGRES_COMMAND_OK, e);

		if (!rl)
			goto fail;
		PQclear(rl);
	}
	*outcome = final ? KEYING_SAVED : pass == 1 ? KEYING_SECOND : KEYING_THIRD;
	*record_id = final ? rid : 0;
done:
	PQclear(res);
	PQclear(pr);
	json_decref(values);
	json_decref(old);
	return db_exec(conn, "COMMIT", e);
fail:
	PQclear(res);
	PQclear(pr);
	json_decref(values);
	json_decref(old);
	db_rollback(conn);
	return -1;
}

/* ------------------------------------------------------------------------
 * Throughput
 * ---------------------------------------------------------------------- */

int keying_throughput(PGconn *conn, int by_office, const char *office, struct db_rows *out, herr *e)
{
	static const char by_user[] =
	    "SELECT user_name, count(*) FILTER (WHERE keyed_at >= date_trunc('day', now())),"
	    " count(*) FILTER (WHERE keyed_at >= now() - interval '7 days'), count(*),"
	    " count(record_id), count(*) FILTER (WHERE agreed IS FALSE)"
	    " FROM keyings WHERE $1::text IS NULL OR office = $1"
	    " GROUP BY user_name ORDER BY count(*) DESC, user_name";
	static const char by_off[] =
	    "SELECT coalesce(office, ''), count(*) FILTER (WHERE keyed_at >= date_trunc('day',"
	    " now())), count(*) FILTER (WHERE keyed_at >= now() - interval '7 days'), count(*),"
	    " count(record_id), count(*) FILTER (WHERE agreed IS FALSE)"
	    " FROM keyings WHERE $1::text IS NULL OR office = $1"
	    " GROUP BY office ORDER BY count(*) DESC, office";
	const char *v[1] = { office };

	return db_rows_query(conn, by_office ? by_off : by_user, 1, v, out, e);
}
