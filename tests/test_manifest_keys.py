"""A manifest key written almost right is refused, not ignored (fifteenth session).

``mat = "bezetting"`` under a ``[[bron]]`` was passed to the COA adapter as an option it does not read: the
dashboard counted places instead of occupancy, with exit 0 and not a word. The same held for ``Maat``,
``kolomen``, ``tabblad``, ``[[bronnen]]`` (every delivery in it gone, only the unlisted-file warnings left),
``[Dataset]`` and ``indeeling`` (warnings, while the division they meant was not used).
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, strategies as st

import opvangkern
from opvangkern.dataset import manifest as manifest_module
from opvangkern.dataset.manifest import meant_key, parse_manifest
from opvangkern.dataset.load import sample_path

LATEST_COA = 'bestand = "bronnen/coa-2025-12-31.csv"'


def dataset_with(tmp_path, old: str, new: str):
    folder = tmp_path / "d"
    shutil.copytree(sample_path(), folder)
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def line_of(folder, needle: str) -> int:
    lines = (folder / "opvangkern.toml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def refusal(folder):
    with pytest.raises(opvangkern.DataError) as raised:
        opvangkern.open_dataset(folder)
    return [m for m in raised.value.meldingen if m.is_error]


@pytest.mark.parametrize("written, meant, line_asked", [
    ('mat = "bezetting"', "maat", 'maat = "bezetting"'),
    ('Maat = "bezetting"', "maat", 'maat = "bezetting"'),
    ('kolomen = { "Capaciteit" = "Bezetting" }', "kolommen", 'kolommen = { "Capaciteit" = "Bezetting" }'),
    ('waarde = { "azc" = "regulier" }', "waarden", 'waarden = { "azc" = "regulier" }'),
    ('tabblad = "Blad2"', "blad", 'blad = "Blad2"'),
    ("peil_datum = 2025-12-31", "peildatum", "peildatum = 2025-12-31"),
])
def test_a_misspelt_source_key_is_a_fout_that_names_the_key_meant(tmp_path, written, meant, line_asked):
    folder = dataset_with(tmp_path, LATEST_COA, f"{LATEST_COA}\n{written}")
    [fout] = refusal(folder)
    key = written.split(" = ")[0]
    assert (fout.code, fout.bestand, fout.kolom) == ("manifest_sleutel_verschreven", "opvangkern.toml", key)
    # the line of the entry's [[bron]] header: the one just above its bestand
    assert fout.rij == line_of(folder, LATEST_COA) - 2
    assert f"bedoelt u {meant!r}" in fout.melding and line_asked in fout.melding


def test_the_misspelt_occupancy_key_no_longer_gives_places_with_exit_0(tmp_path):
    """What the typo did: the card counted COA's places (Capaciteit) although the analyst asked for occupancy."""
    places = opvangkern.open_dataset(sample_path()).realisaties
    folder = dataset_with(tmp_path, LATEST_COA, f'{LATEST_COA}\nmat = "bezetting"')
    assert [m.code for m in refusal(folder)] == ["manifest_sleutel_verschreven"]
    right = opvangkern.open_dataset(dataset_with(tmp_path / "goed", LATEST_COA, f'{LATEST_COA}\nmaat = "bezetting"'))
    latest = [r for r in right.realisaties.to_pylist() if r["bestand"] == "bronnen/coa-2025-12-31.csv"]
    before = [r for r in places.to_pylist() if r["bestand"] == "bronnen/coa-2025-12-31.csv"]
    assert latest and sum(r["aantal"] for r in latest) != sum(r["aantal"] for r in before)


@pytest.mark.parametrize("old, new, where, meant", [
    ("[dataset]", "[Dataset]", "[Dataset]", "[dataset]"),
    ("[[bron]]", "[[bronnen]]", "[bronnen]", "[[bron]]"),
    ("[[opgave]]", "[[opgaven]]", "[opgaven]", "[[opgave]]"),
])
def test_a_misspelt_section_is_a_fout_at_its_header(tmp_path, old, new, where, meant):
    folder = dataset_with(tmp_path, old, new)
    fouten = refusal(folder)
    [fout] = [m for m in fouten if m.code == "manifest_sleutel_verschreven"]
    assert fout.rij == line_of(folder, new) and f"onbekende sectie {where}" in fout.melding
    assert f"bedoelt u {meant}?" in fout.melding


