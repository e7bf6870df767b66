"""Hardening (fourteenth session, ``hard14b``): TVS and Nidos files as they are really published, probed first.

Each file is written the way the housing monitor (TVS), Nidos or an analyst's Excel writes it (title rows, notes
under the table, the publishers' own words, CSV with ``;`` and XLSX), read through ``read`` of
``tests/test_probes.py`` (the adapter with its fast paths, inside ``fastscan.careful()`` and through the plugin's
reference adapter: the same result each way) or through ``opvangkern check`` on a small dataset; the figure per
municipality is plain arithmetic here, or the melding (code, row, column, value) with the exit code.

Wrong before this session (a wrong figure with exit 0):
- TVS: ``Gehuisvest`` beside ``Gehuisvest incl. nareizigers`` (or ``Totaal gehuisvest``, ``Realisatie
  cumulatief``, ``Gerealiseerd totaal``) read the plain column silently: the housed without the family members who
  joined them, or this month's count beside the half-year's (Assen 15 instead of 20). Nidos: ``Aantal`` beside
  ``Totaal aantal`` the same. Now a ``fout`` (``telling_dubbelzinnig``) with both ``kolommen`` lines;
- TVS: a row per municipality per month (``januari 2026``, ``februari 2026`` in ``Periode``, or a ``Maand``
  column) was summed with warnings only: a monthly stand 5, 9, 14 counted 28 housed. Now ``tvs_meer_perioden``.

Misleading before (a refusal whose fix was wrong, or a false refusal):
- Nidos: a municipality's subtotal in the placement column (``Assen | Totaal | 15``) was ``plaatsingsvorm_onbekend``
  whose fix, ``waarden = { "Totaal" = "kleinschalig" }``, would count Assen twice. Now the row is a subtotal:
  not counted, checked (``totaalrij_klopt_niet`` when it is not the sum of the rows above);
- Nidos: its own words in the plural or with their other name in brackets (``Kleinschalige wooneenheden``,
  ``KWE's``, ``Kleinschalig wonen (KWE)``, ``Netwerkgezinnen``) were refused as unknown placements.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.testing import load_module
from opvangkern.testing.fuzz import csv_bytes

_HERE = Path(__file__).parent
_PROBES = load_module(_HERE / "test_probes.py", "_probes_for_hard14b")
ASSEN, EMMEN = _PROBES.ASSEN, _PROBES.EMMEN
NIDOS, TVS = _PROBES.NIDOS, _PROBES.TVS
errors, figures, read, where, workbook = (_PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where,
                                          _PROBES.workbook)
MARCH = dt.date(2026, 3, 31)
TITLE = [["Taakstelling huisvesting vergunninghouders, provincie Drenthe"], ["Stand per 31 maart 2026"], []]
NOTES = [[], ["Bron: COA, bewerking provincie"]]


def data(rows: list[list], fmt: str) -> bytes:
    return csv_bytes(rows) if fmt == "csv" else workbook({"Blad1": rows})


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    return result.exit_code, result.output


def dataset(tmp_path: Path, name: str, rows: list[list], extra: str = "") -> Path:
    """The probe dataset of ``test_probes.py`` (quota files for every task, peildatum 31-12-2025) with one file."""
    fmt = name.rsplit(".", 1)[1]
    return _PROBES._dataset(tmp_path, {name: data(rows, fmt)}, extra)


def loaded(folder: Path, bron: str) -> tuple[dict[str, int], list[dict]]:
    """The realised figure per municipality of ``bron`` and that source's meldingen, through ``load_dataset``."""
    found = load_dataset(folder)
    out: dict[str, int] = {}
    for r in found.realisaties.to_pylist():
        if r["bron"] == bron:
            out[r["gemeentecode"]] = out.get(r["gemeentecode"], 0) + r["aantal"]
    return out, [m for m in found.meldingen.to_pylist() if (m["bestand"] or "").startswith(f"bronnen/{bron}")]


# --- 1. a count beside a larger whole of itself ---------------------------------------------------------------

