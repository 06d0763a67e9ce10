"""The build's last step into output/ is atomic: a build stopped, failed or
killed at any moment leaves the old site or the new one, never a mix, and
the next build cleans up whatever it left beside output/.

Real builds of a copy of the example site in two versions ("old" and
"new": one edition's summary differs), each compared byte for byte with a
fresh build of that version."""

from __future__ import annotations

import ctypes
import errno
import gzip
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import campsite.build as build_module
import pytest
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, SETTINGS, build_site, copy_tree, tree_differences, write

EDITION = "camps/vinocamp/2026-bordeaux/edition.yml"
SUMMARY = "summary: Une journée d'ateliers ouverts autour du vin, face à la Garonne."
NEW_WORD = "Xylofrelon"  # in the new version's summary only: the search index must find it
NEW_SUMMARY = f"summary: {NEW_WORD}, une journée d'ateliers autour du vin."
MTIMES = {"old": 1_780_000_000, "new": 1_780_100_000}  # without git, a file's history is its time
UNTOUCHED = "vinocamp/2024-beaune/index.html"  # a page that shows nothing of the edited edition
ENTRY = "pagefind/pagefind-entry.json"


class Example:
    """A copy of the example site whose edition file is in one version or the other."""

    def __init__(self, root: Path):
        self.root = root
        self.content = copy_tree(EXAMPLE_CONTENT, root / "content")
        self.original = (self.content / EDITION).read_text(encoding="utf-8")
        assert SUMMARY in self.original

    def use(self, version: str) -> None:
        path = self.content / EDITION
        path.write_text(self.original if version == "old" else self.original.replace(SUMMARY, NEW_SUMMARY),
                        encoding="utf-8")
        os.utime(path, ns=(MTIMES[version] * 10**9,) * 2)

    def reference(self, version: str) -> Path:
        return self.root / f"reference-{version}"

    def differences(self, output: Path, version: str) -> list[str]:
        return tree_differences(output, self.reference(version))

    def which(self, output: Path) -> str | None:
        """'old' or 'new' if `output` is exactly that site, else None (a mix)."""
        return next((v for v in ("old", "new") if not self.differences(output, v)), None)

    def settings_file(self) -> Path:
        """Settings for the real `campsite build` command on this copy."""
        return write(self.root / "pelicanconf.py",
                     f"exec(open({str(SETTINGS)!r}).read())\nPATH = 'content'\n"
                     f"THEME = {str(ROOT / 'themes/campsite')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Example:
    site = Example(tmp_path_factory.mktemp("atomic"))
    for version in ("old", "new"):
        site.use(version)
        result = build_site(site.content, site.reference(version))
        assert result.ok, result.problems or result.message
    assert site.differences(site.reference("old"), "new")  # the two versions are two sites
    return site


def built(example: Example, output: Path, version: str = "old") -> Path:
    example.use(version)
    result = build_site(example.content, output)
    assert result.ok, result.problems or result.message
    assert example.which(output) == version
    return output


def leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}-"))


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def indexed_text(index: Path) -> str:
    """The text of every page Pagefind indexed (its fragments: gzip, JSON)."""
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
                   for f in (index / "fragment").glob("*.pf_fragment"))


