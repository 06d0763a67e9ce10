"""JSON Schemas of the content files, for editors' completion and checks."""

from __future__ import annotations

import json
from pathlib import Path

from .model.files import CampFile, EditionFile, SessionsFile

SCHEMAS = {
    "camp": CampFile,
    "edition": EditionFile,
    "sessions": SessionsFile,
}


def schema_of(name: str) -> dict:
    model = SCHEMAS[name]
    schema = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        text = json.dumps(schema_of(name), indent=2, ensure_ascii=False, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


def field_reference() -> str:
    """docs/fields.md: every field of the three files, from their JSON Schemas."""
    lines = [
        "# Fields, file by file",
        "",
        "Generated from the JSON Schemas by `campsite schema`; "
        "[content-format.md](content-format.md) explains how they fit together.",
    ]
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        lines += ["", f"## {name}.yml", ""]
        lines += _table(schema, schema.get("$defs", {}))
        for def_name, definition in sorted(schema.get("$defs", {}).items()):
            if definition.get("type") == "object":
                lines += ["", f"### {def_name}", ""]
                lines += _table(definition, schema.get("$defs", {}))
    return "\n".join(lines) + "\n"


def _table(schema: dict, defs: dict) -> list[str]:
    required = set(schema.get("required", []))
    rows = ["| field | kind | required | notes |", "| --- | --- | --- | --- |"]
    for field, spec in schema.get("properties", {}).items():
        notes = spec.get("description", "")
        examples = spec.get("examples") or next(
            (s.get("examples") for s in spec.get("anyOf", []) if s.get("examples")), None)
        if examples:
            notes = (notes + " " if notes else "") + "e.g. " + ", ".join(f"`{e}`" for e in examples)
        kind = _kind(spec)
        rows.append(f"| `{field}` | {kind} | {'yes' if field in required else ''} | {notes} |")
    return rows


def _kind(spec: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "enum" in spec:
        return " / ".join(f"`{v}`" for v in spec["enum"])
    if "anyOf" in spec or "oneOf" in spec:
        kinds = [_kind(s) for s in spec.get("anyOf", spec.get("oneOf", [])) if s.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds))
    kind = spec.get("type", "text")
    if kind == "array":
        return f"list of {_kind(spec.get('items', {}))}"
    if isinstance(kind, list):
        return " or ".join(k for k in kind if k != "null")
    return {"string": "text", "object": "fields"}.get(kind, kind)
