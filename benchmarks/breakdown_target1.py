"""Where target 1's command spends its time (issue 16): the national one-snapshot dashboard, cache off, step by
step, in fresh child processes, beside its floor.

    python benchmarks/breakdown_target1.py --data DIR [--rounds 7]

``DIR`` is a national one-snapshot dataset (``benchmarks/generate.py DIR``). Each round runs, in alternating
order, ``python -c pass`` (the interpreter's start), ``python -c "import pyarrow.parquet"`` (target 1's floor) and
a child that does what ``opvangkern dashboard DIR --gebied NL01 --format parquet --output TMP`` does with the
cache off: it sets the process up as the command does (``cli.startup.prepare_process``), imports ``pyarrow`` and
its Parquet writer (the part of the imports the floor pays too), imports the rest of what the command loads
before it reads a file, then runs ``opvangkern.cli.main`` with the functions that make each step wrapped
(``harness.time_steps``: wall clock and the process's CPU time). Prints the median of each step in ms, and what
the floor leaves for everything beyond it under target 1 (1.5× the floor). The steps nest; modules a step
imports on first use are in that step. The child's own imports (``argparse``, ``json``) are before its clock
starts, and the command would load some of them too: the steps add up to a little less than the command.
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

import harness

STEPS = [
    # (label, module, attribute path): the function wrapped; None: timed by the child itself
    ("pyarrow and its Parquet writer (the floor's part)", None, None),
    ("the command's other imports", None, None),
    ("load_dataset", "opvangkern.dataset.load", "load_dataset"),
    ("  the division", "opvangkern.dataset.load", "_choose_division"),
    ("  the quota files", "opvangkern.dataset.load", "_read_quota"),
    ("  the source files", "opvangkern.dataset.load", "compute_source"),
    ("dashboard", "opvangkern.dataset.load", "Dataset.dashboard"),
    ("write_tables (parquet)", "opvangkern.output.writers", "write_tables"),
    ("total (in process)", None, None),
]


def _child(folder: Path, out: Path) -> None:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    from opvangkern.cli.startup import prepare_process

    prepare_process()
    import pyarrow  # noqa: F401
    import pyarrow._parquet  # noqa: F401

    wall1, cpu1 = time.perf_counter(), time.process_time()
    import opvangkern.cli
    import opvangkern.dataset.load  # noqa: F401
    import opvangkern.output.writers  # noqa: F401

    wall2, cpu2 = time.perf_counter(), time.process_time()
    times: dict[str, list[float]] = {STEPS[0][0]: [wall1 - wall0, cpu1 - cpu0],
                                     STEPS[1][0]: [wall2 - wall1, cpu2 - cpu1]}
    harness.time_steps([step for step in STEPS if step[1] is not None], times)
    with tempfile.TemporaryDirectory() as target:
        try:
            opvangkern.cli.main(["dashboard", str(folder), "--gebied", "NL01", "--format", "parquet",
                                 "--output", str(Path(target) / "uit")])
        except SystemExit as stop:
            if stop.code not in (0, None):
                raise
    times[STEPS[-1][0]] = [time.perf_counter() - wall0, time.process_time() - cpu0]
    out.write_text(json.dumps(times))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a national one-snapshot dataset (required)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.out)
        return 0
    if args.data is None:
        parser.error("--data DIR is required")
    with tempfile.TemporaryDirectory(prefix="breakdown1-") as temp:
        env = harness.child_env(Path(temp) / "pycache")
        out = Path(temp) / "times.json"
        commands = {
            "start": [sys.executable, "-c", "pass"],
            "floor": [sys.executable, "-c", "import pyarrow.parquet"],
            "command": [sys.executable, __file__, "--child", str(args.data), "--out", str(out)],
        }
        for command in commands.values():  # bytecode, and the files in the page cache
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        steps: list[dict[str, list[float]]] = []
        for _, name in harness.interleaved(list(commands), args.rounds):
            walls[name].append(harness.timed(commands[name], env))
            if name == "command":
                steps.append(json.loads(out.read_text()))
    ms = {name: statistics.median(values) * 1000 for name, values in walls.items()}
    print(f"{args.rounds} rounds; load average at the end {os.getloadavg()[0]:.1f}; medians in ms")
    print(f"python -c pass {ms['start']:,.0f}; import pyarrow.parquet (the floor) {ms['floor']:,.0f}; "
          f"the child, start to end {ms['command']:,.0f} ({ms['command'] / ms['floor']:.2f}x the floor)")
    print(f"{'step':52s} {'wall':>7s} {'cpu':>7s}")
    for label, _, _ in STEPS:
        wall = statistics.median(r.get(label, [0.0, 0.0])[0] for r in steps) * 1000
        cpu = statistics.median(r.get(label, [0.0, 0.0])[1] for r in steps) * 1000
        print(f"{label:52s} {wall:7,.0f} {cpu:7,.0f}")
    budget = 1.5 * ms["floor"] - ms["floor"]
    print(f"target 1 (1.5x the floor) leaves {budget:,.0f} ms for everything the command does beyond the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
