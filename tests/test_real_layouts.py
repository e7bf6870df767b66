"""Hardening (tenth session): replicas of the real publications, with synthetic figures.

The earlier probes laid files out as we imagined the sources publish them. Here the layout follows the public
pages themselves (see "Hoe de echte bestanden eruitzien" in ``docs/sources/*.md``): COA's own names for its
location types as coa.nl writes them (``Asielzoekerscentrum (azc)``, ``Kleine woonvoorziening (kwv)``,
``Gemeentelijke Opvang Oekraïne (GOO)``), its lower-case ``peildatum:`` line and its occupancy as ``Aantal
bewoners``; the ministry's Ukraine figures as ``Aantal opgevangen`` beside the capacity; Nidos' ``Aantal KWE``
beside ``Aantal plekken``; CBS's ``Gemeenten alfabetisch`` (``Gemeentecode`` as a bare number beside
``GemeentecodeGM``, cp1252) and a StatLine table (``Regio's``, ``Groningen (gemeente)`` beside ``Groningen (PV)``,
``Bron: CBS.``) with a target column added by the analyst; the Spreidingswet's decision per province with the AMV
share beside the target. Each file is read as CSV and as XLSX (openpyxl, with a merged title cell), through the
adapter's fast path, inside ``fastscan.careful()`` and by the plugin's reference adapter (``read`` of
``tests/test_probes.py``), and the whole dataset through ``opvangkern check`` and ``dashboard``. Every expected
figure is plain arithmetic here.

Wrong before this session (a figure that the melding's own fix made wrong, or a refusal without the fix):
- ``Aantal KWE | Aantal plekken`` (Nidos) and ``Aantal locaties | Aantal plekken``: the melding's ``kolommen`` line
  mapped ``Aantal KWE`` (the number of housing units) onto ``Plekken``; copied, it counted units as places;
- ``Kleine woonvoorziening (kwv)`` (COA's own name for an AMV location) was refused with the line
  ``waarden = { "Kleine woonvoorziening (kwv)" = "regulier" }``: copied, AMV places counted as regular asylum;
- ``Asielzoekerscentrum (azc)``, ``Noodopvanglocatie (NOL)``, ``Gemeentelijke Opvang Oekraïne (GOO)`` were refused;
- ``Aantal bewoners`` (COA) and ``Aantal opgevangen`` (Ukraine) were no occupancy column: with ``maat =
  "bezetting"`` a refusal without a line to fix it, and a list of occupancy only read for places did not say
  that ``maat = "bezetting"`` reads it;
- ``Groningen (PV)`` (StatLine's province row) in a municipality column was an unknown municipality whose melding
  proposed the municipality Groningen: mapped so, the province's total counted as the city's places;
- StatLine's ``Regio's`` header was not proposed in the ``kolommen`` line for the missing ``Gemeente``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_real_layouts")
errors, figures, read, where = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where

ASSEN, EMMEN, TYNAARLO, COEVORDEN, AA_EN_HUNZE = "GM0106", "GM0114", "GM1730", "GM0109", "GM1680"
GRONINGEN, WESTERWOLDE, LEEUWARDEN, SUDWEST = "GM0014", "GM1950", "GM0080", "GM1900"
PEIL = dt.date(2025, 12, 29)


def as_csv(rows: list[list], sep: str = ";", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(["" if c is None else c for c in r] for r in rows)
    return out.getvalue().encode(encoding)


def as_xlsx(sheets: dict[str, list[list]], merge_title: bool = True) -> bytes:
    """A workbook as a publisher's Excel saves it: the title merged over the table's width (openpyxl)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        width = max(len(r) for r in rows)
        if merge_title and width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def both(rows: list[list], sheet: str = "Blad1") -> list[tuple[str, bytes]]:
    return [("csv", as_csv(rows)), ("xlsx", as_xlsx({sheet: rows}))]


def sheet_of(fmt: str, sheet: str) -> str | None:
    return sheet if fmt == "xlsx" else None


# --- COA: the location list in COA's own words ---------------------------------------------------------------

