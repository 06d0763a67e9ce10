"""The getting-started guides, followed end to end as an organiser types them.

docs/en/getting-started.md and docs/fr/premiers-pas.md are read, not
copied here: the commands are taken from their indented blocks, the files
to write from their fenced YAML blocks, and what campsite prints is
compared with the indented blocks that follow, line for line, in the
guide's language. The numbers of the "Built …" and "Content: …" lines are
examples (they follow the example site's content), so only their words are
compared; every other line must be exactly what campsite prints. A guide
that drifts from the code fails here.

The English guide has its reader type `export CAMPSITE_LANG=en`; the
French one does not, so its run has no CAMPSITE_LANG at all and speaks the
site's DEFAULT_LANG, French. The build's "now" is fixed (SOURCE_DATE_EPOCH)
so that the warnings the guides show, which last until an edition is past,
do not depend on the day the tests run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

ROOT = Path(__file__).resolve().parents[1]
CAMPSITE = Path(sys.executable).parent / "campsite"
GUIDES = {"en": ROOT / "docs/en/getting-started.md", "fr": ROOT / "docs/fr/premiers-pas.md"}
PROJECT = ("pelicanconf.py", "publishconf.py", "content", "themes", "schemas")
NOW = datetime.fromisoformat("2026-11-21T12:00:00+01:00")
SITE_FOLDER = re.compile(r"/home/\w+/site")  # the guides' example of the site's folder
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")  # 1033, 1 033, 3.3, 3,3
PROBLEM = re.compile(r"^(?P<path>content/\S+?):(?P<line>\d+): (?P<field>[^:\s]+): ")
FILE_PROBLEM = re.compile(r"^(?P<path>content/\S+?): ")
COMMANDS = ("campsite", "export ", ". ", "python3 ")


@dataclass
class Block:
    fence: str | None  # None for an indented block, else the fence's language ("yaml")
    text: str
    before: str  # the prose between the previous block and this one

    @property
    def is_command(self) -> bool:
        return self.fence is None and self.text.startswith(COMMANDS)

    @property
    def is_output(self) -> bool:
        return self.fence is None and not self.is_command


@dataclass
class Section:
    blocks: list[Block]
    after: str  # the prose after the last block

    @property
    def prose(self) -> str:
        return "\n".join([*(b.before for b in self.blocks), self.after])

    def command(self, start: str, nth: int = 0) -> int:
        """The index of the `nth` command block that starts with `start`."""
        found = [i for i, b in enumerate(self.blocks) if b.is_command and b.text.startswith(start)]
        assert len(found) > nth, f"the guide has no command {start!r} here"
        return found[nth]

    def prose_after(self, index: int) -> str:
        return self.blocks[index + 1].before if index + 1 < len(self.blocks) else self.after


def sections(guide: Path) -> dict[int, Section]:
    """The guide's numbered sections ("## 3. …"), each as its blocks of code and their prose."""
    found: dict[int, Section] = {}
    parts = re.split(r"^## (\d+)\. .*$", guide.read_text(encoding="utf-8"), flags=re.MULTILINE)
    for number, text in zip(parts[1::2], parts[2::2]):
        found[int(number)] = _section(text)
    return found


def _section(text: str) -> Section:
    blocks: list[Block] = []
    prose: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            blocks.append(Block(line[3:].strip(), "\n".join(lines[i + 1:end]) + "\n", "\n".join(prose)))
            prose, i = [], end + 1
        elif line.startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            end = i
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            code = [code_line[4:] for code_line in lines[i:end]]
            blocks.append(Block(None, "\n".join(code).strip("\n"), "\n".join(prose)))
            prose, i = [], end
        else:
            prose.append(line)
            i += 1
    return Section(blocks, "\n".join(prose))


def snippets(prose: str) -> list[str]:
    return re.findall(r"`([^`]+)`", prose)


def quoted(prose: str, starting: str) -> list[str]:
    """The texts in quotes ("…" or « … ») that start with `starting`."""
    return [t for t in re.findall(r'["“«]\s*([^"”»]+?)\s*["”»]', prose) if t.startswith(starting)]


