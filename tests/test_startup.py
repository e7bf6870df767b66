"""What the one-shot command sets up for its own process (``opvangkern.cli.startup``, issue 16): Arrow's
system allocator unless the user chose a pool, nothing of it in a process that loaded pyarrow before (or
in the library alone), and output files byte for byte the same either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from opvangkern.cli.startup import ARROW_POOL_ENV


def run_python(code: str, env: dict[str, str] | None = None) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != ARROW_POOL_ENV}
    environment.update(env or {})
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=environment, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


COMMAND = """
    import contextlib, io, json, sys
    from opvangkern import cli
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main(["dashboard", "--format", "parquet", "--output", {out!r}])
        except SystemExit as exit:
            assert exit.code == 0, exit.code
    import pyarrow as pa
    print(json.dumps({{"pool": pa.default_memory_pool().backend_name}}))
"""


def test_the_command_uses_the_system_allocator(tmp_path):
    found = run_python(COMMAND.format(out=str(tmp_path / "uit")))
    assert found == {"pool": "system"}


def test_a_pool_the_user_chose_stays(tmp_path):
    found = run_python(COMMAND.format(out=str(tmp_path / "uit")), env={ARROW_POOL_ENV: "mimalloc"})
    assert found["pool"] == "mimalloc"


def test_a_process_that_loaded_pyarrow_first_is_left_alone(tmp_path):
    # A test or a script that calls main() in-process after using pyarrow: its pool is fixed already,
    # and the environment (inherited by what it starts) is not touched.
    found = run_python("import pyarrow as _pa; _before = _pa.default_memory_pool().backend_name\n"
                       + textwrap.dedent(COMMAND.format(out=str(tmp_path / "uit"))).replace(
                           '"pool":', '"before": _before, "set": %r in __import__("os").environ, "pool":' % ARROW_POOL_ENV))
    assert found["pool"] == found["before"]
    assert found["set"] is False


def test_the_library_alone_keeps_pyarrows_default(tmp_path):
    found = run_python("""
        import json, sys, opvangkern
        opvangkern.open_dataset().dashboard().tables()
        import pyarrow as pa
        print(json.dumps({"pool": pa.default_memory_pool().backend_name, "set": %r in __import__("os").environ}))
    """ % ARROW_POOL_ENV)
    assert found["set"] is False


def test_the_files_are_the_same_with_either_allocator(tmp_path):
    written = {}
    for pool in ("system", "mimalloc"):
        out = tmp_path / pool
        run_python(COMMAND.format(out=str(out)), env={ARROW_POOL_ENV: pool, "OPVANGKERN_CACHE": "uit"})
        written[pool] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert len(written["system"]) >= 5
    assert written["system"] == written["mimalloc"]


def test_the_lazy_workbook_scanner_has_the_modules_limits():
    # reading/sheet.py serves a CSV's two limits without importing xlsxscan (issue 16): the same values
    from opvangkern.reading import sheet, xlsxscan

    proxy = sheet._LazyXlsxscan
    assert (proxy.MAX_COLUMNS, proxy.MAX_CELLS) == (xlsxscan.MAX_COLUMNS, xlsxscan.MAX_CELLS)
    assert sheet._LazyXlsxscan().Refused is xlsxscan.Refused  # anything else is the module's


def test_a_csv_dataset_is_read_without_the_workbook_scanner():
    # The sample's files, like the national dataset's, are all CSV: reading them (without the cache, so
    # that every file is parsed) needs neither xlsxscan nor zipfile.
    found = run_python("""
        import json, sys
        from opvangkern.dataset.load import load_dataset
        dataset = load_dataset()
        assert dataset.realisaties.num_rows > 0 and not dataset.has_errors
        print(json.dumps({"modules": sorted(m for m in sys.modules if m in ("zipfile", "opvangkern.reading.xlsxscan"))}))
    """)
    assert found["modules"] == []