WIDER = [
    # (plain header, wider header): Assen 15 of 20 housed, Emmen 22 of 30; the wider one adds what the plain lacks
    ("Gehuisvest", "Gehuisvest incl. nareizigers"),
    ("Gerealiseerd", "Gerealiseerd (incl. gezinsherenigers)"),
    ("Gehuisvest", "Totaal gehuisvest"),
    ("Gerealiseerd", "Gerealiseerd totaal"),
    ("Realisatie", "Realisatie cumulatief"),
    ("Gehuisveste vergunninghouders", "Totaal gehuisveste vergunninghouders (inclusief nareizigers)"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("plain", "wider"), WIDER)
def test_tvs_a_count_beside_its_larger_whole_is_a_fout_with_both_kolommen_lines(plain, wider, fmt):
    """Was wrong: the plain column was read silently (Assen 15, Emmen 22), exit 0."""
    rows = TITLE + [["Gemeente", "Taakstelling 2026-I", plain, "Nareizigers", wider],
                    ["Assen", 40, 15, 5, 20], ["Emmen", 60, 22, 8, 30], ["Totaal", 100, 37, 13, 50]] + NOTES
    result = read("tvs", data(rows, fmt), peildatum=MARCH)
    [fout] = errors(result)
    assert where(fout)[1:] == ("telling_dubbelzinnig", f"tvs.{fmt}", "Blad1" if fmt == "xlsx" else None, 4, wider,
                               wider)
    assert f'kolommen = {{ "{plain}" = "Gerealiseerd" }}' in fout.melding
    assert f'kolommen = {{ "{wider}" = "Gerealiseerd" }}' in fout.melding


@pytest.mark.parametrize(("pick", "expected"), [("plain", {ASSEN: 15, EMMEN: 22}), ("wider", {ASSEN: 20, EMMEN: 30})])
def test_tvs_the_kolommen_line_of_the_melding_picks_the_count(tmp_path, pick, expected):
    plain, wider = "Gehuisvest", "Gehuisvest incl. nareizigers"
    rows = [["Huisvesting vergunninghouders"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Taakstelling 2025-II", plain, wider], ["Assen", 60, 15, 20], ["Emmen", 70, 22, 30]]
    code, output = check(dataset(tmp_path / "a", "bronnen/tvs.csv", rows))
    assert code == 1 and f"kolom {wider!r}" in output and "kies er één" in output
    line = f'kolommen = {{ "{plain if pick == "plain" else wider}" = "Gerealiseerd" }}\n'
    folder = dataset(tmp_path / "b", "bronnen/tvs.csv", rows, line)
    code, output = check(folder)
    found, meldingen = loaded(folder, "tvs")
    assert (code, found) == (0, expected), output
    assert not [m for m in meldingen if m["ernst"] == "fout"]


@pytest.mark.parametrize(("header", "value"), [
    ("waarvan nareizigers", 5),          # a part of the count, not a whole
    ("Gehuisvest huishoudens", 8),       # another unit
    ("Realisatie %", 50),                # a ratio
    ("Gehuisvest deze maand", 5),        # a part (this month's)
    ("Totaal aantal huishoudens", 8),    # a total of another count that holds no name of the count
])
def test_tvs_a_part_or_another_measure_beside_the_count_changes_nothing(header, value):
    rows = TITLE + [["Gemeente", "Taakstelling 2026-I", "Gehuisvest", header],
                    ["Assen", 40, 20, value], ["Emmen", 60, 30, value]] + NOTES
    result = read("tvs", csv_bytes(rows), peildatum=MARCH)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    assert not errors(result)
    assert "telling_dubbelzinnig" not in {m.code for m in result.meldingen}


@pytest.mark.parametrize(("wider", "refused"), [("Totaal aantal", True), ("Aantal (totaal)", True),
                                                ("Plekken incl. gezinshuizen", True),
                                                ("Aantal locaties totaal", False), ("Totaal aantal jongeren", False)])
def test_nidos_a_count_beside_its_larger_whole(wider, refused):
    """Was wrong: ``Aantal`` (10, 3) was read beside ``Totaal aantal`` (22, 5) without a word."""
    rows = [["Nidos - opvang amv per gemeente"], ["Stand per 31 december 2025"],
            ["Gemeente", "Aantal", wider], ["Assen", 10, 22], ["Emmen", 3, 5], ["Bron: Nidos"]]
    result = read("nidos", csv_bytes(rows))
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 3}
    assert [where(m)[1:] for m in errors(result)] == ([("telling_dubbelzinnig", "nidos.csv", None, 3, wider, wider)]
                                                      if refused else [])


# --- 2. a row per municipality per month --------------------------------------------------------------------

MONTHS = [("januari 2026", 5, 3), ("februari 2026", 9, 4), ("maart 2026", 14, 8)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("column", "months"), [
    ("Periode", MONTHS),
    ("Maand", MONTHS),
    ("Maand", [(1, 5, 3), (2, 9, 4), (3, 14, 8)]),
])
def test_tvs_a_row_per_month_is_a_fout_never_a_sum(column, months, fmt):
    """Was wrong: Assen 5 + 9 + 14 = 28 housed (its stand at the end of March is 14), with warnings only."""
    rows = [["Gehuisveste vergunninghouders per maand"], [], ["Gemeente", column, "Gehuisvest"]]
    rows += [["Assen", month, assen] for month, assen, _ in months]
    rows += [["Emmen", month, emmen] for month, _, emmen in months]
    result = read("tvs", data(rows, fmt), peildatum=MARCH)
    second = months[1][0]
    assert [where(m)[1:] for m in errors(result)] == [
        ("tvs_meer_perioden", f"tvs.{fmt}", "Blad1" if fmt == "xlsx" else None, 5, column, str(second))]
    assert "een rij per maand" in errors(result)[0].melding


def test_tvs_a_row_per_month_stops_check(tmp_path):
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Maand", "Gerealiseerd"],
            ["Assen", "november 2025", 30], ["Assen", "december 2025", 45],
            ["Emmen", "november 2025", 60], ["Emmen", "december 2025", 80]]
    code, output = check(dataset(tmp_path, "bronnen/tvs.csv", rows))
    assert code == 1 and "rij 4, kolom Maand" in output and "een rij per maand" in output


@pytest.mark.parametrize(("column", "value"), [("Maand", "maart 2026"), ("Periode", "2026-I"),
                                               ("Periode", "januari t/m juni 2026")])
def test_tvs_one_month_or_one_half_year_for_every_row_is_read(column, value):
    rows = TITLE + [["Gemeente", column, "Gehuisvest"], ["Assen", value, 14], ["Emmen", value, 8]] + NOTES
    result = read("tvs", csv_bytes(rows), peildatum=MARCH)
    assert figures(result) == {(ASSEN, *TVS): 14, (EMMEN, *TVS): 8}
    assert not errors(result)


# --- 3. Nidos: placements in its own words, and a municipality's subtotal ------------------------------------

@pytest.mark.parametrize(("vorm", "counted"), [
    ("Kleinschalige wooneenheden", True), ("KWE's", True), ("Kleinschalig wonen (KWE)", True),
    ("KWE (kleinschalige wooneenheid)", True), ("Kleinschalig (KWE)", True), ("Kleinschalige opvang (KWE)", True),
    ("Netwerkgezinnen", False), ("Gezinshuis (gezinshuizen)", False),
])
def test_nidos_its_own_words_in_the_plural_or_with_brackets_are_read(vorm, counted):
    """Was a false refusal (``plaatsingsvorm_onbekend``): Assen's 10 places did not count."""
    rows = [["Nidos - plaatsingen amv per gemeente"], ["Stand per 31 december 2025"],
            ["Gemeente", "Plaatsingsvorm", "Aantal"], ["Assen", vorm, 10], ["Assen", "KWE", 4], ["Emmen", "KWE", 3]]
    result = read("nidos", csv_bytes(rows))
    assert not errors(result)
    assert figures(result) == {(ASSEN, *NIDOS): 14 if counted else 4, (EMMEN, *NIDOS): 3}
    if not counted:
        assert "plaatsingsvorm_niet_kleinschalig" in {m.code for m in result.meldingen}


@pytest.mark.parametrize("vorm", ["KWE (in ontwikkeling)", "Pleeggezin (netwerk)", "Kleinschalige woonvoorziening",
                                  "Kamertraining", "Zelfstandig wonen", "KWE (gezinshuis)"])
def test_nidos_a_known_word_with_anything_else_is_still_asked_for(vorm):
    rows = [["Gemeente", "Plaatsingsvorm", "Aantal"], ["Assen", vorm, 10], ["Emmen", "KWE", 3]]
    result = read("nidos", csv_bytes(rows))
    assert figures(result) == {(EMMEN, *NIDOS): 3}
    assert [where(m)[1:] for m in errors(result)] == [("plaatsingsvorm_onbekend", "nidos.csv", None, 2,
                                                       "Plaatsingsvorm", vorm)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("label", ["Totaal", "Subtotaal", "Totaal Assen", "totaal gemeente"])
def test_nidos_a_subtotal_in_the_placement_column_is_checked_never_counted(label, fmt):
    """Was misleading: ``plaatsingsvorm_onbekend`` with ``waarden = { "Totaal" = "kleinschalig" }``, which would
    have counted Assen 10 + 15."""
    rows = [["Nidos - plaatsingen amv per gemeente"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Plaatsingsvorm", "Plekken"], ["Assen", "KWE", 10], ["Assen", "Gezinshuis", 5],
            ["Assen", label, 15], ["Emmen", "Kleinschalig wonen", 3], ["Emmen", label, 3], ["Totaal", None, 18],
            [], ["Bron: Nidos"]]
    result = read("nidos", data(rows, fmt))
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 3}
    assert not errors(result)
    assert "totaalrij_klopt_niet" not in {m.code for m in result.meldingen}
    # a subtotal that is no sum of the municipality's rows above it: a warning at its cell, and still not counted
    rows[6][2] = 16
    result = read("nidos", data(rows, fmt))
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 3}
    [warning] = [m for m in result.meldingen if m.code == "totaalrij_klopt_niet" and m.rij == 7]
    assert (warning.ernst.value, warning.kolom, warning.waarde) == ("waarschuwing", "Plekken", "16")
    assert not errors(result)


def test_nidos_a_subtotal_of_the_small_scale_placements_and_of_the_municipality(tmp_path):
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Plaatsingsvorm", "Plekken"],
            ["Assen", "KWE", 6], ["Assen", "Kleinschalig wonen", 4], ["Assen", "Subtotaal kleinschalig", 10],
            ["Assen", "Gezinshuis", 5], ["Assen", "Totaal Assen", 15], ["Emmen", "KWE", 3]]
    folder = dataset(tmp_path, "bronnen/nidos.csv", rows)
    code, output = check(folder)
    found, meldingen = loaded(folder, "nidos")
    assert (code, found) == (0, {ASSEN: 10, EMMEN: 3}), output
    assert "totaalrij_klopt_niet" not in {m["code"] for m in meldingen}


