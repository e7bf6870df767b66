"""Hardening (eighth session): TVS, KCIO and Nidos files as they are really published.

The sources earlier probes reached least. Every file is written the way the monitor, KCIO, Nidos or an analyst
writes it (CSV with ``;`` or ``,``, with a BOM or in cp1252; XLSX with openpyxl: title rows, merged title
cells, number formats, several sheets) and read through ``read`` of ``tests/test_probes.py``: the adapter with
its fast paths, inside ``fastscan.careful()`` and through the plugin's reference adapter, the same result each
way. Each case asserts the figure per municipality (or the target line) worked out here by plain arithmetic,
or the exact melding (code, file, sheet, row, column, value).

Wrong before this session, with exit 0:
- TVS: a ``Voorsprong`` column of its own (positive = ahead) was ignored: ``Achterstand 0 | Voorsprong 6``
  made the line start at 0 instead of −6, and a file with only ``Voorsprong`` gave no line;
- TVS: ``Gehuisvest t/m 31-12-2025`` (or a title ``… 2025-II``) read for the peildatum 30 June 2026 counted
  the end-of-2025 figures on that day with no melding (a ``Periode`` column only warned);
- TVS: a period as a range (``januari t/m juni 2026``, ``1-1-2026 t/m 30-6-2026``) or ``Halfjaar 2026-1``
  in a title gave no line (in a ``Periode`` column: ``periode_onleesbaar``);
- KCIO: a file of safety regions only asked for a ``kolommen`` line mapping the region column onto
  ``Gemeente``, which would count the region Groningen as the municipality Groningen.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import opvangkern
from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.model import Severity
from opvangkern.reading.values import find_period, parse_period
from opvangkern.testing import load_module
from opvangkern.testing.fuzz import adapter_settings

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_sources")
ASSEN, EMMEN, GRONINGEN = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.GRONINGEN
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
_dataset, errors, figures, read, where = _PROBES._dataset, _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where

JUNE = dt.date(2026, 6, 30)
H1 = (dt.date(2026, 1, 1), dt.date(2026, 7, 1))  # the line's two days for 2026-I: first day, day after


def csv(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(lines).encode(encoding)


def book(sheets: dict[str, list[list]], merges: tuple = (), formats: tuple = ()) -> bytes:
    """An XLSX as openpyxl writes it; ``merges``: (sheet, range); ``formats``: (sheet, cell, number format)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for name, cells in merges:
        wb[name].merge_cells(cells)
    for name, cell, number_format in formats:
        wb[name][cell].number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def line(result) -> dict[str, tuple[float, float]]:
    """gemeentecode → (amount on the period's first day, amount on the day after), with the days checked."""
    points: dict[str, dict] = {}
    for p in ([] if result.opgaven is None else result.opgaven.to_pylist()):
        points.setdefault(p["gebied_code"], {})[p["ingangsdatum"]] = p["aantal"]
    out = {}
    for code, by_day in points.items():
        assert sorted(by_day) == list(H1), by_day
        out[code] = (by_day[H1[0]], by_day[H1[1]])
    return out


def codes(result) -> list[tuple[str, str, int | None]]:
    return [(m.ernst.value, m.code, m.rij) for m in result.meldingen]


TITLE = [["Monitor huisvesting vergunninghouders"], ["Stand per 30 juni 2026"], []]


# --- TVS: the backlog and the lead ---------------------------------------------------------------------------

def test_tvs_voorsprong_as_a_column_of_its_own():
    """The monitor writes the lead beside the backlog, each positive; the backlog is achterstand − voorsprong
    (was wrong: the lead was ignored, the line from the target and corrected target only when both stood)."""
    rows = [*TITLE, ["Gemeente", "Taakstelling 2026-I", "Achterstand per 1-1-2026", "Voorsprong per 1-1-2026",
                     "Gehuisvest t/m 30-06-2026", "Nog te realiseren"],
            ["Assen", 30, 5, None, 20, 15], ["Emmen", 40, None, 6, 30, 4], ["Tynaarlo", 12, 0, 2, 4, 6],
            ["Totaal", 82, 5, 8, 54, 25]]
    result = read("tvs", book({"TVS": rows}), peildatum=JUNE)
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30, ("GM1730", *TVS): 4}
    assert line(result) == {ASSEN: (5, 30 + 5), EMMEN: (-6, 40 - 6), "GM1730": (0 - 2, 12 - 2)}


def test_tvs_achterstand_zero_beside_a_voorsprong():
    """``0`` in the backlog column and the lead beside it: the line starts at −6 (was 0, with exit 0)."""
    data = csv("Gemeente;Taakstelling 2026-I;Achterstand;Voorsprong;Gecorrigeerde taakstelling;Gehuisvest",
               "Assen;30;5;0;35;20", "Emmen;40;0;6;34;30")
    result = read("tvs", data, peildatum=JUNE)
    assert not result.meldingen
    assert line(result) == {ASSEN: (5 - 0, 35), EMMEN: (0 - 6, 34)}


def test_tvs_only_a_voorsprong_column():
    result = read("tvs", csv("Gemeente;Taakstelling 2026-I;Voorsprong;Gehuisvest", "Assen;30;0;20", "Emmen;40;6;30"),
                  peildatum=JUNE)
    assert not result.meldingen
    assert line(result) == {ASSEN: (0, 30), EMMEN: (-6, 40 - 6)}


