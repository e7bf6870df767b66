"""Reading the source files on two processes (``opvangkern.dataset.parallel``, issue 16) gives exactly what
reading them one after the other gives: every table, melding (text, order, place), reconciliation count,
dashboard table and cache entry. The parallel path is forced on here with a low threshold and small chunks,
and this process waits for the worker to hold its first chunks, so that both processes read some files of
even a small dataset; the sequential path is the oracle (``OPVANGKERN_PROCESSEN=1``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from opvangkern.dataset import parallel
from opvangkern.dataset.load import load_dataset, sample_path
from opvangkern.testing import junk_files, load_module

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "gooi-en-vechtstreek-2027"


@pytest.fixture
def forced(monkeypatch):
    """Parallel reading forced on (whatever the machine's CPUs), with chunks of two entries; the chunks the
    worker computed are counted in ``shared``."""
    shared: list[int] = []
    original = parallel.Reading.results

    def results(self, advance=None):
        found = original(self, advance)
        shared.append(self.worker_chunks)
        return found

    monkeypatch.delenv(parallel.PROCESSES_ENV, raising=False)
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "WAIT_FOR_WORKER", True)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    monkeypatch.setattr(parallel, "load_average", lambda: 0.0)
    monkeypatch.setattr(parallel.Reading, "results", results)
    return shared


def sequential(folder: Path, monkeypatch, cache=False, progress=None):
    with monkeypatch.context() as m:
        m.setenv(parallel.PROCESSES_ENV, "1")
        return load_dataset(folder, cache=cache, progress=progress)


def assert_same(one, other) -> None:
    assert one.realisaties.equals(other.realisaties, check_metadata=True)
    assert one.opgaven.equals(other.opgaven, check_metadata=True)
    assert one.afspraken.equals(other.afspraken, check_metadata=True)
    assert one.melding_list == other.melding_list  # text, code, file, sheet, row, column, value, and order
    assert one.meldingen.equals(other.meldingen, check_metadata=True)
    assert list(one.reports.items()) == list(other.reports.items())
    assert list(one.file_stats.items()) == list(other.file_stats.items())
    assert one.indeling == other.indeling
    if not one.has_errors:
        mine, theirs = one.dashboard().tables(), other.dashboard().tables()
        assert list(mine) == list(theirs)
        for name in mine:
            assert mine[name].equals(theirs[name], check_metadata=True), name


def generated(folder: Path, snapshots: int = 3) -> Path:
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(folder, snapshots=snapshots)
    return folder


def messy(folder: Path) -> Path:
    """The real-export layouts (Zeeland: title rows, headers with periods, subtotals, notes under the table),
    plus files with bad cells and junk under every source, a missing file, an unknown source and a file named
    twice: a dataset with many meldingen, whose order must survive."""
    from .test_real_exports import write_dataset

    write_dataset(folder)
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    (folder / "rommel").mkdir()
    extra = []
    for number, (name, data) in enumerate(sorted(junk_files(seed=3).items())):
        bestand = f"rommel/{number:02d}-{name}"
        (folder / bestand).write_bytes(data)
        for bron in ("coa", "kcio", "tvs", "nidos"):
            extra.append(f'[[bron]]\nbron = "{bron}"\nbestand = "{bestand}"\npeildatum = 2026-03-31\n')
    rows = ["Nidos: kleinschalige opvang, stand 31 maart 2026", "",
            "Gemeente;Kleinschalige opvangplekken", "Middelburg;12", "Goes;twaalf", "Vlissingen;-3",
            "Nergenshuizen;4", "Hulst;1.234,5", "Goes;7", "Zeeland;999", "", "Bron: Nidos. Voorlopige cijfers."]
    (folder / "rommel" / "slechte-cellen.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    extra.append('[[bron]]\nbron = "nidos"\nbestand = "rommel/slechte-cellen.csv"\npeildatum = 2026-03-31\n')
    extra.append('[[bron]]\nbron = "nidos"\nbestand = "rommel/slechte-cellen.csv"\npeildatum = 2026-03-31\n')
    extra.append('[[bron]]\nbron = "coa"\nbestand = "rommel/bestaat-niet.csv"\npeildatum = 2026-03-31\n')
    extra.append('[[bron]]\nbron = "onbekend"\nbestand = "rommel/slechte-cellen.csv"\npeildatum = 2026-03-31\n')
    manifest.write_text(text + "\n" + "\n".join(extra), encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind, share", [("generated", True), ("sample", True), ("fixture", True),
                                         ("messy", True), ("messy", False), ("generated", False)])
def test_parallel_reading_equals_sequential(kind, share, tmp_path, monkeypatch, forced):
    """``share``: both processes read files; else the worker reads them all."""
    monkeypatch.setattr(parallel, "SHARE_HERE", share)
    folder = {"generated": lambda: generated(tmp_path / "ds"), "sample": sample_path, "fixture": lambda: FIXTURE,
              "messy": lambda: messy(tmp_path / "ds")}[kind]()
    one, other = [], []  # the progress calls: every file once, in manifest order
    expected = sequential(folder, monkeypatch, progress=one.append)
    found = load_dataset(folder, cache=False, progress=other.append)
    assert forced and forced[0] > 0, "the worker read no file: nothing was compared"
    assert_same(found, expected)
    assert other == one
    if kind == "messy":
        assert len(expected.melding_list) > 25 and expected.has_errors
        assert any(m.bestand == "rommel/slechte-cellen.csv" and m.rij for m in expected.melding_list)


def cache_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind", ["generated", "messy"])
def test_parallel_reading_with_the_cache(kind, tmp_path, monkeypatch, forced):
    """A first load with the cache (every file parsed and stored), then one served from it: the same
    results, and the same cache entries and pack, byte for byte."""
    folder = generated(tmp_path / "ds") if kind == "generated" else messy(tmp_path / "ds")
    one, other = tmp_path / "cache-seq", tmp_path / "cache-par"
    expected = sequential(folder, monkeypatch, cache=one)
    found = load_dataset(folder, cache=other)
    assert forced and forced[0] > 0
    assert_same(found, expected)
    assert cache_files(one) == cache_files(other)
    assert cache_files(other)
    # a second load: every entry from the pack, nothing left to parse, so one process
    again = load_dataset(folder, cache=other)
    assert len(forced) == 1
    assert_same(again, sequential(folder, monkeypatch, cache=one))
    assert cache_files(one) == cache_files(other)


def test_a_changed_file_is_parsed_again_in_parallel(tmp_path, monkeypatch, forced):
    """With a warm cache only the changed files are parsed; a pack entry that misses is read like any other."""
    folder = generated(tmp_path / "ds", snapshots=4)
    one, other = tmp_path / "cache-seq", tmp_path / "cache-par"
    sequential(folder, monkeypatch, cache=one)
    sequential(folder, monkeypatch, cache=other)
    for path in sorted((folder / "bronnen").glob("coa-*.csv"))[:3]:
        path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 0)  # else the full pack says: a warm re-run, one process
    from opvangkern.dataset.cache import FileCache

    # and the pack's size not looked at (it would say the same): planned by ``likely_served``, entry by entry
    monkeypatch.setattr(FileCache, "packed_count", lambda self: 0)
    expected = sequential(folder, monkeypatch, cache=one)
    found = load_dataset(folder, cache=other)
    assert forced, "three changed files: read in parallel"
    assert forced[0] > 0, "the worker parsed a changed file"
    assert_same(found, expected)
    assert cache_files(one) == cache_files(other)


def test_a_warm_rerun_forms_no_keys_twice(tmp_path, monkeypatch, forced):
    """A pack that holds about every entry: one process, without planning (the keys are formed as it reads)."""
    folder = generated(tmp_path / "ds", snapshots=4)
    cache = tmp_path / "cache"
    sequential(folder, monkeypatch, cache=cache)
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 2)
    formed = []
    from opvangkern.dataset.cache import FileCache

    original = FileCache.source_key
    monkeypatch.setattr(FileCache, "source_key", lambda self, a, s: formed.append(s.bestand) or original(self, a, s))
    found = load_dataset(folder, cache=cache)
    assert forced == []
    assert sorted(formed) == sorted(e.bestand for e in found.manifest.bronnen)
    assert_same(found, sequential(folder, monkeypatch, cache=tmp_path / "cache-2"))


def test_a_worker_that_cannot_start_loses_nothing(tmp_path, monkeypatch, forced):
    folder = generated(tmp_path / "ds")
    monkeypatch.setattr(parallel, "worker_command", lambda r, w: [sys.executable, "-c", "import sys; sys.exit(3)"])
    expected = sequential(folder, monkeypatch)
    found = load_dataset(folder, cache=False)
    assert forced == [0]
    assert_same(found, expected)


def failing_worker(monkeypatch, how: str) -> None:
    """The worker's own code, with its third entry dying (``os._exit``) or raising (an ``error`` answer)."""
    fault = "os._exit(9)" if how == "dies" else "raise RuntimeError('kapot')"
    boot = parallel._BOOT.replace("from opvangkern.dataset.parallel import serve\n", (
        "import opvangkern.dataset.load as load\n"
        "from opvangkern.dataset.parallel import serve\n"
        "calls = []\n"
        "original = load.source_of\n"
        "def source_of(*args):\n"
        "    calls.append(1)\n"
        f"    if len(calls) == 3: {fault}\n"
        "    return original(*args)\n"
        "load.source_of = source_of\n"))
    assert boot != parallel._BOOT
    monkeypatch.setattr(parallel, "worker_command", lambda r, w: [sys.executable, "-c", boot, str(r), str(w)])


@pytest.mark.parametrize("how", ["dies", "raises"])
@pytest.mark.parametrize("cache", [False, True])
def test_a_worker_that_fails_halfway_loses_nothing(how, cache, tmp_path, monkeypatch, forced):
    folder = generated(tmp_path / "ds")
    failing_worker(monkeypatch, how)
    expected = sequential(folder, monkeypatch, cache=tmp_path / "cache-seq" if cache else False)
    found = load_dataset(folder, cache=tmp_path / "cache-par" if cache else False)
    assert forced == [1], "the worker's first chunk came back, the second was lost"
    assert_same(found, expected)
    if cache:
        assert cache_files(tmp_path / "cache-seq") == cache_files(tmp_path / "cache-par")


def test_the_worker_starts_before_the_manifest_is_parsed(tmp_path, monkeypatch, forced):
    """The early worker (``spawn_early``) is started from the manifest's text, before its parse, and is the one
    that reads: no second worker is started."""
    from opvangkern.dataset import load

    folder = generated(tmp_path / "ds")
    order = []
    original_init, original_parse = parallel.Worker.__init__, load.parse_manifest

    def init(self):
        order.append("worker")
        original_init(self)

    def parse(*args, **kwargs):
        order.append("parse")
        return original_parse(*args, **kwargs)

    expected = sequential(folder, monkeypatch)
    monkeypatch.setattr(parallel.Worker, "__init__", init)
    monkeypatch.setattr(load, "parse_manifest", parse)
    found = load_dataset(folder, cache=False)
    assert order == ["worker", "parse"]
    assert forced and forced[0] > 0
    assert_same(found, expected)


def test_headers_the_parse_does_not_bear_out(tmp_path, monkeypatch, forced):
    """``[[bron]]`` in a comment counts in the text, not in the parse: the early worker is started for nothing
    and stopped (its process ended), and the dataset is read in this process as it would be."""
    folder = generated(tmp_path / "ds")  # 12 source files
    manifest = folder / "opvangkern.toml"
    manifest.write_text("\n".join(["# [[bron]] (uitgezet)"] * 30) + "\n" + manifest.read_text(encoding="utf-8"),
                        encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 20)
    workers = []
    original_init = parallel.Worker.__init__

    def init(self):
        workers.append(self)
        original_init(self)

    expected = sequential(folder, monkeypatch)
    monkeypatch.setattr(parallel.Worker, "__init__", init)
    found = load_dataset(folder, cache=False)
    assert len(workers) == 1 and forced == [], "one worker started early, none read"
    assert workers[0].process.poll() is not None, "and it was stopped"
    assert_same(found, expected)


def test_when_the_parallel_path_is_taken(tmp_path, monkeypatch):
    folder = generated(tmp_path / "ds")  # 12 source files
    started = []

    class NoWorker:
        def close(self):
            pass

    monkeypatch.setattr(parallel, "Worker", NoWorker)
    monkeypatch.setattr(parallel.Reading, "start", lambda self, setup, worker=None: started.append(setup) or None)
    monkeypatch.setattr(parallel.Reading, "results", lambda self, advance=None: {})
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    monkeypatch.setattr(parallel, "load_average", lambda: 0.3)
    monkeypatch.delenv(parallel.PROCESSES_ENV, raising=False)
    load_dataset(folder, cache=False)
    assert started == [], "12 files: below the threshold"
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 12)
    load_dataset(folder, cache=False)
    assert len(started) == 1 and started[0]["division"] and not started[0]["own"]
    for off in ("1", "uit"):
        monkeypatch.setenv(parallel.PROCESSES_ENV, off)
        load_dataset(folder, cache=False)
        assert len(started) == 1
    monkeypatch.delenv(parallel.PROCESSES_ENV)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 1)
    load_dataset(folder, cache=False)
    assert len(started) == 1, "one CPU"
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    from opvangkern.sources.manager import plugin_manager

    load_dataset(folder, cache=False, plugin_manager=plugin_manager())
    assert len(started) == 1, "a plugin manager of the caller's: its plugins may not be rebuilt elsewhere"
    load_dataset(folder, cache=False)
    assert len(started) == 2
    monkeypatch.setattr(parallel, "load_average", lambda: 2.4)
    load_dataset(folder, cache=False)
    assert len(started) == 2, "both CPUs busy (this process and another)"
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    load_dataset(folder, cache=False)
    assert len(started) == 3, "OPVANGKERN_PROCESSEN=2: however busy the machine is"
    for embedding in ("/usr/bin/uwsgi", ""):
        monkeypatch.setattr(parallel.sys, "executable", embedding)
        load_dataset(folder, cache=False)
        assert len(started) == 3, f"sys.executable {embedding!r} is no Python to start a worker with"


