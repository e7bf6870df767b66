"""Agreements (afspraken, SPEC §13) on target lines: the reference rule's properties, and the vectorised
engine against the reference."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import engine
from opvangkern.engine import reference as ref
from opvangkern.engine.reference_agreements import apply_agreements as ref_apply

modest = settings(max_examples=80, deadline=None)

IDS = ["GM0106/asiel", "GM0114/asiel", "GM0118/asiel", "GM0106/amv", "VR03/oekraine"]
NEW_IDS = ["GM1690/asiel", "GM0109/amv"]
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
whole = st.integers(0, 5_000).map(float)
amounts = st.one_of(whole, st.floats(0, 5_000, allow_nan=False))


@st.composite
def lines_strategy(draw, amount=amounts, shared_dates: bool = False):
    """Lines by id: either each with its own dates, or all on the same decision dates."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=len(IDS), unique=True))
    if shared_dates:
        dates = draw(st.lists(days, min_size=1, max_size=4, unique=True))
        return {i: [(d, draw(amount)) for d in dates] for i in ids}
    return {i: draw(st.lists(st.tuples(days, amount), min_size=1, max_size=5)) for i in ids}


@st.composite
def agreement_strategy(draw, lines, *, new_receivers: bool = True, amount=st.integers(1, 500).map(float),
                       both_sides_valid: bool = False, max_size: int = 5):
    """Valid agreements on ``lines``: each giving line has a point on or after the date."""
    normal = {k: ref.normalise_points(v) for k, v in lines.items()}
    receivers = list(lines) + (NEW_IDS if new_receivers else [])
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        van = draw(st.sampled_from(sorted(normal)))
        naar = draw(st.sampled_from(receivers))
        last = normal[van][-1][0]
        if both_sides_valid:
            last = min(last, normal[naar][-1][0])
        day = draw(st.dates(min_value=date(2023, 6, 1), max_value=last))
        out.append((van, naar, day, draw(amount)))
    return out


def build(lines: dict) -> engine.Lines:
    rows = [(k, d, a) for k, pts in lines.items() for d, a in pts]
    ids, dates, values = zip(*rows)
    return engine.build_lines(pa.array(ids, pa.string()), pa.array(dates, pa.date32()), pa.array(values, pa.float64()))


def as_dict(lines: engine.Lines) -> dict:
    out: dict = {}
    for row in lines.to_table().to_pylist():
        out.setdefault(row["line_id"], []).append((row["datum"], row["aantal"]))
    return out


def vectorised(lines: dict, agreements: list) -> dict:
    van, naar, day, aantal = zip(*agreements) if agreements else ((), (), (), ())
    result = engine.apply_agreements(build(lines), pa.array(van, pa.string()), pa.array(naar, pa.string()),
                                     pa.array(day, pa.date32()), pa.array(aantal, pa.float64()))
    return as_dict(result)


def value(points: list, day: date) -> float:
    return ref.line_value(points, day) if points else 0.0


def probe_days(lines: dict, agreements: list) -> list[date]:
    found = {d for pts in lines.values() for d, _ in pts} | {a[2] for a in agreements}
    found |= {d + timedelta(days=k) for d in list(found) for k in (-1, 1)}
    return sorted(found)


# --- the properties of SPEC §13 ---------------------------------------------------------------


@modest
@given(st.data())
def test_an_area_holding_both_sides_keeps_its_line(data):
    """The province's sum is unchanged: every line holds its points on the same decision dates, as the lines
    of one task's decisions do, and every agreement stays among them (new receivers included)."""
    lines = data.draw(lines_strategy(amount=whole, shared_dates=True))
    agreements = data.draw(agreement_strategy(lines))
    # same-task: the sum over all lines of all ids is the 'province'
    after = ref_apply(lines, agreements)
    for day in probe_days(lines, agreements):
        before_sum = math.fsum(value(ref.normalise_points(p), day) for p in lines.values())
        after_sum = math.fsum(value(p, day) for p in after.values())
        if any(day == d for pts in lines.values() for d, _ in pts):  # whole amounts on the points: exact
            assert after_sum == before_sum
        else:  # between points each line interpolates on its own: equal up to rounding
            assert math.isclose(after_sum, before_sum, rel_tol=1e-12, abs_tol=1e-9)


@modest
@given(st.data())
def test_an_agreement_and_its_reverse_cancel(data):
    lines = data.draw(lines_strategy())
    agreements = data.draw(agreement_strategy(lines, new_receivers=False, both_sides_valid=True,
                                              amount=st.integers(1, 500).map(float)))
    reverse = [(naar, van, day, aantal) for van, naar, day, aantal in agreements]
    after = ref_apply(lines, agreements + reverse)
    assert after == {k: ref.normalise_points(v) for k, v in lines.items()}
    assert vectorised(lines, agreements + reverse) == after


@modest
@given(st.data())
def test_the_order_of_agreements_does_not_matter(data):
    lines = data.draw(lines_strategy())
    agreements = data.draw(agreement_strategy(lines, amount=st.floats(0.5, 500, allow_nan=False)))
    shuffled = data.draw(st.permutations(agreements))
    assert ref_apply(lines, shuffled) == ref_apply(lines, agreements)
    assert vectorised(lines, shuffled) == vectorised(lines, agreements)


@modest
@given(st.data())
def test_nothing_changes_before_the_last_point_before_ingangsdatum(data):
    lines = data.draw(lines_strategy())
    agreements = data.draw(agreement_strategy(lines))
    after = ref_apply(lines, agreements)
    for key, points in lines.items():
        original = ref.normalise_points(points)
        touching = [a[2] for a in agreements if key in (a[0], a[1])]
        if not touching:
            assert after[key] == original
            continue
        first = min(touching)
        before = [d for d, _ in original if d < first]
        if not before:
            continue
        limit = before[-1]
        for day in probe_days(lines, agreements):
            if day <= limit:
                assert value(after[key], day) == value(original, day)


