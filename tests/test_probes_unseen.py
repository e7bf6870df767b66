"""Hardening (eleventh session, ``hard11c``): files laid out as published that no earlier probe wrote.

Each case builds the file here (CSV and XLSX where both occur), reads it through ``read`` of
``tests/test_probes.py`` (the adapter with its fast paths, inside ``fastscan.careful()`` and through the plugin's
reference adapter: the same result each way) or through the quota reader and the command line, and asserts the
figure per municipality worked out by plain arithmetic, or the melding (code, file, sheet, row, column, value)
and what it tells the user to do.

Wrong before this session:
- ``12,000``, ``1,000``, ``2,000`` in a count column (an export made with English settings: 12000, 1000, 2000)
  counted 12, 1 and 2 without a word (the Dutch decimal-comma reading is whole); also as a TVS backlog;
- a quota annex continued on a second sheet (``Bijlage 1 (vervolg)``) gave the municipalities of that sheet no
  target, without a melding; a continuation sheet without a header, of a source or a quota file, the same;
- a quota annex printed as two tables side by side was refused with "geef één van beide een andere kop", a fix
  that would lose the other half's municipalities;
- ``<5``, ``*``, ``x``, ``.`` (a count suppressed for privacy), ``12¹``, ``12*``, ``12 (a)`` (a footnote mark)
  and a numbered note under the table whose number is a municipality code (``14`` is Groningen) were refused
  with only "geen getal";
- a COA row under a municipality whose name stands only in the group's first row, and a COA subtotal row named
  like the municipality, were refused without saying how to fix the file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli
from opvangkern.model import AreaLevel
from opvangkern.reading.quota import read_quota
from opvangkern.sources.adapter import Source
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_unseen")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
errors, figures, read, where, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where, _PROBES.workbook
HOOGEVEEN, MIDDEN_DRENTHE = "GM0118", "GM1731"


def csv(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(lines).encode(encoding)


def both(rows: list[list], sheet: str = "Blad1", sep: str = ";") -> list[tuple[str, bytes]]:
    """The same table as a CSV (``sep``) and as an XLSX written with openpyxl (text cells stay text)."""
    text = "\n".join(sep.join("" if c is None else (f'"{c}"' if sep in str(c) else str(c)) for c in r) for r in rows)
    return [("csv", text.encode("utf-8-sig")), ("xlsx", workbook({sheet: rows}))]


def quota(data: bytes, bestand: str = "opgaven/asiel.xlsx", blad: str | None = None):
    return read_quota(Source(io.BytesIO(data), bestand, blad=blad), "asiel", dt.date(2026, 2, 1), AreaLevel.GEMEENTE)


def targets(result) -> dict[str, float]:
    return {r["gebied_code"]: r["aantal"] for r in result.opgaven.to_pylist()}


def quota_where(m) -> tuple:
    return (m.ernst.value, m.code, m.bestand, m.blad, m.rij, m.kolom, m.waarde)


# --- 1. English thousands: 12,000 is 12 or 12000 --------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written, dutch, english", [("12,000", 12, 12000), ("1,000", 1, 1000), ("2,000", 2, 2000)])
def test_a_count_with_an_english_thousands_comma_is_never_read_silently(fmt, written, dutch, english):
    """Was wrong: ``12,000`` counted 12 (decimal comma, whole) with exit 0, where an English-locale export means
    12000. Either reading is a plausible figure, a thousand times apart: a ``fout`` that shows both."""
    rows = [["Gemeente", "Plekken"], ["Assen", written], ["Emmen", "7"]]
    data = dict(both(rows, "Nidos"))[fmt]
    result = read("nidos", data)
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = errors(result)
    assert where(fout) == ("fout", "komma_dubbelzinnig", f"nidos.{fmt}", "Nidos" if fmt == "xlsx" else None, 2,
                           "Plekken", written)
    assert f"{written} is {dutch} met een decimale komma, of {english} met een Engels duizendtalteken" in fout.melding
    assert f"Schrijf {english} of {english // 1000}.000" in fout.melding


def test_a_comma_separated_english_export_with_quoted_thousands_counts_nothing_silently():
    data = csv("Gemeente,Capaciteit", 'Assen,"1,000"', 'Emmen,"2,000"', 'Totaal,"3,000"')
    result = read("kcio", data)
    assert figures(result) == {}
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [
        ("komma_dubbelzinnig", 2, "1,000"), ("komma_dubbelzinnig", 3, "2,000")]


@pytest.mark.parametrize("written", ["1,000", "1,010"])
def test_a_tvs_backlog_with_an_english_thousands_comma_gives_no_line(written):
    """The backlog is the housing target line's first point: 1 (or 1,01) or 1000 people behind is never guessed.
    Was wrong: ``1,010`` gave Assen the line 1.01 → 61.01 without a word, ``1,000`` the line 1 → 61. The line's
    columns are checked columns of TVS (a bad cell there is a warning and that row gives no line)."""
    data = csv("Periode: 2025-II", "Gemeente;Taakstelling;Achterstand;Gerealiseerd", f"Assen;60;{written};45",
               "Emmen;70;5;80")
    result = read("tvs", data)
    assert figures(result) == {(ASSEN, *TVS): 45, (EMMEN, *TVS): 80}
    assert [(m.ernst.value, m.code, m.rij, m.kolom) for m in result.meldingen] == [
        ("waarschuwing", "komma_dubbelzinnig", 3, "Achterstand"), ("waarschuwing", "tvs_opgavelijn_onvolledig", 3,
                                                                   "Achterstand")]
    line = {(r["gebied_code"], r["ingangsdatum"]): r["aantal"] for r in result.opgaven.to_pylist()}
    assert line == {(EMMEN, dt.date(2025, 7, 1)): 5.0, (EMMEN, dt.date(2026, 1, 1)): 70.0 + 5.0}


@pytest.mark.parametrize("written, expected", [("12,0", 12), ("1.234,0", 1234), ("1\u202f234", 1234), ("+12", 12),
                                                ("1.010", 1010), ("12,00", 12)])
def test_counts_that_were_right_stay_right(written, expected):
    result = read("nidos", csv("Gemeente;Plekken", f"Assen;{written}"))
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): expected}


@pytest.mark.parametrize("written, code", [("1,234", "geen_heel_getal"), ("(12)", "negatief_aantal"),
                                           ("12-", "negatief_aantal"), ("\u221212", "negatief_aantal"),
                                           ("1,5", "geen_heel_getal")])
def test_counts_that_were_refused_stay_refused(written, code):
    result = read("nidos", csv("Gemeente;Plekken", f"Assen;{written}", "Emmen;7"))
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [(code, 2, written)]


def test_a_quota_target_of_english_thousands_is_refused_beside_whole_targets():
    """``4,000`` beside whole targets is 4 or 4000: a fout (before: 4 with a warning, exit 0); a column that writes
    decimals with a comma elsewhere (``12,5``) reads it as 4 with the ``decimale_komma`` warning."""
    result = quota(csv("Gemeente;Opgave", "Assen;4,000", "Emmen;200"), "opgaven/asiel.csv")
    assert targets(result) == {EMMEN: 200.0}
    assert [(m.code, m.rij) for m in result.meldingen] == [("komma_dubbelzinnig", 2)]
    result = quota(csv("Gemeente;Opgave", "Assen;4,000", "Emmen;12,5"), "opgaven/asiel.csv")
    assert targets(result) == {ASSEN: 4.0, EMMEN: 12.5}
    assert [(m.code, m.rij) for m in result.meldingen] == [("decimale_komma", 2)]


# --- 2. a quota annex over two sheets, or as two tables side by side ------------------------------------------

def _annex_over_two_sheets(header_again: bool = True) -> bytes:
    second = [["Bijlage 1 (vervolg)"], ["Gemeente", "Opgave"]] if header_again else [["Bijlage 1 (vervolg)"]]
    return workbook({"Bijlage 1": [["Bijlage 1 Verdeling asielopvang per gemeente"], ["Gemeente", "Opgave"],
                                   ["Assen", 100], ["Emmen", 200]],
                     "Bijlage 1 (vervolg)": [*second, ["Tynaarlo", 60], ["Hoogeveen", 80]]})


@pytest.mark.parametrize("header_again", [True, False])
def test_a_quota_annex_continued_on_a_second_sheet_is_a_fout(header_again):
    """Was wrong: Tynaarlo and Hoogeveen had no target, without a melding."""
    result = quota(_annex_over_two_sheets(header_again))
    assert targets(result) == {ASSEN: 100.0, EMMEN: 200.0}
    [fout] = [m for m in result.meldingen if m.code == "ander_blad_niet_gelezen"]
    assert quota_where(fout) == ("fout", "ander_blad_niet_gelezen", "opgaven/asiel.xlsx", "Bijlage 1", None, None,
                                 "Bijlage 1 (vervolg)")
    assert "Tynaarlo, Hoogeveen" in fout.melding
    assert 'blad = "Bijlage 1" en een [[opgave]] met blad = "Bijlage 1 (vervolg)"' in fout.melding


def test_a_sheet_of_the_same_municipalities_in_a_quota_workbook_says_nothing():
    """A workbook of decisions keeps the earlier decision on a sheet of its own: not this file's business."""
    data = workbook({"Besluit 2026": [["Gemeente", "Opgave"], ["Assen", 100], ["Emmen", 200]],
                     "Besluit 2025": [["Gemeente", "Opgave"], ["Assen", 90], ["Emmen", 180]]})
    result = quota(data)
    assert targets(result) == {ASSEN: 100.0, EMMEN: 200.0} and not result.meldingen


