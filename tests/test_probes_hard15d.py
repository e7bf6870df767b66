"""Hardening (fifteenth session, ``hard15d``): the structure of files as exports and analysts' saves are.

Each file is built here (CSV bytes, openpyxl writing the workbooks) and read through ``read`` of
``tests/test_probes.py`` (fast paths, ``fastscan.careful()`` and the plugin's reference: the same result each way).
Each case asserts the figures per municipality (plain arithmetic here) or the melding with its code and place.

Wrong before this session:
- a workbook with a sheet per month (``november``, ``december``), saved with ``december`` open (its active tab),
  read without ``blad``: the first sheet's figures counted, exit 0, with no more than a warning;
- ``'0106`` in a code column (Excel's text marker left in front of the code by an export or a copy out of the
  formula bar) was an unknown municipality whose melding proposed to skip the row.

Checked here and right already (kept as tests, so that they stay right): ``\\r\\r\\n`` line ends (a Windows tool
writing CRLF in text mode), ``sep=;`` behind a UTF-8 BOM and in quotes, UTF-16 LE/BE with tabs, a header cell
with a line break, a units row (``aantal | %``), a footer line below the totals row, a trailing empty column,
a cp1252 footnote mark (``Capaciteit¹``).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from opvangkern.areas.matching import parse_code
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard15d")
ASSEN, EMMEN, KCIO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.KCIO
errors, figures, read = _PROBES.errors, _PROBES.figures, _PROBES.read
REGULIER = ("asiel", "regulier")
COA_TITLE = "COA - capaciteit per opvanglocatie\nPeildatum: 31-12-2025\n\n"
COA_HEADER = "Gemeente;Locatie;Opvangvorm;Capaciteit;Bezetting\n"
COA_ROWS = "Assen;AZC Assen;regulier;1.010;909\nEmmen;AZC Emmen;regulier;351;316\n"
COA_FIGURES = {(ASSEN, *REGULIER): 1000 + 10, (EMMEN, *REGULIER): 351}


def codes(result) -> list[tuple[str, int | None, str | None]]:
    return [(m.code, m.rij, m.kolom) for m in errors(result)]


# --- the active sheet of a workbook ----------------------------------------------------------------------------

def _months(active: int) -> bytes:
    wb = openpyxl.Workbook()
    for i, (name, places) in enumerate((("november", 900), ("december", 1010))):
        ws = wb.active if i == 0 else wb.create_sheet(name)
        ws.title = name
        for row in (["COA"], ["Peildatum: 31-12-2025"], [], ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
                    ["Assen", "AZC Assen", "regulier", places]):
            ws.append(row)
    wb.active = active
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_saved_on_another_sheet_than_the_first_is_a_fout_naming_it():
    """Before: ``november``'s 900 counted (exit 0, a warning) while the analyst saved the file on ``december``."""
    result = read("coa", _months(active=1))
    [fout] = errors(result)
    assert (fout.code, fout.blad, fout.waarde) == ("ander_blad_niet_gelezen", "november", "december")
    assert 'blad = "december"' in fout.melding and "actieve blad" in fout.melding


def test_blad_names_the_active_sheet_and_it_reads():
    result = read("coa", _months(active=1), blad="december")
    assert errors(result) == [] and figures(result) == {(ASSEN, *REGULIER): 1010}


def test_saved_on_the_first_sheet_the_other_month_stays_a_warning():
    result = read("coa", _months(active=0))
    assert errors(result) == [] and figures(result) == {(ASSEN, *REGULIER): 900}
    assert [m.code for m in result.meldingen] == ["ander_blad_niet_gelezen"]


# --- Excel's text marker in front of a code ----------------------------------------------------------------------

@pytest.mark.parametrize("code, plain", [("'0106", "0106"), ("'GM0106", "GM0106"), ("'106", "106")])
def test_a_leading_apostrophe_is_no_part_of_a_code(code, plain):
    assert parse_code(code) == parse_code(plain) is not None
    assert parse_code("''0106") is None and parse_code("0'106") is None


def test_coa_codes_with_a_leading_apostrophe_are_the_municipalities():
    """Before: ``gebied_onbekend`` for ``'0106``, with the fix to skip the row (its 1010 places)."""
    text = COA_TITLE + ("Gemeentecode;Locatie;Opvangvorm;Capaciteit\n'0106;AZC Assen;regulier;1.010\n"
                        "'0114;AZC Emmen;regulier;351\n")
    result = read("coa", text.encode())
    assert errors(result) == [] and figures(result) == COA_FIGURES


def test_kcio_codes_with_a_leading_apostrophe_are_the_municipalities():
    text = "Stand per 31 december 2025\nGemeentecode;Capaciteit\n'GM0106;1.200\n'0114;5\n"
    result = read("kcio", text.encode())
    assert errors(result) == [] and figures(result) == {(ASSEN, *KCIO): 1200, (EMMEN, *KCIO): 5}


