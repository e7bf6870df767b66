"""``writers.EarlyEncodings`` (issue 16, perf9b): the command encodes ``realisaties`` in a helper thread while the
dashboard computes its history. The files must be the bytes of the plain path (which stays the oracle: the
command without ``early``), early bytes only for the very table written, and a failure raised where and when the
plain loop raises it, with the set of files replaced as a whole."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.output import writers
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("early") / "data"
    generate.generate(folder, snapshots=4)
    return folder


def _main(args, capsys) -> tuple[int, str]:
    from opvangkern.cli import main

    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    return exited.value.code, capsys.readouterr().err


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
@pytest.mark.parametrize("gebied", ["NL01", "PV21", "GM0014"])
def test_the_command_writes_the_plain_paths_bytes(history, tmp_path, capsys, monkeypatch, fmt, gebied):
    taken: list[str] = []
    real_take = writers.EarlyEncodings.take

    def spy(self, name, table):
        found = real_take(self, name, table)
        if found is not None:
            taken.append(name)
        return found

    monkeypatch.setattr(writers.EarlyEncodings, "take", spy)
    code, _ = _main(["dashboard", history, "--gebied", gebied, "--format", fmt, "--output", tmp_path / "a",
                     "--geen-cache"], capsys)
    assert code == 0 and taken == ["realisaties", "verloop"]  # the early bytes were used, for those tables only
    monkeypatch.setattr(writers.EarlyEncodings, "take", lambda self, name, table: None)  # the plain path
    code, _ = _main(["dashboard", history, "--gebied", gebied, "--format", fmt, "--output", tmp_path / "b",
                     "--geen-cache"], capsys)
    assert code == 0
    early, plain = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(early) == 10 and early == plain
    assert not any(t.name == "opvangkern-encode-early" for t in threading.enumerate())  # joined


def test_the_dashboard_hands_on_the_table_it_holds(history):
    dataset = opvangkern.open_dataset(history)
    early = writers.EarlyEncodings("parquet")
    dash = dataset.dashboard("NL01", _early=early.later)
    named = dash.tables()
    assert early.take("realisaties", named["realisaties"]) is not None
    # Another area's dashboard of the same dataset carries other metadata: its realisaties is not that table.
    other = dataset.dashboard("PV21").tables()["realisaties"]
    assert other.equals(named["realisaties"]) and early.take("realisaties", other) is None
    # verloop (tenth session) is encoded as soon as it is built, for the very table the dashboard holds
    assert named["verloop"].num_rows and early.take("verloop", named["verloop"]) is not None
    assert early.take("verloop", dataset.dashboard("PV21").tables()["verloop"]) is None
    assert early.take("prognose", named["prognose"]) is None  # never started


def test_an_empty_verloop_is_not_encoded_early(history):
    """A dashboard without a history to draw (an area without a card) starts no early encoding of ``verloop``:
    ``write_tables`` would otherwise wait for a table that never comes."""
    dataset = opvangkern.open_dataset(history)
    early = writers.EarlyEncodings("parquet")
    calls = []
    dash = dataset.dashboard("NL01", _early=lambda name: calls.append(name) or early.later(name))
    assert "verloop" in calls and dash.verloop.num_rows
    from opvangkern.dashboard.compute import _encode_verloop_early

    started = []
    made = _encode_verloop_early(lambda name: started.append(name), {"dataset": "x"})
    made(dash.verloop.slice(0, 0))
    assert started == []


def _table(rows: int, seed: int) -> pa.Table:
    return pa.table({"n": pa.array([(i * 31 + seed) % 97 for i in range(rows)], pa.int64()),
                     "t": pa.array([f"gemeente {(i + seed) % 13}" for i in range(rows)])})


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(0, 50), seed=st.integers(0, 5), change=st.sampled_from(
    ["same", "copy", "metadata", "values", "slice", "chunks"]))
def test_early_bytes_only_for_the_very_table(rows, seed, change):
    table = _table(rows, seed).replace_schema_metadata({"gebied_code": "NL01"})
    other = {
        "same": lambda: table.replace_schema_metadata(table.schema.metadata),  # a new object, the same buffers
        "copy": lambda: pa.table({n: pa.array(table.column(n).to_pylist(), table.schema.field(n).type)
                                  for n in table.column_names}).replace_schema_metadata(table.schema.metadata),
        "metadata": lambda: table.replace_schema_metadata({"gebied_code": "PV21"}),
        "values": lambda: _table(rows, seed + 1).replace_schema_metadata(table.schema.metadata),
        "slice": lambda: table.slice(0, max(rows - 1, 0)),
        "chunks": lambda: pa.concat_tables([table.slice(0, rows // 2), table.slice(rows // 2)]),
    }[change]()
    for fmt in ("parquet", "arrow"):
        early = writers.EarlyEncodings(fmt)
        early.start("realisaties", table)
        served = early.take("realisaties", other)
        # Only a view of the same memory is served; a copy, other metadata, other values, a shorter slice or
        # other chunks are encoded as they are (empty columns may share one empty buffer: then the same bytes).
        if rows or change in ("same", "metadata", "chunks"):
            assert (served is not None) == (change == "same")
        if served is not None:
            assert served.result() == writers.ENCODERS[fmt](other)


@settings(max_examples=30, deadline=None)
@given(failing=st.sets(st.sampled_from(["kaarten", "realisaties", "verloop"])), fmt=st.sampled_from(["parquet", "arrow"]))
def test_a_failure_is_the_plain_loops(tmp_path_factory, failing, fmt):
    folder = tmp_path_factory.mktemp("fail") / "uit"
    named = {"kaarten": _table(30, 1), "realisaties": _table(40, 2), "verloop": _table(35, 3)}
    real = writers.ENCODERS[fmt]

    def encode(table, *hint):
        name = next(n for n, t in named.items() if t is table)
        if name in failing:
            raise ValueError(f"tabel {name}")
        return real(table, *hint)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "_THREADED_ROWS", 10)
        patch.setitem(writers.ENCODERS, fmt, encode)
        early = writers.EarlyEncodings(fmt)
        early.start("realisaties", named["realisaties"])
        if not failing:
            written = writers.write_tables(named, folder, fmt, early=early)
            assert [p.read_bytes() for p in written] == [real(t) for t in named.values()]
            return
        with pytest.raises(ValueError) as plain:
            writers.write_tables(named, folder, fmt)
        with pytest.raises(ValueError) as found:
            writers.write_tables(named, folder, fmt, early=early)
    first = next(n for n in named if n in failing)
    assert str(found.value) == str(plain.value) == f"tabel {first}"
    assert not folder.exists() and list(folder.parent.iterdir()) == []  # nothing written, nothing left behind


def test_an_early_failure_in_the_command_is_the_plain_one(history, tmp_path, capsys, monkeypatch):
    # An encoder that fails for realisaties: the command ends as it does without the early path (the same exit
    # code and message), and writes nothing.
    real = writers.ENCODERS["parquet"]

    def encode(table, *hint):
        if table.num_rows and "bestand" in table.column_names and "rij" in table.column_names \
                and "bron" in table.column_names:
            raise MemoryError("geen geheugen")
        return real(table, *hint)

    monkeypatch.setitem(writers.ENCODERS, "parquet", encode)
    outcomes = []
    for take in (writers.EarlyEncodings.take, lambda self, name, table: None):
        monkeypatch.setattr(writers.EarlyEncodings, "take", take)
        target = tmp_path / f"uit{len(outcomes)}"
        outcomes.append(_main(["dashboard", history, "--format", "parquet", "--output", target, "--geen-cache"],
                              capsys))
        assert not target.exists()
    assert outcomes[0] == outcomes[1] and outcomes[0][0] != 0
    assert list(tmp_path.iterdir()) == []


def test_other_formats_start_nothing():
    with pytest.raises(ValueError):
        writers.EarlyEncodings("csv")


def test_the_memo_builds_the_same_realisaties_in_the_background(history):
    from opvangkern.dashboard import memo

    plain = memo.shared(opvangkern.open_dataset(history), None)[0].realisaties()
    dataset = opvangkern.open_dataset(history)
    whole, _ = memo.shared(dataset, None)
    told: list = []
    assert whole.realisaties_in_background(told.append)
    assert not whole.realisaties_in_background(told.append)  # one build at a time
    made = whole.realisaties()
    assert made[0].equals(plain[0], check_metadata=True) and made[0].schema.equals(plain[0].schema, check_metadata=True)
    assert sorted(made[1]) == sorted(plain[1])
    for name, (array, encoding) in made[1].items():  # every hint stands for its own column of the table
        assert array is made[0].column(name).chunk(0) or writers._same_data(array, made[0].column(name).chunk(0))
        assert encoding.dictionary_decode().equals(array)
    for _ in range(200):
        if told:
            break
        threading.Event().wait(0.01)
    assert told == [made]  # then() was given the very answer, in the helper
    assert whole.realisaties() is made  # kept


def test_a_failing_background_build_is_made_and_raised_here(history, monkeypatch):
    from opvangkern.dashboard import memo

    dataset = opvangkern.open_dataset(history)
    whole, _ = memo.shared(dataset, None)
    real = memo._whole_realisaties
    calls = {"n": 0}

    def flaky(*args):
        calls["n"] += 1
        if threading.current_thread() is not threading.main_thread():
            raise MemoryError("in de helper")
        return real(*args)

    monkeypatch.setattr(memo, "_whole_realisaties", flaky)
    told: list = []
    assert whole.realisaties_in_background(told.append)
    made = whole.realisaties()  # made here after the helper failed
    assert calls["n"] == 2 and made[0].num_rows == dataset.realisaties.num_rows
    early = writers.EarlyEncodings("parquet")
    run = early.later("realisaties")
    run(lambda: (_ for _ in ()).throw(LookupError("geen tabel")))  # what the dashboard's hook does then
    assert early.take("realisaties", made[0]) is None  # abandoned: the table is encoded as usual


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_a_second_dashboard_of_one_dataset(history, tmp_path, fmt):
    # The memo's realisaties exists already: the early encoding then runs from it, in a thread of its own.
    dataset = opvangkern.open_dataset(history)
    dataset.dashboard("PV21")
    early = writers.EarlyEncodings(fmt)
    dash = dataset.dashboard("NL01", _early=early.later)
    named = dash.tables()
    assert early.take("realisaties", named["realisaties"]) is not None
    written = writers.write_tables(named, tmp_path / "uit", fmt, encoded=dash.parquet_hints(), early=early)
    assert [p.read_bytes() for p in written] == [
        p.read_bytes() for p in writers.write_tables(named, tmp_path / "plain", fmt, encoded=dash.parquet_hints())]