def test_a_python_interpreter_is_recognised(monkeypatch):
    for name in ("/usr/bin/python3", "/opt/venv/bin/python", "/usr/local/bin/python3.11", r"C:\Python311\python.exe",
                 "/usr/bin/pypy3"):
        monkeypatch.setattr(parallel.sys, "executable", name)
        assert parallel.python_interpreter(), name
    for name in ("/usr/bin/uwsgi", "", "/opt/app/bin/dashboard-server"):
        monkeypatch.setattr(parallel.sys, "executable", name)
        assert not parallel.python_interpreter(), name


def test_outcomes_pickle():
    """What crosses the process boundary comes back equal: the tables, meldingen, counts and raw results."""
    import pickle

    from opvangkern.dataset.load import SourceOutcome, _choose_division, compute_source, source_of
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.sources.manager import adapters, plugin_manager

    folder = sample_path()
    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), default_name="x")
    _, mapping = _choose_division(folder, manifest, [])
    installed = adapters(plugin_manager())
    for entry in manifest.bronnen:
        adapter, source = source_of(folder, entry, installed, mapping.reading)
        outcome = compute_source(adapter, source, entry, mapping.reading, lambda: adapter.read(source),
                                 keep_result=True)
        back = pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        assert isinstance(back, SourceOutcome)
        assert back.table.equals(outcome.table, check_metadata=True)
        assert back.meldingen == outcome.meldingen and back.stats == outcome.stats
        assert back.peildatum == outcome.peildatum and back.failed == outcome.failed
        assert back.result.realisaties.equals(outcome.result.realisaties)
        assert (back.points is None) == (outcome.points is None)
        if back.points is not None:
            assert back.points.equals(outcome.points)


