"""What a campsite site is made of, once loaded, inherited and checked.

Plain objects with timezone-aware datetimes; they know nothing of YAML,
Pelican or HTML. Anything that depends on the present takes `now` as an
argument: the model has no clock.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .files import Status
from .times import DAY_CHANGE, instant, programme_day, start_of_day

__all__ = [
    "Camp",
    "Edition",
    "Link",
    "Person",
    "Price",
    "Registration",
    "Session",
    "Site",
    "Source",
    "Sponsor",
    "Status",
    "Venue",
]


@dataclass(frozen=True)
class Source:
    """Where something was written: a content-relative path and a line."""

    path: str
    line: int = 1
    field: str = ""  # e.g. "sessions[3]"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Person:
    name: str
    url: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Venue:
    name: str
    key: str | None = None
    address: str | None = None
    city: str | None = None
    postcode: str | None = None
    country: str | None = None
    geo: tuple[float, float] | None = None
    access: str | None = None
    url: str | None = None

    @property
    def map_url(self) -> str | None:
        """An OpenStreetMap link: no third-party script, works everywhere."""
        if not self.geo:
            return None
        lat, lon = self.geo
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


@dataclass(frozen=True)
class Price:
    amount: Decimal | None = None  # None: free
    currency: str = "EUR"

    @property
    def is_free(self) -> bool:
        return self.amount is None or self.amount == 0


@dataclass(frozen=True)
class Registration:
    url: str
    opens: datetime | None = None
    closes: datetime | None = None

    def state(self, now: datetime) -> str:
        """'not-open', 'open' or 'closed' at `now`."""
        if self.opens is not None and instant(now) < instant(self.opens):
            return "not-open"
        if self.closes is not None and instant(now) >= instant(self.closes):
            return "closed"
        return "open"


@dataclass(frozen=True)
class Sponsor:
    name: str
    url: str | None = None
    logo: str | None = None  # content-relative path
    tier: str | None = None


@dataclass
class Session:
    title: str
    room: str
    start: datetime
    end: datetime
    hosts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str | None = None  # Markdown, from participants: sanitise
    links: dict[str, str] = field(default_factory=dict)  # label → URL or content path
    source: Source = Source("")
    id: str | None = None


@dataclass
class Edition:
    camp: Camp
    slug: str
    id: str
    title: str
    start: datetime
    end: datetime | None  # None: a timed edition whose end is not announced
    all_day: bool
    timezone: ZoneInfo
    source: Source
    status: Status = Status.SCHEDULED
    previous_start: datetime | None = None
    venue: Venue | None = None
    online: str | None = None
    registration: Registration | None = None
    price: Price | None = None
    capacity: int | None = None
    sold_out: bool = False
    language: str | None = None
    rooms: list[str] = field(default_factory=list)
    summary: str | None = None
    description: str | None = None  # Markdown
    tags: list[str] = field(default_factory=list)
    sponsors: list[Sponsor] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)

    @property
    def path(self) -> str:
        """'vinocamp/2026-bordeaux': how write-ups and URLs name it."""
        return f"{self.camp.slug}/{self.slug}"

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "session_keys"}

    @functools.cached_property
    def session_keys(self) -> dict[int, str]:
        """Each session's identity within the edition (by `id()` of the
        session; its calendar UID and schedule GUID are made from it): its
        `id`, else its title. Sessions are pitched on the day and have no
        date to keep; a renamed session without an `id` becomes a new event,
        which is what a new title on the grid usually means. Two sessions
        with one title ("Pause" twice) are told apart by their order in
        time: the second is "pause-2", or the next free number if another
        session is already called that, so that no two share a key.
        Worked out once, when first asked, the sessions being loaded (and
        never pickled: it is keyed by the sessions' identities in memory)."""
        ordered = sorted(self.sessions, key=lambda s: (instant(s.start), s.room, s.title))
        bases = [session.id or title_key(session.title) for session in ordered]
        keys: dict[int, str] = {}
        taken: set[str] = set()
        for session, base in zip(ordered, bases, strict=True):  # first comers keep their base
            if base not in taken:
                taken.add(base)
                keys[id(session)] = base
        counts = dict.fromkeys(bases, 1)
        for session, base in zip(ordered, bases, strict=True):
            if id(session) in keys:
                continue
            counts[base] += 1
            while f"{base}-{counts[base]}" in taken:
                counts[base] += 1
            keys[id(session)] = f"{base}-{counts[base]}"
            taken.add(keys[id(session)])
        return keys

    @property
    def folder(self) -> str:
        """The edition's folder, relative to the content folder."""
        return self.source.path.rsplit("/", 1)[0]

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        if self.end is None:
            return self.first_day
        if self.all_day:
            return (self.end - timedelta(days=1)).date()
        # An evening that runs past midnight is still one day's programme.
        return max(self.first_day, programme_day(self.end))

    @property
    def is_multi_day(self) -> bool:
        return self.last_day > self.first_day

    @property
    def ends(self) -> datetime:
        """When the edition is over: its end or, unannounced, its programme day's."""
        if self.end is not None:
            return self.end
        next_day = start_of_day(self.first_day + timedelta(days=1), self.timezone)
        return next_day + timedelta(hours=DAY_CHANGE.hour, minutes=DAY_CHANGE.minute)

    @property
    def city(self) -> str | None:
        return self.venue.city if self.venue else None

    @property
    def is_online_only(self) -> bool:
        return self.online is not None and (
            self.venue is None or self.status is Status.MOVED_ONLINE
        )

    @property
    def is_hybrid(self) -> bool:
        return self.online is not None and not self.is_online_only and self.venue is not None

    def is_past(self, now: datetime) -> bool:
        return instant(self.ends) <= instant(now)

    def is_ongoing(self, now: datetime) -> bool:
        return instant(self.start) <= instant(now) < instant(self.ends)

    def programme(self) -> list[tuple[date, list[Session]]]:
        """Sessions by programme day (after midnight counts as the evening
        before), each day in time then room order."""
        days: dict[date, list[Session]] = {}
        for session in sorted(self.sessions, key=lambda s: (instant(s.start), s.room, s.title)):
            days.setdefault(programme_day(session.start), []).append(session)
        return list(days.items())

    def rooms_in_use(self) -> list[str]:
        """Declared rooms first, in order, then any others sessions name."""
        used = list(self.rooms)
        used += [s.room for s in self.sessions if s.room not in used]
        return list(dict.fromkeys(used))


@dataclass
class Camp:
    slug: str
    name: str
    source: Source
    tagline: str | None = None
    description: str | None = None  # Markdown
    language: str | None = None
    timezone: ZoneInfo | None = None
    colour: str | None = None
    logo: str | None = None  # content-relative path
    website: str | None = None
    organisers: list[Person] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    venues: dict[str, Venue] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)  # soonest first
    recurrence: str | None = None  # an RRULE, a planning hint for `campsite new edition`

    def upcoming(self, now: datetime) -> list[Edition]:
        return [e for e in self.editions if not e.is_past(now)]

    def next_edition(self, now: datetime) -> Edition | None:
        live = [e for e in self.upcoming(now) if e.status is not Status.CANCELLED]
        return live[0] if live else None


@dataclass
class Site:
    camps: list[Camp] = field(default_factory=list)  # by slug

    @property
    def editions(self) -> list[Edition]:
        """Every edition, soonest first; ties broken by path for stable output."""
        return sorted(
            (e for c in self.camps for e in c.editions), key=lambda e: (instant(e.start), e.path)
        )

    def camp(self, slug: str) -> Camp | None:
        return next((c for c in self.camps if c.slug == slug), None)

    def edition(self, path: str) -> Edition | None:
        """The edition named 'camp/edition', or None."""
        camp_slug, _, slug = path.strip().strip("/").partition("/")
        camp = self.camp(camp_slug)
        return next((e for e in camp.editions if e.slug == slug), None) if camp else None

    def upcoming(self, now: datetime) -> list[Edition]:
        return [e for e in self.editions if not e.is_past(now)]


def title_key(title: str) -> str:
    """'Atelier vin !' → 'atelier-vin'; a title without a Latin letter or
    digit (Arabic, Chinese…) by a digest of its words."""
    key = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return key or "t-" + hashlib.sha1(" ".join(title.split()).encode("utf-8")).hexdigest()[:12]