COA_LOCATIONS = [
    ["COA-locaties per gemeente", None, None, None, None, None],
    ["peildatum: 29 december 2025", None, None, None, None, None],
    [],
    ["Gemeente", "COA-locatie", "Type locatie", "Capaciteit", "Aantal bewoners", "Bezettingsgraad"],
    ["Assen", "azc Assen", "Asielzoekerscentrum (azc)", "1.010", 909, "90%"],
    ["Assen", "NOL Assen", "Noodopvanglocatie (NOL)", 614, 553, "90%"],
    ["Assen", "kwv Assen", "Kleine woonvoorziening (kwv)", 20, 18, "90%"],
    ["Emmen", "azc Emmen", "azc", 400, 380, "95%"],
    ["Emmen", "azc Emmen (uitbreiding)", "Locatie uitgebreid met noodopvang", 150, 120, "80%"],
    ["Tynaarlo", "Sporthal Vries", "Crisisnoodopvang", 100, 90, "90%"],
    ["Coevorden", "GOO Coevorden", "Gemeentelijke Opvang Oekraïne (GOO)", 60, 55, "92%"],
    [],
    ["* De locaties voor crisisnoodopvang en Gemeentelijke Opvang Oekraïne (GOO) zijn niet in beheer van het COA."],
    ["Bron: COA"],
]


@pytest.mark.parametrize("fmt, data", both(COA_LOCATIONS, "Locaties"))
def test_coa_location_types_as_coa_names_them(fmt, data):
    result = read("coa", data, peildatum=PEIL)
    assert not result.meldingen
    assert figures(result) == {
        (ASSEN, "asiel", "regulier"): 1010, (ASSEN, "asiel", "noodopvang"): 614, (ASSEN, "amv", None): 20,
        (EMMEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "noodopvang"): 150,
    }
    # the crisisnoodopvang and GOO rows are known and skipped; the footnote and the source line are notes
    assert (result.stats.rijen_gelezen, result.stats.rijen_gebruikt, result.stats.rijen_overgeslagen) == (9, 5, 4)


@pytest.mark.parametrize("fmt, data", both(COA_LOCATIONS, "Locaties"))
def test_coa_aantal_bewoners_is_the_occupancy(fmt, data):
    result = read("coa", data, peildatum=PEIL, maat="bezetting")
    assert not result.meldingen
    assert figures(result) == {
        (ASSEN, "asiel", "regulier"): 909, (ASSEN, "asiel", "noodopvang"): 553, (ASSEN, "amv", None): 18,
        (EMMEN, "asiel", "regulier"): 380, (EMMEN, "asiel", "noodopvang"): 120,
    }


@pytest.mark.parametrize("fmt, data", both([r[:3] + r[4:5] for r in COA_LOCATIONS[:11]], "Locaties"))
def test_coa_occupancy_only_read_for_places_says_which_maat_reads_it(fmt, data):
    result = read("coa", data, peildatum=PEIL)
    assert figures(result) == {}
    [fout] = errors(result)
    assert where(fout) == ("fout", "maatkolom_ontbreekt", f"coa.{fmt}", sheet_of(fmt, "Locaties"), 4, "Capaciteit", None)
    assert "kolom 'Aantal bewoners'" in fout.melding and 'maat = "bezetting"' in fout.melding
    assert 'kolommen = { "kop zoals in het bestand" = "Capaciteit" }' in fout.melding
    # the line of the melding reads the occupancy
    assert figures(read("coa", data, peildatum=PEIL, maat="bezetting"))[(ASSEN, "asiel", "regulier")] == 909


