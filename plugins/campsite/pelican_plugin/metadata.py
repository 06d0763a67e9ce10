"""What a write-up or page may say about itself in its metadata lines.

Pelican obeys every metadata line: `Save_as:` and `URL:` put the page
anywhere in the output (over the home page, `_redirects`, another camp's
calendar) and into other pages' links, `Template:` renders it with any
template, and `Slug:` and `Lang:` go into its path unchecked. Content
comes from pull requests, so campsite decides where each page goes: those
lines that choose a place are refused, the rest are an allow-list, each
value checked, and a misspelt name is reported with a suggestion rather
than silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from pelican.utils import slugify

from ..characters import FORBIDDEN, INVISIBLE, describe
from ..errors import Problems, did_you_mean
from ..messages import say

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STATUSES = ("published", "draft", "hidden")
# Names Pelican or campsite read, each with what its value must be.
ALLOWED = {"title", "date", "modified", "tags", "category", "author", "authors", "summary",
           "slug", "status", "lang", "edition", "camp"}
# Names that choose a page's place, each with why it is refused (in the language spoken).
REFUSED = {
    "save_as": lambda: say("campsite decides where a write-up or page is written: remove this line "
                           "(its address comes from its file name, or from `Slug:`)"),
    "url": lambda: say("campsite decides a write-up's or page's address: remove this line "
                       "(it comes from its file name, or from `Slug:`)"),
    "template": lambda: say("write-ups and pages are shown with the theme's templates: remove this line"),
}
HEADER_LINE = re.compile(r"([A-Za-z0-9_-]+)\s*:(.*)")


@dataclass(frozen=True)
class HeaderLine:
    name: str  # as written
    line: int
    value: str


def check_metadata(source_path: str, problems: Problems) -> set[str]:
    """Report every metadata line of a Markdown file that is refused,
    unknown or has an unusable value; the names (lower case) reported."""
    reported = set()
    for header in read_header(Path(source_path)):
        key = header.name.lower()
        if key in REFUSED:
            why = REFUSED[key]()
        elif key not in ALLOWED:
            why = say("campsite does not read `{key}:`{suggestion}", key=header.name,
                      suggestion=did_you_mean(key, sorted(ALLOWED)))
        else:
            why = _flaw(key, header.value)
        if why:
            problems.add(source_path, header.line, why, header.name)
            reported.add(key)
    return reported


def read_header(path: Path) -> list[HeaderLine]:
    """The metadata lines at the top of a Markdown file (Python-Markdown's
    `meta` syntax: `Name: value`, indented lines continuing the value),
    up to the first blank line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []  # Pelican reports what it cannot read
    header: list[HeaderLine] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        if line[:1] in " \t" and header:
            last = header[-1]
            header[-1] = HeaderLine(last.name, last.line, f"{last.value}\n{line.strip()}")
        elif match := HEADER_LINE.fullmatch(line):
            header.append(HeaderLine(match.group(1), number, match.group(2).strip()))
        else:
            break  # not metadata: the text begins
    return header


def _flaw(key: str, value: str) -> str | None:
    if bad := FORBIDDEN.search(value) or INVISIBLE.search(value):
        return say("{character}: remove it", character=describe(bad.group()))
    if key == "slug" and not SLUG.fullmatch(value):
        return say('"{value}" must be lowercase letters, digits and hyphens, like retour-sur-lyon', value=value)
    if key == "status" and value.lower() not in STATUSES:
        return say('"{value}" is not a status: write one of {statuses}', value=value, statuses=", ".join(STATUSES))
    if key == "lang":
        return _language_flaw(value)
    return None


def _language_flaw(value: str) -> str | None:
    if re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value):
        try:
            Locale.parse(value.replace("-", "_"))
            return None
        except (UnknownLocaleError, ValueError):
            pass
    return say('unknown language "{value}": use a code such as fr or en', value=value)


def forget_places(content: Any, reported: set[str]) -> None:
    """Drop the places the `reported` lines chose, so that later checks
    (claims.py) do not report their consequences as well: the page is
    placed as if they were not there."""
    for name in ("override_save_as", "override_url"):
        if name in vars(content):
            delattr(content, name)
    if "template" in content.metadata:
        content.template = content.default_template
    if "slug" in reported:
        stem = Path(content.source_path).stem
        content.slug = slugify(stem, regex_subs=content.settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    if "lang" in reported:
        content.lang = content.settings["DEFAULT_LANG"]
        content.in_default_lang = True
