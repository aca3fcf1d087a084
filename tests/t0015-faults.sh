#!/bin/sh
# Faults during the batch of the 40 committed fixture pages, then the same
# command, then a comparison with a database loaded without faults (nothing
# missing, nothing twice):
#   - 20 seeds: kill -9 at a random moment of the whole run (all its
#     processes), or of one of its workers and a moment later of the rest;
#   - a worker frozen (SIGSTOP) past its lease while it holds a page: the
#     page is read again by another, and the late result, when the worker
#     wakes up, must not be stored twice;
#   - a worker frozen for good: the run ends by itself, that worker stopped;
#   - a worker killed while it holds a page: the page is read again at once,
#     not when its lease runs out.
# HOTICH_FAULT_SEEDS overrides the number of seeds (default 20).
. "$(dirname "$0")/lib/tap.sh"
if [ -n "${HOTICH_VALGRIND:-}" ]; then
	# timing-based (kills, leases, load): valgrind's slowness makes them
	# meaningless; they run in the plain and the ASan+UBSan suites
	echo "1..0 # SKIP under valgrind"
	exit 0
fi
small=$HOTICH_SRC/fixtures/small
seeds=${HOTICH_FAULT_SEEDS:-20}

# the committed fixture scans: 25 files, 40 pages
cp -r "$small/scans" "$T_TMP/scans"

count() { psql -X -A -t -q -d "$1" -c "SET search_path TO hotich" -c "$2"; }
# what a database holds, in a form two databases can be compared by
fingerprint() {
	count "$1" "SELECT r.record_ref || ' ' || r.doc_type || ' ' || p.role || ' ' ||
	            coalesce(p.full_name, '-') || ' ' || coalesce(p.dob, '-') || ' ' ||
	            coalesce(m.status, 'NO-MATCH')
	            FROM records r JOIN record_people p USING (record_id)
	            LEFT JOIN matches m USING (record_id, role) ORDER BY 1"
}
dups() {
	count "$1" "SELECT (SELECT count(*) - count(DISTINCT record_ref) FROM records) +
	                   (SELECT count(*) - count(DISTINCT (file_id, page_no)) FROM pages) +
	                   (SELECT count(*) - count(DISTINCT sha256) FROM source_files)"
}
setup() {
	d=$(new_db "$1")
	hotich --db "$d" db init >/dev/null
	hotich --db "$d" registry import "$small/registry.csv" >/dev/null
	echo "$d"
}

# --- the expected database: the same scans without faults ---------------------
ref=$(setup ref)
t_run 0 "a run without faults" sh -c "\"\$HOTICH\" --db '$ref' run -q --jobs 2 --batch f '$T_TMP/scans'; [ \$? -le 1 ]"
fingerprint "$ref" >"$T_TMP/expected"
n=$(wc -l <"$T_TMP/expected")
t_ok "it loaded people ($n)" test "$n" -gt 10

