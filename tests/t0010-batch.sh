#!/bin/sh
# The batch against a throwaway database: registry and inventory import
# (idempotent, bad rows reported), hotich run (records, matches, summary,
# a rejected file named and recorded), a second run loading nothing, two
# runs at once loading once, kill -9 at several moments then the same
# command finishing with every record exactly once, hotich worker beside a
# run, hotich match and report.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small

# a folder of scans: one multi-page bundle among them, and a file that is
# not an image
mkdir -p "$T_TMP/scans/a" "$T_TMP/scans/b"
for f in xa-chu-trinh/quyen-03/000006.tif xa-chu-trinh/quyen-03/000007.tif \
	xa-chu-trinh/quyen-03/000013.tif xa-chu-trinh/quyen-03/000014.jpg; do
	cp "$small/scans/$f" "$T_TMP/scans/a/"
done
for f in xa-co-ba/quyen-05/000003.tif xa-co-ba/quyen-05/000004.tif \
	xa-lung-nam/quyen-01/000001.tif; do
	cp "$small/scans/$f" "$T_TMP/scans/b/"
done
printf 'not a scan' >"$T_TMP/scans/b/notes.tif"
pages=13 # 1 + 3 + 1 + 1 (jpg) + 1 + 5 + 1 pages

count() { # count DB SQL: one value
	psql -X -A -t -q -d "$1" -c "SET search_path TO hotich" -c "$2"
}

db=$(new_db batch)
t_run 0 "db init" hotich --db "$db" db init

# --- registry and inventory -------------------------------------------
# loaded normalized by one thread, then again by the default (the cores):
# the same values, so nothing changes
export HOTICH_IMPORT_THREADS=1
t_run 0 "registry import" hotich --db "$db" registry import "$small/registry.csv"
unset HOTICH_IMPORT_THREADS
t_grep "$T_OUT" 'registry.csv: 3014 rows read, encoding utf8: 3014 new, 0 updated, 0 unchanged, 0 rejected' "3014 citizens loaded"
t_run 0 "the same file again" hotich --db "$db" registry import "$small/registry.csv"
t_grep "$T_OUT" ': 0 new, 0 updated, 3014 unchanged' "changes nothing (normalized by several threads)"
# more rows than one batch of the parallel normalization (4096): three
# copies of the registry with a bad row after each; the last copy of an ID wins
{
	sed -n 1p "$small/registry.csv"
	for copy in 1 2 3; do
		sed 1d "$small/registry.csv"
		echo "99999,Bad Row $copy,1990-01-01,nam,,,"
	done
} >"$T_TMP/big-registry.csv"
t_run 1 "a registry of three batches and more, in a dry run" hotich --db "$db" registry import --dry-run --rejects "$T_TMP/rej-big.csv" "$T_TMP/big-registry.csv"
t_grep "$T_OUT" ': 9045 rows read, encoding utf8: 0 new, 0 updated, 3014 unchanged, 3 rejected' "every row read once, each ID once"
t_is "$(sed 1d "$T_TMP/rej-big.csv" | cut -d, -f1 | tr '\n' ' ')" "3016 6031 9046 " "the rejects in the order of the file"
t_run 0 "the same registry in TCVN3, twice" sh -c "\"\$HOTICH\" --db '$db' registry import '$small/registry-tcvn3.csv' && \"\$HOTICH\" --db '$db' registry import '$small/registry-tcvn3.csv'"
t_grep "$T_OUT" 'encoding tcvn3: 0 new, 0 updated, 3014 unchanged' "is detected, decoded, and the second time changes nothing"
{
	echo "id_number,full_name,dob,sex,birthplace,father_name,mother_name"
	echo "001190000001,Nguyễn Thị Mới,1990-02-03,nu,Hà Nội,,"
	echo "12345,Sai Số,1990-01-01,nam,,,"
	echo "001190000002,Lê Văn Ngày,1990-02-30,nam,,,"
	echo "001190000003,,1990-01-01,nam,,,"
	echo "001190000004,Phạm Thiếu Cột,1990-01-01"
} >"$T_TMP/bad-registry.csv"
t_run 1 "a registry with bad rows exits 1" hotich --db "$db" registry import --rejects "$T_TMP/rej.csv" "$T_TMP/bad-registry.csv"
t_grep "$T_OUT" ': 5 rows read, encoding utf8: 1 new, 0 updated, 0 unchanged, 4 rejected' "loads the good row, counts the bad"
t_grep "$T_TMP/rej.csv" '^3,"12345",id_number is not a valid 12-digit personal ID$' "a bad ID: line and reason"
t_grep "$T_TMP/rej.csv" '^4,"001190000002",impossible or unreadable dob$' "an impossible date"
t_grep "$T_TMP/rej.csv" '^5,"001190000003",no full_name$' "no name"
t_grep "$T_TMP/rej.csv" '^6,"001190000004",wrong number of columns$' "a short row"
t_run 0 "--dry-run loads nothing" hotich --db "$db" registry import --dry-run "$small/registry-vni.csv"
t_is "$(count "$db" 'SELECT count(*) FROM citizens')" "3015" "the citizens are 3014 + 1"
# places across time: the birth province as printed, and since July 2025
{
	echo "id_number,full_name,dob,sex,birthplace,father_name,mother_name"
	echo '034190000005,Vũ Thị Sáp,1990-02-03,nu,"Xã Thái Thuỵ, Huyện Thái Thuỵ, Tỉnh Thái Bình",,'
	echo '034095000006,Vũ Văn Nhập,1995-02-03,nam,"xã Thái Thuỵ, tỉnh Hưng Yên",,'
	echo '001170000007,Đỗ Thị Tây,1970-05-06,nu,"Xã Yên Bình, Huyện Thạch Thất, Tỉnh Hà Tây",,'
	echo '033080000008,Lê Văn Mã,1980-01-01,nam,,,'
} >"$T_TMP/places-registry.csv"
t_run 0 "a registry across the 2025 merger" hotich --db "$db" registry import "$T_TMP/places-registry.csv"
t_is "$(count "$db" "SELECT string_agg(id_number || ':' || birth_province || '>' || birth_province_now, ' ' ORDER BY id_number) FROM citizens WHERE id_number IN ('034190000005', '034095000006', '001170000007', '033080000008')")" \
	"001170000007:028>001 033080000008:033>033 034095000006:033>033 034190000005:034>033" \
	"keeps the province printed (Hà Tây 028, Hưng Yên since 2025, the ID's) and adds the one since July 2025"
