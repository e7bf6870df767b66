"""Issue 16: ``engine.as_of_sums`` looks files up in a (source × day) calendar and codes integer and
dictionary ids without hashing every row. Both are checked against the paths they bypass (the searching
path, ``_CALENDAR_CELLS = 0``; the coding by ``_encode`` of the concatenation, ``_FAST_CODES = False``):
bit for bit, with the same type, and against the reference oracle."""

from __future__ import annotations

import contextlib
import random
from datetime import date

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern import engine
from opvangkern.engine import history
from opvangkern.engine import reference_history as ref

D = date
SOURCES = ["coa", "tvs", "nidos", "kcio"]
GROUPS = [3, 7, 8, 250]
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))
modest = settings(max_examples=150, deadline=None)


@contextlib.contextmanager
def slow_paths(calendar: bool = False, codes: bool = False):
    """Turn the calendar and/or the fast coding off for the duration."""
    saved = history._CALENDAR_CELLS, history._FAST_CODES
    if calendar:
        history._CALENDAR_CELLS = 0
    if codes:
        history._FAST_CODES = False
    try:
        yield
    finally:
        history._CALENDAR_CELLS, history._FAST_CODES = saved


@st.composite
def cases(draw):
    files = draw(st.lists(st.tuples(st.sampled_from(SOURCES), st.one_of(st.none(), days)), max_size=8))
    file_days = [d for _, d in files if d is not None]
    row_day = st.one_of(st.none(), days, st.sampled_from(file_days)) if file_days else st.one_of(st.none(), days)
    amount = st.one_of(st.none(), st.integers(0, 10_000))
    rows = draw(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(SOURCES)), row_day,
                                   st.one_of(st.none(), st.sampled_from(GROUPS)), amount), max_size=25))
    queries = draw(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(GROUPS + [9, 10_000])),
                                      st.one_of(st.none(), days, st.just(D(9999, 12, 31)), st.just(D(1, 1, 1)))),
                            max_size=15))
    floats = draw(st.booleans())
    return files, rows, queries, floats


def _arrays(case, *, dictionary_sources: bool, dictionary_groups: bool, spread: int = 1):
    files, rows, queries, floats = case
    fs, fd = zip(*files) if files else ((), ())
    rs, rd, rg, ra = zip(*rows) if rows else ((), (), (), ())
    qg, qd = zip(*queries) if queries else ((), ())
    file_source = pa.array(fs, pa.string())
    source = pa.array(rs, pa.string())
    if dictionary_sources:
        # A dictionary with unused values and its own order, as a taken dictionary column has.
        vocabulary = pa.array(["zzz", *reversed(SOURCES), "aaa"], pa.string())
        index = [None if s is None else vocabulary.to_pylist().index(s) for s in rs]
        source = pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), vocabulary)
    group = pa.array([None if g is None else g * spread for g in rg], pa.int64())
    query_group = pa.array([None if g is None else g * spread for g in qg], pa.int64())
    if dictionary_groups:
        group, query_group = group.cast(pa.string()).dictionary_encode(), query_group.cast(pa.string())
    amount = pa.array(ra, pa.float64() if floats else pa.int64())
    return (file_source, pa.array(fd, pa.date32()), source, pa.array(rd, pa.date32()), group, amount,
            query_group, pa.array(qd, pa.date32()))


def _same(a: pa.Array, b: pa.Array) -> None:
    assert a.type == b.type
    assert a.is_null().to_pylist() == b.is_null().to_pylist()
    assert a.fill_null(0).to_numpy().tobytes() == b.fill_null(0).to_numpy().tobytes()


@modest
@given(cases(), st.booleans(), st.booleans(), st.sampled_from([1, 1 << 40]))
def test_fast_paths_give_the_slow_paths_figures_bit_for_bit(case, dictionary_sources, dictionary_groups, spread):
    arrays = _arrays(case, dictionary_sources=dictionary_sources, dictionary_groups=dictionary_groups, spread=spread)
    fast = engine.as_of_sums(*arrays)
    for calendar, codes in ((True, False), (False, True), (True, True)):
        with slow_paths(calendar=calendar, codes=codes):
            _same(fast, engine.as_of_sums(*arrays))


@modest
@given(cases(), st.booleans())
def test_fast_paths_agree_with_the_reference(case, dictionary_sources):
    files, rows, queries, _ = case
    got = engine.as_of_sums(*_arrays(case, dictionary_sources=dictionary_sources, dictionary_groups=False))
    files = [(s, d) for s, d in files if d is not None]
    rows = [r for r in rows if r[0] is not None and r[1] is not None and r[2] is not None]
    expected = [None if g is None or d is None else ref.as_of_sum(files, rows, g, d) for g, d in queries]
    assert [None if v is None else float(v) for v in got.to_pylist()] == \
        [None if v is None else float(v) for v in expected]


@modest
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 9),
                          st.floats(-1e6, 1e6, allow_nan=False)), max_size=60),
       st.lists(st.tuples(st.integers(0, 9), st.integers(-5, 50)), max_size=30))
