"""A table found in a grid: its header, its data rows with their area, its totals rows and peildatum.

``SheetTable.read`` does the Dutch spreadsheet habits once for every adapter:

- the header row is found wherever it is (title and blank rows above it); columns by name and alias;
- the peildatum from a ``Peildatum`` column (one value only) or a title cell above the header;
- blank rows and repeated header rows are skipped; rows whose area cell (or first cell) says
  ``Totaal``, ``Eindtotaal``, ``Totaal Drenthe``, ``Veiligheidsregio Drenthe`` … are totals rows: kept
  apart and, after the adapter has read the data rows, checked against the sum of the rows they cover;
- the area of each data row from its name and/or code column through the division (unknown: a
  ``fout`` with suggestions; name and code disagreeing: a ``fout``).

Data rows hand out their cells through ``Row.count``/``amount``/``signed``/``date``/``text``; a bad
value becomes a melding located at the original row and column, and the method returns ``None``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import count, repeat
from operator import attrgetter, is_, itemgetter
from typing import Any

from opvangkern.areas.matching import split_code_and_name
from opvangkern.errors import AmbiguousArea, AreaNotFound
from opvangkern.model import AreaLevel, Melding, Severity
from opvangkern.reading.columns import (
    AMOUNT, COUNT, DATE, GEMEENTE, GEMEENTECODE, NUMERIC_KINDS, PEILDATUM, SIGNED, VEILIGHEIDSREGIO,
    VEILIGHEIDSREGIOCODE, Column, HeaderMatch, Layout, find_header, kolommen_line,
)
from opvangkern.reading.memo import kept_with
from opvangkern.reading.sheet import Grid, candidate_grids
from opvangkern.reading.values import (
    ValueProblem, cell_text, decimal_point_forms, find_date, is_none, normalize_name, parse_amount, parse_count,
    parse_date, parse_number, parse_signed, point_as_decimal, title_vague, title_week,
)
from opvangkern.reading.values import _TEXT_MEMO  # ``cell_text``'s memo, read column-wise by ``_FastRow``

__all__ = ["SheetTable", "Row", "TotalsRow", "AREA_KEYS", "with_standard_columns", "TOTAL_WORDS"]

AREA_KEYS: dict[AreaLevel, tuple[str, str]] = {
    AreaLevel.GEMEENTE: ("gemeente", "gemeentecode"),
    AreaLevel.VEILIGHEIDSREGIO: ("veiligheidsregio", "veiligheidsregiocode"),
}
"""The (name, code) column keys that identify a row's area, per level."""

TOTAL_WORDS = ("eindtotaal", "subtotaal", "generaaltotaal", "totaalgeneraal", "grandtotal", "totaal", "total",
               "nederland", "landelijk", "allegemeenten")
"""Normalised words a totals row's label starts with."""
_GRAND_TOTAL_WORDS = ("eindtotaal", "generaaltotaal", "totaalgeneraal", "grandtotal")
_HIGHER_CODE_PREFIXES = ("pv", "vr", "nl")
"""How the code of an area above a municipality starts (normalised): ``PV20``, ``VR01``, ``NL01``."""
_REGION_WORDS = ("veiligheidsregio", "provincie")
_SOURCE_WORDS = frozenset({"coa", "kcio", "nidos", "tvs", "allelocaties", "opvanglocaties", "locaties"})
"""What follows ``Totaal`` in a source's grand total (``Totaal COA``, ``Totaal alle locaties``): the whole file."""
_TOTAL_PREFIXES = TOTAL_WORDS + _REGION_WORDS
_PARSERS: dict[str, Callable[[Any], Any]] = {COUNT: parse_count, AMOUNT: parse_amount, SIGNED: parse_signed,
                                             DATE: parse_date}
_PARSED: dict[Callable[[Any], Any], dict[str, Any]] = {parser: {} for parser in _PARSERS.values()}
"""Per parser, what it made of a text (a value or a ``_Problem``): ``Row.value`` reads each text once."""
_MISS = object()


class _Problem:
    """A text a parser refused: the ``ValueProblem``'s reason and code."""

    __slots__ = ("text", "code")

    def __init__(self, text: str, code: str | None):
        self.text, self.code = text, code


class _Raise:
    """A cell whose parser raised something other than ``ValueProblem``: ``_FastRow`` raises it when the
    cell is asked for (as ``Row`` does, where the adapter's ``guard`` makes it a ``fout``)."""

    __slots__ = ("exc",)

    def __init__(self, exc: Exception):
        self.exc = exc

    def again(self) -> Exception:
        return copy.copy(self.exc)


UNKNOWN_AREA = "onbekend"
"""``TotalsRow.gebied`` of a totals row that names no known area."""
_BAD = object()
_PEIL_LABELS = {normalize_name(n) for n in PEILDATUM.names} | {"stand", "peildatumstand", "datumpeiling"}


_STANDARD: dict[tuple[int, AreaLevel, bool], tuple[Layout, Layout]] = {}
"""``with_standard_columns``' layouts by (the adapter's layout's identity, level, peildatum), each kept with the
layout it was made of (a ``Layout`` cannot be changed): every file of a layout gets the same one, so the
header matching's answers kept per layout (``columns.match_header``) serve them all (eighth session)."""


def with_standard_columns(layout: Layout, level: AreaLevel = AreaLevel.GEMEENTE, peildatum: bool = True) -> Layout:
    """``layout`` plus the area columns of ``level`` and ``Peildatum`` where it does not declare them (the same
    object for the same layout, level and ``peildatum``)."""
    key = (id(layout), level, peildatum)
    known = _STANDARD.get(key)
    if known is not None and known[0] is layout:
        return known[1]
    made = _with_standard_columns(layout, level, peildatum)
    if len(_STANDARD) >= 256:
        _STANDARD.clear()
    _STANDARD[key] = (layout, made)
    return made


def _with_standard_columns(layout: Layout, level: AreaLevel, peildatum: bool) -> Layout:
    extra: list[Column] = []
    keys = {c.key for c in layout.columns}
    standard = [GEMEENTE, GEMEENTECODE] if level is AreaLevel.GEMEENTE else [VEILIGHEIDSREGIO, VEILIGHEIDSREGIOCODE]
    for col in [*standard, *([PEILDATUM] if peildatum else [])]:
        if col.key not in keys:
            extra.append(col)
    require = layout.require
    if not any(set(group) & set(AREA_KEYS[level]) for group in require):
        require = (AREA_KEYS[level], *require)
    return Layout(layout.name, (*layout.columns, *extra), require)


