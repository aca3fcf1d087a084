#!/bin/sh
# Offices as real units: a record's office comes from where its scans came
# from (the inventory's folders, a mapping given to `hotich run --offices`,
# or --office), else from the office printed, resolved to an administrative
# unit; a printed office that is not the scans' goes to review; `report --by
# office` gives one row per real office, named as the inventory names it,
# however the offices were spelled on the records.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
chu_trinh="Xã Chu Trinh, Thành phố Cao Bằng, Tỉnh Cao Bằng"
co_ba="Xã Cô Ba, Huyện Bảo Lạc, Tỉnh Cao Bằng"
lung_nam="Xã Lũng Nặm, Huyện Hà Quảng, Tỉnh Cao Bằng"

# scans filed by office (one of Cô Ba's misfiled among Chu Trinh's), a
# folder the inventory does not know, and a box mapped by hand
mkdir -p "$T_TMP/scans/xa-chu-trinh/quyen-03" "$T_TMP/scans/unsorted" "$T_TMP/scans/box-7"
cp "$small/scans/xa-chu-trinh/quyen-03/000006.tif" "$small/scans/xa-chu-trinh/quyen-03/000013.tif" \
	"$T_TMP/scans/xa-chu-trinh/quyen-03/"
cp "$small/scans/xa-co-ba/quyen-05/000003.tif" "$T_TMP/scans/xa-chu-trinh/quyen-03/misfiled.tif"
cp "$small/scans/xa-lung-nam/quyen-01/000001.tif" "$T_TMP/scans/unsorted/"
cp "$small/scans/xa-co-ba/quyen-05/000004.tif" "$T_TMP/scans/box-7/"

count() { psql -X -A -t -q -d "$1" -c "SET search_path TO hotich" -c "$2"; }
office_of() { # DB FILE-PATTERN: the offices of the file's records
	count "$1" "SELECT string_agg(DISTINCT coalesce(r.registry_office, '-'), '|') FROM records r
	            JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f ON f.file_id = pg.file_id
	            WHERE f.path LIKE '%$2'"
}

db=$(new_db offices)
hotich --db "$db" db init >/dev/null
hotich --db "$db" registry import "$small/registry.csv" >/dev/null

# --- the inventory's folders ---------------------------------------------
{
	echo "registry_office,doc_type,book_no,year,entries,folder"
	sed 1d "$small/inventory.csv" | sed -e '/Chu Trinh/s/$/,xa-chu-trinh/' -e '/Cô Ba/s/$/,xa-co-ba/' -e '/Lũng Nặm/s/$/,/'
	echo "\"$co_ba\",khai_sinh,06,2024,10,xa-chu-trinh"
} >"$T_TMP/inventory.csv"
t_run 1 "inventory import with folders (a folder given to two offices: exit 1)" \
	hotich --db "$db" inventory import --rejects "$T_TMP/inv-rej.csv" "$T_TMP/inventory.csv"
t_grep "$T_OUT" '13 rows read: 12 new, 0 updated, 0 unchanged, 1 rejected' "12 rows loaded"
t_grep "$T_TMP/inv-rej.csv" '^14,".*Cô Ba.*",its folder holds the scans of another office$' "the row that gives a folder a second office is refused"
t_is "$(count "$db" "SELECT string_agg(DISTINCT coalesce(folder, '-'), ' ' ORDER BY coalesce(folder, '-')) FROM inventory")" \
	"- xa-chu-trinh xa-co-ba" "the folders are kept"
t_run 0 "the same inventory without its folder column changes nothing" hotich --db "$db" inventory import "$small/inventory.csv"
t_grep "$T_OUT" '12 rows read: 0 new, 0 updated, 12 unchanged' "(folders are kept)"

# --- a bad mapping file is a usage error naming the file -------------------
printf 'office,where\nx,y\n' >"$T_TMP/bad-map.csv"
t_run 2 "--offices with a wrong header" hotich --db "$db" run -q --offices "$T_TMP/bad-map.csv" "$T_TMP/scans"
t_grep "$T_ERR" "bad-map.csv: the header must name the columns folder,registry_office" "names the file and the columns"

