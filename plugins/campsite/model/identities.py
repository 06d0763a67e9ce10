"""The identities every output gives an edition, a session and a person,
so that each is the same thing in calendar apps, feed readers and
conference apps, build after build.

A calendar UID names an edition by its path (`vinocamp/2026-bordeaux`) and
a session by its key within the edition (Edition.session_keys), under the
site's CAMPSITE_UID_DOMAIN; conference apps take GUIDs, uuid5 of those UIDs,
and people's ids made from their names, folded."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid

from .site import Edition, Session


def edition_uid(edition: Edition, domain: str) -> str:
    return f"{edition.id}@{domain}"


def session_uid(edition: Edition, session: Session, domain: str) -> str:
    return f"{edition.id}/sessions/{session_key(edition, session)}@{domain}"


def session_key(edition: Edition, session: Session) -> str:
    """A session's identity within its edition (Edition.session_keys)."""
    try:
        return edition.session_keys[id(session)]
    except KeyError:
        raise ValueError(f"{session.title!r} is not a session of {edition.path}") from None


def room_uid(edition: Edition, room: str, domain: str) -> str:
    return f"{edition.id}/rooms/{room}@{domain}"


def guid(text: str) -> str:
    """A UUID for conference apps, the same for the same text."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, text))


def person_key(name: str) -> str:
    """Who a host is, for ids: their name, lower case, accents dropped, runs
    of spaces as one ("  Zoé  MARTIN" → "zoe martin")."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def person_id(name: str) -> int:
    """A positive integer that fits a signed 32-bit int (ConfClerk, Java
    readers), from the first 8 hex digits of the folded name's SHA-1: the
    same person has the same id in every file of every build."""
    digest = hashlib.sha1(person_key(name).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % (2**31 - 1) + 1


def person_guid(name: str) -> str:
    return guid(f"person:{person_key(name)}")
