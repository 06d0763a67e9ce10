"""The camp → edition cascade, a pure function."""

from campsite.model.cascade import cascade


def test_edition_beats_defaults_beats_camp():
    merged, origins = cascade(
        edition={"capacity": "80", "start": "2026-06-13"},
        camp_defaults={"capacity": "150", "price": "free", "timezone": "Europe/Brussels"},
        camp={"name": "Vinocamp", "timezone": "Europe/Paris", "language": "fr"},
    )
    assert merged == {
        "capacity": "80",
        "start": "2026-06-13",
        "price": "free",
        "timezone": "Europe/Brussels",
        "language": "fr",
    }
    assert origins == {
        "capacity": "edition",
        "start": "edition",
        "price": "defaults",
        "timezone": "defaults",
        "language": "camp",
    }


def test_a_whole_field_is_replaced_never_merged():
    merged, _ = cascade(
        edition={"registration": {"url": "https://example.org/b"}},
        camp_defaults={"registration": {"url": "https://example.org/a", "opens": "2026-01-01"}},
        camp={},
    )
    assert merged["registration"] == {"url": "https://example.org/b"}


def test_an_empty_edition_field_clears_the_inherited_value():
    merged, origins = cascade(edition={"capacity": None}, camp_defaults={"capacity": "150"}, camp={})
    assert "capacity" not in merged and "capacity" not in origins


def test_only_timezone_and_language_come_from_the_camp_itself():
    merged, _ = cascade(edition={}, camp_defaults={}, camp={"name": "X", "tags": ["a"], "timezone": "UTC"})
    assert merged == {"timezone": "UTC"}


def test_inputs_are_not_modified():
    edition, defaults = {"a": 1}, {"b": 2}
    cascade(edition=edition, camp_defaults=defaults, camp={})
    assert edition == {"a": 1} and defaults == {"b": 2}
