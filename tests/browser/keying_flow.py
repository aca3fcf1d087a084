#!/usr/bin/python3
"""keying_flow.py BASE_URL ARTIFACTS_DIR CONNINFO: keying (nhập liệu) in
headless Chromium (Selenium) at 1366x768 with a Vietnamese browser.

A keyer opens the keying queue, starts with Enter, picks the document type
with the keyboard, and types a page's fields beside its scan: a name typed
as decomposed characters (NFD: "e" + U+0302 + U+0303), another as
precomposed ones (NFC), a third composed the way an input method (Telex,
VNI) composes it (the browser's IME composition events, through the
DevTools protocol), Tab between fields, a date as digits, Enter to save.
The name is checked as it is typed (the hint shows its normal form).  The
scan zooms.  What was stored is checked in the database: every name NFC.  A
manager reads the keying throughput on the dashboard.  Every page is
checked for layout and for English left over (review_flow.py's checks).

Prints TAP-like lines; exits 0 when every step passed, 1 otherwise."""
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import review_flow  # noqa: E402
from review_flow import By, EC, Failed, Keys, WebDriverException  # noqa: E402

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hoa")
NFC_NAME = unicodedata.normalize("NFC", "Trần Văn Bình")


class Keying(review_flow.Run):
    def active_id(self):
        return self.d.execute_script(
            "return document.activeElement ? document.activeElement.id : ''")

    def start_page(self):
        d = self.d
        d.get(self.base + "/keying")
        self.wait(EC.presence_of_element_located((By.ID, "start")), "the keying queue opens")
        return d

    def pick_type(self, doc_type):
        d = self.d
        self.wait(lambda d: "/keying/page/" in d.current_url and self.item(),
                  "Enter starts keying a page")
        self.ok(self.active_id() == "doctype", "the document type has the cursor")
        from selenium.webdriver.support.ui import Select
        Select(d.find_element(By.ID, "doctype")).select_by_value(doc_type)
        d.switch_to.active_element.send_keys(Keys.TAB)
        self.ok(self.active_id() == "pick", "Tab goes to the button that shows the fields")
        d.switch_to.active_element.send_keys(Keys.ENTER)
        self.wait(EC.presence_of_element_located((By.ID, "f_full_name")),
                  "Enter shows the fields of %s" % doc_type)

    def hint_of(self, field):
        return self.d.execute_script(
            "var i = document.getElementById(arguments[0]);"
            " var h = i && i.parentNode.querySelector('.hint'); return h ? h.textContent : '';",
            field)

    def keyer(self):
        d = self.d
        self.login("kiet", "tre-xanh-xvrg-2025")
        d = self.start_page()
        self.vietnamese("the keying queue")
        self.layout("the keying queue")
        self.shot("keying-queue.png")
        d.switch_to.active_element.send_keys(Keys.ENTER)
        self.pick_type("khai_sinh")
        self.vietnamese("the keying page")
        self.layout("the keying page")
        img = self.wait(lambda d: d.execute_script(
            "var i = document.getElementById('scanimg');"
            " return i && i.complete && i.naturalWidth > 1000 ? i : null;"),
            "the scan of the page is shown, whole")
        w1 = d.execute_script("return arguments[0].getBoundingClientRect().width", img)
        d.find_element(By.ID, "zoomin").click()
        w2 = d.execute_script("return arguments[0].getBoundingClientRect().width", img)
        self.ok(w2 > w1 * 1.4, "+ zooms the scan (%d -> %d px)" % (w1, w2))
        d.find_element(By.ID, "zoomout").click()

        # a name typed decomposed (NFD), one code point at a time
        name = d.find_element(By.ID, "f_full_name")
        name.click()
        name.send_keys(NFD_NAME)
        self.ok(unicodedata.is_normalized("NFD", name.get_attribute("value"))
                and name.get_attribute("value") != unicodedata.normalize("NFC", NFD_NAME),
                "the field holds the name as typed, decomposed")
        self.wait(lambda d: self.hint_of("f_full_name") == "✓ Nguyễn Thị Hoa",
                  "the name is checked as it is typed, and shown composed",
                  fatal=False, why=lambda: repr(self.hint_of("f_full_name")))
        name.send_keys(Keys.TAB)
        self.ok(d.execute_script("return document.activeElement.name || ''").startswith("f_"),
                "Tab goes to the next field (%s)" % self.active_id())
        dob = d.find_element(By.ID, "f_dob")
        dob.click()
        dob.send_keys("01021990")
        d.find_element(By.ID, "f_sex").send_keys("Nữ")
        # the mother's name composed by an input method: the composition
        # events of Telex ("Lee" -> "Lê") as the browser gets them from an IME
        mother = d.find_element(By.ID, "f_mother_name")
        mother.click()
        ime = True
        try:
            d.execute_cdp_cmd("Input.imeSetComposition",
                              {"text": "Le", "selectionStart": 2, "selectionEnd": 2})
            d.execute_cdp_cmd("Input.imeSetComposition",
                              {"text": "Lê", "selectionStart": 2, "selectionEnd": 2})
            d.execute_cdp_cmd("Input.insertText", {"text": "Lê"})
        except WebDriverException as e:
            ime = False
            self.diag("no IME composition through the DevTools protocol: %s" % e)
            mother.send_keys("Lê")
        self.ok(ime, "an input method's composition is sent (Input.imeSetComposition)")
        mother.send_keys(" Thị Mai")
        self.ok(mother.get_attribute("value") == "Lê Thị Mai",
                "the composed letters stay as composed (%r)" % mother.get_attribute("value"))
        self.wait(lambda d: self.hint_of("f_mother_name") == "✓ Lê Thị Mai",
                  "and are checked after the composition ends", fatal=False,
                  why=lambda: repr(self.hint_of("f_mother_name")))
        self.shot("keying-page.png")
        item = self.item()
        mother.send_keys(Keys.ENTER)
        self.wait(lambda d: self.item() != item and "/keying" in d.current_url,
                  "Enter saves and goes on")
        got = self.sql("SELECT p.full_name || '|' || p.dob || '|' || p.mother_name"
                       " FROM record_people p JOIN records r USING (record_id)"
                       " WHERE r.warnings ? 'keyed' AND p.full_name LIKE 'Nguy%'")
        self.ok(got == "Nguyễn Thị Hoa|1990-02-01|Lê Thị Mai",
                "the record keeps the names composed (NFC), the date as a date", repr(got))
        self.ok(unicodedata.is_normalized("NFC", got), "every character NFC")

        # the next page: the name typed precomposed (NFC)
        self.pick_type("khai_tu")
        name = d.find_element(By.ID, "f_full_name")
        name.click()
        name.send_keys(NFC_NAME)
        d.find_element(By.ID, "f_died_on").send_keys("03041999")
        name.send_keys(Keys.ENTER)
        self.wait(lambda d: "/keying" in d.current_url and "msg=" in d.current_url,
                  "the second page is saved")
        self.ok("Không có gì chờ nhập liệu" in self.body_text()
                or "Đã lưu" in self.body_text(), "the queue says so in Vietnamese",
                self.body_text())
        got = self.sql("SELECT r.fields -> 'full_name' ->> 'value' FROM records r"
                       " WHERE r.doc_type = 'khai_tu' AND r.warnings ? 'keyed'")
        self.ok(got == "Trần Văn Bình", "the precomposed name is kept as typed", repr(got))
        self.signout()

    def manager(self):
        d = self.d
        self.login("max", "tre-xanh-znk-2025")
        d.get(self.base + "/dashboard")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table#keying-user")),
                  "the dashboard has the keying per person")
        rows = d.execute_script(
            "return Array.prototype.map.call(document.querySelectorAll("
            "'table#keying-user tbody tr'), function (r) { return r.textContent; });")
        self.ok(any(r.startswith("kiet") for r in rows), "kiet is there", repr(rows))
        self.ok(len(d.find_elements(By.CSS_SELECTOR, "table#keying-office tbody tr")) == 2,
                "and the two offices")
        self.vietnamese("the dashboard")
        self.layout("the dashboard")
        d.execute_script("document.querySelector('table#keying-user').scrollIntoView()")
        self.shot("keying-dashboard.png")
        self.signout()

    def main(self):
        try:
            self.start()
        except WebDriverException as e:
            print("not ok 1 - Chromium did not start through %s: %s"
                  % (review_flow.CHROMEDRIVER, str(e).strip()))
            return 2
        try:
            self.keyer()
            self.manager()
        except Failed:
            self.diag("stopped at the failed step above; url %s" % self.d.current_url)
            try:
                self.d.save_screenshot(os.path.join(self.art, "keying-failure.png"))
            except WebDriverException:
                pass
        except WebDriverException:
            import traceback
            self.ok(False, "the browser failed", traceback.format_exc())
        finally:
            try:
                self.d.quit()
            except WebDriverException:
                pass
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: keying_flow.py BASE_URL ARTIFACTS_DIR CONNINFO\n")
        return 2
    os.makedirs(sys.argv[2], exist_ok=True)
    return Keying(sys.argv[1], sys.argv[2], sys.argv[3]).main()


if __name__ == "__main__":
    sys.exit(main())
