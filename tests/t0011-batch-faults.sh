#!/bin/sh
# The batch when PostgreSQL stops under it: exit 3 with a clear message,
# then the same command, once the database is back, finishes with every
# record once; and --move-rejected.  On a project-local cluster of its own
# (HOTICH_HOME in the test's folder), so that stopping it touches nothing
# else.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
export HOTICH_HOME="$T_TMP/home"
mkdir -p "$HOTICH_HOME" "$T_TMP/scans"
chmod 755 "$T_TMP" "$HOTICH_HOME" # the cluster belongs to "postgres" when root runs the tests
trap '"$HOTICH" db stop >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT

for f in xa-chu-trinh/quyen-03/000007.tif xa-co-ba/quyen-05/000004.tif \
	xa-lung-nam/quyen-01/000001.tif xa-lung-nam/quyen-01/000002.jpg \
	xa-chu-trinh/quyen-03/000019.tif xa-lung-nam/quyen-01/000005.tif \
	xa-co-ba/quyen-05/000025.tif; do
	cp "$small/scans/$f" "$T_TMP/scans/"
done
count() {
	psql -X -A -t -q -h "$HOTICH_HOME/var/pg" -U hotich -d hotich -c "SET search_path TO hotich" -c "$1"
}

t_run 0 "the local cluster" hotich db init
t_run 0 "registry" hotich registry import "$small/registry.csv"

if [ -z "${HOTICH_VALGRIND:-}" ]; then
	"$HOTICH" run -q --jobs 2 --lease 5 --batch f "$T_TMP/scans" >"$T_TMP/out1" 2>"$T_TMP/err1" &
	pid=$!
	# stop it once the first page is in: the other pages are still being read
	i=0
	while [ "$i" -lt 300 ] && [ "$(count 'SELECT count(*) FROM pages' 2>/dev/null || echo 0)" = "0" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	t_run 0 "the database stops in the middle of the batch" hotich db stop
	wait $pid
	t_is "$?" "3" "the batch stops with exit 3"
	t_grep "$T_TMP/err1" 'hotich: error: .*(database|server|connection)' "saying the database went away"
	t_run 0 "the same command once it is back (started on demand)" hotich run -q --jobs 2 --lease 5 --batch f "$T_TMP/scans"
	t_is "$(count 'SELECT count(*) FROM pages')" "21" "every page of the seven files (3 + 5 + 1 + 1 + 4 + 4 + 3)"
	t_is "$(count "SELECT count(*) = count(DISTINCT record_ref) FROM records")" "t" "no record twice"
	t_is "$(count "SELECT count(*) FROM page_jobs WHERE status <> 'done'")" "0" "no page left"
	t_is "$(count "SELECT count(*) FROM record_people p LEFT JOIN matches m USING (record_id, role) WHERE m.match_id IS NULL")" "0" "and every person matched"
fi

mkdir -p "$T_TMP/more"
printf 'GIF89a' >"$T_TMP/more/scan 01.png"
cp "$small/scans/xa-co-ba/quyen-05/000003.tif" "$T_TMP/more/"
t_run 1 "--move-rejected moves what cannot be read" hotich run -q --jobs 1 --batch m --move-rejected "$T_TMP/rejected" "$T_TMP/more"
t_ok "the file is moved" test -f "$T_TMP/rejected/scan 01.png"
t_ok "and no longer in the input" test ! -e "$T_TMP/more/scan 01.png"
t_is "$(count "SELECT path LIKE '%/rejected/scan 01.png' FROM source_files WHERE status = 'rejected' AND reject_reason LIKE '%not a TIFF, PNG or JPEG%'")" "t" "the database knows where it went and why"

if [ -z "${HOTICH_VALGRIND:-}" ]; then
	# a scan overwritten while its pages are read (a worker keeps a scan
	# open from page to page): what is left of it is refused, not read from
	# the new bytes under the old file's name
	mkdir -p "$T_TMP/book"
	# (five pages, bytes not loaded yet)
	{ cat "$small/scans/xa-co-ba/quyen-05/000004.tif"; printf 'book'; } >"$T_TMP/book/book.tif"
	"$HOTICH" run -q --jobs 1 --batch book "$T_TMP/book" >/dev/null 2>"$T_TMP/book.err" &
	pid=$!
	i=0
	while [ "$i" -lt 300 ] && [ "$(count "SELECT count(*) FROM pages pg JOIN source_files f USING (file_id) WHERE f.path LIKE '%/book.tif'" 2>/dev/null || echo 0)" = "0" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	worker=$(pgrep -P "$pid" | head -1)
	kill -STOP "$worker"
	cp "$small/scans/xa-chu-trinh/quyen-03/000019.tif" "$T_TMP/book/book.tif"
	kill -CONT "$worker"
	wait "$pid"
	t_is "$?" 1 "a scan overwritten while it is read: exit 1"
	t_ok "the pages left of it are refused" test "$(count "SELECT count(*) FROM page_jobs j JOIN source_files f USING (file_id) WHERE f.path LIKE '%/book.tif' AND j.status = 'failed' AND j.error = 'the file changed since it was queued'")" -ge 1
	t_grep "$T_TMP/book.err" 'book\.tif: page [2-5]: the file changed since it was queued' "each named on stderr"
	t_is "$(count "SELECT count(*) FROM page_jobs j JOIN source_files f USING (file_id) WHERE f.path LIKE '%/book.tif' AND j.status NOT IN ('done', 'failed')")" 0 "and the batch finishes"
fi
t_done
