"""Nothing silently skipped, nothing silently overwritten.

Pelican skips a file it cannot use with a log line and carries on, and stops
at the second of two pages writing one path. campsite instead accounts for
every file under content/ (built, copied, or read as data) and lists every
output path claimed twice, all at once, before anything is written.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..loader import CAMPS_FOLDER
from ..messages import say
from ..report import FileAccount
from .drafts import unpublished
from .standalone import is_elsewhere
from .state import BuildState
from .static_files import OTHER_FORMATS, markdown_only


def content_files(state: BuildState) -> list[Path]:
    """Every file under content/, in order, as the tree found it (readable,
    hidden or refused: loader/tree.py), for both uses below."""
    tree = state.loaded.tree
    return [tree.root / relative for relative in sorted({*tree.files, *tree.hidden, *tree.refused} - {""})]


def check_every_file_used(state: BuildState, context: dict[str, Any], files: list[Path]) -> None:
    for path, relative, kind in _classified(state, context, files):
        if kind is None:
            state.problems.add(path, 0, _why_unused(relative, relative in context["generated_content"]))


def file_account(state: BuildState, context: dict[str, Any], files: list[Path]) -> FileAccount:
    """Every file under content/ in one kind (once every check has run)."""
    account = FileAccount()
    for _, relative, kind in _classified(state, context, files):
        account.add(kind or "errors", relative)
    return account


def _classified(state: BuildState, context: dict[str, Any],
                files: list[Path]) -> Iterable[tuple[Path, str, str | None]]:
    """(path, content-relative path, kind) for every file; kind None: unused."""
    content = state.loaded.content
    used = dict.fromkeys(state.loaded.read_files, "read")
    for key, kind in (("generated_content", "built"), ("static_content", "copied")):
        used.update({path: kind for path, obj in context[key].items() if obj is not None})
    if not context.get("CAMPSITE_DRAFTS"):
        used.update({path: "drafts" for path, obj in context["generated_content"].items()
                     if obj is not None and unpublished(obj)})
    reported = {p.path for p in state.problems}
    # Files of a camp or edition that could not be loaded are not used, but
    # that camp's or edition's own problems already say why.
    unusable = tuple(f"{CAMPS_FOLDER}/{path}/" for path in state.loaded.unusable)
    for path in files:
        relative = path.relative_to(content).as_posix()
        if (reported and state.problems.display_path(path) in reported) or relative.startswith(unusable):
            yield path, relative, "errors"
        elif _never_published(path.relative_to(content)):
            yield path, relative, "skipped"
        elif relative in used:
            yield path, relative, used[relative]
        elif is_elsewhere(relative, context):
            yield path, relative, "elsewhere"
        else:
            yield path, relative, None


EDITOR_LEFTOVERS = ("*~", "*.swp", "*.bak", "#*#")


def _never_published(relative: Path) -> bool:
    """Hidden files (.git, .DS_Store…) and editors' backup files."""
    return any(part.startswith(".") for part in relative.parts) or any(
        fnmatch.fnmatch(relative.name, pattern) for pattern in EDITOR_LEFTOVERS)


def _why_unused(relative: str, failed: bool) -> str:
    if failed:
        return say("Pelican could not build this file (see its message above)")
    if relative.endswith((".yml", ".yaml")):
        return say("campsite does not read this file: data goes in camps/<camp>/ (camp.yml) or an edition folder")
    if relative.lower().endswith((*OTHER_FORMATS, ".html", ".htm")):
        return markdown_only()
    return say(
        "this file is not part of the site: put it in a camp or edition folder, "
        "blog/, pages/, or a folder listed in STATIC_PATHS"
    )
