"""The organiser's workflow: scaffolding, live preview, publishing."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from campsite.errors import Problems
from campsite.scaffold import new_edition_data, next_date
from campsite.yamlfile import load_yaml
from conftest import EXAMPLE_CONTENT, ROOT, run_campsite, write


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the example site with its own settings file."""
    folder = tmp_path / "site"
    shutil.copytree(EXAMPLE_CONTENT, folder / "content")
    write(folder / "pelicanconf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
          f"THEME = {str(ROOT / 'themes/campsite')!r}\n")
    write(folder / "publishconf.py", f"exec(open({str(ROOT / 'publishconf.py')!r}).read())\n"
          f"THEME = {str(ROOT / 'themes/campsite')!r}\nPATH = 'content'\n")
    return folder


def read(path: Path) -> dict:
    return load_yaml(path, Problems()).data


def test_new_camp_then_its_first_editions(project):
    result = run_campsite("new", "camp", "archicamp", "--name", "Archicamp", cwd=project)
    assert result.returncode == 0, result.stderr
    camp = project / "content/camps/archicamp/camp.yml"
    assert camp.read_text().startswith("# yaml-language-server: $schema=../../../schemas/camp.schema.json")
    assert read(camp)["name"] == "Archicamp"
    write(project / "content/camps/archicamp/2026-nantes/edition.yml",
          "start: 2026-10-10T09:00\nend: 2026-10-10T17:30\nvenue: {name: La Fabrique, city: Nantes}\n"
          "status: cancelled\nregistration: {url: https://example.org/r, opens: 2026-09-01}\n")
    result = run_campsite("new", "edition", "archicamp", "--date", "2027-10-09", "--city", "Rennes", cwd=project)
    assert result.returncode == 0, result.stderr
    edition = read(project / "content/camps/archicamp/2027-rennes/edition.yml")
    assert edition["start"] == "2027-10-09T09:00" and edition["end"] == "2027-10-09T17:30"
    assert edition["registration"]["opens"] == "2027-08-31"  # moved by as much as the start
    assert "status" not in edition and edition["venue"] == {"name": "Lieu à préciser", "city": "Rennes"}
    uuid.UUID(edition["id"])
    check = run_campsite("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_edition_refuses_clearly(project):
    result = run_campsite("new", "edition", "vinocmp", cwd=project)
    assert result.returncode == 2 and 'no camp "vinocmp" (did you mean "vinocamp"?)' in result.stderr
    result = run_campsite("new", "edition", "vinocamp", cwd=project)
    assert result.returncode == 2 and "give --date" in result.stderr
    assert "Traceback" not in result.stderr


def test_new_camp_checks_its_values_before_writing(project):
    result = run_campsite("new", "camp", "testcamp", "--colour", "red", cwd=project)
    assert result.returncode == 2 and '"red" is not a colour' in result.stderr
    assert not (project / "content/camps/testcamp").exists()


def test_a_camp_meeting_monthly_gets_month_folders(project):
    result = run_campsite("new", "edition", "aperos-numeriques", "--date", "2027-02-11", "--city", "Lyon", cwd=project)
    assert result.returncode == 0, result.stderr
    edition = read(project / "content/camps/aperos-numeriques/2027-02-lyon/edition.yml")
    assert edition["start"].startswith("2027-02-11T") and isinstance(edition["venue"], str)


def test_a_multi_day_edition_moves_whole():
    source = {"start": "2025-09-19T14:00", "end": "2025-09-21T17:00", "id": "x", "sessions": None,
              "status": "cancelled", "previous_start": "2025-09-12T14:00", "title": "Old"}
    moved = new_edition_data(source, date(2026, 9, 18))
    assert (moved["start"], moved["end"]) == ("2026-09-18T14:00", "2026-09-20T17:00")
    assert not {"status", "previous_start", "title"} & set(moved) and moved["id"] != "x"


def test_recurrence_proposes_the_next_date():
    assert next_date("FREQ=MONTHLY;BYDAY=-1TH", date(2026, 10, 29)) == date(2026, 11, 26)
    assert next_date("FREQ=YEARLY;BYMONTH=6;BYDAY=2SA", date(2026, 6, 13)) == date(2027, 6, 12)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 -- 127.0.0.1 only
        return response.read().decode("utf-8")


def wait_for_version(base: str, version: int, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = json.loads(get(base + "__campsite/state"))
            if state["version"] >= version:
                return state
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"no build {version} within {seconds} s")


def search_ready(base: str) -> bool:
    try:
        return "pagefind" in get(base + "pagefind/pagefind.js")
    except OSError:
        return False


def test_serve_rebuilds_shows_errors_and_recovers(project):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "campsite"), "serve", "--port", str(port)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert wait_for_version(base, 1)["problems"] == []
        page = get(base + "vinocamp/")
        assert "__campsite/state" in page  # the reload script
        # The search index comes just after the pages, from beside the output.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not search_ready(base):
            time.sleep(0.2)
        assert search_ready(base)
        assert not (project / "output" / "pagefind").exists()
        entry = get(base + "pagefind/pagefind-entry.json")
        camp = project / "content/camps/vinocamp/camp.yml"
        camp.write_text(camp.read_text().replace("name: Vinocamp", "name: Vinocamp Live"))
        wait_for_version(base, 2)
        assert lxml.html.fromstring(get(base + "vinocamp/")).xpath("string(//h1)") == "Vinocamp Live"
        # The edit is indexed too, by one indexer that then stops.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and json.loads(get(base + "__campsite/state"))["indexing"]:
            time.sleep(0.2)
        assert not json.loads(get(base + "__campsite/state"))["indexing"]
        assert get(base + "pagefind/pagefind-entry.json") != entry
        edition = project / "content/camps/vinocamp/2027-angers/edition.yml"
        good = edition.read_text()
        edition.write_text("start: 2027-13-01\n")
        state = wait_for_version(base, 3)
        assert any("2027-angers/edition.yml:1" in p for p in state["problems"])
        assert "The last build stopped" in get(base + "vinocamp/")
        edition.write_text(good)
        assert wait_for_version(base, 4)["problems"] == []
        assert "Vinocamp Live" in get(base + "vinocamp/")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "Traceback" not in out + err


def test_publish_builds_with_absolute_urls(project):
    result = run_campsite("publish", "--output", str(project / "public"), "--now", "2026-11-21T12:00", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("Built ") and " pages, " in result.stdout
    assert "Processed" not in result.stderr  # Pelican's own count, which misses campsite's pages
    home = lxml.html.fromstring((project / "public/index.html").read_bytes())
    assert home.xpath("//link[@rel='canonical']/@href") == ["https://campsite.example.org/"]
