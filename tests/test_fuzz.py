"""Random and mutated content files: the loader accepts them or reports
problems, and never raises. `CAMPSITE_FUZZ_EXAMPLES=50000 pytest
tests/test_fuzz.py` runs a longer campaign."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from campsite.errors import Problems
from campsite.loader import load_site
from campsite.model.files import EditionFile, SessionFile
from campsite.yamlfile import load_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CAMPSITE_FUZZ_EXAMPLES", "1500"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-06-13", "2026-06-13T09:30", "10:00", "25:99", "2026-02-30", "free", "cancelled",
                     "rescheduled", "Europe/Paris", "Mars/Olympus", "https://example.org", "javascript:alert(1)",
                     "../../etc/passwd", "#7b1e3a", "NO", "01000", "~", "", "yes", "-1", "1e9"]),
)
values = st.recursive(
    st.one_of(st.none(), texts, st.integers(), st.booleans(), st.floats(allow_nan=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)
edition_keys = st.sampled_from(sorted(EditionFile.model_fields) + ["venu", "sessions"])
session_keys = st.sampled_from(sorted(SessionFile.model_fields))


def site_with(edition: object, sessions: object) -> Path:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    camp = root / "content" / "camps" / "vinocamp"
    (camp / "2026-x").mkdir(parents=True)
    (camp / "camp.yml").write_text("name: Vinocamp\ntimezone: Europe/Paris\nvenues:\n  v: {name: V, city: Lyon}\n")
    (camp / "2026-x" / "edition.yml").write_text(yaml.safe_dump(edition, allow_unicode=True))
    (camp / "2026-x" / "sessions.yml").write_text(yaml.safe_dump(sessions, allow_unicode=True))
    return root / "content"


@FUZZ
@given(edition=st.dictionaries(edition_keys, values, max_size=8),
       sessions=st.one_of(values, st.fixed_dictionaries({"sessions": st.lists(
           st.dictionaries(session_keys, values, max_size=6), max_size=4)})))
def test_random_files_load_or_report(edition, sessions):
    content = site_with(edition, sessions)
    problems = Problems(content.parent)
    site, _ = load_site(content, problems)
    assert problems or site.editions  # either it is usable, or we say why
    for problem in problems:
        assert problem.path.startswith("content/camps/vinocamp") and problem.message


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_read_or_report(data):
    path = Path(tempfile.mkdtemp(prefix="fuzz-")) / "edition.yml"
    path.write_bytes(data)
    problems = Problems(path.parent)
    doc = load_yaml(path, problems)
    assert (doc is None) == bool(problems)
