"""The Parquet writer's two shortcuts (issue 16, eighth session), against ``pq.write_table`` as the oracle:

- pyarrow's writer class called directly (``writers._write_parquet``, no ``import pyarrow.parquet``) gives the
  bytes ``pq.write_table`` gives, for the dashboard's tables and for generated tables of every column type;
- a text column handed over as its dictionary encoding (``parquet_bytes(table, encoded)``, the dashboard's
  ``parquet_hints``) reads back as the same ``string`` column (schema, field labels and metadata included),
  and gives the very bytes of the plain column whenever ``_same_pages`` says so; a hint that names other
  buffers than the column's is ignored.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.output import writers
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


def _oracle(table: pa.Table) -> bytes:
    """``parquet_bytes`` through ``pq.write_table`` (the path before this session)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "_DIRECT_WRITER", False)
        return writers.parquet_bytes(table)


def _hints(table: pa.Table, names=None) -> dict:
    names = [f.name for f in table.schema if pa.types.is_string(f.type)] if names is None else names
    out = {}
    for name in names:
        column = table.column(name).chunk(0)  # the table's own buffers (it has one chunk)
        out[name] = (column, column.dictionary_encode())
    return out


def _one_chunk(table: pa.Table) -> pa.Table:
    return pa.Table.from_arrays([c.combine_chunks() for c in table.columns], schema=table.schema)


