"""The dashboard over time ([Verloop en prognose](verloop-en-prognose.md)): ``verloop`` (every card at every peildatum) and ``prognose``.

Like ``dashboard/compute.py`` this module only gathers: which realisation rows count for which card row, and
at which peildata. The figures come from one engine call each over all (card row, peildatum) pairs:
``engine.as_of_sums`` for the realisations (each source at its latest file on or before the day),
``engine.evaluate`` for the schedule on the card's own target line, then ``engine.status`` & co., and
``engine.previous_peildatum`` + ``engine.pace`` for the prognose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from opvangkern import tables
from opvangkern.model import TASKS

if TYPE_CHECKING:
    from opvangkern import engine
    from opvangkern.dashboard.columns import RealisatieColumns
    from opvangkern.dashboard.compute import _CardRow
    from opvangkern.engine.history import KeyedAsOf

_EPOCH = dt.date(1970, 1, 1)


def check_venster(venster: object) -> None:
    """``venster`` is a whole number of days, 0 or more; else a ``UsageError`` (wrong use)."""
    from opvangkern.errors import UsageError

    if isinstance(venster, bool) or not isinstance(venster, int) or venster < 0:
        raise UsageError(f"venster moet een geheel aantal dagen zijn (0 of meer), niet {venster!r}")


def history_tables(realisaties: pa.Table, rows: Sequence[_CardRow], targets, kaarten: pa.Table,
                   asiel_categories: Sequence[str], *, limit: dt.date | None, op_schema: float,
                   licht_achter: float, venster: int, prepared=None,
                   lines: engine.Lines | None = None,
                   verloop_made: Callable[[pa.Table], None] | None = None) -> tuple[pa.Table, pa.Table]:
    """``verloop`` and ``prognose`` of a dashboard, on the same target lines as its ``kaarten``
    (``targets`` is ``dashboard._target_lines``' result, built once per dashboard). ``prepared``: a
    callable giving :func:`prepare_history`'s result for these arguments (memoised per dataset).
    ``lines``: ``compute._member_lines(targets, rows)``, when the caller made them for its cards.
    ``verloop_made``: called with ``verloop`` as soon as it is built, before ``prognose`` is (the command
    starts its encoding then; only when there is a history to build)."""
    if not rows or targets is None:
        return tables.empty(tables.VERLOOP), tables.empty(tables.PROGNOSE)
    from opvangkern.dashboard.compute import _member_lines

    if lines is None:
        lines = _member_lines(targets, rows)
    verloop, verloop_row = build_verloop(realisaties, rows, lines, asiel_categories, limit=limit,
                                         op_schema=op_schema, licht_achter=licht_achter,
                                         prepared=None if prepared is None else prepared())
    if verloop_made is not None:
        verloop_made(verloop)
    return verloop, build_prognose(kaarten, verloop, verloop_row, lines, venster=venster)


class PreparedHistory:
    """The area-independent part of :func:`build_verloop` for one ``realisaties`` table, asylum category
    choice and peildatum limit: the rows' columns, which rows count for their task, the distinct files and
    (task, peildatum) pairs, and each row's municipality as an index into the table's sorted codes. Built
    once per dataset and limit (``dashboard.memo``); each area then only selects its rows."""

    def __init__(self, realisaties: pa.Table, asiel_categories: Sequence[str], limit: dt.date | None,
                 columns: RealisatieColumns | None = None) -> None:
        """``columns``: the table's combined and encoded columns when the caller keeps them
        (``dashboard.columns``: the dashboard's memo shares them between its steps and limits)."""
        self.empty = realisaties.num_rows == 0
        self._files = None
        self._keyed: KeyedAsOf | None = None
        self._keyed_built = False
        if self.empty:
            return
        if _PREPARE_BY_CALENDAR:
            from opvangkern.dashboard.columns import RealisatieColumns

            self._prepare(realisaties, asiel_categories, limit,
                          RealisatieColumns(realisaties) if columns is None else columns)
        else:
            self._prepare_reference(realisaties, asiel_categories, limit)

    def _prepare(self, realisaties: pa.Table, asiel_categories: Sequence[str], limit: dt.date | None,
                 columns: RealisatieColumns) -> None:
        """The attributes of :meth:`_prepare_reference` with less work per row (issue 16): the sources and
        the municipalities dictionary-encoded once each (``columns``, shared with the dashboard's other
        steps), every task looked up once per distinct text, the distinct files and (task, day) pairs marked
        in a (code × day) table instead of sorting a key per row. Where the days span too many (source × day)
        cells, the reference makes them."""
        import numpy as np

        bron = columns.combined("bron")
        peil = columns.combined("peildatum")
        days, valid = columns.days()
        dated = valid & bron.is_valid().to_numpy(zero_copy_only=False)
        if limit is not None:
            dated &= days <= (limit - _EPOCH).days
        file_rows = np.flatnonzero(dated)
        every = len(file_rows) == len(days)  # (a history: every row makes a file; no gathers by the mask then)
        file_days = (days if every else days[file_rows]).astype(np.int64)
        low = int(file_days.min()) if len(file_rows) else 0
        span = int(file_days.max()) - low + 1 if len(file_rows) else 1
        task_keys = [t.key for t in TASKS]
        if len(task_keys) * span > _PREPARE_CELLS:
            self._prepare_reference(realisaties, asiel_categories, limit)
            return
        self.bron_encoded = columns.encoded("bron")
        code = columns.codes("bron")
        # The sources in the order of their first dated row (as dictionary-encoding the dated rows numbers them).
        dated_code = code if every else code[file_rows]
        n_codes = len(self.bron_encoded.dictionary)
        first = np.full(n_codes, len(file_rows), np.int64)
        for value in range(n_codes):
            hit = dated_code == value
            if hit.any():
                first[value] = int(np.argmax(hit))
        order = np.argsort(first, kind="stable")[: int(np.count_nonzero(first < len(file_rows)))]
        local = np.full(n_codes, -1, np.int64)
        local[order] = np.arange(len(order))
        source_code = local[dated_code]
        n_sources = len(order)
        if n_sources * span > _PREPARE_CELLS:
            self._prepare_reference(realisaties, asiel_categories, limit)
            return
        # The files there are: every (source, peildatum) with a row, as chosen_peildata sees them.
        present = np.zeros(max(n_sources * span, 1), bool)
        cell = source_code * span + (file_days - low)
        present[cell] = True
        marked = np.flatnonzero(present)
        file_source, file_day = marked // span, marked % span + low
        pair = np.sort((file_source << 32) + (file_day & 0xFFFFFFFF))  # the reference's key order
        dictionary = self.bron_encoded.dictionary.take(tables.from_numpy(order, pa.int64()))
        self.file_bron = dictionary.take(tables.from_numpy(pair >> 32, pa.int64()))
        self.file_peil = tables.from_numpy((pair & 0xFFFFFFFF).astype(np.uint32).astype(np.int32),
                                           pa.int32()).view(pa.date32())
        # For ``keyed``: the files in (source, day) order and each dated row's file.
        number = np.cumsum(present) - 1
        if every:
            row_file = number[cell]
        else:
            row_file = np.full(len(days), -1, np.int64)
            row_file[file_rows] = number[cell]
        self._files = (file_source, file_day, row_file)
        self.task_keys = task_keys
        task_of_row = columns.positions_in("opgave", task_keys)
        with_task = np.flatnonzero(dated & (task_of_row >= 0))
        # Distinct (task, day) pairs, marked: ``task << 32 | day`` ascends as (task, day) does.
        seen = np.zeros(len(task_keys) * span, bool)
        if len(with_task) == len(days):
            seen[task_of_row * span + (days.astype(np.int64) - low)] = True
        else:
            seen[task_of_row[with_task] * span + (days[with_task].astype(np.int64) - low)] = True
        marked = np.flatnonzero(seen)
        self.pair_key = ((marked // span) << 32) + (marked % span + low)
        # Which rows count: a task with categories counts its counted categories; one without, rows without.
        # Each category looked up once in the column's dictionary (issue 16, eighth session: ``is_in`` hashed
        # every row; the encoding is also the Parquet writer's, ``DatasetShared.realisaties``).
        counted = np.zeros(len(days), bool)
        without = columns.codes("categorie") < 0  # a null categorie (codes: -1 for a null)
        plain = np.zeros(len(TASKS) + 1, bool)  # the tasks without categories; the last cell: no task (-1)
        for index, task in enumerate(TASKS):
            if task.categories:
                kinds = asiel_categories if task.key == "asiel" else task.categories
                inside = columns.positions_in("categorie", tuple(kinds)) >= 0
                counted |= (task_of_row == index) & inside
            else:
                plain[index] = True
        counted |= plain[task_of_row] & without  # every task without categories at once
        counted &= dated
        # Each row's municipality as an index into the sorted distinct codes (-1: none): one encoding.
        values = columns.encoded("gemeentecode").dictionary.to_pylist()
        codes = sorted(values)
        self.codes = codes
        self.code_index = {c: i for i, c in enumerate(codes)}
        rank = np.append(np.asarray([self.code_index[v] for v in values], np.int64), -1)  # -1 selects the pad
        gm = rank[columns.codes("gemeentecode")]
        self.counted = counted & (gm >= 0)
        self.gm_of_row = gm
        self.task_of_row = task_of_row.astype(np.int64)
        self.bron, self.peil = bron, peil
        self.aantal = columns.combined("aantal")
        self._days, self._dated = days, dated

    def _prepare_reference(self, realisaties: pa.Table, asiel_categories: Sequence[str],
                           limit: dt.date | None) -> None:
        """The attributes as they were made before issue 16's last round (the oracle of :meth:`_prepare`)."""
        import numpy as np
        import pyarrow.compute as pc

        bron = realisaties.column("bron").combine_chunks()
        opgave = realisaties.column("opgave").combine_chunks()
        categorie = realisaties.column("categorie").combine_chunks()
        gemeente = realisaties.column("gemeentecode").combine_chunks()
        peil = realisaties.column("peildatum").combine_chunks()
        days = peil.view(pa.int32()).fill_null(-(1 << 31)).to_numpy(zero_copy_only=False)
        dated = peil.is_valid().to_numpy(zero_copy_only=False) & bron.is_valid().to_numpy(zero_copy_only=False)
        if limit is not None:
            dated &= days <= (limit - _EPOCH).days
        # The files there are: every (source, peildatum) with a row, as chosen_peildata sees them (distinct:
        # the engine only asks which files there are).
        file_rows = np.flatnonzero(dated)
        file_key = pc.dictionary_encode(bron.take(tables.from_numpy(file_rows, pa.int64())))
        source_code = file_key.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        pair = np.unique((source_code << 32) + (days[file_rows].astype(np.int64) & 0xFFFFFFFF)) if len(file_rows) \
            else np.zeros(0, np.int64)
        self.file_bron = file_key.dictionary.take(tables.from_numpy(pair >> 32, pa.int64()))
        self.file_peil = tables.from_numpy((pair & 0xFFFFFFFF).astype(np.uint32).astype(np.int32),
                                           pa.int32()).view(pa.date32())
        task_keys = [t.key for t in TASKS]
        self.task_keys = task_keys
        task_of_row = pc.index_in(opgave, value_set=pa.array(task_keys)).fill_null(-1).to_numpy(zero_copy_only=False)
        with_task = dated & (task_of_row >= 0)
        # Distinct (task, day) pairs by one sort (np.unique on ints hashes: slower here).
        pair_key = np.sort((task_of_row[with_task].astype(np.int64) << 32) + days[with_task].astype(np.int64))
        distinct = np.ones(len(pair_key), bool)
        np.not_equal(pair_key[1:], pair_key[:-1], out=distinct[1:])
        self.pair_key = pair_key[distinct]
        # Which rows count: a task with categories counts its counted categories; one without, rows without.
        counted = np.zeros(len(days), bool)
        for index, task in enumerate(TASKS):
            of_task = task_of_row == index
            if task.categories:
                kinds = asiel_categories if task.key == "asiel" else task.categories
                inside = pc.is_in(categorie, value_set=pa.array(list(kinds), pa.string())).fill_null(False)
                counted |= of_task & inside.to_numpy(zero_copy_only=False)
            else:
                counted |= of_task & categorie.is_null().to_numpy(zero_copy_only=False)
        counted &= dated
        # Each row's municipality as an index into the sorted distinct codes (-1: none).
        codes = pc.unique(gemeente).drop_null().to_pylist()
        codes.sort()
        self.codes = codes
        self.code_index = {code: i for i, code in enumerate(codes)}
        gm = pc.index_in(gemeente, value_set=pa.array(codes, pa.string())).fill_null(-1).to_numpy(zero_copy_only=False)
        self.counted = counted & (gm >= 0)
        self.gm_of_row = gm.astype(np.int64)
        self.task_of_row = task_of_row.astype(np.int64)
        self.bron, self.peil = bron, peil
        # The sources dictionary-encoded once: an area's rows are then taken as indices, and
        # ``engine.as_of_sums`` codes them by the dictionary instead of hashing every row (issue 16).
        self.bron_encoded = bron.dictionary_encode()
        self.aantal = realisaties.column("aantal").combine_chunks()
        self._days, self._dated = days, dated

    def keyed(self) -> KeyedAsOf | None:
        """Every (task, municipality) key's realisation as of every peildatum ``verloop`` asks
        (``engine.history.KeyedAsOf``), built when first asked; ``None`` where it does not apply (then
        :func:`build_verloop` takes ``engine.as_of_sums``)."""
        if not self._keyed_built:
            import numpy as np

            from opvangkern.engine.history import KeyedAsOf
            from opvangkern.engine.vectorised import _unique  # np.unique would import numpy.ma

            if self._files is None:
                indices = self.bron_encoded.indices
                source = (indices.fill_null(-1) if indices.null_count else indices).to_numpy().astype(np.int64)
            else:
                source = None  # the files are given: ``KeyedAsOf.of`` does not look at the rows' sources
            task = self.pair_key >> 32
            days = _unique((self.pair_key - (task << 32)).astype(np.int32))  # as ``_pairs`` takes them apart
            self._keyed = KeyedAsOf.of(source, self._days, self._dated, self.counted,
                                       self.task_of_row * len(self.codes) + self.gm_of_row,
                                       len(self.task_keys) * len(self.codes), self.aantal, days,
                                       files=self._files)
            self._keyed_built = True
        return self._keyed


def prepare_history(realisaties: pa.Table, asiel_categories: Sequence[str], *,
                    limit: dt.date | None = None, columns: RealisatieColumns | None = None) -> PreparedHistory:
    """:class:`PreparedHistory` of these arguments (what :func:`build_verloop` shares between areas);
    ``columns``: ``realisaties``' kept columns (``dashboard.columns``), when the caller has them."""
    return PreparedHistory(realisaties, asiel_categories, limit, columns)


def build_verloop(
    realisaties: pa.Table,
    rows: Sequence[_CardRow],
    lines: engine.Lines | None,
    asiel_categories: Sequence[str],
    *,
    limit: dt.date | None = None,
    op_schema: float = 1.0,
    licht_achter: float = 0.75,
    prepared: PreparedHistory | None = None,
) -> tuple[pa.Table, pa.Array]:
    """``verloop``: per card row (in ``kaarten`` order), one row per peildatum at which a source reports
    its task (on or before ``limit``), oldest first; each the card ``dashboard(peildatum=that day)``
    shows. ``lines`` are the card rows' summed target lines (line id = row index), as for ``kaarten``.
    ``prepared``: :func:`prepare_history` of the same ``realisaties``, ``asiel_categories`` and ``limit``
    (built here when not given). Returns the table and, per row, the index of its card row (for
    :func:`build_prognose`)."""
    import numpy as np

    from opvangkern import engine

    if not rows or lines is None or realisaties.num_rows == 0:
        return tables.empty(tables.VERLOOP), pa.array([], pa.int64())
    if prepared is None:
        prepared = prepare_history(realisaties, asiel_categories, limit=limit)
    task_keys = prepared.task_keys
    pair_key = prepared.pair_key

    # The peildata of each task: the days at which some source has a row for it. Each card row takes its
    # task's days, oldest first, in card order: spread by index (issue 16; the same pairs in the same
    # order as sorting every (card row, day) pair, ``_pairs_sorted``, which the tests compare).
    row_task = np.array([task_keys.index(r.task) for r in rows])
    pair_row, pair_day = _pairs(pair_key, row_task, len(task_keys))

    # Each counted row goes to every card row of its task whose municipalities hold it.
    n_codes = len(prepared.codes)
    position = prepared.code_index
    keys, owners = [], []
    for i, r in enumerate(rows):
        task = int(row_task[i]) * n_codes
        for code in r.municipalities:
            at = position.get(code)
            if at is not None:  # a municipality without any row has nothing to count
                keys.append(task + at)
                owners.append(i)
    day_array = tables.from_numpy(pair_day.astype(np.int32), pa.int32()).view(pa.date32())
    realisatie = None
    if _KEYED:
        # Issue 16: the sums per (task, municipality) and peildatum are made once per dataset and limit
        # (``PreparedHistory.keyed``); a card row adds its keys' rows. The same figures as the path below.
        keyed = prepared.keyed()
        if keyed is not None:
            realisatie = keyed.sums(np.asarray(keys, np.int64), np.asarray(owners, np.int64), len(rows),
                                    pair_row, pair_day)
    if realisatie is None:
        realisatie = _realisatie_as_of(prepared, rows, keys, owners, pair_row, day_array)
    schema = engine.indicative_schedule(lines, tables.from_numpy(pair_row, pa.int64()), day_array)
    code, naam, niveau, opgave = _spread_columns([[r.area.code for r in rows], [r.area.naam for r in rows],
                                                  [r.area.niveau.value for r in rows], [r.task for r in rows]],
                                                 pair_row)
    columns = {
        "gebied_code": code,
        "gebied_naam": naam,
        "gebied_niveau": niveau,
        "opgave": opgave,
        "peildatum": day_array,
        "indicatief_schema": schema,
        "realisatie": realisatie.cast(pa.int64()),
        "achterstand": engine.achterstand(schema, realisatie),
        "realisatiegraad": engine.realisatiegraad(realisatie, schema),
        "status": engine.status(realisatie, schema, op_schema=op_schema, licht_achter=licht_achter, dictionary=True),
    }
    return tables.from_columns(tables.VERLOOP, columns), tables.from_numpy(pair_row, pa.int64())


_KEYED = True
_PREPARE_BY_CALENDAR = True
"""``PreparedHistory`` by :meth:`PreparedHistory._prepare`; False: by ``_prepare_reference`` (the tests compare)."""
_PREPARE_CELLS = 1 << 24
"""``PreparedHistory._prepare`` marks files and (task, day) pairs in tables up to this many cells."""
"""``build_verloop`` takes its realisations from ``PreparedHistory.keyed`` where it applies; False: always
from ``engine.as_of_sums`` over the area's rows (as before issue 16's last round: the tests compare the two)."""


def _realisatie_as_of(prepared: PreparedHistory, rows: Sequence[_CardRow], keys: list[int], owners: list[int],
                      pair_row, day_array: pa.Array) -> pa.Array:
    """The realisation of every (card row, day) pair by ``engine.as_of_sums`` over the area's rows: each
    counted row once per card row that holds its (task, municipality) key (``keys``/``owners``). The oracle
    of the keyed path, and its fallback."""
    import numpy as np

    from opvangkern import engine

    n_codes = len(prepared.codes)
    task_keys = prepared.task_keys
    position = prepared.code_index
    member_key = np.asarray(keys, np.int64)
    member_row = np.asarray(owners, np.int64)
    by_key = np.argsort(member_key, kind="stable")
    member_key, member_row = member_key[by_key], member_row[by_key]
    # Only the rows of the area's municipalities (a lookup table over the codes; -1 lands on the False pad).
    in_area = np.zeros(n_codes + 1, bool)
    in_area[np.asarray([position[c] for r in rows for c in r.municipalities if c in position], np.int64)] = True
    selected = np.flatnonzero(prepared.counted & in_area[prepared.gm_of_row])
    row_key = prepared.task_of_row[selected] * n_codes + prepared.gm_of_row[selected]
    # Where each key's card rows start in ``member_row``, and how many: by index over all (task, code) keys
    # (the same as searching ``member_key`` left and right, without a search per row).
    count_of_key = np.bincount(member_key, minlength=len(task_keys) * n_codes)
    start_of_key = np.cumsum(count_of_key) - count_of_key
    start = start_of_key[row_key]
    count = count_of_key[row_key]
    source_row = np.repeat(selected, count)
    first = np.cumsum(count) - count
    target = member_row[np.repeat(start, count) + np.arange(len(source_row)) - np.repeat(first, count)]

    take = tables.from_numpy(source_row, pa.int64())
    return engine.as_of_sums(
        prepared.file_bron, prepared.file_peil,
        prepared.bron_encoded.take(take), prepared.peil.take(take), tables.from_numpy(target, pa.int64()),
        prepared.aantal.take(take),
        tables.from_numpy(pair_row, pa.int64()), day_array,
    )


def _pairs(pair_key, row_task, n_tasks: int):
    """(card row, day) of every verloop row: per card row (in order) the days of its task (``pair_key``:
    sorted ``task << 32 | day``), oldest first."""
    import numpy as np

    task_of_pair = pair_key >> 32
    day_of_pair = (pair_key - (task_of_pair << 32)).astype(np.int32)
    by_task = np.lexsort((day_of_pair, task_of_pair))  # a few hundred keys: each task's days in day order
    task_of_pair, day_of_pair = task_of_pair[by_task], day_of_pair[by_task]
    task_start = np.searchsorted(task_of_pair, np.arange(n_tasks))
    count = np.bincount(task_of_pair[(task_of_pair >= 0) & (task_of_pair < n_tasks)], minlength=n_tasks)[row_task]
    pair_row = np.repeat(np.arange(len(row_task)), count)
    within = np.arange(len(pair_row)) - np.repeat(np.cumsum(count) - count, count)
    return pair_row, day_of_pair[np.repeat(task_start[row_task], count) + within]


def _pairs_sorted(pair_key, row_task, n_tasks: int):
    """:func:`_pairs` as it was computed before issue 16's last round: every pair made per task, then all
    sorted (the oracle of ``tests/test_verloop_fast.py``)."""
    import numpy as np

    pairs_row: list[np.ndarray] = []
    pairs_day: list[np.ndarray] = []
    for index in range(n_tasks):
        card_rows = np.flatnonzero(row_task == index)
        if not len(card_rows):
            continue
        of_task = pair_key[(pair_key >> 32) == index]
        task_days = (of_task - (np.int64(index) << 32)).astype(np.int32)
        pairs_row.append(np.repeat(card_rows, len(task_days)))
        pairs_day.append(np.tile(task_days, len(card_rows)))
    pair_row = np.concatenate(pairs_row)
    pair_day = np.concatenate(pairs_day)
    order = np.lexsort((pair_day, pair_row))  # card order, then oldest first
    return pair_row[order], pair_day[order]


def build_prognose(kaarten: pa.Table, verloop: pa.Table, verloop_row: pa.Array, lines: engine.Lines | None, *,
                   venster: int = 91) -> pa.Table:
    """``prognose``: one row per row of ``kaarten`` ([Verloop en prognose](verloop-en-prognose.md)), from :func:`build_verloop`'s table and
    card row index. ``p0`` is looked up in the verloop of the same card row."""
    from opvangkern import engine

    n = kaarten.num_rows
    if n == 0 or lines is None:
        return tables.empty(tables.PROGNOSE)
    card = pa.array(range(n), pa.int64())
    peildatum = kaarten.column("peildatum")
    # The card's own period's end: a December (2025-II) count is projected to 1 January, not to 2026-I's end.
    doeldatum, doel = engine.period_end(lines, card, peildatum)
    realisatie = kaarten.column("realisatie")
    history_day = verloop.column("peildatum").combine_chunks()
    previous = engine.previous_peildatum(verloop_row, _within_period(verloop_row, history_day, lines, card, peildatum),
                                         card, peildatum, venster=venster)
    previous_realisatie = _lookup(verloop_row, history_day, verloop, card, previous)
    figures = engine.pace(peildatum, realisatie, doel, doeldatum, previous, previous_realisatie, dictionary=True)
    columns = {
        "gebied_code": kaarten.column("gebied_code"),
        "opgave": kaarten.column("opgave"),
        "peildatum": peildatum,
        "realisatie": realisatie,
        "doel": doel,
        "doeldatum": doeldatum,
        "vorige_peildatum": previous,
        "vorige_realisatie": previous_realisatie,
        **figures,
    }
    return tables.from_columns(tables.PROGNOSE, {f.name: columns[f.name] for f in tables.PROGNOSE})


def _within_period(history_row: pa.Array, history_day: pa.Array, lines: engine.Lines, card: pa.Array,
                   peildatum: pa.Array) -> pa.Array:
    """``history_day`` with the days before the card's period (``engine.period_start``) null: a housing
    half-year's count starts again at 0, so a pace measured against the previous half-year's count is none
    (−81 a month on the first peildatum of 2026-I); with no earlier day in the period, ``p0`` is null."""
    import numpy as np

    from opvangkern import engine

    start = engine.period_start(lines, card, peildatum)
    if start.null_count == len(start):
        return history_day
    rows = np.asarray(history_row.to_numpy(zero_copy_only=False), np.int64)
    first = start.view(pa.int32()).fill_null(np.iinfo(np.int32).min).to_numpy()[rows]
    before = history_day.view(pa.int32()).fill_null(0).to_numpy() < first
    return _null_where(tables.from_numpy(before), history_day)


def _lookup(history_row: pa.Array, history_day: pa.Array, verloop: pa.Table, card: pa.Array,
            day: pa.Array) -> pa.Array:
    """The verloop realisation of (card row, day), null where ``day`` is null or absent."""
    import numpy as np

    if verloop.num_rows == 0:
        return pa.nulls(len(card), pa.int64())
    key = (np.asarray(history_row.to_numpy(), np.int64) << 32) + history_day.view(pa.int32()).to_numpy()
    if len(key) and np.all(key[1:] >= key[:-1]):
        order = np.arange(len(key))  # verloop's own order (card row, then day): what a stable sort gives
    else:
        order = np.argsort(key, kind="stable")
    key = key[order]
    valid = day.is_valid().to_numpy(zero_copy_only=False)
    wanted = (np.asarray(card.to_numpy(), np.int64) << 32) + day.view(pa.int32()).fill_null(0).to_numpy()
    hit = np.minimum(np.searchsorted(key, wanted), len(key) - 1)
    found = valid & (key[hit] == wanted)
    values = verloop.column("realisatie").combine_chunks().take(tables.from_numpy(order[hit], pa.int64()))
    mask = tables.from_numpy(~found)
    return _null_where(mask, values)


def _null_where(mask: pa.Array, values: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    return pc.if_else(mask, pa.nulls(len(values), values.type), values)


def _spread(values: list, index) -> pa.Array:
    """``values[index[i]]`` for every i, as a string array. ``index`` is ``verloop``'s card row of every row:
    ascending, each card row's rows side by side. Then each value's text is repeated as one block (issue 16:
    no take over the 329,420 rows of a national history); the same array as :func:`_spread_taken`, which
    serves any other index."""
    return _spread_columns([values], index)[0]


def _spread_columns(columns: list[list], index) -> list[pa.Array]:
    """``[_spread(values, index) for values in columns]``, with what depends on ``index`` alone (its
    checks, the rows per value) done once for every column (``verloop``'s four text columns share it)."""
    import operator

    import numpy as np

    index = np.asarray(index, np.int64)
    if not _SPREAD_BY_BLOCKS or not columns:
        return [_spread_taken(values, index) for values in columns]
    n = len(columns[0])
    if any(len(values) != n for values in columns) or (len(index) and (
            index[0] < 0 or index[-1] >= n or np.any(index[1:] < index[:-1]))):
        return [_spread_taken(values, index) for values in columns]
    count = np.bincount(index, minlength=n) if len(index) else np.zeros(n, np.int64)
    counts = count.tolist()
    out = []
    for values in columns:
        if any(not isinstance(v, str) for v in values):
            out.append(_spread_taken(values, index))
            continue
        encoded = [v.encode("utf-8") for v in values]
        size = np.fromiter(map(len, encoded), np.int64, len(encoded))
        if int(size @ count) >= (1 << 31) - 1:
            out.append(_spread_taken(values, index))
            continue
        offsets = np.zeros(len(index) + 1, np.int32)
        np.cumsum(np.repeat(size, count), out=offsets[1:])
        data = b"".join(map(operator.mul, encoded, counts))
        out.append(pa.Array.from_buffers(pa.string(), len(index), [None, pa.py_buffer(offsets), pa.py_buffer(data)]))
    return out


_SPREAD_BY_BLOCKS = True
"""False: :func:`_spread` always takes (the way before issue 16's last round; the tests compare the two)."""


def _spread_taken(values: list, index) -> pa.Array:
    """:func:`_spread` by a take over every row: the oracle of the block path, and its fallback."""
    import numpy as np

    return pa.array(values, pa.string()).take(tables.from_numpy(np.asarray(index, np.int64)))
