#!/bin/sh
# A form's lines read first over their first line-heights (ocr/page.c,
# prefix_skips): in the parents' and the declarant's blocks, a line whose
# label gives no field ("Năm sinh:", "Nơi cư trú:", "Giấy tờ tùy thân:")
# is not read past its label, nor the date in words when the date in digits
# is sure.  Without the book memory (HOTICH_OCR_BOOK=0, a page no memory
# knows), a birth record read with the prefixes (the default) and without
# them (HOTICH_OCR_PREFIX=0) gives every value, flag, confidence and box
# alike; only the page's text loses what those lines print after the label.
. "$(dirname "$0")/lib/tap.sh"
ks=$HOTICH_SRC/fixtures/small/scans/xa-chu-trinh/quyen-03/000007.tif

strip() { sed -E 's/"ms":[0-9]+//g; s/"text":"([^"\\]|\\.)*",?//g' "$1"; }

HOTICH_OCR_BOOK=0 t_run 0 "a birth record read with the prefixes" hotich ocr --json "$ks"
strip "$T_OUT" >"$T_TMP/on.jsonl"
cp "$T_OUT" "$T_TMP/on.raw"
HOTICH_OCR_BOOK=0 HOTICH_OCR_PREFIX=0 t_run 0 "the same without them (HOTICH_OCR_PREFIX=0)" \
	hotich ocr --json "$ks"
strip "$T_OUT" >"$T_TMP/off.jsonl"
cp "$T_OUT" "$T_TMP/off.raw"

t_is "$(cmp "$T_TMP/on.jsonl" "$T_TMP/off.jsonl" >/dev/null && echo same)" same \
	"the prefixes change no value, flag, confidence, box or doc_type"
t_grep "$T_TMP/off.raw" 'Năm sinh: 1959 Dân tộc' "read whole, the mother's year of birth is in the text"
t_is "$(grep -c 'Năm sinh: 1959' "$T_TMP/on.raw")" 0 \
	"with the prefixes, her line is left at its label"
t_grep "$T_TMP/on.raw" '\\nNăm sinh:\\nNơi cư trú:\\n' "... and so is her place of residence"
t_grep "$T_TMP/on.raw" '\\nghi bằng chữ:\\n' \
	"the date in words is not read (the date in digits is sure)"
t_done
