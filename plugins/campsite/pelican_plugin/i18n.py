"""The theme's words in the site's language, through gettext.

Templates mark their words with `_()`; the catalogues are the .po files
under the theme's `translations/` folder, read with Babel and compiled in
memory (no binary .mo files in the repository). English is the source
language; a language without a catalogue shows the English words.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "campsite"


def catalogue_path(theme: Path, lang: str) -> Path:
    return theme / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(theme: Path, lang: str) -> gettext.NullTranslations:
    """The theme's translations for `lang` (e.g. 'fr', 'fr-CA' → 'fr')."""
    for candidate in dict.fromkeys([lang.replace("-", "_"), lang.split("-")[0].split("_")[0]]):
        path = catalogue_path(theme, candidate)
        if path.is_file():
            with path.open("rb") as po:
                catalog = read_po(po, locale=candidate)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()
