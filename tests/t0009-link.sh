#!/bin/sh
# hotich link: the contract's CSV (one row per person, roles suffixed),
# decisions against the golden links of the fixtures, thresholds, the
# explanation, a saved model giving the same scores, discrepancies, the
# share of people in the registry estimated or given, people found through
# keying errors (typed ID digit, names in another order, a middle name
# dropped, typos with a wrong date), a generated keying-error set scored per
# error, and bad input named.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
records=$HOTICH_SRC/tests/data/small-records.jsonl # hotich ocr --json on fixtures/small
eval_bin=$HOTICH_BUILD/hotich-eval

t_run 0 "link the fixture records to their registry" hotich link --registry "$small/registry.csv" \
	--save-model "$T_TMP/model.json" --discrepancies "$T_TMP/disc.csv" "$records"
cp "$T_OUT" "$T_TMP/link.csv"
t_is "$(sed -n 1p "$T_TMP/link.csv")" "record_ref,citizen_id,score,status" "the contract's header"
t_is "$(grep -cvE '^(record_ref,|[0-9a-f]{64}:[0-9]+:[01](#(husband|wife|parent|child))?,([0-9]{12})?,(0\.[0-9]{4}|1\.0000),(auto|review|none)$)' "$T_TMP/link.csv")" \
	"0" "every row: ref (with the role for two people), citizen, probability, status"
t_nogrep "$T_TMP/link.csv" ',,[0-9.]+,(auto|review)$' "auto and review rows name a citizen"
t_nogrep "$T_TMP/link.csv" ',[0-9]{12},[0-9.]+,none$' "none rows name nobody"
t_is "$(grep -c '#husband,' "$T_TMP/link.csv")" "$(grep -c '"doc_type":"ket_hon"' "$records")" \
	"one husband row per marriage"
t_grep "$T_ERR" 'link: 51 people of 44 records against 3014 citizens' "the summary on stderr"
t_run 0 "against the golden links: no wrong automatic link beyond the hard negatives" \
	"$eval_bin" --truth "$small/truth.jsonl" --links "$small/links.csv" --ocr "$records" \
	--link "$T_TMP/link.csv" --min-auto-precision 97 --min-auto-recall 75
t_diag "$T_ERR"

t_run 0 "the saved model gives the same scores" hotich link --registry "$small/registry.csv" \
	--model "$T_TMP/model.json" "$records"
t_is "$(md5sum <"$T_OUT")" "$(md5sum <"$T_TMP/link.csv")" "row for row"
t_grep "$T_TMP/model.json" '"version": "fs2-[0-9a-f]{16}"' "the model carries its version"
t_grep "$T_TMP/model.json" '"share_given": false' "and its share of people in the registry, estimated"
t_grep "$T_ERR" 'people in the registry 0\.[0-9]{3}, of the model' "the summary names the share"

t_run 0 "--explain adds the weights" hotich link --explain --registry "$small/registry.csv" "$records"
t_grep "$T_OUT" ',auto,"?name exact \+[0-9.]+, dob exact \+[0-9.]+' "name and date weights"
t_run 0 "--thresholds 1,1: only certainties are automatic" hotich link --thresholds 1,1 \
	--registry "$small/registry.csv" "$records"
t_nogrep "$T_OUT" ',0\.[0-9]{4},(auto|review)$' "no automatic or review row below 1"
t_ok "fewer automatic links than with the defaults" \
	test "$(grep -c ',auto$' "$T_OUT")" -lt "$(grep -c ',auto$' "$T_TMP/link.csv")"
t_grep "$T_TMP/disc.csv" '^record_ref,citizen_id,field,record,registry$' "a discrepancy list"

t_run 0 "--match-share gives the share" hotich link --match-share 0.8 --save-model "$T_TMP/m8.json" \
	--registry "$small/registry.csv" "$records"
t_grep "$T_TMP/m8.json" '"match_share": 0\.8,' "the model keeps it"
t_grep "$T_TMP/m8.json" '"share_given": true' "as given"
t_grep "$T_ERR" 'people in the registry 0\.800, given' "and the summary says so"
t_run 2 "--match-share out of (0, 1)" hotich link --match-share 1 --registry "$small/registry.csv" "$records"
t_run 2 "--match-share with --model" hotich link --match-share 0.5 --model "$T_TMP/model.json" \
	--registry "$small/registry.csv" "$records"

