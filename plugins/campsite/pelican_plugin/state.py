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

from ..clock import reference_now
from ..errors import Problems
from ..history import ContentHistory, Revision
from ..loader import LoadContext, load_site
from ..model.site import Edition, Site

KEY = "CAMPSITE_STATE"


@dataclass
class BuildState:
    site: Site
    loaded: LoadContext
    now: datetime
    problems: Problems
    # Pelican content objects by model path ('vinocamp', 'vinocamp/2026-bordeaux').
    camp_pages: dict[str, Any] = field(default_factory=dict)
    edition_pages: dict[str, Any] = field(default_factory=dict)
    # Every HTML page written (output-relative) and when its content last changed.
    written: dict[str, datetime] = field(default_factory=dict)
    # Article source path → ("camp" or "edition", the path of what it is about).
    writeup_links: dict[str, tuple[str, str]] = field(default_factory=dict)

    _history: ContentHistory | None = None

    def history(self) -> ContentHistory:
        """The content's git history, read on first use (calendars, feeds)."""
        if self._history is None:
            self._history = ContentHistory.read(self.loaded.content)
        return self._history

    def revision(self, edition: Edition) -> Revision:
        """An edition's revision: the commits of its files and its camp's."""
        folder = edition.folder
        return self.history().revision(
            [edition.source.path, f"{folder}/sessions.yml", edition.camp.source.path]
        )

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
        problems = Problems(content.resolve().parent)
        site, loaded = load_site(
            content,
            problems,
            default_timezone=settings.get("TIMEZONE") or "UTC",
            default_language=settings.get("DEFAULT_LANG") or "en",
            only_camp=settings.get("CAMPSITE_CAMP"),
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
            context["SITEURL"] = website.rstrip("/")
