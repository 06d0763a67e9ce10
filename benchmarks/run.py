"""The campsite benchmark: `invoke bench` (or python benchmarks/run.py small medium).

For each size it generates synthetic content (synthetic.py), then measures,
each over several runs in fresh processes: a cold build (no caches), a
rebuild after touching one edition file (with the card cache), pages per
second and peak memory; and plain Pelican building as many Markdown pages
in the same run, so that campsite's figures are ratios against it.
Prints a table and writes benchmarks/results.json and docs/benchmark.md.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import SIZES, generate, generate_plain  # noqa: E402

MEASURE = """
import json, resource, sys, time
from pathlib import Path
started = time.monotonic()
{body}
seconds = time.monotonic() - started
out = Path(sys.argv[2])
pages = sum(1 for _ in out.rglob("*.html"))
print(json.dumps({{"seconds": seconds, "pages": pages,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
CAMPSITE = """
from campsite.build import build
result = build(Path(sys.argv[1]), output=Path(sys.argv[2]), now="2027-01-01T00:00", quiet=True)
assert result.ok, result.problems[:5]
"""
PELICAN = """
from pelican import Pelican
from pelican.settings import read_settings
import logging
logging.disable(logging.WARNING)
Pelican(read_settings(sys.argv[1], override={"OUTPUT_PATH": sys.argv[2]})).run()
"""


def measure(body: str, settings: Path, output: Path) -> dict:
    script = MEASURE.format(body=body)
    result = subprocess.run([sys.executable, "-c", script, str(settings), str(output)],
                            capture_output=True, text=True, check=True, cwd=settings.parent)
    return json.loads(result.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def bench_size(name: str, runs: int, workdir: Path) -> dict:
    site = workdir / name
    generate(site / "content", SIZES[name])
    settings = site / "pelicanconf.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                        f"THEME = {str(ROOT / 'themes/campsite')!r}\nPATH = 'content'\n", encoding="utf-8")
    cold, rebuild, memory, pages = [], [], [], 0
    for _ in range(runs):
        shutil.rmtree(site / ".campsite-cache", ignore_errors=True)
        first = measure(CAMPSITE, settings, site / "output")
        cold.append(first["seconds"])
        memory.append(first["peak_mb"])
        pages = first["pages"]
        touched = next((site / "content" / "camps").glob("*/*/edition.yml"))
        touched.write_text(touched.read_text().replace("summary: ", "summary: (modifié) ", 1))
        rebuild.append(measure(CAMPSITE, settings, site / "output")["seconds"])
    plain = workdir / f"{name}-plain"
    generate_plain(plain / "content", pages)
    (plain / "pelicanconf.py").write_text(
        "PATH = 'content'\nTIMEZONE = 'Europe/Paris'\nDEFAULT_LANG = 'fr'\nSITENAME = 'plain'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n",
        encoding="utf-8")
    plain_runs = [measure(PELICAN, plain / "pelicanconf.py", plain / "output") for _ in range(runs)]
    plain_seconds = [r["seconds"] for r in plain_runs]
    plain_pages = plain_runs[0]["pages"]
    campsite_rate = pages / statistics.median(cold)
    pelican_rate = plain_pages / statistics.median(plain_seconds)
    return {
        "size": name, "runs": runs, "pages": pages,
        "cold_seconds": summary(cold), "rebuild_seconds": summary(rebuild), "peak_mb": summary(memory),
        "pages_per_second": campsite_rate,
        "pelican": {"pages": plain_pages, "seconds": summary(plain_seconds), "pages_per_second": pelican_rate},
        "ratio_to_pelican": campsite_rate / pelican_rate,
    }


def table(results: list[dict]) -> str:
    lines = ["| size | pages | cold build (s, median [min–max]) | rebuild after one edit (s) | "
             "pages/s | plain Pelican pages/s | ratio | peak memory (MB) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        c, b, m = r["cold_seconds"], r["rebuild_seconds"], r["peak_mb"]
        lines.append(
            f"| {r['size']} | {r['pages']} | {c['median']:.1f} [{c['min']:.1f}–{c['max']:.1f}] | "
            f"{b['median']:.1f} [{b['min']:.1f}–{b['max']:.1f}] | {r['pages_per_second']:.0f} | "
            f"{r['pelican']['pages_per_second']:.0f} | {r['ratio_to_pelican']:.2f}× | {m['median']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    sizes = [a for a in argv if a in SIZES] or ["small", "medium"]
    runs = int(next((a.split("=")[1] for a in argv if a.startswith("--runs=")), "3"))
    with tempfile.TemporaryDirectory(prefix="campsite-bench-") as workdir:
        results = []
        for name in sizes:
            started = time.monotonic()
            results.append(bench_size(name, runs, Path(workdir)))
            print(f"{name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    text = table(results)
    print(text)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    report = ROOT / "docs" / "benchmark.md"
    report.write_text(report.read_text(encoding="utf-8").split("<!-- results -->")[0] + "<!-- results -->\n\n"
                      + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
