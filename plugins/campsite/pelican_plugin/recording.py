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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, NamedTuple

from jinja2 import Environment
from jinja2.runtime import Context
from pelican.contents import Content

from ..model import site as model
from .contents import Camp, Edition


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
        return cls(Kind(kind), name) if kind in Kind._value2member_map_ else None


_reads: ContextVar[set[Read] | None] = ContextVar("campsite_reads", default=None)


@contextmanager
def recording() -> Iterator[set[Read]]:
    """Note every read made until the block ends (one job)."""
    reads: set[Read] = set()
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def note_object(obj: Any, attribute: Any) -> None:
    reads = _reads.get()
    if reads is None:
        return
    if isinstance(obj, Edition | model.Edition):
        reads.add(Read(Kind.EDITION, (obj.model if isinstance(obj, Edition) else obj).path))
    elif isinstance(obj, Camp | model.Camp):
        slug = (obj.model if isinstance(obj, Camp) else obj).slug
        reads.add(Read(Kind.CAMP, slug))
        if attribute == "editions":
            reads.add(Read(Kind.CAMP_EDITIONS, slug))
    elif isinstance(obj, Content):  # one of Pelican's articles or pages
        reads.add(Read(Kind.ARTICLE, obj.relative_source_path))


class RecordingContext(Context):
    def resolve_or_missing(self, key: str) -> Any:
        reads = _reads.get()
        if reads is not None:
            reads.add(Read(Kind.CONTEXT, key))
        return super().resolve_or_missing(key)


class _Recording:
    """Mixed into the class of Pelican's Jinja environment."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        note_object(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        note_object(obj, argument)
        return super().getitem(obj, argument)


def record_reads_of(env: Environment) -> None:
    """Make `env`'s templates note their reads (a generator's environment)."""
    if not isinstance(env, _Recording):
        env.__class__ = type(f"Recording{type(env).__name__}", (_Recording, type(env)), {})
    env.context_class = RecordingContext
