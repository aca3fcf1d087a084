#!/usr/bin/python3
"""review_flow.py BASE_URL ARTIFACTS_DIR: drive `hotich serve` in headless
Chromium (Selenium).  A reviewer signs in, lands on a match, waits for the
scan crop, decides it with the key "1", and is sent on to the next item; a
manager signs in and sees the dashboard.  Prints TAP-like lines ("ok N -",
"not ok N -", "# ..."); exits 0 when every step passed, 1 otherwise, 2 on a
usage or setup error.  Screenshots: login.png, review.png,
after-decision.png, dashboard.png in ARTIFACTS_DIR."""
import os
import sys
import traceback

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
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


class Failed(Exception):
    pass


class Run:
    def __init__(self, base, art):
        self.base = base.rstrip("/")
        self.art = art
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

    def wait(self, cond, desc, timeout=TIMEOUT, fatal=True, why=None):
        """Wait for cond; a timeout fails the step with the page's state (and
        stops the run when fatal)."""
        try:
            got = WebDriverWait(self.d, timeout).until(cond)
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

    def shot(self, name, full=False):
        path = os.path.join(self.art, name)
        if full:
            # the window's size includes the browser's frame: add it
            h, frame = self.d.execute_script(
                "return [Math.max(document.body.scrollHeight,"
                " document.documentElement.scrollHeight),"
                " window.outerHeight - window.innerHeight]")
            w = self.d.get_window_size()["width"]
            self.d.set_window_size(w, max(int(h) + int(frame), 1000))
            WebDriverWait(self.d, TIMEOUT).until(lambda d: d.execute_script(
                "return window.innerHeight") >= int(h))
        self.ok(self.d.save_screenshot(path), "screenshot %s" % path)

    def start(self):
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--window-size=1440,1000",
                  "--disable-dev-shm-usage", "--lang=vi"):
            o.add_argument(a)
        log = os.path.join(self.art, "chromedriver.log")
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER, log_path=log), options=o)
        self.d.set_window_size(1440, 1000)
        self.d.set_page_load_timeout(TIMEOUT)

    def login(self, user, password, shot=None):
        d = self.d
        d.get(self.base + "/login")
        self.wait(EC.presence_of_element_located((By.ID, "user")),
                  "the sign-in page has the user field")
        if shot:
            self.shot(shot)
        u = d.find_element(By.ID, "user")
        u.clear()
        u.send_keys(user)
        p = d.find_element(By.ID, "password")
        p.send_keys(password)
        p.send_keys(Keys.ENTER)
        self.wait(lambda d: "/login" not in d.current_url,
                  "%s is signed in (left /login)" % user)

    def data_item(self):
        els = self.d.find_elements(By.CSS_SELECTOR, "main.item")
        return els[0].get_attribute("data-item") if els else None

    def reviewer(self):
        d = self.d
        self.login("rita", "reviewer-pass-1", shot="login.png")
        self.wait(lambda d: "/review/match/" in d.current_url
                  and d.find_elements(By.CSS_SELECTOR, "main.item"),
                  "rita lands on a match to review (/review/match/N)")
        item = self.data_item()
        mid = d.current_url.split("/review/match/")[1].split("?")[0]
        self.must(item == "match-" + mid, "main.item data-item is match-%s" % mid,
                  "data-item=%r url=%s" % (item, d.current_url))
        crop = self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "img.crop")),
                         "the page shows the scan crop (img.crop)")
        loaded = self.wait(
            lambda d: d.execute_script(
                "var i = arguments[0]; return i.complete && i.naturalWidth > 0"
                " ? [i.naturalWidth, i.naturalHeight] : false", crop),
            "the crop image loads (naturalWidth > 0)", fatal=False,
            why=lambda: "img.crop src=%s: complete=%s naturalWidth=%s" % (
                crop.get_attribute("src"),
                d.execute_script("return arguments[0].complete", crop),
                d.execute_script("return arguments[0].naturalWidth", crop)))
        if loaded:
            self.diag("crop: %dx%d px" % tuple(loaded))
        cands = d.find_elements(By.CSS_SELECTOR, 'button[data-key="1"]')
        self.must(len(cands) == 1, "candidate 1 is offered (button data-key=1)",
                  self.body_text())
        self.shot("review.png")

        self.diag("deciding: %s" % item)
        d.find_element(By.TAG_NAME, "body").send_keys("1")
        self.wait(lambda d: self.data_item() != item and (
            "/review/match/" in d.current_url or "/review/record/" in d.current_url
            or "Nothing to review" in self.body_text()),
            "the key 1 decides %s and the browser moves on" % item)
        now = self.data_item()
        self.ok(True, "now at %s (%s)" % (now or "the empty queue", d.current_url))
        self.ok("/review/match/%s" % mid not in d.current_url,
                "the decided match is no longer shown", d.current_url)
        self.ok(not d.find_elements(By.CSS_SELECTOR, ".flash.error"),
                "no error message after the decision", self.body_text())
        self.shot("after-decision.png")

        signout = d.find_elements(By.XPATH,
                                  "//header//button[normalize-space(.)='Sign out']")
        self.must(len(signout) == 1, "the header has a Sign out button")
        signout[0].click()
        self.wait(lambda d: "/login" in d.current_url
                  and d.find_elements(By.ID, "user"), "Sign out returns to /login")

    def manager(self):
        d = self.d
        self.login("max", "manager-pass-1")
        d.get(self.base + "/dashboard")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "svg.trend")),
                  "the dashboard has the trend chart (svg.trend)")
        self.ok(len(d.find_elements(By.CSS_SELECTOR, "table#by-office")) == 1,
                "the dashboard has the by-office table (table#by-office)", self.body_text())
        rows = d.find_elements(By.CSS_SELECTOR, "table#by-office tbody tr")
        self.ok(len(rows) >= 1, "the by-office table has rows (%d)" % len(rows))
        self.ok(not d.find_elements(By.CSS_SELECTOR, ".flash.error"),
                "no error message on the dashboard", self.body_text())
        self.shot("dashboard.png", full=True)
        d.set_window_size(1440, 1000)

    def main(self):
        try:
            self.start()
        except WebDriverException as e:
            print("not ok 1 - Chromium did not start through %s: %s"
                  % (CHROMEDRIVER, str(e).strip()))
            return 2
        try:
            self.reviewer()
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
    if len(sys.argv) != 3:
        sys.stderr.write("usage: review_flow.py BASE_URL ARTIFACTS_DIR\n")
        return 2
    os.makedirs(sys.argv[2], exist_ok=True)
    return Run(sys.argv[1], sys.argv[2]).main()


if __name__ == "__main__":
    sys.exit(main())
