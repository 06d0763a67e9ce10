"""The reuse key of every job: a digest of everything its files show.

A job whose key is unchanged is not run again (reuse.py): its files are
linked from the last output, or, in `campsite serve`, simply left in place.
So a key must change whenever any byte of the job's files may:

- an edition's page, calendars and barcamp-day files show the edition (its
  folder's files and the write-ups about it) and its camp's own files
  (camp.yml, the camp's logo: everything in the camp's folder outside its
  editions', and the write-ups about the camp);
- a camp's page, calendar, feeds and subscription page show its own files
  and every one of its editions;
- a listing, or a site-wide feed or calendar, shows the editions and
  articles it lists, and is dated by every camp's own files (a feed with no
  item yet is as recent as they are);
- a page of one of Pelican's articles or pages shows that file (and its
  translations) and the camp or edition it is about; Pelican's other pages
  (archives, categories, authors) show every article, and the home page also
  the camps and the upcoming editions.

Every key also holds the site's digest (reuse.site_digest): the code, the
theme, the settings, the build's "now", and what every page shows (the
menu, the cities, every page's address). What a template reads beyond its
job's key (say, a camp page showing the next edition of the whole site) is
recorded while it runs (recording.py), and `read_digest` says whether each
of those reads would read the same today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..loader import CAMPS_FOLDER
from .fingerprints import fingerprint
from .recording import Kind, Read
from .reuse import Reuse, content_digest, digest
from .state import BuildState

MISSING = "missing"  # the digest of a read whose object is gone (a deleted edition)


class JobKeys:
    def __init__(self, reuse: Reuse, state: BuildState, camps: list[Any], articles: list[Any],
                 context: dict[str, Any]):
        self.reuse = reuse
        self.state = state
        self.camps = camps
        self.articles = articles
        self.context = context
        self._fingerprints: dict[str, str] = {}  # context name → digest, this run's (the context is new each run)
        self._articles_by_path: dict[str, Any] | None = None
        self._live_pages: set[int] | None = None  # ids of this run's camp and edition pages
        if state.memory.files_by_folder is None:  # the same in every update in place
            state.memory.files_by_folder = _files_by_folder(state)
        self._files = state.memory.files_by_folder
        self._relative: dict[str, str] = {}  # Pelican works each out anew, slowly
        self._about: dict[str, list[str]] = defaultdict(list)  # camp or edition path → write-up sources
        for source, (_, target) in sorted(state.writeup_links.items()):
            self._about[target].append(source)
        self._memo = state.memory.key_parts  # kept from one update to the next by `campsite serve` (forget)

    def key(self, *parts: str) -> str:
        return self.reuse.key(*parts)

    def camp_own(self, camp: Any) -> str:
        """A camp's own files, outside its editions' folders."""
        def make() -> str:
            model = camp.model
            folder = model.source.path.rsplit("/", 1)[0]
            editions = {e.model.folder for e in camp.editions}
            files = [f for sub, found in self._files.get(folder, {}).items() if sub not in editions for f in found]
            files += [model.logo] if model.logo else []
            return self._digest([*files, *self._about[model.slug]])
        return self._memoised("camp-own", camp.model.slug, make)

    def edition(self, page: Any) -> str:
        """An edition's files and write-ups, and its camp's own files."""
        def make() -> str:
            model = page.model
            camp_folder = model.camp.source.path.rsplit("/", 1)[0]
            files = [*self._files.get(camp_folder, {}).get(model.folder, [])]
            files += [s.logo for s in model.sponsors if s.logo]
            return digest([self.camp_own(page.camp_page), self._digest([*files, *self._about[model.path]])])
        return self._memoised("edition", page.model.path, make)

    def camp(self, camp: Any) -> str:
        def make() -> str:
            return digest([self.camp_own(camp), *(self.edition(e) for e in camp.editions)])
        return self._memoised("camp", camp.model.slug, make)

    def article(self, item: Any) -> str:
        """An article's or page's file, its translations, and what it is about."""
        def make() -> str:
            state = self.state
            link = state.writeup_links.get(source)
            about = ""
            if link and link[0] == "edition" and link[1] in state.edition_pages:
                about = self.edition(state.edition_pages[link[1]])
            elif link and link[1] in state.camp_pages:
                about = self.camp_own(state.camp_pages[link[1]])
            sources = [item.source_path, *(t.source_path for t in getattr(item, "translations", []))]
            return digest([about, content_digest(state, sources)])
        if item.source_path not in self._relative:
            self._relative[item.source_path] = item.get_relative_source_path()
        source = self._relative[item.source_path]
        return self._memoised("article", source, make)

    def listing(self, *name: str, editions: Iterable[Any] = (), articles: Iterable[Any] = ()) -> str:
        """A page, feed or calendar listing `editions` and `articles`."""
        return self.key("listing", *name, self._all_camps_own(),
                        *(self.edition(e) for e in editions), *(self.article(a) for a in articles))

    def pelican_page(self, name: str, template: str) -> str:
        """One of Pelican's pages that shows no single article: every article,
        and on the home page the camps and upcoming editions."""
        parts = ["pelican", name, template, self._all_articles()]
        if template == "index.html":
            now = self.state.now
            upcoming = [e for c in self.camps for e in c.editions if not e.model.is_past(now)]
            parts += [*(self.camp_own(c) for c in self.camps), *(self.edition(e) for e in upcoming)]
        return self.key(*parts)

    def read_digest(self, read: Read) -> str:
        """The digest of what `read` would read in this build."""
        state = self.state
        if read.kind is Kind.CONTEXT:
            if read.name not in self._fingerprints:
                value = self.context.get(read.name, MISSING)
                self._fingerprints[read.name] = digest([fingerprint(value)])
            return self._fingerprints[read.name]
        if read.kind is Kind.EDITION:
            page = state.edition_pages.get(read.name)
            return self.edition(page) if self._is_live(page) else MISSING
        camp = state.camp_pages.get(read.name) if read.kind in (Kind.CAMP, Kind.CAMP_EDITIONS) else None
        if self._is_live(camp):
            if read.kind is Kind.CAMP:
                return self.camp_own(camp)
            return digest(e.model.path for e in camp.editions)
        if read.kind is Kind.ARTICLE:
            if self._articles_by_path is None:
                self._articles_by_path = {t.relative_source_path: a for a in self.articles
                                          for t in (a, *getattr(a, "translations", []))}
            article = self._articles_by_path.get(read.name)
            return self.article(article) if article is not None else MISSING
        return MISSING

    def _is_live(self, page: Any) -> bool:
        """Whether `page` is one of this run's (serve keeps the pages of deleted editions indexed)."""
        if self._live_pages is None:
            self._live_pages = {id(p) for camp in self.camps for p in (camp, *camp.editions)}
        return page is not None and id(page) in self._live_pages

    def _all_camps_own(self) -> str:
        return self._memoised("all", "camps-own", lambda: digest(self.camp_own(c) for c in self.camps))

    def _all_articles(self) -> str:
        return self._memoised("all", "articles", lambda: digest(self.article(a) for a in self.articles))

    def _digest(self, files: list[str]) -> str:
        content = self.state.loaded.content
        return content_digest(self.state, [content / f for f in files])

    def _memoised(self, kind: str, name: str, make) -> str:
        if (kind, name) not in self._memo:
            self._memo[(kind, name)] = make()
        return self._memo[(kind, name)]


def forget(state: BuildState, camps: set[str]) -> None:
    """Before an update in place (live.py): the parts of keys that the camps
    `camps`, read again, may change; every other part stays known."""
    about = {source for source, (_, target) in state.writeup_links.items() if target.split("/")[0] in camps}
    for kind, name in list(state.memory.key_parts):
        if kind == "all" or (name in about if kind == "article" else name.split("/")[0] in camps):
            del state.memory.key_parts[(kind, name)]


def _files_by_folder(state: BuildState) -> dict[str, dict[str, list[str]]]:
    """Content files under camps/, by camp folder and then by the camp's
    subfolder ('camps/vinocamp' → 'camps/vinocamp/2026-bordeaux' → files);
    the camp's own top-level files are under the camp folder itself."""
    content = state.loaded.content
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in state.files:
        parts = Path(path).relative_to(content).parts
        if len(parts) < 3 or parts[0] != CAMPS_FOLDER:
            continue
        camp = "/".join(parts[:2])
        sub = "/".join(parts[:3]) if len(parts) > 3 else camp
        found[camp][sub].append("/".join(parts))
    return found
