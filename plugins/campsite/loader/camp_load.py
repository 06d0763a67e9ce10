"""One camp's load: what reading its folder gave, apart from every other camp's.

A camp is loaded by a function of its folder and of what the load knows
before it (the defaults, the content's tree, the edition ids of the camps
read before it, to report a copied `id:` where it is written); it returns a
`CampLoad`, and the site loader merges the loads. A camp taken from the
cache (cache.py) and one read again after an edit (`campsite serve`) are
merged the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem
from ..model.site import Camp
from .context import LoadContext


@dataclass
class CampLoad:
    camp: Camp | None  # None: the camp could not be loaded (its problems say why)
    problems: list[Problem] = field(default_factory=list)
    read_files: set[str] = field(default_factory=set)
    edition_ids: dict[str, str] = field(default_factory=dict)  # the camp's own: id → edition.yml
    assets: set[str] = field(default_factory=set)
    refused_assets: set[str] = field(default_factory=set)
    unusable: set[str] = field(default_factory=set)

    def merge_into(self, camps: list[Camp], ctx: LoadContext) -> None:
        """This camp added to the site being loaded (`camps`) and its context."""
        ctx.problems.extend(self.problems)
        ctx.read_files |= self.read_files
        ctx.edition_ids.update(self.edition_ids)
        ctx.assets |= self.assets
        ctx.refused_assets |= self.refused_assets
        ctx.unusable |= self.unusable
        if self.camp is not None:
            camps.append(self.camp)
