"""The conference apps' schedules of an edition with sessions: frab XML
(schedule.xml) and c3voc JSON (schedule.json), beside its page."""

from __future__ import annotations

import posixpath
from functools import partial
from typing import Any

from ..calendars import CalendarOptions
from ..schedules import Programme, schedule_json, schedule_xml
from .parallel import defer


def schedule_files(page: Any) -> tuple[str, ...]:
    """The files write_schedule_files writes for an edition page."""
    if not page.model.sessions:
        return ()
    folder = posixpath.dirname(page.save_as)
    return posixpath.join(folder, "schedule.json"), posixpath.join(folder, "schedule.xml")


def write_schedule_files(writer: Any, page: Any, url, options: CalendarOptions) -> None:
    files = schedule_files(page)
    if not files:
        return
    programme = Programme(page.model, page.url, url, options.uid_domain, options.prodid)
    json_file, xml_file = files
    writer.save(json_file, schedule_json(programme).encode("utf-8"))
    writer.save(xml_file, schedule_xml(programme))


def plan_schedule_files(generator: Any, writer: Any) -> None:
    for camp in generator.camps:
        for edition in camp.editions:
            defer(writer, partial(write_schedule_files, writer, edition, generator.url_of, generator.calendar_options),
                  schedule_files(edition), edition.source_path, generator.edition_key(edition, "schedules"))
