"""The subscription pages: each camp's, and the site's (its calendar, then the camps', then the cities')."""

from __future__ import annotations

from typing import Any

from .calendar_files import SITE_CALENDAR, calendar_path, subscription
from .standalone import standalone_camp


def plan_subscription_pages(generator: Any, writer: Any) -> None:
    """Each camp's page, and the site's: its own calendar first, then
    the camps', then the cities' (subscribe.html)."""
    site_url = generator.context["campsite_site_url"]
    sitename = generator.settings["SITENAME"]
    for camp in generator.camps:
        offers = [subscription(camp.title, camp.calendar_url, site_url, camp.editions)]
        generator.write_page(writer, calendar_path(camp.save_as, "subscribe/index.html"), "subscribe",
                        camp.subscribe_url, key=generator.camp_key(camp, "subscribe"),
                        page=camp, camp=camp.model, subscriptions=offers, camp_offers=[], city_offers=[])
    if standalone_camp(generator.settings):
        return  # the camp's page is the site's
    offers = [subscription(sitename, SITE_CALENDAR, site_url, generator.editions)]
    camp_offers = [subscription(c.title, c.calendar_url, site_url, c.editions) for c in generator.camps]
    city_offers = [subscription(f"{sitename} — {c.name}", calendar_path(c.save_as), site_url, c.editions, c.name)
                   for c in generator.cities]
    generator.write_page(writer, generator.settings["SUBSCRIBE_SAVE_AS"], "subscribe", generator.settings["SUBSCRIBE_URL"],
                    key=generator.listing_key("subscribe", editions=generator.editions), subscriptions=offers,
                    camp_offers=camp_offers, city_offers=city_offers)
