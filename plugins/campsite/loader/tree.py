"""The files of the content folder that may be read at all.

Everything under content/ comes from contributors, file names and symbolic
links included. The content folder is walked once, before anything reads
it, and every entry that could make a build read the build machine rather
than the repository is refused, with the reason, at the entry's own path:

- a symbolic link whose target lies outside the content folder (a secret
  in the home folder, /proc/self/environ, the checkout's .git/config), or
  inside a .git folder, or that points at nothing;
- anything that is neither a regular file nor a folder (a FIFO would hang
  the build, a device would read forever);
- a name holding a line break, a control character or an invisible one
  (it would break the one-line problems CI reads, and hide in listings),
  or a quote, an angle bracket or a backslash (no link can name it as
  written);
- a file larger than MAX_FILE_BYTES.

Links that stay inside the content folder are followed (a logo shared by
two camps), each folder once. The loader, Pelican's generators (whose own
walk follows every link) and the file account all take their files from
this tree, so a refused entry is never opened. Hidden entries (.git,
.DS_Store) are listed apart and never read.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..characters import FORBIDDEN, INVISIBLE, describe
from ..messages import say

MAX_FILE_BYTES = 50_000_000  # a PDF of slides, a photo; nothing a site needs is larger


@dataclass
class ContentTree:
    root: Path  # the content folder, absolute and resolved
    given: str = ""  # the content folder as settings name it, absolute (its parents' links not followed)
    files: dict[str, str] = field(default_factory=dict)  # content-relative path → the real file it reads
    folders: set[str] = field(default_factory=set)  # content-relative, "" for the root
    hidden: set[str] = field(default_factory=set)  # files under hidden names, never read
    refused: dict[str, str] = field(default_factory=dict)  # content-relative path → why
    # Each walked folder's readable entries (files and folders), sorted: a
    # folder's listing without a pass over the whole tree.
    entries: dict[str, list[str]] = field(default_factory=dict)

    def relative(self, path: Path | str) -> str | None:
        """`path` (absolute, or relative to the content folder) as the
        tree names it, or None if it is not under the content folder."""
        joined = os.path.normpath(os.path.join(self.root, path))
        for root in filter(None, (str(self.root), self.given)):  # Pelican names paths as settings do
            if joined == root:
                return ""
            if joined.startswith(root + os.sep):
                return joined[len(root) + 1:].replace(os.sep, "/")
        return None

    def is_file(self, path: Path | str) -> bool:
        return self.relative(path) in self.files

    def is_folder(self, path: Path | str) -> bool:
        return self.relative(path) in self.folders

    def folders_in(self, folder: Path) -> list[Path]:
        """The readable, visible subfolders of `folder`, sorted."""
        return [folder / name for name in self._names_in(folder, self.folders)]

    def files_in(self, folder: Path) -> list[Path]:
        """The readable, visible files directly in `folder`, sorted."""
        return [folder / name for name in self._names_in(folder, self.files)]

    def _names_in(self, folder: Path, kind: Any) -> list[str]:
        parent = self.relative(folder)
        if parent is None:
            return []
        prefix = f"{parent}/" if parent else ""
        return [name for name in self.entries.get(parent, []) if prefix + name in kind]

    def under(self, folder: str) -> Iterator[str]:
        """Every readable entry under the content-relative `folder`, in
        order, each folder before what it holds."""
        for name in self.entries.get(folder, []):
            relative = f"{folder}/{name}" if folder else name
            yield relative
            yield from self.under(relative)


def scan(content: Path) -> ContentTree:
    """The tree of `content`, walked once; none if the content folder
    itself is reached through a symbolic link of the repository."""
    tree = ContentTree(root=content.resolve(), given=os.path.abspath(content))
    if (link := _linked_folder(content)) is not None:
        if link == Path(os.path.abspath(content)):
            tree.refused[""] = say("the content folder is a symbolic link: the content folder must be a folder "
                                   "of the repository (nothing is read through the link)")
        else:
            tree.refused[""] = say("{name} is a symbolic link: the content folder must be a folder of the "
                                   "repository (nothing is read through the link)", name=link.name)
    elif tree.root.is_dir():
        tree.folders.add("")
        _walk(tree, str(tree.root), "", {_identity(str(tree.root))})
    return tree


def _linked_folder(content: Path) -> Path | None:
    """The first symbolic link on the way from the repository's top (the
    folder holding .git; without one, the content folder's parent) down
    to the content folder, or None."""
    content = Path(os.path.abspath(content))
    top = next((folder for folder in content.parents if (folder / ".git").exists()), content.parent)
    folder = content
    while folder != top and folder != folder.parent:
        if folder.is_symlink():
            return folder
        folder = folder.parent
    return None


def _walk(tree: ContentTree, real_folder: str, relative_folder: str, seen: set[tuple[int, int]]) -> None:
    try:
        entries = sorted(os.scandir(real_folder), key=lambda e: e.name)
    except OSError as error:
        tree.refused[relative_folder] = say("cannot be read ({reason})", reason=error.strerror)
        return
    for entry in entries:
        relative = f"{relative_folder}/{entry.name}" if relative_folder else entry.name
        if entry.name.startswith("."):
            _list_hidden(tree, entry, relative)
        elif why := _bad_name(entry.name):
            tree.refused[relative] = why
        elif _take(tree, entry, relative, seen):
            tree.entries.setdefault(relative_folder, []).append(entry.name)


def _take(tree: ContentTree, entry: os.DirEntry, relative: str, seen: set[tuple[int, int]]) -> bool:
    """Add `entry` to the tree, or refuse it; whether it is readable."""
    real = entry.path
    if entry.is_symlink():
        real = os.path.realpath(entry.path)
        if why := _bad_target(tree.root, real):
            tree.refused[relative] = why
            return False
    try:
        info = os.stat(real)
    except OSError:
        tree.refused[relative] = say("a symbolic link to nothing: remove it")
        return False
    if stat.S_ISDIR(info.st_mode):
        if (identity := (info.st_dev, info.st_ino)) in seen:
            return False  # a link back up: walked once, where it is
        tree.folders.add(relative)
        _walk(tree, real, relative, seen | {identity})
        return True
    if not stat.S_ISREG(info.st_mode):
        tree.refused[relative] = say("not a regular file (a device, a socket or a pipe): remove it")
    elif info.st_size > MAX_FILE_BYTES:
        tree.refused[relative] = say("too large ({size:,} bytes; the limit is {limit:,}): "
                                     "publish it elsewhere and link to it", size=info.st_size, limit=MAX_FILE_BYTES)
    else:
        tree.files[relative] = real
        return True
    return False


def _bad_target(root: Path, real: str) -> str | None:
    """Why a symbolic link to `real` (resolved) cannot be followed, or None."""
    inside = real == str(root) or real.startswith(str(root) + os.sep)
    if not inside:
        return say("a symbolic link leading outside the content folder (nothing of it is read or published): "
                   "copy the file in instead")
    if ".git" in Path(real).relative_to(root).parts:
        return say("a symbolic link into a .git folder: remove it")
    return None


_BREAKS = "\t\n\r\u2028\u2029\u0085"
_NAME_FLAWS = re.compile(f"[{_BREAKS}]|{FORBIDDEN.pattern}|{INVISIBLE.pattern}")


UNLINKABLE = '"<>\\'  # a link in Markdown or HTML cannot hold them as written


def _bad_name(name: str) -> str | None:
    if unlinkable := next((c for c in name if c in UNLINKABLE), None):
        return say("its name holds {character}, which no link can name as written: rename it",
                   character=unlinkable)
    flaw = _NAME_FLAWS.search(name)
    if flaw is None:
        return None
    if flaw.group() in _BREAKS:
        return say("its name holds a line break or tab: rename it")
    return say("its name holds a {character}: rename it", character=describe(flaw.group()))


def _list_hidden(tree: ContentTree, entry: os.DirEntry, relative: str) -> None:
    """Hidden files are never read, only counted; hidden folders (not
    links) are walked for the count, without following any link."""
    if entry.is_dir(follow_symlinks=False):
        for folder, _, names in os.walk(entry.path):
            inner = os.path.relpath(folder, entry.path).replace(os.sep, "/")
            tree.hidden.update(f"{relative}/{inner}/{name}".replace("/./", "/") for name in names)
    else:
        tree.hidden.add(relative)


def _identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino
