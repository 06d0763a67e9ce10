"""Markdown from YAML files → safe HTML.

Descriptions in camp.yml, edition.yml and sessions.yml are written by many
hands (participants add their session through a pull request), so their
HTML is cleaned against an allow-list: formatting and links stay, scripts,
event handlers and javascript: URLs go.
"""

from __future__ import annotations

import functools
import re

import markdown
import nh3

from .characters import without_forbidden

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


def render_markdown(text: str | None) -> str:
    """Sanitised HTML for Markdown `text` ('' for none)."""
    if not text:
        return ""
    return _render(text)


@functools.lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """Kept: an edition's description is shown on its page and in its feeds."""
    html = _converter().reset().convert(text)  # reset: a Markdown object keeps state between documents
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
