#!/usr/bin/python3
"""find_flow.py BASE_URL ARTIFACTS_DIR CONNINFO NAME_A RECORD_A NAME_B RECORD_B:
the look-up of `hotich serve` in headless Chromium (Selenium) at 1366x768
in Vietnamese, typed as a clerk types.

A manager types record A's name into the search box composed (NFC, as
most keyboards send it), decomposed (NFD: each mark its own keystroke, as
some Vietnamese input methods send it) and without marks in lower case;
each finds record A (exactly, exactly, without diacritics).  She opens it:
the page image loads, zooms and turns; then the print view, with its
source and "printed from the digitized register".  A reviewer tied to
record A's office searches record B's name (another office) and finds
nothing of it.  Every page is checked for layout and for English left over
(review_flow.py's checks) and saved as a screenshot.

Prints TAP-like lines; exits 0 when every step passed, 1 otherwise."""
import os
import sys
import traceback
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from review_flow import Failed, Run  # noqa: E402  (the same checks and helpers)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


def fold(s):
    s = unicodedata.normalize("NFD", s).replace("\u0111", "d").replace("\u0110", "D")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


class Find(Run):
    def search(self, text, desc):
        d = self.d
        box = self.wait(lambda d: d.find_elements(By.ID, "f-q"), "the search box is there")[0]
        box.clear()
        box.send_keys(text)
        typed = d.execute_script("return document.getElementById('f-q').value")
        self.ok(typed == text, "%s: the box holds what was typed (%d code points)"
                % (desc, len(text)), "got %r" % typed)
        box.send_keys(Keys.ENTER)
        self.wait(lambda d: d.find_elements(By.ID, "find-count") or
                  d.find_elements(By.ID, "find-error"), "%s: the results came" % desc)

    def found(self, record):
        rows = self.d.find_elements(By.CSS_SELECTOR, 'tr[data-record="%s"]' % record)
        return rows[0] if rows else None

    def manager(self, name_a, rec_a):
        d = self.d
        self.login("max", "tre-xanh-znk-2025")
        d.get(self.base + "/find")
        self.vietnamese("the search page")
        self.layout("the search page")
        self.shot("find.png")

        nfc = unicodedata.normalize("NFC", name_a)
        nfd = unicodedata.normalize("NFD", name_a)
        self.ok(nfc != nfd, "the name has marks (NFC and NFD differ)")
        for text, how, label in ((nfc, "composed (NFC)", "Trùng khớp"),
                                 (nfd, "decomposed (NFD)", "Trùng khớp"),
                                 (fold(name_a), "without marks", "Không dấu")):
            self.search(text, how)
            row = self.found(rec_a)
            self.ok(row is not None, "%s: record %s is found" % (how, rec_a),
                    self.body_text())
            if row is not None:
                m = row.find_element(By.CSS_SELECTOR, "span.match").text
                self.ok(m == label, "%s: found as %s" % (how, label), "got %r" % m)
                first = d.find_elements(By.CSS_SELECTOR, "#results tbody tr")[0]
                self.ok(first.get_attribute("data-record") == rec_a or label != "Trùng khớp"
                        or m == first.find_element(By.CSS_SELECTOR, "span.match").text,
                        "%s: an exact result comes first" % how)
        thumbs = d.execute_script(
            "return Array.prototype.map.call(document.querySelectorAll('td.thumb img'),"
            " function (i) { return i.complete && i.naturalWidth > 0; })")
        self.vietnamese("the results")
        self.layout("the results")
        self.shot("find-results.png")
        self.wait(lambda d: all(d.execute_script(
            "return Array.prototype.map.call(document.querySelectorAll('td.thumb img'),"
            " function (i) { return i.complete && i.naturalWidth > 0; })")),
            "every thumbnail loads (%d)" % len(thumbs))

        self.found(rec_a).find_element(By.CSS_SELECTOR, "a.name").click()
        self.wait(lambda d: "/find/record/%s" % rec_a in d.current_url, "the record opens")
        self.wait(lambda d: d.execute_script(
            "var i = document.getElementById('page'); return i && i.complete && i.naturalWidth > 0;"),
            "the page image loads")
        self.ok(name_a in self.body_text(), "the record page shows the name")
        d.find_element(By.ID, "zoom-in").click()
        d.find_element(By.ID, "rotate").click()
        img = d.find_element(By.ID, "page")
        self.ok(img.get_attribute("data-scale") == "1.5" and img.get_attribute("data-turn") == "90",
                "zoom in and rotate change the image",
                "scale %r turn %r" % (img.get_attribute("data-scale"), img.get_attribute("data-turn")))
        d.find_element(By.ID, "zoom-out").click()
        self.ok(img.get_attribute("data-scale") == "1", "zoom out goes back")
        self.vietnamese("the record page")
        self.layout("the record page")
        self.shot("find-record.png")

        d.find_element(By.ID, "print").click()
        self.wait(lambda d: "/find/print/%s" % rec_a in d.current_url, "the print view opens")
        text = self.body_text()
        self.ok("in từ sổ hộ tịch đã số hóa" in text and "printed from the digitized register" in text,
                "the print view says it is printed from the digitized register")
        src = d.find_element(By.ID, "source").text
        self.ok(".tif" in src and "quyển" in src, "the print view names the source", src)
        self.layout("the print view")
        self.shot("find-print.png")
        self.signout()

    def reviewer(self, name_b, rec_b):
        self.login("rita", "tre-xanh-evgn-2025")
        self.d.get(self.base + "/find")
        self.search(name_b, "another office's name")
        self.ok(self.found(rec_b) is None, "the reviewer of one office does not find it")
        self.signout()


def main():
    if len(sys.argv) != 8:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    base, art, conninfo, name_a, rec_a, name_b, rec_b = sys.argv[1:]
    r = Find(base, art, conninfo)
    try:
        r.start()
        r.manager(name_a, rec_a)
        r.reviewer(name_b, rec_b)
    except Failed:
        pass
    except Exception:  # report, do not hide
        r.ok(False, "the flow ran to its end", traceback.format_exc())
    finally:
        if r.d:
            try:
                r.d.save_screenshot(os.path.join(art, "find-failure.png")) if r.failed else None
                r.d.quit()
            except Exception:
                pass
    print("1..%d" % r.n)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
