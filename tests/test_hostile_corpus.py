"""The hostile-injection corpus: every case in tests/hostile/ (see its README.md).

Each case is a tiny site whose content tries to inject script: `<script>`,
event-handler attributes, `javascript:` / `data:` URLs, `</script>` in what
becomes JSON-LD, line breaks in what becomes iCalendar. Its expected.yml
says what must happen:

- `outcome: error`: the build refuses the content with exactly these
  `path:line: message` lines (as `campsite check` prints them), no traceback;
- `outcome: neutralised`: the build succeeds and nothing in ANY output file
  is live: every page, feed, calendar, schedule and SVG is walked;
- `outcome: trusted`: as neutralised, except that the payloads named in
  `kept:` must be live (CAMPSITE_TRUST_HTML keeps organisers' raw HTML).

A case whose expected outcome the product does not meet yet names the
defect in `defect:` and runs as a strict xfail.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import html5lib
import lxml.etree
import pytest
import yaml
from campsite.build import build
from conftest import ROOT
from icalendar import Calendar

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "expected.yml").is_file())
NOW = "2026-05-01T12:00+02:00"  # before every edition in the corpus: registration open, all upcoming
SITEURL = "https://campsite.example.org"  # as published: absolute links in feeds and calendars
OUTCOMES = {"error", "neutralised", "trusted"}
KEYS = {"outcome", "about", "defect", "settings", "problems", "problems_like", "markers", "kept",
        "texts", "jsonld", "ics_summaries", "feed_titles", "ics_extra_properties"}

# --- What "live" means ------------------------------------------------------

BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Attributes a browser loads or navigates to (the parsers give them entity-decoded).
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite",
                  "codebase", "longdesc", "lowsrc", "dynsrc", "usemap", "ping", "manifest", "icon",
                  "profile", "archive", "classid", "xlink:href", "srcset", "imagesrcset"}
# Elements that run, embed or re-base content: the theme uses none of them.
ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math",
                   "portal", "xmp", "plaintext", "noembed", "noframes", "foreignobject"}
THEME_SCRIPT = "/theme/js/campsite.js"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"

# iCalendar: what campsite writes (calendars.py); anything else was injected.
ICS_PROPERTIES = {
    "VCALENDAR": {"PRODID", "VERSION", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "DESCRIPTION",
                  "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"},
    "VEVENT": {"UID", "SEQUENCE", "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND", "SUMMARY", "STATUS",
               "DESCRIPTION", "LOCATION", "GEO", "URL", "CATEGORIES", "CONFERENCE"},
    "VTIMEZONE": {"TZID", "X-LIC-LOCATION", "LAST-MODIFIED", "TZURL", "COMMENT"},
    "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "RDATE", "RRULE", "COMMENT"},
    "DAYLIGHT": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "RDATE", "RRULE", "COMMENT"},
}
ICS_NESTING = {None: {"VCALENDAR"}, "VCALENDAR": {"VEVENT", "VTIMEZONE"},
               "VTIMEZONE": {"STANDARD", "DAYLIGHT"}, "VEVENT": set(), "STANDARD": set(), "DAYLIGHT": set()}
ICS_ONCE = {"UID", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "SEQUENCE", "DTSTAMP"}


def bad_scheme(url: str) -> str | None:
    """The dangerous scheme a browser would see in `url`, or None.

    As the URL standard reads an attribute: leading and trailing C0 controls
    and spaces are stripped, tabs and newlines anywhere are removed, and the
    scheme is case-insensitive."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).lower()
    return next((s for s in BAD_SCHEMES if cleaned.startswith(s)), None)


@dataclass
class Findings:
    """What a walk of the output found: live payloads, and what it saw intact."""

    live: list[str] = field(default_factory=list)  # "file: what" — anything here is a failure
    texts: list[str] = field(default_factory=list)  # visible text of every page
    jsonld: set[str] = field(default_factory=set)  # every string value of every JSON-LD block
    ics_summaries: set[str] = field(default_factory=set)
    feed_titles: set[str] = field(default_factory=set)
    files: dict[str, int] = field(default_factory=dict)  # kind → files checked

    def add(self, where: str, what: str) -> None:
        self.live.append(f"{where}: {what}")


