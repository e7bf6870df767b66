"""Hardening (twelfth session, ``hard12e``): files laid out as publishers and analysts write them that no earlier
probe wrote.

Each case builds the file here (CSV and XLSX where both occur), reads it through ``read`` of
``tests/test_probes.py`` (the adapter with its fast paths, inside ``fastscan.careful()`` and through the plugin's
reference adapter: the same result each way) or through the command line, and asserts the figure per
municipality worked out by plain arithmetic, or the melding and what it tells the user to do.

Wrong before this session:
- a TVS export ``Gehuisvest | Realisatie`` whose ``Realisatie`` is the share of the target realised written as a
  bare number (92 for 92 %) counted 92 housed people instead of the 80 under ``Gehuisvest`` (``Realisatie`` came
  first among the aliases), with only a warning: exit 0;
- the previous month pasted under a KCIO, Nidos or TVS table without its header (after a blank row, or under a
  title of its own such as ``Vorige maand``) was summed with the first table: every municipality counted twice,
  with only ``dubbele_gemeente`` warnings, exit 0; under COA's overview per municipality without any melding,
  under COA's location list with only ``locatie_dubbel`` warnings;
- ``Gem. Assen`` (a list typed by hand) was an unknown municipality.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opvangkern.cli import cli
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard12e")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
errors, figures, read, where, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where, _PROBES.workbook


def both(rows: list[list], sheet: str = "Blad1", sep: str = ";") -> dict[str, bytes]:
    """The same table as a CSV (``sep``) and as an XLSX written with openpyxl (text cells stay text)."""
    text = "\n".join(sep.join("" if c is None else (f'"{c}"' if sep in str(c) else str(c)) for c in r) for r in rows)
    return {"csv": text.encode("utf-8-sig"), "xlsx": workbook({sheet: rows})}


def codes(result) -> list[str]:
    return [m.code for m in result.meldingen]


# --- 1. TVS: a Realisatie percentage beside the count of the housed ------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("count_header", ["Gehuisvest", "Gehuisveste vergunninghouders"])
def test_a_realisatie_share_beside_the_housed_count_is_not_counted(fmt, count_header):
    """Was wrong: ``Realisatie`` (92, the share of the target housed, in per cent) won over ``Gehuisvest`` (80):
    92 people housed in Assen with exit 0. The housed count is the count; the share is left with a warning."""
    rows = [["Monitor huisvesting vergunninghouders"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Taakstelling", count_header, "Realisatie"],
            ["Assen", 87, 80, 92], ["Emmen", 50, 25, 50], ["Tynaarlo", 40, 10, 25]]
    result = read("tvs", both(rows)[fmt])
    assert figures(result) == {(ASSEN, *TVS): 80, (EMMEN, *TVS): 25, (TYNAARLO, *TVS): 10}
    assert sum(figures(result).values()) == 80 + 25 + 10
    assert errors(result) == []
    [ignored] = [m for m in result.meldingen if m.code == "kolom_genegeerd"]
    assert ignored.kolom == "Realisatie" and count_header in ignored.melding


def test_a_realisatie_share_as_a_fraction_beside_the_housed_count_is_no_false_refusal():
    """Was a false refusal: ``Realisatie`` as 0,92 beside ``Gehuisvest`` was read as the count, every cell a
    ``fout`` (not whole). The housed count reads; the share is left."""
    rows = [["Gemeente", "Gehuisvest", "Realisatie"], ["Assen", "80", "0,92"], ["Emmen", "25", "0,5"]]
    result = read("tvs", both(rows)["csv"])
    assert figures(result) == {(ASSEN, *TVS): 80, (EMMEN, *TVS): 25}
    assert errors(result) == []


def test_realisatie_alone_or_beside_gerealiseerd_reads_as_before():
    """``Realisatie`` alone is the count (the monitor's column), and ``Gerealiseerd`` still goes before it."""
    alone = read("tvs", both([["Gemeente", "Realisatie"], ["Assen", "80"], ["Emmen", "25"]])["csv"])
    assert figures(alone) == {(ASSEN, *TVS): 80, (EMMEN, *TVS): 25} and errors(alone) == []
    beside = read("tvs", both([["Gemeente", "Realisatie", "Gerealiseerd"], ["Assen", "92", "80"]])["csv"])
    assert figures(beside) == {(ASSEN, *TVS): 80} and errors(beside) == []


# --- 2. the previous month pasted under the table without its header -----------------------------------------

NOVEMBER_UNDER_DECEMBER = [
    # (title above the second block or None, bron, header, key)
    ("Vorige maand", "kcio", ["Gemeente", "Capaciteit"], KCIO),
    (None, "kcio", ["Gemeente", "Capaciteit"], KCIO),
    ("Stand per 30 november 2025", "nidos", ["Gemeente", "Plekken"], NIDOS),
    (None, "nidos", ["Gemeente", "Plekken"], NIDOS),
    ("Vorige maand", "tvs", ["Gemeente", "Gerealiseerd"], TVS),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("title, bron, header, key", NOVEMBER_UNDER_DECEMBER)
def test_the_previous_month_pasted_below_without_its_header_is_a_fout(fmt, title, bron, header, key):
    """Was wrong: Assen 10 + 9 = 19 and Emmen 20 + 18 = 38 with two ``dubbele_gemeente`` warnings, exit 0. The
    rows below the blank row (and the title) repeat the municipalities above: a second table (``tweede_tabel``) at
    its first row, naming the municipalities and their rows."""
    rows = [["Stand per 31 december 2025"], header, ["Assen", 10], ["Emmen", 20], ["Tynaarlo", 5], []]
    first = 7
    if title:
        rows.append([title])
        first = 8
    rows += [["Assen", 9], ["Emmen", 18]]
    result = read(bron, both(rows)[fmt])
    [fout] = errors(result)
    blad = "Blad1" if fmt == "xlsx" else None
    assert where(fout) == ("fout", "tweede_tabel", f"{bron}.{fmt}", blad, first, None, "Assen")
    assert f"Assen (rij 3 en {first})" in fout.melding and f"Emmen (rij 4 en {first + 1})" in fout.melding
    assert 'blad = "…"' in fout.melding
    assert figures(result)[(ASSEN, *key)] == 10 + 9  # summed, but refused: the dataset stops


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_the_previous_month_pasted_below_is_a_fout(fmt):
    """Was wrong: the wide overview (one row per municipality) with last month under a blank row summed both months
    without any melding (Assen regulier 400 + 390 = 790), exit 0; the location list gave only ``locatie_dubbel``
    warnings. Now a ``tweede_tabel`` at the second block's first row."""
    wide = [["Gemeente", "Regulier", "NO", "TGO"], ["Assen", 400, 100, 0], ["Emmen", 700, 0, 50], [],
            ["Assen", 390, 100, 0], ["Emmen", 690, 0, 50]]
    result = read("coa", both(wide)[fmt])
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("tweede_tabel", 5, "Assen")
    assert "Assen (rij 2 en 5)" in fout.melding and "Emmen (rij 3 en 6)" in fout.melding
    long = [["COA - capaciteit per opvanglocatie"], ["Peildatum: 31-12-2025"], [],
            ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "azc", 400],
            ["Assen", "NOL Assen", "NOL", 100], ["Emmen", "azc Emmen", "azc", 700], [], ["Vorige maand"],
            ["Assen", "azc Assen", "azc", 390], ["Assen", "NOL Assen", "NOL", 100], ["Emmen", "azc Emmen", "azc", 690]]
    result = read("coa", both(long)[fmt])
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("tweede_tabel", 10, "Assen")
    assert "3 rijen van een locatie" in fout.melding and "Emmen (rij 7 en 12)" in fout.melding
    assert codes(result).count("locatie_dubbel") == 3


def test_coa_blocks_without_location_names_are_refused_until_named():
    """Was wrong: a COA list without ``Locatie`` with last month under a blank row summed both months without any
    melding (Assen azc 400 + 390). Refused, with the fix for two blocks of other buildings: a ``Locatie`` column with
    their names, which then reads and sums them (Assen 400 + 390 = 790 regular places)."""
    rows = [["Gemeente", "Opvangvorm", "Capaciteit"], ["Assen", "azc", 400], ["Emmen", "azc", 700], [],
            ["Assen", "azc", 390], ["Emmen", "azc", 690]]
    result = read("coa", both(rows)["csv"])
    [fout] = errors(result)
    assert (fout.code, fout.rij) == ("tweede_tabel", 5) and "kolom Locatie" in fout.melding
    named = [[*rows[0][:1], "Locatie", *rows[0][1:]], ["Assen", "azc Assen", "azc", 400],
             ["Emmen", "azc Emmen", "azc", 700], [], ["Assen", "azc Assen-Zuid", "azc", 390],
             ["Emmen", "azc Emmen-Noord", "azc", 690]]
    result = read("coa", both(named)["csv"])
    assert errors(result) == []
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400 + 390, (EMMEN, "asiel", "regulier"): 700 + 690}


