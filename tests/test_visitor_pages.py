"""The visitor site, read as a visitor's browser reads it: parsed HTML."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from campsite.clock import parse_now
from campsite.model import Status
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW

NOW = parse_now(EXAMPLE_NOW, ZoneInfo("Europe/Paris"))




def page(output: Path, path: str):
    return lxml.html.fromstring((output / path / "index.html").read_bytes())


def banners(doc) -> list[str]:
    return [" ".join(b.text_content().split()) for b in doc.xpath("//article[contains(@class,'edition')]/header//p[contains(@class,'banner')]")]


def first(site, predicate):
    return next(e for e in site.editions if predicate(e))


def test_status_banners(example_site, site):
    cancelled = first(site, lambda e: e.status is Status.CANCELLED)
    assert banners(page(example_site, cancelled.path)) == ["Annulée"]
    postponed = first(site, lambda e: e.status is Status.POSTPONED)
    assert banners(page(example_site, postponed.path)) == ["Reportée : la nouvelle date sera annoncée"]
    moved = first(site, lambda e: e.status is Status.MOVED_ONLINE)
    assert banners(page(example_site, moved.path)) == ["Passée en ligne"]
    rescheduled = first(site, lambda e: e.status is Status.RESCHEDULED)
    doc = page(example_site, rescheduled.path)
    assert banners(doc)[0].startswith("Nouvelle date — initialement prévue le ")
    previous = doc.xpath("//p[contains(@class,'banner-rescheduled')]")
    assert previous and rescheduled.previous_start.strftime("%Y") in previous[0].text_content()


def test_sold_out_and_registration_banners_on_upcoming_editions(example_site, site):
    sold_out = first(site, lambda e: e.sold_out and not e.is_past(NOW) and e.status is Status.SCHEDULED)
    doc = page(example_site, sold_out.path)
    assert "Complet" in banners(doc)
    assert not doc.xpath("//a[@class='button']")
    not_open = first(site, lambda e: e.registration and e.registration.state(NOW) == "not-open" and not e.is_past(NOW))
    doc = page(example_site, not_open.path)
    assert any(b.startswith("Inscriptions à partir du") for b in banners(doc))
    open_now = first(site, lambda e: e.registration and e.registration.state(NOW) == "open"
                     and not e.is_past(NOW) and not e.sold_out and e.status is Status.SCHEDULED)
    buttons = page(example_site, open_now.path).xpath("//a[@class='button']")
    assert [b.get("href") for b in buttons] == [open_now.registration.url]


def test_times_are_in_the_venue_zone_and_named(example_site, site):
    reunion = first(site, lambda e: e.timezone.key == "Indian/Reunion")
    when = page(example_site, reunion.path).xpath("//p[@class='when']")[0]
    assert when.xpath("time/@datetime")[0].endswith("+04:00")
    assert "Réunion" in when.xpath("string(span[@class='zone'])")
    all_day = first(site, lambda e: e.all_day and e.is_multi_day)
    when = page(example_site, all_day.path).xpath("//p[@class='when']")[0]
    assert when.xpath("time/@datetime") == [all_day.first_day.isoformat()]
    assert not when.xpath("span[@class='zone']")
    assert str(all_day.last_day.day) in when.xpath("string(time)")


def test_phase_labels_and_their_correction_data(example_site, site):
    for edition in (site.editions[0], site.upcoming(NOW)[0]):
        label = page(example_site, edition.path).xpath("//p[@class='when']/span[contains(@class,'phase')]")[0]
        expected = "Passée" if edition.is_past(NOW) else "À venir"
        assert label.text_content().strip() == expected
        assert label.get("data-end") == edition.ends.isoformat(timespec="minutes")
    assert (example_site / "theme/js/campsite.js").is_file()


def test_grid_and_session_list_agree(example_site, site):
    edition = max(site.editions, key=lambda e: len(e.sessions))
    doc = page(example_site, edition.path)
    grid_links = doc.xpath("//table[@class='grid']//td/a/@href")
    session_ids = doc.xpath("//ol[@class='sessions']/li/@id")
    assert len(grid_links) == len(session_ids) == len(edition.sessions)
    assert sorted(link.lstrip("#") for link in grid_links) == sorted(session_ids)
    headers = doc.xpath("(//table[@class='grid'])[1]/thead/tr/th/text()")
    assert headers[1:] == [r for r in edition.rooms_in_use() if r in headers]


def test_every_city_and_tag_has_its_page(example_site, site):
    cities = {e.city for e in site.editions if e.city}
    index = page(example_site, "cities")
    assert sorted(index.xpath("//ul[@class='city-index']/li/a/text()")) == sorted(cities)
    for href in index.xpath("//ul[@class='city-index']/li/a/@href"):
        city = lxml.html.fromstring((example_site / "cities" / href / "index.html").resolve().read_bytes())
        listed = city.xpath("//ul[@class='edition-list']/li/a/text()")
        name = city.xpath("string(//h1)")
        assert sorted(listed) == sorted(e.title for e in site.editions if e.city == name)
    tags = page(example_site, "tags").xpath("//ul[@class='tag-index']/li/a/@href")
    assert len(tags) >= 10
    for href in tags:
        assert (example_site / "tags" / href / "index.html").resolve().is_file()


def test_all_editions_by_year(example_site, site):
    doc = page(example_site, "editions")
    years = [int(y) for y in doc.xpath("//main/h2/text()")]
    assert years == sorted({e.start.year for e in site.editions}, reverse=True)
    assert len(doc.xpath("//ul[@class='edition-list']/li")) == len(site.editions)


def test_404_page_links_from_the_root(example_site):
    doc = lxml.html.fromstring((example_site / "404.html").read_bytes())
    assert doc.xpath("string(//h1)") == "Page introuvable"
    assert all(h.startswith("/") for h in doc.xpath("//link/@href"))


def test_breadcrumbs_lead_home(example_site, site):
    edition = site.editions[-1]
    crumbs = page(example_site, edition.path).xpath("//nav[@class='breadcrumbs']//li")
    assert [c.text_content().strip() for c in crumbs] == ["Accueil", edition.camp.name, edition.title]
    assert crumbs[-1].xpath("span/@aria-current") == ["page"]


def test_every_session_and_write_up_is_on_a_page(example_site, site):
    from campsite.pelican_plugin.filters import session_anchor

    for edition in site.editions:
        if not edition.sessions:
            continue
        ids = set(page(example_site, edition.path).xpath("//ol[@class='sessions']/li/@id"))
        assert {session_anchor(s) for s in edition.sessions} == ids, edition.path
    writeups = [p for p in EXAMPLE_CONTENT.glob("camps/*/*/*.md")]
    assert len(writeups) >= 6
    for source in writeups:
        camp, edition = source.parts[-3], source.parts[-2]
        folder = example_site / camp / edition / source.stem
        doc = page(example_site, f"{camp}/{edition}/{source.stem}")
        (back,) = doc.xpath("//p[@class='about']/a[1]/@href")
        assert (folder / back).resolve() == (example_site / camp / edition).resolve()


def test_a_cancelled_edition_offers_no_add_to_calendar(example_site, site):
    cancelled = first(site, lambda e: e.status is Status.CANCELLED)
    assert not page(example_site, cancelled.path).xpath("//ul[@class='calendar-links']")
