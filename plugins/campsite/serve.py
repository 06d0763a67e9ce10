"""`campsite serve`: build, serve on 127.0.0.1, update on change, reload the browser.

The site is built once in this process and kept (live.py): saving a camp's
or an edition's data updates only the pages, feeds and calendars that show
it, in place; any other change takes a whole build (which reuses what did
not change). A change to campsite's own code restarts the server.
A build that fails leaves the last good site in place: the terminal and
every page show the problems until they are fixed, and the server goes on.
Pages get a small script that asks the server, once a second, whether a new
build is ready, and reloads when it is.

The search index is made after each build is served, not before (on a large
site Pagefind takes longer than the rest of a rebuild): /pagefind/ is served
from the newest index, kept beside the output, until the next one is ready.
One index is made at a time, at low priority: saves made while it runs are
indexed together once it ends, and an update never waits for the indexer.
Its folders are named so that the server's own whole builds, which remove
what killed builds left beside the output, leave them alone.

The server listens before it builds anything: a port in use or an address
that is not this machine's is said in one line at once (exit status 1).
Ctrl-C and SIGTERM (kill, systemd, docker stop) stop it the same way, with
exit status 0: every process it started (build workers, Pagefind, anything
they started) is killed and the search indexes removed, in well under two
seconds; the output stays as the last good build left it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles
from markupsafe import escape

from .build import BuildResult
from .live import LiveSite, Update
from .messages import language, say, say_n
from .pelican_plugin.search import INDEX_FOLDER, make_index

STATE_PATH = "/__campsite/state"
RELOAD_SCRIPT = f"""<script>
(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{STATE_PATH}").then(function (r) {{ return r.json(); }}).then(function (s) {{
      if (seen !== null && s.version !== seen) location.reload();
      seen = s.version;
    }}).catch(function () {{}});
  }}, 1000);
}})();
</script>"""


class Builds:
    """The latest build's outcome, shared by the watcher and the server."""

    def __init__(self, site: LiveSite, stopping: threading.Event | None = None):
        self.site = site
        self.output = site.output
        self.stopping = stopping or threading.Event()  # set when the server stops: nothing new starts
        self.version = 0
        self.problems: list[str] = []
        self.search: Path | None = None  # the newest search index
        self.lock = threading.Lock()
        self.indexing = False  # an indexer thread is running
        self.index_wanted = 0  # the newest version not yet indexed, 0 when none

    def run(self, edited: set[Path] | None = None) -> None:
        """A whole build, or with `edited`, an update."""
        if self.stopping.is_set():
            return
        try:
            result = self.site.update(edited) if edited else self.site.rebuild()
        except Exception as error:  # noqa: BLE001 -- a bug in campsite or Pelican: the server goes on
            result = BuildResult(message=say("campsite: internal error: {kind}: {error}",
                                             kind=error.__class__.__name__, error=error))
        if self.stopping.is_set():
            return  # stopped under it (a Ctrl-C reaches the workers too): nothing to say, nor to index
        problems = [str(p) for p in result.problems] + ([result.message] if result.message else [])
        index = result.ok and not (isinstance(result, Update) and not result.changed)
        with self.lock:
            self.version += 1
            self.problems = problems
            if index:
                self.index_wanted = self.version
            start_indexer = index and not self.indexing
            self.indexing = self.indexing or index
        if start_indexer:
            threading.Thread(target=self._index_until_current, daemon=True).start()
        print("\n".join(problems) or _said(result), flush=True)

    def stop(self) -> None:
        """Nothing new starts, every process the builds and the indexer
        started is ended, and the search indexes are removed."""
        self.stopping.set()
        end_descendants()
        shutil.rmtree(_search_indexes(self.output), ignore_errors=True)

    def state(self) -> dict:
        with self.lock:
            return {"version": self.version, "problems": list(self.problems), "indexing": self.indexing}

    def _index_until_current(self) -> None:
        """Index the newest good build, again while newer ones came meanwhile."""
        while True:
            with self.lock:
                version, self.index_wanted = self.index_wanted, 0
                if not version or self.stopping.is_set():
                    self.indexing = False
                    return
            self._index(version)

    def _index(self, version: int) -> None:
        folder = _search_indexes(self.output) / str(version)
        reason = make_index(self.output, folder, low_priority=True)
        if self.stopping.is_set():
            return  # Pagefind was killed under it, not failing: `stop` removes the folder
        with self.lock:
            old, self.search = (folder, self.search) if reason else (self.search, folder)
        if reason:
            print(say("search index not made ({reason}): the search page will say so", reason=reason), file=sys.stderr)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


