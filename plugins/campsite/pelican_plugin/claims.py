"""Every output file has one owner.

Pelican stops at the second page writing one path, and lets a page whose
metadata says `Save_as:` take another page's place. campsite instead takes
every file the build plans to write — each content file's pages, feeds,
calendars and cards, static files, and the site's own pages and folders —
with its owner, and reports every file claimed twice, all at once, before
a single file is written: a write-up named like the edition's now/ page, a
page slugged `search`, a camp folder named `blog`.

The writer checks at run time that each job writes only the files it
declared (parallel.py), so no file escapes this count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..errors import Problems
from ..messages import say

Claim = tuple[str, str | None]  # (output path, the content file it comes from; None: the site's own)


def check_owners(problems: Problems, claims: Iterable[Claim], folders: Iterable[str] = ()) -> None:
    """Report each content file whose output another source also writes
    (paths compared without case: one file on macOS and Windows), or that
    falls in one of the site's own `folders` (theme/, pagefind/)."""
    owners: dict[str, dict[str | None, str]] = defaultdict(dict)
    for path, owner in claims:
        owners[path.lower()].setdefault(owner, path)
    reserved = tuple(f"{folder.strip('/').lower()}/" for folder in folders)
    for claimed in owners.values():
        if len(claimed) > 1:
            _report_shared(problems, claimed)
        for owner, path in claimed.items():
            if owner is not None and path.lower().startswith(reserved):
                problems.add(owner, 0, say("writes output/{path}, inside the site's own {folder}/ folder: "
                                           "give it another name", path=path, folder=path.split("/")[0]))


def _report_shared(problems: Problems, claimed: dict[str | None, str]) -> None:
    if all(owner is None for owner in claimed):
        raise RuntimeError(f"campsite writes {next(iter(claimed.values()))} twice")  # a bug, not content
    # A write-up named like its edition's now/ page is the write-up's to
    # rename: a camp or edition (its YAML file) is blamed only by its kind.
    blamed = [owner for owner in claimed if owner is not None and not _data_file(owner)] or list(claimed)
    for owner, path in claimed.items():
        if owner is None or owner not in blamed:
            continue
        others = [problems.display_path(other) for other in claimed if other is not None and other != owner]
        if None in claimed:
            others.append(say("one of the site's own pages or files"))
        problems.add(owner, 0, say("writes output/{path}, as does {others}: give one of them another name",
                                   path=path, others=", ".join(others)))


def content_claims(generators: Iterable[Any]) -> Iterable[Claim]:
    """The output paths of the content files, as read: articles, pages,
    static files, camps and editions (known before any output is planned)."""
    for generator in generators:
        for name in (
            "articles", "translations", "hidden_articles", "hidden_translations",
            "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
            "staticfiles",
        ):  # fmt: skip
            for item in getattr(generator, name, None) or []:
                yield item.save_as, item.source_path
        for camp in getattr(generator, "camps", []):
            yield camp.save_as, camp.source_path
            for edition in camp.editions:
                yield edition.save_as, edition.source_path


def _data_file(owner: str) -> bool:
    return owner.endswith((".yml", ".yaml"))
