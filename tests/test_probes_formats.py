"""Hardening (ninth session): what the file format and the tool that wrote it add to a table.

Earlier probes (``test_probes.py``, ``test_probes_cells.py``, ``test_probes_sources.py``, ``hostile/``) laid
the table out as the sources publish it. Here the table is plain and the *file* is what varies: workbooks
as xlsxwriter, openpyxl and Excel write them (formulas a library never calculated, table objects, very
hidden sheets, chart sheets, rich text), OpenDocument files as LibreOffice writes them (repeated rows,
merges over rows, error cells, annotations, ``text:s`` spaces), and text files as Excel, Power BI, SPSS and
web portals export them (``sep=;``, UTF-16 "Unicode text" with and without its BOM, ``="0106"``, a space
before a quoted field, Ctrl-Z, HTML or XML saved as ``.csv``/``.xls``). Each case asserts the figure per
municipality by plain arithmetic, or the melding (code, file, sheet, row, column, value). Every file goes
through ``read`` of ``tests/test_probes.py``: the adapter with its fast paths, inside ``fastscan.careful()``
and through the plugin's reference adapter, the same result each way.

Wrong before this session (a figure with exit 0, or a refusal that did not say how to fix it):
- a formula xlsxwriter wrote without a value (it stores 0 and asks Excel to recalculate on opening) counted 0
  (and in a quota workbook was a target of 0);
- an error cell in an ODS (``#DIV/0!``, ``Err:502``) was an empty cell: the municipality silently had nothing;
- a municipality merged over its locations in an ODS was refused (``gebied_ontbreekt``) for every row below;
- a table on a hidden sheet behind a visible note gave "geen kopregel" without naming the sheet;
- ``="0106"`` codes and ``"Assen", "5"`` (a space after the comma) were an unknown municipality / no number;
- ``12.000`` in an SPSS export with three decimals (beside ``1010.000``) counted 12000;
- ``'-2`` (a portal's guard against formulas) was no number; a date of ``12/29/2025`` said so in English;
- UTF-16 text without a BOM was "no text file"; a trailing Ctrl-Z was a warning about an unknown municipality;
- an HTML page or an XML Spreadsheet 2003 saved as ``.csv``/``.xls``, a PDF or JSON file asked for a ``kolommen``
  line; a zip of CSV files, a Numbers document or a password-protected workbook was "damaged".
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.dataset.manifest import MANIFEST_NAME
from opvangkern.reading.sheet import decode_text, read_grids
from opvangkern.testing import load_module
from opvangkern.testing.fuzz import adapter_settings

from .test_xlsx_twins import _cell

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_formats")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
errors, figures, read, where, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where, _PROBES.workbook
AA_EN_HUNZE = "GM1680"


def xlsxw(build, **options) -> bytes:
    """A workbook written with xlsxwriter, never opened in Excel (``fullCalcOnLoad``: formulas not calculated)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **options})
    build(wb)
    wb.close()
    return out.getvalue()


def codes(result) -> list[tuple]:
    return [(m.ernst.value, m.code, m.rij, m.kolom) for m in result.meldingen]


# --- OpenDocument as LibreOffice writes it ----------------------------------------------------------------

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/" '
       'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
       'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')


def ods(*tables: str, styles: str = "") -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.3">{styles}'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               '</office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        z.writestr("content.xml", content)
    return out.getvalue()


def table(name: str, *rows: str, style: str | None = None) -> str:
    attr = f' table:style-name="{style}"' if style else ""
    # LibreOffice declares the columns and ends every table with an empty row repeated to the sheet's edge
    return (f'<table:table table:name="{name}"{attr}><table:table-column table:number-columns-repeated="4"/>'
            + "".join(rows) + '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
            'table:number-columns-repeated="1024"/></table:table-row></table:table>')


def row(*cells: str, repeated: int = 1) -> str:
    attr = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attr}>{''.join(cells)}<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"


def t(text: str, attrs: str = "") -> str:
    return f'<table:table-cell{attrs} office:value-type="string" calcext:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def n(value, attrs: str = "") -> str:
    return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value}" calcext:value-type="float">'
            f'<text:p>{value}</text:p></table:table-cell>')


def error(shown: str, formula: str = "of:=1/0") -> str:
    return (f'<table:table-cell table:formula="{formula}" office:value-type="string" office:string-value="" '
            f'calcext:value-type="error"><text:p>{shown}</text:p></table:table-cell>')


COVERED = "<table:covered-table-cell/>"
NOTE = ('<office:annotation><dc:creator>J. de Vries</dc:creator><dc:date>2026-01-05T10:12:00</dc:date>'
        '<text:p>nog 12 plekken in aanbouw</text:p></office:annotation>')


# --- 1. workbooks as libraries and Excel write them ---------------------------------------------------------

def test_a_formula_a_library_never_calculated_is_a_fout_not_a_zero():
    """xlsxwriter stores 0 for a formula it is not given a value for and asks Excel to recalculate on opening;
    read as it stands Emmen had 0 places (was wrong: counted 0, exit 0)."""
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write_row("A2", ["Assen", 5])
        ws.write("A3", "Emmen")
        ws.write_formula("B3", "=B2*2")
        ws.write("A4", "Tynaarlo")
        ws.write_formula("B4", "=B2+3", None, 8)  # a value the script gave: the script's result
    result = read("nidos", xlsxw(build))
    assert figures(result) == {(ASSEN, *NIDOS): 5, (TYNAARLO, *NIDOS): 5 + 3}
    [fout] = errors(result)
    assert where(fout)[:6] == ("fout", "formule_zonder_waarde", "nidos.xlsx", "Nidos", 3, "Plekken")
    assert "=B2*2" in fout.waarde and "sla het bestand op in Excel" in fout.melding


def test_an_uncalculated_formula_in_the_area_column_is_no_municipality_0():
    def build(wb):
        ws = wb.add_worksheet("KCIO")
        ws.write_row("A1", ["Gemeente", "Capaciteit"])
        ws.write_formula("A2", '=PROPER("assen")')
        ws.write("B2", 40)
        ws.write_row("A3", ["Emmen", 12])
    result = read("kcio", xlsxw(build))
    assert figures(result) == {(EMMEN, *KCIO): 12}
    assert codes(result) == [("fout", "formule_zonder_waarde", 2, "Gemeente"), ("fout", "gebied_ontbreekt", 2, None)]


