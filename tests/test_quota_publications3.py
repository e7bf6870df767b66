"""Quota decisions as they are really published, third round (hardening, eighth session): the housing circular's
columns, a second table laid out differently, `waarden` that change nothing, merger-year names, the Spreidingswet
layout, and the `opvangkern init` workbook filled in the way an analyst fills it in Excel. Each case goes through
the public entry points (``opvangkern check`` via click, ``load_dataset``); the expected figure is plain
arithmetic here, or the exact melding (code, file, sheet, row, column, value) with the exit code."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opvangkern.cli import cli

from .test_quota_publications import check, make, meldingen, points, quota

JAN = dt.date(2026, 1, 1)
JUL = dt.date(2026, 7, 1)


def located(found: list[dict]) -> list[tuple]:
    return [(m["code"], m["ernst"], m["bestand"], m["blad"], m["rij"], m["kolom"], m["waarde"]) for m in found]


def errors(folder: Path) -> list[dict]:
    return [m for m in meldingen(folder) if m["ernst"] == "fout"]


# --- 1. the housing circular: the half-year taakstelling beside the gecorrigeerde --------------------

CIRCULAIRE = """
Circulaire taakstelling huisvesting vergunninghouders, 1e helft 2026;;;
;;;
Gemeente;Taakstelling 1e helft 2026;Achterstand per 1 januari 2026;Gecorrigeerde taakstelling
Assen;40;12;52
Emmen;60;-5;55
Tynaarlo;25;0;25
;;;
* een negatieve achterstand is een voorsprong;;;
"""


def test_the_half_year_taakstelling_beside_the_gecorrigeerde_is_a_fout_not_the_target(tmp_path):
    folder = make(tmp_path, quota("vergunninghouders", "2026-07-01", "opgaven/c.csv"), {"opgaven/c.csv": CIRCULAIRE})
    [fout] = errors(folder)
    # before: 40, 60 and 25 were the targets with exit 0, each municipality's backlog forgotten
    assert located([fout]) == [("taakstelling_naast_gecorrigeerde", "fout", "opgaven/c.csv", None, 3,
                                "Taakstelling 1e helft 2026", "Taakstelling 1e helft 2026")]
    assert 'kolommen = { "Gecorrigeerde taakstelling" = "Opgave" }' in fout["melding"]
    assert points(folder, "vergunninghouders") == []
    assert check(folder)[0] == 1


def test_the_kolommen_line_of_the_melding_reads_the_gecorrigeerde_taakstelling(tmp_path):
    line = 'kolommen = { "Gecorrigeerde taakstelling" = "Opgave" }'
    folder = make(tmp_path, quota("vergunninghouders", "2026-07-01", "opgaven/c.csv", line),
                  {"opgaven/c.csv": CIRCULAIRE})
    assert errors(folder) == []
    # each gecorrigeerde taakstelling is the half-year's taakstelling plus its achterstand
    expected = {"GM0106": 40 + 12, "GM0114": 60 - 5, "GM1730": 25 + 0}
    assert sorted(points(folder, "vergunninghouders")) == sorted((c, JUL, float(v)) for c, v in expected.items())
    assert check(folder)[0] == 0


def test_picking_the_half_year_taakstelling_by_name_is_the_analysts_choice(tmp_path):
    line = 'kolommen = { "Taakstelling 1e helft 2026" = "Opgave" }'
    folder = make(tmp_path, quota("vergunninghouders", "2026-01-01", "opgaven/c.csv", line),
                  {"opgaven/c.csv": CIRCULAIRE})
    assert errors(folder) == []
    assert sorted(points(folder, "vergunninghouders")) == sorted([("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0),
                                                                  ("GM1730", JAN, 25.0)])


@pytest.mark.parametrize("beside", ["Achterstand", "Achterstand/voorsprong", "Gecorrigeerde taakstelling 2026-I"])
def test_any_backlog_column_beside_the_taakstelling_refuses_it_for_housing_only(tmp_path, beside):
    csv = f"Gemeente;Taakstelling;{beside}\nAssen;40;10\nEmmen;60;5\n"
    housing = make(tmp_path, quota("vergunninghouders", "2026-01-01", "opgaven/t.csv"), {"opgaven/t.csv": csv})
    assert [m["code"] for m in errors(housing)] == ["taakstelling_naast_gecorrigeerde"]
    # an asylum decision with such a column is another matter: its Taakstelling is the target
    asylum = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/t.csv"), {"opgaven/t.csv": csv})
    assert errors(asylum) == [] and points(asylum) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0)]


# --- 2. a second table with its columns in another order --------------------------------------------

def test_a_header_repeated_in_another_order_is_a_fout_not_rows_skipped_with_warnings(tmp_path):
    csv = ("Verdeling asielopvang Drenthe;\n;\nGemeente;Opgave\nAssen;40\nEmmen;60\n;\n"
           "Gemeenten die later zijn toegevoegd;\nOpgave;Gemeente\n20;Coevorden\n15;Meppel\n")
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    # before: the two rows under it were skipped with a warning each, Coevorden and Meppel had no target, exit 0
    [fout] = errors(folder)
    assert located([fout]) == [("kopregel_andere_volgorde", "fout", "opgaven/a.csv", None, 8, "Gemeente", "Opgave")]
    assert 'blad = "' in fout["melding"] and points(folder) == []
    assert check(folder)[0] == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations([0, 1, 2]), blank=st.booleans())
def test_a_repeated_header_refuses_the_file_exactly_when_its_order_differs(tmp_path_factory, order, blank):
    header = ["Gemeentecode", "Gemeente", "Opgave"]
    first = [["GM0106", "Assen", "40"], ["GM0114", "Emmen", "60"]]
    second = [["GM0109", "Coevorden", "20"]]
    lines = [header, *first, *([[""] * 3] if blank else []), [header[i] for i in order],
             *[[row[i] for i in order] for row in second]]
    csv = "\n".join(";".join(r) for r in lines) + "\n"
    folder = make(tmp_path_factory.mktemp("h"), quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    codes = [m["code"] for m in errors(folder)]
    if list(order) == [0, 1, 2]:  # a printed page break: the rows under it are the same table's
        assert codes == [] and sorted(points(folder)) == sorted([("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0),
                                                                 ("GM0109", JAN, 20.0)])
    else:
        # the kit may refuse the repeated row itself too (a code cell 'Gemeentecode'); the file gives no targets
        assert "kopregel_andere_volgorde" in codes and points(folder) == []


# --- 3. waarden that change nothing --------------------------------------------------------------------

def test_a_waarden_key_that_no_cell_holds_is_a_warning(tmp_path):
    csv = "Gemeente;Opgave\nAssen;40\nHeerhugowaard;80\n"
    line = 'waarden = { "Heerhugowaart" = "Dijk en Waard", "Assen" = "Assen" }'
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv", line), {"opgaven/a.csv": csv})
    unused = meldingen(folder, "waarden_ongebruikt")
    # before: the misspelt key changed nothing, silently; the used key is quiet
    assert located(unused) == [("waarden_ongebruikt", "waarschuwing", "opgaven/a.csv", None, None, "waarden",
                                "Heerhugowaart")]
    assert errors(folder) == []


def test_a_waarden_key_for_a_code_cell_must_be_written_as_the_workbook_stores_it(tmp_path):
    def workbook(path):
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in [("Gemeentecode", "Gemeente", "Opgave"), (106, "Assen", 40), (398, "Heerhugowaard", 80)]:
            ws.append(row)
        wb.save(path)
    # the code cell holds the number 398: "0398" matches no cell, and the warning says so beside the fout
    padded = 'waarden = { "0398" = "Dijk en Waard", "Heerhugowaard" = "Dijk en Waard" }'
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.xlsx", padded), {"opgaven/a.xlsx": workbook})
    assert [m["waarde"] for m in meldingen(folder, "waarden_ongebruikt")] == ["0398"]
    assert [m["code"] for m in errors(folder)] == ["gebieden_spreken_tegen"]
    plain = 'waarden = { "398" = "Dijk en Waard", "Heerhugowaard" = "Dijk en Waard" }'
    fixed = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/a.xlsx", plain), {"opgaven/a.xlsx": workbook})
    assert meldingen(fixed, "waarden_ongebruikt") == [] and errors(fixed) == []
    assert sorted(points(fixed)) == [("GM0106", JAN, 40.0), ("GM1980", JAN, 80.0)]


# --- 4. a successor written with its predecessors ----------------------------------------------------

MERGED = "Gemeente;Opgave\nAlkmaar;50\nDijk en Waard (v/h Heerhugowaard en Langedijk);140\n"


def test_a_successor_with_its_predecessors_in_brackets_is_a_fout_that_shows_the_waarden_line(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": MERGED})
    [fout] = errors(folder)
    assert located([fout]) == [("gebied_onbekend", "fout", "opgaven/a.csv", None, 3, "Gemeente",
                                "Dijk en Waard (v/h Heerhugowaard en Langedijk)")]
    line = 'waarden = { "Dijk en Waard (v/h Heerhugowaard en Langedijk)" = "Dijk en Waard" }'
    assert line in fout["melding"]
    fixed = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/a.csv", line), {"opgaven/a.csv": MERGED})
    assert errors(fixed) == [] and sorted(points(fixed)) == [("GM0361", JAN, 50.0), ("GM1980", JAN, 140.0)]


def test_brackets_that_name_no_municipality_before_them_get_no_hint(tmp_path):
    csv = "Gemeente;Opgave\nAlkmaar;50\nNergenshuizen (v/h Ergens);10\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    [fout] = errors(folder)
    # no line that maps the cell onto a municipality; the general line that skips a row that is none (fourteenth
    # session) is the only waarden line
    skip = 'waarden = { "Nergenshuizen (v/h Ergens)" = "overslaan" }'
    assert fout["code"] == "gebied_onbekend" and "waarden =" not in fout["melding"].replace(skip, "")


# --- 5. the Spreidingswet verdeelbesluit: per province, then per municipality -------------------------

SPREIDING = """
Verdeelbesluit Spreidingswet 2026;;;;
Verdeling per provincie;;;;
Provincie;Aantal opvangplekken;;;
Drenthe;1.790;;;
Groningen;2.100;;;
;;;;
Verdeling per gemeente;;;;
Provincie;Gemeente;Inwonertal;Aandeel;Aantal opvangplekken
Drenthe;Assen;69.000;0,39%;400
Drenthe;Emmen;108.000;0,61%;620
Drenthe;Tynaarlo;34.000;0,19%;195,5
Totaal;;;;1.215,5
;;;;
Bron: ministerie van JenV;;;;
"""


def test_the_spreidingswet_layout_needs_the_kolommen_line_and_then_gives_the_places(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/s.csv"), {"opgaven/s.csv": SPREIDING})
    [fout] = errors(folder)
    # "Aantal opvangplekken" says more than "Aantal": never taken by itself (Inwonertal sits beside it)
    assert fout["code"] == "verplichte_kolom_ontbreekt" and fout["rij"] == 8
    assert 'kolommen = { "Aantal opvangplekken" = "Opgave" }' in fout["melding"]
    line = 'kolommen = { "Aantal opvangplekken" = "Opgave" }'
    fixed = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/s.csv", line), {"opgaven/s.csv": SPREIDING})
    assert errors(fixed) == []
    assert sorted(points(fixed)) == sorted([("GM0106", JAN, 400.0), ("GM0114", JAN, 620.0), ("GM1730", JAN, 195.5)])
    assert meldingen(fixed, "totaalrij_klopt_niet") == []  # 400 + 620 + 195,5 = 1.215,5


def test_a_decimal_target_is_kept_as_the_decision_writes_it(tmp_path):
    # a distribution key gives fractions (12,4 places): kept exactly, as every count column's sum is
    csv = "Gemeente;Aantal opvangplekken\nAssen;12,4\nEmmen;7,6\n"
    line = 'kolommen = { "Aantal opvangplekken" = "Opgave" }'
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/s.csv", line), {"opgaven/s.csv": csv})
    assert errors(folder) == []
    assert points(folder) == [("GM0106", JAN, 12.4), ("GM0114", JAN, 7.6)]


# --- 6. per-province tables one under the other, each with its own header and total ------------------

STACKED = """
Taakstelling huisvesting vergunninghouders 1e helft 2026;
;
Provincie Drenthe;
Gemeente;Taakstelling 1e helft 2026
Assen;40
Emmen;60
Totaal provincie;{drenthe}
;
Provincie Groningen;
Gemeente;Taakstelling 1e helft 2026
Groningen;200
Midden-Groningen;50
Totaal provincie;250
"""


def test_province_tables_one_under_the_other_give_every_municipality_once(tmp_path):
    folder = make(tmp_path, quota("vergunninghouders", "2026-01-01", "opgaven/t.csv"),
                  {"opgaven/t.csv": STACKED.format(drenthe=40 + 60)})
    assert errors(folder) == []
    assert sorted(points(folder, "vergunninghouders")) == sorted(
        [("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0), ("GM0014", JAN, 200.0), ("GM1952", JAN, 50.0)])
    assert meldingen(folder, "totaalrij_klopt_niet") == []


def test_a_wrong_province_total_in_stacked_tables_names_its_row(tmp_path):
    folder = make(tmp_path, quota("vergunninghouders", "2026-01-01", "opgaven/t.csv"),
                  {"opgaven/t.csv": STACKED.format(drenthe=40 + 60 + 5)})
    [warning] = meldingen(folder, "totaalrij_klopt_niet")
    assert (warning["rij"], warning["waarde"]) == (7, "105") and "100" in warning["melding"]
    assert len(points(folder, "vergunninghouders")) == 4


def test_a_hidden_row_of_a_decision_counts_as_excels_sum_counts_it(tmp_path):
    def workbook(path):
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in [("Gemeente", "Opgave"), ("Assen", 40), ("Emmen", 60), ("Totaal", 100)]:
            ws.append(row)
        ws.row_dimensions[3].hidden = True
        wb.save(path)
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.xlsx"), {"opgaven/a.xlsx": workbook})
    assert errors(folder) == [] and points(folder) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 60.0)]
    assert meldingen(folder, "totaalrij_klopt_niet") == []


# --- 7. the init round trip: the starter workbook filled in as in Excel -------------------------------

@pytest.fixture
def started(tmp_path) -> Path:
    folder = tmp_path / "drenthe"
    result = CliRunner().invoke(cli, ["init", str(folder), "--gebied", "PV22", "--ingangsdatum", "1 januari 2026"])
    assert result.exit_code == 0, result.output
    return folder


def _starter_rows(path: Path) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(path)["Opgave"]
    return [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(2, ws.max_row + 1)]


def _as_excel_saves(path: Path, header: list[str], rows: list[list]) -> None:
    """The workbook as Excel writes it: formulas with their cached result, text typed with an apostrophe as text."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Opgave")
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if isinstance(value, tuple):  # (formula, cached value)
                sheet.write_formula(r, c, value[0], None, value[1])
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
    book.add_worksheet("Toelichting").write_string(0, 0, "Vul de kolom Opgave in.")
    book.close()


