/*
 * review.c — what the review pages read and write: the queue and its
 * claims, a match or a record to decide, the decisions with their audit
 * rows, a decided link reopened, what a crop needs.  Each function is one
 * statement or one transaction with one way out on failure; the web layer
 * decides what is allowed (through the checks it passes) and lays it out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../match/match.h"
#include "loaders_internal.h"

/* ------------------------------------------------------------------------
 * The queue
 * ---------------------------------------------------------------------- */

static const char held_sql[] =
    "SELECT 'm', match_id FROM matches WHERE status = 'review' AND claimed_by = $1"
    " AND claim_until > now()"
    " UNION ALL SELECT 'r', record_id FROM records WHERE n_review > 0 AND claimed_by = $1"
    " AND claim_until > now() LIMIT 1";

/* claimable by $1 (a user name): free, expired, or skipped by someone else */
#define CLAIMABLE(t)                                                                               \
	"(" t ".claim_until IS NULL OR " t ".claim_until < now() OR (" t ".claimed_by LIKE "       \
	"'skipped:%' AND " t ".claimed_by <> 'skipped:' || $1))"

static const char next_match_sql[] =
    "SELECT m.match_id, f.batch_id FROM matches m"
    " JOIN records r ON r.record_id = m.record_id JOIN pages p ON p.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = p.file_id"
    " WHERE m.status = 'review' AND " CLAIMABLE(
	"m") " AND ($2::text IS NULL OR r.registry_office = $2)"
	     " ORDER BY f.batch_id, m.match_id LIMIT 1 FOR UPDATE OF m SKIP LOCKED";

static const char next_record_sql[] =
    "SELECT r.record_id, f.batch_id FROM records r JOIN pages p ON p.page_id = r.page_id"
    " JOIN source_files f ON f.file_id = p.file_id"
    " WHERE r.n_review > 0 AND " CLAIMABLE(
	"r") " AND ($2::text IS NULL OR r.registry_office = $2)"
	     " ORDER BY f.batch_id, r.record_id LIMIT 1 FOR UPDATE OF r SKIP LOCKED";

int review_held(PGconn *conn, const char *user, char *kind, long *id, herr *e)
{
	const char *v[1] = { user };

	return db_held_item(conn, held_sql, 1, v, kind, id, e);
}

int review_claim_next(PGconn *conn, const char *user, const char *office, int lease_s, char *kind,
		      long *id, herr *e)
{
	static const struct db_two_queues qs = {
		{ next_match_sql, next_record_sql },
		{ "UPDATE matches SET claimed_by = $1,"
		  " claim_until = now() + make_interval(secs => $2::int)"
		  " WHERE match_id = $3::bigint",
		  "UPDATE records SET claimed_by = $1,"
		  " claim_until = now() + make_interval(secs => $2::int)"
		  " WHERE record_id = $3::bigint" },
		{ 'm', 'r' }
	};

	return db_claim_next(conn, &qs, user, office, lease_s, kind, id, e);
}

int review_queue_counts(PGconn *conn, const char *office, long *matches, long *records, herr *e)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM matches m JOIN records r USING (record_id)"
	    "  WHERE m.status = 'review' AND ($1::text IS NULL OR"
	    "  r.registry_office = $1)),"
	    " (SELECT count(*) FROM records r WHERE n_review > 0 AND"
	    "  ($1::text IS NULL OR r.registry_office = $1))";
	const char *v[1] = { office };
	PGresult *res = db_params(conn, sql, 1, v, PGRES_TUPLES_OK, e);

	if (!res)
		return -1;
	*matches = db_col_long(res, 0, 0);
	*records = db_col_long(res, 0, 1);
	PQclear(res);
	return 0;
}

