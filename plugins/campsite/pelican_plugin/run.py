"""What `campsite build` and `campsite serve` hand one Pelican run, besides
its settings: objects, not settings, so no settings file can set them.

Pelican reads only UPPERCASE names from a settings file; the run travels
under a lowercase key of the settings dict, which every generator's context
copies. A plain `pelican` run has none, and gets an empty `Run`: no report,
no last output to reuse, no overlay, no live site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUN_KEY = "campsite_run"


@dataclass
class Run:
    # Where the build counts what became of each content file (report.FileAccount).
    report: Any = None
    # The output folder whose files this build reuses where their inputs did not change (reuse.py).
    previous_output: Path | None = None
    # Set when that folder exists: the build writes only what changed (reuse.Overlay).
    overlay: Any = None
    # `campsite serve`'s site, kept to be updated in place (live.LiveSite).
    live: Any = None
    # Time Pagefind took, which the benchmark reports apart from campsite's build (search.py).
    search_seconds: float = 0.0


def run_of(settings: dict[str, Any]) -> Run:
    """This run's objects (settings or a context: both hold them)."""
    return settings.get(RUN_KEY) or Run()
