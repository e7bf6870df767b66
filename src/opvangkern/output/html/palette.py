"""The page's status colours and their second channel, and the colour-vision check behind them.

Status is never told by colour alone: every coloured shape or card also carries a symbol
(``STATUS_SYMBOLS``: none for *op schema*, a ring for *licht achter*, a cross for *achter*) or
the status in words. The colours are the seed's; :func:`simulate` and :func:`delta_e` let a test
check that they stay apart for readers with protanopia, deuteranopia and tritanopia (the matrices
of Machado, Oliveira & Fernandes 2009, severity 1.0, applied in linear RGB; distance CIE76 ΔE*ab).
See ``docs/html.md`` ("Kleuren en kleurenblindheid").
"""

from __future__ import annotations

import math

STATUS_COLOURS = {
    "op_schema": "#1a9641",
    "licht_achter": "#f2b600",
    "achter": "#d7301f",
    "geen_opgave": "#cfd4da",
}
"""The fill per status (grey also for *geen gegevens*); the same values as ``style.css``'s variables."""

STATUS_SYMBOLS = {"op_schema": "", "licht_achter": "ring", "achter": "kruis"}
"""The second channel on the maps and in the legend: which symbol marks a status (none: op schema)."""

STATUS_SIGNS = {"op_schema": "\u2713", "licht_achter": "!", "achter": "\u2715", "geen_opgave": "\u2013"}
"""A sign per status in text (cards, table of changes): ✓ ! ✕ –."""

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", IEEE TVCG 15(6), table of matrices at severity 1.0 (full dichromacy), linear RGB.
CVD_MATRICES = {
    "protanopie": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopie": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopie": ((1.255528, -0.076749, -0.178779),
                   (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(channel: float) -> int:
    c = min(1.0, max(0.0, channel))
    c = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
    return int(round(c * 255))


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def simulate(colour: str, deficiency: str) -> str:
    """``colour`` (``#rrggbb``) as a reader with ``deficiency`` (a key of ``CVD_MATRICES``) sees it."""
    rgb = [_linear(c) for c in hex_to_rgb(colour)]
    matrix = CVD_MATRICES[deficiency]
    out = [sum(matrix[i][j] * rgb[j] for j in range(3)) for i in range(3)]
    return "#" + "".join(f"{_srgb(c):02x}" for c in out)


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in hex_to_rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference ΔE*ab between two sRGB colours."""
    return math.dist(lab(a), lab(b))
