"""Where the time of reading on two cores goes (issue 16): a timeline of both processes.

    .venv/bin/python benchmarks/timeline_parallel.py DATASET [--rounds 3]

Runs the command (``opvangkern dashboard DATASET --gebied NL01 --format parquet``, cache off,
``OPVANGKERN_PROCESSEN=2``) in a fresh process whose ``compute_source`` (in both processes), ``pack_tables``
(the worker; it writes its notes after each chunk, the packing of the notes included) and ``unpack_tables``
(this process's thread) note when they start and end (the worker's boot is the shipped one with these
wrappers put in first, as ``tests/test_parallel.py`` puts in its faults).
Prints, in seconds from the command's start (with ``PYTHONPATH`` pointing at another tree: that tree's):
when the worker was started and read its first file, when this process read its first and last source file
and the worker its last; per process the files read and the time spent reading them, the time spent packing
and unpacking outcomes, and what is left of the span
from its first to its last file (waiting, the thread, the pipes). The median over the rounds.
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

CHILD = """
import json, os, sys, time
start = time.time()
import opvangkern.dataset.load as load
import opvangkern.dataset.parallel as parallel
EVENTS = []
def note(kind, t0):
    EVENTS.append((kind, t0 - start, time.time() - start))
original = load.compute_source
def compute_source(*args, **kwargs):
    t0 = time.time()
    try:
        return original(*args, **kwargs)
    finally:
        note("main-read", t0)
load.compute_source = compute_source
unpack = getattr(parallel, "unpack_tables", None)  # (a tree before the sixth session pickles the tables)
def unpack_tables(*args):
    t0 = time.time()
    try:
        return unpack(*args)
    finally:
        note("unpack", t0)
if unpack is not None:
    parallel.unpack_tables = unpack_tables
spawned = []
worker_init = parallel.Worker.__init__
def init(self):
    spawned.append(time.time() - start)
    worker_init(self)
parallel.Worker.__init__ = init
os.environ["TIMELINE_FILE"] = {worker_file!r}
os.environ["TIMELINE_START"] = repr(start)
parallel._BOOT = parallel._BOOT.replace("from opvangkern.dataset.parallel import serve\\n", WRAP)
from opvangkern.cli import main
sys.argv = ["opvangkern", "dashboard", {dataset!r}, "--gebied", "NL01", "--format", "parquet", "--output", {out!r}]
try:
    main()
except SystemExit:
    pass
end = time.time() - start
print(json.dumps({{"events": EVENTS, "spawned": spawned, "end": end}}), file=sys.stderr)
"""

WRAP = r"""import json, time
import opvangkern.dataset.load as load
import opvangkern.dataset.parallel as parallel
from opvangkern.dataset.parallel import serve
START = float(os.environ["TIMELINE_START"])
EVENTS = []
def wrapped(function, kind):
    def call(*args, **kwargs):
        t0 = time.time()
        try:
            return function(*args, **kwargs)
        finally:
            EVENTS.append((kind, t0 - START, time.time() - START))
    return call
load.compute_source = wrapped(load.compute_source, "worker-read")
def flush():  # per chunk: the worker is killed once it is no longer needed
    with open(os.environ["TIMELINE_FILE"], "a") as handle:
        handle.writelines(json.dumps(event) + "\n" for event in EVENTS)
    EVENTS.clear()
if hasattr(parallel, "pack_tables"):
    pack = wrapped(parallel.pack_tables, "pack")
    def pack_tables(*args):
        try:
            return pack(*args)
        finally:
            flush()
    parallel.pack_tables = pack_tables
else:  # a tree before the sixth session: after each chunk's read of its last entry's file
    _compute = load.compute_source
    def compute_and_flush(*args, **kwargs):
        try:
            return _compute(*args, **kwargs)
        finally:
            flush()
    load.compute_source = compute_and_flush
"""


def one_run(dataset: str, out: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        worker_file = os.path.join(tmp, "worker.json")
        code = CHILD.format(worker_file=worker_file, dataset=dataset, out=out).replace(
            "WRAP)", repr(WRAP) + ")")
        env = dict(os.environ, OPVANGKERN_PROCESSEN="2", OPVANGKERN_CACHE="uit")
        done = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=True)
        main = json.loads(done.stderr.strip().splitlines()[-1])
        worker = [json.loads(line) for line in open(worker_file)] if os.path.exists(worker_file) else []
    events = main["events"] + worker

    def spans(kind: str) -> list[tuple[float, float]]:
        return [(a, b) for k, a, b in events if k == kind]

    mine, theirs = spans("main-read"), spans("worker-read")
    found = {"worker started": main["spawned"][0] if main["spawned"] else float("nan"),
             "main first file": mine[0][0], "worker first file": theirs[0][0] if theirs else float("nan"),
             "main last file": mine[-1][1], "worker last file": theirs[-1][1] if theirs else float("nan"),
             "command end": main["end"], "main files": len(mine), "worker files": len(theirs),
             "main reading": sum(b - a for a, b in mine), "worker reading": sum(b - a for a, b in theirs),
             "worker packing": sum(b - a for a, b in spans("pack")),
             "main unpacking": sum(b - a for a, b in spans("unpack"))}
    found["main other"] = found["main last file"] - found["main first file"] - found["main reading"]
    if theirs:
        found["worker other"] = (found["worker last file"] - found["worker first file"] - found["worker reading"]
                                 - found["worker packing"])
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as out:
        one_run(args.dataset, out)  # bytecode, page cache
        runs = []
        for _ in range(args.rounds):
            runs.append(one_run(args.dataset, out))
            time.sleep(0.5)
    for name in runs[0]:
        value = statistics.median(r[name] for r in runs)
        print(f"{name:20} {value:9.0f}" if name.endswith("files") else f"{name:20} {value:9.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
