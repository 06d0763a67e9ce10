"""Every calendar as the real readers read it (issue 20): ical.js
(Thunderbird) and node-ical under node, libical (Evolution) through a tiny C
program, and khal fed by vdirsyncer from a local HTTP server. Every start
and end instant must be the one zoneinfo gives the model's times, for the
example site and for a fixture crossing both DST changes of Paris (and
Toronto's). The readers are installed by `invoke test` (tasks.py); a reader
that is missing skips its own cases and says why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from conftest import serving, write
from test_calendar_apps import DOMAIN, build_dst_site, expected_instants, load

READERS_DIR = Path(__file__).parent / "readers"
NODE_MODULES = READERS_DIR / "node_modules"
INSTALL_STATUS = READERS_DIR / ".install-status.json"  # written by tasks.py
BIN = Path(sys.executable).parent
READERS = ["ical.js", "node-ical", "libical", "khal"]
# The readers run as someone in Paris would: their own zone must not matter.
ENVIRON = {**os.environ, "TZ": "Europe/Paris", "LC_ALL": "C.UTF-8"}


def install_failure(name: str) -> str | None:
    """Why tasks.py could not install `name`, if it said so."""
    try:
        return json.loads(INSTALL_STATUS.read_text(encoding="utf-8")).get(name)
    except (OSError, ValueError):
        return None


def skip_missing(name: str, what: str) -> None:
    why = install_failure(name)
    pytest.skip(f"{what}: {why}" if why else f"{what} (`invoke test` installs it)")


# --- Readers: each returns [{file, uid, recurrence, all_day, start, end}] ------

def read_with_node(reader: str, files: list[Path], tmp: Path) -> list[dict]:
    if not shutil.which("node"):
        skip_missing("node", "node not installed")
    if not (NODE_MODULES / reader / "package.json").is_file():
        skip_missing("npm", f"npm install failed: {reader} is not in {NODE_MODULES}")
    done = subprocess.run(["node", str(READERS_DIR / "read.mjs"), reader, *map(str, files)],
                          capture_output=True, text=True, timeout=300, env=ENVIRON)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def read_with_libical(files: list[Path], tmp: Path) -> list[dict]:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        skip_missing("libical-dev", "no C compiler (gcc) to build the libical reader")
    if not Path("/usr/include/libical/ical.h").is_file():
        skip_missing("libical-dev", "libical-dev not installed")
    program = tmp / "read_libical"
    built = subprocess.run([compiler, "-O", "-o", str(program), str(READERS_DIR / "read_libical.c"), "-lical"],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    done = subprocess.run([str(program), *map(str, files)], capture_output=True, text=True, timeout=300, env=ENVIRON)
    assert done.returncode == 0, done.stderr
    found = []
    for line in done.stdout.splitlines():
        file, uid, recurrence, zone, start, end = line.split("\t")
        found.append({"file": file, "uid": uid, "recurrence": None if recurrence == "-" else recurrence,
                      "all_day": zone == "date", "zone": zone, "start": start, "end": None if end == "-" else end})
    return found


def read_with_khal(files: list[Path], tmp: Path) -> list[dict]:
    """Each file served on 127.0.0.1, synced by vdirsyncer (as a subscriber
    does) into a vdir of its own, listed by khal in Paris time."""
    khal, vdirsyncer = BIN / "khal", BIN / "vdirsyncer"
    for command in (khal, vdirsyncer):
        if not command.is_file():
            skip_missing(command.name, f"{command.name} not installed (pip install -e '.[test]')")
    from vdirsyncer.vobject import Item, split_collection

    root = Path(os.path.commonpath([f.parent for f in files]))
    with serving(root) as base:
        names, hashes = {}, {}
        sync, calendars = ['[general]\nstatus_path = "%s"\n' % (tmp / "status")], []
        for number, path in enumerate(files):
            name = f"c{number}"
            names[name] = path
            # vdirsyncer's http storage replaces each UID with a hash of the item
            # (HttpStorage._ignore_uids): its own function maps them back.
            for raw in split_collection(path.read_bytes().decode("utf-8")):
                item = Item(raw)
                hashes[(name, item.hash)] = item.uid
            vdir = tmp / "vdir" / name
            vdir.mkdir(parents=True)
            url = f"{base}{path.relative_to(root).as_posix()}"
            sync.append(f'[pair {name}]\na = "{name}_web"\nb = "{name}_vdir"\ncollections = null\n'
                        f'conflict_resolution = "a wins"\n[storage {name}_web]\ntype = "http"\nurl = "{url}"\n'
                        f'[storage {name}_vdir]\ntype = "filesystem"\npath = "{vdir}"\nfileext = ".ics"\n')
            calendars.append(f"[[{name}]]\npath = {vdir}\n")
        config = write(tmp / "vdirsyncer.conf", "\n".join(sync))
        for step in ("discover", "sync"):
            done = subprocess.run([str(vdirsyncer), "-c", str(config), step], capture_output=True, text=True,
                                  timeout=600, env=ENVIRON, input="")
            assert done.returncode == 0, done.stderr[-2000:]
    stamp = "%Y-%m-%dT%H:%M:%S%z"
    khal_config = write(tmp / "khal.conf", "[calendars]\n" + "".join(calendars) + (
        f"[locale]\nlocal_timezone = Europe/Paris\ndefault_timezone = Europe/Paris\ntimeformat = %H:%M\n"
        f"dateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = {stamp}\n"
        f"longdatetimeformat = {stamp}\n[sqlite]\npath = {tmp / 'khal.db'}\n"))
    done = subprocess.run([str(khal), "-c", str(khal_config), "list", "--day-format", "",
                           "--format", "{calendar}\t{uid}\t{all-day}\t{start-long}\t{end-long}",
                           "1990-01-01", "2100-01-01"],
                          capture_output=True, text=True, timeout=600, env=ENVIRON)
    assert done.returncode == 0, done.stderr[-2000:]
    found, seen = [], set()
    # Not --once: it shows an event once across every calendar, and the same
    # event synced from two files has the same (hashed) UID. An event that
    # spans days is listed on each, with its own start and end.
    for line in filter(None, done.stdout.splitlines()):
        name, uid, all_day, start, end = line.split("\t")
        all_day = all_day == "True"
        if (name, uid) in seen:
            continue
        seen.add((name, uid))
        found.append({"file": str(names[name]), "uid": hashes.get((name, uid), uid), "recurrence": None,
                      "all_day": all_day, "start": start, "end": end})
    return found


def read(reader: str, files: list[Path], tmp: Path) -> list[dict]:
    tmp.mkdir(parents=True, exist_ok=True)
    if reader == "libical":
        return read_with_libical(files, tmp)
    if reader == "khal":
        return read_with_khal(files, tmp)
    return read_with_node(reader, files, tmp)


# --- What they must read ---------------------------------------------------------

@pytest.fixture(scope="module")
def dst_fixture(tmp_path_factory) -> tuple[Path, Path]:
    """test_calendar_apps.py's night camps across the DST changes: content, output."""
    return build_dst_site(tmp_path_factory.mktemp("dst-readers"))