def test_the_starter_filled_in_as_an_analyst_does_gives_the_figures(started):
    path = started / "opgaven" / "asiel-2026-01-01.xlsx"
    areas = _starter_rows(path)
    assert len(areas) == 12
    amounts = {code: 10.0 * (i + 1) for i, (code, _) in enumerate(areas)}
    deleted = areas[3][0]  # a municipality without a target: its row deleted
    rows = []
    for i, (code, name) in enumerate(areas):
        if code == deleted:
            continue
        value = amounts[code]
        cell = [f"{value:g}", (f"={value:g}-2+2", value), value][i % 3]  # text '12, a formula, a number
        rows.append([code, name, cell, "volgens de brief van 12 januari" if i == 0 else None])
    rows.sort(key=lambda r: r[1], reverse=True)  # sorted by name, Z to A
    kept = [c for c, _ in areas if c != deleted]
    total = sum(amounts[c] for c in kept)
    rows.append([None, "Totaal", (f"=SUM(C2:C{len(rows) + 1})", total), None])
    _as_excel_saves(path, ["Gemeentecode", "Gemeente", "Opgave", "Opmerking"], rows)
    found = [m for m in meldingen(started) if m["bestand"] == "opgaven/asiel-2026-01-01.xlsx"]
    assert found == [], found
    assert sorted(points(started)) == sorted((c, JAN, amounts[c]) for c in kept)
    code, _ = check(started)
    assert code == 0


