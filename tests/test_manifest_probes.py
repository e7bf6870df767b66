"""The manifest as analysts write it (hardening, eighth session): Windows paths, dates and task names as typed,
a Dutch thousands dot that TOML reads as a decimal point, a manifest saved by a Windows editor, and agreements
dated before the decision they change. Through ``load_dataset`` / ``opvangkern check``; expected figures by plain
arithmetic, or the exact melding (code, line, key, value)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern
from opvangkern.dataset.manifest import decode_manifest, parse_manifest

from .test_agreements_dataset import BASE, FEB26, agreement, dataset
from .test_quota_publications import check, make, meldingen, points, quota

JAN = dt.date(2026, 1, 1)
CSV = "Gemeente;Opgave\nAssen;40\nEmmen;60\n"


def errors(folder: Path) -> list[dict]:
    return [m for m in meldingen(folder) if m["ernst"] == "fout"]


def manifest_line(folder: Path, number: int) -> str:
    return (folder / "opvangkern.toml").read_text(encoding="utf-8").splitlines()[number - 1]


# --- paths, dates and task names as typed ------------------------------------------------------------

def test_a_relative_path_with_backslashes_is_read(tmp_path):
    # before: 'opgaven\a.csv' was no file on Linux (bestand_ontbreekt), though it is the file Explorer shows
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven\\\\a.csv"), {"opgaven/a.csv": CSV})
    assert errors(folder) == []
    assert points(folder) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0)]
    assert set(opvangkern.load_dataset(folder).opgaven.column("bestand").to_pylist()) == {"opgaven/a.csv"}


def test_the_same_file_with_both_separators_is_the_same_file_twice(tmp_path):
    twice = quota("asiel", "2026-01-01", "opgaven/a.csv") + quota("asiel", "2026-01-01", "opgaven\\\\a.csv")
    folder = make(tmp_path, twice, {"opgaven/a.csv": CSV})
    assert [m["code"] for m in errors(folder)] == ["bestand_dubbel"]
    assert points(folder) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0)]  # counted once


def test_a_backslash_path_that_leaves_the_folder_is_still_refused(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven\\\\..\\\\..\\\\a.csv"), {"opgaven/a.csv": CSV})
    assert [m["code"] for m in errors(folder)] == ["bestand_buiten_map"] and points(folder) == []


@pytest.mark.parametrize("written", ['"2026/01/01"', '"01-01-2026"', '"1 januari 2026"', "2026-01-01"])
def test_an_ingangsdatum_in_every_unambiguous_form(tmp_path, written):
    folder = make(tmp_path, quota("asiel", written, "opgaven/a.csv"), {"opgaven/a.csv": CSV})
    assert errors(folder) == [] and points(folder) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0)]


@pytest.mark.parametrize("written", ['"01/13/2026"', '"januari 2026"', '"2026-1"'])
def test_an_ingangsdatum_that_is_no_day_is_a_fout_at_its_line(tmp_path, written):
    folder = make(tmp_path, quota("asiel", written, "opgaven/a.csv"), {"opgaven/a.csv": CSV})
    [fout] = errors(folder)
    assert (fout["code"], fout["bestand"], fout["kolom"]) == ("manifest_ingangsdatum", "opvangkern.toml", "ingangsdatum")
    assert manifest_line(folder, fout["rij"]) == "[[opgave]]"


@pytest.mark.parametrize("written, key, csv", [
    ("Asiel", "asiel", CSV),
    (" asiel ", "asiel", CSV),
    ("oekraïne", "oekraine", "Veiligheidsregio;Opgave\nDrenthe;40\n"),
    ("Nidos AMV", "nidos_amv", CSV),
    ("Vergunninghouders", "vergunninghouders", CSV),
])
def test_a_task_typed_with_capitals_or_diacritics_is_the_task(tmp_path, written, key, csv):
    folder = make(tmp_path, quota(written, "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert errors(folder) == []
    assert {r["opgave"] for r in opvangkern.load_dataset(folder).opgaven.to_pylist()} == {key}


def test_a_task_that_is_no_task_stays_a_fout(tmp_path):
    folder = make(tmp_path, quota("asyl", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": CSV})
    assert [(m["code"], m["waarde"]) for m in errors(folder)] == [("manifest_onbekende_opgave", "asyl")]


# --- a thousands dot that TOML reads as a decimal point ----------------------------------------------

def test_a_total_with_a_thousands_dot_is_a_fout_at_its_line(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv", "totaal = 101.440"), {"opgaven/a.csv": CSV})
    found = [m for m in errors(folder) if m["code"] == "manifest_duizendtalpunt"]
    assert [(m["bestand"], m["kolom"], m["waarde"]) for m in found] == [("opvangkern.toml", "totaal", "101.440")]
    assert manifest_line(folder, found[0]["rij"]) == "totaal = 101.440"
    assert "totaal = 101440" in found[0]["melding"] and "101_440" in found[0]["melding"]
    assert check(folder)[0] == 1


@pytest.mark.parametrize("written", ["101440", "101_440", "12.5", "1.5e3", "1.0"])
def test_a_total_without_a_thousands_dot_is_quiet(tmp_path, written):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv", f"totaal = {written}"),
                  {"opgaven/a.csv": CSV})
    assert "manifest_duizendtalpunt" not in {m["code"] for m in meldingen(folder)}


def test_an_agreement_of_1_000_places_is_a_fout_not_one_place(tmp_path):
    folder = dataset(tmp_path, agreement(**BASE).replace("aantal = 50", "aantal = 1.000"))
    ds = opvangkern.load_dataset(folder)
    # before: TOML read 1.000 as 1.0, and one place moved from Tynaarlo to Assen, exit 0
    found = [m for m in ds.melding_list if m.code == "manifest_duizendtalpunt"]
    assert [(m.kolom, m.waarde, m.is_error) for m in found] == [("aantal", "1.000", True)]
    assert (folder / "opvangkern.toml").read_text(encoding="utf-8").splitlines()[found[0].rij - 1] == "aantal = 1.000"


@settings(max_examples=60, deadline=None)
@given(whole=st.integers(1000, 10**9), key=st.sampled_from(["totaal", "aantal"]), comment=st.booleans())
def test_every_number_written_with_thousands_dots_is_refused_and_its_plain_form_is_not(whole, key, comment):
    dotted = f"{whole:,}".replace(",", ".")
    tail = "  # landelijk" if comment else ""
    base = '[dataset]\nnaam = "x"\n[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-01-01\nbestand = "a.csv"\n'
    _, found = parse_manifest(base + f"{key} = {dotted}{tail}\n", "x")
    refused = [m for m in found if m.code == "manifest_duizendtalpunt"]
    assert [(m.rij, m.kolom, m.waarde) for m in refused] == [(7, key, dotted)]
    assert f"{key} = {whole}" in refused[0].melding
    _, plain = parse_manifest(base + f"{key} = {whole}{tail}\n", "x")
    assert "manifest_duizendtalpunt" not in {m.code for m in plain}


# --- a manifest saved by a Windows editor ------------------------------------------------------------

@pytest.mark.parametrize("encoding, warned", [("utf-8", False), ("utf-8-sig", False), ("utf-16", True),
                                              ("cp1252", True)])
def test_decode_manifest_reads_what_windows_editors_save(encoding, warned):
    text = '[dataset]\nnaam = "Súdwest-Fryslân, stand 31-12-2025"\ngebied = "Fryslân"\n'
    decoded, found = decode_manifest(text.encode(encoding))
    assert decoded == text
    assert [m.code for m in found] == (["manifest_codering"] if warned else [])
    manifest, problems = parse_manifest(decoded, "x")
    assert manifest.naam == "Súdwest-Fryslân, stand 31-12-2025" and problems == []


@settings(max_examples=80, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_decode_manifest_gives_utf8_text_back_unchanged_and_quietly(text):
    decoded, found = decode_manifest(text.encode("utf-8"))
    assert (decoded, found) == (text, [])


# --- agreements dated before the decision they change -------------------------------------------------

def test_an_agreement_dated_before_the_giving_lines_first_point_warns_and_counts(tmp_path):
    folder = dataset(tmp_path, agreement(**{**BASE, "ingangsdatum": dt.date(2016, 2, 1)}))
    ds = opvangkern.load_dataset(folder)
    found = [m for m in ds.melding_list if m.code == "afspraak_voor_eerste_besluit"]
    assert [(m.ernst.value, m.bestand, m.kolom, m.waarde) for m in found] == [
        ("waarschuwing", "opvangkern.toml", "ingangsdatum", "2016-02-01")]
    assert "1 januari 2025" in found[0].melding  # the first point of Tynaarlo's asylum line in the sample
    assert not any(m.is_error for m in ds.melding_list)
    assert ds.afspraken.num_rows == 1


@pytest.mark.parametrize("day", [dt.date(2025, 1, 1), dt.date(2025, 6, 1), FEB26])
def test_an_agreement_on_or_after_the_first_point_is_quiet(tmp_path, day):
    folder = dataset(tmp_path, agreement(**{**BASE, "ingangsdatum": day}))
    ds = opvangkern.load_dataset(folder)
    assert "afspraak_voor_eerste_besluit" not in {m.code for m in ds.melding_list}
    assert ds.afspraken.num_rows == 1


def test_an_agreement_before_the_first_decision_lowers_every_point_of_the_line(tmp_path):
    def asylum_card(folder: Path) -> dict:
        kaarten = opvangkern.open_dataset(folder).dashboard("Tynaarlo").kaarten.to_pylist()
        return next(r for r in kaarten if r["opgave"] == "asiel")

    plain = asylum_card(dataset(tmp_path / "a"))
    early = asylum_card(dataset(tmp_path / "b", agreement(**{**BASE, "ingangsdatum": dt.date(2016, 2, 1)})))
    # SPEC: every point dated on or after the ingangsdatum is lowered by aantal: here both of them
    assert early["startpunt"] == plain["startpunt"] - BASE["aantal"]
    assert early["eindpunt"] == plain["eindpunt"] - BASE["aantal"]
    assert early["indicatief_schema"] == plain["indicatief_schema"] - BASE["aantal"]
