"""Loading small sites: what the model makes of what organisers write."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from campsite.errors import Problems
from campsite.loader import load_site
from campsite.model import Status
from conftest import write

PARIS = ZoneInfo("Europe/Paris")
CAMP = """\
name: Vinocamp
timezone: Europe/Paris
language: fr
venues:
  cite-du-vin: {name: La Cité du Vin, city: Bordeaux, postcode: "33300", country: FR, geo: [44.8625, -0.5503]}
defaults:
  capacity: 150
  price: free
  rooms: [Cave, Terrasse]
"""


def load(content):
    problems = Problems(content.parent)
    site, _ = load_site(content, problems, default_timezone="UTC", default_language="en")
    return site, [str(p) for p in problems]


def edition(content, folder, text, sessions=None, camp=CAMP):
    write(content / "camps/vinocamp/camp.yml", camp)
    write(content / f"camps/vinocamp/{folder}/edition.yml", text)
    if sessions is not None:
        write(content / f"camps/vinocamp/{folder}/sessions.yml", sessions)


def test_a_timed_edition_inherits_from_its_camp(site_dir):
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\nvenue: cite-du-vin\n")
    site, problems = load(site_dir)
    assert problems == []
    (e,) = site.editions
    assert e.start == datetime(2026, 6, 13, 9, 30, tzinfo=PARIS)
    assert e.start.utcoffset() == timedelta(hours=2)
    assert e.end == datetime(2026, 6, 13, 18, 0, tzinfo=PARIS)
    assert not e.all_day and not e.is_multi_day
    assert e.title == "Vinocamp Bordeaux 2026"
    assert e.id == "vinocamp/2026-bordeaux"
    assert e.capacity == 150 and e.price.is_free
    assert e.rooms == ["Cave", "Terrasse"]
    assert e.language == "fr" and e.timezone.key == "Europe/Paris"
    assert e.venue.postcode == "33300" and e.venue.country == "FR"
    assert e.venue.geo == (44.8625, -0.5503)


def test_all_day_and_multi_day_editions_end_at_the_next_midnight(site_dir):
    edition(site_dir, "2026-lyon", "start: 2026-06-12\nend: 2026-06-14\nid: abc-123\n")
    edition(site_dir, "2026-nantes", "start: 2026-09-19\n")
    site, problems = load(site_dir)
    assert problems == []
    lyon, nantes = site.editions
    assert lyon.all_day and lyon.is_multi_day and lyon.id == "abc-123"
    assert lyon.first_day == date(2026, 6, 12) and lyon.last_day == date(2026, 6, 14)
    assert lyon.end == datetime(2026, 6, 15, tzinfo=PARIS)
    assert nantes.all_day and not nantes.is_multi_day
    assert nantes.end == datetime(2026, 9, 20, tzinfo=PARIS)
    assert nantes.title == "Vinocamp 2026"


def test_a_timed_edition_without_end_ends_with_its_programme_day(site_dir):
    edition(site_dir, "2026-10-paris", "start: 2026-10-08T19:00\n")
    site, _ = load(site_dir)
    (e,) = site.editions
    assert e.end is None
    assert e.ends == datetime(2026, 10, 9, 4, 0, tzinfo=PARIS)
    assert not e.is_past(datetime(2026, 10, 9, 1, 0, tzinfo=PARIS))
    assert e.is_past(datetime(2026, 10, 9, 4, 0, tzinfo=PARIS))


def test_yaml_implicit_types_do_not_bite(site_dir):
    camp = CAMP.replace('postcode: "33300", country: FR', "postcode: 01000, country: NO")
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\nvenue: cite-du-vin\nsold_out: no\n", camp=camp)
    site, problems = load(site_dir)
    assert problems == []
    (e,) = site.editions
    assert e.venue.postcode == "01000" and e.venue.country == "NO" and e.sold_out is False


def test_sessions_on_the_day_after_midnight_and_from_slots(site_dir):
    sessions = """\
slots:
  - {start: "10:00", end: "10:45"}
sessions:
  - {title: Ouverture, room: Cave, start: "10:00"}
  - {title: Fin de soirée, room: Terrasse, start: "23:30", end: "00:30"}