def test_tvs_a_row_with_both_a_backlog_and_a_lead_gets_no_line():
    """``5`` behind and ``2`` ahead in one row is no figure: a warning, no line for that municipality; the
    identity with the corrected target is not checked on a figure that is not there."""
    data = csv("Gemeente;Taakstelling 2026-I;Achterstand;Voorsprong;Gecorrigeerde taakstelling;Gehuisvest",
               "Assen;30;5;2;33;20", "Emmen;40;;6;34;30")
    result = read("tvs", data, peildatum=JUNE)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    assert line(result) == {EMMEN: (-6, 34)}
    assert [where(m) for m in result.meldingen] == [
        ("waarschuwing", "tvs_achterstand_en_voorsprong", "tvs.csv", None, 2, "Voorsprong", "2"),
        ("waarschuwing", "tvs_opgavelijn_onvolledig", "tvs.csv", None, 2, "Achterstand", None)]


@pytest.mark.parametrize("behind, ahead", [("(12)", "12-"), ("-12", "\u221212"), ("12-", "(12)")])
def test_tvs_negative_backlog_as_publishers_write_it(behind, ahead):
    data = csv("Gemeente;Periode;Taakstelling;Achterstand/voorsprong;Gecorrigeerde taakstelling;Gerealiseerd",
               f"Assen;2026-I;30;{behind};18;10", f"Emmen;2026-I;40;{ahead};28;20", "Tynaarlo;2026-I;10;+3;13;1")
    result = read("tvs", data, peildatum=JUNE)
    assert not result.meldingen
    assert line(result) == {ASSEN: (-12, 30 - 12), EMMEN: (-12, 40 - 12), "GM1730": (3, 10 + 3)}


@adapter_settings()
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30), st.integers(0, 30), st.booleans()),
                min_size=1, max_size=6))
def test_property_the_backlog_is_achterstand_minus_voorsprong(rows):
    """Whatever the figures: a row with at most one of backlog and lead non-zero gets the line
    (−voorsprong or achterstand, taakstelling + that); a row with both gets none, with a warning."""
    names = ["Assen", "Emmen", "Tynaarlo", "Aa en Hunze", "Borger-Odoorn", "Coevorden"]
    codes_ = ["GM0106", "GM0114", "GM1730", "GM1680", "GM1681", "GM0109"]
    lines = ["Gemeente;Taakstelling 2026-I;Achterstand;Voorsprong;Gehuisvest"]
    expected, conflicts = {}, set()
    for i, (target, behind, ahead, blank) in enumerate(rows):
        lines.append(f"{names[i]};{target};{'' if blank and not behind else behind};{ahead};1")
        if behind and ahead:
            conflicts.add(i + 2)
        else:
            expected[codes_[i]] = (behind - ahead, target + behind - ahead)
    result = read("tvs", csv(*lines), peildatum=JUNE)
    assert line(result) == expected
    assert {m.rij for m in result.meldingen if m.code == "tvs_achterstand_en_voorsprong"} == conflicts


# --- TVS: the realisation's day and the file's period ----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tvs_realisation_header_of_another_day_is_a_fout(fmt):
    """``Gehuisvest t/m 31-12-2025`` read for 30 June 2026 counted the figures of the end of 2025 on that
    day (was wrong, exit 0): a fout at the header, nothing counted, the peildatum line that fixes it."""
    rows = [["Gemeente", "Taakstelling 2025-II", "Achterstand per 1-7-2025", "Gehuisvest t/m 31-12-2025"],
            ["Assen", 30, 5, 20], ["Emmen", 40, 6, 30]]
    data = book({"TVS": rows}) if fmt == "xlsx" else csv(*(";".join(map(str, r)) for r in rows))
    result = read("tvs", data, peildatum=JUNE)
    assert figures(result) == {}
    [fout] = result.meldingen
    blad = "TVS" if fmt == "xlsx" else None
    assert where(fout) == ("fout", "peildatum_wijkt_af_van_kop", f"tvs.{fmt}", blad, 1, "Gehuisvest t/m 31-12-2025",
                           "Gehuisvest t/m 31-12-2025")
    assert "peildatum = 2025-12-31" in fout.melding
    fixed = read("tvs", data, peildatum=dt.date(2025, 12, 31))
    assert not fixed.meldingen and figures(fixed) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}


@pytest.mark.parametrize("header, peildatum, ok", [
    ("Gehuisvest t/m 30-06-2026", JUNE, True),
    ("Gehuisvest per 1-7-2026", JUNE, True),                      # the state at the end of 30 June
    ("Gehuisvest t/m 28-06-2026", JUNE, True),                    # within a week: a weekly stand date
    ("Gehuisvest t/m 22-06-2026", JUNE, False),
    ("Gerealiseerd 2026-I", dt.date(2026, 3, 31), True),
    ("Gerealiseerd 2026-I", dt.date(2026, 7, 1), True),            # the day after belongs to the period
    ("Gerealiseerd 2025-II", JUNE, False),
    ("Gerealiseerd januari t/m juni 2026", JUNE, True),
])
def test_tvs_realisation_header_day_against_the_peildatum(header, peildatum, ok):
    result = read("tvs", csv(f"Gemeente;{header}", "Assen;20", "Emmen;30"), peildatum=peildatum)
    if ok:
        assert not result.meldingen and figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    else:
        assert codes(result) == [("fout", "peildatum_wijkt_af_van_kop", 1)] and figures(result) == {}


