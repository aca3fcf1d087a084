#!/bin/sh
# Keying in a real browser: headless Chromium driven by Selenium
# (tests/browser/keying_flow.py) at 1366x768, in Vietnamese.  A keyer types
# two handwritten pages beside their scans, keyboard first: a name as
# decomposed characters (NFD), one as precomposed ones (NFC), one through
# an input method's composition events (as Telex or VNI send them), a date
# as digits, Tab and Enter; the names are checked as they are typed and
# stored NFC.  A manager reads the throughput.  Screenshots in
# ${HOTICH_ARTIFACTS:-build/artifacts}/browser/.  Chromium, chromedriver and
# python3-selenium are required (make test installs them).
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
py=/usr/bin/python3
chromium=/usr/bin/chromium
chromedriver=/usr/bin/chromedriver
art=${HOTICH_ARTIFACTS:-$HOTICH_SRC/build/artifacts}/browser
port=$((20000 + ($$ + 2500) % 5000))
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
count() { t_psql "$1" "SET search_path TO hotich; $2"; }

have=1
need() {
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

# --- two handwritten pages of two offices ---------------------------------------
mkdir -p "$T_TMP/coba" "$T_TMP/lung"
cp "$small/scans/xa-co-ba/quyen-05/000017.tif" "$T_TMP/coba/"
cp "$small/scans/xa-lung-nam/quyen-01/000005.tif" "$T_TMP/lung/"
db=$(new_db keyingb)
t_run 0 "db init" hotich --db "$db" db init
t_run 0 "registry import" hotich --db "$db" registry import "$small/registry.csv"
rc=0
hotich --db "$db" run -q --jobs 2 --office "Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng" "$T_TMP/coba" >"$T_TMP/run.out" 2>&1 || rc=$?
hotich --db "$db" run -q --jobs 2 --office "Xã Lũng Nặm, Huyện Hà Quảng, Tỉnh Cao Bằng" "$T_TMP/lung" >>"$T_TMP/run.out" 2>&1 || rc=$?
t_ok "run reads the scans (exit $rc)" test "$rc" -le 1
t_is "$(count "$db" "SELECT count(*) FROM pages WHERE doc_type = 'unknown'")" 2 "two pages the reader could not classify"
pw() { printf 'tre-xanh-%s-2025' "$(printf %s "$1" | tr a-z n-za-m)"; }
for u in kiet:reviewer max:manager; do
	t_run 0 "user add ${u%%:*} (${u#*:})" sh -c "printf '%s\n' '$(pw "${u%%:*}")' | \$HOTICH --db '$db' user add ${u%%:*} --role ${u#*:}"
done

# shellcheck disable=SC2086
(cd "$T_TMP" && exec $HOTICH_CMD --db "$db" serve --listen "127.0.0.1:$port" >"$T_TMP/serve.out" 2>"$T_TMP/serve.err") &
serve_pid=$!
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

mkdir -p "$art"
for f in keying-queue keying-page keying-dashboard keying-failure; do rm -f "$art/$f.png"; done
rc=0
HOTICH_CHROMIUM=$chromium HOTICH_CHROMEDRIVER=$chromedriver \
	"$py" "$HOTICH_SRC/tests/browser/keying_flow.py" "$base" "$art" "$db" >"$T_TMP/browser.out" 2>"$T_TMP/browser.err" || rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) t_result 0 "browser: ${line#ok * - }" ;;
	"not ok "*) t_result 1 "browser: ${line#not ok * - }" ;;
	"1.."*) ;;
	"#"*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done <"$T_TMP/browser.out"
t_is "$rc" "0" "keying_flow.py exits 0"
[ "$rc" -eq 0 ] || t_diag "$T_TMP/browser.err"
for f in keying-queue keying-page keying-dashboard; do
	t_ok "screenshot $f.png is kept" test -s "$art/$f.png"
done

# --- what was stored ---------------------------------------------------------
t_is "$(count "$db" "SELECT count(*) FROM records WHERE warnings ? 'keyed'")" 2 "two records keyed"
t_is "$(count "$db" "SELECT bool_and(full_name = normalize(full_name, NFC) AND mother_name IS NOT DISTINCT FROM normalize(mother_name, NFC)) FROM record_people")" \
	t "every name stored NFC"
t_is "$(count "$db" "SELECT string_agg(user_name || ':' || action, ' ') FROM review_decisions")" \
	"kiet:key_record kiet:key_record" "each keying in the audit"

stop_server
if grep -Eiq 'error|warning|fatal' "$T_TMP/serve.err"; then
	t_result 1 "serve logged no error"
	t_diag "$T_TMP/serve.err"
else
	t_result 0 "serve logged no error"
fi
t_done
