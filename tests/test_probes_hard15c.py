"""Hardening (fifteenth session, ``hard15c``): area cells as publications write them.

Most spellings of codes and names (``GM 0106``, ``0106.0``, ``GM0106 Assen``, ``Assen (0106)``, ``Bergen (NH.)``,
Frisian names, ``Gemeente Assen``, former municipalities and their old codes, a split municipality) were right
already (see ``tests/test_probes_hard14c.py``, ``tests/test_areas.py``). Wrong before this session:

- a code column headed as the BRP and other publishers name it, ``Gemeentenummer`` (``Gemeentenr.``, ``Gemnr``,
  ``Code CBS``), was not a code column: beside a ``Gemeente`` column it was ignored without a word, so a row whose
  code and name disagree (``0106`` | ``Emmen``) counted for the name with exit 0; alone the file was refused as
  having no area column. Now it is the ``Gemeentecode`` column: a disagreement is ``gebieden_spreken_tegen`` at
  its row and column, and alone it gives the municipalities;
- ``Bergen`` beside its code (``GM0373`` in the ``Gemeentecode`` column, ``Bergen (GM0373)`` or ``0893 Bergen`` in
  one cell) was refused as an unknown name (``gebied_onbekend``, ``code_en_naam_onbekend``), though the code says
  which of the two municipalities named Bergen it is: the starter dataset of Noord-Holland with its ``Bergen
  (NH.)`` shortened to ``Bergen`` stopped ``check``. Now the code settles it; a code of another municipality
  beside ``Bergen`` stays a fout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from opvangkern.testing import load_module
from opvangkern.testing.fuzz import csv_bytes

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard15c")
ASSEN, EMMEN = _PROBES.ASSEN, _PROBES.EMMEN
errors, figures, read = _PROBES.errors, _PROBES.figures, _PROBES.read
COUNT = {"nidos": ("Plekken", ("nidos_amv", None)), "kcio": ("Capaciteit", ("oekraine", None)),
         "tvs": ("Gerealiseerd", ("vergunninghouders", None))}
HEADERS = ["Gemeentenummer", "Gemeentenr.", "Gemnr", "Code CBS", "gemeentenummer"]


@pytest.mark.parametrize("bron", sorted(COUNT))
@pytest.mark.parametrize("header", HEADERS)
def test_a_gemeentenummer_that_disagrees_with_the_name_is_a_fout_at_its_cell(bron, header):
    """Before: the code column was ignored and 5 counted for Emmen (5 + 3 = 8) with exit 0."""
    count, key = COUNT[bron]
    rows = [[header, "Gemeente", count], ["0106", "Emmen", 5], ["0114", "Emmen", 3]]
    result = read(bron, csv_bytes(rows))
    assert figures(result) == {(EMMEN, *key): 3}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("gebieden_spreken_tegen", 2, header, "0106")
    assert "GM0106 (Assen)" in fout.melding and "GM0114 (Emmen)" in fout.melding


@pytest.mark.parametrize("bron", sorted(COUNT))
@pytest.mark.parametrize("header", HEADERS)
def test_a_gemeentenummer_that_agrees_or_stands_alone_gives_the_municipality(bron, header):
    count, key = COUNT[bron]
    both = [[header, "Gemeente", count], ["0106", "Assen", 5], [114, "Emmen", 3]]
    alone = [[header, count], ["106", 5], ["GM0114", 3], ["0106", 2]]
    result = read(bron, csv_bytes(both))
    assert not errors(result) and figures(result) == {(ASSEN, *key): 5, (EMMEN, *key): 3}
    result = read(bron, csv_bytes(alone))  # before: verplichte_kolom_ontbreekt
    assert not errors(result) and figures(result) == {(ASSEN, *key): 5 + 2, (EMMEN, *key): 3}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "opvangkern", *args], capture_output=True, text=True, timeout=300)


def test_the_starter_dataset_with_its_code_column_renamed_gemeentenummer(tmp_path):
    """``opvangkern init --gebied PV21``, filled in by an analyst who renamed the code column after the BRP and
    pasted Heerenveen's number beside Leeuwarden: a fout at that cell, the other municipalities counted."""
    folder = tmp_path / "fryslan"
    assert _cli("init", str(folder), "--gebied", "PV21").returncode == 0
    path = folder / "opgaven" / "asiel-2026-01-01.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Opgave"]
    ws.cell(1, 1, "Gemeentenummer")
    ws.cell(1, 4, "Opmerking")  # a column added by the analyst changes nothing
    total = 0
    for index, row in enumerate(ws.iter_rows(min_row=2), start=1):
        if row[0].value is None:
            continue
        row[2].value = 10 * index
        if row[1].value == "Leeuwarden":
            row[0].value, leeuwarden_row = "0074", row[0].row
        else:
            total += 10 * index
    wb.save(path)
    done = _cli("check", str(folder))
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert (f"fout: blad Opgave, rij {leeuwarden_row}, kolom Gemeentenummer: Gemeente 'Leeuwarden' is GM0080 "
            "(Leeuwarden), maar Gemeentenummer '0074' is GM0074 (Heerenveen)") in out
    from opvangkern.numbers import dutch_exact
    assert f"som van de opgaven: {dutch_exact(total)}" in out