def _local(tag: object) -> str:
    """'{ns}name' → 'name'; comments and processing instructions → ''."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def check_html(data: bytes | str, where: str, found: Findings, *, page: bool = True) -> None:
    """Parse `data` as a browser does (html5lib) and report anything live."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    # A fragment (HTML carried in a feed) is read as the body of a page: what a feed reader shows.
    # ElementTree, not lxml: lxml refuses the control characters a browser reads.
    root = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
    scripts = 0
    script_texts = ""
    for element in root.iter():
        name = _local(element.tag)
        if not name:
            continue
        if name in ACTIVE_ELEMENTS:
            found.add(where, f"<{name}> element")
        if name == "meta" and element.get("http-equiv") is not None:
            found.add(where, f"<meta http-equiv={element.get('http-equiv')!r} content={element.get('content')!r}>")
        for attribute, value in element.attrib.items():
            attribute = _local(attribute) if attribute.startswith("{") else attribute.lower()
            if attribute.startswith("on"):
                found.add(where, f"<{name} {attribute}={value!r}>")
            elif attribute in URL_ATTRIBUTES or attribute.endswith(":href"):
                urls = [u.strip().split(" ")[0] for u in value.split(",")] if "srcset" in attribute else [value]
                for url in urls:
                    if bad_scheme(url):
                        found.add(where, f"<{name} {attribute}={value!r}>")
            elif attribute == "srcdoc":
                found.add(where, f"<{name} {attribute}={value!r}>")
            elif attribute == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.IGNORECASE):
                found.add(where, f"<{name} style={value!r}>")
        if name == "style" and re.search(r"expression\s*\(|javascript:|@import|url\s*\(", element.text or "", re.IGNORECASE):
            found.add(where, f"<style>{element.text!r}</style>")
        if name == "script":
            scripts += 1
            body = "".join(element.itertext())
            script_texts += body
            if (element.get("type") or "").lower() == "application/ld+json":
                check_jsonld(body, where, found)
            elif page and element.get("src", "").endswith(THEME_SCRIPT) and not body.strip():
                pass  # the theme's own script
            else:
                found.add(where, f"<script src={element.get('src')!r}>{body!r}</script>")
    # Belt and braces: every '<script' in the raw text is one the parser saw
    # (or sits inside a script's own text, as data).
    raw = len(re.findall(r"<script\b", text, re.IGNORECASE))
    if raw != scripts + len(re.findall(r"<script\b", script_texts, re.IGNORECASE)):
        found.add(where, f"{raw} '<script' in the source, {scripts} script elements parsed")
    if page:
        found.texts.append(" ".join(root.itertext()))


def check_jsonld(body: str, where: str, found: Findings) -> None:
    if re.search(r"</script", body, re.IGNORECASE):
        found.add(where, f"'</script' inside JSON-LD: {body!r}")
    if "<!--" in body:
        found.add(where, f"'<!--' inside JSON-LD: {body!r}")
    try:
        data = json.loads(body)
    except ValueError as error:
        found.add(where, f"JSON-LD is not JSON ({error}): {body!r}")
        return

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    found.jsonld.update(strings(data))


def check_feed(data: bytes, where: str, found: Findings) -> None:
    """Atom and RSS: parse as XML; HTML they carry is checked as HTML."""
    root = xml(data)
    if root.tag == f"{ATOM}feed":
        for element in root.iter(f"{ATOM}title", f"{ATOM}subtitle", f"{ATOM}summary", f"{ATOM}content",
                                 f"{ATOM}rights"):
            kind = element.get("type", "text")
            if kind == "html":
                check_html(element.text or "", f"{where} <{_local(element.tag)} type=html>", found, page=False)
            elif kind == "xhtml":
                inner = "".join(lxml.etree.tostring(c, encoding="unicode") for c in element)
                check_html(inner, f"{where} <{_local(element.tag)} type=xhtml>", found, page=False)
            elif kind != "text":
                found.add(where, f"<{_local(element.tag)} type={kind!r}>")
        for link in root.iter(f"{ATOM}link"):
            if bad_scheme(link.get("href", "")):
                found.add(where, f"<link href={link.get('href')!r}>")
        for entry in root.iter(f"{ATOM}entry"):
            ids = entry.findall(f"{ATOM}id")
            if len(ids) != 1 or not (ids[0].text or "").startswith("tag:"):
                found.add(where, f"an entry with ids {[i.text for i in ids]!r}")
            found.feed_titles.update(t.text or "" for t in entry.findall(f"{ATOM}title"))
    elif root.tag == "rss":
        # An item's description is entity-encoded HTML (RSS 2.0), and so is
        # content:encoded; the channel's own title and description are text.
        for element in root.iter("item"):
            for part in element.iter("description", CONTENT_ENCODED):
                check_html(part.text or "", f"{where} <item><{_local(part.tag)}>", found, page=False)
        for element in root.iter("link", "comments", "docs"):
            if bad_scheme(element.text or ""):
                found.add(where, f"<{element.tag}>{element.text!r}")
        for item in root.iter("item"):
            guids = item.findall("guid")
            if len(guids) != 1 or not (guids[0].text or "").startswith("tag:"):
                found.add(where, f"an item with guids {[g.text for g in guids]!r}")
    else:
        found.add(where, f"neither Atom nor RSS: <{root.tag}>")


