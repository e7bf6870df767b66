"""Hardening (tenth session): files as the tools that export them write them, the cases left from the ninth.

``test_probes_formats.py`` varied the file format; here the habits of the program and its locale: Excel in
manual calculation, Excel for Mac's "CSV (Macintosh)" (Mac Roman), an English-locale export's month-first dates,
Power BI's list of the filters applied under its table, and what Excel, LibreOffice, Google Sheets, Power BI and
SPSS write into a cell (error texts, non-breaking spaces, the minus sign, totals rows in their own words). Each
file goes through ``read`` of ``tests/test_probes.py``: the adapter's fast path, the careful path
(``fastscan.careful()``) and the plugin's reference adapter, the same result each way.

Wrong before this session (a figure with exit 0, or a refusal that did not say how to fix it):
- a workbook in manual calculation saved without calculating counted results that may be stale, silently;
  a sheet that asked to be recalculated on opening (``<sheetCalcPr fullCalcOnLoad="1"/>``) counted its
  formulas' stored 0 as places;
- a Mac Roman CSV gave ``Sœdwest-Frysl‰n``: an unknown municipality;
- ``1/12/2026`` in a file that writes ``12/31/2025`` elsewhere was 1 December 2026 (the peildatum), exit 0;
- Power BI's ``Toegepaste filters:`` lines gave ``rij_overgeslagen`` warnings, and ``Provincie is Drenthe``
  (an export of one province only) was taken for a subtotal row, without a word.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.dataset.manifest import MANIFEST_NAME
from opvangkern.reading.sheet import decode_text
from opvangkern.testing import load_module

from .test_probes_formats import _rezip as rezip
from .test_probes_formats import codes, xlsxw

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_exports")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO, NIDOS = _PROBES.KCIO, _PROBES.NIDOS
errors, figures, read, where = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where
SUDWEST, NOARDEAST, GRONINGEN = "GM1900", "GM1970", "GM0014"


# --- 1. Excel in manual calculation -------------------------------------------------------------------------

def _nidos_with_formulas(wb):
    ws = wb.add_worksheet("Nidos")
    ws.write_row("A1", ["Gemeente", "Plekken", "Toelichting"])
    ws.write_row("A2", ["Assen", 5])
    ws.write("A3", "Emmen")
    ws.write_formula("B3", "=B2+2", None, 7)     # as Excel saves it: the formula and its last result
    ws.write("A4", "Tynaarlo")
    ws.write_formula("B4", "=B2*2", None, 10)
    ws.write_formula("C4", '="zie "&A4', None, "zie Tynaarlo")  # a column not read


def _calc(settings: bytes):
    """The workbook as Excel saves it with ``settings`` in ``<calcPr …/>`` (xlsxwriter writes fullCalcOnLoad)."""
    def edit(name, body):
        if name == "xl/workbook.xml":
            body = re.sub(rb"<calcPr [^>]*/>", b"<calcPr calcId=\"191029\" " + settings + b"/>", body)
        return body
    return rezip(xlsxw(_nidos_with_formulas), edit)


def test_a_workbook_saved_in_manual_calculation_without_calculating_is_a_fout_per_formula():
    """``calcOnSave="0"`` ("Herberekenen voor opslaan" switched off): 7 and 10 may be the results of before the
    last change; Assen's typed 5 counts (was: 7 and 10 counted, exit 0)."""
    result = read("nidos", _calc(b'calcMode="manual" calcOnSave="0"'))
    assert figures(result) == {(ASSEN, *NIDOS): 5}
    assert [where(m)[:6] for m in result.meldingen] == [
        ("fout", "formule_niet_herberekend", "nidos.xlsx", "Nidos", 3, "Plekken"),
        ("fout", "formule_niet_herberekend", "nidos.xlsx", "Nidos", 4, "Plekken")]
    first = result.meldingen[0]
    assert "=B2+2" in first.waarde and "'7'" in first.waarde and "F9" in first.melding


