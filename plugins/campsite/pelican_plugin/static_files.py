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
from ..svg import clean_svg, refusal

SNIFFED = 64  # bytes read to tell a file's type


@dataclass(frozen=True)
class FileType:
    name: str  # for messages: "a PNG image"
    starts: Callable[[bytes], bool]  # whether a file's first bytes are this type's


def _text(head: bytes) -> bool:
    """Plain text a browser will not read as a page: no NUL byte, and not
    opening with markup (what MIME sniffing looks for when a host sends no type)."""
    return b"\0" not in head and not head.lstrip().startswith(b"<")


_ZIP = (lambda head: head.startswith(b"PK\x03\x04"))
TYPES = {
    ".png": FileType("a PNG image", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": FileType("a JPEG image", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": FileType("a JPEG image", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".gif": FileType("a GIF image", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ".webp": FileType("a WebP image", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ".avif": FileType("an AVIF image", lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis")),
    ".pdf": FileType("a PDF document", lambda head: head.startswith(b"%PDF-")),
    ".odt": FileType("an OpenDocument file", _ZIP),
    ".ods": FileType("an OpenDocument file", _ZIP),
    ".odp": FileType("an OpenDocument file", _ZIP),
    ".docx": FileType("an Office document", _ZIP),
    ".xlsx": FileType("an Office document", _ZIP),
    ".pptx": FileType("an Office document", _ZIP),
    ".txt": FileType("a plain text file", _text),
    ".csv": FileType("a plain text file", _text),
    ".svg": FileType("an SVG image", lambda head: True),  # judged whole, by the sanitiser
}
# Formats Pelican can read and campsite does not (markdown_cache.py): reported, never published.
OTHER_FORMATS = {".rst", ".rest"}
MARKDOWN_ONLY = "campsite reads write-ups and pages in Markdown only: rename it .md and write it in Markdown"
PAGES = {".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".js", ".mjs", ".css", ".swf"}


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
        return MARKDOWN_ONLY
    if suffix in (".html", ".htm"):
        return ("campsite publishes no HTML file (a script in it would run on the site's pages) and reads "
                "write-ups and pages in Markdown only: write it as a .md file")
    if suffix in PAGES:
        return (f"campsite does not publish {suffix} files: anything in them could run on the site's pages; "
                "write a page in Markdown instead, or link to the file where it is hosted")
    kind = TYPES.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted(TYPES))
        return f"campsite does not publish {suffix or 'extension-less'} files (only {allowed}): link to it elsewhere"
    if suffix == ".svg":
        return refusal(path.read_bytes())
    with path.open("rb") as file:
        head = file.read(SNIFFED)
    if not kind.starts(head):
        return f"its content is not {kind.name}, as its name says: export it again"
    return None


def published_bytes(name: str, path: str) -> bytes | None:
    """What to publish as `name` of the checked static file at `path`: an
    SVG's sanitised bytes, or None for the file as it is."""
    if Path(name).suffix.lower() != ".svg":
        return None
    return clean_svg(Path(path).read_bytes()).data
