"""Hardening (seventh session): cells as realisation files really publish them.

Three groups, each case asserting the figure per municipality worked out here by plain arithmetic, or the
exact melding (code, file, sheet, row, column, value). Every file goes through ``read`` of
``tests/test_probes.py``: the adapter with its fast paths, inside ``fastscan.careful()`` and through the
plugin's reference adapter, the same result each way.

1. Percentages in ODS (which says so in ``content.xml``) and in XLS/XLSB (whose formats are not read).
2. A code and a name in one area cell (``Assen (GM0106)``, ``GM0106 - Assen``).
3. A red-team pass: layouts no earlier probe wrote.

Wrong before this session (a figure with no melding): a count shown as ``100%`` in an ODS counted 1; a
``Bezetting`` group label over ``Regulier | Noodopvang`` counted the occupancy as places. A combined
code-and-name cell was refused as an unknown municipality (now read when both parts agree).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.areas.matching import split_code_and_name
from opvangkern.cli import cli
from opvangkern.reading import sheet as sheet_module
from opvangkern.testing.fuzz import adapter_settings
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_cells")
# the probes' reader: adapter, careful scan and reference adapter, compared
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
_dataset, errors, figures, read, where, workbook = (_PROBES._dataset, _PROBES.errors, _PROBES.figures, _PROBES.read,
                                                    _PROBES.where, _PROBES.workbook)

GEMEENTE_S_HERTOGENBOSCH, SUDWEST_FRYSLAN, AA_EN_HUNZE = "GM0796", "GM1900", "GM1680"


def csv(*lines: str, encoding: str = "utf-8-sig", end: str = "\n") -> bytes:
    return end.join(lines).encode(encoding)


def xlsxw(build) -> bytes:
    """A workbook written with xlsxwriter (formulas with cached results, hidden columns, merges)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    build(wb)
    wb.close()
    return out.getvalue()


# --- 1. percentages in ODS, XLS and XLSB --------------------------------------------------------------------

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
       'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')
_STYLES = ('<office:automatic-styles><number:percentage-style style:name="N11"><number:number '
           'number:decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text>'
           '</number:percentage-style><style:style style:name="ce1" style:family="table-cell" '
           'style:parent-style-name="Default" style:data-style-name="N11"/></office:automatic-styles>')


