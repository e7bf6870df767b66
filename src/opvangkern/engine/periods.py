"""A target line's periods: where a line turns from one period's target to the next one's.

A housing half-year's line ends at its corrected target on the day ``B`` after the half-year, and the next
half-year's line starts on that very day at the new backlog (the realised count starts again at 0). The
readers keep both on one line (``quota_checks.housing_turns``, ``contributed.period_jumps``): the old
period's end on ``B`` and ``B + 1``, the new period's line from ``B + 2`` on. That shape, a point on ``B`` and
an equal one on ``B + 1`` after an earlier point, then a different one on ``B + 2``, is a **turn**. A peildatum
``p`` reads the line at ``p + 1``, so ``p ≤ B`` belongs to the old period and ``p ≥ B + 1`` to the new one.

- :func:`period_start`: the first peildatum of the period of each query (``B + 1`` of its latest turn with
  ``B + 1 ≤ p``), null when its line has no turn before it. ``prognose`` measures a pace within it only: a
  count that restarts at 0 compared with the previous period's count is no pace.
- :func:`card_segments`: the card's startpunt/eindpunt as the period's own: a card of the old period (``p + 1``
  on ``B`` or ``B + 1``) names its period's last segment (to ``B``), not the two-day piece kept for it; a card
  of the new period whose segment starts at ``B + 2`` names ``B``, the period's real start, with the new line's
  value there (the backlog).
- :func:`period_end`: the last point of the card's own period (``doel``/``doeldatum`` of ``prognose``, the
  target of the ``gemeenten`` table): the point on ``B`` of the earliest turn with ``p ≤ B``, the line's last
  point when there is none. A December card beside a 2026-I line reads 2025-II's end (819 on 1 January),
  not 2026-I's: the December count is a 2025-II count.

Pure functions on :class:`~opvangkern.engine.vectorised.Lines`; the oracle is
:mod:`opvangkern.engine.reference_periods`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from opvangkern.engine.vectorised import ArrayLike, Lines, _arrow, _composite, _days, _line_index, _to_arrow

__all__ = ["turns", "period_start", "period_end", "card_segments"]

_TOLERANCE = 1e-9


def turns(lines: Lines) -> tuple[np.ndarray, np.ndarray]:
    """(line position, index of the point on ``B``) of every turn, ordered by line and day."""
    day, amount, offsets = lines.day.astype(np.int64), lines.amount, lines.offsets
    n = len(day)
    if n < 4:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    owner = np.repeat(np.arange(len(lines.ids), dtype=np.int64), np.diff(offsets))
    i = np.arange(1, n - 2)  # a point before B is needed: a period that ends at B began earlier
    same = (owner[i - 1] == owner[i]) & (owner[i] == owner[i + 2])
    consecutive = (day[i + 1] == day[i] + 1) & (day[i + 2] == day[i] + 2)
    scale = _TOLERANCE * (1 + np.abs(amount[i]))
    flat = np.abs(amount[i + 1] - amount[i]) <= scale
    jump = np.abs(amount[i + 2] - amount[i + 1]) > scale
    found = i[same & consecutive & flat & jump]
    return owner[found], found


def period_start(lines: Lines, query_line: ArrayLike, peildatum: ArrayLike) -> pa.Array:
    """The first peildatum of each query's period (``date32``): ``B + 1`` of the latest turn of its line
    with ``B + 1 ≤ p``; null when there is none (the line's first period, or no turn at all)."""
    p, p_missing = _days(peildatum)
    idx = _line_index(lines, _arrow(query_line))
    n = len(idx)
    owner, at = turns(lines)
    if not len(owner) or not n:
        return pa.nulls(n, pa.date32())
    first = lines.day[at].astype(np.int64) + 1
    key = _composite(owner, first)  # ascending: turns come ordered by line and day
    hit = np.searchsorted(key, _composite(np.maximum(idx, 0), p), side="right") - 1
    ok = (hit >= 0) & (idx >= 0) & ~p_missing
    ok[ok] = owner[hit[ok]] == idx[ok]
    values = np.where(ok, first[np.where(ok, hit, 0)], 0).astype(np.int32)
    return _to_arrow(values, ~ok, pa.int32()).view(pa.date32())


def period_end(lines: Lines, query_line: ArrayLike, peildatum: ArrayLike) -> tuple[pa.Array, pa.Array]:
    """(date, amount) of the last point of each query's period: the point on ``B`` of the earliest turn of its
    line with ``p ≤ B`` (a peildatum ``p ≤ B`` reads the old period's line); the line's last point when there
    is none (no turn, the last period, or a null peildatum), as :func:`~opvangkern.engine.history.last_point`
    gives it; nulls for a line without points."""
    idx = _line_index(lines, _arrow(query_line))
    missing = idx < 0
    n = len(idx)
    if not len(lines):
        zeros = np.zeros(n, np.int32)
        return (_to_arrow(zeros, missing, pa.int32()).view(pa.date32()),
                _to_arrow(zeros.astype(np.float64), missing, pa.float64()))
    point = lines.offsets[np.where(missing, 0, idx + 1)] - 1  # the line's last point
    owner, at = turns(lines)
    if len(owner) and n:
        p, p_missing = _days(peildatum)
        key = _composite(owner, lines.day[at])  # ascending: turns come ordered by line and day
        hit = np.searchsorted(key, _composite(np.maximum(idx, 0), p), side="left")  # the first with B >= p
        ok = (hit < len(key)) & ~missing & ~p_missing
        ok[ok] = owner[hit[ok]] == idx[ok]
        point = np.where(ok, at[np.where(ok, hit, 0)], point)
    day = lines.day[point].astype(np.int32)
    amount = lines.amount[point].astype(np.float64)
    return _to_arrow(day, missing, pa.int32()).view(pa.date32()), _to_arrow(amount, missing, pa.float64())


def card_segments(lines: Lines, query_line: ArrayLike, peildatum: ArrayLike,
                  evaluated: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """``evaluated`` (:func:`~opvangkern.engine.vectorised.evaluate`'s columns for the same queries) with
    ``startdatum``, ``startpunt``, ``einddatum`` and ``eindpunt`` named by the period the card belongs to
    (module doc). Rows without a turn near their day keep theirs; the schedule is not touched."""
    owner, at = turns(lines)
    if not len(owner):
        return evaluated
    p, p_missing = _days(peildatum)
    idx = _line_index(lines, _arrow(query_line))
    names = ("startdatum", "startpunt", "einddatum", "eindpunt")
    if any(name not in evaluated for name in names):
        return evaluated
    columns = {name: evaluated[name].to_pylist() for name in names}
    turn_days = lines.day[at].astype(np.int64)
    changed = False
    for row in np.flatnonzero(~p_missing & np.isin(idx, owner)):
        day = int(p[row]) + 1
        line = int(idx[row])
        for point, b in zip(at[owner == line], turn_days[owner == line]):
            point, b = int(point), int(b)
            if day in (b, b + 1):  # the old period's card: its last segment, to B
                start, end = (_day(lines, point - 1), float(lines.amount[point - 1])), (_day(lines, point),
                                                                                       float(lines.amount[point]))
            elif _day_number(columns["startdatum"][row]) == b + 2:  # the new period's first segment: from B
                value, after = float(lines.amount[point + 2]), point + 3
                if after < lines.offsets[line + 1]:
                    slope = (float(lines.amount[after]) - value) / (int(lines.day[after]) - (b + 2))
                    value -= 2 * slope
                start, end = (_day(lines, point), value), (columns["einddatum"][row], columns["eindpunt"][row])
            else:
                continue
            columns["startdatum"][row], columns["startpunt"][row] = start
            columns["einddatum"][row], columns["eindpunt"][row] = end
            changed = True
            break
    if not changed:
        return evaluated
    out = dict(evaluated)
    for name in names:
        out[name] = pa.array(columns[name], evaluated[name].type)
    return out


def _day(lines: Lines, point: int):
    import datetime as dt

    return dt.date(1970, 1, 1) + dt.timedelta(days=int(lines.day[point]))


def _day_number(value) -> int | None:
    import datetime as dt

    return None if value is None else (value - dt.date(1970, 1, 1)).days
