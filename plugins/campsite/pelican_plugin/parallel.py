"""Every page, feed, calendar and card written on every core, each file once.

Pelican renders and writes each page as soon as a generator asks. campsite's
writer instead notes each request as a job, and once campsite's generator
(the last one to write pages) has made its own, runs them all in
CAMPSITE_WORKERS processes forked from this one. Forked workers inherit the
loaded site, the templates and the context, so nothing is pickled but what
comes back: the pages each worker wrote, for the sitemap and for reuse.

Every output file goes through this writer (`save`, `link`, or Pelican's
`_open_w`), which notes which job wrote it: a job whose inputs have not
changed since the last build is not run again (reuse.py). Its files stay in
the last output, which `campsite build` then updates with the new files
(an overlay, build.py), or are linked from it into the new output when the
build does not overlay it. Files are replaced, never written in place, so
a file linked from the last output is never changed through its link.

`campsite serve` updates its output in place instead (live.py): a job whose
key is unchanged leaves its files as they are, the others run first, and a
file whose bytes are unchanged is not touched; files no job wrote any more
are removed.

Each job writes its own files from its own inputs, whatever ran before it
and wherever it runs: the output is the same byte for byte with one worker
or many (a test builds both and compares).
"""

from __future__ import annotations

import ctypes
import gc
import io
import multiprocessing
import os
import shutil
import signal
import sys
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pelican.utils import sanitised_join
from pelican.writers import Writer

from .reuse import Reuse

Job = Callable[[], None]
PR_SET_PDEATHSIG = 1  # prctl(2)
CHUNK = 8  # jobs a worker takes at a time: small enough to share the tail evenly


