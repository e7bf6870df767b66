"""Hardening (sixth session): realisation files laid out as the sources really publish them.

Every file here is written the way a ministry, COA, a safety region or Nidos exports it (CSV and XLSX,
openpyxl writing the workbooks) and read through the adapters and the public entry points. Each case
asserts the right figure per municipality, worked out by plain arithmetic here, or the exact melding (code,
file, sheet, row, column, value). Every file is read twice, with the fast paths and inside
``fastscan.careful()``, and by the adapter's reference (the plugins' oracles): the same result each way
(``read`` below), so that every new layout is also a differential case.

The cases that were wrong before this session (each fixed in the module that owns the rule):
- a workbook number formatted as a percentage (``100%`` stored as 1) counted as 1 place;
- a header with a footnote mark (``Plekken¹``) was no column, while ``Plekken*`` was;
- a sheet of totals rows only (a summary before the data sheet) gave no figure and no melding;
- ``Totaal COA`` after per-municipality subtotals was checked against the rows since the last subtotal;
- a missing column, or a header twice, did not say which ``kolommen`` line fixes it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.model import Severity
from opvangkern.reading import fastscan
from opvangkern.reading.columns import FOOTNOTE_MARKS, match_header
from opvangkern.reading.sheet import Grid
from opvangkern.reading.xlsxscan import _is_percent_format
from opvangkern.sources.adapter import Source
from opvangkern.testing import assert_same_result, load_module
from opvangkern.testing.fuzz import adapter_settings, csv_bytes
from opvangkern_coa import LONG, WIDE, CoaAdapter
from opvangkern_kcio import LAYOUT as KCIO_LAYOUT
from opvangkern_kcio import KcioAdapter
from opvangkern_nidos import LAYOUT as NIDOS_LAYOUT
from opvangkern_nidos import NidosAdapter
from opvangkern_tvs import TvsAdapter

ROOT = Path(__file__).resolve().parents[1]
PEIL = dt.date(2025, 12, 31)
ADAPTERS = {"coa": CoaAdapter(), "kcio": KcioAdapter(), "nidos": NidosAdapter(), "tvs": TvsAdapter()}
_REFERENCES = {
    "coa": ("plugins/coa/tests/coa_reference.py", "ReferenceCoaAdapter"),
    "kcio": ("plugins/kcio/tests/kcio_reference.py", "ReferenceKcioAdapter"),
    "nidos": ("plugins/nidos/tests/nidos_reference.py", "ReferenceNidosAdapter"),
    "tvs": ("plugins/tvs/tests/tvs_reference.py", "TvsAdapterReference"),
}
REFERENCES = {bron: getattr(load_module(ROOT / path, f"_{bron}_reference_for_probes"), name)()
              for bron, (path, name) in _REFERENCES.items()}


# --- files and reading --------------------------------------------------------------------------------------

def workbook(sheets: dict[str, list[list]], formats: dict[tuple[str, str], str] | None = None,
             hidden_rows: dict[str, list[int]] | None = None) -> bytes:
    """An XLSX file with ``sheets`` (name → rows); ``formats``: (sheet, cell) → number format."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for (name, cell), number_format in (formats or {}).items():
        wb[name][cell].number_format = number_format
    for name, rows in (hidden_rows or {}).items():
        for r in rows:
            wb[name].row_dimensions[r].hidden = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(bron: str, data: bytes, bestand: str | None = None, **kw):
    """The adapter's result, asserted the same with the fast paths, inside ``fastscan.careful()`` and by the
    adapter's reference (the oracle the plugin tests keep)."""
    bestand = bestand or (f"{bron}.xlsx" if data[:2] == b"PK" else f"{bron}.csv")
    kw.setdefault("peildatum", PEIL)
    adapter = ADAPTERS[bron]
    fast = adapter.read(Source(io.BytesIO(data), bestand, **kw))
    with fastscan.careful():
        careful = adapter.read(Source(io.BytesIO(data), bestand, **kw))
    assert_same_result(fast, careful)
    assert_same_result(fast, REFERENCES[bron].read(Source(io.BytesIO(data), bestand, **kw)))
    return fast


def figures(result) -> dict[tuple, int]:
    """(gemeentecode, opgave, categorie) → the summed count."""
    out: dict[tuple, int] = {}
    for r in result.realisaties.to_pylist():
        key = (r["gemeentecode"], r["opgave"], r["categorie"])
        out[key] = out.get(key, 0) + r["aantal"]
    return out


def where(m) -> tuple:
    return (m.ernst.value, m.code, m.bestand, m.blad, m.rij, m.kolom, m.waarde)


def errors(result) -> list:
    return [m for m in result.meldingen if m.ernst is Severity.FOUT]


ASSEN, EMMEN, TYNAARLO, GRONINGEN = "GM0106", "GM0114", "GM1730", "GM0014"
NIDOS = ("nidos_amv", None)
KCIO = ("oekraine", None)
TVS = ("vergunninghouders", None)


