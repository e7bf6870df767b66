"""The one name normaliser (issue 8): how a name or header is folded before it is compared.

A header (``Gemeente``), a value (``NO``) and an area name (``Súdwest-Fryslân``) are all compared after
the same folding: Unicode compatibility decomposition (NFKD), the combining marks dropped, case folded,
and the Latin letters that do not decompose written as their base letters (``ø`` → ``o``, ``ł`` → ``l``,
``æ`` → ``ae``, ``đ`` → ``d``, …). Other letters (Greek, Cyrillic) are kept, never dropped. The readers
(``opvangkern.reading.values.normalize_name``) then drop everything that is not a letter or digit; area
matching (``opvangkern.areas.matching.tokens``) splits on it into words. Both agree: ``name_key`` is
``normalize_name`` for every text without ``%`` (which the readers read as the word *procent*).
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]

_LETTERS = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "ƒ": "f",
    "æ": "ae", "œ": "oe", "þ": "th", "ŋ": "n", "ĸ": "k",
    "\u02bc": "'", "\u02bb": "'",
})
"""Lower-case Latin letters without a decomposition, and what they are compared as (after casefold); and the
apostrophes that Unicode counts as letters (``ʼs-Hertogenbosch``, U+02BC, as some word processors write it), which
would otherwise stay in a name's key."""


def fold(text: str) -> str:
    """``text`` decomposed, without diacritics, case-folded, with undecomposable Latin letters spelled out:
    ``Søgne`` → ``sogne``, ``Łódź`` → ``lodz``, ``Straße`` → ``strasse``; punctuation and spaces stay."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return stripped.translate(_LETTERS)
