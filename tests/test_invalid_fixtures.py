"""Each folder in fixtures/invalid/ is a site with one kind of mistake.

`campsite check` must print exactly the lines of its expected.txt (the
file:line: message an organiser sees), exit with status 1, and never show
a Python traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SETTINGS, content_summary, run_campsite

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())


def test_there_are_fixtures():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_the_expected_problems(case: Path):
    result = run_campsite("check", "--settings", str(SETTINGS), "content", cwd=case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == expected
    *_, found, summary = result.stderr.strip().splitlines()
    assert found.endswith("found."), result.stderr
    # Every file of the case is accounted for, and the mistake's file among the errors.
    total, kinds = content_summary(summary)
    assert total == sum(1 for f in (case / "content").rglob("*") if f.is_file()) == sum(kinds.values())
    assert kinds["with errors"] >= 1
