"""An allow-list sanitiser for the SVG files of content (logos, slides…).

Content comes from strangers' pull requests. An SVG is published on the
site's origin, where, opened on its own, it is a document that runs
scripts; and logos are drawn into cards by resvg, on the build machine.
`clean_svg` copies into a new document only what draws a static picture:
the elements, attributes and CSS on the lists below, links only to `#id`
inside the drawing, and images only embedded as PNG, JPEG, GIF or WebP.
Everything else is left behind. What could run, load another file or
exhaust a reader is also named in `refused`, for the organiser to fix;
harmless leftovers (an editor's own markup, metadata, animation) are not.

Bytes in, bytes out: no file is read, nothing is fetched.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from PIL import Image

from .messages import say

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"
MATHML = "http://www.w3.org/1998/Math/MathML"

# Bounds on what a reader (lxml, a browser, resvg) is asked to do. Logos
# and slides weigh kilobytes and hold hundreds of elements: these leave
# room for an embedded photo and for a detailed map or illustration.
MAX_BYTES = 2_000_000
MAX_ELEMENTS = 20_000
MAX_DEPTH = 100  # lxml stops at 256; editors nest a few dozen groups at most
# A <use>, a pattern, a marker, a mask or a clip path draws its content
# again each time it is used, so a file of a few kilobytes can ask for
# exponentially many drawings (a "billion laughs" of references): these
# bound the work once every reference is followed, as often as it is drawn
# (see _Drawing). Measured with resvg-py 0.5 on the 2-core build machine,
# at 1200×630 (and in the cards' 360×180 logo box), before these bounds:
# 1,000,000 small shapes through <use> stop at resvg's own limit; 125
# full-canvas masks nested 5 deep took 10 s, 10,000 nested clip paths
# over a minute. Within them: 46,550 small shapes through <use>, 0.25 s
# (0.22 s); a 16-megapixel image, 0.44 s (0.31 s). But resvg's work is
# also per pixel, and nothing here knows how much of the canvas an element
# covers: a full-canvas shape costs 0.2 ms opaque, 13 ms translucent
# (1.1 ms); a full-canvas mask 68 ms (6 ms), a blur step 120 ms (16 ms).
# The slowest allowed file, 46,550 full-canvas translucent shapes through
# <use>, would take about 11 minutes (55 s); 100 full-canvas blurs, 24 s
# (3.2 s). Only a time limit around resvg bounds that, not a count.
MAX_DRAWN = 50_000  # elements drawn, references followed
MAX_EFFECTS = 200  # clip paths, masks and filter steps applied, references followed
MAX_IMAGE_PIXELS = 16_000_000  # of embedded images, as often as they are drawn
MAX_REPORTED = 10  # refusals named, the rest counted
_SATURATED = 10**12  # work is counted up to here: far beyond every bound

# The static drawing subset of SVG 1.1 and 2. Drawn where they stand:
DRAWN = frozenset({"svg", "g", "switch", "use", "image", "path", "rect", "circle", "ellipse", "line",
                   "polyline", "polygon", "text", "tspan", "textPath"})
SHAPES = DRAWN - {"svg", "g", "switch", "use", "image"}  # what fill, stroke and markers paint
# Drawn only where something refers to them (or never: titles, styles):
TEMPLATES = frozenset({"defs", "symbol", "linearGradient", "radialGradient", "stop", "pattern", "clipPath",
                       "mask", "marker", "filter", "title", "desc", "style"})
# Filter steps whose cost is one pass over the filter's region. Left out:
# feMorphology (its cost grows with the square of a radius that transforms
# scale: 29 s for one element at radius 50), feTurbulence (one pass per
# octave, and octaves are unbounded: 8 s at 100), feConvolveMatrix, the
# lighting steps, feDisplacementMap and feTile, which no logo needs.
FILTER_STEPS = frozenset({"feGaussianBlur", "feOffset", "feFlood", "feComposite", "feMerge", "feMergeNode",
                          "feColorMatrix", "feBlend", "feDropShadow", "feComponentTransfer", "feFuncR",
                          "feFuncG", "feFuncB", "feFuncA", "feImage"})
ELEMENTS = DRAWN | TEMPLATES | FILTER_STEPS
UNWRAPPED = frozenset({"a"})  # a logo needs no link: its content is kept, the link is not
# Elements that run code or show a web page, in SVG (or no) namespace.
RUNNING = frozenset({"script", "foreignObject", "iframe", "handler", "listener"})
RUNNING_NAMESPACES = (XHTML, MATHML)
LINKED = frozenset({"use", "textPath", "linearGradient", "radialGradient", "pattern", "feImage"})  # to #id

PRESENTATION = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "direction", "display", "dominant-baseline",
    "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity",
    "font-family", "font-feature-settings", "font-kerning", "font-size", "font-size-adjust", "font-stretch",
    "font-style", "font-variant", "font-variation-settings", "font-weight", "glyph-orientation-horizontal",
    "glyph-orientation-vertical", "image-rendering", "isolation", "kerning", "letter-spacing",
    "lighting-color", "marker-end", "marker-mid", "marker-start", "mask", "mask-type", "mix-blend-mode",
    "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color", "stop-opacity",
    "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
    "text-rendering", "transform", "transform-origin", "unicode-bidi", "vector-effect", "visibility",
    "white-space", "word-spacing", "writing-mode"})
ATTRIBUTES = PRESENTATION | frozenset({
    "id", "class", "style", "lang", "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
    "version", "viewBox", "preserveAspectRatio", "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r",
    "fx", "fy", "fr", "x1", "y1", "x2", "y2", "d", "points", "pathLength", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "startOffset", "method", "spacing", "side", "path", "gradientUnits", "gradientTransform",
    "spreadMethod", "offset", "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits",
    "maskUnits", "maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "operator", "k1", "k2", "k3", "k4",
    "mode", "type", "values", "tableValues", "slope", "intercept", "amplitude", "exponent", "edgeMode",
    "systemLanguage", "requiredFeatures", "requiredExtensions"})
CSS_PROPERTIES = PRESENTATION | frozenset({
    "marker", "font", "line-height", "text-align", "text-indent", "text-transform", "text-orientation",
    "font-variant-caps", "font-variant-ligatures", "font-variant-numeric", "font-variant-east-asian",
    "font-variant-position", "text-decoration-line", "text-decoration-style", "text-decoration-color"})
# Functions in CSS values: colours, transforms, filter shorthands, url(#id).
CSS_FUNCTIONS = frozenset({
    "url", "rgb", "rgba", "hsl", "hsla", "rect", "matrix", "translate", "translatex", "translatey", "scale",
    "scalex", "scaley", "rotate", "skew", "skewx", "skewy", "blur", "drop-shadow", "grayscale", "sepia",
    "saturate", "hue-rotate", "invert", "opacity", "brightness", "contrast"})
PAINT = frozenset({"fill", "stroke"})  # inherited: painted on every shape below
MARKERS = frozenset({"marker", "marker-start", "marker-mid", "marker-end"})  # inherited: at every vertex
IMAGE_TYPES = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}  # in data: → Pillow's
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

URL_SPACE = re.compile(r"[\x00-\x20]+")  # what browsers skip in a link (and its scheme)
FRAGMENT = re.compile(r"#[\w.:-]+")  # a link to an element of the same drawing
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)((?:;[\w.+-]+=[\w.+-]+)*);base64,([A-Za-z0-9+/=]*)",
                        re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)", re.IGNORECASE)
CSS_LOADING = re.compile(r"(?:-webkit-)?image-set\(|image\(|src\(|cross-fade\(|element\(", re.IGNORECASE)
CSS_RUNNING = re.compile(r"(?:^|[;{])(behavior|-moz-binding):|(expression)\(|(javascript):", re.IGNORECASE)
CSS_AT_RULE = re.compile(r"@([\w-]*)")
CSS_FUNCTION = re.compile(r"([\w-]+)\(")
CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
CSS_SELECTOR = re.compile(r"[\w\s.#*,>+~:()\[\]=|^$\"'-]+")
# CSS's absolute units in pixels, for a root width or height (see _in_pixels).
ABSOLUTE_UNITS = {"mm": 96 / 25.4, "cm": 96 / 2.54, "q": 96 / 101.6, "in": 96.0, "pt": 96 / 72, "pc": 16.0}
ABSOLUTE_LENGTH = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(mm|cm|q|in|pt|pc)\s*", re.IGNORECASE)
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class CleanSvg:
    data: bytes | None  # the sanitised SVG, to publish and to draw; None if the file cannot be used at all
    # What could run, load another file or exhaust a reader, each a phrase to
    # follow "holds", like 'a <script> element (line 3)'. Empty: nothing
    # dangerous was found (harmless unknown markup may still have been dropped).
    refused: tuple[str, ...]


def clean_svg(data: bytes) -> CleanSvg:
    """`data` with only the allowed drawing kept, and what was refused."""
    if len(data) > MAX_BYTES:
        return CleanSvg(None, (say("more than {limit:,} bytes", limit=MAX_BYTES),))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        source = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if b"<!ENTITY" in data:  # lxml stops a "billion laughs" as unreadable
            return CleanSvg(None, (say("an entity declaration"),))
        return CleanSvg(None, (say("XML that cannot be read (line {line})", line=error.lineno),))
    if flaw := _unusable(source):
        return CleanSvg(None, (flaw,))
    copier = _Copier()
    for instruction in source.itersiblings(preceding=True):
        copier.instruction(instruction)
    for instruction in source.itersiblings():
        copier.instruction(instruction)
    drawing = copier.root(source)
    if flaw := _too_much_work(drawing, copier.image_pixels):
        return CleanSvg(None, (*copier.refused(), flaw))
    etree.cleanup_namespaces(drawing, top_nsmap={None: SVG, "xlink": XLINK})
    return CleanSvg(etree.tostring(drawing, xml_declaration=True, encoding="UTF-8") + b"\n", copier.refused())


def _unusable(root: etree._Element) -> str | None:
    """Why the parsed document cannot be used at all, or None."""
    if root.tag != f"{{{SVG}}}svg":
        name = etree.QName(root).localname
        if name == "svg":
            return say('an <svg> root element without xmlns="{namespace}"', namespace=SVG)
        return say("a <{name}> document, not an SVG drawing", name=name)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        return say("an entity declaration")  # what it stands for would be lost, or read from a file
    count = 0
    for count, node in enumerate(root.iter(), start=1):
        if node.tag is etree.Entity:  # undeclared, or declared in a DTD elsewhere
            return say("an entity reference, {entity} (line {line})",
                       entity=etree.tostring(node).decode(), line=node.sourceline)
    if count > MAX_ELEMENTS:
        return say("more than {limit:,} elements", limit=MAX_ELEMENTS)
    if _depth(root) > MAX_DEPTH:
        return say("elements nested more than {limit} deep", limit=MAX_DEPTH)
    return None


def _depth(root: etree._Element) -> int:
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


class _Copier:
    """Copies the allowed part of one document into a new one, noting what
    it refuses and the pixels of the images it keeps."""

    def __init__(self) -> None:
        self._refused: list[str] = []
        self._ids: set[str] = set()
        self.image_pixels: dict[etree._Element, int] = {}

    def refuse(self, what: str, line: int | None) -> None:
        entry = say("{what} (line {line})", what=what, line=line) if line else what
        if entry not in self._refused:
            self._refused.append(entry)

    def refused(self) -> tuple[str, ...]:
        if len(self._refused) <= MAX_REPORTED:
            return tuple(self._refused)
        shown = self._refused[: MAX_REPORTED - 1]
        return (*shown, say("{count:,} more like these", count=len(self._refused) - len(shown)))

    def root(self, source: etree._Element) -> etree._Element:
        root = etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG, "xlink": XLINK})
        root.sourceline = source.sourceline
        self._attributes(source, root)
        for size in ("width", "height"):
            if size in root.attrib:
                root.set(size, _in_pixels(root.get(size)))
        self._content(source, root)
        return root

    def instruction(self, node: etree._Element) -> None:
        """Processing instructions are left behind; a stylesheet link is refused."""
        if node.tag is etree.PI and node.target.lower() == "xml-stylesheet":
            self.refuse(say("an <?xml-stylesheet?> link to another file"), node.sourceline)

    def _content(self, source: etree._Element, target: etree._Element) -> None:
        """Copies the text and children of `source` to the end of `target`."""
        _append_text(target, source.text)
        for child in source:
            if isinstance(child.tag, str):
                self._element(child, target)
            else:
                self.instruction(child)
            _append_text(target, child.tail)  # the text after a dropped element stays

    def _element(self, source: etree._Element, parent: etree._Element) -> None:
        qname = etree.QName(source)
        namespace, name = qname.namespace, qname.localname
        if running := _running(source):
            self.refuse(running, source.sourceline)
        elif namespace == SVG and name in ELEMENTS:
            if name == "style":
                self._style_element(source, parent)
            else:
                copy = etree.SubElement(parent, f"{{{SVG}}}{name}")
                copy.sourceline = source.sourceline  # for the refusals of _too_much_work
                self._attributes(source, copy)
                self._content(source, copy)
        elif namespace == SVG and name in UNWRAPPED:
            self._attributes(source, None)
            self._content(source, parent)
        else:  # another editor's markup, metadata, animation: dropped with its content
            self._inspect(source)

    def _inspect(self, source: etree._Element) -> None:
        """Refuses what a dropped element holds that would run or load,
        though it will not reach the copy: it shows what the file meant."""
        self._attributes(source, None)
        for child in source:
            if not isinstance(child.tag, str):
                self.instruction(child)
            elif running := _running(child):
                self.refuse(running, child.sourceline)
            else:
                self._inspect(child)

    def _style_element(self, source: etree._Element, parent: etree._Element) -> None:
        css = "".join(source.xpath("text()"))
        if flaw := _css_flaw(css, say("a stylesheet")):
            self.refuse(flaw, source.sourceline)
        elif rules := _clean_stylesheet(css):
            copy = etree.SubElement(parent, f"{{{SVG}}}style")
            self._attributes(source, copy)
            copy.text = rules

    def _attributes(self, source: etree._Element, target: etree._Element | None) -> None:
        """Copies the allowed attributes of `source` (refusing what runs or
        loads), or with no `target` only refuses."""
        name, line = etree.QName(source).localname, source.sourceline
        for key, value in source.attrib.items():
            namespace, attribute = etree.QName(key).namespace, etree.QName(key).localname
            if namespace is None and attribute.lower().startswith("on"):
                self.refuse(say("an {attribute} attribute", attribute=attribute), line)
            elif _runs(attribute, value):
                self.refuse(say("a javascript: link"), line)
            elif target is None:
                continue
            elif attribute == "href" and namespace in (None, XLINK):
                if (link := self._link(name, value, target, line)) is not None:
                    target.set(key, link)
            elif namespace == XML and attribute in ("space", "lang"):
                target.set(key, value)
            elif namespace is None and attribute in ATTRIBUTES:
                if (kept := self._value(attribute, value, line)) is not None:
                    target.set(attribute, kept)

    def _value(self, attribute: str, value: str, line: int | None) -> str | None:
        if attribute == "style":
            if flaw := _css_flaw(value, say("a style attribute")):
                self.refuse(flaw, line)
                return None
            return _clean_declarations(value) or None
        if attribute == "id":
            if value in self._ids:
                return None  # the first of the same id is the one browsers and resvg use
            self._ids.add(value)
        presentation = attribute in PRESENTATION  # CSS, as in a style attribute
        if presentation or "url(" in value.lower():
            what = (say("an {attribute} attribute", attribute=attribute) if attribute[0] in "aeiou"
                    else say("a {attribute} attribute", attribute=attribute))
            if flaw := _css_flaw(value, what):
                self.refuse(flaw, line)
                return None
            if presentation and not _plain_css_value(value):
                return None
            return CSS_URL.sub(lambda url: f"url({url.group(2).strip()})", value)
        return value

    def _link(self, name: str, value: str, target: etree._Element, line: int | None) -> str | None:
        """The href to keep: `#id` for elements that draw another element,
        an embedded image for <image>, else None (and refused if it loads)."""
        link = URL_SPACE.sub("", value)
        if name == "image":
            return self._image(link, value, target, line)
        if name not in LINKED:
            return None  # a link that draws nothing, as on <a>
        if not link.startswith("#"):
            self.refuse(say('a link to another file, "{link}"', link=_shown(value)), line)
            return None
        return link if FRAGMENT.fullmatch(link) else None

    def _image(self, link: str, value: str, target: etree._Element, line: int | None) -> str | None:
        embedded = DATA_IMAGE.fullmatch(link)
        if not link.lower().startswith("data:"):
            self.refuse(say('a link to another file, "{link}"', link=_shown(value)), line)
            return None
        if not embedded:
            self.refuse(say("an embedded image that is not PNG, JPEG, GIF or WebP"), line)
            return None
        pixels = _image_pixels(embedded.group(3), IMAGE_TYPES[embedded.group(1).lower()])
        if pixels is None:
            self.refuse(say("an embedded image that is not a readable PNG, JPEG, GIF or WebP"), line)
            return None
        if pixels > MAX_IMAGE_PIXELS:
            self.refuse(say("an embedded image of more than {limit} megapixels", limit=MAX_IMAGE_PIXELS // 1_000_000),
                        line)
            return None
        self.image_pixels[target] = pixels
        return link


def _in_pixels(length: str) -> str:
    """A root width or height in mm, cm, in, pt… as the same length in
    pixels: resvg-py 0.5 cannot size such a drawing (Inkscape's default)."""
    absolute = ABSOLUTE_LENGTH.fullmatch(length)
    if not absolute:
        return length
    return f"{round(float(absolute.group(1)) * ABSOLUTE_UNITS[absolute.group(2).lower()], 3):g}"


def _running(element: etree._Element) -> str | None:
    """What `element` is, if it runs code or shows a web page."""
    qname = etree.QName(element)
    if qname.namespace in RUNNING_NAMESPACES:
        if qname.namespace == XHTML:
            return say("an HTML <{name}> element", name=qname.localname)
        return say("a MathML <{name}> element", name=qname.localname)
    if qname.namespace in (SVG, None) and qname.localname in RUNNING:
        return say("a <{name}> element", name=qname.localname)
    return None


def _append_text(target: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(target):
        target[-1].tail = (target[-1].tail or "") + text
    else:
        target.text = (target.text or "") + text


def _runs(attribute: str, value: str) -> bool:
    """Whether a link, or a value an animation would set, is javascript:
    (browsers skip spaces and controls in it, and ignore case)."""
    if attribute not in ("href", "to", "from", "values", "by"):
        return False
    return any(URL_SPACE.sub("", part).lower().startswith(("javascript:", "vbscript:"))
               for part in value.split(";"))


def _shown(value: str) -> str:
    value = URL_SPACE.sub(" ", value).strip()
    return value if len(value) <= 60 else f"{value[:57]}…"


def _image_pixels(payload: str, expected: str) -> int | None:
    """The pixels of an embedded image, read from its header only, or None
    if Pillow does not take it for the format it claims."""
    try:
        raw = base64.b64decode(payload, validate=True)
        with Image.open(io.BytesIO(raw), formats=IMAGE_FORMATS) as image:
            if image.format != expected:
                return None
            return image.width * image.height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return MAX_IMAGE_PIXELS + 1  # Pillow's own bound is far above ours
    except (binascii.Error, OSError, SyntaxError, ValueError):  # Pillow's ways of saying "not an image"
        return None


# CSS: kept only if nothing in it can load or run, then only the allowed
# properties, with values made of words, numbers, colours and url(#id).

def _css_flaw(css: str, what: str) -> str | None:
    """What in the CSS of a <style>, a style attribute or a presentation
    attribute could load another file or run, or None."""
    css = CSS_COMMENT.sub("", css)
    if "\\" in css:  # an escape can spell url( or @import unseen
        return say("{what} with a backslash escape", what=what)
    if at := CSS_AT_RULE.search(css):
        if at.group(1).lower() == "import":
            return say('{what} that loads another file, with "@import"', what=what)
        return say("{what} with an @{rule} rule", what=what, rule=at.group(1))
    for start in (match.start() for match in re.finditer(r"url\(", css, re.IGNORECASE)):
        url = CSS_URL.match(css, start)
        if not url or not FRAGMENT.fullmatch(url.group(2).strip()):
            return say('{what} that loads another file, "{link}"',
                       what=what, link=_shown(url.group(2) if url else css[start:]))
    if loading := CSS_LOADING.search(css):
        return say('{what} that loads another file, with "{function}"', what=what, function=loading.group(0))
    if running := CSS_RUNNING.search(URL_SPACE.sub("", css)):  # old Internet Explorer's and Firefox's ways
        return say('{what} that runs code, with "{word}"',
                   what=what, word=next(word for word in running.groups() if word))
    return None


def _clean_declarations(css: str) -> str:
    """The allowed declarations of a style attribute (or a rule's block)."""
    kept = []
    for declaration in CSS_COMMENT.sub("", css).split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), " ".join(value.split())
        if colon and prop in CSS_PROPERTIES and _plain_css_value(value):
            kept.append(f"{prop}:{CSS_URL.sub(lambda url: f'url({url.group(2).strip()})', value)}")
    return ";".join(kept)


def _plain_css_value(value: str) -> bool:
    return (bool(value) and value.count('"') % 2 == 0 and value.count("'") % 2 == 0
            and not any(character in value for character in "{}<>")
            and all(function.lower() in CSS_FUNCTIONS for function in CSS_FUNCTION.findall(value)))


def _clean_stylesheet(css: str) -> str:
    """The rules of a <style> with plain selectors, with their allowed
    declarations, one rule a line (`.st0{fill:#fff}`)."""
    rules = []
    for rule in CSS_RULE.finditer(CSS_COMMENT.sub("", css)):
        selector, declarations = " ".join(rule.group(1).split()), _clean_declarations(rule.group(2))
        if (declarations and CSS_SELECTOR.fullmatch(selector)
                and selector.count('"') % 2 == 0 and selector.count("'") % 2 == 0):
            rules.append(f"{selector}{{{declarations}}}")
    return "\n".join(rules)


# How much drawing the copy asks of a reader, every reference followed.

@dataclass(frozen=True)
class _Work:
    elements: int = 0  # elements drawn
    effects: int = 0  # clip paths, masks and filter steps applied
    pixels: int = 0  # of embedded images drawn
    vertices: int = 0  # where markers could be drawn (at most one per number of a path)

    def __add__(self, other: _Work) -> _Work:
        return _Work(*(min(mine + theirs, _SATURATED) for mine, theirs in zip(self._fields(), other._fields())))

    def __mul__(self, times: int) -> _Work:
        return _Work(*(min(mine * times, _SATURATED) for mine in self._fields()))

    def _fields(self) -> tuple[int, int, int, int]:
        return self.elements, self.effects, self.pixels, self.vertices


def _too_many_drawn() -> str:
    return say("more than {limit:,} elements to draw once its references are followed", limit=MAX_DRAWN)


class _TooMuchWork(Exception):
    """Why drawing would exhaust a reader, found before the count ends."""


def _too_much_work(root: etree._Element, image_pixels: dict[etree._Element, int]) -> str | None:
    """Why drawing the copy would exhaust a reader, or None."""
    try:
        work = _Drawing(root, image_pixels).work()
    except _TooMuchWork as reason:
        return str(reason)
    if work.elements > MAX_DRAWN:
        return _too_many_drawn()
    if work.effects > MAX_EFFECTS:
        return say("more than {limit:,} clip paths, masks and filter steps to apply once its references are followed",
                   limit=MAX_EFFECTS)
    if work.pixels > MAX_IMAGE_PIXELS:
        return say("more than {limit} megapixels of images to draw once its references are followed",
                   limit=MAX_IMAGE_PIXELS // 1_000_000)
    return None


_Reference = tuple[str, etree._Element | None]  # (property or "href", the element referred to)


class _Drawing:
    """The work of drawing an element once (its `body`): itself, its
    children, and what it refers to, as often as that is drawn. Counted
    generously: a <switch> draws all its children, a stylesheet rule
    applies to every element one part of its selector could match, and an
    inherited fill or marker to every shape below the element setting it.

    Every reference followed adds at least one element to the root's work,
    so following more than twice MAX_DRAWN of them (each is looked at
    twice) stops the count: a hostile file cannot make it slow."""

    def __init__(self, root: etree._Element, image_pixels: dict[etree._Element, int]):
        self.root = root
        self.image_pixels = image_pixels
        self.ids = {element.get("id"): element for element in root.iter() if element.get("id")}
        self.own = {element: self._resolved(refs) for element, refs in _references(root).items()}
        self.heir = self._heirs()
        self.budget = 2 * MAX_DRAWN

    def work(self) -> _Work:
        """The root's body, found depth first without recursion (a chain of
        <use> may be as long as the file)."""
        bodies: dict[etree._Element, _Work] = {}
        open_: set[etree._Element] = set()
        stack: list[tuple[etree._Element, bool]] = [(self.root, False)]
        while stack:
            element, ready = stack.pop()
            if ready:
                open_.discard(element)
                bodies[element] = self._body(element, bodies)
            elif element in open_:  # still open, so it is an ancestor of itself
                raise _TooMuchWork(say('a reference loop through "#{id}" (line {line})',
                                       id=element.get("id"), line=element.sourceline))
            elif element not in bodies:
                open_.add(element)
                stack.append((element, True))
                stack.extend((needed, False) for needed in self._needs(element))
        return bodies[self.root]

    def _needs(self, element: etree._Element) -> Iterator[etree._Element]:
        yield from (child for child in element if etree.QName(child).localname not in TEMPLATES)
        yield from (target for _, target in self._drawn_references(element) if target is not None)
        if (instance := self._instance(element)) is not None:
            yield instance

    def _body(self, element: etree._Element, bodies: dict[etree._Element, _Work]) -> _Work:
        name = etree.QName(element).localname
        work = _Work(elements=1, pixels=self.image_pixels.get(element, 0), vertices=_vertices(element))
        for child in element:
            drawn_here = etree.QName(child).localname not in TEMPLATES
            work += bodies[child] if drawn_here else _Work(elements=1)  # a template is drawn where used
        use_target = self._instance(element)
        instance = bodies[use_target] if use_target is not None else _Work()
        for prop, target in self._drawn_references(element):
            body = bodies[target] if target is not None else _Work()
            if prop == "href":  # <use>, feImage, a pattern's content
                work += body
            elif prop in PAINT:
                work += body * (1 if name in SHAPES else instance.elements)
            elif prop in MARKERS:
                work += body * (_vertices(element) if name in SHAPES else instance.vertices)
            else:  # a clip path, a mask, a filter (or a filter function): each of its steps is a pass
                work += body + _Work(effects=body.elements if prop == "filter" and target is not None else 1)
        return work

    def _drawn_references(self, element: etree._Element) -> Iterator[_Reference]:
        """Each reference drawn with `element`: its own, and the inherited
        patterns and markers of a shape, or of a <use> for what it draws."""
        yield from self._spent(ref for ref in self.own[element] if ref[0] not in PAINT | MARKERS)
        name = etree.QName(element).localname
        if name in SHAPES or (name == "use" and self._instance(element) is not None):
            setter: etree._Element | None = element
            while setter is not None:
                yield from self._spent(ref for ref in self.own[setter] if ref[0] in PAINT | MARKERS)
                setter = self.heir[setter]

    def _spent(self, references: Iterator[_Reference]) -> Iterator[_Reference]:
        for reference in references:
            self.budget -= 1
            if self.budget < 0:
                raise _TooMuchWork(_too_many_drawn())
            yield reference

    def _instance(self, element: etree._Element) -> etree._Element | None:
        """The element a <use> draws, which inherits the use's fill and markers."""
        if etree.QName(element).localname != "use":
            return None
        return self.ids.get(_href(element) or "")

    def _resolved(self, references: set[tuple[str, str | None]]) -> list[_Reference]:
        """The references that draw something: a gradient paints without
        drawing, a reference to nothing draws nothing (but a filter
        function, with no element, is a filter step)."""
        resolved = []
        for prop, ident in sorted(references, key=lambda ref: (ref[0], ref[1] or "")):
            target = self.ids.get(ident) if ident else None
            kind = etree.QName(target).localname if target is not None else None
            if (ident is None and prop == "filter") or (target is not None and (
                    (prop not in PAINT or kind == "pattern") and (prop not in MARKERS or kind == "marker"))):
                resolved.append((prop, target))
        return resolved

    def _heirs(self) -> dict[etree._Element, etree._Element | None]:
        """The nearest ancestor of each element that sets a pattern or a
        marker it inherits (a pattern's content inherits from the pattern's
        ancestors, not from what it paints)."""
        heir: dict[etree._Element, etree._Element | None] = {self.root: None}
        for element in self.root.iterdescendants():
            parent = element.getparent()
            sets = any(prop in PAINT | MARKERS for prop, _ in self.own[parent])
            heir[element] = parent if sets else heir[parent]
        return heir


def _href(element: etree._Element) -> str | None:
    link = element.get("href", element.get(f"{{{XLINK}}}href"))
    return link[1:] if link and link.startswith("#") else None


def _vertices(element: etree._Element) -> int:
    """At least the vertices of a shape (a marker is drawn at each)."""
    return 5 + sum(len(NUMBER.findall(element.get(attribute, ""))) for attribute in ("d", "points"))


def _references(root: etree._Element) -> dict[etree._Element, set[tuple[str, str | None]]]:
    """(property, id) for each reference of each element: href, url(#id)
    in attributes, style attributes and matching stylesheet rules; and
    (filter, None) for each filter function (blur()…)."""
    found: dict[etree._Element, set[tuple[str, str | None]]] = {}
    for element in root.iter():
        own = found.setdefault(element, set())
        if etree.QName(element).localname in ("use", "feImage", "pattern") and (ident := _href(element)):
            own.add(("href", ident))
        for attribute, value in element.attrib.items():
            if attribute != "style":
                own.update(_url_references(etree.QName(attribute).localname, value))
        for prop, value in _declarations(element.get("style", "")):
            own.update(_url_references(prop, value))
    applied = 0  # each a reference followed: bounded as _Drawing's are
    index = _Index(root)
    for key, declared in _stylesheet_references(root).items():
        for element in index.matching(key):
            applied += len(declared)
            if applied > MAX_DRAWN:
                raise _TooMuchWork(_too_many_drawn())
            found[element] |= declared
    return found


def _url_references(prop: str, value: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = [(prop, url.group(2).strip()[1:]) for url in CSS_URL.finditer(value)]
    if prop == "filter":
        found += [(prop, None) for function in CSS_FUNCTION.findall(value) if function.lower() != "url"]
    return found


def _declarations(css: str) -> list[tuple[str, str]]:
    pairs = (declaration.partition(":") for declaration in css.split(";"))
    return [(prop.strip(), value.strip()) for prop, colon, value in pairs if colon]


_Key = tuple[str, str]  # ("tag" | "id" | "class" | "any", name): what a selector is matched by


def _stylesheet_references(root: etree._Element) -> dict[_Key, set[tuple[str, str | None]]]:
    """The references of the stylesheets' rules, by what selects them."""
    found: dict[_Key, set[tuple[str, str | None]]] = {}
    for style in root.iter(f"{{{SVG}}}style"):
        for rule in CSS_RULE.finditer(style.text or ""):
            declared = {ref for prop, value in _declarations(rule.group(2)) for ref in _url_references(prop, value)}
            if declared:
                for selector in _without_arguments(rule.group(1)).split(","):
                    found.setdefault(_selector_key(selector), set()).update(declared)
    return found


def _without_arguments(selectors: str) -> str:
    """Selectors without what is in brackets (:not(.a, .b), [x="y"]), which
    only narrow what they match."""
    while (plainer := re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", selectors)) != selectors:
        selectors = plainer
    return selectors


def _selector_key(selector: str) -> _Key:
    """One part of a selector's last compound (an id, else a class, else a
    type): every element it matches has that part, so matching by it alone
    never finds fewer elements than a browser. Pseudo-classes and
    ancestors, which only narrow the match, are ignored."""
    last = re.sub(r"::?[\w-]+", "", re.split(r"[\s>+~]+", selector.strip())[-1].split("|")[-1])
    if ident := re.search(r"#([\w-]+)", last):
        return "id", ident.group(1)
    if name := re.search(r"\.([\w-]+)", last):
        return "class", name.group(1)
    if tag := re.match(r"[\w-]+", last):
        return "tag", tag.group(0)
    return "any", ""


class _Index:
    """The elements of a drawing by id, class and type."""

    def __init__(self, root: etree._Element):
        self.by: dict[_Key, list[etree._Element]] = {}
        for element in root.iter():
            keys = [("any", ""), ("tag", etree.QName(element).localname)]
            keys += [("class", name) for name in sorted(set(element.get("class", "").split()))]
            keys += [("id", element.get("id"))] if element.get("id") else []
            for key in keys:
                self.by.setdefault(key, []).append(element)

    def matching(self, key: _Key) -> list[etree._Element]:
        return self.by.get(key, [])


def refusal(data: bytes) -> str | None:
    """What the organiser is told of an SVG that cannot be published, or None."""
    refused = clean_svg(data).refused
    if not refused:
        return None
    return say("holds {refused}, which would run or load on the site: remove it, or use a PNG or PDF",
               refused="; ".join(refused))
