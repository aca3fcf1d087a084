#!/usr/bin/python3
"""review_flow.py BASE_URL ARTIFACTS_DIR CONNINFO: drive `hotich serve` in
headless Chromium (Selenium) at 1366x768 with a Vietnamese browser, as its
users work.

A reviewer signs in (the queue claims nothing until she starts), decides
items with every key (1 confirm, S skip, P another citizen with Escape and
the check of a contradiction, N no match, E edit with Enter, A keep as
read), sees a name that is no name refused, switches the language and back,
signs out.  An admin opens an item by its address (claimed only with T),
reopens a "no match" and reads the audit log.  A manager reads the
dashboard.  Every page is checked for layout at 1366x768 (nothing wider than
the window, no table in a horizontal scroll, no text cut in its box, the
chart's bars under its axis) and for English left in the Vietnamese
interface; each is saved as a screenshot.  What the keys decided is checked
in the database (psql, CONNINFO).

Prints TAP-like lines ("ok N -", "not ok N -", "# ..."); exits 0 when every
step passed, 1 otherwise, 2 on a usage or setup error."""
import os
import subprocess
import sys
import traceback

try:
    from selenium import webdriver
    from selenium.common.exceptions import (StaleElementReferenceException, TimeoutException,
                                            WebDriverException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:
    print("not ok 1 - the selenium module is missing (%s): install python3-selenium" % e)
    sys.exit(2)

TIMEOUT = 15
CHROMEDRIVER = os.environ.get("HOTICH_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("HOTICH_CHROMIUM", "/usr/bin/chromium")
W, H = 1366, 768

# What a page at 1366x768 must not do: be wider than the window, hide a
# table's columns in a horizontal scroll, cut a text in its box (a button,
# a card, a heading, an input's placeholder).  Returns the problems.
LAYOUT_JS = r"""
var bad = [], vw = window.innerWidth;
function name(el) {
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
    ' "' + (el.textContent || el.placeholder || '').trim().slice(0, 40) + '"';
}
if (document.documentElement.scrollWidth > vw + 1)
  bad.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
document.querySelectorAll('.scroll').forEach(function (el) {
  if (el.scrollWidth > el.clientWidth + 1)
    bad.push(name(el.firstElementChild || el) + ' scrolls: ' + el.scrollWidth + ' > ' + el.clientWidth);
});
document.querySelectorAll('header.top, main, .card, .stat, table, svg.trend, .actions').forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.width && (r.right > vw + 1 || r.left < -1))
    bad.push(name(el) + ' runs out of the window (' + Math.round(r.left) + '..' + Math.round(r.right) + ')');
});
document.querySelectorAll('button, h1, h2, .stat .value, .stat .label, .pill, nav a, th, kbd').forEach(function (el) {
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
    bad.push(name(el) + ' is cut');
  var r = el.getBoundingClientRect(), p = el.closest('.card, .stat, header, td, th') || document.body;
  var pr = p.getBoundingClientRect();
  if (r.width && p !== el && r.right > pr.right + 2)
    bad.push(name(el) + ' sticks out of ' + name(p).slice(0, 40));
});
var ctx = document.createElement('canvas').getContext('2d');
document.querySelectorAll('input[placeholder]').forEach(function (el) {
  var cs = getComputedStyle(el);
  ctx.font = cs.fontSize + ' ' + cs.fontFamily;
  var room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  if (ctx.measureText(el.placeholder).width > room + 1)
    bad.push(name(el) + ': the placeholder is cut');
});
return bad;
"""

# The bars of the batches chart must stay under its axis's top line.
CHART_JS = r"""
var svg = document.querySelector('svg#batches');
if (!svg) return 'no chart';
var tops = Array.prototype.map.call(svg.querySelectorAll('line.grid'), function (l) {
  return parseFloat(l.getAttribute('y1')); });
var top = Math.min.apply(null, tops), bad = [];
svg.querySelectorAll('rect.recs').forEach(function (r) {
  if (parseFloat(r.getAttribute('y')) < top - 0.5) bad.push(r.getAttribute('y') + ' above ' + top);
});
return bad.join(', ');
"""

# Words of the English interface that must not show in the Vietnamese one.
ENGLISH = ["Sign out", "Sign in", "Review queue", "Candidate", "Skip", "No match",
           "Accept as read", "Records", "Linked", "Dashboard", "Audit log", "Waiting",
           "Expected", "Digitized", "low confidence", "Document", "Office", "Batch",
           "Save", "Keys:", "Status", "Reopen", "Take this item"]


class Failed(Exception):
    pass


class Run:
    def __init__(self, base, art, conninfo):
        self.base = base.rstrip("/")
        self.art = art
        self.conninfo = conninfo
        self.n = 0
        self.failed = 0
        self.d = None

    def ok(self, cond, desc, why=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc))
            if why:
                for line in str(why).splitlines():
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def must(self, cond, desc, why=None):
        if not self.ok(cond, desc, why):
            raise Failed(desc)

    def diag(self, msg):
        for line in str(msg).splitlines():
            print("# " + line)
        sys.stdout.flush()

    def sql(self, query):
        """One value (or the rows, one a line) from the database."""
        r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-d", self.conninfo, "-c",
                            "SET search_path TO hotich", "-c", query],
                           capture_output=True, text=True)
        return "\n".join(l for l in r.stdout.splitlines() if l != "SET").strip()

    def wait(self, cond, desc, timeout=TIMEOUT, fatal=True, why=None):
        try:
            # a page replaced between finding an element and reading it is
            # read again on the next poll, not a failure
            got = WebDriverWait(self.d, timeout, ignored_exceptions=(
                StaleElementReferenceException,)).until(cond)
        except TimeoutException:
            msg = "timed out after %ds at %s (title %r)" % (
                timeout, self.d.current_url, self.d.title)
            msg += "\n" + (why() if why else self.body_text())
            (self.must if fatal else self.ok)(False, desc, msg)
            return None
        self.ok(True, desc)
        return got

    def body_text(self):
        try:
            return self.d.find_element(By.TAG_NAME, "body").text[:1500]
        except WebDriverException:
            return ""

    def layout(self, what):
        """The page at 1366x768: nothing too wide, nothing cut."""
        bad = self.d.execute_script(LAYOUT_JS)
        self.ok(not bad, "%s: nothing cut or out of the window at %dx%d" % (what, W, H),
                "\n".join(bad[:12]))

    def vietnamese(self, what):
        text = self.body_text()
        left = [w for w in ENGLISH if w in text]
        lang = self.d.execute_script("return document.documentElement.lang")
        self.ok(lang == "vi" and not left, "%s is in Vietnamese" % what,
                "lang=%s, English left: %s" % (lang, left))

    def shot(self, name, full=False):
        path = os.path.join(self.art, name)
        if full:
            h = self.d.execute_script("return Math.max(document.body.scrollHeight,"
                                      " document.documentElement.scrollHeight)")
            self.d.set_window_size(W, max(int(h), H))
        self.ok(self.d.save_screenshot(path), "screenshot %s" % name)
        if full:
            self.d.set_window_size(W, H)

    def start(self):
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--window-size=%d,%d" % (W, H),
                  "--disable-dev-shm-usage", "--lang=vi", "--hide-scrollbars"):
            o.add_argument(a)
        o.add_experimental_option("prefs", {"intl.accept_languages": "vi-VN,vi"})
        log = os.path.join(self.art, "chromedriver.log")
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER, log_path=log), options=o)
        self.d.set_window_size(W, H)
        self.d.set_page_load_timeout(TIMEOUT)
        size = self.d.execute_script("return [window.innerWidth, window.innerHeight]")
        self.diag("viewport %dx%d" % tuple(size))

    def key(self, k):
        self.d.find_element(By.TAG_NAME, "body").send_keys(k)

    def item(self):
        # read in the page itself: an element found and then read goes
        # stale when the page is replaced in between (a form just sent)
        return self.d.execute_script(
            "var m = document.querySelector('main.item');"
            " return m ? m.getAttribute('data-item') : null;")

    def moved_from(self, item, desc):
        return self.wait(lambda d: self.item() != item and (
            "/review/" in d.current_url), desc)

    def login(self, user, password, shot=None):
        d = self.d
        d.get(self.base + "/login")
        self.wait(EC.presence_of_element_located((By.ID, "user")),
                  "the sign-in page has the user field")
        if shot:
            self.vietnamese("the sign-in page")
            self.layout("the sign-in page")
            self.shot(shot)
        d.find_element(By.ID, "user").send_keys(user)
        p = d.find_element(By.ID, "password")
        p.send_keys(password)
        p.send_keys(Keys.ENTER)
        self.wait(lambda d: "/login" not in d.current_url,
                  "%s is signed in (left /login)" % user)

    def signout(self):
        d = self.d
        b = d.find_elements(By.ID, "signout")
        self.must(len(b) == 1 and b[0].text == "Đăng xuất", "the header has Đăng xuất")
        b[0].click()
        self.wait(lambda d: "/login" in d.current_url and d.find_elements(By.ID, "user"),
                  "Đăng xuất returns to the sign-in page")

    # ------------------------------------------------------------------
    def reviewer(self):
        d = self.d
        self.login("rita", "tre-xanh-evgn-2025", shot="login.png")
        self.wait(lambda d: d.current_url.endswith("/review"), "rita lands on the queue")
        self.ok(self.sql("SELECT count(*) FROM matches WHERE claimed_by IS NOT NULL")
                == "0", "signing in and opening the queue claimed nothing")
        self.vietnamese("the queue")
        self.layout("the queue")
        self.shot("queue.png")

        # Enter: the start button
        d.switch_to.active_element.send_keys(Keys.ENTER)
        self.wait(lambda d: "/review/match/" in d.current_url and self.item(),
                  "Enter starts work on a match")
        item = self.item()
        self.ok(d.find_element(By.CSS_SELECTOR, "main.item").get_attribute("data-held")
                == "yes", "rita holds it")
        crop = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "img.crop")),
                         "the page shows the scan crop")
        loaded = self.wait(lambda d: d.execute_script(
            "var i = arguments[0]; return i.complete && i.naturalWidth > 0"
            " ? [i.naturalWidth, i.naturalHeight] : false", crop),
            "the crop image loads", fatal=False)
        if loaded:
            self.diag("crop: %dx%d px" % tuple(loaded))
        self.vietnamese("a match")
        self.layout("a match")
        self.shot("review.png")

        # 1: confirm candidate 1
        self.diag("deciding with 1: %s" % item)
        self.key("1")
        self.moved_from(item, "the key 1 confirms %s and the next item follows" % item)
        mid = item.split("-")[1]
        self.ok(self.sql("SELECT status || ' ' || decided_by FROM matches WHERE match_id = %s"
                         % mid) == "confirmed rita", "match %s is confirmed by rita" % mid)
        self.ok(not d.find_elements(By.CSS_SELECTOR, ".flash.error"),
                "no error message after the decision", self.body_text())
        self.shot("after-decision.png")

        # S: skip
        item = self.item()
        self.key("s")
        self.moved_from(item, "the key S skips %s" % item)
        self.ok(self.sql("SELECT claimed_by FROM %s WHERE %s_id = %s" % (
            "matches" if item.startswith("match") else "records",
            item.split("-")[0], item.split("-")[1])) == "skipped:rita",
            "the skipped item goes to the others")

        # P, Escape, P again: another citizen, shown before it is linked
        item = self.item()
        mid = item.split("-")[1]
        self.key("p")
        self.ok(d.switch_to.active_element.get_attribute("id") == "pick",
                "the key P puts the cursor in the ID field")
        d.switch_to.active_element.send_keys("12")
        d.switch_to.active_element.send_keys(Keys.ESCAPE)
        self.ok(d.switch_to.active_element.tag_name == "body", "Escape leaves the field")
        person = self.sql("SELECT p.sex || '|' || p.dob FROM matches m JOIN record_people p"
                          " USING (record_id, role) WHERE m.match_id = %s" % mid)
        sex, dob = person.split("|")
        other = self.sql("SELECT id_number || '|' || full_name FROM citizens WHERE sex <> '%s'"
                         " AND length(dob) = 10 AND dob <> '%s' AND father_name IS NOT NULL"
                         " ORDER BY id_number LIMIT 1" % (sex, dob))
        oid, oname = other.split("|")
        self.key("p")
        f = d.switch_to.active_element
        f.send_keys(Keys.CONTROL, "a")
        f.send_keys(oid)
        f.send_keys(Keys.ENTER)
        self.wait(lambda d: "pick=" + oid in d.current_url
                  and d.find_elements(By.ID, "pick-panel"),
                  "Enter looks the citizen up")
        panel = d.find_element(By.ID, "pick-panel").text
        self.ok(oname in panel, "the panel shows the citizen's name (%s)" % oname, panel)
        self.ok("mâu thuẫn" in panel, "and the contradiction with the record", panel)
        self.ok(self.sql("SELECT status FROM matches WHERE match_id = %s" % mid) == "review",
                "nothing is linked yet")
        self.vietnamese("the citizen looked up")
        self.layout("the citizen looked up")
        self.shot("pick.png")
        d.switch_to.active_element.send_keys(Keys.ENTER)
        self.ok("pick=" + oid in d.current_url
                and self.sql("SELECT status FROM matches WHERE match_id = %s" % mid)
                == "review", "Enter without the tick links nothing")
        d.find_element(By.ID, "override").click()
        d.find_element(By.ID, "pick-link").send_keys(Keys.ENTER)
        self.moved_from(item, "with the tick, Enter links the citizen")
        self.ok(self.sql("SELECT status || ' ' || citizen_id FROM matches WHERE match_id = %s"
                         % mid) == "confirmed " + oid, "match %s is linked to %s" % (mid, oid))
        self.ok(self.sql("SELECT after ->> 'confirmed_despite' FROM review_decisions"
                         " WHERE action = 'pick'") == '["sex", "dob"]',
                "the audit keeps what was confirmed despite the record")

        # N: none of them
        item = self.item()
        self.must(item.startswith("match"), "a match again (%s)" % item)
        self.key("n")
        self.moved_from(item, "the key N says no match")
        mid = item.split("-")[1]
        self.ok(self.sql("SELECT status FROM matches WHERE match_id = %s" % mid)
                == "rejected", "match %s is decided: no match" % mid)
        self.nomatch = mid

        # a record: E, a name that is no name, a name, then A
        item = self.item()
        self.must(item.startswith("record"), "then a record with values to check (%s)" % item)
        rid = item.split("-")[1]
        self.vietnamese("a record to check")
        self.layout("a record to check")
        self.shot("record.png")
        self.key("e")
        f = d.switch_to.active_element
        self.ok(f.get_attribute("name") == "value", "the key E puts the cursor in the value")
        f.send_keys(Keys.CONTROL, "a")
        f.send_keys("Script Script Alert Script")
        f.send_keys(Keys.ENTER)
        self.wait(lambda d: d.find_elements(By.ID, "unusual"),
                  "Enter saves, and a name that is no name is refused")
        self.ok("không giống một họ tên" in self.body_text(), "with the reason")
        self.ok(self.sql("SELECT fields -> 'full_name' ->> 'value' FROM records"
                         " WHERE record_id = %s" % rid) != "Script Script Alert Script",
                "nothing is stored")
        self.layout("a refused name")
        self.shot("record-refused.png")
        self.key("e")
        f = d.switch_to.active_element
        f.send_keys(Keys.CONTROL, "a")
        f.send_keys("nguyễn văn an")
        f.send_keys(Keys.ENTER)
        self.wait(lambda d: "msg=saved" in d.current_url, "a name is saved")
        self.ok(self.sql("SELECT fields -> 'full_name' ->> 'value' FROM records"
                         " WHERE record_id = %s" % rid) == "Nguyễn Văn An",
                "normalized: Nguyễn Văn An")
        self.key("a")
        self.wait(lambda d: "record/%s" % rid not in d.current_url,
                  "the key A keeps the last value as read and moves on")
        self.ok(self.sql("SELECT count(*) FROM review_decisions WHERE action = 'accept_field'"
                         " AND record_id = %s" % rid) == "1", "an accept_field row is audited")
        self.ok(not d.find_elements(By.CSS_SELECTOR, ".flash.error"),
                "no error after A (it answered 400)", self.body_text())

        # the other language and back
        d.find_element(By.CSS_SELECTOR, "form.lang button").click()
        self.wait(lambda d: d.execute_script("return document.documentElement.lang") == "en",
                  "the header's English switches the interface")
        self.ok("Sign out" in self.body_text(), "to English")
        self.shot("english.png")
        d.find_element(By.CSS_SELECTOR, "form.lang button").click()
        self.wait(lambda d: d.execute_script("return document.documentElement.lang") == "vi",
                  "and Tiếng Việt back")
        self.signout()

    def admin(self):
        d = self.d
        self.login("ada", "tre-xanh-nqn-2025")
        self.wait(lambda d: d.current_url.endswith("/dashboard"), "ada lands on the dashboard")
        # the match rita skipped: free for the others
        free = self.sql("SELECT min(match_id) FROM matches WHERE status = 'review'"
                        " AND coalesce(claimed_by, 'skipped:') LIKE 'skipped:%'")
        self.must(free != "", "a match nobody holds")
        held = self.sql("SELECT coalesce(claimed_by, '-') FROM matches WHERE match_id = %s"
                        % free)
        d.get(self.base + "/review/match/" + free)
        self.wait(EC.presence_of_element_located((By.ID, "take")),
                  "an item opened by its address offers to take it")
        self.ok(self.sql("SELECT coalesce(claimed_by, '-') FROM matches WHERE match_id = %s"
                         % free) == held, "opening it claimed nothing")
        self.ok(not d.find_elements(By.CSS_SELECTOR, 'button[data-key="1"]'),
                "and offers no decision")
        self.layout("an item not held")
        self.shot("not-held.png")
        self.key("t")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, 'main.item[data-held="yes"]'),
                  "the key T takes it")
        self.ok(self.sql("SELECT claimed_by FROM matches WHERE match_id = %s" % free)
                == "ada", "ada holds it")
        rec = self.sql("SELECT record_id FROM matches WHERE match_id = %s" % self.nomatch)
        d.get(self.base + "/record/" + rec)
        form = d.find_elements(By.CSS_SELECTOR, 'form[action="/reopen/%s"] button'
                               % self.nomatch)
        self.must(len(form) == 1, "the record offers to reopen the \"no match\"")
        self.layout("a record")
        self.shot("record-page.png", full=True)
        form[0].click()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash.ok"),
                  "reopening it says so")
        self.ok(self.sql("SELECT status FROM matches WHERE match_id = %s" % self.nomatch)
                == "review", "the match is in review again")
        d.get(self.base + "/audit")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table.audit")),
                  "the audit log opens")
        text = self.body_text()
        self.ok("{" not in text and "Liên kết công dân khác" in text and "Mở lại liên kết"
                in text and "Giữ giá trị như đã đọc" in text,
                "the audit log is in words (who, what, before and after)", text[:600])
        self.vietnamese("the audit log")
        self.layout("the audit log")
        self.shot("audit.png", full=True)
        self.signout()

    def manager(self):
        d = self.d
        self.login("max", "tre-xanh-znk-2025")
        d.get(self.base + "/dashboard")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "svg#batches")),
                  "the dashboard has the batches chart")
        for sel, what in (("#stat-records", "records digitized"),
                          ("#stat-linked", "linked to a personal ID"),
                          ("table#by-province", "the table by province"),
                          ("table#by-office", "the table by office"),
                          ("svg#progress", "the progress over time")):
            els = d.find_elements(By.CSS_SELECTOR, sel)
            self.ok(len(els) == 1, "the dashboard has %s" % what)
        top = d.execute_script("return document.querySelector('#stat-linked')"
                               ".getBoundingClientRect().bottom")
        self.ok(top <= H, "the headline figures are in the first screen (%d px)" % top)
        self.ok("trên nền dân cư" in self.body_text(), "\"trên nền dân cư\" is said")
        rows = d.find_elements(By.CSS_SELECTOR, "table#by-office tbody tr")
        self.ok(len(rows) >= 1, "the office table has rows (%d)" % len(rows))
        bad = d.execute_script(CHART_JS)
        self.ok(bad == "", "the chart's bars stay under its axis", bad)
        self.vietnamese("the dashboard")
        self.layout("the dashboard")
        self.shot("dashboard.png", full=True)
        d.get(self.base + "/discrepancies")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table.list")),
                  "the discrepancies open")
        self.vietnamese("the discrepancies")
        self.layout("the discrepancies")
        self.shot("discrepancies.png")
        self.signout()

    def main(self):
        try:
            self.start()
        except WebDriverException as e:
            print("not ok 1 - Chromium did not start through %s: %s"
                  % (CHROMEDRIVER, str(e).strip()))
            return 2
        try:
            self.reviewer()
            self.admin()
            self.manager()
        except Failed:
            self.diag("stopped at the failed step above; url %s" % self.d.current_url)
            try:
                self.d.save_screenshot(os.path.join(self.art, "failure.png"))
                self.diag("screenshot of the failure: %s"
                          % os.path.join(self.art, "failure.png"))
            except WebDriverException:
                pass
        except WebDriverException:
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
        sys.stderr.write("usage: review_flow.py BASE_URL ARTIFACTS_DIR CONNINFO\n")
        return 2
    os.makedirs(sys.argv[2], exist_ok=True)
    return Run(sys.argv[1], sys.argv[2], sys.argv[3]).main()


if __name__ == "__main__":
    sys.exit(main())