def test_a_workbook_in_manual_calculation_calculated_on_saving_counts_with_a_warning_per_column():
    """Excel's default in manual calculation: calculated before saving. The results count (5 + 7 + 10), with one
    ``waarschuwing`` naming the sheet, the column and the formulas' rows; the formula in a column not read is
    not mentioned."""
    result = read("nidos", _calc(b'calcMode="manual"'))
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7, (TYNAARLO, *NIDOS): 2 * 5}
    [warning] = result.meldingen
    assert where(warning) == ("waarschuwing", "handmatig_berekend", "nidos.xlsx", "Nidos", 3, "Plekken",
                              "2 formule(s)")
    assert "'Nidos'" in warning.melding and "rij 3, 4" in warning.melding


def test_automatic_calculation_says_nothing():
    result = read("nidos", _calc(b'calcMode="auto"'))
    assert not result.meldingen and figures(result)[(TYNAARLO, *NIDOS)] == 10


def test_a_name_from_a_formula_in_a_workbook_saved_uncalculated_is_no_area():
    """A stale text result in the area column could put a figure on another municipality."""
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write_formula("A2", '=PROPER("emmen")', None, "Emmen")
        ws.write("B2", 5)
        ws.write_row("A3", ["Tynaarlo", 3])

    def edit(name, body):
        return re.sub(rb"<calcPr [^>]*/>", b'<calcPr calcId="191029" calcMode="manual" calcOnSave="0"/>', body) \
            if name == "xl/workbook.xml" else body
    result = read("nidos", rezip(xlsxw(build), edit))
    assert figures(result) == {(TYNAARLO, *NIDOS): 3}
    assert codes(result)[0] == ("fout", "formule_niet_herberekend", 2, "Gemeente")


def test_a_sheet_that_asks_to_be_recalculated_on_opening_has_no_results_in_its_zeros():
    """``<sheetCalcPr fullCalcOnLoad="1"/>`` (after the cells, as the schema orders it) in a workbook without
    the workbook-wide flag: the sheet's formulas that stored 0 are placeholders, like ``formule_zonder_waarde``
    for the workbook; a formula with another stored number is its result (was: Emmen 0, exit 0)."""
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write_row("A2", ["Assen", 5])
        ws.write("A3", "Emmen")
        ws.write_formula("B3", "=B2*2", None, 0)
        ws.write("A4", "Tynaarlo")
        ws.write_formula("B4", "=B2+3", None, 8)

    def edit(name, body):
        if name == "xl/workbook.xml":
            body = re.sub(rb"<calcPr [^>]*/>", b'<calcPr calcId="191029"/>', body)
        if name == "xl/worksheets/sheet1.xml":
            body = body.replace(b"</sheetData>", b'</sheetData><sheetCalcPr fullCalcOnLoad="1"/>')
        return body
    data = rezip(xlsxw(build), edit)
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 5, (TYNAARLO, *NIDOS): 5 + 3}
    [fout] = result.meldingen
    assert where(fout)[:6] == ("fout", "formule_zonder_waarde", "nidos.xlsx", "Nidos", 3, "Plekken")
    # without the sheet's flag the stored 0 is Excel's result: it counts
    plain = rezip(data, lambda name, body: body.replace(b'<sheetCalcPr fullCalcOnLoad="1"/>', b""))
    assert figures(read("nidos", plain))[(EMMEN, *NIDOS)] == 0


# --- 2. Excel for Mac's "CSV (Macintosh)" -------------------------------------------------------------------

def test_a_mac_roman_csv_reads_its_frisian_names():
    """Mac Roman writes ``ú`` and ``â`` as the bytes cp1252 reads as ``œ`` and ``‰``: before, two unknown
    municipalities (``Sœdwest-Frysl‰n``)."""
    text = ("Kleinschalige opvang Nidos, geëxporteerd uit de registratie\r"
            "Gemeente;Plekken;Opmerking\r"
            "Súdwest-Fryslân;12;coördinatie via Sneek\r"
            "Noardeast-Fryslân;7;crèche en ook één bêtaversie\r"
            "Groningen;3;één locatie\r")
    result = read("nidos", text.encode("mac_roman"))
    assert not result.meldingen
    assert figures(result) == {(SUDWEST, *NIDOS): 12, (NOARDEAST, *NIDOS): 7, (GRONINGEN, *NIDOS): 3}