class Row:
    """One data row: its original row number, its area and its cells by column key."""

    __slots__ = ("table", "rij", "cells", "gebied_code", "_cache")

    def __init__(self, table: SheetTable, rij: int, cells: tuple[Any, ...], gebied_code: str | None):
        self.table = table
        self.rij = rij
        """The row number as the spreadsheet shows it."""
        self.cells = cells
        self.gebied_code = gebied_code
        """The resolved area code (``GM0106``; ``VR03`` in a region-level table)."""
        self._cache: dict[str, Any] = {}

    @property
    def gemeentecode(self) -> str | None:
        return self.gebied_code

    def has(self, key: str) -> bool:
        """Whether the file has the column ``key``."""
        return key in self.table.header.positions

    def raw(self, key: str) -> Any:
        """The cell as the grid holds it (``None`` when the column or cell is missing)."""
        pos = self.table._positions.get(key)
        if pos is None or pos >= len(self.cells):
            return None
        return self.cells[pos]

    def _raw_at(self, pos: int | None) -> Any:
        if pos is None or pos >= len(self.cells):
            return None
        return self.cells[pos]

    def text(self, key: str) -> str:
        """The cell as trimmed text (``""`` when empty or missing)."""
        return cell_text(self.raw(key))

    def value(self, key: str, ernst: Severity | str = Severity.FOUT) -> Any:
        """The cell read by its column's kind; a bad value is a melding of ``ernst`` and gives ``None``."""
        cache = self._cache
        if key in cache:
            return cache[key]
        table = self.table
        spec = table._specs.get(key)
        if spec is None:
            spec = table._spec(key)
        col, parser, pos, numeric = spec
        raw = self._raw_at(pos)
        if parser is None:
            value = None if is_none(raw) else cell_text(raw)
        else:
            memo = _PARSED.get(parser) if type(raw) is str else None  # a text cell: read once per text (issue 16)
            found = _MISS if memo is None else memo.get(raw, _MISS)
            if found is _MISS:
                try:
                    found = parser(raw)
                except ValueProblem as problem:
                    found = _Problem(str(problem), getattr(problem, "code", None))
                if memo is not None:
                    if len(memo) >= 1 << 16:
                        memo.clear()
                    memo[raw] = found
            if type(found) is _Problem:
                table.add(ernst, found.text, self.rij, table.header.headers.get(key, col.label), cell_text(raw),
                          code=found.code)
                table.bad.setdefault(key, set()).add(self.rij)
                value = None
            else:
                value = found
        cache[key] = value
        if numeric:
            table.used.add(key)
        return value

    def peek(self, key: str) -> Any:
        """The value as ``value`` reads it, without a melding (``_BAD`` when it is bad)."""
        if key in self._cache:
            return self._cached(key)
        parser = _PARSERS.get(self.table.layout.column(key).kind)
        try:
            return parser(self.raw(key)) if parser else self.raw(key)
        except ValueProblem:
            return _BAD

    def _cached(self, key: str) -> Any:
        value = self._cache[key]
        if value is None and self.rij in self.table.bad.get(key, ()):
            return _BAD
        return value

    def count(self, key: str, ernst: Severity | str = Severity.FOUT) -> int | None:
        """A non-negative whole number (``None``: empty, ``-``, ``n.v.t.``, missing or bad)."""
        return self.value(key, ernst)

    def amount(self, key: str, ernst: Severity | str = Severity.FOUT) -> float | None:
        """A non-negative number, decimals allowed."""
        return self.value(key, ernst)

    def signed(self, key: str, ernst: Severity | str = Severity.FOUT) -> float | None:
        """Any number (negative allowed)."""
        return self.value(key, ernst)

    def date(self, key: str, ernst: Severity | str = Severity.FOUT) -> dt.date | None:
        """A date."""
        return self.value(key, ernst)

    def fout(self, melding: str, key: str | None = None, waarde: Any = None, code: str | None = None) -> None:
        """A ``fout`` about this row (and column ``key``)."""
        self.table.add(Severity.FOUT, melding, self.rij, self._kolom(key), cell_text(waarde) if waarde is not None
                       else (self.text(key) if key else None), code=code)

    def waarschuwing(self, melding: str, key: str | None = None, waarde: Any = None, code: str | None = None) -> None:
        """A ``waarschuwing`` about this row (and column ``key``)."""
        self.table.add(Severity.WAARSCHUWING, melding, self.rij, self._kolom(key),
                       cell_text(waarde) if waarde is not None else (self.text(key) if key else None), code=code)

    def _kolom(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.table.header.headers.get(key) or self.table.layout.column(key).label

    def __repr__(self) -> str:
        return f"<Row {self.rij} {self.gebied_code}>"


class _FastRow(Row):
    """A data row of a table that ``fastscan`` read (a regular CSV file): the same answers as ``Row``, each
    cell taken from a column the table parsed once, by a list index (issue 16: ``Row.value`` was called
    779,000 times for five years of weekly files). The meldingen come when the adapter asks for the cell,
    in its order, exactly as ``Row`` makes them: ``tests/test_fastscan.py`` compares the two."""

    __slots__ = ("_i",)

    def __init__(self, table: SheetTable, rij: int, cells: tuple[Any, ...], gebied_code: str | None, i: int):
        self.table = table
        self.rij = rij
        self.cells = cells
        self.gebied_code = gebied_code
        self._i = i
        """This row's index in the table's columns (``SheetTable._fast_cells``)."""

    def raw(self, key: str) -> Any:
        table = self.table
        column = table._fast_raws.get(key)
        if column is None:
            column = table._fast_raw_column(key)
        return column[self._i]

    def text(self, key: str) -> str:
        table = self.table
        column = table._fast_texts.get(key)
        if column is None:
            column = table._fast_text_column(key)
        return column[self._i]

    def value(self, key: str, ernst: Severity | str = Severity.FOUT) -> Any:
        table = self.table
        column = table._fast_values.get(key)
        if column is None:
            column = table._fast_value_column(key)  # KeyError for a key the layout does not know, as Row's
        found = column[self._i]
        kind = type(found)
        if key in table._fast_plain and kind is not _Problem and kind is not _Raise:
            return found  # nothing to record: the common case
        return self._value(key, found, kind, ernst)

    count = amount = signed = date = value  # Row's are ``return self.value(key, ernst)``

    def _value(self, key: str, found: Any, kind: type, ernst: Severity | str) -> Any:
        table = self.table
        if kind is _Raise:
            raise found.again()
        if kind is _Problem:
            bad = table.bad.get(key)
            if bad is None or self.rij not in bad:  # the first time this cell is asked: its melding, as Row's
                table.add(ernst, found.text, self.rij, table.header.headers.get(key, table._specs[key][0].label),
                          cell_text(self.raw(key)), code=found.code)
                table.bad.setdefault(key, set()).add(self.rij)
            found = None
        elif key in table._fast_asked:
            table._fast_asked[key].add(self._i)  # a text column: ``peek`` then gives this value, as Row's cache
        if table._specs[key][3]:
            table.used.add(key)
        if key not in table._fast_asked:
            table._fast_plain.add(key)  # recorded in ``used`` (or not counted): later asks need nothing
        return found

    def peek(self, key: str) -> Any:
        table = self.table
        spec = table._specs.get(key)
        if spec is None:
            table.layout.column(key)  # KeyError for a key the layout does not know, as Row's
            spec = table._spec(key)
        if spec[1] is None:  # a text column: the cell as it stands, or as ``value`` gave it once asked
            asked = table._fast_asked.get(key)
            if asked is not None and self._i in asked:
                return table._fast_values[key][self._i]
            return self.raw(key)
        column = table._fast_values.get(key)
        if column is None:
            column = table._fast_value_column(key)
        found = column[self._i]
        kind = type(found)
        if kind is _Raise:
            raise found.again()
        return _BAD if kind is _Problem else found

    def __repr__(self) -> str:
        return f"<Row {self.rij} {self.gebied_code}>"


class TotalsRow:
    """A totals row: excluded from the data, checked against the rows it covers."""

    __slots__ = ("rij", "cells", "label", "gebied", "segment")

    def __init__(self, rij: int, cells: tuple[Any, ...], label: str, gebied: Any, segment: tuple[int, ...]):
        self.rij = rij
        self.cells = cells
        self.label = label
        self.gebied = gebied
        """The area it totals (``Area``) or ``None``: the whole file (or, unnamed, ``segment``)."""
        self.segment = segment
        """Row numbers of the data rows since the previous totals row (used when the area is unknown)."""


def header_extent(header: HeaderMatch) -> int:
    """One past the header row's last filled cell: a CSV data row has no filled field beyond it."""
    return max((i + 1 for i, c in enumerate(header.cells) if cell_text(c)), default=0)


_THREE_DIGITS = re.compile(r"^\d{3}$")


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


class SheetTable:
    """The table of one file: header, data rows, totals rows, peildatum and meldingen."""

    def __init__(self, header: HeaderMatch, level: AreaLevel, division: Any, meldingen: list[Melding]):
        self.header = header
        self.layout = header.layout
        self.grid: Grid = header.grid
        self.level = level
        self.division = division
        self.meldingen = meldingen
        self._rows: list[Row] | None = []
        """The data rows; ``None`` while a table the fast scan read has not been asked for them (``rows``)."""
        self._detached = False
        self._fast_rijs: list[int] = []
        self._fast_codes: list[str | None] = []
        """Per data row of a fast-read table, its row number and area code (what its ``_FastRow`` holds)."""
        self.totals: list[TotalsRow] = []
        self.peildatum: dt.date | None = None
        """The peildatum the file states (column or title cell), if any and unambiguous."""
        self.used: set[str] = set()
        """Numeric columns the adapter has read (their totals are checked)."""
        self.bad: dict[str, set[int]] = {}
        """Per column key, the rows whose value was rejected."""
        self._checked = False
        self.reads_peildatum = True
        self.nonblank: list[int] = []
        """Row numbers of every non-blank row below the header (what ``row_counts`` reconciles)."""
        self._specs: dict[str, tuple[Column, Callable[[Any], Any] | None, int | None, bool]] = {}
        self._positions = header.positions
        self.skipped: set[int] = set()
        """Row numbers of data rows skipped on purpose (``skip``, ``waarden = { … = "overslaan" }``): counted
        as ``rijen_overgeslagen``."""
        self.subtotals: set[int] = set()
        """Row numbers of the skipped rows an adapter found to be subtotals (``subtotal``): no part of a sum."""
        self.waarden: dict[str, str] = {}
        """The manifest's ``waarden`` for the area column (normalised area text → ``overslaan`` or an area)."""
        self._fast_cells: list[tuple[Any, ...]] | None = None
        self._fast_width: int | None = None
        """The cells of the data rows, in order, when ``fastscan`` read the table (its rows are ``_FastRow``)."""
        self._fast_raws: dict[str, list[Any]] = {}
        self._fast_texts: dict[str, list[str]] = {}
        self._fast_values: dict[str, list[Any]] = {}
        """Per column key, what ``Row.raw`` / ``text`` / ``value`` give for each data row (a ``_Problem`` where
        ``value`` makes a melding): built on first use, each distinct text read once."""
        self._fast_asked: dict[str, set[int]] = {}
        self._fast_plain: set[str] = set()
        """Keys whose ``value`` needs nothing recorded (no text column; in ``used`` if counted)."""
        """Per text column (no parser), the rows whose ``value`` was asked (``peek`` then gives that value)."""
        self._fast_proved: list[Row] | None = None
        """A copy of ``rows`` as ``_fast_aligned`` last proved them aligned (``None``: not yet)."""

    @property
    def rows(self) -> list[Row]:
        """The data rows, in file order (a list the adapter may change). A table the fast scan read makes its
        ``_FastRow``s when they are first asked for (issue 16, eighth session): an adapter that takes its rows
        column-wise (``RealisatieBuilder.add_column``, ``area_codes``, ``text_column``) never needs them, and
        the kit answers from the columns they would be made of (``_rijen``, ``_codes``)."""
        rows = self._rows
        if rows is None:
            owner = weakref.proxy(self) if self._detached else self  # made after ``detach_rows``: as it leaves them
            rows = self._rows = list(map(_FastRow, repeat(owner), self._fast_rijs, self._fast_cells,
                                         self._fast_codes, count()))
        return rows

    @rows.setter
    def rows(self, rows: list[Row]) -> None:
        self._rows = rows

    def _rijen(self) -> list[int]:
        """Every data row's ``rij``, in row order (from the columns while the rows are not made)."""
        return list(self._fast_rijs) if self._rows is None else list(map(_RIJ, self._rows))

    def _codes(self) -> list[str | None]:
        """Every data row's ``gebied_code``, in row order (from the columns while the rows are not made)."""
        return list(self._fast_codes) if self._rows is None else list(map(_GEBIED_CODE, self._rows))

    def _spec(self, key: str) -> tuple[Column, Callable[[Any], Any] | None, int | None, bool]:
        """How ``Row.value`` reads column ``key``: (column, parser, position, counted in the totals check)."""
        col = self.layout.column(key)  # KeyError for a key the layout does not know
        positions = self.header.positions
        spec = (col, _PARSERS.get(col.kind), positions.get(key), col.kind in NUMERIC_KINDS and key in positions)
        self._specs[key] = spec
        return spec

    # --- the columns of a fast-read table (``_FastRow``) ---------------------------------------

    def _fast_raw_column(self, key: str) -> list[Any]:
        """Per data row, the cell of column ``key`` as ``Row.raw`` gives it."""
        cells = self._fast_cells
        pos = self._positions.get(key)
        if pos is None:
            column: list[Any] = [None] * len(cells)
        elif cells and self._fast_narrowest() > pos:
            column = list(map(itemgetter(pos), cells))
        else:
            column = [c[pos] if pos < len(c) else None for c in cells]
        self._fast_raws[key] = column
        return column

    def _fast_narrowest(self) -> int:
        """The fewest cells a data row of a fast-read table has (worked out once: every column asks)."""
        width = self._fast_width
        if width is None:
            width = self._fast_width = min(map(len, self._fast_cells))
        return width

    def _fast_text_column(self, key: str) -> list[str]:
        """Per data row, ``Row.text(key)``: each distinct cell trimmed once."""
        raws = self._fast_raws.get(key)
        if raws is None:
            raws = self._fast_raw_column(key)
        column = list(map(_TEXT_MEMO.get, raws))  # each text as ``cell_text`` gave it before (its memo)
        if None in column:  # a text not seen yet, or a missing cell
            texts = {raw: cell_text(raw) for raw in set(raws)}
            column = list(map(texts.__getitem__, raws))
        self._fast_texts[key] = column
        return column

    def _fast_value_column(self, key: str) -> list[Any]:
        """Per data row, what ``Row.value(key)`` gives (a ``_Problem`` where it makes a melding): each distinct
        cell read once by the column's parser, through the parsers' shared memo (``_PARSED``)."""
        spec = self._specs.get(key)
        if spec is None:
            spec = self._spec(key)  # KeyError for a key the layout does not know
        col, parser, pos, numeric = spec
        raws = self._fast_raws.get(key)
        if raws is None:
            raws = self._fast_raw_column(key)
        found: dict[Any, Any] = {}
        if parser is None:
            for raw in set(raws):
                found[raw] = None if is_none(raw) else cell_text(raw)
            self._fast_asked[key] = set()
        else:
            memo = _PARSED.get(parser)
            column = list(map(memo.get, raws, repeat(_MISS)))  # every text read before: the memo's answers
            if _MISS not in column:
                self._fast_values[key] = column
                return column
            for raw in set(raws):
                value = memo.get(raw, _MISS) if type(raw) is str else _MISS
                if value is _MISS:
                    try:
                        value = parser(raw)
                    except ValueProblem as problem:
                        value = _Problem(str(problem), getattr(problem, "code", None))
                    except Exception as exc:  # noqa: BLE001 - raised again when that cell is asked, as Row's
                        found[raw] = _Raise(exc)
                        continue
                    if type(raw) is str:
                        if len(memo) >= 1 << 16:
                            memo.clear()
                        memo[raw] = value
                found[raw] = value
        column = list(map(found.__getitem__, raws))
        self._fast_values[key] = column
        return column

    # --- reading ----------------------------------------------------------------------------

    @classmethod
    def read(cls, data: Any, bestand: str, layouts: Layout | Sequence[Layout], *, blad: str | None = None,
             level: AreaLevel = AreaLevel.GEMEENTE, division: Any = None,
             meldingen: list[Melding] | None = None, peildatum: bool = True,
             kolommen: Mapping[str, str] | None = None, waarden: Mapping[str, str] | None = None,
             ) -> SheetTable | None:
        """Read the table of a file; ``None`` (with a ``fout`` in ``meldingen``) when it has none.

        ``layouts`` are tried in turn (with the area columns of ``level`` and ``Peildatum`` added);
        in a workbook without ``blad`` every sheet is tried in order, in a CSV every plausible separator.
        ``peildatum=False``: the file states no peildatum (a quota file); title dates are not read.
        ``kolommen`` (a header as the file writes it → a column name or alias of the layouts) wins over
        the header matching; ``waarden`` (an area cell's text → ``overslaan`` or the area it means)
        applies to the area column ([Datasets and the manifest](dataset.md)).
        """
        meldingen = [] if meldingen is None else meldingen
        if isinstance(layouts, Layout):
            layouts = [layouts]
        layouts = [with_standard_columns(lay, level, peildatum) for lay in layouts]
        grids, problems = candidate_grids(data, bestand, blad)
        meldingen.extend(problems)
        if not grids:
            return None
        kolommen = dict(kolommen or {})
        if kolommen:
            meldingen.extend(_check_kolommen(kolommen, layouts, bestand, grids[0].blad))
        match, partial = find_table_header(grids, layouts, kolommen, blad)
        if match is None:
            missing = _header_missing(grids, layouts, partial, bestand)
            meldingen.append(_turned(grids, division, missing) if level is AreaLevel.GEMEENTE else missing)
            if kolommen and partial is not None:
                # the header the file lacks is why the column is missing (a column letter, ``F``, is no header):
                # say so, or the melding's own line would send the user to map it once more (fourteenth session)
                meldingen.extend(_kolommen_absent(kolommen, partial))
            return None
        if kolommen:
            meldingen.extend(_kolommen_absent(kolommen, match))
        if division is None:
            from opvangkern.areas import load_division

            division = load_division()
        table = cls(match, level, division, meldingen)
        table.reads_peildatum = peildatum
        table.waarden = {normalize_name(k): v for k, v in (waarden or {}).items()}
        ignored: dict[str, int] = {}  # an ignored alias's header -> where its warning is in ``meldingen``
        for ernst, text, kolom, *code in match.problems:
            if code and code[0] == "kolom_genegeerd" and kolom is not None:
                ignored.setdefault(kolom, len(meldingen))
            table.add(ernst, text, match.rij, kolom, kolom, code=code[0] if code else None)
        table._scan()
        if match.shadowed:
            table._aliases_differ(ignored)
        if table.totals and not len(table):
            table._only_totals([g.blad for g in grids if g is not match.grid and g.blad])
        return table

    def _aliases_differ(self, ignored: Mapping[str, int]) -> None:
        """The ``kolom_genegeerd`` warning of an ignored alias of a numeric column becomes a ``fout``
        (``kolommen_verschillen``) when, in a data row, it holds another figure than the column read: which one is
        the realisation would be a guess (thirteenth session, ``hard13a``). Every reading path has made the same
        data rows by now (the careful scan, the fast scan), so they all give the same meldingen."""
        from opvangkern.reading import aliases

        header = self.header
        data: list[tuple[int, tuple[Any, ...]]] | None = None
        for key, pos, text in header.shadowed:
            col = self.layout.column(key)
            chosen = header.positions.get(key)
            at = ignored.get(text)
            if not col.numeric or chosen is None or at is None:
                continue
            if normalize_name(text) in {normalize_name(a) for a in col.apart}:
                continue  # another measure under a name of the column (TVS's ``Realisatie``: a share)
            if aliases.beside_table(header.cells, pos, header.positions.values(),
                                    {normalize_name(n) for n in col.names}):
                continue  # a table of its own beside this one (a list of locations): its rows are not these
            if data is None:
                data = (list(zip(self._fast_rijs, self._fast_cells)) if self._rows is None
                        else [(row.rij, row.cells) for row in self._rows])
            if aliases.holds_shares(data, pos):
                continue  # percentages under a name of the count: a share of the target, another measure
            n, first = aliases.differences(data, chosen, pos, _PARSERS[col.kind], self.grid.filled)
            if not n:
                continue
            chosen_header = header.headers.get(key, col.label)
            self.meldingen[at] = self.grid.melding(
                Severity.FOUT, aliases.melding_text(col.label, chosen_header, chosen, text, pos, n, first),
                first[0], text, cell_text(first[2]) or None, code="kolommen_verschillen")

    def _only_totals(self, other_sheets: Sequence[str]) -> None:
        """A table whose rows are all totals rows (a summary sheet before the data, ``Totaal`` alone) would
        give no figure at all while its totals state one: a ``fout`` on the first totals row that holds a
        number other than 0, unless a row of the table already has one (its rows were rejected)."""
        grid = self.grid
        if any(m.is_error and m.bestand == grid.bestand and m.blad == grid.blad and m.rij is not None
               and m.rij > self.header.rij for m in self.meldingen):
            return
        numeric = [(c, self.header.positions[c.key]) for c in self.layout.columns
                   if c.numeric and c.key in self.header.positions]
        for total in self.totals:
            for col, pos in numeric:
                raw = _at(total.cells, pos)
                try:
                    value = parse_signed(raw)
                except ValueProblem:
                    continue
                if not value:
                    continue
                per = "gemeente" if self.level is AreaLevel.GEMEENTE else "veiligheidsregio"
                where = (f"; de gegevens per {per} staan misschien op een ander blad ({', '.join(other_sheets)}): "
                         'noem het in opvangkern.toml bij dit bestand met blad = "…"') if other_sheets else \
                    f"; lever het bestand met een rij per {per}"
                self.add(Severity.FOUT, f"het blad heeft alleen totaalrijen en geen rij per {per}, maar totaalrij "
                         f"{total.label!r} noemt {_fmt(value)} in kolom {self.header.headers[col.key]}: zo zou geen "
                         f"enkel aantal tellen{where}", total.rij, self.header.headers[col.key], cell_text(raw),
                         code="alleen_totaalrijen")
                return

    def add(self, ernst: Severity | str, melding: str, rij: int | None = None, kolom: str | None = None,
            waarde: str | None = None, code: str | None = None) -> None:
        """Record a melding located in this table's file and sheet (``code``: see docs/meldingen.md)."""
        self.meldingen.append(self.grid.melding(ernst, melding, rij, kolom, waarde, code=code))

    def _cell_problems(self, rij: int, positions: Sequence[int], totals: bool) -> bool:
        """Meldingen for the unreadable cells (error values, formulas without a result) of row ``rij`` in
        the columns this table reads: a ``fout`` (the figure would be wrong), a ``waarschuwing`` in a totals
        row (it is only checked). Whether there were any."""
        bad = self.grid.bad_cells
        found = False
        for pos in positions:
            what = bad.get((rij, pos))
            if what is None:
                continue
            found = True
            kolom = cell_text(self.header.cells[pos]) if pos < len(self.header.cells) else None
            if totals:
                self.add(Severity.WAARSCHUWING, f"totaalrij niet gecontroleerd: de cel bevat een {what}", rij, kolom,
                         what, code="foutcel_in_totaalrij")
            elif "mogelijk verouderde uitkomst" in what:
                self.add(Severity.FOUT, f"de cel bevat een {what}; zo'n uitkomst telt niet. Open het bestand in Excel, "
                         "laat het herberekenen (F9, of Formules > Berekeningsopties > Automatisch) en sla het op",
                         rij, kolom, what, code="formule_niet_herberekend")
            else:
                code = "foutcel" if what.startswith("foutwaarde") else "formule_zonder_waarde"
                self.add(Severity.FOUT, f"de cel bevat een {what} en wordt niet als leeg gelezen; herstel de "
                         "formule of vul een getal in (en sla het bestand op in Excel, zodat de uitkomst bewaard "
                         "wordt)", rij, kolom, what, code=code)
        return found

    def _scan(self) -> None:
        from opvangkern.reading import fastscan

        if fastscan.enabled() and fastscan.scan(self):
            return  # a regular CSV file, read column-wise: the same rows, totals and meldingen (issue 16)
        header = self.header
        positions = header.positions
        name_key, code_key = AREA_KEYS[self.level]
        numeric_positions = [positions[c.key] for c in self.layout.columns if c.numeric and c.key in positions]
        area_positions = [(k, positions[k]) for k in (name_key, code_key) if k in positions]
        peil_pos = positions.get("peildatum")
        header_keys = [normalize_name(c) for c in header.cells]
        width = len(header_keys)
        first_key = header_keys[0] if header_keys else None
        prefixes = _TOTAL_PREFIXES if self.level is AreaLevel.GEMEENTE else TOTAL_WORDS
        resolve = self.division.resolve_gemeente if self.level is AreaLevel.GEMEENTE else self.division.resolve_region
        notes = getattr(self.division, "notes", None)  # former municipalities of a reading division
        nonblank = self.nonblank
        rows = self.rows
        segment: list[int] = []
        peil_values: list[tuple[int, Any, dt.date]] = []
        self._title_peildatum()
        grid = self.grid
        bad_rows, bad_cells, filled = grid.bad_rows, grid.bad_cells, grid.filled
        struck = grid.struck
        read_positions = sorted(set(positions.values()))
        reported: set[int] = set()
        # a second table under the first (another period, another measure): a header row below the header
        # after a totals row or a text that is no title row of the file, or a header row of other columns
        area_header_keys = {normalize_name(name) for key, _ in area_positions for name in self.layout.column(key).names}
        title_keys = {normalize_name(c) for r, row_cells in self.grid.rows if r < header.rij for c in row_cells
                      if not is_none(c)}
        after_table = False  # a totals row, or a text row that is no title, since the header (or its repeat)
        repeats: list[tuple[int, Any]] = []  # the header repeated after one: another table if areas recur
        breaks: list[int] = []  # every repeat of the header
        extent = header_extent(header) if grid.kind == "csv" else None
        in_filters = False  # below a "Toegepaste filters:" line (``_filter_line``)
        gap = titled = False  # the row above was blank; was a text row without an area (a title, not a page mark)
        gap_repeats: list[tuple[int, Any]] = []  # the header repeated after a blank row
        for rij, cells in self.grid.rows:
            if rij <= header.rij:
                continue
            if bad_rows and rij in bad_rows:
                # a line the CSV parser could not read: a fout, never data
                reported.add(rij)
                nonblank.append(rij)
                code, melding, waarde = bad_rows[rij]
                self.add(Severity.FOUT, melding, rij, None, waarde, code=code)
                continue
            if filled and rij == header.rij + 1 and self._header_second_row(rij, cells, area_positions, read_positions):
                continue  # the header's cells merged over two rows (``Gemeente`` over A1:A2): still the header
            if rij == header.rij + 1 and self._sub_labels(rij, cells, area_positions, numeric_positions):
                continue  # sub-labels under a group label (``Gerealiseerd`` over ``deze maand | cumulatief``)
            if filled and numeric_positions:
                # a number merged over several rows counts once, in the merge's first row
                cells = tuple([None if (rij, i) in filled and i in numeric_positions else c
                               for i, c in enumerate(cells)])
            n = len(cells)
            # the first cell that holds a value; none: a blank row
            for first in cells:
                if not is_none(first):
                    break
            else:
                if bad_cells and self._cell_problems(rij, read_positions, totals=False):
                    nonblank.append(rij)
                else:
                    gap = True
                continue
            nonblank.append(rij)
            after_gap, after_title, gap, titled = gap, titled, False, False
            if n >= width and (not width or (normalize_name(cells[0]) == first_key
                                             and all(normalize_name(c) == k for c, k in zip(cells, header_keys)))):
                if after_title:
                    self._second_table(rij, first)  # a title of its own above it ("Vorige maand"): another table
                elif after_table:
                    repeats.append((rij, first))  # after a total or a title: another table if areas recur
                elif after_gap:
                    gap_repeats.append((rij, first))  # after a blank row: another table if areas recur
                breaks.append(rij)
                after_table = False
                continue  # the header repeated (a printed page break)
            if in_filters or (type(first) is str and "ilter" in first and is_filter_head(first)):
                # Power BI's "Toegepaste filters:" block under an exported table: notes, but a filter on the
                # areas means the export lacks the others
                if in_filters:
                    self._filter_line(rij, cells)
                in_filters = after_table = True
                continue
            peil_raw = cells[peil_pos] if peil_pos is not None and peil_pos < n else None
            # a totals row: its area cell (the first non-empty of name and code), else its first value
            candidate = first
            named = False
            for _, pos in area_positions:
                if pos < n and not is_none(cells[pos]):
                    candidate, named = cells[pos], True
                    break
            if isinstance(candidate, str) and (normalize_name(candidate).startswith(prefixes)
                                               or self._bare_higher_area(candidate)
                                               or (not named and _PIVOT_TOTAL.match(candidate) is not None)):
                label = cell_text(candidate)
                if bad_cells:
                    self._cell_problems(rij, read_positions, totals=True)
                self.totals.append(TotalsRow(rij, cells, label, self._total_area(label, cells), tuple(segment)))
                segment = []
                after_table = True
                continue
            if bad_cells:
                self._cell_problems(rij, read_positions, totals=False)
            # (evaluated for every row, as before: a cell that makes the number parser raise still ends the scan)
            has_values = False
            for pos in numeric_positions:
                if _numberlike(cells[pos] if pos < n else None):
                    has_values = True
                    break
            if not has_values and isinstance(candidate, str) and normalize_name(candidate) in area_header_keys:
                self._second_table(rij, candidate)  # a header row of other columns: another table
                after_table = False
                continue
            if (not has_values and isinstance(candidate, str) and _is_note(candidate)
                    and not _names_an_area(cells, n, area_positions, resolve)):
                if normalize_name(first) not in title_keys:
                    after_table = True  # a note or a title that is no title row of the file
                continue  # a note under (or in) the table: skipped without a melding
            if self.waarden:
                cells = self._apply_waarden(rij, cells, area_positions)
                if cells is None:
                    continue
                n = len(cells)
            code = self._area_code(rij, cells, n, area_positions, resolve, has_values)
            if code is None:
                if not has_values and _page_mark(first):
                    gap = after_gap  # a page's footer (``Pagina 1 van 3``): the page break goes on
                elif not has_values and normalize_name(first) not in title_keys:
                    after_table = True  # a text row without an area (a title, a remark)
                    titled = True  # a title of its own (not a note, ``* …``, ``Bron: …``)
                continue
            if notes and code in notes and self._area_note(rij, cells, area_positions, notes[code]):
                continue  # a municipality outside the dataset's division that cannot be counted (areas.history)
            if struck and self._struck(rij, cells, read_positions):
                continue  # struck through in the workbook: a withdrawn row, never counted
            if peil_raw is not None and not is_none(peil_raw):
                try:
                    date = parse_date(peil_raw)
                except ValueProblem as problem:
                    self.add(Severity.FOUT, str(problem), rij, header.headers["peildatum"], cell_text(peil_raw), code="peildatum_onleesbaar")
                else:
                    if date is not None:
                        peil_values.append((rij, peil_raw, date))
            if extent is not None and n > extent and self._extra_fields(rij, cells, extent):
                continue  # fields beyond the header: the row's cells are shifted, its figures cannot be read
            rows.append(Row(self, rij, cells, code))
            segment.append(rij)
        for at, cell in repeats:
            # the header repeated after a totals row or a title, and a municipality above it again below it
            # (up to the next repeat): a second table (another period), not a printed page break
            end = min((b for b in breaks if b > at), default=None)
            if {r.gebied_code for r in rows if r.rij < at} & {r.gebied_code for r in rows
                                                              if r.rij > at and (end is None or r.rij < end)}:
                self._second_table(at, cell)
        for at, cell in gap_repeats:
            # after a blank row: a page break may split one municipality's locations, a second table repeats
            # its municipalities (two or more of them above the header again below it)
            end = min((b for b in breaks if b > at), default=None)
            if len({r.gebied_code for r in rows if r.rij < at} & {r.gebied_code for r in rows
                                                                  if r.rij > at and (end is None or r.rij < end)}) > 1:
                self._second_table(at, cell)
        for rij in sorted(set(bad_rows) - reported):
            if rij > header.rij:  # a line left out of the grid (a pandas frame filtered): still a fout
                code, melding, waarde = bad_rows[rij]
                self.add(Severity.FOUT, melding, rij, None, waarde, code=code)
                nonblank.append(rij)
        if grid.manual_formulas:
            self._manual_formulas(read_positions)
        self._column_peildatum(peil_values)

    def _manual_formulas(self, positions: Sequence[int]) -> None:
        """A ``waarschuwing`` per column read whose data rows hold formulas in a workbook set to manual
        calculation: Excel calculates such a workbook before saving unless that is switched off, but a result
        is only as fresh as the last calculation (``Grid.manual_formulas``)."""
        formulas = self.grid.manual_formulas
        data_rows = [r.rij for r in self.rows]
        for pos in positions:
            found = [rij for rij in data_rows if (rij, pos) in formulas]
            if not found:
                continue
            kolom = cell_text(self.header.cells[pos]) if pos < len(self.header.cells) else None
            shown = ", ".join(map(str, found[:5])) + (f" en {len(found) - 5} andere" if len(found) > 5 else "")
            self.add(Severity.WAARSCHUWING, f"het werkboek staat op handmatig berekenen en kolom {kolom!r} van blad "
                     f"{self.grid.blad!r} telt {len(found)} formule(s) (rij {shown}): hun uitkomst is die van de "
                     "laatste berekening. Klopt het bestand niet meer met de invoer, open het dan in Excel, druk op "
                     "F9 (of zet Formules > Berekeningsopties op Automatisch) en sla het op", found[0], kolom,
                     f"{len(found)} formule(s)", code="handmatig_berekend")

    def _header_second_row(self, rij: int, cells: tuple[Any, ...], area_positions: Sequence[tuple[str, int]],
                           read_positions: Sequence[int]) -> bool:
        """Whether row ``rij``, right under the header, is the header's second row: its area cells are the header's
        merged down over it (``Gemeente`` over A1:A2). Then its own texts are sub-headers; under a column that is
        read one would say what the column holds (``Bezetting`` over ``Aantal`` and ``%``), which a header of one
        row must say: a ``fout`` (``kop_over_twee_rijen``). Under other columns they change nothing."""
        filled = self.grid.filled
        if not area_positions or not all((rij, pos) in filled for _, pos in area_positions):
            return False
        own = [(i, c) for i, c in enumerate(cells) if not is_none(c) and (rij, i) not in filled]
        for i, c in own:
            if i in read_positions:
                kolom = cell_text(self.header.cells[i]) if i < len(self.header.cells) else None
                self.nonblank.append(rij)
                self.add(Severity.FOUT, f"de kopregel loopt over twee rijen (rij {self.header.rij} en {rij}) en onder "
                         f"kolom {kolom!r} staat {cell_text(c)!r}: wat de kolom telt, zegt dan de tweede rij. Maak er "
                         f"één kopregel van: zet de kop van elke kolom in rij {self.header.rij} (bijvoorbeeld "
                         f"{(kolom or '') + ' ' + cell_text(c)!r}) en maak rij {rij} leeg", rij, kolom, cell_text(c),
                         code="kop_over_twee_rijen")
                break
        return True

    def _sub_labels(self, rij: int, cells: tuple[Any, ...], area_positions: Sequence[tuple[str, int]],
                    numeric_positions: Sequence[int]) -> bool:
        """Whether row ``rij``, right under the header, holds sub-labels of a group label above them: no area, texts
        and one of them under a header cell that is empty (the group label spans it: ``Gerealiseerd`` merged over
        ``deze maand | cumulatief``). A text under a counted column then says what the column counts, which the
        header of one row must say: a ``fout`` (``kop_over_twee_rijen``; fourteenth session, ``hard14b``). Before,
        the row was a note and the group's first sub-column was read: this month's 5 housed instead of 20."""
        n = len(cells)
        if not area_positions or any(pos < n and not is_none(cells[pos]) for _, pos in area_positions):
            return False
        heads = self.header.cells
        texts = [(i, c) for i, c in enumerate(cells) if isinstance(c, str) and c.strip() and not _numberlike(c)]
        if not any(i >= len(heads) or is_none(heads[i]) for i, _ in texts):
            return False
        for i, c in texts:
            if i in numeric_positions:
                kolom = cell_text(heads[i]) if i < len(heads) else None
                others = [cell_text(t) for j, t in texts if j != i]
                self.nonblank.append(rij)
                self.add(Severity.FOUT, f"de kopregel loopt over twee rijen (rij {self.header.rij} en {rij}): onder "
                         f"kolom {kolom!r} staat {cell_text(c)!r}" + (f", ernaast {', '.join(map(repr, others[:3]))}"
                                                                       if others else "")
                         + ": wat de kolom telt, zegt dan de tweede rij, en de kop erboven geldt voor meer kolommen. "
                         f"Maak er één kopregel van: zet de kop van elke kolom in rij {self.header.rij} (bijvoorbeeld "
                         f"{(kolom or '') + ' ' + cell_text(c)!r}) en maak rij {rij} leeg", rij, kolom, cell_text(c),
                         code="kop_over_twee_rijen")
                return True
        return False

    def _filter_line(self, rij: int, cells: tuple[Any, ...]) -> None:
        """One line of the filters a Power BI export lists under its table (``Provincie is Drenthe``, ``Peildatum is
        31-12-2025``; the line's cells joined, as a comma in it splits a CSV line). A filter on the areas (a
        ``fout``: the areas it leaves out are missing from the file, and would have no figures) or on another
        column the table reads (a ``waarschuwing``: its other values are missing); any other filter is a note."""
        text = ", ".join(cell_text(c) for c in cells if not is_none(c))
        match = _FILTER_LINE.match(text)
        if match is None or (match.group(2).lower() in ("is niet", "is not") and _BLANK_VALUE.match(match.group(3))):
            return  # no filter, or one that leaves out only rows without a value
        if match.group(2).lower() == "is" and _ALL_VALUE.match(match.group(3)):
            return  # ``Gemeente is (Alle)``: the filter pane's card of a field that keeps every value (rev11g)
        field = normalize_name(match.group(1))
        name_key, code_key = AREA_KEYS[self.level]
        headers = self.header.headers
        area_headers = {normalize_name(headers[k]) for k in (name_key, code_key) if k in headers}
        if field in _AREA_FILTER_FIELDS or field in area_headers:
            self.add(Severity.FOUT, f"de export is gefilterd op gebied ({_cut(text, 100)!r}): gebieden buiten dit "
                     "filter ontbreken in het bestand en zouden in deze bron geen cijfers hebben. Exporteer opnieuw "
                     "zonder dit filter (in Power BI: wis het filter op het rapport of de visual en kies opnieuw "
                     "'Gegevens exporteren')", rij, headers.get(name_key, headers.get(code_key)), text,
                     code="export_gefilterd_op_gebied")
            return
        read = {normalize_name(h): h for k, h in self.header.headers.items()
                if k not in (name_key, code_key, "peildatum") and not self.layout.column(k).kind == DATE}
        if field in read:
            self.add(Severity.WAARSCHUWING, f"de export is gefilterd op kolom {read[field]!r} ({_cut(text, 100)!r}): "
                     "rijen met andere waarden ontbreken in het bestand; exporteer opnieuw zonder dit filter als ze "
                     "mee moeten tellen", rij, read[field], text, code="export_gefilterd")

    def _struck(self, rij: int, cells: tuple[Any, ...], positions: Sequence[int]) -> bool:
        """Whether data row ``rij`` has a cell struck through in a column that is read (a ``fout``): an Excel user
        strikes out a location that closed or a row withdrawn instead of deleting it, and the values would count."""
        struck = self.grid.struck
        for pos in positions:
            if (rij, pos) in struck and pos < len(cells) and not is_none(cells[pos]):
                kolom = cell_text(self.header.cells[pos]) if pos < len(self.header.cells) else None
                self.add(Severity.FOUT, f"rij {rij} is doorgestreept (kolom {kolom!r}): een doorgehaalde rij is "
                         "meestal vervallen (een gesloten locatie, een ingetrokken rij), maar haar aantallen zouden "
                         "gewoon meetellen. Verwijder de rij als ze niet meetelt, of haal de doorhaling weg (Start > "
                         "Lettertype > Doorhalen) als ze wel meetelt", rij, kolom, cell_text(cells[pos]),
                         code="rij_doorgestreept")
                return True
        return False

    def _extra_fields(self, rij: int, cells: tuple[Any, ...], extent: int) -> bool:
        """Whether a CSV data row has a filled field beyond the header's last column (a ``fout``): then a
        separator inside a value shifted its cells, and the figure under a header is not that column's.
        The classic: ``1,010`` unquoted in a comma-separated file, read as 1 with ``010`` in the next column."""
        extra = [c for c in cells[extent:] if not is_none(c)]
        if not extra:
            return False
        last = cell_text(self.header.cells[extent - 1]) if extent else ""
        hint = ""
        if self.grid.delimiter == "," and any(_THREE_DIGITS.match(cell_text(c)) for c in cells[1:]):
            hint = ("; staat er een getal met een komma tussen de duizendtallen zonder aanhalingstekens (1,010)? "
                    "Sla het bestand op met ; als scheidingsteken, of zet zulke getallen tussen aanhalingstekens")
        elif self.grid.delimiter:
            hint = (f"; staat er een {self.grid.delimiter!r} in een waarde? Zet die waarde tussen aanhalingstekens")
        self.add(Severity.FOUT, f"de rij heeft meer velden dan de kopregel: na kolom {last!r} staat nog "
                 + ", ".join(repr(_cut(cell_text(c))) for c in extra[:3]) + "; de waarden staan dan niet onder hun kop"
                 + hint, rij, None, cell_text(extra[0]), code="rij_te_veel_velden")
        return True

    def _second_table(self, rij: int, cell: Any) -> None:
        """A header row of a second table below the first (``_scan``): a ``fout``, since its rows would be
        added to the first table's."""
        self.add(Severity.FOUT, f"rij {rij} is de kopregel van een tweede tabel onder de tabel met de kopregel in "
                 f"rij {self.header.rij}: de rijen eronder zouden bij die van de eerste tabel worden opgeteld "
                 "(een andere periode of een ander gegeven). Zet elke tabel op een eigen blad en noem het blad in "
                 'opvangkern.toml bij dit bestand met blad = "…", of verwijder de tweede tabel', rij,
                 cell_text(self.header.cells[self.header.positions.get(AREA_KEYS[self.level][0],
                                                                       next(iter(self.header.positions.values())))])
                 if self.header.positions else None, cell_text(cell), code="tweede_tabel")

    # --- areas ------------------------------------------------------------------------------

    def _area_note(self, rij: int, cells: tuple[Any, ...], area_positions: list[tuple[str, int]],
                   note: Any) -> bool:
        """Report a row whose area lies outside the dataset's division (``AreaNote`` of
        ``opvangkern.areas.history``) at its area cell; True when it is a ``fout`` and the row is left out."""
        from opvangkern.areas.history import note_melding

        kolom = waarde = None
        for key, pos in area_positions:
            raw = _at(cells, pos)
            if not is_none(raw):
                kolom, waarde = self.header.headers[key], cell_text(raw)
                break
        self.meldingen.append(note_melding(note, self.grid.melding(note.ernst, note.melding, rij, kolom, waarde, code=note.code)))
        return note.ernst is Severity.FOUT
    def _bare_higher_area(self, text: str) -> bool:
        """Whether ``text`` is the bare name of an area above the table's level (``Fryslân``, ``Limburg``
        in a municipality table; a province in a region table) that names no area of the table's level:
        a subtotal row."""
        cache = kept_with(self.division, "table.bare_names")
        keys = cache.get(self.level)
        if keys is None:
            higher = ((AreaLevel.VEILIGHEIDSREGIO, AreaLevel.PROVINCIE) if self.level is AreaLevel.GEMEENTE
                      else (AreaLevel.PROVINCIE,))
            areas = [*getattr(self.division, "veiligheidsregios", ()), *getattr(self.division, "provincies", ())]
            keys = set()
            quiet = getattr(self.division, "try_resolve", None)  # no suggestions for a name that is none
            for area in areas:
                if area.niveau not in higher:
                    continue
                if self.level is AreaLevel.GEMEENTE:
                    # ``Regio Utrecht``, ``Regio Groningen``: a safety region's subtotal in a municipality table
                    # (taken for the municipality it would count the region twice); ``Regio Noord`` names no area
                    keys.add(normalize_name(f"Regio {area.naam}"))
                if quiet is not None:
                    if quiet(area.naam, self.level) is None:
                        keys.add(normalize_name(area.naam))
                    continue
                try:
                    self._resolve(area.naam)
                except (AreaNotFound, AmbiguousArea):
                    keys.add(normalize_name(area.naam))
            # Excel's pivot table writes a group's subtotal after its name (``Drenthe Totaal``, Dutch Excel): for a
            # province or region that names no area of the table's level, a subtotal too (fourteenth session;
            # ``Groningen Totaal`` may be the municipality's, and stays what it was)
            keys |= {k + "totaal" for k in keys if not k.startswith("regio")}
            cache[self.level] = keys
        key = normalize_name(text)
        if key in keys:
            return True
        # StatLine writes a province or region with its level after the name, ``Groningen (PV)``, ``Drenthe (VR)``,
        # beside ``Groningen (gemeente)``: the province's row of a table pasted from it, a subtotal as ``Provincie
        # Groningen`` is (suggested as the municipality Groningen it would count the province twice)
        if text.rstrip().endswith(")") or key[:2] in _HIGHER_CODE_PREFIXES:
            marked = kept_with(self.division, "table.marked_higher")
            found = marked.get((self.level, key))
            if found is None:
                found = self._marked_higher_area(text)
                marked[(self.level, key)] = found
            return found
        return False

    def _marked_higher_area(self, text: str) -> bool:
        """Whether ``text`` names an area above the table's level by a level mark after the name (``Groningen
        (PV)``, ``Fryslân (provincie)``, ``Drenthe (VR)``) or by its code (``PV20``, ``VR01``, ``NL01``: StatLine's
        rows of the province, the region and the country beside its municipalities)."""
        from opvangkern.areas.matching import parse_code, split_level

        higher = ((AreaLevel.VEILIGHEIDSREGIO, AreaLevel.PROVINCIE) if self.level is AreaLevel.GEMEENTE
                  else (AreaLevel.PROVINCIE,))
        code = parse_code(text.strip())
        if code is not None:
            if code[0] not in (*higher, AreaLevel.LAND):
                return False
            try:
                return self.division.resolve_gebied(text.strip()).niveau in (*higher, AreaLevel.LAND)
            except Exception:  # noqa: BLE001 - a code the division lacks: the row's own melding says so
                return False
        level, rest = split_level(text)
        if level not in higher or not rest or normalize_name(text).startswith(_REGION_WORDS):
            return False
        try:
            return self.division.resolve_gebied(text).niveau in higher
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no area, the row's own melding says so
            return False

    def _apply_waarden(self, rij: int, cells: tuple[Any, ...], area_positions: list[tuple[str, int]],
                       ) -> tuple[Any, ...] | None:
        """``cells`` with the manifest's ``waarden`` applied to the area cells; ``None``: the row is skipped
        (``overslaan``)."""
        out = list(cells)
        for _, pos in area_positions:
            if pos >= len(out) or is_none(out[pos]):
                continue
            target = self.waarden.get(normalize_name(out[pos]))
            if target is None:
                continue
            if normalize_name(target) == "overslaan":
                return None
            out[pos] = target
        return tuple(out)

    def _resolve(self, value: Any) -> Any:
        if self.level is AreaLevel.GEMEENTE:
            return self.division.resolve_gemeente(value)
        return self.division.resolve_region(value)

    def _area_code(self, rij: int, cells: tuple[Any, ...], n: int, area_positions: list[tuple[str, int]],
                   resolve: Callable[[Any], Any], has_values: bool) -> str | None:
        """``_resolve_area`` with its common case first: every area cell names the same known area."""
        code = None
        for _, pos in area_positions:
            raw = cells[pos] if pos < n else None
            if is_none(raw):
                continue
            try:
                area = resolve(raw)
            except (AreaNotFound, AmbiguousArea):
                break
            if code is None:
                code = area.code
            elif area.code != code:
                break
        else:
            if code is not None:
                return code
        name_key, code_key = AREA_KEYS[self.level]
        return self._resolve_area(rij, cells, name_key, code_key, has_values)

    def _resolve_area(self, rij: int, cells: tuple[Any, ...], name_key: str, code_key: str,
                      has_values: bool) -> str | None:
        header = self.header
        found: list[tuple[str, Any, Any]] = []  # (key, raw, area)
        failures: list[tuple[str, Any, str]] = []
        for key in (name_key, code_key):
            if key not in header.positions:
                continue
            raw = _at(cells, header.positions[key])
            if is_none(raw):
                continue
            try:
                found.append((key, raw, self._resolve(raw)))
            except (AreaNotFound, AmbiguousArea) as exc:
                pair = self._code_and_name(rij, raw, header.headers[key])
                if pair is _REFUSED:
                    return None
                if pair is not None:
                    found.append((key, raw, pair))
                else:
                    failures.append((key, raw, str(exc)))  # its text: the exception would keep this frame (a cycle)
        what = "gemeente" if self.level is AreaLevel.GEMEENTE else "veiligheidsregio"
        if (len(failures) == 1 and failures[0][0] == name_key and len(found) == 1 and found[0][0] == code_key
                and bare_namesake(failures[0][1], found[0][2])):
            # ``Bergen`` beside the code GM0373: the name CBS tells apart by a bracket (two municipalities), the
            # code says which of the two (fifteenth session; before, a fout that asked for what the row held)
            return found[0][2].code
        if failures:
            key, raw, exc = failures[0]
            if not has_values and not found:
                self.add(Severity.WAARSCHUWING, f"rij overgeslagen: geen {what} herkend en geen aantallen "
                         f"({exc})", rij, header.headers[key], cell_text(raw), code="rij_overgeslagen")
                return None
            part = _PART_ROW.match(cell_text(raw))
            if _BLANK_VALUE.match(cell_text(raw)) is not None:
                # ``(leeg)`` / ``(blank)``: a pivot table's row of the records without an area (fifteenth session;
                # before, the melding suggested Westerkwartier, Almere or Leiden for it)
                quoted = cell_text(raw).replace("\\", "\\\\").replace('"', '\\"')
                exc = (f"{cell_text(raw)!r} is hoe een draaitabel de rijen zonder {what} noemt: de aantallen van deze "
                       f"rij horen bij geen {what} en tellen niet. Vul in de gegevens onder de draaitabel bij die "
                       f"rijen de {what} in en vernieuw de draaitabel (Vernieuwen); horen ze bij geen {what}, sla de "
                       f'rij dan over met waarden = {{ "{quoted}" = "overslaan" }} bij dit bestand in opvangkern.toml')
            elif part is not None and "waarden = {" not in exc:
                # ``waarvan amv 5`` under ``Assen 60``: a part of the row above, never a row of its own; skipped,
                # the part would stay inside the figure above where the task may exclude it (fourteenth session)
                exc = (f"{exc.rstrip()} Een rij {cell_text(raw)!r} is een uitsplitsing van de rij erboven, geen "
                       f"{what}: zet het aantal in een eigen kolom naast de {what} (kop 'Waarvan "
                       f"{part.group('rest').strip() or '…'}'), zodat elke {what} één rij heeft")
            elif "waarden = {" not in exc:
                # the fix, as every melding gives one (fourteenth session): a row that is no area (a rounding
                # difference, a reserve, ``Rijk``) is skipped by name; before, only the suggestions were shown
                quoted = cell_text(raw).replace("\\", "\\\\").replace('"', '\\"')
                exc = (f"{exc.rstrip()} Is de rij geen {what} (een afrondingsverschil, een reserve, een toelichting), "
                       f'sla haar dan over met waarden = {{ "{quoted}" = "overslaan" }} bij dit bestand in '
                       f"opvangkern.toml; is het een {what}, schrijf dan haar naam of code zoals het CBS die schrijft")
            self.add(Severity.FOUT, exc, rij, header.headers[key], cell_text(raw), code="gebied_onbekend")
            return None
        if not found:
            if has_values:
                labels = " of ".join(header.headers[k] for k in (name_key, code_key) if k in header.headers)
                self.add(Severity.FOUT, f"rij met aantallen maar zonder {what} (kolom {labels} is leeg); staat de "
                         f"{what} alleen in de eerste rij van een groep, vul haar dan in elke rij in of voeg de cellen "
                         "van de groep samen (een samengevoegde cel geldt voor elke rij eronder); de rij wordt niet "
                         f"aan een {what} erboven gegeven{_subtotal_hint(cells)}", rij, None, None,
                         code="gebied_ontbreekt")
            return None
        if len(found) == 2 and found[0][2].code != found[1][2].code:
            (k1, r1, a1), (k2, r2, a2) = found
            self.add(Severity.FOUT, f"{header.headers[k1]} {cell_text(r1)!r} is {a1.code} ({a1.naam}), maar "
                     f"{header.headers[k2]} {cell_text(r2)!r} is {a2.code} ({a2.naam}): die spreken elkaar tegen"
                     + self._merged_pair_hint(found), rij, header.headers[k2], cell_text(r2),
                     code="gebieden_spreken_tegen")
            return None
        return found[0][2].code

    def _merged_pair_hint(self, found: list[tuple[str, Any, Any]]) -> str:
        """For a code and a name of which one is a former municipality merged into the other (``GM0398``,
        Heerhugowaard's code, beside ``Dijk en Waard``, from an old code list): what the two are and how to say
        which one the figure is (fourteenth session). Still a ``fout``: the figure may be the whole successor's
        or the former municipality's part."""
        notes = getattr(self.division, "notes", None) or {}
        for (k_old, _, old), (k_new, _, new) in ((found[0], found[1]), (found[1], found[0])):
            note = notes.get(old.code)
            if note is None or new.code not in note.opvolgers:
                continue
            return (f"; {old.naam} ({old.code}) is opgegaan in {new.naam} ({new.code}): staan de oude en de nieuwe "
                    f"gemeente in één rij (uit een oude codelijst)? Is het cijfer dat van heel "
                    f"{new.naam}, verbeter dan de kolom {self.header.headers[k_old]!r} ({new.code} of {new.naam}); is het "
                    f"alleen dat van het vroegere {old.naam}, schrijf dan {old.naam} ({old.code}) in beide kolommen")
        return ""

    def _code_and_name(self, rij: int, raw: Any, kolom: str) -> Any:
        """The area of a cell that holds a code and a name (``Assen (GM0106)``, ``GM0106 - Assen``) when both
        name it; ``_REFUSED`` after a fout when they disagree or only one of them is known; ``None`` when the
        cell is no such pair (or neither part is known: an unknown area as any other)."""
        pair = split_code_and_name(raw)
        if pair is None or _PRINT_DATE.match(cell_text(raw)):
            return None  # (a printed date, ``15 januari 2026``, is no code 15 with a name: thirteenth session)
        code_text, name_text = pair
        areas = []
        for part in (code_text, name_text):
            try:
                areas.append(self._resolve(part))
            except (AreaNotFound, AmbiguousArea):
                areas.append(None)
        by_code, by_name = areas
        if by_code is None and by_name is None:
            return None
        shown = cell_text(raw)
        quoted = shown.replace("\\", "\\\\").replace('"', '\\"')
        fix = ("verbeter de cel, of zet de code in een eigen kolom, of koppel de waarde in opvangkern.toml: "
               f'waarden = {{ "{quoted}" = "<de juiste naam>" }}')
        if by_code is not None and by_name is not None:
            if by_code.code == by_name.code:
                return by_code
            self.add(Severity.FOUT, f"code en naam in één cel spreken elkaar tegen: {code_text} is {by_code.code} "
                     f"({by_code.naam}), maar {name_text!r} is {by_name.code} ({by_name.naam}); {fix}",
                     rij, kolom, shown, code="code_en_naam_spreken_tegen")
            return _REFUSED
        if by_name is None and bare_namesake(name_text, by_code):
            return by_code  # ``Bergen (GM0373)``: the code says which of the two municipalities named Bergen
        known, unknown = ((by_code, name_text) if by_name is None else (by_name, code_text))
        self.add(Severity.FOUT, f"code en naam in één cel: {unknown!r} is onbekend, terwijl het andere deel "
                 f"{known.code} ({known.naam}) noemt; welke van de twee klopt is niet te zeggen; {fix}",
                 rij, kolom, shown, code="code_en_naam_onbekend")
        return _REFUSED

    # --- totals -----------------------------------------------------------------------------

    def _total_label(self, cells: tuple[Any, ...], name_key: str, code_key: str) -> str | None:
        positions = self.header.positions
        area_cells = [_at(cells, positions[k]) for k in (name_key, code_key) if k in positions]
        area_cells = [c for c in area_cells if not is_none(c)]
        candidates = area_cells[:1] if area_cells else [c for c in cells if not is_none(c)][:1]
        for cell in candidates:
            if not isinstance(cell, str):
                continue
            key = normalize_name(cell)
            if key.startswith(_TOTAL_PREFIXES if self.level is AreaLevel.GEMEENTE else TOTAL_WORDS):
                return cell_text(cell)
        return None

    def _total_area(self, label: str, cells: tuple[Any, ...]) -> Any:
        """The area a totals row totals (``Totaal Drenthe`` → VR03), ``None`` for the whole file, or
        ``UNKNOWN_AREA`` when it names something that is no area or is a bare ``Subtotaal`` (then it covers
        the rows above it, up to the previous totals row)."""
        key = normalize_name(label)
        if key.startswith(("nederland", "landelijk")):
            return None
        if key.startswith("allegemeenten"):
            # ``Alle gemeenten`` beside its region in a Veiligheidsregio column (``Drenthe | Alle gemeenten``) totals
            # that region's rows, as a bare ``Totaal`` there does; alone, the whole file
            for cell in cells:
                if isinstance(cell, str) and cell != label and normalize_name(cell) and not any(
                        ch.isdigit() for ch in cell):
                    area = self._area_of_total(cell)
                    if area is not None:
                        return None if area.niveau is AreaLevel.LAND else area
            return None
        rest = label
        for w in TOTAL_WORDS:
            if key.startswith(w):
                rest = _strip_prefix(label, w)
                break
        else:
            pivot = re.match(r"^(.*\S)\s+totaal\s*$", label, re.IGNORECASE)  # ``Drenthe Totaal`` (a pivot table)
            if pivot is not None:
                rest = pivot.group(1)
        if normalize_name(rest) in _SOURCE_WORDS:
            return None  # "Totaal COA", "Totaal Nidos": the source's grand total, the whole file
        names = [rest] if normalize_name(rest) else []
        # an unnamed total may have its region in another cell (a Veiligheidsregio column)
        names += [c for c in cells if isinstance(c, str) and c != label and normalize_name(c)
                  and not any(ch.isdigit() for ch in c)]
        for name in names:
            area = self._area_of_total(name)
            if area is not None:
                return None if area.niveau is AreaLevel.LAND else area  # ``NL01``: the whole file
        # a grand total ("Eindtotaal", "Totaal generaal") that names no area covers the whole file, whatever
        # it adds ("Eindtotaal (alle regio's)"); a bare "Subtotaal" covers the rows since the previous totals
        # row, never the whole file
        if key.startswith(_GRAND_TOTAL_WORDS):
            return None
        return UNKNOWN_AREA if normalize_name(rest) or key.startswith("subtotaal") else None

    def _area_of_total(self, name: str) -> Any:
        if normalize_name(name) in ("vr", "regio", "gemeente", "gemeenten", "veiligheidsregio", "provincie"):
            return None
        if normalize_name(name).startswith("regio") and self.level is AreaLevel.GEMEENTE:
            area = _regio_area(self.division, name)
            if area is not None:
                return area
        for resolve in (self.division.resolve_region, self.division.resolve_gebied):
            try:
                area = resolve(name)
            except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea, or a cell that is no name at all
                continue
            if area.niveau is not AreaLevel.GEMEENTE:
                return area
        return None

    def check_totals(self) -> None:
        """Compare each totals row with the sum of the rows it covers, for every numeric column the
        adapter read (a mismatch is a ``waarschuwing``). Called once, by the builder.

        Issue 16: the rows a totals row covers are row indices, each region's found once per table, and each
        column's values are looked at once per table (``peek``, not once per totals row and column); the sums
        are taken over the same values in the same order. Inside ``fastscan.careful()`` the loop it replaces
        runs (``_check_totals_reference``, the oracle of ``tests/test_totals_fast.py``)."""
        if not self._checked:
            self._hidden_percentages()
            self._decimal_points()
        if self._checked:
            return
        if not self.totals:
            self._checked = True  # nothing to check (what the reference does then)
            return
        from opvangkern.reading import fastscan

        if not fastscan.enabled():
            self._check_totals_reference()
            return
        self._checked = True
        from operator import attrgetter, lt

        rijen = self._rijen()
        codes = self._codes()
        positions, headers = self.header.positions, self.header.headers
        keys = sorted(self.used, key=lambda k: positions[k])
        peeks: dict[str, tuple[list[Any], set[int]]] = {}
        parents: _ParentsOnce | None = None
        index_of: dict[str | None, list[int]] = {}
        regions: dict[str, list[int]] | None = None
        if rijen and any(type(t.gebied) is not str and t.gebied is not None for t in self.totals) \
                and _increasing(rijen, lt):
            # the rows in file order (as the reference sorts them): which rows a region covers is the same for
            # every table with these area codes in this order, in this division (a weekly history: every file)
            regions = _covered_memo(self.division, tuple(codes))
        for total in self.totals:
            covered: Sequence[int]
            if total.gebied is UNKNOWN_AREA:
                segment = set(total.segment)
                covered = [i for i, rij in enumerate(rijen) if rij in segment]
                scope = "de rijen erboven (tot de vorige totaalrij)"
            elif total.gebied is None:
                covered = range(len(rijen))
                scope = "alle rijen"
            else:
                found = None if regions is None else regions.get(total.gebied.code)
                if found is None:
                    if parents is None:
                        parents = _ParentsOnce(self.division, set(codes))
                        for i, code in enumerate(codes):
                            index_of.setdefault(code, []).append(i)
                    inside = parents.inside(total.gebied)
                    # the order of the reference: the codes as the set gives them, each code's rows in file
                    # order, then sorted (stably) by row number
                    found = sorted((i for code in inside for i in index_of.get(code, ())), key=rijen.__getitem__)
                    if regions is not None:
                        regions[total.gebied.code] = found
                covered = found
                scope = f"de rijen van {total.gebied.naam} ({total.gebied.code})"
            if self.subtotals:  # an adapter's own subtotal rows (``subtotal``): no part of any sum
                covered = [i for i in covered if rijen[i] not in self.subtotals]
            for key in keys:
                raw = _at(total.cells, positions[key])
                if is_none(raw):
                    continue
                kolom = headers[key]
                col = self.layout.column(key)
                try:
                    stated = (parse_signed if col.kind == SIGNED else parse_amount)(raw)
                except ValueProblem as problem:
                    self.add(Severity.WAARSCHUWING, f"totaalrij {total.label!r}: {problem}; niet gecontroleerd",
                             total.rij, kolom, cell_text(raw), code="totaalrij_niet_gecontroleerd")
                    continue
                bad = self.bad.get(key, ())
                if bad and any(rijen[i] in bad for i in covered):
                    continue
                found = peeks.get(key)
                if found is None:
                    found = peeks[key] = self._peek_column(key)
                column, special = found
                values = [column[i] for i in covered]
                if special and not special.isdisjoint(covered):
                    for v in values:
                        if type(v) is _Raised:
                            raise v.exc  # where the reference's ``peek`` raised: the first such row
                    if any(v is _BAD for v in values):
                        continue
                # (a column without an empty cell among these rows: the same sum, in the same order, in C)
                summed = sum(values) if None not in values else sum(v for v in values if v is not None)
                tolerance = 0 if col.kind == COUNT else 0.5
                if abs(stated - summed) > tolerance:
                    self.add(Severity.WAARSCHUWING,
                             f"totaalrij {total.label!r} klopt niet: {_fmt(stated)} in het bestand, maar de som van "
                             f"{scope} is {_fmt(summed)}", total.rij, kolom, cell_text(raw), code="totaalrij_klopt_niet")

    def _hidden_percentages(self) -> None:
        """In a workbook whose number formats cannot be seen (XLS, XLSB), a column the adapter read whose
        numbers all lie between 0 and 1, not all 0, is refused: that is how a column shown as percentages is
        stored (``100%`` is 1), and read as it stands it would count 1 place per ``100%``."""
        if not self.grid.formats_hidden:
            return
        positions, headers = self.header.positions, self.header.headers
        for key in sorted(self.used, key=lambda k: positions[k]):
            pos = positions[key]
            numbers = [(row.rij, v) for row in self.rows
                       if pos < len(row.cells) and isinstance(v := row.cells[pos], (int, float))
                       and not isinstance(v, bool)]
            if not numbers or not all(0 <= v <= 1 for _, v in numbers):
                continue
            first = next(((rij, v) for rij, v in numbers if v > 0), None)
            if first is None:
                continue
            rij, v = first
            self.add(Severity.FOUT, f"in een XLS- of XLSB-werkboek is de celopmaak niet te lezen, en alle getallen "
                     f"in kolom {headers[key]} liggen tussen 0 en 1 (rij {rij}: {cell_text(v)}): zo slaat een "
                     "rekenblad percentages op (100% is 1), geen aantallen; sla het bestand op als XLSX of CSV "
                     "en lees het opnieuw", self.header.rij, headers[key], cell_text(v),
                     code="percentage_niet_te_zien")

    def _decimal_points(self) -> None:
        """A numeric column the adapter read in which a point is a decimal point in one cell (``1010.000``,
        ``12.50``: no thousands dot can stand there) and would be a thousands dot in another (``12.000``), or a
        count column whose every number ends in ``.000``, is a ``fout``: SPSS and portal exports write every number with the same decimals and a point, so ``12.000``
        there is 12, while the number rule reads it as 12000 (``values.decimal_point_forms``)."""
        positions, headers = self.header.positions, self.header.headers
        for key in sorted(self.used, key=lambda k: positions[k]):
            if self.layout.column(key).kind not in NUMERIC_KINDS:
                continue
            raws = self.raw_column(key)
            if raws is None:
                pos = positions[key]
                raws = [row.cells[pos] if pos < len(row.cells) else None for row in self.rows]
            if _POINTLESS.issuperset(raws):  # (issue 16: the common case, one set operation per column)
                continue
            distinct = set(raws)
            texts = [v for v in distinct if type(v) is str and "." in v]
            if len(texts) < 2:
                if len(_POINTLESS) >= _POINTLESS_LIMIT:
                    _POINTLESS.clear()
                _POINTLESS.update(v for v in distinct if not (type(v) is str and "." in v))
                continue
            decimal, grouped = decimal_point_forms(texts)
            if not grouped:
                continue
            if not decimal:
                # every number written with three decimals, all zero (``5.000``, ``12.000``): as thousands dots
                # every count would be a multiple of 1000 and none below it, which no table of places is (a
                # quota decision's targets may well be round thousands: ``Fryslân;4.000``)
                if self.layout.column(key).kind != COUNT:
                    continue
                if not all(v.strip().endswith(".000") for v in grouped):
                    continue  # asked first: a count column with thousands dots fails it at its first text (issue 16)
                filled = [v for v in distinct if not is_none(v) and not (type(v) is str and not v.strip())]
                if len(filled) != len(grouped):
                    continue
                rijen = self._rijen()
                first = {v: rijen[i] for i, v in reversed(list(enumerate(raws))) if v in grouped}
                g = min(grouped, key=first.__getitem__)
                self.add(Severity.FOUT, f"in kolom {headers[key]} eindigt elk getal op .000 ({cell_text(g)!r}, rij "
                         f"{first[g]}): zo schrijft een export met drie decimalen, en dan is {cell_text(g)!r} "
                         f"{_fmt(point_as_decimal(g))} en niet {_fmt(parse_number(g))}: welke van de twee bedoeld is, is "
                         "niet te zeggen. Exporteer de getallen zonder decimalen, of met een decimale komma",
                         self.header.rij, headers[key], cell_text(g), code="decimaalpunt_dubbelzinnig")
                continue
            rijen = self._rijen()
            first = {}
            for i, v in enumerate(raws):
                if v in decimal or v in grouped:
                    first.setdefault(v, rijen[i])
            d = min(decimal, key=first.__getitem__)
            g = min(grouped, key=first.__getitem__)
            as_decimal = _fmt(point_as_decimal(g))
            self.add(Severity.FOUT, f"in kolom {headers[key]} is de punt een decimaalteken (rij {first[d]}: "
                     f"{cell_text(d)!r}); dan is {cell_text(g)!r} (rij {first[g]}) {as_decimal} en niet "
                     f"{_fmt(parse_number(g))}, zoals een punt voor drie cijfers anders gelezen wordt: welke van de twee "
                     "bedoeld is, is niet te zeggen. Exporteer de getallen zonder decimalen, of met een decimale komma",
                     self.header.rij, headers[key], cell_text(g), code="decimaalpunt_dubbelzinnig")

    def _peek_column(self, key: str) -> tuple[list[Any], set[int]]:
        """Per data row, ``row.peek(key)`` (``_BAD`` for a bad value; a ``_Raised`` where it raises), and the
        indices of the rows that are either: for a table the fast scan read, straight from its parsed column
        (what ``_FastRow.peek`` reads), else each row asked."""
        spec = self._specs.get(key)
        rows = self._rows
        if (self._fast_cells is None or spec is None or spec[1] is None
                or rows is not None and set(map(type, rows)) - {_FastRow}):
            return _peek_column(self.rows, key)
        column = self._fast_values.get(key)
        if column is None:
            column = self._fast_value_column(key)
        out = list(column) if rows is None else [column[r._i] for r in rows]
        special: set[int] = set()
        kinds = set(map(type, out))
        if _Problem in kinds or _Raise in kinds:
            for i, found in enumerate(out):
                kind = type(found)
                if kind is _Problem:
                    out[i] = _BAD
                    special.add(i)
                elif kind is _Raise:
                    out[i] = _Raised(found.again())
                    special.add(i)
        return out, special

    def _check_totals_reference(self) -> None:
        """``check_totals`` as it was before issue 16's index form, row objects per totals row and column:
        the oracle (taken inside ``fastscan.careful()``; ``tests/test_totals_fast.py``)."""
        if self._checked:
            return
        self._checked = True
        parents = _ParentsOnce(self.division, {r.gebied_code for r in self.rows}) if self.totals else None
        for total in self.totals:
            if total.gebied is UNKNOWN_AREA:
                segment = set(total.segment)
                covered = [r for r in self.rows if r.rij in segment]
                scope = "de rijen erboven (tot de vorige totaalrij)"
            elif total.gebied is None:
                covered = list(self.rows)
                scope = "alle rijen"
            else:
                inside = parents.inside(total.gebied)
                covered = sorted((r for code in inside for r in parents.rows_of(code, self.rows)), key=_RIJ)
                scope = f"de rijen van {total.gebied.naam} ({total.gebied.code})"
            if self.subtotals:
                covered = [r for r in covered if r.rij not in self.subtotals]
            for key in sorted(self.used, key=lambda k: self.header.positions[k]):
                raw = _at(total.cells, self.header.positions[key])
                if is_none(raw):
                    continue
                kolom = self.header.headers[key]
                col = self.layout.column(key)
                try:
                    stated = (parse_signed if col.kind == SIGNED else parse_amount)(raw)
                except ValueProblem as problem:
                    self.add(Severity.WAARSCHUWING, f"totaalrij {total.label!r}: {problem}; niet gecontroleerd",
                             total.rij, kolom, cell_text(raw), code="totaalrij_niet_gecontroleerd")
                    continue
                if any(r.rij in self.bad.get(key, ()) for r in covered):
                    continue
                values = [r.peek(key) for r in covered]
                if any(v is _BAD for v in values):
                    continue
                summed = sum(v for v in values if v is not None)
                tolerance = 0 if col.kind == COUNT else 0.5
                if abs(stated - summed) > tolerance:
                    self.add(Severity.WAARSCHUWING,
                             f"totaalrij {total.label!r} klopt niet: {_fmt(stated)} in het bestand, maar de som van "
                             f"{scope} is {_fmt(summed)}", total.rij, kolom, cell_text(raw), code="totaalrij_klopt_niet")

    # --- peildatum --------------------------------------------------------------------------

    def _title_peildatum(self) -> None:
        self._title_dates: list[tuple[int, str | None, str, dt.date]] = []
        self.title_week: tuple[int, str, str] | None = None
        """A title's peildatum written as a week (row, text, why it is no day), which gives no peildatum."""
        if not self.reads_peildatum:
            return
        top = self.header.rij if self.header.first_rij is None else self.header.first_rij
        for rij, cells in self.grid.rows:
            if rij >= top:
                break
            for i, cell in enumerate(cells):
                if is_none(cell):
                    continue
                if isinstance(cell, str) and normalize_name(cell) in _PEIL_LABELS:
                    following = [c for c in cells[i + 1:] if not is_none(c)][:1]
                    if following:
                        try:
                            date = parse_date(following[0])
                        except ValueProblem as problem:
                            self.add(Severity.FOUT, f"peildatum in de titel onleesbaar: {problem}", rij, None,
                                     cell_text(following[0]), code="peildatum_in_titel")
                            continue
                        if date is not None:
                            self._title_dates.append((rij, None, cell_text(following[0]), date))
                    continue
                if not isinstance(cell, str):
                    continue
                try:
                    date = find_date(cell)
                except ValueProblem as problem:
                    self.add(Severity.FOUT, f"peildatum in de titel: {problem}", rij, None, cell_text(cell), code="peildatum_in_titel")
                    continue
                if date is not None:
                    self._title_dates.append((rij, None, cell_text(cell), date))
                elif self.title_week is None:
                    week = title_week(cell) or title_vague(cell)  # a week, a month or a year of two digits
                    if week is not None:
                        self.title_week = (rij, cell_text(cell), week)

    def _column_peildatum(self, values: list[tuple[int, Any, dt.date]]) -> None:
        """The peildatum from the title's dates and ``values``, the ``Peildatum`` cells read as (row, text,
        date) in row order: every row's, or (the fast scan's) only the first row of each date, which gives
        the same answer and the same melding."""
        title = sorted({d for *_, d in self._title_dates})
        column = sorted({d for *_, d in values})
        if len(title) > 1:
            rij, _, text, _ = self._title_dates[-1]
            self.add(Severity.FOUT, "de titelregels noemen verschillende peildata: "
                     + ", ".join(_dfmt(d) for d in title), rij, None, text, code="peildata_in_titel")
            return
        if len(column) > 1:
            first = {}
            for rij, raw, date in values:
                first.setdefault(date, (rij, raw))
            rij, raw = first[column[1]]
            self.add(Severity.FOUT, "de kolom Peildatum heeft meer dan één datum ("
                     + ", ".join(_dfmt(d) for d in column) + "); één bestand heeft één peildatum",
                     rij, self.header.headers.get("peildatum"), cell_text(raw), code="peildata_in_kolom")
            return
        if title and column and title[0] != column[0]:
            rij, raw, _ = values[0]
            self.add(Severity.FOUT, f"de peildatum in de titel ({_dfmt(title[0])}) en in de kolom Peildatum "
                     f"({_dfmt(column[0])}) verschillen", rij, self.header.headers.get("peildatum"), cell_text(raw), code="peildatum_titel_kolom")
            return
        peildatum = (column or title or [None])[0]
        if peildatum is not None and self._month_first_doubt(values):
            return  # the file's date cannot be said: the manifest's peildatum decides
        self.peildatum = peildatum

    def _month_first_doubt(self, values: list[tuple[int, Any, dt.date]]) -> bool:
        """Whether the peildatum the file states is a date like ``1/12/2026`` (day and month both 12 or less) in a
        file that writes dates month-first elsewhere (``12/31/2025``, ``December 31, 2025``: an English-locale
        export): read day-first it would be another day, read month-first a guess. A ``waarschuwing`` that names
        the evidence and the ``peildatum`` line that settles it; the file then states no peildatum."""
        stated = [(rij, self.header.headers.get("peildatum"), raw) for rij, raw, _ in values[:1]]
        stated += [(rij, None, text) for rij, _, text, _ in self._title_dates]
        for rij, kolom, raw in stated:
            readings = _day_or_month_first(raw)
            if readings is None:
                continue
            evidence = _month_first_evidence(self.grid)
            if evidence is None:
                return False
            day_first, month_first = readings
            at, shown = evidence
            self.add(Severity.WAARSCHUWING, f"de datum {cell_text(raw)!r} kan {_dfmt(day_first)} (dag-maand) of "
                     f"{_dfmt(month_first)} (maand-dag) zijn, en dit bestand schrijft datums met de maand voorop "
                     f"(rij {at}: {shown!r}); de datum wordt niet als peildatum gelezen. Zet de peildatum in "
                     f"opvangkern.toml bij dit bestand: peildatum = {month_first.isoformat()} (als maand/dag/jaar "
                     "bedoeld is)", rij, kolom, cell_text(raw), code="datum_maand_dag_dubbelzinnig")
            return True
        return False

    # --- reconciliation -----------------------------------------------------------------------

    def row_counts(self) -> dict[str, int]:
        """How the non-blank rows below the header were used, each counted once (``FileStats`` without
        ``som``): ``rijen_gelezen`` = ``rijen_gebruikt`` + ``totaalrijen`` + ``rijen_afgewezen`` +
        ``rijen_overgeslagen``. A row with a ``fout`` in this table's meldingen is rejected, also when
        other cells of it were read. Call it after the adapter has read the rows."""
        from opvangkern.reading import fastscan

        if not fastscan.enabled():
            return self._row_counts_reference()
        fout_rows = {m.rij for m in self.meldingen if m.is_error and m.rij is not None
                     and m.bestand == self.grid.bestand and m.blad == self.grid.blad}
        totals = {t.rij for t in self.totals}
        nonblank = self.nonblank
        seen = set(nonblank)
        if len(seen) != len(nonblank):
            return self._row_counts_reference()  # a row number twice: counted row by row, as the reference does
        # issue 16: the classes of the reference loop as set operations, each row in the first that holds it
        # (issue 16, fifteenth session: no set copied where the other side is empty, the rows' numbers not
        # made a list and a set first)
        total_rows = seen & totals
        rest = seen - total_rows if total_rows else seen
        rejected = rest & fout_rows
        if rejected:
            rest -= rejected
        used_rows = rest.intersection(self._fast_rijs if self._rows is None else map(_RIJ, self._rows))
        if self.skipped:
            used_rows -= self.skipped
        used = len(used_rows)
        return dict(rijen_gelezen=len(nonblank), rijen_gebruikt=used, totaalrijen=len(total_rows),
                    rijen_afgewezen=len(rejected), rijen_overgeslagen=len(rest) - used)

    def _row_counts_reference(self) -> dict[str, int]:
        """``row_counts`` row by row, as it was before issue 16: the oracle (``fastscan.careful()``)."""
        fout_rows = {m.rij for m in self.meldingen if m.is_error and m.rij is not None
                     and m.bestand == self.grid.bestand and m.blad == self.grid.blad}
        totals = {t.rij for t in self.totals}
        data = {r.rij for r in self.rows}
        counts = dict(rijen_gelezen=len(self.nonblank), rijen_gebruikt=0, totaalrijen=0, rijen_afgewezen=0,
                      rijen_overgeslagen=0)
        for rij in self.nonblank:
            if rij in totals:
                counts["totaalrijen"] += 1
            elif rij in fout_rows:
                counts["rijen_afgewezen"] += 1
            elif rij in data and rij not in self.skipped:
                counts["rijen_gebruikt"] += 1
            else:
                counts["rijen_overgeslagen"] += 1
        return counts

    def ratio_note(self) -> str:
        """``""``, or a sentence naming the header row's ratio columns (``Bezetting (%)``), which are never
        counts: for the melding about a missing count column."""
        from opvangkern.reading.columns import is_ratio_header

        ratios = [cell_text(c) for c in self.header.cells if isinstance(c, str) and is_ratio_header(c)]
        if not ratios:
            return ""
        return ("; " + ", ".join(repr(r) for r in ratios) + (" is een percentage of verhouding" if len(ratios) == 1
                else " zijn percentages of verhoudingen") + " en telt nooit als aantal")

    def other_measure_note(self, key: str) -> str:
        """For the melding about a missing measure column ``key``: when ``capaciteit`` is missing and the file has
        the occupancy, the ``maat`` line that reads it (a list of occupancy only, ``Aantal bewoners``, read for
        places would otherwise say nothing the analyst can act on); else ``""``."""
        if key == "capaciteit" and self.has("bezetting"):
            return (f"; het bestand geeft wel de bezetting (kolom {self.header.headers['bezetting']!r}): wilt u die "
                    f'tellen, zet dan bij deze [[bron]] in opvangkern.toml: maat = "bezetting"')
        return ""

    def measure_note(self, key: str) -> str:
        """How to fix a missing measure column ``key`` (``capaciteit`` or ``bezetting``): the ``maat`` line of
        :meth:`other_measure_note` and the ``kolommen`` line for a header the reader does not know (with a
        placeholder; ``kit.measure_column_missing`` offers a header of the file where one fits)."""
        from opvangkern.reading.columns import kolommen_line

        label = self.layout.column(key).label
        return (f"{self.other_measure_note(key)}; staat de {label.lower()} onder een kop die deze lezer niet kent, "
                f"koppel die kop dan bij deze [[bron]]: {kolommen_line('kop zoals in het bestand', label)}")

    def subtotal(self, row: Row) -> None:
        """Leave ``row`` out as a subtotal the adapter found (a Nidos municipality's ``Totaal`` in the placement
        column): skipped, and no part of the sum a totals row is checked against (it would count twice)."""
        self.skip(row)
        self.subtotals.add(row.rij)

    def skip(self, row: Row) -> None:
        """Leave ``row`` out on purpose (a value the source does not count, ``overslaan``): it is counted
        as skipped (``rijen_overgeslagen``) in the reconciliation line, not as used."""
        self.skipped.add(row.rij)

    # --- whole columns (issue 16: an adapter's row loop done column-wise) ----------------------

    def counts(self, key: str, ernst: Severity | str = Severity.FOUT) -> list[int | None]:
        """Every data row's ``row.count(key, ernst)``, in row order, in one call: the same values, and the
        same meldingen (a bad cell: a melding of ``ernst`` at its row and column, and ``None``) in the same
        order as ``[row.count(key, ernst) for row in table]``. A cell whose parser raises (not a bad value:
        a surprise, which ``guard`` turns into a ``fout``) raises here, after the meldingen of the rows above
        it. A table that the fast scan read answers from its parsed column at once; any other table asks
        each row (``tests/test_kit_columns.py`` compares the two with the row loop)."""
        values, exc = self._column_values(key, ernst)
        if exc is not None:
            raise exc
        return values

    def texts(self, key: str) -> list[str]:
        """Every data row's ``row.text(key)``, in row order (``""`` where the cell or the column is empty)."""
        column = self.text_column(key)
        return [row.text(key) for row in self.rows] if column is None else list(column)

    # The table's own columns, for an adapter's column-wise path: each answers ``None`` unless
    # ``columns_ready()`` (then the adapter takes its row loop); a list answered is the table's own, not a copy.

    def columns_ready(self) -> bool:
        """Whether the column calls answer: the fast scan read the table (a regular CSV file) and its rows are
        still the scan's, in order (row ``i`` is entry ``i`` of every column; an adapter that added, dropped or
        moved rows has changed that)."""
        return self._fast_aligned()

    def raw_column(self, key: str) -> list[Any] | None:
        """Per data row, ``row.raw(key)``."""
        if not self._fast_aligned():
            return None
        column = self._fast_raws.get(key)
        return self._fast_raw_column(key) if column is None else column

    def text_column(self, key: str) -> list[str] | None:
        """Per data row, ``row.text(key)``."""
        if not self._fast_aligned():
            return None
        column = self._fast_texts.get(key)
        return self._fast_text_column(key) if column is None else column

    def value_column(self, key: str) -> list[Any] | None:
        """Per data row, what ``row.value(key)`` (``count``, ``signed``, …) gives where it makes no melding; a
        cell where it would make one (or raise) holds something of another type, never ``None``, a number or a
        date, so ``set(map(type, column))`` tells whether there is one. ``None`` also for a key that is no
        numeric or date column (a text column's ``value`` is recorded per row); ``KeyError`` for a key the layout
        does not know, as the row's. A plain cell's value is what the row gives once the table has recorded the
        column as read: ask the row itself (``row.value(key)``) for the first cell the loop reads, then this
        column for the others (``counts`` and ``RealisatieBuilder.add_column`` do that for you)."""
        if not self._fast_aligned():
            return None
        spec = self._specs.get(key)
        if spec is None:
            spec = self._spec(key)  # KeyError for a key the layout does not know, as the first row's
        if spec[1] is None:
            return None
        column = self._fast_values.get(key)
        return self._fast_value_column(key) if column is None else column

    def area_codes(self) -> list[str | None]:
        """Every data row's ``row.gemeentecode`` (``gebied_code``), in row order."""
        return self._codes()

    def row_numbers(self) -> list[int]:
        """Every data row's ``row.rij``, in row order (a new list; a fast-read table makes no row for it)."""
        return self._rijen()

    def _column_values(self, key: str, ernst: Severity | str) -> tuple[list[Any], Exception | None]:
        """``counts``' values for the rows up to the first one whose cell raises, and that exception (or
        ``None``): what the row loop ``for row in table: …row.value(key, ernst)…`` leaves behind when it
        stops there."""
        clean = self._clean_column(key)
        if clean is not None:
            return clean, None
        values: list[Any] = []
        try:
            for row in self.rows:  # a bad cell (or a table the fast scan did not read): each row, as the loop asks
                values.append(row.value(key, ernst))
        except Exception as exc:  # noqa: BLE001 - raised by the caller, after it used the rows above
            return values, exc
        return values, None

    def _fast_aligned(self) -> bool:
        """Whether the fast scan read the table and its rows are still its ``_FastRow``s, in order, one per
        entry of its columns (an adapter may have changed ``rows``: then each row is asked)."""
        cells, rows = self._fast_cells, self._rows
        if rows is None:
            return cells is not None  # the rows not made yet: the scan's, untouched
        if cells is None or len(cells) != len(rows):
            return False
        proved = self._fast_proved
        if proved is not None and proved == rows:  # the very rows proved before (compared by identity: C speed)
            return True
        try:
            aligned = list(map(_FAST_INDEX, rows)) == list(range(len(rows)))
        except AttributeError:  # a row that is no ``_FastRow``
            return False
        if aligned:
            self._fast_proved = list(rows)
        return aligned

    def _clean_column(self, key: str) -> list[Any] | None:
        """Every data row's ``row.value(key)`` at once, when the fast scan read the table, ``key`` has a parser
        and no cell of it makes a melding or raises: then asking every row records nothing but what the first
        ``_FastRow.value`` records (``used``), done here. ``None`` otherwise (ask the rows)."""
        if not len(self):
            return None  # no row to ask (no KeyError for an unknown key, nothing in ``used``)
        column = self.value_column(key)
        if column is None:
            return None  # no columns, or a text column: it records what was asked (``peek``), the rows do that
        spec = self._specs[key]
        kinds = set(map(type, column))
        if _Problem in kinds or _Raise in kinds:
            return None
        if spec[3]:
            self.used.add(key)
        self._fast_plain.add(key)
        return list(column)

    def detach_rows(self) -> None:
        """Point this table's rows back at it weakly (``RealisatieBuilder.result()`` calls it, once the file is
        read): a table and its rows no longer keep each other alive, so they are freed by reference counting
        as the adapter's read returns instead of waiting for the cyclic garbage collector (issue 16: for
        five years of weekly files, ~420,000 rows in 1,040 such cycles, a collection after every file). The
        rows answer as before while the table lives (the builder, or whoever holds the table); a row kept
        after its table was dropped raises ``ReferenceError`` when asked for a cell, never a wrong value."""
        self._detached = True
        rows = self._rows
        if not rows:
            return  # no rows, or none made (a fast-read table's, not asked for): nothing points back
        proxy = weakref.proxy(self)
        rows = list(rows)
        if not all(map(is_, map(_TABLE, rows), repeat(self))):  # a row of another table (an adapter's own): kept
            rows = [r for r in rows if getattr(r, "table", None) is self]
        list(map(setattr, rows, repeat("table"), repeat(proxy)))  # (C speed: one slot set per row)

    # --- iteration --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self._fast_rijs) if self._rows is None else len(self._rows)

    def has(self, key: str) -> bool:
        """Whether the file has the column ``key``."""
        return key in self.header.positions


_REFUSED = object()
"""``SheetTable._code_and_name``: the cell was refused with a fout."""


_RIJ = attrgetter("rij")

_POINTLESS: set = set()
"""Cells without a point (no text, or a text that holds no ``.``), as a table holds them: a numeric column whose
every cell is one has no point for ``SheetTable._decimal_points`` to look at (the weekly files repeat their
numbers: each column asked with one set operation; issue 16, fifteenth session)."""
_POINTLESS_LIMIT = 1 << 16
"""A row's number (in C: ``check_totals`` maps it over every row)."""


_GEBIED_CODE = attrgetter("gebied_code")
_FAST_INDEX = attrgetter("_i")
_TABLE = attrgetter("table")


class _ParentsOnce:
    """Which of a table's area codes lie in an area, each code's parent looked up once per level (issue 16:
    a KCIO file's 25 subtotal rows asked ``Division.contains`` 25 × 342 times). The same answer as
    ``division.contains(outer.code, code)`` for every code; a division without ``parent`` is asked that."""

    def __init__(self, division: Any, codes: set[str | None]):
        self.division = division
        self.codes = codes
        self._by_level: dict[Any, dict[str, set[str | None]]] = {}
        self._rows: dict[str | None, list[Row]] | None = None

    def rows_of(self, code: str | None, rows: list[Row]) -> list[Row]:
        """The rows of ``code``, in file order (the index built once)."""
        if self._rows is None:
            self._rows = {}
            for r in rows:
                self._rows.setdefault(r.gebied_code, []).append(r)
        return self._rows.get(code, [])

    def inside(self, outer: Any) -> set[str | None]:
        division = self.division
        parent = getattr(division, "parent", None)
        if parent is None or not hasattr(division, "area"):
            return {code for code in self.codes if division.contains(outer.code, code)}
        target = division.area(outer.code)
        groups = self._by_level.get(target.niveau)
        if groups is None:  # parent code → the table's codes inside it, for this level
            groups = self._by_level[target.niveau] = {}
            known = _parent_memo(division, target.niveau)
            for code in self.codes:
                try:
                    found = known[code]
                except KeyError:
                    try:
                        found = parent(code, target.niveau).code
                    except ValueError:  # no area of that level above it (an unknown code raises, as contains does)
                        found = None
                    known[code] = found
                if found is not None:
                    groups.setdefault(found, set()).add(code)
        return groups.get(target.code, set())


def _parent_memo(division: Any, level: AreaLevel) -> dict[str | None, str | None]:
    """The division's memo of ``parent(code, level).code`` (``None``: none), kept with it (a weekly history
    asks the same 342 codes in every file); a division that cannot be weakly referenced gets a fresh one."""
    return kept_with(division, "table.parents").setdefault(level, {})


def _increasing(rijen: list[Any], lt: Callable[[Any, Any], Any]) -> bool:
    """Whether the row numbers go up strictly (then file order is the reference's order by row number)."""
    try:
        return all(map(lt, rijen, rijen[1:]))
    except TypeError:  # row numbers that do not compare: no memo, the reference's sort decides
        return False


def _covered_memo(division: Any, codes: tuple[str | None, ...]) -> dict[str, list[int]]:
    """For a table whose rows (in file order) have the area ``codes``: per region or province code, the
    indices of the rows inside it, as ``check_totals`` found them once (kept with the division: a weekly history
    asks the same regions of the same 342 codes in every file; a division that cannot be weakly referenced gets a
    fresh one). Issue 16."""
    memos = kept_with(division, "table.covered")
    found = memos.get(codes)
    if found is None:
        if len(memos) >= 32:
            memos.clear()
        found = memos[codes] = {}
    return found


class _Raised:
    """A cell whose ``peek`` raised (not a ``ValueProblem``): ``check_totals`` raises it where the reference
    would have, at the first row of a sum that holds it."""

    __slots__ = ("exc",)

    def __init__(self, exc: Exception):
        self.exc = exc


def _peek_column(rows: Sequence[Row], key: str) -> tuple[list[Any], set[int]]:
    """Per row, ``row.peek(key)`` (``_BAD`` for a bad value; a ``_Raised`` where it raised), looked at once;
    and the indices of the rows that are ``_BAD`` or ``_Raised``."""
    out: list[Any] = []
    special: set[int] = set()
    append = out.append
    for i, r in enumerate(rows):
        try:
            value = r.peek(key)
        except Exception as exc:  # noqa: BLE001 - raised again where the reference's sum would meet it
            value = _Raised(exc)
            special.add(i)
        else:
            if value is _BAD:
                special.add(i)
        append(value)
    return out, special


def _numberlike(value: Any) -> bool:
    """Whether a cell holds something that reads as a number (a note in a count column does not)."""
    kind = type(value)
    if kind is float:
        return True  # parse_signed reads a finite float, and a non-finite one is no text: both count
    if kind is int:
        float(value)  # as parse_signed does (an int beyond a float's range raises, as it did)
        return True
    if is_none(value):
        return False
    try:
        parse_signed(value)
    except ValueProblem:
        if isinstance(value, str) and _page_mark(value):
            return False  # a page's footer that a PDF conversion put in a count column (``Pagina 2 van 5``)
        return not isinstance(value, str) or any(ch.isdecimal() for ch in value)  # not a footnote mark (²)
    return True


@functools.cache
def _note() -> re.Pattern[str]:
    """The start of a note under a table. Compiled on first use (issue 16): only a row that fails to name an
    area asks, and a national set of regular files has none."""
    return re.compile(r"^\s*(?:[*†‡¹²³#]|\(?\d{1,2}\)\s|(?:bron|bronnen|toelichting|noot|noten|voetnoot|voetnoten|"
                      r"opmerking|opmerkingen|n\.\s?b\.?|nb|let op|bijgewerkt|disclaimer|legenda|uitleg|verklaring|"
                      r"gegevens|cijfers|de cijfers|deze cijfers|bewerking|bewerkt|publicatie|gepubliceerd)"
                      r"(?![a-z0-9]))", re.IGNORECASE)


def _names_an_area(cells: tuple[Any, ...], n: int, area_positions: list[tuple[str, int]],
                   resolve: Callable[[Any], Any]) -> bool:
    """Whether any area cell of the row names a known area: such a row is data, never a note (``Gemeente
    Alphen aan den Rijn`` has five words, and a bad count beside it must be a fout, not vanish)."""
    for _, pos in area_positions:
        raw = cells[pos] if pos < n else None
        if is_none(raw):
            continue
        try:
            resolve(raw)
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: not an area
            continue
        return True
    return False


def _is_note(text: str) -> bool:
    """Whether a row's area cell (or first value) is a note, not an area: ``Bron: …``, ``* …``,
    ``Toelichting``, or a sentence (five words or more, or a colon)."""
    text = cell_text(text)
    if _note().match(text):
        return True
    return ":" in text or len(text.split()) >= 5


def _at(cells: tuple[Any, ...], pos: int | None) -> Any:
    if pos is None or pos >= len(cells):
        return None
    return cells[pos]


_SUBTOTAL_WORDS = re.compile(r"^\s*(?:(?P<vr>vr\s*\d*|veiligheidsregio|regio)\s+(?P<a>.+?)|(?P<b>.+?)[\s:(-]*"
                             r"\b(?:sub)?tota(?:a)?l\b\)?)\s*$", re.IGNORECASE)
"""A label of a region's subtotal without the leading word that makes it a totals row: ``Drenthe totaal``,
``Drenthe (totaal)``, ``VR03 Drenthe``, ``VR Drenthe``."""


def _subtotal_hint(cells: Sequence[Any]) -> str:
    """For a row with counts and no area: when one of its texts looks like a region's subtotal written another way
    (``Drenthe totaal`` in the region column), how to write it so that it is read as one (``Totaal Drenthe``)."""
    for cell in cells:
        if not isinstance(cell, str) or len(cell) > 60:
            continue
        m = _SUBTOTAL_WORDS.match(cell)
        if m is None:
            continue
        name = (m.group("a") or m.group("b") or "").strip(" :(-")
        if name and not any(ch.isdigit() for ch in name) and normalize_name(name) not in ("totaal", "subtotaal"):
            return (f". Is de rij het subtotaal van {name!r} ({cell_text(cell)!r}), schrijf dan Totaal vooraan: "
                    f"'Totaal {name}' wordt niet opgeteld maar gecontroleerd")
    return ""


def _regio_area(division: Any, text: str) -> Any:
    """The safety region (or province) ``Regio <naam>`` names (``Regio Utrecht``: VR09), or ``None``."""
    if normalize_name(text).startswith("regiovan"):
        return None
    rest = _strip_prefix(text, "regio")
    if not normalize_name(rest):
        return None
    for resolve in (division.resolve_region, division.resolve_gebied):
        try:
            area = resolve(rest)
        except Exception:  # noqa: BLE001 - AreaNotFound, AmbiguousArea: no area
            continue
        if area.niveau in (AreaLevel.VEILIGHEIDSREGIO, AreaLevel.PROVINCIE):
            return area
    return None


def _strip_prefix(label: str, word: str) -> str:
    """``label`` without its leading ``word`` (compared as normalised text): ``Eind totaal: Drenthe`` →
    ``Drenthe``."""
    consumed = 0
    for i, ch in enumerate(label):
        consumed += len(normalize_name(ch))
        if consumed >= len(word):
            return label[i + 1:].strip(" :-–\t")
    return ""


def _fmt(number: float) -> str:
    from opvangkern.numbers import dutch_exact

    return dutch_exact(number)


def _dfmt(date: dt.date) -> str:
    return date.strftime("%d-%m-%Y")


_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_MONTH_NAME_FIRST = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                               r"aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+"
                               r"\d{1,2}(?:st|nd|rd|th)?,\s*\d{4}\b", re.IGNORECASE)


