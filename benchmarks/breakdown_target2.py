"""Where target 2's command spends its time (issue 16): the 260-week command, cache off, step by step, in fresh
child processes, with the time at which both processes had read their last file.

    python benchmarks/breakdown_target2.py DATASET [--rounds 5] [--processes 2]

Each round a child runs what ``opvangkern dashboard DATASET --gebied NL01 --format parquet --output OUT`` runs
(the command itself, ``opvangkern.cli.main``, with ``OPVANGKERN_CACHE=uit``); it times each step by wrapping the
functions that make it (wall clock, and CPU time of this whole process, helper threads included;
``harness.time_steps``) and notes when ``Reading.results`` returned: the moment both processes had read their
last file. The parent prints the medians per step. The steps nest (a step's time includes the steps inside it);
the steps after the reading are what this script is for: the dataset-wide work of ``_read_files`` after the
last file, the dashboard and the writing. Nothing is changed in the library; the wrappers cost a few
microseconds per call (``_read_source`` is called 1,040 times).
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
    # (label, module, attribute path): the function wrapped
    ("imports (click, pyarrow, opvangkern)", None, None),
    ("load_dataset", "opvangkern.dataset.load", "load_dataset"),
    ("  manifest", "opvangkern.dataset.load", "parse_manifest"),
    ("  division", "opvangkern.dataset.load", "_choose_division"),
    ("  quota files", "opvangkern.dataset.load", "_read_quota"),
    ("  both processes reading (Reading.results)", "opvangkern.dataset.parallel", "Reading.results"),
    ("  outcomes recorded (_read_source)", "opvangkern.dataset.load", "_read_source"),
    ("  quota decision dates", "opvangkern.dataset.quota_checks", "decision_dates"),
    ("  tvs line merged", "opvangkern.dataset.contributed", "merge_contributed"),
    ("  opgaven mapped", "opvangkern.areas.history", "DivisionMapping.map_opgaven"),
    ("  merged after the division", "opvangkern.dataset.quota_checks", "merged_after_division"),
    ("  deliveries checked", "opvangkern.dataset.deliveries", "check_deliveries"),
    ("  realisaties mapped", "opvangkern.areas.history", "DivisionMapping.map_realisaties"),
    ("  far dates", "opvangkern.dataset.quota_checks", "far_dates"),
    ("  housing past the last half-year", "opvangkern.dataset.quota_checks", "housing_past_last_half_year"),
    ("  sums checked", "opvangkern.sums", "check_dataset"),
    ("  unlisted files", "opvangkern.dataset.unlisted", "unlisted_files"),
    ("  source infos", "opvangkern.dataset.load", "_source_infos"),
    ("dashboard", "opvangkern.dataset.load", "Dataset.dashboard"),
    ("  memo: dataset's shared part", "opvangkern.dashboard.memo", "DatasetShared.__init__"),
    ("  memo: history prepared", "opvangkern.dashboard.verloop", "PreparedHistory.__init__"),
    ("  verloop + prognose", "opvangkern.dashboard.verloop", "history_tables"),
    ("    keyed as-of table", "opvangkern.dashboard.verloop", "PreparedHistory.keyed"),
    ("    build_verloop", "opvangkern.dashboard.verloop", "build_verloop"),
    ("    build_prognose", "opvangkern.dashboard.verloop", "build_prognose"),
    ("coverage checked", "opvangkern.dashboard.coverage", "require_covered"),
    ("write_tables (parquet)", "opvangkern.output.writers", "write_tables"),
    ("total in process", None, None),
    ("after the last file read (to the end)", None, None),
]


def _child(folder: Path, out: Path, target: Path) -> None:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    from opvangkern.cli.startup import prepare_process

    prepare_process()  # as ``main`` does, before pyarrow loads (the wrappers below import it)
    from opvangkern import cli
    from opvangkern.dataset import load, parallel  # noqa: F401
    from opvangkern.output import writers  # noqa: F401

    times: dict[str, list[float]] = {STEPS[0][0]: [time.perf_counter() - wall0, time.process_time() - cpu0]}
    harness.time_steps([(label, module, path) for label, module, path in STEPS if module is not None], times)
    results = parallel.Reading.results
    read_end: list[float] = []

    def noted(self, *args, **kwargs):
        try:
            return results(self, *args, **kwargs)
        finally:
            read_end.append(time.perf_counter())

    parallel.Reading.results = noted
    sys.argv = ["opvangkern", "dashboard", str(folder), "--gebied", "NL01", "--format", "parquet",
                "--output", str(target)]
    try:
        cli.main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    end = time.perf_counter()
    times["total in process"] = [end - wall0, time.process_time() - cpu0]
    if read_end:
        times["after the last file read (to the end)"] = [end - read_end[-1], 0.0]
    out.write_text(json.dumps(times))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, nargs="?")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=2, help="OPVANGKERN_PROCESSEN (default 2)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.out, args.target)
        return 0
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env["OPVANGKERN_CACHE"] = "uit"
    env["OPVANGKERN_PROCESSEN"] = str(args.processes)
    found: list[dict[str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="breakdown2-") as temp:
        work = Path(temp)
        env.setdefault("PYTHONPYCACHEPREFIX", str(work / "pycache"))

        def run() -> dict[str, list[float]]:
            out = work / "times.json"
            subprocess.run([sys.executable, __file__, "--child", str(args.dataset), "--out", str(out),
                            "--target", str(work / "uit")], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return json.loads(out.read_text())

        run()  # the bytecode
        for _ in range(args.rounds):
            found.append(run())
    print(f"{args.rounds} rounds; {args.processes} processes; load average at the end {os.getloadavg()[0]:.1f}; "
          f"medians in ms, wall / cpu")
    for label, _, _ in STEPS:
        wall = statistics.median(r.get(label, [0.0, 0.0])[0] for r in found) * 1000
        cpu = statistics.median(r.get(label, [0.0, 0.0])[1] for r in found) * 1000
        print(f"{label:48s} {wall:8,.0f} / {cpu:6,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
