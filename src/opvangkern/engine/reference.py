"""The reference engine: [The engine](engine.md) in plain Python, one rule per function.

This module is the oracle. It is written to be read against the contract, not to be fast: plain
floats, ``datetime.date`` and lists. The vectorised engine (:mod:`opvangkern.engine`) must agree with
it; the property tests check this module against the contract and the other against this module.

A *line* is a sequence of quota points ``(date, amount)``. A point's date is the start of that day.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

__all__ = [
    "Point",
    "STATUS_VALUES",
    "normalise_points",
    "line_value",
    "indicative_schedule",
    "segment",
    "last_target",
    "realisatiegraad",
    "status",
    "achterstand",
    "delta",
    "sum_lines",
]

Point = tuple[date, float]

OP_SCHEMA = "op_schema"
LICHT_ACHTER = "licht_achter"
ACHTER = "achter"
GEEN_OPGAVE = "geen_opgave"
STATUS_VALUES: tuple[str, ...] = (OP_SCHEMA, LICHT_ACHTER, ACHTER, GEEN_OPGAVE)
"""Every status value, in the order of the vectorised engine's dictionary codes."""

_ONE_DAY = timedelta(days=1)


def _missing(value: float | None) -> bool:
    # NumPy has no null, so a NaN is how a missing number arrives there; treat both alike.
    return value is None or value != value


def normalise_points(points: Iterable[tuple[date, float | None]]) -> list[Point]:
    """Sort ``points`` by date, keeping one point per date: the one that comes later in the input.

    A point whose amount is missing (``None`` or NaN) is no point: an area missing from a quota file
    has no target there, which differs from 0. Amounts become ``float``.
    """
    by_date: dict[date, float] = {}
    for day, amount in points:
        if _missing(amount):
            continue
        by_date.pop(day, None)  # the later decision in the manifest wins
        by_date[day] = float(amount)
    return sorted(by_date.items())


def line_value(points: Iterable[tuple[date, float | None]], day: date) -> float:
    """Value of the piecewise-linear target line through ``points`` at the start of ``day``.

    Flat at the first amount before the first point, flat at the last amount from the last point
    on; one point gives a flat line. Raises ``ValueError`` when there are no points.
    """
    line = normalise_points(points)
    if not line:
        raise ValueError("a target line needs at least one point")
    if day <= line[0][0]:
        return line[0][1]
    if day >= line[-1][0]:
        return line[-1][1]
    i = bisect_right([d for d, _ in line], day) - 1
    (d0, a0), (d1, a1) = line[i], line[i + 1]
    # The vectorised engine evaluates this exact expression, so both agree to the last bit.
    return a0 + (a1 - a0) * ((day - d0).days / (d1 - d0).days)


def indicative_schedule(points: Iterable[tuple[date, float | None]], peildatum: date) -> float:
    """The indicative schedule for ``peildatum``: the line's value at the start of ``peildatum + 1``.

    A peildatum is the state at the end of that day, hence the next day's start.
    """
    return line_value(points, peildatum + _ONE_DAY)


def segment(points: Iterable[tuple[date, float | None]], peildatum: date) -> tuple[Point, Point]:
    """The card's (startpunt, eindpunt): the two points of the segment that holds ``peildatum + 1``.

    Before the first point: the first segment. From the last point on: the last segment. One point:
    that point twice. A day exactly on an inner point lies in the segment that *starts* there (the
    line has reached that point and heads for the next one). Raises ``ValueError`` without points.
    """
    line = normalise_points(points)
    if not line:
        raise ValueError("a target line needs at least one point")
    if len(line) == 1:
        return line[0], line[0]
    i = bisect_right([d for d, _ in line], peildatum + _ONE_DAY) - 1
    i = min(max(i, 0), len(line) - 2)
    return line[i], line[i + 1]


def last_target(points: Iterable[tuple[date, float | None]]) -> float | None:
    """The amount of the line's last point (the total target), ``None`` without points."""
    line = normalise_points(points)
    return line[-1][1] if line else None


def realisatiegraad(realisatie: float | None, schema: float | None) -> float | None:
    """realisatie / indicatief schema; ``None`` when the schedule is 0 or either value is missing."""
    if _missing(realisatie) or _missing(schema) or schema == 0:
        return None
    return realisatie / schema


def status(
    realisatie: float | None,
    schema: float | None,
    *,
    op_schema: float = 1.0,
    licht_achter: float = 0.75,
) -> str | None:
    """The card's status for a realisation against its indicative schedule.

    ``"geen_opgave"`` when the schedule is 0 (whatever the realisation); otherwise, by realisatiegraad,
    ``"op_schema"`` at or above ``op_schema``, ``"licht_achter"`` at or above ``licht_achter``,
    ``"achter"`` below. ``None`` when the schedule is missing, or the realisation is missing while
    there is a schedule. Raises ``ValueError`` when ``licht_achter > op_schema``.
    """
    _check_thresholds(op_schema, licht_achter)
    if _missing(schema):
        return None
    if schema == 0:
        return GEEN_OPGAVE
    graad = realisatiegraad(realisatie, schema)
    if graad is None:
        return None
    if graad >= op_schema:
        return OP_SCHEMA
    if graad >= licht_achter:
        return LICHT_ACHTER
    return ACHTER


def _check_thresholds(op_schema: float, licht_achter: float) -> None:
    if not licht_achter <= op_schema:
        raise ValueError(f"licht_achter ({licht_achter}) must not exceed op_schema ({op_schema})")


def achterstand(schema: float | None, realisatie: float | None) -> float | None:
    """indicatief schema − realisatie: positive is behind, negative (voorsprong) ahead.

    ``None`` when either value is missing.
    """
    if _missing(schema) or _missing(realisatie):
        return None
    return schema - realisatie


def delta(last_target: float | None, realisatie: float | None) -> float:
    """The municipality table's delta: last target − realisatie, a missing value counting as 0."""
    return (0.0 if _missing(last_target) else last_target) - (0.0 if _missing(realisatie) else realisatie)


def sum_lines(lines: Iterable[Iterable[tuple[date, float | None]]]) -> list[Point]:
    """The target line of a sum of areas, from the lines of its parts.

    Its points lie on the union of the parts' dates, each the sum of the parts' values there. This
    is exact: between two consecutive dates of the union every part is linear (or flat), so the sum
    is too. A part without points adds nothing; no points at all gives an empty line.
    """
    parts = [line for line in map(normalise_points, lines) if line]
    days = sorted({day for line in parts for day, _ in line})
    return [(day, math.fsum(line_value(line, day) for line in parts)) for day in days]
