"""Venues still to be named: a warning while their edition is upcoming.

`campsite new edition --city` writes a placeholder venue, PLACEHOLDER_VENUE
in that city, when the camp has never met there. The edition is valid (its
city page, calendars and feeds work), so this is no error: the site may be
published while the bar is being chosen. But visitors must not be sent to
"Lieu à préciser" on the day, so `campsite check` says so until it is past.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

from ..errors import Problems
from ..messages import say
from ..model.site import Edition, Site, Status
from ..yamlfile import load_yaml

PLACEHOLDER_VENUE = "Lieu à préciser"

# Editions that will not be held at a venue: a placeholder there misleads no one.
NO_VENUE_NEEDED = (Status.CANCELLED, Status.MOVED_ONLINE)


def placeholder_venues(site: Site, now: datetime, content: Path) -> list[tuple[Path, int, str]]:
    """(file, line, message) for each upcoming edition whose venue is the
    placeholder. `content` is the content folder, which the model's source
    paths are relative to (the line of `venue:` is read from the file)."""
    found = []
    for edition in site.upcoming(now):
        if edition.status not in NO_VENUE_NEEDED and edition.venue and is_placeholder(edition.venue.name):
            path, line = _where_venue_is_named(edition, content)
            found.append((path, line, _message(edition)))
    return found


def _message(edition: Edition) -> str:
    if edition.city:
        return say('venue: "{name}" is a placeholder: name the venue in {city} before {date}',
                   name=edition.venue.name, city=edition.city, date=edition.first_day.isoformat())
    return say('venue: "{name}" is a placeholder: name the venue before {date}',
               name=edition.venue.name, date=edition.first_day.isoformat())


def is_placeholder(name: str | None) -> bool:
    """Whatever its case, accents or spacing: organisers retype it."""
    return isinstance(name, str) and _folded(name) == _folded(PLACEHOLDER_VENUE)


def _folded(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _where_venue_is_named(edition: Edition, content: Path) -> tuple[Path, int]:
    """The line of the venue's name in edition.yml, or of `venue:` when it
    names a camp.yml key; camp.yml's `defaults:` when the edition inherits it."""
    path = content / edition.source.path
    doc = load_yaml(path, Problems())
    if doc is not None and isinstance(doc.data, dict) and "venue" in doc.data:
        return path, doc.line_of(("venue", "name"))
    camp_path = content / edition.camp.source.path
    camp = load_yaml(camp_path, Problems())
    return camp_path, camp.line_of(("defaults", "venue", "name")) if camp is not None else 1
