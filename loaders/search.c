/*
 * search.c — look-up (tra cứu): stored records found by a name with or
 * without diacritics, an ID or CMND number, a (partial) date of birth, the
 * office, book and number, the document type and the parents' names.
 *
 * A name is searched in tiers, best first, each one query: the name as
 * written (canonical, diacritics and all), its folded key (vn_fold, the key
 * stored at load time); then, only when none of these found anyone (or when
 * asked), its words among others ("nguyen hung" finds "Nguyễn Văn Hùng",
 * by the GIN index of the keys' words), with pg_trgm names near it (one
 * word a letter or two off, the others as they are), and its letters in
 * order inside words ("ngu hun").  A tier runs only while the page is not
 * full, so that a name answers from the btree of name_key alone; the
 * records found by a tier are kept out of the next.
 */
#include <stdlib.h>
#include <string.h>

#include "loaders_internal.h"

#define SEARCH_MAX 1000 /* rows a search reaches, pages included */

/* The select list and joins of every tier; the columns of struct
 * search_query's comment in loaders.h. */
#define SEARCH_SELECT                                                                              \
	"SELECT p.record_id, p.role, p.full_name, p.dob, p.sex, p.id_number, p.cmnd_number,"       \
	" r.doc_type, r.registry_office, r.book_no, r.register_no, r.registered_on, f.path,"       \
	" pg.page_no, r.record_ref, r.fields, r.mean_conf, r.warnings, $16::text,"                 \
	" p.father_name, p.mother_name, m.status, m.citizen_id,"                                   \
	" CASE WHEN $17::boolean THEN pg.text END"                                                 \
	" FROM record_people p JOIN records r ON r.record_id = p.record_id"                        \
	" JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f ON f.file_id = pg.file_id"   \
	" LEFT JOIN matches m ON m.record_id = p.record_id AND m.role = p.role"

/* The filters every tier applies ($3..$15, $18 the records already found). */
#define SEARCH_FILTERS                                                                             \
	" AND ($3::text IS NULL OR p.id_number = $3 OR p.cmnd_number = $3)"                        \
	" AND ($4::text IS NULL OR p.dob = $4 OR p.dob LIKE $4 || '-%')"                           \
	" AND ($5::text IS NULL OR r.registry_office = $5)"                                        \
	" AND ($6::text IS NULL OR r.registry_office = $6)"                                        \
	" AND ($7::text IS NULL OR r.doc_type = $7)"                                               \
	" AND ($8::text IS NULL OR r.book_no = $8)"                                                \
	" AND ($9::text IS NULL OR r.register_no = $9)"                                            \
	" AND ($10::text IS NULL OR p.father_words @> $11::text[])"                                \
	" AND ($12::text IS NULL OR p.mother_words @> $13::text[])"                                \
	" AND ($14::text IS NULL OR r.reg_year = $14::integer)"                                    \
	" AND ($15::text IS NULL OR p.role = $15)"                                                 \
	" AND NOT (p.record_id = ANY ($18::bigint[]))"                                             \
	" AND coalesce($1::text, $2::text, $19::text, $20::text, '') IS NOT NULL"

/* $1 the canonical name, $2 the folded key, $19 its words (an array),
 * $20 the letters pattern, $21 the row limit. */
