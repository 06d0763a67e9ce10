"""campsite as a Pelican plugin: adapts the model to Pelican's pipeline.

Signals, in the order Pelican sends them:

- initialized: campsite's settings get their defaults and are checked;
- get_generators: adds CampsiteGenerator (camp and edition pages);
- readers_init: Markdown is the one format read, each file converted
  once and then read from a cache (markdown_cache.py);
- get_writer: DeferredWriter keeps every page to write until campsite's
  generator runs them all on every core (parallel.py);
- generator_init: the first generator made loads and checks the content;
- content_object_init: each article is linked to its camp or edition;
- article_generator_pretaxonomy: drafts and hidden articles are left out
  (drafts.py), and a standalone camp build drops the articles about other
  camps;
- page_generator_finalized: drafts and hidden pages are left out;
- all_generators_finalized: write-ups are attached to their pages, every
  content file is accounted for, content files' output paths are checked,
  and if any problem was found the build stops here, before writing a
  single file; otherwise every output is planned and its owner checked
  (claims.py) before any job runs, where a check stops;
- content_written: each page is noted for the sitemap;
- finalized: Pagefind indexes the written pages for site search.

Receivers are module-level functions: Pelican's signals hold weak references.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator

from ..messages import message_language, speak_unless_spoken
from .addresses import absolute_url
from .article_jsonld import article_jsonld
from .claims import check_owners, content_claims
from .coverage import check_every_file_used, content_files, file_account
from .drafts import leave_out_unpublished_articles, leave_out_unpublished_pages, place_drafts_as_published
from .filters import FILTERS, TESTS, edition_notices
from .generator import CampsiteGenerator
from .i18n import translations
from .markdown_cache import read_markdown_only
from .parallel import DeferredWriter
from .recording import record_reads_of
from .run import run_of
from .search import index_site
from .settings import apply_defaults
from .sitemap import on_content_written
from .standalone import about_this_camp, apply_standalone, standalone_camp
from .state import BuildState
from .static_files import check_static_files
from .tree_files import read_only_the_tree
from .writeups import link_writeups, on_content_init


def on_initialized(pelican: Any) -> None:
    # Not started by `campsite` (pelican -r, invoke regenerate): the site's language all the same.
    speak_unless_spoken(message_language(None, pelican.settings))
    apply_defaults(pelican.settings)
    apply_standalone(pelican.settings)
    place_drafts_as_published(pelican.settings)
    pelican.settings["JINJA_FILTERS"] = {**FILTERS, **pelican.settings.get("JINJA_FILTERS", {})}
    pelican.settings["JINJA_TESTS"] = {**TESTS, **pelican.settings.get("JINJA_TESTS", {})}
    pelican.settings["JINJA_GLOBALS"] = {
        "absolute_url": absolute_url,
        "article_jsonld": article_jsonld,
        "edition_notices": edition_notices,
        **pelican.settings.get("JINJA_GLOBALS", {}),
    }


def on_generator_init(generator: Any) -> None:
    """Load the site when the first generator is made: an error in campsite
    itself then stops the build, where inside Pelican's reading of an
    article it would be logged as "Could not process" and skipped.
    Every generator reads only the content's tree (tree_files.py), and its
    templates get the theme's words in the site's language, and note what
    they read (recording.py)."""
    state = BuildState.of(generator.context)
    read_only_the_tree(generator, state.loaded.tree)
    lang = generator.settings["DEFAULT_LANG"]
    words = translations(Path(generator.theme).resolve(), lang)
    generator.env.install_gettext_translations(words, newstyle=True)
    record_reads_of(generator.env)


def on_article_pretaxonomy(generator: Any) -> None:
    """Drafts and hidden articles are left out (drafts.py); a standalone
    camp build keeps only the articles about that camp."""
    leave_out_unpublished_articles(generator)
    camp = standalone_camp(generator.settings)
    if camp is None:
        return
    links = BuildState.of(generator.context).writeup_links
    for name in ("articles", "translations"):
        kept = [a for a in getattr(generator, name) if about_this_camp(a, links, camp)]
        setattr(generator, name, kept)


def on_get_generators(pelican: Any) -> type:
    return CampsiteGenerator


def on_get_writer(pelican: Any) -> type:
    return DeferredWriter


def on_all_generators_finalized(generators: list[Any]) -> None:
    context = generators[0].context
    state = BuildState.of(context)
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    link_writeups(state, [*articles.articles, *articles.translations])
    files = state.files = content_files(state)
    check_every_file_used(state, context, files)
    check_static_files(context.get("staticfiles", []), state.loaded, state.problems)
    check_owners(state.problems, content_claims(generators))
    run = run_of(context)
    if run.report is not None:
        run.report.files = file_account(state, context, files).files
    # The output is planned next, even for content with problems or only
    # checked: that finds what content would overwrite of the site's own
    # files (claims.py); the build stops there, before any file is written.
    if run.live is not None and not state.problems:
        run.live.generators = generators


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_get_generators)
    signals.get_writer.connect(on_get_writer)
    signals.readers_init.connect(read_markdown_only)
    signals.generator_init.connect(on_generator_init)
    signals.content_object_init.connect(on_content_init)
    signals.article_generator_pretaxonomy.connect(on_article_pretaxonomy)
    signals.page_generator_finalized.connect(leave_out_unpublished_pages)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(index_site)