# --- a number formatted as a percentage ---------------------------------------------------------------------

@pytest.mark.parametrize("number_format", ["0%", "0.00%", "0.0%", "#,##0%"])
@pytest.mark.parametrize("bron, header, key", [
    ("nidos", ["Gemeente", "Plekken"], NIDOS),
    ("kcio", ["Gemeente", "Capaciteit"], KCIO),
    ("tvs", ["Gemeente", "Gerealiseerd"], TVS),
])
def test_a_count_formatted_as_a_percentage_is_a_fout_not_a_count(bron, header, key, number_format):
    """100 % is stored as the number 1: read as the bare number it would count 1 place (was wrong: counted)."""
    data = workbook({"Blad1": [["Stand per 31 december 2025"], header, ["Assen", 1], ["Emmen", 40]]},
                    {("Blad1", "B3"): number_format})
    result = read(bron, data)
    assert figures(result) == {(EMMEN, *key): 40}
    [fout] = errors(result)
    assert where(fout) == ("fout", "percentage_als_aantal", f"{bron}.xlsx", "Blad1", 3, header[1], "100%")


def test_a_percentage_beside_the_count_changes_nothing():
    """A Bezettingsgraad column formatted as a percentage (COA's own export) is not read at all."""
    rows = [["COA - capaciteit en bezetting per opvanglocatie"], ["Peildatum: 31-12-2025"], [],
            ["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit", "Bezetting", "Bezettingsgraad"],
            ["Assen", "azc Assen", "azc", 400, 340, 0.85], ["Assen", "NOL Assen", "NOL", 100, 90, 0.9],
            ["Emmen", "azc Emmen", "azc", 300, 300, 1]]
    formats = {("Locaties", f"F{r}"): "0%" for r in (5, 6, 7)}
    result = read("coa", workbook({"Locaties": rows}, formats))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (EMMEN, "asiel", "regulier"): 300}
    occupied = read("coa", workbook({"Locaties": rows}, formats), maat="bezetting")
    assert figures(occupied) == {(ASSEN, "asiel", "regulier"): 340, (ASSEN, "asiel", "noodopvang"): 90,
                                 (EMMEN, "asiel", "regulier"): 300}


def test_a_percentage_in_the_wide_coa_layout_and_its_total():
    rows = [["Gemeente", "Regulier", "NO", "TGO", "AMV", "Totaal"], ["Assen", 400, 100, 0, 0.5, 500],
            ["Totaal", 400, 100, 0, 20, 520]]
    result = read("coa", workbook({"COA": rows}, {("COA", "E2"): "0%", ("COA", "F3"): "0%"}))
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (ASSEN, "asiel", "tgo"): 0}
    assert [where(m) for m in result.meldingen] == [
        ("fout", "percentage_als_aantal", "coa.xlsx", "COA", 2, "AMV", "50%"),
        ("waarschuwing", "totaalrij_niet_gecontroleerd", "coa.xlsx", "COA", 3, "Totaal", "52000%"),
    ]


def test_a_percentage_format_in_a_quota_file_is_a_fout(tmp_path):
    folder = _dataset(tmp_path, {"bronnen/nidos.xlsx": workbook({"N": [["Gemeente", "Plekken"], ["Assen", 5]]})},
                      quota=workbook({"Opgave": [["Gemeente", "Opgave"], ["Assen", 10], ["Emmen", 0.25]]},
                                     {("Opgave", "B3"): "0%"}))
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    assert "rij 3, kolom Opgave" in result.output and "'25%'" in result.output
    [fout] = [m for m in load_dataset(folder).melding_list if m.ernst is Severity.FOUT]
    assert where(fout) == ("fout", "percentage_als_aantal", "opgaven/nidos_amv.xlsx", "Opgave", 3, "Opgave", "25%")


@pytest.mark.parametrize("number_format, percent", [
    ("0%", True), ("0.00%", True), ("#,##0.0%", True), ('0" %"', False), ("0\\%", False),
    ('"Percentage: "0%', True), ("0", False), ("General", False), ("#,##0", False),
])
def test_which_number_formats_are_percentages(number_format, percent):
    assert _is_percent_format(number_format) is percent


@adapter_settings()
@given(st.lists(st.tuples(st.integers(0, 5000), st.sampled_from([None, "0%", "0.0%", "0.00%", "0", "#,##0"])),
                min_size=1, max_size=8))
