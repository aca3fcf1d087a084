#!/bin/sh
# The web application over HTTP against a throwaway database: users and
# their password hashes, login required everywhere, roles, CSRF, login
# throttling, session expiry and logout, two reviewers never holding the
# same item, decisions with their audit row (and atomic with it), field
# corrections, hostile values stored harmlessly and rendered escaped, the
# crops, the dashboard and its CSV, and the rights of the serving role.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small

mkdir -p "$T_TMP/scans"
for f in xa-chu-trinh/quyen-03/000006.tif xa-chu-trinh/quyen-03/000007.tif \
	xa-chu-trinh/quyen-03/000013.tif xa-co-ba/quyen-05/000003.tif \
	xa-chu-trinh/quyen-03/000014.jpg; do
	cp "$small/scans/$f" "$T_TMP/scans/"
done
db=$(new_db web)
sql() { t_psql "$db" "SET search_path TO hotich; $1" | sed '/^SET$/d'; }
hotich --db "$db" db init >/dev/null
hotich --db "$db" registry import "$small/registry.csv" >/dev/null
hotich --db "$db" run -q --jobs 2 "$T_TMP/scans" >/dev/null 2>&1 || true
t_ok "the batch loaded records" test "$(sql "SELECT count(*) > 4 FROM records")" = t
# enough items in the queue, whatever the batch decided: three links to
# check and one record with a flagged field
sql "UPDATE matches SET status = 'review' WHERE match_id IN (SELECT match_id FROM matches
     WHERE status = 'auto' ORDER BY match_id LIMIT 3)" >/dev/null
sql "UPDATE records SET fields = jsonb_set(fields, '{full_name,review}', 'true'),
     n_review = n_review + 1 WHERE record_id = (SELECT min(record_id) FROM records
     WHERE doc_type = 'khai_sinh' AND NOT (fields -> 'full_name' ->> 'review')::boolean)" >/dev/null

# --- users -------------------------------------------------------------------
adduser() { printf '%s\n' "$3" | "$HOTICH" --db "$db" user add "$1" --role "$2" >/dev/null 2>&1; }
t_run 0 "user add reads the password from stdin" sh -c "printf 'alice-password\n' | \"\$HOTICH\" --db '$db' user add alice --role reviewer"
t_grep "$T_OUT" '^user alice added \(role reviewer\)' "and says so"
t_is "$(sql "SELECT password_hash LIKE '\$argon2id\$%' FROM users WHERE name = 'alice'")" t "the password is kept as an Argon2id hash"
t_is "$(sql "SELECT count(*) FROM users WHERE password_hash LIKE '%alice-password%'")" 0 "never in clear"
t_run 2 "a short password is refused" sh -c "printf 'short\n' | \"\$HOTICH\" --db '$db' user add bob --role reviewer"
t_grep "$T_ERR" 'at least 10 characters' "with the reason"
t_run 2 "an unknown role is refused" sh -c "printf 'long-enough-pw\n' | \"\$HOTICH\" --db '$db' user add bob --role boss"
t_run 2 "a user cannot be added twice" sh -c "printf 'alice-password\n' | \"\$HOTICH\" --db '$db' user add alice --role reviewer"
adduser bob reviewer bob-password
adduser mona manager mona-password
adduser root1 admin root1-password
adduser victim reviewer victim-password
office=$(sql "SELECT registry_office FROM records WHERE registry_office IS NOT NULL LIMIT 1")
printf 'carol-password\n' | "$HOTICH" --db "$db" user add carol --role reviewer --office "Xã Nơi Khác, Huyện Khác, Tỉnh Hà Giang" >/dev/null

# --- the server ----------------------------------------------------------------
port=$((21000 + $$ % 4000))
B=http://127.0.0.1:$port
# shellcheck disable=SC2086
(cd "$T_TMP" && exec $HOTICH_CMD --db "$db" serve --listen "127.0.0.1:$port" --threads 3 >"$T_TMP/serve.out" 2>"$T_TMP/serve.err") &
spid=$!
port2=$((port + 1))
(cd "$T_TMP" && exec "$HOTICH" --db "$db" serve --listen "127.0.0.1:$port2" --idle-timeout 2 >/dev/null 2>"$T_TMP/serve2.err") &
spid2=$!
trap 'kill $spid $spid2 2>/dev/null; rm -rf "$T_TMP"' EXIT
i=0
until curl -sf "$B/healthz" >/dev/null && curl -sf "http://127.0.0.1:$port2/healthz" >/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && break
	sleep 0.1
