"""iCalendar files that calendar apps can trust, built with `icalendar`.

What keeps a subscriber's calendar right when an edition changes:

- the UID comes from the edition's `id` (or its folder path) and a fixed
  domain setting, never from its title, date, city or the site's address,
  and is the same in every file, so "add to calendar" plus a subscription
  never makes two events;
- SEQUENCE, DTSTAMP and LAST-MODIFIED come from the content's history
  (history.py), so a change raises SEQUENCE and two builds are identical;
- times carry their IANA TZID with a VTIMEZONE built from zoneinfo's
  transitions (`_vtimezone`); a time in an hour the clocks repeat or skip
  is written in UTC; all-day editions are DATE values with the exclusive
  end day;
- a cancelled edition stays, with STATUS:CANCELLED and "Cancelled:" before
  its title, and past editions stay (subscribed calendars: those of the
  last twelve months, pelican_plugin/calendar_files.py; all of them in the
  yearly archives);
- no METHOD: these are published snapshots, not iTIP messages
  (docs/calendars.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vGeo,
    vText,
)

from . import ical_fold
from .history import Revision
from .model.identities import edition_uid, session_uid
from .model.site import Edition, Session, Status, Venue
from .status_words import cancelled_line, cancelled_title, newstyle, status_notice

STATUS = {
    Status.SCHEDULED: "CONFIRMED",
    Status.RESCHEDULED: "CONFIRMED",
    Status.MOVED_ONLINE: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class CalendarOptions:
    uid_domain: str
    site_url: str  # absolute, or '' for a local build (then no URL property)
    prodid: str
    ttl: str = "PT12H"  # REFRESH-INTERVAL and X-PUBLISHED-TTL
    # A language → its gettext, for the words of an edition's event in the
    # edition's language (the camp's, else the site's).
    words: Callable[[str | None], Callable[[str], str]] = lambda language: str


Revisions = Callable[[Edition], Revision]
"""The history of an edition's files (edition.yml, sessions.yml, camp.yml)."""


class PlainGeo(vGeo):
    """GEO as RFC 5545's FLOAT is written, in plain decimals: icalendar
    writes Python's repr, and a latitude of 0.00001 comes out as 1e-05,
    which no calendar reads. The same digits, without an exponent."""

    def to_ical(self) -> str:
        return f"{_plain(self.latitude)};{_plain(self.longitude)}"


def _plain(number: float) -> str:
    return format(Decimal(repr(float(number))), "f")


def edition_event(edition: Edition, url: str, revision: Revision, options: CalendarOptions) -> Event:
    event = Event()
    event.add("uid", edition_uid(edition, options.uid_domain))
    event.add("sequence", revision.number)
    event.add("dtstamp", revision.time)
    event.add("last-modified", revision.time)
    _add_times(event, edition)
    event.add("summary", _summary(edition, edition.title, options))
    event.add("status", STATUS[edition.status])
    event.add("description", _description(edition, url, options))
    _add_place(event, edition)
    if options.site_url:
        event.add("url", _absolute(url, options))
    organiser = next((p for p in edition.camp.organisers if p.email), None)
    if organiser:
        address = vCalAddress(f"mailto:{organiser.email}")
        address.params["cn"] = vText(organiser.name)
        event.add("organizer", address)
    categories = _one_spelling_each([*edition.tags, *edition.camp.tags])
    if categories:
        event.add("categories", categories)
    return event


def session_event(
    edition: Edition, session: Session, url: str, revision: Revision, options: CalendarOptions
) -> Event:
    event = Event()
    event.add("uid", session_uid(edition, session, options.uid_domain))
    event.add("sequence", revision.number)
    event.add("dtstamp", revision.time)
    event.add("last-modified", revision.time)
    event.add("dtstart", _unambiguous(session.start))
    event.add("dtend", _unambiguous(session.end))
    event.add("summary", _summary(edition, session.title, options))
    event.add("status", STATUS[edition.status])
    lines = [f"{edition.title} — {session.room}"]
    if edition.status is Status.CANCELLED:
        lines.append(_cancelled_notice(edition, options))
    if session.hosts:
        lines.append(", ".join(session.hosts))
    if session.description:
        lines += ["", session.description]
    event.add("description", "\n".join(lines))
    event.add("location", session.room + (f", {_place_text(edition.venue)}" if edition.venue else ""))
    if options.site_url:
        event.add("url", _absolute(url, options))
    if session.tags:
        event.add("categories", list(session.tags))
    return event


CALENDAR_END = b"END:VCALENDAR\r\n"

ical_fold.install()  # short lines past icalendar's character-by-character folding


