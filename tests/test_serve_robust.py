"""`campsite serve` is robust: a port in use is said in one line before
anything is built; Ctrl-C and SIGTERM stop it, and every process it started
(build workers, Pagefind, what an indexer started), within two seconds.
And `invoke test` says when Debian's packages could not be installed.

The servers are real `campsite serve` processes on copies of the example
site; the processes they start are read from /proc (Linux only)."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, SETTINGS, write

CAMPSITE = str(Path(sys.executable).parent / "campsite")
EDITION = "camps/aperos-numeriques/2026-09-lyon/edition.yml"
STOP_SECONDS = 2.0

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc (Linux)")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the example site and its theme, with its settings: three
    build workers, so that a build starts processes on any machine."""
    shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    shutil.copytree(ROOT / "themes" / "campsite", tmp_path / "theme")
    write(tmp_path / "pelicanconf.py", f"exec(open({str(SETTINGS)!r}).read())\n"
                                       "THEME = 'theme'\nPATH = 'content'\nCAMPSITE_WORKERS = 3\n")
    return tmp_path


def serve_command(*options: str) -> list[str]:
    return [CAMPSITE, "serve", "-s", "pelicanconf.py", "--now", EXAMPLE_NOW, *options]


# A port in use, an address not this machine's --------------------------------------

def test_a_port_in_use_is_said_in_one_line_before_anything_is_built(project):
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        result = subprocess.run(serve_command("--port", str(port)), cwd=project, capture_output=True, text=True,
                                timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"campsite serve: port {port} on 127.0.0.1 is already in use: "
                             "stop the other server or choose another with --port\n")
    assert result.stdout == ""
    assert not (project / "output").exists() and not list(project.glob(".output-*"))  # nothing built


def test_an_address_that_is_not_this_machine_s_is_said_in_one_line(project):
    address = "192.0.2.1"  # TEST-NET-1: documentation's, no machine's
    with socket.socket() as probe:
        try:
            probe.bind((address, 0))
            pytest.skip(f"this machine binds {address} (net.ipv4.ip_nonlocal_bind)")
        except OSError:
            pass
    result = subprocess.run(serve_command("--bind", address), cwd=project, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"campsite serve: cannot listen on {address} (Cannot assign requested address): "
                             "give an address of this machine with --bind, such as 127.0.0.1\n")
    assert not (project / "output").exists()


# Stopped by a signal, with everything it started ---------------------------------------

def process_tree(root: int) -> dict[int, tuple[str, str]]:
    """Every live process under `root` (its children, theirs…): pid → its
    start time (which tells it from a later process given the same pid) and
    its command line."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if state != "Z":
            children.setdefault(int(parent), []).append(int(stat.parent.name))
    tree, unseen = {}, list(children.get(root, []))
    while unseen:
        pid = unseen.pop()
        unseen += children.get(pid, [])
        if (found := _started_and_command(pid)) is not None:
            tree[pid] = found
    return tree


def _started_and_command(pid: int) -> tuple[str, str] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    return (fields[19], command.strip()) if fields[0] != "Z" else None  # field 22 of stat(5): start time


def still_alive(tree: dict[int, tuple[str, str]]) -> list[str]:
    return [f"{pid}: {command}" for pid, (started, command) in tree.items()
            if (now := _started_and_command(pid)) is not None and now[0] == started]


class Server:
    """A `campsite serve` process; its output read as it comes."""

    def __init__(self, project: Path, env: dict[str, str]):
        self.project = project
        self.process = subprocess.Popen(serve_command("--port", "0"), cwd=project, env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # a process group of its own, as in a terminal
        self.pid = self.process.pid
        self.output: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = 0

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)

    def wait_until_serving(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.output)
                continue
            if match := re.match(r"Serving on http://127\.0\.0\.1:(\d+)/", line):
                self.port = int(match.group(1))
                return
        raise AssertionError("not serving after two minutes:\n" + "".join(self.output))

    def get(self, path: str) -> tuple[int, str]:
        """The status and the text of the server's answer to GET `path`."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def home_page(self) -> str:
        status, page = self.get("/")
        assert status == 200 and "/__campsite/state" in page  # a page, with the reloading script
        return page

    def indexing(self) -> bool:
        return json.loads(self.get("/__campsite/state")[1])["indexing"]

    def own_command(self) -> str:
        return _started_and_command(self.pid)[1]


