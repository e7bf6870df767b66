"""The reading kit's cost per file, this tree against another (issue 16, target 2), interleaved.

    python benchmarks/bench_kit.py DATASET --before TREE [--rounds 4] [--every 13] [--passes 9]

Each round runs, in turn (the order reversed every other round), one fresh process per tree that reads
every ``--every``-th CSV file under ``DATASET/bronnen`` with its source's adapter (no manifest, no quota
files, no dashboard) ``--passes`` times and reports the fastest pass's CPU time per file: the minimum
filters out the bursts of a shared machine, and after the first pass the memos are warm in both trees
alike, so what is compared is the per-row work. ``TREE`` is a checkout of another commit: its ``src`` and
``plugins/*/src`` are put first on ``PYTHONPATH``. Prints each round and the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import round_order  # noqa: E402

CHILD = """
import glob, io, sys, time
from opvangkern.areas import load_division
from opvangkern.sources.adapter import Source
from opvangkern.sources.manager import new_plugin_manager
folder, every, passes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
division = load_division()
adapters = {a.name: a for found in new_plugin_manager().hook.opvangkern_source_adapters() for a in found}
files = sorted(glob.glob(folder + "/bronnen/*.csv"))[::every]
datas = [(open(f, "rb").read(), f.rsplit("/", 1)[-1]) for f in files]
best = float("inf")
for _ in range(passes):
    start = time.process_time()
    for data, name in datas:
        adapters[name.split("-")[0]].read(Source(io.BytesIO(data), name, division=division))
    best = min(best, time.process_time() - start)
print(len(datas), best / len(datas) * 1000)
"""


def tree_env(tree: Path | None, pycache: str) -> dict[str, str]:
    env = {**os.environ, "OPVANGKERN_CACHE": "uit", "PYTHONPYCACHEPREFIX": pycache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if tree is not None:
        paths = [tree / "src", *sorted((tree / "plugins").glob("*/src"))]
        env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="a checkout of another commit")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--every", type=int, default=13, help="read every N-th file (default 13)")
    parser.add_argument("--passes", type=int, default=9, help="passes per process; the fastest counts")
    args = parser.parse_args(argv)
    pycache = tempfile.mkdtemp(prefix="opvangkern-bench-kit-")
    envs = {"voor": tree_env(args.before, pycache), "nu": tree_env(None, pycache)}

    def run(name: str) -> tuple[int, float]:
        done = subprocess.run([sys.executable, "-c", CHILD, str(args.dataset), str(args.every), str(args.passes)],
                              env=envs[name], capture_output=True, text=True, check=True)
        files, per_file = done.stdout.split()
        return int(files), float(per_file)

    for name in envs:  # bytecode compiled once, outside the timing
        run(name)
    times: dict[str, list[float]] = {name: [] for name in envs}
    for r in range(args.rounds):
        for name in round_order(list(envs), r):
            files, per_file = run(name)
            times[name].append(per_file)
        print(f"round {r + 1}: before {times['voor'][-1]:.2f} ms, now {times['nu'][-1]:.2f} ms per file "
              f"({files} files) -> {times['nu'][-1] / times['voor'][-1]:.3f}", flush=True)
    ratio = statistics.median(n / b for n, b in zip(times["nu"], times["voor"]))
    print(f"median CPU per file: before {statistics.median(times['voor']):.2f} ms, now "
          f"{statistics.median(times['nu']):.2f} ms; median ratio now/before {ratio:.3f}; "
          f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
