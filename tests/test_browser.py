"""The site in a real browser: Playwright driving Debian's Chromium, served on
127.0.0.1. End-to-end visits at phone and desktop widths, without JavaScript,
site search, and axe-core on every page template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (the README's test command installs it)"
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def served(example_site):
    with serving(example_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    if getattr(request.node, "failed", False):  # a screenshot to look at
        ARTEFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTEFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()




@pytest.mark.parametrize("width", [375, 1280])
def test_a_visitor_finds_the_next_edition_and_its_programme(page, served, width, site):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served)
    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Vinocamp", exact=True).click()
    assert page.locator("h1").inner_text() == "Vinocamp"
    page.locator("section.next-edition h3 a").first.click()
    assert "Vinocamp" in page.locator("h1").inner_text()
    # A past edition with a programme: the grid, the session list, a room's now/next page.
    edition = max((e for e in site.editions if e.camp.slug == "vinocamp"), key=lambda e: len(e.sessions))
    page.goto(served + edition.path + "/")
    assert page.locator("table.grid").first.is_visible()
    assert page.locator("ol.sessions > li").count() == len(edition.sessions)
    calendar = page.get_by_role("link", name="Ajouter à l'agenda").get_attribute("href")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + calendar)
    assert response.ok and response.text().startswith("BEGIN:VCALENDAR")
    page.get_by_role("link", name="En ce moment, salle par salle").click()
    page.locator("main h2 a").first.click()
    assert page.locator("ol.room-sessions li").count() >= 1
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_overflow, f"the page scrolls sideways at {width} px"


def test_search_finds_a_session_by_a_word_of_its_title(page, served, site):
    edition = max(site.editions, key=lambda e: len(e.sessions))
    word = max(edition.sessions[0].title.split(), key=len).strip(":,!?«»")
    page.goto(served)
    page.get_by_role("search").get_by_role("searchbox").fill(word)
    page.get_by_role("search").get_by_role("button").click()
    results = page.locator("ol.search-results > li")
    results.first.wait_for(timeout=15000)
    titles = " ".join(results.all_inner_texts())
    assert edition.title in titles
    everything = results.count()
    page.get_by_label("Camp").select_option(edition.camp.name)  # the camp filter narrows the results
    assert 1 <= results.count() <= everything and edition.title in " ".join(results.all_inner_texts())


def test_pages_show_their_content_without_javascript(browser, served, site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    edition = max(site.editions, key=lambda e: len(e.sessions))
    for path in ("", "vinocamp/", edition.path + "/", edition.path + "/now/"):
        tab.goto(served + path)
        assert tab.locator("h1").first.inner_text().strip()
    tab.goto(served + edition.path + "/")
    assert tab.locator("ol.sessions > li").count() == len(edition.sessions)
    assert tab.locator(".phase").first.inner_text().strip() in ("Passée", "À venir", "En cours")
    tab.goto(served + "search/")
    assert tab.locator(".search-fallback").is_visible()
    context.close()


TEMPLATES = {
    "home": "", "camp": "vinocamp/", "edition": "vinocamp/2026-bordeaux/", "article": None,
    "page": "a-propos/", "editions": "editions/", "cities": "cities/", "city": "city/lyon/",
    "tags": "tags/", "tag": "tag/vin/", "blog": "blog/", "subscribe": "subscribe/", "search": "search/",
    "now": "vinocamp/2026-bordeaux/now/", "room": None, "404": "404.html",
}


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_no_serious_accessibility_violation(page, served, template, example_site):
    from axe_playwright_python.sync_playwright import Axe

    path = TEMPLATES[template]
    if template == "article":
        path = next(example_site.glob("vinocamp/2026-bordeaux/*/index.html")).parent.relative_to(example_site).as_posix() + "/"
    if template == "room":
        path = next(example_site.glob("vinocamp/2026-bordeaux/now/*/index.html")).parent.relative_to(example_site).as_posix() + "/"
    page.goto(served + path)
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{template} ({path}): {serious}"