t_is "$(count "$db" 'SELECT count(*) FROM citizens WHERE birth_province_now IS NULL')" "0" "every citizen has a province since July 2025"
t_run 0 "inventory import" hotich --db "$db" inventory import "$small/inventory.csv"
t_grep "$T_OUT" '12 rows read: 12 new' "12 inventory rows"

# --- the batch ----------------------------------------------------------
t_run 1 "run: a rejected file makes exit 1" hotich --db "$db" run -q --jobs 2 --batch b1 "$T_TMP/scans"
t_grep "$T_OUT" '^batch b1: 8 files seen: 7 loaded, 0 skipped \(already loaded\), 1 rejected$' "the summary counts the files"
t_grep "$T_OUT" 'rejected: .*/notes\.tif: .*not a TIFF, PNG or JPEG' "and names the rejected file with its reason"
t_grep "$T_ERR" 'notes\.tif: not a TIFF, PNG or JPEG' "on stderr too"
t_is "$(count "$db" "SELECT reject_reason LIKE '%not a TIFF%' FROM source_files WHERE path LIKE '%notes.tif'")" "t" "the database records why"
t_is "$(count "$db" 'SELECT count(*) FROM pages')" "$pages" "every page is stored"
records=$(count "$db" 'SELECT count(*) FROM records')
t_ok "records were read" test "$records" -ge 7
t_is "$(count "$db" 'SELECT count(DISTINCT record_ref) FROM records')" "$records" "each once"
t_is "$(count "$db" "SELECT count(*) FROM record_people p LEFT JOIN matches m USING (record_id, role) WHERE m.match_id IS NULL")" "0" "every person has a match row"
t_ok "some people are linked automatically" test "$(count "$db" "SELECT count(*) FROM matches WHERE status = 'auto'")" -gt 0
n_auto=$(count "$db" "SELECT count(*) FROM matches WHERE status = 'auto'")
want=$(count "$db" "SELECT sum(1 - score) FROM matches WHERE status = 'auto'")
t_grep "$T_OUT" "^linked automatically: about [0-9.]+ of the $n_auto wrong, by their own scores" \
	"the summary says how many automatic links their scores expect wrong"
said=$(sed -n 's/^linked automatically: about \([0-9.]*\) of.*/\1/p' "$T_OUT")
t_ok "the sum of one less their scores ($want)" \
	awk -v a="$said" -v b="$want" 'BEGIN { d = a - b; exit !(a != "" && d < 0.051 && d > -0.051) }'
t_is "$(count "$db" "SELECT count(*) FROM matches m JOIN match_models USING (model_version)")" \
	"$(count "$db" 'SELECT count(*) FROM matches')" "every match names its stored model"
t_run 1 "run --json again: nothing new (the bad file is still there: exit 1)" hotich --db "$db" run -q --json --batch b1 "$T_TMP/scans"
t_grep "$T_OUT" '"skipped_loaded": 7' "7 files skipped as loaded"
t_grep "$T_OUT" '"skipped_rejected": 1' "1 known as rejected"
t_is "$(count "$db" 'SELECT count(*) FROM records')" "$records" "no record twice"

