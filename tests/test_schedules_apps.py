"""Conference apps read schedule.xml (frab) and schedule.json (c3voc) the way
their parsers do (ConfClerk, Giggity, EventFahrplan, schedule-convert): plain
conference dates, a stable integer id on every person, an acronym the c3voc
schema accepts. Checked on real builds, against the published schemas."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from campsite.model.identities import person_id
from campsite.schedules import acronym
from conftest import SHARED, build_site, write
from lxml import etree

SCHEMAS = SHARED / "schemas"
needs_schemas = pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/schemas is not beside the project")

CAMP = "name: Aperos Numeriques Test\ntimezone: Europe/Paris\n"
SPRING = """sessions:
  - {title: Ouverture, room: Salle A, start: '2026-03-28T10:00', end: '2026-03-28T10:30', hosts: [Zoé Martin, Paul Durand]}
  - {title: Cartes libres, room: Salle A, start: '2026-03-28T11:00', end: '2026-03-28T12:00', hosts: [Paul Durand]}
  - {title: Vélo, room: Salle B, start: '2026-03-28T11:00', end: '2026-03-28T12:00', hosts: [zoe  MARTIN, Inès Roux]}
  - {title: Bilan, room: Salle A, start: '2026-03-29T10:00', end: '2026-03-29T11:00', hosts: [Inès Roux]}
"""
AUTUMN = """sessions:
  - {title: Retour, room: Salle A, start: '14:00', end: '15:00', hosts: [Paul Durand, Zoé Martin]}
  - {title: Nocturne, room: Salle A, start: '23:30', end: '00:30', hosts: [Léa Petit]}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two editions of a hyphenated camp, hosts shared across sessions and
    editions; built twice to check the files are byte-identical."""
    content = tmp_path_factory.mktemp("apps") / "content"
    camp = content / "camps/aperos-numeriques-test"
    write(camp / "camp.yml", CAMP)
    write(camp / "2026-03-saint-leu/edition.yml", "start: 2026-03-28T09:00\nend: 2026-03-29T18:00\n")
    write(camp / "2026-03-saint-leu/sessions.yml", SPRING)
    write(camp / "2026-10-lyon/edition.yml", "start: 2026-10-10T14:00\nend: 2026-10-11T02:00\n")
    write(camp / "2026-10-lyon/sessions.yml", AUTUMN)
    outputs = []
    for name in ("out", "again"):
        output = content.parent / name
        result = build_site(content, output)
        assert result.ok, "\n".join(map(str, result.problems)) or result.message
        outputs.append(output)
    return outputs


EDITIONS = ["aperos-numeriques-test/2026-03-saint-leu", "aperos-numeriques-test/2026-10-lyon"]


def xml(output, edition):
    return etree.parse(str(output / edition / "schedule.xml"))


def data(output, edition):
    return json.loads((output / edition / "schedule.json").read_text(encoding="utf-8"))


def json_persons(document):
    return [(event["title"], person) for day in document["schedule"]["conference"]["days"]
            for events in day["rooms"].values() for event in events for person in event["persons"]]


def test_every_session_is_in_the_files(built):
    out, _ = built
    assert len(xml(out, EDITIONS[0]).xpath("//event")) == 4
    assert len(xml(out, EDITIONS[1]).xpath("//event")) == 2


@needs_schemas
def test_schedule_xml_is_valid_frab(built):
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "frab-schedule.xml.xsd")))
    for edition in EDITIONS:
        document = xml(built[0], edition)
        assert schema.validate(document), (edition, schema.error_log.last_error)


@needs_schemas
def test_schedule_json_is_valid_c3voc_acronym_included(built):
    schema = json.loads((SCHEMAS / "c3voc-schedule.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for edition in EDITIONS:
        document = data(built[0], edition)
        assert [e.message for e in validator.iter_errors(document)] == [], edition
        assert "-" not in document["schedule"]["conference"]["acronym"]


def test_conference_start_and_end_are_plain_local_dates(built):
    """ConfClerk reads them as yyyy-MM-dd: a datetime lists no events."""
    out, _ = built
    expected = {EDITIONS[0]: ("2026-03-28", "2026-03-29"),
                # runs past midnight: one programme day
                EDITIONS[1]: ("2026-10-10", "2026-10-10")}
    for edition, (start, end) in expected.items():
        conference = xml(out, edition).find("conference")
        assert (conference.findtext("start"), conference.findtext("end")) == (start, end)
        c3voc = data(out, edition)["schedule"]["conference"]
        assert (c3voc["start"], c3voc["end"]) == (start, end)
        assert c3voc["daysCount"] == int(conference.findtext("days"))


def test_every_person_has_an_integer_id_that_fits_32_bits(built):
    out, _ = built
    for edition in EDITIONS:
        persons = xml(out, edition).xpath("//person")
        assert persons
        for person in persons:
            assert re.fullmatch(r"[1-9][0-9]*", person.get("id")), etree.tostring(person)
            assert 0 < int(person.get("id")) < 2**31
            assert person.get("guid")
        for _, person in json_persons(data(out, edition)):
            assert isinstance(person["id"], int) and 0 < person["id"] < 2**31
            assert person["public_name"] and "name" not in person  # FrabPerson, not both of the oneOf


def ids_by_name(out):
    """folded name → {ids} and {guids}, over every session of every edition, both formats."""
    found: dict[str, set] = {}
    for edition in EDITIONS:
        for person in xml(out, edition).xpath("//person"):
            found.setdefault(fold(person.text), set()).add((person.get("id"), person.get("guid")))
        for _, person in json_persons(data(out, edition)):
            found.setdefault(fold(person["public_name"]), set()).add((str(person["id"]), person["guid"]))
    return found


def fold(name):
    return {"zoé martin": "zoe martin", "zoe  martin": "zoe martin"}.get(name.lower(), name.lower())


def test_the_same_person_has_the_same_id_across_sessions_and_editions(built):
    found = ids_by_name(built[0])
    assert set(found) == {"zoe martin", "paul durand", "inès roux", "léa petit"}
    for name, ids in found.items():
        assert len(ids) == 1, (name, ids)
    # "zoe  MARTIN" is Zoé Martin: same id as in the other edition
    assert found["zoe martin"] == {(str(person_id("Zoé Martin")), next(iter(found["zoe martin"]))[1])}


def test_different_people_have_different_ids(built):
    found = ids_by_name(built[0])
    ids = [next(iter(v))[0] for v in found.values()]
    guids = [next(iter(v))[1] for v in found.values()]
    assert len(set(ids)) == len(ids) and len(set(guids)) == len(guids)


def test_a_session_names_each_host_once(built):
    """schedule-convert and ConfClerk key presenters by id: each person once per event."""
    for event in xml(built[0], EDITIONS[0]).xpath("//event"):
        ids = event.xpath("persons/person/@id")
        assert len(ids) == len(set(ids))


def test_persons_are_credited_per_session(built):
    """What schedule-convert's frab reader does (speakers keyed by person id):
    every session keeps its own hosts, not the first host's."""
    document = xml(built[0], EDITIONS[0])
    speakers: dict[str, str] = {}
    credited = {}
    for event in document.xpath("//event"):
        names = []
        for person in event.find("persons"):
            speakers.setdefault(person.get("id"), person.text)
            names.append(speakers[person.get("id")])
        credited[event.findtext("title")] = names
    assert credited == {"Ouverture": ["Zoé Martin", "Paul Durand"], "Cartes libres": ["Paul Durand"],
                        "Vélo": ["Zoé Martin", "Inès Roux"], "Bilan": ["Inès Roux"]}


