"""Pull-request attacks: every case in tests/attacks/ (see its README.md).

Each case is a tiny site committed the way a hostile contributor would send
it in a pull request: cache files beside content/, camp templates, symbolic
links, files disguised as images, metadata that breaks out of attributes or
takes over the site's own files, inputs that exhaust the machine, file
names that speak GitHub's workflow-command language. Everything in it is
untrusted; only the project's code, theme and settings are.

Each case runs as CI runs it: copied into a temporary project folder that
is a git repository (with a fake token in its .git/config, as
actions/checkout leaves one), `campsite check --format github` then
`campsite build` as real subprocesses, with a fake HOME holding fake keys,
fake secrets in the environment, fake `gs`, `convert`, `curl`… first on
PATH (they leave a marker file when run), a time limit and a memory limit.

Whatever the case's outcome, nothing ran (no marker file), no fake secret
reached any output file or log line, no traceback, exit status 0 or 1,
nothing was written outside output/, the check's annotations are well
formed, and `check` and `build` agree. Then its expected.yml says what
must happen:

- `outcome: error`: check exits 1 with exactly the problems of
  `problems_like`, the build exits 1 with the same problems and writes
  nothing;
- `outcome: neutralised`: both succeed and nothing is live in the output:
  every page, feed, calendar and SVG walked with the hostile corpus's
  checkers, assets only from the site, and every page and SVG opened in
  Chromium, where no dialog, no javascript: link and no request to
  another host may happen.

A case whose expected outcome the product does not meet yet names the
defect in `defect:` and runs as a strict xfail.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import inspect
import json
import os
import pickle
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from conftest import ROOT, serving
from test_hostile_corpus import _local, case_param, walk_output
from test_hostile_corpus import expectations as corpus_expectations

CORPUS = Path(__file__).parent / "attacks"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expected.yml").is_file())
CAMPSITE = Path(sys.executable).parent / "campsite"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
NOW = "2026-05-01T12:00+02:00"  # before every edition of the corpus: all upcoming, registration open
SITEURL = "https://campsite.example.org"  # as published
SITE_HOST = "campsite.example.org"
OUTCOMES = {"error", "neutralised"}
KEYS = {"about", "outcome", "problems", "problems_like", "markers", "defect", "settings", "symlinks",
        "generate", "command_options", "max_seconds", "max_build_seconds", "texts"}
DEFAULT_MAX_SECONDS = 30  # for `campsite check`; a tiny site takes well under a second
BUILD_TIMEOUT = 120  # for `campsite build`, unless the case says `max_build_seconds`
MEMORY_LIMIT = 3 * 1024**3  # RLIMIT_AS of each campsite process (and its workers)
POOL = 2  # cases run at once (the machine has two cores)

SECRET = b"hx-secret-"
SECRETS_IN_ENV = {"CAMPSITE_TEST_SECRET": "hx-secret-env", "GITHUB_TOKEN": "hx-secret-env-token"}
GIT_SECRET = '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic hx-secret-gitconfig\n'
# Programs an image library, a converter or a fetcher would run: each leaves a marker.
FAKE_PROGRAMS = ("gs", "gsx", "gswin64c", "gswin32c", "convert", "magick", "inkscape", "rsvg-convert",
                 "curl", "wget", "pdftoppm", "ffmpeg")
STAGING = ".output"  # build.py's folders beside the output: .output-building-*, .output-old-*…
COMMIT_DATE = "2026-04-01T12:00:00+02:00"
TRACEBACK = "Traceback (most recent call last)"

# What campsite prints besides problems (cli.py): check's and build's summaries.
SUMMARY_LINES = [
    re.compile(r"No problems found\."),
    re.compile(r"Content: \d+ files?: .*\."),
    re.compile(r"\d+ problems? found\."),
    re.compile(r"Built \d+ pages, \d+ feeds and \d+ calendars \(\d+ files\) into .+ in [\d.]+ s\."),
]
# GitHub's workflow commands: `::name …::` (v2) and `##[name …]` (v1, still read by the runner).
WORKFLOW_COMMAND = re.compile(r"^\s*(::|##\[)")
ANNOTATION = re.compile(r"::error file=(?P<file>[^\r\n]*?)(?:,line=(?P<line>\d+))?::(?P<message>.*)")
# Escapes GitHub's toolkit writes: % CR LF everywhere, and : , in properties.
PROPERTY_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
MESSAGE_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n"}


# --- The cases ---------------------------------------------------------------


def expectations(case: Path) -> dict:
    return corpus_expectations(case, KEYS, OUTCOMES)


@dataclass
class Place:
    """Where one case runs: tmp/project (the repository), tmp/home (HOME)…"""

    case: str
    tmp: Path
    project: Path
    home: Path
    bin: Path
    cache: Path  # XDG_CACHE_HOME
    scratch: Path  # TMPDIR

    @property
    def marker(self) -> str:
        return f"hx-ran-{self.case}"

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.pathsep.join([str(self.bin), str(CAMPSITE.parent), "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": str(self.home),
            "XDG_CACHE_HOME": str(self.cache),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "TMPDIR": str(self.scratch),
            "LANG": "C.UTF-8",
            "CAMPSITE_LANG": "en",  # the expectations quote campsite's English messages
            "PYTHONDONTWRITEBYTECODE": "1",  # the settings file is imported: no __pycache__ beside it
            "GIT_CONFIG_NOSYSTEM": "1",
            "GITHUB_ACTIONS": "true",
            **SECRETS_IN_ENV,
        }


@dataclass
class Run:
    command: list[str]
    returncode: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float

    def describe(self) -> str:
        status = "killed at the time limit" if self.returncode is None else f"exit {self.returncode}"
        return (f"$ {' '.join(self.command)}  → {status} in {self.seconds:.1f} s\n"
                f"--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}")


@dataclass
class CaseRun:
    place: Place
    expected: dict
    check: Run
    build: Run | None
    output: Path
    before: dict[str, tuple]  # listing of tmp/ before check (output/ and caches left out)
    after: dict[str, tuple]
    output_before: dict[str, tuple] | None  # a committed output/, if any
    output_after: dict[str, tuple] | None
    leftovers: list[str] = field(default_factory=list)  # .output* beside output/


def _fake_program(place: Place, name: str) -> None:
    path = place.bin / name
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{place.tmp}/{place.marker}-{name}"\nexit 1\n', encoding="utf-8")
    path.chmod(0o755)


def _fake_home(home: Path) -> None:
    files = {
        ".ssh/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\nhx-secret-home\n-----END OPENSSH PRIVATE KEY-----\n",
        ".netrc": "machine github.com login hx password hx-secret-netrc\n",
        ".git-credentials": "https://hx:hx-secret-credentials@github.com\n",
        ".config/gh/hosts.yml": "github.com:\n    oauth_token: hx-secret-config\n",
        ".config/secret-camp.yml": "name: hx-secret-camp-yml\ntimezone: Europe/Paris\n",
        ".gitconfig": "[user]\n\tname = hx\n\temail = hx@example.org\n",
        "images/notes.txt": "hx-secret-home-images\n",  # a folder a site would publish, were it content
    }
    for relative, text in files.items():
        path = home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (home / ".ssh/id_rsa").chmod(0o600)


def _settings_file(folder: Path, extra: dict) -> Path:
    lines = [
        f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())",
        f"THEME = {str(ROOT / 'themes/campsite')!r}",
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
        f"SITEURL = {SITEURL!r}",
        "RELATIVE_URLS = False",
        "CAMPSITE_SEARCH = False",  # Pagefind's index is not a page; it would only slow the corpus down
        f"CAMPSITE_NOW = {NOW!r}",
        *(f"{key} = {value!r}" for key, value in extra.items()),
    ]
    path = folder / "conf.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _git(place: Place, *args: str) -> None:
    env = {**place.env(), "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(["git", *args], cwd=place.project, env=env, check=True, capture_output=True, timeout=60)


def prepare(case: Path, tmp: Path) -> tuple[Place, dict]:
    """The case as a project folder: copied, generated, linked, committed."""
    expected = expectations(case)
    place = Place(case.name, tmp, tmp / "project", tmp / "home", tmp / "bin", tmp / "xdg-cache", tmp / "tmpdir")
    for folder in (place.bin, place.cache, place.scratch):
        folder.mkdir(parents=True)
    _fake_home(place.home)
    for name in FAKE_PROGRAMS:
        _fake_program(place, name)
    shutil.copytree(case, place.project, symlinks=True, ignore=lambda folder, names: (
        ["expected.yml"] if Path(folder) == case else []))
    content = place.project / "content"
    for name in expected.get("generate") or []:
        GENERATORS[name](place)
    for link, target in (expected.get("symlinks") or {}).items():
        path = Path(os.path.normpath(content / link))
        assert place.project in path.parents, f"{case.name}: symlink {link!r} leaves the project"
        if path == content:  # `.`: the content folder itself is the link
            shutil.rmtree(content)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target.format(home=place.home, project=place.project, tmp=place.tmp))
    _settings_file(place.project, expected.get("settings") or {})
    _git(place, "init", "-q", "-b", "main")
    _git(place, "add", "-A")
    _git(place, "-c", "user.name=hx", "-c", "user.email=hx@example.org", "commit", "-q", "-m", case.name)
    with (place.project / ".git/config").open("a", encoding="utf-8") as config:
        config.write(GIT_SECRET)
    for stale in Path("/tmp").glob(f"{place.marker}*"):  # a marker from an earlier run
        stale.unlink()
    return place, expected


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(place: Place, *args: str, timeout: float) -> Run:
    command = [str(CAMPSITE), *args]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=place.project, env=place.env(), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limits,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the build and its workers
        out, err = process.communicate()
        code = None
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # workers left behind
        except ProcessLookupError:
            pass
    return Run(["campsite", *args], code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.monotonic() - started)


def listing(root: Path, skip: set[Path]) -> dict[str, tuple]:
    """Every entry under `root` (links not followed): kind, size, mtime, target;
    but `skip` and the build's staging folders (`.output-*`: checked apart)."""
    found: dict[str, tuple] = {}
    if not root.exists() and not root.is_symlink():
        return found
    for folder, folders, names in os.walk(root):
        folders[:] = [f for f in folders if Path(folder, f) not in skip and not f.startswith(STAGING)]
        for name in [*folders, *names]:
            path = Path(folder, name)
            if path in skip:
                continue
            info = path.lstat()
            target = os.readlink(path) if path.is_symlink() else ""
            kind = "link" if target else "folder" if path.is_dir() else "file"
            found[str(path.relative_to(root))] = (kind, 0 if kind == "folder" else info.st_size,
                                                  0 if kind == "folder" else info.st_mtime_ns, target)
    return found


