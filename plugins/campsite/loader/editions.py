"""edition.yml (with what it inherits from camp.yml) → Edition."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import did_you_mean
from ..model import files
from ..model.cascade import cascade
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
from ..model.times import instant, localize, start_of_day
from ..yamlfile import Loc, YamlDocument, load_yaml
from .assets import asset_path
from .camps import make_venue
from .context import FileReporter, LoadContext
from .validate import salvage, validate

EDITION_FILE = "edition.yml"


def load_edition(
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

    data = validate(files.EditionFile, merged, doc, ctx.problems, locate)
    if data is None:
        # Reported; go on with the valid rest so sessions.yml is checked too.
        data, _ = salvage(files.EditionFile, merged)
    if data is None:
        return None
    reporter = FileReporter(ctx, doc, locate)
    edition = _Resolver(ctx, reporter, camp, folder).edition(data)
    if edition is not None:  # an explicit id may equal another edition's default one
        _check_id_unique(edition, reporter, ctx)
    return edition


def _check_id_unique(edition: Edition, reporter: FileReporter, ctx: LoadContext) -> None:
    """A copied edition folder keeps the original's `id:`; calendar apps would
    then merge the two editions into one event."""
    first = ctx.edition_ids.setdefault(edition.id, edition.source.path)
    if first != edition.source.path:
        reporter.report(
            ("id",),
            f'the same id as {ctx.problems.display_path(ctx.content / first)} ("{edition.id}"): '
            "each edition needs its own; remove the `id:` line from the copy",
        )


class _Resolver:
    """Turns a validated EditionFile into an Edition, reporting what is wrong."""

    def __init__(self, ctx: LoadContext, reporter: FileReporter, camp: Camp, folder: Path):
        self.ctx = ctx
        self.reporter = reporter
        self.report = reporter.report
        self.camp = camp
        self.folder = folder
        self.ok = True

    def fail(self, loc: Loc, message: str) -> None:
        self.ok = False
        self.report(loc, message)

    def edition(self, data: files.EditionFile) -> Edition | None:
        zone = data.timezone or self.camp.timezone or self.ctx.default_timezone
        all_day = not isinstance(data.start, datetime)
        start = self.moment(data.start, zone, ("start",))
        end = self.end(data, zone, all_day)
        if start is not None and end is not None and instant(end) <= instant(start):
            self.fail(("end",), "end is not after start")
        if data.status is Status.MOVED_ONLINE and not data.online:
            self.fail(("status",), "a moved-online edition needs its `online:` link")
        venue = self.venue(data.venue)
        parts = dict(
            previous_start=self.previous_start(data, zone),
            registration=self.registration(data.registration, zone),
            sponsors=[self.sponsor(s, i) for i, s in enumerate(data.sponsors)],
        )
        if not self.ok or start is None:
            return None
        return Edition(
            camp=self.camp,
            slug=self.folder.name,
            id=data.id or f"{self.camp.slug}/{self.folder.name}",
            title=data.title or self.default_title(data, venue),
            start=start,
            end=end,
            all_day=all_day,
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

    def moment(self, value: date | datetime, zone: ZoneInfo, loc: Loc) -> datetime | None:
        """An aware datetime: local midnight for a date, else the wall time."""
        if not isinstance(value, datetime):
            return start_of_day(value, zone)
        try:
            return localize(value, zone)
        except ValueError as error:
            self.fail(loc, str(error))
            return None

    def end(self, data: files.EditionFile, zone: ZoneInfo, all_day: bool) -> datetime | None:
        if data.end is None:
            # A bare date: the end of that day; a timed start: end unannounced.
            return start_of_day(data.start + timedelta(days=1), zone) if all_day else None
        if isinstance(data.end, datetime) == all_day:
            hint = "a date without a time" if all_day else "a time too, like 2026-06-13T18:00"
            self.fail(("end",), f"give {hint}, as start does")
            return None
        if all_day:  # the last day, inclusive: the calendar end is the next midnight
            return start_of_day(data.end + timedelta(days=1), zone)
        return self.moment(data.end, zone, ("end",))

    def previous_start(self, data: files.EditionFile, zone: ZoneInfo) -> datetime | None:
        rescheduled = data.status is Status.RESCHEDULED
        if rescheduled and data.previous_start is None:
            self.fail(("status",), "a rescheduled edition needs `previous_start:`, its former date")
        elif data.previous_start is not None and not rescheduled:
            self.fail(("previous_start",), "only a rescheduled edition has a previous start: set `status: rescheduled` or remove this line")
        if data.previous_start is None:
            return None
        return self.moment(data.previous_start, zone, ("previous_start",))

    def venue(self, ref: str | files.VenueFile | None) -> Venue | None:
        if ref is None or isinstance(ref, files.VenueFile):
            return make_venue(ref) if ref else None
        venue = self.camp.venues.get(ref)
        if venue is None:
            known = list(self.camp.venues)
            hint = did_you_mean(ref, known) or (
                f" (known: {', '.join(known)})" if known else " (camp.yml has no `venues:`)"
            )
            self.fail(("venue",), f'no venue "{ref}" in camp.yml{hint}')
        return venue

    def registration(self, reg: files.RegistrationFile | None, zone: ZoneInfo) -> Registration | None:
        if reg is None:
            return None
        opens = self.moment(reg.opens, zone, ("registration", "opens")) if reg.opens else None
        closes = self.moment(reg.closes, zone, ("registration", "closes")) if reg.closes else None
        if opens and closes and instant(closes) <= instant(opens):
            self.fail(("registration", "closes"), "registration closes before it opens")
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

    def default_title(self, data: files.EditionFile, venue: Venue | None) -> str:
        parts = [self.camp.name, venue.city if venue else None, str(data.start.year)]
        return " ".join(p for p in parts if p)
