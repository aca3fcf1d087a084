#!/bin/sh
# House rules on the sources: no banned functions (unbounded copies and
# unchecked conversions), no SQL built by string formatting.
. "$(dirname "$0")/lib/tap.sh"
cd "${HOTICH_SRC:?}"

src=$(ls common/*.[ch] loaders/*.[ch] pipeline/*.[ch] export/*.[ch] tests/unit/*.[ch] 2>/dev/null)
banned='(^|[^_a-zA-Z0-9])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok|asctime|ctime|gmtime|localtime|tmpnam|mktemp)[[:space:]]*\('
# shellcheck disable=SC2086
grep -nE "$banned" $src >"$T_TMP/banned" || true
t_nogrep "$T_TMP/banned" '.' "no banned function is called (strcpy, sprintf, atoi, strtok, ...)"
t_diag "$T_TMP/banned"
# shellcheck disable=SC2086
grep -nE '(snprintf|strbuf_addf|xasprintf)\([^;]*"(SELECT|INSERT|UPDATE|DELETE) [^;]*%s' $src \
	| grep -v '^tests/' >"$T_TMP/sqlfmt" || true
t_nogrep "$T_TMP/sqlfmt" '.' "no SQL statement is built with a %s format outside tests"
t_diag "$T_TMP/sqlfmt"

# the export stage reaches the database only through loaders/
grep -nE 'libpq-fe\.h|[^a-z_]PQ[a-z]+\(|SELECT |INSERT |UPDATE ' export/*.[ch] >"$T_TMP/exportdb" || true
t_nogrep "$T_TMP/exportdb" '.' "export/ includes no libpq header and holds no SQL"
t_diag "$T_TMP/exportdb"

t_done