def ods(tables: dict[str, list[list]]) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes it: columns declared, a header row group, repeated
    empty cells to the sheet's edge. A cell is text, a number, ``("pct", 0.85)`` (LibreOffice's own
    percentage cell) or ``("pctstyle", 0.85)`` (a float with a percentage data style, as other writers do)."""
    body = []
    for name, rows in tables.items():
        body.append(f'<table:table table:name="{name}"><table:table-column table:number-columns-repeated="8"/>')
        for i, row in enumerate(rows):
            cells = []
            for cell in row:
                if cell is None or cell == "":
                    cells.append("<table:table-cell/>")
                elif isinstance(cell, tuple):
                    kind, value = cell
                    shown = f"{value * 100:g}%"
                    if kind == "pct":
                        cells.append(f'<table:table-cell office:value-type="percentage" office:value="{value}" '
                                     f'calcext:value-type="percentage"><text:p>{shown}</text:p></table:table-cell>')
                    else:
                        cells.append(f'<table:table-cell table:style-name="ce1" office:value-type="float" '
                                     f'office:value="{value}"><text:p>{shown}</text:p></table:table-cell>')
                elif isinstance(cell, (int, float)):
                    cells.append(f'<table:table-cell office:value-type="float" office:value="{cell}" '
                                 f'calcext:value-type="float"><text:p>{cell}</text:p></table:table-cell>')
                else:
                    cells.append(f'<table:table-cell office:value-type="string" calcext:value-type="string">'
                                 f'<text:p>{cell}</text:p></table:table-cell>')
            cells.append('<table:table-cell table:number-columns-repeated="1016"/>')
            row_xml = f"<table:table-row>{''.join(cells)}</table:table-row>"
            body.append(f"<table:table-header-rows>{row_xml}</table:table-header-rows>" if i == 0 else row_xml)
        body.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                    'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.3">'
               f'{_STYLES}<office:body><office:spreadsheet>{"".join(body)}</office:spreadsheet></office:body>'
               '</office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:'
                   'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["pct", "pctstyle"])
@pytest.mark.parametrize("bron, header, key", [
    ("nidos", ["Gemeente", "Plekken"], NIDOS),
    ("kcio", ["Gemeente", "Capaciteit"], KCIO),
    ("tvs", ["Gemeente", "Gerealiseerd"], TVS),
])
def test_an_ods_count_shown_as_a_percentage_is_a_fout(bron, header, key, kind):
    """100 % is stored as 1 in an ODS too (was wrong: counted 1 place)."""
    data = ods({"Blad1": [["Stand per 31 december 2025"], [], header, ["Assen", (kind, 1)], ["Emmen", 40],
                          ["Tynaarlo", (kind, 0.25)]]})
    result = read(bron, data, f"{bron}.ods")
    assert figures(result) == {(EMMEN, *key): 40}
    assert [where(m) for m in errors(result)] == [
        ("fout", "percentage_als_aantal", f"{bron}.ods", "Blad1", 4, header[1], "100%"),
        ("fout", "percentage_als_aantal", f"{bron}.ods", "Blad1", 6, header[1], "25%"),
    ]


def test_an_ods_ratio_column_beside_the_counts_changes_nothing():
    rows = [["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit", "Bezetting", "Bezettingsgraad"],
            ["Assen", "azc Assen", "azc", 400, 340, ("pct", 0.85)], ["Emmen", "azc Emmen", "azc", 300, 300, ("pct", 1)]]
    result = read("coa", ods({"Locaties": rows}), "coa.ods")
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}


def test_an_ods_percentage_on_the_second_sheet_is_found_there():
    """Row and column of a percentage cell are counted per table, so a second sheet's cell is its own."""
    data = ods({"Toelichting": [["Toelichting"], ["Aandeel gerealiseerd", ("pct", 0.5)]],
                "Nidos": [["Gemeente", "Plekken"], ["Assen", 12], ["Emmen", ("pct", 1)]]})
    result = read("nidos", data, "nidos.ods")
    assert figures(result) == {(ASSEN, *NIDOS): 12}
    assert [where(m) for m in errors(result)] == [
        ("fout", "percentage_als_aantal", "nidos.ods", "Nidos", 3, "Plekken", "100%")]


@adapter_settings()
@given(st.lists(st.tuples(st.integers(0, 3000), st.sampled_from([None, "pct", "pctstyle"])), min_size=1, max_size=8))
def test_fuzz_ods_percentages_never_count(cells):
    names = ["Assen", "Emmen", "Tynaarlo", "Aa en Hunze", "Borger-Odoorn", "Coevorden", "De Wolden", "Hoogeveen"]
    rows = [["Nidos – kleinschalige opvang"], ["Gemeente", "Plekken"]]
    for i, (value, kind) in enumerate(cells):
        rows.append([names[i], value if kind is None else (kind, value / 100)])
    result = read("nidos", ods({"N": rows}), "nidos.ods")
    assert {m.rij for m in errors(result)} == {i + 3 for i, (_, kind) in enumerate(cells) if kind is not None}
    assert all(m.code == "percentage_als_aantal" for m in errors(result))
    expected = sum(value for value, kind in cells if kind is None)
    assert sum(figures(result).values()) == expected


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("raw, hidden", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, True),  # XLS: an OLE compound file
    (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}), True),  # XLSB
    (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"x"}), False),
    (workbook({"B": [["Gemeente", "Plekken"]]}), False),
    (ods({"B": [["Gemeente", "Plekken"]]}), False),
    (b"Gemeente;Plekken\nAssen;1\n", False),
])
def test_which_workbooks_hide_their_number_formats(raw, hidden):
    """XLSM's vbaProject.bin makes no XLSB: only ``xl/workbook.bin`` does."""
    assert sheet_module.formats_hidden(raw) is hidden


