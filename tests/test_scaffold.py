"""`campsite new`: camps and editions written as organisers would, run as
organisers run the command on a copy of the example site, then read back
(the files, and the site the loader makes of them) and checked."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from campsite.errors import Problems
from campsite.loader import load_site
from campsite.loader.placeholders import PLACEHOLDER_VENUE, placeholder_venues
from campsite.scaffold import (
    dates_until,
    fill_pattern,
    new_edition_data,
    next_date,
    redated,
    same_city,
    title_pattern,
)
from campsite.yamlfile import load_yaml
from conftest import EXAMPLE_CONTENT, ROOT, run_campsite, write

APEROS = "content/camps/aperos-numeriques"
SECOND_THURSDAY = "FREQ=MONTHLY;BYDAY=2TH"  # Lyon's apéros
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the example site with its own settings file."""
    folder = tmp_path / "site"
    shutil.copytree(EXAMPLE_CONTENT, folder / "content")
    write(folder / "pelicanconf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
          f"THEME = {str(ROOT / 'themes/campsite')!r}\n")
    return folder


def read(path: Path) -> dict:
    return load_yaml(path, Problems()).data


def loaded(project: Path):
    """The site the loader makes of the project's content, and its problems."""
    problems = Problems(project)
    site, _ = load_site(project / "content", problems, default_timezone="Europe/Paris", default_language="fr")
    return site, [str(p) for p in problems]


def new_edition(project: Path, *args: str):
    return run_campsite("new", "edition", *args, cwd=project)


def checked(project: Path) -> None:
    result = run_campsite("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


# New camps and their first editions


def test_new_camp_then_its_first_editions(project):
    result = run_campsite("new", "camp", "archicamp", "--name", "Archicamp", cwd=project)
    assert result.returncode == 0, result.stderr
    camp = project / "content/camps/archicamp/camp.yml"
    assert camp.read_text().startswith("# yaml-language-server: $schema=../../../schemas/camp.schema.json")
    assert read(camp)["name"] == "Archicamp"
    write(project / "content/camps/archicamp/2026-nantes/edition.yml",
          "start: 2026-10-10T09:00\nend: 2026-10-10T17:30\nvenue: {name: La Fabrique, city: Nantes}\n"
          "status: cancelled\nregistration: {url: https://example.org/r, opens: 2026-09-01}\n")
    # Back in Nantes: the venue written out there is reused, the dates move together.
    result = new_edition(project, "archicamp", "--date", "2027-10-09", "--city", "nantes")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / "content/camps/archicamp/2027-nantes/edition.yml")
    assert edition["start"] == "2027-10-09T09:00" and edition["end"] == "2027-10-09T17:30"
    assert edition["registration"]["opens"] == "2027-08-31"  # moved by as much as the start
    assert "status" not in edition and edition["venue"] == {"name": "La Fabrique", "city": "Nantes"}
    uuid.UUID(edition["id"])
    # A city it never met in: a placeholder venue, and nothing of Nantes' registration.
    result = new_edition(project, "archicamp", "--date", "2028-10-14", "--city", "Rennes")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / "content/camps/archicamp/2028-rennes/edition.yml")
    assert edition["venue"] == {"name": PLACEHOLDER_VENUE, "city": "Rennes"} and "registration" not in edition
    assert f'the venue is "{PLACEHOLDER_VENUE}": replace it' in result.stdout
    checked(project)


def test_new_camp_checks_its_values_before_writing(project):
    result = run_campsite("new", "camp", "testcamp", "--colour", "red", cwd=project)
    assert result.returncode == 2 and '"red" is not a colour' in result.stderr
    assert not (project / "content/camps/testcamp").exists()


