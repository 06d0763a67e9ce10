"""Shared helpers: build real sites into temporary folders."""

from __future__ import annotations

import os

# Before campsite is imported: a template's Python helpers reading a camp or
# edition the template never read fail the build (recording.py).
os.environ["CAMPSITE_STRICT_READS"] = "1"

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from campsite.build import BuildResult, build

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "pelicanconf.py"
EXAMPLE_CONTENT = ROOT / "content"
EXAMPLE_NOW = "2026-11-21T12:00:00+01:00"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_home(tmp_path_factory):
    """Builds keep their caches in the user's cache folder: the tests' go
    to a folder of their own (subprocesses inherit it), never ~/.cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))


@pytest.fixture(autouse=True, scope="session")
def _messages_in_english():
    """The example site speaks French, and so do its messages: the tests
    read them in English, the source language (subprocesses inherit it);
    test_messages.py reads them in French."""
    import os

    os.environ["CAMPSITE_LANG"] = "en"


def site_cache(content: Path) -> Path:
    """The cache folder builds of `content` use by default (cache_folder.py)."""
    from campsite.cache_folder import cache_folder

    return cache_folder({"PATH": str(content), "CAMPSITE_CACHE_PATH": None})


def build_site(content: Path, output: Path, now: str = EXAMPLE_NOW, **options) -> BuildResult:
    """Build `content` with the project's settings into `output`."""
    return build(SETTINGS, content=content, output=output, now=now, quiet=True, **options)


def run_campsite(*args: str, cwd: Path = ROOT, site_language: bool = False) -> subprocess.CompletedProcess:
    """The real `campsite` command, as organisers run it; with
    `site_language`, its messages in the site's language, not in English."""
    import os

    command = [str(Path(sys.executable).parent / "campsite"), *args]
    environ = {k: v for k, v in os.environ.items() if not (site_language and k == "CAMPSITE_LANG")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=environ)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example site, built once for the session."""
    output = tmp_path_factory.mktemp("example") / "output"
    result = build_site(EXAMPLE_CONTENT, output)
    assert result.ok, "\n".join(map(str, result.problems)) or result.message
    return output


@pytest.fixture
def site_dir(tmp_path) -> Path:
    """An empty content folder to write a small site into."""
    content = tmp_path / "content"
    (content / "camps").mkdir(parents=True)
    return content


def broken_links(output: Path) -> list[str]:
    """Every link, anchor, image (srcset too), media, script and stylesheet
    of every page that leads nowhere, as 'page → link'."""
    import lxml.html

    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(lxml.html.fromstring(page.read_bytes()).xpath("//@id"))
        return ids[page]

    broken = []
    for page in sorted(output.rglob("*.html")):
        doc = lxml.html.fromstring(page.read_bytes())
        srcsets = doc.xpath("//img/@srcset | //source/@srcset")
        candidates = [c.strip().split(" ")[0] for srcset in srcsets for c in srcset.split(",") if c.strip()]
        for href in [*doc.xpath("//a/@href | //img/@src | //link/@href | //script/@src | //source/@src"
                                " | //video/@src | //audio/@src"), *candidates]:
            if "://" in href or href.startswith(("mailto:", "webcal:")):
                continue
            path, _, fragment = href.partition("#")
            if not path:
                target = page
            else:
                base = output if path.startswith("/") else page.parent
                target = (base / path.lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(output)} → {href}")
            elif fragment and target.suffix == ".html" and fragment not in anchors(target):
                broken.append(f"{page.relative_to(output)} → {href} (no such anchor)")
    return broken


def tree_differences(left: Path, right: Path) -> list[str]:
    """Every file that is in one tree only, or differs byte for byte (`left`'s paths)."""
    import filecmp

    def walk(cmp: filecmp.dircmp) -> list[str]:
        # dircmp alone compares sizes and times: compare every common file's bytes.
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found = [f"{cmp.left}/{name}" for name in sorted({*cmp.left_only, *cmp.right_only, *cmp.funny_files,
                                                           *mismatch, *errors})]
        return found + [path for sub in cmp.subdirs.values() for path in walk(sub)]

    return walk(filecmp.dircmp(left, right))


def content_summary(line: str) -> tuple[int, dict[str, int]]:
    """'Content: 12 files: 9 built into pages, 3 copied, 0 with errors.' →
    (12, {'built into pages': 9, 'copied': 3, 'with errors': 0})."""
    import re

    match = re.fullmatch(r"Content: (\d+) files?: (.*)\.", line)
    assert match, line
    kinds = {}
    for part in match.group(2).split(", "):
        count, kind = part.split(" ", 1)
        kinds[kind] = int(count)
    return int(match.group(1)), kinds


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Tell fixtures whether their test failed (browser tests take a screenshot)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed = True


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """The example site built with publishconf.py (absolute URLs), once."""
    from campsite.build import build

    output = tmp_path_factory.mktemp("published") / "public"
    # publishconf.py imports the module named pelicanconf, and Pelican
    # registers every settings file it reads under its name: another test's
    # pelicanconf.py may be the one registered.
    sys.modules.pop("pelicanconf", None)
    result = build(ROOT / "publishconf.py", content=EXAMPLE_CONTENT, output=output, now=EXAMPLE_NOW, quiet=True)
    assert result.ok, result.problems
    return output


@pytest.fixture(scope="session")
def site():
    """The example site's model, as the build loads it."""
    from campsite.errors import Problems
    from campsite.loader import load_site

    loaded, _ = load_site(EXAMPLE_CONTENT, Problems(), default_timezone="Europe/Paris", default_language="fr")
    return loaded


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 (a free port), as a static host
    would serve it; yields the base URL, ending in '/'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def own_cache() -> Iterator[Path]:
    """A build in this block starts from an empty cache folder of its own
    (builds run in this process read XDG_CACHE_HOME when they start): a
    reference build that shared the incremental build's cache would compare
    what came from that cache with itself."""
    import tempfile

    before = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory(prefix="campsite-own-cache-") as folder:
        os.environ["XDG_CACHE_HOME"] = folder
        try:
            yield Path(folder)
        finally:
            if before is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = before