def stop_at_call(monkeypatch, name: str, n: int, exception: type[BaseException], after: bool = False) -> None:
    """build.py's `name` raises `exception` (an interrupt, a kill) at its
    n-th call: before doing its work, or with `after`, once done."""
    real, calls = getattr(build_module, name), [0]

    def stopping(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n and not after:
            raise exception()
        value = real(*args, **kwargs)
        if calls[0] == n:
            raise exception()
        return value

    monkeypatch.setattr(build_module, name, stopping)


# A rebuild over the last output ----------------------------------------------

def test_a_rebuild_puts_exactly_the_new_site_in_place(example, tmp_path):
    out = built(example, tmp_path / "output")
    write(out / "vinocamp" / "notes.txt", "a file no build wrote")
    write(out / "oubli.html", "<!DOCTYPE html><title>a page no build wrote</title><p>oubli")
    untouched = (out / UNTOUCHED).stat().st_ino
    example.use("new")
    assert build_site(example.content, out).ok
    assert example.differences(out, "new") == []  # every file is the new build's, and nothing else
    assert leftovers(out) == []
    assert (out / UNTOUCHED).stat().st_ino == untouched  # kept: hard-linked from the last output
    edited = (out / "vinocamp/2026-bordeaux/index.html").stat().st_ino
    assert build_site(example.content, out).ok  # nothing changed: everything reused across builds
    assert (out / "vinocamp/2026-bordeaux/index.html").stat().st_ino == edited
    assert (out / UNTOUCHED).stat().st_ino == untouched
    assert example.differences(out, "new") == [] and leftovers(out) == []


def test_a_build_stopped_while_completing_staging_leaves_the_old_site(example, tmp_path, monkeypatch):
    out = built(example, tmp_path / "output")
    example.use("new")
    stops = [("_link", 1, KeyboardInterrupt), ("_link", 200, SystemExit), ("_index", 1, KeyboardInterrupt),
             ("_index", 1, SystemExit, True), ("_exchange", 1, KeyboardInterrupt)]
    for name, n, exception, *after in stops:
        with monkeypatch.context() as patched:
            stop_at_call(patched, name, n, exception, after=bool(after))
            with pytest.raises(exception):
                build_site(example.content, out)
        assert example.differences(out, "old") == [], (name, n)
        assert leftovers(out)  # like a killed build's staging, for the next build to remove
    assert build_site(example.content, out).ok
    assert example.differences(out, "new") == [] and leftovers(out) == []


def test_a_build_stopped_after_the_exchange_leaves_the_new_site(example, tmp_path, monkeypatch):
    out = built(example, tmp_path / "output")
    example.use("new")
    with monkeypatch.context() as patched:
        stop_at_call(patched, "_exchange", 1, KeyboardInterrupt, after=True)
        with pytest.raises(KeyboardInterrupt):
            build_site(example.content, out)
    assert example.differences(out, "new") == []
    (old,) = leftovers(out)  # staging's name now holds the old site
    assert example.differences(out.parent / old, "old") == []
    assert build_site(example.content, out).ok
    assert example.differences(out, "new") == [] and leftovers(out) == []


def test_a_build_stopped_while_removing_the_old_site_leaves_the_new_one(example, tmp_path, monkeypatch):
    """The old site's files are links to the new site's: removing half of
    them changes nothing in the new site."""
    out = built(example, tmp_path / "output")
    example.use("new")

    class HalfRemoving:
        def __getattr__(self, name):
            return getattr(shutil, name)

        @staticmethod
        def rmtree(path, ignore_errors=False):
            files = sorted(p for p in Path(path).rglob("*") if p.is_file())
            for file in files[: len(files) // 2]:
                file.unlink()
            raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "shutil", HalfRemoving())
    with pytest.raises(KeyboardInterrupt):
        build_site(example.content, out)
    monkeypatch.undo()
    assert example.differences(out, "new") == []
    assert len(leftovers(out)) == 1
    assert build_site(example.content, out).ok
    assert example.differences(out, "new") == [] and leftovers(out) == []


def test_without_an_atomic_exchange_two_renames(example, tmp_path, monkeypatch):
    """Where renameat2 refuses (EINVAL: a file system without
    RENAME_EXCHANGE), two renames; a build killed between them leaves the
    old site aside, which the next build puts back."""
    def refusing(*args):
        ctypes.set_errno(errno.EINVAL)
        return -1

    out = built(example, tmp_path / "output")
    example.use("new")
    with monkeypatch.context() as patched:
        patched.setattr(build_module, "_renameat2", lambda: refusing)
        assert build_site(example.content, out).ok
    assert example.differences(out, "new") == [] and leftovers(out) == []
    kept = (out / UNTOUCHED).stat().st_ino
    # What a build killed between the two renames leaves: no output/, the
    # last site aside, and the new one in its staging folder.
    aside = tmp_path / ".output-old-killed"
    aside.mkdir()
    out.rename(aside / "output")
    (tmp_path / ".output-building-killed").mkdir()
    assert build_site(example.content, out).ok
    assert example.differences(out, "new") == [] and leftovers(out) == []
    assert (out / UNTOUCHED).stat().st_ino == kept  # put back, then reused: not built again from nothing


def test_the_exchange_is_one_renameat2(tmp_path):
    if build_module._renameat2() is None:
        pytest.skip("no renameat2 here (not Linux, or an old C library)")
    one, other = write(tmp_path / "one" / "f", "one").parent, write(tmp_path / "other" / "f", "other").parent
    assert build_module._exchange(one, other)
    assert (one / "f").read_text() == "other" and (other / "f").read_text() == "one"
    with pytest.raises(FileNotFoundError):
        build_module._exchange(one, tmp_path / "missing")


# Killed for real ------------------------------------------------------------------

def test_a_rebuild_killed_at_random_moments_leaves_the_old_or_the_new_site(example, tmp_path):
    """SIGKILL to the build and everything it started (as a CI runner or
    systemd kills a job), mostly during its last step, rebuilding each time
    towards the other version of the site."""
    out = built(example, tmp_path / "output")
    command = [str(Path(sys.executable).parent / "campsite"), "build", "-s", str(example.settings_file()),
               "-o", str(out), "--now", EXAMPLE_NOW]

    def start() -> subprocess.Popen:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=dict(os.environ), start_new_session=True)

    current = "new"
    example.use(current)
    started = time.monotonic()
    assert start().wait(timeout=120) == 0
    duration = time.monotonic() - started
    assert example.which(out) == "new"
    rng = random.Random(2026)
    # When to kill: at a random moment of the build; as kept pages are being
    # linked into staging; as Pagefind writes the new index into it.
    moments = [None, UNTOUCHED, "pagefind/pagefind-entry.json"] * 3
    for attempt, moment in enumerate(moments):
        target = "old" if current == "new" else "new"
        example.use(target)
        earlier = set(tmp_path.glob(".output-building-*"))  # a killed build's, removed by the next one
        build = start()
        started = time.monotonic()
        if moment is None:
            time.sleep(rng.uniform(0.2, 1.1) * duration)
        else:
            while time.monotonic() - started < 60 and build.poll() is None:
                if any((staging / moment).exists() for staging in set(tmp_path.glob(".output-building-*")) - earlier):
                    break
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.1))
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had finished
        build.wait(timeout=30)
        state = example.which(out)
        assert state in (current, target), (attempt, example.differences(out, target)[:10])
        current = state
    assert build_site(example.content, out).ok  # the next build succeeds and cleans up
    assert example.which(out) == target and leftovers(out) == []


