"""The reconciliation line of ``opvangkern check``: per file, rows read = rows used + totals rows + rows
rejected + rows skipped, and the sum of what was accepted (docs/sources/reading.md)."""

from __future__ import annotations

import re
import shutil

import pytest

import opvangkern
from opvangkern import cli
from opvangkern.dataset.load import load_dataset

LINE = re.compile(r"^  rijen: (\d+) gelezen = (\d+) gebruikt \+ (\d+) totaalrij(?:en)? \+ (\d+) afgewezen \+ (\d+) "
                  r"overgeslagen; som van de (aantallen|opgaven): ([\d.,]+)$")


def check(folder, capsys) -> tuple[int, dict[str, tuple]]:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", str(folder)])
    out = capsys.readouterr().out.splitlines()
    lines: dict[str, tuple] = {}
    current = None
    for line in out:
        if not line.startswith(" "):
            current = line
        match = LINE.match(line)
        if match:
            *counts, wat, som = match.groups()
            lines[current] = (*map(int, counts), wat, float(som.replace(".", "").replace(",", ".")))
    return exit_info.value.code, lines


def sums(table, key: str = "bestand") -> dict[str, float]:
    out: dict[str, float] = {}
    for r in table.to_pylist():
        out[r[key]] = out.get(r[key], 0) + r["aantal"]
    return out


def test_sample_every_file_reconciles(capsys):
    code, lines = check(opvangkern.sample_path(), capsys)
    assert code == 0
    ds = load_dataset()
    files = [e.bestand for e in (*ds.manifest.opgaven, *ds.manifest.bronnen)]
    assert list(lines) == files
    sums_by_file = {**sums(ds.opgaven), **sums(ds.realisaties)}
    for bestand, (gelezen, gebruikt, totaal, afgewezen, overgeslagen, wat, som) in lines.items():
        assert gelezen == gebruikt + totaal + afgewezen + overgeslagen, bestand
        assert (afgewezen, overgeslagen) == (0, 0), bestand
        assert som == pytest.approx(sums_by_file.get(bestand, 0)), bestand
        assert wat == ("opgaven" if bestand.startswith("opgaven/") else "aantallen")
    assert lines["bronnen/kcio-2025-12-31.csv"][:3] == (13, 12, 1)  # the Totaal Drenthe row
    assert set(ds.file_stats) == set(files)


def test_rejected_skipped_and_totals_rows(sample_copy, capsys):
    coa = sample_copy / "bronnen/coa-2025-12-31.csv"
    with coa.open("a", encoding="utf-8", newline="") as f:
        f.write("Asen;0106;AZC Asen;regulier;10;9\r\n"          # rejected: unknown municipality
                "Emmen;0114;AZC Emmen 9;regulier;2,5;2\r\n"      # rejected: not a whole number
                ";;;;;\r\n"                                      # blank: not counted
                "Totaal;;;;4.806;4.340\r\n"                      # a totals row (right)
                "Bron: COA;;;;;\r\n")                            # skipped, with a warning
    quota = sample_copy / "opgaven/asiel-2025-01-01.csv"
    with quota.open("a", encoding="utf-8", newline="") as f:
        f.write("GM0106,Assen,5\n"                               # rejected: Assen twice
                "GM0114,Emmen,veel\n"                            # rejected: no number
                "Subtotaal,,4.155\n")                            # a totals row
    code, lines = check(sample_copy, capsys)
    assert code == 1
    assert lines["bronnen/coa-2025-12-31.csv"] == (27, 23, 1, 2, 1, "aantallen", 4806)
    assert lines["opgaven/asiel-2025-01-01.csv"] == (15, 12, 1, 2, 0, "opgaven", 4155)
    ds = load_dataset(sample_copy)
    stats = ds.file_stats["bronnen/coa-2025-12-31.csv"]
    assert stats.som == sums(ds.realisaties)["bronnen/coa-2025-12-31.csv"]


def test_missing_and_unreadable_files_are_listed(sample_copy, capsys):
    (sample_copy / "bronnen/tvs-2025-12-31.csv").unlink()
    (sample_copy / "bronnen/nidos-2025-12-29.csv").write_bytes(b"\x00\x01junk")
    code, lines = check(sample_copy, capsys)
    assert code == 1
    assert "bronnen/tvs-2025-12-31.csv" not in lines               # listed with its fout, no line: never opened
    assert lines["bronnen/nidos-2025-12-29.csv"][:5] == (0, 0, 0, 0, 0)


def test_xlsx_copy_has_the_same_line(sample_copy, capsys, tmp_path):
    from .test_xlsx_twins import make_twins

    names = make_twins(sample_copy, tmp_path / "xlsx")
    _, csv_lines = check(sample_copy, capsys)
    _, xlsx_lines = check(tmp_path / "xlsx", capsys)
    assert {names[k][0]: v for k, v in csv_lines.items()} == xlsx_lines
    shutil.rmtree(tmp_path / "xlsx")
