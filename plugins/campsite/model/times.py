"""Local times as organisers write them, made timezone-aware and checked.

Organisers write wall-clock times in the edition's timezone. Two wall-clock
times are treacherous on a DST change: one that never happens (clocks jump
forward over it) and one that happens twice (clocks go back). Both are
refused with a message saying what to write instead; an explicit UTC offset
settles an ambiguous time.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import did_you_mean
from ..messages import say

# A programme "day" runs until 04:00: a session at 00:30 belongs to the
# evening before (frab calls this the day change).
DAY_CHANGE = time(4, 0)

LocalMoment = date | datetime  # a date (all-day) or a datetime, naive or with offset

_DATE = r"\d{4}-\d{2}-\d{2}"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})"
MOMENT_PATTERN = rf"^{_DATE}(?:[T ]{_CLOCK}{_OFFSET}?)?$"
CLOCK_PATTERN = rf"^{_CLOCK}$"


FIRST_YEAR, LAST_YEAR = 1970, 2200


def parse_moment(text: str) -> LocalMoment:
    """'2026-06-13' → date; '2026-06-13T09:30' (or with a space) → datetime."""
    text = text.strip()
    if re.match(CLOCK_PATTERN, text):  # the most common slip: the day left out
        raise ValueError(no_date(text))
    if not re.match(MOMENT_PATTERN, text):
        raise ValueError(
            say('"{value}" is not a date or date and time: write 2026-06-13 or 2026-06-13T09:30', value=text)
        )
    try:
        moment = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(say('"{value}" is not a real date or time', value=text)) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        # Far years overflow in other time zones (year 1 in Tokyo is before
        # year 1), and make calendars' time-zone rules run for millennia.
        raise ValueError(say('"{value}" is out of range: write a year from {first} to {last}',
                             value=text, first=FIRST_YEAR, last=LAST_YEAR))
    return moment


def no_date(clock: str) -> str:
    """Why a time of day alone is refused where a date is needed."""
    hours_first = f"0{clock}" if clock.index(":") == 1 else clock  # 9:30 → 09:30, as ISO dates need
    return say('"{value}" is a time without a date: write the day too, like 2026-06-13T{clock}',
               value=clock, clock=hours_first)


def clock_example(text: str, default: str = "10:00") -> str:
    """How to write the time `text` may mean ("10h30" → "10:30"), else `default`."""
    french = re.fullmatch(r"([01]?\d|2[0-3]) ?[hH] ?([0-5]\d)?", text.strip())
    return f"{int(french[1]):02}:{french[2] or '00'}" if french else default


def parse_clock(text: str) -> time:
    """'10:00' → time(10, 0)."""
    text = text.strip()
    if not re.match(CLOCK_PATTERN, text):
        raise ValueError(say('"{value}" is not a time of day: write it like {clock}',
                             value=text, clock=clock_example(text)))
    try:
        return time.fromisoformat(text.zfill(5) if len(text) == 4 else text)
    except ValueError:
        raise ValueError(say('"{value}" is not a real time of day', value=text)) from None


def parse_zone(name: str) -> ZoneInfo:
    name = name.strip()
    try:
        if name in _zone_names():
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    hint = did_you_mean(name, _zone_names())
    raise ValueError(
        say('unknown timezone "{name}"{suggestion}: use an IANA name such as Europe/Paris', name=name, suggestion=hint)
    )


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def localize(moment: datetime, zone: ZoneInfo) -> datetime:
    """The aware datetime of wall-clock `moment` in `zone`.

    Raises ValueError for a wall-clock time that does not exist in `zone`,
    one that happens twice (unless `moment` carries a UTC offset), or an
    offset that `zone` does not have at that moment.
    """
    if moment.tzinfo is not None:
        return _check_offset(moment, zone)
    early = moment.replace(tzinfo=zone, fold=0)
    late = moment.replace(tzinfo=zone, fold=1)
    if _round_trips(early) and _round_trips(late) and early.utcoffset() != late.utcoffset():
        first, second = (_offset_text(d) for d in (early, late))
        raise ValueError(
            say("{moment} happens twice in {zone} (the clocks go back): "
                "add the UTC offset, {written}{first} for the first time "
                "or {second} for the second",
                moment=f"{moment:%Y-%m-%d %H:%M}", zone=zone.key, written=f"{moment:%Y-%m-%dT%H:%M}",
                first=first, second=second)
        )
    if not _round_trips(early):
        raise ValueError(
            say("{moment} does not exist in {zone} (the clocks go forward over it): pick another time",
                moment=f"{moment:%Y-%m-%d %H:%M}", zone=zone.key)
        )
    return early


def _round_trips(aware: datetime) -> bool:
    back = aware.astimezone(UTC).astimezone(aware.tzinfo)
    return back.replace(tzinfo=None) == aware.replace(tzinfo=None)


def _offset_text(aware: datetime) -> str:
    text = aware.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def _check_offset(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    if local.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValueError(
            say("UTC offset {offset} is not {zone}'s on {moment}: leave the offset out",
                offset=_offset_text(moment), zone=zone.key, moment=f"{moment:%Y-%m-%d %H:%M}")
        )
    return local


def instant(moment: datetime) -> datetime:
    """`moment` in UTC, for comparing and subtracting.

    Python compares two datetimes sharing one tzinfo by wall-clock time,
    ignoring `fold`: 02:30 before and after the clocks go back would look
    equal. Every comparison between local times goes through UTC.
    """
    return moment.astimezone(UTC)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight, or the first instant of `day` where midnight is skipped."""
    moment = datetime.combine(day, time(0), tzinfo=zone)
    return moment.astimezone(UTC).astimezone(zone)


def on_programme_of(day: date, clock: time) -> datetime:
    """The wall-clock datetime of `clock` on the programme of `day`: a time
    before DAY_CHANGE is after midnight, so on the next date."""
    return datetime.combine(day + timedelta(days=1 if clock < DAY_CHANGE else 0), clock)


def programme_day(moment: datetime) -> date:
    """The day whose programme a session at local `moment` belongs to."""
    return (moment - timedelta(hours=DAY_CHANGE.hour, minutes=DAY_CHANGE.minute)).date()
