"""Issue 16, target 2, tenth session: what the command does before the first file and after the last, made
cheaper without changing a byte. Each faster path against the path it replaced (kept as the oracle):

- an entry read in parallel is recorded from its outcome without its file looked up again
  (``load.RECORD_COMPUTED_DIRECTLY``);
- the tvs housing points checked without a cast or a copy of the points when nothing needs one
  (``contributed._as_opgaven``; hypothesis, beside ``tests/test_contributed_vectorised.py``);
- the command's second process started before the command's own imports (``cli._start_worker_ahead``,
  ``parallel.spawn_ahead``), taken by the load or stopped;
- the process's end without the collector's walks (``startup.exit_without_collecting``): the same files,
  output and exit status as without it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opvangkern import cli, tables
from opvangkern.cli import startup
from opvangkern.dataset import contributed, load, parallel
from opvangkern.dataset.contributed import merge_contributed, merge_contributed_reference
from opvangkern.dataset.load import load_dataset, sample_path

from .test_contributed_vectorised import TASKS, assert_same as assert_same_merge, inputs
from .test_parallel import assert_same, forced, generated, sequential  # noqa: F401 - forced is a fixture

ROOT = Path(__file__).resolve().parent.parent


# --- an entry read in parallel, recorded from its outcome ----------------------------------------------------

def test_entries_read_in_parallel_recorded_as_before(tmp_path, monkeypatch, forced):  # noqa: F811
    """Both processes read (``forced``); recorded without a second ``source_of``, the load is the one that looks
    every file up again, and the one of a single process: tables, meldingen in order, counts, dashboard."""
    folder = generated(tmp_path / "ds", snapshots=4)
    looked_up = []
    original = load.source_of

    def counted(*args, **kwargs):
        looked_up.append(args[1].bestand)
        return original(*args, **kwargs)

    monkeypatch.setattr(load, "source_of", counted)
    fast = load_dataset(folder, cache=False)
    fast_lookups = len(looked_up)
    assert forced and forced[0] > 0, "the worker read some files"
    looked_up.clear()
    monkeypatch.setattr(load, "RECORD_COMPUTED_DIRECTLY", False)
    old = load_dataset(folder, cache=False)
    entries = len(old.manifest.bronnen)
    assert fast_lookups == entries  # once each, when the jobs were planned (parallel._jobs)
    assert len(looked_up) == 2 * entries  # and again as each outcome was recorded
    assert_same(fast, old)
    assert_same(fast, sequential(folder, monkeypatch))


# --- the tvs housing points: no cast, no copy where none is needed -------------------------------------------

def _plain_fields(table: pa.Table) -> pa.Table:
    """The same points without the field metadata: a schema other than ``tables.OPGAVEN``, so cast."""
    return table.cast(pa.schema([field.remove_metadata() for field in table.schema]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(), st.lists(st.booleans(), min_size=5, max_size=5), st.booleans())
def test_points_of_either_schema_every_point_checked_or_not(drawn, plain, all_checked):
    """Files whose points come with ``OPGAVEN``'s schema (as is, no cast) or without its field metadata (cast),
    in any mix, and datasets whose every point is checked (no copy of the points) or not: the vectorised merge
    is the row-by-row oracle's, table and meldingen."""
    opgaven, files, quota_tasks = drawn
    files = [(entry, day, _plain_fields(points) if flag else points)
             for (entry, day, points), flag in zip(files, plain)]
    if all_checked:
        quota_tasks = set(TASKS)
    got = merge_contributed(opgaven, files, quota_tasks, contributed_division())
    want = merge_contributed_reference(opgaven, files, quota_tasks, contributed_division())
    assert_same_merge(got, want)


def contributed_division():
    from .test_contributed_vectorised import DIVISION

    return DIVISION


def test_points_of_the_schema_are_not_cast():
    table = tables.from_rows(tables.OPGAVEN, [])
    assert contributed._as_opgaven(table) is table
    plain = _plain_fields(table)
    cast = contributed._as_opgaven(plain)
    assert cast is not plain and cast.schema.equals(tables.OPGAVEN, check_metadata=True)


# --- the second process started ahead ------------------------------------------------------------------------

@pytest.fixture
def no_worker_ahead():
    while (left := parallel.take_ahead()) is not None:
        left.close()
    yield
    while (left := parallel.take_ahead()) is not None:
        left.close()


def test_the_constants_are_the_loads():
    from opvangkern.dataset.manifest import MANIFEST_NAME

    assert cli._MANIFEST_NAME == MANIFEST_NAME
    assert cli._MANIFEST_MAX_BYTES == load.MANIFEST_MAX_BYTES