def _layout(table) -> list[list[int]]:
    return [[len(chunk) for chunk in column.chunks] for column in table.columns]


def test_tables_cross_as_one_arrow_stream():
    """A chunk's tables travel as one Arrow IPC stream (``pack_tables``) and come back as they were: equal,
    with their schema's metadata and their chunks; a table the stream cannot give back as it is (other
    chunks per column, an empty chunk, another schema) stays in its outcome, pickled. The outcomes sent are
    left as they are."""
    import pickle

    import pyarrow as pa

    from opvangkern import tables
    from opvangkern.dataset.load import SourceOutcome, _choose_division, compute_source, source_of
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.sources.manager import adapters, plugin_manager

    folder = sample_path()
    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), default_name="x")
    _, mapping = _choose_division(folder, manifest, [])
    installed = adapters(plugin_manager())
    outcomes = []
    for entry in manifest.bronnen:
        adapter, source = source_of(folder, entry, installed, mapping.reading)
        outcomes.append(compute_source(adapter, source, entry, mapping.reading, lambda: adapter.read(source)))
    real = next(o.table for o in outcomes if o.table.num_rows > 3)
    n = real.num_rows
    two_chunks = pa.concat_tables([real.slice(0, 2), real.slice(2)])  # two record batches, one stream
    cut = real.set_column(0, real.schema.field(0), pa.chunked_array([real.column(0).combine_chunks().slice(0, 1),
                                                                      real.column(0).combine_chunks().slice(1)]))
    with_empty = pa.concat_tables([real.slice(0, 0), real])
    other_schema = real.replace_schema_metadata({"x": "y"})
    empty = tables.empty(tables.REALISATIES)
    no_chunks = pa.Table.from_batches([], schema=real.schema)
    extra = [SourceOutcome(t, None, [], None, None) for t in (two_chunks, cut, with_empty, other_schema, empty,
                                                               no_chunks, real)]
    sent = list(enumerate(outcomes + extra))
    before = [(o.table, _layout(o.table)) for _, o in sent]
    packed, stream = parallel.pack_tables(sent)
    assert stream is not None
    assert [(o.table, _layout(o.table)) for _, o in sent] == before, "the outcomes sent are left as they were"
    in_stream = [isinstance(o.table, parallel._InStream) for _, o in packed]
    assert in_stream[-7:] == [True, False, False, False, False, False, True]
    assert sum(in_stream) >= 3 and not any(in_stream[i] for i, o in sent if not o.table.num_rows)
    back = parallel.unpack_tables(pickle.loads(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)),
                                  pickle.loads(pickle.dumps(stream)))
    assert [i for i, _ in back] == [i for i, _ in sent]
    for (_, one), (_, other) in zip(back, sent):
        assert one.table.equals(other.table, check_metadata=True)
        assert one.table.schema.equals(other.table.schema, check_metadata=True)
        assert _layout(one.table) == _layout(other.table)
        assert one.meldingen == other.meldingen and one.stats == other.stats and one.peildatum == other.peildatum
        assert one.failed == other.failed
    assert back[-1][1].table.num_rows == n and _layout(back[len(outcomes)][1].table)[0] == [2, n - 2]
    # only empty tables: none in the stream, every outcome as it is
    empties = [(0, SourceOutcome(empty, None, [], None, None)), (1, SourceOutcome(no_chunks, None, [], None, None))]
    packed, stream = parallel.pack_tables(empties)
    assert [o for _, o in packed] == [o for _, o in empties]
    assert [o.table for _, o in parallel.unpack_tables(packed, stream)] == [empty, no_chunks]


