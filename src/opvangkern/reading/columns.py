"""Declaring the columns of a layout and finding its header row in a grid.

A ``Column`` has a key (what the adapter calls it), names (the first is the label; the rest are
aliases, in order of preference) and a kind (how its cells are read). A ``Layout`` is a set of columns
plus what it requires: a list of key groups, each satisfied when at least one of its keys is present
(``("gemeente", "gemeentecode")``: the area by name and/or by code).

Header names match case-, space-, punctuation- and diacritics-insensitively (``normalize_name``).
Aliases of three characters or fewer (``NO``, ``TGO``, ``AMV``) must stand without punctuation in
the cell, so that a column ``No.`` (a row number) is not taken for ``NO`` (noodopvang).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from opvangkern.model import Severity
from opvangkern.reading.sheet import Grid
from opvangkern.reading.values import Suffix, cell_text, header_suffix, normalize_name

__all__ = [
    "TEXT", "COUNT", "AMOUNT", "SIGNED", "DATE", "KINDS",
    "Column", "Layout", "HeaderMatch", "find_header", "match_header", "is_ratio_header", "near_misses", "resolve_target",
    "kolommen_line", "RATIO_WORDS", "is_pivot_not_a_sum",
    "GEMEENTE", "GEMEENTECODE", "VEILIGHEIDSREGIO", "VEILIGHEIDSREGIOCODE", "PEILDATUM",
]

TEXT = "text"
"""A text cell (a name, a code, a category)."""
COUNT = "count"
"""A non-negative whole number (a realised count)."""
AMOUNT = "amount"
"""A non-negative number, decimals allowed (a target)."""
SIGNED = "signed"
"""Any number, negative allowed (an achterstand)."""
DATE = "date"
"""A date."""
KINDS = (TEXT, COUNT, AMOUNT, SIGNED, DATE)
NUMERIC_KINDS = (COUNT, AMOUNT, SIGNED)


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _columns(value: Iterable[Column]) -> tuple[Column, ...]:
    # Not ``converter=tuple``: attrs reads a converter's signature, and a builtin's comes from its text
    # signature through ``tokenize``, whose large pattern costs ~8-20 ms to compile at import (issue 16).
    return tuple(value)


@attrs.frozen
class Column:
    """One column a layout knows."""

    key: str
    """The adapter's name for it (``regulier``)."""
    names: tuple[str, ...] = attrs.field(converter=_names)
    """The header names: the label first, then the aliases in order of preference."""
    kind: str = attrs.field(default=TEXT, validator=attrs.validators.in_(KINDS))
    """How cells are read: ``text``, ``count``, ``amount``, ``signed`` or ``date``."""
    apart: tuple[str, ...] = attrs.field(default=(), converter=_names)
    """Aliases that, beside a better-ranked name of the column, hold another measure (TVS's ``Realisatie``
    beside ``Gehuisvest``: the share of the target realised): their cells are not compared with the column's
    (``kolommen_verschillen``), they are ignored with the warning only."""

    @property
    def label(self) -> str:
        return self.names[0]

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


GEMEENTE = Column("gemeente", ("Gemeente", "Gemeentenaam", "Naam gemeente", "Gemeente naam"))
GEMEENTECODE = Column("gemeentecode", ("Gemeentecode", "Code gemeente", "GM-code", "CBS-code", "CBS gemeentecode",
                                       "Gemcode", "GM code", "Gemeentenummer", "Gemeentenr", "Gemnr", "Code CBS"))
VEILIGHEIDSREGIO = Column("veiligheidsregio", ("Veiligheidsregio", "Veiligheidsregionaam", "VR", "Regio",
                                               "Naam veiligheidsregio"))
VEILIGHEIDSREGIOCODE = Column("veiligheidsregiocode", ("Veiligheidsregiocode", "VR-code", "Code veiligheidsregio",
                                                       "VR code", "Regiocode"))
PEILDATUM = Column("peildatum", ("Peildatum", "Peil datum", "Stand per", "Standdatum", "Datum stand"), kind=DATE)


@attrs.frozen
class Layout:
    """The columns of one file layout and which of them it needs."""

    name: str
    """A short name for messages (``breed``, ``lang``)."""
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    """Every column the layout knows; others in the file are ignored."""
    require: tuple[tuple[str, ...], ...] = attrs.field(converter=lambda r: tuple(_names(g) for g in r), default=())
    """Groups of keys; the header must hold at least one key of each group."""

    def __attrs_post_init__(self) -> None:
        seen: dict[str, str] = {}
        keys = set()
        for col in self.columns:
            if col.key in keys:
                raise ValueError(f"layout {self.name!r}: column key {col.key!r} twice")
            keys.add(col.key)
            for name in col.names:
                k = normalize_name(name)
                if k in seen and seen[k] != col.key:
                    raise ValueError(f"layout {self.name!r}: header name {name!r} belongs to {seen[k]!r} and {col.key!r}")
                seen[k] = col.key
        for group in self.require:
            for key in group:
                if key not in keys:
                    raise ValueError(f"layout {self.name!r}: required key {key!r} is not a column")

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def describe_missing(self, present: Iterable[str]) -> list[str]:
        """The requirement groups not met, as Dutch text (``Gemeente of Gemeentecode``)."""
        present = set(present)
        missing = []
        for group in self.require:
            if not present.intersection(group):
                labels = [self.column(k).label for k in group]
                missing.append(" of ".join(labels))
        return missing


