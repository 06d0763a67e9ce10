"""What each job's templates read, recorded while the job runs.

A job's declared key (keys.py) names what its generator hands it: the
edition of an edition page, the articles of a listing. A template can reach
further — a camp page showing `upcoming_editions[0].title`, a site theme's
footer listing every camp — and a key written by hand cannot know that.
So every read a template makes through Jinja (a name from the context, an
attribute or item of a camp, an edition or an article) is noted as a typed
`Read` while its job runs; the manifest keeps each read with the digest of
what it read (reuse.py), and the next build reuses the job's files only if
every one of those digests is still the same (keys.JobKeys.read_digest).

Reads are noted at Jinja's own doors (`Environment.getattr`/`getitem` and
`Context.resolve_or_missing`), so nothing a template does escapes them;
Python code a job runs (calendars, feeds, cards) is given its inputs
explicitly and keyed by them.

Python called while a template renders (a filter, a global, a property)
could still reach a camp or an edition the template never read. With
CAMPSITE_STRICT_READS=1 (the tests set it) such a read fails the build: a
camp or edition page may be read during a render only once the template
has read it, or if the job was given it (`allowed`: what its key declares).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, NamedTuple

from jinja2 import Environment, Template
from jinja2.runtime import Context
from pelican.contents import Content

from ..model import site as model
from .contents import Camp, Edition, _ModelPage

STRICT = os.environ.get("CAMPSITE_STRICT_READS") == "1"


class Kind(StrEnum):
    CONTEXT = "context"  # a name of the site's context: its value's shape (fingerprints.py)
    EDITION = "edition"  # an edition's files, write-ups and its camp's own files
    CAMP = "camp"  # a camp's own files
    CAMP_EDITIONS = "camp-editions"  # which editions a camp has, in order
    ARTICLE = "article"  # an article's or page's file and its translations


class Read(NamedTuple):
    kind: Kind
    name: str

    def text(self) -> str:
        """As the manifest keeps it."""
        return f"{self.kind.value}:{self.name}"

    @classmethod
    def parse(cls, text: str) -> Read | None:
        kind, _, name = text.partition(":")
        try:
            return cls(Kind(kind), name)
        except ValueError:  # a manifest of another version: not reused
            return None


_reads: ContextVar[set[Read] | None] = ContextVar("campsite_reads", default=None)
_allowed: ContextVar[frozenset[Read]] = ContextVar("campsite_allowed_reads", default=frozenset())
_rendering: ContextVar[bool] = ContextVar("campsite_rendering", default=False)


class BypassedRecording(RuntimeError):
    """Python code read a camp or edition its template never read (strict mode)."""


@contextmanager
def recording(allowed: Iterable[Read] = ()) -> Iterator[set[Read]]:
    """Note every read made until the block ends (one job, given `allowed`)."""
    reads: set[Read] = set()
    token, allowed_token = _reads.set(reads), _allowed.set(frozenset(allowed))
    try:
        yield reads
    finally:
        _reads.reset(token)
        _allowed.reset(allowed_token)


@contextmanager
def allowing(values: Iterable[Any]) -> Iterator[None]:
    """While a template is given `values`: what they declare is its job's
    key already, so reading it is neither noted nor, in strict mode, refused
    (on a large site a listing reads thousands of editions it was given)."""
    token = _allowed.set(_allowed.get() | declared_reads(values))
    try:
        yield
    finally:
        _allowed.reset(token)


def identity(obj: Any) -> Read | None:
    """The read of a camp, an edition (page or model) or an article, if `obj` is one."""
    of = _identity_by_type.get(type(obj), _UNSEEN)
    if of is _UNSEEN:
        of = _identity_by_type[type(obj)] = _identity_of_type(type(obj))
    return None if of is None else of(obj)


def _identity_of_type(kind: type) -> Callable[[Any], Read] | None:
    if issubclass(kind, _ModelPage):
        return lambda page: identity(object.__getattribute__(page, "model"))  # not through the strict check
    if issubclass(kind, model.Edition):
        return lambda edition: Read(Kind.EDITION, edition.path)
    if issubclass(kind, model.Camp):
        return lambda camp: Read(Kind.CAMP, camp.slug)
    if issubclass(kind, Content):  # one of Pelican's articles or pages
        return lambda content: Read(Kind.ARTICLE, content.relative_source_path)
    return None


# A template makes millions of reads of strings, lists and sessions: which
# types are model objects is decided once per type, not per read.
_UNSEEN = object()
_identity_by_type: dict[type, Callable[[Any], Read] | None] = {}


def declared_reads(values: Iterable[Any]) -> set[Read]:
    """What a job given `values` (its template's arguments) may read: each
    camp, edition or article among them or in a list of them, a camp with
    its editions, an edition with its camp (as keys.py keys them)."""
    found: set[Read] = set()
    for value in values:
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, Camp):
                editions = object.__getattribute__(item, "editions")
                found |= {Read(Kind.CAMP_EDITIONS, identity(item).name), *map(identity, editions)}
            elif isinstance(item, Edition):
                found.add(Read(Kind.CAMP, object.__getattribute__(item, "model").camp.slug))
            read = identity(item)
            if read is not None:
                found.add(read)
    return found


def note_object(obj: Any, attribute: Any) -> None:
    reads = _reads.get()
    if reads is None:
        return
    read = identity(obj)
    if read is None:
        return
    allowed = _allowed.get()
    if read not in allowed:
        reads.add(read)
    if read.kind is Kind.CAMP and attribute == "editions" and (editions := Read(Kind.CAMP_EDITIONS, read.name)) \
            not in allowed:
        reads.add(editions)


def _check_read(page: _ModelPage) -> None:
    reads = _reads.get()
    if reads is None or not _rendering.get():
        return
    read = identity(page)
    if read not in reads and read not in _allowed.get():
        raise BypassedRecording(f"{read.text()} was read while a template rendered, but not through Jinja "
                                "(a filter or global reaching it?): no reuse key would know it")


def _checked_getattribute(self: _ModelPage, name: str) -> Any:
    if not name.startswith("__"):
        _check_read(self)
    return object.__getattribute__(self, name)


if STRICT:
    _ModelPage.__getattribute__ = _checked_getattribute


class RecordingContext(Context):
    def resolve_or_missing(self, key: str) -> Any:
        reads = _reads.get()
        if reads is not None:
            read = _context_reads.get(key, _UNSEEN)
            if read is _UNSEEN:
                read = _context_reads[key] = _context_read(key)
            if read is not None:
                reads.add(read)
        return super().resolve_or_missing(key)


def _context_read(key: str) -> Read | None:
    # A setting (upper case) is in every job's key already (reuse.site_digest).
    return None if key.isupper() else Read(Kind.CONTEXT, key)


# The names a theme's templates look up, each made a Read once, not at each of millions of lookups.
_context_reads: dict[str, Read | None] = {}


class RecordingTemplate(Template):
    """A template whose rendering is known (strict mode checks reads made then)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _rendering.set(True)
        try:
            return super().render(*args, **kwargs)
        finally:
            _rendering.reset(token)


class _Recording:
    """Mixed into the class of Pelican's Jinja environment."""

    # Most reads are of strings, lists and sessions: the type's entry, looked
    # up here, spares them the rest (a tenth of a page's rendering time).
    def getattr(self, obj: Any, attribute: str) -> Any:
        if _identity_by_type.get(type(obj), _UNSEEN) is not None:
            note_object(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if _identity_by_type.get(type(obj), _UNSEEN) is not None:
            note_object(obj, argument)
        return super().getitem(obj, argument)


def record_reads_of(env: Environment) -> None:
    """Make `env`'s templates note their reads (a generator's environment)."""
    if not isinstance(env, _Recording):
        env.__class__ = type(f"Recording{type(env).__name__}", (_Recording, type(env)), {})
    env.context_class = RecordingContext
    env.template_class = RecordingTemplate
