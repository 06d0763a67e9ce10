"""One camp built as a site of its own."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from campsite.build import build
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, broken_links


@pytest.fixture(scope="module")
def vinocamp(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("standalone") / "vinocamp"
    result = build(ROOT / "pelicanconf.py", content=EXAMPLE_CONTENT, output=out,
                   now=EXAMPLE_NOW, camp="vinocamp", quiet=True)
    assert result.ok, result.problems
    return out


def html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def test_the_camp_page_is_the_home_page(vinocamp):
    home = html(vinocamp / "index.html")
    assert home.xpath("string(//h1)") == "Vinocamp"
    editions = sorted(p.name for p in (EXAMPLE_CONTENT / "camps/vinocamp").iterdir() if p.is_dir())
    for edition in editions:
        assert html(vinocamp / edition / "index.html").xpath("string(//h1)").startswith("Vinocamp")


def test_only_that_camp_is_built(vinocamp):
    pages = [p.relative_to(vinocamp).as_posix() for p in vinocamp.rglob("*.html")]
    for other in ("greencamp", "mediascamp", "ruralcamp", "aperos-numeriques"):
        assert not (vinocamp / other).exists()
        assert not any(other in p for p in pages)
        assert not (vinocamp / "camps" / other).exists()
    blog = vinocamp / "blog" / "index.html"
    links = html(blog).xpath("//ul[@class='article-list']/li/a/@href")
    assert len(links) >= 5
    for link in links:  # every article listed is about Vinocamp or one of its editions
        article = (blog.parent / link).resolve() / "index.html"
        about = html(article).xpath("//p[@class='about']/a/@href")
        assert (article.parent / about[-1]).resolve() == vinocamp.resolve(), link


def test_write_ups_sit_under_their_edition_at_the_root(vinocamp):
    sources = EXAMPLE_CONTENT.glob("camps/vinocamp/*/*.md")
    writeups = sorted(f"{p.parent.name}/{p.stem}" for p in sources)
    assert writeups and all((vinocamp / w / "index.html").is_file() for w in writeups)
    home = html(vinocamp / "index.html")
    links = home.xpath("//section[@aria-labelledby='writeups']//a/@href")
    assert sorted(link.strip("./") for link in links if link.startswith("./20")) == writeups


def test_links_resolve(vinocamp):
    assert broken_links(vinocamp) == []


def test_published_on_the_camps_own_domain(tmp_path):
    out = tmp_path / "public"
    result = build(ROOT / "publishconf.py", content=EXAMPLE_CONTENT, output=out,
                   now=EXAMPLE_NOW, camp="vinocamp", quiet=True)
    assert result.ok
    home = html(out / "index.html")
    # The theme from the page's own origin, never from the host camp.yml names (docs/security.md).
    assert home.xpath("//link[@rel='stylesheet']/@href")[0] == "/theme/css/campsite.css"
    assert "https://vinocamp.example.org/2026-bordeaux/" in home.xpath("//a/@href")


def test_an_unknown_camp_is_one_clear_problem(tmp_path):
    result = build(ROOT / "pelicanconf.py", content=EXAMPLE_CONTENT, output=tmp_path / "x",
                   now=EXAMPLE_NOW, camp="vinocmp", quiet=True)
    assert [str(p) for p in result.problems] == [
        'content/camps: no camp "vinocmp" to build on its own (did you mean "vinocamp"?)'
    ]
    assert not (tmp_path / "x").exists()


def test_every_absolute_address_uses_the_camps_own_domain(tmp_path):
    import icalendar

    out = tmp_path / "public"
    assert build(ROOT / "publishconf.py", content=EXAMPLE_CONTENT, output=out,
                 now=EXAMPLE_NOW, camp="vinocamp", quiet=True).ok
    edition = html(out / "2026-bordeaux/index.html")
    assert edition.xpath("//link[@rel='canonical']/@href") == ["https://vinocamp.example.org/2026-bordeaux/"]
    assert edition.xpath("//meta[@property='og:image']/@content")[0].startswith("https://vinocamp.example.org/")
    (event,) = icalendar.Calendar.from_ical((out / "2026-bordeaux/event.ics").read_bytes()).walk("VEVENT")
    assert str(event["url"]) == "https://vinocamp.example.org/2026-bordeaux/"
    assert "https://vinocamp.example.org/" in (out / "sitemap.xml").read_text()
    assert "campsite.example.org/" not in (out / "sitemap.xml").read_text().replace("vinocamp.example.org", "")
