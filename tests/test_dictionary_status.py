"""``status`` and ``prognose`` are ``dictionary<int8, string>`` with a fixed dictionary (issue 16).

The dictionary is always the legend's values in the legend's order, whatever values a table holds and in
whatever order they come; every writer keeps writing the same texts (CSV and the text view as before),
Parquet and Arrow keep the dictionary, pandas gets a Categorical with the legend's categories, polars a
Categorical.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern import engine, tables
from opvangkern.dashboard.lookup import PROGNOSE_ORDER, STATUS_ORDER
from opvangkern.output import writers

CODED = pa.dictionary(pa.int8(), pa.string())


def test_the_dictionaries_are_the_legend_and_the_engine():
    assert tables.STATUS_VALUES == engine.STATUS_VALUES == STATUS_ORDER
    assert tables.PROGNOSE_VALUES == engine.PROGNOSE_VALUES == PROGNOSE_ORDER
    assert tables.KAARTEN.field("status").type == CODED
    assert tables.VERLOOP.field("status").type == CODED
    assert tables.PROGNOSE.field("prognose").type == CODED


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(tables.STATUS_VALUES))), st.sampled_from(["list", "string", "dict"]))
def test_any_values_in_any_order_get_the_fixed_dictionary(values, kind):
    given_values = (values if kind == "list" else pa.array(values, pa.string()) if kind == "string"
                    else pa.array(values, pa.string()).dictionary_encode())  # a dictionary in the values' own order
    table = tables.from_columns(tables.VERLOOP, {f.name: ([None] * len(values) if f.name != "status" else given_values)
                                                 for f in tables.VERLOOP})
    column = table.column("status")
    assert column.type == CODED
    assert all(chunk.dictionary.to_pylist() == list(tables.STATUS_VALUES) for chunk in column.chunks)
    assert column.to_pylist() == values
    rows = tables.from_rows(tables.VERLOOP, [{"status": v} for v in values])
    assert rows.column("status").to_pylist() == values
    assert all(chunk.dictionary.to_pylist() == list(tables.STATUS_VALUES) for chunk in rows.column("status").chunks)


def test_an_unknown_value_is_refused_not_made_null():
    with pytest.raises(ValueError, match="op_schma"):
        tables.from_columns(tables.VERLOOP, {f.name: [None] if f.name != "status" else ["op_schma"]
                                             for f in tables.VERLOOP})
    with pytest.raises(ValueError):
        tables.encode(pa.array(["bereikt", "misschien"]), tables.PROGNOSE_VALUES)


def test_empty_tables_carry_the_dictionary():
    for schema, column, values in ((tables.KAARTEN, "status", tables.STATUS_VALUES),
                                   (tables.VERLOOP, "status", tables.STATUS_VALUES),
                                   (tables.PROGNOSE, "prognose", tables.PROGNOSE_VALUES)):
        empty = tables.empty(schema)
        assert empty.num_rows == 0 and empty.schema.equals(schema)
        assert empty.column(column).chunk(0).dictionary.to_pylist() == list(values)


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard(gebied="PV22")


def test_the_dashboard_tables_are_coded(dash):
    for name, column, values in (("kaarten", "status", tables.STATUS_VALUES), ("verloop", "status", tables.STATUS_VALUES),
                                 ("prognose", "prognose", tables.PROGNOSE_VALUES)):
        table = getattr(dash, name)
        assert table.schema.field(column).type == CODED
        assert all(chunk.dictionary.to_pylist() == list(values) for chunk in table.column(column).chunks)
    # the seed's province cards, as texts (SPEC §10: the seed's statuses)
    with open(Path(__file__).parent / "fixtures" / "drenthe-2025-12-31-kaarten.csv", encoding="utf-8") as handle:
        seed = {row["opgave"]: row["status"] for row in csv.DictReader(handle) if row["gebied_code"] == "PV22"}
    cards = dash.kaarten.slice(0, 5)
    assert dict(zip(cards.column("opgave").to_pylist(), cards.column("status").to_pylist())) == seed


def test_the_status_is_the_engine_rule_on_the_card(dash):
    k = dash.kaarten
    again = engine.status(k.column("realisatie"), k.column("indicatief_schema"))
    assert again.type == pa.string() and again.to_pylist() == k.column("status").to_pylist()


def test_writers_keep_the_values_and_the_dictionary(dash):
    kaarten = dash.kaarten
    text = writers.csv_bytes(kaarten).decode("utf-8")
    plain = kaarten.set_column(kaarten.schema.get_field_index("status"), pa.field("status", pa.string()),
                               kaarten.column("status").cast(pa.string()))
    assert text == writers.csv_bytes(plain).decode("utf-8")  # CSV: the same text as a string column
    assert "licht_achter" in text
    for data, read in ((writers.parquet_bytes(kaarten), lambda b: pq.read_table(io.BytesIO(b))),
                       (writers.arrow_bytes(kaarten), lambda b: ipc.open_file(pa.BufferReader(b)).read_all())):
        back = read(data)
        assert back.schema.field("status").type == CODED
        assert back.column("status").to_pylist() == kaarten.column("status").to_pylist()
        assert back.column("status").chunk(0).dictionary.to_pylist() == list(tables.STATUS_VALUES)


def test_pandas_and_polars_read_a_categorical(dash):
    data = writers.parquet_bytes(dash.kaarten)
    frame = pd.read_parquet(io.BytesIO(data))
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert list(frame["status"].dtype.categories) == list(tables.STATUS_VALUES)
    assert list(dash.to_pandas()["kaarten"]["status"].dtype.categories) == list(tables.STATUS_VALUES)
    polars = pl.read_parquet(io.BytesIO(data))
    assert polars.schema["status"] == pl.Categorical
    assert polars.filter(pl.col("status") == "achter").height == dash.kaarten.column("status").to_pylist().count("achter")
