"""schema.org JSON-LD for edition, camp and article pages.

Built as data and serialised with json.dumps, never by templating; the
status rules are Google's event rules: a cancelled or postponed event keeps
its original dates, a rescheduled one carries its new dates and
`previousStartDate`, a moved-online one a VirtualLocation. Offers use the
three availabilities Google reads for events (InStock, SoldOut, PreOrder),
and only while a place can still be had or awaited: a cancelled or past
edition has no offer (its eventStatus and dates say why).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .model.site import Camp, Edition, Session, Status, Venue

SCHEMA = "https://schema.org/"
STATUS = {
    Status.SCHEDULED: "EventScheduled",
    Status.CANCELLED: "EventCancelled",
    Status.POSTPONED: "EventPostponed",
    Status.RESCHEDULED: "EventRescheduled",
    Status.MOVED_ONLINE: "EventMovedOnline",
}

Url = Callable[[str], str]
"""Makes a site path absolute (or root-relative in a local build)."""


def to_script(data: dict[str, Any]) -> str:
    """JSON for a <script> element. Every `<` is written `\\u003c`, still
    valid JSON: neither `</script>` nor `<!--` can end or derail the element."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.replace("<", "\\u003c")


def when(value: datetime, all_day: bool) -> str:
    return value.date().isoformat() if all_day else value.isoformat(timespec="minutes")


def edition_event(
    edition: Edition, page_url: str, camp_url: str, images: list[str], now: datetime, url: Url
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": edition.title,
        "url": url(page_url),
        "startDate": when(edition.start, edition.all_day),
        "eventStatus": SCHEMA + STATUS[edition.status],
        "eventAttendanceMode": SCHEMA + _attendance(edition),
        "inLanguage": edition.language,
        "image": [url(i) for i in images],
        "organizer": {"@type": "Organization", "name": edition.camp.name, "url": url(camp_url)},
        "superEvent": {"@type": "EventSeries", "name": edition.camp.name, "url": url(camp_url)},
    }
    end = _end(edition)
    if end is not None:
        data["endDate"] = end
    location = _location(edition)
    if location:
        data["location"] = location
    if edition.summary or edition.description:
        data["description"] = edition.summary or edition.description
    if edition.status is Status.RESCHEDULED and edition.previous_start:
        data["previousStartDate"] = when(edition.previous_start, edition.all_day)
    if edition.price is not None:
        offer = _offer(edition, page_url, now, url)
        if offer is not None:
            data["offers"] = offer
        data["isAccessibleForFree"] = edition.price.is_free
    if edition.capacity:
        data["maximumAttendeeCapacity"] = edition.capacity
    if edition.sessions:
        data["subEvent"] = [_session(s, edition, page_url, url) for s in edition.sessions]
    return data


def _end(edition: Edition) -> str | None:
    """None for a timed edition whose end is not announced: endDate is only
    recommended, and a made-up one (the bare day, read as its midnight)
    would end the event before it starts."""
    if edition.all_day:
        return edition.last_day.isoformat()
    if edition.end is None:
        return None
    return when(edition.end, False)


def _attendance(edition: Edition) -> str:
    if edition.is_online_only:
        return "OnlineEventAttendanceMode"
    if edition.is_hybrid:
        return "MixedEventAttendanceMode"
    return "OfflineEventAttendanceMode"


def _location(edition: Edition) -> Any:
    places = []
    if edition.venue and edition.status is not Status.MOVED_ONLINE:
        places.append(place(edition.venue))
    if edition.online:
        places.append({"@type": "VirtualLocation", "url": edition.online})
    return places[0] if len(places) == 1 else places or None


def place(venue: Venue) -> dict[str, Any]:
    address = {"@type": "PostalAddress"}
    for key, value in (("streetAddress", venue.address), ("addressLocality", venue.city),
                       ("postalCode", venue.postcode), ("addressCountry", venue.country)):
        if value:
            address[key] = value
    data: dict[str, Any] = {"@type": "Place", "name": venue.name, "address": address}
    if venue.geo:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": venue.geo[0], "longitude": venue.geo[1]}
    return data


def _offer(edition: Edition, page_url: str, now: datetime, url: Url) -> dict[str, Any] | None:
    """The edition's offer at the build's `now`, or None when there is none
    to be had: cancelled, or over. Google's event availabilities are
    InStock, SoldOut and PreOrder only; registration closed before the
    edition is SoldOut (no place can be had), with its closing time in
    validThrough. Postponed editions keep theirs: the places stand for the
    new date."""
    price = edition.price
    registration = edition.registration
    if edition.status is Status.CANCELLED or edition.is_past(now):
        return None
    state = registration.state(now) if registration else "open"
    if edition.sold_out or state == "closed":
        availability = "SoldOut"
    elif state == "not-open":
        availability = "PreOrder"
    else:
        availability = "InStock"
    offer: dict[str, Any] = {
        "@type": "Offer",
        "price": "0" if price.is_free else str(price.amount),
        "priceCurrency": price.currency,
        "availability": SCHEMA + availability,
        "url": registration.url if registration else url(page_url),
    }
    if registration and registration.opens:
        offer["validFrom"] = registration.opens.isoformat(timespec="minutes")
    if registration and registration.closes:
        offer["validThrough"] = registration.closes.isoformat(timespec="minutes")
    return offer


def _session(session: Session, edition: Edition, page_url: str, url: Url) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Event",
        "name": session.title,
        "startDate": when(session.start, False),
        "endDate": when(session.end, False),
        "location": {"@type": "Place", "name": session.room},
        "eventStatus": SCHEMA + STATUS[edition.status],
    }
    if session.hosts:
        data["performer"] = [{"@type": "Person", "name": h} for h in session.hosts]
    return data


def camp_series(camp: Camp, page_url: str, edition_urls: dict[str, str], url: Url) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "name": camp.name,
        "url": url(page_url),
        "subEvent": [
            {"@type": "Event", "name": e.title, "startDate": when(e.start, e.all_day),
             "url": url(edition_urls[e.path])}
            for e in camp.editions
        ],
    }
    if camp.tagline or camp.description:
        data["description"] = camp.tagline or camp.description
    if camp.website:
        data["sameAs"] = camp.website
    return data


def blog_posting(
    title: str, page_url: str, published: date | datetime, authors: list[str],
    about: dict[str, Any] | None, url: Url, image: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "url": url(page_url),
        "datePublished": published.isoformat(),
    }
    if authors:
        data["author"] = [{"@type": "Person", "name": a} for a in authors]
    if about:
        data["about"] = about
    if image:
        data["image"] = url(image)
    return data