_CONTINUED = re.compile(r"\bvervolg\b|\(vervolg\)|\bcontinued\b", re.IGNORECASE)
_PAGE_MARK = re.compile(r"^\s*(?:pagina|page|pag\.?|blad|p\.)\s*\d+(?:\s*(?:van|of|/)\s*\d+)?\s*$", re.IGNORECASE)


_PRINT_DATE = re.compile(r"^\s*(?:(?:gedrukt|afgedrukt|geprint|printdatum|datum)(?:\s+op)?\s*:?\s*)?"
                         r"(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4})"
                         r"(?:\s+\d{1,2}[:.]\d{2})?\s*$", re.IGNORECASE)


def _page_mark(text: Any) -> bool:
    """A page's footer (``Pagina 1 van 3``, or the printed date a PDF converted to a table puts on every page,
    ``15-01-2027``; thirteenth session), or the next page's title that says it continues the table (``Bijlage 1
    (vervolg)``, ``Vervolg tabel 1``; fifteenth session): the header below it repeats after a printed page break.
    (A continued table that repeats its municipalities is still a second table: ``gap_repeats``.)"""
    return isinstance(text, str) and (_PAGE_MARK.match(text) is not None or _PRINT_DATE.match(text) is not None
                                      or _CONTINUED.search(text) is not None)


