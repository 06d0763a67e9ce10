"""Field types of the content files: text in, typed values out.

Every scalar reaches the model as the text the organiser wrote (see
yamlfile.py); each type here parses its text and says, in the organiser's
terms, what is wrong. Each also declares the JSON Schema editors use for
completion, so the schema documents what the parser accepts.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from dateutil.rrule import rrulestr
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from unidecode import unidecode

from ..markup import markdown_flaw
from ..messages import say
from . import times


def _text(value: str) -> str:
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if not value:
        raise ValueError(say("must not be empty"))
    return value


Text = Annotated[str, AfterValidator(_text)]
"""One line or a paragraph of text."""


def _convertible(value: str) -> str:
    if why := markdown_flaw(value):
        raise ValueError(why)
    return value


MarkdownText = Annotated[str, AfterValidator(_text), AfterValidator(_convertible),
                         WithJsonSchema({"type": "string", "description": "Markdown"})]
"""Text in Markdown, which converts within the bound every conversion has (markup.py)."""

MAX_NAME_LETTERS = 100


def _name(value: str) -> str:
    value = " ".join(value.split())  # one line: any line break (CR, U+2029…) is a space
    if not value:
        raise ValueError(say("must not be empty"))
    # A tag, city or room names a page (tag/<name>/); a file name has at most
    # 255 bytes, and the address spells every letter in Latin ones (中 → zhong).
    if len(unidecode(value)) > MAX_NAME_LETTERS:
        raise ValueError(say("too long to name a page: keep it under {limit} letters", limit=MAX_NAME_LETTERS))
    return value


Name = Annotated[str, AfterValidator(_name)]
"""A short name on one line that gives a page its address: a tag, a city, a room."""


def unspelt(name: str) -> str:
    """Why a tag or city `name` spelt without letters or digits is refused."""
    # Addresses keep only letters and digits (🍷 → ""): two such names
    # would share one page, titled after whichever came first.
    return say('"{name}" has no letter or digit to make its page\'s address from: write it in words', name=name)


def _spelt(value: str) -> str:
    if not any(character.isalnum() for character in unidecode(value)):
        raise ValueError(unspelt(value))
    return value


ListedName = Annotated[Name, AfterValidator(_spelt)]
"""A tag or a city: a name with its own listing page, so spelt with letters or digits.
(A room named "☕" is fine: its page is at room/, room-2/…)"""


def _url(schemes: tuple[str, ...]):
    def check(value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme.lower() not in schemes:
            allowed = ", ".join(f"{s}:" for s in schemes)
            raise ValueError(say('"{value}" is not a web address (it must start with {schemes})',
                                 value=value, schemes=allowed))
        if parts.scheme.lower() != "mailto" and not parts.netloc:
            raise ValueError(say('"{value}" has no host name', value=value))
        if any(c.isspace() for c in value):
            raise ValueError(say('"{value}" contains spaces', value=value))
        return value

    return check


check_web_url = _url(("http", "https"))

WebUrl = Annotated[
    str,
    AfterValidator(check_web_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]


def _site_url(value: str) -> str:
    value = check_web_url(value)
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ValueError(say('"{value}" must be the plain address of a site, like https://vinocamp.example.org '
                             "(no user name, ?query or #fragment): a standalone build is published there",
                             value=value))
    return value


SiteUrl = Annotated[
    str,
    AfterValidator(_site_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://[^?#@]+$"}),
]
"""The address a site is published at: every link of a standalone camp starts with it."""
LinkUrl = Annotated[
    str,
    AfterValidator(_url(("http", "https", "mailto"))),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^(https?://|mailto:)"}),
]


def _email(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value):
        raise ValueError(say('"{value}" is not an e-mail address', value=value))
    return value


Email = Annotated[
    str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})
]


def _colour(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value):
        raise ValueError(say('"{value}" is not a colour: write it like "#7b1e3a", in quotes', value=value))
    if len(value) == 4:  # "#abc" is "#aabbcc", the one form the rest of campsite reads
        value = "#" + "".join(digit * 2 for digit in value[1:])
    return value.lower()


Colour = Annotated[
    str,
    AfterValidator(_colour),
    WithJsonSchema({"type": "string", "pattern": "^#([0-9a-fA-F]{3}){1,2}$"}),
]


def _language(value: str) -> str:
    value = value.strip()
    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError(say('unknown language "{value}": use a code such as fr or en', value=value)) from None
    return value


Language = Annotated[
    str,
    AfterValidator(_language),
    WithJsonSchema({"type": "string", "examples": ["fr", "en"]}),
]


def _country(value: str) -> str:
    value = value.strip().upper()
    if value not in Locale("en").territories or not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(say('unknown country "{value}": use a two-letter code such as FR', value=value))
    return value


Country = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$"}),
]

TimeZone = Annotated[
    ZoneInfo,
    BeforeValidator(lambda v: times.parse_zone(v) if isinstance(v, str) else v),
    WithJsonSchema({"type": "string", "examples": ["Europe/Paris"]}),
]

Moment = Annotated[
    date | datetime,
    BeforeValidator(lambda v: times.parse_moment(v) if isinstance(v, str) else v),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": times.MOMENT_PATTERN,
            "examples": ["2026-06-13", "2026-06-13T09:30"],
        }
    ),
]
"""A local date (all day) or date and time, in the edition's timezone."""


