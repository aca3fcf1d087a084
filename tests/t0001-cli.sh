#!/bin/sh
# The command line: help, version, usage errors and their exit codes.
. "$(dirname "$0")/lib/tap.sh"

t_run 0 "--help exits 0" hotich --help
t_grep "$T_OUT" '^Usage: hotich \[OPTIONS\] COMMAND' "--help prints the synopsis"
t_grep "$T_OUT" '^  db init\|start\|stop\|status' "--help lists the db command"
t_grep "$T_OUT" 'Exit codes: 0 done; 1 done, some inputs rejected; 2 usage error' \
	"--help documents the exit codes"
t_run 0 "-h exits 0" hotich -h
t_run 0 "--version exits 0" hotich --version
t_grep "$T_OUT" '^hotich [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the program version"
t_grep "$T_OUT" '^schema version [0-9]+$' "--version prints the schema version"
t_is "$(sed -n 1p "$T_OUT")" "$(sed -n 1p "$T_OUT" | grep -E '^hotich [0-9.]+$')" "the program's version is the first line"
t_grep "$T_OUT" '^licence: GPL-3.0-or-later' "--version names the licence"
for what in dvhcvn vietnamese-provinces-database VietnamProvinces vietnamadminunits \
	'NQ 15/2008/QH12' Tesseract Leptonica libtiff ICU libpq libsodium Jansson libmicrohttpd; do
	t_grep "$T_OUT" "$what" "--version names $what"
	t_grep "$HOTICH_SRC/THIRD-PARTY-NOTICES.md" "$what" "and so does THIRD-PARTY-NOTICES.md"
done
t_grep "$HOTICH_SRC/LICENSE" 'GNU GENERAL PUBLIC LICENSE' "LICENSE holds the GPL"

t_run 2 "no command is a usage error" hotich
t_grep "$T_ERR" "^hotich: error: no command given" "the error says what is missing"
t_grep "$T_ERR" "^Try 'hotich --help'" "and where to look"
t_run 2 "an unknown command is a usage error" hotich frobnicate
t_grep "$T_ERR" "'frobnicate' is not a hotich command" "the error names the command"
t_run 2 "an unknown option is a usage error" hotich --frobnicate db status
t_grep "$T_ERR" "unknown option '--frobnicate'" "the error names the option"
t_run 2 "--db without its argument is a usage error" hotich --db
t_grep "$T_ERR" "option '--db' needs an argument" "the error names the option"
t_nogrep "$T_OUT" '.' "usage errors print nothing on stdout"

t_run 0 "db --help exits 0" hotich db --help
t_grep "$T_OUT" '^Usage: hotich db init' "db --help prints the db synopsis"
t_run 0 "db status --help exits 0" hotich db status --help
t_run 2 "db without an action is a usage error" hotich db
t_run 2 "db with an unknown action is a usage error" hotich db migrate
t_grep "$T_ERR" "unknown action 'migrate'" "the error names the action"
t_run 2 "db init with an extra argument is a usage error" hotich db init extra
t_run 2 "db start takes no --db" hotich db start --db "dbname=x"
t_run 2 "db init takes no --listen" hotich db init --listen 127.0.0.1
t_run 2 "db start rejects a bad --listen port" env HOTICH_HOME="$T_TMP" "$HOTICH" db start --listen 127.0.0.1:99999
t_grep "$T_ERR" 'invalid port in --listen' "the error names the port"
t_ok "a usage error starts no cluster" test ! -e "$T_TMP/var/pg/data"

t_done