_FILTER_HEADS = frozenset({"toegepastefilters", "appliedfilters", "filterstoegepast", "actievefilters",
                           "activefilters"})
_FILTER_LINE = re.compile(r"^(.+?)\s+(is niet|is not|is|bevat niet|bevat|does not contain|contains|begint niet met|"
                          r"begint met|does not start with|starts with|is een van|is one of)\s+(.+)$", re.IGNORECASE)
_BLANK_VALUE = re.compile(r"^\(?(?:leeg|blank|empty|lege waarde)\)?$", re.IGNORECASE)
_ALL_VALUE = re.compile(r"^\((?:alle|all)\)$", re.IGNORECASE)
_AREA_FILTER_FIELDS = frozenset({
    "gemeente", "gemeenten", "gemeentenaam", "gemeentecode", "provincie", "provincienaam", "provinciecode",
    "veiligheidsregio", "veiligheidsregionaam", "veiligheidsregiocode", "regio", "coaregio", "arbeidsmarktregio",
    "municipality", "municipalities", "province", "region", "safetyregion", "woonplaats", "plaats", "locatie",
    "opvanglocatie", "location",
})
"""The fields of a Power BI filter that limit the areas (a filter on the location leaves out the locations, and
with them their municipality's places)."""


def is_filter_head(text: str) -> bool:
    """Whether a cell is the line Power BI writes above the filters it lists under an exported table
    (``Toegepaste filters:``, ``Applied filters:``)."""
    return normalize_name(text) in _FILTER_HEADS


