#!/bin/sh
# bench_book.sh HOTICH [BOOK_DIR] [MIXED_DIR] — issue 27's figures: how fast
# hotich reads against the plain tesseract command, on one office's register
# book and on the mixed fixture set, and what the nightly batch keeps of it
# end to end, on a throwaway PostgreSQL cluster:
#
#   book      bench_ocr --no-ablation --book-row on BOOK_DIR (default build/bench-book,
#             made by `hotich-fixtures --set book --seed 2701`: 200 birth
#             records of one office, one typesetting, one print template,
#             one scanner; every page scanned with its own skew and grain):
#             hotich ocr and `tesseract FILE - -l vie` file by file in turn
#   mixed     the same on MIXED_DIR (default fixtures/small: 40 pages, every
#             form, every page typeset and scanned its own way)
#   run       `hotich run --jobs 1` over the book (files found, hashed,
#             queued, read, loaded, matched against the registry, committed)
#             and `hotich ocr --json` alone over the same files, back to
#             back, twice in alternating order (BENCH_ORDERS="run-ocr
#             ocr-run"); pages per minute per core of each and their ratio
#
# BENCH_SKIP=ocr skips the two bench_ocr runs (only the end-to-end part).
set -eu
HOTICH=${1:?usage: bench_book.sh HOTICH [BOOK_DIR] [MIXED_DIR]}
case $HOTICH in /*) ;; *) HOTICH=$PWD/$HOTICH ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
BOOK=${2:-$top/build/bench-book}
MIXED=${3:-$top/fixtures/small}
O=$(dirname "$HOTICH")/build/release
[ -x "$O/bench_ocr" ] || O=$top/build/release
. "$top/tests/lib/pgtmp.sh"
export OMP_THREAD_LIMIT=1
if [ ! -f "$BOOK/truth.jsonl" ]; then
	"${FIXTURES:-$O/hotich-fixtures}" --set book --seed 2701 --out "$BOOK" >/dev/null
fi
secs() { date +%s.%N; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }
ppm() { echo "$1 $2 $3" | awk '{ printf "%.1f", $1 * 60 / ($3 - $2) }'; }

if [ "${BENCH_SKIP:-}" != ocr ]; then
	echo "== book: $BOOK"
	"$O/bench_ocr" --set "$BOOK" --no-ablation --book-row
	echo
	echo "== mixed: $MIXED"
	"$O/bench_ocr" --set "$MIXED" --no-ablation --book-row
	echo
fi

pgtmp_start
tmp=$(mktemp -d /tmp/hotich-bench.XXXXXX)
trap 'pgtmp_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
psql_admin() { psql -X -q -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" -d postgres "$@"; }
conninfo() { echo "host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=$1"; }
PGOPTIONS="-c client_min_messages=warning" psql_admin -c "DROP DATABASE IF EXISTS book_tpl" \
	-c "CREATE DATABASE book_tpl" >/dev/null
tpl=$(conninfo book_tpl)
"$HOTICH" --db "$tpl" db init >/dev/null
"$HOTICH" --db "$tpl" registry import "$BOOK/registry.csv" >/dev/null
"$HOTICH" --db "$tpl" inventory import "$BOOK/inventory.csv" >/dev/null
find "$BOOK/scans" -type f | sort >"$tmp/files"
echo "== end to end: $(wc -l <"$tmp/files") files of $BOOK/scans, one core"
n=0
for order in ${BENCH_ORDERS:-run-ocr ocr-run}; do
	for step in ${order%-*} ${order#*-}; do
		n=$((n + 1))
		if [ "$step" = run ]; then
			PGOPTIONS="-c client_min_messages=warning" psql_admin \
				-c "DROP DATABASE IF EXISTS book_run" \
				-c "CREATE DATABASE book_run TEMPLATE book_tpl" >/dev/null
			t0=$(secs)
			"$HOTICH" --db "$(conninfo book_run)" run -q --jobs 1 --json "$BOOK/scans" >"$tmp/run.json"
			t1=$(secs)
			pages=$(sed -n 's/^  "read": \([0-9]*\).*/\1/p' "$tmp/run.json" | head -1)
			matched=$(psql -X -A -t -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" -d book_run \
				-c "SELECT format('%s records, %s', (SELECT count(*) FROM hotich.records), (SELECT count(*) FROM hotich.matches))" 2>/dev/null || echo '?')
			run_ppm=$(ppm "$pages" "$t0" "$t1")
			echo "  hotich run --jobs 1: $pages pages in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s, $run_ppm pages/min ($matched matches stored)"
		else
			t0=$(secs)
			xargs "$HOTICH" ocr --json <"$tmp/files" >"$tmp/ocr.jsonl" 2>/dev/null || true
			t1=$(secs)
			pages=$(/usr/bin/python3 -c 'import json, sys
s = set()
for l in open(sys.argv[1]):
    o = json.loads(l)
    s.add((o.get("file"), o.get("page")))
print(len(s))' "$tmp/ocr.jsonl")
			ocr_ppm=$(ppm "$pages" "$t0" "$t1")
			echo "  hotich ocr --json:   $pages pages in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s, $ocr_ppm pages/min"
		fi
	done
	echo "  run / ocr: $(ratio "$run_ppm" "$ocr_ppm")"
done
