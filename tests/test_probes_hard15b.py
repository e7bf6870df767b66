"""Hardening (fifteenth session, ``hard15b``): TVS, Nidos and quota files laid out as publications and analysts'
exports are, read through ``read`` of ``tests/test_probes.py`` (fast paths, ``fastscan.careful()`` and the plugin's
reference: the same result each way) or ``read_quota_file``, and two of them through a dataset and ``check``.

Wrong or unhelpful before this session:
- a quota title ``Verdeling per 1-7-'26`` or ``Verdeling per juli 2026`` above a decision the manifest dates
  1 February 2026 was not compared (a year of two digits, a month): the targets started on the wrong day, exit 0;
- TVS ``Gehuisvest | Nareizigers`` read ``Gehuisvest`` silently, though the family members count for the target
  and the plain column may leave them out (``Gehuisvest excl. nareizigers`` picked with ``kolommen`` beside them:
  too few housed, exit 0);
- ``Opgave | Opgave onafgerond`` was refused with the unrounded column called "the rounded one" and offered as the
  decision's figure; ``Opgave (onafgerond) | Opgave (afgerond)`` offered the unrounded one;
- a missing amount with ``Opgave 1e helft | Opgave 2e helft | Opgave totaal`` offered only the first (a part);
- TVS periods ``HJ2 2025``, ``2e hj 2025``, ``hj 2 2025``, ``II 2025`` were unreadable: the file's housing line was
  lost, and without quota files for the task its card vanished (a warning only);
- Nidos ``Plekken (incl. in voorbereiding)`` alone was offered as the places (it counts places not yet in use).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli
from opvangkern.model import AreaLevel, Severity
from opvangkern.reading.quota import read_quota_file
from opvangkern.sources.adapter import Source
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard15b")
ASSEN, EMMEN, TVS, NIDOS = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TVS, _PROBES.NIDOS
errors, figures, read, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.workbook

FEB1, JUL1, JAN1 = dt.date(2026, 2, 1), dt.date(2026, 7, 1), dt.date(2026, 1, 1)


def both(rows: list[list]) -> dict[str, bytes]:
    text = "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows)
    return {"csv": text.encode("utf-8-sig"), "xlsx": workbook({"Blad1": rows})}


def quota(data: bytes, opgave: str = "asiel", day: dt.date = FEB1, **kw):
    name = "besluit.xlsx" if data[:2] == b"PK" else "besluit.csv"
    table, found = read_quota_file(Source(io.BytesIO(data), name, **kw), opgave, day, AreaLevel.GEMEENTE)
    return {r["gebied_code"]: r["aantal"] for r in table.to_pylist()}, found


def fouten(found) -> list:
    return [m for m in found if m.ernst is Severity.FOUT]


# --- 1. a quota title's date that is no full day ------------------------------------------------------------

ROWS = [["Gemeente", "Opgave"], ["Assen", 1000], ["Emmen", 1500], [], ["Bron: ministerie van Justitie en Veiligheid"]]
LOOSE = [  # (title, the day or month it names, the ingangsdatum the melding tells the user to write)
    ("Verdeling per 1-7-'26", JUL1, "ingangsdatum = 2026-07-01"),
    ("Verdeling per 1-7-26", JUL1, "ingangsdatum = 2026-07-01"),
    ("Verdeling opvangplekken vanaf 1 jul '26", JUL1, "ingangsdatum = 2026-07-01"),
    ("Verdeling per juli 2026", JUL1, "ingangsdatum = 2026-07-01"),
    ("Bijlage 1 - opgave met ingang van jul. 2026", JUL1, "ingangsdatum = 2026-07-01"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("title, day, fix", LOOSE)
def test_a_title_date_with_a_short_year_or_a_month_must_hold_the_ingangsdatum(fmt, title, day, fix):
    data = both([[title], [], *ROWS])[fmt]
    got, found = quota(data, day=FEB1)
    [fout] = fouten(found)
    assert (fout.code, fout.rij, fout.waarde) == ("ingangsdatum_verschilt", 1, title)
    assert fix in fout.melding and "1 februari 2026" in fout.melding
    assert got == {}  # no targets from the day the manifest gives
    got, found = quota(data, day=day)  # the day the title names: read as written
    assert fouten(found) == [] and got == {ASSEN: 1000.0, EMMEN: 1500.0}


@pytest.mark.parametrize("title", ["Stand per juli 2026", "Verdeling 2026, vastgesteld per mei 2026",
                                   "Opgave per 1 februari 2026 (bijgewerkt 3-2-'26)"])
def test_a_status_or_decision_month_in_a_title_is_not_the_ingangsdatum(title):
    got, found = quota(both([[title], *ROWS])["csv"], day=FEB1)
    assert fouten(found) == [] and got == {ASSEN: 1000.0, EMMEN: 1500.0}


@pytest.mark.parametrize("header, fix", [("Opgave per 1-7-'26", "ingangsdatum = 2026-07-01"),
                                         ("Opgave per juli 2026", "ingangsdatum = 2026-07-01"),
                                         ("Opgave (definitief) per 1 juli 2026", "ingangsdatum = 2026-07-01")])
def test_a_header_mapped_with_kolommen_keeps_its_date_checked(header, fix):
    """The missing column's line maps such a header; copied, its date went unchecked (exit 0, the wrong day)."""
    data = both([["Gemeente", header], ["Assen", 1000], ["Emmen", 1500]])["csv"]
    [missing] = fouten(quota(data)[1])
    line = f'kolommen = {{ "{header}" = "Opgave" }}'
    assert missing.code == "verplichte_kolom_ontbreekt" and line in missing.melding
    got, found = quota(data, kolommen={header: "Opgave"})
    [fout] = fouten(found)
    assert (fout.code, fout.rij, fout.kolom) == ("ingangsdatum_verschilt", 1, header) and fix in fout.melding
    assert got == {}
    got, found = quota(data, day=JUL1, kolommen={header: "Opgave"})
    assert fouten(found) == [] and got == {ASSEN: 1000.0, EMMEN: 1500.0}


