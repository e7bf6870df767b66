import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import opvangkern
from opvangkern.output import writers


@pytest.fixture(scope="module")
def named_tables():
    return opvangkern.open_dataset().dashboard().tables()


@pytest.mark.parametrize("fmt", writers.FORMATS)
def test_same_input_same_bytes(tmp_path, named_tables, fmt):
    first = writers.write_tables(named_tables, tmp_path / "a", fmt)
    second = writers.write_tables(named_tables, tmp_path / "b", fmt)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {p.name for p in first} == {f"{n}.{fmt}" for n in named_tables}


def test_parquet_keeps_labels_and_metadata(tmp_path, named_tables):
    writers.write_tables(named_tables, tmp_path, "parquet")
    table = pq.read_table(tmp_path / "kaarten.parquet")
    assert table.schema.field("realisatie").metadata[b"label"] == b"Huidige realisatie"
    assert table.schema.metadata[b"opvangkern_schema_version"] == b"1"
    assert table.equals(named_tables["kaarten"])


def test_arrow_ipc_round_trip(tmp_path, named_tables):
    writers.write_tables(named_tables, tmp_path, "arrow")
    with pa.memory_map(str(tmp_path / "gemeenten.arrow")) as source:
        table = pa.ipc.open_file(source).read_all()
    assert table.equals(named_tables["gemeenten"])


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "out"
    calls = {"n": 0}
    real_replace = os.replace

    def failing_replace(src, dst):
        calls["n"] += 1
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        writers.write_atomically({target / "a.csv": b"1", target / "b.csv": b"2"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert list(target.iterdir()) == []


def test_csv_has_no_thousands_separator_and_blank_nulls(tmp_path, named_tables):
    writers.write_tables({"gemeenten": named_tables["gemeenten"]}, tmp_path, "csv")
    lines = (tmp_path / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
    assen = next(line for line in lines if line.startswith("GM0106"))
    assert ",1010," in assen and ",1000.0," in assen
    aa = next(line for line in lines if line.startswith("GM1680"))
    assert ",,," in aa  # AMV opgave and realisatie are null: empty cells