def test_the_second_table_stops_check_with_exit_1(tmp_path):
    """Through the command line: exit 1, where it was 0 with the doubled figures."""
    (tmp_path / "bronnen").mkdir()
    (tmp_path / "bronnen" / "kcio.csv").write_text(
        "Stand per 31 december 2025\nGemeente;Capaciteit\nAssen;10\nEmmen;20\n\nVorige maand\nAssen;9\nEmmen;18\n",
        encoding="utf-8")
    (tmp_path / "opvangkern.toml").write_text(
        '[dataset]\nnaam = "t"\ngebied = "PV22"\n\n[[bron]]\nbron = "kcio"\nbestand = "bronnen/kcio.csv"\n',
        encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert out.exit_code == 1, out.output
    assert "tweede tabel zonder kopregel" in out.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_blocks_that_repeat_no_municipality_or_only_one_stay_one_table(fmt):
    """Regions one under the other after a blank row, and one municipality with two rows across a blank row
    (the ``dubbele_gemeente`` warning, as before): no second table."""
    rows = [["Gemeente", "Capaciteit"], ["Assen", 10], ["Emmen", 20], [], ["Groningen", 9], ["Midden-Groningen", 18],
            [], ["Assen", 4]]
    result = read("kcio", both(rows)[fmt])
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *KCIO): 14, (EMMEN, *KCIO): 20, ("GM0014", *KCIO): 9, ("GM1952", *KCIO): 18}
    assert codes(result) == ["dubbele_gemeente"]


