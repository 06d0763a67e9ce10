"""Social card images (Open Graph, schema.org `image`) drawn with Pillow.

One card per camp and per edition, in the camp's colour, with its logo
(SVG logos are drawn by resvg, with the cards' own fonts), the title, and
the city and date in the site's language. Cards are cached by their
content: an unchanged card is copied, not redrawn.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import multiprocessing
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import resvg_py
from PIL import Image, ImageDraw, ImageFont

from .cache_folder import used
from .images import RASTER_IMAGES, open_raster
from .messages import say
from .svg import clean_svg

# File name → size. 1.91:1 is Open Graph's; 4:3 and 1:1 are the other ratios
# search engines ask for event images.
# The search engines' ratios are drawn 800 pixels wide: ten times the 50,000
# pixels Google asks of an event image, at half the cost of 1,200.
SIZES = {"card.png": (1200, 630), "card-4x3.png": (800, 600), "card-1x1.png": (800, 800)}
# DejaVu covers French and most Latin, Greek and Cyrillic text; Pillow's own
# font (the fallback) lacks letters such as Î and the dash.
FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/local/share/fonts"))
LOGO_COLOURS = 128  # of a card's 256: see _with_logo
TEXT_LEVELS = 256 - LOGO_COLOURS  # the rest, on a card with a logo
DRAWING_VERSION = "5"  # bump when the drawing changes, to refresh cached cards
# Another resvg may draw an SVG logo otherwise.
SVG_RENDERER = f"resvg-py {version('resvg-py')}"


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
        data = (repr((self, size, DRAWING_VERSION, SVG_RENDERER, fonts_drawn_with())).encode()
                + hashlib.sha256(logo).digest())
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
    half the bytes (with a logo, see _with_logo). Measures are for 1,200
    pixels wide, and scaled."""
    width, height = size
    scale = width / 1200
    coverage = Image.new("L", size, 0)
    pen = ImageDraw.Draw(coverage)
    margin = round(72 * scale)
    top = margin
    logo = _logo(card.logo, round(180 * scale), card.background)
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
    if logo is None:
        image = coverage.convert("P")  # keeps the values as palette indices
        image.putpalette(_blend(card.background, card.text))
    else:
        image = _with_logo(coverage, logo, (margin, margin), card)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # zlib's default (6) takes twice as long for 30 % less
    return out.getvalue()


@dataclass(frozen=True)
class PaletteLogo:
    """A logo laid on the card's background, as palette indices 128–255
    (`indices`, an "L" image) and those 128 colours (`palette`)."""

    indices: Image.Image
    palette: bytes

    @property
    def height(self) -> int:
        return self.indices.height


