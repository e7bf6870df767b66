"""The one-shot national command against its floor, in time and in peak memory (issue 16, targets 1 and 6).

    .venv/bin/python benchmarks/startup.py [--rounds N] [--data DIR] [--tree NAME=SRC ...]

Generates the national one-snapshot dataset (``generate.py``; or uses ``--data``), then runs, interleaved
round by round (the order reversed every other round), as separate processes:

- ``floor``: ``python -c "import pyarrow.parquet"``;
- ``cached``: ``opvangkern dashboard DATA --gebied NL01 --format parquet --output TMP`` with the persistent
  cache of parsed files filled by the warm-up (the honest default: a user's second run of a command);
- ``fresh``: the same with ``--geen-cache`` (every file parsed).

Each ``--tree NAME=SRC`` adds the two command variants once more with ``SRC`` (a checkout's ``src``
folder; its ``plugins/*/src`` beside it are used too) first on ``PYTHONPATH``: the way to measure a
change against the code before it in one run. Reports the median time of each variant, the median of the
per-round ratios to the floor, and the median peak RSS (of each child process alone, ``harness.run_once``)
with its ratio to the floor's, and for each ``--tree`` the median of the per-round ratios of this tree's
time to that tree's. Child processes write their bytecode under a temporary
``PYTHONPYCACHEPREFIX`` (an installed package has its ``.pyc`` files) and keep their cache in a temporary
folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import child_env, interleaved, run_once, tree_env  # noqa: E402

BIN = Path(sys.executable).parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--data", type=Path, help="the national dataset (default: generated into a temporary folder)")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=SRC",
                        help="also run the command with SRC first on PYTHONPATH (repeatable)")
    parser.add_argument("--no-fresh", action="store_true", help="skip the --geen-cache variants")
    args = parser.parse_args(argv)
    temp = Path(tempfile.mkdtemp(prefix="opvangkern-startup-"))
    try:
        data = args.data
        if data is None:
            import generate

            data = temp / "nationaal"
            generate.generate(data, snapshots=1)
        env = child_env(temp / "pycache", cache=str(temp / "cache"))
        env.pop("PYTHONPATH", None)
        command = [str(BIN / "opvangkern"), "dashboard", str(data), "--gebied", "NL01", "--format", "parquet",
                   "--output", str(temp / "uit")]
        variants: dict[str, tuple[list[str], dict[str, str]]] = {
            "floor": ([sys.executable, "-c", "import pyarrow.parquet"], env),
        }
        trees = [("", None)] + [tuple(t.split("=", 1)) for t in args.tree]
        for name, src in trees:
            tenv = env if src is None else tree_env(env, Path(src).resolve())
            suffix = f" [{name}]" if name else ""
            variants["cached" + suffix] = (command, tenv)
            if not args.no_fresh:
                variants["fresh" + suffix] = (command + ["--geen-cache"], tenv)
        for cmd, venv in variants.values():  # warm-up: bytecode, and the cache filled
            run_once(cmd, venv)
        times = {name: [] for name in variants}
        peaks = {name: [] for name in variants}
        names = list(variants)
        for _, name in interleaved(names, args.rounds):
            elapsed, peak = run_once(*variants[name])
            times[name].append(elapsed)
            peaks[name].append(peak)
        floor_t = statistics.median(times["floor"])
        floor_m = statistics.median(peaks["floor"])
        print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.rounds} interleaved rounds; "
              f"python {sys.version.split()[0]}")
        print(f"{'variant':<24} {'median':>9} {'ratio':>7} {'peak RSS':>9} {'ratio':>6}")
        for name in names:
            t = statistics.median(times[name])
            m = statistics.median(peaks[name])
            r = statistics.median(a / b for a, b in zip(times[name], times["floor"]))
            print(f"{name:<24} {t * 1000:7.0f} ms {r:6.2f}x {m / 2**20:6.1f} MB {m / floor_m:5.2f}x")
        print(f"(floor {floor_t * 1000:.0f} ms, {floor_m / 2**20:.1f} MB)")
        for name in names:  # each tree against the working tree, round by round
            if "[" not in name:
                continue
            base = name.split(" [")[0]
            r = statistics.median(a / b for a, b in zip(times[base], times[name]))
            print(f"{base} (this tree) / {name}: {r:.2f}x the time, "
                  f"{statistics.median(peaks[base]) / statistics.median(peaks[name]):.2f}x the peak RSS")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
