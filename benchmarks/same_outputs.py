"""Prove that a change left every output byte for byte the same: this tree against another (issue 16).

    .venv/bin/python benchmarks/same_outputs.py OTHER_SRC [--data NATIONAL]

``OTHER_SRC`` is the ``src`` folder of another checkout (``git archive main | tar -x -C /tmp/main``);
its ``plugins/*/src`` beside it are put on ``PYTHONPATH`` with it. Runs with both trees, each with its
own empty cache, the commands below, each without the cache (``--geen-cache``), then twice with it (the
second run served from the cache), and compares every written file, stdout and stderr (in stderr the
output folder's own name is replaced by ``UIT``):

- the national dataset (``generate.py``, or ``--data``): ``--gebied NL01 --format parquet``, ``--format
  arrow``, ``--format text``, ``--gebied PV22 --format csv``, ``check``;
- the bundled sample: ``--format parquet``, ``--format text``, ``check``; and ``bronnen``.

Prints each difference and ``0 verschillen`` when there is none (exit 0; exit 1 otherwise). An Arrow IPC
file whose bytes differ is no difference when it reads back to the same table (values, schema, field labels
and metadata; ``pa.ipc.open_file(...).read_all()``) and no Parquet reader would see another file: since the
eighth session the dashboard hands on ``realisaties`` as one chunk per column, so ``realisaties.arrow`` holds
one record batch where it held one per source file (``docs/decisions.md``). Such files are listed apart
(``zelfde tabel, andere batches``). Parquet files are compared byte for byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).parent


def commands(national: Path) -> dict[str, list[str]]:
    nat = str(national)
    return {
        "nat-parquet": ["dashboard", nat, "--gebied", "NL01", "--format", "parquet", "--output", "{out}"],
        "nat-arrow": ["dashboard", nat, "--gebied", "NL01", "--format", "arrow", "--output", "{out}"],
        "nat-text": ["dashboard", nat, "--gebied", "NL01", "--format", "text"],
        "nat-csv": ["dashboard", nat, "--gebied", "PV22", "--format", "csv", "--output", "{out}"],
        "nat-check": ["check", nat],
        "sample-parquet": ["dashboard", "--format", "parquet", "--output", "{out}"],
        "sample-text": ["dashboard"],
        "sample-check": ["check"],
        "bronnen": ["bronnen"],
    }


def run_all(national: Path, work: Path, pythonpath: str | None) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    env["OPVANGKERN_CACHE"] = str(work / "cache")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    found: dict[str, bytes] = {}
    for run in ("geen-cache", "cache-1", "cache-2"):
        for name, args in commands(national).items():
            out = work / f"{name}-{run}"
            argv = [a.replace("{out}", str(out)) for a in args]
            if run == "geen-cache" and argv[0] in ("dashboard", "check"):
                argv.append("--geen-cache")
            done = subprocess.run([str(BIN / "opvangkern"), *argv], env=env, capture_output=True)
            key = f"{run} {name}"
            found[f"{key} exit"] = str(done.returncode).encode()
            found[f"{key} stdout"] = done.stdout
            found[f"{key} stderr"] = done.stderr.replace(str(out).encode(), b"UIT")
            if out.is_dir():
                for path in sorted(out.iterdir()):
                    found[f"{key} {path.name}"] = path.read_bytes()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="the src folder of the other tree")
    parser.add_argument("--data", type=Path, help="the national dataset (default: generated)")
    args = parser.parse_args(argv)
    temp = Path(tempfile.mkdtemp(prefix="opvangkern-same-"))
    try:
        national = args.data
        if national is None:
            import generate

            national = temp / "nationaal"
            generate.generate(national, snapshots=1)
        other = args.other.resolve()
        plugins = sorted(str(p) for p in (other.parent / "plugins").glob("*/src"))
        theirs = run_all(national, temp / "theirs", os.pathsep.join([str(other), *plugins]))
        ours = run_all(national, temp / "ours", None)
        differences = sorted(k for k in set(theirs) | set(ours) if theirs.get(k) != ours.get(k))
        batches = [k for k in differences if k.endswith(".arrow") and _same_arrow_table(theirs.get(k), ours.get(k))]
        differences = [k for k in differences if k not in batches]
        for key in batches:
            print(f"zelfde tabel, andere batches: {key}")
        for key in differences:
            print(f"verschil: {key}")
        files = sum(1 for k in ours if not k.endswith((" exit", " stdout", " stderr")))
        print(f"{len(differences)} verschillen ({len(ours)} uitvoer vergeleken, waarvan {files} bestanden)")
        return 1 if differences else 0
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _same_arrow_table(a: bytes | None, b: bytes | None) -> bool:
    """Both are Arrow IPC files of the same table (values, schema and metadata), whatever their batches."""
    if a is None or b is None:
        return False
    import pyarrow as pa

    first, second = (pa.ipc.open_file(pa.py_buffer(data)).read_all() for data in (a, b))
    return first.schema.equals(second.schema, check_metadata=True) and first.equals(second, check_metadata=True)


if __name__ == "__main__":
    sys.exit(main())