def test_an_apostrophe_before_a_name_that_is_no_code_stays_unknown():
    text = COA_TITLE + "Gemeentecode;Locatie;Opvangvorm;Capaciteit\n'9999;AZC;regulier;10\n'0114;AZC;regulier;351\n"
    result = read("coa", text.encode())
    assert ("gebied_onbekend", 5, "Gemeentecode") in codes(result)
    assert figures(result) == {(EMMEN, *REGULIER): 351}


# --- text files as tools write them (right already) --------------------------------------------------------------

TEXT_FILES = {
    "crcrlf": (COA_TITLE + COA_HEADER + COA_ROWS).replace("\n", "\r\r\n").encode(),
    "bom_sep": ("\ufeffsep=;\n" + COA_TITLE + COA_HEADER + COA_ROWS).encode(),
    "quoted_sep": ('"sep=;"\n' + COA_TITLE + COA_HEADER + COA_ROWS).encode(),
    "utf16le_tabs": ("\ufeff" + (COA_TITLE + COA_HEADER + COA_ROWS).replace(";", "\t")).encode("utf-16-le"),
    "utf16be_tabs": ("\ufeff" + (COA_TITLE + COA_HEADER + COA_ROWS).replace(";", "\t")).encode("utf-16-be"),
    "trailing_tabs": (COA_TITLE + COA_HEADER + COA_ROWS).replace(";", "\t").replace("\n", "\t\t\n").encode(),
    "header_line_break": (COA_TITLE + 'Gemeente;Locatie;Opvangvorm;"Capa-\nciteit";Bezetting\n' + COA_ROWS).encode(),
    "footer": (COA_TITLE + COA_HEADER + COA_ROWS + "Totaal;;;1.361;1.225\nAantal rijen: 2;;;;\n").encode(),
    "units_row": (COA_TITLE + "Gemeente;Locatie;Opvangvorm;Capaciteit;Bezettingsgraad\n;;;aantal;%\n"
                  "Assen;AZC Assen;regulier;1.010;90%\nEmmen;AZC Emmen;regulier;351;90%\n").encode(),
    "cp1252_footnote": (COA_TITLE + "Gemeente;Locatie;Opvangvorm;Capaciteit¹\nAssen;AZC Assen;regulier;1.010\n"
                        "Emmen;AZC Emmen;regulier;351\n").encode("cp1252"),
}


@pytest.mark.parametrize("name", sorted(TEXT_FILES))
def test_text_files_as_tools_write_them(name):
    result = read("coa", TEXT_FILES[name])
    assert errors(result) == [] and figures(result) == COA_FIGURES


# --- a municipality's summary row without a mark (Excel's outline with the summary above the details) ------------

TVS = _PROBES.TVS


def test_tvs_a_summary_row_above_its_locations_counts_once():
    """Before: 50 + 20 + 30 = 100 for Assen and 10 + 10 = 20 for Emmen, exit 0 with ``dubbele_gemeente``."""
    text = "Gemeente;Locatie;Gehuisvest\nAssen;;50\nAssen;Loc A;20\nAssen;Loc B;30\nEmmen;;10\nEmmen;Loc C;10\n"
    result = read("tvs", text.encode())
    assert errors(result) == [] and figures(result) == {(ASSEN, *TVS): 20 + 30, (EMMEN, *TVS): 10}
    warned = [(m.code, m.rij) for m in result.meldingen if m.code == "subtotaal_zonder_kenmerk"]
    assert warned == [("subtotaal_zonder_kenmerk", 2), ("subtotaal_zonder_kenmerk", 5)]


def test_kcio_a_summary_row_below_its_locations_counts_once():
    text = ("Stand per 31 december 2025\nGemeente;Locatie;Capaciteit\nAssen;Hotel A;200\nAssen;Hotel B;100\n"
            "Assen;;300\nEmmen;Hotel C;40\n")
    result = read("kcio", text.encode())
    assert errors(result) == [] and figures(result) == {(ASSEN, *KCIO): 200 + 100, (EMMEN, *KCIO): 40}
    assert [m.rij for m in result.meldingen if m.code == "subtotaal_zonder_kenmerk"] == [5]


def test_a_row_without_a_location_that_is_no_sum_still_counts():
    text = "Gemeente;Locatie;Gehuisvest\nAssen;;5\nAssen;Loc A;20\nAssen;Loc B;30\n"
    result = read("tvs", text.encode())
    assert figures(result) == {(ASSEN, *TVS): 5 + 20 + 30}
    assert not [m for m in result.meldingen if m.code == "subtotaal_zonder_kenmerk"]


def test_one_row_beside_one_equal_row_alone_stays_a_duplicate_warning():
    """A sum over one row is also a duplicate: only when another municipality shows the layout is it a sum."""
    text = "Gemeente;Locatie;Gehuisvest\nAssen;;20\nAssen;Loc A;20\nEmmen;Loc C;10\n"
    result = read("tvs", text.encode())
    assert figures(result) == {(ASSEN, *TVS): 20 + 20, (EMMEN, *TVS): 10}
    assert "dubbele_gemeente" in [m.code for m in result.meldingen]


