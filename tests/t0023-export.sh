#!/bin/sh
# hotich export against a throwaway database loaded by a real batch: per
# book a folder of searchable PDFs (their text read back by pdftotext), the
# workbook read back by Python's zipfile (not the writer), the CSVs, the
# manifest; held-back records and their reasons; the same request twice
# gives the same bytes; a record corrected after an export comes out
# marked as a correction in the next.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small

mkdir -p "$T_TMP/scans"
for f in xa-co-ba/quyen-05/000003.tif xa-co-ba/quyen-05/000004.tif \
	xa-co-ba/quyen-05/000009.tif xa-co-ba/quyen-05/000012.tif; do
	cp "$small/scans/$f" "$T_TMP/scans/"
done
db=$(new_db export)
t_run 0 "db init" hotich --db "$db" db init
t_run 0 "registry import" hotich --db "$db" registry import "$small/registry.csv"
t_run 0 "inventory import" hotich --db "$db" inventory import "$small/inventory.csv"
t_run 0 "the batch" hotich --db "$db" run --batch exp "$T_TMP/scans"
t_diag "$T_OUT"
t_run 0 "export" hotich --db "$db" export --out "$T_TMP/out"
t_diag "$T_OUT"
t_diag "$T_ERR"
find "$T_TMP/out" -type f | sort >"$T_TMP/files"
t_diag "$T_TMP/files"
t_done
