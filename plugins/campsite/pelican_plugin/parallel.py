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
the last output while the jobs run; `campsite build` then hard-links them
into the new output beside the files written (an overlay, build.py), or,
when the build does not overlay, they are linked from it as the job runs.
Files are replaced, never written in place, so a file linked from the last
output is never changed through its link.

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
import posixpath
import shutil
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pelican.paginator import Paginator
from pelican.writers import Writer

from .recording import Read, allowing, recording
from .reuse import Reuse

Job = Callable[[], None]
PR_SET_PDEATHSIG = 1  # prctl(2)
CHUNK = 8  # jobs a worker takes at a time: small enough to share the tail evenly


@dataclass
class _Job:
    key: str | None  # its reuse key; None for Pelican's pages until run_jobs keys them
    run: Job
    outputs: tuple[str, ...]  # every file it writes, declared before it runs
    shows: tuple[Any, str] | None = None  # a Pelican page: the article or page it shows, its template's name
    prepare: Job | None = None  # made first, once, before the workers fork


class DeferredWriter(Writer):
    """Pelican's Writer, whose `write_file` waits for `run_jobs`."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        self.jobs: list[_Job] = []
        self.deferring = True
        # Every output file and the content file it shows (None: the site's
        # own), as planned: claims.py finds two owners of one file.
        self.claims: list[tuple[str, str | None]] = []
        self._files: list[str] | None = None  # written by the running job
        self._declared: frozenset[str] | None = None  # what the running job may write
        self._folders: set[str] = set()  # made already
        self.produced: dict[str, list[str]] = {}  # reuse key → files, of the jobs run here
        # Reuse key → what its templates read (recording.py): one set object for
        # the jobs that read the same (most pages of one template), which
        # the workers then send back once.
        self.reads: dict[str, frozenset[Read]] = {}
        self._read_sets: dict[frozenset[Read], frozenset[Read]] = {}
        self.reused: list[str] = []  # keys of the jobs whose files came from the last build
        self.in_place = False  # updating the last output where it is (see the module's doc)
        self.changed: list[str] = []  # in place: the files whose bytes changed

    def write_file(self, name, template, context, *args, override_output=False, reuse_key=None, **kwargs):
        if not self.deferring:  # in a running job
            return self._render(name, template, context, *args, override_output=override_output, **kwargs)
        if not name:
            return None
        shown = kwargs.get("article") or kwargs.get("page") if "paginated" not in kwargs else None
        outputs = self._pages_of(name, kwargs)
        owner = getattr(kwargs.get("article") or kwargs.get("page"), "source_path", None)
        self.claims.extend((output, owner) for output in outputs)
        # Pelican's override_output (a page whose metadata says Save_as:
        # takes another's place) is not followed: content never chooses
        # where it goes (metadata.py), and two owners of one file are a
        # problem to report (claims.py), not a contest.
        self.jobs.append(_Job(reuse_key, partial(self._render, name, template, context, *args, **kwargs),
                              outputs, shows=(shown, getattr(template, "name", "") or "")))
        return None

    def _render(self, name, template, context, *args, **kwargs):
        with allowing(kwargs.values()):  # what the page is given, its template may read (recording.py)
            return super().write_file(name, template, context, *args, **kwargs)

    def _pages_of(self, name: str, kwargs: dict[str, Any]) -> tuple[str, ...]:
        """The files one write_file call writes: `name`, or each page of a
        paginated listing, as Pelican's writer will number them."""
        template_name = kwargs.get("template_name")
        paginated = kwargs.get("paginated")
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        if not paginated or template_name not in self.settings["PAGINATED_TEMPLATES"]:
            return (posixpath.normpath(name),)
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        pages = Paginator(name, kwargs.get("url"), next(iter(paginated.values())), self.settings, per_page)
        # As the files will be named ("author//index.html" is author/index.html).
        return tuple(posixpath.normpath(pages.page(number).save_as) for number in range(1, pages.num_pages + 1))

    def defer(self, job: Job, outputs: tuple[str, ...], owner: str | None = None, reuse_key: str | None = None,
              prepare: Job | None = None) -> None:
        """Any other output (a calendar, a feed, a card), run with the pages;
        `outputs` are the files it writes, `owner` the content file they
        show (None: the site's own). `prepare` (what several such jobs
        share) runs first, once, here, if any job that needs it runs: the
        workers then share what it made."""
        outputs = tuple(posixpath.normpath(output) for output in outputs)
        self.claims.extend((output, owner) for output in outputs)
        self.jobs.append(_Job(reuse_key, job, outputs, prepare=prepare))

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
            path = Path(inside_output(self.output_path, relative))
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
            path = Path(inside_output(self.output_path, relative))
            path.unlink(missing_ok=True)
            self.changed.append(relative)
            folder = path.parent
            while folder != Path(self.output_path) and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def _target(self, relative: str) -> Path:
        if self._declared is not None and relative not in self._declared:
            # Its owner was not checked (claims.py): it could be another's file.
            raise RuntimeError(f"a job wrote {relative}, which it did not declare")
        path = inside_output(self.output_path, relative)
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
        for planned_job in jobs:
            key = planned_job.key
            pelican = key is None and planned_job.shows is not None
            if pelican and reuse is not None:
                key = content_key(planned_job.shows[0], planned_job.outputs[0], planned_job.shows[1])
            reused = self._reuse_job(reuse, key)
            run = partial(self._run, key, reused or planned_job.run, planned_job.outputs)
            if reused and (self.in_place or reuse.overlay is not None):
                kept.append(run)  # only noted: done here, at once
            elif self.in_place and pelican:
                pelicans.append(run)  # after campsite's own, the edited edition's among them
            else:
                planned.append(run)
            if planned_job.prepare is not None and not reused:
                prepare[id(planned_job.prepare)] = planned_job.prepare
        for job in kept:
            job()
        for job in prepare.values():
            job()

        def collect_all() -> Any:
            return collect(), self.produced, self.reads, self.changed

        def merge_all(value: Any) -> None:
            learnt, produced, reads, changed = value
            merge(learnt)
            self.produced.update(produced)
            self.reads.update(reads)
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

    def _run(self, key: str | None, job: Job, outputs: tuple[str, ...]) -> None:
        self._files = [] if key is not None else None
        self._declared = frozenset(outputs)
        try:
            with recording() as reads:
                job()
            if key is not None:
                self.produced[key] = self._files
                found = frozenset(reads)
                self.reads[key] = self._read_sets.setdefault(found, found)
        finally:
            self._files = self._declared = None


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


def inside_output(output: str, relative: str) -> str:
    """The path of `relative` in the `output` folder; raises if it would
    lie anywhere else. (Pelican's sanitised_join compares text prefixes:
    output-old/ passes for output/.)"""
    base = os.path.abspath(output)
    path = os.path.abspath(os.path.join(base, relative))
    if os.path.commonpath([base, path]) != base or path == base:
        raise RuntimeError(f"{relative!r} is outside the output folder")
    return path


def output_saver(writer: Writer, settings: dict[str, Any]) -> Callable[[str, bytes], None]:
    """How to write an output file: through campsite's writer, or straight
    into the output folder if another plugin's writer is in use."""
    if isinstance(writer, DeferredWriter):
        return writer.save

    def save(relative: str, data: bytes) -> None:
        path = Path(inside_output(settings["OUTPUT_PATH"], relative))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return save


def defer(writer: Writer, job: Job, outputs: tuple[str, ...], owner: str | None = None,
          reuse_key: str | None = None, prepare: Job | None = None) -> None:
    """Run `job`, which writes `outputs`, with the pages, or now if another
    plugin's writer is in use."""
    if isinstance(writer, DeferredWriter) and writer.deferring:
        writer.defer(job, tuple(outputs), owner, reuse_key, prepare)
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
