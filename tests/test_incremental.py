"""A build that reuses the last output's files gives the very bytes a plain
full build gives, whatever was changed in between: an edition edited,
added, deleted or renamed, a template or a setting changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from campsite.build import build
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, own_cache, tree_differences, write

APEROS = "camps/aperos-numeriques"


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A copy of the example site with its own theme and settings, built
    once: each test its own, so that no test starts from another's edits."""
    root = tmp_path / "incremental"
    shutil.copytree(EXAMPLE_CONTENT, root / "content")
    shutil.copytree(ROOT / "themes" / "campsite", root / "theme")
    settings(root)
    assert build_into(root, root / "output").ok
    return root


def settings(root: Path, extra: str = "") -> None:
    write(root / "pelicanconf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                                   f"THEME = 'theme'\nPATH = 'content'\n{extra}")


def build_into(root: Path, output: Path):
    return build(root / "pelicanconf.py", output=output, now=EXAMPLE_NOW, quiet=True)


def assert_same_as_a_full_build(root: Path) -> None:
    assert build_into(root, root / "output").ok  # reuses the last output
    fresh = root / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    with own_cache():
        assert build_into(root, fresh).ok  # no last output, no cache: everything made anew
    assert tree_differences(root / "output", fresh) == []


def inode(path: Path) -> int:
    return path.stat().st_ino


def test_an_edited_edition(workspace):
    untouched = workspace / "output" / "vinocamp" / "2026-bordeaux" / "index.html"
    before = inode(untouched)
    edition = workspace / "content" / APEROS / "2026-09-lyon" / "edition.yml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("Rentrée :", "Rentrée (modifié) :"),
                       encoding="utf-8")
    assert_same_as_a_full_build(workspace)
    assert inode(untouched) == before  # another camp's page came from the last build
    assert "Rentrée (modifié)" in (workspace / "output/aperos-numeriques/2026-09-lyon/index.html").read_text()


def test_an_added_edition(workspace):
    write(workspace / "content" / APEROS / "2027-01-lyon" / "edition.yml",
          "title: Apéro du Numérique Lyon — janvier 2027\nstart: 2027-01-14T19:00\nend: 2027-01-14T22:00\n"
          "venue: lyon\nsummary: Les vœux\n")
    assert_same_as_a_full_build(workspace)
    assert (workspace / "output/aperos-numeriques/2027-01-lyon/index.html").is_file()


def test_a_deleted_edition(workspace):
    shutil.rmtree(workspace / "content" / APEROS / "2026-09-lille")
    assert_same_as_a_full_build(workspace)
    assert not (workspace / "output/aperos-numeriques/2026-09-lille").exists()


def test_a_renamed_edition(workspace):
    content = workspace / "content" / APEROS
    (content / "2026-09-lyon").rename(content / "2026-09-lyon-croix-rousse")
    assert_same_as_a_full_build(workspace)
    assert (workspace / "output/aperos-numeriques/2026-09-lyon-croix-rousse/index.html").is_file()
    assert not (workspace / "output/aperos-numeriques/2026-09-lyon").exists()


def test_a_changed_template(workspace):
    card = workspace / "theme" / "templates" / "partials" / "edition_card.html"
    card.write_text(card.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    assert_same_as_a_full_build(workspace)
    assert "<!-- changed -->" in (workspace / "output" / "vinocamp" / "index.html").read_text()


def test_a_changed_setting(workspace):
    settings(workspace, "SITENAME = 'Un autre nom'\n")
    assert_same_as_a_full_build(workspace)
    assert "Un autre nom" in (workspace / "output" / "vinocamp" / "2026-bordeaux" / "index.html").read_text()


def test_a_template_showing_site_wide_data_follows_it(workspace):
    """A site's camp template showing the site's next edition, which no
    camp page's key names: renaming that edition (another camp's) must
    show the new title on every camp page (recording.py)."""
    camp = workspace / "theme" / "templates" / "camp.html"
    camp.write_text(camp.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<p id=next>{{ upcoming_editions[0].title }}</p>", 1),
        encoding="utf-8")
    assert build_into(workspace, workspace / "output").ok
    page = workspace / "output" / "vinocamp" / "index.html"
    first = lxml.html.parse(str(page)).getroot().get_element_by_id("next").text
    edition = next(p for p in (workspace / "content" / "camps").glob("*/*/edition.yml")
                   if first in p.read_text(encoding="utf-8"))
    assert "vinocamp" not in str(edition)  # another camp's: nothing of vinocamp's own changes
    edition.write_text(edition.read_text(encoding="utf-8").replace(first, first + " (renommé)"), encoding="utf-8")
    assert_same_as_a_full_build(workspace)
    assert lxml.html.parse(str(page)).getroot().get_element_by_id("next").text == first + " (renommé)"


def test_an_edited_writeup_and_the_edition_it_is_about(workspace):
    untouched = workspace / "output" / "blog" / "2026" / "mediascamp-2027-inscriptions" / "index.html"
    before = inode(untouched)
    writeup = workspace / "content" / "blog" / "merci-vinocamp-bordeaux-2026.md"
    writeup.write_text(writeup.read_text(encoding="utf-8").replace("Title: ", "Title: (revu) ", 1), encoding="utf-8")
    assert_same_as_a_full_build(workspace)
    assert inode(untouched) == before  # another article's page came from the last build
    edition_page = (workspace / "output" / "vinocamp" / "2026-bordeaux" / "index.html").read_text()
    assert "(revu)" in edition_page  # the edition lists its write-ups by title


def test_cards_are_drawn_again_with_other_fonts(workspace, monkeypatch):
    """Cards are drawn with the system's fonts, which no content file or
    setting names: a font installed or updated draws every card again."""
    from campsite import cards
    from campsite.pelican_plugin import generator

    output = workspace / "output"
    card, page = output / "vinocamp/2026-bordeaux/card.png", output / "vinocamp/2026-bordeaux/index.html"
    assert build_into(workspace, output).ok
    before = inode(card), inode(page)
    other_fonts = lambda: "[('/usr/share/fonts/another/Sans.ttf', (1, 2))]"  # noqa: E731
    monkeypatch.setattr(cards, "fonts_drawn_with", other_fonts)
    monkeypatch.setattr(generator, "fonts_drawn_with", other_fonts)
    assert build_into(workspace, output).ok
    assert inode(card) != before[0]  # drawn again
    assert inode(page) == before[1]  # pages do not show the fonts


def test_a_build_with_cold_caches_gives_the_same_bytes(workspace):
    """The caches (drawn cards, converted Markdown, the last build's manifest)
    only save time: a build without any of them writes the same files."""
    assert build_into(workspace, workspace / "output").ok
    settings(workspace, "CAMPSITE_CACHE_PATH = '.cold-cache'\n")
    cold = workspace / "cold"
    assert build_into(workspace, cold).ok
    assert (workspace / ".cold-cache" / "markdown").is_dir()  # it did start from nothing
    assert tree_differences(workspace / "output", cold) == []
