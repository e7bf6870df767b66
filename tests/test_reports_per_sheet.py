"""A report per (file, sheet) (issue 8): a workbook that holds one decision per sheet, each sheet named by
its own ``[[opgave]]``, gets one reconciliation line per sheet in ``opvangkern check``, and each sheet's
meldingen once; ``Dataset.reports`` has each sheet's counts, ``file_stats`` their sum per file."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest

from opvangkern import cli
from opvangkern.dataset.load import load_dataset

LINE = re.compile(r"^  blad (\S+): rijen: (\d+) gelezen = (\d+) gebruikt \+ (\d+) totaalrij(?:en)? \+ (\d+) afgewezen "
                  r"\+ (\d+) overgeslagen; som van de opgaven: ([\d.]+)$")


def _workbook(folder) -> dict[str, list[list]]:
    """opgaven/asiel.xlsx with the sample's two asylum decisions on sheets ``2025`` and ``2026``; the
    second also gets a row of an unknown municipality and a note under the table."""
    sheets = {}
    for blad, name in (("2025", "asiel-2025-01-01.csv"), ("2026", "asiel-2026-02-01.csv")):
        with open(folder / "opgaven" / name, encoding="utf-8", newline="") as f:
            rows = [[int(c) if c.isdigit() else c for c in row] for row in csv.reader(f)]
        sheets[blad] = rows
    sheets["2026"] = [["Spreidingsbesluit asiel 2026"], [], *sheets["2026"], ["GM9999", "Nergenshuizen", "12"],
                      [], ["Bron: ministerie van Asiel en Migratie"]]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for blad, rows in sheets.items():
        ws = wb.create_sheet(blad)
        for row in rows:
            ws.append(row)
    wb.save(folder / "opgaven" / "asiel.xlsx")
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    for blad, name in (("2025", "asiel-2025-01-01.csv"), ("2026", "asiel-2026-02-01.csv")):
        text = text.replace(f'bestand = "opgaven/{name}"', f'bestand = "opgaven/asiel.xlsx"\nblad = "{blad}"')
    manifest.write_text(text, encoding="utf-8")
    return sheets


def test_one_reconciliation_line_per_sheet(sample_latest_only, capsys):
    sheets = _workbook(sample_latest_only)
    with pytest.raises(SystemExit):
        cli.main(["check", str(sample_latest_only)])
    out = capsys.readouterr().out.splitlines()
    start = out.index("opgaven/asiel.xlsx")
    block = []
    for line in out[start + 1:]:
        if not line.startswith("  "):
            break
        block.append(line)
    lines = {m.group(1): m.groups()[1:] for m in map(LINE.match, block) if m}
    assert set(lines) == {"2025", "2026"}
    # 2025: every municipality row used; the sum is the plain sum of the Opgave column
    rows_2025 = sheets["2025"][1:]
    assert lines["2025"] == (str(len(rows_2025)), str(len(rows_2025)), "0", "0", "0",
                             f"{sum(r[2] for r in rows_2025):,}".replace(",", "."))
    # 2026: the municipality rows, one rejected row (GM9999), one skipped note
    rows_2026 = [r for r in sheets["2026"][3:] if len(r) == 3 and r[0] != "GM9999"]
    assert lines["2026"] == (str(len(rows_2026) + 2), str(len(rows_2026)), "0", "1", "1",
                             f"{sum(r[2] for r in rows_2026):,}".replace(",", "."))
    # the unknown municipality is reported once, on its sheet
    errors = [line for line in block if "GM9999" in line or "Nergenshuizen" in line]
    assert len(errors) == 1 and "blad 2026" in errors[0]


def test_reports_keyed_by_file_and_sheet(sample_latest_only):
    _workbook(sample_latest_only)
    ds = load_dataset(sample_latest_only)
    first, second = ds.reports[("opgaven/asiel.xlsx", "2025")], ds.reports[("opgaven/asiel.xlsx", "2026")]
    assert first.rijen_afgewezen == 0 and second.rijen_afgewezen == 1
    assert ds.file_stats["opgaven/asiel.xlsx"] == first + second
    assert [m.code for m in ds.melding_list if m.bestand == "opgaven/asiel.xlsx" and m.is_error] == ["gebied_onbekend"]


def test_data_error_carries_the_reports(sample_latest_only):
    from opvangkern import open_dataset
    from opvangkern.errors import DataError

    _workbook(sample_latest_only)
    with pytest.raises(DataError) as info:
        open_dataset(sample_latest_only)
    assert info.value.reports[("opgaven/asiel.xlsx", "2026")].rijen_afgewezen == 1
    assert info.value.reports[("opgaven/asiel.xlsx", "2025")].rijen_afgewezen == 0
    assert [m.code for m in info.value.meldingen if m.is_error] == ["gebied_onbekend"]


def test_no_workbook_is_kept_after_loading(sample_latest_only):
    from opvangkern.reading import sheet

    _workbook(sample_latest_only)
    load_dataset(sample_latest_only)
    assert sheet._last_workbook is None