_DUTCH = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ-';0123456789\n")),
                 max_size=30)
_ACCENTS = st.sampled_from(list("áàâäéèêëíìîïóòôöúùûüçñ"))


_LETTER = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@given(st.lists(st.tuples(_DUTCH, _ACCENTS), max_size=8), _LETTER, _ACCENTS, _LETTER, _DUTCH)
def test_property_dutch_text_decodes_as_written_in_mac_roman_and_cp1252(pieces, before, accent, after, tail):
    """Any text of Latin letters, digits and separators with Dutch accented small letters, one at least inside a
    word (``Fryslân``), reads as written, saved by Excel on Windows (cp1252) or on a Mac (Mac Roman)."""
    text = "".join(a + b for a, b in pieces) + before + accent + after + tail
    for encoding in ("cp1252", "mac_roman"):
        assert decode_text(text.encode(encoding))[:2] == (text, encoding)


def test_a_cp1252_text_with_only_capitals_and_signs_stays_cp1252():
    for text in ("Gemeente;Bedrag\nAssen;€ 5\n", "ÉÉN;TWEE\n", "Opmerking: “zie bijlage” – 5‰\n",
                 "’s-Hertogenbosch;5\nBron: ‘Monitor’ • stand — december\n"):
        assert decode_text(text.encode("cp1252"))[:2] == (text, "cp1252")


# --- 3. month-first dates of an English-locale export -------------------------------------------------------

@pytest.mark.parametrize("lines, rij, kolom, shown", [
    # the peildatum column, the evidence a time stamp under the table
    (["Peildatum,Gemeente,Plekken", "1/12/2026,Assen,5", "1/12/2026,Emmen,7", "", "Exported 1/13/2026 9:15 AM"],
     2, "Peildatum", "1/12/2026"),
    # a title, the evidence another title line
    (["Nidos placements", "Peildatum: 1/12/2026", "Report created 1/14/2026", "Gemeente,Plekken", "Assen,5",
      "Emmen,7"], 2, None, "Peildatum: 1/12/2026"),
    # the evidence an English date with the month in front
    (["Peildatum: 2/1/2026", '"Last refresh: February 3, 2026"', "Gemeente,Plekken", "Assen,5", "Emmen,7"],
     1, None, "Peildatum: 2/1/2026"),
])
def test_an_ambiguous_date_in_a_month_first_file_is_no_peildatum(lines, rij, kolom, shown):
    """Read day-first ``1/12/2026`` was 1 December 2026 with exit 0; in a file that shows month-first dates it
    is no peildatum, and the warning names both readings, the evidence and the line that settles it."""
    result = read("nidos", "\r\n".join(lines).encode(), peildatum=None)
    assert result.peildatum is None
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
    [warning] = result.meldingen
    assert where(warning) == ("waarschuwing", "datum_maand_dag_dubbelzinnig", "nidos.csv", None, rij, kolom, shown)
    month, day = map(int, re.search(r"(\d+)/(\d+)/", shown).groups())
    assert f"peildatum = {dt.date(2026, month, day).isoformat()}" in warning.melding
    assert f"{dt.date(2026, day, month):%d-%m-%Y} (dag-maand)" in warning.melding


