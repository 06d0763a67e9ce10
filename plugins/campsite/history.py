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
from datetime import UTC, datetime
from pathlib import Path

from .messages import say


def shallow_warning() -> str:
    """The warning of a build from a shallow clone, in the language spoken."""
    return say(
        "this git clone is shallow: calendar SEQUENCE numbers and feed dates would "
        "come from a partial history, so calendar apps could miss changes. Build from "
        "a full clone (git fetch --unshallow; in GitHub Actions, actions/checkout "
        "with fetch-depth: 0)."
    )



@dataclass(frozen=True)
class Revision:
    number: int  # commits that changed the files: iCalendar SEQUENCE
    time: datetime  # UTC: the last of those commits, or the newest file's mtime


@dataclass(frozen=True)
class StatusChange:
    time: datetime  # UTC, the commit's
    commit: str
    status: str  # the new status, as written ("scheduled" when the line went away)


@dataclass
class ContentHistory:
    """The commits of a content folder, read once with a single `git log`."""

    root: Path
    in_git: bool = False
    shallow: bool = False
    # content-relative path → (commit ids, newest first), and commit id → time
    _commits_of: dict[str, list[str]] = field(default_factory=dict)
    _time_of: dict[str, datetime] = field(default_factory=dict)
    _status_changes: dict[str, list[StatusChange]] | None = None
    # Asked for again and again (every listing page asks for all files): kept.
    _revisions: dict[tuple[str, ...], Revision] = field(default_factory=dict)
    _mtimes: dict[str, float] = field(default_factory=dict)

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
            self._time_of[commit] = datetime.fromtimestamp(int(stamp), UTC)
            for path in paths:
                if path:
                    self._commits_of.setdefault(path, []).append(commit)

    def revision(self, paths: Iterable[str]) -> Revision:
        """The revision of content-relative `paths`, taken together."""
        key = tuple(sorted(set(paths)))
        if key not in self._revisions:
            commits = {c for p in key for c in self._commits_of.get(p, [])}
            self._revisions[key] = (Revision(len(commits), max(self._time_of[c] for c in commits)) if commits
                                    else Revision(0, self._newest_mtime(key)))
        return self._revisions[key]

    def first_time(self, paths: Iterable[str]) -> datetime:
        """When the first of `paths` was committed (published), or its mtime."""
        paths = list(paths)
        commits = {c for p in paths for c in self._commits_of.get(p, [])}
        if commits:
            return min(self._time_of[c] for c in commits)
        return self._newest_mtime(paths)

    def status_changes(self) -> dict[str, list[StatusChange]]:
        """For each edition.yml, every change of its `status:` (and its first
        status, unless scheduled), oldest first. Read once, with one `git log -p`."""
        if self._status_changes is None:
            log = None
            if self.in_git:
                log = _git(self.root, "log", "-p", "--reverse", "--relative", "--no-renames",
                           "--unified=0", "--format=%x00%H %ct", "--", ":(glob)**/edition.yml")
            self._status_changes = _parse_status_changes(log or "")
        return self._status_changes

    def forget(self, paths: Iterable[str]) -> None:
        """Files changed since they were read (`campsite serve`): their
        modification times are read again. Commits are not: an edit is not one."""
        for path in paths:
            self._mtimes.pop(path, None)
        self._revisions.clear()

    def _newest_mtime(self, paths: Iterable[str]) -> datetime:
        return datetime.fromtimestamp(int(max((self._mtime(p) for p in paths), default=0)), UTC)

    def _mtime(self, path: str) -> float:
        if path not in self._mtimes:
            try:
                self._mtimes[path] = (self.root / path).stat().st_mtime
            except OSError:
                self._mtimes[path] = 0
        return self._mtimes[path]


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, capture_output=True, text=True,
                                timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _parse_status_changes(log: str) -> dict[str, list[StatusChange]]:
    """Reads `status:` lines added and removed in a `git log -p` of edition files."""
    current: dict[str, str] = {}
    changes: dict[str, list[StatusChange]] = {}
    for block in log.split("\0")[1:]:
        header, _, patch = block.partition("\n")
        commit, stamp = header.split(" ")
        when = datetime.fromtimestamp(int(stamp), UTC)
        for path, added, removed, created in _file_patches(patch):
            status = added if added is not None else ("scheduled" if removed is not None else None)
            if created:
                current[path] = status or "scheduled"
                if current[path] != "scheduled":  # announced already cancelled, moved…
                    changes.setdefault(path, []).append(StatusChange(when, commit, current[path]))
            elif status is not None and status != current.get(path, "scheduled"):
                changes.setdefault(path, []).append(StatusChange(when, commit, status))
                current[path] = status
    return changes


def _file_patches(patch: str) -> Iterable[tuple[str, str | None, str | None, bool]]:
    """(path, status added, status removed, file created) per file of a patch."""
    for section in patch.split("diff --git ")[1:]:
        lines = section.splitlines()
        path = lines[0].split(" b/", 1)[-1]
        created = any(line.startswith("new file mode") for line in lines[:4])
        added = removed = None
        for line in lines:
            if line.startswith(("+status:", "-status:")):
                value = line[8:].split("#", 1)[0].strip().strip("\"'") or "scheduled"
                if line[0] == "+":
                    added = value
                else:
                    removed = value
        yield path, added, removed, created