def test_a_quota_sheet_that_opens_with_another_header_is_no_continuation():
    data = workbook({"Bijlage 1": [["Gemeente", "Opgave"], ["Assen", 100], ["Emmen", 200]],
                     "Toelichting": [["Toelichting"], ["Versie", 2], ["Aantal gemeenten", 342]],
                     "Locaties": [["Locatie", "Plekken"], ["Assen", 40], ["Tynaarlo", 12]]})
    result = quota(data)
    assert targets(result) == {ASSEN: 100.0, EMMEN: 200.0} and not result.meldingen


def test_the_fix_of_the_continuation_melding_gives_every_target(tmp_path):
    """Through ``check`` and the dashboard: exit 1 with the melding; with an ``[[opgave]]`` per sheet (the line
    the melding shows) every municipality has its target."""
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.csv": csv("Gemeente;Plekken", "Assen;5", "Tynaarlo;3")})
    (folder / "opgaven" / "annex.xlsx").write_bytes(workbook({
        "Bijlage 1": [["Gemeente", "Opgave"], ["Assen", 12], ["Emmen", 8]],
        "Bijlage 1 (vervolg)": [["Gemeente", "Opgave"], ["Tynaarlo", 4]]}))
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8").replace('bestand = "opgaven/nidos_amv.xlsx"',
                                                        'bestand = "opgaven/annex.xlsx"')
    manifest.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1 and "ander_blad_niet_gelezen" not in result.output  # Dutch text, no code
    assert "Bijlage 1 (vervolg)" in result.output and "zonder opgave" in result.output

    entry = 'opgave = "nidos_amv"\ningangsdatum = 2025-01-01\nbestand = "opgaven/annex.xlsx"\n'
    manifest.write_text(text.replace(entry, entry + 'blad = "Bijlage 1"\n\n[[opgave]]\n' + entry
                                     + 'blad = "Bijlage 1 (vervolg)"\n'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    rows = {r["gemeentecode"]: r for r in opvangkern.open_dataset(folder).dashboard().gemeenten.to_pylist()}
    assert [rows[c]["nidos_amv_opgave"] for c in (ASSEN, EMMEN, TYNAARLO)] == [12, 8, 4]
    assert rows[TYNAARLO]["nidos_amv_delta"] == 4 - 3 and rows[ASSEN]["nidos_amv_delta"] == 12 - 5


def test_a_source_continued_on_a_sheet_without_its_header_is_a_fout():
    """Was wrong: the rows of ``Nidos (vervolg)`` (no header, the table goes on) were not read and no melding."""
    data = workbook({"Nidos": [["Gemeente", "Plekken"], ["Assen", 10], ["Emmen", 20]],
                     "Nidos (vervolg)": [["Tynaarlo", 6], ["Hoogeveen", 4], [], ["Bron: Nidos"]]})
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 20}
    [fout] = errors(result)
    assert where(fout) == ("fout", "ander_blad_niet_gelezen", "nidos.xlsx", "Nidos", None, None, "Nidos (vervolg)")
    assert "geen kopregel" in fout.melding and "vanaf rij 1" in fout.melding and "Tynaarlo, Hoogeveen" in fout.melding


def test_a_sheet_of_other_figures_without_a_header_is_no_continuation():
    """A second sheet whose first row is no row of data (a note, a header of another table) says nothing."""
    data = workbook({"Nidos": [["Gemeente", "Plekken"], ["Assen", 10], ["Emmen", 20]],
                     "Toelichting": [["Toelichting bij de cijfers", None], ["Versie", 2], ["Tynaarlo", 6]]})
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 20} and not result.meldingen


