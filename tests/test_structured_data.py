"""JSON-LD, h-event, Open Graph, cards and the sitemap, read back from the pages."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import lxml.html
import mf2py
from campsite.clock import parse_now
from campsite.model import Status
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, build_site, write
from lxml import etree
from PIL import Image

SITE = "https://campsite.example.org"
NOW = parse_now(EXAMPLE_NOW, ZoneInfo("Europe/Paris"))






def jsonld(path: Path) -> list[dict]:
    doc = lxml.html.fromstring(path.read_bytes())
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


def local(out: Path, url: str) -> Path:
    path = out / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def instant(text: str):
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def test_every_edition_page_has_one_complete_event(published, site):
    for edition in site.editions:
        (event,) = jsonld(published / edition.path / "index.html")
        assert event["@type"] == "Event" and event["name"] == edition.title
        assert event["url"] == f"{SITE}/{edition.path}/"
        start = instant(event["startDate"])
        if edition.all_day:
            assert start == edition.first_day and instant(event["endDate"]) == edition.last_day
        else:
            assert start == edition.start and start.utcoffset() is not None
            assert "endDate" in event
        assert event["eventStatus"] == f"https://schema.org/{_STATUS[edition.status]}"
        mode = event["eventAttendanceMode"].rsplit("/", 1)[1]
        assert mode == ("OnlineEventAttendanceMode" if edition.is_online_only else
                        "MixedEventAttendanceMode" if edition.is_hybrid else "OfflineEventAttendanceMode")
        assert event["superEvent"] == {"@type": "EventSeries", "name": edition.camp.name,
                                       "url": f"{SITE}/{edition.camp.slug}/"}
        assert event["organizer"]["@type"] == "Organization" and event["inLanguage"] == edition.language
        assert len(event["image"]) == 3 and all(local(published, i).is_file() for i in event["image"])
        assert len(event.get("subEvent", [])) == len(edition.sessions)
        _check_location(event, edition)
        _check_offer(event, edition)


_STATUS = {Status.SCHEDULED: "EventScheduled", Status.CANCELLED: "EventCancelled",
           Status.POSTPONED: "EventPostponed", Status.RESCHEDULED: "EventRescheduled",
           Status.MOVED_ONLINE: "EventMovedOnline"}


def _check_location(event, edition):
    places = event.get("location")
    places = places if isinstance(places, list) else [places] if places else []
    kinds = [p["@type"] for p in places]
    if edition.status is Status.MOVED_ONLINE:
        assert kinds == ["VirtualLocation"]
    elif edition.is_hybrid:
        assert kinds == ["Place", "VirtualLocation"]
    elif edition.venue:
        assert kinds == ["Place"]
        place = places[0]
        assert place["address"]["@type"] == "PostalAddress"
        assert place["address"].get("addressLocality") == edition.venue.city
        if edition.venue.geo:
            assert (place["geo"]["latitude"], place["geo"]["longitude"]) == edition.venue.geo
    if edition.status is Status.RESCHEDULED:
        assert instant(event["previousStartDate"]) == (
            edition.previous_start.date() if edition.all_day else edition.previous_start)
    else:
        assert "previousStartDate" not in event


def _check_offer(event, edition):
    """No offer for a cancelled or past edition (schema.org has no availability
    for them); else PreOrder before registration opens, SoldOut once full or
    closed, InStock in between."""
    if edition.price is None:
        assert "offers" not in event
        return
    assert event["isAccessibleForFree"] is edition.price.is_free
    if edition.status is Status.CANCELLED or edition.is_past(NOW):
        assert "offers" not in event
    else:
        offer = event["offers"]
        assert offer["priceCurrency"] == edition.price.currency
        state = edition.registration.state(NOW) if edition.registration else "open"
        expected = ("SoldOut" if edition.sold_out or state == "closed"
                    else "PreOrder" if state == "not-open" else "InStock")
        assert offer["availability"] == f"https://schema.org/{expected}"
    if edition.capacity:
        assert event["maximumAttendeeCapacity"] == edition.capacity


def test_every_status_of_the_example_is_covered(site):
    assert {e.status for e in site.editions} == set(Status)


def test_h_event_agrees_with_json_ld_the_page_and_the_calendar(published, site):
    for edition in site.editions:
        page = published / edition.path / "index.html"
        (event,) = jsonld(page)
        parsed = mf2py.parse(doc=page.read_text(encoding="utf-8"), url=f"{SITE}/{edition.path}/")
        (h_event,) = [i for i in parsed["items"] if "h-event" in i["type"]]
        props = h_event["properties"]
        assert props["name"] == [event["name"]]
        assert props["url"] == [event["url"]]
        assert instant(props["start"][0]) == instant(event["startDate"])
        if edition.end is not None:
            assert instant(props["end"][0]) == instant(event["endDate"])
        if edition.venue and edition.status is not Status.MOVED_ONLINE:
            location = props["location"][0]["properties"]
            assert location["name"] == [edition.venue.name]
            if edition.city:
                assert location["locality"] == [edition.city]
        heading = lxml.html.fromstring(page.read_bytes()).xpath("string(//h1)")
        assert heading == event["name"]
        (vevent,) = icalendar.Calendar.from_ical((published / edition.path / "event.ics").read_bytes()).walk("VEVENT")
        # Calendar apps that ignore STATUS still show a cancellation: in the summary (the site speaks French).
        summary = f"Annulé : {event['name']}" if edition.status is Status.CANCELLED else event["name"]
        assert str(vevent["summary"]) == summary and str(vevent["url"]) == event["url"]
        assert vevent.decoded("dtstart") == instant(event["startDate"])


def test_camp_pages_carry_an_event_series_and_write_ups_a_blog_posting(published, site):
    for camp in site.camps:
        (series,) = jsonld(published / camp.slug / "index.html")
        assert series["@type"] == "EventSeries" and len(series["subEvent"]) == len(camp.editions)
    for source in EXAMPLE_CONTENT.glob("camps/*/*/*.md"):
        camp, edition_slug = source.parts[-3], source.parts[-2]
        (post,) = jsonld(published / camp / edition_slug / source.stem / "index.html")
        edition = site.edition(f"{camp}/{edition_slug}")
        assert post["@type"] == "BlogPosting"
        start = edition.first_day.isoformat() if edition.all_day else edition.start.isoformat(timespec="minutes")
        assert post["about"] == {"@type": "Event", "name": edition.title, "url": f"{SITE}/{edition.path}/",
                                 "startDate": start}


def test_every_page_shares_a_real_card(published):
    pages = [p for p in published.rglob("*.html") if p.name != "404.html"]
    for page in pages:
        doc = lxml.html.fromstring(page.read_bytes())
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta")}
        assert meta["og:url"].startswith(SITE) and meta["og:locale"] == "fr_FR"
        assert meta["og:type"] in ("website", "article")
        image = local(published, meta["og:image"])
        with Image.open(image) as card:
            assert card.size == (1200, 630) and card.format == "PNG"
        assert doc.xpath("//link[@rel='canonical']/@href") == [meta["og:url"]]
    for ratio, size in (("card-4x3.png", (800, 600)), ("card-1x1.png", (800, 800))):
        with Image.open(published / "vinocamp" / ratio) as card:
            assert card.size == size


def test_only_editions_likely_to_be_shared_get_a_card_of_their_own(published, site):
    """Upcoming editions and those of the last twelve months have their own
    card; older ones share their camp's (drawing ten years of cards was the
    slowest part of a cold build)."""
    seen = {True: 0, False: 0}
    for edition in site.editions:
        page = published / edition.path / "index.html"
        doc = lxml.html.fromstring(page.read_bytes())
        image = doc.xpath("string(//meta[@property='og:image']/@content)")
        recent = edition.ends > NOW.replace(year=NOW.year - 1)
        own = f"{SITE}/{edition.path}/card.png"
        assert (image == own) is recent, edition.path
        assert (published / edition.path / "card.png").is_file() is recent, edition.path
        if not recent:
            assert image == f"{SITE}/{edition.camp.slug}/card.png"
        seen[recent] += 1
    assert seen[True] and seen[False], seen


def test_cards_show_the_camps_svg_logo(published):
    # The logo's first shape is a rounded rectangle in #fdf6f0, drawn from
    # the card's top-left margin: in the camp's colour where there is none.
    logo_background = (0xFD, 0xF6, 0xF0)
    for card_path, margin in (("vinocamp/card.png", 72), ("vinocamp/2026-bordeaux/card.png", 72),
                              ("vinocamp/card-1x1.png", 48)):
        with Image.open(published / card_path) as card:
            rgb = card.convert("RGB")
            assert rgb.getpixel((margin + 30, margin + 4)) == logo_background, card_path
            assert rgb.getpixel((margin + 30, card.height - margin - 60)) != logo_background


def test_sitemap_lists_every_page_with_its_history(published):
    root = etree.parse(str(published / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = root.xpath("//s:loc/text()", namespaces=ns)
    pages = {p.relative_to(published).as_posix() for p in published.rglob("*.html")} - {"404.html"}
    assert sorted(locations) == sorted(f"{SITE}/{p.removesuffix('index.html')}" for p in pages)
    for lastmod in root.xpath("//s:lastmod/text()", namespaces=ns):
        date.fromisoformat(lastmod)
    assert "Sitemap: https://campsite.example.org/sitemap.xml" in (published / "robots.txt").read_text()


def test_json_ld_cannot_be_closed_by_content(site_dir, tmp_path):
    title = 'Fin </script><script>alert("x")</script>'
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2026-x/edition.yml", f"start: 2026-06-13T09:30\ntitle: '{title}'\n")
    out = tmp_path / "out"
    assert build_site(site_dir, out).ok
    doc = lxml.html.fromstring((out / "vinocamp/2026-x/index.html").read_bytes())
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json", None]  # the JSON-LD and campsite.js
    assert json.loads(scripts[0].text)["name"] == title
