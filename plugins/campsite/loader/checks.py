"""Rules that need several sessions or editions at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ..errors import Problems
from ..model.site import Edition, Session, Site, Source
from ..model.times import instant


def check_site(site: Site, problems: Problems) -> None:
    check_unique_ids(site.editions, problems)
    for edition in site.editions:
        check_rooms_not_double_booked(edition.sessions, problems)
        check_hosts_not_double_booked(edition.sessions, problems)


def check_unique_ids(editions: Iterable[Edition], problems: Problems) -> None:
    """A copied edition folder keeps the `id:` of the original: a calendar
    app would then merge the two editions into one event."""
    first: dict[str, Edition] = {}
    for edition in sorted(editions, key=lambda e: e.source.path):
        if edition.id in first:
            problems.add(
                edition.source.path,
                0,
                f'the same id as {first[edition.id].source.path} ("{edition.id}"): '
                "each edition needs its own; remove the `id:` line from the copy",
            )
        else:
            first[edition.id] = edition


def check_rooms_not_double_booked(sessions: list[Session], problems: Problems) -> None:
    for room, booked in _group(sessions, lambda s: [s.room]).items():
        for earlier, later in _overlapping(booked):
            _report(problems, later.source, f'overlaps "{earlier.title}" ({_at(earlier)}) in room {room}')


def check_hosts_not_double_booked(sessions: list[Session], problems: Problems) -> None:
    def hosts(session: Session) -> list[str]:
        return [" ".join(h.casefold().split()) for h in session.hosts]

    for _, booked in _group(sessions, hosts).items():
        for earlier, later in _overlapping(booked):
            host = next(h for h in later.hosts if " ".join(h.casefold().split()) in hosts(earlier))
            _report(
                problems,
                later.source,
                f'{host} also hosts "{earlier.title}" ({_at(earlier)}) at the same time',
            )


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


def _report(problems: Problems, source: Source, message: str) -> None:
    problems.add(source.path, source.line, message)
