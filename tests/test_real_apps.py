"""The example site in the apps people really run (issue 20): calcurse, which
ignores STATUS, must still show a cancelled edition as cancelled;
schedule-convert and ConfClerk must credit each session to its own
presenters. calcurse, and ConfClerk with Xvfb and xdotool to drive it, are
installed by `invoke test` (tasks.py), schedule-convert by the `test` extra;
a missing app skips its own test and says why. No network: everything reads
the build, served on 127.0.0.1 where an app reads a URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import confclerk_app
import pytest
from campsite.model.site import Status
from conftest import build_site, serving, write
from lxml import etree
from test_calendar_readers import skip_missing

BIN = Path(sys.executable).parent
CANCELLED = "Annulé : "  # the example site speaks French


# --- calcurse ---------------------------------------------------------------

def calcurse(data: Path, zone: str, *args: str) -> str:
    """calcurse with its own data and config folder, in the edition's zone."""
    environ = {**os.environ, "TZ": zone, "HOME": str(data), "LC_ALL": "C.UTF-8"}
    done = subprocess.run(["calcurse", "-D", str(data), *args], capture_output=True, text=True,
                          timeout=60, env=environ)
    assert done.returncode == 0, done.stderr or done.stdout
    return done.stdout


def listing(data: Path, zone: str, day: str, days: int = 1) -> list[tuple[str, str]]:
    """calcurse's own listing of `days` days from `day` (YYYY-MM-DD), as
    (start, summary): start is HH:MM, or '*' for an all-day event."""
    out = calcurse(data, zone, "--input-datefmt", "4", "-Q", "--from", day, "--days", str(days),
                   "--format-apt", "%S\t%m\n", "--format-recur-apt", "%S\t%m\n",
                   "--format-event", "*\t%m\n", "--format-recur-event", "*\t%m\n")
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if "\t" in line]


def imported(tmp: Path, name: str, calendar: Path, zone: str) -> Path:
    data = tmp / name
    data.mkdir(parents=True)
    calcurse(data, zone, "-i", str(calendar))
    return data


def expected_summary(edition) -> str:
    return CANCELLED + edition.title if edition.status is Status.CANCELLED else edition.title


@pytest.fixture
def need_calcurse():
    if not shutil.which("calcurse"):
        skip_missing("calcurse", "calcurse not installed (Debian: apt-get install calcurse)")


def test_calcurse_shows_each_edition_as_its_calendar_says(need_calcurse, example_site, site, tmp_path):
    """Each edition's event.ics imported alone: calcurse lists it on its first
    day, at its local start, as 'Annulé : <title>' when cancelled and as its
    plain title otherwise (postponed, rescheduled, moved online included)."""
    statuses = Counter()
    for number, edition in enumerate(site.editions):
        zone = str(edition.timezone)
        data = imported(tmp_path, str(number), example_site / edition.path / "event.ics", zone)
        start = edition.start.astimezone(edition.timezone)
        shown = listing(data, zone, start.date().isoformat())
        when = "*" if edition.all_day else start.strftime("%H:%M")
        assert shown == [(when, expected_summary(edition))], edition.path
        statuses[edition.status] += 1
    assert statuses[Status.CANCELLED] >= 2 and statuses[Status.SCHEDULED] >= 2, statuses