def _side_by_side(gap: bool) -> bytes:
    pad = [None] if gap else []
    return workbook({"Bijlage 1": [["Bijlage 1 Verdeling asielopvang"], [],
                                   ["Gemeente", "Opgave", *pad, "Gemeente", "Opgave"],
                                   ["Assen", 100, *pad, "Midden-Drenthe", 40], ["Emmen", 200, *pad, "Tynaarlo", 60],
                                   ["Hoogeveen", 80, *pad, None, None]]})


@pytest.mark.parametrize("gap, left, right", [(True, "A–B", "D–E"), (False, "A–B", "C–D")])
def test_a_quota_annex_as_two_tables_side_by_side_says_to_put_one_under_the_other(gap, left, right):
    """Was unhelpful: "geef één van beide een andere kop" would lose the right half's municipalities."""
    result = quota(_side_by_side(gap))
    fouts = [m for m in result.meldingen if m.ernst.value == "fout"]
    assert [(m.code, m.rij, m.kolom) for m in fouts] == [("kolom_dubbel", 3, "Gemeente"), ("kolom_dubbel", 3, "Opgave")]
    for m in fouts:
        assert f"de kopregel staat twee keer naast elkaar (kolom {left} en {right})" in m.melding
        assert f"zet dan de rijen van kolom {right} onder die van kolom {left}" in m.melding
        assert "geef één van beide een andere kop" not in m.melding


