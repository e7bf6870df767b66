"""The eleventh session's new checks tried against files laid out as the real publications are (``rev11g``).

A refusal of a correct file is the second-worst thing after a wrong figure. Each case builds its files in the test,
as the monitors and decisions are published (``docs/sources/tvs.md``, ``docs/quota-files.md``, "Hoe de echte
bestanden eruitzien"), and computes the expected figure by plain arithmetic on the files' rows. The checks that were
right are listed in docs/decisions.md, "Review of the new checks against real files".
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from opvangkern.dataset.load import load_dataset
from opvangkern.model import AreaLevel
from opvangkern.reading.quota import read_quota
from opvangkern.sources.adapter import Source
from opvangkern.testing import load_module

sys.path.insert(0, str(Path(__file__).parent))
from test_probes_time import SAMPLE, append, card, copy, housing_from_tvs, rows, tvs_next_half_year  # noqa: E402

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_review")
figures, read, workbook = _PROBES.figures, _PROBES.read, _PROBES.workbook
ASSEN, EMMEN = _PROBES.ASSEN, _PROBES.EMMEN
HOUSING = "vergunninghouders"
HEADER = ("Gemeente;Periode;Taakstelling;Achterstand begin periode;Gecorrigeerde taakstelling;Gerealiseerd;"
          "Nog te realiseren")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def fouten(folder: Path) -> list[dict]:
    return [m for m in load_dataset(folder).meldingen.to_pylist() if m["ernst"] == "fout"]


# --- 1. a year of monthly TVS exports: each half-year's count starts again at 0 ---------------------------------


def _a_year_of_exports(folder: Path, days: list[dt.date], idle_in_january: str = "De Wolden") -> dict[dt.date, dict]:
    """Monthly TVS monitor exports for ``days``: the line of the sample's December export continued per
    half-year (backlog = corrected target − housed), the count starting again at 0 on 1 January and 1 July and
    rising by 0–6 a month; ``idle_in_january`` houses nobody in January. Returns per day its rows."""
    december = rows(folder / "bronnen" / "tvs-2025-12-31.csv")
    line = {r["Gemeente"]: (int(r["Taakstelling"]), int(r["Gecorrigeerde taakstelling"]) - int(r["Gerealiseerd"]))
            for r in december}
    rnd = random.Random(11)
    written: dict[dt.date, dict] = {}
    half, count = None, {}
    for day in days:
        counted = day - dt.timedelta(days=1)  # a file of the first of a month is the state of the month before
        period = f"{counted.year}-{'I' if counted.month <= 6 else 'II'}"
        if period != half:
            half, count = period, {g: 0 for g in line}
        for g in line:
            if not (counted.month == 1 and g == idle_in_january):
                count[g] += rnd.randint(0, 6)
        out = [f"Stand per {day.day} {MONTHS[day.month - 1]} {day.year}", HEADER]
        out += [f"{g};{period};{t};{b};{t + b};{count[g]};{t + b - count[g]}" for g, (t, b) in line.items()]
        name = f"bronnen/tvs-{day.isoformat()}.csv"
        (folder / name).write_text("\n".join(out) + "\n", encoding="utf-8")
        append(folder, f'[[bron]]\nbron = "tvs"\nbestand = "{name}"\n')
        written[day] = {"periode": period, "gerealiseerd": dict(count), "line": line}
    return written


@pytest.mark.parametrize("first_of_month", [False, True])
def test_a_year_of_monthly_tvs_exports_restarting_each_half_year_is_read_without_a_fout(tmp_path, first_of_month):
    # July's count is lower than June's everywhere (a month against six), De Wolden houses nobody in January:
    # neither telling_niet_per_halfjaar nor halfjaar_zonder_opgave nor peildatum_buiten_periode may fire.
    folder = housing_from_tvs(tmp_path)
    if first_of_month:  # "de stand op de eerste dag van de maand": 1 February 2026 … 1 January 2027
        days = [dt.date(2026, m, 1) for m in range(2, 13)] + [dt.date(2027, 1, 1)]
    else:
        days = [dt.date(2026, m, calendar.monthrange(2026, m)[1]) for m in range(1, 13)]
    written = _a_year_of_exports(folder, days)
    june, july = (next(d for d in days if (d - dt.timedelta(days=1)).month == m) for m in (6, 7))
    assert all(written[july]["gerealiseerd"][g] < written[june]["gerealiseerd"][g]
               for g in written[june]["gerealiseerd"] if written[june]["gerealiseerd"][g])
    assert fouten(folder) == []
    last = written[days[-1]]
    line = card(folder, HOUSING, peildatum=days[-1])
    assert line["realisatie"] == sum(last["gerealiseerd"].values())
    assert (line["startpunt"], line["eindpunt"]) == (sum(b for _, b in last["line"].values()),
                                                     sum(t + b for t, b in last["line"].values()))


# --- 2. a TVS export of 1 or 2 January: the old half-year's stand ----------------------------------------------


def _old_stand(folder: Path, day: str, title: str | None, manifest_date: bool) -> list[dict]:
    """The sample's December export again, one more housed per municipality, dated ``day`` (its title, or the
    manifest), with ``Periode`` still 2025-II: the monitor's export of the first working day of January."""
    lines = (folder / "bronnen" / "tvs-2025-12-31.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        cells[5] = str(int(cells[5]) + 1)
        cells[6] = str(int(cells[4]) - int(cells[5]))
        out.append(";".join(cells))
    path = folder / f"bronnen/tvs-{day}.csv"
    path.write_text("\n".join(([title] if title else []) + out) + "\n", encoding="utf-8")
    append(folder, f'[[bron]]\nbron = "tvs"\nbestand = "bronnen/tvs-{day}.csv"\n'
           + (f"peildatum = {day}\n" if manifest_date else ""))
    return rows(path, skip=1 if title else 0)


@pytest.mark.parametrize("route", ["besluiten", "tvs"])
@pytest.mark.parametrize("day, title, manifest_date", [
    ("2026-01-02", "Stand per 2 januari 2026", False),
    ("2026-01-02", None, True),
    ("2026-01-01", "Stand per 1 januari 2026", False),
])
def test_a_tvs_export_of_the_first_days_of_january_with_the_old_half_year_reads_as_its_stand(
        tmp_path, route, day, title, manifest_date):
    # Before: the file of 2 January (Periode 2025-II, the last one in the dataset) was a fout halfjaar_zonder_opgave
    # advising to add decisions of 2026-I that do not exist yet, and the title's day could not be overruled by the
    # manifest (peildatum_verschilt): the file could not be read at all. Its counts are 2025-II's.
    folder = copy(SAMPLE, tmp_path) if route == "besluiten" else housing_from_tvs(tmp_path)
    stand = _old_stand(folder, day, title, manifest_date)
    assert fouten(folder) == []
    line = card(folder, HOUSING, peildatum=dt.date.fromisoformat(day))
    assert line["realisatie"] == sum(int(r["Gerealiseerd"]) for r in stand)
    assert (line["startpunt"], line["eindpunt"]) == (sum(int(r["Achterstand begin periode"]) for r in stand),
                                                     sum(int(r["Gecorrigeerde taakstelling"]) for r in stand))


def test_a_new_half_years_export_without_its_decisions_stays_a_fout_beside_a_2_january_stand(tmp_path):
    # The guard: the January export of 2026-I (the count started again) with no 2026-I decisions is still refused.
    folder = copy(SAMPLE, tmp_path)
    _old_stand(folder, "2026-01-02", "Stand per 2 januari 2026", False)
    tvs_next_half_year(folder, "2026-01-31", realised=3)
    assert [(m["code"], m["bestand"]) for m in fouten(folder)] == [
        ("halfjaar_zonder_opgave", "bronnen/tvs-2026-01-31.csv")]


# --- 3. a workbook with a Toelichting, a Grafiek and a pivot sheet beside the data ------------------------------

TVS_ROWS = [["Aa en Hunze", "2025-II", 27, 34, 61, 30, 31], ["Assen", "2025-II", 39, 48, 87, 80, 7],
            ["Emmen", "2025-II", 74, 92, 166, 115, 51], ["Westerveld", "2025-II", 16, 19, 35, 39, -4]]


def _monitor_workbook(extra: dict[str, list[list]], chart_sheet: bool = False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in (["Huisvesting vergunninghouders"], ["Stand per 31 december 2025"], HEADER.split(";"), *TVS_ROWS):
        ws.append(row)
    for name, sheet_rows in extra.items():
        sheet = wb.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    if chart_sheet:  # an Excel chart sheet (no cells at all)
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=6, min_row=3, max_row=3 + len(TVS_ROWS)), titles_from_data=True)
        wb.create_chartsheet("Grafiek").add_chart(chart)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("extra", [
    # notes per municipality, one of them on a neighbour outside the file (was: a fout "heeft geen kopregel")
    {"Toelichting": [["Opmerkingen per gemeente"], ["Westerveld", 4, "meer gehuisvest dan de taakstelling"],
                     ["Ooststellingwerf", 2, "nareizigers, overgedragen aan Westerveld"]]},
    {"Toelichting": [["Ooststellingwerf", 2, "nareizigers, overgedragen aan Westerveld"]]},
    # a summary per province pasted as values, without a header (was: a fout naming Groningen)
    {"Per provincie": [["Groningen", 300, 12, 4], ["Drenthe", 264, 10, 2]]},
    {"Toelichting": [["Toelichting"], ["Bron: TVS, stand 31-12-2025"], ["Kolom", "Uitleg"],
                     ["Gerealiseerd", "gehuisvest sinds 1 juli"]],
     "Draaitabel": [["Periode", "2025-II"], [], ["Som van Gerealiseerd", "Kolomlabels"],
                    ["Rijlabels", "2025-II", "Eindtotaal"], ["Aa en Hunze", 30, 30], ["Eindtotaal", 264, 264]],
     "Pivot": [["Row Labels", "Sum of Gerealiseerd"], ["Assen", 80], ["Grand Total", 264]]},
])
def test_a_toelichting_a_chart_and_a_pivot_beside_the_data_say_nothing(extra):
    result = read("tvs", _monitor_workbook(extra, chart_sheet=True))
    assert figures(result) == {(code, HOUSING, None): row[5] for code, row in zip(
        ("GM1680", ASSEN, EMMEN, "GM1701"), TVS_ROWS)}
    assert [m.code for m in result.meldingen] == []


