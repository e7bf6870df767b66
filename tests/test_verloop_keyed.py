"""Issue 16: ``verloop``'s realisations from the per-(task, municipality) sums made once per dataset
(``engine.history.KeyedAsOf``), its text columns spread as blocks, and ``prognose``'s look-up without a
sort: the same tables as the paths they replaced (``engine.as_of_sums`` over the area's rows, a take, a
stable sort), on hypothesis cases (random realisation rows, card rows and limits) and on generated
national histories."""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern import engine
from opvangkern.dashboard import verloop
from opvangkern.dashboard.compute import _CardRow
from opvangkern.engine import history
from opvangkern.model import TASKS
from opvangkern.output import writers
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")

DIVISION = opvangkern.open_dataset().division
CODES = ["GM0106", "GM0109", "GM0114", "GM1680", "GM1690"]
AREAS = [DIVISION.area(code) for code in CODES] + [DIVISION.area("PV22"), DIVISION.area("VR03")]
SOURCES = ["coa", "kcio", "tvs", "nidos"]
TASK_KEYS = [t.key for t in TASKS]

_days = st.one_of(st.none(), st.sampled_from([dt.date(2025, 1, 1) + dt.timedelta(days=d)
                                              for d in (0, 1, 7, 8, 30, 31, 200)]),
                  st.just(dt.date(1969, 12, 20)))
_row = st.fixed_dictionaries({
    "bron": st.one_of(st.sampled_from(SOURCES), st.none()),
    "opgave": st.one_of(st.sampled_from(TASK_KEYS), st.just("onbekend"), st.none()),
    "categorie": st.one_of(st.none(), st.sampled_from(["regulier", "noodopvang", "tgo", "anders"])),
    "gemeentecode": st.one_of(st.sampled_from(CODES), st.just("GM9999"), st.none()),
    "peildatum": _days,
    "aantal": st.one_of(st.none(), st.integers(0, 5000), st.integers(0, 10 ** 6)),
})
_card = st.tuples(st.integers(0, len(AREAS) - 1), st.sampled_from(TASK_KEYS),
                  st.lists(st.sampled_from(CODES + ["GM9999"]), max_size=7))


def _realisaties(rows: list[dict]) -> pa.Table:
    return pa.table({
        "bron": pa.array([r["bron"] for r in rows], pa.string()),
        "opgave": pa.array([r["opgave"] for r in rows], pa.string()),
        "categorie": pa.array([r["categorie"] for r in rows], pa.string()),
        "gemeentecode": pa.array([r["gemeentecode"] for r in rows], pa.string()),
        "peildatum": pa.array([r["peildatum"] for r in rows], pa.date32()),
        "aantal": pa.array([r["aantal"] for r in rows], pa.int64()),
    })


def _lines(n: int, amounts: list[int]) -> engine.Lines:
    ids = [i for i in range(n) for _ in range(2)]
    days = [dt.date(2024, 7, 1), dt.date(2025, 7, 1)] * n
    return engine.build_lines(pa.array(ids, pa.int64()), pa.array(days, pa.date32()),
                              pa.array([float(amounts[(2 * i + j) % len(amounts)]) for i in range(n) for j in range(2)]))


def _both(realisaties, rows, lines, categories, limit, monkeypatch):
    """``build_verloop`` with the paths of this round and with the old ones; the second value of each is
    how often the keyed path answered."""
    answered: list[int] = []
    original = history.KeyedAsOf.sums

    def counting(self, *args):
        result = original(self, *args)
        answered.append(result is not None)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(history.KeyedAsOf, "sums", counting)
        fast = verloop.build_verloop(realisaties, rows, lines, categories, limit=limit)
    with monkeypatch.context() as patch:
        patch.setattr(verloop, "_KEYED", False)
        patch.setattr(verloop, "_SPREAD_BY_BLOCKS", False)
        patch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
        slow = verloop.build_verloop(realisaties, rows, lines, categories, limit=limit)
    return fast, slow, answered


@settings(max_examples=250, deadline=None)
@given(st.lists(_row, max_size=60), st.lists(_card, min_size=1, max_size=8),
       st.lists(st.integers(0, 3000), min_size=1, max_size=5),
       st.one_of(st.none(), st.sampled_from([dt.date(2025, 1, 7), dt.date(2025, 2, 1), dt.date(1969, 1, 1)])),
       st.sampled_from([("regulier", "noodopvang", "tgo"), ("regulier",)]))
def test_keyed_verloop_equals_as_of_sums_over_the_rows(rows, cards, amounts, limit, categories) -> None:
    monkeypatch = pytest.MonkeyPatch()
    realisaties = _realisaties(rows)
    card_rows = [_CardRow(AREAS[a], task, tuple(members), tuple(members)) for a, task, members in cards]
    lines = _lines(len(card_rows), amounts)
    (fast, fast_row), (slow, slow_row), _ = _both(realisaties, card_rows, lines, list(categories), limit, monkeypatch)
    assert fast.equals(slow, check_metadata=True)
    assert fast_row.equals(slow_row)
    assert writers.arrow_bytes(fast) == writers.arrow_bytes(slow)  # the bytes under the nulls too


