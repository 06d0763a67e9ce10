"""Subscribable calendars hold a recent window, with yearly archives; the
subscription page groups them and never offers a relative address; edition
pages add their one event to Google Calendar and Outlook. All on real
builds, read back with icalendar and lxml."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import lxml.html
import pytest
from conftest import ROOT, build_site, write
from test_calendars import assert_subscription_links

NOW = "2026-11-21T12:00:00+01:00"
CAMP = """name: Vinocamp
timezone: Europe/Paris
venues:
  cite:
    name: La Cité du Vin
    address: 134 quai de Bacalan
    city: Bordeaux
    postcode: "33300"
    country: FR
"""
# folder → (edition.yml, in the window of NOW?)
EDITIONS = {
    "2019-old": ("start: 2019-05-04T09:30\nend: 2019-05-04T18:00\nvenue: cite\n", False),
    "2024-beaune": ("start: 2024-11-16T09:30\nend: 2024-11-16T18:00\nvenue: cite\n", False),
    # a day before the window opens (2025-11-21 12:00 Paris)
    "2025-just-out": ("start: 2025-11-20T09:30\nend: 2025-11-20T18:00\nvenue: cite\n", False),
    # over on the day the window opens, after its first moment
    "2025-just-in": ("start: 2025-11-21T09:30\nend: 2025-11-21T18:00\nvenue: cite\n", True),
    "2026-cancelled": ("start: 2026-03-14T09:30\nend: 2026-03-14T18:00\nstatus: cancelled\nvenue: cite\n", True),
    # moved from a date in the window to one before it: the subscribers have the first
    "2025-moved-back": ("start: 2025-10-04T09:30\nend: 2025-10-04T18:00\nstatus: rescheduled\n"
                        "previous_start: 2026-01-10T09:30\nvenue: cite\n", True),
    "2027-angers": ("start: 2027-03-20T09:30\nend: 2027-03-20T18:00\nvenue: cite\n", True),
    "2027-cancelled": ("start: 2027-06-05T09:30\nstatus: cancelled\nvenue: cite\n", True),
    "2027-all-day": ("start: 2027-09-11\nend: 2027-09-12\nvenue: cite\n", True),
    "2026-online": ("start: 2026-12-03T18:30\nend: 2026-12-03T20:00\nonline: https://meet.example.org/v\n", True),
}


def uids(path: Path) -> set[str]:
    return {str(e["uid"]).split("@")[0] for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def make_site(content: Path) -> None:
    write(content / "camps/vinocamp/camp.yml", CAMP)
    for folder, (text, _) in EDITIONS.items():
        write(content / "camps/vinocamp" / folder / "edition.yml", text)
    write(content / "camps/greencamp/camp.yml", "name: Greencamp\ntimezone: Europe/Paris\n")
    write(content / "camps/greencamp/2023-a/edition.yml", "start: 2023-04-01T09:30\nend: 2023-04-01T18:00\n")


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("window") / "content"
    make_site(content)
    out = content.parent / "out"
    result = build_site(content, out, now=NOW, search=False)
    assert result.ok, result.problems
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("window-published")
    make_site(folder / "content")
    settings = write(folder / "publishconf.py",
                     f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                     f"THEME = {str(ROOT / 'themes/campsite')!r}\nPATH = 'content'\n"
                     "SITEURL = 'https://cal.example.org'\nRELATIVE_URLS = False\n")
    from campsite.build import build

    sys.modules.pop("pelicanconf", None)
    result = build(settings, content=folder / "content", output=folder / "public", now=NOW, quiet=True, search=False)
    assert result.ok, result.problems
    return folder / "public"


def test_subscribable_calendars_hold_the_recent_window(local):
    window = {f"vinocamp/{folder}" for folder, (_, kept) in EDITIONS.items() if kept}
    assert uids(local / "calendar.ics") == window
    assert uids(local / "vinocamp/calendar.ics") == window
    (city,) = [p for p in local.rglob("calendar.ics") if "bordeaux" in str(p.parent).lower()]
    assert uids(city) == window - {"vinocamp/2026-online"}
    # A camp with nothing recent: its last edition (a calendar with no event is invalid), and its archive.
    assert uids(local / "greencamp/calendar.ics") == {"greencamp/2023-a"}
    assert uids(local / "greencamp/calendar-2023.ics") == {"greencamp/2023-a"}


def test_every_year_is_archived_beside_each_subscribable_calendar(local):
    everything = {f"vinocamp/{folder}" for folder in EDITIONS} | {"greencamp/2023-a"}
    archives = sorted(local.glob("calendar-*.ics"))
    assert [p.name for p in archives] == [f"calendar-{y}.ics" for y in (2019, 2023, 2024, 2025, 2026, 2027)]
    found = set()
    for path in archives:
        year = int(path.stem.split("-")[1])
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert all(e.decoded("dtstart").year == year for e in events)
        found |= uids(path)
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(year) in str(calendar["x-wr-calname"])
    assert found == everything
    camp = set().union(*(uids(p) for p in (local / "vinocamp").glob("calendar-*.ics")))
    assert camp == {f"vinocamp/{folder}" for folder in EDITIONS}


def test_windowed_events_are_the_same_as_the_editions_own(local):
    """UID, SEQUENCE, DTSTAMP are untouched by the window."""
    site = {str(e["uid"]): e for e in icalendar.Calendar.from_ical((local / "calendar.ics").read_bytes())
            .walk("VEVENT")}
    for uid, event in site.items():
        (own,) = icalendar.Calendar.from_ical((local / uid.split("@")[0] / "event.ics").read_bytes()).walk("VEVENT")
        for key in ("uid", "sequence", "dtstamp", "dtstart", "summary", "status"):
            assert event.get(key) == own.get(key), (uid, key)
    assert str(site["vinocamp/2026-cancelled@campsite.example.org"]["status"]) == "CANCELLED"


def test_local_subscription_page_offers_no_address_to_paste(local):
    doc = lxml.html.fromstring((local / "subscribe/index.html").read_bytes())
    assert doc.xpath("//input[@readonly] | //input[contains(@class, 'calendar-url')]") == []
    hrefs = doc.xpath("//a/@href")
    assert not [h for h in hrefs if h.startswith(("webcal:", "http://127.", "http://localhost"))]
    assert not [h for h in hrefs if "calendar.google.com" in h or "outlook" in h]
    assert doc.xpath("//p[contains(@class, 'local-build')]")
    # The files are still there to download, archives included.
    for href in doc.xpath("//a[@download]/@href"):
        assert (local / "subscribe" / href).resolve().is_file(), href
    camp = lxml.html.fromstring((local / "vinocamp/subscribe/index.html").read_bytes())
    assert camp.xpath("//input[contains(@class, 'calendar-url')]") == []
    assert camp.xpath("//p[contains(@class, 'local-build')]")


def test_subscription_page_is_grouped(published):
    doc = lxml.html.fromstring((published / "subscribe/index.html").read_bytes())
    headings = [h.text_content().strip() for h in doc.xpath("//section[contains(@class, 'subscription')]/h2")]
    assert len(headings) == 3, headings  # the site's, the camps', the cities'
    assert headings == ["campsite — barcamps et apéros", "Chaque camp", "Chaque ville"]
    assert len(doc.xpath("//section[@class='subscription']")) == 1
    assert doc.xpath("//input[@class='calendar-url']/@value") == ["https://cal.example.org/calendar.ics"]
    camps = doc.xpath("//section[@aria-labelledby='cal-camps']//li")
    assert [li.xpath("string(strong)") for li in camps] == ["Greencamp", "Vinocamp"]
    vinocamp = camps[1]
    assert_subscription_links(vinocamp.xpath(".//a/@href"), "https://cal.example.org/vinocamp/calendar.ics")
    archives = vinocamp.xpath(".//span[@class='calendar-archives']/a")
    assert [a.text for a in archives] == ["2019", "2024", "2025", "2026", "2027"]
    assert archives[0].get("href") == "https://cal.example.org/vinocamp/calendar-2019.ics"
    cities = doc.xpath("//section[@aria-labelledby='cal-cities']//li")
    assert [li.xpath("string(strong)") for li in cities] == ["Bordeaux"]
    # Every address on the page is absolute.
    for href in doc.xpath("//section[contains(@class, 'subscription')]//a/@href"):
        assert href.startswith(("https://", "webcal://")), href
    assert not doc.xpath("//p[contains(@class, 'local-build')]")


def add_links(out: Path, folder: str) -> tuple[dict, dict]:
    doc = lxml.html.fromstring((out / "vinocamp" / folder / "index.html").read_bytes())
    google = doc.xpath("//ul[@class='calendar-apps']//a[contains(@href, 'calendar.google.com')]/@href")
    outlook = doc.xpath("//ul[@class='calendar-apps']//a[contains(@href, 'outlook.live.com')]/@href")
    assert len(google) == 1 and len(outlook) == 1
    assert google[0].startswith("https://calendar.google.com/calendar/render?")
    assert outlook[0].startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    single = lambda link: {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}  # noqa: E731
    return single(google[0]), single(outlook[0])


def test_edition_pages_add_the_event_to_google_and_outlook(published):
    google, outlook = add_links(published, "2027-angers")
    assert google["action"] == "TEMPLATE" and google["text"] == outlook["subject"]
    assert google["dates"] == "20270320T083000Z/20270320T170000Z"  # Paris is UTC+1 in March
    assert outlook["startdt"] == "2027-03-20T08:30:00Z" and outlook["enddt"] == "2027-03-20T17:00:00Z"
    assert google["location"] == outlook["location"] == "La Cité du Vin, 134 quai de Bacalan, 33300 Bordeaux"
    assert "https://cal.example.org/vinocamp/2027-angers/" in google["details"]
    assert outlook["path"] == "/calendar/action/compose" and outlook["rru"] == "addevent"
    assert "allday" not in outlook
    # all day: DATE/DATE, with the exclusive end day, as in the .ics
    google, outlook = add_links(published, "2027-all-day")
    assert google["dates"] == "20270911/20270913"
    assert outlook["allday"] == "true" and (outlook["startdt"], outlook["enddt"]) == ("2027-09-11", "2027-09-13")
    # online: the address is the place
    google, outlook = add_links(published, "2026-online")
    assert google["location"] == outlook["location"] == "https://meet.example.org/v"
    assert google["dates"] == "20261203T173000Z/20261203T190000Z"


def test_an_edition_with_no_end_ends_when_it_starts(tmp_path, site_dir):
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2027-a/edition.yml", "start: 2027-07-01T18:30\n")
    assert build_site(site_dir, tmp_path / "out", now=NOW, search=False).ok
    google, outlook = add_links(tmp_path / "out", "2027-a")
    assert google["dates"] == "20270701T163000Z/20270701T163000Z"
    assert outlook["startdt"] == outlook["enddt"] == "2027-07-01T16:30:00Z"
    first = (tmp_path / "out/vinocamp/2027-a/index.html").read_bytes()
    assert build_site(site_dir, tmp_path / "again", now=NOW, search=False).ok
    assert (tmp_path / "again/vinocamp/2027-a/index.html").read_bytes() == first  # deterministic


def test_a_large_site_calendars_stay_small(tmp_path):
    """Many editions a year over many years: each subscribable calendar
    holds about thirteen months of them, whatever the archive's length."""
    content = tmp_path / "content"
    write(content / "camps/bigcamp/camp.yml", "name: Bigcamp\ntimezone: Europe/Paris\n")
    count = 0
    for year in range(2012, 2028):
        for month in range(1, 13):
            for day in (3, 17):
                folder = f"{year}-{month:02d}-{day:02d}"
                write(content / f"camps/bigcamp/{folder}/edition.yml",
                      f"start: {year}-{month:02d}-{day:02d}T18:30\nend: {year}-{month:02d}-{day:02d}T21:00\n"
                      f"summary: {'Une soirée de sessions ouvertes. ' * 6}\n")
                count += 1
    assert build_site(content, tmp_path / "out", now=NOW, search=False).ok
    out = tmp_path / "out"
    window = uids(out / "calendar.ics")
    # From the window's start (2025-11-21) to the last to come: December 2025, 2026 and 2027.
    starts = sorted(window)
    assert starts[0] == "bigcamp/2025-12-03" and starts[-1] == "bigcamp/2027-12-17"
    assert len(window) == 50
    archive = sum((out / f"calendar-{y}.ics").stat().st_size for y in range(2012, 2028))
    whole = (out / "calendar.ics").stat().st_size
    # In proportion to the archive (the large benchmark site: 6,000 editions over ten years).
    assert whole < archive * (len(window) + 2) / count


def test_the_benchmark_sites_calendars_are_under_their_share_of_a_megabyte(tmp_path):
    """The small benchmark site (benchmarks/synthetic.py, as `invoke bench`
    builds it): every subscribable calendar is under 1 MB in proportion to
    the large site's editions (6,000 over the same ten years), so that the
    large site's are under 1 MB. `benchmarks/run.py large` measures them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from run import NOW as BENCH_NOW
        from run import SEED
        from synthetic import SIZES, generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    small, large = SIZES["small"], SIZES["large"]
    editions = small.camps * small.editions_per_camp
    generate(tmp_path / "content", small, SEED)
    assert build_site(tmp_path / "content", tmp_path / "out", now=BENCH_NOW, search=False).ok
    calendars = list((tmp_path / "out").rglob("calendar.ics"))
    assert len(calendars) > small.camps
    limit = 1_000_000 * editions / (large.camps * large.editions_per_camp)
    for path in calendars:
        assert path.stat().st_size <= limit, (path, path.stat().st_size, limit)
    # All its editions are in the site's archives.
    archived = set().union(*(uids(p) for p in (tmp_path / "out").glob("calendar-*.ics")))
    assert len(archived) == editions