@pytest.fixture
def formats_unseen(monkeypatch):
    """Read XLSX workbooks as an XLS/XLSB is read: the number formats are not seen (no writer for those
    formats is installed; what differs is only this flag, which ``formats_hidden`` sets from the bytes)."""
    monkeypatch.setattr(sheet_module, "formats_hidden", lambda raw: True)
    sheet_module.forget_workbook()
    yield
    sheet_module.forget_workbook()


def test_xls_counts_all_between_0_and_1_are_refused(formats_unseen):
    # the cells a 0% format shows as 100%, 100%, 0%: stored 1, 1, 0
    data = workbook({"Blad1": [["Gemeente", "Capaciteit"], ["Assen", 1], ["Emmen", 1], ["Tynaarlo", 0]]})
    result = read("kcio", data, "kcio.xls")
    assert [where(m) for m in errors(result)] == [
        ("fout", "percentage_niet_te_zien", "kcio.xls", "Blad1", 1, "Capaciteit", "1")]


def test_xls_fractions_are_refused_per_cell_and_for_the_column(formats_unseen):
    data = workbook({"Blad1": [["Gemeente", "Plekken"], ["Assen", 0.85], ["Emmen", 1]]})
    result = read("nidos", data, "nidos.xls")
    assert [(m.code, m.rij) for m in errors(result)] == [("geen_heel_getal", 2), ("percentage_niet_te_zien", 1)]


@pytest.mark.parametrize("values", [[0, 0, 0], [1, 5, 0], [400, 1, 300], [2]])
def test_xls_counts_that_are_no_fractions_are_read(formats_unseen, values):
    names = ["Assen", "Emmen", "Tynaarlo"]
    data = workbook({"Blad1": [["Gemeente", "Plekken"], *[[names[i], v] for i, v in enumerate(values)]]})
    result = read("nidos", data, "nidos.xls")
    assert not errors(result)
    assert figures(result) == {({"Assen": ASSEN, "Emmen": EMMEN, "Tynaarlo": TYNAARLO}[names[i]], *NIDOS): v
                               for i, v in enumerate(values)}


def test_the_same_counts_in_xlsx_are_read():
    """Without the flag (an XLSX, whose formats are read) a column of 0 and 1 is a column of counts."""
    data = workbook({"Blad1": [["Gemeente", "Capaciteit"], ["Assen", 1], ["Emmen", 1], ["Tynaarlo", 0]]})
    result = read("kcio", data)
    assert not errors(result)
    assert figures(result) == {(ASSEN, *KCIO): 1, (EMMEN, *KCIO): 1, (TYNAARLO, *KCIO): 0}


# --- 2. a code and a name in one cell -----------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["Assen (GM0106)", "GM0106 Assen", "GM0106 - Assen", "0106 Assen", "Assen, GM0106",
                                  "106 Assen", "Assen (0106)", "gm0106 – Assen", "Gemeente Assen (GM0106)"])
def test_a_code_and_a_name_that_agree_are_the_municipality(cell):
    data = csv("Gemeente;Plekken", f"{cell};12", "Emmen;5")
    result = read("nidos", data)
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *NIDOS): 12, (EMMEN, *NIDOS): 5}


