"""Rules that need several sessions or editions at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import Problems
from ..messages import say
from ..model.site import Edition, Session, Site, Source
from ..model.times import instant


def check_site(site: Site, problems: Problems, content: Path, camps: set[str] | None = None) -> None:
    """`content`: the content folder, which model source paths are relative
    to. With `camps` (the camps read again after an edit: reload_camps),
    only their editions' sessions are checked, the others' were when they
    were read; the rules across camps always see them all."""
    editions = site.editions  # sorted anew at each call: once here
    for edition in editions:
        if camps is not None and edition.camp.slug not in camps:
            continue
        check_rooms_not_double_booked(edition.sessions, problems, content)
        check_hosts_not_double_booked(edition.sessions, problems, content)
    check_identities_apart(editions, problems, content)


def check_identities_apart(editions: list[Edition], problems: Problems, content: Path) -> None:
    """Calendars and feeds name an edition's events and items `<id>` and
    `<id>/sessions/<key>`, `<id>/programme`…: an edition whose id lies in
    another's namespace (`vinocamp/2026-lyon/programme` beside
    `vinocamp/2026-lyon`) could take one of its UIDs or feed ids. (Equal
    ids are reported as they are read: loader/editions.py.)"""
    ids = {edition.id for edition in editions}
    for edition in editions:
        parts = edition.id.split("/")
        inside = next(("/".join(parts[:n]) for n in range(1, len(parts)) if "/".join(parts[:n]) in ids), None)
        if inside is not None:
            path = content / edition.source.path
            problems.add(path, _id_line(path), say('its id "{id}" lies inside the id of another edition, '
                                                   '"{other}", whose calendar events and feed items it could take: '
                                                   "give it an id of its own (a UUID is best)",
                                                   id=edition.id, other=inside), "id")


def check_rooms_not_double_booked(sessions: list[Session], problems: Problems, content: Path) -> None:
    for room, booked in _group(sessions, lambda s: [s.room]).items():
        for earlier, later in _overlapping(booked):
            message = say('overlaps "{title}" ({when}) in room {room}', title=earlier.title, when=_at(earlier),
                          room=room)
            _report(problems, content, later.source, message)


def check_hosts_not_double_booked(sessions: list[Session], problems: Problems, content: Path) -> None:
    def hosts(session: Session) -> list[str]:
        return [" ".join(h.casefold().split()) for h in session.hosts]

    for _, booked in _group(sessions, hosts).items():
        for earlier, later in _overlapping(booked):
            host = next(h for h in later.hosts if " ".join(h.casefold().split()) in hosts(earlier))
            message = say('{host} also hosts "{title}" ({when}) at the same time', host=host, title=earlier.title,
                          when=_at(earlier))
            _report(problems, content, later.source, message, ".hosts")


def _group(sessions: list[Session], keys: Callable[[Session], list[str]]) -> dict[str, list[Session]]:
    groups: dict[str, list[Session]] = defaultdict(list)
    for session in sessions:
        for key in dict.fromkeys(keys(session)):
            groups[key].append(session)
    return groups


def _overlapping(sessions: list[Session]) -> Iterable[tuple[Session, Session]]:
    """Each session paired with an earlier one it overlaps, in start order."""
    ordered = sorted(sessions, key=lambda s: (instant(s.start), s.source.line))
    for i, later in enumerate(ordered):
        for earlier in ordered[:i]:
            if instant(earlier.end) > instant(later.start):
                yield earlier, later
                break


def _at(session: Session) -> str:
    start, end = f"{session.start:%H:%M}", f"{session.end:%H:%M}"
    return say("line {line}, {start}–{end}", line=session.source.line, start=start, end=end)


def _report(
    problems: Problems, content: Path, source: Source, message: str, subfield: str = ""
) -> None:
    problems.add(content / source.path, source.line, message, source.field + subfield)


def _id_line(path: Path) -> int:
    """The line of an edition file's `id:` (0 when it is the default, from the folder)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((number for number, line in enumerate(lines, 1) if line.startswith("id:")), 0)
