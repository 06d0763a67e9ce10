"""Calendar files as calendar apps read them (issue 20): VTIMEZONEs that
agree with zoneinfo, times in a DST change written in UTC, cancelled events
that say so in their title, and no METHOD. Real sites are built and their
.ics files parsed back with icalendar and vobject (and dateutil, through
vobject, for the files' own VTIMEZONEs)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from conftest import ROOT, build_site, write

DOMAIN = "campsite.example.org"
FIXTURE_NOW = "2026-01-15T12:00:00+01:00"

# A night camp in Paris whose editions and sessions cross both changes of
# 2026 (29 March, 02:00 → 03:00; 25 October, 03:00 → 02:00), with the
# ambiguous 02:30 of October as first and second occurrence, and a camp in
# Toronto crossing its own (8 March, 1 November).
FIXTURE = {
    "nuitcamp/camp.yml": "name: Nuitcamp\ntimezone: Europe/Paris\n"
                         "organisers:\n  - {name: Ana Nuit}\n  - {name: Bo Nuit, email: bo@nuit.example.org}\n",
    "nuitcamp/2026-printemps/edition.yml": "start: 2026-03-28T20:00\nend: 2026-03-29T05:00\n",
    "nuitcamp/2026-printemps/sessions.yml": """sessions:
  - {title: Avant le saut, room: Cave, start: "2026-03-28T23:30", end: "2026-03-29T01:30"}
  - {title: Par-dessus le saut, room: Cave, start: "2026-03-29T01:30", end: "2026-03-29T03:30"}
  - {title: Juste après le saut, room: Grange, start: "2026-03-29T03:00", end: "2026-03-29T04:00"}
