"""The engine over time ([Verloop en prognose](verloop-en-prognose.md)): realisations as of many days, the previous peildatum, the pace.

The rules of :mod:`opvangkern.engine.reference_history` over whole columns: inputs are Arrow arrays
(or NumPy arrays, or sequences), outputs Arrow arrays with a null wherever the reference gives
``None``. No Python loop over rows: every function is a few sorts and searches in NumPy, so one call
answers every (card, peildatum) pair of a history at once.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from opvangkern.engine.reference_history import DAYS_PER_MONTH, PROGNOSE_VALUES, VENSTER, WHOLE_DAY_TOLERANCE
from opvangkern.engine.vectorised import ArrayLike, Lines, _arrow, _composite, _days, _encode, _floats, _line_index, _to_arrow, _unique

__all__ = [
    "PROGNOSE_VALUES",
    "VENSTER",
    "as_of_sums",
    "previous_peildatum",
    "pace",
    "last_point",
]

_PROGNOSE_DICTIONARY = pa.array(PROGNOSE_VALUES, pa.string())
_DENSE_CELLS = 1 << 22
"""``as_of_sums`` keeps its (file × group) sums in a dense table up to this many cells (32 MiB)."""
_MAX_DAY = 2932896  # 9999-12-31 in days since 1970-01-01: the last day a ``datetime.date`` can hold


def as_of_sums(
    file_source: ArrayLike,
    file_peildatum: ArrayLike,
    source: ArrayLike,
    peildatum: ArrayLike,
    group: ArrayLike,
    aantal: ArrayLike,
    query_group: ArrayLike,
    query_peildatum: ArrayLike,
) -> pa.Array:
    """For every query (group, day): the realisation ``dashboard(peildatum=day)`` shows for that group.

    The files are the pairs (``file_source``, ``file_peildatum``); the rows are (``source``,
    ``peildatum``, ``group``, ``aantal``). Each source counts at its latest file on or before the day:
    the sum of that file's rows of the group, 0 when it has none (a null aantal adds nothing); sources
    add up. Null when no source has a file on or before the day, or the query's group or day is null.
    As :func:`opvangkern.engine.reference_history.as_of_sum`. ``int64`` when ``aantal`` is an integer
    column, else ``float64``.
    """
    file_src, row_src = _arrow(file_source), _arrow(source)
    n_sources, file_code, row_code = _encode_pair(file_src, row_src)
    file_day, file_day_missing = _days(file_peildatum)
    row_group_array, query_group_array = _arrow(group), _arrow(query_group)
    n_group_ids, row_group, q_group = _encode_pair(row_group_array, query_group_array)
    row_day, row_day_missing = _days(peildatum)
    values = _floats(aantal)
    n_rows = len(row_src)
    if not (len(row_day) == len(row_group) == len(values) == n_rows):
        raise ValueError("the row columns differ in length")
    q_day, q_day_missing = _days(query_peildatum)
    if len(q_day) != len(q_group):
        raise ValueError("the query columns differ in length")
    keep = (file_code >= 0) & ~file_day_missing
    calendar = _Calendar.of(n_sources, file_code[keep], file_day[keep])
    if calendar is None:
        total, found_any = _as_of_searched(n_sources, file_code[keep], file_day[keep], row_code, row_day,
                                           row_day_missing, row_group, n_group_ids, values, q_group, q_day)
    else:
        total, found_any = _as_of_calendar(calendar, row_code, row_day, row_day_missing, row_group, n_group_ids,
                                           values, q_group, q_day)
    missing = ~found_any | q_day_missing | (q_group < 0)
    integer = _is_integer(aantal)
    return _to_arrow(total.astype(np.int64) if integer else total, missing, pa.int64() if integer else pa.float64())


def _as_of_searched(n_sources: int, file_code: np.ndarray, file_day: np.ndarray, row_code: np.ndarray,
                    row_day: np.ndarray, row_day_missing: np.ndarray, row_group: np.ndarray, n_group_ids: int,
                    values: np.ndarray, q_group: np.ndarray, q_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`as_of_sums`' figures by sorted keys and searches (any span of days): (total, found_any)."""
    # The files, as sorted distinct (source, day) keys.
    file_key = _unique(_composite(file_code, file_day))
    file_owner = file_key >> 32
    # The rows, summed per (file, group): a file's index in ``file_key`` and the group's code.
    row_key = _composite(row_code, row_day)
    row_file = np.searchsorted(file_key, row_key)
    in_files = row_file < len(file_key)
    in_files[in_files] = file_key[row_file[in_files]] == row_key[in_files]
    usable = (row_code >= 0) & ~row_day_missing & (row_group >= 0) & ~np.isnan(values) & in_files
    n_groups = max(n_group_ids, 1)
    dense = None
    if len(file_key) * n_groups <= _DENSE_CELLS:
        # Sums per (file, group) in a dense table: one bincount, looked up by index (no sort, no search).
        # The same rows in the same order per cell as the sorted path below: the same float sums.
        cell = row_file[usable].astype(np.int64) * n_groups + row_group[usable]
        dense = np.bincount(cell, weights=values[usable], minlength=len(file_key) * n_groups)
    else:
        sum_key = _composite(row_file[usable], row_group[usable])
        sum_keys, sums = _sum_by_key(sum_key, values[usable])

    # Every query against every source: the source's latest file on or before the day.
    n = len(q_group)
    total = np.zeros(n, np.float64)
    found_any = np.zeros(n, bool)
    for code in range(n_sources):  # a handful of sources: the loop is over sources, not rows
        position = np.searchsorted(file_key, _composite(np.full(n, code), q_day), side="right") - 1
        has_file = position >= 0
        has_file[has_file] = file_owner[position[has_file]] == code
        found_any |= has_file
        if dense is not None:
            at = np.flatnonzero(has_file & (q_group >= 0))
            total[at] += dense[position[at].astype(np.int64) * n_groups + q_group[at]]
            continue
        wanted = _composite(np.where(has_file, position, 0), np.maximum(q_group, 0))
        hit = np.searchsorted(sum_keys, wanted)
        hit_valid = has_file & (hit < len(sum_keys))
        hit_valid[hit_valid] = sum_keys[hit[hit_valid]] == wanted[hit_valid]
        total[hit_valid] += sums[hit[hit_valid]]
    return total, found_any