def test_a_continuation_sheet_without_its_header_is_still_a_fout_and_says_how_to_pass_a_note_sheet_over():
    # The guard: rows of the table's own width on a sheet without a header are still the table going on.
    result = read("tvs", _monitor_workbook({"Data (vervolg)": [["Tynaarlo", "2025-II", 29, 36, 65, 22, 43],
                                                                ["Hoogeveen", "2025-II", 47, 58, 105, 41, 64]]}))
    [fout] = [m for m in result.meldingen if m.code == "ander_blad_niet_gelezen"]
    assert fout.ernst.value == "fout" and "Tynaarlo, Hoogeveen" in fout.melding
    assert 'zet dan alleen blad = "Data" bij deze [[bron]]' in fout.melding


# --- 4. a quota workbook with one sheet per decision ------------------------------------------------------------


def _decisions_workbook() -> bytes:
    return workbook({
        "2025-II": [["Gecorrigeerde taakstelling vergunninghouders 2e helft 2025"], ["Gemeente", "Taakstelling"],
                    ["Assen", 87], ["Emmen", 166]],
        "2026-I": [["Gecorrigeerde taakstelling vergunninghouders 1e helft 2026"], ["Gemeente", "Taakstelling"],
                   ["Assen", 46], ["Emmen", 120]]})


