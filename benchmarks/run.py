"""The benchmark suite: every performance target of opvangkern as a ratio measured side by side.

    .venv/bin/python benchmarks/run.py [--full] [--rounds N] [--keep DIR]

Generates a synthetic national dataset (``benchmarks/generate.py``: 342 municipalities, all tasks
and sources, plus the 52-week COA history as one XLSX and as CSV) into a temporary folder, then
measures, each comparison interleaved round by round (A B A B …) so that both sides see the same
machine load, and reports medians:

(a) the engine against fused NumPy and the pure-Python reference (``bench_engine.py``'s functions),
    and its peak memory against its input;
(b) the whole command ``opvangkern dashboard NATIONAL --gebied NL01 --format parquet --output TMP``
    against ``python -c "import pyarrow.parquet"`` (the floor: the interpreter plus the Arrow stack
    that writing Parquet needs anyway);
(c) ``python -c "import opvangkern"`` against ``python -c "import pyarrow"``;
(d) ingest of the 52-week COA history through the COA adapter: the workbook (one sheet per week)
    with python-calamine, the same workbook with openpyxl (read-only) as the alternative reader, and
    the 52 weekly CSV files; in rows per second;
(f) the persistent cache (``--only cache``, issue 16): the 260-week dashboard after one new delivery
    (every other file in the cache) against the one-snapshot national dashboard (its files cached);
(e) history (``--only history``, SPEC §12): national datasets of 13, 52 and 260 weekly deliveries of
    every source (``generate.py --weeks N``); ``dashboard --gebied NL01 --format parquet`` (which
    computes ``verloop`` over every card and peildatum) against the floor of parsing the same CSV files
    with ``pyarrow.csv.read_csv`` in one process (``floor_csv.py``), and how both grow with the
    number of peildata; plus the dashboard alone (files already read) on the 260-week dataset.

Ratios are medians of the per-round ratios; times are medians too. Child processes run with
bytecode caching on (``PYTHONPYCACHEPREFIX`` in the temporary folder, so nothing is written into the
source tree), as an installed package has its ``.pyc`` files; each command runs once before timing.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import generate  # noqa: E402

BIN = Path(sys.executable).parent


def median(values) -> float:
    return statistics.median(values)


class Report:
    """Rows of the results table: what, measured, baseline, ratio, target, verdict."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def add(self, what: str, measured: str, baseline: str, ratio: str, target: str, ok: bool | None) -> None:
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        self.rows.append((what, measured, baseline, ratio, target, verdict))
        print(f"  {what}: {measured} vs {baseline} -> {ratio} (target {target}) {verdict}", flush=True)

    def print(self) -> None:
        head = ("measurement", "median", "baseline (median)", "ratio (median)", "target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(len(head))]
        line = "  ".join("-" * w for w in widths)
        print()
        print("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
        print(line)
        for row in self.rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


# --- subprocess comparisons ----------------------------------------------------------------------


def child_env(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.pop("OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD", None)
    # Every file parsed, as on a first run: the cache of parsed files (issue 16) would serve the timed
    # rounds from the warm-up's entries. Part (f) measures the cache on its own.
    env["OPVANGKERN_CACHE"] = "uit"
    return env


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return elapsed


def compare_commands(commands: dict[str, list[str]], rounds: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Run every command once (warm-up, bytecode), then ``rounds`` times interleaved; times per command."""
    for command in commands.values():
        run_once(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(rounds):
        order = names if i % 2 == 0 else names[::-1]  # ABAB, then BABA: no side always goes first
        for name in order:
            times[name].append(run_once(commands[name], env))
    return times


def ratios(a: list[float], b: list[float]) -> list[float]:
    return [x / y for x, y in zip(a, b)]


# --- (a) engine ----------------------------------------------------------------------------------


def bench_engine(report: Report, rows: int, rounds: int, sample: int, seed: int = 20251231) -> None:
    import bench_engine as be
    import numpy as np

    print(f"(a) engine: {rows:,} query rows, reference on {sample:,} rows, {rounds} rounds", flush=True)
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
        dict_t.append(timed(lambda: be.run_engine(fresh(), *inputs, dictionary=True)))
        fused_t.append(timed(lambda: be.run_fused(fresh(), *inputs)))
        table_t.append(timed(lambda: be.run_fused_table(fresh(), *inputs)))
        ref_t.append(timed(lambda: be.run_reference(points, ref_rows)) * rows / sample)  # scaled per row
    vs_fused = median(ratios(fused_t, engine_t))
    vs_table = median(ratios(table_t, engine_t))
    vs_ref = median(ratios(ref_t, engine_t))
    rate = rows / median(engine_t)
    report.add("engine vs fused NumPy (searchsorted)", f"{rate:,.0f} rows/s", f"{rows / median(fused_t):,.0f} rows/s",
               f"{vs_fused:.2f}x", ">= 0.5x", vs_fused >= 0.5)
    report.add("engine vs fused NumPy (np.interp table)", f"{rate:,.0f} rows/s",
               f"{rows / median(table_t):,.0f} rows/s", f"{vs_table:.2f}x", "(info)", None)
    report.add("engine vs pure-Python reference", f"{rate:,.0f} rows/s", f"{rows / median(ref_t):,.0f} rows/s",
               f"{vs_ref:,.0f}x", ">= 100x", vs_ref >= 100)
    vs_ref_dict = median(ratios(ref_t, dict_t))
    report.add("  same, status dictionary-encoded", f"{rows / median(dict_t):,.0f} rows/s",
               f"{rows / median(ref_t):,.0f} rows/s", f"{vs_ref_dict:,.0f}x", "(info)", None)
    vs_ref_warm = median(ratios(ref_t, warm_t))
    report.add("  same (strings), Lines reused: lookup table built", f"{rows / median(warm_t):,.0f} rows/s",
               f"{rows / median(ref_t):,.0f} rows/s", f"{vs_ref_warm:,.0f}x", "(info)", None)
    memory = be.memory_in_child("engine", rows, seed)
    if memory:
        peak = memory["peak_bytes"] / memory["input_bytes"]
        report.add("engine peak memory vs input", f"{memory['peak_bytes'] / 2**20:,.0f} MiB",
                   f"{memory['input_bytes'] / 2**20:,.0f} MiB", f"{peak:.2f}x", "< 3x", peak < 3)


# --- (b), (c) commands ---------------------------------------------------------------------------


def bench_commands(report: Report, national: Path, out: Path, rounds: int, env: dict[str, str]) -> None:
    python = sys.executable
    opvangkern = str(BIN / "opvangkern")
    print(f"(b) whole command and (c) import, {rounds} rounds each", flush=True)
    times = compare_commands({
        "command": [opvangkern, "dashboard", str(national), "--gebied", "NL01", "--format", "parquet",
                    "--output", str(out)],
        "floor": [python, "-c", "import pyarrow.parquet"],
        "python": [python, "-c", "pass"],
    }, rounds, env)
    ratio = median(ratios(times["command"], times["floor"]))
    report.add("whole command (national, NL01, parquet)", ms(median(times["command"])),
               f"import pyarrow.parquet {ms(median(times['floor']))}", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    report.add("  interpreter start (python -c pass)", ms(median(times["python"])), "", "", "(info)", None)
    times = compare_commands({
        "opvangkern": [python, "-c", "import opvangkern"],
        "pyarrow": [python, "-c", "import pyarrow"],
    }, rounds, env)
    ratio = median(ratios(times["opvangkern"], times["pyarrow"]))
    report.add("import opvangkern", ms(median(times["opvangkern"])), f"import pyarrow {ms(median(times['pyarrow']))}",
               f"{ratio:.2f}x", "<= 1.0x", ratio <= 1.0)


# --- (d) ingest ----------------------------------------------------------------------------------


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
    names = list(variants)
    for i in range(rounds):
        for name in names if i % 2 == 0 else names[::-1]:
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


# --- (e) history ---------------------------------------------------------------------------------


HISTORY_WEEKS = (13, 52, 260)


def bench_history(report: Report, data: Path, out: Path, rounds: int, env: dict[str, str]) -> None:
    python = sys.executable
    opvangkern = str(BIN / "opvangkern")
    print(f"(e) history: {', '.join(map(str, HISTORY_WEEKS))} weekly peildata x 4 sources, {rounds} rounds", flush=True)
    command_t: dict[int, float] = {}
    floor_t: dict[int, float] = {}
    for weeks in HISTORY_WEEKS:
        folder = data / f"nationaal-{weeks}-weken"
        if not (folder / "opvangkern.toml").is_file():
            generate.generate(folder, snapshots=weeks)
        times = compare_commands({
            "command": [opvangkern, "dashboard", str(folder), "--gebied", "NL01", "--format", "parquet",
                        "--output", str(out / str(weeks))],
            "floor": [python, str(HERE / "floor_csv.py"), str(folder)],
        }, rounds, env)
        command_t[weeks], floor_t[weeks] = median(times["command"]), median(times["floor"])
        ratio = median(ratios(times["command"], times["floor"]))
        target = "<= 3x" if weeks == HISTORY_WEEKS[-1] else "(info)"
        report.add(f"history: dashboard NL01 parquet, {weeks} peildata x 4 sources", ms(command_t[weeks]),
                   f"pyarrow.csv floor {ms(floor_t[weeks])}", f"{ratio:.2f}x", target,
                   ratio <= 3 if weeks == HISTORY_WEEKS[-1] else None)
    first, last = HISTORY_WEEKS[0], HISTORY_WEEKS[-1]
    for a, b in zip(HISTORY_WEEKS, HISTORY_WEEKS[1:]):
        growth = command_t[b] / command_t[a]
        report.add(f"  growth {a} -> {b} peildata (x{b / a:.0f} data)", f"x{growth:.2f}",
                   f"floor x{floor_t[b] / floor_t[a]:.2f}", f"{growth / (b / a):.2f} of linear", "<= 1.0 of linear",
                   growth <= b / a)
    per_peildatum = (command_t[last] - command_t[first]) / (last - first)
    report.add("  marginal cost per peildatum (4 files)", ms(per_peildatum),
               f"floor {ms((floor_t[last] - floor_t[first]) / (last - first))}", "", "(info)", None)
    # The dashboard alone (the files read once, in this process): verloop's own cost and growth.
    import opvangkern as package

    alone: dict[int, float] = {}
    for weeks in HISTORY_WEEKS:
        dataset = package.open_dataset(data / f"nationaal-{weeks}-weken")
        dataset.dashboard(gebied="NL01")  # warm-up
        spent = []
        for _ in range(rounds):
            start = time.perf_counter()
            dash = dataset.dashboard(gebied="NL01")
            spent.append(time.perf_counter() - start)
        alone[weeks] = median(spent)
        report.add(f"  dashboard alone, {weeks} peildata ({dash.verloop.num_rows:,} verloop rows)", ms(alone[weeks]),
                   f"{dataset.realisaties.num_rows:,} realisation rows", "", "(info)", None)
    growth = alone[last] / alone[first]
    report.add(f"  dashboard alone, growth {first} -> {last} peildata (x{last / first:.0f})", f"x{growth:.2f}", "",
               f"{growth / (last / first):.2f} of linear", "<= 1.0 of linear", growth <= last / first)


# --- (f) the persistent cache of parsed files ----------------------------------------------------


def bench_cache(report: Report, data: Path, temp: Path, rounds: int, env: dict[str, str]) -> None:
    """A re-run after one new delivery: the 260-week dashboard with every file but one in the cache,
    against the one-snapshot national dashboard (its files in the cache too, as a user's second run)."""
    opvangkern = str(BIN / "opvangkern")
    weeks = HISTORY_WEEKS[-1]
    folder = data / f"nationaal-{weeks}-weken"
    if not (folder / "opvangkern.toml").is_file():
        generate.generate(folder, snapshots=weeks)
    env = dict(env, OPVANGKERN_CACHE=str(temp / "cache"))
    latest = sorted((folder / "bronnen").glob("coa-*.csv"))[-1]
    original = latest.read_bytes()
    print(f"(f) cache: {weeks} peildata with one changed file ({latest.name}) vs 1 peildatum, {rounds} rounds",
          flush=True)

    def command(path: Path, *extra: str) -> list[str]:
        return [opvangkern, "dashboard", str(path), "--gebied", "NL01", "--format", "parquet", "--output",
                str(temp / "uit-cache" / path.name), *extra]

    history, single = command(folder), command(data / "nationaal")
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
                     ["single", "history_new", "single_fresh", "history_warm"])
            commands = {"history_new": history, "history_warm": history, "single": single,
                        "single_fresh": single + ["--geen-cache"]}
            for name in order:
                times[name].append(run_once(commands[name], env))
    finally:
        latest.write_bytes(original)
    ratio = median(ratios(times["history_new"], times["single"]))
    report.add(f"cache: dashboard {weeks} peildata after one new file", ms(median(times["history_new"])),
               f"1 peildatum (cached) {ms(median(times['single']))}", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    ratio = median(ratios(times["history_warm"], times["single"]))
    report.add(f"  same, {weeks} peildata, nothing changed", ms(median(times["history_warm"])),
               f"1 peildatum (cached) {ms(median(times['single']))}", f"{ratio:.2f}x", "(info)", None)
    ratio = median(ratios(times["single"], times["single_fresh"]))
    report.add("  1 peildatum, cached vs --geen-cache", ms(median(times["single"])),
               f"--geen-cache {ms(median(times['single_fresh']))}", f"{ratio:.2f}x", "(info)", None)


def _check(results) -> int:
    errors = [m for r in results for m in r.meldingen if m.is_error]
    if errors:
        raise SystemExit(f"the COA history did not read cleanly: {errors[:3]}")
    return sum(r.realisaties.num_rows for r in results)


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the engine on 10,000,000 rows (default 1,000,000)")
    parser.add_argument("--rows", type=int, help="engine query rows (overrides --full)")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds per comparison (default 9)")
    parser.add_argument("--keep", type=Path, help="generate the data into this folder and keep it")
    parser.add_argument("--only", choices=["engine", "commands", "ingest", "history", "cache"], action="append",
                        help="run only these parts (repeatable)")
    args = parser.parse_args(argv)
    rows = args.rows or (10_000_000 if args.full else 1_000_000)
    parts = set(args.only or ["engine", "commands", "ingest", "history", "cache"])

    temp = Path(tempfile.mkdtemp(prefix="opvangkern-bench-"))
    try:
        data = args.keep or temp / "data"
        start = time.perf_counter()
        summary = generate.generate(data / "nationaal", snapshots=1, coa_history="ingest" in parts)
        print(f"generated {data} in {time.perf_counter() - start:.1f} s: {summary}", flush=True)
        report = Report()
        if "engine" in parts:
            bench_engine(report, rows, rounds=max(3, args.rounds // 2), sample=min(20_000, rows))
        if "commands" in parts:
            bench_commands(report, data / "nationaal", temp / "uit", args.rounds, child_env(temp / "pycache"))
        if "ingest" in parts:
            bench_ingest(report, Path(summary["coa_history_xlsx"]), Path(summary["coa_history_csv"]),
                         max(3, args.rounds // 2))
        if "history" in parts:
            bench_history(report, data, temp / "uit-historie", max(3, args.rounds // 3), child_env(temp / "pycache"))
        if "cache" in parts:
            bench_cache(report, data, temp, max(3, args.rounds // 3), child_env(temp / "pycache"))
        print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; medians of {args.rounds} interleaved rounds "
              f"(engine and ingest: {max(3, args.rounds // 2)}; history: {max(3, args.rounds // 3)})")
        report.print()
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