@pytest.mark.parametrize("cell, code", [
    ("Emmen (GM0106)", "code_en_naam_spreken_tegen"),
    ("GM0114 - Assen", "code_en_naam_spreken_tegen"),
    ("Assen (GM9999)", "code_en_naam_onbekend"),
    ("GM0106 Asen", "code_en_naam_onbekend"),
])
def test_a_code_and_a_name_that_disagree_are_a_fout(cell, code):
    """Never a silent pick of one of the two: the row is refused and the other rows read."""
    data = workbook({"Nidos": [["Gemeente", "Plekken"], [cell, 12], ["Tynaarlo", 5]]})
    result = read("nidos", data)
    assert figures(result) == {(TYNAARLO, *NIDOS): 5}
    [fout] = errors(result)
    assert where(fout) == ("fout", code, "nidos.xlsx", "Nidos", 2, "Gemeente", cell)
    assert f'waarden = {{ "{cell}" = ' in fout.melding


@pytest.mark.parametrize("cell", ["Tynaarlo (1)", "Assen 106", "Assen - 106"])
def test_a_number_that_is_no_code_stays_an_unknown_name(cell):
    """A footnote in brackets or a short number behind the name is no code: an unknown area as before."""
    result = read("nidos", csv("Gemeente;Plekken", f"{cell};12"))
    assert [m.code for m in errors(result)] == ["gebied_onbekend"]


def test_the_waarden_line_of_the_melding_fixes_the_file(tmp_path):
    folder = _dataset(tmp_path, {"bronnen/nidos.csv": csv("Gemeente;Plekken", "Emmen (GM0106);12", "Tynaarlo;5")})
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(folder)]).exit_code == 1
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'bestand = "bronnen/nidos.csv"', 'bestand = "bronnen/nidos.csv"\nwaarden = { "Emmen (GM0106)" = "Emmen" }'),
        encoding="utf-8")
    result = runner.invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("codes", [(106, 114), ("106", "0114"), (106.0, "GM0114"), ("0106", 114)])
def test_a_code_column_that_lost_its_leading_zeros(codes):
    """Excel drops the zeros of ``0106``: the number 106, or the text ``106``, is still GM0106."""
    data = workbook({"N": [["Gemeentecode", "Plekken"], [codes[0], 3], [codes[1], 4]]})
    assert figures(read("nidos", data)) == {(ASSEN, *NIDOS): 3, (EMMEN, *NIDOS): 4}


def _municipalities() -> list[tuple[str, str]]:
    return sorted((a.code, a.naam) for a in load_division().gemeenten)


FORMS = ["{naam} ({code})", "{code} {naam}", "{code} - {naam}", "{digits} {naam}", "{naam}, {code}"]


@adapter_settings()
@given(st.sampled_from(_municipalities()), st.sampled_from(_municipalities()), st.sampled_from(FORMS), st.booleans())
def test_property_combined_cells_resolve_only_when_both_parts_agree(first, second, form, same):
    (code, naam), (other_code, _) = first, (first if same else second)
    cell = form.format(naam=naam, code=other_code, digits=other_code[2:])
    assert split_code_and_name(cell) == (other_code if "{digits}" not in form else other_code[2:], naam)
    table_code = read("nidos", csv("Gemeente;Plekken", f"{cell};7"))
    if code == other_code:
        assert figures(table_code) == {(code, *NIDOS): 7}
    else:
        assert [m.code for m in errors(table_code)] == ["code_en_naam_spreken_tegen"]
        assert figures(table_code) == {}


# --- 3. red team: layouts not yet probed --------------------------------------------------------------------

def test_counts_suppressed_for_privacy_are_a_fout_each():
    """``<5``, ``*``, ``x``, ``.``: no number, never 0, never left out silently."""
    data = csv("Gemeente;Plekken", "Assen;12", "Emmen;<5", "Tynaarlo;*", "Aa en Hunze;x", "Coevorden;.",
               "De Wolden;< 10", "Hoogeveen;7")
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 12, ("GM0118", *NIDOS): 7}
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [
        ("geen_getal", 3, "<5"), ("geen_getal", 4, "*"), ("geen_getal", 5, "x"), ("geen_getal", 6, "."),
        ("geen_getal", 7, "< 10")]


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", " "])
def test_thousands_with_non_breaking_or_thin_spaces(space):
    data = csv("Gemeente;Capaciteit", f"Assen;1{space}083", f"Emmen;2{space}000", f"Totaal;3{space}083")
    result = read("kcio", data)
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *KCIO): 1083, (EMMEN, *KCIO): 2000}


