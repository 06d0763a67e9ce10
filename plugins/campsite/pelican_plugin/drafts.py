"""Drafts and hidden write-ups and pages are never published.

Pelican writes a draft under drafts/ and a hidden article or page at its
own address, only left out of listings: anyone who guesses the address
reads it, and the sitemap and the search index list it. campsite publishes
neither: their files are read and checked like any other (a draft's
mistakes are still reported), then left out of everything the build
writes — pages, listings, feeds, calendars, sitemap, search.

`campsite serve --drafts` (the CAMPSITE_DRAFTS setting) shows drafts as
published, marked as drafts on their pages, so that organisers can
proofread them; `campsite build` has no such option.
"""

from __future__ import annotations

from typing import Any

from pelican.utils import order_content

ARTICLES_UNPUBLISHED = ("drafts", "drafts_translations", "hidden_articles", "hidden_translations")
PAGES_UNPUBLISHED = ("draft_pages", "draft_translations", "hidden_pages", "hidden_translations")


def place_drafts_as_published(settings: dict[str, Any]) -> None:
    """With CAMPSITE_DRAFTS, each draft at the address it will have once
    published (Pelican's own are under drafts/), so links to it work."""
    if not settings.get("CAMPSITE_DRAFTS"):
        return
    for kind in ("", "PAGE_"):
        published = "ARTICLE_" if not kind else kind
        for setting in ("URL", "SAVE_AS", "LANG_URL", "LANG_SAVE_AS"):
            settings[f"DRAFT_{kind}{setting}"] = settings[f"{published}{setting}"]


def leave_out_unpublished_articles(generator: Any) -> None:
    """Signal article_generator_pretaxonomy (before tags and archives are made)."""
    if generator.settings.get("CAMPSITE_DRAFTS"):
        generator.articles = order_content([*generator.articles, *generator.drafts],
                                           generator.settings["ARTICLE_ORDER_BY"])
        generator.translations = [*generator.translations, *generator.drafts_translations]
    for name in ARTICLES_UNPUBLISHED:
        setattr(generator, name, [])


def leave_out_unpublished_pages(generator: Any) -> None:
    """Signal page_generator_finalized (before any page is written)."""
    if generator.settings.get("CAMPSITE_DRAFTS"):
        generator.pages = order_content([*generator.pages, *generator.draft_pages], generator.settings["PAGE_ORDER_BY"])
        generator.translations = [*generator.translations, *generator.draft_translations]
    for name in PAGES_UNPUBLISHED:
        setattr(generator, name, [])
    generator._update_context(("pages", "hidden_pages", "draft_pages"))


def unpublished(content: Any) -> bool:
    """Whether a write-up or page is one the build leaves out."""
    return getattr(content, "status", "published") in ("draft", "hidden")