@pytest.mark.parametrize("old, new, key, meant", [
    ('gebied = "PV22"', 'gebied = "PV22"\nindeeling = "2025"', "indeeling", "indeling"),
    ('gebied = "PV22"', 'gebeid = "PV22"', "gebeid", "gebied"),
    ("totaal = 101440", "Totaal = 101440", "Totaal", "totaal"),
    ("ingangsdatum = 2025-01-01", "ingangs_datum = 2025-01-01", "ingangs_datum", "ingangsdatum"),
])
def test_misspelt_keys_of_the_dataset_and_of_a_decision_are_fouten(tmp_path, old, new, key, meant):
    folder = dataset_with(tmp_path, old, new)
    fouten = [m for m in refusal(folder) if m.code == "manifest_sleutel_verschreven"]
    assert [(m.kolom, f"bedoelt u {meant!r}" in m.melding) for m in fouten] == [(key, True)]


def test_a_misspelt_agreement_key_is_a_fout():
    text = ('[[afspraak]]\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\naantall = 50\n'
            "ingangsdatum = 2026-02-01\n")
    _, meldingen = parse_manifest(text, "x")
    assert [(m.code, m.kolom, m.rij) for m in meldingen] == [("manifest_sleutel_verschreven", "aantall", 1)]
    assert "aantal = 50" in meldingen[0].melding


def test_an_end_under_another_word_is_still_read_as_the_end():
    text = ('[[afspraak]]\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\naantal = 50\n'
            "ingangsdatum = 2026-02-01\ntot_en_met = 2026-06-30\n")
    manifest, meldingen = parse_manifest(text, "x")
    assert meldingen == [] and str(manifest.afspraken[0].values["einddatum"]) == "2026-06-30"


def test_a_key_of_its_own_is_a_warning_for_an_adapter_that_reads_none(tmp_path):
    """A key that resembles no manifest key: the built-in adapters declare that they read none, so it is named;
    the figures are the sample's."""
    folder = dataset_with(tmp_path, LATEST_COA, f'{LATEST_COA}\nopmerking = "van Jan"')
    ds = opvangkern.open_dataset(folder)
    [warning] = [m for m in ds.meldingen.to_pylist() if m["code"] == "manifest_onbekende_sleutel"]
    assert (warning["kolom"], warning["rij"]) == ("opmerking", line_of(folder, LATEST_COA) - 2)
    assert "COA kent geen eigen sleutels" in warning["melding"]
    sample = opvangkern.open_dataset(sample_path()).realisaties
    assert ds.realisaties.num_rows == sample.num_rows
    assert ds.realisaties.column("aantal").to_pylist() == sample.column("aantal").to_pylist()


class Reads:
    name, label = "x", "X"
    options = ("opgave",)


class Undeclared:
    name, label = "y", "Y"


def test_keys_an_adapter_declares_or_an_undeclared_adapter_gets_are_passed_on_quietly():
    from opvangkern.dataset.load import undeclared_options

    text = ('[[bron]]\nbron = "x"\nbestand = "a.csv"\nopgave = "amv"\nkleur = "rood"\n'
            '[[bron]]\nbron = "y"\nbestand = "b.csv"\nwat_dan_ook = 1\n')
    manifest, meldingen = parse_manifest(text, "m")
    assert meldingen == [] and manifest.bronnen[0].options == {"opgave": "amv", "kleur": "rood"}
    found = undeclared_options(manifest.bronnen, {"x": Reads(), "y": Undeclared()})
    assert [(m.code, m.kolom, m.rij) for m in found] == [("manifest_onbekende_sleutel", "kleur", 1)]
    assert "X leest alleen opgave" in found[0].melding


@given(st.sampled_from(sorted(manifest_module.SOURCE_KEYS)))
def test_a_known_key_is_meant_as_itself(key):
    assert meant_key(key, manifest_module.SOURCE_KEYS) == key
    assert meant_key(key.upper(), manifest_module.SOURCE_KEYS) == key


@pytest.mark.parametrize("key", ["opgave", "categorie", "opmerking", "kleur", "x", "contactpersoon"])
def test_an_unrelated_key_is_meant_as_nothing(key):
    assert meant_key(key, manifest_module.SOURCE_KEYS) is None