def test_a_worker_started_ahead_is_the_one_that_reads(tmp_path, monkeypatch, forced, no_worker_ahead):  # noqa: F811
    """``dashboard MAP --geen-cache`` starts the worker before anything else; the load takes it (no second worker
    is started) and reads with it what one process reads."""
    folder = generated(tmp_path / "ds")
    expected = sequential(folder, monkeypatch)
    workers = []
    original_init = parallel.Worker.__init__

    def init(self):
        workers.append(self)
        original_init(self)

    monkeypatch.setattr(parallel.Worker, "__init__", init)
    cli._start_worker_ahead(["dashboard", "--gebied", "NL01", str(folder), "--geen-cache", "--format", "csv"])
    assert len(workers) == 1
    found = load_dataset(folder, cache=False)
    assert len(workers) == 1 and parallel.take_ahead() is None, "taken, and no other started"
    assert forced and forced[0] > 0, "and it read"
    assert_same(found, expected)


def test_a_worker_ahead_the_load_cannot_use_is_stopped(tmp_path, monkeypatch, forced, no_worker_ahead):  # noqa: F811
    folder = generated(tmp_path / "ds")
    cli._start_worker_ahead(["check", str(folder), "--geen-cache"])
    ahead = parallel._AHEAD[0]
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 10_000)  # the load finds too few entries for two processes
    found = load_dataset(folder, cache=False)
    assert parallel.take_ahead() is None and ahead.process.wait(timeout=10) is not None, "stopped"
    assert forced == []
    assert_same(found, sequential(folder, monkeypatch))


@pytest.mark.parametrize("args", [
    ["bronnen"],                                  # no dataset read
    ["dashboard", "{folder}"],                    # the cache on (the test session's OPVANGKERN_CACHE)
    ["dashboard", "--geen-cache"],                # no folder named: the sample, too small
    ["dashboard", "{folder}/bronnen", "--geen-cache"],  # a folder without a manifest
    [],
])
def test_no_worker_ahead(args, tmp_path, monkeypatch, forced, no_worker_ahead):  # noqa: F811
    folder = generated(tmp_path / "ds")
    cli._start_worker_ahead([a.format(folder=folder) for a in args])
    assert parallel.take_ahead() is None


def test_no_worker_ahead_for_fewer_entries_than_two_processes_need(tmp_path, monkeypatch, no_worker_ahead):
    folder = generated(tmp_path / "ds")  # 12 source files, under MIN_ENTRIES
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    cli._start_worker_ahead(["dashboard", str(folder), "--geen-cache"])
    assert parallel.take_ahead() is None


def test_main_in_process_starts_nothing_ahead_and_registers_nothing(tmp_path, monkeypatch, forced,  # noqa: F811
                                                                   no_worker_ahead):
    """Called with its arguments (a test, a script), ``main`` leaves the process as it is: no worker ahead, no
    hook at the interpreter's exit."""
    folder = generated(tmp_path / "ds")
    monkeypatch.setattr(startup, "_EXIT_FREEZE_REGISTERED", False)
    started = []
    monkeypatch.setattr(parallel, "spawn_ahead", lambda entries: started.append(entries))
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", str(folder), "--geen-cache"])
    assert stop.value.code in (0, None)
    assert started == [] and startup._EXIT_FREEZE_REGISTERED is False


# --- the process's end ------------------------------------------------------------------------------------

RUN = """
import sys
from opvangkern.cli import main, startup
if sys.argv.pop(1) == "oracle":
    startup._EXIT_FREEZE_REGISTERED = True  # as if registered: the hook is not added, the end as before
sys.argv[0] = "opvangkern"
main()
"""