def test_calcurse_shows_cancelled_editions_in_the_site_calendar(need_calcurse, example_site, site, tmp_path):
    """The site-wide calendar (what subscribers import): every edition of it
    that is cancelled reads 'Annulé : …' in calcurse, every other one plain."""
    import icalendar

    calendar = example_site / "calendar.ics"
    uids = {str(e.get("uid")) for e in icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")}
    zone = "Europe/Paris"
    data = imported(tmp_path, "site", calendar, zone)
    checked = Counter()
    for edition in site.editions:
        if not any(uid.startswith(edition.path + "@") for uid in uids):
            continue  # outside the calendar's window
        start = edition.start.astimezone(edition.timezone)
        day = start.date()
        # An edition far from Paris may fall on the day before or after there.
        shown = [summary for days in (-1, 0, 1)
                 for _, summary in listing(data, zone, (day.fromordinal(day.toordinal() + days)).isoformat())]
        assert expected_summary(edition) in shown, (edition.path, shown)
        if edition.status is Status.CANCELLED:
            assert edition.title not in shown, edition.path
        checked[edition.status] += 1
    assert checked[Status.CANCELLED] >= 1 and checked[Status.SCHEDULED] >= 1, checked


# --- schedule-convert -------------------------------------------------------

def schedule_convert(schedule: Path, output: Path) -> etree._ElementTree:
    """schedule-convert's command: read the frab XML, write its own frab XML."""
    command = BIN / "schedule_convert"
    if not command.is_file():
        pytest.skip("schedule-convert not installed (pip install -e '.[test]')")
    done = subprocess.run([str(command), str(schedule), "-o", str(output)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    # It logs what it could not read ("could not determine format", "Schedule
    # is empty"); one offset for the whole conference is its model, so a
    # programme across a DST change gets a warning, which is its limit.
    said = [line for line in done.stderr.splitlines() if "differs from last timezone" not in line]
    assert not said, done.stderr
    return etree.parse(str(output))


def converted_sessions(tree: etree._ElementTree) -> list[tuple]:
    """(room, HH:MM, title, presenters) of every event as schedule-convert read it."""
    return sorted((event.findtext("room"), event.findtext("start"), event.findtext("title"),
                   tuple(person.text for person in event.iterfind("persons/person")))
                  for event in tree.iterfind("day/room/event"))


def model_sessions(sessions) -> list[tuple]:
    return sorted((s.room, s.start.strftime("%H:%M"), s.title, tuple(s.hosts)) for s in sessions)


def test_schedule_convert_credits_each_session_to_its_own_presenters(example_site, site, tmp_path):
    """Every schedule.xml of the example site through schedule-convert 1.0.0:
    each session keeps its own presenters, as sessions.yml has them.
    (1.0.0 reads frab XML only: it has no reader for c3voc's schedule.json.)"""
    schedules = sorted(example_site.glob("*/*/schedule.xml"))
    with_sessions = [e for e in site.editions if e.sessions]
    assert len(schedules) == len(with_sessions) >= 2
    shared = 0
    for edition in with_sessions:
        tree = schedule_convert(example_site / edition.path / "schedule.xml", tmp_path / f"{edition.slug}.xml")
        assert converted_sessions(tree) == model_sessions(edition.sessions), edition.path
        hosts = [host for session in edition.sessions for host in session.hosts]
        shared += len(hosts) - len(set(hosts))
    assert shared >= 1, "no presenter hosts two sessions of one edition: the test would not catch the bug"


def test_schedule_convert_tells_apart_presenters_spelt_alike(site_dir, tmp_path):
    """A small site where one host is written two ways ('Zoé Martin', 'zoe
    MARTIN') and hosts share sessions: each session still has its own
    presenters in schedule-convert, the two spellings being one person."""
    write(site_dir / "camps/aperos-test/camp.yml", "name: Aperos Test\ntimezone: Europe/Paris\n")
    edition = site_dir / "camps/aperos-test/2026-04-lyon"
    write(edition / "edition.yml", "start: 2026-04-11T09:00\nend: 2026-04-12T18:00\n")
    write(edition / "sessions.yml", """sessions:
  - {title: Ouverture, room: Salle A, start: '2026-04-11T10:00', end: '2026-04-11T10:30', hosts: [Zoé Martin, Paul Durand]}
  - {title: Cartes libres, room: Salle A, start: '2026-04-11T11:00', end: '2026-04-11T12:00', hosts: [Paul Durand]}
  - {title: Vélo, room: Salle B, start: '2026-04-11T11:00', end: '2026-04-11T12:00', hosts: [zoe  MARTIN, Inès Roux]}
  - {title: Bilan, room: Salle A, start: '2026-04-12T10:00', end: '2026-04-12T11:00', hosts: [Inès Roux]}
""")
    output = tmp_path / "output"
    result = build_site(site_dir, output)
    assert result.ok, "\n".join(map(str, result.problems)) or result.message
    tree = schedule_convert(output / "aperos-test/2026-04-lyon/schedule.xml", tmp_path / "converted.xml")
    assert converted_sessions(tree) == [
        ("Salle A", "10:00", "Bilan", ("Inès Roux",)),
        ("Salle A", "10:00", "Ouverture", ("Zoé Martin", "Paul Durand")),
        ("Salle A", "11:00", "Cartes libres", ("Paul Durand",)),
        ("Salle B", "11:00", "Vélo", ("Zoé Martin", "Inès Roux")),
    ]


# --- ConfClerk --------------------------------------------------------------

def test_confclerk_shows_the_programme_with_its_presenters(example_site, site, tmp_path):
    """Every schedule.xml of the example site added to ConfClerk 0.7.1
    (Debian's `confclerk`) as a visitor adds one: Conferences > "+" > its
    URL, from a server on 127.0.0.1, the app driven under Xvfb
    (tests/confclerk_app.py). ConfClerk must list each session at its room
    and local time, for its length, with its own presenters in order, and
    give the conference its dates."""
    if package := confclerk_app.missing_package():
        skip_missing(package, f"{package} not installed")
    with_sessions = [e for e in site.editions if e.sessions]
    assert len(with_sessions) >= 2
    with serving(example_site) as base, confclerk_app.running(tmp_path / "home") as app:
        for edition in with_sessions:
            url = f"{base}{edition.path}/schedule.xml"
            app.add_schedule(url)
            shown = app.conference(url)
            assert (shown.title, shown.start, shown.end) == (
                edition.title, edition.start.date().isoformat(), edition.end.date().isoformat())
            assert shown.events == shown_sessions(edition.sessions), edition.path


def shown_sessions(sessions) -> list[confclerk_app.Event]:
    """Each session as ConfClerk should show it, from sessions.yml."""
    return sorted(confclerk_app.Event(s.room, s.start.strftime("%H:%M"), (s.end - s.start) // timedelta(minutes=1),
                                      s.title, tuple(s.hosts)) for s in sessions)
