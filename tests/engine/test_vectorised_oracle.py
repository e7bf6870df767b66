"""The vectorised engine agrees with the reference engine, row by row, on random inputs."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from datetime import date
from unittest import mock

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import engine
from opvangkern.engine import reference as ref
from opvangkern.engine import vectorised

modest = settings(max_examples=60, deadline=None)

LINE_IDS = ["GM0106/asiel", "GM0106/amv", "GM0114/asiel", "VR03/oekraine", "PV22/asiel"]
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
near_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))  # many hits on points
any_day = st.one_of(near_days, days)
amounts = st.one_of(
    st.integers(0, 1_000_000).map(float), st.floats(0, 1e6, allow_nan=False), st.floats(-1e3, 1e3)
)
quota_rows = st.lists(
    st.tuples(st.sampled_from(LINE_IDS), near_days, st.one_of(amounts, st.none())), max_size=25
)
query_rows = st.lists(
    st.tuples(st.one_of(st.sampled_from(LINE_IDS + ["GM9999/asiel"]), st.none()), st.one_of(any_day, st.none())),
    max_size=40,
)
numbers = st.one_of(st.none(), st.just(0.0), st.floats(0, 2e6, allow_nan=False), st.integers(0, 1000).map(float))


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def reference_lines(rows: list) -> dict[str, list]:
    """Rows grouped per line in input order, normalised by the reference (lines without points left out)."""
    grouped: dict[str, list] = {}
    for line_id, day, amount in rows:
        grouped.setdefault(line_id, []).append((day, amount))
    normalised = {line_id: ref.normalise_points(pts) for line_id, pts in grouped.items()}
    return {line_id: pts for line_id, pts in normalised.items() if pts}


def build(rows: list) -> engine.Lines:
    ids, dates, values = zip(*rows) if rows else ((), (), ())
    return engine.build_lines(pa.array(ids, pa.string()), pa.array(dates, pa.date32()), pa.array(values, pa.float64()))


def line_points(lines: engine.Lines) -> dict[str, list]:
    table = lines.to_table().to_pylist()
    grouped: dict[str, list] = {}
    for row in table:
        grouped.setdefault(row["line_id"], []).append((row["datum"], row["aantal"]))
    return grouped


# --- lines and the card --------------------------------------------------------------------------


@modest
@given(quota_rows)
def test_build_lines_normalises_like_the_reference(rows: list) -> None:
    assert line_points(build(rows)) == reference_lines(rows)


@contextlib.contextmanager
def lookup_table(use: bool) -> Iterator[None]:
    """Force the engine's (line × day) lookup table on or off; both paths must give one answer."""
    with mock.patch.object(vectorised, "_use_table", lambda lines, rows: use and len(lines) > 0):
        yield


@modest
@given(quota_rows, query_rows, st.booleans())
def test_evaluate_agrees_with_the_reference(rows: list, queries: list, use_table: bool) -> None:
    expected_lines = reference_lines(rows)
    ids, peildata = zip(*queries) if queries else ((), ())
    with lookup_table(use_table):
        result = engine.evaluate(build(rows), pa.array(ids, pa.string()), pa.array(peildata, pa.date32()))
    assert list(result) == list(engine.EVALUATE_COLUMNS)
    got = {name: column.to_pylist() for name, column in result.items()}
    for i, (line_id, peildatum) in enumerate(queries):
        line = expected_lines.get(line_id)
        if line is None or peildatum is None:
            assert all(got[name][i] is None for name in got)
            continue
        (start_day, start), (end_day, end) = ref.segment(line, peildatum)
        assert close(got["indicatief_schema"][i], ref.indicative_schedule(line, peildatum))
        assert (got["startdatum"][i], got["einddatum"][i]) == (start_day, end_day)
        assert close(got["startpunt"][i], start) and close(got["eindpunt"][i], end)


