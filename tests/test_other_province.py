"""A dataset for another province, written by hand in the SPEC's layouts (other column names, the wide
COA layout, codes as numbers, several safety regions), gives the figures computed here by hand."""

import csv
import subprocess
import sys
from datetime import date

import pytest

import opvangkern
import opvangkern.areas

MANIFEST = """
[dataset]
naam = "Gelderland, proef"
gebied = "PV25"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-02-01
bestand = "oek-1.csv"
[[opgave]]
opgave = "oekraine"
ingangsdatum = 2026-07-01
bestand = "oek-2.csv"
[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "asiel-1.csv"
[[opgave]]
opgave = "asiel"
ingangsdatum = 2026-02-01
bestand = "asiel-2.csv"
[[opgave]]
opgave = "vergunninghouders"
ingangsdatum = 2025-07-01
bestand = "vh.csv"

[[bron]]
bron = "coa"
bestand = "coa.csv"
peildatum = 2025-12-31
[[bron]]
bron = "kcio"
bestand = "kcio.csv"
[[bron]]
bron = "tvs"
bestand = "tvs.csv"
peildatum = 2025-12-15
"""

FILES = {
    "oek-1.csv": "Veiligheidsregio;Opgave\nNoord- en Oost-Gelderland;1.000\nGelderland-Midden;800\nGelderland-Zuid;600\n",
    "oek-2.csv": "Veiligheidsregiocode,Aantal\nVR06,1200\nVR07,800\nVR08,900\n",
    "asiel-1.csv": "Verdeelbesluit asiel 2025\n\nGemeente,Opgave\nArnhem,500\nNijmegen,400\nApeldoorn,300\n",
    "asiel-2.csv": "gemeentecode;taakstelling\n202;600\n268;400\n200;360\n",
    "vh.csv": "Gemeente,Taakstelling\nGemeente Arnhem,120\nEde,80\n",
    "coa.csv": ("COA bezetting per gemeente\n"
                "Gemeente;Regulier;NO;TGO;AMV;Totaal\n"
                "Arnhem;450;50;-;10;510\n"
                "Nijmegen;380;0;0;;380\n"
                "Apeldoorn;300;n.v.t.;40;5;345\n"
                "Totaal;1.130;50;40;15;1.235\n"),
    "kcio.csv": ("Peildatum: 31-12-2025\n"
                 "Gemeente,Gerealiseerde plekken\n"
                 "Apeldoorn,700\nZutphen,200\nArnhem,500\nEde,250\nNijmegen,450\n"),
    "tvs.csv": "Gemeente;Gerealiseerd\nArnhem;100\nEde;90\n",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("gelderland")
    (root / "opvangkern.toml").write_text(MANIFEST, encoding="utf-8")
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dash(folder):
    return opvangkern.open_dataset(folder).dashboard()


def cards(dash):
    return {(r["gebied_code"], r["opgave"]): r for r in dash.kaarten.to_pylist()}


def test_no_meldingen(folder):
    assert opvangkern.load_dataset(folder).melding_list == []


def test_ukraine_sums_the_three_regions(dash):
    card = cards(dash)[("PV25", "oekraine")]
    fraction = (date(2026, 1, 1) - date(2025, 2, 1)).days / (date(2026, 7, 1) - date(2025, 2, 1)).days
    assert card["startpunt"] == 2400 and card["eindpunt"] == 2900
    assert card["indicatief_schema"] == pytest.approx(2400 + 500 * fraction, rel=1e-12)
    assert card["realisatie"] == 700 + 200 + 500 + 250 + 450
    region = cards(dash)[("VR06", "oekraine")]
    assert region["realisatie"] == 900
    assert region["indicatief_schema"] == pytest.approx(1000 + 200 * fraction, rel=1e-12)
    assert cards(dash)[("VR08", "oekraine")]["realisatie"] == 450


def test_asylum_wide_layout_and_interpolation(dash):
    card = cards(dash)[("PV25", "asiel")]
    fraction = 365 / 396
    assert card["startpunt"] == 1200 and card["eindpunt"] == 1360
    assert card["indicatief_schema"] == pytest.approx(1200 + 160 * fraction, rel=1e-12)
    assert card["realisatie"] == 450 + 50 + 380 + 300 + 40
    assert card["achterstand"] == pytest.approx(card["indicatief_schema"] - 1220, rel=1e-12)
    assert card["status"] == "licht_achter"
    arnhem = cards(dash)[("GM0202", "asiel")]
    assert arnhem["indicatief_schema"] == pytest.approx(500 + 100 * fraction, rel=1e-12)
    assert arnhem["realisatie"] == 500


def test_single_decision_is_flat_and_tvs_peildatum_from_manifest(dash):
    card = cards(dash)[("PV25", "vergunninghouders")]
    assert card["startpunt"] == card["eindpunt"] == card["indicatief_schema"] == 200
    assert card["peildatum"] == date(2025, 12, 15)
    assert card["realisatie"] == 190
    assert card["realisatiegraad"] == pytest.approx(0.95)
    assert card["status"] == "licht_achter"


def test_tasks_without_any_target_have_no_card(dash):
    assert ("PV25", "amv") not in cards(dash) and ("PV25", "nidos_amv") not in cards(dash)
    assert ("GM0228", "asiel") not in cards(dash)  # Ede has no asylum target in this dataset


def test_municipality_table(dash):
    rows = {r["gemeentenaam"]: r for r in dash.gemeenten.to_pylist()}
    assert len(rows) == 51
    arnhem = rows["Arnhem"]
    assert arnhem["asiel_opgave"] == 600 and arnhem["asiel_regulier"] == 450 and arnhem["asiel_tgo"] == 0
    assert arnhem["asiel_delta"] == 600 - 500 and arnhem["amv_realisatie"] == 10 and arnhem["amv_delta"] == -10
    assert rows["Nijmegen"]["amv_realisatie"] is None and rows["Nijmegen"]["asiel_noodopvang"] == 0
    assert rows["Apeldoorn"]["asiel_noodopvang"] == 0  # n.v.t. in a row that has other categories
    assert rows["Zutphen"]["oekraine_realisatie"] == 200 and rows["Zutphen"]["asiel_opgave"] is None
    assert rows["Ede"]["vergunninghouders_delta"] == 80 - 90
    names = [r["gemeentenaam"] for r in dash.gemeenten.to_pylist()]
    assert names == sorted(names, key=opvangkern.areas.name_sort_key)


def test_cli_csv_for_a_region(folder, tmp_path):
    result = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", str(folder), "--gebied",
                             "Gelderland-Midden", "--format", "csv", "--output", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "kaarten.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert (rows[0]["gebied_code"], rows[0]["opgave"], rows[0]["realisatie"]) == ("VR07", "oekraine", "750")
    with open(tmp_path / "gemeenten.csv", newline="", encoding="utf-8") as handle:
        codes = [r["gemeentecode"] for r in csv.DictReader(handle)]
    assert codes == [a.code for a in opvangkern.areas.load_division().members("VR07")] and "GM0228" in codes
