#!/bin/sh
# hotich ocr on the committed fixture pages: doc_type of every page and the
# field values against the ground truth (fixtures/small/truth.jsonl, the
# golden file), the contract's JSON, stable record refs, and bad input
# named without costing the rest.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
eval_bin=$HOTICH_BUILD/hotich-eval

find "$small/scans" -type f | sort >"$T_TMP/files"
if [ -n "${HOTICH_VALGRIND:-}" ]; then
	# under valgrind a page takes a minute: three files
	sed -n '1p;12p;20p' "$T_TMP/files" >"$T_TMP/f" && mv "$T_TMP/f" "$T_TMP/files"
fi

# Tesseract keeps each line image as PNG in memory; hotich's own
# pixWriteMem and pixReadMem (ocr/tess.c) keep the image itself instead,
# and its GOMP_* run Tesseract's OpenMP regions of one thread as plain
# calls, when the binary exports them for Tesseract's calls to find
t_is "$(nm -D --defined-only "$HOTICH" | awk '$3 ~ /^(pix(Write|Read)Mem|GOMP_parallel|GOMP_parallel_sections|GOMP_sections_next|GOMP_sections_end_nowait)$/' |
	wc -l)" "6" "hotich exports its pixWriteMem, pixReadMem and GOMP_* for Tesseract"
t_run 0 "ocr --json on the fixture pages" sh -c \
	"xargs -d '\n' $HOTICH_CMD ocr --json --registry '$small/registry.csv' <'$T_TMP/files'"
cp "$T_OUT" "$T_TMP/ocr.jsonl"
t_is "$(grep -c . "$T_ERR")" "0" "nothing on stderr for good scans"
t_grep "$T_TMP/ocr.jsonl" '^\{"record_ref":"[0-9a-f]{64}:[0-9]+:[01]","file":"[^"]+","page":[0-9]+,"doc_type":"(khai_sinh|khai_tu|ket_hon|nhan_cha_me_con|tthc_receipt|unknown)","fields":\{' \
	"records in the contract's JSON"
t_nogrep "$T_TMP/ocr.jsonl" '"conf":(-|[1-9][0-9]*\.?[0-9]*[1-9]|1\.[0-9]*[1-9])' "conf stays within [0, 1]"
t_nogrep "$T_TMP/ocr.jsonl" '"(mean_)?conf":[0-9]*\.[0-9]{4}' "confidences printed with three decimals at most (0.93, not 0.93000000000000005)"
t_grep "$T_TMP/ocr.jsonl" '"doc_type":"unknown","fields":\{\},"mean_conf":[0-9.]+,"text":' "a page with no form is unknown and keeps its text"

if [ -z "${HOTICH_VALGRIND:-}" ]; then
	: >"$T_TMP/nolinks.csv"
	# the floors are the measured figures less a margin: a regression fails
	t_run 0 "doc_type right on every page, values against the golden truth" \
		"$eval_bin" --truth "$small/truth.jsonl" --links "$small/links.csv" \
		--ocr "$T_TMP/ocr.jsonl" --link "$T_TMP/nolinks.csv" \
		--min-doc-type 100 --min-exact 95 --max-silent 2.5 --max-review 12
	t_diag "$T_OUT" "$T_ERR"
fi