# --- 4. a count over the year (or since January) read in the second half-year --------------------------------

SEPTEMBER = dt.date(2026, 9, 30)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("header", "periode", "kolom", "waarde", "rij"), [
    (["Gemeente", "Periode", "Taakstelling", "Gerealiseerd"], "2026", "Periode", "2026", 5),
    (["Gemeente", "Periode", "Taakstelling", "Gerealiseerd"], "januari t/m september 2026", "Periode",
     "januari t/m september 2026", 5),
    (["Gemeente", "Periode", "Taakstelling", "Gerealiseerd"], "1-1-2026 t/m 30-9-2026", "Periode",
     "1-1-2026 t/m 30-9-2026", 5),
    (["Gemeente", "Taakstelling 2026", "Gerealiseerd"], None, "Taakstelling 2026", "Taakstelling 2026", 4),
])
def test_tvs_a_count_since_january_read_in_the_second_half_year_is_a_fout(header, periode, kolom, waarde, rij, fmt):
    """Was wrong: Assen's 50 housed since 1 January counted for 30 September (the half-year's count started again
    at 0 on 1 July), exit 0 without a melding."""
    cells = [["Assen", 80, 50], ["Emmen", 100, 60]]
    rows = TITLE[:1] + [["Stand per 30 september 2026"], [], header]
    rows += [[c[0], periode, *c[1:]] if periode is not None else c for c in cells] + NOTES
    result = read("tvs", data(rows, fmt), peildatum=SEPTEMBER)
    assert figures(result) == {}
    [fout] = errors(result)
    assert where(fout)[1:] == ("telling_niet_per_halfjaar", f"tvs.{fmt}", "Blad1" if fmt == "xlsx" else None, rij,
                               kolom, waarde)
    assert "01-07-2026" in fout.melding and "niets van dit bestand telt mee" in fout.melding


