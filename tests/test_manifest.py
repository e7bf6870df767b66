import datetime as dt

from opvangkern.dataset.manifest import parse_manifest

GOOD = """
[dataset]
naam = "Test"
gebied = "PV22"
asiel_categorieen = ["regulier", "tgo"]

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "a.csv"
totaal = 100

[[bron]]
bron = "COA"
bestand = "coa.csv"
peildatum = "31-12-2025"
maat = "bezetting"
extra = 1
"""


def test_good_manifest():
    manifest, meldingen = parse_manifest(GOOD, "x")
    assert meldingen == []
    assert manifest.naam == "Test" and manifest.gebied == "PV22"
    assert manifest.asiel_categorieen == ("regulier", "tgo")
    (quota,) = manifest.opgaven
    assert quota.opgave == "asiel" and quota.ingangsdatum == dt.date(2025, 1, 1) and quota.totaal == 100.0
    assert quota.regel == 7
    (source,) = manifest.bronnen
    assert source.bron == "coa" and source.peildatum == dt.date(2025, 12, 31) and source.maat == "bezetting"
    assert source.options == {"extra": 1} and source.regel == 13


def test_defaults():
    manifest, meldingen = parse_manifest("", "map")
    assert meldingen == [] and manifest.naam == "map" and manifest.asiel_categorieen == ("regulier", "noodopvang", "tgo")


def test_invalid_toml_is_a_melding_with_its_line():
    manifest, meldingen = parse_manifest("[dataset]\nnaam = \n", "x")
    assert len(meldingen) == 1 and meldingen[0].is_error and meldingen[0].rij == 2


def test_every_problem_is_reported_at_once():
    text = """
[dataset]
kleur = "rood"
asiel_categorieen = ["regulier", "hotel"]

[[opgave]]
opgave = "asiel"
bestand = "a.csv"

[[opgave]]
opgave = "huisvesting"
ingangsdatum = 2025-01-01
bestand = "b.csv"

[[bron]]
bestand = "c.csv"
maat = "veel"
"""
    manifest, meldingen = parse_manifest(text, "x")
    errors = [m for m in meldingen if m.is_error]
    warnings = [m for m in meldingen if not m.is_error]
    assert {m.kolom for m in errors} == {"asiel_categorieen", "ingangsdatum", "opgave", "bron", "maat"}
    assert [m.kolom for m in warnings] == ["kleur"]
    assert manifest.opgaven == () and manifest.bronnen == ()
    assert {m.rij for m in errors if m.kolom in ("bron", "maat")} == {15}
