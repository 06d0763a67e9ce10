"""What the content's git history says about each file.

Calendar apps update an event in place only when its SEQUENCE grows, and
readers order news by date: both must come from the content's own history,
never from the build clock, so that two builds of one commit are identical.
For a set of files (an edition's edition.yml, sessions.yml and camp.yml),
the revision is the number of commits that changed any of them, and the
time is that of the last such commit.

A shallow clone (the default of most CI checkouts) holds only the last
commits: its counts are too low, and calendar apps would ignore changes.
That is detected and reported; the fix is a full-history checkout.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

SHALLOW_WARNING = (
    "this git clone is shallow: calendar SEQUENCE numbers and feed dates would "
    "come from a partial history, so calendar apps could miss changes. Build from "
    "a full clone (git fetch --unshallow; in GitHub Actions, actions/checkout "
    "with fetch-depth: 0)."
)


@dataclass(frozen=True)
class Revision:
    number: int  # commits that changed the files: iCalendar SEQUENCE
    time: datetime  # UTC: the last of those commits, or the newest file's mtime


@dataclass
class ContentHistory:
    """The commits of a content folder, read once with a single `git log`."""

    root: Path
    in_git: bool = False
    shallow: bool = False
    # content-relative path → (commit ids, newest first), and commit id → time
    _commits_of: dict[str, list[str]] = field(default_factory=dict)
    _time_of: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> ContentHistory:
        history = cls(root.resolve())
        output = _git(history.root, "log", "--relative", "--name-only", "--no-renames",
                      "--format=%x00%H %ct", "--", ".")
        if output is None:
            return history
        history.in_git = True
        history.shallow = _git(history.root, "rev-parse", "--is-shallow-repository") == "true\n"
        history._parse(output)
        return history

    def _parse(self, log: str) -> None:
        for block in log.split("\0")[1:]:
            header, *paths = block.strip("\n").split("\n")
            commit, stamp = header.split(" ")
            self._time_of[commit] = datetime.fromtimestamp(int(stamp), timezone.utc)
            for path in paths:
                if path:
                    self._commits_of.setdefault(path, []).append(commit)

    def revision(self, paths: Iterable[str]) -> Revision:
        """The revision of content-relative `paths`, taken together."""
        paths = list(paths)
        commits = {c for p in paths for c in self._commits_of.get(p, [])}
        if commits:
            return Revision(len(commits), max(self._time_of[c] for c in commits))
        return Revision(0, self._newest_mtime(paths))

    def _newest_mtime(self, paths: list[str]) -> datetime:
        stamps = [(self.root / p).stat().st_mtime for p in paths if (self.root / p).is_file()]
        return datetime.fromtimestamp(int(max(stamps, default=0)), timezone.utc)


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, capture_output=True, text=True,
                                timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None
