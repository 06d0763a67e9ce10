"""Pieces of the theme that are pure functions: colours, grid, translations."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from campsite.colour import DARK_BACKGROUND, LIGHT_BACKGROUND, contrast, palette
from campsite.model.grid import grid
from campsite.model.site import Camp, Edition, Session, Source
from conftest import ROOT, write

THEME = ROOT / "themes" / "campsite"
PARIS = ZoneInfo("Europe/Paris")


def test_every_camp_colour_gives_readable_text():
    steps = ["00", "33", "66", "99", "cc", "ff"]
    for r, g, b in itertools.product(steps, repeat=3):
        colours = palette(f"#{r}{g}{b}")
        assert contrast(colours.accent, LIGHT_BACKGROUND) >= 4.5
        assert contrast(colours.accent_dark, DARK_BACKGROUND) >= 4.5
        assert contrast(colours.on_fill, colours.fill) >= 4.5


def test_a_readable_colour_is_kept_as_it_is():
    assert palette("#7b1e3a").accent == "#7b1e3a"


def at(hour, minute=0):
    return datetime(2026, 6, 13, hour, minute, tzinfo=PARIS)


def test_grid_spans_long_sessions_over_rows():
    camp = Camp("vinocamp", "Vinocamp", Source("camps/vinocamp/camp.yml"))
    edition = Edition(camp, "2026-x", "x", "X", at(9), at(18), False, PARIS,
                      Source("camps/vinocamp/2026-x/edition.yml"), rooms=["Cave", "Terrasse"])
    edition.sessions = [
        Session("Long", "Cave", at(10), at(11, 45)),
        Session("A", "Terrasse", at(10), at(10, 45)),
        Session("B", "Terrasse", at(11), at(11, 45)),
        Session("Late", "Cave", at(23, 30), datetime(2026, 6, 14, 0, 30, tzinfo=PARIS)),
    ]
    (day,) = grid(edition)
    assert day.rooms == ["Cave", "Terrasse"]
    assert [row.start.hour for row in day.rows] == [10, 11, 23]
    first, second, third = day.rows
    assert (first.cells[0].session.title, first.cells[0].rowspan) == ("Long", 2)
    assert second.cells[0].covered and second.cells[1].session.title == "B"
    assert third.cells[0].session.title == "Late" and third.cells[1].session is None


def template_messages() -> set[str]:
    """The words of the templates, and of the Python code that writes text
    (calendar descriptions, feed items) through the same catalogues."""
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
    found = extract_from_dir(str(THEME / "templates"), method_map=[("**.html", "jinja2")], options_map=options)
    code = extract_from_dir(str(ROOT / "plugins" / "campsite"), method_map=[("**.py", "python")])
    return {message for _, _, message, _, _ in [*found, *code] if isinstance(message, str)}


def test_catalogues_translate_every_word_of_the_templates():
    used = template_messages()
    assert len(used) > 50
    for lang in ("fr", "en"):
        with (THEME / f"translations/{lang}/LC_MESSAGES/campsite.po").open("rb") as po:
            catalogue = read_po(po)
        known = {m.id for m in catalogue if m.id}
        assert used - known == set(), lang
        assert known - used == set(), f"{lang}: unused entries"
        if lang == "fr":
            assert all(m.string for m in catalogue if m.id), "untranslated French entries"


def test_an_english_site_speaks_english(site_dir, tmp_path):
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2027-reims/edition.yml", "start: 2027-06-12T09:30\nend: 2027-06-12T18:00\nstatus: cancelled\n")
    settings = write(tmp_path / "conf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                     f"THEME = {str(THEME)!r}\nDEFAULT_LANG = 'en'\n")
    from campsite.build import build
    out = tmp_path / "out"
    assert build(settings, content=site_dir, output=out, now="2027-01-01T00:00+01:00", quiet=True).ok
    doc = lxml.html.fromstring((out / "vinocamp/2027-reims/index.html").read_bytes())
    assert doc.xpath("string(//p[@class='when']/time)") == "Saturday, June 12, 2027, 9:30\u202fAM – 6:00\u202fPM"
    assert doc.xpath("string(//p[contains(@class,'banner')])") == "Cancelled"
    assert doc.xpath("/html/@lang") == ["en"]
    assert doc.xpath("string(//a[@class='skip-link'])") == "Skip to content"