int review_claim(PGconn *conn, enum review_kind kind, long id, const char *user, const char *office,
		 int lease_s, herr *e)
{
	char idbuf[24], lease[16];
	const char *v[4] = { user, lease, idbuf, office };
	PGresult *res;
	int ok;

	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	snprintf(lease, sizeof(lease), "%d", lease_s);
	res =
	    db_params(conn,
		      kind == REVIEW_MATCH ? "UPDATE matches m SET claimed_by = $1,"
					     " claim_until = now() + make_interval(secs => $2::int)"
					     " FROM records r WHERE r.record_id = m.record_id"
					     " AND m.match_id = $3::bigint AND m.status = 'review'"
					     " AND ($4::text IS NULL OR r.registry_office = $4)"
					     " AND (m.claimed_by = $1 OR " CLAIMABLE("m") ")"
					   : "UPDATE records r SET claimed_by = $1,"
					     " claim_until = now() + make_interval(secs => $2::int)"
					     " WHERE r.record_id = $3::bigint AND r.n_review > 0"
					     " AND ($4::text IS NULL OR r.registry_office = $4)"
					     " AND (r.claimed_by = $1 OR " CLAIMABLE("r") ")",
		      4, v, PGRES_COMMAND_OK, e);
	if (!res)
		return -1;
	ok = strcmp(PQcmdTuples(res), "1") == 0;
	PQclear(res);
	return ok;
}

int review_skip(PGconn *conn, enum review_kind kind, long id, const char *user, int lease_s,
		herr *e)
{
	char idbuf[24], lease[16];
	const char *v[3] = { user, lease, idbuf };
	PGresult *res;

	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	snprintf(lease, sizeof(lease), "%d", lease_s);
	res =
	    db_params(conn,
		      kind == REVIEW_MATCH ? "UPDATE matches SET claimed_by = 'skipped:' || $1,"
					     " claim_until = now() + make_interval(secs => $2::int)"
					     " WHERE match_id = $3::bigint AND claimed_by = $1"
					   : "UPDATE records SET claimed_by = 'skipped:' || $1,"
					     " claim_until = now() + make_interval(secs => $2::int)"
					     " WHERE record_id = $3::bigint AND claimed_by = $1",
		      3, v, PGRES_COMMAND_OK, e);
	PQclear(res);
	return res ? 0 : -1;
}

/* ------------------------------------------------------------------------
 * Items to show
 * ---------------------------------------------------------------------- */

static int item_rows(PGconn *conn, const char *sql, long id, const char *office,
		     struct db_rows *out, herr *e)
{
	char idbuf[24];
	const char *v[2] = { idbuf, office };

	snprintf(idbuf, sizeof(idbuf), "%ld", id);
	return db_rows_query(conn, sql, 2, v, out, e);
}

int review_match_item(PGconn *conn, long id, const char *office, struct db_rows *out, herr *e)
{
	static const char sql[] =
	    "SELECT m.match_id, m.record_id, m.role, m.citizen_id, m.score, m.status,"
	    " m.explanation::text, m.candidates::text, m.discrepancies::text, m.model_version,"
	    " r.doc_type, r.registry_office, r.register_no, r.book_no, r.registered_on,"
	    " f.path, pg.page_no, b.name, pg.dpi,"
	    " p.full_name, p.dob, p.sex, p.id_number, p.birthplace, p.father_name, p.mother_name,"
	    " m.claimed_by, m.claim_until > now(), extract(epoch FROM m.claim_until)::bigint"
	    " FROM matches m JOIN records r ON r.record_id = m.record_id"
	    " JOIN record_people p ON p.record_id = m.record_id AND p.role = m.role"
	    " JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f ON f.file_id = pg.file_id"
	    " JOIN batches b ON b.batch_id = f.batch_id"
	    " WHERE m.match_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)";

	return item_rows(conn, sql, id, office, out, e);
}

int review_record_item(PGconn *conn, long id, const char *office, struct db_rows *out, herr *e)
{
	static const char sql[] =
	    "SELECT r.record_id, r.doc_type, r.registry_office, r.register_no, r.book_no,"
	    " r.registered_on, f.path, pg.page_no, b.name, r.fields::text, r.n_review,"
	    " r.mean_conf, r.claimed_by, r.claim_until > now(),"
	    " extract(epoch FROM r.claim_until)::bigint"
	    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
	    " JOIN source_files f ON f.file_id = pg.file_id JOIN batches b ON b.batch_id = "
	    "f.batch_id"
	    " WHERE r.record_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)";

	return item_rows(conn, sql, id, office, out, e);
}

