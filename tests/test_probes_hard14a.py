"""Hardening (fourteenth session, ``hard14a``): COA and KCIO realisation files as they are really published, probed
first: headers with a date in them, private hosting in KCIO's columns, a status column in COA's location list,
pivot tables, cells as analysts type them.

Each file is written as COA, KCIO or an analyst's Excel writes it (title rows, COA's own words, XLSX through
openpyxl), read through ``read`` of ``tests/test_probes.py`` (the adapter with its fast paths, inside
``fastscan.careful()`` and through the plugin's reference adapter: the same result each way) or through
``load_dataset``; the figure per municipality is worked out here by plain arithmetic, or the melding (code, file,
sheet, row, column, value) is asserted with whether the file is refused.

Wrong before this session (a wrong figure with exit 0):
- COA: a counted column whose header names another day (``Capaciteit per 1-12-2026``, ``Regulier 30-11-2025``
  read for 31 December 2025) was read, as KCIO, TVS and Nidos no longer do;
- KCIO: ``Capaciteit gemeentelijk | Capaciteit particulier | Capaciteit`` (or ``Capaciteit | waarvan particulier``)
  counted the total with the host families; so did ``Capaciteit`` under a group label ``Particuliere opvang``, and a
  list per reception type whose type column is headed ``Type`` or ``Soort``;
- COA: a location marked closed (``Status`` ``gesloten``, ``Opmerking`` ``Gesloten per 1-12-2025``, ``NOL Assen
  (gesloten)``) counted its places;
- COA and KCIO: a subtotal in the location column (``Assen | Totaal | azc | 400``) counted the locations twice;
- COA and KCIO: ``Vorige week`` or ``Mutatie`` merged over the counted columns was read as the peildatum's places.

Falsely refused before: a number cell with a formula's binary rest (300.00000000000006, shown as 300); ``Capaciteit |
Vorige week`` over the same sub-headers (``kolom_dubbel``); ``Particulier (PO)`` in KCIO's type column.

A melding that led to a wrong fix or named the wrong row before: the ``kolommen`` line of a missing column proposed
``Capaciteit particulier``, ``Totaal opgevangen`` onto Capaciteit, ``Capaciteit vorige week``; a subtotal in the type
column got the line that counts it (``regulier``, ``goo``); a pivot table's melding named the title row above it; a
region subtotal ``Drenthe totaal`` was told to fill in the municipality; ``~40``, ``n.b.``, ``1'200``, ``WAAR`` were
only "geen getal".
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from opvangkern.testing import load_module
from opvangkern.testing.fuzz import csv_bytes

_HERE = Path(__file__).parent
_PROBES = load_module(_HERE / "test_probes.py", "_probes_for_hard14a")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO = _PROBES.KCIO
errors, figures, read, where = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where


def book(rows: list[list], sheet: str = "Blad1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def data(rows: list[list], fmt: str) -> bytes:
    return csv_bytes([["" if c is None else str(c) for c in row] for row in rows]) if fmt == "csv" else book(rows)


def codes(result) -> list[tuple]:
    return [(m.code, m.rij, m.kolom, m.waarde) for m in errors(result)]


COA_TITLE = [["COA - Capaciteit en bezetting per opvanglocatie"], ["Peildatum: 31-12-2025"], []]


# --- 1. COA: a counted column's header names another day -------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("header, maat", [("Capaciteit per 1-12-2026", "capaciteit"),  # a planned state
                                          ("Capaciteit 30-11-2025", "capaciteit"),  # last month's list
                                          ("Bezetting per 1-12-2025", "bezetting")])
def test_coa_long_a_counted_header_of_another_day_is_a_fout(fmt, header, maat):
    other = "Bezetting" if maat == "capaciteit" else "Capaciteit"
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", header, other],
                        ["Assen", "azc Assen", "azc", 400, 380], ["Emmen", "azc Emmen", "azc", 300, 280]]
    result = read("coa", data(rows, fmt), maat=maat)
    # before: 700 places (or 660 occupied) of another day counted for 31 December, exit 0
    assert figures(result) == {}
    assert codes(result) == [("peildatum_wijkt_af_van_kop", 4, header, header)]
    assert "peildatum = " in errors(result)[0].melding


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_wide_a_category_header_of_another_day_is_a_fout(fmt):
    rows = COA_TITLE + [["Gemeente", "Regulier", "NO 30-11-2025", "TGO", "AMV"], ["Assen", 400, 100, 0, 20]]
    result = read("coa", data(rows, fmt))
    assert figures(result) == {}
    assert codes(result) == [("peildatum_wijkt_af_van_kop", 4, "NO 30-11-2025", "NO 30-11-2025")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_headers_with_the_peildatum_or_a_day_of_the_week_are_read(fmt):
    # the peildatum in the header, the stand of the Monday before, and last month's occupancy beside the places:
    # only the measure read is compared with the peildatum
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit per 31-12-2025", "Bezetting 30-11-2025"],
                        ["Assen", "azc Assen", "azc", 400, 380], ["Assen", "NOL Assen", "NOL", 100, 90],
                        ["Emmen", "azc Emmen", "azc", 300, 280]]
    result = read("coa", data(rows, fmt))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (EMMEN, "asiel", "regulier"): 300}
    wide = COA_TITLE + [["Gemeente", "Regulier (stand 29-12-2025)", "NO", "TGO", "AMV"], ["Assen", 400, 100, 0, 20]]
    result = read("coa", data(wide, fmt))
    assert not errors(result) and figures(result)[(ASSEN, "asiel", "regulier")] == 400


# --- 2. KCIO: private hosting in the columns -----------------------------------------------------------------

KCIO_TITLE = [["Opvang ontheemden uit Oekraïne"], ["Stand per 31 december 2025"], []]
SPLIT = [["Drenthe", "Assen", 300, 50, 350], ["Drenthe", "Emmen", 200, 20, 220], ["Totaal Drenthe", None, 500, 70, 570]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("municipal, private, total, maat", [
    ("Capaciteit gemeentelijk", "Capaciteit particulier", "Capaciteit", "capaciteit"),
    ("Plekken GOO", "Plekken particulier", "Plekken", "capaciteit"),
    ("Bezetting gemeentelijk", "Bezetting gastgezinnen", "Bezetting", "bezetting"),
])
def test_kcio_a_total_beside_its_private_part_is_a_fout_with_the_municipal_line(fmt, municipal, private, total, maat):
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", municipal, private, total]] + SPLIT
    result = read("kcio", data(rows, fmt), maat=maat)
    # before: Assen 350 and Emmen 220, the host families' places counted as the municipalities' (exit 0)
    assert figures(result) == {}
    assert codes(result) == [("kcio_particulier_in_kolom", 4, total, private)]
    label = "Bezetting" if maat == "bezetting" else "Capaciteit"
    assert f'kolommen = {{ "{municipal}" = "{label}" }}' in errors(result)[0].melding
    # the line of the melding reads the municipal reception: plain arithmetic of its column
    fixed = read("kcio", data(rows, fmt), maat=maat, kolommen={municipal: label})
    assert not errors(fixed) and figures(fixed) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}


def test_kcio_capaciteit_with_waarvan_particulier_is_a_fout_and_kolommen_onto_itself_reads_it():
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Capaciteit", "waarvan particulier"],
                         ["Drenthe", "Assen", 350, 50], ["Drenthe", "Emmen", 220, 20]]
    result = read("kcio", data(rows, "csv"))
    assert codes(result) == [("kcio_particulier_in_kolom", 4, "Capaciteit", "waarvan particulier")]
    assert 'kolommen = { "Capaciteit" = "Capaciteit" }' in errors(result)[0].melding
    # the analyst who knows the column holds GOO alone says so, and the file reads
    said = read("kcio", data(rows, "csv"), kolommen={"Capaciteit": "Capaciteit"})
    assert not errors(said) and figures(said) == {(ASSEN, *KCIO): 350, (EMMEN, *KCIO): 220}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("label", ["Particuliere opvang", "Gastgezinnen", "Particulier"])
def test_kcio_counts_under_a_group_label_of_private_hosting_are_a_fout(fmt, label):
    rows = KCIO_TITLE + [[None, None, label], ["Veiligheidsregio", "Gemeente", "Capaciteit", "Bezetting"],
                         ["Drenthe", "Assen", 50, 40], ["Drenthe", "Emmen", 20, 15]]
    result = read("kcio", data(rows, fmt))
    # before: 50 and 20 host-family places counted for Assen and Emmen (exit 0)
    assert figures(result) == {}
    assert codes(result) == [("kcio_particulier_in_kolom", 5, "Capaciteit", label)]
    # a group label of the municipal reception changes nothing
    rows[3][2] = "Gemeentelijke opvang Oekraïners"
    result = read("kcio", data(rows, fmt))
    assert not errors(result) and figures(result) == {(ASSEN, *KCIO): 50, (EMMEN, *KCIO): 20}


@pytest.mark.parametrize("municipal, private, total, line", [
    ("Gemeentelijk", "Particulier", "Totaal", 'kolommen = { "Gemeentelijk" = "Capaciteit" }'),
    ("GOO", "Particuliere opvang", "Totaal", 'kolommen = { "GOO" = "Capaciteit" }'),
    # before: the line proposed "Capaciteit particulier", the first header that starts with Capaciteit
    ("Capaciteit GOO", "Capaciteit particulier", "Capaciteit totaal", 'kolommen = { "Capaciteit GOO" = "Capaciteit" }'),
])
def test_kcio_a_missing_column_beside_private_hosting_proposes_the_municipal_column(municipal, private, total, line):
    header = ["Veiligheidsregio", "Gemeente", private, municipal, total]
    rows = KCIO_TITLE + [header, ["Drenthe", "Assen", 50, 300, 350], ["Drenthe", "Emmen", 20, 200, 220]]
    [fout] = errors(read("kcio", data(rows, "csv")))
    assert (fout.code, fout.rij) == ("verplichte_kolom_ontbreekt", 4)
    assert line in fout.melding and private not in fout.melding.split("kolommen = ")[-1]
    fixed = read("kcio", data(rows, "csv"), kolommen={municipal: "Capaciteit"})
    assert not errors(fixed) and figures(fixed) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}


def test_the_kolommen_line_of_a_missing_column_maps_an_occupancy_header_onto_bezetting():
    # ``Totaal opgevangen`` ends with an alias of Bezetting: before, the line mapped it onto Capaciteit (the people
    # received read as places)
    rows = KCIO_TITLE + [["Gemeente", "Totaal opgevangen"], ["Assen", 250], ["Emmen", 150]]
    [fout] = errors(read("kcio", data(rows, "csv")))
    assert fout.code == "verplichte_kolom_ontbreekt"
    assert fout.melding.endswith('kolommen = { "Totaal opgevangen" = "Bezetting" }'), fout.melding


# --- 3. COA: a location marked closed -------------------------------------------------------------------------

STATUS_HEADER = ["Gemeente", "Locatie", "Opvangvorm", "Status", "Capaciteit"]


def status_rows(status: str, places: object = 100) -> list[list]:
    return COA_TITLE + [STATUS_HEADER, ["Assen", "azc Assen", "azc", "open", 400],
                        ["Assen", "NOL Assen", "NOL", status, places], ["Emmen", "azc Emmen", "azc", None, 300]]


OPEN_ROWS = {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("status, code", [
    ("gesloten", "locatie_gesloten"), ("Gesloten per 1-12-2025", "locatie_gesloten"),
    ("per 1-1 gesloten", "locatie_gesloten"),  # which 1 January: open on 31 December or not cannot be told
    ("tijdelijk buiten gebruik", "locatie_gesloten"), ("onder voorbehoud", "locatie_status_onbekend"),
])
def test_coa_a_location_marked_closed_with_places_is_a_fout(fmt, status, code):
    result = read("coa", data(status_rows(status), fmt))
    # before: NOL Assen's 100 places counted, exit 0
    assert figures(result) == OPEN_ROWS
    [fout] = errors(result)
    assert where(fout) == ("fout", code, f"coa.{fmt}", "Blad1" if fmt == "xlsx" else None, 6, "Status", status)
    assert f'waarden = {{ "{status}" = "open" }}' in fout.melding and "overslaan" in fout.melding


@pytest.mark.parametrize("status", ["open", "Open ", "in afbouw", "In gebruik", "sluit per 1-3-2026",
                                    "gesloten per 1-1-2026"])
def test_coa_an_open_location_or_one_that_closes_after_the_peildatum_counts(status):
    result = read("coa", data(status_rows(status), "csv"))
    assert not errors(result)
    assert figures(result) == {**OPEN_ROWS, (ASSEN, "asiel", "noodopvang"): 100}


def test_coa_a_closed_location_without_places_is_silent_and_waarden_decide_a_status():
    for places, expected in ((0, {**OPEN_ROWS, (ASSEN, "asiel", "noodopvang"): 0}), (None, OPEN_ROWS)):
        result = read("coa", data(status_rows("gesloten", places), "csv"))
        assert not result.meldingen and figures(result) == expected
    rows = status_rows("per 1-1 gesloten")
    result = read("coa", data(rows, "csv"), waarden={"per 1-1 gesloten": "open"})
    assert not result.meldingen and figures(result) == {**OPEN_ROWS, (ASSEN, "asiel", "noodopvang"): 100}
    result = read("coa", data(rows, "csv"), waarden={"per 1-1 gesloten": "overslaan"})
    assert not result.meldingen and figures(result) == OPEN_ROWS
    assert result.stats.rijen_overgeslagen == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_a_closure_in_a_remark_or_in_the_locations_name_is_a_fout(fmt):
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Opmerking"],
                        ["Assen", "azc Assen", "azc", 400, "uitbreiding gepland"],
                        ["Assen", "NOL Assen", "NOL", 100, "Gesloten per 1-12-2025"],
                        ["Emmen", "azc Emmen (gesloten)", "azc", 300, None],
                        ["Tynaarlo", "azc Vries (sluit per 1-3-2026)", "azc", 50, None]]
    result = read("coa", data(rows, fmt))
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (TYNAARLO, "asiel", "regulier"): 50}
    assert codes(result) == [("locatie_gesloten", 6, "Opmerking", "Gesloten per 1-12-2025"),
                             ("locatie_gesloten", 7, "Locatie", "azc Emmen (gesloten)")]


# --- 4. cells as analysts type them: the melding says what the text is and what to write ----------------------

@pytest.mark.parametrize("bron", ["coa", "kcio"])
@pytest.mark.parametrize("text, says", [
    ("~40", "een schatting of een grens"), ("ca. 40", "een schatting of een grens"),
    ("40+", "een schatting of een grens"), ("> 100", "een schatting of een grens"),
    ("1'200", "schrijf 1200 of 1.200"), ("n.b.", "(niet bekend)"), ("onbekend", "(niet bekend)"),
    ("?", "(niet bekend)"), ("p.m.", "(niet bekend)"),
])
def test_an_estimate_a_swiss_thousand_or_not_known_is_refused_with_what_it_is(bron, text, says):
    if bron == "coa":
        rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "azc", 400],
                ["Emmen", "azc Emmen", "azc", text]]
    else:
        rows = [["Gemeente", "Capaciteit"], ["Assen", 400], ["Emmen", text]]
    result = read(bron, data(rows, "csv"))
    # the count is never guessed (not 40, not 1 or 200, not 0); before, the melding said only "geen getal"
    assert figures(result) == {(ASSEN, "asiel", "regulier") if bron == "coa" else (ASSEN, *KCIO): 400}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("geen_getal", 3, "Capaciteit", text)
    assert says in fout.melding, fout.melding


# --- 5. a formula's binary rest in a number cell ----------------------------------------------------------------

@pytest.mark.parametrize("bron", ["coa", "kcio"])
@pytest.mark.parametrize("cell, shown", [(0.1 * 3 * 1000, 300), (299.99999999999994, 300), (0.1 * 7 * 1000, 700),
                                         (0.2 * 3 * 100, 60)])
def test_a_number_cell_that_excel_shows_as_a_whole_number_is_that_count(bron, cell, shown):
    # =0,1*3*1000 stores 300.00000000000006 and the sheet shows 300 (15 significant digits); before: geen_heel_getal
    if bron == "coa":
        rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "azc", cell],
                            ["Emmen", "azc Emmen", "azc", 12], ["Totaal COA", None, None, shown + 12]]
        key = (ASSEN, "asiel", "regulier"), (EMMEN, "asiel", "regulier")
    else:
        rows = KCIO_TITLE + [["Gemeente", "Capaciteit"], ["Assen", cell], ["Emmen", 12], ["Totaal", shown + 12]]
        key = (ASSEN, *KCIO), (EMMEN, *KCIO)
    result = read(bron, book(rows))
    assert not result.meldingen and figures(result) == {key[0]: shown, key[1]: 12}


@pytest.mark.parametrize("cell", [299.99999999, 300.5, 0.5, 2.000001])
def test_a_number_cell_with_decimals_that_show_stays_refused(cell):
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit"], ["Assen", cell], ["Emmen", 12]]
    result = read("kcio", book(rows))
    assert figures(result) == {(EMMEN, *KCIO): 12}
    assert [(m.code, m.rij) for m in errors(result)] == [("geen_heel_getal", 5)]


# --- 6. KCIO: a region's subtotal written another way -----------------------------------------------------------

@pytest.mark.parametrize("label", ["Drenthe totaal", "Drenthe (totaal)"])
@pytest.mark.parametrize("total", [500, 480])
def test_kcio_a_region_subtotal_with_totaal_after_the_name_is_checked_not_counted(label, total):
    """``hard14c`` reads Excel's pivot subtotal (``Drenthe Totaal``) as the region's totals row: checked against
    the region's rows (300 + 200 = 500), never counted."""
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Capaciteit"], ["Drenthe", "Assen", 300],
                         ["Drenthe", "Emmen", 200], [label, None, total]]
    result = read("kcio", data(rows, "csv"))
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}
    assert not errors(result)
    assert [(m.code, m.rij) for m in result.meldingen] == ([] if total == 500 else [("totaalrij_klopt_niet", 7)])


