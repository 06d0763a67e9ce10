"""Building real sites: pages exist, link each other, and builds are safe."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from conftest import build_site, tree_differences, write
from PIL import Image

CAMP = "name: Vinocamp\ntimezone: Europe/Paris\ntagline: Le barcamp du vin\n"


def small_site(content: Path) -> Path:
    write(content / "camps/vinocamp/camp.yml", CAMP)
    write(
        content / "camps/vinocamp/2025-reims/edition.yml",
        "start: 2025-06-14T09:30\nend: 2025-06-14T18:00\nvenue: {name: Le Cellier, city: Reims}\n",
    )
    write(
        content / "camps/vinocamp/2025-reims/bilan.md",
        "Title: Bilan de Reims\nDate: 2025-06-16 10:00\n\nMerci ![La salle]({static}salle.jpg)\n",
    )
    (content / "camps/vinocamp/2025-reims/salle.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    write(
        content / "camps/vinocamp/2027-angers/edition.yml",
        "start: 2027-06-12T09:30\nend: 2027-06-12T18:00\nstatus: cancelled\n",
    )
    write(
        content / "camps/vinocamp/2026-bordeaux/edition.yml",
        "start: 2026-12-12T09:30\nend: 2026-12-12T18:00\nsummary: Une journée ouverte.\n",
    )
    write(
        content / "blog/merci.md",
        "Title: Merci Reims\nDate: 2025-06-20 10:00\nEdition: vinocamp/2025-reims\n\nMerci.\n",
    )
    return content


def html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def test_pages_exist_and_link_each_other(site_dir, tmp_path):
    out = tmp_path / "output"
    result = build_site(small_site(site_dir), out, now="2026-01-01T12:00+01:00")
    assert result.ok, result.problems
    camp = html(out / "vinocamp/index.html")
    camp_links = camp.xpath("//main//a/@href")
    for edition in ("2025-reims", "2026-bordeaux", "2027-angers"):
        assert (out / f"vinocamp/{edition}/index.html").is_file()
        assert any(link.endswith(f"vinocamp/{edition}/") for link in camp_links), edition
    writeup = out / "vinocamp/2025-reims/bilan/index.html"
    assert writeup.is_file()
    assert (out / "camps/vinocamp/2025-reims/salle.jpg").is_file()
    reims = html(out / "vinocamp/2025-reims/index.html")
    writeup_links = reims.xpath("//section[@aria-labelledby='writeups']//a/@href")
    assert any(link.endswith("vinocamp/2025-reims/bilan/") for link in writeup_links)
    assert any("merci" in link for link in writeup_links)
    back = html(writeup).xpath("//p[@class='about']//a/@href")
    assert any(link.endswith("vinocamp/2025-reims/") for link in back)
    assert html(writeup).xpath("//img/@src")[0].endswith("camps/vinocamp/2025-reims/salle.jpg")


def test_home_lists_upcoming_editions_soonest_first(site_dir, tmp_path):
    out = tmp_path / "output"
    assert build_site(small_site(site_dir), out, now="2026-01-01T12:00+01:00").ok
    home = html(out / "index.html")
    titles = home.xpath("//section[@aria-labelledby='upcoming']//h3/a/text()")
    assert titles == ["Vinocamp 2026", "Vinocamp 2027"]
    times = home.xpath("//section[@aria-labelledby='upcoming']//time/@datetime")
    assert times == ["2026-12-12T09:30+01:00", "2027-06-12T09:30+02:00"]


def test_now_decides_what_is_upcoming(site_dir, tmp_path):
    out = tmp_path / "output"
    assert build_site(small_site(site_dir), out, now="2027-01-01T00:00+01:00").ok
    titles = html(out / "index.html").xpath("//section[@aria-labelledby='upcoming']//h3/a/text()")
    assert titles == ["Vinocamp 2027"]


def test_edition_page_shows_venue_time_with_zone(site_dir, tmp_path):
    out = tmp_path / "output"
    assert build_site(small_site(site_dir), out).ok
    page = html(out / "vinocamp/2025-reims/index.html")
    assert page.xpath("//h1/text()") == ["Vinocamp Reims 2025"]
    when = page.xpath("//p[@class='when']")[0]
    assert when.xpath("string(time)") == "samedi 14 juin 2025, 09:30 – 18:00"
    assert when.xpath("time/@datetime") == ["2025-06-14T09:30+02:00"]
    assert when.xpath("string(span[@class='zone'])") == "(heure d’été d’Europe centrale)"
    assert when.xpath("string(span[@class='phase'])").strip() == "Passée"
    assert page.xpath("//address/strong/text()") == ["Le Cellier"]
    assert page.xpath("/html/@lang") == ["fr"]


def test_two_builds_are_byte_identical(site_dir, tmp_path):
    content = small_site(site_dir)
    first, second = tmp_path / "one", tmp_path / "two"
    assert build_site(content, first).ok and build_site(content, second).ok
    assert tree_differences(first, second) == []
    assert sum(1 for _ in first.rglob("*.html")) >= 8


def test_a_failed_build_leaves_the_previous_output_untouched(site_dir, tmp_path):
    out = tmp_path / "output"
    content = small_site(site_dir)
    assert build_site(content, out).ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write(content / "camps/vinocamp/2026-bordeaux/edition.yml", "start: 2026-13-45\n")
    result = build_site(content, out)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        'content/camps/vinocamp/2026-bordeaux/edition.yml:1: start: "2026-13-45" is not a real date or time'
    ]
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")]
    assert leftovers == []  # no half-built folder left behind


def test_removed_content_leaves_no_stale_page(site_dir, tmp_path):
    out = tmp_path / "output"
    content = small_site(site_dir)
    assert build_site(content, out).ok
    for path in (content / "camps/vinocamp/2027-angers").iterdir():
        path.unlink()
    (content / "camps/vinocamp/2027-angers").rmdir()
    write(out / "vinocamp" / "notes.txt", "a file no build wrote")
    assert build_site(content, out).ok  # over the last output: only what changed is written
    assert not (out / "vinocamp/2027-angers").exists()
    assert not (out / "vinocamp/notes.txt").exists()
    assert (out / "pagefind" / "pagefind.js").is_file()  # the search index, made again in place
    index = (out / "pagefind" / "pagefind-entry.json").stat().st_ino
    assert build_site(content, out).ok  # no page changed: the index of the same pages is kept
    assert (out / "pagefind" / "pagefind-entry.json").stat().st_ino == index
    camp = content / "camps/vinocamp/camp.yml"
    camp.write_text(camp.read_text(encoding="utf-8").replace("name: Vinocamp", "name: Vinocamp Sud"), encoding="utf-8")
    assert build_site(content, out).ok  # pages changed: indexed again
    assert (out / "pagefind" / "pagefind-entry.json").stat().st_ino != index
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_a_camp_stylesheet_or_template_is_refused(site_dir, tmp_path):
    """A camp's own CSS or templates would be contributors' code on every
    page: both are reported, nothing is written, the theme stays the site's."""
    content = small_site(site_dir)
    write(content / "camps/vinocamp/camp.css", ".camp-header { border: 2px solid; }\n")
    write(content / "camps/vinocamp/templates/edition.html",
          '{% extends "base.html" %}{% block content %}{{ cycler.__init__.__globals__ }}{% endblock %}\n')
    out = tmp_path / "output"
    result = build_site(content, out)
    assert [str(p) for p in result.problems] == [
        "content/camps/vinocamp/camp.css: campsite does not publish a camp's own stylesheet: set the camp's "
        "colour with `colour:` in camp.yml; other changes go in the site's theme",
        "content/camps/vinocamp/templates: campsite does not read a camp's own templates: templates belong to "
        "the site's theme (THEME in pelicanconf.py), which content does not change",
    ]
    assert not out.exists()