class Handler(SimpleHTTPRequestHandler):
    builds: Builds

    def do_GET(self) -> None:  # noqa: N802 -- the http.server API
        if self.path.split("?")[0] == STATE_PATH:
            return self._send(json.dumps(self.builds.state()).encode(), "application/json")
        if self.path.startswith(f"/{INDEX_FOLDER}/"):
            return self._send_search_file()
        state = self.builds.state()
        if state["problems"] and self._wants_html():
            return self._send(_problems_page(state["problems"]).encode(), "text/html; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_text(encoding="utf-8").replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            return self._send(html.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()

    def _send_search_file(self) -> None:
        index = self.builds.search
        relative = self.path.split("?")[0][len(INDEX_FOLDER) + 2:]
        path = (index / relative).resolve() if index is not None else None
        if path is None or index.resolve() not in path.parents or not path.is_file():
            return self.send_error(404)
        media_type = self.guess_type(str(path))
        return self._send(path.read_bytes(), media_type)

    def _wants_html(self) -> bool:
        last = self.path.split("?")[0].rsplit("/", 1)[-1]
        return last == "" or last.endswith(".html") or "." not in last

    def _send(self, body: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 -- quiet: the builds speak
        pass


def _problems_page(problems: list[str]) -> str:
    """The page every address shows while the last build has problems: for
    the organiser, in the language of the messages."""
    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in problems)
    title, heading = escape(say("Build problems")), escape(say("The last build stopped"))
    advice = escape(say("Fix these and save: the page reloads."))
    return (
        f'<!DOCTYPE html><html lang="{escape(language())}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{heading}</h1><p>{advice}</p><ul>{items}</ul>"
        f"{RELOAD_SCRIPT}</body></html>"
    )


def _said(result: BuildResult | Update) -> str:
    """What the terminal says of a build or an update that went well."""
    if isinstance(result, Update):
        return say_n("Built in place: {count} file changed in {seconds:.2f} s.",
                     "Built in place: {count} files changed in {seconds:.2f} s.", len(result.changed),
                     seconds=result.seconds)
    kinds = result.counts()
    return say("Built {pages} pages, {feeds} feeds and {calendars} calendars ({files} files) "
               "into {output} in {seconds:.1f} s.", pages=kinds["pages"], feeds=kinds["feeds"],
               calendars=kinds["calendars"], files=result.files_written, output=result.output,
               seconds=result.seconds)


def serve(settings: Path, output: Path, watched: list[Path], bind: str, port: int,
          now: str | None = None, workers: int | None = None, drafts: bool = False) -> None:
    """Build, then serve until Ctrl-C or SIGTERM. Raises Unservable, before
    building anything, if the server cannot listen on `bind`:`port`. With
    `drafts`, drafts are shown, marked, to proofread (drafts.py)."""
    with listen(bind, port) as server, _stopped_by_signals() as stopping:
        builds = Builds(LiveSite(settings, output, now=now, workers=workers, drafts=drafts), stopping)
        handler = type("CampsiteHandler", (Handler,), {"builds": builds})
        server.RequestHandlerClass = partial(handler, directory=str(output))
        try:
            _build_and_serve(server, builds, watched, code=settings.parent / "plugins")
        except KeyboardInterrupt:
            pass  # Ctrl-C or SIGTERM: asked to stop, a clean end
        finally:
            builds.stop()


def _build_and_serve(server: ThreadingHTTPServer, builds: Builds, watched: list[Path], code: Path) -> None:
    shutil.rmtree(_search_indexes(builds.output), ignore_errors=True)  # a killed server's
    builds.run()
    builds.output.mkdir(parents=True, exist_ok=True)
    threading.Thread(target=_watch, args=(watched, builds, code), daemon=True).start()
    host, port = server.server_address[:2]
    print(say("Serving on http://{host}:{port}/ — rebuilding on every change (Ctrl-C to stop)", host=host, port=port),
          flush=True)
    server.serve_forever()


def _search_indexes(output: Path) -> Path:
    """Where the server keeps its search indexes, one folder per build, beside
    the output (a build removes `.output-search-*`, left by older builds)."""
    return output.parent / f".{output.name}-serve-search"


class Unservable(Exception):
    """The server cannot listen where it was asked to: one line says why."""


def listen(bind: str, port: int) -> ThreadingHTTPServer:
    """The server's socket, bound and listening; its handler is set once
    there is a site to serve (no request is answered before serve_forever)."""
    try:
        return ThreadingHTTPServer((bind, port), Handler)
    except OSError as error:  # socket.gaierror too: a name that is no address
        raise Unservable(_why_unservable(bind, port, error)) from None


def _why_unservable(bind: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return say("campsite serve: port {port} on {address} is already in use: "
                   "stop the other server or choose another with --port", port=port, address=bind)
    if error.errno == errno.EACCES:
        return say("campsite serve: port {port} on {address} is reserved to the administrator: "
                   "choose one above 1023 with --port", port=port, address=bind)
    return say("campsite serve: cannot listen on {address} ({reason}): "
               "give an address of this machine with --bind, such as 127.0.0.1",
               address=bind, reason=error.strerror or error)


STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _stopped_by_signals() -> Iterator[threading.Event]:
    """Ctrl-C and SIGTERM both raise KeyboardInterrupt in the main thread,
    which stops the server; the event they set stops the other threads from
    starting anything new. Once asked, a second signal is ignored: it would
    cut the cleanup short and leave processes behind."""
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        for name in STOPPING_SIGNALS:
            signal.signal(name, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {name: signal.signal(name, stop) for name in STOPPING_SIGNALS}
    _children_die_of_signals()
    try:
        yield stopping
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


@cache  # once: fork handlers cannot be removed
def _children_die_of_signals() -> None:
    """A Ctrl-C at the terminal reaches the whole process group: each forked
    build worker would raise KeyboardInterrupt and print a traceback. They
    die of it instead, at once and quietly (the server ends them anyway),
    the signals held during the fork so that none arrives before."""
    os.register_at_fork(before=partial(signal.pthread_sigmask, signal.SIG_BLOCK, STOPPING_SIGNALS),
                        after_in_parent=partial(signal.pthread_sigmask, signal.SIG_UNBLOCK, STOPPING_SIGNALS),
                        after_in_child=_die_of_signals)


def _die_of_signals() -> None:
    for name in STOPPING_SIGNALS:
        signal.signal(name, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING_SIGNALS)


def end_descendants(seconds: float = 1.0) -> None:
    """Kill every process this one started, and theirs (build workers,
    Pagefind, what an indexer or git started), looking again until none is
    left: a build in another thread may still be forking workers. SIGKILL,
    since nothing they do needs finishing: they write beside the site, in
    folders that the next build or `Builds.stop` removes."""
    deadline = time.monotonic() + seconds
    while (pids := _descendants(os.getpid())) and time.monotonic() < deadline:
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _descendants(root: int) -> list[int]:
    """The live processes under `root` (its children, theirs…), read from
    /proc. Where there is none (not Linux), none are found: the build's
    workers then end before their next chunk of jobs, Pagefind once done."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # pid (name) state ppid …; the name may hold spaces and parentheses
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue  # ended meanwhile
        if state != "Z":  # a zombie has ended already: only its exit status is left
            children.setdefault(int(parent), []).append(int(stat.parent.name))
    found, unseen = [], [root]
    while unseen:
        below = children.get(unseen.pop(), [])
        found += below
        unseen += below
    return found


def _watch(paths: list[Path], builds: Builds, code: Path) -> None:
    existing = [str(p) for p in paths if p.exists()]
    # 100 ms: an editor's save (a write, or a new file renamed over the old) is one change.
    for changes in watchfiles.watch(*existing, debounce=100, raise_interrupt=False):
        edited = {Path(path) for _, path in changes}
        if any(code in path.parents for path in edited):
            print(say("campsite's code changed: restarting"), flush=True)
            builds.stop()  # the new process starts from nothing of this one's
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
        builds.run(edited)
