"""A fast path for icalendar's line folding, output unchanged.

icalendar (7.x) folds every content line it writes character by character
in Python, long or short, and that loop is a fifth of the time a site's
calendars take. Nearly every line is shorter than the 75 octets where
folding starts, and such a line comes out of the loop as it went in: this
returns those at once and hands every other line to icalendar's own
function. tests/test_calendars.py checks the two agree on random lines.
Where icalendar no longer has the function (another version), nothing is
changed: calendars are then only slower.
"""

from __future__ import annotations

from collections.abc import Callable

from icalendar.parser import content_line

LIMIT = 75  # octets: icalendar's default, RFC 5545 3.1


def folded_fast(original: Callable[..., str]) -> Callable[..., str]:
    def fold(line: str, limit: int = LIMIT, fold_sep: str = "\r\n ") -> str:
        # Fewer octets than the limit: the loop never folds (it folds before
        # the character that would reach it). A line break is the loop's to refuse.
        if isinstance(line, str) and len(line) < limit and "\n" not in line \
                and len(line.encode("utf-8")) < limit:
            return line
        return original(line, limit, fold_sep)

    fold.original = original  # type: ignore[attr-defined]
    return fold


def install() -> None:
    original = getattr(content_line, "_foldline", None)
    if callable(original) and not hasattr(original, "original"):
        content_line._foldline = folded_fast(original)
