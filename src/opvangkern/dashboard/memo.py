"""The area-independent work of a dashboard, done once per dataset and per peildatum limit (issue 16).

``build_dashboard`` of any area needs the same things first: each source's chosen peildatum
(``chosen_peildata``), the rows at those peildata (``current_rows``) and their sums per municipality,
every target line (agreements applied, and without them), the dataset's ``meldingen`` table, where the
dataset has data (the coverage check) and the history's row preparation (``verloop.prepare_history``).
With a five-year history these cost ~70–90 ms per call; 37 dashboards (every province and safety
region) would redo them 37 times. ``shared(dataset, limit)`` computes them once and keeps them on the
``Dataset`` object (its private ``_dashboard_memo``).

Never stale, never shared between datasets:

- the memo lives on one ``Dataset`` object (``attrs.evolve`` gives a new object an empty memo);
- every entry remembers the objects it was computed from (the ``realisaties``, ``opgaven`` and
  ``afspraken`` tables, the division, the manifest, the meldingen list and its length) and is dropped
  when any of them is another object than the dataset now holds (Arrow tables are immutable, so the same
  object means the same content);
- what is kept is never changed by a dashboard: the dashboard reads it and builds its own tables.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opvangkern.dataset.load import Dataset

__all__ = ["shared", "DatasetShared", "LimitShared"]

_MEMO_ATTRIBUTE = "_dashboard_memo"


class DatasetShared:
    """What every dashboard of a dataset uses, whatever its area and peildatum."""

    def __init__(self, dataset: Dataset, ahead: Any = None) -> None:
        """``ahead``: the columns the load started filling (``dashboard.columns.ColumnsAhead``), or ``None``."""
        from opvangkern import tables
        from opvangkern.dashboard.columns import RealisatieColumns
        from opvangkern.dashboard.compute import _target_lines
        from opvangkern.dashboard.coverage import _Territory
        from opvangkern.dashboard.lookup import legenda_table
        from opvangkern.dataset import agreements

        opgaven, afspraken = dataset.opgaven, dataset.afspraken
        targeted = set(zip(opgaven.column("opgave").to_pylist(), opgaven.column("gebied_code").to_pylist()))
        targeted |= agreements.receivers(afspraken)  # a receiving area without a target gets a line (SPEC §13)
        self.targeted: set[tuple[str, str]] = targeted
        self.targets = _target_lines(opgaven, afspraken) if targeted else None
        """The target lines with the agreements applied (``compute._target_lines``)."""
        with_agreements = afspraken.num_rows and self.targets is not None
        self.before = _target_lines(opgaven) if with_agreements else None
        """The lines without the agreements (only when there are agreements)."""
        self.touched = agreements.touched(afspraken) if with_agreements else set()
        self.meldingen = tables.meldingen_table(dataset.melding_list)
        """The dataset's own meldingen as a table (a dashboard adds its coverage warnings)."""
        taken = None if ahead is None else ahead.take(dataset.realisaties)
        self.columns = RealisatieColumns(dataset.realisaties) if taken is None else taken
        self.ahead = None if taken is None else ahead
        """The load's ``ColumnsAhead`` whose columns these are (its prepared history for the first limit asked)."""
        """The ``realisaties`` columns combined and encoded once, for every step below and every limit
        (``dashboard.columns``, issue 16)."""
        self.territory = _Territory(dataset, columns=self.columns)
        self.tasks_with_data = {t for t, _ in self.territory.targeted} | self.columns.distinct("opgave")
        self.legenda = legenda_table()
        self.limits: dict[dt.date | None, LimitShared] = {}
        self._realisaties: Any = None
        self._pending: _Pending | None = None

    def realisaties(self) -> tuple[Any, dict]:
        """The dataset's ``realisaties`` as one chunk per column, from the columns the steps above combined
        (``columns``; the others combined now), and ``{column: (array, its dictionary encoding)}`` for the
        text columns the steps encoded: what a dashboard hands on as its ``realisaties`` and its Parquet
        hints (``writers.parquet_bytes``; issue 16, eighth session: the writer combined the 1,040 chunks of a
        five-year history again and hashed every row of these columns again). The same table (equal values,
        schema and metadata), kept for every dashboard of the dataset. When :meth:`realisaties_in_background`
        is building it, the answer is that thread's (waited for here)."""
        if self._realisaties is None and self._pending is not None:
            pending, self._pending = self._pending, None
            self._realisaties = pending.wait()  # None when the helper failed: then made here, as before
        if self._realisaties is None:
            self._realisaties = _whole_realisaties(*self._made_so_far())
        return self._realisaties

    def realisaties_in_background(self, then) -> bool:
        """Build :meth:`realisaties` in a helper thread (issue 16, perf9b: combining ``bestand``, ``blad`` and
        ``rij``, ~20 MB at 260 weeks, then encoding the table, while this thread computes the history), then
        call ``then(result)`` in that thread (``None`` when it failed: :meth:`realisaties` then makes it here,
        and raises here what it raises). The helper only reads what this thread made before it started
        (taken here, now) and the dataset's immutable table. False (and nothing started) when the table is
        made or under way already."""
        if self._realisaties is not None or self._pending is not None:
            return False
        self._pending = _Pending(self._made_so_far(), then)
        return True

    def _made_so_far(self) -> tuple:
        """The table, the columns combined so far and the encodings made so far (in the calling thread)."""
        table = self.columns.table
        combined = {name: self.columns.combined(name) for name in self.columns.combined_names()}
        return table, combined, {name: self.columns.encoded(name) for name in self.columns.encoded_names()}


