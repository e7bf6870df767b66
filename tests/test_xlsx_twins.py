"""XLSX twins: every CSV of a dataset turned into a workbook the way a spreadsheet user would have it (one
or two extra title rows, the peildatum title as a real date cell, dates as spreadsheet dates, codes and
plain counts as numbers), the manifest pointed at the workbooks. The dashboard must not change, and every
row number (``realisaties.rij``, ``opgaven.rij``, ``meldingen.rij``) moves by exactly the added title rows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

import opvangkern
from opvangkern.dataset.load import load_dataset
from opvangkern.dataset.manifest import MANIFEST_NAME
from opvangkern.reading.sheet import read_grids
from opvangkern.reading.values import ValueProblem, find_date, normalize_name, parse_date

from .test_other_province import FILES as GELDERLAND_FILES
from .test_other_province import MANIFEST as GELDERLAND_MANIFEST

PEIL_LABELS = {"peildatum", "standper", "stand"}


def _title_with_date(text: str) -> list | None:
    """``Peildatum: 31-12-2025`` → ``["Peildatum:", date]``; ``None`` when the text is no such title."""
    try:
        date = find_date(text)
    except ValueProblem:
        return None
    if date is None:
        return None
    for match in re.finditer(r"\d", text):
        label = text[:match.start()].strip()
        if normalize_name(label) in PEIL_LABELS:
            return [label, date]
        break
    return None


def _cell(text: str):
    """A CSV cell as a spreadsheet would hold it."""
    if re.fullmatch(r"GM\d{4}", text):
        return int(text[2:])                                 # a code as a number
    if re.fullmatch(r"\d+", text):
        return int(text)                                     # codes (0106 → 106) and plain counts
    if re.fullmatch(r"\d+,\d+", text):
        return float(text.replace(",", "."))                 # a decimal amount
    if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}", text):
        return parse_date(text)                              # a date cell
    return text or None                                      # text, and 1.010 stays text (numbers as text)


def csv_to_xlsx(raw: bytes, titles: int) -> bytes:
    grids, meldingen = read_grids(raw, "x.csv")
    assert grids and not meldingen
    rows: list[list] = [[f"Omgezet naar Excel ({i + 1})"] for i in range(titles)]
    for _, cells in grids[0].rows:
        filled = [c for c in cells if c]
        title = _title_with_date(filled[0]) if len(filled) == 1 else None
        rows.append(title if title else [_cell(c) for c in cells])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Gegevens"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "d-m-yyyy"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def make_twins(csv_folder: Path, xlsx_folder: Path) -> dict[str, tuple[str, int]]:
    """Write the XLSX twin of ``csv_folder``; returns csv name → (xlsx name, title rows added)."""
    shutil.copytree(csv_folder, xlsx_folder)
    manifest = (csv_folder / MANIFEST_NAME).read_text(encoding="utf-8")
    names: dict[str, tuple[str, int]] = {}
    for i, path in enumerate(sorted(csv_folder.rglob("*.csv"))):
        name = path.relative_to(csv_folder).as_posix()
        twin = name[:-4] + ".xlsx"
        titles = 1 + i % 2
        (xlsx_folder / name).unlink()
        (xlsx_folder / twin).write_bytes(csv_to_xlsx(path.read_bytes(), titles))
        names[name] = (twin, titles)
        assert f'"{name}"' in manifest
        manifest = manifest.replace(f'"{name}"', f'"{twin}"')
    (xlsx_folder / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    return names


def write_gelderland(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    (folder / MANIFEST_NAME).write_text(GELDERLAND_MANIFEST, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def shifted(rows, names, key=("bestand", "rij")):
    return sorted((names[r[key[0]]][0], r[key[1]] + names[r[key[0]]][1]) for r in rows if r[key[1]] is not None)


def assert_twins(csv_folder: Path, xlsx_folder: Path, names) -> None:
    a, b = load_dataset(csv_folder), load_dataset(xlsx_folder)
    assert not a.has_errors and not b.has_errors, [str(m) for m in b.melding_list]
    for table in ("kaarten", "gemeenten"):
        assert getattr(a.dashboard(), table).to_pylist() == getattr(b.dashboard(), table).to_pylist(), table
    assert shifted(a.realisaties.to_pylist(), names) == sorted((r["bestand"], r["rij"]) for r in b.realisaties.to_pylist())
    assert shifted(a.opgaven.to_pylist(), names) == sorted((r["bestand"], r["rij"]) for r in b.opgaven.to_pylist())
    assert sorted(a.realisaties.column("aantal").to_pylist()) == sorted(b.realisaties.column("aantal").to_pylist())
    meldingen_a = sorted((names[m.bestand][0], None if m.rij is None else m.rij + names[m.bestand][1], m.ernst, m.kolom)
                         for m in a.melding_list)
    meldingen_b = sorted((m.bestand, m.rij, m.ernst, m.kolom) for m in b.melding_list)
    assert meldingen_a == meldingen_b
    # title rows are not counted: the reconciliation of each file is the same
    assert {names[k][0]: v for k, v in a.file_stats.items()} == b.file_stats


def test_sample_twins(tmp_path):
    names = make_twins(opvangkern.sample_path(), tmp_path / "xlsx")
    assert len(names) == 10 + 4 * 6  # 10 quota files; 4 sources × 6 monthly deliveries (the history, issue 12)
    assert_twins(opvangkern.sample_path(), tmp_path / "xlsx", names)


def test_gelderland_twins(tmp_path):
    csv_folder = write_gelderland(tmp_path / "csv", GELDERLAND_FILES)
    names = make_twins(csv_folder, tmp_path / "xlsx")
    assert_twins(csv_folder, tmp_path / "xlsx", names)


def test_gelderland_twins_with_warnings_shift_melding_rows(tmp_path):
    files = dict(GELDERLAND_FILES)
    files["coa.csv"] = files["coa.csv"].replace("Totaal;1.130;", "Totaal;1.131;")        # a wrong totals row
    # a footnote (skipped silently, SPEC §11 since issue 9) and a row naming no municipality (a warning)
    files["kcio.csv"] += "Bron: KCIO, bewerkt\nEdee\n"
    files["tvs.csv"] = files["tvs.csv"].replace("Ede;90\n", "Ede;90\n\nEde;3\n")          # blank row, row twice
    csv_folder = write_gelderland(tmp_path / "csv", files)
    names = make_twins(csv_folder, tmp_path / "xlsx")
    a = load_dataset(csv_folder)
    # SPEC §6 (issue 10): a municipality twice in TVS is summed with a warning at its second row (5)
    assert {(m.bestand, m.rij) for m in a.melding_list} == {("coa.csv", 6), ("kcio.csv", 9), ("tvs.csv", 5)}
    assert_twins(csv_folder, tmp_path / "xlsx", names)
    b = load_dataset(tmp_path / "xlsx")
    assert {(m.bestand, m.rij) for m in b.melding_list} == {("coa.xlsx", 6 + names["coa.csv"][1]),
                                                            ("kcio.xlsx", 9 + names["kcio.csv"][1]),
                                                            ("tvs.xlsx", 5 + names["tvs.csv"][1])}


def test_twin_cells_are_what_a_spreadsheet_holds(tmp_path):
    """The conversion really makes dates, numbers and a date-cell title (so the twins test what they claim)."""
    names = make_twins(opvangkern.sample_path(), tmp_path / "xlsx")
    wb = openpyxl.load_workbook(tmp_path / "xlsx" / names["bronnen/coa-2025-12-31.csv"][0])
    rows = list(wb.active.iter_rows(values_only=True))
    titles = names["bronnen/coa-2025-12-31.csv"][1]
    assert rows[titles + 1][:2] == ("Peildatum:", dt.datetime(2025, 12, 31))
    assert rows[titles + 4][1] == 1680 and rows[titles + 5][4] == "1.010" and rows[titles + 5][5] == 909
    wb = openpyxl.load_workbook(tmp_path / "xlsx" / names["bronnen/nidos-2025-12-29.csv"][0])
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[names["bronnen/nidos-2025-12-29.csv"][1] + 1][:2] == (dt.datetime(2025, 12, 29), 1680)


@pytest.mark.parametrize("text,expected", [("Peildatum: 31-12-2025", ["Peildatum:", dt.date(2025, 12, 31)]),
                                           ("Stand per 31 december 2025", ["Stand per", dt.date(2025, 12, 31)]),
                                           ("Verdeelbesluit asiel 2025", None)])
def test_title_conversion(text, expected):
    assert _title_with_date(text) == expected


def test_sheet_named_in_the_manifest(tmp_path):
    """``blad = "..."`` in the manifest, for a quota file and a realisation file; a sheet in front of the data."""
    names = make_twins(opvangkern.sample_path(), tmp_path / "xlsx")
    folder = tmp_path / "xlsx"
    for csv_name in ("opgaven/asiel-2025-01-01.csv", "bronnen/coa-2025-12-31.csv"):
        path = folder / names[csv_name][0]
        wb = openpyxl.load_workbook(path)
        wb.create_sheet("Toelichting", 0)["A1"] = "Zie het blad Gegevens"
        wb.create_sheet("Oud")["A1"] = "Gemeente"  # a later sheet that must not be read
        wb.save(path)
    manifest = (folder / MANIFEST_NAME).read_text(encoding="utf-8")
    reference = load_dataset(folder)  # no blad: the first sheet with the header
    assert not reference.has_errors
    for csv_name in ("opgaven/asiel-2025-01-01.csv", "bronnen/coa-2025-12-31.csv"):
        line = f'bestand = "{names[csv_name][0]}"'
        manifest = manifest.replace(line, f'{line}\nblad = "gegevens"')
    (folder / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    named = load_dataset(folder)
    assert not named.has_errors
    assert named.dashboard().kaarten.to_pylist() == reference.dashboard().kaarten.to_pylist()
    assert {m.blad for m in named.melding_list} <= {None, "Gegevens"}
    (folder / MANIFEST_NAME).write_text(manifest.replace('blad = "gegevens"', 'blad = "Nergens"'), encoding="utf-8")
    wrong = load_dataset(folder)
    sheets = [m for m in wrong.melding_list if m.is_error and m.blad == "Nergens"]
    assert len(sheets) == 2 and all("Toelichting, Gegevens, Oud" in m.melding for m in sheets)
