"""Pelican content objects for camps and editions.

Pelican names a content kind's URL settings after its class (CAMP_URL,
EDITION_SAVE_AS…), hence the short class names. Each object carries the
model object it presents as `.model`; templates read the facts from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.contents import Content

from ..markup import render_markdown
from ..model import site as model


class Camp(Content):
    mandatory_properties = ("title",)
    default_template = "camp"

    def __init__(self, camp: model.Camp, settings: dict[str, Any], context: dict[str, Any]):
        metadata = {
            "title": camp.name,
            "slug": camp.slug,
            "lang": camp.language or settings["DEFAULT_LANG"],
            "timezone": (camp.timezone.key if camp.timezone else settings["TIMEZONE"]),
            "summary": camp.tagline or "",
        }
        super().__init__(
            render_markdown(camp.description),
            metadata=metadata,
            settings=settings,
            source_path=str(_absolute(settings, camp.source.path)),
            context=context,
        )
        self.model = camp
        self.editions: list[Edition] = []
        self.writeups: list[Any] = []


class Edition(Content):
    mandatory_properties = ("title",)
    default_template = "edition"

    def __init__(
        self, edition: model.Edition, settings: dict[str, Any], context: dict[str, Any]
    ):
        metadata = {
            "title": edition.title,
            "slug": edition.slug,
            "camp": edition.camp.slug,
            "date": edition.start,
            "lang": edition.language or settings["DEFAULT_LANG"],
            "timezone": edition.timezone.key,
            "summary": edition.summary or "",
            "tags": [],
        }
        super().__init__(
            render_markdown(edition.description),
            metadata=metadata,
            settings=settings,
            source_path=str(_absolute(settings, edition.source.path)),
            context=context,
        )
        self.model = edition
        self.camp_page: Camp | None = None
        self.writeups: list[Any] = []


def _absolute(settings: dict[str, Any], relative: str) -> Path:
    return Path(settings["PATH"]).resolve() / relative