@pytest.mark.parametrize("label", ["VR03 Drenthe"])  # ``VR Drenthe``: ``hard14f`` reads it as ``Veiligheidsregio``
def test_kcio_a_region_subtotal_without_its_leading_word_says_how_to_write_it(label):
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Capaciteit"], ["Drenthe", "Assen", 300],
                         ["Drenthe", "Emmen", 200], [label, None, 500]]
    result = read("kcio", data(rows, "csv"))
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}
    [fout] = errors(result)
    assert (fout.code, fout.rij) == ("gebied_ontbreekt", 7)
    # before: only "fill in the municipality in every row of its group", the wrong fix for a subtotal
    assert "'Totaal Drenthe' wordt niet opgeteld maar gecontroleerd" in fout.melding, fout.melding
    # written as the melding says, the row is the region's subtotal, checked and not counted
    rows[-1][0] = "Totaal Drenthe"
    result = read("kcio", data(rows, "csv"))
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}


# --- 7. pivot tables an analyst forwards ------------------------------------------------------------------------

PIVOT_TITLE = [["Peildatum", "31-12-2025"], []]


def test_a_kcio_pivot_of_two_measures_names_its_header_and_both_lines():
    rows = PIVOT_TITLE + [["Rijlabels", "Som van Bezetting", "Som van Capaciteit"], ["Assen", 470, 500],
                          ["Emmen", 280, 300], ["(leeg)", None, None], ["Eindtotaal", 750, 800]]
    [fout] = errors(read("kcio", book(rows)))
    # before: the title row 1 (Peildatum) was named, with two placeholder lines
    assert (fout.code, fout.rij) == ("verplichte_kolom_ontbreekt", 3)
    assert fout.melding.endswith('kolommen = { "Rijlabels" = "Gemeente" }; '
                                 'kolommen = { "Som van Capaciteit" = "Capaciteit" }'), fout.melding
    # with the Rijlabels line alone, the line for the places (not the occupancy left of it) remains
    [fout] = errors(read("kcio", book(rows), kolommen={"Rijlabels": "Gemeente"}))
    assert fout.rij == 3 and fout.melding.endswith('kolommen = { "Som van Capaciteit" = "Capaciteit" }')
    fixed = read("kcio", book(rows), kolommen={"Rijlabels": "Gemeente", "Som van Capaciteit": "Capaciteit"})
    assert not errors(fixed) and figures(fixed) == {(ASSEN, *KCIO): 500, (EMMEN, *KCIO): 300}