@pytest.mark.parametrize(("periode", "peildatum"), [
    ("2026", dt.date(2026, 3, 31)),                          # the first half-year: the year's count is its own
    ("januari t/m maart 2026", dt.date(2026, 3, 31)),
    ("juli t/m september 2026", SEPTEMBER),                  # counts from the half-year's first day
    ("2026-II", SEPTEMBER),
    ("2025-II", dt.date(2026, 1, 2)),                        # the old half-year's final stand, a warning
])
def test_tvs_a_period_that_starts_with_the_half_year_is_read(periode, peildatum):
    rows = [["Gemeente", "Periode", "Gerealiseerd"], ["Assen", periode, 50], ["Emmen", periode, 60]]
    result = read("tvs", csv_bytes(rows), peildatum=peildatum)
    assert figures(result) == {(ASSEN, *TVS): 50, (EMMEN, *TVS): 60}
    assert not errors(result)


def test_tvs_a_year_export_in_september_stops_check(tmp_path):
    rows = [["Realisatie taakstelling vergunninghouders"], ["Stand per 31 december 2025"],
            ["Gemeente", "Periode", "Taakstelling", "Gerealiseerd"], ["Assen", "2025", 120, 100],
            ["Emmen", "2025", 140, 150]]
    folder = dataset(tmp_path, "bronnen/tvs.csv", rows)
    code, output = check(folder)
    found, _ = loaded(folder, "tvs")
    assert (code, found) == (1, {}) and "rij 4, kolom Periode" in output and "01-07-2025" in output


