"""Interleaved A/B of shell commands by wall time and by CPU time (user + system of the child), issue 16.

    .venv/bin/python benchmarks/ab_cpu.py ROUNDS NAME=CMD NAME=CMD ...

Each command runs once before timing; then ROUNDS rounds, the order reversed every other round. Prints
per command the median wall and CPU time and the median of the per-round ratios to the first command.
On a shared machine whose load changes from second to second the CPU time (``os.wait4``'s rusage of that
one child) moves far less than the wall time: another developer's test suite slows a run's wall clock,
hardly its own CPU seconds. (``wait4`` of the shell counts the command it waited for.)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import round_order  # noqa: E402


def run(cmd: str, env: dict[str, str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(["/bin/sh", "-c", cmd], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def main(argv: list[str]) -> int:
    rounds = int(argv[0])
    commands = dict(a.split("=", 1) for a in argv[1:])
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", tempfile.mkdtemp(prefix="pyc-ab-"))
    for cmd in commands.values():
        run(cmd, env)
    wall: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    for r in range(rounds):
        for name in round_order(list(commands), r):
            w, c, code = run(commands[name], env)
            if code != 0:
                print(f"{name}: exit {code}", file=sys.stderr)
            wall[name].append(w)
            cpu[name].append(c)
    base = next(iter(commands))
    for name in commands:
        rw = statistics.median(a / b for a, b in zip(wall[name], wall[base]))
        rc = statistics.median(a / b for a, b in zip(cpu[name], cpu[base]))
        print(f"{name:12s} wall {statistics.median(wall[name]) * 1000:8.0f} ms (x{rw:.3f})   "
              f"cpu {statistics.median(cpu[name]) * 1000:8.0f} ms (x{rc:.3f})   ratios to {base}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