def _end_moment(value: Any) -> Any:
    if isinstance(value, str) and re.match(times.CLOCK_PATTERN, value.strip()):
        return times.parse_clock(value)
    if isinstance(value, str) and not re.match(times.MOMENT_PATTERN, value.strip()):
        clock = times.clock_example(value, default="18:00")
        raise ValueError(say('"{value}" is not a date, a date and time or a time: '
                             "write 2026-06-13, 2026-06-13T{clock} or {clock}", value=value.strip(), clock=clock))
    return times.parse_moment(value) if isinstance(value, str) else value


EndMoment = Annotated[
    date | datetime | time,
    BeforeValidator(_end_moment),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"{times.MOMENT_PATTERN}|{times.CLOCK_PATTERN}",
            "examples": ["2026-06-13", "2026-06-13T18:00", "18:00"],
        }
    ),
]
"""An edition's end: like Moment, or a time alone, on the start's day (the loader
puts it there: a time before DAY_CHANGE is after midnight, the next date)."""

Clock = Annotated[
    time,
    BeforeValidator(lambda v: times.parse_clock(v) if isinstance(v, str) else v),
    WithJsonSchema({"type": "string", "pattern": times.CLOCK_PATTERN, "examples": ["10:00"]}),
]


def _clock_or_moment(value: Any) -> Any:
    if isinstance(value, str) and re.match(times.CLOCK_PATTERN, value.strip()):
        return times.parse_clock(value)
    if isinstance(value, str) and not re.match(times.MOMENT_PATTERN, value.strip()):
        clock = times.clock_example(value)
        raise ValueError(say('"{value}" is not a time: write it like {clock}, or with its date, '
                             "like 2026-06-13T{clock}", value=value.strip(), clock=clock))
    if isinstance(value, str):
        moment = times.parse_moment(value)
        if not isinstance(moment, datetime):
            raise ValueError(say('"{value}" is a date without a time: write the time of day, like 10:00, '
                                 "or the date and the time, like {day}T10:00",
                                 value=value.strip(), day=f"{moment:%Y-%m-%d}"))
        return moment
    return value


SessionTime = Annotated[
    time | datetime,
    BeforeValidator(_clock_or_moment),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"{times.CLOCK_PATTERN}|{times.MOMENT_PATTERN}",
            "examples": ["10:00", "2026-06-13T10:00"],
        }
    ),
]
"""A time on the edition's day, or a full local datetime (multi-day editions)."""


def _count(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u202f", "")
        if not text.isdigit():
            raise ValueError(say('"{value}" is not a whole number', value=value))
        return int(text)
    return value


Count = Annotated[
    int,
    BeforeValidator(_count),
    WithJsonSchema({"type": ["integer", "string"], "pattern": r"^\d+$", "minimum": 0}),
]


def _amount(value: Any) -> Any:
    if isinstance(value, str):
        try:
            amount = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(say('"{value}" is not an amount: write it like 12.50', value=value)) from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(say('"{value}" is not an amount: write it like 12.50', value=value))
        return amount
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema({"type": ["number", "string"], "examples": ["10", "12.50"]}),
]


# Prices as people write them: 10 €, 10€, €10, 10,50 €, 10 EUR, EUR 10.
_PRICE_AMOUNT = r"[0-9]+(?:[.,][0-9]{1,2})?"  # two decimals at most: is 1.000 one or a thousand?
_PRICE_CURRENCY = r"[A-Za-z]{3}|[€£$]"
_PRICE_TEXT = re.compile(rf"(?P<amount>{_PRICE_AMOUNT})\s*(?P<currency>{_PRICE_CURRENCY})"
                         rf"|(?P<currency_first>{_PRICE_CURRENCY})\s*(?P<amount_last>{_PRICE_AMOUNT})")
_CURRENCY_SIGNS = {"€": "EUR", "£": "GBP"}  # $ is several countries' sign: its code says which


def price_from_text(value: Any) -> Any:
    """A price written as text, as the fields of a fixed price ({amount, currency});
    `free` and the fields themselves pass as they are."""
    if not isinstance(value, str) or value == "free":
        return value
    text = value.strip()
    if re.fullmatch(_PRICE_AMOUNT, text):
        # Not taken as euros: a site lists camps of several countries.
        raise ValueError(say('"{value}" has no currency: write it too, like {value} € or {value} EUR', value=text))
    match = _PRICE_TEXT.fullmatch(text)
    if match is None:
        raise ValueError(say('"{value}" is not a price: write free, an amount and its currency '
                             "(10 €, 10,50 €, €10, 10 EUR, EUR 10), or {{amount: 10, currency: EUR}}", value=text))
    amount = match["amount"] or match["amount_last"]
    return {"amount": amount, "currency": _currency_code(match["currency"] or match["currency_first"], amount)}