def test_a_month_title_holding_the_ingangsdatum_is_read():
    got, found = quota(both([["Opgave per feb. 2026"], *ROWS])["csv"], day=FEB1)
    assert fouten(found) == [] and got == {ASSEN: 1000.0, EMMEN: 1500.0}


# --- 2. TVS: the family members in a column of their own -----------------------------------------------------

HOUSED = {"Assen": (60, 20), "Emmen": (100, 15)}  # (Gehuisvest, Nareizigers)


def tvs_rows(header: list[str], total: bool = False) -> list[list]:
    rows = [["Huisvesting vergunninghouders 2025-II"], header]
    for name, (housed, joined) in HOUSED.items():
        rows.append([name, housed, joined] + ([housed + joined] if total else []))
    return rows + [[], ["Bron: COA"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("part", ["Nareizigers", "Gezinsherenigers", "Aantal nareizigers", "Gehuisveste nareizigers"])
def test_a_count_beside_a_column_of_the_family_members_is_a_fout(fmt, part):
    result = read("tvs", both(tvs_rows(["Gemeente", "Gehuisvest", part]))[fmt])
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom) == ("deel_in_eigen_kolom", 2, part)
    assert 'kolommen = { "Gehuisvest" = "Gerealiseerd" }' in fout.melding


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_kolommen_line_says_the_count_holds_them(fmt):
    result = read("tvs", both(tvs_rows(["Gemeente", "Gehuisvest", "Nareizigers"]))[fmt],
                  kolommen={"Gehuisvest": "Gerealiseerd"})
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *TVS): HOUSED["Assen"][0], (EMMEN, *TVS): HOUSED["Emmen"][0]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_total_column_is_offered_and_read_when_picked(fmt):
    data = both(tvs_rows(["Gemeente", "Gehuisvest", "Nareizigers", "Totaal"], total=True))[fmt]
    [fout] = errors(read("tvs", data))
    assert fout.code == "deel_in_eigen_kolom" and 'kolommen = { "Totaal" = "Gerealiseerd" }' in fout.melding
    result = read("tvs", data, kolommen={"Totaal": "Gerealiseerd"})
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *TVS): 60 + 20, (EMMEN, *TVS): 100 + 15}