# --- 5. Nidos: rows per age -----------------------------------------------------------------------------------

AGES = [["Nidos - jongeren in kleinschalige opvang"], ["Stand per 31 december 2025"], [],
        ["Gemeente", "Leeftijd", "Plekken"], ["Assen", "< 18", 10], ["Assen", "18+", 5], ["Emmen", "<18", 3],
        ["Emmen", "18+", 1], [], ["18+: jongvolwassenen die na hun 18e in de woning blijven"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_nidos_rows_per_age_are_a_fout_never_summed_unasked(fmt):
    """Was wrong: Assen 10 + 5 = 15, with the warning ``dubbele_gemeente`` only (exit 0)."""
    result = read("nidos", data(AGES, fmt))
    [fout] = errors(result)
    assert where(fout)[1:] == ("nidos_rij_per_leeftijd", f"nidos.{fmt}", "Blad1" if fmt == "xlsx" else None, 6,
                               "Leeftijd", "18+")
    assert 'waarden = { "18+" = "overslaan" }' in fout.melding


def test_nidos_the_waarden_line_leaves_an_age_out_and_keeps_the_other(tmp_path):
    # '< 18' and '18+' are one name once signs are dropped: the line must leave out the adults only
    folder = dataset(tmp_path / "a", "bronnen/nidos.csv", AGES)
    assert check(folder)[0] == 1
    folder = dataset(tmp_path / "b", "bronnen/nidos.csv", AGES, 'waarden = { "18+" = "overslaan" }\n')
    code, output = check(folder)
    found, meldingen = loaded(folder, "nidos")
    assert (code, found) == (0, {ASSEN: 10, EMMEN: 3}), output
    assert not [m for m in meldingen if m["ernst"] == "fout"]


def test_nidos_one_age_for_every_row_is_read():
    rows = [["Gemeente", "Leeftijdscategorie", "Aantal"], ["Assen", "minderjarig", 10], ["Emmen", "minderjarig", 3]]
    result = read("nidos", csv_bytes(rows))
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 3} and not errors(result)


# --- 6. the manifest's kolommen: a column letter --------------------------------------------------------------

@pytest.mark.parametrize(("letter", "said"), [("B", "kolom B heet 'Aantal kleinschalige plekken Nidos', dus "
                                               'kolommen = { "Aantal kleinschalige plekken Nidos" = "Plekken" }'),
                                              ("F", "kolom F heeft geen kop in rij 2")])
def test_a_column_letter_in_kolommen_says_that_kolommen_takes_the_header(tmp_path, letter, said):
    """Was unclear: only the missing column, whose melding asked for the ``kolommen`` line the manifest had."""
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Aantal kleinschalige plekken Nidos"], ["Assen", 10],
            ["Emmen", 3]]
    folder = dataset(tmp_path, "bronnen/nidos.csv", rows, f'kolommen = {{ "{letter}" = "Plekken" }}\n')
    code, _ = check(folder)
    _, meldingen = loaded(folder, "nidos")
    [fout] = [m for m in meldingen if m["code"] == "kolommen_kolom_ontbreekt"]
    assert (code, fout["ernst"], fout["rij"], fout["kolom"], fout["waarde"]) == (1, "fout", 2, letter, letter)
    assert "geen kolomletter" in fout["melding"] and said in fout["melding"]


def test_a_mapped_header_the_file_has_twice_says_so(tmp_path):
    """Was unclear: "kolommen koppelt 'Aantal plekken' en 'Aantal plekken' allebei aan Plekken" for one line."""
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Aantal plekken", "Aantal plekken"], ["Assen", 10, 12],
            ["Emmen", 3, 4]]
    folder = dataset(tmp_path, "bronnen/nidos.csv", rows, 'kolommen = { "Aantal plekken" = "Plekken" }\n')
    code, _ = check(folder)
    _, meldingen = loaded(folder, "nidos")
    [fout] = [m for m in meldingen if m["code"] == "kolommen_dubbel"]
    assert (code, fout["rij"], fout["kolom"]) == (1, 2, "Aantal plekken")
    assert "staat 2 keer in de kopregel (kolom B, kolom C)" in fout["melding"]


