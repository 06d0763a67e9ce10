"""The campsite benchmark: `invoke bench` (or python benchmarks/run.py small medium).

For each size it generates synthetic content (synthetic.py, the same for the
same seed), then measures, each over several runs in fresh processes:

- a cold build (no caches) and its pages per second;
- a rebuild after touching one edition file, with the caches;
- the peak memory of the build's whole process tree (the build and any
  worker processes it starts);
- in a running `campsite serve`, the time from saving one edition file to
  its rewritten page on disk (and to the server announcing the new build);
- plain Pelican on as many Markdown pages in the same run, cold and
  rebuilding with its content cache after touching one file, so that
  campsite's figures are also ratios against it.

Then, across sizes, how the cold build grows (seconds and pages, each size
against the previous one), and the issue's targets against the largest size
measured. Prints a table and writes benchmarks/results.json and the table
at the end of docs/benchmark.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import SIZES, generate, generate_plain  # noqa: E402

NOW = "2027-01-01T00:00"  # the builds' present moment: which editions are past does not drift
SEED = 2026
MEASURE = """
import json, resource, sys, time
from pathlib import Path
started = time.monotonic()
{body}
seconds = time.monotonic() - started
out = Path(sys.argv[2])
pages = sum(1 for _ in out.rglob("*.html"))
print(json.dumps({{"seconds": seconds, "pages": pages,
                   "search_seconds": globals().get("search_seconds", 0.0),
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""
CAMPSITE = f"""
from campsite.build import build
result = build(Path(sys.argv[1]), output=Path(sys.argv[2]), now={NOW!r}, quiet=True)
assert result.ok, (result.message, result.problems[:5])
search_seconds = result.search_seconds  # Pagefind's, reported apart
"""
PELICAN = """
from pelican import Pelican
from pelican.settings import read_settings
import logging
logging.disable(logging.WARNING)
override = {"OUTPUT_PATH": sys.argv[2], **json.loads(sys.argv[3] if len(sys.argv) > 3 else "{}")}
Pelican(read_settings(sys.argv[1], override=override)).run()
"""
BUILT = re.compile(r"^Built .* in (\d+(?:\.\d+)?) s\.$", re.MULTILINE)
PELICAN_CACHE = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True, "CACHE_PATH": "cache"}
# Issue 21's targets, for the large size; build times are Pagefind's apart.
TARGETS = {
    "cold_ratio_to_pelican": (">=", 1.5, "cold build, search apart, pages/s against plain Pelican"),
    "serve_page_seconds": ("<=", 0.3, "serve: saved edition to rewritten page (s)"),
    "rebuild_seconds": ("<=", 3.0, "rebuild with caches after one edit, search apart (s)"),
    "peak_tree_mb": ("<=", 400.0, "peak memory of campsite's processes, Pagefind apart (MB, PSS)"),
    "growth_seconds_ratio": ("<=", 4.5, "large cold build time over medium's"),
    "largest_calendar_mb": ("<=", 1.0, "largest subscribable calendar (MB: Google Calendar's limit)"),
}


# Measuring one build ------------------------------------------------------

class TreeMemory(threading.Thread):
    """Samples, every 50 ms, the memory of a process and all its descendants
    (from /proc: Linux only; elsewhere it stays 0). Proportional set size
    (PSS), so that pages forked workers share with the build are counted
    once; Pagefind (a separate program, run once the pages are written) is
    kept apart, since its peak is its own."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0  # campsite's processes
        self.pagefind_mb = 0.0
        self.finished = threading.Event()
        self.page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 0.0

    def run(self) -> None:
        while not self.finished.wait(0.05):
            campsite, pagefind = self.sample()
            self.peak_mb = max(self.peak_mb, campsite)
            self.pagefind_mb = max(self.pagefind_mb, pagefind)

    def sample(self) -> tuple[float, float]:
        parents: dict[int, list[int]] = {}
        try:
            entries = os.listdir("/proc")
        except OSError:
            return 0.0, 0.0
        for entry in entries:
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                parents.setdefault(ppid, []).append(int(entry))
        campsite = pagefind = 0.0
        todo = [self.pid]
        while todo:
            pid = todo.pop()
            todo.extend(parents.get(pid, []))
            if "pagefind" in _read(f"/proc/{pid}/cmdline"):
                pagefind += self.megabytes(pid)
            else:
                campsite += self.megabytes(pid)
        return campsite, pagefind

    def megabytes(self, pid: int) -> float:
        for line in _read(f"/proc/{pid}/smaps_rollup").splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
        try:  # no smaps_rollup (old kernels): resident size, shared pages counted in each process
            return int(_read(f"/proc/{pid}/statm").split()[1]) * self.page_mb
        except (IndexError, ValueError):
            return 0.0


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def measure(body: str, settings: Path, output: Path, *extra: str) -> dict:
    """Runs `body` in a fresh Python process; its seconds, pages and memory."""
    script = MEASURE.format(body=body)
    process = subprocess.Popen([sys.executable, "-c", script, str(settings), str(output), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=settings.parent,
                               env=site_environment(settings.parent))
    memory = TreeMemory(process.pid)
    memory.start()
    try:
        stdout, stderr = process.communicate()
    finally:
        memory.finished.set()
        memory.join()
    if process.returncode != 0:
        raise RuntimeError(f"the build failed (exit {process.returncode}):\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["tree_mb"] = memory.peak_mb  # campsite's processes, Pagefind apart
    result["pagefind_mb"] = memory.pagefind_mb
    return result


def largest_calendar(output: Path) -> dict:
    """The largest calendar one subscribes to (every calendar.ics: the
    site's, camps', cities', tags'; not the yearly archives beside them nor
    an edition's event.ics), its size in bytes, and how many there are."""
    sizes = {p.relative_to(output).as_posix(): p.stat().st_size for p in output.rglob("calendar.ics")}
    path = max(sizes, key=lambda k: (sizes[k], k)) if sizes else None
    return {"path": path, "bytes": sizes[path] if path else 0, "count": len(sizes)}


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def site_environment(site: Path) -> dict[str, str]:
    """The builds' environment, with campsite's cache folder beside the
    site's content (it is the user's cache folder by default, which would
    outlive clear_caches and make every cold run after the first a warm one)."""
    return {**os.environ, "XDG_CACHE_HOME": str(site / "cache-home")}


def clear_caches(site: Path) -> None:
    """Everything the builds left beside content/: caches, and the output
    (which a build reuses from), so that every cold build starts from
    nothing, as on a fresh clone."""
    for child in site.iterdir():
        if child.is_dir() and child.name != "content":
            shutil.rmtree(child, ignore_errors=True)


# campsite serve -----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_state(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__campsite/state", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # between the two renames of the swap, or half-written
        return ""


def serve_latency(site: Path, settings: Path, edition_file: Path, runs: int,
                  first_timeout: float, edit_timeout: float) -> dict:
    """Starts `campsite serve` on the site; for each run, writes a new marker
    into one edition's summary and times how long until the edition's page
    on disk has it (polled every 10 ms), and until the server's state says
    a new build is ready."""
    output = site / "serve-output"
    log_path = site.parent / f"{site.name}-serve.log"
    port = free_port()
    command = [str(Path(sys.executable).parent / "campsite"), "serve", "-s", str(settings), "-o", str(output),
               "-b", "127.0.0.1", "-p", str(port)]
    original = edition_file.read_text(encoding="utf-8")
    summary_line = next(line for line in original.splitlines() if line.startswith("summary: "))
    with log_path.open("w", encoding="utf-8") as log:
        started = time.monotonic()
        server = subprocess.Popen(command, cwd=site, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                  env=site_environment(site))

        def fail(message: str) -> RuntimeError:
            log.flush()
            return RuntimeError(f"campsite serve: {message}\n{log_path.read_text(encoding='utf-8')[-3000:]}")

        def wait_for(test, timeout: float, every: float) -> dict:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if server.poll() is not None:
                    raise fail(f"exited with {server.returncode}")
                state = server_state(port)
                if state is not None and test(state):
                    return state
                time.sleep(every)
            raise fail(f"no new build within {timeout:.0f} s")

        try:
            state = wait_for(lambda s: s["version"] >= 1, first_timeout, 0.2)
            first_build = time.monotonic() - started
            if state["problems"]:
                raise fail(f"the first build failed: {state['problems'][:5]}")
            page = output / edition_file.parent.parent.name / edition_file.parent.name / "index.html"
            if summary_line.removeprefix("summary: ") not in read(page):
                raise fail(f"{page} is not the edition's page: its summary is not in it")
            to_page, to_state, builds = [], [], []
            for run in range(runs):
                version = state["version"]
                marker = f"campsitebench{run:03d}"
                text = original.replace(summary_line, f"summary: {marker} " + summary_line.removeprefix("summary: "))
                saved = time.monotonic()
                edition_file.write_text(text, encoding="utf-8")
                page_at = state_at = None
                next_state_poll = saved
                while page_at is None or state_at is None:
                    now = time.monotonic()
                    if now - saved > edit_timeout:
                        raise fail(f"edit {run + 1}: the page was not rewritten within {edit_timeout:.0f} s")
                    if page_at is None and marker in read(page):
                        page_at = time.monotonic() - saved
                    # The state only every 250 ms until the page is there (to
                    # see a failed build), then every 10 ms: the polling
                    # should not slow the build it times.
                    if state_at is None and (page_at is not None or now >= next_state_poll):
                        state = server_state(port) or state
                        if state["version"] > version:
                            if state["problems"]:
                                raise fail(f"edit {run + 1}: the build failed: {state['problems'][:5]}")
                            state_at = time.monotonic() - saved
                        next_state_poll = now + 0.25
                    if server.poll() is not None:
                        raise fail(f"exited with {server.returncode}")
                    time.sleep(0.01)
                to_page.append(page_at)
                to_state.append(state_at)
                state = settle(port, server, state, fail)
                # What the build itself took, as it reports it ("Built … in 3.2 s."):
                # the rest is noticing the change and starting a Python process.
                reported = BUILT.findall(log_path.read_text(encoding="utf-8"))
                if reported:
                    builds.append(float(reported[-1]))
        finally:
            edition_file.write_text(original, encoding="utf-8")
            stop(server)
    return {"runs": runs, "first_build_seconds": first_build,
            "page_seconds": summary(to_page), "state_seconds": summary(to_state),
            "build_seconds": summary(builds) if len(builds) == runs else None}


def settle(port: int, server: subprocess.Popen, state: dict, fail) -> dict:
    """Waits until no build follows for a second (one save, one build)."""
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        time.sleep(0.1)
        if server.poll() is not None:
            raise fail(f"exited with {server.returncode}")
        now = server_state(port) or state
        if now["version"] != state["version"]:
            state, quiet_since = now, time.monotonic()
    return state


def stop(server: subprocess.Popen) -> None:
    """Ctrl-C to the server's own process group (it and a running build), then a kill."""
    if server.poll() is None:
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(server.pid, sig)
            except ProcessLookupError:
                break
            try:
                server.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    try:  # a build the server started may outlive it: same group
        os.killpg(server.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# One size -------------------------------------------------------------------

def bench_size(name: str, runs: int, workdir: Path, seed: int = SEED, serve: bool = True) -> dict:
    size = SIZES[name]
    site = workdir / name
    generate(site / "content", size, seed)
    settings = site / "pelicanconf.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                        f"THEME = {str(ROOT / 'themes/campsite')!r}\nPATH = 'content'\n"
                        f"CAMPSITE_NOW = {NOW!r}\n", encoding="utf-8")
    touched = min((site / "content" / "camps").glob("*/*/edition.yml"))
    cold, rebuild, memory, tree, children, pagefind, pages = [], [], [], [], [], [], 0
    search_cold, search_rebuild = [], []
    for _ in range(runs):
        clear_caches(site)
        first = measure(CAMPSITE, settings, site / "output")
        cold.append(first["seconds"] - first["search_seconds"])
        search_cold.append(first["search_seconds"])
        memory.append(first["peak_mb"])
        children.append(first["children_peak_mb"])
        pages = first["pages"]
        calendar = largest_calendar(site / "output")  # the same every run: same content, same "now"
        touched.write_text(touched.read_text(encoding="utf-8").replace("summary: ", "summary: (modifié) ", 1),
                           encoding="utf-8")
        again = measure(CAMPSITE, settings, site / "output")
        rebuild.append(again["seconds"] - again["search_seconds"])
        search_rebuild.append(again["search_seconds"])
        tree.append(max(first["tree_mb"], again["tree_mb"]))
        pagefind.append(max(first["pagefind_mb"], again["pagefind_mb"]))
    served = None
    if serve:
        served = serve_latency(site, settings, touched, runs, first_timeout=max(300.0, 5 * max(cold)),
                               edit_timeout=max(60.0, 5 * max(rebuild)))

    plain = workdir / f"{name}-plain"
    generate_plain(plain / "content", pages, seed)
    plain_settings = plain / "pelicanconf.py"
    plain_settings.write_text(
        "PATH = 'content'\nTIMEZONE = 'Europe/Paris'\nDEFAULT_LANG = 'fr'\nSITENAME = 'plain'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n",
        encoding="utf-8")
    plain_runs = [measure(PELICAN, plain_settings, plain / "output") for _ in range(runs)]
    plain_seconds = [r["seconds"] for r in plain_runs]
    plain_pages = plain_runs[0]["pages"]
    article = min((plain / "content" / "blog").glob("*.md"))
    plain_rebuild = []
    for _ in range(runs):
        shutil.rmtree(plain / "cache", ignore_errors=True)
        measure(PELICAN, plain_settings, plain / "output", json.dumps(PELICAN_CACHE))  # fills the cache
        article.write_text(article.read_text(encoding="utf-8").replace("\n\n", "\n\n(modifié) ", 1), encoding="utf-8")
        plain_rebuild.append(measure(PELICAN, plain_settings, plain / "output", json.dumps(PELICAN_CACHE))["seconds"])

    campsite_rate = pages / statistics.median(cold)
    pelican_rate = plain_pages / statistics.median(plain_seconds)
    if size.target_pages and abs(pages - size.target_pages) > 0.15 * size.target_pages:
        print(f"warning: {name} gave {pages} pages, aimed at about {size.target_pages}: "
              "adjust SIZES in benchmarks/synthetic.py", file=sys.stderr)
    return {
        "size": name, "runs": runs, "pages": pages,
        "cold_seconds": summary(cold), "rebuild_seconds": summary(rebuild), "peak_mb": summary(memory),
        "pages_per_second": campsite_rate,
        "pelican": {"pages": plain_pages, "seconds": summary(plain_seconds), "pages_per_second": pelican_rate,
                    "rebuild_seconds": summary(plain_rebuild)},
        "ratio_to_pelican": campsite_rate / pelican_rate,
        # Added since the first version of this file:
        "seed": seed, "target_pages": size.target_pages,
        "peak_tree_mb": summary(tree), "peak_children_mb": summary(children), "pagefind_mb": summary(pagefind),
        "rebuild_ratio_to_pelican": (pages / statistics.median(rebuild))
        / (plain_pages / statistics.median(plain_rebuild)),
        "serve": served,
        "largest_calendar": calendar,
        # Since issue 21: cold_seconds and rebuild_seconds are without Pagefind's indexing, here.
        "search_seconds": {"cold": summary(search_cold), "rebuild": summary(search_rebuild)},
    }


# Across sizes -----------------------------------------------------------------

def add_growth(results: list[dict]) -> None:
    """Each size against the previous one: how much longer its cold build, for how many more pages."""
    for before, after in itertools.pairwise(results):
        after["growth"] = {
            "from": before["size"],
            "pages_ratio": after["pages"] / before["pages"],
            "cold_seconds_ratio": after["cold_seconds"]["median"] / before["cold_seconds"]["median"],
        }


def check_targets(result: dict) -> dict:
    values = {
        "cold_ratio_to_pelican": result["ratio_to_pelican"],
        "serve_page_seconds": result["serve"]["page_seconds"]["median"] if result.get("serve") else None,
        "rebuild_seconds": result["rebuild_seconds"]["median"],
        "peak_tree_mb": result["peak_tree_mb"]["median"],
        "growth_seconds_ratio": result["growth"]["cold_seconds_ratio"]
        if result.get("growth", {}).get("from") == "medium" and result["size"] == "large" else None,
        "largest_calendar_mb": result["largest_calendar"]["bytes"] / 1e6 if result.get("largest_calendar") else None,
    }
    checks = {}
    for key, (op, limit, _label) in TARGETS.items():
        value = values[key]
        met = None if value is None else {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
        checks[key] = {"value": value, "limit": limit, "met": met}
    return checks


def _search(r: dict) -> str:
    search = r.get("search_seconds")
    return f"{search['cold']['median']:.1f}, {search['rebuild']['median']:.1f}" if search else "–"


def _range(s: dict | None, digits: int = 1) -> str:
    if not s:
        return "–"
    return f"{s['median']:.{digits}f} [{s['min']:.{digits}f}–{s['max']:.{digits}f}]"


def table(results: list[dict]) -> str:
    lines = [("| size | pages | cold build (s) | rebuild after one edit (s) | search: cold, rebuild (s) | "
              "Pelican rebuild (s) | "
              "serve: save → page (s) | pages/s | Pelican pages/s | cold ratio | rebuild ratio | "
              "peak memory (MB) | Pagefind's (MB) | growth: time / pages | largest calendar (MB) |"),
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        serve = r.get("serve") or {}
        growth = r.get("growth")
        rebuild_ratio = r.get("rebuild_ratio_to_pelican")
        lines.append(
            f"| {r['size']} | {r['pages']} | {_range(r['cold_seconds'])} | {_range(r['rebuild_seconds'])} | "
            f"{_search(r)} | "
            f"{_range(r['pelican'].get('rebuild_seconds'), 2)} | {_range(serve.get('page_seconds'), 2)} | "
            f"{r['pages_per_second']:.0f} | {r['pelican']['pages_per_second']:.0f} | "
            f"{r['ratio_to_pelican']:.2f}× | {'–' if rebuild_ratio is None else f'{rebuild_ratio:.2f}×'} | "
            f"{r.get('peak_tree_mb', r['peak_mb'])['median']:.0f} | "
            + (f"{r['pagefind_mb']['median']:.0f} | " if "pagefind_mb" in r else "– | ")
            + (f"{growth['cold_seconds_ratio']:.2f}× / {growth['pages_ratio']:.2f}× {growth['from']}"
               if growth else "–") + " | "
            + (f"{r['largest_calendar']['bytes'] / 1e6:.2f}" if r.get("largest_calendar") else "–") + " |")
    return "\n".join(lines)


def verdicts(result: dict) -> str:
    lines = [f"Targets of the issue (for the large size), against **{result['size']}**:", ""]
    for key, check in result["targets"].items():
        op, limit, label = TARGETS[key]
        if check["met"] is None:
            lines.append(f"- {label} {op} {limit:g}: not measured")
        else:
            lines.append(f"- {label} {op} {limit:g}: {check['value']:.2f} — {'met' if check['met'] else 'not met'}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", metavar="size", help=f"{', '.join(SIZES)} (default: small medium)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default: 3)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"of the synthetic content (default: {SEED})")
    parser.add_argument("--no-serve", action="store_true", help="skip the campsite serve measurement")
    parser.add_argument("--no-write", action="store_true",
                        help="print only: leave benchmarks/results.json and docs/benchmark.md alone")
    args = parser.parse_args(argv)
    if unknown := [name for name in args.sizes if name not in SIZES]:
        parser.error(f"unknown size {', '.join(unknown)}: choose among {', '.join(SIZES)}")
    sizes = [name for name in SIZES if name in args.sizes] or ["small", "medium"]
    with tempfile.TemporaryDirectory(prefix="campsite-bench-") as workdir:
        results = []
        for name in sizes:
            started = time.monotonic()
            results.append(bench_size(name, args.runs, Path(workdir), args.seed, serve=not args.no_serve))
            print(f"{name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            sys.stdout.flush()
    add_growth(results)
    for result in results:
        result["targets"] = check_targets(result)
    # The targets are the large size's; a larger one shows how far they hold.
    judged = next((r for r in results if r["size"] == "large"), results[-1])
    text = table(results) + "\n\n" + verdicts(judged)
    print(text)
    if args.no_write:
        return
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    report = ROOT / "docs" / "benchmark.md"
    report.write_text(report.read_text(encoding="utf-8").split("<!-- results -->")[0] + "<!-- results -->\n\n"
                      + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
