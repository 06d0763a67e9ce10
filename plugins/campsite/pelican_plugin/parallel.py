"""Every page, feed, calendar and card written on every core.

Pelican renders and writes each page as soon as a generator asks. campsite's
writer instead notes each request, and once campsite's generator (the last
one to write pages) has made its own, runs them all in CAMPSITE_WORKERS
processes forked from this one. Forked workers inherit the loaded site, the
templates and the context, so nothing is pickled but what comes back: the
pages each worker wrote, for the sitemap.

Each job writes its own files from its own inputs, whatever ran before it
and wherever it runs: the output is the same byte for byte with one worker
or many (a test builds both and compares).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any

from pelican.writers import Writer

logger = logging.getLogger(__name__)

Job = Callable[[], None]
PR_SET_PDEATHSIG = 1  # prctl(2)
CHUNK = 8  # jobs a worker takes at a time: small enough to share the tail evenly


class DeferredWriter(Writer):
    """Pelican's Writer, whose `write_file` waits for `run_jobs`."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        self.jobs: list[Job] = []
        self.deferring = True
        self._claimed: set[str] = set()

    def write_file(self, name, template, context, *args, override_output=False, **kwargs) -> None:
        if not self.deferring:
            return super().write_file(name, template, context, *args, override_output=override_output, **kwargs)
        if not name:
            return None
        if name in self._claimed and not override_output:
            # Pelican's own check would only see the pages of one worker.
            raise RuntimeError(f'Failed to overwrite "{name}": written twice in one build')
        self._claimed.add(name)
        self.jobs.append(partial(super().write_file, name, template, context, *args,
                                 override_output=override_output, **kwargs))
        return None

    def defer(self, job: Job) -> None:
        """Any other output (a calendar, a feed, a card), run with the pages."""
        self.jobs.append(job)

    def run_jobs(self, workers: int, collect: Callable[[], Any], merge: Callable[[Any], None]) -> None:
        """Run every job, then write immediately from here on. `collect`
        gives what a worker learnt (in the worker), `merge` takes it in."""
        jobs, self.jobs, self.deferring = self.jobs, [], False
        run_in_workers(jobs, workers, collect, merge)


def defer(writer: Writer, job: Job) -> None:
    """Run `job` with the pages, or now if another plugin's writer is in use."""
    if isinstance(writer, DeferredWriter) and writer.deferring:
        writer.defer(job)
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
    for child in children:
        child.start()
    _take_jobs(jobs, next_job)  # this process is a worker too
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