def test_a_kcio_pivot_per_reception_type_proposes_rijlabels_and_the_goo_column():
    rows = PIVOT_TITLE + [["Som van Capaciteit", "Kolomlabels"], ["Rijlabels", "GOO", "Particulier", "Eindtotaal"],
                          ["Assen", 300, 50, 350], ["Emmen", 200, 20, 220], ["Eindtotaal", 500, 70, 570]]
    [fout] = errors(read("kcio", book(rows)))
    assert (fout.code, fout.rij) == ("verplichte_kolom_ontbreekt", 4)
    assert 'kolommen = { "Rijlabels" = "Gemeente" }' in fout.melding
    assert 'kolommen = { "GOO" = "Capaciteit" }' in fout.melding and '"Particulier" =' not in fout.melding
    fixed = read("kcio", book(rows), kolommen={"Rijlabels": "Gemeente", "GOO": "Capaciteit"})
    assert not errors(fixed) and figures(fixed) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}


# --- 8. the kolommen line of a missing column never proposes another moment or measure ---------------------------

@pytest.mark.parametrize("bron", ["coa", "kcio"])
@pytest.mark.parametrize("header", ["Capaciteit vorige week", "Capaciteit t.o.v. vorige week", "Verschil capaciteit",
                                    "Capaciteit gepland", "Beschikbare capaciteit", "Max. capaciteit"])