def test_the_starter_with_a_wrong_total_at_the_bottom_warns(started):
    path = started / "opgaven" / "asiel-2026-01-01.xlsx"
    areas = _starter_rows(path)
    rows = [[c, n, 5.0] for c, n in areas] + [[None, "Totaal", 5.0 * len(areas) + 1]]
    _as_excel_saves(path, ["Gemeentecode", "Gemeente", "Opgave"], rows)
    [warning] = meldingen(started, "totaalrij_klopt_niet")
    assert (warning["bestand"], warning["blad"], warning["rij"]) == ("opgaven/asiel-2026-01-01.xlsx", "Opgave",
                                                                      len(areas) + 2)
    assert len(points(started)) == len(areas)


def test_the_starter_with_only_the_names_column_sorted_is_a_fout_per_row(started):
    path = started / "opgaven" / "asiel-2026-01-01.xlsx"
    areas = _starter_rows(path)
    names = sorted((n for _, n in areas), reverse=True)  # the analyst sorted column B alone
    rows = [[c, n, 5.0] for (c, _), n in zip(areas, names)]
    _as_excel_saves(path, ["Gemeentecode", "Gemeente", "Opgave"], rows)
    wrong = sum(1 for (c, n), m in zip(areas, names) if n != m)
    assert [m["code"] for m in errors(started)] == ["gebieden_spreken_tegen"] * wrong
    assert len(points(started)) == len(areas) - wrong


