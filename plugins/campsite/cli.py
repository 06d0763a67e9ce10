"""The `campsite` command. Thin: each command calls one function."""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
import traceback
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from pydantic import ValidationError
from rich.console import Console

from . import __version__, scaffold
from .build import BuildResult, build, load_settings
from .catalogues import LANGUAGE_TAG
from .characters import printable
from .clock import parse_now
from .errors import did_you_mean
from .messages import ENVIRONMENT_VARIABLE, language, message_language, say, say_n, speaking
from .model.files import CampFile
from .project import NoProject, Project
from .schema import field_reference, write_schemas
from .serve import Unservable, serve
from .writeup import NoSuchEdition, write_stub_of

SETTINGS_HELP = "Pelican settings file of the site."
LANG_HELP = "Language of the messages, e.g. fr or en [default: the site's DEFAULT_LANG]."


def _ask_for_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """`--lang` is CAMPSITE_LANG for this run: every build the command
    makes (serve's rebuilds too) and every message it says follow it."""
    if value and not LANGUAGE_TAG.fullmatch(value):
        raise click.BadParameter(say('"{value}" is not a language: write a code such as fr or en', value=value))
    if value:
        os.environ[ENVIRONMENT_VARIABLE] = value


def _lang_option(command):
    """`--lang`, before or after the command's name (`campsite --lang en check`)."""
    return click.option("--lang", metavar="LANG", envvar=ENVIRONMENT_VARIABLE, expose_value=False,
                        is_eager=True, callback=_ask_for_language, help=LANG_HELP)(command)


def _in_site_language(command):
    """Run `command` speaking the language of its messages: --lang, else the
    DEFAULT_LANG of the settings file it is given (when there is one)."""
    @functools.wraps(command)
    def speaking_command(*args, **kwargs):
        settings = kwargs.get("settings")
        try:
            values = load_settings(settings) if settings is not None and settings.is_file() else {}
        except Exception:  # a settings file that cannot be read: said by the command itself
            values = {}
        with speaking(message_language(None, values)):
            return command(*args, **kwargs)
    return speaking_command


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
@_lang_option
def main() -> None:
    """Static microsites, feeds and calendars for event series.

    \b
    Example, in your site's folder:
      campsite check
      campsite build
    """
    _stop_on_ctrl_c()