def test_quota_points_cross_in_a_stream_of_their_own(tmp_path):
    """The tvs line's quota points (``SourceOutcome.points``) travel as a second Arrow stream per chunk, beside
    the realisaties' one, and come back as they were (schema metadata and chunks); an outcome without points
    keeps its ``None``; a points stream that does not fit is refused."""
    import pickle

    from opvangkern.dataset.load import _choose_division, compute_source, source_of
    from opvangkern.dataset.manifest import parse_manifest
    from opvangkern.sources.manager import adapters, plugin_manager

    folder = generated(tmp_path / "ds", snapshots=2)
    manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), default_name="x")
    _, mapping = _choose_division(folder, manifest, [])
    installed = adapters(plugin_manager())
    sent = []
    for index, entry in enumerate(manifest.bronnen):
        adapter, source = source_of(folder, entry, installed, mapping.reading)
        sent.append((index, compute_source(adapter, source, entry, mapping.reading, lambda: adapter.read(source))))
    with_points = [o.points is not None and o.points.num_rows > 0 for _, o in sent]
    assert any(with_points) and not all(with_points)
    packed, stream = parallel.pack_tables(sent)
    packed, points_stream = parallel.pack_tables(packed, "points")
    assert points_stream is not None
    assert [isinstance(o.points, parallel._InStream) for _, o in packed] == with_points
    assert all(isinstance(o.table, parallel._InStream) for _, o in packed)
    assert all(o.points is not None or not has for (_, o), has in zip(sent, with_points))
    wire = pickle.loads(pickle.dumps(("ok", packed, (stream, points_stream)), protocol=pickle.HIGHEST_PROTOCOL))
    kind, outcomes, (stream, points_stream) = wire
    back = parallel.unpack_tables(parallel.unpack_tables(outcomes, points_stream, "points"), stream)
    assert [i for i, _ in back] == [i for i, _ in sent]
    for (_, one), (_, other) in zip(back, sent):
        assert one.table.equals(other.table, check_metadata=True)
        if other.points is None:
            assert one.points is None
        else:
            assert one.points.equals(other.points, check_metadata=True)
            assert _layout(one.points) == _layout(other.points)
    # the realisaties' stream where the points' should be: refused, never points of another file
    with pytest.raises(ValueError):
        parallel.unpack_tables(pickle.loads(pickle.dumps(packed)), None, "points")
    other_packed, other_stream = parallel.pack_tables(sent[:1])
    with pytest.raises(ValueError):
        parallel.unpack_tables(pickle.loads(pickle.dumps(packed)), other_stream, "points")