static const char *const tier_sql[] = {
	/* exact: as written */
	SEARCH_SELECT " WHERE p.name_key = $2 AND p.full_name = $1" SEARCH_FILTERS
		      " ORDER BY p.record_id LIMIT $21",
	/* folded: without diacritics, any case */
	SEARCH_SELECT " WHERE p.name_key = $2" SEARCH_FILTERS " ORDER BY p.record_id LIMIT $21",
	/* words: whole words, others between */
	SEARCH_SELECT " WHERE p.name_words @> $19::text[]" SEARCH_FILTERS
		      " ORDER BY cardinality(p.name_words), p.record_id LIMIT $21",
	/* near: one word a letter or two off (pg_trgm's word similarity), the
	 * others as they are: $19 the others, $20 that word */
	SEARCH_SELECT " WHERE p.name_words @> $19::text[]"
		      " AND $20 <% (' ' || p.name_key || ' ')" SEARCH_FILTERS
		      " ORDER BY similarity(' ' || p.name_key || ' ', $2) DESC, p.record_id"
		      " LIMIT $21",
	/* partial: letters of words, in order ($20 the pattern) */
	SEARCH_SELECT " WHERE (' ' || p.name_key || ' ') LIKE $20" SEARCH_FILTERS
		      " ORDER BY length(p.name_key), p.record_id LIMIT $21",
	/* no name: the filters alone */
	SEARCH_SELECT " WHERE $2::text IS NULL" SEARCH_FILTERS " ORDER BY p.record_id LIMIT $21",
};
static const char *const tier_name[] = { "exact", "folded", "words", "near", "partial", "filter" };
#define TIER_NEAR    3
#define TIER_PARTIAL 4
#define TIER_FILTER  5

const char *search_match_name(int tier)
{
	return tier >= 0 && tier < (int)HT_ARRAY_LEN(tier_name) ? tier_name[tier] : "";
}

static char *fold_or_null(const char *s)
{
	strbuf b = STRBUF_INIT;

	if (!s || !*s)
		return NULL;
	vn_fold(s, -1, &b);
	if (!b.len) {
		strbuf_release(&b);
		return NULL;
	}
	return strbuf_detach(&b, NULL);
}

/* The letters of the words in order, others between: "%ngu%hun%", LIKE's
 * own characters escaped. */
static char *key_pattern(const char *key)
{
	strbuf b = STRBUF_INIT;

	strbuf_addch(&b, '%');
	for (const char *s = key; *s; s++) {
		if (*s == ' ') {
			strbuf_addch(&b, '%');
			continue;
		}
		if (*s == '%' || *s == '_' || *s == '\\')
			strbuf_addch(&b, '\\');
		strbuf_addch(&b, *s);
	}
	strbuf_addch(&b, '%');
	return strbuf_detach(&b, NULL);
}

/* The words of a folded key as an array literal: {"nguyen","hung"}. */
static char *key_words(const char *key)
{
	strbuf b = STRBUF_INIT;
	int in_word = 0;

	strbuf_addch(&b, '{');
	for (const char *s = key; *s; s++) {
		if (*s == ' ') {
			if (in_word)
				strbuf_addch(&b, '"');
			in_word = 0;
			continue;
		}
		if (!in_word)
			strbuf_addstr(&b, b.len > 1 ? ",\"" : "\"");
		in_word = 1;
		if (*s == '"' || *s == '\\')
			strbuf_addch(&b, '\\');
		strbuf_addch(&b, *s);
	}
	if (in_word)
		strbuf_addch(&b, '"');
	strbuf_addch(&b, '}');
	return strbuf_detach(&b, NULL);
}

/* The digits of `s` (spaces, dots and dashes between them allowed), or 0. */
static int digits_only(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n + 1 >= size)
				return 0;
			out[n++] = *s;
		} else if (*s != ' ' && *s != '.' && *s != '-') {
			return 0;
		}
	}
	out[n] = '\0';
	return n > 0;
}

int search_parse_id(const char *in, char out[13])
{
	char d[32];

	if (!in || !digits_only(in, d, sizeof(d)) || (strlen(d) != 12 && strlen(d) != 9))
		return -1;
	memcpy(out, d, strlen(d) + 1);
	return 0;
}

int search_parse_dob(const char *in, char out[11])
{
	struct vn_date d;
	herr e = { 0 };

	if (!in || vn_date_parse(in, &d, NULL, &e) < 0 || vn_date_check(&d, &e) < 0)
		return -1;
	vn_date_format(&d, out, 11);
	return 0;
}

/* A word with digits of TEXT: a date, else an ID or CMND number. */
static int text_number(const char *w, char id[13], char dob[11], herr *e)
{
	char tmp[13];

	if (search_parse_dob(w, dob) == 0)
		return 0;
	if (search_parse_id(w, tmp) == 0 && !id[0]) {
		memcpy(id, tmp, 13);
		return 0;
	}
	return herr_set(e, HT_EXIT_USAGE,
			"'%s' is neither an ID number (12 digits), a CMND number (9 digits) nor "
			"a date",
			w);
}

