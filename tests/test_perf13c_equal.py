"""The thirteenth session's cheaper steps across files (issue 16, ``perf13c``) against the code they replaced.

``deliveries._values_at`` takes each row's value from its own chunk instead of a ``take`` over the whole chunked
column: the same values for any chunk layout (empty chunks, nulls, the first and last rows). And
``housing_rows_missing`` filters only the columns it reads: the same ``fout``, naming the delivery's file and
sheet, for a national-style history of several files, one of which lacks a municipality."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from opvangkern import tables
from opvangkern.dataset.deliveries import _values_at
from opvangkern.dataset.quota_checks import housing_rows_missing
from opvangkern.dataset.load import load_dataset

_chunks = st.lists(st.lists(st.one_of(st.none(), st.text(max_size=6)), max_size=5), min_size=1, max_size=6)


@given(_chunks, st.data())
def test_values_at_is_the_take_over_the_chunked_column(chunks, data):
    column = pa.chunked_array([pa.array(c, pa.string()) for c in chunks], pa.string())
    n = len(column)
    rows = data.draw(st.lists(st.integers(0, n - 1), max_size=12)) if n else []
    assert _values_at(column, rows) == column.take(pa.array(rows, pa.int64())).to_pylist()


def test_values_at_refuses_a_row_outside_the_column():
    import pytest

    column = pa.chunked_array([pa.array(["a"]), pa.array(["b", "c"])])
    with pytest.raises(IndexError):
        _values_at(column, [3])
    assert _values_at(column, [2, 0, 1]) == ["c", "a", "b"]


def test_housing_rows_missing_names_the_file_that_lacks_a_row(tmp_path):
    # The bundled sample's housing rows, spread over three weekly deliveries of which the middle one lacks Assen
    # (GM0106): one ``fout`` for that delivery, naming its own file and sheet.
    import opvangkern

    dataset = load_dataset(opvangkern.sample_path())
    real = dataset.realisaties
    housing = real.filter(pa.compute.equal(real.column("opgave"), "vergunninghouders"))
    assert housing.num_rows
    day = housing.column("peildatum")[0].as_py()
    files = []
    for week, name in enumerate(["tvs-week-1.csv", "tvs-week-2.csv", "tvs-week-3.csv"]):
        part = housing.set_column(housing.schema.get_field_index("peildatum"), "peildatum",
                                  pa.array([day + dt.timedelta(days=7 * week)] * housing.num_rows, pa.date32()))
        part = part.set_column(part.schema.get_field_index("bestand"), "bestand",
                               pa.array([name] * part.num_rows, pa.string()))
        if week == 1:
            part = part.filter(pa.compute.not_equal(part.column("gemeentecode"), "GM0106"))
        files.append(part)
    history = pa.concat_tables(files)  # one chunk per file, as a load makes it
    assert history.column("bestand").num_chunks >= 3
    found = housing_rows_missing(dataset.opgaven, history, dataset.division)
    expected = [m for m in found if m.code == "gemeente_ontbreekt_in_levering"]
    assert len(expected) == 1, [m.melding for m in found]
    assert expected[0].bestand == "tvs-week-2.csv"
    assert expected[0].waarde == "Assen"
    assert "Assen (GM0106)" in expected[0].melding
    # nothing lacks in the whole history: no melding
    assert housing_rows_missing(dataset.opgaven, pa.concat_tables([files[0], files[2]]), dataset.division) == []
    assert tables.REALISATIES.names == real.schema.names