def output_name(expected: dict) -> str:
    options = [str(o) for o in expected.get("command_options") or []]
    camp = next((options[i + 1] for i, o in enumerate(options[:-1]) if o == "--camp"), None)
    camp = camp or next((o.split("=", 1)[1] for o in options if o.startswith("--camp=")), None)
    return "output" + (f"-{camp}" if camp else "")


def run_case(case: Path, tmp: Path) -> CaseRun:
    place, expected = prepare(case, tmp)
    output = place.project / output_name(expected)
    # The cache folder: the user's (XDG_CACHE_HOME), or the one beside content/ it used to be.
    skip = {output, place.cache, place.scratch, place.project / ".campsite-cache"}
    before = listing(place.tmp, skip)
    output_before = listing(output, set()) if output.is_dir() and not output.is_symlink() else None
    max_seconds = expected.get("max_seconds", DEFAULT_MAX_SECONDS)
    check = run(place, "check", "-s", "conf.py", "--format", "github", timeout=max_seconds)
    build = None
    if check.returncode is not None:
        options = [str(o) for o in expected.get("command_options") or []]
        timeout = expected.get("max_build_seconds", max(BUILD_TIMEOUT, 2 * max_seconds))
        build = run(place, "build", "-s", "conf.py", *options, timeout=timeout)
    after = listing(place.tmp, skip)
    output_after = listing(output, set()) if output.is_dir() and not output.is_symlink() else None
    leftovers = sorted(p.name for p in place.project.iterdir() if p.name.startswith(STAGING))
    return CaseRun(place, expected, check, build, output, before, after, output_before, output_after, leftovers)


