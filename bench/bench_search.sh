#!/bin/sh
# bench_search.sh HOTICH BENCH_SEARCH POPULATION.csv [RECORDS] — the
# look-up (`hotich find`, the web's search page) on a generated database of
# RECORDS records (default 2,000,000), on a throwaway cluster:
#
#   the people are those of a registry made by hotich-fixtures (surnames by
#   their published shares, middle and given names from the name lists),
#   their names, and their parents' names, normalized and folded by
#   `hotich normalize name` (the folding the load stores); one birth
#   record each, 2 records a page, 50 pages a file, 40 offices, straight
#   into the tables by COPY and SQL (not through OCR); the migration's
#   indexes dropped before and built again after, as they are defined;
#   search   BENCH_SEARCH times search_records (the function `hotich find`
#            and the web call) on 200 people sampled at random: the name
#            as written, without diacritics in lower case, surname and
#            given name, a letter off, ID number, date of birth, name and
#            year; median and p95 ms of each, and of `hotich find` as a
#            process (start, connection, search, print).
# BENCH_SEARCH_HOLD=FILE: write the conninfo to FILE and wait before the
# searches (to look at the plans); kill the sleep to go on.
set -eu
HOTICH=${1:?usage: bench_search.sh HOTICH BENCH_SEARCH POPULATION.csv [RECORDS]}
BENCH=${2:?usage: bench_search.sh HOTICH BENCH_SEARCH POPULATION.csv [RECORDS]}
POP=${3:?usage: bench_search.sh HOTICH BENCH_SEARCH POPULATION.csv [RECORDS]}
RECORDS=${4:-2000000}
case $HOTICH in /*) ;; *) HOTICH=$PWD/$HOTICH ;; esac
case $BENCH in /*) ;; *) BENCH=$PWD/$BENCH ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$top/tests/lib/pgtmp.sh"
pgtmp_start
tmp=$(mktemp -d /tmp/hotich-bench-search.XXXXXX)
chmod 755 "$tmp"
trap 'pgtmp_stop; rm -rf "$tmp"' EXIT INT TERM
secs() { date +%s.%N; }
t0=$(secs)

PGOPTIONS="-c client_min_messages=warning" psql -X -q -h "$HOTICH_TEST_PGHOST" -U "$HOTICH_TEST_PGUSER" \
	-d postgres -c "CREATE DATABASE bench_search" >/dev/null
d="host=$HOTICH_TEST_PGHOST user=$HOTICH_TEST_PGUSER dbname=bench_search"
"$HOTICH" --db "$d" db init >/dev/null

# the people: RECORDS rows of the population, names normalized and folded
python3 - "$POP" "$RECORDS" "$tmp" <<'EOF'
import csv, sys
pop, n, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cols = {k: open(f"{tmp}/{k}.txt", "w") for k in ("name", "father", "mother")}
rest = open(f"{tmp}/rest.tsv", "w")
with open(pop, newline="") as f:
    r = csv.DictReader(f)
    i = 0
    for row in r:
        if i == n:
            break
        cols["name"].write(row["full_name"] + "\n")
        cols["father"].write((row["father_name"] or "-") + "\n")
        cols["mother"].write((row["mother_name"] or "-") + "\n")
        rest.write("\t".join([row["id_number"], row["dob"] or "\\N", row["sex"] or "\\N"]) + "\n")
        i += 1
if i < n:
    sys.exit(f"bench_search: {pop} has {i} people, fewer than {n}")
EOF
for k in name father mother; do
	"$HOTICH" normalize name <"$tmp/$k.txt" | cut -f1,2 >"$tmp/$k.nk" || true
done
paste "$tmp/name.nk" "$tmp/father.nk" "$tmp/mother.nk" "$tmp/rest.tsv" |
	awk -F'\t' 'BEGIN { OFS = "\t" } {
		for (i = 1; i <= 6; i++) if ($i == "" || $i == "-") $i = "\\N"
		print NR, $1, $2, $3, $4, $5, $6, $7, $8, $9 }' >"$tmp/people.tsv"
t1=$(secs)

psql -X -q -v ON_ERROR_STOP=1 "$d" >/dev/null <<SQL
SET search_path TO hotich;
CREATE TABLE bench_people (n bigint, full_name text, name_key text, father_name text,
	father_key text, mother_name text, mother_key text, id_number text, dob text, sex text);
\copy bench_people FROM '$tmp/people.tsv'
-- the migration's indexes of the tables filled here, kept to be built again
CREATE TABLE bench_indexes AS SELECT indexname, indexdef FROM pg_indexes
 WHERE schemaname = 'hotich' AND tablename IN ('records', 'record_people', 'pages')
   AND indexdef NOT LIKE '%UNIQUE%';
DO \$\$ DECLARE i record; BEGIN
  FOR i IN SELECT indexname FROM bench_indexes LOOP
    EXECUTE format('DROP INDEX hotich.%I', i.indexname);
  END LOOP; END \$\$;
INSERT INTO batches (name, status) VALUES ('bench', 'done');
INSERT INTO source_files (sha256, batch_id, path, size_bytes, format, n_pages, registry_office, status)
SELECT encode(sha256(convert_to('bench:' || g, 'UTF8')), 'hex'), b.batch_id,
       'so-tu-phap/xa-' || (g % 40) || '/quyen-' || lpad((g / 40 % 20 + 1)::text, 2, '0') || '/' || lpad(g::text, 6, '0') || '.tif',
       2000000, 'tiff', 50, 'Xã Số ' || (g % 40) || ', Huyện Bảo Lạc, Tỉnh Cao Bằng', 'loaded'
  FROM generate_series(0, ($RECORDS + 99) / 100 - 1) g, batches b;
INSERT INTO pages (file_id, page_no, doc_type, width_px, height_px, dpi, rotation, mean_conf)
SELECT f.file_id, p, 'khai_sinh', 4960, 3508, 300, 0, 0.9
  FROM source_files f, generate_series(1, 50) p;
INSERT INTO records (record_ref, page_id, rec_index, doc_type, registry_office, register_no,
                     book_no, registered_on, mean_conf, fields)
SELECT f.sha256 || ':' || pg.page_no || ':' || i, pg.page_id, i, 'khai_sinh', f.registry_office,
       ((pg.page_no - 1) * 2 + i + 1)::text, lpad((f.file_id / 40 % 20 + 1)::text, 2, '0'),
       bp.dob, 0.9,
       jsonb_build_object('full_name', jsonb_build_object('value', bp.full_name, 'conf', 0.9, 'review', false),
                          'dob', jsonb_build_object('value', bp.dob, 'conf', 0.9, 'review', false),
                          'father_name', jsonb_build_object('value', bp.father_name, 'conf', 0.9, 'review', false),
                          'mother_name', jsonb_build_object('value', bp.mother_name, 'conf', 0.9, 'review', false))
  FROM pages pg JOIN source_files f ON f.file_id = pg.file_id
  CROSS JOIN generate_series(0, 1) i
  JOIN bench_people bp ON bp.n = (f.file_id - 1) * 100 + (pg.page_no - 1) * 2 + i + 1;
INSERT INTO record_people (record_id, role, full_name, name_key, dob, sex, id_number, father_name,
                           mother_name, father_key, mother_key)
SELECT r.record_id, 'subject', bp.full_name, bp.name_key, bp.dob, bp.sex,
       CASE WHEN bp.n % 10 < 7 THEN bp.id_number END, bp.father_name, bp.mother_name,
       bp.father_key, bp.mother_key
  FROM records r JOIN pages pg ON pg.page_id = r.page_id
  JOIN bench_people bp ON bp.n = (pg.file_id - 1) * 100 + (pg.page_no - 1) * 2 + r.rec_index + 1;
SQL
t2=$(secs)
psql -X -q -v ON_ERROR_STOP=1 "$d" >/dev/null <<'SQL'
SET search_path TO hotich;
SET maintenance_work_mem = '512MB';
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT indexdef FROM bench_indexes LOOP EXECUTE i.indexdef; END LOOP; END $$;
VACUUM ANALYZE records;
VACUUM ANALYZE record_people;
VACUUM ANALYZE pages;
VACUUM ANALYZE source_files;
SQL
t3=$(secs)
n=$(psql -X -A -t -q "$d" -c "SELECT count(*) FROM hotich.record_people")
echo "bench_search: $(getconf _NPROCESSORS_ONLN) cores, PostgreSQL $(psql -X -A -t -q "$d" -c 'SHOW server_version'), $n records"
echo "$t0 $t1 $t2 $t3" | awk '{ printf "setup: names normalized %.0f s, rows %.0f s, indexes %.0f s\n", $2 - $1, $3 - $2, $4 - $3 }'

# 200 people at random: name, ID number (of those who have one), dob
psql -X -A -t -q -F '	' "$d" -c "SELECT full_name, coalesce(id_number, ''), coalesce(dob, '')
  FROM hotich.record_people TABLESAMPLE BERNOULLI (1) REPEATABLE (42) LIMIT 200" >"$tmp/sample.tsv"
if [ -n "${BENCH_SEARCH_HOLD:-}" ]; then echo "$d" >"$BENCH_SEARCH_HOLD"; cp "$tmp/sample.tsv" "$BENCH_SEARCH_HOLD.sample"; sleep 100000; fi
"$BENCH" --db "$d" --sample "$tmp/sample.tsv"

# the command as a clerk runs it: 20 names without diacritics
cut -f1 "$tmp/sample.tsv" | head -20 | "$HOTICH" normalize name | cut -f2 >"$tmp/folded.txt"
: >"$tmp/cmd.ms"
while read -r name; do
	s=$(secs)
	"$HOTICH" --db "$d" find --limit 20 "$name" >/dev/null 2>&1 || true
	e=$(secs)
	echo "$s $e" | awk '{ printf "%.1f\n", ($2 - $1) * 1000 }' >>"$tmp/cmd.ms"
done <"$tmp/folded.txt"
sort -n "$tmp/cmd.ms" | awk '{ a[NR] = $1 } END { printf "%-34s median %7.1f ms   p95 %7.1f ms   (%d runs)\n", "hotich find NAME (the process)", a[int((NR + 1) / 2)], a[int(NR * 0.95 + 0.999)], NR }'
