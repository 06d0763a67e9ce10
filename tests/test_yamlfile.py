"""The text-only, line-aware YAML reader."""

from __future__ import annotations

import time
from pathlib import Path

from campsite.errors import Problems
from campsite.yamlfile import load_yaml


def read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "edition.yml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    problems = Problems(tmp_path)
    return load_yaml(path, problems), [str(p) for p in problems]


def test_scalars_stay_the_text_the_organiser_wrote(tmp_path):
    doc, problems = read(
        tmp_path,
        "start: 10:00\ncountry: NO\npostcode: 01000\nday: 2026-06-13\nfree: yes\nprice: 1e3\n",
    )
    assert problems == []
    assert doc.data == {
        "start": "10:00",
        "country": "NO",
        "postcode": "01000",
        "day": "2026-06-13",
        "free": "yes",
        "price": "1e3",
    }


def test_empty_values_are_none_but_quoted_empty_text_is_text(tmp_path):
    doc, _ = read(tmp_path, "a:\nb: ~\nc: ''\nd: 'null'\n")
    assert doc.data == {"a": None, "b": None, "c": "", "d": "null"}


def test_every_value_knows_its_line(tmp_path):
    doc, _ = read(tmp_path, "title: x\nsessions:\n  - title: a\n    room: Cave\n  - title: b\n")
    assert doc.line_of(("title",)) == 1
    assert doc.line_of(("sessions", 0, "room")) == 4
    assert doc.line_of(("sessions", 1)) == 5
    # An unknown place falls back to its nearest known parent.
    assert doc.line_of(("sessions", 1, "end")) == 5


def test_every_duplicate_key_is_an_error_not_last_wins(tmp_path):
    doc, problems = read(tmp_path, "title: a\nstart: 2026-01-01\ntitle: b\nstart: 2026-01-02\n")
    assert doc is None
    assert problems == [
        'edition.yml:3: duplicate key "title" (first given on line 1)',
        'edition.yml:4: duplicate key "start" (first given on line 2)',
    ]


def test_tabs_are_explained(tmp_path):
    _, problems = read(tmp_path, "title: a\nvenue:\n\tname: x\n")
    assert problems == ["edition.yml:3: tab character: indent YAML with spaces, not tabs"]


def test_latin1_bytes_are_reported_at_their_line(tmp_path):
    _, problems = read(tmp_path, "title: ok\nsummary: caf\xe9\n".encode("latin-1"))
    assert problems == ["edition.yml:2: not UTF-8 text (byte 0xE9): save the file as UTF-8"]


def test_a_byte_order_mark_is_harmless(tmp_path):
    doc, problems = read(tmp_path, "\ufefftitle: a\n")
    assert problems == [] and doc.data == {"title": "a"}


def test_tags_that_construct_objects_are_refused(tmp_path):
    _, problems = read(tmp_path, 'title: !!python/object/apply:os.system ["echo hi"]\n')
    assert problems == [
        "edition.yml:1: YAML tag !!python/object/apply:os.system is not allowed: write plain values"
    ]


def test_alias_bombs_are_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    started = time.monotonic()
    doc, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 5  # a bound on runaway work, not a benchmark
    assert doc is None
    assert len(problems) == 1 and "aliases expanding without bound" in problems[0]


def test_several_documents_are_refused(tmp_path):
    _, problems = read(tmp_path, "title: a\n---\ntitle: b\n")
    assert problems == [
        "edition.yml:2: more than one YAML document (a line '---'): keep one per file"
    ]


def test_an_empty_file_reads_as_no_data(tmp_path):
    doc, problems = read(tmp_path, "")
    assert problems == [] and doc.data is None


def test_huge_files_are_refused(tmp_path):
    _, problems = read(tmp_path, "a: " + "x" * 1_100_000 + "\n")
    assert problems == ["edition.yml: file too large (1,100,004 bytes; the limit is 1,000,000)"]


def test_libyaml_and_pure_python_read_alike(tmp_path, monkeypatch):
    from campsite import yamlfile
    from conftest import EXAMPLE_CONTENT

    samples = [p.read_bytes() for p in sorted(EXAMPLE_CONTENT.rglob("*.yml"))[:40]]
    samples += [b"a:\nb: ~\nc: ''\n", b"title: a\nvenue:\n\tname: x\n", b"a: 1\na: 2\n", b"x: [1, 2\n"]
    results = []
    for loader in (yamlfile._TextOnlyLoader, yamlfile._LOADER):
        monkeypatch.setattr(yamlfile, "_LOADER", loader)
        seen = []
        for text in samples:
            doc, problems = read(tmp_path, text)
            # The parsers word their syntax errors differently; the line and the rest agree.
            problems = [p.split("YAML syntax error")[0] for p in problems]
            seen.append((doc.data if doc else None, doc.lines if doc else None, problems))
        results.append(seen)
    assert results[0] == results[1]


