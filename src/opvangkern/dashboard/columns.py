"""The columns of a dataset's ``realisaties`` table, each combined and encoded once (issue 16).

A history's ``realisaties`` has one chunk per file (1,040 at 260 weeks). The first dashboard of a dataset
asked the same things of the same columns several times: ``chosen_peildata``, ``current_rows`` and the
history's preparation (``verloop.PreparedHistory``) each combined ``bron`` and ``peildatum`` and
dictionary-encoded ``bron`` (~10 ms each time at 260 weeks); the coverage check asked ``pc.unique`` of
``opgave`` twice and of ``gemeentecode`` once, and the preparation encoded ``gemeentecode`` and looked
every ``opgave`` up again. :class:`RealisatieColumns` makes each of these once per table and keeps it; the
dashboard's memo (``dashboard.memo``) holds one per dataset and hands it to every step. Each answer is the
one the step computed for itself (``tests/test_dashboard_columns.py`` compares them with the Arrow kernels
they stand for), so nothing a dashboard shows changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

__all__ = ["RealisatieColumns", "ColumnsAhead"]

_NO_DAY = -(1 << 31)
"""The day number given to a row without a peildatum (it never passes a test for a real day)."""


class RealisatieColumns:
    """Per column of one table: the column as one chunk (``combined``), its dictionary encoding
    (``encoded``, ``codes``), its distinct values (``distinct``) and each row's position in a list of values
    (``positions_in``); for ``peildatum`` its day numbers (``days``). Each made when first asked, then kept.
    Arrow arrays are immutable, so what is kept never goes stale for the same table object."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self._kept: dict[tuple, Any] = {}

    def _memo(self, key: tuple, make):
        try:
            return self._kept[key]
        except KeyError:
            value = self._kept[key] = _read_only(make())
            return value

    def combined(self, name: str) -> pa.Array:
        """``table.column(name).combine_chunks()``."""
        return self._memo(("combined", name), lambda: self.table.column(name).combine_chunks())

    def encoded(self, name: str) -> pa.DictionaryArray:
        """``combined(name).dictionary_encode()`` (nulls stay nulls in the indices; the dictionary holds each
        distinct value once, in the order of its first row)."""
        return self._memo(("encoded", name), lambda: self.combined(name).dictionary_encode())

    def combined_names(self) -> list[str]:
        """The columns whose ``combined`` is made (and kept) so far."""
        return [key[1] for key in list(self._kept) if key[0] == "combined"]  # (a copy: a helper may add)

    def encoded_names(self) -> list[str]:
        """The columns whose ``encoded`` is made (and kept) so far."""
        return [key[1] for key in list(self._kept) if key[0] == "encoded"]

    def codes(self, name: str):
        """Each row's index into ``encoded(name).dictionary`` as ``int64``, ``-1`` for a null."""
        import numpy as np

        def make():
            indices = self.encoded(name).indices
            return (indices.fill_null(-1) if indices.null_count else indices).to_numpy().astype(np.int64)

        return self._memo(("codes", name), make)

    def distinct(self, name: str) -> set:
        """``set(pc.unique(table.column(name)).to_pylist())``: the dictionary's values, and ``None`` when the
        column has a null."""
        def make():
            encoded = self.encoded(name)
            values = set(encoded.dictionary.to_pylist())
            if encoded.null_count:
                values.add(None)
            return frozenset(values)

        return set(self._memo(("distinct", name), make))

    def positions_in(self, name: str, values: Sequence[str]):
        """``pc.index_in(combined(name), value_set=pa.array(values)).fill_null(-1)`` as ``int64``: each row's
        position in ``values`` (the first, for a value listed twice), ``-1`` for a value not in it or a null.
        Looked up once per distinct value (``encoded``), not per row."""
        import numpy as np
        import pyarrow.compute as pc

        def make():
            dictionary = self.encoded(name).dictionary
            found = pc.index_in(dictionary, value_set=pa.array(list(values), dictionary.type)).fill_null(-1)
            position = np.append(found.to_numpy(zero_copy_only=False).astype(np.int64), -1)  # -1 picks the pad
            return position[self.codes(name)]

        return self._memo(("positions_in", name, tuple(values)), make)

    def days(self, name: str = "peildatum"):
        """``(days, valid)`` of a date column: each row's day number since 1970 as ``int32`` (``-2**31`` for
        a null) and whether it has a date."""
        def make():
            column = self.combined(name)
            days = column.view(pa.int32()).fill_null(_NO_DAY).to_numpy(zero_copy_only=False)
            return days, column.is_valid().to_numpy(zero_copy_only=False)

        return self._memo(("days", name), make)


