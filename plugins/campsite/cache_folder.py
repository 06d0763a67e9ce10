"""The cache folder (CAMPSITE_CACHE_PATH), kept from growing without end.

Most of its entries are named by a digest of what made them (a card's text,
an edition's files, a write-up's bytes), so every edit leaves the old entry
behind. A build marks each entry it uses by setting its access time, not
its modification time: cards are hard-linked into the output, where a new
modification time would look like a change to deploy tools and to the next
build's manifest. After a successful build, at most once a day, the entries
no build has used (read or written) for CAMPSITE_CACHE_DAYS days are
removed. Removing an entry only costs the time to make it again.

The folder is never inside the repository. Some entries are code to
Python (loaded camps are pickled) and all of them are trusted to stand for
what made them, while anyone can commit any file to a pull request,
ignored folders included. So by default the cache lives in the user's
cache folder ($XDG_CACHE_HOME, else ~/.cache), under a name made from the
content folder's path; a fresh clone starts with none, and a
CAMPSITE_CACHE_PATH inside the content's git work tree is refused.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

SWEPT_MARK = ".swept"  # its time is the last sweep's
SWEEP_EVERY = 24 * 3600  # seconds: a sweep walks every entry, so not at every rebuild
DAY = 24 * 3600


def cache_folder(settings: dict[str, Any], part: str = "") -> Path:
    """The cache folder of this site, or its `part` (cards…)."""
    folder = _site_cache(Path(settings["PATH"]).resolve(), settings["CAMPSITE_CACHE_PATH"])
    return folder / part if part else folder


def _site_cache(content: Path, setting: str | None) -> Path:
    if setting is not None:  # relative: to the project, the content folder's parent
        return content.parent / Path(setting).expanduser()
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    digest = hashlib.sha256(str(content).encode("utf-8")).hexdigest()[:16]
    return Path(home) / "campsite" / f"{content.parent.name or 'site'}-{digest}"


def committable_place(settings: dict[str, Any], folder: Path) -> Path | None:
    """The git work tree holding the content folder, if `folder` lies
    inside it (where a pull request could put files), else None."""
    content = Path(settings["PATH"]).resolve()
    folder = folder.resolve()
    for tree in (content, *content.parents):
        if (tree / ".git").exists():
            return tree if folder == tree or tree in folder.parents else None
    return None


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