def _day_or_month_first(raw: Any) -> tuple[dt.date, dt.date] | None:
    """``(day-first, month-first)`` for a text holding one slashed date whose two first parts are both 12 or
    less and differ (``1/12/2026``: 1 December or 12 January); ``None`` for any other value."""
    if not isinstance(raw, str) or "/" not in raw:
        return None
    found = _SLASH_DATE.findall(raw)
    if len(found) != 1:
        return None
    a, b, y = map(int, found[0])
    if a == b or not (1 <= a <= 12 and 1 <= b <= 12):
        return None
    try:
        return dt.date(y, b, a), dt.date(y, a, b)
    except ValueError:
        return None


def _month_first_evidence(grid: Grid) -> tuple[int, str] | None:
    """The first cell of ``grid`` that shows it writes dates month-first: a slashed date whose second part is
    13 to 31 and its first 12 or less (``12/31/2025``), or an English date with the month in front (``December
    31, 2025``); ``(row, text)``, or ``None``."""
    for rij, cells in grid.rows:
        for cell in cells:
            if not isinstance(cell, str) or not cell:
                continue
            if "/" in cell:
                for a, b, _ in _SLASH_DATE.findall(cell):
                    if 1 <= int(a) <= 12 < int(b) <= 31:
                        return rij, _cut(cell)
            if "," in cell and _MONTH_NAME_FIRST.search(cell):
                return rij, _cut(cell)
    return None


