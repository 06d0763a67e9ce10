"""Opening images from content: the site's formats only, and bounded.

Pillow picks a decoder by a file's first bytes, whatever its name, among
every format it knows — EPS and PostScript among them, which it hands to
Ghostscript, an interpreter of a whole language. A file named logo.png
could so run a program on the build machine. Every image campsite decodes
is opened here, with Pillow told the formats the site accepts (so no other
decoder is ever tried) and refused past MAX_PIXELS before its pixels are
decoded (a 200 kB PNG can declare gigabytes of them).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from PIL import Image

from .messages import say

RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
RASTER_IMAGES = tuple(RASTER_FORMATS)
MAX_PIXELS = 40_000_000  # a 40-megapixel photo: 160 MB decoded in RGBA


class UnusableImage(Exception):
    """Why an image cannot be used, in an organiser's words."""


def open_raster(source: Path | IO[bytes]) -> Image.Image:
    """The image in `source`, its header read and checked (decode it with
    .load() or .convert()); raises UnusableImage."""
    try:
        image = Image.open(source, formats=sorted(set(RASTER_FORMATS.values())))
    except Image.UnidentifiedImageError:
        raise UnusableImage(say("its content is not a PNG, JPEG, GIF or WebP image")) from None
    except Image.DecompressionBombError:
        raise UnusableImage(say("too many pixels (at most {limit:,} in all)", limit=MAX_PIXELS)) from None
    except (OSError, SyntaxError, ValueError):  # Pillow's ways of saying "damaged"
        raise UnusableImage(say("damaged")) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise UnusableImage(say("too many pixels ({width:,} × {height:,}; at most {limit:,} in all)",
                                width=width, height=height, limit=MAX_PIXELS))
    return image


def image_flaw(path: Path) -> str | None:
    """Why the raster image at `path` cannot be used, or None: opened and
    decoded whole, as a card drawing it would."""
    try:
        with open_raster(path) as image:
            image.load()
    except UnusableImage as error:
        return str(error)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return say("the file is cut short") if "truncated" in str(error) else say("damaged")
    return None
