"""campsite's Pelican settings: their defaults, checked like any input.

Every setting campsite reads starts with CAMPSITE_ or is one of the URL
settings of its page kinds. An unknown CAMPSITE_ setting is a mistake (a
typo would otherwise be silently ignored) and stops the build with a
suggestion.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined

from ..cache_folder import cache_folder, committable_place
from ..errors import SettingsError, did_you_mean
from ..messages import say

DEFAULTS: dict[str, Any] = {
    # The build's "now" (upcoming vs past, registration open or not): an ISO
    # datetime. None: SOURCE_DATE_EPOCH, else the last commit's time (clock.py).
    "CAMPSITE_NOW": None,
    # Stop after the content is read and checked; write nothing.
    "CAMPSITE_CHECK_ONLY": False,
    # Build one camp as a site of its own (standalone.py).
    "CAMPSITE_CAMP": None,
    # The domain part of every calendar UID. Never change it once published:
    # calendar apps would see every event as new.
    "CAMPSITE_UID_DOMAIN": None,
    # How often calendar apps are asked to refresh (an iCalendar duration).
    "CAMPSITE_CALENDAR_TTL": "PT12H",
    # Feed item ids are tag: URIs, tag:<CAMPSITE_UID_DOMAIN>,<this date>:…;
    # like the domain, never change it once published.
    "CAMPSITE_TAG_DATE": "2026",
    # The most items a feed holds, newest first.
    "CAMPSITE_FEED_LIMIT": 50,
    # Keep raw HTML (scripts, event handlers…) written in articles and pages.
    # Off: their HTML is cleaned with an allow-list, as YAML text always is.
    "CAMPSITE_TRUST_HTML": False,
    # Show drafts as published, marked as drafts (`campsite serve --drafts`
    # sets it, to proofread): never for a site that is published (drafts.py).
    "CAMPSITE_DRAFTS": False,
    # Index the site for search with Pagefind after each build.
    "CAMPSITE_SEARCH": True,
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
    # What builds keep for the next one (cache_folder.py). None: in the user's
    # cache folder, never in the repository, where a pull request could put files.
    "CAMPSITE_CACHE_PATH": None,
    # Entries of that folder no build has used for this many days are removed.
    "CAMPSITE_CACHE_DAYS": 30,
    # Processes writing pages, feeds, calendars and cards (parallel.py). The
    # output is the same whatever the number. None: one per core.
    "CAMPSITE_WORKERS": None,
    # Set by `campsite build`, not by hand: a report.FileAccount the build
    # fills in, for the summary line that accounts for every content file.
    "CAMPSITE_REPORT": None,
    # Set by `campsite build`, not by hand: the last build's output, whose
    # files are reused where their inputs have not changed (reuse.py).
    "CAMPSITE_PREVIOUS_OUTPUT": None,
    # Set by `campsite build`, not by hand, when there is a last output: the
    # build writes only what changed, to be moved over it (reuse.Overlay).
    "CAMPSITE_OVERLAY": None,
    # Set by `campsite serve`: the site it keeps and updates in place (live.py).
    "CAMPSITE_LIVE": None,
    # URLs of campsite's pages (Pelican takes them from the class names).
    "CAMP_URL": "{slug}/",
    "CAMP_SAVE_AS": "{slug}/index.html",
    "CAMP_LANG_URL": "{slug}/",
    "CAMP_LANG_SAVE_AS": "{slug}/index.html",
    "EDITION_URL": "{camp}/{slug}/",
    "EDITION_SAVE_AS": "{camp}/{slug}/index.html",
    "EDITION_LANG_URL": "{camp}/{slug}/",
    "EDITION_LANG_SAVE_AS": "{camp}/{slug}/index.html",
    # Write-ups inside an edition folder live under the edition's address.
    "WRITEUP_URL": "{camp}/{edition}/{slug}/",
    "WRITEUP_SAVE_AS": "{camp}/{edition}/{slug}/index.html",
    # Listings across camps.
    "EDITIONS_URL": "editions/",
    "EDITIONS_SAVE_AS": "editions/index.html",
    "CITIES_URL": "cities/",
    "CITIES_SAVE_AS": "cities/index.html",
    "CITY_URL": "city/{slug}/",
    "CITY_SAVE_AS": "city/{slug}/index.html",
    # The subscription pages: the whole site's, and each camp's beside its page.
    "SUBSCRIBE_URL": "subscribe/",
    "SUBSCRIBE_SAVE_AS": "subscribe/index.html",
    # Pelican has no URL settings for these two; its defaults save them here.
    "TAGS_URL": "tags.html",
    "ARCHIVES_URL": "archives.html",
}

_TYPES: dict[str, tuple[type, ...]] = {
    "CAMPSITE_NOW": (str, type(None)),
    "CAMPSITE_CHECK_ONLY": (bool,),
    "CAMPSITE_CAMP": (str, type(None)),
    "CAMPSITE_UID_DOMAIN": (str,),
    "CAMPSITE_CALENDAR_TTL": (str,),
    "CAMPSITE_TAG_DATE": (str,),
    "CAMPSITE_FEED_LIMIT": (int,),
    "CAMPSITE_CACHE_PATH": (str, type(None)),
    "CAMPSITE_CACHE_DAYS": (int,),
    "CAMPSITE_WORKERS": (int, type(None)),
    "CAMPSITE_SEARCH": (bool,),
    "CAMPSITE_DRAFTS": (bool,),
    "CAMPSITE_TRUST_HTML": (bool,),
}


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in campsite's defaults and check its settings, in place."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    derived = {"CAMPSITE_TAG_SAVE_AS", "CAMPSITE_TAGS_SAVE_AS"}
    unknown = [k for k in settings if k.startswith("CAMPSITE_") and k not in DEFAULTS.keys() | derived]
    errors = [say("unknown setting {key}{suggestion}", key=k, suggestion=did_you_mean(k, DEFAULTS))
              for k in sorted(unknown)]
    if settings["CAMPSITE_UID_DOMAIN"] is None:
        errors.append(say(
            'set CAMPSITE_UID_DOMAIN to a domain of yours (e.g. "vinocamp.example.org"): '
            "calendar events are identified by it, so it must never change"
        ))
    for key, types in _TYPES.items():
        if settings[key] is not None and not isinstance(settings[key], types):
            errors.append(_wrong_type(key, types, settings[key]))
    for key in ("CAMPSITE_WORKERS", "CAMPSITE_CACHE_DAYS"):
        if isinstance(settings[key], int) and settings[key] < 1:
            errors.append(say("{key} must be 1 or more, not {value}", key=key, value=settings[key]))
    if not errors:
        errors += _caches_outside_the_repository(settings)
    if errors:
        raise SettingsError("; ".join(errors))
    settings["CAMPSITE_WORKERS"] = settings["CAMPSITE_WORKERS"] or _cores()
    _take_over_tag_pages(settings)
    # One coherent set of feeds, campsite's (feed_files.py): Pelican's are off.
    for key in [k for k in settings if k.endswith(("_ATOM", "_RSS")) and "FEED" in k]:
        settings[key] = None
    # Everything campsite renders is escaped unless marked safe: text from
    # YAML files must never become markup by accident.
    jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
    jinja["autoescape"] = True
    jinja["extensions"] = list(dict.fromkeys([*jinja.get("extensions", []), "jinja2.ext.i18n"]))
    # A misspelt variable fails the build instead of rendering as nothing.
    jinja.setdefault("undefined", StrictUndefined)
    settings["JINJA_ENVIRONMENT"] = jinja


def _wrong_type(key: str, types: tuple[type, ...], value: Any) -> str:
    """'CAMPSITE_WORKERS must be int or None, not 'x''."""
    kind = next(t for t in types if t is not type(None)).__name__
    if type(None) in types:
        return say("{key} must be {type} or None, not {value}", key=key, type=kind, value=repr(value))
    return say("{key} must be {type}, not {value}", key=key, type=kind, value=repr(value))


def _caches_outside_the_repository(settings: dict[str, Any]) -> list[str]:
    """Caches are trusted to stand for what made them, and Pelican's own is
    pickled (code, to Python): none may lie where a pull request could put
    files (cache_folder.py)."""
    errors = []
    if (tree := committable_place(settings, cache_folder(settings))) is not None:
        errors.append(say("CAMPSITE_CACHE_PATH is inside the git work tree {tree}, where a pull request could "
                          "put files that builds would trust: leave it unset (the user's cache folder) or point "
                          "it outside the repository", tree=tree))
    pelicans = Path(settings.get("CACHE_PATH") or "cache")
    if settings.get("LOAD_CONTENT_CACHE") and (tree := committable_place(settings, pelicans)) is not None:
        errors.append(say("LOAD_CONTENT_CACHE reads Pelican's pickled cache from CACHE_PATH, inside the git work "
                          "tree {tree}, where a pull request could put one that runs code: turn it off (campsite "
                          "keeps its own cache) or point CACHE_PATH outside the repository", tree=tree))
    return errors


def _cores() -> int:
    """The cores this process may use (a container may get fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _take_over_tag_pages(settings: dict[str, Any]) -> None:
    """campsite writes the tag pages (editions and articles) and the tag
    index at Pelican's TAG_SAVE_AS and TAGS_SAVE_AS, instead of Pelican."""
    if "CAMPSITE_TAG_SAVE_AS" in settings:  # already done for these settings
        return
    settings["CAMPSITE_TAG_SAVE_AS"] = settings["TAG_SAVE_AS"]
    settings["CAMPSITE_TAGS_SAVE_AS"] = settings["TAGS_SAVE_AS"]
    settings["TAG_SAVE_AS"] = ""
    settings["TAGS_SAVE_AS"] = ""
    settings["DIRECT_TEMPLATES"] = [t for t in settings["DIRECT_TEMPLATES"] if t != "tags"]
