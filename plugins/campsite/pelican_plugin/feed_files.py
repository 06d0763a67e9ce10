"""Writes the news feeds: the site's, each camp's, city's and tag's, and
the write-ups'; each in Atom and RSS 2.0."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html
from markupsafe import Markup, escape
from pelican.urlwrappers import Tag

from ..feeds import Feed, Item, Later, atom, newest_first, rss, tag_uri
from ..loader import CAMPS_FOLDER
from ..markup import render_markdown
from ..model.site import Edition, Status
from ..status_words import newstyle, status_label
from .addresses import feed_site_url
from .filters import format_when
from .i18n import translations
from .parallel import defer, output_saver
from .standalone import standalone_camp
from .state import BuildState

ATOM, RSS = "atom.xml", "rss.xml"
WRITEUPS_FOLDER = "writeups"


def is_writeup(source: str) -> bool:
    """A write-up is a file in an edition's folder (camps/<camp>/<edition>/x.md).
    A blog post naming `Camp:` or `Edition:` (an announcement, registration
    opening) is about the camp or edition, and in their feeds, but is no write-up."""
    parts = source.split("/")
    return len(parts) == 4 and parts[0] == CAMPS_FOLDER


def feed_paths(page_save_as: str) -> tuple[str, str]:
    """The feeds beside a page: 'vinocamp/index.html' → 'vinocamp/atom.xml', …"""
    folder = posixpath.dirname(page_save_as)
    return posixpath.join(folder, ATOM), posixpath.join(folder, RSS)


class FeedItems:
    """Every publication of the site as a feed item, made once."""

    def __init__(self, state: BuildState, settings: dict[str, Any], site_url: str,
                 gettext: Callable[[str], str]):
        self.state = state
        self.history = state.history()
        # Feed readers resolve nothing: a local build (no SITEURL) writes its
        # URLs on the preview address (addresses.feed_site_url).
        self.site_url = feed_site_url(site_url)
        self.locale = settings["DEFAULT_LANG"].replace("-", "_")
        self.authority = settings["CAMPSITE_UID_DOMAIN"]
        self.tag_date = settings["CAMPSITE_TAG_DATE"]
        self.settings = settings
        self._ = gettext
        self._slugs: dict[str, str] = {}  # tag name → slug: slugifying is slow

    def url(self, path: str) -> str:
        return urljoin(self.site_url.rstrip("/") + "/", path)

    def id(self, specific: str) -> str:
        return tag_uri(self.authority, self.tag_date, specific)

    def _tag_slugs(self, edition: Edition) -> list[str]:
        """Each tag page's slug once, though "vin" and "Vin" both name it."""
        for name in [*edition.tags, *edition.camp.tags]:
            if name not in self._slugs:
                self._slugs[name] = Tag(name, self.settings).slug
        return list(dict.fromkeys(self._slugs[name] for name in [*edition.tags, *edition.camp.tags]))

    def for_edition(self, page: Any) -> list[Item]:
        edition: Edition = page.model
        folder = edition.folder
        about = frozenset(
            [f"camp:{edition.camp.slug}", *(f"tag:{t}" for t in self._tag_slugs(edition))]
            + ([f"city:{page.city_slug}"] if getattr(page, "city_slug", None) else [])
        )
        common = dict(url=self.url(page.url), author=edition.camp.name,
                      categories=tuple(dict.fromkeys([*edition.tags, *edition.camp.tags])), about=about)
        revision = self.state.revision(edition)
        items = [Item(
            id=self.id(f"edition/{edition.id}"),
            title=edition.title,
            published=self.history.first_time([edition.source.path]),
            updated=revision.time,
            summary=Later(partial(self.summary, edition)),
            content=Later(partial(self.edition_content, edition, page)),
            **common,
        )]
        items += self.status_items(edition, common)
        if edition.sessions:
            sessions = f"{folder}/sessions.yml"
            published = self.history.first_time([sessions])
            items.append(Item(
                id=self.id(f"edition/{edition.id}/programme"),
                title=self._("Programme published: %(title)s") % {"title": edition.title},
                published=published,
                updated=max(published, self.history.revision([sessions]).time),
                summary=Later(partial(self.summary, edition)),
                content=Later(partial(self.programme_content, edition)),
                **{**common, "url": self.url(page.url) + "#programme"},
            ))
        return items

    def status_items(self, edition: Edition, common: dict[str, Any]) -> list[Item]:
        changes = self.history.status_changes().get(edition.source.path, [])
        committed = self.state.revision(edition).number > 0
        if not committed and edition.status is not Status.SCHEDULED:
            # No history of the change (no git): the current status, once.
            revision = self.state.revision(edition)
            return [self.status_item(edition, edition.status.value, revision.time, "current", common)]
        return [self.status_item(edition, c.status, c.time, c.commit[:12], common) for c in changes]

    def status_item(self, edition: Edition, status: str, when: Any, key: str, common: dict[str, Any]) -> Item:
        label = self.status_label(status)
        return Item(
            id=self.id(f"edition/{edition.id}/status/{key}"),
            title=f"{edition.title} — {label}",
            published=when,
            updated=when,
            summary=f"{label}. {self.summary(edition)}",
            content=f"<p><strong>{_escape(label)}</strong></p><p>{_escape(self.summary(edition))}</p>",
            **common,
        )

    def status_label(self, status: str) -> str:
        return status_label(status, newstyle(self._))

    def summary(self, edition: Edition) -> str:
        """The edition's date, city and status, in words: what a reader scans."""
        parts = [format_when(edition, self.locale)]
        if edition.city:
            parts.append(edition.city)
        elif edition.online:
            parts.append(self._("Online"))
        if edition.status is not Status.SCHEDULED:
            parts.append(self.status_label(edition.status.value))
        if edition.summary:
            parts.append(edition.summary)
        return " · ".join(parts)

    def edition_content(self, edition: Edition, page: Any) -> str:
        html = f"<p>{_escape(self.summary(edition))}</p>" + render_markdown(edition.description)
        return absolute_links(html, self.url(page.url))

    def programme_content(self, edition: Edition) -> str:
        rows = "".join(
            f"<li>{s.start:%H:%M}–{s.end:%H:%M} · {_escape(s.room)} · {_escape(s.title)}</li>"
            for s in sorted(edition.sessions, key=lambda s: (s.start, s.room))
        )
        return f"<ul>{rows}</ul>"

    def for_article(self, article: Any, about: Iterable[str]) -> Item:
        source = article.get_relative_source_path()
        in_history = self.history.revision([source]).number > 0
        published = self.history.first_time([source]) if in_history else article.date
        updated = self.history.revision([source]).time if in_history else published
        tags = [t.slug for t in getattr(article, "tags", [])]
        if not is_writeup(source):  # in its camp's feed, not in the write-ups'
            about = [a for a in about if a != "writeup"]
        return Item(
            id=self.id(f"article/{source}"),
            title=article.title,
            url=self.url(article.url),
            published=published,
            updated=max(updated, published),
            summary=_plain(getattr(article, "summary", "") or ""),
            content=Later(partial(_article_content, article, self.site_url, self.url(article.url))),
            author=", ".join(a.name for a in getattr(article, "authors", [])) or None,
            categories=tuple(t.name for t in getattr(article, "tags", [])),
            about=frozenset([*about, *(f"tag:{t}" for t in tags)]),
        )


