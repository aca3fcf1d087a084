#!/bin/sh
# Keying (nhập liệu) over HTTP against a throwaway database: which pages
# wait to be keyed (a page the reader could not classify and marked as
# handwritten, not a register book's cover, as the fixture generator drew
# them), which
# records (most of their fields flagged); the routes by role (reviewers and
# admins key, managers read the throughput, nobody without a session or a
# CSRF token), the office limits of the queue, the page, its scan and its
# save; a name checked by the normalize stage as it is typed; a refused
# value keeping what was typed; a keyed page becoming a record like an
# OCR'd one (its people, its audit row, its keying, the page's type), linked
# by `hotich match --unlinked` and counted as digitized by `hotich report`;
# a flagged record keyed; double keying (two keyers agree, or a third
# decides); the dashboard's throughput per person and per office.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
coba="Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng"
lung="Xã Lũng Nặm, Huyện Hà Quảng, Tỉnh Cao Bằng"

mkdir -p "$T_TMP/coba" "$T_TMP/lung"
# Cô Ba: a cover (000004 page 2) among four records, handwriting the reader
# found no line in (000009), handwriting read as gibberish (000017); Lũng
# Nặm: handwriting (000005 page 2) among records, a cover (000018)
for f in 000004.tif 000009.tif 000017.tif; do cp "$small/scans/xa-co-ba/quyen-05/$f" "$T_TMP/coba/"; done
for f in 000005.tif 000018.tif; do cp "$small/scans/xa-lung-nam/quyen-01/$f" "$T_TMP/lung/"; done
db=$(new_db keying)
sql() { t_psql "$db" "SET search_path TO hotich; $1" | sed '/^SET$/d'; }
hotich --db "$db" db init >/dev/null
hotich --db "$db" registry import "$small/registry.csv" >/dev/null
hotich --db "$db" inventory import "$small/inventory.csv" >/dev/null
hotich --db "$db" run -q --jobs 2 --batch coba --office "$coba" "$T_TMP/coba" >/dev/null 2>&1 || true
hotich --db "$db" run -q --jobs 2 --batch lung --office "$lung" "$T_TMP/lung" >/dev/null 2>&1 || true

# what the generator drew (truth.jsonl: blank_kind 0 cover, 2 handwriting)
truth() { # truth FILE PAGE: the blank_kind of that page, or "record"
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["file"].endswith(sys.argv[2]) and o["page"] == int(sys.argv[3]):
        print(o.get("blank_kind", "record") if o["doc_type"] == "unknown" else "record"); break' \
		"$small/truth.jsonl" "$1" "$2"
}
t_is "$(truth quyen-05/000004.tif 2) $(truth quyen-05/000009.tif 1) $(truth quyen-05/000017.tif 1) $(truth quyen-01/000005.tif 2) $(truth quyen-01/000018.tif 1)" \
	"0 2 2 2 0" "the fixtures: two covers and three handwritten pages"
page_of() { # page_of FILE PAGE: its page_id
	sql "SELECT p.page_id FROM pages p JOIN source_files f USING (file_id)
	     WHERE f.path LIKE '%/$1' AND p.page_no = $2"
}
pcover=$(page_of 000004.tif 2)
pnoline=$(page_of 000009.tif 1)
phand=$(page_of 000017.tif 1)
plung=$(page_of 000005.tif 2)
pcover2=$(page_of 000018.tif 1)
t_is "$(sql "SELECT string_agg(doc_type, ' ' ORDER BY page_id) FROM pages
	WHERE page_id IN ($pcover, $pnoline, $phand, $plung, $pcover2)")" \
	"unknown unknown unknown unknown unknown" "the reader gave the five pages no type"
hw() { # hw PAGE_ID: t when the reader marked it as handwritten
	sql "SELECT count(*) > 0 FROM pages, jsonb_array_elements_text(warnings) w
	     WHERE page_id = $1 AND w LIKE 'handwriting:%'"
}
t_is "$(hw "$pnoline") $(hw "$phand") $(hw "$plung")" "t t t" \
	"the reader marks the three handwritten pages as such (one where it read no line at all)"
