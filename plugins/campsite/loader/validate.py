"""Validate YAML data against a file model, reporting problems by line."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problems, did_you_mean
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
            loc = tuple(part for part in detail["loc"] if part not in UNION_TAGS)
            source_doc, source_loc = locate(loc) if locate else (doc, loc)
            problems.add(
                source_doc.path,
                source_doc.line_of(source_loc),
                _message(detail, model, loc),
                field_name(source_loc),
            )
        return None


def salvage(
    model: type[M], data: dict[str, Any], fallbacks: dict[str, Any] | None = None
) -> tuple[M | None, dict[str, Any]]:
    """The model built from what is valid in `data`, and that valid data.

    Used after `validate` has reported the problems, so that one bad field
    does not hide the problems of the files that depend on this one (a typo
    in camp.yml must not keep its editions from being checked).
    """
    cleaned = copy.deepcopy(data)
    for _ in range(3):  # dropping a field can reveal a missing required one
        try:
            return model.model_validate({**(fallbacks or {}), **cleaned}), cleaned
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                _drop(cleaned, [p for p in detail["loc"] if p not in UNION_TAGS])
    return None, cleaned


def _drop(data: dict[str, Any], loc: list[Any]) -> None:
    """Remove the value at `loc`: the key inside a mapping field (one venue,
    one default), or else the whole top-level field."""
    if not loc:
        return
    top = data.get(loc[0])
    if len(loc) > 1 and isinstance(top, dict) and loc[1] in top:
        del top[loc[1]]
    else:
        data.pop(loc[0], None)


def _not_a_mapping(data: Any) -> str:
    if data is None:
        return "the file is empty: it needs at least one field (key: value)"
    found = "a list" if isinstance(data, list) else "a single value"
    return f"expected fields (key: value), found {found}"


def _message(detail: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_fields(model, loc[:-1])
        return f'unknown key "{key}"{did_you_mean(key, known)}'
    if kind == "missing":
        return "is required"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected fields (key: value) here"
    if kind == "list_type":
        return "expected a list here, like [a, b] or lines starting with '- '"
    if kind in ("string_type", "str_type"):
        return "expected text here, not a list or fields"
    if kind == "literal_error":
        return f"expected {detail['ctx']['expected']}"
    if kind == "enum":
        return f'"{detail["input"]}" is not one of {detail["ctx"]["expected"]}'
    if kind == "string_pattern_mismatch":
        return f'"{detail["input"]}" is not in the expected form'
    if kind == "union_tag_invalid":
        return "expected a name or fields (key: value) here"
    message = detail["msg"]
    return message.removeprefix("Value error, ")


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
