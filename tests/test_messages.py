"""campsite speaks to organisers in the site's language (messages.py).

The catalogues must translate every message the code says, with the same
placeholders; the code must say only texts the catalogues can hold (plain
literals); the language is the site's DEFAULT_LANG unless --lang or
CAMPSITE_LANG asks for another; a wrong translation never stops a check.
"""

from __future__ import annotations

import ast
import string

import pytest
from babel.messages.pofile import read_po
from campsite import messages
from campsite.catalogues import translations
from campsite.messages import say, say_n, speaking
from campsite.translating import CODE, KEYWORDS, extracted, placeholders
from conftest import ROOT, SETTINGS, run_campsite, write

FRENCH = messages.LOCALE / "fr" / "LC_MESSAGES" / "messages.po"


def french_catalogue():
    with FRENCH.open("rb") as po:
        return read_po(po, locale="fr")


def said_texts() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in extracted() if m.id}


def test_the_code_says_only_plain_texts_the_catalogues_can_hold():
    """An f-string or a variable given to say() is never in a catalogue, and
    content put into a template (not a field) could break its braces. A
    CONSTANT is allowed: it holds a text marked with mark()."""
    wrong = []
    for path in CODE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in KEYWORDS:
                texts = node.args[: 2 if node.func.id == "say_n" else 1]
                if not texts or not all(_plain(t, node.func.id) for t in texts):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


def _plain(text: ast.expr, keyword: str) -> bool:
    if isinstance(text, ast.Constant):
        return isinstance(text.value, str)
    return keyword != "mark" and isinstance(text, ast.Name) and text.id.isupper()


def test_every_message_has_its_french_words_with_the_same_placeholders():
    said = said_texts()
    assert len(said) > 150  # problems, hints, the CLI's lines: a guard against an empty extraction
    catalogue = french_catalogue()
    known = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    assert sorted(said - set(known)) == [], "not in the French catalogue: run `invoke messages`"
    assert sorted(set(known) - said) == [], "unused: run `invoke messages`"
    for message in known.values():
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(targets) and not message.fuzzy, f"untranslated: {message.id!r}"
        # A plural form may leave out the count ("un problème"), nothing else.
        expected = placeholders(sources[-1]) - {"count"} if len(sources) > 1 else placeholders(sources[0])
        for target in targets:
            assert placeholders(target) - ({"count"} if len(sources) > 1 else set()) == expected, target
            fields = {name: 1 for name in placeholders(sources[-1]) | {"count"}}
            string.Formatter().vformat(target, (), fields)  # the translation is a valid template
            string.Formatter().vformat(sources[-1], (), fields)


def test_a_french_site_hears_french_and_english_when_asked():
    with speaking("fr"):
        assert say("No problems found.") == "Aucun problème trouvé."
        assert say_n("{count} problem found.", "{count} problems found.", 2) == "2 problèmes trouvés."
        assert say_n("{count} problem found.", "{count} problems found.", 1) == "1 problème trouvé."
        with speaking("en"):
            assert say("No problems found.") == "No problems found."
        assert messages.language() == "fr"
    assert messages.language() == "en"
    with speaking("fr-CA"):  # a regional language without a catalogue of its own hears its language
        assert say("No problems found.") == "Aucun problème trouvé."
    with speaking("de"):  # no catalogue: the source language
        assert say("No problems found.") == "No problems found."


def test_the_language_is_asked_for_else_the_environment_else_the_site():
    assert messages.message_language("en", {"DEFAULT_LANG": "fr"}, {"CAMPSITE_LANG": "de"}) == "en"
    assert messages.message_language(None, {"DEFAULT_LANG": "fr"}, {"CAMPSITE_LANG": "de"}) == "de"
    assert messages.message_language(None, {"DEFAULT_LANG": "fr"}, {}) == "fr"
    assert messages.message_language(None, {}, {}) == "en"


