"""Files that content points at: logos, sponsor images, slides.

A path is relative to the folder of the YAML file that names it. It must
name a file of the content's tree (tree.py): `..` that stays inside is
fine (a sponsor logo shared by a camp's editions), but an absolute path, a
`..` that leaves content/, or a file the tree refused (a symbolic link
leading out of it) is refused, so that nothing outside content/ can ever
be copied into the site.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..images import RASTER_IMAGES, image_flaw
from ..messages import say
from ..svg import refusal
from ..yamlfile import Loc
from .context import FileReporter


def asset_path(text: str, folder: Path, loc: Loc, reporter: FileReporter) -> str | None:
    """The content-relative path of the file `text` names, or None if refused."""
    ctx = reporter.ctx
    if "://" in text or text.startswith(("/", "\\")) or PurePosixPath(text).is_absolute():
        reporter.report(loc, say('"{path}" must be a file next to this one, not an absolute path or address',
                                 path=text))
        return None
    joined = Path(os.path.normpath(folder / text))
    if not _inside(joined, ctx.content):
        reporter.report(loc, say('"{path}" leaves the content folder', path=text))
        return None
    if ctx.tree.relative(joined) in ctx.tree.refused:
        reporter.report(loc, say('"{path}" cannot be used: see the problem with {file}',
                                 path=text, file=ctx.problems.display_path(joined)))
        return None
    if not ctx.tree.is_file(joined):
        where = ctx.problems.display_path(folder)
        reporter.report(loc, say('file not found: "{path}" (looked in {folder}/)', path=text, folder=where))
        return None
    real = Path(ctx.tree.files[ctx.tree.relative(joined)])
    relative = ctx.relative(joined)
    if flaw := _unusable(real):
        reporter.report(loc, say('"{path}" {flaw}', path=text, flaw=flaw))
        ctx.refused_assets.add(relative)  # reported here, where it is named, and not again as a file
        return None
    ctx.assets.add(relative)
    return relative


def _unusable(real: Path) -> str | None:
    if real.suffix.lower() == ".svg":
        return refusal(real.read_bytes())
    if real.suffix.lower() in RASTER_IMAGES and (flaw := image_flaw(real)):
        return say("is not a readable image ({flaw}): export it again", flaw=flaw)
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