# --- the run -----------------------------------------------------------------
printf 'folder,registry_office\nbox-7,"X. Cô Ba, H. Bảo Lạc, T. Cao Bằng"\n' >"$T_TMP/map.csv"
t_run 0 "run --offices" hotich --db "$db" run -q --jobs 2 --batch o1 --offices "$T_TMP/map.csv" "$T_TMP/scans"
t_is "$(office_of "$db" '/xa-chu-trinh/quyen-03/000006.tif')" "$chu_trinh" "a scan of the inventory's folder: its office"
t_is "$(office_of "$db" '/unsorted/000001.tif')" "$lung_nam" "a scan of no known folder: the office printed, named as the inventory names it"
t_is "$(office_of "$db" '/box-7/000004.tif')" "$co_ba" "a folder of the mapping file: its office, named as the inventory names it"
t_is "$(count "$db" "SELECT registry_office FROM source_files WHERE path LIKE '%/box-7/%'")" "$co_ba" "and the file's office"
# the scan of Cô Ba filed under Chu Trinh
t_is "$(office_of "$db" '/misfiled.tif')" "$chu_trinh" "a misfiled scan counts under its folder's office"
mis="SELECT r.%s FROM records r JOIN pages pg ON pg.page_id = r.page_id JOIN source_files f ON f.file_id = pg.file_id WHERE f.path LIKE '%%/misfiled.tif'"
# shellcheck disable=SC2059
t_is "$(count "$db" "$(printf "$mis" "fields->'registry_office'->>'review'")")" true "but its printed office goes to review"
# shellcheck disable=SC2059
t_grep_why=$(count "$db" "$(printf "$mis" "fields->'registry_office'->>'why'")")
t_is "$t_grep_why" "the office printed ($co_ba) is not the office of the scans ($chu_trinh)" "with the reason"
# shellcheck disable=SC2059
t_is "$(count "$db" "$(printf "$mis" "warnings ? 'office_differs'")")" t "and a warning"
t_is "$(count "$db" "SELECT count(*) FROM records WHERE n_review <> (SELECT count(*) FROM jsonb_each(fields) f WHERE (f.value ->> 'review')::boolean)")" 0 \
	"every record's count of fields to review follows"
t_is "$(count "$db" "SELECT count(*) FROM records WHERE warnings ? 'office_differs' OR warnings ? 'office_unknown'")" 1 "no other record flagged"

# --- report: one row per real office, however the offices are spelled -------
t_run 0 "report --by office" hotich --db "$db" report --by office --format csv
t_is "$(sed 1d "$T_OUT" | cut -d'"' -f2 | tr '\n' '|')" "$chu_trinh|$co_ba|$lung_nam|" "one row per office"
records=$(count "$db" "SELECT count(*) FROM records")
# records stored as OCR read them, before offices were resolved
count "$db" "UPDATE records SET registry_office = 'Xã Chu Trinh, Tỉnh Cao Bằng' WHERE record_id = (SELECT min(record_id) FROM records WHERE registry_office LIKE 'Xã Chu Trinh%')" >/dev/null
count "$db" "UPDATE records SET registry_office = 'xã Cô Ba, huyện Bảo Lạc, T. Cao Bằng' WHERE record_id = (SELECT min(record_id) FROM records WHERE registry_office LIKE 'Xã Cô Ba%')" >/dev/null
count "$db" "UPDATE records SET registry_office = 'Xã Lũng Nặm, Huyện Hà Quảng' WHERE registry_office LIKE 'Xã Lũng Nặm%'" >/dev/null
count "$db" "UPDATE records SET registry_office = 'Xã Tân Thành, Tỉnh Cà, Tỉnh Cà Mau' WHERE record_id = (SELECT max(record_id) FROM records WHERE registry_office LIKE 'Xã Chu Trinh%')" >/dev/null
t_is "$(count "$db" "SELECT count(DISTINCT registry_office) FROM records")" 6 "six spellings stored"
t_run 0 "report --by office over them" hotich --db "$db" report --by office --format csv
t_is "$(sed 1d "$T_OUT" | sed 's/^"\([^"]*\)",\([0-9]*\),.*/\1 \2/; s/^\([^,]*\),\([0-9]*\),.*/\1 \2/' | tr '\n' '|')" \
	"(office unknown) 1|$chu_trinh $(($(count "$db" "SELECT count(*) FROM records WHERE registry_office LIKE 'Xã Chu Trinh%'")))|$co_ba $(count "$db" "SELECT count(*) FROM records WHERE registry_office ILIKE 'xã cô ba%'")|$lung_nam $(count "$db" "SELECT count(*) FROM records WHERE registry_office LIKE 'Xã Lũng Nặm%'")|" \
	"one row per real office (a print cut before its province read in the inventory's province), the unreadable one apart"
t_run 0 "report --by province" hotich --db "$db" report --by province --format csv
t_grep "$T_OUT" "^Cao Bằng,$((records - 1))," "the offices' records in their province"

# --- --office for scans of no known folder ---------------------------------
db2=$(new_db offices2)
hotich --db "$db2" db init >/dev/null
mkdir -p "$T_TMP/lone"
cp "$small/scans/xa-lung-nam/quyen-01/000001.tif" "$small/scans/xa-chu-trinh/quyen-03/000006.tif" "$T_TMP/lone/"
t_run 0 "run --office (no inventory, no registry)" hotich --db "$db2" run -q --jobs 1 --office "X. Lũng Nặm, H. Hà Quảng, T. Cao Bằng" "$T_TMP/lone"
t_is "$(count "$db2" "SELECT string_agg(DISTINCT registry_office, '|') FROM records")" "$lung_nam" "every record counts under the office given"
t_is "$(count "$db2" "SELECT count(*) FROM records WHERE warnings ? 'office_differs'")" 1 "the one that prints another office goes to review"
t_done