class Runner:
    """Runs the selected cases two at a time, in the order the tests ask for
    them, while the tests check the ones already run (and drive the browser)."""

    def __init__(self, tmp_factory, cases: list[Path]):
        self.tmp_factory = tmp_factory
        self.pool = concurrent.futures.ThreadPoolExecutor(POOL, thread_name_prefix="attack")
        self.futures: dict[str, concurrent.futures.Future] = {}
        self.lock = threading.Lock()
        for case in cases:
            self._submit(case)

    def _submit(self, case: Path) -> concurrent.futures.Future:
        with self.lock:
            if case.name not in self.futures:
                tmp = self.tmp_factory.mktemp(case.name, numbered=True)
                self.futures[case.name] = self.pool.submit(run_case, case, tmp)
            return self.futures[case.name]

    def get(self, case: Path) -> CaseRun:
        return self._submit(case).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def runner(request, tmp_path_factory):
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "callspec", None) and item.module.__name__ == __name__
                and "case" in item.callspec.params]
    started = Runner(tmp_path_factory, selected)
    yield started
    started.close()


# --- What must hold for every case ------------------------------------------


def problem_lines(check: Run) -> list[str]:
    """The `path:line: message` lines that check's annotations stand for."""
    lines = []
    for line in check.stdout.splitlines():
        match = ANNOTATION.fullmatch(line)
        if match:
            where = _unescape(match["file"], PROPERTY_ESCAPES)
            if match["line"]:
                where += f":{match['line']}"
            lines.append(f"{where}: {_unescape(match['message'], MESSAGE_ESCAPES)}")
    return lines


def _unescape(text: str, escapes: dict[str, str]) -> str:
    return re.sub("|".join(escapes), lambda m: escapes[m.group()], text)


def annotation_flaws(check: Run) -> list[str]:
    """Every stdout line of `check --format github` is one well-formed
    `::error` command, or one of campsite's summary lines; nothing in
    stdout or stderr starts another workflow command."""
    flaws = []
    for number, line in enumerate(check.stdout.split("\n"), 1):
        if line == "" and number == len(check.stdout.split("\n")):
            continue
        if any(pattern.fullmatch(line) for pattern in SUMMARY_LINES) and not WORKFLOW_COMMAND.match(line):
            continue
        match = ANNOTATION.fullmatch(line)
        if not match:
            flaws.append(f"stdout line {number} is neither an annotation nor a summary: {line!r}")
            continue
        for name, value, allowed in (("file", match["file"], "25|0D|0A|3A|2C"),
                                     ("message", match["message"], "25|0D|0A")):
            if "\r" in value:
                flaws.append(f"stdout line {number}: a raw CR in the {name}: {line!r}")
            if re.search(f"%(?!{allowed})", value):
                flaws.append(f"stdout line {number}: an unescaped % in the {name}: {line!r}")
        if re.search(r"[,:]", match["file"]):
            flaws.append(f"stdout line {number}: a raw ',' or ':' in the file property: {line!r}")
    for name, text in (("stderr", check.stderr),):
        for number, line in enumerate(text.splitlines(), 1):
            if WORKFLOW_COMMAND.match(line):
                flaws.append(f"{name} line {number} starts a workflow command: {line!r}")
    return flaws