def test_a_nidos_list_in_blocks_per_placement_is_no_second_table():
    """A block per placement (``Kleinschalig``, then ``KWE``), each naming Assen and Emmen: the text column the
    layout reads differs, so the rows are no repeat. Assen 10 + 2, Emmen 3 + 1."""
    rows = [["Gemeente", "Plaatsingsvorm", "Plekken"], ["Assen", "Kleinschalig", 10], ["Emmen", "Kleinschalig", 3],
            [], ["Assen", "KWE", 2], ["Emmen", "KWE", 1], [], ["Assen", "Pleeggezin", 7], ["Emmen", "Pleeggezin", 4]]
    for data in both(rows).values():
        result = read("nidos", data)
        assert errors(result) == []
        assert figures(result) == {(ASSEN, *NIDOS): 10 + 2, (EMMEN, *NIDOS): 3 + 1}


def test_kcio_locations_in_blocks_with_their_names_are_no_second_table():
    """A KCIO list per building (a ``Locatie`` column the layout does not read) in two blocks, Assen and Emmen in
    each: other buildings, not last month. Summed with the ``dubbele_gemeente`` warning, as before: Assen 10 + 5."""
    rows = [["Gemeente", "Locatie", "Capaciteit"], ["Hotels"], ["Assen", "Hotel De Jonge", 10],
            ["Emmen", "Hotel Ten Cate", 20], [], ["Overige panden"], ["Assen", "Kantoor Stationsweg", 5],
            ["Emmen", "School Angelslo", 6]]
    for data in both(rows).values():
        result = read("kcio", data)
        assert errors(result) == []
        assert figures(result) == {(ASSEN, *KCIO): 10 + 5, (EMMEN, *KCIO): 20 + 6}
        assert codes(result).count("dubbele_gemeente") == 2 and "tweede_tabel" not in codes(result)


def test_coa_locations_in_blocks_per_type_are_summed_per_municipality():
    """COA lists its locations per type, each block under a title of its own: the same municipalities in every
    block are locations, summed (COA gives no single figure per municipality)."""
    rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Reguliere locaties"],
            ["Assen", "azc Assen", "azc", 400], ["Emmen", "azc Emmen", "azc", 700], [], ["Noodopvanglocaties"],
            ["Assen", "NOL Assen", "NOL", 100], ["Emmen", "NOL Emmen", "NOL", 150], [], ["Regulier, tweede locatie"],
            ["Assen", "azc Assen-Noord", "azc", 50], ["Emmen", "azc Emmen-Zuid", "azc", 60]]
    for data in both(rows).values():
        result = read("coa", data)
        assert errors(result) == []
        assert figures(result) == {(ASSEN, "asiel", "regulier"): 400 + 50, (EMMEN, "asiel", "regulier"): 700 + 60,
                                   (ASSEN, "asiel", "noodopvang"): 100, (EMMEN, "asiel", "noodopvang"): 150}


