"""On the benchmark's medium site (about 3,000 pages), the fast paths — every
core, the last build's files reused, every cache warm — write exactly the
bytes of a plain build: one process, nothing reused, empty caches."""

from __future__ import annotations

import shutil
import sys

from campsite.build import build
from conftest import ROOT, site_cache, tree_differences, write

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import SIZES, generate  # noqa: E402

NOW = "2027-01-01T00:00"


def test_fast_builds_write_what_a_plain_build_writes(tmp_path):
    generate(tmp_path / "content", SIZES["medium"])
    settings = write(tmp_path / "pelicanconf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                                                  f"THEME = {str(ROOT / 'themes/campsite')!r}\nPATH = 'content'\n")
    fast = tmp_path / "output"
    assert build(settings, output=fast, now=NOW, workers=2, quiet=True).ok
    edition = min((tmp_path / "content" / "camps").glob("*/*/edition.yml"))
    edition.write_text(edition.read_text(encoding="utf-8").replace("summary: ", "summary: (modifié) ", 1),
                       encoding="utf-8")
    other_camp = max((tmp_path / "content" / "camps").iterdir()).name
    untouched = fast / other_camp / "index.html"
    before = untouched.stat().st_ino
    assert build(settings, output=fast, now=NOW, workers=2, quiet=True).ok
    assert untouched.stat().st_ino == before  # reused from the last build

    shutil.move(site_cache(tmp_path / "content"), tmp_path / "warm-cache")  # the plain build starts with none
    plain = tmp_path / "plain"
    assert build(settings, output=plain, now=NOW, workers=1, quiet=True).ok
    assert sum(1 for _ in plain.rglob("*.html")) > 2_500
    assert tree_differences(fast, plain) == []
