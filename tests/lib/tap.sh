# tap.sh — TAP output for the shell tests (sourced).  Each test file ends
# with `t_done`, which prints the plan; prove counts and summarizes.
#
#   t_ok CMD...              ok when CMD succeeds
#   t_is GOT WANT DESC       ok when the strings are equal
#   t_run WANT_RC DESC CMD...
#                            run CMD with stdout in $T_OUT, stderr in $T_ERR
#                            (files); ok when it exits with WANT_RC
#   t_grep FILE REGEX DESC   ok when FILE has a line matching REGEX (grep -E)
#   t_nogrep FILE REGEX DESC ok when it has none
#   new_db NAME              create a fresh database on the test cluster and
#                            print its conninfo
set -u
T_N=0
T_FAILED=0
T_TMP=$(mktemp -d /tmp/hotich-t.XXXXXX)
T_OUT=$T_TMP/stdout
T_ERR=$T_TMP/stderr
trap 'rm -rf "$T_TMP"' EXIT
: "${HOTICH:?HOTICH must name the hotich binary (tests/run-tests.sh sets it)}"
case $HOTICH in /*) ;; *) HOTICH=$PWD/$HOTICH ;; esac
if [ -n "${HOTICH_VALGRIND:-}" ]; then
	HOTICH_CMD="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --trace-children=no $HOTICH"
else
	HOTICH_CMD=$HOTICH
fi
# Keep the tests away from a user's database and ./var.
unset DATABASE_URL PGHOST PGDATABASE PGPORT PGUSER PGSERVICE PGPASSWORD HOTICH_HOME

hotich() {
	# shellcheck disable=SC2086
	$HOTICH_CMD "$@"
}

t_result() {
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

t_diag() {
	sed 's/^/# /' "$@"
}

t_ok() {
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then t_result 0 "$desc"; else t_result 1 "$desc"; fi
}

t_is() {
	if [ "$1" = "$2" ]; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

t_run() {
	want=$1
	desc=$2
	shift 2
	rc=0
	"$@" >"$T_OUT" 2>"$T_ERR" </dev/null || rc=$?
	if [ "$rc" -eq "$want" ]; then
		t_result 0 "$desc"
	else
		t_result 1 "$desc (exit $rc, want $want)"
		echo "# stdout:"
		t_diag "$T_OUT"
		echo "# stderr:"
		t_diag "$T_ERR"
	fi
}

t_grep() {
	if grep -Eq -- "$2" "$1"; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		echo "# no line matches /$2/ in:"
		t_diag "$1"
	fi
}

t_nogrep() {
	if grep -Eq -- "$2" "$1"; then
		t_result 1 "$3"
		echo "# a line matches /$2/ in:"
		t_diag "$1"
	else
		t_result 0 "$3"
	fi
}

t_psql() {
	# t_psql CONNINFO SQL: one unaligned value per line
	psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

new_db() {
	: "${HOTICH_TEST_PGHOST:?the throwaway cluster is not running}"
	name="t_$1_$$"
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" \
		-d postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
	echo "host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=$name"
}

t_done() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}