def test_fuzz_percentage_cells_never_count(cells):
    """Whatever the values: a cell formatted as a percentage never counts and is a fout at its row; every
    other cell counts as it stands."""
    names = ["Assen", "Emmen", "Tynaarlo", "Aa en Hunze", "Borger-Odoorn", "Coevorden", "De Wolden", "Hoogeveen"]
    rows = [["Nidos – kleinschalige opvang"], ["Gemeente", "Plekken"]]
    formats = {}
    for i, (value, number_format) in enumerate(cells):
        rows.append([names[i], value])
        if number_format is not None:
            formats[("N", f"B{i + 3}")] = number_format
    result = read("nidos", workbook({"N": rows}, formats))
    percent = {i + 3 for i, (_, f) in enumerate(cells) if f is not None and "%" in f}
    assert {m.rij for m in errors(result)} == percent
    assert all(m.code == "percentage_als_aantal" for m in errors(result))
    assert sorted(r["rij"] for r in result.realisaties.to_pylist()) == \
        [i + 3 for i in range(len(cells)) if i + 3 not in percent]
    assert sum(r["aantal"] for r in result.realisaties.to_pylist()) == \
        sum(v for i, (v, _) in enumerate(cells) if i + 3 not in percent)


# --- headers with footnote marks ----------------------------------------------------------------------------

