#!/bin/sh
# The fixture generator and the committed small set: deterministic output,
# consistent truth (record refs are the files' SHA-256), canonical truth
# values, registries in three encodings that decode to the same people, and
# the scorer run on an output that is missing.
. "$(dirname "$0")/lib/tap.sh"
: "${HOTICH_BUILD:?}" "${HOTICH_SRC:?}"
gen=$HOTICH_BUILD/hotich-fixtures
small=$HOTICH_SRC/fixtures/small
names=$HOTICH_SRC/normalize/data/names

# the committed set: every record_ref starts with the SHA-256 of its file
t_ok "the committed small set has its truth" test -s "$small/truth.jsonl"
bad=0
while IFS='	' read -r file ref; do
	sum=$(sha256sum "$small/$file" | cut -d' ' -f1)
	case $ref in "$sum":*) ;; *) bad=$((bad + 1)) ;; esac
done <<EOF2
$(sed -e 's/.*"file":"\([^"]*\)".*"record_ref":"\([^"]*\)".*/\1	\2/' "$small/truth.jsonl")
EOF2
t_is "$bad" 0 "every record_ref of the small set is sha256:page:index of its file"
t_is "$(grep -c '' "$small/truth.jsonl")" 44 "the small set has 44 records and pages without a record"
for t in khai_sinh khai_tu ket_hon nhan_cha_me_con tthc_receipt unknown; do
	t_grep "$small/truth.jsonl" "\"doc_type\":\"$t\"" "the small set has $t"
done
t_grep "$small/truth.jsonl" '"format":"jpg"' "the small set has JPEG scans"
t_grep "$small/truth.jsonl" '"bilevel":true' "the small set has bilevel (G4) scans"
t_grep "$small/truth.jsonl" '"upside_down":true' "the small set has a page upside down"
t_grep "$small/links.csv" ',twin$' "the small set has twins beside its people"
t_grep "$small/links.csv" ',unregistered$' "and people not in the registry"
t_is "$(du -sk "$small" | cut -f1 | awk '{print ($1 <= 20480)}')" 1 "the small set is at most 20 MB"

cd "$HOTICH_SRC"
t_run 0 "hotich-fixtures makes a tiny set" "$gen" --set small --seed 5 --pages 8 --citizens 500 --out "$T_TMP/a" --names "$names"
t_run 0 "the same seed again" "$gen" --set small --seed 5 --pages 8 --citizens 500 --out "$T_TMP/b" --names "$names"
t_ok "the same seed gives the same bytes" diff -r "$T_TMP/a" "$T_TMP/b"
t_run 0 "another seed" "$gen" --set small --seed 6 --pages 8 --citizens 500 --out "$T_TMP/c" --names "$names"
t_ok "another seed gives other pages" sh -c "! cmp -s '$T_TMP/a/truth.jsonl' '$T_TMP/c/truth.jsonl'"
t_is "$(head -1 "$T_TMP/a/registry.csv")" "id_number,full_name,dob,sex,birthplace,father_name,mother_name" "the registry has the contract's header"
t_is "$(head -1 "$T_TMP/a/links.csv")" "record_ref,citizen_id,kind" "the links file has its header"
t_is "$(head -1 "$T_TMP/a/inventory.csv")" "registry_office,doc_type,book_no,year,entries" "the inventory has the contract's header"

# truth names are canonical: normalizing them changes nothing
sed -n 's/.*"full_name":"\([^"]*\)".*/\1/p' "$T_TMP/a/truth.jsonl" >"$T_TMP/names"
hotich normalize name <"$T_TMP/names" | cut -f1 >"$T_TMP/names.norm"
t_ok "truth names are canonical" cmp -s "$T_TMP/names" "$T_TMP/names.norm"

# the TCVN3 and VNI registries decode to the people of the UTF-8 one
cut -d, -f1 "$T_TMP/a/registry.csv" | sort >"$T_TMP/ids.utf8"
cut -d, -f1 "$T_TMP/a/registry-tcvn3.csv" | sort >"$T_TMP/ids.tcvn3"
t_ok "the TCVN3 registry has the same ID numbers" cmp -s "$T_TMP/ids.utf8" "$T_TMP/ids.tcvn3"
sed 1d "$T_TMP/a/registry-tcvn3.csv" | hotich normalize text --from tcvn3 | cut -f2 | cut -d' ' -f1-3 | sort >"$T_TMP/k.tcvn3"
sed 1d "$T_TMP/a/registry-vni.csv" | hotich normalize text --from vni | cut -f2 | cut -d' ' -f1-3 | sort >"$T_TMP/k.vni"
t_ok "the TCVN3 and VNI registries decode to the same folded rows" cmp -s "$T_TMP/k.tcvn3" "$T_TMP/k.vni"
t_run 0 "auto-detection reads the VNI registry as VNI" sh -c "sed -n 2,20p '$T_TMP/a/registry-vni.csv' | \"\$HOTICH\" normalize text --from auto"
t_nogrep "$T_OUT" 'encoding_unsure' "and is sure of it"

# the scorer: no output at all scores zero, and says so
: >"$T_TMP/empty.jsonl"
: >"$T_TMP/empty.csv"
t_run 0 "hotich-eval on an empty output" "$HOTICH_BUILD/hotich-eval" --truth "$T_TMP/a/truth.jsonl" --links "$T_TMP/a/links.csv" --ocr "$T_TMP/empty.jsonl" --link "$T_TMP/empty.csv" --markdown "$T_TMP/r.md"
t_grep "$T_OUT" '^\| all \| [0-9]+ \| 0\.0% \| 0\.0% \|' "scores zero fields right"
t_grep "$T_OUT" 'have no output record' "and says the records are missing"
t_ok "and writes the Markdown" test -s "$T_TMP/r.md"

t_done