@dataclass(frozen=True)
class SerialisedEvent:
    """A VEVENT as bytes, with what a calendar holding it needs to know.
    An edition's event is in its own file and in its camp's, city's, tags'
    and the site's calendars; icalendar's line folding is most of the time
    a calendar takes to write, so each event is serialised once (and kept
    between builds, pelican_plugin/calendar_files.py)."""

    instant: str  # UTC start, ISO: calendars list their events in time order
    uid: str
    day: date  # the first day, local: VTIMEZONEs cover the years around it
    zones: tuple[str, ...]  # the TZIDs it uses
    ics: bytes

    @classmethod
    def of(cls, event: Event) -> SerialisedEvent:
        start = event.decoded("dtstart")
        zones = tuple(sorted({str(event[k].params["TZID"]) for k in ("dtstart", "dtend")
                              if k in event and "TZID" in event[k].params}))
        return cls(_instant(start).isoformat(), str(event["uid"]), _day(start), zones, event.to_ical())


def calendar_bytes(name: str, description: str, events: Iterable[SerialisedEvent], options: CalendarOptions) -> bytes:
    """A VCALENDAR with its metadata, the events in time order, and a
    VTIMEZONE for each TZID used: what icalendar's `Calendar.to_ical()` gives."""
    header = _header(name, description, options).to_ical()
    ordered = sorted(events, key=lambda e: (e.instant, e.uid))
    body = b"".join(e.ics for e in ordered)
    if ordered:
        first = min(e.day for e in ordered).year
        last = max(e.day for e in ordered).year
        # Transitions a year either side: enough for every event, small files.
        zones = sorted({zone for e in ordered for zone in e.zones})
        body += b"".join(_vtimezone(zone, first - 1, last + 2) for zone in zones)
    return header[: -len(CALENDAR_END)] + body + CALENDAR_END


def _header(name: str, description: str, options: CalendarOptions) -> Calendar:
    # Names shown in a list of calendars: one line (a title may hold a line break).
    name, description = " ".join(name.split()), " ".join(description.split())
    cal = Calendar()
    cal.add("prodid", options.prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # No METHOD: a subscribed or downloaded file is a snapshot (RFC 5545,
    # 3.7.2), not an iTIP message; METHOD:PUBLISH would make libical's iTIP
    # check want an ORGANIZER in every VEVENT (docs/calendars.md).
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", vDuration.from_ical(options.ttl), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", options.ttl)
    return cal


@functools.lru_cache(maxsize=512)
def _vtimezone(zone: str, first_year: int, last_year: int) -> bytes:
    """A VTIMEZONE, made once per zone and span, from zoneinfo's own
    transitions: each observance starts at the local time *before* the
    change, in its TZOFFSETFROM (RFC 5545, 3.6.5), e.g. 02:00 for Paris's
    spring change. icalendar's `Timezone.from_tzinfo` (7.3) writes the
    local time after the gap instead (03:00 with TZOFFSETFROM:+0100: an
    hour late) for every change that skips an hour; docs/calendars.md."""
    tz = ZoneInfo(zone)
    first = datetime(first_year, 1, 1)
    end = int(datetime(last_year, 1, 1, tzinfo=tz).timestamp())
    moment = int(first.replace(tzinfo=tz).timestamp())
    state = _zone_state(tz, moment)
    # (from, to, name, standard) → local onsets, in order of first use
    observances: dict[tuple[timedelta, timedelta, str, bool], list[datetime]] = {
        (state[0], *state): [first]}
    while moment < end:
        step = min(moment + _SCAN, end)
        if _zone_state(tz, step) != state:
            low, high = moment, step  # the state changes in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _zone_state(tz, middle) == state else (low, middle)
            offset_from = state[0]
            state = _zone_state(tz, high)
            onset = datetime.fromtimestamp(high, UTC).replace(tzinfo=None) + offset_from
            observances.setdefault((offset_from, *state), []).append(onset)
            step = high
        moment = step
    vtimezone = Timezone()
    vtimezone.add("tzid", zone)
    vtimezone.add("comment", f"This timezone only works from {first.date()} to {date(last_year, 1, 1)}.")
    for (offset_from, offset_to, name, standard), onsets in observances.items():
        observance = TimezoneStandard() if standard else TimezoneDaylight()
        observance.add("dtstart", onsets[0])
        for onset in onsets[1:]:  # one RDATE each: dateutil (vobject) reads only the first of a list
            observance.add("rdate", onset)
        observance.add("tzname", name)
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        vtimezone.add_component(observance)
    return vtimezone.to_ical()


_SCAN = 6 * 3600  # seconds: zoneinfo's changes are months apart, never hours


def _zone_state(tz: ZoneInfo, timestamp: int) -> tuple[timedelta, str, bool]:
    """The UTC offset, abbreviation and standard-or-daylight of `tz` at a UTC instant."""
    local = datetime.fromtimestamp(timestamp, tz)
    offset = local.utcoffset() or timedelta(0)
    return offset, local.tzname() or _offset_name(offset), local.dst() == timedelta(0)


def _offset_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _add_times(event: Event, edition: Edition) -> None:
    if edition.all_day:
        event.add("dtstart", edition.first_day)
        event.add("dtend", edition.last_day + timedelta(days=1))  # exclusive
        return
    event.add("dtstart", _unambiguous(edition.start))
    if edition.end is not None:
        event.add("dtend", _unambiguous(edition.end))


