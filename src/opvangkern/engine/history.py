"""The engine over time (SPEC §12): realisations as of many days, the previous peildatum, the pace.

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
    sources, codes = _encode(_concat(file_src, row_src))
    file_code, row_code = codes[: len(file_src)], codes[len(file_src):]
    file_day, file_day_missing = _days(file_peildatum)
    # The files, as sorted distinct (source, day) keys.
    keep = (file_code >= 0) & ~file_day_missing
    file_key = _unique(_composite(file_code[keep], file_day[keep]))
    file_owner = file_key >> 32

    # The rows, summed per (file, group): a file's index in ``file_key`` and the group's code.
    row_group_array, query_group_array = _arrow(group), _arrow(query_group)
    groups, group_codes = _encode(_concat(row_group_array, query_group_array))
    row_group, q_group = group_codes[: len(row_group_array)], group_codes[len(row_group_array):]
    row_day, row_day_missing = _days(peildatum)
    values = _floats(aantal)
    n_rows = len(row_src)
    if not (len(row_day) == len(row_group) == len(values) == n_rows):
        raise ValueError("the row columns differ in length")
    row_key = _composite(row_code, row_day)
    row_file = np.searchsorted(file_key, row_key)
    in_files = row_file < len(file_key)
    in_files[in_files] = file_key[row_file[in_files]] == row_key[in_files]
    usable = (row_code >= 0) & ~row_day_missing & (row_group >= 0) & ~np.isnan(values) & in_files
    sum_key = _composite(row_file[usable], row_group[usable])
    sum_keys, sums = _sum_by_key(sum_key, values[usable])

    # Every query against every source: the source's latest file on or before the day.
    q_day, q_day_missing = _days(query_peildatum)
    n = len(q_group)
    if len(q_day) != n:
        raise ValueError("the query columns differ in length")
    total = np.zeros(n, np.float64)
    found_any = np.zeros(n, bool)
    for code in range(len(sources)):  # a handful of sources: the loop is over sources, not rows
        position = np.searchsorted(file_key, _composite(np.full(n, code), q_day), side="right") - 1
        has_file = position >= 0
        has_file[has_file] = file_owner[position[has_file]] == code
        found_any |= has_file
        wanted = _composite(np.where(has_file, position, 0), np.maximum(q_group, 0))
        hit = np.searchsorted(sum_keys, wanted)
        hit_valid = has_file & (hit < len(sum_keys))
        hit_valid[hit_valid] = sum_keys[hit[hit_valid]] == wanted[hit_valid]
        total[hit_valid] += sums[hit[hit_valid]]
    missing = ~found_any | q_day_missing | (q_group < 0)
    integer = _is_integer(aantal)
    return _to_arrow(total.astype(np.int64) if integer else total, missing, pa.int64() if integer else pa.float64())


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
    _, codes = _encode(_concat(h_group_array, q_group_array))
    h_group, q_group = codes[: len(h_group_array)], codes[len(h_group_array):]
    h_day, h_missing = _days(history_peildatum)
    q_day, q_missing = _days(query_peildatum)
    if len(h_day) != len(h_group) or len(q_day) != len(q_group):
        raise ValueError("columns differ in length")
    keep = (h_group >= 0) & ~h_missing
    key = _unique(_composite(h_group[keep], h_day[keep]))
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
    :func:`opvangkern.engine.reference_history.pace` (SPEC §12). ``prognose`` is a string column of
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