def test_a_stream_that_does_not_fit_is_refused():
    """Outcomes that name more or fewer batches than the stream holds are an error (the thread then leaves
    the chunk to ``load_dataset``), never tables of another entry."""
    import pyarrow as pa

    from opvangkern.dataset.load import SourceOutcome

    table = pa.table({"a": [1, 2, 3]})

    def packed():
        return parallel.pack_tables([(0, SourceOutcome(table, None, [], None, None)),
                                     (1, SourceOutcome(table, None, [], None, None))])

    outcomes, stream = packed()
    with pytest.raises(ValueError):
        parallel.unpack_tables(outcomes[:1], stream)  # a batch left over
    outcomes, stream = packed()
    with pytest.raises(ValueError):
        parallel.unpack_tables(outcomes + [(2, SourceOutcome(parallel._InStream(1), None, [], None, None))], stream)
    outcomes, stream = packed()
    with pytest.raises(ValueError):
        parallel.unpack_tables(outcomes, None)
    outcomes, stream = packed()
    assert [o.table.equals(table) for _, o in parallel.unpack_tables(outcomes, stream)] == [True, True]


def test_a_warm_rerun_plans_nothing(tmp_path, monkeypatch, forced):
    """A pack holding about every entry: no worker, and not even the entries' ``Source``s formed for planning
    (``_jobs``): the pack's size says it first."""
    folder = generated(tmp_path / "ds", snapshots=4)
    cache = tmp_path / "cache"
    sequential(folder, monkeypatch, cache=cache)
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 2)
    planned = []
    monkeypatch.setattr(parallel, "_jobs", lambda *args: planned.append(args) or [])
    found = load_dataset(folder, cache=cache)
    assert planned == [] and forced == []
    assert_same(found, sequential(folder, monkeypatch, cache=tmp_path / "cache-2"))
    # without a pack (a cache folder of entries only): planned entry by entry
    from opvangkern.dataset.cache import FileCache

    monkeypatch.setattr(FileCache, "packed_count", lambda self: 0)
    load_dataset(folder, cache=cache)
    assert len(planned) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
