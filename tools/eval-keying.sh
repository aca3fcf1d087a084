#!/bin/sh
# eval-keying.sh BUILD_DIR SET_DIR SEED — the keying-error table of make
# eval: generate the keying-error set (once, from SEED: records typed with
# errors against a registry typed with errors, no pages), link it through
# hotich's public command and score the links per error kind; SET_DIR/
# report.md has the tables as Markdown.
#
# Nothing may be tuned on the evaluation seed: make tune runs the same on a
# tuning seed.
set -eu
O=$1
DIR=$2
SEED=$3
HOTICH=${HOTICH:-./hotich}

stamp="$SEED $(cat fixtures/*.c fixtures/*.h | sha256sum | cut -c1-16)"
if [ ! -f "$DIR/records.jsonl" ] || [ "$(cat "$DIR/.generator" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$DIR"
	"$O/hotich-fixtures" --set keying --seed "$SEED" --out "$DIR"
	echo "$stamp" >"$DIR/.generator"
fi
start=$(date +%s)
"$HOTICH" link --registry "$DIR/registry.csv" "$DIR/records.jsonl" >"$DIR/link.csv" 2>"$DIR/link.log" || [ $? -eq 1 ]
end=$(date +%s)
echo "eval: keying-error set $DIR (seed $SEED): $(($(grep -c '' "$DIR/links.csv") - 1)) people; link $((end - start)) s"
sed 's/^hotich: //' "$DIR/link.log"
echo
"$O/hotich-eval" --links "$DIR/links.csv" --link "$DIR/link.csv" --markdown "$DIR/report.md"
