"""Social card images (Open Graph, schema.org `image`) drawn with Pillow.

One card per camp and per edition, in the camp's colour, with its logo (a
raster logo; SVG cannot be drawn by Pillow, and is left out), the title,
and the city and date in the site's language. Cards are cached by their
content: an unchanged card is copied, not redrawn.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .cache_folder import used

# File name → size. 1.91:1 is Open Graph's; 4:3 and 1:1 are the other ratios
# search engines ask for event images.
# The search engines' ratios are drawn 800 pixels wide: ten times the 50,000
# pixels Google asks of an event image, at half the cost of 1,200.
SIZES = {"card.png": (1200, 630), "card-4x3.png": (800, 600), "card-1x1.png": (800, 800)}
RASTER_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
# DejaVu covers French and most Latin, Greek and Cyrillic text; Pillow's own
# font (the fallback) lacks letters such as Î and the dash.
FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/local/share/fonts"))
DRAWING_VERSION = "4"  # bump when the drawing changes, to refresh cached cards


@dataclass(frozen=True)
class Card:
    title: str
    details: tuple[str, ...]  # city, date…
    footer: str  # the site's or camp's name
    background: str  # "#rrggbb"
    text: str
    logo: Path | None = None

    def key(self, size: tuple[int, int]) -> str:
        logo = self.logo.read_bytes() if self.logo else b""
        data = repr((self, size, DRAWING_VERSION, fonts_drawn_with())).encode() + hashlib.sha256(logo).digest()
        return hashlib.sha256(data).hexdigest()


def draw(card: Card, size: tuple[int, int]) -> bytes:
    card = _one_line_texts(card)
    return _draw(card, size)


def _one_line_texts(card: Card) -> Card:
    """Each text on one line: a line break (CR, U+2029…) is a space on a card,
    and Pillow's text layout refuses some of them."""
    def line(text: str) -> str:
        return " ".join(text.split())

    return dataclasses.replace(card, title=line(card.title), footer=line(card.footer),
                               details=tuple(line(d) for d in card.details))


def _draw(card: Card, size: tuple[int, int]) -> bytes:
    """The card as PNG. Text is drawn as coverage (0–255) on one channel and
    saved with a palette running from the background to the text colour:
    the same pixels as drawing in RGB, three times faster to compress and
    half the bytes. A raster logo needs full colour, so then it is RGB.
    Measures are for 1,200 pixels wide, and scaled."""
    width, height = size
    scale = width / 1200
    coverage = Image.new("L", size, 0)
    pen = ImageDraw.Draw(coverage)
    margin = round(72 * scale)
    top = margin
    logo = _logo(card.logo, round(180 * scale))
    if logo is not None:
        top += logo.height + round(40 * scale)
    title_font = font(round((72 if width == height else 64) * scale), bold=True)
    detail_font = font(round(40 * scale))
    for line in _wrap(card.title, title_font, width - 2 * margin)[:3]:
        pen.text((margin, top), line, font=title_font, fill=255)
        top += int(title_font.size * 1.25)
    top += round(24 * scale)
    for detail in card.details:
        for line in _wrap(detail, detail_font, width - 2 * margin)[:2]:
            pen.text((margin, top), line, font=detail_font, fill=255)
            top += int(detail_font.size * 1.35)
    footer_font = font(round(32 * scale))
    pen.text((margin, height - margin - footer_font.size), card.footer, font=footer_font, fill=255)
    image = coverage.convert("P")  # keeps the values as palette indices
    image.putpalette(_blend(card.background, card.text))
    if logo is not None:
        image = image.convert("RGB")
        image.paste(logo, (margin, margin), logo)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # zlib's default (6) takes twice as long for 30 % less
    return out.getvalue()


def _logo(path: Path | None, side: int) -> Image.Image | None:
    if path is None or path.suffix.lower() not in RASTER_IMAGES:
        return None
    with Image.open(path) as logo:
        logo = logo.convert("RGBA")
    logo.thumbnail((side, side))
    return logo


@functools.cache
def _blend(background: str, text: str) -> bytes:
    """256 colours from `background` (index 0) to `text` (255), as Pillow
    blends anti-aliased text over a plain background."""
    start, end = bytes.fromhex(background[1:]), bytes.fromhex(text[1:])
    return b"".join(bytes(round(s + (e - s) * i / 255) for s, e in zip(start, end, strict=True))
                    for i in range(256))


@functools.cache
def fonts_drawn_with() -> str:
    """The font files cards are drawn with, as they are on this machine:
    another font, or another version of it, draws other cards."""
    found = []
    for bold in (False, True):
        path = getattr(font(32, bold), "path", None)
        stat = Path(path).stat() if path else None
        found.append((path, stat and (stat.st_size, stat.st_mtime_ns)) if path else "Pillow's own")
    return repr(found)


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_FOLDERS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


class CardCache:
    """Drawn cards by content key, in a folder kept between builds."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, card: Card, size: tuple[int, int]) -> Path:
        return self.folder / f"{card.key(size)}.png"

    def ensure(self, card: Card, size: tuple[int, int]) -> Path:
        """The card's file, drawn first unless cached."""
        path = self.path(card, size)
        if path.is_file():
            used(path)
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._store(path, draw(card, size))
        return path

    @staticmethod
    def _store(path: Path, data: bytes) -> None:
        # Atomic: another worker, or a later build, never sees half a card.
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
