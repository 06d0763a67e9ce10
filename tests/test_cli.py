"""The `campsite` and `pelican` commands, run as organisers run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html
from conftest import EXAMPLE_NOW, ROOT, SETTINGS, copy_tree, run_campsite, write


def broken_copy(tmp_path: Path) -> Path:
    content = copy_tree(ROOT / "content" / "camps" / "vinocamp", tmp_path / "content" / "camps" / "vinocamp")
    write(content / "2026-bordeaux" / "edition.yml", "start: 2026-06-13T09:30\nend: 2026-06-13T08:00\n")
    write(content / "2027-angers" / "sessions.yml", "sessions:\n  - {title: x, room: Cave}\n")
    return tmp_path / "content"


def test_every_command_has_help_with_an_example():
    for command in ("check", "build", "schema", "serve", "publish", "writeup", "new",
                    "new camp", "new edition", "new writeup"):
        result = run_campsite(*command.split(), "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout and f"campsite {command}" in result.stdout


def test_check_lists_all_problems_at_once(tmp_path):
    content = broken_copy(tmp_path)
    result = run_campsite("check", "--settings", str(SETTINGS), str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "content/camps/vinocamp/2026-bordeaux/edition.yml:2: end: end is not after start",
        "content/camps/vinocamp/2027-angers/sessions.yml:2: sessions[0].start: is required",
    ]


def test_check_speaks_github_annotations(tmp_path):
    content = broken_copy(tmp_path)
    result = run_campsite("check", "--format", "github", "-s", str(SETTINGS), str(content), cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "::error file=content/camps/vinocamp/2026-bordeaux/edition.yml,line=2::end: end is not after start"
    )


def test_build_without_settings_file_says_what_to_do(tmp_path):
    result = run_campsite("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "no pelicanconf.py here" in result.stderr and "Traceback" not in result.stderr


def test_unknown_campsite_setting_is_reported_with_a_suggestion(tmp_path):
    settings = write(
        tmp_path / "conf.py",
        f"from pathlib import Path\nexec(Path({str(SETTINGS)!r}).read_text())\n"
        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'themes/campsite')!r}\n"
        "CAMPSITE_NWO = '2026-01-01'\n",
    )
    result = run_campsite("check", "-s", str(settings), cwd=tmp_path)
    assert result.returncode == 1
    assert 'unknown setting CAMPSITE_NWO (did you mean "CAMPSITE_NOW"?)' in result.stderr


def test_plain_pelican_builds_the_site_too(tmp_path):
    pelican = Path(sys.executable).parent / "pelican"
    out = tmp_path / "output"
    result = subprocess.run(
        [str(pelican), "-s", str(SETTINGS), "-o", str(out), "-e", f'CAMPSITE_NOW="{EXAMPLE_NOW}"'],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    page = lxml.html.fromstring((out / "vinocamp" / "index.html").read_bytes())
    assert page.xpath("string(//h1)") == "Vinocamp"


def test_plain_pelican_stops_on_bad_content_without_traceback(tmp_path):
    pelican = Path(sys.executable).parent / "pelican"
    content = broken_copy(tmp_path)
    out = tmp_path / "output"
    result = subprocess.run(
        [str(pelican), "-s", str(SETTINGS), "-o", str(out), str(content)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "content/camps/vinocamp/2026-bordeaux/edition.yml:2: end: end is not after start" in result.stderr
    assert not out.exists() or not any(out.rglob("*.html"))


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    python3 -m venv")]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in [line.strip() for line in ci]


def test_every_campsite_setting_is_documented():
    from campsite.pelican_plugin.settings import DEFAULTS

    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for key in DEFAULTS:
        if key.startswith("CAMPSITE_"):
            assert f"`{key}`" in documented, key


def test_a_bad_now_is_a_usage_error():
    result = run_campsite("build", "--now", "yesterday")
    assert result.returncode == 2
    assert '"yesterday" is not a date and time' in result.stderr and "Traceback" not in result.stderr
