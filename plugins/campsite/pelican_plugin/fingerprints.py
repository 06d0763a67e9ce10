"""The shape of a context value, for a template that read it by name.

A template reading `upcoming_editions` depends on which editions the list
holds and in what order; what it then reads of each edition is recorded
as a read of its own (recording.py). So a value's fingerprint names the
camps, editions and articles it holds (not their contents) and spells out
everything else: text, numbers, dates, lists, dicts, and the attributes of
small objects (a city, a tag listing), a few levels deep. Nothing in it may
differ between two builds of the same commit (no memory addresses).
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from ..model import site as model
from .contents import Camp, Edition

DEPTH = 4  # deep enough for a city's editions; the settings dict is not walked from a value


def fingerprint(value: Any, depth: int = DEPTH) -> str:
    return _shape(value, depth)


def _shape(value: Any, depth: int) -> str:
    if value is None or isinstance(value, bool | int | float | str | date | datetime | time | timedelta | PurePath):
        return repr(value)
    if isinstance(value, Edition | model.Edition):
        return "edition:" + (value.model if isinstance(value, Edition) else value).path
    if isinstance(value, Camp | model.Camp):
        return "camp:" + (value.model if isinstance(value, Camp) else value).slug
    if isinstance(value, Content):
        return "article:" + value.relative_source_path
    if isinstance(value, URLWrapper):  # a tag, category, author or city: its name, address (and editions)
        listed = _shape(value.editions, depth - 1) if isinstance(getattr(value, "editions", None), list) else ""
        return f"{type(value).__name__}:{value.name}:{value.url}{listed}"
    if isinstance(value, types.ModuleType):
        return "module:" + value.__name__
    if depth <= 0:
        return type(value).__qualname__
    if isinstance(value, dict):
        return "{" + ",".join(f"{_shape(k, depth - 1)}:{_shape(v, depth - 1)}"
                              for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_shape(item, depth - 1) for item in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(_shape(item, depth - 1) for item in value)) + "}"
    if callable(value):  # a function or class in the context: by name
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return type(value).__qualname__ + _shape(fields, depth - 1)
    if hasattr(value, "__dict__"):
        return type(value).__qualname__ + _shape({k: v for k, v in vars(value).items()
                                                   if not k.startswith("_") and k != "settings"}, depth - 1)
    text = str(value)
    return text if " at 0x" not in text else type(value).__qualname__
