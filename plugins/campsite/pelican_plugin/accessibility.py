"""Images in articles and pages need a text alternative (WCAG 1.1.1).

Pelican only logs a warning for an image without alt text; for campsite it
is a problem to fix, reported at the line of the Markdown that has it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from ..errors import Problems
from ..messages import say
from .source import line_containing


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and not (values.get("alt") or "").strip():
            self.without_alt.append(values.get("src") or "")


def check_images_have_alt(content: Any, problems: Problems) -> None:
    parser = _Images()
    parser.feed(content._content or "")
    for src in parser.without_alt:
        name = src.replace("{static}", "").replace("{attach}", "").split("/")[-1]
        problems.add(
            content.source_path,
            line_containing(content.source_path, name),
            say('image "{name}" has no text alternative: describe it, like ![La salle Cave pendant '
                "l'ouverture]({{static}}{name})", name=name),
        )
