"""campsite's messages to organisers, in the site's language.

Every message campsite writes for an organiser (a problem at `file:line`, a
hint, a warning, the summary lines of check and build, the command's own
errors) is written in English in the code and marked for translation:

    say('unknown key "{key}"{suggestion}', key=key, suggestion=...)
    say_n("{count} problem found.", "{count} problems found.", count)
    MISSING = mark("is required")   # a constant: translated where it is said

`say()` translates the text into the language being spoken, then fills its
named placeholders, so a translation may move them (French puts "{key}"
elsewhere than English). Braces meant literally are doubled: "{{static}}".
A placeholder a translation got wrong never stops campsite: the English
text is said instead.

The catalogues are plugins/campsite/locale/<lang>/LC_MESSAGES/messages.po,
kept up to date with `invoke messages`; a language without one hears
English, the source language. The language is the site's DEFAULT_LANG, or
what `--lang` (or CAMPSITE_LANG) asks for: see `message_language()`.

Messages are translated when they are made (a Problem holds its words),
so the language is set around the whole of a build with `speaking()`; the
build's forked workers inherit it.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import format_decimal, get_decimal_symbol

from . import catalogues

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
ENVIRONMENT_VARIABLE = "CAMPSITE_LANG"

# The language being spoken: a process-wide setting, as gettext's own is.
# `speaking()` changes it and always puts the last one back; only a run
# Pelican started itself sets the bottom one (`speak_unless_spoken()`).
# One build at a time speaks (serve's rebuilds follow one another).
_spoken: list[tuple[str, gettext.NullTranslations]] = [(SOURCE_LANGUAGE, gettext.NullTranslations())]


def say(message: str, /, **fields: Any) -> str:
    """`message` in the language being spoken, its `{placeholders}` filled."""
    translated = _spoken[-1][1].gettext(message)
    return _filled(translated, message, fields)


def say_n(singular: str, plural: str, count: int, /, **fields: Any) -> str:
    """The singular or plural form `count` takes in the language spoken
    (`{count}` is filled with it)."""
    translated = _spoken[-1][1].ngettext(singular, plural, count)
    return _filled(translated, singular if count == 1 else plural, {"count": count, **fields})


def mark(message: str) -> str:
    """`message` unchanged: marks a constant for the catalogues; it is
    translated where it is said, with `say(CONSTANT)`."""
    return message


def language() -> str:
    """The language being spoken."""
    return _spoken[-1][0]


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages made inside are in `lang` (English without a catalogue)."""
    _spoken.append((lang, catalogues.translations(LOCALE, DOMAIN, lang)))
    try:
        yield
    finally:
        _spoken.pop()


def speak_unless_spoken(lang: str) -> None:
    """For a run Pelican started itself (`pelican -r`): `lang` for the rest
    of the process, unless a `speaking()` (campsite's commands) chose."""
    if len(_spoken) == 1:
        _spoken[0] = (lang, catalogues.translations(LOCALE, DOMAIN, lang))


def message_language(asked: str | None, settings: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> str:
    """The language of the messages: what `--lang` asked for, else
    CAMPSITE_LANG, else the site's DEFAULT_LANG, else English."""
    return asked or environ.get(ENVIRONMENT_VARIABLE) or str(settings.get("DEFAULT_LANG") or SOURCE_LANGUAGE)


def _filled(text: str, source: str, fields: Mapping[str, Any]) -> str:
    try:
        return text.format_map(_numbers_in(fields))
    except (KeyError, IndexError, ValueError, AttributeError):  # a translation's placeholder is wrong
        pass
    try:
        return source.format_map(_Missing(fields))
    except (KeyError, IndexError, ValueError, AttributeError):
        return source


def _numbers_in(fields: Mapping[str, Any]) -> Mapping[str, Any]:
    """Numbers written as the language writes them: 50 000 and 7,2 in French."""
    lang = language()
    if lang == SOURCE_LANGUAGE:
        return fields
    return {name: _Number(value, lang) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
            for name, value in fields.items()}


class _Number:
    """A number whose `{n:,}` and `{n:.1f}` follow the language (Babel):
    50 000 and 7,2 in French; `{n}` is written as it is (a port, a line)."""

    def __init__(self, value: float, lang: str) -> None:
        self.value, self.locale = value, lang.replace("-", "_")

    def __format__(self, spec: str) -> str:
        # Only what asks for a number's form: a plain {port} or {line} stays as it is.
        digits = spec[1:-1] if spec.startswith(".") and spec.endswith("f") and spec[1:-1].isdigit() else None
        if spec in (",", ",d") or digits is not None:
            pattern = "#,##0" + ("." + "0" * int(digits) if digits and int(digits) else "")
            try:
                return format_decimal(self.value, format=pattern, locale=self.locale)
            except (ValueError, LookupError, UnknownLocaleError):  # a language Babel does not know
                pass
        if spec == "" and isinstance(self.value, float):  # 200,0 in French, 200.0 in English
            try:
                return format(self.value, spec).replace(".", get_decimal_symbol(self.locale))
            except (ValueError, LookupError, UnknownLocaleError):
                pass
        return format(self.value, spec)

    def __str__(self) -> str:
        return format(self, "")


class _Missing(dict):
    """Fields for the source text: a placeholder nobody filled stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