def check_ics(data: bytes, where: str, found: Findings, extra: set[str]) -> None:
    """The raw lines first (an injected line break is a new property for many
    readers), then the calendar as `icalendar` reads it."""
    text = data.decode("utf-8")
    if not text.endswith("\r\n"):
        found.add(where, "does not end with CRLF")
    physical = text.split("\r\n")[:-1]
    for number, line in enumerate(physical, 1):
        if "\r" in line or "\n" in line:
            found.add(where, f"line {number}: a bare CR or LF: {line!r}")
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line):
            found.add(where, f"line {number}: a control character: {line!r}")
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[str] = []
    for line in logical:
        match = re.match(r"([A-Za-z0-9-]+)[;:]", line)
        if not match:
            found.add(where, f"not a content line: {line!r}")
            continue
        name = match.group(1).upper()
        value = line.split(":", 1)[1] if ":" in line else ""
        if name == "BEGIN":
            if value not in ICS_NESTING.get(stack[-1] if stack else None, set()):
                found.add(where, f"BEGIN:{value} inside {stack or 'nothing'}")
            stack.append(value)
        elif name == "END":
            if not stack or stack.pop() != value:
                found.add(where, f"END:{value} out of place")
        elif not stack:
            found.add(where, f"{name} outside any component")
        elif name not in ICS_PROPERTIES.get(stack[-1], set()) | (extra if stack[-1] == "VEVENT" else set()):
            found.add(where, f"{stack[-1]} has a {name} property: {line!r}")
    if stack:
        found.add(where, f"components left open: {stack}")
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as error:
        found.add(where, f"icalendar cannot read it: {error}")
        return
    for event in calendar.walk("VEVENT"):
        names = [name.upper() for name, _ in event.property_items(recursive=False)][1:-1]
        for name in ICS_ONCE:
            if names.count(name) > 1:
                found.add(where, f"a VEVENT with {names.count(name)} {name}")
        for name in ("UID", "DTSTART", "SUMMARY"):
            if name not in names:
                found.add(where, f"a VEVENT without {name}: {names}")
        found.ics_summaries.add(str(event.get("SUMMARY", "")))


def xml(data: bytes) -> lxml.etree._Element:
    return lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False, no_network=True))


def check_json(data: bytes, where: str, found: Findings) -> None:
    json.loads(data)


def check_xml(data: bytes, where: str, found: Findings) -> None:
    xml(data)


def parses(check, data: bytes, where: str, found: Findings) -> None:
    """Run a check that parses `data`: a file that does not parse is a finding."""
    try:
        check(data, where, found)
    except (ValueError, lxml.etree.XMLSyntaxError) as error:
        found.add(where, f"does not parse: {error}")


def check_svg(data: bytes, where: str, found: Findings) -> None:
    root = xml(data)
    for element in root.iter():
        name = _local(element.tag)
        if name in {"script", "foreignobject", "iframe", "embed", "object"}:
            found.add(where, f"<{name}> in an SVG")
        for attribute, value in element.attrib.items():
            attribute = _local(attribute)
            if attribute.startswith("on") or (attribute in {"href", "src"} and bad_scheme(value)):
                found.add(where, f"<{name} {attribute}={value!r}> in an SVG")


def walk_output(output: Path, ics_extra: set[str]) -> Findings:
    """Every file of the built site, by kind; a file of a kind not known here
    is reported, so that a new kind of output cannot escape the corpus."""
    found = Findings()
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        where = path.relative_to(output).as_posix()
        data = path.read_bytes()
        suffix = path.suffix.lower()
        if suffix == ".html":
            kind = "html"
            check_html(data, where, found)
        elif path.name in ("atom.xml", "rss.xml"):
            kind = "feed"
            parses(check_feed, data, where, found)
        elif suffix == ".ics":
            kind = "ics"
            check_ics(data, where, found, ics_extra)
        elif suffix == ".json":
            kind = "json"
            parses(check_json, data, where, found)
        elif suffix == ".svg":
            kind = "svg"
            parses(check_svg, data, where, found)
        elif suffix == ".xml":
            kind = "xml"
            parses(check_xml, data, where, found)
        elif suffix in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".css", ".txt"} or where == THEME_SCRIPT[1:]:
            kind = "inert"
        else:
            kind = "unknown"
            found.add(where, "a file of a kind the corpus does not check")
        found.files[kind] = found.files.get(kind, 0) + 1
    return found


# --- The corpus -------------------------------------------------------------


def expectations(case: Path, keys: set[str] = KEYS, outcomes: set[str] = OUTCOMES) -> dict:
    """A case's expected.yml, its keys and outcome checked (this corpus's,
    or another's: tests/attacks/)."""
    expected = yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
    assert isinstance(expected, dict), f"{case.name}/expected.yml is not a mapping"
    unknown = set(expected) - keys
    assert not unknown, f"{case.name}/expected.yml: unknown keys {sorted(unknown)}"
    assert expected.get("outcome") in outcomes, f"{case.name}/expected.yml: outcome must be one of {outcomes}"
    return expected


