"""The state of one Pelican run, kept in that run's context.

Pelican imports plugins once per process and reuses them across rebuilds
(`pelican --autoreload`, `campsite serve`, tests that build twice), so
nothing here lives at module level: each run makes a fresh context dict, and
the state is created in it on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..cache_folder import cache_folder
from ..clock import reference_now
from ..errors import Problems
from ..history import ContentHistory, Revision
from ..loader import LoadContext, load_site
from ..model.site import Edition, Site

KEY = "campsite_state"  # lowercase: no settings file can set it (run.py)


@dataclass
class Memory:
    """What a run works out that stays true when only some camps' data
    change: `campsite serve` keeps it from one update to the next
    (BuildState.after_edit, and keys.forget for what the edit touched);
    every other run starts with an empty one."""

    # Digests of content files by path, with the stat they were made from.
    file_digests: dict[Path, tuple[Any, str]] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)  # serialised edition events, by key
    feed_items: dict[str, Any] = field(default_factory=dict)  # an edition's, by key
    key_parts: dict[tuple[str, str], str] = field(default_factory=dict)  # keys.py
    files_by_folder: Any = None  # keys.py
    history: ContentHistory | None = None  # the content's git history, once read


@dataclass
class BuildState:
    """This run's site and what it has learnt so far."""

    site: Site
    loaded: LoadContext
    now: datetime
    problems: Problems
    # Pelican content objects by model path ('vinocamp', 'vinocamp/2026-bordeaux').
    camp_pages: dict[str, Any] = field(default_factory=dict)
    edition_pages: dict[str, Any] = field(default_factory=dict)
    # Every HTML page written (output-relative) and when its content last
    # changed; None for a page dated as the whole site (site_changed).
    written: dict[str, datetime | None] = field(default_factory=dict)
    # Article source path → ("camp" or "edition", the path of what it is about).
    writeup_links: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Every file under content/ (absolute), once the content is read.
    files: list[Path] = field(default_factory=list)
    reuse: Any = None  # what this run may reuse, once worked out (reuse.reuse_for)
    memory: Memory = field(default_factory=Memory)

    def history(self) -> ContentHistory:
        """The content's git history, read on first use (calendars, feeds)."""
        if self.memory.history is None:
            self.memory.history = ContentHistory.read(self.loaded.content)
        return self.memory.history

    def revision(self, edition: Edition) -> Revision:
        """An edition's revision: the commits of its files and its camp's."""
        folder = edition.folder
        return self.history().revision(
            [edition.source.path, f"{folder}/sessions.yml", edition.camp.source.path]
        )

    def site_changed(self) -> datetime:
        """When any content file last changed: the date of listings."""
        return self.history().revision(sorted(self.loaded.read_files)).time

    def after_edit(self, site: Site, loaded: LoadContext, problems: Problems, edited: list[str]) -> BuildState:
        """The state of an update in place (live.py): the camps `site` holds
        anew, what was learnt of the rest, and the history of `edited`
        (content-relative) files read again."""
        self.history().forget(edited)
        return BuildState(site=site, loaded=loaded, now=self.now, problems=problems,
                          writeup_links=self.writeup_links, files=self.files, memory=self.memory)

    @classmethod
    def of(cls, context: dict[str, Any]) -> BuildState:
        """This run's state; loads the site on first use."""
        state = context.get(KEY)
        if state is None:
            state = context[KEY] = cls._load(context)
        return state

    @classmethod
    def _load(cls, context: dict[str, Any]) -> BuildState:
        settings = context  # a run's context starts as a copy of the settings
        content = Path(settings["PATH"])
        problems = Problems(content.absolute().parent)  # as organisers see it, links not followed
        site, loaded = load_site(
            content,
            problems,
            default_timezone=settings.get("TIMEZONE") or "UTC",
            default_language=settings.get("DEFAULT_LANG") or "en",
            only_camp=settings.get("CAMPSITE_CAMP"),
            cache=cache_folder(settings, "camps"),
        )
        _point_siteurl_at_standalone_camp(context, site)
        zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        now = reference_now(content, settings.get("CAMPSITE_NOW"), zone)
        return cls(site=site, loaded=loaded, now=now, problems=problems)


def _point_siteurl_at_standalone_camp(context: dict[str, Any], site: Site) -> None:
    """A standalone camp published on its own domain (its `website`)."""
    if context.get("CAMPSITE_CAMP") and not context.get("RELATIVE_URLS") and site.camps:
        website = site.camps[0].website
        if website:
            # Both: templates read SITEURL, and Pelican rewrites {static} links with localsiteurl.
            context["SITEURL"] = context["localsiteurl"] = website.rstrip("/")