int review_record_links(PGconn *conn, long record_id, struct db_rows *out, herr *e)
{
	char idbuf[24];
	const char *v[1] = { idbuf };

	snprintf(idbuf, sizeof(idbuf), "%ld", record_id);
	return db_rows_query(conn,
			     "SELECT m.match_id, m.role, m.status, m.citizen_id, m.score,"
			     " c.full_name, m.decided_by, extract(epoch FROM m.decided_at)::bigint"
			     " FROM matches m LEFT JOIN citizens c ON c.id_number = m.citizen_id"
			     " WHERE m.record_id = $1::bigint ORDER BY m.role",
			     1, v, out, e);
}

int review_citizens(PGconn *conn, const char *const *ids, int n, struct db_rows *out, herr *e)
{
	strbuf arr = STRBUF_INIT;
	const char *v[1];
	int rc;

	strbuf_addch(&arr, '{');
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&arr, ',');
		strbuf_addstr(&arr, ids[i]);
	}
	strbuf_addch(&arr, '}');
	v[0] = arr.buf;
	rc = db_rows_query(
	    conn,
	    "SELECT c.id_number, c.full_name, c.dob, c.sex, c.id_number, c.birthplace,"
	    " c.father_name, c.mother_name"
	    " FROM unnest($1::text[]) WITH ORDINALITY AS w(id, k)"
	    " JOIN citizens c ON c.id_number = w.id ORDER BY w.k",
	    1, v, out, e);
	strbuf_release(&arr);
	return rc;
}

int review_crop_source(PGconn *conn, long record_id, const char *office, struct db_rows *out,
		       herr *e)
{
	static const char sql[] =
	    "SELECT f.path, pg.page_no, coalesce(pg.rotation, 0), r.fields::text, r.doc_type,"
	    " pg.width_px, pg.height_px, coalesce(pg.dpi, 300), r.rec_index,"
	    " (SELECT count(*) FROM records r2 WHERE r2.page_id = r.page_id), f.sha256"
	    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
	    " JOIN source_files f ON f.file_id = pg.file_id"
	    " WHERE r.record_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)";

	return item_rows(conn, sql, record_id, office, out, e);
}

/* ------------------------------------------------------------------------
 * A match decided
 * ---------------------------------------------------------------------- */

int review_decide_match(PGconn *conn, const struct review_match_decision *d,
			review_match_check_fn check, void *arg, int *refusal, herr *e)
{
	static const char lock_sql[] =
	    "SELECT m.status, m.claimed_by = $1,"
	    " jsonb_build_object('status', m.status, 'citizen_id', m.citizen_id,"
	    " 'score', m.score)::text, m.citizen_id, m.candidates::text, p.dob, p.sex"
	    " FROM matches m JOIN records r ON r.record_id = m.record_id"
	    " JOIN record_people p ON p.record_id = m.record_id AND p.role = m.role"
	    " WHERE m.match_id = $3::bigint AND ($2::text IS NULL OR r.registry_office = $2)"
	    " FOR UPDATE OF m";
	static const char update_sql[] =
	    "UPDATE matches SET status = $2, citizen_id = $3, decided_by = $4,"
	    " decided_at = now(), claimed_by = NULL, claim_until = NULL, updated_at = now()"
	    " WHERE match_id = $1::bigint";
	static const char audit_sql[] =
	    "INSERT INTO review_decisions (user_name, action, record_id, role, before,"
	    " after) SELECT $2, $3, record_id, role, $4::jsonb,"
	    " jsonb_build_object('status', status, 'citizen_id', citizen_id)"
	    " || CASE WHEN $5::text IS NULL THEN '{}'::jsonb"
	    "    ELSE jsonb_build_object('confirmed_despite', $5::jsonb) END"
	    " FROM matches WHERE match_id = $1::bigint";
	char idbuf[24];
	const char *v[5];
	PGresult *res = NULL, *c = NULL;
	struct review_match_seen seen = { 0 };
	strbuf despite = STRBUF_INIT, arr = STRBUF_INIT;
	int rc = REVIEW_DONE;

	*refusal = 0;
	snprintf(idbuf, sizeof(idbuf), "%ld", d->match_id);
	if (db_exec(conn, "BEGIN", e) < 0)
		return REVIEW_FAILED;
	v[0] = d->user;
	v[1] = d->office;
	v[2] = idbuf;
	res = db_params(conn, lock_sql, 3, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1)
		rc = REVIEW_NOT_FOUND;
	else if (strcmp(PQgetvalue(res, 0, 0), "review"))
		rc = REVIEW_DECIDED;
	else if (strcmp(PQgetvalue(res, 0, 1), "t"))
		rc = REVIEW_TAKEN;
	if (rc != REVIEW_DONE)
		goto refuse;
	seen.citizen_id = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
	seen.candidates = PQgetvalue(res, 0, 4);
	seen.dob = PQgetvalue(res, 0, 5);
	seen.sex = PQgetvalue(res, 0, 6);
	if (d->citizen) {
		v[0] = d->citizen;
		c = db_params(conn, "SELECT dob, sex FROM citizens WHERE id_number = $1", 1, v,
			      PGRES_TUPLES_OK, e);
		if (!c)
			goto fail;
		seen.citizen_known = PQntuples(c) > 0;
		if (seen.citizen_known) {
			seen.c_dob = PQgetisnull(c, 0, 0) ? NULL : PQgetvalue(c, 0, 0);
			seen.c_sex = PQgetisnull(c, 0, 1) ? NULL : PQgetvalue(c, 0, 1);
		}
	}
	*refusal = check(&seen, &despite, arg);
	if (*refusal) {
		rc = REVIEW_REFUSED;
		goto refuse;
	}
	v[0] = idbuf;
	v[1] = d->status;
	v[2] = d->citizen;
	v[3] = d->user;
	PQclear(c);
	c = db_params(conn, update_sql, 4, v, PGRES_COMMAND_OK, e);
	if (!c)
		goto fail;
	if (despite.len)
		strbuf_addf(&arr, "[%s]", despite.buf);
	v[0] = idbuf;
	v[1] = d->user;
	v[2] = d->action;
	v[3] = PQgetvalue(res, 0, 2); /* before */
	v[4] = despite.len ? arr.buf : NULL;
	PQclear(c);
	c = db_params(conn, audit_sql, 5, v, PGRES_COMMAND_OK, e);
	if (!c)
		goto fail;
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	goto out;
refuse:
	db_rollback(conn);
	goto out;
fail:
	db_rollback(conn);
	rc = REVIEW_FAILED;
out:
	PQclear(res);
	PQclear(c);
	strbuf_release(&despite);
	strbuf_release(&arr);
	return rc;
}

