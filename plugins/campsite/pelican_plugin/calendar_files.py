"""Writes the iCalendar files: the site's, each camp's, city's and tag's,
and each edition's (the edition alone, and its sessions)."""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .. import __version__
from ..calendars import CalendarOptions, ComponentBytes, edition_event, session_event
from ..history import SHALLOW_WARNING
from ..model.site import Edition
from .state import BuildState

logger = logging.getLogger(__name__)

SITE_CALENDAR = "calendar.ics"
EDITION_CALENDAR = "event.ics"
SESSIONS_CALENDAR = "sessions.ics"


def calendar_path(page_save_as: str, name: str = SITE_CALENDAR) -> str:
    """The calendar beside a page: 'vinocamp/index.html' → 'vinocamp/calendar.ics'."""
    return posixpath.join(posixpath.dirname(page_save_as), name)


def calendar_options(settings: dict[str, Any], site_url: str, gettext) -> CalendarOptions:
    return CalendarOptions(
        uid_domain=settings["CAMPSITE_UID_DOMAIN"],
        site_url=site_url if "://" in site_url else "",
        prodid=f"-//campsite//campsite {__version__}//EN",
        ttl=settings["CAMPSITE_CALENDAR_TTL"],
        gettext=gettext,
    )


class CalendarWriter:
    def __init__(self, state: BuildState, settings: dict[str, Any], options: CalendarOptions,
                 save: Callable[[str, bytes], None]):
        self.state = state
        self.save = save  # the writer's: every output file goes through it
        self.options = options
        history = state.history()
        if history.shallow:
            logger.warning("%s: %s", settings["PATH"], SHALLOW_WARNING)
        self._events: dict[str, Any] = {}
        self._serialised = ComponentBytes()

    def event(self, page: Any) -> Any:
        """The VEVENT of an edition page, made once and shared by every file."""
        edition: Edition = page.model
        if edition.path not in self._events:
            revision = self.state.revision(edition)
            self._events[edition.path] = edition_event(edition, page.url, revision, self.options)
        return self._events[edition.path]

    def write(self, save_as: str, name: str, description: str, edition_pages: list[Any]) -> None:
        events = [self.event(page) for page in edition_pages]
        self._save(save_as, name, description, events)

    def write_edition(self, page: Any) -> None:
        """The edition alone ("add to calendar"), and with its sessions."""
        edition: Edition = page.model
        title, description = edition.title, edition.summary or edition.title
        event = self.event(page)
        self._save(calendar_path(page.save_as, EDITION_CALENDAR), title, description, [event])
        if edition.sessions:
            revision = self.state.revision(edition)
            sessions = [session_event(edition, s, page.url, revision, self.options) for s in edition.sessions]
            self._save(calendar_path(page.save_as, SESSIONS_CALENDAR), title, description, [event, *sessions])

    def _save(self, save_as: str, name: str, description: str, events: list[Any]) -> None:
        self.save(save_as, self._serialised.calendar(name, description, events, self.options))


@dataclass(frozen=True)
class Subscription:
    """One calendar as the subscription page offers it."""

    name: str
    path: str  # output-relative path of the .ics file
    https: str  # absolute when SITEURL is, else relative to the site root
    webcal: str | None  # only with an absolute SITEURL: webcal needs a host
    google: str | None
    outlook: str | None


def subscription(name: str, path: str, site_url: str) -> Subscription:
    if "://" not in site_url:
        return Subscription(name, path, path, None, None, None)
    https = f"{site_url.rstrip('/')}/{path}"
    webcal = "webcal://" + https.split("://", 1)[1]
    return Subscription(
        name=name,
        path=path,
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        outlook="https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": https, "name": name}),
    )
