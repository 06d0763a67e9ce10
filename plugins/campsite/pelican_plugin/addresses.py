"""Absolute addresses, from the configured SITEURL.

Absolute URLs come from the configured SITEURL (`campsite_site_url` in the
context), not the per-page relative one Pelican puts in SITEURL when
RELATIVE_URLS is on; a local build with no SITEURL gets root-relative URLs
in its pages, and absolute ones on the preview address (PREVIEW_URL) in
its feeds, sitemap and robots.txt, whose readers resolve nothing.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

SITE_KEY = "campsite_site_url"
# Where `campsite serve` shows a local build by default (cli.py's --bind and
# --port): the base of the absolute URLs that feeds, the sitemap and
# robots.txt need when SITEURL is empty. A constant, so that a local build's
# output stays the same from one build to the next.
PREVIEW_URL = "http://127.0.0.1:8000"


def feed_site_url(site_url: str) -> str:
    """The site's address for files read without a page to resolve from
    (feeds, sitemap, robots.txt): SITEURL, or the preview address."""
    return site_url or PREVIEW_URL


def absolute(site_url: str, path: str) -> str:
    """`path` (relative to the site root) as a full URL, or root-relative."""
    path = path.lstrip("/")
    return f"{site_url.rstrip('/')}/{path}" if site_url else f"/{path}"


@pass_context
def absolute_url(context: Any, path: str) -> str:
    return absolute(context.get(SITE_KEY, ""), path or "")