class _Calendar:
    """The files of :func:`as_of_sums` as two small tables over the days from the first file to the last
    (issue 16): ``at[source, day]``, the index of the file of that source on that day (-1: none), and
    ``latest[source, day]``, the index of its latest file on or before that day (-1: none). Files are
    numbered in (source, day) order, as the sorted keys of the searching path, so both paths sum the same
    rows in the same order. Used while ``sources × days`` stays small (``_CALENDAR_CELLS``)."""

    def __init__(self, n_sources: int, first: int, n_days: int, at: np.ndarray, latest: np.ndarray,
                 n_files: int) -> None:
        self.n_sources, self.first, self.n_days = n_sources, first, n_days
        self.at, self.latest, self.n_files = at, latest, n_files

    @classmethod
    def of(cls, n_sources: int, file_code: np.ndarray, file_day: np.ndarray) -> _Calendar | None:
        if not len(file_code):
            return None
        first, last = int(file_day.min()), int(file_day.max())
        n_days = last - first + 1
        if n_sources * n_days > _CALENDAR_CELLS:
            return None
        cell = file_code.astype(np.int64) * n_days + (file_day.astype(np.int64) - first)
        present = np.zeros(n_sources * n_days, bool)
        present[cell] = True
        at = np.cumsum(present) - 1  # files numbered in (source, day) order
        n_files = int(at[-1]) + 1 if len(at) else 0
        at = np.where(present, at, -1).reshape(n_sources, n_days)
        latest = np.maximum.accumulate(at, axis=1)  # a source's files are numbered in day order
        return cls(n_sources, first, n_days, at, latest, n_files)

    def file_of_rows(self, code: np.ndarray, day: np.ndarray, day_missing: np.ndarray) -> np.ndarray:
        """The file index of each row's (source, day), -1 where no such file."""
        offset = day.astype(np.int64) - self.first
        inside = (code >= 0) & ~day_missing & (offset >= 0) & (offset < self.n_days)
        cell = code * self.n_days + offset
        cell[~inside] = self.at.size  # the appended -1
        return np.append(self.at.ravel(), -1)[cell]

    def day_offsets(self, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(each day's column in ``latest``, clipped into the calendar; whether it lies before the first file)."""
        offset = day.astype(np.int64) - self.first
        before = offset < 0
        np.clip(offset, 0, self.n_days - 1, out=offset)
        return offset, before

    def latest_of_days(self, code: int, offset: np.ndarray, before: np.ndarray) -> np.ndarray:
        """The index of source ``code``'s latest file on or before each day (given by :meth:`day_offsets`),
        -1 where none."""
        position = self.latest[code][offset]
        position[before] = -1
        return position


_CALENDAR_CELLS = 1 << 22
"""``as_of_sums`` looks files up in a (source × day) table up to this many cells (4 M, 32 MiB); 0 turns
the calendar off (the searching path, as before issue 16's last round: the tests compare the two)."""
_FAST_CODES = True
"""``as_of_sums`` codes integer and dictionary ids without hashing every row; False: by ``_encode`` of
the concatenation, as before (the tests compare the two)."""


def _as_of_calendar(calendar: _Calendar, row_code: np.ndarray, row_day: np.ndarray, row_day_missing: np.ndarray,
                    row_group: np.ndarray, n_group_ids: int, values: np.ndarray, q_group: np.ndarray,
                    q_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`as_of_sums`' figures through a :class:`_Calendar` (no search per row or query): (total,
    found_any). The same sums as :func:`_as_of_searched`: the same rows per (file, group) cell in the same
    order, the sources added in the same order."""
    row_file = calendar.file_of_rows(row_code, row_day, row_day_missing)
    usable = (row_file >= 0) & (row_group >= 0) & ~np.isnan(values)
    n_groups = max(n_group_ids, 1)
    n = len(q_group)
    total = np.zeros(n, np.float64)
    found_any = np.zeros(n, bool)
    if calendar.n_files * n_groups <= _DENSE_CELLS:
        # Group-major cells (a group's files side by side: a group's queries over successive days read
        # neighbouring cells). Each cell sums the same rows in the same order as a file-major table would.
        n_files = calendar.n_files
        cell = row_group[usable] * n_files + row_file[usable]
        # One more cell, 0.0, for a query without a file or group: adding +0.0 leaves every total as it
        # is (a total that starts at +0.0 is never -0.0), so no query needs a mask.
        cells = n_files * n_groups
        dense = np.bincount(cell, weights=values[usable], minlength=cells + 1)
        grouped = q_group >= 0
        base = np.where(grouped, q_group * n_files, cells)
        offset, before = calendar.day_offsets(q_day)
        for code in range(calendar.n_sources):
            position = calendar.latest_of_days(code, offset, before)
            has_file = position >= 0
            found_any |= has_file
            total += dense[np.where(has_file & grouped, base + position, cells)]
        return total, found_any
    sum_key = _composite(row_file[usable], row_group[usable])
    sum_keys, sums = _sum_by_key(sum_key, values[usable])
    offset, before = calendar.day_offsets(q_day)
    for code in range(calendar.n_sources):
        position = calendar.latest_of_days(code, offset, before)
        has_file = position >= 0
        found_any |= has_file
        wanted = _composite(np.where(has_file, position, 0), np.maximum(q_group, 0))
        hit = np.searchsorted(sum_keys, wanted)
        hit_valid = has_file & (hit < len(sum_keys))
        hit_valid[hit_valid] = sum_keys[hit[hit_valid]] == wanted[hit_valid]
        total[hit_valid] += sums[hit[hit_valid]]
    return total, found_any


def _encode_pair(a: pa.Array, b: pa.Array) -> tuple[int, np.ndarray, np.ndarray]:
    """(how many distinct ids, the code of every id of ``a`` and of ``b``; -1 for null): codes are
    positions in the sorted distinct ids of both, as ``_encode`` of their concatenation gives them.
    Integer ids over a small range are coded by a lookup table and dictionary arrays by their
    dictionaries (issue 16), without hashing every row; anything else as before."""
    if not _FAST_CODES:
        ids, codes = _encode(_concat(a, b))
        return len(ids), codes[: len(a)], codes[len(a):]
    if _plain_integer(a) and _plain_integer(b):
        coded = _encode_integers(a, b)
        if coded is not None:
            return coded
    if pa.types.is_dictionary(a.type) or pa.types.is_dictionary(b.type):
        coded = _encode_dictionaries(a, b)
        if coded is not None:
            return coded
    ids, codes = _encode(_concat(a, b))
    return len(ids), codes[: len(a)], codes[len(a):]


def _plain_integer(array: pa.Array) -> bool:
    return pa.types.is_integer(array.type)


def _integer_values(array: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """int64 values (0 under a null) and the validity mask (``None``: no nulls)."""
    if array.null_count:
        return (array.fill_null(0).to_numpy().astype(np.int64, copy=False),
                array.is_valid().to_numpy(zero_copy_only=False))
    return array.to_numpy().astype(np.int64, copy=False), None


def _encode_integers(a: pa.Array, b: pa.Array) -> tuple[int, np.ndarray, np.ndarray] | None:
    if pa.types.is_uint64(a.type) or pa.types.is_uint64(b.type):
        return None  # values beyond int64 would wrap
    (va, ma), (vb, mb) = _integer_values(a), _integer_values(b)
    valid = [v if m is None else v[m] for v, m in ((va, ma), (vb, mb))]
    present_values = [v for v in valid if len(v)]
    if not present_values:
        return 0, np.full(len(va), -1, np.int64), np.full(len(vb), -1, np.int64)
    low = min(int(v.min()) for v in present_values)
    high = max(int(v.max()) for v in present_values)
    span = high - low + 1
    if span > max(4 * (len(va) + len(vb)), 1 << 16):
        return None
    present = np.zeros(span, bool)
    for v in present_values:
        present[v - low] = True
    lookup = np.cumsum(present) - 1
    codes = []
    for v, m in ((va, ma), (vb, mb)):
        code = lookup[v - low] if m is None else np.where(m, lookup[np.where(m, v, low) - low], -1)
        codes.append(code.astype(np.int64, copy=False))
    return int(lookup[-1]) + 1, codes[0], codes[1]


def _encode_dictionaries(a: pa.Array, b: pa.Array) -> tuple[int, np.ndarray, np.ndarray] | None:
    """Codes of two arrays of which at least one is dictionary-encoded: each array's distinct values
    (a dictionary's used values; a plain array hashed), their union sorted as ``_encode`` sorts, and every
    row's code through its dictionary."""
    import pyarrow.compute as pc

    value_types = {array.type.value_type if pa.types.is_dictionary(array.type) else array.type for array in (a, b)}
    if len(value_types) > 1:
        return None  # ``_concat`` casts one to the other: left to it
    parts = []
    for array in (a, b):
        if pa.types.is_dictionary(array.type):
            values, local = array.dictionary, array.indices
        else:
            encoded = pc.dictionary_encode(array)
            values, local = encoded.dictionary, encoded.indices
        index = (local.fill_null(-1) if local.null_count else local).to_numpy().astype(np.int64, copy=False)
        used = np.zeros(len(values) + 1, bool)  # the last cell catches -1
        used[index] = True
        parts.append((values, index, np.flatnonzero(used[:-1])))
    union = pa.concat_arrays([values.take(_int_array(used)) for values, _, used in parts])
    distinct, _ = _encode(union)
    codes = []
    for values, index, _ in parts:
        position = np.append(_positions_in(values, distinct), -1)  # -1 selects the appended -1
        codes.append(position[index])
    return len(distinct), codes[0], codes[1]


def _positions_in(values: pa.Array, distinct: pa.Array) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.index_in(values, value_set=distinct).fill_null(-1).to_numpy().astype(np.int64)


def _int_array(values: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(np.ascontiguousarray(values, np.int64))])


def previous_peildatum(
    history_group: ArrayLike,
    history_peildatum: ArrayLike,
    query_group: ArrayLike,
    query_peildatum: ArrayLike,
    *,
    venster: int = VENSTER,
) -> pa.Array:
    """``vorige_peildatum`` (``p0``) of every query (group, ``p``): the latest day of the group's history
    at least ``venster`` days before ``p``; else its earliest day before ``p``; null when there is none.
    As :func:`opvangkern.engine.reference_history.previous_peildatum` (``date32``)."""
    h_group_array, q_group_array = _arrow(history_group), _arrow(query_group)
    _, h_group, q_group = _encode_pair(h_group_array, q_group_array)
    h_day, h_missing = _days(history_peildatum)
    q_day, q_missing = _days(query_peildatum)
    if len(h_day) != len(h_group) or len(q_day) != len(q_group):
        raise ValueError("columns differ in length")
    keep = (h_group >= 0) & ~h_missing
    key = _ascending_unique(_composite(h_group[keep], h_day[keep]))
    owner, day = key >> 32, (key & ((1 << 32) - 1)) - (1 << 31)
    group = np.maximum(q_group, 0)
    # The latest day ≤ p − venster (and before p), when it is the group's.
    # (A window longer than any span of dates finds nothing; clipped so the key stays in its group.)
    threshold = np.maximum(q_day.astype(np.int64) - min(max(int(venster), 1), 1 << 32), -(1 << 31))
    far = np.searchsorted(key, _composite(group, threshold), side="right") - 1
    far_ok = far >= 0
    far_ok[far_ok] = owner[far[far_ok]] == group[far_ok]
    # Else the group's earliest day, when it lies before p.
    first = np.searchsorted(key, _composite(group, np.full(len(group), -(1 << 31))))
    first_ok = first < len(key)
    first_ok[first_ok] = (owner[first[first_ok]] == group[first_ok]) & (day[first[first_ok]] < q_day[first_ok])
    chosen = np.where(far_ok, far, first)
    missing = ~(far_ok | first_ok) | q_missing | (q_group < 0)
    result = np.where(missing, 0, day[np.where(missing, 0, chosen)] if len(key) else 0).astype(np.int32)
    return _to_arrow(result, missing, pa.int32()).view(pa.date32())


def _ascending_unique(keys: np.ndarray) -> np.ndarray:
    """``_unique(keys)``; keys already strictly ascending are returned as they are (a copy), without the sort
    (issue 16: ``verloop``'s (card row, day) keys arrive so: 329,420 of them at 260 weeks)."""
    if len(keys) > 1 and bool(np.all(keys[1:] > keys[:-1])):
        return keys.copy()
    return _unique(keys)


def pace(
    peildatum: ArrayLike,
    realisatie: ArrayLike,
    doel: ArrayLike,
    doeldatum: ArrayLike,
    vorige_peildatum: ArrayLike,
    vorige_realisatie: ArrayLike,
    *,
    dictionary: bool = False,
) -> dict[str, pa.Array]:
    """``tempo_per_maand``, ``benodigd_per_maand``, ``verwachte_datum`` and ``prognose`` of every row, as
    :func:`opvangkern.engine.reference_history.pace` ([Verloop en prognose](verloop-en-prognose.md)). ``prognose`` is a string column of
    :data:`PROGNOSE_VALUES` (with ``dictionary=True`` ``dictionary<int8, string>`` in that order)."""
    p, p_missing = _days(peildatum)
    r = _floats(realisatie)
    target = _floats(doel)
    target_day, target_day_missing = _days(doeldatum)
    p0, p0_missing = _days(vorige_peildatum)
    r0 = _floats(vorige_realisatie)
    n = len(p)
    if not (len(r) == len(target) == len(target_day) == len(p0) == len(r0) == n):
        raise ValueError("columns differ in length")
    unknown = p_missing | np.isnan(r) | np.isnan(target) | target_day_missing
    previous = ~unknown & ~p0_missing & ~np.isnan(r0) & (p0 < p)
    span = (p - p0).astype(np.float64)
    with np.errstate(all="ignore"):
        tempo = (r - r0) / span * DAYS_PER_MONTH
        reached = ~unknown & (r >= target)
        left = target_day.astype(np.int64) - (p.astype(np.int64) + 1)
        needed = np.where(reached, 0.0, (target - r) / left * DAYS_PER_MONTH)
        needed_missing = unknown | (~reached & (left <= 0))
        progress = previous & ~reached & (r > r0)
        quotient = (target - r) * span / (r - r0)
        ahead = np.ceil(np.where(progress, quotient, 0.0) - WHOLE_DAY_TOLERANCE)
    expected = p.astype(np.float64) + ahead
    in_range = progress & (expected <= _MAX_DAY)
    expected_day = np.where(in_range, expected, 0).astype(np.int32)
    # 0 bereikt, 1 op_koers, 2 niet_op_koers, 3 onbekend.
    codes = np.full(n, 3, np.int8)
    codes[previous & ~reached] = 2
    codes[in_range & (expected_day <= target_day)] = 1
    codes[reached] = 0
    indices = _to_arrow(codes, None, pa.int8())
    prognose = pa.DictionaryArray.from_arrays(indices, _PROGNOSE_DICTIONARY)
    return {
        "tempo_per_maand": _to_arrow(tempo, ~previous, pa.float64()),
        "benodigd_per_maand": _to_arrow(needed, needed_missing, pa.float64()),
        "verwachte_datum": _to_arrow(expected_day, ~in_range, pa.int32()).view(pa.date32()),
        "prognose": prognose if dictionary else _PROGNOSE_DICTIONARY.take(indices),
    }


def last_point(lines: Lines, query_line: ArrayLike) -> tuple[pa.Array, pa.Array]:
    """(date, amount) of each query line's last point: ``doeldatum`` and ``doel``; nulls for a line
    without points."""
    idx = _line_index(lines, _arrow(query_line))
    missing = idx < 0
    if not len(lines):
        zeros = np.zeros(len(idx), np.int32)
        return (_to_arrow(zeros, missing, pa.int32()).view(pa.date32()),
                _to_arrow(zeros.astype(np.float64), missing, pa.float64()))
    last = lines.offsets[np.where(missing, 0, idx + 1)] - 1
    day = lines.day[last].copy()
    amount = lines.amount[last].copy()
    return _to_arrow(day, missing, pa.int32()).view(pa.date32()), _to_arrow(amount, missing, pa.float64())


def _sum_by_key(key: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, sorted; the sum of ``values`` per key), by one sort (``np.unique`` with
    ``return_inverse`` hashes, several times slower on int64 keys)."""
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.ones(len(key), bool)
    np.not_equal(key[1:], key[:-1], out=starts[1:])
    group = np.cumsum(starts) - 1
    return key[starts], np.bincount(group, weights=values[order], minlength=int(starts.sum()))


def _concat(a: pa.Array, b: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(a.type):
        a = a.dictionary_decode()
    if pa.types.is_dictionary(b.type):
        b = b.dictionary_decode()
    if a.type != b.type:
        if pa.types.is_null(a.type):
            a = a.cast(b.type)
        else:
            b = b.cast(a.type)
    return pa.concat_arrays([a, b])


def _is_integer(values: ArrayLike) -> bool:
    if isinstance(values, np.ndarray):
        return values.dtype.kind in "iu"
    array = _arrow(values)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return pa.types.is_integer(array.type)



_KEYED_CELLS = 1 << 23
""":class:`KeyedAsOf` keeps its (key × file) and (key × day) tables, and a call's (member × day) table, up
to this many cells each (64 MiB of float64); beyond, :meth:`KeyedAsOf.of` gives ``None`` and the caller
takes :func:`as_of_sums`."""
_EXACT = float(1 << 50)
"""Whole numbers whose absolute sum stays below this bound are added exactly in float64, in any order and
with the subtractions of :meth:`KeyedAsOf.of` (every partial sum lies within a few times the bound, far
below 2^53)."""


class KeyedAsOf:
    """:func:`as_of_sums` for many groups that are unions of a few fixed keys (issue 16): ``verloop``'s card
    rows are unions of (task, municipality) keys, and every card row of every area asks the same days.

    Built once from the rows (``of``): the sum of every key's rows per file, then per key the realisation
    as of every asked day (each source at its latest file on or before the day, the sources added): a
    (key × day) table. A group's figure (``sums``) is then the sum of its keys' table rows, a gather and
    one ``reduceat``, with no step per realisation row.

    Only for whole numbers whose absolute sum, times the most often a key occurs in one group, stays
    below 2^50 (``_EXACT``): then every partial sum is exact in float64, so the figures are those of
    :func:`as_of_sums` (which adds the same whole numbers in another order) bit for bit. ``of`` and
    ``sums`` give ``None`` otherwise, or when a table would be too large (``_KEYED_CELLS``); the caller
    then takes :func:`as_of_sums`, the oracle of ``tests/test_verloop_keyed.py``."""

    def __init__(self, days: np.ndarray, by_key: np.ndarray, found: np.ndarray, magnitude: float) -> None:
        self.days, self.by_key, self.found, self.magnitude = days, by_key, found, magnitude
        self.table = by_key.T
        """The (day × key) table: every key's realisation as of every day (a view of ``by_key``)."""

    @classmethod
    def of(cls, row_source: np.ndarray, row_day: np.ndarray, dated: np.ndarray, counted: np.ndarray,
           row_key: np.ndarray, n_keys: int, aantal: pa.Array, days: np.ndarray,
           files: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> KeyedAsOf | None:
        """``row_source``: each row's source code (``int64``, ``-1``: none; only looked at without ``files``),
        ``row_day``: its peildatum in days since 1970; ``dated``: the rows that make the files (a source and a peildatum; the files are
        their distinct (source, day) pairs, as ``as_of_sums``' ``file_source``/``file_peildatum``);
        ``counted``: the rows that add to their key ``row_key`` (``0 <= key < n_keys``; a subset of
        ``dated``); ``aantal``: every row's count; ``days``: the sorted distinct days that will be asked.
        ``files``: when the caller has them, (source, day) of every file in (source, day) order and each
        row's file index (meaningful on the ``dated`` rows); else they are made here."""
        if not pa.types.is_integer(aantal.type) or pa.types.is_uint64(aantal.type):
            return None
        values = _floats(aantal)
        counted = counted & dated & ~np.isnan(values)
        every = bool(counted.all())  # (a national history: every row counts; no copies by the mask then)
        magnitude = float(np.abs(values if every else values[counted]).sum())
        if not magnitude < _EXACT:
            return None
        # The files, in (source, day) order: a source's files side by side, oldest first.
        days = np.asarray(days, np.int64)
        if n_keys * (len(days) + 1) > _KEYED_CELLS:
            return None
        if files is None:
            shifted = row_day.astype(np.int64) + (1 << 31)
            file_key = _unique(_composite_offset(row_source[dated], shifted[dated]))
            file_source = file_key >> 32
            file_day = (file_key & 0xFFFFFFFF) - (1 << 31)
            row_file = np.searchsorted(file_key, _composite_offset(row_source[counted], shifted[counted]))
        else:
            file_source, file_day, every_file = files
            row_file = every_file if every else every_file[counted]
        n_files = len(file_source)
        # A file counts on the asked days from its own day up to (not including) the next file of its
        # source: days[first[f]:stop[f]]. Each counted row adds its count at its file's first day and takes
        # it off at the stop; the running sum over the days is then each key's realisation as of each day.
        first = np.searchsorted(days, file_day)
        later = np.append(file_day[1:], 0)
        same_source = np.append(file_source[1:] == file_source[:-1], False)
        stop = np.where(same_source, np.searchsorted(days, later), len(days))
        key = (row_key if every else row_key[counted]).astype(np.int64, copy=False)
        weight = values if every else values[counted]
        # Key-major (issue 16, the dash4 branch): each key's days side by side, so that a card row's
        # reads (one key, its days in order) and the regions' sums (whole rows) walk memory in order. The
        # same additions in the same order as the day-major table before (``tests/test_verloop_keyed.py``).
        width = len(days) + 1
        cells = width * n_keys
        table = np.bincount(key * width + first[row_file], weights=weight, minlength=cells)
        table -= np.bincount(key * width + stop[row_file], weights=weight, minlength=cells)
        by_key = np.cumsum(table.reshape(n_keys, width)[:, :-1], axis=1)
        found = days >= file_day.min() if n_files else np.zeros(len(days), bool)
        return cls(days, by_key, found, magnitude)

    def sums(self, member_key: np.ndarray, member_group: np.ndarray, n_groups: int, query_group: np.ndarray,
             query_day: np.ndarray) -> pa.Array | None:
        """For every query (group, day): the sum over the group's keys (``member_key``, with its group in
        ``member_group``, ascending) of the key's realisation as of the day, as :func:`as_of_sums` gives it
        for the same rows (``int64``; null where no source has a file on or before the day). ``None``
        when the sums could be inexact or a table too large (the caller takes :func:`as_of_sums`)."""
        member_key = np.asarray(member_key, np.int64)
        member_group = np.asarray(member_group, np.int64)
        if len(member_group) and (np.any(np.diff(member_group) < 0) or member_group[0] < 0
                                  or member_group[-1] >= n_groups or member_key.min() < 0
                                  or member_key.max() >= self.by_key.shape[0]):
            return None
        multiplicity = 1
        if len(member_key):
            pair = np.sort(member_group * (int(member_key.max()) + 1) + member_key)
            repeated = pair[1:] == pair[:-1]
            if repeated.any():
                multiplicity = int(np.max(np.bincount(np.unique(pair, return_inverse=True)[1])))
        if not self.magnitude * multiplicity < _EXACT or len(member_key) * len(self.days) > _KEYED_CELLS:
            return None
        if len(query_group) and (np.min(query_group) < 0 or np.max(query_group) >= n_groups):
            return None
        query_day = np.asarray(query_day, np.int64)
        position = self._positions(query_day)
        if position is None:
            return None  # a day the table was not built for
        query_group = np.asarray(query_group, np.int64)
        count = np.bincount(member_group, minlength=n_groups)
        start = np.cumsum(count) - count
        total = np.zeros(len(query_group), np.float64)  # a group without keys: 0
        of_query = count[query_group]
        # A group of one key (a municipality's card) reads its key's figure; a group of several adds its
        # keys' figures for every day at once (one reduceat over the day-major table).
        one = np.flatnonzero(of_query == 1)
        width = self.by_key.shape[1]
        total[one] = self.by_key.reshape(-1).take(member_key[start[query_group[one]]] * width + position[one])
        several = np.flatnonzero(count > 1)
        if len(several):
            inside = count[member_group] > 1
            sub_count = count[several]
            per_group = np.add.reduceat(self.by_key[member_key[inside]], np.cumsum(sub_count) - sub_count, axis=0)
            local = np.zeros(n_groups, np.int64)
            local[several] = np.arange(len(several))
            many = np.flatnonzero(of_query > 1)
            total[many] = per_group[local[query_group[many]], position[many]]
        missing = ~self.found[position] if len(query_group) else np.zeros(0, bool)
        return _to_arrow(total.astype(np.int64), missing, pa.int64())


    def _positions(self, query_day: np.ndarray) -> np.ndarray | None:
        """Each query day's index in ``days``; ``None`` when a day is not one of them. By a look-up table
        over the days' span (issue 16, the dash4 branch: 329,420 binary searches were ~5 ms); by a search
        where the span is too wide for one."""
        days = self.days
        if not len(query_day):
            return np.zeros(0, np.int64)
        if not len(days):
            return None
        low, high = int(days[0]), int(days[-1])
        if high - low < _POSITION_SPAN:
            if int(query_day.min()) < low or int(query_day.max()) > high:
                return None
            lookup = np.full(high - low + 1, -1, np.int64)
            lookup[days - low] = np.arange(len(days))
            position = lookup[query_day - low]
            return None if int(position.min()) < 0 else position
        position = np.minimum(np.searchsorted(days, query_day), len(days) - 1)
        return None if np.any(days[position] != query_day) else position


_POSITION_SPAN = 1 << 20
""":meth:`KeyedAsOf._positions` uses a look-up table when the asked days span fewer days than this."""


def _composite_offset(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """``high << 32 | low`` for ``low`` in ``[0, 2^32)`` (sorts by ``high``, then ``low``)."""
    return (np.asarray(high, np.int64) << 32) | np.asarray(low, np.int64)