def _quota(data: bytes, day: dt.date, blad: str | None = None, opgave: str = HOUSING):
    result = read_quota(Source(io.BytesIO(data), "opgaven/besluiten.xlsx", blad=blad), opgave, day,
                        AreaLevel.GEMEENTE)
    return {r["gebied_code"]: r["aantal"] for r in result.opgaven.to_pylist()}, result.meldingen


@pytest.mark.parametrize("blad, day, assen, emmen", [
    ("2025-II", dt.date(2026, 1, 1), 87, 166), ("2026-I", dt.date(2026, 7, 1), 46, 120)])
def test_a_quota_workbook_with_a_sheet_per_decision_read_with_blad_gives_each_sheets_targets(blad, day, assen, emmen):
    assert _quota(_decisions_workbook(), day, blad) == ({ASSEN: assen, EMMEN: emmen}, ())


@pytest.mark.parametrize("day", [dt.date(2026, 2, 1), dt.date(2026, 7, 1)])
def test_a_decision_of_the_second_sheets_half_year_read_without_blad_is_a_fout(day):
    # Before: the first sheet (2025-II) was read for a decision of 2026-I: Assen 87 instead of 46, no melding.
    targets, meldingen = _quota(_decisions_workbook(), day, opgave="asiel" if day.month == 2 else HOUSING)
    [fout] = [m for m in meldingen if m.ernst.value == "fout"]
    assert (fout.code, fout.waarde) == ("ander_blad_niet_gelezen", "2026-I")
    assert 'Zet bij deze [[opgave]] blad = "2026-I" (of blad = "2025-II" als dat besluit bedoeld is)' in fout.melding


