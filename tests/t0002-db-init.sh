#!/bin/sh
# hotich db init and db status against a database of the throwaway cluster:
# create, no-op, newer schema refused, unreachable database.
. "$(dirname "$0")/lib/tap.sh"

db=$(new_db init)
# the binary's version: its last migration (so that a new one changes no test)
v=$(ls "$HOTICH_SRC"/loaders/migrations/[0-9][0-9][0-9][0-9]_*.sql | wc -l | tr -d ' ')

t_run 0 "db status answers before the schema exists" hotich --db "$db" db status
t_grep "$T_OUT" '^schema: +none' "db status says there is no schema"
t_run 0 "db init creates the schema" hotich --db "$db" db init
t_grep "$T_OUT" "^schema created at version $v \\(database \"t_init_[0-9]+\"" "db init says it created the schema"
before=$(t_psql "$db" "SELECT count(*) || ':' || max(applied_at) FROM hotich.schema_version")
t_run 0 "db init a second time succeeds" hotich db init --db "$db"
t_grep "$T_OUT" "^schema is up to date at version $v" "and says there was nothing to do"
after=$(t_psql "$db" "SELECT count(*) || ':' || max(applied_at) FROM hotich.schema_version")
t_is "$after" "$before" "the second db init changed nothing"
t_is "$(t_psql "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'hotich'")" 20 \
	"the schema has its 20 tables (keying's keyings and keying_settings the last)"

t_run 0 "db status on an initialized database" hotich --db "$db" db status
t_grep "$T_OUT" '^target: +--db$' "db status names where the connection came from"
t_grep "$T_OUT" "^schema: +version $v \\(up to date\\)" "db status gives the schema version"
t_grep "$T_OUT" '^contents: +0 batches, 0 files \(0 rejected\), 0 pages, 0 records' "db status counts the contents"

t_psql "$db" "INSERT INTO hotich.schema_version (version, name, checksum) VALUES (99, 'future', 'x')" >/dev/null
t_run 3 "db init refuses a schema newer than the binary" hotich --db "$db" db init
t_grep "$T_ERR" "schema is at version 99, newer than this hotich knows \\(version $v\\)" "with a clear message"
t_is "$(t_psql "$db" "SELECT count(*) FROM hotich.schema_version")" $((v + 1)) "and touches nothing"
t_run 3 "db status exits 3 on a newer schema" hotich --db "$db" db status

t_run 3 "an unreachable database exits 3" hotich --db "host=$T_TMP/nowhere dbname=x" db init
t_grep "$T_ERR" '^hotich: error: could not connect to the database \(--db\)' "the error says where the connection came from"
t_run 3 "a database that does not exist exits 3" hotich --db "host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=no_such_db" db status
t_grep "$T_ERR" 'database "no_such_db" does not exist' "libpq's reason is passed on"

t_done
