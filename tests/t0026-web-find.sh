#!/bin/sh
# The look-up pages of `hotich serve` with curl: the search page, the
# record page, the print view and the page images, by role and by office.
# Records of two offices from a real batch; a reviewer of one office finds
# only that office's records and gets 404 for the other's (record, print,
# page image, thumbnail), however the address is made; a manager and an
# admin (every office) find both.  A name without diacritics and a
# decomposed name (NFD, as some keyboards send it) find the record; the
# record page shows every field, the links, who decided what, the page
# image; the print view carries the source and "printed from the digitized
# register"; markup in a search is shown escaped.  Then in headless
# Chromium (tests/browser/find_flow.py): the name typed composed (NFC),
# decomposed (NFD) and without marks, the record's page image zoomed and
# turned, the print view, and the office limit.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small

mkdir -p "$T_TMP/scans/xa-co-ba" "$T_TMP/scans/xa-chu-trinh"
cp "$small/scans/xa-co-ba/quyen-05/000004.tif" "$T_TMP/scans/xa-co-ba/"
cp "$small/scans/xa-chu-trinh/quyen-03/000007.tif" "$T_TMP/scans/xa-chu-trinh/"
db=$(new_db webfind)
q() { psql -X -A -t -q -d "$db" -c "SET search_path TO hotich" -c "$1"; }
fold() {
	python3 -c 'import sys, unicodedata as u
s = u.normalize("NFD", sys.argv[1]).replace("\u0111", "d").replace("\u0110", "D")
print("".join(c for c in s if not u.combining(c)).lower())' "$1"
}
urlenc() { python3 -c 'import sys, urllib.parse as p; print(p.quote_plus(sys.argv[1]))' "$1"; }
urlnfd() {
	python3 -c 'import sys, unicodedata as u, urllib.parse as p
print(p.quote_plus(u.normalize("NFD", sys.argv[1])))' "$1"
}

t_run 0 "db init" hotich --db "$db" db init
t_run 0 "registry import" hotich --db "$db" registry import "$small/registry.csv"
t_run 0 "the batch" "$HOTICH" --db "$db" run --batch webfind "$T_TMP/scans"
# a birth record of each office
a=$(q "SELECT min(record_id) FROM records WHERE doc_type = 'khai_sinh' AND registry_office LIKE 'Xã Cô Ba%'")
b=$(q "SELECT min(record_id) FROM records WHERE doc_type = 'khai_sinh' AND registry_office LIKE 'Xã Chu Trinh%'")
t_ok "a birth record in each office" test -n "$a" -a -n "$b"
office_a=$(q "SELECT registry_office FROM records WHERE record_id = $a")
name_a=$(q "SELECT full_name FROM record_people WHERE record_id = $a AND role = 'subject'")
name_b=$(q "SELECT full_name FROM record_people WHERE record_id = $b AND role = 'subject'")
path_a=$(q "SELECT f.path FROM records r JOIN pages p USING (page_id) JOIN source_files f USING (file_id) WHERE r.record_id = $a")
book_a=$(q "SELECT book_no FROM records WHERE record_id = $a")

pw() { printf 'tre-xanh-%s-2025' "$(printf %s "$1" | tr a-z n-za-m)"; }
pw rita | "$HOTICH" --db "$db" user add rita --role reviewer --office "$office_a" >/dev/null
pw max | "$HOTICH" --db "$db" user add max --role manager >/dev/null
pw ada | "$HOTICH" --db "$db" user add ada --role admin >/dev/null
# a decision on record a, as the audit keeps it
q "INSERT INTO review_decisions (user_name, action, record_id, role, field, before, after)
   VALUES ('lan', 'correct_field', $a, 'subject', 'dob', '\"x\"', '\"y\"')" >/dev/null