# The committed phone photos (fixtures/photos): JPEGs without a usable
# resolution tag, the sheet in perspective on a desk.  The sheet is found
# and brought upright, the resolution measured from the text, the values
# as the generator's truth says, and each value's box in the photo's own
# pixels, on the sheet.
photos=$HOTICH_SRC/fixtures/photos
if [ -z "${HOTICH_VALGRIND:-}" ]; then
	find "$photos/scans" -type f | sort >"$T_TMP/photos"
	t_run 0 "ocr --json on the committed phone photos" sh -c \
		"xargs -d '\n' $HOTICH_CMD ocr --json --registry '$photos/registry.csv' <'$T_TMP/photos'"
	cp "$T_OUT" "$T_TMP/photos.jsonl"
	t_is "$(grep -c '"steps":"[^"]*,sheet' "$T_TMP/photos.jsonl")" 2 "the sheet is found in each photo"
	t_is "$(grep -Ec '"resolution [0-9]+ dpi from the size of the text"' "$T_TMP/photos.jsonl")" 2 \
		"and the resolution measured from the text"
	t_run 0 "every value of the photos as their truth says" \
		"$eval_bin" --truth "$photos/truth.jsonl" --links "$photos/links.csv" \
		--ocr "$T_TMP/photos.jsonl" --link "$T_TMP/nolinks.csv" --row photo \
		--min-doc-type 100 --min-exact 100 --max-silent 0
	t_diag "$T_OUT" "$T_ERR"
	# each value's box against the generator's own box for it (both in
	# the photo's pixels): its centre within the value's box, give or take
	# half its height
	off=0 seen=0
	for file in $(sed -n 's/.*"file":"\([^"]*\)".*/\1/p' "$photos/truth.jsonl"); do
		grep -F "\"file\":\"$file\"" "$photos/truth.jsonl" | grep -o '"boxes":{[^}]*}' |
			grep -o '"[a-z_]*":\[[0-9,]*\]' | tr -d '"[]' | tr ':,' '  ' >"$T_TMP/tb"
		grep -F "\"file\":\"$photos/$file\"" "$T_TMP/photos.jsonl" |
			grep -o '"[a-z_]*":{[^}]*"bbox":\[[0-9,]*\]' |
			sed 's/^"\([a-z_]*\)".*"bbox":\[\([0-9,]*\)\]/\1 \2/' | tr ',' ' ' >"$T_TMP/ob"
		set -- $(awk 'NR == FNR { x[$1] = $2; y[$1] = $3; w[$1] = $4; h[$1] = $5; next }
			!($1 in x) { next }
			{ n++; cx = $2 + $4 / 2; cy = $3 + $5 / 2; m = h[$1] / 2 + 4
			  if (cx < x[$1] - m || cx > x[$1] + w[$1] + m || cy < y[$1] - m || cy > y[$1] + h[$1] + m) bad++ }
			END { print n + 0, bad + 0 }' "$T_TMP/tb" "$T_TMP/ob")
		seen=$((seen + $1))
		off=$((off + $2))
	done
	t_ok "the photos' values have boxes ($seen compared)" [ "$seen" -ge 20 ]
	t_is "$off" 0 "each value's box is where the generator drew the value, in the photo's pixels"
	photo1=$(sed -n 1p "$T_TMP/photos")
	t_run 0 "--dpi overrides the measure" hotich ocr --json --dpi 150 "$photo1"
	t_nogrep "$T_OUT" 'from the size of the text' "no resolution measured when it is given"
	t_run 2 "--dpi out of range" hotich ocr --dpi 5 "$photo1"
	t_grep "$T_ERR" 'dpi' "is a usage error naming the option"
fi

first=$(sed -n 1p "$T_TMP/files")
t_run 0 "the same file again" hotich ocr --json "$first"
t_is "$(sed -n 's/^{"record_ref":"\([^"]*\)".*/\1/p' "$T_OUT" | head -1)" \
	"$(grep -F "\"file\":\"$first\"" "$T_TMP/ocr.jsonl" | sed -n 's/^{"record_ref":"\([^"]*\)".*/\1/p' | head -1)" \
	"gives the same record_ref"

printf 'not an image' >"$T_TMP/note.tif"
t_run 1 "a bad file among good ones exits 1" hotich ocr --json "$T_TMP/note.tif" "$first"
t_grep "$T_ERR" 'note\.tif: not a TIFF, PNG or JPEG' "and names the file"
t_grep "$T_OUT" "\"file\":\"$first\"" "the good file is still read"

t_run 0 "without --json: one line per record" hotich ocr "$first"
t_grep "$T_OUT" "^$first	page 1	" "file, page, doc_type and the fields to review"
# a page without a title whose first lines are no print (000005 page 2,
# written by hand) is not read past them, and still goes to keying; the
# covers' print (000004 page 2, 000018) is read whole
hand=$(grep '000005\.tif","page":2,' "$T_TMP/ocr.jsonl" || true)
if [ -n "$hand" ]; then
	t_is "$(printf '%s\n' "$hand" | grep -c '"no print in its first lines: the rest not read"')" 1 \
		"a handwritten page is not read past its first lines"
	t_is "$(printf '%s\n' "$hand" | grep -c '"handwriting: [0-9]* marks')" 1 "... and is marked handwriting"
	n=$(printf '%s\n' "$hand" | python3 -c 'import json, sys; print(len(json.loads(sys.stdin.read())["text"].split("\n")))')
	t_ok "... its text: at most the ten lines read first and the three tallest tried for a title ($n)" \
		[ "$n" -le 13 ]
	t_is "$(grep -E '(000004\.tif","page":2|000018\.tif","page":1),' "$T_TMP/ocr.jsonl" | grep -c 'no print in its first lines')" 0 \
		"the covers' print is read whole"
fi

# the book memory (ocr/book.c): a page read again is read from the first
# reading's templates, a page of another form after it in full, and both
# give what they give without the memory (boxes and confidences aside)
if [ -z "${HOTICH_VALGRIND:-}" ]; then
	ks=$small/scans/xa-chu-trinh/quyen-03/000007.tif
	kt=$small/scans/xa-chu-trinh/quyen-03/000019.tif
	# (the page's text aside too: a value read alone may gain a period)
	strip() { sed -E 's/"(mean_)?conf":[0-9.]+,?//g; s/"ms":[0-9]+//g; s/"bbox":\[[0-9,]*\],?//g; s/"text":"([^"\\]|\\.)*",?//g' "$1"; }
	HOTICH_OCR_TIMES=1 t_run 0 "a book's page twice, then a page of another form" \
		hotich ocr --json "$ks" "$ks" "$kt"
	strip "$T_OUT" >"$T_TMP/book.jsonl"
	t_is "$(grep -c 'quyen-03/000007.tif page 1: .*; [1-9][0-9]* lines from the book memory' "$T_ERR")" 2 \
		"the page read again takes its title and labels from the book memory"
	t_is "$(grep -c 'quyen-03/000007.tif page 1: .*; 1[0-9] lines from the book memory' "$T_ERR")" 1 \
		"... most of its lines the second time"
	t_grep "$T_ERR" 'quyen-03/000019.tif page 1: .*; 0 lines from the book memory' \
		"a page of another form and typesetting is read in full"
	HOTICH_OCR_BOOK=0 t_run 0 "the same without the book memory (HOTICH_OCR_BOOK=0)" \
		hotich ocr --json "$ks" "$ks" "$kt"
	strip "$T_OUT" >"$T_TMP/nobook.jsonl"
	t_is "$(cmp "$T_TMP/book.jsonl" "$T_TMP/nobook.jsonl" >/dev/null && echo same)" same \
		"the book memory changes no value, no flag, no doc_type"
fi

t_run 2 "no scan given" hotich ocr
t_grep "$T_ERR" 'no scan given' "is a usage error"
t_run 2 "a registry that is not there" hotich ocr --registry "$T_TMP/none.csv" "$first"
t_grep "$T_ERR" 'none\.csv' "is named"
t_done
