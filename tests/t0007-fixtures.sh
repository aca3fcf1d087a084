#!/bin/sh
# The fixture generator and the committed small set: deterministic output,
# consistent truth (record refs are the files' SHA-256), canonical truth
# values, registries in three encodings that decode to the same people, and
# the scorer run on an output that is missing; the committed phone photos
# (fixtures/photos) and their truth.
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

# the committed phone photos: JPEG, tagged as the truth says, with the sheet's corners in the frame
photos=$HOTICH_SRC/fixtures/photos
t_is "$(grep -c '"capture":"photo"' "$photos/truth.jsonl")" 2 "the committed photos are two photographed records"
t_grep "$photos/truth.jsonl" '"doc_type":"khai_sinh".*"security_background":true' "one is a birth certificate on security paper"
t_grep "$photos/truth.jsonl" '"doc_type":"(khai_tu|ket_hon|nhan_cha_me_con|tthc_receipt)"' "the other is another document"
bad=0
big=0
while IFS='	' read -r file tag ref; do
	case $ref in "$(sha256sum "$photos/$file" | cut -d' ' -f1)":*) ;; *) bad=$((bad + 1)) ;; esac
	# a JFIF header: no density unit (no tag), or dots per inch at 72
	set -- $(od -An -tu1 -j0 -N16 "$photos/$file")
	if [ "$1 $2 $3 $4" != "255 216 255 224" ]; then
		bad=$((bad + 1))
	elif [ "$tag" = 0 ] && [ "${14}" != 0 ]; then
		bad=$((bad + 1))
	elif [ "$tag" = 72 ] && [ "${14} ${15} ${16}" != "1 0 72" ]; then
		bad=$((bad + 1))
	fi
	[ "$(wc -c <"$photos/$file")" -le 614400 ] || big=$((big + 1))
done <<EOF2
$(sed -e 's/.*"file":"\([^"]*\)".*"dpi_tag":\([0-9]*\).*"record_ref":"\([^"]*\)".*/\1	\2	\3/' "$photos/truth.jsonl")
EOF2
t_is "$bad" 0 "each photo is a JPEG tagged as its truth says, named by its SHA-256"
t_is "$big" 0 "each photo is at most 600 KB"
sed -n 's/.*"corners":\[\[\([^]]*\)\],\[\([^]]*\)\],\[\([^]]*\)\],\[\([^]]*\)\]\].*"frame":\[\([0-9]*\),\([0-9]*\)\].*/\1,\2,\3,\4,\5,\6/p' \
	"$photos/truth.jsonl" >"$T_TMP/corners"
t_is "$(grep -c '' "$T_TMP/corners")" 2 "each photo's truth has its corners and its frame"
t_is "$(awk -F, '{ for (i = 1; i <= 8; i += 2) if ($i < 0 || $i > $9 || $(i + 1) < 0 || $(i + 1) > $10) bad++ }
	END { print bad + 0 }' "$T_TMP/corners")" 0 "the sheet's corners lie in the frame"
t_run 0 "hotich-eval on the photos with an empty output" "$HOTICH_BUILD/hotich-eval" --truth "$photos/truth.jsonl" --links "$photos/links.csv" --ocr /dev/null --link /dev/null
t_grep "$T_OUT" '^\| photo \| 2 \| 0\.0% \|' "has a row for the photos"

cd "$HOTICH_SRC"
# photos are a function of the seed too
t_run 0 "hotich-fixtures makes two photos" "$gen" --set photos --seed 3 --out "$T_TMP/p1" --names "$names"
t_run 0 "the same seed again" "$gen" --set photos --seed 3 --out "$T_TMP/p2" --names "$names"
t_ok "the same seed gives the same photos" diff -r "$T_TMP/p1" "$T_TMP/p2"
t_run 2 "a share out of range is a usage error" "$gen" --set photos --seed 3 --photo-share 1.5 --out "$T_TMP/p3"
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
