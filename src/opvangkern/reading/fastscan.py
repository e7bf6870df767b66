"""The fast path of ``SheetTable._scan`` for a regular CSV file (issue 16).

``SheetTable._scan`` reads a table row by row and cell by cell, because any row may be a title, a
repeated header, a note, a totals row, a row with an unknown area or a bad cell, and each of those has its
own melding. Most files hold none of that: a weekly national export is a header, a few hundred data rows
and perhaps a subtotal row per region. For such a file this module classifies the rows column-wise:

- the cells of the area columns, the numeric columns and the ``Peildatum`` column are taken out of the grid
  as columns (one list per column);
- every **distinct** area cell is resolved once (and classified once: empty, a totals label, a bare region
  or province name), every distinct ``Peildatum`` text parsed once;
- the rows are then classified from those per-value answers: blank, a repeated header, a totals row, or a
  data row whose area cells all name one known area.

``scan(table)`` fills the table exactly as the careful scan would (the same data rows with the same
cells and area codes, the same totals rows with the same segments, the same non-blank row numbers, the
same peildatum and meldingen) and returns ``True``. Whenever the file holds anything it does not handle
that way (a CSV line the parser could not read, a cell that is no plain value, a row whose area is
unknown, missing, contradictory or outside the division, a note under the table, a ``Peildatum`` that
does not read, the manifest's ``waarden``, a workbook or a pandas frame), it returns ``False`` before it
has changed anything, and the careful scan reads the file. ``tests/test_fastscan.py`` runs both on the
fuzz corpus and on the layouts of the real exports and asserts that they agree.

``careful()`` turns the fast path off (for that differential test and for comparisons).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from itertools import compress
from operator import itemgetter, ne
from typing import TYPE_CHECKING, Any

from opvangkern.errors import AmbiguousArea, AreaNotFound
from opvangkern.model import AreaLevel
from opvangkern.reading.memo import kept_with
from opvangkern.reading.values import _NONE_MEMO, ValueProblem, cell_text, is_none, normalize_name, parse_date

if TYPE_CHECKING:  # pragma: no cover
    from opvangkern.reading.table import SheetTable

_SECOND_ITEM = itemgetter(1)

__all__ = ["scan", "careful", "enabled", "STATS"]

_ENABLED = [True]
STATS = {"snel": 0, "zorgvuldig": 0}
"""How many tables the fast path read, and how many it handed to the careful scan (for tests and benchmarks)."""

_MAX_NUMBER_TEXT = 250
"""Longer texts in a numeric column go to the careful scan (a 400-digit number overflows the float parser
there, and that must stay the careful scan's outcome)."""

_FAIL = object()
_MEMO_LIMIT = 1 << 16


def _memos(division: Any, level: AreaLevel) -> tuple[dict[Any, Any], dict[Any, bool]]:
    """The division's memo of area cells (→ code, ``None`` for empty, ``_FAIL``) and of totals labels, for
    ``level``; a division that cannot be weakly referenced gets fresh ones (per table)."""
    memos = kept_with(division, "fastscan.areas")
    found = memos.get(level)
    if found is None:
        found = memos[level] = ({}, {})
    return found


def _heads_memo(division: Any, first_key: str) -> dict[Any, bool]:
    """The division's memo of which first cells normalise to ``first_key`` (a header's first cell), kept
    with it as ``_memos`` keeps the area cells; a division that cannot be weakly referenced gets a fresh one."""
    memos = kept_with(division, "fastscan.heads")
    found = memos.get(first_key)
    if found is None:
        if len(memos) >= 64:
            memos.clear()
        found = memos[first_key] = {}
    return found


def _blanks_memo(division: Any) -> dict[Any, bool]:
    """The division's memo of ``is_none`` for first cells (kept with it as ``_memos`` keeps the area cells;
    a division that cannot be weakly referenced gets a fresh one)."""
    return kept_with(division, "fastscan.blanks")


_DIGIT = re.compile("[0-9]").search


def _total_areas(table: SheetTable, totals: list) -> list[Any]:
    """``[table._total_area(label, cells) for _, cells, label in totals]``, each answer kept with the division
    (a weekly history repeats the same 25 ``Totaal <regio>`` rows; each was two region look-ups). The key is
    the label and the cells that ``_total_area`` may take for a name: every text without an ASCII digit (it
    takes those without any digit), so a count beside the label does not make a new key."""
    division = table.division
    memo = kept_with(division, "fastscan.totals")
    found = []
    for _, cells, label in totals:
        key = (label, tuple([c for c in cells if isinstance(c, str) and _DIGIT(c) is None]))
        area = memo.get(key, _FAIL)
        if area is _FAIL:
            area = table._total_area(label, cells)
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[key] = area
        found.append(area)
    return found


def enabled() -> bool:
    """Whether ``SheetTable._scan`` tries the fast path."""
    return _ENABLED[0]


@contextlib.contextmanager
def careful() -> Iterator[None]:
    """Within the block every table is read by the careful scan only."""
    before = _ENABLED[0]
    _ENABLED[0] = False
    try:
        yield
    finally:
        _ENABLED[0] = before


def scan(table: SheetTable) -> bool:
    """Fill ``table`` (rows, totals, non-blank rows, peildatum) the fast way; ``False`` (nothing changed)
    when the file is not regular enough for it."""
    try:
        found = None if _shifted(table) or _sub_labels(table) else _classify(table)
    except Exception:  # noqa: BLE001 - whatever surprises the fast path is the careful scan's to report
        found = None
    done = found is not None
    if done:
        _commit(table, *found)
    STATS["snel" if done else "zorgvuldig"] += 1
    return done


def _sub_labels(table: SheetTable) -> bool:
    """Whether the row right under the header may hold sub-labels of a group label (no area, a text under a header
    cell that is empty): the careful scan's ``SheetTable._sub_labels`` decides (one row looked at)."""
    from opvangkern.reading.table import AREA_KEYS, _numberlike

    head = table.header.rij
    below = None
    for rij, cells in table.grid.rows:  # (the header is near the top: a few rows looked at)
        if rij > head:
            below = cells if rij == head + 1 else None
            break
    if below is None:
        return False
    positions = table.header.positions
    area = [positions[k] for k in AREA_KEYS[table.level] if k in positions]
    if any(pos < len(below) and not is_none(below[pos]) for pos in area):
        return False
    heads = table.header.cells
    return any(isinstance(c, str) and c.strip() and not _numberlike(c) and (i >= len(heads) or is_none(heads[i]))
               for i, c in enumerate(below))


def _shifted(table: SheetTable) -> bool:
    """Whether a row below the header has a filled field beyond the header's last column: a separator inside a
    value shifted its cells (``rij_te_veel_velden``), which the careful scan reports row by row."""
    from opvangkern.reading.table import header_extent

    extent = header_extent(table.header)
    head = table.header.rij
    rows = table.grid.rows
    if max(map(len, map(_SECOND_ITEM, rows)), default=0) <= extent:
        return False
    return any(not is_none(c) for rij, cells in rows if rij > head for c in cells[extent:])


def _classify(table: SheetTable) -> tuple[list, list, list, list, list] | None:
    """The rows of a regular CSV table, classified without touching the table; ``None``: not regular.
    Column-wise first (``_classify_columns``); a table with a row it does not handle goes row by row
    (``_classify_rows``, also the oracle of the column-wise one in ``tests/test_fastscan.py``)."""
    if _COLUMNS[0]:
        found = _classify_columns(table)
        if found is not _UNUSUAL:
            return found
    return _classify_rows(table)


_COLUMNS = [True]
_UNUSUAL = object()
_REPEATS = [True]


@contextlib.contextmanager
def no_repeats() -> Iterator[None]:
    """Within the block ``_classify_columns`` looks every column up afresh, never taking the answer it gave for an
    equal column of an earlier file (for tests and comparisons)."""
    before = _REPEATS[0]
    _REPEATS[0] = False
    try:
        yield
    finally:
        _REPEATS[0] = before


@contextlib.contextmanager
def rows_only() -> Iterator[None]:
    """Within the block the fast path classifies row by row only (``_classify_rows``; for tests)."""
    before = _COLUMNS[0]
    _COLUMNS[0] = False
    try:
        yield
    finally:
        _COLUMNS[0] = before


def _classify_columns(table: SheetTable) -> tuple[list, list, list, list, list] | object | None:
    """``_classify_rows`` for the common table, column by column. Every distinct cell of the area columns,
    of the first column and of ``Peildatum`` is looked at once (the answers for area and first cells kept
    with the division, as weekly files repeat them); the plain data rows between the other rows are then
    taken in runs, and only the other rows one by one: blank rows (an empty line too), repeated headers,
    totals rows, and rows without a known area that are notes (no number beside them). A short row's missing
    cells are read as empty ones, as ``_classify_rows`` reads them. ``_UNUSUAL`` when the table holds any
    row ``_classify_rows`` would report or refuse (an unknown or missing area with numbers, two area cells
    that disagree, a municipality outside the division, a ``Peildatum`` that does not read, a first value
    right of a blank first cell, a header-like row that is not the header): ``_classify_rows`` decides then."""
    from opvangkern.reading.table import _TOTAL_PREFIXES, AREA_KEYS, TOTAL_WORDS, _is_note, _numberlike

    grid = table.grid
    if grid.kind != "csv" or grid.bad_rows or grid.bad_cells or grid.filled or table.waarden:
        return _UNUSUAL
    header = table.header
    positions = header.positions
    name_key, code_key = AREA_KEYS[table.level]
    area_positions = [positions[k] for k in (name_key, code_key) if k in positions]
    if not area_positions or len(area_positions) > 2:
        return _UNUSUAL
    numeric_positions = [positions[c.key] for c in table.layout.columns if c.numeric and c.key in positions]
    peil_pos = positions.get("peildatum")
    header_keys = [normalize_name(c) for c in header.cells]
    if not header_keys:
        return _UNUSUAL
    width = len(header_keys)
    first_key = header_keys[0]
    prefixes = _TOTAL_PREFIXES if table.level is AreaLevel.GEMEENTE else TOTAL_WORDS
    division = table.division
    resolve = division.resolve_gemeente if table.level is AreaLevel.GEMEENTE else division.resolve_region
    notes = getattr(division, "notes", None)
    head = header.rij
    rows = grid.rows
    if head < len(rows) and rows[head][0] == head + 1 and rows[-1][0] == len(rows):
        body = rows[head:]  # row numbers 1, 2, 3 …: the rows below the header are a slice
    else:
        body = [(rij, cells) for rij, cells in rows if rij > head]
    if not body:
        return _UNUSUAL
    cells_list = list(map(itemgetter(1), body))
    read = [*area_positions, *numeric_positions, *([] if peil_pos is None else [peil_pos]), 0]
    needed = max(read) + 1
    columns_of = cells_list
    if min(map(len, cells_list)) < needed:
        # a short row (an empty line, a note in one cell): the cells it lacks are read as empty ones, as
        # ``_classify_rows`` reads them (an empty cell and a missing one are both no area and no number)
        columns_of = list(cells_list)
        for i, cells in enumerate(cells_list):
            if len(cells) < needed:
                columns_of[i] = cells + ("",) * (needed - len(cells))

    def column(pos: int) -> list[Any]:
        return list(map(itemgetter(pos), columns_of))

    longest = getattr(grid, "longest", None)  # no cell of the grid is longer than its longest line
    if longest is None or longest > _MAX_NUMBER_TEXT:
        for pos in numeric_positions:  # a CSV grid holds text only
            if max(map(len, column(pos))) > _MAX_NUMBER_TEXT:
                return None

    area_of, totals_like = _memos(division, table.level)
    last = kept_with(division, "fastscan.last") if _REPEATS[0] else {}
    if len(last) > 256:
        last.clear()
    layout = (table.layout.name, tuple(header.cells))  # a slot per layout, by its header's exact text

    def fill(memo: dict[Any, Any], values: list[Any], compute: Any) -> None:
        missing = set(values).difference(memo)
        if missing:
            if len(memo) + len(missing) >= _MEMO_LIMIT:
                memo.clear()
                missing = set(values)
            for raw in missing:
                memo[raw] = compute(raw)

    def looked_up(role: Any, memo: dict[Any, Any], values: list[Any], compute: Any) -> list[Any]:
        # ``[memo[v] for v in values]``, ``compute`` filling the memo first. A column equal to the one last
        # asked in this role for this layout (weekly files repeat their 342 names, in one order; a history
        # interleaves its sources' files, so each layout has its own) gets the answer given for that one: the same memo's answers, as the memo is a function of the value. Compared in C (a CSV cell is a
        # ``str``), ~1/5 of hashing the column again (ninth session); the answer list is never changed.
        role = (role, layout)
        seen = last.get(role)
        if seen is not None and seen[0] == values:
            return seen[1]
        fill(memo, values, compute)
        found = list(map(memo.__getitem__, values))
        last[role] = (values, found)
        return found

    def area(raw: Any) -> Any:  # cell -> code, None (empty), _FAIL (unknown / ambiguous)
        if is_none(raw):
            return None
        try:
            return resolve(raw).code
        except (AreaNotFound, AmbiguousArea):
            return _FAIL

    def total_label(raw: Any) -> bool:
        return isinstance(raw, str) and (normalize_name(raw).startswith(prefixes) or table._bare_higher_area(raw))

    # the first cell of each row: blank (then the row must be blank), or not the header's first cell
    firsts = column(0)
    if _filter_head_in(firsts):
        return _UNUSUAL  # Power BI's filters under the table: the careful scan reads them (``_filter_line``)
    blanks = _blanks_memo(division)  # first cell -> is_none, kept with the division as the area cells are
    first_blank = looked_up("blank", blanks, firsts, is_none)
    heads = _heads_memo(division, first_key)  # first cell -> whether it is the header's first cell
    header_like = looked_up(("head", first_key), heads, firsts, lambda first: normalize_name(first) == first_key)
    if not any(header_like):
        header_like = None

    # the area of each row: the first area cell that holds one, and whether a later one disagrees
    level = table.level
    raws0 = column(area_positions[0])
    found0 = looked_up(("area", level, 0), area_of, raws0, area)
    if len(area_positions) == 2:
        raws1 = column(area_positions[1])
        found1 = looked_up(("area", level, 1), area_of, raws1, area)
    if len(area_positions) == 2 and None not in found0:
        # every row's first area cell holds one (known or not): it is the row's area and candidate, as below
        codes = found0
        candidates = raws0
        if found0 == found1:
            disagree = None  # no row whose area cells differ
        elif None not in found1:
            disagree = list(map(ne, found0, found1))
        else:
            disagree = [b is not None and a != b for a, b in zip(found0, found1)]
    elif len(area_positions) == 2:
        codes = [a if a is not None else b for a, b in zip(found0, found1)]
        candidates = [r0 if a is not None else (r1 if b is not None else f)
                      for r0, r1, a, b, f in zip(raws0, raws1, found0, found1, firsts)]
        disagree = [a is not None and b is not None and a != b for a, b in zip(found0, found1)]
    else:
        codes = found0
        candidates = raws0 if None not in found0 else [r0 if a is not None else f for r0, a, f in zip(raws0, found0, firsts)]
        disagree = None
    is_total = looked_up(("total", level), totals_like, candidates, total_label)

    peil_raws = column(peil_pos) if peil_pos is not None else None
    dates: dict[Any, Any] = {}
    if peil_raws is not None:
        for raw in set(peil_raws):
            if is_none(raw):
                dates[raw] = None
                continue
            try:
                dates[raw] = parse_date(raw)
            except ValueProblem:
                dates[raw] = _FAIL

    # the rows that are not data rows (blank, totals); every other row must be a plain data row
    rijs = list(map(itemgetter(0), body))
    if any(first_blank) or any(is_total) or None in codes or _FAIL in codes or header_like is not None:
        odd = [b or t or c is None or c is _FAIL for b, t, c in zip(first_blank, is_total, codes)]
        if header_like is not None:
            odd = [o or h for o, h in zip(odd, header_like)]
        special = [i for i, o in enumerate(odd) if o]
    else:
        special = []  # every row a plain data row
    if special:
        plain = [True] * len(body)
        for i in special:
            plain[i] = False
        codes_plain = list(compress(codes, plain))
        if None in codes_plain or _FAIL in codes_plain:
            return _UNUSUAL  # a row without a known area
    else:
        plain = None
        codes_plain = codes
    if disagree is not None and any(disagree if plain is None else compress(disagree, plain)):
        return _UNUSUAL  # two area cells that disagree
    if notes and any(map(notes.__contains__, codes_plain)):
        return _UNUSUAL  # a municipality outside the division
    # only the first row of each date: all that ``SheetTable._column_peildatum`` reads (the dates, each one's
    # first row, the first of all), not a tuple per row (eighth session)
    peil_values: list[tuple[int, Any, dt.date]] = []
    seen_dates: set[dt.date] = set()
    if peil_raws is not None:
        peil_dates = list(map(dates.__getitem__, peil_raws))
        if _FAIL in (peil_dates if plain is None else compress(peil_dates, plain)):
            return _UNUSUAL  # a Peildatum that does not read
        raws_plain, rijs_plain = (peil_raws, rijs) if plain is None else (list(compress(peil_raws, plain)),
                                                                          list(compress(rijs, plain)))
        first = dict(zip(reversed(raws_plain), reversed(rijs_plain)))  # each text's first row
        for raw in dict.fromkeys(raws_plain):  # the texts in the order of their first rows
            d = dates[raw]
            if d is not None and d not in seen_dates:
                seen_dates.add(d)
                peil_values.append((first[raw], raw, d))

    # the data rows as three columns (row number, cells, area code): what ``_commit`` gives the table, no
    # tuple per row to be split again (ninth session)
    data_rijs: list[int] = []
    data_cells: list[tuple[Any, ...]] = []
    data_codes: list[str] = []
    data = (data_rijs, data_cells, data_codes)
    totals: list[tuple[int, tuple[Any, ...], str]] = []
    segments: list[tuple[int, ...]] = []
    nonblank: list[int] = []
    segment: list[int] = []
    start = 0
    after_table = False  # a totals row or a note seen: a repeated header after it may start another table
    repeats: list[int] = []  # such repeated headers: how many data rows were above each
    breaks: list[int] = []  # every repeated header: how many data rows were above it
    odd = False  # the row above was blank or a note: a repeated header below it is the careful scan's
    for i in [*special, len(body)]:
        if start < i:  # plain data rows start .. i - 1
            odd = False
            run = rijs[start:i]
            data_rijs.extend(run)
            data_cells.extend(cells_list[start:i])
            data_codes.extend(codes[start:i])
            nonblank.extend(run)
            segment.extend(run)
        start = i + 1
        if i == len(body):
            break
        rij, cells = body[i]
        if first_blank[i]:
            if not all(map(is_none, cells)):
                return _UNUSUAL  # the first value further right: row by row
            odd = True
            continue  # a blank row
        nonblank.append(rij)
        after_odd, odd = odd, False
        if header_like is not None and header_like[i]:
            if len(cells) >= width and all(normalize_name(c) == k for c, k in zip(cells, header_keys)):
                if after_odd:
                    return _UNUSUAL  # after a blank row or a title: perhaps another table (``SheetTable._scan``)
                if after_table:
                    repeats.append(len(data_rijs))  # after a total or a note: another table if areas recur
                breaks.append(len(data_rijs))
                after_table = False
                continue  # the header repeated
            return _UNUSUAL
        if is_total[i]:
            totals.append((rij, cells, cell_text(candidates[i])))
            segments.append(tuple(segment))
            segment = []
            after_table = True
            continue
        if disagree is not None and disagree[i]:
            return _UNUSUAL  # two area cells that disagree
        # no area (None), or an unknown one (_FAIL): skipped when it is a note, else the careful scan's
        code, candidate = codes[i], candidates[i]
        if any(_numberlike(cells[pos] if pos < len(cells) else None) for pos in numeric_positions):
            return _UNUSUAL
        if code is None or (isinstance(candidate, str) and _is_note(candidate)):
            after_table = odd = True
            continue  # a note or a remark: skipped without a melding
        return _UNUSUAL
    if repeats and _areas_recur(data, repeats, breaks):
        return _UNUSUAL  # a second table under the first: the careful scan's fout
    return data, totals, segments, nonblank, peil_values


def _filter_head_in(firsts: list[Any]) -> bool:
    """Whether one of the first cells is Power BI's ``Toegepaste filters:`` line (``table.is_filter_head``), each
    distinct text that holds ``ilter`` asked once."""
    from opvangkern.reading.table import is_filter_head

    if _NO_FILTER_HEADS.issuperset(firsts):  # (issue 16: the weekly files repeat their first cells)
        return False
    distinct = set(firsts)
    if any(is_filter_head(f) for f in distinct if type(f) is str and "ilter" in f):
        return True
    if len(_NO_FILTER_HEADS) >= _MEMO_LIMIT:
        _NO_FILTER_HEADS.clear()
    _NO_FILTER_HEADS.update(distinct)
    return False


_NO_FILTER_HEADS: set = set()
"""First cells known to be no ``Toegepaste filters:`` line (``_filter_head_in``): a table's first column asked with
one set operation when every cell of it was seen before (fifteenth session)."""


def _areas_recur(data: tuple[list[int], list[tuple[Any, ...]], list[str]], repeats: list[int], breaks: list[int]) -> bool:
    """Whether a municipality of the data rows above one of the header's repeats (``repeats``: the number of
    data rows above each) is again among the rows below it, up to the next repeat (``breaks``: every repeat):
    ``SheetTable._scan``'s second table."""
    codes = data[2]
    for at in repeats:
        end = min((b for b in breaks if b > at), default=len(codes))
        if set(codes[:at]) & set(codes[at:end]):
            return True
    return False


def _classify_rows(table: SheetTable) -> tuple[list, list, list, list, list] | None:
    """The rows of a regular CSV table, classified row by row without touching the table; ``None``: not
    regular."""
    from opvangkern.reading.table import _TOTAL_PREFIXES, AREA_KEYS, TOTAL_WORDS, _is_note, _numberlike

    grid = table.grid
    if grid.kind != "csv" or grid.bad_rows or grid.bad_cells or grid.filled or table.waarden:
        return None
    header = table.header
    positions = header.positions
    name_key, code_key = AREA_KEYS[table.level]
    area_positions = [positions[k] for k in (name_key, code_key) if k in positions]
    if not area_positions:
        return None
    numeric_positions = [positions[c.key] for c in table.layout.columns if c.numeric and c.key in positions]
    peil_pos = positions.get("peildatum")
    header_keys = [normalize_name(c) for c in header.cells]
    width = len(header_keys)
    if not width:
        return None
    first_key = header_keys[0]
    prefixes = _TOTAL_PREFIXES if table.level is AreaLevel.GEMEENTE else TOTAL_WORDS
    division = table.division
    resolve = division.resolve_gemeente if table.level is AreaLevel.GEMEENTE else division.resolve_region
    notes = getattr(division, "notes", None)
    head = header.rij
    body = [(rij, cells) for rij, cells in grid.rows if rij > head]
    if _filter_head_in([cells[0] for _, cells in body if cells]):
        return None  # Power BI's filters under the table: the careful scan reads them (``_filter_line``)

    # --- per distinct value, kept with the division (weekly files repeat the same 342 names) -------------
    area_of, totals_like = _memos(division, table.level)

    def area(raw: Any) -> Any:  # cell -> code, None (empty), _FAIL (unknown / ambiguous)
        if is_none(raw):
            return None
        try:
            return resolve(raw).code
        except (AreaNotFound, AmbiguousArea):
            return _FAIL

    def total_label(raw: Any) -> bool:
        return isinstance(raw, str) and (normalize_name(raw).startswith(prefixes) or table._bare_higher_area(raw))

    for pos in numeric_positions:  # a CSV grid holds text only
        if max(map(len, [cells[pos] for _, cells in body if pos < len(cells)]), default=0) > _MAX_NUMBER_TEXT:
            return None
    heads: dict[Any, bool] = {}  # first cell -> whether it is the header's first cell
    none = _NONE_MEMO

    # --- per row -------------------------------------------------------------------------------------
    data_rijs: list[int] = []  # the data rows as three columns (row number, cells, area code)
    data_cells: list[tuple[Any, ...]] = []
    data_codes: list[str] = []
    data = (data_rijs, data_cells, data_codes)
    totals: list[tuple[int, tuple[Any, ...], str]] = []  # (rij, cells, label); their areas at the commit
    segments: list[tuple[int, ...]] = []
    nonblank: list[int] = []
    peil_values: list[tuple[int, Any, dt.date]] = []
    seen_dates: set[dt.date] = set()
    segment: list[int] = []
    after_table = False  # a totals row or a note seen: a repeated header after it may start another table
    repeats: list[int] = []  # such repeated headers: how many data rows were above each
    breaks: list[int] = []  # every repeated header: how many data rows were above it
    odd = False  # the row above was blank or a note: a repeated header below it is the careful scan's
    for rij, cells in body:
        n = len(cells)
        for first in cells:
            blank = none.get(first)
            if blank is None:
                blank = is_none(first)
            if not blank:
                break
        else:
            odd = True
            continue  # a blank row
        nonblank.append(rij)
        after_odd, odd = odd, False
        if n >= width:
            head = heads.get(cells[0])
            if head is None:
                head = heads[cells[0]] = normalize_name(cells[0]) == first_key
            if head and all(normalize_name(c) == k for c, k in zip(cells, header_keys)):
                if after_odd:
                    return None  # after a blank row or a title: perhaps another table (``SheetTable._scan``)
                if after_table:
                    repeats.append(len(data_rijs))  # after a total or a note: another table if areas recur
                breaks.append(len(data_rijs))
                after_table = False
                continue  # the header repeated
        candidate = first
        code = None
        disagree = False
        for pos in area_positions:
            raw = cells[pos] if pos < n else None
            try:
                found = area_of[raw]
            except KeyError:
                found = area(raw)
                if len(area_of) >= _MEMO_LIMIT:
                    area_of.clear()
                area_of[raw] = found
            if found is None:
                continue
            if code is None:
                candidate, code = raw, found
            elif found != code:
                disagree = True  # two area cells that disagree (or one unknown beside a known one)
        try:
            is_total = totals_like[candidate]
        except KeyError:
            is_total = total_label(candidate)
            if len(totals_like) >= _MEMO_LIMIT:
                totals_like.clear()
            totals_like[candidate] = is_total
        if is_total:
            totals.append((rij, cells, cell_text(candidate)))
            segments.append(tuple(segment))
            segment = []
            after_table = True
            continue
        if disagree:
            return None  # two area cells that disagree, or an unknown one beside a known one: a fout
        if code is None or code is _FAIL:
            has_values = any(_numberlike(cells[pos] if pos < n else None) for pos in numeric_positions)
            if code is None and not has_values:
                after_table = odd = True
                continue  # no area and no number (a note, a remark): skipped without a melding
            if code is _FAIL and not has_values and isinstance(candidate, str) and _is_note(candidate):
                after_table = odd = True
                continue  # a note under the table (``Bron: …``), naming no area: skipped without a melding
            return None  # an unknown area, or numbers without an area: the careful scan's meldingen
        if notes and code in notes:
            return None
        if peil_pos is not None and peil_pos < n:
            peil_raw = cells[peil_pos]
            if not is_none(peil_raw):
                try:
                    date = parse_date(peil_raw)
                except ValueProblem:
                    return None
                if date is not None and date not in seen_dates:
                    seen_dates.add(date)
                    peil_values.append((rij, peil_raw, date))  # the first row of each date, as column-wise
        data_rijs.append(rij)
        data_cells.append(cells)
        data_codes.append(code)
        segment.append(rij)
    if repeats and _areas_recur(data, repeats, breaks):
        return None  # a second table under the first: the careful scan's fout
    return data, totals, segments, nonblank, peil_values


def _commit(table: SheetTable, data: tuple[list, list, list], totals: list, segments: list, nonblank: list,
            peil_values: list) -> None:
    """What the careful scan does with those rows, in its order (no melding comes between the title's
    peildatum and the column's in a regular file)."""
    from opvangkern.reading.table import TotalsRow

    total_areas = _total_areas(table, totals)
    table._title_peildatum()
    table.nonblank.extend(nonblank)
    rijs, cells, codes = data
    if rijs:
        table._fast_cells = cells  # (the scan's own lists: nothing else holds them)
        table._fast_rijs, table._fast_codes = rijs, codes
        table._rows = None  # its ``_FastRow``s made when asked for (``SheetTable.rows``)
    else:
        table._fast_cells = []
    table.totals.extend([TotalsRow(rij, cells, label, gebied, seg)
                         for (rij, cells, label), gebied, seg in zip(totals, total_areas, segments)])
    table._column_peildatum(peil_values)
