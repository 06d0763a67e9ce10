"""The `campsite` command. Thin: each command calls one function."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from pydantic import ValidationError
from rich.console import Console

from . import __version__, scaffold
from .build import BuildResult, build, load_settings
from .characters import printable
from .clock import parse_now
from .errors import Problems, did_you_mean
from .loader import load_site
from .model.files import CampFile
from .schema import field_reference, write_schemas
from .serve import serve
from .writeup import write_stub
from .yamlfile import load_yaml

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
@click.option("--camp", metavar="CAMP", help="Check one camp as a site of its own, as `build --camp` builds it.")
def check(path: Path | None, settings: Path, output_format: str, camp: str | None) -> None:
    """Check the content and list every problem, writing nothing.

    PATH is the content folder (default: the settings' PATH).

    \b
    Example:
      campsite check
      campsite check content --format github
      campsite check --camp vinocamp
    """
    result = _run(settings, content=path, check_only=True, camp=camp)
    if result.ok:
        click.echo("No problems found.")
        _echo_content(result)
        return
    _report(result, output_format)
    sys.exit(1)


@main.command(name="build")
@_settings_option()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: the settings' OUTPUT_PATH).")
@click.option("--now", metavar="DATETIME", help="The build's present moment, e.g. 2026-06-13T12:00 or 'now' (default: the last commit's time).")
@click.option("--camp", metavar="CAMP", help="Build one camp as a site of its own (default output: OUTPUT_PATH-CAMP).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Processes writing the site (default: one per core); the output is the same.")
@click.option("--no-search", "no_search", is_flag=True, help="Skip the search index (campsite serve makes it itself).")
def build_command(settings: Path, output: Path | None, now: str | None, camp: str | None,
                  workers: int | None, no_search: bool) -> None:
    """Build the site, put in place of the last output only on success.

    \b
    Example:
      campsite build
      campsite build --now now --output public
      campsite build --camp vinocamp -s publishconf.py
    """
    _build_and_report(settings, output=output, now=now, camp=camp, workers=workers, search=not no_search)


def _build_and_report(settings: Path, **options) -> None:
    result = _run(settings, **options)
    if not result.ok:
        _report(result, "text")
        sys.exit(1)
    kinds = result.counts()
    click.echo(
        f"Built {kinds['pages']} pages, {kinds['feeds']} feeds and {kinds['calendars']} calendars "
        f"({result.files_written} files) into {result.output} in {result.seconds:.1f} s."
    )
    _echo_content(result)
    _exit_at_once()


def _exit_at_once() -> None:
    """Exit without freeing the built site object by object, which takes
    Python a second on a large site: everything is written, every worker
    has ended, and what is left to say is flushed here."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


def _echo_content(result: BuildResult, err: bool = False) -> None:
    if result.content is not None:
        click.echo(result.content.summary(), err=err)


@main.command()
@click.option("--settings", "-s", type=click.Path(dir_okay=False, path_type=Path), default="publishconf.py",
              show_default=True, help=SETTINGS_HELP)
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--now", metavar="DATETIME", help="As for build; 'now' in a nightly rebuild.")
def publish(settings: Path, output: Path | None, now: str | None) -> None:
    """Build the site for publishing, with publishconf.py (absolute URLs).

    \b
    Example:
      campsite publish
      campsite publish --now now
    """
    _build_and_report(settings, output=output, now=now)


@main.command(name="serve")
@_settings_option()
@click.option("--port", "-p", default=8000, show_default=True, type=int)
@click.option("--bind", "-b", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--now", help="The present moment, e.g. 2026-06-13T12:00 (default: the content's last commit, "
                            "fixed while the server runs).")
def serve_command(settings: Path, port: int, bind: str, output: Path | None, now: str | None) -> None:
    """Build, serve the site, and update it and reload the browser on every change.

    Watches content/, themes/, plugins/ and the settings file. Saving a
    camp's or an edition's data updates only the pages that show it. A
    content error shows in the terminal and on the page; fix it and save.

    \b
    Example:
      campsite serve
      campsite serve --port 8001
    """
    content = _content_folder(settings)
    values = load_settings(settings)
    target = Path(output or values["OUTPUT_PATH"]).resolve()
    root = settings.resolve().parent
    watched = [content.resolve(), Path(values["THEME"]).resolve(), root / "plugins", settings.resolve()]
    if now:
        _check_now(now)
    serve(settings.resolve(), target, watched, bind, port, now=now)


@main.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
@click.option("--docs", type=click.Path(dir_okay=False, path_type=Path), default=Path("docs/fields.md"),
              show_default=True, help="Where to write the field reference made from the schemas.")
def schema(output: Path, docs: Path) -> None:
    """Write JSON Schemas for camp.yml, edition.yml and sessions.yml, and
    the field reference made from them.

    Editors use them for completion and checks, with a first line such as
    `# yaml-language-server: $schema=../../../schemas/edition.schema.json`.

    \b
    Example:
      campsite schema
    """
    for path in write_schemas(output):
        click.echo(f"wrote {path}")
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(field_reference(), encoding="utf-8")
    click.echo(f"wrote {docs}")


@main.group()
def new() -> None:
    """Create a camp, an edition or a write-up from a template.

    \b
    Example:
      campsite new camp vinocamp
      campsite new edition vinocamp --date 2027-06-12
    """


@new.command(name="camp")
@click.argument("camp_slug", metavar="SLUG")
@click.option("--name", help="The camp's name (default: from SLUG).")
@click.option("--language", default="fr", show_default=True)
@click.option("--timezone", "zone", default="Europe/Paris", show_default=True)
@click.option("--colour", default="#2f5d50", show_default=True)
@_settings_option()
def new_camp(camp_slug: str, name: str | None, language: str, zone: str, colour: str, settings: Path) -> None:
    """Create content/camps/SLUG/camp.yml.

    \b
    Example:
      campsite new camp vinocamp --name Vinocamp --colour "#7b1e3a"
    """
    content = _content_folder(settings)
    folder = content / "camps" / camp_slug
    if scaffold.slug(camp_slug) != camp_slug:
        raise click.UsageError(f'"{camp_slug}": use lowercase letters, digits and hyphens, like {scaffold.slug(camp_slug) or "vinocamp"}')
    if folder.exists():
        raise click.UsageError(f"{folder} exists already")
    try:  # the same checks as camp.yml's, before anything is written
        CampFile.model_validate({"name": name or camp_slug, "language": language, "timezone": zone, "colour": colour})
    except ValidationError as error:
        raise click.UsageError("; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())) from None
    if name is None:
        default = camp_slug.replace("-", " ").title()
        name = click.prompt("Name", default=default) if sys.stdin.isatty() else default
    folder.mkdir(parents=True)
    text = scaffold.camp_yaml(name, language, zone, colour, "../../../schemas/camp.schema.json")
    (folder / "camp.yml").write_text(text, encoding="utf-8")
    click.echo(f"wrote {folder / 'camp.yml'}: next, write its first edition in "
               f"{folder}/YYYY-city/edition.yml (at least `start:`); later ones come from "
               f"`campsite new edition {camp_slug} --date YYYY-MM-DD`")


@new.command(name="edition")
@click.argument("camp_slug", metavar="CAMP")
@click.option("--from", "source", default="last", show_default=True, help="The edition to copy: 'last' or its folder name.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Its first day (default: the camp's recurrence).")
@click.option("--city", help="Its city (a camp venue in that city is used).")
@_settings_option()
def new_edition(camp_slug: str, source: str, day: datetime | None, city: str | None, settings: Path) -> None:
    """Create a camp's next edition, copied from the last one and moved in time.

    Times, length and registration dates move with the start; id, status and
    sessions stay with the old edition.

    \b
    Example:
      campsite new edition vinocamp --date 2027-06-12 --city Angers
      campsite new edition aperos-numeriques --from 2026-11-lyon
    """
    content = _content_folder(settings)
    site, _ = load_site(content, Problems(content.parent))
    camp = site.camp(camp_slug)
    if camp is None:
        raise click.UsageError(f'no camp "{camp_slug}"{did_you_mean(camp_slug, [c.slug for c in site.camps])}')
    try:
        model = scaffold.pick_source(camp.editions, source)
        new_day = day.date() if day else _recurring_day(camp, model)
        doc = load_yaml(content / model.source.path, Problems())
        data = scaffold.new_edition_data(doc.data, new_day)
        _set_city(data, camp, city)
        city_name = city or (model.venue.city if model.venue else None)
        years = [e.first_day.year for e in camp.editions]
        several = len(years) != len(set(years))
        folder = scaffold.edition_folder(content / camp.source.path.rsplit("/", 1)[0], new_day, city_name, several)
    except scaffold.ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    folder.mkdir()
    schema = scaffold.SCHEMA_COMMENT.format(path="../../../../schemas/edition.schema.json")
    (folder / "edition.yml").write_text(schema + scaffold.dump(data), encoding="utf-8")
    click.echo(f"wrote {folder / 'edition.yml'} (from {model.slug}, starting {data['start']}): "
               "its title, summary, description and registration link are the old edition's; "
               "update them, then run `campsite check`")


def _recurring_day(camp, model) -> date:
    if not camp.recurrence:
        raise scaffold.ScaffoldError("give --date: the camp has no `recurrence:` to propose one")
    return scaffold.next_date(camp.recurrence, model.last_day)


def _set_city(data: dict, camp, city: str | None) -> None:
    if not city:
        return
    key = next((k for k, v in camp.venues.items() if (v.city or "").casefold() == city.casefold()), None)
    data["venue"] = key or {"name": "Lieu à préciser", "city": city}


def _content_folder(settings: Path) -> Path:
    if not settings.is_file():
        raise click.UsageError(f"no {settings} here: run campsite in your site's folder, or pass --settings")
    return Path(load_settings(settings)["PATH"])


@new.command(name="writeup")
@click.argument("edition_path", metavar="CAMP/EDITION")
@_settings_option()
@click.pass_context
def new_writeup(ctx: click.Context, edition_path: str, settings: Path) -> None:
    """The same as `campsite writeup`.

    \b
    Example:
      campsite new writeup vinocamp/2026-bordeaux
    """
    ctx.invoke(writeup, edition_path=edition_path, settings=settings)


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
    _content_folder(settings)
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


def _check_now(now: str) -> None:
    try:
        parse_now(now, ZoneInfo("UTC"))
    except ValueError:
        raise click.BadParameter(
            f'"{now}" is not a date and time: write 2026-06-13T12:00, or now', param_hint="--now"
        ) from None


def _run(settings: Path, **options) -> BuildResult:
    if options.get("now"):
        _check_now(options["now"])
    if not settings.is_file():
        raise click.UsageError(
            f"no {settings} here: run campsite in your site's folder, or pass --settings"
        )
    try:
        if sys.stderr.isatty():  # a spinner for people, nothing in CI logs
            with Console(stderr=True).status("Building…"):
                return build(settings, **options)
        return build(settings, **options)
    except Exception as error:  # a bug in campsite or Pelican, not in the content
        click.echo(printable(f"campsite: internal error: {error.__class__.__name__}: {error}"), err=True)
        if os.environ.get("CAMPSITE_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        else:
            click.echo("Set CAMPSITE_DEBUG=1 to see the details, and please report it.", err=True)
        sys.exit(3)


def _report(result: BuildResult, output_format: str) -> None:
    if result.message:
        click.echo(printable(result.message), err=True)
    for problem in result.problems:
        line = problem.as_github_annotation() if output_format == "github" else str(problem)
        click.echo(line)
    if result.problems:
        count = len(result.problems)
        click.echo(f"{count} problem{'s' if count > 1 else ''} found.", err=True)
    _echo_content(result, err=True)
