"""What an adapter's own loop can take column-wise from a table the fast scan read (issue 16).

A table that ``fastscan`` read (a regular CSV file) already holds, per column key, what ``Row.text`` and
``Row.value`` give for each data row, parsed once per distinct text (``SheetTable._fast_texts`` /
``_fast_values``). An adapter that loops over the rows only to ask each row for a cell, and then calls
``b.add`` once per row, spends most of its time on the calls themselves. These helpers hand such an adapter
the whole column at once, and let it add its rows in one go, for the case where nothing in its loop would
make a melding; the adapter keeps its row-by-row loop for every other case (and as the oracle of its
column-wise one: ``plugins/coa/tests/test_coa_loops.py``, ``plugins/tvs/tests/test_tvs_loops.py``).

Every helper answers ``None`` for a table that the careful scan read (a workbook, an irregular file,
``fastscan.careful()``): the adapter then takes its row-by-row loop. None of them makes a melding or changes
what the table records (``used``, ``bad``): an adapter calls the row's own method for the first cell it
reads (so that the table records what it records for it) and for every cell that is not plain.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from opvangkern.reading.builder import RealisatieBuilder
from opvangkern.reading.table import SheetTable

__all__ = ["is_fast", "kinds", "raw_column", "text_column", "value_column", "add_rows"]


def is_fast(table: SheetTable) -> bool:
    """Whether ``table`` was read by the fast scan and its rows are still the scan's, in order (row ``i``
    is the ``i``-th of the table's columns; an adapter that added, dropped or moved rows has changed that):
    the table's own check, the one its column calls (``SheetTable.counts``, ``texts``) make too."""
    return table._fast_aligned()


def kinds(values: list[Any]) -> set[type]:
    """The types of ``values`` (``value_column``'s): ``kinds(column) <= {int, type(None)}`` when every cell
    is a plain count or empty."""
    return set(map(type, values))


def raw_column(table: SheetTable, key: str) -> list[Any] | None:
    """Per data row, ``row.raw(key)`` (``None``: not a fast-read table)."""
    if not is_fast(table):
        return None
    column = table._fast_raws.get(key)
    return table._fast_raw_column(key) if column is None else column


def text_column(table: SheetTable, key: str) -> list[str] | None:
    """Per data row, ``row.text(key)`` (``None``: not a fast-read table)."""
    if not is_fast(table):
        return None
    column = table._fast_texts.get(key)
    return table._fast_text_column(key) if column is None else column


def value_column(table: SheetTable, key: str) -> list[Any] | None:
    """Per data row, what ``row.value(key)`` (``count``, ``signed``, …) gives where it makes no melding; a cell
    where it would make one (or raise) holds something of another type, never ``None``, a number or a date:
    ``kinds`` tells whether there is one. ``None``: not a fast-read table, or ``key`` is no numeric or date
    column (a text column's ``value`` is recorded per row). ``KeyError`` for a key the layout does not know,
    as the row's. The list is the table's own: do not change it.

    A plain cell's value is what the row gives once the table has recorded the column as read: ask the row
    itself (``row.value(key)``) for the first cell the loop reads, then this column for the others."""
    if not is_fast(table):
        return None
    spec = table._specs.get(key)
    if spec is None:
        spec = table._spec(key)
    if spec[1] is None:
        return None
    column = table._fast_values.get(key)
    return table._fast_value_column(key) if column is None else column


def add_rows(b: RealisatieBuilder, rows: Iterable[tuple[str, str | None, str | None, int, str | None, int]]) -> None:
    """``b.add`` for many rows at once: each ``(opgave, categorie, gemeentecode, aantal, blad, rij)``, with
    ``aantal`` an ``int`` (``type(aantal) is int``; a row without a count is left out by the caller, as
    ``b.add`` leaves it out). Anything else raises ``ValueError`` before a row is added."""
    rows = list(rows)
    if rows and set(map(type, map(_AANTAL, rows))) != {int}:
        wrong = next(row[3] for row in rows if type(row[3]) is not int)
        raise ValueError(f"aantal must be an int, got {wrong!r}")
    b._rows.extend(rows)


_AANTAL = itemgetter(3)