@contextmanager
def serving(project: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(project, env or dict(os.environ))
    try:
        server.wait_until_serving()
        yield server
    finally:  # a failed test leaves nothing running either
        if server.process.poll() is None:
            for pid in [*process_tree(server.pid), server.pid]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        server.process.wait(timeout=30)


def tree_when(server: Server, seen: Callable[[str], bool], again: Callable[[], None],
              attempts: int = 5) -> dict[int, tuple[str, str]]:
    """The server's process tree at a moment one of its processes' command
    lines is `seen`; `again()` brings such a moment again, should one pass
    between two looks."""
    for attempt in range(attempts):
        if attempt:
            again()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            tree = process_tree(server.pid)
            if any(seen(command) for _, command in tree.values()):
                return tree
            time.sleep(0.002)
    raise AssertionError(f"no such process in {attempts} attempts:\n" + "".join(server.output))


SAVES = itertools.count()


def new_summary(edition: Path) -> Callable[[], None]:
    """Saves `edition` with a new summary each time: a page changed, in place."""
    def save() -> None:
        text = re.sub(r"^summary: .*$", f"summary: Rentrée n° {next(SAVES)}", edition.read_text(encoding="utf-8"),
                      flags=re.MULTILINE)
        edition.write_text(text, encoding="utf-8")
    return save


def new_footer(template: Path) -> Callable[[], None]:
    """Saves a theme's `template` with a new last line each time: a whole build."""
    def save() -> None:
        with template.open("a", encoding="utf-8") as file:
            file.write(f"<!-- {next(SAVES)} -->\n")
    return save


def assert_stopped_cleanly(server: Server, tree: dict[int, tuple[str, str]], how: str) -> None:
    """`how`: SIGTERM or SIGINT to the server (kill, systemd), or Ctrl-C
    (SIGINT to its whole process group, as a terminal sends it)."""
    assert tree, "the server had no process of its own to stop"
    if how == "Ctrl-C":
        os.killpg(server.pid, signal.SIGINT)
    else:
        os.kill(server.pid, getattr(signal, how))
    try:
        status = server.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running {STOP_SECONDS} s after {how}") from None
    assert status == 0, "".join(server.output)
    assert still_alive(tree) == []
    assert not [p.name for p in server.project.glob(".output-*search*")]  # its search indexes removed
    assert (server.project / "output" / "index.html").is_file()  # the last site, as it was
    assert "Traceback" not in "".join(server.output)


@needs_proc
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_server_and_pagefind_at_work(project, how):
    """The first index is made as the server starts serving; an edit makes another."""
    with serving(project) as server:
        server.home_page()
        index_again = new_summary(project / "content" / EDITION)
        tree = tree_when(server, lambda command: "pagefind" in command, again=index_again)
        assert_stopped_cleanly(server, tree, how)


@needs_proc
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "Ctrl-C"])
def test_a_signal_stops_the_server_and_a_rebuild_s_workers(project, how):
    """An edit to the theme takes a whole build, in the watcher's thread,
    every page written again by forked workers (which a Ctrl-C reaches too,
    and must not make print tracebacks)."""
    with serving(project) as server:
        server.home_page()
        own = server.own_command()  # a forked worker's command line too
        rebuild = new_footer(project / "theme" / "templates" / "base.html")
        rebuild()
        tree = tree_when(server, lambda command: command == own, again=rebuild)
        assert_stopped_cleanly(server, tree, how)