def test_an_uncalculated_formula_in_a_quota_workbook_is_no_target_of_0():
    """A target of 0 is a target (not "none"): an xlsxwriter formula's placeholder gave Emmen the target 0."""
    from opvangkern.reading.quota import read_quota
    from opvangkern.sources.adapter import Source

    def build(wb):
        ws = wb.add_worksheet("Opgave")
        ws.write_row("A1", ["Gemeente", "Opgave"])
        ws.write_row("A2", ["Assen", 10])
        ws.write("A3", "Emmen")
        ws.write_formula("B3", "=B2*2")
        ws.write("A4", "Totaal")
        ws.write_formula("B4", "=SUM(B2:B3)")
    result = read_quota(Source(io.BytesIO(xlsxw(build)), "opgaven/nidos_amv.xlsx"), "nidos_amv", dt.date(2026, 1, 1),
                        "gemeente")
    assert [(p["gebied_code"], p["aantal"]) for p in result.opgaven.to_pylist()] == [(ASSEN, 10)]
    assert [(m.ernst.value, m.code, m.rij, m.kolom) for m in result.meldingen] == [
        ("fout", "formule_zonder_waarde", 3, "Opgave"), ("waarschuwing", "foutcel_in_totaalrij", 4, "Opgave")]


@pytest.mark.parametrize("stated, melding", [
    (None, ("waarschuwing", "foutcel_in_totaalrij", 4, "Plekken")),   # SUBTOTAL never calculated: not checked
    (5 + 7, None),                                                     # as Excel saves it: checked, it fits
    (5 + 7 + 1, ("waarschuwing", "totaalrij_klopt_niet", 4, "Plekken")),
])
def test_a_table_object_with_a_totals_row(stated, melding):
    """An Excel table (ListObject) with its totals row (``SUBTOTAL(109,[Plekken])``): excluded and checked."""
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A2", ["Assen", 5])
        ws.write_row("A3", ["Emmen", 7])
        total = {"header": "Plekken", "total_function": "sum"}
        if stated is not None:
            total["total_value"] = stated
        ws.add_table("A1:B4", {"columns": [{"header": "Gemeente", "total_string": "Totaal"}, total],
                               "total_row": True, "style": "Table Style Medium 2"})
    result = read("nidos", xlsxw(build))
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
    assert codes(result) == ([melding] if melding else [])


@adapter_settings()
@given(st.lists(st.tuples(st.integers(0, 3000), st.sampled_from(["number", "formula", "formula with value"])),
                min_size=1, max_size=8))
def test_fuzz_only_a_calculated_value_counts(cells):
    """Whatever the mix: a plain number and a formula with a stored value count as they stand; a formula
    stored without a value is a fout at its row when its placeholder would be read (a 0), never a count."""
    names = ["Assen", "Emmen", "Tynaarlo", "Aa en Hunze", "Borger-Odoorn", "Coevorden", "De Wolden", "Hoogeveen"]

    def build(wb):
        ws = wb.add_worksheet("N")
        ws.write_row(0, 0, ["Gemeente", "Plekken"])
        for i, (value, kind) in enumerate(cells, 1):
            ws.write(i, 0, names[i - 1])
            if kind == "number":
                ws.write_number(i, 1, value)
            elif kind == "formula":
                ws.write_formula(i, 1, f"={value}+0")  # xlsxwriter's default: 0 stored, no result
            else:
                ws.write_formula(i, 1, f"={value}+0", None, value)
    result = read("nidos", xlsxw(build))
    placeholder = {i + 2 for i, (value, kind) in enumerate(cells) if kind == "formula" or (kind != "number" and value == 0)}
    assert {m.rij for m in errors(result)} == placeholder
    assert all(m.code == "formule_zonder_waarde" for m in errors(result))
    counted = {i + 2: value for i, (value, _) in enumerate(cells) if i + 2 not in placeholder}
    assert sorted(r["rij"] for r in result.realisaties.to_pylist()) == sorted(counted)
    assert sum(result.realisaties.column("aantal").to_pylist()) == sum(counted.values())


def test_a_very_hidden_sheet_and_a_chart_sheet_in_front_are_passed_over():
    def build(wb):
        chart_sheet = wb.add_chartsheet("Grafiek")
        old = wb.add_worksheet("Oud")
        old.write_row("A1", ["Gemeente", "Plekken"])
        old.write_row("A2", ["Assen", 99])
        old.very_hidden()
        ws = wb.add_worksheet("Nu")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write_row("A2", ["Assen", 5])
        ws.write_row("A3", ["Emmen", 7])
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "=Nu!$B$2:$B$3"})
        chart_sheet.set_chart(chart)
        chart_sheet.activate()
    assert figures(read("nidos", xlsxw(build))) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_the_table_on_a_hidden_sheet_is_not_read_but_named(kind):
    """An export whose only visible sheet is a note and whose table is on a hidden sheet: the hidden sheet is
    not read (it may be an old copy), and the melding now names it with the ``blad`` line that reads it
    (before: only "geen kopregel gevonden")."""
    if kind == "xlsx":
        def build(wb):
            wb.add_worksheet("Toelichting").write("A1", "Nidos: kleinschalige opvang per gemeente")
            data = wb.add_worksheet("Gegevens")
            data.write_row("A1", ["Gemeente", "Plekken"])
            data.write_row("A2", ["Assen", 5])
            data.hide()
        raw, bestand = xlsxw(build), "nidos.xlsx"
    else:
        styles = ('<office:automatic-styles><style:style style:name="ta2" style:family="table"><style:table-properties '
                  'table:display="false"/></style:style></office:automatic-styles>')
        raw = ods(table("Toelichting", row(t("Nidos: kleinschalige opvang per gemeente"))),
                  table("Gegevens", row(t("Gemeente"), t("Plekken")), row(t("Assen"), n(5)), style="ta2"), styles=styles)
        bestand = "nidos.ods"
    result = read("nidos", raw, bestand)
    [fout] = errors(result)
    assert (fout.code, fout.blad, fout.rij) == ("geen_kopregel", "Toelichting", 1)
    assert 'blad = "Gegevens"' in fout.melding
    assert figures(read("nidos", raw, bestand, blad="Gegevens")) == {(ASSEN, *NIDOS): 5}