@pytest.mark.parametrize("vorm, proposal", [
    ("Centrale ontvangstlocatie (col)", "regulier"), ("Procesopvanglocatie (pol)", "regulier"),
    ("Gezinslocatie", "regulier"), ("Centrale ontvangstlocatie voor amv", "amv"),
    ("Crisisnoodopvang gemeente Tynaarlo", "overslaan"), ("azc (kwv)", "regulier"),
])
def test_coa_types_the_adapter_does_not_count_by_itself_are_refused_with_the_waarden_line(vorm, proposal):
    """COA's types of the asylum procedure (col, pol) and of return (gezinslocatie, vrijheidsbeperkende locatie)
    are COA's places, but whether a dataset counts them is the analyst's choice: refused, with the line. The line
    proposes the category a known word names (AMV for a location for minors), never regulier for it."""
    rows = [["Gemeente", "Locatie", "Type locatie", "Capaciteit"], ["Assen", "x", vorm, 80], ["Emmen", "azc", "azc", 7]]
    result = read("coa", as_csv(rows))
    assert figures(result) == {(EMMEN, "asiel", "regulier"): 7}
    [fout] = errors(result)
    assert where(fout) == ("fout", "onbekend_locatietype", "coa.csv", None, 2, "Type locatie", vorm)
    assert f'waarden = {{ "{vorm}" = "{proposal}" }}' in fout.melding
    mapped = read("coa", as_csv(rows), waarden={vorm: proposal})
    expected = {"regulier": {(ASSEN, "asiel", "regulier"): 80}, "amv": {(ASSEN, "amv", None): 80}, "overslaan": {}}
    assert figures(mapped) == {**expected[proposal], (EMMEN, "asiel", "regulier"): 7} and not mapped.meldingen


@pytest.mark.parametrize("vorm, key", [
    ("Kleine woonvoorziening (kwv)", ("amv", None)), ("kwv (kleine woonvoorziening)", ("amv", None)),
    ("Asielzoekerscentrum (azc)", ("asiel", "regulier")), ("Noodopvanglocatie (NOL)", ("asiel", "noodopvang")),
    ("Tijdelijke gemeentelijke opvang (TGO)", ("asiel", "tgo")), ("Gemeentelijke Opvang Oekraïne (GOO)", None),
    ("Crisisnoodopvang (CNO)", "fout"), ("Noodopvang (kwv)", "fout"),
])
def test_coa_a_name_with_its_abbreviation_is_the_type_when_both_agree(vorm, key):
    rows = [["Gemeente", "Locatie", "Type locatie", "Capaciteit"], ["Assen", "x", vorm, 30]]
    result = read("coa", as_csv(rows))
    if key == "fout":  # one part unknown, or the two parts name two categories: not guessed
        assert figures(result) == {} and [m.code for m in errors(result)] == ["onbekend_locatietype"]
    elif key is None:  # not COA's places: skipped
        assert figures(result) == {} and not result.meldingen and result.stats.rijen_overgeslagen == 1
    else:
        assert figures(result) == {(ASSEN, *key): 30} and not result.meldingen


# --- Oekraïne: the ministry's figures per safety region ------------------------------------------------------

OEKRAINE = [
    ["Opvang ontheemden uit Oekraïne in de gemeentelijke opvang", None, None, None, None],
    ["peildatum 29 december 2025", None, None, None, None],
    ["Veiligheidsregio", "Gemeente", "Capaciteit", "Aantal opgevangen", "Bezettingsgraad (%)"],
    ["Drenthe", "Assen", 300, 250, 83],
    ["Drenthe", "Emmen", "1.004", 879, 88],
    ["Drenthe", "Tynaarlo", 120, 120, 100],
    ["Totaal Drenthe", None, "1.424", "1.249", None],
    ["Groningen", "Groningen", 900, 810, 90],
    ["Groningen", "Westerwolde", 80, 60, 75],
    ["Totaal Groningen", None, 980, 870, None],
    ["Totaal", None, "2.404", "2.119", None],
    ["Bron: ministerie van Justitie en Veiligheid"],
    ["Toelichting", None, None, None, None],
    [None, "Aantal opgevangen: personen in de gemeentelijke opvang op de peildatum.", None, None, None],
]


