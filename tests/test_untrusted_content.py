"""The mechanisms that keep a contributor's files from taking over a build
(docs/security.md), each tested on its own; tests/attacks/ holds the whole
hostile pull requests, built as CI builds them."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from campsite.cache_folder import cache_folder
from campsite.errors import Problem
from campsite.loader.tree import scan
from campsite.markup import SHORT_TEXT, TooCostly, guarded, render_markdown
from conftest import SETTINGS, build_site, write
from icalendar import Calendar

CAMP = "name: Barcamp\ntimezone: Europe/Paris\n"
EDITION = "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\nvenue: {name: La Halle, city: Lyon}\n"


def small_site(content: Path) -> Path:
    write(content / "camps/barcamp/camp.yml", CAMP)
    write(content / "camps/barcamp/2026-06-lyon/edition.yml", EDITION)
    return content


def problems_of(result) -> list[str]:
    return [str(problem) for problem in result.problems]


# --- The content's tree: nothing outside it is read ---------------------------


def test_links_leading_out_of_the_content_folder_are_refused_at_their_path(tmp_path):
    content = small_site(tmp_path / "content")
    secret = write(tmp_path / "home/.ssh/id_rsa", "hx-secret-key")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git/config", "[http] extraheader = AUTHORIZATION: basic hx-secret-token")
    edition = content / "camps/barcamp/2026-06-lyon"
    (edition / "notes.md").symlink_to(secret)
    (edition / "config.txt").symlink_to("../../../../.git/config")
    (content / "camps/barcamp/root").symlink_to("/")
    (content / "camps/barcamp/inside.txt").symlink_to("2026-06-lyon/edition.yml")
    tree = scan(content)
    assert sorted(tree.refused) == ["camps/barcamp/2026-06-lyon/config.txt",
                                    "camps/barcamp/2026-06-lyon/notes.md", "camps/barcamp/root"]
    assert "camps/barcamp/inside.txt" in tree.files  # a link that stays inside is followed
    assert not any(path.startswith("camps/barcamp/root/") for path in tree.files)  # "/" is never walked

    result = build_site(content, tmp_path / "output")
    assert problems_of(result)[:3] == [
        "content/camps/barcamp/2026-06-lyon/config.txt: a symbolic link leading outside the content folder "
        "(nothing of it is read or published): copy the file in instead",
        "content/camps/barcamp/2026-06-lyon/notes.md: a symbolic link leading outside the content folder "
        "(nothing of it is read or published): copy the file in instead",
        "content/camps/barcamp/root: a symbolic link leading outside the content folder (nothing of it is read "
        "or published): copy the file in instead",
    ]
    assert not (tmp_path / "output").exists()


def test_a_link_into_a_git_folder_inside_content_is_refused(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / ".git/config", "token")
    (content / "camps/barcamp/config.txt").symlink_to("../../.git/config")
    assert scan(content).refused == {"camps/barcamp/config.txt": "a symbolic link into a .git folder: remove it"}


def test_a_file_name_with_a_line_break_is_refused_and_printed_on_one_line(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/photo\n::warning file=x::pwned.md", "Title: x\n")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        "content/camps/barcamp/2026-06-lyon/photo\\n::warning file=x::pwned.md: its name holds a line break "
        "or tab: rename it"]
    annotation = result.problems[0].as_github_annotation()
    assert "\n" not in annotation and annotation.count("::") == 2
    assert annotation.startswith("::error file=content/camps/barcamp/2026-06-lyon/photo\\n%3A%3Awarning file=x")


def test_github_annotations_escape_what_would_end_or_start_a_command():
    problem = Problem("content/a,b:c.md", 3, "x\r\n::add-mask::y %0A", "title")
    assert problem.as_github_annotation() == "::error file=content/a%2Cb%3Ac.md,line=3::title: x\\r\\n::add-mask::y %250A"


# --- Formats: Markdown only, and bounded ---------------------------------------


def test_restructured_text_and_html_are_reported_not_read(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "blog/include.rst", "Inclus\n######\n\n:date: 2026-01-01\n\n.. include:: /etc/hostname\n")
    write(content / "camps/barcamp/2026-06-lyon/bilan.html", "<html><body><script>alert(1)</script></body></html>")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        "content/blog/include.rst: campsite reads write-ups and pages in Markdown only: rename it .md and "
        "write it in Markdown",
        "content/camps/barcamp/2026-06-lyon/bilan.html: campsite publishes no HTML file (a script in it would "
        "run on the site's pages) and reads write-ups and pages in Markdown only: write it as a .md file",
    ]


def test_markdown_that_would_take_minutes_is_refused_within_its_budget(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/crochets.md", "Title: Crochets\nDate: 2026-06-14\n\n" + "[" * 40_000)
    write(content / "camps/barcamp/2026-06-lyon/edition.yml", EDITION + "description: |\n  " + "[" * 30_000 + "\n")
    started = time.monotonic()
    result = build_site(content, tmp_path / "output")
    assert time.monotonic() - started < 60  # unguarded: three minutes for the write-up alone
    assert problems_of(result) == [
        "content/camps/barcamp/2026-06-lyon/crochets.md: takes more than 2 s to convert: split it, or simplify "
        "its markup",
        "content/camps/barcamp/2026-06-lyon/edition.yml:4: description: takes more than 2 s to convert: split "
        "it, or simplify its markup",
    ]


def test_the_markdown_guard_stops_nesting_and_leaves_short_texts_alone():
    with pytest.raises(TooCostly, match="nested too deeply"):
        guarded(lambda text: (_ for _ in ()).throw(RecursionError()), "")
    assert render_markdown("[" * SHORT_TEXT).startswith("<p>[[[")  # short: fast whatever it holds


# --- Metadata: content never chooses where it goes ---------------------------


def test_metadata_that_chooses_a_place_or_a_template_is_refused(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "blog/a.md", "Title: A\nDate: 2026-01-01\nSave_as: index.html\nTemplate: search\n\nA.\n")
    write(content / "blog/b.md", 'Title: B\nDate: 2026-01-01\nURL: x" onmouseover="alert(1)\nSlug: ../../search\n\n'
                                 "B.\n")
    write(content / "blog/c.md", "Title: C\nDate: 2026-01-01\nLang: ../../index\nTags: a\nTag: b\n\nC.\n")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        "content/blog/a.md:3: Save_as: campsite decides where a write-up or page is written: remove this line "
        "(its address comes from its file name, or from `Slug:`)",
        "content/blog/a.md:4: Template: write-ups and pages are shown with the theme's templates: remove this line",
        "content/blog/b.md:3: URL: campsite decides a write-up's or page's address: remove this line (it comes "
        "from its file name, or from `Slug:`)",
        'content/blog/b.md:4: Slug: "../../search" must be lowercase letters, digits and hyphens, like '
        "retour-sur-lyon",
        'content/blog/c.md:3: Lang: unknown language "../../index": use a code such as fr or en',
        'content/blog/c.md:5: Tag: campsite does not read `Tag:` (did you mean "tags"?)',
    ]


def test_invisible_characters_in_titles_are_refused_everywhere(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/edition.yml", EDITION + 'title: "Barcamp \u202eLyon"\n')
    write(content / "blog/a.md", "Title: Un\u200b titre\nDate: 2026-01-01\n\nA.\n")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        "content/blog/a.md:1: Title: invisible character U+200B (ZERO WIDTH SPACE): remove it",
        "content/camps/barcamp/2026-06-lyon/edition.yml:4: title: invisible character U+202E (RIGHT-TO-LEFT "
        "OVERRIDE): remove it",
    ]


# --- Every output file has one owner --------------------------------------------


def test_content_cannot_write_over_the_site_s_own_files(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/sessions.yml",
          "sessions:\n  - {title: Ouverture, start: '10:00', end: '10:30', room: Hall}\n")
    write(content / "pages/search.md", "Title: Chercher\nSlug: search\n\nMa page.\n")
    write(content / "camps/barcamp/2026-06-lyon/now.md", "Title: Maintenant\nDate: 2026-06-14\n\nx\n")
    write(content / "pages/theme.md", "Title: Thème\n\nx\n")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        "content/camps/barcamp/2026-06-lyon/now.md: writes output/barcamp/2026-06-lyon/now/index.html, as does "
        "content/camps/barcamp/2026-06-lyon/edition.yml: give one of them another name",
        "content/pages/search.md: writes output/search/index.html, as does one of the site's own pages or files: "
        "give one of them another name",
        "content/pages/theme.md: writes output/theme/index.html, inside the site's own theme/ folder: give it "
        "another name",
    ]
    assert not (tmp_path / "output").exists()


def test_check_finds_what_would_be_overwritten_too(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "pages/editions.md", "Title: Éditions\n\nx\n")
    command = [str(Path(os.sys.executable).parent / "campsite"), "check", "-s", str(SETTINGS), str(content)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "content/pages/editions.md: writes output/editions/index.html, as does one of the site's own pages or "
        "files: give one of them another name"]


# --- Identities: one event, one id ---------------------------------------------


def test_an_edition_id_cannot_take_another_edition_s(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2027-06-lyon/edition.yml", "start: 2027-06-12\nid: barcamp/2026-06-lyon\n")
    write(content / "camps/barcamp/2028-06-lyon/edition.yml", "start: 2028-06-10\nid: barcamp/2026-06-lyon/programme\n")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        'content/camps/barcamp/2027-06-lyon/edition.yml:2: id: the same id as '
        'content/camps/barcamp/2026-06-lyon/edition.yml ("barcamp/2026-06-lyon"): each edition needs its own; '
        "remove the `id:` line from the copy",
        'content/camps/barcamp/2028-06-lyon/edition.yml:2: id: its id "barcamp/2026-06-lyon/programme" lies inside '
        'the id of another edition, "barcamp/2026-06-lyon", whose calendar events and feed items it could take: '
        "give it an id of its own (a UUID is best)",
    ]


def test_session_keys_never_repeat_and_no_id_takes_one(tmp_path):
    content = small_site(tmp_path / "content")
    sessions = content / "camps/barcamp/2026-06-lyon/sessions.yml"
    write(sessions, "sessions:\n"
          "  - {title: Pause, start: '10:00', end: '10:15', room: Hall}\n"
          "  - {title: Pause 2, start: '11:00', end: '11:15', room: Hall}\n"
          "  - {title: Pause, start: '12:00', end: '12:15', room: Hall}\n"
          "  - {title: Café, start: '13:00', end: '13:15', room: Hall}\n")
    out = tmp_path / "output"
    assert build_site(content, out).ok
    calendar = Calendar.from_ical((out / "barcamp/2026-06-lyon/sessions.ics").read_bytes())
    keys = [str(e["uid"]).split("/sessions/")[1].split("@")[0] for e in calendar.walk("VEVENT") if "/sessions/" in str(e["uid"])]
    assert sorted(keys) == ["caf", "pause", "pause-2", "pause-3"]  # "Pause 2" keeps its own; the second Pause moves on

    # An id that is another session's key would take its event in every subscribed calendar.
    write(sessions, sessions.read_text(encoding="utf-8").replace("{title: Café,", "{title: Café, id: pause-3,"))
    assert problems_of(build_site(content, out)) == [
        'content/camps/barcamp/2026-06-lyon/sessions.yml:5: sessions[3].id: "pause-3" is how calendars know the '
        'session "Pause" (line 2) and others of that title: choose another id']


def test_session_keys_are_not_pickled_with_the_edition(tmp_path):
    """They are keyed by the sessions' identities in memory, which a kept
    camp (loader/cache.py) does not keep."""
    import pickle

    from campsite.errors import Problems
    from campsite.loader import load_site

    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/sessions.yml",
          "sessions:\n  - {title: Pause, start: '10:00', end: '10:15', room: Hall}\n")
    site, _ = load_site(content, Problems(tmp_path))
    edition = site.editions[0]
    assert list(edition.session_keys.values()) == ["pause"]
    copy = pickle.loads(pickle.dumps(edition))
    assert list(copy.session_keys.values()) == ["pause"]  # worked out again, for the copy's sessions


# --- Calendars: plain decimals ----------------------------------------------------


def test_geo_is_plain_decimal_and_exponents_are_refused(tmp_path):
    content = small_site(tmp_path / "content")
    venue = "venue: {name: La Halle, city: Lyon, geo: ['0.0000001', '4.8']}\n"
    write(content / "camps/barcamp/2026-06-lyon/edition.yml", EDITION.replace(
        "venue: {name: La Halle, city: Lyon}\n", venue))
    out = tmp_path / "output"
    assert build_site(content, out).ok
    assert b"GEO:0.0000001;4.8\r\n" in (out / "barcamp/2026-06-lyon/event.ics").read_bytes()
    write(content / "camps/barcamp/2026-06-lyon/edition.yml", EDITION.replace(
        "venue: {name: La Halle, city: Lyon}\n", "venue: {name: La Halle, city: Lyon, geo: ['1e-7', '4_8']}\n"))
    assert [p.message for p in build_site(content, out).problems] == [
        '"1e-7" is not a decimal number: write it like 44.8412', '"4_8" is not a decimal number: write it like 44.8412']


# --- Caches are never in the repository -----------------------------------------


def test_a_cache_inside_the_repository_is_refused(tmp_path):
    from campsite.build import build

    content = small_site(tmp_path / "content")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    conf = write(tmp_path / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\n"
                 f"THEME = {str(SETTINGS.parent / 'themes/campsite')!r}\nCAMPSITE_CACHE_PATH = '.campsite-cache'\n")
    result = build(conf, content=content, output=tmp_path / "output", now="2026-01-01T00:00", quiet=True)
    assert result.message.startswith("pelicanconf.py: CAMPSITE_CACHE_PATH is inside the git work tree")
    default = cache_folder({"PATH": str(content), "CAMPSITE_CACHE_PATH": None})
    assert tmp_path not in default.parents


def test_a_pickle_committed_where_the_cache_once_was_is_never_loaded(tmp_path):
    content = small_site(tmp_path / "content")
    marker = tmp_path / "hx-ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    import pickle

    write(tmp_path / ".campsite-cache/camps/barcamp.pickle", "")
    (tmp_path / ".campsite-cache/camps/barcamp.pickle").write_bytes(pickle.dumps(Payload()))
    assert build_site(content, tmp_path / "output").ok
    assert build_site(content, tmp_path / "output").ok
    assert not marker.exists()


# --- Images: the site's formats only ---------------------------------------------


def test_a_postscript_file_named_png_never_reaches_ghostscript(tmp_path, monkeypatch):
    marker = tmp_path / "hx-gs-ran"
    fake = write(tmp_path / "bin/gs", f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/camp.yml", CAMP + "logo: logo.png\n")
    write(content / "camps/barcamp/logo.png", "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        'content/camps/barcamp/camp.yml:3: logo: "logo.png" is not a readable image (its content is not a PNG, '
        "JPEG, GIF or WebP image): export it again"]
    assert not marker.exists()


def test_a_static_file_whose_content_is_not_its_type_is_refused(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/photo.png", "<html><script>alert(1)</script>")
    write(content / "camps/barcamp/2026-06-lyon/feed.xml", "<?xml-stylesheet href='x.xsl'?><x/>")
    write(content / "camps/barcamp/2026-06-lyon/notes.txt", "   <script>alert(1)</script>")
    result = build_site(content, tmp_path / "output")
    assert problems_of(result) == [
        "content/camps/barcamp/2026-06-lyon/feed.xml: campsite does not publish .xml files: anything in them could "
        "run on the site's pages; write a page in Markdown instead, or link to the file where it is hosted",
        "content/camps/barcamp/2026-06-lyon/notes.txt: its content is not a plain text file, as its name says: "
        "export it again",
        "content/camps/barcamp/2026-06-lyon/photo.png: its content is not a PNG image, as its name says: export "
        "it again",
    ]


def test_a_static_svg_is_published_sanitised(tmp_path):
    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/2026-06-lyon/plan.svg",
          '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
          'width="10" height="10"><inkscape:x/><rect width="10" height="10" fill="#123456"/>'
          '<animate attributeName="fill" to="red"/></svg>')
    out = tmp_path / "output"
    assert build_site(content, out).ok
    published = (out / "camps/barcamp/2026-06-lyon/plan.svg").read_text()
    assert "inkscape" not in published and "animate" not in published and 'fill="#123456"' in published


# --- The theme loads from the site, whatever content says ----------------------


def test_a_standalone_camp_loads_the_theme_from_its_own_origin(tmp_path):
    import lxml.html
    from campsite.build import build

    content = small_site(tmp_path / "content")
    write(content / "camps/barcamp/camp.yml", CAMP + "website: https://evil.example/camp\n")
    conf = write(tmp_path / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\n"
                 f"THEME = {str(SETTINGS.parent / 'themes/campsite')!r}\nRELATIVE_URLS = False\n")
    out = tmp_path / "output"
    assert build(conf, content=content, output=out, camp="barcamp", now="2026-01-01T00:00", quiet=True).ok
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    loaded = page.xpath("//link[@rel='stylesheet']/@href | //script/@src")
    assert loaded and all(url.startswith("/camp/theme/") for url in loaded), loaded
    assert page.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")[0].startswith(
        "https://evil.example/camp")  # links may say where the camp lives; its code comes from the site
