"""``--format xlsx``: one workbook, a sheet per table, Dutch labels as headers, numbers and dates as such,
Dutch display formats, frozen header, autofilter, column widths, the same bytes for the same tables, and
text that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

import opvangkern
from opvangkern import tables
from opvangkern.output.writers_xlsx import xlsx_bytes


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "opvangkern.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def dash():
    return opvangkern.open_dataset().dashboard(gebied="PV22")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    target = tmp_path_factory.mktemp("xlsx") / "dashboard.xlsx"
    result = run("dashboard", "--format", "xlsx", "--output", target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.is_file()
    return openpyxl.load_workbook(target), target


def test_a_sheet_per_table_with_dutch_labels(workbook, dash):
    book, _ = workbook
    assert book.sheetnames == [*dash.tables(), "toelichting"]
    for name, table in dash.tables().items():
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header == [f.metadata[b"label"].decode() for f in table.schema], name
        assert sheet.max_row == table.num_rows + 1, name


def test_numbers_and_dates_are_cells_of_their_type(workbook, dash):
    book, _ = workbook
    sheet = book["kaarten"]
    names = dash.kaarten.column_names
    first = dash.kaarten.slice(0, 1).to_pylist()[0]
    row = {name: cell for name, cell in zip(names, sheet[2])}
    assert row["realisatie"].value == first["realisatie"] and isinstance(row["realisatie"].value, int)
    assert row["indicatief_schema"].value == pytest.approx(first["indicatief_schema"])
    assert isinstance(row["startdatum"].value, dt.datetime)
    assert row["startdatum"].value.date() == first["startdatum"]
    assert row["startdatum"].number_format == "dd-mm-yyyy"
    assert row["realisatie"].number_format == "#,##0"  # 1.010 in a Dutch Excel
    assert row["realisatiegraad"].number_format == "0.0%"
    assert row["status"].value == first["status"]


def test_the_municipality_sheet_sums_to_the_seed(workbook):
    book, _ = workbook
    sheet = book["gemeenten"]
    header = [c.value for c in sheet[1]]
    column = header.index("Asiel delta")
    values = [r[column].value for r in sheet.iter_rows(min_row=2)]
    assert sum(v for v in values if v is not None) == -459  # the seed's totals row
    realised = [r[header.index("Huisvesting realisatie")].value for r in sheet.iter_rows(min_row=2)]
    assert sum(realised) == 423 and all(isinstance(v, int) for v in realised)


def test_missing_values_are_empty_cells(workbook, dash):
    book, _ = workbook
    sheet = book["gemeenten"]
    header = [c.value for c in sheet[1]]
    amv = header.index("AMV opgave")
    expected = dash.gemeenten.column("amv_opgave").to_pylist()
    got = [r[amv].value for r in sheet.iter_rows(min_row=2)]
    assert got == expected and None in got


def test_frozen_header_autofilter_and_widths(workbook, dash):
    book, _ = workbook
    for name, table in dash.tables().items():
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
        last = openpyxl.utils.get_column_letter(table.num_columns)
        assert sheet.auto_filter.ref.split(":")[1].rstrip("0123456789") == last, name
    widths = book["gemeenten"].column_dimensions
    assert widths["B"].width >= len("Midden-Drenthe")


def test_same_tables_same_bytes(dash, tmp_path):
    assert xlsx_bytes(dash.tables()) == xlsx_bytes(dash.tables())
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("dashboard", "--format", "xlsx", "-o", first).returncode == 0
    assert run("dashboard", "--format", "xlsx", "-o", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == dt.datetime(2000, 1, 1) and properties.title == "Drenthe, stand 31 december 2025"


def test_formula_like_text_is_neutralised(tmp_path):
    meldingen = tables.from_rows(tables.MELDINGEN, [
        {"ernst": "fout", "code": "x", "bestand": "=HYPERLINK(\"http://x\")", "waarde": "-33", "melding": "+1"},
        {"ernst": "fout", "code": "x", "bestand": "@SUM(A1)", "waarde": "gewoon", "melding": "\t=1"},
    ])
    counts = pa.table({"aantal": pa.array([-459, 3], pa.int64())})
    data = xlsx_bytes({"meldingen": meldingen, "getallen": counts})
    target = tmp_path / "m.xlsx"
    target.write_bytes(data)
    book = openpyxl.load_workbook(target)
    rows = list(book["meldingen"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in book["meldingen"][1]]
    assert rows[0][header.index("Bestand")] == "'=HYPERLINK(\"http://x\")"
    assert rows[0][header.index("Waarde")] == "'-33"
    assert rows[1][header.index("Bestand")] == "'@SUM(A1)"
    assert rows[1][header.index("Waarde")] == "gewoon"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    # numbers are numbers, not neutralised text
    assert [r[0] for r in book["getallen"].iter_rows(min_row=2, values_only=True)] == [-459, 3]


def test_the_notes_sheet_describes_every_column(workbook, dash):
    book, _ = workbook
    rows = list(book["toelichting"].iter_rows(values_only=True))
    described = {(r[0], r[1]) for r in rows if r and r[0] in dash.tables()}
    assert described == {(name, f.name) for name, t in dash.tables().items() for f in t.schema}
    assert ("Dataset", "Drenthe, stand 31 december 2025") in {(r[0], r[1]) for r in rows if r}


def test_an_empty_table_is_a_sheet_with_its_header(tmp_path):
    data = xlsx_bytes({"afspraken": tables.empty(tables.AFSPRAKEN)})
    target = tmp_path / "leeg.xlsx"
    target.write_bytes(data)
    sheet = openpyxl.load_workbook(target)["afspraken"]
    assert [c.value for c in sheet[1]] == [f.metadata[b"label"].decode() for f in tables.AFSPRAKEN]
    assert sheet.max_row == 1


def test_xlsx_needs_an_output_file():
    result = run("dashboard", "--format", "xlsx")
    assert result.returncode == 2 and "--output" in result.stderr


def test_xlsx_of_a_dataset_with_errors_writes_nothing(sample_copy, tmp_path):
    kcio = sample_copy / "bronnen" / "kcio-2025-12-31.csv"
    kcio.write_text(kcio.read_text(encoding="utf-8-sig").replace('"430"', '"43%"'), encoding="utf-8")
    target = tmp_path / "uit.xlsx"
    result = run("dashboard", sample_copy, "--format", "xlsx", "--output", target)
    assert result.returncode == 1 and not target.exists()
    assert not list(tmp_path.glob(".*tmp"))
