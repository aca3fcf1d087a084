#!/bin/sh
# More than one machine: two `hotich worker` processes as two hosts
# (separate process groups, working folders and host names), one database
# reached over TCP on 127.0.0.1 with a password, against one batch queued
# by `hotich run --jobs 0` (a third host, which reads nothing itself).  One
# worker is killed with kill -9 while it reads a page: the other reads that
# page once its lease runs out, and the batch ends with every record once
# and every person matched once, as in a database loaded without faults.
# The cluster is the project-local one of a folder of the test's own,
# started with a TCP listener on a free port.
. "$(dirname "$0")/lib/tap.sh"
if [ -n "${HOTICH_VALGRIND:-}" ]; then
	echo "1..0 # SKIP under valgrind (kills at moments read from the database)"
	exit 0
fi
small=$HOTICH_SRC/fixtures/small
dbhome="$T_TMP/dbhost"
mkdir -p "$dbhome" "$T_TMP/scans" "$T_TMP/host-a" "$T_TMP/host-b" "$T_TMP/host-c"
chmod 755 "$T_TMP" "$dbhome" # the cluster belongs to "postgres" when root runs the tests
workers=
trap 'for p in $workers; do kill -9 -"$p" 2>/dev/null; done; HOTICH_HOME="$dbhome" "$HOTICH" db stop >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT

for f in xa-chu-trinh/quyen-03/000007.tif xa-co-ba/quyen-05/000004.tif \
	xa-lung-nam/quyen-01/000001.tif xa-lung-nam/quyen-01/000002.jpg \
	xa-chu-trinh/quyen-03/000019.tif xa-lung-nam/quyen-01/000005.tif \
	xa-co-ba/quyen-05/000025.tif; do
	cp "$small/scans/$f" "$T_TMP/scans/"
done
port=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sqlsock() { psql -X -A -t -q -h "$dbhome/var/pg" -p "$port" -U hotich -d "$1" -c "SET search_path TO hotich" -c "$2"; }
count() { sqlsock hotich "$1"; }

t_run 0 "the database host: its cluster with a TCP listener" env HOTICH_HOME="$dbhome" "$HOTICH" db start --listen "127.0.0.1:$port"
sqlsock postgres "ALTER ROLE hotich PASSWORD 'a long secret'" >/dev/null
sqlsock postgres "CREATE DATABASE ref OWNER hotich" >/dev/null
printf '127.0.0.1:%s:*:hotich:a long secret\n' "$port" >"$T_TMP/pgpass"
chmod 600 "$T_TMP/pgpass"
export PGPASSFILE="$T_TMP/pgpass"
tcp="host=127.0.0.1 port=$port dbname=hotich user=hotich"
# (the hosts below know the database by its address only)
t_run 0 "db init over TCP, with the password from a password file" hotich --db "$tcp" db init
t_run 0 "registry over TCP" hotich --db "$tcp" registry import "$small/registry.csv"
t_run 3 "without the password, no database" env PGPASSFILE=/nonexistent "$HOTICH" --db "$tcp" report
t_grep "$T_ERR" 'password' "says why"

# the expected database: the same scans in one run, no faults
ref="host=127.0.0.1 port=$port dbname=ref user=hotich"
hotich --db "$ref" db init >/dev/null
hotich --db "$ref" registry import "$small/registry.csv" >/dev/null
t_run 0 "a run without faults" hotich --db "$ref" run -q --jobs 2 --batch two "$T_TMP/scans"
fingerprint() {
	sqlsock "$1" "SELECT r.record_ref || ' ' || p.role || ' ' || coalesce(p.full_name, '-') ||
	            ' ' || coalesce(m.status, 'NO-MATCH') FROM records r JOIN record_people p USING (record_id)
	            LEFT JOIN matches m USING (record_id, role) ORDER BY 1"
}
fingerprint ref >"$T_TMP/expected"
n=$(wc -l <"$T_TMP/expected")

# host C queues the batch and waits; hosts A and B read its pages
(cd "$T_TMP/host-c" && HOTICH_HOST=host-c exec "$HOTICH" --db "$tcp" run -q --jobs 0 --lease 5 \
	--batch two "$T_TMP/scans" >"$T_TMP/run.out" 2>"$T_TMP/run.err") &
run=$!
for h in a b; do
	(cd "$T_TMP/host-$h" && HOTICH_HOST="host-$h" exec setsid "$HOTICH" --db "$tcp" worker \
		--lease 5 --wait 30 >"$T_TMP/host-$h/out" 2>&1) &
	workers="$workers $!"
done
set -- $workers
wa=$1
wb=$2
# host A is killed while it holds a page
held=
i=0
while [ -z "$held" ] && [ $i -lt 600 ]; do
	held=$(count "SELECT file_id || ':' || page_no FROM page_jobs WHERE status = 'running' AND worker LIKE 'host-a:%' LIMIT 1")
	[ -z "$held" ] && sleep 0.05
	i=$((i + 1))
done
kill -9 -"$wa" 2>/dev/null # its whole process group
t_ok "host A was killed while it read a page ($held)" test -n "$held"
i=0
while kill -0 "$run" 2>/dev/null && [ $i -lt 1800 ]; do
	sleep 0.1
	i=$((i + 1))
done
wait "$run"
rc=$?
t_is "$rc" 0 "the run of host C ends once host B has read every page"
t_is "$(count "SELECT worker LIKE 'host-b:%' AND status = 'done' AND attempts >= 2 FROM page_jobs WHERE file_id || ':' || page_no = '$held'")" t \
	"host A's page was read again by host B after its lease"
t_is "$(count "SELECT count(*) FROM page_jobs WHERE worker NOT LIKE 'host-a:%' AND worker NOT LIKE 'host-b:%'")" 0 "the pages were read by the two hosts (none by host C)"
t_is "$(count "SELECT count(*) FROM page_jobs WHERE status <> 'done'")" 0 "no page left"
t_is "$(count "SELECT (SELECT count(*) - count(DISTINCT record_ref) FROM records) + (SELECT count(*) - count(DISTINCT (file_id, page_no)) FROM pages)")" 0 "no page or record twice"
t_is "$(count "SELECT count(*) FROM record_people p LEFT JOIN matches m USING (record_id, role) WHERE m.match_id IS NULL")" 0 "every person matched"
t_is "$(count "SELECT status FROM batches WHERE name = 'two'")" done "the batch is done"
fingerprint hotich >"$T_TMP/got"
if cmp -s "$T_TMP/expected" "$T_TMP/got"; then
	t_result 0 "the database equals the one loaded without faults ($n people)"
else
	t_result 1 "the database equals the one loaded without faults"
	diff "$T_TMP/expected" "$T_TMP/got" | head -20 | sed 's/^/# /'
fi
kill "$wb" 2>/dev/null
wait "$wb" 2>/dev/null
t_nogrep "$T_TMP/host-b/out" 'error' "host B reported no error"
t_done
