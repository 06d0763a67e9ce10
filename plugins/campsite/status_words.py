"""What an edition's status and registration say to visitors: one home for
the words of the page banners (a Jinja global, filters.edition_notices),
the feed items (feed_files.py) and the calendar events (calendars.py).

Each function takes `_`, the words of the language to say it in (the
theme's catalogue: these msgids live in themes/campsite/translations), in
the form Jinja's templates have them, `_(message, **values)`; `newstyle`
makes one from a plain gettext. Where a date is said, `day` is how that
output writes one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

from .model.site import Edition, Status

Gettext = Callable[..., str]  # (message, **values) → the words, values put in


def newstyle(gettext: Callable[[str], str]) -> Gettext:
    """A plain gettext called as Jinja's templates call theirs."""
    def _(message: str, **values: object) -> str:
        return gettext(message) % values if values else gettext(message)
    return _


class Notice(NamedTuple):
    kind: str  # the banner's class: cancelled, postponed, rescheduled, online, sold-out, registration
    words: str


def status_label(status: str, _: Gettext) -> str:
    """A status in a few words, as a feed item titles a change to it."""
    return {
        "cancelled": _("Cancelled"),
        "postponed": _("Postponed: the new date will be announced"),
        "rescheduled": _("New date"),
        "moved-online": _("Moved online"),
    }.get(status, _("Back on schedule"))


def first_planned(edition: Edition, _: Gettext, day: Callable[[date | datetime], str]) -> str:
    return _("New date — first planned for %(date)s", date=day(edition.previous_start))


def status_notice(edition: Edition, _: Gettext, day: Callable[[date | datetime], str]) -> Notice | None:
    """The banner of an edition that is not simply scheduled."""
    status = edition.status
    if status is Status.CANCELLED:
        return Notice("cancelled", _("Cancelled"))
    if status is Status.POSTPONED:
        return Notice("postponed", _("Postponed: the new date will be announced"))
    if status is Status.RESCHEDULED:
        return Notice("rescheduled", first_planned(edition, _, day))
    if status is Status.MOVED_ONLINE:
        return Notice("online", _("Moved online"))
    return None


def registration_notice(edition: Edition, now: datetime, _: Gettext,
                        day: Callable[[date | datetime], str]) -> Notice | None:
    """Sold out, registration not open yet, or closed: for an edition still to
    come that will take place (a cancelled or postponed one says only that)."""
    if edition.is_past(now) or edition.status in (Status.CANCELLED, Status.POSTPONED):
        return None
    registration = edition.registration
    if edition.sold_out:
        return Notice("sold-out", _("Sold out"))
    if registration and registration.state(now) == "not-open":
        return Notice("registration", _("Registration opens on %(date)s", date=day(registration.opens)))
    if registration and registration.state(now) == "closed":
        return Notice("registration", _("Registration is closed"))
    return None


def cancelled_title(title: str, _: Gettext) -> str:
    """A calendar event's title when cancelled: apps that ignore STATUS
    (calcurse) show a cancelled event as any other."""
    return _("Cancelled: %(title)s", title=title)


def cancelled_line(_: Gettext) -> str:
    return _("Cancelled: this edition will not take place")
