"""Run Pelican with campsite: a whole new site, or nothing at all.

Pelican writes into its output folder as it goes, so a build that fails
half-way would leave a half-written site. campsite builds into a fresh
folder beside the output folder and puts it in place only when the build
has succeeded, so a build that stops leaves the last site as it was:

- with no last output, or when nothing of it could be reused (a cold
  build), the new folder holds the whole site and is renamed into place;
- over a last output, the build writes only the files that changed (an
  overlay, reuse.py): they are moved over the last output's, and every file
  the build neither wrote nor kept is removed, so stale files from removed
  content cannot survive. The search index is made once the site is in
  place (if a page changed), into a folder of its own that then takes the
  old one's place.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import console as pelican_console
from pelican.log import init as init_pelican_logging
from pelican.settings import read_settings

from .cache_folder import cache_folder, sweep
from .errors import BuildStop, CheckComplete, Problem
from .pelican_plugin.reuse import Overlay
from .pelican_plugin.search import INDEX_FOLDER, make_index
from .report import FileAccount


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    message: str = ""  # why the build stopped, when not for content problems
    output: Path | None = None
    seconds: float = 0.0
    files_written: int = 0
    content: FileAccount | None = None  # what became of each content file

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message

    def counts(self) -> dict[str, int]:
        """Pages, feeds and calendars written, for the summary line."""
        names = [name for _, _, files in os.walk(self.output) for name in files] if self.output else []
        return {
            "pages": sum(1 for name in names if name.endswith(".html")),
            "feeds": sum(1 for name in names if name in ("atom.xml", "rss.xml")),
            "calendars": sum(1 for name in names if name.endswith(".ics")),
        }


def load_settings(
    settings_file: Path, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    return read_settings(str(settings_file), override=overrides or {})


def build(
    settings_file: Path,
    *,
    output: Path | None = None,
    content: Path | None = None,
    now: str | None = None,
    camp: str | None = None,
    check_only: bool = False,
    workers: int | None = None,
    search: bool = True,
    quiet: bool = False,
    live: Any = None,
) -> BuildResult:
    """Build (or with `check_only`, check) the site `settings_file` describes."""
    started = time.monotonic()
    _init_logging(quiet)
    overrides: dict[str, Any] = {}
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if now is not None:
        overrides["CAMPSITE_NOW"] = now
    if check_only:
        overrides["CAMPSITE_CHECK_ONLY"] = True
    if camp is not None:
        overrides["CAMPSITE_CAMP"] = camp
    if workers is not None:
        overrides["CAMPSITE_WORKERS"] = workers
    if not search:
        overrides["CAMPSITE_SEARCH"] = False
    if live is not None:  # `campsite serve` keeps the site to update it (live.py)
        overrides["CAMPSITE_LIVE"] = live
    account = overrides["CAMPSITE_REPORT"] = FileAccount()
    settings = load_settings(settings_file, overrides)
    # A standalone camp goes beside the portal's output, never over it.
    default_output = settings["OUTPUT_PATH"] + (f"-{camp}" if camp else "")
    final = Path(output or default_output).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(final)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-", dir=final.parent))
    settings["OUTPUT_PATH"] = str(staging)
    settings["CAMPSITE_PREVIOUS_OUTPUT"] = str(final)  # reused from if it exists (reuse.py)
    overlay = settings["CAMPSITE_OVERLAY"] = Overlay() if final.is_dir() and not check_only else None
    result = BuildResult()
    try:
        pelican = Pelican(settings)
        with _fewer_collections(), _without_pelicans_summary():
            pelican.run()
    except CheckComplete:
        pass
    except BuildStop as stop:
        result.problems = list(stop.problems)
        result.message = "" if stop.problems else str(stop.code)
    finally:
        result.seconds = time.monotonic() - started
        result.content = account if account.total() else None
    if check_only or not result.ok:
        shutil.rmtree(staging, ignore_errors=True)
        return result
    _put_in_place(staging, final, overlay, search=settings["CAMPSITE_SEARCH"])
    sweep(cache_folder(settings), settings["CAMPSITE_CACHE_DAYS"])
    result.files_written = sum(len(files) for _, _, files in os.walk(final))
    result.output = final
    result.seconds = time.monotonic() - started  # with the files put in place and indexed
    return result


@contextmanager
def _without_pelicans_summary() -> Iterator[None]:
    """Pelican ends with "Done: Processed 16 articles… 3 pages", which
    counts none of campsite's pages: campsite's own summary replaces it."""
    quiet, pelican_console.quiet = pelican_console.quiet, True
    try:
        yield
    finally:
        pelican_console.quiet = quiet


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes millions of objects that live until it ends: with
    Python's default thresholds the garbage collector walks them again and
    again (a tenth of a rebuild's time), for little garbage."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _put_in_place(staging: Path, final: Path, overlay: Overlay | None, search: bool) -> None:
    """The site built in `staging` as `final` (see the module's doc)."""
    if overlay is None:
        _swap_in(staging, final)  # with its search index, made in staging (search.py)
        return
    if not overlay.kept:  # nothing reused (a cold build): staging holds the whole site
        if search:
            _index(staging, staging / INDEX_FOLDER)
        _swap_in(staging, final)  # faster than moving every file over its old self
        return
    changed = _commit(staging, final, overlay.kept)
    if not search:
        shutil.rmtree(final / INDEX_FOLDER, ignore_errors=True)
    elif any(path.endswith(".html") for path in changed) or not (final / INDEX_FOLDER).is_dir():
        _index_in_place(final)  # the index of the same pages is the same: kept when none changed


def _remove_leftovers(final: Path) -> None:
    """Folders left by a build that was killed before it could clean up."""
    for pattern in (f".{final.name}-building-*", f".{final.name}-old-*", f".{final.name}-search-*"):
        for leftover in final.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames, then drop the old one."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
        final.rename(old / final.name)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _commit(staging: Path, final: Path, kept: set[str]) -> list[str]:
    """Move the files of `staging` over those of `final`, then remove from
    `final` every file neither moved nor `kept` (but the search index); the
    files moved or removed."""
    moved, removed = set(), []
    for folder, _, names in os.walk(staging):
        relative_folder = os.path.relpath(folder, staging)
        target_folder = final / relative_folder
        _make_folder(target_folder, final)
        for name in names:
            target = target_folder / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # a page where a folder was
            os.replace(os.path.join(folder, name), target)
            moved.add(os.path.normpath(os.path.join(relative_folder, name)))
    for folder, _, names in os.walk(final, topdown=False):
        relative_folder = os.path.relpath(folder, final)
        if relative_folder.split(os.sep)[0] == INDEX_FOLDER:
            continue
        for name in names:
            relative = os.path.normpath(os.path.join(relative_folder, name))
            if relative not in moved and relative.replace(os.sep, "/") not in kept:
                os.unlink(os.path.join(folder, name))
                removed.append(relative)
        if folder != str(final) and not os.listdir(folder):
            os.rmdir(folder)
    shutil.rmtree(staging, ignore_errors=True)
    return [*moved, *removed]


def _make_folder(folder: Path, root: Path) -> None:
    """`folder` under `root`, replacing any file standing where a folder goes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        if path.is_symlink() or path.exists() and not path.is_dir():
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _index_in_place(final: Path) -> None:
    """The search index of the site in `final`, made beside it and then put
    in place of the last one; none if it cannot be made (the search page
    then says search is unavailable)."""
    index = Path(tempfile.mkdtemp(prefix=f".{final.name}-search-", dir=final.parent))
    made = _index(final, index / INDEX_FOLDER)
    old = final / INDEX_FOLDER
    if old.exists():
        old.rename(index / "old")
    if made:
        (index / INDEX_FOLDER).rename(old)
    shutil.rmtree(index, ignore_errors=True)


def _index(site: Path, index: Path) -> bool:
    reason = make_index(site, index)
    if reason is not None:
        logging.getLogger(__name__).warning("search index not made (%s): the search page will say so", reason)
    return reason is None


def _init_logging(quiet: bool) -> None:
    """Pelican's messages go to stderr: stdout is campsite's own report
    (problems one per line, the summary), which tools and tests read."""
    pelican_console.stderr = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pelican: %(levelname)s: %(message)s"))
    init_pelican_logging(level=logging.ERROR if quiet else logging.WARNING, handler=handler)
