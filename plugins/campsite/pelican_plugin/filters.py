"""Jinja filters: dates and times in the visitor's language, with Babel.

Times are shown in the edition's own timezone (where the visitor will be),
with the zone named, and machine-readable in <time datetime="…">.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime, format_interval, format_time

from ..model.site import Edition


def _locale(lang: str | None) -> str:
    return (lang or "en").replace("-", "_")


def day(value: date | datetime, lang: str | None = None) -> str:
    """'samedi 13 juin 2026'."""
    return format_date(value, format="full", locale=_locale(lang))


def short_day(value: date | datetime, lang: str | None = None) -> str:
    """'13 juin 2026'."""
    return format_date(value, format="long", locale=_locale(lang))


def clock(value: datetime, lang: str | None = None) -> str:
    """'09:30' (or '9:30 AM'), in the datetime's own timezone."""
    return format_time(value, format="short", tzinfo=value.tzinfo, locale=_locale(lang))


def zone_name(value: datetime, lang: str | None = None) -> str:
    """'heure d’été d’Europe centrale'."""
    return format_datetime(value, "zzzz", tzinfo=value.tzinfo, locale=_locale(lang))


def when(edition: Edition, lang: str | None = None) -> str:
    """The edition's dates (and times) in words, without the timezone."""
    locale = _locale(lang)
    if edition.all_day:
        if not edition.is_multi_day:
            return day(edition.first_day, lang)
        return format_interval(edition.first_day, edition.last_day, "yMMMMEEEEd", locale=locale)
    start = f"{day(edition.start, lang)}, {clock(edition.start, lang)}"
    if edition.end is None:
        return start
    if not edition.is_multi_day:
        return f"{start} – {clock(edition.end, lang)}"
    return f"{start} – {day(edition.end, lang)}, {clock(edition.end, lang)}"


def isoformat(value: date | datetime) -> str:
    """For <time datetime>: dates bare, datetimes with their UTC offset."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


FILTERS = {
    "day": day,
    "short_day": short_day,
    "clock": clock,
    "zone_name": zone_name,
    "when": when,
    "isoformat": isoformat,
}
