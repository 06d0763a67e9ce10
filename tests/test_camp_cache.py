"""Camps kept between builds (loader/cache.py) load as they were read, and
are read again whenever anything they were made from changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from campsite import loader
from campsite.errors import Problems
from campsite.loader import load_site
from conftest import EXAMPLE_CONTENT, write

VINOCAMP = "camps/vinocamp"


@pytest.fixture
def content(tmp_path) -> Path:
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def load(content: Path, spy: list[str] | None = None, monkeypatch=None):
    """The site, its problems, and (into `spy`) the camps read from their files."""
    if spy is not None:
        read = loader._load_camp_folder

        def reading(folder, site, ctx):
            spy.append(folder.name)
            return read(folder, site, ctx)

        monkeypatch.setattr(loader, "_load_camp_folder", reading)
    problems = Problems(content.parent)
    site, ctx = load_site(content, problems, default_timezone="Europe/Paris", default_language="fr",
                          cache=content.parent / ".campsite-cache" / "camps")
    return site, ctx, list(problems)


def facts(site) -> list:
    """What pages show of each camp, edition and session."""
    return [(camp.slug, camp.name, camp.logo, [
        (e.slug, e.title, e.start.isoformat(), e.status.value, e.summary, e.camp is camp,
         [(s.title, s.room, s.start.isoformat()) for s in e.sessions])
        for e in camp.editions]) for camp in site.camps]


def test_an_unchanged_site_loads_from_the_cache_as_it_was_read(content, monkeypatch):
    first, first_ctx, problems = load(content)
    assert problems == []
    read: list[str] = []
    again, ctx, problems = load(content, read, monkeypatch)
    assert read == [] and problems == []
    assert facts(again) == facts(first)
    assert (ctx.read_files, ctx.edition_ids, ctx.assets) == (first_ctx.read_files, first_ctx.edition_ids,
                                                             first_ctx.assets)


def test_an_edited_camp_is_read_again_and_only_it(content, monkeypatch):
    load(content)
    edition = content / VINOCAMP / "2026-bordeaux" / "edition.yml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("title: ", "title: (revu) ", 1), encoding="utf-8")
    read: list[str] = []
    site, _, problems = load(content, read, monkeypatch)
    assert read == ["vinocamp"] and problems == []
    assert any(e.title.startswith("(revu) ") for e in site.camp("vinocamp").editions)


def test_a_mistake_in_a_kept_camp_is_reported_every_time(content):
    load(content)
    write(content / VINOCAMP / "2026-bordeaux" / "edition.yml", "start: 2026-13-01\n")
    for _ in range(2):  # a camp with problems is never kept
        _, _, problems = load(content)
        assert [(p.path, p.line) for p in problems] == [(f"content/{VINOCAMP}/2026-bordeaux/edition.yml", 1)]


def test_a_changed_file_outside_the_camp_it_names_is_seen(content, monkeypatch):
    shared = content / "shared"
    shared.mkdir()
    shutil.move(content / VINOCAMP / "logo.svg", shared / "logo.svg")
    camp = content / VINOCAMP / "camp.yml"
    camp.write_text(camp.read_text(encoding="utf-8").replace("logo: logo.svg", "logo: ../../shared/logo.svg"),
                    encoding="utf-8")
    assert load(content)[2] == []
    (shared / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    read: list[str] = []
    _, _, problems = load(content, read, monkeypatch)
    assert read == ["vinocamp"]
    assert [p.path for p in problems if "logo.svg" in p.message] == [f"content/{VINOCAMP}/camp.yml"]


@pytest.mark.parametrize(("original", "copy", "venue", "reported"), [
    # the copy in a camp read after the kept one; then before it
    ("aperos-numeriques/2026-12-lyon", "ruralcamp/2026-12-lyon", "grange-gueret", "ruralcamp/2026-12-lyon"),
    ("vinocamp/2024-beaune", "aperos-numeriques/2024-beaune", "paris", "vinocamp/2024-beaune"),
])
def test_an_edition_copied_into_another_camp_is_reported(content, original, copy, venue, reported):
    assert load(content)[2] == []
    shutil.copytree(content / "camps" / original, content / "camps" / copy)
    edition = content / "camps" / copy / "edition.yml"
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text.replace(next(line for line in text.splitlines() if line.startswith("venue:")),
                                    f"venue: {venue}"), encoding="utf-8")
    _, _, problems = load(content)
    assert [p.path for p in problems if "the same id as" in p.message] == [f"content/camps/{reported}/edition.yml"]
    uncached, _ = load_site(content, Problems(content.parent), default_timezone="Europe/Paris",
                            default_language="fr")
    assert facts(load(content)[0]) == facts(uncached)


def test_a_file_shared_through_a_symbolic_link_is_seen_when_changed(content, monkeypatch):
    shared = content / "shared" / "sessions.yml"  # a link inside content/: one outside is refused (tree.py)
    shared.parent.mkdir()
    sessions = content / VINOCAMP / "2026-bordeaux" / "sessions.yml"
    shutil.move(sessions, shared)
    sessions.symlink_to(shared)
    assert load(content)[2] == []
    shared.write_text(shared.read_text(encoding="utf-8") + "\n- {title: Ajoutée, start: '25:00', room: Cave}\n",
                      encoding="utf-8")
    read: list[str] = []
    _, _, problems = load(content, read, monkeypatch)
    assert read == ["vinocamp"]
    assert {p.path for p in problems} == {f"content/{VINOCAMP}/2026-bordeaux/sessions.yml"}