""",
    "nuitcamp/2026-automne/edition.yml": "start: 2026-10-24T20:00\nend: 2026-10-25T05:00\n",
    "nuitcamp/2026-automne/sessions.yml": """sessions:
  - {title: Jusqu'au premier 02h30, room: Cave, start: "2026-10-25T01:30", end: "2026-10-25T02:30+02:00"}
  - {title: L'heure répétée, room: Cave, start: "2026-10-25T02:30+02:00", end: "2026-10-25T02:30+01:00"}
  - {title: Depuis le second 02h30, room: Cave, start: "2026-10-25T02:30+01:00", end: "2026-10-25T04:00"}
  - {title: À cheval, room: Grange, start: "2026-10-25T01:45", end: "2026-10-25T03:15"}
""",
    # The whole season: from before the spring change to the first 02:30 of October.
    "nuitcamp/2026-saison/edition.yml": "start: 2026-03-27T18:00\nend: 2026-10-25T02:30+02:00\n",
    "nuitcamp/2026-annulee/edition.yml": "start: 2026-10-25T00:30\nend: 2026-10-25T02:30+01:00\n"
                                        "status: cancelled\nsummary: Une nuit blanche\n",
    "nuitcamp/2026-annulee/sessions.yml": """sessions:
  - {title: Veillée, room: Cave, start: "2026-10-25T01:00", end: "2026-10-25T02:00+02:00"}
""",
    "torontocamp/camp.yml": "name: Torontocamp\ntimezone: America/Toronto\n",
    "torontocamp/2026-spring/edition.yml": "start: 2026-03-07T22:00\nend: 2026-03-08T04:00\n",
    "torontocamp/2026-fall/edition.yml": "start: 2026-10-31T22:00\nend: 2026-11-01T01:30-04:00\n",
}


def build_dst_site(root: Path) -> tuple[Path, Path]:
    """FIXTURE built under `root`: its content folder and its output."""
    content = root / "content"
    for path, text in FIXTURE.items():
        write(content / "camps" / path, text)
    output = root / "output"
    result = build_site(content, output, now=FIXTURE_NOW)
    assert result.ok, "\n".join(map(str, result.problems)) or result.message
    return content, output


@pytest.fixture(scope="module")
def dst_site(tmp_path_factory) -> tuple[Path, Path]:
    return build_dst_site(tmp_path_factory.mktemp("dst"))


def load(content: Path):
    from campsite.errors import Problems
    from campsite.loader import load_site

    loaded, _ = load_site(content, Problems(), default_timezone="Europe/Paris", default_language="fr")
    return loaded


def expected_instants(site) -> dict[str, tuple[datetime, datetime | None]]:
    """UID → (start, end) in UTC, as zoneinfo puts the model's times."""
    found = {}
    for edition in site.editions:
        if edition.all_day:
            continue
        end = edition.end.astimezone(UTC) if edition.end else None
        found[f"{edition.id}@{DOMAIN}"] = (edition.start.astimezone(UTC), end)
        for session in edition.sessions:
            key = edition.session_keys[id(session)]
            found[f"{edition.id}/sessions/{key}@{DOMAIN}"] = (session.start.astimezone(UTC),
                                                             session.end.astimezone(UTC))
    return found


def ambiguous_or_skipped(local: datetime, zone: ZoneInfo) -> bool:
    """Whether wall-clock `local` (naive) happens twice or never in `zone`."""
    return local.replace(tzinfo=zone, fold=0).utcoffset() != local.replace(tzinfo=zone, fold=1).utcoffset()


def read_vobject(raw: str):
    """The calendar as vobject reads it in a process of its own: vobject
    keeps the first VTIMEZONE it ever read for a TZID, for every file after
    it (`registerTzinfo`), and two calendars of a site hold transitions for
    different years (each a year either side of its own events)."""
    from vobject import icalendar as vobject_icalendar

    registry = vars(vobject_icalendar)["__tzidMap"]
    registry.clear()
    vobject_icalendar.registerTzid("UTC", vobject_icalendar.utc)
    return vobject.readOne(raw)


# --- VTIMEZONE -------------------------------------------------------------

def observances(vtimezone: icalendar.Timezone) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every onset of the VTIMEZONE: (local start, TZOFFSETFROM, TZOFFSETTO), in time order."""
    found = []
    for part in vtimezone.subcomponents:
        offset_from = part.decoded("tzoffsetfrom")
        offset_to = part.decoded("tzoffsetto")
        assert "RRULE" not in part, "onsets are listed, not ruled"
        starts = [part.decoded("dtstart")]
        rdates = part.get("rdate", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts += [d.dt for d in rdate.dts]
        for start in starts:
            assert isinstance(start, datetime) and start.tzinfo is None, "a local onset"
            found.append((start, offset_from, offset_to))
    return sorted(found, key=lambda o: o[0] - o[1])


def zoneinfo_transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, timedelta]]:
    """zoneinfo's changes of UTC offset in [start, end) (UTC): (instant, new offset)."""
    found = []
    moment = start
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        step = moment + timedelta(hours=1)
        if step.astimezone(zone).utcoffset() != offset:
            low, high = moment, step
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if middle.astimezone(zone).utcoffset() == offset else (low, middle)
            offset = high.astimezone(zone).utcoffset()
            found.append((high, offset))
        moment = step
    return found


def check_vtimezone(vtimezone: icalendar.Timezone, raw: str) -> None:
    zone = ZoneInfo(str(vtimezone["tzid"]))
    onsets = observances(vtimezone)
    (first_local, first_from, first_to), *changes = onsets
    span = re.search(r"from (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})", str(vtimezone["comment"]))
    begin, end = (datetime.fromisoformat(day) for day in span.groups())
    assert first_local == begin and first_from == first_to
    assert begin.replace(tzinfo=zone).utcoffset() == first_to, zone
    # Each onset, DTSTART + TZOFFSETFROM, is a change of zoneinfo's offset, from FROM to TO.
    for local, offset_from, offset_to in changes:
        utc = (local - offset_from).replace(tzinfo=UTC)
        assert (utc - timedelta(seconds=1)).astimezone(zone).utcoffset() == offset_from, (zone, local)
        assert utc.astimezone(zone).utcoffset() == offset_to, (zone, local)
    # And every change of zoneinfo's offset in the span is one of them.
    listed = {((local - offset_from).replace(tzinfo=UTC), offset_to)
              for local, offset_from, offset_to in changes if offset_from != offset_to}
    span_utc = [moment.replace(tzinfo=zone).astimezone(UTC) for moment in (begin, end)]
    assert set(zoneinfo_transitions(zone, *span_utc)) == listed, zone
    # A reader converting with the file's own definition (vobject, through dateutil) agrees.
    (parsed,) = [tz for tz in read_vobject(raw).vtimezone_list if tz.tzid.value == zone.key]
    own = parsed.gettzinfo()
    for instant, _ in sorted(listed):
        for moment in (instant - timedelta(hours=1), instant - timedelta(seconds=1), instant,
                       instant + timedelta(minutes=30)):
            assert moment.astimezone(own).utcoffset() == moment.astimezone(zone).utcoffset(), (zone, moment)


def vtimezones(output: Path) -> dict[tuple[str, str], tuple[icalendar.Timezone, str]]:
    """Every distinct VTIMEZONE of the output's calendars, by TZID and span."""
    found = {}
    for path in sorted(output.rglob("*.ics")):
        raw = path.read_bytes().decode("utf-8")
        for vtimezone in icalendar.Calendar.from_ical(raw).walk("VTIMEZONE"):
            found.setdefault((str(vtimezone["tzid"]), str(vtimezone["comment"])), (vtimezone, raw))
    return found


def test_vtimezones_of_the_example_site_agree_with_zoneinfo(example_site, site):
    found = vtimezones(example_site)
    used = {e.timezone.key for e in site.editions if not e.all_day}
    assert used and used <= {tzid for tzid, _ in found}
    for vtimezone, raw in found.values():
        check_vtimezone(vtimezone, raw)


def test_vtimezones_of_paris_and_toronto_agree_with_zoneinfo(dst_site):
    _, output = dst_site
    found = vtimezones(output)
    assert {tzid for tzid, _ in found} == {"Europe/Paris", "America/Toronto"}
    for vtimezone, raw in found.values():
        check_vtimezone(vtimezone, raw)
    text = (output / "nuitcamp/2026-printemps/event.ics").read_bytes().decode("utf-8")
    # The spring change at the local time before it, in TZOFFSETFROM (RFC 5545, 3.6.5).
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\nRDATE:20260329T020000\r\n" in text
    toronto = (output / "torontocamp/calendar.ics").read_bytes().decode("utf-8")
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20250309T020000\r\nRDATE:20260308T020000\r\n" in toronto


# --- Instants ----------------------------------------------------------------

def read_instants(path: Path) -> dict[str, dict[str, tuple[datetime, datetime | None]]]:
    """UID → (start, end) in UTC, as icalendar and as vobject read the file."""
    raw = path.read_bytes().decode("utf-8")
    by_icalendar = {}
    for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
        if not isinstance(event.decoded("dtstart"), datetime):
            continue  # all-day: dates, test_calendars.py
        end = event.decoded("dtend").astimezone(UTC) if "dtend" in event else None
        by_icalendar[str(event["uid"])] = (event.decoded("dtstart").astimezone(UTC), end)
    by_vobject = {}
    for event in read_vobject(raw).vevent_list:
        if not isinstance(event.dtstart.value, datetime):
            continue
        end = event.dtend.value.astimezone(UTC) if hasattr(event, "dtend") else None
        by_vobject[event.uid.value] = (event.dtstart.value.astimezone(UTC), end)
    return {"icalendar": by_icalendar, "vobject": by_vobject}


def check_instants(output: Path, site) -> int:
    expected = expected_instants(site)
    checked = 0
    for path in sorted(output.rglob("*.ics")):
        for reader, instants in read_instants(path).items():
            for uid, times in instants.items():
                if uid in expected:
                    assert times == expected[uid], (reader, path.relative_to(output), uid)
                    checked += 1
    return checked


def test_every_instant_of_the_dst_fixture_reads_back_as_zoneinfo_puts_it(dst_site):
    content, output = dst_site
    site = load(content)
    expected = expected_instants(site)
    assert len(expected) == 6 + 3 + 4 + 1  # editions, sessions
    assert check_instants(output, site) > 2 * len(expected)
    # The first 02:30 of 25 October, as meant, not the second.
    season = expected[f"nuitcamp/2026-saison@{DOMAIN}"]
    assert season[1] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    events = read_instants(output / "nuitcamp/2026-saison/event.ics")
    assert events["vobject"][f"nuitcamp/2026-saison@{DOMAIN}"][1] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_every_instant_of_the_example_site_reads_back_as_zoneinfo_puts_it(example_site, site):
    assert check_instants(example_site, site) > 100


def test_times_in_a_repeated_or_skipped_hour_and_only_they_are_in_utc(dst_site):
    _, output = dst_site
    utc_times = set()
    for path in sorted(output.rglob("*.ics")):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            for key in ("dtstart", "dtend"):
                if key not in event or not isinstance(event.decoded(key), datetime):
                    continue
                value = event.decoded(key)
                if "TZID" in event[key].params:
                    zone = ZoneInfo(str(event[key].params["TZID"]))
                    assert not ambiguous_or_skipped(value.replace(tzinfo=None), zone), (path, event["uid"], key)
                else:
                    assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
                    # Written in UTC only where the local time would be ambiguous (every event here is Paris's or Toronto's).
                    zone = ZoneInfo("America/Toronto" if "toronto" in str(event["uid"]) else "Europe/Paris")
                    local = value.astimezone(zone).replace(tzinfo=None)
                    assert ambiguous_or_skipped(local, zone), (path, event["uid"], key)
                    utc_times.add((str(event["uid"]), key))
    assert (f"nuitcamp/2026-saison@{DOMAIN}", "dtend") in utc_times
    assert (f"torontocamp/2026-fall@{DOMAIN}", "dtend") in utc_times
    # The session from the first 02:30 to the second, and the one from the second on.
    assert sum(uid.startswith("nuitcamp/2026-automne/sessions/") and key == "dtstart" for uid, key in utc_times) == 2
    raw = (output / "nuitcamp/2026-saison/event.ics").read_bytes().decode("utf-8")
    assert "\r\nDTEND:20261025T003000Z\r\n" in raw and "DTSTART;TZID=Europe/Paris:20260327T180000" in raw


def test_calendars_of_the_dst_fixture_are_deterministic(dst_site, tmp_path):
    content, output = dst_site
    again = tmp_path / "again"
    assert build_site(content, again, now=FIXTURE_NOW).ok
    for path in sorted(output.rglob("*.ics")):
        assert (again / path.relative_to(output)).read_bytes() == path.read_bytes(), path


# --- Cancelled events ----------------------------------------------------------

def test_a_cancelled_edition_says_so_in_its_title_in_the_sites_language(dst_site):
    _, output = dst_site
    uid = f"nuitcamp/2026-annulee@{DOMAIN}"
    for name in ("event.ics", "sessions.ics"):
        events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(
            (output / "nuitcamp/2026-annulee" / name).read_bytes()).walk("VEVENT")}
        edition = events.pop(uid)
        assert edition["status"] == "CANCELLED"
        assert str(edition["summary"]) == "Annulé : Nuitcamp 2026"
        assert str(edition["description"]).split("\n") == ["Annulée : cette édition n'aura pas lieu",
                                                           "Une nuit blanche"]
        for session in events.values():  # the sessions of a cancelled edition are cancelled too
            assert session["status"] == "CANCELLED"
            assert str(session["summary"]) == "Annulé : Veillée"
            assert "Annulée : cette édition n'aura pas lieu" in str(session["description"]).split("\n")
    everywhere = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(
        (output / "calendar.ics").read_bytes()).walk("VEVENT")}
    assert str(everywhere[uid]["summary"]) == "Annulé : Nuitcamp 2026"
    for other, event in everywhere.items():
        if other != uid:
            assert event["status"] != "CANCELLED" and not str(event["summary"]).startswith("Annulé")


