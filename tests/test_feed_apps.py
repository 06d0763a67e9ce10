"""What feed readers and search engines read, from real builds: the
write-ups feed, JSON-LD offers, the h-event's location and end, and the
absolute URLs of a local build's feeds, sitemap and robots.txt."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import lxml.html
import mf2py
import pytest
from conftest import build_site, write
from lxml import etree

NOW = "2026-06-01T12:00:00+02:00"
PREVIEW = "http://127.0.0.1:8000"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def jsonld(page: Path) -> dict:
    doc = lxml.html.fromstring(page.read_bytes())
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def h_event(page: Path, url: str) -> dict:
    parsed = mf2py.parse(doc=page.read_text(encoding="utf-8"), url=url)
    (event,) = [i for i in parsed["items"] if "h-event" in i["type"]]
    return event["properties"]


def camp(content: Path, slug: str = "vinocamp") -> None:
    write(content / f"camps/{slug}/camp.yml", f"name: {slug.capitalize()}\ntimezone: Europe/Paris\n")


# --- The write-ups feed -------------------------------------------------------

@pytest.fixture(scope="module")
def blog_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("blog") / "content"
    camp(content)
    write(content / "camps/vinocamp/2026-reims/edition.yml", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n")
    write(content / "camps/vinocamp/2026-reims/compte-rendu.md",
          "Title: Ce qui s'est dit à Reims\nDate: 2026-06-14 10:00\n\nUn compte rendu.\n")
    write(content / "camps/vinocamp/presentation.md",
          "Title: Le Vinocamp en deux mots\nDate: 2026-02-01 10:00\n\nLa présentation du camp.\n")
    write(content / "blog/inscriptions-reims.md",
          "Title: Les inscriptions à Reims sont ouvertes\nDate: 2026-05-01 10:00\n"
          "Edition: vinocamp/2026-reims\n\nInscrivez-vous.\n")
    write(content / "blog/annonce.md",
          "Title: Un nouveau camp\nDate: 2026-04-01 10:00\nCamp: vinocamp\n\nAnnonce.\n")
    write(content / "blog/divers.md", "Title: Divers\nDate: 2026-03-01 10:00\n\nRien à voir.\n")
    out = content.parent / "out"
    result = build_site(content, out, now=NOW)
    assert result.ok, result.problems
    return out


def titles(path: Path) -> set[str]:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {e.title for e in parsed.entries}


def test_the_write_ups_feed_carries_only_write_ups(blog_site):
    for name in ("atom.xml", "rss.xml"):
        assert titles(blog_site / "writeups" / name) == {"Ce qui s'est dit à Reims"}


def test_blog_posts_about_a_camp_stay_in_the_feeds_they_belong_to(blog_site):
    posts = {"Les inscriptions à Reims sont ouvertes", "Un nouveau camp", "Le Vinocamp en deux mots"}
    for name in ("atom.xml", "rss.xml"):
        assert posts | {"Ce qui s'est dit à Reims"} <= titles(blog_site / "vinocamp" / name)
        assert posts | {"Ce qui s'est dit à Reims", "Divers"} <= titles(blog_site / name)
    assert "Divers" not in titles(blog_site / "vinocamp/atom.xml")


# --- JSON-LD offers -----------------------------------------------------------

EDITIONS = {
    # slug: (edition.yml, expected availability or None for no offer)
    "2026-06-open": ("start: 2026-06-20T09:30\nend: 2026-06-20T18:00\nprice: 10 €\n"
                     "registration: {url: 'https://tickets.example.org/a', opens: 2026-05-01T10:00, "
                     "closes: 2026-06-18T23:00}\n", "InStock"),
    "2026-07-soon": ("start: 2026-07-20T09:30\nend: 2026-07-20T18:00\nprice: free\n"
                     "registration: {url: 'https://tickets.example.org/b', opens: 2026-06-15T10:00}\n", "PreOrder"),
    "2026-06-closed": ("start: 2026-06-27T09:30\nend: 2026-06-27T18:00\nprice: 5 €\n"
                       "registration: {url: 'https://tickets.example.org/c', closes: 2026-05-20T12:00}\n", "SoldOut"),
    "2026-08-full": ("start: 2026-08-20T09:30\nend: 2026-08-20T18:00\nprice: 10 €\nsold_out: true\n", "SoldOut"),
    "2026-09-cancelled": ("start: 2026-09-20T09:30\nend: 2026-09-20T18:00\nprice: 10 €\nstatus: cancelled\n"
                          "registration: {url: 'https://tickets.example.org/d'}\n", None),
    "2025-past": ("start: 2025-06-20T09:30\nend: 2025-06-20T18:00\nprice: 10 €\n"
                  "registration: {url: 'https://tickets.example.org/e'}\n", None),
    "2026-10-online": ("start: 2026-10-20T18:00\nonline: https://meet.example.org/vinocamp\n", None),
}


@pytest.fixture(scope="module")
def offers_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("offers") / "content"
    camp(content)
    for slug, (text, _) in EDITIONS.items():
        write(content / f"camps/vinocamp/{slug}/edition.yml", text)
    out = content.parent / "out"
    result = build_site(content, out, now=NOW)
    assert result.ok, result.problems
    return out


@pytest.mark.parametrize("slug", sorted(EDITIONS))
def test_offers_say_whether_a_place_can_be_had_at_the_builds_now(offers_site, slug):
    event = jsonld(offers_site / f"vinocamp/{slug}/index.html")
    expected = EDITIONS[slug][1]
    if expected is None:
        assert "offers" not in event  # cancelled or over: no place to offer
        return
    assert event["offers"]["availability"] == f"https://schema.org/{expected}"


def test_registration_opening_and_closing_are_the_offers_validity(offers_site):
    offer = jsonld(offers_site / "vinocamp/2026-06-open/index.html")["offers"]
    assert offer["validFrom"] == "2026-05-01T10:00+02:00" and offer["validThrough"] == "2026-06-18T23:00+02:00"
    assert offer["url"] == "https://tickets.example.org/a"
    soon = jsonld(offers_site / "vinocamp/2026-07-soon/index.html")["offers"]
    assert datetime.fromisoformat(soon["validFrom"]).utcoffset() is not None and "validThrough" not in soon
    closed = jsonld(offers_site / "vinocamp/2026-06-closed/index.html")["offers"]
    assert closed["validThrough"] == "2026-05-20T12:00+02:00" and "validFrom" not in closed


def test_a_cancelled_edition_says_so_and_keeps_its_price_facts(offers_site):
    event = jsonld(offers_site / "vinocamp/2026-09-cancelled/index.html")
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["isAccessibleForFree"] is False and "offers" not in event


def test_offers_follow_the_builds_now(tmp_path):
    content = tmp_path / "content"
    camp(content)
    write(content / "camps/vinocamp/2026-06-open/edition.yml", EDITIONS["2026-06-open"][0])
    availability = {}
    for now in ("2026-04-01T12:00:00+02:00", NOW, "2026-06-19T12:00:00+02:00", "2026-06-21T12:00:00+02:00"):
        out = tmp_path / now[:10]
        assert build_site(content, out, now=now).ok
        offer = jsonld(out / "vinocamp/2026-06-open/index.html").get("offers")
        availability[now[:10]] = offer and offer["availability"].rsplit("/", 1)[1]
    assert availability == {"2026-04-01": "PreOrder", "2026-06-01": "InStock", "2026-06-19": "SoldOut",
                            "2026-06-21": None}


# --- h-event: an online edition's location, an unannounced end -----------------

def test_an_online_editions_h_event_carries_its_address(offers_site):
    url = "https://meet.example.org/vinocamp"
    page_url = f"{PREVIEW}/vinocamp/2026-10-online/"
    props = h_event(offers_site / "vinocamp/2026-10-online/index.html", page_url)
    (location,) = props["location"]
    assert "h-card" in location["type"] and location["properties"]["url"] == [url]
    camp_page = mf2py.parse(doc=(offers_site / "vinocamp/index.html").read_text(encoding="utf-8"),
                            url=f"{PREVIEW}/vinocamp/")
    cards = [i for i in camp_page["items"] if "h-event" in i["type"]]
    card = next(c for c in cards if c["properties"]["url"][0].endswith("/2026-10-online/"))
    (location,) = card["properties"]["location"]
    assert location["properties"]["url"] == [url] and location["properties"]["name"] == ["En ligne"]
    event = jsonld(offers_site / "vinocamp/2026-10-online/index.html")
    assert event["location"] == {"@type": "VirtualLocation", "url": url}


def test_an_edition_with_no_announced_end_has_no_made_up_one(offers_site):
    page = offers_site / "vinocamp/2026-10-online/index.html"
    event = jsonld(page)
    assert event["startDate"] == "2026-10-20T18:00+02:00" and "endDate" not in event
    assert "end" not in h_event(page, f"{PREVIEW}/vinocamp/2026-10-online/")
    timed = jsonld(offers_site / "vinocamp/2026-06-open/index.html")
    assert timed["endDate"] == "2026-06-20T18:00+02:00"


# --- Absolute URLs in a local build ---------------------------------------------

def urls_of(path: Path) -> list[str]:
    """Every URL a reader resolves in a feed, sitemap or robots.txt."""
    if path.name == "robots.txt":
        return [line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
                if line.lower().startswith("sitemap:")]
    root = etree.parse(str(path)).getroot()
    if path.name == "sitemap.xml":
        return [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    if path.name == "atom.xml":
        hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
        contents = [c.text or "" for c in root.iter(f"{ATOM}content")]
    else:
        channel = root.find("channel")
        hrefs = [channel.findtext("link"), *(i.findtext("link") for i in channel.iter("item"))]
        hrefs += [link.get("href") for link in root.iter(f"{ATOM}link")]
        guids = [g.text for g in channel.iter("guid") if g.get("isPermaLink") != "false"]
        hrefs += guids
        contents = [d.text or "" for d in channel.iter("description")]
        contents += [c.text or "" for c in channel.iter("{http://purl.org/rss/1.0/modules/content/}encoded")]
    for html in contents:  # the links and images inside each item's HTML too
        if html.strip() and "<" in html:
            fragment = lxml.html.fragment_fromstring(html, create_parent="div")
            hrefs += [link for _, attribute, link, _ in fragment.iterlinks() if attribute in ("href", "src")]
    return hrefs


def local_files(out: Path) -> list[Path]:
    return sorted([*out.rglob("atom.xml"), *out.rglob("rss.xml"), out / "sitemap.xml", out / "robots.txt"])


def test_a_local_builds_feeds_sitemap_and_robots_carry_only_absolute_urls(example_site):
    files = local_files(example_site)
    assert len(files) > 10
    checked = 0
    for path in files:
        for url in urls_of(path):
            assert urlparse(url).scheme in ("http", "https") and urlparse(url).netloc, (path, url)
            checked += 1
    assert checked > 1000
    assert f"Sitemap: {PREVIEW}/sitemap.xml" in (example_site / "robots.txt").read_text()
    channel = etree.parse(str(example_site / "rss.xml")).getroot().find("channel")
    assert channel.findtext("link") == f"{PREVIEW}/"


def test_a_local_builds_feeds_are_read_cleanly(example_site):
    for path in [*example_site.rglob("atom.xml"), *example_site.rglob("rss.xml")]:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            assert entry.link.startswith(PREVIEW + "/"), (path, entry.link)
            assert entry.id.startswith("tag:")  # ids never depend on the address


def test_a_local_build_writes_the_same_feeds_and_sitemap_every_time(blog_site, tmp_path):
    content = blog_site.parent / "content"
    again = tmp_path / "again"
    assert build_site(content, again, now=NOW).ok
    for path in local_files(blog_site):
        assert (again / path.relative_to(blog_site)).read_bytes() == path.read_bytes(), path