def test_a_filtered_view_grouped_rows_and_rich_text_count_as_written():
    """An autofilter hiding Emmen, rows grouped and collapsed, a name in rich text (bold runs): every row is
    data (a hidden row is counted, as Excel's SUM counts it), and a name is its runs joined."""
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write_rich_string("A2", "Aa en ", wb.add_format({"bold": True}), "Hunze")
        ws.write("B2", 4)
        ws.write_row("A3", ["Assen", 5])
        ws.write_row("A4", ["Emmen", 7])
        ws.autofilter("A1:B4")
        ws.filter_column("A", "x != Emmen")
        ws.set_row(3, None, None, {"hidden": True})
        ws.set_row(1, None, None, {"level": 1, "hidden": True})
        ws.set_row(4, None, None, {"collapsed": True})
    result = read("nidos", xlsxw(build))
    assert not result.meldingen
    assert figures(result) == {(AA_EN_HUNZE, *NIDOS): 4, (ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


def _rezip(data: bytes, edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info, edit(info.filename, source.read(info.filename)))
    return out.getvalue()


def test_a_dimension_that_lies_and_strict_open_xml():
    """A sheet whose ``<dimension>`` says ``A1:A1`` while the data goes on, and Excel's "Strict Open XML"
    (other namespaces) with an error cell: every cell is read, the error cell is found."""
    data = workbook({"Nidos": [["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7], ["Tynaarlo", "#N/A"]]})

    def edit(name, body):
        if name.startswith("xl/worksheets/"):
            body = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', body)
            body = re.sub(rb'<c r="B4" t="inlineStr"><is><t>#N/A</t></is></c>', b'<c r="B4" t="e"><v>#N/A</v></c>', body)
        return body
    lying = _rezip(data, edit)
    strict = _rezip(lying, lambda name, body: body.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main")
        .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
    for variant in (lying, strict):
        result = read("nidos", variant)
        assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
        assert codes(result) == [("fout", "foutcel", 4, "Plekken")]


@pytest.mark.parametrize("date_1904", [False, True])
def test_a_peildatum_cell_in_a_mac_workbook_is_the_same_day(date_1904):
    """Excel for Mac's 1904 date system counts days from another epoch: the date cell is still 31-12-2025."""
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write("A1", "Peildatum")
        ws.write_datetime("B1", dt.datetime(2025, 12, 31), wb.add_format({"num_format": "d-m-yyyy"}))
        ws.write_row("A3", ["Gemeente", "Plekken"])
        ws.write_row("A4", ["Assen", 5])
    result = read("nidos", xlsxw(build, date_1904=date_1904), peildatum=None)
    assert result.peildatum == dt.date(2025, 12, 31) and not result.meldingen


def test_a_count_formatted_as_a_date_says_how_to_fix_it():
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write("A2", "Assen")
        ws.write_number("B2", 1010, wb.add_format({"num_format": "dd-mm-yyyy"}))  # shown as 06-10-1902
        ws.write_row("A3", ["Emmen", 7])
    result = read("nidos", xlsxw(build))
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = errors(result)
    assert where(fout) == ("fout", "geen_getal", "nidos.xlsx", "Nidos", 2, "Plekken", "1902-10-06")
    assert "opmaak Getal" in fout.melding


def test_two_tables_side_by_side():
    """November beside December with the same headers: which is meant cannot be said (``kolom_dubbel``, the
    melding says to give one another header); a table of other columns beside the municipalities' is not read
    (its ``Plekken`` loses to ``Capaciteit``, with a warning) and changes no figure."""
    same = workbook({"KCIO": [["december", None, None, "november"], ["Gemeente", "Capaciteit", None, "Gemeente", "Capaciteit"],
                              ["Assen", 5, None, "Assen", 4], ["Emmen", 7, None, "Emmen", 6]]})
    result = read("kcio", same)
    assert {(m.code, m.rij, m.kolom) for m in errors(result)} == {("kolom_dubbel", 2, "Gemeente"),
                                                                  ("kolom_dubbel", 2, "Capaciteit")}
    other = workbook({"KCIO": [["Gemeente", "Capaciteit", None, "Locatie", "Plekken"], ["Assen", 5, None, "Hotel A", 12],
                               ["Emmen", 7, None, "Hotel B", 40], [None, None, None, "Hotel C", 3]]})
    result = read("kcio", other)
    assert figures(result) == {(ASSEN, *KCIO): 5, (EMMEN, *KCIO): 7}
    assert not errors(result) and [m.code for m in result.meldingen] == ["kolom_genegeerd"]


# --- 2. OpenDocument as LibreOffice writes it ---------------------------------------------------------------

def test_an_ods_error_cell_is_a_fout_not_an_empty_cell():
    """LibreOffice stores an error as an empty string value: python-calamine gave an empty cell and the
    municipality had nothing, without a melding (was wrong)."""
    data = ods(table("Nidos", row(t("Gemeente"), t("Plekken")), row(t("Assen"), error("#DIV/0!")),
                     row(t("Emmen"), error("Err:502", "of:=SQRT(-1)")), row(t("Tynaarlo"), n(6)),
                     row(t("Totaal"), error("#N/A", "of:=NA()"))))
    result = read("nidos", data, "nidos.ods")
    assert figures(result) == {(TYNAARLO, *NIDOS): 6}
    assert [where(m) for m in result.meldingen] == [
        ("fout", "foutcel", "nidos.ods", "Nidos", 2, "Plekken", "foutwaarde #DIV/0!"),
        ("fout", "foutcel", "nidos.ods", "Nidos", 3, "Plekken", "foutwaarde Err:502"),
        ("waarschuwing", "foutcel_in_totaalrij", "nidos.ods", "Nidos", 5, "Plekken", "foutwaarde #N/A"),
    ]


def test_an_ods_error_repeated_over_columns_and_rows_is_found_in_each_cell_read():
    """A run of error cells (``number-columns-repeated``, ``number-rows-repeated``) is found at every position it
    covers (a run of millions of valued cells is refused before, ``werkboek_te_groot``)."""
    run = error("#VERW!", "of:=#REF!").replace("<table:table-cell ", '<table:table-cell table:number-columns-repeated="3" ')
    data = ods(f'<table:table table:name="Nidos">{row(t("Gemeente"), t("Plekken"))}{row(t("Assen"), n(5))}'
               f'<table:table-row table:number-rows-repeated="2">{t("Emmen")}{run}</table:table-row></table:table>')
    result = read("nidos", data, "nidos.ods")
    assert figures(result) == {(ASSEN, *NIDOS): 5}
    assert [(m.code, m.rij, m.kolom, m.waarde) for m in errors(result)] == [
        ("foutcel", 3, "Plekken", "foutwaarde #VERW!"), ("foutcel", 4, "Plekken", "foutwaarde #VERW!")]


def test_an_ods_count_typed_as_a_date_says_how_to_fix_it():
    cell = '<table:table-cell office:value-type="date" office:date-value="1902-10-06"><text:p>06-10-02</text:p></table:table-cell>'
    result = read("nidos", ods(table("Nidos", row(t("Gemeente"), t("Plekken")), row(t("Assen"), cell))), "nidos.ods")
    [fout] = errors(result)
    assert where(fout) == ("fout", "geen_getal", "nidos.ods", "Nidos", 2, "Plekken", "1902-10-06")
    assert "opmaak Getal" in fout.melding


def test_an_ods_formula_without_a_result_is_a_fout():
    cell = '<table:table-cell table:formula="of:=[.B2]*2"/>'
    result = read("nidos", ods(table("Nidos", row(t("Gemeente"), t("Plekken")), row(t("Assen"), n(5)),
                                     row(t("Emmen"), cell))), "nidos.ods")
    assert figures(result) == {(ASSEN, *NIDOS): 5}
    assert [where(m) for m in result.meldingen] == [
        ("fout", "formule_zonder_waarde", "nidos.ods", "Nidos", 3, "Plekken", "formule =[.B2]*2 zonder opgeslagen uitkomst")]


def test_an_ods_municipality_merged_over_its_locations():
    """A name merged down over its locations (``number-rows-spanned``, covered cells below) gives its value
    to each row, as in XLSX (was: every row below refused, ``gebied_ontbreekt``); a number merged down
    counts once, in the merge's first row."""
    merged = ' table:number-rows-spanned="3" table:number-columns-spanned="1"'
    data = ods(table("COA", row(t("Gemeente"), t("Locatie"), t("Opvangvorm"), t("Capaciteit")),
                     row(t("Assen", merged), t("azc Assen"), t("regulier"), n(400)),
                     row(COVERED, t("NOL Assen"), t("noodopvang"), n(100)),
                     row(COVERED, t("TGO Assen"), t("TGO"), n(20)),
                     row(t("Emmen"), t("azc Emmen"), t("regulier"), n(300, ' table:number-rows-spanned="2"')),
                     row(t("Emmen"), t("azc Emmen (uitbreiding)"), t("regulier"), COVERED)))
    result = read("coa", data, "coa.ods")
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (ASSEN, "asiel", "tgo"): 20, (EMMEN, "asiel", "regulier"): 300}


def test_ods_repeats_annotations_and_spaces():
    """A row repeated (``number-rows-repeated="2"``: two rows, both counted), a comment on a cell (not part of
    its value), ``text:s`` spaces and a name over two paragraphs."""
    data = ods(table("Nidos", row(t("Gemeente"), t("Plekken")),
                     row(t("Assen"), n(5), repeated=2),
                     row(f'<table:table-cell office:value-type="string">{NOTE}<text:p>Emmen</text:p></table:table-cell>',
                         f'<table:table-cell office:value-type="float" office:value="7">{NOTE}<text:p>7</text:p></table:table-cell>'),
                     row(t('Aa<text:s/>en<text:s text:c="2"/>Hunze'), t("1<text:s/>010")),
                     row('<table:table-cell office:value-type="string"><text:p>Tyn</text:p><text:p>aarlo</text:p></table:table-cell>', n(2))))
    result = read("nidos", data, "nidos.ods")
    assert figures(result) == {(ASSEN, *NIDOS): 5 + 5, (EMMEN, *NIDOS): 7, (AA_EN_HUNZE, *NIDOS): 1010,
                               (TYNAARLO, *NIDOS): 2}
    assert codes(result) == [("waarschuwing", "dubbele_gemeente", 3, None)]


def test_an_ods_hidden_sheet_is_passed_over():
    styles = ('<office:automatic-styles><style:style style:name="ta2" style:family="table"><style:table-properties '
              'table:display="false"/></style:style></office:automatic-styles>')
    data = ods(table("Oud", row(t("Gemeente"), t("Plekken")), row(t("Assen"), n(99)), style="ta2"),
               table("Nu", row(t("Gemeente"), t("Plekken")), row(t("Assen"), n(5))), styles=styles)
    assert figures(read("nidos", data, "nidos.ods")) == {(ASSEN, *NIDOS): 5}


# --- 3. text files as tools export them ---------------------------------------------------------------------

LINES = ["Gemeente;Plekken", "Assen;5", "Emmen;1.010", "Tynaarlo;0"]
EXPECTED = {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 1010, (TYNAARLO, *NIDOS): 0}


@pytest.mark.parametrize("name, data", [
    ("Excel's sep= line", "\n".join(["sep=;", *LINES]).encode("utf-8")),
    ("the same after a BOM", "\n".join(["\ufeffsep=;", *LINES]).encode("utf-8")),
    ("Unicode text: UTF-16 LE with BOM, tabs, CRLF", "\ufeff".encode("utf-16-le")
     + "\r\n".join(x.replace(";", "\t") for x in LINES).encode("utf-16-le")),
    ("UTF-16 BE with BOM", b"\xfe\xff" + "\n".join(x.replace(";", "\t") for x in LINES).encode("utf-16-be")),
    ("UTF-16 LE without BOM", "\r\n".join(x.replace(";", "\t") for x in LINES).encode("utf-16-le")),
    ("UTF-16 BE without BOM", "\r\n".join(x.replace(";", "\t") for x in LINES).encode("utf-16-be")),
    ("a trailing ; on every line", "\n".join(x + ";" for x in LINES).encode()),
    ("no newline after the last line", "\n".join(LINES).encode()),
    ("old Mac line ends", "\r".join(LINES).encode()),
    ("a DOS end-of-file mark", ("\r\n".join(LINES) + "\r\n\x1a").encode()),
    ("='text' fields of a portal", 'Gemeentecode;Plekken\n="0106";="5"\n="GM0114";"1.010"\n=" 1730";0\n'.encode()),
    ("a space before each quoted field", b'Gemeente, Plekken\n"Assen", "5"\n "Emmen" , "1.010"\n"Tynaarlo", "0"\n'),
    ("SPSS: quoted numbers with a decimal point", b'"Gemeente","Plekken"\n"Assen","5.0"\n"Emmen","1010.00"\n"Tynaarlo",".0"\n'
     .replace(b'".0"', b'"0.0"')),
    ("a .csv that is a workbook", workbook({"Blad1": [x.split(";") for x in LINES]})),
])
def test_text_exports_as_tools_write_them(name, data):
    result = read("nidos", data, "nidos.csv")
    assert not result.meldingen, name
    assert figures(result) == EXPECTED, name


@pytest.mark.parametrize("lines, value, reading", [
    (('"Gemeente","Plekken"', '"Assen","1010.000"', '"Emmen","12.000"', '"Tynaarlo","0.000"'), "12.000", "12 en niet 12.000"),
    (('"Gemeente","Plekken"', '"Assen","5.000"', '"Emmen","12.000"'), "5.000", "5 en niet 5.000"),
])
def test_an_spss_export_with_three_decimals_is_refused(lines, value, reading):
    """SPSS writes every number with its decimals and a point: ``12.000`` there is 12, which the number rule
    reads as 12000 (was wrong: Emmen had 12000 places, exit 0). The column says which it is when a point is a
    decimal point elsewhere (``1010.000``), or when every number ends in ``.000``."""
    result = read("nidos", "\n".join(lines).encode())
    [fout] = errors(result)
    assert where(fout) == ("fout", "decimaalpunt_dubbelzinnig", "nidos.csv", None, 1, "Plekken", value)
    assert reading in fout.melding and "zonder decimalen" in fout.melding


def test_targets_in_round_thousands_stay_thousands():
    """A quota decision per safety region in round thousands (``Fryslân;4.000``) is ordinary Dutch: only a column
    of realised counts that all end in ``.000`` is refused."""
    from opvangkern.reading.quota import read_quota
    from opvangkern.sources.adapter import Source

    data = b"Veiligheidsregio;Opgave\nFrysl\xc3\xa2n;4.000\nGroningen;3.000\nDrenthe;2.000\n"
    result = read_quota(Source(io.BytesIO(data), "opgaven/oekraine.csv"), "oekraine", dt.date(2026, 1, 1),
                        "veiligheidsregio")
    assert not result.meldingen
    assert sorted(p["aantal"] for p in result.opgaven.to_pylist()) == [2000, 3000, 4000]


def test_dutch_thousands_beside_plain_numbers_stay_thousands():
    result = read("nidos", b"Gemeente;Plekken\nAssen;1.010\nEmmen;12\nTynaarlo;5.000\n")
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *NIDOS): 1010, (EMMEN, *NIDOS): 12, (TYNAARLO, *NIDOS): 5000}


@adapter_settings()
@given(st.lists(st.integers(0, 20_000), min_size=2, max_size=8, unique=True), st.integers(0, 3))
def test_fuzz_counts_with_a_decimal_point_are_right_or_refused(counts, decimals):
    """Whole counts written with a point and ``decimals`` decimals, as statistics tools export them: every
    figure exactly right, or the column refused; with one or two decimals always right."""
    names = ["Assen", "Emmen", "Tynaarlo", "Aa en Hunze", "Borger-Odoorn", "Coevorden", "De Wolden", "Hoogeveen"]
    lines = ["Gemeente,Plekken", *(f'"{name}","{value:.{decimals}f}"' for name, value in zip(names, counts))]
    result = read("nidos", "\n".join(lines).encode())
    found = errors(result)
    assert all(m.code == "decimaalpunt_dubbelzinnig" for m in found)
    if not found:
        assert [r["aantal"] for r in result.realisaties.to_pylist()] == counts
    assert found or decimals != 3 or all(v >= 1000 for v in counts)
    assert not found or decimals == 3


def test_an_apostrophe_before_a_number_is_no_part_of_it():
    """A spreadsheet's text marker (``'1010``), which portals also write before a value that starts with ``-``
    (a guard against formulas in CSV files): before, ``geen getal``, and TVS lost its backlog of ``'-2``."""
    result = read("nidos", b"Gemeente;Plekken\nAssen;'1010\nEmmen;'7\n")
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 1010, (EMMEN, *NIDOS): 7}
    tvs = ("Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gerealiseerd;"
           "Nog te realiseren\nAssen;2025-II;10;'-2;8;12;'-4\nEmmen;2025-II;10;3;13;5;8\n").encode()
    result = read("tvs", tvs)
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *TVS): 12, (EMMEN, *TVS): 5}
    line = {(p["gebied_code"], p["ingangsdatum"]): p["aantal"] for p in result.opgaven.to_pylist()}
    assert line[(ASSEN, dt.date(2025, 7, 1))] == -2 and line[(ASSEN, dt.date(2026, 1, 1))] == 10 - 2
    assert line[(EMMEN, dt.date(2025, 7, 1))] == 3 and line[(EMMEN, dt.date(2026, 1, 1))] == 10 + 3


@pytest.mark.parametrize("written, hint", [
    ("29-12-25", "een jaar van twee cijfers wordt niet geraden"),     # Excel's d-m-jj, exported as shown
    ("12/29/2025", "maand 29 bestaat niet (een Amerikaanse datum"),
    ("31-11-2025", "dag 31 bestaat niet in maand 11 van 2025"),
])
def test_a_peildatum_as_a_tool_exports_it_says_what_is_wrong(written, hint):
    result = read("nidos", f"Peildatum,Gemeente,Plekken\n{written},Assen,5\n".encode(), peildatum=None)
    [fout] = errors(result)
    assert where(fout) == ("fout", "peildatum_onleesbaar", "nidos.csv", None, 2, "Peildatum", written)
    assert hint in fout.melding


def test_concatenated_exports_with_a_bom_before_the_second_header():
    """Two monthly files joined with ``cat``: the second BOM and header are a repeated header (a page break)."""
    data = "\ufeffGemeente;Plekken\nAssen;5\n\ufeffGemeente;Plekken\nEmmen;7\n".encode()
    assert figures(read("nidos", data)) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


def test_a_power_bi_export_with_its_filter_lines_below():
    data = ("Kleinschalige opvang Nidos\r\nGemeente,Plekken\r\nAssen,5\r\nEmmen,7\r\n\r\nToegepaste filters:\r\n"
            "Peildatum is 31-12-2025\r\n").encode("utf-8-sig")
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
    assert not errors(result)


def test_a_line_break_in_a_quoted_location_name_is_one_row():
    data = b'Gemeente;Locatie;Opvangvorm;Capaciteit\r\nAssen;"azc Assen\r\n(Pelikaanweg)";regulier;400\r\nEmmen;NOL;NOL;100\r\n'
    result = read("coa", data)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "noodopvang"): 100}
    # the row numbers a spreadsheet shows: the line break is inside a cell
    assert sorted(r["rij"] for r in result.realisaties.to_pylist()) == [2, 3]