t_is "$(hw "$pcover") $(hw "$pcover2")" "f f" "and not the covers"
rec_before=$(sql "SELECT count(*) FROM records")

# a record with most of its fields flagged (the reader's flags, as a bad scan gives them)
frec=$(sql "SELECT min(record_id) FROM records WHERE doc_type = 'khai_tu' AND registry_office = '$coba'")
sql "UPDATE records SET fields = (SELECT jsonb_object_agg(k, v || jsonb_build_object('review',
	k NOT IN ('register_no'))) FROM jsonb_each(fields) AS e(k, v)) WHERE record_id = $frec" >/dev/null
sql "UPDATE records SET n_review = (SELECT count(*) FROM jsonb_each(fields) f
	WHERE (f.value ->> 'review')::boolean) WHERE record_id = $frec" >/dev/null

adduser() { # adduser NAME ROLE PASSWORD [OFFICE]
	if [ $# -gt 3 ]; then
		printf '%s\n' "$3" | "$HOTICH" --db "$db" user add "$1" --role "$2" --office "$4" >/dev/null 2>&1
	else
		printf '%s\n' "$3" | "$HOTICH" --db "$db" user add "$1" --role "$2" >/dev/null 2>&1
	fi
}
adduser kim reviewer types-pages-of-coba "$coba"
adduser lam reviewer types-pages-of-lung "$lung"
adduser ha reviewer ha-keys-every-office
adduser mona manager manager-of-figures
adduser root1 admin the-admin-key-42

port=$((24000 + $$ % 4000))
B=http://127.0.0.1:$port
(cd "$T_TMP" && exec $HOTICH_CMD --db "$db" serve --listen "127.0.0.1:$port" --threads 2 >"$T_TMP/serve.out" 2>"$T_TMP/serve.err") &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$T_TMP"' EXIT
i=0
until curl -sf "$B/healthz" >/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && break
	sleep 0.1
done

get() { curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" "$B$2"; }
post() { curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" --data "$3" "$B$2"; }
location() { sed -n 's/^Location: *//Ip' "$T_TMP/hdr" | tr -d '\r'; }
csrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body" | head -1; }
login() {
	get "$1" /login >/dev/null
	tok=$(sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body")
	post "$1" /login "login_token=$tok&user=$2&password=$3"
}
text() { sed -e 's/<[^>]*>/ /g' "$T_TMP/body"; }

# --- roles -------------------------------------------------------------------------
for p in /keying /keying/page/$phand /keying/record/$frec /keying/scan/page/$phand.jpg \
	"/keying/check?field=full_name&value=an"; do
	t_is "$(get "$T_TMP/anon" "$p") $(location)" "303 /login" "GET $p without a session goes to the login page"
done
t_is "$(post "$T_TMP/anon" /keying/next "")" 401 "POST /keying/next without a session is refused"
for u in "kim types-pages-of-coba" "lam types-pages-of-lung" "ha ha-keys-every-office" \
	"mona manager-of-figures" "root1 the-admin-key-42"; do
	set -- $u
	t_is "$(login "$T_TMP/$1" "$1" "$2")" 303 "$1 signs in"
done
t_is "$(get "$T_TMP/mona" /keying)" 403 "a manager does not key"
t_is "$(get "$T_TMP/mona" /keying/page/$phand)" 403 "nor opens a page to key"
get "$T_TMP/mona" /dashboard >/dev/null
c=$(csrf)
t_is "$(post "$T_TMP/mona" /keying/next "csrf=$c")" 403 "nor takes one"
t_is "$(get "$T_TMP/kim" /keying)" 200 "a reviewer opens the keying queue"
t_grep "$T_TMP/body" '<title>Nhập liệu' "in Vietnamese"
t_grep "$T_TMP/body" 'href="/keying"' "and the menu leads there"
t_is "$(post "$T_TMP/kim" /keying/next "csrf=0000")" 403 "a POST with a wrong CSRF token is refused"
t_is "$(sql "SELECT count(*) FROM pages WHERE claimed_by IS NOT NULL")" 0 "and claims nothing"
ckim=$(csrf)
t_is "$(post "$T_TMP/kim" /keying/settings "csrf=$ckim&double=1&share=50")" 403 "a reviewer cannot change the settings"

# --- the queue: which pages, which office -------------------------------------------
get "$T_TMP/root1" /keying >/dev/null
t_grep "$T_TMP/body" 'Chờ nhập liệu: 3 trang máy không đọc được và 1 bản ghi có phần lớn giá trị bị đánh dấu' \
	"every office: three handwritten pages and one record wait (no cover)"
get "$T_TMP/kim" /keying >/dev/null
t_grep "$T_TMP/body" 'Chờ nhập liệu: 2 trang .* và 1 bản ghi' "Cô Ba's keyer sees Cô Ba's pages and record"
t_is "$(post "$T_TMP/kim" /keying/next "csrf=$ckim")" 303 "kim starts keying"
t_is "$(location)" "/keying/page/$pnoline" "and gets Cô Ba's first handwritten page"
t_is "$(post "$T_TMP/kim" /keying/page/$pnoline "csrf=$ckim&action=skip")" 303 "she skips it"
t_is "$(location)" "/keying/page/$phand" "and gets the next"
t_is "$(sql "SELECT claimed_by FROM pages WHERE page_id = $phand")" kim "which she holds"
t_is "$(get "$T_TMP/kim" /keying/page/$plung)" 404 "another office's page is not hers to open"
t_is "$(get "$T_TMP/kim" /keying/scan/page/$plung.jpg)" 404 "nor its scan"
t_is "$(get "$T_TMP/kim" /keying/page/$pcover)" 200 "a cover opens (her office) ..."
t_grep "$T_TMP/body" 'không chờ bạn nhập liệu' "... but does not wait to be keyed"
t_is "$(get "$T_TMP/kim" /keying/scan/page/$phand.jpg)" 200 "the scan of her page"
t_grep "$T_TMP/hdr" '^Content-Type: image/jpeg' "as JPEG"
t_ok "a whole page (more than 20 kB)" test "$(wc -c <"$T_TMP/body")" -gt 20000
get "$T_TMP/kim" "/keying/page/$phand" >/dev/null
t_grep "$T_TMP/body" '<select name="type" id="doctype" autofocus>' "the page asks for the document type first"
get "$T_TMP/kim" "/keying/page/$phand?type=khai_sinh" >/dev/null
ckim=$(csrf)
t_grep "$T_TMP/body" 'name="f_full_name"' "then the fields of the form"
t_grep "$T_TMP/body" 'name="f_mother_name"' "all those the extraction reads"
t_grep "$T_TMP/body" 'Họ, chữ đệm, tên</label>' "with the labels the forms print"
t_nogrep "$T_TMP/body" 'name="f_husband_name"' "and no field of another form"

# --- names checked as typed ------------------------------------------------------------
curl -s -b "$T_TMP/kim" -G --data-urlencode field=full_name --data-urlencode "value=nguyễn  thị hoa" "$B/keying/check" >"$T_TMP/chk"
t_grep "$T_TMP/chk" '"ok":true' "a name typed is checked by the normalize stage"
t_grep "$T_TMP/chk" '"value":"Nguy\\u1EC5n Th\\u1ECB Hoa"' "and shown as it will be kept"
curl -s -b "$T_TMP/kim" -G --data-urlencode field=full_name --data-urlencode "value=Script Script Alert Script" "$B/keying/check" >"$T_TMP/chk"
t_grep "$T_TMP/chk" '"ok":false' "a name that is none is refused as typed"

# --- a page keyed ------------------------------------------------------------------------
nfd=$(printf 'Nguye\314\202\314\203n Thi\314\243 Hoa')
t_is "$(curl -s -o "$T_TMP/body" -w '%{http_code}' -b "$T_TMP/kim" --data "csrf=$ckim&action=save&doc_type=khai_sinh" \
	--data-urlencode "f_full_name=Script Script Alert Script" --data-urlencode "f_dob=01021990" \
	"$B/keying/page/$phand")" 422 "a name that is none is refused on saving"
t_grep "$T_TMP/body" 'value="Script Script Alert Script"' "and the form keeps what was typed"
t_grep "$T_TMP/body" 'value="01021990"' "every field"
t_is "$(sql "SELECT count(*) FROM records")" "$rec_before" "nothing is stored"
code=$(curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -b "$T_TMP/kim" \
	--data "csrf=$ckim&action=save&doc_type=khai_sinh" --data-urlencode "f_full_name=$nfd" \
	--data-urlencode "f_dob=01021990" --data-urlencode "f_sex=nữ" \
	--data-urlencode "f_mother_name=Lê Thị Mai" --data-urlencode "f_register_no=45" \
	--data-urlencode "f_registered_on=15/02/1990" "$B/keying/page/$phand")
t_is "$code" 303 "kim saves the page"
t_is "$(sql "SELECT count(*) FROM records")" "$((rec_before + 1))" "a record is made"
krec=$(sql "SELECT record_id FROM records WHERE page_id = $phand")
t_is "$(sql "SELECT doc_type || ' ' || registry_office || ' ' || register_no || ' ' || registered_on FROM records WHERE record_id = $krec")" \
	"khai_sinh $coba 45 1990-02-15" "of the type picked, the page's office, its register number and date"
t_is "$(sql "SELECT fields -> 'full_name' ->> 'value' = normalize(fields -> 'full_name' ->> 'value', NFC)
	AND fields -> 'full_name' ->> 'value' = 'Nguyễn Thị Hoa' FROM records WHERE record_id = $krec")" t \
	"a name typed decomposed (NFD) is kept composed (NFC)"
t_is "$(sql "SELECT full_name || ' ' || dob || ' ' || sex || ' ' || mother_name FROM record_people WHERE record_id = $krec AND role = 'subject'")" \
	"Nguyễn Thị Hoa 1990-02-01 nu Lê Thị Mai" "its person stored for matching (a date typed as digits)"
t_is "$(sql "SELECT (fields -> 'dob' ->> 'keyed')::boolean AND NOT (fields -> 'dob' ->> 'review')::boolean FROM records WHERE record_id = $krec")" t \
	"its fields marked keyed, none flagged"
t_is "$(sql "SELECT doc_type FROM pages WHERE page_id = $phand")" khai_sinh "the page takes the type"
t_is "$(sql "SELECT user_name || ' ' || action FROM review_decisions WHERE record_id = $krec")" "kim key_record" "the audit keeps who keyed it"
t_is "$(sql "SELECT user_name || ' ' || pass || ' ' || office FROM keyings WHERE record_id = $krec")" "kim 1 $coba" "and the keying"
t_ok "the keying cannot be changed (append-only)" sh -c "! psql -X -q -d '$db' -c 'UPDATE hotich.keyings SET user_name = \$\$x\$\$' 2>/dev/null"
t_is "$(post "$T_TMP/kim" /keying/page/$phand "csrf=$ckim&action=save&doc_type=khai_sinh&f_full_name=Lan+Anh")" 404 \
	"a page keyed already is not keyed again"
get "$T_TMP/root1" /audit >/dev/null
t_grep "$T_TMP/body" 'Nhập liệu bản ghi' "the audit log names the keying in words"

# --- matched and counted ---------------------------------------------------------------
t_run 0 "hotich match --unlinked matches the keyed record" hotich --db "$db" match --unlinked
t_is "$(sql "SELECT count(*) FROM matches WHERE record_id = $krec")" 1 "its person has a match row"
hotich --db "$db" report --by office --format json >"$T_TMP/rep.json"
t_is "$(python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get("rows", rows) if isinstance(rows, dict) else rows
print(sum(r["records"] for r in rows if r.get("group", r.get("office")) == sys.argv[2]))' "$T_TMP/rep.json" "$coba")" \
	"$(sql "SELECT count(*) FROM records WHERE registry_office = '$coba'")" "hotich report counts it as digitized"
hotich --db "$db" report --by doc_type --format csv >"$T_TMP/rep.csv"
t_is "$(grep '^khai_sinh,' "$T_TMP/rep.csv" | cut -d, -f2)" "$(sql "SELECT count(*) FROM records WHERE doc_type = 'khai_sinh'")" \
	"under the type it was keyed as"

# --- a flagged record keyed -------------------------------------------------------------
# its person linked automatically from the values as misread
cit=$(sql "SELECT id_number FROM citizens ORDER BY id_number LIMIT 1")
sql "DELETE FROM matches WHERE record_id = $frec" >/dev/null
sql "INSERT INTO matches (record_id, role, citizen_id, score, status, model_version)
	SELECT $frec, 'subject', '$cit', 0.999, 'auto', model_version FROM match_models LIMIT 1" >/dev/null
t_is "$(sql "SELECT status FROM matches WHERE record_id = $frec")" auto "the flagged record's person is linked automatically"
t_is "$(post "$T_TMP/kim" /keying/next "csrf=$ckim")" 303 "kim takes the next item"
t_is "$(location)" "/keying/record/$frec" "the record with most fields flagged"
get "$T_TMP/kim" /keying/record/$frec >/dev/null
t_grep "$T_TMP/body" 'name="f_full_name"[^>]*value="[^"]+"' "its fields shown as read, to correct"
t_nogrep "$T_TMP/body" 'id="doctype"' "its type is the one its title gave"
t_is "$(post "$T_TMP/kim" /keying/record/$frec "csrf=$ckim&action=save&doc_type=khai_sinh&f_full_name=Lan+Anh")" 403 \
	"a record keeps its type"
code=$(curl -s -o "$T_TMP/body" -w '%{http_code}' -b "$T_TMP/kim" --data "csrf=$ckim&action=save&doc_type=khai_tu" \
	--data-urlencode "f_full_name=Trần Văn Bảy" --data-urlencode "f_dob=1950" --data-urlencode "f_died_on=03041999" \
	"$B/keying/record/$frec")
t_is "$code" 303 "kim keys it"
t_is "$(sql "SELECT n_review || ' ' || (fields -> 'full_name' ->> 'value') FROM records WHERE record_id = $frec")" "0 Trần Văn Bảy" \
	"its fields replaced, none flagged"
t_is "$(sql "SELECT full_name || ' ' || dob FROM record_people WHERE record_id = $frec AND role = 'subject'")" "Trần Văn Bảy 1950" \
	"and its person"
t_is "$(sql "SELECT status || ' ' || citizen_id FROM matches WHERE record_id = $frec")" "review $cit" \
	"its automatic link, made from the misread values, waits for a reviewer"
t_run 0 "hotich match --unlinked scores it again" hotich --db "$db" match --unlinked
t_is "$(sql "SELECT count(*) FROM matches WHERE record_id = $frec AND citizen_id IS NOT DISTINCT FROM '$cit'")" 0 \
	"from the keyed values: the link made from the misread ones is gone"

# --- double keying -------------------------------------------------------------------------
get "$T_TMP/root1" /keying >/dev/null
croot=$(csrf)
t_is "$(post "$T_TMP/root1" /keying/settings "csrf=$croot&double=1&share=abc")" 400 "a share that is no number is refused"
t_is "$(post "$T_TMP/root1" /keying/settings "csrf=$croot&double=1&share=50")" 303 "an admin turns double keying on"
t_is "$(sql "SELECT double_keying FROM keying_settings")" t "it is on"
get "$T_TMP/lam" /keying >/dev/null
clam=$(csrf)
t_is "$(post "$T_TMP/lam" /keying/next "csrf=$clam")" 303 "lam starts"
t_is "$(location)" "/keying/page/$plung" "and gets Lũng Nặm's page"
t_is "$(curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -b "$T_TMP/lam" --data "csrf=$clam&action=save&doc_type=khai_tu" \
	--data-urlencode "f_full_name=Hoàng Văn Tư" --data-urlencode "f_dob=12051940" "$B/keying/page/$plung")" 303 "lam keys it"
t_grep "$T_TMP/hdr" '^Location: /keying\?msg=second' "a second keyer is needed"
t_is "$(sql "SELECT count(*) FROM records WHERE page_id = $plung")" 0 "no record yet"
t_is "$(post "$T_TMP/lam" /keying/next "csrf=$clam")" 303 "lam asks for the next item"
t_is "$(location)" "/keying?msg=empty" "and is not given his own page again"
get "$T_TMP/ha" /keying/page/$plung >/dev/null
cha=$(csrf)
t_grep "$T_TMP/body" 'id="take"' "a second keyer opens it by its address: nobody holds it"
post "$T_TMP/ha" /keying/page/$plung "csrf=$cha&action=claim" >/dev/null
t_is "$(location)" "/keying/page/$plung" "and takes it"
curl -s -o /dev/null -D "$T_TMP/hdr" -b "$T_TMP/ha" --data "csrf=$cha&action=save&doc_type=khai_tu" \
	--data-urlencode "f_full_name=Hoàng Văn Từ" --data-urlencode "f_dob=12051940" "$B/keying/page/$plung"
t_grep "$T_TMP/hdr" '^Location: /keying.*[?]msg=third' "the names differ: a third keyer decides (ha goes on to the next page)"
t_is "$(sql "SELECT string_agg(pass || ':' || user_name || ':' || coalesce(agreed::text, '-'), ' ' ORDER BY pass) FROM keyings WHERE page_id = $plung")" \
	"1:lam:- 2:ha:false" "both keyings kept, the disagreement too"
t_is "$(post "$T_TMP/lam" /keying/page/$plung "csrf=$clam&action=claim")" 303 "lam cannot take it again ..."
t_is "$(location)" "/keying/page/$plung?msg=gone" "... it does not wait for him"
post "$T_TMP/root1" /keying/page/$plung "csrf=$croot&action=claim" >/dev/null
t_is "$(sql "SELECT claimed_by FROM pages WHERE page_id = $plung")" root1 "the admin takes it as third keyer"
curl -s -o /dev/null -D "$T_TMP/hdr" -b "$T_TMP/root1" --data "csrf=$croot&action=save&doc_type=khai_tu" \
	--data-urlencode "f_full_name=Hoàng Văn Tư" --data-urlencode "f_dob=12051940" "$B/keying/page/$plung"
t_is "$(sql "SELECT r.registry_office || ' ' || p.full_name FROM records r JOIN record_people p USING (record_id) WHERE r.page_id = $plung")" \
	"$lung Hoàng Văn Tư" "the third keying makes the record"

# --- throughput on the dashboard -------------------------------------------------------------
t_is "$(get "$T_TMP/mona" /dashboard)" 200 "the manager's dashboard"
t_grep "$T_TMP/body" 'id="keying-user"' "shows keying per person"
t_grep "$T_TMP/body" 'id="keying-office"' "and per office"
text | tr -s ' ' >"$T_TMP/dash.txt"
t_grep "$T_TMP/dash.txt" 'kim 2 2 2 2 0' "kim: two keyed today, two records made"
t_grep "$T_TMP/dash.txt" 'ha 1 1 1 0 1' "ha: one keying, no record, one disagreement"
t_grep "$T_TMP/dash.txt" "$lung 3 3 3 1 1" "Lũng Nặm: three keyings, one record"
t_grep "$T_TMP/body" 'href="/dashboard/keying-user.csv"' "a CSV of keying per person is offered"
t_is "$(get "$T_TMP/mona" /dashboard/keying-user.csv)" 200 "the manager downloads it"
t_is "$(head -1 "$T_TMP/body" | tr -d '\r')" "keyer,today,last_7_days,all,records_made,disagreements" "its header"
t_grep "$T_TMP/body" '^kim,2,2,2,2,0' "kim's row, as on the page"
t_grep "$T_TMP/body" '^ha,1,1,1,0,1' "ha's row"
t_is "$(get "$T_TMP/mona" /dashboard/keying-office.csv)" 200 "and per office"
t_grep "$T_TMP/body" "^\"$lung\",3,3,3,1,1" "Lũng Nặm's row (the name quoted: it has commas)"

kill $spid 2>/dev/null
wait $spid 2>/dev/null
t_nogrep "$T_TMP/serve.err" 'ERROR|error:' "the server logged no error"
[ "$T_FAILED" -eq 0 ] || t_diag "$T_TMP/serve.err"
t_done
