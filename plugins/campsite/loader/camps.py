"""camp.yml → Camp."""

from __future__ import annotations

import re
from pathlib import Path

from ..cards import drawing_flaw
from ..messages import say
from ..model import files
from ..model.site import Camp, Link, Person, Source, Venue
from ..yamlfile import YamlDocument, load_yaml
from .assets import asset_path
from .context import FileReporter, LoadContext
from .validate import salvage, validate

CAMP_FILE = "camp.yml"


def load_camp(folder: Path, ctx: LoadContext) -> tuple[Camp, YamlDocument] | None:
    """The camp in `folder` and its parsed camp.yml, or None if unusable."""
    path = folder / CAMP_FILE
    ctx.read_files.add(ctx.relative(path))
    doc = load_yaml(path, ctx.problems)
    if doc is None:
        return None
    _report_unquoted_colour(path, ctx)
    data = validate(files.CampFile, doc.data, doc, ctx.problems)
    if data is None and isinstance(doc.data, dict):
        # Reported; go on with the valid rest so the editions are checked too.
        data, doc.data = salvage(files.CampFile, doc.data, {"name": folder.name})
    if data is None:
        return None
    reporter = FileReporter(ctx, doc)
    logo = asset_path(data.logo, folder, ("logo",), reporter) if data.logo else None
    if logo is not None and logo.endswith(".svg") and (flaw := drawing_flaw(ctx.content / logo)):
        reporter.report(("logo",), say('"{path}" {flaw}', path=data.logo, flaw=flaw))
        logo = None
    camp = Camp(
        slug=folder.name,
        name=data.name,
        source=Source(ctx.relative(path)),
        tagline=data.tagline,
        description=data.description,
        language=data.language,
        timezone=data.timezone,
        colour=data.colour,
        logo=logo,
        website=data.website,
        organisers=[Person(p.name, p.url, p.email) for p in data.organisers],
        links=[Link(link.title, link.url) for link in data.links],
        venues={key: make_venue(v, key) for key, v in data.venues.items()},
        tags=list(data.tags),
        recurrence=data.recurrence,
    )
    return camp, doc


def make_venue(venue: files.VenueFile, key: str | None = None) -> Venue:
    return Venue(
        name=venue.name,
        key=key,
        address=venue.address,
        city=venue.city,
        postcode=venue.postcode,
        country=venue.country,
        geo=venue.geo,
        access=venue.access,
        url=venue.url,
    )


def _report_unquoted_colour(path: Path, ctx: LoadContext) -> None:
    """`colour: #7b1e3a` unquoted is a YAML comment: the colour would vanish silently."""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if re.match(r"\s*colour:\s*#", line):
            ctx.problems.add(path, number, say('put the colour in quotes, like colour: "#7b1e3a" '
                                               "(unquoted, # starts a comment)"), "colour")
