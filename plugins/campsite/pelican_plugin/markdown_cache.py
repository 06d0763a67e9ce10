"""Markdown articles and pages converted once, then read from a cache.

Pelican converts every Markdown file at every build; with thousands of
write-ups that is a good part of a rebuild. This reader keeps each file's
HTML and metadata lines in the cache folder, by a digest of the file's bytes
and of the Markdown settings, and converts only files it has not seen. The
metadata is still interpreted by Pelican at every build (dates, tags,
summaries), so only the conversion of the body is saved.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import markdown
from markdown import Markdown
from pelican.readers import BaseReader, MarkdownReader
from pelican.utils import pelican_open

from ..cache_folder import cache_folder, used
from ..markup import TooCostly, guarded
from ..messages import say

CACHE_FORMAT = "1"


MAX_MARKDOWN_BYTES = 500_000  # a write-up or page: a long one is 30 kB
PROBLEM = "campsite_problem"  # metadata of a file that could not be read: why (writeups.py reports it)


class CachedMarkdownReader(MarkdownReader):
    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        size = Path(source_path).stat().st_size
        if size > MAX_MARKDOWN_BYTES:
            return self._unread(source_path, say("too large ({size:,} bytes; the limit is {limit:,}): "
                                                 "split it into several write-ups",
                                                 size=size, limit=MAX_MARKDOWN_BYTES))
        try:  # the body and the formatted metadata (Summary…) within one budget (markup.py)
            return guarded(lambda _: self._read(source_path), "")
        except TooCostly as error:
            return self._unread(source_path, str(error))

    def _read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        cached = self._cache_file(source_path)
        self._source_path = source_path
        try:
            entry = json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # As MarkdownReader.read, keeping the metadata lines before
            # _parse_metadata resets the converter (and with it, Meta).
            self._md = Markdown(**self.settings["MARKDOWN"])
            with pelican_open(source_path) as text:
                content = self._md.convert(text)
            meta = getattr(self._md, "Meta", None)
            entry = {"content": content, "meta": None if meta is None else {k: list(v) for k, v in meta.items()}}
            metadata = self._parse_metadata(entry["meta"]) if entry["meta"] is not None else {}
            self._store(cached, entry)  # once converted whole: a document stopped half-way is not kept
            return entry["content"], metadata
        used(cached)
        self._md = self._converter_for(entry["meta"] or {})
        return entry["content"], (self._parse_metadata(entry["meta"]) if entry["meta"] is not None else {})

    def _unread(self, source_path: str, why: str) -> tuple[str, dict[str, Any]]:
        """No content, and why: the file's page is made only to be reported."""
        return "", {"title": Path(source_path).stem, "date": self.process_metadata("date", "1970-01-01"),
                    PROBLEM: why}

    def _converter_for(self, meta: dict[str, list[str]]) -> Any:
        """What Pelican's _parse_metadata converts the formatted fields
        (Summary…) with. Making a converter costs more than reading a cached
        file, and most write-ups have no such field: then a stand-in, from
        which _parse_metadata only deregisters its metadata preprocessor."""
        formatted = {name.lower() for name in self.settings["FORMATTED_FIELDS"]}
        if any(name.lower() in formatted for name in meta):
            return Markdown(**self.settings["MARKDOWN"])
        return _NoConverter()

    def _cache_file(self, source_path: str) -> Path:
        digest = hashlib.sha256(self._recipe + b"\0" + Path(source_path).read_bytes()).hexdigest()
        return self._cache_folder / digest[:2] / f"{digest}.json"

    @functools.cached_property
    def _recipe(self) -> bytes:
        """What converting depends on besides the file: the same for every file this reader reads."""
        recipe = [CACHE_FORMAT, markdown.__version__, self.settings["MARKDOWN"]]
        return json.dumps(recipe, sort_keys=True, default=repr).encode()

    @functools.cached_property
    def _cache_folder(self) -> Path:
        return cache_folder(self.settings, "markdown")

    @staticmethod
    def _store(path: Path, entry: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)


def read_markdown_only(readers: Any) -> None:
    """Signal readers_init: Markdown is the one format campsite reads, with
    this reader wherever Pelican's Markdown reader was. Pelican's others
    can reach the build machine: reStructuredText's `include` and `raw`
    directives read any file (and `:url:` the network), and its HTML reader
    takes whole pages; files in those formats are reported (coverage.py)."""
    readers.reader_classes = {
        extension: CachedMarkdownReader if reader is MarkdownReader else reader
        for extension, reader in readers.reader_classes.items()
        if reader in (MarkdownReader, BaseReader)  # BaseReader: Pelican's "reader" of static files
    }


class _NoConverter:
    """Stands for the Markdown converter when no metadata field needs one."""

    class preprocessors:  # noqa: N801 -- Markdown's attribute
        @staticmethod
        def deregister(name: str, strict: bool = True) -> None:
            pass