@pytest.mark.parametrize("day", [dt.date(2025, 7, 1), dt.date(2025, 10, 1), dt.date(2026, 1, 1)])
def test_a_decision_of_the_first_sheets_half_year_read_without_blad_says_nothing(day):
    # 1 January 2026 is the day after 2025-II: the corrected target of 2025-II takes effect on it.
    assert _quota(_decisions_workbook(), day) == ({ASSEN: 87, EMMEN: 166}, ())


# --- 5. English and Dutch number settings ----------------------------------------------------------------------


@pytest.mark.parametrize("data, assen", [
    # English settings: 12.5 is a real decimal in a quota target (a distribution key gives fractions)
    (b"Gemeente,Opgave\nAssen,12.5\nEmmen,120\n", 12.5),
    # Dutch settings: 1.234 is one thousand two hundred and thirty-four, 1.234,5 the same and a half
    (b"Gemeente;Opgave\nAssen;1.234\nEmmen;120\n", 1234),
    (b"Gemeente;Opgave\nAssen;1.234,5\nEmmen;120\n", 1234.5),
    (b"Gemeente;Opgave\nAssen;12,5\nEmmen;120\n", 12.5),
])
def test_quota_targets_in_either_settings_are_read_as_written(data, assen):
    result = read_quota(Source(io.BytesIO(data), "opgaven/asiel.csv"), "asiel", dt.date(2026, 2, 1),
                        AreaLevel.GEMEENTE)
    assert {r["gebied_code"]: r["aantal"] for r in result.opgaven.to_pylist()} == {ASSEN: assen, EMMEN: 120}
    assert result.meldingen == ()


def test_a_tvs_export_with_english_settings_reads_its_counts_beside_a_decimal_percentage():
    data = (b"Gemeente,Periode,Taakstelling,Achterstand begin periode,Gecorrigeerde taakstelling,Gerealiseerd,"
            b"% gerealiseerd\nAssen,2025-II,39,48,87,80,91.95\nEmmen,2025-II,74,92,166,115,69.3\n"
            b"Aa en Hunze,2025-II,1,2,3,3,12.5\n")
    result = read("tvs", data)
    assert figures(result) == {(ASSEN, HOUSING, None): 80, (EMMEN, HOUSING, None): 115, ("GM1680", HOUSING, None): 3}
    assert result.meldingen == ()


