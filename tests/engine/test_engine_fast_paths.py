"""The engine's fast paths (issue 16) agree with the reference engine to the last bit.

- the (line × day) lookup table, built run by run, holds the reference's ``line_value`` on every day;
- the interval formulas (one record per line and interval between point dates) hold it too;
- the schedule through either (one fused pass per block, a NaN row for a missing line or day) equals
  the reference for integer ids (dense and sparse), string and dictionary ids, with nulls and unknown ids;
- the status codes (the sum of two comparisons) and the dictionary status equal the reference, and the
  dictionary is ``STATUS_VALUES`` in the legend's order whatever the values present;
- achterstand and realisatiegraad keep their nulls exactly where the reference gives ``None``.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import engine
from opvangkern.engine import reference as ref
from opvangkern.engine import vectorised

modest = settings(max_examples=80, deadline=None)
EPOCH = date(1970, 1, 1)

point_days = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))
query_days = st.dates(min_value=date(2022, 6, 1), max_value=date(2027, 6, 30))
amounts = st.one_of(st.integers(0, 5000).map(float), st.floats(-1e4, 1e6, allow_nan=False, allow_infinity=False),
                    st.just(-0.0), st.just(0.0))
# line id (0..7), date, amount: several points per line, some on one date (the later one wins)
points = st.lists(st.tuples(st.integers(0, 7), point_days, amounts), min_size=1, max_size=30)
exact_amounts = st.one_of(st.integers(0, 5000).map(float), st.floats(-1e4, 1e6, allow_nan=False, allow_infinity=False)
                          .filter(lambda a: a != 0 or math.copysign(1.0, a) > 0))
exact_points = st.lists(st.tuples(st.integers(0, 7), point_days, exact_amounts), min_size=1, max_size=30)
queries = st.lists(st.tuples(st.one_of(st.integers(-2, 10), st.none()), st.one_of(query_days, st.none())),
                   max_size=60)


def same(a: float | None, b: float | None) -> bool:
    """Equal to the last bit (sign of zero included); both missing counts as equal."""
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def grouped(rows: list) -> dict[int, list]:
    out: dict[int, list] = {}
    for line_id, day, amount in rows:
        out.setdefault(line_id, []).append((day, amount))
    return {k: ref.normalise_points(v) for k, v in out.items()}


def build(rows: list, kind: str = "int64", spread: int = 1) -> engine.Lines:
    ids, days, values = zip(*rows)
    return engine.build_lines(pa.array([i * spread for i in ids], kind), pa.array(days, pa.date32()),
                              pa.array(values, pa.float64()))


@modest
@given(points)
def test_lookup_table_holds_the_reference_line_on_every_day(rows: list) -> None:
    lines, expected = build(rows), grouped(rows)
    table = lines._table
    assert table.value.shape == ((len(lines) + 1) * table.width,)
    assert np.isnan(table.value[len(lines) * table.width:]).all()  # the NaN row of missing lines
    for position, line_id in enumerate(lines.ids.to_pylist()):
        row = table.value[position * table.width:(position + 1) * table.width]
        for offset in range(table.width):
            day = EPOCH + timedelta(days=table.first + offset)
            assert same(float(row[offset]), ref.line_value(expected[line_id], day)), (line_id, day)


def test_inexact_amounts_step_aside_from_the_interval_formulas() -> None:
    for amount in (-0.0, math.inf):
        lines = engine.build_lines([1, 1], [date(2025, 1, 1), date(2025, 7, 1)], [amount, 5.0])
        assert lines._segments is None and not vectorised._use_segments(lines, 10**6)


@modest
@given(st.one_of(points, exact_points), queries, st.sampled_from(["int8", "int32", "int64", "uint32"]),
       st.sampled_from([1, 3, 10**5]), st.sampled_from(["segments", "table"]))
def test_schedule_through_the_fast_paths_equals_the_reference(rows: list, asked: list, kind: str, spread: int,
                                                               path: str) -> None:
    # "segments": the interval formulas (they step aside by themselves for infinite or -0.0 amounts);
    # "table": the (line × day) lookup table.
    if kind == "int8":
        spread = min(spread, 3)  # ids up to 7 × 3 fit an int8
    lines, expected = build(rows, kind, spread), grouped(rows)
    ids = [None if i is None or (kind == "uint32" and i < 0) else i * spread for i, _ in asked]
    peildata = [d for _, d in asked]
    query_type = kind if kind != "int8" else "int16"  # a query type wider than the lines' ids
    forced = _force(path)
    try:
        got = engine.indicative_schedule(lines, pa.array(ids, query_type), pa.array(peildata, pa.date32()))
        as_strings = engine.indicative_schedule(
            engine.build_lines(pa.array([str(i * spread) for i, _, _ in rows]), [d for _, d, _ in rows],
                               [a for _, _, a in rows]),
            pa.array([None if i is None else str(i) for i in ids]).dictionary_encode(),
            pa.array(peildata, pa.date32()))
    finally:
        forced()
    assert got.type == pa.float64()
    for i, (line_id, peildatum) in enumerate(zip(ids, peildata)):
        line = None if line_id is None else expected.get(line_id // spread if line_id % spread == 0 else -99)
        want = None if line is None or peildatum is None else ref.indicative_schedule(line, peildatum)
        assert same(got[i].as_py(), want), (line_id, peildatum)
        assert same(as_strings[i].as_py(), want), (line_id, peildatum)


def _force(path: str):
    """Make every query of the schedule take ``path``; returns the undo."""
    segments, table = vectorised._use_segments, vectorised._use_table
    if path == "segments":
        vectorised._use_segments = lambda lines, rows: len(lines) > 0 and lines._exact_amounts
    else:
        vectorised._use_segments = lambda lines, rows: False
        vectorised._use_table = lambda lines, rows: len(lines) > 0

    def undo() -> None:
        vectorised._use_segments, vectorised._use_table = segments, table

    return undo


@modest
@given(exact_points)
def test_interval_formulas_hold_the_reference_line_on_every_day(rows: list) -> None:
    lines, expected = build(rows), grouped(rows)
    seg = lines._segments
    assert seg is not None
    breaks = lines._breakpoints
    first, last = int(breaks[0]) - 3, int(breaks[-1]) + 3
    days = np.arange(first, last + 1)
    for position, line_id in enumerate(lines.ids.to_pylist()):
        record = position * seg.per_line + seg.interval[np.clip(days - seg.start, 0, seg.width)]
        values = seg.amount[record] + seg.rise[record] * ((days - seg.origin[record]) / seg.span[record])
        for day, value in zip(days.tolist(), values.tolist()):
            assert same(value, ref.line_value(expected[line_id], EPOCH + timedelta(days=day))), (line_id, day)


numbers = st.one_of(st.none(), st.just(0.0), st.just(-0.0), st.floats(allow_nan=True), st.integers(-5, 2000).map(float))


@modest
@given(st.lists(st.tuples(numbers, numbers), max_size=50), st.floats(0, 2), st.floats(0, 2))
def test_status_codes_and_dictionary_equal_the_reference(rows: list, t1: float, t2: float) -> None:
    # Any float the inputs can hold (NaN, infinities, -0.0) gives the reference's status, null where it gives None.
    licht, op = sorted((t1, t2))
    realisatie, schema = ([r for r, _ in rows], [s for _, s in rows])
    expected = [ref.status(r, s, op_schema=op, licht_achter=licht) for r, s in rows]
    as_dictionary = engine.status(realisatie, schema, op_schema=op, licht_achter=licht, dictionary=True)
    assert as_dictionary.type == pa.dictionary(pa.int8(), pa.string())
    assert as_dictionary.dictionary.to_pylist() == list(engine.STATUS_VALUES)
    assert as_dictionary.to_pylist() == expected
    assert as_dictionary.null_count == expected.count(None)
    assert engine.status(realisatie, schema, op_schema=op, licht_achter=licht).to_pylist() == expected


@modest
@given(st.lists(st.tuples(numbers, numbers), max_size=50))
def test_achterstand_and_realisatiegraad_nulls_equal_the_reference(rows: list) -> None:
    first, second = ([a for a, _ in rows], [b for _, b in rows])
    for got, want in ((engine.achterstand(first, second), [ref.achterstand(a, b) for a, b in rows]),
                      (engine.realisatiegraad(first, second), [ref.realisatiegraad(a, b) for a, b in rows])):
        assert all(same(g, w) for g, w in zip(got.to_pylist(), want, strict=True))


def test_blocks_of_the_fast_paths_do_not_change_the_answer(monkeypatch) -> None:
    rng = np.random.default_rng(16)
    lines = engine.build_lines(rng.integers(0, 40, 300), rng.integers(19500, 20500, 300).astype("datetime64[D]"),
                               rng.integers(0, 900, 300).astype(float))
    ids = pa.array(rng.integers(-3, 45, 20_000), mask=rng.random(20_000) < 0.01)
    days = pa.array(rng.integers(19000, 21000, 20_000).astype("datetime64[D]"), mask=rng.random(20_000) < 0.01)
    realisatie = pa.array(rng.integers(0, 900, 20_000).astype(float), mask=rng.random(20_000) < 0.01)

    def run():
        schema = engine.indicative_schedule(lines, ids, days)
        return schema, engine.status(realisatie, schema, dictionary=True), engine.achterstand(schema, realisatie)

    whole = run()
    monkeypatch.setattr(vectorised, "_BLOCK", 777)
    assert all(a.equals(b) for a, b in zip(whole, run()))
    assert whole[0].null_count > 0 and whole[1].null_count > 0