@pytest.mark.parametrize("lines, peildatum", [
    (["Peildatum,Gemeente,Plekken", "1/12/2026,Assen,5"], dt.date(2026, 12, 1)),       # no evidence: Dutch d/m
    (["Peildatum,Gemeente,Plekken", "1/12/2026,Assen,5", "", "Bijgewerkt 31/12/2025"], dt.date(2026, 12, 1)),
    (["Peildatum,Gemeente,Plekken", "12/12/2025,Assen,5", "", "Exported 12/15/2025"], dt.date(2025, 12, 12)),
    (["Peildatum,Gemeente,Plekken", "1-12-2026,Assen,5", "", "Exported 1/13/2026"], dt.date(2026, 12, 1)),
])
def test_a_date_that_is_not_ambiguous_or_has_no_evidence_reads_as_before(lines, peildatum):
    """Without month-first evidence, with day-first evidence, day equal to month, or dashes (no US export writes
    ``1-12-2026``): the date reads day-first as before, without a melding."""
    result = read("nidos", "\n".join(lines).encode(), peildatum=None)
    assert result.peildatum == peildatum and not result.meldingen


@pytest.mark.parametrize("stated, exit_code", [(None, 1), ("2026-01-12", 0)])
def test_the_peildatum_line_of_the_warning_settles_it(sample_copy, stated, exit_code):
    """Without a ``peildatum`` line the dataset has none for the file (``peildatum_ontbreekt``, exit 1); with
    the line the warning gives, ``check`` passes and the figures carry that date."""
    name = "bronnen/nidos-2026-01-12.csv"
    (sample_copy / name).write_bytes(b"Peildatum,Gemeente,Plekken\r\n1/12/2026,Assen,33\r\n1/12/2026,Emmen,8\r\n"
                                     b"\r\nExported 1/13/2026 9:15 AM\r\n")
    manifest = sample_copy / MANIFEST_NAME
    entry = f'\n[[bron]]\nbron = "nidos"\nbestand = "{name}"\n' + (f"peildatum = {stated}\n" if stated else "")
    manifest.write_text(manifest.read_text(encoding="utf-8") + entry, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(sample_copy)])
    assert result.exit_code == exit_code, result.output
    found = {m.code for m in load_dataset(sample_copy).melding_list if m.bestand == name}
    assert "datum_maand_dag_dubbelzinnig" in found
    assert ("peildatum_ontbreekt" in found) == (stated is None)
    if stated:
        rows = [r for r in load_dataset(sample_copy).realisaties.to_pylist() if r["bestand"] == name]
        assert {(r["gemeentecode"], r["peildatum"], r["aantal"]) for r in rows} == {
            (ASSEN, dt.date(2026, 1, 12), 33), (EMMEN, dt.date(2026, 1, 12), 8)}


# --- 4. Power BI's applied filters under the table ----------------------------------------------------------

def _power_bi(*filters: str, head: str = "Toegepaste filters:") -> bytes:
    return ("Kleinschalige opvang Nidos\r\nGemeente,Plekken\r\nAssen,5\r\nEmmen,7\r\n\r\n" + head + "\r\n"
            + "".join(f + "\r\n" for f in filters)).encode("utf-8-sig")


@pytest.mark.parametrize("filters, head", [
    (["Peildatum is 31-12-2025"], "Toegepaste filters:"),
    (["Peildatum is 31-12-2025", "Status is niet Gesloten", "Gemeente is niet leeg"], "Toegepaste filters:"),
    (["Date is 12/31/2025", "Status is not Closed"], "Applied filters:"),
])
def test_filters_that_are_notes_say_nothing(filters, head):
    """Before: ``rij_overgeslagen`` for every filter line that was not a sentence of five words."""
    result = read("nidos", _power_bi(*filters, head=head))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


@pytest.mark.parametrize("line, rij", [
    ("Provincie is Drenthe", 7),          # before: a subtotal row, without a word
    ("Gemeente is Assen of Emmen", 7),
    ("Veiligheidsregio is Drenthe", 7),
    ("Municipality is Assen, Emmen", 7),  # a comma in the line: two CSV fields, one filter
])
def test_a_filter_on_the_areas_is_a_fout_that_names_it(line, rij):
    result = read("nidos", _power_bi(line, "Peildatum is 31-12-2025", head="Applied filters:"
                                     if line.startswith("Municipality") else "Toegepaste filters:"))
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
    [fout] = result.meldingen
    assert where(fout) == ("fout", "export_gefilterd_op_gebied", "nidos.csv", None, rij, "Gemeente", line)
    assert "Exporteer opnieuw zonder dit filter" in fout.melding