def _kolommen_absent(kolommen: Mapping[str, str], match: HeaderMatch) -> list[Melding]:
    """``kolommen_kolom_ontbreekt`` for each header ``kolommen`` names that the header row ``match`` lacks."""
    present = {normalize_name(c) for c in match.cells if cell_text(c)}
    out = []
    for header in kolommen:
        if normalize_name(header) in present:
            continue
        note = ""
        if isinstance(header, str) and re.fullmatch(r"[A-Z]{1,3}", header.strip()):
            note = "; kolommen koppelt een kop zoals hij in het bestand staat, geen kolomletter"
            index = 0
            for ch in header.strip():
                index = index * 26 + ord(ch) - 64
            named = cell_text(match.cells[index - 1]) if index <= len(match.cells) else ""
            note += (f": kolom {header.strip()} heet {named!r}, dus {kolommen_line(named, str(kolommen[header]))}"
                     if named else f" (kolom {header.strip()} heeft geen kop in rij {match.rij})")
        out.append(Melding(
            Severity.FOUT, f"kolommen noemt de kolom {header!r}, maar die staat niet in de kopregel "
            f"(rij {match.rij}); gevonden: {', '.join(match.found)}" + note,
            bestand=match.grid.bestand, blad=match.grid.blad, rij=match.rij, kolom=header, waarde=header,
            code="kolommen_kolom_ontbreekt"))
    return out


