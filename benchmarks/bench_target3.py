"""Target 3's command, before and after, interleaved (issue 16): the 260-week dashboard after one new file
and the one-snapshot dashboard, both with a warm cache, for two trees in the same run.

    python benchmarks/bench_target3.py --before /tmp/before/src --rounds 9 --data DIR

``DIR`` holds ``nationaal-260-weken`` and ``nationaal`` (``generate.py``, or ``run.py --keep``); they are copied to
a temporary folder first (the source is never written). ``before`` puts that ``src`` (and the tree's
``plugins/*/src`` beside it) first on ``PYTHONPATH``,
``after`` is this worktree's ``opvangkern``; each tree keeps its own cache (filled by untimed runs). Each round
the latest COA file of the copy gets other bytes (blank lines appended: a new hash, the same figures), then every
tree runs the history dashboard (the changed file meets it first) and then the one-snapshot dashboard, the order
of the trees alternating round by round. Reported: medians of wall and CPU time (``os.wait4`` of the child), each
tree's ratio history ÷ one snapshot (target 3), and after ÷ before per case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, type=Path, help="the src folder of the tree before")
    parser.add_argument("--data", required=True, type=Path, help="holds nationaal-260-weken and nationaal")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    with tempfile.TemporaryDirectory(prefix="target3-") as temp:
        work = Path(temp)
        history, single = work / "nationaal-260-weken", work / "nationaal"
        shutil.copytree(args.data / history.name, history)
        shutil.copytree(args.data / single.name, single)
        latest = sorted((history / "bronnen").glob("coa-*.csv"))[-1]
        original = latest.read_bytes()
        # the tree's own adapters too: an adapter of one tree may use kit functions the other's core lacks
        plugins = sorted(str(p.resolve()) for p in args.before.parent.glob("plugins/*/src"))
        trees = {"before": os.pathsep.join([str(args.before.resolve()), *plugins]), "after": None}

        def run(tree: str, folder: Path) -> tuple[float, float]:
            child = dict(env, OPVANGKERN_CACHE=str(work / f"cache-{tree}"))
            if trees[tree]:
                child["PYTHONPATH"] = trees[tree]
            start = time.perf_counter()
            process = subprocess.Popen([str(BIN / "opvangkern"), "dashboard", str(folder), "--gebied", "NL01",
                                        "--format", "parquet", "--output", str(work / f"uit-{tree}-{folder.name}")],
                                       env=child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{tree} {folder.name}: exit {os.waitstatus_to_exitcode(status)}")
            return time.perf_counter() - start, usage.ru_utime + usage.ru_stime

        for tree in trees:  # fill each cache
            run(tree, history)
            run(tree, single)
            run(tree, single)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for i in range(args.rounds):
            latest.write_bytes(original + b"\n" * (i + 1))
            order = list(trees) if i % 2 == 0 else list(trees)[::-1]
            for folder in (history, single):
                for tree in order:
                    times.setdefault((tree, folder.name), []).append(run(tree, folder))
    print(f"{args.rounds} rounds; load average at the end {os.getloadavg()[0]:.1f}")
    for tree in trees:
        h, s = times[(tree, history.name)], times[(tree, single.name)]
        print(f"{tree:7s} 260 after one new file: wall {statistics.median(x[0] for x in h) * 1000:,.0f} ms, "
              f"cpu {statistics.median(x[1] for x in h) * 1000:,.0f} ms; one snapshot: wall "
              f"{statistics.median(x[0] for x in s) * 1000:,.0f} ms, "
              f"cpu {statistics.median(x[1] for x in s) * 1000:,.0f} ms;"
              f" 260 / 1: wall {statistics.median(a[0] / b[0] for a, b in zip(h, s)):.2f}x, "
              f"cpu {statistics.median(a[1] / b[1] for a, b in zip(h, s)):.2f}x")
    for folder in (history.name, single.name):
        a, b = times[("before", folder)], times[("after", folder)]
        print(f"after / before, {folder}: wall {statistics.median(y[0] / x[0] for x, y in zip(a, b)):.3f}x, "
              f"cpu {statistics.median(y[1] / x[1] for x, y in zip(a, b)):.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
