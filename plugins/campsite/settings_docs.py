"""docs/settings.md's tables, generated from the settings table
(pelican_plugin/settings.py): `invoke settings_docs` rewrites them.

Only what lies between the two markers is generated; the words around it
are written by hand and kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .pelican_plugin.settings import NONE, SETTINGS, Setting

PAGE = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
BEGIN = "<!-- Generated from plugins/campsite/pelican_plugin/settings.py by `invoke settings_docs`: edit it there. -->"
END = "<!-- End of the generated part. -->"

# The words organisers read for Python's types.
KINDS = {str: "text", int: "whole number", bool: "`True` or `False`"}


def settings_reference() -> str:
    """The generated part of docs/settings.md, markers included."""
    campsites = [s for s in SETTINGS if s.name.startswith("CAMPSITE_")]
    addresses = [s for s in SETTINGS if not s.name.startswith("CAMPSITE_")]
    return "\n".join([
        BEGIN,
        "",
        _table(("setting", "type", "default", "what it does"),
               [(f"`{s.name}`", _kind(s), _default(s), s.doc) for s in campsites]),
        "",
        "campsite also sets the URL settings of its own pages, which you may change like Pelican's:",
        "",
        _table(("setting", "default", "what it is"), [(f"`{s.name}`", _default(s), s.doc) for s in addresses]),
        "",
        END,
    ])


def with_settings_reference(page: str) -> str:
    """`page` with its generated part as the settings table makes it now."""
    before, begin, rest = page.partition(BEGIN)
    _, end, after = rest.partition(END)
    if not (begin and end):
        raise ValueError(f"{PAGE.name} has lost its markers: put {BEGIN!r} and {END!r} back around its tables")
    return before + settings_reference() + after


def write_settings_docs(path: Path = PAGE) -> Path:
    """Rewrite the generated part of docs/settings.md."""
    path.write_text(with_settings_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [header, tuple("---" for _ in header), *rows]
    return "\n".join("| " + " | ".join(_cell(text) for text in line) + " |" for line in lines)


def _cell(text: str) -> str:
    # A bar would end the cell early.
    return text.replace("|", "\\|")


def _kind(setting: Setting) -> str:
    """'whole number or `None`'."""
    kinds = [KINDS[t] for t in setting.types if t is not NONE]
    return " or ".join(kinds + ["`None`"] * (NONE in setting.types))


def _default(setting: Setting) -> str:
    return "(required)" if setting.required else f"`{_python(setting.default)}`"


def _python(value: Any) -> str:
    """The value as written in pelicanconf.py (strings in double quotes, as the docs write them)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)

