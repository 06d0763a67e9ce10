"""Validate YAML data against a file model, reporting problems by line."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problems, did_you_mean
from ..messages import say
from ..model.files import UNION_TAGS
from ..yamlfile import Loc, YamlDocument, field_name

M = TypeVar("M", bound=BaseModel)

Locator = Callable[[Loc], tuple[YamlDocument, Loc]]
"""Maps a location in validated data to the document and location it came from."""


def validate(
    model: type[M],
    data: Any,
    doc: YamlDocument,
    problems: Problems,
    locate: Locator | None = None,
) -> M | None:
    """`model` built from `data`, or None after reporting every problem."""
    if not isinstance(data, dict):
        problems.add(doc.path, 1, _not_a_mapping(data))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            loc = _data_loc(detail["loc"], data)
            source_doc, source_loc = locate(loc) if locate else (doc, loc)
            problems.add(
                source_doc.path,
                source_doc.line_of(source_loc),
                _message(detail, model, loc),
                field_name(source_loc),
            )
        return None


def _data_loc(loc: tuple[str | int, ...], data: Any) -> Loc:
    """`loc` in `data`: without the tag pydantic puts in for the branch of a
    tagged union (a fixed price's "fixed"), which the data does not have;
    a key the data has keeps its place, even named like a tag (`free:`)."""
    result: list[str | int] = []
    for part in loc:
        if has(data, part):
            data = data[part]
        elif part in UNION_TAGS:
            continue
        else:
            data = None  # a missing key: what follows is not in the data either
        result.append(part)
    return tuple(result)


# A bad required value, once dropped, is missing: the next round drops what
# holds it. A round per level of nesting, then.
MAX_SALVAGE_ROUNDS = 8


def salvage(
    model: type[M], data: dict[str, Any], fallbacks: dict[str, Any] | None = None
) -> tuple[M | None, dict[str, Any]]:
    """The model built from what is valid in `data`, and that valid data.

    Used after `validate` has reported the problems, so that one bad field
    does not hide the problems of the files that depend on this one (a typo
    in camp.yml must not keep its editions from being checked).
    """
    cleaned = copy.deepcopy(data)
    for _ in range(MAX_SALVAGE_ROUNDS):  # dropping a value can reveal a missing required one
        try:
            return model.model_validate({**(fallbacks or {}), **cleaned}), cleaned
        except ValidationError as error:
            dropped = [_drop(cleaned, list(_data_loc(detail["loc"], cleaned)))
                       for detail in error.errors(include_url=False)]
            if not any(dropped):
                break
    return None, cleaned


def _drop(data: dict[str, Any], loc: list[Any]) -> bool:
    """Remove the innermost value at `loc` that can go alone: the bad key
    itself where a mapping holds it (a venue's `geo`, one sponsor's `url`),
    else the mapping holding a missing required key, up to the top-level
    field. A list's item never goes alone, which would renumber the items
    after it and so point their problems at the wrong lines: its list goes."""
    for depth in range(len(loc), 0, -1):
        holder = _value_at(data, loc[: depth - 1])
        if isinstance(holder, dict) and loc[depth - 1] in holder:
            del holder[loc[depth - 1]]
            return True
    return False


def _value_at(data: Any, loc: list[Any]) -> Any:
    for part in loc:
        data = data[part] if has(data, part) else None
    return data


def has(data: Any, part: str | int) -> bool:
    """Whether the mapping or list `data` has a value (None included) at `part`."""
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def valid_items(model: type[M], items: Any, limit: int) -> dict[int, M]:
    """Each valid item of a list (of the first `limit`) by its index, after
    `validate` has reported the others: one bad session does not keep the
    rest from being checked, and each keeps its index, so its line."""
    if not isinstance(items, list):
        return {}
    valid = {}
    for index, item in enumerate(items[:limit]):
        try:
            valid[index] = model.model_validate(item)
        except ValidationError:
            pass  # reported
    return valid


def _not_a_mapping(data: Any) -> str:
    if data is None:
        return say("the file is empty: it needs at least one field (key: value)")
    if isinstance(data, list):
        return say("expected fields (key: value), found a list")
    return say("expected fields (key: value), found a single value")


def _message(detail: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_fields(model, loc[:-1])
        return say('unknown key "{key}"{suggestion}', key=key, suggestion=did_you_mean(key, known))
    if kind == "missing":
        return say("is required")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return say("expected fields (key: value) here")
    if kind == "list_type":
        return say("expected a list here, like [a, b] or lines starting with '- '")
    if kind in ("string_type", "str_type"):
        return say("expected text here, not a list or fields")
    if kind == "literal_error":
        return say("expected {choices}", choices=_choices(detail["ctx"]["expected"]))
    if kind == "enum":
        return say('"{value}" is not one of {choices}', value=detail["input"],
                   choices=_choices(detail["ctx"]["expected"]))
    if kind == "string_pattern_mismatch":
        return say('"{value}" is not in the expected form', value=detail["input"])
    if kind == "union_tag_invalid":
        return say("expected a name or fields (key: value) here")
    ctx = detail.get("ctx") or {}
    if kind == "too_long" and ctx.get("field_type") == "List" and ctx.get("max_length") != 1:
        return say("List should have at most {limit} items after validation, not {count}",
                   limit=ctx["max_length"], count=ctx["actual_length"])
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return say("String should have at least 1 character")
    # A validator's own message, already said in the organiser's language
    # (model/fields.py); else pydantic's, in English.
    message = detail["msg"]
    return message.removeprefix("Value error, ")


# pydantic's list of the values allowed: "'a', 'b' or 'c'".
_LAST_CHOICE = re.compile(r"""(?P<choices>.+) or (?P<last>'[^']*'|"[^"]*"|\d+)""", re.DOTALL)


def _choices(expected: str) -> str:
    """pydantic's list of the values allowed, its "or" in the organiser's language."""
    found = _LAST_CHOICE.fullmatch(expected)
    if found is None:
        return expected
    return say("{choices} or {last}", choices=found["choices"], last=found["last"])


def _known_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc`, for "did you mean" suggestions."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside `list[M]`, `M | None`, `dict[str, M]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    for meta in getattr(annotation, "__metadata__", ()):
        found = _model_in(meta)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _model_in(origin) if origin not in (None, annotation) else None