@pytest.mark.parametrize("bron, header, kw, key", [
    ("nidos", "Plekken¹", {}, NIDOS),
    ("nidos", "Kleinschalige opvangplekken ²", {}, NIDOS),
    ("kcio", "Capaciteit⁽¹⁾", {}, KCIO),
    ("kcio", "Bezetting¹", {"maat": "bezetting"}, KCIO),
    ("tvs", "Gerealiseerd t/m 31-12-2025¹", {}, TVS),
    ("tvs", "Gehuisvest†", {}, TVS),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_header_with_a_footnote_mark_is_the_column(bron, header, kw, key, fmt):
    """``Plekken*`` always was ``Plekken``; ``Plekken¹`` was no column at all (was wrong: a fout)."""
    rows = [["Stand per 31 december 2025"], [], ["Gemeente", header], ["Assen", 12], ["Emmen", 7], [],
            ["¹ voorlopige cijfers"]]
    data = workbook({"Blad1": rows}) if fmt == "xlsx" else csv_bytes([[str(c) for c in r] for r in rows])
    result = read(bron, data, **kw)
    assert not errors(result), result.meldingen
    assert figures(result) == {(ASSEN, *key): 12, (EMMEN, *key): 7}


def test_a_footnoted_header_beside_the_plain_one_is_two_columns_and_kolommen_picks_one():
    data = csv_bytes([["Gemeente", "Plekken", "Plekken¹"], ["Assen", "5", "6"]])
    [fout] = errors(read("nidos", data))
    assert (fout.code, fout.rij, fout.kolom) == ("kolom_dubbel", 1, "Plekken¹")
    assert 'kolommen = { "Plekken" = "Plekken" }' in fout.melding
    picked = read("nidos", data, kolommen={"Plekken¹": "Plekken"})
    assert not picked.meldingen and figures(picked) == {(ASSEN, *NIDOS): 6}


def test_the_same_header_twice_says_that_kolommen_cannot_pick():
    [fout] = errors(read("kcio", csv_bytes([["Gemeente", "Capaciteit", "Capaciteit"], ["Assen", "300", "350"]])))
    assert fout.code == "kolom_dubbel" and fout.melding.endswith("geef één van beide een andere kop")


@adapter_settings()
@given(st.sampled_from([(lay, name) for lay in (NIDOS_LAYOUT, KCIO_LAYOUT, WIDE, LONG) for col in lay.columns
                        for name in col.names]),
       st.text(alphabet=FOOTNOTE_MARKS + " ", min_size=1, max_size=3).filter(lambda s: s.strip()))
def test_fuzz_a_footnote_mark_never_changes_what_a_header_is(drawn, marks):
    """A header followed by footnote marks matches the column its plain text matches, and nothing else."""
    layout, name = drawn
    grid = Grid("x.csv", None, ((1, ("Gemeente", name)),), "csv")
    plain = match_header(grid, layout, 1, ("Gemeente", name))
    marked = match_header(grid, layout, 1, ("Gemeente", name + marks))
    assert marked.positions == plain.positions
    assert [p[3] for p in marked.problems] == [p[3] for p in plain.problems]


# --- a missing column says which kolommen line fixes it; a pivot table ---------------------------------------

PIVOT = [["Peildatum", "31-12-2025"], [], ["Som van Capaciteit", "Kolomlabels"],
         ["Rijlabels", "AMV", "NO", "Regulier", "TGO", "Eindtotaal"],
         ["Assen", None, 100, 400, None, 500], ["Emmen", 20, None, 300, 10, 330], ["(leeg)"],
         ["Eindtotaal", 20, 100, 700, 10, 830]]


def test_a_pivot_table_needs_kolommen_and_says_so():
    [fout] = errors(read("coa", workbook({"Draaitabel": PIVOT})))
    assert where(fout) == ("fout", "verplichte_kolom_ontbreekt", "coa.xlsx", "Draaitabel", 4, None, None)
    assert fout.melding.endswith('kolommen = { "Rijlabels" = "Gemeente" }')


def test_a_pivot_table_with_kolommen_reads_right():
    result = read("coa", workbook({"Draaitabel": PIVOT}), kolommen={"Rijlabels": "Gemeente"})
    assert figures(result) == {(ASSEN, "asiel", "noodopvang"): 100, (ASSEN, "asiel", "regulier"): 400,
                               (EMMEN, "amv", None): 20, (EMMEN, "asiel", "regulier"): 300,
                               (EMMEN, "asiel", "tgo"): 10}
    # the "(leeg)" row of a pivot holds nothing: skipped with a warning, never a figure
    assert [where(m) for m in result.meldingen] == [
        ("waarschuwing", "rij_overgeslagen", "coa.xlsx", "Draaitabel", 7, "Rijlabels", "(leeg)")]
    assert result.peildatum == PEIL


def test_a_pivot_row_leeg_with_a_number_is_a_fout():
    rows = [list(r) for r in PIVOT]
    rows[6] = ["(leeg)", None, 5, None, None, 5]
    result = read("coa", workbook({"Draaitabel": rows}), kolommen={"Rijlabels": "Gemeente"})
    [fout] = errors(result)
    assert where(fout) == ("fout", "gebied_onbekend", "coa.xlsx", "Draaitabel", 7, "Rijlabels", "(leeg)")


@pytest.mark.parametrize("bron, header, line", [
    ("kcio", "Som van Capaciteit", 'kolommen = { "Som van Capaciteit" = "Capaciteit" }'),
    ("coa", "Capaciteit totaal", 'kolommen = { "Capaciteit totaal" = "Capaciteit" }'),
    ("nidos", "Aantal plekken", 'kolommen = { "Aantal plekken" = "Plekken" }'),
    ("tvs", "Cap. (incl. nood)", 'kolommen = { "kop zoals in het bestand" = "Gerealiseerd" }'),
    ("nidos", "Plekken (%)", 'kolommen = { "kop zoals in het bestand" = "Plekken" }'),  # never a ratio
])
def test_a_missing_column_shows_the_kolommen_line(bron, header, line):
    cells = ["Gemeente", "Locatie", "Opvangvorm", header] if bron == "coa" else ["Gemeente", header]
    [fout] = errors(read(bron, csv_bytes([cells, ["Assen", *["azc Assen", "azc"][:len(cells) - 2], "5"]])))
    assert fout.code == "verplichte_kolom_ontbreekt" and fout.melding.endswith(line), fout.melding


def test_the_kolommen_line_of_the_melding_fixes_the_file():
    data = csv_bytes([["Gemeente", "Som van Capaciteit"], ["Assen", "500"], ["Eindtotaal", "500"]])
    result = read("kcio", data, kolommen={"Som van Capaciteit": "Capaciteit"})
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 500}


# --- totals rows: COA's own words, in the middle, only totals -----------------------------------------------

COA_LONG = [["COA bezetting en capaciteit"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit", "Bezetting"],
            ["Assen", "azc Assen", "azc", 400, 340], ["Assen", "NOL Assen", "NOL", 100, 90],
            ["Totaal Assen", None, None, 500, 430],
            ["Emmen", "azc Emmen", "azc", 300, 250], ["Totaal COA", None, None, 800, 680], [],
            ["* voorlopige cijfers"], ["Bron: COA"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_totaal_coa_after_subtotals_is_the_whole_file(fmt):
    """Was wrong: ``Totaal COA`` was checked against the rows since ``Totaal Assen`` (a false warning)."""
    def data(rows):
        return workbook({"L": rows}) if fmt == "xlsx" else csv_bytes(
            [["" if c is None else str(c) for c in r] for r in rows])

    result = read("coa", data(COA_LONG))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (EMMEN, "asiel", "regulier"): 300}
    wrong = [list(r) for r in COA_LONG]
    wrong[8] = ["Totaal COA", None, None, 810, 680]
    [m] = read("coa", data(wrong)).meldingen
    assert (m.code, m.rij, m.kolom, m.waarde) == ("totaalrij_klopt_niet", 9, "Capaciteit", "810")
    assert "de som van alle rijen is 800" in m.melding


def test_a_total_in_the_middle_counts_every_row_and_is_checked_against_all():
    """An ``Eindtotaal`` between the rows: every municipality row counts; the total is checked against all."""
    rows = [["Gemeente", "Capaciteit"], ["Assen", 300], ["Emmen", 200], ["Eindtotaal", 500], ["Groningen", 100]]
    result = read("kcio", workbook({"K": rows}))
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200, (GRONINGEN, *KCIO): 100}
    [m] = result.meldingen
    assert (m.code, m.rij, m.waarde) == ("totaalrij_klopt_niet", 4, "500") and "alle rijen is 600" in m.melding


SUMMARY = [["Samenvatting"], ["Gemeente", "Plekken"], ["Drenthe", 8], ["Totaal", 8]]
DATA = [["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 3]]


def test_a_summary_sheet_of_totals_only_before_the_data_is_a_fout():
    """Was wrong: the summary sheet was read, its totals excluded, and the file counted nothing, silently."""
    result = read("nidos", workbook({"Samenvatting": SUMMARY, "Gegevens": DATA}))
    assert figures(result) == {}
    [fout] = errors(result)
    assert where(fout) == ("fout", "alleen_totaalrijen", "nidos.xlsx", "Samenvatting", 3, "Plekken", "8")
    assert "(Gegevens)" in fout.melding and 'blad = "…"' in fout.melding
    right = read("nidos", workbook({"Samenvatting": SUMMARY, "Gegevens": DATA}), blad="Gegevens")
    assert not right.meldingen and figures(right) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 3}


@pytest.mark.parametrize("rows, code", [
    ([["Gemeente", "Plekken"], ["Totaal", "8"]], "alleen_totaalrijen"),
    ([["Gemeente", "Plekken"], ["Totaal", "0"]], None),  # nothing stated, nothing lost
    ([["Gemeente", "Plekken"], ["Totaal", "-"]], None),
    ([["Gemeente", "Plekken"]], None),  # a header only: no places (the test kit's check_header_only)
    ([["Gemeente", "Plekken"], ["Asen", "8"], ["Totaal", "8"]], "gebied_onbekend"),  # the row's own fout only
])
def test_only_totals_in_a_csv(rows, code):
    result = read("nidos", csv_bytes(rows))
    assert [m.code for m in errors(result)] == ([code] if code else [])


def test_a_summary_without_other_sheets_asks_for_a_row_per_municipality():
    [fout] = errors(read("kcio", workbook({"K": [["Gemeente", "Capaciteit"], ["Totaal Drenthe", 400]]})))
    assert fout.code == "alleen_totaalrijen" and fout.melding.endswith("lever het bestand met een rij per gemeente")


# --- cells as exports write them ----------------------------------------------------------------------------

CELLS = [  # (cell, the count or the fout's code)
    ("n.v.t.", None), ("-", None), ("–", None), ("", None), ("0", 0), ("1 234", 1234), ("1\u00a0234", 1234),
    ("1.234", 1234), ("1.234,0", 1234), ("00012", 12), ("+5", 5), (" 7 ", 7),
    ("<5", "geen_getal"), ("x", "geen_getal"), ("?", "geen_getal"), ("#N/B", "geen_getal"),
    ("#DIV/0!", "geen_getal"), ("12*", "geen_getal"), ("€ 12", "geen_getal"), ("1E3", "geen_getal"), ("1e3", 1000),
    ("12,5", "geen_heel_getal"), ("0,85", "geen_heel_getal"), ("1,234", "geen_heel_getal"),
    ("-3", "negatief_aantal"), ("(12)", "negatief_aantal"), ("85%", "percentage_als_aantal"),
]


@pytest.mark.parametrize("cell, expected", CELLS)
@pytest.mark.parametrize("bron, header, key", [
    ("nidos", "Plekken", NIDOS), ("kcio", "Capaciteit", KCIO), ("tvs", "Gerealiseerd", TVS)])
def test_count_cells(bron, header, key, cell, expected):
    result = read(bron, csv_bytes([["Gemeente", header], ["Assen", cell], ["Emmen", "3"]]))
    got = figures(result)
    assert got.pop((EMMEN, *key)) == 3
    if isinstance(expected, str):
        [fout] = errors(result)
        assert where(fout) == ("fout", expected, f"{bron}.csv", None, 2, header, cell)
        assert got == {}
    else:
        assert not errors(result)
        assert got == ({} if expected is None else {(ASSEN, *key): expected})


@pytest.mark.parametrize("area, code", [
    ("14", GRONINGEN), ("0014", GRONINGEN), ("GM14", GRONINGEN), (14, GRONINGEN), ("Groningen\u00a0", GRONINGEN),
    ("Gemeente Groningen ", GRONINGEN), ("Groningen (gemeente)", GRONINGEN), ("'s-Gravenhage", "GM0518"),
    ("Den Haag", "GM0518"), ("s Gravenhage", "GM0518"), ("Súdwest-Fryslân", "GM1900"), ("Sudwest Fryslan", "GM1900"),
    ("Bergen (L.)", "GM0893"), ("Bergen (NH)", "GM0373"),
])
def test_municipality_as_exports_write_it(area, code):
    result = read("nidos", workbook({"N": [["Gemeente", "Plekken"], [area, 5]]}))
    assert not result.meldingen and figures(result) == {(code, *NIDOS): 5}


@pytest.mark.parametrize("area", ["Bergen", "Rijlabels", "(leeg)", "Assen¹", "GM9999", "Friesland"])
def test_an_area_that_is_no_municipality_is_a_fout_at_its_cell(area):
    result = read("nidos", workbook({"N": [["Gemeente", "Plekken"], [area, 5], ["Assen", 3]]}))
    assert figures(result) == {(ASSEN, *NIDOS): 3}
    [fout] = errors(result)
    assert where(fout) == ("fout", "gebied_onbekend", "nidos.xlsx", "N", 2, "Gemeente", area)


def test_hidden_rows_count_as_excel_sums_them():
    """Decision: a hidden row is data (Excel's SUM counts it; a filter that hides other municipalities does not
    change their figures); the totals row is checked against every row."""
    rows = [["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 3], ["Totaal", 8]]
    result = read("nidos", workbook({"N": rows}, hidden_rows={"N": [3]}))
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 3}


# --- the public entry points --------------------------------------------------------------------------------

QUOTA = {"asiel": [("Assen", 700), ("Emmen", 500)], "amv": [("Assen", 30), ("Emmen", 20)],
         "nidos_amv": [("Assen", 10), ("Emmen", 6)], "vergunninghouders": [("Assen", 60), ("Emmen", 70)]}


def _dataset(tmp_path: Path, files: dict[str, bytes], extra: str = "", quota: bytes | None = None) -> Path:
    folder = tmp_path / "probe"
    folder.mkdir(parents=True, exist_ok=True)
    manifest = ['[dataset]\nnaam = "Drenthe, zoals de bronnen publiceren"\ngebied = "PV22"\n']
    for task, rows in QUOTA.items():
        path = folder / "opgaven" / f"{task}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(quota if quota is not None and task == "nidos_amv" else
                         workbook({"Opgave": [["Gemeente", "Opgave"], *rows]}))
        manifest.append(f'[[opgave]]\nopgave = "{task}"\ningangsdatum = 2025-01-01\nbestand = "opgaven/{task}.xlsx"\n')
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        bron = path.name.split(".")[0].split("-")[0]
        manifest.append(f'[[bron]]\nbron = "{bron}"\nbestand = "{name}"\npeildatum = 2025-12-31\n')
    (folder / "opvangkern.toml").write_text("\n".join(manifest) + extra, encoding="utf-8")
    return folder


def _published(tmp_path: Path, nidos_sheets: dict | None = None, extra: str = "") -> Path:
    coa = [list(r) for r in COA_LONG]
    coa[3][3] = "Capaciteit¹"
    kcio = [["Opvang ontheemden uit Oekraïne"], ["Stand per 31 december 2025"], [],
            ["Veiligheidsregio", "Gemeente", "Capaciteit", "Bezetting", "Bezettingsgraad"],
            ["Drenthe", "Assen", 300, 250, 0.83], ["Drenthe", "Emmen", 120, 120, 1], ["Totaal Drenthe", None, 420, 370, None],
            ["Eindtotaal", None, 420, 370, None], [], ["Bron: KCIO"]]
    tvs = [["Huisvesting vergunninghouders"], ["Peildatum: 31-12-2025"], [],
           ["Gemeente", "Taakstelling 2025-II", "Gerealiseerd t/m 31-12-2025¹", "% gerealiseerd"],
           ["Assen", 60, 45, 0.75], ["Emmen", 70, 80, 1.14], ["Totaal", 130, 125, None], [], ["¹ voorlopige cijfers"]]
    nidos = nidos_sheets or {"Samenvatting": SUMMARY, "Gegevens": DATA}
    files = {"bronnen/coa.xlsx": workbook({"Locaties": coa}),
             "bronnen/kcio.xlsx": workbook({"GOO": kcio}, {("GOO", f"E{r}"): "0%" for r in (5, 6)}),
             "bronnen/tvs.xlsx": workbook({"TVS": tvs}, {("TVS", f"D{r}"): "0%" for r in (5, 6)}),
             "bronnen/nidos.xlsx": workbook(nidos)}
    folder = _dataset(tmp_path, files, extra)
    return folder


def test_published_layouts_through_check_and_dashboard(tmp_path):
    """The four sources as published, through ``opvangkern check`` and ``dashboard``: the summary sheet of the
    Nidos workbook stops the dashboard (exit 1, the melding names file, sheet, row, column, value); with
    ``blad = "Gegevens"`` every figure is right."""
    folder = _published(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    assert "bronnen/nidos.xlsx" in result.output and "blad Samenvatting" in result.output
    assert "rij 3, kolom Plekken" in result.output and "alleen totaalrijen" in result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(out)])
    assert result.exit_code == 1 and not out.exists()

    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'bestand = "bronnen/nidos.xlsx"\n', 'bestand = "bronnen/nidos.xlsx"\nblad = "Gegevens"\n'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    # no Ukraine decision beside the KCIO file: the one warning says KCIO feeds no card (realisatie_zonder_opgave)
    assert "0 fout(en), 1 waarschuwing(en)" in result.output
    assert [m["code"] for m in opvangkern.open_dataset(folder).meldingen.to_pylist()] == ["realisatie_zonder_opgave"]
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output

    rows = {r["gemeentenaam"]: r for r in opvangkern.open_dataset(folder).dashboard().gemeenten.to_pylist()}
    assert (rows["Assen"]["asiel_regulier"], rows["Assen"]["asiel_noodopvang"]) == (400, 100)
    assert rows["Emmen"]["asiel_regulier"] == 300
    assert rows["Assen"]["asiel_delta"] == 700 - (400 + 100) and rows["Emmen"]["asiel_delta"] == 500 - 300
    assert rows["Assen"]["oekraine_realisatie"] == 300 and rows["Emmen"]["oekraine_realisatie"] == 120
    assert rows["Assen"]["vergunninghouders_realisatie"] == 45 and rows["Emmen"]["vergunninghouders_realisatie"] == 80
    assert rows["Assen"]["nidos_amv_realisatie"] == 5 and rows["Emmen"]["nidos_amv_realisatie"] == 3
    assert rows["Assen"]["nidos_amv_delta"] == 10 - 5 and rows["Emmen"]["nidos_amv_delta"] == 6 - 3


def test_a_percentage_formatted_count_stops_the_dashboard(tmp_path):
    folder = _published(tmp_path, {"Nidos": [["Gemeente", "Plekken"], ["Assen", 1], ["Emmen", 3]]})
    path = folder / "bronnen" / "nidos.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["Nidos"]["B2"].number_format = "0%"
    wb.save(path)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    assert "rij 2, kolom Plekken" in result.output and "'100%'" in result.output
    [fout] = [m for m in load_dataset(folder).melding_list if m.ernst is Severity.FOUT]
    assert where(fout) == ("fout", "percentage_als_aantal", "bronnen/nidos.xlsx", "Nidos", 2, "Plekken", "100%")
    result = CliRunner().invoke(cli, ["dashboard", str(folder)])
    assert result.exit_code == 1


# --- a second table under the first -------------------------------------------------------------------------

def _csv(rows):
    return csv_bytes([["" if c is None else str(c) for c in r] for r in rows])


STACKED = {  # bron -> (header, rows of the latest table, rows of the older table below it, the fout's row)
    "coa": (["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
            [["Assen", "azc Assen", "azc", 400], ["Emmen", "azc Emmen", "azc", 300], ["Totaal", None, None, 700]],
            [["Assen", "azc Assen", "azc", 350], ["Emmen", "azc Emmen", "azc", 250], ["Totaal", None, None, 600]]),
    "nidos": (["Gemeente", "Plekken"], [["Assen", 5], ["Emmen", 3]], [["Assen", 4], ["Emmen", 2]]),
    "kcio": (["Veiligheidsregio", "Gemeente", "Capaciteit"],
             [["Drenthe", "Assen", 300], ["Drenthe", "Emmen", 200], ["Totaal Drenthe", None, 500]],
             [["Drenthe", "Assen", 250], ["Drenthe", "Emmen", 150]]),
    "tvs": (["Gemeente", "Gerealiseerd"], [["Assen", 45], ["Emmen", 80], ["Totaal", 125]], [["Assen", 30], ["Emmen", 60]]),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("bron", sorted(STACKED))
def test_a_second_table_of_another_period_below_is_a_fout(bron, fmt):
    """Two tables on one sheet (the latest figures, and below them the previous period's, under the same
    header): was wrong, both were added up with warnings at most (exit 0)."""
    header, latest, older = STACKED[bron]
    rows = [["Stand per 31 december 2025"], [], header, *latest, [], ["Stand per 30 juni 2025"], header, *older,
            [], ["Bron: opvangkern-test"]]
    second = 3 + len(latest) + 3
    result = read(bron, workbook({"Blad1": rows}) if fmt == "xlsx" else _csv(rows))
    [fout] = [m for m in errors(result) if m.code == "tweede_tabel"]
    assert (fout.rij, fout.kolom, fout.waarde) == (second, "Gemeente", header[0])
    assert 'blad = "…"' in fout.melding
    assert CliRunner  # the dashboard refuses a file with a fout (test_published_layouts_through_check_and_dashboard)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_second_table_of_another_measure_is_a_fout(fmt):
    rows = [["Gemeente", "Capaciteit"], ["Assen", 300], ["Emmen", 200], ["Totaal", 500], [], ["Bezetting"],
            ["Gemeente", "Bezetting"], ["Assen", 250], ["Emmen", 150]]
    result = read("kcio", workbook({"K": rows}) if fmt == "xlsx" else _csv(rows))
    [fout] = [m for m in errors(result) if m.code == "tweede_tabel"]
    assert (fout.rij, fout.kolom, fout.waarde) == (7, "Gemeente", "Gemeente")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_printed_page_break_is_no_second_table(fmt):
    """The header repeated with the next region's rows after a subtotal, or in the middle of one
    municipality's locations: one table, every row counts once."""
    kcio = [["Veiligheidsregio", "Gemeente", "Capaciteit"], ["Drenthe", "Assen", 300], ["Drenthe", "Emmen", 200],
            ["Totaal Drenthe", None, 500], ["Veiligheidsregio", "Gemeente", "Capaciteit"],
            ["Groningen", "Groningen", 100], ["Totaal Groningen", None, 100], ["Eindtotaal", None, 600]]
    result = read("kcio", workbook({"K": kcio}) if fmt == "xlsx" else _csv(kcio))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200, (GRONINGEN, *KCIO): 100}
    coa = [["COA per locatie"], ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "azc", 400],
           ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "NOL Assen", "NOL", 100],
           ["Emmen", "azc Emmen", "azc", 300]]
    result = read("coa", workbook({"L": coa}) if fmt == "xlsx" else _csv(coa))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100,
                               (EMMEN, "asiel", "regulier"): 300}


