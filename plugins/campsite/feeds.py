"""News feeds (Atom and RSS 2.0) built with feedgen.

A feed item is a publication: an edition announced, an edition's status
changed, a programme published, an article posted. Its dates are those of
the content's history, never an event's date nor the build clock, and its
id is a tag: URI made from a fixed setting, so that neither a domain move
nor a rebuild ever shows an item as new again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from markupsafe import escape

from . import __version__


class Later:
    """Text made on first use: an item's HTML is only needed if some feed's
    newest items include it, and most items are in none (FEED_LIMIT)."""

    def __init__(self, make: Callable[[], str]):
        self._make: Callable[[], str] | None = make
        self._text = ""

    def __str__(self) -> str:
        if self._make is not None:
            self._text, self._make = self._make(), None
        return self._text


@dataclass(frozen=True)
class Item:
    id: str  # a tag: URI, stable forever
    title: str
    url: str
    published: datetime
    updated: datetime
    summary: str | Later  # plain text
    content: str | Later  # HTML with absolute links
    author: str | None = None
    categories: tuple[str, ...] = ()
    # What the item is about, to place it in feeds: 'camp:vinocamp', 'city:lyon', 'tag:vin', 'writeup'.
    about: frozenset[str] = field(default_factory=frozenset)


def tag_uri(authority: str, date: str, specific: str) -> str:
    """RFC 4151: tag:campsite.example.org,2026:edition/vinocamp/2026-bordeaux."""
    return f"tag:{authority},{date}:{quote(specific, safe='/-._~!$&()*+,;=:@')}"


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    page_url: str  # the page the feed is about
    atom_url: str
    rss_url: str
    language: str
    subtitle: str = ""
    updated: datetime | None = None  # for a feed with no item yet


def newest_first(items: Iterable[Item], limit: int) -> list[Item]:
    return sorted(items, key=lambda i: (i.published, i.id), reverse=True)[:limit]


def atom(feed: Feed, items: list[Item]) -> bytes:
    return _generator(feed, items, feed.atom_url, "application/atom+xml").atom_str(pretty=True)


def rss(feed: Feed, items: list[Item]) -> bytes:
    return _generator(feed, items, feed.rss_url, "application/rss+xml").rss_str(pretty=True)


def _generator(feed: Feed, items: list[Item], self_url: str, media_type: str) -> FeedGenerator:
    """A feedgen feed of `items` (newest first); its dates are the newest item's."""
    fg = FeedGenerator()
    fg.id(feed.id)
    fg.title(feed.title)
    fg.subtitle(feed.subtitle or feed.title)
    fg.description(feed.subtitle or feed.title)
    # The self link first: feedgen's RSS takes the last link as the channel's.
    fg.link(href=self_url, rel="self", type=media_type)
    fg.link(href=feed.page_url, rel="alternate")
    fg.language(feed.language)
    fg.generator("campsite", __version__, "https://getpelican.com")
    newest = max((i.updated for i in items), default=feed.updated)
    fg.updated(newest)
    fg.lastBuildDate(newest)  # feedgen would otherwise stamp the build clock
    fg.pubDate(max((i.published for i in items), default=newest))
    for item in reversed(items):  # feedgen prepends: add oldest first
        _add(fg, item)
    return fg


def _add(fg: FeedGenerator, item: Item) -> None:
    entry = fg.add_entry()
    entry.id(item.id)
    entry.guid(item.id, permalink=False)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate")
    entry.published(item.published)
    entry.updated(item.updated)
    # As HTML, escaped: RSS readers take <description> as HTML, so plain text
    # with a "<script>" in it would run. Atom's says type="html" and reads the same.
    entry.summary(str(escape(str(item.summary))), type="html")
    entry.content(str(item.content), type="html")
    if item.author:
        entry.author(name=item.author)
    for term in item.categories:
        entry.category(term=term)
