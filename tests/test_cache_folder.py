"""The cache folder keeps what builds use and sheds what edits left behind
(cache_folder.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from campsite.cache_folder import SWEPT_MARK
from conftest import EXAMPLE_CONTENT, build_site, site_cache, tree_differences

DAY = 24 * 3600
EDITION = "camps/vinocamp/2026-bordeaux/edition.yml"
ARTICLE = "blog/lancement-aperos-numeriques.md"


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def build(content: Path, output: Path) -> None:
    result = build_site(content, output, search=False)
    assert result.ok, result.problems or result.message


def entries(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != SWEPT_MARK}


def age(folder: Path, days: float) -> None:
    """Make every entry, and the last sweep, `days` older."""
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            os.utime(path, (stat.st_atime - days * DAY, stat.st_mtime - days * DAY))


def digests(paths) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_entries_no_build_used_for_the_set_days_are_removed(content, tmp_path):
    cache, output = site_cache(content), tmp_path / "output"
    build(content, output)
    first = entries(cache)
    edit(content / EDITION, "title: Vinocamp Bordeaux 2026", "title: Vinocamp Garonne 2026")
    edit(content / ARTICLE, "Title: ", "Title: Nouveau : ")
    build(content, output)
    assert first <= entries(cache)  # the edit's old card, events and Markdown stay until a sweep
    edited = entries(cache) - first
    assert {e.split("/")[0] for e in edited} >= {"cards", "events", "markdown"}

    # A month on, CI builds from the kept cache into a fresh output.
    age(cache, 31)
    shutil.rmtree(output)
    build(content, output)
    kept = entries(cache)
    stale = first - kept
    assert stale and all(e.split("/")[0] in ("cards", "events", "markdown") for e in stale)
    assert edited <= kept
    # What remains is what this build used: the cards are exactly the site's.
    assert digests((cache / "cards").iterdir()) == digests(output.rglob("card*.png"))
    assert time.time() - (cache / SWEPT_MARK).stat().st_mtime < DAY

    # The pages do not depend on what the cache held.
    fresh = tmp_path / "fresh"
    shutil.rmtree(cache)
    build(content, fresh)
    assert tree_differences(output, fresh) == []


def test_a_sweep_happens_at_most_once_a_day(content, tmp_path):
    cache, output = site_cache(content), tmp_path / "output"
    build(content, output)
    age(cache, 31)
    build(content, output)  # sweeps: this one may remove what the kept pages' jobs did not use
    swept = entries(cache)
    edit(content / EDITION, "title: Vinocamp Bordeaux 2026", "title: Vinocamp Garonne 2026")
    build(content, output)
    age(cache / "cards", 31)  # the entries, not the last sweep's mark
    shutil.rmtree(output)
    build(content, output)
    assert swept <= entries(cache), "swept twice in a day"