def test_a_count_that_leaves_them_out_picked_with_kolommen_is_still_a_fout():
    data = both(tvs_rows(["Gemeente", "Gehuisvest excl. nareizigers", "Nareizigers"]))["csv"]
    [fout] = errors(read("tvs", data, kolommen={"Gehuisvest excl. nareizigers": "Gerealiseerd"}))
    assert (fout.code, fout.rij, fout.kolom) == ("deel_in_eigen_kolom", 2, "Gehuisvest excl. nareizigers")
    assert "'Nareizigers'" in fout.melding and "som" in fout.melding


@pytest.mark.parametrize("part", ["waarvan nareizigers", "Nareizigers in procedure", "Gehuisvest (woningen)"])
def test_a_part_the_file_says_is_in_the_count_or_another_count_changes_nothing(part):
    result = read("tvs", both(tvs_rows(["Gemeente", "Gehuisvest", part]))["csv"])
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *TVS): 60, (EMMEN, *TVS): 100}


def test_a_wider_count_beside_the_part_is_said_once():
    header = ["Gemeente", "Gehuisvest", "Nareizigers", "Gehuisvest incl. nareizigers"]
    assert [m.code for m in errors(read("tvs", both(tvs_rows(header, total=True))["csv"]))] == ["telling_dubbelzinnig"]


# --- 3. rounded and unrounded columns in a quota file --------------------------------------------------------

EXACT = {"Assen": ("999,6", 1000), "Emmen": ("1500,4", 1500)}


def rounding_rows(exact: str, rounded: str, exact_first: bool = True) -> list[list]:
    rows = [["Bijlage 1. Verdeling per gemeente"], [exact, rounded] if exact_first else [rounded, exact]]
    rows[1].insert(0, "Gemeente")
    for name, (e, r) in EXACT.items():
        rows.append([name, e, r] if exact_first else [name, r, e])
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unrounded_column_beside_opgave_is_named_as_such_and_the_rounded_line_reads_opgave(fmt):
    data = both(rounding_rows("Opgave onafgerond", "Opgave", exact_first=False))[fmt]
    got, found = quota(data)
    [fout] = fouten(found)
    assert (fout.code, fout.rij, fout.kolom) == ("opgave_naast_afgerond", 2, "Opgave")
    assert "de onafgeronde kolom 'Opgave onafgerond'" in fout.melding
    rounded_line = fout.melding.split("Kies er één in opvangkern.toml: ")[1].split(" (de afgeronde")[0]
    assert rounded_line == 'kolommen = { "Opgave" = "Opgave" }'
    got, found = quota(data, kolommen={"Opgave": "Opgave"})
    assert fouten(found) == [] and got == {ASSEN: 1000.0, EMMEN: 1500.0}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_rounded_column_is_still_named_the_rounded_one(fmt):
    [fout] = fouten(quota(both(rounding_rows("Opgave", "Afgeronde opgave"))[fmt])[1])
    assert fout.code == "opgave_naast_afgerond" and "de afgeronde kolom 'Afgeronde opgave'" in fout.melding
    assert fout.melding.index('{ "Afgeronde opgave" = "Opgave" }') < fout.melding.index('{ "Opgave" = "Opgave" }')


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_two_bracketed_roundings_offer_the_rounded_one(fmt):
    data = both(rounding_rows("Opgave (onafgerond)", "Opgave (afgerond)"))[fmt]
    [fout] = fouten(quota(data)[1])
    assert fout.code == "verplichte_kolom_ontbreekt"
    assert fout.melding.index('"Opgave (afgerond)" = "Opgave"') < fout.melding.index('"Opgave (onafgerond)" = "Opgave"')
    got, found = quota(data, kolommen={"Opgave (afgerond)": "Opgave"})
    assert fouten(found) == [] and got == {ASSEN: 1000.0, EMMEN: 1500.0}


