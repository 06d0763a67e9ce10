"""The last build's files, reused when what they were made from is unchanged.

Everything campsite writes about one camp (its page, feeds, calendar and
subscription page; each edition's page, calendars and barcamp-day pages)
depends on that camp alone and on the site around it. Each such job gets a
key, a digest of everything it reads:

- the site: campsite's code, the theme, the settings, the build's "now",
  and what every page shows (the camps and pages in the menu, the cities);
- the camp: every file in its folder, the write-ups about it or its
  editions, and the history (commits or modification times) of all those.

A job whose key the last build also had is not run: its files are linked
from the last output. The manifest of the last build (key → files, with
each file's inode, size and modification time) is kept in the cache
folder; a file is reused only if it is still exactly the one recorded, so a
manifest that outlived its output (a build killed at the wrong moment) is
harmless. Listings, site-wide feeds and calendars and Pelican's own pages
depend on every camp, and are always written again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1
# Settings that differ between two builds of one site without changing a byte of it.
UNRELATED_SETTINGS = {"OUTPUT_PATH", "CAMPSITE_REPORT", "CAMPSITE_PREVIOUS_OUTPUT", "CAMPSITE_WORKERS"}
CODE = Path(__file__).resolve().parents[1]  # the campsite package


class Reuse:
    def __init__(self, previous: Path, manifest: Path, site: str):
        self.previous = previous
        self.manifest = manifest
        self.site = site  # digest of what every page depends on
        self._last: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if data.get("version") == MANIFEST_VERSION:
                self._last = data["jobs"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a first build, or a damaged manifest: nothing is reused

    def key(self, camp: str, *job: str) -> str:
        return _digest([self.site, camp, *job])

    def reusable(self, key: str) -> list[str] | None:
        """The files of job `key` in the last output, if all are still there as written."""
        entry = self._last.get(key)
        if entry is None:
            return None
        for relative, recorded in entry["files"].items():
            try:
                stat = (self.previous / relative).stat()
            except OSError:
                return None
            if [stat.st_ino, stat.st_size, stat.st_mtime_ns] != recorded:
                return None
        return list(entry["files"])

    def sitemap(self, key: str) -> dict[str, datetime]:
        """The sitemap entries of a reused job's pages."""
        return {path: datetime.fromisoformat(when) for path, when in self._last[key]["sitemap"].items()}

    def save(self, output: Path, produced: dict[str, list[str]], written: dict[str, datetime]) -> None:
        """The manifest of the build in `output` (run once every job is done)."""
        jobs = {}
        for key, files in sorted(produced.items()):
            stats = {}
            for relative in files:
                stat = (output / relative).stat()
                stats[relative] = [stat.st_ino, stat.st_size, stat.st_mtime_ns]
            jobs[key] = {"files": stats,
                         "sitemap": {f: written[f].isoformat() for f in files if f in written}}
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        partial = self.manifest.with_name(f".{self.manifest.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"version": MANIFEST_VERSION, "jobs": jobs}), encoding="utf-8")
        partial.replace(self.manifest)


def site_digest(settings: dict[str, Any], theme: Path, now: datetime, shown_everywhere: Any) -> str:
    settings_text = json.dumps({k: v for k, v in settings.items() if k not in UNRELATED_SETTINGS},
                               sort_keys=True, default=_stable)
    code = sorted(CODE.rglob("*.py"))
    theme_files = sorted(p for p in theme.rglob("*") if p.is_file())
    return _digest([settings_text, now.isoformat(), repr(shown_everywhere),
                    *(_file_digest(p, CODE) for p in code), *(_file_digest(p, theme) for p in theme_files)])


def _file_digest(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() + ":" + hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _stable(value: Any) -> str:
    """Settings JSON cannot write: sets sorted; functions, classes, modules
    and other objects whose repr holds a memory address, by name."""
    if isinstance(value, set | frozenset):
        return repr(sorted(map(repr, value)))
    text = repr(value)
    if " at 0x" not in text and not text.startswith("<"):
        return text  # paths, dates…
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or type(value).__qualname__
    module = getattr(value, "__module__", None) or type(value).__module__
    return f"{module}.{name}"


def reuse_for(generator: Any, state: Any) -> Reuse | None:
    """What this build may reuse from the last one: `campsite build` says
    where the last output is, or will be (CAMPSITE_PREVIOUS_OUTPUT). Plain
    Pelican runs write everything and keep no manifest."""
    settings, context = generator.settings, generator.context
    previous = settings.get("CAMPSITE_PREVIOUS_OUTPUT")
    if not previous:
        return None
    cache = Path(settings["PATH"]).resolve().parent / settings["CAMPSITE_CACHE_PATH"] / "outputs"
    manifest = cache / (hashlib.sha256(str(Path(previous).resolve()).encode()).hexdigest()[:16] + ".json")
    # What every page shows or links: the menu, the cities, and the address
    # of every page and file ({filename} links in descriptions and write-ups).
    urls = sorted((path, getattr(obj, "url", "")) for key in ("generated_content", "static_content")
                  for path, obj in context[key].items() if obj is not None)
    shown_everywhere = (
        [(c.slug, c.title, c.url) for c in generator.camps],
        [(p.url, p.title) for p in context.get("pages", [])],
        [(c.slug, c.name) for c in generator.cities],
        context["campsite_site_feeds"], context["campsite_subscribe_url"], context["campsite_site_url"], urls,
    )
    site = site_digest(settings, Path(generator.theme), state.now, shown_everywhere)
    return Reuse(Path(previous), manifest, site)


def camp_key(state: Any, camp: Any) -> str:
    """The digest of a camp's own inputs: its folder's files and the write-ups
    about it or its editions, with their history."""
    content = state.loaded.content
    folder = content / camp.model.source.path.rsplit("/", 1)[0]
    files = [p for p in folder.rglob("*") if p.is_file()]
    for source, (_, target) in state.writeup_links.items():
        if target == camp.slug or target.startswith(f"{camp.slug}/"):
            files.append(content / source)
    return content_digest(state, files)


def content_digest(state: Any, sources: Iterable[str | Path]) -> str:
    """The digest of some content files (absolute paths) and of their history
    (commits, or modification times outside git)."""
    content = state.loaded.content
    files = sorted({Path(source).resolve() for source in sources})
    history = [state.history().revision([p.relative_to(content).as_posix()]) for p in files]
    return _digest([*(_file_digest(p, content) for p in files), *map(repr, history)])