def test_dutch_thousands_dots_in_a_tvs_export_are_thousands():
    data = (f"{HEADER}\nAssen;2025-II;1.039;48;1.087;1.234;-147\nEmmen;2025-II;74;92;166;115;51\n").encode()
    result = read("tvs", data)
    assert figures(result) == {(ASSEN, HOUSING, None): 1234, (EMMEN, HOUSING, None): 115}
    assert [m.code for m in result.meldingen] == []


# --- 6. a title that names a second half-year beside the Periode column -----------------------------------------


@pytest.mark.parametrize("titles, periode, peildatum", [
    # the turn: the new target announced above the export of 31 December, still 2025-II (was: a fout)
    (["Taakstelling 2026-I", "Stand per 31 december 2025"], "2025-II", dt.date(2025, 12, 31)),
    # the half-year before, for comparison, above a 2026-I export (was: a fout)
    (["Realisatie 1e helft 2026", "Vorig halfjaar: 2025-II"], "2026-I", dt.date(2026, 3, 31)),
])
def test_a_title_naming_a_second_half_year_beside_the_files_own_reads_the_files_line(titles, periode, peildatum):
    data = ("\n".join(titles) + f"\n{HEADER}\nAssen;{periode};39;48;87;80;7\nEmmen;{periode};74;92;166;115;51\n")
    result = read("tvs", data.encode(), peildatum=peildatum)
    assert figures(result) == {(ASSEN, HOUSING, None): 80, (EMMEN, HOUSING, None): 115}
    assert [m.code for m in result.meldingen] == []
    start = dt.date(2025, 7, 1) if periode == "2025-II" else dt.date(2026, 1, 1)
    points = {(r["gebied_code"], r["ingangsdatum"]): r["aantal"] for r in result.opgaven.to_pylist()}
    assert points[(ASSEN, start)] == 48 and points[(EMMEN, start)] == 92


@pytest.mark.parametrize("peildatum", [dt.date(2026, 1, 1), dt.date(2026, 1, 31)])
def test_a_january_export_whose_column_was_copied_from_december_stays_a_fout(peildatum):
    # The guard (hard11e's wrong figure): the title's 2026-I holds the peildatum, the column's 2025-II does not
    # (31 January) or the title's holds it too (1 January).
    data = f"Taakstelling vergunninghouders 2026-I\n{HEADER}\nAssen;2025-II;39;7;46;3;43\n".encode()
    result = read("tvs", data, peildatum=peildatum)
    assert [m.code for m in result.meldingen if m.ernst.value == "fout"] == ["tvs_periode_wijkt_af_van_titel"]
    assert result.opgaven is None or result.opgaven.num_rows == 0


# --- 7. a Power BI filter card that keeps every value ------------------------------------------------------------


@pytest.mark.parametrize("line", ["Gemeente is (Alle)", "Provincie is (All)"])
def test_a_filter_line_of_all_values_is_no_area_filter(line):
    # Before: export_gefilterd_op_gebied, a fout, for a field whose card keeps every value.
    data = f"Gemeente,Kleinschalige opvangplekken\nAssen,10\nEmmen,20\n\nToegepaste filters:\n{line}\n".encode()
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, "nidos_amv", None): 10, (EMMEN, "nidos_amv", None): 20}
    assert result.meldingen == ()


def test_a_filter_line_of_one_municipality_stays_a_fout():
    data = b"Gemeente,Kleinschalige opvangplekken\nAssen,10\n\nToegepaste filters:\nGemeente is Assen\n"
    assert [m.code for m in read("nidos", data).meldingen] == ["export_gefilterd_op_gebied"]
