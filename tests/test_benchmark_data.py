"""The generated benchmark data (benchmarks/generate.py) behaves like real publications: a weekly
history opens without a single ``fout`` and without ``opgave_bron_wijkt_af``, because every TVS export
of one half-year repeats that period's backlog and corrected target, and those agree with the housing
quota files (SPEC §11); only what is realised moves."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import opvangkern
from opvangkern.testing import load_module

generate = load_module(Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py", "generate")


def _codes(dataset: opvangkern.Dataset) -> list[tuple[str, str]]:
    meldingen = dataset.meldingen
    return list(zip(meldingen.column("ernst").to_pylist(), meldingen.column("code").to_pylist()))


def _tvs_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _quota(path: Path) -> dict[str, int]:
    """A ``vergunninghouders`` quota file (``Gemeente;Taakstelling``): amount per municipality name."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Gemeente"]: int(row["Taakstelling"]) for row in csv.DictReader(handle, delimiter=";")}


@pytest.fixture(scope="module")
def three_weeks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "data"
    generate.generate(folder, snapshots=3)
    return folder


def test_three_weeks_open_without_fout_or_tvs_disagreement(three_weeks) -> None:
    dataset = opvangkern.open_dataset(three_weeks, cache=False)
    codes = _codes(dataset)
    assert not [c for c in codes if c[0] == "fout"]
    assert not [c for c in codes if c[1] == "opgave_bron_wijkt_af"]
    assert codes == []  # nothing at all: the generated files are clean
    assert len(set(dataset.realisaties.column("peildatum").to_pylist())) == 6  # 3 weeks; Nidos 2 days earlier


def test_weeks_of_one_period_repeat_its_figures_and_only_the_realisation_moves(three_weeks) -> None:
    files = sorted((three_weeks / "bronnen").glob("tvs-*.csv"))
    assert len(files) == 3
    weeks = [_tvs_rows(path) for path in files]
    first = _quota(three_weeks / "opgaven" / "vergunninghouders-2025-07-01.csv")
    last = _quota(three_weeks / "opgaven" / "vergunninghouders-2026-01-01.csv")
    fixed = ("Gemeente", "Periode", "Taakstelling", "Achterstand begin periode", "Gecorrigeerde taakstelling")
    for rows in weeks:
        assert len(rows) == 342
        assert [[r[c] for c in fixed] for r in rows] == [[r[c] for c in fixed] for r in weeks[0]]
        for row in rows:
            assert row["Periode"] == "2025-II"
            achter, gecorrigeerd = int(row["Achterstand begin periode"]), int(row["Gecorrigeerde taakstelling"])
            assert achter == first[row["Gemeente"]]  # the line on the period's first day, 1 July 2025
            assert gecorrigeerd == last[row["Gemeente"]]  # the line on the day after it, 1 January 2026
            assert int(row["Taakstelling"]) == gecorrigeerd - achter
            assert int(row["Nog te realiseren"]) == gecorrigeerd - int(row["Gerealiseerd"])
    realised = [[r["Gerealiseerd"] for r in rows] for rows in weeks]
    assert realised[0] != realised[1] != realised[2]


def test_a_history_before_the_first_housing_decision_gets_one_decision_per_half_year(tmp_path) -> None:
    # 28 weekly snapshots reach back to 25 June 2025, in 2025-I: one more housing decision (1 January 2025).
    folder = tmp_path / "data"
    summary = generate.generate(folder, snapshots=28)
    assert summary["quota_files"] == 11
    earlier = _quota(folder / "opgaven" / "vergunninghouders-2025-01-01.csv")
    first = _quota(folder / "opgaven" / "vergunninghouders-2025-07-01.csv")
    assert earlier.keys() == first.keys()
    assert all(0 <= earlier[name] <= first[name] for name in first)  # a cumulative target grows
    assert sum(earlier.values()) < sum(first.values())
    # The two TVS files around the turn of the half-year, read with every quota file: the check of the
    # tvs line against the quota files finds no difference in either period.
    oldest = generate.LATEST - dt.timedelta(weeks=27)
    newer = oldest + dt.timedelta(weeks=1)
    assert (generate.half_year(oldest)[0], generate.half_year(newer)[0]) == ("2025-I", "2025-II")
    manifest = (folder / "opvangkern.toml").read_text(encoding="utf-8")
    head = manifest[:manifest.index("[[bron]]")]
    entries = "".join(f'[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-{day}.csv"\npeildatum = {day}\n\n'
                      for day in (oldest, newer))
    (folder / "opvangkern.toml").write_text(head + entries, encoding="utf-8")
    dataset = opvangkern.open_dataset(folder, cache=False)
    # the manifest now names two of the generated files: the others are said to be left out, nothing else
    assert _codes(dataset) == [("waarschuwing", "bestand_niet_in_manifest")]
    rows = _tvs_rows(folder / "bronnen" / f"tvs-{oldest}.csv")
    assert {r["Periode"] for r in rows} == {"2025-I"}
    assert [int(r["Achterstand begin periode"]) for r in rows] == [earlier[r["Gemeente"]] for r in rows]
    assert [int(r["Gecorrigeerde taakstelling"]) for r in rows] == [first[r["Gemeente"]] for r in rows]


def test_half_year() -> None:
    assert generate.half_year(dt.date(2025, 12, 31)) == ("2025-II", dt.date(2025, 7, 1), dt.date(2026, 1, 1))
    assert generate.half_year(dt.date(2025, 7, 1)) == ("2025-II", dt.date(2025, 7, 1), dt.date(2026, 1, 1))
    assert generate.half_year(dt.date(2025, 1, 1)) == ("2025-I", dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    assert generate.half_year(dt.date(2021, 6, 30)) == ("2021-I", dt.date(2021, 1, 1), dt.date(2021, 7, 1))