def secrets_in(root: Path) -> list[str]:
    """Output files holding a fake secret (read as bytes, links not followed)."""
    found = []
    if not root.exists() or root.is_symlink():  # a committed link is not the output, and was refused
        return found
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            try:
                data = path.read_bytes() if not path.is_symlink() else os.readlink(path).encode()
            except OSError as error:
                found.append(f"{path.relative_to(root)}: cannot be read ({error})")
                continue
            if SECRET in data:
                at = data.index(SECRET)
                found.append(f"{path.relative_to(root)}: {data[max(0, at - 60):at + 40]!r}")
    return found


def markers_left(place: Place) -> list[str]:
    found = [str(p) for p in place.tmp.rglob("hx-ran-*")]
    found += [str(p) for p in Path("/tmp").glob(f"{place.marker}*")]
    found += [str(p) for p in ROOT.glob("hx-ran-*")]
    return sorted(set(found))


def common_failures(result: CaseRun) -> list[str]:
    """What must hold whatever the case's outcome."""
    failures = []
    place, check, build = result.place, result.check, result.build
    runs = [r for r in (check, build) if r is not None]
    if markers := markers_left(place):
        failures.append("code ran on the build machine: " + ", ".join(markers))
    for r in runs:
        text = r.stdout + r.stderr
        if SECRET.decode() in text:
            at = text.index(SECRET.decode())
            failures.append(f"`{' '.join(r.command)}` printed a fake secret: {text[max(0, at - 80):at + 40]!r}")
        if TRACEBACK in text:
            failures.append(f"`{' '.join(r.command)}` printed a traceback")
        if r.returncode not in (0, 1):
            failures.append(f"`{' '.join(r.command)}` " + ("was killed at its time limit" if r.returncode is None
                                                            else f"exited {r.returncode}"))
    max_seconds = result.expected.get("max_seconds", DEFAULT_MAX_SECONDS)
    if check.returncode is not None and check.seconds > max_seconds:
        failures.append(f"check took {check.seconds:.1f} s (the limit is {max_seconds} s)")
    failures += [f"in the output: a fake secret in {s}" for s in secrets_in(result.output)]
    failures += annotation_flaws(check)
    if build is not None:  # CI shows the build's log too
        for name, text in (("stdout", build.stdout), ("stderr", build.stderr)):
            failures += [f"build's {name} line {n} starts a workflow command: {line!r}"
                         for n, line in enumerate(text.splitlines(), 1) if WORKFLOW_COMMAND.match(line)]
    if result.leftovers:
        failures.append(f"left beside {result.output.name}/: {result.leftovers}")
    changed = _differences(result.before, result.after)
    if changed:
        failures.append("written outside the output folder: " + "; ".join(changed[:12]))
    if build is not None and check.returncode in (0, 1) and build.returncode is not None:
        if check.returncode == 0 and build.returncode != 0:
            failures.append("check found no problem, but the build failed")
        if check.returncode == 1:
            if build.returncode == 0:
                failures.append("check found problems, but the build succeeded")
            elif sorted(build_problem_lines(build)) != sorted(problem_lines(check)):
                failures.append("the build's problems are not the check's:\n  check: "
                                + "\n         ".join(problem_lines(check)) + "\n  build: "
                                + "\n         ".join(build_problem_lines(build)))
    return failures


def build_problem_lines(build: Run) -> list[str]:
    return [line for line in build.stdout.splitlines() if not any(p.fullmatch(line) for p in SUMMARY_LINES)]


