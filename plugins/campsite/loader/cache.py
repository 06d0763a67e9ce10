"""Camps loaded by an earlier build, kept to load the next one faster.

Reading and checking thousands of edition files takes seconds on a large
site, though an edit touches one camp at a time. A camp that loaded without
a problem is kept (pickled) in the cache folder with what it was made from:
the name, size, inode and modification time of every file in its folder,
and of the files outside it that it names (a logo shared by two camps).
The next build takes the kept camp only if all of these are unchanged, as
are campsite's code and the site's default time zone and language;
otherwise, and whenever anything goes wrong with the cache, the camp is
read again. A camp with problems is never kept: they are reported afresh.

The cache folder is never in the repository (cache_folder.py): a pickle is
code to Python, and only campsite writes there.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from ..cache_folder import used
from ..code import code_digest
from .camp_load import CampLoad
from .tree import ContentTree

FORMAT = 2  # 2: a CampLoad


@dataclass
class KeptCamp:
    """A camp's load (one without problems), and what it was made from."""

    key: str
    outside: dict[str, list[int]]  # content-relative path → stat, for files outside the folder
    load: CampLoad


class CampCache:
    """Kept camps in `folder` (one file per camp), for `content`."""

    def __init__(self, folder: Path, tree: ContentTree, settings: tuple[str, ...]):
        self.folder = folder
        self.tree = tree
        self.content = tree.root
        self.settings = settings

    def key(self, camp_folder: Path) -> str:
        """Every entry of the content's tree under the camp's folder (as
        the loader reads it: through the links it follows, none of those it
        refuses, which are keyed by name), as it is on disk now."""
        entries: list[object] = [FORMAT, code_digest(), *self.settings]
        folder = self.tree.relative(camp_folder)
        refused = sorted(path for path in self.tree.refused if path.startswith(f"{folder}/"))
        entries += [(relative, *_stat(str(self.content / relative))) for relative in self.tree.under(folder)]
        entries.append(refused)  # a link refused, or no longer, is a change
        return hashlib.sha256(repr(entries).encode("utf-8")).hexdigest()

    def get(self, camp_folder: Path, key: str) -> KeptCamp | None:
        entry = self.folder / f"{camp_folder.name}.pickle"
        try:
            kept = pickle.loads(entry.read_bytes())
        except Exception:  # noqa: BLE001 -- missing, damaged or from another version: read the camp again
            return None
        if not isinstance(kept, KeptCamp) or kept.key != key:
            return None
        if any(_stat(str(self.content / path)) != stat for path, stat in kept.outside.items()):
            return None
        used(entry)
        return kept

    def put(self, camp_folder: Path, kept: KeptCamp) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{camp_folder.name}.pickle"
            partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            partial.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
            partial.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def outside(self, camp_folder: Path, assets: set[str]) -> dict[str, list[int]]:
        """The stats of the files in `assets` that are not in the camp's folder."""
        prefix = camp_folder.relative_to(self.content).as_posix() + "/"
        return {path: _stat(str(self.content / path)) for path in sorted(assets) if not path.startswith(prefix)}


def _stat(path: str) -> list[int]:
    """The file as read (through a symbolic link), and the link itself: a
    file replaced by a link, or a link pointed elsewhere, is a change."""
    try:
        link, target = os.lstat(path), os.stat(path)
    except OSError:
        return []
    return [link.st_ino, link.st_mtime_ns, target.st_size, target.st_ino, target.st_mtime_ns]
