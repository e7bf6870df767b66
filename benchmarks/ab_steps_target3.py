"""Target 3's command step by step for two trees, interleaved (issue 16, fourteenth session): the main thread's
own CPU time per step, which the other helpers' load on a shared machine disturbs far less than wall time.

    python benchmarks/ab_steps_target3.py --before /tmp/before/src --data DIR --rounds 7

``DIR`` holds ``nationaal-260-weken`` and ``nationaal`` (copied to a temporary folder first). Each tree keeps its own
cache (filled by untimed runs). Each round the latest COA file of the copy gets other bytes (blank lines appended),
then both trees run the history dashboard, then both the one-snapshot dashboard (``opvangkern dashboard MAP --gebied
NL01 --format parquet``, in process through ``cli.main`` as the console script runs it), the order of the trees
alternating. A child wraps the functions of each step (``STEPS``; a step the tree does not have is left out) and
adds the main thread's ``time.thread_time`` spent in them: helper threads and waits are not in it (the pack's read
and digest, the columns ahead, the encodings). Printed: per step the medians for both trees and datasets and the
median of the per-round ratios after / before; ``proc_cpu`` is the whole child's CPU (``os.wait4``), ``total`` the
main thread's from the start of the child.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STEPS = [
    ("load_dataset", "opvangkern.dataset.load", "load_dataset"),
    ("  _read_files", "opvangkern.dataset.load", "_read_files"),
    ("    entries served from the pack", "opvangkern.dataset.warm", "WarmSources.serve"),
    ("    the new file read", "opvangkern.dataset.cache", "cached_source"),
    ("    guard (outside the folder)", "opvangkern.dataset.guards", "FileGuard.outside"),
    ("    quota decision dates", "opvangkern.dataset.quota_checks", "decision_dates"),
    ("    quota decision dates (memo)", "opvangkern.dataset.whole", "decision_dates_cached"),
    ("    tvs line (memo)", "opvangkern.dataset.whole", "merge_contributed_cached"),
    ("    merged after the division", "opvangkern.dataset.quota_checks", "merged_after_division"),
    ("    deliveries checked", "opvangkern.dataset.deliveries", "check_deliveries"),
    ("    realisaties mapped", "opvangkern.areas.history", "DivisionMapping.map_realisaties"),
    ("    housing past the last half-year", "opvangkern.dataset.quota_checks", "housing_past_last_half_year"),
    ("    housing rows missing", "opvangkern.dataset.quota_checks", "housing_rows_missing"),
    ("    housing counts restart", "opvangkern.dataset.quota_checks", "housing_counts_restart"),
    ("    sums checked", "opvangkern.sums", "check_dataset"),
    ("  cache finish (pack delta)", "opvangkern.dataset.cache", "FileCache.finish"),
    ("dashboard", "opvangkern.dataset.load", "Dataset.dashboard"),
    ("write_tables", "opvangkern.output.writers", "write_tables"),
]


def _child(folder: Path, out: Path) -> None:
    cpu0 = time.thread_time()
    from opvangkern import cli

    main = threading.main_thread()
    times: dict[str, float] = {}
    for label, module, path in STEPS:
        owner = importlib.import_module(module)
        *parents, name = path.split(".")
        for part in parents:
            owner = getattr(owner, part)
        function = getattr(owner, name, None)
        if function is None:  # a step this tree does not have
            continue

        def timed(*args, __function=function, __label=label, **kwargs):
            if threading.current_thread() is not main:
                return __function(*args, **kwargs)
            cpu = time.thread_time()
            try:
                return __function(*args, **kwargs)
            finally:
                times[__label] = times.get(__label, 0.0) + time.thread_time() - cpu

        setattr(owner, name, functools.wraps(function)(timed))
    cli._ONE_SHOT[0] = True  # as the console script: the start frozen, the columns ahead
    with tempfile.TemporaryDirectory() as target:
        try:
            cli.main(["dashboard", str(folder), "--gebied", "NL01", "--format", "parquet", "--output",
                      str(Path(target) / "uit")])
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise
    times["total"] = time.thread_time() - cpu0
    out.write_text(json.dumps(times))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the src folder of the tree before")
    parser.add_argument("--data", type=Path, help="holds nationaal-260-weken and nationaal")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.out)
        return 0
    before = args.before.resolve()
    paths = [before, *sorted((before.parent / "plugins").glob("*/src"))]
    with tempfile.TemporaryDirectory(prefix="ab-steps3-") as temp:
        work = Path(temp)
        history, single = work / "nationaal-260-weken", work / "nationaal"
        shutil.copytree(args.data / history.name, history)
        shutil.copytree(args.data / single.name, single)
        latest = sorted((history / "bronnen").glob("coa-*.csv"))[-1]
        original = latest.read_bytes()

        def run(tree: str, folder: Path) -> dict[str, float]:
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
            env.update(OPVANGKERN_CACHE=str(work / f"cache-{tree}"), PYTHONPYCACHEPREFIX=str(work / f"pyc-{tree}"))
            if tree == "before":
                env["PYTHONPATH"] = os.pathsep.join(map(str, paths))
            out = work / "times.json"
            child = subprocess.Popen([sys.executable, __file__, "--child", str(folder), "--out", str(out)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            if status != 0:
                raise RuntimeError(f"the {tree} tree's child failed on {folder.name}")
            found = json.loads(out.read_text())
            found["proc_cpu"] = usage.ru_utime + usage.ru_stime
            return found

        trees = ("before", "after")
        for tree in trees:  # fill each cache (and the bytecode)
            for folder in (history, single, history, single):
                run(tree, folder)
        found: dict[tuple[str, str], list[dict[str, float]]] = {(t, f.name): [] for t in trees for f in (history, single)}
        for i in range(args.rounds):
            latest.write_bytes(original + b"\n" * (i + 1))
            order = trees if i % 2 == 0 else trees[::-1]
            for folder in (history, single):
                for tree in order:
                    found[(tree, folder.name)].append(run(tree, folder))
    print(f"{args.rounds} rounds; load average at the end {os.getloadavg()[0]:.1f}; medians, ms of the main thread's CPU")
    print(f"{'step':38s} {'260 before':>10s} {'after':>8s} {'ratio':>6s}   {'1 before':>8s} {'after':>7s}")
    for label in [*(label for label, _, _ in STEPS), "total", "proc_cpu"]:
        def med(tree: str, name: str) -> float:
            return statistics.median(r.get(label, 0.0) for r in found[(tree, name)]) * 1000

        pairs = [(a.get(label, 0.0), b.get(label, 0.0)) for a, b in zip(found[("after", history.name)],
                                                                       found[("before", history.name)])]
        ratio = statistics.median(a / b for a, b in pairs) if all(b for _, b in pairs) else float("nan")
        print(f"{label:38s} {med('before', history.name):10,.1f} {med('after', history.name):8,.1f} {ratio:6.3f}   "
              f"{med('before', single.name):8,.1f} {med('after', single.name):7,.1f}")
    for tree in trees:
        cpu = statistics.median(a["proc_cpu"] / b["proc_cpu"] for a, b in zip(found[(tree, history.name)],
                                                                           found[(tree, single.name)]))
        print(f"{tree}: 260 / 1, the whole child's CPU: {cpu:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
