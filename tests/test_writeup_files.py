"""Photos and files next to a write-up just work (links.py): relative
links as any Markdown editor writes them, checked and rewritten."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html
from conftest import SETTINGS, broken_links, build_site, write
from PIL import Image

CAMP = "name: Vinocamp\ntimezone: Europe/Paris\nwebsite: https://vinocamp.example.org\n"
WRITEUP = ("Title: Retour sur Lyon\nDate: 2026-06-14 10:00\n\n"
           "![Le tour de table](photo.jpg)\n\n![La grille](photos/grille.jpg)\n\n"
           "[Les diapos](diapos.pdf), [l'autre compte rendu](autre.md), [la grange]({static}grange.jpg), "
           "[à propos](../../../a-propos/), [plus bas](#fin).\n")


def photo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (120, 30, 60)).save(path)


def site(content: Path) -> Path:
    write(content / "camps/vinocamp/camp.yml", CAMP)
    edition = content / "camps/vinocamp/2026-lyon"
    write(edition / "edition.yml", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n")
    write(edition / "retour.md", WRITEUP)
    write(edition / "autre.md", "Title: Autre\nDate: 2026-06-15 10:00\n\nAutre.\n")
    for name in ("photo.jpg", "photos/grille.jpg", "grange.jpg"):
        photo(edition / name)
    write(edition / "diapos.pdf", "%PDF-1.4\n%\n")
    write(content / "pages/a-propos.md", "Title: À propos\n\nNous.\n")
    return content


def links_of(page: Path) -> list[str]:
    doc = lxml.html.fromstring(page.read_bytes())
    return doc.xpath("//div[@class='content']//a/@href | //div[@class='content']//img/@src")


def test_relative_links_to_files_next_to_a_write_up_resolve(site_dir, tmp_path):
    out = tmp_path / "output"
    result = build_site(site(site_dir), out)
    assert result.ok, result.problems
    page = out / "vinocamp/2026-lyon/retour/index.html"
    assert links_of(page) == [
        "../../../camps/vinocamp/2026-lyon/photo.jpg", "../../../camps/vinocamp/2026-lyon/photos/grille.jpg",
        "../../../camps/vinocamp/2026-lyon/diapos.pdf", "../../../vinocamp/2026-lyon/autre/",
        "../../../camps/vinocamp/2026-lyon/grange.jpg", "../../../a-propos/", "#fin"]
    assert broken_links(out) == ["vinocamp/2026-lyon/retour/index.html → #fin (no such anchor)"]


def test_on_a_camp_s_own_domain_the_addresses_are_that_domain_s(site_dir, tmp_path):
    from campsite.build import build

    conf = write(tmp_path / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\n"
                 f"THEME = {str(SETTINGS.parent / 'themes/campsite')!r}\nRELATIVE_URLS = False\n")
    out = tmp_path / "output"
    assert build(conf, content=site(site_dir), output=out, camp="vinocamp", now="2026-01-01T00:00", quiet=True).ok
    assert links_of(out / "2026-lyon/retour/index.html")[:2] == [
        "https://vinocamp.example.org/camps/vinocamp/2026-lyon/photo.jpg",
        "https://vinocamp.example.org/camps/vinocamp/2026-lyon/photos/grille.jpg"]
    assert (out / "camps/vinocamp/2026-lyon/photos/grille.jpg").is_file()


def test_a_link_to_a_missing_file_is_a_problem_at_its_line(site_dir, tmp_path):
    content = site(site_dir)
    write(content / "camps/vinocamp/2026-lyon/retour.md",
          WRITEUP + "\n![Oublié](oubli.jpg)\n\n[Absent]({static}absent.pdf)\n")
    result = build_site(content, tmp_path / "output")
    assert [str(p) for p in result.problems] == [
        'content/camps/vinocamp/2026-lyon/retour.md:10: file not found: "oubli.jpg" (looked in '
        "content/camps/vinocamp/2026-lyon/)",
        'content/camps/vinocamp/2026-lyon/retour.md:12: file not found: "{static}absent.pdf"',
    ]


def test_a_build_prints_no_stray_warning(site_dir, tmp_path):
    """Pelican warns on stderr of links it cannot rewrite; campsite reports
    them as problems instead, so a build that succeeds says nothing there."""
    site(site_dir)
    conf = write(tmp_path / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\n"
                 f"THEME = {str(SETTINGS.parent / 'themes/campsite')!r}\nPATH = 'content'\n")
    command = [str(Path(sys.executable).parent / "campsite"), "build", "-s", str(conf), "--no-search",
               "--now", "2026-01-01T00:00"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == "", result.stderr
