"""Characters no page, feed, calendar or terminal line may hold.

C0 and C1 control characters (but tab, line feed and carriage return) are
refused by XML (feeds, schedules, sitemap) and by iCalendar; Unicode's
noncharacters (U+FDD0–U+FDEF, and the last two code points of every plane)
make an HTML page invalid. They reach campsite as YAML escapes ("\\x01")
or Markdown character references (&#1;), never as anything a person meant.

Invisible characters change what a reader sees without showing: bidi
embeddings, overrides and isolates reorder the text around them ("Trojan
Source"), zero-width spaces and fillers split or fake a word. Titles and
names holding them are refused; bodies lose them. The joiners U+200C and
U+200D stay: Persian, Indic scripts and emoji sequences need them, as RTL
text needs the marks U+200E, U+200F and U+061C.
"""

from __future__ import annotations

import re
import unicodedata

from .messages import say

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u180e\u115f\u1160\u3164\uffa0]")
# What a terminal or a CI log must not receive raw from content: a line
# break in a file name would start a line of its own, which GitHub Actions
# reads as a workflow command ("::add-mask::…").
_UNPRINTABLE = re.compile(f"[\t\n\r\u2028\u2029\u0085{FORBIDDEN.pattern[1:-1]}{INVISIBLE.pattern[1:-1]}]")


def without_forbidden(text: str) -> str:
    return FORBIDDEN.sub("", text)


def without_invisible(text: str) -> str:
    return INVISIBLE.sub("", FORBIDDEN.sub("", text))


def describe(character: str) -> str:
    """'control character 0x01', 'invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    code = ord(character)
    if INVISIBLE.match(character):
        name = unicodedata.name(character, "")
        if not name:
            return say("invisible character U+{code:04X} (unnamed)", code=code)
        return say("invisible character U+{code:04X} ({name})", code=code, name=name)
    if code < 0xA0:
        return say("control character 0x{code:02X}", code=code)
    return say("noncharacter U+{code:04X}", code=code)


def printable(text: str) -> str:
    """`text` with every character a terminal line must not hold written as
    an escape (\\n, \\u202e), so that one problem is one line, as shown."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    return named.get(match.group()) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
