#!/bin/sh
# Hostile and broken inputs in a batch (tests/lib/hostile-corpus.py):
# zero-byte and truncated TIFFs, a header claiming 100,000 x 100,000
# pixels, a 5,000-page TIFF, a TIFF whose directory points to itself, a
# JPEG named .tif, a PDF named .png, garbage behind a PNG signature, a
# symbolic-link loop, a dangling link, a FIFO, a folder named .tif, names
# with spaces, a newline and bytes that are not UTF-8.  Each is rejected
# with a reason or read; memory stays bounded; the good scans beside them
# load; a second run loads nothing twice.
. "$(dirname "$0")/lib/tap.sh"
small=$HOTICH_SRC/fixtures/small
dir=$T_TMP/inbox
/usr/bin/python3 "$HOTICH_SRC/tests/lib/hostile-corpus.py" "$dir" \
	"$small/scans/xa-chu-trinh/quyen-03/000006.tif" \
	"$small/scans/xa-chu-trinh/quyen-03/000014.jpg" >"$T_TMP/expect"
t_ok "the hostile corpus was written" test -s "$T_TMP/expect"
cp "$small/scans/xa-co-ba/quyen-05/000004.tif" "$dir/good-5-pages.tif"
cp "$small/scans/xa-lung-nam/quyen-01/000001.tif" "$dir/good.tif"
if [ "$(id -u)" -ne 0 ]; then
	# (root reads any file: this case needs an ordinary user)
	cp "$small/scans/xa-lung-nam/quyen-01/000001.tif" "$dir/unreadable.tif"
	echo "x" >>"$dir/unreadable.tif"
	chmod 000 "$dir/unreadable.tif"
	printf 'unreadable.tif\trejected\n' >>"$T_TMP/expect"
fi

db=$(new_db hostile)
hotich --db "$db" db init >/dev/null
hotich --db "$db" registry import "$small/registry.csv" >/dev/null
t_run 1 "a batch with hostile inputs finishes, exit 1 (some rejected)" \
	hotich --db "$db" run -q --json --jobs 2 "$dir"
cp "$T_OUT" "$T_TMP/summary.json"
cp "$T_ERR" "$T_TMP/run.err"
# the JSON summary's rejects, as "file<TAB>reason" lines
/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
for r in s["files"]["rejects"]:
    print("%s\t%s" % (r["file"], r["reason"]))
print("peak\t%d" % s["peak_rss_mb"], file=sys.stderr)
print("records\t%d" % s["records"], file=sys.stderr)
' "$T_TMP/summary.json" >"$T_TMP/rejects" 2>"$T_TMP/figures"
n_rej=0
n_ok=0
while IFS="$(printf '\t')" read -r name what; do
	line=$(grep -F "$dir/$name	" "$T_TMP/rejects" | head -1)
	if [ "$what" = rejected ]; then
		reason=${line#*	}
		if [ -n "$line" ] && [ -n "$reason" ]; then
			t_result 0 "$name: rejected ($reason)"
			n_rej=$((n_rej + 1))
		else
			t_result 1 "$name: rejected with a reason"
			t_diag "$T_TMP/rejects"
		fi
	else
		t_is "$line" "" "$name: read like any scan"
		n_ok=$((n_ok + 1))
	fi
done <"$T_TMP/expect"
t_nogrep "$T_TMP/run.err" '^(Error in|TIFF|MissingRequired|libpng)' "no library noise on stderr: every message names its file"
peak=$(sed -n 's/^peak\t//p' "$T_TMP/figures")
t_ok "memory stayed bounded: $peak MB at the peak, under the 1 GiB cap" test "$peak" -lt 1024
t_is "$(t_psql "$db" "SELECT count(*) FROM hotich.source_files WHERE path LIKE '%good%' AND status = 'loaded'")" 2 "the good scans beside them loaded"
t_is "$(t_psql "$db" "SELECT count(*) FROM hotich.pages p JOIN hotich.source_files f USING (file_id) WHERE f.path LIKE '%good%'")" 6 "all their pages"
t_ok "records were read" test "$(sed -n 's/^records\t//p' "$T_TMP/figures")" -gt 0
t_is "$(t_psql "$db" "SELECT count(*) FROM hotich.source_files WHERE status = 'rejected' AND reject_reason = ''")" 0 "every rejected file has its reason in the database"
t_ok "a name that is not UTF-8 is kept readable" sh -c "t_psql() { psql -X -q -t -A -d \"\$1\" -c \"\$2\"; }; t_psql '$db' \"SELECT path FROM hotich.source_files WHERE reject_reason LIKE '%not valid UTF-8%'\" | grep -qF '\\xff\\xfe-latin1-\\xe9.tif'"
records=$(t_psql "$db" "SELECT count(*) FROM hotich.records")
t_run 1 "the same folder again" hotich --db "$db" run -q --json "$dir"
t_is "$(t_psql "$db" "SELECT count(*) FROM hotich.records")" "$records" "loads nothing twice"
t_grep "$T_OUT" '"skipped_rejected": [1-9]' "and knows the rejected files"
printf '%s\n' "hostile inputs: $((n_rej + n_ok)) tried, $n_rej rejected with a reason, $n_ok read; peak memory $peak MB" >"$T_TMP/line"
t_diag "$T_TMP/line"
if [ -n "${HOTICH_RELIABILITY_OUT:-}" ]; then
	printf 'hostile_tried=%s\nhostile_rejected=%s\nhostile_read=%s\nhostile_peak_mb=%s\n' \
		$((n_rej + n_ok)) "$n_rej" "$n_ok" "$peak" >>"$HOTICH_RELIABILITY_OUT"
fi
t_done
