"""What the collector costs while a dataset is read, with and without ``collect_young`` (issue 16, target 2).

    .venv/bin/python benchmarks/bench_collect.py [DATASET] [--rounds 5] [--processes 1]

Runs ``load_dataset(DATASET, cache=False)`` in fresh processes, with the collector set as the command sets
it (``gc.set_threshold(100_000, 10, 10)``), alternately as shipped (``each``: the youngest generation
collected after every source file) and with ``collect_young`` replaced by a no-op (``none``: the collector's
own schedule), the order reversed every other round. Each process reports its CPU time, its wall time and
the CPU time its collections took (``gc.callbacks``); ``OPVANGKERN_PROCESSEN`` is set to ``--processes``
(1: this process reads every file; the worker's own collections are not seen). Prints the medians and the
median of the per-round ratios ``each / none``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import gc, json, sys, time
from pathlib import Path
gc.set_threshold(100_000, 10, 10)
import opvangkern.dataset.load as load
if sys.argv[2] == "none":
    load.collect_young = lambda: None
spent, started = [0.0, 0], [0.0]
def note(phase, info):
    if phase == "start":
        started[0] = time.process_time()  # CPU time: on a loaded machine a collection's wall time is the others'
    else:
        spent[0] += time.process_time() - started[0]
        spent[1] += 1
gc.callbacks.append(note)
cpu, wall = time.process_time(), time.perf_counter()
load.load_dataset(Path(sys.argv[1]), cache=False)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "gc": spent[0],
                  "collections": spent[1]}))
"""


def one(dataset: str, mode: str, processes: str) -> dict[str, float]:
    env = dict(os.environ, OPVANGKERN_PROCESSEN=processes)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([sys.executable, "-c", CHILD, dataset, mode], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", default="1")
    args = parser.parse_args(argv)
    if not Path(args.dataset).is_dir():
        print(f"no dataset at {args.dataset} (benchmarks/generate.py OUT --weeks 260 makes one)")
        return 2
    modes = ("each", "none")
    for mode in modes:
        one(args.dataset, mode, args.processes)  # bytecode, page cache
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for round_ in range(args.rounds):
        for mode in (modes if round_ % 2 == 0 else modes[::-1]):
            runs[mode].append(one(args.dataset, mode, args.processes))
    for mode in modes:
        found = runs[mode]
        print(f"{mode:5}  cpu {statistics.median(r['cpu'] for r in found):6.3f} s  "
              f"wall {statistics.median(r['wall'] for r in found):6.3f} s  "
              f"collector {statistics.median(r['gc'] for r in found):6.3f} s  "
              f"({statistics.median(r['collections'] for r in found):.0f} collections)")
    for key in ("cpu", "wall"):
        ratio = statistics.median(a[key] / b[key] for a, b in zip(runs["each"], runs["none"]))
        print(f"each / none, {key}: {ratio:.3f} (median of {args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
