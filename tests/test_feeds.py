"""News feeds: parsed with lxml and feedparser, Atom validated against RFC 4287."""

from __future__ import annotations

import email.utils
from pathlib import Path

import feedparser
import pytest
from campsite.build import build
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, SHARED, write
from lxml import etree
from test_calendars import git, repo_site

ATOM_RNG = SHARED / "schemas" / "atom.rng"
NS = {"a": "http://www.w3.org/2005/Atom"}




def atom_feeds(out: Path) -> list[Path]:
    return sorted(out.rglob("atom.xml"))


def test_every_feed_exists_in_both_formats(published):
    feeds = atom_feeds(published)
    assert published / "atom.xml" in feeds and published / "writeups/atom.xml" in feeds
    assert published / "vinocamp/atom.xml" in feeds
    assert any("/city/" in str(f) for f in feeds) and any("/tag/" in str(f) for f in feeds)
    for atom in feeds:
        assert (atom.parent / "rss.xml").is_file()


@pytest.mark.skipif(not ATOM_RNG.is_file(), reason="../shared/schemas/atom.rng is not beside the project")
def test_atom_feeds_are_valid_rfc_4287(published):
    schema = etree.RelaxNG(etree.parse(str(ATOM_RNG)))
    for path in atom_feeds(published):
        document = etree.parse(str(path))
        assert schema.validate(document), (path, schema.error_log.last_error)


def test_rss_feeds_have_required_elements_dates_and_unique_guids(published):
    for path in sorted(published.rglob("rss.xml")):
        channel = etree.parse(str(path)).getroot().find("channel")
        for name in ("title", "link", "description"):
            assert channel.findtext(name), (path, name)
        guids = [item.findtext("guid") for item in channel.findall("item")]
        assert len(guids) == len(set(guids)) and all(guids)
        for item in channel.findall("item"):
            assert item.findtext("title") and item.findtext("link").startswith("https://")
            assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))


def test_feedparser_reads_every_feed_cleanly(published):
    for path in [*atom_feeds(published), *published.rglob("rss.xml")]:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.title and parsed.entries


def test_feed_updated_is_the_newest_item(published):
    root = etree.parse(str(published / "atom.xml")).getroot()
    entries = root.findall("a:entry", NS)
    assert len(entries) == 50  # the cap
    newest = max(e.findtext("a:updated", namespaces=NS) for e in entries)
    assert root.findtext("a:updated", namespaces=NS) == newest


def test_entries_are_publications_with_absolute_links(published):
    parsed = feedparser.parse((published / "vinocamp/atom.xml").read_bytes())
    kinds = {e.id.split(":", 2)[2].split("/")[0] for e in parsed.entries}
    assert {"edition", "article"} <= kinds
    for entry in parsed.entries:
        assert entry.link.startswith("https://campsite.example.org/")
        content = entry.content[0].value
        assert 'src="/' not in content and 'href="/' not in content and "{static}" not in content
    from campsite.errors import Problems
    from campsite.loader import load_site

    site, _ = load_site(EXAMPLE_CONTENT, Problems(), default_timezone="Europe/Paris")
    beaune = site.edition("vinocamp/2024-beaune")
    edition = next(e for e in parsed.entries if e.id.endswith(f"edition/{beaune.id}"))
    assert "Beaune" in edition.summary and "2024" in edition.summary  # date and city in the summary


def test_ids_do_not_change_with_the_domain(tmp_path):
    ids = []
    for site_url in ("https://campsite.example.org", "http://old.example.net/camps"):
        out = tmp_path / site_url.split("//")[1].replace("/", "_")
        conf = write(tmp_path / "conf.py", f"exec(open({str(ROOT / 'publishconf.py')!r}).read())\nSITEURL = {site_url!r}\n"
                     f"THEME = {str(ROOT / 'themes/campsite')!r}\nPATH = {str(EXAMPLE_CONTENT)!r}\n")
        assert build(conf, output=out, now=EXAMPLE_NOW, quiet=True).ok
        ids.append([e.id for e in feedparser.parse((out / "atom.xml").read_bytes()).entries])
    assert ids[0] == ids[1] and all(i.startswith("tag:campsite.example.org,2026:") for i in ids[0])


def test_a_status_change_in_a_new_commit_adds_an_item(tmp_path):
    content = repo_site(tmp_path)
    write(content / "blog/x.md", "Title: Hello\nDate: 2026-01-02 10:00\n\nHi.\n")
    git(content.parent, "add", ".")
    git(content.parent, "commit", "-qm", "blog", when="2026-01-02T10:00:00+00:00")
    first = build(ROOT / "pelicanconf.py", content=content, output=tmp_path / "one", now=EXAMPLE_NOW, quiet=True)
    assert first.ok
    before = feedparser.parse((tmp_path / "one/vinocamp/atom.xml").read_bytes()).entries
    write(content / "camps/vinocamp/2026-reims/edition.yml",
          "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\nstatus: cancelled\n")
    git(content.parent, "commit", "-qam", "cancel", when="2026-03-01T09:00:00+00:00")
    assert build(ROOT / "pelicanconf.py", content=content, output=tmp_path / "two", now=EXAMPLE_NOW, quiet=True).ok
    after = feedparser.parse((tmp_path / "two/vinocamp/atom.xml").read_bytes()).entries
    assert [e.id for e in after][1:] == [e.id for e in before]  # nothing re-appears, one item added
    newest = after[0]
    assert "/status/" in newest.id and "Annulée" in newest.title
    assert newest.published.startswith("2026-03-01T09:00:00")
    announced = next(e for e in after if e.id.endswith("edition/vinocamp/2026-reims"))
    assert announced.published.startswith("2026-01-01T12:00:00")  # when it was announced, not the event