def test_tvs_title_period_of_another_half_year_is_a_fout():
    """A title ``… 2025-II`` read for 30 June 2026: a fout (was silent); the line keeps its own dates."""
    data = csv("Taakstelling vergunninghouders 2025-II", "Gemeente;Taakstelling;Achterstand;Gehuisvest",
               "Assen;30;5;20", "Emmen;40;6;30")
    result = read("tvs", data, peildatum=JUNE)
    assert [where(m) for m in result.meldingen] == [
        ("fout", "peildatum_buiten_periode", "tvs.csv", None, 2, None, None)]
    late = read("tvs", data, peildatum=dt.date(2026, 1, 5))  # published a few days after the period: a warning
    assert codes(late) == [("waarschuwing", "peildatum_buiten_periode", 2)]


def test_tvs_periode_column_of_another_half_year_is_a_fout():
    data = csv("Gemeente;Periode;Gerealiseerd", "Assen;2025-II;20", "Emmen;2025-II;30")
    assert codes(read("tvs", data, peildatum=JUNE)) == [("fout", "peildatum_buiten_periode", 2)]
    assert codes(read("tvs", data, peildatum=dt.date(2026, 1, 2))) == [("waarschuwing", "peildatum_buiten_periode", 2)]


def test_tvs_file_at_the_turn_of_the_half_year():
    """The new period's target and backlog beside what was housed up to the old one's end, read for 31
    December: no melding, the 2026-I line."""
    rows = [["Taakstelling eerste helft 2026"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Taakstelling 2026-I", "Achterstand per 1-1-2026", "Gehuisvest t/m 31-12-2025"],
            ["Assen", 30, 5, 60], ["Emmen", 40, -6, 75]]
    result = read("tvs", book({"TVS": rows}), peildatum=dt.date(2025, 12, 31))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *TVS): 60, (EMMEN, *TVS): 75}
    assert line(result) == {ASSEN: (5, 35), EMMEN: (-6, 34)}


@pytest.mark.parametrize("lines, kolom", [
    (("Gemeente;Taakstelling 2026-I;Achterstand per 1-7-2025;Gehuisvest", "Assen;30;5;20"), "Achterstand per 1-7-2025"),
    (("Gemeente;Periode;Taakstelling;Achterstand per 1-7-2025;Gehuisvest", "Assen;2026-I;30;5;20"),
     "Achterstand per 1-7-2025"),
    (("Gemeente;Taakstelling 2026-I;Achterstand per 15-3-2026;Gehuisvest", "Assen;30;5;20"), "Achterstand per 15-3-2026"),
    (("Gemeente;Taakstelling 2026-I;Voorsprong per 1-7-2025;Gehuisvest", "Assen;30;5;20"), "Voorsprong per 1-7-2025"),
    (("Gemeente;Taakstelling 2026-I;Achterstand;Gecorrigeerde taakstelling 2025-II;Gehuisvest", "Assen;30;5;35;20"), None),
])
def test_tvs_line_headers_of_another_period_give_no_line(lines, kolom):
    """``Taakstelling 2026-I`` beside ``Achterstand per 1-7-2025`` put the backlog of July 2025 on 1 January
    2026 (was wrong, with exit 0); a backlog of mid-March is no backlog at the period's start either. No line,
    a warning that names the header; the realised count stands."""
    result = read("tvs", csv(*lines), peildatum=JUNE)
    assert figures(result) == {(ASSEN, *TVS): 20} and result.opgaven is None
    assert [(m.ernst.value, m.code, m.rij, m.kolom) for m in result.meldingen] == [
        ("waarschuwing", "tvs_opgavelijn_perioden", 1, kolom)]


def test_tvs_backlog_on_the_last_day_before_the_period_is_its_start():
    result = read("tvs", csv("Gemeente;Taakstelling 2026-I;Achterstand per 31-12-2025;Gehuisvest", "Assen;30;5;20"),
                  peildatum=JUNE)
    assert not result.meldingen and line(result) == {ASSEN: (5, 35)}


# --- TVS: the period, in a title or a Periode column -----------------------------------------------------------

@pytest.mark.parametrize("title", ["Halfjaar 2026-1", "eerste helft 2026", "1e halfjaar 2026", "januari t/m juni 2026",
                                   "Realisatie 1 januari t/m 30 juni 2026", "Huisvesting 1-1-2026 t/m 30-6-2026",
                                   "Taakstelling 2026-1 (stand per 30 juni 2026)"])
def test_tvs_period_in_the_title(title):
    """Was: the first, fourth, fifth, sixth and last gave no line and no melding."""
    rows = [[title, None, None, None], ["Stand per 30 juni 2026"], [],
            ["Gemeente", "Taakstelling", "Achterstand", "Gerealiseerd"], ["Assen", 30, 5, 20], ["Emmen", 40, -6, 30]]
    result = read("tvs", book({"TVS": rows}, merges=(("TVS", "A1:D1"),)), peildatum=JUNE)
    assert not result.meldingen
    assert line(result) == {ASSEN: (5, 35), EMMEN: (-6, 34)}


@pytest.mark.parametrize("period", ["2026-I", "1e helft 2026", "januari t/m juni 2026", "jan-jun 2026",
                                    "1-1-2026 t/m 30-6-2026", "2026-1"])
