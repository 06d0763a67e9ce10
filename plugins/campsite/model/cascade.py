"""The data cascade: how an edition inherits from its camp.

Precedence, highest first (see docs/content-format.md):

1. the edition's own edition.yml;
2. the camp's `defaults:` in camp.yml;
3. the camp's own `timezone` and `language`;
4. the built-in defaults of each field.

Inheritance is by whole top-level field: an edition that sets `registration`
replaces the camp's whole `registration` mapping, never merges into it, so
what a file says is all there is to read. An edition field written empty
(`capacity:` with no value) clears what it would inherit.

This is a pure function over plain data; `origins` says which layer gave each
field, so an error in an inherited value points at the file that wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CAMP_FIELDS_INHERITED = ("timezone", "language")


def cascade(
    edition: Mapping[str, Any],
    camp_defaults: Mapping[str, Any],
    camp: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge the layers; return the edition's data and each field's origin.

    Origins are "edition", "defaults" or "camp". Fields that end up with no
    value are left out, so the model's own default applies.
    """
    layers = (
        ("camp", {k: camp[k] for k in CAMP_FIELDS_INHERITED if k in camp}),
        ("defaults", camp_defaults),
        ("edition", edition),
    )
    merged: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for origin, layer in layers:
        for key, value in layer.items():
            merged[key] = value
            origins[key] = origin
    for key in [k for k, v in merged.items() if v is None]:
        del merged[key]
        del origins[key]
    return merged, origins
