#!/bin/sh
# House rules on the sources: no banned functions (unbounded copies and
# unchecked conversions), no SQL built by string formatting, and the
# database only through loaders/ (no other folder includes libpq, calls it
# or holds an SQL statement).
. "$(dirname "$0")/lib/tap.sh"
cd "${HOTICH_SRC:?}"

# every product folder, and the unit tests
product="common normalize ocr match loaders export web pipeline"
src=$(for d in $product tests/unit; do ls "$d"/*.[ch]; done 2>/dev/null)
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

# the database is loaders/' business alone
outside=$(for d in $product; do [ "$d" = loaders ] || ls "$d"/*.[ch]; done 2>/dev/null)
t_ok "the sources outside loaders/ are found" test -n "$outside"
# shellcheck disable=SC2086
grep -nE '#[[:space:]]*include[[:space:]]*[<"]libpq' $outside >"$T_TMP/pqinc" || true
t_nogrep "$T_TMP/pqinc" '.' "only loaders/ includes libpq's headers"
t_diag "$T_TMP/pqinc"
# shellcheck disable=SC2086
grep -nE '(^|[^_a-zA-Z0-9])PQ[a-zA-Z]+[[:space:]]*\(' $outside >"$T_TMP/pqcall" || true
t_nogrep "$T_TMP/pqcall" '.' "only loaders/ calls libpq"
t_diag "$T_TMP/pqcall"
# shellcheck disable=SC2086
grep -nE '"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|COPY|CREATE|ALTER|DROP|SET ROLE|SET LOCAL)[[:space:](]' \
	$outside >"$T_TMP/sqlout" || true
t_nogrep "$T_TMP/sqlout" '.' "no SQL statement outside loaders/"
t_diag "$T_TMP/sqlout"
# and the patterns see what they should: loaders/ is full of both
pq='(^|[^_a-zA-Z0-9])PQ[a-zA-Z]+[[:space:]]*\('
t_ok "the libpq pattern finds loaders/' calls" test "$(grep -cE "$pq" loaders/conn.c)" -gt 10
t_ok "the SQL pattern finds loaders/' statements" \
	test "$(grep -cE '"[[:space:]]*(SELECT|INSERT|UPDATE) ' loaders/review.c)" -gt 5

t_done
