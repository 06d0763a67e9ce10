"""JSON-LD for Pelican's articles (a Jinja global of the article template)."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from ..structured_data import blog_posting, to_script, when
from .addresses import SITE_KEY, absolute


@pass_context
def article_jsonld(context: Any, article: Any) -> Markup:
    """A BlogPosting, `about` the edition or camp it belongs to."""
    site_url = context.get(SITE_KEY, "")

    def url(path: str) -> str:
        return absolute(site_url, path)

    about = None
    edition = getattr(article, "edition", None)
    camp = getattr(article, "camp", None)
    if getattr(edition, "model", None) is not None:
        about = {"@type": "Event", "name": edition.title, "url": url(edition.url),
                 "startDate": when(edition.model.start, edition.model.all_day)}
    elif getattr(camp, "model", None) is not None:
        about = {"@type": "EventSeries", "name": camp.title, "url": url(camp.url)}
    authors = [a.name for a in getattr(article, "authors", [])]
    data = blog_posting(article.title, article.url, article.date, authors, about, url)
    return Markup(to_script(data))  # noqa: S704 -- json.dumps output, with </ escaped