def _read(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


@pytest.fixture(scope="module")
def national() -> tuple[dict[str, pa.Table], dict]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate.generate(Path(folder) / "data", snapshots=3)
        dash = opvangkern.open_dataset(Path(folder) / "data").dashboard("NL01")
        return dash.tables(), dash.parquet_hints()


def test_the_direct_writer_gives_pq_write_tables_bytes(national) -> None:
    named, _ = national
    sample = opvangkern.open_dataset().dashboard().tables()
    for tables in (named, sample):
        for name, table in tables.items():
            assert writers.parquet_bytes(table) == _oracle(table), name


def test_the_dashboards_hints_give_the_same_files(national, tmp_path) -> None:
    named, hints = national
    assert set(hints["realisaties"]) >= {"bron", "opgave", "gemeentecode"}  # what the memo encoded
    for name, table in named.items():
        hinted = writers.parquet_bytes(table, hints.get(name))
        assert hinted == _oracle(table), name
    writers.write_tables(named, tmp_path / "met", "parquet", encoded=hints)
    writers.write_tables(named, tmp_path / "zonder", "parquet")
    for name, table in named.items():
        data = (tmp_path / "met" / f"{name}.parquet").read_bytes()
        assert data == (tmp_path / "zonder" / f"{name}.parquet").read_bytes(), name
        back = _read(data)
        assert back.equals(table) and back.schema.equals(table.schema, check_metadata=True), name


def test_a_hint_of_other_buffers_is_ignored(national) -> None:
    named, _ = national
    table = _one_chunk(named["realisaties"])
    # The same values in a copy: a hint for the copy's buffers is not the table's column.
    copy = pa.concat_arrays([table.column("bron").chunk(0).slice(0, 5), table.column("bron").chunk(0).slice(5)])
    wrong = {"bron": (copy, pa.array(["x"] * len(copy)).dictionary_encode())}
    assert writers._usable_encodings(table, wrong) == {}
    assert writers.parquet_bytes(table, wrong) == _oracle(table)
    # A hint for a column of several chunks (the dataset's own table) is not taken either.
    chunked = pa.concat_tables([table.slice(0, 100), table.slice(100)])
    assert writers._usable_encodings(chunked, _hints(table, ["bron"])) == {}
    assert set(writers._usable_encodings(table, _hints(table, ["bron"]))) == {"bron"}


_TEXT = st.one_of(st.none(), st.sampled_from(["coa", "kcio", "", "GM0363", "Súdwest-Fryslân", "=1+1", "a" * 40]),
                  st.text(max_size=6))


@st.composite
def _tables(draw) -> pa.Table:
    rows = draw(st.one_of(st.integers(0, 2600), st.integers(19_000, 45_000)))  # one data page, or several
    # Long runs of a few values (as realisaties' per-file columns), or values drawn row by row.
    def text_column():
        if draw(st.booleans()):
            values, out = draw(st.lists(_TEXT, min_size=1, max_size=12)), []
            while len(out) < rows:
                out.extend([draw(st.sampled_from(values))] * draw(st.integers(1, 25_000)))
            return out[:rows]
        return [draw(_TEXT) for _ in range(min(rows, 300))] * (rows // 300 + 1) if rows else []

    columns = {f"t{i}": pa.array(text_column()[:rows], pa.string()) for i in range(draw(st.integers(1, 3)))}
    columns["n"] = pa.array(range(rows), pa.int64())
    columns["f"] = pa.array([float(i % 7) / 3 if i % 5 else None for i in range(rows)], pa.float64())
    columns["d"] = pa.array([dt.date(2021, 1, 1) + dt.timedelta(days=i % 400) for i in range(rows)], pa.date32())
    status = pa.array(["op_schema", "achter", None][i % 3] for i in range(rows)).cast(pa.string())
    columns["s"] = status.dictionary_encode()
    fields = [pa.field(name, array.type, metadata={"label": name.upper()}) for name, array in columns.items()]
    return pa.Table.from_arrays(list(columns.values()), schema=pa.schema(fields, metadata={"dataset": "x"}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_tables(), st.data())
def test_hinted_text_reads_back_the_same_and_keeps_the_bytes_when_the_pages_agree(table, data) -> None:
    names = [f.name for f in table.schema if pa.types.is_string(f.type)]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, min_size=1))
    hints = _hints(table, chosen)
    plain = _oracle(table)
    assert writers.parquet_bytes(table) == plain
    hinted = writers.parquet_bytes(table, hints)
    back = _read(hinted)
    assert back.schema.equals(table.schema, check_metadata=True)
    assert all(pa.types.is_string(back.schema.field(name).type) for name in names)
    assert back.equals(table)
    used = writers._usable_encodings(table, hints)
    assert set(used) == {name for name in chosen if writers._same_pages(hints[name][1])}
    assert hinted == plain  # every hint taken gives Parquet's own pages; any other is not taken
    assert writers.parquet_bytes(table, hints) == hinted  # the same table, the same bytes


def test_a_hint_is_taken_where_the_first_rows_need_the_whole_width() -> None:
    # Three values in the first rows of four: the same bit width (2) as the whole dictionary: taken.
    early = pa.array(["a", "b", "c"] * 400 + ["d"] * 23_800)
    # One value for the first page (20,000 rows in pyarrow 26), then three more: the first page's indices
    # are packed at width 0 from the text, at width 2 from the whole dictionary: not taken.
    late = pa.array(["a"] * 22_000 + ["b", "c", "d"] * 1000)
    table = pa.table({"early": early, "late": late})
    used = writers._usable_encodings(table, _hints(table))
    assert set(used) == {"early"}
    assert writers.parquet_bytes(table, _hints(table)) == _oracle(table)
    # Taking the late hint anyway (the check switched off) still reads back the same table.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "_same_pages", lambda encoded: True)
        forced = writers.parquet_bytes(table, _hints(table))
    assert _read(forced).equals(table) and pa.types.is_string(_read(forced).schema.field("late").type)
    assert forced != _oracle(table)  # the first page's indices packed at the whole width: other bytes


def test_the_dashboards_realisaties_are_the_datasets_in_one_chunk(tmp_path) -> None:
    # The memo's one-chunk realisaties (eighth session): the same table as the dataset's (one chunk per
    # file); its Arrow IPC file holds one record batch, which reads back to that table.
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate.generate(Path(folder) / "data", snapshots=2)
        dataset = opvangkern.open_dataset(Path(folder) / "data")
        dash = dataset.dashboard("NL01")
    assert dataset.realisaties.column(0).num_chunks > 1
    assert all(column.num_chunks == 1 for column in dash.realisaties.columns)
    assert dash.realisaties.equals(dataset.realisaties) and dash.realisaties.schema.equals(dataset.realisaties.schema,
                                                                                          check_metadata=True)
    named = dash.tables()
    writers.write_tables(named, tmp_path, "arrow")
    back = pa.ipc.open_file(pa.OSFile(str(tmp_path / "realisaties.arrow"))).read_all()
    assert back.equals(named["realisaties"]) and back.schema.equals(named["realisaties"].schema, check_metadata=True)
    # A second dashboard of the dataset hands on the same kept table.
    assert dataset.dashboard("PV22").realisaties is dash.realisaties


def test_a_hinted_column_keeps_its_fields_nullability_and_metadata() -> None:
    # The Parquet schema is made from the fields: a required column and a field id stay as they were.
    text = pa.array(["x", "y", "x"] * 10)
    schema = pa.schema([pa.field("s", pa.string(), False, {"label": "S", "PARQUET:field_id": "7"}),
                        pa.field("n", pa.int64(), False)], metadata={"dataset": "d"})
    table = pa.Table.from_arrays([text, pa.array(range(30))], schema=schema)
    hints = _hints(table)
    assert set(writers._usable_encodings(table, hints)) == {"s"}
    data = writers.parquet_bytes(table, hints)
    assert data == _oracle(table)
    assert pq.ParquetFile(io.BytesIO(data)).schema.column(0).max_definition_level == 0  # required
    assert _read(data).schema.equals(schema, check_metadata=True)
