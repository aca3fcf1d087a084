#!/bin/sh
# hotich link: the contract's CSV (one row per person, roles suffixed),
# decisions against the golden links of the fixtures, thresholds, the
# explanation, a saved model giving the same scores, discrepancies, and bad
# input named.
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
t_grep "$T_TMP/model.json" '"version": "fs1-[0-9a-f]{16}"' "the model carries its version"

t_run 0 "--explain adds the weights" hotich link --explain --registry "$small/registry.csv" "$records"
t_grep "$T_OUT" ',auto,"?name exact \+[0-9.]+, dob exact \+[0-9.]+' "name and date weights"
t_run 0 "--thresholds 1,1: only certainties are automatic" hotich link --thresholds 1,1 \
	--registry "$small/registry.csv" "$records"
t_nogrep "$T_OUT" ',0\.[0-9]{4},(auto|review)$' "no automatic or review row below 1"
t_ok "fewer automatic links than with the defaults" \
	test "$(grep -c ',auto$' "$T_OUT")" -lt "$(grep -c ',auto$' "$T_TMP/link.csv")"
t_grep "$T_TMP/disc.csv" '^record_ref,citizen_id,field,record,registry$' "a discrepancy list"

printf '{"record_ref":"x:1:0","doc_type":"khai_sinh","fields":{}}\nnot json\n' >"$T_TMP/bad.jsonl"
t_run 1 "a bad line exits 1" hotich link --registry "$small/registry.csv" "$T_TMP/bad.jsonl"
t_grep "$T_ERR" 'bad\.jsonl: line 2' "and names it"
t_grep "$T_OUT" '^x:1:0,,0\.0000,none$' "the good line is still linked"
t_run 2 "--registry is required" hotich link "$records"
t_run 2 "bad thresholds" hotich link --thresholds 0.5,0.9 --registry "$small/registry.csv" "$records"
t_run 2 "a registry without its columns" sh -c "printf 'a,b\n1,2\n' >'$T_TMP/r.csv'; \"\$HOTICH\" link --registry '$T_TMP/r.csv' '$records'"
t_grep "$T_ERR" 'no id_number column' "is named"
t_done