port=$((26000 + $$ % 4000))
B=http://127.0.0.1:$port
(cd "$T_TMP" && exec "$HOTICH" --db "$db" serve --listen "127.0.0.1:$port" >/dev/null 2>"$T_TMP/serve.err") &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$T_TMP"' EXIT
i=0
until curl -sf "$B/healthz" >/dev/null || [ $i -gt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
login() {
	jar=$T_TMP/$1
	tok=$(curl -s -c "$jar" -b "$jar" "$B/login" | sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -o /dev/null -c "$jar" -b "$jar" --data "login_token=$tok&user=$1&password=$(pw "$1")" "$B/login"
}
for u in rita max ada; do login $u; done
get() { # get USER PATH: the body in $T_OUT, the status printed
	curl -s -o "$T_OUT" -w '%{http_code}' -b "$T_TMP/$1" "$B$2"
}

# --- the search page -----------------------------------------------------------
t_is "$(get max /find)" 200 "the search page"
t_grep "$T_OUT" 'Tra cứu' "in Vietnamese"
t_grep "$T_OUT" 'href="/find"' "the look-up is in the menu"
t_is "$(get max "/find?q=$(urlenc "$(fold "$name_a")")")" 200 "a name without diacritics"
t_grep "$T_OUT" "href=\"/find/record/$a\"" "finds the record"
t_grep "$T_OUT" "src=\"/find/thumb/$a.png\"" "with a thumbnail of its scan"
t_grep "$T_OUT" 'Không dấu' "found without diacritics, in words"
t_is "$(get max "/find?name=$(urlnfd "$name_a")")" 200 "the name decomposed (NFD)"
t_grep "$T_OUT" "href=\"/find/record/$a\".*Trùng khớp|Trùng khớp" "found exactly"
t_grep "$T_OUT" "href=\"/find/record/$a\"" "the record"
t_is "$(get max "/find?q=$(urlenc "$(fold "$name_b")")")" 200 "the other office's name"
t_grep "$T_OUT" "href=\"/find/record/$b\"" "the manager finds it"
t_is "$(get ada "/find?q=$(urlenc "$(fold "$name_b")")")" 200 "as admin"
t_grep "$T_OUT" "href=\"/find/record/$b\"" "the admin finds it"
t_is "$(get rita "/find?q=$(urlenc "$(fold "$name_b")")")" 200 "the reviewer of the other office"
t_nogrep "$T_OUT" "/find/record/$b\"" "does not find it"
t_is "$(get rita "/find?q=$(urlenc "$(fold "$name_b")")&office=$(urlenc 'Xã Chu Trinh')")" 200 \
	"nor by naming the office"
t_nogrep "$T_OUT" "/find/record/$b\"" "does not find it"
t_nogrep "$T_OUT" 'name="office"' "and has no office field"
t_nogrep "$T_OUT" 'f-office-list' "nor the list of offices"
t_is "$(get rita "/find?q=$(urlenc "$(fold "$name_a")")")" 200 "the reviewer's own office"
t_grep "$T_OUT" "href=\"/find/record/$a\"" "finds its record"
t_is "$(get max "/find?type=khai_sinh&office=$(urlenc 'xa co ba')")" 200 "office and type, no name"
t_grep "$T_OUT" "href=\"/find/record/$a\"" "finds the office's birth record"
t_nogrep "$T_OUT" "href=\"/find/record/$b\"" "and not the other office's"
office_b=$(q "SELECT registry_office FROM records WHERE record_id = $b")
t_grep "$T_OUT" "<option value=\"$office_a\">" "the manager's office box lists the offices stored ..."
t_grep "$T_OUT" "<option value=\"$office_b\">" "... both of them"
t_is "$(get max "/find?name=Qwxz+Pqrv")" 200 "a name nobody has"
t_grep "$T_OUT" 'Không tìm thấy hồ sơ nào' "is told nothing was found"
t_is "$(get max "/find?type=khai_sinh&office=xa")" 200 "an office's name that two offices begin with"
t_grep "$T_OUT" 'Nhiều cơ quan có tên bắt đầu như vậy' "says to write more of it"
t_is "$(get max "/find?dob=31/02/1990")" 200 "a date that cannot be"
t_grep "$T_OUT" 'id="find-error"' "says what can be searched"
t_is "$(get max "/find?q=%3Cscript%3Ealert(1)%3C/script%3E")" 200 "markup in a search"
t_nogrep "$T_OUT" '<script>alert' "is not echoed as markup"
t_grep "$T_OUT" '&lt;script&gt;' "but escaped"

# --- the record page, print view and images, by office ---------------------------
t_is "$(get rita /find/record/$a)" 200 "the record page (own office)"
t_grep "$T_OUT" "$name_a" "every field: the name"
t_grep "$T_OUT" 'id="links"' "the links to the registry"
t_grep "$T_OUT" 'id="audit".*|lan' "who decided what"
t_grep "$T_OUT" 'lan' "the decision's author"
t_grep "$T_OUT" "src=\"/find/page/$a.png\"" "the whole page image"
t_grep "$T_OUT" 'data-zoom="in"' "zoom"
t_grep "$T_OUT" 'data-rotate' "rotate"
t_is "$(get rita /find/print/$a)" 200 "the print view"
t_grep "$T_OUT" 'in từ sổ hộ tịch đã số hóa' "says it is printed from the digitized register (vi)"
t_grep "$T_OUT" 'printed from the digitized register' "(en)"
t_grep "$T_OUT" "$path_a" "the source file"
t_grep "$T_OUT" "quyển $book_a" "the book"
t_grep "$T_OUT" 'trang 4|page 4' "the page"
t_grep "$T_OUT" "$name_a" "the record's data"
ct=$(curl -s -o "$T_TMP/p.png" -w '%{http_code} %{content_type}' -b "$T_TMP/rita" "$B/find/page/$a.png")
t_is "$ct" "200 image/png" "the page image"
t_ok "is a PNG" sh -c "head -c 8 '$T_TMP/p.png' | od -An -c | grep -q 'P   N   G'"
ct=$(curl -s -o "$T_TMP/t.png" -w '%{http_code} %{content_type}' -b "$T_TMP/rita" "$B/find/thumb/$a.png")
t_is "$ct" "200 image/png" "the thumbnail"
t_ok "the thumbnail is smaller than the page" test "$(wc -c <"$T_TMP/t.png")" -lt "$(wc -c <"$T_TMP/p.png")"
for p in /find/record/$b /find/print/$b /find/page/$b.png /find/thumb/$b.png /find/record/0$b \
	"/find/record/$b?office=x"; do
	t_is "$(get rita "$p")" 404 "$p of the other office: 404 for the reviewer"
	t_nogrep "$T_OUT" "$name_b" "without its name"
done
for p in /find/record/$b /find/print/$b; do
	t_is "$(get max "$p")" 200 "$p for the manager"
	t_is "$(get ada "$p")" 200 "$p for the admin"
done
t_is "$(get max /find/record/999999)" 404 "a record that is not there"
t_is "$(curl -s -o /dev/null -w '%{http_code}' "$B/find/record/$a")" 303 "no session: to the login page"
t_nogrep "$T_TMP/serve.err" 'tre-xanh' "no password in the log"

# --- in a real browser: typed composed, decomposed and without marks -----------
# (tests/browser/find_flow.py; Chromium, chromedriver and python3-selenium
# are required, as for t0013)
art=${HOTICH_ARTIFACTS:-$HOTICH_SRC/build/artifacts}/browser
mkdir -p "$art"
rc=0
HOTICH_CHROMIUM=/usr/bin/chromium HOTICH_CHROMEDRIVER=/usr/bin/chromedriver \
	/usr/bin/python3 "$HOTICH_SRC/tests/browser/find_flow.py" "$B" "$art" "$db" "$name_a" "$a" "$name_b" "$b" \
	>"$T_TMP/browser.out" 2>"$T_TMP/browser.err" || rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) t_result 0 "browser: ${line#ok * - }" ;;
	"not ok "*) t_result 1 "browser: ${line#not ok * - }" ;;
	"1.."*) ;;
	"#"*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done <"$T_TMP/browser.out"
t_is "$rc" 0 "find_flow.py exits 0"
[ "$rc" -eq 0 ] || t_diag "$T_TMP/browser.err"
for f in find find-results find-record find-print; do
	t_ok "screenshot $f.png is kept" test -s "$art/$f.png"
done

t_done
