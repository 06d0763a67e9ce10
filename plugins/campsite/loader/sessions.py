"""sessions.yml → the edition's Sessions.

A session time is a time of day ("10:00") on the edition's day, or a full
local datetime, which multi-day editions need. A time before 04:00 belongs
to the evening before (00:30 is after midnight, not the next morning), and
an end earlier than its start runs past midnight.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from ..errors import did_you_mean
from ..model import files
from ..model.fields import check_web_url
from ..model.site import Edition, Session, Source, title_key
from ..model.times import DAY_CHANGE, instant, localize
from ..yamlfile import Loc, field_name, load_yaml
from .assets import asset_path
from .context import FileReporter, LoadContext
from .validate import validate

SESSIONS_FILE = "sessions.yml"


def load_sessions(folder: Path, edition: Edition, ctx: LoadContext) -> list[Session]:
    path = folder / SESSIONS_FILE
    if not ctx.tree.is_file(path):
        return []
    ctx.read_files.add(ctx.relative(path))
    doc = load_yaml(path, ctx.problems)
    if doc is None:
        return []
    data = validate(files.SessionsFile, doc.data, doc, ctx.problems)
    if data is None:
        return []
    reader = _SessionReader(FileReporter(ctx, doc), edition, folder)
    slots = reader.slots(data.slots)
    sessions = [reader.session(s, i, slots) for i, s in enumerate(data.sessions)]
    reader.unique_ids(data.sessions)
    return [s for s in sessions if s is not None]


class _SessionReader:
    def __init__(self, reporter: FileReporter, edition: Edition, folder: Path):
        self.reporter = reporter
        self.edition = edition
        self.folder = folder

    def slots(self, slots: list[files.SlotFile]) -> dict[datetime, datetime]:
        """Slot start → slot end, as aware datetimes."""
        result = {}
        for i, slot in enumerate(slots):
            start = self.time(slot.start, ("slots", i, "start"))
            end = self.time(slot.end, ("slots", i, "end"), after=start)
            if start and end:
                result[start] = end
        return result

    def session(
        self, data: files.SessionFile, index: int, slots: dict[datetime, datetime]
    ) -> Session | None:
        loc: Loc = ("sessions", index)
        start = self.time(data.start, (*loc, "start"))
        if start is not None and data.end is None and slots and start not in slots:
            # It relies on a slot for its end, and names one that does not exist.
            self._no_such_slot(start, slots, (*loc, "start"))
            return None
        if data.end is not None:
            end = self.time(data.end, (*loc, "end"), after=start)
        elif start is not None:
            end = slots.get(start)
            if end is None:
                self.reporter.report(
                    (*loc, "start"),
                    f"no end: give `end:`, or a slot in `slots:` starting at {start:%H:%M}",
                )
        room_known = self._room_known(data.room, (*loc, "room"))
        if start is None or end is None or not room_known:
            return None
        if not self._inside_edition(start, end, (*loc, "start")):
            return None
        links = self.links(data.links, (*loc, "links"))
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

    def unique_ids(self, sessions: list[files.SessionFile]) -> None:
        """An `id` names one session for good (its calendar event): two
        sessions may not share one, and no id may be the key a session
        without one is known by ("pause", "pause-2": Edition.session_keys),
        which would take that session's event in every subscribed calendar."""
        first: dict[str, int] = {}
        titled = {title_key(s.title): index for index, s in reversed(list(enumerate(sessions))) if s.id is None}
        for index, session in enumerate(sessions):
            if session.id is None:
                continue
            if session.id in first:
                other = self.reporter.line(("sessions", first[session.id], "id"))
                self.reporter.report(("sessions", index, "id"),
                                     f'"{session.id}" is already the id of the session on line {other}')
            elif (taken := _known_as(session.id, titled, len(sessions))) is not None:
                other = self.reporter.line(("sessions", taken, "title"))
                self.reporter.report(("sessions", index, "id"), f'"{session.id}" is how calendars know the session '
                                     f'"{sessions[taken].title}" (line {other}) and others of that title: '
                                     "choose another id")
            else:
                first[session.id] = index

    def _no_such_slot(self, start: datetime, slots: dict[datetime, datetime], loc: Loc) -> None:
        starts = ", ".join(f"{s:%H:%M}" for s in sorted(slots, key=instant))
        self.reporter.report(loc, f"no slot starts at {start:%H:%M} (the slots start at {starts})")

    def time(
        self, value: time | datetime, loc: Loc, after: datetime | None = None
    ) -> datetime | None:
        """The aware datetime of a session time; `after`: the start it ends."""
        if isinstance(value, time):
            if self.edition.is_multi_day:
                self.reporter.report(
                    loc,
                    f"this edition lasts several days: give the date too, like "
                    f"{self.edition.first_day:%Y-%m-%d}T{value:%H:%M}",
                )
                return None
            day = self.edition.first_day + timedelta(days=1 if value < DAY_CHANGE else 0)
            value = datetime.combine(day, value)
        try:
            moment = localize(value, self.edition.timezone)
        except ValueError as error:
            self.reporter.report(loc, str(error))
            return None
        if after is not None and instant(moment) <= instant(after):
            self.reporter.report(loc, "the end is not after the start")
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
            f'no room "{room}" in this edition{did_you_mean(room, rooms)} '
            f"(its rooms: {', '.join(rooms)})",
        )
        return False

    def _inside_edition(self, start: datetime, end: datetime, loc: Loc) -> bool:
        edition = self.edition
        if instant(start) >= instant(edition.start) and instant(end) <= instant(edition.ends):
            return True
        span = f"{edition.start:%Y-%m-%d %H:%M} to {edition.ends:%Y-%m-%d %H:%M}"
        self.reporter.report(
            loc,
            f"the session ({start:%Y-%m-%d %H:%M}–{end:%H:%M}) is outside the edition ({span})",
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
