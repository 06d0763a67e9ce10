"""What became of every file under content/, for the line a build ends with.

Pelican skips what it cannot use with a log line; campsite counts every
file in exactly one of these kinds, so the counts add up to the number of
files in the content folder and nothing goes unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .messages import say_n

# Each kind, and how the summary counts its files ("300 built into pages"). The
# English singulars are the plurals, as the summary has always said them (tests
# read "Content: 1 files: …"); a translation gives each form its own words.
KINDS: dict[str, Callable[[int], str]] = {
    "built": lambda count: say_n("{count} built into pages", "{count} built into pages", count),
    "drafts": lambda count: say_n("{count} drafts or hidden (not published)",
                                  "{count} drafts or hidden (not published)", count),
    "read": lambda count: say_n("{count} read as data", "{count} read as data", count),
    "copied": lambda count: say_n("{count} copied", "{count} copied", count),
    "elsewhere": lambda count: say_n("{count} of other camps", "{count} of other camps", count),
    "skipped": lambda count: say_n("{count} skipped (hidden or editor backups)",
                                   "{count} skipped (hidden or editor backups)", count),
    "errors": lambda count: say_n("{count} with errors", "{count} with errors", count),
}


@dataclass
class FileAccount:
    """Content-relative paths by kind. Filled by the Pelican plugin, through
    the run object that `campsite build` passes it (pelican_plugin/run.py)."""

    files: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    # What is worth fixing but does not stop the build (errors.Problem, warning=True).
    warnings: list[Any] = field(default_factory=list)

    def add(self, kind: str, path: str) -> None:
        self.files[kind].add(path)

    def total(self) -> int:
        return sum(len(paths) for paths in self.files.values())

    def summary(self) -> str:
        """'Content: 412 files: 300 built into pages, 12 read as data, …'"""
        parts = [counted(len(self.files[kind])) for kind, counted in KINDS.items()
                 if self.files[kind] or kind in ("built", "errors")]
        return say_n("Content: {count} file: {kinds}.", "Content: {count} files: {kinds}.", self.total(),
                     kinds=", ".join(parts))
