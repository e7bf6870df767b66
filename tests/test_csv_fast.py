"""The column-wise CSV encoder (``output/csv_fast.py``, issue 16) against the row by row writer it replaced
(``writers.csv_bytes_reference``, the oracle): the same bytes for any table, and for every dashboard table
of the sample and of a generated national history."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.output import csv_fast, writers
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")

# Text that touches every rule: the csv module's quoting (",", '"', line breaks, a lone "\r"), formula
# neutralisation ("=", "+", "-", "@", tab, "\r" first), empty text, non-ASCII, NUL.
_SPECIAL = st.sampled_from([",", '"', "\n", "\r", "\r\n", "=", "+", "-", "@", "\t", " ", ";", "'", "\x00", "é",
                            "ë", "€", "\u2028", "0", "1.010", ""])
_TEXT = st.lists(st.one_of(_SPECIAL, st.text(max_size=4)), max_size=5).map("".join)
_FLOAT = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1e16, 1e-5, 1e-4,
                                                                                     0.1, 1 / 3, 94.9457, 1e22]))
_FLOAT32 = st.floats(width=32, allow_nan=True, allow_infinity=True)
_DATE = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
_INT = st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1)


def _column(kind: str, values: list) -> pa.ChunkedArray:
    if kind == "text":
        return pa.chunked_array([pa.array(values, pa.string())])
    if kind == "large_text":
        return pa.chunked_array([pa.array(values, pa.large_string())])
    if kind == "dictionary":
        return pa.chunked_array([pa.array(values, pa.string()).dictionary_encode()])
    if kind == "int64":
        return pa.chunked_array([pa.array(values, pa.int64())])
    if kind == "int8":
        return pa.chunked_array([pa.array(values, pa.int8())])
    if kind == "uint64":
        return pa.chunked_array([pa.array(values, pa.uint64())])
    if kind == "bool":
        return pa.chunked_array([pa.array(values, pa.bool_())])
    if kind == "float64":
        return pa.chunked_array([pa.array(values, pa.float64())])
    if kind == "float32":
        return pa.chunked_array([pa.array(values, pa.float32())])
    if kind == "date32":
        return pa.chunked_array([pa.array(values, pa.date32())])
    raise AssertionError(kind)


_VALUES = {
    "text": _TEXT, "large_text": _TEXT, "dictionary": _TEXT, "int64": _INT,
    "int8": st.integers(-128, 127), "uint64": st.integers(0, (1 << 64) - 1), "bool": st.booleans(),
    "float64": _FLOAT, "float32": _FLOAT32, "date32": _DATE,
}


@st.composite
def tables(draw) -> pa.Table:
    n_rows = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(sorted(_VALUES)), min_size=1, max_size=5))
    names = draw(st.lists(_TEXT, min_size=len(kinds), max_size=len(kinds)))
    columns = []
    for kind in kinds:
        values = draw(st.lists(st.one_of(st.none(), _VALUES[kind]), min_size=n_rows, max_size=n_rows))
        column = _column(kind, values)
        cut = draw(st.integers(0, n_rows))  # several chunks, as a concatenated table has
        if draw(st.booleans()) and 0 < cut < n_rows:
            array = column.chunk(0)
            column = pa.chunked_array([array.slice(0, cut), array.slice(cut)])
        columns.append(column)
    return pa.Table.from_arrays(columns, names=[f"{i}{name}" for i, name in enumerate(names)])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_same_bytes_as_the_row_by_row_writer(table: pa.Table) -> None:
    expected = writers.csv_bytes_reference(table)
    assert csv_fast.csv_bytes(table) == expected
    assert writers.csv_bytes(table) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), _TEXT), max_size=6))
def test_a_one_column_table_writes_an_empty_cell_as_the_csv_module_does(values: list) -> None:
    table = pa.table({"a": pa.array(values, pa.string())})
    assert writers.csv_bytes(table) == writers.csv_bytes_reference(table)


def test_the_rules_by_hand() -> None:
    table = pa.table({
        "tekst": ["=1+1", 'zei "ja"', "a,b", "regel\nnieuw", "los\rteken", None],
        "getal": pa.array([1, -2, None, 4, 5, 6], pa.int64()),
        "kommagetal": [0.1, -0.0, None, 1e16, math.inf, 94.9457],
        "dag": pa.array([dt.date(2025, 12, 31), None, dt.date(1, 1, 1), dt.date(999, 5, 6), dt.date(9999, 12, 31),
                         dt.date(2026, 1, 1)], pa.date32()),
        "waar": [True, False, None, True, True, False],
    })
    expected = ('tekst,getal,kommagetal,dag,waar\n'
                "'=1+1,1,0.1,2025-12-31,true\n"
                '"zei ""ja""",-2,-0.0,,false\n'
                '"a,b",,,0001-01-01,\n'
                '"regel\nnieuw",4,1e+16,0999-05-06,true\n'
                'los\rteken,5,inf,9999-12-31,true\n'
                ',6,94.9457,2026-01-01,false\n').encode("utf-8")
    assert writers.csv_bytes_reference(table) == expected
    assert writers.csv_bytes(table) == expected


