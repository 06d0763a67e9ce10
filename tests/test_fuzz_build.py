"""Whole builds of random and mutated sites: either the build reports
problems (each at a file under content/, with a message) and writes nothing,
or every file it writes is valid. No exception may escape, in either case.

Each example is a small site, one or two camps of one to three editions,
generated valid-looking and then mutated:

- camp.yml, edition.yml and sessions.yml with hostile text in every text
  field (HTML, `]]>`, quotes, RTL, emoji, combining marks, very long and
  multi-line text, Markdown and character references in descriptions);
- times around DST changes (Europe/Paris, America/Montreal, Pacific/Chatham,
  Australia/Lord_Howe, America/Havana at midnight; Indian/Reunion and
  Asia/Kathmandu have none), written raw (perhaps skipped or doubled, which
  must be reported) or correctly, with their UTC offset where needed;
  all-day, timed, multi-day editions, with or without an end; every status
  (rescheduled with its former start, moved online with its link), sold out;
- session grids laid out room by room, with slots, hosts, links, slides;
- optional fields left out; YAML written plain (`start: 2026-06-13T09:30`,
  `country: NO`) or quoted, in block or flow style; the build's "now" fixed
  or during an edition (its now/next pages);
- then up to four blind mutations: a field or file dropped, emptied,
  replaced by junk or by control characters, a list item duplicated.

A successful build is checked file by file: every page parses without a
single parse error in html5lib's strict mode, is declared UTF-8 and its
JSON-LD blocks are JSON; every atom.xml validates against the RELAX NG
schema of RFC 4287 (../shared/schemas/atom.rng: the test skips without it);
every rss.xml has a titled channel and titled items; every .ics parses with
icalendar and vobject, each VEVENT has UID, DTSTAMP, DTSTART, SUMMARY and a
DTEND after its DTSTART, and no two VEVENTs share a UID; every .json, .xml
and .svg parses, every card image opens; nothing was logged as an error.

The suite runs 40 examples (about 15 s; a tiny build takes well under a
second); `CAMPSITE_FUZZ_BUILDS=2000 pytest tests/test_fuzz_build.py` runs a
longer campaign. There is no example database: every run tries new sites,
and a failure prints the `@reproduce_failure` blob that replays it.

The smallest sites of the defects the fuzzer found are at the end of the
file, as regression tests.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import html5lib
import icalendar
import lxml.html
import pytest
import vobject
import yaml
from campsite.build import BuildResult
from campsite.colour import palette
from conftest import SHARED, build_site, write
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from lxml import etree
from PIL import Image, ImageColor

ATOM_RNG = SHARED / "schemas" / "atom.rng"
BUILDS = int(os.environ.get("CAMPSITE_FUZZ_BUILDS", "40"))
FUZZ = settings(
    max_examples=BUILDS,
    deadline=None,
    database=None,
    print_blob=True,  # no database: a failure prints the blob that replays it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# ---------------------------------------------------------------- text

# Text campsite must carry safely into HTML, XML, JSON and iCalendar.
HOSTILE = [
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "a & b", "&amp; &lt; &#0; &#x110000; &bogus;",
    "]]>", "<![CDATA[x]]>", "<!-- x", "-->", "\"'`", "'; DROP TABLE x; --", "</title></head>", "<p>", "</div>",
    "<img src=x onerror=alert(1)>", "{{ 7 * 7 }}", "{% raw %}", "%s %d {0}", "\\", "\\n", "\\N",
    "مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "a\u200bb", "\ufeffBOM", "😀🎉👩‍👩‍👧‍👦", "🇫🇷", "e\u0301",
    "ÆØÅ æøå ß", "中文字符", "日本語のテキスト", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u00a0nbsp\u00a0", "\u2028line\u2029sep",
    "line one\nline two", "para\n\npara", "  padded  ", "*", "-", "#", "# heading", "[x](javascript:alert(1))",
    "**bold** _em_ `code`", "<b><i>misnested</b></i>", "<div>unclosed", "```\nfence", "| a | b |\n|---|---|\n| 1 | 2 |",
    "<table><tr><td>x", "<svg onload=alert(1)>", "<math><mi>x</mi>", "x" * 3000, "word " * 400, "a" * 250,
    "\U0010fffd", "\U000e0001", "BEGIN:VEVENT\nEND:VCALENDAR", "SUMMARY:x\r\nUID:y",
    "line;with,commas:and\\backslash", "tab\there", "cr\rlf",
    # Markdown and character references (descriptions are Markdown, cleaned to HTML)
    "&#x80; &#0; &#xD800; &#x110000; &#128512; &nbsp", "&#1; &#xFDD0;", "![alt](x.png \"t\")", "<https://example.org/?a=1&b=2>",
    "[a](https://example.org \"t<>\")", "<details><summary>s</summary>d</details>", "Setext\n===",
    "> quote\n> > nested", "1. one\n2. two\n   - sub", "x[^1]\n\n[^1]: note", "<a href='javascript:alert(1)'>a</a>",
    "<a href=\"{filename}x.md\">x</a>", "<style>body{}</style>", "<p>para</p></p>", "</body></html>",
]
# What campsite must refuse, as a problem: empty text, control characters,
# noncharacters, names too long for an address. Only mutations write them, so
# that most generated sites build.
REFUSED = ["", " ", "\n", "\x00", "\x01\x02", "\x0b\x0c", "\x1b[31m", "\x7f", "\x85", "\x9f", "\ufffe",
           "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff", "中" * 60, "x" * 300]
NAMES = ["Aude Ferrand", "Dan", "Zoé Œuvray", "محمد", "ישראל", "李雷", "O'Brien", "Ana \"Nana\" Li", "<b>Bob</b>", "🦊"]
ROOMS = ["Cave", "Salle 1", "salle-1", "SALLE 1", "Salle 2", "Auditorium", "Terrasse", "🍷", "<Room & co>", "Zaal één",
         "../..", "قاعة", "a/b", "."]
URLS = [
    "https://example.org", "https://example.org/a?b=1&c=2", "https://example.org/\"onmouseover=alert(1)",
    "https://example.org/<x>", "https://example.org/]]>", "https://例え.jp/パス?q=値", "http://[::1]:8080/x",
    "https://example.org/#frag", "https://example.org/" + "a" * 2000, "https://user:pw@example.org/",
    "mailto:a@example.org?subject=<x>&body=é", "https://example.org/%00", "https://example.org/\u202e",
]
LINK_URLS = URLS
WEB_URLS = [u for u in URLS if not u.startswith("mailto:")]


def is_noncharacter(char: str) -> bool:
    return 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE


printable = st.characters(exclude_categories=("Cc", "Cs"))
texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(printable, min_size=1, max_size=40).filter(str.strip),
    st.lists(st.sampled_from(HOSTILE) | st.text(printable, max_size=8), min_size=2, max_size=4).map("".join),
)
# Mutations also write what must be refused: control characters, empty text.
any_texts = st.one_of(
    texts,
    st.sampled_from(REFUSED),
    st.text(printable | st.characters(categories=["Cc"]), max_size=20),
    st.lists(texts | st.sampled_from(REFUSED), min_size=2, max_size=3).map("".join),
)
plain = st.sampled_from(["Vinocamp", "Greencamp", "Apéro numérique", "Mediascamp", "Bordeaux", "Lyon"])
words = plain | texts
names = st.sampled_from(NAMES) | texts


# Tags, rooms and cities name pages (tag/<name>/): mostly short ones, so that
# most sites build; mutations bring long ones, which must be refused.
labels = st.sampled_from(ROOMS) | texts.filter(lambda t: len(t) <= 60)


# ---------------------------------------------------------------- time

ZONES = ["Europe/Paris", "Indian/Reunion", "America/Montreal", "Pacific/Chatham", "Australia/Lord_Howe",
         "America/Havana", "Asia/Kathmandu", "UTC"]


def _transitions(name: str) -> list[datetime]:
    """The instants (UTC) at which `name` changes its UTC offset, 2025–2028."""
    zone = ZoneInfo(name)
    found = []
    day = datetime(2025, 1, 1, tzinfo=UTC)
    while day.year < 2029:
        after = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
            low, high = 0, 24 * 60
            while high - low > 1:
                middle = (low + high) // 2
                moment = day + timedelta(minutes=middle)
                if moment.astimezone(zone).utcoffset() == day.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(day + timedelta(minutes=high))
        day = after
    return found


TRANSITIONS = {name: _transitions(name) for name in ZONES}
assert TRANSITIONS["Europe/Paris"] and not TRANSITIONS["Indian/Reunion"]


def is_ambiguous(wall: datetime, zone: ZoneInfo) -> bool:
    early, late = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    return early.utcoffset() != late.utcoffset() and all(
        d.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall for d in (early, late)
    )


def offset_text(aware: datetime) -> str:
    text = aware.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def written(moment: datetime, zone: ZoneInfo, offset: bool = False) -> str:
    """How an organiser writes the instant `moment`: local wall time, with its
    UTC offset when the wall time happens twice (or when asked)."""
    local = moment.astimezone(zone)
    text = f"{local:%Y-%m-%dT%H:%M}"
    if offset or is_ambiguous(local.replace(tzinfo=None), zone):
        text += offset_text(local)
    return text


@st.composite
def wall_times(draw, zone: str) -> datetime:
    """A naive local time: often within two hours of a DST change."""
    if TRANSITIONS[zone] and draw(st.booleans()):
        change = draw(st.sampled_from(TRANSITIONS[zone]))
        before = (change - timedelta(minutes=1)).astimezone(ZoneInfo(zone)) + timedelta(minutes=1)
        return before.replace(tzinfo=None) + timedelta(minutes=15 * draw(st.integers(-8, 8)))
    day = draw(st.dates(date(2024, 1, 1), date(2028, 12, 31)))
    clock = draw(st.sampled_from([time(9, 30), time(10), time(18), time(0), time(23, 45), time(3, 59), time(4)])
                 | st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59])))
    return datetime.combine(day, clock)


# ---------------------------------------------------------------- files

LOGOS = {  # drawn on the cards: a raster one by Pillow, an SVG one by resvg
    "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
    "logo.png": bytes.fromhex("89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a7300000016494441"
                              "54789c633c2167c3c0c0c0c4c0c0c0c0c000000e4e0126476849220000000049454e44ae426082"),
}


def maybe(draw, value: Any, p: int = 2) -> Any:
    """`value` or, one time in `p`, leave the field out (None is dropped)."""
    return None if draw(st.integers(0, p - 1)) == 0 else value


def compact(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not None}


@st.composite
def venues(draw) -> dict:
    return compact({
        "name": draw(words),
        "address": maybe(draw, draw(texts)),
        "city": maybe(draw, draw(plain | labels)),
        "postcode": maybe(draw, draw(st.sampled_from(["33300", "01000", "SW1A 1AA", "97400"]))),
        "country": maybe(draw, draw(st.sampled_from(["FR", "no", "RE", "CA", "NZ", "GB"]))),
        "geo": maybe(draw, [draw(st.sampled_from(["44.86", "-90", "0", "1e-5", "-0.0"])),
                             draw(st.sampled_from(["-0.55", "180", "-179.999", "55.45"]))]),
        "access": maybe(draw, draw(texts)),
        "url": maybe(draw, draw(st.sampled_from(WEB_URLS))),
    })


@st.composite
def camps(draw, assets: dict[str, bytes]) -> dict:
    camp = {
        "name": draw(words),
        "tagline": maybe(draw, draw(texts)),
        "description": maybe(draw, draw(texts)),
        "language": maybe(draw, draw(st.sampled_from(["fr", "en", "ar", "he", "ja", "zh-Hant", "de-CH"]))),
        "timezone": maybe(draw, draw(st.sampled_from(ZONES))),
        "colour": maybe(draw, draw(st.sampled_from(["#7b1e3a", "#ABC", "#ffffff", "#000"]))),
        "website": maybe(draw, draw(st.sampled_from(WEB_URLS))),
        "organisers": maybe(draw, draw(st.lists(st.fixed_dictionaries(
            {"name": names}, optional={"url": st.sampled_from(WEB_URLS), "email": st.just("a.b@example.org")}),
            max_size=2))),
        "links": maybe(draw, draw(st.lists(st.fixed_dictionaries(
            {"title": words, "url": st.sampled_from(LINK_URLS)}), max_size=2))),
        "venues": maybe(draw, {"v": draw(venues()), "salle-des-fetes": draw(venues())}),
        "tags": maybe(draw, draw(st.lists(labels, max_size=3))),
        "recurrence": maybe(draw, draw(st.sampled_from(["FREQ=MONTHLY;BYDAY=-1TH", "FREQ=YEARLY;BYMONTH=6"])), 4),
    }
    logo = draw(st.sampled_from([None, "logo.svg", "logo.png"]))
    if logo:
        assets[logo] = LOGOS[logo]
        camp["logo"] = logo
    if draw(st.booleans()):
        camp["defaults"] = compact({
            "price": maybe(draw, "free"),
            "capacity": maybe(draw, draw(st.sampled_from(["150", "0", "1 000"]))),
            "rooms": maybe(draw, draw(st.lists(labels, min_size=1, max_size=3))),
            "language": maybe(draw, draw(st.sampled_from(["fr", "en"]))),
            "tags": maybe(draw, draw(st.lists(labels, max_size=2)), 3),
            "registration": maybe(draw, {"url": draw(st.sampled_from(LINK_URLS))}, 3),
        })
    return compact(camp)


@st.composite
def editions(draw, camp: dict, assets: dict[str, bytes]) -> tuple[dict, dict | None, datetime]:
    """An edition.yml and its sessions.yml (or None), as data, and its start."""
    zone_name = draw(st.sampled_from(ZONES))
    own_zone = draw(st.booleans()) or "timezone" not in camp
    zone = ZoneInfo(zone_name if own_zone else camp["timezone"])
    wall = draw(wall_times(zone.key))
    start = wall.replace(tzinfo=zone, fold=draw(st.integers(0, 1))).astimezone(UTC)
    all_day = draw(st.integers(0, 3)) == 0
    edition: dict[str, Any] = {"timezone": zone.key} if own_zone else {}
    if all_day:
        days = draw(st.integers(0, 3))
        edition["start"] = f"{wall.date()}"
        if days or draw(st.booleans()):
            edition["end"] = f"{wall.date() + timedelta(days=days)}"
        first = datetime.combine(wall.date(), time()).replace(tzinfo=zone).astimezone(UTC)
        sessions_from, sessions_until = first + timedelta(hours=10), first + timedelta(days=days, hours=22)
    else:
        # As written: the raw wall time (perhaps skipped or doubled by a DST
        # change, which must be reported) or the instant, written correctly.
        edition["start"] = f"{wall:%Y-%m-%dT%H:%M}" if draw(st.integers(0, 3)) == 0 else written(
            start, zone, draw(st.booleans()))
        minutes = draw(st.sampled_from([30, 90, 8 * 60 + 30, 26 * 60, 3 * 24 * 60]) | st.integers(1, 4000))
        end = start + timedelta(minutes=minutes)
        if draw(st.integers(0, 4)):
            edition["end"] = written(end, zone, draw(st.booleans()))
        else:
            end = start + timedelta(hours=6)
        sessions_from, sessions_until = start, end
    status = draw(st.sampled_from(["scheduled", "postponed", "rescheduled", "cancelled", "moved-online", None]))
    if status:
        edition["status"] = status
    if status == "rescheduled":
        before = start - timedelta(days=draw(st.integers(-40, 400)), minutes=draw(st.sampled_from([0, 30, 90])))
        edition["previous_start"] = f"{before.astimezone(zone).date()}" if all_day else written(before, zone)
    if status == "moved-online" or draw(st.integers(0, 3)) == 0:
        edition["online"] = draw(st.sampled_from(WEB_URLS))
    rooms = draw(st.lists(labels, min_size=1, max_size=3, unique=True))
    edition.update(compact({
        "title": maybe(draw, draw(words)),
        "venue": maybe(draw, draw(st.sampled_from(["v", "salle-des-fetes"]) if "venues" in camp else venues())),
        "registration": maybe(draw, compact({
            "url": draw(st.sampled_from(LINK_URLS)),
            "opens": maybe(draw, f"{(start - timedelta(days=draw(st.integers(1, 300)))).astimezone(zone).date()}"),
            "closes": maybe(draw, written(start - timedelta(hours=draw(st.integers(1, 48))), zone)),
        })),
        "price": maybe(draw, draw(st.sampled_from(["free"]) | st.fixed_dictionaries(
            {"amount": st.sampled_from(["10", "12,50", "0", "0.000001", "1e3", "99999999999999"])},
            optional={"currency": st.sampled_from(["EUR", "XPF", "JPY", "ZZZ", "CAD", "NZD"])}))),
        "capacity": maybe(draw, draw(st.sampled_from(["150", "0", "1 000", "99999999999"]))),
        "sold_out": maybe(draw, draw(st.sampled_from(["true", "false", "oui", "no"]))),
        "language": maybe(draw, draw(st.sampled_from(["fr", "en", "ar", "he", "ja", "pt-BR"]))),
        "rooms": maybe(draw, rooms, 4),
        "summary": maybe(draw, draw(texts)),
        "description": maybe(draw, draw(texts)),
        "tags": maybe(draw, draw(st.lists(labels, max_size=3))),
        "id": maybe(draw, draw(st.uuids().map(str) | st.just("5b0e7c1e-2f6a-4c1b-9d2e-0f4a6b8c9d10") | labels), 3),
    }))
    if draw(st.integers(0, 3)) == 0:
        logos = st.sampled_from(["sponsor.svg", "sponsor.svg", "sponsor.svg", "missing.png"])
        edition["sponsors"] = draw(st.lists(st.fixed_dictionaries(
            {"name": words}, optional={"url": st.sampled_from(WEB_URLS), "tier": words, "logo": logos}), max_size=2))
        assets["sponsor.svg"] = b'<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"/>'
    if draw(st.integers(0, 2)) == 0:
        return edition, None, start
    rooms = edition.get("rooms") or camp.get("defaults", {}).get("rooms") or rooms
    return edition, draw(programmes(zone, sessions_from, sessions_until, rooms, assets)), start


@st.composite
def programmes(draw, zone: ZoneInfo, start: datetime, end: datetime, rooms: list, assets: dict) -> dict:
    """sessions.yml: sessions laid out one after another in each room."""
    first_day = start.astimezone(zone).date()
    multi_day = ((end.astimezone(zone).replace(tzinfo=None) - timedelta(hours=4)).date() > first_day)

    def as_written(moment: datetime) -> str:
        local = moment.astimezone(zone).replace(tzinfo=None)
        programme_day = (local - timedelta(hours=4)).date()
        if multi_day or programme_day != first_day or is_ambiguous(local, zone) or draw(st.integers(0, 3)) == 0:
            return written(moment, zone)
        return f"{local:%H:%M}"

    cursor = dict.fromkeys(range(len(rooms)), start)
    sessions, slots = [], {}
    for _ in range(draw(st.integers(0, 5))):
        room = draw(st.integers(0, len(rooms) - 1))
        begins = cursor[room] + timedelta(minutes=draw(st.sampled_from([0, 15, 30, 60 * 25])))
        ends = begins + timedelta(minutes=draw(st.sampled_from([15, 45, 60, 90])))
        if ends > end and draw(st.integers(0, 3)):
            break
        cursor[room] = ends
        session = compact({
            "title": draw(words),
            "room": rooms[room],
            "start": as_written(begins),
            "end": as_written(ends),
            "hosts": maybe(draw, draw(st.lists(names, max_size=2, unique=True))),
            "tags": maybe(draw, draw(st.lists(labels, max_size=2))),
            "description": maybe(draw, draw(texts), 3),
            "id": maybe(draw, draw(st.uuids().map(str) | labels), 4),
        })
        links = compact({
            "slides": maybe(draw, draw(st.sampled_from(["slides.pdf", "https://example.org/s.pdf"])), 3),
            "notes": maybe(draw, draw(st.sampled_from(LINK_URLS)), 3),
            "video": maybe(draw, draw(st.sampled_from(LINK_URLS)), 4),
        })
        if links:
            session["links"] = links
            assets["slides.pdf"] = b"%PDF-1.4\n%%EOF\n"
        if draw(st.integers(0, 3)) == 0:  # its end comes from a slot
            slots[session["start"]] = session.pop("end")
        sessions.append(session)
    programme: dict[str, Any] = {"sessions": sessions}
    if slots:
        programme["slots"] = [{"start": s, "end": e} for s, e in slots.items()]
    return programme


# ---------------------------------------------------------------- mutations

junk = st.recursive(
    st.one_of(st.none(), any_texts, st.sampled_from(["2026-02-30", "25:99", "10:00", "2026-10-25T02:30", "yes", "-1"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "x", "start"]), inner,
                                                                max_size=2),
    max_leaves=5,
)


def places(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a document, as a path of keys and indexes."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += places(value, (*prefix, index))
    return found


@st.composite
def mutated(draw, files: dict[str, Any]) -> dict[str, Any]:
    files = copy.deepcopy(files)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 4]))):
        spots = places(files)
        if not spots:
            break
        path = draw(st.sampled_from(spots))
        parent = files
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        operation = draw(st.sampled_from(["drop", "empty", "text", "junk", "duplicate", "wrap"]))
        if len(path) == 1 and operation != "drop":
            continue  # a whole file: only ever dropped
        if operation == "drop":
            del parent[key]
        elif operation == "empty":
            parent[key] = None
        elif operation == "text":
            parent[key] = draw(any_texts)
        elif operation == "junk":
            parent[key] = draw(junk)
        elif operation == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif operation == "wrap":
            parent[key] = [parent[key]]
    return files


@dataclass
class Site:
    files: dict[str, Any]  # YAML documents (as data) by path under content/camps/
    assets: dict[str, bytes]  # logos, slides
    now: str  # the build's present
    plain: bool  # plain scalars where YAML allows (10:00, 2026-06-13, NO), as organisers write
    flow: bool | None  # YAML's default_flow_style

    def write(self, content: Path) -> None:
        for path, data in self.assets.items():
            (content / "camps" / path).parent.mkdir(parents=True, exist_ok=True)
            (content / "camps" / path).write_bytes(data)
        for path, data in self.files.items():
            text = yaml.dump(data, Dumper=PlainDumper if self.plain else yaml.SafeDumper, allow_unicode=True,
                             sort_keys=False, default_flow_style=self.flow, width=100)
            note(f"--- {path}\n{text}")
            (content / "camps" / path).parent.mkdir(parents=True, exist_ok=True)
            (content / "camps" / path).write_text(text, encoding="utf-8")


class PlainDumper(yaml.SafeDumper):
    """Writes `start: 2026-06-13T09:30`, `country: NO` unquoted: campsite
    reads every value as text, so quotes are not needed."""

    yaml_implicit_resolvers: ClassVar[dict] = {}


PlainDumper.add_implicit_resolver("tag:yaml.org,2002:null", re.compile("^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


NOWS = ["2026-11-21T12:00:00+01:00", "2024-01-01T00:00:00+00:00", "2026-10-25T02:30:00+01:00",
        "2029-01-01T00:00:00+14:00"]


@st.composite
def sites(draw) -> Site:
    files: dict[str, Any] = {}
    assets: dict[str, bytes] = {}
    starts: list[datetime] = []
    for camp_slug in draw(st.lists(st.sampled_from(["vinocamp", "x", "apero-2"]), min_size=1, max_size=2,
                                   unique=True)):
        camp_assets: dict[str, bytes] = {}
        camp = draw(camps(camp_assets))
        files[f"{camp_slug}/camp.yml"] = camp
        assets.update({f"{camp_slug}/{name}": data for name, data in camp_assets.items()})
        for folder in draw(st.lists(st.sampled_from(["2026-bordeaux", "2027", "2025-03-paris", "a"]), min_size=1,
                                    max_size=3, unique=True)):
            edition_assets: dict[str, bytes] = {}
            edition, sessions, start = draw(editions(camp, edition_assets))
            starts.append(start)
            files[f"{camp_slug}/{folder}/edition.yml"] = edition
            if sessions is not None:
                files[f"{camp_slug}/{folder}/sessions.yml"] = sessions
            assets.update({f"{camp_slug}/{folder}/{name}": data for name, data in edition_assets.items()})
    # Now: a fixed moment, or during an edition (its "now" and "next" pages).
    during = [(start + timedelta(minutes=minutes)).isoformat() for start in starts for minutes in (0, 45, 600)]
    now = draw(st.sampled_from(NOWS + during))
    files = draw(mutated(files))
    return Site(files, assets, now, draw(st.booleans()), draw(st.sampled_from([False, None])))


# ---------------------------------------------------------------- checks


def check_html(path: Path) -> None:
    """HTML without a single parse error (the HTML standard's own notion),
    declared UTF-8, and its JSON-LD blocks are JSON."""
    data = path.read_bytes()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(data)
    except html5lib.html5parser.ParseError as error:
        (line, column), code, details = parser.errors[-1]
        text = data.decode("utf-8", "replace")
        bad = next((i for i, c in enumerate(text) if is_noncharacter(c) or (
            unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\f\r")), None)
        if code == "invalid-codepoint" and bad is not None:  # html5lib does not say where: find it
            line, column = text.count("\n", 0, bad) + 1, bad - text.rfind("\n", 0, bad)
            code = f"{code} U+{ord(text[bad]):04X}"
        where = text.splitlines()[line - 1][max(0, column - 120):column + 80] if line else ""
        raise AssertionError(f"{path}:{line}:{column}: {code} {details or ''} ({error})\n  {where}") from None
    assert parser.documentEncoding == "utf-8", f"{path}: read as {parser.documentEncoding}, not declared UTF-8"
    for script in lxml.html.fromstring(data).xpath("//script[@type='application/ld+json']"):
        try:
            json.loads(script.text)
        except (TypeError, ValueError) as error:
            raise AssertionError(f"{path}: JSON-LD: {error}\n  {script.text!r}") from None


def check_atom(path: Path, schema: etree.RelaxNG) -> None:
    document = etree.parse(str(path))
    assert schema.validate(document), f"{path}: {schema.error_log.last_error}"


def check_rss(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    assert root.tag == "rss", path
    channel = root.find("channel")
    assert channel is not None and (channel.findtext("title") or "").strip(), f"{path}: channel without a title"
    for item in channel.findall("item"):
        assert (item.findtext("title") or "").strip(), f"{path}: item without a title: {etree.tostring(item)[:300]}"


def check_ics(path: Path) -> None:
    data = path.read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.name == "VCALENDAR" and "PRODID" in calendar and calendar.get("VERSION") == "2.0", (
        f"{path}: not a VCALENDAR with PRODID and VERSION:2.0")
    events = calendar.walk("VEVENT")
    # One UID is one event: several VEVENTs may share it only as its recurrences (RFC 5545 3.8.4.7).
    identities = [(str(e.get("UID")), str(e.get("RECURRENCE-ID", ""))) for e in events]
    twice = {uid for uid in identities if identities.count(uid) > 1}
    assert not twice, f"{path}: several VEVENTs with one UID: {sorted(twice)}"
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert name in event, f"{path}: a VEVENT without {name}: {event.to_ical()[:500]!r}"
        if "DTEND" in event:
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert type(start) is type(end), f"{path}: DTSTART {start!r} and DTEND {end!r} of different kinds"
            assert start < end, f"{path}: DTEND {end} is not after DTSTART {start} ({event['UID']})"
    read = list(vobject.readComponents(data.decode("utf-8")))  # parses every value, too
    assert len(read) == 1, f"{path}: {len(read)} calendars for vobject"
    assert len(read[0].contents.get("vevent", [])) == len(events), f"{path}: vobject and icalendar disagree"


def check_json(path: Path) -> None:
    try:
        json.loads(path.read_bytes())
    except ValueError as error:
        raise AssertionError(f"{path}: {error}") from None


def check_xml(path: Path) -> None:
    try:
        etree.parse(str(path), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        raise AssertionError(f"{path}: {error}") from None


def check_site(output: Path, atom: etree.RelaxNG) -> None:
    checked = 0
    for path in sorted(output.rglob("*")):
        if "pagefind" in path.relative_to(output).parts:
            continue  # Pagefind's own bundle
        if path.suffix == ".html":
            check_html(path)
        elif path.name == "atom.xml":
            check_xml(path)
            check_atom(path, atom)
        elif path.name == "rss.xml":
            check_xml(path)
            check_rss(path)
        elif path.suffix in (".xml", ".svg"):
            check_xml(path)
        elif path.suffix == ".png" and path.name.startswith("card"):  # drawn by campsite (others: copies)
            with Image.open(path) as image:
                image.verify()
        elif path.suffix == ".ics":
            check_ics(path)
        elif path.suffix == ".json":
            check_json(path)
        else:
            continue
        checked += 1
    assert checked > 10 and (output / "index.html").is_file() and (output / "calendar.ics").is_file()


class ErrorLog(logging.Handler):
    """Errors logged during a build (Pelican logs some failures and goes on)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# ---------------------------------------------------------------- the property

needs_atom_schema = pytest.mark.skipif(
    not ATOM_RNG.is_file(), reason=f"the Atom schema is absent: {ATOM_RNG} (../shared/schemas/ beside the project)")


def builds_valid_or_reports_problems(content: Path, now: str) -> BuildResult:
    """The property: build `content`; either every problem is reported, at
    a file under content/, and nothing is written; or every output is valid.
    Returns the build's result, for regression tests to check their own outcome."""
    output = content.parent / "output"
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        result = build_site(content, output, now=now)
    finally:
        logging.getLogger().removeHandler(errors)
    leftovers = [p.name for p in content.parent.glob(".output-*")]  # staging folders
    assert not leftovers, leftovers
    if result.problems:
        if currently_in_test_context():  # a hypothesis example: printed if it fails
            note("\n".join(map(str, result.problems)))
        for problem in result.problems:
            assert problem.path.startswith("content/") and problem.message.strip(), problem
        assert result.output is None and not output.exists(), "problems reported, yet the output was written"
        return result
    assert result.ok, f"the build stopped without a problem to report: {result.message}"
    assert not errors.records, [r.getMessage() for r in errors.records]
    assert result.output == output.resolve() and result.files_written
    check_site(output, etree.RelaxNG(etree.parse(str(ATOM_RNG))))
    return result


@needs_atom_schema
@FUZZ
@given(site=sites())
def test_a_random_site_builds_valid_or_reports_problems(site):
    with tempfile.TemporaryDirectory(prefix="fuzz-build-") as tmp:
        content = Path(tmp) / "content"
        (content / "camps").mkdir(parents=True)
        site.write(content)
        builds_valid_or_reports_problems(content, site.now)


# ---------------------------------------------------------------- what the fuzzer found
# The smallest sites of the defects the fuzzer found, each run through the
# same property, and each checked for the outcome its fix promises, in the
# built files (or the problems reported). Problems are read in English
# (conftest.py), the source language of campsite's messages.

EDITION = "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n"
ONE_SESSION = "sessions:\n  - {title: T, room: A, start: '10:00', end: '11:00', description: 'a &#1; b'}\n"
CAMP_FILE, EDITION_FILE, SESSIONS_FILE = (f"content/camps/x/{name}" for name in
                                          ("camp.yml", "2026-a/edition.yml", "2026-a/sessions.yml"))
Outcome = Callable[[BuildResult], None]


def one_edition_site(tmp_path: Path, camp: str, edition: str = EDITION, sessions: str | None = None) -> Path:
    content = tmp_path / "content"
    write(content / "camps/x/camp.yml", camp)
    write(content / "camps/x/2026-a/edition.yml", edition)
    if sessions is not None:
        write(content / "camps/x/2026-a/sessions.yml", sessions)
    return content


def built(result: BuildResult) -> Path:
    assert result.ok and result.output, [str(p) for p in result.problems] or result.message
    return result.output


def refused(*files: str, saying: str) -> Outcome:
    """The outcome: a problem at each of `files` (and nowhere else), saying `saying`."""
    def outcome(result: BuildResult) -> None:
        assert {p.path for p in result.problems} == set(files), [str(p) for p in result.problems]
        for problem in result.problems:
            assert saying in problem.message, problem
    return outcome


def cards_in(colour: str) -> Outcome:
    """The outcome: every card of the camp and its edition drawn on the camp's
    colour (cards.py: the background is palette().fill, index 0, where
    nothing is drawn: the corner)."""
    def outcome(result: BuildResult) -> None:
        fill = ImageColor.getrgb(palette(colour).fill)
        for card in ("x/card.png", "x/card-4x3.png", "x/card-1x1.png", "x/2026-a/card.png"):
            with Image.open(built(result) / card) as image:
                assert image.convert("RGB").getpixel((0, 0)) == fill, card
    return outcome


def edition_card_drawn(result: BuildResult) -> None:
    # The camp's name is the edition card's footer: the line break that made
    # Pillow's layout fail is a space now, and the card is drawn.
    with Image.open(built(result) / "x/2026-a/card.png") as image:
        assert image.format == "PNG" and image.size == (1200, 630)


def read_as(path: Path) -> str:
    """All `path` says, raw and as its parser reads it (a page's JSON-LD decoded
    too: a "\\u0001" escape is the character; a feed's HTML content unescaped)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".xml":
        return raw + "".join(etree.parse(str(path)).getroot().itertext())
    page = lxml.html.fromstring(path.read_bytes())
    data = [text for s in page.xpath("//script[@type='application/ld+json']") for text in strings(json.loads(s.text))]
    return "".join([raw, page.text_content(), *data])


def strings(value: Any) -> list[str]:
    """Every string in a JSON value, decoded (json.dumps would escape control characters again)."""
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def dropped(character: str, reference: str, page: str) -> Outcome:
    """The outcome: the description "a `reference` b" shown on `page` as "a  b"
    (characters.py: bodies lose forbidden characters), the character in no
    page or Atom feed, and its reference in no feed's content, which is HTML
    a feed reader decodes."""
    def outcome(result: BuildResult) -> None:
        output = built(result)
        shown = lxml.html.fromstring((output / page).read_bytes()).xpath("string(//main)")
        assert re.search(r"\ba\s+b\b", shown), f"{page}: the description is not shown"
        for path in [*output.rglob("*.html"), *output.rglob("atom.xml")]:
            assert character not in read_as(path), path.relative_to(output)
        for feed in output.rglob("atom.xml"):
            assert reference not in read_as(feed), feed.relative_to(output)
    return outcome


FOUND: dict[str, tuple[str, str, str | None, Outcome]] = {
    # What failed, before 0d9e1f4: (camp.yml, edition.yml, sessions.yml, the outcome now).
    # cards.py _blend: bytes.fromhex("abc") ValueError (a worker's RuntimeError); now #abc is #aabbcc
    "three-digit-colour": ('name: X\ncolour: "#abc"\n', EDITION, None, cards_in("#aabbcc")),
    # OSError ENAMETOOLONG: a tag, room or city is a folder of the site (slugs transliterated: 中 → zhong);
    # now refused by the model (fields.py _name) at the file naming it, before anything is written
    "long-tag": ("name: X\n", EDITION + "tags: [" + "a" * 256 + "]\n", None,
                 refused(EDITION_FILE, saying="too long to name a page")),
    "long-transliterated-tag": ("name: X\n", EDITION + "tags: [" + "中" * 50 + "]\n", None,
                                refused(EDITION_FILE, saying="too long to name a page")),
    "long-room": ("name: X\n", EDITION + "rooms: [" + "r" * 256 + "]\n",
                  "sessions:\n  - {title: T, room: " + "r" * 256 + ", start: '10:00', end: '11:00'}\n",
                  refused(EDITION_FILE, SESSIONS_FILE, saying="too long to name a page")),
    "long-city": ("name: X\n", EDITION + "venue: {name: V, city: " + "c" * 256 + "}\n", None,
                  refused(EDITION_FILE, saying="too long to name a page")),
    # a noncharacter in a page: invalid HTML (noncharacter-in-input-stream); now a title holding one is refused
    "noncharacter-fdd0": ("name: X\n", EDITION + 'title: "A\\uFDD0B"\n', None,
                          refused(EDITION_FILE, saying="title: noncharacter U+FDD0")),
    "noncharacter-1fffe": ("name: X\n", EDITION + 'title: "A\\U0001FFFEB"\n', None,
                           refused(EDITION_FILE, saying="title: noncharacter U+1FFFE")),
    # the camp's name, drawn unwrapped on the edition cards: Pillow "raqm_layout() failed"
    "camp-name-crlf": ('name: "Camp\\r\\nX"\n', EDITION, None, edition_card_drawn),
    "camp-name-paragraph-separator": ('name: "Camp\\nX\\u2029Y"\n', EDITION, None, edition_card_drawn),
    # Markdown &#1; came out as a raw U+0001: invalid pages; in an edition, feedgen's ValueError
    "reference-to-control-camp": ('name: X\ndescription: "a &#1; b"\n', EDITION, None,
                                  dropped("\x01", "&#1;", "x/index.html")),
    "reference-to-control-edition": ("name: X\n", EDITION + 'description: "a &#1; b"\n', None,
                                     dropped("\x01", "&#1;", "x/2026-a/index.html")),
    "reference-to-control-session": ("name: X\n", EDITION, ONE_SESSION,
                                     dropped("\x01", "&#1;", "x/2026-a/index.html")),
    "reference-to-noncharacter": ("name: X\n", EDITION + 'description: "a &#xFDD0; b"\n', None,
                                  dropped("\ufdd0", "&#xFDD0;", "x/2026-a/index.html")),
}


@needs_atom_schema
@pytest.mark.parametrize("name", FOUND)
def test_what_the_fuzzer_found_builds_valid_or_is_reported(tmp_path, name):
    *files, outcome = FOUND[name]
    outcome(builds_valid_or_reports_problems(one_edition_site(tmp_path, *files), NOWS[0]))


@needs_atom_schema
@pytest.mark.parametrize("data", [b"", b"not an image", LOGOS["logo.png"][:40]], ids=["empty", "text", "truncated"])
def test_an_unreadable_raster_logo_builds_valid_or_is_reported(tmp_path, data):
    # Before 0d9e1f4: PIL's UnidentifiedImageError or "image file is truncated" while drawing the cards.
    # Now the loader refuses it, at the camp.yml that names it (the line to change), before any card is drawn.
    content = one_edition_site(tmp_path, "name: X\nlogo: logo.png\n")
    (content / "camps/x/logo.png").write_bytes(data)
    refused(CAMP_FILE, saying='"logo.png" is not a readable image')(builds_valid_or_reports_problems(content, NOWS[0]))


@needs_atom_schema
@pytest.mark.parametrize("first, second, reported", [
    ("{title: Pause}", "{title: Pause}", None),
    ("{title: Atelier vin}", "{title: Atelier Vin !}", None),
    ("{title: ورشة}", "{title: 工作坊}", None),
    ("{title: A, id: s1}", "{title: B, id: s1}", '"s1" is already the id'),
], ids=["same-title", "alike", "non-latin", "same-id"])
def test_alike_sessions_get_their_own_uids(tmp_path, first, second, reported):
    # Before: one calendar UID for both (a title reduced to [a-z0-9-], "" for
    # non-Latin titles; a repeated id not refused), so calendar apps kept one.
    sessions = (f"sessions:\n  - {first[:-1]}, room: A, start: '10:00', end: '11:00'}}\n"
                f"  - {second[:-1]}, room: A, start: '11:00', end: '12:00'}}\n")
    result = builds_valid_or_reports_problems(one_edition_site(tmp_path, "name: X\n", EDITION, sessions), NOWS[0])
    if reported:  # an id is the organiser's: a repeated one is refused, not renamed
        refused(SESSIONS_FILE, saying=reported)(result)
        return
    titles = [yaml.safe_load(first)["title"], yaml.safe_load(second)["title"]]
    events = icalendar.Calendar.from_ical((built(result) / "x/2026-a/sessions.ics").read_bytes()).walk("VEVENT")
    # The schedule's calendar holds the edition's VEVENT too: the sessions' are the two with their titles.
    uids = [str(e["UID"]) for e in events if str(e["SUMMARY"]) in titles]
    assert len(uids) == 2 and len(set(uids)) == 2 and edition_uid(result.output) not in uids, uids


def edition_uid(output: Path) -> str:
    """The edition's UID, as its own calendar (event.ics) gives it."""
    (event,) = icalendar.Calendar.from_ical((output / "x/2026-a/event.ics").read_bytes()).walk("VEVENT")
    return str(event["UID"])


@needs_atom_schema
@pytest.mark.parametrize("camp_tags, edition_tags, address", [
    ("[vin]", "[Vin]", "vin"),
    ("[]", "[a b, A-B]", "a-b"),
], ids=["camp-and-edition", "one-edition"])
def test_tags_with_one_address_list_an_edition_once(tmp_path, camp_tags, edition_tags, address):
    # Before: listed twice on the tag's page, its VEVENT twice in its calendar with one UID.
    content = one_edition_site(tmp_path, f"name: X\ntags: {camp_tags}\n", EDITION + f"tags: {edition_tags}\n")
    output = built(builds_valid_or_reports_problems(content, NOWS[0]))
    page = lxml.html.fromstring((output / "tag" / address / "index.html").read_bytes())
    assert len(page.xpath("//main//a[@href='../../x/2026-a/']")) == 1
    calendar = icalendar.Calendar.from_ical((output / "tag" / address / "calendar.ics").read_bytes())
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")].count(edition_uid(output)) == 1
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == edition_uid(output)]
    assert len(event["CATEGORIES"].cats) == 1  # one tag, one category, however it is spelt
