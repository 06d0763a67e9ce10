"""An edition's programme for conference apps: frab/c3voc schedule.json and
schedule.xml, read offline by Giggity, EventFahrplan, ConfClerk.

GUIDs are uuid5 of the session's calendar identity, so the same session is
the same everywhere; days are programme days (after midnight belongs to the
evening before).

What the readers need (read in their parsers' source):
- ConfClerk reads `<conference><start>`/`<end>` as `yyyy-MM-dd` only (a
  datetime with an offset becomes 2106-02-07 and no event is listed), so
  they are the programme's first and last local days; c3voc's own tools
  write schedule.json's the same way.
- ConfClerk keeps one table of persons for every conference it has loaded,
  keyed by the `<person id>` (an integer) with unique names, and
  schedule-convert merges presenters by that id: without one, every session
  gets the first host. A person's id (and GUID) comes from their name,
  folded (case, spaces, accents), so it is the same in every session and
  every edition of the site.
- The c3voc v1 JSON schema's acronym pattern admits no hyphen but before a
  `-2YYY-word` tail: the acronym is the edition's path with `_` for every
  other character, which the frab XSD accepts too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from lxml import etree

from . import __version__
from .model.identities import guid, person_guid, person_id, person_key, room_uid, session_uid
from .model.site import Edition, Session
from .model.times import instant

LINK_TYPES = {"slides": "slides", "video": "media", "audio": "media", "photos": "media",
              "notes": "web", "code": "related", "website": "web"}


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def acronym(edition: Edition) -> str:
    """The edition's path in the form the c3voc v1 schema's pattern
    (^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$) and the frab XSD's
    ([a-z0-9_-]{4,}) both accept: "ruralcamp/2025-saint-leu" →
    "ruralcamp_2025_saint_leu"."""
    folded = unicodedata.normalize("NFKD", f"{edition.camp.slug}_{edition.slug}").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_").ljust(4, "_")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "session"


class Programme:
    """The data both formats share, computed once per edition."""

    def __init__(self, edition: Edition, page_url: str, url, uid_domain: str, prodid: str):
        self.edition = edition
        self.page_url = page_url
        self.url = url  # site path → absolute URL (or root-relative)
        self.uid_domain = uid_domain  # CAMPSITE_UID_DOMAIN (model/identities.py)
        self.prodid = prodid  # campsite and its version, as the calendars name them
        self.acronym = acronym(edition)
        self.days = edition.programme()
        self.rooms = edition.rooms_in_use()
        self.ids: dict[str, int] = {}
        self.person_ids: dict[str, int] = {}

    @property
    def first_day(self) -> date:
        """The programme's first local day (ConfClerk reads a plain date)."""
        return min([self.edition.first_day, *(day for day, _ in self.days[:1])])

    @property
    def last_day(self) -> date:
        return max([self.edition.last_day, *(day for day, _ in self.days[-1:])])

    def person_id(self, name: str) -> int:
        """`person_id(name)`; should two folded names of this file share
        one (a 1 in 2^31 chance), the later in alphabetical order takes the
        next free number, so that no two people of a file share an id."""
        if not self.person_ids:
            taken: set[int] = set()
            for key in sorted({person_key(h) for s in self.edition.sessions for h in s.hosts}):
                number = person_id(key)
                while number in taken:
                    number = number % (2**31 - 1) + 1
                taken.add(number)
                self.person_ids[key] = number
        return self.person_ids.get(person_key(name)) or person_id(name)

    def persons(self, session: Session) -> list[dict[str, Any]]:
        """Each host once (folded names), in the session's order."""
        hosts: dict[str, str] = {}
        for host in session.hosts:
            hosts.setdefault(person_key(host), host)
        return [{"id": self.person_id(h), "guid": person_guid(h), "public_name": h} for h in hosts.values()]

    def session_guid(self, session: Session) -> str:
        return guid(session_uid(self.edition, session, self.uid_domain))

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
        return guid(room_uid(self.edition, room, self.uid_domain))

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
            "version": programme.prodid,
            "base_url": programme.url(""),
            "conference": {
                "acronym": programme.acronym,
                "title": edition.title,
                "start": programme.first_day.isoformat(),
                "end": programme.last_day.isoformat(),
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
        # FrabPerson of the schema (id and public_name; with "name" too it
        # would match both of its oneOf); "code" as pretalx has it, which
        # schedule-convert's c3voc reader requires.
        "persons": [{**person, "code": f"{person['id']:08X}"} for person in programme.persons(session)],
        "links": programme.links(session),
    }


def schedule_xml(programme: Programme) -> bytes:
    edition = programme.edition
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name="campsite", version=__version__)
    etree.SubElement(root, "version").text = programme.prodid
    conference = etree.SubElement(root, "conference")
    for name, value in (
        ("title", edition.title),
        ("acronym", programme.acronym),
        ("start", programme.first_day.isoformat()),
        ("end", programme.last_day.isoformat()),
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
    for person in programme.persons(session):
        etree.SubElement(persons, "person", id=str(person["id"]), guid=person["guid"]).text = person["public_name"]
    links = etree.SubElement(event, "links")
    for link in programme.links(session):
        etree.SubElement(links, "link", href=link["url"], type=link["type"]).text = link["title"]
    if page.startswith("http"):
        etree.SubElement(event, "url").text = page