def _currency_code(sign: str, amount: str) -> str:
    if sign == "$":
        raise ValueError(say("$ is the sign of several currencies: write its code, like {amount} USD or {amount} CAD",
                             amount=amount))
    code = _CURRENCY_SIGNS.get(sign, sign.upper())
    if code not in list_currencies():
        raise ValueError(say('unknown currency "{sign}": write its three-letter code, like EUR, or €', sign=sign))
    return code


PRICE_TEXT_SCHEMA = {
    "type": "string",
    # \s is any space in ECMAScript patterns too, the no-break space of "10 €" included.
    "pattern": f"^(free|({_PRICE_AMOUNT})\\s*({_PRICE_CURRENCY})|({_PRICE_CURRENCY})\\s*({_PRICE_AMOUNT}))$",
    "examples": ["free", "10 €", "12,50 EUR"],
}
"""What a price written as text may be: the schema of `free` in files.Price."""


def _boolean(value: Any) -> Any:
    words = {"true": True, "yes": True, "oui": True, "false": False, "no": False, "non": False}
    if isinstance(value, str):
        if value.strip().lower() not in words:
            raise ValueError(say('"{value}" is not true or false', value=value))
        return words[value.strip().lower()]
    return value


Boolean = Annotated[bool, BeforeValidator(_boolean), WithJsonSchema({"type": ["boolean", "string"]})]


DECIMAL = re.compile(r"[+-]?\d{1,3}(?:\.\d{1,12})?")


def _coordinate(limit: int):
    def check(value: Any) -> Any:
        # A plain decimal, as calendars and maps write it: float() would
        # also take "1e-7", "4_5", "nan" and "infinity".
        if isinstance(value, str) and not DECIMAL.fullmatch(value.strip()):
            raise ValueError(say('"{value}" is not a decimal number: write it like 44.8412', value=value))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(say('"{value}" is not a decimal number: write it like 44.8412', value=value)) from None
        if not -limit <= number <= limit:
            raise ValueError(say("{number} is out of range (±{limit})", number=number, limit=limit))
        return number

    return check


Latitude = Annotated[float, BeforeValidator(_coordinate(90)), WithJsonSchema({"type": ["number", "string"]})]
Longitude = Annotated[float, BeforeValidator(_coordinate(180)), WithJsonSchema({"type": ["number", "string"]})]


def _key(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise ValueError(say('"{value}" must be lowercase letters, digits and hyphens, like cite-du-vin', value=value))
    return value


Key = Annotated[str, AfterValidator(_key)]


def _identity(separators: str):
    pattern = re.compile(rf"[A-Za-z0-9](?:[A-Za-z0-9._:{separators}-]*[A-Za-z0-9])?")

    def check(value: str) -> str:
        value = value.strip()
        if len(value) > 200 or not pattern.fullmatch(value) or "//" in value:
            if separators:
                raise ValueError(say('"{value}" cannot be an id: use letters, digits, dots, colons, hyphens '
                                     "and slashes (a UUID is best), at most 200", value=value))
            raise ValueError(say('"{value}" cannot be an id: use letters, digits, dots, colons, hyphens '
                                 "(a UUID is best), at most 200", value=value))
        return value

    return check


EditionId = Annotated[str, AfterValidator(_identity("/")), WithJsonSchema(
    {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9]([A-Za-z0-9._:/-]*[A-Za-z0-9])?$"})]
"""An edition's identity in calendars and feeds, for good."""
SessionId = Annotated[str, AfterValidator(_identity("")), WithJsonSchema(
    {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9]([A-Za-z0-9._:-]*[A-Za-z0-9])?$"})]
"""A session's identity within its edition."""
"""A slug-like key: venue keys, folder names."""


def _relative_path(value: str) -> str:
    return value.strip()


AssetPath = Annotated[
    str, AfterValidator(_relative_path), WithJsonSchema({"type": "string", "examples": ["logo.svg"]})
]
"""A file beside the YAML file; the loader checks it exists inside content/."""


def _tags(value: Any) -> Any:
    # "tags: vin" for one tag is what people write; a list is the norm.
    return [value] if isinstance(value, str) else value


MAX_TAGS = 30  # each tag has its page, feeds and calendar, which list every edition's tags

Tags = Annotated[list[ListedName], BeforeValidator(_tags), Field(max_length=MAX_TAGS)]


def _recurrence(value: str) -> str:
    value = value.strip()
    try:
        rrulestr(value, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError):
        raise ValueError(say(
            '"{value}" is not a recurrence rule: write it like FREQ=MONTHLY;BYDAY=-1TH '
            "(the last Thursday of every month)", value=value
        )) from None
    return value


Recurrence = Annotated[
    str,
    AfterValidator(_recurrence),
    WithJsonSchema({"type": "string", "examples": ["FREQ=MONTHLY;BYDAY=-1TH", "FREQ=YEARLY;BYMONTH=6"]}),
]
"""An iCalendar RRULE: when editions usually happen (a planning hint)."""
