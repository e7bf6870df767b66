"""Benchmark of the engine: indicative schedule + status + achterstand over many query rows.

    python benchmarks/bench_engine.py [--rows N] [--sample S] [--rounds R] [--before OLD_VECTORISED_PY]

Runs, interleaved round by round on the same generated rows (each round every variant once, the
order reversed every other round, so that all of them see the same machine load):

- ``engine``: the public vectorised engine (``indicative_schedule``, ``status``, ``achterstand``),
  with the status as strings and, a second time, dictionary-encoded (as the tables carry it);
- ``fused``: the same arithmetic written directly in NumPy over whole arrays, knowing that line ids
  are already positions (no id lookup, no nulls, no Arrow, status as int8 codes), searching each
  row's segment as the engine does for small queries;
- ``fused_table``: the same by hand with a (line × day) table (``np.interp`` per line) and one lookup
  per row, the strategy the engine uses for large queries;
- ``reference``: the pure-Python oracle on the first S rows, its time scaled per row;
- with ``--before FILE``: an earlier ``engine/vectorised.py`` (``git show REV:src/opvangkern/engine/vectorised.py
  > FILE``), loaded as a module of its own, in the same rounds: before and after side by side.

Every run starts from a fresh ``Lines`` (no cached lookup table). Reported: the median rate of each
variant and the **median of the per-round ratios** (the machine is shared: ratios, not times).
Peak memory is measured in a fresh child process per variant: the peak resident set (VmHWM, reset
through /proc/self/clear_refs once the inputs exist) minus the resident set before the run, so it
counts outputs and temporaries, NumPy and Arrow alike (Linux only). It is compared with the bytes of
the input arrays (line id int32, peildatum date32, realisatie float64).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opvangkern import engine  # noqa: E402
from opvangkern.engine import reference as ref  # noqa: E402

MUNICIPALITIES, TASKS = 342, 5
DECISION_DATES = [date(2024, 1, 1), date(2024, 7, 1), date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1)]
EPOCH = date(1970, 1, 1)
BIAS = 1 << 31


def make_lines(rng: np.random.Generator) -> engine.Lines:
    """342 municipalities × 5 tasks, each with 1 to 5 decisions; some targets are 0."""
    ids, days, amounts = [], [], []
    for line in range(MUNICIPALITIES * TASKS):
        chosen = sorted(rng.choice(len(DECISION_DATES), size=rng.integers(1, 6), replace=False))
        level = 0.0 if rng.random() < 0.02 else float(rng.integers(5, 800))
        for i in chosen:
            ids.append(line)
            days.append((DECISION_DATES[i] - EPOCH).days)
            amounts.append(level)
            level += float(rng.integers(0, 400)) if level else 0.0
    return engine.build_lines(
        pa.array(ids, pa.int32()), pa.array(days, pa.int32()).view(pa.date32()), pa.array(amounts, pa.float64())
    )


def make_queries(rng: np.random.Generator, rows: int) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Query rows in random order: line id, peildatum (2023-10-01 .. 2026-12-31), realisatie."""
    line = rng.integers(0, MUNICIPALITIES * TASKS, rows, dtype=np.int32)
    start, end = (date(2023, 10, 1) - EPOCH).days, (date(2026, 12, 31) - EPOCH).days
    peildatum = rng.integers(start, end + 1, rows, dtype=np.int32)
    realisatie = rng.integers(0, 1500, rows).astype(np.float64)
    return pa.array(line), pa.array(peildatum).view(pa.date32()), pa.array(realisatie)


def run_engine(lines: engine.Lines, line: pa.Array, peildatum: pa.Array, realisatie: pa.Array, dictionary: bool):
    schema = engine.indicative_schedule(lines, line, peildatum)
    return schema, engine.status(realisatie, schema, dictionary=dictionary), engine.achterstand(schema, realisatie)


