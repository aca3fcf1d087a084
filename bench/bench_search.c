/*
 * bench_search.c — how fast the look-up answers (search_records, what
 * `hotich find` and the web's search page call), on a database that
 * bench_search.sh fills with two million records.
 *
 * bench_search --db CONNINFO --sample FILE
 *
 * FILE: one person a line, "full name<TAB>ID number<TAB>date of birth" (as
 * stored).  For each person, one search of each kind, a page of 20:
 *   exact     the name as written
 *   folded    without diacritics, lower case ("nguyen van hung")
 *   words     surname and given name, the middle left out
 *   near      the folded name with its last letter doubled (a typo)
 *   id        the ID number
 *   dob       the date of birth
 *   name+year the folded name and the year of birth, as TEXT
 * and prints the median and 95th percentile in milliseconds of each kind,
 * and the mean number of records found.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../loaders/loaders.h"

enum {
	K_EXACT,
	K_FOLDED,
	K_WORDS,
	K_NEAR,
	K_ID,
	K_DOB,
	K_NAME_YEAR,
	K_N
};
static const char *const kind_name[K_N] = {
	"name as written", "name without diacritics", "surname and given name", "name a letter off",
	"ID number",	   "date of birth",	      "name and year of birth"
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct series {
	double *ms;
	long found;
	int n;
};

static int one(PGconn *conn, struct search_query *sq, struct series *s)
{
	struct search_results res;
	herr e = { 0 };
	double t0 = now_ms();

	if (search_records(conn, sq, &res, &e) < 0) {
		fprintf(stderr, "bench_search: %s\n", e.msg);
		return -1;
	}
	s->ms[s->n++] = now_ms() - t0;
	s->found += res.rows.n > sq->limit ? sq->limit : res.rows.n;
	search_results_release(&res);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
					      { "sample", required_argument, NULL, 's' },
					      { NULL, 0, NULL, 0 } };
	const char *db = NULL, *sample = NULL;
	struct series s[K_N] = { { 0 } };
	struct db_target t;
	herr e = { 0 };
	PGconn *conn;
	FILE *f;
	char line[1024];
	int c, rc = 1, max = 100000;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 's')
			sample = optarg;
		else
			return 2;
	}
	if (!db || !sample) {
		fprintf(stderr, "usage: bench_search --db CONNINFO --sample FILE\n"
				"(bench_search.sh makes the database and the sample; "
				"`make bench-search`)\n");
		return 2;
	}
	if (db_target_resolve(&t, db, &e) < 0 || !(conn = db_open(&t, DB_OPEN_CHECK_SCHEMA, &e))) {
		fprintf(stderr, "bench_search: %s\n", e.msg);
		return 1;
	}
	db_target_release(&t);
	for (int k = 0; k < K_N; k++)
		s[k].ms = xcalloc((size_t)max, sizeof(double));
	f = fopen(sample, "r");
	if (!f) {
		perror(sample);
		goto out;
	}
	while (fgets(line, sizeof(line), f) && s[0].n < max) {
		char *name = strtok(line, "\t\n"), *id = strtok(NULL, "\t\n"), *dob = NULL;
		strbuf key = STRBUF_INIT, tmp = STRBUF_INIT;
		struct search_query sq = { .limit = 20 };
		char *sp, *last;

		if (!name)
			continue;
		if (id && strlen(id) != 12) { /* no ID: the next column is the date */
			dob = id;
			id = NULL;
		} else {
			dob = strtok(NULL, "\t\n");
		}
		vn_fold(name, -1, &key);
		sq.name = name;
		if (one(conn, &sq, &s[K_EXACT]) < 0)
			goto out;
		sq.name = key.buf;
		if (one(conn, &sq, &s[K_FOLDED]) < 0)
			goto out;
		sp = strchr(key.buf, ' ');
		last = strrchr(key.buf, ' ');
		if (sp && last && last != sp) {
			strbuf_add(&tmp, key.buf, (size_t)(sp - key.buf));
			strbuf_addstr(&tmp, last);
			sq.name = tmp.buf;
			if (one(conn, &sq, &s[K_WORDS]) < 0)
				goto out;
		}
		strbuf_reset(&tmp);
		strbuf_addstr(&tmp, key.buf);
		strbuf_addch(&tmp, tmp.buf[tmp.len - 1]);
		sq.name = tmp.buf;
		if (one(conn, &sq, &s[K_NEAR]) < 0)
			goto out;
		sq.name = NULL;
		if (id) {
			sq.id = id;
			if (one(conn, &sq, &s[K_ID]) < 0)
				goto out;
			sq.id = NULL;
		}
		if (dob && *dob) {
			sq.dob = dob;
			if (one(conn, &sq, &s[K_DOB]) < 0)
				goto out;
			sq.dob = NULL;
			strbuf_reset(&tmp);
			strbuf_addf(&tmp, "%s %.4s", key.buf, dob);
			sq.text = tmp.buf;
			if (one(conn, &sq, &s[K_NAME_YEAR]) < 0)
				goto out;
		}
		strbuf_release(&key);
		strbuf_release(&tmp);
	}
	for (int k = 0; k < K_N; k++) {
		int n = s[k].n;

		if (!n)
			continue;
		qsort(s[k].ms, (size_t)n, sizeof(double), cmp_double);
		printf("%-34s median %7.1f ms   p95 %7.1f ms   (%d searches, %.1f found)\n",
		       kind_name[k], s[k].ms[(n - 1) / 2], s[k].ms[(int)(0.95 * (n - 1) + 0.5)], n,
		       (double)s[k].found / n);
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	for (int k = 0; k < K_N; k++)
		free(s[k].ms);
	db_close(conn);
	return rc;
}
