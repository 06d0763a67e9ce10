"""Writes the iCalendar files: the site's, each camp's, city's and tag's,
and each edition's (the edition alone, and its sessions)."""

from __future__ import annotations

import json
import logging
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .. import __version__
from ..cache_folder import used
from ..calendars import CalendarOptions, SerialisedEvent, calendar_bytes, edition_event, session_event
from ..history import shallow_warning
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


def edition_calendars(page: Any) -> tuple[str, ...]:
    """The calendar files of an edition page: the edition alone, and with its sessions if it has some."""
    alone = calendar_path(page.save_as, EDITION_CALENDAR)
    return (alone, calendar_path(page.save_as, SESSIONS_CALENDAR)) if page.model.sessions else (alone,)


class CalendarWriter:
    def __init__(self, state: BuildState, settings: dict[str, Any], options: CalendarOptions,
                 save: Callable[[str, bytes], None], kept: EventStore | None = None):
        self.state = state
        self.save = save  # the writer's: every output file goes through it
        self.options = options
        self.kept = kept
        history = state.history()
        if history.shallow:
            logger.warning("%s: %s", settings["PATH"], shallow_warning())
        self._events: dict[str, SerialisedEvent] = {}

    def event(self, page: Any) -> SerialisedEvent:
        """The VEVENT of an edition page, made once and shared by every file
        (and kept between builds, when its camp has not changed)."""
        edition: Edition = page.model
        if edition.path not in self._events:
            event = self.kept.get(page) if self.kept else None
            if event is None:
                revision = self.state.revision(edition)
                event = SerialisedEvent.of(edition_event(edition, page.url, revision, self.options))
                if self.kept:
                    self.kept.put(page, event)
            self._events[edition.path] = event
        return self._events[edition.path]

    def write(self, save_as: str, name: str, description: str, edition_pages: list[Any]) -> None:
        events = [self.event(page) for page in edition_pages]
        self.save(save_as, calendar_bytes(name, description, events, self.options))

    def write_edition(self, page: Any) -> None:
        """The edition alone ("add to calendar"), and with its sessions."""
        edition: Edition = page.model
        title, description = edition.title, edition.summary or edition.title
        event = self.event(page)
        alone, *with_sessions = edition_calendars(page)
        self.save(alone, calendar_bytes(title, description, [event], self.options))
        if with_sessions:
            revision = self.state.revision(edition)
            sessions = [SerialisedEvent.of(session_event(edition, s, page.url, revision, self.options))
                        for s in edition.sessions]
            self.save(with_sessions[0], calendar_bytes(title, description, [event, *sessions], self.options))


class EventStore:
    """Serialised edition events kept in the cache folder between builds,
    under a key that changes whenever anything the event shows may have
    (the edition's camp's files and history, the settings: reuse.py)."""

    def __init__(self, folder: Path, key: Callable[[Any], str | None], memory: dict[str, SerialisedEvent]):
        self.folder = folder
        self.key = key
        self.memory = memory  # the events read or made already, by key

    def get(self, page: Any) -> SerialisedEvent | None:
        key = self.key(page)
        if key in self.memory:
            return self.memory[key]
        if not key:
            return None
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        used(path)
        event = self.memory[key] = SerialisedEvent(data["instant"], data["uid"], date.fromisoformat(data["day"]),
                                                   tuple(data["zones"]), data["ics"].encode("utf-8"))
        return event

    def put(self, page: Any, event: SerialisedEvent) -> None:
        key = self.key(page)
        if not key:
            return
        self.memory[key] = event
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"instant": event.instant, "uid": event.uid, "day": event.day.isoformat(), "zones": list(event.zones),
                "ics": event.ics.decode("utf-8")}
        partial = self.folder / f".{key}.{os.getpid()}.tmp"
        partial.write_text(json.dumps(data), encoding="utf-8")
        partial.replace(self.folder / f"{key}.json")


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
