"""Read organisers' YAML as text, with the line of every value.

PyYAML's usual loaders guess types: `10:00` becomes 600, `country: NO`
becomes False, `postcode: 01000` the number 1000. This loader is built on
PyYAML's safe composer with a resolver that knows no implicit types, so every
scalar stays the text the organiser wrote; the typed model parses each field.
It also refuses what the safe loader lets through silently: duplicate keys
("last wins"), explicit tags, and alias expansions that grow without bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .characters import FORBIDDEN, INVISIBLE, describe, without_invisible
from .errors import Problems

MAX_BYTES = 1_000_000
MAX_VALUES = 50_000  # after alias expansion: stops "billion laughs" early
MAX_DEPTH = 40
NULL_WORDS = {"", "~", "null", "Null", "NULL"}

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

Loc = tuple[str | int, ...]


class _TextOnlyLoader(Reader, Scanner, Parser, Composer, BaseResolver):
    """Composes nodes; BaseResolver has no implicit resolvers, so every
    untagged scalar is tagged str and an explicit tag stands out."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)


if yaml.__with_libyaml__:  # the same composition, by libyaml: about ten times faster
    from yaml.cyaml import CParser

    class _FastTextOnlyLoader(CParser, BaseResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

    _LOADER = _FastTextOnlyLoader
else:
    _LOADER = _TextOnlyLoader


@dataclass
class YamlDocument:
    """A YAML file's data (dicts, lists, str, None) and where each value is."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of the value at `loc`, or of its nearest known parent."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


def field_name(loc: Loc) -> str:
    """('sessions', 0, 'title') → 'sessions[0].title', as messages name fields."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


class _Unreadable(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml(path: Path, problems: Problems) -> YamlDocument | None:
    """Read `path`; on any problem, report it and return None."""
    try:
        text = _read_text(path)
        node = _compose(text)
        doc = YamlDocument(path, None, {(): 1})
        converter = _Converter(doc)
        if node is not None:
            doc.data = converter.convert(node, ())
        for line, message in converter.flawed:
            problems.add(path, line, message)  # reported; the rest of the file is still checked
        if converter.duplicates:
            for line, message in converter.duplicates:
                problems.add(path, line, message)
            return None
        return doc
    except _Unreadable as error:
        problems.add(path, error.line, error.message)
        return None


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise _Unreadable(0, f"file too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})")
    try:
        # utf-8-sig: a byte-order mark, which some Windows editors add, is harmless.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        raise _Unreadable(
            line, f"not UTF-8 text (byte 0x{byte:02X}): save the file as UTF-8"
        ) from None


def _compose(text: str) -> Node | None:
    loader = _LOADER(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        lines = text.splitlines()
        tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]
        raise _Unreadable(line, _explain(error, tab)) from None
    except yaml.reader.ReaderError as error:  # a control character, which YAML refuses
        line = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        raise _Unreadable(line, f"control character 0x{code:02X}: save the file as plain text") from None
    except yaml.YAMLError as error:  # anything else the parser refuses
        raise _Unreadable(1, f"YAML syntax error: {error}") from None
    except RecursionError:
        raise _Unreadable(1, "YAML nested too deeply") from None
    finally:
        loader.dispose()


def _explain(error: yaml.MarkedYAMLError, tab_on_line: bool) -> str:
    problem = error.problem or "YAML syntax error"
    if "'\\t'" in problem or (tab_on_line and "cannot start any token" in problem):
        return "tab character: indent YAML with spaces, not tabs"
    if "expected a single document" in str(error.context):
        return "more than one YAML document (a line '---'): keep one per file"
    context = f"{error.context}, " if error.context else ""
    return f"YAML syntax error: {context}{problem}"


class _Converter:
    """Turns composed nodes into plain data, recording each value's line."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.budget = MAX_VALUES
        # Every duplicate is reported; the file is then not used, since
        # which of the two values the organiser meant is unknowable.
        self.duplicates: list[tuple[int, str]] = []
        # Values with a control character: reported, and checked further without it.
        self.flawed: list[tuple[int, str]] = []

    def convert(self, node: Node, loc: Loc) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Unreadable(
                node.start_mark.line + 1,
                f"more than {MAX_VALUES:,} values (aliases expanding without bound?)",
            )
        if len(loc) > MAX_DEPTH:
            raise _Unreadable(node.start_mark.line + 1, "YAML nested too deeply")
        self.doc.lines.setdefault(loc, node.start_mark.line + 1)
        if node.tag not in (_STR, _SEQ, _MAP):
            raise _Unreadable(
                node.start_mark.line + 1,
                f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: "
                "write plain values",
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node, loc)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        return self._mapping(node, loc)

    def _scalar(self, node: ScalarNode, loc: Loc) -> str | None:
        # Only an unquoted empty/null word means "no value": '' and "~" stay text.
        if not node.style and node.value in NULL_WORDS:  # plain: None (PyYAML) or "" (libyaml)
            return None
        # An escape such as "\x01" in a quoted string makes a character no
        # page, feed or calendar can hold; a bidi override or a zero-width
        # space hides or reorders text (characters.py).
        bad = FORBIDDEN.search(node.value) or INVISIBLE.search(node.value)
        if bad:
            where = f"{field_name(loc)}: " if loc else ""
            self.flawed.append((node.start_mark.line + 1, f"{where}{describe(bad.group())}: remove it"))
            return without_invisible(node.value)
        return node.value

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                raise _Unreadable(line, "a key must be a plain word")
            key = key_node.value
            if key in result:
                first = self.doc.lines[(*loc, key)]
                self.duplicates.append(
                    (line, f'duplicate key "{key}" (first given on line {first})')
                )
                continue
            self.doc.lines[(*loc, key)] = line
            result[key] = self.convert(value_node, (*loc, key))
        return result
