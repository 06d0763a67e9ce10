"""Where in a content file something was written, for problems' lines."""

from __future__ import annotations

from pathlib import Path


def line_containing(source_path: str, needle: str) -> int:
    """The first line of the file holding `needle`, or 0 (the whole file)."""
    try:
        lines = Path(source_path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((number for number, line in enumerate(lines, 1) if needle and needle in line), 0)