def case_param(case: Path, keys: set[str] = KEYS, outcomes: set[str] = OUTCOMES):
    """The case as a test parameter: a strict xfail while it names a `defect:`."""
    defect = expectations(case, keys, outcomes).get("defect")
    marks = [pytest.mark.xfail(strict=True, reason=f"defect: {defect}")] if defect else []
    return pytest.param(case, id=case.name, marks=marks)


def build_case(case: Path, tmp_path: Path, cache: Path, settings: dict):
    """Build the case's content, copied out of the repository (no git history,
    nothing written beside it), with the published site's settings."""
    content = shutil.copytree(case / "content", tmp_path / "content")
    lines = [
        f"exec(open({str(ROOT / 'pelicanconf.py')!r}).read())",
        f"THEME = {str(ROOT / 'themes/campsite')!r}",
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
        f"SITEURL = {SITEURL!r}",
        "RELATIVE_URLS = False",
        "CAMPSITE_SEARCH = False",  # Pagefind's index is not a page; it would only slow the corpus down
        f"CAMPSITE_CACHE_PATH = {str(cache)!r}",
        *(f"{key} = {value!r}" for key, value in settings.items()),
    ]
    conf = tmp_path / "conf.py"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return build(conf, content=content, output=tmp_path / "output", now=NOW, quiet=True)


@pytest.fixture(scope="session")
def card_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cards")


def test_the_corpus_is_complete():
    assert len(CASES) >= 15
    outcomes = {expectations(c)["outcome"] for c in CASES}
    assert outcomes == OUTCOMES
    for case in CASES:
        assert (case / "content" / "camps").is_dir(), f"{case.name}: no content/camps/"
        expected = expectations(case)
        assert expected.get("about"), f"{case.name}: say what the case tries in `about:`"
        assert expected.get("markers"), f"{case.name}: name its payloads' markers in `markers:`"
        sources = "".join(p.read_text(encoding="utf-8") for p in (case / "content").rglob("*")
                          if p.is_file() and p.suffix in {".yml", ".md", ".html", ".svg"})
        for marker in expected["markers"] + expected.get("kept", []):
            assert marker in sources, f"{case.name}: marker {marker!r} is in none of its files"


@pytest.mark.parametrize("case", [case_param(c) for c in CASES])
def test_hostile_case(case: Path, tmp_path: Path, card_cache: Path, capfd):
    expected = expectations(case)
    try:
        result = build_case(case, tmp_path, card_cache, expected.get("settings") or {})
    except Exception as error:  # noqa: BLE001 -- a traceback is itself the failure
        pytest.fail(f"the build crashed instead of reporting a problem: {type(error).__name__}: {error}")
    logged = capfd.readouterr()
    assert "Traceback" not in logged.out + logged.err, logged.err
    problems = [str(p) for p in result.problems]

    if expected["outcome"] == "error":
        assert not result.message, result.message
        if "problems_like" in expected:
            patterns = expected["problems_like"]
            assert len(problems) == len(patterns), problems
            for line, pattern in zip(problems, patterns, strict=True):
                assert re.fullmatch(pattern, line), (line, pattern)
        else:
            assert problems == expected["problems"]
        assert not (tmp_path / "output").exists(), "a refused build wrote a site"
        return

    assert result.ok, "\n".join(problems) or result.message
    found = walk_output(tmp_path / "output", set(expected.get("ics_extra_properties", [])))
    for kind in ("html", "feed", "ics"):
        assert found.files.get(kind), f"no {kind} output was checked: {found.files}"

    kept = expected.get("kept", [])
    live = [f for f in found.live if not any(k in f for k in kept)]
    assert not live, "live payloads in the output:\n" + "\n".join(live)
    for marker in kept:
        assert any(marker in f for f in found.live), f"trusted HTML {marker!r} was not kept live"

    for text in expected.get("texts", []):
        assert any(text in page for page in found.texts), f"text {text!r} is on no page: dropped, not escaped"
    for text in expected.get("jsonld", []):
        assert text in found.jsonld, f"{text!r} is in no JSON-LD value: {sorted(found.jsonld)}"
    summaries = {lines(s) for s in found.ics_summaries}
    for text in expected.get("ics_summaries", []):
        assert lines(text) in summaries, f"no VEVENT has SUMMARY {text!r}: {sorted(summaries)}"
    titles = {lines(t) for t in found.feed_titles}
    for text in expected.get("feed_titles", []):
        assert lines(text) in titles, f"no feed entry is titled {text!r}: {sorted(titles)}"


def lines(text: str) -> str:
    """CRLF and CR as LF: iCalendar has one escape, \\n, for any line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