def test_the_starter_housing_workbook_asks_for_the_gecorrigeerde_taakstelling(started):
    notes = openpyxl.load_workbook(started / "opgaven" / "vergunninghouders-2026-01-01.xlsx")["Toelichting"]
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "gecorrigeerde taakstelling" in text and "achterstand" in text
    manifest = (started / "opvangkern.toml").read_text(encoding="utf-8")
    # the comment stands right above the housing block, after the asylum block
    at = manifest.index("gecorrigeerde taakstelling")
    assert manifest.index('opgave = "asiel"') < at < manifest.index('opgave = "vergunninghouders"')


def test_a_backlog_column_added_beside_the_housing_starter_is_refused_until_kolommen_says_which(started):
    path = started / "opgaven" / "vergunninghouders-2026-01-01.xlsx"
    areas = _starter_rows(path)
    rows = [[c, n, 10.0, 2.0] for c, n in areas]
    _as_excel_saves(path, ["Gemeentecode", "Gemeente", "Opgave", "Achterstand"], rows)
    # is Opgave the half-year's taakstelling or the corrected one? not to be guessed
    [fout] = errors(started)
    assert (fout["code"], fout["bestand"], fout["rij"], fout["kolom"]) == (
        "taakstelling_naast_gecorrigeerde", "opgaven/vergunninghouders-2026-01-01.xlsx", 1, "Opgave")
    line = 'kolommen = { "Opgave" = "Opgave" }'
    assert line in fout["melding"]
    manifest = started / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    at = text.index('bestand = "opgaven/vergunninghouders-2026-01-01.xlsx"')
    manifest.write_text(text[:at] + line + "\n" + text[at:], encoding="utf-8")
    assert errors(started) == []
    assert sorted(points(started, "vergunninghouders")) == sorted((c, JAN, 10.0) for c, _ in areas)


