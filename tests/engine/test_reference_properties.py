"""SPEC section 4, rule by rule, against the reference engine (the oracle of the vectorised one)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from opvangkern.engine import reference as ref

modest = settings(max_examples=80, deadline=None)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
amounts = st.one_of(
    st.integers(-1_000_000, 1_000_000).map(float),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
targets = st.one_of(st.integers(0, 1_000_000).map(float), st.floats(0, 1e6, allow_nan=False))
points = st.lists(st.tuples(days, amounts), min_size=1, max_size=8)
distinct_points = st.lists(st.tuples(days, amounts), min_size=1, max_size=8, unique_by=lambda p: p[0])
realised = st.floats(0, 2e6, allow_nan=False)
ONE = timedelta(days=1)
RANK = {ref.ACHTER: 0, ref.LICHT_ACHTER: 1, ref.OP_SCHEMA: 2}


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- the seed ------------------------------------------------------------------------------------


def test_seed_housing_on_the_last_point() -> None:
    line = [(date(2025, 7, 1), 454), (date(2026, 1, 1), 819)]
    assert ref.indicative_schedule(line, date(2025, 12, 31)) == 819.0


def test_seed_nidos_between_points() -> None:
    line = [(date(2025, 7, 1), 90), (date(2026, 1, 1), 95)]
    assert ref.indicative_schedule(line, date(2025, 12, 29)) == pytest.approx(94.9457, abs=1e-4)


# --- the line ------------------------------------------------------------------------------------


@modest
@given(points)
def test_line_passes_through_every_point(pts: list) -> None:
    for day, amount in ref.normalise_points(pts):
        assert ref.line_value(pts, day) == amount


@modest
@given(points, st.data())
def test_line_lies_between_neighbouring_points(pts: list, data: st.DataObject) -> None:
    line = ref.normalise_points(pts)
    assume(len(line) >= 2)
    i = data.draw(st.integers(0, len(line) - 2))
    (d0, a0), (d1, a1) = line[i], line[i + 1]
    day = d0 + timedelta(days=data.draw(st.integers(0, (d1 - d0).days)))
    value = ref.line_value(pts, day)
    slack = 1e-9 * max(abs(a0), abs(a1), 1.0)
    assert min(a0, a1) - slack <= value <= max(a0, a1) + slack


@modest
@given(points, st.data())
def test_line_is_monotone_within_a_segment(pts: list, data: st.DataObject) -> None:
    line = ref.normalise_points(pts)
    assume(len(line) >= 2)
    i = data.draw(st.integers(0, len(line) - 2))
    (d0, a0), (d1, a1) = line[i], line[i + 1]
    x, y = sorted(data.draw(st.lists(st.integers(0, (d1 - d0).days), min_size=2, max_size=2)))
    vx, vy = ref.line_value(pts, d0 + timedelta(days=x)), ref.line_value(pts, d0 + timedelta(days=y))
    assert (vx <= vy) if a0 <= a1 else (vx >= vy)


@modest
@given(points, st.integers(0, 20_000))
def test_line_is_clamped_outside_the_points(pts: list, gap: int) -> None:
    line = ref.normalise_points(pts)
    assert ref.line_value(pts, line[0][0] - timedelta(days=gap)) == line[0][1]
    assert ref.line_value(pts, line[-1][0] + timedelta(days=gap)) == line[-1][1]


@modest
@given(days, amounts, days)
def test_one_point_is_flat(day: date, amount: float, other: date) -> None:
    assert ref.line_value([(day, amount)], other) == amount
    assert ref.segment([(day, amount)], other) == ((day, amount), (day, amount))


def test_no_points_is_an_error() -> None:
    with pytest.raises(ValueError):
        ref.line_value([], date(2025, 1, 1))
    with pytest.raises(ValueError):
        ref.segment([], date(2025, 1, 1))


@modest
@given(points, days)
def test_schedule_is_the_line_at_the_start_of_the_next_day(pts: list, peildatum: date) -> None:
    assert ref.indicative_schedule(pts, peildatum) == ref.line_value(pts, peildatum + ONE)


def test_missing_amount_is_no_point() -> None:
    line = [(date(2025, 1, 1), 10.0), (date(2026, 1, 1), None), (date(2027, 1, 1), float("nan"))]
    assert ref.normalise_points(line) == [(date(2025, 1, 1), 10.0)]
    assert ref.last_target(line) == 10.0
    assert ref.last_target([]) is None


# --- duplicate dates and row order -------------------------------------------------------------


def test_later_decision_on_the_same_date_wins() -> None:
    first, later = (date(2025, 7, 1), 100.0), (date(2025, 7, 1), 120.0)
    assert ref.normalise_points([first, later]) == [later]
    assert ref.normalise_points([later, first]) == [first]
    assert ref.line_value([first, (date(2026, 1, 1), 200.0), later], date(2025, 7, 1)) == 120.0


@modest
@given(distinct_points, days, st.randoms(use_true_random=False))
def test_order_of_distinct_dates_does_not_matter(pts: list, peildatum: date, rnd: random.Random) -> None:
    shuffled = pts[:]
    rnd.shuffle(shuffled)
    assert ref.normalise_points(shuffled) == ref.normalise_points(pts)
    assert ref.indicative_schedule(shuffled, peildatum) == ref.indicative_schedule(pts, peildatum)
    assert ref.segment(shuffled, peildatum) == ref.segment(pts, peildatum)


@modest
@given(points, st.randoms(use_true_random=False))
def test_only_the_order_among_equal_dates_matters(pts: list, rnd: random.Random) -> None:
    # Interleave the dates at random but keep each date's points in their input order.
    queues: dict[date, list] = {}
    for p in pts:
        queues.setdefault(p[0], []).append(p)
    draw_order = [p[0] for p in pts]
    rnd.shuffle(draw_order)
    shuffled = [queues[day].pop(0) for day in draw_order]
    assert ref.normalise_points(shuffled) == ref.normalise_points(pts)
    expected = {day: amount for day, amount in pts}  # the last one per date
    assert ref.normalise_points(pts) == sorted(expected.items())


# --- the segment --------------------------------------------------------------------------------


@modest
@given(points, days)
def test_segment_holds_the_next_day(pts: list, peildatum: date) -> None:
    line = ref.normalise_points(pts)
    assume(len(line) >= 2)
    start, end = ref.segment(pts, peildatum)
    assert line.index(end) == line.index(start) + 1
    day = peildatum + ONE
    if day < line[0][0]:
        assert start == line[0]
    elif day >= line[-1][0]:
        assert end == line[-1]
    else:
        assert start[0] <= day < end[0]  # a day on an inner point starts that point's segment
    value = ref.indicative_schedule(pts, peildatum)
    slack = 1e-9 * max(abs(start[1]), abs(end[1]), 1.0)
    assert min(start[1], end[1]) - slack <= value <= max(start[1], end[1]) + slack


def test_segment_on_points() -> None:
    line = [(date(2025, 1, 1), 10.0), (date(2025, 7, 1), 20.0), (date(2026, 1, 1), 40.0)]
    on = lambda day: ref.segment(line, day - ONE)  # noqa: E731 - the peildatum whose next day is `day`
    assert on(date(2024, 1, 1)) == (line[0], line[1])
    assert on(date(2025, 1, 1)) == (line[0], line[1])
    assert on(date(2025, 7, 1)) == (line[1], line[2])
    assert on(date(2026, 1, 1)) == (line[1], line[2])
    assert on(date(2030, 1, 1)) == (line[1], line[2])


# --- sums of areas -----------------------------------------------------------------------------


@modest
@given(st.lists(st.lists(st.tuples(days, targets), max_size=5), max_size=5), days)
def test_schedule_of_a_sum_is_the_sum_of_schedules(lines: list, peildatum: date) -> None:
    total = ref.sum_lines(lines)
    parts = [line for line in lines if ref.normalise_points(line)]
    if not parts:
        assert total == []
        return
    expected = math.fsum(ref.indicative_schedule(line, peildatum) for line in parts)
    assert close(ref.indicative_schedule(total, peildatum), expected)


@modest
@given(st.lists(st.lists(st.tuples(days, targets), min_size=1, max_size=5), min_size=1, max_size=5))
def test_sum_has_the_union_of_dates(lines: list) -> None:
    total = ref.sum_lines(lines)
    assert [day for day, _ in total] == sorted({day for line in lines for day, _ in line})


def test_sum_of_one_line_is_that_line() -> None:
    line = [(date(2025, 7, 1), 454.0), (date(2026, 1, 1), 819.0)]
    assert ref.sum_lines([line]) == line
    assert ref.sum_lines([line, []]) == line


# --- realisatiegraad, status, achterstand, delta --------------------------------------------------


@modest
@given(realised, realised, st.floats(0.01, 1e6))
def test_status_is_monotone_in_the_realisation(r1: float, r2: float, schema: float) -> None:
    low, high = sorted((r1, r2))
    assert RANK[ref.status(low, schema)] <= RANK[ref.status(high, schema)]


@modest
@given(realised, st.floats(0.01, 1e6), st.floats(0, 2), st.floats(0, 2))
def test_status_follows_the_thresholds(r: float, schema: float, t1: float, t2: float) -> None:
    licht, op = sorted((t1, t2))
    graad = ref.realisatiegraad(r, schema)
    expected = ref.OP_SCHEMA if graad >= op else ref.LICHT_ACHTER if graad >= licht else ref.ACHTER
    assert ref.status(r, schema, op_schema=op, licht_achter=licht) == expected


def test_status_edges() -> None:
    assert ref.status(100, 100) == "op_schema"
    assert ref.status(75, 100) == "licht_achter"
    assert ref.status(74.99, 100) == "achter"
    assert ref.status(0, 0) == "geen_opgave"
    assert ref.status(None, 0) == "geen_opgave"
    assert ref.status(5, None) is None
    assert ref.status(None, 5) is None
    assert ref.realisatiegraad(5, 0) is None
    assert ref.realisatiegraad(5, 10) == 0.5
    with pytest.raises(ValueError):
        ref.status(1, 1, op_schema=0.5, licht_achter=0.75)


@modest
@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_achterstand_plus_realisatie_is_schema(schema: float, realisatie: float) -> None:
    backlog = ref.achterstand(schema, realisatie)
    assert close(backlog + realisatie, schema)
    assert (backlog > 0) == (realisatie < schema)  # positive is behind


def test_achterstand_and_delta_with_missing_values() -> None:
    assert ref.achterstand(None, 3) is None
    assert ref.achterstand(3, None) is None
    assert ref.delta(10, 3) == 7
    assert ref.delta(None, 3) == -3
    assert ref.delta(10, None) == 10
    assert ref.delta(None, None) == 0
