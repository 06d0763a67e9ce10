"""Markdown from YAML files → safe HTML, and the bound on converting any Markdown.

Descriptions in camp.yml, edition.yml and sessions.yml are written by many
hands (participants add their session through a pull request), so their
HTML is cleaned against an allow-list: formatting and links stay, scripts,
event handlers and javascript: URLs go.

Python-Markdown is quadratic or worse on many inputs a few kilobytes long
(an unclosed `[` repeated, nested fences, footnote and abbreviation
markers, setext headings…): 10,000 `[` take 17 s, 40,000 take three
minutes, and definition lists nest into a RecursionError. Bounding the size
cannot help (2 kB of `[` already take half a second), and refusing the
patterns one by one would miss the next. So every conversion runs under a
budget of processor time (`guarded`): past it, the document is refused as
too costly, whatever made it so. Texts of up to SHORT_TEXT characters need
no check beforehand: the worst input measured of that size converts in
under a second (docs/security.md), far inside the budget.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import markdown
import nh3

from .characters import without_forbidden
from .messages import say

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "a", "ul", "ol",
    "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "del", "ins", "sub", "sup", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Pelican rewrites {filename}x, {tag}x, |static|x… links after cleaning, and
# keeps the scheme of what follows the marker: "{}javascript:…" would come
# out as "javascript:…". Such a link is judged by what follows the marker.
INTRASITE_MARKER = re.compile(r"^[{|][^}|]*[}|]")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")  # browsers skip these in a scheme


def _safe_url(element: str, attribute: str, value: str) -> str | None:
    if attribute not in ("href", "src"):
        return value
    target = INTRASITE_MARKER.sub("", IGNORED_IN_URLS.sub("", value)).lower()
    scheme = SCHEME.match(target)
    return None if scheme and scheme.group(1) not in ALLOWED_URL_SCHEMES else value


MARKDOWN_SECONDS = 2.0  # processor time one document may take: a legitimate 480 kB write-up takes 0.33 s
SHORT_TEXT = 2_000  # characters: converts in under a second, whatever it holds


class TooCostly(Exception):
    """Converting a document went past its budget: the reason, for the
    organiser, said in the language spoken when it is said (`str()`), as
    markdown_flaw keeps its outcome across builds."""

    def __init__(self, seconds: float | None = None) -> None:
        super().__init__(seconds)
        self.seconds = seconds  # the budget it went past; None: it nests too deeply

    def __str__(self) -> str:
        if self.seconds is None:
            return say("nested too deeply to convert: flatten its lists, quotes or definitions")
        return say("takes more than {seconds:g} s to convert: split it, or simplify its markup", seconds=self.seconds)


def guarded(convert: Callable[[str], str], text: str) -> str:
    """`convert(text)`, within MARKDOWN_SECONDS of processor time; raises
    TooCostly past it, or when the text nests too deeply to convert."""
    try:
        with _processor_budget(MARKDOWN_SECONDS):
            return convert(text)
    except RecursionError:
        raise TooCostly() from None


@contextmanager
def _processor_budget(seconds: float) -> Iterator[None]:
    """SIGPROF after `seconds` of this process's processor time, raised as
    TooCostly (regular expressions stop for it too). Signals reach only the
    main thread: elsewhere (a server's watcher) the budget does not apply."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TooCostly(seconds)

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def markdown_flaw(text: str) -> str | None:
    """Why a Markdown text from a YAML file cannot be converted, or None.
    Short texts are fast whatever they hold; longer ones are converted
    once here (and kept: pages then take them from the cache)."""
    flaw = _conversion_flaw(text)
    return str(flaw) if flaw is not None else None  # said now, in the language spoken


@functools.lru_cache(maxsize=1024)  # a camp's default description is checked with each edition
def _conversion_flaw(text: str) -> TooCostly | None:
    if len(text) <= SHORT_TEXT:
        return None
    try:
        render_markdown(text)
    except TooCostly as error:
        error.__traceback__ = error.__context__ = None  # kept without the frames it went through
        return error
    return None


def render_markdown(text: str | None) -> str:
    """Sanitised HTML for Markdown `text` ('' for none)."""
    if not text:
        return ""
    return _render(text)


@functools.lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """Kept: an edition's description is shown on its page and in its feeds."""
    # reset: a Markdown object keeps state between documents (and after a
    # conversion stopped half-way)
    html = guarded(_converter().reset().convert, text)
    return _clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_safe_url,
        link_rel="noopener nofollow",
    )


@functools.cache
def _converter() -> markdown.Markdown:
    """One per process: making one costs more than converting a description."""
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


# Write-ups and pages are organisers' own Markdown: more may stay (figures,
# code highlighting, tables with classes), but never scripts or handlers.
ARTICLE_TAGS = ALLOWED_TAGS | {"figure", "figcaption", "div", "span", "h1", "dl", "dt", "dd", "kbd",
                               "mark", "small", "details", "summary", "caption", "colgroup", "col"}
ARTICLE_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "*": {"class", "id", "lang", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "a": {"href", "title", "rel"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


def sanitise_article(html: str) -> str:
    """An article's HTML with anything that could run removed."""
    return _clean(html, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES,
                  url_schemes=ALLOWED_URL_SCHEMES, attribute_filter=_safe_url, link_rel=None)


def _clean(html: str, **allowed: object) -> str:
    """nh3's allow-list; then characters no page or feed may hold, which a
    character reference (&#1;) would otherwise bring back (characters.py)."""
    return without_forbidden(nh3.clean(html, **allowed))
