"""Pelican's generators read the content's tree, and nothing else.

Each generator finds its files with its own walk of the content folder,
which follows every symbolic link (a link to / is walked whole), and the
static generator also opens whatever `{static}` links name, wherever `..`
leads. Both are replaced, on each generator, by the tree campsite walked
once before anything was read (loader/tree.py): the same rules (paths,
excluded folders, IGNORE_FILES, extensions), over files that stay inside
the content folder. The static generator then writes each static file
itself, through this module: the file's bytes as the tree resolved them
(never a link into the content folder), an SVG as sanitised (static_files.py).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from functools import partial
from typing import Any

from pelican.generators import StaticGenerator

from ..loader import ContentTree
from .links import only_tree_files
from .parallel import inside_output
from .static_files import published_bytes


def read_only_the_tree(generator: Any, tree: ContentTree) -> None:
    """Point `generator` at `tree` (signal generator_init)."""
    generator.get_files = partial(tree_files, generator, tree)
    if isinstance(generator, StaticGenerator):
        generator.generate_context = partial(_static_context, generator, tree, generator.generate_context)
        generator._link_or_copy_staticfile = partial(_write_static, generator, tree)


def tree_files(generator: Any, tree: ContentTree, paths: Any, exclude: list[str] | None = None,
               extensions: Any = None) -> set[str]:
    """Pelican's Generator.get_files, over the tree: the files under
    `paths`, but in `exclude`d folders and folders IGNORE_FILES names,
    with one of `extensions` (all, if False)."""
    excluded = {_clean(e) for e in exclude or []}
    ignores = generator.settings["IGNORE_FILES"]
    found: set[str] = set()

    def visit(folder: str) -> None:
        for name in tree.entries.get(folder, []):
            relative = f"{folder}/{name}" if folder else name
            if relative in tree.files:
                if generator._include_path(relative, extensions):
                    found.add(relative)
            elif relative not in excluded and not any(fnmatch.fnmatch(name, pattern) for pattern in ignores):
                visit(relative)

    for root in {_clean(p) for p in ([paths] if isinstance(paths, str) else paths)}:
        if root in tree.files and generator._include_path(root, extensions):
            found.add(root)
        elif root in tree.folders:
            visit(root)
    return found


def _clean(path: str) -> str:
    return "" if path in ("", ".") else os.path.normpath(path).replace(os.sep, "/").strip("/")


def _static_context(generator: Any, tree: ContentTree, generate_context: Any) -> None:
    generator.context["static_links"] = only_tree_files(generator.context["static_links"], tree)
    generate_context()


def _write_static(generator: Any, tree: ContentTree, static: Any) -> None:
    """A static file into the output: its bytes as published (static_files.py)."""
    source = tree.files[tree.relative(static.source_path)]
    target = inside_output(generator.output_path, static.save_as)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    data = published_bytes(static.save_as, source)
    if data is None:
        shutil.copyfile(source, target)
    else:
        with open(target, "wb") as out:
            out.write(data)
