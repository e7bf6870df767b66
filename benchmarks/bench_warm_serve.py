"""The served-entry step of a warm load (``opvangkern.dataset.warm``) against the whole path, in one process,
interleaved (issue 16, target 3).

    python benchmarks/bench_warm_serve.py --data DIR/nationaal-260-weken --rounds 15

The dataset is copied to a temporary folder (the source is never written) and loaded once to fill a cache of
its own. Each round appends a blank line to the copy's latest COA file (a new hash, the same figures: the one
new delivery), then loads it with the step and without it (``warm.ENABLED``), the order alternating round
by round, each load with a new ``FileCache`` on the same folder (the helper threads as the command starts
them: ``cache.resolve``). Reported: medians of wall and CPU time (``time.process_time``: every thread of the
process) of ``load_dataset``, and of the per-round ratios. ``--no-change``: no file changed (every entry served).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-change", action="store_true")
    args = parser.parse_args(argv)
    from opvangkern.cli.startup import prepare_process

    prepare_process()
    gc.set_threshold(100_000, 10, 10)  # as the command (opvangkern.cli.main)
    from opvangkern.dataset import warm
    from opvangkern.dataset.cache import resolve
    from opvangkern.dataset.load import load_dataset

    with tempfile.TemporaryDirectory(prefix="warm-serve-") as temp:
        folder = Path(temp) / args.data.name
        shutil.copytree(args.data, folder)
        cache_folder = Path(temp) / "cache"
        latest = sorted((folder / "bronnen").glob("coa-*.csv"))[-1]
        load_dataset(folder, cache=resolve(cache_folder, folder))
        load_dataset(folder, cache=resolve(cache_folder, folder))
        times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for i in range(args.rounds):
            for enabled in ((True, False) if i % 2 == 0 else (False, True)):
                if not args.no_change:
                    with open(latest, "ab") as handle:
                        handle.write(b"\n")
                warm.ENABLED = enabled
                wall, cpu = time.perf_counter(), time.process_time()
                load_dataset(folder, cache=resolve(cache_folder, folder))
                times[enabled].append((time.perf_counter() - wall, time.process_time() - cpu))
        warm.ENABLED = True
    print(f"{args.rounds} rounds, {'nothing changed' if args.no_change else 'one changed file'}; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    for enabled, name in ((False, "whole path"), (True, "served step")):
        rows = times[enabled]
        print(f"{name:12s} load_dataset: wall {statistics.median(r[0] for r in rows) * 1000:,.0f} ms, "
              f"cpu {statistics.median(r[1] for r in rows) * 1000:,.0f} ms")
    pairs = list(zip(times[True], times[False]))
    print(f"step / whole path (median of the rounds): wall {statistics.median(a[0] / b[0] for a, b in pairs):.3f}x, "
          f"cpu {statistics.median(a[1] / b[1] for a, b in pairs):.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