@pytest.mark.parametrize("shown", ["#DEEL/0!", "#N/B", "#WAARDE!", "#VERW!", "#NAAM?", "#DIV/0!", "#N/A", "Err:502"])
def test_an_error_value_exported_as_text_says_so(shown):
    result = read("nidos", f"Gemeente;Plekken\nAssen;{shown}\nEmmen;7\n".encode("cp1252"))
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = errors(result)
    assert where(fout) == ("fout", "geen_getal", "nidos.csv", None, 2, "Plekken", shown)
    assert "foutwaarde" in fout.melding and "export opnieuw" in fout.melding


_HTML = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
         '<head><meta charset="utf-8"></head><body><table><tr><td>Gemeente</td><td>Plekken</td></tr>'
         '<tr><td>Assen</td><td>5</td></tr></table></body></html>')
_XML_2003 = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:'
             'office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Blad1">'
             '<Table><Row><Cell><Data ss:Type="String">Gemeente</Data></Cell></Row></Table></Worksheet></Workbook>\n')
_FODS = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
         'office:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"></office:document>')


@pytest.mark.parametrize("bestand, text, code", [
    ("nidos.xls", _HTML, "html_bestand"),
    ("nidos.csv", "\ufeff<!DOCTYPE html>\n<html>\n<body>\n<table>\n<tr><td>Gemeente</td></tr></table></body></html>",
     "html_bestand"),
    ("nidos.csv", "<table border=1><tr><th>Gemeente</th><th>Plekken</th></tr></table>", "html_bestand"),
    ("nidos.xls", _XML_2003, "xml_werkboek"),
    ("nidos.fods", _FODS, "xml_werkboek"),
])
def test_a_web_page_or_xml_saved_as_a_table_is_refused_with_the_fix(bestand, text, code):
    """A portal's "Excel" download that is HTML, or Excel's XML Spreadsheet 2003: before, a missing-header fout
    that asked for a ``kolommen`` line; now what the file is and how to save it as a table."""
    result = read("nidos", text.encode("utf-8"), bestand)
    assert figures(result) == {}
    [fout] = errors(result)
    assert (fout.code, fout.bestand, fout.rij) == (code, bestand, None)
    assert "sla het op als Excel-werkmap (.xlsx) of CSV" in fout.melding


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


