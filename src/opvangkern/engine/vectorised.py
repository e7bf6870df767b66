"""The vectorised engine: the rules of :mod:`opvangkern.engine.reference` over whole columns.

Inputs may be pyarrow arrays, chunked arrays, NumPy arrays or plain sequences; outputs are pyarrow
arrays (``float64``, ``date32``, ``string``) with a null wherever the reference gives ``None``. A NaN
in a numeric input counts as missing, like a null. Work is done in NumPy, a block of rows at a time
(no Python loop over rows), so memory beyond the inputs and outputs stays small.

Many target lines live in one :class:`Lines` value, built by :func:`build_lines`. Each query row
names its line by the same id (any Arrow type: ``"GM0106/asiel"``, an integer, ...).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opvangkern.engine.reference import STATUS_VALUES, _check_thresholds

__all__ = [
    "ArrayLike",
    "EVALUATE_COLUMNS",
    "Lines",
    "build_lines",
    "evaluate",
    "indicative_schedule",
    "line_value",
    "last_target",
    "realisatiegraad",
    "status",
    "achterstand",
    "delta",
    "sum_lines",
]

ArrayLike = Union[pa.Array, pa.ChunkedArray, np.ndarray, Sequence[Any]]

EVALUATE_COLUMNS: tuple[str, ...] = ("indicatief_schema", "startdatum", "startpunt", "einddatum", "eindpunt")
"""The keys of :func:`evaluate`'s result, in card order."""

_BLOCK = 1 << 16  # rows per block: the temporaries of a block stay in cache and cost a few MB
_BIAS = 1 << 31  # lifts an int32 day (or index) to a non-negative 32-bit field of a composite key
_LOW = (1 << 32) - 1
_STATUS_DICTIONARY = pa.array(STATUS_VALUES, pa.string())
_TABLE_LIMIT = 1 << 22  # entries (lines × days) of the lookup table, 48 MB at most
_FLOAT_COLUMNS = frozenset({"indicatief_schema", "startpunt", "eindpunt"})  # the others are dates


@attrs.frozen(eq=False, repr=False)
class Lines:
    """Many target lines in flat form: line ``i`` has the points ``offsets[i]:offsets[i + 1]``.

    Build it with :func:`build_lines` or :func:`sum_lines`; every line has at least one point, and
    points are sorted by date with one point per date.
    """

    ids: pa.Array
    """The line ids, distinct and sorted; only lines that have points."""
    offsets: np.ndarray
    """``int64``, ``len(ids) + 1`` entries: where each line's points start and end."""
    day: np.ndarray
    """``int32`` days since 1970-01-01 of every point."""
    amount: np.ndarray
    """``float64`` amount of every point."""

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"Lines({len(self.ids)} lines, {len(self.day)} points)"

    @functools.cached_property
    def _key(self) -> np.ndarray:
        # One sorted int64 key per point, so a single searchsorted finds a query in any line.
        owner = np.repeat(np.arange(len(self.ids), dtype=np.int64), np.diff(self.offsets))
        return _composite(owner, self.day)

    @functools.cached_property
    def _table(self) -> _Table:
        return _Table.of(self)

    @functools.cached_property
    def _int_positions(self) -> tuple[int, np.ndarray] | None:
        """For integer ids in a narrow range: (lowest id − 1, position of each id from there).

        The positions are -1 for ids without a line, including one sentinel at each end that every
        id out of range is clipped to.
        """
        if not pa.types.is_integer(self.ids.type) or self.ids.type == pa.uint64() or not len(self.ids):
            return None
        ids = self.ids.to_numpy().astype(np.int64)
        low, width = int(ids[0]) - 1, int(ids[-1]) - int(ids[0]) + 3
        if width > 4 * len(ids) + 1024:
            return None
        lookup = np.full(width, -1, np.int64)
        lookup[ids - low] = np.arange(len(ids))
        return low, lookup

    def to_table(self) -> pa.Table:
        """The points as a table ``line_id``, ``datum`` (date32), ``aantal`` (float64)."""
        owner = np.repeat(np.arange(len(self.ids)), np.diff(self.offsets))
        return pa.table(
            {
                "line_id": self.ids.take(_plain(owner, np.int64, pa.int64())),
                "datum": _plain(self.day, np.int32, pa.int32()).view(pa.date32()),
                "aantal": _plain(self.amount, np.float64, pa.float64()),
            }
        )