@needs_proc
def test_a_signal_stops_what_an_indexer_started_too(project, tmp_path):
    """An indexer whose own process neither dies with the server nor listens
    to SIGTERM (the `nice` that Pagefind is started through, replaced)."""
    bin_folder = tmp_path / "bin"
    write(bin_folder / "nice", "#!/bin/sh\nsh -c 'trap \"\" TERM INT; sleep 300' &\nwait\n").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"}
    with serving(project, env) as server:
        server.home_page()
        tree = tree_when(server, lambda command: command.startswith("sleep"), again=lambda: None, attempts=1)
        assert_stopped_cleanly(server, tree, "SIGTERM")


# The search index, while the server builds ------------------------------------------

def test_the_search_index_is_served_while_a_whole_build_runs(project):
    """A whole build removes what killed builds left beside the output: not
    the index the server serves, which stays until the next one is ready."""
    with serving(project) as server:
        deadline = time.monotonic() + 60
        while server.get("/pagefind/pagefind.js")[0] != 200 or server.indexing():
            assert time.monotonic() < deadline, "".join(server.output)
            time.sleep(0.05)
        built = sum(line.startswith("Built ") for line in server.output)
        new_footer(project / "theme" / "templates" / "base.html")()
        answers = []
        while sum(line.startswith("Built ") for line in server.output) == built:
            assert time.monotonic() < deadline + 60, "".join(server.output)
            answers.append(server.get("/pagefind/pagefind.js")[0])
        assert len(answers) > 10 and set(answers) == {200}


# `invoke test`: Debian's packages ------------------------------------------------------

@pytest.fixture
def tasks(monkeypatch, tmp_path):
    """tasks.py, with a PATH of its own (what is installed: the shells invoke
    runs commands with, and no more) and the font present."""
    spec = importlib.util.spec_from_file_location("campsite_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DEJAVU", write(tmp_path / "DejaVuSans.ttf", "a font"))
    # The readers', apps' and scanner's packages there too: these tests are about the browser's and Java's.
    monkeypatch.setattr(module, "LIBICAL_HEADER", write(tmp_path / "ical.h", "/* libical */"))
    monkeypatch.setattr(module, "READERS", tmp_path / "readers")  # its install status, not the project's
    (tmp_path / "bin").mkdir()
    for shell in ("sh", "bash"):
        (tmp_path / "bin" / shell).symlink_to(shutil.which(shell))
    programs(tmp_path, calcurse="", gcc="", confclerk="", Xvfb="", xdotool="", zbarimg="")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return module


def context():
    """invoke's own context, as `invoke test` has (not reading the tests' stdin)."""
    from invoke import Config, Context

    return Context(Config(overrides={"run": {"in_stream": False}}))


def programs(tmp_path: Path, **scripts: str) -> None:
    for name, script in scripts.items():
        write(tmp_path / "bin" / name, f"#!/bin/sh\n{script}\n").chmod(0o755)


def test_a_failed_install_is_said_in_one_line(tasks, tmp_path, capfd):
    programs(tmp_path, **{"apt-get": 'test "$1" = update && exit 0\necho "Reading package lists..."\n'
                                     'echo "E: Unable to locate package chromium" >&2\nexit 100'})
    tasks._ensure_debian_packages(context())
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ("invoke test: chromium, default-jre-headless not installed (apt-get install failed: "
                   "E: Unable to locate package chromium): their tests will be skipped\n")


def test_without_apt_get_it_says_so_and_goes_on(tasks, capfd):
    tasks._ensure_debian_packages(context())
    assert capfd.readouterr().err == ("invoke test: chromium, default-jre-headless not installed "
                                      "(no apt-get here): their tests will be skipped\n")


def test_an_install_that_works_or_none_needed_says_nothing(tasks, tmp_path, capfd):
    programs(tmp_path, **{"apt-get": 'echo "$@" >> "${0%/*}/calls"'})
    tasks._ensure_debian_packages(context())
    assert (tmp_path / "bin" / "calls").read_text().splitlines()[-1] == \
        "install -y -qq chromium default-jre-headless"
    programs(tmp_path, chromium="", java="", **{"apt-get": "exit 1"})  # as on CI: everything there
    tasks._ensure_debian_packages(context())
    assert capfd.readouterr() == ("", "")
