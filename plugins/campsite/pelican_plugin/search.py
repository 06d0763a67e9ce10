"""Site search with Pagefind, indexed at the end of every build.

Pagefind (`pagefind[bin]` from PyPI brings its binary) writes a static index
under pagefind/ that the search page queries in the browser: no server, no
third-party service. If the index cannot be made, the build goes on and the
search page says search is unavailable.
"""

from __future__ import annotations

import ctypes
import logging
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..messages import say
from .run import run_of

logger = logging.getLogger(__name__)

INDEX_FOLDER = "pagefind"
PR_SET_PDEATHSIG = 1  # prctl(2)


def index_site(pelican: Any) -> None:
    """Signal finalized: index the pages just written."""
    settings = pelican.settings
    if not settings.get("CAMPSITE_SEARCH") or run_of(settings).overlay is not None:
        return  # with an overlay, build.py indexes the complete new site before it is put in place
    output = Path(settings["OUTPUT_PATH"])
    started = time.monotonic()
    reason = make_index(output, output / INDEX_FOLDER)
    run_of(settings).search_seconds += time.monotonic() - started
    if reason:
        logger.warning("%s", say("search index not made ({reason}): the search page will say so", reason=reason))


def make_index(site: Path, index: Path, *, low_priority: bool = False) -> str | None:
    """Pagefind's index of the pages in `site`, written to `index`; None if
    it was made, else why not. With `low_priority`, Pagefind yields the
    processors to everything else (`campsite serve` indexes while the
    organiser edits, and the edited page must not wait for the indexer)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(index)]
    if low_priority and (nice := shutil.which("nice")):
        command = [nice, "-n", "19", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False,
                                preexec_fn=_die_with_parent)
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    if result.returncode != 0 or not (index / "pagefind.js").is_file():
        return ((result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"])[0]
    return None


def _die_with_parent() -> None:
    """Pagefind stops when the build is killed, rather than write on into
    the folder the next build removes (as the build's workers do)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
