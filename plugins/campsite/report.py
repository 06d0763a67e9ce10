"""What became of every file under content/, for the line a build ends with.

Pelican skips what it cannot use with a log line; campsite counts every
file in exactly one of these kinds, so the counts add up to the number of
files in the content folder and nothing goes unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = {
    "built": "built into pages",
    "drafts": "drafts or hidden (not published)",
    "read": "read as data",
    "copied": "copied",
    "elsewhere": "of other camps",
    "skipped": "skipped (hidden or editor backups)",
    "errors": "with errors",
}


@dataclass
class FileAccount:
    """Content-relative paths by kind. Filled by the Pelican plugin, through
    the CAMPSITE_REPORT setting that `campsite build` passes it."""

    files: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    # What is worth fixing but does not stop the build (errors.Problem, warning=True).
    warnings: list[Any] = field(default_factory=list)

    def add(self, kind: str, path: str) -> None:
        self.files[kind].add(path)

    def total(self) -> int:
        return sum(len(paths) for paths in self.files.values())

    def summary(self) -> str:
        """'Content: 412 files: 300 built into pages, 12 read as data, …'"""
        parts = [f"{len(self.files[kind])} {label}" for kind, label in KINDS.items()
                 if self.files[kind] or kind in ("built", "errors")]
        return f"Content: {self.total()} files: " + ", ".join(parts) + "."
