#!/bin/sh
# reliability.sh BUILD_DIR — `make reliability`: the reliability and
# security suite in a few minutes, then its figures as the table of the
# README ("Reliability").  Runs, against a throwaway cluster:
#   t0011 database stopped mid-batch    t0015 20 kill -9 seeds, frozen worker
#   t0012 web security (HTTP)           t0016 disk of ./var full
#   t0014 hostile and broken inputs     t0017 route x role authorization
#   t0018 web load during a batch (wrk)
# then every libFuzzer target for FUZZ_SECONDS (default 10) each.
# The table goes to stdout and to build/reliability.md.
set -eu
O=${1:?usage: reliability.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/reliability
mkdir -p "$out"
figs=$out/figures.txt
: >"$figs"
export HOTICH_RELIABILITY_OUT="$top/$figs"
start=$(date +%s)
rc=0
sh tests/run-tests.sh "$O" tests/t0011-batch-faults.sh tests/t0012-web.sh \
	tests/t0014-hostile.sh tests/t0015-faults.sh tests/t0016-disk-full.sh \
	tests/t0017-authz.sh tests/t0018-load.sh 2>&1 | tee "$out/tests.log" || rc=1
grep -q '^Result: PASS' "$out/tests.log" || rc=1
tests_s=$(($(date +%s) - start))
fz=$(date +%s)
make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}" >"$out/fuzz.log" 2>&1 || rc=1
fuzz_s=$(($(date +%s) - fz))

get() { sed -n "s/^$1=//p" "$figs" | tail -1; }
passed=$(awk '/^Files=/ { print $2 }' "$out/tests.log" | tr -d ',')
ntests=$(sed -n 's/.*Tests=\([0-9]*\),.*/\1/p' "$out/tests.log" | tail -1)
{
	echo "| what | result |"
	echo "|---|---|"
	echo "| hostile and broken inputs (\`t0014\`) | $(get hostile_tried) tried: $(get hostile_rejected) rejected with a reason, $(get hostile_read) read; the good scans beside them loaded; peak memory $(get hostile_peak_mb) MB (cap: 1 GiB per process, from the 100-megapixel and 2,000-page limits) |"
	echo "| kill -9 at random moments (\`t0015\`) | $(get kill_seeds) seeds ($(get kill_whole) of the whole run, $(get kill_worker) of one worker): survived $(get kill_survived)/$(get kill_seeds); records lost $(get kill_lost), duplicated $(get kill_extra) against a fault-free load |"
	echo "| worker frozen past its lease (\`t0015\`) | late result not stored twice: $( [ "$(get lease_ok)" = 1 ] && echo yes || echo NO) |"
	echo "| PostgreSQL stopped mid-batch (\`t0011\`) | exit 3 with the reason; the re-run finished, every record once |"
	echo "| disk of ./var full (\`t0016\`) | exit $(get disk_full_exit) with \"No space left on device\"; after freeing space the re-run finished, every record once |"
	echo "| web load during a batch (\`t0018\`) | $(get load_requests) requests in $(get load_seconds) s ($(get load_rps)/s), p50 $(get load_p50), p99 $(get load_p99), $(get load_errors) errors; the batch finished, 40 pages, no record twice |"
	echo "| authorization (\`t0017\`) | $(get authz_cells) route x role cells, $(get authz_wrong) wrong; sessions dead after logout; no password in logs; the serving role cannot alter the audit log (\`t0012\`) |"
	for t in $(sed -n 's/^fuzz: \([a-z0-9]*\) for.*/\1/p' "$out/fuzz.log"); do
		runs=$(awk -v t="$t" '$1 == t && /number_of_executed_units/ { print $NF }' "$out/fuzz.log")
		rss=$(awk -v t="$t" '$1 == t && /peak_rss_mb/ { print $NF }' "$out/fuzz.log")
		echo "| fuzzing \`$t\` | ${FUZZ_SECONDS:-10} s, ${runs:-?} inputs, no crash, peak ${rss:-?} MB |"
	done
	echo
	echo "$ntests checks in ${tests_s} s; fuzzing ${fuzz_s} s (with the clang build). $( [ $rc = 0 ] && echo 'All passed.' || echo 'SOMETHING FAILED: see build/reliability/.')"
} | tee "$out/../reliability.md"
: "$passed"
exit $rc