def _unambiguous(moment: datetime) -> datetime:
    """A local time written with its TZID, or in UTC when its wall-clock
    time happens twice (the clocks go back over it) or never (they jump
    over it): khal, libical, ical.js and node-ical read an ambiguous TZID
    time as the second occurrence, others as the first (RFC 5545, 3.3.5)."""
    if moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset():
        return moment.astimezone(UTC)
    return moment


def _add_place(event: Event, edition: Edition) -> None:
    online_only = edition.is_online_only
    if edition.venue and not online_only:
        event.add("location", _place_text(edition.venue))
        if edition.venue.geo:
            event.add("geo", PlainGeo(edition.venue.geo))
    elif edition.online:
        event.add("location", edition.online)
    if edition.online:
        event.add("conference", edition.online, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})


def _one_spelling_each(tags: list[str]) -> list[str]:
    """Tags in order, each once: "Vin" (the edition's) and "vin" (its camp's),
    or "a b" and "A-B", are one tag with one page on the site."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(re.sub(r"[\W_]+", "-", tag.casefold()).strip("-") or tag, tag)
    return list(seen.values())


def _place_text(venue: Venue) -> str:
    town = " ".join(p for p in (venue.postcode, venue.city) if p)
    return ", ".join(p for p in (venue.name, venue.address, town) if p)


def _summary(edition: Edition, title: str, options: CalendarOptions) -> str:
    if edition.status is Status.CANCELLED:
        return cancelled_title(title, newstyle(options.words(edition.language)))
    return title


def _cancelled_notice(edition: Edition, options: CalendarOptions) -> str:
    return cancelled_line(newstyle(options.words(edition.language)))


def _description(edition: Edition, url: str, options: CalendarOptions) -> str:
    _ = options.words(edition.language)
    lines = [edition.summary] if edition.summary else []
    if edition.status is Status.CANCELLED:
        lines.insert(0, _cancelled_notice(edition, options))
    if edition.status is Status.POSTPONED or (edition.status is Status.RESCHEDULED and edition.previous_start):
        lines.append(status_notice(edition, newstyle(_), _iso_day).words)
    if edition.online:
        lines.append(f"{_('Online:')} {edition.online}")
    if edition.registration:
        lines.append(f"{_('Register')}: {edition.registration.url}")
    if options.site_url:
        lines.append(_absolute(url, options))
    return "\n".join(lines) or edition.title


def _iso_day(value: date | datetime) -> str:
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _absolute(url: str, options: CalendarOptions) -> str:
    return f"{options.site_url.rstrip('/')}/{url.lstrip('/')}"


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


# "Add to Google Calendar" and "Add to Outlook": one event, in the app's own
# form, from the same title, description and place as the edition's VEVENT.

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class AddLinks:
    google: str
    outlook: str


def add_links(edition: Edition, url: str, options: CalendarOptions) -> AddLinks:
    """Both links, in UTC (the apps' templates take no TZID). An all-day
    edition is all-day in both (Google: DATE/DATE with the exclusive end
    day, as DTEND; Outlook: allday=true). An edition with no announced end
    ends when it starts, as a VEVENT with DTSTART and no DTEND does (RFC
    5545, 3.6.1): Google wants an end, and a made-up duration would show a
    time nobody announced."""
    title = _summary(edition, edition.title, options)
    details = _description(edition, url, options)
    location = _location(edition)
    if edition.all_day:
        first, after = edition.first_day, edition.last_day + timedelta(days=1)
        dates = f"{first:%Y%m%d}/{after:%Y%m%d}"
        start, end, all_day = first.isoformat(), after.isoformat(), True
    else:
        begins = edition.start.astimezone(UTC)
        ends = (edition.end or edition.start).astimezone(UTC)
        dates = f"{begins:%Y%m%dT%H%M%SZ}/{ends:%Y%m%dT%H%M%SZ}"
        start, end, all_day = f"{begins:%Y-%m-%dT%H:%M:%SZ}", f"{ends:%Y-%m-%dT%H:%M:%SZ}", False
    google = {"action": "TEMPLATE", "text": title, "dates": dates, "details": details}
    outlook = {"subject": title, "startdt": start, "enddt": end}
    if all_day:
        outlook["allday"] = "true"
    outlook["body"] = details
    if location:
        google["location"] = outlook["location"] = location
    outlook.update(path="/calendar/action/compose", rru="addevent")
    return AddLinks(f"{GOOGLE_TEMPLATE}?{urlencode(google, safe='/:', quote_via=quote)}",
                    f"{OUTLOOK_COMPOSE}?{urlencode(outlook, safe='/:', quote_via=quote)}")


def _location(edition: Edition) -> str | None:
    """LOCATION's text (_add_place)."""
    if edition.venue and not edition.is_online_only:
        return _place_text(edition.venue)
    return edition.online