def test_new_edition_refuses_clearly(project):
    result = new_edition(project, "vinocmp")
    assert result.returncode == 2 and 'no camp "vinocmp" (did you mean "vinocamp"?)' in result.stderr
    result = new_edition(project, "vinocamp")
    assert result.returncode == 2 and "give --date" in result.stderr
    result = new_edition(project, "vinocamp", "--until", "2029-12")
    assert result.returncode == 2 and "give --every" in result.stderr
    result = new_edition(project, "vinocamp", "--date", "2028-06-10", "--until", "2028-13")
    assert result.returncode == 2 and "--until" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_says_what_is_copied_and_what_is_not():
    text = " ".join(run_campsite("new", "edition", "--help").stdout.split())
    for words in ("not its id", "status, previous_start, sold_out, title, nor sessions.yml",
                  "registration dates moved by as much", f'"{PLACEHOLDER_VENUE}"',
                  "description, registration, rooms, capacity, price and sponsors are left out",
                  "<year>-<month>-<city> when the camp meets more than once a year", "--until", "--every"):
        assert words in text


# Where: the venue the camp already uses in the city


def test_a_city_of_the_series_gets_its_venue_times_and_title(project):
    result = new_edition(project, "aperos-numeriques", "--date", "2027-02-17", "--city", "MARSEILLE")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / APEROS / "2027-02-marseille/edition.yml")
    # From Marseille's last edition, not the camp's last one (Nantes): its bar, its hours.
    assert edition["venue"] == "marseille" and edition["start"] == "2027-02-17T19:30"
    assert edition["title"] == "Apéro du Numérique Marseille — février 2027"
    assert "mercredi 17 février 2027" in edition["description"]  # was "mercredi 20 janvier 2027"
    assert "janvier" not in edition["description"]


def test_a_cancelled_edition_is_not_copied_unless_named(project):
    january = project / APEROS / "2027-01-strasbourg/edition.yml"
    january.write_text(january.read_text().replace("venue: strasbourg", "status: cancelled\nvenue: strasbourg"))
    result = new_edition(project, "aperos-numeriques", "--date", "2027-02-10", "--city", "Strasbourg")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "from 2026-11-strasbourg" in result.stdout  # December's was cancelled too
    assert "Annulé" not in (project / APEROS / "2027-02-strasbourg/edition.yml").read_text()


def test_a_new_city_copied_from_another_says_nothing_of_the_old_one(project):
    result = new_edition(project, "aperos-numeriques", "--from", "2027-01-lille", "--date", "2027-02-04",
                         "--city", "Rouen")
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / APEROS / "2027-02-rouen/edition.yml"
    text = path.read_text().casefold()
    for word in ("lille", "wazemmes", "delcroix"):  # its city, its venue, its host
        assert word not in text
    edition = read(path)
    assert edition["venue"] == {"name": PLACEHOLDER_VENUE, "city": "Rouen"}
    assert edition["title"] == "Apéro du Numérique Rouen — février 2027"
    assert not {"description", "registration", "capacity"} & set(edition)  # Lille's, left out
    assert "left out, as they were about Lille: registration, capacity, description" in result.stdout
    site, problems = loaded(project)
    assert problems == []
    rouen = site.edition("aperos-numeriques/2027-02-rouen")
    assert rouen.city == "Rouen" and rouen.capacity == 60  # the camp's default, not Lille's 70
    checked(project)


def test_a_text_naming_the_old_city_is_left_out(project):
    lille = project / APEROS / "2027-01-lille/edition.yml"
    lille.write_text(lille.read_text().replace('summary: "Galette des rois et vœux pour 2027"',
                                               "summary: La galette lilloise du Tiers-Lieu de Wazemmes")
                     .replace("tags: [galette]", "tags: [galette, Lille]"))
    result = new_edition(project, "aperos-numeriques", "--from", "2027-01-lille", "--date", "2027-02-04",
                         "--city", "Rouen")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / APEROS / "2027-02-rouen/edition.yml")
    assert "summary" not in edition and "tags" not in edition  # they named Lille's venue, and Lille