/* The run of digit groups seen ("004 160 637 594"): one number when they
 * make an ID or CMND number together, else each a date or a number. */
static int flush_run(strbuf *run, char id[13], char dob[11], herr *e)
{
	char tmp[13], *save = NULL, *w;
	int rc = 0;

	if (!run->len)
		return 0;
	if (!id[0] && strchr(run->buf, ' ') && search_parse_id(run->buf, tmp) == 0) {
		memcpy(id, tmp, 13);
	} else {
		for (w = strtok_r(run->buf, " ", &save); w && rc == 0;
		     w = strtok_r(NULL, " ", &save))
			rc = text_number(w, id, dob, e);
	}
	strbuf_reset(run);
	return rc;
}

/* TEXT: the words with digits are an ID or CMND number, a date or a
 * year; the others, the name. */
static int split_text(const char *text, strbuf *name, char id[13], char dob[11], herr *e)
{
	char *copy = xstrdup(text), *save = NULL, *w;
	strbuf run = STRBUF_INIT;
	int rc = 0;

	for (w = strtok_r(copy, " \t", &save); w && rc == 0; w = strtok_r(NULL, " \t", &save)) {
		if (!strpbrk(w, "0123456789")) {
			rc = flush_run(&run, id, dob, e);
			if (name->len)
				strbuf_addch(name, ' ');
			strbuf_addstr(name, w);
		} else if (strspn(w, "0123456789.-") == strlen(w)) {
			if (run.len)
				strbuf_addch(&run, ' ');
			strbuf_addstr(&run, w);
		} else {
			rc = flush_run(&run, id, dob, e);
			if (rc == 0)
				rc = text_number(w, id, dob, e);
		}
	}
	if (rc == 0)
		rc = flush_run(&run, id, dob, e);
	strbuf_release(&run);
	free(copy);
	return rc;
}

/* The schema of pg_trgm, or "" when the database has it not. */
static int trgm_schema(PGconn *conn, strbuf *out, herr *e)
{
	return db_query_value(conn,
			      "SELECT extnamespace::regnamespace::text FROM pg_extension"
			      " WHERE extname = 'pg_trgm'",
			      0, NULL, out, e);
}

int search_trgm_available(PGconn *conn, herr *e)
{
	strbuf s = STRBUF_INIT;
	int rc = trgm_schema(conn, &s, e);

	strbuf_release(&s);
	return rc;
}

int search_offices(PGconn *conn, struct db_rows *out, herr *e)
{
	/* a loose index scan of records_progress: one probe per office */
	static const char sql[] =
	    "WITH RECURSIVE o AS (SELECT min(registry_office) AS v FROM records"
	    " UNION ALL SELECT (SELECT min(registry_office) FROM records"
	    " WHERE registry_office > o.v) FROM o WHERE o.v IS NOT NULL)"
	    " SELECT v FROM o WHERE v IS NOT NULL ORDER BY v";

	return db_rows_query(conn, sql, 0, NULL, out, e);
}

/* The office of the request: the one the records carry by that name, else
 * the one whose folded name begins with the folded request.  1 with *out
 * (malloc'd), 0 when none, -1 (usage) when several or on failure. */
static int resolve_office(PGconn *conn, const char *want, char **out, herr *e)
{
	struct db_rows offs;
	strbuf w = STRBUF_INIT, k = STRBUF_INIT;
	int hits = 0, rc;

	*out = NULL;
	if (search_offices(conn, &offs, e) < 0)
		return -1;
	vn_fold(want, -1, &w);
	for (int i = 0; i < offs.n; i++) {
		const char *o = db_rows_get(&offs, i, 0);

		if (!strcmp(o, want)) {
			free(*out);
			*out = xstrdup(o);
			hits = 1;
			break;
		}
		strbuf_reset(&k);
		vn_fold(o, -1, &k);
		if (w.len && !strncmp(k.buf, w.buf, w.len)) {
			hits++;
			free(*out);
			*out = xstrdup(o);
		}
	}
	rc = hits > 1 ? -1 : hits;
	if (hits > 1) {
		herr_set(e, HT_EXIT_USAGE, "office \"%s\" names %d offices: be more precise", want,
			 hits);
		free(*out);
		*out = NULL;
	}
	db_rows_release(&offs);
	strbuf_release(&w);
	strbuf_release(&k);
	return rc;
}

