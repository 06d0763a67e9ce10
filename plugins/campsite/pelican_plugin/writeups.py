"""Write-ups: Pelican articles about a camp or an edition.

An article is about an edition when it sits in the edition's folder, or
names it in its metadata (`Edition: vinocamp/2026-bordeaux`); about a camp
when it sits in the camp's folder or says `Camp: vinocamp`. A name that does
not exist is reported at its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pelican.contents import Article, Page

from ..errors import did_you_mean
from ..loader import CAMPS_FOLDER
from ..markup import sanitise_article
from ..messages import say
from ..model.fields import unspelt
from .accessibility import check_images_have_alt
from .links import check_links, mark_relative_files
from .markdown_cache import PROBLEM
from .metadata import check_metadata, forget_places
from .state import BuildState


def on_content_init(content: Any) -> None:
    """Signal content_object_init: check articles' and pages' metadata,
    links and images, clean their HTML, and note what each article is about."""
    if not isinstance(content, (Article, Page)) or not content.source_path:
        return
    state = BuildState.of(content._context)
    if PROBLEM in content.metadata:  # it could not be read at all (markdown_cache.py)
        state.problems.add(content.source_path, 0, content.metadata[PROBLEM])
        return
    forget_places(content, check_metadata(content.source_path, state.problems))
    mark_relative_files(content, state.loaded.tree, state.problems)
    check_links(content, state.loaded.tree, state.problems)
    if not content.settings.get("CAMPSITE_TRUST_HTML"):
        _sanitise_as_shown(content)
    check_images_have_alt(content, state.problems)
    if not isinstance(content, Article):
        return
    _check_tags_spelt(content, state)
    source = content.get_relative_source_path()
    if not hasattr(content, "date"):
        state.problems.add(
            content.source_path, 1, say("no `Date:` line: an article needs one, like Date: 2026-06-14 10:00")
        )
    target = _named_target(content, state) or _folder_target(source)
    if target is None:
        return
    kind, path, line = target
    if not _exists(kind, path, state, content.source_path, line):
        return
    state.writeup_links[source] = (kind, path)
    if kind == "edition" and _in_edition_folder(source):
        _place_under_edition(content, path)


def _sanitise_as_shown(content: Any) -> None:
    """Many hands write content: raw HTML in Markdown stays only when
    trusted. It is cleaned once Pelican has rewritten its {filename} and
    {static} links (its `_update_content`), so that nothing a link brings
    in — another file's address — escapes the allow-list."""
    rewrite = content._update_content
    content._update_content = lambda html, siteurl: sanitise_article(rewrite(html, siteurl) or "")
    if isinstance(content.metadata.get("summary"), str):  # Pelican shows it as written
        content.metadata["summary"] = sanitise_article(content.metadata["summary"])


def _check_tags_spelt(article: Any, state: BuildState) -> None:
    for tag in getattr(article, "tags", []):
        if not tag.slug:
            state.problems.add(article.source_path, _metadata_line(article.source_path, "tags"), unspelt(tag.name),
                               "Tags")


def _folder_target(source: str) -> tuple[str, str, int] | None:
    parts = source.split("/")
    if parts[0] != CAMPS_FOLDER or len(parts) not in (3, 4):
        return None
    if len(parts) == 4:
        return "edition", f"{parts[1]}/{parts[2]}", 0
    return "camp", parts[1], 0


def _in_edition_folder(source: str) -> bool:
    return _folder_target(source) is not None and source.count("/") == 3


def _named_target(content: Any, state: BuildState) -> tuple[str, str, int] | None:
    for kind in ("edition", "camp"):
        value = content.metadata.get(kind)
        if isinstance(value, str) and value.strip():
            return kind, value.strip().strip("/"), _metadata_line(content.source_path, kind)
    return None


def _exists(kind: str, path: str, state: BuildState, source_path: str, line: int) -> bool:
    site = state.site
    camp = path.split("/")[0]
    if path in state.loaded.unusable or camp in state.loaded.unusable:
        return False  # its own problems are reported already
    if camp in state.loaded.left_out:
        return False  # about another camp than the one built on its own
    if kind == "edition" and site.edition(path) is None:
        known = [e.path for e in site.editions]
        hint = did_you_mean(path, known) or say(" (write it as camp/edition, like vinocamp/2026-bordeaux)")
        state.problems.add(source_path, line, say('no edition "{edition}"{suggestion}', edition=path, suggestion=hint),
                           "Edition")
        return False
    if kind == "camp" and site.camp(path) is None:
        hint = did_you_mean(path, [c.slug for c in site.camps])
        state.problems.add(source_path, line, say('no camp "{slug}"{suggestion}', slug=path, suggestion=hint), "Camp")
        return False
    return True


def _metadata_line(source_path: str, key: str) -> int:
    pattern = re.compile(rf"^\s*:?{key}\s*:", re.IGNORECASE)  # Markdown "Edition:", rST ":edition:"
    try:
        lines = Path(source_path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((i for i, text in enumerate(lines, 1) if pattern.match(text)), 1)


def _place_under_edition(content: Any, edition_path: str) -> None:
    camp, edition = edition_path.split("/")
    values = {"camp": camp, "edition": edition, "slug": content.slug}
    if not hasattr(content, "override_url"):
        content.override_url = content.settings["WRITEUP_URL"].format(**values)
    if not hasattr(content, "override_save_as"):
        content.override_save_as = content.settings["WRITEUP_SAVE_AS"].format(**values)


def link_writeups(state: BuildState, articles: list[Any]) -> None:
    """Connect articles and their camp or edition pages, both ways."""
    newest_first = sorted(articles, key=lambda a: (a.date, a.source_path), reverse=True)
    for article in newest_first:
        link = state.writeup_links.get(article.get_relative_source_path())
        if link is None:
            continue
        kind, path = link
        if kind == "edition":
            page = state.edition_pages[path]
            article.edition = page
            page.writeups.append(article)
            camp_page = page.camp_page
        else:
            camp_page = state.camp_pages[path]
        article.camp = camp_page
        camp_page.writeups.append(article)
