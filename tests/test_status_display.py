"""Status and time shown right: a cancelled edition is not "upcoming",
now/next pages say when they were made in the edition's own time, notices
inform rather than alarm, and a page read after the build drops the
editions the visitor's clock has passed."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from conftest import build_site, serving, write

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
CAMP = "name: Barcamp\ntimezone: Europe/Paris\n"


def html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def edition(content: Path, folder: str, text: str) -> None:
    write(content / f"camps/barcamp/{folder}/edition.yml", text)


def test_a_cancelled_or_postponed_edition_is_never_labelled_upcoming(site_dir, tmp_path):
    write(site_dir / "camps/barcamp/camp.yml", CAMP)
    edition(site_dir, "2027-01-lyon", "start: 2027-01-14T19:00\nstatus: cancelled\n")
    edition(site_dir, "2027-02-lyon", "start: 2027-02-11T19:00\nstatus: postponed\n")
    edition(site_dir, "2027-03-lyon", "start: 2027-03-11T19:00\n")
    out = tmp_path / "output"
    assert build_site(site_dir, out, now="2026-12-01T12:00+01:00").ok
    for folder, labels in (("2027-01-lyon", []), ("2027-02-lyon", []), ("2027-03-lyon", ["À venir"])):
        page = html(out / f"barcamp/{folder}/index.html")
        assert [" ".join(span.text_content().split()) for span in page.xpath("//span[@class='phase']")] == labels
    camp = html(out / "barcamp/index.html")
    cards = camp.xpath("//article[contains(@class, 'edition-card')]")
    labelled = {(card.get("class").split("status-")[1], bool(card.xpath(".//span[@class='phase']"))) for card in cards}
    assert labelled == {("cancelled", False), ("postponed", False), ("scheduled", True)}


def test_now_pages_say_when_they_were_made_in_the_edition_s_time(site_dir, tmp_path):
    write(site_dir / "camps/barcamp/camp.yml", "name: Barcamp\ntimezone: America/Toronto\n")
    edition(site_dir, "2026-06-toronto", "start: 2026-06-13T09:00\nend: 2026-06-13T18:00\n")
    write(site_dir / "camps/barcamp/2026-06-toronto/sessions.yml",
          "sessions:\n  - {title: Ouverture, start: '09:30', end: '10:00', room: Hall}\n")
    out = tmp_path / "output"
    assert build_site(site_dir, out, now="2026-06-13T16:05+02:00").ok  # 10:05 in Toronto
    note = html(out / "barcamp/2026-06-toronto/now/index.html").xpath("string(//p[@class='note'])")
    assert note == "État au 13 juin 2026 à 10:05 ; les indications se mettent à jour dans votre navigateur."


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (the README's test command installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_a_page_read_after_its_build_shows_only_what_is_still_upcoming(browser, site_dir, tmp_path):
    """Built as of a month ago (a site not rebuilt since): the editions of
    the past month are hidden by the visitor's clock, the next shown in
    their place; the build's own HTML (no JavaScript) lists them all."""
    write(site_dir / "camps/barcamp/camp.yml", CAMP)
    today = datetime.now().astimezone()
    for weeks in (-3, -2, 1, 2):
        day = (today + timedelta(weeks=weeks)).date()
        edition(site_dir, f"{day:%Y-%m-%d}-lyon", f"start: {day}T19:00\nend: {day}T22:00\n")
    out = tmp_path / "output"
    built = (today - timedelta(weeks=5)).isoformat(timespec="minutes")
    assert build_site(site_dir, out, now=built, search=False).ok
    assert len(html(out / "index.html").xpath("//article[contains(@class,'edition-card')][not(@hidden)]")) == 4
    with serving(out) as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url)
        visible = tab.locator(".cards[data-upcoming] .edition-card:visible")
        assert visible.count() == 2
        assert tab.locator(".no-upcoming").is_hidden()
        tab.goto(url + "barcamp/")
        nexts = tab.locator(".next-edition .edition-card:visible")
        assert nexts.count() == 1  # the first still to come, in place of the two that are over
        shown = datetime.fromisoformat(nexts.first.get_attribute("data-end")).date()
        assert shown == (today + timedelta(weeks=1)).date()
        context.close()


def test_notices_inform_and_only_what_will_not_happen_alarms(browser, site_dir, tmp_path):
    write(site_dir / "camps/barcamp/camp.yml", CAMP)
    edition(site_dir, "2027-01-lyon", "start: 2027-01-14T19:00\nstatus: cancelled\n")
    edition(site_dir, "2027-02-lyon", "start: 2027-02-11T19:00\n"
                                      "registration: {url: 'https://example.org/r', opens: 2027-01-20T10:00}\n")
    out = tmp_path / "output"
    assert build_site(site_dir, out, now="2026-12-01T12:00+01:00", search=False).ok
    with serving(out) as url:
        context = browser.new_context(color_scheme="light")
        tab = context.new_page()

        def background(path: str, selector: str) -> str:
            tab.goto(url + path)
            return tab.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")

        # The theme's --alert-bg and --note-bg (campsite.css), in light mode.
        assert background("barcamp/2027-01-lyon/", ".banner-cancelled") == "rgb(253, 236, 236)"
        assert background("barcamp/2027-02-lyon/", ".banner-registration") == "rgb(255, 246, 219)"
        context.close()