@modest
@given(quota_rows, query_rows)
def test_input_kinds_give_the_same_answer(rows: list, queries: list) -> None:
    lines = build(rows)
    queries = [(line_id, day) for line_id, day in queries if line_id is not None and day is not None]
    ids = [line_id for line_id, _ in queries]
    peildata = [day for _, day in queries]
    expected = engine.indicative_schedule(lines, pa.array(ids, pa.string()), pa.array(peildata, pa.date32()))
    half = len(ids) // 2
    chunked_ids = pa.chunked_array([pa.array(ids[:half], pa.string()), pa.array(ids[half:], pa.string())])
    as_numpy = np.array(peildata, dtype="datetime64[D]")
    dictionary_ids = pa.array(ids, pa.string()).dictionary_encode()
    assert engine.indicative_schedule(lines, chunked_ids, as_numpy).equals(expected)
    assert engine.indicative_schedule(lines, dictionary_ids, peildata).equals(expected)
    assert engine.indicative_schedule(lines, ids, pa.chunked_array([pa.array(peildata, pa.date32())])).equals(expected)


@modest
@given(quota_rows, query_rows, st.sampled_from([1, 7, -3, 10**6]), st.sampled_from(["int32", "int64", "uint32"]))
def test_integer_ids_and_both_paths_agree(rows: list, queries: list, spread: int, kind: str) -> None:
    # Integer ids, dense (a fast lookup array) or sparse (hashing), give the same answer as strings.
    if kind == "uint32" and spread < 0:
        spread = -spread
    as_int = {line_id: i * spread for i, line_id in enumerate(LINE_IDS + ["GM9999/asiel"])}
    ids, peildata = zip(*queries) if queries else ((), ())
    int_rows = [(as_int[line_id], day, amount) for line_id, day, amount in rows]
    int_ids = pa.array([as_int.get(line_id) for line_id in ids], pa.int64())
    int_lines = engine.build_lines(
        pa.array([r[0] for r in int_rows], kind), [r[1] for r in int_rows], [r[2] for r in int_rows]
    )
    expected = engine.evaluate(build(rows), pa.array(ids, pa.string()), pa.array(peildata, pa.date32()))
    for use_table in (False, True):
        with lookup_table(use_table):
            got = engine.evaluate(int_lines, int_ids, pa.array(peildata, pa.date32()))
        assert all(got[name].equals(expected[name]) for name in expected)


@modest
@given(quota_rows, st.lists(st.sampled_from(LINE_IDS + ["GM9999/asiel"]), max_size=10), any_day)
def test_line_value_and_last_target(rows: list, ids: list, day: date) -> None:
    lines, expected_lines = build(rows), reference_lines(rows)
    values = engine.line_value(lines, ids, [day] * len(ids)).to_pylist()
    totals = engine.last_target(lines, ids).to_pylist()
    for line_id, value, total in zip(ids, values, totals):
        line = expected_lines.get(line_id)
        assert close(value, ref.line_value(line, day) if line else None)
        assert close(total, ref.last_target(line or []))


def test_seed_examples_vectorised() -> None:
    lines = engine.build_lines(
        ["vergunninghouders"] * 2 + ["nidos_amv"] * 2,
        [date(2025, 7, 1), date(2026, 1, 1)] * 2,
        [454, 819, 90, 95],
    )
    result = engine.evaluate(lines, ["vergunninghouders", "nidos_amv"], [date(2025, 12, 31), date(2025, 12, 29)])
    schedule = result["indicatief_schema"].to_pylist()
    assert schedule[0] == 819.0
    assert schedule[1] == pytest.approx(94.9457, abs=1e-4)
    assert result["startdatum"].type == pa.date32() and result["startpunt"].type == pa.float64()


def test_no_lines_gives_nulls() -> None:
    lines = engine.build_lines(pa.array([], pa.string()), pa.array([], pa.date32()), pa.array([], pa.float64()))
    result = engine.evaluate(lines, ["a", None], [date(2025, 1, 1), date(2025, 1, 1)])
    assert all(column.null_count == 2 for column in result.values())
    assert engine.last_target(lines, ["a"]).to_pylist() == [None]


def test_evaluate_rejects_unknown_columns_and_ragged_input() -> None:
    lines = engine.build_lines(["a"], [date(2025, 1, 1)], [1.0])
    with pytest.raises(ValueError):
        engine.evaluate(lines, ["a"], [date(2025, 1, 1)], columns=["schema"])
    with pytest.raises(ValueError):
        engine.evaluate(lines, ["a", "a"], [date(2025, 1, 1)])


