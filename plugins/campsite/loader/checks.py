"""Rules that need several sessions or editions at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import Problems
from ..model.site import Session, Site, Source
from ..model.times import instant


def check_site(site: Site, problems: Problems, content: Path) -> None:
    """`content`: the content folder, which model source paths are relative to."""
    for edition in site.editions:
        check_rooms_not_double_booked(edition.sessions, problems, content)
        check_hosts_not_double_booked(edition.sessions, problems, content)


def check_rooms_not_double_booked(sessions: list[Session], problems: Problems, content: Path) -> None:
    for room, booked in _group(sessions, lambda s: [s.room]).items():
        for earlier, later in _overlapping(booked):
            message = f'overlaps "{earlier.title}" ({_at(earlier)}) in room {room}'
            _report(problems, content, later.source, message)


def check_hosts_not_double_booked(sessions: list[Session], problems: Problems, content: Path) -> None:
    def hosts(session: Session) -> list[str]:
        return [" ".join(h.casefold().split()) for h in session.hosts]

    for _, booked in _group(sessions, hosts).items():
        for earlier, later in _overlapping(booked):
            host = next(h for h in later.hosts if " ".join(h.casefold().split()) in hosts(earlier))
            message = f'{host} also hosts "{earlier.title}" ({_at(earlier)}) at the same time'
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
    return f"line {session.source.line}, {session.start:%H:%M}–{session.end:%H:%M}"


def _report(
    problems: Problems, content: Path, source: Source, message: str, subfield: str = ""
) -> None:
    problems.add(content / source.path, source.line, message, source.field + subfield)
