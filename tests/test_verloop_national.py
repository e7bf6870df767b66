"""``verloop`` on a generated national history (benchmarks/generate.py --weeks): every row is the card
of that day's dashboard, for every municipality, region and the country."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import opvangkern
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> opvangkern.Dataset:
    folder = tmp_path_factory.mktemp("national") / "data"
    summary = generate.generate(folder, snapshots=3)
    assert summary["source_files"] == 3 * 4
    return opvangkern.open_dataset(folder)


def test_drift_stays_positive_for_five_years() -> None:
    assert generate.drift(0, 0.004) == 1.0
    assert generate.drift(52, 0.004) == pytest.approx(1 - 0.004 * 52)
    assert 0 < generate.drift(259, 0.004) < generate.drift(52, 0.004)
    # Continuous where the rule changes: one week further back shrinks by half the weekly rate.
    assert generate.drift(53, 0.004) == pytest.approx(generate.drift(52, 0.004) * (1 - 0.002))


def test_national_verloop_is_each_days_dashboard(national) -> None:
    dash = national.dashboard(gebied="NL01")
    verloop = dash.verloop.to_pylist()
    days = sorted({r["peildatum"] for r in verloop})
    assert len(days) == 6  # three weeks, Nidos two days before the others
    assert len(verloop) == sum(3 for _ in dash.kaarten.to_pylist())
    for day in days:
        cards = {(c["gebied_code"], c["opgave"]): c for c in national.dashboard(gebied="NL01", peildatum=day)
                 .kaarten.to_pylist()}
        for row in (r for r in verloop if r["peildatum"] == day):
            card = cards[(row["gebied_code"], row["opgave"])]
            for column in ("peildatum", "realisatie", "status"):
                assert row[column] == card[column], (day, row["gebied_code"], row["opgave"], column)
            for column in ("indicatief_schema", "achterstand", "realisatiegraad"):
                if card[column] is None:
                    assert row[column] is None
                else:
                    assert math.isclose(row[column], card[column], rel_tol=1e-12, abs_tol=1e-9)
