"""The dashboard in headless Chromium (Debian's chromium + chromium-driver, driven by Selenium).

`sambandh serve` runs on a free port on a store built from the fixture articles. Screenshots go to
test-artifacts/. Set SAMBANDH_README_SHOT=1 to also write docs/img/dashboard.png (the README's).
Skipped when Chromium or Selenium is missing, except under CI=true, where that fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _need(ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why} under CI: .ci/run must install chromium and chromium-driver")
    pytest.skip(why)


@pytest.fixture(scope="module")
def server(built_db):
    proc = subprocess.Popen([sys.executable, "-m", "sambandh.cli", "serve", "--db", str(built_db), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = proc.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:"), address
        wait_for(address + "stats")
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def driver():
    _need(bool(CHROMIUM and CHROMEDRIVER), "chromium or chromedriver not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need(False, "selenium not installed (pip install -e '.[dev]')")
    profile = tempfile.mkdtemp(prefix="sambandh-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic", "--window-size=1400,1700", "--lang=en-US", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(drv, css: str, seconds: float = 15, count: int = 1):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, seconds).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, css)) >= count)
    return drv.find_elements(By.CSS_SELECTOR, css)


def open_dashboard(drv, server: str, lang: str = "en") -> None:
    drv.get(server)
    drv.execute_script(f"localStorage.setItem('sambandh-lang', '{lang}');")
    drv.get(server)
    wait(drv, "body[data-ready='1']")


def choose(drv, a: str, b: str) -> None:
    from selenium.webdriver.common.by import By

    for field, value in (("country-a", a), ("country-b", b)):
        box = drv.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    drv.find_element(By.ID, "show").click()


def test_choose_ind_rus_see_chart_open_story_read_hindi_evidence(driver, server):
    from selenium.webdriver.common.by import By

    open_dashboard(driver, server)
    choose(driver, "भारत", "RUS")  # one typed in Hindi, one as a code
    points = wait(driver, "#timeline svg circle.point", count=3)
    assert {p.get_attribute("data-kind") for p in points} == {"coop", "conflict"}
    assert driver.find_element(By.ID, "country-a").get_attribute("value").endswith("(IND)")
    assert "a=IND" in driver.current_url and "b=RUS" in driver.current_url
    assert wait(driver, "#types svg rect.bar") and wait(driver, "#topics svg rect.bar")
    assert wait(driver, "#agreements .step.reached", count=3)
    assert wait(driver, "#network svg g.node") and wait(driver, "#map svg circle.place")
    driver.save_screenshot(str(ARTIFACTS / "dashboard-ind-rus.png"))

    stories = wait(driver, "#stories li[data-story]")
    hindi = next(li for li in stories if DEVANAGARI.search(li.text))
    hindi.click()
    triggers = wait(driver, "#evidence .sentence[lang='hi'] mark.hl-trigger")
    assert DEVANAGARI.search(triggers[0].text)
    sentence = driver.find_element(By.CSS_SELECTOR, "#evidence .sentence[lang='hi']")
    assert sentence.find_elements(By.CSS_SELECTOR, "mark.hl-actor")
    assert sentence.find_elements(By.CSS_SELECTOR, "mark.hl-recipient")
    meta = driver.find_element(By.CSS_SELECTOR, "#evidence .evidence-item .meta").text
    assert "example.in" in meta and re.search(r"\d{4}-\d{2}-\d{2}", meta)
    driver.save_screenshot(str(ARTIFACTS / "dashboard-story-hindi-evidence.png"))
    if os.environ.get("SAMBANDH_README_SHOT"):
        (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ROOT / "docs" / "img" / "dashboard.png"))


def test_click_a_point_shows_its_sentences(driver, server):
    from selenium.webdriver.common.by import By

    open_dashboard(driver, server)
    choose(driver, "India", "Russia")
    conflict = wait(driver, "#timeline svg circle.point.conflict")[0]
    period = conflict.get_attribute("data-period")  # read before the click: the chart may redraw after it
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", conflict)
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    wait(driver, "#evidence .evidence-item")
    # the evidence panel may redraw while it is read: read it again until it holds still
    WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: period in d.find_element(By.ID, "evidence-title").text
        and all(period in i.text for i in d.find_elements(By.CSS_SELECTOR, "#evidence .evidence-item")))
    assert wait(driver, "#evidence mark.hl-trigger")
    # An agreement step: the sentence that reported it, with its source.
    step = wait(driver, "#agreements .step.reached[data-status='signed']")[0]
    step.click()
    assert "example.com" in wait(driver, "#evidence .evidence-item .meta")[0].text
    assert wait(driver, "#evidence .sentence mark")
    # A partner in the network view becomes the second country.
    china = wait(driver, "#network svg g.node[data-code='CHN']")[0]
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", china)

    # India and China: conflict only, so the chart is the new one when no cooperation point is left.
    WebDriverWait(driver, 15).until(
        lambda d: "b=CHN" in d.current_url and not d.find_elements(By.CSS_SELECTOR, "#timeline circle.point.coop")
        and d.find_elements(By.CSS_SELECTOR, "#timeline circle.point.conflict"))
    conflict = wait(driver, "#timeline svg circle.point.conflict")[0]
    period = conflict.get_attribute("data-period")
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", conflict)
    # wait for this point's evidence (the agreement's may still be showing), then open its full text
    WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: period in d.find_element(By.ID, "evidence-title").text
        and d.find_elements(By.CSS_SELECTOR, "#evidence .evidence-item button.linkish"))

    def open_full_text(d):  # the panel may still redraw once: click a fresh button, once
        d.find_element(By.CSS_SELECTOR, "#evidence .evidence-item button.linkish").click()
        return True

    WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(open_full_text)
    assert wait(driver, "#evidence .doc-text mark")
    driver.save_screenshot(str(ARTIFACTS / "dashboard-point-evidence.png"))


def test_interface_language_switch_and_unknown_country(driver, server):
    from selenium.webdriver.common.by import By

    open_dashboard(driver, server, "en")
    driver.find_element(By.ID, "lang").click()
    assert driver.execute_script("return document.documentElement.lang") == "hi"
    assert driver.find_element(By.CSS_SELECTOR, "#timeline-card h2").text == "समय के साथ सहयोग और संघर्ष"
    choose(driver, "भारत", "चीन")
    wait(driver, "#timeline svg circle.point.conflict")
    labels = [t.text for t in wait(driver, "#types svg text")]
    assert "आरोप" in labels  # ACCUSE, in Hindi
    assert "चीन" in driver.find_element(By.ID, "country-b").get_attribute("value")
    driver.save_screenshot(str(ARTIFACTS / "dashboard-hindi.png"))
    choose(driver, "Atlantis", "India")
    message = wait(driver, "#message")[0]
    assert "Atlantis" in message.text
