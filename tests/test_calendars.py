"""Calendar files: parsed back with icalendar and vobject, semantics asserted."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import vobject
from conftest import EXAMPLE_CONTENT, SETTINGS, build_site, run_campsite, write
from hypothesis import given, settings
from hypothesis import strategies as st

UTC = UTC


def parse(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(path: Path) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in parse(path).walk("VEVENT")}


def archived(folder: Path) -> dict[str, icalendar.Event]:
    """Every event of the yearly archives beside a subscribable calendar (calendar-2024.ics…)."""
    return {uid: e for path in sorted(folder.glob("calendar-*.ics")) for uid, e in events(path).items()}




def test_every_calendar_parses_with_two_libraries(example_site):
    files = sorted(example_site.rglob("*.ics"))
    assert len(files) > 100
    for path in files:
        cal = parse(path)
        assert cal["prodid"] and cal["version"] == "2.0"
        parsed = vobject.readOne(path.read_text(encoding="utf-8"))
        assert {str(e.uid.value) for e in parsed.vevent_list} == {str(e["uid"]) for e in cal.walk("VEVENT")}


def test_one_uid_per_edition_in_every_file(example_site, site):
    everywhere = archived(example_site)
    assert len(everywhere) == len(site.editions)
    assert set(events(example_site / "calendar.ics")) < set(everywhere)  # the recent window
    for edition in site.editions:
        uid = f"{edition.id}@campsite.example.org"
        assert uid in everywhere
        assert uid in archived(example_site / edition.camp.slug)
        assert list(events(example_site / edition.path / "event.ics")) == [uid]
        if edition.sessions:
            in_sessions = events(example_site / edition.path / "sessions.ics")
            assert uid in in_sessions and len(in_sessions) == len(edition.sessions) + 1
        for key in ("sequence", "dtstamp", "dtstart"):
            assert everywhere[uid].get(key) == events(example_site / edition.path / "event.ics")[uid].get(key)


def test_cancelled_and_past_editions_stay(example_site, site):
    everywhere = archived(example_site)
    cancelled = [e for e in site.editions if e.status.value == "cancelled"]
    assert cancelled
    for edition in cancelled:
        assert everywhere[f"{edition.id}@campsite.example.org"]["status"] == "CANCELLED"
    postponed = next(e for e in site.editions if e.status.value == "postponed")
    assert everywhere[f"{postponed.id}@campsite.example.org"]["status"] == "TENTATIVE"
    assert any(e.start.year == 2024 for e in site.editions)
    assert all(f"{e.id}@campsite.example.org" in everywhere for e in site.editions)


def test_times_carry_their_zone_with_a_vtimezone(example_site, site):
    files = [example_site / "calendar.ics", *sorted(example_site.glob("calendar-*.ics"))]
    zones = {str(tz["tzid"]) for path in files for tz in parse(path).walk("VTIMEZONE")}
    used = {e.timezone.key for e in site.editions if not e.all_day}
    assert used <= zones and "Indian/Reunion" in zones
    for uid, event in archived(example_site).items():
        for key in ("dtstart", "dtend"):
            if key not in event:
                continue
            value = event.decoded(key)
            if isinstance(value, datetime):  # no floating local times
                assert value.tzinfo is not None, uid
                assert event[key].params.get("TZID") in zones or value.utcoffset() == timedelta(0), uid


def test_all_day_editions_are_dates_with_exclusive_end(example_site, site):
    edition = next(e for e in site.editions if e.all_day and e.is_multi_day)
    event = events(example_site / edition.path / "event.ics")[f"{edition.id}@campsite.example.org"]
    assert event.decoded("dtstart") == edition.first_day
    assert event.decoded("dtend") == edition.last_day + timedelta(days=1)
    assert event["dtstart"].params.get("VALUE") in (None, "DATE")
    assert "DTSTART;VALUE=DATE:" in (example_site / edition.path / "event.ics").read_text()


def test_lines_are_folded_with_crlf_and_whole_characters(example_site):
    for path in sorted(example_site.rglob("*.ics"))[:40]:
        raw = path.read_bytes()
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
        for line in raw.split(b"\r\n"):
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # a folded line never splits a character


def test_instants_are_right_across_a_dst_change(site_dir, tmp_path):
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2026-a/edition.yml", "start: 2026-10-24T09:30\nend: 2026-10-24T18:00\n")
    write(site_dir / "camps/vinocamp/2026-b/edition.yml", "start: 2026-10-25T09:30\nend: 2026-10-25T18:00\n")
    write(site_dir / "camps/vinocamp/2026-c/edition.yml",
          "start: 2026-10-25T02:30+01:00\nend: 2026-10-25T04:00\ntimezone: Europe/Paris\n")
    out = tmp_path / "out"
    assert build_site(site_dir, out).ok
    starts = {uid.split("@")[0]: e.decoded("dtstart").astimezone(UTC) for uid, e in events(out / "calendar.ics").items()}
    assert starts["vinocamp/2026-a"] == datetime(2026, 10, 24, 7, 30, tzinfo=UTC)
    assert starts["vinocamp/2026-b"] == datetime(2026, 10, 25, 8, 30, tzinfo=UTC)
    assert starts["vinocamp/2026-c"] == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    parsed = vobject.readOne((out / "calendar.ics").read_text(encoding="utf-8"))
    by_uid = {e.uid.value: e.dtstart.value.astimezone(UTC) for e in parsed.vevent_list}
    assert by_uid["vinocamp/2026-b@campsite.example.org"] == datetime(2026, 10, 25, 8, 30, tzinfo=UTC)


def git(repo: Path, *args: str, when: str = "2026-01-01T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def repo_site(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    content = repo / "content"
    write(content / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(content / "camps/vinocamp/2026-reims/edition.yml", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", when="2026-01-01T12:00:00+00:00")
    return content


def the_event(out: Path) -> icalendar.Event:
    (event,) = events(out / "vinocamp/2026-reims/event.ics").values()
    return event


def test_a_committed_change_raises_sequence_in_place(tmp_path):
    content = repo_site(tmp_path)
    assert build_site(content, tmp_path / "one").ok
    before = the_event(tmp_path / "one")
    assert before["sequence"] == 1  # one commit added camp.yml and edition.yml
    write(content / "camps/vinocamp/2026-reims/edition.yml",
          "start: 2026-06-20T09:30\nend: 2026-06-20T18:00\nstatus: rescheduled\nprevious_start: 2026-06-13T09:30\n")
    git(content.parent, "commit", "-qam", "reschedule", when="2026-02-01T08:00:00+00:00")
    assert build_site(content, tmp_path / "two").ok
    after = the_event(tmp_path / "two")
    assert after["uid"] == before["uid"]
    assert after["sequence"] == before["sequence"] + 1
    assert after.decoded("dtstamp") == datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    assert after.decoded("last-modified") == datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    assert after.decoded("dtstart").date() == date(2026, 6, 20)


def test_a_shallow_clone_is_reported(tmp_path):
    content = repo_site(tmp_path)
    write(content / "camps/vinocamp/2026-reims/edition.yml", "start: 2026-06-14T09:30\n")
    git(content.parent, "commit", "-qam", "second")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{content.parent}", str(clone)], check=True)
    write(clone / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\nTHEME = {str(SETTINGS.parent / 'themes/campsite')!r}\n")
    result = run_campsite("build", "-s", "conf.py", "-o", str(tmp_path / "out"), "--now", "2026-01-01T00:00", cwd=clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shallow" in result.stderr and "fetch-depth: 0" in result.stderr


def test_without_git_sequence_is_zero_and_dtstamp_the_file_time(site_dir, tmp_path):
    edition = write(site_dir / "camps/vinocamp/2026-reims/edition.yml", "start: 2026-06-13T09:30\n")
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\n")
    stamp = datetime(2025, 12, 24, 18, 0, tzinfo=UTC).timestamp()
    for path in (edition, site_dir / "camps/vinocamp/camp.yml"):
        os.utime(path, (stamp, stamp))
    assert build_site(site_dir, tmp_path / "out").ok
    event = the_event(tmp_path / "out")
    assert event["sequence"] == 0
    assert event.decoded("dtstamp") == datetime(2025, 12, 24, 18, 0, tzinfo=UTC)


def test_pages_link_their_calendars(example_site, site):
    import lxml.html

    edition = next(e for e in site.editions if e.sessions)
    doc = lxml.html.fromstring((example_site / edition.path / "index.html").read_bytes())
    links = doc.xpath("//ul[@class='calendar-links']//a/@href")
    assert [(example_site / edition.path / link).resolve().name for link in links] == ["event.ics", "sessions.ics"]
    assert all((example_site / edition.path / link).resolve().is_file() for link in links)
    camp = lxml.html.fromstring((example_site / edition.camp.slug / "index.html").read_bytes())
    (subscribe,) = camp.xpath("//section[@aria-labelledby='follow']//a[contains(@href, 'subscribe')]/@href")
    assert (example_site / edition.camp.slug / subscribe / "index.html").resolve().is_file()


def test_subscription_pages_offer_webcal_google_and_outlook(tmp_path):

    import lxml.html
    from campsite.build import build
    from conftest import EXAMPLE_NOW, ROOT

    out = tmp_path / "public"
    assert build(ROOT / "publishconf.py", content=EXAMPLE_CONTENT, output=out, now=EXAMPLE_NOW, quiet=True).ok
    doc = lxml.html.fromstring((out / "vinocamp/subscribe/index.html").read_bytes())
    links = doc.xpath("//section[@class='subscription']//a/@href")
    assert_subscription_links(links, "https://campsite.example.org/vinocamp/calendar.ics")
    assert doc.xpath("//input[@class='calendar-url']/@value") == ["https://campsite.example.org/vinocamp/calendar.ics"]
    whole = lxml.html.fromstring((out / "subscribe/index.html").read_bytes())
    names = whole.xpath("//section[contains(@class, 'subscription')]/h2/text()")
    assert names == ["campsite — barcamps et apéros", "Chaque camp", "Chaque ville"]  # grouped
    assert "Vinocamp" in whole.xpath("//section[@aria-labelledby='cal-camps']//li/strong/text()")


def assert_subscription_links(links: list[str], calendar: str) -> None:
    """The links that subscribe to `calendar` (its https:// address): webcal:,
    Google Calendar's (the webcal: address) and Outlook's (the https: one)."""
    webcal = "webcal://" + calendar.removeprefix("https://")
    assert webcal in links
    google = next(link for link in links if "calendar.google.com" in link)
    assert parse_qs(urlsplit(google).query)["cid"] == [webcal]
    outlook = next(link for link in links if "outlook.live.com" in link)
    assert parse_qs(urlsplit(outlook).query)["url"] == [calendar]


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=160)
       | st.text("aé€😀\\^;:,", min_size=60, max_size=90))
def test_the_folding_fast_path_folds_as_icalendar_does(line):
    """ical_fold passes short lines by icalendar's character loop: every
    line, near the 75-octet limit above all, folds as the loop folds it."""
    import campsite.calendars  # noqa: F401 -- which installs it

    fold = icalendar.parser.content_line._foldline
    assert hasattr(fold, "original"), "the fast path is installed (campsite.calendars imports it)"
    assert fold(line) == fold.original(line)
