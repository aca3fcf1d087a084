#!/bin/sh
# Authorization of every route of `hotich serve` (keying's too), table-driven: route x
# role (no session, reviewer, manager, admin, and a disabled user's old
# session) -> allowed or refused.  Allowed: any answer but 401, 403 or a
# redirect to the login page; refused: exactly that.  POSTs carry the
# user's valid CSRF token, so that only the role decides.  Ids that do not
# exist keep the requests from changing anything.
. "$(dirname "$0")/lib/tap.sh"
db=$(new_db authz)
hotich --db "$db" db init >/dev/null
# a password of 12 characters or more that does not contain the user name
pw() { printf 'tre-xanh-%s-2025' "$(printf %s "$1" | tr a-z n-za-m)"; }
for u in rita:reviewer max:manager ada:admin dan:reviewer; do
	pw "${u%%:*}" | "$HOTICH" --db "$db" user add "${u%%:*}" --role "${u#*:}" >/dev/null
done
port=$((25000 + $$ % 4000))
B=http://127.0.0.1:$port
(cd "$T_TMP" && exec "$HOTICH" --db "$db" serve --listen "127.0.0.1:$port" >/dev/null 2>"$T_TMP/serve.err") &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$T_TMP"' EXIT
i=0
until curl -sf "$B/healthz" >/dev/null || [ $i -gt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done

login() { # login USER: a cookie jar in $T_TMP/USER, its CSRF token in $T_TMP/USER.csrf
	jar=$T_TMP/$1
	tok=$(curl -s -c "$jar" -b "$jar" "$B/login" | sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -o /dev/null -c "$jar" -b "$jar" --data "login_token=$tok&user=$1&password=$(pw "$1")" "$B/login"
	curl -s -b "$jar" "$B/discrepancies" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1 >"$jar.csrf"
}
for u in rita max ada dan; do login $u; done
: >"$T_TMP/anon"
: >"$T_TMP/anon.csrf"
"$HOTICH" --db "$db" user disable dan >/dev/null

# METHOD PATH BODY ALLOWED (r reviewer, m manager, a admin; - nobody)
cat >"$T_TMP/routes" <<'EOF'
GET / - rma
POST /lang lang=vi rma
GET /review - ra
POST /review/next - ra
GET /review/match/999999 - ra
GET /review/match/999999?pick=001090000001 - ra
POST /review/match/999999 action=claim ra
POST /review/match/999999 action=skip ra
POST /review/match/999999 action=no_match ra
POST /review/match/999999 action=pick&id_number=001090000001 ra
POST /review/match/999999 action=pick&id_number=001090000001&confirm=1&override=1 ra
GET /review/record/999999 - ra
POST /review/record/999999 action=claim ra
POST /review/record/999999 action=accept&field=dob ra
POST /review/record/999999 action=correct&field=full_name&value=An ra
GET /record/999999 - rma
POST /reopen/999999 - ra
GET /crop/999999.png?role=subject - ra
GET /dashboard - ma
GET /dashboard/office.csv - ma
GET /dashboard/province.csv - ma
GET /dashboard/doc_type.csv - ma
GET /dashboard/year.csv - ma
GET /dashboard/batch.csv - ma
GET /dashboard/trend.csv - ma
GET /dashboard/discrepancies.csv - ma
GET /discrepancies - rma
GET /audit - a
GET /audit?user=rita - a
GET /export - ma
POST /export/book office=Nowhere&type=khai_sinh&book=01 ma
GET /find - rma
GET /find?q=nguyen+van+an - rma
GET /find/record/999999 - rma
GET /find/print/999999 - rma
GET /find/page/999999.png - rma
GET /find/thumb/999999.png - rma
GET /keying - ra
POST /keying/next - ra
POST /keying/settings share=50 a
GET /keying/check?field=full_name&value=An - ra
GET /keying/page/999999 - ra
GET /keying/page/999999?type=khai_sinh - ra
GET /keying/record/999999 - ra
POST /keying/page/999999 action=claim ra
POST /keying/page/999999 action=skip ra
POST /keying/page/999999 action=save&doc_type=khai_sinh&f_full_name=An ra
POST /keying/record/999999 action=save&doc_type=khai_tu&f_full_name=An ra
GET /keying/scan/page/999999.jpg - ra
GET /keying/scan/record/999999.jpg - ra
EOF

cells=0
bad=0
while read -r method path body allowed; do
	for who in anon rita max ada dan; do
		case $who in rita) r=r ;; max) r=m ;; ada) r=a ;; *) r=x ;; esac
		data=
		if [ "$method" = POST ]; then
			data="csrf=$(cat "$T_TMP/$who.csrf")"
			[ "$body" != - ] && data="$data&$body"
			out=$(curl -s -o /dev/null -D - -w 'CODE %{http_code}' -b "$T_TMP/$who" --data "$data" "$B$path")
		else
			out=$(curl -s -o /dev/null -D - -w 'CODE %{http_code}' -b "$T_TMP/$who" "$B$path")
		fi
		code=${out##*CODE }
		loc=$(printf '%s\n' "$out" | sed -n 's/^Location: *//Ip' | tr -d '\r')
		case "$code $loc" in
		401*|403*|"303 /login"*) got=refused ;;
		*) got=allowed ;;
		esac
		case $allowed in *"$r"*) exp=allowed ;; *) exp=refused ;; esac
		cells=$((cells + 1))
		if [ "$got" = "$exp" ]; then
			t_result 0 "$method $path as $who: $exp ($code)"
		else
			t_result 1 "$method $path as $who: $exp, got $code $loc"
			bad=$((bad + 1))
		fi
	done
done <"$T_TMP/routes"
printf 'authorization: %s route x role cells, %s wrong\n' "$cells" "$bad" >"$T_TMP/line"
t_diag "$T_TMP/line"

# a session is not usable after logout, even with its CSRF token
login rita
csrf=$(cat "$T_TMP/rita.csrf")
cp "$T_TMP/rita" "$T_TMP/rita-copy"
curl -s -o /dev/null -b "$T_TMP/rita" --data "csrf=$csrf" "$B/logout"
t_is "$(curl -s -o /dev/null -w '%{http_code}' -b "$T_TMP/rita-copy" --data "csrf=$csrf&action=skip" "$B/review/match/1")" 401 "after logout the old session cookie is refused"
t_nogrep "$T_TMP/serve.err" 'tre-xanh' "no password in the server's log"
if [ -n "${HOTICH_RELIABILITY_OUT:-}" ]; then
	printf 'authz_cells=%s\nauthz_wrong=%s\n' "$cells" "$bad" >>"$HOTICH_RELIABILITY_OUT"
fi
kill $spid 2>/dev/null
t_done