def test_float_sums_are_bit_identical_on_either_path(rows, queries):
    """Sums per (file, group) in the same row order and sources added in the same order: the same float
    bits (-0.0 and cancellations included) through the calendar as through the search."""
    base = 20_000
    file_source = pa.array([s for s, _, _, _ in rows], pa.int64())
    file_day = pa.array([base + d for _, d, _, _ in rows], pa.int32()).view(pa.date32())
    arrays = (file_source, file_day, file_source, file_day, pa.array([g for _, _, g, _ in rows], pa.int64()),
              pa.array([v for _, _, _, v in rows], pa.float64()), pa.array([g for g, _ in queries], pa.int64()),
              pa.array([base + d for _, d in queries], pa.int32()).view(pa.date32()))
    fast = engine.as_of_sums(*arrays)
    with slow_paths(calendar=True, codes=True):
        _same(fast, engine.as_of_sums(*arrays))


def test_a_span_of_days_beyond_the_calendar_takes_the_search() -> None:
    files = pa.array(["coa", "coa", "tvs"]), pa.array([D(1, 1, 1), D(9999, 12, 31), D(2025, 1, 1)], pa.date32())
    assert history._Calendar.of(2, np.array([0, 0, 1]), files[1].view(pa.int32()).to_numpy()) is None
    got = engine.as_of_sums(*files, pa.array(["coa", "coa", "tvs"]), files[1], pa.array([1, 1, 1]),
                            pa.array([5, 7, 2]), pa.array([1, 1, 1, 2]),
                            pa.array([D(2000, 1, 1), D(9999, 12, 31), D(2025, 6, 1), D(2025, 6, 1)], pa.date32()))
    assert got.to_pylist() == [5, 9, 7, 0]


def test_dictionary_ids_with_nulls_in_the_dictionary_and_unused_values() -> None:
    vocabulary = pa.array(["tvs", None, "coa", "ongebruikt"])
    source = pa.DictionaryArray.from_arrays(pa.array([2, 1, 0, None, 2], pa.int8()), vocabulary)
    day = pa.array([D(2025, 1, 1)] * 5, pa.date32())
    arrays = (pa.array(["coa", "tvs"]), day[:2], source, day, pa.array([1, 1, 1, 1, 2]), pa.array([1, 10, 100, 1000, 4]),
              pa.array([1, 2, 3]), pa.array([D(2025, 1, 1)] * 3, pa.date32()))
    assert engine.as_of_sums(*arrays).to_pylist() == [101, 4, 0]
    with slow_paths(codes=True):
        assert engine.as_of_sums(*arrays).to_pylist() == [101, 4, 0]


def test_a_national_history_in_any_row_order_through_every_path() -> None:
    """A weekly history of 4 sources × 30 weeks × 50 groups, its rows shuffled: every path, the same bits."""
    rnd = random.Random(16)
    files = [(s, 20_000 + 7 * w + (s == "nidos") * -2) for s in SOURCES for w in range(30) if rnd.random() < 0.9]
    rows = [(s, d, g, rnd.randint(0, 500)) for s, d in files for g in range(50) if rnd.random() < 0.8]
    rnd.shuffle(rows)
    queries = [(g, 20_000 + d) for g in range(52) for d in range(-3, 220, 3)]
    as_day = lambda values: pa.array(values, pa.int32()).view(pa.date32())  # noqa: E731
    arrays = (pa.array([s for s, _ in files]), as_day([d for _, d in files]),
              pa.array([s for s, _, _, _ in rows]).dictionary_encode(), as_day([d for _, d, _, _ in rows]),
              pa.array([g for _, _, g, _ in rows], pa.int64()), pa.array([a for _, _, _, a in rows], pa.int64()),
              pa.array([g for g, _ in queries], pa.int64()), as_day([d for _, d in queries]))
    fast = engine.as_of_sums(*arrays)
    assert fast.null_count == sum(1 for g, d in queries if d < min(d for _, d in files))
    for calendar, codes in ((True, False), (False, True), (True, True)):
        with slow_paths(calendar=calendar, codes=codes):
            _same(fast, engine.as_of_sums(*arrays))
    saved = history._DENSE_CELLS
    history._DENSE_CELLS = 0  # the sorted sums inside the calendar
    try:
        _same(fast, engine.as_of_sums(*arrays))
    finally:
        history._DENSE_CELLS = saved


@modest
@given(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(GROUPS)), st.one_of(st.none(), days)), max_size=25),
       st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(GROUPS + [9])), st.one_of(st.none(), days)),
                max_size=15),
       st.integers(0, 400), st.booleans())
def test_previous_peildatum_codes_groups_as_before(history_rows, queries, venster, dictionary) -> None:
    hg, hd = zip(*history_rows) if history_rows else ((), ())
    qg, qd = zip(*queries) if queries else ((), ())
    group, query_group = pa.array(hg, pa.int64()), pa.array(qg, pa.int64())
    if dictionary:
        group, query_group = group.cast(pa.string()).dictionary_encode(), query_group.cast(pa.string())
    arrays = (group, pa.array(hd, pa.date32()), query_group, pa.array(qd, pa.date32()))
    fast = engine.previous_peildatum(*arrays, venster=venster)
    with slow_paths(codes=True):
        slow = engine.previous_peildatum(*arrays, venster=venster)
    assert fast.equals(slow)
    expected = [None if g is None or d is None else
                ref.previous_peildatum([e for h, e in history_rows if h == g and e is not None], d, venster=venster)
                for g, d in queries]
    assert fast.to_pylist() == expected