def test_the_annex_put_under_itself_reads_every_target():
    data = workbook({"Bijlage 1": [["Gemeente", "Opgave"], ["Assen", 100], ["Emmen", 200], ["Hoogeveen", 80],
                                   ["Midden-Drenthe", 40], ["Tynaarlo", 60]]})
    result = quota(data)
    assert targets(result) == {ASSEN: 100.0, EMMEN: 200.0, HOOGEVEEN: 80.0, MIDDEN_DRENTHE: 40.0, TYNAARLO: 60.0}


def test_two_periods_side_by_side_keep_their_melding():
    """November beside December for the same municipalities: the melding names the other fix too."""
    data = workbook({"KCIO": [["Gemeente", "Capaciteit", None, "Gemeente", "Capaciteit"],
                              ["Assen", 5, None, "Assen", 4]]})
    result = read("kcio", data)
    assert {m.code for m in errors(result)} == {"kolom_dubbel"}
    assert all("Capaciteit per 30-11-2025" in m.melding for m in errors(result))


# --- 3. suppressed counts, footnote marks, notes --------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written", ["<5", "< 5", "*", "x", ".", "\u2264 3"])
def test_a_count_suppressed_for_privacy_says_it_is_not_guessed(fmt, written):
    data = dict(both([["Gemeente", "Plekken"], ["Assen", written], ["Emmen", 7]], "Nidos"))[fmt]
    result = read("nidos", data)
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("geen_getal", 2, "Plekken", written)
    assert "schermt een publicatie een klein aantal af" in fout.melding and "niet geraden" in fout.melding