def _check_kolommen(kolommen: Mapping[str, str], layouts: Sequence[Layout], bestand: str,
                    blad: str | None) -> list[Melding]:
    """The errors of a manifest's ``kolommen`` that need no file: a target that is no column of the reader
    (two headers onto one column are found with the header row, by ``match_header``)."""
    from opvangkern.reading.columns import resolve_target

    out: list[Melding] = []
    for header, target in kolommen.items():
        if not isinstance(target, str) or not any(resolve_target(lay, target) for lay in layouts):
            names = sorted({n for lay in layouts for c in lay.columns for n in c.names[:1]})
            out.append(Melding(Severity.FOUT, f"kolommen koppelt {header!r} aan {target!r}, maar die kolom kent deze "
                               f"lezer niet; kies uit: {', '.join(names)}", bestand=bestand, blad=blad,
                               kolom=header, waarde=str(target), code="kolommen_onbekende_kolom"))
    unique: dict[str, Melding] = {m.melding: m for m in out}
    return list(unique.values())


_PIVOT_LABELS = ("rijlabels", "rowlabels", "regios")
"""The header a pivot table (*draaitabel*) writes over its row labels, and CBS StatLine over its areas
(``Regio's``): neither names the level of what it holds, so it is only proposed in the ``kolommen`` line."""
_GENERIC_NAMES = frozenset({"aantal", "totaal", "type"})
"""Column names (normalised) that say only that a column counts or sorts something, not what: a header that starts
with one (``Aantal locaties``) is the last choice for the ``kolommen`` line of a missing column."""