def _stop_on_ctrl_c() -> None:
    """A shell without job control starts background commands (`campsite
    build &` in a script, some CI runners) with SIGINT ignored, and Python
    keeps it so: Ctrl-C must stop a build whatever started it."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


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
@_lang_option
@_in_site_language
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
        _echo_warnings(result, output_format)
        click.echo(say("No problems found."))
        _echo_content(result)
        return
    _report(result, output_format)
    sys.exit(1)


def _echo_warnings(result: BuildResult, output_format: str) -> None:
    """What is worth fixing but does not stop the build, one line each."""
    for warning in result.content.warnings if result.content is not None else []:
        click.echo(warning.as_github_annotation() if output_format == "github" else str(warning))


@main.command(name="build")
@_settings_option()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: the settings' OUTPUT_PATH).")
@click.option("--now", metavar="DATETIME", help="The build's present moment, e.g. 2026-06-13T12:00 or 'now' (default: the last commit's time).")
@click.option("--camp", metavar="CAMP", help="Build one camp as a site of its own (default output: OUTPUT_PATH-CAMP).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Processes writing the site (default: one per core); the output is the same.")
@click.option("--no-search", "no_search", is_flag=True, help="Skip the search index (campsite serve makes it itself).")
@_lang_option
@_in_site_language
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
    _echo_warnings(result, "text")
    click.echo(say("Built {pages} pages, {feeds} feeds and {calendars} calendars ({files} files) "
                   "into {output} in {seconds:.1f} s.", pages=kinds["pages"], feeds=kinds["feeds"],
                   calendars=kinds["calendars"], files=result.files_written, output=result.output,
                   seconds=result.seconds))
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
@_lang_option
@_in_site_language
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
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free one, said when serving).")
@click.option("--bind", "-b", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--now", help="The present moment, e.g. 2026-06-13T12:00 (default: the content's last commit, "
                            "fixed while the server runs).")
@click.option("--drafts", "-D", is_flag=True, help="Show drafts too, marked as drafts, to proofread them "
                                                   "(a build never publishes them).")
@_lang_option
@_in_site_language
def serve_command(settings: Path, port: int, bind: str, output: Path | None, now: str | None, drafts: bool) -> None:
    """Build, serve the site, and update it and reload the browser on every change.

    Watches content/, themes/, plugins/ and the settings file. Saving a
    camp's or an edition's data updates only the pages that show it. A
    content error shows in the terminal and on the page; fix it and save.
    Ctrl-C or SIGTERM stops it and everything it started (exit status 0);
    a port in use is said before anything is built (exit status 1).

    \b
    Example:
      campsite serve
      campsite serve --port 8001
      campsite serve --drafts
    """
    content = _content_folder(settings)
    values = load_settings(settings)
    target = Path(output or values["OUTPUT_PATH"]).resolve()
    root = settings.resolve().parent
    watched = [content.resolve(), Path(values["THEME"]).resolve(), root / "plugins", settings.resolve()]
    if now:
        _check_now(now)
    try:
        serve(settings.resolve(), target, watched, bind, port, now=now, drafts=drafts)
    except Unservable as error:
        click.echo(printable(str(error)), err=True)
        sys.exit(1)
    _exit_at_once()  # stopped: not seconds freeing the site kept in memory, nor waiting on the watcher


@main.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
@click.option("--docs", type=click.Path(dir_okay=False, path_type=Path), default=Path("docs/fields.md"),
              show_default=True, help="Where to write the field reference made from the schemas.")
@_lang_option
@_in_site_language
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
        click.echo(say("wrote {path}", path=path))
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(field_reference(), encoding="utf-8")
    click.echo(say("wrote {path}", path=docs))


@main.group()
@_lang_option
def new() -> None:
    """Create a camp, an edition or a write-up from a template.

    \b
    Example:
      campsite new camp vinocamp
      campsite new edition vinocamp --date 2028-06-10 --city Bordeaux
    """


@new.command(name="camp")
@click.argument("camp_slug", metavar="SLUG")
@click.option("--name", help="The camp's name (default: from SLUG).")
@click.option("--language", default="fr", show_default=True)
@click.option("--timezone", "zone", default="Europe/Paris", show_default=True)
@click.option("--colour", default="#2f5d50", show_default=True)
@_settings_option()
@_lang_option
@_in_site_language
def new_camp(camp_slug: str, name: str | None, language: str, zone: str, colour: str, settings: Path) -> None:
    """Create content/camps/SLUG/camp.yml.

    \b
    Example:
      campsite new camp vinocamp --name Vinocamp --colour "#7b1e3a"
    """
    content = _content_folder(settings)
    folder = content / "camps" / camp_slug
    if scaffold.slug(camp_slug) != camp_slug:
        raise click.UsageError(say('"{slug}": use lowercase letters, digits and hyphens, like {example}',
                                   slug=camp_slug, example=scaffold.slug(camp_slug) or "vinocamp"))
    if folder.exists():
        raise click.UsageError(say("{folder} exists already", folder=folder))
    try:  # the same checks as camp.yml's, before anything is written
        CampFile.model_validate({"name": name or camp_slug, "language": language, "timezone": zone, "colour": colour})
    except ValidationError as error:
        raise click.UsageError("; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())) from None
    if name is None:
        default = camp_slug.replace("-", " ").title()
        name = click.prompt(say("Name"), default=default) if sys.stdin.isatty() else default
    folder.mkdir(parents=True)
    text = scaffold.camp_yaml(name, language, zone, colour, "../../../schemas/camp.schema.json")
    (folder / "camp.yml").write_text(text, encoding="utf-8")
    click.echo(say("wrote {path}: next, write its first edition in {folder}/YYYY-city/edition.yml "
                   "(at least `start:`); later ones come from `campsite new edition {slug} --date YYYY-MM-DD`",
                   path=folder / "camp.yml", folder=folder, slug=camp_slug))


@new.command(name="edition")
@click.argument("camp_slug", metavar="CAMP")
@click.option("--from", "source", metavar="EDITION",
              help="The edition to copy: its folder name, or 'last' for the camp's last edition. "
                   "[default: the camp's last edition in --city, else its last edition; "
                   "cancelled ones are only copied by name]")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="The first day of the (first) new edition. [default: the recurrence's next date "
                   "after the copied edition]")
@click.option("--city", help="Its city. [default: the copied edition's]")
@click.option("--until", metavar="YYYY-MM",
              help="Create one edition per date of the recurrence up to this month (or day, "
                   "YYYY-MM-DD), inclusive.")
@click.option("--every", metavar="RRULE",
              help="The recurrence, e.g. \"FREQ=MONTHLY;BYDAY=2TH\" (the second Thursday). "
                   "[default: the camp's `recurrence:`]")
@_settings_option()
@_lang_option
@_in_site_language
def new_edition(camp_slug: str, source: str | None, day: datetime | None, city: str | None,
                until: str | None, every: str | None, settings: Path) -> None:
    """Create a camp's next edition, or one per date up to --until, copied
    from an edition it has and moved in time; then check the new files.

    \b
    From the copied edition, each new one takes:
      - every field, its start moved to the new day at the same time of day,
        its end and registration dates moved by as much, its date written out
        in summary and description ("jeudi 14 janvier 2027") changed too,
        sponsor logos named where they are (../2026-bordeaux/logo.svg);
      - not its id (a new one is written), status, previous_start, sold_out,
        title, nor sessions.yml.

    \b
    Its title follows the series' titles, their city, month and year
    replaced ("Apéro du Numérique Dijon — février 2027"); without such a
    pattern there is no `title:` and the default "<camp> <city> <year>" applies.

    \b
    With --city, the venue is the camp's in that city: a camp.yml venue there,
    else the venue of its last edition there, else a placeholder,
    "Lieu à préciser", which `campsite check` reports until it is replaced.
    In another city than the copied edition's, its description, registration,
    rooms, capacity, price and sponsors are left out (the camp's defaults
    apply), and so is any other field naming its city or venue.

    \b
    The folder is <year>-<city>; <year>-<month>-<city> when the camp meets more
    than once a year; <year>-<month>-<day>-<city> more than once a month in a city.
    If one exists, or the camp already meets there that day, nothing is written.

    \b
    Example:
      campsite new edition vinocamp --date 2028-06-10 --city Bordeaux
      campsite new edition aperos-numeriques --city Dijon --from 2027-01-lyon --date 2027-02-11
      campsite new edition aperos-numeriques --city Lyon --until 2027-12 --every "FREQ=MONTHLY;BYDAY=2TH"
    """
    project = _project(settings)
    content, site = project.content, project.load()
    camp = site.camp(camp_slug)
    if camp is None:
        raise click.UsageError(say('no camp "{slug}"{suggestion}', slug=camp_slug,
                                   suggestion=did_you_mean(camp_slug, [c.slug for c in site.camps])))
    try:
        model = scaffold.pick_source(camp.editions, source, city)
        days = scaffold.recurring_days(camp, model, day, until, every)
        planned = scaffold.plan_editions(camp, model, days, city, content)
    except scaffold.ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    scaffold.write_editions(planned)
    for edition in planned:
        click.echo(_written(edition))
    problems = scaffold.problems_in([edition.folder for edition in planned], content, project.timezone,
                                    project.language)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(say_n("{count} problem in the new files: fix them.",
                         "{count} problems in the new files: fix them.", len(problems)), err=True)
        sys.exit(1)
    copied = [f for f in ("summary", "description", "tags", "registration") if any(f in e.data for e in planned)]
    review = say(" Copied word for word, so review: {fields}.", fields=", ".join(copied)) if copied else ""
    click.echo(say("No problems in the new files.{review}", review=review))


def _written(edition: scaffold.NewEdition) -> str:
    """One line per file: where, when, what it was copied from, and what to do."""
    line = say("wrote {path}: {start}, from {source}", path=edition.folder / "edition.yml",
               start=edition.data["start"], source=edition.source.slug)
    if edition.left_out:
        place = edition.source.city or say("its place")
        line += say("; left out, as they were about {place}: {fields}", place=place, fields=", ".join(edition.left_out))
    if edition.placeholder:
        line += say('; the venue is "{venue}": replace it', venue=edition.data["venue"]["name"])
    if edition.same_day:
        line += say("; the camp also meets that day: {editions}", editions=", ".join(edition.same_day))
    return line


def _project(settings: Path) -> Project:
    try:
        return Project.open(settings)
    except NoProject as error:
        raise click.UsageError(str(error)) from None


def _content_folder(settings: Path) -> Path:
    return _project(settings).content


@new.command(name="writeup")
@click.argument("edition_path", metavar="CAMP/EDITION")
@_settings_option()
@click.pass_context
@_lang_option
@_in_site_language
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
@_lang_option
@_in_site_language
def writeup(edition_path: str, settings: Path) -> None:
    """Create a write-up stub in an edition's folder, a section per session.

    The stub is a draft (Status: draft): complete it, then remove that line
    to publish it.

    \b
    Example:
      campsite writeup vinocamp/2026-bordeaux
    """
    project = _project(settings)
    try:
        edition, path = write_stub_of(project, edition_path)
    except NoSuchEdition as error:
        raise click.UsageError(str(error)) from None
    click.echo(say_n("wrote {path}: {count} session to write up", "wrote {path}: {count} sessions to write up",
                     len(edition.sessions), path=project.problems().display_path(path)))


def _check_now(now: str) -> None:
    try:
        parse_now(now, ZoneInfo("UTC"))
    except ValueError:
        raise click.BadParameter(
            say('"{value}" is not a date and time: write 2026-06-13T12:00, or now', value=now), param_hint="--now"
        ) from None


def _run(settings: Path, **options) -> BuildResult:
    if options.get("now"):
        _check_now(options["now"])
    if not settings.is_file():
        raise click.UsageError(say("no {settings} here: run campsite in your site's folder, or pass --settings",
                                   settings=settings))
    try:
        if sys.stderr.isatty():  # a spinner for people, nothing in CI logs
            with Console(stderr=True).status(say("Building…")):
                return build(settings, lang=language(), **options)
        return build(settings, lang=language(), **options)
    except Exception as error:  # a bug in campsite or Pelican, not in the content
        click.echo(printable(say("campsite: internal error: {kind}: {error}", kind=error.__class__.__name__,
                                 error=error)), err=True)
        if os.environ.get("CAMPSITE_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        else:
            click.echo(say("Set CAMPSITE_DEBUG=1 to see the details, and please report it."), err=True)
        sys.exit(3)


def _report(result: BuildResult, output_format: str) -> None:
    if result.message:
        click.echo(printable(result.message), err=True)
    _echo_warnings(result, output_format)
    for problem in result.problems:
        line = problem.as_github_annotation() if output_format == "github" else str(problem)
        click.echo(line)
    if result.problems:
        count = len(result.problems)
        click.echo(say_n("{count} problem found.", "{count} problems found.", count), err=True)
    _echo_content(result, err=True)
