"""A seeded random sequence of the edits organisers make, and after each one
the incremental `campsite build` and `campsite serve`'s update in place give
the very bytes of a full build made in another folder from an empty cache
(issue 21). Every kind of edit comes once per sequence, in an order the seed
draws: titles, dates, statuses, venues, editions added, deleted and renamed,
a write-up, camp.yml, sessions.yml, a theme template showing site-wide data,
a theme catalogue (.po) and a setting.

CAMPSITE_EDIT_SEED=<n> replays another sequence; a failure names its seed
and the edits so far."""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import yaml
from campsite.build import build
from campsite.live import LiveSite
from conftest import EXAMPLE_CONTENT, EXAMPLE_NOW, ROOT, own_cache, run_campsite, tree_differences, write

SEED = int(os.environ.get("CAMPSITE_EDIT_SEED", "2026"))
DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


class Workspace:
    """A copy of the example site with its own theme and settings; every
    edit says which files it changed (what serve's watcher would report)."""

    def __init__(self, root: Path, chance: random.Random):
        self.root, self.chance, self.count = root, chance, 0
        self.content, self.theme = root / "content", root / "theme"
        shutil.copytree(EXAMPLE_CONTENT, self.content)
        shutil.copytree(ROOT / "themes" / "campsite", self.theme)
        self.settings_extra = ""
        self.write_settings()
        self.override_camp_page("")

    @property
    def settings(self) -> Path:
        return self.root / "pelicanconf.py"

    def write_settings(self) -> Path:
        return write(self.settings, f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                                    f"THEME = 'theme'\nPATH = 'content'\n{self.settings_extra}")

    def label(self) -> str:
        self.count += 1
        return f"(edit {self.count})"

    # --- what can be picked ----------------------------------------------------

    def editions(self, *, free: bool = False, plain: bool = False) -> list[Path]:
        """Edition folders; `free`: named by no write-up or page (deleting or
        renaming it breaks nothing); `plain`: no status that needs more fields."""
        found = sorted(p.parent for p in self.content.glob("camps/*/*/edition.yml"))
        if free:
            named = "\n".join(p.read_text(encoding="utf-8") for p in self.content.rglob("*.md"))
            found = [f for f in found if f"{f.parent.name}/{f.name}" not in named]
        if plain:
            found = [f for f in found if "status:" not in (f / "edition.yml").read_text(encoding="utf-8")]
        return found

    def pick(self, items: list):
        assert items, "nothing to pick from"
        return self.chance.choice(items)

    # --- the edits --------------------------------------------------------------

    def retitle(self) -> list[Path]:
        path = self.pick(self.editions()) / "edition.yml"
        data = read_yaml(path)
        data["title"] = f"{data.get('title') or path.parent.name} {self.label()}"
        return [dump_yaml(path, data)]

    def move_dates(self) -> list[Path]:
        folder = self.pick(self.editions(plain=True))
        days = self.chance.randint(1, 40)
        changed = []
        for name in ("edition.yml", "sessions.yml"):
            path = folder / name
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                path.write_text(later(text, days), encoding="utf-8")
                changed.append(path)
        return changed

    def change_status(self) -> list[Path]:
        path = self.pick(self.editions(plain=True)) / "edition.yml"
        data = read_yaml(path)
        data["status"] = self.pick(["cancelled", "postponed"])
        return [dump_yaml(path, data)]

    def change_venue(self) -> list[Path]:
        camps = [p for p in self.content.glob("camps/*/camp.yml") if isinstance(read_yaml(p).get("venues"), dict)]
        path = self.pick(sorted(camps))
        data = read_yaml(path)
        key = self.pick(sorted(data["venues"]))
        venue = data["venues"][key]
        venue["name"] = f"{venue.get('name', key)} {self.label()}"
        return [dump_yaml(path, data)]

    def add_edition(self) -> list[Path]:
        source = self.pick(self.editions(plain=True))
        data = read_yaml(source / "edition.yml")
        data = shift_dates(data, 3 * 365)
        data["title"] = f"{data.get('title') or source.name} {self.label()}"
        target = source.parent / f"2029-{self.count:02d}-{source.name.split('-')[-1]}"
        return [dump_yaml(target / "edition.yml", data)]

    def delete_edition(self) -> list[Path]:
        folder = self.pick(self.editions(free=True))
        files = sorted(folder.rglob("*"))
        shutil.rmtree(folder)
        return files

    def rename_edition(self) -> list[Path]:
        folder = self.pick(self.editions(free=True))
        target = folder.with_name(f"{folder.name}-bis{self.count}")
        files = sorted(folder.rglob("*"))
        folder.rename(target)
        return [*files, *sorted(target.rglob("*"))]

    def edit_writeup(self) -> list[Path]:
        path = self.pick(sorted(self.content.glob("blog/*.md")))
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^Title: (.*)$", lambda m: f"Title: {m[1]} {self.label()}", text, count=1,
                               flags=re.M), encoding="utf-8")
        return [path]

    def edit_camp(self) -> list[Path]:
        path = self.pick(sorted(self.content.glob("camps/*/camp.yml")))
        data = read_yaml(path)
        data["tagline"] = f"{data.get('tagline') or ''} {self.label()}".strip()
        return [dump_yaml(path, data)]

    def edit_sessions(self) -> list[Path]:
        path = self.pick(sorted(self.content.glob("camps/*/*/sessions.yml")))
        data = read_yaml(path)
        session = self.pick(data["sessions"])
        session["title"] = f"{session['title']} {self.label()}"
        return [dump_yaml(path, data)]

    def override_camp_page(self, words: str) -> Path:
        """The site's own camp page (from the start): it shows site-wide data
        that no camp page's key names, every upcoming edition's title."""
        path = self.theme / "templates" / "camp.html"
        original = (ROOT / "themes/campsite/templates/camp.html").read_text(encoding="utf-8")
        path.write_text(original.replace("{% block content %}", "{% block content %}<p class=on-the-site>"
                                         + words + "{% for e in upcoming_editions %}{{ e.title }} · {% endfor %}"
                                         "{{ camps|length }}</p>", 1), encoding="utf-8")
        return path

    def theme_shows_site_wide_data(self) -> list[Path]:
        return [self.override_camp_page(f"Sur le site {self.label()} : ")]

    def edit_catalogue(self) -> list[Path]:
        path = self.theme / "translations/fr/LC_MESSAGES/campsite.po"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('msgstr "Prochaine édition"', f'msgstr "Prochaine édition {self.label()}"', 1),
                        encoding="utf-8")
        return [path]

    def change_setting(self) -> list[Path]:
        self.settings_extra += f"SITENAME = 'Campsite {self.label()}'\n"
        return [self.write_settings()]