def _differences(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    changes = [f"removed {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"added {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


def match_problems(lines: list[str], patterns: list[str]) -> str | None:
    """None if every line matches one pattern and every pattern one line
    (a perfect matching), else what is wrong."""
    matches = {i: [j for j, p in enumerate(patterns) if re.fullmatch(p, line)] for i, line in enumerate(lines)}
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in matches[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in matches:
        place(i, set())
    if len(owner) == len(lines) == len(patterns):
        return None
    taken = set(owner.values())
    unmatched_lines = [lines[i] for i in range(len(lines)) if i not in taken]
    unmatched_patterns = [patterns[j] for j in range(len(patterns)) if j not in owner]
    return (f"problems matched by no expected pattern: {unmatched_lines}\n"
            f"expected patterns that matched no problem: {unmatched_patterns}")


# --- What "nothing live" adds to the hostile corpus's checks -----------------

ASSET_ELEMENTS = {"script": "src", "iframe": "src", "frame": "src", "embed": "src", "object": "data"}


def foreign_assets(output: Path) -> list[str]:
    """Stylesheets, scripts and frames that a page loads from another host
    than the site's (SITEURL): the theme's CSS and JS must come from the site."""
    found = []
    for page in sorted(output.rglob("*.html")):
        root = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        for element in root.iter():
            name = _local(element.tag)
            urls = []
            if name == "link" and {"stylesheet", "preload", "modulepreload", "import"} & set(
                    (element.get("rel") or "").lower().split()):
                urls.append(element.get("href") or "")
            elif name in ASSET_ELEMENTS:
                urls.append(element.get(ASSET_ELEMENTS[name]) or "")
            for url in urls:
                host = urlsplit(url.strip()).hostname
                if host and host != SITE_HOST:
                    found.append(f"{page.relative_to(output)}: <{name}> from {url!r}")
    for sheet in sorted(output.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"@import|url\(\s*['\"]?\s*(?:https?:)?//([^/'\")\s]+)|expression\(|javascript:"
                                 r"|-moz-binding|behavior\s*:", text, re.IGNORECASE):
            if match.group(1) and match.group(1).lower() == SITE_HOST:
                continue
            found.append(f"{sheet.relative_to(output)}: {match.group()!r}")
    return found


GEO = re.compile(r"-?\d{1,3}(\.\d+)?;-?\d{1,3}(\.\d+)?")


def calendar_geo_flaws(output: Path) -> list[str]:
    """GEO must be two plain decimals (RFC 5545's FLOAT), never 1e-07."""
    flaws = []
    for calendar in sorted(output.rglob("*.ics")):
        text = calendar.read_bytes().decode("utf-8").replace("\r\n ", "")
        for line in text.split("\r\n"):
            if line.upper().startswith("GEO") and not GEO.fullmatch(line.split(":", 1)[-1]):
                flaws.append(f"{calendar.relative_to(output)}: {line!r}")
    return flaws


# --- The browser pass --------------------------------------------------------

INIT_SCRIPT = """
(() => {
  const report = (what) => { try { window.__hxReport(String(what)); } catch (e) {} };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const original = window[name];
    window[name] = function (...args) {
      report(name + '(' + args.map(String).join(', ') + ') at ' + location.href);
      if (name !== 'print' && original) { try { return original.apply(this, args); } catch (e) {} }
    };
  }
  const open = window.open;
  window.open = function (...args) { report('window.open(' + args.map(String).join(', ') + ')'); };
})();
"""
# Fire every element's handlers (onmouseover, onfocus… run for dispatched
# events), then list every link, form or frame a click or a load would send
# to a javascript: URL, as the browser resolves it (SVG: the animated value).
PROBE_SCRIPT = """
async () => {
  const types = ['mouseover', 'mouseenter', 'mousemove', 'pointerover', 'focus', 'focusin', 'click',
                 'animationstart', 'animationend', 'transitionend', 'toggle', 'load', 'error', 'input', 'change'];
  const found = [];
  const elements = Array.from(document.querySelectorAll('*'));
  const urlOf = (element, attribute) => {
    const value = element[attribute];
    if (value && typeof value === 'object' && 'animVal' in value) return value.animVal;
    return element.getAttribute(attribute) || element.getAttributeNS('http://www.w3.org/1999/xlink', attribute);
  };
  const scan = () => {
    for (const element of elements) {
      for (const attribute of ['href', 'src', 'action', 'formaction', 'data']) {
        const value = urlOf(element, attribute);
        if (!value) continue;
        let protocol = '';
        try { protocol = new URL(value, document.baseURI).protocol; } catch (e) { continue; }
        if (protocol === 'javascript:' || protocol === 'vbscript:')
          found.push('<' + element.localName + ' ' + attribute + '=' + JSON.stringify(value) + '>');
      }
    }
  };
  scan();
  document.addEventListener('click', (event) => event.preventDefault(), true);
  for (const element of elements) {
    for (const type of types) {
      try { element.dispatchEvent(new Event(type, {bubbles: false, cancelable: true})); } catch (e) {}
    }
  }
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)));
  scan();  // SMIL animations have set their values by now
  const refresh = document.querySelector('meta[http-equiv="refresh" i]');
  if (refresh) found.push('<meta http-equiv=refresh content=' + JSON.stringify(refresh.content) + '>');
  return Array.from(new Set(found));
}
"""
BROWSED = {".html", ".htm", ".xhtml", ".xht", ".svg", ".xml", ".xsl", ".xslt"}


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; None without it (the browser pass then skips)."""
    if CHROMIUM is None:
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


def browser_findings(browser, output: Path) -> list[str]:
    """Open every page, SVG and XML document of `output` in Chromium: what ran."""
    found: list[str] = []
    with serving(output) as base:
        context = browser.new_context(service_workers="block")
        try:
            context.expose_function("__hxReport", lambda what: found.append(f"called {what}"))
            context.add_init_script(INIT_SCRIPT)

            def route(route) -> None:
                url = urlsplit(route.request.url)
                if url.hostname == SITE_HOST:  # the published site's own address: served from output/
                    path = output / unquote(url.path).lstrip("/")
                    if path.is_dir():
                        path = path / "index.html"
                    if path.is_file() and output.resolve() in path.resolve().parents:
                        route.fulfill(path=str(path))
                    else:
                        route.fulfill(status=404, body="")
                else:
                    found.append(f"a request to another host: {route.request.resource_type} {route.request.url}")
                    route.abort()

            # Everything but the local server (matched in the browser, not here).
            context.route(re.compile(rf"^(?!{re.escape(base)})"), route)
            tab = context.new_page()
            tab.on("dialog", lambda dialog: (found.append(f"a {dialog.type} dialog: {dialog.message!r}"),
                                              dialog.dismiss()))
            tab.on("popup", lambda popup: found.append(f"a popup: {popup.url}"))
            documents = sorted(p for p in output.rglob("*") if p.is_file() and p.suffix.lower() in BROWSED)
            for document in documents:
                where = document.relative_to(output).as_posix()
                try:
                    tab.goto(base + where, wait_until="load", timeout=15000)
                    for link in tab.evaluate(PROBE_SCRIPT):
                        found.append(f"{where}: a javascript: link {link}")
                except Exception as error:  # noqa: BLE001 -- a page that navigated away or hung is a finding
                    message = str(error).splitlines()[0]
                    if "Execution context was destroyed" in message or "navigat" in message.lower():
                        found.append(f"{where}: the page navigated away ({message})")
                    else:
                        found.append(f"{where}: the browser could not check it ({message})")
            tab.close()
        finally:
            context.close()
    return found


# --- The tests ----------------------------------------------------------------


def test_the_corpus_is_complete():
    assert len(CASES) >= 30
    outcomes = {expectations(c)["outcome"] for c in CASES}
    assert outcomes == OUTCOMES
    generated = inspect.getsource(sys.modules[__name__])  # payloads the generators write
    for case in CASES:
        expected = expectations(case)
        assert (case / "content").is_dir(), f"{case.name}: no content/"
        for name in expected.get("generate") or []:
            assert name in GENERATORS, f"{case.name}/expected.yml: no generator {name!r} in {__file__}"
        assert expected.get("about"), f"{case.name}: say what the case tries in `about:`"
        if expected["outcome"] == "error":
            assert expected.get("problems_like") or expected.get("problems"), f"{case.name}: which problems?"
        sources = "".join(p.read_text(encoding="utf-8", errors="replace") for p in case.rglob("*")
                          if p.is_file() and p.name != "expected.yml") + generated
        for marker in expected.get("markers") or []:
            assert marker in sources, f"{case.name}: marker {marker!r} is in none of its files"


def test_the_harness_sees_what_it_must(tmp_path):
    """The harness's own detectors, on made-up evidence: an escaped
    annotation passes, a raw line break and a second command do not."""
    good = Run([], 1, "::error file=content/a%0A%3A%3Awarning x.md,line=2::m%25 %0A::add-mask::x\n", "", 0)
    assert annotation_flaws(good) == []
    assert problem_lines(good) == ["content/a\n::warning x.md:2: m% \n::add-mask::x"]
    bad = Run([], 1, "::error file=content/a\n::warning file=x::pwned\n", "::add-mask::x\n", 0)
    assert len(annotation_flaws(bad)) == 3
    assert match_problems(["a:1: x", "b:2: y"], [r"b:2: .+", r"a:1: .+"]) is None
    assert match_problems(["a:1: x", "a:1: y"], [r"a:1: .+"]) is not None
    (tmp_path / "x.css").write_text("@import url(https://evil.example/x.css);")
    assert foreign_assets(tmp_path)
    # The fake programs on PATH leave their marker, wherever they are called from.
    place = Place("self-test", tmp_path, tmp_path / "project", tmp_path / "home", tmp_path / "bin",
                  tmp_path / "cache", tmp_path / "scratch")
    place.bin.mkdir()
    _fake_program(place, "gs")
    subprocess.run(["gs", "--version"], env=place.env(), capture_output=True, check=False)
    assert markers_left(place) == [str(tmp_path / "hx-ran-self-test-gs")]


@pytest.mark.parametrize("case", [case_param(c, KEYS, OUTCOMES) for c in CASES])
def test_pull_request_attack(case: Path, runner: Runner, browser):
    result = runner.get(case)
    expected = result.expected
    report = f"\n\n{result.check.describe()}\n\n{result.build.describe() if result.build else '(no build)'}"
    failures = common_failures(result)
    assert not failures, "\n".join(failures) + report

    problems = problem_lines(result.check)
    if expected["outcome"] == "error":
        assert result.check.returncode == 1, "check found no problem" + report
        if "problems" in expected:
            assert sorted(problems) == sorted(expected["problems"]), report
        else:
            flaw = match_problems(problems, expected["problems_like"])
            assert flaw is None, flaw + report
        assert result.build.returncode == 1, report
        assert result.output_after == result.output_before, "a refused build wrote into the output folder"
        return

    assert result.check.returncode == 0 and result.build.returncode == 0, report
    output = result.output
    assert output.is_dir() and not output.is_symlink(), f"no output folder at {output}" + report
    found = walk_output(output, set())
    for kind in ("html", "feed", "ics"):
        assert found.files.get(kind), f"no {kind} output was checked: {found.files}"
    live = found.live + foreign_assets(output) + calendar_geo_flaws(output)
    assert not live, "live in the output:\n" + "\n".join(live)
    for text in expected.get("texts") or []:
        assert any(text in page for page in found.texts), f"text {text!r} is on no page: dropped, not escaped"
    if browser is None:
        pytest.skip("Debian's chromium is not installed: the static checks passed, the browser pass did not run")
    ran = browser_findings(browser, output)
    assert not ran, "ran in Chromium:\n" + "\n".join(ran)


# --- Files a case cannot hold as it is: made at copy time (expected.yml `generate:`)


def _edition(place: Place) -> Path:
    return place.project / "content/camps/barcamp/2026-06-lyon"


def _png(width: int, height: int, idat: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    if idat is None:
        idat = zlib.compress(b"".join(b"\0" + b"\x80" * width for _ in range(height)))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _png_bomb() -> bytes:
    """~200 kB that declares 30,000 × 30,000 pixels (900 MB once decoded):
    the first rows of zeros, compressed, and the stream cut there."""
    compressor = zlib.compressobj(9)
    row = b"\0" * 30_001
    data = b"".join(compressor.compress(row) for _ in range(6_500)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return _png(30_000, 30_000, data[:200_000])


def generate_baseline_images(place: Place) -> None:
    (place.project / "content/camps/barcamp/logo.png").write_bytes(_png(64, 32))
    (_edition(place) / "photo.png").write_bytes(_png(32, 32))


def generate_poisoned_caches(place: Place) -> None:
    """Every cache file campsite reads, committed beside content/ in
    .campsite-cache/ (where the cache lived before it moved out of the
    repository) under the very names a build gives them: the case is first
    built in a scratch folder, and each file of that cache is committed
    poisoned. Loaded camps: a pickle whose loading runs a command; converted
    Markdown: the write-up's entry with a script and other text; edition
    events: injected iCalendar lines; cards: a page with a script; the
    reuse manifest: named for this project's output, claiming its pages."""

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch {place.tmp}/hx-ran-{place.case}",)

    scratch = place.tmp / "cache-recipe"
    shutil.copytree(place.project / "content", scratch / "content")
    _settings_file(scratch, {})
    env = {**place.env(), "XDG_CACHE_HOME": str(scratch / "xdg")}
    subprocess.run([str(CAMPSITE), "build", "-s", "conf.py"], cwd=scratch, env=env, capture_output=True,
                   timeout=BUILD_TIMEOUT, check=False)
    made = [p for p in (scratch / "xdg/campsite").glob("*/") if p.is_dir()] + [scratch / ".campsite-cache"]
    cache = place.project / ".campsite-cache"
    manifest = hashlib.sha256(str((place.project / "output").resolve()).encode()).hexdigest()[:16]
    for folder in (f for f in made if f.is_dir()):
        for path in (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            relative = path.relative_to(folder)
            target = cache / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".pickle":
                target.write_bytes(pickle.dumps(Payload()))
            elif relative.parts[0] == "markdown":
                entry = json.loads(path.read_text(encoding="utf-8"))
                entry["content"] = "<script>alert('hx-mdcache')</script><p>hx-mdcache</p>"
                target.write_text(json.dumps(entry), encoding="utf-8")
            elif relative.parts[0] == "events":
                entry = json.loads(path.read_text(encoding="utf-8"))
                entry["ics"] = entry["ics"].replace("END:VEVENT", "X-HX:hx-events\r\nEND:VEVENT")
                target.write_text(json.dumps(entry), encoding="utf-8")
            elif relative.parts[0] == "outputs":
                jobs = json.loads(path.read_text(encoding="utf-8"))
                (target.parent / f"{manifest}.json").write_text(json.dumps(jobs), encoding="utf-8")
            elif path.suffix == ".png":
                target.write_bytes(b"<html><script>alert('hx-card-cache')</script></html>")
            else:
                shutil.copyfile(path, target)
    shutil.rmtree(scratch)
    assert (cache / "markdown").is_dir(), "the scratch build made no Markdown cache entry to poison"


def generate_rst_home_include(place: Place) -> None:
    (_edition(place) / "home.rst").write_text(
        "Home\n####\n\n:date: 2026-06-14 10:00\n\n"
        f".. include:: {place.home}/.ssh/id_rsa\n\n"
        f".. raw:: html\n   :file: {place.home}/.netrc\n", encoding="utf-8")


_EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
        b"(/tmp/hx-ran-disguised-images) (w) file closefile\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n")
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert('hx-pdf'))>>>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def generate_disguised_images(place: Place) -> None:
    """PostScript and PDF under .png names: Pillow identifies files by their
    bytes, and hands EPS to Ghostscript (the fake `gs` on PATH)."""
    camp = place.project / "content/camps/barcamp"
    (camp / "logo.png").write_bytes(_EPS)
    (camp / "2026-06-lyon/sponsor.png").write_bytes(_PDF)
    (camp / "2026-06-lyon/photo.png").write_bytes(_EPS)


def generate_intrasite_home_link(place: Place) -> None:
    (_edition(place) / "home.md").write_text(
        f"Title: Home\nDate: 2026-06-14 11:00\n\n![key]({{static}}{place.home}/.ssh/id_rsa)\n", encoding="utf-8")


_TINY_PNG = _png(1, 1)


def generate_quote_names(place: Place) -> None:
    """A photo and a write-up whose names hold double quotes and handlers,
    and a write-up linking both the way Pelican's docs say to."""
    edition = _edition(place)
    photo = "photo\" onmouseover=\"alert('hx-fname-static')\" x=\".png"
    writeup = "bilan\" onfocus=\"alert('hx-fname-writeup')\" autofocus=\".md"
    (edition / photo).write_bytes(_TINY_PNG)
    (edition / writeup).write_text("Title: Bilan\nDate: 2026-06-14 10:00\n\nBilan.\n", encoding="utf-8")
    (edition / "links.md").write_text(
        "Title: Liens\nDate: 2026-06-14 11:00\n\n"
        f"![photo](<{{static}}{photo}>)\n\n[bilan](<{{filename}}{writeup}>)\n", encoding="utf-8")


def generate_line_break_names(place: Place) -> None:
    """File names that would start workflow commands of their own in a CI
    log: a line break then `::warning` or `::add-mask::`, and `%0A`, which
    GitHub's runner decodes to a line break inside a command's value."""
    edition = _edition(place)
    (edition / "notes\n::warning file=x::hx-pwned.md").write_text(
        "Title: Notes\nDate: 2026-06-14 10:00\n\nNotes.\n", encoding="utf-8")
    (edition / "photo\n::add-mask::hx-mask.png").write_bytes(_TINY_PNG)
    (edition / "stray%0A::error file=x::hx-pct.yml").write_text("x: 1\n", encoding="utf-8")


def _writeup(place: Place, name: str, body: str) -> None:
    (_edition(place) / name).write_text(f"Title: Long\nDate: 2026-06-14 10:00\n\n{body}\n", encoding="utf-8")


def generate_markdown_brackets(place: Place) -> None:
    _writeup(place, "brackets.md", "[" * 500_000)  # Python-Markdown issue #798: quadratic


def generate_markdown_reference_brackets(place: Place) -> None:
    _writeup(place, "references.md", "[x][" * 20_000)  # 80 kB; 20 kB take 13 s


def generate_markdown_backslashes(place: Place) -> None:
    _writeup(place, "backslashes.md", "\\" * 500_000)  # 200 kB take 16 s


def generate_png_bomb(place: Place) -> None:
    (place.project / "content/camps/barcamp/logo.png").write_bytes(_png_bomb())


def generate_gif_bomb(place: Place) -> None:
    """A GIF whose logical screen is 65,535 × 65,535 around one 1 × 1 frame."""
    screen = struct.pack("<HHBBB", 65_535, 65_535, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    (_edition(place) / "sponsor.gif").write_bytes(b"GIF89a" + screen + frame + b"\x3b")


def generate_svg_data_bomb(place: Place) -> None:
    """An SVG logo that embeds the PNG bomb as a data: URL (the loader lets
    data: images through; resvg decodes them to draw the card)."""
    data = base64.b64encode(_png_bomb()).decode()
    (place.project / "content/camps/barcamp/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80">\n'
        f'  <image width="240" height="80" href="data:image/png;base64,{data}"/>\n</svg>\n', encoding="utf-8")


def generate_svg_use_bomb(place: Place) -> None:
    """<use> of <use>…: ten levels of ten, 10¹⁰ shapes to draw; and a
    sponsor logo with entities in entities (a billion laughs)."""
    levels = ['<path id="l0" d="M0 0h1v1z"/>']
    for level in range(1, 11):
        uses = "".join(f'<use href="#l{level - 1}" x="{i}"/>' for i in range(10))
        levels.append(f'<g id="l{level}">{uses}</g>')
    (place.project / "content/camps/barcamp/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80">\n<defs>\n'
        + "\n".join(levels) + '\n</defs>\n<use href="#l10"/>\n</svg>\n', encoding="utf-8")
    entities = ['<!ENTITY a0 "hx-laugh">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    (_edition(place) / "sponsor.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n' + "\n".join(entities) + "\n]>\n"
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80"><text y="20">&a9;</text></svg>\n',
        encoding="utf-8")


def generate_yaml_deep_nesting(place: Place) -> None:
    depth = 450_000  # 900 kB, under the 1 MB limit
    (_edition(place) / "sessions.yml").write_text("sessions: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")


GENERATORS: dict[str, Callable[[Place], None]] = {
    name.removeprefix("generate_"): function for name, function in list(globals().items())
    if name.startswith("generate_") and callable(function)
}
