"""A task that the sources count while no decision gives it a target (twelfth session, lead).

Before: the AMV decisions left out of the manifest and the folder gave a dashboard of four cards, exit 0 and no
melding; COA's AMV places were only in ``realisaties``. Now a warning ``realisatie_zonder_opgave`` names the
source, the count on the latest peildatum (plain sum of the rows of the COA file) and the ``[[opgave]]`` to add.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import opvangkern
from opvangkern.cli import main

SAMPLE = Path(opvangkern.__file__).parent / "sample" / "drenthe-2025-12-31"


def _without_task(tmp_path: Path, task: str) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(SAMPLE, folder)
    manifest = folder / "opvangkern.toml"
    blocks = manifest.read_text(encoding="utf-8").split("[[")
    kept = [blocks[0]] + [b for b in blocks[1:] if not (b.startswith("opgave]]") and f'opgave = "{task}"' in b)]
    manifest.write_text("[[".join(kept), encoding="utf-8")
    for path in (folder / "opgaven").glob(f"{task}-*"):
        path.unlink()
    return folder


def _coa_amv_sum(folder: Path) -> int:
    """COA's AMV places (``Capaciteit`` of the rows with ``Opvangvorm`` AMV) on 31 December 2025, summed by hand
    from the file's own rows (``1.010`` is Dutch for 1010)."""
    with open(folder / "bronnen" / "coa-2025-12-31.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header_at = next(i for i, r in enumerate(rows) if "Opvangvorm" in r)
    kind, places = rows[header_at].index("Opvangvorm"), rows[header_at].index("Capaciteit")
    return sum(int(r[places].replace(".", "")) for r in rows[header_at + 1:]
               if len(r) > places and r[kind].strip() == "AMV")


def test_a_task_counted_without_a_decision_is_a_warning_with_the_count(tmp_path):
    folder = _without_task(tmp_path, "amv")
    ds = opvangkern.open_dataset(folder)
    found = [m for m in ds.meldingen.to_pylist() if m["code"] == "realisatie_zonder_opgave"]
    assert len(found) == 1
    [melding] = found
    expected = _coa_amv_sum(folder)
    assert expected > 0
    assert (melding["ernst"], melding["bestand"], melding["waarde"]) == (
        "waarschuwing", "bronnen/coa-2025-12-31.csv", "amv")
    assert f"COA telt {opvangkern.numbers.dutch(expected)} voor Opvang AMV op 31 december 2025" in melding["melding"]
    assert 'opgave = "amv"' in melding["melding"]
    assert not ds.has_errors  # a warning: the other cards stand
    cards = ds.dashboard().kaarten.to_pylist()
    assert "amv" not in {c["opgave"] for c in cards}


def test_housing_without_a_decision_takes_the_tvs_line_and_is_quiet(tmp_path):
    ds = opvangkern.open_dataset(_without_task(tmp_path, "vergunninghouders"))
    assert "realisatie_zonder_opgave" not in ds.meldingen.column("code").to_pylist()
    assert "vergunninghouders" in {c["opgave"] for c in ds.dashboard().kaarten.to_pylist()}


def test_housing_without_a_decision_nor_a_tvs_line_points_at_the_tvs_columns(tmp_path):
    folder = _without_task(tmp_path, "vergunninghouders")
    housed = 0
    for path in sorted((folder / "bronnen").glob("tvs-*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        keep = [i for i, name in enumerate(rows[0]) if name in ("Gemeente", "Periode", "Gerealiseerd")]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows([[r[i] for i in keep] for r in rows])
        if path.name == "tvs-2025-12-31.csv":
            housed = sum(int(r[keep[-1]]) for r in rows[1:])
    ds = opvangkern.open_dataset(folder)
    [melding] = [m for m in ds.meldingen.to_pylist() if m["code"] == "realisatie_zonder_opgave"]
    assert f"(TVS) telt {opvangkern.numbers.dutch(housed)} voor Huisvesting vergunninghouders" in melding["melding"]
    assert "Taakstelling en Achterstand" in melding["melding"]
    assert "vergunninghouders" not in {c["opgave"] for c in ds.dashboard().kaarten.to_pylist()}


def test_the_sample_with_every_decision_is_quiet(tmp_path, capsys):
    ds = opvangkern.open_dataset()
    assert "realisatie_zonder_opgave" not in ds.meldingen.column("code").to_pylist()
    with pytest.raises(SystemExit) as stopped:
        main(["check", str(_without_task(tmp_path, "nidos_amv"))])
    assert stopped.value.code == 0  # a warning does not refuse
    assert "voor Nidos AMV" in capsys.readouterr().out
