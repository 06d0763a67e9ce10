"""What every part of the loader shares while loading one site."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import Problems
from ..yamlfile import Loc, YamlDocument, field_name
from .tree import ContentTree
from .validate import Locator


@dataclass
class LoadContext:
    content: Path  # the content folder, absolute and resolved
    problems: Problems
    default_timezone: ZoneInfo
    default_language: str
    tree: ContentTree  # what in the content folder may be read at all
    read_files: set[str] = field(default_factory=set)  # content-relative paths
    # Camps and editions ('vinocamp', 'vinocamp/2026-bordeaux') that exist but
    # could not be loaded: their problems are reported, not their absence.
    unusable: set[str] = field(default_factory=set)
    left_out: set[str] = field(default_factory=set)  # camps a standalone build skips
    edition_ids: dict[str, str] = field(default_factory=dict)  # id → first edition.yml
    assets: set[str] = field(default_factory=set)  # content-relative paths of files named in data
    refused_assets: set[str] = field(default_factory=set)  # of those, the ones reported where they are named

    def relative(self, path: Path) -> str:
        return path.relative_to(self.content).as_posix()


@dataclass
class FileReporter:
    """Reports problems about data that may come from several documents.

    An edition's data merges edition.yml with camp.yml's defaults;
    `locate` sends each field back to the document and place it came from.
    """

    ctx: LoadContext
    doc: YamlDocument
    locate: Locator | None = None

    def where(self, loc: Loc) -> tuple[YamlDocument, Loc]:
        return self.locate(loc) if self.locate else (self.doc, loc)

    def report(self, loc: Loc, message: str) -> None:
        doc, source_loc = self.where(loc)
        self.ctx.problems.add(
            doc.path, doc.line_of(source_loc), message, field_name(source_loc)
        )

    def line(self, loc: Loc) -> int:
        doc, source_loc = self.where(loc)
        return doc.line_of(source_loc)
