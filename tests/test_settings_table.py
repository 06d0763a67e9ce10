"""campsite's settings table (pelican_plugin/settings.py): docs/settings.md
is what it generates, and every type and check it declares stops a real
build that breaks it, saying why."""

from __future__ import annotations

import pytest
from campsite.build import build
from campsite.pelican_plugin.settings import NONE, SETTINGS
from campsite.settings_docs import PAGE, settings_reference, with_settings_reference
from conftest import EXAMPLE_NOW, ROOT, write
from conftest import SETTINGS as SITE_SETTINGS

# A value of another type than each declared one.
WRONG = {str: 3, int: "many", bool: "yes"}
TYPED = [s for s in SETTINGS if s.types]

# A value of the right type each check refuses, and what the build says.
CHECKED = {
    "CAMPSITE_UID_DOMAIN": (None, 'set CAMPSITE_UID_DOMAIN to a domain of yours (e.g. "vinocamp.example.org"): '
                                  "calendar events are identified by it, so it must never change"),
    "CAMPSITE_CACHE_DAYS": (0, "CAMPSITE_CACHE_DAYS must be 1 or more, not 0"),
    "CAMPSITE_WORKERS": (0, "CAMPSITE_WORKERS must be 1 or more, not 0"),
}


def build_with(site_dir, tmp_path, lines: str, **options):
    """A build of a small site whose settings file is the project's plus `lines`
    (no `now` given: it would override CAMPSITE_NOW)."""
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\n")
    conf = write(tmp_path / "conf.py", f"exec(open({str(SITE_SETTINGS)!r}).read())\n"
                                       f"THEME = {str(ROOT / 'themes/campsite')!r}\n{lines}")
    return build(conf, content=site_dir, output=tmp_path / "output", quiet=True, **options)


def test_the_settings_page_is_up_to_date():
    committed = PAGE.read_text(encoding="utf-8")
    assert committed == with_settings_reference(committed), "docs/settings.md is stale: run `invoke settings_docs`"


def test_the_settings_page_keeps_its_own_words():
    committed = PAGE.read_text(encoding="utf-8")
    before, _, after = committed.partition(settings_reference())
    assert before.startswith("# Settings\n") and "LOAD_CONTENT_CACHE" in after


def test_every_setting_is_documented():
    reference = settings_reference()
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in reference, setting.name


@pytest.mark.parametrize("name", ["CAMPSITE_REPORT", "CAMPSITE_LIVE", "CAMPSITE_STATE", "CAMPSITE_OVERLAY"])
def test_a_settings_file_cannot_set_what_the_build_passes_itself(site_dir, tmp_path, name):
    """What `campsite build` and `serve` hand a run travels as objects
    (pelican_plugin/run.py), not settings: a settings file naming one of
    the old names is told it is no setting."""
    result = build_with(site_dir, tmp_path, f"{name} = object()\n", now=EXAMPLE_NOW)
    assert not result.ok and f"unknown setting {name}" in result.message


def test_every_default_is_a_value_its_setting_accepts():
    for setting in SETTINGS:
        assert setting.required or setting.problem(setting.default) is None, setting.name
        assert setting.doc and "\n" not in setting.doc, setting.name


@pytest.mark.parametrize("setting", TYPED, ids=lambda s: s.name)
def test_a_value_of_the_wrong_type_stops_the_build(setting, site_dir, tmp_path):
    kind = next(t for t in setting.types if t is not NONE)
    wrong = WRONG[kind]
    result = build_with(site_dir, tmp_path, f"{setting.name} = {wrong!r}\n")
    expected = f"{setting.name} must be {kind.__name__}{' or None' if NONE in setting.types else ''}, not {wrong!r}"
    assert result.message == f"pelicanconf.py: {expected}"


def test_every_check_is_tested():
    assert {s.name for s in SETTINGS if s.check} == set(CHECKED)


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_a_value_its_check_refuses_stops_the_build(name, site_dir, tmp_path):
    value, expected = CHECKED[name]
    result = build_with(site_dir, tmp_path, f"{name} = {value!r}\n")
    assert result.message == f"pelicanconf.py: {expected}"


def test_every_problem_is_said_at_once_after_the_unknown_settings(site_dir, tmp_path):
    result = build_with(site_dir, tmp_path, "CAMPSITE_FEED_LIMT = 10\nCAMPSITE_FEED_LIMIT = '10'\n"
                                            "CAMPSITE_WORKERS = 0\n")
    assert result.message == ('pelicanconf.py: unknown setting CAMPSITE_FEED_LIMT (did you mean '
                              '"CAMPSITE_FEED_LIMIT"?); CAMPSITE_FEED_LIMIT must be int, not \'10\'; '
                              "CAMPSITE_WORKERS must be 1 or more, not 0")


def test_the_settings_set_by_campsite_itself_still_reach_the_build(site_dir, tmp_path):
    result = build_with(site_dir, tmp_path, "CAMPSITE_SEARCH = False\n", now=EXAMPLE_NOW)
    assert result.ok, result.problems or result.message
    assert result.content is not None  # the run's report (run.py), filled in by the build
