"""Jinja filters and tests of the campsite theme.

Dates and times are formatted by Babel in the site's language (DEFAULT_LANG)
and shown in the edition's own timezone, where the visitor will be; the
machine-readable values for <time datetime> carry their UTC offset.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from babel.core import get_global
from babel.dates import format_date, format_datetime, format_interval, format_time
from babel.numbers import format_currency
from jinja2 import pass_context
from markupsafe import Markup
from pelican.urlwrappers import Tag

from ..colour import palette
from ..markup import render_markdown
from ..model.grid import grid
from ..model.site import Edition, Price, Session, Sponsor
from ..status_words import Notice, registration_notice, status_notice


@pass_context
def tag_url(context: Any, name: str) -> str:
    """The address of a tag's page, as Pelican names it (TAG_URL)."""
    return Tag(name, context.parent).url


def og_locale(lang: str) -> str:
    """'fr' → 'fr_FR', the form Open Graph wants."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_").split("_")[0], lang)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else lang


def _locale(context: Any) -> str:
    return str(context.get("DEFAULT_LANG") or "en").replace("-", "_")


def _remembered(format_value: Callable[[Any, str], str]) -> Callable[[Any, str], str]:
    """Babel is slow and listings show each edition's dates on many pages:
    each value is formatted once. Aware datetimes in two zones are equal if
    they are the same instant, so the key holds the zone and fold too."""

    @functools.lru_cache(maxsize=50_000)
    def by_key(value: Any, zone: str, fold: int, locale: str) -> str:
        return format_value(value, locale)

    @functools.wraps(format_value)
    def remembered(value: Any, locale: str) -> str:
        return by_key(value, str(getattr(value, "tzinfo", None)), getattr(value, "fold", 0), locale)

    return remembered


@_remembered
def _full_day(value: date | datetime, locale: str) -> str:
    return format_date(value, format="full", locale=locale)


@_remembered
def _long_day(value: date | datetime, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


@_remembered
def _short_clock(value: datetime, locale: str) -> str:
    return format_time(value, format="short", tzinfo=value.tzinfo, locale=locale)


@_remembered
def _zone_name(value: datetime, locale: str) -> str:
    return format_datetime(value, "zzzz", tzinfo=value.tzinfo, locale=locale)


@pass_context
def day(context: Any, value: date | datetime) -> str:
    """'samedi 13 juin 2026' / 'Saturday, June 13, 2026'."""
    return _full_day(value, _locale(context))


@pass_context
def short_day(context: Any, value: date | datetime) -> str:
    """'13 juin 2026' / 'June 13, 2026'."""
    return _long_day(value, _locale(context))


@pass_context
def clock(context: Any, value: datetime) -> str:
    """'09:30' / '9:30 AM', in the datetime's own timezone."""
    return _short_clock(value, _locale(context))


@pass_context
def zone_name(context: Any, value: datetime) -> str:
    """'heure d’été d’Europe centrale' / 'Central European Summer Time'."""
    return _zone_name(value, _locale(context))


@pass_context
def when(context: Any, edition: Edition) -> str:
    return format_when(edition, _locale(context))


def format_when(edition: Edition, locale: str) -> str:
    """The edition's dates (and times) in words, without the timezone."""

    def day(value: date | datetime) -> str:
        return _full_day(value, locale)

    def clock(value: datetime) -> str:
        return _short_clock(value, locale)

    if edition.all_day:
        if not edition.is_multi_day:
            return day(edition.first_day)
        return format_interval(edition.first_day, edition.last_day, "yMMMMEEEEd", locale=locale)
    start = f"{day(edition.start)}, {clock(edition.start)}"
    if edition.end is None:
        return start
    if not edition.is_multi_day:
        return f"{start} – {clock(edition.end)}"
    return f"{start} – {day(edition.end)}, {clock(edition.end)}"


@pass_context
def money(context: Any, price: Price) -> str:
    return format_currency(price.amount, price.currency, locale=_locale(context))


def in_zone(value: datetime, zone: Any) -> datetime:
    """`value` as a clock in `zone` reads it (the build's now, on an
    edition's page: shown in the edition's time zone, where it happens)."""
    return value.astimezone(zone)


def isoformat(value: date | datetime) -> str:
    """For <time datetime>: dates bare, datetimes with their UTC offset."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def phase(edition: Edition, now: datetime) -> str:
    """'upcoming', 'now' or 'past' at `now`."""
    if edition.is_past(now):
        return "past"
    return "now" if edition.is_ongoing(now) else "upcoming"


def past_at(edition: Edition, now: datetime) -> bool:
    return edition.is_past(now)


def session_anchor(session: Session) -> str:
    """A fragment id that stays put when other sessions are added."""
    key = f"{session.start.isoformat()}|{session.room}|{session.title}"
    return "s-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def same_origin(url: str) -> str:
    """`url` without its scheme and host: the theme's own styles and
    scripts load from the page's own origin, never from a host content
    chose (a standalone camp's SITEURL is its `website`, from camp.yml)."""
    parts = urlsplit(url)
    return parts.path.rstrip("/") if parts.scheme or parts.netloc else url


def markdown(text: str | None) -> Markup:
    """Markdown from YAML, sanitised (see markup.py), safe to insert."""
    return Markup(render_markdown(text))  # noqa: S704 -- sanitised by nh3


def groupby_tier(sponsors: list[Sponsor]) -> list[tuple[str, list[Sponsor]]]:
    """Sponsors by tier, in the order tiers first appear."""
    tiers: dict[str, list[Sponsor]] = {}
    for sponsor in sponsors:
        tiers.setdefault(sponsor.tier or "", []).append(sponsor)
    return list(tiers.items())


@pass_context
def edition_notices(context: Any, edition: Any) -> list[Notice]:
    """The banners of an edition, its status's then its registration's, in
    the page's words (status_words.py)."""
    gettext = context.resolve("_")

    def _(message: str, **values: Any) -> str:
        return context.call(gettext, message, **values)

    def said_day(value: Any) -> str:
        return short_day(context, value)

    now = context.resolve("campsite_now")
    found = (status_notice(edition, _, said_day), registration_notice(edition, now, _, said_day))
    return [notice for notice in found if notice is not None]


FILTERS = {
    "day": day,
    "short_day": short_day,
    "clock": clock,
    "zone_name": zone_name,
    "when": when,
    "money": money,
    "isoformat": isoformat,
    "in_zone": in_zone,
    "phase": phase,
    "grid": grid,
    "session_anchor": session_anchor,
    "markdown": markdown,
    "same_origin": same_origin,
    "groupby_tier": groupby_tier,
    "palette": palette,
    "og_locale": og_locale,
    "tag_url": tag_url,
}

TESTS = {"past_at": past_at}