def test_several_headers_of_the_amount_are_each_offered():
    rows = [["Gemeente", "Opgave 1e helft", "Opgave 2e helft", "Opgave totaal"], ["Assen", 500, 500, 1000],
            ["Emmen", 700, 800, 1500]]
    [fout] = fouten(quota(both(rows)["csv"])[1])
    assert fout.code == "verplichte_kolom_ontbreekt"
    for header in rows[0][1:]:
        assert f'kolommen = {{ "{header}" = "Opgave" }}' in fout.melding
    got, found = quota(both(rows)["csv"], kolommen={"Opgave totaal": "Opgave"})
    assert fouten(found) == [] and got == {ASSEN: 500.0 + 500, EMMEN: 700.0 + 800}


# --- 4. TVS periods as monitors write them --------------------------------------------------------------------

LINE = {"Assen": (39, 48, 87, 80), "Emmen": (74, 92, 166, 115)}  # taakstelling, achterstand, gecorrigeerd, gehuisvest


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("period", ["HJ2 2025", "hj2-2025", "2e hj 2025", "2e hj. 2025", "hj 2 2025", "II 2025",
                                    "II-2025", "2025 HJ2"])
def test_a_half_year_written_the_monitors_way_gives_the_line(fmt, period):
    rows = [["Gemeente", "Periode", "Taakstelling", "Achterstand", "Gecorrigeerde taakstelling", "Gehuisvest"]]
    rows += [[name, period, *values] for name, values in LINE.items()]
    result = read("tvs", both(rows)[fmt])
    assert [m.code for m in result.meldingen if m.code == "periode_onleesbaar"] == []
    assert errors(result) == []
    points = {(p["gebied_code"], p["ingangsdatum"]): p["aantal"] for p in result.opgaven.to_pylist()}
    assert points == {(ASSEN, dt.date(2025, 7, 1)): 48, (ASSEN, JAN1): 87,
                      (EMMEN, dt.date(2025, 7, 1)): 92, (EMMEN, JAN1): 166}


@pytest.mark.parametrize("period", ["I 2026", "HJ1 2026", "1e hj 2026"])
def test_the_first_half_year_the_monitors_way(period):
    rows = [["Gemeente", "Periode", "Achterstand", "Gecorrigeerde taakstelling", "Gehuisvest"],
            ["Assen", period, 10, 50, 5]]
    result = read("tvs", both(rows)["csv"], peildatum=dt.date(2026, 3, 31))
    points = {(p["gebied_code"], p["ingangsdatum"]): p["aantal"] for p in result.opgaven.to_pylist()}
    assert points == {(ASSEN, JAN1): 10, (ASSEN, JUL1): 50}


# --- 5. Nidos: planned places are never offered as the places -----------------------------------------------

def test_places_including_planned_ones_are_not_offered():
    rows = [["Gemeente", "Plekken (incl. in voorbereiding)"], ["Assen", 43], ["Emmen", 12]]
    [fout] = errors(read("nidos", both(rows)["csv"]))
    assert fout.code == "verplichte_kolom_ontbreekt"
    assert 'kolommen = { "kop zoals in het bestand" = "Plekken" }' in fout.melding
    assert '"Plekken (incl. in voorbereiding)" = "Plekken"' not in fout.melding


# --- 6. through a dataset -------------------------------------------------------------------------------------

