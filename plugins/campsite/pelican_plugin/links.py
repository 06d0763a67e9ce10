"""Links from write-ups and pages to other files of the content.

Organisers write `![La salle](photo.jpg)` next to their write-up, as any
Markdown editor or forge preview shows it; but the write-up is published
at its own address, away from the photo. So a relative link to a file
(`photo.jpg`, `photos/1.jpg`, `slides.pdf`, `autre-compte-rendu.md`) is
read as Pelican's `{static}` (or `{filename}`, for a Markdown file):
Pelican then copies the file and writes its address, on a standalone
camp's domain too. A relative link to a file that does not exist is a
problem at its line; a link to an address (`../a-propos/`) is left alone.

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
import posixpath
import re
from html import unescape
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import Problems
from ..loader import ContentTree
from ..messages import say
from .source import line_containing

MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")

LINKED = {"static", "attach", "filename"}
# An attribute holding an address, quoted (as Markdown writes it); the
# value, when it is relative: no scheme, not from the root, not a fragment.
RELATIVE_LINK = re.compile(
    r"""(?P<markup><[^>]+\s(?:href|src|poster)\s*=\s*)(?P<quote>["'])"""
    r"""(?P<value>(?![a-zA-Z][a-zA-Z0-9+.-]*:|[/#?{|]|\.?$)[^"'<>]*)(?P=quote)""")
FILE_NAME = re.compile(r"[^/]+\.[A-Za-z0-9]{1,8}")  # what names a file rather than an address


def mark_relative_files(content: Any, tree: ContentTree, problems: Problems) -> None:
    """Read relative links to files as `{static}` or `{filename}` links
    (before Pelican collects what to copy), and report those to no file."""

    def marked(match: re.Match[str]) -> str:
        value = match.group("value")
        path = urlparse(value).path
        if not FILE_NAME.fullmatch(path.rsplit("/", 1)[-1]):
            return match.group(0)  # an address of the site (../a-propos/), not a file
        targets = {target_of(content, tree, spelling) for spelling in _spellings(value)}
        target = next((t for t in targets if t in tree.files), None)
        if target is None:
            line = line_containing(content.source_path, unescape(value))
            problems.add(content.source_path, line, _why(unescape(value), targets, tree, folder_of(content, tree)))
            return match.group(0)
        what = "filename" if target.endswith(MARKDOWN) else "static"
        return f"{match.group('markup')}{match.group('quote')}{{{what}}}{value}{match.group('quote')}"

    content._content = RELATIVE_LINK.sub(marked, content._content or "")


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


def folder_of(content: Any, tree: ContentTree) -> str:
    """The linking file's folder, as problems name it (content/camps/…)."""
    return posixpath.join(tree.root.name, content.relative_dir) if content.relative_dir else tree.root.name


def _why(written: str, targets: set[str | None], tree: ContentTree, folder: str = "") -> str:
    if None in targets and len(targets) == 1:
        return say('"{link}" leaves the content folder: link only to files inside it', link=written)
    refused = next((target for target in targets if target in tree.refused), None)
    if refused is not None:
        return say('"{link}" cannot be linked: see the problem with {path}', link=written,
                   path=posixpath.join(tree.root.name, refused))
    if folder:
        return say('file not found: "{link}" (looked in {folder}/)', link=written, folder=folder)
    return say('file not found: "{link}"', link=written)


