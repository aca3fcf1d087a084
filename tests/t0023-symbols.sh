#!/bin/sh
# The names libhotich.a exports (nm): every exported symbol starts with its
# folder's prefix (common/ has none; normalize/ vn_, ocr/ ocr_, match/
# match_, loaders/ db_, export/ export_, web/ web_) or with its file's name
# (loaders/batch.c: batch_*, common/strbuf.c: strbuf_*), so that a name
# says where it lives; common/alloc.c keeps git's x-names (xmalloc).  The
# tables generated into build/obj/gen carry their stage's prefix.  The
# names the compiler makes (__odr_asan.* under ASan) aside, and ocr/tess.c's
# pixWriteMem, pixReadMem and GOMP_*, which are Leptonica's and libgomp's
# own names on purpose (see tess.c), as ocr/tessnet.c's tesseract::
# functions, named as the C++ library names them (see tessnet.c).
. "$(dirname "$0")/lib/tap.sh"
: "${HOTICH_BUILD:?}" "${HOTICH_SRC:?}"
lib=$HOTICH_BUILD/libhotich.a

t_ok "libhotich.a is built" test -s "$lib"

# "folder/object prefix prefix" for every object of the library, and
# "folder/object symbol" for every defined, exported symbol of each
: >"$T_TMP/prefixes"
: >"$T_TMP/syms"
for dir in common: normalize:vn_ ocr:ocr_ match:match_ loaders:db_ export:export_ web:web_; do
	d=${dir%%:*}
	p=${dir#*:}
	for f in "$HOTICH_SRC/$d"/*.c; do
		b=$(basename "$f" .c)
		echo "$d/$b ${p:-${b}_} ${b}_" >>"$T_TMP/prefixes"
	done
done
sed -i 's|^common/alloc .*|common/alloc x x|' "$T_TMP/prefixes"
for g in provinces:vn_ admin_units:vn_ places_2025:vn_ names:vn_ forms:forms_ \
	migrations:db_ assets:web_ catalogs:web_ web_data:web_ export_templates:export_; do
	echo "gen/${g%%:*} ${g#*:} ${g#*:}" >>"$T_TMP/prefixes"
done
while read -r obj p1 p2; do
	o=$HOTICH_BUILD/obj/$obj.o
	[ -f "$o" ] || continue
	nm -g --defined-only "$o" 2>/dev/null |
		awk -v o="$obj" 'NF == 3 && $2 ~ /^[TDBRVW]$/ { print o, $3 }' >>"$T_TMP/syms"
done <"$T_TMP/prefixes"
t_ok "nm lists the library's symbols" test "$(grep -c . "$T_TMP/syms")" -gt 400
# every object of the archive is one of those checked
t_is "$(ar t "$lib" | grep -c .)" "$(cut -d' ' -f1 "$T_TMP/prefixes" | while read -r o; do
	test -f "$HOTICH_BUILD/obj/$o.o" && echo "$o"; done | sort -u | grep -c .)" \
	"every object of libhotich.a is checked"

check() { # prefixes-file symbols-file -> the symbols without their prefix
	awk 'NR == FNR { a[$1] = $2; b[$1] = $3; next }
	     ($1 in a) && index($2, a[$1]) != 1 && index($2, b[$1]) != 1 &&
	     !($1 == "ocr/tess" && $2 ~ /^(pixWriteMem|pixReadMem|GOMP_.*)$/) &&
	     !($1 == "ocr/tessnet" && $2 ~ /^_ZN?K?9tesseract/) &&
	     $2 !~ /^__/ { print $1, $2 }' "$1" "$2"
}
check "$T_TMP/prefixes" "$T_TMP/syms" >"$T_TMP/bad"
t_is "$(grep -c . "$T_TMP/bad")" 0 \
	"every exported name carries its folder's or its file's prefix"
t_diag "$T_TMP/bad"
for d in common normalize ocr match loaders export web; do
	t_ok "the check reads $d/'s symbols" grep -q "^$d/" "$T_TMP/syms"
done
# the check can fail: a name of loaders/conn.c without db_ or conn_ is caught
echo "loaders/conn db_ conn_" >"$T_TMP/conn"
echo "loaders/conn copy_begin" >"$T_TMP/fake"
t_is "$(check "$T_TMP/conn" "$T_TMP/fake" | grep -c ' copy_begin$')" 1 \
	"the check catches a name without its prefix (copy_begin in loaders/conn.c)"

t_done
