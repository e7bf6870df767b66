"""What benchmarks/run.py measures with, checked without timing anything: the peak RSS is each child's
own, the generated data are reused only while the generator is the same, the Markdown table is
pasteable, and the pandas check reads the command's own modules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import run  # noqa: E402


@pytest.mark.parametrize("through", ["time", "launcher"])
def test_peak_rss_is_each_childs_own(tmp_path, monkeypatch, through) -> None:
    if through == "launcher":
        monkeypatch.setattr(run, "TIME", tmp_path / "no-time")  # as on a machine without GNU time
    elif not run.TIME.is_file():
        pytest.skip("no /usr/bin/time here")
    env = run.child_env(tmp_path / "pycache")
    big = [sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096])"]
    small = [sys.executable, "-c", "pass"]
    ballast = bytearray(400 * 2**20)  # this process grows: a child forked from it would inherit the peak
    ballast[::4096] = b"x" * len(ballast[::4096])
    _, big_rss = run.run_once(big, env)
    _, small_rss = run.run_once(small, env)  # after the big one: RUSAGE_CHILDREN here would say 300 MiB
    del ballast
    assert big_rss >= 300 * 2**20
    assert small_rss < 100 * 2**20


def test_a_failing_command_stops_the_run_with_its_message(tmp_path) -> None:
    env = run.child_env(tmp_path / "pycache")
    try:
        run.run_once([sys.executable, "-c", "import sys; sys.exit('kapot')"], env)
    except SystemExit as stop:
        assert "kapot" in str(stop) and "failed (1)" in str(stop)
    else:
        raise AssertionError("a failing command must stop the benchmark")


def test_generated_data_are_reused_only_while_the_generator_is_the_same(tmp_path, monkeypatch) -> None:
    folder, summary = run.dataset(tmp_path, "nationaal", 1)
    assert summary["source_files"] == 4
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# marker\n", encoding="utf-8")
    again, _ = run.dataset(tmp_path, "nationaal", 1)
    assert again == folder and manifest.read_text(encoding="utf-8").endswith("# marker\n")  # reused
    run.dataset(tmp_path, "nationaal", 2)  # other arguments: written anew
    assert not manifest.read_text(encoding="utf-8").endswith("# marker\n")
    assert len(list((folder / "bronnen").glob("*.csv"))) == 8
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# marker\n", encoding="utf-8")
    monkeypatch.setattr(run, "_generator_stamp", lambda snapshots, coa: f"another generator {snapshots} {coa}")
    run.dataset(tmp_path, "nationaal", 2)  # another generate.py: written anew
    assert not manifest.read_text(encoding="utf-8").endswith("# marker\n")


def test_markdown_table() -> None:
    report = run.Report()
    report.add("national command", "500 ms", "import pyarrow.parquet 200 ms", "2.50x", "<= 1.5x", False, "1")
    report.add("  a | b", "1", "", "", "(info)", None, "1")
    report.add("import", "30 ms", "200 ms", "0.15x", "<= 1.0x", True, "1")
    lines = report.markdown().splitlines()
    assert lines[0] == "| # | measurement | median | baseline (median) | ratio (median) | target | verdict |"
    assert lines[1] == "|---|---|---|---|---|---|---|"
    assert lines[2] == "| 1 | national command | 500 ms | import pyarrow.parquet 200 ms | 2.50x | <= 1.5x | **missed** |"
    assert lines[3] == "| 1 |   a \\| b | 1 |  |  | (info) |  |"
    assert lines[4].endswith("| met |")
    assert all(line.count("|") - line.count("\\|") == 8 for line in lines)


def test_pandas_check_counts_the_commands_own_modules(tmp_path) -> None:
    env = run.child_env(tmp_path / "pycache")
    assert run.pandas_modules_in_command([str(run.BIN / "opvangkern"), "bronnen"], env) == "0"


def test_same_result_tells_two_readings_apart() -> None:
    """``harness.same_result`` (what the adapter benchmarks check before timing): a file read twice is the
    same; one figure changed, or one melding more, is not."""
    import io

    import attrs
    import opvangkern_kcio

    import harness
    from opvangkern.areas import load_division
    from opvangkern.sources.adapter import Source

    data = b"Gemeentecode;Gemeente;Opgave;Realisatie\nGM0363;Amsterdam;120;90\nGM0518;'s-Gravenhage;80;x\n"
    division = load_division()

    def read():
        return opvangkern_kcio.KcioAdapter().read(Source(io.BytesIO(data), "kcio.csv", division=division))

    first, second = read(), read()
    assert first.realisaties.num_rows and first.meldingen  # Amsterdam read, the bad cell named
    assert harness.same_result(first, second)
    assert not harness.same_result(first, attrs.evolve(second, meldingen=second.meldingen[:-1]))
    changed = second.realisaties.set_column(
        second.realisaties.schema.get_field_index("aantal"), "aantal",
        [[value + 1 for value in second.realisaties.column("aantal").to_pylist()]])
    assert not harness.same_result(first, attrs.evolve(second, realisaties=changed))