def test_the_outcomes_pipe_is_widened():
    """The pipe the outcomes come back through holds a chunk's (``PIPE_BYTES``) where the system allows it."""
    import fcntl
    import os

    read, write = os.pipe()
    try:
        parallel._widen(read)
        size = fcntl.fcntl(read, getattr(fcntl, "F_GETPIPE_SZ", 1032))
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        assert size == parallel.PIPE_BYTES or (limit < parallel.PIPE_BYTES and size <= limit)
    finally:
        os.close(read)
        os.close(write)


def test_the_worker_prepares_as_the_command_without_its_command_line():
    """The worker sets its process up as the command does (Arrow's system allocator, ``pyarrow.compute``
    without its parameter documentation) without importing the command line (click)."""
    import os
    import subprocess

    code = ("import os, sys\n"
            "from opvangkern.dataset import parallel\n"
            "parallel._prepare_as_the_command()\n"
            "parallel._preload()\n"
            "print(os.environ.get('ARROW_DEFAULT_MEMORY_POOL'), 'click' in sys.modules,"
            " 'opvangkern.cli' in sys.modules, 'pyarrow.vendored.docscrape' in sys.modules,"
            " 'pyarrow.compute' in sys.modules)\n")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert found.stdout.split() == ["system", "False", "False", "False", "True"]
