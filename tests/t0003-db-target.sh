#!/bin/sh
# Where the database is: --db, then DATABASE_URL, then PG* variables, then
# the local cluster; no password is ever printed.
. "$(dirname "$0")/lib/tap.sh"

db=$(new_db target)
name=${db##*dbname=}
url="postgresql://$HOTICH_TEST_PGUSER@/$name?host=$HOTICH_TEST_PGHOST"
bad="postgresql:///no_such_db?host=$T_TMP/nowhere"

t_run 0 "DATABASE_URL is used without --db" env DATABASE_URL="$url" "$HOTICH" db init
t_grep "$T_OUT" "database \"$name\"" "the schema went to DATABASE_URL's database"
t_run 0 "--db wins over DATABASE_URL" env DATABASE_URL="$bad" "$HOTICH" --db "$db" db status
t_grep "$T_OUT" '^target: +--db$' "db status names --db"
t_run 0 "the global and the command's --db are the same" env DATABASE_URL="$bad" "$HOTICH" db status --db "$db"
t_run 3 "a bad DATABASE_URL is not silently skipped" env DATABASE_URL="$bad" "$HOTICH" db status
t_grep "$T_ERR" 'could not connect to the database \(DATABASE_URL\)' "the error names DATABASE_URL"
t_run 0 "PGHOST and PGDATABASE are used when nothing else is set" \
	env PGHOST="$HOTICH_TEST_PGHOST" PGUSER="$HOTICH_TEST_PGUSER" PGDATABASE="$name" "$HOTICH" db status
t_grep "$T_OUT" '^target: +PG\* environment$' "db status names the PG* environment"
t_run 0 "DATABASE_URL wins over PG* variables" \
	env PGHOST="$T_TMP/nowhere" PGDATABASE=x DATABASE_URL="$url" "$HOTICH" db status
t_grep "$T_OUT" '^target: +DATABASE_URL$' "db status names DATABASE_URL"
t_run 3 "without any setting the local cluster is the target (status does not start it)" \
	env HOTICH_HOME="$T_TMP" "$HOTICH" db status
t_grep "$T_OUT" '^target: +local cluster$' "db status names the local cluster"
t_ok "db status created nothing" test ! -e "$T_TMP/var"

secret=Pa55-w0rd-S3cret
t_run 0 "a password in --db works" hotich --db "$db password=$secret" db status
t_nogrep "$T_OUT" "$secret" "the password is not on stdout"
t_nogrep "$T_ERR" "$secret" "the password is not on stderr"
t_run 3 "a password in a failing DATABASE_URL" \
	env DATABASE_URL="postgresql://u:$secret@/no_such_db?host=$HOTICH_TEST_PGHOST" "$HOTICH" -v db init
t_nogrep "$T_OUT" "$secret" "is not on stdout"
t_nogrep "$T_ERR" "$secret" "is not on stderr"

t_done
