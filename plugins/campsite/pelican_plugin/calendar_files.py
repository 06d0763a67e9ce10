"""Writes the iCalendar files: the site's, each camp's, city's and tag's,
and each edition's (the edition alone, and its sessions).

The site's, camps', cities' and tags' calendars are for subscribing: they
hold the editions still to come and those of the last twelve months before
the build's present moment (`in_window`), so that they stay small (Google
Calendar drops a subscription of more than about 1 MB); each year's
editions, all of them, are also in a file beside it (calendar-2024.ics),
the archive, to download. docs/calendars.md."""

from __future__ import annotations

import json
import logging
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .. import __version__
from ..cache_folder import cache_folder, used
from ..calendars import (
    AddLinks,
    CalendarOptions,
    SerialisedEvent,
    add_links,
    calendar_bytes,
    edition_event,
    session_event,
)
from ..history import shallow_warning
from ..model.site import Edition
from ..model.times import instant
from .parallel import defer, output_saver
from .standalone import standalone_camp
from .state import BuildState

logger = logging.getLogger(__name__)

SITE_CALENDAR = "calendar.ics"
EDITION_CALENDAR = "event.ics"
SESSIONS_CALENDAR = "sessions.ics"


def calendar_path(page_save_as: str, name: str = SITE_CALENDAR) -> str:
    """The calendar beside a page: 'vinocamp/index.html' → 'vinocamp/calendar.ics'."""
    return posixpath.join(posixpath.dirname(page_save_as), name)


WINDOW_MONTHS = 12


def archive_path(calendar: str, year: int) -> str:
    """A year's archive beside a subscribable calendar: 'vinocamp/calendar.ics' → 'vinocamp/calendar-2024.ics'."""
    stem = calendar[: -len(".ics")] if calendar.endswith(".ics") else calendar
    return f"{stem}-{year}.ics"


def archive_years(edition_pages: list[Any]) -> list[int]:
    """The years of the archives of a calendar of these editions (each edition in its first day's)."""
    return sorted({page.model.first_day.year for page in edition_pages})


def calendar_files(save_as: str, edition_pages: list[Any]) -> tuple[str, ...]:
    """Every file `CalendarWriter.write` writes for a subscribable calendar: itself and its archives."""
    return (save_as, *(archive_path(save_as, year) for year in archive_years(edition_pages)))


