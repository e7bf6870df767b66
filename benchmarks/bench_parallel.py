"""Reading on two cores (issue 16): the command with one process and with the worker, interleaved.

    .venv/bin/python benchmarks/bench_parallel.py DATASET [--rounds 5] [--min-entries N]

Runs ``opvangkern dashboard DATASET --gebied NL01 --format parquet`` (cache off) in fresh processes, in
turn with ``OPVANGKERN_PROCESSEN=1`` (``seq``), ``=2`` (``par``: the worker however busy the machine is) and
unset (``auto``: only when a CPU is free); ``--min-entries``: the threshold set to N, to measure below the
default. The order changes every round. Per run: the wall time, the CPU time
of the command's own process (``main``: on a machine with a free second core, the wall time follows it) and
of its worker (``worker``). Prints the medians and the median of the per-round ratios to ``seq``. On a
shared machine the wall time measures the other users as much as this code: read the CPU times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402

CHILD = """
import json, resource, sys, time
import opvangkern.dataset.parallel as parallel
if {min_entries} is not None:
    parallel.MIN_ENTRIES = {min_entries}
from opvangkern.cli import main
sys.argv = ["opvangkern", "dashboard", {dataset!r}, "--gebied", "NL01", "--format", "parquet", "--output", {out!r}]
try:
    main()
except SystemExit:
    pass
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"main": me.ru_utime + me.ru_stime, "worker": kids.ru_utime + kids.ru_stime}}), file=sys.stderr)
"""


def run(code: str, env: dict[str, str]) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=True)
    wall = time.perf_counter() - start
    found = json.loads(done.stderr.strip().splitlines()[-1])
    return {"wall": wall, "main": found["main"], "worker": found["worker"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--min-entries", type=int, default=None)
    args = parser.parse_args(argv)
    out = tempfile.mkdtemp(prefix="bench-parallel-")
    env = dict(os.environ, OPVANGKERN_CACHE="uit")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", tempfile.mkdtemp(prefix="pyc-parallel-"))
    code = CHILD.format(dataset=str(Path(args.dataset).resolve()), out=out, min_entries=args.min_entries)
    envs = {"seq": dict(env, OPVANGKERN_PROCESSEN="1"), "par": dict(env, OPVANGKERN_PROCESSEN="2"), "auto": env}
    for name in envs:
        run(code, envs[name])  # once untimed: the bytecode cache, the page cache
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in envs}
    for r in range(args.rounds):
        for name in round_order(list(envs), r):
            runs[name].append(run(code, envs[name]))
    print(f"{args.dataset}: {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    for name, found in runs.items():
        line = []
        for part in ("wall", "main", "worker"):
            median = statistics.median(f[part] for f in found)
            line.append(f"{part} {median * 1000:6.0f} ms")
        ratios = [statistics.median(p["wall"] / s["wall"] for p, s in zip(found, runs["seq"])),
                  statistics.median(p["main"] / s["main"] for p, s in zip(found, runs["seq"])),
                  statistics.median((p["main"] + p["worker"]) / (s["main"] + s["worker"])
                                    for p, s in zip(found, runs["seq"]))]
        print(f"{name}: " + ", ".join(line) + f"; to seq: wall x{ratios[0]:.3f}, main CPU x{ratios[1]:.3f}, "
              f"all CPU x{ratios[2]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
