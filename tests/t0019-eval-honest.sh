#!/bin/sh
# The evaluation cannot grade itself: the fixtures' truth comes from the
# generator's own data, never through normalize/, so a parser broken on
# purpose (hotich-broken-place drops the hamlet of every place) scores
# lower than the real one on the same pages.  Were the truth computed by
# the same parser, the defect would sit in both and the scores would tie.
. "$(dirname "$0")/lib/tap.sh"
: "${HOTICH_BUILD:?}" "${HOTICH_SRC:?}"
gen=$HOTICH_BUILD/hotich-fixtures
eval_bin=$HOTICH_BUILD/hotich-eval
broken=$HOTICH_BUILD/hotich-broken-place

if [ -n "${HOTICH_VALGRIND:-}" ]; then
	echo "# skip: OCR of a set twice is too slow under valgrind (t0008 runs hotich ocr there)"
	t_done
	exit $?
fi
cd "$HOTICH_SRC"
t_run 0 "hotich-fixtures makes a small set" "$gen" --set small --seed 11 --pages 8 \
	--citizens 500 --out "$T_TMP/set"
find "$T_TMP/set/scans" -type f | sort >"$T_TMP/files"
: >"$T_TMP/nolinks.csv"
score() {
	# $1: the binary; prints the "all" row's fields-exact percentage
	xargs -d '\n' "$1" ocr --json <"$T_TMP/files" >"$T_TMP/ocr.jsonl" 2>/dev/null || true
	"$eval_bin" --truth "$T_TMP/set/truth.jsonl" --links "$T_TMP/set/links.csv" \
		--ocr "$T_TMP/ocr.jsonl" --link "$T_TMP/nolinks.csv" |
		awk -F'|' '$2 ~ /^ all / { gsub(/[ %]/, "", $5); print $5; exit }'
}
good=$(score "$HOTICH")
bad=$(score "$broken")
echo "# fields exact: $good% with hotich, $bad% with the place parser broken"
t_ok "the real parser scores something" test -n "$good"
t_ok "a parser broken on purpose scores lower ($bad% < $good%)" \
	awk -v g="$good" -v b="$bad" 'BEGIN { exit !(b + 0 < g + 0) }'
# and the truth itself is the generator's: the broken parser cannot reproduce it
t_grep "$T_TMP/set/truth.jsonl" '"(death_place|husband_residence|wife_residence)":"(Thôn|Xóm|Ấp|Tổ|Bản|Khu phố) ' \
	"the truth keeps the hamlets the broken parser drops"
t_done