EDITS: list[Callable[[Workspace], list[Path]]] = [
    Workspace.retitle, Workspace.move_dates, Workspace.change_status, Workspace.change_venue,
    Workspace.add_edition, Workspace.delete_edition, Workspace.rename_edition, Workspace.edit_writeup,
    Workspace.edit_camp, Workspace.edit_sessions, Workspace.theme_shows_site_wide_data,
    Workspace.edit_catalogue, Workspace.change_setting,
]


def read_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # every value text, as campsite reads


def dump_yaml(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def shift_dates(data, days: int):
    if isinstance(data, dict):
        return {k: shift_dates(v, days) for k, v in data.items()}
    if isinstance(data, list):
        return [shift_dates(v, days) for v in data]
    return later(data, days)


def later(text: str, days: int) -> str:
    """Every date written in `text`, `days` later."""
    return DAY.sub(lambda m: (date.fromisoformat(m[1]) + timedelta(days=days)).isoformat(), text)


def full_build(workspace: Workspace, folder: Path) -> Path:
    """The reference: `campsite build` in a process of its own (nothing kept
    in memory by this one's builds), into an empty folder, from an empty
    cache folder of its own."""
    shutil.rmtree(folder, ignore_errors=True)
    with own_cache():
        done = run_campsite("build", "-s", str(workspace.settings), "-o", str(folder), "--now", EXAMPLE_NOW,
                            "--no-search", cwd=workspace.root)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def test_random_edits_give_a_full_builds_bytes_in_build_and_serve(tmp_path):
    chance = random.Random(SEED)
    workspace = Workspace(tmp_path / "site", chance)
    built, served = tmp_path / "built", tmp_path / "served"

    def build_in_place():
        return build(workspace.settings, output=built, now=EXAMPLE_NOW, search=False, quiet=True)

    assert build_in_place().ok
    live = LiveSite(workspace.settings, served, now=EXAMPLE_NOW)
    assert live.rebuild().ok
    done = []
    for edit in chance.sample(EDITS, len(EDITS)):
        edited = edit(workspace)
        done.append(edit.__name__)
        said = f"seed {SEED}, after {' → '.join(done)}"
        result = build_in_place()
        assert result.ok, (said, result.message, [str(p) for p in result.problems])
        assert live.update(set(edited)).ok, said
        fresh = full_build(workspace, tmp_path / "fresh")
        assert tree_differences(built, fresh) == [], f"build, {said}"
        assert tree_differences(served, fresh) == [], f"serve, {said}"
