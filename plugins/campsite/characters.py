"""Characters no page, feed or calendar may hold.

C0 and C1 control characters (but tab, line feed and carriage return) are
refused by XML (feeds, schedules, sitemap) and by iCalendar; Unicode's
noncharacters (U+FDD0–U+FDEF, and the last two code points of every plane)
make an HTML page invalid. They reach campsite as YAML escapes ("\\x01")
or Markdown character references (&#1;), never as anything a person meant.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def without_forbidden(text: str) -> str:
    return FORBIDDEN.sub("", text)
