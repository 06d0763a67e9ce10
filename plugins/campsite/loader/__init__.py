"""The loader: content/camps/ on disk → a checked Site and its problems.

    site, problems = load_site(Path("content"))

Every problem in every file is collected in one pass; the Site holds what
could be loaded, so later checks still run on the rest.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import Problems, did_you_mean
from ..messages import say
from ..model.site import Site
from ..model.times import instant, parse_zone
from .cache import CampCache, KeptCamp
from .camp_load import CampLoad
from .camps import CAMP_FILE, load_camp
from .checks import check_site
from .context import LoadContext
from .editions import EDITION_FILE, load_edition
from .sessions import SESSIONS_FILE, load_sessions
from .tree import ContentTree, scan

__all__ = ["CAMPS_FOLDER", "DATA_FILES", "ContentTree", "LoadContext", "load_site", "reload_camps"]

CAMPS_FOLDER = "camps"
# A camp's own look, which campsite reports rather than reads: the theme is the site's.
CAMP_STYLESHEET = "camp.css"
CAMP_TEMPLATES = "templates"
DATA_FILES = {CAMP_FILE, EDITION_FILE, SESSIONS_FILE}
YAML_SUFFIXES = {".yml", ".yaml"}


def load_site(
    content: Path,
    problems: Problems | None = None,
    *,
    default_timezone: str = "UTC",
    default_language: str = "en",
    only_camp: str | None = None,
    cache: Path | None = None,
) -> tuple[Site, LoadContext]:
    """Load every camp under `content`/camps (or only `only_camp`); the
    context lists the files read. With a `cache` folder, camps unchanged
    since they were kept there are taken from it (cache.py). Only the
    files of the content's tree are ever read (tree.py); what it refuses
    is reported first."""
    tree = scan(content)
    ctx = LoadContext(
        content=tree.root,
        problems=problems if problems is not None else Problems(content.absolute().parent),
        default_timezone=parse_zone(default_timezone) if default_timezone else ZoneInfo("UTC"),
        default_language=default_language,
        tree=tree,
    )
    for relative, why in sorted(tree.refused.items()):
        ctx.problems.add(tree.root / relative if relative else content.absolute(), 0, why)
    site = Site()
    camps_dir = ctx.content / CAMPS_FOLDER
    folders = tree.folders_in(camps_dir)
    if only_camp is not None:
        names = [f.name for f in folders]
        if only_camp not in names:
            hint = did_you_mean(only_camp, names)
            ctx.problems.add(camps_dir, 0, say('no camp "{camp}" to build on its own{suggestion}',
                                               camp=only_camp, suggestion=hint))
        ctx.left_out = {name for name in names if name != only_camp}
        folders = [f for f in folders if f.name == only_camp]
    kept = CampCache(cache, tree, (ctx.default_timezone.key, default_language)) if cache else None
    for folder in folders:
        camp_load(folder, ctx, kept).merge_into(site.camps, ctx)
    check_site(site, ctx.problems, ctx.content)
    return site, ctx


def camp_load(folder: Path, ctx: LoadContext, cache: CampCache | None = None) -> CampLoad:
    """The camp in `folder`: kept in `cache` if its files are unchanged
    (and its edition ids still its own), else read (and kept if sound).
    `ctx` is read, not changed: the caller merges the load."""
    if cache is None:
        return read_camp(folder, ctx)
    key = cache.key(folder)
    kept = cache.get(folder, key)
    if kept is not None and not _ids_taken(kept.load.edition_ids, ctx):
        return kept.load
    load = read_camp(folder, ctx)
    if not load.problems and load.camp is not None:
        cache.put(folder, KeptCamp(key=key, outside=cache.outside(folder, load.assets), load=load))
    return load


def read_camp(folder: Path, ctx: LoadContext) -> CampLoad:
    """The camp in `folder`, read, with what reading it found: a load of its
    own, whose context knows only the edition ids of the camps read before."""
    own = LoadContext(content=ctx.content, problems=Problems(ctx.problems.root),
                      default_timezone=ctx.default_timezone, default_language=ctx.default_language,
                      tree=ctx.tree, left_out=ctx.left_out, edition_ids=dict(ctx.edition_ids))
    found = Site()
    _load_camp_folder(folder, found, own)
    return CampLoad(
        camp=found.camps[0] if found.camps else None, problems=own.problems.sorted(),
        read_files=own.read_files, assets=own.assets, refused_assets=own.refused_assets, unusable=own.unusable,
        edition_ids={id_: path for id_, path in own.edition_ids.items() if id_ not in ctx.edition_ids},
    )


def _ids_taken(ids: dict[str, str], ctx: LoadContext) -> bool:
    """Whether another camp read before has one of these edition ids: the
    camp is then read again, to report it."""
    return any(ctx.edition_ids.get(id_, path) != path for id_, path in ids.items())


def reload_camps(site: Site, loaded: LoadContext, slugs: set[str], problems: Problems,
                 cache: Path | None = None) -> tuple[Site, LoadContext]:
    """`site` with the camps `slugs` read again from their folders (after an
    edit, in `campsite serve`: through the cache, as a build reads them), the
    others as they were (read from the last good site: checked already), and
    the rules across camps checked again."""
    folders = tuple(f"{CAMPS_FOLDER}/{slug}/" for slug in slugs)
    ctx = LoadContext(
        content=loaded.content,
        problems=problems,
        default_timezone=loaded.default_timezone,
        default_language=loaded.default_language,
        tree=loaded.tree,
        read_files=set(loaded.read_files),
        left_out=set(loaded.left_out),
        edition_ids={id_: path for id_, path in loaded.edition_ids.items() if not path.startswith(folders)},
    )
    kept = CampCache(cache, loaded.tree, (loaded.default_timezone.key, loaded.default_language)) if cache else None
    fresh: list = []
    for slug in sorted(slugs):
        camp_load(ctx.content / CAMPS_FOLDER / slug, ctx, kept).merge_into(fresh, ctx)
    reloaded = {camp.slug: camp for camp in fresh}
    camps = [reloaded.get(camp.slug) if camp.slug in slugs else camp for camp in site.camps]
    site = Site(camps=[camp for camp in camps if camp is not None])  # one that failed is reported
    check_site(site, ctx.problems, ctx.content, camps=slugs)
    return site, ctx


def _load_camp_folder(folder: Path, site: Site, ctx: LoadContext) -> None:
    if not _named_well(folder, ctx):
        ctx.unusable.add(folder.name)
        return
    if not ctx.tree.is_file(folder / CAMP_FILE):
        if ctx.tree.relative(folder / CAMP_FILE) not in ctx.tree.refused:  # else reported as refused
            ctx.problems.add(folder, 0, say("no {file}: every camp folder needs one, with at least `name:`",
                                            file=CAMP_FILE))
        ctx.unusable.add(folder.name)
        return
    _report_stray_yaml(folder, {CAMP_FILE}, ctx)
    _report_camp_theme(folder, ctx)
    loaded = load_camp(folder, ctx)
    if loaded is None:
        ctx.unusable.add(folder.name)
        return
    camp, camp_doc = loaded
    for edition_dir in ctx.tree.folders_in(folder):
        if edition_dir.name == CAMP_TEMPLATES:
            continue  # reported
        if not ctx.tree.is_file(edition_dir / EDITION_FILE):
            if ctx.tree.relative(edition_dir / EDITION_FILE) not in ctx.tree.refused:
                _report_folder_without_edition(edition_dir, ctx)
            continue
        _report_stray_yaml(edition_dir, {EDITION_FILE, SESSIONS_FILE}, ctx)
        edition = None
        if _named_well(edition_dir, ctx):
            edition = load_edition(edition_dir, camp, camp_doc, ctx)
        if edition is None:
            ctx.unusable.add(f"{camp.slug}/{edition_dir.name}")
            continue
        edition.sessions = load_sessions(edition_dir, edition, ctx)
        camp.editions.append(edition)
    camp.editions.sort(key=lambda e: (instant(e.start), e.slug))
    site.camps.append(camp)


def _named_well(folder: Path, ctx: LoadContext) -> bool:
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", folder.name):
        return True
    rule = say("lowercase letters, digits and hyphens, like 2026-bordeaux")
    ctx.problems.add(folder, 0, say('folder name "{name}" must be {rule} (it becomes the address)',
                                    name=folder.name, rule=rule))
    return False


def _report_camp_theme(folder: Path, ctx: LoadContext) -> None:
    """A camp's own stylesheet and templates were contributors' code on
    every page (a template reaches Python's objects, a stylesheet can cover
    the page or load from anywhere): the theme is the one place for both."""
    if ctx.tree.is_file(folder / CAMP_STYLESHEET):
        ctx.problems.add(folder / CAMP_STYLESHEET, 0, say("campsite does not publish a camp's own stylesheet: set the "
                         "camp's colour with `colour:` in camp.yml; other changes go in the site's theme"))
    if ctx.tree.is_folder(folder / CAMP_TEMPLATES):
        ctx.problems.add(folder / CAMP_TEMPLATES, 0, say("campsite does not read a camp's own templates: templates "
                         "belong to the site's theme (THEME in pelicanconf.py), which content does not change"))
        ctx.unusable.add(f"{folder.name}/{CAMP_TEMPLATES}")


def _report_stray_yaml(folder: Path, expected: set[str], ctx: LoadContext) -> None:
    """A misspelt data file would otherwise be silently ignored."""
    for path in ctx.tree.files_in(folder):
        if path.suffix in YAML_SUFFIXES and path.name not in expected:
            hint = did_you_mean(path.name, sorted(expected))
            ctx.problems.add(path, 0, say("campsite does not read this file{suggestion}", suggestion=hint))


def _report_folder_without_edition(folder: Path, ctx: LoadContext) -> None:
    """A folder of pictures inside a camp is fine; one with data is a lost edition."""
    if any(p.suffix in YAML_SUFFIXES | {".md"} for p in ctx.tree.files_in(folder)):
        ctx.problems.add(folder, 0, say("no {file}: an edition folder needs one, with at least `start:`",
                                        file=EDITION_FILE))