@pytest.mark.parametrize("none", ["n.v.t.", "-", "\u2014", "\u2013"])
def test_none_marks_stay_no_value(none):
    result = read("nidos", csv("Gemeente;Plekken", f"Assen;{none}", "Emmen;7"))
    assert not result.meldingen and figures(result) == {(EMMEN, *NIDOS): 7}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written, mark, plain", [("12\u00b9", "\u00b9", "12"), ("12*", "*", "12"), ("0*", "*", "0"),
                                                   ("12 (a)", "(a)", "12"), ("12 1)", "1)", "12")])
def test_a_figure_with_a_footnote_mark_says_to_take_the_mark_away(fmt, written, mark, plain):
    data = dict(both([["Gemeente", "Plekken"], ["Assen", written], ["Emmen", 7]], "Nidos"))[fmt]
    result = read("nidos", data)
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("geen_getal", 2, written)
    assert f"voetnootteken {mark!r}" in fout.melding and f"Haal het teken weg ({plain})" in fout.melding


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_numbered_note_whose_number_is_a_code_says_how_to_write_the_note(fmt):
    """``14`` in the area column is Groningen's code: the row is data with a text count, a ``fout`` (never a
    note that vanishes); the melding says how a note is written so that it is skipped."""
    rows = [["Gemeente", "Plekken"], ["Assen", 10], ["Emmen", 20], [None, None], [14, "inclusief noodopvang"]]
    data = dict(both(rows, "Nidos"))[fmt]
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 20}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("geen_getal", 5, "Plekken", "inclusief noodopvang")
    assert "'1) inclusief noodopvang'" in fout.melding


@pytest.mark.parametrize("notes", [["1) inclusief noodopvang", "2) exclusief tijdelijke plekken"],
                                   ["\u00b9 inclusief noodopvang"], ["(1) inclusief noodopvang"]])
def test_notes_written_as_notes_are_skipped(notes):
    result = read("nidos", csv("Gemeente;Plekken", "Assen;5", "Emmen;7", "", *notes))
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7}


def test_a_name_with_a_footnote_mark_keeps_its_waarden_line():
    result = read("nidos", csv("Gemeente;Plekken", "Emmen 1);5", "Assen*;3"))
    assert figures(result) == {(ASSEN, *NIDOS): 3}
    [fout] = errors(result)
    assert (fout.code, fout.rij) == ("gebied_onbekend", 2)
    assert 'waarden = { "Emmen 1)" = "Emmen" }' in fout.melding


# --- 4. COA locations: groups, merges, subtotals --------------------------------------------------------------

def _coa(rows: list[list], merges: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "COA"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_COA_HEAD = [["COA capaciteit per locatie"], ["Peildatum: 31-12-2025"],
             ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"]]
_GROUPED = [["Assen", "azc Assen", "azc", 300], [None, "Hotel Assen", "noodopvang", 50],
            ["Emmen", "azc Emmen", "azc", 400], [None, "NOL Emmen", "NOL", 60]]


def test_coa_locations_under_a_merged_municipality_cell_are_summed_per_municipality():
    result = read("coa", _coa([*_COA_HEAD, *_GROUPED], merges=("A4:A5", "A6:A7")))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 300, (ASSEN, "asiel", "noodopvang"): 50,
                               (EMMEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "noodopvang"): 60}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_a_name_only_in_the_groups_first_row_says_how_to_fix_it(fmt):
    """Not merged: the rows under the name are refused (never given to the municipality above) and the melding
    says to fill the name in or merge the cells (was: only "kolom Gemeente is leeg")."""
    data = dict(both([*_COA_HEAD, *_GROUPED], "COA"))[fmt]
    result = read("coa", data)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 300, (EMMEN, "asiel", "regulier"): 400}
    assert [(m.code, m.rij) for m in errors(result)] == [("gebied_ontbreekt", 5), ("gebied_ontbreekt", 7)]
    assert all("alleen in de eerste rij van een groep" in m.melding and "samen" in m.melding for m in errors(result))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_subtotals_under_each_group_are_not_summed_twice(fmt):
    rows = [*_COA_HEAD, ["Assen", "azc Assen", "azc", 300], ["Assen", "Hotel Assen", "noodopvang", 50],
            ["Totaal Assen", None, None, 350], ["Emmen", "azc Emmen", "azc", 400], ["Totaal Emmen", None, None, 400],
            ["Totaal", None, None, 750]]
    result = read("coa", dict(both(rows, "COA"))[fmt])
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 300, (ASSEN, "asiel", "noodopvang"): 50,
                               (EMMEN, "asiel", "regulier"): 400}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_a_subtotal_row_named_as_the_municipality_says_how_to_mark_it(fmt):
    rows = [*_COA_HEAD, ["Assen", "azc Assen", "azc", 300], ["Assen", "Hotel Assen", "noodopvang", 50],
            ["Assen", None, None, 350], ["Emmen", "azc Emmen", "azc", 400]]
    result = read("coa", dict(both(rows, "COA"))[fmt])
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 300, (ASSEN, "asiel", "noodopvang"): 50,
                               (EMMEN, "asiel", "regulier"): 400}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom) == ("opvangvorm_ontbreekt", 6, "Opvangvorm")
    assert "subtotaal van de gemeente" in fout.melding and "(Totaal Assen)" in fout.melding


