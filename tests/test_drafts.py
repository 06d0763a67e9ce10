"""Drafts and hidden write-ups and pages are never published (drafts.py);
`campsite serve --drafts` shows drafts, marked, to proofread them."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from conftest import build_site, content_summary, write

CAMP = "name: Vinocamp\ntimezone: Europe/Paris\n"
MARKERS = ("hx-draft-writeup", "hx-draft-blog", "hx-hidden-writeup", "hx-draft-page", "hx-hidden-page")


def site_with_drafts(content: Path) -> Path:
    write(content / "camps/vinocamp/camp.yml", CAMP)
    write(content / "camps/vinocamp/2026-bordeaux/edition.yml", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n")
    write(content / "camps/vinocamp/2026-bordeaux/retour.md",
          "Title: Retour hx-draft-writeup\nDate: 2026-06-14 10:00\nStatus: draft\nTags: brouillon-tag\n\nÀ finir.\n")
    write(content / "camps/vinocamp/2026-bordeaux/cache.md",
          "Title: Caché hx-hidden-writeup\nDate: 2026-06-15 10:00\nStatus: hidden\n\nCaché.\n")
    write(content / "blog/annonce.md", "Title: Annonce hx-draft-blog\nDate: 2026-05-01 10:00\nStatus: draft\n\nBientôt.\n")
    write(content / "blog/publie.md", "Title: Publié\nDate: 2026-05-02 10:00\n\nVoici.\n")
    write(content / "pages/projet.md", "Title: Projet hx-draft-page\nStatus: draft\n\nEn cours.\n")
    write(content / "pages/secret.md", "Title: Secret hx-hidden-page\nStatus: hidden\n\nChut.\n")
    return content


def every_file_text(output: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(output.rglob("*"))
                     if p.is_file() and "pagefind" not in p.parts)


def test_drafts_and_hidden_content_appear_nowhere(site_dir, tmp_path):
    out = tmp_path / "output"
    result = build_site(site_with_drafts(site_dir), out)
    assert result.ok, result.problems
    text = every_file_text(out)
    assert [marker for marker in MARKERS if marker in text] == []  # no page, listing, feed, calendar, sitemap
    assert "brouillon-tag" not in text and not (out / "tag/brouillon-tag").exists()
    assert not (out / "drafts").exists()
    assert "Publié" in (out / "blog/index.html").read_text(encoding="utf-8")
    _, kinds = content_summary(result.content.summary())
    assert kinds["drafts or hidden (not published)"] == 5


def test_a_draft_still_has_its_mistakes_reported(site_dir, tmp_path):
    content = site_with_drafts(site_dir)
    write(content / "blog/annonce.md", "Title: Annonce\nDate: 2026-05-01 10:00\nStatus: draft\nSave_as: index.html\n\nx\n")
    result = build_site(content, tmp_path / "output")
    assert [f"{p.path}:{p.line}: {p.field}" for p in result.problems] == ["content/blog/annonce.md:4: Save_as"]


def test_serve_s_drafts_option_shows_drafts_marked(site_dir, tmp_path):
    out = tmp_path / "output"
    assert build_site(site_with_drafts(site_dir), out, drafts=True).ok
    writeup = lxml.html.fromstring((out / "vinocamp/2026-bordeaux/retour/index.html").read_bytes())
    assert writeup.xpath("string(//p[contains(@class, 'draft')])") == (
        "Brouillon : montré seulement par campsite serve --drafts, jamais publié.")
    edition = (out / "vinocamp/2026-bordeaux/index.html").read_text(encoding="utf-8")
    assert "hx-draft-writeup" in edition  # listed with the edition, to proofread in place
    assert (out / "projet/index.html").is_file() and "hx-draft-blog" in (out / "blog/index.html").read_text()
    hidden = every_file_text(out)
    assert "hx-hidden-writeup" not in hidden and "hx-hidden-page" not in hidden  # hidden is not a draft