def test_the_keyed_path_answers_and_steps_back_when_sums_could_be_inexact(monkeypatch) -> None:
    day = dt.date(2025, 3, 31)
    rows = [{"bron": "coa", "opgave": "amv", "categorie": None, "gemeentecode": code, "peildatum": day,
             "aantal": 7} for code in CODES]
    card_rows = [_CardRow(AREAS[5], "amv", tuple(CODES), tuple(CODES)),
                 _CardRow(AREAS[0], "amv", (CODES[0],), (CODES[0],))]
    lines = _lines(2, [10, 50])
    (fast, _), (slow, _), answered = _both(_realisaties(rows), card_rows, lines, [], None, monkeypatch)
    assert answered == [True] and fast.equals(slow, check_metadata=True)
    assert fast.column("realisatie").to_pylist() == [5 * 7, 7]  # plain arithmetic: five municipalities of 7
    # Counts whose sum could leave float64's whole numbers: the keyed table is not built, as_of_sums serves.
    rows[0]["aantal"] = 2 ** 50
    prepared = verloop.prepare_history(_realisaties(rows), [])
    assert prepared.keyed() is None
    (fast, _), (slow, _), answered = _both(_realisaties(rows), card_rows, lines, [], None, monkeypatch)
    assert answered == [] and fast.equals(slow, check_metadata=True)
    # A municipality named twice in one card row counts twice on both paths (the bound doubles with it).
    rows[0]["aantal"] = 7
    twice = [_CardRow(AREAS[5], "amv", (CODES[0], CODES[0]), (CODES[0], CODES[0]))]
    (fast, _), (slow, _), answered = _both(_realisaties(rows), twice, _lines(1, [3]), [], None, monkeypatch)
    assert answered == [True] and fast.column("realisatie").to_pylist() == [14]
    assert fast.equals(slow, check_metadata=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=6), st.data())
def test_spread_by_blocks_equals_the_take(values, data) -> None:
    counts = data.draw(st.lists(st.integers(0, 4), min_size=len(values), max_size=len(values)))
    index = np.repeat(np.arange(len(values)), counts)
    if data.draw(st.booleans()) and len(index) > 1:
        index = index[::-1].copy()  # not ascending: the take serves
    got, want = verloop._spread(values, index), verloop._spread_taken(values, index)
    assert got.equals(want)
    table = lambda a: pa.table({"x": a})  # noqa: E731
    assert writers.arrow_bytes(table(got)) == writers.arrow_bytes(table(want))
    assert writers.csv_bytes(table(got)) == writers.csv_bytes(table(want))


@pytest.fixture(scope="module")
def national() -> opvangkern.Dataset:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate.generate(Path(folder) / "data", snapshots=5)
        return opvangkern.open_dataset(Path(folder) / "data")


