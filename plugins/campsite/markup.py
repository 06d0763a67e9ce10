"""Markdown from YAML files → safe HTML.

Descriptions in camp.yml, edition.yml and sessions.yml are written by many
hands (participants add their session through a pull request), so their
HTML is cleaned against an allow-list: formatting and links stay, scripts,
event handlers and javascript: URLs go.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "a", "ul", "ol",
    "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "del", "ins", "sub", "sup", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> str:
    """Sanitised HTML for Markdown `text` ('' for none)."""
    if not text:
        return ""
    # A new Markdown object per call: Markdown instances keep state between documents.
    html = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html").convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
    )


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
    return nh3.clean(html, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES,
                     url_schemes=ALLOWED_URL_SCHEMES, link_rel=None)