def test_a_city_with_a_camp_venue_gets_it_by_key(project):
    """The recipe "Add a city to a multi-city series", as it is written."""
    camp = project / APEROS / "camp.yml"
    camp.write_text(camp.read_text().replace("venues:\n", "venues:\n  dijon:\n    name: Le Bar du Miroir\n"
                                             "    address: 3 rue Musette\n    city: Dijon\n", 1))
    result = new_edition(project, "aperos-numeriques", "--from", "2027-01-lyon", "--date", "2027-02-11",
                         "--city", "dijon")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / APEROS / "2027-02-dijon/edition.yml")  # the folder the recipe names
    assert edition["venue"] == "dijon"
    assert edition["title"] == "Apéro du Numérique Dijon — février 2027"  # not "Les Apéros du Numérique Dijon 2027"
    assert "Comptoir des Pentes" not in str(edition)
    checked(project)


def test_a_city_met_before_gets_the_venue_written_there(project):
    result = new_edition(project, "vinocamp", "--date", "2028-06-10", "--city", "angers")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / "content/camps/vinocamp/2028-angers/edition.yml")
    assert edition["venue"]["name"] == "Le Chai de la Doutre" and edition["venue"]["postcode"] == "49100"
    # "Vinocamp Anjou 2027" names no city; the series' pattern gives the default title: none written.
    assert "title" not in edition
    site, problems = loaded(project)
    assert problems == [] and site.edition("vinocamp/2028-angers").title == "Vinocamp Angers 2028"


def test_sponsor_logos_stay_where_they_are(project):
    result = new_edition(project, "vinocamp", "--date", "2028-06-10", "--city", "Bordeaux")
    assert result.returncode == 0, result.stdout + result.stderr
    edition = read(project / "content/camps/vinocamp/2028-bordeaux/edition.yml")
    assert edition["venue"] == "cite-du-vin" and "sold_out" not in edition
    assert edition["sponsors"][0]["logo"] == "../2026-bordeaux/sponsor-vignerons-estuaire.svg"
    checked(project)


def test_city_names_match_whatever_their_case_and_accents():
    assert same_city("Saint-Étienne", "saint etienne") and same_city("LYON", "Lyon")
    assert not same_city("Lyon", "Lyons") and not same_city(None, "Lyon")


# What: titles in the series' pattern, dates written out


def test_a_title_pattern_takes_the_new_city_month_and_year():
    pattern = title_pattern("Apéro du Numérique Lyon — janvier 2027", "Lyon", date(2027, 1, 14), "fr")
    assert fill_pattern(pattern, "Dijon", date(2027, 2, 11), "fr") == "Apéro du Numérique Dijon — février 2027"
    pattern = title_pattern("Décembre à SAINT-ÉTIENNE", "Saint-Étienne", date(2026, 12, 3), "fr")
    assert fill_pattern(pattern, "Brest", date(2027, 8, 5), "fr") == "Août à Brest"
    pattern = title_pattern("Spotkanie Kraków, 12 lutego 2027", "Kraków", date(2027, 2, 12), "pl")  # "of February"
    assert fill_pattern(pattern, "Gdańsk", date(2027, 3, 12), "pl") == "Spotkanie Gdańsk, 12 marca 2027"


def test_a_title_that_does_not_name_its_city_is_no_pattern():
    assert title_pattern("Vinocamp Anjou 2027", "Angers", date(2027, 6, 12), "fr") is None
    assert title_pattern("La grande fête", None, date(2027, 6, 12), "fr") is None


def test_the_copied_edition_date_written_out_moves_and_no_other():
    text = "Le jeudi 14 janvier 2027 à 19 h ; jeudi 14 janvier encore. Pas le 13 janvier."
    assert redated(text, date(2027, 1, 14), date(2027, 2, 11), "fr") == (
        "Le jeudi 11 février 2027 à 19 h ; jeudi 11 février encore. Pas le 13 janvier.")
    assert redated("Thursday, January 14, 2027", date(2027, 1, 14), date(2027, 2, 11), "en") == (
        "Thursday, February 11, 2027")


