"""The one-shot command's start out of the collector's reach before the first file (issue 16, eleventh session,
perf11d): ``opvangkern.cli.main`` on the process's own command line lets the load ``gc.freeze`` before its first
quota file (``dataset.load.FREEZE_BEFORE_FILES``), and the worker process freezes once it is ready. The
collections after each file (``load.collect_young``) then walk what the files made, not the ~20,000-100,000
objects of the start. Nothing else changes: the same files byte for byte, the same output; a caller of the
Python API, or of ``main`` with its arguments, keeps its collector as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from opvangkern import cli
from opvangkern.dataset import load
from opvangkern.dataset.load import load_dataset, sample_path

from .test_parallel import forced, generated  # noqa: F401 - forced is a fixture

RUN = """
import gc, json, sys
import opvangkern.dataset.load as load
seen = []
def noting(original):
    def wrapped(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        return original(*args, **kwargs)
    return wrapped
load._read_quota = noting(load._read_quota)
load.compute_source = noting(load.compute_source)
from opvangkern.cli import main
notes, mode = sys.argv.pop(1), sys.argv.pop(1)
sys.argv[0] = "opvangkern"
try:
    if mode == "own":
        main()  # the console script: the process's own command line
    else:
        main(sys.argv[1:])  # with its arguments, as a script or a test calls it: nothing frozen
finally:
    open(notes, "w").write(json.dumps(seen))
"""


def _command(mode: str, args: list[str], work: Path, env: dict[str, str] | None = None):
    notes = work / f"notes-{mode}.json"
    child = {k: v for k, v in os.environ.items() if k != "OPVANGKERN_DEBUG"}
    child.update(env or {})
    done = subprocess.run([sys.executable, "-c", RUN, str(notes), mode, *args], capture_output=True, env=child,
                          cwd=work, timeout=300)
    return done, json.loads(notes.read_text())


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_command_freezes_its_start_before_the_first_file_and_writes_the_same(fmt, tmp_path):
    found = {}
    for mode in ("own", "arguments"):
        out = tmp_path / mode / "uit"
        out.parent.mkdir(parents=True)
        done, seen = _command(mode, ["dashboard", str(sample_path()), "--format", fmt, "--output", str(out),
                                     "--geen-cache"], out.parent)
        assert done.returncode == 0, done.stderr
        assert seen, "the sample's quota and source files were read"
        found[mode] = (seen, done.stdout, done.stderr.replace(str(out).encode(), b"OUT"), _files(out))
    # before: 0 frozen objects at every file (the start of the command stayed in the young generation)
    assert min(found["own"][0]) > 10_000, found["own"][0][:3]
    assert found["arguments"][0] == [0] * len(found["arguments"][0])
    assert found["own"][1:] == found["arguments"][1:]
    assert len(found["own"][3]) == 10


def test_the_worker_freezes_once_it_is_ready(tmp_path):
    """The second process (``OPVANGKERN_PROCESSEN=2``, enough entries) reads its files with its start frozen:
    its boot notes the freeze count at every file it reads and sends them back as its stderr would not."""
    folder = generated(tmp_path / "ds", snapshots=60)  # 240 source files: more than MIN_ENTRIES
    notes = tmp_path / "worker-notes"
    from opvangkern.dataset import parallel

    boot = parallel._BOOT.replace("from opvangkern.dataset.parallel import serve\n", (
        "import gc, os\n"
        "import opvangkern.dataset.load as load\n"
        "from opvangkern.dataset.parallel import serve\n"
        "original = load.compute_source\n"
        "def compute_source(*args, **kwargs):\n"
        f"    with open({str(notes)!r}, 'a') as f: f.write(str(gc.get_freeze_count()) + chr(10))\n"
        "    return original(*args, **kwargs)\n"
        "load.compute_source = compute_source\n"))
    assert boot != parallel._BOOT
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "from opvangkern.dataset import parallel\n"
        f"parallel.worker_command = lambda r, w: [sys.executable, '-c', {boot!r}, str(r), str(w)]\n"
        "from opvangkern.cli import main\n"
        "sys.argv = ['opvangkern', 'check', sys.argv[1], '--geen-cache']\n"
        "main()\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "OPVANGKERN_DEBUG"}
    env["OPVANGKERN_PROCESSEN"] = "2"
    done = subprocess.run([sys.executable, str(script), str(folder)], capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = [int(line) for line in notes.read_text().split()] if notes.exists() else []
    if not counts:
        pytest.skip("no second process on this machine (one core, or the load too high)")
    assert min(counts) > 10_000  # before: 0 (nothing frozen in the worker)


def test_the_python_api_and_main_with_arguments_freeze_nothing(tmp_path, monkeypatch, forced):  # noqa: F811
    import gc

    monkeypatch.setattr(cli, "_ONE_SHOT", [False])
    monkeypatch.setattr(load, "FREEZE_BEFORE_FILES", [False])
    before = gc.get_freeze_count()
    load_dataset(generated(tmp_path / "ds"), cache=False)
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", str(sample_path()), "--geen-cache"])
    assert stop.value.code in (0, None)
    assert gc.get_freeze_count() == before and load.FREEZE_BEFORE_FILES == [False]