def test_tvs_periode_column_forms(period):
    """One period in three spellings in one column is one period; the range forms were ``periode_onleesbaar``."""
    data = csv("Gemeente;Periode;Achterstand;Gecorrigeerde taakstelling;Gerealiseerd", f"Assen;{period};5;35;20",
               "Emmen;2026-I;3;33;30", "Tynaarlo;eerste halfjaar 2026;0;12;4")
    result = read("tvs", data, peildatum=JUNE)
    assert not result.meldingen
    assert line(result) == {ASSEN: (5, 35), EMMEN: (3, 33), "GM1730": (0, 12)}


@pytest.mark.parametrize("text", ["januari t/m mei 2026", "februari t/m juli 2026", "1 januari t/m 29 juni 2026",
                                  "jan 2026 - jun 2027", "2026-2027", "1-1-2026 t/m 31-12-2027"])
def test_ranges_that_are_no_half_year_are_no_period(text):
    assert parse_period(text) is None


@pytest.mark.parametrize("text", ["Stand per 2026-1-1", "versie 2026-12", "Overzicht 2026-2027", "Stand per 30 juni 2026"])
def test_title_texts_without_a_period(text):
    assert find_period(text) is None


@given(st.integers(1995, 2090), st.booleans(), st.sampled_from(["{a} t/m {b} {y}", "{a}-{b} {y}", "1 {a} t/m {d} {b} {y}",
                                                                  "1-{m}-{y} t/m {d}-{n}-{y}", "{y}-{h}"]))
def test_property_a_half_year_range_is_its_half_year(year, second, form):
    a, b = ("juli", "december") if second else ("januari", "juni")
    start = dt.date(year, 7 if second else 1, 1)
    end = dt.date(year, 12, 31) if second else dt.date(year, 6, 30)
    text = form.format(a=a, b=b, y=year, d=end.day, m=start.month, n=end.month, h=2 if second else 1)
    assert parse_period(text) == (start, end)
    assert find_period(f"Huisvesting vergunninghouders, {text}") == (start, end)


# --- TVS: totals, counts and names -----------------------------------------------------------------------------

def test_tvs_provincial_subtotals_and_a_national_total():
    """``Provincie Drenthe`` and ``Totaal provincie`` are subtotals, ``Nederland`` the national total: all
    excluded, each checked; a mismatch is a warning on its own row."""
    data = csv("Gemeente;Gehuisvest;% gerealiseerd", "Assen;20;67", "Emmen;30;75", "Provincie Drenthe;50;71",
               "Groningen;7;50", "Midden-Groningen;3;30", "Totaal provincie;11;", "Nederland;60;")
    result = read("tvs", data, peildatum=JUNE)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30, (GRONINGEN, *TVS): 7, ("GM1952", *TVS): 3}
    assert [(m.code, m.rij, m.waarde) for m in result.meldingen] == [("totaalrij_klopt_niet", 7, "11")]
    assert result.stats.totaalrijen == 3


@pytest.mark.parametrize("cell, expected", [("1.083", 1083), ("1 083", 1083), ("1\u00a0083", 1083),
                                            ("1,083", "geen_heel_getal"), ("1.083¹", "geen_getal")])
def test_tvs_counts_as_written(cell, expected):
    result = read("tvs", "Gemeente,Gerealiseerd\nAssen,\"{}\"\nEmmen,5\n".format(cell).encode("utf-8-sig"),
                  peildatum=JUNE)
    if isinstance(expected, int):
        assert not result.meldingen and figures(result) == {(ASSEN, *TVS): expected, (EMMEN, *TVS): 5}
    else:
        assert [where(m) for m in result.meldingen] == [("fout", expected, "tvs.csv", None, 2, "Gerealiseerd", cell)]
        assert figures(result) == {(EMMEN, *TVS): 5}


def test_tvs_municipalities_as_the_monitor_spells_them():
    """cp1252, as Excel saves a CSV; ``Den Bosch`` beside ``'s-Hertogenbosch`` is one municipality (summed,
    with the warning that names both rows)."""
    data = csv("Gemeente;Gerealiseerd", "'s-Hertogenbosch;10", "Den Bosch;2", "Súdwest Fryslân;3", "Nuenen c.a.;4",
               "Bergen (NH);5", "Bergen (L);6", "Hengelo (O);7", encoding="cp1252")
    result = read("tvs", data, peildatum=JUNE)
    assert figures(result) == {("GM0796", *TVS): 10 + 2, ("GM1900", *TVS): 3, ("GM0820", *TVS): 4,
                               ("GM0373", *TVS): 5, ("GM0893", *TVS): 6, ("GM0164", *TVS): 7}
    assert [(m.code, m.rij) for m in result.meldingen] == [("dubbele_gemeente", 3)]


@pytest.mark.parametrize("name, resolves", [("Emmen *", True), ("Emmen*)", True), ("Emmen¹", False),
                                            ("Emmen²³", False), ("Emmen (1)", False), ("Emmen⁽¹⁾", False)])
def test_tvs_footnote_marks_on_names(name, resolves):
    """A mark of punctuation is no part of a name; a superscript digit or a number in brackets is kept (it may
    be part of a name, and is never a code): a fout at the cell that suggests the name and shows the
    ``waarden`` line."""
    result = read("tvs", csv("Gemeente;Gerealiseerd", "Assen;20", f"{name};30"), peildatum=JUNE)
    if resolves:
        assert not result.meldingen and figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    else:
        [fout] = result.meldingen
        assert where(fout) == ("fout", "gebied_onbekend", "tvs.csv", None, 3, "Gemeente", name)
        assert "Emmen" in fout.melding.split("Bedoelt u:")[1].split(",")[0]
        assert fout.melding.endswith(f'waarden = {{ "{name}" = "Emmen" }}')  # was: only the suggestions
        assert figures(result) == {(ASSEN, *TVS): 20}


