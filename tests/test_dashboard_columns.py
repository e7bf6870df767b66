"""Issue 16, the ``dash4`` branch: the dashboard's steps share one combined and encoded copy of each
``realisaties`` column (``dashboard.columns.RealisatieColumns``). Each answer equals the Arrow kernel the
step used to call for itself, on hypothesis tables (nulls, chunked, empty) and on a generated national
history, and the steps given the shared columns give what they give without them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.dashboard import compute, coverage, verloop
from opvangkern.dashboard.columns import RealisatieColumns
from opvangkern.model import TASKS
from opvangkern.output import writers
from opvangkern.testing import load_module

from .test_verloop_keyed import _same_attributes

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")

_text = st.one_of(st.none(), st.sampled_from(["coa", "kcio", "tvs", "nidos", "amv", "asiel", "", "GM0014", "é"]))
_day = st.one_of(st.none(), st.integers(-400, 40_000).map(lambda d: dt.date(1970, 1, 1) + dt.timedelta(days=d)))
_row = st.tuples(_text, _text, _text, _day)


def _table(rows: list[tuple], cut: int | None) -> pa.Table:
    table = pa.table({
        "bron": pa.array([r[0] for r in rows], pa.string()),
        "opgave": pa.array([r[1] for r in rows], pa.string()),
        "gemeentecode": pa.array([r[2] for r in rows], pa.string()),
        "peildatum": pa.array([r[3] for r in rows], pa.date32()),
    })
    if cut is not None and 0 < cut < table.num_rows:  # chunked, as a history's table is
        table = pa.concat_tables([table.slice(0, cut), table.slice(cut)])
    return table


@settings(max_examples=300, deadline=None)
@given(st.lists(_row, max_size=40), st.one_of(st.none(), st.integers(0, 40)),
       st.lists(st.sampled_from(["coa", "amv", "asiel", "", "onbekend", "é"]), max_size=5))
def test_every_answer_equals_the_kernel_it_stands_for(rows, cut, values) -> None:
    table = _table(rows, cut)
    columns = RealisatieColumns(table)
    for name in ("bron", "opgave", "gemeentecode"):
        column = table.column(name)
        assert columns.combined(name).equals(column.combine_chunks())
        assert columns.encoded(name).equals(column.combine_chunks().dictionary_encode())
        assert columns.distinct(name) == set(pc.unique(column).to_pylist())
        want = pc.index_in(column.combine_chunks(), value_set=pa.array(values, pa.string())).fill_null(-1)
        got = columns.positions_in(name, values)
        assert got.dtype == np.int64 and got.tolist() == want.to_pylist()
        codes = columns.codes(name)
        dictionary = columns.encoded(name).dictionary.to_pylist()
        assert [None if c < 0 else dictionary[c] for c in codes.tolist()] == column.to_pylist()
    days, valid = columns.days()
    assert valid.tolist() == [d is not None for d in table.column("peildatum").to_pylist()]
    assert [int(x) for x, v in zip(days.tolist(), valid.tolist()) if v] == \
        [(d - dt.date(1970, 1, 1)).days for d in table.column("peildatum").to_pylist() if d is not None]
    # What is kept is shared: the same object every time, and nobody can write into it.
    assert columns.codes("bron") is columns.codes("bron")
    with pytest.raises(ValueError):
        columns.codes("bron")[:1] = 5
    with pytest.raises(ValueError):
        days[:1] = 0


@settings(max_examples=200, deadline=None)
@given(st.lists(_row, max_size=40), st.one_of(st.none(), st.integers(0, 40)),
       st.one_of(st.none(), _day.filter(lambda d: d is not None)))
def test_peildata_and_current_rows_with_shared_columns_equal_their_own(rows, cut, limit) -> None:
    table = _table(rows, cut)
    columns = RealisatieColumns(table)
    peildata = compute.chosen_peildata(table, limit, columns=columns)
    assert list(peildata.items()) == list(compute.chosen_peildata(table, limit).items())
    got = compute.current_rows(table, peildata, columns=columns)
    assert got.equals(compute.current_rows(table, peildata), check_metadata=True)
    assert got.equals(compute.current_rows_reference(table, peildata), check_metadata=True)


@pytest.fixture(scope="module")
def national() -> opvangkern.Dataset:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate.generate(Path(folder) / "data", snapshots=6)
        return opvangkern.open_dataset(Path(folder) / "data")


def test_the_memo_shares_one_copy_of_the_columns(national, monkeypatch) -> None:
    """Every step of the first dashboard asks the shared columns; the table's columns are combined and
    encoded once each, however many steps and limits ask."""
    combined: list[str] = []
    original = RealisatieColumns.combined

    def counting(self, name):
        if ("combined", name) not in self._kept:
            combined.append(name)
        return original(self, name)

    monkeypatch.setattr(RealisatieColumns, "combined", counting)
    national._dashboard_memo.clear()
    days = sorted(set(national.realisaties.column("peildatum").to_pylist()))
    national.dashboard("NL01")
    national.dashboard("PV21", peildatum=days[2])
    assert sorted(combined) == sorted(set(combined))
    assert {"bron", "peildatum", "opgave", "gemeentecode"} <= set(combined)
    national._dashboard_memo.clear()


@pytest.mark.parametrize("gebied", ["NL01", "PV20", "VR03", "GM0014"])
def test_national_steps_with_shared_columns_equal_their_own(national, gebied) -> None:
    realisaties = national.realisaties
    columns = RealisatieColumns(realisaties)
    days = sorted(set(realisaties.column("peildatum").to_pylist()))
    for limit in (None, days[1]):
        peildata = compute.chosen_peildata(realisaties, limit, columns=columns)
        assert peildata == compute.chosen_peildata(realisaties, limit)
        assert compute.current_rows(realisaties, peildata, columns=columns).equals(
            compute.current_rows_reference(realisaties, peildata), check_metadata=True)
        shared = verloop.PreparedHistory(realisaties, ["regulier", "noodopvang", "tgo"], limit, columns)
        own = verloop.PreparedHistory(realisaties, ["regulier", "noodopvang", "tgo"], limit)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
            reference = verloop.PreparedHistory(realisaties, ["regulier", "noodopvang", "tgo"], limit)
        for other in (own, reference):
            _same_attributes(shared, other)
    territory, own_territory = coverage._Territory(national, columns=columns), coverage._Territory(national)
    assert territory.realised == own_territory.realised and territory.with_data == own_territory.with_data
    assert territory.regional_targets == own_territory.regional_targets
    assert columns.distinct("opgave") == coverage._unique(realisaties, "opgave")
    assert {t.key for t in TASKS} >= columns.distinct("opgave")
    # The whole dashboard through the memo (shared columns) equals one computed by the old paths (the
    # reference preparation and current rows, which make their own columns).
    national._dashboard_memo.clear()
    fast = national.dashboard(gebied).tables()
    national._dashboard_memo.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verloop, "_KEYED", False)
        patch.setattr(verloop, "_SPREAD_BY_BLOCKS", False)
        patch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
        patch.setattr(compute, "_CURRENT_BY_MASK", False)
        slow = national.dashboard(gebied).tables()
    national._dashboard_memo.clear()
    for name in fast:
        assert fast[name].equals(slow[name], check_metadata=True), name
        assert writers.arrow_bytes(fast[name]) == writers.arrow_bytes(slow[name]), name
        assert writers.parquet_bytes(fast[name]) == writers.parquet_bytes(slow[name]), name


def _positions_reference(days: np.ndarray, query: np.ndarray):
    """``KeyedAsOf.sums``' day positions as they were found before: a binary search, ``None`` for a day
    that is not in the table."""
    if len(query) and (not len(days)):
        return None
    position = np.minimum(np.searchsorted(days, query), max(len(days) - 1, 0))
    if len(query) and np.any(days[position] != query):
        return None
    return position


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-30_000, 60_000), max_size=30, unique=True), st.data(), st.booleans())
def test_day_positions_by_look_up_equal_the_search(days, data, wide) -> None:
    from opvangkern.engine import history

    days = np.asarray(sorted(days), np.int64)
    pool = list(days.tolist()) + [-30_001, 60_001, 5, 0]
    query = np.asarray(data.draw(st.lists(st.sampled_from(pool), max_size=40)), np.int64)
    keyed = history.KeyedAsOf(days, np.zeros((2, len(days))), np.ones(len(days), bool), 0.0)
    with pytest.MonkeyPatch.context() as patch:
        if wide:
            patch.setattr(history, "_POSITION_SPAN", 0)  # the search serves
        got = keyed._positions(query)
    want = _positions_reference(days, query)
    assert (got is None) == (want is None)
    if got is not None:
        assert got.tolist() == want.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(max_size=5), st.none()), min_size=0, max_size=6), min_size=1, max_size=4),
       st.data())
def test_spread_columns_equal_the_take(columns, data) -> None:
    n = min(len(c) for c in columns)
    columns = [c[:n] for c in columns]
    counts = data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    index = np.repeat(np.arange(n), counts)
    if data.draw(st.booleans()) and len(index) > 1:
        index = index[::-1].copy()  # not ascending: the take serves
    got = verloop._spread_columns(columns, index)
    for values, array in zip(columns, got):
        want = verloop._spread_taken(values, index)
        assert array.equals(want)
        assert writers.arrow_bytes(pa.table({"x": array})) == writers.arrow_bytes(pa.table({"x": want}))