def events_in(files: list[Path]) -> dict[tuple[str, str], bool | tuple]:
    """(file, UID) → the dates of an all-day event, or True for a timed one:
    what each file holds, so that no reader may drop an event."""
    found = {}
    for path in files:
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            start = event.decoded("dtstart")
            key = (str(path), str(event["uid"]))
            assert key not in found, key  # one VEVENT per UID and file: no RECURRENCE-ID
            found[key] = True if isinstance(start, datetime) else (start, event.decoded("dtend"))
    return found


def instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, f"floating time {text}"
    return value.astimezone(UTC)


def check_reader(reader: str, files: list[Path], expected: dict, tmp: Path) -> int:
    held = events_in(files)
    readings = read(reader, files, tmp)
    got = {}
    for reading in readings:
        key = (reading["file"], reading["uid"])
        assert key not in got, (reader, key, "read twice")
        got[key] = reading
    assert set(got) == set(held), (reader, "events lost or invented", set(held) ^ set(got))
    wrong = []
    for key, reading in sorted(got.items()):
        if held[key] is not True:  # all-day: the file's dates (DTEND the day after)
            start, end = held[key]
            assert reading["all_day"], (reader, key)
            assert date.fromisoformat(reading["start"][:10]) == start, (reader, key)
            # khal shows an all-day event's last day, not the day after it
            last = end - timedelta(days=1) if reader == "khal" else end
            assert date.fromisoformat(reading["end"][:10]) == last, (reader, key)
            continue
        assert not reading["all_day"], (reader, key)
        uid = key[1]
        assert uid in expected, (reader, key, "an event the model does not have")
        times = (instant(reading["start"]), instant(reading["end"]))
        if times != expected[uid]:
            wrong.append(f"{Path(key[0]).name} {uid}: read {times[0]} → {times[1]}, "
                         f"zoneinfo {expected[uid][0]} → {expected[uid][1]}")
    assert not wrong, f"{reader} disagrees with zoneinfo:\n" + "\n".join(wrong)
    return len(got)