_DRENTHE = ["Assen", "Emmen", "Tynaarlo", "Aa en Hunze", "Borger-Odoorn", "Coevorden", "De Wolden", "Hoogeveen",
            "Meppel", "Midden-Drenthe", "Noordenveld", "Westerveld"]


@adapter_settings()
@given(st.sampled_from(_DRENTHE), st.sampled_from(["\u00b9", "\u00b2\u00b3", "\u207d\u00b9\u207e", " (1)", " 2)", "\u2074"]))
def test_property_a_footnoted_name_is_refused_with_its_waarden_line(name, mark):
    """Any municipality with a footnote mark of digits: never a figure, never another municipality; the
    melding's ``waarden`` line names the municipality. (A dagger is punctuation, like ``*``: ``Assen†`` is
    Assen.)"""
    cell = name + mark
    result = read("nidos", csv("Gemeente;Plekken", f"{cell};12"))
    assert figures(result) == {}
    [fout] = result.meldingen
    assert (fout.code, fout.waarde) == ("gebied_onbekend", cell)
    assert fout.melding.endswith(f'waarden = {{ "{cell}" = "{name}" }}')


@pytest.mark.parametrize("column, cell", [("Gemeentecode", "GM0014¹"), ("Gemeentecode", "14¹"),
                                          ("Gemeentecode", "0106²"), ("Gemeente", "GM0014¹ Groningen")])
def test_a_superscript_digit_never_becomes_part_of_a_code(column, cell):
    """``14¹`` folds to ``141`` (GM0141, Almelo) if the mark is read as a digit: a fout at the cell instead."""
    result = read("nidos", csv(f"{column};Plekken", f"{cell};12", "Assen;3" if column == "Gemeente" else "106;3"))
    assert figures(result) == {(ASSEN, *NIDOS): 3}
    [fout] = result.meldingen
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("gebied_onbekend", 2, column, cell)


def test_the_waarden_line_resolves_a_footnoted_name(tmp_path):
    data = csv("Peildatum;Gemeente;Gerealiseerd", "31-12-2025;Assen;45", "31-12-2025;Emmen¹;80")
    folder = _dataset(tmp_path, {"bronnen/tvs.csv": data})
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 1
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'bestand = "bronnen/tvs.csv"\n', 'bestand = "bronnen/tvs.csv"\nwaarden = { "Emmen¹" = "Emmen" }\n'),
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    rows = {r["gemeentenaam"]: r for r in opvangkern.open_dataset(folder).dashboard().gemeenten.to_pylist()}
    assert rows["Emmen"]["vergunninghouders_realisatie"] == 80 and rows["Assen"]["vergunninghouders_realisatie"] == 45


def test_tvs_two_half_years_side_by_side_need_kolommen(tmp_path):
    data = book({"TVS": [*TITLE, ["Gemeente", "Gerealiseerd 2025-II", "Gerealiseerd 2026-I"], ["Assen", 20, 25],
                         ["Emmen", 30, 35]]})
    result = read("tvs", data, peildatum=JUNE)
    assert [(m.code, m.rij) for m in errors(result)] == [("meerdere_kolommen", 4)]
    assert 'kolommen = { "Gerealiseerd 2026-I" = "Gerealiseerd" }' in errors(result)[0].melding
    picked = read("tvs", data, peildatum=JUNE, kolommen={"Gerealiseerd 2026-I": "Gerealiseerd"})
    assert not picked.meldingen and figures(picked) == {(ASSEN, *TVS): 25, (EMMEN, *TVS): 35}


def test_tvs_percentages_beside_the_counts():
    """``Realisatie %`` and ``% gerealiseerd`` (formatted 0%) are ratios, never the count."""
    rows = [*TITLE, ["Gemeente", "Taakstelling 2026-I", "Gerealiseerd", "Realisatie %", "% gerealiseerd"],
            ["Assen", 30, 20, 67, 0.67], ["Emmen", 40, 30, 75, 0.75]]
    data = book({"TVS": rows}, formats=(("TVS", "E5", "0%"), ("TVS", "E6", "0%")))
    result = read("tvs", data, peildatum=JUNE)
    assert not result.meldingen and figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}


def test_tvs_national_workbook_with_thousands_formats_and_a_merged_title():
    rows = [["Monitor huisvesting vergunninghouders – eerste helft 2026", None, None, None, None],
            ["Stand per 30 juni 2026"], [],
            ["Gemeente", "Taakstelling 2026-I", "Achterstand per 1-1-2026", "Gecorrigeerde taakstelling",
             "Gehuisvest t/m 30-06-2026"],
            ["Groningen", 1083, 5, 1088, 1020], ["Emmen", 40, -6, 34, 30], ["Totaal", 1123, -1, 1122, 1050]]
    formats = tuple(("TVS", f"{c}{r}", "#,##0") for c in "BDE" for r in (5, 7))
    result = read("tvs", book({"TVS": rows}, merges=(("TVS", "A1:E1"),), formats=formats), peildatum=JUNE)
    assert not result.meldingen
    assert figures(result) == {(GRONINGEN, *TVS): 1020, (EMMEN, *TVS): 30}
    assert line(result) == {GRONINGEN: (5, 1088), EMMEN: (-6, 34)}


