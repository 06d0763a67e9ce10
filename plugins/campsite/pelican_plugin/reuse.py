"""The last build's files, reused when what they were made from is unchanged.

Every job (a page, a feed, a calendar, a card) gets a key, a digest of
everything it shows (keys.py). A job whose key the last build also had is
not run: its files are linked from the last output, or, when the last
output is the one being updated (`campsite serve`), left where they are.

The manifest of the last build (key → files, with each file's inode, size
and modification time, and what the job's templates read, each with the
digest of what it read: recording.py) is kept in the cache folder; a job is
reused only if every read would read the same today and every file is
still exactly the one recorded, so a manifest that outlived its output (a
build killed at the wrong moment) is harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..cache_folder import cache_folder
from ..code import code_digest
from .recording import Read
from .run import RUN_KEY, run_of
from .state import KEY as STATE_KEY

MANIFEST_VERSION = 4  # 4: each job's recorded reads as one of a table of read sets, and their digests
# Settings that differ between two builds of one site without changing a byte of it.
UNRELATED_SETTINGS = {"OUTPUT_PATH", RUN_KEY, STATE_KEY, "CAMPSITE_WORKERS", "CAMPSITE_CACHE_DAYS"}


@dataclass
class Overlay:
    """Set by `campsite build` when there is a last output: the build writes
    only the files that changed into its own folder and lists here the last
    output's files it keeps; build.py then hard-links those into its folder,
    which, the complete new site, takes the last output's place in one step
    (build.py, `_complete`)."""

    kept: set[str] = field(default_factory=set)


class Reuse:
    """What one build may reuse from the last: from `previous`, the last
    output, as `manifest` records it; or, with `in_place`, from the output
    being updated, as the last update left it (`last`, kept in memory).
    With an `overlay`, reused files stay in `previous` rather than being
    linked into the new output."""

    def __init__(self, previous: Path, manifest: Path | None, site: str,
                 last: dict[str, Any] | None = None, overlay: Overlay | None = None):
        self.previous = previous
        self.manifest = manifest
        self.site = site  # digest of what every page depends on
        self.in_place = last is not None
        self.overlay = overlay
        self.kept: set[str] = set()  # keys of the jobs reused
        # The last build's table: every job's files and the number of its
        # reads ("jobs"), each set of reads that some job made ("read_sets":
        # most pages of one template read the same), and the digest each read
        # had ("reads").
        last = last or {}
        self.table: dict[str, Any] = {"jobs": {}, "read_sets": [], "reads": {}}  # this build's, once saved
        # What a recorded read would read in this build (keys.JobKeys.read_digest).
        self.read_digest: Callable[[Read], str] = lambda read: ""
        self._same: dict[str, bool] = {}  # read → whether it reads the same as last time
        self._same_set: dict[int, bool] = {}  # read set → whether all its reads do
        self._texts: dict[frozenset[Read], tuple[str, ...]] = {}  # a set of reads, as the table writes it
        if manifest is not None:
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                if data.get("version") == MANIFEST_VERSION:
                    last = data
            except (OSError, ValueError):
                pass  # a first build, or a damaged manifest: nothing is reused
        self._last: dict[str, dict[str, Any]] = last.get("jobs", {})
        self._last_sets: list[list[str]] = last.get("read_sets", [])
        self._last_reads: dict[str, str] = last.get("reads", {})

    def key(self, *parts: str) -> str:
        return digest([self.site, *parts])

    def reuse(self, key: str) -> list[str] | None:
        """The files of job `key` in the last output, if all are still there
        as written: the job is then noted as reused, and not run."""
        entry = self._last.get(key)
        if entry is None or not self._reads_unchanged(entry):
            return None
        if not self.in_place:  # in place, nothing else writes there between two updates
            previous = str(self.previous)  # os.path: tens of thousands of files, pathlib would double the time
            for relative, recorded in entry["files"].items():
                try:
                    stat = os.stat(os.path.join(previous, relative))
                except OSError:
                    return None
                if [stat.st_ino, stat.st_size, stat.st_mtime_ns] != recorded:
                    return None
        self.kept.add(key)
        return list(entry["files"])

    def _reads_unchanged(self, entry: dict[str, Any]) -> bool:
        number = entry.get("reads")
        if number is None:
            return True
        if number not in self._same_set:
            texts = self._last_sets[number] if 0 <= number < len(self._last_sets) else None
            self._same_set[number] = texts is not None and all(self._reads_the_same(text) for text in texts)
        return self._same_set[number]

    def _reads_the_same(self, text: str) -> bool:
        if text not in self._same:
            read = Read.parse(text)
            self._same[text] = read is not None and self.read_digest(read) == self._last_reads.get(text)
        return self._same[text]

    def _reads_of(self, key: str, reads: dict[str, frozenset[Read]]) -> tuple[str, ...]:
        """A job's reads as the table keeps them: a job kept read the same as
        last time (that is why it was kept)."""
        if key in self.kept:
            number = self._last[key].get("reads")
            return tuple(self._last_sets[number]) if number is not None else ()
        found = reads.get(key, frozenset())
        if found not in self._texts:
            self._texts[found] = tuple(sorted(read.text() for read in found))
        return self._texts[found]

    def _digest_of(self, text: str) -> str:
        read = Read.parse(text)
        return self.read_digest(read) if read is not None else ""

    def sitemap(self, key: str) -> dict[str, datetime | None]:
        """The sitemap entries of a reused job's pages (None: dated as the site)."""
        return {path: when and datetime.fromisoformat(when) for path, when in self._last[key]["sitemap"].items()}

    def stale(self) -> set[str]:
        """Files of the last output that no job of this build wrote or kept (once saved)."""
        now = {f for entry in self.table["jobs"].values() for f in entry["files"]}
        return {f for entry in self._last.values() for f in entry["files"]} - now

    def save(self, output: Path, produced: dict[str, list[str]], reads: dict[str, frozenset[Read]],
             written: dict[str, datetime | None]) -> None:
        """The manifest of the build in `output` (run once every job is done):
        in `table`, and unless in place, in the cache folder."""
        jobs = {}
        numbers = _ReadSets()
        for key, files in sorted(produced.items()):
            stats = {}
            folder = str(self.previous if self.overlay is not None and key in self.kept else output)
            for relative in files:
                stat = None if self.in_place else os.stat(os.path.join(folder, relative))
                stats[relative] = stat and [stat.st_ino, stat.st_size, stat.st_mtime_ns]
            jobs[key] = {"files": stats, "reads": numbers.number(self._reads_of(key, reads)),
                         "sitemap": {f: written[f] and written[f].isoformat() for f in files if f in written}}
        texts = sorted({text for read_set in numbers.sets for text in read_set})
        self.table = {"jobs": jobs, "read_sets": numbers.sets, "reads": {t: self._digest_of(t) for t in texts}}
        if self.overlay is not None:
            self.overlay.kept = {f for key in self.kept for f in jobs[key]["files"]}
        if self.manifest is None:
            return
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        partial = self.manifest.with_name(f".{self.manifest.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"version": MANIFEST_VERSION, **self.table}), encoding="utf-8")
        partial.replace(self.manifest)


class _ReadSets:
    """The table's sets of reads, each written once, numbered in order of first use."""

    def __init__(self) -> None:
        self.sets: list[list[str]] = []
        self._numbers: dict[tuple[str, ...], int] = {}

    def number(self, texts: tuple[str, ...]) -> int:
        if texts not in self._numbers:
            self._numbers[texts] = len(self.sets)
            self.sets.append(list(texts))
        return self._numbers[texts]


def site_digest(settings: dict[str, Any], theme: Path, now: datetime, shown_everywhere: Any) -> str:
    settings_text = json.dumps({k: v for k, v in settings.items() if k not in UNRELATED_SETTINGS},
                               sort_keys=True, default=_stable)
    theme_files = sorted(p for p in theme.rglob("*") if p.is_file())
    return digest([settings_text, now.isoformat(), repr(shown_everywhere), code_digest(),
                   *(_file_digest(p, theme) for p in theme_files)])


def _file_digest(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() + ":" + hashlib.sha256(path.read_bytes()).hexdigest()


def digest(parts: Iterable[str]) -> str:
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
    where the last output is, or will be (run.Run.previous_output). Plain
    Pelican runs write everything and keep no manifest."""
    if state.reuse is None:
        state.reuse = _reuse_for(generator, state)
    return state.reuse


def _reuse_for(generator: Any, state: Any) -> Reuse | None:
    settings, context = generator.settings, generator.context
    run = run_of(settings)
    live, previous = run.live, run.previous_output
    if not previous and live is None:
        return None
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
    if live is not None and live.table is not None:  # an update in place (live.py)
        return Reuse(Path(settings["OUTPUT_PATH"]), None, site, last=live.table)
    cache = cache_folder(settings, "outputs")
    manifest = cache / (hashlib.sha256(str(Path(previous).resolve()).encode()).hexdigest()[:16] + ".json")
    return Reuse(Path(previous), manifest, site, overlay=run.overlay)


def content_digest(state: Any, sources: Iterable[str | Path]) -> str:
    """The digest of some content files (absolute paths) and of their history
    (commits, or modification times outside git)."""
    content = state.loaded.content
    files = sorted({Path(os.path.abspath(source)) for source in sources})  # resolve() costs a stat per part
    history = [state.history().revision([p.relative_to(content).as_posix()]) for p in files]
    return digest([*(_known_file_digest(p, content, state.memory.file_digests) for p in files), *map(repr, history)])


def _known_file_digest(path: Path, root: Path, known: dict[Path, tuple[Any, str]]) -> str:
    """`_file_digest`, remembered while the file's size and times are unchanged
    (`campsite serve` keeps the memory from one update to the next)."""
    try:
        stat = path.stat()
    except OSError:
        return path.relative_to(root).as_posix() + ":missing"
    signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    entry = known.get(path)
    if entry is None or entry[0] != signature:
        entry = known[path] = (signature, _file_digest(path, root))
    return entry[1]
