#!/bin/sh
# hotich export of a case whose record spans more than one page: the second
# page of a form read as a record of its own without a registration number,
# the right half of an A3 spread continuing the entry of the left half.
# One PDF per case with all its pages (pdfinfo, pdftotext page by page), one
# row, the first page's values first and the missing ones from the next.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small

# 000025.tif of book 05: a receipt (page 1), a birth record #25 (page 2),
# an A3 spread with births #26 and #27 (page 3, left and right halves)
mkdir -p "$T_TMP/scans"
cp "$small/scans/xa-co-ba/quyen-05/000025.tif" "$T_TMP/scans/"
db=$(new_db export_pages)
q() { # q SQL: one value, in hotich's schema
	psql -X -A -t -q -d "$db" -c "SET search_path TO hotich" -c "$1"
}
t_run 0 "db init" hotich --db "$db" db init
t_run 0 "registry import" hotich --db "$db" registry import "$small/registry.csv"
t_run 0 "the batch" "$HOTICH" --db "$db" run --batch pages "$T_TMP/scans"
rec() { # rec PAGE INDEX: the record_id of the birth record there
	q "SELECT r.record_id FROM records r JOIN pages p USING (page_id) WHERE r.doc_type = 'khai_sinh' AND p.page_no = $1 AND r.rec_index = $2"
}
r25=$(rec 2 0)
r26=$(rec 3 0)
r27=$(rec 3 1)
t_is "$(q "SELECT string_agg(register_no, ' ' ORDER BY record_id) FROM records WHERE record_id IN ($r25, $r26, $r27)")" \
	"25 26 27" "the batch read three birth records, numbers 25, 26, 27"
book="$T_TMP/out/xa-co-ba-huyen-bao-lac-tinh-cao-bang/khai_sinh-quyen-05"
t_run 0 "export --all, one page per case" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
t_grep "$T_OUT" '^books: 1, records: 3' "three cases"
t_is "$(ls "$book" | grep -c '\.pdf$')" 3 "three PDFs"
pages_of() { # PDF N: its page count
	pdfinfo "$1" | sed -n 's/^Pages: *//p'
}
t_is "$(pages_of "$book/khai-sinh-q05-so-25.pdf")" 1 "each of one page"
# the scan is black and white: its pages go in as CCITT G4, at its size
t_is "$(pdfimages -list "$book/khai-sinh-q05-so-25.pdf" | awk 'NR == 3 { print $9 " " $4 "x" $5 " " $13 }')" \
	"ccitt 2480x3508 300" "a black-and-white page as CCITT G4 at the scan's size and resolution"
t_ok "a few tens of KB, not hundreds" test "$(wc -c <"$book/khai-sinh-q05-so-25.pdf")" -lt 100000
# the text layer's font is in the file (archival readers refuse a font only named)
pdffonts "$book/khai-sinh-q05-so-25.pdf" >"$T_TMP/fonts" 2>&1
t_grep "$T_TMP/fonts" '^GlyphLessFont +CID TrueType +Identity-H +yes +no +yes ' \
	"the text layer's font is embedded, with its Unicode map"
t_nogrep "$T_TMP/fonts" 'Syntax (Error|Warning)' "and read without a complaint"
pdftoppm -r 20 -gray "$book/khai-sinh-q05-so-25.pdf" "$T_TMP/look"
t_is "$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read().split(b"\n", 3)[3]; print("white" if sum(d) / len(d) > 180 else "dark")' "$T_TMP/look-1.pgm")" \
	white "it renders black on white (not inverted)"

# #26, on the page after #25, as the second page of #25's form: its
# number's label not found.  #25's mother as if on that second page.
name26=$(q "SELECT fields->'full_name'->>'value' FROM records WHERE record_id = $r26")
mother26=$(q "SELECT fields->'mother_name'->>'value' FROM records WHERE record_id = $r26")
name27=$(q "SELECT fields->'full_name'->>'value' FROM records WHERE record_id = $r27")
name25=$(q "SELECT fields->'full_name'->>'value' FROM records WHERE record_id = $r25")
q "UPDATE records SET register_no = NULL, fields = fields || '{\"register_no\": {\"value\": null, \"review\": true, \"why\": \"label not found\"}}' WHERE record_id = $r26" >/dev/null
q "UPDATE records SET fields = fields || '{\"mother_name\": {\"value\": null, \"review\": true, \"why\": \"label not found\"}}' WHERE record_id = $r25" >/dev/null
t_run 0 "export --all, #26 without its number but with its title" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
t_grep "$T_OUT" '^books: 1, records: 3' "a form with its title is a case of its own, its number missed or not"
# its page without a title: the OCR classified it by its labels
q "UPDATE pages SET warnings = warnings || '[\"khai_sinh: the title was not read; classified by its labels\"]' WHERE page_id = (SELECT page_id FROM records WHERE record_id = $r26)" >/dev/null
t_run 0 "export --all after" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
t_grep "$T_OUT" '^books: 1, records: 2' "two cases: #25 with its second page, #27"
t_ok "no PDF of its own for the second page" test ! -e "$book/khai-sinh-q05-so-26.pdf"
t_is "$(pages_of "$book/khai-sinh-q05-so-25.pdf")" 2 "#25's PDF has both pages"
pdftotext -f 1 -l 1 "$book/khai-sinh-q05-so-25.pdf" "$T_TMP/p1.txt"
pdftotext -f 2 -l 2 "$book/khai-sinh-q05-so-25.pdf" "$T_TMP/p2.txt"
t_grep "$T_TMP/p1.txt" "$name25" "page 1's text layer: the values read on it"
t_grep "$T_TMP/p2.txt" "$name26" "page 2's text layer: the values read on the second page"
t_nogrep "$T_TMP/p1.txt" "$name26" "not mixed"
t_is "$(grep -c "^25," "$book/khai-sinh.csv")" 1 "one row for the case"
t_nogrep "$book/khai-sinh.csv" "^26," "none for its second page"
t_grep "$book/khai-sinh.csv" "^25,.*,$name25,.*,$mother26," "the mother read on the second page fills the row"
t_nogrep "$book/kiem-tra.csv" "mother_name" "and no longer holds it back"
p2w=$(pdfinfo -f 2 -l 2 "$book/khai-sinh-q05-so-25.pdf" | sed -n 's/^Page *2 size: *\([0-9.]*\) .*/\1/p')
t_is "$p2w" "595.2" "the second page is the left half of the spread (A4 at 300 dpi)"