_ENCRYPTED = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50
              + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000)


@pytest.mark.parametrize("bestand, data, code, fix", [
    ("nidos.zip", _zip({"nidos-2025-12-29.csv": b"Gemeente;Plekken\nAssen;5\n", "toelichting.pdf": b"%PDF-1.4"}),
     "zip_archief", "pak het uit"),
    ("nidos.numbers", _zip({"Index/Document.iwa": b"\x00\x01", "Metadata/Properties.plist": b"x"}),
     "ander_bestandstype", "exporteer het in Numbers als Excel"),
    ("nidos.xlsx", _ENCRYPTED, "versleuteld_werkboek", "haal het wachtwoord weg"),
    ("nidos.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 3000, "werkboek_onleesbaar",
     "sla het opnieuw op als Excel-werkmap (.xlsx) of CSV"),
    ("nidos.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nGemeente Plekken\nAssen 5\n",
     "ander_bestandstype", "vraag de bron om een CSV- of Excelbestand"),
    ("nidos.json", b'\xef\xbb\xbf[\n  {"Gemeente": "Assen", "Plekken": 5}\n]', "ander_bestandstype", "CSV- of Excelbestand"),
    ("nidos.csv.gz", __import__("gzip").compress(b"Gemeente;Plekken\nAssen;5\n"), "ander_bestandstype", "pak het uit"),
])
def test_a_file_of_another_kind_says_what_it_is_and_how_to_fix_it(bestand, data, code, fix):
    """Before: a zip of CSV files, a Numbers document or a password-protected workbook was "onleesbaar of
    beschadigd", a PDF or JSON file lacked its header columns and a gzip file was "geen tekstbestand"."""
    result = read("nidos", data, bestand)
    assert figures(result) == {}
    [fout] = result.meldingen
    assert (fout.ernst.value, fout.code, fout.bestand, fout.rij) == ("fout", code, bestand, None)
    assert fix in fout.melding


