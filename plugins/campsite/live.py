"""The site `campsite serve` keeps in memory, updated in place after an edit.

The first build is a whole one (build.py), run in the server's process; its
generators, their context and the table of every job's key and files are
kept. This module decides, after each save, whether the site can be updated
in place: when organisers save a camp's or an edition's data (camp.yml,
edition.yml, sessions.yml), pelican_plugin/updates.py reads that camp
again and runs only the jobs whose keys or reads changed, the edited
edition's page among the first; the output is the one a whole build would
give (tests compare them, edit after edit).

Anything else (a file added or removed, a write-up, a page, the theme, the
settings, or an edit that changes what every page shows, like a camp's name
in the menu) takes a whole build, which still reuses every unchanged job's
files. An edit with problems leaves the site as it was and reports them.

The build's "now" is fixed when the server starts (`--now`, or the content's
last commit or newest file, as for `campsite build`), so that saving a file
does not move the present moment under the pages.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .build import BuildResult, build, load_settings
from .clock import reference_now
from .errors import Problem
from .pelican_plugin.parallel import DeferredWriter
from .pelican_plugin.updates import camps_edited, update_in_place

GC_EVERY = 25  # updates between two garbage collections (about a second each on a large site)


@dataclass
class Update:
    """What one update did."""

    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)  # output files written or removed, in place

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message


class LiveSite:
    def __init__(self, settings_file: Path, output: Path, now: str | None = None, workers: int | None = None,
                 drafts: bool = False):
        self.settings_file = settings_file
        self.output = output
        self.workers = workers
        self.drafts = drafts  # shown, marked, to proofread: `campsite serve --drafts`
        settings = load_settings(settings_file)
        content = Path(settings["PATH"])
        zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.now = now or reference_now(content, None, zone).isoformat()
        # Filled by the build (the plugin's signals, the generator's last step):
        self.generators: list[Any] | None = None
        self.table: dict[str, Any] | None = None  # the last build's jobs (key → files, reads), reads' digests
        self.pending: set[Path] = set()  # edited since the site was last up to date
        self.updates = 0  # since the garbage was last collected

    # -- what the build tells us ----------------------------------------------

    def built(self, generator: Any, writer: DeferredWriter) -> None:
        """Called by campsite's generator once every job is done."""
        self.campsite = generator
        self.table = generator.reuse.table if generator.reuse is not None else None

    # -- updates ------------------------------------------------------------------

    def rebuild(self) -> BuildResult:
        """A whole build, which the next updates start from."""
        previous = (self.generators, self.table)
        gc.unfreeze()  # the site built last can go, once replaced
        self.generators = self.table = None  # a whole build: reused from the manifest, like `campsite build`
        result = build(self.settings_file, output=self.output, now=self.now, workers=self.workers, drafts=self.drafts,
                       search=False, quiet=True, live=self)
        if not result.ok or self.generators is None:
            self.generators, self.table = previous  # the last good site is still the one served
            return result
        self.pending.clear()
        # The site stays in memory: out of the garbage collector's way, or
        # each update would spend seconds walking millions of objects.
        gc.collect()
        gc.freeze()
        settings = self.generators[0].settings
        settings["OUTPUT_PATH"] = self.generators[0].context["OUTPUT_PATH"] = str(self.output)
        for generator in self.generators:
            generator.output_path = str(self.output)
        return result

    def update(self, edited: set[Path]) -> Update | BuildResult:
        """After `edited` files were saved: in place if only camps' data changed
        (pelican_plugin/updates.py), else a whole build."""
        started = time.monotonic()
        self.pending |= {path.resolve() for path in edited}
        camps = camps_edited(self.generators, self.pending) if self.generators and self.table else None
        if camps is None:
            return self.rebuild()
        done = update_in_place(self.generators, self.campsite, camps, self.pending, self.output)
        if done is None:
            return self.rebuild()
        if done.problems:
            return Update(done.problems, seconds=time.monotonic() - started)
        self.pending.clear()
        update = Update(seconds=time.monotonic() - started, changed=done.changed)
        self._collect_now_and_then()
        return update

    def _collect_now_and_then(self) -> None:
        """The pages an update replaced, with their cycles, are frozen with
        the rest: every so often (after the update is written), collected."""
        self.updates += 1
        if self.updates >= GC_EVERY:
            self.updates = 0
            gc.unfreeze()
            gc.collect()
            gc.freeze()
