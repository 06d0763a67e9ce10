"""Site search with Pagefind, indexed at the end of every build.

Pagefind (`pagefind[bin]` from PyPI brings its binary) writes a static index
under pagefind/ that the search page queries in the browser: no server, no
third-party service. If the index cannot be made, the build goes on and the
search page says search is unavailable.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

INDEX_FOLDER = "pagefind"


def index_site(pelican: Any) -> None:
    """Signal finalized: index the pages just written."""
    settings = pelican.settings
    if not settings.get("CAMPSITE_SEARCH"):
        return
    output = Path(settings["OUTPUT_PATH"])
    command = [sys.executable, "-m", "pagefind", "--site", str(output), "--output-subdir", INDEX_FOLDER]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("search index not made (%s): the search page will say so", error)
        return
    if result.returncode != 0 or not (output / INDEX_FOLDER / "pagefind.js").is_file():
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        logger.warning("search index not made (%s): the search page will say so", reason[0])
