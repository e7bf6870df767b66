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


# --- 1. a TVS row whose target-line cell does not read ------------------------------------------------------


@pytest.mark.parametrize("cells, kolom, waarde", [
    ({3: "1,010"}, "Achterstand begin periode", "1,010"),
    ({3: "48¹"}, "Achterstand begin periode", "48¹"),
    ({4: "87*"}, "Gecorrigeerde taakstelling", "87*"),
    ({3: "", 4: ""}, "Achterstand begin periode", None),  # (one of them empty: the other two give it)
])
def test_an_unreadable_backlog_without_quota_files_is_a_fout_naming_the_cell(tmp_path, cells, kolom, waarde):
    # Before: only warnings, Assen had no housing target and Drenthe's card summed the other eleven:
    # 454 − 48 = 406 → 819 − 87 = 732, exit 0. Now a fout at Assen's row, its column and its value.
    folder = december_only(tmp_path)
    path = folder / DECEMBER
    for index, written in cells.items():
        replace_cell(path, "Assen;", index, written)
    [fout] = meldingen(folder, "tvs_opgavelijn_onvolledig")
    assert (fout["ernst"], fout["bestand"], fout["rij"], fout["kolom"], fout["waarde"]) == (
        "fout", DECEMBER, row_number(path, "Assen"), kolom, waarde)
    assert "Assen (GM0106) heeft geen opgave voor huisvesting voor 1 juli 2025 t/m 31 december 2025" in fout["melding"]
    assert ("is leeg" if waarde is None else repr(waarde)) in fout["melding"]
    assert "[[opgave]] voor vergunninghouders" in fout["melding"]
    assert exit_code(folder) == 1
    # the file read as written gives Drenthe the full line again
    replace_cell(path, "Assen;", 3, "48")
    replace_cell(path, "Assen;", 4, "87")
    december = rows(path)
    line = card(folder, HOUSING)
    assert (line["startpunt"], line["eindpunt"]) == (sum(int(r["Achterstand begin periode"]) for r in december),
                                                     sum(int(r["Gecorrigeerde taakstelling"]) for r in december))


def test_an_unreadable_backlog_stays_a_warning_when_the_quota_files_give_the_target(tmp_path):
    # The sample has quota files for the task: the TVS line is only checked, and Assen keeps its target.
    folder = copy(SAMPLE, tmp_path)
    replace_cell(folder / DECEMBER, "Assen;", 3, "1,010")
    [warning] = meldingen(folder, "tvs_opgavelijn_onvolledig")
    assert warning["ernst"] == "waarschuwing"
    quota = rows(folder / "opgaven" / "vergunninghouders-2026-01-01.csv")
    assert card(folder, HOUSING)["eindpunt"] == sum(int(r["Taakstelling"]) for r in quota)


def test_an_unreadable_backlog_stays_a_warning_when_another_file_of_the_half_year_gives_the_line(tmp_path):
    # The November export of the same half-year gives Assen's 2025-II line: the target is there, the warning stays.
    folder = housing_from_tvs(tmp_path)
    replace_cell(folder / DECEMBER, "Assen;", 3, "1,010")
    [warning] = meldingen(folder, "tvs_opgavelijn_onvolledig")
    assert warning["ernst"] == "waarschuwing"
    november = {r["Gemeente"]: r for r in rows(folder / "bronnen" / "tvs-2025-11-30.csv")}
    december = rows(folder / DECEMBER)
    expected_end = sum(int(november["Assen"]["Gecorrigeerde taakstelling"]) if r["Gemeente"] == "Assen"
                       else int(r["Gecorrigeerde taakstelling"]) for r in december)
    assert card(folder, HOUSING)["eindpunt"] == expected_end
    assert exit_code(folder) == 0


def test_an_unreadable_january_backlog_is_one_fout_at_its_row(tmp_path):
    # The January export (2026-I) with Assen's backlog 1,010: Assen has 2025-II's line only. One fout, the cell's,
    # not also halfjaar_zonder_opgave's advice to add decisions the dataset does not use.
    folder = housing_from_tvs(tmp_path)
    path = tvs_next_half_year(folder, realised=3)
    replace_cell(path, "Assen;", 3, "1,010")
    found = [m for m in meldingen(folder) if m["ernst"] == "fout"]
    assert [(m["code"], m["rij"], m["kolom"], m["waarde"]) for m in found] == [
        ("tvs_opgavelijn_onvolledig", row_number(path, "Assen"), "Achterstand begin periode", "1,010")]
    assert "1 januari 2026 t/m 30 juni 2026" in found[0]["melding"]


