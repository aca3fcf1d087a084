#!/bin/sh
# ocr/tessnet.c's definitions of Tesseract's network bookkeeping (the
# StrideMap::Index and NetworkIO functions of libtesseract 5.3.0), which
# the hotich binary exports for the library's calls: whole pages read
# with them give the JSON they give with the library's own
# (HOTICH_OCR_TESS_NET=0), every value, flag, confidence, box and word of
# the page's text, on scans (TIFF, JPEG, the register's handwriting page)
# and on a phone photo.  test_ocr compares the functions one by one.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
photos=$HOTICH_SRC/fixtures/photos

if [ -n "${HOTICH_VALGRIND:-}" ]; then
	t_ok true "# skipped under valgrind (pages read twice)"
	t_done
	exit 0
fi
exports=$(nm -D --defined-only "$HOTICH" | grep -c ' _ZN*K*9tesseract9\(StrideMap\|NetworkIO\)')
if [ "$(pkg-config --modversion tesseract 2>/dev/null)" != 5.3.0 ] ||
	[ "$(uname -m)" != x86_64 ]; then
	t_is "$exports" 0 "built against another Tesseract: the library's own bookkeeping, nothing exported"
	t_done
	exit 0
fi
t_is "$exports" 9 "hotich exports its nine tesseract:: functions for the library's calls"

set -- "$small/scans/xa-co-ba/quyen-05/000003.tif" "$small/scans/xa-co-ba/quyen-05/000021.jpg" \
	"$small/scans/xa-lung-nam/quyen-01/000005.tif" "$(find "$photos/scans" -type f | sort | head -1)"
strip() { sed -E 's/"ms":[0-9]+//g' "$1"; }
t_run 0 "four files read with hotich's definitions" hotich ocr --json "$@"
strip "$T_OUT" >"$T_TMP/fast.jsonl"
HOTICH_OCR_TESS_NET=0 t_run 0 "the same with the library's own (HOTICH_OCR_TESS_NET=0)" \
	hotich ocr --json "$@"
strip "$T_OUT" >"$T_TMP/library.jsonl"
t_is "$(grep -c '"doc_type":"khai_sinh"' "$T_TMP/fast.jsonl")" \
	"$(grep -c '"doc_type":"khai_sinh"' "$T_TMP/library.jsonl")" "as many birth records either way"
t_ok "the pages were read: records with fields" grep -q '"fields":{"' "$T_TMP/fast.jsonl"
t_is "$(cmp "$T_TMP/fast.jsonl" "$T_TMP/library.jsonl" >/dev/null && echo same)" same \
	"the same JSON to the byte (but the milliseconds)"
cmp -s "$T_TMP/fast.jsonl" "$T_TMP/library.jsonl" ||
	diff "$T_TMP/fast.jsonl" "$T_TMP/library.jsonl" | head -20 | sed 's/^/# /'
t_done
