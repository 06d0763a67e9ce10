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
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles
from markupsafe import escape

from .build import BuildResult
from .live import LiveSite, Update
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

    def __init__(self, site: LiveSite):
        self.site = site
        self.output = site.output
        self.version = 0
        self.problems: list[str] = []
        self.search: Path | None = None  # the newest search index
        self.lock = threading.Lock()
        self.indexing = False  # an indexer thread is running
        self.index_wanted = 0  # the newest version not yet indexed, 0 when none

    def run(self, edited: set[Path] | None = None) -> None:
        """A whole build, or with `edited`, an update."""
        try:
            result = self.site.update(edited) if edited else self.site.rebuild()
        except Exception as error:  # noqa: BLE001 -- a bug in campsite or Pelican: the server goes on
            result = BuildResult(message=f"campsite: internal error: {error.__class__.__name__}: {error}")
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

    def state(self) -> dict:
        with self.lock:
            return {"version": self.version, "problems": list(self.problems), "indexing": self.indexing}

    def _index_until_current(self) -> None:
        """Index the newest good build, again while newer ones came meanwhile."""
        while True:
            with self.lock:
                version, self.index_wanted = self.index_wanted, 0
                if not version:
                    self.indexing = False
                    return
            self._index(version)

    def _index(self, version: int) -> None:
        folder = self.output.parent / f".{self.output.name}-search-{version}"
        reason = make_index(self.output, folder, low_priority=True)
        with self.lock:
            old, self.search = (folder, self.search) if reason else (self.search, folder)
        if reason:
            print(f"search index not made ({reason}): the search page will say so", file=sys.stderr)
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
    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in problems)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Build problems</title></head>'
        f"<body><h1>The last build stopped</h1><p>Fix these and save: the page reloads.</p><ul>{items}</ul>"
        f"{RELOAD_SCRIPT}</body></html>"
    )


def _said(result: BuildResult | Update) -> str:
    """What the terminal says of a build or an update that went well."""
    if isinstance(result, Update):
        count = len(result.changed)
        return f"Built in place: {count} file{'s' if count != 1 else ''} changed in {result.seconds:.2f} s."
    kinds = result.counts()
    return (f"Built {kinds['pages']} pages, {kinds['feeds']} feeds and {kinds['calendars']} calendars "
            f"({result.files_written} files) into {result.output} in {result.seconds:.1f} s.")


def serve(settings: Path, output: Path, watched: list[Path], bind: str, port: int,
          now: str | None = None, workers: int | None = None) -> None:
    builds = Builds(LiveSite(settings, output, now=now, workers=workers))
    builds.run()
    output.mkdir(parents=True, exist_ok=True)
    handler = type("CampsiteHandler", (Handler,), {"builds": builds})
    server = ThreadingHTTPServer((bind, port), partial(handler, directory=str(output)))
    code = settings.parent / "plugins"
    threading.Thread(target=_watch, args=(watched, builds, code), daemon=True).start()
    print(f"Serving on http://{bind}:{port}/ — rebuilding on every change (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        for index in output.parent.glob(f".{output.name}-search-*"):
            shutil.rmtree(index, ignore_errors=True)


def _watch(paths: list[Path], builds: Builds, code: Path) -> None:
    existing = [str(p) for p in paths if p.exists()]
    # 100 ms: an editor's save (a write, or a new file renamed over the old) is one change.
    for changes in watchfiles.watch(*existing, debounce=100, raise_interrupt=False):
        edited = {Path(path) for _, path in changes}
        if any(code in path.parents for path in edited):
            print("campsite's code changed: restarting", flush=True)
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
        builds.run(edited)