def _with_logo(coverage: Image.Image, logo: PaletteLogo, at: tuple[int, int], card: Card) -> Image.Image:
    """The card with its logo, still in one palette (in RGB it took four
    times as long to compress): the text in 128 levels from the background
    to the text colour, indices 0–127, and the logo's 128 colours."""
    indices = coverage.point([value * (TEXT_LEVELS - 1) // 255 for value in range(256)])
    indices.paste(logo.indices, at)
    image = indices.convert("P")
    image.putpalette(_blend(card.background, card.text, TEXT_LEVELS) + logo.palette)
    return image


def _logo(path: Path | None, height: int, background: str) -> PaletteLogo | None:
    """The logo, `height` high at most and twice as wide (logos with the
    camp's name beside a symbol are wide), or None. Every card of a camp
    has its logo: it is made once per process, and again if it changes."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _palette_logo(path, stat.st_size, stat.st_mtime_ns, (2 * height, height), background)


@functools.lru_cache(maxsize=256)
def _palette_logo(path: Path, _size: int, _mtime: int, box: tuple[int, int], background: str) -> PaletteLogo | None:
    logo = _logo_image(path, box)
    if logo is None:
        return None
    flat = Image.new("RGB", logo.size, background)
    flat.paste(logo, (0, 0), logo)
    quantized = flat.quantize(LOGO_COLOURS)
    indices = Image.frombytes("L", quantized.size, quantized.tobytes())
    palette = bytes(quantized.getpalette()[: 3 * LOGO_COLOURS]).ljust(3 * LOGO_COLOURS, b"\0")
    return PaletteLogo(indices.point([min(index + TEXT_LEVELS, 255) for index in range(256)]), palette)


def _logo_image(path: Path, box: tuple[int, int]) -> Image.Image | None:
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _svg_logo(path, box)
    if suffix not in RASTER_IMAGES:
        return None
    with open_raster(path) as logo:  # the loader checked it: the site's formats, bounded
        logo = logo.convert("RGBA")
    logo.thumbnail(box)
    return logo


# Every generic family ("Georgia, serif") falls back to the cards' font.
_GENERIC_FAMILIES = {f"{generic}_family": "DejaVu Sans" for generic in
                     ("font", "serif", "sans_serif", "cursive", "fantasy", "monospace")}


def _svg_logo(path: Path, box: tuple[int, int]) -> Image.Image | None:
    # Drawn as sanitised (svg.py: nothing that loads a file or runs), and
    # checked by the loader to draw within DRAWING_SECONDS (drawing_flaw).
    # Text is set in the cards' fonts, never in whatever this machine has,
    # so that cards do not depend on it.
    drawing = clean_svg(path.read_bytes()).data
    png = _drawn(drawing, box) if drawing is not None else None
    if png is None:
        return None  # resvg cannot draw it: the card goes without, as the page's <img> may
    with Image.open(io.BytesIO(png), formats=["PNG"]) as logo:  # resvg's own output
        return logo.convert("RGBA")


def _drawn(svg: bytes, box: tuple[int, int]) -> bytes | None:
    try:
        return resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), width=box[0], height=box[1],
                                     skip_system_fonts=True, font_files=list(_font_files()), **_GENERIC_FAMILIES)
    except ValueError:
        return None


LOGO_BOX = (360, 180)  # the largest a card draws a logo at (the 1200 × 630 card)
DRAWING_SECONDS = 5.0


def drawing_flaw(path: Path) -> str | None:
    """Why an SVG logo cannot be drawn on the cards, or None. Its drawing
    is bounded (svg.py), but what resvg spends also grows with the area
    each element covers: the logo is drawn once here, in a child process
    stopped past DRAWING_SECONDS (resvg is native code, which no signal
    interrupts), so that no logo makes a build draw for minutes."""
    drawing = clean_svg(path.read_bytes()).data
    if drawing is None:
        return None  # the loader reports why (clean_svg's refusals)
    fork = multiprocessing.get_context("fork")
    receiver, sender = fork.Pipe(duplex=False)
    child = fork.Process(target=_draw_and_tell, args=(drawing, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(DRAWING_SECONDS):
            return say("takes more than {seconds:g} s to draw (layers, blurs or masks over the whole "
                       "picture): simplify it, or use a PNG", seconds=DRAWING_SECONDS)
        drawn = receiver.recv()
    except EOFError:
        drawn = False
    finally:
        child.kill()
        child.join()
        receiver.close()
    return None if drawn else say("cannot be drawn: export it again, or use a PNG")


def _draw_and_tell(svg: bytes, sender: Any) -> None:
    try:
        sender.send(_drawn(svg, LOGO_BOX) is not None)
    finally:
        os._exit(0)  # none of the parent's cleanup, in this copy of it


@functools.cache
def _blend(background: str, text: str, levels: int = 256) -> bytes:
    """`levels` colours from `background` (index 0) to `text` (the last), as
    Pillow blends anti-aliased text over a plain background."""
    start, end = bytes.fromhex(background[1:]), bytes.fromhex(text[1:])
    return b"".join(bytes(round(s + (e - s) * i / (levels - 1)) for s, e in zip(start, end, strict=True))
                    for i in range(levels))


@functools.cache
def _font_files() -> tuple[str, ...]:
    """The files of the cards' regular and bold fonts (none with Pillow's own)."""
    return tuple(file for bold in (False, True) if (file := getattr(font(32, bold), "path", None)))


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
