"""The first dashboard of a dataset and the Parquet encoding of its tables, two trees side by side (issue 16).

    .venv/bin/python benchmarks/bench_dashboard.py --before OTHER_SRC --data DATASET [--data …] [--rounds 7]

Each round starts one child process per tree (``--before``'s ``src`` first on ``PYTHONPATH`` for "before",
this tree's for "after"; the order alternates round by round), each with its own cache folder
(``$OPVANGKERN_CACHE`` + ``-before``/``-after``, warmed by a first round that is not counted). A child
opens the dataset once and times, ``--repeat`` times each (the least CPU time of the process, and apart
from it the least wall time, is its figure: on a shared machine the least is what the code costs):

- ``dash-first``: ``Dataset.dashboard(gebied)`` with the dashboard memo emptied first, as the command
  computes it (once per process);
- ``dash-warm``: the same with the memo kept (a second area's dashboard, as the API computes it);
- ``parquet:<tabel>``: ``writers.parquet_bytes`` of each of the ten tables, in this thread;
- ``write``: ``writers.write_tables(…, "parquet")`` into a folder (the command's writing, with its threads).

Prints per dataset the medians over the rounds of both trees' figures and the median of the per-round ratios
(after / before): CPU time first, then wall time (``wall …``; ``write`` includes the helper thread's CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
import opvangkern
from opvangkern.output import writers

data, gebied, repeat, out = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
dataset = opvangkern.open_dataset(data, cache=True)
figures = {}

def timed(name, function):
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    figures[name] = min(cpu) * 1000
    figures["wall " + name] = min(wall) * 1000
    return result

def first():
    object.__setattr__(dataset, "_dashboard_memo", {})
    return dataset.dashboard(gebied)

dashboard = timed("dash-first", first)
timed("dash-warm", lambda: dataset.dashboard(gebied))
tables = dashboard.tables()
for name, table in tables.items():
    timed("parquet:" + name, lambda: writers.parquet_bytes(table))
timed("write", lambda: writers.write_tables(tables, out, "parquet"))
figures["_file"] = opvangkern.__file__
print(json.dumps(figures))
"""


def _pythonpath(src: Path) -> str:
    tree = src.parent
    paths = [src, *sorted((tree / "plugins").glob("*/src"))]
    return os.pathsep.join(str(p) for p in paths)


def _child(tree: str, src: Path, data: Path, gebied: str, repeat: int, cache: str, out: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=_pythonpath(src), OPVANGKERN_CACHE=f"{cache}-{tree}")
    done = subprocess.run([sys.executable, "-c", CHILD, str(data), gebied, str(repeat), str(out)],
                          env=env, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if not figures.pop("_file").startswith(str(src)):
        raise SystemExit(f"the {tree} child did not import opvangkern from {src}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the src folder of the tree to compare with")
    parser.add_argument("--data", type=Path, action="append", required=True)
    parser.add_argument("--gebied", default="NL01")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timings per figure in a child (the median counts)")
    args = parser.parse_args(argv)
    cache = os.environ.get("OPVANGKERN_CACHE") or tempfile.mkdtemp(prefix="bench-dashboard-")
    trees = {"before": args.before.resolve(), "after": ROOT / "src"}
    with tempfile.TemporaryDirectory() as folder:
        for data in args.data:
            for tree, src in trees.items():  # the caches warmed, not counted
                _child(tree, src, data, args.gebied, 1, cache, Path(folder) / tree)
            rounds: list[dict[str, dict]] = []
            for index in range(args.rounds):
                order = list(trees) if index % 2 == 0 else list(reversed(trees))
                rounds.append({tree: _child(tree, trees[tree], data, args.gebied, args.repeat, cache,
                                            Path(folder) / tree) for tree in order})
            print(f"\n{data.name} ({args.rounds} rounds, load average {os.getloadavg()[0]:.1f})")
            print(f"{'':28} {'before ms':>10} {'after ms':>10} {'after/before':>13}   (CPU time; wall below)")
            names = list(rounds[0]["before"])
            for name in [n for n in names if not n.startswith("wall ")] + [n for n in names if n.startswith("wall ")]:
                before = statistics.median(r["before"][name] for r in rounds)
                after = statistics.median(r["after"][name] for r in rounds)
                ratio = statistics.median(r["after"][name] / r["before"][name] for r in rounds)
                print(f"{name:28} {before:10.1f} {after:10.1f} {ratio:13.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