class DeferredWriter(Writer):
    """Pelican's Writer, whose `write_file` waits for `run_jobs`."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        # (reuse key, job, for a page: the article or page it shows and its
        # template's name, from which Pelican's unkeyed pages are keyed when
        # run; what the job needs made first, once, before the workers fork)
        self.jobs: list[tuple[str | None, Job, tuple[Any, str] | None, Job | None]] = []
        self.deferring = True
        self._claimed: set[str] = set()
        self._overriding: set[str] = set()
        self._names: list[tuple[str | None, bool]] = []  # each job's page, and whether it overrides
        self._files: list[str] | None = None  # written by the running job
        self._folders: set[str] = set()  # made already
        self.produced: dict[str, list[str]] = {}  # reuse key → files, of the jobs run here
        self.reused: list[str] = []  # keys of the jobs whose files came from the last build
        self.in_place = False  # updating the last output where it is (see the module's doc)
        self.changed: list[str] = []  # in place: the files whose bytes changed

    def write_file(self, name, template, context, *args, override_output=False, reuse_key=None, **kwargs):
        if not self.deferring:
            return super().write_file(name, template, context, *args, override_output=override_output, **kwargs)
        if not name:
            return None
        # Pelican's rules, for all workers at once (its own check would only
        # see the pages of one): a page may be written once, and one page
        # with `save_as` in its metadata (override_output) takes the place of
        # another, whichever comes first.
        claims = self._overriding if override_output else self._claimed
        if name in claims:
            raise RuntimeError(f'Failed to overwrite "{name}": written twice in one build')
        claims.add(name)
        shown = kwargs.get("article") or kwargs.get("page") if "paginated" not in kwargs else None
        self.jobs.append((reuse_key, partial(super().write_file, name, template, context, *args,
                                             override_output=override_output, **kwargs),
                          (shown, getattr(template, "name", "") or ""), None))
        self._names.append((name, override_output))
        return None

    def defer(self, job: Job, reuse_key: str | None = None, prepare: Job | None = None) -> None:
        """Any other output (a calendar, a feed, a card), run with the pages;
        `prepare` (what several such jobs share) runs first, once, here, if
        any job that needs it runs: the workers then share what it made."""
        self.jobs.append((reuse_key, job, None, prepare))
        self._names.append((None, False))

    # -- every output file comes through here --------------------------------

    def save(self, relative: str, data: bytes) -> None:
        path = self._target(relative)
        if self.in_place and _holds(path, data):
            return
        partial_path = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial_path.write_bytes(data)
        partial_path.replace(path)
        self.changed.append(relative)

    def link(self, relative: str, source: Path) -> None:
        """`source` (a cached card, a file of the last build) as `relative`:
        a hard link where the file system allows, else a copy."""
        if self.in_place:
            path = Path(sanitised_join(self.output_path, relative))
            if path.exists() and os.path.samefile(source, path):
                self._target(relative)  # noted, and left as it is
            else:
                self.save(relative, source.read_bytes())
            return
        path = self._target(relative)
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)

    def _open_w(self, filename, encoding, override=False):
        relative = os.path.relpath(filename, self.output_path).replace(os.sep, "/")
        if self.in_place:
            return _SavedOnClose(partial(self.save, relative), encoding)
        self._target(relative)  # notes it, and unlinks a file linked from the last build
        return super()._open_w(filename, encoding, override=override)

    def remove(self, stale: set[str]) -> None:
        """In place: the files no job writes any more, and folders left empty."""
        for relative in sorted(stale, reverse=True):
            path = Path(sanitised_join(self.output_path, relative))
            path.unlink(missing_ok=True)
            self.changed.append(relative)
            folder = path.parent
            while folder != Path(self.output_path) and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def _target(self, relative: str) -> Path:
        path = sanitised_join(self.output_path, relative)
        folder = os.path.dirname(path)
        if folder not in self._folders:  # tens of thousands of files, a few thousand folders
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if not self.in_place:
            try:
                os.unlink(path)  # a file linked from the last build is replaced, never written through
            except FileNotFoundError:
                pass
        if self._files is not None:
            self._files.append(relative)
        return Path(path)

    # -- running the jobs ------------------------------------------------------

    def run_jobs(self, workers: int, reuse: Reuse | None, content_key: Callable[[Any], str | None],
                 collect: Callable[[], Any], merge: Callable[[Any], None]) -> None:
        """Run every job (or link its files from the last build), then write
        immediately from here on. `content_key` keys a page showing one
        article or page; `collect` gives what a worker learnt (in the
        worker), `merge` takes it in."""
        jobs, self.jobs, self.deferring = self.jobs, [], False
        self.in_place = reuse is not None and reuse.in_place
        planned, pelicans, kept, prepare = [], [], [], {}
        names, self._names = self._names, []
        for (key, job, page, needs), (name, overrides) in zip(jobs, names, strict=True):
            if name in self._overriding and not overrides:
                continue  # another page takes its place
            pelican = key is None and page is not None
            if pelican and reuse is not None:
                key = content_key(page[0], name, page[1])
            reused = self._reuse_job(reuse, key)
            run = partial(self._run, key, reused or job)
            if reused and (self.in_place or reuse.overlay is not None):
                kept.append(run)  # only noted: done here, at once
            elif self.in_place and pelican:
                pelicans.append(run)  # after campsite's own, the edited edition's among them
            else:
                planned.append(run)
            if needs is not None and not reused:
                prepare[id(needs)] = needs
        for job in kept:
            job()
        for job in prepare.values():
            job()

        def collect_all() -> Any:
            return collect(), self.produced, self.changed

        def merge_all(value: Any) -> None:
            learnt, produced, changed = value
            merge(learnt)
            self.produced.update(produced)
            self.changed.extend(changed)

        run_in_workers(planned + pelicans, workers, collect_all, merge_all)

    def _reuse_job(self, reuse: Reuse | None, key: str | None) -> Job | None:
        files = reuse.reuse(key) if reuse is not None and key is not None else None
        if files is None:
            return None
        self.reused.append(key)
        if reuse.in_place or reuse.overlay is not None:
            return partial(self._keep, files)
        return partial(self._link_all, reuse.previous, files)

    def _keep(self, files: list[str]) -> None:
        self._files.extend(files)

    def _link_all(self, previous: Path, files: list[str]) -> None:
        for relative in files:
            self.link(relative, previous / relative)

    def _run(self, key: str | None, job: Job) -> None:
        self._files = [] if key is not None else None
        try:
            job()
            if key is not None:
                self.produced[key] = self._files
        finally:
            self._files = None


class _SavedOnClose(io.StringIO):
    """What Pelican writes a page into, in place: saved (if changed) when closed."""

    def __init__(self, save: Callable[[bytes], None], encoding: str):
        super().__init__()
        self._save, self._encoding = save, encoding

    def close(self) -> None:
        if not self.closed:
            self._save(self.getvalue().encode(self._encoding))
        super().close()


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def output_saver(writer: Writer, settings: dict[str, Any]) -> Callable[[str, bytes], None]:
    """How to write an output file: through campsite's writer, or straight
    into the output folder if another plugin's writer is in use."""
    if isinstance(writer, DeferredWriter):
        return writer.save

    def save(relative: str, data: bytes) -> None:
        path = Path(sanitised_join(settings["OUTPUT_PATH"], relative))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return save


