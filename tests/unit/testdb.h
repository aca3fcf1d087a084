/*
 * testdb.h — databases on the throwaway cluster of tests/run-tests.sh for
 * the C unit tests: each test group creates its own database and drops it.
 */
#ifndef HOTICH_TESTDB_H
#define HOTICH_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "../../common/common.h"

static void testdb_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *testdb_admin(void)
{
	const char *host = getenv("HOTICH_TEST_PGHOST");
	const char *user = getenv("HOTICH_TEST_PGUSER");
	char *conninfo;
	PGconn *conn;

	if (!host || !user) {
		fprintf(stderr, "HOTICH_TEST_PGHOST is not set: run through tests/run-tests.sh\n");
		return NULL;
	}
	conninfo = xasprintf("host=%s user=%s dbname=postgres", host, user);
	conn = PQconnectdb(conninfo);
	free(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "%s", PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, testdb_quiet, NULL);
	return conn;
}

/* testdb_create: a fresh database "u_<tag>_<pid>"; returns its conninfo. */
static __attribute__((unused)) char *testdb_create(const char *tag)
{
	PGconn *admin = testdb_admin();
	char *name, *sql, *conninfo = NULL;
	PGresult *res;

	if (!admin)
		return NULL;
	name = xasprintf("u_%s_%ld", tag, (long)getpid());
	sql = xasprintf("DROP DATABASE IF EXISTS %s", name);
	PQclear(PQexec(admin, sql));
	free(sql);
	sql = xasprintf("CREATE DATABASE %s", name);
	res = PQexec(admin, sql);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		conninfo = xasprintf("host=%s user=%s dbname=%s", getenv("HOTICH_TEST_PGHOST"),
				     getenv("HOTICH_TEST_PGUSER"), name);
	else
		fprintf(stderr, "%s", PQerrorMessage(admin));
	PQclear(res);
	free(sql);
	free(name);
	PQfinish(admin);
	return conninfo;
}

static __attribute__((unused)) void testdb_drop(const char *tag)
{
	PGconn *admin = testdb_admin();
	char *sql;

	if (!admin)
		return;
	sql = xasprintf("DROP DATABASE IF EXISTS u_%s_%ld WITH (FORCE)", tag, (long)getpid());
	PQclear(PQexec(admin, sql));
	free(sql);
	PQfinish(admin);
}

#endif
