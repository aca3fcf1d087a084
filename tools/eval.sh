#!/bin/sh
# eval.sh BUILD_DIR SET_DIR SEED — make eval: generate the evaluation set
# (once, from SEED), run hotich on it through its public commands
# (hotich ocr --json, hotich link), score the output against the truth and
# print the tables; SET_DIR/report.md has them as Markdown.
#
# Nothing may be tuned on this set: tune on the set of make fixtures-tune.
set -eu
O=$1
DIR=$2
SEED=$3
HOTICH=${HOTICH:-./hotich}

if [ ! -f "$DIR/truth.jsonl" ]; then
	rm -rf "$DIR"
	"$O/hotich-fixtures" --set eval --seed "$SEED" --out "$DIR"
fi

start=$(date +%s)
if "$HOTICH" ocr --help >/dev/null 2>&1; then
	find "$DIR/scans" -type f | sort >"$DIR/files.txt"
	# exit code 1 (some inputs rejected) still gives the other records
	xargs -d '\n' "$HOTICH" ocr --json <"$DIR/files.txt" >"$DIR/ocr.jsonl" 2>"$DIR/ocr.log" || [ $? -eq 1 ] || [ $? -eq 123 ]
else
	echo "eval: this hotich has no 'ocr' command yet: every record scores as missing"
	: >"$DIR/ocr.jsonl"
fi
ocr_done=$(date +%s)
if "$HOTICH" link --help >/dev/null 2>&1; then
	"$HOTICH" link --registry "$DIR/registry.csv" "$DIR/ocr.jsonl" >"$DIR/link.csv" 2>"$DIR/link.log" || [ $? -eq 1 ]
else
	echo "eval: this hotich has no 'link' command yet: no person is linked"
	: >"$DIR/link.csv"
fi
end=$(date +%s)

echo "eval: set $DIR (seed $SEED): $(grep -c '' "$DIR/truth.jsonl") records and pages; ocr $((ocr_done - start)) s, link $((end - ocr_done)) s"
echo
"$O/hotich-eval" --truth "$DIR/truth.jsonl" --links "$DIR/links.csv" --ocr "$DIR/ocr.jsonl" \
	--link "$DIR/link.csv" --markdown "$DIR/report.md"
