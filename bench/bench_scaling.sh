#!/bin/sh
# bench_scaling.sh HOTICH [SET_DIR] [REPEAT] — how the nightly batch scales
# with the cores, on a throwaway PostgreSQL cluster:
#
#   hotich run --jobs 1 and --jobs 2 over the same pages (at least 200, a
#   set of hotich-fixtures: --set large --seed 7 --pages 200 unless SET_DIR
#   holds one), each from the same database (schema, registry, inventory),
#   REPEAT times (default 3) in alternating order; for each run the pages
#   per minute and its steps apart: the serial ones (finding the files,
#   the registry's names for the workers, the matching, the closing
#   commit) and those done while the workers read (hashing and queueing
#   the files, loading the registry for matching); the ratio of each pair
#   and their spread.
#   hotich worker: one and two workers (separate processes, as on other
#   hosts) beside `hotich run --jobs 0`, which queues, waits and matches.
#
#   the machine: one `hotich ocr` over 24 pages against two at once over
#   12 each, the most two processes gain here (the cores may share more
#   than the operating system says).
#
# The machine's load (1-minute average) is printed before and after each
# run: the ratio means something only when nothing else runs.  With
# BENCH_QUIET=L each run first waits (up to 20 minutes) for the load to
# fall under L.
set -eu
HOTICH=${1:?usage: bench_scaling.sh HOTICH [SET_DIR] [REPEAT]}
case $HOTICH in /*) ;; *) HOTICH=$PWD/$HOTICH ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
SET=${2:-$top/build/bench-scaling}
REPEAT=${3:-3}
. "$top/tests/lib/pgtmp.sh"
export OMP_THREAD_LIMIT=1
if [ ! -d "$SET/scans" ]; then
	"${FIXTURES:-$top/build/release/hotich-fixtures}" --set large --seed 7 --pages 200 \
		--out "$SET" >/dev/null
fi
pgtmp_start
tmp=$(mktemp -d /tmp/hotich-bench.XXXXXX)
workers=
trap 'for w in $workers; do kill "$w" 2>/dev/null; done; pgtmp_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

psql_admin() { psql -X -q -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" -d postgres "$@"; }
conninfo() { echo "host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=$1"; }
fresh() { # a database copied from the prepared one
	PGOPTIONS="-c client_min_messages=warning" psql_admin -c "DROP DATABASE IF EXISTS $1" \
		-c "CREATE DATABASE $1 TEMPLATE bench_tpl" >/dev/null
	conninfo "$1"
}
load() { cut -d' ' -f1 /proc/loadavg; }
quiet() { # wait for the machine to be quiet (BENCH_QUIET), at most 20 minutes
	[ -n "${BENCH_QUIET:-}" ] || return 0
	k=0
	while [ $k -lt 240 ] && [ "$(awk -v q="$BENCH_QUIET" '{ print ($1 < q) }' /proc/loadavg)" = 0 ]; do
		sleep 5
		k=$((k + 1))
	done
}
field() { # JSON-FILE KEY...: a number of the summary
	/usr/bin/python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[k]
print(v)' "$@"
}

PGOPTIONS="-c client_min_messages=warning" psql_admin -c "DROP DATABASE IF EXISTS bench_tpl" \
	-c "CREATE DATABASE bench_tpl" >/dev/null
tpl=$(conninfo bench_tpl)
"$HOTICH" --db "$tpl" db init >/dev/null
"$HOTICH" --db "$tpl" registry import "$SET/registry.csv" >/dev/null
"$HOTICH" --db "$tpl" inventory import "$SET/inventory.csv" >/dev/null
files=$(find "$SET/scans" -type f | wc -l)
echo "bench_scaling: $(getconf _NPROCESSORS_ONLN) cores; $files files of $SET/scans; registry of $(($(wc -l <"$SET/registry.csv") - 1)) citizens"
echo
# --- the machine's own ceiling: independent processes ------------------------
find "$SET/scans" -name '*.tif' | sort | head -24 >"$tmp/f24"
head -12 "$tmp/f24" >"$tmp/fa"
tail -12 "$tmp/f24" >"$tmp/fb"
quiet
l=$(load)
t0=$(date +%s.%N)
xargs "$HOTICH" ocr <"$tmp/f24" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
xargs "$HOTICH" ocr <"$tmp/fa" >/dev/null 2>&1 &
xargs "$HOTICH" ocr <"$tmp/fb" >/dev/null 2>&1 || true
wait
t2=$(date +%s.%N)
echo "$t0 $t1 $t2 $l $(load)" | awk '{ printf "the machine: hotich ocr over 24 pages %.1f s alone, %.1f s as two processes of 12: %.3fx (load %s before, %s after)\n\n", $2 - $1, $3 - $2, ($2 - $1) / ($3 - $2), $4, $5 }'

printf '%-4s %-5s %5s %5s %7s %8s | %6s %6s %6s %6s | %6s %8s\n' run jobs load after "s" pages/min \
	find names match close register registry
ratios=
i=1
while [ "$i" -le "$REPEAT" ]; do
	order="1 2"
	[ $((i % 2)) -eq 0 ] && order="2 1"
	for jobs in $order; do
		d=$(fresh "bench_j$jobs")
		quiet
		l=$(load)
		"$HOTICH" --db "$d" run -q --json --jobs "$jobs" --batch "b$i" "$SET/scans" >"$tmp/r$jobs.json"
		s=$(field "$tmp/r$jobs.json" elapsed_s)
		ppm=$(field "$tmp/r$jobs.json" pages_per_min)
		eval "ppm$jobs=$ppm"
		printf '%-4s %-5s %5s %5s %7.1f %8.1f | %6.2f %6.2f %6.2f %6.2f | %6.2f %8.2f\n' "$i" "$jobs" "$l" "$(load)" "$s" "$ppm" \
			"$(field "$tmp/r$jobs.json" timing find_s)" "$(field "$tmp/r$jobs.json" timing names_s)" \
			"$(field "$tmp/r$jobs.json" timing match_s)" "$(field "$tmp/r$jobs.json" timing close_s)" \
			"$(field "$tmp/r$jobs.json" timing register_s)" "$(field "$tmp/r$jobs.json" timing registry_s)"
	done
	r=$(echo "$ppm2 $ppm1" | awk '{ printf "%.3f", $1 / $2 }')
	ratios="$ratios $r"
	i=$((i + 1))
done
if [ "$REPEAT" -gt 0 ]; then # REPEAT=0: the workers alone
	pages=$(field "$tmp/r1.json" pages read)
	echo
	echo "$pages pages: --jobs 2 / --jobs 1 =$ratios (each pair)" | sed 's/= /= /'
	echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { printf "  min %.3f, median %.3f, max %.3f over %d pairs\n", v[1], v[int((NR + 1) / 2)], v[NR], NR }'
	echo "  (serial: find, names, match, close; while the workers read: register, registry)"
fi
echo

# --- hotich worker: 1 and 2 beside run --jobs 0 ------------------------------
for n in 1 2; do
	d=$(fresh "bench_w$n")
	quiet
	l=$(load)
	"$HOTICH" --db "$d" run -q --json --jobs 0 --batch "w$n" "$SET/scans" >"$tmp/w$n.json" &
	run=$!
	# the workers start in another folder, as on another host: the queue
	# names the files by their absolute paths
	sleep 1
	workers=
	k=1
	while [ "$k" -le "$n" ]; do
		(cd "$tmp" && HOTICH_HOST="bench-host-$k" exec "$HOTICH" --db "$d" worker --wait 600 >/dev/null 2>&1) &
		workers="$workers $!"
		k=$((k + 1))
	done
	wait "$run" || echo "hotich run --jobs 0 exited $? (see its summary)"
	for w in $workers; do kill "$w" 2>/dev/null || true; wait "$w" || true; done
	workers=
	echo "hotich worker x$n beside run --jobs 0 (load $l before, $(load) after): $(field "$tmp/w$n.json" pages_per_min | awk '{ printf "%.1f", $1 }') pages/min over $(field "$tmp/w$n.json" pages read) pages, $(field "$tmp/w$n.json" elapsed_s | awk '{ printf "%.1f", $1 }') s"
done
