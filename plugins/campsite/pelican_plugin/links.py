"""Links from write-ups and pages to other files of the content.

Pelican rewrites `{static}x`, `{attach}x` and `{filename}x` into the
address of the file `x` names, relative to the linking file (or to the
content folder for `/x`), and copies every `{static}` and `{attach}`
target it can open into the site — `{static}../../../.git/config`
included, and wherever `..` leads. campsite checks each target against the
content's tree (loader/tree.py): a target outside the content folder, one
the tree refused, or one that does not exist is a problem at its line, and
the static generator only ever copies targets of the tree.
"""

from __future__ import annotations

import os
from html import unescape
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import Problems
from ..loader import ContentTree
from .source import line_containing

LINKED = {"static", "attach", "filename"}


def check_links(content: Any, tree: ContentTree, problems: Problems) -> None:
    """Report each intra-site link of `content` whose target is not a file of the tree."""
    for match in content._get_intrasite_link_regex().finditer(content._content or ""):
        what, value = match.group("what"), match.group("value")
        if what not in LINKED or not urlparse(value).path:
            continue
        targets = {target_of(content, tree, path) for path in _spellings(value)}
        if any(target in tree.files for target in targets if target is not None):
            continue
        written = unescape(f"{{{what}}}{value}")  # as in the Markdown, not as converted to HTML
        line = line_containing(content.source_path, written) or line_containing(content.source_path, unescape(value))
        problems.add(content.source_path, line, _why(written, targets, tree))


def target_of(content: Any, tree: ContentTree, path: str) -> str | None:
    """The content-relative path a link's `path` names, as Pelican resolves
    it, or None if it leaves the content folder."""
    if path.startswith("/"):
        return tree.relative(path.lstrip("/"))
    return tree.relative(os.path.join(content.relative_dir, path))


def only_tree_files(links: set[str], tree: ContentTree) -> set[str]:
    """The `{static}` targets Pelican collected that the tree holds (the
    others are reported by check_links)."""
    return {link for link in links if tree.relative(link) in tree.files}


def _spellings(value: str) -> list[str]:
    """The paths Pelican tries for a link: as written, unquoted, unescaped."""
    return [urlparse(value).path, unquote(urlparse(value).path), urlparse(unescape(value)).path]


def _why(written: str, targets: set[str | None], tree: ContentTree) -> str:
    if None in targets and len(targets) == 1:
        return f'"{written}" leaves the content folder: link only to files inside it'
    refused = next((target for target in targets if target in tree.refused), None)
    if refused is not None:
        return f'"{written}" cannot be linked: see the problem with {tree.root.name}/{refused}'
    return f'file not found: "{written}"'