_DRENTHE = ["Aa en Hunze", "Assen", "Borger-Odoorn", "Coevorden", "De Wolden", "Emmen", "Hoogeveen", "Meppel",
            "Midden-Drenthe", "Noordenveld", "Tynaarlo", "Westerveld"]


@adapter_settings()
@given(st.lists(st.tuples(st.integers(0, 999), st.sampled_from(["", "", "", "kop", "noot+kop", "totaal+kop"])),
                min_size=2, max_size=12), st.booleans())
def test_fuzz_page_breaks_and_second_tables(drawn, stacked):
    """Distinct municipalities with the header repeated anywhere (after a note or a subtotal too): never a
    second table, every figure once; the same table again under a title below it: always one."""
    header = ["Gemeente", "Plekken"]
    rows: list[list] = [["Nidos – kleinschalige opvang"], header]
    expected = {}
    for name, (value, extra) in zip(_DRENTHE, drawn):
        if extra == "noot+kop":
            rows.append(["* zie toelichting"])
        if extra == "totaal+kop":
            rows.append(["Subtotaal", sum(r[1] for r in rows if isinstance(r[1:2] and r[1], int))])
        if extra:
            rows.append(list(header))
        rows.append([name, value])
        expected[name] = value
    if stacked:
        rows += [[], ["Vorige meting"], list(header), *[[n, 1] for n in list(expected)[:1]]]
    result = read("nidos", _csv(rows))
    second = [m for m in result.meldingen if m.code == "tweede_tabel"]
    assert len(second) == (1 if stacked else 0)
    if not stacked:
        codes = {r["gemeentecode"]: r["aantal"] for r in result.realisaties.to_pylist()}
        assert sorted(codes.values()) == sorted(expected.values())


