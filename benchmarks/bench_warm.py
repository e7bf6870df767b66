"""Target 3's load, before and after: a warm ``load_dataset(folder, cache=True)`` in process (issue 16).

    python benchmarks/bench_warm.py --before /work/main/src --rounds 7 [FOLDER]

Each round runs one child process per variant (``before``: that ``src`` first on ``PYTHONPATH``; ``after``:
this worktree), in alternating order; every variant has its own warm cache (filled by a first, untimed
run). A child times one warm ``load_dataset`` and, inside it, ``merge_contributed`` (another part's work),
and prints both; the figure reported is the load without it, as the median of the per-round ratios.
``--touch`` appends a blank line to the latest COA file of a *copy* of the dataset before every round
(a new hash, the same figures: the "one new delivery" of target 3), so that each load reads one file again.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import os, sys, time
import opvangkern.dataset.contributed as contributed
from opvangkern.dataset.load import load_dataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402
spent = [0.0, 0.0]
original = contributed.merge_contributed
def timed(*args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    try:
        return original(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - start
        spent[1] += time.process_time() - cpu
contributed.merge_contributed = timed
start, cpu = time.perf_counter(), time.process_time()
dataset = load_dataset(sys.argv[1], cache=True)
total, cpu = time.perf_counter() - start, time.process_time() - cpu
print(total, spent[0], cpu, spent[1], dataset.realisaties.num_rows, len(dataset.melding_list))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--before", required=True, help="the src folder of the code before")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--touch", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-warm-"))
    folder = Path(args.folder)
    latest = None
    if args.touch:
        shutil.copytree(folder, work / "data")
        folder = work / "data"
        coa = sorted((folder / "bronnen").glob("coa-*"))
        latest = coa[-1] if coa else None
    child = work / "child.py"
    child.write_text(CHILD)
    here = Path(__file__).resolve().parent.parent / "src"
    variants = {"before": str(Path(args.before).resolve()), "after": str(here)}
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pyc")

    def run(name: str) -> tuple[float, float, float, float, str]:
        child_env = dict(env, PYTHONPATH=variants[name], OPVANGKERN_CACHE=str(work / f"cache-{name}"))
        done = subprocess.run([sys.executable, str(child), str(folder)], env=child_env, capture_output=True,
                              text=True, check=True)
        total, contributed, cpu, cpu_contributed, rows, meldingen = done.stdout.split()
        return float(total), float(contributed), float(cpu), float(cpu_contributed), f"{rows} rows, {meldingen} meldingen"

    for name in variants:
        run(name)  # fills the variant's cache
        run(name)
    times: dict[str, list[float]] = {name: [] for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(args.rounds):
        if latest is not None:
            with open(latest, "ab") as handle:
                handle.write(b"\n")
        order = round_order(list(variants), round_)
        for name in order:
            total, contributed, cpu, cpu_contributed, what = run(name)
            times[name].append(total - contributed)
            cpus[name].append(cpu - cpu_contributed)
            print(f"round {round_} {name:6s} load {total * 1000:7.1f} ms, without merge_contributed "
                  f"{(total - contributed) * 1000:7.1f} ms (CPU {(cpu - cpu_contributed) * 1000:7.1f} ms; {what})",
                  flush=True)
    for label, measured in (("wall", times), ("CPU", cpus)):
        ratio = statistics.median(a / b for a, b in zip(measured["after"], measured["before"]))
        medians = ", ".join(f"{name} {statistics.median(values) * 1000:.1f} ms" for name, values in measured.items())
        print(f"{label}: {medians}; after / before {ratio:.3f} (median of {args.rounds} per-round ratios)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
