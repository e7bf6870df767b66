"""What every benchmark script measures with: child processes, their peak memory, interleaved rounds.

One place for the rules of ``docs/performance.md`` ("How to measure"), so that ``run.py``, ``startup.py``,
``bench_ingest.py`` and ``bench_history.py`` time their variants the same way:

- ``interleaved(names, rounds)`` and ``round_order``: the order of the variants in each round, reversed
  every other round (A B C, then C B A, ...), so that no variant always runs first or last;
- ``run_once(command, env)``: a child's wall time and the peak resident set of that process alone;
- ``timed(command, env)``: a child's wall time (it must succeed);
- ``child_env`` and ``tree_env``: bytecode cached outside the source tree, the cache of parsed files off
  (a first run), and another checkout's code first on ``PYTHONPATH``;
- ``time_steps(steps, times)``: inside a child, wrap the functions that make each step of a command so that
  they add their wall and CPU time to ``times`` (``breakdown_target1.py``, ``breakdown_target3.py``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

TIME = Path("/usr/bin/time")
# Without GNU time: a small Python launcher that runs the command and reports RUSAGE_CHILDREN, its one child.
LAUNCHER = ("import resource, subprocess, sys\n"
            "code = subprocess.call(sys.argv[2:])\n"
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "sys.exit(code)\n")


def same_result(a, b) -> bool:
    """Two adapter results of one file are the same (``opvangkern.testing.assert_same_result``: the tables
    with their metadata, the meldingen in order, the peildatum, the counts, the contributed ``opgaven``)."""
    from opvangkern.testing import assert_same_result

    try:
        assert_same_result(a, b)
    except AssertionError:
        return False
    return True


def median(values) -> float:
    return statistics.median(values)


def ratios(a: list[float], b: list[float]) -> list[float]:
    return [x / y for x, y in zip(a, b)]


def round_order(names: Sequence[T], round_: int) -> Sequence[T]:
    """The order of the variants in round ``round_``: as given in even rounds, reversed in odd ones."""
    return names if round_ % 2 == 0 else names[::-1]


def interleaved(names: Sequence[T], rounds: int) -> Iterator[tuple[int, T]]:
    """``(round, name)`` for every round, in ``round_order``."""
    for round_ in range(rounds):
        for name in round_order(names, round_):
            yield round_, name


def child_env(pycache: Path, cache: str = "uit") -> dict[str, str]:
    """This environment with the children's bytecode cached under ``pycache`` (an installed package has its
    ``.pyc`` files; nothing is written into the source tree) and ``OPVANGKERN_CACHE=cache``: by default
    off, so every timed round parses every file as a first run does."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.pop("OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD", None)
    env["OPVANGKERN_CACHE"] = cache
    return env


def tree_env(env: dict[str, str], tree: Path) -> dict[str, str]:
    """``env`` with another checkout's code first on ``PYTHONPATH``: its ``src`` and its plugins'
    ``plugins/*/src``. ``tree`` is the checkout or its ``src`` folder."""
    tree = tree.resolve()
    root = tree.parent if tree.name == "src" else tree
    paths = [str(root / "src"), *sorted(str(p) for p in (root / "plugins").glob("*/src"))]
    return dict(env, PYTHONPATH=os.pathsep.join(paths))


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run ``command``; its wall time and the peak resident set of that process alone.

    The peak comes from ``/usr/bin/time -f %M`` (else a small Python launcher's ``RUSAGE_CHILDREN``):
    the measured process is forked from that small process. A child forked from the benchmark process
    itself would report the benchmark's resident set as its own peak (the high-water mark is carried
    over the fork and ``exec``), so neither ``os.wait4`` nor ``RUSAGE_CHILDREN`` there would do.
    """
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "maxrss"
        if TIME.is_file() and os.access(TIME, os.X_OK):
            wrapped = [str(TIME), "-q", "-f", "%M", "-o", str(peak_file), *command]
        else:
            wrapped = [sys.executable, "-c", LAUNCHER, str(peak_file), *command]
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            code = subprocess.call(wrapped, env=env, stdout=subprocess.DEVNULL, stderr=errors)
            elapsed = time.perf_counter() - start
            if code != 0:
                errors.seek(0)
                raise SystemExit(f"{' '.join(command)} failed ({code}):\n"
                                 f"{errors.read().decode(errors='replace')[-4000:]}")
        peak = int(peak_file.read_text(encoding="utf-8").split()[-1]) * 1024  # kilobytes on Linux
    return elapsed, peak


def timed(command: list[str], env: dict[str, str]) -> float:
    """The wall time of ``command``, which must succeed (else the run ends with its error output)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def compare_commands(commands: dict[str, list[str]], rounds: int,
                     env: dict[str, str]) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    """Run every command once (warm-up, bytecode), then ``rounds`` times interleaved; the times and
    the peak RSS per command, per round."""
    for command in commands.values():
        run_once(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, list[int]] = {name: [] for name in commands}
    for _, name in interleaved(list(commands), rounds):
        elapsed, peak = run_once(commands[name], env)
        times[name].append(elapsed)
        rss[name].append(peak)
    return times, rss


def time_steps(steps: Sequence[tuple[str, str, str]], times: dict[str, list[float]]) -> None:
    """Wrap each ``(label, module, "Class.function")`` so that its calls in the main thread add their wall
    and CPU time (the whole process's, helper threads included) to ``times[label]``. Calls from other threads
    are not timed: a step is timed where it runs, so a helper thread's work shows as the main thread's wait
    for it. A step's time includes the steps called inside it. The wrappers cost a few microseconds a call."""
    import functools
    import importlib
    import threading

    main = threading.main_thread()
    for label, module, path in steps:
        owner = importlib.import_module(module)
        *parents, name = path.split(".")
        for part in parents:
            owner = getattr(owner, part)
        function = getattr(owner, name)

        def timed(*args, __function=function, __label=label, **kwargs):
            if threading.current_thread() is not main:
                return __function(*args, **kwargs)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return __function(*args, **kwargs)
            finally:
                spent = times.setdefault(__label, [0.0, 0.0])
                spent[0] += time.perf_counter() - wall
                spent[1] += time.process_time() - cpu

        setattr(owner, name, functools.wraps(function)(timed))