class Organiser:
    """Types the guide's commands in the site's folder."""

    def __init__(self, project: Path, environ: dict[str, str]) -> None:
        self.project, self.environ = project, environ

    def run(self, command: str) -> tuple[int, list[str]]:
        words = shlex.split(command)
        assert words[0] == "campsite", command
        done = subprocess.run([str(CAMPSITE), *words[1:]], cwd=self.project, env=self.environ, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        return done.returncode, done.stdout.replace(str(self.project), "<site>").splitlines()


def expected(block: Block) -> list[str]:
    return SITE_FOLDER.sub("<site>", block.text).splitlines()


def assert_prints(printed: list[str], guide_block: Block, numbered: int = 0) -> None:
    """`printed` is the guide's block, but for the numbers of its last `numbered` lines."""
    wanted = expected(guide_block)

    def words(lines: list[str]) -> list[str]:
        cut = len(lines) - numbered
        return lines[:cut] + [NUMBER.sub("N", line) for line in lines[cut:]]

    assert words(printed) == words(wanted), "\n".join(["campsite printed:", *printed, "the guide says:", *wanted])


def title_of(page: Path) -> str:
    return " ".join(lxml.html.fromstring(page.read_bytes()).xpath("string(//h1)").split())


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "site"
    project.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    return project.resolve()


def organiser_environment(setup: Section) -> dict[str, str]:
    """The terminal's environment, CAMPSITE_LANG only if the guide has it exported."""
    environ = {k: v for k, v in os.environ.items() if k != "CAMPSITE_LANG"}
    for block in setup.blocks:
        for line in block.text.splitlines() if block.is_command else []:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").partition("=")
                environ[name] = value
    environ["SOURCE_DATE_EPOCH"] = str(int(NOW.timestamp()))
    return environ


def make_mistakes(path: Path, prose: str) -> None:
    """The mistakes the guide's prose names: `key: value` written in place
    of the key's line, and a key misspelt, `right:` then `wrong:`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = [s[:-1] for s in snippets(prose) if re.fullmatch(r"\w+:", s)]
    assert len(keys) % 2 == 0, keys
    renamed = dict(zip(keys[::2], keys[1::2]))
    values = [s for s in snippets(prose) if re.fullmatch(r"\w+: \S.*", s)]
    assert values or renamed, "the guide names no mistake to make"
    for value in values:
        key = value.split(":")[0]
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        lines[index] = value
    for right, wrong in renamed.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{right}:"))
        lines[index] = wrong + lines[index][len(right):]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_getting_started_guide_end_to_end(lang, tmp_path):
    guide = sections(GUIDES[lang])
    project = copy_project(tmp_path)
    organiser = Organiser(project, organiser_environment(guide[1]))

    # 1. Set up: the site builds, and ends with the lines the guide shows.
    setup = guide[1]
    build = setup.command("campsite build")
    status, printed = organiser.run(setup.blocks[build].text)
    assert status == 0, printed
    assert setup.blocks[build + 1].is_output
    assert_prints(printed, setup.blocks[build + 1], numbered=2)

    # 3. Create a camp: the command writes the camp.yml the guide shows; the
    # first edition is written by hand, as the guide shows it.
    camp = guide[3]
    new_camp = camp.command("campsite new camp")
    status, printed = organiser.run(camp.blocks[new_camp].text)
    assert status == 0, printed
    camp_yml, edition_yml = [b for b in camp.blocks[new_camp + 1:] if b.fence == "yaml"][:2]
    camp_path = [s for s in snippets(camp_yml.before) if s.endswith("camp.yml")][-1]
    assert (project / camp_path).read_text(encoding="utf-8") == camp_yml.text
    name = re.search(r"^name: (.+)$", camp_yml.text, re.MULTILINE).group(1)
    folder = next(s for s in snippets(edition_yml.before) if s.startswith("content/") and s.endswith("/"))
    first_edition = project / folder / "edition.yml"
    first_edition.parent.mkdir(parents=True)
    first_edition.write_text(edition_yml.text, encoding="utf-8")
    first_title = quoted(camp.after, name)[0]

    # 4. Prepare the next edition: what the command prints, and the file it writes.
    nxt = guide[4]
    new_edition = nxt.command("campsite new edition")
    status, printed = organiser.run(nxt.blocks[new_edition].text)
    assert status == 0, printed
    assert nxt.blocks[new_edition + 1].is_output
    assert_prints(printed, nxt.blocks[new_edition + 1])
    written = next(s for s in snippets(nxt.prose_after(new_edition + 1)) if re.fullmatch(r"content/\S+/edition\.yml", s))
    second_edition = project / written
    assert second_edition.is_file()
    placeholder = next(s for s in snippets(nxt.prose) if s.startswith("name: "))
    assert re.search(rf"^  {re.escape(placeholder)}$", second_edition.read_text(encoding="utf-8"), re.MULTILINE)
    second_title = next(t for t in quoted(nxt.prose, name) if t != first_title)

    # 5. Preview: the mistake the terminal shows is the one check prints.
    preview = guide[5]
    shown = next(b for b in preview.blocks if b.is_output and PROBLEM.match(b.text))
    problem = PROBLEM.match(shown.text)
    mistaken = project / problem["path"]
    kept = mistaken.read_text(encoding="utf-8")
    lines = kept.splitlines()
    index = int(problem["line"]) - 1
    lines[index] = problem["field"] + ":" + lines[index].split(":", 1)[1]
    mistaken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, printed = organiser.run("campsite check")
    assert status == 1 and SITE_FOLDER.sub("<site>", shown.text) in printed, printed
    mistaken.write_text(kept, encoding="utf-8")

    # 6. Check: no problem, then the guide's two mistakes, then a misspelt file name.
    check = guide[6]
    first_check = check.command("campsite check")
    clean, with_mistakes, file_problem = check.blocks[first_check + 1:first_check + 4]
    assert clean.is_output and with_mistakes.is_output and file_problem.is_output
    status, printed = organiser.run(check.blocks[first_check].text)
    assert status == 0, printed
    assert_prints(printed, clean, numbered=1)

    mistaken_name = next(s for s in snippets(with_mistakes.before) if s.endswith("/edition.yml"))
    mistaken = project / Path(camp_path).parent / mistaken_name
    kept = mistaken.read_text(encoding="utf-8")
    make_mistakes(mistaken, with_mistakes.before)
    status, printed = organiser.run(check.blocks[first_check].text)
    assert status == 1, printed
    assert_prints(printed, with_mistakes, numbered=1)
    mistaken.write_text(kept, encoding="utf-8")

    stray = project / FILE_PROBLEM.match(file_problem.text)["path"]
    stray.write_text(first_edition.read_text(encoding="utf-8"), encoding="utf-8")
    status, printed = organiser.run(check.blocks[first_check].text)
    assert status == 1 and file_problem.text in printed, printed
    stray.unlink()

    # … and the build, once the mistakes are fixed: its lines, and the pages where the guide says.
    build = check.command("campsite build")
    status, printed = organiser.run(check.blocks[build].text)
    assert status == 0, printed
    assert check.blocks[build + 1].is_output
    assert_prints(printed, check.blocks[build + 1], numbered=2)
    where = check.prose_after(build + 1)
    addresses = [s for s in snippets(where) if re.fullmatch(r"/[a-z0-9/-]+/", s)]
    assert len(addresses) >= 3, where
    for address in addresses:
        assert (project / "output" / address.strip("/") / "index.html").is_file(), address
    for path in (s for s in snippets(where) if s.startswith("output/")):
        assert (project / path).is_file(), path
    output = project / "output"
    for edition, title in ((first_edition, first_title), (second_edition, second_title)):
        page = output / edition.parent.relative_to(project / "content/camps") / "index.html"
        assert title_of(page) == title, f"{page}: the guide says its title is {title!r}"