def _command(mode: str, args: list[str], out: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OPVANGKERN_DEBUG"}
    return subprocess.run([sys.executable, "-c", RUN, mode, *args], capture_output=True, env=env, cwd=out.parent,
                          timeout=300)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


@pytest.mark.parametrize("case", ["parquet", "csv", "check", "errors"])
def test_the_end_without_the_collector_gives_the_same(case, tmp_path):
    """The command as the console script runs it, with the exit hook and without it (the oracle): the same
    exit status, standard output and error, and files, byte for byte; also for data with errors (exit 1)."""
    sample = sample_path()
    if case == "errors":
        import shutil

        data = tmp_path / "data"
        shutil.copytree(sample, data)
        manifest = data / "opvangkern.toml"  # a file the manifest names but nobody delivered: a fout
        manifest.write_text(manifest.read_text(encoding="utf-8") + '\n[[bron]]\nbron = "coa"\n'
                            'bestand = "bronnen/coa-ontbreekt.csv"\n', encoding="utf-8")
        sample = data
    found = {}
    for mode in ("hook", "oracle"):
        out = tmp_path / mode / "uit"
        out.parent.mkdir(parents=True, exist_ok=True)
        if case in ("parquet", "csv"):
            args = ["dashboard", str(sample), "--format", case, "--output", str(out)]
        else:
            args = ["check", str(sample)]
        done = _command(mode, args, out)
        found[mode] = (done.returncode, done.stdout, done.stderr.replace(str(out).encode(), b"OUT"), _files(out))
    assert found["hook"] == found["oracle"]
    status = found["hook"][0]
    assert status == (1 if case == "errors" else 0), found["hook"][2]
    if case in ("parquet", "csv"):
        assert len(found["hook"][3]) == 10


# --- the quota checks across files: a row's dict only where it is looked at ---------------------------------

REORGANISED = ["GM0398", "GM0416", "GM1980", "GM0457", "GM0363", "GM0501", "GM0530", "GM1992", "GM1696", "GM0402",
               "GM0788", "GM0757", "GM0855", "GM0106", "GM0114"]
DECISION_DAYS = [dt.date(2020, 7, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2022, 3, 24),
                 dt.date(2023, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1), dt.date(2027, 7, 1)]


@st.composite
def quota_points(draw):
    rows = []
    for f in range(draw(st.integers(1, 4))):
        day = draw(st.sampled_from(DECISION_DAYS))
        opgave = draw(st.sampled_from(["asiel", "vergunninghouders"]))
        blad = draw(st.sampled_from([None, "Besluit"]))
        for i, code in enumerate(draw(st.lists(st.sampled_from(REORGANISED), min_size=1, max_size=8, unique=True))):
            rows.append({"opgave": opgave, "gebied_code": code,
                         "gebied_niveau": draw(st.sampled_from(["gemeente", "gemeente", "provincie"])),
                         "ingangsdatum": day, "aantal": draw(st.one_of(st.none(), st.integers(0, 500).map(float))),
                         "bestand": f"opgaven/besluit-{f}.csv", "blad": blad, "rij": i + 4})
    return tables.from_rows(tables.OPGAVEN, rows)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quota_points(), st.sampled_from(["2026", "2027"]))
def test_quota_checks_with_rows_on_demand_as_before(opgaven, name):
    from opvangkern.areas.history import Divisions
    from opvangkern.dataset import quota_checks

    mapping = Divisions.shipped().mapping(name)
    found = {}
    for on_demand in (True, False):
        quota_checks.ROWS_ON_DEMAND = on_demand
        try:
            kept, dated = quota_checks.municipality_dates(opgaven, mapping)
            merged = quota_checks.merged_after_division(mapping.map_opgaven(kept), mapping)
        except Exception as exc:  # noqa: BLE001 - compared: the same failure both ways
            found[on_demand] = (type(exc), str(exc))
        else:
            found[on_demand] = (kept.to_pylist(), kept.schema, dated, merged)
        finally:
            quota_checks.ROWS_ON_DEMAND = True
    assert found[True] == found[False]


def test_the_quota_checks_example_says_something():
    """The generator reaches the checks' meldingen (a decision naming a municipality before it was formed, one
    after a merger the division does not know): the differential test compares more than empty lists."""
    from opvangkern.areas.history import Divisions
    from opvangkern.dataset import quota_checks

    rows = [{"opgave": "asiel", "gebied_code": code, "gebied_niveau": "gemeente", "ingangsdatum": day,
             "aantal": amount, "bestand": name, "blad": None, "rij": row}
            for name, day, items in [("opgaven/a.csv", dt.date(2021, 1, 1), [("GM1980", 40.0, 4)]),
                                     ("opgaven/b.csv", dt.date(2026, 1, 1), [("GM1696", 10.0, 4), ("GM0402", 30.0, 5)]),
                                     ("opgaven/c.csv", dt.date(2027, 7, 1), [("GM0402", 45.0, 4)])]
            for code, amount, row in items]
    mapping = Divisions.shipped().mapping("2026")
    opgaven = tables.from_rows(tables.OPGAVEN, rows)
    kept, dated = quota_checks.municipality_dates(opgaven, mapping)
    merged = quota_checks.merged_after_division(mapping.map_opgaven(kept), mapping)
    assert [(m.code, m.bestand, m.rij) for m in dated] == [("gemeente_bestond_nog_niet", "opgaven/a.csv", 4)]
    assert [(m.code, m.bestand, m.rij) for m in merged] == [("opgave_na_herindeling", "opgaven/c.csv", 4)]