@modest
@given(st.data())
def test_giving_and_receiving_change_by_aantal_from_their_points_on_or_after_the_date(data):
    lines = data.draw(lines_strategy(amount=whole))
    agreements = data.draw(agreement_strategy(lines, max_size=1))
    if not agreements:
        return
    (van, naar, day, aantal), = agreements
    after = ref_apply(lines, agreements)
    giving = dict(ref.normalise_points(lines[van]))
    for d, a in after[van]:
        if van == naar:
            assert a == giving[d]
        elif d >= day:
            assert a == giving[d] - aantal
        else:
            assert a == giving[d]
    if van == naar:
        return
    receiving = ref.normalise_points(lines.get(naar, []))
    if receiving and receiving[-1][0] >= day:
        assert [d for d, _ in after[naar]] == [d for d, _ in receiving]  # own points only
    for d, a in after[naar]:
        assert a == value(receiving, d) + (aantal if d >= day else 0.0)
    # after the last point of both, the receiver holds exactly aantal more
    end = max(max(d for d, _ in after[naar]), max(giving)) + timedelta(days=1)
    assert value(after[naar], end) == value(receiving, end) + aantal


# --- the vectorised engine agrees with the reference ---------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_vectorised_agrees_with_reference(data):
    lines = data.draw(lines_strategy())
    agreements = data.draw(agreement_strategy(lines, amount=st.one_of(st.integers(1, 900).map(float),
                                                                      st.floats(0.01, 900, allow_nan=False))))
    assert vectorised(lines, agreements) == ref_apply(lines, agreements)


def test_vectorised_on_integer_ids_and_empty_agreements():
    lines = engine.build_lines(pa.array([1, 1, 2]), pa.array([date(2025, 1, 1), date(2026, 1, 1), date(2025, 1, 1)]),
                               pa.array([100.0, 200.0, 10.0]))
    same = engine.apply_agreements(lines, pa.array([], pa.int64()), pa.array([], pa.int64()),
                                   pa.array([], pa.date32()), pa.array([], pa.float64()))
    assert same is lines
    out = engine.apply_agreements(lines, pa.array([1]), pa.array([3]), pa.array([date(2026, 1, 1)]), pa.array([50.0]))
    assert out.ids.to_pylist() == [1, 2, 3]
    assert as_dict(out) == {1: [(date(2025, 1, 1), 100.0), (date(2026, 1, 1), 150.0)],
                            2: [(date(2025, 1, 1), 10.0)],
                            3: [(date(2025, 1, 1), 0.0), (date(2026, 1, 1), 50.0)]}


# --- worked cases of the rule (figures by hand) ------------------------------------------------


JAN25, JUL25, JAN26, FEB26, JUL26 = (date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1), date(2026, 2, 1),
                                     date(2026, 7, 1))


def test_receiving_line_on_other_dates_raises_its_own_points():
    # Tynaarlo gives 50 from 1 February 2026; its line: 2025-01-01 → 2026-07-01. Assen's line has a point on
    # 2026-02-01 itself: that point and the later ones are raised by 50, its earlier ones not.
    lines = {"T": [(JAN25, 300.0), (JUL26, 400.0)], "A": [(JAN25, 500.0), (FEB26, 600.0), (JUL26, 700.0)]}
    after = ref_apply(lines, [("T", "A", FEB26, 50.0)])
    assert after == {"T": [(JAN25, 300.0), (JUL26, 350.0)],
                     "A": [(JAN25, 500.0), (FEB26, 650.0), (JUL26, 750.0)]}
    assert vectorised(lines, [("T", "A", FEB26, 50.0)]) == after


def test_receiving_line_without_a_later_point_takes_the_giving_dates():
    # Assen's last point is 2025-07-01 (flat at 600 after it); the giving line's later dates are taken:
    # 2026-01-01 stays 600 (before the date), 2026-07-01 becomes 650.
    lines = {"T": [(JAN25, 300.0), (JAN26, 350.0), (JUL26, 400.0)], "A": [(JAN25, 500.0), (JUL25, 600.0)]}
    agreement = [("T", "A", FEB26, 50.0)]
    after = ref_apply(lines, agreement)
    assert after["A"] == [(JAN25, 500.0), (JUL25, 600.0), (JAN26, 600.0), (JUL26, 650.0)]
    assert after["T"] == [(JAN25, 300.0), (JAN26, 350.0), (JUL26, 350.0)]
    assert vectorised(lines, agreement) == after


def test_receiver_without_a_line_gets_one():
    lines = {"T": [(JAN25, 300.0), (JAN26, 350.0), (JUL26, 400.0)]}
    after = ref_apply(lines, [("T", "N", JAN26, 20.0)])
    assert after["N"] == [(JAN25, 0.0), (JAN26, 20.0), (JUL26, 20.0)]
    assert after["T"] == [(JAN25, 300.0), (JAN26, 330.0), (JUL26, 380.0)]


@pytest.mark.parametrize("agreement, message", [
    (("T", "A", JAN26, 0.0), "above 0"),
    (("T", "A", JAN26, -5.0), "above 0"),
    (("X", "A", JAN26, 5.0), "no points"),
    (("T", "A", date(2026, 7, 2), 5.0), "after every point"),
])
def test_invalid_agreements_raise(agreement, message):
    lines = {"T": [(JAN25, 300.0), (JUL26, 400.0)], "A": [(JAN25, 10.0)]}
    with pytest.raises(ValueError, match=message):
        ref_apply(lines, [agreement])
    with pytest.raises(ValueError):
        vectorised(lines, [agreement])
