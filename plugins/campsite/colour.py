"""Readable colours derived from a camp's colour (WCAG 2.2 contrast).

A camp chooses one colour; its pages use it for links, headings' accents
and buttons. Whatever the colour, text must stay readable (AA: 4.5:1), so
the colours actually used are derived from it: darkened for links on a light
background, lightened for links on a dark one (dark mode), and black or
white text on the colour itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

AA = 4.5
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#16181d"


def _channels(hex_colour: str) -> tuple[float, float, float]:
    text = hex_colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(hex_colour: str) -> float:
    """Relative luminance, as WCAG defines it."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(colour: str, towards: str, amount: float) -> str:
    a, b = _channels(colour), _channels(towards)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def readable_on(colour: str, background: str, minimum: float = AA) -> str:
    """`colour`, moved towards black or white just enough to reach `minimum`
    contrast on `background`."""
    towards = "#000000" if luminance(background) > 0.5 else "#ffffff"
    for step in range(0, 101):
        candidate = _mix(colour, towards, step / 100)
        if contrast(candidate, background) >= minimum:
            return candidate
    return towards


@dataclass(frozen=True)
class Palette:
    accent: str  # links and accents on the light background
    accent_dark: str  # the same on the dark background
    fill: str  # the camp's own colour, as a background
    on_fill: str  # text on `fill`


@functools.lru_cache(maxsize=256)
def palette(colour: str) -> Palette:
    """The colours a camp's pages use (made once: every page asks)."""
    on_fill = max(("#000000", "#ffffff"), key=lambda text: contrast(text, colour))
    return Palette(
        accent=readable_on(colour, LIGHT_BACKGROUND),
        accent_dark=readable_on(colour, DARK_BACKGROUND),
        fill=colour,
        on_fill=on_fill,
    )
