"""An edition's programme for conference apps: frab/c3voc schedule.json and
schedule.xml, read offline by Giggity, EventFahrplan, ConfClerk.

GUIDs are uuid5 of the session's calendar identity, so the same session is
the same everywhere; days are programme days (after midnight belongs to the
evening before).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from lxml import etree

from . import __version__
from .calendars import CalendarOptions, session_uid
from .model.site import Edition, Session
from .model.times import instant

LINK_TYPES = {"slides": "slides", "video": "media", "audio": "media", "photos": "media",
              "notes": "web", "code": "related", "website": "web"}


def guid(text: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, text))


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "session"


class Programme:
    """The data both formats share, computed once per edition."""

    def __init__(self, edition: Edition, page_url: str, url, options: CalendarOptions):
        self.edition = edition
        self.page_url = page_url
        self.url = url  # site path → absolute URL (or root-relative)
        self.options = options
        self.acronym = f"{edition.camp.slug}-{edition.slug}"
        self.days = edition.programme()
        self.rooms = edition.rooms_in_use()
        self.ids: dict[str, int] = {}

    def session_guid(self, session: Session) -> str:
        return guid(session_uid(self.edition, session, self.options))

    def session_id(self, session: Session) -> int:
        """A positive integer, as frab wants: from the GUID, unique in the file."""
        key = self.session_guid(session)
        if key not in self.ids:
            number = int(key.replace("-", "")[:7], 16) + 1
            while number in self.ids.values():
                number += 1
            self.ids[key] = number
        return self.ids[key]

    def room_guid(self, room: str) -> str:
        return guid(f"{self.edition.id}/rooms/{room}@{self.options.uid_domain}")

    def links(self, session: Session) -> list[dict[str, str]]:
        return [
            {"url": target if "://" in target else self.url(target), "title": label,
             "type": LINK_TYPES.get(label, "related")}
            for label, target in sorted(session.links.items())
        ]

    def slot_length(self) -> str:
        lengths = sorted({s.end - s.start for s in self.edition.sessions})
        return _duration(lengths[0]) if lengths else "00:30"

    def day_bounds(self, sessions: list[Session]) -> tuple[datetime, datetime]:
        return (min(sessions, key=lambda s: instant(s.start)).start,
                max(sessions, key=lambda s: instant(s.end)).end)


def schedule_json(programme: Programme) -> str:
    edition = programme.edition
    days = []
    for index, (day, sessions) in enumerate(programme.days, 1):
        start, end = programme.day_bounds(sessions)
        rooms = {room: [_json_event(programme, s) for s in sessions if s.room == room]
                 for room in programme.rooms}
        days.append({"index": index, "date": day.isoformat(), "day_start": start.isoformat(),
                     "day_end": end.isoformat(), "rooms": {k: v for k, v in rooms.items() if v}})
    data = {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "campsite", "version": __version__},
        "schedule": {
            "version": programme.options.prodid,
            "base_url": programme.url(""),
            "conference": {
                "acronym": programme.acronym,
                "title": edition.title,
                "start": (programme.days[0][1][0].start if programme.days else edition.start).isoformat(),
                "end": (edition.end or edition.ends).isoformat(),
                "daysCount": len(days),
                "timeslot_duration": programme.slot_length(),
                "time_zone_name": edition.timezone.key,
                "url": programme.url(programme.page_url),
                "rooms": [{"name": r, "guid": programme.room_guid(r)} for r in programme.rooms],
                "days": days,
            },
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_event(programme: Programme, session: Session) -> dict[str, Any]:
    return {
        "guid": programme.session_guid(session),
        "id": programme.session_id(session),
        "date": session.start.isoformat(),
        "start": f"{session.start:%H:%M}",
        "duration": _duration(session.end - session.start),
        "room": session.room,
        "slug": f"{programme.acronym}-{_slug(session.title)}",
        "url": programme.url(programme.page_url),
        "title": session.title,
        "subtitle": "",
        "track": session.tags[0] if session.tags else None,
        "type": "session",
        "language": programme.edition.language,
        "abstract": session.description or "",
        "description": session.description or "",
        "persons": [{"name": h, "guid": guid(f"person:{programme.edition.id}:{h}")} for h in session.hosts],
        "links": programme.links(session),
    }


def schedule_xml(programme: Programme) -> bytes:
    edition = programme.edition
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name="campsite", version=__version__)
    etree.SubElement(root, "version").text = programme.options.prodid
    conference = etree.SubElement(root, "conference")
    for name, value in (
        ("title", edition.title),
        ("acronym", programme.acronym),
        ("start", edition.start.isoformat()),
        ("end", (edition.end or edition.ends).isoformat()),
        ("days", str(len(programme.days))),
        ("timeslot_duration", programme.slot_length()),
        ("time_zone_name", edition.timezone.key),
    ):
        etree.SubElement(conference, name).text = value
    page = programme.url(programme.page_url)
    if page.startswith("http"):
        etree.SubElement(conference, "url").text = page
    for index, (day, sessions) in enumerate(programme.days, 1):
        start, end = programme.day_bounds(sessions)
        day_element = etree.SubElement(root, "day", date=day.isoformat(), start=start.isoformat(),
                                       end=end.isoformat(), index=str(index))
        for room in programme.rooms:
            in_room = [s for s in sessions if s.room == room]
            if in_room:
                room_element = etree.SubElement(day_element, "room", name=room, guid=programme.room_guid(room))
                for session in in_room:
                    _xml_event(room_element, programme, session, page)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xml_event(parent: etree._Element, programme: Programme, session: Session, page: str) -> None:
    event = etree.SubElement(parent, "event", guid=programme.session_guid(session),
                             id=str(programme.session_id(session)))
    for name, value in (
        ("room", session.room),
        ("title", session.title),
        ("type", "session"),
        ("date", session.start.isoformat()),
        ("start", f"{session.start:%H:%M}"),
        ("duration", _duration(session.end - session.start)),
        ("abstract", session.description or ""),
        ("track", session.tags[0] if session.tags else ""),
        ("language", programme.edition.language or ""),
    ):
        etree.SubElement(event, name).text = value
    persons = etree.SubElement(event, "persons")
    for host in session.hosts:
        etree.SubElement(persons, "person", guid=guid(f"person:{programme.edition.id}:{host}")).text = host
    links = etree.SubElement(event, "links")
    for link in programme.links(session):
        etree.SubElement(links, "link", href=link["url"], type=link["type"]).text = link["title"]
    if page.startswith("http"):
        etree.SubElement(event, "url").text = page
