#!/bin/sh
# Issue 27's two levers on the book memory (ocr/book.c, ocr/page.c): a line
# whose label opened only lines that gave the record nothing is not read
# again (HOTICH_OCR_IDLE=0: it is), and the date in words is read only when
# the date in digits is doubtful (HOTICH_OCR_LAZY_WORDS=0: always).  A
# birth record read three times: the later readings take fewer Tesseract
# calls with the levers than without, and every value, flag, confidence
# and box is the same either way (the page's text aside: a line not read
# keeps only its label's words there).  In a block whose labels give no
# field but its opener (the parents'), a label that gives nothing is idle
# from its first match, so the first reading already reads less.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
ks=$small/scans/xa-chu-trinh/quyen-03/000007.tif

if [ -n "${HOTICH_VALGRIND:-}" ]; then
	t_ok true "# skipped under valgrind (the same page read six times)"
	t_done
	exit 0
fi

strip() { sed -E 's/"ms":[0-9]+//g; s/"text":"([^"\\]|\\.)*",?//g' "$1"; }
# Tesseract calls of the birth record (page 1) at its Nth reading
calls() {
	grep 'quyen-03/000007.tif page 1: ' "$1" | sed -n "${2}p" |
		sed -E 's/.* in ([0-9]+) calls.*/\1/'
}

HOTICH_OCR_TIMES=1 t_run 0 "a birth record read three times with the levers" \
	hotich ocr --json "$ks" "$ks" "$ks"
strip "$T_OUT" >"$T_TMP/on.jsonl"
cp "$T_ERR" "$T_TMP/on.err"
HOTICH_OCR_TIMES=1 HOTICH_OCR_IDLE=0 HOTICH_OCR_LAZY_WORDS=0 t_run 0 \
	"the same without them (HOTICH_OCR_IDLE=0 HOTICH_OCR_LAZY_WORDS=0)" \
	hotich ocr --json "$ks" "$ks" "$ks"
strip "$T_OUT" >"$T_TMP/off.jsonl"
cp "$T_ERR" "$T_TMP/off.err"
HOTICH_OCR_TIMES=1 HOTICH_OCR_IDLE=0 t_run 0 "only the date in words read when doubtful" \
	hotich ocr --json "$ks" "$ks" "$ks"
strip "$T_OUT" >"$T_TMP/lazy.jsonl"
cp "$T_ERR" "$T_TMP/lazy.err"

on=$(calls "$T_TMP/on.err" 3)
off=$(calls "$T_TMP/off.err" 3)
lazy=$(calls "$T_TMP/lazy.err" 3)
first_on=$(calls "$T_TMP/on.err" 1)
first_off=$(calls "$T_TMP/off.err" 1)
t_is "$([ "$first_on" -lt "$first_off" ] && echo fewer)" fewer \
	"the first reading leaves the father's lines unread once the mother's taught their labels, which give nothing in those blocks ($first_on calls against $first_off)"
t_is "$([ "$lazy" -lt "$off" ] && echo fewer)" fewer \
	"the date in words is left unread when the digits are sure ($lazy calls against $off)"
t_is "$([ "$on" -lt "$lazy" ] && echo fewer)" fewer \
	"the lines that give no field are left unread ($on calls against $lazy)"
t_is "$(cmp "$T_TMP/on.jsonl" "$T_TMP/off.jsonl" >/dev/null && echo same)" same \
	"the levers change no value, flag, confidence, box or doc_type"
t_is "$(cmp "$T_TMP/lazy.jsonl" "$T_TMP/off.jsonl" >/dev/null && echo same)" same \
	"... nor the date in words alone"
t_done