# --- 5. already right: kept as guards -------------------------------------------------------------------------

def test_utf16_tab_separated_unicode_text_with_a_title():
    text = ("Opvang Oekraïne\t\nPeildatum: 31-12-2025\t\nGemeente\tCapaciteit\nAssen\t\"1.083\"\nEmmen\t12\n"
            "Totaal\t1.095\n")
    result = read("kcio", ("\ufeff" + text).encode("utf-16-le"))
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 1083, (EMMEN, *KCIO): 12}


def test_utf8_with_bom_and_a_sep_line():
    result = read("nidos", b"\xef\xbb\xbfsep=;\r\nGemeente;Plekken\r\nAssen;12\r\nEmmen;1.234\r\n")
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 12, (EMMEN, *NIDOS): 1234}


def test_kcio_with_capacity_and_occupancy_and_no_maat_reads_the_places():
    result = read("kcio", csv("Gemeente;Capaciteit;Bezetting;Bezettingsgraad", "Assen;100;80;80%", "Emmen;50;40;80%"))
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 100, (EMMEN, *KCIO): 50}
    result = read("kcio", csv("Gemeente;Capaciteit;Bezetting", "Assen;100;80"), maat="bezetting")
    assert figures(result) == {(ASSEN, *KCIO): 80}


def test_fractions_formatted_as_percentages_beside_the_counts():
    data = workbook({"KCIO": [["Gemeente", "Capaciteit", "Bezet"], ["Assen", 100, 0.8], ["Emmen", 50, 0.85]]},
                    {("KCIO", "C2"): "0%", ("KCIO", "C3"): "0%"})
    result = read("kcio", data)
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 100, (EMMEN, *KCIO): 50}


def test_a_hidden_column_of_the_old_capacity_is_not_read():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KCIO"
    for r in [["Gemeente", "Capaciteit oud", "Capaciteit"], ["Assen", 90, 100], ["Emmen", 40, 50]]:
        ws.append(r)
    ws.column_dimensions["B"].hidden = True
    out = io.BytesIO()
    wb.save(out)
    result = read("kcio", out.getvalue())
    assert not result.meldingen and figures(result) == {(ASSEN, *KCIO): 100, (EMMEN, *KCIO): 50}


def test_a_macro_enabled_workbook_is_read_as_a_workbook():
    data = workbook({"Nidos": [["Gemeente", "Plekken"], ["Assen", 10], ["Emmen", 20]]})
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                part = part.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            target.writestr(item, part)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = read("nidos", out.getvalue(), "nidos.xlsm")
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 20}


def test_a_toelichting_sheet_with_numbers_in_front_is_passed_over():
    data = workbook({"Toelichting": [["Toelichting"], ["Versie", 2], ["Aantal gemeenten", 342]],
                     "Nidos": [["Gemeente", "Plekken"], ["Assen", 10], ["Emmen", 20]]})
    result = read("nidos", data)
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 20}


