"""A source whose counts are all for tasks without any target (twelfth session, lead).

Before: the Nidos decisions left out of the manifest and the folder gave a dashboard of four cards, exit 0 and no
melding; the Nidos file beside them fed nothing. Now a warning ``realisatie_zonder_opgave`` names the source, its
count on the latest peildatum (the plain sum of the file's rows) and the ``[[opgave]]`` to add. A source that also
counts a task with a target (COA's asylum places beside its AMV places, in a dataset without AMV decisions) stays
quiet: that is a dataset that tracks only some tasks.
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


def _nidos_sum(folder: Path) -> int:
    """Nidos's small-scale places on 29 December 2025, summed by hand from the file's own rows."""
    with open(folder / "bronnen" / "nidos-2025-12-29.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sum(int(r["Kleinschalige opvangplekken"]) for r in rows)


def test_a_source_that_feeds_no_card_is_a_warning_with_its_count(tmp_path):
    folder = _without_task(tmp_path, "nidos_amv")
    ds = opvangkern.open_dataset(folder)
    [melding] = [m for m in ds.meldingen.to_pylist() if m["code"] == "realisatie_zonder_opgave"]
    expected = _nidos_sum(folder)
    assert expected > 0
    assert (melding["ernst"], melding["bestand"], melding["waarde"]) == (
        "waarschuwing", "bronnen/nidos-2025-12-29.csv", "nidos_amv")
    assert f"telt {opvangkern.numbers.dutch(expected)} voor Nidos AMV op 29 december 2025" in melding["melding"]
    assert 'opgave = "nidos_amv"' in melding["melding"]
    assert not ds.has_errors  # a warning: the other cards stand
    assert "nidos_amv" not in {c["opgave"] for c in ds.dashboard().kaarten.to_pylist()}


def test_coa_without_amv_decisions_is_a_dataset_of_some_tasks_and_quiet(tmp_path):
    ds = opvangkern.open_dataset(_without_task(tmp_path, "amv"))
    assert "realisatie_zonder_opgave" not in ds.meldingen.column("code").to_pylist()
    assert "amv" not in {c["opgave"] for c in ds.dashboard().kaarten.to_pylist()}


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