# A bug in the build ----------------------------------------------------------------

def failing(*args, **kwargs):
    raise RuntimeError("a bug")


@pytest.mark.parametrize("last_output", [True, False])
def test_a_bug_in_the_build_is_raised_and_leaves_no_staging(example, tmp_path, monkeypatch, last_output):
    from campsite.pelican_plugin.generator import CampsiteGenerator

    out = built(example, tmp_path / "output") if last_output else tmp_path / "output"
    example.use("new")
    monkeypatch.setattr(CampsiteGenerator, "generate_output", failing)
    with pytest.raises(RuntimeError, match="a bug"):
        build_site(example.content, out)
    assert leftovers(out) == []
    if last_output:
        assert example.which(out) == "old"
    else:
        assert not out.exists()


def test_a_bug_in_a_worker_or_in_the_last_step_leaves_no_staging(example, tmp_path, monkeypatch):
    from campsite.pelican_plugin.parallel import DeferredWriter

    out = built(example, tmp_path / "output")
    example.use("new")
    with monkeypatch.context() as patched:
        patched.setattr(DeferredWriter, "save", failing)  # in the forked workers too
        with pytest.raises(RuntimeError):
            build_site(example.content, out, workers=2)
    assert leftovers(out) == [] and example.which(out) == "old"
    with monkeypatch.context() as patched:
        patched.setattr(build_module, "_link", failing)
        with pytest.raises(RuntimeError, match="a bug"):
            build_site(example.content, out)
    assert leftovers(out) == [] and example.which(out) == "old"