class FeedWriter:
    def __init__(self, save: Callable[[str, bytes], None], items: Callable[[], list[Item]], limit: int,
                 language: str, make_id):
        self.save = save  # the writer's: every output file goes through it
        self._make_items = items  # made when a feed is first written: an update may write none
        self.limit = limit
        self.language = language
        self.make_id = make_id

    @functools.cached_property
    def items(self) -> list[Item]:
        return self._make_items()

    def write(self, key: str | None, title: str, page_url: str, paths: tuple[str, str],
              absolute: Callable[[str], str], empty_updated: Any) -> None:
        """The feeds of the items about `key` (all when None)."""
        chosen = newest_first((i for i in self.items if key is None or key in i.about), self.limit)
        atom_path, rss_path = paths
        feed = Feed(self.make_id(f"feed/{key or 'all'}"), title, absolute(page_url),
                    absolute(atom_path), absolute(rss_path), self.language, updated=empty_updated)
        self.save(atom_path, atom(feed, chosen))
        self.save(rss_path, rss(feed, chosen))


def _article_content(article: Any, site_url: str, url: str) -> str:
    return absolute_links(article.get_content(site_url), url)


def absolute_links(html: str, base: str) -> str:
    """Links and images made absolute: feed readers have no page to resolve them from."""
    if not html.strip():
        return html
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    fragment.make_links_absolute(base, resolve_base_href=False)
    inner = (fragment.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in fragment
    )
    return inner