def defer(writer: Writer, job: Job, reuse_key: str | None = None, prepare: Job | None = None) -> None:
    """Run `job` with the pages, or now if another plugin's writer is in use."""
    if isinstance(writer, DeferredWriter) and writer.deferring:
        writer.defer(job, reuse_key, prepare)
    else:
        job()


def run_in_workers(jobs: list[Job], workers: int, collect: Callable[[], Any], merge: Callable[[Any], None]) -> None:
    workers = min(workers, max(1, len(jobs) // CHUNK))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            job()
        return
    fork = multiprocessing.get_context("fork")
    next_job = fork.Value("q", 0)  # shared: each worker takes the next chunk
    results = fork.SimpleQueue()
    children = [fork.Process(target=_worker, args=(jobs, next_job, results, collect), daemon=True)
                for _ in range(workers - 1)]
    # The garbage collector would walk (and so copy into each worker) every
    # object of the loaded site: frozen, they stay shared with this process.
    freezing = gc.get_freeze_count() == 0  # `campsite serve` keeps its site frozen (live.py)
    if freezing:
        gc.freeze()
    try:
        for child in children:
            child.start()
        _run_with_children(jobs, next_job, results, merge, children)
    finally:
        if freezing:
            gc.unfreeze()


def _run_with_children(jobs: list[Job], next_job: Any, results: Any, merge: Callable[[Any], None],
                       children: list[Any]) -> None:
    try:
        _take_jobs(jobs, next_job)  # this process is a worker too
    except BaseException:
        for child in children:  # stopped before the build's folder is removed under them
            child.kill()
            child.join()
        raise
    failures = []
    for _ in children:
        ok, value = results.get()
        if ok:
            merge(value)
        else:
            failures.append(value)
    for child in children:
        child.join()
    if failures:
        raise RuntimeError("a build worker failed:\n" + "\n".join(failures))


def _worker(jobs: list[Job], next_job: Any, results: Any, collect: Callable[[], Any]) -> None:
    _die_with_parent()
    try:
        _take_jobs(jobs, next_job, parent=os.getppid())
        results.put((True, collect()))
    except BaseException:  # noqa: BLE001 -- reported by the parent, which stops the build
        results.put((False, traceback.format_exc()))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # no atexit handlers nor finalizers of the parent's objects


def _die_with_parent() -> None:
    """A killed build must not leave workers writing into its folder, which
    the next build removes (Linux kills them at once; elsewhere a worker
    notices its parent is gone before its next chunk)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _take_jobs(jobs: list[Job], next_job: Any, parent: int | None = None) -> None:
    while True:
        if parent is not None and os.getppid() != parent:
            os._exit(1)  # the build was killed: writing on would litter the next one's folder
        with next_job.get_lock():
            start = next_job.value
            next_job.value = start + CHUNK
        if start >= len(jobs):
            return
        for job in jobs[start:start + CHUNK]:
            job()
