"""Each folder in fixtures/invalid/ is a site with one kind of mistake.

`campsite check` must print exactly the lines of its expected.txt (the
file:line: message an organiser sees), exit with status 1, and never show
a Python traceback. The example settings speak French (DEFAULT_LANG): the
same mistakes are said in French, the lines of expected.fr.txt, unless
`--lang en` asks for English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SETTINGS, content_summary, run_campsite

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())


def test_there_are_fixtures():
    assert len(CASES) >= 20


LANGUAGES = {"en": "expected.txt", "fr": "expected.fr.txt"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_the_expected_problems(case: Path, lang: str):
    asked = ["--lang", "en"] if lang == "en" else []  # French: the site's language, not asked for
    result = run_campsite("check", "--settings", str(SETTINGS), "content", *asked, cwd=case, site_language=True)
    expected = (case / LANGUAGES[lang]).read_text(encoding="utf-8").splitlines()
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == expected
    *_, found, summary = result.stderr.strip().splitlines()
    if lang == "fr":
        assert found.endswith(("problème trouvé.", "problèmes trouvés.")), result.stderr
        return
    assert found.endswith("found."), result.stderr
    # Every file of the case is accounted for, and the mistake's file among the errors.
    total, kinds = content_summary(summary)
    assert total == sum(1 for f in (case / "content").rglob("*") if f.is_file()) == sum(kinds.values())
    assert kinds["with errors"] >= 1