# --- 7. a group label over sub-labels in the row under the header ---------------------------------------------

def grouped(rows: list[list], merge: str | None) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("merge", ["C4:D4", None])
@pytest.mark.parametrize(("bron", "group", "subs", "first"), [
    ("tvs", "Gerealiseerd", ["deze maand", "cumulatief"], "deze maand"),
    ("tvs", "Gehuisvest", ["excl. nareizigers", "incl. nareizigers"], "excl. nareizigers"),
    ("nidos", "Plekken", ["Gezinshuis", "KWE"], "Gezinshuis"),
])
def test_a_group_label_over_sub_labels_is_a_fout_not_its_first_column(bron, group, subs, first, merge):
    """Was wrong: the row of sub-labels was a note and the group's first column was read (this month's 5 housed
    instead of 20; Nidos' family homes as its small-scale places), exit 0."""
    rows = [["Overzicht per gemeente"], ["Stand per 31 maart 2026"], [],
            ["Gemeente", "Taakstelling 2026-I", group, None], [None, None, *subs],
            ["Assen", 40, 5, 20], ["Emmen", 60, 4, 30], [], ["Bron: monitor"]]
    result = read(bron, grouped(rows, merge), peildatum=MARCH if bron == "tvs" else _PROBES.PEIL)
    assert [where(m)[1:] for m in errors(result)] == [("kop_over_twee_rijen", f"{bron}.xlsx", "Blad1", 5, group,
                                                       first)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_group_label_in_a_csv_and_a_row_of_units_under_the_header(fmt):
    rows = [["Gemeente", "Gerealiseerd", "", "Taakstelling 2026-I"], ["", "deze maand", "cumulatief", ""],
            ["Assen", 5, 20, 40], ["Emmen", 4, 30, 60]]
    result = read("tvs", data(rows, fmt), peildatum=MARCH)
    assert [(m.code, m.rij, m.kolom, m.waarde) for m in errors(result)] == [
        ("kop_over_twee_rijen", 2, "Gerealiseerd", "deze maand")]
    # a row of units under every column (no column without a header) says nothing new: read as before
    rows = [["Gemeente", "Gerealiseerd", "Taakstelling 2026-I"], ["", "aantal", "aantal"], ["Assen", 20, 40],
            ["Emmen", 30, 60]]
    result = read("tvs", data(rows, fmt), peildatum=MARCH)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30} and not errors(result)


# --- 8. the kolommen line of a missing count proposes no trap ---------------------------------------------------

@pytest.mark.parametrize(("bron", "headers", "line"), [
    # who joined a status holder counts for the target: the line with them, not the one that leaves them out
    ("tvs", ["Gehuisvest excl. nareizigers", "Gehuisvest incl. nareizigers"],
     'kolommen = { "Gehuisvest incl. nareizigers" = "Gerealiseerd" }'),
    # households are no persons, locations no places: the placeholder, never that header
    ("tvs", ["Gehuisvest (huishoudens)"], 'kolommen = { "kop zoals in het bestand" = "Gerealiseerd" }'),
    ("nidos", ["Aantal locaties"], 'kolommen = { "kop zoals in het bestand" = "Plekken" }'),
    # the young people placed are the occupancy, not the places: the places' header when there is one
    ("nidos", ["Aantal jongeren"], 'kolommen = { "kop zoals in het bestand" = "Plekken" }'),
    ("nidos", ["Aantal jongeren", "Aantal plekken"], 'kolommen = { "Aantal plekken" = "Plekken" }'),
    ("nidos", ["Aantal pupillen"], 'kolommen = { "kop zoals in het bestand" = "Plekken" }'),
    ("tvs", ["Gehuisvest excl. nareizigers"], 'kolommen = { "Gehuisvest excl. nareizigers" = "Gerealiseerd" }'),
])
def test_the_kolommen_line_of_a_missing_count_proposes_no_trap(bron, headers, line):
    """Was misleading: the line proposed ``Gehuisvest excl. nareizigers`` beside ``incl.``, and ``Gehuisvest
    (huishoudens)`` or ``Aantal locaties`` alone, each a wrong figure once copied into the manifest."""
    rows = [["Gemeente", *headers], ["Assen", *[15] * len(headers)], ["Emmen", *[22] * len(headers)]]
    result = read(bron, csv_bytes(rows), peildatum=MARCH if bron == "tvs" else _PROBES.PEIL)
    [fout] = errors(result)
    assert fout.code == "verplichte_kolom_ontbreekt" and fout.melding.endswith(line)


