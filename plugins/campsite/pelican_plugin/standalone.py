"""Standalone microsites: one camp built as a site of its own.

With CAMPSITE_CAMP = "vinocamp" (`campsite build --camp vinocamp`), the camp
page is the home page, its editions and write-ups sit at the root, and only
that camp's content and the articles about it are built. The camp's
`website` becomes SITEURL when publishing (RELATIVE_URLS off), so each camp
can live on its own domain while the portal is built from the same
repository.
"""

from __future__ import annotations

from typing import Any

from ..loader import CAMPS_FOLDER

URLS = {
    "CAMP_URL": "",
    "CAMP_SAVE_AS": "index.html",
    "EDITION_URL": "{slug}/",
    "EDITION_SAVE_AS": "{slug}/index.html",
    "WRITEUP_URL": "{edition}/{slug}/",
    "WRITEUP_SAVE_AS": "{edition}/{slug}/index.html",
}


def standalone_camp(settings: dict[str, Any]) -> str | None:
    return settings.get("CAMPSITE_CAMP") or None


def apply_standalone(settings: dict[str, Any]) -> None:
    """Point the URL and path settings at one camp, in place."""
    camp = standalone_camp(settings)
    if camp is None:
        return
    settings.update(URLS)
    settings["CAMP_LANG_URL"], settings["CAMP_LANG_SAVE_AS"] = URLS["CAMP_URL"], URLS["CAMP_SAVE_AS"]
    settings["EDITION_LANG_URL"], settings["EDITION_LANG_SAVE_AS"] = URLS["EDITION_URL"], URLS["EDITION_SAVE_AS"]
    # The camp page is the home page.
    settings["DIRECT_TEMPLATES"] = [t for t in settings["DIRECT_TEMPLATES"] if t != "index"]
    own = f"{CAMPS_FOLDER}/{camp}"
    for key in ("ARTICLE_PATHS", "STATIC_PATHS"):
        settings[key] = [own if p == CAMPS_FOLDER else p for p in settings[key]]


def is_elsewhere(relative_path: str, settings: dict[str, Any]) -> bool:
    """A file of another camp, which a standalone build leaves out."""
    camp = standalone_camp(settings)
    if camp is None or not relative_path.startswith(f"{CAMPS_FOLDER}/"):
        return False
    return not relative_path.startswith(f"{CAMPS_FOLDER}/{camp}/")


def about_this_camp(article: Any, writeup_links: dict[str, tuple[str, str]], camp: str) -> bool:
    link = writeup_links.get(article.get_relative_source_path())
    return link is not None and link[1].split("/")[0] == camp
