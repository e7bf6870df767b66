"""The Python API of SPEC §9: open_dataset, dashboard options, the error hierarchy."""

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import opvangkern
from opvangkern.errors import AmbiguousArea, DataError, OpvangkernError, UsageError


def province_card(dash, opgave):
    return next(r for r in dash.kaarten.to_pylist() if r["gebied_code"] == dash.gebied.code and r["opgave"] == opgave)


def test_open_dataset_tables():
    ds = opvangkern.open_dataset()
    assert isinstance(ds.opgaven, pa.Table) and isinstance(ds.realisaties, pa.Table)
    assert isinstance(ds.meldingen, pa.Table) and ds.meldingen.num_rows == 0
    assert set(ds.realisaties.column("bron").to_pylist()) == {"coa", "kcio", "tvs", "nidos"}
    assert ds.realisaties.column("rij").null_count == 0


def test_counted_asylum_categories(sample_copy):
    manifest = sample_copy / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'asiel_categorieen = ["regulier", "noodopvang", "tgo"]', 'asiel_categorieen = ["regulier"]'),
        encoding="utf-8")
    dash = opvangkern.open_dataset(sample_copy).dashboard()
    assert province_card(dash, "asiel")["realisatie"] == 3268
    assen = next(r for r in dash.gemeenten.to_pylist() if r["gemeentenaam"] == "Assen")
    assert assen["asiel_noodopvang"] == 614  # still shown, not counted
    assert assen["asiel_delta"] == 1000 - 1010


def test_thresholds_are_parameters():
    ds = opvangkern.open_dataset()
    assert province_card(ds.dashboard(licht_achter=0.5), "vergunninghouders")["status"] == "licht_achter"
    assert province_card(ds.dashboard(op_schema=0.9), "oekraine")["status"] == "op_schema"


def test_peildatum_override_uses_earlier_files(sample_latest_only):
    ds = opvangkern.open_dataset(sample_latest_only)
    dash = ds.dashboard(peildatum=dt.date(2025, 12, 30))
    assert dash.peildata == {"nidos": dt.date(2025, 12, 29)}
    assert province_card(dash, "nidos_amv")["realisatie"] == 73
    assert province_card(dash, "asiel")["realisatie"] is None  # COA has no file on or before that date
    assert province_card(dash, "asiel")["status"] is None


def test_peildatum_override_in_the_sample_history(sample_copy):
    ds = opvangkern.open_dataset(sample_copy)
    dash = ds.dashboard(peildatum=dt.date(2025, 12, 30))
    november = dt.date(2025, 11, 30)
    assert dash.peildata == {"kcio": november, "coa": november, "tvs": november, "nidos": dt.date(2025, 12, 29)}
    assert province_card(dash, "nidos_amv")["realisatie"] == 73
    assert province_card(dash, "asiel")["peildatum"] == november
    # The November COA file's asylum places (regulier + noodopvang + TGO), summed from its rows.
    coa = ds.realisaties.filter(pc.equal(ds.realisaties["bestand"], "bronnen/coa-2025-11-30.csv"))
    asiel = sum(r["aantal"] for r in coa.to_pylist() if r["opgave"] == "asiel")
    assert province_card(dash, "asiel")["realisatie"] == asiel


def test_data_error_carries_the_meldingen(sample_copy):
    path = sample_copy / "bronnen/nidos-2025-12-29.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("GM0106,Assen,33", "GM0106,Assen,-33"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        opvangkern.open_dataset(sample_copy)
    assert isinstance(caught.value, OpvangkernError)
    errors = [m for m in caught.value.meldingen if m.is_error]
    assert len(errors) == 1 and errors[0].rij == 3 and errors[0].waarde == "-33"
    assert "nidos-2025-12-29.csv" in str(caught.value) and "-33" in str(caught.value)
    ds = opvangkern.load_dataset(sample_copy)
    assert ds.has_errors and ds.meldingen.num_rows == len(caught.value.meldingen)
    with pytest.raises(DataError):
        ds.dashboard()


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        opvangkern.open_dataset(tmp_path / "nope")
    with pytest.raises(UsageError):
        opvangkern.open_dataset(tmp_path)  # a folder without opvangkern.toml
    ds = opvangkern.open_dataset()
    with pytest.raises(UsageError) as caught:
        ds.dashboard(gebied="Utrecht")
    assert "GM0344" in str(caught.value) and "PV26" in str(caught.value)
    assert issubclass(AmbiguousArea, UsageError)


def test_country_dashboard_of_the_sample():
    dash = opvangkern.open_dataset().dashboard(gebied="Nederland")
    card = province_card(dash, "oekraine")
    assert card["gebied_code"] == "NL01" and card["startpunt"] == 109000
    assert province_card(dash, "asiel")["startpunt"] == 4155  # only Drenthe has asylum targets here
    assert dash.gemeenten.num_rows == 342


def test_a_further_adapter_can_report_a_task(sample_latest_only):
    """The card of a task takes the realisations of whichever source reports it (here the example
    adapter ``gemeentetabel`` in place of TVS; without the sample's history, whose earlier TVS files
    would still count as TVS's latest)."""
    sample_copy = sample_latest_only
    pytest.importorskip("opvangkern_gemeentetabel")
    tvs = (sample_copy / "bronnen/tvs-2025-12-31.csv").read_text(encoding="utf-8").splitlines()
    rows = ["Gemeente;Aantal"] + [f"{line.split(';')[0]};{line.split(';')[5]}" for line in tvs[1:]]
    (sample_copy / "bronnen/eigen.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8").replace(
        'bron = "tvs"\nbestand = "bronnen/tvs-2025-12-31.csv"',
        'bron = "gemeentetabel"\nopgave = "vergunninghouders"\nbestand = "bronnen/eigen.csv"')
    manifest.write_text(text, encoding="utf-8")
    dash = opvangkern.open_dataset(sample_copy).dashboard()
    card = province_card(dash, "vergunninghouders")
    assert card["realisatie"] == 423 and card["peildatum"] == dt.date(2025, 12, 31)
    assert dash.peildata.get("gemeentetabel") == dt.date(2025, 12, 31) and "tvs" not in dash.peildata