# --- kill -9 at random moments, by seed -----------------------------------------
# (a long lease: the pages of killed workers come back because their
# processes are gone, not because a lease ran out; a short lease would let
# a slow page -- seconds under ASan -- be taken over while still read)
db=$(setup kills)
survived=0
whole=0
single=0
seed=1
while [ "$seed" -le "$seeds" ]; do
	# a moment between 0.2 and 3.0 s, and what to kill, from the seed
	delay=$(awk -v s="$seed" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 1.5 }')
	what=$(awk -v s="$seed" 'BEGIN { srand(s * 7 + 1); print (rand() < 0.5 ? "run" : "worker") }')
	setsid "$HOTICH" --db "$db" run -q --jobs 2 --lease 30 --batch f "$T_TMP/scans" >/dev/null 2>&1 &
	pid=$!
	if [ "$what" = worker ]; then
		# from the moment the workers exist
		i=0
		while [ -z "$(pgrep -P "$pid")" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
			sleep 0.05
			i=$((i + 1))
		done
	fi
	sleep "$delay"
	if [ "$what" = worker ] && kids=$(pgrep -P "$pid") && [ -n "$kids" ]; then
		victim=$(echo "$kids" | awk -v s="$seed" 'BEGIN { srand(s) } { k[NR] = $1 } END { print k[int(rand() * NR) + 1] }')
		kill -9 "$victim" 2>/dev/null
		single=$((single + 1))
		# the run goes on without that worker for a while, then dies too
		sleep "$delay"
		kill -9 -"$pid" 2>/dev/null
	else
		kill -9 -"$pid" 2>/dev/null
		whole=$((whole + 1))
	fi
	wait "$pid" 2>/dev/null
	if [ "$(dups "$db")" = 0 ]; then survived=$((survived + 1)); fi
	seed=$((seed + 1))
done
t_is "$survived" "$seeds" "after each of $seeds kills ($whole of the whole run, $single of one worker) nothing is stored twice"
t_run 0 "then the same command finishes the batch" sh -c "\"\$HOTICH\" --db '$db' run -q --jobs 2 --lease 30 --batch f '$T_TMP/scans'; [ \$? -le 1 ]"
fingerprint "$db" >"$T_TMP/got"
if cmp -s "$T_TMP/expected" "$T_TMP/got"; then
	t_result 0 "the database equals the one loaded without faults ($n people)"
else
	t_result 1 "the database equals the one loaded without faults"
	diff "$T_TMP/expected" "$T_TMP/got" | head -20 | sed 's/^/# /'
fi
t_is "$(dups "$db")" 0 "no file, page or record twice"
t_is "$(count "$db" "SELECT count(*) FROM page_jobs WHERE status <> 'done'")" 0 "no page left behind"
lost=$(comm -23 "$T_TMP/expected" "$T_TMP/got" | wc -l)
extra=$(comm -13 "$T_TMP/expected" "$T_TMP/got" | wc -l)

# --- a page whose readers were killed three times ------------------------------
# (kills of the whole run are not the page's fault: the next run reads it
# instead of setting it aside as a page that brings workers down)
db3=$(setup thrice)
"$HOTICH" --db "$db3" run -q --jobs 2 --batch f "$T_TMP/scans" >/dev/null 2>&1
gone=$(sh -c 'echo $$')
count "$db3" "DELETE FROM pages WHERE (file_id, page_no) = (SELECT file_id, page_no FROM page_jobs ORDER BY 1, 2 LIMIT 1)" >/dev/null
count "$db3" "UPDATE page_jobs SET status = 'running', worker = '$(hostname):$gone', attempts = 3,
              lease_until = now() + interval '1 hour'
              WHERE (file_id, page_no) = (SELECT file_id, page_no FROM page_jobs ORDER BY 1, 2 LIMIT 1)" >/dev/null
t_run 0 "a run after three kills while the same page was read" sh -c "\"\$HOTICH\" --db '$db3' run -q --jobs 2 --batch f '$T_TMP/scans'; [ \$? -le 1 ]"
t_is "$(count "$db3" "SELECT count(*) FROM page_jobs WHERE status <> 'done'")" 0 "reads that page again instead of setting it aside"
fingerprint "$db3" >"$T_TMP/got3"
t_ok "and the database equals the expected one" cmp -s "$T_TMP/expected" "$T_TMP/got3"

# --- a worker frozen past its lease ------------------------------------------------
# freeze_held DB PID: freeze (SIGSTOP) a worker of the run PID while it holds
# a page; prints "file:page worker-pid", nothing if none could be caught
freeze_held() {
	i=0
	while [ $i -lt 100 ]; do
		for w in $(pgrep -P "$2"); do
			kill -STOP "$w"
			h=$(count "$1" "SELECT file_id || ':' || page_no FROM page_jobs WHERE status = 'running' AND worker LIKE '%:$w'")
			if [ -n "$h" ]; then
				echo "$h $w"
				return
			fi
			kill -CONT "$w"
		done
		sleep 0.1
		i=$((i + 1))
	done
}
# run_ends PID DESC: the run ends by itself within two minutes (else it is
# killed), with exit 0
run_ends() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	gone=0
	kill -0 "$1" 2>/dev/null && { gone=1; kill -9 -"$1" 2>/dev/null; }
	wait "$1"
	rc=$?
	t_result $gone "$2"
	t_is "$rc" 0 "exit 0: every page was read"
}
# retaken DB PAGE PID: the page is read, or held, by another worker than PID
retaken() {
	count "$1" "SELECT count(*) FROM page_jobs WHERE file_id || ':' || page_no = '$2' AND (worker NOT LIKE '%:$3' OR status = 'done')"
}

