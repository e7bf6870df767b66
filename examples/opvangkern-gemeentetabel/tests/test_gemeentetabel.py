"""The gemeentetabel adapter, checked with the test kit (opvangkern.testing) and on its own rules."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from hypothesis import given

import opvangkern
from opvangkern.model import Severity
from opvangkern.sources import kit
from opvangkern.testing import FuzzColumn, FuzzSpec, adapter_settings, check_adapter_result, csv_bytes, \
    plausible_files, sums, xlsx_bytes
from opvangkern_gemeentetabel import TASK_NAMES, GemeentetabelAdapter

SAMPLE = Path(__file__).parent / "data" / "gemeentetabel-2025-12-31.csv"
ADAPTER = GemeentetabelAdapter()
EXPECTED = {("amv", "GM0106"): 12, ("asiel", "noodopvang", "GM0106"): 40, ("vergunninghouders", "GM0114"): 25,
            ("amv", "GM0114"): 1020, ("asiel", "tgo", "GM1730"): 7, ("nidos_amv", "GM0119"): None}


def read(data: bytes, **kw):
    return ADAPTER.read(kit.Source(io.BytesIO(data), "tabel.csv", **kw))


def fouten(result):
    return [(m.rij, m.kolom, m.waarde) for m in result.meldingen if m.ernst is Severity.FOUT]


def test_registered_through_its_entry_point(opvangkern_adapters):
    assert isinstance(opvangkern_adapters["gemeentetabel"], GemeentetabelAdapter)


def test_the_contract(opvangkern_check):
    grid = [["Eigen telling"], ["Peildatum", dt.date(2025, 12, 31)], [],
            ["Gemeentecode", "Taak", "Opvangvorm", "Gerealiseerd"],
            [106, "Opvang AMV", None, 12], ["0106", "asiel", "NO", 40], ["GM0114", "statushouders", None, 25]]
    opvangkern_check(ADAPTER, {SAMPLE.name: SAMPLE.read_bytes(), "tabel.xlsx": xlsx_bytes(grid)},
                     expected={SAMPLE.name: EXPECTED, "tabel.xlsx": {("amv", "GM0106"): 12,
                                                                     ("asiel", "noodopvang", "GM0106"): 40,
                                                                     ("vergunninghouders", "GM0114"): 25}})


def test_the_contract_with_the_task_in_the_manifest(opvangkern_check):
    data = csv_bytes([["Gemeente", "Plekken"], ["Assen", "33"], ["Emmen", "8"], ["Totaal", "41"]])
    opvangkern_check(ADAPTER, {"nidos.csv": data}, expected={"nidos.csv": {("nidos_amv", "GM0106"): 33}},
                     options={"opgave": "Nidos AMV"}, peildatum=dt.date(2025, 12, 31))


def test_task_names_and_categories():
    result = read(SAMPLE.read_bytes())
    assert not result.meldingen
    assert result.peildatum == dt.date(2025, 12, 31)
    assert {k: v for k, v in sums(result).items()} == {
        ("amv", None, "GM0106"): 12, ("asiel", "noodopvang", "GM0106"): 40, ("vergunninghouders", None, "GM0114"): 25,
        ("amv", None, "GM0114"): 1020, ("asiel", "tgo", "GM1730"): 7}
    assert [r["rij"] for r in result.realisaties.to_pylist()] == [5, 6, 7, 8, 10]


def test_bad_rows_are_fouten_with_row_and_column():
    data = csv_bytes([["Gemeente", "Opgave", "Categorie", "Aantal"],
                      ["Assen", "fietsen", "", "3"],         # unknown task
                      ["Assen", "asiel", "", "4"],           # asylum needs a category
                      ["Assen", "asiel", "hotel", "5"],      # unknown category
                      ["Emmen", "", "", "6"],                # no task, none in the manifest
                      ["Emmen", "amv", "regulier", "7"],     # a category on amv: a warning
                      ["Emmen", "amv", "", "-2"]])           # a negative count
    result = read(data)
    assert fouten(result) == [(2, "Opgave", "fietsen"), (3, "Categorie", ""), (4, "Categorie", "hotel"),
                              (5, "Opgave", ""), (7, "Aantal", "-2")]
    assert [(m.rij, m.kolom) for m in result.meldingen if m.ernst is Severity.WAARSCHUWING] == [(6, "Categorie")]
    assert sums(result) == {("amv", None, "GM0114"): 7}


def test_the_manifest_names_the_task_and_category():
    data = csv_bytes([["Gemeente", "Aantal"], ["Assen", "3"]])
    assert sums(read(data, options={"opgave": "asiel", "categorie": "TGO"})) == {("asiel", "tgo", "GM0106"): 3}
    [melding] = read(data).meldingen
    assert melding.ernst is Severity.FOUT and 'opgave = "amv"' in melding.melding
    [melding] = read(data, options={"opgave": "fietsen"}).meldingen
    assert melding.kolom == "opgave" and melding.waarde == "fietsen"
    conflict = csv_bytes([["Gemeente", "Opgave", "Aantal"], ["Assen", "amv", "3"], ["Emmen", "", "4"]])
    result = read(conflict, options={"opgave": "nidos_amv"})
    assert fouten(result) == [(2, "Opgave", "amv")]
    assert sums(result) == {("nidos_amv", None, "GM0114"): 4}


def test_in_a_dataset(tmp_path):
    (tmp_path / "bronnen").mkdir()
    (tmp_path / "bronnen" / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (tmp_path / "opvangkern.toml").write_text(
        '[dataset]\nnaam = "Eigen telling"\n\n[[bron]]\nbron = "gemeentetabel"\n'
        f'bestand = "bronnen/{SAMPLE.name}"\n', encoding="utf-8")
    dataset = opvangkern.load_dataset(tmp_path)
    assert not dataset.has_errors, dataset.melding_list
    assert set(dataset.realisaties.column("bron").to_pylist()) == {"gemeentetabel"}
    assert sum(dataset.realisaties.column("aantal").to_pylist()) == 1104


SPEC = FuzzSpec(
    [FuzzColumn("opgave", ["Opgave", "Taak"], kind="choice",
                choices=["amv", "Opvang AMV", "nidos_amv", "Vergunninghouders", "Oekraïne"]),
     FuzzColumn("aantal", ["Aantal", "Gerealiseerd", "Realisatie"])],
    lambda v: [(TASK_NAMES[kit.normalize_name(v["opgave"])], None, v["aantal"])] if v.get("aantal") is not None else [],
)


@adapter_settings()
@given(plausible_files(SPEC))
def test_fuzz(f):
    check_adapter_result(ADAPTER, f)