def run_fused(lines: engine.Lines, line: pa.Array, peildatum: pa.Array, realisatie: pa.Array):
    """The same arithmetic by hand, whole arrays at once, line ids used as positions directly."""
    point_line = np.repeat(np.arange(len(lines), dtype=np.int64), np.diff(lines.offsets))
    point_key = (point_line << 32) + (lines.day.astype(np.int64) + BIAS)
    idx = line.to_numpy().astype(np.int64)
    day = peildatum.view(pa.int32()).to_numpy().astype(np.int64) + 1
    r = realisatie.to_numpy()
    pos = np.searchsorted(point_key, (idx << 32) + (day + BIAS), side="right")
    first, last = lines.offsets[idx], lines.offsets[idx + 1] - 1
    j = np.clip(pos - 1, first, np.maximum(last - 1, first))
    k = np.minimum(j + 1, last)
    day_j, day_k, amount_j, amount_k = lines.day[j], lines.day[k], lines.amount[j], lines.amount[k]
    schema = amount_j + (amount_k - amount_j) * ((day - day_j) / np.maximum(day_k - day_j, 1))
    schema = np.where(day <= day_j, amount_j, np.where(day >= day_k, amount_k, schema))
    with np.errstate(all="ignore"):
        graad = r / schema
    codes = np.where(graad >= 1.0, np.int8(0), np.where(graad >= 0.75, np.int8(1), np.int8(2)))
    codes[schema == 0] = 3
    return schema, codes, schema - r


def run_fused_table(lines: engine.Lines, line: pa.Array, peildatum: pa.Array, realisatie: pa.Array):
    """By hand with a (line × day) table from np.interp per line, then one lookup per row."""
    first, last = int(lines.day.min()), int(lines.day.max())
    grid = np.arange(first, last + 1)
    table = np.empty((len(lines), len(grid)))
    for i in range(len(lines)):
        points = slice(lines.offsets[i], lines.offsets[i + 1])
        table[i] = np.interp(grid, lines.day[points], lines.amount[points])  # flat outside, like the rule
    idx = line.to_numpy()
    day = np.clip(peildatum.view(pa.int32()).to_numpy() + 1 - first, 0, len(grid) - 1)
    r = realisatie.to_numpy()
    schema = table[idx, day]
    with np.errstate(all="ignore"):
        graad = r / schema
    codes = (graad < 1.0).view(np.int8) + (graad < 0.75).view(np.int8)
    codes[schema == 0] = 3
    return schema, codes, schema - r


def reference_inputs(lines: engine.Lines, line: pa.Array, peildatum: pa.Array, realisatie: pa.Array, n: int):
    """Plain Python inputs for the oracle (made outside the timing: the oracle takes dates and floats)."""
    table = lines.to_table().to_pylist()
    points: dict[int, list] = {}
    for row in table:
        points.setdefault(row["line_id"], []).append((row["datum"], row["aantal"]))
    rows = list(zip(line[:n].to_pylist(), peildatum[:n].to_pylist(), realisatie[:n].to_pylist()))
    return points, rows


def run_reference(points: dict, rows: list):
    schema = [ref.indicative_schedule(points[line], day) for line, day, _ in rows]
    status = [ref.status(r, s) for (_, _, r), s in zip(rows, schema)]
    backlog = [ref.achterstand(s, r) for (_, _, r), s in zip(rows, schema)]
    return schema, status, backlog


def best_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def check_agreement(engine_result, reference_result, n: int) -> str:
    schema, status, backlog = (column[:n].to_pylist() for column in engine_result)
    ref_schema, ref_status, ref_backlog = reference_result
    worst = max((abs(a - b) / max(abs(b), 1e-300) for a, b in zip(schema, ref_schema) if a != b), default=0.0)
    exact = sum(a == b for a, b in zip(schema, ref_schema))
    status_off = sum(a != b for a, b in zip(status, ref_status))
    backlog_ok = all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(backlog, ref_backlog))
    return (
        f"engine vs reference on {n:,} rows: schedule bit-identical {exact:,}/{n:,} (worst rel. diff {worst:.1e}), "
        f"status mismatches {status_off}, achterstand within 1e-9: {backlog_ok}"
    )


