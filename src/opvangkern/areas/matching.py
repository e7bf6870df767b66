"""Normalisation of area names and parsing of area codes.

Pure functions, no data. A name is compared by its *key*: Unicode-decomposed, diacritics dropped,
case-folded, and every character that is not a letter or digit removed, so that ``'s-Gravenhage``,
``s Gravenhage`` and ``S GRAVENHAGE`` all become ``sgravenhage``, and ``Súdwest-Fryslân`` becomes
``sudwestfryslan``.
"""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache

from opvangkern.model import AreaLevel
from opvangkern.names import fold

__all__ = [
    "tokens",
    "name_key",
    "name_sort_key",
    "split_level",
    "parse_code",
    "LEVEL_PREFIXES",
    "CODE_PREFIX",
    "LEVEL_RANK",
    "format_code",
    "split_code_and_name",
    "footnote_base",
]

LEVEL_RANK: dict[AreaLevel, int] = {level: rank for rank, level in enumerate(AreaLevel)}
"""Small to large: gemeente 0, veiligheidsregio 1, provincie 2, land 3."""

CODE_PREFIX: dict[AreaLevel, str] = {
    AreaLevel.GEMEENTE: "GM",
    AreaLevel.VEILIGHEIDSREGIO: "VR",
    AreaLevel.PROVINCIE: "PV",
    AreaLevel.LAND: "NL",
}
_LEVEL_OF_PREFIX = {prefix: level for level, prefix in CODE_PREFIX.items()}

LEVEL_PREFIXES: dict[str, AreaLevel] = {
    "gemeente": AreaLevel.GEMEENTE,
    "gem": AreaLevel.GEMEENTE,  # ``Gem. Assen``, as lists typed by hand abbreviate it (no municipality is called Gem)
    "veiligheidsregio": AreaLevel.VEILIGHEIDSREGIO,
    "provincie": AreaLevel.PROVINCIE,
    # as publishers abbreviate the level (fourteenth session): ``VR Twente``, ``Prov. Drenthe``; and ``Regio Twente``
    # in a list per safety region (no municipality, region or province has a name that starts with these words)
    "vr": AreaLevel.VEILIGHEIDSREGIO,
    "regio": AreaLevel.VEILIGHEIDSREGIO,
    "prov": AreaLevel.PROVINCIE,
}
"""A leading word (already normalised) that names the level: ``Gemeente Assen``, ``Gem. Assen``,
``Provincie Drenthe``, ``VR Twente``, ``Regio Twente``, ``Prov. Drenthe``."""

_LEVEL_SUFFIXES: dict[str, AreaLevel] = {
    "gemeente": AreaLevel.GEMEENTE,
    "gm": AreaLevel.GEMEENTE,
    "veiligheidsregio": AreaLevel.VEILIGHEIDSREGIO,
    "vr": AreaLevel.VEILIGHEIDSREGIO,
    "provincie": AreaLevel.PROVINCIE,
    "pv": AreaLevel.PROVINCIE,
    "land": AreaLevel.LAND,
}
_SUFFIX_RE = re.compile(r"\(\s*([A-Za-z]+)\s*\)\s*$")
"""A trailing level in brackets, as CBS StatLine titles write it: ``Groningen (gemeente)``, ``Drenthe (PV)``."""

_SPLIT_RE = re.compile(r"[\W_]+")

_CODE_RE = re.compile(r"^\s*'?(?:(GM|VR|PV|NL)[\s_\-]*)?0*(\d{1,6})(?:\.0)?\s*$", re.IGNORECASE)
"""``GM0106``, ``gm 106``, ``VR3``, ``0106``, ``106``, ``106.0`` (a number a spreadsheet stored as text), and
``'0106``: Excel's text marker (a leading apostrophe that keeps the zero), which an export or a copy out of the
formula bar leaves in front of the code (fifteenth session; before, an unknown municipality)."""


@lru_cache(maxsize=65536)
def tokens(value: str) -> tuple[str, ...]:
    """The words of ``value``: decomposed, diacritics dropped, case-folded, split on anything not a letter or digit."""
    # the one folding of names (opvangkern.names), shared with the readers' normalize_name
    return tuple(t for t in _SPLIT_RE.split(fold(value)) if t)


def name_key(value: str) -> str:
    """The matching key of a name: its words joined without separators (``'s-Gravenhage`` → ``sgravenhage``)."""
    return "".join(tokens(value))


def name_sort_key(naam: str) -> tuple[str, str]:
    """Sort key for "name order": as a spreadsheet sorts, ignoring case, diacritics and punctuation.

    ``'s-Gravenhage`` sorts under *s*, ``De Wolden`` under *d*; the name itself breaks ties.
    """
    return (" ".join(tokens(naam)), naam)


