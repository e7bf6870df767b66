"""The baselines of issue 16 (benchmarks/baseline_polars.py, baseline_pandas.py: what an analyst would
write instead) compute the same national ``kaarten`` and ``gemeenten`` as opvangkern, column for
column, on a generated national dataset: otherwise the benchmark would compare unlike work."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import opvangkern
from opvangkern.testing import load_module

pytest.importorskip("polars")
pytest.importorskip("pandas")

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
generate = load_module(BENCHMARKS / "generate.py", "generate")

KAART_COLUMNS = ("gebied_code", "gebied_naam", "gebied_niveau", "opgave", "startdatum", "startpunt", "einddatum",
                 "eindpunt", "peildatum", "indicatief_schema", "realisatie", "achterstand", "realisatiegraad",
                 "status")
GEMEENTE_COLUMNS = ("gemeentecode", "gemeentenaam", "oekraine_realisatie", "asiel_opgave", "asiel_regulier",
                    "asiel_noodopvang", "asiel_tgo", "asiel_delta", "vergunninghouders_opgave",
                    "vergunninghouders_realisatie", "vergunninghouders_delta", "amv_opgave", "amv_realisatie",
                    "amv_delta", "nidos_amv_opgave", "nidos_amv_realisatie", "nidos_amv_delta",
                    "veiligheidsregiocode", "provinciecode")


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, opvangkern.Dashboard]:
    # Two weeks: the baselines must take each source's latest file, as the dashboard does.
    folder = tmp_path_factory.mktemp("baselines") / "data"
    generate.generate(folder, snapshots=2)
    dataset = opvangkern.open_dataset(folder, cache=False)
    assert dataset.meldingen.num_rows == 0
    return folder, dataset.dashboard(gebied="NL01")


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
            return a is None and b is None
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return a == b


def _compare(ours: list[dict], theirs: list[dict], key: tuple[str, ...], columns: tuple[str, ...]) -> None:
    mine = {tuple(r[k] for k in key): r for r in ours}
    other = {tuple(r[k] for k in key): r for r in theirs}
    assert mine.keys() == other.keys()
    wrong = [(k, c, mine[k][c], other[k][c]) for k in mine for c in columns if not _same(mine[k][c], other[k][c])]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("script", ["baseline_polars.py", "baseline_pandas.py"])
def test_baseline_gives_opvangkerns_kaarten_and_gemeenten(national, script, tmp_path) -> None:
    folder, dash = national
    subprocess.run([sys.executable, str(BENCHMARKS / script), str(folder), str(tmp_path)], check=True,
                   capture_output=True)
    kaarten = pq.read_table(tmp_path / "kaarten.parquet")
    gemeenten = pq.read_table(tmp_path / "gemeenten.parquet")
    assert kaarten.num_rows == dash.kaarten.num_rows
    assert gemeenten.num_rows == dash.gemeenten.num_rows == 342
    _compare(dash.kaarten.to_pylist(), kaarten.to_pylist(), ("gebied_code", "opgave"), KAART_COLUMNS)
    _compare(dash.gemeenten.to_pylist(), gemeenten.to_pylist(), ("gemeentecode",), GEMEENTE_COLUMNS)
    # The country's five cards lead, in the order of the tasks.
    assert [(r["gebied_code"], r["opgave"]) for r in kaarten.slice(0, 5).to_pylist()] == \
        [(r["gebied_code"], r["opgave"]) for r in dash.kaarten.slice(0, 5).to_pylist()]
