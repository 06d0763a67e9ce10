"""The cache folder (CAMPSITE_CACHE_PATH), kept from growing without end.

Most of its entries are named by a digest of what made them (a card's text,
an edition's files, a write-up's bytes), so every edit leaves the old entry
behind. A build marks each entry it uses by setting its access time, not
its modification time: cards are hard-linked into the output, where a new
modification time would look like a change to deploy tools and to the next
build's manifest. After a successful build, at most once a day, the entries
no build has used (read or written) for CAMPSITE_CACHE_DAYS days are
removed. Removing an entry only costs the time to make it again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

SWEPT_MARK = ".swept"  # its time is the last sweep's
SWEEP_EVERY = 24 * 3600  # seconds: a sweep walks every entry, so not at every rebuild
DAY = 24 * 3600


def cache_folder(settings: dict[str, Any], part: str = "") -> Path:
    """The cache folder, beside the content folder, or its `part` (cards…)."""
    folder = Path(settings["PATH"]).resolve().parent / settings["CAMPSITE_CACHE_PATH"]
    return folder / part if part else folder


def used(path: Path | str) -> None:
    """Mark a cache entry as used now."""
    try:
        os.utime(path, ns=(time.time_ns(), os.stat(path).st_mtime_ns))
    except OSError:
        pass  # gone meanwhile, or read-only: it is only a cache


def sweep(folder: Path, days: int, now: float | None = None) -> int:
    """Remove the entries of `folder` unused for `days` days, unless it was
    swept in the last day; how many were removed."""
    now = time.time() if now is None else now
    mark = folder / SWEPT_MARK
    try:
        if now - mark.stat().st_mtime < SWEEP_EVERY:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    if not folder.is_dir():
        return 0
    removed = _remove_older(folder, now - days * DAY)
    mark.touch()
    os.utime(mark, (now, now))
    return removed


def _remove_older(folder: Path, oldest: float) -> int:
    removed = 0
    for root, _folders, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                stat = os.lstat(path)
                if max(stat.st_atime, stat.st_mtime) < oldest:
                    os.remove(path)
                    removed += 1
            except OSError:
                continue  # removed by another build, or not ours to remove
    return removed