/* ------------------------------------------------------------------------
 * A field of a record checked
 * ---------------------------------------------------------------------- */

/* the record_people column a field feeds, for the record's doc_type */
static const char *people_column(const char *doc_type, const char *field, const char **role)
{
	const struct match_role *roles;
	int n = match_roles(doc_type, &roles);

	for (int k = 0; k < n; k++) {
		const struct match_role *ro = &roles[k];
		const char *const map[][2] = {
			{ ro->name, "full_name" },	    { ro->dob, "dob" },
			{ ro->id_number, "id_number" },	    { ro->birthplace, "birthplace" },
			{ ro->father_name, "father_name" }, { ro->mother_name, "mother_name" },
			{ ro->sex_field, "sex" },
		};

		for (size_t i = 0; i < HT_ARRAY_LEN(map); i++) {
			if (map[i][0] && !strcmp(map[i][0], field)) {
				*role = ro->role;
				return map[i][1];
			}
		}
	}
	return NULL;
}

/* The statement that sets a typed column from a corrected value ($1 the
 * record, $2 the role, $3 the value, $4 its folded key): fixed texts. */
static const char *people_update_sql(const char *pcol)
{
	static const char *const sql[][2] = {
		{ "full_name", "UPDATE record_people SET full_name = $3, name_key = $4"
			       " WHERE record_id = $1::bigint AND role = $2" },
		{ "dob", "UPDATE record_people SET dob = $3 WHERE record_id = $1::bigint"
			 " AND role = $2 AND $4::text IS NOT NULL" },
		{ "id_number",
		  "UPDATE record_people SET id_number = $3 WHERE record_id = $1::bigint"
		  " AND role = $2 AND $4::text IS NOT NULL" },
		{ "birthplace", "UPDATE record_people SET birthplace = $3 WHERE"
				" record_id = $1::bigint AND role = $2 AND $4::text IS NOT NULL" },
		{ "father_name", "UPDATE record_people SET father_name = $3, father_key = $4 WHERE"
				 " record_id = $1::bigint AND role = $2 AND $4::text IS NOT NULL" },
		{ "mother_name", "UPDATE record_people SET mother_name = $3, mother_key = $4 WHERE"
				 " record_id = $1::bigint AND role = $2 AND $4::text IS NOT NULL" },
		{ "sex", "UPDATE record_people SET sex = $3 WHERE record_id = $1::bigint"
			 " AND role = $2 AND $4::text IS NOT NULL" },
	};

	for (size_t i = 0; i < HT_ARRAY_LEN(sql); i++)
		if (!strcmp(sql[i][0], pcol))
			return sql[i][1];
	return NULL;
}