@pytest.mark.parametrize("fmt, data", both(OEKRAINE, "Per gemeente"))
def test_oekraine_capacity_and_aantal_opgevangen(fmt, data):
    places = read("kcio", data, peildatum=PEIL)
    assert not places.meldingen
    assert figures(places) == {(ASSEN, "oekraine", None): 300, (EMMEN, "oekraine", None): 1004,
                               (TYNAARLO, "oekraine", None): 120, (GRONINGEN, "oekraine", None): 900,
                               (WESTERWOLDE, "oekraine", None): 80}
    # the subtotals are excluded and checked: 300 + 1004 + 120 = 1424, 900 + 80 = 980, together 2404
    assert places.stats.totaalrijen == 3
    received = read("kcio", data, peildatum=PEIL, maat="bezetting")
    assert not received.meldingen
    assert figures(received) == {(ASSEN, "oekraine", None): 250, (EMMEN, "oekraine", None): 879,
                                 (TYNAARLO, "oekraine", None): 120, (GRONINGEN, "oekraine", None): 810,
                                 (WESTERWOLDE, "oekraine", None): 60}
    assert 250 + 879 + 120 == 1249 and 810 + 60 == 870 and 1249 + 870 == 2119


def test_oekraine_a_subtotal_that_does_not_add_up_is_said():
    rows = [list(r) for r in OEKRAINE]
    rows[6][3] = "1.250"  # one more than 250 + 879 + 120
    result = read("kcio", as_csv(rows), peildatum=PEIL, maat="bezetting")
    assert [where(m) for m in result.meldingen] == [
        ("waarschuwing", "totaalrij_klopt_niet", "kcio.csv", None, 7, "Aantal opgevangen", "1.250")]


@pytest.mark.parametrize("fmt, data", both([r[:2] + r[3:4] for r in OEKRAINE[:7]], "Per gemeente"))
def test_oekraine_a_list_of_aantal_opgevangen_only_says_how_to_read_it(fmt, data):
    result = read("kcio", data, peildatum=PEIL)
    [fout] = errors(result)
    assert where(fout) == ("fout", "maatkolom_ontbreekt", f"kcio.{fmt}", sheet_of(fmt, "Per gemeente"), 3,
                           "Capaciteit", None)
    assert 'maat = "bezetting"' in fout.melding and "'Aantal opgevangen'" in fout.melding
    assert figures(read("kcio", data, peildatum=PEIL, maat="bezetting")) == {
        (ASSEN, "oekraine", None): 250, (EMMEN, "oekraine", None): 879, (TYNAARLO, "oekraine", None): 120}


# --- Nidos: housing units beside places ----------------------------------------------------------------------

NIDOS = [
    ["Nidos - kleinschalige opvang amv per gemeente", None, None],
    ["Stand per 29 december 2025", None, None],
    ["Gemeente", "Aantal KWE", "Aantal plekken"],
    ["Assen", 4, 32],
    ["Emmen", 1, 8],
    ["Totaal Nidos", 5, 40],
    ["KWE: kleinschalige wooneenheid (een woning voor 4 tot 8 jongeren)", None, None],
]


@pytest.mark.parametrize("header", [["Aantal KWE", "Aantal plekken"], ["Aantal locaties", "Aantal plekken"]])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_nidos_the_kolommen_line_names_the_places_not_the_units(fmt, header):
    rows = [list(r) for r in NIDOS]
    rows[2][1:] = header
    data = as_csv(rows) if fmt == "csv" else as_xlsx({"Nidos": rows})
    result = read("nidos", data, peildatum=PEIL)
    [fout] = errors(result)
    assert where(fout) == ("fout", "verplichte_kolom_ontbreekt", f"nidos.{fmt}", sheet_of(fmt, "Nidos"), 3, None, None)
    # before: the line was kolommen = { "Aantal KWE" = "Plekken" }, and copied it counted 4 and 1 'places'
    assert fout.melding.endswith('kolommen = { "Aantal plekken" = "Plekken" }')
    fixed = read("nidos", data, peildatum=PEIL, kolommen={"Aantal plekken": "Plekken"})
    assert not fixed.meldingen and figures(fixed) == {(ASSEN, "nidos_amv", None): 32, (EMMEN, "nidos_amv", None): 8}


def test_a_count_of_units_alone_is_only_offered_as_a_question():
    """With no header that names places, the generic ``Aantal ...`` is still the only candidate the line can
    show (the melding asks whether the column is the one): the fallback, as before."""
    result = read("nidos", as_csv([["Gemeente", "Aantal KWE"], ["Assen", 4]]))
    [fout] = errors(result)
    assert fout.code == "verplichte_kolom_ontbreekt" and "heet de kolom in dit bestand anders" in fout.melding