done
t_grep "$T_TMP/serve.out" "listening on http://127.0.0.1:$port/" "serve listens where it was told"
t_run 2 "a bad --listen is a usage error" hotich --db "$db" serve --listen "0.0.0.0:99999"
t_run 0 "serve --help says it binds to localhost by default" hotich serve --help
t_grep "$T_OUT" '127\.0\.0\.1:8080' "127.0.0.1:8080"

# get JAR PATH [BASE]: status code; body in $T_TMP/body, headers in $T_TMP/hdr
get() { curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" "${3:-$B}$2"; }
# post JAR PATH DATA [BASE]
post() { curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" --data "$3" "${4:-$B}$2"; }
location() { sed -n 's/^Location: *//Ip' "$T_TMP/hdr" | tr -d '\r'; }
csrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body" | head -1; }
# login JAR USER PASSWORD [BASE]: the status of the POST
login() {
	get "$1" /login "${4:-}" >/dev/null
	tok=$(sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body")
	post "$1" /login "login_token=$tok&user=$2&password=$3" "${4:-}"
}

# --- login required everywhere -----------------------------------------------------
for p in / /review /review/match/1 /review/record/1 /record/1 /crop/1.png?role=subject \
	/dashboard /dashboard/office.csv /discrepancies /audit; do
	code=$(get "$T_TMP/anon" "$p")
	t_is "$code $(location)" "303 /login" "GET $p without a session goes to the login page"
done
t_nogrep "$T_TMP/body" '[0-9]{12}' "and shows no data"
code=$(post "$T_TMP/anon" /review/match/1 "action=no_match")
t_is "$code" 401 "POST without a session is refused"
t_is "$(get "$T_TMP/anon" /static/app.css)" 200 "static assets are public"
t_is "$(get "$T_TMP/anon" /nope)" 404 "an unknown page is 404"
t_grep "$T_TMP/hdr" "^Content-Security-Policy: default-src 'none'" "responses carry a strict CSP"
t_grep "$T_TMP/hdr" "^X-Frame-Options: DENY" "and forbid framing"

# --- login ---------------------------------------------------------------------
t_is "$(login "$T_TMP/x" alice wrong-password)" 401 "a wrong password is refused"
t_grep "$T_TMP/body" 'Wrong user name or password' "with a message that does not say which"
t_is "$(login "$T_TMP/x" nobody wrong-password)" 401 "an unknown user gets the same answer"
get "$T_TMP/x" /login >/dev/null
t_is "$(post "$T_TMP/x" /login "login_token=$(printf '%064d' 0)&user=alice&password=alice-password")" 403 \
	"a login without the form's token (login CSRF) is refused"
t_is "$(login "$T_TMP/alice" alice alice-password)" 303 "the right password signs in"
t_grep "$T_TMP/hdr" '^Set-Cookie: hotich_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict' "with an HttpOnly SameSite=Strict cookie"
t_is "$(sql "SELECT count(*) FROM web_sessions s JOIN users u USING (user_id) WHERE u.name = 'alice'")" 1 "one session in the database"
tokhash=$(sql "SELECT token_hash FROM web_sessions")
t_nogrep "$T_TMP/alice" "$tokhash" "which keeps only the token's hash"
i=0
while [ $i -lt 5 ]; do login "$T_TMP/v" victim not-the-password >/dev/null; i=$((i + 1)); done
t_is "$(login "$T_TMP/v" victim victim-password)" 429 "after 5 failures even the right password is throttled"
t_grep "$T_TMP/body" 'Too many failed sign-ins' "with a message"
t_nogrep "$T_TMP/serve.err" 'victim-password|alice-password|not-the-password' "passwords never reach the log"

login "$T_TMP/bob" bob bob-password >/dev/null
login "$T_TMP/mona" mona mona-password >/dev/null
login "$T_TMP/root" root1 root1-password >/dev/null
login "$T_TMP/carol" carol carol-password >/dev/null

# --- roles -------------------------------------------------------------------------
t_is "$(get "$T_TMP/alice" /dashboard)" 403 "a reviewer cannot open the dashboard"
t_is "$(get "$T_TMP/alice" /audit)" 403 "nor the audit log"
t_is "$(get "$T_TMP/mona" /review)" 403 "a manager cannot open the review queue"
t_is "$(get "$T_TMP/mona" /crop/1.png?role=subject)" 403 "nor the scans"
t_is "$(get "$T_TMP/mona" /dashboard)" 200 "a manager opens the dashboard"
t_is "$(get "$T_TMP/root" /audit)" 200 "an admin opens the audit log"
t_is "$(get "$T_TMP/root" /dashboard)" 200 "and the dashboard"

# --- the queue: two reviewers, two items ---------------------------------------
get "$T_TMP/alice" /review >/dev/null
a_item=$(location)
get "$T_TMP/bob" /review >/dev/null
b_item=$(location)
t_ok "alice gets an item" expr "$a_item" : '/review/match/[0-9]*$'
t_ok "bob gets an item" expr "$b_item" : '/review/match/[0-9]*$'
t_ok "not the same one" test "$a_item" != "$b_item"
get "$T_TMP/alice" /review >/dev/null
t_is "$(location)" "$a_item" "alice keeps hers while she holds it"
t_is "$(get "$T_TMP/carol" /review)" 200 "a reviewer of another office gets none of them"
t_grep "$T_TMP/body" 'Nothing to review' "and is told the queue is empty"
t_is "$(get "$T_TMP/carol" "$a_item")" 404 "nor can she open one"
a_id=${a_item##*/}
b_id=${b_item##*/}
t_is "$(get "$T_TMP/alice" "$a_item")" 200 "alice's item opens"
t_grep "$T_TMP/body" "<img class=\"crop\" src=\"/crop/[0-9]+\.png\?role=" "with the scan's crop"
t_grep "$T_TMP/body" 'Candidate 1' "the candidates"
t_grep "$T_TMP/body" 'Why this score' "and the match-weight explanation"
a_csrf=$(csrf)
crop=$(sed -n 's/.*<img class="crop" src="\([^"]*\)".*/\1/p' "$T_TMP/body" | sed 's/&amp;/\&/g' | head -1)
t_is "$(curl -s -o "$T_TMP/crop.png" -w '%{http_code} %{content_type}' -b "$T_TMP/alice" "$B$crop")" "200 image/png" "the crop is a PNG"
t_is "$(head -c 4 "$T_TMP/crop.png" | od -An -c | tr -d ' ')" '211PNG' "with PNG bytes"
t_is "$(find "$T_TMP/var/crops" -name '*.png' -perm 0600 | wc -l)" 1 "the crop is cached, readable by the server's user only"
curl -s -o "$T_TMP/crop2.png" -b "$T_TMP/alice" "$B$crop"
t_ok "and served again from the cache, the same" cmp "$T_TMP/crop.png" "$T_TMP/crop2.png"
cand=$(sed -n 's/.*name="candidate" value="\([0-9]*\)".*/\1/p' "$T_TMP/body" | head -1)

# --- CSRF ---------------------------------------------------------------------------
t_is "$(post "$T_TMP/alice" "$a_item" "action=no_match")" 403 "a decision without the CSRF token is refused"
t_is "$(post "$T_TMP/alice" "$a_item" "action=no_match&csrf=$(printf '%064d' 7)")" 403 "and with a wrong one"
t_is "$(sql "SELECT status FROM matches WHERE match_id = $a_id")" review "nothing changed"
get "$T_TMP/bob" "$b_item" >/dev/null
b_csrf=$(csrf)
t_is "$(post "$T_TMP/bob" "$a_item" "action=no_match&csrf=$b_csrf")" 303 "bob cannot decide alice's item"
t_is "$(location)" "/review?msg=taken" "he is told another reviewer holds it"
t_is "$(sql "SELECT status FROM matches WHERE match_id = $a_id")" review "and it is unchanged"
t_is "$(post "$T_TMP/alice" "$a_item" "action=confirm&candidate=000000000001&csrf=$a_csrf")" 400 "a candidate that was not offered is refused"

# --- decisions and their audit -----------------------------------------------------
t_is "$(post "$T_TMP/alice" "$a_item" "action=confirm&candidate=$cand&csrf=$a_csrf")" 303 "alice confirms candidate 1"
t_is "$(location)" /review "and the next item follows"
t_is "$(sql "SELECT status || ' ' || citizen_id || ' ' || decided_by FROM matches WHERE match_id = $a_id")" "confirmed $cand alice" "the match is confirmed, by alice"
t_is "$(sql "SELECT action || ' ' || (before ->> 'status') || ' ' || (after ->> 'status') || ' ' || (after ->> 'citizen_id') FROM review_decisions WHERE user_name = 'alice'")" "confirm review confirmed $cand" "the audit row has who, before and after"
t_is "$(post "$T_TMP/alice" "$a_item" "action=no_match&csrf=$a_csrf")" 303 "deciding it again"
t_is "$(location)" "/review?msg=decided" "is refused as decided already"
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=999999999999&csrf=$b_csrf")" 303 "picking an ID number that is not valid"
t_is "$(location)" "/review/match/$b_id?msg=bad_id" "comes back with a message"
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=001090000001&csrf=$b_csrf")" 303 "picking a valid ID nobody has"
t_is "$(location)" "/review/match/$b_id?msg=unknown_id" "says no citizen has it"
# atomicity: the audit insert fails, so the decision must not stay
sql "CREATE FUNCTION t_fail() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'audit down'; END \$\$;
     CREATE TRIGGER t_fail BEFORE INSERT ON review_decisions FOR EACH ROW EXECUTE FUNCTION t_fail()" >/dev/null
t_is "$(post "$T_TMP/bob" "$b_item" "action=no_match&csrf=$b_csrf")" 503 "when the audit row cannot be written the decision fails"
t_is "$(sql "SELECT status || coalesce(decided_by, '-') FROM matches WHERE match_id = $b_id")" "review-" "and the match is unchanged"
t_nogrep "$T_TMP/body" 'audit down|ERROR|SELECT|INSERT' "no SQL or database message reaches the browser"
sql "DROP TRIGGER t_fail ON review_decisions; DROP FUNCTION t_fail()" >/dev/null
t_is "$(post "$T_TMP/bob" "$b_item" "action=no_match&csrf=$b_csrf")" 303 "then it goes through"
t_is "$(sql "SELECT status || ' ' || (citizen_id IS NULL) FROM matches WHERE match_id = $b_id")" "rejected true" "no match: rejected, no citizen"
t_is "$(sql "SELECT count(*) FROM review_decisions WHERE user_name = 'bob'")" 1 "one audit row for bob's one decision"

# reopen an automatic link
auto=$(sql "SELECT match_id || ' ' || record_id FROM matches WHERE status = 'auto' ORDER BY match_id LIMIT 1")
get "$T_TMP/alice" "/record/${auto#* }" >/dev/null
t_grep "$T_TMP/body" "action=\"/reopen/${auto% *}\"" "a record page offers to reopen an automatic link"
t_is "$(post "$T_TMP/alice" "/reopen/${auto% *}" "csrf=$a_csrf")" 303 "reopening it"
t_is "$(sql "SELECT status FROM matches WHERE match_id = ${auto% *}")" review "puts it back in review"
t_is "$(sql "SELECT count(*) FROM review_decisions WHERE action = 'reopen' AND user_name = 'alice'")" 1 "with its audit row"

# --- a flagged field ------------------------------------------------------------------
rec=$(sql "SELECT record_id FROM records WHERE n_review > 0 AND (fields -> 'full_name' ->> 'review')::boolean ORDER BY record_id LIMIT 1")
t_is "$(get "$T_TMP/alice" "/review/record/$rec")" 200 "a record with a flagged field opens"
t_grep "$T_TMP/body" "src=\"/crop/$rec.png\?field=full_name\"" "with the crop of the field"
before=$(sql "SELECT n_review FROM records WHERE record_id = $rec")
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=dob&value=31%2F02%2F1990&csrf=$a_csrf")" 303 "an impossible date"
t_ok "is refused with the reason" expr "$(location)" : ".*msg=bad_value&why=That"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=full_name&value=nguy%E1%BB%85n%20%20v%C4%83n%20AN&csrf=$a_csrf")" 303 "a corrected name"
t_is "$(sql "SELECT (fields -> 'full_name' ->> 'value') || '|' || (fields -> 'full_name' ->> 'review') || '|' || n_review FROM records WHERE record_id = $rec")" "Nguyễn Văn An|false|$((before - 1))" "is stored normalized, no longer flagged"
t_is "$(sql "SELECT full_name || '|' || name_key FROM record_people WHERE record_id = $rec AND role = 'subject'")" "Nguyễn Văn An|nguyen van an" "the person's name follows"
t_is "$(sql "SELECT action || ' ' || field || ' ' || (after ->> 'value') FROM review_decisions WHERE record_id = $rec AND action = 'correct_field'")" "correct_field full_name Nguyễn Văn An" "and the correction is audited"
# a recognition: the child's father or mother is the recognized parent
cmc=$(sql "SELECT record_id || ' ' || (fields -> 'parent_sex' ->> 'value') FROM records WHERE doc_type = 'nhan_cha_me_con' AND fields -> 'parent_sex' ->> 'value' IN ('nam', 'nu') ORDER BY record_id LIMIT 1")
pname=$(sql "SELECT fields -> 'parent_name' ->> 'value' FROM records WHERE record_id = ${cmc% *}")
if [ "${cmc#* }" = nam ]; then was="$pname|-"; other=n%E1%BB%AF; now="-|$pname"; else was="-|$pname"; other=nam; now="$pname|-"; fi
people() { sql "SELECT coalesce(father_name, '-') || '|' || coalesce(mother_name, '-') FROM record_people WHERE record_id = ${cmc% *} AND role = 'child'"; }
t_is "$(people)" "$was" "the child of a recognition has the parent read as father or mother"
t_is "$(post "$T_TMP/alice" "/review/record/${cmc% *}" "action=correct&field=parent_sex&value=$other&csrf=$a_csrf")" 303 "correcting the parent's sex"
t_is "$(people)" "$now" "moves the parent to the other side"

# --- hostile values ------------------------------------------------------------------
xss='<script>alert(1)</script>'
sql "UPDATE records SET fields = jsonb_set(fields, '{full_name,value}', to_jsonb('\"><img src=x onerror=alert(1)>'::text))
     WHERE record_id = $rec; UPDATE record_people SET full_name = '$xss' WHERE record_id = $rec" >/dev/null
get "$T_TMP/alice" "/record/$rec" >/dev/null
t_nogrep "$T_TMP/body" '<img src=x|<script>alert' "an OCR'd value with markup is not rendered as markup"
t_grep "$T_TMP/body" '&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;' "it is shown escaped"
t_is "$(get "$T_TMP/root" "/audit?user=%27%20OR%201%3D1%20--")" 200 "an SQL injection in a query parameter"
t_nogrep "$T_TMP/body" '<td>alice</td>' "finds nothing"
t_grep "$T_TMP/body" 'value="&#39; OR 1=1 --"' "and is echoed escaped"
t_is "$(get "$T_TMP/alice" "/record/1%20OR%201=1")" 404 "an injection in a path is not found"
t_is "$(get "$T_TMP/alice" "/record/99999999999999999999999")" 404 "nor is a huge id"
t_is "$(get "$T_TMP/root" "/audit?user=%3Cscript%3E")" 200 "markup in a parameter"
t_nogrep "$T_TMP/body" '<script>' "is echoed escaped"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=accept&field=x%27%29%3B%20DROP%20TABLE%20matches%3B%20--&csrf=$a_csrf")" 303 "an SQL injection as a field name"
t_is "$(sql "SELECT count(*) > 0 FROM matches")" t "leaves the tables alone"
head -c 1000 /dev/zero >"$T_TMP/nul"
t_is "$(curl -s -o /dev/null -w '%{http_code}' -b "$T_TMP/alice" --data-binary @"$T_TMP/nul" -H 'Content-Type: application/x-www-form-urlencoded' "$B/review/record/$rec")" 403 "a body of NUL bytes gets no further than the CSRF check"
head -c 100000 /dev/zero | tr '\0' 'a' >"$T_TMP/big"
t_is "$(curl -s -o /dev/null -w '%{http_code}' -b "$T_TMP/alice" --data-binary @"$T_TMP/big" "$B/review/record/$rec")" 413 "a form larger than 64 KiB is refused"

# --- dashboard and CSV --------------------------------------------------------------
get "$T_TMP/mona" /dashboard >/dev/null
t_grep "$T_TMP/body" '<svg class="trend"' "the dashboard draws the trend as inline SVG"
t_grep "$T_TMP/body" 'id="by-office"' "and tables by office"
t_grep "$T_TMP/body" 'id="by-doc_type"' "by document type"
t_grep "$T_TMP/body" 'id="by-year"' "by year"
t_grep "$T_TMP/body" 'id="by-batch"' "and by batch"
t_is "$(get "$T_TMP/mona" /dashboard/office.csv)" 200 "the office table as CSV"
t_grep "$T_TMP/body" '^office,records,linked,linked_pct,pending_review,unmatched,rejected_files,expected,digitized_pct' "with the report's columns"
t_grep "$T_TMP/hdr" '^Content-Disposition: attachment; filename="hotich-office.csv"' "as a download"
hotich --db "$db" report --by office --format csv | sed 1d | sort >"$T_TMP/report.csv"
sed 1d "$T_TMP/body" | tr -d '\r' | sort >"$T_TMP/web.csv"
t_ok "the same figures as hotich report" cmp "$T_TMP/report.csv" "$T_TMP/web.csv"
for t in doc_type year batch trend discrepancies; do
	t_is "$(get "$T_TMP/mona" /dashboard/$t.csv)" 200 "the $t table as CSV"
done
sql "UPDATE matches SET discrepancies = '[\"=HYPERLINK(\\\"http://x\\\")\"]' WHERE match_id = (SELECT min(match_id) FROM matches WHERE status = 'auto')" >/dev/null
get "$T_TMP/mona" /dashboard/discrepancies.csv >/dev/null
t_grep "$T_TMP/body" ",\"'=HYPERLINK" "a value a spreadsheet would run is defused in CSV"

# --- sessions -----------------------------------------------------------------------
login "$T_TMP/idle" alice alice-password "http://127.0.0.1:$port2" >/dev/null
t_is "$(get "$T_TMP/idle" /review "http://127.0.0.1:$port2")" 303 "a fresh session works"
t_ok "(on an item)" expr "$(location)" : '/review/'
sleep 3
get "$T_TMP/idle" /review "http://127.0.0.1:$port2" >/dev/null
t_is "$(location)" "/login?expired=1" "after the idle timeout the session has ended"
cp "$T_TMP/bob" "$T_TMP/bob-copy"
get "$T_TMP/bob" /review >/dev/null
get "$T_TMP/bob" "$(location | sed 's/?.*//')" >/dev/null
bc=$(csrf)
t_is "$(post "$T_TMP/bob" /logout "csrf=$bc")" 303 "logout"
t_grep "$T_TMP/hdr" '^Set-Cookie: hotich_session=; .*Max-Age=0' "clears the cookie"
t_is "$(get "$T_TMP/bob-copy" /review)" 303 "the old cookie, replayed"
t_is "$(location)" "/login?expired=1" "opens nothing"
t_is "$(sql "SELECT count(*) FROM web_sessions s JOIN users u USING (user_id) WHERE u.name = 'bob'")" 0 "the session is gone from the database"
t_run 0 "user disable" hotich --db "$db" user disable alice
t_is "$(get "$T_TMP/alice" /review)" 303 "a disabled user's session ends at once"

# --- the serving role --------------------------------------------------------------
role() { psql -X -q -t -A -d "$db" -c "SET search_path TO hotich" -c "SET ROLE hotich_web" -c "$1" 2>&1 | sed '/^SET$/d'; }
t_grep_s() { if echo "$1" | grep -Eq "$2"; then t_result 0 "$3"; else t_result 1 "$3"; echo "# got: $1"; fi; }
t_grep_s "$(role "UPDATE review_decisions SET user_name = 'x'")" 'permission denied' "the serving role cannot change the audit log"
t_grep_s "$(role "DELETE FROM review_decisions")" 'permission denied' "nor delete from it"
t_grep_s "$(role "UPDATE users SET role = 'admin'")" 'permission denied' "nor change users"
t_grep_s "$(role "DELETE FROM citizens")" 'permission denied' "nor touch the registry"
t_grep_s "$(role "INSERT INTO source_files (sha256, batch_id, path, size_bytes) VALUES (repeat('a', 64), 1, 'x', 0)")" 'permission denied' "nor the files"
t_nogrep "$T_TMP/serve.err" 'alice-password|bob-password|mona-password' "no password in the server's log"
t_grep "$T_TMP/serve.err" '"alice" decided match [0-9]+: confirm' "the log says who decided what"

kill $spid2 2>/dev/null
kill -TERM $spid
src=0
wait $spid || src=$?
t_is "$src" 0 "SIGTERM stops the server cleanly (under valgrind: no leak, no error)"
t_done
