#!/bin/sh
# hotich serve in a real browser: headless Chromium driven by Selenium
# (tests/browser/review_flow.py) at 1366x768, in Vietnamese.  A reviewer
# signs in (nothing is claimed until she starts), decides with every key
# (1, S, P with Escape and a contradiction to confirm, N, E with Enter, A),
# sees a name that is no name refused, switches to English and back; an
# admin takes an item opened by its address with T, reopens a "no match"
# and reads the audit log; a manager reads the dashboard.  Each page is
# checked for layout (nothing cut or wider than the window) and for English
# left over.  The decisions are then checked in the database.  Screenshots
# are kept in ${HOTICH_ARTIFACTS:-build/artifacts}/browser/.  Chromium,
# chromedriver and python3-selenium are required: the test fails without
# them (make test installs them).
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
py=/usr/bin/python3
chromium=/usr/bin/chromium
chromedriver=/usr/bin/chromedriver
art=${HOTICH_ARTIFACTS:-$HOTICH_SRC/build/artifacts}/browser
port=$((20000 + $$ % 5000))
base=http://127.0.0.1:$port
serve_pid=

stop_server() {
	if [ -n "$serve_pid" ]; then
		kill "$serve_pid" 2>/dev/null
		wait "$serve_pid" 2>/dev/null
		serve_pid=
	fi
}
trap 'stop_server; rm -rf "$T_TMP"' EXIT
trap 'exit 1' INT TERM

count() { # count DB SQL: one value
	t_psql "$1" "SET search_path TO hotich; $2"
}

# --- what the browser needs -------------------------------------------------
have=1
need() { # need DESC CMD...: a test; have=0 when CMD fails
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then t_result 0 "$desc"; else t_result 1 "$desc"; have=0; fi
}
need "chromium is installed ($chromium)" test -x "$chromium"
need "chromedriver is installed ($chromedriver)" test -x "$chromedriver"
need "$py has the selenium module (python3-selenium)" "$py" -c "import selenium"
if [ "$have" -eq 0 ]; then
	echo "# install the Debian packages chromium, chromium-driver and python3-selenium"
	t_done
	exit 1
fi

# --- a database with items in review and three users -------------------------
mkdir -p "$T_TMP/scans"
for f in xa-chu-trinh/quyen-03/000006.tif xa-chu-trinh/quyen-03/000007.tif \
	xa-chu-trinh/quyen-03/000013.tif xa-co-ba/quyen-05/000003.tif \
	xa-chu-trinh/quyen-03/000014.jpg; do
	cp "$small/scans/$f" "$T_TMP/scans/"
done
db=$(new_db browser)
t_run 0 "db init" hotich --db "$db" db init
t_run 0 "registry import" hotich --db "$db" registry import "$small/registry.csv"
t_run 0 "inventory import" hotich --db "$db" inventory import "$small/inventory.csv"
rc=0
hotich --db "$db" run -q --jobs 2 "$T_TMP/scans" >"$T_TMP/run.out" 2>&1 || rc=$?
t_ok "run reads the scans (exit $rc)" test "$rc" -le 1
[ "$rc" -le 1 ] || t_diag "$T_TMP/run.out"
# four links to decide (people whose sex and date of birth were read), then
# a record with two values to check, whatever the batch decided
count "$db" "UPDATE matches SET status = 'auto', decided_by = NULL, decided_at = NULL
	WHERE status IN ('review', 'confirmed')" >/dev/null
count "$db" "UPDATE matches SET status = 'review' WHERE match_id IN (SELECT m.match_id
	FROM matches m JOIN record_people p USING (record_id, role) WHERE m.citizen_id IS NOT NULL
	AND p.sex IS NOT NULL AND length(p.dob) = 10 ORDER BY m.match_id LIMIT 4)" >/dev/null
count "$db" "UPDATE records SET fields = (SELECT jsonb_object_agg(k, v || '{\"review\": false}')
	FROM jsonb_each(fields) AS e(k, v)), n_review = 0" >/dev/null