# --- a reviewer's decision survives matching again --------------------
mid=$(count "$db" "SELECT match_id FROM matches WHERE status = 'auto' ORDER BY match_id LIMIT 1")
count "$db" "UPDATE matches SET status = 'rejected', citizen_id = NULL, decided_by = 'tester', decided_at = now() WHERE match_id = $mid" >/dev/null
t_run 0 "match --batch" hotich --db "$db" match --batch b1
t_grep "$T_OUT" '1 reviewer decisions kept' "keeps the reviewer's decision"
t_is "$(count "$db" "SELECT status FROM matches WHERE match_id = $mid")" "rejected" "which stands"
t_run 2 "match of a batch that does not exist" hotich --db "$db" match --batch nope

# --- report --------------------------------------------------------------
t_run 0 "report --by office --format csv" hotich --db "$db" report --by office --format csv
t_grep "$T_OUT" '^office,records,linked,linked_pct,pending_review,unmatched,rejected_files,expected,digitized_pct$' "the contract's columns"
t_grep "$T_OUT" '^"Xã Chu Trinh, Thành phố Cao Bằng, Tỉnh Cao Bằng",[0-9]+,[0-9]+,[0-9.]+,[0-9]+,[0-9]+,[0-9]+,1178,[0-9.]+$' "with the inventory's expected count"
t_run 0 "report --by batch --format json" hotich --db "$db" report --by batch --format json
t_grep "$T_OUT" "\"records\": $records" "counts the batch's records"
t_is "$(count "$db" 'SELECT count(*) FROM record_people WHERE birth_province IS NOT NULL AND birth_province_now IS NULL')" "0" \
	"a person's birth province has its province since July 2025 beside it"
# the paper registers of two provinces merged in 2025 (Thái Bình into Hưng Yên)
{
	echo "registry_office,doc_type,book_no,year,entries"
	echo '"Xã Thái Thuỵ, Huyện Thái Thuỵ, Tỉnh Thái Bình",khai_sinh,01,1991,50'
	echo '"Xã Tân Quang, Huyện Văn Lâm, Tỉnh Hưng Yên",khai_sinh,01,1991,100'
} >"$T_TMP/inventory-merged.csv"
t_run 0 "inventory of two provinces merged in 2025" hotich --db "$db" inventory import "$T_TMP/inventory-merged.csv"
t_run 0 "report --by province --format csv" hotich --db "$db" report --by province --format csv
t_grep "$T_OUT" '^province,records,linked,linked_pct,pending_review,unmatched,rejected_files,expected,digitized_pct$' "the contract's columns"
t_grep "$T_OUT" '^Hưng Yên,0,0,,0,0,0,150,0.0$' "Thái Bình's registers count in Hưng Yên's row"
t_grep "$T_OUT" '^Cao Bằng,[0-9]+,' "the fixtures' offices are Cao Bằng's"
t_is "$(sed 1d "$T_OUT" | awk -F, '{ s += $2 } END { print s }')" "$records" "every record in one province row"
t_run 0 "report --by province (table)" hotich --db "$db" report --by province
t_grep "$T_OUT" '^total ' "with a total"
t_run 2 "report --by an unknown grouping" hotich --db "$db" report --by district

