"""Reading a history against the pyarrow CSV floor (issue 16), interleaved, in fresh processes.

    python benchmarks/bench_ingest.py DATASET [--rounds 3] [--before TREE] [--dashboard]

Per round, in one interleaved sequence (reversed every other round): ``benchmarks/floor_csv.py DATASET`` (the floor: every CSV file
parsed by pyarrow's C++ reader in one process), then **reading**: one process that reads every
``[[bron]]`` file of the manifest with its adapter (what ``open_dataset`` spends on the source files;
no quota files, no dashboard), with this tree's code and, given ``--before TREE`` (a checkout of another
commit), with that tree's code (its ``src`` and ``plugins/*/src`` put first on ``PYTHONPATH``).
``--dashboard`` adds the whole command (``opvangkern dashboard DATASET --gebied NL01 --format parquet``,
cache off). Prints the medians of wall and CPU time (user + system of the child) and of the per-round
ratios against the floor. Make a dataset with ``benchmarks/generate.py OUT --weeks 260``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import interleaved, tree_env  # noqa: E402

READ_ALL = """
import sys
from pathlib import Path
from opvangkern.areas import load_division
from opvangkern.dataset.manifest import parse_manifest
from opvangkern.sources.adapter import Source
from opvangkern.sources.manager import new_plugin_manager
folder = Path(sys.argv[1])
manifest, _ = parse_manifest((folder / "opvangkern.toml").read_text(encoding="utf-8"), "bench")
division = load_division()
adapters = {a.name: a for found in new_plugin_manager().hook.opvangkern_source_adapters() for a in found}
rows = 0
for e in manifest.bronnen:
    result = adapters[e.bron].read(Source(folder / e.bestand, e.bestand, blad=e.blad, peildatum=e.peildatum,
                                          maat=e.maat, division=division))
    rows += result.realisaties.num_rows
print(len(manifest.bronnen), "files,", rows, "rows")
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def checkout_env(tree: Path | None) -> dict[str, str]:
    """The cache off (every file parsed); with ``tree``, that checkout's code first on ``PYTHONPATH``."""
    env = {**os.environ, "OPVANGKERN_CACHE": "uit"}
    return env if tree is None else tree_env(env, tree)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a checkout of another commit, measured beside this one")
    parser.add_argument("--dashboard", action="store_true", help="also time the whole dashboard command")
    args = parser.parse_args(argv)
    py = sys.executable
    cases: list[tuple[str, list[str], dict[str, str]]] = [
        ("floor (pyarrow.csv)", [py, str(HERE / "floor_csv.py"), str(args.dataset)], checkout_env(None)),
        ("reading (this tree)", [py, "-c", READ_ALL, str(args.dataset)], checkout_env(None)),
    ]
    if args.before is not None:
        cases.append(("reading (--before)", [py, "-c", READ_ALL, str(args.dataset)], checkout_env(args.before)))
    if args.dashboard:
        out = tempfile.mkdtemp(prefix="bench-ingest-")
        command = [py, "-m", "opvangkern", "dashboard", str(args.dataset), "--gebied", "NL01", "--format", "parquet",
                   "--output", out]
        cases.append(("dashboard (this tree)", command, checkout_env(None)))
        if args.before is not None:
            cases.append(("dashboard (--before)", command, checkout_env(args.before)))
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in cases}
    for r, (name, cmd, env) in interleaved(cases, args.rounds):
        wall, cpu, out_text = run(cmd, env)
        times[name].append((wall, cpu))
        last = (out_text.splitlines() or [""])[-1][:60]
        print(f"round {r + 1}: {name:24} {wall:7.2f} s wall {cpu:7.2f} s cpu  {last}", flush=True)
    floor = times["floor (pyarrow.csv)"]
    print(f"\nmedians over {args.rounds} rounds (ratios: per round against that round's floor)")
    print(f"{'':24} {'wall':>8} {'cpu':>8} {'wall/floor':>11} {'cpu/floor':>10}")
    for name, pairs in times.items():
        wall = statistics.median(w for w, _ in pairs)
        cpu = statistics.median(c for _, c in pairs)
        rw = statistics.median(w / f[0] for (w, _), f in zip(pairs, floor))
        rc = statistics.median(c / f[1] for (_, c), f in zip(pairs, floor))
        print(f"{name:24} {wall:7.2f}s {cpu:7.2f}s {rw:10.1f}× {rc:9.1f}×")


if __name__ == "__main__":
    main()