def test_a_workbook_with_a_damaged_part_stays_a_damaged_workbook():
    result = read("nidos", _zip({"xl/workbook.xml": b"<nonsense"}), "nidos.xlsx")
    assert [m.code for m in result.meldingen] == ["werkboek_onleesbaar"]


def test_a_text_that_only_looks_like_markup_or_json_is_still_csv():
    for data in (b"<5 plekken: zie toelichting\nGemeente;Plekken\nAssen;5\n",
                 b"{Nidos} kleinschalige opvang\nGemeente;Plekken\nAssen;5\n",
                 b"[concept] Nidos\nGemeente;Plekken\nAssen;5\n"):
        assert figures(read("nidos", data)) == {(ASSEN, *NIDOS): 5}


_FIELD = st.text(st.characters(codec="latin-1", exclude_categories=("Cc",), exclude_characters='";,|'),
                 max_size=8).map(str.strip)


@given(st.lists(st.lists(_FIELD, min_size=2, max_size=4), min_size=1, max_size=6), st.sampled_from([";", ",", "\t"]))
def test_property_portal_quoting_gives_the_plain_cells(rows, sep):
    """``="…"`` fields and a space before (or after) a quoted field are that field's text; the grid is the one
    of the plain file, cell for cell and row for row."""
    width = max(map(len, rows))
    rows = [r + [""] * (width - len(r)) for r in rows]
    rows = [r for r in rows if any(r)] or [["a", "b"]]
    plain = "\n".join(sep.join(r) for r in rows) + "\n"
    portal = "\n".join(sep.join(f'="{c}"' if i % 2 else f'{" " if i else ""}"{c}" ' for i, c in enumerate(r))
                       for r in rows) + "\n"
    [expected, *_], _ = read_grids(plain.encode("utf-8"), "x.csv")
    grids, meldingen = read_grids(portal.encode("utf-8"), "x.csv")
    assert not meldingen
    found = next(g for g in grids if g.delimiter == expected.delimiter)
    assert found.rows == expected.rows