@pytest.mark.parametrize("gebied", ["NL01", "PV21", "VR01", "GM0014"])
@pytest.mark.parametrize("peildatum", [None, "limit"])
def test_national_dashboards_equal_the_old_paths(national, gebied, peildatum, monkeypatch) -> None:
    days = sorted(set(national.realisaties.column("peildatum").to_pylist()))
    limit = days[len(days) // 2] if peildatum else None
    fast = national.dashboard(gebied, peildatum=limit)
    with monkeypatch.context() as patch:
        patch.setattr(verloop, "_KEYED", False)
        patch.setattr(verloop, "_SPREAD_BY_BLOCKS", False)
        patch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
        national._dashboard_memo.clear()  # the memo's prepared history made again, by the reference
        slow = national.dashboard(gebied, peildatum=limit)
    national._dashboard_memo.clear()
    assert fast.verloop.num_rows > 0
    for name in ("verloop", "prognose", "kaarten"):
        assert getattr(fast, name).equals(getattr(slow, name), check_metadata=True), name
        assert writers.arrow_bytes(getattr(fast, name)) == writers.arrow_bytes(getattr(slow, name)), name


def test_parquet_floats_plain_read_back_as_with_dictionaries(national, monkeypatch) -> None:
    tables = national.dashboard("NL01").tables()
    assert any(pa.types.is_floating(f.type) for f in tables["verloop"].schema)
    for name, table in tables.items():
        plain = writers.parquet_bytes(table)
        with monkeypatch.context() as patch:
            patch.setattr(writers, "_PLAIN_FLOATS", False)
            dictionary = writers.parquet_bytes(table)
        back_plain, back_dictionary = (pq.read_table(io.BytesIO(b)) for b in (plain, dictionary))
        assert back_plain.equals(back_dictionary, check_metadata=True), name
        assert back_plain.equals(table, check_metadata=True), name
        encodings = {pq.ParquetFile(io.BytesIO(plain)).metadata.row_group(0).column(i).path_in_schema:
                     pq.ParquetFile(io.BytesIO(plain)).metadata.row_group(0).column(i).encodings
                     for i in range(table.num_columns)} if table.num_rows else {}
        for field in table.schema:
            if field.name in encodings and pa.types.is_floating(field.type):
                assert "PLAIN_DICTIONARY" not in encodings[field.name] and "RLE_DICTIONARY" not in encodings[field.name]


def test_parquet_plain_floats_keep_every_bit() -> None:
    odd_nan = struct.unpack("d", struct.pack("Q", 0x7FF8000000000001))[0]
    values = [0.0, -0.0, float("nan"), -float("nan"), odd_nan, 1.5, None, float("inf"), -float("inf"), 5e-324]
    table = pa.table({"x": pa.array(values, pa.float64()), "n": pa.array(range(len(values)), pa.int64())})
    back = pq.read_table(io.BytesIO(writers.parquet_bytes(table)))
    bits = lambda t: [None if v is None else struct.pack("d", v) for v in t.column("x").to_pylist()]  # noqa: E731
    assert bits(back) == bits(table)
    assert back.schema.equals(table.schema, check_metadata=True)  # (NaN is never equal to itself in equals)


_ATTRIBUTES = ("file_bron", "file_peil", "task_keys", "pair_key", "counted", "codes", "code_index", "gm_of_row",
               "task_of_row", "bron", "peil", "bron_encoded", "aantal", "_days", "_dated")


def _same_attributes(a: verloop.PreparedHistory, b: verloop.PreparedHistory) -> None:
    assert a.empty == b.empty
    if a.empty:
        return
    for name in _ATTRIBUTES:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.tolist() == y.tolist(), name
        elif isinstance(x, (pa.Array, pa.ChunkedArray)):
            assert x.type == y.type and x.equals(y), name
        else:
            assert x == y, name


@settings(max_examples=250, deadline=None)
@given(st.lists(_row, max_size=60),
       st.one_of(st.none(), st.sampled_from([dt.date(2025, 1, 7), dt.date(2025, 2, 1), dt.date(1969, 1, 1)])),
       st.sampled_from([("regulier", "noodopvang", "tgo"), ("tgo",), ()]))
def test_prepared_history_equals_its_reference(rows, limit, categories) -> None:
    realisaties = _realisaties(rows)
    fast = verloop.PreparedHistory(realisaties, list(categories), limit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
        reference = verloop.PreparedHistory(realisaties, list(categories), limit)
    _same_attributes(fast, reference)
    # The keyed table from the files the calendar marked equals the one made from the rows.
    if not fast.empty:
        with_files, without = fast.keyed(), reference.keyed()
        assert (with_files is None) == (without is None)
        if with_files is not None:
            assert with_files.table.tolist() == without.table.tolist()
            assert with_files.found.tolist() == without.found.tolist()


def test_prepared_history_of_a_national_history_equals_its_reference(national, monkeypatch) -> None:
    days = sorted(set(national.realisaties.column("peildatum").to_pylist()))
    for limit in (None, days[3]):
        fast = verloop.PreparedHistory(national.realisaties, ["regulier", "noodopvang", "tgo"], limit)
        assert fast._files is not None  # the calendar made it
        monkeypatch.setattr(verloop, "_PREPARE_BY_CALENDAR", False)
        reference = verloop.PreparedHistory(national.realisaties, ["regulier", "noodopvang", "tgo"], limit)
        monkeypatch.setattr(verloop, "_PREPARE_BY_CALENDAR", True)
        _same_attributes(fast, reference)
        assert fast.keyed().table.tolist() == reference.keyed().table.tolist()


@settings(max_examples=250, deadline=None)
@given(st.lists(_row, max_size=60), st.data())
def test_current_rows_by_mask_equal_the_reference(rows, data) -> None:
    from opvangkern.dashboard import compute

    realisaties = _realisaties(rows)
    if data.draw(st.booleans()) and realisaties.num_rows > 2:
        realisaties = pa.concat_tables([realisaties.slice(0, 2), realisaties.slice(2)])  # chunked, as a history
    peildata = data.draw(st.dictionaries(st.sampled_from(SOURCES + ["elders"]), _days.filter(lambda d: d is not None)))
    got = compute.current_rows(realisaties, peildata)
    want = compute.current_rows_reference(realisaties, peildata)
    assert got.equals(want, check_metadata=True)
    # chosen_peildata by plain Python: per source its latest day, sources in the order of their first dated row.
    for limit in (None, dt.date(2025, 1, 8)):
        expected: dict[str, dt.date] = {}
        for row in rows:
            if row["bron"] is None or row["peildatum"] is None or (limit and row["peildatum"] > limit):
                continue
            expected[row["bron"]] = max(expected.get(row["bron"], row["peildatum"]), row["peildatum"])
        got_peildata = compute.chosen_peildata(realisaties, limit)
        assert list(got_peildata.items()) == list(expected.items())


def test_current_rows_of_a_national_history_equal_the_reference(national) -> None:
    from opvangkern.dashboard import compute

    days = sorted(set(national.realisaties.column("peildatum").to_pylist()))
    for limit in (None, days[2]):
        peildata = compute.chosen_peildata(national.realisaties, limit)
        got = compute.current_rows(national.realisaties, peildata)
        assert got.num_rows > 0
        assert got.equals(compute.current_rows_reference(national.realisaties, peildata), check_metadata=True)