@attrs.frozen
class HeaderMatch:
    """Where a layout's header is in a grid and which column holds which key."""

    grid: Grid
    layout: Layout
    rij: int
    """The header's row number."""
    positions: dict[str, int]
    """key -> 0-based column index."""
    headers: dict[str, str]
    """key -> the header text as the file writes it."""
    cells: tuple[Any, ...]
    """The header row's cells."""
    problems: tuple[tuple[Severity, str, str | None, str | None], ...] = ()
    """Duplicate or shadowed columns: ``(ernst, melding, kolom, code)``."""
    first_rij: int | None = None
    """The first row of a header written over two rows (``rij`` is the last); ``None``: one row."""
    suffixes: dict[str, Suffix] = attrs.field(factory=dict)
    """key -> the period or date that follows the column's name in its header (``Taakstelling 2025-II``)."""
    shadowed: tuple[tuple[str, int, str], ...] = ()
    """``(key, 0-based column index, header text)`` of each alias ignored for a better-ranked one (the
    ``kolom_genegeerd`` warnings): a numeric one's cells are compared with the chosen column's after the rows
    are read (``reading.aliases``)."""

    @property
    def found(self) -> list[str]:
        """The non-empty header texts of the row."""
        return [cell_text(c) for c in self.cells if cell_text(c)]

    @property
    def satisfied(self) -> bool:
        return not self.layout.describe_missing(self.positions)


FOOTNOTE_MARKS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u207d\u207e\u2020\u2021"
"""Footnote marks a header may end with (``Bezetting¹``, ``Plekken†``): superscript digits and brackets,
dagger, double dagger. They are no part of the column's name (``*`` is punctuation and never was)."""


def _short_ok(raw: Any, name: str) -> bool:
    """Aliases of three characters or fewer must stand in the cell without punctuation."""
    if len(normalize_name(name)) > 3:
        return True
    text = cell_text(raw).rstrip(" *")  # a footnote star (``AMV*``) is no punctuation of the name
    return text.replace(" ", "").isalnum()


RATIO_WORDS = ("procent", "percentage", "graad")
"""Words (normalised) that make a header a ratio: never a count, not through an alias or ``kolommen``."""


def is_ratio_header(raw: Any) -> bool:
    """Whether a header names a ratio (``% gerealiseerd``, ``Bezetting (%)``, ``Bezettingsgraad``)."""
    key = normalize_name(raw)
    return any(word in key for word in RATIO_WORDS)


_PIVOT_NOT_A_SUM = re.compile(
    r"^\s*(aantal(\s+(getallen|numerieke\s+waarden))?|gemiddelde|max|min|product|stdevp?|varp?|"
    r"standaarddeviatie|variantie|count(\s+numbers)?|average|mean|stddevp?)\.?\s+(van|of|-|–)\s+\S",
    re.IGNORECASE)
"""The caption of a pivot table's (*draaitabel*) value field that does not sum it, in Dutch and English Excel
(``Aantal van Capaciteit``, ``Gemiddelde van Capaciteit``, ``Max. van Capaciteit``, ``Count of Capaciteit``) and
LibreOffice (``Aantal - Capaciteit``): the number of rows, an average, a maximum, never the places."""


@functools.lru_cache(maxsize=512)
def _pivot_not_a_sum(text: str) -> bool:
    return _PIVOT_NOT_A_SUM.match(text) is not None


def is_pivot_not_a_sum(raw: Any) -> bool:
    """Whether a header is a pivot table's value field that counts or averages another column (``Aantal van
    Capaciteit``): never a count of that column, not through ``kolommen`` (memoised per distinct text)."""
    return isinstance(raw, str) and _pivot_not_a_sum(raw)


_OTHER_MOMENT_WORDS = frozenset({
    "vorige", "vorig", "verschil", "mutatie", "mutaties", "delta", "toename", "afname", "oud", "oude", "gepland",
    "geplande", "prognose", "verwacht", "verwachte", "max", "maximaal", "maximale", "beschikbaar", "beschikbare",
    "vrij", "vrije", "leegstand", "voorbereiding", "ontwikkeling", "aanbouw"})