# When: dates, and a year of editions at once


def test_a_multi_day_edition_moves_whole():
    source = {"start": "2025-09-19T14:00", "end": "2025-09-21T17:00", "id": "x", "sessions": None,
              "status": "cancelled", "previous_start": "2025-09-12T14:00", "title": "Old"}
    moved = new_edition_data(source, date(2026, 9, 18))
    assert (moved["start"], moved["end"]) == ("2026-09-18T14:00", "2026-09-20T17:00")
    assert not {"status", "previous_start", "title"} & set(moved) and moved["id"] != "x"


def test_recurrence_proposes_the_next_dates():
    assert next_date("FREQ=MONTHLY;BYDAY=-1TH", date(2026, 10, 29)) == date(2026, 11, 26)
    assert next_date("FREQ=YEARLY;BYMONTH=6;BYDAY=2SA", date(2026, 6, 13)) == date(2027, 6, 12)
    assert dates_until(SECOND_THURSDAY, date(2027, 2, 11), date(2027, 4, 30)) == [date(2027, 3, 11), date(2027, 4, 8)]


def test_a_year_of_monthly_editions_for_a_city(project):
    result = new_edition(project, "aperos-numeriques", "--city", "Lyon", "--until", "2027-12",
                         "--every", SECOND_THURSDAY)
    assert result.returncode == 0, result.stdout + result.stderr
    folders = sorted(p.name for p in (project / APEROS).glob("2027-*-lyon"))
    assert folders == [f"2027-{month:02}-lyon" for month in range(1, 13)]
    site, problems = loaded(project)
    assert problems == []
    lyon = [e for e in site.camp("aperos-numeriques").editions if e.city == "Lyon" and e.first_day.year == 2027]
    assert [e.start for e in lyon[1:]] == [
        datetime.combine(d, datetime.min.time().replace(hour=19), PARIS)
        for d in dates_until(SECOND_THURSDAY, date(2027, 1, 14), date(2027, 12, 31))]
    assert {e.venue.key for e in lyon} == {"lyon"} and len({e.id for e in lyon}) == 12
    assert lyon[-1].title == "Apéro du Numérique Lyon — décembre 2027"
    assert "jeudi 9 décembre 2027" in lyon[-1].description
    assert "No problems in the new files." in result.stdout and result.stdout.count("wrote ") == 11
    checked(project)


def test_the_camps_recurrence_gives_the_dates_without_every(project):
    camp = project / APEROS / "camp.yml"
    camp.write_text(camp.read_text() + f"recurrence: {SECOND_THURSDAY}\n")
    result = new_edition(project, "aperos-numeriques", "--city", "Lyon", "--until", "2027-03")
    assert result.returncode == 0, result.stdout + result.stderr
    assert read(project / APEROS / "2027-03-lyon/edition.yml")["start"] == "2027-03-11T19:00"


def test_nothing_is_written_when_one_folder_exists(project):
    (project / APEROS / "2027-06-lyon").mkdir()
    result = new_edition(project, "aperos-numeriques", "--city", "Lyon", "--until", "2027-12",
                         "--every", SECOND_THURSDAY)
    assert result.returncode == 2
    assert "nothing written: aperos-numeriques/2027-06-lyon exists already" in result.stderr
    assert sorted(p.name for p in (project / APEROS).glob("2027-*-lyon")) == ["2027-01-lyon", "2027-06-lyon"]


def test_the_same_command_twice_writes_nothing_the_second_time(project):
    args = ("vinocamp", "--date", "2028-06-10", "--city", "Reims")
    assert new_edition(project, *args).returncode == 0
    again = new_edition(project, *args)
    assert again.returncode == 2 and "vinocamp/2028-reims is already on 2028-06-10 in Reims" in again.stderr
    assert sorted(p.name for p in (project / "content/camps/vinocamp").glob("2028-*")) == ["2028-reims"]


