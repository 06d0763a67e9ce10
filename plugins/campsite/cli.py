"""The `campsite` command. Thin: each command calls one function."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .build import BuildResult, build, load_settings
from .errors import Problems, did_you_mean
from .loader import load_site
from .schema import write_schemas
from .writeup import write_stub

SETTINGS_HELP = "Pelican settings file of the site."


def _settings_option(default: str = "pelicanconf.py"):
    return click.option(
        "--settings",
        "-s",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=True,
        help=SETTINGS_HELP,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campsite")
def main() -> None:
    """Static microsites, feeds and calendars for event series.

    \b
    Example, in your site's folder:
      campsite check
      campsite build
    """


@main.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@_settings_option()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: annotations for a pull request.",
)
def check(path: Path | None, settings: Path, output_format: str) -> None:
    """Check the content and list every problem, writing nothing.

    PATH is the content folder (default: the settings' PATH).

    \b
    Example:
      campsite check
      campsite check content --format github
    """
    result = _run(settings, content=path, check_only=True)
    if result.ok:
        click.echo("No problems found.")
        return
    _report(result, output_format)
    sys.exit(1)


@main.command(name="build")
@_settings_option()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: the settings' OUTPUT_PATH).")
@click.option("--now", metavar="DATETIME", help="The build's present moment, e.g. 2026-06-13T12:00 or 'now' (default: the last commit's time).")
@click.option("--camp", metavar="CAMP", help="Build one camp as a site of its own (default output: OUTPUT_PATH-CAMP).")
def build_command(settings: Path, output: Path | None, now: str | None, camp: str | None) -> None:
    """Build the site into a new output folder, swapped in only on success.

    \b
    Example:
      campsite build
      campsite build --now now --output public
      campsite build --camp vinocamp -s publishconf.py
    """
    result = _run(settings, output=output, now=now, camp=camp)
    if not result.ok:
        _report(result, "text")
        sys.exit(1)
    click.echo(
        f"Built {result.files_written} files into {result.output} in {result.seconds:.1f} s."
    )


@main.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
def schema(output: Path) -> None:
    """Write JSON Schemas for camp.yml, edition.yml and sessions.yml.

    Editors use them for completion and checks, with a first line such as
    `# yaml-language-server: $schema=../../../schemas/edition.schema.json`.

    \b
    Example:
      campsite schema
    """
    for path in write_schemas(output):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("edition_path", metavar="CAMP/EDITION")
@_settings_option()
def writeup(edition_path: str, settings: Path) -> None:
    """Create a write-up stub in an edition's folder, a section per session.

    The stub is a draft (Status: draft): complete it, then remove that line
    to publish it.

    \b
    Example:
      campsite writeup vinocamp/2026-bordeaux
    """
    if not settings.is_file():
        raise click.UsageError(f"no {settings} here: run campsite in your site's folder, or pass --settings")
    values = load_settings(settings)
    content = Path(values["PATH"])
    problems = Problems(content.resolve().parent)
    site, _ = load_site(content, problems, default_timezone=values["TIMEZONE"],
                        default_language=values["DEFAULT_LANG"])
    edition = site.edition(edition_path)
    if edition is None:
        known = [e.path for e in site.editions]
        raise click.UsageError(f'no edition "{edition_path}"{did_you_mean(edition_path, known)}')
    path = write_stub(edition, content.resolve())
    click.echo(f"wrote {problems.display_path(path)}: {len(edition.sessions)} sessions to write up")


def _run(settings: Path, **options) -> BuildResult:
    if not settings.is_file():
        raise click.UsageError(
            f"no {settings} here: run campsite in your site's folder, or pass --settings"
        )
    try:
        return build(settings, **options)
    except Exception as error:  # a bug in campsite or Pelican, not in the content
        click.echo(f"campsite: internal error: {error.__class__.__name__}: {error}", err=True)
        if os.environ.get("CAMPSITE_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        else:
            click.echo("Set CAMPSITE_DEBUG=1 to see the details, and please report it.", err=True)
        sys.exit(3)


def _report(result: BuildResult, output_format: str) -> None:
    if result.message:
        click.echo(result.message, err=True)
    for problem in result.problems:
        line = problem.as_github_annotation() if output_format == "github" else str(problem)
        click.echo(line)
    if result.problems:
        count = len(result.problems)
        click.echo(f"{count} problem{'s' if count > 1 else ''} found.", err=True)