"""Words of a header that make it another moment or another measure than the count its other words name:
``Capaciteit vorige week``, ``Verschil capaciteit``, ``Capaciteit gepland``, ``Beschikbare capaciteit``, ``Max.
capaciteit``, Nidos' ``Plekken (incl. in voorbereiding)`` (places not yet in use; fifteenth session). Such a
header is never proposed in a ``kolommen`` line for the count."""


def names_another_moment(raw: Any) -> bool:
    """Whether a header names another moment or measure (``_OTHER_MOMENT_WORDS``, ``t.o.v.``) beside its count's
    name: mapped onto the count, it would count last week's places, a difference or a plan."""
    from opvangkern.names import fold

    text = fold(cell_text(raw))
    return "toov" in normalize_name(raw) or not _OTHER_MOMENT_WORDS.isdisjoint(re.findall(r"[a-z]+", text))


_OTHER_FIGURE_STEMS = ("gereserveerd", "toegezegd", "nodig", "benodigd", "tekort", "bezet", "opgave", "taakstelling",
                       "beoogd", "aangevraagd", "gevraagd")
"""Word starts (normalised) of a header that counts another figure than what it is proposed for: ``Gereserveerde
plekken``, ``Toegezegde plekken`` (not there yet), ``Benodigde plekken``, ``Plekken tekort``, ``Opgave plekken``
(the target), ``Bezette plekken`` (the occupancy). Never proposed for a column none of whose names holds it."""


@functools.lru_cache(maxsize=1024)
def names_another_figure(raw: str, names: tuple[str, ...]) -> bool:
    """Whether the header ``raw`` holds a word of ``_OTHER_FIGURE_STEMS`` that no name of the column (``names``)
    holds: ``Bezette plekken`` is not proposed for Capaciteit (it would count the occupied places as the places),
    ``Opgave plekken`` is for a quota file's Opgave (fifteenth session). Once per distinct text and column."""
    from opvangkern.names import fold

    words = re.findall(r"[a-z]+", fold(cell_text(raw)))
    stems = {s for s in _OTHER_FIGURE_STEMS for w in words if w.startswith(s)}
    return any(not any(s in normalize_name(n) for n in names) for s in stems)


def _rest_after(text: str, key: str) -> str | None:
    """What follows the part of ``text`` whose normalised form is ``key`` (``None``: it does not start so)."""
    consumed = 0
    for i, ch in enumerate(text):
        consumed += len(normalize_name(ch))
        if consumed == len(key):
            return text[i + 1:]
        if consumed > len(key):
            return None
    return None


def _suffix_match(text: str, key: str, names: Sequence[tuple[str, str, int]]) -> tuple[str, int, Suffix] | None:
    """The column a header names with a period or date after the name (``Taakstelling 2025-II``): the
    longest name that the header starts with and that only a period or a date follows."""
    for name_key, col_key, rank in names:
        if len(key) <= len(name_key) or not key.startswith(name_key):
            continue
        rest = _rest_after(text, name_key)
        if rest is None:
            continue
        if len(name_key) <= 3 and (not text[:len(text) - len(rest)].replace(" ", "").isalnum()
                                   or not rest[:1] in (" ", "(")):
            continue  # a short alias (NO, TGO) stands without punctuation, as in ``_short_ok`` ("No. 2025")
        suffix = header_suffix(rest)
        if suffix is not None:
            return col_key, rank, suffix
    return None


def _trailing_suffix(text: str) -> Suffix | None:
    """The longest tail of a header, after a word, that is a period or a date only (``Aantal gehuisvest t/m
    31-3-2026`` → ``t/m 31-3-2026``); ``None`` when no tail is."""
    if not any(ch.isdigit() for ch in text):
        return None
    for m in re.finditer(r"(?<=[\s(])\S", text):
        suffix = header_suffix(text[m.start() - (text[m.start() - 1] == "("):])
        if suffix is not None:
            return suffix
    return None


def resolve_target(layout: Layout, target: str) -> str | None:
    """The column key that a ``kolommen`` target (a column's name or alias, or its key) names in ``layout``."""
    wanted = normalize_name(target)
    for col in layout.columns:
        if wanted == normalize_name(col.key) or any(wanted == normalize_name(n) for n in col.names):
            return col.key
    return None


def kolommen_line(header: str, target: str) -> str:
    """The manifest line that maps ``header`` onto ``target``: ``kolommen = { "…" = "…" }``."""
    return f'kolommen = {{ "{header}" = "{target}" }}'


@functools.lru_cache(maxsize=256)
def _name_index(layout: Layout) -> tuple[dict[str, tuple[str, int]], tuple[tuple[str, str, int], ...], frozenset[str]]:
    """(normalised name → (key, rank), the numeric columns' names longest first, their first three letters)."""
    index: dict[str, tuple[str, int]] = {}
    for col in layout.columns:
        for rank, name in enumerate(col.names):
            index.setdefault(normalize_name(name), (col.key, rank))
    # only a count or amount column takes a period or date after its name: "Stand per 31-12-2025" over a
    # column of counts is not the Peildatum column
    by_length = tuple(sorted(((k, key, rank) for k, (key, rank) in index.items() if layout.column(key).numeric),
                             key=lambda t: -len(t[0])))
    return index, by_length, frozenset(k[:3] for k, *_ in by_length)