# --- sums of areas -------------------------------------------------------------------------------

GROUPS = ["PV22", "NL01", "VR03"]  # a line may sit in several; a repeated pair counts once


@modest
@given(quota_rows, st.lists(st.tuples(st.sampled_from(LINE_IDS + ["GM9999/asiel"]), st.sampled_from(GROUPS))))
def test_sum_lines_agrees_with_the_reference(rows: list, membership: list) -> None:
    expected_lines = reference_lines(rows)
    ids, groups = zip(*membership) if membership else ((), ())
    summed = line_points(engine.sum_lines(build(rows), pa.array(ids, pa.string()), pa.array(groups, pa.string())))
    expected = {}
    for group in sorted(set(groups)):
        members = sorted({line_id for line_id, g in membership if g == group})  # a repeated pair counts once
        total = ref.sum_lines(expected_lines.get(line_id, []) for line_id in members)
        if total:
            expected[group] = total
    assert summed.keys() == expected.keys()
    for group, points in expected.items():
        assert [day for day, _ in summed[group]] == [day for day, _ in points]
        assert all(close(a, b) for (_, a), (_, b) in zip(summed[group], points))


# --- elementwise rules ---------------------------------------------------------------------------

pairs = st.lists(st.tuples(numbers, numbers), max_size=30)


@modest
@given(pairs, st.floats(0, 2), st.floats(0, 2))
def test_status_agrees_with_the_reference(rows: list, t1: float, t2: float) -> None:
    licht, op = sorted((t1, t2))
    realisatie, schema = (list(column) for column in zip(*rows)) if rows else ([], [])
    got = engine.status(realisatie, schema, op_schema=op, licht_achter=licht)
    expected = [ref.status(r, s, op_schema=op, licht_achter=licht) for r, s in rows]
    assert got.type == pa.string()
    assert got.to_pylist() == expected
    as_dictionary = engine.status(realisatie, schema, op_schema=op, licht_achter=licht, dictionary=True)
    assert as_dictionary.to_pylist() == expected


@modest
@given(pairs)
def test_elementwise_rules_agree_with_the_reference(rows: list) -> None:
    first, second = (list(column) for column in zip(*rows)) if rows else ([], [])
    checks = [
        (engine.realisatiegraad(first, second), [ref.realisatiegraad(a, b) for a, b in rows]),
        (engine.achterstand(first, second), [ref.achterstand(a, b) for a, b in rows]),
        (engine.delta(first, second), [ref.delta(a, b) for a, b in rows]),
    ]
    for got, expected in checks:
        assert got.type == pa.float64()
        assert all(close(g, e) for g, e in zip(got.to_pylist(), expected, strict=True))


def test_nulls_in_arrow_numpy_nan_and_integers_alike() -> None:
    schema = pa.array([10, None, 0, 4], pa.int64())
    realisatie = np.array([5.0, 1.0, np.nan, np.nan])
    assert engine.status(realisatie, schema).to_pylist() == ["achter", None, "geen_opgave", None]
    assert engine.achterstand(schema, realisatie).to_pylist() == [5.0, None, None, None]
    assert engine.delta(schema, realisatie).to_pylist() == [5.0, -1.0, 0.0, 4.0]
    assert engine.realisatiegraad(realisatie, schema).to_pylist() == [0.5, None, None, None]


def test_blocks_do_not_change_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    point_days = rng.integers(19000, 21000, 400).astype("datetime64[D]")
    lines = engine.build_lines(rng.integers(0, 50, 400), point_days, rng.random(400) * 1000)
    query, peildata = rng.integers(-5, 55, 5000), rng.integers(18500, 21500, 5000).astype("datetime64[D]")
    whole = engine.evaluate(lines, query, peildata)
    with lookup_table(True):
        from_table = engine.evaluate(lines, query, peildata)
    monkeypatch.setattr(vectorised, "_BLOCK", 333)
    in_blocks = engine.evaluate(lines, query, peildata)
    assert all(whole[name].equals(in_blocks[name]) for name in whole)
    assert all(whole[name].equals(from_table[name]) for name in whole)
