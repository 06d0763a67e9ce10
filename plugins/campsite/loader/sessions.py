"""sessions.yml → the edition's Sessions.

A session time is a time of day ("10:00") on the edition's day, or a full
local datetime, which multi-day editions need. A time before 04:00 belongs
to the evening before (00:30 is after midnight, not the next morning), so
an end at 00:30 runs past midnight (times.on_programme_of).
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import NamedTuple

from ..errors import did_you_mean
from ..messages import say
from ..model import files
from ..model.fields import check_web_url
from ..model.site import Edition, Session, Source, title_key
from ..model.times import instant, localize, on_programme_of
from ..yamlfile import Loc, YamlDocument, field_name, load_yaml
from .assets import asset_path
from .context import FileReporter, LoadContext
from .validate import valid_items, validate

SESSIONS_FILE = "sessions.yml"


def load_sessions(folder: Path, edition: Edition, ctx: LoadContext) -> list[Session]:
    grid = _read_grid(folder, ctx)
    if grid is None:
        return []
    reader = _SessionReader(FileReporter(ctx, grid.doc), edition, folder)
    slots = reader.slots(grid.slots, grid.all_slots_valid)
    sessions = [reader.session(s, i, slots) for i, s in grid.sessions.items()]
    reader.unique_ids(grid.sessions)
    return [s for s in sessions if s is not None]


def check_sessions_file(folder: Path, ctx: LoadContext) -> None:
    """Report sessions.yml's own mistakes when its edition cannot be made:
    without the edition's day, its times cannot be placed or compared."""
    _read_grid(folder, ctx)


class _Grid(NamedTuple):
    doc: YamlDocument
    slots: dict[int, files.SlotFile]  # the valid ones, by their index in the file
    sessions: dict[int, files.SessionFile]
    all_slots_valid: bool


def _read_grid(folder: Path, ctx: LoadContext) -> _Grid | None:
    path = folder / SESSIONS_FILE
    if not ctx.tree.is_file(path):
        return None
    ctx.read_files.add(ctx.relative(path))
    doc = load_yaml(path, ctx.problems)
    if doc is None:
        return None
    data = validate(files.SessionsFile, doc.data, doc, ctx.problems)
    if data is not None:
        return _Grid(doc, dict(enumerate(data.slots)), dict(enumerate(data.sessions)), True)
    if not isinstance(doc.data, dict):
        return None
    # Reported; the valid sessions are still checked, against each other and their edition.
    written_slots = doc.data.get("slots") or []
    slots = valid_items(files.SlotFile, written_slots, files.MAX_SESSIONS)
    sessions = valid_items(files.SessionFile, doc.data.get("sessions"), files.MAX_SESSIONS)
    return _Grid(doc, slots, sessions, isinstance(written_slots, list) and len(slots) == len(written_slots))


