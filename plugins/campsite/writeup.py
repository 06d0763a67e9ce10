"""The write-up stub: a Markdown file in the edition's folder, listing every
session with its hosts and links, for the organiser to complete."""

from __future__ import annotations

import posixpath
from datetime import timedelta
from pathlib import Path

from .errors import did_you_mean
from .messages import say
from .model.site import Edition
from .project import Project

STUB_NAME = "compte-rendu.md"


def stub_text(edition: Edition) -> str:
    """The stub: Pelican metadata, then a section per session, by day and time."""
    day_after = edition.last_day + timedelta(days=1)
    lines = [
        f"Title: Retour sur {edition.title}",
        f"Date: {day_after.isoformat()} 10:00",
        f"Edition: {edition.path}",
        "Status: draft",
        f"Summary: Ce qui s'est dit au {edition.title}.",
        "",
        "<!-- Brouillon : complétez, puis retirez la ligne « Status: draft » pour publier. -->",
        "",
    ]
    for _day, sessions in edition.programme():
        for session in sessions:
            lines += [f"## {session.title}", ""]
            meta = [f"{session.start:%H:%M}–{session.end:%H:%M}", session.room]
            if session.hosts:
                meta.append("avec " + ", ".join(session.hosts))
            lines += [" · ".join(meta), ""]
            for label, target in sorted(session.links.items()):
                link = target if "://" in target else "{static}" + posixpath.relpath(target, edition.folder)
                lines.append(f"- [{label}]({link})")
            if session.links:
                lines.append("")
            lines += ["À compléter.", ""]
    return "\n".join(lines)


def write_stub(edition: Edition, content: Path) -> Path:
    """Writes the stub beside edition.yml; never overwrites an existing file."""
    folder = content / edition.folder
    path = folder / STUB_NAME
    number = 2
    while path.exists():
        path = folder / f"compte-rendu-{number}.md"
        number += 1
    path.write_text(stub_text(edition), encoding="utf-8")
    return path


class NoSuchEdition(Exception):
    """The edition asked for is not in the site."""


def write_stub_of(project: Project, edition_path: str) -> tuple[Edition, Path]:
    """The stub of the project's edition `edition_path` ('vinocamp/2026-bordeaux'), written."""
    site = project.load()
    edition = site.edition(edition_path)
    if edition is None:
        raise NoSuchEdition(say('no edition "{edition}"{suggestion}', edition=edition_path,
                                suggestion=did_you_mean(edition_path, [e.path for e in site.editions])))
    return edition, write_stub(edition, project.content.resolve())