def test_a_filter_on_a_column_read_is_a_warning():
    """COA's export filtered on the kind of reception: the other kinds are missing from the file."""
    data = ("Gemeente;Locatie;Opvangvorm;Capaciteit\r\nAssen;azc Assen;regulier;400\r\nEmmen;azc Emmen;regulier;300\r\n"
            "\r\nToegepaste filters:\r\nOpvangvorm is regulier\r\n").encode()
    result = read("coa", data)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}
    assert [where(m) for m in result.meldingen] == [
        ("waarschuwing", "export_gefilterd", "coa.csv", None, 6, "Opvangvorm", "Opvangvorm is regulier")]


def test_a_municipality_named_like_a_filter_line_is_still_data():
    """Only what follows the filters' heading is a filter: a row above it is read as always."""
    result = read("kcio", b"Gemeente;Capaciteit\nAssen;5\nEmmen;7\n\nToegepaste filters:\nProvincie is Drenthe\n")
    assert figures(result) == {(ASSEN, *KCIO): 5, (EMMEN, *KCIO): 7}
    assert [m.code for m in result.meldingen] == ["export_gefilterd_op_gebied"]


# --- 5. what the tools write into a cell, and around the table ----------------------------------------------

@pytest.mark.parametrize("written, count", [("1e+05", 100000), ("1.01e+03", 1010), ("2.5e+01", 25), ("7e0", 7),
                                            ("1.2345e+04", 12345)])
def test_scientific_notation_as_r_and_pandas_write_it_is_the_number(written, count):
    """R's ``write.csv`` writes 100000 as ``1e+05`` (before: ``geen getal``, the municipality refused)."""
    result = read("nidos", f'"","Gemeente","Plekken"\n"1","Assen",{written}\n"2","Emmen",7\n'.encode())
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *NIDOS): count, (EMMEN, *NIDOS): 7}


@pytest.mark.parametrize("written", ["1,01E+05", "1.01E+05", "1E+05"])
def test_scientific_notation_as_excel_shows_it_is_refused_with_the_fix(written):
    """Excel writes a number into a CSV as it shows it: ``1,01E+05`` in a column too narrow for 101234 is rounded."""
    result = read("nidos", f"Gemeente;Plekken\nAssen;{written}\nEmmen;7\n".encode())
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = result.meldingen
    assert where(fout) == ("fout", "geen_getal", "nidos.csv", None, 2, "Plekken", written)
    assert "te smalle kolom" in fout.melding and "opmaak Getal" in fout.melding


@example(2**53, 15)
@example(2**53 - 1, 15)
@given(st.integers(0, 2**53), st.integers(0, 15))
def test_property_exact_scientific_notation_reads_exactly(number, digits):
    """Whatever the number of decimals: the count is the notation's exact value when that is whole, else no count."""
    from decimal import Decimal

    from opvangkern.reading.values import ValueProblem, parse_count

    text = f"{number:.{digits}e}"
    exact = Decimal(text)
    if exact == exact.to_integral_value() and exact < 2**53:  # from 2^53 on every number is refused as too large
        assert parse_count(text) == int(exact)
    else:
        with pytest.raises(ValueProblem):
            parse_count(text)


def test_an_en_dash_as_minus_and_a_lone_minus_sign():
    """A backlog typed in a word processor (``–2``) was ``geen getal`` and the target line incomplete; ``−`` alone
    (U+2212) is "none" as ``-`` is."""
    data = ("Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gerealiseerd;"
            "Nog te realiseren\nAssen;2025-II;10;\u20132;8;12;\u20134\nEmmen;2025-II;10;\u2212;10;5;5\n").encode()
    result = read("tvs", data)
    assert not result.meldingen
    line = {(p["gebied_code"], p["ingangsdatum"]): p["aantal"] for p in result.opgaven.to_pylist()}
    assert line[(ASSEN, dt.date(2025, 7, 1))] == -2 and line[(ASSEN, dt.date(2026, 1, 1))] == 10 - 2


