"""Found and shared: card images, JSON-LD, Open Graph helpers, the sitemap.

Absolute URLs come from the configured SITEURL (`campsite_site_url` in the
context), not the per-page relative one Pelican puts in SITEURL when
RELATIVE_URLS is on; a local build with no SITEURL gets root-relative URLs
in its pages, and absolute ones on the preview address (PREVIEW_URL) in
its feeds, sitemap and robots.txt, whose readers resolve nothing.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from lxml import etree
from markupsafe import Markup

from ..cache_folder import cache_folder
from ..cards import SIZES, Card, CardCache
from ..colour import palette
from ..structured_data import blog_posting, to_script, when
from .filters import format_when
from .standalone import standalone_camp
from .state import KEY as STATE_KEY
from .state import BuildState

SITE_KEY = "campsite_site_url"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DEFAULT_COLOUR = "#2f5d50"
# Where `campsite serve` shows a local build by default (cli.py's --bind and
# --port): the base of the absolute URLs that feeds, the sitemap and
# robots.txt need when SITEURL is empty. A constant, so that a local build's
# output stays the same from one build to the next.
PREVIEW_URL = "http://127.0.0.1:8000"


def feed_site_url(site_url: str) -> str:
    """The site's address for files read without a page to resolve from
    (feeds, sitemap, robots.txt): SITEURL, or the preview address."""
    return site_url or PREVIEW_URL


def absolute(site_url: str, path: str) -> str:
    """`path` (relative to the site root) as a full URL, or root-relative."""
    path = path.lstrip("/")
    return f"{site_url.rstrip('/')}/{path}" if site_url else f"/{path}"


SHARED_FOR = timedelta(days=365)


def shared_often(edition: Any, now: datetime) -> bool:
    """Whether links to an edition's page are likely to be shared, and so
    worth a card of its own: it is to come, or over for less than a year.
    Drawing every card of ten years of editions was the slowest part of a
    cold build; an older edition shows its camp's."""
    return not edition.is_past(now - SHARED_FOR)


def card_paths(page_save_as: str) -> list[str]:
    folder = posixpath.dirname(page_save_as)
    return [posixpath.join(folder, name) for name in SIZES]


@pass_context
def absolute_url(context: Any, path: str) -> str:
    return absolute(context.get(SITE_KEY, ""), path or "")


@pass_context
def article_jsonld(context: Any, article: Any) -> Markup:
    """A BlogPosting, `about` the edition or camp it belongs to."""
    site_url = context.get(SITE_KEY, "")

    def url(path: str) -> str:
        return absolute(site_url, path)

    about = None
    edition = getattr(article, "edition", None)
    camp = getattr(article, "camp", None)
    if getattr(edition, "model", None) is not None:
        about = {"@type": "Event", "name": edition.title, "url": url(edition.url),
                 "startDate": when(edition.model.start, edition.model.all_day)}
    elif getattr(camp, "model", None) is not None:
        about = {"@type": "EventSeries", "name": camp.title, "url": url(camp.url)}
    authors = [a.name for a in getattr(article, "authors", [])]
    data = blog_posting(article.title, article.url, article.date, authors, about, url)
    return Markup(to_script(data))  # noqa: S704 -- json.dumps output, with </ escaped


def card_jobs(generator: Any, writer: Any) -> list[tuple[Any, Callable[[], None], tuple[str, ...]]]:
    """Drawing (unless cached) and copying every camp's and edition's cards,
    and the site's, one job per card: drawing is the slowest part of a cold
    build. Each job comes with the camp or edition page it draws (None: the
    site) and the files it writes."""
    settings = generator.settings
    cache = CardCache(cache_folder(settings, "cards"))
    locale = settings["DEFAULT_LANG"].replace("-", "_")
    content = Path(settings["PATH"])
    cards = [] if standalone_camp(settings) else [  # a standalone camp's cards are the site's
        (None, Card(settings["SITENAME"], (), settings["SITENAME"], DEFAULT_COLOUR, "#ffffff"), card_paths("index.html"))]
    for camp in generator.camps:
        colours = palette(camp.model.colour or DEFAULT_COLOUR)
        logo = content / camp.model.logo if camp.model.logo else None
        base = dict(background=colours.fill, text=colours.on_fill, logo=logo)
        cards.append((camp, Card(camp.title, (camp.model.tagline or "",), settings["SITENAME"], **base), camp.cards))
        for page in camp.editions:
            if not page.draws_card:  # it shows its camp's
                continue
            edition = page.model
            details = tuple(d for d in (edition.city, format_when(edition, locale)) if d)
            cards.append((page, Card(page.title, details, camp.title, **base), page.cards[:1]))  # the rest: its camp's
    return [(owner, partial(_write_card, writer, cache, card, paths), tuple(paths[:len(SIZES)]))
            for owner, card, paths in cards]


def _write_card(writer: Any, cache: CardCache, card: Card, paths: list[str]) -> None:
    for path, size in zip(paths, SIZES.values(), strict=False):  # an edition has its Open Graph card only
        writer.link(path, cache.ensure(card, size))


def on_content_written(path: str, context: Any) -> None:
    """Signal content_written: note each page and what dates it, for the sitemap."""
    state = context.get(STATE_KEY)
    if state is None or not path.endswith(".html"):
        return
    output = Path(context["OUTPUT_PATH"])
    relative = Path(path).resolve().relative_to(output.resolve()).as_posix()
    state.written[relative] = _lastmod(state, context)


def _lastmod(state: BuildState, context: Any) -> datetime | None:
    edition = context.get("edition")
    if edition is not None and hasattr(edition, "camp"):
        return state.revision(edition).time
    for key in ("article", "page"):
        item = context.get(key)
        source = getattr(item, "source_path", None)
        if source:
            relative = Path(source).resolve().relative_to(state.loaded.content).as_posix()
            return state.history().revision([relative]).time
    return None  # a listing: dated as the whole site when the sitemap is written


def write_sitemap(state: BuildState, save: Callable[[str, bytes], None], site_url: str) -> None:
    """sitemap.xml (every page but the 404, dated by history) and robots.txt,
    with absolute URLs only: on the preview address in a local build."""
    site_url = feed_site_url(site_url)
    urlset = etree.Element("urlset", nsmap={None: SITEMAP_NS})
    site_changed = state.site_changed()
    for path, lastmod in sorted(state.written.items()):
        if path == "404.html":
            continue
        entry = etree.SubElement(urlset, "url")
        etree.SubElement(entry, "loc").text = absolute(site_url, path.removesuffix("index.html"))
        etree.SubElement(entry, "lastmod").text = (lastmod or site_changed).date().isoformat()
    save("sitemap.xml", etree.tostring(etree.ElementTree(urlset), xml_declaration=True, encoding="UTF-8",
                                       pretty_print=True))
    save("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {absolute(site_url, 'sitemap.xml')}\n".encode())
