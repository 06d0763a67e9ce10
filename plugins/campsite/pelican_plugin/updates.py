"""An update in place of a site built in this process (`campsite serve`).

After a whole build, the generators, their context and the reuse table are
kept (live.py). When only some camps' data files changed, `update_in_place`
reads those camps again, refreshes the context, writes the edited editions'
pages first, then runs every job whose key or reads changed, in place: files
whose bytes are unchanged are not touched, and files no job writes any more
are removed. It says when a whole build is needed instead: an edit that
changes what every page shows (a camp's name in the menu, a new city).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import ArticlesGenerator, StaticGenerator

from ..cache_folder import cache_folder
from ..errors import Problem, Problems
from ..loader import CAMPS_FOLDER, DATA_FILES, reload_camps
from .keys import forget
from .parallel import DeferredWriter
from .reuse import reuse_for
from .state import KEY, BuildState
from .writeups import link_writeups


@dataclass
class InPlace:
    """What an update in place did: the problems that stopped it (the site
    is then as it was), or the output files it wrote or removed."""

    problems: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def camps_edited(generators: list[Any], edited: set[Path]) -> set[str] | None:
    """The camps whose data files (camp.yml, edition.yml, sessions.yml,
    already read by the build) are all that `edited` holds; None if an
    update in place cannot follow the edit (anything else: the theme, the
    settings, a write-up, a file added or removed)."""
    state = BuildState.of(generators[0].context)
    camps = set()
    for path in edited:
        try:
            relative = path.relative_to(state.loaded.content)
        except ValueError:
            return None
        if (relative.name not in DATA_FILES or relative.parts[0] != CAMPS_FOLDER or not path.is_file()
                or path.is_symlink()  # a link may lead anywhere: the whole build walks the tree again
                or relative.as_posix() not in state.loaded.read_files):
            return None
        camps.add(relative.parts[1])
    return camps


def update_in_place(generators: list[Any], campsite: Any, camps: set[str], edited: set[Path],
                    output: Path) -> InPlace | None:
    """The site of `generators` (`campsite`: its CampsiteGenerator) after the
    camps `camps` changed (`edited`: their files); None: a whole build is needed."""
    context = generators[0].context
    old = BuildState.of(context)
    content = old.loaded.content
    problems = Problems(content.parent)
    site, loaded = reload_camps(old.site, old.loaded, camps, problems,
                                cache=cache_folder(generators[0].settings, "camps"))
    if problems:
        return InPlace(problems=list(problems))
    edited_files = sorted(path.relative_to(content).as_posix() for path in edited)
    state = context[KEY] = old.after_edit(site, loaded, problems, edited_files)
    forget(state, camps)
    campsite.refresh_context(state, camps)
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    link_writeups(state, [*articles.articles, *articles.translations])
    if reuse_for(campsite, state).site != campsite.reuse.site:
        return None  # what every page shows changed: a whole build is no slower
    first = _write_edited_pages_first(generators, campsite, state, edited, output)
    writer = DeferredWriter(str(output), settings=generators[0].settings)
    for generator in generators:
        if not isinstance(generator, StaticGenerator):  # no static file changed
            generator.generate_output(writer)
    return InPlace(changed=sorted({*first, *writer.changed}))


def _write_edited_pages_first(generators: list[Any], campsite: Any, state: BuildState, edited: set[Path],
                              output: Path) -> list[str]:
    """The page of each edited edition, before anything else: the one its
    organiser is looking at. The whole pass then finds it written."""
    paths = {"/".join(path.relative_to(state.loaded.content).parts[1:3]) for path in edited}
    pages = [state.edition_pages[path] for path in sorted(paths) if path in state.edition_pages]
    writer = DeferredWriter(str(output), settings=generators[0].settings)
    writer.deferring, writer.in_place = False, True
    campsite.write_now(writer, pages)
    return writer.changed