def test_types_without_a_fast_renderer_are_left_to_the_oracle() -> None:
    stamp = pa.table({"t": pa.array([dt.datetime(2025, 12, 31, 12, 0)], pa.timestamp("s")), "a": [1]})
    assert csv_fast.csv_bytes(stamp) is None
    assert writers.csv_bytes(stamp) == writers.csv_bytes_reference(stamp) == b"t,a\n2025-12-31T12:00:00,1\n"
    assert csv_fast.csv_bytes(pa.table({})) is None
    assert writers.csv_bytes(pa.table({})) == writers.csv_bytes_reference(pa.table({}))
    # A day that datetime.date cannot hold: the oracle decides (it raises, as before).
    far = pa.table({"d": pa.array([3_000_000], pa.int32()).view(pa.date32())})
    assert csv_fast.csv_bytes(far) is None
    with pytest.raises(OverflowError):
        writers.csv_bytes(far)


def test_batches_join_to_the_same_bytes(monkeypatch) -> None:
    monkeypatch.setattr(csv_fast, "_BATCH", 3)
    table = pa.table({"a": [f"={i}" for i in range(10)], "b": [i / 7 for i in range(10)]})
    assert writers.csv_bytes(table) == writers.csv_bytes_reference(table)


def test_every_table_of_the_sample_dashboard() -> None:
    dataset = opvangkern.open_dataset()
    for gebied in (None, "GM0106", "VR03"):
        for name, table in dataset.dashboard(gebied).tables().items():
            assert writers.csv_bytes(table) == writers.csv_bytes_reference(table), (gebied, name)


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> opvangkern.Dataset:
    folder = tmp_path_factory.mktemp("national-csv") / "data"
    generate.generate(folder, snapshots=3)
    return opvangkern.open_dataset(folder)


def test_every_table_of_a_national_history(national) -> None:
    for gebied in ("NL01", "PV22"):
        for name, table in national.dashboard(gebied).tables().items():
            assert writers.csv_bytes(table) == writers.csv_bytes_reference(table), (gebied, name)


_ANY_MAGNITUDE = st.builds(lambda m, e: m * 10.0 ** e, st.floats(-10, 10, allow_nan=False), st.integers(-8, 18))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FLOAT, _ANY_MAGNITUDE, st.integers(-10**12, 10**12).map(float),
                          st.builds(lambda a, b: a / b, st.integers(-10**9, 10**9), st.integers(1, 10**4))),
                max_size=300))
def test_float_texts_are_repr_at_every_magnitude(values) -> None:
    # Issue 16, eighth session: Arrow's cast writes the floats from 1e-4 below 1e9 (and ``.0`` is added to
    # a whole number); every other float is ``repr``'d. Either way the text is ``repr``'s.
    import numpy as np

    array = np.asarray(values, np.float64)
    assert csv_fast._float_texts(array).to_pylist() == [repr(v) for v in array.tolist()]


def test_float_texts_at_the_bounds_of_the_cast() -> None:
    import numpy as np

    edges = [1e-4, np.nextafter(1e-4, 0), 1e9, np.nextafter(1e9, 0), 999_999_999.0, 123.0, -0.0, 0.0, 5e-324,
             0.1 + 0.2, 2.0 ** 29, -(2.0 ** 29) - 0.5, float("nan"), float("inf"), -float("inf")]
    array = np.asarray(edges, np.float64)
    assert csv_fast._float_texts(array).to_pylist() == [repr(v) for v in array.tolist()]