static const char *record_update_sql(const char *field)
{
	static const char *const sql[][2] = {
		{ "registered_on",
		  "UPDATE records SET registered_on = $2 WHERE record_id = $1::bigint" },
		{ "register_no",
		  "UPDATE records SET register_no = $2 WHERE record_id = $1::bigint" },
		{ "book_no", "UPDATE records SET book_no = $2 WHERE record_id = $1::bigint" },
		{ "registry_office",
		  "UPDATE records SET registry_office = $2 WHERE record_id = $1::bigint" },
	};

	for (size_t i = 0; i < HT_ARRAY_LEN(sql); i++)
		if (!strcmp(sql[i][0], field))
			return sql[i][1];
	return NULL;
}

static int step(PGconn *conn, const char *sql, int n, const char *const *v, herr *e);

/*
 * The child of a recognition has the recognized parent as father or mother
 * (match_role_fields): a corrected name or sex of that parent moves there
 * too.
 */
static int sync_named_parent(PGconn *conn, const char *doc_type, const char *field,
			     const char *idbuf, herr *e)
{
	const struct match_role *roles;
	int n = match_roles(doc_type, &roles);

	for (int k = 0; k < n; k++) {
		const struct match_role *ro = &roles[k];
		const char *v[4] = { idbuf, ro->role, ro->parent_name_field, ro->parent_sex_field };
		PGresult *res;

		if (!ro->parent_name_field ||
		    (strcmp(field, ro->parent_name_field) && strcmp(field, ro->parent_sex_field)))
			continue;
		res = db_params(conn,
				"UPDATE record_people p SET"
				" father_name = CASE WHEN r.fields -> $4 ->> 'value' = 'nam'"
				"  THEN r.fields -> $3 ->> 'value' END,"
				" mother_name = CASE WHEN r.fields -> $4 ->> 'value' = 'nu'"
				"  THEN r.fields -> $3 ->> 'value' END"
				" FROM records r WHERE r.record_id = $1::bigint"
				" AND p.record_id = r.record_id AND p.role = $2"
				" RETURNING p.father_name, p.mother_name",
				4, v, PGRES_TUPLES_OK, e);
		if (!res)
			return -1;
		if (PQntuples(res) == 1) {
			/* the look-up's keys follow the names (search.c) */
			strbuf fk = STRBUF_INIT, mk = STRBUF_INIT;
			const char *kv[4] = { idbuf, ro->role, NULL, NULL };
			int rc;

			if (!PQgetisnull(res, 0, 0))
				vn_fold(PQgetvalue(res, 0, 0), -1, &fk);
			if (!PQgetisnull(res, 0, 1))
				vn_fold(PQgetvalue(res, 0, 1), -1, &mk);
			kv[2] = PQgetisnull(res, 0, 0) ? NULL : fk.buf;
			kv[3] = PQgetisnull(res, 0, 1) ? NULL : mk.buf;
			rc = step(conn,
				  "UPDATE record_people SET father_key = $3, mother_key = $4"
				  " WHERE record_id = $1::bigint AND role = $2",
				  4, kv, e);
			strbuf_release(&fk);
			strbuf_release(&mk);
			if (rc < 0) {
				PQclear(res);
				return -1;
			}
		}
		PQclear(res);
	}
	return 0;
}

/* one statement of the transaction: -1 (e set) when it failed */
static int step(PGconn *conn, const char *sql, int n, const char *const *v, herr *e)
{
	PGresult *res = db_params(conn, sql, n, v, PGRES_COMMAND_OK, e);

	PQclear(res);
	return res ? 0 : -1;
}