BERGEN_NH, BERGEN_L = "GM0373", "GM0893"


@pytest.mark.parametrize("bron", sorted(COUNT))
def test_bergen_beside_its_code_is_that_bergen(bron):
    count, key = COUNT[bron]
    rows = [["Gemeentecode", "Gemeente", count], ["GM0373", "Bergen", 5], ["0893", "bergen", 3], [106, "Assen", 2]]
    result = read(bron, csv_bytes(rows))
    assert not result.meldingen and figures(result) == {(BERGEN_NH, *key): 5, (BERGEN_L, *key): 3, (ASSEN, *key): 2}
    cells = [["Gemeente", count], ["Bergen (GM0373)", 5], ["GM0893 Bergen", 3], ["0893 - Bergen", 4]]
    result = read(bron, csv_bytes(cells))
    assert not errors(result) and figures(result) == {(BERGEN_NH, *key): 5, (BERGEN_L, *key): 3 + 4}


@pytest.mark.parametrize("bron", sorted(COUNT))
def test_bergen_beside_another_municipalitys_code_or_alone_stays_a_fout(bron):
    count, key = COUNT[bron]
    rows = [["Gemeentecode", "Gemeente", count], ["GM0106", "Bergen", 5], ["", "Bergen", 4], ["0114", "Emmen", 3]]
    result = read(bron, csv_bytes(rows))
    assert figures(result) == {(EMMEN, *key): 3}
    assert [(m.code, m.rij, m.kolom, m.waarde) for m in errors(result)] == [
        ("gebied_onbekend", 2, "Gemeente", "Bergen"), ("gebied_onbekend", 3, "Gemeente", "Bergen")]
    result = read(bron, csv_bytes([["Gemeente", count], ["Bergen (GM0106)", 5], ["Emmen", 3]]))
    assert figures(result) == {(EMMEN, *key): 3}
    assert [(m.code, m.rij, m.kolom) for m in errors(result)] == [("code_en_naam_onbekend", 2, "Gemeente")]


def test_the_starter_dataset_of_noord_holland_with_bergen_shortened(tmp_path):
    """The analyst wrote ``Bergen`` over ``Bergen (NH.)`` and left its code: before, ``gebied_onbekend`` and exit 1."""
    folder = tmp_path / "noord-holland"
    assert _cli("init", str(folder), "--gebied", "PV27").returncode == 0
    path = folder / "opgaven" / "asiel-2026-01-01.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Opgave"]
    municipalities = 0
    for row in ws.iter_rows(min_row=2):
        if row[0].value is None:
            continue
        municipalities += 1
        row[2].value = 10
        if row[0].value == BERGEN_NH:
            row[1].value, row[2].value = "Bergen", 77
    wb.save(path)
    done = _cli("check", str(folder))
    out = done.stdout + done.stderr
    from opvangkern.numbers import dutch_exact
    assert "fout:" not in out and f"som van de opgaven: {dutch_exact(10 * (municipalities - 1) + 77)}" in out


def test_cbs_gemeentecode_beside_gemeentecodegm_stays_one_code_column():
    """CBS's own list: ``GemeentecodeGM`` is still ignored beside ``Gemeentecode`` without a word."""
    rows = [["Gemeentecode", "GemeentecodeGM", "Gemeentenaam", "Plekken"], [106, "GM0106", "Assen", 5],
            [114, "GM0114", "Emmen", 3]]
    result = read("nidos", csv_bytes(rows))
    assert not result.meldingen and figures(result) == {(ASSEN, *COUNT["nidos"][1]): 5, (EMMEN, *COUNT["nidos"][1]): 3}


def test_an_ampersand_for_en_in_gooi_en_vechtstreek_and_aa_en_hunze():
    """Before: ``Gooi & Vechtstreek`` was an unknown region (KCIO's ``veiligheidsregio_onbekend``), ``Aa & Hunze``
    an unknown municipality (``gebied_onbekend``, its figure left out)."""
    rows = [["Veiligheidsregio", "Gemeente", "Capaciteit"], ["Gooi & Vechtstreek", "Hilversum", 40],
            ["Drenthe", "Aa & Hunze", 12], ["Drenthe", "Assen", 8]]
    result = read("kcio", csv_bytes(rows))
    kcio = COUNT["kcio"][1]
    assert not result.meldingen and figures(result) == {("GM0402", *kcio): 40, ("GM1680", *kcio): 12, (ASSEN, *kcio): 8}
    from opvangkern.areas import load_division
    for name in ("2026", "2027"):
        division = load_division(name)
        assert division.resolve_region("Gooi & Vechtstreek").code == "VR14"
        assert division.resolve_gemeente("Aa & Hunze").code == "GM1680"
