"""The JSON Schemas in schemas/: current, and true to what the loader accepts."""

from __future__ import annotations

import json

import jsonschema
import pytest
from campsite.errors import Problems
from campsite.schema import SCHEMAS, field_reference, schema_of, write_schemas
from campsite.yamlfile import load_yaml
from conftest import EXAMPLE_CONTENT, ROOT

FILES = {"camp": "camp.yml", "edition": "edition.yml", "sessions": "sessions.yml"}


def test_committed_schemas_are_up_to_date(tmp_path):
    for path in write_schemas(tmp_path):
        committed = ROOT / "schemas" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: run `campsite schema`"
        )


def test_the_field_reference_is_up_to_date():
    committed = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    assert committed == field_reference(), "docs/fields.md is stale: run `campsite schema`"
    for field in ("previous_start", "registration", "recurrence", "slots"):
        assert f"`{field}`" in committed


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_example_file_is_valid_against_its_schema(name):
    validator = jsonschema.Draft202012Validator(schema_of(name))
    files = sorted(EXAMPLE_CONTENT.rglob(FILES[name]))
    assert files
    for path in files:
        doc = load_yaml(path, Problems())
        errors = [e.message for e in validator.iter_errors(doc.data)]
        assert errors == [], path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("edition", {"start": "2026-06-13T09:30", "venu": "x"}),
        ("edition", {"end": "2026-06-13"}),
        ("edition", {"start": "13/06/2026"}),
        ("camp", {"name": "X", "colour": "red"}),
        ("sessions", {"sessions": [{"title": "x", "room": "Cave", "start": "dix heures"}]}),
    ],
)
def test_schemas_reject_what_the_loader_rejects(name, data):
    assert list(jsonschema.Draft202012Validator(schema_of(name)).iter_errors(data))


def test_example_files_point_editors_at_the_schemas():
    for name, filename in FILES.items():
        for path in EXAMPLE_CONTENT.rglob(filename):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            target = (path.parent / first.split("=", 1)[1]).resolve()
            assert target == (ROOT / "schemas" / f"{name}.schema.json").resolve(), path
            json.loads(target.read_text(encoding="utf-8"))