# --- a quota workbook of two decisions, saved on the second ------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "opvangkern" / "sample" / "drenthe-2025-12-31"
QUOTA = "opgaven/asiel-2026-02-01.csv"


def _decisions(tmp_path: Path, blad: str | None = None) -> Path:
    import csv
    import shutil

    folder = tmp_path / "ds"
    shutil.copytree(SAMPLE, folder)
    rows = list(csv.reader((folder / QUOTA).open(encoding="utf-8")))
    wb = openpyxl.Workbook()
    for i, (name, less) in enumerate((("besluit 2025", 5), ("besluit 2026", 0))):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(rows[0])
        for code, naam, target in rows[1:]:
            ws.append([code, naam, int(target) - less])
    wb.active = 1
    wb.save(folder / QUOTA)  # a workbook under the CSV's name: read by its content
    if blad is not None:
        toml = folder / "opvangkern.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(text.replace(f'bestand = "{QUOTA}"\n', f'bestand = "{QUOTA}"\nblad = "{blad}"\n', 1),
                        encoding="utf-8")
    return folder


def test_a_quota_workbook_saved_on_the_later_decision_is_a_fout_without_blad(tmp_path):
    """Before: every municipality the target of ``besluit 2025`` (5 lower), exit 0 without a melding."""
    from opvangkern.dataset.load import load_dataset

    found = [m for m in load_dataset(_decisions(tmp_path)).meldingen.to_pylist()
             if m["code"] == "ander_blad_niet_gelezen"]
    assert [(m["ernst"], m["blad"], m["waarde"]) for m in found] == [("fout", "besluit 2025", "besluit 2026")]
    assert 'blad = "besluit 2026"' in found[0]["melding"]


def test_a_quota_workbook_with_blad_reads_the_named_decision(tmp_path):
    from opvangkern.dataset.load import load_dataset

    dataset = load_dataset(_decisions(tmp_path, blad="besluit 2026"))
    assert not [m for m in dataset.meldingen.to_pylist() if m["ernst"] == "fout"]
    rows = list(csv_rows((SAMPLE / QUOTA).read_text(encoding="utf-8")))
    want = {code: int(target) for code, _, target in rows[1:]}  # the 2026 sheet holds the file's own targets
    got = {r["gebied_code"]: r["aantal"] for r in dataset.opgaven.to_pylist() if r["bestand"] == QUOTA}
    assert got == want and {r["blad"] for r in dataset.opgaven.to_pylist() if r["bestand"] == QUOTA} == {"besluit 2026"}


def csv_rows(text: str):
    import csv

    return csv.reader(io.StringIO(text))


def _ods_months(active: str) -> bytes:
    import zipfile

    cells = load_module(Path(__file__).with_name("test_probes_cells.py"), "_cells_for_hard15d")
    sheets = {name: [["COA"], ["Peildatum: 31-12-2025"], [], ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
                     ["Assen", "AZC Assen", "regulier", places]]
              for name, places in (("november", 900), ("december", 1010))}
    buffer = io.BytesIO(cells.ods(sheets))
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr("settings.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-settings '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:'
                   'tc:opendocument:xmlns:config:1.0"><office:settings><config:config-item-set config:name='
                   '"ooo:view-settings"><config:config-item config:name="ActiveTable" config:type="string">'
                   f'{active}</config:config-item></config:config-item-set></office:settings>'
                   '</office:document-settings>')
    return buffer.getvalue()


def test_an_ods_saved_on_another_sheet_than_the_first_is_a_fout_naming_it():
    [fout] = errors(read("coa", _ods_months("december"), bestand="coa.ods"))
    assert (fout.code, fout.blad, fout.waarde) == ("ander_blad_niet_gelezen", "november", "december")
    result = read("coa", _ods_months("november"), bestand="coa.ods")
    assert errors(result) == [] and figures(result) == {(ASSEN, *REGULIER): 900}


def test_a_summary_row_with_its_province_beside_it_is_the_subtotal_too():
    """A column with one text in every row of the municipality (``Drenthe``) does not make the summary a location."""
    text = ("Provincie;Gemeente;Locatie;Gehuisvest\nDrenthe;Assen;;50\nDrenthe;Assen;Loc A;20\nDrenthe;Assen;Loc B;30\n"
            "Drenthe;Emmen;Loc C;10\n")
    result = read("tvs", text.encode())
    assert errors(result) == [] and figures(result) == {(ASSEN, *TVS): 20 + 30, (EMMEN, *TVS): 10}
    assert [m.rij for m in result.meldingen if m.code == "subtotaal_zonder_kenmerk"] == [2]


def test_a_number_beside_the_count_does_not_make_the_summary_a_location():
    text = ("Gemeente;Locatie;Gehuisvest;Taakstelling\nAssen;;50;60\nAssen;Loc A;20;\nAssen;Loc B;30;\n"
            "Emmen;Loc C;10;5\n")
    result = read("tvs", text.encode())
    assert errors(result) == [] and figures(result) == {(ASSEN, *TVS): 20 + 30, (EMMEN, *TVS): 10}
