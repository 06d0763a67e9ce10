"""The organiser's workflow: live preview, publishing (scaffolding: test_scaffold.py)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import lxml.html
import pytest
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