void search_results_release(struct search_results *res)
{
	if (!res)
		return;
	db_rows_release(&res->rows);
	free(res->tier);
	memset(res, 0, sizeof(*res));
}

/* Append the rows of `part` to `acc` (both of the same columns), at most
 * `room` of them, skipping records already there; their tier too. */
static void rows_append(struct search_results *acc, struct db_rows *part, int tier, int room)
{
	int ncols = part->ncols, take = 0;
	char **cells;

	if (!part->n)
		return;
	cells = xcalloc((size_t)(acc->rows.n + part->n) * (size_t)ncols, sizeof(char *));
	if (acc->rows.n)
		memcpy(cells, acc->rows.cell, (size_t)acc->rows.n * (size_t)ncols * sizeof(char *));
	acc->tier = xrealloc(acc->tier, (size_t)(acc->rows.n + part->n) * sizeof(int));
	for (int i = 0; i < part->n; i++) {
		const char *id = db_rows_get(part, i, 0);
		int dup = take >= room;

		for (int k = 0; k < acc->rows.n + take && !dup; k++)
			dup = !strcmp(cells[(size_t)k * (size_t)ncols], id);
		if (dup) {
			for (int c = 0; c < ncols; c++)
				free(part->cell[(size_t)i * (size_t)ncols + (size_t)c]);
			continue;
		}
		memcpy(cells + (size_t)(acc->rows.n + take) * (size_t)ncols,
		       part->cell + (size_t)i * (size_t)ncols, (size_t)ncols * sizeof(char *));
		acc->tier[acc->rows.n + take] = tier;
		take++;
	}
	free(acc->rows.cell);
	free(part->cell);
	part->cell = NULL;
	part->n = 0;
	acc->rows.cell = cells;
	acc->rows.ncols = ncols;
	acc->rows.n += take;
}

/* {1,2,3}: the records found so far, for the next tier to leave out. */
static void seen_array(const struct search_results *acc, strbuf *out)
{
	strbuf_reset(out);
	strbuf_addch(out, '{');
	for (int i = 0; i < acc->rows.n; i++) {
		if (i)
			strbuf_addch(out, ',');
		strbuf_addstr(out, db_rows_get(&acc->rows, i, 0));
	}
	strbuf_addch(out, '}');
}

/* One tier's query for the rows still wanted, the records found kept out. */
static int tier_query(PGconn *conn, int t, const char **v, struct search_results *out, int want,
		      strbuf *seen, char *nlimit, size_t nsize, herr *e)
{
	struct db_rows part;

	seen_array(out, seen);
	snprintf(nlimit, nsize, "%d", want - out->rows.n);
	v[17] = seen->buf;
	if (db_rows_query(conn, tier_sql[t], 21, v, &part, e) < 0)
		return -1;
	rows_append(out, &part, t, want - out->rows.n);
	db_rows_release(&part);
	return 0;
}

/* Near names: each word of the key in turn taken as the misread one (a
 * letter or two off, by trigrams), the others as they are (the GIN index
 * of the words): a common surname costs nothing, as the others narrow. */