# #27, the right half of the spread, continuing the same entry
q "UPDATE records SET register_no = NULL, fields = fields - 'register_no' WHERE record_id = $r27" >/dev/null
t_run 0 "export --all with the spread's right half continuing" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
t_grep "$T_OUT" '^books: 1, records: 1' "one case"
t_is "$(ls "$book" | grep -c '\.pdf$')" 1 "one PDF (the others removed)"
t_is "$(pages_of "$book/khai-sinh-q05-so-25.pdf")" 3 "with the three pages"
ref26=$(q "SELECT record_ref FROM records WHERE record_id = $r26")
ref27=$(q "SELECT record_ref FROM records WHERE record_id = $r27")
t_is "$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(" ".join("%d:%s" % (c["pages"], ",".join(c["continued_by"])) for c in m["cases_on_several_pages"]))' "$book/manifest.json")" \
	"3:$ref26,$ref27" "the book's manifest names the records the case took in"
pdftotext -f 3 -l 3 "$book/khai-sinh-q05-so-25.pdf" "$T_TMP/p3.txt"
t_grep "$T_TMP/p3.txt" "$name27" "the right half's values on the third"
t_run 0 "the same export again" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
t_grep "$T_OUT" '^PDFs: 0 written, 1 unchanged' "an unchanged case is not written again"

# a record with its own number on the next page is a case of its own
q "UPDATE records SET register_no = '28', fields = jsonb_set(fields, '{register_no}', '{\"value\": \"28\", \"review\": false}') WHERE record_id = $r27" >/dev/null
t_run 0 "export with #27 numbered" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
t_grep "$T_OUT" '^books: 1, records: 2' "two cases"
t_is "$(pages_of "$book/khai-sinh-q05-so-28.pdf")" 1 "its PDF of one page"
t_is "$(pages_of "$book/khai-sinh-q05-so-25.pdf")" 2 "#25 keeps its two"

# --- the text layer's font: Vietnamese comes back exactly, composed (NFC) ---
# a name stored decomposed (NFD, as some keyboards and old data give it),
# one in capitals with two marks on a letter, one of the Ê Đê order
python3 -c 'import unicodedata as u; print(u.normalize("NFD", "Nguyễn Thị Thuỳ Dương"))' >"$T_TMP/nfd"
t_ok "the name is stored decomposed" python3 -c 'import sys, unicodedata as u; s = open(sys.argv[1], encoding="utf-8").read().strip(); sys.exit(u.is_normalized("NFC", s))' "$T_TMP/nfd"
q "UPDATE records SET fields = jsonb_set(fields, '{full_name,value}', to_jsonb('$(cat "$T_TMP/nfd")'::text)) WHERE record_id = $r25" >/dev/null
q "UPDATE records SET fields = jsonb_set(fields, '{full_name,value}', to_jsonb('ĐẶNG HỮU PHƯỚC'::text)) || '{\"hometown\": {\"value\": \"Buôn Ma Thuột, H’ Nhi Niê, Ỷ La\", \"review\": false}}' WHERE record_id = $r27" >/dev/null
t_run 0 "export with the names" hotich --db "$db" export --all --type khai_sinh --out "$T_TMP/out"
pdftotext "$book/khai-sinh-q05-so-25.pdf" "$T_TMP/n25.txt"
pdftotext "$book/khai-sinh-q05-so-28.pdf" "$T_TMP/n28.txt"
nfc_in() { # nfc_in FILE TEXT: TEXT, in NFC, is in FILE, and FILE is all NFC
	python3 -c 'import sys, unicodedata as u
t = open(sys.argv[1], encoding="utf-8").read()
want = u.normalize("NFC", sys.argv[2])
sys.exit(0 if want in t and u.is_normalized("NFC", t) else 1)' "$1" "$2"
}
t_ok "pdftotext gives the decomposed name back composed, letter for letter" \
	nfc_in "$T_TMP/n25.txt" "Nguyễn Thị Thuỳ Dương"
t_ok "capitals with two marks" nfc_in "$T_TMP/n28.txt" "ĐẶNG HỮU PHƯỚC"
t_ok "the curly apostrophe, Ỷ" nfc_in "$T_TMP/n28.txt" "Buôn Ma Thuột, H’ Nhi Niê, Ỷ La"
t_ok "the workbook's CSV has the name composed too" nfc_in "$book/khai-sinh.csv" "Nguyễn Thị Thuỳ Dương"
t_done