def test_events_carry_what_the_apps_read(built):
    """Giggity and EventFahrplan: <date> with an offset, <start>/<duration> H:MM;
    <day> date/start/end/index; <room> name and guid; <event> id and guid."""
    for edition in EDITIONS:
        document = xml(built[0], edition)
        for day in document.xpath("//day"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", day.get("date"))
            assert day.get("start") and day.get("end") and day.get("index").isdigit()
            for room in day.xpath("room"):
                assert room.get("name") and room.get("guid")
        for event in document.xpath("//event"):
            assert int(event.get("id")) > 0 and event.get("guid")
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", event.findtext("date"))
            assert re.fullmatch(r"\d\d:\d\d", event.findtext("start"))
            assert re.fullmatch(r"\d\d:\d\d", event.findtext("duration"))
            assert event.findtext("date")[11:16] == event.findtext("start")


def test_same_commit_builds_byte_identical_schedules(built):
    out, again = built
    for edition in EDITIONS:
        for name in ("schedule.xml", "schedule.json"):
            assert (out / edition / name).read_bytes() == (again / edition / name).read_bytes(), (edition, name)


@needs_schemas
def test_example_site_acronyms_pass_the_schema(example_site):
    """Every edition of the example site (hyphenated folders) has an acronym
    the c3voc v1 pattern and the frab XSD type accept."""
    schema = json.loads((SCHEMAS / "c3voc-schedule.schema.json").read_text())
    pattern = schema["definitions"]["Conference"]["properties"]["acronym"]["pattern"]
    files = sorted(example_site.rglob("schedule.json"))
    assert files
    for path in files:
        value = json.loads(path.read_text(encoding="utf-8"))["schedule"]["conference"]["acronym"]
        assert re.search(pattern, value), (path, value)
        assert re.fullmatch(r"[a-z0-9_-]{4,}", value)


def test_acronym_of_short_or_accented_folders():
    class Camp:
        slug = "é"

    class Edition:
        camp = Camp()
        slug = "1"

    assert acronym(Edition()) == "e_1_"


def test_person_ids_ignore_case_spaces_and_accents():
    assert person_id("Zoé Martin") == person_id("  zoe   MARTIN ") == person_id("ZOÉ MARTIN")
    assert person_id("Zoé Martin") != person_id("Zoé Martine")

