"""Problems in content are data: collected, sorted, reported together.

Nothing in campsite raises on bad content. Loaders and checks append
`Problem`s to a `Problems` list and carry on with what is usable; the build
stops, before writing anything, only once every problem has been found.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .characters import printable
from .messages import say, say_n


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an organiser must fix, at `path:line`.

    `path` is relative to the project (as organisers see it in their
    repository); `line` is 1-based, or 0 when a whole file is concerned.
    `field` is the dotted place in the file (`sessions[2].start`), if any.
    """

    path: str
    line: int
    message: str
    field: str = ""
    warning: bool = False  # said, but the build goes on (a placeholder venue)

    def __str__(self) -> str:
        """One line, whatever the file's name or the message quote: a line
        break or a bidi override from content is shown as an escape."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = say("warning: {message}", message=self._what()) if self.warning else self._what()
        return printable(f"{where}: {what}")

    def _what(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_github_annotation(self) -> str:
        """The `::error` workflow command GitHub turns into a PR annotation,
        escaped as GitHub's own toolkit does: nothing from content can end
        the command or start another one."""
        line = f",line={self.line}" if self.line else ""
        command = "warning" if self.warning else "error"
        return f"::{command} file={_github_property(self.path)}{line}::{_github_data(self._what())}"


def _github_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


class Problems:
    """An ordered, de-duplicated collection of problems.

    Defaults inherited from camp.yml are validated once per edition that uses
    them; de-duplication keeps one report per place and message.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        # Paths of the content's tree are resolved, the root as given may not be.
        self._roots = (root, root.resolve()) if root is not None else ()
        self._items: dict[Problem, None] = {}

    def add(self, path: Path | str, line: int, message: str, field: str = "") -> None:
        self._items[Problem(self.display_path(path), line, message, field)] = None

    def display_path(self, path: Path | str) -> str:
        """The path as the organiser sees it: relative to the project root."""
        path = Path(path)
        if path.is_absolute():
            for root in self._roots:
                try:
                    return path.relative_to(root).as_posix()
                except ValueError:
                    pass
        return path.as_posix()

    def extend(self, problems: Iterable[Problem]) -> None:
        """Problems found elsewhere (one camp's load), their paths already as shown."""
        self._items.update(dict.fromkeys(problems))

    def sorted(self) -> list[Problem]:
        return sorted(self._items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


class BuildStop(SystemExit):
    """campsite stops the build on purpose, with a message for the organiser.

    A SystemExit, not an ordinary exception: Pelican logs any exception from
    a plugin with its traceback, while SystemExit passes through, prints the
    message and exits with status 1 (0 for `CheckComplete`). `campsite build`
    and the tests catch it and read `.problems`.
    """

    problems: list[Problem] = []


class ContentErrors(BuildStop):
    """The content has problems: the build stops before writing anything."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        summary = say_n("{count} problem in the content: nothing was written.",
                        "{count} problems in the content: nothing was written.", count)
        listing = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{listing}\n{summary}")


class SettingsError(BuildStop):
    """A campsite setting in pelicanconf.py is unknown or has a wrong value."""

    def __init__(self, message: str) -> None:
        super().__init__(f"pelicanconf.py: {message}")


class CheckComplete(BuildStop):
    """Raised after the context phase when only checking (CAMPSITE_CHECK_ONLY)."""

    def __init__(self) -> None:
        super().__init__(0)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' when a choice is close to `word`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return say(' (did you mean "{word}"?)', word=close[0]) if close else ""
