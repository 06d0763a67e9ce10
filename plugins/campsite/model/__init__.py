"""The campsite model: what organisers write (files) and what a site is (site).

Pure Python: no Pelican, no YAML, no HTML here.
"""

from .cascade import cascade
from .files import CampFile, EditionFile, SessionsFile, Status
from .site import (
    Camp,
    Edition,
    Link,
    Person,
    Price,
    Registration,
    Session,
    Site,
    Source,
    Sponsor,
    Venue,
)

__all__ = [
    "Camp",
    "CampFile",
    "Edition",
    "EditionFile",
    "Link",
    "Person",
    "Price",
    "Registration",
    "Session",
    "SessionsFile",
    "Site",
    "Source",
    "Sponsor",
    "Status",
    "Venue",
    "cascade",
]
