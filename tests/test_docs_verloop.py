"""docs/verloop-en-prognose.md: its worked example and its DuckDB recipe are run against the sample."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import opvangkern

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "verloop-en-prognose.md"
_FENCE = re.compile(r"^```(?P<lang>\w*)[ \t]*$")


def blocks() -> list[tuple[str, str]]:
    out, lines, i = [], PAGE.read_text(encoding="utf-8").splitlines(), 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and match["lang"]:
            body = []
            i += 1
            while lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            out.append((match["lang"], textwrap.dedent("\n".join(body))))
        i += 1
    return out


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard()


def test_the_worked_example_is_the_prognose(dash) -> None:
    python = [code for lang, code in blocks() if lang == "python"]
    example = next(code for code in python if "oekraine = " in code)
    namespace: dict = {}
    exec(compile(example, "worked example", "exec"), namespace)
    got = next(r for r in dash.prognose.to_pylist() if r["gebied_code"] == "PV22" and r["opgave"] == "oekraine")
    for key, value in namespace["oekraine"].items():
        if isinstance(value, float):
            assert math.isclose(got[key], value, rel_tol=1e-12), key
        else:
            assert got[key] == value, key
    assert namespace["verwacht"] == dt.date(2026, 2, 14)
    # The page's table of KCIO totals is the verloop of the card.
    verloop = [r["realisatie"] for r in dash.verloop.to_pylist() if r["gebied_code"] == "PV22"
               and r["opgave"] == "oekraine"]
    assert verloop == [4574, 4695, 4752, 4829, 4961, 5013]
    assert "| realisatie | 4.574 | 4.695 | 4.752 | 4.829 | 4.961 | 5.013 |" in PAGE.read_text(encoding="utf-8")


def test_the_duckdb_recipe_runs(dash, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    page = blocks()
    commands = [shlex.split(line)[1:] for lang, code in page if lang == "sh" for line in code.splitlines()
                if line.startswith("opvangkern ")]
    assert commands == [["dashboard", "--format", "parquet", "--output", "uit"]]
    for args in commands:
        run = subprocess.run([sys.executable, "-m", "opvangkern.cli", *args], cwd=tmp_path, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0, run.stderr
    recipe = next(code for lang, code in page if lang == "python" and "duckdb" in code)
    namespace: dict = {}
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        exec(compile(recipe, "duckdb recipe", "exec"), namespace)
    finally:
        os.chdir(previous)
    expected = [(r["peildatum"], r["realisatie"], float(round(r["indicatief_schema"])), r["status"])
                for r in dash.verloop.to_pylist() if r["gebied_code"] == "PV22" and r["opgave"] == "oekraine"]
    assert namespace["lijn"] == expected
    assert namespace["lijn"][0] == (dt.date(2025, 7, 31), 4574, 5138.0, "licht_achter")
    breed = namespace["breed"]
    assert len(breed) == 7 and breed[0][0] == dt.date(2025, 7, 31)  # six month ends and Nidos's 29 December
    koers = {row[0]: row[1] for row in namespace["koers"]}
    assert koers == {"amv": "niet_op_koers", "asiel": "bereikt", "nidos_amv": "niet_op_koers",
                     "oekraine": "op_koers", "vergunninghouders": "niet_op_koers"}