# --- TVS: the monitor's realisation beside the circular's figures --------------------------------------------

TVS = [
    ["Huisvesting vergunninghouders", None, None, None, None, None],
    ["Stand per 1 april 2026", None, None, None, None, None],
    ["Gemeente", "Taakstelling 2026-I", "Achterstand per 1 januari 2026", "Gecorrigeerde taakstelling",
     "Gerealiseerd", "% gerealiseerd"],
    ["Assen", 40, 12, 52, 20, 38],
    ["Emmen", 60, -5, 55, 30, 55],
    ["Totaal", 100, 7, 107, 50, None],
    ["Bron: COA, realisatie per gemeente"],
]


@pytest.mark.parametrize("fmt, data", both(TVS, "Realisatie"))
def test_tvs_monitor_export_gives_the_realisation_and_the_line(fmt, data):
    result = read("tvs", data, peildatum=None)
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "vergunninghouders", None): 20, (EMMEN, "vergunninghouders", None): 30}
    assert result.peildatum == dt.date(2026, 4, 1)
    line = sorted((r["gebied_code"], r["ingangsdatum"], r["aantal"]) for r in result.opgaven.to_pylist())
    # the backlog on the half-year's first day, the corrected target (taakstelling + achterstand) the day after it
    jan, jul = dt.date(2026, 1, 1), dt.date(2026, 7, 1)
    assert line == [(ASSEN, jan, 12.0), (ASSEN, jul, 40.0 + 12), (EMMEN, jan, -5.0), (EMMEN, jul, 60.0 - 5)]


# --- CBS: Gemeenten alfabetisch and a StatLine table, with the analyst's target column ---------------------------

def test_cbs_gemeenten_alfabetisch_with_a_target_column_is_a_quota_file(tmp_path):
    """CBS's list as published (``Gemeentecode`` a bare number, ``GemeentecodeGM``, ``Provinciecode`` 20 and
    ``ProvinciecodePV``; the CSV in cp1252, as CBS writes it), with an ``Opgave`` column typed beside it."""
    rows = [["Gemeentecode", "GemeentecodeGM", "Gemeentenaam", "Provinciecode", "ProvinciecodePV", "Provincienaam",
             "Opgave"],
            [14, "GM0014", "Groningen", 20, "PV20", "Groningen", 969],
            [1950, "GM1950", "Westerwolde", 20, "PV20", "Groningen", 131],
            [80, "GM0080", "Leeuwarden", 21, "PV21", "Fryslân", 420],
            [1900, "GM1900", "Súdwest-Fryslân", 21, "PV21", "Fryslân", 390]]
    folder = _dataset(tmp_path, {"opgaven/asiel.csv": as_csv(rows, encoding="cp1252")})
    assert _check(folder)[0] == 0
    points = {r["gebied_code"]: r["aantal"] for r in opvangkern.open_dataset(folder).opgaven.to_pylist()
              if r["opgave"] == "asiel"}
    assert points == {GRONINGEN: 969.0, WESTERWOLDE: 131.0, LEEUWARDEN: 420.0, SUDWEST: 390.0}