"""
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\nend: 2026-06-14T01:00\n", sessions)
    site, problems = load(site_dir)
    assert problems == []
    opening, late = site.editions[0].sessions
    assert opening.end == datetime(2026, 6, 13, 10, 45, tzinfo=PARIS)
    assert late.start == datetime(2026, 6, 13, 23, 30, tzinfo=PARIS)
    assert late.end == datetime(2026, 6, 14, 0, 30, tzinfo=PARIS)
    assert [day for day, _ in site.editions[0].programme()] == [date(2026, 6, 13)]


def test_multi_day_sessions_need_their_date(site_dir):
    sessions = """\
sessions:
  - {title: Jour 2, room: Cave, start: 2026-06-13T10:00, end: 2026-06-13T11:00}
  - {title: Sans date, room: Cave, start: "14:00", end: "15:00"}
"""
    edition(site_dir, "2026-lyon", "start: 2026-06-12\nend: 2026-06-14\n", sessions)
    site, problems = load(site_dir)
    assert [s.title for s in site.editions[0].sessions] == ["Jour 2"]
    assert problems == [
        "content/camps/vinocamp/2026-lyon/sessions.yml:3: sessions[1].start: this edition "
        "lasts several days: give the date too, like 2026-06-12T14:00",
        "content/camps/vinocamp/2026-lyon/sessions.yml:3: sessions[1].end: this edition "
        "lasts several days: give the date too, like 2026-06-12T15:00",
    ]


def test_an_inherited_mistake_is_reported_once_at_camp_yml(site_dir):
    camp = CAMP.replace("capacity: 150", "capacity: beaucoup")
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13\n", camp=camp)
    edition(site_dir, "2027-bordeaux", "start: 2027-06-12\n", camp=camp)
    site, problems = load(site_dir)
    # The editions are still loaded (without the bad default), so that their
    # own problems would be reported in the same pass.
    assert [e.capacity for e in site.editions] == [None, None]
    assert problems == [
        'content/camps/vinocamp/camp.yml:7: defaults.capacity: "beaucoup" is not a whole number'
    ]


def test_statuses(site_dir):
    edition(site_dir, "2026-a", "start: 2026-06-13\nstatus: rescheduled\nprevious_start: 2026-05-30\n")
    edition(site_dir, "2026-b", "start: 2026-07-13\nstatus: moved-online\nonline: https://meet.example.org/x\nvenue: cite-du-vin\n")
    site, problems = load(site_dir)
    assert problems == []
    a, b = site.editions
    assert a.status is Status.RESCHEDULED and a.previous_start == datetime(2026, 5, 30, tzinfo=PARIS)
    assert b.is_online_only and not b.is_hybrid


@pytest.mark.parametrize(
    ("written", "amount", "currency"),
    [("10€", "10", "EUR"), ("10 €", "10", "EUR"), ("10\u00a0€", "10", "EUR"), ("€10", "10", "EUR"),
     ("10,50 €", "10.50", "EUR"), ("12.5 EUR", "12.5", "EUR"), ("EUR 10", "10", "EUR"), ("10 eur", "10", "EUR"),
     ("£8", "8", "GBP"), ("20 CHF", "20", "CHF"), ("{amount: 10, currency: EUR}", "10", "EUR"),
     ("{amount: 15}", "15", "EUR")],
)
def test_prices_as_people_write_them(site_dir, written, amount, currency):
    edition(site_dir, "2026-bordeaux", f"start: 2026-06-13\nprice: {written}\n")
    site, problems = load(site_dir)
    assert problems == []
    (e,) = site.editions
    assert (e.price.amount, e.price.currency) == (Decimal(amount), currency)
    assert not e.price.is_free


def test_a_free_price_stays_free(site_dir):
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13\n")  # the camp's default: free
    site, problems = load(site_dir)
    assert problems == [] and site.editions[0].price.is_free


def test_an_end_time_alone_is_on_the_start_day_or_after_its_midnight(site_dir):
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\nend: 18:00\n")
    edition(site_dir, "2026-10-paris", "start: 2026-10-08T19:00\nend: 01:30\n")
    site, problems = load(site_dir)
    assert problems == []
    bordeaux, paris = site.editions
    assert bordeaux.end == datetime(2026, 6, 13, 18, 0, tzinfo=PARIS)
    assert paris.end == datetime(2026, 10, 9, 1, 30, tzinfo=PARIS)
    assert not paris.is_multi_day  # one evening's programme


def test_an_end_time_in_the_camp_defaults_ends_each_edition_on_its_own_day(site_dir):
    camp = CAMP.replace("  capacity: 150\n", "  capacity: 150\n  end: 18:00\n")
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\n", camp=camp)
    edition(site_dir, "2027-bordeaux", "start: 2027-06-12T10:00\n", camp=camp)
    site, problems = load(site_dir)
    assert problems == []
    assert [e.end for e in site.editions] == [datetime(2026, 6, 13, 18, 0, tzinfo=PARIS),
                                              datetime(2027, 6, 12, 18, 0, tzinfo=PARIS)]


def test_a_refused_timezone_invents_no_clock_change_problem(site_dir):
    # 02:30 does not exist in Paris on 2026-03-29; in the zone meant, it may well.
    edition(site_dir, "2026-bordeaux", "start: 2026-03-29T02:30\ntimezone: America/Nw_York\n")
    _, problems = load(site_dir)
    assert len(problems) == 1 and 'unknown timezone "America/Nw_York"' in problems[0]


def test_a_field_refused_in_camp_defaults_is_not_taken_as_its_default(site_dir):
    # Not "scheduled" in place of the refused status: previous_start is no mistake then.
    camp = CAMP.replace("  capacity: 150\n", "  capacity: 150\n  status: reschduled\n")
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13\nprevious_start: 2026-05-30\n", camp=camp)
    _, problems = load(site_dir)
    assert problems == ["content/camps/vinocamp/camp.yml:8: defaults.status: \"reschduled\" is not one of "
                        "'scheduled', 'postponed', 'rescheduled', 'cancelled' or 'moved-online'"]


def test_a_camp_venue_with_one_bad_value_is_still_the_editions_venue(site_dir):
    camp = CAMP.replace("geo: [44.8625, -0.5503]", "geo: [44.8625, -200]")
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13\nvenue: cite-du-vin\n", camp=camp)
    site, problems = load(site_dir)
    assert problems == ["content/camps/vinocamp/camp.yml:5: venues.cite-du-vin.geo[1]: -200.0 is out of range (±180)"]
    assert site.editions[0].venue.city == "Bordeaux" and site.editions[0].venue.geo is None


def test_one_bad_session_leaves_the_others_loaded_and_checked(site_dir):
    sessions = """\