def test_excels_subtotals_in_english_say_what_they_are():
    """Excel's Data > Subtotals writes ``Assen Total`` (``Assen Totaal`` in Dutch Excel) under each municipality's
    locations: still refused (only a leading ``Totaal`` says for certain that a row is a total), now with the
    hint the Dutch form had (was: "Bedoelt u: Assen, Wassenaar?", an invitation to count it twice)."""
    data = (b"Gemeente;Locatie;Opvangvorm;Capaciteit\nAssen;azc Assen;regulier;400\nAssen;NOL Assen;noodopvang;100\n"
            b"Assen Total;;;500\nEmmen;azc Emmen;regulier;300\nGrand Total;;;800\n")
    result = read("coa", data)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (EMMEN, "asiel", "regulier"): 300}
    [fout] = result.meldingen
    assert where(fout) == ("fout", "gebied_onbekend", "coa.csv", None, 4, "Gemeente", "Assen Total")
    assert "Is dit het subtotaal van Assen?" in fout.melding and '"Assen Total" = "overslaan"' in fout.melding


@pytest.mark.parametrize("over", ["Toelichting", "Bezetting"])
def test_a_header_merged_over_two_rows_is_one_header(over):
    """``Gemeente`` and ``Capaciteit`` merged over rows 1 and 2 (a report's header of two rows): before, row 2 was
    "the header of a second table" (``tweede_tabel``). Sub-headers under a column not read change nothing; under
    one that is read (``Bezetting`` over ``Aantal`` and ``%``) they say what it holds: a ``fout`` that says how to
    make one header row of the two."""
    def build(wb):
        ws = wb.add_worksheet("KCIO")
        ws.merge_range("A1:A2", "Gemeente")
        ws.merge_range("B1:B2", "Capaciteit")
        ws.merge_range("C1:D1", over)
        ws.write_row("C2", ["Aantal", "%"])
        ws.write_row("A3", ["Assen", 50, 40, 0.8])
        ws.write_row("A4", ["Emmen", 70, 60, 0.86])
    result = read("kcio", xlsxw(build))
    assert figures(result) == {(ASSEN, *KCIO): 50, (EMMEN, *KCIO): 70}
    if over == "Toelichting":
        assert not result.meldingen
    else:
        [fout] = result.meldingen
        assert where(fout) == ("fout", "kop_over_twee_rijen", "kcio.xlsx", "KCIO", 2, "Bezetting", "Aantal")
        assert "'Bezetting Aantal'" in fout.melding


def _kcio(*rows) -> bytes:
    return "\n".join(";".join(map(str, r)) for r in rows).encode()


def test_a_second_table_after_a_blank_row_is_a_fout():
    """The same header again after a blank row with the municipalities again below it (last month's figures
    pasted under this month's): before, Assen 50 + 45 with only a ``dubbele_gemeente`` warning, exit 0."""
    result = read("kcio", _kcio(["Gemeente", "Capaciteit"], ["Assen", 50], ["Emmen", 70], [],
                                ["Gemeente", "Capaciteit"], ["Assen", 45], ["Emmen", 65]))
    assert ("fout", "tweede_tabel", 5, "Gemeente") in codes(result)


def test_a_second_table_under_its_own_title_is_a_fout_even_with_other_municipalities():
    """``Vorige maand`` above the repeated header, Tynaarlo only below it: before, Tynaarlo's 45 of last month
    counted, exit 0."""
    result = read("kcio", _kcio(["Gemeente", "Capaciteit"], ["Assen", 50], ["Emmen", 70], [], ["Vorige maand"],
                                ["Gemeente", "Capaciteit"], ["Tynaarlo", 45]))
    assert ("fout", "tweede_tabel", 6, "Gemeente") in codes(result)