_MATCHED: dict[tuple[int, tuple[str, ...], tuple[tuple[str, str], ...]], tuple[Any, ...]] = {}
"""``match_header``'s answers for a row of texts (a CSV grid's), by (the layout's identity, the cells, the
``kolommen``): a weekly history's files of one source repeat the same title and header rows, 1,040 files
with ~4 layouts (eighth session). The layout is kept with its answer, so its identity stays its own."""


def match_header(grid: Grid, layout: Layout, rij: int, cells: Sequence[Any],
                 kolommen: Mapping[str, str] | None = None) -> HeaderMatch:
    """``match_header_reference``, whose answer for a row of texts is worked out once per layout and
    ``kolommen`` (``_MATCHED``); a row holding anything but texts (a workbook's numbers, dates, ``None``:
    ``1`` and ``1.0`` and ``True`` are one key) is matched anew every time."""
    cells = tuple(cells)
    if set(map(type, cells)) != {str}:
        return match_header_reference(grid, layout, rij, cells, kolommen)
    key = (id(layout), cells, tuple(kolommen.items()) if kolommen else ())
    known = _MATCHED.get(key)
    if known is None or known[0] is not layout:
        found = match_header_reference(grid, layout, rij, cells, kolommen)
        if len(_MATCHED) >= 1024:
            _MATCHED.clear()
        _MATCHED[key] = (layout, dict(found.positions), dict(found.headers), found.problems, dict(found.suffixes),
                         found.shadowed)
        return found
    _, positions, headers, problems, suffixes, shadowed = known
    # (each match its own dicts, as the reference gives it: nothing one file's table does reaches another's)
    return HeaderMatch(grid, layout, rij, dict(positions), dict(headers), cells, problems, suffixes=dict(suffixes),
                       shadowed=shadowed)


