"""What the dashboard hands to every output, so that no output works a fact out again (SPEC §7)."""

import opvangkern
from opvangkern import tables


def test_cards_name_their_sources_and_municipalities_their_region():
    ds = opvangkern.open_dataset()
    dash = ds.dashboard("PV22")
    province = {r["opgave"]: r for r in dash.kaarten.to_pylist() if r["gebied_code"] == "PV22"}
    assert {k: v["bronnen"] for k, v in province.items()} == {
        "oekraine": "kcio", "asiel": "coa", "vergunninghouders": "tvs", "amv": "coa", "nidos_amv": "nidos"}
    assert all(r["afspraken"] is None for r in dash.kaarten.to_pylist())  # no agreements in the sample
    assen = next(r for r in dash.gemeenten.to_pylist() if r["gemeentenaam"] == "Assen")
    assert (assen["veiligheidsregiocode"], assen["provinciecode"]) == ("VR03", "PV22")
    assert dash.division is ds.division and dash.is_sample
    assert dash.asiel_categorieen == ("regulier", "noodopvang", "tgo")
    assert set(dash.bron_labels) == {"coa", "kcio", "tvs", "nidos"} and all(dash.bron_labels.values())


def test_every_table_of_the_contract_is_handed_out_with_its_schema():
    dash = opvangkern.open_dataset().dashboard("PV22")
    named = dash.tables()
    assert list(named) == list(tables.SCHEMAS)
    for name, table in named.items():
        assert table.schema.remove_metadata() == tables.SCHEMAS[name].remove_metadata(), name
    # the sample is CSV: no sheets; every melding table has a code column
    assert set(dash.realisaties.column("blad").to_pylist()) == {None}
    assert "code" in dash.meldingen.column_names
