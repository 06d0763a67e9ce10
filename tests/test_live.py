"""`campsite serve`'s updates in place (live.py) give, edit after edit, the
very bytes a whole build gives, and touch nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from campsite.build import build
from campsite.live import LiveSite, Update
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, own_cache, tree_differences, write

APEROS = "camps/aperos-numeriques"
LYON = f"{APEROS}/2026-09-lyon/edition.yml"


@pytest.fixture
def live(tmp_path) -> LiveSite:
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    shutil.copytree(ROOT / "themes" / "campsite", tmp_path / "theme")
    write(tmp_path / "pelicanconf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                                       "THEME = 'theme'\nPATH = 'content'\n")
    site = LiveSite(tmp_path / "pelicanconf.py", tmp_path / "output", now=EXAMPLE_NOW)
    assert site.rebuild().ok
    return site


def edit(live: LiveSite, relative: str, old: str, new: str) -> Update:
    path = live.settings_file.parent / "content" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return live.update({path})


def assert_same_as_a_whole_build(live: LiveSite) -> None:
    fresh = live.settings_file.parent / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    with own_cache():
        assert build(live.settings_file, output=fresh, now=EXAMPLE_NOW, search=False, quiet=True).ok
    assert tree_differences(live.output, fresh) == []


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_an_edited_summary_rewrites_only_what_shows_it(live):
    before = mtimes(live.output)
    update = edit(live, LYON, "Rentrée :", "Rentrée (modifié) :")
    assert isinstance(update, Update) and update.ok, update
    page = "aperos-numeriques/2026-09-lyon/index.html"
    summary = lxml.html.parse(str(live.output / page)).xpath("string(//p[contains(@class, 'p-summary')])")
    assert summary.startswith("Rentrée (modifié) :")
    assert page in update.changed
    after = mtimes(live.output)
    touched = {path for path in after if after[path] != before.get(path)}
    assert touched == set(update.changed)  # what it says it changed, and nothing else
    assert "vinocamp/2026-bordeaux/index.html" not in touched  # another camp's edition
    assert "aperos-numeriques/2026-09-lille/index.html" not in touched  # another edition of the camp
    assert_same_as_a_whole_build(live)


def test_edits_in_a_row_to_sessions_camp_and_edition(live):
    sessions = "camps/greencamp/2024-grenoble/sessions.yml"
    room = live.output / "greencamp/2024-grenoble/now/garage/index.html"
    assert edit(live, sessions, "Atelier d'autoréparation de vélos", "Atelier vélo (déplacé)").ok
    assert_same_as_a_whole_build(live)
    camp_file = live.settings_file.parent / "content" / "camps/greencamp/camp.yml"
    camp_file.write_text(camp_file.read_text(encoding="utf-8").replace("Atelier, Jardin", "Garage, Jardin"),
                         encoding="utf-8")
    sessions_file = live.settings_file.parent / "content" / sessions
    sessions_file.write_text(sessions_file.read_text(encoding="utf-8").replace("room: Atelier", "room: Garage"),
                             encoding="utf-8")
    assert live.update({camp_file, sessions_file}).ok  # a new room page, the old one gone
    assert room.is_file() and not (live.output / "greencamp/2024-grenoble/now/atelier").exists()
    assert_same_as_a_whole_build(live)
    camp = f"{APEROS}/camp.yml"
    camp_text = (live.settings_file.parent / "content" / camp).read_text(encoding="utf-8")
    tagline = next(line for line in camp_text.splitlines() if line.startswith("tagline:"))
    assert edit(live, camp, tagline, tagline + " Et plus encore.").ok
    assert_same_as_a_whole_build(live)
    assert edit(live, LYON, "Rentrée :", "Rentrée bis :").ok
    assert_same_as_a_whole_build(live)


def home_links(live: LiveSite) -> list[str]:
    return lxml.html.parse(str(live.output / "index.html")).xpath("//a/@href")


def test_a_new_date_moves_the_edition_in_every_listing(live):
    path = live.settings_file.parent / "content" / f"{APEROS}/2027-01-lyon/edition.yml"
    assert any("2027-01-lyon" in link for link in home_links(live))  # upcoming
    path.write_text(path.read_text(encoding="utf-8").replace("2027-01-", "2026-01-"), encoding="utf-8")
    assert live.update({path}).ok  # from upcoming to past: off the home page
    assert not any("2027-01-lyon" in link for link in home_links(live))
    assert_same_as_a_whole_build(live)


def test_a_problem_leaves_the_site_as_it_was_until_fixed(live):
    before = mtimes(live.output)
    update = edit(live, LYON, "start:", "start: not a date\nstarts:")
    assert not update.ok
    assert any(p.path.endswith(LYON) for p in update.problems)
    assert mtimes(live.output) == before
    assert edit(live, LYON, "start: not a date\nstarts:", "start:").ok
    assert_same_as_a_whole_build(live)


def test_other_changes_take_a_whole_build(live):
    write(live.settings_file.parent / "content" / APEROS / "2027-02-lyon" / "edition.yml",
          "title: Apéro du Numérique Lyon — février 2027\nstart: 2027-02-14T19:00\nend: 2027-02-14T22:00\n"
          "venue: lyon\nsummary: Les vœux\n")
    result = live.update({live.settings_file.parent / "content" / APEROS / "2027-02-lyon" / "edition.yml"})
    assert not isinstance(result, Update) and result.ok
    assert (live.output / "aperos-numeriques/2027-02-lyon/index.html").is_file()
    # …and the next edit is in place again, from the new site.
    assert isinstance(edit(live, LYON, "Rentrée :", "Rentrée ter :"), Update)
    assert_same_as_a_whole_build(live)


def test_an_edited_translation_shows_at_once_and_in_the_next_build(live):
    """A theme catalogue edited while serving: the pages show the new
    words (serve lives through the edit), and a later `campsite build`
    into the same output reuses nothing made with the old ones."""
    po = live.settings_file.parent / "theme/translations/fr/LC_MESSAGES/campsite.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Prochaine édition"' in text
    po.write_text(text.replace('msgstr "Prochaine édition"', 'msgstr "La prochaine, enfin"'), encoding="utf-8")
    assert live.update({po}).ok
    heading = lxml.html.parse(str(live.output / "vinocamp/index.html")).getroot().get_element_by_id("next")
    assert heading.text_content().strip() == "La prochaine, enfin"
    assert_same_as_a_whole_build(live)
    assert build(live.settings_file, output=live.output, now=EXAMPLE_NOW, search=False, quiet=True).ok
    assert_same_as_a_whole_build(live)
