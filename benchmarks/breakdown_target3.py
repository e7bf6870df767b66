"""Where target 3's command spends its time (issue 16): the 260-week dashboard after one new file against the
one-snapshot dashboard, both with a warm cache, step by step, in fresh child processes.

    python benchmarks/breakdown_target3.py --data DIR --rounds 5

``DIR`` holds ``nationaal-260-weken`` and ``nationaal`` (copied to a temporary folder first; the source is never
written). Each round the latest COA file of the copy gets another blank line (a new hash, the same figures), then
a child runs what ``opvangkern dashboard MAP --gebied NL01 --format parquet`` runs (``load_dataset`` with the
cache, ``Dataset.dashboard``, ``writers.write_tables``), once for the history and once for the one snapshot, the
order alternating. The child times each step by wrapping the functions that make it (wall clock, and CPU time of
the whole process, helper threads included) and prints them; the parent prints the medians per step for both
datasets and their difference: what the history costs beyond one snapshot, step by step. The steps nest (a
step's time includes the steps inside it), and each is timed where it runs: the pack's helper thread shows as
the wait for it. Nothing is changed in the library; the wrappers cost a few microseconds per call.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

STEPS = [
    # (label, module, attribute path): the function wrapped
    ("imports", None, None),
    ("load_dataset", "opvangkern.dataset.load", "load_dataset"),
    ("  pack read (wait for the helper)", "opvangkern.dataset.cache", "FileCache._the_pack"),
    ("  manifest (memo)", "opvangkern.dataset.whole", "parse_manifest_cached"),
    ("  division", "opvangkern.dataset.load", "_choose_division"),
    ("  entries served from the pack", "opvangkern.dataset.warm", "WarmSources.serve"),
    ("  a file read (not served)", "opvangkern.dataset.cache", "cached_source"),
    ("  tvs line (memo)", "opvangkern.dataset.whole", "merge_contributed_cached"),
    ("  plugins (entry points)", "opvangkern.sources.manager", "plugin_manager"),
    ("  quota files", "opvangkern.dataset.load", "_read_quota"),
    ("  quota decision dates (memo)", "opvangkern.dataset.whole", "decision_dates_cached"),
    ("  opgaven mapped", "opvangkern.areas.history", "DivisionMapping.map_opgaven"),
    ("  merged after the division", "opvangkern.dataset.quota_checks", "merged_after_division"),
    ("  deliveries checked", "opvangkern.dataset.deliveries", "check_deliveries"),
    ("  realisaties mapped", "opvangkern.areas.history", "DivisionMapping.map_realisaties"),
    ("  far dates", "opvangkern.dataset.quota_checks", "far_dates"),
    ("  housing past the last half-year", "opvangkern.dataset.quota_checks", "housing_past_last_half_year"),
    ("  housing rows missing", "opvangkern.dataset.quota_checks", "housing_rows_missing"),
    ("  sums checked", "opvangkern.sums", "check_dataset"),
    ("  unlisted files", "opvangkern.dataset.unlisted", "unlisted_files"),
    ("  cache finish (pack delta)", "opvangkern.dataset.cache", "FileCache.finish"),
    ("dashboard", "opvangkern.dataset.load", "Dataset.dashboard"),
    ("  memo: dataset's shared part", "opvangkern.dashboard.memo", "DatasetShared.__init__"),
    ("  memo: history prepared", "opvangkern.dashboard.verloop", "PreparedHistory.__init__"),
    ("  verloop + prognose", "opvangkern.dashboard.verloop", "history_tables"),
    ("    keyed as-of table", "opvangkern.dashboard.verloop", "PreparedHistory.keyed"),
    ("    build_verloop", "opvangkern.dashboard.verloop", "build_verloop"),
    ("    build_prognose", "opvangkern.dashboard.verloop", "build_prognose"),
    ("write_tables (parquet)", "opvangkern.output.writers", "write_tables"),
    ("  encode realisaties", None, "realisaties"),
    ("  encode verloop", None, "verloop"),
    ("total", None, None),
]


def _child(folder: Path, out: Path) -> None:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    from opvangkern.dataset import load
    from opvangkern.output import writers

    times: dict[str, list[float]] = {"imports": [time.perf_counter() - wall0, time.process_time() - cpu0]}
    harness.time_steps([(label, module, path) for label, module, path in STEPS if module is not None], times)
    encode = writers.ENCODERS["parquet"]

    def encode_named(table, *hint):
        wall, cpu = time.perf_counter(), time.thread_time()
        data = encode(table, *hint)
        label = {417_820: "  encode realisaties", 329_420: "  encode verloop"}.get(table.num_rows)
        if label is not None:
            times[label] = [time.perf_counter() - wall, time.thread_time() - cpu]  # this thread's CPU
        return data

    writers.ENCODERS["parquet"] = encode_named
    with tempfile.TemporaryDirectory() as target:
        dataset = load.load_dataset(folder, cache=True)  # the wrapped one
        dash = dataset.dashboard("NL01")
        writers.write_tables(dash.tables(), Path(target) / "uit", "parquet", encoded=dash.parquet_hints())
    times["total"] = [time.perf_counter() - wall0, time.process_time() - cpu0]
    out.write_text(json.dumps(times))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="holds nationaal-260-weken and nationaal")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.out)
        return 0
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    with tempfile.TemporaryDirectory(prefix="breakdown3-") as temp:
        work = Path(temp)
        history, single = work / "nationaal-260-weken", work / "nationaal"
        shutil.copytree(args.data / history.name, history)
        shutil.copytree(args.data / single.name, single)
        latest = sorted((history / "bronnen").glob("coa-*.csv"))[-1]
        original = latest.read_bytes()
        env["OPVANGKERN_CACHE"] = str(work / "cache")

        def run(folder: Path) -> dict[str, list[float]]:
            out = work / "times.json"
            subprocess.run([sys.executable, __file__, "--child", str(folder), "--out", str(out)], env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return json.loads(out.read_text())

        for folder in (history, single, history, single):  # fill the cache (and the bytecode)
            run(folder)
        found: dict[str, list[dict[str, list[float]]]] = {history.name: [], single.name: []}
        for i in range(args.rounds):
            latest.write_bytes(original + b"\n" * (i + 1))
            for folder in ((history, single) if i % 2 == 0 else (single, history)):
                found[folder.name].append(run(folder))
    print(f"{args.rounds} rounds; load average at the end {os.getloadavg()[0]:.1f}; medians in ms, wall / cpu")
    print(f"{'step':36s} {'260 after one new file':>22s} {'one snapshot':>16s} {'difference':>16s}")

    def median(name: str, label: str, which: int) -> float:
        return statistics.median(r.get(label, [0.0, 0.0])[which] for r in found[name]) * 1000

    for label, _, _ in STEPS:
        h = [median(history.name, label, k) for k in (0, 1)]
        s = [median(single.name, label, k) for k in (0, 1)]
        print(f"{label:36s} {h[0]:10,.0f} / {h[1]:7,.0f} {s[0]:7,.0f} / {s[1]:6,.0f} "
              f"{h[0] - s[0]:7,.0f} / {h[1] - s[1]:6,.0f}")
    ratio = statistics.median(a["total"][0] / b["total"][0] for a, b in zip(found[history.name], found[single.name]))
    print(f"ratio 260 / 1 (in process, without the interpreter's start): {ratio:.2f}x wall")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
