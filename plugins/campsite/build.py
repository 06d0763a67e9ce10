"""Run Pelican with campsite: a whole new site, or nothing at all.

Pelican writes into its output folder as it goes, so a build that fails
half-way would leave a half-written site. campsite builds into a folder
beside the output folder (staging), which holds the complete new site
before anything is put in place; it then takes the output folder's place in
one step. A build that stops, fails or is killed at any moment leaves the
last site or the new one, never a mix of the two.

Staging holds the complete new site:

- with no last output, or when nothing of it could be reused (a cold
  build), Pelican wrote every file there;
- over a last output, the build writes only the files that changed (an
  overlay, reuse.py); every file it keeps from the last output is then
  hard-linked into staging (copied across file systems). A hard link keeps
  the inode, size and modification time the reuse manifest records, so the
  next build reuses it too; and since campsite always replaces a file,
  never writes into it, the last site is never changed through its links.
  Files the build neither wrote nor kept are not linked: stale pages of
  removed content cannot survive;
- the search index is made by Pagefind on the complete staging tree when
  a page changed (or went), or else hard-linked from the last output: the
  index of the same pages is kept as it was.

Then the new site takes the output folder's place. On Linux one
renameat2(RENAME_EXCHANGE) swaps the two folders at once, and staging's
name then holds the last site, which is removed. Where folders cannot be
exchanged (macOS, old kernels, file systems that refuse it), two renames
(output → old, staging → output): between them the output folder is
briefly missing, but never mixed, and the next build puts the last site
back if the build was killed there. With no output folder yet, one rename.

The next build removes whatever a killed build left beside the output
folder (staging, the last site on its way out). An error in the build
itself (a bug, not the content's problems) removes staging before it is
reported. An output folder reached through a symbolic link inside the
project is refused (a pull request could commit one leading to any
folder, which the new site would replace); so is a file or a mount point
where the output folder should be.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import gc
import glob
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import console as pelican_console
from pelican.log import init as init_pelican_logging
from pelican.settings import read_settings

from .cache_folder import cache_folder, sweep
from .characters import printable
from .errors import BuildStop, CheckComplete, Problem, Problems
from .messages import SOURCE_LANGUAGE, message_language, say, speaking
from .pelican_plugin.reuse import Overlay
from .pelican_plugin.run import RUN_KEY, Run, run_of
from .pelican_plugin.search import INDEX_FOLDER, make_index
from .report import FileAccount

AT_FDCWD = -100  # renameat2(2): paths relative to the current folder
RENAME_EXCHANGE = 2  # renameat2(2): swap the two paths, in one step


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    message: str = ""  # why the build stopped, when not for content problems
    output: Path | None = None
    seconds: float = 0.0
    search_seconds: float = 0.0  # of `seconds`, Pagefind's indexing (an external program, reported apart)
    files_written: int = 0
    content: FileAccount | None = None  # what became of each content file
    lang: str = SOURCE_LANGUAGE  # the language of the problems and messages

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message

    def counts(self) -> dict[str, int]:
        """Pages, feeds and calendars written, for the summary line."""
        names = [name for _, _, files in os.walk(self.output) for name in files] if self.output else []
        return {
            "pages": sum(1 for name in names if name.endswith(".html")),
            "feeds": sum(1 for name in names if name in ("atom.xml", "rss.xml")),
            "calendars": sum(1 for name in names if name.endswith(".ics")),
        }


def load_settings(
    settings_file: Path, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    return read_settings(str(settings_file), override=overrides or {})


def build(
    settings_file: Path,
    *,
    output: Path | None = None,
    content: Path | None = None,
    now: str | None = None,
    camp: str | None = None,
    check_only: bool = False,
    workers: int | None = None,
    search: bool = True,
    quiet: bool = False,
    live: Any = None,
    drafts: bool = False,
    lang: str | None = None,
) -> BuildResult:
    """Build (or with `check_only`, check) the site `settings_file` describes.

    Problems and messages are in `lang`, else as `message_language()` says
    (CAMPSITE_LANG, the site's DEFAULT_LANG); the result says which.
    """
    started = time.monotonic()
    _init_logging(quiet)
    overrides: dict[str, Any] = {}
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if now is not None:
        overrides["CAMPSITE_NOW"] = now
    if check_only:
        overrides["CAMPSITE_CHECK_ONLY"] = True
    if camp is not None:
        overrides["CAMPSITE_CAMP"] = camp
    if workers is not None:
        overrides["CAMPSITE_WORKERS"] = workers
    if not search:
        overrides["CAMPSITE_SEARCH"] = False
    if drafts:  # `campsite serve --drafts` only: drafts shown, marked (drafts.py)
        overrides["CAMPSITE_DRAFTS"] = True
    account = FileAccount()
    settings = load_settings(settings_file, overrides)
    # `campsite serve` keeps the site to update it in place (live.py).
    settings[RUN_KEY] = Run(report=account, live=live)
    lang = message_language(lang, settings)
    with speaking(lang):
        result = _build_site(settings, account, settings_file, output, camp, check_only, started)
    result.lang = lang
    return result


def _build_site(settings: dict[str, Any], account: FileAccount, settings_file: Path, output: Path | None,
                camp: str | None, check_only: bool, started: float) -> BuildResult:
    # A standalone camp goes beside the portal's output, never over it.
    default_output = settings["OUTPUT_PATH"] + (f"-{camp}" if camp else "")
    given = Path(output or default_output)
    final = given.resolve()
    # What stands where the output goes may be committed too: checked as content is.
    projects = (settings_file.parent, Path(settings["PATH"]).parent)
    if unusable := _linked_output(given, projects) or _file_as_output(final):
        where = Problems(Path(os.path.abspath(settings["PATH"])).parent)
        return BuildResult(problems=[Problem(where.display_path(os.path.abspath(given)), 0, unusable)])
    if not check_only and os.path.ismount(final):  # a folder that cannot be renamed (a Docker volume, say)
        return BuildResult(message=say("campsite: {folder} is a mount point, which the new site cannot replace: "
                                       "mount the folder above it, or build into a folder inside it (--output)",
                                       folder=final))
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(final)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-", dir=final.parent))
    settings["OUTPUT_PATH"] = str(staging)
    run = run_of(settings)
    run.previous_output = final  # reused from if it exists (reuse.py)
    overlay = run.overlay = Overlay() if final.is_dir() and not check_only else None
    try:
        result = _run_pelican(settings, account, started)
        if check_only or not result.ok:
            shutil.rmtree(staging, ignore_errors=True)
            return result
        if overlay is not None:
            _complete(staging, final, overlay, search=settings["CAMPSITE_SEARCH"], run=run)
        _put_in_place(staging, final)
    except Exception:
        # A bug (campsite's, Pelican's, a worker's): reported by the CLI as an
        # internal error, with no half-built folder left behind. An interrupt
        # (Ctrl-C) leaves it, like a kill: the next build removes it.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    sweep(cache_folder(settings), settings["CAMPSITE_CACHE_DAYS"])
    result.files_written = sum(len(files) for _, _, files in os.walk(final))
    result.output = final
    result.seconds = time.monotonic() - started  # with the files put in place and indexed
    result.search_seconds = run.search_seconds
    return result


def _linked_output(given: Path, projects: Iterable[Path]) -> str | None:
    """Why an output folder reached through a symbolic link inside the
    project (the folders `projects`: the settings' and the content's) is
    refused: a pull request can commit `output` as a link to any folder (the
    home folder, .git), which the new site would replace."""
    tops = {Path(os.path.abspath(top)) for top in projects}
    folder = Path(os.path.abspath(given))
    while any(top in folder.parents for top in tops):
        if folder.is_symlink():
            return say("the output folder is reached through a symbolic link, and the new site would replace "
                       "the folder it leads to: remove {name}, or give the real folder with --output",
                       name=folder.name)
        folder = folder.parent
    return None


def _file_as_output(final: Path) -> str | None:
    if final.exists() and not final.is_dir():
        return say("a file stands where the output folder goes: remove it or choose another output folder (--output)")
    return None


def _run_pelican(settings: dict[str, Any], account: FileAccount, started: float) -> BuildResult:
    """Pelican's run, into settings' OUTPUT_PATH: the content's problems, if any."""
    result = BuildResult()
    try:
        pelican = Pelican(settings)
        with _fewer_collections(), _without_pelicans_summary():
            pelican.run()
    except CheckComplete:
        pass
    except BuildStop as stop:
        result.problems = list(stop.problems)
        result.message = "" if stop.problems else str(stop.code)
    finally:
        result.seconds = time.monotonic() - started
        result.content = account if account.total() else None
    return result


@contextmanager
def _without_pelicans_summary() -> Iterator[None]:
    """Pelican ends with "Done: Processed 16 articles… 3 pages", which
    counts none of campsite's pages: campsite's own summary replaces it."""
    quiet, pelican_console.quiet = pelican_console.quiet, True
    try:
        yield
    finally:
        pelican_console.quiet = quiet


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes millions of objects that live until it ends: with
    Python's default thresholds the garbage collector walks them again and
    again (a tenth of a rebuild's time), for little garbage."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _remove_leftovers(final: Path) -> None:
    """Folders left by a build killed before it could clean up; and the last
    site put back if one was killed between the two renames of
    `_swap_by_renames`."""
    name = glob.escape(final.name)
    if not final.exists():
        for old in final.parent.glob(f".{name}-old-*/{name}"):
            old.rename(final)
            break
    # -search-: the index folder of builds before the atomic step, still removed.
    for pattern in (f".{name}-building-*", f".{name}-old-*", f".{name}-search-*"):
        for leftover in final.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


# Staging, made the complete new site -----------------------------------------

def _complete(staging: Path, last: Path, overlay: Overlay, search: bool, run: Run) -> None:
    """Over the last output, staging holds only the files this build wrote:
    add the files it kept from the last output, and the search index."""
    pages_changed = _pages_changed(staging, last, overlay.kept)  # before the kept pages join them
    _link_files(last, staging, overlay.kept)
    if not search:
        return
    last_index = last / INDEX_FOLDER
    if not pages_changed and last_index.is_dir():
        _link_files(last_index, staging / INDEX_FOLDER, _files_under(last_index))  # same pages, same index
    elif not _index(staging, staging / INDEX_FOLDER, run):
        shutil.rmtree(staging / INDEX_FOLDER, ignore_errors=True)  # none rather than half of one


def _pages_changed(written: Path, last: Path, kept: set[str]) -> bool:
    """Whether the new site's pages are not the last site's: a page written
    again (`written` holds only this build's files), or one gone."""
    if any(relative.endswith(".html") for relative in _files_under(written)):
        return True
    return any(relative.endswith(".html") and relative not in kept for relative in _files_under(last))


def _files_under(root: Path) -> Iterator[str]:
    """Every file under `root`, as a path relative to it with / (the manifest's)."""
    top = str(root)
    for folder, _, names in os.walk(top):
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            yield prefix + name


def _link_files(source: Path, target: Path, files: Iterable[str]) -> None:
    """`files` of `source` in `target` as hard links (copies where the file
    system cannot link): the same inodes, so the same files for reuse."""
    source_root, target_root = str(source), str(target)  # os.path: tens of thousands of files
    folders: set[str] = set()
    for relative in files:
        path = os.path.join(target_root, relative)
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        _link(os.path.join(source_root, relative), path)


def _link(source: str, path: str) -> None:
    try:
        os.link(source, path)
    except FileExistsError:
        pass  # written by this build too: its own file wins
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, path)  # the next build will not reuse it (another inode), but the site is whole


# The complete new site, put in place -------------------------------------------

def _put_in_place(staging: Path, final: Path) -> None:
    """Staging, the complete new site, as `final`, in one step."""
    if not final.exists():
        staging.rename(final)  # nothing to replace
        return
    shutil.copymode(final, staging)  # made private by mkdtemp: the output folder's own mode, as it was
    if _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # staging's name now holds the last site
    else:
        _swap_by_renames(staging, final)


def _exchange(one: Path, other: Path) -> bool:
    """Swap two folders atomically (Linux's renameat2 with RENAME_EXCHANGE);
    False where the system cannot, so the caller falls back to renames."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(one), AT_FDCWD, os.fsencode(other), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    # EINVAL: a file system without the flag (some network and FUSE ones);
    # ENOSYS: a kernel older than 3.15; EPERM: a container's seccomp filter
    # that does not know the call (a real permission problem makes the
    # renames fail too, with their own message).
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(one), None, str(other))


@functools.cache
def _renameat2() -> Any:
    """glibc's renameat2 (2.28 and later), or None (not Linux, another libc)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _swap_by_renames(staging: Path, final: Path) -> None:
    """Where folders cannot be exchanged: `final` out of the way, then
    staging in its place. Between the two renames `final` is missing, never
    mixed; a build killed there leaves the last site in `.output-old-*`,
    which the next build puts back (`_remove_leftovers`)."""
    old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
    final.rename(old / final.name)
    try:
        staging.rename(final)
    except BaseException:
        (old / final.name).rename(final)  # the last site back, rather than none
        raise
    shutil.rmtree(old, ignore_errors=True)


def _index(site: Path, index: Path, run: Run) -> bool:
    started = time.monotonic()
    reason = make_index(site, index)
    run.search_seconds += time.monotonic() - started
    if reason is not None:
        logging.getLogger(__name__).warning("search index not made (%s): the search page will say so", reason)
    return reason is None


class _OneLineFormatter(logging.Formatter):
    """Pelican's messages quote file names and content: each message is one
    line, its line breaks and control characters escaped (characters.py),
    so that nothing from content can start a line a CI reads as a command."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _init_logging(quiet: bool) -> None:
    """Pelican's messages go to stderr: stdout is campsite's own report
    (problems one per line, the summary), which tools and tests read."""
    pelican_console.stderr = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter("pelican: %(levelname)s: %(message)s"))
    init_pelican_logging(level=logging.ERROR if quiet else logging.WARNING, handler=handler)
