"""Rows struck through in an OpenDocument spreadsheet (LibreOffice, the open standard Dutch governments use).

The thirteenth session refused a struck-through row of an XLSX file (``rij_doorgestreept``); an ODS file's
struck cells counted with exit 0, because python-calamine gives the values, not the styles. LibreOffice strikes
a cell through with its cell style (``style:text-line-through-style``), an automatic style in ``content.xml``
or a named style in ``styles.xml``, inherited through ``style:parent-style-name``; a cell without a style takes
its column's default cell style. Each figure below is worked out by plain arithmetic in the test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.dataset.load import load_dataset
from opvangkern.model import Severity
from opvangkern.testing import load_module

from .test_probes_formats import n, ods, t, table

_HERE = Path(__file__).parent
_PROBES = load_module(_HERE / "test_probes.py", "_probes_for_ods_struck")
ASSEN, EMMEN, TYNAARLO, NIDOS, KCIO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO, _PROBES.NIDOS, _PROBES.KCIO
errors, figures, read, where = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where

# LibreOffice's automatic cell styles: ce1 plain, ce2 struck through, ce3 a child of a struck named style,
# ce4 a child that lifts its parent's strike ("none")
STYLES = ('<office:automatic-styles>'
          '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"/>'
          '<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Default">'
          '<style:text-properties style:text-line-through-style="solid" style:text-line-through-width="auto" '
          'style:text-line-through-color="font-color"/></style:style>'
          '<style:style style:name="ce3" style:family="table-cell" style:parent-style-name="Vervallen"/>'
          '<style:style style:name="ce4" style:family="table-cell" style:parent-style-name="Vervallen">'
          '<style:text-properties style:text-line-through-style="none"/></style:style>'
          '</office:automatic-styles>')
NAMED = ('<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
         'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:styles>'
         '<style:style style:name="Vervallen" style:family="table-cell" style:parent-style-name="Default">'
         '<style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/>'
         '</style:style></office:styles></office:document-styles>')


def styled(style: str, cell: str) -> str:
    return cell.replace("<table:table-cell ", f'<table:table-cell table:style-name="{style}" ', 1)


def row(*cells: str) -> str:
    return f"<table:table-row>{''.join(cells)}<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"


def with_named_styles(data: bytes) -> bytes:
    """The same file with ``styles.xml`` holding the named style ``Vervallen`` (struck through)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("styles.xml", NAMED)
    return out.getvalue()


def nidos(*rows: str, named: bool = False) -> bytes:
    data = ods(table("Nidos", row(t("Overzicht kleinschalige opvang AMV")), row(t("Stand per 31 december 2025")),
                     row(t("Gemeente"), t("Plekken")), *rows), styles=STYLES)
    return with_named_styles(data) if named else data


def test_a_struck_row_in_ods_is_a_fout_and_never_counts():
    """Was wrong: Tynaarlo's struck row counted 3 with exit 0. 5 + 7 is what the file holds."""
    data = nidos(row(t("Assen"), n(5)), row(t("Emmen"), styled("ce1", n(7))),
                 row(styled("ce2", t("Tynaarlo")), styled("ce2", n(3))))
    result = read("nidos", data, "nidos.ods")
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
    assert [where(m) for m in errors(result)] == [("fout", "rij_doorgestreept", "nidos.ods", "Nidos", 6, "Gemeente",
                                                   "Tynaarlo")]
    assert result.stats.rijen_afgewezen == 1


def test_a_struck_count_alone_and_a_named_parent_style_are_found():
    data = nidos(row(t("Assen"), n(5)), row(t("Emmen"), styled("ce3", n(7))), row(t("Tynaarlo"), n(3)), named=True)
    result = read("nidos", data, "nidos.ods")
    assert figures(result) == {(ASSEN, *NIDOS): 5, (TYNAARLO, *NIDOS): 3}
    assert [where(m) for m in errors(result)] == [("fout", "rij_doorgestreept", "nidos.ods", "Nidos", 5, "Plekken",
                                                   "7")]


def test_a_child_style_that_lifts_the_strike_and_a_struck_note_change_nothing():
    data = nidos(row(t("Assen"), styled("ce4", n(5))), row(t("Emmen"), n(7)), row(t("Tynaarlo"), n(3)), row(),
                 row(styled("ce2", t("* oude opmerking: Tynaarlo had 4"))), named=True)
    result = read("nidos", data, "nidos.ods")
    assert not errors(result)
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7, (TYNAARLO, *NIDOS): 3}


def test_a_column_struck_by_its_default_style_and_repeated_rows():
    """A column whose default cell style is struck: its unstyled cells are struck; a struck row repeated twice is
    found in both rows it covers."""
    body = (f'<table:table table:name="KCIO"><table:table-column/>'
            f'<table:table-column table:default-cell-style-name="ce2"/><table:table-column/>'
            f'{row(t("Gemeente"), styled("ce1", t("Oud")), t("Capaciteit"))}'
            f'{row(t("Assen"), n(9), n(5))}'
            f'<table:table-row table:number-rows-repeated="2">{styled("ce2", t("Emmen"))}{n(1)}{styled("ce2", n(7))}'
            f'</table:table-row></table:table>')
    data = ods(body, styles=STYLES)
    from opvangkern.reading.xlsxscan import ods_struck_runs

    assert ods_struck_runs(zipfile.ZipFile(io.BytesIO(data)), data) == {
        "KCIO": [(2, 1, 1, 1), (3, 2, 0, 1), (3, 2, 1, 1), (3, 2, 2, 1)]}
    result = read("kcio", data, "kcio.ods")
    # the struck column `Oud` is not read: Assen's capacity counts; Emmen's two struck rows are refused
    assert figures(result) == {(ASSEN, *KCIO): 5}
    assert [(m.code, m.rij, m.kolom) for m in errors(result)] == [("rij_doorgestreept", 3, "Gemeente"),
                                                                  ("rij_doorgestreept", 4, "Gemeente")]


