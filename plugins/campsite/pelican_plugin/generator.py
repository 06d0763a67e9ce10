"""The Pelican generator of camp, edition and listing pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from ..cards import fonts_drawn_with
from ..errors import CheckComplete, ContentErrors, Problem
from ..loader.placeholders import placeholder_venues
from ..structured_data import camp_series, edition_event, to_script
from .addresses import absolute
from .calendar_files import (
    EDITION_CALENDAR,
    SESSIONS_CALENDAR,
    EditionAddLinks,
    calendar_options,
    calendar_path,
    plan_calendars,
)
from .card_files import card_paths, plan_cards, shared_often
from .claims import check_owners
from .contents import Camp, Edition
from .coverage import file_account
from .feed_files import ATOM, RSS, feed_paths, plan_feeds
from .i18n import words_by_language
from .keys import JobKeys
from .listings import cities, plan_listing_pages, tag_listings
from .parallel import DeferredWriter, output_saver
from .reuse import reuse_for
from .room_pages import plan_room_pages, room_pages
from .run import run_of
from .schedule_files import plan_schedule_files
from .search import INDEX_FOLDER
from .sitemap import write_sitemap
from .standalone import standalone_camp
from .state import BuildState
from .subscription_pages import plan_subscription_pages


class LaterMarkup:
    """Markup made when a template shows it (Jinja calls __html__): a page
    reused from the last build never needs it."""

    def __init__(self, make: Callable[[], Markup]):
        self._make = make

    def __html__(self) -> str:
        return self._make()


class CampsiteGenerator(Generator):
    """Context phase: camp and edition content objects into the shared
    context. Output phase: camp, edition, listing and 404 pages."""

    def generate_context(self) -> None:
        state = BuildState.of(self.context)
        self.camps: list[Camp] = [self._camp_page(camp) for camp in state.site.camps]
        self._gather(state)

    def refresh_context(self, state: BuildState, reloaded: set[str]) -> None:
        """After `campsite serve` loaded the camps `reloaded` again (live.py):
        their pages anew, the others' kept, and every list made again."""
        kept = {page.model.slug: page for page in self.camps if page.model.slug not in reloaded}
        self.camps = [kept.get(camp.slug) or self._camp_page(camp) for camp in state.site.camps]
        for page in self.camps:
            page.writeups = []
            for edition in page.editions:
                edition.writeups = []
        self._gather(state)

    def _camp_page(self, camp) -> Camp:
        page = Camp(camp, self.settings, self.context)
        page.cards = card_paths(page.save_as)
        page.calendar_url = calendar_path(page.save_as)
        page.subscribe_url = calendar_path(page.save_as, "subscribe/")
        for edition in camp.editions:
            edition_page = Edition(edition, self.settings, self.context)
            edition_page.camp_page = page
            # Its own Open Graph card (title, city, date: what a shared link
            # shows) if it is likely to be shared; for search engines' other
            # ratios, and for older editions, the camp's.
            edition_page.draws_card = shared_often(edition, BuildState.of(self.context).now)
            own = card_paths(edition_page.save_as)[:1] if edition_page.draws_card else page.cards[:1]
            edition_page.cards = [*own, *page.cards[1:]]
            edition_page.rooms = room_pages(edition_page, self.settings)
            edition_page.calendar_url = calendar_path(edition_page.save_as, EDITION_CALENDAR)
            edition_page.sessions_calendar_url = calendar_path(edition_page.save_as, SESSIONS_CALENDAR)
            edition_page.add_links = EditionAddLinks(edition_page, lambda: self.calendar_options)
            page.editions.append(edition_page)
            self.add_source_path(edition_page)
        self.add_source_path(page)
        return page

    def _gather(self, state: BuildState) -> None:
        """The state's indexes, the site-wide lists and the context, from the camp pages."""
        for page in self.camps:
            state.camp_pages[page.model.slug] = page
            for edition in page.editions:
                state.edition_pages[edition.model.path] = edition
        self.editions = [state.edition_pages[e.path] for e in state.site.editions]
        self.cities = cities(self.editions, self.settings)
        self._place_feeds()
        self.context.update(
            camps=self.camps,
            editions=self.editions,
            upcoming_editions=[e for e in self.editions if not e.model.is_past(state.now)],
            campsite_cities=self.cities,
            campsite_now=state.now,
            # The context's, which a standalone camp points at its own website.
            campsite_site_url=self.context["SITEURL"],
            campsite_subscribe_url=(
                self.camps[0].subscribe_url
                if standalone_camp(self.settings) and self.camps
                else self.settings["SUBSCRIBE_URL"]
            ),
        )

    def _place_feeds(self) -> None:
        """Where each page's feeds will be, for the pages to link them."""
        for camp in self.camps:
            camp.feeds = feed_paths(camp.save_as)
        for city in self.cities:
            city.feeds = feed_paths(city.save_as)
            for page in city.editions:
                page.city_slug = city.slug
        self.context["campsite_site_feeds"] = (
            self.camps[0].feeds if standalone_camp(self.settings) and self.camps else (ATOM, RSS)
        )

    def generate_output(self, writer) -> None:
        """Every page, calendar, feed and card as a job; then all of them
        (with Pelican's pages, which the writer kept) on every core. Content
        with problems is planned too, only to find every file it would
        overwrite (claims.py) before the build stops."""
        state = BuildState.of(self.context)
        try:
            self._plan(writer, state)
        except Exception:
            if not state.problems:
                raise
            raise ContentErrors(state.problems) from None  # planned half-way: its problems say why
        if isinstance(writer, DeferredWriter):
            self._check_owners(writer, state)
            self._run_jobs(writer, state)
        # Every page is written now, Pelican's and campsite's.
        write_sitemap(state, output_saver(writer, self.settings), self.context["campsite_site_url"])

    def _plan(self, writer, state: BuildState) -> None:
        words = words_by_language(Path(self.theme).resolve(), self.settings["DEFAULT_LANG"])
        self.calendar_options = calendar_options(self.settings, self.context["campsite_site_url"], words)
        self.tag_listings = tag_listings(self.editions, self.context.get("articles", []), self.settings)
        self.context["campsite_tags"] = [(t.tag, t.count) for t in self.tag_listings]
        reusing = isinstance(writer, DeferredWriter) and not self.settings.get("CAMPSITE_CHECK_ONLY")
        self.reuse = reuse_for(self, state) if reusing and not state.problems else None
        self.keys = JobKeys(self.reuse, state, self.camps, self._articles(), self.context) if self.reuse else None
        if self.reuse is not None:
            self.reuse.read_digest = self.keys.read_digest
        for plan in FORMATS:
            plan(self, writer)

    def plan_model_pages(self, writer) -> None:
        """Every camp's and edition's page."""
        for camp in self.camps:
            self.write_page(writer, camp.save_as, camp.template, camp.url, key=self.camp_key(camp, "page"),
                            page=camp, camp=camp.model, jsonld=LaterMarkup(partial(self._camp_jsonld, camp)))
            for edition in camp.editions:
                self._write_edition_page(writer, edition, self.edition_key(edition, "page"))

    def _write_edition_page(self, writer, edition: Edition, key: str | None) -> None:
        self.write_page(writer, edition.save_as, edition.template, edition.url, key=key,
                        page=edition, edition=edition.model, camp=edition.camp_page.model,
                        jsonld=LaterMarkup(partial(self._edition_jsonld, edition, BuildState.of(self.context))))

    def write_now(self, writer: DeferredWriter, editions: list[Edition]) -> None:
        """The pages of `editions`, at once (an update in place writes the
        edited edition's page before working out what else changed)."""
        for edition in editions:
            self._write_edition_page(writer, edition, None)

    def _check_owners(self, writer: DeferredWriter, state: BuildState) -> None:
        """Every planned output with one owner, before any job runs; a
        check stops here, having planned everything (claims.py)."""
        statics = [(static.save_as, static.source_path) for static in self.context.get("staticfiles", [])]
        site_files = [("sitemap.xml", None), ("robots.txt", None)]
        folders = (self.settings["THEME_STATIC_DIR"], INDEX_FOLDER)
        check_owners(state.problems, [*writer.claims, *statics, *site_files], folders)
        if (account := run_of(self.context).report) is not None:
            account.warnings = [Problem(state.problems.display_path(path), line, message, warning=True)
                                for path, line, message in placeholder_venues(state.site, state.now,
                                                                              state.loaded.content)]
        if state.problems:
            if account is not None:  # with the files found only now
                account.files = file_account(state, self.context, state.files).files
            raise ContentErrors(state.problems)
        if self.settings.get("CAMPSITE_CHECK_ONLY"):
            raise CheckComplete()

    def _articles(self) -> list[Any]:
        return [*self.context.get("articles", []), *self.context.get("pages", [])]

    def _run_jobs(self, writer: DeferredWriter, state: BuildState) -> None:
        writer.run_jobs(self.settings["CAMPSITE_WORKERS"], self.reuse, self._page_key,
                        collect=lambda: state.written, merge=state.written.update)
        if self.reuse is not None:
            for key in writer.reused:
                state.written.update(self.reuse.sitemap(key))
            self.reuse.save(Path(self.settings["OUTPUT_PATH"]), writer.produced, writer.reads, state.written)
            if self.reuse.in_place:
                writer.remove(self.reuse.stale())
        live = run_of(self.settings).live
        if live is not None:
            live.built(self, writer)

    def _page_key(self, item: Any, name: str, template: str) -> str | None:
        """The reuse key of one of Pelican's pages (keys.py)."""
        if self.keys is None or isinstance(item, Camp | Edition):
            return None
        if item is None:
            return self.keys.pelican_page(name, template)
        return self.keys.key("content", name, self.keys.article(item))

    def camp_key(self, camp: Camp, job: str) -> str | None:
        return self.keys.key(self.keys.camp(camp), job, camp.model.slug) if self.keys else None

    def edition_key(self, page: Edition, job: str, *variant: str) -> str | None:
        return self.keys.key(self.keys.edition(page), job, page.model.path, *variant) if self.keys else None

    def listing_key(self, *name: str, editions: Any = (), articles: Any = ()) -> str | None:
        return self.keys.listing(*name, editions=editions, articles=articles) if self.keys else None

    def card_key(self, owner: Any) -> str | None:
        if self.keys is None:
            return None
        fonts = fonts_drawn_with()  # the system's fonts draw the cards: not in the site's digest
        if isinstance(owner, Camp):
            return self.keys.key(self.keys.camp_own(owner), "cards", owner.model.slug, fonts)
        if isinstance(owner, Edition):
            return self.keys.key(self.edition_key(owner, "card"), fonts)
        return self.keys.key("cards", "site", fonts)

    def url_of(self, path: str) -> str:
        return absolute(self.context["campsite_site_url"], path)

    def _edition_jsonld(self, page: Edition, state: BuildState) -> Markup:
        data = edition_event(page.model, page.url, page.camp_page.url, page.cards, state.now, self.url_of)
        return Markup(to_script(data))  # noqa: S704 -- json.dumps output, with </ escaped

    def _camp_jsonld(self, page: Camp) -> Markup:
        urls = {e.model.path: e.url for e in page.editions}
        return Markup(to_script(camp_series(page.model, page.url, urls, self.url_of)))  # noqa: S704

    def write_page(self, writer, save_as: str, template: str, url: str, key: str | None = None,
                   **variables: Any) -> None:
        """One page from `template`, as a job keyed by `key` (room_pages.py writes its own through here)."""
        if key is not None:
            variables["reuse_key"] = key  # taken by DeferredWriter, never seen by templates
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            **variables,
        )


# Every output, one format after another: each adapter plans its jobs
# (parallel.py) from the generator's camps, editions and listings.
FORMATS: tuple[Callable[[Any, Any], None], ...] = (
    CampsiteGenerator.plan_model_pages, plan_room_pages, plan_schedule_files, plan_listing_pages, plan_calendars, plan_feeds,
    plan_subscription_pages, plan_cards,
)