def test_a_dutch_decimal_zero_is_whole_and_a_half_is_not():
    data = csv("Gemeente;Plekken", "Assen;1.083,0", "Emmen;12,00", "Tynaarlo;1 083,5")
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 1083, (EMMEN, *NIDOS): 12}
    assert [(m.code, m.rij) for m in errors(result)] == [("geen_heel_getal", 4)]


def _group(label: str):
    def build(wb):
        ws = wb.add_worksheet("COA")
        ws.merge_range("A1:A2", "Gemeente")
        ws.merge_range("B1:C1", label)
        ws.write_row("B2", ["Regulier", "Noodopvang"])
        ws.write_row("A3", ["Assen", 350, 90])
        ws.write_row("A4", ["Emmen", 280, 0])
    return build


@pytest.mark.parametrize("label", ["Bezetting", "Bezette plekken", "Vrije plekken", "Bezettingsgraad (%)"])
def test_a_group_label_of_another_measure_over_the_counts_is_a_fout(label):
    """``Bezetting`` merged over ``Regulier | Noodopvang``: occupancy, not places (was wrong: counted as places)."""
    result = read("coa", xlsxw(_group(label)))
    assert [where(m) for m in errors(result)] == [
        ("fout", "groepskop_andere_maat", "coa.xlsx", "COA", 2, "Regulier", "Regulier"),
        ("fout", "groepskop_andere_maat", "coa.xlsx", "COA", 2, "Noodopvang", "Noodopvang")]


@pytest.mark.parametrize("label", ["Capaciteit", "Asiel", "Plekken per 31-12-2025"])
def test_a_group_label_of_places_over_the_counts_is_read(label):
    result = read("coa", xlsxw(_group(label)))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 350, (ASSEN, "asiel", "noodopvang"): 90,
                               (EMMEN, "asiel", "regulier"): 280, (EMMEN, "asiel", "noodopvang"): 0}


def test_a_group_label_over_columns_that_name_their_own_measure_is_read():
    """COA's long layout under ``Capaciteit en bezetting`` merged over ``Capaciteit | Bezetting``: each column's own
    header says what it counts, so the label changes nothing (Capaciteit counted, as without the label)."""
    def build(wb):
        ws = wb.add_worksheet("COA")
        ws.merge_range("D1:E1", "Capaciteit en bezetting")
        ws.write_row("A2", ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"])
        ws.write_row("A3", ["Assen", "AZC Assen", "regulier", 1010, 909])
        ws.write_row("A4", ["Emmen", "AZC Emmen", "regulier", 351, 316])
    result = read("coa", xlsxw(build))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 1010, (EMMEN, "asiel", "regulier"): 351}


def test_a_totals_row_in_the_middle_is_excluded_and_checked():
    data = csv("Gemeente;Capaciteit", "Assen;300", "Emmen;120", "Totaal;420", "Tynaarlo;80")
    result = read("kcio", data)
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 120, (TYNAARLO, *KCIO): 80}
    [warning] = result.meldingen
    assert (warning.code, warning.rij, warning.waarde) == ("totaalrij_klopt_niet", 4, "420")
    assert str(300 + 120 + 80) in warning.melding


def test_a_hidden_column_of_the_previous_period_is_no_silent_pick():
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken 2025-I", "Plekken 2025-II"])
        ws.write_row("A2", ["Assen", 3, 5])
        ws.set_column("B:B", None, None, {"hidden": True})
    result = read("nidos", xlsxw(build))
    assert [m.code for m in errors(result)] == ["meerdere_kolommen"]
    assert 'kolommen = { "Plekken 2025-II" = "Plekken" }' in errors(result)[0].melding


