"""Pelican content objects for camps and editions.

Pelican names a content kind's URL settings after its class (CAMP_URL,
EDITION_SAVE_AS…), hence the short class names. Each object carries the
model object it presents as `.model`; templates read the facts from there.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pelican.contents import Content

from ..markup import render_markdown
from ..model import site as model


class _ModelPage(Content):
    """A page presenting one model object, its Markdown description as content."""

    mandatory_properties = ("title",)

    def __init__(
        self,
        obj: model.Camp | model.Edition,
        description: str | None,
        metadata: dict[str, Any],
        settings: dict[str, Any],
        context: dict[str, Any],
    ):
        super().__init__(
            description,  # rendered when first shown: see _content
            metadata=metadata,
            settings=settings,
            source_path=str(Path(settings["PATH"]).resolve() / obj.source.path),
            context=context,
        )
        self.model = obj
        self.writeups: list[Any] = []  # articles about it, newest first

    # Rendered on first use, not when the page is made: a build that reuses
    # most pages never needs most descriptions, and the rest are rendered in
    # the workers that write the pages, on every core.
    @property
    def _content(self) -> str:
        if self._rendered is None:
            self._rendered = render_markdown(self._description)
        return self._rendered

    @_content.setter
    def _content(self, description: str | None) -> None:  # Pelican's __init__ sets it
        self._description, self._rendered = description, None

    # Pelican formats the URL settings anew, on a copy of the metadata, at
    # every lookup; listings, feeds and calendars look up each edition's
    # address thousands of times. It never changes once the object is made.
    @functools.cached_property
    def url(self) -> str:
        return super().url

    @functools.cached_property
    def save_as(self) -> str:
        return super().save_as


class Camp(_ModelPage):
    default_template = "camp"

    def __init__(self, camp: model.Camp, settings: dict[str, Any], context: dict[str, Any]):
        metadata = {
            "title": camp.name,
            "slug": camp.slug,
            "lang": camp.language or settings["DEFAULT_LANG"],
            "timezone": camp.timezone.key if camp.timezone else settings["TIMEZONE"],
            "summary": camp.tagline or "",
        }
        super().__init__(camp, camp.description, metadata, settings, context)
        self.editions: list[Edition] = []


class Edition(_ModelPage):
    default_template = "edition"

    def __init__(self, edition: model.Edition, settings: dict[str, Any], context: dict[str, Any]):
        metadata = {
            "title": edition.title,
            "slug": edition.slug,
            "camp": edition.camp.slug,
            "date": edition.start,
            "lang": edition.language or settings["DEFAULT_LANG"],
            "timezone": edition.timezone.key,
            "summary": edition.summary or "",
        }
        super().__init__(edition, edition.description, metadata, settings, context)
        self.camp_page: Camp | None = None