def test_a_wrong_translation_says_the_english_text_instead(tmp_path, monkeypatch):
    po = write(tmp_path / "xx" / "LC_MESSAGES" / "messages.po",
               'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
               'msgid "unknown key \\"{key}\\""\nmsgstr "clé {clef} inconnue"\n\n'
               'msgid "no {{static}} file {name}"\nmsgstr "pas de fichier {{static}} {name}"\n')
    monkeypatch.setattr(messages, "LOCALE", po.parents[2])
    with speaking("xx"):  # a catalogue is read as its file is now: no cache to clear
        assert say('unknown key "{key}"', key="kee") == 'unknown key "kee"'
        assert say("no {{static}} file {name}", name="{a}") == "pas de fichier {static} {a}"


def test_content_with_braces_is_said_as_written_in_both_languages(site_dir):
    write(site_dir / "camps/vinocamp/camp.yml", 'name: Vinocamp\ntimezone: "Europe/{oops}"\n')
    for asked, expected in ((["--lang", "en"], 'timezone: unknown timezone "Europe/{oops}"'),
                            ([], "timezone: fuseau horaire inconnu « Europe/{oops} »")):
        result = run_campsite("check", "-s", str(SETTINGS), str(site_dir), *asked, site_language=True)
        assert result.returncode == 1
        assert f"content/camps/vinocamp/camp.yml:2: {expected}" in result.stdout, result.stdout


@pytest.mark.parametrize("where", ["after", "before"])
def test_lang_overrides_the_site_language_on_either_side_of_the_command(site_dir, where):
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    write(site_dir / "camps/vinocamp/2026-x/edition.yml", "start: 2026-06-13T09:00\nend: 2026-06-13T18:00\n")
    args = ["check", "-s", str(SETTINGS), str(site_dir)]
    args = [*args, "--lang", "en"] if where == "after" else ["--lang", "en", *args]
    english = run_campsite(*args, site_language=True)
    french = run_campsite("check", "-s", str(SETTINGS), str(site_dir), site_language=True)
    assert english.stdout.splitlines()[0] == "No problems found."
    assert french.stdout.splitlines()[0] == "Aucun problème trouvé."
    assert english.returncode == french.returncode == 0


def test_an_english_site_hears_english_without_asking(site_dir, tmp_path):
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\ncolour: blue\n")
    settings = write(tmp_path / "conf.py", f"exec(open({str(SETTINGS)!r}).read())\nDEFAULT_LANG = 'en'\n")
    result = run_campsite("check", "-s", str(settings), str(site_dir), site_language=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-2] == "1 problem found."


def test_the_catalogue_is_up_to_date_with_invoke_messages(tmp_path, monkeypatch):
    """`invoke messages` changes nothing in a catalogue that is up to date."""
    from campsite import translating

    copy = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(FRENCH.read_bytes())
    monkeypatch.setattr(translating, "LOCALE", tmp_path)
    path, waiting = translating.update("fr")
    assert (path, waiting) == (copy, 0)
    assert {m.id: m.string for m in french_catalogue()} == {m.id: m.string for m in read_po(copy.open("rb"))}


def test_numbers_take_the_form_of_the_language_only_where_a_number_is_asked_for():
    template = "{port} {line} {size:,} {seconds:.1f} {coordinate}"
    fields = {"port": 8000, "line": 1234, "size": 50000, "seconds": 7.25, "coordinate": 200.0}
    assert say(template, **fields) == "8000 1234 50,000 7.2 200.0"
    with speaking("fr"):
        assert say(template, **fields) == "8000 1234 50\u202f000 7,2 200,0"


def test_a_language_that_is_not_a_language_tag_is_refused_and_names_no_folder(site_dir):
    """--lang and CAMPSITE_LANG name a catalogue's folder: only a language tag may."""
    write(site_dir / "camps/vinocamp/camp.yml", "name: Vinocamp\ntimezone: Europe/Paris\n")
    result = run_campsite("check", "-s", str(SETTINGS), str(site_dir), "--lang", "../../fr", site_language=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: Invalid value for '--lang': \"../../fr\" is not a language: write a code such as fr or en")
    assert translations(messages.LOCALE, messages.DOMAIN, "fr/../fr").gettext("No problems found.") == "No problems found."