# --- footnotes under the table ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tvs_line_with_footnoted_headers_and_footnotes_in_two_cells(fmt):
    """Was wrong: the footnote row ``¹ taakstelling | ² achterstand`` was a fout (``²`` read as a digit made
    its cell a number, so the row was no note)."""
    rows = [["Huisvesting vergunninghouders"], ["Stand per 1 januari 2026"], [],
            ["Gemeente", "Taakstelling 2025-II¹", "Achterstand per 1-7-2025²", "Gecorrigeerde taakstelling",
             "Gerealiseerd t/m 31-12-2025", "Nog te realiseren"],
            ["Assen", 50, 5, 55, 40, 15], ["Emmen", 60, -5, 55, 70, -15], ["Totaal", 110, 0, 110, 110, 0], [],
            ["¹ taakstelling volgens de halfjaarlijkse brief", "² positief: achterstand"]]
    result = read("tvs", workbook({"TVS": rows}) if fmt == "xlsx" else _csv(rows), peildatum=None)
    assert not result.meldingen, result.meldingen
    assert figures(result) == {(ASSEN, *TVS): 40, (EMMEN, *TVS): 70}
    assert result.peildatum == dt.date(2026, 1, 1)
    points = {(r["gebied_code"], r["ingangsdatum"]): r["aantal"] for r in result.opgaven.to_pylist()}
    assert points == {(ASSEN, dt.date(2025, 7, 1)): 5, (ASSEN, dt.date(2026, 1, 1)): 50 + 5,
                      (EMMEN, dt.date(2025, 7, 1)): -5, (EMMEN, dt.date(2026, 1, 1)): 60 - 5}


@adapter_settings()
@given(st.text(alphabet=FOOTNOTE_MARKS + "abcxyz *()", min_size=1, max_size=12),
       st.text(alphabet="0123456789", min_size=1, max_size=3))
def test_fuzz_a_footnote_mark_is_no_number_but_a_digit_is(text, digits):
    """``_numberlike``: a text of letters and footnote marks holds no number; a text with a digit that does not
    read as a number still does (a count cell ``12 pl.`` is a fout, never a note)."""
    from opvangkern.reading.table import _numberlike

    assert not _numberlike(text)
    assert _numberlike(text + digits + "x")