@attrs.frozen(eq=False)
class _Table:
    """Every line's value on every day from the earliest to the latest point of any line.

    Lines are flat outside their points and all points lie inside this grid, so a day outside it
    has the value of the nearest grid day: clipping the day is exact. A lookup then replaces the
    search, which dominates the cost of a large query.
    """

    first: int
    """Day number of the grid's first day."""
    width: int
    """Days in the grid."""
    value: np.ndarray
    """float64, line-major (line × day): the line's value at the start of that day."""

    @classmethod
    def of(cls, lines: Lines) -> _Table:
        first = int(lines.day.min())
        width = int(lines.day.max()) - first + 1
        start = _segment_starts(lines, first, width)
        value = np.empty(len(start), np.float64)
        end_of = _segment_end_of(lines)
        for cells in _blocks(len(start)):
            j = start[cells].astype(np.intp)  # one conversion, not one per gather
            value[cells] = _interpolate(lines, j, end_of[j], first + np.arange(cells.start, cells.stop) % width)
        return cls(first, width, value)  # the segment starts are not kept: see ``starts``

    def starts(self, lines: Lines) -> np.ndarray:
        """int32, line-major: the index of the segment's first point for every (line, day). Rebuilt on
        demand (cheap: one ``np.repeat``), so that the cached table holds only the values."""
        return _segment_starts(lines, self.first, self.width)

    def cell(self, idx: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Table positions of (line, day); days off the grid are clipped to its edge (exact, see above)."""
        offset = day - self.first
        np.clip(offset, 0, self.width - 1, out=offset)
        cell = idx * self.width
        cell += offset
        return cell


def _segment_end_of(lines: Lines) -> np.ndarray:
    """For every point as a segment's start: its end point (the next, or itself on a one-point line)."""
    last = np.repeat(lines.offsets[1:] - 1, np.diff(lines.offsets))
    return np.minimum(np.arange(len(lines.day)) + 1, last)


def _segment_starts(lines: Lines, first: int, width: int) -> np.ndarray:
    """For every (line, grid day), line-major: the first point of the segment holding that day."""
    count = np.diff(lines.offsets)
    owner = np.repeat(np.arange(len(count)), count)
    point = np.arange(len(lines.day))
    begins_line = point == lines.offsets[owner]
    # A segment starts at every point but a line's last one; a one-point line has one, on its point.
    starts = np.flatnonzero((point < lines.offsets[owner + 1] - 1) | (count[owner] == 1))
    begin = np.where(begins_line[starts], first, lines.day[starts])
    ends_line = starts + 2 >= lines.offsets[owner[starts] + 1]
    end = np.where(ends_line, first + width, lines.day[np.minimum(starts + 1, len(point) - 1)])
    return np.repeat(starts.astype(np.int32), end - begin)


def _use_table(lines: Lines, rows: int) -> bool:
    """Build (or reuse) the lookup table when it is small and not much larger than the query."""
    if not len(lines):
        return False
    entries = len(lines) * (int(lines.day.max()) - int(lines.day.min()) + 1)
    return entries <= min(_TABLE_LIMIT, 2 * rows)  # building costs about a third of searching, per entry


def build_lines(line_id: ArrayLike, datum: ArrayLike, aantal: ArrayLike) -> Lines:
    """Build target lines from quota points, one row per point: line id, date, amount.

    Points are sorted by (line, date). Of several points of one line on one date the later row wins
    (the later decision in the manifest). A row with a missing id, date or amount is no point.
    """
    ids, owner = _encode(_arrow(line_id))
    days, day_missing = _days(datum)
    amounts = _floats(aantal)
    _same_length(owner, days, amounts)
    rows = np.flatnonzero((owner >= 0) & ~day_missing & ~np.isnan(amounts))
    key = _composite(owner[rows], days[rows])
    order = np.argsort(key, kind="stable")  # stable: equal keys keep input order, so the last is the latest
    key, rows = key[order], rows[order]
    latest = np.ones(len(key), bool)
    latest[:-1] = key[1:] != key[:-1]
    rows = rows[latest]
    return _lines_from_points(ids, owner[rows], days[rows], amounts[rows])


def evaluate(
    lines: Lines, query_line: ArrayLike, peildatum: ArrayLike, *, columns: Iterable[str] = EVALUATE_COLUMNS
) -> dict[str, pa.Array]:
    """The card figures for every query row (a line id and a peildatum).

    ``indicatief_schema`` is the line's value at the start of ``peildatum + 1``; ``startdatum``,
    ``startpunt``, ``einddatum``, ``eindpunt`` are the two points of the segment that holds that day,
    chosen as in :func:`opvangkern.engine.reference.segment`. A row whose line has no points, or
    whose id or peildatum is null, gives nulls. ``columns`` limits the result to some of
    :data:`EVALUATE_COLUMNS`.
    """
    return _evaluate(lines, query_line, peildatum, tuple(columns), shift=1)


def indicative_schedule(lines: Lines, query_line: ArrayLike, peildatum: ArrayLike) -> pa.Array:
    """The ``indicatief_schema`` column of :func:`evaluate` alone (``float64``)."""
    return _evaluate(lines, query_line, peildatum, ("indicatief_schema",), shift=1)["indicatief_schema"]


def line_value(lines: Lines, query_line: ArrayLike, datum: ArrayLike) -> pa.Array:
    """Each query line's value at the start of ``datum`` (not a peildatum: no day is added)."""
    return _evaluate(lines, query_line, datum, ("indicatief_schema",), shift=0)["indicatief_schema"]


def last_target(lines: Lines, query_line: ArrayLike) -> pa.Array:
    """The amount of each query line's last point (its total target); null for a line without points."""
    idx = _line_index(lines, _arrow(query_line))
    missing = idx < 0
    values = lines.amount[lines.offsets[np.where(missing, 0, idx + 1)] - 1] if len(lines) else np.zeros(len(idx))
    return _to_arrow(values, missing, pa.float64())


def realisatiegraad(realisatie: ArrayLike, schema: ArrayLike) -> pa.Array:
    """realisatie / schema elementwise; null where the schedule is 0 or either value is missing."""
    return _to_arrow(*_blockwise(_graad_block, np.float64, _floats(realisatie), _floats(schema)), pa.float64())


def status(
    realisatie: ArrayLike,
    schema: ArrayLike,
    *,
    op_schema: float = 1.0,
    licht_achter: float = 0.75,
    dictionary: bool = False,
) -> pa.Array:
    """The status of every row, as :func:`opvangkern.engine.reference.status`.

    Values are the strings of :data:`~opvangkern.engine.reference.STATUS_VALUES`, null where the
    reference gives ``None``. With ``dictionary=True`` the result is ``dictionary<int8, string>``
    (one byte a row instead of about thirteen), whose dictionary is ``STATUS_VALUES`` in that order.
    """
    _check_thresholds(op_schema, licht_achter)
    kernel = functools.partial(_status_block, op_schema=op_schema, licht_achter=licht_achter)
    codes, missing = _blockwise(kernel, np.int8, _floats(realisatie), _floats(schema))
    indices = _to_arrow(codes, missing, pa.int8())
    if dictionary:
        return pa.DictionaryArray.from_arrays(indices, _STATUS_DICTIONARY)
    return _STATUS_DICTIONARY.take(indices)


def achterstand(schema: ArrayLike, realisatie: ArrayLike) -> pa.Array:
    """schema − realisatie elementwise (positive: behind); null where either value is missing."""
    return _to_arrow(*_blockwise(_achterstand_block, np.float64, _floats(schema), _floats(realisatie)), pa.float64())


def delta(last_target: ArrayLike, realisatie: ArrayLike) -> pa.Array:
    """last target − realisatie elementwise, a missing value counting as 0 (never null)."""
    target, realised = _floats(last_target), _floats(realisatie)
    _same_length(target, realised)
    values = np.where(np.isnan(target), 0.0, target) - np.where(np.isnan(realised), 0.0, realised)
    return _to_arrow(values, None, pa.float64())


def sum_lines(lines: Lines, line_id: ArrayLike, group_id: ArrayLike) -> Lines:
    """The target lines of groups of lines (a province from its municipalities), one line per group.

    Row ``i`` of ``line_id``/``group_id`` says that line ``line_id[i]`` belongs to group
    ``group_id[i]``; a line may belong to several groups (municipality → region, province, country in
    one call). A repeated (line, group) pair counts once; a line without points, or a null, adds
    nothing. A group's points lie on the union of its lines' dates, each the sum of its lines' values
    there, as :func:`opvangkern.engine.reference.sum_lines`. Groups without any points are left out.
    """
    member = _line_index(lines, _arrow(line_id))
    groups, group = _encode(_arrow(group_id))
    _same_length(member, group)
    keep = (member >= 0) & (group >= 0)
    pairs = _unique(_composite(group[keep], member[keep]))
    pair_group, pair_line = pairs >> 32, (pairs & _LOW) - _BIAS
    point_pair, point = _expand(lines.offsets[pair_line], np.diff(lines.offsets)[pair_line])
    breaks = _unique(_composite(pair_group[point_pair], lines.day[point]))
    break_group, break_day = breaks >> 32, (breaks & _LOW) - _BIAS
    group_offsets = np.searchsorted(break_group, np.arange(len(groups) + 1))
    # Every line of a group is evaluated at every date of that group's union, then summed per date.
    cross_pair, cross_break = _expand(group_offsets[pair_group], np.diff(group_offsets)[pair_group])
    values = _values_at(lines, pair_line[cross_pair], break_day[cross_break])
    sums = np.bincount(cross_break, weights=values, minlength=len(breaks))
    return _lines_from_points(groups, break_group, break_day, sums)


# --- kernels -------------------------------------------------------------------------------------


def _segment_ends(lines: Lines, idx: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Point indices (j, k) of the segment of line ``idx`` holding ``day``, as reference.segment."""
    pos = np.searchsorted(lines._key, _composite(idx, day), side="right")
    first, last = lines.offsets[idx], lines.offsets[idx + 1] - 1
    j = np.clip(pos - 1, first, np.maximum(last - 1, first))  # before the first / past the last: clamp
    return j, np.minimum(j + 1, last)


def _interpolate(lines: Lines, j: np.ndarray, k: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Line value at ``day`` on segment (j, k): the reference's expression, flat outside it."""
    day_j, day_k = lines.day[j], lines.day[k]
    amount_j, amount_k = lines.amount[j], lines.amount[k]
    inner = amount_j + (amount_k - amount_j) * ((day - day_j) / np.maximum(day_k - day_j, 1))
    return np.where(day <= day_j, amount_j, np.where(day >= day_k, amount_k, inner))


def _values_at(lines: Lines, idx: np.ndarray, day: np.ndarray) -> np.ndarray:
    return _interpolate(lines, *_segment_ends(lines, idx, day), day)


def _evaluate(
    lines: Lines, query_line: ArrayLike, datum: ArrayLike, columns: tuple[str, ...], shift: int
) -> dict[str, pa.Array]:
    unknown = set(columns) - set(EVALUATE_COLUMNS)
    if unknown:
        raise ValueError(f"unknown columns {sorted(unknown)}; choose from {EVALUATE_COLUMNS}")
    query = _arrow(query_line)
    days, day_missing = _days(datum)
    n = _same_length(query, days)
    out = {c: np.zeros(n, np.float64 if c in _FLOAT_COLUMNS else np.int32) for c in columns}
    missing = np.ones(n, bool)
    table = lines._table if _use_table(lines, n) else None
    starts = table.starts(lines) if table is not None and set(columns) != {"indicatief_schema"} else None
    for rows in _blocks(n if len(lines) else 0):
        idx = _line_index(lines, query[rows])
        block_missing = (idx < 0) | day_missing[rows]
        missing[rows] = block_missing
        if block_missing.any():
            idx[block_missing] = 0  # any valid line; these rows are masked out at the end
        _fill_block(out, rows, lines, idx, days[rows] + shift, table, starts)
    types = {c: pa.float64() if c in _FLOAT_COLUMNS else pa.date32() for c in columns}
    return {c: _to_arrow(out[c], missing, types[c]) for c in columns}


def _fill_block(
    out: dict[str, np.ndarray], rows: slice, lines: Lines, idx: np.ndarray, day: np.ndarray, table: _Table | None,
    starts: np.ndarray | None = None,
) -> None:
    """Write ``out``'s columns for one block of rows (``idx`` a valid line for every row); ``starts``:
    the table's segment starts, needed for any column but ``indicatief_schema``."""
    if table is not None and out.keys() == {"indicatief_schema"}:  # the hot path: one lookup a row
        np.take(table.value, table.cell(idx, day), out=out["indicatief_schema"][rows], mode="clip")
        return
    if table is not None:
        cell = table.cell(idx, day)
        j = starts[cell]
        k = _segment_end_of(lines)[j]
        value = table.value[cell]
    else:
        j, k = _segment_ends(lines, idx, day)
        value = _interpolate(lines, j, k, day)
    found = {
        "indicatief_schema": value,
        "startdatum": lines.day[j],
        "startpunt": lines.amount[j],
        "einddatum": lines.day[k],
        "eindpunt": lines.amount[k],
    }
    for column, values in out.items():
        values[rows] = found[column]


def _graad_block(realisatie: np.ndarray, schema: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    missing = np.isnan(realisatie) | np.isnan(schema) | (schema == 0)
    with np.errstate(all="ignore"):
        return realisatie / schema, missing


def _status_block(
    realisatie: np.ndarray, schema: np.ndarray, *, op_schema: float, licht_achter: float
) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        graad = realisatie / schema
    # 0 op_schema, 1 licht_achter, 2 achter: count the thresholds not reached (licht_achter <= op_schema).
    codes = (graad < op_schema).view(np.int8) + (graad < licht_achter).view(np.int8)
    codes[schema == 0] = 3  # geen_opgave whatever the realisation
    missing = np.isnan(graad)
    if missing.any():  # only then tell a missing input from 0 / 0
        missing = np.isnan(schema) | (np.isnan(realisatie) & (schema != 0))
    return codes, missing


def _achterstand_block(schema: np.ndarray, realisatie: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return schema - realisatie, np.isnan(schema) | np.isnan(realisatie)


# --- conversions ---------------------------------------------------------------------------------


def _blocks(n: int) -> Iterable[slice]:
    return (slice(start, min(start + _BLOCK, n)) for start in range(0, n, _BLOCK))


def _blockwise(kernel: Callable, dtype: Any, *columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run an elementwise ``kernel -> (values, missing)`` block by block into whole-column arrays."""
    n = _same_length(*columns)
    values, missing = np.empty(n, dtype), np.empty(n, bool)
    for rows in _blocks(n):
        values[rows], missing[rows] = kernel(*(column[rows] for column in columns))
    return values, missing


def _same_length(*columns: Any) -> int:
    lengths = {len(column) for column in columns}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    return lengths.pop()


def _composite(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """int64 key ordering by (high, low): ``high << 32`` plus the biased 32-bit ``low``."""
    return (high.astype(np.int64) << 32) + (low.astype(np.int64) + _BIAS)


def _expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``starts[r] : starts[r] + counts[r]``: (range of each element, the element)."""
    owner = np.repeat(np.arange(len(counts)), counts)
    begin = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - begin[owner] + np.asarray(starts, np.int64)[owner]


def _lines_from_points(ids: pa.Array, owner: np.ndarray, day: np.ndarray, amount: np.ndarray) -> Lines:
    """Lines from points sorted by (owner, day); ids without points are dropped."""
    present, local = np.unique(owner, return_inverse=True)
    offsets = np.zeros(len(present) + 1, np.int64)
    np.cumsum(np.bincount(local, minlength=len(present)), out=offsets[1:])
    return Lines(
        ids=ids.take(_plain(present, np.int64, pa.int64())),
        offsets=offsets,
        day=np.asarray(day, np.int32),
        amount=np.asarray(amount, np.float64),
    )


def _unique(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` of an int64 array (which, without further options, imports ``numpy.ma``)."""
    keys = np.sort(keys)
    keep = np.ones(len(keys), bool)
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


def _plain(values: np.ndarray, dtype: Any, type_: pa.DataType) -> pa.Array:
    """``pa.array(values, type_)`` for a NumPy array without nulls, through its buffer: ``pa.array`` on
    an ndarray imports ``numpy.ma`` (~18 ms) to test for a masked array."""
    values = np.ascontiguousarray(values, dtype)
    return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(values)])


def _arrow(values: ArrayLike) -> pa.Array:
    """One contiguous Arrow array, without a copy where possible."""
    if isinstance(values, pa.ChunkedArray):
        return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    return pa.array(values)


def _floats(values: ArrayLike) -> np.ndarray:
    """float64 NumPy values, NaN where missing."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        return values.astype(np.float64, copy=False)
    array = _arrow(values)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return np.asarray(array.to_numpy(zero_copy_only=False), np.float64)


def _days(values: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """int32 days since 1970-01-01 (0 where missing) and the missing mask."""
    array = _arrow(values)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not pa.types.is_date32(array.type):
        array = array.cast(pa.date32())
    missing = array.is_null().to_numpy(zero_copy_only=False) if array.null_count else np.zeros(len(array), bool)
    days = array.view(pa.int32())
    return (days.fill_null(0) if array.null_count else days).to_numpy(), missing


def _encode(ids: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(distinct ids, sorted; the position of every row's id in them, -1 for null)."""
    if pa.types.is_dictionary(ids.type):
        ids = ids.dictionary_decode()
    distinct = pc.unique(ids).drop_null()
    distinct = distinct.take(pc.sort_indices(distinct))
    return distinct, _positions(ids, distinct)


def _line_index(lines: Lines, query: pa.Array) -> np.ndarray:
    """int64 position of every query id in ``lines.ids``, -1 for null or unknown."""
    if pa.types.is_dictionary(query.type):
        # Look up each dictionary value once, then spread by the indices (-1 selects the appended -1).
        found = np.append(_line_index(lines, query.dictionary), -1)
        return found[query.indices.fill_null(-1).to_numpy().astype(np.int64)]
    if lines._int_positions is not None and pa.types.is_integer(query.type):
        return _int_line_index(*lines._int_positions, query)
    if query.type != lines.ids.type:
        query = query.cast(lines.ids.type)
    return _positions(query, lines.ids)


def _int_line_index(low: int, lookup: np.ndarray, query: pa.Array) -> np.ndarray:
    """``_line_index`` for integer ids through a dense lookup array, much faster than hashing."""
    offset = np.subtract((query.fill_null(0) if query.null_count else query).to_numpy(), low, dtype=np.int64)
    if query.null_count:
        offset[query.is_null().to_numpy(zero_copy_only=False)] = 0  # the -1 sentinel
    return lookup[np.clip(offset, 0, len(lookup) - 1, out=offset)]


def _positions(values: pa.Array, distinct: pa.Array) -> np.ndarray:
    return pc.index_in(values, value_set=distinct).fill_null(-1).to_numpy().astype(np.int64)


def _to_arrow(values: np.ndarray, missing: np.ndarray | None, type_: pa.DataType) -> pa.Array:
    """Wrap ``values`` (no copy) as an Arrow array of ``type_``, null where ``missing``."""
    validity = None
    if missing is not None and missing.any():
        values[missing] = 0  # deterministic bytes under the nulls
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(values)])