# --- 3. Gem. as the municipality's prefix ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_gem_before_the_name_is_the_municipality(fmt):
    """Was a false refusal: ``Gem. Assen`` was an unknown municipality (``Gemeente Assen`` was read)."""
    rows = [["Gemeente", "Plekken"], ["Gem. Assen", 3], ["Gem Emmen", 4], ["Gemeente Tynaarlo", 5],
            ["Gemert-Bakel", 6]]
    result = read("nidos", both(rows)[fmt])
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *NIDOS): 3, (EMMEN, *NIDOS): 4, (TYNAARLO, *NIDOS): 5, ("GM1652", *NIDOS): 6}


# --- 4. COA's overview of places and occupancy under two group labels -----------------------------------------

def _places_and_occupancy(places_first: bool) -> list[list]:
    places = ["Capaciteit", None, None, None]
    occupancy = ["Bezetting", None, None, None]
    groups = [None, None, *(places + occupancy if places_first else occupancy + places)]
    sub = ["Gemeente", "AMV", *(["Regulier", "NO", "TGO", "Totaal"] * 2)]
    assen = [400, 100, 0, 500], [380, 90, 0, 470]
    emmen = [700, 0, 50, 750], [650, 0, 40, 690]
    order = (0, 1) if places_first else (1, 0)
    return [["COA - capaciteit en bezetting per gemeente"], ["Peildatum: 31-12-2025"], groups, sub,
            ["Assen", 20, *assen[order[0]], *assen[order[1]]], ["Emmen", None, *emmen[order[0]], *emmen[order[1]]]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("places_first", [True, False])
def test_places_and_occupancy_under_two_group_labels_read_the_places(fmt, places_first):
    """Was a false refusal: ``Capaciteit`` over ``Regulier | NO | TGO | Totaal`` and ``Bezetting`` over the same
    headers was ``kolom_dubbel`` for each of them. The columns under ``Bezetting`` are another measure: the places
    are read, whichever group comes first (Assen 400 + 100 + 0, AMV 20)."""
    result = read("coa", both(_places_and_occupancy(places_first))[fmt])
    assert errors(result) == []
    assert figures(result) == {
        (ASSEN, "asiel", "regulier"): 400, (ASSEN, "asiel", "noodopvang"): 100, (ASSEN, "asiel", "tgo"): 0,
        (ASSEN, "amv", None): 20, (EMMEN, "asiel", "regulier"): 700, (EMMEN, "asiel", "noodopvang"): 0,
        (EMMEN, "asiel", "tgo"): 50}


def test_the_two_groups_merged_in_a_workbook_read_the_places():
    """The same in the workbook as COA formats it: the group labels merged across their columns, ``Gemeente``
    merged down over both header rows."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gemeente", "Capaciteit", None, None, "Bezetting", None, None])
    ws.append([None, "Regulier", "NO", "TGO", "Regulier", "NO", "TGO"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:D1")
    ws.merge_cells("E1:G1")
    ws.append(["Assen", 400, 100, 0, 380, 90, 0])
    ws.append(["Emmen", 700, 0, 50, 650, 0, 40])
    out = io.BytesIO()
    wb.save(out)
    result = read("coa", out.getvalue())
    assert errors(result) == []
    assert sum(figures(result).values()) == 400 + 100 + 0 + 700 + 0 + 50


def test_a_column_after_the_occupancy_group_is_not_dropped_silently():
    """``AMV`` after the ``Bezetting`` group: in a CSV how far a label reaches is not known, so the column is not
    left out (no AMV places without a word): it stays under the label, a ``fout`` (``groepskop_andere_maat``)."""
    rows = [[None, "Capaciteit", None, None, "Bezetting", None, None, None],
            ["Gemeente", "Regulier", "NO", "TGO", "Regulier", "NO", "TGO", "AMV"],
            ["Assen", 400, 100, 0, 380, 90, 0, 20]]
    result = read("coa", both(rows)["csv"])
    [fout] = errors(result)
    assert (fout.code, fout.kolom) == ("groepskop_andere_maat", "AMV")


@pytest.mark.parametrize("labels", [("Capaciteit 30-11-2025", "Capaciteit 31-12-2025"), ("Bezetting", "Vrije plekken")])
def test_two_groups_of_one_kind_stay_kolom_dubbel(labels):
    """Two groups of places (two dates), or of two other measures: which one is meant is not guessed."""
    rows = [[None, labels[0], None, None, labels[1], None, None],
            ["Gemeente", "Regulier", "NO", "TGO", "Regulier", "NO", "TGO"], ["Assen", 380, 90, 0, 400, 100, 0]]
    result = read("coa", both(rows)["csv"])
    assert {m.code for m in errors(result)} >= {"kolom_dubbel"}
