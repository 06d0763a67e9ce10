"""Barcamp day on paper and on phones: now/next pages per edition and room,
room QR codes and printable sheets, and a printable grid (the conference
apps' schedules are schedule_files.py's)."""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import segno
from pelican.utils import slugify

from ..model.site import Edition, Session
from ..model.times import instant
from .parallel import defer

NOW_FOLDER = "now"
GRID_FOLDER = "grid"


@dataclass
class RoomPage:
    name: str
    slug: str
    url: str  # site path of the room's now/next page
    sessions: list[Session]

    @property
    def save_as(self) -> str:
        return posixpath.join(self.url, "index.html")

    @property
    def sheet_url(self) -> str:
        return posixpath.join(self.url, "print/")

    @property
    def sheet_save_as(self) -> str:
        return posixpath.join(self.sheet_url, "index.html")

    @property
    def qr(self) -> str:
        return posixpath.join(self.url, "qr.svg")

    def now(self, at: datetime) -> Session | None:
        return next((s for s in self.sessions if instant(s.start) <= instant(at) < instant(s.end)), None)

    def next(self, at: datetime) -> Session | None:
        return next((s for s in self.sessions if instant(s.start) > instant(at)), None)


def folder(page: Any) -> str:
    return posixpath.dirname(page.save_as)


def room_pages(page: Any, settings: dict[str, Any]) -> list[RoomPage]:
    edition: Edition = page.model
    base = posixpath.join(folder(page), NOW_FOLDER)
    ordered = sorted(edition.sessions, key=lambda s: instant(s.start))
    rooms: list[RoomPage] = []
    taken: set[str] = set()
    for room in edition.rooms_in_use():
        slug = slugify(room, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", [])) or "room"
        unique = _unused(slug, taken)
        taken.add(unique)
        rooms.append(RoomPage(room, unique, f"{base}/{unique}/", [s for s in ordered if s.room == room]))
    return rooms


def _unused(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`…: "Salle A" and "salle-a" would otherwise share a page."""
    n = 1
    while (candidate := slug if n == 1 else f"{slug}-{n}") in taken:
        n += 1
    return candidate


ARCHIVE_MASK = 0  # any of the eight masks reads; segno's choice of the best is 80 % of a code's time


def qr_svg(url: str, printed: bool = True) -> bytes:
    """A QR code as SVG; the same URL always gives the same bytes. A code
    likely to be `printed` (its edition to come or recent: the door sheets)
    gets the mask that scores best for scanners (ISO/IEC 18004, 7.8.3);
    an archived edition's, read on a screen if at all, a fixed one, which
    every reader decodes alike: scoring the eight masks of 1,500 archived
    rooms was a fifth of a large site's cold build."""
    out = io.BytesIO()
    code = segno.make(url, error="m", mask=None if printed else ARCHIVE_MASK)
    code.save(out, kind="svg", scale=8, border=2, xmldecl=True, svgclass=None, lineclass=None)
    return out.getvalue()


def room_page_files(page: Any) -> tuple[str, ...]:
    """Every file write_room_pages writes for an edition page."""
    if not page.model.sessions:
        return ()
    files = [_now_save_as(page)]
    for room in page.rooms:
        files += [room.save_as, room.sheet_save_as, room.qr]
    return (*files, _grid_save_as(page))


def _now_save_as(page: Any) -> str:
    return posixpath.join(folder(page), NOW_FOLDER, "index.html")


def _grid_save_as(page: Any) -> str:
    return posixpath.join(folder(page), GRID_FOLDER, "index.html")


def write_room_pages(generator: Any, writer: Any, page: Any, url) -> None:
    """The now/next pages, QR codes, room sheets and printable grid of one edition."""
    edition: Edition = page.model
    if not edition.sessions:
        return
    rooms = page.rooms
    common = dict(page=page, edition=edition, camp=edition.camp, rooms=rooms)
    now = _now_save_as(page)
    generator.write_page(writer, now, "now", posixpath.dirname(now) + "/", **common)
    for room in rooms:
        generator.write_page(writer, room.save_as, "room", room.url, room=room, **common)
        generator.write_page(writer, room.sheet_save_as, "room_sheet", room.sheet_url, room=room, **common)
        # Printed are the rooms of editions likely to be shared (card_files.shared_often).
        writer.save(room.qr, qr_svg(url(room.url), printed=page.draws_card))
    grid = _grid_save_as(page)
    generator.write_page(writer, grid, "print_grid", posixpath.dirname(grid) + "/", **common)


def plan_room_pages(generator: Any, writer: Any) -> None:
    """The barcamp-day pages of every edition with sessions, one job each."""
    for camp in generator.camps:
        for edition in camp.editions:
            defer(writer, partial(write_room_pages, generator, writer, edition, generator.url_of),
                  room_page_files(edition), edition.source_path,
                  generator.edition_key(edition, "room-pages", "printed" if edition.draws_card else "archived"))
