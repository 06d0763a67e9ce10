"""edition.yml (with what it inherits from camp.yml) → Edition."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import did_you_mean
from ..messages import say
from ..model import files
from ..model.cascade import CAMP_FIELDS_INHERITED, cascade
from ..model.site import (
    Camp,
    Edition,
    Price,
    Registration,
    Source,
    Sponsor,
    Status,
    Venue,
)
from ..model.times import (
    instant,
    localize,
    on_programme_of,
    programme_day,
    start_of_day,
)
from ..yamlfile import Loc, YamlDocument, load_yaml
from .assets import asset_path
from .camps import make_venue
from .context import FileReporter, LoadContext
from .sessions import check_sessions_file
from .validate import has, salvage, validate

EDITION_FILE = "edition.yml"


def load_edition(
    folder: Path, camp: Camp, camp_doc: YamlDocument, ctx: LoadContext
) -> Edition | None:
    edition = _read_edition(folder, camp, camp_doc, ctx)
    if edition is None:
        # The site then skips sessions.yml: its own mistakes are still reported.
        check_sessions_file(folder, ctx)
    return edition


def _read_edition(
    folder: Path, camp: Camp, camp_doc: YamlDocument, ctx: LoadContext
) -> Edition | None:
    path = folder / EDITION_FILE
    ctx.read_files.add(ctx.relative(path))
    doc = load_yaml(path, ctx.problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        return validate(files.EditionFile, doc.data, doc, ctx.problems)
    defaults = camp_doc.data.get("defaults") or {}
    merged, origins = cascade(doc.data, defaults, camp_doc.data)

    def locate(loc: Loc) -> tuple[YamlDocument, Loc]:
        origin = origins.get(str(loc[0]), "edition") if loc else "edition"
        if origin == "defaults":
            return camp_doc, ("defaults", *loc)
        return (camp_doc, loc) if origin == "camp" else (doc, loc)

    unknown = {field for field in _refused_in_camp(camp_doc) if field not in doc.data}
    data: files.EditionFields | None = validate(files.EditionFile, merged, doc, ctx.problems, locate)
    if data is None:
        # Reported; go on with the valid rest (start too may be missing) so
        # that every other field, and sessions.yml, is checked too.
        data, valid = salvage(files.EditionFields, merged)
        unknown |= {field for field in merged if valid.get(field) != merged[field]}
    if data is None:
        return None
    reporter = FileReporter(ctx, doc, locate)
    edition = _Resolver(ctx, reporter, camp, folder, camp_doc, unknown).edition(data)
    if edition is not None and "id" not in unknown:  # an explicit id may equal another edition's default one
        _check_id_unique(edition, reporter, ctx)
    return edition


def _refused_in_camp(camp_doc: YamlDocument) -> set[str]:
    """The edition fields camp.yml writes (in `defaults`, or its timezone and
    language) but had refused: reported there, and left out of its data
    (salvage). An edition inheriting one does not have the built-in default
    instead, but a value nobody knows: checks that read it would invent problems."""
    refused = set()
    for loc in camp_doc.lines:
        field = _edition_field_at(loc)
        if field is not None and not _holds(camp_doc.data, loc):
            refused.add(field)
    return refused


def _edition_field_at(loc: Loc) -> str | None:
    """The edition field that a place in camp.yml sets, if any."""
    if len(loc) > 1 and loc[0] == "defaults":
        return str(loc[1])
    if len(loc) == 1 and loc[0] in CAMP_FIELDS_INHERITED:
        return str(loc[0])
    return None


def _holds(data: Any, loc: Loc) -> bool:
    """Whether `data` still has a value (None included) at `loc`."""
    for part in loc:
        if not has(data, part):
            return False
        data = data[part]
    return True


def _check_id_unique(edition: Edition, reporter: FileReporter, ctx: LoadContext) -> None:
    """A copied edition folder keeps the original's `id:`; calendar apps would
    then merge the two editions into one event."""
    first = ctx.edition_ids.setdefault(edition.id, edition.source.path)
    if first != edition.source.path:
        reporter.report(
            ("id",),
            say('the same id as {file} ("{id}"): each edition needs its own; remove the `id:` line from the copy',
                file=ctx.problems.display_path(ctx.content / first), id=edition.id),
        )


TIMING = {"start", "end", "timezone"}  # what an edition's times, and so its sessions', are made of


class _Resolver:
    """Turns a validated EditionFile into an Edition, reporting what is wrong.

    `unknown` names the fields whose value was refused (and reported): the
    checks that read one are left out, since its built-in default in its
    place would make them report problems the organiser does not have."""

    def __init__(self, ctx: LoadContext, reporter: FileReporter, camp: Camp, folder: Path,
                 camp_doc: YamlDocument, unknown: set[str]):
        self.ctx = ctx
        self.reporter = reporter
        self.report = reporter.report
        self.camp = camp
        self.folder = folder
        self.camp_doc = camp_doc
        self.unknown = unknown
        self.ok = True

    def fail(self, loc: Loc, message: str) -> None:
        self.ok = False
        self.report(loc, message)

    def edition(self, data: files.EditionFields) -> Edition | None:
        zone = self.zone(data)
        start = self.moment(data.start, zone, ("start",))
        end = self.end(data, zone)
        if start is not None and end is not None and instant(end) <= instant(start):
            self.fail(("end",), _end_not_after_start(data.end, end))
        self.check_online(data)
        venue = self.venue(data.venue)
        parts = dict(
            previous_start=self.previous_start(data, zone),
            registration=self.registration(data.registration, zone),
            sponsors=[self.sponsor(s, i) for i, s in enumerate(data.sponsors)],
        )
        if not self.ok or start is None or self.unknown & TIMING:
            return None
        return Edition(
            camp=self.camp,
            slug=self.folder.name,
            id=data.id or f"{self.camp.slug}/{self.folder.name}",
            title=data.title or self.default_title(data, venue),
            start=start,
            end=end,
            all_day=not isinstance(data.start, datetime),
            timezone=zone,
            source=Source(self.ctx.relative(self.folder / EDITION_FILE)),
            status=data.status,
            venue=venue,
            online=data.online,
            price=self.price(data.price),
            capacity=data.capacity,
            sold_out=data.sold_out,
            language=data.language or self.camp.language or self.ctx.default_language,
            rooms=list(dict.fromkeys(data.rooms or [])),
            summary=data.summary,
            description=data.description,
            tags=list(dict.fromkeys(data.tags)),
            **parts,
        )

    def zone(self, data: files.EditionFields) -> ZoneInfo | None:
        """The edition's timezone; None when it was refused, as another zone's
        clock changes would make up times that do not exist or happen twice."""
        if "timezone" in self.unknown:
            return None
        return data.timezone or self.camp.timezone or self.ctx.default_timezone

    def moment(self, value: date | datetime | None, zone: ZoneInfo | None, loc: Loc) -> datetime | None:
        """An aware datetime: local midnight for a date, else the wall time."""
        if value is None or zone is None:
            return None
        if not isinstance(value, datetime):
            return start_of_day(value, zone)
        try:
            return localize(value, zone)
        except ValueError as error:
            self.fail(loc, str(error))
            return None

    def end(self, data: files.EditionFields, zone: ZoneInfo | None) -> datetime | None:
        start, end = data.start, data.end
        all_day = not isinstance(start, datetime)
        if start is None:  # refused: only end's own time can be checked
            return self.moment(end, zone, ("end",)) if isinstance(end, datetime) else None
        if end is None:
            if zone is None or "end" in self.unknown:
                return None
            # A bare date: the end of that day; a timed start: end unannounced.
            return start_of_day(start + timedelta(days=1), zone) if all_day else None
        if isinstance(end, time):
            return self.end_on_start_day(end, start, zone)
        if isinstance(end, datetime) == all_day:
            if all_day:
                self.fail(("end",), say("give a date without a time, as start does"))
            else:
                self.fail(("end",), say("give a time too, like 2026-06-13T18:00, as start does"))
            return None
        if all_day:  # the last day, inclusive: the calendar end is the next midnight
            return self.moment(end + timedelta(days=1), zone, ("end",))
        return self.moment(end, zone, ("end",))

    def end_on_start_day(self, clock: time, start: date | datetime, zone: ZoneInfo | None) -> datetime | None:
        """`end: 18:00` on the start's day; before DAY_CHANGE, after its midnight, as in sessions.yml."""
        if not isinstance(start, datetime):
            written, day = f"{clock:%H:%M}", f"{start:%Y-%m-%d}"
            self.fail(("end",), say('"{time}" is a time, and start has no time: give start its time too, '
                                    "like start: {date}T09:30", time=written, date=day))
            return None
        # The programme's day: a start at 01:00 is the evening before's, as an end at 02:00 is.
        return self.moment(on_programme_of(programme_day(start), clock), zone, ("end",))

    def written(self, data: files.EditionFields, field: str) -> bool:
        """Whether the edition has `field`, valid or not (its own problem then reported)."""
        return getattr(data, field) is not None or field in self.unknown

    def check_online(self, data: files.EditionFields) -> None:
        if data.status is Status.MOVED_ONLINE and not self.written(data, "online"):
            self.fail(("status",), say("a moved-online edition needs its `online:` link"))

    def previous_start(self, data: files.EditionFields, zone: ZoneInfo | None) -> datetime | None:
        rescheduled = data.status is Status.RESCHEDULED
        if rescheduled and not self.written(data, "previous_start"):
            self.fail(("status",), say("a rescheduled edition needs `previous_start:`, its former date"))
        elif self.written(data, "previous_start") and not rescheduled and "status" not in self.unknown:
            self.fail(("previous_start",), say("only a rescheduled edition has a previous start: "
                                               "set `status: rescheduled` or remove this line"))
        return self.moment(data.previous_start, zone, ("previous_start",))

    def venue(self, ref: str | files.VenueFile | None) -> Venue | None:
        if ref is None or isinstance(ref, files.VenueFile):
            return make_venue(ref) if ref else None
        venue = self.camp.venues.get(ref)
        if venue is None and ("venues", ref) in self.camp_doc.lines:
            return None  # camp.yml has it, refused: reported there
        if venue is None:
            known = list(self.camp.venues)
            if hint := did_you_mean(ref, known):
                self.fail(("venue",), say('no venue "{venue}" in camp.yml{suggestion}', venue=ref, suggestion=hint))
            elif known:
                self.fail(("venue",), say('no venue "{venue}" in camp.yml (known: {venues})',
                                          venue=ref, venues=", ".join(known)))
            else:
                self.fail(("venue",), say('no venue "{venue}" in camp.yml (camp.yml has no `venues:`)', venue=ref))
        return venue

    def registration(self, reg: files.RegistrationFile | None, zone: ZoneInfo | None) -> Registration | None:
        if reg is None:
            return None
        opens = self.moment(reg.opens, zone, ("registration", "opens"))
        closes = self.moment(reg.closes, zone, ("registration", "closes"))
        if opens and closes and instant(closes) <= instant(opens):
            self.fail(("registration", "closes"), say("registration closes before it opens"))
        return Registration(reg.url, opens, closes)

    @staticmethod
    def price(price: str | files.FixedPrice | None) -> Price | None:
        if price is None:
            return None
        if isinstance(price, files.FixedPrice):
            return Price(price.amount, price.currency)
        return Price()

    def sponsor(self, sponsor: files.SponsorFile, index: int) -> Sponsor:
        loc = ("sponsors", index, "logo")
        logo = None
        if sponsor.logo:
            logo = asset_path(sponsor.logo, self._folder_of(loc), loc, self.reporter)
            self.ok = self.ok and logo is not None
        return Sponsor(sponsor.name, sponsor.url, logo, sponsor.tier)

    def _folder_of(self, loc: Loc) -> Path:
        """Paths are relative to the file that wrote them (camp.yml for defaults)."""
        doc, _ = self.reporter.where(loc)
        return doc.path.parent

    def default_title(self, data: files.EditionFields, venue: Venue | None) -> str:
        assert data.start is not None  # an edition without one is not made
        parts = [self.camp.name, venue.city if venue else None, str(data.start.year)]
        return " ".join(p for p in parts if p)


def _end_not_after_start(written: date | time | None, end: datetime) -> str:
    if isinstance(written, time):  # at or after DAY_CHANGE, a time alone is on the start's day
        next_day = f"{end + timedelta(days=1):%Y-%m-%dT%H:%M}"
        return say("end is not after start: for an end on the next day, write its date too, like end: {example}",
                   example=next_day)
    return say("end is not after start")
