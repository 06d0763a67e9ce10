"""The theme's words in the site's language, through gettext.

Templates mark their words with `_()`; the catalogues are the .po files
under the theme's `translations/` folder (catalogues.py). English is the
source language; a language without a catalogue shows the English words.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .. import catalogues

DOMAIN = "campsite"


def catalogue_path(theme: Path, lang: str) -> Path:
    return catalogues.catalogue_path(theme / "translations", DOMAIN, lang)


def translations(theme: Path, lang: str) -> gettext.NullTranslations:
    """The theme's translations for `lang` (e.g. 'fr', 'fr-CA' → 'fr')."""
    return catalogues.translations(theme / "translations", DOMAIN, lang)


def words_by_language(theme: Path, default: str) -> Callable[[str | None], Callable[[str], str]]:
    """A language (None: `default`) → the gettext of the theme's words in
    it, each catalogue read once: for files whose words follow an edition's
    language rather than the site's (its calendar events)."""
    @lru_cache(maxsize=None)
    def words(language: str | None) -> Callable[[str], str]:
        return translations(theme, language or default).gettext

    return words