def test_a_peildatum_column_of_spreadsheet_serial_numbers():
    serial = (dt.date(2025, 12, 31) - dt.date(1899, 12, 30)).days
    data = workbook({"N": [["Gemeente", "Peildatum", "Plekken"], ["Assen", serial, 5], ["Emmen", serial, 6]]})
    result = read("nidos", data, peildatum=None)
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 6}
    assert result.peildatum == dt.date(2025, 12, 31)  # what the dataset checks against the manifest


@pytest.mark.parametrize("value, code", [("week 48", "peildatum_onleesbaar"),
                                         (dt.datetime(2025, 12, 31, 14, 0), "peildatum_onleesbaar")])
def test_a_peildatum_that_is_no_day_is_a_fout(value, code):
    data = workbook({"N": [["Gemeente", "Peildatum", "Plekken"], ["Assen", value, 5]]})
    assert [m.code for m in errors(read("nidos", data, peildatum=None))] == [code]


def test_counts_as_formulas_with_cached_values():
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Plekken"])
        ws.write_row("A2", ["Assen", 5])
        ws.write("A3", "Emmen")
        ws.write_formula("B3", "=B2+1", None, 6)
        ws.write("A4", "Totaal")
        ws.write_formula("B4", "=SUM(B2:B3)", None, 11)
    result = read("nidos", xlsxw(build))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 5 + 1}