def match_header_reference(grid: Grid, layout: Layout, rij: int, cells: Sequence[Any],
                           kolommen: Mapping[str, str] | None = None) -> HeaderMatch:
    """Which of ``layout``'s columns the row ``cells`` holds (the match may not be satisfied).

    A header is a column's when it equals the column's name or an alias, or is the name followed by a
    period or a date only (``Taakstelling 2025-II``, ``Gehuisvest t/m 31-12-2025``). A header that names
    a ratio (``%``, ``procent``, ``percentage``, ``graad``) is never a numeric column. ``kolommen`` (a
    header as the file writes it → a column name or alias) wins over the matching; several headers for
    one column without it are a ``fout`` that shows the ``kolommen`` line that picks one."""
    index, by_length, starts = _name_index(layout)
    forced: dict[str, str] = {}
    for header, target in (kolommen or {}).items():
        key = resolve_target(layout, target)
        if key is not None:
            forced[normalize_name(header)] = key
    problems: list[tuple[Severity, str, str | None, str | None]] = []
    shadowed: list[tuple[str, int, str]] = []
    # every candidate: (position, key, rank, text, suffix, forced)
    found: dict[str, list[tuple[int, int, str, Suffix | None, bool]]] = {}
    for i, raw in enumerate(cells):
        key = normalize_name(raw)
        if not key:
            continue
        text = cell_text(raw)
        suffix = None
        if key not in forced and isinstance(raw, str) and raw.rstrip()[-1:] in FOOTNOTE_MARKS:
            # a footnote mark after the header (``Bezetting¹``) is no part of its name, like ``*``
            plain = normalize_name(raw.rstrip().rstrip(FOOTNOTE_MARKS + " "))
            if plain:
                key, text_for_match = plain, raw.rstrip().rstrip(FOOTNOTE_MARKS + " ")
            else:
                text_for_match = text
        else:
            text_for_match = text
        if key in forced:
            col_key, rank, by_manifest = forced[key], -1, True
            # the period or date a mapped header ends with still names its day (fourteenth session): mapped,
            # ``Gehuisvest t/m 31-3-2026`` read for 30 June, or the wrong one of ``kolommen_dubbel``'s two periods,
            # counted without the check its unmapped name gets
            suffix = _trailing_suffix(text_for_match) if isinstance(raw, str) else None
        elif key in index:
            col_key, rank = index[key]
            by_manifest = False
            if not _short_ok(text_for_match, layout.column(col_key).names[rank]):
                continue
        elif (key[:3] in starts or key[:2] in starts) and isinstance(raw, str) and any(ch.isdigit() for ch in text_for_match):
            hit = _suffix_match(text_for_match, key, by_length)
            if hit is None:
                continue
            col_key, rank, suffix = hit
            by_manifest = False
        else:
            continue
        if layout.column(col_key).numeric and is_ratio_header(raw):
            if by_manifest:
                problems.append((Severity.FOUT, f"kolom {text!r} is een percentage of verhouding, geen aantal; "
                                 f"kolommen kan hem niet aan {layout.column(col_key).label} koppelen", text,
                                 "kolommen_percentage"))
            continue
        if by_manifest and layout.column(col_key).numeric and is_pivot_not_a_sum(raw):
            # (fifteenth session) ``Aantal van Capaciteit`` counts a pivot's rows (the locations), ``Gemiddelde
            # van`` averages them: mapped onto the count, the number of locations counted as places
            problems.append((Severity.FOUT, f"kolom {text!r} is een veld van een draaitabel dat de rijen telt of "
                             "middelt (aantal, gemiddelde, maximum), niet optelt; kolommen kan hem niet aan "
                             f"{layout.column(col_key).label} koppelen. Zet in de draaitabel het veld op Som "
                             "(Waardeveldinstellingen > Som) en koppel dan de kop 'Som van …'", text,
                             "kolommen_geen_som"))
            continue
        found.setdefault(col_key, []).append((i, rank, text, suffix, by_manifest))
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    suffixes: dict[str, Suffix] = {}
    for col_key, hits in found.items():
        label = layout.column(col_key).label
        chosen = [h for h in hits if h[4]]
        if len(chosen) > 1 and len({normalize_name(h[2]) for h in chosen}) == 1:
            # one mapped header that the row holds twice (fourteenth session): "two headers mapped" sent the
            # user to look for a second line in the manifest that is not there
            listed = ", ".join(f"kolom {_letter(h[0])}" for h in chosen)
            problems.append((Severity.FOUT, f"kolommen koppelt {chosen[0][2]!r} aan {label}, maar die kop staat "
                             f"{len(chosen)} keer in de kopregel ({listed}): welke bedoeld is, is niet te zeggen. "
                             "Geef de andere kolom een andere kop in het bestand (of verwijder hem)", chosen[1][2],
                             "kolommen_dubbel"))
        elif len(chosen) > 1:
            problems.append((Severity.FOUT, "kolommen koppelt " + " en ".join(repr(h[2]) for h in chosen)
                             + f" allebei aan {label}; koppel één kolom", chosen[1][2], "kolommen_dubbel"))
        if not chosen:
            if len(hits) > 1 and any(h[3] is not None for h in hits):
                listed = ", ".join(f"{h[2]!r} (kolom {_letter(h[0])})" for h in hits)
                problems.append((Severity.FOUT, f"{len(hits)} kolommen zijn {label}: {listed}; welke bedoeld is, "
                                 "is niet te zeggen. Kies er één in opvangkern.toml: "
                                 + kolommen_line(hits[-1][2], label), hits[-1][2], "meerdere_kolommen"))
                chosen = hits[:1]
            else:
                hits = sorted(hits, key=lambda h: (h[1], h[0]))
                chosen = hits[:1]
                for other in hits[1:]:
                    if other[1] == chosen[0][1]:
                        fix = (f". Kies er één in opvangkern.toml: {kolommen_line(chosen[0][2], label)}"
                               if normalize_name(chosen[0][2]) != normalize_name(other[2]) else
                               _repeated_block_fix(cells) or "; geef één van beide een andere kop")
                        problems.append((Severity.FOUT, f"kolom {other[2]!r} komt twee keer voor (kolom "
                                         f"{_letter(chosen[0][0])} en {_letter(other[0])}); welke bedoeld is, is niet "
                                         f"te zeggen{fix}", other[2], "kolom_dubbel"))
                    else:
                        problems.append((Severity.WAARSCHUWING, f"kolom {other[2]!r} genegeerd: kolom "
                                         f"{chosen[0][2]!r} gaat voor", other[2], "kolom_genegeerd"))
                        shadowed.append((col_key, other[0], other[2]))
        i, _, text, suffix, _ = chosen[0]
        positions[col_key] = i
        headers[col_key] = text
        if suffix is not None:
            suffixes[col_key] = suffix
    positions = dict(sorted(positions.items(), key=lambda kv: kv[1]))
    return HeaderMatch(grid, layout, rij, positions, headers, tuple(cells), tuple(problems), suffixes=suffixes,
                       shadowed=tuple(shadowed))


