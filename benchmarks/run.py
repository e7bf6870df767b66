"""The benchmark suite: every performance target of issue 16 as a ratio to its baseline, measured side by side.

    .venv/bin/python benchmarks/run.py [--quick] [--full] [--rounds N] [--keep DIR] [--only PART] [--markdown]

Generates synthetic national datasets (``benchmarks/generate.py``: 342 municipalities, all tasks and
sources; weekly histories of 13, 52 and 260 peildata) into a temporary folder (``--keep DIR``: into
DIR, reused by the next run while the generator is unchanged), then measures each comparison
interleaved round by round (A B …, then … B A) so that every side sees the same machine load, and
reports the **median of the per-round ratios** with the medians of the times beside it. The targets
(issue 16), one part each (``--only PART``, repeatable):

``national`` (1) and (6)
    ``opvangkern dashboard NATIONAL --gebied NL01 --format parquet --output TMP`` (one snapshot)
    against ``python -c "import pyarrow.parquet"`` (the floor: interpreter plus the Arrow stack that
    writing Parquet needs anyway), **with pandas installed** (the run says whether it is), against the
    polars script and against the pandas script that an analyst would write instead
    (``baseline_polars.py``, ``baseline_pandas.py``: the same files, the same kaarten/gemeenten
    columns, no validation; ``tests/test_baselines.py`` checks their figures): ≤ 1.5× the floor,
    ≤ 1.0× polars. Also ``import opvangkern`` against ``import pyarrow``, and (6) the peak RSS of the
    command against the floor's (``/usr/bin/time -f %M`` per child, else ``RUSAGE_CHILDREN`` of a small
    launcher: the peak of that process alone): ≤ 1.6×.
``history`` (2)
    national histories of 13, 52 and 260 weekly deliveries of all four sources, the whole command
    (``dashboard --format parquet``, which computes and writes ``verloop`` and ``prognose``) against the
    floor of parsing the same CSV files with ``pyarrow.csv`` in one process (``floor_csv.py``): ≤ 3× at
    260, growing at most linearly; plus the dashboard alone in process.
``cache`` (3)
    the 260-week dashboard after one new delivery (every other file in the persistent cache) against
    the one-snapshot national dashboard (its files cached too): ≤ 1.5×.
``api`` (4)
    the Python API: 37 dashboards (every province and safety region) from one opened dataset at 260
    snapshots against the same 37 at 1 snapshot, in process: ≤ 2× apart from ``verloop`` itself (the
    time inside ``opvangkern.dashboard.verloop.history_tables``, measured and subtracted on both sides).
``engine`` (5)
    the vectorised engine against the pure-Python reference at 10 M rows with ``--full`` (1 M by
    default, and the rows say so), with ``status`` dictionary-encoded when the engine offers it
    (``engine.status(..., dictionary=True)``): ≥ 100×; also fused NumPy and the peak memory.
``ingest`` (earlier target, not in ``--quick``)
    the 52-week COA history as one XLSX (python-calamine, and openpyxl as the alternative reader) and
    as 52 CSV files.

``--quick``: 3 rounds, 52 weeks instead of 260 (history 13 → 52), no ``ingest``: a few minutes.
``--markdown``: also print the results table as Markdown, ready for ``docs/performance.md``.

Child processes run with bytecode caching on (``PYTHONPYCACHEPREFIX`` in the temporary folder, so
nothing is written into the source tree), as an installed package has its ``.pyc`` files, and with
the cache of parsed files off (``OPVANGKERN_CACHE=uit``: a first run) except in part ``cache``; each
command runs once before timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import generate  # noqa: E402
from harness import (LAUNCHER, TIME, child_env, compare_commands, interleaved, median,  # noqa: E402,F401
                     ratios, run_once)

BIN = Path(sys.executable).parent
PARTS = ("national", "engine", "history", "cache", "api", "ingest")


class Report:
    """Rows of the results table: target, what, measured, baseline, ratio, target, verdict."""

    HEAD = ("#", "measurement", "median", "baseline (median)", "ratio (median)", "target", "verdict")

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str, str]] = []

    def add(self, what: str, measured: str, baseline: str, ratio: str, target: str, ok: bool | None,
            part: str = "") -> None:
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        self.rows.append((part, what, measured, baseline, ratio, target, verdict))
        print(f"  {part} {what}: {measured} vs {baseline} -> {ratio} (target {target}) {verdict}", flush=True)

    def print(self) -> None:
        widths = [max(len(r[i]) for r in [self.HEAD, *self.rows]) for i in range(len(self.HEAD))]
        print()
        print("  ".join(h.ljust(w) for h, w in zip(self.HEAD, widths)).rstrip())
        print("  ".join("-" * w for w in widths))
        for row in self.rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())

    def markdown(self) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("MISSED", "**missed**")

        lines = ["| " + " | ".join(self.HEAD) + " |", "|" + "---|" * len(self.HEAD)]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


# --- data ------------------------------------------------------------------------------------------


def _generator_stamp(snapshots: int, coa_history: bool) -> str:
    source = (HERE / "generate.py").read_bytes()
    return json.dumps({"generate.py": hashlib.sha256(source).hexdigest(), "snapshots": snapshots,
                       "coa_history": coa_history})


def dataset(data: Path, name: str, snapshots: int, coa_history: bool = False) -> tuple[Path, dict]:
    """The generated dataset ``data/name``: written once per run and reused by every part (and by the
    next run with ``--keep``) while ``generate.py`` and the arguments are the same."""
    folder = data / name
    stamp = folder / ".benchmark-data.json"
    wanted = _generator_stamp(snapshots, coa_history)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").startswith(wanted):
        return folder, json.loads(stamp.read_text(encoding="utf-8").split("\n", 1)[1])
    if folder.exists():
        shutil.rmtree(folder)
    start = time.perf_counter()
    summary = generate.generate(folder, snapshots=snapshots, coa_history=coa_history)
    print(f"generated {folder} ({snapshots} peildata) in {time.perf_counter() - start:.1f} s", flush=True)
    stamp.write_text(wanted + "\n" + json.dumps(summary), encoding="utf-8")
    return folder, summary


def history_dataset(data: Path, weeks: int) -> Path:
    return dataset(data, f"nationaal-{weeks}-weken", weeks)[0]


# --- subprocess comparisons: benchmarks/harness.py ------------------------------------------------


# --- (1), (6) the national one-snapshot command ---------------------------------------------------


def pandas_modules_in_command(command: list[str], env: dict[str, str]) -> str:
    """How many pandas modules the command's process has loaded when it ends (``sys.modules`` at exit;
    ``-X importtime`` would also list the imports that ``opvangkern._pandas_shim`` refuses)."""
    code = ("import atexit, runpy, sys\n"
            "atexit.register(lambda: sys.stderr.write('PANDAS_MODULES=%d\\n' % sum(1 for m in sys.modules\n"
            "    if m == 'pandas' or m.startswith('pandas.'))))\n"
            f"sys.argv = {['opvangkern', *command[1:]]!r}\n"
            "runpy.run_module('opvangkern', run_name='__main__', alter_sys=True)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    found = [line.split("=", 1)[1] for line in done.stderr.splitlines() if line.startswith("PANDAS_MODULES=")]
    return found[-1] if found else "not measured"


def bench_national(report: Report, national: Path, out: Path, rounds: int, env: dict[str, str]) -> None:
    python = sys.executable
    command = [str(BIN / "opvangkern"), "dashboard", str(national), "--gebied", "NL01", "--format", "parquet",
               "--output", str(out / "opvangkern")]
    with_pandas = importlib.util.find_spec("pandas") is not None
    print(f"(1) national command vs the floor and the baselines, (6) peak RSS; {rounds} rounds; pandas "
          f"{'installed' if with_pandas else 'NOT installed'}", flush=True)
    times, rss = compare_commands({
        "command": command,
        "floor": [python, "-c", "import pyarrow.parquet"],
        "polars": [python, str(HERE / "baseline_polars.py"), str(national), str(out / "polars")],
        "pandas": [python, str(HERE / "baseline_pandas.py"), str(national), str(out / "pandas")],
        "import": [python, "-c", "import opvangkern"],
        "pyarrow": [python, "-c", "import pyarrow"],
        "python": [python, "-c", "pass"],
    }, rounds, env)
    t = {name: median(values) for name, values in times.items()}
    floor = median(ratios(times["command"], times["floor"]))
    installed = "pandas installed" if with_pandas else "pandas NOT installed: not the target's setting"
    report.add(f"national command (NL01, parquet), {installed}", ms(t["command"]),
               f"import pyarrow.parquet {ms(t['floor'])}", f"{floor:.2f}x", "<= 1.5x",
               floor <= 1.5 if with_pandas else None, "1")
    vs_polars = median(ratios(times["command"], times["polars"]))
    report.add("national command vs the polars script", ms(t["command"]), f"baseline_polars.py {ms(t['polars'])}",
               f"{vs_polars:.2f}x", "<= 1.0x", vs_polars <= 1.0, "1")
    vs_pandas = median(ratios(times["command"], times["pandas"]))
    report.add("national command vs the pandas script", ms(t["command"]), f"baseline_pandas.py {ms(t['pandas'])}",
               f"{vs_pandas:.2f}x", "(info)", None, "1")
    count = pandas_modules_in_command(command, env)
    report.add("  pandas modules loaded by the command", count, "", "", "(info)", None, "1")
    polars_floor = median(ratios(times["polars"], times["floor"]))
    report.add("  polars script vs the floor", ms(t["polars"]), f"import pyarrow.parquet {ms(t['floor'])}",
               f"{polars_floor:.2f}x", "(info)", None, "1")
    report.add("  interpreter start (python -c pass)", ms(t["python"]), "", "", "(info)", None, "1")
    imported = median(ratios(times["import"], times["pyarrow"]))
    report.add("  import opvangkern", ms(t["import"]), f"import pyarrow {ms(t['pyarrow'])}", f"{imported:.2f}x",
               "<= 1.0x", imported <= 1.0, "1")
    peak = median(ratios(rss["command"], rss["floor"]))
    report.add("peak RSS of the national command", mib(median(rss["command"])),
               f"import pyarrow.parquet {mib(median(rss['floor']))}", f"{peak:.2f}x", "<= 1.6x", peak <= 1.6, "6")
    report.add("  peak RSS of the baselines", f"polars {mib(median(rss['polars']))}",
               f"pandas {mib(median(rss['pandas']))}", "", "(info)", None, "6")


# --- (5) engine ----------------------------------------------------------------------------------


def bench_engine(report: Report, rows: int, rounds: int, sample: int, seed: int = 20251231) -> None:
    import inspect

    import bench_engine as be
    import numpy as np

    full = rows >= 10_000_000
    scale = f"{rows / 1e6:g} M rows" + ("" if full else "; the target is at 10 M: --full")
    print(f"(5) engine: {rows:,} query rows, reference on {sample:,} rows, {rounds} rounds", flush=True)
    offers_dictionary = "dictionary" in inspect.signature(be.engine.status).parameters
    rng = np.random.default_rng(seed)
    lines = be.make_lines(rng)
    inputs = be.make_queries(rng, rows)
    points, ref_rows = be.reference_inputs(lines, *inputs, sample)

    def fresh():
        return be.engine.Lines(lines.ids, lines.offsets, lines.day, lines.amount)

    def timed(function) -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    warm = fresh()
    be.run_engine(warm, *inputs, dictionary=False)  # builds and caches its lookup table once
    engine_t, dict_t, fused_t, table_t, ref_t, warm_t = [], [], [], [], [], []
    for _ in range(rounds):
        engine_t.append(timed(lambda: be.run_engine(fresh(), *inputs, dictionary=False)))
        warm_t.append(timed(lambda: be.run_engine(warm, *inputs, dictionary=False)))
        if offers_dictionary:
            dict_t.append(timed(lambda: be.run_engine(fresh(), *inputs, dictionary=True)))
        fused_t.append(timed(lambda: be.run_fused(fresh(), *inputs)))
        table_t.append(timed(lambda: be.run_fused_table(fresh(), *inputs)))
        ref_t.append(timed(lambda: be.run_reference(points, ref_rows)) * rows / sample)  # scaled per row
    rate, ref_rate = rows / median(engine_t), f"{rows / median(ref_t):,.0f} rows/s"
    target = dict_t if offers_dictionary else engine_t
    vs_ref = median(ratios(ref_t, target))
    how = "status dictionary-encoded" if offers_dictionary else "status strings (the engine offers no dictionary)"
    report.add(f"engine vs pure-Python reference, {how} [{scale}]", f"{rows / median(target):,.0f} rows/s", ref_rate,
               f"{vs_ref:,.0f}x", ">= 100x", vs_ref >= 100, "5")
    if offers_dictionary:
        vs_ref_str = median(ratios(ref_t, engine_t))
        report.add(f"  same, status as strings [{scale}]", f"{rate:,.0f} rows/s", ref_rate, f"{vs_ref_str:,.0f}x",
                   "(info)", None, "5")
    vs_ref_warm = median(ratios(ref_t, warm_t))
    report.add("  same (strings), Lines reused: lookup table built", f"{rows / median(warm_t):,.0f} rows/s", ref_rate,
               f"{vs_ref_warm:,.0f}x", "(info)", None, "5")
    vs_fused = median(ratios(fused_t, engine_t))
    report.add("  engine vs fused NumPy (searchsorted)", f"{rate:,.0f} rows/s", f"{rows / median(fused_t):,.0f} rows/s",
               f"{vs_fused:.2f}x", ">= 0.5x", vs_fused >= 0.5, "5")
    vs_table = median(ratios(table_t, engine_t))
    report.add("  engine vs fused NumPy (np.interp table)", f"{rate:,.0f} rows/s",
               f"{rows / median(table_t):,.0f} rows/s", f"{vs_table:.2f}x", "(info)", None, "5")
    memory = be.memory_in_child("engine", rows, seed)
    if memory:
        peak = memory["peak_bytes"] / memory["input_bytes"]
        report.add("  engine peak memory vs input", mib(memory["peak_bytes"]), mib(memory["input_bytes"]),
                   f"{peak:.2f}x", "< 3x", peak < 3, "5")


# --- (2) history ---------------------------------------------------------------------------------


def bench_history(report: Report, data: Path, out: Path, weeks_list: tuple[int, ...], rounds: int,
                  env: dict[str, str]) -> None:
    python = sys.executable
    opvangkern = str(BIN / "opvangkern")
    print(f"(2) history: {', '.join(map(str, weeks_list))} weekly peildata x 4 sources, {rounds} rounds", flush=True)
    command_t: dict[int, float] = {}
    floor_t: dict[int, float] = {}
    last_weeks = weeks_list[-1]
    for weeks in weeks_list:
        folder = history_dataset(data, weeks)
        times, _ = compare_commands({
            "command": [opvangkern, "dashboard", str(folder), "--gebied", "NL01", "--format", "parquet",
                        "--output", str(out / str(weeks))],
            "floor": [python, str(HERE / "floor_csv.py"), str(folder)],
        }, rounds, env)
        command_t[weeks], floor_t[weeks] = median(times["command"]), median(times["floor"])
        ratio = median(ratios(times["command"], times["floor"]))
        is_target = weeks == 260
        label = " (the target is at 260: drop --quick)" if weeks == last_weeks and not is_target else ""
        report.add(f"history: whole command incl. verloop/prognose, {weeks} peildata x 4 sources{label}",
                   ms(command_t[weeks]), f"pyarrow.csv floor {ms(floor_t[weeks])}", f"{ratio:.2f}x",
                   "<= 3x" if is_target else "(info)", ratio <= 3 if is_target else None, "2")
    first = weeks_list[0]
    for a, b in zip(weeks_list, weeks_list[1:]):
        growth = command_t[b] / command_t[a]
        report.add(f"  growth {a} -> {b} peildata (x{b / a:.0f} data)", f"x{growth:.2f}",
                   f"floor x{floor_t[b] / floor_t[a]:.2f}", f"{growth / (b / a):.2f} of linear", "<= 1.0 of linear",
                   growth <= b / a, "2")
    if len(weeks_list) > 1:
        per_peildatum = (command_t[last_weeks] - command_t[first]) / (last_weeks - first)
        report.add("  marginal cost per peildatum (4 files)", ms(per_peildatum),
                   f"floor {ms((floor_t[last_weeks] - floor_t[first]) / (last_weeks - first))}", "", "(info)", None, "2")
    # The dashboard alone (the files read once, in this process): verloop's own cost and growth.
    import opvangkern as package

    alone: dict[int, float] = {}
    for weeks in weeks_list:
        opened = package.open_dataset(history_dataset(data, weeks))
        opened.dashboard(gebied="NL01")  # warm-up
        spent = []
        for _ in range(rounds):
            start = time.perf_counter()
            dash = opened.dashboard(gebied="NL01")
            spent.append(time.perf_counter() - start)
        alone[weeks] = median(spent)
        report.add(f"  dashboard alone, {weeks} peildata ({dash.verloop.num_rows:,} verloop rows)", ms(alone[weeks]),
                   f"{opened.realisaties.num_rows:,} realisation rows", "", "(info)", None, "2")
    if len(weeks_list) > 1:
        growth = alone[last_weeks] / alone[first]
        report.add(f"  dashboard alone, growth {first} -> {last_weeks} peildata (x{last_weeks / first:.0f})",
                   f"x{growth:.2f}", "", f"{growth / (last_weeks / first):.2f} of linear", "<= 1.0 of linear",
                   growth <= last_weeks / first, "2")


# --- (3) the persistent cache of parsed files ----------------------------------------------------


def bench_cache(report: Report, data: Path, national: Path, temp: Path, weeks: int, rounds: int,
                env: dict[str, str]) -> None:
    """A re-run after one new delivery: the history dashboard with every file but one in the cache,
    against the one-snapshot national dashboard (its files in the cache too, as a user's second run)."""
    opvangkern = str(BIN / "opvangkern")
    folder = history_dataset(data, weeks)
    env = dict(env, OPVANGKERN_CACHE=str(temp / "cache"))
    latest = sorted((folder / "bronnen").glob("coa-*.csv"))[-1]
    original = latest.read_bytes()
    print(f"(3) cache: {weeks} peildata with one changed file ({latest.name}) vs 1 peildatum, {rounds} rounds",
          flush=True)

    def command(path: Path, *extra: str) -> list[str]:
        return [opvangkern, "dashboard", str(path), "--gebied", "NL01", "--format", "parquet", "--output",
                str(temp / "uit-cache" / path.name), *extra]

    history, single = command(folder), command(national)
    try:
        run_once(history, env)  # fills the cache
        run_once(single, env)
        times: dict[str, list[float]] = {"history_new": [], "single": [], "history_warm": [], "single_fresh": []}
        for i in range(rounds):
            # A new delivery, as far as the cache can tell: the latest COA file with other bytes (blank
            # lines appended: the kit skips them, the figures stay the same).
            latest.write_bytes(original + b"\n" * (i + 1))
            # Alternating orders; the changed file always meets "history_new" first.
            order = (["history_new", "single", "history_warm", "single_fresh"] if i % 2 == 0 else
                     ["single", "history_new", "single_fresh", "history_warm"])  # not reversed: see above
            commands = {"history_new": history, "history_warm": history, "single": single,
                        "single_fresh": single + ["--geen-cache"]}
            for name in order:
                times[name].append(run_once(commands[name], env)[0])
    finally:
        latest.write_bytes(original)
    label = "" if weeks == 260 else " (the target is at 260: drop --quick)"
    ratio = median(ratios(times["history_new"], times["single"]))
    report.add(f"cache: dashboard {weeks} peildata after one new file{label}", ms(median(times["history_new"])),
               f"1 peildatum (cached) {ms(median(times['single']))}", f"{ratio:.2f}x", "<= 1.5x",
               ratio <= 1.5 if weeks == 260 else None, "3")
    ratio = median(ratios(times["history_warm"], times["single"]))
    report.add(f"  same, {weeks} peildata, nothing changed", ms(median(times["history_warm"])),
               f"1 peildatum (cached) {ms(median(times['single']))}", f"{ratio:.2f}x", "(info)", None, "3")
    ratio = median(ratios(times["single"], times["single_fresh"]))
    report.add("  1 peildatum, cached vs --geen-cache", ms(median(times["single"])),
               f"--geen-cache {ms(median(times['single_fresh']))}", f"{ratio:.2f}x", "(info)", None, "3")


# --- (4) the Python API: 37 dashboards from one opened dataset ------------------------------------


class _HistoryTimer:
    """Time spent inside ``opvangkern.dashboard.verloop.history_tables`` (``verloop`` and ``prognose``),
    wrapped on the module for the duration of a measurement; ``None`` when there is no such function."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.module = None
        try:
            from opvangkern.dashboard import verloop as module
        except ImportError:
            return
        if callable(getattr(module, "history_tables", None)):
            self.module = module

    def __enter__(self) -> _HistoryTimer:
        if self.module is not None:
            self.original = original = self.module.history_tables

            def timed(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    self.spent += time.perf_counter() - start

            self.module.history_tables = timed
        return self

    def __exit__(self, *exc) -> None:
        if self.module is not None:
            self.module.history_tables = self.original


def bench_api(report: Report, data: Path, national: Path, weeks: int, rounds: int) -> None:
    import opvangkern as package
    from opvangkern.areas import load_division

    division = load_division()
    areas = [a.code for a in division.members("NL01", "provincie")] + \
        [a.code for a in division.members("NL01", "veiligheidsregio")]
    print(f"(4) API: {len(areas)} dashboards from one opened dataset, {weeks} peildata vs 1, {rounds} rounds",
          flush=True)
    opened = {"history": package.open_dataset(history_dataset(data, weeks)), "single": package.open_dataset(national)}

    def all_dashboards(name: str) -> tuple[float, float]:
        with _HistoryTimer() as timer:
            start = time.perf_counter()
            for code in areas:
                opened[name].dashboard(gebied=code)
            total = time.perf_counter() - start
        return total, timer.spent

    for name in opened:  # warm-up: imports, and whatever a dataset keeps after its first dashboard
        all_dashboards(name)
    total: dict[str, list[float]] = {"history": [], "single": []}
    rest: dict[str, list[float]] = {"history": [], "single": []}
    measured = _HistoryTimer().module is not None
    for _, name in interleaved(("history", "single"), rounds):
        spent, in_history = all_dashboards(name)
        total[name].append(spent)
        rest[name].append(spent - in_history)
    label = "" if weeks == 260 else " (the target is at 260: drop --quick)"
    if measured:
        ratio = median(ratios(rest["history"], rest["single"]))
        report.add(f"API: {len(areas)} dashboards at {weeks} snapshots, apart from verloop{label}",
                   ms(median(rest["history"])), f"at 1 snapshot {ms(median(rest['single']))}", f"{ratio:.2f}x",
                   "<= 2x", ratio <= 2 if weeks == 260 else None, "4")
    ratio = median(ratios(total["history"], total["single"]))
    report.add(f"  {len(areas)} dashboards, verloop included" + ("" if measured else
               " (history_tables not found: verloop not separated)"), ms(median(total["history"])),
               f"at 1 snapshot {ms(median(total['single']))}", f"{ratio:.2f}x", "(info)", None, "4")
    if measured:
        verloop = [t - r for t, r in zip(total["history"], rest["history"])]
        report.add(f"  verloop/prognose itself, {len(areas)} dashboards at {weeks} snapshots", ms(median(verloop)),
                   "", "", "(info)", None, "4")


# --- ingest (an earlier target) --------------------------------------------------------------------


def openpyxl_workbook_grids(raw: bytes, bestand: str, blad: str | None):
    """A drop-in for ``opvangkern.reading.sheet._workbook_grids`` that reads with openpyxl (read-only)."""
    from openpyxl import load_workbook

    from opvangkern.reading.sheet import Grid, _clean, _fout

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    names = workbook.sheetnames
    if blad is not None:
        names = [n for n in names if n == blad] or [n for n in names if n.strip().casefold() == blad.strip().casefold()]
        if not names:
            return [], [_fout(bestand, blad, f"blad {blad!r} bestaat niet")]
    grids = []
    for name in names[:1] if blad is not None else names:
        cells = [["" if c is None else c for c in row] for row in workbook[name].iter_rows(values_only=True)]
        width = max((len(r) for r in cells), default=0)  # calamine gives a rectangle: pad like it
        rows = tuple((i + 1, tuple(_clean(c) for c in row + [""] * (width - len(row)))) for i, row in enumerate(cells))
        grids.append(Grid(bestand, name, rows, "workbook"))
    workbook.close()
    return grids, []


def bench_ingest(report: Report, xlsx: Path, csv_dir: Path, rounds: int) -> None:
    from opvangkern.areas import load_division
    from opvangkern.reading import sheet
    from opvangkern.reading import values
    from opvangkern.sources.adapter import Source
    from opvangkern.sources.manager import adapters

    print(f"(d) ingest of the 52-week COA history, {rounds} rounds", flush=True)
    coa = adapters()["coa"]
    division = load_division()
    weeks = [day.isoformat() for _, day in generate.history_weeks()]
    calamine_grids = sheet._workbook_grids

    def cold() -> None:
        # Every round starts as a fresh process would: the kit's memos of cell texts empty and no
        # workbook kept open from the previous round (the division's own memo stays warm: it is
        # loaded once per process and shared by every file).
        values.clear_memos()
        sheet.forget_workbook()

    def read_xlsx(reader) -> int:
        cold()
        sheet._workbook_grids = reader
        try:
            results = [coa.read(Source(xlsx, xlsx.name, blad=week, division=division)) for week in weeks]
        finally:
            sheet._workbook_grids = calamine_grids
        return _check(results)

    def read_csv() -> int:
        cold()
        return _check([coa.read(Source(csv_dir / f"coa-{week}.csv", f"coa-{week}.csv", division=division))
                       for week in weeks])

    def calamine_only() -> None:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(xlsx))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def openpyxl_only() -> None:
        from openpyxl import load_workbook

        workbook = load_workbook(xlsx, read_only=True, data_only=True)
        for name in workbook.sheetnames:
            list(workbook[name].iter_rows(values_only=True))
        workbook.close()

    variants = {
        "xlsx_calamine": lambda: read_xlsx(calamine_grids),
        "xlsx_openpyxl": lambda: read_xlsx(openpyxl_workbook_grids),
        "csv": read_csv,
        "calamine_only": calamine_only,
        "openpyxl_only": openpyxl_only,
    }
    for name in ("xlsx_calamine", "csv", "calamine_only", "openpyxl_only"):
        variants[name]()  # warm-up (openpyxl through the adapter takes ~50 s: it gets no warm-up)
    counts: dict[str, int] = {}
    times: dict[str, list[float]] = {name: [] for name in variants}
    for i, name in interleaved(list(variants), rounds):
        if name == "xlsx_openpyxl" and i > 0:
            continue  # ~20x slower (openpyxl loads the 52-sheet workbook for every sheet): one round
        start = time.perf_counter()
        counts[name] = variants[name]()
        times[name].append(time.perf_counter() - start)
    read = {counts[name] for name in ("xlsx_calamine", "xlsx_openpyxl", "csv")}
    if len(read) != 1:
        raise SystemExit(f"the readers disagree on the rows: {counts}")
    rows = counts["csv"]
    t = {name: median(values) for name, values in times.items()}
    report.add(f"ingest COA 52 weeks XLSX, calamine ({rows:,} rows)", f"{t['xlsx_calamine']:.2f} s",
               "1 s", f"{rows / t['xlsx_calamine']:,.0f} rows/s", "< 1 s", t["xlsx_calamine"] < 1.0)
    speed = times["xlsx_openpyxl"][0] / times["xlsx_calamine"][0]  # the first round: the one openpyxl ran in
    report.add("  same, openpyxl read-only as the reader (1 round)", f"{t['xlsx_openpyxl']:.2f} s",
               f"calamine {t['xlsx_calamine']:.2f} s", f"calamine {speed:.2f}x faster",
               "(info)", None)
    vs_csv = median(ratios(times["xlsx_calamine"], times["csv"]))
    report.add("  same as 52 CSV files", f"{t['csv']:.2f} s", f"XLSX {t['xlsx_calamine']:.2f} s",
               f"{rows / t['csv']:,.0f} rows/s; XLSX/CSV {vs_csv:.2f}x", "(info)", None)
    reader = median(ratios(times["openpyxl_only"], times["calamine_only"]))
    report.add("  readers alone (52 sheets to Python cells)", f"calamine {t['calamine_only']:.2f} s",
               f"openpyxl {t['openpyxl_only']:.2f} s", f"calamine {reader:.1f}x faster", "(info)", None)

def _check(results) -> int:
    errors = [m for r in results for m in r.meldingen if m.is_error]
    if errors:
        raise SystemExit(f"the COA history did not read cleanly: {errors[:3]}")
    return sum(r.realisaties.num_rows for r in results)



# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="3 rounds, 52 weeks instead of 260, no ingest: a few minutes")
    parser.add_argument("--full", action="store_true", help="the engine on 10,000,000 rows (default 1,000,000)")
    parser.add_argument("--rows", type=int, help="engine query rows (overrides --full)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per comparison (default 9; --quick 3)")
    parser.add_argument("--keep", type=Path, help="generate the data into this folder, keep it and reuse it")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts (repeatable)")
    parser.add_argument("--markdown", action="store_true", help="also print the results as a Markdown table")
    args = parser.parse_args(argv)
    rows = args.rows or (10_000_000 if args.full else 1_000_000)
    rounds = args.rounds or (3 if args.quick else 9)
    weeks = 52 if args.quick else 260
    history_weeks = (13, 52) if args.quick else (13, 52, 260)
    parts = set(args.only or [p for p in PARTS if not (args.quick and p == "ingest")])
    few = max(3, rounds // 3)

    temp = Path(tempfile.mkdtemp(prefix="opvangkern-bench-"))
    started = dt.datetime.now(dt.timezone.utc)
    load_before = os.getloadavg()
    try:
        data = args.keep or temp / "data"
        national, summary = dataset(data, "nationaal", 1, coa_history="ingest" in parts)
        env = child_env(temp / "pycache")
        report = Report()
        if "national" in parts:
            bench_national(report, national, temp / "uit", rounds, env)
        if "engine" in parts:
            bench_engine(report, rows, rounds=max(3, rounds // 2), sample=min(20_000, rows))
        if "history" in parts:
            bench_history(report, data, temp / "uit-historie", history_weeks, few, env)
        if "cache" in parts:
            bench_cache(report, data, national, temp, weeks, few, env)
        if "api" in parts:
            bench_api(report, data, national, weeks, few)
        if "ingest" in parts:
            if "coa_history_xlsx" not in summary:
                national, summary = dataset(data, "nationaal", 1, coa_history=True)
            bench_ingest(report, Path(summary["coa_history_xlsx"]), Path(summary["coa_history_csv"]),
                         max(3, rounds // 2))
        load_after = os.getloadavg()
        spent = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
        settings = (f"{'--quick, ' if args.quick else ''}parts {', '.join(p for p in PARTS if p in parts)}; medians "
                    f"of {rounds} interleaved rounds (engine and ingest: {max(3, rounds // 2)}; history, cache, API: "
                    f"{few})" + (f"; engine {rows:,} rows" if "engine" in parts else "")
                    + (f"; {weeks} weeks for cache and API" if parts & {"cache", "api"} else ""))
        machine = (f"{started:%Y-%m-%d %H:%M} UTC, {spent / 60:.1f} min; Python {platform.python_version()}, "
                   f"{os.cpu_count()} CPUs; load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} "
                   f"at the end; pandas {'installed' if importlib.util.find_spec('pandas') else 'NOT installed'}")
        print(f"\n{machine}\n{settings}")
        report.print()
        if args.markdown:
            print(f"\nMeasured {machine}; {settings} (`benchmarks/run.py"
                  f"{' --quick' if args.quick else ''}{' --full' if args.full else ''}`):\n")
            print(report.markdown())
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