def test_a_second_edition_in_a_year_gets_a_month_folder(project):
    result = new_edition(project, "vinocamp", "--date", "2027-11-20", "--city", "Angers")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "content/camps/vinocamp/2027-11-angers/edition.yml").is_file()


def test_problems_of_the_new_files_are_listed_with_their_line(project):
    write(project / "content/camps/archicamp/camp.yml", "name: Archicamp\ntimezone: Europe/Paris\n")
    write(project / "content/camps/archicamp/2026-nantes/edition.yml",
          "start: 2026-10-10T02:30\nend: 2026-10-10T05:00\nvenue: {name: La Fabrique, city: Nantes}\n")
    # 02:30 does not exist on 28 March 2027 in Paris: the clocks jump from 02:00 to 03:00.
    result = new_edition(project, "archicamp", "--date", "2027-03-28")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("content/camps/archicamp/2027-nantes/edition.yml:2: start: ")
    assert "1 problem in the new files" in result.stderr


# The placeholder, a warning while its edition is upcoming


def test_placeholder_venues_are_found_while_upcoming(site_dir):
    write(site_dir / "camps/archicamp/camp.yml", "name: Archicamp\ntimezone: Europe/Paris\n")
    for folder, status in (("2027-rennes", ""), ("2027-brest", "status: cancelled\n"), ("2025-caen", "")):
        year = folder[:4]
        write(site_dir / f"camps/archicamp/{folder}/edition.yml",
              f"start: {year}-10-09T09:00\n{status}venue:\n  name: {PLACEHOLDER_VENUE}\n  city: {folder[5:].title()}\n")
    write(site_dir / "camps/archicamp/2027-nantes/edition.yml", "start: 2027-11-13\nvenue: {name: La Fabrique}\n")
    site, _ = load_site(site_dir, Problems(site_dir.parent))
    found = placeholder_venues(site, datetime(2026, 11, 21, 12, tzinfo=PARIS), site_dir.resolve())
    assert found == [(site_dir.resolve() / "camps/archicamp/2027-rennes/edition.yml", 3,
                      f'venue: "{PLACEHOLDER_VENUE}" is a placeholder: name the venue in Rennes before 2027-10-09')]
    assert placeholder_venues(site, datetime(2027, 10, 11, tzinfo=PARIS), site_dir.resolve()) == []  # past


def test_check_warns_of_a_placeholder_and_still_passes(project):
    """`campsite check` says so, as a warning (a GitHub ::warning too): the
    site may be published while the venue is being chosen."""
    write(project / "content/camps/vinocamp/2027-rennes/edition.yml",
          f"start: 2027-06-12T09:30\nvenue:\n  name: {PLACEHOLDER_VENUE}\n  city: Rennes\n")
    message = f'venue: "{PLACEHOLDER_VENUE}" is a placeholder: name the venue in Rennes before 2027-06-12'
    text = run_campsite("check", cwd=project)
    assert text.returncode == 0, text.stdout + text.stderr
    assert text.stdout.splitlines()[0] == f"content/camps/vinocamp/2027-rennes/edition.yml:3: warning: {message}"
    github = run_campsite("check", "--format", "github", cwd=project)
    assert github.returncode == 0, github.stdout + github.stderr
    assert github.stdout.splitlines()[0] == (
        f"::warning file=content/camps/vinocamp/2027-rennes/edition.yml,line=3::{message}")


def test_an_end_written_as_a_time_alone_stays_on_the_new_day(project):
    edition = project / "content/camps/vinocamp/2027-angers/edition.yml"
    write(edition, "start: 2027-06-12T09:30\nend: '18:00'\nvenue: {name: La Cale, city: Angers}\n")
    result = new_edition(project, "vinocamp", "--from", "2027-angers", "--date", "2028-06-10")
    assert result.returncode == 0, result.stdout + result.stderr
    copied = read(next((project / "content/camps/vinocamp").glob("2028*/edition.yml")))
    assert (copied["start"], copied["end"]) == ("2028-06-10T09:30", "18:00")