# --- 2. a new half-year's export without a municipality ----------------------------------------------------


def test_a_january_tvs_export_without_a_municipality_is_a_fout_naming_it_and_the_file(tmp_path):
    # Before: Assen's line stayed flat at its 2025-II end (87) with a January count of 0, and Drenthe's 2026-I line
    # lacked Assen's (the other eleven's backlog and corrected target), exit 0, no melding.
    folder = housing_from_tvs(tmp_path)
    path = tvs_next_half_year(folder, realised=3)
    january = {r["Gemeente"]: r for r in rows(path)}
    without(path, "Assen")
    [fout] = meldingen(folder, "halfjaar_zonder_opgave")
    assert (fout["ernst"], fout["bestand"], fout["kolom"], fout["waarde"]) == ("fout", JANUARY, "Gemeente", "Assen")
    assert "heeft geen rij voor Assen (GM0106)" in fout["melding"] and "loopt tot 1 januari 2026" in fout["melding"]
    assert "zonder filter op gebied" in fout["melding"]
    assert exit_code(folder) == 1
    # the complete export: Drenthe's 2026-I line is the twelve municipalities' sums
    tvs_next_half_year(housing_from_tvs(tmp_path / "complete"), realised=3)
    line = card(tmp_path / "complete" / "ds", HOUSING)
    assert (line["startpunt"], line["eindpunt"]) == (
        sum(int(r["Achterstand begin periode"]) for r in january.values()),
        sum(int(r["Gecorrigeerde taakstelling"]) for r in january.values()))
    assert meldingen(tmp_path / "complete" / "ds", "halfjaar_zonder_opgave") == []


def test_decisions_and_the_january_export_both_without_a_municipality_is_a_fout(tmp_path):
    # fix11a caught a municipality left out of the 2026-I decisions through its row in the January file; a file
    # that leaves it out too gave no melding (Assen: 2025-II's flat end, January count 0).
    folder, _ = housing_decisions_over_two_half_years(tmp_path)
    for name in ("opgaven/vergunninghouders-2026-01-01-achterstand.csv", "opgaven/vergunninghouders-2026-07-01.csv",
                 JANUARY):
        without(folder / name, "Assen")
    [fout] = meldingen(folder, "halfjaar_zonder_opgave")
    assert (fout["ernst"], fout["bestand"], fout["waarde"]) == ("fout", JANUARY, "Assen")
    assert "neem deze gemeenten op in de besluiten van het nieuwe halfjaar" in fout["melding"]


def test_a_municipality_outside_the_datasets_area_is_not_asked_for(tmp_path):
    # A dataset of Emmen alone: the January export without Assen cuts nothing of its area.
    folder = housing_from_tvs(tmp_path)
    edit(folder, 'gebied = "PV22"', 'gebied = "GM0114"')
    path = tvs_next_half_year(folder, realised=3)
    without(path, "Assen")
    assert meldingen(folder, "halfjaar_zonder_opgave") == []


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


# --- 4. housing as analysts feed it ----------------------------------------------------------------------


def test_a_tvs_export_with_both_half_years_reads_each_peildatums_own(tmp_path):
    # The January export with December's 2025-II rows below its 2026-I rows: only 2026-I's count and line.
    folder = housing_from_tvs(tmp_path)
    path = tvs_next_half_year(folder, realised=3)
    january = rows(path)
    december = rows(folder / DECEMBER)
    path.write_text(path.read_text(encoding="utf-8")
                    + "".join(line + "\n" for line in (folder / DECEMBER).read_text().splitlines()[1:]),
                    encoding="utf-8")
    assert [m["code"] for m in meldingen(folder) if m["ernst"] == "fout"] == []
    line = card(folder, HOUSING)
    assert (line["startpunt"], line["eindpunt"], line["realisatie"]) == (
        sum(int(r["Achterstand begin periode"]) for r in january),
        sum(int(r["Gecorrigeerde taakstelling"]) for r in january), 3 * len(january))
    old = card(folder, HOUSING, peildatum=D(2025, 12, 31))
    assert (old["startpunt"], old["eindpunt"], old["realisatie"]) == (
        sum(int(r["Achterstand begin periode"]) for r in december),
        sum(int(r["Gecorrigeerde taakstelling"]) for r in december), sum(int(r["Gerealiseerd"]) for r in december))


