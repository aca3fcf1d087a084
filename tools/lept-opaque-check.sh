#!/bin/sh
# lept-opaque-check.sh CC CFLAGS... — compile every source that uses
# Leptonica against a copy of this machine's Leptonica headers with the
# structs that Leptonica 1.83 made opaque (Pix, Box, Boxa, Pixa, Numa,
# Sarray, ... : every struct of pix.h and array.h) left undefined, as Debian
# 13's headers leave them.  A field read or written directly (pix->w,
# box->x, a BOX on the stack) fails here on Debian 12 already.
set -eu
cc=$1
shift
inc=$(pkg-config --cflags-only-I lept | tr ' ' '\n' | sed -n 's/^-I//p' | grep -m1 leptonica ||
	echo /usr/include/leptonica)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/leptonica"
cp "$inc"/*.h "$tmp/leptonica/"
python3 - "$tmp/leptonica" <<'PY'
import re, sys
d = sys.argv[1]
n = 0
for f in ('pix.h', 'array.h'):
    p = d + '/' + f
    s = open(p).read()
    out, i = [], 0
    pat = re.compile(r'^struct\s+(\w+)\s*\n?\{', re.M)
    while True:
        m = pat.search(s, i)
        if not m:
            out.append(s[i:])
            break
        out.append(s[i:m.start()])
        j, depth = m.end(), 1
        while depth:
            depth += {'{': 1, '}': -1}.get(s[j], 0)
            j += 1
        out.append('/* struct %s: opaque from Leptonica 1.83 */' % m.group(1))
        n += 1
        i = s.index(';', j) + 1
    open(p, 'w').write(''.join(out))
if n < 20:
    sys.exit('lept-opaque-check: only %d structs found in pix.h and array.h' % n)
PY
# the check can fail: a direct field access is refused
printf '#include <allheaders.h>\nint f(PIX *p);\nint f(PIX *p) { return p->w; }\n' >"$tmp/probe.c"
if "$cc" -fsyntax-only -I"$tmp/leptonica" "$tmp/probe.c" 2>/dev/null; then
	echo "lept-opaque-check: the opaque headers still define struct Pix" >&2
	exit 1
fi
flags=$(printf '%s\n' "$@" | grep -v "^-I$inc\$" | grep -v '^-MMD$' | grep -v '^-MP$' | tr '\n' ' ')
n=0
for f in $(grep -l 'allheaders.h\|ocr_internal.h\|render.h' \
	ocr/*.c fixtures/*.c bench/*.c tests/unit/*.c fuzz/*.c); do
	# shellcheck disable=SC2086
	"$cc" $flags -I"$tmp" -I"$tmp/leptonica" -Iocr -Ifixtures -fsyntax-only "$f"
	n=$((n + 1))
done
echo "lept-opaque-check: $n files build against Leptonica's opaque structs"
