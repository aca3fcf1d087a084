#!/bin/sh
# bench_batch.sh HOTICH [REGISTRY.csv] — the batch's figures against peers
# measured in the same run, on a throwaway PostgreSQL cluster:
#
#   registry import   rows per second of `hotich registry import` (parse,
#                     normalize, COPY into staging, upsert), against psql's
#                     \copy of the same file into a bare table (COPY alone)
#   hotich run        pages per minute with --jobs 1 and --jobs 2 on the
#                     committed fixture scans, the scaling ratio, against the
#                     plain `tesseract FILE - -l vie` on the same files
#   loading           bench_load on the imported registry: records stored as
#                     the workers store them, matches stored by COPY, against
#                     COPY alone of the same rows into bare tables
#   end to end        the whole fixture batch: registry, inventory, run,
#                     report
set -eu
HOTICH=${1:?usage: bench_batch.sh HOTICH [REGISTRY.csv]}
case $HOTICH in /*) ;; *) HOTICH=$PWD/$HOTICH ;; esac
REGISTRY=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
small=$top/fixtures/small
. "$top/tests/lib/pgtmp.sh"
export OMP_THREAD_LIMIT=1
pgtmp_start
tmp=$(mktemp -d /tmp/hotich-bench.XXXXXX)
trap 'pgtmp_stop; rm -rf "$tmp"' EXIT INT TERM

db() { # a fresh database's conninfo
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" -d postgres \
		-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	echo "host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=$1"
}
secs() { date +%s.%N; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }

echo "bench_batch: $(getconf _NPROCESSORS_ONLN) cores, $(find "$small/scans" -type f | wc -l) fixture files"
echo

# --- registry import ---------------------------------------------------------
if [ -n "$REGISTRY" ] && [ -f "$REGISTRY" ]; then
	rows=$(($(wc -l <"$REGISTRY") - 1))
	d=$(db bench_reg)
	"$HOTICH" --db "$d" db init >/dev/null
	t0=$(secs)
	"$HOTICH" --db "$d" registry import "$REGISTRY" >"$tmp/imp" 2>&1 || true
	t1=$(secs)
	ours=$(echo "$rows $t0 $t1" | awk '{ printf "%.0f", $1 / ($3 - $2) }')
	psql -X -q "$d" -c "CREATE TABLE bare (id text, name text, dob text, sex text, place text, father text, mother text)" >/dev/null
	t0=$(secs)
	psql -X -q "$d" -c "\\copy bare FROM '$REGISTRY' WITH (FORMAT csv, HEADER true)" >/dev/null
	t1=$(secs)
	peer=$(echo "$rows $t0 $t1" | awk '{ printf "%.0f", $1 / ($3 - $2) }')
	printf "%s\n" "registry import of $rows rows: $ours rows/s (normalized, upserted); psql \\copy into a bare table: $peer rows/s; ratio $(ratio "$ours" "$peer")"
	t0=$(secs)
	"$HOTICH" --db "$d" registry import "$REGISTRY" >"$tmp/imp2" 2>&1 || true
	t1=$(secs)
	echo "  the same file again (nothing changes): $(echo "$rows $t0 $t1" | awk '{ printf "%.0f", $1 / ($3 - $2) }') rows/s; $(grep -o '[0-9]* unchanged' "$tmp/imp2")"
	echo
	# the records of a batch and their matches, against this registry
	"${BENCH_LOAD:-$top/build/release/bench_load}" --db "$d" --pages "${LOAD_PAGES:-20000}"
	echo
fi

# --- hotich run, 1 and 2 jobs, against tesseract -------------------------------
pages=0
for jobs in 1 2; do
	d=$(db bench_run$jobs)
	"$HOTICH" --db "$d" db init >/dev/null
	"$HOTICH" --db "$d" registry import "$small/registry.csv" >/dev/null
	t0=$(secs)
	"$HOTICH" --db "$d" run -q --jobs $jobs --json "$small/scans" >"$tmp/run$jobs.json"
	t1=$(secs)
	pages=$(sed -n 's/^  "read": \([0-9]*\).*/\1/p' "$tmp/run$jobs.json" | head -1)
	eval "ppm$jobs=\$(echo \"$pages $t0 $t1\" | awk '{ printf \"%.1f\", \$1 * 60 / (\$3 - \$2) }')"
done
t0=$(secs)
find "$small/scans" -type f | sort | while read -r f; do
	tesseract "$f" - -l vie >/dev/null 2>&1
done
t1=$(secs)
peer=$(echo "$pages $t0 $t1" | awk '{ printf "%.1f", $1 * 60 / ($3 - $2) }')
echo "hotich run on $pages pages (OCR, matching, loading): --jobs 1 $ppm1 pages/min, --jobs 2 $ppm2 pages/min; scaling $(ratio "$ppm2" "$ppm1") on $(getconf _NPROCESSORS_ONLN) cores"
echo "  tesseract FILE - -l vie, one after the other: $peer pages/min; hotich --jobs 1 is $(ratio "$ppm1" "$peer")x, --jobs 2 is $(ratio "$ppm2" "$peer")x"
echo

# --- end to end --------------------------------------------------------------
d=$(db bench_e2e)
t0=$(secs)
"$HOTICH" --db "$d" db init >/dev/null
"$HOTICH" --db "$d" registry import "$small/registry.csv" >/dev/null
"$HOTICH" --db "$d" inventory import "$small/inventory.csv" >/dev/null
"$HOTICH" --db "$d" run -q "$small/scans" >/dev/null
"$HOTICH" --db "$d" report >/dev/null
t1=$(secs)
echo "the fixture batch end to end (schema, registry, inventory, run, report): $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