def _repeated_block_fix(cells: Sequence[Any]) -> str | None:
    """The fix for a header row that is one table's header twice (``Gemeente | Opgave | | Gemeente | Opgave``): a
    table printed in two halves side by side (an annex A–L left, M–Z right) or two periods side by side. Neither is
    read by guessing, and another header for one of the two would lose the other half's rows."""
    names = [(i, normalize_name(c)) for i, c in enumerate(cells) if normalize_name(c)]
    if len(names) < 4:
        return None
    first = names[0][1]
    for k in range(1, len(names)):
        if names[k][1] == first and len(names) == 2 * k and [n for _, n in names[:k]] == [n for _, n in names[k:]]:
            left = f"{_letter(names[0][0])}–{_letter(names[k - 1][0])}"
            right = f"{_letter(names[k][0])}–{_letter(names[-1][0])}"
            header = cell_text(cells[names[-1][0]])
            return (f"; de kopregel staat twee keer naast elkaar (kolom {left} en {right}): is het één tabel in "
                    f"twee helften (andere gebieden rechts), zet dan de rijen van kolom {right} onder die van kolom "
                    f"{left}, met de kopregel één keer; zijn het twee perioden, geef die van de andere periode een "
                    f"kop met haar datum erbij ({header} per 30-11-2025) en kies er één met kolommen")
    return None


def _letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def find_header(grids: Sequence[Grid], layouts: Sequence[Layout], kolommen: Mapping[str, str] | None = None,
                ) -> tuple[HeaderMatch | None, HeaderMatch | None]:
    """``(match, best_partial)``: the first row, in the first grid, that satisfies a layout (the layout
    with most matched columns wins a tie within the row); else ``None`` and the row that came closest
    (most columns matched), for the melding that names what is missing.

    A header written over two rows (a group label such as ``Asiel`` merged over ``Regulier``, ``NO``,
    ``TGO`` in the row below) is read as one: when the row below the first satisfying row holds no number
    and, laid over it (its non-empty cells winning), matches more columns, the header is the two rows
    together and ends at the lower one."""
    best: HeaderMatch | None = None
    best_near: tuple[int, int, int] = (0, 0, 0)
    for grid in grids:
        for index, (rij, cells) in enumerate(grid.rows):
            if not any(cell_text(c) for c in cells):
                continue
            matches = [match_header(grid, layout, rij, cells, kolommen) for layout in layouts]
            full = [m for m in matches if m.satisfied and m.positions]
            if full:
                found = max(full, key=lambda m: len(m.positions))
                if index + 1 < len(grid.rows):
                    found = _two_row_header(grid, layouts, found, *grid.rows[index + 1], kolommen=kolommen)
                if index > 0:
                    found = _measure_groups(grid, layouts, found, *grid.rows[index - 1], kolommen=kolommen)
                    found = _group_label_above(found, *grid.rows[index - 1])
                return found, None
            for m in matches:
                near = _closeness(m)  # (issue 16: each match's closeness worked out once, the best's kept)
                if best is None or near > best_near:
                    if m.positions or near[1]:
                        best, best_near = m, near
    return None, best


_PIVOT_CAPTIONS = ("rijlabels", "rowlabels", "somvan", "sumof", "aantalvan", "countof")
"""How a pivot table (*draaitabel*) heads its rows and value fields (``Rijlabels``, ``Som van Capaciteit``), in
Dutch and English Excel (normalised starts)."""


def _closeness(match: HeaderMatch) -> tuple[int, int, int]:
    """How close a row came to a header: the required groups it meets, then its pivot captions, then its columns.
    A title row that holds ``Peildatum | 31-12-2025`` matches one column, none of them required; a pivot table's
    header (``Rijlabels | Som van Bezetting | Som van Capaciteit``) matches none but names them all, and with its
    ``Rijlabels`` mapped onto ``Gemeente`` one required column: the melding of what is missing must name that row
    (and its ``Rijlabels`` and ``Som van Capaciteit`` for the ``kolommen`` lines), not the title."""
    present = match.positions
    taken = set(present.values())
    # ``Rijlabels`` heads the rows themselves: its row is the header, also below a ``Som van …`` over column labels
    captions = sum(1 + normalize_name(c).startswith(_PIVOT_CAPTIONS[:2]) for i, c in enumerate(match.cells)
                   if type(c) is str and c and i not in taken and normalize_name(c).startswith(_PIVOT_CAPTIONS))
    return sum(1 for group in match.layout.require if any(k in present for k in group)), captions, len(present)


OTHER_MEASURE_WORDS = ("bezetting", "bezet", "bewoners", "ingeschreven", "vrij", "beschikbaar", "leegstand",
                       "prognose", "gepland", "verwacht", "aanbouw", "wachtlijst", "instroom", "uitstroom",
                       "ontwikkeling")
"""Words (normalised) of a group label that make the columns under it another measure than places."""

NOT_YET_WORDS = ("prognose", "gepland", "verwacht", "aanbouw", "ontwikkeling", "toekomst")
"""Words (normalised) of a group label for places that are not there yet (``In ontwikkeling``, ``Gepland``): a
column under it is no realisation even when its own header names places (``Plekken`` under ``In
ontwikkeling``, Nidos' planned places, counted as realised before the eighth session)."""