if [ -z "${HOTICH_VALGRIND:-}" ]; then
	# --- two runs at once ------------------------------------------------
	db2=$(new_db twice)
	hotich --db "$db2" db init >/dev/null
	hotich --db "$db2" run -q --jobs 1 --batch x "$T_TMP/scans" >"$T_TMP/r1" 2>&1 &
	p1=$!
	hotich --db "$db2" run -q --jobs 1 --batch x "$T_TMP/scans" >"$T_TMP/r2" 2>&1 &
	p2=$!
	wait $p1
	wait $p2
	t_is "$(count "$db2" "SELECT count(*) || ' ' || count(DISTINCT record_ref) FROM records")" "$records $records" "two runs at once load each record once"

	# --- kill -9 at several moments, then the same command --------------
	db3=$(new_db kill)
	hotich --db "$db3" db init >/dev/null
	hotich --db "$db3" registry import "$small/registry.csv" >/dev/null
	for delay in 2 4 1; do
		setsid "$HOTICH" --db "$db3" run -q --jobs 2 --lease 5 --batch k "$T_TMP/scans" >/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -9 -"$pid" 2>/dev/null
		wait $pid 2>/dev/null
	done
	t_run 1 "after three kills the same command finishes" hotich --db "$db3" run -q --lease 5 --jobs 2 --batch k "$T_TMP/scans"
	t_is "$(count "$db3" 'SELECT count(*) FROM pages')" "$pages" "every page once"
	t_is "$(count "$db3" 'SELECT count(*) FROM records')" "$records" "every record"
	t_is "$(count "$db3" 'SELECT count(DISTINCT record_ref) FROM records')" "$records" "and none twice"
	t_is "$(count "$db3" "SELECT count(*) FROM page_jobs WHERE status <> 'done'")" "0" "no page left behind"
	t_is "$(count "$db3" "SELECT count(*) FROM record_people p LEFT JOIN matches m USING (record_id, role) WHERE m.match_id IS NULL")" "0" "every person matched"

	# --- a worker beside the run, one of them killed mid-page ----------
	db4=$(new_db worker)
	hotich --db "$db4" db init >/dev/null
	setsid "$HOTICH" --db "$db4" worker --lease 5 --wait 20 >/dev/null 2>&1 &
	w1=$!
	"$HOTICH" --db "$db4" worker --lease 5 --wait 20 >/dev/null 2>&1 &
	w2=$!
	sleep 1
	hotich --db "$db4" run -q --jobs 1 --lease 5 --batch w "$T_TMP/scans" >"$T_TMP/rw" 2>&1 &
	pr=$!
	sleep 3
	kill -9 -"$w1" 2>/dev/null
	wait $pr
	t_is "$?" "1" "the run finishes beside the workers (exit 1: the bad file)"
	kill "$w2" 2>/dev/null
	wait $w2 2>/dev/null
	t_is "$(count "$db4" "SELECT count(*) || ' ' || count(DISTINCT record_ref) FROM records")" "$records $records" "with one worker killed, every record once"
	t_is "$(count "$db4" "SELECT count(*) FROM page_jobs WHERE status <> 'done'")" "0" "and every page read"
fi

# --- a photographed page: its resolution measured, or given by --dpi ----------
photo=$(find "$HOTICH_SRC/fixtures/photos/scans" -type f -name '*.jpg' | sort | sed -n 1p)
mkdir -p "$T_TMP/photo"
cp "$photo" "$T_TMP/photo/"
for mode in measured given; do
	pdb=$(new_db "photo_$mode")
	hotich --db "$pdb" db init >/dev/null
	if [ "$mode" = given ]; then
		t_run 0 "run --dpi 150 reads a photo" hotich --db "$pdb" run -q --jobs 1 --batch p --dpi 150 "$T_TMP/photo"
	else
		t_run 0 "run reads a photo" hotich --db "$pdb" run -q --jobs 1 --batch p "$T_TMP/photo"
	fi
	got=$(count "$pdb" "SELECT count(*) FILTER (WHERE warnings::text LIKE '%from the size of the text%') || ' ' || count(*) FROM pages")
	if [ "$mode" = given ]; then
		t_is "$got" "0 1" "with --dpi the page's resolution is not measured (every worker of the batch takes it)"
	else
		t_is "$got" "1 1" "without, it is measured from the text"
	fi
done
# --- a relative input: the queue names each file by its absolute path, so a
# worker started in another folder (or on another host) finds it ---------------
rdb=$(new_db relative)
hotich --db "$rdb" db init >/dev/null
(cd "$T_TMP" && hotich --db "$rdb" run -q --jobs 0 --batch rel ./photo >"$T_TMP/rel.out" 2>&1) &
relrun=$!
k=0
while [ "$(count "$rdb" "SELECT count(*) FROM page_jobs" 2>/dev/null)" != 1 ] && [ $k -lt 600 ]; do
	sleep 0.1
	k=$((k + 1))
done
(cd / && hotich --db "$rdb" worker --wait 2 >"$T_TMP/relw.out" 2>&1)
wait "$relrun"
t_is "$?" 0 "run --jobs 0 of a relative folder finishes once a worker elsewhere has read it" || t_diag "$T_TMP/rel.out" "$T_TMP/relw.out"
t_is "$(count "$rdb" "SELECT string_agg(path, ' ') FROM source_files")" "$T_TMP/photo/$(basename "$photo")" \
	"the file is queued under its absolute path"
t_is "$(count "$rdb" "SELECT count(*) FROM pages")" 1 "and its page is read"
t_run 2 "run --dpi out of range" hotich --db "$db" run --dpi 5 "$T_TMP/photo"
t_grep "$T_ERR" 'dpi' "is a usage error naming the option"

# --- the database goes away --------------------------------------------
t_run 3 "an unreachable database is exit 3" hotich --db "host=$T_TMP/nowhere dbname=x" run -q "$T_TMP/scans"
t_grep "$T_ERR" 'could not connect|connection' "with libpq's reason"
t_run 2 "run without input" hotich --db "$db" run
t_done