int review_check_field(PGconn *conn, const struct review_field_check *d, int *left, herr *e)
{
	static const char lock_sql[] =
	    "SELECT r.doc_type, r.claimed_by = $1, r.fields -> $4,"
	    " coalesce((r.fields -> $4 ->> 'review')::boolean, false)"
	    " FROM records r"
	    " WHERE r.record_id = $3::bigint AND ($2::text IS NULL OR r.registry_office = $2)"
	    " FOR UPDATE OF r";
	static const char field_sql[] =
	    "UPDATE records SET fields = jsonb_set(fields, ARRAY[$2],"
	    "  (fields -> $2) || jsonb_build_object('review', false, 'checked_by', $4::text)"
	    "  || CASE WHEN $3::text IS NULL THEN '{}'::jsonb ELSE"
	    "     jsonb_build_object('value', $3::text, 'conf', 1.0) END"
	    "  || CASE WHEN $5::boolean THEN '{\"confirmed_unusual\": true}'::jsonb"
	    "     ELSE '{}'::jsonb END),"
	    " updated_at = now() WHERE record_id = $1::bigint";
	/* the reviewer keeps the record while values are left to check */
	static const char left_sql[] =
	    "UPDATE records SET n_review = n.c,"
	    " claimed_by = CASE WHEN n.c > 0 THEN claimed_by END,"
	    " claim_until = CASE WHEN n.c > 0"
	    "  THEN now() + make_interval(secs => $2::int) END"
	    " FROM (SELECT count(*) AS c FROM records r, jsonb_each(r.fields) f"
	    "  WHERE r.record_id = $1::bigint AND (f.value ->> 'review')::boolean) n"
	    " WHERE record_id = $1::bigint RETURNING n_review";
	static const char audit_sql[] =
	    "INSERT INTO review_decisions (user_name, action, record_id, role, field, before,"
	    " after) SELECT $2, $3, record_id, $6, $4, $5::jsonb, fields -> $4"
	    " FROM records WHERE record_id = $1::bigint";
	char idbuf[24], lease[16], doc_type[32];
	const char *v[6], *role = NULL, *pcol;
	strbuf before = STRBUF_INIT, key = STRBUF_INIT;
	PGresult *res;
	int rc = REVIEW_DONE;

	*left = 0;
	snprintf(idbuf, sizeof(idbuf), "%ld", d->record_id);
	snprintf(lease, sizeof(lease), "%d", d->lease_s);
	if (db_exec(conn, "BEGIN", e) < 0)
		return REVIEW_FAILED;
	v[0] = d->user;
	v[1] = d->office;
	v[2] = idbuf;
	v[3] = d->field;
	res = db_params(conn, lock_sql, 4, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1)
		rc = REVIEW_NOT_FOUND;
	else if (strcmp(PQgetvalue(res, 0, 1), "t"))
		rc = REVIEW_TAKEN;
	/* only a field the page offers: one flagged for review */
	else if (PQgetisnull(res, 0, 2) || strcmp(PQgetvalue(res, 0, 3), "t"))
		rc = REVIEW_REFUSED;
	if (rc != REVIEW_DONE) {
		PQclear(res);
		db_rollback(conn);
		goto out;
	}
	strbuf_addstr(&before, PQgetvalue(res, 0, 2));
	pcol = people_column(PQgetvalue(res, 0, 0), d->field, &role);
	snprintf(doc_type, sizeof(doc_type), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	v[0] = idbuf;
	v[1] = d->field;
	v[2] = d->value;
	v[3] = d->user;
	v[4] = d->confirmed_unusual && d->value ? "t" : "f";
	if (step(conn, field_sql, 5, v, e) < 0)
		goto fail;
	v[1] = lease;
	res = db_params(conn, left_sql, 2, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	*left = (int)db_col_long(res, 0, 0);
	PQclear(res);
	if (d->value) {
		/* the typed columns follow the corrected value */
		const char *rsql = record_update_sql(d->field);

		v[1] = d->value;
		if (rsql && step(conn, rsql, 2, v, e) < 0)
			goto fail;
		if (pcol && people_update_sql(pcol)) {
			const char *pv[4] = { idbuf, role, d->value, NULL };

			vn_fold(d->value, -1, &key);
			pv[3] = key.buf;
			if (step(conn, people_update_sql(pcol), 4, pv, e) < 0)
				goto fail;
		}
		if (sync_named_parent(conn, doc_type, d->field, idbuf, e) < 0)
			goto fail;
	}
	v[0] = idbuf;
	v[1] = d->user;
	v[2] = d->value ? "correct_field" : "accept_field";
	v[3] = d->field;
	v[4] = before.buf;
	v[5] = role;
	if (step(conn, audit_sql, 6, v, e) < 0)
		goto fail;
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	goto out;
fail:
	db_rollback(conn);
	rc = REVIEW_FAILED;
out:
	strbuf_release(&before);
	strbuf_release(&key);
	return rc;
}

/* ------------------------------------------------------------------------
 * A decided link back to review
 * ---------------------------------------------------------------------- */

int review_reopen(PGconn *conn, long match_id, const char *user, const char *office,
		  long *record_id, herr *e)
{
	static const char lock_sql[] =
	    "SELECT m.record_id, jsonb_build_object('status', m.status, 'citizen_id',"
	    " m.citizen_id, 'score', m.score, 'decided_by', m.decided_by)::text,"
	    " coalesce(m.citizen_id,"
	    "  (SELECT d.before ->> 'citizen_id' FROM review_decisions d"
	    "   WHERE d.record_id = m.record_id AND d.role = m.role"
	    "   AND d.after ->> 'status' = 'rejected' AND d.before ->> 'citizen_id' IS NOT NULL"
	    "   ORDER BY d.decision_id DESC LIMIT 1),"
	    "  m.candidates -> 0 ->> 'citizen_id')"
	    " FROM matches m JOIN records r ON r.record_id = m.record_id"
	    " WHERE m.match_id = $1::bigint AND m.status IN ('auto', 'confirmed', 'rejected')"
	    " AND ($2::text IS NULL OR r.registry_office = $2) FOR UPDATE OF m";
	static const char update_sql[] =
	    "UPDATE matches SET status = 'review', citizen_id = $2,"
	    " decided_by = NULL, decided_at = NULL, claimed_by = NULL,"
	    " claim_until = NULL, updated_at = now() WHERE match_id = $1::bigint";
	static const char audit_sql[] =
	    "INSERT INTO review_decisions (user_name, action, record_id,"
	    " role, before, after) SELECT $2, 'reopen', record_id, role,"
	    " $3::jsonb, jsonb_build_object('status', status, 'citizen_id',"
	    " citizen_id) FROM matches WHERE match_id = $1::bigint AND $4::text"
	    " IS NOT NULL";
	char idbuf[24];
	const char *v[4];
	PGresult *res;
	int rc = REVIEW_DONE;

	*record_id = 0;
	snprintf(idbuf, sizeof(idbuf), "%ld", match_id);
	if (db_exec(conn, "BEGIN", e) < 0)
		return REVIEW_FAILED;
	v[0] = idbuf;
	v[1] = office;
	res = db_params(conn, lock_sql, 2, v, PGRES_TUPLES_OK, e);
	if (!res)
		goto fail;
	if (PQntuples(res) != 1)
		rc = REVIEW_NOT_FOUND;
	else if (PQgetisnull(res, 0, 2))
		rc = REVIEW_REFUSED; /* no candidate to review again */
	if (rc != REVIEW_DONE) {
		PQclear(res);
		db_rollback(conn);
		return rc;
	}
	*record_id = db_col_long(res, 0, 0);
	v[1] = PQgetvalue(res, 0, 2);
	if (step(conn, update_sql, 2, v, e) < 0)
		goto fail_res;
	v[1] = user;
	v[2] = PQgetvalue(res, 0, 1);
	v[3] = PQgetvalue(res, 0, 2);
	if (step(conn, audit_sql, 4, v, e) < 0)
		goto fail_res;
	PQclear(res);
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	return REVIEW_DONE;
fail_res:
	PQclear(res);
fail:
	db_rollback(conn);
	return REVIEW_FAILED;
}

int review_citizen_known(PGconn *conn, const char *id_number, herr *e)
{
	const char *v[1] = { id_number };
	PGresult *res = db_params(conn, "SELECT 1 FROM citizens WHERE id_number = $1", 1, v,
				  PGRES_TUPLES_OK, e);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res) > 0;
	PQclear(res);
	return n;
}