_OTHER_UNIT = frozenset({"huishoudens", "huishouden", "woningen", "woning", "adressen", "locaties", "huizen",
                         "jongeren", "pupillen", "minderjarigen", "kinderen", "bewoners"})
"""Words of a header that counts another unit than the column it names (never proposed for it): households,
houses and locations are no persons or places, and the young people placed (Nidos' ``Aantal jongeren``) or a
location's residents are its occupancy, not its places."""
_UNROUNDED_WORDS = frozenset({"onafgerond", "onafgeronde", "exact", "exacte"})
_LEAVES_OUT = frozenset({"excl", "exclusief", "zonder"})
"""Words of a header that counts the column's name with a part left out (proposed last)."""


def _header_words(text: str) -> list[str]:
    from opvangkern.reading.columns import _words

    return _words(text)


def _missing_hint(partial: HeaderMatch) -> str:
    """How to fix a missing column: the ``kolommen`` line that maps the header most like it (a header that
    starts with the column's name or alias, ``Capaciteit totaal``; a pivot's ``Rijlabels`` for the area), else
    the line with a placeholder. Never a ratio header (it cannot be mapped onto a count)."""
    from opvangkern.reading.columns import (is_pivot_not_a_sum, is_ratio_header, kolommen_line, names_another_figure,
                                            names_another_moment)

    layout = partial.layout
    taken = set(partial.positions.values())
    # never a header of another moment or measure (``Capaciteit vorige week``, ``Capaciteit gepland``): copied, the
    # line would count last week's or planned places; nor a pivot's field that counts rows (``Aantal van
    # Capaciteit``: the number of locations, fifteenth session)
    free = [(cell_text(c), normalize_name(c)) for i, c in enumerate(partial.cells)
            if i not in taken and normalize_name(c) and not is_ratio_header(c) and not names_another_moment(c)
            and not is_pivot_not_a_sum(c)]
    lines = []
    for group in layout.require:
        if any(k in partial.positions for k in group):
            continue
        label = layout.column(group[0]).label
        # each name with the label of its own column: ``Totaal opgevangen`` ends with an alias of Bezetting, and
        # the line must map it onto Bezetting, never onto the group's first column (Capaciteit: the people
        # received counted as places)
        names = [(normalize_name(n), layout.column(k).label) for k in group for n in layout.column(k).names
                 if len(normalize_name(n)) > 3]
        # a header with a name that says what it counts (``Aantal plekken`` ends with ``Plekken``) before one that
        # only starts with a word that counts anything (``Aantal locaties``, ``Aantal KWE``): the line shown is
        # the one an analyst copies, and the count of locations mapped onto Plekken is a wrong figure
        specific = [(n, lab) for n, lab in names if n not in _GENERIC_NAMES]
        # (fourteenth session) never a header that counts another unit (``Gehuisvest (huishoudens)``: households
        # are no persons), and one without more in it before one that leaves a part out (``incl. nareizigers``
        # before ``excl. nareizigers``: who joined a status holder counts for the target)
        usable = [(t, k) for t, k in free if not _OTHER_UNIT.intersection(_header_words(t))]
        # (fifteenth session) the rounded figure before the unrounded one (``Opgave (afgerond)`` before ``Opgave
        # (onafgerond)``): the decision sets the rounded target
        usable.sort(key=lambda tk: (bool(_LEAVES_OUT.intersection(_header_words(tk[0]))),
                                    bool(_UNROUNDED_WORDS.intersection(_header_words(tk[0])))))
        # the group's columns in their order (the default measure, Capaciteit, before Bezetting: a pivot's ``Som van
        # Bezetting`` left of its ``Som van Capaciteit`` is not the line for a file read for places), each with the
        # first header that names it
        pick = None
        others: list[tuple[str, str]] = []
        for choices in (specific, names):
            for want in dict.fromkeys(lab for _, lab in choices):
                # (fifteenth session) never a header of another figure (``Bezette plekken``, ``Benodigde plekken``)
                # for a realised count whose names do not say it (Capaciteit); a quota file's Opgave is a target
                column = next(c for c in map(layout.column, group) if c.label == want)
                own = tuple(column.names) if column.kind == "count" else None
                matching = list(dict.fromkeys((t, lab) for t, k in usable for n, lab in choices
                                              if lab == want and (k.startswith(n) or k.endswith(n))
                                              and (own is None or not names_another_figure(t, own))))
                if matching:
                    # never a header that leaves a part out beside one that does not (``excl. nareizigers``)
                    pick, others = matching[0], [m for m in matching[1:]
                                                 if not _LEAVES_OUT.intersection(_header_words(m[0]))][:2]
                    break
            if pick is not None:
                break
        if pick is None and group[0] in ("gemeente", "veiligheidsregio"):
            pick = next(((t, label) for t, k in free if k in _PIVOT_LABELS), None)
        line = kolommen_line(*(pick if pick is not None else ("kop zoals in het bestand", label)))
        if others:
            # (fifteenth session) several headers name the column (``Opgave regulier | Opgave noodopvang |
            # Opgave totaal``, ``Opgave 1e helft | Opgave 2e helft``): each line, so that the one copied is chosen,
            # never the first because it is first (a part of the target read as the whole)
            line = (f"{line} of " + " of ".join(kolommen_line(*o) for o in others)
                    + " (kies de kolom die het hele aantal geeft)")
        lines.append(line)
    if not lines:
        return ""
    return ("; heet de kolom in dit bestand anders, koppel de kop dan in opvangkern.toml bij dit bestand: "
            + "; ".join(lines))


def _header_missing(grids: Sequence[Grid], layouts: Sequence[Layout], partial: HeaderMatch | None,
                    bestand: str) -> Melding:
    if partial is not None:
        missing = partial.layout.describe_missing(partial.positions)
        found = ", ".join(partial.found) or "(geen)"
        from opvangkern.reading.columns import is_pivot_not_a_sum, is_ratio_header

        ratios = [cell_text(c) for c in partial.cells if isinstance(c, str) and is_ratio_header(c)]
        note = ("; " + ", ".join(repr(r) for r in ratios) + " telt nooit als aantal (een percentage)") if ratios else ""
        # (fifteenth session) a pivot's field that counts or averages rows: the fix is the pivot's, not a line
        pivots = [cell_text(c) for c in partial.cells if is_pivot_not_a_sum(c)]
        if pivots:
            note += ("; " + ", ".join(repr(p) for p in pivots) + " telt of middelt de rijen van een draaitabel "
                     "(het aantal locaties, een gemiddelde), niet de aantallen zelf: zet het veld in de draaitabel op "
                     "Som (Waardeveldinstellingen > Som), dan heet het 'Som van …'")
        return partial.grid.melding(
            Severity.FOUT, f"verplichte kolom ontbreekt: {'; '.join(missing)}; gevonden kolommen in rij "
            f"{partial.rij}: {found}{note}{_missing_hint(partial)}", partial.rij, None, None,
            code="verplichte_kolom_ontbreekt")
    first = next(((g, rij, cells) for g in grids for rij, cells in g.rows if any(cell_text(c) for c in cells)), None)
    wanted = "; ".join(" of ".join(layouts[0].column(k).label for k in group) for group in layouts[0].require)
    if first is None:
        return Melding(Severity.FOUT, "het bestand heeft geen gegevens", bestand=bestand, blad=grids[0].blad, code="geen_gegevens")
    grid, rij, cells = first
    shown = ", ".join(cell_text(c) for c in cells if cell_text(c))[:200]
    hidden = grids[0].hidden_sheets
    note = (f"; het werkboek heeft ook verborgen bladen, die niet gelezen worden ({', '.join(hidden)[:200]}): staat "
            f"de tabel daar, noem dat blad dan bij dit bestand in opvangkern.toml: blad = \"{hidden[0]}\"") if hidden else ""
    return grid.melding(Severity.FOUT, f"geen kopregel gevonden met de kolommen {wanted}; de eerste gevulde rij "
                        f"(rij {rij}) bevat: {shown}{note}", rij, None, None, code="geen_kopregel")


def _turned(grids: Sequence[Grid], division: Any, missing: Melding) -> Melding:
    """The melding of a table without its header when the table is turned (transposed: the municipalities as the
    columns, the weeks or categories as the rows): a row near the top that names three municipalities or more in
    its own cells. A list of unknown columns would not say what is wrong; the fix is Excel's Transponeren."""
    from opvangkern.areas import resolve_gemeente

    for grid in grids[:3]:
        for rij, cells in grid.rows[:30]:
            names = []
            for cell in cells:
                if isinstance(cell, str) and cell.strip() and not any(ch.isdigit() for ch in cell):
                    try:
                        names.append(resolve_gemeente(cell, division).naam)
                    except Exception:  # noqa: BLE001 - not a municipality
                        continue
            if len(names) >= 3:
                shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
                return grid.melding(
                    Severity.FOUT, f"de tabel lijkt gekanteld: rij {rij} noemt gemeenten als kolomkoppen ({shown}), "
                    "terwijl elke gemeente een eigen rij hoort te hebben, met haar naam in een kolom Gemeente en de "
                    "aantallen in kolommen ernaast. Draai de tabel om (in Excel: kopieer haar, Plakken speciaal > "
                    "Transponeren) en zet de kop Gemeente boven de namen", rij, None,
                    ", ".join(names[:4]), code="tabel_gekanteld")
    return missing


_FILTER_LEVELS = {
    AreaLevel.GEMEENTE: frozenset({"gemeente", "gemeenten", "gemeentenaam", "gemeentecode", "municipality",
                                   "municipalities"}),
    AreaLevel.VEILIGHEIDSREGIO: frozenset({"veiligheidsregio", "veiligheidsregionaam", "veiligheidsregiocode",
                                           "safetyregion"}),
    AreaLevel.PROVINCIE: frozenset({"provincie", "provincienaam", "provinciecode", "province"}),
}
_FILTER_VALUES = re.compile(r"\s*(?:,|;|\bof\b|\bor\b)\s*", re.IGNORECASE)  # never "en": Aa en Hunze


def area_filter_covers(text: str, gebied: str, division: Any) -> bool:
    """Whether the Power BI area filter ``text`` (``Provincie is Drenthe``, ``Gemeente is Assen of Emmen``: the
    ``waarde`` of an ``export_gefilterd_op_gebied`` melding) keeps every municipality of area ``gebied`` (a code)
    of ``division``: then the file holds all the dataset needs (a Drenthe export for a Drenthe dataset). Only a
    filter that keeps (``is``, ``is een van``) named municipalities, regions or provinces that all resolve; any
    other (``is niet``, ``bevat``, a location, a name that resolves to nothing) covers nothing."""
    match = _FILTER_LINE.match(text or "")
    if match is None or match.group(2).lower() not in ("is", "is een van", "is one of"):
        return False
    field = normalize_name(match.group(1))
    level = next((lv for lv, names in _FILTER_LEVELS.items() if field in names), None)
    if level is None:
        return False
    kept: set[str] = set()
    for value in _FILTER_VALUES.split(match.group(3).strip().strip("()")):
        if not value.strip():
            continue
        try:
            if level is AreaLevel.GEMEENTE:
                area = division.resolve_gemeente(value)
            elif level is AreaLevel.VEILIGHEIDSREGIO:
                area = division.resolve_region(value)
            else:
                named = value if value.strip().upper().startswith("PV") else f"Provincie {value}"
                area = division.resolve_gebied(named)
        except (LookupError, ValueError):
            return False
        if area.niveau is not level:
            return False
        kept.update(a.code for a in division.members(area.code))
    try:
        needed = {a.code for a in division.members(gebied)}
    except (LookupError, ValueError):
        return False
    return bool(needed) and needed <= kept


_PART_ROW = re.compile(r"^\W*(?:waarvan|waaronder|w\.v\.|wv\.?|w/v)\s*(?P<rest>.*)$", re.IGNORECASE)
"""An area cell that splits off a part of the row above (``waarvan amv``, ``- waaronder noodopvang``)."""

_PIVOT_TOTAL = re.compile(r"^\s*\S.*\s+totaal\s*$", re.IGNORECASE)
"""A group's subtotal as Excel's pivot table writes it (``Groningen Totaal`` in a ``Provincie`` column): outside the
area columns (they are empty in its row) it can be no municipality's row (fourteenth session)."""

_EXPLANATION_SHEETS = re.compile(r"^(toelichting|leeswijzer|uitleg|colofon|voorblad|inleiding|instructie|instructies"
                                 r"|rekenvoorbeeld|voorbeeld|readme|lees mij|over dit bestand|verantwoording)\b")


def find_table_header(grids: Any, layouts: Sequence[Layout], kolommen: Mapping[str, str] | None,
                      blad: str | None) -> tuple[HeaderMatch | None, HeaderMatch | None]:
    """``find_header``, but without ``blad`` a sheet that explains the workbook (``Toelichting`` with a worked
    example under the same header, ``Rekenvoorbeeld``) yields to a later sheet with the header: read first, the
    example's figures were the data and the real sheet was left unread, with exit 0 (fourteenth session)."""
    match, partial = find_header(grids, layouts, kolommen)
    if match is not None and blad is None and explanation_sheet(match.grid.blad):
        rest = [g for g in grids if not explanation_sheet(g.blad)]
        if rest:
            other, _ = find_header(rest, layouts, kolommen)
            match = other or match
    return match, partial


def explanation_sheet(name: str | None) -> bool:
    """Whether a sheet's name says it explains the workbook (``Toelichting``, ``Leeswijzer``, ``Rekenvoorbeeld``)
    rather than holding its table: without ``blad`` another sheet with the header goes before it."""
    return bool(name) and _EXPLANATION_SHEETS.match(name.strip().casefold()) is not None


_NAMESAKE_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")


@functools.lru_cache(maxsize=4096)
def _bare_key(naam: str) -> str:
    return normalize_name(_NAMESAKE_BRACKET.sub("", naam)) if naam.endswith(")") else ""


def bare_namesake(name: Any, area: Any) -> bool:
    """Whether ``name`` is ``area``'s CBS name without the bracket that tells namesakes apart (``Bergen`` for
    ``Bergen (NH.)`` and ``Bergen (L.)``): alone it names neither, beside the code of one it names that one."""
    if not isinstance(name, str) or area is None:
        return False
    bare = _bare_key(area.naam)
    return bool(bare) and normalize_name(name) == bare