def test_a_header_of_another_moment_is_not_proposed_for_the_places(bron, header):
    if bron == "coa":
        rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", header, "Bezetting"],
                            ["Assen", "azc Assen", "azc", 400, 380]]
    else:
        rows = KCIO_TITLE + [["Gemeente", header, "Bezetting"], ["Assen", 400, 380]]
    [fout] = errors(read(bron, data(rows, "csv")))
    # before: the line was kolommen = { "<header>" = "Capaciteit" }: copied, last week's (or planned, free,
    # maximal) places counted as the peildatum's
    assert fout.code == "maatkolom_ontbreekt"
    assert fout.melding.endswith('kolommen = { "kop zoals in het bestand" = "Capaciteit" }'), fout.melding
    assert f"{header!r} wordt niet voorgesteld" in fout.melding


def test_a_header_of_another_moment_is_not_proposed_when_no_count_column_is_found():
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit vorige week", "Verschil"], ["Assen", 400, 5]]
    [fout] = errors(read("kcio", data(rows, "csv")))
    assert fout.code == "verplichte_kolom_ontbreekt"
    assert fout.melding.endswith('kolommen = { "kop zoals in het bestand" = "Capaciteit" }'), fout.melding
    # a header that only names the count more fully is still proposed
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit totaal"], ["Assen", 400]]
    [fout] = errors(read("kcio", data(rows, "csv")))
    assert fout.melding.endswith('kolommen = { "Capaciteit totaal" = "Capaciteit" }'), fout.melding