# --- KCIO ------------------------------------------------------------------------------------------------------

GOO = [["Gemeentelijke opvang Oekraïners (GOO)"], ["Stand per 31 december 2025"], [],
       ["Veiligheidsregio", "Gemeente", "Capaciteit", "Bezetting", "Beschikbaar", "Vrije plekken", "Bezetting (%)"],
       ["Drenthe", "Assen", 300, 250, 50, 50, 0.83], ["Drenthe", "Emmen", 120, 100, 20, 20, 0.83],
       ["Totaal Veiligheidsregio Drenthe", None, 420, 350, 70, 70, None],
       ["Groningen", "Groningen", 500, 480, 20, 20, 0.96], ["Totaal", None, 920, 830, 90, 90, None],
       [], ["Bron: KCIO"]]


@pytest.mark.parametrize("maat, expected", [("capaciteit", (300, 120, 500)), ("bezetting", (250, 100, 480))])
def test_kcio_goo_list_with_free_places_beside(maat, expected):
    """``Beschikbaar`` and ``Vrije plekken`` are neither places nor occupancy; the region subtotal in the
    middle is excluded and checked."""
    data = book({"GOO": GOO}, formats=tuple(("GOO", f"G{r}", "0%") for r in (5, 6, 8)))
    result = read("kcio", data, maat=maat)
    assert not result.meldingen
    assert figures(result) == dict(zip([(ASSEN, *KCIO), (EMMEN, *KCIO), (GRONINGEN, *KCIO)], expected))
    assert result.stats.totaalrijen == 2


@pytest.mark.parametrize("header", ["Vrije plekken", "Beschikbare plekken", "Geplande plekken"])
def test_kcio_free_or_planned_places_alone_are_no_capacity(header):
    result = read("kcio", csv(f"Veiligheidsregio;Gemeente;{header}", "Drenthe;Assen;50", "Drenthe;Emmen;20"))
    assert figures(result) == {} and [m.code for m in errors(result)] == ["verplichte_kolom_ontbreekt"]


def test_kcio_realised_beside_planned_places():
    result = read("kcio", csv("Gemeente;Gerealiseerde plekken;Geplande plekken", "Assen;300;50", "Emmen;120;0"))
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 120}


def test_kcio_locations_under_a_merged_municipality_cell():
    """Rows per location, the municipality merged down over them: summed, with the warning naming the rows."""
    rows = [["Gemeente", "Locatie", "Capaciteit"], ["Assen", "Hotel", 100], [None, "Kazerne", 200],
            ["Emmen", "Paviljoen", 120], ["Totaal", None, 420]]
    result = read("kcio", book({"GOO": rows}, merges=(("GOO", "A2:A3"),)))
    assert figures(result) == {(ASSEN, *KCIO): 100 + 200, (EMMEN, *KCIO): 120}
    assert [(m.code, m.rij) for m in result.meldingen] == [("dubbele_gemeente", 3)]


@pytest.mark.parametrize("header", ["Veiligheidsregio", "Regio", "VR"])
def test_kcio_a_file_of_regions_only_says_so(header):
    data = csv(f"{header};Capaciteit;Bezetting", "Drenthe;420;350", "Groningen;540;500", "Totaal;960;850")
    result = read("kcio", data)
    assert figures(result) == {}
    [fout] = result.meldingen
    assert where(fout) == ("fout", "kcio_alleen_regio", "kcio.csv", None, 1, None, None)
    assert "kolommen" not in fout.melding.split("Koppel")[0]


def test_kcio_missing_municipality_column_beside_no_region_keeps_the_kolommen_line():
    result = read("kcio", csv("Plaats;Capaciteit", "Assen;300"))
    [fout] = result.meldingen
    assert fout.code == "verplichte_kolom_ontbreekt" and 'kolommen = {' in fout.melding


# --- Nidos -----------------------------------------------------------------------------------------------------

def test_nidos_places_beside_planned_and_in_development():
    data = csv("Nidos – kleinschalige opvang AMV", "Peildatum: 31-12-2025", "",
               "Gemeente;Kleinschalige opvangplekken;In ontwikkeling;Gepland;Kleinschalige opvangplekken gepland",
               "Assen;33;5;2;7", "Emmen;8;0;1;1", "Drenthe;41;5;3;8", "* Gepland: nog niet in gebruik.")
    result = read("nidos", data)
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 33, (EMMEN, *NIDOS): 8}


@pytest.mark.parametrize("lines, expected", [
    (("Gemeente;Aantal locaties;Aantal", "Assen;3;33", "Emmen;1;8"), {(ASSEN, *NIDOS): 33, (EMMEN, *NIDOS): 8}),
    (("Gemeente;Aantal locaties", "Assen;3", "Emmen;1"), "verplichte_kolom_ontbreekt"),
    (("Gemeente;Aantal locaties;Aantal plekken", "Assen;3;33"), "verplichte_kolom_ontbreekt"),
])
def test_nidos_a_count_of_locations_is_no_places(lines, expected):
    result = read("nidos", csv(*lines))
    if isinstance(expected, dict):
        assert not result.meldingen and figures(result) == expected
    else:
        assert figures(result) == {} and [m.code for m in errors(result)] == [expected]