OTHER_MOMENT_WORDS = ("vorige", "vorig", "mutatie", "verschil", "toov", "toename", "afname")
"""Words (normalised) of a group label over places of another moment, or their change: ``Vorige week``, ``Mutatie``,
``Verschil t.o.v. vorige week`` over ``Regulier | NO | TGO``. The columns under it are last week's places or a
difference, never the peildatum's (read as such before the fourteenth session), even when their own header names
places."""

PLACE_WORDS = ("capaciteit", "plekken", "plaatsen")
"""Words (normalised) of a column's own header that say it counts places; with ``OTHER_MEASURE_WORDS``, a header
that names its own measure, which a group label above it does not change."""


def _group_label_above(found: HeaderMatch, rij: int, cells: Sequence[Any]) -> HeaderMatch:
    """``found`` with a ``fout`` for each counted column under a group label in the row above that makes
    it another measure (``Bezetting`` over ``Regulier | Noodopvang``: occupancy, not places) or a ratio:
    read by their own headers those columns would count as places, a wrong figure with no melding."""
    from opvangkern.reading.values import ValueProblem, parse_number

    for cell in cells:
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return found
        try:
            if parse_number(cell) is not None:
                return found  # a data row above the header: not a group label
        except ValueProblem:
            pass
    area = [p for k, p in found.positions.items() if not found.layout.column(k).numeric]
    problems = list(found.problems)
    for key, pos in sorted(found.positions.items(), key=lambda kv: kv[1]):
        if not found.layout.column(key).numeric:
            continue
        header = found.headers.get(key, key)
        own = normalize_name(header)
        names_itself = any(w in own for w in (*PLACE_WORDS, *OTHER_MEASURE_WORDS))
        if names_itself and not any(w in own for w in PLACE_WORDS):
            continue  # its own header says what it counts (``Bezetting`` under ``Capaciteit en bezetting``)
        # a label merged across columns stands in its first column only: the nearest one to the left
        label = None
        for q in range(min(pos, len(cells) - 1), max(area, default=-1), -1):
            if cell_text(cells[q]):
                label = cells[q]
                break
        if label is None:
            continue
        words = normalize_name(label)
        moment = any(w in words for w in OTHER_MOMENT_WORDS)
        if names_itself and not moment and not any(w in words for w in NOT_YET_WORDS):
            continue  # ``Capaciteit`` under ``Capaciteit en bezetting``: places; not under ``In ontwikkeling``
        if moment:
            problems.append((Severity.FOUT, f"kolom {header!r} staat onder de groepskop {cell_text(label)!r} "
                             f"(rij {rij}): dat zijn de plekken van een ander moment of hun verschil, niet die van "
                             "de peildatum, en ze worden niet als aantal gelezen; lever het overzicht van de "
                             "peildatum, of geef de kolommen met de plekken van de peildatum een eigen kop (of "
                             "koppel ze in opvangkern.toml met kolommen = { \"…\" = \"" + header + "\" })",
                             header, "groepskop_andere_maat"))
        elif is_ratio_header(label) or "%" in cell_text(label) or any(w in words for w in OTHER_MEASURE_WORDS):
            problems.append((Severity.FOUT, f"kolom {header!r} staat onder de groepskop {cell_text(label)!r} "
                             f"(rij {rij}): dat zijn geen plekken maar een andere maat, die niet als aantal "
                             "gelezen wordt; lever de capaciteit, of geef de kolommen met de plekken een eigen "
                             "kop (of koppel ze in opvangkern.toml met kolommen = { \"…\" = \"" + header + "\" })",
                             header, "groepskop_andere_maat"))
    if len(problems) == len(found.problems):
        return found
    return attrs.evolve(found, problems=tuple(problems))


def _label_over(cells: Sequence[Any], pos: int, floor: int) -> Any:
    """The group label over column ``pos`` in the row ``cells`` above a header: a label merged across columns
    stands in its first column only, so the nearest one to the left (not beyond column ``floor``)."""
    for q in range(min(pos, len(cells) - 1), floor, -1):
        if cell_text(cells[q]):
            return cells[q]
    return None