static int near_tier(PGconn *conn, const char *key, const char **v, struct search_results *out,
		     int want, strbuf *seen, char *nlimit, size_t nsize, herr *e)
{
	char *copy = xstrdup(key), *word[8], *save = NULL, *w;
	int n = 0, rc = 0;

	for (w = strtok_r(copy, " ", &save); w && n < 8; w = strtok_r(NULL, " ", &save))
		word[n++] = w;
	for (int i = 0; i < n && rc == 0 && out->rows.n < want; i++) {
		strbuf others = STRBUF_INIT;
		char *arr;

		if (strlen(word[i]) < 3) /* too short to be a letter off */
			continue;
		for (int k = 0; k < n; k++)
			if (k != i) {
				if (others.len)
					strbuf_addch(&others, ' ');
				strbuf_addstr(&others, word[k]);
			}
		arr = key_words(others.buf);
		v[18] = arr;
		v[19] = word[i];
		rc = tier_query(conn, TIER_NEAR, v, out, want, seen, nlimit, nsize, e);
		free(arr);
		strbuf_release(&others);
	}
	free(copy);
	return rc;
}

int search_records(PGconn *conn, const struct search_query *sq, struct search_results *out, herr *e)
{
	struct vn_name nm;
	strbuf name = STRBUF_INIT, seen = STRBUF_INIT, trgm = STRBUF_INIT;
	char id[13] = "", dob[11] = "", nlimit[16], year[16] = "";
	char *key = NULL, *words = NULL, *letters = NULL, *fkey = NULL, *fpat = NULL;
	char *mkey = NULL, *mpat = NULL, *office = NULL;
	int want, rc = -1, have_trgm, first, last;
	const char *v[21];

	memset(out, 0, sizeof(*out));
	if (sq->text && *sq->text && split_text(sq->text, &name, id, dob, e) < 0)
		goto done;
	if (sq->name && *sq->name) {
		if (name.len)
			strbuf_addch(&name, ' ');
		strbuf_addstr(&name, sq->name);
	}
	if (sq->id && *sq->id && search_parse_id(sq->id, id) < 0) {
		herr_set(e, HT_EXIT_USAGE,
			 "'%s' is neither an ID number (12 digits) nor a CMND number (9 digits)",
			 sq->id);
		goto done;
	}
	if (sq->dob && *sq->dob && search_parse_dob(sq->dob, dob) < 0) {
		herr_set(e, HT_EXIT_USAGE,
			 "'%s' is not a date (dd/mm/yyyy, mm/yyyy, yyyy or yyyy-mm-dd)", sq->dob);
		goto done;
	}
	if (sq->year > 0)
		snprintf(year, sizeof(year), "%d", sq->year);
	if (name.len) {
		key = fold_or_null(name.buf);
		if (!key) {
			herr_set(e, HT_EXIT_USAGE, "'%s' has no letters to search for", name.buf);
			goto done;
		}
		if (vn_name_parse(name.buf, &nm, NULL) < 0)
			snprintf(nm.full, sizeof(nm.full), "%s", name.buf);
		words = key_words(key);
		letters = key_pattern(key);
	}
	if ((fkey = fold_or_null(sq->father)))
		fpat = key_words(fkey);
	if ((mkey = fold_or_null(sq->mother)))
		mpat = key_words(mkey);
	if (!key && !id[0] && !dob[0] && !sq->office && !sq->doc_type && !sq->book_no &&
	    !sq->register_no && !fkey && !mkey && !year[0]) {
		herr_set(e, HT_EXIT_USAGE,
			 "nothing to search for: give a name, a number or a date");
		goto done;
	}
	want = sq->offset + sq->limit + 1; /* one more: is there a next page? */
	if (sq->limit <= 0 || sq->offset < 0 || want > SEARCH_MAX + 1) {
		herr_set(e, HT_EXIT_USAGE, "a search shows at most its first %d records",
			 SEARCH_MAX);
		goto done;
	}
	if (db_exec(conn, "BEGIN READ ONLY", e) < 0)
		goto done;
	have_trgm = trgm_schema(conn, &trgm, e);
	if (have_trgm < 0)
		goto rollback;
	if (have_trgm && key) {
		/* the operator % and similarity() where the extension lives, for
		 * this transaction; its threshold for names a letter or two off */
		const char *p[1] = { trgm.buf };

		if (db_query_value(conn,
				   "SELECT set_config('search_path', 'hotich, ' || $1, true),"
				   " set_config('pg_trgm.word_similarity_threshold', '0.5', true)",
				   1, p, &seen, e) < 0)
			goto rollback;
	}
	if (sq->office && *sq->office) {
		int found = resolve_office(conn, sq->office, &office, e);

		if (found < 0)
			goto rollback;
		if (!found) {
			/* no such office: nothing found */
			if (db_exec(conn, "COMMIT", e) < 0)
				goto rollback;
			out->trgm = have_trgm;
			rc = 0;
			goto done;
		}
	}
	first = key ? 0 : TIER_FILTER;
	last = key ? TIER_PARTIAL : TIER_FILTER;
	v[0] = key ? nm.full : NULL;
	v[1] = key;
	v[2] = id[0] ? id : NULL;
	v[3] = dob[0] ? dob : NULL;
	v[4] = office;
	v[5] = sq->web_user_office;
	v[6] = sq->doc_type && *sq->doc_type ? sq->doc_type : NULL;
	v[7] = sq->book_no && *sq->book_no ? sq->book_no : NULL;
	v[8] = sq->register_no && *sq->register_no ? sq->register_no : NULL;
	v[9] = fkey;
	v[10] = fpat;
	v[11] = mkey;
	v[12] = mpat;
	v[13] = year[0] ? year : NULL;
	v[14] = sq->role && *sq->role ? sq->role : NULL;
	v[16] = sq->with_text ? "t" : "f";
	v[20] = nlimit;
	for (int t = first; t <= last && out->rows.n < want; t++) {
		/* the name found by a tier: the next ones only when asked */
		if (t >= 2 && out->rows.n && !sq->near)
			break;
		if (t == TIER_NEAR && !have_trgm)
			continue;
		v[15] = tier_name[t];
		v[18] = words;
		v[19] = t == TIER_PARTIAL ? letters : NULL;
		if (t == TIER_NEAR) {
			if (near_tier(conn, key, v, out, want, &seen, nlimit, sizeof(nlimit), e) <
			    0)
				goto rollback;
			continue;
		}
		if (tier_query(conn, t, v, out, want, &seen, nlimit, sizeof(nlimit), e) < 0)
			goto rollback;
	}
	if (db_exec(conn, "COMMIT", e) < 0)
		goto rollback;
	out->more = out->rows.n > sq->offset + sq->limit;
	out->trgm = have_trgm;
	rc = 0;
	goto done;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
	search_results_release(out);
done:
	free(key);
	free(words);
	free(letters);
	free(fkey);
	free(fpat);
	free(mkey);
	free(mpat);
	free(office);
	strbuf_release(&name);
	strbuf_release(&seen);
	strbuf_release(&trgm);
	return rc;
}

