"""Which files of the content are published as they are: an allow-list.

A file copied from content/ into the site is served from the site's own
origin: an HTML, XHTML or SVG file with a script runs it there, an XML file
can pull in an XSLT stylesheet that does, and hosts guess the type of what
they do not know. So a static file is published only if its name says a
type on this list AND its first bytes are that type's (a page renamed
photo.png is refused, and never reaches a visitor's browser or Pillow):
raster images, PDF, office documents and plain text as they are; SVG only
once sanitised (svg.py), and only if nothing in it would run or load.
Every other file is a problem at its path, with what to do instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problems
from ..loader import LoadContext
from ..messages import say
from ..svg import clean_svg, refusal

SNIFFED = 64  # bytes read to tell a file's type


@dataclass(frozen=True)
class FileType:
    name: Callable[[], str]  # for messages, in the language spoken: "a PNG image"
    starts: Callable[[bytes], bool]  # whether a file's first bytes are this type's


def _text(head: bytes) -> bool:
    """Plain text a browser will not read as a page: no NUL byte, and not
    opening with markup (what MIME sniffing looks for when a host sends no type)."""
    return b"\0" not in head and not head.lstrip().startswith(b"<")


_ZIP = (lambda head: head.startswith(b"PK\x03\x04"))
_JPEG = FileType(lambda: say("a JPEG image"), lambda head: head.startswith(b"\xff\xd8\xff"))
_OPENDOCUMENT = FileType(lambda: say("an OpenDocument file"), _ZIP)
_OFFICE = FileType(lambda: say("an Office document"), _ZIP)
_TEXT = FileType(lambda: say("a plain text file"), _text)
TYPES = {
    ".png": FileType(lambda: say("a PNG image"), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".gif": FileType(lambda: say("a GIF image"), lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": FileType(lambda: say("a WebP image"), lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ".avif": FileType(lambda: say("an AVIF image"),
                      lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis")),
    ".pdf": FileType(lambda: say("a PDF document"), lambda head: head.startswith(b"%PDF-")),
    ".odt": _OPENDOCUMENT,
    ".ods": _OPENDOCUMENT,
    ".odp": _OPENDOCUMENT,
    ".docx": _OFFICE,
    ".xlsx": _OFFICE,
    ".pptx": _OFFICE,
    ".txt": _TEXT,
    ".csv": _TEXT,
    ".svg": FileType(lambda: say("an SVG image"), lambda head: True),  # judged whole, by the sanitiser
}
# Formats Pelican can read and campsite does not (markdown_cache.py): reported, never published.
OTHER_FORMATS = {".rst", ".rest"}
PAGES = {".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".js", ".mjs", ".css", ".swf"}


def markdown_only() -> str:
    """What to do with a file in a format campsite does not read."""
    return say("campsite reads write-ups and pages in Markdown only: rename it .md and write it in Markdown")


def check_static_files(statics: Iterable[Any], loaded: LoadContext, problems: Problems) -> None:
    """Report every static file that would not be published as it is (but
    those with a problem already: a camp's camp.css, a logo refused where
    camp.yml names it)."""
    tree = loaded.tree
    reported = {problem.path for problem in problems}
    for static in statics:
        shown = Path(problems.display_path(static.source_path))
        relative = tree.relative(static.source_path)
        if relative in loaded.refused_assets or reported & {shown.as_posix(), *(p.as_posix() for p in shown.parents)}:
            continue
        if relative in tree.files and (why := unpublishable(relative, Path(tree.files[relative]))):
            problems.add(static.source_path, 0, why)


def unpublishable(name: str, path: Path) -> str | None:
    """Why the file at `path` cannot be published as `name` (its type is
    what its name says, as hosts serve it), or None."""
    suffix = Path(name).suffix.lower()
    if suffix in OTHER_FORMATS:
        return markdown_only()
    if suffix in (".html", ".htm"):
        return say("campsite publishes no HTML file (a script in it would run on the site's pages) and reads "
                   "write-ups and pages in Markdown only: write it as a .md file")
    if suffix in PAGES:
        return say("campsite does not publish {suffix} files: anything in them could run on the site's pages; "
                   "write a page in Markdown instead, or link to the file where it is hosted", suffix=suffix)
    kind = TYPES.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted(TYPES))
        if not suffix:
            return say("campsite does not publish extension-less files (only {allowed}): link to it elsewhere",
                       allowed=allowed)
        return say("campsite does not publish {suffix} files (only {allowed}): link to it elsewhere",
                   suffix=suffix, allowed=allowed)
    if suffix == ".svg":
        return refusal(path.read_bytes())
    with path.open("rb") as file:
        head = file.read(SNIFFED)
    if not kind.starts(head):
        return say("its content is not {kind}, as its name says: export it again", kind=kind.name())
    return None


def published_bytes(name: str, path: str) -> bytes | None:
    """What to publish as `name` of the checked static file at `path`: an
    SVG's sanitised bytes, or None for the file as it is."""
    if Path(name).suffix.lower() != ".svg":
        return None
    return clean_svg(Path(path).read_bytes()).data