def test_the_blog_is_paginated(site_dir, tmp_path):
    write(site_dir / "camps/vinocamp/camp.yml", CAMP)
    for i in range(45):
        write(site_dir / f"blog/a{i:02d}.md", f"Title: Article {i}\nDate: 2026-01-{i % 28 + 1:02d} 10:{i:02d}\n\nTexte.\n")
    out = tmp_path / "output"
    assert build_site(site_dir, out).ok
    counts = [len(html(out / path / "index.html").xpath("//ul[@class='article-list']/li"))
              for path in ("blog", "blog/page/2", "blog/page/3")]
    assert counts == [20, 20, 5]
    second = html(out / "blog/page/2/index.html")
    assert second.xpath("//nav[@class='pagination']//a[@rel='prev']/@href") == ["../../../blog/"]
    assert second.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["../../../blog/page/3/"]


def test_a_draft_write_up_builds_and_stays_unpublished(site_dir, tmp_path):
    content = small_site(site_dir)
    write(content / "camps/vinocamp/2025-reims/brouillon.md",
          "Title: Brouillon\nDate: 2025-06-17 10:00\nStatus: draft\n\nÀ compléter.\n")
    out = tmp_path / "output"
    result = build_site(content, out)
    assert result.ok, result.problems or result.message
    reims = html(out / "vinocamp/2025-reims/index.html")
    assert "Brouillon" not in reims.xpath("string(//section[@aria-labelledby='writeups'])")


