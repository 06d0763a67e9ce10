"""`campsite new`: new camps and new editions, written as organisers would.

A new edition is a copy of one the camp has (by default its last one in the
new edition's city, else its last one) moved to a new date: its fields are
copied, its start moved to the new day at the same time, every other date
moved by as much (its date written out in the summary and description
too), and what belongs to the old edition (id, status, former date, sold
out, title, sessions) left behind. Where it is and what it is
called are worked out rather than copied:

- the venue is the one the camp uses in that city (a camp.yml venue there,
  else its last edition's there), or a placeholder (loader/placeholders.py)
  until the organisers have found one;
- in another city than the copied edition's, what speaks of the old place
  (its description, registration, rooms…, and any field naming it) is left
  out rather than carried to a city where it would be wrong;
- the title follows the series' own titles ("Apéro du Numérique Lyon —
  janvier 2027" → "… Dijon — février 2027"), their city, month and year
  replaced; without such a pattern the default title applies.

Without a date, the camp's `recurrence` (an RRULE such as
FREQ=MONTHLY;BYDAY=-1TH), or one given on the command line, proposes the
dates: a planning hint, nothing more. Nothing is written until every new
folder is known to be free.
"""

from __future__ import annotations

import calendar
import os
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from dateutil.rrule import rrulestr

from .errors import Problem, Problems
from .loader import load_site
from .loader.placeholders import PLACEHOLDER_VENUE, is_placeholder
from .messages import say
from .model.site import Camp, Edition, Status, Venue
from .model.times import CLOCK_PATTERN, parse_moment
from .yamlfile import load_yaml

SCHEMA_COMMENT = "# yaml-language-server: $schema={path}\n"
EDITION_SCHEMA = "../../../../schemas/edition.schema.json"
LEFT_BEHIND = ("id", "status", "previous_start", "sold_out", "title")
MOVED_WITH_THE_DATE = (("end",), ("registration", "opens"), ("registration", "closes"))
# Texts that may give the edition's date written out, moved with it.
REDATED = ("summary", "description")
# What an edition says about its place, wrong in another city: left out there.
PLACE_BOUND = ("description", "registration", "rooms", "capacity", "price", "sponsors")
# The fields a copy sets itself, never taken for the old city's.
WORKED_OUT = ("start", "end", "venue", "title", "id")
MAX_AT_ONCE = 100  # a year of weekly editions; more is likely a typo in --until
# Words before a place's name that texts drop ("au Comptoir des Pentes").
ARTICLES = ("le", "la", "les", "l", "the")
MONTH_FOLDER = re.compile(r"^\d{4}-\d{2}-")


