"""Hostile and broken files at the reading level (issue 10, SPEC §5, §6): each input is built here from
scratch (openpyxl, raw zip XML or bytes), put into a copy of the sample dataset in place of one of its
files, and the SPEC's outcome is asserted through ``opvangkern check`` / ``dashboard`` (exit code, no
traceback, the melding's place) and through the Python API (the melding's ``code``, the figures).

Expected figures are the sample's own numbers, added up here by plain arithmetic.
"""

from __future__ import annotations

import csv
import io
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

import opvangkern
from opvangkern.dataset.load import load_dataset

COA_CSV = "bronnen/coa-2025-12-31.csv"
KCIO_CSV = "bronnen/kcio-2025-12-31.csv"
NIDOS_CSV = "bronnen/nidos-2025-12-29.csv"
COA_SUM = 4806  # the sample's COA capacities, all rows (asylum and AMV)


def check_refuses(folder, text: str):
    """``opvangkern check FOLDER``: exit 1, no traceback, and ``text`` in what it prints."""
    result = run("check", folder)
    no_traceback(result)
    assert result.returncode == 1 and text in result.stdout
    return result

def run(*args):
    return subprocess.run([sys.executable, "-m", "opvangkern.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def no_traceback(result):
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def put(folder: Path, old: str, new: str, data: bytes, extra: str = "") -> Path:
    """Replace the manifest's file ``old`` by ``new`` holding ``data`` (``extra``: lines for its entry)."""
    (folder / new).write_bytes(data)
    PUT[:] = [new]
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    assert f'"{old}"' in text
    manifest.write_text(text.replace(f'"{old}"', f'"{new}"' + (f"\n{extra}" if extra else ""), 1), encoding="utf-8")
    return folder / new


PUT: list[str] = []
"""The file ``put`` wrote last: the figures a test looks at are that file's (the sample has a history)."""


@pytest.fixture(autouse=True)
def _nothing_put_yet():
    PUT.clear()


NIDOS_PEIL = "peildatum = 2025-12-29"  # the sample's Nidos file states it in a column; a refused file does not


def coa_rows() -> list[list[object]]:
    """The sample's COA file as a grid: numbers as numbers (``1.010`` is 1010)."""
    text = (Path(opvangkern.sample_path()) / COA_CSV).read_text(encoding="utf-8-sig")
    grid = []
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        grid.append([int(c.replace(".", "")) if c.replace(".", "").isdigit() and i >= 4 else c
                     for i, c in enumerate(row)])
    return grid


def coa_text() -> str:
    return (Path(opvangkern.sample_path()) / COA_CSV).read_text(encoding="utf-8-sig")


def saved(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def coa_workbook(rows=None):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Locaties"
    for row in rows or coa_rows():
        ws.append([None if c == "" else c for c in row])
    return wb


def codes(dataset, ernst="fout"):
    return [m.code for m in dataset.melding_list if m.ernst.value == ernst]


def coa_sum(dataset) -> int:
    return sum(r["aantal"] for r in rows_of(dataset, "coa"))


def rows_of(dataset, bron: str) -> list[dict]:
    """The realisaties rows of source ``bron`` read from the file ``put`` wrote (or, untouched, the
    sample's file of 31 December 2025)."""
    bestand = PUT[0] if PUT else {"coa": COA_CSV, "kcio": KCIO_CSV, "nidos": NIDOS_CSV}[bron]
    return [r for r in dataset.realisaties.to_pylist() if r["bron"] == bron and r["bestand"] == bestand]


def row_of(location: str) -> int:
    """The spreadsheet row of a COA location in the sample's file."""
    return next(i for i, row in enumerate(coa_rows(), 1) if len(row) > 2 and row[2] == location)


# --- error cells and formulas -------------------------------------------------------------------

def test_an_error_cell_in_a_count_is_a_fout_not_an_empty_cell(sample_copy):
    """The issue's case: AZC Assen's 1.010 as ``#N/A`` made the COA sum 3.796 instead of 4.806, exit 0."""
    wb = coa_workbook()
    rij = row_of("AZC Assen")
    wb.active.cell(rij, 5).value = "#N/A"  # openpyxl writes this as an error cell (t="e")
    wb.active.cell(row_of("NOL Assen"), 5).value = "#DIV/0!"
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", saved(wb))
    ds = load_dataset(sample_copy)
    errors = [m for m in ds.melding_list if m.is_error]
    assert {(m.code, m.rij, m.kolom, m.bestand) for m in errors} == {
        ("foutcel", rij, "Capaciteit", "bronnen/coa.xlsx"), ("foutcel", row_of("NOL Assen"), "Capaciteit", "bronnen/coa.xlsx")}
    assert "#N/A" in next(m.waarde for m in errors if m.rij == rij)
    assert coa_sum(ds) == COA_SUM - 1010 - 614  # the other rows are read; the dataset is refused
    for command in ("check", "dashboard"):
        result = run(command, sample_copy)
        no_traceback(result)
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"rij {rij}" in result.stdout + result.stderr and "#N/A" in result.stdout + result.stderr


def test_a_formula_without_a_cached_value_is_a_fout(sample_copy):
    """openpyxl (and other writers) store a formula without its result: calamine reads it as empty."""
    wb = coa_workbook()
    rij = row_of("AZC Emmen 1")
    wb.active.cell(rij, 5).value = "=300+51"
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", saved(wb))
    ds = load_dataset(sample_copy)
    assert codes(ds) == ["formule_zonder_waarde"]
    assert [m.rij for m in ds.melding_list if m.is_error] == [rij]
    check_refuses(sample_copy, "=300+51")


def test_error_cells_in_a_column_that_is_not_read_change_nothing(sample_copy):
    rows = coa_rows()
    rows[3].append("Opmerking")
    rows[4].append("#REF!")
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", saved(coa_workbook(rows)))
    ds = load_dataset(sample_copy)
    assert codes(ds) == [] and coa_sum(ds) == COA_SUM
    assert run("check", sample_copy).returncode == 0


def test_a_formula_in_a_totals_row_is_a_warning(sample_copy):
    rows = coa_rows() + [["Totaal", None, None, None, "=SUM(E5:E27)"]]
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", saved(coa_workbook(rows)))
    ds = load_dataset(sample_copy)
    assert codes(ds) == [] and "foutcel_in_totaalrij" in codes(ds, "waarschuwing")
    assert coa_sum(ds) == COA_SUM


def test_an_error_cell_written_as_raw_xml_with_a_prefix_is_found(sample_copy):
    """The scan reads the XML itself: namespace prefixes and cells without a formula count too."""
    data = raw_xlsx('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Gemeente</x:t></x:is></x:c>'
                    '<x:c r="B1" t="inlineStr"><x:is><x:t>Kleinschalige opvangplekken</x:t></x:is></x:c></x:row>'
                    '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>Assen</x:t></x:is></x:c>'
                    '<x:c r="B2" t="e"><x:v>#VALUE!</x:v></x:c></x:row>', prefix="x:")
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.xlsx", data, NIDOS_PEIL)
    ds = load_dataset(sample_copy)
    assert [(m.code, m.rij, m.waarde) for m in ds.melding_list if m.is_error] == [("foutcel", 2, "foutwaarde #VALUE!")]


# --- merged cells and hidden sheets -------------------------------------------------------------

def test_a_number_merged_over_two_rows_counts_once(sample_copy):
    wb = coa_workbook()
    first = row_of("AZC Hoogeveen 1")
    wb.active.cell(first + 1, 5).value = None
    wb.active.merge_cells(start_row=first, start_column=5, end_row=first + 1, end_column=5)
    wb.active.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)  # the name too
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", saved(wb))
    ds = load_dataset(sample_copy)
    assert codes(ds) == []
    got = {r["rij"]: r["aantal"] for r in rows_of(ds, "coa")}
    assert got[first] == 476 and first + 1 not in got
    assert coa_sum(ds) == COA_SUM - 476  # Hoogeveen 2's 476 was the merged cell's: once
    result = run("check", sample_copy)
    assert result.returncode == 0 and f"som van de aantallen: {COA_SUM - 476:,}".replace(",", ".") in result.stdout


def test_a_hidden_first_sheet_is_not_read(sample_copy):
    wb = coa_workbook()
    hidden = wb.create_sheet("Oud", 0)
    for row in coa_rows():
        hidden.append([c * 10 if isinstance(c, int) else (None if c == "" else c) for c in row])
    hidden.sheet_state = "hidden"
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", saved(wb))
    ds = load_dataset(sample_copy)
    assert codes(ds) == [] and coa_sum(ds) == COA_SUM
    assert {r["blad"] for r in rows_of(ds, "coa")} == {"Locaties"}
    assert run("check", sample_copy).returncode == 0
    # named in the manifest, a hidden sheet is read
    manifest = sample_copy / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"bronnen/coa.xlsx"', '"bronnen/coa.xlsx"\nblad = "Oud"'),
                        encoding="utf-8")
    assert coa_sum(load_dataset(sample_copy)) == COA_SUM * 10


def test_a_workbook_with_only_hidden_sheets_is_a_fout(sample_copy):
    """openpyxl refuses to write such a workbook: the sheet is hidden in its XML afterwards."""
    data = saved(coa_workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/workbook.xml":
                assert b'state="visible"' in part
                part = part.replace(b'state="visible"', b'state="hidden"')
            z.writestr(info.filename, part)
    put(sample_copy, COA_CSV, "bronnen/coa.xlsx", out.getvalue(), "peildatum = 2025-12-31")
    ds = load_dataset(sample_copy)
    assert codes(ds) == ["alleen_verborgen_bladen"]
    result = run("check", sample_copy)
    assert result.returncode == 1 and "Locaties" in result.stdout and "blad =" in result.stdout


# --- limits --------------------------------------------------------------------------------------

def raw_xlsx(sheet_data: str, dimension: str | None = None, prefix: str = "", extra: dict[str, bytes] | None = None,
             sheet_xml: bytes | None = None) -> bytes:
    """A minimal XLSX written by hand: one sheet ``Blad1`` with ``sheet_data`` inside ``<sheetData>``."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    p = prefix
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    xmlns = f'xmlns:{p[:-1]}="{ns}"' if p else f'xmlns="{ns}"'
    sheet = sheet_xml or (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dim}<{p}sheetData>'
                          f'{sheet_data}</{p}sheetData></{p}worksheet>').encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Gemeente</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>Plekken</t></is></c></row>'
              '<row r="2"><c r="A2" t="inlineStr"><is><t>Assen</t></is></c><c r="B2"><v>5</v></c></row>')


@pytest.mark.parametrize("case, sheet_data, dimension", [
    ("cellen op A1 en XFD1048576", HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', None),
    ("opgegeven afmeting A1:XFD1048576", HEADER_ROW, "A1:XFD1048576"),
    ("2000 kolommen zonder celverwijzing", HEADER_ROW + '<row r="3">' + "<c><v>1</v></c>" * 2000 + "</row>", None),
    ("rij 2.000.000", HEADER_ROW + '<row r="2000000"><c r="A2000000"><v>1</v></c></row>', None),
    ("60.000 rijen bij 1.000 kolommen", HEADER_ROW + '<row r="60000"><c r="ALL60000"><v>1</v></c></row>', None),
])
def test_absurd_dimensions_are_refused_before_the_cells_are_read(sample_copy, case, sheet_data, dimension):
    """Before the fix, the first case aborted the process (a Rust allocation of 512 GiB)."""
    data = raw_xlsx(sheet_data, dimension)
    assert len(data) < 5000
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.xlsx", data, NIDOS_PEIL)
    result = run("check", sample_copy)
    no_traceback(result)
    assert result.returncode == 1, (case, result.returncode, result.stderr[-500:])
    assert "bronnen/nidos.xlsx" in result.stdout and "kolommen" in result.stdout
    ds = load_dataset(sample_copy)
    assert codes(ds) == ["werkboek_te_groot"]
    assert not rows_of(ds, "nidos")


def test_a_wide_but_sensible_sheet_is_read(sample_copy):
    """900.000 rijen bij 52 kolommen is under 50 million cells: the limit does not refuse it."""
    data = raw_xlsx(HEADER_ROW + '<row r="900000"><c r="AZ900000" t="inlineStr"><is><t>x</t></is></c></row>')
    from opvangkern.reading.sheet import read_grids

    grids, meldingen = read_grids(data, "breed.xlsx")
    assert not meldingen and grids[0].rows[1] == (2, ("Assen", 5.0) + ("",) * 50)


def bomb(declared_honestly: bool) -> bytes:
    """An XLSX with a part that unpacks to 250 MB of spaces (about 250 KB packed); optionally with
    headers that claim it holds 1 KB."""
    base = raw_xlsx(HEADER_ROW)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                    compresslevel=9) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        with z.open("xl/sharedStrings.xml", "w") as f:
            chunk = b" " * 1_000_000
            for _ in range(250):
                f.write(chunk)
    data = bytearray(out.getvalue())
    if not declared_honestly:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            head = z.getinfo("xl/sharedStrings.xml").header_offset
            start_dir = z.start_dir
        struct.pack_into("<I", data, head + 22, 1000)  # the local header's uncompressed size
        i = data.find(b"PK\x01\x02", start_dir)
        while i >= 0:
            n = struct.unpack("<H", data[i + 28:i + 30])[0]
            if bytes(data[i + 46:i + 46 + n]) == b"xl/sharedStrings.xml":
                struct.pack_into("<I", data, i + 24, 1000)  # the directory's uncompressed size
            i = data.find(b"PK\x01\x02", i + 4)
    return bytes(data)


@pytest.mark.parametrize("honest", [True, False])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(sample_copy, honest):
    data = bomb(honest)
    assert len(data) < 1_000_000
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.xlsx", data, NIDOS_PEIL)
    check_refuses(sample_copy, "200 MB")
    assert codes(load_dataset(sample_copy)) == ["werkboek_te_groot"]


def test_a_value_echoed_in_a_melding_is_cut_to_100_characters(sample_copy):
    text = coa_text().replace("Midden-Drenthe;1731", "Midden-Drenthe" + "x" * 50_000 + ";1731", 1)
    put(sample_copy, COA_CSV, "bronnen/coa-lang.csv", text.encode("utf-8"))
    ds = load_dataset(sample_copy)
    assert codes(ds)
    for m in ds.melding_list:
        assert len(m.waarde or "") <= 100 and len(m.melding) <= 1000
    result = run("check", sample_copy)
    assert result.returncode == 1 and len(result.stdout) < 10_000


# --- CSV -----------------------------------------------------------------------------------------

def test_one_stray_quote_no_longer_swallows_the_rest_of_the_file(sample_copy):
    """Before: 2 rows read, the asylum card 87, exit 0."""
    text = coa_text().replace("Assen;0106;AZC Assen", 'Assen;0106;"AZC Assen', 1)
    put(sample_copy, COA_CSV, "bronnen/coa-quote.csv", text.encode("utf-8"))
    ds = load_dataset(sample_copy)
    errors = [m for m in ds.melding_list if m.is_error]
    assert [(m.code, m.rij) for m in errors] == [("csv_aanhalingsteken", row_of("AZC Assen"))]
    assert coa_sum(ds) == COA_SUM - 1010  # every other row is read
    check_refuses(sample_copy, f"rij {row_of('AZC Assen')}")
    assert run("dashboard", sample_copy).returncode == 1


def test_a_quote_that_closes_lines_later_is_a_fout_for_its_row(sample_copy):
    text = coa_text().replace("Emmen;0114;AZC Emmen 1", '"Emmen;0114;AZC Emmen 1', 1)
    text = text.replace("Emmen;0114;KWE Emmen", 'Emmen";0114;KWE Emmen', 1)
    put(sample_copy, COA_CSV, "bronnen/coa-quote.csv", text.encode("utf-8"))
    ds = load_dataset(sample_copy)
    assert ("csv_aanhalingsteken", row_of("AZC Emmen 1")) in [(m.code, m.rij) for m in ds.melding_list if m.is_error]
    assert run("check", sample_copy).returncode == 1


def test_a_field_longer_than_the_parser_limit_is_a_fout_not_a_vanished_row(sample_copy):
    text = coa_text().replace("TGO De Wolden", "TGO De Wolden" + "x" * 140_000, 1)
    put(sample_copy, COA_CSV, "bronnen/coa-veld.csv", text.encode("utf-8"))
    ds = load_dataset(sample_copy)
    assert [(m.code, m.rij) for m in ds.melding_list if m.is_error] == [("csv_veld_te_lang", row_of("TGO De Wolden"))]
    assert coa_sum(ds) == COA_SUM - 44
    assert run("check", sample_copy).returncode == 1


def test_a_nul_byte_after_the_first_4_kib_is_a_fout(sample_copy):
    lines = coa_text().splitlines()
    lines.insert(1, "Toelichting: " + "bla " * 1200)  # the NUL lies beyond the first 4 KiB
    text = "\n".join(lines) + "\n"
    text = text.replace("Westerveld;1701;TGO Westerveld;TGO;38", "Westerveld;1701;TGO Westerveld;TGO;3\x008", 1)
    data = text.encode("utf-8")
    assert data.index(b"\x00") > 4096
    put(sample_copy, COA_CSV, "bronnen/coa-nul.csv", data)
    ds = load_dataset(sample_copy)
    assert [m.code for m in ds.melding_list if m.is_error] == ["nul_teken"]
    assert coa_sum(ds) == COA_SUM - 38
    result = run("check", sample_copy)
    no_traceback(result)
    assert result.returncode == 1 and "\x00" not in result.stdout


# --- sums ----------------------------------------------------------------------------------------

def test_a_municipality_in_two_rows_of_kcio_is_summed_with_a_warning(sample_copy):
    text = (Path(opvangkern.sample_path()) / KCIO_CSV).read_text(encoding="utf-8-sig")
    text = text.replace('Drenthe,Assen,"819","717"', 'Drenthe,Assen,"819","717"\nDrenthe,Assen,"10","9"', 1)
    put(sample_copy, KCIO_CSV, "bronnen/kcio-dubbel.csv", text.encode("utf-8"))
    ds = load_dataset(sample_copy)
    warnings = [m for m in ds.melding_list if m.code == "dubbele_gemeente"]
    assert len(warnings) == 1 and warnings[0].ernst.value == "waarschuwing"
    assert "rij 5, 6" in warnings[0].melding and "829" in warnings[0].melding
    assert sum(r["aantal"] for r in rows_of(ds, "kcio") if r["gemeentecode"] == "GM0106") == 829
    result = run("check", sample_copy)
    assert result.returncode == 0 and "Assen (GM0106) staat in 2 rijen" in result.stdout


def test_coa_sums_locations_without_a_warning(sample_copy):
    ds = load_dataset(sample_copy)
    assert not [m for m in ds.melding_list if m.code == "dubbele_gemeente"]


def test_counts_whose_sum_passes_2_to_the_53_are_a_fout_never_an_overflow(sample_copy):
    big = 2**53
    text = (Path(opvangkern.sample_path()) / NIDOS_CSV).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[2:3] = [f"29-12-2025,GM0106,Assen,{big}", f"29-12-2025,GM0114,Emmen,{big}"]
    put(sample_copy, NIDOS_CSV, "bronnen/nidos-groot.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    ds = load_dataset(sample_copy)
    assert "som_te_groot" in codes(ds)
    assert not rows_of(ds, "nidos")
    for command in ("check", "dashboard"):
        result = run(command, sample_copy)
        no_traceback(result)
        assert result.returncode == 1, result.stdout + result.stderr


def test_targets_too_large_for_a_float_are_a_fout(sample_copy):
    path = sample_copy / "opgaven" / "asiel-2026-02-01.csv"
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if "Gemeente" in line or "gemeente" in line)
    sep = ";" if ";" in lines[header] else ","
    first = lines[header + 1].split(sep)
    first[-1] = "9" * 300
    lines[header + 1] = sep.join(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = load_dataset(sample_copy)
    assert codes(ds)  # a fout at the cell (too large), never inf in a sum
    for command in ("check", "dashboard"):
        result = run(command, sample_copy)
        no_traceback(result)
        assert result.returncode == 1, result.stdout + result.stderr


@pytest.mark.parametrize("digits", [309, 400, 5000])
def test_a_count_with_more_digits_than_a_float_holds_is_a_fout_at_its_cell(sample_copy, digits):
    """Right under the header, where the reader asks whether the row is the header's second row: once an
    ``OverflowError`` that became a ``bestand_onleesbaar`` naming no row or column."""
    huge = "9" * digits
    text = (Path(opvangkern.sample_path()) / KCIO_CSV).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if "Gerealiseerde plekken" in line)
    columns = lines[header].split(",")
    first = lines[header + 1].split(",")
    first[columns.index("Gerealiseerde plekken")] = huge
    lines[header + 1] = ",".join(first)
    put(sample_copy, KCIO_CSV, "bronnen/kcio-groot.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    ds = load_dataset(sample_copy, cache=False)
    [fout] = [m for m in ds.melding_list if m.ernst.value == "fout"]
    assert (fout.code, fout.bestand, fout.rij, fout.kolom) == ("aantal_te_groot", "bronnen/kcio-groot.csv",
                                                               header + 2, "Gerealiseerde plekken")
    assert fout.waarde and fout.waarde.startswith("999")
    result = run("check", sample_copy)
    no_traceback(result)
    assert result.returncode == 1 and "onwaarschijnlijk groot aantal" in result.stdout


def ods(rows_xml: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one table ``Blad1``."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="Blad1">' + rows_xml +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:'
                   'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return buffer.getvalue()


def ods_cell(value: str, kind: str = "string", repeat: int = 1) -> str:
    extra = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    number = f' office:value="{value}"' if kind == "float" else ""
    return f'<table:table-cell{extra} office:value-type="{kind}"{number}><text:p>{value}</text:p></table:table-cell>'


ODS_HEADER = f"<table:table-row>{ods_cell('Gemeente')}{ods_cell('Kleinschalige opvangplekken')}</table:table-row>"


def test_an_ods_that_repeats_a_value_over_25_million_cells_is_refused(sample_copy):
    """1.5 KB that python-calamine expands to 5,000 × 5,000 cells with a value."""
    data = ods(ODS_HEADER + f'<table:table-row table:number-rows-repeated="5000">{ods_cell("1", "float", 5000)}'
               "</table:table-row>")
    assert len(data) < 2000
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.ods", data, NIDOS_PEIL)
    check_refuses(sample_copy, "5.000 kolommen")
    assert codes(load_dataset(sample_copy)) == ["werkboek_te_groot"]


def test_an_ods_with_the_empty_repeats_libreoffice_writes_is_read(sample_copy):
    data = ods(ODS_HEADER + f"<table:table-row>{ods_cell('Assen')}{ods_cell('33', 'float')}"
               '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
               '<table:table-row table:number-rows-repeated="1048573"><table:table-cell '
               'table:number-columns-repeated="16384"/></table:table-row>')
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.ods", data, NIDOS_PEIL)
    ds = load_dataset(sample_copy)
    assert codes(ds) == []
    assert [(r["gemeentecode"], r["aantal"]) for r in rows_of(ds, "nidos")] == [("GM0106", 33)]


def test_a_long_shared_string_in_200_000_cells_is_refused(sample_copy):
    """One 30,000-character shared string referenced by 200,000 cells: 6 GB once copied into every cell
    (before the fix python-calamine aborted the process); the file is about 1 MB."""
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(3, 200_003))
    shared = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<si><t>' + "x" * 30_000 + "</t></si></sst>")
    data = _with_shared_strings(raw_xlsx(HEADER_ROW + rows), shared.encode())
    assert len(data) < 2_000_000
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.xlsx", data, NIDOS_PEIL)
    check_refuses(sample_copy, "200 MB")
    assert codes(load_dataset(sample_copy)) == ["werkboek_te_groot"]


def _with_shared_strings(data: bytes, shared: bytes) -> bytes:
    """``data`` with a shared strings part linked from the workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                part = part.replace(b"</Relationships>", b'<Relationship Id="rId2" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            z.writestr(info.filename, part)
        z.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def test_an_ods_repeating_a_long_text_is_refused(sample_copy):
    data = ods(ODS_HEADER + f'<table:table-row table:number-rows-repeated="1000">{ods_cell("x" * 30_000, "string", 900)}'
               "</table:table-row>")
    put(sample_copy, NIDOS_CSV, "bronnen/nidos.ods", data, NIDOS_PEIL)
    check_refuses(sample_copy, "200 MB")


def test_a_file_over_200_mb_is_not_read(sample_copy):
    """A sparse file: 250 MB on paper, nothing on disk; refused before it is read."""
    path = put(sample_copy, COA_CSV, "bronnen/coa-groot.csv", coa_text().encode("utf-8"), "peildatum = 2025-12-31")
    with path.open("r+b") as f:
        f.truncate(250_000_000)
    ds = load_dataset(sample_copy)
    assert codes(ds) == ["bestand_te_groot"]
    check_refuses(sample_copy, "200 MB")


def test_a_csv_line_with_thousands_of_fields_is_a_fout_for_that_line(sample_copy):
    text = coa_text().replace("Meppel;0119;NOL Meppel;noodopvang;192;173", "Meppel;0119;NOL Meppel;noodopvang;192;173"
                              + ";" * 5000, 1)
    put(sample_copy, COA_CSV, "bronnen/coa-breed.csv", text.encode("utf-8"))
    ds = load_dataset(sample_copy)
    assert [(m.code, m.rij) for m in ds.melding_list if m.is_error] == [("csv_te_breed", row_of("NOL Meppel"))]
    assert coa_sum(ds) == COA_SUM - 192


def test_an_error_cell_in_a_quota_workbook_is_a_fout(sample_copy):
    """The quota reader shares the kit: a target that is ``#REF!`` is no missing target."""
    import openpyxl

    text = (Path(opvangkern.sample_path()) / "opgaven/asiel-2026-02-01.csv").read_text(encoding="utf-8-sig")
    wb = openpyxl.Workbook()
    for i, row in enumerate(csv.reader(io.StringIO(text))):
        wb.active.append([row[0], row[1], int(row[2]) if i else row[2]])
    wb.active["C3"] = "#REF!"  # Assen's 1000
    put(sample_copy, "opgaven/asiel-2026-02-01.csv", "opgaven/asiel-2026-02-01.xlsx", saved(wb))
    ds = load_dataset(sample_copy)
    assert [(m.code, m.rij, m.kolom) for m in ds.melding_list if m.is_error] == [("foutcel", 3, "Opgave")]
    assert not [r for r in ds.opgaven.to_pylist() if r["gebied_code"] == "GM0106"
                and r["bestand"] == "opgaven/asiel-2026-02-01.xlsx"]
    assert run("check", sample_copy).returncode == 1
