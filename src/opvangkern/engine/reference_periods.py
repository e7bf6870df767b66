"""The oracle of :mod:`opvangkern.engine.periods`: a line's turns, the first peildatum of a period, the last
point of a period and the card's segment, one line at a time in plain Python."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from opvangkern.engine.reference import Point, normalise_points, segment

__all__ = ["turns", "period_start", "period_end", "card_segment"]

_ONE_DAY = timedelta(days=1)


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * (1 + abs(a))


def turns(points: Iterable[tuple[date, float | None]]) -> list[date]:
    """The days ``B`` of the line's turns: a point on ``B`` after an earlier point, an equal one on ``B + 1``
    and a different one on ``B + 2``."""
    line = normalise_points(points)
    return [line[i][0] for i in range(1, len(line) - 2)
            if line[i + 1][0] == line[i][0] + _ONE_DAY and line[i + 2][0] == line[i][0] + 2 * _ONE_DAY
            and _equal(line[i][1], line[i + 1][1]) and not _equal(line[i][1], line[i + 2][1])]


def period_start(points: Iterable[tuple[date, float | None]], peildatum: date) -> date | None:
    """``B + 1`` of the latest turn with ``B + 1 ≤ peildatum``; ``None`` when there is none."""
    starts = [b + _ONE_DAY for b in turns(points) if b + _ONE_DAY <= peildatum]
    return max(starts) if starts else None


def period_end(points: Iterable[tuple[date, float | None]], peildatum: date | None) -> Point | None:
    """The last point of the peildatum's period: the point on ``B`` of the earliest turn with
    ``peildatum ≤ B``; the line's last point when there is none (or no peildatum); ``None`` without points."""
    line = normalise_points(points)
    if not line:
        return None
    if peildatum is not None:
        ends = [b for b in turns(line) if peildatum <= b]
        if ends:
            b = min(ends)
            return b, dict(line)[b]
    return line[-1]


def card_segment(points: Iterable[tuple[date, float | None]], peildatum: date) -> tuple[Point, Point]:
    """``reference.segment``, named by the card's period: ``p + 1`` on a turn's ``B`` or ``B + 1`` gives the
    segment ending at ``B``; a segment starting at ``B + 2`` starts at ``B`` with the new line's value there."""
    line = normalise_points(points)
    start, end = segment(line, peildatum)
    day = peildatum + _ONE_DAY
    where = {d: i for i, (d, _) in enumerate(line)}
    for b in turns(line):
        i = where[b]
        if day in (b, b + _ONE_DAY):
            return line[i - 1], line[i]
        if start[0] == b + 2 * _ONE_DAY:
            value = line[i + 2][1]
            if i + 3 < len(line):
                value -= 2 * (line[i + 3][1] - value) / (line[i + 3][0] - line[i + 2][0]).days
            return (b, value), end
    return start, end
