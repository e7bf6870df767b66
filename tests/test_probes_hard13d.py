"""Hardening (thirteenth session, ``hard13d``): quota decisions as the ministries publish them, in layouts no earlier
probe wrote: province subtotals and headings named like a municipality, annexes converted from PDF, period phrases
in the headers, amounts as published, a province column, a provincial summary table under the municipal one, CBS
codes as Excel leaves them, and workbook habits.

Each case builds the annex here (title rows, notes under the table, headers with periods in them), in CSV and XLSX
where both occur, and reads it through ``opvangkern check`` and ``load_dataset`` on a small dataset (the sample's
COA file of 31-12-2025 beside it). The expected target is plain arithmetic here, or the melding with its row,
column and value; and the exit code.

Wrong before this session (exit 0):
- a province's summary table under the municipal table (``Provincie | Opgave``, or after a blank row or a title):
  ``Groningen 500`` and ``Utrecht 2000`` were the municipalities' targets;
- a province's heading row ``Utrecht`` with its total above its municipalities: the municipality Utrecht's target
  (with the municipality in the list too, the heading's figure was kept beside a ``gebied_dubbel`` that did not say
  why; now the arithmetic says which row is which, and the municipality's row is its target);
- a name broken over two rows by a PDF conversion: ``Midden-`` / ``Groningen 155`` gave the municipality Groningen
  Midden-Groningen's target; ``Súdwest-`` / ``Fryslân 155`` left Súdwest-Fryslân without one (a warning);
- a header period the ``ingangsdatum`` lies outside (``Taakstelling 2026-II`` for 1 January 2026) was read;
- ``12 34`` (two numbers run together) was 1234;
- ``Taakstelling`` with fractions beside ``Taakstelling (afgerond)``: the fractions were the targets, unasked;
- ``Assen`` under the province ``Friesland`` counted for Assen.
Falsely refused before: a PDF annex whose page footer has a printed date above the repeated header
(``tweede_tabel``), or a page line in the amount column (``gebied_ontbreekt``).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from opvangkern.testing.fuzz import csv_bytes

from .test_quota_publications import check, make, meldingen, points, quota

JAN = dt.date(2026, 1, 1)
ASSEN, EMMEN, TYNAARLO, AA_EN_HUNZE = "GM0106", "GM0114", "GM1730", "GM1680"
AMERSFOORT, ZEIST, UTRECHT = "GM0307", "GM0355", "GM0344"
GRONINGEN, VEENDAM, OLDAMBT, MIDDEN_GRONINGEN = "GM0014", "GM0047", "GM1895", "GM1952"
SUDWEST = "GM1900"
TITLE = [["Verdeelbesluit opvang asielzoekers"], ["Bijlage 2 bij het besluit van 15 december 2025"], []]
NOTES = [[], ["Bron: ministerie van Asiel en Migratie"], ["* cijfers afgerond op hele plaatsen"]]


def xlsx(rows: list[list], title: str = "Bijlage 2", hidden: str | None = None, merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    if hidden:
        ws.column_dimensions[hidden].hidden = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def annex(tmp_path: Path, rows: list[list] | bytes, fmt: str = "csv", opgave: str = "asiel", day: str = "2026-01-01",
          extra: str = "") -> tuple[int, dict[str, float], list[dict]]:
    """``opvangkern check``'s exit code, the targets (code → amount) and the meldingen of a dataset whose one
    ``[[opgave]]`` reads the annex ``rows`` (written as ``fmt``)."""
    data = rows if isinstance(rows, bytes) else (csv_bytes(rows) if fmt == "csv" else xlsx(rows))
    name = f"opgaven/bijlage.{fmt}"
    folder = make(tmp_path, quota(opgave, day, name, extra), {name: lambda path: path.write_bytes(data)})
    code, _ = check(folder)
    return code, {c: a for c, _, a in points(folder, opgave)}, meldingen(folder)


def errors(found: list[dict]) -> list[tuple]:
    return [(m["code"], m["rij"], m["kolom"], m["waarde"]) for m in found if m["ernst"] == "fout"]


# --- 1. province subtotals and headings named like a municipality -----------------------------------------------

UTRECHT_ROWS = [["Amersfoort", "120"], ["Zeist", "60"], ["Utrecht", "300"]]
GRONINGEN_ROWS = [["Groningen", "250"], ["Veendam", "30"], ["Oldambt", "40"]]
EXPECTED_1 = {AMERSFOORT: 120.0, ZEIST: 60.0, UTRECHT: 300.0, GRONINGEN: 250.0, VEENDAM: 30.0, OLDAMBT: 40.0}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("label", ["Provincie Utrecht", "Subtotaal Utrecht", "Totaal Utrecht"])
def test_province_subtotals_and_headings_named_like_a_municipality(tmp_path, fmt, label):
    header = [["Gemeente", "Taakstelling 2026-I"]]
    # a subtotal with a word before the name, under the province's rows: the rows are the targets, exit 0
    subtotal = 120 + 60 + 300
    code, targets, found = annex(tmp_path / "a", TITLE + header + UTRECHT_ROWS + [[label, str(subtotal)]]
                                 + GRONINGEN_ROWS + [["Totaal Groningen", str(250 + 30 + 40)]] + NOTES, fmt)
    assert (code, targets, errors(found)) == (0, EXPECTED_1, [])
    # a heading row with the bare name and the province's total above its rows (the municipality Utrecht not in
    # this annex): before, Utrecht's target was 180 with exit 0
    heading = [["Utrecht", str(120 + 60)], ["Amersfoort", "120"], ["Zeist", "60"]]
    code, targets, found = annex(tmp_path / "b", TITLE + header + heading + NOTES, fmt)
    assert errors(found) == [("subtotaal_of_gemeente", 5, "Gemeente", "Utrecht")]
    assert "som van de 2 rijen eronder" in next(m["melding"] for m in found if m["code"] == "subtotaal_of_gemeente")
    assert (code, targets) == (1, {AMERSFOORT: 120.0, ZEIST: 60.0})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("where", ["after", "before"])
def test_a_bare_province_subtotal_beside_the_municipality_of_its_name(tmp_path, fmt, where):
    # the municipality Utrecht in the list and the province's subtotal (or heading) written 'Utrecht' too: one of
    # the two rows is exactly the sum of the run it closes (opens), the other row among them
    utrecht, groningen = 120 + 60 + 300, 250 + 30 + 40
    if where == "after":
        rows = UTRECHT_ROWS + [["Utrecht", str(utrecht)]] + GRONINGEN_ROWS + [["Groningen", str(groningen)]]
        subtotals = [(8, "Utrecht"), (12, "Groningen")]
    else:
        rows = [["Utrecht", str(utrecht)]] + UTRECHT_ROWS + [["Groningen", str(groningen)]] + GRONINGEN_ROWS
        subtotals = [(5, "Utrecht"), (9, "Groningen")]
    code, targets, found = annex(tmp_path, TITLE + [["Gemeente", "Taakstelling 2026-I"]] + rows + NOTES, fmt)
    # before: 'gebied_dubbel' twice (exit 1), and with the heading first Utrecht's point was the province's 480
    assert errors(found) == [] and (code, targets) == (0, EXPECTED_1)
    assert [(m["rij"], m["waarde"]) for m in found if m["code"] == "subtotaal_kale_naam"] == subtotals
    assert sum(targets.values()) == utrecht + groningen


# --- 2. an annex converted from PDF ----------------------------------------------------------------------------

PDF_HEADER = ["Gemeente", "Taakstelling 2026-I"]


@pytest.mark.parametrize("footer", [["15-01-2026"], ["Gedrukt op 15-01-2026 10:12"], ["15 januari 2026"]])
def test_a_pdf_annex_with_page_lines_a_printed_date_and_the_header_on_every_page(tmp_path, footer):
    rows = ([["Verdeelbesluit opvang asielzoekers 2026"], [], PDF_HEADER, ["Aa en Hunze", "87"], ["Assen", "1.010"],
             [], ["Pagina 1 van 2"], footer, [], PDF_HEADER, ["Emmen", "300"], ["Tynaarlo", "45"],
             ["Pagina 2 van 2"], footer] + NOTES)
    code, targets, found = annex(tmp_path, rows)
    # before: the repeated header under the printed date was a second table (tweede_tabel), exit 1
    assert errors(found) == []
    assert (code, targets) == (0, {AA_EN_HUNZE: 87.0, ASSEN: 1010.0, EMMEN: 300.0, TYNAARLO: 45.0})
    assert sum(targets.values()) == 87 + 1010 + 300 + 45


def test_a_page_line_in_the_amount_column_is_no_row_without_an_area(tmp_path):
    rows = TITLE + [PDF_HEADER, ["Assen", "1.010"], ["", "Pagina 1 van 2"], PDF_HEADER, ["Emmen", "300"],
                    ["", "Pagina 2 van 2"]] + NOTES
    code, targets, found = annex(tmp_path, rows)
    # before: 'rij met aantallen maar zonder gemeente' (gebied_ontbreekt) at each page line, exit 1
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 1010.0, EMMEN: 300.0})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("first, second, amount_first, area", [
    ("Midden-", "Groningen", False, MIDDEN_GRONINGEN), ("Midden-", "Groningen", True, MIDDEN_GRONINGEN),
    ("Súdwest-", "Fryslân", False, SUDWEST), ("Súdwest-", "Fryslân", True, SUDWEST)])
def test_a_name_broken_over_two_rows_by_the_pdf_conversion_is_refused(tmp_path, fmt, first, second, amount_first,
                                                                      area):
    broken = [[first, "155" if amount_first else ""], [second, "" if amount_first else "155"]]
    rows = TITLE + [PDF_HEADER, ["Assen", "1.010"], *broken, ["Emmen", "300"]] + NOTES
    code, targets, found = annex(tmp_path, rows, fmt)
    # before: 'Groningen 155' was the municipality Groningen's target (exit 0); 'Fryslân 155' a province subtotal
    # that did not fit (a warning), and Súdwest-Fryslân had no target (exit 0)
    assert errors(found) == [("naam_over_twee_rijen", 6, "Gemeente", first)]
    assert f"({first + second!r})" in next(m["melding"] for m in found if m["code"] == "naam_over_twee_rijen")
    assert (code, targets) == (1, {ASSEN: 1010.0, EMMEN: 300.0})
    assert not [m for m in found if m["code"] in ("totaalrij_klopt_niet", "rij_overgeslagen")]


# --- 3. period phrases in the header --------------------------------------------------------------------------

@pytest.mark.parametrize("header, day, refused", [
    ("Taakstelling 1e helft 2026", "2026-01-01", False), ("Taakstelling H1 2026", "2026-01-01", False),
    ("Taakstelling 2026-1", "2026-01-01", False), ("Taakstelling jan-jun 2026", "2026-01-01", False),
    ("Taakstelling 1 januari t/m 30 juni 2026", "2026-01-01", False),
    ("Taakstelling 2e halfjaar 2025", "2026-01-01", False),  # the day after: the corrected target's day
    ("Taakstelling 1e helft 2026", "2026-02-01", False),  # a decision taken during the half-year
    ("Taakstelling 2026-II", "2026-01-01", True), ("Taakstelling 2e helft 2026", "2026-01-01", True),
    ("Taakstelling H2 2026", "2026-01-01", True), ("Taakstelling juli-december 2026", "2026-01-01", True),
    ("Taakstelling 1e helft 2026", "2025-07-01", True), ("Taakstelling 2e halfjaar 2025", "2026-07-01", True)])
def test_a_period_in_the_header_must_hold_the_ingangsdatum(tmp_path, header, day, refused):
    rows = [["Taakstelling huisvesting vergunninghouders"], [], ["Gemeente", header], ["Assen", "46"],
            ["Emmen", "120"]] + NOTES
    code, targets, found = annex(tmp_path, rows, opgave="vergunninghouders", day=day)
    if refused:  # before: read with exit 0, the other half-year's targets from this date
        assert errors(found) == [("periode_verschilt", 3, header, header)]
        assert "ingangsdatum = " in next(m["melding"] for m in found if m["code"] == "periode_verschilt")
        assert (code, targets) == (1, {})
    else:
        assert errors(found) == [] and (code, targets) == (0, {ASSEN: 46.0, EMMEN: 120.0})


def test_a_period_in_the_title_must_hold_the_ingangsdatum(tmp_path):
    rows = [["Taakstelling huisvesting vergunninghouders 2e helft 2026"], [], ["Gemeente", "Taakstelling"],
            ["Assen", "46"], ["Emmen", "120"]]
    code, targets, found = annex(tmp_path / "a", rows, opgave="vergunninghouders", day="2026-01-01")
    assert errors(found) == [("periode_verschilt", 1, None, "Taakstelling huisvesting vergunninghouders 2e helft 2026")]
    assert (code, targets) == (1, {})
    code, targets, found = annex(tmp_path / "b", rows, opgave="vergunninghouders", day="2026-07-01")
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 46.0, EMMEN: 120.0})


# --- 4. amounts as published ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("exact, rounded", [("Taakstelling", "Taakstelling (afgerond)"),
                                            ("Taakstelling 2026-I", "Afgerond"), ("Opgave", "Opgave afgerond")])
def test_fractions_beside_a_rounded_column_are_refused_until_kolommen_picks_one(tmp_path, fmt, exact, rounded):
    rows = TITLE + [["Gemeente", "Verdeelsleutel", exact, rounded], ["Assen", "0,0124", "12,4", "12"],
                    ["Emmen", "0,0406", "40,6", "41"]] + NOTES
    code, targets, found = annex(tmp_path / "a", rows, fmt)
    # before: 12,4 and 40,6 were the targets with exit 0, the rounded column ignored
    assert errors(found) == [("opgave_naast_afgerond", 4, exact, exact)]
    assert f'kolommen = {{ "{rounded}" = "Opgave" }}' in found[0]["melding"]
    assert (code, targets) == (1, {})
    code, targets, found = annex(tmp_path / "b", rows, fmt, extra=f'kolommen = {{ "{rounded}" = "Opgave" }}')
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 12.0, EMMEN: 41.0})
    code, targets, found = annex(tmp_path / "c", rows, fmt, extra=f'kolommen = {{ "{exact}" = "Opgave" }}')
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 12.4, EMMEN: 40.6})


def test_amounts_as_published_spaces_dashes_marks_and_units(tmp_path):
    rows = TITLE + [["Gemeente", "Opgave"], ["Assen", "1 234"], ["Emmen", "1\u202f010"], ["Tynaarlo", "1\u00a0005"],
                    ["Aa en Hunze", "–"], ["Coevorden", "-"], ["Meppel", "n.v.t."]] + NOTES
    code, targets, found = annex(tmp_path / "a", rows)
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 1234.0, EMMEN: 1010.0, TYNAARLO: 1005.0})
    # two numbers run together (12 and 34 of two columns), a footnote mark, a unit: never a target
    rows = TITLE + [["Gemeente", "Opgave"], ["Assen", "12 34"], ["Emmen", "12*"], ["Tynaarlo", "12¹"],
                    ["Aa en Hunze", "12 personen"], ["Coevorden", "5"]] + NOTES
    code, targets, found = annex(tmp_path / "b", rows)
    assert errors(found) == [("geen_getal", 5, "Opgave", "12 34"), ("geen_getal", 6, "Opgave", "12*"),
                             ("geen_getal", 7, "Opgave", "12¹"), ("geen_getal", 8, "Opgave", "12 personen")]
    assert "spatie tussen cijfers" in found[0]["melding"]  # before: 12 34 was Assen's target 1234, exit 0
    assert (code, targets) == (1, {"GM0109": 5.0})


# --- 5. a municipality and a province column ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_province_column_that_contradicts_the_municipality_or_settles_bergen(tmp_path, fmt):
    rows = TITLE + [["Provincie", "Gemeente", "Opgave"], ["Fryslân", "Leeuwarden", "100"],
                    ["Friesland", "Assen", "30"], ["Drenthe", "Emmen", "40"]] + NOTES
    code, targets, found = annex(tmp_path / "a", rows, fmt)
    # before: Assen's target was 30 with exit 0, though the row says it lies in Friesland
    assert errors(found) == [("provincie_spreekt_tegen", 6, "Provincie", "Friesland")]
    assert (code, targets) == (1, {"GM0080": 100.0, EMMEN: 40.0})
    rows = TITLE + [["Gemeente", "Provincie", "Opgave"], ["Bergen", "Limburg", "30"], ["Venlo", "Limburg", "100"]]
    code, targets, found = annex(tmp_path / "b", rows, fmt)
    assert errors(found) == [("gebied_onbekend", 5, "Gemeente", "Bergen")]
    assert "bedoelt u Bergen (L.) (GM0893)?" in found[0]["melding"]
    assert (code, targets) == (1, {"GM0983": 100.0})
    rows = TITLE + [["Gemeente", "Provincie", "Opgave"], ["Bergen (L.)", "Limburg", "30"],
                    ["Bergen (NH.)", "Noord-Holland", "45"]]
    code, targets, found = annex(tmp_path / "c", rows, fmt)
    assert errors(found) == [] and (code, targets) == (0, {"GM0893": 30.0, "GM0373": 45.0})


# --- 6. two tables in one annex -------------------------------------------------------------------------------

DRENTHE = [["Gemeente", "Opgave"], ["Assen", "60"], ["Emmen", "40"], ["Tynaarlo", "20"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("above", [[["Provincie", "Opgave"]], [["Totaal per provincie"]],
                                   [["Verdeling over de provincies"]], []])
def test_a_provincial_summary_under_the_municipal_table(tmp_path, fmt, above):
    summary = [["Drenthe", "120"], ["Groningen", "500"], ["Utrecht", "2000"], ["Totaal Nederland", "2620"]]
    code, targets, found = annex(tmp_path, TITLE + DRENTHE + [[]] + above + summary + NOTES, fmt)
    # before: Groningen 500 and Utrecht 2000 were the municipalities' targets, exit 0
    first = len(TITLE) + len(DRENTHE) + 1 + len(above) + 2
    assert errors(found) == [("subtotaal_of_gemeente", first, "Gemeente", "Groningen"),
                             ("subtotaal_of_gemeente", first + 1, "Gemeente", "Utrecht")]
    assert (code, targets) == (1, {ASSEN: 60.0, EMMEN: 40.0, TYNAARLO: 20.0})
    assert sum(targets.values()) == 120  # the summary's Drenthe


def test_a_totaal_nederland_line_is_a_totals_row(tmp_path):
    rows = TITLE + DRENTHE + [["Totaal Nederland", str(60 + 40 + 20)]] + NOTES
    code, targets, found = annex(tmp_path, rows)
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 60.0, EMMEN: 40.0, TYNAARLO: 20.0})


# --- 7. CBS codes as published --------------------------------------------------------------------------------

def test_cbs_codes_as_published_and_as_excel_leaves_them(tmp_path):
    rows = TITLE + [["Gemeentecode", "Opgave"], ["GM0363", "1.500"], ["0106", "60"], ["114", "40"], ["14", "250"]]
    expected = {"GM0363": 1500.0, ASSEN: 60.0, EMMEN: 40.0, GRONINGEN: 250.0}
    code, targets, found = annex(tmp_path / "a", rows)
    assert errors(found) == [] and (code, targets) == (0, expected)
    rows = TITLE + [["CBS-code", "Gemeente", "Opgave"], [363, "Amsterdam", 1500], [106, "Assen", 60],
                    [114.0, "Emmen", 40], [14, "Groningen", 250]]
    code, targets, found = annex(tmp_path / "b", rows, "xlsx")
    assert errors(found) == [] and (code, targets) == (0, expected)
    rows = TITLE + [["CBS-code", "Gemeente", "Opgave"], [363, "Assen", 60]]
    code, targets, found = annex(tmp_path / "c", rows, "xlsx")
    assert [e[0] for e in errors(found)] == ["gebieden_spreken_tegen"] and (code, targets) == (1, {})


# --- 8. workbook habits: merged title, a hidden column of last year, a sheet per province ----------------------

def test_a_hidden_column_with_last_years_figures_and_a_sheet_per_province(tmp_path):
    rows = [["Verdeelbesluit opvang asielzoekers 2026"], [], ["Gemeente", "Opgave 2025", "Opgave 2026"],
            ["Assen", 50, 60], ["Emmen", 30, 40]]
    data = xlsx(rows, hidden="B", merge="A1:C1")
    code, targets, found = annex(tmp_path / "a", data, "xlsx")
    assert [e[0] for e in errors(found)] == ["meerdere_kolommen"] and code == 1
    assert 'kolommen = { "Opgave 2026" = "Opgave" }' in next(m["melding"] for m in found if m["ernst"] == "fout")
    code, targets, found = annex(tmp_path / "b", data, "xlsx", extra='kolommen = { "Opgave 2026" = "Opgave" }')
    assert errors(found) == [] and (code, targets) == (0, {ASSEN: 60.0, EMMEN: 40.0})
    wb = openpyxl.Workbook()
    wb.active.title = "Drenthe"
    for row in [["Gemeente", "Opgave"], ["Assen", 60]]:
        wb["Drenthe"].append(row)
    other = wb.create_sheet("Groningen")
    for row in [["Gemeente", "Opgave"], ["Groningen", 250]]:
        other.append(row)
    out = io.BytesIO()
    wb.save(out)
    code, targets, found = annex(tmp_path / "c", out.getvalue(), "xlsx")
    assert [e[0] for e in errors(found)] == ["ander_blad_niet_gelezen"] and code == 1