def test_nidos_a_municipality_given_only_as_its_subtotal_is_a_fout():
    """Would have been 0 places for Emmen (its only row a subtotal, not counted) with a warning at most."""
    rows = [["Gemeente", "Plaatsingsvorm", "Plekken"], ["Assen", "KWE", 10], ["Assen", "Totaal", 10],
            ["Emmen", "Totaal", 7]]
    result = read("nidos", csv_bytes(rows))
    assert figures(result) == {(ASSEN, *NIDOS): 10}
    assert [where(m)[1:] for m in errors(result)] == [("plaatsingsvorm_ontbreekt", "nidos.csv", None, 4,
                                                       "Plaatsingsvorm", "Totaal")]


# --- 9. Nidos: the placement under a header the reader does not know ------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("header", ["Soort woonvoorziening", "Vorm", "Plaatsingstype", "Woonvoorziening"])
def test_nidos_a_placement_column_under_another_header_is_a_fout(header, fmt):
    """Was wrong: every row counted, the family homes and foster families too (Assen 15, Emmen 7), exit 0."""
    rows = [["Nidos - plaatsingen amv"], ["Stand per 31 december 2025"], [], ["Gemeente", header, "Plekken"],
            ["Assen", "KWE", 10], ["Assen", "Gezinshuis", 5], ["Emmen", "Pleeggezinnen", 3], ["Emmen", "KWE", 4]]
    result = read("nidos", data(rows, fmt))
    [fout] = errors(result)
    assert where(fout)[1:] == ("plaatsingsvorm_kolom_onbekend", f"nidos.{fmt}", "Blad1" if fmt == "xlsx" else None,
                               6, header, "Gezinshuis")
    assert f'kolommen = {{ "{header}" = "Plaatsingsvorm" }}' in fout.melding


def test_nidos_the_kolommen_line_reads_the_placements(tmp_path):
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Soort woonvoorziening", "Plekken"], ["Assen", "KWE", 10],
            ["Assen", "Gezinshuis", 5], ["Emmen", "Pleeggezin", 3], ["Emmen", "KWE", 4]]
    folder = dataset(tmp_path, "bronnen/nidos.csv", rows, 'kolommen = { "Soort woonvoorziening" = "Plaatsingsvorm" }\n')
    code, output = check(folder)
    found, _ = loaded(folder, "nidos")
    assert (code, found) == (0, {ASSEN: 10, EMMEN: 4}), output


@pytest.mark.parametrize(("header", "values"), [("Vorm", ["KWE", "Kleinschalig wonen"]),
                                                ("Locatie", ["Gezinshuis De Linde", "KWE Emmen"])])
def test_nidos_small_scale_words_or_location_names_in_another_column_change_nothing(header, values):
    rows = [["Gemeente", header, "Plekken"], ["Assen", values[0], 10], ["Emmen", values[1], 4]]
    result = read("nidos", csv_bytes(rows))
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 4} and not errors(result)


# --- 10. a municipality's subtotal in a column the reader does not read ----------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tvs_a_subtotal_in_a_category_column_is_never_counted(fmt):
    """Was wrong: Assen 15 + 5 + 20 = 40 housed (its subtotal summed with its rows), with a warning only."""
    rows = TITLE + [["Gemeente", "Categorie", "Gehuisvest"], ["Assen", "Vergunninghouders", 15],
                    ["Assen", "Nareizigers", 5], ["Assen", "Totaal", 20], ["Emmen", "Vergunninghouders", 22],
                    ["Emmen", "Nareizigers", 8], ["Emmen", "Totaal Emmen", 30], ["Totaal", None, 50]] + NOTES
    result = read("tvs", data(rows, fmt), peildatum=MARCH)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    assert not errors(result)
    assert "totaalrij_klopt_niet" not in {m.code for m in result.meldingen}  # the grand total is 50, not 100
    # a subtotal that is no sum of the rows above it: which rows it sums is not said, a fout; never counted
    rows[6][2] = 21
    result = read("tvs", data(rows, fmt), peildatum=MARCH)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30}
    assert [where(m)[1:] for m in errors(result)] == [("subtotaal_naast_gemeente", f"tvs.{fmt}",
                                                       "Blad1" if fmt == "xlsx" else None, 7, "Categorie", "Totaal")]


