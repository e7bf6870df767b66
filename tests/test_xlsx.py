"""Workbooks as people make them: which sheet, where the header is, title cells, spreadsheet dates,
numbers as text and text as numbers, empty trailing cells, merged and repeated header cells, and the
sheet's own row numbers in every melding (docs/sources/reading.md)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from opvangkern.sources import kit
from opvangkern.sources.adapter import Source
from opvangkern.sources.fuzz import xlsx_bytes

LAYOUT = kit.Layout("test", [kit.Column("plekken", ["Plekken", "Aantal"], kind=kit.COUNT)], require=[("plekken",)])
PEIL = dt.date(2025, 12, 31)


def build(data: bytes, **kw) -> kit.AdapterResult:
    b = kit.RealisatieBuilder(Source(io.BytesIO(data), "x.xlsx", **kw), "test")
    with b.guard():
        for row in b.read_table(LAYOUT) or ():
            b.add(row, "nidos_amv", row.count("plekken"))
    return b.result()


def figures(result):
    return [(r["gemeentecode"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()]


def saved(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook(*sheets: tuple[str, list[list]]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    for i, (name, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if isinstance(value, dt.date):
                        cell.number_format = "dd-mm-yyyy"
    return wb


# --- which sheet -------------------------------------------------------------------------------

def test_first_sheet_by_default_and_the_sheet_the_manifest_names():
    data = saved(workbook(("Eerste", [["Gemeente", "Plekken"], ["Assen", 1]]),
                          ("Tweede", [["Titel"], ["Gemeente", "Plekken"], ["Emmen", 2]])))
    assert figures(build(data)) == [("GM0106", 1, 2)]
    result = build(data, blad="Tweede")
    assert figures(result) == [("GM0114", 2, 3)]
    assert figures(build(data, blad=" tweede ")) == [("GM0114", 2, 3)]  # case and spaces ignored
    [m] = build(data, blad="Derde").meldingen
    assert m.is_error and "Eerste, Tweede" in m.melding


def test_named_sheet_without_the_header_is_a_fout_naming_the_sheet():
    data = saved(workbook(("Data", [["Gemeente", "Plekken"], ["Assen", 1]]), ("Toelichting", [["Uitleg"]])))
    [m] = build(data, blad="Toelichting").meldingen
    assert m.is_error and m.blad == "Toelichting"


# --- header, titles, peildatum ------------------------------------------------------------------

def test_header_found_anywhere_with_offset_columns():
    rows = [[], ["", "", "COA capaciteit"], [], [], ["", "", "Stand per", PEIL], [], ["", "", "Gemeente", "Plekken"],
            ["", "", "Assen", 5], ["", "", "Emmen", "x"]]
    result = build(saved(workbook(("Blad1", rows))))
    assert figures(result) == [("GM0106", 5, 8)]
    assert result.peildatum == PEIL
    [m] = result.meldingen
    assert (m.rij, m.kolom, m.waarde, m.blad) == (9, "Plekken", "x", "Blad1")


@pytest.mark.parametrize("title", [
    ["Peildatum", PEIL],                                        # a label cell and a real date cell
    ["Peildatum:", dt.datetime(2025, 12, 31)],                  # a datetime at midnight
    ["Stand per", 46022],                                       # a date serial number in a General cell
    ["Peildatum", "31-12-2025"],                                # a date as text
    ["Realisatie, stand per 31 december 2025"],                 # a sentence
])
def test_title_cells_above_the_header_give_the_peildatum(title):
    data = saved(workbook(("Blad1", [["Overzicht Nidos"], title, [], ["Gemeente", "Plekken"], ["Assen", 3]])))
    result = build(data)
    assert result.peildatum == PEIL and not result.meldingen


@pytest.mark.parametrize("value", [PEIL, 46022, 46022.0, "31-12-2025", "31 december 2025"])
def test_peildatum_column_with_spreadsheet_dates(value):
    data = saved(workbook(("Blad1", [["Peildatum", "Gemeente", "Plekken"], [value, "Assen", 3], [value, "Emmen", 4]])))
    result = build(data)
    assert result.peildatum == PEIL and not result.meldingen


def test_a_date_cell_in_a_count_column_is_a_fout():
    result = build(saved(workbook(("Blad1", [["Gemeente", "Plekken"], ["Assen", PEIL]]))))
    [m] = result.meldingen
    assert m.is_error and (m.rij, m.kolom, m.waarde) == (2, "Plekken", "2025-12-31")


# --- numbers and text --------------------------------------------------------------------------

def test_numbers_stored_as_text_and_codes_stored_as_numbers():
    rows = [["Gemeentecode", "Plekken"],
            [106.0, "1.010"],          # code as a float, count as Dutch text
            [114, "12"],               # code as an int, count as text
            ["GM0502   ", 7.0],        # code with trailing spaces, count as a float
            ["0109", " 2 "],           # code as text with a leading zero
            [1680, 3]]
    result = build(saved(workbook(("Blad1", rows))))
    assert figures(result) == [("GM0106", 1010, 2), ("GM0114", 12, 3), ("GM0502", 7, 4), ("GM0109", 2, 5),
                               ("GM1680", 3, 6)]
    assert not result.meldingen


def test_fractional_number_cell_is_a_fout_not_rounded():
    result = build(saved(workbook(("Blad1", [["Gemeente", "Plekken"], ["Assen", 2.5], ["Emmen", -1]]))))
    assert figures(result) == []
    assert [(m.rij, m.waarde) for m in result.meldingen if m.is_error] == [(2, "2.5"), (3, "-1")]


# --- empty and merged cells -----------------------------------------------------------------------

def test_empty_trailing_rows_and_columns_are_ignored():
    wb = workbook(("Blad1", [["Gemeente", "Plekken"], ["Assen", 3], ["Emmen", 4]]))
    ws = wb.active
    for r in range(4, 60):        # formatted, empty or blank-text cells far below and to the right
        ws.cell(r, 1).number_format = "0.00"
        ws.cell(r, 2, " " if r % 2 else None)
    for c in range(3, 30):
        ws.cell(1, c, "")
        ws.cell(2, c).number_format = "@"
    ws.cell(200, 40, " ")
    result = build(saved(wb))
    assert figures(result) == [("GM0106", 3, 2), ("GM0114", 4, 3)]
    assert not result.meldingen
    assert (result.stats.rijen_gelezen, result.stats.rijen_gebruikt) == (2, 2)


def test_title_merged_across_columns_and_municipality_merged_down_rows():
    wb = workbook(("Blad1", [["COA - capaciteit per locatie"], ["Peildatum", PEIL], [],
                             ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
                             ["Assen", "AZC Assen", "regulier", 1010], [None, "NOL Assen", "NO", 614],
                             ["Emmen", "AZC Emmen", "regulier", 700]]))
    wb.active.merge_cells("A1:D1")
    wb.active.merge_cells("A5:A6")
    coa = pytest.importorskip("opvangkern_coa").CoaAdapter()
    result = coa.read(Source(io.BytesIO(saved(wb)), "coa.xlsx"))
    assert [(r["gemeentecode"], r["categorie"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()] == [
        ("GM0106", "regulier", 1010, 5), ("GM0106", "noodopvang", 614, 6), ("GM0114", "regulier", 700, 7)]
    assert result.peildatum == PEIL and not result.meldingen


@pytest.mark.parametrize("merged", [True, False])
def test_header_over_two_rows_with_a_merged_group_label(merged):
    """``Asiel`` merged over Regulier/NO/TGO, ``Gemeente`` and ``AMV`` over both header rows (or, unmerged,
    written only in the upper row): the header is both rows, the data starts below them."""
    rows = [["COA - capaciteit per gemeente"], ["Peildatum", PEIL],
            ["Gemeente", "Asiel", None, None, "AMV", "Totaal"],
            [None, "Regulier", "NO", "TGO", None, None],
            ["Assen", 1010, 614, 0, 20, 1644],
            ["Emmen", "700", "-", 12, None, 712]]
    wb = workbook(("Blad1", rows))
    if merged:
        for cells in ("B3:D3", "A3:A4", "E3:E4", "F3:F4"):
            wb.active.merge_cells(cells)
    coa = pytest.importorskip("opvangkern_coa").CoaAdapter()
    result = coa.read(Source(io.BytesIO(saved(wb)), "coa.xlsx"))
    got = [(r["gemeentecode"], r["opgave"], r["categorie"], r["aantal"], r["rij"])
           for r in result.realisaties.to_pylist()]
    assert got == [("GM0106", "asiel", "regulier", 1010, 5), ("GM0106", "asiel", "noodopvang", 614, 5),
                   ("GM0106", "asiel", "tgo", 0, 5), ("GM0106", "amv", None, 20, 5),
                   ("GM0114", "asiel", "regulier", 700, 6), ("GM0114", "asiel", "tgo", 12, 6)]
    assert not result.meldingen
    assert result.peildatum == PEIL
    assert result.stats.rijen_gelezen == 2


def test_second_row_with_numbers_is_data_not_header():
    """A header row followed by a data row is one header row, even when the data mentions column names."""
    coa = pytest.importorskip("opvangkern_coa").CoaAdapter()
    data = saved(workbook(("Blad1", [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
                                     [None, "AZC", "AMV", 20], ["Assen", "AZC", "AMV", 20]])))
    result = coa.read(Source(io.BytesIO(data), "coa.xlsx"))
    assert [(r["rij"], r["aantal"]) for r in result.realisaties.to_pylist()] == [(3, 20)]
    assert [m.rij for m in result.meldingen if m.is_error] == [2]  # values without a municipality


def test_repeated_header_rows_and_repeated_header_cells():
    rows = [["Gemeente", "Plekken"], ["Assen", 3], [], ["Gemeente", "Plekken"], ["Emmen", 4]]
    result = build(saved(workbook(("Blad1", rows))))
    assert figures(result) == [("GM0106", 3, 2), ("GM0114", 4, 5)] and not result.meldingen
    assert (result.stats.rijen_gelezen, result.stats.rijen_overgeslagen) == (3, 1)
    result = build(saved(workbook(("Blad1", [["Gemeente", "Plekken", "Plekken"], ["Assen", 3, 4]]))))
    assert any(m.is_error and m.rij == 1 and "twee keer" in m.melding for m in result.meldingen)


# --- row numbers -------------------------------------------------------------------------------

def test_every_melding_carries_the_sheets_own_row_number():
    rows = [["Titel"], [], ["Toelichting: zie blad 2"], [], ["Gemeente", "Plekken"],
            ["Assen", 3], [], ["Asen", 4], ["Emmen", "veel"], [None, 5], ["Totaal", 99], ["Bron: COA"]]
    data = xlsx_bytes(rows, sheet="Cijfers", sheets_before=("Toelichting",))
    result = build(data)
    assert figures(result) == [("GM0106", 3, 6)]
    where = sorted((m.ernst.value, m.rij, m.kolom, m.blad) for m in result.meldingen)
    # the totals row (11) is not checked: a row it covers (9) has a rejected value
    # SPEC §11 (issue 9): the note under the table (row 12, `Bron: COA`) is skipped without a warning
    assert where == [("fout", 8, "Gemeente", "Cijfers"), ("fout", 9, "Plekken", "Cijfers"),
                     ("fout", 10, None, "Cijfers")]
    assert all(m.bestand == "x.xlsx" for m in result.meldingen)
    s = result.stats
    assert (s.rijen_gelezen, s.rijen_gebruikt, s.totaalrijen, s.rijen_afgewezen, s.rijen_overgeslagen, s.som) == \
        (6, 1, 1, 3, 1, 3)
    assert not any(m.rij == 12 for m in result.meldingen)
