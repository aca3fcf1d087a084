#!/usr/bin/env python3
"""export_check.py OUT: read back every book folder of a hotich export
with readers that are not the writers: each workbook with zipfile and its
sheet XML (compared cell by cell with the CSVs), each PDF's text layer with
pdftotext (it must contain the name of its record), each file's SHA-256
against the manifest.  Prints one line per problem and "ok N books" last.
"""
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
problems = []


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_rows(z, shared, path):
    root = ET.fromstring(z.read(path))
    rows = []
    for row in root.iter("{%s}row" % NS["m"]):
        r = int(row.get("r")) - 1
        while len(rows) <= r:
            rows.append([])
        cells = rows[r]
        for c in row.findall("m:c", NS):
            i = col_index(c.get("r"))
            while len(cells) <= i:
                cells.append("")
            t = c.get("t")
            if t == "s":
                cells[i] = shared[int(c.find("m:v", NS).text)]
            elif t == "inlineStr":
                cells[i] = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
            else:
                v = c.find("m:v", NS)
                cells[i] = v.text if v is not None else ""
    return rows


def read_xlsx(path):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad:
            problems.append("%s: damaged member %s" % (path, bad))
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.findall("m:si", NS):
                shared.append("".join(x.text or "" for x in si.iter("{%s}t" % NS["m"])))
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name") for s in wb.find("m:sheets", NS)]
        return names, [sheet_rows(z, shared, "xl/worksheets/sheet%d.xml" % (i + 1))
                       for i in range(len(names))]


def pad(rows, n):
    return [r + [""] * (n - len(r)) for r in rows]


def main(out):
    books = 0
    for office in sorted(os.listdir(out)):
        od = os.path.join(out, office)
        if not os.path.isdir(od):
            continue
        for book in sorted(os.listdir(od)):
            bd = os.path.join(od, book)
            books += 1
            man = json.load(open(os.path.join(bd, "manifest.json"), encoding="utf-8"))
            for f in man["files"]:
                h = hashlib.sha256(open(os.path.join(bd, f["name"]), "rb").read()).hexdigest()
                if h != f["sha256"]:
                    problems.append("%s/%s: sha256 differs from the manifest" % (book, f["name"]))
            xlsx = [f["name"] for f in man["files"] if f["name"].endswith(".xlsx")][0]
            prefix = xlsx[:-5]
            names, sheets = read_xlsx(os.path.join(bd, xlsx))
            if names != ["Dữ liệu", "Kiểm tra"]:
                problems.append("%s: sheets %r" % (book, names))
            data = list(csv.reader(open(os.path.join(bd, prefix + ".csv"), encoding="utf-8", newline="")))
            held = list(csv.reader(open(os.path.join(bd, "kiem-tra.csv"), encoding="utf-8", newline="")))
            if pad(sheets[0], len(data[0])) != data:
                problems.append("%s: sheet 1 differs from %s.csv: %r / %r" % (book, prefix, sheets[0], data))
            if pad(sheets[1], len(held[0])) != held:
                problems.append("%s: sheet 2 differs from kiem-tra.csv" % book)
            header = data[0]
            name_col = next(i for i, h in enumerate(header) if h.endswith("HoTen"))
            so_col = header.index("so")
            pdfs = sorted(f["name"] for f in man["files"] if f["name"].endswith(".pdf"))
            if len(pdfs) != len(data) - 1:
                problems.append("%s: %d PDFs for %d rows" % (book, len(pdfs), len(data) - 1))
            for row in data[1:]:
                mine = [p for p in pdfs if re.search(r"-so-%s(-|\.pdf)" % re.escape(row[so_col]), p)]
                if not mine:
                    problems.append("%s: no PDF for number %s" % (book, row[so_col]))
                    continue
                text = subprocess.run(["pdftotext", os.path.join(bd, mine[0]), "-"],
                                      capture_output=True, text=True, check=True).stdout
                if row[name_col] not in text:
                    problems.append("%s/%s: the text layer lacks %r" % (book, mine[0], row[name_col]))
    for p in problems:
        print(p)
    print("ok %d books" % books if not problems else "%d problems" % len(problems))
    return 1 if problems else 0


sys.exit(main(sys.argv[1]))
