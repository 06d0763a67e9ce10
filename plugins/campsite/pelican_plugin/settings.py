"""campsite's Pelican settings: one table declares them all, and the build
checks them like any input.

Every setting campsite reads starts with CAMPSITE_ or is one of the URL
settings of its page kinds. Each is declared once, in SETTINGS: its default,
the types it accepts, a check of its value where there is one, and the words
that tell organisers what it does (docs/settings.md is generated from them:
`invoke settings_docs`). An unknown CAMPSITE_ setting is a mistake (a typo
would otherwise be silently ignored) and stops the build with a suggestion.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined

from ..cache_folder import cache_folder, committable_place
from ..errors import SettingsError, did_you_mean
from ..messages import say

NONE = type(None)


@dataclass(frozen=True)
class Setting:
    """One setting, as organisers may set it in pelicanconf.py."""

    name: str
    default: Any
    doc: str  # for organisers: docs/settings.md says it
    # The types a value may have; None passes whatever they are (a check may
    # refuse it), and NONE among them says None means something. (): not
    # checked, for Pelican's URL settings ('' or False turns a page off) and
    # for the objects the build passes itself.
    types: tuple[type, ...] = ()
    # Why a value of the right type is still wrong, or None when it is right.
    check: Callable[[str, Any], str | None] | None = None

    @property
    def required(self) -> bool:
        """Its default is no value it accepts: the build stops until it is set."""
        return self.default is None and bool(self.types) and NONE not in self.types

    def problem(self, value: Any) -> str | None:
        """Why `value` is wrong for this setting, or None."""
        if value is not None and self.types and not isinstance(value, self.types):
            return _wrong_type(self.name, self.types, value)
        return self.check(self.name, value) if self.check else None


def _a_domain_of_yours(key: str, value: Any) -> str | None:
    if value is None:
        return say(
            'set CAMPSITE_UID_DOMAIN to a domain of yours (e.g. "vinocamp.example.org"): '
            "calendar events are identified by it, so it must never change"
        )
    return None


def _one_or_more(key: str, value: Any) -> str | None:
    if isinstance(value, int) and value < 1:
        return say("{key} must be 1 or more, not {value}", key=key, value=value)
    return None


def _page_address(kind: str, url: str, what: str) -> tuple[Setting, Setting]:
    """Pelican's pair for a page kind: KIND_URL, its address, and
    KIND_SAVE_AS, its file in the output."""
    return (Setting(f"{kind}_URL", url, f"the address of {what}"),
            Setting(f"{kind}_SAVE_AS", f"{url}index.html", f"the file, in the output, of {what}"))


SETTINGS: tuple[Setting, ...] = (
    Setting("CAMPSITE_UID_DOMAIN", None, types=(str,), check=_a_domain_of_yours, doc=(
        "the domain part of calendar UIDs and feed ids, a domain of yours (e.g. `\"vinocamp.example.org\"`): "
        "set it once, never change it, or calendar apps would see every event as new")),
    Setting("CAMPSITE_TAG_DATE", "2026", types=(str,), doc=(
        "the date part of feed item ids (`tag:` URIs: `tag:<CAMPSITE_UID_DOMAIN>,<this date>:…`): "
        "never change it either, or feed readers would see every item as new")),
    # clock.py
    Setting("CAMPSITE_NOW", None, types=(str, NONE), doc=(
        "the build's present moment, an ISO date and time: what is upcoming or past, whether registration is "
        "open (what `--now` sets). `None`: `SOURCE_DATE_EPOCH`, else the last commit's time")),
    # standalone.py
    Setting("CAMPSITE_CAMP", None, types=(str, NONE), doc=(
        "build one camp as a site of its own (what `--camp` sets)")),
    Setting("CAMPSITE_CHECK_ONLY", False, types=(bool,), doc=(
        "read and check the content, write nothing (what `campsite check` sets)")),
    Setting("CAMPSITE_CALENDAR_TTL", "PT12H", types=(str,), doc=(
        "how often calendar apps are asked to refresh (an iCalendar duration)")),
    Setting("CAMPSITE_FEED_LIMIT", 50, types=(int,), doc=(
        "the most items a news feed holds, newest first")),
    Setting("CAMPSITE_TRUST_HTML", False, types=(bool,), doc=(
        "keep raw HTML written in articles and pages as it is; otherwise it is cleaned with an allow-list "
        "(no scripts, event handlers or `javascript:` links), as text from YAML files always is. Never turn it "
        "on for a site that takes pull requests: any of them could then run script on the site "
        "([security.md](security.md))")),
    # drafts.py
    Setting("CAMPSITE_DRAFTS", False, types=(bool,), doc=(
        "show drafts (`Status: draft`) as published, marked as drafts on their pages, to proofread them: what "
        "`campsite serve --drafts` sets. Otherwise drafts and hidden write-ups and pages appear nowhere in the "
        "output; never set it for a site that is published")),
    # search.py
    Setting("CAMPSITE_SEARCH", True, types=(bool,), doc=(
        "index the site for search with Pagefind after each build (the search page says when there is no "
        "index)")),
    # cache_folder.py; where it may not be is checked with the other caches, below.
    Setting("CAMPSITE_CACHE_PATH", None, types=(str, NONE), doc=(
        "where what builds keep for the next one (loaded camps, drawn card images, calendar events, converted "
        "Markdown, the last output's manifest) goes; deleting it only costs time. `None`: "
        "`$XDG_CACHE_HOME/campsite/<project>-<digest>` (else `~/.cache/…`), one folder per content folder. A "
        "path inside the content's git work tree is refused: a pull request could put files there that builds "
        "would trust ([security.md](security.md))")),
    Setting("CAMPSITE_CACHE_DAYS", 30, types=(int,), check=_one_or_more, doc=(
        "entries of the cache folder that no build has used for this many days are removed after a successful "
        "build (checked at most once a day): an edit leaves its old card, events and Markdown behind, and a "
        "cache kept by CI would otherwise grow for ever")),
    # parallel.py
    Setting("CAMPSITE_WORKERS", None, types=(int, NONE), check=_one_or_more, doc=(
        "processes that write the pages, feeds, calendars and cards; the output is byte-identical whatever the "
        "number (`1` writes everything in the build process itself). `None`: one per core")),
    # URLs of campsite's pages: Pelican takes their names from the page classes.
    *_page_address("CAMP", "{slug}/", "a camp's page"),
    *_page_address("CAMP_LANG", "{slug}/", "a camp's page in another language"),
    *_page_address("EDITION", "{camp}/{slug}/", "an edition's page"),
    *_page_address("EDITION_LANG", "{camp}/{slug}/", "an edition's page in another language"),
    # Write-ups inside an edition folder live under the edition's address.
    *_page_address("WRITEUP", "{camp}/{edition}/{slug}/", "a write-up in an edition folder"),
    *_page_address("EDITIONS", "editions/", "the list of every camp's editions"),
    *_page_address("CITIES", "cities/", "the list of cities"),
    *_page_address("CITY", "city/{slug}/", "a city's page"),
    *_page_address("SUBSCRIBE", "subscribe/", "the whole site's subscription page (each camp's is beside its page)"),
    *_page_address("SEARCH", "search/", "the search page"),
    # Pelican has no URL settings for these two; its defaults save them here.
    Setting("TAGS_URL", "tags.html", "the address of the tag index (where Pelican's `TAGS_SAVE_AS` puts it)"),
    Setting("ARCHIVES_URL", "archives.html", "the address of the archives (where Pelican's `ARCHIVES_SAVE_AS` "
            "puts them)"),
)

DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}

# Set by _take_over_tag_pages from Pelican's own, never by hand.
DERIVED = frozenset({"CAMPSITE_TAG_SAVE_AS", "CAMPSITE_TAGS_SAVE_AS"})


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in campsite's defaults and check its settings, in place."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    errors = _unknown_settings(settings)
    errors += [problem for setting in SETTINGS if (problem := setting.problem(settings[setting.name]))]
    # The caches' places depend on several settings: checked once each is right.
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


def _unknown_settings(settings: dict[str, Any]) -> list[str]:
    """A CAMPSITE_ setting campsite does not read is a typo: said with the
    known name it is closest to."""
    unknown = [key for key in settings if key.startswith("CAMPSITE_") and key not in DEFAULTS.keys() | DERIVED]
    return [say("unknown setting {key}{suggestion}", key=key, suggestion=did_you_mean(key, DEFAULTS))
            for key in sorted(unknown)]


def _wrong_type(key: str, types: tuple[type, ...], value: Any) -> str:
    """'CAMPSITE_WORKERS must be int or None, not 'x''."""
    kind = next(t for t in types if t is not NONE).__name__
    if NONE in types:
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