STATLINE = [
    ["Gebieden in Nederland 2026", None, None],
    ["Regio's", "Codes en namen van gemeenten Code (code)", "Opgave"],
    ["Groningen (gemeente)", "GM0014    ", 969],
    ["Westerwolde", "GM1950    ", 131],
    ["Groningen (PV)", "PV20      ", 1100],
    ["Leeuwarden", "GM0080    ", 420],
    ["Súdwest-Fryslân", "GM1900    ", 390],
    ["Fryslân (PV)", "PV21      ", 810],
    ["Bron: CBS.", None, None],
    ["Verklaring van tekens", None, None],
]
STATLINE_KOLOMMEN = ('kolommen = { "Regio\'s" = "Gemeente", '
                     '"Codes en namen van gemeenten Code (code)" = "Gemeentecode" }')


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_statline_regios_is_proposed_for_the_missing_gemeente(tmp_path, fmt):
    name = f"opgaven/asiel.{fmt}"
    data = as_csv(STATLINE) if fmt == "csv" else as_xlsx({"Gebieden in Nederland": STATLINE})
    folder = _dataset(tmp_path, {name: data})
    code, out = _check(folder)
    assert code == 1
    assert 'kolommen = { "Regio\'s" = "Gemeente" }' in out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_statline_province_rows_are_subtotals_not_the_city(tmp_path, fmt):
    """``Groningen (PV)`` is the province's row: excluded and checked (969 + 131 = 1100, 420 + 390 = 810),
    never the municipality Groningen (whose own row is ``Groningen (gemeente)``)."""
    name = f"opgaven/asiel.{fmt}"
    data = as_csv(STATLINE) if fmt == "csv" else as_xlsx({"Gebieden in Nederland": STATLINE})
    folder = _dataset(tmp_path, {name: data}, opgave_extra=STATLINE_KOLOMMEN)
    code, out = _check(folder)
    assert code == 0, out
    assert "0 fout(en), 0 waarschuwing(en)" in out
    points = {r["gebied_code"]: r["aantal"] for r in opvangkern.open_dataset(folder).opgaven.to_pylist()
              if r["opgave"] == "asiel"}
    assert points == {GRONINGEN: 969.0, WESTERWOLDE: 131.0, LEEUWARDEN: 420.0, SUDWEST: 390.0}


def test_statline_a_province_row_that_does_not_add_up_is_said(tmp_path):
    rows = [list(r) for r in STATLINE]
    rows[4][2] = 1000
    folder = _dataset(tmp_path, {"opgaven/asiel.csv": as_csv(rows)}, opgave_extra=STATLINE_KOLOMMEN)
    found = [(m["code"], m["rij"], m["kolom"], m["waarde"]) for m in opvangkern.open_dataset(folder).meldingen.to_pylist()]
    assert found == [("totaalrij_klopt_niet", 5, "Opgave", "1000")]


@pytest.mark.parametrize("area", ["Groningen (PV)", "Utrecht (PV)", "Fryslân (provincie)", "Drenthe (VR)"])
def test_a_province_or_region_with_statlines_mark_is_a_subtotal_row_in_a_source(area):
    rows = [["Gemeente", "Plekken"], ["Groningen (gemeente)", 4], ["Westerwolde", 2], [area, 6], ["Assen", 3]]
    result = read("nidos", as_csv(rows))
    assert figures(result) == {(GRONINGEN, "nidos_amv", None): 4, (WESTERWOLDE, "nidos_amv", None): 2,
                               (ASSEN, "nidos_amv", None): 3}
    assert result.stats.totaalrijen == 1 and not errors(result)


@pytest.mark.parametrize("column", ["Gemeentecode", "RegioS"])
def test_statlines_codes_of_province_region_and_country_are_totals_rows(column):
    """StatLine's raw dataset (``RegioS``, the codes padded to ten characters) lists ``PV20``, ``VR01`` and
    ``NL01`` among the municipalities: subtotals and the grand total, excluded and checked (was: a ``fout``
    'is een provinciecode, geen gemeente' that did not say how to go on)."""
    rows = [[column, "Plekken"], ["GM0014    ", 4], ["GM1950    ", 2], ["PV20      ", 6], ["VR01      ", 6],
            ["GM0080    ", 5], ["NL01      ", 12]]
    kolommen = {"RegioS": "Gemeentecode"} if column == "RegioS" else None
    result = read("nidos", as_csv(rows), kolommen=kolommen)
    assert figures(result) == {(GRONINGEN, "nidos_amv", None): 4, (WESTERWOLDE, "nidos_amv", None): 2,
                               (LEEUWARDEN, "nidos_amv", None): 5}
    assert result.stats.totaalrijen == 3
    # NL01 covers every row: 4 + 2 + 5 = 11, not 12
    assert [where(m) for m in result.meldingen] == [
        ("waarschuwing", "totaalrij_klopt_niet", "nidos.csv", None, 7, "Plekken", "12")]


