"""Nothing silently skipped, nothing silently overwritten.

Pelican skips a file it cannot use with a log line and carries on, and stops
at the second of two pages writing one path. campsite instead accounts for
every file under content/ (built, copied, or read as data) and lists every
output path claimed twice, all at once, before anything is written.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..loader import CAMPS_FOLDER
from .standalone import is_elsewhere
from .state import BuildState


def check_every_file_used(state: BuildState, context: dict[str, Any]) -> None:
    content = state.loaded.content
    used = set(state.loaded.read_files)
    for key in ("generated_content", "static_content"):
        used |= {path for path, obj in context[key].items() if obj is not None}
    reported = {p.path for p in state.problems}
    # Files of a camp or edition that could not be loaded are not used, but
    # that camp's or edition's own problems already say why.
    unusable = tuple(f"{CAMPS_FOLDER}/{path}/" for path in state.loaded.unusable)
    for path in _content_files(content):
        relative = path.relative_to(content).as_posix()
        if relative in used or relative.startswith(unusable):
            continue
        if is_elsewhere(relative, context):
            continue
        if state.problems.display_path(path) in reported:
            continue
        failed = relative in context["generated_content"]
        state.problems.add(path, 0, _why_unused(relative, failed))


EDITOR_LEFTOVERS = ("*~", "*.swp", "*.bak", "#*#")


def _content_files(content: Path) -> Iterable[Path]:
    """Every file below content/ but hidden ones (.git, .DS_Store…) and
    editors' backup files, which are never published."""
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if not any(fnmatch.fnmatch(path.name, pattern) for pattern in EDITOR_LEFTOVERS):
            yield path


def _why_unused(relative: str, failed: bool) -> str:
    if failed:
        return "Pelican could not build this file (see its message above)"
    if relative.endswith((".yml", ".yaml")):
        return "campsite does not read this file: data goes in camps/<camp>/ (camp.yml) or an edition folder"
    return (
        "this file is not part of the site: put it in a camp or edition folder, "
        "blog/, pages/, or a folder listed in STATIC_PATHS"
    )


def check_output_paths(state: BuildState, outputs: Iterable[tuple[str, str]]) -> None:
    """`outputs`: (save_as, source path) pairs. Two sources writing one file,
    or files differing only by case (one file on macOS and Windows), are errors."""
    claims: dict[str, dict[str, str]] = defaultdict(dict)
    for save_as, source in outputs:
        if save_as:
            claims[save_as.lower()].setdefault(source, save_as)
    for sources in claims.values():
        if len(sources) < 2:
            continue
        for source, save_as in sources.items():
            others = ", ".join(state.problems.display_path(s) for s in sources if s != source)
            state.problems.add(source, 0, f"writes output/{save_as}, as does {others}")


def output_claims(generators: Iterable[Any]) -> Iterable[tuple[str, str]]:
    """Every (save_as, source path) the generators will write."""
    for generator in generators:
        for name in (
            "articles", "translations", "hidden_articles", "hidden_translations",
            "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
            "staticfiles",
        ):  # fmt: skip
            for item in getattr(generator, name, None) or []:
                yield item.save_as, item.source_path
        for camp in getattr(generator, "camps", []):
            yield camp.save_as, camp.source_path
            for edition in camp.editions:
                yield edition.save_as, edition.source_path
