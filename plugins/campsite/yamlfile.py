"""Read organisers' YAML as text, with the line of every value.

PyYAML's usual loaders guess types: `10:00` becomes 600, `country: NO`
becomes False, `postcode: 01000` the number 1000. This loader is built on
PyYAML's safe composer with a resolver that knows no implicit types, so every
scalar stays the text the organiser wrote; the typed model parses each field.
It also refuses what the safe loader lets through silently: duplicate keys
("last wins"), explicit tags, and alias expansions that grow without bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
from .messages import say

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
    def __init__(self, line: int, message: str, rewritten: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.rewritten = rewritten  # the whole text, as the message says to write it


def load_yaml(path: Path, problems: Problems) -> YamlDocument | None:
    """Read `path`; on a problem, report it and return None, unless the
    file can still be read soundly: values with a control character, a
    colon or a `#` that YAML misreads are reported, and the rest checked."""
    misread: list[tuple[int, str]] = []  # reported; the rest of the file is still checked
    try:
        text = _read_text(path)
        node, text = _compose_quoting_values(text, misread)
        doc = YamlDocument(path, None, {(): 1})
        converter = _Converter(doc, text)
        if node is not None:
            doc.data = converter.convert(node, ())
        misread += converter.flawed
        if converter.duplicates:
            misread += converter.duplicates
            return None
        return doc
    except _Unreadable as error:
        misread.append((error.line, error.message))
        return None
    finally:
        for line, message in misread:
            problems.add(path, line, message)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise _Unreadable(0, say("file too large ({size:,} bytes; the limit is {limit:,})",
                                 size=len(raw), limit=MAX_BYTES))
    try:
        # utf-8-sig: a byte-order mark, which some Windows editors add, is harmless.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = f"0x{raw[error.start]:02X}"
        raise _Unreadable(line, say("not UTF-8 text (byte {byte}): save the file as UTF-8", byte=byte)) from None


# Each quoted value means reading the file again: a few times for a large file.
MAX_QUOTED_VALUES = 20
MAX_READ_AGAIN = 2 * MAX_BYTES  # characters read again, at most


def _compose_quoting_values(text: str, quoted: list[tuple[int, str]]) -> tuple[Node | None, str]:
    """Compose `text`, and return the text composed. A plain value with a colon in it (`title: Cidre :
    pourquoi pas ?`) stops YAML, which sees a second key on the line; its
    author meant the value, so each is reported (in `quoted`) with the line
    to write instead, and the file is read as if written so, so that the
    rest of it is checked. Other syntax errors stop the reading: what follows
    them cannot be known to be what was meant."""
    for _ in range(min(MAX_QUOTED_VALUES, MAX_READ_AGAIN // max(len(text), 1))):
        try:
            return _compose(text), text
        except _Unreadable as error:
            if error.rewritten is None:
                raise
            quoted.append((error.line, error.message))
            text = error.rewritten
    return _compose(text), text


def _compose(text: str) -> Node | None:
    loader = _LOADER(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        at = error.problem_mark or error.context_mark
        line = at.line + 1 if at else 1
        if at is not None and (quoting := _value_quoted(text, at, error)):
            message, rewritten = quoting
            raise _Unreadable(line, message, rewritten) from None
        lines = text.splitlines()
        tab = at is not None and at.line < len(lines) and "\t" in lines[at.line]
        raise _Unreadable(line, _explain(error, tab)) from None
    except yaml.reader.ReaderError as error:  # a control character, which YAML refuses
        line = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        hex_code = f"0x{code:02X}"
        raise _Unreadable(line, say("control character {code}: save the file as plain text", code=hex_code)) from None
    except yaml.YAMLError as error:  # anything else the parser refuses
        raise _Unreadable(1, say("YAML syntax error: {problem}", problem=str(error))) from None
    except RecursionError:
        raise _Unreadable(1, say("YAML nested too deeply")) from None
    finally:
        loader.dispose()


def _explain(error: yaml.MarkedYAMLError, tab_on_line: bool) -> str:
    problem = error.problem or ""
    if "'\\t'" in problem or (tab_on_line and "cannot start any token" in problem):
        return say("tab character: indent YAML with spaces, not tabs")
    if "expected a single document" in str(error.context):
        return say("more than one YAML document (a line '---'): keep one per file")
    problem = _in_our_words(problem) if problem else say("YAML syntax error")
    if error.context:
        return say("YAML syntax error: {context}, {problem}", context=_in_our_words(error.context), problem=problem)
    return say("YAML syntax error: {problem}", problem=problem)


# The parsers' words for the syntax errors organisers make most (PyYAML's and
# libyaml's, which word them differently), said in the organiser's language
# when they are said. The others are said as the parser says them.
_PARSER_WORDS: dict[str, Callable[[], str]] = {
    "mapping values are not allowed here": lambda: say("mapping values are not allowed here"),
    "mapping values are not allowed in this context": lambda: say("mapping values are not allowed in this context"),
    "mapping keys are not allowed here": lambda: say("mapping keys are not allowed here"),
    "mapping keys are not allowed in this context": lambda: say("mapping keys are not allowed in this context"),
    "sequence entries are not allowed here": lambda: say("sequence entries are not allowed here"),
    "block sequence entries are not allowed in this context":
        lambda: say("block sequence entries are not allowed in this context"),
    "could not find expected ':'": lambda: say("could not find expected ':'"),
    "did not find expected key": lambda: say("did not find expected key"),
    "did not find expected '-' indicator": lambda: say("did not find expected '-' indicator"),
    "did not find expected ',' or ']'": lambda: say("did not find expected ',' or ']'"),
    "did not find expected ',' or '}'": lambda: say("did not find expected ',' or '}}'"),
    "did not find expected node content": lambda: say("did not find expected node content"),
    "found unexpected end of stream": lambda: say("found unexpected end of stream"),
    "found unexpected ':'": lambda: say("found unexpected ':'"),
    "found undefined alias": lambda: say("found undefined alias"),
    "found character that cannot start any token": lambda: say("found character that cannot start any token"),
    "found unknown escape character": lambda: say("found unknown escape character"),
    "found duplicate anchor; first occurrence": lambda: say("found duplicate anchor; first occurrence"),
    "second occurrence": lambda: say("second occurrence"),
    "found a tab character that violates indentation":
        lambda: say("found a tab character that violates indentation"),
    "found a tab character where an indentation space is expected":
        lambda: say("found a tab character where an indentation space is expected"),
    # Where the parser was: the context of its problem.
    "while parsing a block mapping": lambda: say("while parsing a block mapping"),
    "while parsing a block collection": lambda: say("while parsing a block collection"),
    "while parsing a flow sequence": lambda: say("while parsing a flow sequence"),
    "while parsing a flow mapping": lambda: say("while parsing a flow mapping"),
    "while parsing a flow node": lambda: say("while parsing a flow node"),
    "while parsing a block node": lambda: say("while parsing a block node"),
    "while parsing a quoted scalar": lambda: say("while parsing a quoted scalar"),
    "while scanning a simple key": lambda: say("while scanning a simple key"),
    "while scanning a quoted scalar": lambda: say("while scanning a quoted scalar"),
    "while scanning a double-quoted scalar": lambda: say("while scanning a double-quoted scalar"),
    "while scanning a plain scalar": lambda: say("while scanning a plain scalar"),
    "while scanning a block scalar": lambda: say("while scanning a block scalar"),
    "while scanning for the next token": lambda: say("while scanning for the next token"),
    "while scanning an alias": lambda: say("while scanning an alias"),
    "while scanning an anchor": lambda: say("while scanning an anchor"),
}

# PyYAML's words with a value in them (a character, a token, a name), as written by it.
_PARSER_PATTERNS: list[tuple[re.Pattern[str], Callable[..., str]]] = [
    (re.compile(pattern, re.DOTALL), words)
    for pattern, words in [
        (r"expected <block end>, but found (?P<found>.+)",
         # Translators: {found} is what the parser found instead, in its own terms ('<scalar>', '-', ']').
         lambda **found: say("expected <block end>, but found {found}", **found)),
        (r"expected ',' or '\]', but got (?P<found>.+)",
         lambda **found: say("expected ',' or ']', but got {found}", **found)),
        (r"expected ',' or '\}', but got (?P<found>.+)",
         lambda **found: say("expected ',' or '}}', but got {found}", **found)),
        (r"expected the node content, but found (?P<found>.+)",
         lambda **found: say("expected the node content, but found {found}", **found)),
        (r"found character (?P<character>.+) that cannot start any token",
         lambda **found: say("found character {character} that cannot start any token", **found)),
        (r"found unknown escape character (?P<character>.+)",
         lambda **found: say("found unknown escape character {character}", **found)),
        (r"found undefined alias (?P<alias>.+)",
         lambda **found: say("found undefined alias {alias}", **found)),
        (r"found duplicate anchor (?P<anchor>.+); first occurrence",
         lambda **found: say("found duplicate anchor {anchor}; first occurrence", **found)),
    ]
]


def _in_our_words(text: str) -> str:
    """The parser's `text`, in the organiser's language if it is a common one."""
    if text in _PARSER_WORDS:
        return _PARSER_WORDS[text]()
    for pattern, words in _PARSER_PATTERNS:
        if found := pattern.fullmatch(text):
            return words(**found.groupdict())
    return text


# `key: value` on one line, perhaps as a list item: where a colon in the value stops YAML.
_KEY_LINE = re.compile(r"(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>\w[\w.-]*):[ \t]+(?P<value>.*?)(?P<comment>[ \t]+#.*)?")

_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # YAML's
_NOT_PLAIN = tuple("\"'[{|>&*!%@`")  # a value starting so is quoted, flow or special: not ours to rewrite


def _value_quoted(text: str, at: yaml.Mark, error: yaml.MarkedYAMLError) -> tuple[str, str | None] | None:
    """For a colon inside a plain value on a `key: value` line: the message
    saying to quote it, and `text` with that value quoted (None for a value
    going on over the next lines, which the message cannot show)."""
    # The reader has refused the line breaks splitlines() knows and YAML does not.
    lines = text.splitlines(keepends=True)
    here = lines[at.line] if at.line < len(lines) else ""
    if "mapping values are not allowed" not in str(error.problem) or here[at.column : at.column + 1] != ":":
        return None
    body = _LINE_BREAK.split(here, maxsplit=1)[0]
    line = _KEY_LINE.fullmatch(body)
    if line is None or line.start("value") > at.column or line["value"].startswith(_NOT_PLAIN):
        return None  # the colon is the key's own: a line indented too far, most often
    if _goes_on(lines[at.line + 1 :], line.start("key")):
        return say("a colon followed by a space starts a new key: put the whole value in quotes"), None
    written = f"{line['key']}: {_double_quoted(line['value'].rstrip())}"
    if at.column + 1 == len(body):
        message = say("a colon at the end of a line starts a new key: put the value in quotes, like {written}",
                      written=written)
    else:
        message = say("a colon followed by a space starts a new key: put the value in quotes, like {written}",
                      written=written)
    lines[at.line] = f"{line['lead']}{written}{line['comment'] or ''}{here[len(body):]}"
    return message, "".join(lines)


def _goes_on(following: list[str], key_column: int) -> bool:
    """Whether a plain value goes on over the next lines: the next one with
    text is indented further than its key (a comment would end it)."""
    for next_line in following:
        if next_line.strip():
            indent = len(next_line) - len(next_line.lstrip(" "))
            return indent > key_column and not next_line.lstrip().startswith("#")
    return False


def _double_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# After a plain value, on its line: a comment to YAML, perhaps text to its author.
_TEXT_LIKE_COMMENT = re.compile(r"[ \t]+(?P<text>#[^\W_]\S*(?:[ \t]+[^#\s]\S*)*)(?:[ \t]+#.*)?[ \t]*")


def _rest_of_line(text: str, index: int) -> str:
    end = _LINE_BREAK.search(text, index)
    return text[index : end.start() if end else len(text)]


class _Converter:
    """Turns composed nodes into plain data, recording each value's line."""

    def __init__(self, doc: YamlDocument, text: str) -> None:
        self.doc = doc
        self.text = text
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
                say("more than {limit:,} values (aliases expanding without bound?)", limit=MAX_VALUES),
            )
        if len(loc) > MAX_DEPTH:
            raise _Unreadable(node.start_mark.line + 1, say("YAML nested too deeply"))
        self.doc.lines.setdefault(loc, node.start_mark.line + 1)
        if node.tag not in (_STR, _SEQ, _MAP):
            raise _Unreadable(
                node.start_mark.line + 1,
                say("YAML tag {tag} is not allowed: write plain values",
                    tag=node.tag.replace("tag:yaml.org,2002:", "!!")),
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node, loc)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        return self._mapping(node, loc)

    def _scalar(self, node: ScalarNode, loc: Loc) -> str | None:
        if not node.style:  # plain: None (PyYAML) or "" (libyaml)
            self._report_text_read_as_comment(node, loc)
        # Only an unquoted empty/null word means "no value": '' and "~" stay text.
        if not node.style and node.value in NULL_WORDS:
            return None
        # An escape such as "\x01" in a quoted string makes a character no
        # page, feed or calendar can hold; a bidi override or a zero-width
        # space hides or reorders text (characters.py).
        bad = FORBIDDEN.search(node.value) or INVISIBLE.search(node.value)
        if bad:
            where = f"{field_name(loc)}: " if loc else ""
            message = say("{character}: remove it", character=describe(bad.group()))
            self.flawed.append((node.start_mark.line + 1, f"{where}{message}"))
            return without_invisible(node.value)
        return node.value

    def _report_text_read_as_comment(self, node: ScalarNode, loc: Loc) -> None:
        """`title: Vinocamp #3` is "Vinocamp" to YAML, `tags: #vin` nothing:
        a `#` after a space starts a comment. Reported where the `#` looks
        like text, not a comment: a number after it, or a whole value."""
        comment = _TEXT_LIKE_COMMENT.fullmatch(_rest_of_line(self.text, node.end_mark.index))
        key = loc[-1] if loc else None
        if comment is None or key == "colour":  # camps.py gives a colour its own hint
            return
        whole = f"{node.value} {comment['text']}".strip()
        written = f"{key}: {_double_quoted(whole)}" if isinstance(key, str) else _double_quoted(whole)
        where = f"{field_name(loc)}: " if loc else ""
        if not node.value:
            message = say("read as empty, since # after a space starts a comment: "
                          "put the value in quotes, like {written}", written=written)
        elif comment["text"][1].isdigit():
            message = say('read as "{value}", since # after a space starts a comment: '
                          "put the value in quotes, like {written}", value=node.value, written=written)
        else:
            return  # `room: Cave #main`: most likely a comment
        self.flawed.append((node.start_mark.line + 1, f"{where}{message}"))

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                raise _Unreadable(line, say("a key must be a plain word"))
            key = key_node.value
            if key in result:
                first = self.doc.lines[(*loc, key)]
                self.duplicates.append(
                    (line, say('duplicate key "{key}" (first given on line {first})', key=key, first=first))
                )
                continue
            self.doc.lines[(*loc, key)] = line
            result[key] = self.convert(value_node, (*loc, key))
        return result