def test_nidos_per_location_long_file():
    data = csv("Gemeente,Locatie,Adres,Aantal jongeren,Plekken", "Assen,Huis 1,Straat 1,5,6",
               "Assen,Huis 2,Straat 2,4,4", "Emmen,Huis 3,Straat 3,8,8", "Totaal,,,17,18")
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 6 + 4, (EMMEN, *NIDOS): 8}
    assert [(m.code, m.rij) for m in result.meldingen] == [("dubbele_gemeente", 3)]


def test_nidos_workbook_with_toelichting_and_summary_before_the_data():
    data = book({"Toelichting": [["Dit overzicht toont de kleinschalige opvangplekken van Nidos."]],
                 "Samenvatting": [["Provincie", "Plekken"], ["Drenthe", 41]],
                 "Per gemeente": [["Gemeente", "Plekken"], ["Assen", 33], ["Emmen", 8]]})
    result = read("nidos", data)
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 33, (EMMEN, *NIDOS): 8}


# --- through the command line ----------------------------------------------------------------------------------

def test_red_team_files_through_check_and_dashboard(tmp_path):
    """The TVS file that made a wrong line (a lead column) gives the right housing line in the dashboard; the
    one read for the wrong day stops ``check`` and ``dashboard`` (exit 1)."""
    tvs = csv("Huisvesting vergunninghouders tweede helft 2025", "Stand per 31 december 2025", "",
              "Gemeente;Taakstelling 2025-II;Achterstand per 1-7-2025;Voorsprong per 1-7-2025;Gehuisvest t/m 31-12-2025",
              "Assen;60;5;0;45", "Emmen;70;0;6;80")
    folder = _dataset(tmp_path / "goed", {"bronnen/tvs.csv": tvs})
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")  # the TVS file's own line, not a quota file, for the task
    start = text.index('[[opgave]]\nopgave = "vergunninghouders"')
    manifest.write_text(text[:start] + text[text.index("[[", start + 5):], encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    ds = opvangkern.open_dataset(folder)
    points = {(p["gebied_code"], p["ingangsdatum"]): p["aantal"] for p in ds.opgaven.to_pylist()
              if p["opgave"] == "vergunninghouders"}
    assert points[(EMMEN, dt.date(2025, 7, 1))] == 0 - 6 and points[(EMMEN, dt.date(2026, 1, 1))] == 70 - 6
    rows = {r["gemeentenaam"]: r for r in ds.dashboard().gemeenten.to_pylist()}
    assert rows["Emmen"]["vergunninghouders_realisatie"] == 80 and rows["Assen"]["vergunninghouders_realisatie"] == 45

    wrong = _dataset(tmp_path / "fout", {"bronnen/tvs.csv": csv("Gemeente;Gehuisvest t/m 30-06-2025", "Assen;45")})
    result = CliRunner().invoke(cli, ["check", str(wrong)])
    assert result.exit_code == 1 and "Gehuisvest t/m 30-06-2025" in result.output
    [fout] = [m for m in load_dataset(wrong).melding_list if m.ernst is Severity.FOUT]
    assert (fout.code, fout.bestand, fout.rij) == ("peildatum_wijkt_af_van_kop", "bronnen/tvs.csv", 1)
    assert CliRunner().invoke(cli, ["dashboard", str(wrong), "--output", str(tmp_path / "uit")]).exit_code == 1


# --- other sheets of the same table ----------------------------------------------------------------------------

HEADER = ["Gemeente", "Taakstelling 2026-I", "Achterstand per 1-1-2026", "Gehuisvest t/m 30-06-2026"]


@pytest.mark.parametrize("bron, header, key", [("tvs", HEADER, TVS), ("kcio", ["Gemeente", "Capaciteit", "Bezetting"], KCIO),
                                               ("nidos", ["Gemeente", "Plekken"], NIDOS)])
def test_a_sheet_per_province_is_a_fout_that_names_the_sheets(bron, header, key):
    """Only the first sheet was read: Groningen's municipalities had no realisation and no melding (their
    delta as if nothing was realised). A fout on the sheet read, naming the other; each sheet read by itself
    (``blad``) gives its own figures."""
    width = len(header) - 1
    sheets = {"Drenthe": [["Provincie Drenthe"], header, ["Assen", *[20] * width], ["Emmen", *[30] * width]],
              "Groningen": [["Provincie Groningen"], header, ["Groningen", *[7] * width]],
              "Toelichting": [["Bron: zie de website"]]}
    kw = {"peildatum": JUNE} if bron == "tvs" else {}
    result = read(bron, book(sheets), **kw)
    [fout] = errors(result)
    assert where(fout) == ("fout", "ander_blad_niet_gelezen", f"{bron}.xlsx", "Drenthe", None, None, "Groningen")
    assert 'blad = "Groningen"' in fout.melding and "(Groningen)" in fout.melding
    first = read(bron, book(sheets), blad="Drenthe", **kw)
    second = read(bron, book(sheets), blad="Groningen", **kw)
    assert not first.meldingen and not second.meldingen
    assert figures(first) == {(ASSEN, *key): 20, (EMMEN, *key): 30} and figures(second) == {(GRONINGEN, *key): 7}


def test_a_sheet_of_the_previous_period_is_a_warning():
    """The same municipalities on a second sheet (the previous half-year): the first is read, with a warning
    that names it; ``blad`` says which is meant."""
    sheets = {"2026-I": [HEADER, ["Assen", 30, 5, 20], ["Emmen", 40, -6, 30]],
              "2025-II": [["Gemeente", "Taakstelling 2025-II", "Achterstand per 1-7-2025", "Gehuisvest t/m 31-12-2025"],
                          ["Assen", 28, 4, 27], ["Emmen", 35, 0, 41]]}
    result = read("tvs", book(sheets), peildatum=JUNE)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    assert [where(m) for m in result.meldingen] == [
        ("waarschuwing", "ander_blad_niet_gelezen", "tvs.xlsx", "2026-I", None, None, "2025-II")]
    assert not read("tvs", book(sheets), peildatum=JUNE, blad="2026-I").meldingen


def test_a_hidden_sheet_or_a_sheet_without_the_table_is_no_melding():
    data = book({"N": [["Gemeente", "Plekken"], ["Assen", 5]], "Grafiek": [["Plekken per maand"], [1, 2, 3]],
                 "Oud": [["Gemeente", "Plekken"], ["Emmen", 4]]})
    path = io.BytesIO(data)
    wb = openpyxl.load_workbook(path)
    wb["Oud"].sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    result = read("nidos", out.getvalue())
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 5}