def test_every_ordering_of_the_filled_starter_gives_the_same_points(started):
    path = started / "opgaven" / "amv-2026-01-01.xlsx"
    areas = _starter_rows(path)[:4]
    results = set()
    for perm in itertools.islice(itertools.permutations(range(4)), 0, 24, 5):
        rows = [[areas[i][0], areas[i][1], float(i + 1)] for i in perm]
        _as_excel_saves(path, ["Gemeentecode", "Gemeente", "Opgave"], rows)
        results.add(tuple(sorted(points(started, "amv"))))
    assert results == {tuple(sorted((areas[i][0], JAN, float(i + 1)) for i in range(4)))}


# --- 8. a header over two rows: the periods under the name -------------------------------------------

def test_periods_under_a_merged_taakstelling_are_a_fout_that_says_what_the_row_is(tmp_path):
    def workbook(path):
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in [("Gemeente", "Taakstelling", None), (None, "2026-I", "2026-II"), ("Assen", 40, 45),
                    ("Emmen", 60, 65)]:
            ws.append(row)
        ws.merge_cells("B1:C1")
        wb.save(path)
    folder = make(tmp_path, quota("vergunninghouders", "2026-07-01", "opgaven/t.xlsx"), {"opgaven/t.xlsx": workbook})
    [fout] = errors(folder)
    assert located([fout]) == [("gebied_ontbreekt", "fout", "opgaven/t.xlsx", "Sheet", 2, "Taakstelling", "2026-I")]
    assert "tweede deel van de kopregel" in fout["melding"]
    assert 'kolommen = { "Taakstelling 2026-II" = "Opgave" }' in fout["melding"]
    assert check(folder)[0] == 1

    def fixed(path):  # the analyst writes name and period in one cell per column, as the message says
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in [("Gemeente", "Taakstelling 2026-I", "Taakstelling 2026-II"), ("Assen", 40, 45), ("Emmen", 60, 65)]:
            ws.append(row)
        wb.save(path)
    line = 'kolommen = { "Taakstelling 2026-II" = "Opgave" }'
    good = make(tmp_path / "b", quota("vergunninghouders", "2026-07-01", "opgaven/t.xlsx", line), {"opgaven/t.xlsx": fixed})
    assert errors(good) == []
    assert points(good, "vergunninghouders") == [("GM0106", JUL, 45.0), ("GM0114", JUL, 65.0)]
