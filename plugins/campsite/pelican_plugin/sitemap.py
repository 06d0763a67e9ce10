"""sitemap.xml and robots.txt: every page written, dated by the content's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from .addresses import absolute, feed_site_url
from .state import KEY as STATE_KEY
from .state import BuildState

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


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
