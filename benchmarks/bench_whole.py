"""Target 3's warm load, whole: ``load_dataset(folder, cache=True)`` in process, before and after (issue 16).

    python benchmarks/bench_whole.py --before /work/main/src --rounds 7 [--history DIR] [--single DIR]

Each round runs one child process per (variant, case), the order alternating round by round (``harness.round_order``);
``before`` puts that ``src`` first on ``PYTHONPATH``, ``after`` is this worktree. Every variant keeps its own warm
cache (filled by two untimed runs per case). The cases: ``touched`` — a copy of the 260-week history whose latest
COA file gets a blank line before every round (a new hash, the same figures: the one new delivery of target 3);
``same`` — the same copy again, nothing changed; ``single`` — the one-snapshot dataset. A child times one warm load
(after its imports) and prints wall and CPU time. Reported: per case the medians and the median of the per-round
ratios after / before, and per variant the history's load as a ratio to its one-snapshot load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402

CHILD = r"""
import sys, time
from opvangkern.dataset.load import load_dataset
start, cpu = time.perf_counter(), time.process_time()
dataset = load_dataset(sys.argv[1], cache=True)
total, cpu = time.perf_counter() - start, time.process_time() - cpu
print(total, cpu, dataset.realisaties.num_rows, len(dataset.melding_list))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--single", default="/tmp/bench_w/keep/nationaal")
    parser.add_argument("--before", required=True, help="the src folder of the code before")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-whole-"))
    history = work / "data"
    shutil.copytree(args.history, history)
    latest = sorted((history / "bronnen").glob("coa-*"))[-1]
    child = work / "child.py"
    child.write_text(CHILD)
    here = Path(__file__).resolve().parent.parent / "src"
    variants = {"before": str(Path(args.before).resolve()), "after": str(here)}
    folders = {"touched": history, "same": history, "single": Path(args.single)}
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pyc")

    def run(name: str, case: str) -> tuple[float, float, str]:
        child_env = dict(env, PYTHONPATH=variants[name], OPVANGKERN_CACHE=str(work / f"cache-{name}"))
        done = subprocess.run([sys.executable, str(child), str(folders[case])], env=child_env, capture_output=True,
                              text=True, check=True)
        total, cpu, rows, meldingen = done.stdout.split()
        return float(total), float(cpu), f"{rows} rows, {meldingen} meldingen"

    for name in variants:
        for case in ("same", "single"):
            run(name, case)  # fills the variant's cache
            run(name, case)
    runs = [(name, case) for case in folders for name in variants]
    wall: dict[tuple[str, str], list[float]] = {run_: [] for run_ in runs}
    cpu: dict[tuple[str, str], list[float]] = {run_: [] for run_ in runs}
    for round_ in range(args.rounds):
        with open(latest, "ab") as handle:
            handle.write(b"\n")
        for name in round_order(list(variants), round_):
            for case in ("touched", "same", "single"):  # the changed file always meets the history first
                total, spent, what = run(name, case)
                wall[(name, case)].append(total)
                cpu[(name, case)].append(spent)
                print(f"round {round_} {name:6s} {case:7s} {total * 1000:7.1f} ms (CPU {spent * 1000:7.1f} ms; {what})",
                      flush=True)
    for label, measured in (("wall", wall), ("CPU", cpu)):
        for case in folders:
            a, b = measured[("after", case)], measured[("before", case)]
            ratio = statistics.median(x / y for x, y in zip(a, b))
            print(f"{label} {case:7s}: before {statistics.median(b) * 1000:7.1f} ms, after "
                  f"{statistics.median(a) * 1000:7.1f} ms; after / before {ratio:.3f}")
        for name in variants:
            ratio = statistics.median(x / y for x, y in zip(measured[(name, "touched")], measured[(name, "single")]))
            print(f"{label} {name:6s}: 260 weeks after one new file / one snapshot {ratio:.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
