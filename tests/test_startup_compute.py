"""``pyarrow.compute`` without its generated parameter documentation in the one-shot command's process
(``opvangkern.cli.startup._PlainComputeDocs``, issue 16): the same module (every function, signature and
result), only shorter docstrings; pyarrow's own import when anything is unexpected; nothing of it in the
library alone or after ``main`` returns; and the command's files byte for byte the same either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from opvangkern.cli.startup import ARROW_POOL_ENV

# What a process knows of pyarrow.compute: every public function's signature and options class, and the
# results of calls that the dashboard makes (with options, keywords, an Expression, a Python-level wrapper).
DESCRIBE = """
    import inspect, json, sys
    import pyarrow as pa
    import pyarrow.compute as pc
    functions = {}
    for name in sorted(dir(pc)):
        obj = getattr(pc, name)
        if callable(obj) and hasattr(obj, "__arrow_compute_function__"):
            functions[name] = [str(inspect.signature(obj)), repr(obj.__arrow_compute_function__), obj.__name__]
    a = pa.array([3, None, 1, 3], pa.int64())
    calls = [
        pc.sum(a).as_py(), pc.max(a, skip_nulls=False).as_py(), pc.is_in(a, value_set=pa.array([3])).to_pylist(),
        pc.fill_null(a, 0).to_pylist(), pc.index_in(a, pa.array([1, 3])).to_pylist(),
        pc.cast(a, pa.float64()).to_pylist(), pc.take(a, pa.array([3, 0])).to_pylist(),
        pc.unique(a).to_pylist(), pc.and_(pa.array([True, False]), pa.array([True, True])).to_pylist(),
        str(pc.equal(pc.field("x"), 1)), pc.count(a, mode="all").as_py(),
        pa.table({"x": a}).filter(pc.field("x") == 3).num_rows,
    ]
    doc = pc.sum.__doc__
    unloaded = [m for m in ("pydoc", "pyarrow.vendored.docscrape") if m not in sys.modules]
    parser = pc.docscrape.NumpyDocString.__module__ + "." + pc.docscrape.NumpyDocString.__qualname__
    print(json.dumps({"functions": functions, "calls": calls, "loader": type(pc.__loader__).__name__,
                      "unloaded": unloaded, "parser": parser,
                      "spec_loader": type(pc.__spec__.loader).__name__, "doc_params": "skip_nulls :" in doc,
                      "finders": [type(f).__name__ for f in sys.meta_path]}))
"""


def run_python(code: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != ARROW_POOL_ENV}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=environment, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


PREPARED = "from opvangkern.cli.startup import prepare_process\nprepare_process()\n"


def test_the_same_module_with_shorter_docstrings():
    plain = run_python(DESCRIBE)
    prepared = run_python(PREPARED + textwrap.dedent(DESCRIBE))
    assert len(plain["functions"]) > 200
    assert prepared["functions"] == plain["functions"]
    assert prepared["calls"] == plain["calls"]
    assert plain["doc_params"] is True and prepared["doc_params"] is False  # the one difference
    # numpydoc's parser and pydoc were not loaded for it; pyarrow.compute.docscrape is the real module on use
    assert plain["unloaded"] == [] and prepared["unloaded"] == ["pydoc", "pyarrow.vendored.docscrape"]
    assert prepared["parser"] == plain["parser"] == "pyarrow.vendored.docscrape.NumpyDocString"
    assert prepared["loader"] == prepared["spec_loader"] == plain["loader"] == "SourceFileLoader"


def test_a_parser_loaded_before_is_restored():
    # Someone loaded the vendored parser first: it is replaced only while pyarrow.compute executes.
    found = run_python(PREPARED + "import pyarrow.vendored.docscrape as d\n_before = d.NumpyDocString\n"
                       + textwrap.dedent(DESCRIBE).replace('"parser": parser,',
                                                           '"parser": parser, "same": d.NumpyDocString is _before,'))
    assert found["doc_params"] is False and found["same"] is True


def test_an_error_while_executing_gives_pyarrows_own_import():
    # Whatever goes wrong with the stand-in parser, the module is executed again as pyarrow ships it.
    broken = PREPARED + textwrap.dedent("""
        from opvangkern.cli import startup
        def refuse(self, docstring=None, config=None):
            raise RuntimeError("an unexpected pyarrow")
        startup._NoParameters.__init__ = refuse
    """)
    plain = run_python(DESCRIBE)
    fallback = run_python(broken + textwrap.dedent(DESCRIBE))
    assert fallback["functions"] == plain["functions"] and fallback["calls"] == plain["calls"]
    assert fallback["doc_params"] is True


def test_not_in_the_library_nor_after_main(tmp_path):
    library = run_python("import opvangkern\nopvangkern.open_dataset().dashboard().tables()\n"
                         + textwrap.dedent(DESCRIBE))
    assert library["doc_params"] is True and "_PlainComputeDocs" not in library["finders"]
    after = run_python(textwrap.dedent(f"""
        import contextlib, io
        from opvangkern import cli
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                cli.main(["dashboard", "--format", "parquet", "--output", {str(tmp_path / "uit")!r}])
            except SystemExit as exit:
                assert exit.code == 0, exit.code
    """) + textwrap.dedent(DESCRIBE))
    assert "_PlainComputeDocs" not in after["finders"]  # main took it off on its way out
    assert after["doc_params"] is False  # the module the command loaded stays loaded


def test_a_process_that_loaded_pyarrow_first_is_left_alone():
    found = run_python("import pyarrow\n" + PREPARED + textwrap.dedent(DESCRIBE))
    assert found["doc_params"] is True and "_PlainComputeDocs" not in found["finders"]


def test_the_files_are_the_same_with_and_without(tmp_path):
    written = {}
    for name, first in (("zonder", ""), ("met", "import pyarrow.compute\n")):
        out = tmp_path / name
        subprocess.run([sys.executable, "-c", first + textwrap.dedent(f"""
            import contextlib, io
            from opvangkern import cli
            with contextlib.redirect_stderr(io.StringIO()):
                try:
                    cli.main(["dashboard", "--format", "parquet", "--output", {str(out)!r}, "--geen-cache"])
                except SystemExit as exit:
                    assert exit.code == 0, exit.code
            import pyarrow.compute as pc
            assert ("skip_nulls :" in pc.sum.__doc__) is {bool(first)}
        """)], check=True, env={**os.environ, "OPVANGKERN_CACHE": "uit"})
        written[name] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert len(written["met"]) >= 5
    assert written["met"] == written["zonder"]
