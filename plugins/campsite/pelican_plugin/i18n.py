"""The theme's words in the site's language, through gettext.

Templates mark their words with `_()`; the catalogues are the .po files
under the theme's `translations/` folder (catalogues.py). English is the
source language; a language without a catalogue shows the English words.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from .. import catalogues

DOMAIN = "campsite"


def catalogue_path(theme: Path, lang: str) -> Path:
    return catalogues.catalogue_path(theme / "translations", DOMAIN, lang)


def translations(theme: Path, lang: str) -> gettext.NullTranslations:
    """The theme's translations for `lang` (e.g. 'fr', 'fr-CA' → 'fr')."""
    return catalogues.translations(theme / "translations", DOMAIN, lang)