def _sample(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(opvangkern.sample_path(), folder)
    return folder


def test_a_tvs_export_with_hj2_gives_the_card_without_quota_files(tmp_path):
    folder = _sample(tmp_path)
    manifest = folder / "opvangkern.toml"
    text = re.sub(r'\[\[opgave\]\]\nopgave = "vergunninghouders"\n[^\[]*', "", manifest.read_text(encoding="utf-8"))
    manifest.write_text(text, encoding="utf-8")
    for path in (folder / "bronnen").glob("tvs-*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace(";2025-II;", ";HJ2 2025;"), encoding="utf-8")
    december = (folder / "bronnen" / "tvs-2025-12-31.csv").read_text(encoding="utf-8").splitlines()
    header = december[0].split(";")
    corrected = sum(int(line.split(";")[header.index("Gecorrigeerde taakstelling")]) for line in december[1:])
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    dash = opvangkern.load_dataset(folder).dashboard()
    [card] = [c for c in dash.kaarten.to_pylist() if c["opgave"] == "vergunninghouders" and c["gebied_naam"] == "Drenthe"]
    assert card["eindpunt"] == corrected  # 819 in the sample


def test_a_quota_title_with_another_month_stops_check(tmp_path):
    folder = _sample(tmp_path)
    path = folder / "opgaven" / "asiel-2026-02-01.csv"
    path.write_text("Verdeling per juli 2026\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code != 0
    assert "ingangsdatum_verschilt" in result.output or "juli 2026" in result.output
    found = [m for m in opvangkern.load_dataset(folder).melding_list if m.code == "ingangsdatum_verschilt"]
    assert [(m.bestand, m.rij, m.waarde) for m in found] == [("opgaven/asiel-2026-02-01.csv", 1, "Verdeling per juli 2026")]


# --- 7. a range or a unit in a count cell says what to write --------------------------------------------------

@pytest.mark.parametrize("cell, says", [
    ("10-15", ["een bereik", "niet geraden", "het getal dat de bron vaststelt"]),
    ("10 t/m 15", ["een bereik"]),
    ("12 pl.", ["een eenheid", "(12)"]),
    ("25 plekken", ["een eenheid", "(25)"]),
])
def test_a_range_or_a_unit_in_a_target_is_refused_with_what_to_write(cell, says):
    rows = [["Gemeente", "Opgave"], ["Assen", cell], ["Emmen", 1500]]
    got, found = quota(both(rows)["csv"])
    [fout] = fouten(found)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("geen_getal", 2, "Opgave", cell)
    for part in says:
        assert part in fout.melding, (part, fout.melding)
    assert got == {EMMEN: 1500.0}  # Assen has no target: never the start, the end or the number before the unit


def test_houses_in_a_tvs_count_are_refused_at_the_cell():
    rows = [["Gemeente", "Gehuisvest"], ["Assen", "12 woningen"], ["Emmen", 5]]
    result = read("tvs", both(rows)["csv"])
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom) == ("geen_getal", 2, "Gehuisvest") and "'woningen'" in fout.melding
    assert figures(result) == {(EMMEN, *TVS): 5}


# --- 8. a PDF's next page that says it continues the table ---------------------------------------------------

PAGED = [["Bijlage 1. Verdeling per gemeente"], ["Gemeente", "", "Opgave"], ["Assen", "", "1 000"], ["Emmen", "", "1 500"],
         ["Pagina 1 van 2"], ["Bijlage 1 (vervolg)"], ["Gemeente", "", "Opgave"], ["Tynaarlo", "", "300"],
         ["Pagina 2 van 2"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("title", ["Bijlage 1 (vervolg)", "Vervolg tabel 1", "Bijlage 1 - vervolg"])
def test_a_continued_page_title_above_the_repeated_header_is_a_page_break(fmt, title):
    rows = [r if r != ["Bijlage 1 (vervolg)"] else [title] for r in PAGED]
    got, found = quota(both(rows)[fmt])
    assert fouten(found) == []  # before: tweede_tabel, the decision refused
    assert got == {ASSEN: 1000.0, EMMEN: 1500.0, _PROBES.TYNAARLO: 300.0}
    result = read("tvs", both([["Gemeente", "Gehuisvest"] if r[:1] == ["Gemeente"] else
                               ([r[0], r[2]] if len(r) == 3 else r) for r in rows])[fmt])
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *TVS): 1000, (EMMEN, *TVS): 1500, (_PROBES.TYNAARLO, *TVS): 300}


def test_a_continued_page_that_repeats_the_municipalities_is_still_refused():
    rows = PAGED[:7] + [["Assen", "", "900"], ["Emmen", "", "1 400"]]
    assert [(m.code, m.rij) for m in fouten(quota(both(rows)["csv"])[1])] == [("gebied_dubbel", 8), ("gebied_dubbel", 9)]
    tvs = [["Gemeente", "Gehuisvest"] if r[:1] == ["Gemeente"] else ([r[0], r[2]] if len(r) == 3 else r) for r in rows]
    assert ("tweede_tabel", 8) in [(m.code, m.rij) for m in errors(read("tvs", both(tvs)["csv"]))]
