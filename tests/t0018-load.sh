#!/bin/sh
# Load: while a batch runs with 2 workers on the 40 fixture pages, wrk keeps
# 4 connections busy on loopback for $HOTICH_LOAD_SECONDS (default 10) with
# dashboard requests (a manager) and review-queue requests (a reviewer).
# Every answer must be a success (no error, no 5xx), and the batch must
# finish with every record once.  Throughput and p50/p99 latency are
# printed (and kept for the README's reliability table).
. "$(dirname "$0")/lib/tap.sh"
if [ -n "${HOTICH_VALGRIND:-}" ]; then
	# timing-based (kills, leases, load): valgrind's slowness makes them
	# meaningless; they run in the plain and the ASan+UBSan suites
	echo "1..0 # SKIP under valgrind"
	exit 0
fi
small=$HOTICH_SRC/fixtures/small
secs=${HOTICH_LOAD_SECONDS:-10}
command -v wrk >/dev/null || {
	t_result 1 "wrk is installed (make test installs it)"
	t_done
	exit 1
}
db=$(new_db load)
hotich --db "$db" db init >/dev/null
hotich --db "$db" registry import "$small/registry.csv" >/dev/null
hotich --db "$db" inventory import "$small/inventory.csv" >/dev/null
# a first batch, so that the dashboard and the queue have something to show
mkdir -p "$T_TMP/first"
cp "$small/scans/xa-chu-trinh/quyen-03/000007.tif" "$small/scans/xa-co-ba/quyen-05/000004.tif" "$T_TMP/first/"
hotich --db "$db" run -q --jobs 2 --batch first "$T_TMP/first" >/dev/null 2>&1
psql -X -q -d "$db" -c "UPDATE hotich.matches SET status = 'review' WHERE match_id IN (SELECT match_id FROM hotich.matches WHERE citizen_id IS NOT NULL ORDER BY match_id LIMIT 2)" >/dev/null
printf 'reviewer-pass-1\n' | "$HOTICH" --db "$db" user add rita --role reviewer >/dev/null
printf 'manager-pass-1\n' | "$HOTICH" --db "$db" user add max --role manager >/dev/null

port=$((29000 + $$ % 3000))
B=http://127.0.0.1:$port
(cd "$T_TMP" && exec "$HOTICH" --db "$db" serve --listen "127.0.0.1:$port" --threads 4 >/dev/null 2>"$T_TMP/serve.err") &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$T_TMP"' EXIT
i=0
until curl -sf "$B/healthz" >/dev/null || [ $i -gt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
session() { # session USER PASSWORD: the session token
	jar=$T_TMP/$1
	tok=$(curl -s -c "$jar" -b "$jar" "$B/login" | sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -o /dev/null -c "$jar" -b "$jar" --data "login_token=$tok&user=$1&password=$2" "$B/login"
	awk '$6 == "hotich_session" { print $7 }' "$jar"
}
rs=$(session rita reviewer-pass-1)
ms=$(session max manager-pass-1)
t_ok "two sessions" test -n "$rs" -a -n "$ms"
cat >"$T_TMP/mix.lua" <<EOF
-- alternate: the dashboard as a manager, the queue as a reviewer
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("GET", "/dashboard", { ["Cookie"] = "hotich_session=$ms" })
  else
    return wrk.format("GET", "/review", { ["Cookie"] = "hotich_session=$rs" })
  end
end
EOF

# the batch and the load at the same time
"$HOTICH" --db "$db" run -q --jobs 2 --batch load "$small/scans" >"$T_TMP/run.out" 2>"$T_TMP/run.err" &
rpid=$!
wrk -t 2 -c 4 -d "${secs}s" --timeout 10s --latency -s "$T_TMP/mix.lua" "$B" >"$T_TMP/wrk.out" 2>&1
rc=0
wait $rpid || rc=$?
t_diag "$T_TMP/wrk.out"
t_ok "the batch under load finished (exit $rc)" test "$rc" -le 1
reqs=$(awk '/requests in/ { print $1 }' "$T_TMP/wrk.out")
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$T_TMP/wrk.out")
p50=$(awk '$1 == "50%" { print $2 }' "$T_TMP/wrk.out")
p99=$(awk '$1 == "99%" { print $2 }' "$T_TMP/wrk.out")
non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$T_TMP/wrk.out")
sockline=$(grep 'Socket errors' "$T_TMP/wrk.out" || true)
sockerr=$(echo "$sockline" | awk '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n }')
t_ok "wrk made requests ($reqs, $rps/s, p50 $p50, p99 $p99)" test "${reqs:-0}" -gt 0
t_is "${non2xx:-0}" 0 "no error response"
t_is "$sockerr" 0 "no socket error (connect, read, write, timeout after 10 s) $sockline"
t_nogrep "$T_TMP/serve.err" 'serve: [A-Z]+ [^ ]+ 5[0-9][0-9] ' "the server's log has no 5xx"
t_is "$(psql -X -A -t -q -d "$db" -c "SELECT count(*) - count(DISTINCT record_ref) FROM hotich.records")" 0 "no record twice"
t_is "$(psql -X -A -t -q -d "$db" -c "SELECT count(*) FROM hotich.page_jobs WHERE status <> 'done'")" 0 "every page read"
t_is "$(psql -X -A -t -q -d "$db" -c "SELECT count(*) FROM hotich.pages")" 40 "all 40 pages loaded"
if [ -n "${HOTICH_RELIABILITY_OUT:-}" ]; then
	printf 'load_seconds=%s\nload_requests=%s\nload_rps=%s\nload_p50=%s\nload_p99=%s\nload_errors=%s\n' \
		"$secs" "$reqs" "$rps" "$p50" "$p99" "$((${non2xx:-0} + sockerr))" >>"$HOTICH_RELIABILITY_OUT"
fi
kill $spid 2>/dev/null
t_done