# --- 9. a subtotal in the location column -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("label, vorm", [("Totaal", "azc"), ("Subtotaal", "azc"), ("Totaal azc", "azc"),
                                         ("Alle locaties", "regulier")])
def test_coa_a_subtotal_in_the_location_column_is_a_fout_not_a_location(fmt, label, vorm):
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen 1", "azc", 200],
                        ["Assen", "azc Assen 2", "azc", 200], ["Assen", label, vorm, 400],
                        ["Emmen", "azc Emmen", "azc", 300]]
    result = read("coa", data(rows, fmt))
    # before: Assen 800 regular places (its two locations and their subtotal), exit 0
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("locatie_is_totaal", 7, "Locatie", label)
    assert "'Totaal Assen'" in fout.melding
    # written as the melding says, the row is checked and not counted
    rows[6] = ["Totaal Assen", None, None, 400]
    result = read("coa", data(rows, fmt))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}


@pytest.mark.parametrize("label", ["Totaal", "Subtotaal", "Totaal Assen"])
def test_kcio_a_subtotal_under_a_municipalitys_locations_is_a_fout(label):
    rows = KCIO_TITLE + [["Gemeente", "Locatie", "Capaciteit"], ["Assen", "Hotel De Jonge", 200],
                         ["Assen", "Paviljoen Noord", 200], ["Assen", label, 400], ["Emmen", "Hotel Emmen", 300]]
    result = read("kcio", data(rows, "csv"))
    # before: Assen 800 with only the warning that it has three rows (exit 0)
    assert figures(result) == {(ASSEN, *KCIO): 400, (EMMEN, *KCIO): 300}
    assert codes(result) == [("locatie_is_totaal", 7, "Locatie", label)]