@given(st.text(st.characters(codec="latin-1", exclude_characters="\x00\ufeff"), min_size=2, max_size=300)
       .filter(lambda s: "\x1a" not in s and s.strip()))
def test_property_utf16_without_a_bom_decodes_as_written(text):
    """A text of Latin-1 letters (every Dutch name and number) saved as UTF-16 without its BOM reads as written,
    in either byte order."""
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_text(text.encode(encoding))[:2] == (text, encoding)


def test_binary_with_nul_bytes_stays_refused():
    for raw in (b"\x00\x01\x02\x03" * 50, "Súdwest–Fryslân\t1".encode("utf-16-le"), b"SPSS$FL2\x00\x00\x02"):
        assert decode_text(raw)[0] is None


# --- 4. the sample's own deliveries in the forms tools write them, through the command line ----------------

SOURCES = ["bronnen/coa-2025-12-31.csv", "bronnen/kcio-2025-12-31.csv", "bronnen/tvs-2025-12-31.csv",
           "bronnen/nidos-2025-12-29.csv"]


def _cells(raw: bytes) -> list[list[str]]:
    """The rows of a CSV file as its reader splits them, every row at least one cell wide."""
    [grid, *_], meldingen = read_grids(raw, "x.csv")
    assert not meldingen
    return [list(cells) or [""] for _, cells in grid.rows]


def unicode_text(raw: bytes) -> bytes:
    """Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF."""
    return "\ufeff".encode("utf-16-le") + "".join("\t".join(r) + "\r\n" for r in _cells(raw)).encode("utf-16-le")


def portal_csv(raw: bytes) -> bytes:
    """A web portal's CSV: Excel's ``sep=;`` line, codes and names as ``="…"``, a space before each quoted number."""
    def field(c: str) -> str:
        return f' "{c}"' if re.fullmatch(r"-?[\d.]+", c) else f'="{c}"' if c else ""
    return ("sep=;\r\n" + "".join(";".join(map(field, r)) + "\r\n" for r in _cells(raw))).encode("cp1252")


def utf16_without_bom(raw: bytes) -> bytes:
    """A database export: UTF-16 big-endian without its BOM, tab-separated."""
    return "".join("\t".join(r) + "\n" for r in _cells(raw)).encode("utf-16-be")


def statistics_export(raw: bytes) -> bytes:
    """SPSS's CSV: every field quoted, a comma between them, every count with two decimals and a point
    (``1.010`` becomes ``"1010.00"``); codes, dates and periods as they are."""
    from opvangkern.reading.values import parse_number

    cells = _cells(raw)
    header = next((i for i, r in enumerate(cells) if len([c for c in r if c]) > 1), 0)
    codes = {c for c, name in enumerate(cells[header]) if "code" in name.lower()}

    def field(c: int, value: str) -> str:
        if c not in codes and re.fullmatch(r"-?\d{1,3}(\.\d{3})*|-?\d+", value):
            value = f"{parse_number(value):.2f}"
        return '"' + value.replace('"', '""') + '"'
    return "".join(",".join(field(c, v) for c, v in enumerate(r)) + "\r\n" for r in cells).encode("utf-8")


def libreoffice_ods(raw: bytes) -> bytes:
    """An ODS as LibreOffice saves it: numbers as floats, each of the first two columns merged over the rows
    that repeat its value (a region over its municipalities, a municipality and its code over its locations),
    a comment on the first number, double spaces as ``text:s``."""
    cells = _cells(raw)
    out_rows = []
    spans: dict[tuple[int, int], int] = {}
    def at(r: int, c: int) -> str:
        return cells[r][c] if c < len(cells[r]) else ""

    for r in range(len(cells)):
        for c in (0, 1):  # the region, the municipality, its code, the peildatum, the period: as they repeat
            value = at(r, c)
            if value and (r == 0 or at(r - 1, c) != value):
                length = 1
                while r + length < len(cells) and at(r + length, c) == value:
                    length += 1
                spans[(r, c)] = length
    covered = {(r + k, c) for (r, c), length in spans.items() for k in range(1, length)}
    noted = False
    for r, cs in enumerate(cells):
        parts = []
        for c, value in enumerate(cs):
            typed = _cell(value)
            span = f' table:number-rows-spanned="{spans[(r, c)]}"' if spans.get((r, c), 1) > 1 else ""
            if (r, c) in covered:
                parts.append(COVERED)
            elif isinstance(typed, (int, float)) and not isinstance(typed, bool) and c > 0:
                note = "" if noted else NOTE
                noted = True
                parts.append(f'<table:table-cell{span} office:value-type="float" office:value="{typed}">{note}'
                             f"<text:p>{value}</text:p></table:table-cell>")
            elif value:
                parts.append(t(value.replace("&", "&amp;").replace("<", "&lt;").replace("  ", " <text:s/>"), span))
            else:
                parts.append("<table:table-cell/>")
        out_rows.append(row(*parts))
    return ods(table("Blad1", *out_rows))