def _plain(html: str) -> str:
    return " ".join(Markup(html).striptags().split())


def _escape(text: str) -> str:
    return str(escape(text))


def plan_feeds(generator: Any, writer: Any) -> None:
    """Every feed as a job, their items made once, before the workers fork, if one is written."""
    state = BuildState.of(generator.context)
    settings = generator.settings
    words = translations(Path(generator.theme).resolve(), settings["DEFAULT_LANG"])
    maker = FeedItems(state, settings, generator.context["campsite_site_url"], words.gettext)

    def for_edition(page: Edition) -> list[Any]:
        key = generator.edition_key(page, "feed-items")
        if key is None:
            return maker.for_edition(page)
        if key not in state.memory.feed_items:
            state.memory.feed_items[key] = maker.for_edition(page)
        return state.memory.feed_items[key]

    def items() -> list[Any]:
        made = [item for page in generator.editions for item in for_edition(page)]
        for article in generator.context.get("articles", []):
            link = state.writeup_links.get(article.get_relative_source_path())
            about = [f"camp:{link[1].split('/')[0]}", "writeup"] if link else []
            made.append(maker.for_article(article, about))
        return made

    feeds = FeedWriter(output_saver(writer, settings), items, settings["CAMPSITE_FEED_LIMIT"],
                       settings["DEFAULT_LANG"], maker.id)

    def make_items() -> None:
        feeds.items  # noqa: B018 -- made once, before the workers fork, if a feed is written at all

    def write(about: str | None, title: str, url: str, paths: tuple[str, str], *args: Any,
              key: str | None = None, owner: str | None = None) -> None:
        defer(writer, partial(feeds.write, about, title, url, paths, *args), paths, owner, key,
              prepare=make_items)

    # A feed with no item yet is as recent as the camps' own files.
    fallback = state.history().revision([c.model.source.path for c in generator.camps]).time
    articles = generator.context.get("articles", [])
    if not standalone_camp(settings):
        write(None, settings["SITENAME"], "", (ATOM, RSS), maker.url, fallback,
              key=generator.listing_key("feeds", editions=generator.editions, articles=articles))
        write("writeup", f"{settings['SITENAME']} — {words.gettext('Write-ups')}",
              settings["ARCHIVES_URL"], (f"{WRITEUPS_FOLDER}/{ATOM}", f"{WRITEUPS_FOLDER}/{RSS}"),
              maker.url, fallback, key=generator.listing_key("writeup-feeds", articles=articles))
    for camp in generator.camps:
        updated = state.history().revision([camp.model.source.path]).time
        write(f"camp:{camp.slug}", camp.title, camp.url, camp.feeds, maker.url, updated,
              key=generator.camp_key(camp, "feeds"), owner=camp.source_path)
    for city in generator.cities:
        write(f"city:{city.slug}", f"{settings['SITENAME']} — {city.name}", city.url,
              city.feeds, maker.url, fallback, key=generator.listing_key("feeds", city.save_as, editions=city.editions))
    for listing in generator.tag_listings:
        write(f"tag:{listing.tag.slug}", f"{settings['SITENAME']} — {listing.tag.name}",
              listing.tag.url, feed_paths(listing.save_as), maker.url, fallback,
              key=generator.listing_key("feeds", listing.save_as, editions=listing.editions,
                                    articles=listing.articles))