/* ------------------------------------------------------------------------
 * One record, for the record page and the print view
 * ---------------------------------------------------------------------- */

int search_record(PGconn *conn, long record_id, const char *office, struct db_rows *rec,
		  struct db_rows *people, struct db_rows *audit, herr *e)
{
	static const char rec_sql[] =
	    "SELECT r.record_id, r.doc_type, r.registry_office, r.book_no, r.register_no,"
	    " r.registered_on, f.path, pg.page_no, r.fields, r.mean_conf, r.record_ref,"
	    " pg.width_px, pg.height_px, pg.rotation, r.rec_index, b.name,"
	    " extract(epoch FROM r.loaded_at)::bigint, r.warnings"
	    " FROM records r JOIN pages pg ON pg.page_id = r.page_id"
	    " JOIN source_files f ON f.file_id = pg.file_id JOIN batches b ON b.batch_id = "
	    "f.batch_id"
	    " WHERE r.record_id = $1::bigint AND ($2::text IS NULL OR r.registry_office = $2)";
	static const char people_sql[] =
	    "SELECT p.role, p.full_name, p.dob, p.sex, p.id_number, m.status, m.citizen_id,"
	    " m.score, c.full_name, c.dob, c.sex, c.birthplace, c.father_name, c.mother_name,"
	    " m.decided_by, extract(epoch FROM m.decided_at)::bigint"
	    " FROM record_people p LEFT JOIN matches m ON m.record_id = p.record_id"
	    " AND m.role = p.role LEFT JOIN citizens c ON c.id_number = m.citizen_id"
	    " WHERE p.record_id = $1::bigint ORDER BY p.role";
	static const char audit_sql[] =
	    "SELECT extract(epoch FROM decided_at)::bigint, user_name, action, role, field,"
	    " before::text, after::text"
	    " FROM review_decisions WHERE record_id = $1::bigint ORDER BY decision_id";
	char idbuf[24];
	const char *v[2] = { idbuf, office };

