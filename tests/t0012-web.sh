#!/bin/sh
# The web application over HTTP against a throwaway database: users and
# their passwords (length, common passwords, the user name), login required
# everywhere, roles, CSRF, the sign-in back-off (per account, per client,
# per known browser; atomic; refused tries not counted; X-Forwarded-For only
# from a trusted proxy), session expiry and logout, the queue claiming only
# when a reviewer starts work, two reviewers never holding the same item,
# decisions with their audit row (and atomic with it), a citizen shown
# before it is linked, a "no match" reopened, corrections only of a field
# offered, on an item held, in the reviewer's office (the office by an admin
# only), names that are no names refused unless confirmed, hostile values
# stored harmlessly and rendered escaped, the interface in Vietnamese (and
# English by choice), dates, sexes and times as users read them, the audit
# log in words, the crops, the dashboard (its headline, chart and tables)
# and its CSV (formulas defused), HTTP framing (Host, Content-Length,
# half-sent requests), log lines no input can forge, and the rights of the
# serving role.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small

# --- the catalogues: every message of web/ translated, formats intact --------
xgettext --from-code=UTF-8 --language=C --keyword=tr:2 --keyword=trn:2,3 --keyword=N_ \
	--no-location -o "$T_TMP/hotich.pot" "$HOTICH_SRC"/web/*.c 2>"$T_TMP/xgettext.err"
t_ok "the messages of web/ are extracted (xgettext, package gettext)" test -s "$T_TMP/hotich.pot"
t_run 0 "web/po/vi.po translates every one of them (msgcmp)" msgcmp "$HOTICH_SRC/web/po/vi.po" "$T_TMP/hotich.pot"
t_run 0 "and its formats agree with the messages (msgfmt -c)" msgfmt -c --check-format -o /dev/null "$HOTICH_SRC/web/po/vi.po"

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
# a registry row whose name is markup: letters once normalized, no name
printf '%s\n' 'id_number,full_name,dob,sex,birthplace,father_name,mother_name' \
	'001090000017,<img src=x onerror=alert(1)>,1990-01-01,nam,,,' \
	'001090000025,Script Script Alert Script,1990-01-01,nam,,,' \
	'001090000033,Nguyễn Văn Bình,1990-01-01,nam,,Img Src X Onerror Alert,' \
	'001090000041,Nguyễn Văn Bình,1990-01-01,nam,,Nguyễn Văn Lộc,Lan' >"$T_TMP/junk.csv"
t_run 1 "a registry import with names that are none" hotich --db "$db" registry import --rejects "$T_TMP/junk.rej" "$T_TMP/junk.csv"
t_grep "$T_OUT" '1 new, 0 updated, 0 unchanged, 3 rejected' "rejects them (a mother known as Lan is kept)"
t_is "$(grep -c 'not a plausible name' "$T_TMP/junk.rej")" 3 "with the reason"
hotich --db "$db" inventory import "$small/inventory.csv" >/dev/null
hotich --db "$db" run -q --jobs 2 "$T_TMP/scans" >/dev/null 2>&1 || true
t_ok "the batch loaded records" test "$(sql "SELECT count(*) > 4 FROM records")" = t
# enough items in the queue, whatever the batch decided: five links to
# check (of people whose sex and date of birth were read), and values to
# check on three records
sql "UPDATE matches SET status = 'review', decided_by = NULL, decided_at = NULL
     WHERE match_id IN (SELECT m.match_id FROM matches m JOIN record_people p USING (record_id, role)
     WHERE m.citizen_id IS NOT NULL AND p.sex IS NOT NULL AND length(p.dob) = 10
     ORDER BY m.match_id LIMIT 5)" >/dev/null
flag() { # flag RECORD FIELD...: the fields wait for a person
	r=$1
	shift
	for f in "$@"; do
		sql "UPDATE records SET fields = jsonb_set(fields, '{$f,review}', 'true')
		     WHERE record_id = $r AND fields ? '$f'" >/dev/null
	done
	sql "UPDATE records SET n_review = (SELECT count(*) FROM jsonb_each(fields) f
	     WHERE (f.value ->> 'review')::boolean) WHERE record_id = $r" >/dev/null
}
sql "UPDATE records SET fields = (SELECT jsonb_object_agg(k, v || '{\"review\": false}')
     FROM jsonb_each(fields) AS e(k, v)), n_review = 0" >/dev/null
rec=$(sql "SELECT min(record_id) FROM records WHERE doc_type = 'khai_sinh'")
recb=$(sql "SELECT min(record_id) FROM records WHERE doc_type = 'khai_tu'")
cmcrec=$(sql "SELECT min(record_id) FROM records WHERE doc_type = 'nhan_cha_me_con'
	AND fields -> 'parent_sex' ->> 'value' IN ('nam', 'nu')")
flag "$rec" full_name dob
flag "$recb" full_name registry_office
flag "$cmcrec" parent_sex registry_office
t_is "$(sql "SELECT sum(n_review) FROM records")" 6 "six values wait for a person"

# --- users and passwords ----------------------------------------------------
adduser() { printf '%s\n' "$3" | "$HOTICH" --db "$db" user add "$1" --role "$2" >/dev/null 2>&1; }
t_run 0 "user add reads the password from stdin" sh -c "printf 'first-reviewer-key\n' | \"\$HOTICH\" --db '$db' user add alice --role reviewer"
t_grep "$T_OUT" '^user alice added \(role reviewer\)' "and says so"
t_is "$(sql "SELECT password_hash LIKE '\$argon2id\$%' FROM users WHERE name = 'alice'")" t "the password is kept as an Argon2id hash"
t_is "$(sql "SELECT count(*) FROM users WHERE password_hash LIKE '%first-reviewer-key%'")" 0 "never in clear"
t_run 2 "a password of 11 characters is refused" sh -c "printf 'short-pw-11\n' | \"\$HOTICH\" --db '$db' user add bob --role reviewer"
t_grep "$T_ERR" 'at least 12 characters' "with the reason"
t_run 2 "a common password is refused" sh -c "printf 'password1234\n' | \"\$HOTICH\" --db '$db' user add bob --role reviewer"
t_grep "$T_ERR" 'common' "as a common one"
t_run 2 "so is a sequence of the keyboard" sh -c "printf 'qwertyuiop12\n' | \"\$HOTICH\" --db '$db' user add bob --role reviewer"
t_run 2 "and a password with the user name in it" sh -c "printf 'bob-is-the-best-1\n' | \"\$HOTICH\" --db '$db' user add bob --role reviewer"
t_grep "$T_ERR" 'user name' "with the reason"
t_run 2 "an unknown role is refused" sh -c "printf 'long-enough-pw-1\n' | \"\$HOTICH\" --db '$db' user add bob --role boss"
t_run 2 "a user cannot be added twice" sh -c "printf 'first-reviewer-key\n' | \"\$HOTICH\" --db '$db' user add alice --role reviewer"
adduser bob reviewer second-reviewer-key
adduser mona manager manager-of-figures
adduser root1 admin the-admin-key-42
adduser victim reviewer her-own-secret-k
adduser para reviewer parallel-guessed
printf 'other-office-key\n' | "$HOTICH" --db "$db" user add carol --role reviewer --office "Xã Nơi Khác, Huyện Khác, Tỉnh Hà Giang" >/dev/null

# --- the servers ------------------------------------------------------------------
port=$((21000 + $$ % 4000))
B=http://127.0.0.1:$port
# shellcheck disable=SC2086
(cd "$T_TMP" && exec $HOTICH_CMD --db "$db" serve --listen "127.0.0.1:$port" --threads 3 >"$T_TMP/serve.out" 2>"$T_TMP/serve.err") &
spid=$!
port2=$((port + 1))
B2=http://127.0.0.1:$port2
(cd "$T_TMP" && exec "$HOTICH" --db "$db" serve --listen "127.0.0.1:$port2" --idle-timeout 2 --trusted-proxy 127.0.0.1 >/dev/null 2>"$T_TMP/serve2.err") &
spid2=$!
trap 'kill $spid $spid2 2>/dev/null; rm -rf "$T_TMP"' EXIT
i=0
until curl -sf "$B/healthz" >/dev/null && curl -sf "$B2/healthz" >/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && break
	sleep 0.1
done
t_grep "$T_TMP/serve.out" "listening on http://127.0.0.1:$port/" "serve listens where it was told"
t_run 2 "a bad --listen is a usage error" hotich --db "$db" serve --listen "0.0.0.0:99999"
t_run 2 "a --trusted-proxy that is no address is a usage error" hotich --db "$db" serve --trusted-proxy proxy.lan
t_run 0 "serve --help says it binds to localhost by default" hotich serve --help
t_grep "$T_OUT" '127\.0\.0\.1:8080' "127.0.0.1:8080"
t_grep "$T_OUT" '--trusted-proxy ADDR' "and names --trusted-proxy"

# get JAR PATH [BASE]: status code; body in $T_TMP/body, headers in $T_TMP/hdr
get() { curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" "${3:-$B}$2"; }
# post JAR PATH DATA [BASE]
post() { curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" --data "$3" "${4:-$B}$2"; }
location() { sed -n 's/^Location: *//Ip' "$T_TMP/hdr" | tr -d '\r'; }
header() { sed -n "s/^$1: *//Ip" "$T_TMP/hdr" | tr -d '\r'; }
csrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body" | head -1; }
# login JAR USER PASSWORD [BASE]: the status of the POST
login() {
	get "$1" /login "${4:-}" >/dev/null
	tok=$(sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body")
	post "$1" /login "login_token=$tok&user=$2&password=$3" "${4:-}"
}
# the page's text without its markup
text() { sed -e 's/<[^>]*>/ /g' "$T_TMP/body"; }

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

# --- the language ---------------------------------------------------------------------
t_is "$(get "$T_TMP/anon" /login)" 200 "the sign-in page"
t_grep "$T_TMP/body" '<html lang="vi">' "is Vietnamese by default"
t_grep "$T_TMP/body" '>Đăng nhập</button>' "its button says Đăng nhập"
t_grep "$T_TMP/body" 'Tên đăng nhập' "and its fields are Vietnamese"
t_nogrep "$T_TMP/body" 'Sign in|User name|Password' "with no English"
curl -s -o "$T_TMP/body" -H 'Accept-Language: en-GB,en;q=0.9' "$B/login"
t_grep "$T_TMP/body" '<html lang="en">.*>Sign in</button>' "a browser that asks for English gets English"
curl -s -o "$T_TMP/body" -H 'Accept-Language: en;q=0.8,vi;q=0.9' "$B/login"
t_grep "$T_TMP/body" '<html lang="vi">' "and one that prefers Vietnamese, Vietnamese"
get "$T_TMP/en" "/login?lang=en" >/dev/null
t_grep "$T_TMP/hdr" '^Set-Cookie: hotich_lang=en' "the sign-in page's language link keeps the choice"
get "$T_TMP/en" /login >/dev/null
t_grep "$T_TMP/body" '>Sign in</button>' "for the next pages"

# --- login ---------------------------------------------------------------------
t_is "$(login "$T_TMP/x" alice wrong-password)" 401 "a wrong password is refused"
t_grep "$T_TMP/body" 'Sai tên đăng nhập hoặc mật khẩu' "with a message that does not say which"
t_is "$(login "$T_TMP/x" nobody wrong-password)" 401 "an unknown user gets the same answer"
get "$T_TMP/x" /login >/dev/null
t_is "$(post "$T_TMP/x" /login "login_token=$(printf '%064d' 0)&user=alice&password=first-reviewer-key")" 403 \
	"a login without the form's token (login CSRF) is refused"
t_is "$(login "$T_TMP/alice" alice first-reviewer-key)" 303 "the right password signs in"
t_grep "$T_TMP/hdr" '^Set-Cookie: hotich_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict' "with an HttpOnly SameSite=Strict cookie"
t_grep "$T_TMP/hdr" '^Set-Cookie: hotich_device=[0-9a-f]{64}; Path=/login; Max-Age=31536000; HttpOnly; SameSite=Strict' "and a cookie that marks this browser as alice's"
t_is "$(location)" / "to the start page"
t_is "$(sql "SELECT count(*) FROM web_sessions s JOIN users u USING (user_id) WHERE u.name = 'alice'")" 1 "one session in the database"
tokhash=$(sql "SELECT token_hash FROM web_sessions")
t_nogrep "$T_TMP/alice" "$tokhash" "which keeps only the token's hash"

# --- the back-off --------------------------------------------------------------
t_is "$(login "$T_TMP/vdev" victim her-own-secret-k)" 303 "the victim signs in from her own browser"
sed -i '/hotich_session/d' "$T_TMP/vdev"
i=0
while [ $i -lt 5 ]; do login "$T_TMP/v" victim not-the-password >/dev/null; i=$((i + 1)); done
t_is "$(login "$T_TMP/v" victim her-own-secret-k)" 429 "after 5 failures from one client even the right password waits"
t_grep "$T_TMP/body" 'Đăng nhập sai quá nhiều lần' "with a message"
ra1=$(header Retry-After)
t_ok "and Retry-After ($ra1 s)" test "${ra1:-0}" -ge 1 -a "${ra1:-0}" -le 15
n1=$(sql "SELECT count(*) FROM login_attempts WHERE user_name = 'victim' AND NOT ok")
login "$T_TMP/v" victim not-the-password >/dev/null
login "$T_TMP/v" victim not-the-password >/dev/null
t_is "$(sql "SELECT count(*) FROM login_attempts WHERE user_name = 'victim' AND NOT ok")" "$n1" \
	"refused tries are not counted as failures"
ra2=$(header Retry-After)
t_ok "and do not push the wait further ($ra2 <= $ra1)" test "${ra2:-99}" -le "${ra1:-0}"
t_is "$(login "$T_TMP/vdev" victim her-own-secret-k)" 303 "the victim's own browser is not kept out by them"
# made-up names from one address (here one that a trusted proxy forwards):
# that address waits, browsers that signed in before do not
xlogin() { # xlogin JAR USER PASSWORD CLIENT: through the proxy-trusting server
	curl -s -o "$T_TMP/body" -c "$1" -b "$1" -H "X-Forwarded-For: $4" "$B2/login" >/dev/null
	tok=$(sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p' "$T_TMP/body")
	curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' -c "$1" -b "$1" \
		-H "X-Forwarded-For: $4" --data "login_token=$tok&user=$2&password=$3" "$B2/login"
}
i=0
while [ $i -lt 21 ]; do xlogin "$T_TMP/spray" "made-up-$i" guess 192.0.2.50 >/dev/null; i=$((i + 1)); done
t_is "$(xlogin "$T_TMP/spray" made-up-99 guess 192.0.2.50)" 429 "after 20 failures with made-up names the address waits"
t_is "$(xlogin "$T_TMP/alice2" alice first-reviewer-key 192.0.2.50)" 429 "a new browser at that address waits too"
cp "$T_TMP/alice" "$T_TMP/alice-dev"
sed -i '/hotich_session/d' "$T_TMP/alice-dev"
t_is "$(xlogin "$T_TMP/alice-dev" alice first-reviewer-key 192.0.2.50)" 303 "but a browser alice has used signs in"
t_is "$(xlogin "$T_TMP/py" mona manager-of-figures "198.51.100.7, 203.0.113.9")" 303 "and another client of the proxy"
t_is "$(sql "SELECT count(*) FROM login_attempts WHERE client = '192.0.2.50' AND NOT ok")" 20 "each client counted as the proxy says"
t_is "$(sql "SELECT client FROM web_sessions s JOIN users u USING (user_id) WHERE u.name = 'mona'")" 203.0.113.9 \
	"the last address of X-Forwarded-For (the one the proxy added)"
curl -s -o /dev/null -b "$T_TMP/xo" -c "$T_TMP/xo" "$B/login"
tok=$(sed -n 's/^.*hotich_login\t//p' "$T_TMP/xo")
curl -s -o /dev/null -b "$T_TMP/xo" -H 'X-Forwarded-For: 192.0.2.200' --data "login_token=$tok&user=xff-test&password=x" "$B/login"
t_is "$(sql "SELECT client FROM login_attempts WHERE user_name = 'xff-test'")" 127.0.0.1 \
	"a server without --trusted-proxy ignores X-Forwarded-For"
# tries at once: the check and the record are one step
curl -s -o /dev/null -c "$T_TMP/par" "$B/login"
tok=$(sed -n 's/^.*hotich_login\t//p' "$T_TMP/par")
seq 40 | xargs -P 40 -I{} curl -s -o /dev/null -w '%{http_code}\n' -b "hotich_login=$tok" \
	--data "login_token=$tok&user=para&password=guess-{}" "$B/login" >"$T_TMP/par.codes"
t_is "$(sql "SELECT count(*) FROM login_attempts WHERE user_name = 'para'")" 5 "40 guesses at once: 5 checked, no more"
t_is "$(grep -c 429 "$T_TMP/par.codes") $(grep -c 401 "$T_TMP/par.codes")" "35 5" "35 refused, 5 told wrong"
t_nogrep "$T_TMP/serve.err" 'her-own-secret-k|first-reviewer-key|not-the-password' "passwords never reach the log"

login "$T_TMP/bob" bob second-reviewer-key >/dev/null
login "$T_TMP/mona" mona manager-of-figures >/dev/null
login "$T_TMP/root" root1 the-admin-key-42 >/dev/null
get "$T_TMP/root" / >/dev/null
t_is "$(location)" /dashboard "an admin's start page is the dashboard"
login "$T_TMP/carol" carol other-office-key >/dev/null
t_is "$(sql "SELECT count(*) FROM matches WHERE claimed_by IS NOT NULL") $(sql "SELECT count(*) FROM records WHERE claimed_by IS NOT NULL")" "0 0" \
	"signing in claims nothing"

# --- roles -------------------------------------------------------------------------
t_is "$(get "$T_TMP/alice" /dashboard)" 403 "a reviewer cannot open the dashboard"
t_is "$(get "$T_TMP/alice" /audit)" 403 "nor the audit log"
t_is "$(get "$T_TMP/mona" /review)" 403 "a manager cannot open the review queue"
t_is "$(get "$T_TMP/mona" /crop/1.png?role=subject)" 403 "nor the scans"
t_is "$(get "$T_TMP/mona" /dashboard)" 200 "a manager opens the dashboard"
t_is "$(get "$T_TMP/root" /audit)" 200 "an admin opens the audit log"
t_is "$(get "$T_TMP/root" /dashboard)" 200 "and the dashboard"

# --- the queue: claimed when work starts, two reviewers, two items -----------------
t_is "$(get "$T_TMP/alice" /)" 303 "a reviewer's start page"
t_is "$(location)" /review "is the queue"
t_is "$(get "$T_TMP/alice" /review)" 200 "the queue opens"
t_grep "$T_TMP/body" 'Bắt đầu rà soát' "with a start button"
nrev=$(sql "SELECT count(*) FROM matches WHERE status = 'review'")
t_grep "$T_TMP/body" "$nrev liên kết cần quyết định và 3 hồ sơ có giá trị cần kiểm tra" "and what waits"
t_is "$(sql "SELECT count(*) FROM matches WHERE claimed_by IS NOT NULL")" 0 "opening it claims nothing"
a_csrf=$(csrf)
t_is "$(post "$T_TMP/alice" /review/next "csrf=$a_csrf")" 303 "starting work"
a_item=$(location)
t_ok "gives alice an item ($a_item)" expr "$a_item" : '/review/match/[0-9]*$'
get "$T_TMP/bob" /review >/dev/null
b_csrf=$(csrf)
post "$T_TMP/bob" /review/next "csrf=$b_csrf" >/dev/null
b_item=$(location)
t_ok "bob gets an item ($b_item)" expr "$b_item" : '/review/match/[0-9]*$'
t_ok "not the same one" test "$a_item" != "$b_item"
get "$T_TMP/alice" /review >/dev/null
t_is "$(location)" "$a_item" "alice keeps hers while she holds it"
get "$T_TMP/carol" /review >/dev/null
c_csrf=$(csrf)
post "$T_TMP/carol" /review/next "csrf=$c_csrf" >/dev/null
t_is "$(location)" "/review?msg=empty" "a reviewer of another office gets none of them"
get "$T_TMP/carol" "$(location)" >/dev/null
t_grep "$T_TMP/body" 'Không có gì chờ rà soát' "and is told the queue is empty"
t_is "$(get "$T_TMP/carol" "$a_item")" 404 "nor can she open one"
a_id=${a_item##*/}
b_id=${b_item##*/}
t_is "$(get "$T_TMP/alice" "$a_item")" 200 "alice's item opens"
t_grep "$T_TMP/body" 'data-held="yes"' "as hers"
t_grep "$T_TMP/body" "<img class=\"crop\" src=\"/crop/[0-9]+\.png\?role=" "with the scan's crop"
t_grep "$T_TMP/body" 'Ứng viên 1' "the candidates"
t_grep "$T_TMP/body" 'Vì sao có điểm này' "and the match-weight explanation"
t_nogrep "$T_TMP/body" '>(nam|nu)<|[> ][0-9]{4}-[0-9]{2}-[0-9]{2}[< ]' "sexes and dates as people read them"
a_csrf=$(csrf)
crop=$(sed -n 's/.*<img class="crop" src="\([^"]*\)".*/\1/p' "$T_TMP/body" | sed 's/&amp;/\&/g' | head -1)
t_is "$(curl -s -o "$T_TMP/crop.png" -w '%{http_code} %{content_type}' -b "$T_TMP/alice" "$B$crop")" "200 image/png" "the crop is a PNG"
t_is "$(head -c 4 "$T_TMP/crop.png" | od -An -c | tr -d ' ')" '211PNG' "with PNG bytes"
t_is "$(find "$T_TMP/var/crops" -name '*.png' -perm 0600 | wc -l)" 1 "the crop is cached, readable by the server's user only"
curl -s -o "$T_TMP/crop2.png" -b "$T_TMP/alice" "$B$crop"
t_ok "and served again from the cache, the same" cmp "$T_TMP/crop.png" "$T_TMP/crop2.png"
cand=$(sed -n 's/.*name="candidate" value="\([0-9]*\)".*/\1/p' "$T_TMP/body" | head -1)
# an item opened by its address is not claimed
free_m=$(sql "SELECT min(match_id) FROM matches WHERE status = 'review' AND claimed_by IS NULL")
t_is "$(get "$T_TMP/root" "/review/match/$free_m")" 200 "an admin opens a free item by its address"
t_grep "$T_TMP/body" 'data-held="no"' "without holding it"
t_grep "$T_TMP/body" 'Nhận mục này' "and is offered to take it"
t_nogrep "$T_TMP/body" 'name="action" value="confirm"' "but no decision yet"
t_is "$(sql "SELECT coalesce(claimed_by, '-') FROM matches WHERE match_id = $free_m")" - "opening it claimed nothing"
get "$T_TMP/root" /audit >/dev/null
r_csrf=$(csrf)
t_is "$(post "$T_TMP/root" "/review/match/$free_m" "action=no_match&csrf=$r_csrf")" 303 "a decision on an item not taken"
t_is "$(location)" "/review?msg=taken" "is refused"
t_is "$(post "$T_TMP/root" "/review/match/$free_m" "action=claim&csrf=$r_csrf")" 303 "taking it"
t_is "$(sql "SELECT claimed_by FROM matches WHERE match_id = $free_m")" root1 "claims it"
t_is "$(get "$T_TMP/alice" "/review/match/$free_m")" 200 "another reviewer sees it"
t_grep "$T_TMP/body" 'root1 đang xử lý mục này' "as root1's"

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
t_ok "and the next item follows, hers ($(location))" expr "$(location)" : '/review/\(match\|record\)/[0-9]*$'
t_is "$(sql "SELECT status || ' ' || citizen_id || ' ' || decided_by FROM matches WHERE match_id = $a_id")" "confirmed $cand alice" "the match is confirmed, by alice"
t_is "$(sql "SELECT action || ' ' || (before ->> 'status') || ' ' || (after ->> 'status') || ' ' || (after ->> 'citizen_id') FROM review_decisions WHERE user_name = 'alice'")" "confirm review confirmed $cand" "the audit row has who, before and after"
t_is "$(post "$T_TMP/alice" "$a_item" "action=no_match&csrf=$a_csrf")" 303 "deciding it again"
t_is "$(location)" "/review?msg=decided" "is refused as decided already"
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=999999999999&csrf=$b_csrf")" 303 "picking an ID number that is not valid"
t_is "$(location)" "/review/match/$b_id?msg=bad_id" "comes back with a message"
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=001090000001&csrf=$b_csrf")" 303 "picking a valid ID nobody has"
t_is "$(location)" "/review/match/$b_id?msg=unknown_id&tried=001090000001" "says no citizen has it"
# P: who it is, before anything is linked
person=$(sql "SELECT coalesce(p.sex, '') || '|' || coalesce(p.dob, '') FROM matches m JOIN record_people p USING (record_id, role) WHERE m.match_id = $b_id")
other=$(sql "SELECT id_number || '|' || full_name || '|' || dob || '|' || father_name FROM citizens
	     WHERE sex IS NOT NULL AND sex <> '${person%%|*}' AND dob IS NOT NULL AND dob NOT LIKE '${person#*|}%'
	     AND father_name IS NOT NULL ORDER BY id_number LIMIT 1")
oid=${other%%|*}
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=$oid&csrf=$b_csrf")" 303 "picking a citizen by ID"
t_is "$(location)" "/review/match/$b_id?pick=$oid" "first shows who it is"
t_is "$(sql "SELECT status FROM matches WHERE match_id = $b_id")" review "and links nothing yet"
get "$T_TMP/bob" "$(location)" >/dev/null
oname=$(echo "$other" | cut -d'|' -f2)
odob=$(echo "$other" | cut -d'|' -f3 | sed 's/^\(....\)-\(..\)-\(..\)$/\3\/\2\/\1/')
ofather=$(echo "$other" | cut -d'|' -f4)
t_grep "$T_TMP/body" "$oname" "the citizen's name"
t_grep "$T_TMP/body" "$odob" "date of birth (dd/mm/yyyy)"
t_grep "$T_TMP/body" "$ofather" "and parents are shown"
t_grep "$T_TMP/body" 'mâu thuẫn với hồ sơ' "with the contradiction"
t_grep "$T_TMP/body" 'name="override" value="1" id="override" required' "and a box to tick"
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=$oid&confirm=1&csrf=$b_csrf")" 303 "linking without the tick"
t_is "$(location)" "/review/match/$b_id?msg=confirm_needed&pick=$oid" "is refused"
t_is "$(sql "SELECT status FROM matches WHERE match_id = $b_id")" review "and changes nothing"
# atomicity: the audit insert fails, so the decision must not stay
sql "CREATE FUNCTION t_fail() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'audit down'; END \$\$;
     CREATE TRIGGER t_fail BEFORE INSERT ON review_decisions FOR EACH ROW EXECUTE FUNCTION t_fail()" >/dev/null
t_is "$(post "$T_TMP/bob" "$b_item" "action=no_match&csrf=$b_csrf")" 503 "when the audit row cannot be written the decision fails"
t_is "$(sql "SELECT status || coalesce(decided_by, '-') FROM matches WHERE match_id = $b_id")" "review-" "and the match is unchanged"
t_nogrep "$T_TMP/body" 'audit down|ERROR|SELECT|INSERT' "no SQL or database message reaches the browser"
sql "DROP TRIGGER t_fail ON review_decisions; DROP FUNCTION t_fail()" >/dev/null
t_is "$(post "$T_TMP/bob" "$b_item" "action=pick&id_number=$oid&confirm=1&override=1&csrf=$b_csrf")" 303 "linking with the tick"
nm=$(location)
t_ok "goes on to bob's next item ($nm)" expr "$nm" : '/review/match/[0-9]*$'
nm=${nm##*/}
t_is "$(sql "SELECT status || ' ' || citizen_id FROM matches WHERE match_id = $b_id")" "confirmed $oid" "links the citizen"
t_is "$(sql "SELECT action || ' ' || (after -> 'confirmed_despite')::text FROM review_decisions WHERE user_name = 'bob'")" 'pick ["sex", "dob"]' \
	"and the audit says what was confirmed despite the record"
t_is "$(sql "SELECT claimed_by FROM matches WHERE match_id = $nm")" bob "the next item is his"
t_is "$(post "$T_TMP/bob" "/review/match/$nm" "action=no_match&csrf=$b_csrf")" 303 "bob says no match"
t_is "$(sql "SELECT status || ' ' || (citizen_id IS NULL) FROM matches WHERE match_id = $nm")" "rejected true" "no match: rejected, no citizen"
t_is "$(sql "SELECT count(*) FROM review_decisions WHERE user_name = 'bob'")" 2 "one audit row for each of bob's decisions"

# reopen an automatic link, and a "no match"
auto=$(sql "SELECT match_id || ' ' || record_id FROM matches WHERE status = 'auto' ORDER BY match_id LIMIT 1")
get "$T_TMP/alice" "/record/${auto#* }" >/dev/null
t_grep "$T_TMP/body" "action=\"/reopen/${auto% *}\"" "a record page offers to reopen an automatic link"
t_is "$(post "$T_TMP/alice" "/reopen/${auto% *}" "csrf=$a_csrf")" 303 "reopening it"
t_is "$(sql "SELECT status FROM matches WHERE match_id = ${auto% *}")" review "puts it back in review"
t_is "$(sql "SELECT count(*) FROM review_decisions WHERE action = 'reopen' AND user_name = 'alice'")" 1 "with its audit row"
was=$(sql "SELECT before ->> 'citizen_id' FROM review_decisions WHERE user_name = 'bob' AND action = 'no_match'")
nrec=$(sql "SELECT record_id FROM matches WHERE match_id = $nm")
get "$T_TMP/alice" "/record/$nrec" >/dev/null
t_grep "$T_TMP/body" "action=\"/reopen/$nm\"" "a \"no match\" can be reopened too"
t_is "$(post "$T_TMP/alice" "/reopen/$nm" "csrf=$a_csrf")" 303 "reopening it"
t_is "$(sql "SELECT status || ' ' || citizen_id FROM matches WHERE match_id = $nm")" "review $was" "brings back the citizen it was decided against"

# --- values to check: only on an item held, only a field offered ----------------------
t_is "$(get "$T_TMP/alice" "/review/record/$rec")" 200 "a record with values to check opens"
t_grep "$T_TMP/body" "src=\"/crop/$rec.png\?field=full_name\"" "with the crop of the field"
t_grep "$T_TMP/body" 'Họ, chữ đệm, tên' "labelled as the form prints it"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=full_name&value=Tr%E1%BA%A7n%20V%C4%83n%20B%C3%ACnh&csrf=$a_csrf")" 303 "a correction of a record not held"
t_is "$(location)" "/review/record/$rec?msg=not_held" "is refused"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=claim&csrf=$a_csrf")" 303 "alice takes the record"
before=$(sql "SELECT n_review FROM records WHERE record_id = $rec")
t_is "$(post "$T_TMP/bob" "/review/record/$rec" "action=correct&field=full_name&value=Tr%E1%BA%A7n%20V%C4%83n%20B%C3%ACnh&csrf=$b_csrf")" 303 "bob cannot correct alice's record"
t_is "$(location)" "/review/record/$rec?msg=not_held" "he is told so"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=id_number&value=001090000001&csrf=$a_csrf")" 303 "a field the page does not offer"
t_is "$(location)" "/review/record/$rec?msg=no_field" "is refused"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=dob&value=31%2F02%2F1990&csrf=$a_csrf")" 422 "an impossible date"
t_grep "$T_TMP/body" 'Ngày không hợp lệ' "is refused with the reason"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=dob&value=05%2F03%2F1990&csrf=$a_csrf")" 303 "a date"
t_is "$(sql "SELECT fields -> 'dob' ->> 'value' FROM records WHERE record_id = $rec")" 1990-03-05 "is stored in ISO"
t_is "$(location)" "/review/record/$rec?msg=saved" "and the record stays open for its other value"
t_is "$(sql "SELECT claimed_by FROM records WHERE record_id = $rec")" alice "and held"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=full_name&value=Script%20Script%20Alert%20Script&csrf=$a_csrf")" 422 "junk as a name"
t_grep "$T_TMP/body" 'không giống một họ tên' "is refused"
t_grep "$T_TMP/body" 'name="unusual"' "unless confirmed as written"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=full_name&value=%3Cscript%3Ealert(1)%3C%2Fscript%3E&csrf=$a_csrf")" 422 "and markup"
t_nogrep "$T_TMP/body" '<script>alert' "which is shown escaped"
t_is "$(post "$T_TMP/alice" "/review/record/$rec" "action=correct&field=full_name&value=nguy%E1%BB%85n%20%20v%C4%83n%20AN&csrf=$a_csrf")" 303 "a corrected name"
t_is "$(sql "SELECT (fields -> 'full_name' ->> 'value') || '|' || (fields -> 'full_name' ->> 'review') || '|' || n_review FROM records WHERE record_id = $rec")" "Nguyễn Văn An|false|$((before - 2))" "is stored normalized, no longer flagged"
t_is "$(sql "SELECT full_name || '|' || name_key FROM record_people WHERE record_id = $rec AND role = 'subject'")" "Nguyễn Văn An|nguyen van an" "the person's name follows"
t_is "$(sql "SELECT action || ' ' || field || ' ' || (after ->> 'value') FROM review_decisions WHERE record_id = $rec AND action = 'correct_field' AND field = 'full_name'")" "correct_field full_name Nguyễn Văn An" "and the correction is audited"
t_is "$(sql "SELECT coalesce(claimed_by, '-') FROM records WHERE record_id = $rec")" - "the record is free once nothing is left to check"
# the office: an admin's
t_is "$(post "$T_TMP/alice" "/review/record/$recb" "action=claim&csrf=$a_csrf")" 303 "alice takes a record whose office is flagged"
t_is "$(post "$T_TMP/alice" "/review/record/$recb" "action=correct&field=registry_office&value=X%C3%A3%20Kh%C3%A1c&csrf=$a_csrf")" 403 "a reviewer cannot move it to another office"
oldoffice=$(sql "SELECT registry_office FROM records WHERE record_id = $recb")
t_is "$(sql "SELECT registry_office FROM records WHERE record_id = $recb")" "$oldoffice" "the office is unchanged"
t_is "$(post "$T_TMP/alice" "/review/record/$recb" "action=correct&field=full_name&value=John%20Smith&csrf=$a_csrf")" 422 "a foreign name"
t_is "$(post "$T_TMP/alice" "/review/record/$recb" "action=correct&field=full_name&value=John%20Smith&unusual=1&csrf=$a_csrf")" 303 "confirmed as written"
t_is "$(sql "SELECT (fields -> 'full_name' ->> 'value') || ' ' || (fields -> 'full_name' ->> 'confirmed_unusual') FROM records WHERE record_id = $recb")" "John Smith true" \
	"is kept, marked as confirmed"
t_is "$(post "$T_TMP/alice" "/review/record/$recb" "action=accept&field=registry_office&csrf=$a_csrf")" 303 "a reviewer may keep the office as read"
t_is "$(post "$T_TMP/root" "/review/record/$cmcrec" "action=claim&csrf=$r_csrf")" 303 "an admin takes a record"
t_is "$(post "$T_TMP/root" "/review/record/$cmcrec" "action=correct&field=registry_office&value=X%C3%A3%20Ng%E1%BB%8Dc%20%C4%90%C3%A0o%2C%20Huy%E1%BB%87n%20H%C3%A0%20Qu%E1%BA%A3ng%2C%20T%E1%BB%89nh%20Cao%20B%E1%BA%B1ng&csrf=$r_csrf")" 303 "and corrects its office"
t_is "$(sql "SELECT registry_office FROM records WHERE record_id = $cmcrec")" "Xã Ngọc Đào, Huyện Hà Quảng, Tỉnh Cao Bằng" "which moves it"
# a recognition: the child's father or mother is the recognized parent
cmc=$(sql "SELECT record_id || ' ' || (fields -> 'parent_sex' ->> 'value') FROM records WHERE record_id = $cmcrec")
pname=$(sql "SELECT fields -> 'parent_name' ->> 'value' FROM records WHERE record_id = ${cmc% *}")
if [ "${cmc#* }" = nam ]; then was="$pname|-"; other=n%E1%BB%AF; now="-|$pname"; else was="-|$pname"; other=nam; now="$pname|-"; fi
people() { sql "SELECT coalesce(father_name, '-') || '|' || coalesce(mother_name, '-') FROM record_people WHERE record_id = ${cmc% *} AND role = 'child'"; }
t_is "$(people)" "$was" "the child of a recognition has the parent read as father or mother"
t_is "$(post "$T_TMP/root" "/review/record/${cmc% *}" "action=correct&field=parent_sex&value=$other&csrf=$r_csrf")" 303 "correcting the parent's sex"
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

# --- what people read ----------------------------------------------------------------
get "$T_TMP/alice" "/record/$recb" >/dev/null
text >"$T_TMP/text"
t_nogrep "$T_TMP/text" '(^| )(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}' "a record page shows no ISO dates"
t_grep "$T_TMP/text" '[0-3][0-9]/[01][0-9]/(19|20)[0-9]{2}' "but dd/mm/yyyy"
t_nogrep "$T_TMP/text" '(^| )(nam|nu)( |$)' "and no sex codes"
t_grep "$T_TMP/body" 'Giới tính' "fields as the forms print them"
get "$T_TMP/root" /audit >/dev/null
t_grep "$T_TMP/body" 'Thời điểm \(GMT' "the audit log gives the server's zone"
t_grep "$T_TMP/body" '<td class="nowrap">[0-3][0-9]/[01][0-9]/20[0-9]{2} [0-2][0-9]:[0-5][0-9]</td>' "times as dd/mm/yyyy hh:mm"
t_grep "$T_TMP/body" 'Liên kết công dân khác' "actions in words"
t_grep "$T_TMP/body" 'Trạng thái: Chờ rà soát → <strong>Đã xác nhận</strong>' "statuses before and after"
t_grep "$T_TMP/body" "Họ, chữ đệm, tên: «[^»]*» → «<strong>Nguyễn Văn An</strong>»" "a corrected value before and after"
t_grep "$T_TMP/body" 'đã xác nhận dù khác về: giới tính, ngày sinh' "what was confirmed despite the record"
t_nogrep "$T_TMP/body" '\{&quot;|\{"' "and no raw JSON"
# the user's language, kept with the user
t_is "$(post "$T_TMP/alice" /lang "lang=en&back=/review&csrf=$a_csrf")" 303 "alice switches to English"
t_is "$(location)" /review "and stays where she was"
t_is "$(sql "SELECT lang FROM users WHERE name = 'alice'")" en "the choice is hers"
get "$T_TMP/alice-dev" /discrepancies >/dev/null
t_grep "$T_TMP/body" '<html lang="en">.*>Discrepancies<' "in her other browser too"
t_is "$(post "$T_TMP/alice" /lang "lang=fr&csrf=$a_csrf")" 400 "a language hotich has not is refused"
t_is "$(post "$T_TMP/alice" /lang "lang=vi&back=//evil.example/&csrf=$a_csrf")" 303 "switching back"
t_is "$(location)" / "never sends the browser to another site"

# --- dashboard and CSV --------------------------------------------------------------
get "$T_TMP/mona" /dashboard >/dev/null
t_grep "$T_TMP/body" 'Tiến độ số hoá' "the dashboard is Vietnamese"
t_grep "$T_TMP/body" 'id="stat-records"' "its headline: records digitized"
t_grep "$T_TMP/body" 'id="stat-linked"><span class="label">Liên kết số định danh</span>' "linked to a personal ID"
t_grep "$T_TMP/body" 'trên nền dân cư' "on the population base"
t_grep "$T_TMP/body" 'trong tổng số [0-9.]+ mục của sổ' "and the share of the inventory"
t_grep "$T_TMP/body" 'id="by-province"' "per province"
t_grep "$T_TMP/body" 'id="by-office"' "per office"
t_grep "$T_TMP/body" '<svg class="spark"' "with progress over the last days"
t_grep "$T_TMP/body" '<svg class="trend" id="progress"' "and over time"
t_grep "$T_TMP/body" '<svg class="trend" id="batches"' "the nightly batches as inline SVG"
t_grep "$T_TMP/body" 'id="by-doc_type"' "tables by document type"
t_grep "$T_TMP/body" 'id="by-year"' "by year"
t_grep "$T_TMP/body" 'id="by-batch"' "and by batch"
t_grep "$T_TMP/body" '<th>Khai sinh</th>' "document types by their Vietnamese names"
waiting=$(sql "SELECT count(*) FROM records r WHERE n_review > 0 OR EXISTS (SELECT 1 FROM matches m WHERE m.record_id = r.record_id AND m.status = 'review')")
t_grep "$T_TMP/body" "id=\"stat-review\"><span class=\"label\">Chờ rà soát</span><span class=\"value\">$waiting<" \
	"waiting for review: links to decide and values to check ($waiting)"
# the chart's axis is above its largest bar
sed -n 's/.*<svg class="trend" id="batches"\(.*\)<\/svg>.*/\1/p' "$T_TMP/body" | tr '<' '\n' >"$T_TMP/svg"
top=$(sed -n 's/^line x1="[0-9]*" y1="\([0-9]*\)".*class="grid".*/\1/p' "$T_TMP/svg" | sort -n | head -1)
low=$(sed -n 's/^rect x="[0-9]*" y="\([0-9-]*\)".*class="recs".*/\1/p' "$T_TMP/svg" | sort -n | head -1)
t_ok "the tallest bar ($low) stays below the axis's top ($top)" test "$low" -ge "$top"
# a re-run that loaded nothing, with a long Vietnamese name
sql "INSERT INTO batches (name, status, started_at) VALUES ('Chạy lại đợt tháng mười hai của xã Chu Trinh', 'done', now() + interval '1 minute')" >/dev/null
get "$T_TMP/mona" /dashboard >/dev/null
sed -n 's/.*<svg class="trend" id="batches"\(.*\)<\/svg>.*/\1/p' "$T_TMP/body" >"$T_TMP/svg"
t_ok "a batch name cut to fit stays UTF-8" iconv -f UTF-8 -t UTF-8 "$T_TMP/svg"
t_grep "$T_TMP/svg" '>Chạy lại đợt tháng mườ…<' "cut between characters"
t_is "$(grep -o '<circle' "$T_TMP/svg" | wc -l)" 1 "an empty re-run has no linked point (not 0%)"
t_grep "$T_TMP/svg" 'không có hồ sơ mới' "it says it loaded nothing new"
t_is "$(get "$T_TMP/mona" /dashboard/office.csv)" 200 "the office table as CSV"
t_grep "$T_TMP/body" '^office,records,linked,linked_pct,pending_review,unmatched,rejected_files,expected,digitized_pct' "with the report's columns"
t_grep "$T_TMP/hdr" '^Content-Disposition: attachment; filename="hotich-office.csv"' "as a download"
for by in office province; do
	get "$T_TMP/mona" "/dashboard/$by.csv" >/dev/null
	hotich --db "$db" report --by $by --format csv | sed 1d | sort >"$T_TMP/report.csv"
	sed 1d "$T_TMP/body" | tr -d '\r' | sort >"$T_TMP/web.csv"
	t_ok "the $by table: the same figures as hotich report" cmp "$T_TMP/report.csv" "$T_TMP/web.csv"
done
t_is "$(hotich --db "$db" report --by batch --format csv | awk -F, 'NR > 1 { s += $5 } END { print s }')" "$waiting" \
	"hotich report counts the values to check as waiting too"
for t in doc_type year batch trend discrepancies; do
	t_is "$(get "$T_TMP/mona" /dashboard/$t.csv)" 200 "the $t table as CSV"
done
sql "UPDATE matches SET discrepancies = '[\"=HYPERLINK(\\\"http://x\\\")\", \"-2+3+cmd|calc\", \"+84 912\", \"@SUM(A1)\", \"\\tx=1\", \"\\rx=1\"]' WHERE match_id = (SELECT min(match_id) FROM matches WHERE status = 'auto')" >/dev/null
get "$T_TMP/mona" /dashboard/discrepancies.csv >/dev/null
t_grep "$T_TMP/body" ",\"'=HYPERLINK" "a value a spreadsheet would run is defused in CSV: ="
for c in '-2' '\+84' '@SUM'; do
	t_grep "$T_TMP/body" ",\"'$c" "and $c"
done
t_is "$(tr -d '\r' <"$T_TMP/body" | grep -c ",\"'	x=1\"")" 1 "and a leading tab"
t_is "$(grep -c ",\"'$(printf '\r')x=1\"" "$T_TMP/body")" 1 "and a leading carriage return"

# --- HTTP ---------------------------------------------------------------------------
raw() { # raw BYTES: the status line of the answer to what is sent as it is
	/usr/bin/python3 - "$port" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
s.settimeout(5)
data = b""
try:
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    pass
print(data.split(b"\r\n")[0].decode("latin-1"))
EOF
}
t_is "$(raw 'GET /healthz HTTP/1.1\r\n\r\n')" "HTTP/1.1 400 Bad Request" "HTTP/1.1 without Host is 400"
t_is "$(raw 'GET /healthz HTTP/1.0\r\n\r\n')" "HTTP/1.1 200 OK" "HTTP/1.0 needs none"
t_is "$(raw 'POST /login HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nuser')" \
	"HTTP/1.1 400 Bad Request" "two different Content-Length are 400"
# half-sent requests from one address, beyond what one address could hold before
/usr/bin/python3 - "$port" >"$T_TMP/half" <<'EOF'
import socket, subprocess, sys, time
port = int(sys.argv[1])
held = []
for i in range(100):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: h\r\nX-Slow: ")
    held.append(s)
time.sleep(0.3)
t = time.time()
code = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                       "http://127.0.0.1:%d/healthz" % port], capture_output=True, text=True).stdout
print(code, "%.1f" % (time.time() - t))
EOF
t_is "$(cut -d' ' -f1 "$T_TMP/half")" 200 "100 half-sent requests do not shut their address out ($(cut -d' ' -f2 "$T_TMP/half") s)"
# no newline from outside starts a log line of its own
login "$T_TMP/forge" 'x%0Ahotich: serve: "root1" signed in from 6.6.6.6' guess >/dev/null
get "$T_TMP/alice" '/nope%0Ahotich:%20serve:%20forged' >/dev/null
t_nogrep "$T_TMP/serve.err" '^hotich: serve: "root1" signed in from 6\.6\.6\.6|^hotich: serve: forged' "no log line can be forged through a name or a path"
t_grep "$T_TMP/serve.err" 'x\\x0ahotich: serve: "root1' "the newline is written as \\\\x0a"

# --- sessions -----------------------------------------------------------------------
login "$T_TMP/idle" alice first-reviewer-key "$B2" >/dev/null
t_is "$(get "$T_TMP/idle" /review "$B2")" 303 "a fresh session works"
t_ok "(on her item)" expr "$(location)" : '/review/'
sleep 3
get "$T_TMP/idle" /review "$B2" >/dev/null
t_is "$(location)" "/login?expired=1" "after the idle timeout the session has ended"
cp "$T_TMP/bob" "$T_TMP/bob-copy"
get "$T_TMP/bob" /discrepancies >/dev/null
bc=$(csrf)
t_is "$(post "$T_TMP/bob" /logout "csrf=$bc")" 303 "logout"
t_grep "$T_TMP/hdr" '^Set-Cookie: hotich_session=; .*Max-Age=0' "clears the cookie"
t_is "$(get "$T_TMP/bob-copy" /review)" 303 "the old cookie, replayed"
t_is "$(location)" "/login?expired=1" "opens nothing"
t_is "$(sql "SELECT count(*) FROM web_sessions s JOIN users u USING (user_id) WHERE u.name = 'bob'")" 0 "the session is gone from the database"
t_ok "alice holds items" test "$(sql "SELECT count(*) FROM matches WHERE claimed_by = 'alice'")" -ge 1
t_run 0 "user disable" hotich --db "$db" user disable alice
t_is "$(get "$T_TMP/alice" /review)" 303 "a disabled user's session ends at once"
t_is "$(sql "SELECT count(*) FROM matches WHERE claimed_by = 'alice'") $(sql "SELECT count(*) FROM records WHERE claimed_by = 'alice'")" "0 0" \
	"and the items she held are free again"

# --- the serving role --------------------------------------------------------------
role() { psql -X -q -t -A -d "$db" -c "SET search_path TO hotich" -c "SET ROLE hotich_web" -c "$1" 2>&1 | sed '/^SET$/d'; }
t_grep_s() { if echo "$1" | grep -Eq "$2"; then t_result 0 "$3"; else t_result 1 "$3"; echo "# got: $1"; fi; }
t_grep_s "$(role "UPDATE review_decisions SET user_name = 'x'")" 'permission denied' "the serving role cannot change the audit log"
t_grep_s "$(role "DELETE FROM review_decisions")" 'permission denied' "nor delete from it"
t_grep_s "$(role "UPDATE users SET role = 'admin'")" 'permission denied' "nor change users"
t_grep_s "$(role "UPDATE users SET password_hash = 'x'")" 'permission denied' "nor their passwords"
t_grep_s "$(role "DELETE FROM citizens")" 'permission denied' "nor touch the registry"
t_grep_s "$(role "INSERT INTO source_files (sha256, batch_id, path, size_bytes) VALUES (repeat('a', 64), 1, 'x', 0)")" 'permission denied' "nor the files"
t_nogrep "$T_TMP/serve.err" 'first-reviewer-key|second-reviewer-key|manager-of-figures' "no password in the server's log"
t_grep "$T_TMP/serve.err" '"alice" decided match [0-9]+: confirm' "the log says who decided what"

kill $spid2 2>/dev/null
kill -TERM $spid
src=0
wait $spid || src=$?
t_is "$src" 0 "SIGTERM stops the server cleanly (under valgrind: no leak, no error)"
t_done