def test_a_struck_row_of_an_ods_quota_file_refuses_the_dataset(tmp_path):
    quota = ods(table("Opgave", row(t("Taakstelling Nidos")), row(t("Gemeente"), t("Opgave")),
                      row(t("Assen"), n(10)), row(t("Emmen"), n(6)),
                      row(styled("ce2", t("Emmen")), styled("ce2", n(4)))), styles=STYLES)
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.xlsx": _PROBES.workbook({"N": [["Gemeente", "Plekken"],
                                                                                   ["Assen", 5]]})})
    (folder / "opgaven" / "nidos_amv.ods").write_bytes(quota)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("opgaven/nidos_amv.xlsx", "opgaven/nidos_amv.ods"),
                        encoding="utf-8")
    ds = load_dataset(folder)
    [fout] = [m for m in ds.melding_list if m.ernst is Severity.FOUT]
    assert where(fout) == ("fout", "rij_doorgestreept", "opgaven/nidos_amv.ods", "Opgave", 5, "Gemeente", "Emmen")
    emmen = [r["aantal"] for r in ds.opgaven.to_pylist() if r["opgave"] == "nidos_amv" and r["gebied_code"] == EMMEN]
    assert emmen == [6]


@given(st.lists(st.lists(st.tuples(st.sampled_from(["ce1", "ce2", "ce3", "ce4", None]), st.integers(1, 3)),
                         min_size=1, max_size=4), min_size=1, max_size=5), st.integers(1, 3))
@settings(max_examples=60, deadline=None)
def test_fuzz_struck_runs_are_the_struck_cells(rows, row_repeat):
    """Every run found is a struck cell the file declares, and every struck cell is in a run."""
    expected, body, r = set(), [], 1
    struck = {"ce2", "ce3"}
    for i, cells in enumerate(rows):
        reps = row_repeat if i == 0 else 1
        c, parts = 0, []
        for style, count in cells:
            attr = f' table:style-name="{style}"' if style else ""
            parts.append(f'<table:table-cell{attr} table:number-columns-repeated="{count}" office:value-type="float" '
                         f'office:value="1"><text:p>1</text:p></table:table-cell>')
            if style in struck:
                expected |= {(rr, cc) for rr in range(r, r + reps) for cc in range(c, c + count)}
            c += count
        attr = f' table:number-rows-repeated="{reps}"' if reps > 1 else ""
        body.append(f"<table:table-row{attr}>{''.join(parts)}</table:table-row>")
        r += reps
    data = with_named_styles(ods(f'<table:table table:name="T">{"".join(body)}</table:table>', styles=STYLES))
    from opvangkern.reading.xlsxscan import ods_struck_runs

    runs = ods_struck_runs(zipfile.ZipFile(io.BytesIO(data)), data).get("T", [])
    found = {(rr, cc) for row0, nrows, col0, ncols in runs for rr in range(row0, row0 + nrows)
             for cc in range(col0, col0 + ncols)}
    assert found == expected


# --- XLSX: a text struck in the cell's editor (rich text), not by the cell's font ---------------------------------

def rich_book(rows: list[list], runs: dict[tuple[int, int], list[tuple[str, bool]]]) -> bytes:
    """An XLSX file whose cells ``runs`` (row, column 1-based) hold rich text: ``(text, struck)`` per run."""
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    for row in rows:
        ws.append(row)
    for (r, c), parts in runs.items():
        ws.cell(r, c).value = CellRichText(*[TextBlock(InlineFont(strike=struck), text) for text, struck in parts])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_xlsx_name_struck_as_rich_text_is_refused_and_one_struck_word_is_not():
    """Was wrong: Tynaarlo, struck in the cell's editor (every run struck), counted 3 with exit 0. A name with only
    a part struck (``Em`` plain, ``men`` struck) is not struck through as a whole, nor is a struck blank run."""
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7], ["Tynaarlo", 3]]
    data = rich_book(rows, {(3, 1): [("Assen", False), (" ", True)], (4, 1): [("Em", False), ("men", True)],
                             (5, 1): [("Tynaarlo", True)]})
    result = read("nidos", data)
    assert [where(m) for m in errors(result)] == [("fout", "rij_doorgestreept", "nidos.xlsx", "Blad1", 5, "Gemeente",
                                                   "Tynaarlo")]
    assert result.stats.rijen_afgewezen == 1
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


def test_an_xlsx_shared_string_struck_as_rich_text_is_refused():
    """Excel keeps rich text in the shared strings (xlsxwriter writes it so too): the same refusal."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Blad1")
    strike, plain = wb.add_format({"font_strikeout": True}), wb.add_format({})
    for r, (name, count) in enumerate([("Gemeente", "Plekken"), ("Assen", 5), ("Emmen", 7), ("Tynaarlo", 3)]):
        ws.write(r, 1, count)
        ws.write(r, 0, name)
    ws.write_rich_string(3, 0, strike, "Tynaar", strike, "lo")
    ws.write_rich_string(2, 0, plain, "Em", strike, "men")
    wb.close()
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<strike" in z.read("xl/sharedStrings.xml")
    result = read("nidos", data)
    assert [where(m) for m in errors(result)] == [("fout", "rij_doorgestreept", "nidos.xlsx", "Blad1", 4, "Gemeente",
                                                   "Tynaarlo")]
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}