def split_level(value: str) -> tuple[AreaLevel | None, tuple[str, ...]]:
    """Split an optional level word off a name.

    Returns ``(level, words of the rest)``; ``level`` is ``None`` when the name carries none. A leading
    ``Gemeente``/``Veiligheidsregio``/``Provincie`` and a trailing ``(gemeente)``/``(VR)``/``(PV)``/… count;
    when both are present and disagree the level is unusable and the rest is empty.
    """
    level: AreaLevel | None = None
    m = _SUFFIX_RE.search(value)
    if m and m.group(1).casefold() in _LEVEL_SUFFIXES:
        level = _LEVEL_SUFFIXES[m.group(1).casefold()]
        value = value[: m.start()]
    words = tokens(value)
    if len(words) > 1 and words[0] in LEVEL_PREFIXES:
        prefix_level = LEVEL_PREFIXES[words[0]]
        if level is not None and level is not prefix_level:
            return level, ()
        level = prefix_level
        words = words[1:]
    return level, words


def parse_code(value: object) -> tuple[AreaLevel | None, int] | None:
    """Read ``value`` as an area code, or return ``None`` when it does not look like one.

    Returns ``(level, number)``: ``level`` is ``None`` for a bare number (``106``, ``"0106"``, ``106.0``),
    whose level the caller decides. Whole floats are accepted because spreadsheets store codes as numbers.
    Booleans, negative or fractional numbers and NaN are not codes.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        n = int(value)
        return (None, n) if n >= 0 else None
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isfinite(f) and f >= 0 and f == int(f):
            return None, int(f)
        return None
    if not isinstance(value, str):
        return None
    m = _CODE_RE.match(value)
    if m is None:
        return None
    prefix = m.group(1)
    level = _LEVEL_OF_PREFIX[prefix.upper()] if prefix else None
    return level, int(m.group(2))


def format_code(level: AreaLevel, number: int) -> str | None:
    """``(GEMEENTE, 106)`` → ``GM0106``; ``(VEILIGHEIDSREGIO, 3)`` → ``VR03``; ``None`` when out of range."""
    width = 4 if level is AreaLevel.GEMEENTE else 2
    if number >= 10**width:
        return None
    return f"{CODE_PREFIX[level]}{number:0{width}d}"


# A code and a name in one cell, as some exports write the area: ``Assen (GM0106)``, ``GM0106 Assen``,
# ``GM0106 - Assen``, ``0106 Assen``, ``Assen, GM0106``. A bare number is the code in front (``106 Assen``, what
# a formula joining a number cell and a name gives), or behind the name as four digits in brackets or after
# a comma or dash: ``Tynaarlo (1)`` is a footnote and ``Assen 106`` no pair.
_PREFIXED = r"(?:GM|VR|PV)[\s_\-]*\d{1,4}"


@lru_cache(maxsize=None)
def _combined() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """The patterns of a code and a name in one cell, and of a letter. Compiled on first use (issue 16): a
    dataset whose area cells are plain codes or names never asks, and compiling them was start-up work."""
    combined = (
        re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<code>" + _PREFIXED + r"|\d{4})\s*\)$", re.IGNORECASE),
        re.compile(r"^(?P<code>" + _PREFIXED + r"|\d{1,4})(?:\s*[-\u2013\u2014:,;|/]\s*|\s+)(?P<name>.+)$",
                   re.IGNORECASE),
        re.compile(r"^(?P<name>.+?)(?:\s*[-\u2013\u2014:,;|/]\s*)(?P<code>" + _PREFIXED + r"|\d{4})$",
                   re.IGNORECASE),
        re.compile(r"^(?P<name>.+?)\s+(?P<code>" + _PREFIXED + r")$", re.IGNORECASE),
    )
    return combined, re.compile(r"[^\W\d_]")


def split_code_and_name(value: object) -> tuple[str, str] | None:
    """``(code, name)`` when ``value`` is an area code and a name in one cell, else ``None``.

    Only the shape is checked here; whether the two parts are known and name the same area is for the
    caller, which must refuse the cell when they do not (never a silent pick of one of the two).
    """
    if not isinstance(value, str) or len(value) > 200:
        return None
    text = value.strip()
    combined, letter = _combined()
    for pattern in combined:
        m = pattern.match(text)
        if m is None:
            continue
        name = m.group("name").strip(" \t,;:-\u2013\u2014|/")
        if letter.search(name) and parse_code(m.group("code")) is not None:
            return m.group("code").strip(), name
    return None


_NAME_MARKS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u207d\u207e\u2020\u2021"
_TRAILING_MARK = re.compile(r"^(?P<base>.*?\S)\s*(?P<mark>[" + _NAME_MARKS
                            + r"]+|\(\d{1,2}\)|\d{1,2}\)|\([a-z]\)|(?<=\s)[a-z]\))\s*$")


def footnote_base(value: str) -> tuple[str, str] | None:
    """``(name, mark)`` for a name with a footnote mark after it (``Emmen¹``, ``Emmen⁽¹⁾``, ``Emmen (1)``,
    ``Emmen 1)``, ``Emmen (a)``, ``Emmen a)``, ``Emmen†``), ``None`` for any other text. Only for the message that refuses such a name: the
    mark is never dropped to resolve it (a digit may be part of a name or a code, and ``14¹`` must not become
    GM0141), the manifest's ``waarden`` says what the cell means."""
    if not isinstance(value, str):
        return None
    m = _TRAILING_MARK.match(value)
    if m is None or not any(ch.isalpha() for ch in m.group("base")):
        return None
    return m.group("base"), m.group("mark")
