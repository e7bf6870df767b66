"""``import opvangkern`` stays light (SPEC §9): checked by what gets imported, not by timing.

Each check runs in a fresh interpreter (a subprocess), because this test process has long imported
everything. Heavy modules (pandas, pyarrow.compute, the Acero engine), the plugins, importlib.metadata
and the reference data must load only when something uses them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

PLUGINS = ("opvangkern_coa", "opvangkern_kcio", "opvangkern_tvs", "opvangkern_nidos")


def loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; return its top-level module names and a few facts."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        import json as _json, sys as _sys
        _areas = _sys.modules.get("opvangkern.areas")
        _divisions = _areas._load.cache_info().currsize if _areas is not None else 0
        print(_json.dumps({"modules": sorted(_sys.modules), "divisions": _divisions}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def heavy(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m in prefixes or m.startswith(tuple(p + "." for p in prefixes))]


def test_import_opvangkern_loads_nothing_heavy():
    found = loaded_after("import opvangkern")
    modules = found["modules"]
    assert heavy(modules, ("pandas", "pyarrow", "numpy", "polars")) == []
    assert heavy(modules, PLUGINS + ("pluggy", "importlib.metadata", "click", "attrs", "attr")) == []
    assert heavy(modules, ("opvangkern.areas", "opvangkern.sources", "opvangkern.dataset.load",
                           "opvangkern.dashboard.compute", "opvangkern.engine")) == []
    assert found["divisions"] == 0


def test_public_names_stay_lazy_until_used():
    # Touching the public API loads the dataset module, but neither plugins, nor reference data,
    # nor pyarrow.compute: those wait until a dataset is actually read.
    found = loaded_after("import opvangkern; opvangkern.open_dataset; opvangkern.Dashboard")
    modules = found["modules"]
    assert "opvangkern.dataset.load" in modules
    assert heavy(modules, ("pandas", "pyarrow.compute", "pyarrow.acero", "pyarrow.dataset", "pyarrow.parquet"))\
        == []
    assert heavy(modules, PLUGINS + ("pluggy", "importlib.metadata")) == []
    assert found["divisions"] == 0


def test_areas_module_reads_no_data_until_asked():
    found = loaded_after("import opvangkern.areas")
    assert found["divisions"] == 0
    assert heavy(found["modules"], ("difflib", "importlib.resources", "pyarrow")) == []


def test_cli_module_imports_no_arrow():
    # ``opvangkern --help`` and ``opvangkern bronnen`` need no Arrow at all.
    found = loaded_after("import opvangkern.cli")
    assert heavy(found["modules"], ("pyarrow", "numpy", "pandas")) == []
    assert heavy(found["modules"], PLUGINS) == []


@pytest.mark.parametrize("gebied", ["NL01"])
def test_a_dashboard_loads_no_pandas_nor_acero(gebied):
    found = loaded_after(f"""
        import opvangkern
        opvangkern.open_dataset().dashboard(gebied={gebied!r}).tables()
    """)
    modules = found["modules"]
    assert heavy(modules, ("pandas", "pyarrow.acero", "pyarrow.dataset")) == []
    assert set(PLUGINS) <= set(modules)  # the plugins did load, when they were needed
    assert found["divisions"] == 1


def test_the_command_line_loads_no_pandas(tmp_path):
    # pandas is in the test extra, so it is installed here: a one-shot command must still not load it
    found = loaded_after(f"""
        import contextlib, io
        from opvangkern import cli
        for args in (["dashboard"], ["dashboard", "--format", "xlsx", "--output", {str(tmp_path / 'd.xlsx')!r}],
                     ["check"], ["init", {str(tmp_path / 'start')!r}, "--gebied", "PV22"]):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                try:
                    cli.main(args)
                except SystemExit as exit:
                    assert exit.code == 0, (args, exit.code)
    """)
    assert heavy(found["modules"], ("pandas",)) == []


def test_to_pandas_loads_pandas_when_asked():
    pytest.importorskip("pandas")
    found = loaded_after("""
        import opvangkern
        frames = opvangkern.open_dataset().dashboard().to_pandas()
        assert str(frames["kaarten"]["realisatie"].dtype) == "Int64"
    """)
    assert "pandas" in found["modules"]


def test_the_parquet_command_loads_no_metadata_nor_html(tmp_path):
    # Issue 16: plugins are found without importlib.metadata (opvangkern.sources.entrypoints) and the
    # legenda's colours are read without importing the html package; the parquet path needs neither.
    found = loaded_after(f"""
        import contextlib, io
        from opvangkern import cli
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                cli.main(["dashboard", "--format", "parquet", "--output", {str(tmp_path / 'uit')!r}])
            except SystemExit as exit:
                assert exit.code == 0, exit.code
    """)
    modules = found["modules"]
    assert set(PLUGINS) <= set(modules)  # the plugins did load
    assert heavy(modules, ("importlib.metadata", "email", "importlib.resources", "opvangkern.output.html",
                           "pandas")) == []
    # Issue 16 (eighth session): the files are written by pyarrow's writer class itself; pyarrow.parquet
    # would load pyarrow.fs, its cloud file systems and ssl (~25 ms) for files written to a buffer.
    assert "pyarrow._parquet" in modules
    assert heavy(modules, ("pyarrow.parquet", "pyarrow.fs", "ssl")) == []


def test_the_national_parquet_command_loads_no_masked_arrays_nor_tokenizer(tmp_path):
    # Issue 16: pa.array(ndarray) and np.unique import numpy.ma (which parses ~120 signatures), and attrs
    # reading a builtin converter's signature compiles tokenize's large pattern: the one-shot national
    # command needs neither (tables.from_numpy, a Python converter in reading/columns.py).
    from pathlib import Path

    from opvangkern.testing import load_module

    generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nationaal")
    found = loaded_after(f"""
        import contextlib, io
        from opvangkern import cli
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                cli.main(["dashboard", {str(tmp_path / 'nationaal')!r}, "--gebied", "NL01", "--format", "parquet",
                          "--output", {str(tmp_path / 'uit')!r}, "--geen-cache"])
            except SystemExit as exit:
                assert exit.code == 0, exit.code
        import sys
        _tokenize = sys.modules.get("tokenize")
        assert _tokenize is None or _tokenize._compile.cache_info().currsize == 0, "tokenize's pattern compiled"
    """)
    assert (tmp_path / "uit" / "kaarten.parquet").is_file()
    assert heavy(found["modules"], ("numpy.ma", "hashlib")) == []  # hashlib: only a cache hashes