@pytest.mark.parametrize("label", ["Subtotaal Assen", "Totaal", "totaal gemeente"])
def test_nidos_a_subtotal_as_a_locations_name_is_never_counted(tmp_path, label):
    """Was wrong: Assen 6 + 4 + 10 = 20 places, exit 0."""
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Locatie", "Plekken"], ["Assen", "KWE Noord", 6],
            ["Assen", "KWE Zuid", 4], ["Assen", label, 10], ["Emmen", "KWE Emmen", 3], ["Totaal Nidos", None, 13]]
    folder = dataset(tmp_path, "bronnen/nidos.csv", rows)
    code, output = check(folder)
    found, meldingen = loaded(folder, "nidos")
    assert (code, found) == (0, {ASSEN: 10, EMMEN: 3}), output
    assert "totaalrij_klopt_niet" not in {m["code"] for m in meldingen}


@pytest.mark.parametrize("remark", ["Totaal 3 locaties", "totaal inclusief nareizigers", "Totaalplan 2026"])
def test_a_remark_that_starts_with_totaal_marks_no_subtotal(remark):
    rows = [["Gemeente", "Opmerking", "Gehuisvest"], ["Assen", remark, 20], ["Emmen", None, 30]]
    result = read("tvs", csv_bytes(rows), peildatum=MARCH)
    assert figures(result) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30} and not errors(result)


# --- 11. a header mapped with kolommen keeps its day ------------------------------------------------------------

@pytest.mark.parametrize(("bron", "header", "peildatum", "code"), [
    ("tvs", "Aantal gehuisvest t/m 31-3-2026", dt.date(2026, 6, 30), "peildatum_wijkt_af_van_kop"),
    ("tvs", "Gehuisvest t/m 31-3-2026", dt.date(2026, 6, 30), "peildatum_wijkt_af_van_kop"),
    ("tvs", "Aantal gehuisvest 2026", SEPTEMBER, "telling_niet_per_halfjaar"),
    ("nidos", "Aantal plekken per 1-10-2025", dt.date(2025, 12, 31), "peildatum_wijkt_af_van_kop"),
])
def test_a_header_mapped_with_kolommen_keeps_the_check_of_its_day(tmp_path, bron, header, peildatum, code):
    """Was wrong: mapped, the header's date was no longer read, and the count of 31 March counted for 30 June
    (or the year's count for September) with exit 0; unmapped the same header was refused."""
    rows = [["Overzicht per gemeente"], [f"Stand per {peildatum:%d-%m-%Y}"], [], ["Gemeente", header],
            ["Assen", 20], ["Emmen", 30]]
    folder = _PROBES._dataset(tmp_path, {f"bronnen/{bron}.csv": csv_bytes(rows)},
                              f'kolommen = {{ "{header}" = "{"Gerealiseerd" if bron == "tvs" else "Plekken"}" }}\n')
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("peildatum = 2025-12-31",
                                                                      f"peildatum = {peildatum:%Y-%m-%d}"),
                        encoding="utf-8")
    code_, output = check(folder)
    found, meldingen = loaded(folder, bron)
    assert (code_, found) == (1, {}), output
    assert [(m["code"], m["rij"], m["kolom"]) for m in meldingen if m["ernst"] == "fout"] == [(code, 4, header)]


def test_the_kolommen_line_that_picks_the_wrong_period_is_refused_the_right_one_read():
    rows = [["Gemeente", "Gerealiseerd 2026-I", "Gerealiseerd 2025-II"], ["Assen", 20, 70], ["Emmen", 30, 80]]
    source = _PROBES.Source
    import io

    adapter = _PROBES.ADAPTERS["tvs"]
    wrong = adapter.read(source(io.BytesIO(csv_bytes(rows)), "tvs.csv", peildatum=MARCH,
                                kolommen={"Gerealiseerd 2025-II": "Gerealiseerd"}))
    assert figures(wrong) == {} and [m.code for m in errors(wrong)] == ["peildatum_wijkt_af_van_kop"]
    right = adapter.read(source(io.BytesIO(csv_bytes(rows)), "tvs.csv", peildatum=MARCH,
                                kolommen={"Gerealiseerd 2026-I": "Gerealiseerd"}))
    assert figures(right) == {(ASSEN, *TVS): 20, (EMMEN, *TVS): 30} and not errors(right)