slots:
  - {start: "10:00", end: "10:45"}
  - {start: "11:00", end: "11h45"}
sessions:
  - {title: Ouverture, room: Cave, start: "10:00"}
  - {title: Sans heure, room: Cave, start: 2026-06-13}
  - {title: Au créneau refusé, room: Cave, start: "11:00"}
  - {title: Atelier, room: Terrasse, start: "14:00", end: "15:00"}
"""
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n", sessions)
    site, problems = load(site_dir)
    assert [s.title for s in site.editions[0].sessions] == ["Ouverture", "Atelier"]
    assert [s.source.line for s in site.editions[0].sessions] == [5, 8]
    # Nothing said of the session whose slot was refused: it has one.
    assert problems == [
        'content/camps/vinocamp/2026-bordeaux/sessions.yml:3: slots[1].end: "11h45" is not a time: '
        "write it like 11:45, or with its date, like 2026-06-13T11:45",
        'content/camps/vinocamp/2026-bordeaux/sessions.yml:6: sessions[1].start: "2026-06-13" is a date '
        "without a time: write the time of day, like 10:00, or the date and the time, like 2026-06-13T10:00",
    ]


def test_a_key_named_like_a_price_kind_is_an_unknown_key(site_dir):
    # "free", "fixed", "key" and "inline" name the branches of price and venue in
    # pydantic's reports; a key so named is still the organiser's.
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\n", "free: yes\nsessions: []\n")
    _, problems = load(site_dir)
    assert problems == ['content/camps/vinocamp/2026-bordeaux/sessions.yml:1: free: unknown key "free"']


def test_a_session_with_a_time_problem_still_has_its_room_and_slides_checked(site_dir):
    sessions = """\
slots:
  - {start: "10:00", end: "10:45"}
sessions:
  - {title: Créneau inconnu, room: Cav, start: "10:15"}
  - {title: Trop tard, room: Cave, start: "19:00", end: "20:00", links: {slides: absent.pdf}}
"""
    edition(site_dir, "2026-bordeaux", "start: 2026-06-13T09:30\nend: 2026-06-13T18:00\n", sessions)
    _, problems = load(site_dir)
    assert [p.split(": ", 2)[1] for p in problems] == [
        "sessions[0].room", "sessions[0].start", "sessions[1].links.slides", "sessions[1].start"]