def test_a_location_named_like_nothing_of_a_total_counts():
    rows = KCIO_TITLE + [["Gemeente", "Locatie", "Capaciteit"], ["Assen", "Hotel Totalis", 200],
                         ["Emmen", "Totaalcentrum", None], ["Emmen", "Hotel Emmen", 300]]
    result = read("kcio", data(rows, "csv"))
    # a location whose name starts with a total word but holds no count is no subtotal to refuse
    assert not errors(result) and figures(result) == {(ASSEN, *KCIO): 200, (EMMEN, *KCIO): 300}


# --- 10. a group label of another moment over the counted columns ------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("label", ["Vorige week", "Mutatie", "Verschil t.o.v. vorige week", "Stand vorige maand"])
def test_coa_categories_under_a_group_label_of_another_moment_are_a_fout(fmt, label):
    rows = COA_TITLE + [[None, label], ["Gemeente", "Regulier", "NO", "TGO", "AMV"], ["Assen", 390, 100, 0, 20],
                        ["Emmen", 290, 0, 0, 0]]
    result = read("coa", data(rows, fmt))
    # before: last week's places (or the week's change) counted for the peildatum, exit 0
    assert [(m.code, m.rij, m.kolom) for m in errors(result)] == [
        ("groepskop_andere_maat", 5, k) for k in ("Regulier", "NO", "TGO", "AMV")]
    assert "ander moment" in errors(result)[0].melding


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("left, right", [("Capaciteit", "Vorige week"), ("Deze week", "Vorige week"),
                                         ("Capaciteit", "Mutatie t.o.v. vorige week")])
def test_coa_this_week_beside_last_week_under_two_group_labels_reads_this_week(fmt, left, right):
    rows = COA_TITLE + [[None, None, left, None, None, right],
                        ["Gemeente", "AMV", "Regulier", "NO", "TGO", "Regulier", "NO", "TGO"],
                        ["Assen", 20, 400, 100, 0, 390, 90, 0], ["Emmen", 0, 300, 0, 50, 290, 0, 50]]
    result = read("coa", data(rows, fmt))
    # before: kolom_dubbel for Regulier, NO and TGO (a false refusal): the group of another moment is not read
    assert not errors(result)
    assert figures(result) == {(ASSEN, "amv", None): 20, (ASSEN, "asiel", "regulier"): 400,
                               (ASSEN, "asiel", "noodopvang"): 100, (ASSEN, "asiel", "tgo"): 0,
                               (EMMEN, "amv", None): 0, (EMMEN, "asiel", "regulier"): 300,
                               (EMMEN, "asiel", "noodopvang"): 0, (EMMEN, "asiel", "tgo"): 50}