rec=$(count "$db" "SELECT min(record_id) FROM records WHERE doc_type = 'khai_sinh'")
count "$db" "UPDATE records SET fields = jsonb_set(jsonb_set(fields, '{full_name,review}', 'true'),
	'{dob,review}', 'true'), n_review = 2 WHERE record_id = $rec" >/dev/null
inreview=$(count "$db" "SELECT count(*) FROM matches WHERE status = 'review'")
t_is "$inreview" 4 "4 matches are in review"
pw() { printf 'tre-xanh-%s-2025' "$(printf %s "$1" | tr a-z n-za-m)"; }
for u in rita:reviewer max:manager ada:admin; do
	t_run 0 "user add ${u%%:*} (${u#*:})" sh -c "printf '%s\n' '$(pw "${u%%:*}")' | \$HOTICH --db '$db' user add ${u%%:*} --role ${u#*:}"
done

# --- the server ---------------------------------------------------------------
# shellcheck disable=SC2086
(cd "$T_TMP" && exec $HOTICH_CMD --db "$db" serve --listen "127.0.0.1:$port" >"$T_TMP/serve.out" 2>"$T_TMP/serve.err") &
serve_pid=$!
# ready when it answers HTTP at all (at most 10 s); /healthz is then a test
# of its own, so that a broken health check does not hide the rest
up=0
i=0
while [ $i -lt 50 ]; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/healthz" 2>/dev/null) || :
	if [ "${code:-000}" != "000" ]; then
		up=1
		break
	fi
	kill -0 "$serve_pid" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
t_is "$up" "1" "serve listens on $base"
if [ "$up" -ne 1 ]; then
	echo "# serve's stderr:"
	t_diag "$T_TMP/serve.err"
	t_done
	exit 1
fi
code=$(curl -s -o "$T_TMP/healthz" -w '%{http_code}' --max-time 5 "$base/healthz") || :
t_is "$code $(head -c 60 "$T_TMP/healthz" | tr -d '\n')" "200 ok" "GET /healthz is 200 ok"

# --- the browser ----------------------------------------------------------------
mkdir -p "$art"
shots="login queue review after-decision pick record record-refused english not-held record-page audit dashboard discrepancies"
for f in $shots failure; do rm -f "$art/$f.png"; done
rc=0
HOTICH_CHROMIUM=$chromium HOTICH_CHROMEDRIVER=$chromedriver \
	"$py" "$HOTICH_SRC/tests/browser/review_flow.py" "$base" "$art" "$db" >"$T_TMP/browser.out" 2>"$T_TMP/browser.err" || rc=$?
# each of the script's steps is a test here
while IFS= read -r line; do
	case $line in
	"ok "*) t_result 0 "browser: ${line#ok * - }" ;;
	"not ok "*) t_result 1 "browser: ${line#not ok * - }" ;;
	"1.."*) ;;
	"#"*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done <"$T_TMP/browser.out"
t_is "$rc" "0" "review_flow.py exits 0"
if [ "$rc" -ne 0 ]; then
	echo "# review_flow.py stderr:"
	t_diag "$T_TMP/browser.err"
fi
for f in $shots; do
	t_ok "screenshot $f.png is kept" test -s "$art/$f.png"
done

# --- what the keys left in the database ---------------------------------------
t_is "$(count "$db" "SELECT string_agg(action, ' ' ORDER BY decision_id) FROM review_decisions WHERE user_name = 'rita'")" \
	"confirm pick no_match correct_field accept_field" "rita's decisions, one per key, in order"
t_is "$(count "$db" "SELECT count(*) FROM review_decisions WHERE user_name = 'ada'")" 1 \
	"ada reopened one link"
t_is "$(count "$db" "SELECT count(*) FROM review_decisions WHERE user_name = 'max'")" "0" \
	"the manager decided nothing"

stop_server
if grep -Eiq 'error|warning|fatal' "$T_TMP/serve.err"; then
	t_result 1 "serve logged no error"
	t_diag "$T_TMP/serve.err"
else
	t_result 0 "serve logged no error"
fi
if [ "$T_FAILED" -ne 0 ]; then
	echo "# serve's stderr:"
	t_diag "$T_TMP/serve.err"
fi
t_done