def test_the_example_sites_cancelled_editions_say_so(example_site, site):
    everywhere = {str(e["uid"]): e for path in sorted(example_site.glob("calendar-*.ics"))  # the yearly archives
                  for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    cancelled = [e for e in site.editions if e.status.value == "cancelled"]
    assert cancelled
    for edition in site.editions:
        event = everywhere[f"{edition.id}@{DOMAIN}"]
        if edition in cancelled:
            assert event["status"] == "CANCELLED"
            assert str(event["summary"]) == f"Annulé : {edition.title}"
            assert str(event["description"]).startswith("Annulée : ")
        else:
            assert str(event["summary"]) == edition.title


def test_an_english_site_writes_cancelled_in_english(site_dir, tmp_path):
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2027-reims/edition.yml",
          "start: 2027-06-12T09:30\nend: 2027-06-12T18:00\nstatus: cancelled\n")
    settings = write(tmp_path / "conf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                     f"THEME = {str(ROOT / 'themes/campsite')!r}\nDEFAULT_LANG = 'en'\n")
    from campsite.build import build

    out = tmp_path / "out"
    assert build(settings, content=site_dir, output=out, now="2027-01-01T00:00+01:00", quiet=True).ok
    (event,) = icalendar.Calendar.from_ical((out / "vinocamp/2027-reims/event.ics").read_bytes()).walk("VEVENT")
    assert event["status"] == "CANCELLED"
    assert str(event["summary"]) == "Cancelled: Vinocamp 2027"
    assert str(event["description"]).split("\n")[0] == "Cancelled: this edition will not take place"


def test_a_cancelled_edition_says_so_in_its_camps_language(site_dir, tmp_path):
    """One French site, one camp speaking English, one edition of a French
    camp held in English: each event's words follow its edition's language,
    the camp's unless the edition says otherwise, in every calendar."""
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2027-reims/edition.yml", "start: 2027-06-12T09:30\nstatus: cancelled\n")
    write(site_dir / "camps/vinocamp/2027-london/edition.yml",
          "start: 2027-07-10T09:30\nstatus: cancelled\nlanguage: en\n")
    write(site_dir / "camps/brewcamp/camp.yml", "name: Brewcamp\ntimezone: Europe/London\nlanguage: en\n")
    write(site_dir / "camps/brewcamp/2027-leeds/edition.yml", "start: 2027-05-08T10:00\nstatus: cancelled\n")
    out = tmp_path / "out"
    assert build_site(site_dir, out, now="2027-01-01T00:00+01:00").ok
    expected = {"vinocamp/2027-reims": "Annulé : Vinocamp 2027", "vinocamp/2027-london": "Cancelled: Vinocamp 2027",
                "brewcamp/2027-leeds": "Cancelled: Brewcamp 2027"}
    for path, summary in expected.items():
        for calendar in (out / path / "event.ics", out / "calendar.ics"):
            events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")}
            event = events[f"{path}@{DOMAIN}"]
            assert str(event["summary"]) == summary, calendar
            assert str(event["description"]).split("\n")[0] == (
                "Annulée : cette édition n'aura pas lieu" if summary.startswith("Annulé")
                else "Cancelled: this edition will not take place")


# --- METHOD and ORGANIZER --------------------------------------------------------

def test_no_calendar_is_an_itip_message(example_site, dst_site):
    """No METHOD (a published snapshot, RFC 5545 3.7.2): libical's iTIP check,
    which wants an ORGANIZER in every VEVENT of a METHOD:PUBLISH calendar,
    has nothing to check."""
    _, fixture = dst_site
    files = [*sorted(example_site.rglob("*.ics")), *sorted(fixture.rglob("*.ics"))]
    assert len(files) > 100
    for path in files:
        raw = path.read_bytes()
        assert b"\r\nMETHOD:" not in raw, path
        cal = icalendar.Calendar.from_ical(raw)
        assert "METHOD" not in cal and cal["version"] == "2.0"
        assert read_vobject(raw.decode("utf-8")).contents.get("method") is None


def test_an_editions_organizer_is_its_camps_first_organiser_with_an_email(dst_site, example_site, site):
    _, output = dst_site
    (event,) = icalendar.Calendar.from_ical((output / "nuitcamp/2026-automne/event.ics").read_bytes()).walk("VEVENT")
    assert str(event["organizer"]) == "mailto:bo@nuit.example.org"
    assert event["organizer"].params["CN"] == "Bo Nuit"
    (event,) = icalendar.Calendar.from_ical((output / "torontocamp/2026-fall/event.ics").read_bytes()).walk("VEVENT")
    assert "organizer" not in event  # no organiser with an email: none is invented
    edition = next(e for e in site.editions if any(p.email for p in e.camp.organisers))
    first = next(p for p in edition.camp.organisers if p.email)
    (event,) = icalendar.Calendar.from_ical((example_site / edition.path / "event.ics").read_bytes()).walk("VEVENT")
    assert str(event["organizer"]) == f"mailto:{first.email}"
