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
