#!/bin/sh
# run-tests.sh BUILD_DIR [TEST...] — run the suite: the cmocka unit tests in
# BUILD_DIR/tests and the shell tests tests/tNNNN-*.sh, under prove (TAP),
# against a throwaway PostgreSQL cluster started here and removed at the end.
# HOTICH_VALGRIND=1 runs every hotich and unit-test process under valgrind.
set -eu
O=${1:?usage: run-tests.sh BUILD_DIR [TEST...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/lib/pgtmp.sh"

export OMP_THREAD_LIMIT=1
export HOTICH="$top/$O/hotich"
export HOTICH_TEST_BIN="$top/$O/tests"
export HOTICH_BUILD="$top/$O"
export HOTICH_SRC="$top"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"

pgtmp_start
trap pgtmp_stop EXIT INT TERM

if [ $# -gt 0 ]; then
	tests="$*"
else
	tests="$(find "$top/$O/tests" -maxdepth 1 -type f -name "test_*" ! -name "*.d" 2>/dev/null | sort) $(ls "$here"/t[0-9]*.sh)"
fi
if [ -n "${HOTICH_VALGRIND:-}" ]; then
	exec_wrap="$here/lib/valgrind-exec.sh"
else
	exec_wrap=
fi
cd "$top"
# prove prints each file's result, then "All tests successful." and the
# totals, or the list of failures.
# shellcheck disable=SC2086
prove ${PROVE_FLAGS:-} --timer --exec "$exec_wrap" $tests
