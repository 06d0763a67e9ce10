"""gettext catalogues read from .po files, compiled in memory.

The theme's words (pelican_plugin/i18n.py) and campsite's messages to
organisers (messages.py) are both kept as .po files, the form translators
edit; Babel compiles one into a gettext catalogue when it is first asked
for, so no binary .mo file is kept in the repository.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def catalogue_path(folder: Path, domain: str, lang: str) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{domain}.po"


# A language tag (fr, fr-CA, pt_BR, zh-Hans-CN): nothing else names a folder to read.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def candidates(lang: str) -> list[str]:
    """The catalogue names to try for `lang`: 'fr-CA' → fr_CA, then fr."""
    if not LANGUAGE_TAG.fullmatch(lang):
        return []
    return list(dict.fromkeys([lang.replace("-", "_"), lang.split("-")[0].split("_")[0]]))


def translations(folder: Path, domain: str, lang: str) -> gettext.NullTranslations:
    """The catalogue of `domain` for `lang` under `folder`, as its file is
    now (`campsite serve` lives through edits of it); with none, the
    source (English) words."""
    for candidate in candidates(lang):
        path = catalogue_path(folder, domain, candidate)
        if path.is_file():
            return _compiled(path.read_bytes(), candidate)
    return gettext.NullTranslations()


@functools.lru_cache(maxsize=16)
def _compiled(po: bytes, locale: str) -> gettext.GNUTranslations:
    """A .po file's text compiled, once for each version of it."""
    catalog = read_po(io.BytesIO(po), locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def has_catalogue(folder: Path, domain: str, lang: str) -> bool:
    return any(catalogue_path(folder, domain, candidate).is_file() for candidate in candidates(lang))
