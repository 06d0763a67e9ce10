"""`campsite new`: new camps and new editions, written as organisers would.

A new edition is the chosen one (the last, by default) moved to a new date:
its fields are copied, its start moved to the new day at the same time,
every other date moved by as much, and what belongs to the old edition
(id, status, former date, sold out, sessions) left behind. Without a date,
the camp's `recurrence` (an RRULE such as FREQ=MONTHLY;BYDAY=-1TH) proposes
the next one: a planning hint, nothing more.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from dateutil.rrule import rrulestr

from .model.site import Edition
from .model.times import parse_moment

SCHEMA_COMMENT = "# yaml-language-server: $schema={path}\n"
LEFT_BEHIND = ("id", "status", "previous_start", "sold_out", "title")
MOVED_WITH_THE_DATE = (("end",), ("registration", "opens"), ("registration", "closes"))


class ScaffoldError(Exception):
    """A scaffolding request that cannot be carried out, said plainly."""


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def dump(data: dict[str, Any]) -> str:
    """YAML as organisers write it: keys in order, long text as blocks."""

    class Dumper(yaml.SafeDumper):
        """Standard YAML: values other tools would read as numbers or dates
        stay quoted, so editors checking against the schemas agree."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def camp_yaml(name: str, language: str, timezone: str, colour: str, schema_path: str) -> str:
    data = {"name": name, "language": language, "timezone": timezone, "colour": colour,
            "tagline": f"{name} : un barcamp", "defaults": {"price": "free"}}
    return SCHEMA_COMMENT.format(path=schema_path) + dump(data)


def next_date(recurrence: str, after: date) -> date:
    """The first date of `recurrence` after `after`."""
    try:
        rule = rrulestr(recurrence, dtstart=datetime.combine(after, datetime.min.time()))
    except (ValueError, TypeError) as error:
        raise ScaffoldError(f'recurrence "{recurrence}" is not an RRULE: {error}') from None
    found = rule.after(datetime.combine(after, datetime.min.time()))
    if found is None:
        raise ScaffoldError(f'recurrence "{recurrence}" has no date after {after}')
    return found.date()


def new_edition_data(source: dict[str, Any], new_day: date) -> dict[str, Any]:
    """`source` (edition.yml's text-only data) moved so that it starts on `new_day`."""
    data = {k: v for k, v in source.items() if k not in LEFT_BEHIND}
    start = parse_moment(str(source["start"]))
    old_day = start.date() if isinstance(start, datetime) else start
    shift = new_day - old_day
    data["start"] = _moved(str(source["start"]), shift)
    for path in MOVED_WITH_THE_DATE:
        holder = data
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder.get(key), dict) else {}
        if isinstance(holder.get(path[-1]), str):
            holder[path[-1]] = _moved(holder[path[-1]], shift)
    data["id"] = str(uuid.uuid4())
    return data


def _moved(text: str, shift: timedelta) -> str:
    moment = parse_moment(text)
    moved = moment + shift
    if isinstance(moved, datetime):
        return moved.strftime("%Y-%m-%dT%H:%M")
    return moved.isoformat()


def edition_folder(camp_folder: Path, day: date, city: str | None, several_a_year: bool = False) -> Path:
    """YYYY-city, or YYYY-MM-city when a camp meets more than once a year."""
    name = "-".join(p for p in (str(day.year), slug(city) if city else "") if p)
    if several_a_year or (camp_folder / name).exists():
        name = "-".join(p for p in (f"{day:%Y-%m}", slug(city) if city else "") if p)
    if (camp_folder / name).exists():
        raise ScaffoldError(f"{camp_folder.name}/{name} exists already")
    return camp_folder / name


def pick_source(editions: list[Edition], name: str) -> Edition:
    if not editions:
        raise ScaffoldError("this camp has no edition to copy yet: write the first edition.yml by hand")
    if name == "last":
        return editions[-1]
    found = next((e for e in editions if e.slug == name), None)
    if found is None:
        raise ScaffoldError(f'no edition "{name}" (the editions: {", ".join(e.slug for e in editions)})')
    return found