class ColumnsAhead:
    """:class:`RealisatieColumns` of one table, filled in a helper thread (issue 16, twelfth session): the
    command that will draw a dashboard starts it as soon as a history's files are read, so that the columns'
    combining and encoding (Arrow's C++ code, the GIL released; ~40-80 ms at five years of weekly files) run on
    the second core while this thread does the load's checks across files (Python), which need none of them.
    Then, with ``asiel_categories`` given, the same thread prepares the history for the latest files
    (``verloop.PreparedHistory`` with no peildatum limit, and its keyed as-of table: NumPy, most of it without
    the GIL too). The answers are the ones each step would make for itself (the same methods, on the same table
    object); the dashboard takes them only for that very table (``take``) and those categories (``history``)."""

    COMBINED = ("bron", "peildatum", "gemeentecode", "opgave", "categorie", "aantal")
    ENCODED = ("gemeentecode", "opgave", "bron", "categorie")
    DISTINCT = ("gemeentecode", "opgave")
    """What the dashboard's memo, the history's preparation and the Parquet hints ask of every history (the same
    columns, so the hints are those of a dashboard without this). After these the history's preparation adds
    only its own entries (``positions_in``), which nothing else asks for."""

    def __init__(self, table: pa.Table, asiel_categories: Sequence[str] | None = None) -> None:
        import threading

        self.table = table
        self.columns = RealisatieColumns(table)
        self.asiel_categories = None if asiel_categories is None else tuple(asiel_categories)
        self._failed = False
        self._prepared: Any = None
        self._columns_done = threading.Event()
        self._thread = threading.Thread(target=self._fill, name="opvangkern-kolommen", daemon=True)
        self._thread.start()  # a RuntimeError (no thread to be had): the caller goes on without

    def _fill(self) -> None:
        try:
            try:
                for name in self.COMBINED:
                    self.columns.combined(name)
                for name in self.ENCODED:
                    self.columns.codes(name)
                for name in self.DISTINCT:
                    self.columns.distinct(name)
                self.columns.days()
                if self.asiel_categories is not None:
                    # the history's look-ups too, so that preparing it below adds no entry while the dashboard
                    # reads the columns (``verloop.PreparedHistory._prepare`` asks exactly these)
                    from opvangkern.model import TASKS

                    self.columns.positions_in("opgave", [t.key for t in TASKS])
                    for task in TASKS:
                        if task.categories:
                            kinds = self.asiel_categories if task.key == "asiel" else task.categories
                            self.columns.positions_in("categorie", tuple(kinds))
            except BaseException:  # noqa: BLE001 - the dashboard makes them itself (and raises there what it raises)
                self._failed = True
                return
            finally:
                self._columns_done.set()
            if self.asiel_categories is not None:
                from opvangkern.dashboard.verloop import prepare_history

                prepared = prepare_history(self.table, self.asiel_categories, limit=None, columns=self.columns)
                prepared.keyed()
                self._prepared = prepared
        except BaseException:  # noqa: BLE001 - the history is prepared when asked, as without this
            self._prepared = None

    def take(self, table: pa.Table) -> RealisatieColumns | None:
        """The filled columns when they are ``table``'s (this very object), waited for; else ``None``."""
        if table is not self.table:
            return None
        self._columns_done.wait()
        return None if self._failed else self.columns

    def history(self, table: pa.Table, asiel_categories: Sequence[str], limit: Any, columns: Any) -> Any:
        """The prepared history (``verloop.prepare_history(table, asiel_categories, limit=None,
        columns=columns)``, its keyed table built) when it was made of these very arguments, waited for;
        else ``None``."""
        if (table is not self.table or limit is not None or columns is not self.columns
                or self.asiel_categories != tuple(asiel_categories)):
            return None
        self._thread.join()
        return self._prepared


def _read_only(value):
    """What is kept is shared by every step that asks: its NumPy arrays are made read-only, so that no step
    can change what another sees."""
    import numpy as np

    for array in value if isinstance(value, tuple) else (value,):
        if isinstance(array, np.ndarray):
            array.setflags(write=False)
    return value