	snprintf(idbuf, sizeof(idbuf), "%ld", record_id);
	memset(rec, 0, sizeof(*rec));
	memset(people, 0, sizeof(*people));
	memset(audit, 0, sizeof(*audit));
	if (db_exec(conn, "BEGIN READ ONLY", e) < 0)
		return -1;
	if (db_rows_query(conn, rec_sql, 2, v, rec, e) < 0)
		goto fail;
	if (rec->n == 1 && (db_rows_query(conn, people_sql, 1, v, people, e) < 0 ||
			    db_rows_query(conn, audit_sql, 1, v, audit, e) < 0))
		goto fail;
	if (db_exec(conn, "COMMIT", e) < 0)
		goto fail;
	return rec->n == 1;
fail:
	PQclear(PQexec(conn, "ROLLBACK"));
	db_rows_release(rec);
	db_rows_release(people);
	db_rows_release(audit);
	return -1;
}

/* ------------------------------------------------------------------------
 * The keys of the rows loaded before schema v8 (run by the migration)
 * ---------------------------------------------------------------------- */

static int backfill_keys(PGconn *conn, herr *e);

int search_backfill(PGconn *conn, herr *e)
{
	int trgm = search_trgm_available(conn, e);

	if (trgm < 0)
		return -1;
	if (!trgm)
		log_warning("pg_trgm is not available in this database: searches by letters of a "
			    "name or for near names will read every record");
	return backfill_keys(conn, e);
}

static int backfill_keys(PGconn *conn, herr *e)
{
	static const char sel[] = "SELECT record_id, role, father_name, mother_name"
				  " FROM record_people WHERE (father_name IS NOT NULL"
				  " AND father_key IS NULL) OR (mother_name IS NOT NULL"
				  " AND mother_key IS NULL)";
	struct db_rows rows;
	strbuf buf = STRBUF_INIT, k = STRBUF_INIT;
	int rc = -1;

	if (db_rows_query(conn, sel, 0, NULL, &rows, e) < 0)
		return -1;
	if (!rows.n) {
		db_rows_release(&rows);
		return 0;
	}
	if (db_exec(conn,
		    "CREATE TEMP TABLE search_keys (record_id bigint, role text,"
		    " father_key text, mother_key text) ON COMMIT DROP",
		    e) < 0)
		goto done;
	for (int i = 0; i < rows.n; i++) {
		db_copy_field(&buf, db_rows_get(&rows, i, 0), 0);
		db_copy_field(&buf, db_rows_get(&rows, i, 1), 0);
		for (int c = 2; c <= 3; c++) {
			strbuf_reset(&k);
			if (!db_rows_isnull(&rows, i, c))
				vn_fold(db_rows_get(&rows, i, c), -1, &k);
			db_copy_field(&buf, db_rows_isnull(&rows, i, c) ? NULL : k.buf, c == 3);
		}
	}
	if (db_copy_rows(conn, "COPY search_keys FROM STDIN", &buf, "search keys", e) < 0)
		goto done;
	if (db_exec(conn,
		    "UPDATE record_people p SET father_key = s.father_key,"
		    " mother_key = s.mother_key FROM search_keys s"
		    " WHERE p.record_id = s.record_id AND p.role = s.role",
		    e) < 0)
		goto done;
	log_info("search keys of %d people's parents stored", rows.n);
	rc = 0;
done:
	db_rows_release(&rows);
	strbuf_release(&buf);
	strbuf_release(&k);
	return rc;
}
