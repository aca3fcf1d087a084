#!/bin/sh
# bench_export.sh HOTICH [RECORDS] — `hotich export` on a generated
# database of RECORDS records (default 20,000), on a throwaway cluster:
#
#   the committed fixture scans are loaded by `hotich run` (real pages,
#   real records), then copied in the database until there are RECORDS
#   records (each copy a file of its own with the same scan, its records
#   numbered on, every value decided and every person linked, so that each
#   record goes out with its PDF);
#   export    records per second and PDF pages per second of a first
#             export (every PDF and workbook written), the PDFs' size on
#             disk, then of the same request again (nothing rewritten: the
#             repeat's cost)
#   peer      Tesseract's own PDF renderer (`tesseract PAGE out -l vie pdf`)
#             on three of the same pages, which recognizes the page again
set -eu
HOTICH=${1:?usage: bench_export.sh HOTICH [RECORDS]}
case $HOTICH in /*) ;; *) HOTICH=$PWD/$HOTICH ;; esac
RECORDS=${2:-20000}
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
small=$top/fixtures/small
. "$top/tests/lib/pgtmp.sh"
export OMP_THREAD_LIMIT=1
pgtmp_start
tmp=$(mktemp -d /tmp/hotich-bench-export.XXXXXX)
trap 'pgtmp_stop; rm -rf "$tmp"' EXIT INT TERM
secs() { date +%s.%N; }
rate() { echo "$1 $2 $3" | awk '{ printf "%.1f", ($3 > $2 ? $1 / ($3 - $2) : 0) }'; }

PGOPTIONS="-c client_min_messages=warning" psql -X -q -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" \
	-d postgres -c "CREATE DATABASE bench_export" >/dev/null
d="host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=bench_export"
"$HOTICH" --db "$d" db init >/dev/null
"$HOTICH" --db "$d" registry import "$small/registry.csv" >/dev/null
"$HOTICH" --db "$d" inventory import "$small/inventory.csv" >/dev/null
"$HOTICH" --db "$d" run -q --batch fixtures "$small/scans" >/dev/null || true
base=$(psql -X -A -t -q "$d" -c "SELECT count(*) FROM hotich.records WHERE doc_type <> 'tthc_receipt' AND doc_type <> 'unknown'")
copies=$(( (RECORDS + base - 1) / base ))
echo "bench_export: $(getconf _NPROCESSORS_ONLN) cores; $base records read from the fixture scans, copied $copies times"

# the copies: files (same scan, a sha256 of their own), pages, records,
# people, matches; every value decided, every person linked or decided
psql -X -q -v ON_ERROR_STOP=1 -v copies="$copies" "$d" >/dev/null <<'SQL'
SET search_path TO hotich;
CREATE TEMP TABLE orig AS SELECT * FROM source_files WHERE status = 'loaded';
CREATE TEMP TABLE k AS SELECT generate_series(1, :copies) AS k;
INSERT INTO source_files (sha256, batch_id, path, size_bytes, format, n_pages, registry_office,
	status, loaded_at)
SELECT encode(sha256(convert_to(o.sha256 || ':' || k.k, 'UTF8')), 'hex'), o.batch_id, o.path,
	o.size_bytes, o.format, o.n_pages, o.registry_office, 'loaded', o.loaded_at
FROM orig o, k;
CREATE TEMP TABLE fmap AS
SELECT o.file_id AS old_id, f.file_id AS new_id, f.sha256 AS new_sha, k.k
FROM orig o CROSS JOIN k
JOIN source_files f ON f.sha256 = encode(sha256(convert_to(o.sha256 || ':' || k.k, 'UTF8')), 'hex');
INSERT INTO pages (file_id, page_no, doc_type, width_px, height_px, dpi, rotation, skew_deg,
	mean_conf, preprocess, ocr_ms, text, warnings)
SELECT m.new_id, p.page_no, p.doc_type, p.width_px, p.height_px, p.dpi, p.rotation, p.skew_deg,
	p.mean_conf, p.preprocess, p.ocr_ms, p.text, p.warnings
FROM pages p JOIN fmap m ON m.old_id = p.file_id;
INSERT INTO records (record_ref, page_id, rec_index, doc_type, registry_office, register_no,
	book_no, registered_on, mean_conf, n_review, fields, warnings)
SELECT m.new_sha || ':' || p.page_no || ':' || r.rec_index, np.page_id, r.rec_index, r.doc_type,
	r.registry_office,
	(m.k * 1000 + coalesce(substring(r.register_no FROM '^[0-9]+')::int, 0))::text,
	coalesce(nullif(r.book_no, ''), '01'), r.registered_on, r.mean_conf, 0,
	replace(r.fields::text, '"review": true', '"review": false')::jsonb, r.warnings
FROM records r JOIN pages p ON p.page_id = r.page_id
JOIN fmap m ON m.old_id = p.file_id
JOIN pages np ON np.file_id = m.new_id AND np.page_no = p.page_no
WHERE r.doc_type NOT IN ('tthc_receipt', 'unknown');
CREATE TEMP TABLE rmap AS
SELECT r.record_id AS old_id, n.record_id AS new_id
FROM records r JOIN pages p ON p.page_id = r.page_id
JOIN fmap m ON m.old_id = p.file_id
JOIN records n ON n.record_ref = m.new_sha || ':' || p.page_no || ':' || r.rec_index;
INSERT INTO record_people (record_id, role, full_name, name_key, dob, sex, id_number, cmnd_number,
	birthplace, birth_province, father_name, mother_name, birth_province_now)
SELECT m.new_id, p.role, p.full_name, p.name_key, p.dob, p.sex, p.id_number, p.cmnd_number,
	p.birthplace, p.birth_province, p.father_name, p.mother_name, p.birth_province_now
FROM record_people p JOIN rmap m ON m.old_id = p.record_id;
INSERT INTO matches (record_id, role, citizen_id, score, status, model_version, decided_by,
	decided_at)
SELECT m.new_id, x.role, x.citizen_id, x.score,
	CASE WHEN x.citizen_id IS NULL THEN 'rejected' ELSE 'auto' END, x.model_version,
	CASE WHEN x.citizen_id IS NULL THEN 'bench' END,
	CASE WHEN x.citizen_id IS NULL THEN now() END
FROM matches x JOIN rmap m ON m.old_id = x.record_id;
-- the fixture's own records stay as read: some held back
ANALYZE;
SQL
n=$(psql -X -A -t -q "$d" -c "SELECT count(*) FROM hotich.records WHERE doc_type <> 'tthc_receipt' AND doc_type <> 'unknown'")
echo "database: $n records of the four templates' types"
echo

t0=$(secs)
"$HOTICH" --db "$d" export --out "$tmp/out" >"$tmp/first" 2>&1 || true
t1=$(secs)
pdfs=$(find "$tmp/out" -name '*.pdf' | wc -l)
grep -E '^(books|PDFs|time)' "$tmp/first" | sed 's/^/  /'
echo "first export: $n records in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s: $(rate "$n" "$t0" "$t1") records/s; $pdfs PDF pages"
echo "  PDF pages/s (as hotich counts the PDF step): $(sed -n 's/.*PDFs [0-9.]* s (\([0-9.]*\) pages\/s).*/\1/p' "$tmp/first")"
pdfbytes=$(find "$tmp/out" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
pages=$(sed -n 's/.*PDFs \([0-9]*\) written.*/\1/p' "$tmp/first")
echo "  disk: $(du -sh "$tmp/out" | cut -f1); PDFs $(echo "$pdfbytes" | awk '{ printf "%.0f", $1 / 1048576 }') MB, $(echo "$pdfbytes $pdfs" | awk '{ printf "%.0f", ($2 ? $1 / $2 / 1024 : 0) }') KB a PDF"
g4=0; jpeg=0
for f in $(find "$tmp/out" -name '*.pdf' | head -200); do
	case $(pdfimages -list "$f" 2>/dev/null | awk 'NR == 3 { print $9 }') in
	ccitt) g4=$((g4 + 1)) ;;
	jpeg) jpeg=$((jpeg + 1)) ;;
	esac
done
echo "  of 200 PDFs: $g4 with a black-and-white page (CCITT G4), $jpeg grey or colour (JPEG)"
t0=$(secs)
"$HOTICH" --db "$d" export --out "$tmp/out" >"$tmp/second" 2>&1 || true
t1=$(secs)
grep -E '^PDFs' "$tmp/second" | sed 's/^/  /'
echo "the same request again: $(rate "$n" "$t0" "$t1") records/s (nothing rewritten)"

# peer: Tesseract's PDF renderer on three of the same pages
set -- $(find "$small/scans" -name '*.tif' | sort | head -3)
t0=$(secs)
for f in "$@"; do
	tesseract "$f" "$tmp/peer-$(basename "$f" .tif)" -l vie pdf >/dev/null 2>&1
done
t1=$(secs)
peer=$(rate "$#" "$t0" "$t1")
ours=$(sed -n 's/.*PDFs [0-9.]* s (\([0-9.]*\) pages\/s).*/\1/p' "$tmp/first")
echo "peer: tesseract's PDF renderer (recognizes again): $peer pages/s; ratio $(echo "$ours $peer" | awk '{ printf "%.1f", ($2 > 0 ? $1 / $2 : 0) }')"