@pytest.mark.parametrize("reader", READERS)
def test_the_dst_fixture_as_each_reader_reads_it(reader, dst_fixture, tmp_path):
    content, output = dst_fixture
    expected = expected_instants(load(content))
    # The first 02:30 of 25 October, as meant (the season's end), not the second.
    assert expected[f"nuitcamp/2026-saison@{DOMAIN}"][1] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    files = sorted(output.rglob("*.ics"))
    assert check_reader(reader, files, expected, tmp_path) > len(expected)


@pytest.mark.parametrize("reader", READERS)
def test_the_example_site_as_each_reader_reads_it(reader, example_site, site, tmp_path):
    files = sorted(example_site.rglob("*.ics"))
    assert len(files) > 100
    assert check_reader(reader, files, expected_instants(site), tmp_path) > 300


# --- Why the times in a DST change are written in UTC ---------------------------

PROBES = {  # UID → (local DTSTART, local DTEND, their instants as RFC 5545 3.3.5 and zoneinfo's fold=0 put them)
    "ambiguous": ("20261025T023000", "20261025T040000",
                  datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    "skipped": ("20260329T023000", "20260329T040000",
                datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 3, 29, 2, 0, tzinfo=UTC)),
}


@pytest.mark.parametrize("reader", READERS)
def test_how_each_reader_reads_a_local_time_in_a_dst_change(reader, dst_fixture, tmp_path):
    """Not campsite's output: its VTIMEZONE with TZID times in the repeated
    and the skipped hour, which campsite never writes (it writes them in
    UTC). A reader that takes the second 02:30 is the reason; it is
    reported, as an expected failure, with the hour it is off."""
    _, output = dst_fixture
    raw = (output / "nuitcamp/2026-automne/event.ics").read_bytes().decode("utf-8")
    head, rest = raw.split("BEGIN:VEVENT\r\n", 1)
    tail = rest[rest.index("BEGIN:VTIMEZONE"):]
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{uid}\r\n"
        f"DTSTART;TZID=Europe/Paris:{start}\r\nDTEND;TZID=Europe/Paris:{end}\r\nEND:VEVENT\r\n"
        for uid, (start, end, _, _) in PROBES.items())
    probe = tmp_path / "probe" / "probe.ics"
    write(probe, "")
    probe.write_bytes((head + events + tail).encode("utf-8"))
    off = []
    for reading in read(reader, [probe], tmp_path / "work"):
        _, _, start, end = PROBES[reading["uid"]]
        got = instant(reading["start"]), instant(reading["end"])
        for what, mine, meant in (("start", got[0], start), ("end", got[1], end)):
            if mine != meant:
                off.append(f"{reading['uid']} {what} {mine:%H:%M}Z, not {meant:%H:%M}Z ({(mine - meant) / timedelta(hours=1):+g} h)")
    if off:
        pytest.xfail(f"{reader}: " + "; ".join(off))