def window_start(now: datetime) -> datetime:
    """Twelve months before the build's present moment (29 February: the 28th)."""
    try:
        return now.replace(year=now.year - WINDOW_MONTHS // 12)
    except ValueError:
        return now.replace(year=now.year - WINDOW_MONTHS // 12, day=28)


def in_window(edition: Edition, since: datetime) -> bool:
    """Whether a subscribable calendar holds the edition: it is to come,
    under way, or over since `since` (window_start). A cancelled or
    rescheduled edition stays as long as its date does (a cancelled
    edition to come, until twelve months after it), and a rescheduled one
    as long as its first planned date would have, so that subscribers'
    apps see the change to the event they have."""
    moments = [edition.ends]
    if edition.previous_start is not None:
        moments.append(edition.previous_start)
    return max(instant(m) for m in moments) > instant(since)


def calendar_options(settings: dict[str, Any], site_url: str, words) -> CalendarOptions:
    return CalendarOptions(
        uid_domain=settings["CAMPSITE_UID_DOMAIN"],
        site_url=site_url if "://" in site_url else "",
        prodid=f"-//campsite//campsite {__version__}//EN",
        ttl=settings["CAMPSITE_CALENDAR_TTL"],
        words=words,
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
        """A subscribable calendar (the recent window: in_window) and its archives, one a year."""
        since = window_start(self.state.now)
        recent = [page for page in edition_pages if in_window(page.model, since)]
        if not recent and edition_pages:
            # Nothing recent (a dormant camp): its last edition, since a
            # VCALENDAR needs a component (RFC 5545, 3.6) and vobject,
            # among others, rejects one with no event.
            recent = [max(edition_pages, key=lambda page: (instant(page.model.start), page.model.path))]
        events = [self.event(page) for page in recent]
        self.save(save_as, calendar_bytes(name, description, events, self.options))
        years: dict[int, list[SerialisedEvent]] = {}
        for page in edition_pages:
            years.setdefault(page.model.first_day.year, []).append(self.event(page))
        for year in archive_years(edition_pages):
            self.save(archive_path(save_as, year),
                      calendar_bytes(f"{name} — {year}", description, years[year], self.options))

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
    archives: tuple[tuple[int, str], ...] = ()  # (year, output-relative path of its .ics file)
    label: str = ""  # as its group on the page lists it (a city's name), else its name

    @property
    def title(self) -> str:
        return self.label or self.name


def subscription(name: str, path: str, site_url: str, edition_pages: list[Any] = (), label: str = "") -> Subscription:
    """`edition_pages`: the calendar's, for its archives; `name`: the
    calendar's name in the apps (Outlook's), `label` the page's if shorter."""
    archives = tuple((year, archive_path(path, year)) for year in archive_years(list(edition_pages)))
    if "://" not in site_url:
        return Subscription(name, path, path, None, None, None, archives, label)
    https = f"{site_url.rstrip('/')}/{path}"
    webcal = "webcal://" + https.split("://", 1)[1]
    return Subscription(
        name=name,
        path=path,
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        outlook="https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": https, "name": name}),
        archives=archives,
        label=label,
    )


class EditionAddLinks:
    """An edition page's "Add to Google Calendar" and "Add to Outlook"
    links, made when its template first shows them."""

    def __init__(self, page: Any, options: Callable[[], CalendarOptions]):
        self._page = page
        self._options = options
        self._links: AddLinks | None = None

    def _made(self) -> AddLinks:
        if self._links is None:
            self._links = add_links(self._page.model, self._page.url, self._options())
        return self._links

    @property
    def google(self) -> str:
        return self._made().google

    @property
    def outlook(self) -> str:
        return self._made().outlook


def plan_calendars(generator: Any, writer: Any) -> None:
    """Every calendar as a job: the site's, each camp's and edition's, each city's and tag's."""
    state = BuildState.of(generator.context)
    kept = None
    if generator.reuse is not None:
        folder = cache_folder(generator.settings, "events")
        kept = EventStore(folder, lambda page: generator.edition_key(page, "vevent"), state.memory.events)
    calendars = CalendarWriter(state, generator.settings, generator.calendar_options, output_saver(writer, generator.settings),
                               kept)
    sitename = generator.settings["SITENAME"]

    def write(save_as: str, name: str, description: str, pages: list[Any], key: str | None = None,
              owner: str | None = None) -> None:
        defer(writer, partial(calendars.write, save_as, name, description, pages), calendar_files(save_as, pages),
              owner, key)

    if not standalone_camp(generator.settings):  # the camp's calendar is the site's, at the same place
        write(SITE_CALENDAR, sitename, sitename, generator.editions,
              key=generator.listing_key("calendar", editions=generator.editions))
    for camp in generator.camps:
        write(calendar_path(camp.save_as), camp.title, camp.model.tagline or camp.title, camp.editions,
              key=generator.camp_key(camp, "calendar"), owner=camp.source_path)
        for edition in camp.editions:
            defer(writer, partial(calendars.write_edition, edition), edition_calendars(edition),
                  edition.source_path, generator.edition_key(edition, "calendars"))
    for city in generator.cities:
        write(calendar_path(city.save_as), f"{sitename} — {city.name}", city.name, city.editions,
              key=generator.listing_key("calendar", city.save_as, editions=city.editions))
    for listing in generator.tag_listings:
        if listing.editions:
            write(calendar_path(listing.save_as), f"{sitename} — {listing.tag.name}", listing.tag.name,
                  listing.editions, key=generator.listing_key("calendar", listing.save_as, editions=listing.editions))
