"""SPEC §12 engine: realisations as of a day, the previous peildatum and the pace.

Hand-computed cases for every prognose value, hypothesis properties (linear growth is projected onto
its own line; more realisation never gives a later date; nothing depends on row order), and the
vectorised engine against the reference oracle (to 1e-9).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pyarrow as pa
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from opvangkern import engine
from opvangkern.engine import reference_history as ref

modest = settings(max_examples=80, deadline=None)
D = date


def _pace1(p, r, doel, doeldatum, p0, r0) -> dict:
    """The vectorised pace of one row, as Python values."""
    out = engine.pace(pa.array([p], pa.date32()), pa.array([r], pa.float64()), pa.array([doel], pa.float64()),
                      pa.array([doeldatum], pa.date32()), pa.array([p0], pa.date32()),
                      pa.array([r0], pa.float64()))
    return {k: v.to_pylist()[0] for k, v in out.items()}


def _both(p, r, doel, doeldatum, p0, r0) -> dict:
    """Reference and vectorised agree exactly on one row; return the figures."""
    a, b = ref.pace(p, r, doel, doeldatum, p0, r0), _pace1(p, r, doel, doeldatum, p0, r0)
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], float):
            assert math.isclose(a[key], b[key], rel_tol=1e-9, abs_tol=1e-9), key
        else:
            assert a[key] == b[key], key
    return a


# --- hand-computed cases: each prognose value ---------------------------------------------------


def test_op_koers_by_hand() -> None:
    # 100 on 1 Oct, 160 on 31 Dec (91 days): 60 in 91 days. Doel 200 on 1 Apr 2026.
    out = _both(D(2025, 12, 31), 160.0, 200.0, D(2026, 4, 1), D(2025, 10, 1), 100.0)
    assert math.isclose(out["tempo_per_maand"], 60 / 91 * 365.25 / 12)  # 20.07 per month
    # Needed: 40 in the 90 days from the start of 1 Jan 2026 to 1 Apr 2026.
    assert math.isclose(out["benodigd_per_maand"], 40 / 90 * 365.25 / 12)  # 13.53 per month
    # 40 more at 60 per 91 days: 40 × 91 / 60 = 60.67 → 61 days after 31 Dec: 2 March 2026.
    assert out["verwachte_datum"] == D(2026, 3, 2)
    assert out["prognose"] == "op_koers"


def test_niet_op_koers_by_hand() -> None:
    # 10 in 91 days, 90 to go: 90 × 91 / 10 = 819 days → 31 Dec 2025 + 819 = 2028-03-29.
    out = _both(D(2025, 12, 31), 110.0, 200.0, D(2026, 4, 1), D(2025, 10, 1), 100.0)
    assert out["verwachte_datum"] == D(2025, 12, 31) + timedelta(days=819) == D(2028, 3, 29)
    assert out["prognose"] == "niet_op_koers"
    assert math.isclose(out["tempo_per_maand"], 10 / 91 * 365.25 / 12)


def test_no_progress_is_niet_op_koers() -> None:
    out = _both(D(2025, 12, 31), 90.0, 200.0, D(2026, 4, 1), D(2025, 10, 1), 100.0)
    assert out["prognose"] == "niet_op_koers"
    assert out["verwachte_datum"] is None
    assert math.isclose(out["tempo_per_maand"], -10 / 91 * 365.25 / 12)


def test_bereikt_by_hand() -> None:
    out = _both(D(2025, 12, 31), 200.0, 200.0, D(2026, 4, 1), D(2025, 10, 1), 100.0)
    assert out["prognose"] == "bereikt"
    assert out["benodigd_per_maand"] == 0.0
    assert out["verwachte_datum"] is None
    # Reached even when the deadline has passed and there is no previous peildatum.
    late = _both(D(2026, 6, 30), 250.0, 200.0, D(2026, 4, 1), None, None)
    assert late["prognose"] == "bereikt" and late["benodigd_per_maand"] == 0.0 and late["tempo_per_maand"] is None


def test_onbekend_without_previous_peildatum() -> None:
    out = _both(D(2025, 12, 31), 160.0, 200.0, D(2026, 4, 1), None, None)
    assert out["prognose"] == "onbekend"
    assert out["tempo_per_maand"] is None and out["verwachte_datum"] is None
    assert math.isclose(out["benodigd_per_maand"], 40 / 90 * 365.25 / 12)


def test_needed_is_null_once_the_date_has_passed() -> None:
    # doeldatum = p + 1: no day left.
    out = _both(D(2026, 3, 31), 160.0, 200.0, D(2026, 4, 1), D(2025, 12, 31), 100.0)
    assert out["benodigd_per_maand"] is None
    assert out["prognose"] == "niet_op_koers"  # 40 more at 60 per 90 days: 60 days, after 1 April


def test_verwachte_datum_on_the_deadline_is_op_koers() -> None:
    # 60 in 60 days (1/day); 31 to go → 31 days after 31 Dec 2025 = 31 Jan 2026, doeldatum 31 Jan.
    out = _both(D(2025, 12, 31), 160.0, 191.0, D(2026, 1, 31), D(2025, 11, 1), 100.0)
    assert out["verwachte_datum"] == D(2026, 1, 31)
    assert out["prognose"] == "op_koers"
    later = _both(D(2025, 12, 31), 160.0, 192.0, D(2026, 1, 31), D(2025, 11, 1), 100.0)
    assert later["verwachte_datum"] == D(2026, 2, 1) and later["prognose"] == "niet_op_koers"


def test_absurdly_slow_pace_has_no_date() -> None:
    out = _both(D(2025, 12, 31), 1.0, 1e12, D(2026, 4, 1), D(2025, 10, 1), 0.0)
    assert out["verwachte_datum"] is None and out["prognose"] == "niet_op_koers"


def test_missing_realisation_is_onbekend() -> None:
    out = _both(D(2025, 12, 31), None, 200.0, D(2026, 4, 1), D(2025, 10, 1), 100.0)
    assert out == {"tempo_per_maand": None, "benodigd_per_maand": None, "verwachte_datum": None,
                   "prognose": "onbekend"}


# --- previous peildatum ---------------------------------------------------------------------------


def test_previous_peildatum_by_hand() -> None:
    history = [D(2025, 7, 31), D(2025, 8, 31), D(2025, 9, 30), D(2025, 10, 31), D(2025, 11, 30), D(2025, 12, 31)]
    # 31 Dec − 91 days = 1 Oct: the latest on or before it is 30 Sep.
    assert ref.previous_peildatum(history, D(2025, 12, 31)) == D(2025, 9, 30)
    # 31 Aug: nothing 91 days before; the earliest before it is 31 Jul.
    assert ref.previous_peildatum(history, D(2025, 8, 31)) == D(2025, 7, 31)
    assert ref.previous_peildatum(history, D(2025, 7, 31)) is None
    assert ref.previous_peildatum(history, D(2025, 12, 31), venster=30) == D(2025, 11, 30)
    # Exactly 91 days counts: 31 Oct + 91 = 30 Jan.
    assert ref.previous_peildatum(history, D(2026, 1, 30)) == D(2025, 10, 31)
    groups = ["a"] * len(history) + ["b"]
    days = history + [D(2025, 1, 1)]
    got = engine.previous_peildatum(pa.array(groups), pa.array(days, pa.date32()),
                                    pa.array(["a", "a", "a", "b", "b", "c", None]),
                                    pa.array([D(2025, 12, 31), D(2025, 8, 31), D(2025, 7, 31), D(2025, 1, 1),
                                              D(2025, 12, 31), D(2025, 12, 31), D(2025, 12, 31)], pa.date32()))
    assert got.to_pylist() == [D(2025, 9, 30), D(2025, 7, 31), None, None, D(2025, 1, 1), None, None]


# --- as of a day ---------------------------------------------------------------------------------


def test_as_of_sums_by_hand() -> None:
    files = [("coa", D(2025, 11, 30)), ("coa", D(2025, 12, 31)), ("tvs", D(2025, 11, 30)), ("x", D(2025, 12, 15))]
    rows = [("coa", D(2025, 11, 30), "g1", 10), ("coa", D(2025, 11, 30), "g1", 5), ("coa", D(2025, 12, 31), "g1", 20),
            ("tvs", D(2025, 11, 30), "g1", 7), ("coa", D(2025, 12, 31), "g2", 3)]
    queries = [("g1", D(2025, 11, 29)), ("g1", D(2025, 11, 30)), ("g1", D(2025, 12, 20)), ("g1", D(2025, 12, 31)),
               ("g2", D(2025, 11, 30)), ("g2", D(2026, 1, 1))]
    expected = [None, 15 + 7, 15 + 7, 20 + 7, 0, 3]
    assert [ref.as_of_sum(files, rows, g, d) for g, d in queries] == expected
    got = _as_of(files, rows, queries)
    assert got.type == pa.int64() and got.to_pylist() == expected


def _as_of(files, rows, queries) -> pa.Array:
    fs, fd = zip(*files) if files else ((), ())
    rs, rd, rg, ra = zip(*rows) if rows else ((), (), (), ())
    qg, qd = zip(*queries) if queries else ((), ())
    return engine.as_of_sums(pa.array(fs, pa.string()), pa.array(fd, pa.date32()), pa.array(rs, pa.string()),
                             pa.array(rd, pa.date32()), pa.array(rg, pa.string()), pa.array(ra, pa.int64()),
                             pa.array(qg, pa.string()), pa.array(qd, pa.date32()))


def test_last_point() -> None:
    lines = engine.build_lines(pa.array([1, 1, 2]), pa.array([D(2025, 7, 1), D(2026, 1, 1), D(2025, 1, 1)], pa.date32()),
                               pa.array([90.0, 95.0, 4.0]))
    day, amount = engine.last_point(lines, pa.array([2, 1, 3]))
    assert day.to_pylist() == [D(2025, 1, 1), D(2026, 1, 1), None]
    assert amount.to_pylist() == [4.0, 95.0, None]


# --- properties ----------------------------------------------------------------------------------

SOURCES = ["coa", "tvs", "nidos"]
GROUPS = ["g1", "g2", "g3"]
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))
files_st = st.lists(st.tuples(st.sampled_from(SOURCES), days), max_size=8)


@st.composite
def as_of_case(draw):
    files = draw(files_st)
    rows = draw(st.lists(st.tuples(st.sampled_from(SOURCES + ["kcio"]), days if not files else
                                   st.one_of(st.sampled_from([d for _, d in files]), days),
                                   st.sampled_from(GROUPS), st.one_of(st.none(), st.integers(0, 10_000))),
                         max_size=20))
    queries = draw(st.lists(st.tuples(st.sampled_from(GROUPS + ["g9"]), days), max_size=15))
    return files, rows, queries


@modest
@given(as_of_case())
def test_as_of_sums_agrees_with_the_reference(case) -> None:
    files, rows, queries = case
    got = _as_of(files, rows, queries).to_pylist()
    assert got == [ref.as_of_sum(files, rows, g, d) for g, d in queries]


@modest
@given(as_of_case(), st.randoms(use_true_random=False))
def test_as_of_sums_ignores_row_order(case, rnd: random.Random) -> None:
    files, rows, queries = case
    expected = _as_of(files, rows, queries).to_pylist()
    order = list(range(len(queries)))
    rnd.shuffle(order)
    files, rows = rnd.sample(files, len(files)), rnd.sample(rows, len(rows))
    shuffled = _as_of(files, rows, [queries[i] for i in order]).to_pylist()
    assert shuffled == [expected[i] for i in order]


history_st = st.lists(st.tuples(st.sampled_from(GROUPS), days), max_size=20)


@modest
@given(history_st, st.lists(st.tuples(st.sampled_from(GROUPS + ["g9"]), days), max_size=15),
       st.one_of(st.integers(0, 400), st.integers(0, 10**30)), st.randoms(use_true_random=False))
def test_previous_peildatum_agrees_with_the_reference_in_any_order(history, queries, venster, rnd) -> None:
    expected = [ref.previous_peildatum([d for g2, d in history if g2 == g], d, venster) for g, d in queries]
    for attempt in range(2):
        hg, hd = zip(*history) if history else ((), ())
        qg, qd = zip(*queries) if queries else ((), ())
        got = engine.previous_peildatum(pa.array(hg, pa.string()), pa.array(hd, pa.date32()),
                                        pa.array(qg, pa.string()), pa.array(qd, pa.date32()), venster=venster)
        assert got.to_pylist() == expected
        history = rnd.sample(history, len(history))


counts = st.one_of(st.integers(0, 5000).map(float), st.floats(0, 5000, allow_nan=False))


@st.composite
def pace_row(draw):
    p = draw(days)
    p0 = draw(st.one_of(st.none(), st.dates(min_value=p - timedelta(days=800), max_value=p - timedelta(days=1))))
    return (p, draw(st.one_of(st.none(), counts)), draw(counts), draw(st.dates(min_value=D(2024, 1, 1),
            max_value=D(2028, 12, 31))), p0, None if p0 is None else draw(counts))


@modest
@example([(D(2025, 6, 1), 2.2e-313, 1.0, D(2026, 1, 1), D(2025, 5, 1), 0.0)])  # (doel − R) / (R − R0) overflows
@given(st.lists(pace_row(), max_size=30))
def test_pace_agrees_with_the_reference(rows) -> None:
    columns = list(zip(*rows)) if rows else [()] * 6
    types = [pa.date32(), pa.float64(), pa.float64(), pa.date32(), pa.date32(), pa.float64()]
    got = engine.pace(*(pa.array(c, t) for c, t in zip(columns, types)))
    got = {k: v.to_pylist() for k, v in got.items()}
    for i, row in enumerate(rows):
        expected = ref.pace(*row)
        for key, value in expected.items():
            if isinstance(value, float):
                assert math.isclose(value, got[key][i], rel_tol=1e-9, abs_tol=1e-9), (key, row)
            else:
                assert got[key][i] == value, (key, row)


@modest
@given(st.integers(1, 50), st.integers(1, 30), st.integers(0, 2000), st.integers(1, 120), st.integers(1, 400),
       days)
def test_linear_growth_is_projected_onto_its_own_line(rate, every, start, span, ahead, p0) -> None:
    """R grows ``rate`` per ``every`` days, exactly; the doel is the value the line reaches ``ahead`` steps
    after p: the projected date is the day the line reaches it."""
    steps = span  # p lies ``span`` steps after p0
    p = p0 + timedelta(days=steps * every)
    r0, r = float(start), float(start + rate * steps)
    doel = r + rate * ahead
    reached_on = p + timedelta(days=ahead * every)
    out = _both(p, r, doel, D(2100, 1, 1), p0, r0)
    assert out["verwachte_datum"] == reached_on
    assert math.isclose(out["tempo_per_maand"], rate / every * 365.25 / 12)


@modest
@given(pace_row(), counts)
def test_more_realisation_never_gives_a_later_date(row, more) -> None:
    p, r, doel, doeldatum, p0, r0 = row
    assume(r is not None)
    low, high = _pace1(*row), _pace1(p, r + more, doel, doeldatum, p0, r0)
    rank = {"bereikt": 0, "op_koers": 1, "niet_op_koers": 2, "onbekend": 3}
    assert rank[high["prognose"]] <= rank[low["prognose"]]
    if low["verwachte_datum"] is not None and high["prognose"] != "bereikt":
        assert high["verwachte_datum"] is not None and high["verwachte_datum"] <= low["verwachte_datum"]


@modest
@given(as_of_case())
def test_as_of_sums_dense_and_sorted_paths_agree(case) -> None:
    """Issue 16: the (file × group) sums are kept in a dense table when it is small, else by a sort; both
    give the same figures (and both agree with the reference, above, through whichever the case takes)."""
    from opvangkern.engine import history

    files, rows, queries = case
    dense = _as_of(files, rows, queries)
    saved = history._DENSE_CELLS
    history._DENSE_CELLS = 0
    try:
        sparse = _as_of(files, rows, queries)
    finally:
        history._DENSE_CELLS = saved
    assert dense.to_pylist() == sparse.to_pylist()
    assert dense.type == sparse.type