def test_a_toelichting_sheet_in_front_is_passed_over():
    data = workbook({"Toelichting": [["Toelichting"], ["Dit bestand geeft de plekken per gemeente."],
                                     ["Plekken: kleinschalige opvangplekken van Nidos"]],
                     "Gegevens": [["Peildatum: 31-12-2025"], ["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7]]})
    assert figures(read("nidos", data)) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


def test_cp1252_names_with_typographic_quotes():
    data = csv("Gemeente;Capaciteit", "Gemeente \u2019s-Hertogenbosch;5", "S\u00fadwest-Frysl\u00e2n;3",
               "\u2018s-Hertogenbosch;2", encoding="cp1252", end="\r\n")
    result = read("kcio", data)
    assert figures(result) == {(GEMEENTE_S_HERTOGENBOSCH, *KCIO): 5 + 2, (SUDWEST_FRYSLAN, *KCIO): 3}
    assert [m.code for m in result.meldingen] == ["dubbele_gemeente"]


@pytest.mark.parametrize("lines", [
    ("Gemeente;Plekken;Unnamed: 2;Unnamed: 3", "Assen;5;;", "Emmen;6;;"),
    ("Unnamed: 0;Gemeente;Plekken", "0;Assen;5", "1;Emmen;6"),
    (";Gemeente;Plekken", "0;Assen;5", "1;Emmen;6"),
])
def test_pandas_index_and_unnamed_columns(lines):
    assert figures(read("nidos", csv(*lines))) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 6}


def test_a_header_with_a_line_break():
    def build(wb):
        ws = wb.add_worksheet("Nidos")
        ws.write_row("A1", ["Gemeente", "Kleinschalige\nopvangplekken"])
        ws.write_row("A2", ["Assen", 7])
    assert figures(read("nidos", xlsxw(build))) == {(ASSEN, *NIDOS): 7}
    quoted = csv('Gemeente;"Gerealiseerde\r\nplekken"', "Assen;7", end="\r\n")
    assert figures(read("kcio", quoted)) == {(ASSEN, *KCIO): 7}
    other = read("nidos", csv('Gemeente;"Aantal\nbewoners"', "Assen;7"))
    assert [m.code for m in errors(other)] == ["verplichte_kolom_ontbreekt"]


@pytest.mark.parametrize("text", ["ca. 40", "40+", "> 40", "\u00b140", "40 plekken", "1E3", "12*", "1.083.0"])
def test_approximate_or_annotated_counts_are_a_fout(text):
    result = read("nidos", csv("Gemeente;Plekken", "Assen;12", f"Emmen;{text}"))
    assert figures(result) == {(ASSEN, *NIDOS): 12}
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [("geen_getal", 3, text)]


def test_boolean_and_date_cells_in_a_count_column():
    data = workbook({"N": [["Gemeente", "Plekken"], ["Assen", True], ["Emmen", dt.date(2025, 1, 1)], ["Tynaarlo", 4]]})
    result = read("nidos", data)
    assert figures(result) == {(TYNAARLO, *NIDOS): 4}
    assert [(m.code, m.rij) for m in errors(result)] == [("geen_getal", 2), ("geen_getal", 3)]


def test_a_comma_separated_file_with_bom_and_quoted_thousands():
    data = csv("Gemeente,Capaciteit", 'Assen,"1.083"', "Emmen,12", 'Tynaarlo,"1,083"')
    result = read("kcio", data)
    assert figures(result) == {(ASSEN, *KCIO): 1083, (EMMEN, *KCIO): 12}
    assert [(m.code, m.rij) for m in errors(result)] == [("geen_heel_getal", 4)]


def test_a_footnote_mark_after_a_municipality():
    result = read("nidos", csv("Gemeente;Plekken", "Assen*;12", "Borger-Odoorn **;4", "Emmen;1"))
    assert figures(result) == {(ASSEN, *NIDOS): 12, ("GM1681", *NIDOS): 4, (EMMEN, *NIDOS): 1}


def test_names_with_non_breaking_spaces():
    result = read("kcio", csv("Gemeente;Capaciteit", "Aa\u00a0en\u00a0Hunze;5", "\u00a0Assen\u00a0;3"))
    assert figures(result) == {(AA_EN_HUNZE, *KCIO): 5, (ASSEN, *KCIO): 3}


def test_red_team_files_through_check(tmp_path):
    """The two layouts that gave a wrong figure with exit 0 stop ``opvangkern check`` (exit 1)."""
    runner = CliRunner()
    for name, data in [("bronnen/coa.xlsx", xlsxw(_group("Bezetting"))),
                       ("bronnen/nidos.ods", ods({"N": [["Gemeente", "Plekken"], ["Assen", ("pct", 1)]]}))]:
        folder = _dataset(tmp_path / Path(name).stem, {name: data})
        result = runner.invoke(cli, ["check", str(folder)])
        assert result.exit_code == 1, result.output
        assert ("groepskop" in result.output) or ("'100%'" in result.output)


def test_ods_percentage_runs_follow_repeats_and_covered_cells():
    """Positions as the spreadsheet shows them: a repeated row repeats its percentage cell, a covered cell
    (under a merge) takes its column, and a run is reported once, not expanded."""
    pct = '<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>'
    wide = pct.replace("<table:table-cell ", '<table:table-cell table:number-columns-repeated="5000000" ')
    content = (f'<office:document-content {_NS}><office:body><office:spreadsheet><table:table table:name="A">'
               '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
               '<table:table-row><table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/>'
               f'{pct}</table:table-row>'
               f'<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/>'
               f'{wide}'
               '</table:table-row></table:table>'
               f'<table:table table:name="B"><table:table-row>{pct}</table:table-row></table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    raw = buffer.getvalue()
    from opvangkern.reading.xlsxscan import ods_percent_runs

    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        runs = ods_percent_runs(zf, raw)
    assert runs == {"A": [(4, 1, 2, 1, "50%"), (5, 2, 4, 5_000_000, "50%")], "B": [(1, 1, 0, 1, "50%")]}


@given(st.text(max_size=60))
def test_property_a_split_cell_has_a_code_and_a_name(text):
    pair = split_code_and_name(text)
    if pair is not None:
        code, name = pair
        assert code and name and code in text and name in text
        assert any(ch.isalpha() for ch in name)
