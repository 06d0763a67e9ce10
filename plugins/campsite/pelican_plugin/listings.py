"""Listing pages across camps: all editions, per city, per tag.

Tag pages gather editions (with their own and their camp's tags) and
articles; campsite writes them in place of Pelican's article-only ones, at
Pelican's TAG_URL, so that a tag link from an article leads to everything
with that tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pelican.urlwrappers import Tag, URLWrapper

from .feed_files import feed_paths


class City(URLWrapper):
    """A city page: Pelican builds its URL from CITY_URL and CITY_SAVE_AS."""

    def __init__(self, name: str, settings: dict[str, Any]):
        super().__init__(name, settings)
        self.editions: list[Any] = []


@dataclass
class TagListing:
    tag: Tag
    save_as: str  # campsite's tag page, at Pelican's TAG_SAVE_AS
    editions: list[Any] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.editions) + len(self.articles)


def cities(edition_pages: list[Any], settings: dict[str, Any]) -> list[City]:
    """Every city with editions, by name; editions soonest first."""
    by_slug: dict[str, City] = {}
    by_name: dict[str, City] = {}  # slugifying is slow, and thousands of editions share a few cities
    for page in edition_pages:
        name = page.model.city
        if not name:
            continue
        if name not in by_name:
            city = City(name, settings)
            by_name[name] = by_slug.setdefault(city.slug, city)
        by_name[name].editions.append(page)
    return sorted(by_slug.values(), key=lambda c: c.slug)


def tag_listings(
    edition_pages: list[Any], articles: list[Any], settings: dict[str, Any]
) -> list[TagListing]:
    """Every tag of an edition (or its camp) or an article, by slug."""
    listings: dict[str, TagListing] = {}
    by_name: dict[str, TagListing] = {}  # slugifying is slow, and tens of thousands of editions have tags

    def listing(name: Any) -> TagListing:
        if not isinstance(name, Tag) and str(name) in by_name:
            return by_name[str(name)]
        tag = name if isinstance(name, Tag) else Tag(str(name), settings)
        save_as = settings["CAMPSITE_TAG_SAVE_AS"].format(slug=tag.slug)
        found = listings.setdefault(tag.slug, TagListing(tag, save_as))
        if not isinstance(name, Tag):
            by_name[str(name)] = found
        return found

    for page in edition_pages:
        # "vin" on the camp and "Vin" on the edition are one tag page: list the edition once.
        names = [*page.model.tags, *page.model.camp.tags]
        for tag in {id(listing(name)): listing(name) for name in names}.values():
            tag.editions.append(page)
    for article in articles:
        for tag in getattr(article, "tags", []):
            listing(tag).articles.append(article)
    return sorted(listings.values(), key=lambda t: t.tag.slug)


def plan_listing_pages(generator: Any, writer: Any) -> None:
    """The editions, cities, city, tags, tag, search and 404 pages."""
    settings = generator.settings
    generator.write_page(writer, settings["EDITIONS_SAVE_AS"], "editions", settings["EDITIONS_URL"],
                    key=generator.listing_key("editions", editions=generator.editions))
    counts = [f"{city.slug}={len(city.editions)}" for city in generator.cities]
    generator.write_page(writer, settings["CITIES_SAVE_AS"], "cities", settings["CITIES_URL"],
                    key=generator.listing_key("cities", *counts))
    for city in generator.cities:
        generator.write_page(writer, city.save_as, "city", city.url, city=city,
                        key=generator.listing_key(city.save_as, editions=city.editions))
    counts = [f"{listing.tag.slug}={listing.tag.name}={listing.count}" for listing in generator.tag_listings]
    generator.write_page(writer, settings["CAMPSITE_TAGS_SAVE_AS"], "tags", settings["TAGS_URL"],
                    key=generator.listing_key("tags", *counts))
    for listing in generator.tag_listings:
        generator.write_page(writer, listing.save_as,
                        "tag", listing.tag.url, tag=listing.tag,
                        editions=listing.editions, articles=listing.articles,
                        tag_feeds=feed_paths(listing.save_as),
                        key=generator.listing_key(listing.save_as, editions=listing.editions, articles=listing.articles))
    generator.write_page(writer, settings["SEARCH_SAVE_AS"], "search", settings["SEARCH_URL"],
                    key=generator.listing_key("search"))
    # The 404 page is served at any depth: its links must not be relative.
    writer.write_file("404.html", generator.get_template("404"), generator.context, relative_urls=False,
                      reuse_key=generator.listing_key("404"))
