"""The seed acceptance (SPEC §10): the bundled sample reproduces every figure of the seed dashboard."""

import csv
import subprocess
import sys

import pyarrow as pa
import pytest

import opvangkern
from opvangkern.numbers import round_half_away
from opvangkern.tables import GEMEENTEN, KAARTEN

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def _rows(name):
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _num(text):
    return None if text == "" else float(text)


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard()


def test_tables_have_the_spec_schemas(dash):
    assert dash.kaarten.schema.equals(KAARTEN, check_metadata=False)
    assert dash.gemeenten.schema.equals(GEMEENTEN, check_metadata=False)
    assert dash.kaarten.schema.field("realisatie").metadata[b"label"] == "Huidige realisatie".encode()


@pytest.mark.parametrize("expected", _rows("drenthe-2025-12-31-kaarten.csv"), ids=lambda r: r["opgave"])
def test_province_cards(dash, expected):
    cards = {(r["gebied_code"], r["opgave"]): r for r in dash.kaarten.to_pylist()}
    card = cards[(expected["gebied_code"], expected["opgave"])]
    assert card["gebied_naam"] == expected["gebied_naam"]
    assert card["startpunt"] == float(expected["startpunt"])
    assert card["eindpunt"] == float(expected["eindpunt"])
    assert card["realisatie"] == int(expected["realisatie"])
    assert round_half_away(card["indicatief_schema"]) == int(expected["indicatief_schema_afgerond"])
    assert round_half_away(card["achterstand"]) == int(expected["achterstand_afgerond"])
    assert card["status"] == expected["status"]


def test_card_dates_and_exact_values(dash):
    cards = {r["opgave"]: r for r in dash.kaarten.to_pylist() if r["gebied_code"] == "PV22"}
    nidos = cards["nidos_amv"]
    assert str(nidos["peildatum"]) == "2025-12-29"
    assert nidos["indicatief_schema"] == pytest.approx(90 + 5 * 182 / 184, abs=1e-9)
    assert cards["vergunninghouders"]["indicatief_schema"] == 819.0
    assert [str(cards["oekraine"][k]) for k in ("startdatum", "einddatum")] == ["2025-02-01", "2026-07-01"]
    assert [str(cards["asiel"][k]) for k in ("startdatum", "einddatum")] == ["2025-01-01", "2026-02-01"]


@pytest.mark.parametrize("expected", _rows("drenthe-2025-12-31-gemeenten.csv"), ids=lambda r: r["gemeentenaam"])
def test_municipality_table(dash, expected):
    rows = {r["gemeentecode"]: r for r in dash.gemeenten.to_pylist()}
    got = rows[expected["gemeentecode"]]
    for column, value in expected.items():
        if column in ("gemeentecode", "gemeentenaam"):
            assert got[column] == value
        else:
            assert got[column] == _num(value), column


def test_municipality_table_in_name_order(dash):
    names = dash.gemeenten.column("gemeentenaam").to_pylist()
    assert names == [r["gemeentenaam"] for r in _rows("drenthe-2025-12-31-gemeenten.csv")]


def test_totals_row(dash):
    from opvangkern.output.textview import column_totals

    totals = column_totals(dash.gemeenten)
    for column, value in _rows("drenthe-2025-12-31-totaal.csv")[0].items():
        assert totals[column] == float(value), column


def test_cards_per_municipality_and_region(dash):
    keys = [(r["gebied_code"], r["opgave"]) for r in dash.kaarten.to_pylist()]
    assert keys[:5] == [("PV22", t) for t in ("oekraine", "asiel", "vergunninghouders", "amv", "nidos_amv")]
    assert ("VR03", "oekraine") in keys
    # Aa en Hunze has no AMV target, Westerveld no Nidos target: no card for them.
    assert ("GM1680", "amv") not in keys and ("GM1701", "nidos_amv") not in keys
    assert ("GM0106", "asiel") in keys
    assert len(keys) == 5 + 12 * 4 - 4 - 1 + 1


def test_cli_text_shows_the_seed(tmp_path):
    out = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for figure in ("5.138", "5.013", "4.155", "4.614", "-459", "454", "819", "423", "396", "341", "192",
                   "149", "90", "95", "73", "22", "1.010", "3.268", "1.157"):
        assert figure in text
    total = [line for line in text.splitlines() if line.startswith("Totaal")][0].split()
    assert total == ["Totaal", "5.013", "4.155", "3.268", "1.157", "189", "-459", "819", "423", "396", "341", "192",
                     "149", "95", "73", "22"]
    assert "\x1b[" not in text  # piped: no colour codes


def test_cli_csv_matches_fixtures(tmp_path):
    out = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", "--format", "csv",
                          "--output", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    written = {p.name for p in tmp_path.iterdir()}
    from opvangkern.tables import SCHEMAS  # every table of SPEC §7, §12, §13

    assert written == {f"{t}.csv" for t in SCHEMAS}
    with open(tmp_path / "gemeenten.csv", newline="", encoding="utf-8") as handle:
        got = {r["gemeentecode"]: r for r in csv.DictReader(handle)}
    for expected in _rows("drenthe-2025-12-31-gemeenten.csv"):
        row = got[expected["gemeentecode"]]
        for column, value in expected.items():
            if column not in ("gemeentecode", "gemeentenaam"):
                assert _num(row[column]) == _num(value), (expected["gemeentenaam"], column)


def test_arrow_tables_carry_schema_metadata(dash):
    tables = dash.tables()
    meta = tables["kaarten"].schema.metadata
    assert meta[b"dataset"] == "Drenthe, stand 31 december 2025".encode()
    assert meta[b"gebied_code"] == b"PV22"
    assert b"opvangkern_schema_version" in meta
    assert isinstance(tables["realisaties"], pa.Table)