@pytest.mark.parametrize("label", ["Vorige week", "Mutatie"])
def test_kcio_places_under_a_group_label_of_another_moment_are_a_fout(label):
    rows = KCIO_TITLE + [[None, label], ["Gemeente", "Capaciteit", "Bezetting"], ["Assen", 300, 250]]
    result = read("kcio", data(rows, "xlsx"))
    # a fout at the header: the file is refused (as for ``Bezetting`` over the places)
    assert [(m.code, m.kolom) for m in errors(result)] == [("groepskop_andere_maat", "Capaciteit")]


# --- 11. through the command line and the manifest --------------------------------------------------------------

def _dataset(tmp_path: Path, lines: dict[str, str]) -> Path:
    """A dataset of Drenthe with a COA list that marks a location closed and a KCIO list split by reception type;
    ``lines``: the manifest lines of each ``[[bron]]`` (by source)."""
    coa = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Status", "Capaciteit"],
                       ["Assen", "azc Assen", "azc", "open", 400],
                       ["Assen", "NOL Assen", "NOL", "per 1-1 gesloten", 100],
                       ["Emmen", "azc Emmen", "azc", None, 300]]
    kcio = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Capaciteit gemeentelijk", "Capaciteit particulier",
                          "Capaciteit"]] + SPLIT
    folder = _PROBES._dataset(tmp_path, {"bronnen/coa.xlsx": book(coa), "bronnen/kcio.csv": data(kcio, "csv")})
    manifest = (folder / "opvangkern.toml").read_text(encoding="utf-8")
    for bron, line in lines.items():
        entry = f'bestand = "bronnen/{bron}.{"xlsx" if bron == "coa" else "csv"}"\n'
        manifest = manifest.replace(entry, entry + line + "\n")
    (folder / "opvangkern.toml").write_text(manifest, encoding="utf-8")
    return folder


def test_the_cases_refuse_the_dataset_and_the_lines_of_the_meldingen_fix_it(tmp_path):
    from click.testing import CliRunner

    from opvangkern.cli import cli
    from opvangkern.dataset.load import load_dataset

    folder = _dataset(tmp_path / "a", {})
    result = CliRunner().invoke(cli, ["check", str(folder)])
    # before: exit 0, Assen 500 asylum places and 350 Ukrainian ones (NOL Assen's 100, the host families' 50)
    assert result.exit_code == 1
    found = {(m.code, m.bestand, m.rij) for m in load_dataset(folder).melding_list if m.is_error}
    assert found == {("locatie_gesloten", "bronnen/coa.xlsx", 6), ("kcio_particulier_in_kolom", "bronnen/kcio.csv", 4)}
    folder = _dataset(tmp_path / "b", {"coa": 'waarden = { "per 1-1 gesloten" = "open" }',
                                       "kcio": 'kolommen = { "Capaciteit gemeentelijk" = "Capaciteit" }'})
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 0
    ds = load_dataset(folder)
    got: dict[tuple, int] = {}
    for r in ds.realisaties.to_pylist():
        key = (r["bron"], r["gemeentecode"])
        got[key] = got.get(key, 0) + r["aantal"]
    assert got == {("coa", ASSEN): 400 + 100, ("coa", EMMEN): 300, ("kcio", ASSEN): 300, ("kcio", EMMEN): 200}


def test_a_boolean_in_a_count_column_says_what_it_is():
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit"], ["Assen", True], ["Emmen", 12]]
    result = read("kcio", book(rows))
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("geen_getal", 5, "WAAR")
    # before: "geen getal (waar/onwaar)", which said nothing of where it comes from or what to write
    assert "=B2>0" in fout.melding and "zet het aantal in de cel" in fout.melding
    assert figures(result) == {(EMMEN, *KCIO): 12}


# --- 12. reception and location types with their abbreviation, and a subtotal in the type column -----------------

@pytest.mark.parametrize("vorm", ["Particulier (PO)", "Gastgezin (particulier)", "Gastgezinnen (PO)"])
def test_kcio_private_hosting_with_its_abbreviation_is_private_hosting(vorm):
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Opvangvorm", "Capaciteit"], ["Drenthe", "Assen", "GOO", 300],
                         ["Drenthe", "Assen", vorm, 50], ["Drenthe", "Emmen", "Gemeentelijke opvang (GOO)", 200]]
    result = read("kcio", data(rows, "csv"))
    # before: kcio_opvangvorm_onbekend, a false refusal of the private rows COA-style lists write so
    assert not errors(result) and figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}
    assert [(m.code, m.rij) for m in result.meldingen] == [("kcio_particuliere_opvang", 6)]
    # two parts that say different things stay unknown
    rows[5][2] = "GOO (particulier)"
    assert [m.code for m in errors(read("kcio", data(rows, "csv")))] == ["kcio_opvangvorm_onbekend"]


