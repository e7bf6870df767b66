"""Housing targets that silently went missing (eleventh session, ``hard11e``).

Task ``vergunninghouders`` without quota files: the TVS export gives the target line itself (its period, backlog
and corrected target). Each case was a wrong figure with exit 0 before this branch; the expected figures are plain
arithmetic on the files' own rows. Decisions in docs/decisions.md, "Housing targets that go missing".
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.testing import load_module

sys.path.insert(0, str(Path(__file__).parent))
from test_probes_time import (  # noqa: E402  (the ninth session's helpers for the same datasets)
    SAMPLE, card, copy, drop_bron, edit, housing_decisions_over_two_half_years, housing_from_tvs, rows,
    tvs_next_half_year,
)

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_housing_targets")
ASSEN, TVS = _PROBES.ASSEN, _PROBES.TVS
figures, read, where = _PROBES.figures, _PROBES.read, _PROBES.where
HOUSING = "vergunninghouders"
DECEMBER = "bronnen/tvs-2025-12-31.csv"
JANUARY = "bronnen/tvs-2026-01-31.csv"
D = dt.date


def meldingen(folder: Path, code: str | None = None) -> list[dict]:
    return [m for m in load_dataset(folder).meldingen.to_pylist() if code is None or m["code"] == code]


def exit_code(folder: Path) -> int:
    return CliRunner().invoke(cli, ["check", str(folder)]).exit_code


def december_only(tmp_path: Path) -> Path:
    """The sample with its housing line from the December TVS export alone (no quota files, no history)."""
    folder = housing_from_tvs(tmp_path)
    for month in ("07-31", "08-31", "09-30", "10-31", "11-30"):
        drop_bron(folder, f"bronnen/tvs-2025-{month}.csv")
    return folder


def replace_cell(path: Path, prefix: str, index: int, value: str) -> None:
    """The cell ``index`` of the row that starts with ``prefix`` set to ``value``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            cells = line.split(";")
            cells[index] = value
            lines[i] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def without(path: Path, gemeente: str) -> None:
    path.write_text("".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines()
                            if not line.startswith(f"{gemeente};")), encoding="utf-8")


def row_number(path: Path, gemeente: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(f"{gemeente};"))


# --- 3. a week as the peildatum in a title ----------------------------------------------------------------


@pytest.mark.parametrize("title", ["Peildatum: week 48 2026", "Stand 2026-W48", "Stand per week 48, 2026"])
def test_a_week_as_the_title_peildatum_names_the_week_and_its_days(tmp_path, title):
    # Before: the general "het bestand noemt er geen" (the title names none), which did not say it names a week.
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.csv": f"{title}\nGemeente;Plekken\nAssen;5\n".encode()})
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("peildatum = 2025-12-31\n", ""), encoding="utf-8")
    [fout] = meldingen(folder, "peildatum_ontbreekt")
    assert (fout["ernst"], fout["rij"], fout["waarde"]) == ("fout", 1, title)
    assert "week 48 van 2026: 23-11-2026 t/m 29-11-2026" in fout["melding"]
    assert "zet peildatum = JJJJ-MM-DD bij deze [[bron]]" in fout["melding"]


def test_a_week_in_the_title_beside_the_manifests_peildatum_is_quiet():
    result = read("nidos", b"Peildatum: week 48 2026\nGemeente;Plekken\nAssen;5\n", peildatum=D(2026, 11, 29))
    assert not result.meldingen and figures(result) == {(ASSEN, "nidos_amv", None): 5}
