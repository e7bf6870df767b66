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

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..model import Severity
from .sheet import Grid
from .values import cell_text, normalize_name

__all__ = [
    "TEXT", "COUNT", "AMOUNT", "SIGNED", "DATE", "KINDS",
    "Column", "Layout", "HeaderMatch", "find_header", "match_header",
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


@attrs.frozen
class Column:
    """One column a layout knows."""

    key: str
    """The adapter's name for it (``regulier``)."""
    names: tuple[str, ...] = attrs.field(converter=_names)
    """The header names: the label first, then the aliases in order of preference."""
    kind: str = attrs.field(default=TEXT, validator=attrs.validators.in_(KINDS))
    """How cells are read: ``text``, ``count``, ``amount``, ``signed`` or ``date``."""

    @property
    def label(self) -> str:
        return self.names[0]

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


GEMEENTE = Column("gemeente", ("Gemeente", "Gemeentenaam", "Naam gemeente", "Gemeente naam"))
GEMEENTECODE = Column("gemeentecode", ("Gemeentecode", "Code gemeente", "GM-code", "CBS-code", "CBS gemeentecode",
                                       "Gemcode", "GM code"))
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
    columns: tuple[Column, ...] = attrs.field(converter=tuple)
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
    problems: tuple[tuple[Severity, str, str | None], ...] = ()
    """Duplicate or shadowed columns: ``(ernst, melding, kolom)``."""
    first_rij: int | None = None
    """The first row of a header written over two rows (``rij`` is the last); ``None``: one row."""

    @property
    def found(self) -> list[str]:
        """The non-empty header texts of the row."""
        return [cell_text(c) for c in self.cells if cell_text(c)]

    @property
    def satisfied(self) -> bool:
        return not self.layout.describe_missing(self.positions)


def _short_ok(raw: Any, name: str) -> bool:
    """Aliases of three characters or fewer must stand in the cell without punctuation."""
    if len(normalize_name(name)) > 3:
        return True
    text = cell_text(raw)
    return text.replace(" ", "").isalnum()


def match_header(grid: Grid, layout: Layout, rij: int, cells: Sequence[Any]) -> HeaderMatch:
    """Which of ``layout``'s columns the row ``cells`` holds (the match may not be satisfied)."""
    index: dict[str, tuple[str, int]] = {}
    for col in layout.columns:
        for rank, name in enumerate(col.names):
            index.setdefault(normalize_name(name), (col.key, rank))
    positions: dict[str, int] = {}
    ranks: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[tuple[Severity, str, str | None]] = []
    for i, raw in enumerate(cells):
        key = normalize_name(raw)
        if not key or key not in index:
            continue
        col_key, rank = index[key]
        if not _short_ok(raw, layout.column(col_key).names[rank]):
            continue
        text = cell_text(raw)
        if col_key in positions:
            other = headers[col_key]
            if rank == ranks[col_key]:
                problems.append((Severity.FOUT, f"kolom {text!r} komt twee keer voor (kolom {_letter(positions[col_key])} "
                                 f"en {_letter(i)}); welke bedoeld is, is niet te zeggen", text))
                continue
            if rank < ranks[col_key]:
                problems.append((Severity.WAARSCHUWING, f"kolom {other!r} genegeerd: kolom {text!r} gaat voor", other))
            else:
                problems.append((Severity.WAARSCHUWING, f"kolom {text!r} genegeerd: kolom {other!r} gaat voor", text))
                continue
        positions[col_key] = i
        ranks[col_key] = rank
        headers[col_key] = text
    return HeaderMatch(grid, layout, rij, positions, headers, tuple(cells), tuple(problems))


def _letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def find_header(grids: Sequence[Grid], layouts: Sequence[Layout]) -> tuple[HeaderMatch | None, HeaderMatch | None]:
    """``(match, best_partial)``: the first row, in the first grid, that satisfies a layout (the layout
    with most matched columns wins a tie within the row); else ``None`` and the row that came closest
    (most columns matched), for the melding that names what is missing.

    A header written over two rows (a group label such as ``Asiel`` merged over ``Regulier``, ``NO``,
    ``TGO`` in the row below) is read as one: when the row below the first satisfying row holds no number
    and, laid over it (its non-empty cells winning), matches more columns, the header is the two rows
    together and ends at the lower one."""
    best: HeaderMatch | None = None
    for grid in grids:
        for index, (rij, cells) in enumerate(grid.rows):
            if not any(cell_text(c) for c in cells):
                continue
            matches = [match_header(grid, layout, rij, cells) for layout in layouts]
            full = [m for m in matches if m.satisfied and m.positions]
            if full:
                found = max(full, key=lambda m: len(m.positions))
                if index + 1 < len(grid.rows):
                    found = _two_row_header(grid, layouts, found, *grid.rows[index + 1])
                return found, None
            for m in matches:
                if m.positions and (best is None or len(m.positions) > len(best.positions)):
                    best = m
    return None, best


def _two_row_header(grid: Grid, layouts: Sequence[Layout], upper: HeaderMatch, rij: int,
                    cells: Sequence[Any]) -> HeaderMatch:
    """``upper``, or the header of ``upper``'s row and the row ``rij`` below it read as one (see ``find_header``)."""
    from .values import ValueProblem, parse_number

    if not any(cell_text(c) for c in cells):
        return upper
    for cell in cells:
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return upper
        try:
            if parse_number(cell) is not None:
                return upper  # a data row, not the second row of a header
        except ValueProblem:
            pass
    width = max(len(upper.cells), len(cells))
    combined = tuple(cells[i] if i < len(cells) and cell_text(cells[i]) else
                     (upper.cells[i] if i < len(upper.cells) else None) for i in range(width))
    matches = [match_header(grid, layout, rij, combined) for layout in layouts]
    full = [m for m in matches if m.satisfied and m.positions]
    if not full:
        return upper
    lower = max(full, key=lambda m: len(m.positions))
    if len(lower.positions) <= len(upper.positions):
        return upper
    return attrs.evolve(lower, first_rij=upper.rij)
