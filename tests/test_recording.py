"""What templates read is recorded (recording.py): the manifest keeps each
job's reads, and in the tests (CAMPSITE_STRICT_READS=1, conftest.py) a
Python helper of a template reading an edition the template never read
fails the build instead of leaving a page that no key would refresh."""

from __future__ import annotations

import json
import os
import shutil

import lxml.html
import pytest
from campsite.build import build
from campsite.pelican_plugin import recording
from conftest import ROOT, site_cache, write

CAMP = "name: Vinocamp\ntimezone: Europe/Paris\n"


def small_site(root, extra_settings: str = "", template_line: str = ""):
    content = root / "content"
    write(content / "camps/vinocamp/camp.yml", CAMP)
    write(content / "camps/vinocamp/2026-reims/edition.yml", "start: 2026-06-12T09:30\nend: 2026-06-12T18:00\n")
    write(content / "camps/vinocamp/2027-dijon/edition.yml", "start: 2027-06-12T09:30\nend: 2027-06-12T18:00\n")
    theme = root / "theme"
    shutil.copytree(ROOT / "themes/campsite", theme)
    edition = theme / "templates/edition.html"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}" + template_line, 1), encoding="utf-8")
    return write(root / "pelicanconf.py", f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())\n"
                                         f"THEME = 'theme'\nPATH = 'content'\n{extra_settings}")


def test_strict_mode_is_on_in_the_tests():
    assert os.environ.get("CAMPSITE_STRICT_READS") == "1" and recording.STRICT


def test_a_filter_reaching_an_edition_its_template_never_read_fails_the_build(tmp_path):
    """`last_of_camp` reads, in Python, the camp's last edition: no key of an
    edition page names another edition of its camp, so its pages would go
    stale. Strict, the build stops and says which read it was."""
    settings = small_site(
        tmp_path, "JINJA_FILTERS = {'last_of_camp': lambda page: page.camp_page.editions[-1].title}\n",
        "<p>{{ page|last_of_camp }}</p>")
    with pytest.raises(Exception, match=r"edition:vinocamp/2027-dijon was read while a template rendered"):
        build(settings, output=tmp_path / "out", now="2026-01-01T00:00+01:00", search=False, quiet=True)


def test_the_same_read_through_jinja_is_recorded_and_followed(tmp_path):
    """The same title read by the template itself: recorded in the
    manifest with its digest, and an edit of that other edition refreshes
    the page in the next build."""
    settings = small_site(tmp_path, template_line="<p id=last>{{ page.camp_page.editions[-1].title }}</p>")
    out = tmp_path / "out"
    now = "2026-01-01T00:00+01:00"
    assert build(settings, output=out, now=now, search=False, quiet=True).ok
    manifests = list((site_cache(tmp_path / "content") / "outputs").glob("*.json"))
    manifest = json.loads(manifests[0].read_text(encoding="utf-8"))
    reims = next(job for job in manifest["jobs"].values() if "vinocamp/2026-reims/index.html" in job["files"])
    reads = set(manifest["read_sets"][reims["reads"]])
    assert {"edition:vinocamp/2027-dijon", "camp-editions:vinocamp", "context:campsite_now"} <= reads
    assert "edition:vinocamp/2026-reims" not in reads  # its own: in its key already
    assert all(text in manifest["reads"] for text in reads)  # each with the digest of what it read
    write(tmp_path / "content/camps/vinocamp/2027-dijon/edition.yml",
          "title: Vinocamp Dijon\nstart: 2027-06-12T09:30\nend: 2027-06-12T18:00\n")
    assert build(settings, output=out, now=now, search=False, quiet=True).ok
    page = lxml.html.parse(str(out / "vinocamp/2026-reims/index.html")).getroot()
    assert page.get_element_by_id("last").text_content().strip() == "Vinocamp Dijon"