def test_the_command_reports_a_bug_as_an_internal_error(example, tmp_path, monkeypatch):
    from campsite.cli import main
    from campsite.pelican_plugin.generator import CampsiteGenerator
    from click.testing import CliRunner

    out = built(example, tmp_path / "output")
    example.use("new")
    monkeypatch.setattr(CampsiteGenerator, "generate_output", failing)
    result = CliRunner().invoke(main, ["build", "-s", str(example.settings_file()), "-o", str(out),
                                       "--now", EXAMPLE_NOW])
    assert result.exit_code == 3
    assert "campsite: internal error: RuntimeError: a bug" in result.output
    assert leftovers(out) == [] and example.which(out) == "old"


# The search index ----------------------------------------------------------------------

def test_the_index_of_the_same_pages_keeps_its_files(example, tmp_path):
    out = built(example, tmp_path / "output")
    before = inodes(out / "pagefind")
    assert build_site(example.content, out).ok  # nothing changed
    assert inodes(out / "pagefind") == before
    assert example.differences(out, "old") == []


def test_a_changed_page_is_indexed_before_the_swap(example, tmp_path, monkeypatch):
    out = built(example, tmp_path / "output")
    entry = (out / ENTRY).stat().st_ino
    assert NEW_WORD not in indexed_text(out / "pagefind")
    indexed_when_swapped = []
    real = build_module._exchange

    def exchange(staging, final):
        indexed_when_swapped.append(NEW_WORD in indexed_text(staging / "pagefind"))
        return real(staging, final)

    monkeypatch.setattr(build_module, "_exchange", exchange)
    example.use("new")
    assert build_site(example.content, out).ok
    assert indexed_when_swapped == [True]
    assert NEW_WORD in indexed_text(out / "pagefind")
    assert (out / ENTRY).stat().st_ino != entry
    assert example.differences(out, "new") == []


def test_a_page_gone_makes_a_new_index(example, tmp_path):
    """No page written, but one gone (a page no build made): indexed again."""
    out = built(example, tmp_path / "output")
    write(out / "oubli.html", "<!DOCTYPE html><html><body><main><h1>Oubli</h1></main></body></html>")
    entry = (out / ENTRY).stat().st_ino
    assert build_site(example.content, out).ok
    assert (out / ENTRY).stat().st_ino != entry
    assert example.differences(out, "old") == []


def test_no_search_leaves_no_index(example, tmp_path):
    out = built(example, tmp_path / "output")
    assert build_site(example.content, out, search=False).ok
    assert not (out / "pagefind").exists() and leftovers(out) == []


# Where output/ is not a plain folder -------------------------------------------------

def test_an_output_folder_reached_through_a_link_is_refused(example, tmp_path):
    """A pull request can commit `output` as a link to any folder: the
    new site would replace that folder (the home folder, .git)."""
    real = tmp_path / "sites" / "output"
    real.mkdir(parents=True)
    (real / "keep.txt").write_text("not the site's")
    link = example.content.parent / "output"  # in the project, as a pull request would commit it
    link.symlink_to(real, target_is_directory=True)
    try:
        result = build_site(example.content, link)
    finally:
        link.unlink()
    assert [p.message for p in result.problems] == [
        "the output folder is reached through a symbolic link, and the new site would replace the folder it "
        "leads to: remove output, or give the real folder with --output"]
    assert sorted(p.name for p in real.iterdir()) == ["keep.txt"] and leftovers(real) == []
    assert build_site(example.content, real).ok  # given as the real folder (trusted, from the command line)


def test_a_file_where_the_output_folder_goes_is_refused(example, tmp_path):
    out = write(tmp_path / "output", "not a folder")
    example.use("old")
    result = build_site(example.content, out)
    assert [p.message for p in result.problems] == [
        "a file stands where the output folder goes: remove it or choose another output folder (--output)"]
    assert out.read_text() == "not a folder" and leftovers(out) == []


def test_a_mount_point_as_the_output_folder_is_refused(example, tmp_path, monkeypatch):
    """A mount point cannot be renamed: say so before building, rather than fail at the end."""
    out = built(example, tmp_path / "output")
    mount_point = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == out or mount_point(path))
    example.use("new")
    result = build_site(example.content, out)
    assert not result.ok and "is a mount point" in result.message
    assert example.which(out) == "old" and leftovers(out) == []