def test_editor_backup_files_are_neither_published_nor_errors(site_dir, tmp_path):
    content = small_site(site_dir)
    write(content / "camps/vinocamp/2025-reims/edition.yml~", "start: 2025-06-14\n")
    write(content / "camps/vinocamp/2025-reims/#notes.md#", "brouillon\n")
    out = tmp_path / "output"
    assert build_site(content, out).ok
    assert not list(out.rglob("*~")) and not list(out.rglob("#*#"))


# kill -9; Ctrl-C; and Ctrl-C to a build that a shell without job control
# started in the background (`bash -c 'campsite build &'`, as some scripts and
# CI runners do), which inherits SIGINT ignored: `campsite` listens to it again.
@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT", "SIGINT, started with SIGINT ignored"])
def test_a_killed_build_leaves_the_previous_site_serving(tmp_path, how):
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from conftest import EXAMPLE_CONTENT, SETTINGS

    out = tmp_path / "output"
    write(out / "index.html", "<!DOCTYPE html><title>the previous site</title>")
    command = [str(Path(sys.executable).parent / "campsite"), "build", "-s", str(SETTINGS), "-o", str(out),
               "--now", "2026-01-01T00:00"]
    if how.endswith("ignored"):
        if shutil.which("bash") is None:
            pytest.skip("no bash here to start the build in the background")
        handler = [sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"]
        inherited = subprocess.run(["bash", "-c", '"$@" & wait $!', "bash", *handler],
                                   capture_output=True, text=True, timeout=30, check=False)
        assert inherited.stdout.strip() == "True", inherited  # and Python keeps it ignored
        build = subprocess.Popen(["bash", "-c", '"$@" >/dev/null 2>&1 & echo $!; wait $!', "bash", *command],
                                 cwd=EXAMPLE_CONTENT.parent, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        pid = int(build.stdout.readline())  # the build's, not bash's, which waits for it
    else:
        build = subprocess.Popen(command, cwd=EXAMPLE_CONTENT.parent, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=dict(os.environ))
        pid = build.pid
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill it once it is writing pages
        staging = list(tmp_path.glob(".output-building-*"))
        if staging and any(staging[0].rglob("*.html")):
            break
        time.sleep(0.05)
    os.kill(pid, getattr(signal, how.split(",")[0]))
    assert build.wait(timeout=30) != 0
    if build.stdout:
        build.stdout.close()
    assert sorted(p.name for p in out.rglob("*")) == ["index.html"]
    assert "the previous site" in (out / "index.html").read_text()
    assert list(tmp_path.glob(".output-building-*"))  # it was killed mid-build
    assert build_site(EXAMPLE_CONTENT, out).ok  # the next build succeeds and cleans up
    assert not list(tmp_path.glob(".output-*"))


def test_raw_html_in_write_ups_is_cleaned_unless_trusted(site_dir, tmp_path):
    content = small_site(site_dir)
    write(content / "blog/piege.md", "Title: Piège\nDate: 2025-06-21 10:00\n\n"
          '<script>alert(1)</script>\n\n<p onclick="alert(2)">Texte <a href="javascript:alert(3)">lien</a> '
          '<a href="https://example.org/ok">ok</a></p>\n\n<figure><img src="x.png" alt="Une photo"></figure>\n')
    Image.new("RGB", (4, 4)).save(content / "blog/x.png")
    out = tmp_path / "output"
    assert build_site(content, out).ok
    article = html(out / "blog/2025/piege/index.html").xpath("//div[@class='content']")[0]
    assert not article.xpath(".//script") and not article.xpath(".//*[@onclick]")
    assert [a.get("href") for a in article.xpath(".//a")] == [None, "https://example.org/ok"]
    assert article.xpath(".//figure/img/@alt") == ["Une photo"]


def test_trusted_html_is_kept(site_dir, tmp_path):
    from campsite.build import build
    from conftest import SETTINGS

    write(site_dir / "camps/vinocamp/camp.yml", CAMP)
    write(site_dir / "pages/carte.md",
          "Title: Carte\n\n<div id=\"carte\"></div>\n<script src=\"https://cartes.example.org/carte.js\"></script>\n")
    conf = write(tmp_path / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\nTHEME = {str(SETTINGS.parent / 'themes/campsite')!r}\n"
                 "CAMPSITE_TRUST_HTML = True\n")
    out = tmp_path / "output"
    assert build(conf, content=site_dir, output=out, now="2026-01-01T00:00", quiet=True).ok
    assert html(out / "carte/index.html").xpath("//div[@class='content']//script/@src") == [
        "https://cartes.example.org/carte.js"]


def test_the_summary_accounts_for_every_content_file(site_dir, tmp_path):
    from conftest import content_summary

    content = small_site(site_dir)
    write(content / "camps/vinocamp/2025-reims/sessions.yml",
          "sessions:\n  - {title: Cépages oubliés, start: 2025-06-14T10:00, end: 2025-06-14T10:45, room: Cave}\n")
    write(content / "camps/vinocamp/.DS_Store", "finder")
    write(content / "blog/merci.md~", "an editor's backup")
    result = build_site(content, tmp_path / "out")
    assert result.ok, result.problems
    total, kinds = content_summary(result.content.summary())
    assert total == sum(1 for f in content.rglob("*") if f.is_file()) == 10
    assert kinds == {"built into pages": 6, "read as data": 1, "copied": 1,  # pages: camp, 3 editions, 2 articles
                     "skipped (hidden or editor backups)": 2, "with errors": 0}

    write(content / "misc/notes.txt", "a file nothing uses")
    write(content / "camps/vinocamp/2027-angers/edition.yml", "start: someday\n")
    result = build_site(content, tmp_path / "out")
    assert not result.ok
    total, kinds = content_summary(result.content.summary())
    assert total == 11 and kinds["with errors"] == 2 and kinds["built into pages"] == 5, (result.problems, kinds)


def test_a_page_cannot_take_the_home_page_s_place(site_dir, tmp_path):
    """Content never chooses where it is written: `Save_as:` is refused at
    its line, and nothing is written."""
    content = small_site(site_dir)
    write(content / "pages/accueil.md", "Title: Bienvenue\nSave_as: index.html\nURL: \n\nNotre page d'accueil.\n")
    result = build_site(content, tmp_path / "out")
    assert [f"{p.path}:{p.line}: {p.field}" for p in result.problems] == [
        "content/pages/accueil.md:2: Save_as", "content/pages/accueil.md:3: URL"]
    assert not (tmp_path / "out").exists()
