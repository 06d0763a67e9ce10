"""The Pelican generator of camp and edition pages."""

from __future__ import annotations

from pelican.generators import Generator

from .contents import Camp, Edition
from .state import BuildState


class CampsiteGenerator(Generator):
    """Context phase: camp and edition content objects into the shared
    context. Output phase: one page per camp and per edition."""

    def generate_context(self) -> None:
        state = BuildState.of(self.context)
        self.camps: list[Camp] = []
        for camp in state.site.camps:
            page = Camp(camp, self.settings, self.context)
            for edition in camp.editions:
                edition_page = Edition(edition, self.settings, self.context)
                edition_page.camp_page = page
                page.editions.append(edition_page)
                state.edition_pages[edition.path] = edition_page
                self.add_source_path(edition_page)
            state.camp_pages[camp.slug] = page
            self.add_source_path(page)
            self.camps.append(page)
        editions = [state.edition_pages[e.path] for e in state.site.editions]
        self.context.update(
            camps=self.camps,
            editions=editions,
            upcoming_editions=[e for e in editions if not e.model.is_past(state.now)],
            campsite_now=state.now,
        )

    def generate_output(self, writer) -> None:
        for camp in self.camps:
            self._write(writer, camp, camp=camp.model)
            for edition in camp.editions:
                self._write(writer, edition, edition=edition.model, camp=camp.model)

    def _write(self, writer, page, **models) -> None:
        writer.write_file(
            page.save_as,
            self.get_template(page.template),
            self.context,
            page=page,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=page.url,
            **models,
        )
