"""Keeping the message catalogues up to date (`invoke messages`).

Reads every message the code marks (say, say_n, mark: see messages.py)
and updates each catalogue under locale/: new messages are added with no
translation yet, messages the code no longer says are dropped, and the
translations of the others are kept. The tests read the same extraction
to prove every message has its French words.
"""

from __future__ import annotations

import string
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .messages import DOMAIN, LOCALE

CODE = Path(__file__).parent
KEYWORDS = {"say": None, "say_n": (1, 2), "mark": None}


def extracted() -> Catalog:
    """The messages the code says, with where it says them."""
    template = Catalog(project="campsite", domain=DOMAIN)
    found = extract_from_dir(str(CODE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=("Translators:",), strip_comment_tags=True)
    for filename, line, message, comments, context in found:
        template.add(message, locations=[(f"plugins/campsite/{filename}", line)],
                     auto_comments=comments, context=context,
                     flags=("python-brace-format",) if _has_fields(message) else ())
    return template


def update(lang: str) -> tuple[Path, int]:
    """Update the catalogue of `lang`; its path, and how many messages wait
    for a translation."""
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalogue = Catalog(locale=lang, project="campsite", domain=DOMAIN)
    if path.is_file():
        with path.open("rb") as po:
            catalogue = read_po(po, locale=lang)
    template = extracted()
    template.creation_date = catalogue.creation_date  # no build clock in a file kept in git
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalogue, width=100, omit_header=False, sort_output=False, include_previous=False)
    waiting = sum(1 for message in catalogue if message.id and not _translated(message.string))
    return path, waiting


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _has_fields(message: str | tuple[str, ...]) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any(placeholders(text) for text in texts)


def _translated(text: str | tuple[str, ...]) -> bool:
    return all(text) if isinstance(text, tuple) else bool(text)