# --- a region's subtotal written as its bare name, where a municipality has that name --------------------------

@pytest.mark.parametrize("bron, lines, rij", [
    ("kcio", ("Veiligheidsregio;Gemeente;Capaciteit", "Utrecht;Amersfoort;100", "Utrecht;Utrecht;200", "Utrecht;Zeist;50",
              ";Utrecht;350"), 5),
    ("tvs", ("Gemeente;Gerealiseerd", "Groningen;7", "Midden-Groningen;3", "Het Hogeland;2", "Groningen;12"), 5),
    ("nidos", ("Gemeente;Plekken", "Utrecht;35", "Amersfoort;10", "Utrecht;20", "Zeist;5"), 2),
])
def test_a_namesake_subtotal_is_a_fout(bron, lines, rij):
    """``Utrecht;350`` under the region's rows was summed into the municipality (550, a warning only, exit 0):
    a row of a municipality named like its region or province that holds exactly the sum of the region's other
    rows is a fout at that row."""
    kw = {"peildatum": JUNE} if bron == "tvs" else {}
    result = read(bron, csv(*lines), **kw)
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom) == ("subtotaal_als_gemeente", rij, "Gemeente")
    assert "Totaal " in fout.melding


def test_a_namesake_in_two_rows_that_is_no_subtotal_is_summed():
    """Two locations in Utrecht, neither the region's sum: the municipality, summed with the warning."""
    result = read("kcio", csv("Gemeente;Locatie;Capaciteit", "Amersfoort;A;100", "Utrecht;B;200", "Zeist;C;50",
                              "Utrecht;D;30"))
    assert figures(result) == {("GM0307", *KCIO): 100, ("GM0344", *KCIO): 200 + 30, ("GM0355", *KCIO): 50}
    assert [(m.code, m.rij) for m in result.meldingen] == [("dubbele_gemeente", 5)]


# --- a counted column's header day, KCIO and Nidos; places not there yet -----------------------------------------

@pytest.mark.parametrize("bron, header, kw, ok", [
    ("kcio", "Capaciteit (stand 29-12-2025)", {}, True),
    ("kcio", "Capaciteit per 1-3-2026", {}, False),             # a planned state: counted as realised before
    ("kcio", "Bezetting per 1-3-2026", {"maat": "bezetting"}, False),
    ("nidos", "Plekken per 1-10-2025", {}, False),               # a stale list read for 31 December
    ("nidos", "Plekken (stand 31-12-2025)", {}, True),
])
def test_kcio_and_nidos_header_day_against_the_peildatum(bron, header, kw, ok):
    key = {"kcio": KCIO, "nidos": NIDOS}[bron]
    extra = "Capaciteit;" if "Bezetting" in header else ""
    data = csv(f"Gemeente;{extra}{header}", f"Assen;{'300;' if extra else ''}30", f"Emmen;{'120;' if extra else ''}8")
    result = read(bron, data, **kw)
    if ok:
        assert not result.meldingen and figures(result) == {(ASSEN, *key): 30, (EMMEN, *key): 8}
    else:
        assert [where(m) for m in result.meldingen] == [
            ("fout", "peildatum_wijkt_af_van_kop", f"{bron}.csv", None, 1, header, header)]
        assert figures(result) == {}


@pytest.mark.parametrize("label", ["In ontwikkeling", "Gepland", "Prognose 2026", "Plekken in ontwikkeling"])
def test_places_under_a_label_of_places_not_there_yet_are_a_fout(label):
    """``Plekken`` under ``In ontwikkeling`` counted the planned places as realised (was wrong, exit 0): a column
    whose own header names places is exempt from its group label, but not from one of places not yet there."""
    result = read("nidos", book({"N": [[None, label], ["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 2]]}))
    assert [(m.code, m.rij, m.kolom) for m in errors(result)] == [("groepskop_andere_maat", 2, "Plekken")]


def test_places_under_a_label_that_names_places_and_occupancy_are_read():
    """The review's case stays: ``Capaciteit | Bezetting`` under ``Capaciteit en bezetting``."""
    rows = [[None, "Capaciteit en bezetting", None], ["Gemeente", "Capaciteit", "Bezetting"], ["Assen", 300, 250]]
    result = read("kcio", book({"G": rows}, merges=(("G", "B1:C1"),)))
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 300}
