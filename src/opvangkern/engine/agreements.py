"""Agreements (*afspraken*, SPEC §13) applied to target lines, over whole Arrow columns.

The rule is :mod:`opvangkern.engine.reference_agreements` (the oracle of the tests), done in NumPy
without a Python loop over agreements or points: the giving line's points on or after
``ingangsdatum`` are lowered by ``aantal``, the receiving line's own points on or after it raised, and a
receiving line without such a point (or without any line) takes the giving line's later dates first.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from opvangkern.engine.vectorised import (
    _BIAS, _LOW, ArrayLike, Lines, _arrow, _composite, _days, _expand, _floats, _lines_from_points,
    _positions, _same_length, _unique, _values_at,
)

__all__ = ["apply_agreements"]


def apply_agreements(lines: Lines, van: ArrayLike, naar: ArrayLike, ingangsdatum: ArrayLike,
                     aantal: ArrayLike) -> Lines:
    """The target lines after the agreements, one agreement per row of the four columns.

    ``van`` and ``naar`` are line ids (of ``lines.ids``' type); a ``naar`` without a line gets one. The
    result holds every line of ``lines`` plus those new lines, as
    :func:`opvangkern.engine.reference_agreements.apply_agreements`. Raises ``ValueError`` for a missing
    value, an ``aantal`` that is not above 0, a ``van`` without a line, or an ``ingangsdatum`` after
    every point of the giving line.
    """
    van_ids, naar_ids = _arrow(van), _arrow(naar)
    day, day_missing = _days(ingangsdatum)
    amount = _floats(aantal)
    n = _same_length(van_ids, naar_ids, day, amount)
    if n == 0:
        return lines
    if van_ids.null_count or naar_ids.null_count or day_missing.any():
        raise ValueError("an agreement needs van, naar and ingangsdatum")
    if not np.all((amount > 0) & np.isfinite(amount)):
        raise ValueError("aantal must be a number above 0")
    if not len(lines):
        raise ValueError("the giving line of an agreement has no points")
    if van_ids.type != lines.ids.type:
        van_ids = van_ids.cast(lines.ids.type)
    if naar_ids.type != lines.ids.type:
        naar_ids = naar_ids.cast(lines.ids.type)

    counts = np.diff(lines.offsets)
    last_day = lines.day[lines.offsets[1:] - 1]
    giving = _positions(van_ids, lines.ids)
    if (giving < 0).any():
        raise ValueError("the giving line of an agreement has no points")
    if (last_day[giving] < day).any():
        raise ValueError("an ingangsdatum lies after every point of the giving line")
    receiving = _positions(naar_ids, lines.ids)  # -1: a new line

    # Every id of the result, sorted: the lines' own and the new receivers'.
    ids = pa.concat_arrays([lines.ids, naar_ids])
    ids = _sorted_unique(ids)
    own_index = _positions(lines.ids, ids)
    giving_index, receiving_index = _positions(van_ids, ids), _positions(naar_ids, ids)

    # The points: the lines' own, plus the giving line's later dates for a receiver without a point
    # on or after ingangsdatum (all of them for a receiver without a line).
    owner = np.repeat(np.arange(len(lines)), counts)
    keys = [_composite(own_index[owner], lines.day)]
    lacking = np.flatnonzero((receiving < 0) | (last_day[np.maximum(receiving, 0)] < day))
    if len(lacking):
        after = np.where(receiving[lacking] < 0, np.iinfo(np.int32).min, last_day[np.maximum(receiving[lacking], 0)])
        which, point = _expand(lines.offsets[giving[lacking]], counts[giving[lacking]])
        keep = lines.day[point] > after[which]
        keys.append(_composite(receiving_index[lacking][which[keep]], lines.day[point[keep]]))
    points = _unique(np.concatenate(keys))
    point_line, point_day = points >> 32, ((points & _LOW) - _BIAS).astype(np.int32)

    # Base value: the line's own value there (0 for a new line).
    original = _positions(ids, lines.ids)[point_line]
    base = np.zeros(len(points), np.float64)
    has_line = original >= 0
    if has_line.any():
        base[has_line] = _values_at(lines, original[has_line], point_day[has_line])

    # Changes: every (point, agreement side of its line) pair with the point on or after the date,
    # summed per point in ascending order of the change (the reference's sum(sorted(...))).
    side_line = np.concatenate([giving_index, receiving_index])
    side_day = np.concatenate([day, day])
    side_change = np.concatenate([-amount, amount])
    order = np.lexsort((side_change, side_line))
    side_line, side_day, side_change = side_line[order], side_day[order], side_change[order]
    line_first = np.searchsorted(side_line, np.arange(len(ids) + 1))
    which, side = _expand(line_first[point_line], np.diff(line_first)[point_line])
    applies = point_day[which] >= side_day[side]
    delta = np.bincount(which[applies], weights=side_change[side[applies]], minlength=len(points))
    return _lines_from_points(ids, point_line, point_day, base + delta)


def _sorted_unique(ids: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    distinct = pc.unique(ids)
    return distinct.take(pc.sort_indices(distinct))

