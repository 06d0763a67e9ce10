"""The session grid: for each programme day, rooms × start times.

A row per distinct start time; a session spans the rows that start before
it ends. Rooms are the edition's, in its order, limited to those used that
day. Sessions cannot overlap in a room (the loader refuses it), so a cell
holds at most one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .site import Edition, Session
from .times import instant


@dataclass
class Cell:
    session: Session | None = None
    rowspan: int = 1
    covered: bool = False  # part of a session that started in an earlier row


@dataclass
class Row:
    start: datetime
    cells: list[Cell] = field(default_factory=list)


@dataclass
class GridDay:
    day: date
    rooms: list[str]
    rows: list[Row]


def grid(edition: Edition) -> list[GridDay]:
    return [_day(edition, day, sessions) for day, sessions in edition.programme()]


def _day(edition: Edition, day: date, sessions: list[Session]) -> GridDay:
    rooms = [r for r in edition.rooms_in_use() if any(s.room == r for s in sessions)]
    starts: dict[datetime, datetime] = {}
    for session in sessions:
        starts.setdefault(instant(session.start), session.start)
    times = sorted(starts)
    rows = [Row(starts[t], [Cell() for _ in rooms]) for t in times]
    for session in sessions:
        first = times.index(instant(session.start))
        span = sum(1 for t in times[first:] if t < instant(session.end))
        column = rooms.index(session.room)
        rows[first].cells[column] = Cell(session, rowspan=span)
        for row in rows[first + 1 : first + span]:
            row.cells[column] = Cell(covered=True)
    return GridDay(day, rooms, rows)