def test_a_periode_column_that_disagrees_with_the_title_is_a_fout():
    # A January export titled 2026-I whose Periode column still says 2025-II (copied): its backlog and target put
    # on 2025-II's days moved the December card onto 2026-I's figures. Which half-year is meant is not guessed.
    data = (b"Taakstelling vergunninghouders 2026-I\n"
            b"Gemeente;Periode;Taakstelling;Achterstand;Gecorrigeerde taakstelling;Gerealiseerd\n"
            b"Assen;2025-II;39;7;46;3\n")
    result = read("tvs", data, peildatum=D(2026, 1, 1))
    assert [where(m) for m in result.meldingen if m.ernst.value == "fout"] == [
        ("fout", "tvs_periode_wijkt_af_van_titel", "tvs.csv", None, 1, "Periode",
         "Taakstelling vergunninghouders 2026-I")]
    assert result.opgaven is None or result.opgaven.num_rows == 0
    agreeing = read("tvs", data.replace(b"2026-I\n", b"2025-II\n"), peildatum=D(2026, 1, 1))
    assert not agreeing.meldingen and agreeing.opgaven.num_rows == 2


@pytest.mark.parametrize("header", ["Gehuisvest 2025", "Gehuisvest 1-1-2025 t/m 31-7-2025"])
def test_a_realisation_header_counting_over_the_year_is_a_fout(header):
    # Before: 90 housed read as 2025-II's July figure, although the header counts from 1 January.
    data = f"Gemeente;Periode;Taakstelling;Achterstand;Gecorrigeerde taakstelling;{header}\nAssen;2025-II;39;48;87;90\n"
    result = read("tvs", data.encode(), peildatum=D(2025, 7, 31))
    assert figures(result) == {}
    assert [(m.ernst.value, m.code, m.rij, m.kolom) for m in result.meldingen] == [
        ("fout", "telling_niet_per_halfjaar", 1, header)]
    assert "01-07-2025" in result.meldingen[0].melding
    # in the first half-year the year's count is the half-year's
    first = read("tvs", data.replace("2025-II", "2025-I").encode(), peildatum=D(2025, 3, 31))
    assert figures(first) == {(ASSEN, *TVS): 90}


def test_a_january_count_that_did_not_start_again_at_0_is_a_fout(tmp_path):
    # A January export counting over more than the half-year (December's count + 3 each): no municipality lower
    # than in December. Before: 423 + 36 = 459 housed in January against the 2026-I line, exit 0.
    folder = housing_from_tvs(tmp_path)
    path = tvs_next_half_year(folder, realised=3)
    december = {r["Gemeente"]: int(r["Gerealiseerd"]) for r in rows(folder / DECEMBER)}
    for gemeente, count in december.items():
        replace_cell(path, f"{gemeente};", 5, str(count + 3))
    [fout] = meldingen(folder, "telling_niet_per_halfjaar")
    assert (fout["ernst"], fout["bestand"], fout["waarde"]) == (
        "fout", JANUARY, str(sum(c + 3 for c in december.values() if c > 0)))
    assert "Emmen 115 → 118" in fout["melding"]
    assert exit_code(folder) == 1
    # counted again from 0 (3 each): quiet, and the card counts 12 × 3
    quiet = housing_from_tvs(tmp_path / "quiet")
    tvs_next_half_year(quiet, realised=3)
    assert meldingen(quiet, "telling_niet_per_halfjaar") == []
    assert card(quiet, HOUSING)["realisatie"] == 3 * len(december)


def test_a_lead_carried_into_the_new_half_year_starts_below_zero_and_counts_in_the_sum(tmp_path):
    # Westerveld housed 39 of 35 in 2025-II (Nog te realiseren −4): its 2026-I line starts at −4 and runs to
    # −4 + 16 = 12; Drenthe's start is the sum with that −4 in it.
    folder = housing_from_tvs(tmp_path)
    path = tvs_next_half_year(folder, realised=3)
    december = {r["Gemeente"]: r for r in rows(folder / DECEMBER)}
    westerveld = december["Westerveld"]
    backlog = int(westerveld["Gecorrigeerde taakstelling"]) - int(westerveld["Gerealiseerd"])
    assert backlog == int(westerveld["Nog te realiseren"]) == -4
    own = card(folder, HOUSING, code="GM1701")
    assert (own["startpunt"], own["eindpunt"], own["realisatie"]) == (
        backlog, backlog + int(westerveld["Taakstelling"]), 3)
    province = card(folder, HOUSING)
    assert province["startpunt"] == sum(int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"])
                                        for r in december.values())
    assert [m for m in meldingen(folder) if m["ernst"] == "fout"] == []
    assert path.exists()