def test_control_characters_are_reported_at_their_line(tmp_path):
    # Found by tests/test_fuzz.py: PyYAML raised ReaderError, not a marked error.
    _, problems = read(tmp_path, b"title: ok\nsummary: a\x00b\n")
    assert problems == ["edition.yml:2: control character 0x00: save the file as plain text"]


def test_a_colon_in_a_value_says_to_quote_it_and_the_rest_is_still_read(tmp_path, monkeypatch):
    from campsite import yamlfile

    text = 'start: 2026-06-13\ntitle: Cidre : pourquoi pas ?  # le thème\nsummary: Au "programme" :\nrooms: [Cave]\n'
    for loader in (yamlfile._TextOnlyLoader, yamlfile._LOADER):
        monkeypatch.setattr(yamlfile, "_LOADER", loader)
        doc, problems = read(tmp_path, text)
        assert problems == [
            'edition.yml:2: a colon followed by a space starts a new key: put the value in quotes, '
            'like title: "Cidre : pourquoi pas ?"',
            'edition.yml:3: a colon at the end of a line starts a new key: put the value in quotes, '
            'like summary: "Au \\"programme\\" :"',
        ]
        # Read as the message says to write it: the other fields are checked as usual.
        assert doc.data == {"start": "2026-06-13", "title": "Cidre : pourquoi pas ?",
                            "summary": 'Au "programme" :', "rooms": ["Cave"]}
        assert doc.line_of(("rooms",)) == 4


def test_a_colon_in_a_list_item_value_is_quoted_in_place(tmp_path):
    doc, problems = read(tmp_path, "sessions:\n  - title: Vin : nature\n    room: Cave\n")
    assert problems == ['edition.yml:2: a colon followed by a space starts a new key: put the value in quotes, '
                        'like title: "Vin : nature"']
    assert doc.data == {"sessions": [{"title": "Vin : nature", "room": "Cave"}]}


def test_a_syntax_error_after_a_quoted_value_still_stops_the_reading(tmp_path):
    doc, problems = read(tmp_path, "title: Cidre : oui\nvenue:\n\tname: x\n")
    assert doc is None
    assert problems == [
        'edition.yml:1: a colon followed by a space starts a new key: put the value in quotes, like title: "Cidre : oui"',
        "edition.yml:3: tab character: indent YAML with spaces, not tabs",
    ]


def test_a_colon_in_a_value_over_several_lines_is_not_rewritten(tmp_path):
    # Quoting only the first line would make the next one a syntax error the author did not write.
    doc, problems = read(tmp_path, "title: Cidre : pourquoi\n  pas ?\n")
    assert doc is None
    assert problems == ["edition.yml:1: a colon followed by a space starts a new key: put the whole value in quotes"]


def test_a_key_indented_too_far_gets_no_quoting_hint(tmp_path):
    # Its colon is the key's own: quoting would not be what the author meant.
    doc, problems = read(tmp_path, "title: Vinocamp\n  venue: cite-du-vin\n")
    assert doc is None
    assert len(problems) == 1 and problems[0].startswith("edition.yml:2: YAML syntax error")


def test_text_that_yaml_reads_as_a_comment_is_reported(tmp_path):
    doc, problems = read(
        tmp_path,
        'title: Vinocamp #3 # the third\ntags: #vin\nroom: Cave #main\nsummary: "Vinocamp #3"\nlist:\n  - Apéro #2\n',
    )
    assert problems == [
        'edition.yml:1: title: read as "Vinocamp", since # after a space starts a comment: '
        'put the value in quotes, like title: "Vinocamp #3"',
        "edition.yml:2: tags: read as empty, since # after a space starts a comment: "
        'put the value in quotes, like tags: "#vin"',
        'edition.yml:6: list[0]: read as "Apéro", since # after a space starts a comment: '
        'put the value in quotes, like "Apéro #2"',
    ]
    # `room: Cave #main` is most likely a comment; the rest is read as YAML reads it.
    assert doc.data["room"] == "Cave" and doc.data["summary"] == "Vinocamp #3"


def test_an_unquoted_colour_is_left_to_its_own_hint(tmp_path):
    _, problems = read(tmp_path, "colour: #7b1e3a\n")
    assert problems == []  # camps.py says how to write a colour


def test_a_quoted_colon_and_a_number_after_a_hash_on_one_line_are_both_reported(tmp_path):
    # The line is read again as rewritten: the `#` is looked for where it now is.
    _, problems = read(tmp_path, "title: Vin : nature\nsummary: Vinocamp #3\n")
    assert problems == [
        'edition.yml:1: a colon followed by a space starts a new key: put the value in quotes, like title: "Vin : nature"',
        'edition.yml:2: summary: read as "Vinocamp", since # after a space starts a comment: '
        'put the value in quotes, like summary: "Vinocamp #3"',
    ]