@pytest.mark.parametrize("between", [[[]], [[], ["Pagina 1 van 2"]], [["Pagina 1 van 2"], []]])
def test_a_page_break_after_a_blank_row_or_a_page_footer_is_no_second_table(between):
    """A printed list per location split over two pages: the header again after a blank line (or a page footer)
    with one municipality's locations continued below it is the same table."""
    rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "regulier", 400],
            ["Emmen", "azc Emmen", "regulier", 300], *between, ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
            ["Emmen", "NOL Emmen", "noodopvang", 100], ["Tynaarlo", "TGO Vries", "TGO", 20]]
    result = read("coa", _kcio(*rows))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300,
                               (EMMEN, "asiel", "noodopvang"): 100, (TYNAARLO, "asiel", "tgo"): 20}


# --- a Power BI export filtered to the dataset's own area (eleventh session, fix11b) ------------------------
# The reader refuses every area filter (it does not know the dataset's area); the dataset takes one that keeps
# its own area whole.




def sample_with_filtered_nidos(tmp_path: Path, *filters: str) -> tuple[Path, list[dict[str, str]]]:
    """The sample with its December Nidos delivery as a Power BI export (comma-separated, its filters under
    the table). Returns the folder and the delivery's rows."""
    folder = tmp_path / "drenthe"
    shutil.copytree(opvangkern.sample_path(), folder)
    path = folder / "bronnen" / "nidos-2025-12-29.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    lines = ["Kleinschalige opvang Nidos, stand 29-12-2025", "Gemeentecode,Gemeente,Kleinschalige opvangplekken"]
    lines += [f"{r['Gemeentecode']},{r['Gemeente']},{r['Kleinschalige opvangplekken']}" for r in rows]
    lines += ["", "Toegepaste filters:", *filters]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return folder, rows


@pytest.mark.parametrize("line", ["Provincie is Drenthe", "Provinciecode is PV22", "Veiligheidsregio is Drenthe"])
def test_an_export_filtered_to_the_datasets_own_province_is_no_fout(tmp_path, line):
    # Before: export_gefilterd_op_gebied, a fout (exit 1), for a Drenthe export in a Drenthe dataset.
    folder, rows = sample_with_filtered_nidos(tmp_path, line, "Peildatum is 29-12-2025")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "export_gefilterd_op_gebied" not in {m["code"] for m in load_dataset(folder).meldingen.to_pylist()}
    got = next(r for r in opvangkern.open_dataset(folder).dashboard("PV22").kaarten.to_pylist()
               if r["gebied_code"] == "PV22" and r["opgave"] == "nidos_amv")
    assert got["realisatie"] == sum(int(r["Kleinschalige opvangplekken"]) for r in rows)


@pytest.mark.parametrize("line", ["Gemeente is Assen of Emmen", "Provincie is Groningen", "Locatie is azc Assen",
                                  "Provincie is niet Groningen"])
def test_an_export_filtered_to_less_than_the_datasets_area_stays_a_fout(tmp_path, line):
    folder, _ = sample_with_filtered_nidos(tmp_path, line)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    found = [m for m in load_dataset(folder).meldingen.to_pylist() if m["code"] == "export_gefilterd_op_gebied"]
    assert [(m["ernst"], m["bestand"], m["waarde"]) for m in found] == [("fout", "bronnen/nidos-2025-12-29.csv", line)]


def test_a_dataset_of_one_municipality_takes_its_province_filtered_export(tmp_path):
    folder, rows = sample_with_filtered_nidos(tmp_path, "Provincie is Drenthe")
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('gebied = "PV22"', 'gebied = "Assen"'),
                        encoding="utf-8")
    assert "export_gefilterd_op_gebied" not in {m["code"] for m in load_dataset(folder).meldingen.to_pylist()}
