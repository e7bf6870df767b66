"""The Parquet files (issue 16: one chunk per column, no min/max statistics for text) hold exactly the
dashboard's tables: read back with pyarrow (types, labels and metadata included), polars, DuckDB and
pandas, every table equals the one the dashboard made; the bytes stay the same for the same table,
whatever its chunks; numbers and dates keep their statistics."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import opvangkern
from opvangkern.output import writers
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


@pytest.fixture(scope="module")
def national() -> dict[str, pa.Table]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate.generate(Path(folder) / "data", snapshots=3)
        return opvangkern.open_dataset(Path(folder) / "data").dashboard("NL01").tables()


@pytest.fixture(scope="module")
def sample() -> dict[str, pa.Table]:
    return opvangkern.open_dataset().dashboard().tables()


def _same_values(expected: list[dict], got: list[dict]) -> None:
    assert len(got) == len(expected)
    for want, have in zip(expected, got):
        assert want.keys() == have.keys()
        for key, value in want.items():
            other = have[key]
            if isinstance(value, float) and math.isnan(value):
                assert isinstance(other, float) and math.isnan(other), key
            else:
                assert other == value and type(other) is type(value), (key, value, other)


@pytest.mark.parametrize("which", ["sample", "national"])
def test_every_table_reads_back_equal(which, request, tmp_path) -> None:
    named = request.getfixturevalue(which)
    writers.write_tables(named, tmp_path, "parquet")
    for name, table in named.items():
        back = pq.read_table(tmp_path / f"{name}.parquet")
        assert back.equals(table, check_metadata=True), name
        assert back.schema.equals(table.schema, check_metadata=True), name


@pytest.mark.parametrize("which", ["sample", "national"])
def test_polars_duckdb_and_pandas_read_the_same_rows(which, request, tmp_path) -> None:
    polars = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    named = request.getfixturevalue(which)
    writers.write_tables(named, tmp_path, "parquet")
    for name, table in named.items():
        path = str(tmp_path / f"{name}.parquet")
        plain = table.to_pylist()
        # status / prognose are dictionary-encoded: every reader gives back their text.
        _same_values(plain, polars.read_parquet(path).to_dicts())
        relation = duckdb.sql(f"select * from read_parquet('{path}')")
        columns = relation.columns
        _same_values(plain, [dict(zip(columns, row)) for row in relation.fetchall()])
    pandas = pytest.importorskip("pandas")
    for name, table in named.items():
        frame = pandas.read_parquet(tmp_path / f"{name}.parquet")
        assert pa.Table.from_pandas(frame, preserve_index=False).to_pylist() == table.to_pylist(), name


def test_the_same_table_in_other_chunks_gives_the_same_bytes(national) -> None:
    whole = national["realisaties"]
    # One chunk per file, as the dataset concatenates them (the dashboard hands on one chunk per column).
    table = pa.concat_tables([whole.slice(start, 343) for start in range(0, whole.num_rows, 343)])
    assert table.column(0).num_chunks > 1
    one = writers.parquet_bytes(table.combine_chunks())
    assert writers.parquet_bytes(table) == one == writers.parquet_bytes(whole)
    rechunked = pa.Table.from_batches(table.combine_chunks().to_batches(max_chunksize=1000))
    assert writers.parquet_bytes(rechunked) == one


def test_statistics_for_numbers_and_dates_not_for_text(national) -> None:
    data = writers.parquet_bytes(national["verloop"])
    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    assert metadata.num_row_groups == 1
    group = metadata.row_group(0)
    kept = {group.column(i).path_in_schema: group.column(i).is_stats_set for i in range(group.num_columns)}
    assert kept == {"gebied_code": False, "gebied_naam": False, "gebied_niveau": False, "opgave": False,
                    "peildatum": True, "indicatief_schema": True, "realisatie": True, "achterstand": True,
                    "realisatiegraad": True, "status": False}
    days = national["verloop"].column("peildatum")
    stats = group.column(4).statistics
    assert (stats.min, stats.max) == (min(days.to_pylist()), max(days.to_pylist()))