class ScaffoldError(Exception):
    """A scaffolding request that cannot be carried out, said plainly."""


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def dump(data: dict[str, Any]) -> str:
    """YAML as organisers write it: keys in order, long text as blocks."""

    class Dumper(yaml.SafeDumper):
        """Standard YAML: values other tools would read as numbers or dates
        stay quoted, so editors checking against the schemas agree."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def camp_yaml(name: str, language: str, timezone: str, colour: str, schema_path: str) -> str:
    data = {"name": name, "language": language, "timezone": timezone, "colour": colour,
            "tagline": f"{name} : un barcamp", "defaults": {"price": "free"}}
    return SCHEMA_COMMENT.format(path=schema_path) + dump(data)


# Dates


def next_date(recurrence: str, after: date) -> date:
    """The first date of `recurrence` after `after`."""
    found = next(_dates_after(recurrence, after), None)
    if found is None:
        raise ScaffoldError(say('recurrence "{recurrence}" has no date after {day}', recurrence=recurrence, day=after))
    return found


def dates_until(recurrence: str, after: date, until: date) -> list[date]:
    """The dates of `recurrence` after `after`, up to `until` inclusive
    (one more than MAX_AT_ONCE at most: enough to refuse too many)."""
    found = []
    for day in _dates_after(recurrence, after):
        if day > until or len(found) > MAX_AT_ONCE:
            break
        found.append(day)
    return found


def _dates_after(recurrence: str, after: date) -> Iterator[date]:
    start = datetime.combine(after, datetime.min.time())
    try:  # the rule starts on `after`: rules without BYDAY keep its weekday or day of month
        rule = rrulestr(recurrence, dtstart=start)
    except (ValueError, TypeError) as error:
        raise ScaffoldError(say('recurrence "{recurrence}" is not an RRULE: {error}',
                                recurrence=recurrence, error=error)) from None
    seen = after
    for moment in rule.xafter(start, inc=False):
        if moment.date() > seen:  # an hourly rule has many moments a day
            seen = moment.date()
            yield seen


def recurring_days(camp: Camp, model: Edition, day: datetime | None, until: str | None, every: str | None) -> list[date]:
    """--date (else the recurrence's next date after the copied edition),
    then, with --until, the recurrence's dates after it up to --until."""
    rule = every or camp.recurrence
    if rule is None and until is not None:
        raise ScaffoldError(say("give --every: the camp has no `recurrence:` to take the dates of --until from"))
    if rule is None and day is None:
        raise ScaffoldError(say("give --date: the camp has no `recurrence:` to propose one"))
    first = day.date() if day else next_date(rule, model.last_day)
    if until is None:
        return [first]
    last = until_day(until)
    if last < first:
        raise ScaffoldError(say("--until {until} is before the first new edition, on {day}", until=until, day=first))
    return [first, *dates_until(rule, first, last)]


def until_day(text: str) -> date:
    """--until: a month (its last day) or a day."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = map(int, text.split("-"))
            return date(year, month, calendar.monthrange(year, month)[1])
        return date.fromisoformat(text)
    except ValueError:
        raise ScaffoldError(say('--until "{until}": write a month, 2027-12, or a day, 2027-12-15', until=text)) from None


# Copying an edition


def new_edition_data(source: dict[str, Any], new_day: date) -> dict[str, Any]:
    """`source` (edition.yml's text-only data) moved so that it starts on `new_day`."""
    data = {k: v for k, v in source.items() if k not in LEFT_BEHIND}
    start = parse_moment(str(source["start"]))
    old_day = start.date() if isinstance(start, datetime) else start
    shift = new_day - old_day
    data["start"] = _moved(str(source["start"]), shift)
    for path in MOVED_WITH_THE_DATE:
        holder = data
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder.get(key), dict) else {}
        if isinstance(holder.get(path[-1]), str):
            holder[path[-1]] = _moved(holder[path[-1]], shift)
    data["id"] = str(uuid.uuid4())
    return data


def _moved(text: str, shift: timedelta) -> str:
    if re.fullmatch(CLOCK_PATTERN, text.strip()):
        return text  # a time alone (end: 18:00) is on the start's day, wherever it moves
    moment = parse_moment(text)
    moved = moment + shift
    if isinstance(moved, datetime):
        return moved.strftime("%Y-%m-%dT%H:%M")
    return moved.isoformat()


@dataclass
class NewEdition:
    """One edition `campsite new edition` is about to write."""

    folder: Path
    day: date
    city: str | None
    data: dict[str, Any]
    source: Edition
    left_out: list[str] = field(default_factory=list)  # fields that were about the old city
    same_day: list[str] = field(default_factory=list)  # the camp's editions elsewhere that day

    @property
    def placeholder(self) -> bool:
        venue = self.data.get("venue")
        return isinstance(venue, dict) and is_placeholder(venue.get("name"))

    def text(self) -> str:
        schema = SCHEMA_COMMENT.format(path=EDITION_SCHEMA)
        return schema + dump(self.data)


def pick_source(editions: list[Edition], name: str | None, city: str | None = None) -> Edition:
    """The edition named `name` ('last': the camp's last one); without a
    name, the camp's last edition in `city`, which has its venue, times and
    registration right, else its last edition. A cancelled edition is
    only copied by name: its summary and description say it is cancelled."""
    if not editions:
        raise ScaffoldError(say("this camp has no edition to copy yet: write the first edition.yml by hand"))
    held = [e for e in editions if e.status is not Status.CANCELLED] or editions
    if name is None:
        in_city = [e for e in held if city and same_city(e.city, city)]
        return (in_city or held)[-1]
    if name == "last":
        return held[-1]
    found = next((e for e in editions if e.slug == name), None)
    if found is None:
        raise ScaffoldError(say('no edition "{name}" (the editions: {editions})',
                                name=name, editions=", ".join(e.slug for e in editions)))
    return found


def plan_editions(camp: Camp, source: Edition, days: list[date], city: str | None,
                  content: Path) -> list[NewEdition]:
    """The editions to write, one per day, refused as a whole when any
    cannot be written: all or nothing."""
    if len(days) > MAX_AT_ONCE:
        raise ScaffoldError(say("{count} editions at once: at most {limit}; is --until right?",
                                count=len(days), limit=MAX_AT_ONCE))
    venue = venue_in(camp, city, content) if city else read_data(source, content).get("venue")
    city_name = _city_of(venue, camp) if city else source.city
    camp_folder = content / camp.source.path.rsplit("/", 1)[0]
    names = folder_names(camp, days, city_name)
    planned = [_new_edition(camp, source, day, city_name, venue, camp_folder / name, content)
               for day, name in zip(days, names, strict=True)]
    _refuse_clashes(camp, planned)
    return planned


def _new_edition(camp: Camp, source: Edition, day: date, city: str | None, venue: Any,
                 folder: Path, content: Path) -> NewEdition:
    # Read afresh for each copy: moving the dates changes nested values in place.
    data = new_edition_data(read_data(source, content), day)
    if venue is not None:
        data = _with_venue(data, venue)
    for key in REDATED:
        if isinstance(data.get(key), str):
            data[key] = redated(data[key], source.first_day, day, source.language)
    new = NewEdition(folder, day, city, data, source)
    # Usual in a series held in several cities, a mistake in one that tours them.
    new.same_day = [e.slug for e in camp.editions if e.first_day == day and not same_city(e.city, city)]
    if not same_city(city, source.city):
        new.left_out = _leave_the_old_place(data, source)
    _point_logos_at_their_folder(data, content / source.folder, folder)
    title = series_title(camp, source, city, day)
    if title:
        new.data = {"title": title, **data}
    return new


def write_editions(planned: list[NewEdition]) -> None:
    for edition in planned:
        edition.folder.mkdir()
        (edition.folder / "edition.yml").write_text(edition.text(), encoding="utf-8")


def read_data(edition: Edition, content: Path) -> dict[str, Any]:
    """The edition's edition.yml as written (text values), not as inherited."""
    doc = load_yaml(content / edition.source.path, Problems())
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def _with_venue(data: dict[str, Any], venue: Any) -> dict[str, Any]:
    """`venue` in the place edition.yml files give it: after the dates."""
    if "venue" in data:
        return {**data, "venue": venue}
    keys = list(data)
    at = max((keys.index(k) + 1 for k in ("start", "end") if k in data), default=0)
    return {**dict(list(data.items())[:at]), "venue": venue, **dict(list(data.items())[at:])}


def _leave_the_old_place(data: dict[str, Any], source: Edition) -> list[str]:
    """Remove from `data` what speaks of the copied edition's place: the
    place-bound fields, and any other naming its city or venue (a summary
    "Premier apéro à Lille", a tag, a link). Returns the fields removed."""
    names = [n for n in (source.city, source.venue.name if source.venue else None) if n]
    gone = [key for key in data if key in PLACE_BOUND
            or (key not in WORKED_OUT and any(mentions(text, n) for text in _texts(data[key]) for n in names))]
    for key in gone:
        del data[key]
    return gone


def _point_logos_at_their_folder(data: dict[str, Any], old: Path, new: Path) -> None:
    """Sponsor logos are files next to edition.yml: the copy names the old
    edition's files (`../2026-bordeaux/logo.svg`) instead of missing ones."""
    for sponsor in data.get("sponsors") or []:
        logo = sponsor.get("logo") if isinstance(sponsor, dict) else None
        if isinstance(logo, str) and "://" not in logo and not PurePosixPath(logo).is_absolute():
            sponsor["logo"] = Path(os.path.relpath(old / logo, new)).as_posix()


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def redated(text: str, old: date, new: date, language: str | None) -> str:
    """`text` with the copied edition's own date, written out as the
    language writes dates ("jeudi 14 janvier 2027", "14 janvier",
    "janvier 2027"), changed to the new edition's; other dates are kept."""
    spans = []
    for old_form, new_form in zip(written_dates(old, language), written_dates(new, language), strict=True):
        spans += [(at, at + len(old_form), new_form) for at in _words_at(text, old_form)]
    parts, at = [], 0
    for start, end, new_form in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start >= at:  # the longest form found at a place is the one replaced
            capital = text[start].isupper()
            parts += [text[at:start], new_form[:1].upper() + new_form[1:] if capital else new_form]
            at = end
    return "".join([*parts, text[at:]])


def written_dates(day: date, language: str | None) -> list[str]:
    """`day` as texts write it, with or without weekday and year."""
    locale = _locale(language)
    if locale is None:
        return []
    weekday, day_month = format_date(day, "EEEE", locale=locale), format_skeleton("MMMMd", day, locale=locale)
    return [format_date(day, "full", locale=locale), format_date(day, "long", locale=locale),
            f"{weekday} {day_month}", f"{weekday}, {day_month}", day_month,
            format_skeleton("yMMMM", day, locale=locale)]


# Places


def same_city(one: str | None, other: str | None) -> bool:
    """"Saint-Étienne" is "saint etienne": organisers type city names freely."""
    if not one or not other:
        return one == other
    return (slug(one) or one.casefold()) == (slug(other) or other.casefold())


def mentions(text: str, name: str) -> bool:
    """Whether `text` names `name`, as words, whatever their case, accents
    or leading article: "Rendez-vous au Tiers-Lieu de Wazemmes" names
    "Le Tiers-Lieu de Wazemmes", a link …/lille/… names Lille."""
    words = slug(name)
    for article in ARTICLES:
        words = words.removeprefix(f"{article}-")
    if not words:  # a name in another script
        return _fold(name) in _fold(text)
    return f"-{words}-" in f"-{slug(text)}-"


def venue_in(camp: Camp, city: str, content: Path) -> str | dict[str, Any]:
    """The venue the camp uses in `city`: a camp.yml venue there (the one
    its last edition there used, if several), else the venue its last
    edition there wrote out, else a placeholder to be replaced."""
    keys = [key for key, venue in camp.venues.items() if same_city(venue.city, city)]
    met_there = [e for e in camp.editions if e.venue is not None and same_city(e.city, city)]
    last = met_there[-1] if met_there else None
    if last is not None and last.venue.key in keys:
        return last.venue.key
    if keys:
        return keys[0]
    if last is not None:
        written = read_data(last, content).get("venue")
        return written if isinstance(written, dict) else venue_data(last.venue)
    return {"name": PLACEHOLDER_VENUE, "city": city}


def venue_data(venue: Venue) -> dict[str, Any]:
    """A venue written out, as edition.yml would (one inherited from camp.yml's defaults)."""
    fields = ("name", "address", "city", "postcode", "country", "geo", "access", "url")
    values = {name: getattr(venue, name) for name in fields}
    values["geo"] = list(venue.geo) if venue.geo else None
    return {name: value for name, value in values.items() if value is not None}


def _city_of(venue: str | dict[str, Any], camp: Camp) -> str | None:
    """The city as the venue spells it ("Lyon" for --city lyon)."""
    if isinstance(venue, str):
        return camp.venues[venue].city
    return venue.get("city")


# Titles


def series_title(camp: Camp, source: Edition, city: str | None, day: date) -> str | None:
    """The title the series would give an edition in `city` on `day`: the
    first pattern found in the copied edition's title, else in the camp's
    titles, latest first. None when there is none, or when it gives the
    default title anyway (which then stays right if the venue changes)."""
    for edition in [source, *reversed(camp.editions)]:
        if bool(edition.city) != bool(city):  # an online edition's title says so
            continue
        parts = title_pattern(edition.title, edition.city, edition.first_day, edition.language)
        title = fill_pattern(parts, city, day, source.language) if parts else None
        if title:
            return None if title == default_title(camp, city, day) else title
    return None


def default_title(camp: Camp, city: str | None, day: date) -> str:
    """As the loader makes it (loader/editions.py)."""
    return " ".join(p for p in (camp.name, city, str(day.year)) if p)


Slot = tuple[str, str, bool]  # what ("city", "month", "year"), the month's form, capitalised
Pattern = list[str | Slot]


def title_pattern(title: str, city: str | None, day: date, language: str | None) -> Pattern | None:
    """`title` cut around its edition's city, month name and year:
    "Apéro du Numérique Lyon — janvier 2027" → ["Apéro du Numérique ",
    city, " — ", month, " ", year, ""]. None when it does not name its
    city (it may name the place otherwise: "Vinocamp Anjou 2027"), or names
    none of the three (a title of its own)."""
    spans: list[tuple[int, int, Slot]] = []
    if city:
        found = _words_at(title, city)
        if not found:
            return None
        spans.append((found[-1], found[-1] + len(city), ("city", "", False)))  # the camp's name comes first
    spans += [(at, at + 4, ("year", "", False)) for at in _words_at(title, str(day.year))]
    for form, name in month_names(day, language).items():
        spans += [(at, at + len(name), ("month", form, False)) for at in _words_at(title, name)]
    if not spans:
        return None
    parts: Pattern = []
    at = 0
    for start, end, (what, form, _) in sorted(spans):
        if start >= at:  # a month that is also the city's name is taken once
            parts += [title[at:start], (what, form, title[start].isupper())]
            at = end
    return [*parts, title[at:]]


def fill_pattern(parts: Pattern, city: str | None, day: date, language: str | None) -> str | None:
    """The title `parts` give an edition in `city` on `day`; None if it
    needs a city and there is none (an online edition)."""
    names = month_names(day, language)
    text = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        what, form, capital = part
        value = {"city": city, "year": str(day.year), "month": names.get(form)}[what]
        if not value:
            return None
        text.append(value[:1].upper() + value[1:] if capital else value)
    return "".join(text)


def month_names(day: date, language: str | None) -> dict[str, str]:
    """The name of `day`'s month in `language`, in a date ("lutego") and on
    its own ("luty"): titles use either."""
    locale = _locale(language)
    return {form: format_date(day, form, locale=locale) for form in ("MMMM", "LLLL")} if locale else {}


def _locale(language: str | None) -> Locale | None:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None  # no date words to find: the language is checked where it is written


def _words_at(text: str, word: str) -> list[int]:
    """Where `word` stands as a whole word in `text`, whatever its case or accents."""
    haystack, needle = _fold(text), _fold(word)
    found = []
    at = haystack.find(needle) if needle else -1
    while at >= 0:
        end = at + len(needle)
        if not (at and haystack[at - 1].isalnum()) and not (end < len(haystack) and haystack[end].isalnum()):
            found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _fold(text: str) -> str:
    """Lowercase without accents, one character for one, so that places
    found in the folded text are places in the text."""
    return "".join(unicodedata.normalize("NFKD", c)[0].lower()[0] for c in text)


# Folders


def folder_names(camp: Camp, days: list[date], city: str | None) -> list[str]:
    """<year>-<city>; <year>-<month>-<city> when the camp meets more than
    once a year (two of its editions, old or new, in one year, or folders
    named so already); <year>-<month>-<day>-<city> when more than once a
    month in one city."""
    meetings = [(e.first_day, slug(e.city or "")) for e in camp.editions] + [(d, slug(city or "")) for d in days]
    if _repeats((d.year, d.month, c) for d, c in meetings):
        style = "%Y-%m-%d"
    elif _repeats(d.year for d, _ in meetings) or any(MONTH_FOLDER.match(e.slug) for e in camp.editions):
        style = "%Y-%m"
    else:
        style = "%Y"
    return ["-".join(p for p in (day.strftime(style), slug(city or "")) if p) for day in days]


def _repeats(values: Iterator[Any]) -> bool:
    return any(count > 1 for count in Counter(values).values())


def _refuse_clashes(camp: Camp, planned: list[NewEdition]) -> None:
    """Every reason not to write, found before anything is written: a
    folder that exists, or an edition the camp already has that day there
    (the same command run twice)."""
    clashes = [say("{folder} exists already", folder=f"{camp.slug}/{p.folder.name}")
               for p in planned if p.folder.exists()]
    clashes += [say("{edition} is already on {day} in {city}", edition=e.path, day=p.day, city=e.city)
                for p in planned for e in camp.editions
                if e.first_day == p.day and same_city(e.city, p.city) and not p.folder.exists()]
    if clashes:
        raise ScaffoldError(say("nothing written: {clashes}", clashes="; ".join(clashes)))


# After writing


def problems_in(folders: list[Path], content: Path, timezone: str, language: str) -> list[Problem]:
    """Every problem the site has in `folders`, the site loaded again with
    them in it, as `campsite check` lists them."""
    problems = Problems(content.absolute().parent)
    load_site(content, problems, default_timezone=timezone, default_language=language)
    inside = tuple(problems.display_path(folder.resolve()) + "/" for folder in folders)
    return [problem for problem in problems if problem.path.startswith(inside)]
