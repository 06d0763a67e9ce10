"""The example site in content/: complete, correct and reproducible."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from campsite.clock import parse_now
from campsite.errors import Problems
from campsite.loader import load_site
from conftest import (
    EXAMPLE_CONTENT,
    EXAMPLE_NOW,
    broken_links,
    build_site,
    content_summary,
    run_campsite,
    tree_differences,
)


def example_model():
    problems = Problems(EXAMPLE_CONTENT.parent)
    site, _ = load_site(EXAMPLE_CONTENT, problems, default_timezone="Europe/Paris", default_language="fr")
    assert not problems, [str(p) for p in problems]
    return site


def test_check_finds_no_problem():
    result = run_campsite("check")
    assert result.returncode == 0, result.stdout + result.stderr
    found, summary = result.stdout.strip().splitlines()
    assert found == "No problems found."
    total, kinds = content_summary(summary)
    assert total == sum(1 for f in EXAMPLE_CONTENT.rglob("*") if f.is_file())
    assert kinds["with errors"] == 0 and kinds["built into pages"] > 100


def test_the_example_covers_what_organisers_meet():
    site = example_model()
    camps = {c.slug for c in site.camps}
    assert {"vinocamp", "greencamp", "mediascamp", "ruralcamp"} <= camps
    statuses = {e.status.value for e in site.editions}
    assert {"scheduled", "cancelled", "rescheduled", "postponed", "moved-online"} <= statuses
    assert any(e.is_multi_day for e in site.editions)
    assert any(e.all_day for e in site.editions)
    assert any(e.is_hybrid for e in site.editions)
    assert any(len(e.rooms_in_use()) >= 3 and len(e.sessions) >= 10 for e in site.editions)
    now = parse_now(EXAMPLE_NOW, ZoneInfo("Europe/Paris"))
    assert any(e.is_past(now) for e in site.editions) and site.upcoming(now)
    series = max(site.camps, key=lambda c: len(c.editions))
    assert len(series.editions) >= 40 and len({e.city for e in series.editions}) >= 8


def test_every_camp_and_edition_has_its_page(example_site: Path):
    site = example_model()
    for camp in site.camps:
        assert (example_site / camp.slug / "index.html").is_file(), camp.slug
        for edition in camp.editions:
            page = example_site / edition.path / "index.html"
            title = lxml.html.fromstring(page.read_bytes()).xpath("string(//h1)")
            assert title == edition.title


def test_home_lists_upcoming_editions_in_order(example_site: Path):
    site = example_model()
    now = parse_now(EXAMPLE_NOW, ZoneInfo("Europe/Paris"))
    home = lxml.html.fromstring((example_site / "index.html").read_bytes())
    listed = home.xpath("//section[@aria-labelledby='upcoming']//h3/a/@href")
    assert [link.strip("/").removeprefix("./") for link in listed] == [
        e.path for e in site.upcoming(now)
    ]


def test_write_ups_link_to_their_edition(example_site: Path):
    site = example_model()
    linked = 0
    for edition in site.editions:
        page = lxml.html.fromstring((example_site / edition.path / "index.html").read_bytes())
        for href in page.xpath("//section[@aria-labelledby='writeups']//a/@href"):
            target = (example_site / edition.path / href).resolve() / "index.html"
            assert target.is_file(), href
            back = lxml.html.fromstring(target.read_bytes()).xpath("//p[@class='about']/a[1]/@href")
            assert (target.parent / back[0]).resolve() == (example_site / edition.path).resolve()
            linked += 1
    assert linked >= 6


def test_every_local_link_resolves(example_site: Path):
    assert broken_links(example_site) == []


def test_rebuild_is_byte_identical(example_site: Path, tmp_path):
    again = tmp_path / "again"
    assert build_site(EXAMPLE_CONTENT, again).ok
    assert tree_differences(example_site, again) == []


REVERSED_LISTINGS = """
import os
_listdir, _scandir = os.listdir, os.scandir
class _Reversed:
    def __init__(self, path):
        with _scandir(path) as entries:
            self.entries = iter(sorted(entries, key=lambda e: e.name, reverse=True))
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def __iter__(self): return self
    def __next__(self): return next(self.entries)
    def close(self): pass
os.listdir = lambda path=".": sorted(_listdir(path), reverse=True)
os.scandir = lambda path=".": _Reversed(path)
"""


def test_the_build_clock_zone_locale_workers_and_listing_order_change_nothing(tmp_path):
    """Two builds as unlike as we can make them on one machine: other time
    zones and locales, one worker or three, and the file system listing
    every folder in its usual order or reversed."""
    import os
    import subprocess
    import sys

    from conftest import EXAMPLE_NOW, SETTINGS

    outputs = []
    for zone, lang, workers, order in (("Pacific/Auckland", "C", 1, "usual"),
                                       ("America/Los_Angeles", "fr_FR.UTF-8", 3, "reversed")):
        out = tmp_path / zone.replace("/", "-")
        env = {**os.environ, "TZ": zone, "LANG": lang, "LC_ALL": lang}
        script = (REVERSED_LISTINGS if order == "reversed" else "") + "from campsite.cli import main; main()"
        result = subprocess.run(
            [sys.executable, "-c", script, "build", "-s", str(SETTINGS), "-o", str(out),
             "--now", EXAMPLE_NOW, "--workers", str(workers)], env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    assert tree_differences(*outputs) == []
