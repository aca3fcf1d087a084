#!/usr/bin/python3
"""hostile-corpus.py DIR SCAN.tif SCAN.jpg — write the hostile and broken
inputs of the reliability suite into DIR: what a folder of scans from the
field may hold besides scans.  Prints one line per input: NAME<TAB>EXPECT,
where EXPECT is "rejected" (must be refused with a reason) or "loaded"
(must be read like any scan)."""
import os
import struct
import sys

out, tif, jpg = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
expect = []


def write(name, data, what):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    expect.append((name, what))


def ifd(entries, next_off):
    """A little-endian TIFF directory: entries (tag, type, count, value)."""
    b = struct.pack("<H", len(entries))
    for tag, typ, count, value in sorted(entries):
        b += struct.pack("<HHII", tag, typ, count, value)
    return b + struct.pack("<I", next_off)


def tiff_pages(n, w=8, h=8):
    """n bilevel uncompressed pages of w x h, each with its own strip."""
    row = (w + 7) // 8
    strip = row * h
    hdr = b"II*\x00" + struct.pack("<I", 8)
    body = b""
    off = 8
    entry_size = 2 + 9 * 12 + 4
    for i in range(n):
        data_off = off + entry_size
        nxt = data_off + strip if i < n - 1 else 0
        e = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 1), (259, 3, 1, 1),
             (262, 3, 1, 0), (273, 4, 1, data_off), (277, 3, 1, 1),
             (278, 4, 1, h), (279, 4, 1, strip)]
        body += ifd(e, nxt) + b"\x00" * strip
        off = nxt
    return hdr + body


scan = open(tif, "rb").read()
write("zero-bytes.tif", b"", "rejected")
write("truncated.tif", scan[:3000], "rejected")
# a header that claims 100,000 x 100,000 pixels (G4), with one byte of data
e = [(256, 4, 1, 100000), (257, 4, 1, 100000), (258, 3, 1, 1), (259, 3, 1, 4),
     (262, 3, 1, 0), (273, 4, 1, 8 + 2 + 9 * 12 + 4), (277, 3, 1, 1),
     (278, 4, 1, 100000), (279, 4, 1, 1)]
write("claims-100000x100000.tif", b"II*\x00" + struct.pack("<I", 8) + ifd(e, 0) + b"\x00",
      "rejected")
write("5000-pages.tif", tiff_pages(5000), "rejected")
write("no-page.tif", b"II*\x00" + struct.pack("<I", 0), "rejected")
write("ifd-loop.tif", b"II*\x00" + struct.pack("<I", 8) +
      ifd([(256, 4, 1, 8), (257, 4, 1, 8)], 8), "rejected")
write("jpeg-named.tif", open(jpg, "rb").read(), "loaded")
write("pdf-named.png", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "rejected")
write("garbage.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "rejected")
write("text.jpg", b"this is not a picture\n" * 20, "rejected")
write("name with spaces.tif", scan, "loaded")
write("new\nline.tif", scan[:], "loaded")  # same bytes: loaded once, the other skipped
write(b"\xff\xfe-latin1-\xe9.tif".decode("utf-8", "surrogateescape"), scan + b"\x00",
      "rejected")
os.makedirs(os.path.join(out, "loop"), exist_ok=True)
os.symlink("..", os.path.join(out, "loop", "up"))
expect.append(("loop/up", "rejected"))
os.symlink("/nonexistent/scan.tif", os.path.join(out, "dangling.tif"))
expect.append(("dangling.tif", "rejected"))
os.mkfifo(os.path.join(out, "fifo.tif"))
expect.append(("fifo.tif", "rejected"))
os.makedirs(os.path.join(out, "folder.tif"), exist_ok=True)
for name, what in expect:
    print("%s\t%s" % (name.replace("\n", "\\n").encode("utf-8", "surrogateescape")
                      .decode("utf-8", "backslashreplace"), what))