def excel_table(raw: bytes) -> bytes:
    """An xlsxwriter workbook as a script makes it: the cells as a spreadsheet holds them, the municipality
    merged over its consecutive rows, and a chart sheet and a very hidden sheet of old figures in front."""
    cells = _cells(raw)

    def build(wb):
        wb.add_chartsheet("Grafiek")
        old = wb.add_worksheet("Vorige maand")
        for r, cs in enumerate(cells):
            old.write_row(r, 0, [f"{c}0" if re.fullmatch(r"\d+", c) else c for c in cs])
        old.very_hidden()
        ws = wb.add_worksheet("Gegevens")
        ws.activate()
        r = 0
        while r < len(cells):
            for c, value in enumerate(cells[r]):
                typed = _cell(value)
                if isinstance(typed, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(typed, dt.time()), wb.add_format({"num_format": "d-m-yyyy"}))
                elif typed is not None:
                    ws.write(r, c, typed)
            length = 1
            while (r + length < len(cells) and cells[r][0] and cells[r + length][0] == cells[r][0]
                   and len(cells[r]) > 1):
                length += 1
            if length > 1:
                ws.merge_range(r, 0, r + length - 1, 0, cells[r][0])
                for k in range(1, length):
                    for c, value in enumerate(cells[r + k][1:], 1):
                        typed = _cell(value)
                        if typed is not None:
                            ws.write(r + k, c, typed)
            r += length

    return xlsxw(build)


@pytest.mark.parametrize("form, suffix", [(unicode_text, ".txt"), (utf16_without_bom, "-utf16.txt"),
                                          (portal_csv, "-portaal.csv"), (statistics_export, "-spss.csv"),
                                          (libreoffice_ods, ".ods"), (excel_table, ".xlsx")])
def test_the_sample_written_by_other_tools_gives_the_same_dashboard(sample_copy, tmp_path, form, suffix):
    """The four latest deliveries of the bundled sample rewritten as other tools write them: ``check`` passes
    and every figure of the dashboard is the one of the original files."""
    before = load_dataset(sample_copy)
    manifest = (sample_copy / MANIFEST_NAME).read_text(encoding="utf-8")
    for name in SOURCES:
        path = sample_copy / name
        twin = name[:-4] + suffix
        (sample_copy / twin).write_bytes(form(path.read_bytes()))
        path.unlink()
        manifest = manifest.replace(f'"{name}"', f'"{twin}"')
    (sample_copy / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(sample_copy)])
    assert result.exit_code == 0, result.output
    after = load_dataset(sample_copy)
    for table_name in ("kaarten", "gemeenten"):
        assert getattr(after.dashboard(), table_name).to_pylist() == getattr(before.dashboard(), table_name).to_pylist()
    key = ("gemeentecode", "opgave", "categorie", "peildatum", "aantal")
    assert sorted(tuple(r[k] for k in key) for r in after.realisaties.to_pylist()) == \
        sorted(tuple(r[k] for k in key) for r in before.realisaties.to_pylist())
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["dashboard", str(sample_copy), "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("bestand, data, code", [
    ("bronnen/nidos-2025-12-29.xlsx", None, "formule_zonder_waarde"),
    ("bronnen/nidos-2025-12-29.xls", _HTML.encode(), "html_bestand"),
    ("bronnen/nidos-2025-12-29.ods", ods(table("N", row(t("Peildatum"), t("29-12-2025")), row(t("Gemeente"), t("Plekken")),
                                                row(t("Assen"), error("#DIV/0!")))), "foutcel"),
    ("bronnen/nidos-2025-12-29.csv", b'"Peildatum","Gemeente","Plekken"\n"29-12-2025","Assen","33.000"\n'
                                     b'"29-12-2025","Emmen","8.000"\n', "decimaalpunt_dubbelzinnig"),
    ("bronnen/nidos-2025-12-29.zip", _zip({"nidos-2025-12-29.csv": b"Gemeente;Plekken\nAssen;33\n"}), "zip_archief"),
    ("bronnen/nidos-2025-12-29.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "ander_bestandstype"),
    ("bronnen/nidos-2025-12-29.xlsx", _ENCRYPTED, "versleuteld_werkboek"),
])
def test_a_file_that_would_give_a_wrong_figure_stops_check_and_dashboard(sample_copy, tmp_path, bestand, data, code):
    if data is None:
        def build(wb):
            ws = wb.add_worksheet("Nidos")
            ws.write_row("A1", ["Peildatum", "29-12-2025"])
            ws.write_row("A2", ["Gemeente", "Plekken"])
            ws.write("A3", "Assen")
            ws.write_formula("B3", "=30+3")
        data = xlsxw(build)
    (sample_copy / "bronnen/nidos-2025-12-29.csv").unlink()
    (sample_copy / bestand).write_bytes(data)
    manifest = sample_copy / MANIFEST_NAME
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"bronnen/nidos-2025-12-29.csv"', f'"{bestand}"'),
                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(sample_copy)])
    assert result.exit_code == 1, result.output
    assert bestand in result.output
    assert code in {m.code for m in load_dataset(sample_copy).melding_list}
    out = tmp_path / "uit"
    assert CliRunner().invoke(cli, ["dashboard", str(sample_copy), "--output", str(out)]).exit_code == 1
    assert not out.exists()


def test_the_sample_is_unchanged(sample_copy):
    assert sorted(p.relative_to(opvangkern.sample_path()).as_posix() for p in opvangkern.sample_path().rglob("*.csv")) \
        == sorted(p.relative_to(sample_copy).as_posix() for p in sample_copy.rglob("*.csv"))
    shutil.rmtree(sample_copy)
