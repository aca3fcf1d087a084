#!/bin/sh
# eval.sh BUILD_DIR SET_DIR SEED [SET] — make eval: generate the evaluation
# set (once, from SEED), run hotich on it through its public commands
# (hotich ocr --json, hotich link), score the output against the truth and
# print the tables; SET_DIR/report.md has them as Markdown.
#
# Nothing may be tuned on the evaluation set: make tune runs the same on the
# tuning set (SET=tune), from another seed.
set -eu
O=$1
DIR=$2
SEED=$3
SET=${4:-eval}
HOTICH=${HOTICH:-./hotich}
export OMP_THREAD_LIMIT=1

# made again when the generator's sources changed since (or the seed)
stamp="$SEED $(cat fixtures/*.c fixtures/*.h | sha256sum | cut -c1-16)"
if [ ! -f "$DIR/truth.jsonl" ] || [ "$(cat "$DIR/.generator" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$DIR"
	"$O/hotich-fixtures" --set "$SET" --seed "$SEED" --out "$DIR"
	echo "$stamp" >"$DIR/.generator"
fi

start=$(date +%s)
if "$HOTICH" ocr --help >/dev/null 2>&1; then
	find "$DIR/scans" -type f | sort >"$DIR/files.txt"
	# exit code 1 (some inputs rejected) still gives the other records
	# the registry lends its names to judge names read, as in the batch
	# JOBS=N runs N processes on slices of the files (one core each)
	jobs=${JOBS:-1}
	rm -f "$DIR"/files.part.* "$DIR"/ocr.part.*
	split -n "l/$jobs" "$DIR/files.txt" "$DIR/files.part."
	pids=
	for part in "$DIR"/files.part.*; do
		sfx=${part##*.}
		(xargs -d '\n' "$HOTICH" ocr --json --registry "$DIR/registry.csv" <"$part" \
			>"$DIR/ocr.part.$sfx" 2>"$DIR/ocr.log.$sfx" || [ $? -eq 1 ] || [ $? -eq 123 ]) &
		pids="$pids $!"
	done
	fail=0
	for pid in $pids; do
		wait "$pid" || fail=1
	done
	cat "$DIR"/ocr.part.* >"$DIR/ocr.jsonl"
	cat "$DIR"/ocr.log.* >"$DIR/ocr.log"
	rm -f "$DIR"/files.part.* "$DIR"/ocr.part.* "$DIR"/ocr.log.*
	if [ "$fail" -ne 0 ]; then
		echo "eval: hotich ocr failed (see $DIR/ocr.log):" >&2
		tail -5 "$DIR/ocr.log" >&2
		exit 1
	fi
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