# --- memory, in a child process --------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for text in Path("/proc/self/status").read_text().splitlines():
        if text.startswith(field + ":"):
            return int(text.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure_memory(variant: str, rows: int, seed: int) -> dict:
    """Child process: peak bytes above the resident set with the inputs, while ``variant`` runs."""
    rng = np.random.default_rng(seed)
    lines = make_lines(rng)
    inputs = make_queries(rng, rows)
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current resident set
    before = _status_kb("VmRSS")
    result = VARIANTS[variant](lines, *inputs)
    peak = _status_kb("VmHWM")
    del result
    return {"peak_bytes": (peak - before) * 1024, "input_bytes": sum(a.nbytes for a in inputs)}


VARIANTS = {
    "engine": lambda lines, *inputs: run_engine(lines, *inputs, dictionary=False),
    "engine_dict": lambda lines, *inputs: run_engine(lines, *inputs, dictionary=True),
    "fused": run_fused,
    "fused_table": run_fused_table,
}


def memory_in_child(variant: str, rows: int, seed: int) -> dict | None:
    command = [sys.executable, __file__, "--rows", str(rows), "--seed", str(seed), "--memory-of", variant]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"(memory of {variant} not measured: {done.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return json.loads(done.stdout)


# --- main ---------------------------------------------------------------------------------------------


def load_before(path: str):
    """An earlier ``engine/vectorised.py`` as a module of its own (it imports the shared reference)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("vectorised_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_module(module, lines, line, peildatum, realisatie, dictionary: bool):
    schema = module.indicative_schedule(lines, line, peildatum)
    return schema, module.status(realisatie, schema, dictionary=dictionary), module.achterstand(schema, realisatie)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=100_000, help="rows for the pure-Python reference")
    parser.add_argument("--rounds", "--repeat", type=int, default=5, dest="rounds")
    parser.add_argument("--seed", type=int, default=20251231)
    parser.add_argument("--before", help="an earlier engine/vectorised.py to compare with, in the same rounds")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory children")
    parser.add_argument("--memory-of", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        print(json.dumps(measure_memory(args.memory_of, args.rows, args.seed)))
        return

    rng = np.random.default_rng(args.seed)
    lines = make_lines(rng)
    inputs = make_queries(rng, args.rows)
    input_bytes = sum(a.nbytes for a in inputs)
    sample = min(args.sample, args.rows)
    print(f"{args.rows:,} query rows over {lines!r}; input arrays {input_bytes / 2**20:,.0f} MiB; {args.rounds} rounds")

    def fresh() -> engine.Lines:  # no lookup table cached from an earlier run: each run pays for its own
        return engine.Lines(lines.ids, lines.offsets, lines.day, lines.amount)

    points, rows = reference_inputs(lines, *inputs, sample)
    variants = {name: (lambda variant=variant: variant(fresh(), *inputs)) for name, variant in VARIANTS.items()}
    variants["reference"] = lambda: run_reference(points, rows)
    if args.before:
        before = load_before(args.before)
        table = lines.to_table()

        def before_lines():
            return before.build_lines(table.column("line_id"), table.column("datum"), table.column("aantal"))

        variants["before"] = lambda: run_module(before, before_lines(), *inputs, dictionary=False)
        variants["before_dict"] = lambda: run_module(before, before_lines(), *inputs, dictionary=True)
    per_row = {name: [] for name in variants}
    names = list(variants)
    for round_ in range(args.rounds):
        for name in names if round_ % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            variants[name]()
            per_row[name].append((time.perf_counter() - start) / (sample if name == "reference" else args.rows))
    print(check_agreement(run_engine(lines, *inputs, dictionary=True), run_reference(points, rows), sample))

    def ratio(slow: str, fast: str) -> float:  # median of the per-round ratios of time per row
        return median([a / b for a, b in zip(per_row[slow], per_row[fast])])

    labels = {
        "engine": "engine (status string)",
        "engine_dict": "engine (status dictionary, as the tables)",
        "fused": "fused NumPy, searchsorted",
        "fused_table": "fused NumPy, np.interp table",
        "reference": f"pure-Python reference ({sample:,} rows)",
        "before": "before (status string)",
        "before_dict": "before (status dictionary)",
    }
    print()
    print(f"{'variant':<42} {'rows/s':>12} {'ns/row':>7} {'vs fused':>9} {'vs table':>9} {'vs ref':>7}", end=" ")
    print(f"{'peak MiB':>9} {'peak/input':>11}")
    for name in names:
        memory = (memory_in_child(name, args.rows, args.seed)
                  if name in VARIANTS and not args.no_memory else None)
        peak = (
            f"{memory['peak_bytes'] / 2**20:9,.0f} {memory['peak_bytes'] / memory['input_bytes']:10.2f}x"
            if memory
            else f"{'-':>9} {'-':>11}"
        )
        print(
            f"{labels[name]:<42} {1 / median(per_row[name]):12,.0f} {median(per_row[name]) * 1e9:7.1f} "
            f"{ratio('fused', name):8.2f}x {ratio('fused_table', name):8.2f}x {ratio('reference', name):6.0f}x {peak}"
        )
    if args.before:
        print(f"\nafter vs before (median of per-round ratios): status string {ratio('before', 'engine'):.2f}x faster, "
              f"status dictionary {ratio('before_dict', 'engine_dict'):.2f}x faster")
    print("\ntargets: engine (status dictionary) >= 100x reference, >= 0.5x fused; peak < 3x input at 1 M rows")


if __name__ == "__main__":
    main()
