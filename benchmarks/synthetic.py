"""Synthetic campsite content for the benchmark, the same for the same seed.

French-looking camps, editions across ten years in several time zones and
statuses, session grids on some editions, write-ups on some; plus, for the
comparison, plain Pelican Markdown articles in the same number.

The sizes aim at about 500, 3,000 and 12,000 HTML pages; medium is a
quarter of large in editions, session grids and write-ups, so that large
over medium measures how the build grows. `python benchmarks/synthetic.py`
generates each size in a temporary folder and prints the page count it
expects, without building (building large takes minutes).
"""

from __future__ import annotations

import math
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

CITIES = [
    ("Bordeaux", "33000", 44.84, -0.58), ("Lyon", "69001", 45.76, 4.83), ("Lille", "59000", 50.63, 3.06),
    ("Nantes", "44000", 47.22, -1.55), ("Rennes", "35000", 48.11, -1.68), ("Toulouse", "31000", 43.60, 1.44),
    ("Marseille", "13001", 43.30, 5.37), ("Strasbourg", "67000", 48.57, 7.75), ("Grenoble", "38000", 45.19, 5.72),
    ("Dijon", "21000", 47.32, 5.04), ("Angers", "49000", 47.47, -0.55), ("Tours", "37000", 47.39, 0.69),
]
ZONES = ["Europe/Paris"] * 8 + ["Indian/Reunion", "America/Guadeloupe", "Pacific/Noumea", "Europe/Brussels"]
WORDS = ("vin numérique donnée atelier terroir réseau ville campagne école santé culture mobilité énergie "
         "climat archive journal photo radio logiciel libre habitat commun association jardin forêt").split()
STATUSES = ["scheduled"] * 16 + ["cancelled", "rescheduled", "postponed", "moved-online"]
ROOMS = ["Salle A", "Salle B", "Atelier", "Terrasse"]


@dataclass(frozen=True)
class Size:
    camps: int
    editions_per_camp: int
    with_sessions: float  # share of editions with a session grid
    writeups: int
    target_pages: int = 0  # the HTML pages the size is meant to give, about


SIZES = {
    "small": Size(camps=4, editions_per_camp=55, with_sessions=0.06, writeups=90, target_pages=500),
    "medium": Size(camps=10, editions_per_camp=150, with_sessions=0.06, writeups=500, target_pages=3_000),
    "large": Size(camps=40, editions_per_camp=150, with_sessions=0.06, writeups=2000, target_pages=12_000),
    # Half as big again as large: how memory and time grow past the targets' size.
    "xlarge": Size(camps=60, editions_per_camp=150, with_sessions=0.06, writeups=3000, target_pages=18_000),
}


def sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(folder: Path, size: Size, seed: int = 2026) -> None:
    rng = random.Random(seed)
    camps = folder / "camps"
    for c in range(size.camps):
        slug = f"camp-{c:02d}"
        zone = rng.choice(ZONES)
        _write(camps / slug / "camp.yml",
               f"name: Camp {c:02d} {rng.choice(WORDS).title()}\ntimezone: {zone}\nlanguage: fr\n"
               f'colour: "#{rng.randrange(0x1000000):06x}"\ntagline: {sentence(rng, 6)}\n'
               f"description: |\n  {sentence(rng, 40)}\n\n  {sentence(rng, 30)}\n"
               "defaults:\n  price: free\n  capacity: 120\n  rooms: [Salle A, Salle B, Atelier, Terrasse]\n"
               f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n")
        start = date(2017, 1, 1) + timedelta(days=rng.randrange(60))
        for e in range(size.editions_per_camp):
            day = start + timedelta(days=e * (3650 // size.editions_per_camp))
            city, postcode, lat, lon = rng.choice(CITIES)
            edition = f"{day:%Y-%m-%d}-{city.lower()}"
            status = rng.choice(STATUSES)
            previous = (day - timedelta(days=14)).isoformat()
            extra = f"previous_start: {previous}\n" if status == "rescheduled" else ""
            extra += "online: https://meet.example.org/x\n" if status == "moved-online" else ""
            _write(camps / slug / edition / "edition.yml",
                   f"start: {day}T09:30\nend: {day}T18:00\nstatus: {status}\n{extra}"
                   f"venue: {{name: Tiers-lieu {e}, address: {e} rue {rng.choice(WORDS)}, city: {city}, "
                   f'postcode: "{postcode}", country: FR, geo: [{lat}, {lon}]}}\n'
                   f"summary: {sentence(rng, 10)}\ndescription: |\n  {sentence(rng, 60)}\n"
                   f"tags: [{rng.choice(WORDS)}]\n")
            if rng.random() < size.with_sessions:
                _write(camps / slug / edition / "sessions.yml", _sessions(rng))
    editions = sorted(p.parent for p in camps.glob("*/*/edition.yml"))
    for w in range(size.writeups):
        edition = rng.choice(editions)
        _write(edition / f"retour-{w:04d}.md",
               f"Title: Retour {w:04d} sur {edition.name}\nDate: {edition.name[:10]} 20:00\n"
               f"Tags: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n\n{sentence(rng, 80)}\n\n"
               f"## {sentence(rng, 4)}\n\n{sentence(rng, 120)}\n")


def _sessions(rng: random.Random) -> str:
    lines = ["sessions:"]
    hosts = [f"Personne {i}" for i in range(40)]
    for slot, hour in enumerate((10, 11, 14, 15, 16)):
        for room in ROOMS:
            host = hosts[(slot * 7 + ROOMS.index(room) + rng.randrange(3)) % 40]
            lines.append(f"  - {{title: '{sentence(rng, 5)[:-1]}', room: {room}, start: '{hour}:00', "
                         f"end: '{hour}:45', hosts: ['{host} {slot}{room[-1]}']}}")
    return "\n".join(lines) + "\n"


def generate_plain(folder: Path, articles: int, seed: int = 2026) -> None:
    """Plain Pelican: Markdown articles with tags and categories."""
    rng = random.Random(seed)
    for a in range(articles):
        day = date(2017, 1, 1) + timedelta(days=a % 3650)
        _write(folder / "blog" / f"article-{a:05d}.md",
               f"Title: Article {a:05d}\nDate: {day} 10:00\nCategory: {rng.choice(WORDS)}\n"
               f"Tags: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n\n{sentence(rng, 80)}\n\n"
               f"## {sentence(rng, 4)}\n\n{sentence(rng, 120)}\n")


def expected_pages(folder: Path) -> dict[str, int]:
    """What generated content in `folder` holds, and the HTML pages campsite
    is expected to write for it, counted the way its output is laid out
    today (checked against real builds of small and of the former medium):
    per camp its page and subscribe page; per edition its page; per session
    grid the grid, the "now" page and, per room, a screen and a print page;
    per write-up its page; one page per tag and per city; the blog's pages
    (20 articles a page); and nine site pages (home, 404, tags, cities,
    editions, search, subscribe, category, author)."""
    camps = folder / "camps"
    editions = sorted(camps.glob("*/*/edition.yml"))
    grids = sorted(camps.glob("*/*/sessions.yml"))
    writeups = sorted(camps.glob("*/*/*.md"))
    tags: set[str] = set()
    cities: set[str] = set()
    for edition in editions:
        text = edition.read_text(encoding="utf-8")
        tags.update(re.search(r"^tags: \[(.*)\]$", text, re.MULTILINE).group(1).split(", "))
        cities.add(re.search(r"city: ([^,]+),", text).group(1))
    for writeup in writeups:
        tags.update(re.search(r"^Tags: (.*)$", writeup.read_text(encoding="utf-8"), re.MULTILINE).group(1).split(", "))
    counts = {"camps": len(list(camps.glob("*/camp.yml"))), "editions": len(editions), "grids": len(grids),
              "writeups": len(writeups)}
    counts["pages"] = (2 * counts["camps"] + counts["editions"] + (2 + 2 * len(ROOMS)) * counts["grids"]
                       + counts["writeups"] + len(tags) + len(cities) + math.ceil(counts["writeups"] / 20) + 9)
    return counts


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:] or SIZES:
        with tempfile.TemporaryDirectory(prefix="campsite-synthetic-") as tmp:
            generate(Path(tmp) / "content", SIZES[name])
            counts = expected_pages(Path(tmp) / "content")
        print(f"{name}: {counts['camps']} camps, {counts['editions']} editions ({counts['grids']} with a session "
              f"grid), {counts['writeups']} write-ups: about {counts['pages']} pages "
              f"(aimed at {SIZES[name].target_pages})")