# --- the Spreidingswet decision per province, AMV beside the target ------------------------------------------

SPREIDING = [
    ["Verdeling opvangplaatsen asielzoekers per gemeente (Spreidingswet)", None, None, None, None, None],
    ["Opgave per 1 februari 2026", None, None, None, None, None],
    [],
    ["Provincie", "Gemeentecode", "Gemeente", "Opgave inclusief amv", "Waarvan amv", "Aandeel amv (%)"],
    ["Drenthe", "GM1680", "Aa en Hunze", 120, 10, "8,3"],
    ["Drenthe", "GM0106", "Assen", "1.010", 86, "8,5"],
    ["Drenthe", "GM0109", "Coevorden", 310, 26, "8,4"],
    ["Drenthe", "GM0114", "Emmen", 905, 77, "8,5"],
    ["Drenthe", "GM1730", "Tynaarlo", 285, 24, "8,4"],
    ["Totaal Drenthe", None, None, "2.630", 223, None],
    [],
    ["Bron: ministerie van Asiel en Migratie; amv: alleenstaande minderjarige vreemdelingen"],
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreidingswet_including_amv_serves_both_tasks(tmp_path, fmt):
    name = f"opgaven/spreiding.{fmt}"
    data = as_csv(SPREIDING) if fmt == "csv" else as_xlsx({"Verdeling": SPREIDING})
    folder = _dataset(tmp_path, {name: data}, tasks=("asiel", "amv"), day="2026-02-01")
    code, out = _check(folder)
    assert code == 0, out
    got = {(r["opgave"], r["gebied_code"]): r["aantal"] for r in opvangkern.open_dataset(folder).opgaven.to_pylist()}
    incl = {AA_EN_HUNZE: 120, ASSEN: 1010, COEVORDEN: 310, EMMEN: 905, TYNAARLO: 285}
    amv = {AA_EN_HUNZE: 10, ASSEN: 86, COEVORDEN: 26, EMMEN: 77, TYNAARLO: 24}
    assert got == {**{("asiel", c): float(incl[c] - amv[c]) for c in incl}, **{("amv", c): float(amv[c]) for c in amv}}
    assert sum(incl.values()) == 2630 and sum(amv.values()) == 223


# --- the whole dataset: every replica through check and dashboard --------------------------------------------

def test_the_replicas_give_the_dashboard_figures(tmp_path):
    folder = tmp_path / "drenthe"
    files = {
        "opgaven/spreiding.xlsx": as_xlsx({"Verdeling": SPREIDING}),
        "bronnen/coa.xlsx": as_xlsx({"Locaties": COA_LOCATIONS}),
        "bronnen/kcio.csv": as_csv(OEKRAINE),
        "bronnen/nidos.csv": as_csv([r if i != 2 else ["Gemeente", "Aantal KWE", "Aantal plekken"]
                                     for i, r in enumerate(NIDOS)]),
        "opgaven/oekraine.csv": as_csv([["Veiligheidsregio", "Opgave"], ["Drenthe", 1500], ["Groningen", 1000]]),
        "opgaven/nidos.csv": as_csv([["Gemeente", "Opgave"], ["Assen", 40], ["Emmen", 10]]),
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    manifest = ['[dataset]\nnaam = "Drenthe, de bronnen zoals ze publiceren"\ngebied = "PV22"\n']
    for opgave in ("asiel", "amv"):
        manifest.append(f'[[opgave]]\nopgave = "{opgave}"\ningangsdatum = 2026-02-01\n'
                        'bestand = "opgaven/spreiding.xlsx"\n')
    manifest.append('[[opgave]]\nopgave = "oekraine"\ningangsdatum = 2025-01-01\nbestand = "opgaven/oekraine.csv"\n')
    manifest.append('[[opgave]]\nopgave = "nidos_amv"\ningangsdatum = 2025-01-01\nbestand = "opgaven/nidos.csv"\n')
    for bron, name in (("coa", "coa.xlsx"), ("kcio", "kcio.csv"), ("nidos", "nidos.csv")):
        manifest.append(f'[[bron]]\nbron = "{bron}"\nbestand = "bronnen/{name}"\n')
    (folder / "opvangkern.toml").write_text("\n".join(manifest), encoding="utf-8")

    code, out = _check(folder)
    assert code == 1 and "bronnen/nidos.csv" in out and 'kolommen = { "Aantal plekken" = "Plekken" }' in out
    out_dir = tmp_path / "uit"
    assert CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(out_dir)]).exit_code == 1
    assert not out_dir.exists()

    text = (folder / "opvangkern.toml").read_text(encoding="utf-8")
    (folder / "opvangkern.toml").write_text(text.replace('bestand = "bronnen/nidos.csv"\n', 'bestand = "bronnen/nidos.csv"\n'
                                                         'kolommen = { "Aantal plekken" = "Plekken" }\n'), encoding="utf-8")
    code, out = _check(folder)
    assert code == 0, out
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(out_dir)])
    assert result.exit_code == 0, result.output
    with open(out_dir / "gemeenten.csv", encoding="utf-8") as f:
        rows = {r["gemeentenaam"]: r for r in csv.DictReader(f)}
    assert (rows["Assen"]["asiel_regulier"], rows["Assen"]["asiel_noodopvang"]) == ("1010", "614")
    assert rows["Assen"]["amv_realisatie"] == "20" and rows["Assen"]["amv_opgave"] == "86.0"
    assert float(rows["Assen"]["asiel_delta"]) == (1010 - 86) - (1010 + 614)
    assert (rows["Emmen"]["asiel_regulier"], rows["Emmen"]["asiel_noodopvang"]) == ("400", "150")
    assert float(rows["Emmen"]["asiel_delta"]) == (905 - 77) - (400 + 150)
    assert rows["Tynaarlo"]["asiel_regulier"] == "" and float(rows["Tynaarlo"]["asiel_delta"]) == 285 - 24
    assert rows["Coevorden"]["asiel_regulier"] == ""  # the GOO location is not COA's
    assert (rows["Assen"]["oekraine_realisatie"], rows["Emmen"]["oekraine_realisatie"]) == ("300", "1004")
    assert (rows["Assen"]["nidos_amv_realisatie"], rows["Emmen"]["nidos_amv_realisatie"]) == ("32", "8")
    assert float(rows["Assen"]["nidos_amv_delta"]) == 40 - 32
    kaarten = {(r["gebied_code"], r["opgave"]): r for r in opvangkern.open_dataset(folder).dashboard().kaarten.to_pylist()}
    assert kaarten[("PV22", "oekraine")]["realisatie"] == 300 + 1004 + 120  # Drenthe's municipalities only
    assert kaarten[("PV22", "asiel")]["realisatie"] == 1010 + 614 + 400 + 150


# --- helpers ---------------------------------------------------------------------------------------------------

def _dataset(tmp_path: Path, files: dict[str, bytes], opgave_extra: str = "", tasks: tuple[str, ...] = ("asiel",),
             day: str = "2026-01-01") -> Path:
    """A dataset of one quota file (for ``tasks``) beside a Nidos file of the same areas (with 0 places: a count
    for a task without a target would be ``realisatie_zonder_opgave``)."""
    folder = tmp_path / "ds"
    (folder / "bronnen").mkdir(parents=True)
    (folder / "bronnen" / "nidos.csv").write_bytes(as_csv([["Peildatum", "Gemeente", "Plekken"],
                                                           ["29-12-2025", "Assen", 0]]))
    manifest = ['[dataset]\nnaam = "proef"\n']
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(files[name])
        for opgave in tasks:
            manifest.append(f'[[opgave]]\nopgave = "{opgave}"\ningangsdatum = {day}\nbestand = "{name}"\n{opgave_extra}\n')
    manifest.append('[[bron]]\nbron = "nidos"\nbestand = "bronnen/nidos.csv"\n')
    (folder / "opvangkern.toml").write_text("\n".join(manifest), encoding="utf-8")
    return folder


def _check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    return result.exit_code, result.output