class _SessionReader:
    def __init__(self, reporter: FileReporter, edition: Edition, folder: Path):
        self.reporter = reporter
        self.edition = edition
        self.folder = folder
        # False once a slot is refused: a session ending with "its" slot
        # then may well have one, and cannot be said to have none.
        self.slots_known = True

    def slots(self, slots: dict[int, files.SlotFile], all_valid: bool) -> dict[datetime, datetime]:
        """Slot start → slot end, as aware datetimes."""
        result = {}
        for i, slot in slots.items():
            start = self.time(slot.start, ("slots", i, "start"))
            end = self.time(slot.end, ("slots", i, "end"), after=start)
            if start and end:
                result[start] = end
        self.slots_known = all_valid and len(result) == len(slots)
        return result

    def session(
        self, data: files.SessionFile, index: int, slots: dict[datetime, datetime]
    ) -> Session | None:
        loc: Loc = ("sessions", index)
        start = self.time(data.start, (*loc, "start"))
        end = self.end(data, start, slots, loc)
        room_known = self._room_known(data.room, (*loc, "room"))
        links = self.links(data.links, (*loc, "links"))  # checked whatever the times: they are files
        if start is None or end is None or not room_known:
            return None
        if not self._inside_edition(start, end, (*loc, "start")):
            return None
        return Session(
            title=data.title,
            room=data.room,
            start=start,
            end=end,
            hosts=list(data.hosts),
            tags=list(data.tags),
            description=data.description,
            links=links,
            id=data.id,
            source=Source(
                self.reporter.ctx.relative(self.reporter.doc.path),
                self.reporter.line(loc),
                field_name(loc),
            ),
        )

    def end(
        self, data: files.SessionFile, start: datetime | None, slots: dict[datetime, datetime], loc: Loc
    ) -> datetime | None:
        """Its `end:`, or the end of the slot starting at its start."""
        if data.end is not None:
            return self.time(data.end, (*loc, "end"), after=start)
        if start is None:
            return None
        if start in slots:
            return slots[start]
        if not self.slots_known:
            return None  # its slot may be one that was refused (reported)
        if slots:  # it relies on a slot for its end, and names one that does not exist
            self._no_such_slot(start, slots, (*loc, "start"))
        else:
            at = f"{start:%H:%M}"
            self.reporter.report(
                (*loc, "start"), say("no end: give `end:`, or a slot in `slots:` starting at {time}", time=at)
            )
        return None

    def unique_ids(self, sessions: dict[int, files.SessionFile]) -> None:
        """An `id` names one session for good (its calendar event): two
        sessions may not share one, and no id may be the key a session
        without one is known by ("pause", "pause-2": Edition.session_keys),
        which would take that session's event in every subscribed calendar."""
        first: dict[str, int] = {}
        titled = {title_key(s.title): index for index, s in reversed(sessions.items()) if s.id is None}
        for index, session in sessions.items():
            if session.id is None:
                continue
            if session.id in first:
                other = self.reporter.line(("sessions", first[session.id], "id"))
                self.reporter.report(("sessions", index, "id"),
                                     say('"{id}" is already the id of the session on line {line}',
                                         id=session.id, line=other))
            elif (taken := _known_as(session.id, titled, len(sessions))) is not None:
                other = self.reporter.line(("sessions", taken, "title"))
                self.reporter.report(("sessions", index, "id"),
                                     say('"{id}" is how calendars know the session "{title}" (line {line}) '
                                         "and others of that title: choose another id",
                                         id=session.id, title=sessions[taken].title, line=other))
            else:
                first[session.id] = index

    def _no_such_slot(self, start: datetime, slots: dict[datetime, datetime], loc: Loc) -> None:
        starts = ", ".join(f"{s:%H:%M}" for s in sorted(slots, key=instant))
        at = f"{start:%H:%M}"
        self.reporter.report(loc, say("no slot starts at {time} (the slots start at {times})", time=at, times=starts))

    def time(
        self, value: time | datetime, loc: Loc, after: datetime | None = None
    ) -> datetime | None:
        """The aware datetime of a session time; `after`: the start it ends."""
        if isinstance(value, time):
            if self.edition.is_multi_day:
                example = f"{self.edition.first_day:%Y-%m-%d}T{value:%H:%M}"
                self.reporter.report(
                    loc, say("this edition lasts several days: give the date too, like {example}", example=example)
                )
                return None
            value = on_programme_of(self.edition.first_day, value)
        try:
            moment = localize(value, self.edition.timezone)
        except ValueError as error:
            self.reporter.report(loc, str(error))
            return None
        if after is not None and instant(moment) <= instant(after):
            self.reporter.report(loc, say("the end is not after the start"))
            return None
        return moment

    def _slides(self, value: str, loc: Loc) -> str | None:
        """Slides are a web address or a file in the edition folder."""
        if ":" not in value.split("/")[0]:
            return asset_path(value, self.folder, loc, self.reporter)
        try:
            return check_web_url(value)
        except ValueError as error:
            self.reporter.report(loc, str(error))
            return None

    def _room_known(self, room: str, loc: Loc) -> bool:
        rooms = self.edition.rooms
        if not rooms or room in rooms:
            return True
        self.reporter.report(
            loc,
            say('no room "{room}" in this edition{suggestion} (its rooms: {rooms})',
                room=room, suggestion=did_you_mean(room, rooms), rooms=", ".join(rooms)),
        )
        return False

    def _inside_edition(self, start: datetime, end: datetime, loc: Loc) -> bool:
        edition = self.edition
        if instant(start) >= instant(edition.start) and instant(end) <= instant(edition.ends):
            return True
        times = dict(start=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%H:%M}",
                     edition_start=f"{edition.start:%Y-%m-%d %H:%M}", edition_end=f"{edition.ends:%Y-%m-%d %H:%M}")
        self.reporter.report(
            loc, say("the session ({start}–{end}) is outside the edition ({edition_start} to {edition_end})", **times)
        )
        return False

    def links(self, links: files.SessionLinks, loc: Loc) -> dict[str, str]:
        result = {}
        for label, value in links.model_dump(exclude_none=True).items():
            if label == "slides":
                value = self._slides(value, (*loc, label))
            if value is not None:
                result[label] = value
        return result


def _known_as(session_id: str, titled: dict[str, int], count: int) -> int | None:
    """The index of the session without an id whose key `session_id` may
    be: its title's key, or that key numbered ("pause-2") up to the number
    of sessions (a key is never numbered higher)."""
    if session_id in titled:
        return titled[session_id]
    base, _, number = session_id.rpartition("-")
    return titled.get(base) if number.isdigit() and 2 <= int(number) <= count else None
