"""The three files organisers write: camp.yml, edition.yml, sessions.yml.

These models validate one file each, field by field, and are the source of
the JSON Schemas in schemas/. Cross-file rules (venue keys, rooms, overlaps)
live in the loader, which sees the whole site.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

from .fields import (
    PRICE_TEXT_SCHEMA,
    Amount,
    AssetPath,
    Boolean,
    Colour,
    Count,
    Country,
    EditionId,
    Email,
    EndMoment,
    Key,
    Language,
    Latitude,
    LinkUrl,
    ListedName,
    Longitude,
    MarkdownText,
    Moment,
    Name,
    Recurrence,
    SessionId,
    SessionTime,
    SiteUrl,
    Tags,
    Text,
    TimeZone,
    WebUrl,
    price_from_text,
)


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Status(StrEnum):
    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    MOVED_ONLINE = "moved-online"


class PersonFile(FileModel):
    name: Text
    url: WebUrl | None = None
    email: Email | None = None


class LinkFile(FileModel):
    title: Text
    url: LinkUrl


class VenueFile(FileModel):
    name: Text
    address: Text | None = None
    city: ListedName | None = None
    postcode: Text | None = None
    country: Country | None = None
    geo: tuple[Latitude, Longitude] | None = None
    access: Text | None = Field(None, description="Access notes: transport, step-free access…")
    url: WebUrl | None = None


class FixedPrice(FileModel):
    amount: Amount
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])] = "EUR"


def _price_kind(value: Any) -> str:
    return "free" if isinstance(value, str) else "fixed"


Price = Annotated[
    Annotated[Literal["free"], Tag("free"), WithJsonSchema(PRICE_TEXT_SCHEMA)] | Annotated[FixedPrice, Tag("fixed")],
    Discriminator(_price_kind),
    BeforeValidator(price_from_text),  # "10 €" → {amount: 10, currency: EUR}
]


def _venue_kind(value: Any) -> str:
    return "key" if isinstance(value, str) else "inline"


VenueRef = Annotated[
    Annotated[Key, Tag("key")] | Annotated[VenueFile, Tag("inline")],
    Discriminator(_venue_kind),
]
"""A key of the camp's `venues`, or the venue written out in full."""

UNION_TAGS = {"free", "fixed", "key", "inline"}


class RegistrationFile(FileModel):
    url: LinkUrl
    opens: Moment | None = None
    closes: Moment | None = None


class SponsorFile(FileModel):
    name: Text
    url: WebUrl | None = None
    logo: AssetPath | None = None
    tier: Text | None = None


class EditionFields(FileModel):
    """Every edition field, all optional: what camp.yml `defaults` may set."""

    title: Text | None = Field(None, description='Default: "<camp name> <city> <year>"')
    start: Moment | None = Field(
        None, description="Local start; a bare date means an all-day edition"
    )
    end: EndMoment | None = Field(
        None, description="Local end; a bare date is the last day, a time alone is on the start's day"
    )
    timezone: TimeZone | None = Field(None, description="Default: the camp's timezone")
    status: Status = Field(
        Status.SCHEDULED, description="scheduled, postponed, rescheduled, cancelled or moved-online"
    )
    previous_start: Moment | None = Field(None, description="Required when rescheduled")
    venue: VenueRef | None = Field(None, description="A key of the camp's venues, or the venue written out")
    online: WebUrl | None = Field(None, description="The link of an online or hybrid edition")
    registration: RegistrationFile | None = Field(None, description="`{url, opens, closes}`")
    price: Price | None = Field(None, description="`free`, `10 €`, `10 EUR`, or `{amount: 10, currency: EUR}`")
    capacity: Count | None = Field(None, description="How many people can come")
    sold_out: Boolean = Field(False, description="`true` once every place is taken")
    language: Language | None = None
    rooms: list[Name] | None = Field(None, description="The rooms sessions may use")
    summary: Text | None = None
    description: MarkdownText | None = Field(None, description="Markdown")
    tags: Tags = []
    sponsors: list[SponsorFile] = []
    id: EditionId | None = Field(None, description="Stable identity, kept for the life of the edition")


class EditionFile(EditionFields):
    """edition.yml: one edition of a camp."""

    start: Moment


class CampFile(FileModel):
    """camp.yml: a series of editions."""

    name: Text
    tagline: Text | None = None
    description: MarkdownText | None = Field(None, description="Markdown")
    language: Language | None = None
    timezone: TimeZone | None = None
    colour: Colour | None = Field(None, description='The camp\'s colour, in quotes: "#7b1e3a"')
    logo: AssetPath | None = Field(None, description="A file in the camp's folder")
    website: SiteUrl | None = Field(None, description="The camp's own address, for a standalone microsite")
    organisers: list[PersonFile] = []
    links: list[LinkFile] = []
    venues: dict[Key, VenueFile] = Field(
        default_factory=dict, description="Named venues: `key: {name, address, city, postcode, country, geo}`"
    )
    defaults: EditionFields = Field(
        default_factory=EditionFields, description="Any edition field, inherited by editions"
    )
    tags: Tags = []
    recurrence: Recurrence | None = Field(
        None, description="When editions usually happen, as an RRULE: `campsite new edition` proposes the next date"
    )


class SlotFile(FileModel):
    start: SessionTime
    end: SessionTime


class SessionLinks(FileModel):
    """Links of a session; `slides` may name a file in the edition folder."""

    slides: Annotated[str, Field(min_length=1)] | None = None
    notes: LinkUrl | None = None
    video: LinkUrl | None = None
    audio: LinkUrl | None = None
    photos: LinkUrl | None = None
    code: LinkUrl | None = None
    website: LinkUrl | None = None


class SessionFile(FileModel):
    id: SessionId | None = Field(None, description="Stable identity in calendars; default: from the title")
    title: Text
    room: Name = Field(description="One of the edition's rooms")
    start: SessionTime = Field(description="A time on the edition's day, or a full local datetime")
    end: SessionTime | None = Field(None, description="Default: the end of its slot")
    hosts: list[Text] = Field(default_factory=list, description="Who leads the session")
    tags: Tags = []
    description: MarkdownText | None = Field(None, description="Markdown")
    links: SessionLinks = Field(default_factory=SessionLinks)


MAX_SESSIONS = 1_000


class SessionsFile(FileModel):
    """sessions.yml: the session grid of an edition."""

    slots: list[SlotFile] = Field(default_factory=list, max_length=MAX_SESSIONS)
    # A large barcamp has a hundred sessions; the bound keeps the checks
    # that compare sessions pairwise (rooms, hosts) and the grid cheap.
    sessions: list[SessionFile] = Field(default_factory=list, max_length=MAX_SESSIONS)