@pytest.mark.parametrize("title", ["Peildatum: week 48 2026", "Stand 2026-W48"])
def test_a_week_as_peildatum_is_no_day_and_the_manifest_is_asked(tmp_path, title):
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.csv": csv(title, "Gemeente;Plekken", "Assen;5")})
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("peildatum = 2025-12-31\n", ""), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1 and "zet peildatum = JJJJ-MM-DD bij deze [[bron]]" in result.output


def test_a_peildatum_column_of_excel_serials_in_a_csv():
    result = read("nidos", csv("Gemeente;Plekken;Peildatum", "Assen;5;46022"), peildatum=None)
    assert not result.meldingen and result.realisaties.column("peildatum").to_pylist() == [dt.date(2025, 12, 31)]


def test_an_english_thousands_file_stops_the_dashboard(tmp_path):
    """Through the command line: exit 1 and nothing written, the melding names file, row, column and value."""
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.csv": csv("Gemeente,Plekken", 'Assen,"1,000"', "Emmen,3")})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["dashboard", str(folder), "--format", "csv", "--output", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "bronnen/nidos.csv" in result.output and "rij 2, kolom Plekken" in result.output
    assert "Engels duizendtalteken" in result.output


def test_an_agreement_of_english_thousands_is_refused(tmp_path):
    """Was wrong: an agreements file exported with English settings (``"1,000"``) moved 1 place, not 1000."""
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.csv": csv("Gemeente;Plekken", "Assen;5")})
    (folder / "afspraken.csv").write_text("Omschrijving,Opgave,Van,Naar,Aantal,Ingangsdatum\n"
                                          'Assen neemt over,asiel,Emmen,Assen,"1,000",2025-01-01\n', encoding="utf-8")
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + '\n[[afspraak]]\nbestand = "afspraken.csv"\n',
                        encoding="utf-8")
    with pytest.raises(opvangkern.DataError) as raised:
        opvangkern.open_dataset(folder)
    [fout] = [m for m in raised.value.meldingen if m.code == "afspraak_aantal"]
    assert (fout.bestand, fout.rij, fout.kolom) == ("afspraken.csv", 2, "Aantal")
    assert "1000 met een Engels duizendtalteken" in fout.melding


@pytest.mark.parametrize("written, days", [("week 48 2026", "23-11-2026 t/m 29-11-2026"),
                                           ("2026-W48", "23-11-2026 t/m 29-11-2026"),
                                           ("wk 1-2026", "29-12-2025 t/m 04-01-2026")])
def test_a_week_in_a_peildatum_column_says_which_days_it_runs_over(written, days):
    """Was: "geen datum (verwacht 31-12-2025, …)", which did not say that a week is no day."""
    result = read("nidos", csv("Gemeente;Plekken;Peildatum", f"Assen;5;{written}"), peildatum=None)
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("peildatum_onleesbaar", 2, "Peildatum", written)
    assert "een week (week" in fout.melding and days in fout.melding and "peildatum = JJJJ-MM-DD" in fout.melding


def test_a_week_that_does_not_exist_says_so():
    result = read("nidos", csv("Gemeente;Plekken;Peildatum", "Assen;5;2025-W53"), peildatum=None)
    [fout] = errors(result)
    assert fout.code == "peildatum_onleesbaar" and "week 53 van 2025 bestaat niet" in fout.melding


@pytest.mark.parametrize("name", ["Assen (a)", "Assen a)"])
def test_a_letter_footnote_on_a_name_gets_its_waarden_line(name):
    """Was: "Onbekende gemeente 'Assen (a)'. Bedoelt u: …" without the line that ``Assen¹`` gets."""
    result = read("nidos", csv("Gemeente;Plekken", f"{name};5", "Tynaarlo;7"))
    assert figures(result) == {(TYNAARLO, *NIDOS): 7}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("gebied_onbekend", 2, name)
    assert f'waarden = {{ "{name}" = "Assen" }}' in fout.melding
