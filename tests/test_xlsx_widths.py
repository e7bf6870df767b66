"""The XLSX column widths measured per column (issue 16, perf9b): ``writers_xlsx._column_width`` gives exactly the
width of the value-by-value estimate (``_column_width_reference``, the oracle), and the workbook's bytes are those
of the sheet writer before (``_write_sheet_reference``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opvangkern.output import writers_xlsx
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")

# Floats around the thousandths' halves, where Python's and NumPy's rounding could part, and their neighbours.
_TIES = st.builds(lambda k, d, s: s * (k + d / 10_000), st.integers(-10**7, 10**7), st.sampled_from([4, 5, 6, 9995, 9999]),
                  st.sampled_from([1, -1]))
_FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e7, 1e7), _TIES,
                    st.floats(-1e-3, 1e-3), st.sampled_from([0.0, -0.0, 0.0005, -0.0005, 2.675, 1.0005, 999.9995,
                                                             999_999.9996, 1e12, -1e15, 1e300, 5e-324]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _FLOATS), max_size=40), st.sampled_from(["float", "percent"]),
       st.sampled_from([pa.float64(), pa.float32()]))
@example([0.0005, 0.0015, 0.0025, 1.2345, 2.675, -0.0004], "float", pa.float64())
def test_float_widths(values, kind, kind_type):
    if kind_type == pa.float32():
        values = [None if v is None else float(pa.scalar(v, pa.float32()).as_py()) if abs(v) < 3e38 or v != v
                  else v for v in values]
    column = pa.chunked_array([pa.array(values[: len(values) // 2], kind_type), pa.array(values[len(values) // 2:], kind_type)])
    assert writers_xlsx._column_width(kind, column) == writers_xlsx._column_width_reference(kind, column)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-2**63, 2**63 - 1), st.integers(-10**7, 10**7)), max_size=30))
def test_integer_widths(values):
    column = pa.chunked_array([pa.array(values, pa.int64())])
    assert writers_xlsx._column_width("int", column) == writers_xlsx._column_width_reference("int", column)


_TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["=SOM(A1)", "Aa en Hunze", "regel\nlange tweede regel",
                                                                     "a\r\nb", "x\u2028yyyy", "", "GM0106"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT, max_size=30), st.booleans())
def test_text_widths(values, as_dictionary):
    array = pa.array(values, pa.string())
    column = pa.chunked_array([array.dictionary_encode() if as_dictionary else array])
    assert writers_xlsx._column_width("text", column) == writers_xlsx._column_width_reference("text", column)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=10), st.lists(st.one_of(st.none(), st.dates()), max_size=10))
def test_bool_and_date_widths(flags, days):
    for kind, column in (("bool", pa.chunked_array([pa.array(flags, pa.bool_())])),
                         ("date", pa.chunked_array([pa.array(days, pa.date32())]))):
        assert writers_xlsx._column_width(kind, column) == writers_xlsx._column_width_reference(kind, column)


def test_dictionaries_that_differ_per_chunk():
    column = pa.chunked_array([pa.array(["kort", "veel langer"]).dictionary_encode(),
                               pa.array(["x", None, "middel"]).dictionary_encode()])
    assert writers_xlsx._column_width("text", column) == writers_xlsx._column_width_reference("text", column) == 11


@pytest.fixture(scope="module")
def history_tables(tmp_path_factory):
    import opvangkern

    folder = tmp_path_factory.mktemp("xlsx") / "data"
    generate.generate(folder, snapshots=3)
    return opvangkern.open_dataset(folder).dashboard("PV21").tables()


def test_the_workbook_is_the_reference_writers(history_tables, monkeypatch):
    import opvangkern

    for named in (history_tables, opvangkern.open_dataset().dashboard().tables()):
        fast = writers_xlsx.xlsx_bytes(named)
        monkeypatch.setattr(writers_xlsx, "_WIDTHS_BY_COLUMN", False)
        reference = writers_xlsx.xlsx_bytes(named)
        monkeypatch.setattr(writers_xlsx, "_WIDTHS_BY_COLUMN", True)
        assert fast == reference


def test_hostile_cells_and_dates_in_a_workbook(monkeypatch):
    table = pa.table({"t": pa.array(["=1+1", "=1+1", "@x", None, "-3", "gewoon"] * 3),
                      "d": pa.array([dt.date(2025, 12, 31), None, dt.date(1900, 1, 1)] * 6, pa.date32()),
                      "f": pa.array([0.0005, float("nan"), -0.0, float("inf"), None, 1234567.891] * 3),
                      "b": pa.array([True, False, None] * 6)})
    fast = writers_xlsx.xlsx_bytes({"t": table})
    monkeypatch.setattr(writers_xlsx, "_WIDTHS_BY_COLUMN", False)
    assert writers_xlsx.xlsx_bytes({"t": table}) == fast
