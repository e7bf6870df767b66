"""``writers.encode_all`` (issue 16): the large tables encoded in two threads give the bytes and the failure
of the plain loop ``[encode(t) for t in tables]``, which stays the oracle."""

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.output import writers


def _table(rows: int, seed: int = 0) -> pa.Table:
    return pa.table({"n": pa.array([(i * 7919 + seed) % 1000 for i in range(rows)], pa.int64()),
                     "t": pa.array([f"gemeente {(i + seed) % 37}" for i in range(rows)]),
                     "x": pa.array([i / 3 for i in range(rows)], pa.float64())})


@pytest.fixture
def threaded(monkeypatch):
    monkeypatch.setattr(writers, "_THREADED_ROWS", 10)  # small tables take the threaded path too


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(0, 60), min_size=0, max_size=8))
def test_same_bytes_as_the_loop(sizes):
    tables = [_table(rows, seed) for seed, rows in enumerate(sizes)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "_THREADED_ROWS", 10)
        for encode in (writers.parquet_bytes, writers.arrow_bytes):
            assert writers.encode_all(encode, tables) == [encode(t) for t in tables]


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(0, 60), min_size=1, max_size=8), data=st.data())
def test_the_first_failing_table_in_order_is_reported(sizes, data):
    tables = [_table(rows, seed) for seed, rows in enumerate(sizes)]
    failing = set(data.draw(st.sets(st.integers(0, len(tables) - 1))))

    def encode(table: pa.Table) -> bytes:
        index = next(i for i, t in enumerate(tables) if t is table)
        if index in failing:
            raise ValueError(f"tabel {index}")
        return writers.parquet_bytes(table)

    def loop() -> list[bytes]:
        return [encode(t) for t in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "_THREADED_ROWS", 10)
        if not failing:
            assert writers.encode_all(encode, tables) == loop()
            return
        with pytest.raises(ValueError) as expected:
            loop()
        with pytest.raises(ValueError) as found:
            writers.encode_all(encode, tables)
    assert str(found.value) == str(expected.value) == f"tabel {min(failing)}"


def test_the_helper_thread_is_used_and_joined(threaded, monkeypatch):
    import threading

    seen: set[str] = set()

    def encode(table: pa.Table) -> bytes:
        seen.add(threading.current_thread().name)
        return writers.arrow_bytes(table)

    tables = [_table(50, 1), _table(40, 2), _table(5, 3)]
    assert writers.encode_all(encode, tables) == [writers.arrow_bytes(t) for t in tables]
    assert seen == {"opvangkern-encode", threading.current_thread().name}
    assert not any(t.name == "opvangkern-encode" for t in threading.enumerate())


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_write_tables_threaded_gives_the_same_files(tmp_path, threaded, fmt):
    named = opvangkern.open_dataset().dashboard().tables()
    written = writers.write_tables(named, tmp_path / "uit", fmt)
    encode = writers.ENCODERS[fmt]
    assert [p.read_bytes() for p in written] == [encode(t) for t in named.values()]
    assert [p.name for p in written] == [f"{n}.{fmt}" for n in named]
