"""Run Pelican with campsite: a whole new site, or nothing at all.

Pelican writes into its output folder as it goes, so a build that fails
half-way would leave a half-written site. campsite builds into a fresh
folder beside the output folder and swaps it in only when the build has
succeeded; stale files from removed content cannot survive either.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import console as pelican_console
from pelican.log import init as init_pelican_logging
from pelican.settings import read_settings

from .errors import BuildStop, CheckComplete, Problem
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
        files = list(self.output.rglob("*")) if self.output else []
        return {
            "pages": sum(1 for f in files if f.suffix == ".html"),
            "feeds": sum(1 for f in files if f.name in ("atom.xml", "rss.xml")),
            "calendars": sum(1 for f in files if f.suffix == ".ics"),
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
    result = BuildResult()
    try:
        Pelican(settings).run()
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
    result.files_written = sum(1 for p in staging.rglob("*") if p.is_file())
    _swap_in(staging, final)
    result.output = final
    return result


def _remove_leftovers(final: Path) -> None:
    """Folders left by a build that was killed before it could clean up."""
    for pattern in (f".{final.name}-building-*", f".{final.name}-old-*"):
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


def _init_logging(quiet: bool) -> None:
    """Pelican's messages go to stderr: stdout is campsite's own report
    (problems one per line, the summary), which tools and tests read."""
    pelican_console.stderr = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pelican: %(levelname)s: %(message)s"))
    init_pelican_logging(level=logging.ERROR if quiet else logging.WARNING, handler=handler)