# keying errors: a registry of the small set's citizens, records typed by hand
cat >"$T_TMP/keyed.jsonl" <<'EOF2'
{"record_ref":"k:1:0","doc_type":"khai_sinh","fields":{"full_name":{"value":"Văn Hùng Nguyễn"},"dob":{"value":"1987-03-15"},"sex":{"value":"nam"}}}
{"record_ref":"k:2:0","doc_type":"tthc_receipt","fields":{"applicant_name":{"value":"Nguyễn Văn Hùng"},"applicant_id_number":{"value":"001087012342"}}}
{"record_ref":"k:3:0","doc_type":"khai_tu","fields":{"full_name":{"value":"Khổng Ỷ"},"dob":{"value":"1990-07-01"},"sex":{"value":"nu"}}}
{"record_ref":"k:4:0","doc_type":"khai_sinh","fields":{"full_name":{"value":"Trần Minh Kôhi"},"dob":{"value":"2001-11-24"},"sex":{"value":"nam"},"father_name":{"value":"Trần Văn Nam"},"mother_name":{"value":"Lê Thị Thu"}}}
EOF2
{
	echo "id_number,full_name,dob,sex,birthplace,father_name,mother_name"
	echo "001087012345,Nguyễn Văn Hùng,1987-03-15,nam,Hà Nội,Nguyễn Văn Bình,Trần Thị Lan"
	echo "036190001234,Khổng Thị Ỷ,1990-07-01,nu,,,"
	echo "001201009876,Trần Minh Khôi,2001-12-24,nam,Hà Nội,Trần Văn Nam,Lê Thị Thu"
	sed 1d "$small/registry.csv"
} >"$T_TMP/keyed-registry.csv"
t_run 0 "people through keying errors" hotich link --explain --registry "$T_TMP/keyed-registry.csv" "$T_TMP/keyed.jsonl"
t_grep "$T_OUT" '^k:1:0,001087012345,[01]\.[0-9]{4},auto,"name another order' "a name written surname last"
t_grep "$T_OUT" '^k:2:0,001087012345,[01]\.[0-9]{4},[a-z]+,"id one digit differs \+' "an ID with a digit typed wrong agrees"
t_grep "$T_OUT" '^k:3:0,036190001234,[01]\.[0-9]{4},auto,"name without a middle name' "a middle name left out"
t_grep "$T_OUT" '^k:4:0,001201009876,[01]\.[0-9]{4},auto,"name near.*dob one digit of the month' "letters swapped, a digit of the date typed wrong"

# a keying-error set: records typed with errors against a registry typed
# with errors of its own, scored per error
t_run 0 "a keying-error set" "$HOTICH_BUILD/hotich-fixtures" --set keying --seed 7 --pages 600 \
	--citizens 3000 --out "$T_TMP/keying"
t_is "$(head -1 "$T_TMP/keying/links.csv")" "record_ref,citizen_id,kind,errors" "its truth names the errors"
t_run 0 "linked" hotich link --registry "$T_TMP/keying/registry.csv" "$T_TMP/keying/records.jsonl"
cp "$T_OUT" "$T_TMP/keying/link.csv"
t_run 0 "and scored, precise and finding most people" "$eval_bin" --links "$T_TMP/keying/links.csv" \
	--link "$T_TMP/keying/link.csv" --min-auto-precision 99 --min-auto-recall 85 --min-recall-half 93
t_grep "$T_OUT" '^\| keying error \| persons' "a table per keying error"
t_grep "$T_OUT" '^\| parts_swapped \| [0-9]+' "names in another order among them"
t_diag "$T_ERR"

printf '{"record_ref":"x:1:0","doc_type":"khai_sinh","fields":{}}\nnot json\n' >"$T_TMP/bad.jsonl"
t_run 1 "a bad line exits 1" hotich link --registry "$small/registry.csv" "$T_TMP/bad.jsonl"
t_grep "$T_ERR" 'bad\.jsonl: line 2' "and names it"
t_grep "$T_OUT" '^x:1:0,,0\.0000,none$' "the good line is still linked"
t_run 2 "--registry is required" hotich link "$records"
t_run 2 "bad thresholds" hotich link --thresholds 0.5,0.9 --registry "$small/registry.csv" "$records"
t_run 2 "a registry without its columns" sh -c "printf 'a,b\n1,2\n' >'$T_TMP/r.csv'; \"\$HOTICH\" link --registry '$T_TMP/r.csv' '$records'"
t_grep "$T_ERR" 'no id_number column' "is named"
t_done