def _measure_groups(grid: Grid, layouts: Sequence[Layout], found: HeaderMatch, rij: int, cells: Sequence[Any],
                    kolommen: Mapping[str, str] | None = None) -> HeaderMatch:
    """``found``, or the header read without the columns under a group label of another measure when the same
    headers stand under two group labels: ``Capaciteit`` merged over ``Regulier | NO | TGO`` and ``Bezetting`` over
    ``Regulier | NO | TGO`` (COA's overview of places and occupancy per municipality) is the places, not
    ``kolom_dubbel`` (hardening, twelfth session). Only when that leaves no column twice and the layout still
    satisfied: two groups of places (two dates) or of two other measures stay as they were."""
    if not any(code == "kolom_dubbel" for *_, code in found.problems):
        return found
    if any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cells):
        return found  # a data row above the header: no group labels
    area = [p for k, p in found.positions.items() if not found.layout.column(k).numeric]
    floor = max(area, default=-1)
    header = list(found.cells)
    keys = [normalize_name(c) for c in header]
    twice = {k for k in keys if k and keys.count(k) > 1}
    dropped = False
    for pos in range(floor + 1, len(header)):
        if keys[pos] not in twice:
            continue  # a column of its own (``AMV`` after the groups): how far a label reaches is not known
        label = _label_over(cells, pos, floor)
        if label is None:
            continue
        words = normalize_name(label)
        if is_ratio_header(label) or "%" in cell_text(label) or any(w in words for w in (*OTHER_MEASURE_WORDS,
                                                                                         *OTHER_MOMENT_WORDS)):
            header[pos] = None
            dropped = True
    if not dropped:
        return found
    matches = [match_header(grid, layout, found.rij, header, kolommen) for layout in layouts]
    full = [m for m in matches if m.satisfied and m.positions
            and not any(code == "kolom_dubbel" for *_, code in m.problems)]
    if not full:
        return found
    better = max(full, key=lambda m: len(m.positions))
    return attrs.evolve(better, cells=found.cells, first_rij=found.first_rij)


def _two_row_header(grid: Grid, layouts: Sequence[Layout], upper: HeaderMatch, rij: int,
                    cells: Sequence[Any], kolommen: Mapping[str, str] | None = None) -> HeaderMatch:
    """``upper``, or the header of ``upper``'s row and the row ``rij`` below it read as one (see ``find_header``)."""
    from opvangkern.reading.values import ValueProblem, parse_number

    if not any(cell_text(c) for c in cells):
        return upper
    for cell in cells:
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return upper
        try:
            if parse_number(cell) is not None:
                return upper  # a data row, not the second row of a header
        except ValueProblem as problem:
            if problem.code == "aantal_te_groot":
                return upper  # a number too, only too large: the data row's own melding says so
    width = max(len(upper.cells), len(cells))
    combined = tuple(cells[i] if i < len(cells) and cell_text(cells[i]) else
                     (upper.cells[i] if i < len(upper.cells) else None) for i in range(width))
    matches = [match_header(grid, layout, rij, combined, kolommen) for layout in layouts]
    full = [m for m in matches if m.satisfied and m.positions]
    if not full:
        return upper
    lower = max(full, key=lambda m: len(m.positions))
    if len(lower.positions) <= len(upper.positions):
        return upper
    return attrs.evolve(lower, first_rij=upper.rij)


def near_misses(header: HeaderMatch, keys: Iterable[str], inside: bool = False) -> list[tuple[str, str]]:
    """``(header text, column label)`` for each header cell the match left unread that begins with the name
    (or an alias) of one of ``keys``, as whole words, and goes on with other words: ``Regulier (incl. AMV)``,
    ``Noodopvang (incl. crisisnoodopvang)``. Such a column is not that column (a name followed by anything but
    a period or a date is not the name), but when the column itself is missing, leaving it unread would count
    that column as 0 in every row; the adapter refuses it with the ``kolommen`` line. Ratio headers (``%``)
    are not counts of any column and are left out. ``inside``: also a header that holds the name as whole words
    further on (``Aantal AMV (excl. Nidos)``), unless it begins with a word of a total or a part of another column
    (``Totaal asiel (regulier + NO + TGO)``, ``waarvan AMV``)."""
    taken = set(header.positions.values())
    wanted = []
    for key in keys:
        column = header.layout.column(key)
        for name in column.names:
            words = _words(name)
            if words:
                wanted.append((words, column.label))
    out: list[tuple[str, str]] = []
    for i, raw in enumerate(header.cells):
        if i in taken or not isinstance(raw, str) or is_ratio_header(raw):
            continue
        words = _words(raw)
        for name_words, label in wanted:
            if len(words) > len(name_words) and words[:len(name_words)] == name_words:
                out.append((cell_text(raw), label))
                break
            if (inside and len(words) > len(name_words) and words[0] not in _NOT_INSIDE
                    and any(words[i:i + len(name_words)] == name_words for i in range(1, len(words)))):
                out.append((cell_text(raw), label))
                break
    return out


def _words(text: str) -> list[str]:
    """The words of a header, each normalised (``"Regulier (incl. AMV)"`` → ``["regulier", "incl", "amv"]``)."""
    return [w for w in map(normalize_name, _WORD_BREAK.split(text)) if w]


_NOT_INSIDE = frozenset({"totaal", "subtotaal", "eindtotaal", "som", "waarvan", "excl", "exclusief", "incl",
                         "inclusief", "zonder"})
"""First words of a header that holds another column's name as a part of something else (``near_misses``)."""

_WORD_BREAK = re.compile(r"[\s\-/(),.:;+&*]+")
