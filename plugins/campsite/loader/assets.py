"""Files that content points at: logos, sponsor images, slides.

A path is relative to the folder of the YAML file that names it. It must
name an existing file inside the content folder: `..` that stays inside is
fine (a sponsor logo shared by a camp's editions), but an absolute path, or
a `..` or symbolic link that leaves content/, is refused, so that nothing
outside content/ can ever be copied into the site.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path, PurePosixPath

from lxml import etree
from PIL import Image, UnidentifiedImageError

from ..cards import RASTER_IMAGES
from ..yamlfile import Loc
from .context import FileReporter

URL_SPACE = re.compile(r"[\x00-\x20]+")  # what browsers skip in a link's scheme


def asset_path(text: str, folder: Path, loc: Loc, reporter: FileReporter) -> str | None:
    """The content-relative path of the file `text` names, or None if refused."""
    ctx = reporter.ctx
    if "://" in text or text.startswith(("/", "\\")) or PurePosixPath(text).is_absolute():
        reporter.report(loc, f'"{text}" must be a file next to this one, not an absolute path or address')
        return None
    joined = Path(os.path.normpath(folder / text))
    real = joined.resolve()
    if not (_inside(joined, ctx.content) and _inside(real, ctx.content)):
        reporter.report(loc, f'"{text}" leaves the content folder')
        return None
    if not real.is_file():
        where = ctx.problems.display_path(folder)
        reporter.report(loc, f'file not found: "{text}" (looked in {where}/)')
        return None
    if real.suffix.lower() == ".svg" and (flaw := _svg_flaw(real)):
        reporter.report(loc, f'"{text}" {flaw}')
        return None
    if real.suffix.lower() in RASTER_IMAGES and (flaw := _unreadable_image(real)):
        reporter.report(loc, f'"{text}" is not a readable image ({flaw}): export it again')
        return None
    relative = ctx.relative(joined)
    ctx.assets.add(relative)
    return relative


def _unreadable_image(path: Path) -> str | None:
    """Why Pillow cannot read the image (cards draw logos), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "too many pixels"
    except UnidentifiedImageError:
        return "its content is not a PNG, JPEG, GIF or WebP image"
    except (OSError, SyntaxError, ValueError) as error:  # Pillow's ways of saying "damaged"
        return "the file is cut short" if "truncated" in str(error) else "damaged"
    return None


def _svg_flaw(path: Path) -> str | None:
    """Why an SVG file cannot be used, or None."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError:
        return "holds XML that cannot be read: export it again, or use a PNG"
    if active := _active_svg(root):
        return f"holds {active}, which would run on the site: remove it, or use a PNG or PDF"
    if loaded := _loaded_file(root):
        return (f"loads another file, {loaded}, which pages showing it as an image cannot: "
                "embed that file in the SVG, or use a PNG")
    return None


def _loaded_file(root: etree._Element) -> str | None:
    """The first file an SVG's image, use or feImage loads from outside the
    SVG itself (a card drawing it must not read the build machine's files)."""
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in ("image", "use", "feImage"):
            for attribute, value in element.attrib.items():
                target = URL_SPACE.sub("", value)
                if etree.QName(attribute).localname == "href" and not target.startswith(("#", "data:")):
                    return f'"{value}" (line {element.sourceline})'
    return None


def _active_svg(root: etree._Element) -> str | None:
    """What in an SVG could run in a visitor's browser (opened on its own,
    an SVG is a page of the site), or None."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        name = etree.QName(element).localname
        if name in ("script", "foreignObject"):
            return f"a <{name}> element (line {element.sourceline})"
        for attribute, value in element.attrib.items():
            attribute = etree.QName(attribute).localname
            if attribute.lower().startswith("on"):
                return f"an {attribute} attribute (line {element.sourceline})"
            if attribute == "href" and URL_SPACE.sub("", value).lower().startswith("javascript:"):
                return f"a javascript: link (line {element.sourceline})"
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
