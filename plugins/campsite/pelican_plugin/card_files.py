"""Card images: every camp's, the site's, and those of editions likely to be shared."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from ..cache_folder import cache_folder
from ..cards import SIZES, Card, CardCache
from ..colour import palette
from .filters import format_when
from .parallel import defer
from .standalone import standalone_camp

DEFAULT_COLOUR = "#2f5d50"

SHARED_FOR = timedelta(days=365)


def shared_often(edition: Any, now: datetime) -> bool:
    """Whether links to an edition's page are likely to be shared, and so
    worth a card of its own: it is to come, or over for less than a year.
    Drawing every card of ten years of editions was the slowest part of a
    cold build; an older edition shows its camp's."""
    return not edition.is_past(now - SHARED_FOR)


def card_paths(page_save_as: str) -> list[str]:
    folder = posixpath.dirname(page_save_as)
    return [posixpath.join(folder, name) for name in SIZES]


def card_jobs(generator: Any, writer: Any) -> list[tuple[Any, Callable[[], None], tuple[str, ...]]]:
    """Drawing (unless cached) and copying every camp's and edition's cards,
    and the site's, one job per card: drawing is the slowest part of a cold
    build. Each job comes with the camp or edition page it draws (None: the
    site) and the files it writes."""
    settings = generator.settings
    cache = CardCache(cache_folder(settings, "cards"))
    locale = settings["DEFAULT_LANG"].replace("-", "_")
    content = Path(settings["PATH"])
    cards = [] if standalone_camp(settings) else [  # a standalone camp's cards are the site's
        (None, Card(settings["SITENAME"], (), settings["SITENAME"], DEFAULT_COLOUR, "#ffffff"), card_paths("index.html"))]
    for camp in generator.camps:
        colours = palette(camp.model.colour or DEFAULT_COLOUR)
        logo = content / camp.model.logo if camp.model.logo else None
        base = dict(background=colours.fill, text=colours.on_fill, logo=logo)
        cards.append((camp, Card(camp.title, (camp.model.tagline or "",), settings["SITENAME"], **base), camp.cards))
        for page in camp.editions:
            if not page.draws_card:  # it shows its camp's
                continue
            edition = page.model
            details = tuple(d for d in (edition.city, format_when(edition, locale)) if d)
            cards.append((page, Card(page.title, details, camp.title, **base), page.cards[:1]))  # the rest: its camp's
    return [(owner, partial(_write_card, writer, cache, card, paths), tuple(paths[:len(SIZES)]))
            for owner, card, paths in cards]


def _write_card(writer: Any, cache: CardCache, card: Card, paths: list[str]) -> None:
    for path, size in zip(paths, SIZES.values(), strict=False):  # an edition has its Open Graph card only
        writer.link(path, cache.ensure(card, size))


def plan_cards(generator: Any, writer: Any) -> None:
    for owner, job, paths in card_jobs(generator, writer):
        defer(writer, job, paths, getattr(owner, "source_path", None), generator.card_key(owner))