def _whole_realisaties(table, combined: dict, encoded: dict) -> tuple[Any, dict]:
    """``DatasetShared.realisaties``' answer from the columns combined so far (the others combined now)."""
    import pyarrow as pa

    whole = pa.Table.from_arrays([combined[name] if name in combined else table.column(name).combine_chunks()
                                  for name in table.column_names], schema=table.schema)
    hints = {name: (whole.column(name).chunk(0), encoding) for name, encoding in encoded.items()
             if whole.column(name).num_chunks == 1}
    return whole, hints


class _Pending:
    """``_whole_realisaties`` in a daemon thread; ``wait`` gives its result as soon as it is made (before
    ``then``, the encoding, has run) or ``None`` when it failed."""

    def __init__(self, made: tuple, then) -> None:
        import threading

        self._ready = threading.Event()
        self._result: Any = None

        def run() -> None:
            try:
                self._result = _whole_realisaties(*made)
            except BaseException:  # noqa: BLE001 - made again (and raised) in the calling thread
                self._result = None
            finally:
                self._ready.set()
            then(self._result)

        try:
            threading.Thread(target=run, name="opvangkern-realisaties", daemon=True).start()
        except RuntimeError:  # no thread to be had: made when asked, and the encoding told so
            self._ready.set()
            then(None)

    def wait(self) -> Any:
        self._ready.wait()
        return self._result


class LimitShared:
    """What every dashboard of a dataset uses for one peildatum limit (``None``: the latest files)."""

    def __init__(self, dataset: Dataset, limit: dt.date | None, columns: Any = None, ahead: Any = None) -> None:
        """``columns``: the dataset's ``DatasetShared.columns`` (made here when not given); ``ahead``: the
        load's ``dashboard.columns.ColumnsAhead``, whose prepared history serves when it is this one's."""
        from opvangkern.dashboard.columns import RealisatieColumns
        from opvangkern.dashboard.compute import (_sources_per_municipality, chosen_peildata, current_rows,
                                                  realised_per_municipality, task_peildata)

        self.limit = limit
        self.columns = RealisatieColumns(dataset.realisaties) if columns is None else columns
        self.peildata = chosen_peildata(dataset.realisaties, limit, columns=self.columns)
        self.current = current_rows(dataset.realisaties, self.peildata, columns=self.columns)
        self.realised = realised_per_municipality(self.current, dataset.manifest.asiel_categorieen)
        self.task_peildata = task_peildata(self.current, self.peildata)
        self.sources = _sources_per_municipality(self.current)
        self._history: Any = None
        self._ahead = ahead
        self._dataset_realisaties = dataset.realisaties
        self._asiel = tuple(dataset.manifest.asiel_categorieen)

    def history(self) -> Any:
        """The history's row preparation for this limit (``verloop.prepare_history``), built when first asked."""
        if self._history is None and self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            self._history = ahead.history(self._dataset_realisaties, self._asiel, self.limit, self.columns)
        if self._history is None:
            from opvangkern.dashboard.verloop import prepare_history

            self._history = prepare_history(self._dataset_realisaties, self._asiel, limit=self.limit,
                                            columns=self.columns)
        return self._history


def _sources_of(dataset: Any) -> tuple:
    """The objects a memo entry is computed from (compared by identity), and the meldingen count."""
    meldingen = dataset.melding_list
    return (dataset.realisaties, dataset.opgaven, dataset.afspraken, dataset.division, dataset.manifest, meldingen,
            len(meldingen), tuple(dataset.manifest.asiel_categorieen))


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y or (type(x) in (int, tuple) and x == y) for x, y in zip(a, b))


def shared(dataset: Any, limit: dt.date | None) -> tuple[DatasetShared, LimitShared]:
    """The memoised area-independent work of ``dataset`` (for ``limit``); computed now when missing or when
    the dataset holds other tables than it was computed from. An object without a memo slot (a stand-in
    for a ``Dataset``) gets freshly computed work every call."""
    memo = getattr(dataset, _MEMO_ATTRIBUTE, None)
    if not isinstance(memo, dict):
        whole = DatasetShared(dataset)
        return whole, LimitShared(dataset, limit, whole.columns)
    sources = _sources_of(dataset)
    entry = memo.get("entry")
    if entry is None or not _same(entry[0], sources):
        ahead = memo.pop(_AHEAD_KEY, None)
        memo.clear()
        entry = (sources, DatasetShared(dataset, ahead=ahead))
        memo["entry"] = entry
    whole: DatasetShared = entry[1]
    if limit not in whole.limits:
        if len(whole.limits) >= _MAX_LIMITS:  # a loop over many peildata: keep the memory bounded
            del whole.limits[next(iter(whole.limits))]
        ahead, whole.ahead = whole.ahead, None  # (offered to the first limit only: it holds one history)
        whole.limits[limit] = LimitShared(dataset, limit, whole.columns, ahead)
    return whole, whole.limits[limit]


def keep_ahead(dataset: Any, ahead: Any) -> None:
    """Keep ``ahead`` (``dashboard.columns.ColumnsAhead``, started by the load) for the dataset's first
    ``DatasetShared``, which takes its columns when they are those of the dataset's ``realisaties``."""
    memo = getattr(dataset, _MEMO_ATTRIBUTE, None)
    if isinstance(memo, dict):
        memo[_AHEAD_KEY] = ahead


_AHEAD_KEY = "columns_ahead"

_MAX_LIMITS = 16
"""Peildatum limits kept per dataset (the oldest asked goes first)."""