@pytest.mark.parametrize("bron", ["coa", "kcio"])
@pytest.mark.parametrize("vorm", ["Totaal", "Totaal regulier", "Subtotaal"])
def test_a_subtotal_in_the_type_column_is_refused_with_overslaan_not_a_type(bron, vorm):
    if bron == "coa":
        rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "azc", 400],
                            ["Assen", None, vorm, 400]]
    else:
        rows = KCIO_TITLE + [["Gemeente", "Opvangvorm", "Capaciteit"], ["Assen", "GOO", 400], ["Assen", vorm, 400]]
    [fout] = errors(read(bron, data(rows, "csv")))
    # before: the line proposed "regulier" (COA) or "goo" (KCIO): copied, the subtotal counted as places
    assert f'waarden = {{ "{vorm}" = "overslaan" }}' in fout.melding and "'Totaal Assen'" in fout.melding
    assert '= "regulier"' not in fout.melding and '= "goo"' not in fout.melding


# --- 13. KCIO: a list per reception type whose type column has another header ---------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("header", ["Type", "Soort", "Vorm van opvang", "Categorie"])
def test_kcio_a_type_column_of_another_name_with_private_rows_is_a_fout_with_its_line(fmt, header):
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", header, "Capaciteit"], ["Drenthe", "Assen", "GOO", 300],
                         ["Drenthe", "Assen", "Particulier", 50], ["Drenthe", "Emmen", "GOO", 200]]
    result = read("kcio", data(rows, fmt))
    # before: Assen 350 (its host families' 50 summed in), with only dubbele_gemeente (exit 0)
    assert figures(result) == {}
    assert codes(result) == [("kcio_opvangvorm_kolom", 6, header, "Particulier")]
    line = f'kolommen = {{ "{header}" = "Opvangvorm" }}'
    assert line in errors(result)[0].melding
    fixed = read("kcio", data(rows, fmt), kolommen={header: "Opvangvorm"})
    assert not errors(fixed) and figures(fixed) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}


def test_kcio_a_column_of_buildings_beside_the_places_changes_nothing():
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Type locatie", "Capaciteit", "Bezettingsgraad"],
                         ["Drenthe", "Assen", "Hotel", 300, "83%"], ["Drenthe", "Emmen", "Paviljoen", 200, "90%"],
                         [None, "Bron: KCIO; particuliere opvang telt niet mee"]]
    result = read("kcio", data(rows, "csv"))
    assert not errors(result) and figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kcio_alle_gemeenten_beside_its_region_is_that_regions_subtotal(fmt):
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Capaciteit"], ["Drenthe", "Assen", 300],
                         ["Drenthe", "Emmen", 200], ["Drenthe", "Alle gemeenten", 500], ["Groningen", "Groningen", 1000],
                         ["Groningen", "Alle gemeenten", 1000], [None, "Alle gemeenten", 1500]]
    result = read("kcio", data(rows, fmt))
    # before: each "Alle gemeenten" was checked against every row (a false totaalrij_klopt_niet warning twice)
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200, ("GM0014", *KCIO): 1000}
    rows[6][2] = 400  # a region's subtotal that is wrong is still said
    assert [(m.code, m.rij) for m in read("kcio", data(rows, fmt)).meldingen] == [("totaalrij_klopt_niet", 7)]


# --- (lead) a real location whose name starts with Totaal: waarden "open" says so -----------------------------

@pytest.mark.parametrize("bron", ["coa", "kcio"])
def test_a_location_named_totaal_something_is_refused_and_waarden_open_counts_it(bron):
    """``Totaalcentrum Assen`` is a location of its own, not a subtotal; the refusal said only "write Totaal Assen or
    delete the row", so the file could not be read as it is. Now its melding gives the ``waarden`` line, and with it
    the row counts: 200 + 150 for Assen."""
    if bron == "coa":
        header, tail, key = ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["azc"], (ASSEN, "asiel", "regulier")
    else:
        header, tail, key = ["Gemeente", "Locatie", "Capaciteit"], [], (ASSEN, *KCIO)
    title = COA_TITLE if bron == "coa" else KCIO_TITLE
    rows = title + [header, ["Assen", "Hotel De Jonge", *tail, 200], ["Assen", "Totaalcentrum Assen", *tail, 150]]
    result = read(bron, data(rows, "csv"))
    [fout] = errors(result)
    assert (fout.code, fout.waarde) == ("locatie_is_totaal", "Totaalcentrum Assen")
    assert 'waarden = { "Totaalcentrum Assen" = "open" }' in fout.melding, fout.melding
    assert figures(result) == {key: 200}
    result = read(bron, data(rows, "csv"), waarden={"Totaalcentrum Assen": "open"})
    assert not errors(result), [str(m) for m in result.meldingen]
    assert figures(result) == {key: 350}