# Woken once another worker has taken its page over (whether pages were
# left to read when its lease ran out or the other had read them all and
# waited for it): its late result must not be stored twice.
db2=$(setup lease)
setsid "$HOTICH" --db "$db2" run -q --jobs 2 --lease 5 --batch f "$T_TMP/scans" >"$T_TMP/lease.out" 2>&1 &
pid=$!
sleep 1
set -- $(freeze_held "$db2" "$pid") "" ""
held=$1
frozen=$2
if [ -n "$held" ]; then
	i=0
	while [ "$(retaken "$db2" "$held" "$frozen")" != 1 ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	took=$(retaken "$db2" "$held" "$frozen")
	kill -CONT "$frozen"
fi
t_ok "a worker was frozen while it held a page ($held)" test -n "$held"
t_is "${took:-0}" 1 "its page was taken over after the lease"
run_ends "$pid" "the batch finished"
fingerprint "$db2" >"$T_TMP/got2"
t_ok "the late result of the woken worker was not stored twice: the database equals the expected one" cmp -s "$T_TMP/expected" "$T_TMP/got2"
t_is "$(dups "$db2")" 0 "no page or record twice"

# Never woken (a worker that hangs): its page is read by another after the
# lease, and the run ends by itself, the frozen worker stopped.
db4=$(setup hung)
setsid "$HOTICH" --db "$db4" run -q --jobs 2 --lease 5 --batch f "$T_TMP/scans" >"$T_TMP/hung.out" 2>"$T_TMP/hung.err" &
pid=$!
sleep 1
set -- $(freeze_held "$db4" "$pid") "" ""
t_ok "a worker was frozen while it held a page ($1), never to be woken" test -n "$1"
run_ends "$pid" "the run ended by itself"
t_grep "$T_TMP/hung.err" "worker ${2:-none} did not stop 5 s after every page was read" "the frozen worker is named, and stopped"
t_ok "it is gone" sh -c "! kill -0 ${2:-0} 2>/dev/null"
[ -n "$2" ] && kill -9 "$2" 2>/dev/null # (if not, not left behind)
fingerprint "$db4" >"$T_TMP/got4"
t_ok "the database equals the expected one" cmp -s "$T_TMP/expected" "$T_TMP/got4"

# A worker killed while it holds a page: the page is read again at once,
# not when its lease runs out (here ten minutes).
db5=$(setup crash)
setsid "$HOTICH" --db "$db5" run -q --jobs 2 --lease 600 --batch f "$T_TMP/scans" >"$T_TMP/crash.out" 2>"$T_TMP/crash.err" &
pid=$!
sleep 1
set -- $(freeze_held "$db5" "$pid") "" ""
[ -n "$2" ] && kill -9 "$2"
t_ok "a worker was killed while it held a page ($1)" test -n "$1"
run_ends "$pid" "the run ended long before the lease ran out"
t_grep "$T_TMP/crash.err" "worker ${2:-none} stopped by signal 9 .*: its page is read again" "the killed worker is named"
fingerprint "$db5" >"$T_TMP/got5"
t_ok "the database equals the expected one" cmp -s "$T_TMP/expected" "$T_TMP/got5"

if [ -n "${HOTICH_RELIABILITY_OUT:-}" ]; then
	printf 'kill_seeds=%s\nkill_whole=%s\nkill_worker=%s\nkill_survived=%s\nkill_lost=%s\nkill_extra=%s\nlease_ok=%s\n' \
		"$seeds" "$whole" "$single" "$survived" "$lost" "$extra" \
		"$(cmp -s "$T_TMP/expected" "$T_TMP/got2" && echo 1 || echo 0)" >>"$HOTICH_RELIABILITY_OUT"
fi
t_done
