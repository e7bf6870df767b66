"""Issue 9: every wrong-figure case of real layouts is the right figure or a ``fout`` naming the column.

Files are written here as the publications write them (title rows, notes under the table). Expected
figures are plain sums of the test's own numbers.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.dataset.manifest import parse_manifest
from opvangkern.reading.quota import read_quota
from opvangkern.sources.adapter import Source
from opvangkern.reading.columns import COUNT, Column, Layout, match_header
from opvangkern.reading.sheet import Grid
from opvangkern_coa import CoaAdapter
from opvangkern_kcio import KcioAdapter
from opvangkern_nidos import NidosAdapter
from opvangkern_tvs import TvsAdapter

D = dt.date
P = D(2025, 12, 31)


def csv_bytes(rows: list[list]) -> bytes:
    return "\n".join(";".join("" if c is None else str(c) for c in row) for row in rows).encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def source(data: bytes, name: str = "bestand.csv", **kw) -> Source:
    return Source(io.BytesIO(data), name, peildatum=kw.pop("peildatum", P), **kw)


def fouten(result) -> list:
    return [m for m in result.meldingen if m.is_error]


def total(result, opgave: str | None = None) -> int:
    rows = result.realisaties.to_pylist()
    return sum(r["aantal"] for r in rows if opgave is None or r["opgave"] == opgave)


# --- 1. percentages are never counts -------------------------------------------------------------

TVS_PCT = [["Realisatie huisvesting vergunninghouders"], [],
           ["Gemeente", "Gehuisvest", "% gerealiseerd"],
           ["Assen", 80, 92], ["Emmen", 115, 69], ["Meppel", 22, 46], ["Bron: COA"]]


def test_tvs_percent_column_is_not_counted():
    result = TvsAdapter().read(source(csv_bytes(TVS_PCT)))
    assert fouten(result) == []
    assert total(result) == 80 + 115 + 22  # not 92 + 69 + 46
    assert [m for m in result.meldingen] == []


def test_tvs_realisatie_percent_does_not_shadow_the_count():
    rows = [["Gemeente", "Realisatie (%)", "Gehuisvest"], ["Assen", 92, 80], ["Emmen", 69, 115]]
    result = TvsAdapter().read(source(xlsx_bytes(rows), "tvs.xlsx"))
    assert fouten(result) == [] and total(result) == 80 + 115


def test_goo_file_with_only_a_percentage_for_occupancy_is_an_error():
    rows = [["GOO-lijst"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Capaciteit", "Bezetting (%)"], ["Assen", 100, 85], ["Emmen", 200, 90]]
    result = KcioAdapter().read(source(xlsx_bytes(rows), "goo.xlsx", peildatum=None, maat="bezetting"))
    [fout] = fouten(result)
    assert "Bezetting (%)" in fout.melding and "percentage" in fout.melding
    assert total(result) == 0  # never 85 + 90 "occupied places"


def test_ratio_words_are_never_counts():
    for header in ("Bezettingsgraad", "Percentage bezetting", "Bezetting procent", "Capaciteit %"):
        rows = [["Gemeente", header, "Capaciteit"], ["Assen", 85, 100]]
        result = KcioAdapter().read(source(csv_bytes(rows), maat="capaciteit"))
        assert fouten(result) == [] and total(result) == 100, header


def test_kolommen_cannot_map_a_percentage_onto_a_count():
    rows = [["Gemeente", "Bezetting (%)", "Capaciteit"], ["Assen", 85, 100]]
    result = KcioAdapter().read(source(csv_bytes(rows), maat="bezetting", kolommen={"Bezetting (%)": "Bezetting"}))
    codes = {m.code for m in fouten(result)}
    assert "kolommen_percentage" in codes
    assert any(m.kolom == "Bezetting (%)" for m in fouten(result))
    assert total(result) == 0


def test_a_percentage_in_a_count_cell_is_an_error():
    rows = [["Gemeente", "Plekken"], ["Assen", "45%"], ["Emmen", "12"]]
    result = NidosAdapter().read(source(csv_bytes(rows)))
    [fout] = fouten(result)
    assert (fout.code, fout.kolom, fout.waarde, fout.rij) == ("percentage_als_aantal", "Plekken", "45%", 2)
    assert total(result) == 12


# --- 2. headers with a period or date after the name ---------------------------------------------

LAYOUT = Layout("t", [
    Column("taakstelling", ["Taakstelling"], kind=COUNT),
    Column("gehuisvest", ["Gehuisvest"], kind=COUNT),
    Column("achterstand", ["Achterstand/voorsprong", "Achterstand"], kind=COUNT),
    Column("opgave", ["Opgave"], kind=COUNT),
    Column("capaciteit", ["Capaciteit"], kind=COUNT),
])


@pytest.mark.parametrize("header, key", [
    ("Taakstelling tweede helft 2025", "taakstelling"), ("Taakstelling 2025-II", "taakstelling"),
    ("Gehuisvest t/m 31-12-2025", "gehuisvest"), ("Achterstand (+) / voorsprong (-) per 1-7-2025", "achterstand"),
    ("Achterstand per 1-7-2025", "achterstand"), ("Opgave per 1 februari 2026", "opgave"),
    ("Capaciteit (stand 29-12-2025)", "capaciteit"), ("Taakstelling 2e helft 2025", "taakstelling"),
])
def test_header_with_period_or_date_suffix(header, key):
    match = match_header(Grid("f", None, []), LAYOUT, 1, ["Gemeente", header])
    assert match.positions == {key: 1}
    assert match.problems == ()


@pytest.mark.parametrize("header", ["Opgave (inclusief amv)", "Opgave inclusief amv", "Opgaven", "Opgave asiel",
                                    "Taakstelling gecorrigeerd", "Capaciteit noodopvang 2025"])
def test_name_followed_by_anything_else_is_not_the_name(header):
    match = match_header(Grid("f", None, []), LAYOUT, 1, [header])
    assert match.positions == {}


@settings(max_examples=60, deadline=None)
@given(year=st.integers(2020, 2035), half=st.sampled_from(["I", "II", "1e helft", "2e helft", "eerste halfjaar",
                                                           "tweede helft", "H1", "H2"]),
       form=st.integers(0, 3))
def test_any_period_suffix_matches(year, half, form):
    if half in ("I", "II"):
        suffix = f"{year}-{half}"
    elif half.startswith("H"):
        suffix = f"{half} {year}"
    else:
        suffix = f"{half} {year}"
    header = ["Taakstelling {}", "Taakstelling ({})", "TAAKSTELLING  {}", "taakstelling: {}"][form].format(suffix)
    match = match_header(Grid("f", None, []), LAYOUT, 1, [header])
    assert match.positions == {"taakstelling": 0}
    assert match.suffixes["taakstelling"].period is not None


@settings(max_examples=60, deadline=None)
@given(word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=12))
def test_a_word_after_the_name_is_never_a_match(word):
    from hypothesis import assume

    from opvangkern.reading.values import _SUFFIX_LEAD

    # "Opgave periode 2025", "Opgave over 2025": a word that leads a period is a period suffix (SPEC §11)
    assume(not _SUFFIX_LEAD.fullmatch(word))
    match = match_header(Grid("f", None, []), LAYOUT, 1, [f"Opgave ({word})", f"Opgave {word} 2025"])
    assert "opgave" not in match.positions


def test_short_aliases_with_a_suffix():
    from opvangkern.reading.table import with_standard_columns
    from opvangkern_coa import WIDE

    cells = ["Gemeente", "Regulier 2025-II", "NO 2025-II", "TGO (stand 31-12-2025)", "AMV", "No. 2025"]
    match = match_header(Grid("f", None, []), with_standard_columns(WIDE), 1, cells)
    assert match.positions == {"gemeente": 0, "regulier": 1, "noodopvang": 2, "tgo": 3, "amv": 4}
    assert match.problems == ()


def test_a_date_column_name_with_a_date_is_not_the_date_column():
    rows = [["Gemeente", "Stand per 31-12-2025"], ["Assen", 7]]
    result = NidosAdapter().read(source(csv_bytes(rows), kolommen={"Stand per 31-12-2025": "Plekken"}))
    assert list(result.meldingen) == [] and total(result) == 7


def test_two_decisions_side_by_side_need_kolommen():
    rows = [["Gemeente", "Opgave per 1 januari 2025", "Opgave per 1 februari 2026"], ["Assen", 100, 120],
            ["Emmen", 200, 230]]
    result = read_quota(Source(io.BytesIO(xlsx_bytes(rows)), "besluit.xlsx"), "asiel", D(2026, 2, 1), "gemeente")
    [fout] = [m for m in result.meldingen if m.is_error]
    assert fout.code == "meerdere_kolommen"
    assert "Opgave per 1 januari 2025" in fout.melding and "Opgave per 1 februari 2026" in fout.melding
    assert 'kolommen = { "Opgave per 1 februari 2026" = "Opgave" }' in fout.melding
    picked = read_quota(Source(io.BytesIO(xlsx_bytes(rows)), "besluit.xlsx",
                               kolommen={"Opgave per 1 februari 2026": "Opgave"}), "asiel", D(2026, 2, 1), "gemeente")
    assert [m for m in picked.meldingen] == []
    assert sorted(picked.opgaven.column("aantal").to_pylist()) == [120.0, 230.0]


# --- 3. kolommen and waarden, with their errors --------------------------------------------------

def test_kolommen_maps_an_unknown_header():
    rows = [["Gemeente", "Aantal kleinschalige plekken Nidos"], ["Assen", 7], ["Emmen", 5]]
    result = NidosAdapter().read(source(csv_bytes(rows), kolommen={"Aantal kleinschalige plekken Nidos": "Plekken"}))
    assert list(result.meldingen) == [] and total(result) == 12


def test_kolommen_errors():
    rows = [["Gemeente", "Aantal A", "Aantal B"], ["Assen", 7, 1]]
    missing = NidosAdapter().read(source(csv_bytes(rows), kolommen={"Aantal A": "Plekken", "Niet er": "Plekken"}))
    assert "kolommen_kolom_ontbreekt" in {m.code for m in fouten(missing)}
    assert any(m.kolom == "Niet er" for m in fouten(missing))
    double = NidosAdapter().read(source(csv_bytes(rows), kolommen={"Aantal A": "Plekken", "Aantal B": "Aantal"}))
    assert "kolommen_dubbel" in {m.code for m in fouten(double)}
    unknown = NidosAdapter().read(source(csv_bytes(rows), kolommen={"Aantal A": "Plaatsen"}))
    [fout] = [m for m in fouten(unknown) if m.code == "kolommen_onbekende_kolom"]
    assert fout.kolom == "Aantal A" and "Plekken" in fout.melding


def test_waarden_unknown_target_is_an_error():
    rows = [["Gemeente", "Locatie", "Type locatie", "Capaciteit"], ["Assen", "X", "paviljoen", 10]]
    result = CoaAdapter().read(source(csv_bytes(rows), waarden={"paviljoen": "tent"}))
    codes = {m.code for m in fouten(result)}
    assert "waarden_onbekende_waarde" in codes and "onbekend_locatietype" in codes
    assert total(result) == 0


def test_waarden_overslaan_on_the_area_column():
    rows = [["Gemeente", "Plekken"], ["Assen", 7], ["Regio Zuidoost-Drenthe", 9], ["Emmen", 5]]
    result = NidosAdapter().read(source(csv_bytes(rows), waarden={"Regio Zuidoost-Drenthe": "overslaan"}))
    assert list(result.meldingen) == [] and total(result) == 12
    assert result.stats.rijen_overgeslagen == 1


def test_manifest_kolommen_and_waarden():
    text = """
[[opgave]]
opgave = "asiel"
ingangsdatum = 2026-02-01
bestand = "a.xlsx"
kolommen = { "Opgave per 1 februari 2026" = "Opgave" }

[[bron]]
bron = "coa"
bestand = "coa.xlsx"
kolommen = { "Aantal plekken" = "Plekken" }
waarden = { "kwv" = "amv", "Crisisnoodopvang" = "overslaan" }
extra = 1
"""
    manifest, meldingen = parse_manifest(text, "x")
    assert meldingen == []
    assert manifest.opgaven[0].kolommen == {"Opgave per 1 februari 2026": "Opgave"}
    assert manifest.bronnen[0].waarden == {"kwv": "amv", "Crisisnoodopvang": "overslaan"}
    assert manifest.bronnen[0].options == {"extra": 1}  # options keep working
    bad = parse_manifest('[[bron]]\nbron = "coa"\nbestand = "c.csv"\nwaarden = "kwv"\n', "x")[1]
    assert [m.code for m in bad] == ["manifest_koppeling_ongeldig"]
    kolom = parse_manifest('[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-02-01\nbestand = "a.csv"\n'
                           'kolom = "Opgave per 1 februari 2026"\n', "x")[1]
    assert [m.code for m in kolom] == ["manifest_kolom_sleutel"]
    assert 'kolommen = { "Opgave per 1 februari 2026" = "Opgave" }' in kolom[0].melding


# --- 4. decisions including AMV ----------------------------------------------------------------

BESLUIT = [["Verdeelbesluit Spreidingswet"], [], ["Gemeente", "Opgave (inclusief amv)", "Waarvan amv"],
           ["Assen", 500, 40], ["Emmen", 700, "-"], ["Meppel", 300, 25], ["Drenthe", 1500, 65], [],
           ["Bron: ministerie van JenV"], ["* amv: alleenstaande minderjarige vreemdelingen"]]


def quota(rows, opgave, **kw):
    return read_quota(Source(io.BytesIO(xlsx_bytes(rows)), "besluit.xlsx", **kw), opgave, D(2026, 2, 1), "gemeente")


def test_inclusief_amv_serves_asiel_and_amv():
    asiel, amv = quota(BESLUIT, "asiel"), quota(BESLUIT, "amv")
    assert list(asiel.meldingen) == [] and list(amv.meldingen) == []
    assert sorted(asiel.opgaven.column("aantal").to_pylist()) == sorted([500 - 40, 700 - 0, 300 - 25])
    assert sorted(amv.opgaven.column("aantal").to_pylist()) == [25.0, 40.0]  # Emmen: '-' is no AMV target
    assert asiel.stats.totaalrijen == 1 and asiel.stats.rijen_overgeslagen == 2


def test_inclusief_without_amv_column_is_an_error_for_asiel():
    rows = [["Gemeente", "Opgave inclusief amv"], ["Assen", 500]]
    result = quota(rows, "asiel")
    [fout] = [m for m in result.meldingen if m.is_error]
    assert fout.code == "amv_kolom_ontbreekt" and fout.kolom == "Opgave inclusief amv"
    assert result.opgaven.num_rows == 0
    for opgave in ("amv", "nidos_amv"):  # 'Opgave (inclusief amv)' is not 'Opgave'
        other = quota(rows, opgave)
        assert any(m.is_error for m in other.meldingen) and other.opgaven.num_rows == 0


def test_opgave_beside_waarvan_amv_is_ambiguous_for_asiel():
    rows = [["Gemeente", "Opgave", "Waarvan amv"], ["Assen", 500, 40]]
    [fout] = [m for m in quota(rows, "asiel").meldingen if m.is_error]
    assert fout.code == "opgavekolom_dubbelzinnig" and 'kolommen = { "Opgave" = "Opgave inclusief amv" }' in fout.melding
    fixed = quota(rows, "asiel", kolommen={"Opgave": "Opgave inclusief amv"})
    assert fixed.opgaven.column("aantal").to_pylist() == [460.0]
    assert quota(rows, "amv").opgaven.column("aantal").to_pylist() == [40.0]


def test_waarvan_larger_than_inclusief_is_an_error():
    rows = [["Gemeente", "Opgave (inclusief amv)", "Waarvan amv"], ["Assen", 30, 40]]
    [fout] = [m for m in quota(rows, "asiel").meldingen if m.is_error]
    assert fout.code == "waarvan_amv_te_groot" and fout.rij == 2


# --- 5. COA's vocabulary --------------------------------------------------------------------------

def test_coa_words_and_skipped_types():
    rows = [["COA locaties"], ["Peildatum: 31-12-2025"], [],
            ["Gemeente", "Locatie", "Type locatie", "Capaciteit"],
            ["Assen", "a", "azc", 300], ["Assen", "b", "Reguliere opvang", 10], ["Emmen", "c", "NOL", 50],
            ["Emmen", "d", "kleinschalige noodopvang", 20], ["Emmen", "e", "KWV", 12],
            ["Meppel", "f", "AMV-opvang", 8], ["Meppel", "g", "Crisisnoodopvang", 100], ["Meppel", "h", "GOO", 60],
            [], ["Bron: COA"]]
    result = CoaAdapter().read(source(xlsx_bytes(rows), "coa.xlsx", peildatum=None))
    assert list(result.meldingen) == []
    cats = {}
    for r in result.realisaties.to_pylist():
        cats[(r["opgave"], r["categorie"])] = cats.get((r["opgave"], r["categorie"]), 0) + r["aantal"]
    assert cats == {("asiel", "regulier"): 310, ("asiel", "noodopvang"): 70, ("amv", None): 20}
    assert (result.stats.rijen_gebruikt, result.stats.rijen_overgeslagen) == (6, 3)


def test_coa_unknown_type_points_at_waarden():
    rows = [["Gemeente", "Locatie", "Type locatie", "Capaciteit"], ["Assen", "a", "Paviljoen", 30]]
    [fout] = fouten(CoaAdapter().read(source(csv_bytes(rows))))
    assert fout.code == "onbekend_locatietype" and fout.kolom == "Type locatie" and fout.waarde == "Paviljoen"
    assert 'waarden = { "Paviljoen" = "regulier" }' in fout.melding
    fixed = CoaAdapter().read(source(csv_bytes(rows), waarden={"Paviljoen": "noodopvang"}))
    assert list(fixed.meldingen) == [] and fixed.realisaties.column("categorie").to_pylist() == ["noodopvang"]


# --- 6. notes, bare region names, the day after a period -----------------------------------------

def test_notes_are_skipped_silently_and_bare_region_names_are_subtotals():
    rows = [["Nidos"], ["Peildatum: 31-12-2025"], ["Gemeente", "Plekken"],
            ["Leeuwarden", 10], ["Smallingerland", 4], ["Fryslân", 14],
            ["Maastricht", 6], ["Venlo", 3], ["Limburg", 10],
            [], ["Bron: Nidos, bewerking provincie"], ["* voorlopige cijfers"], ["Toelichting"],
            ["De cijfers zijn afgerond op hele plekken per gemeente."], ["", "zie ook de website"]]
    result = NidosAdapter().read(source(xlsx_bytes(rows), "nidos.xlsx", peildatum=None))
    [warning] = result.meldingen  # Limburg's subtotal 10 is not 6 + 3
    assert warning.rij == 9 and "Limburg" in warning.melding and not warning.is_error
    assert total(result) == 10 + 4 + 6 + 3
    assert result.stats.totaalrijen == 2 and result.stats.rijen_overgeslagen == 5


def test_first_day_after_the_period_belongs_to_it():
    rows = [["TVS"], ["Stand per 1 januari 2026"], ["Gemeente", "Periode", "Gerealiseerd"], ["Assen", "2025-II", 80]]
    result = TvsAdapter().read(source(xlsx_bytes(rows), "tvs.xlsx", peildatum=None))
    assert list(result.meldingen) == [] and result.peildatum == D(2026, 1, 1)
    rows[1] = ["Stand per 2 januari 2026"]
    late = TvsAdapter().read(source(xlsx_bytes(rows), "tvs.xlsx", peildatum=None))
    assert [m.ernst.value for m in late.meldingen] == ["waarschuwing"]


def test_tvs_file_with_several_periods_reads_the_peildatum_s_period():
    rows = [["Gemeente", "Periode", "Taakstelling", "Achterstand", "Gehuisvest"],
            ["Assen", "2025-I", 30, 20, 44], ["Emmen", "2025-I", 60, 10, 70],
            ["Assen", "2025-II", 39, 6, 30], ["Emmen", "2025-II", 74, 0, 50]]
    result = TvsAdapter().read(source(csv_bytes(rows), peildatum=D(2025, 12, 31)))
    assert total(result) == 30 + 50  # never 44 + 70 + 30 + 50
    assert line(result) == {D(2025, 7, 1): 6, D(2026, 1, 1): 39 + 6 + 74}
    assert [m.code for m in result.meldingen] == ["tvs_meer_perioden"] and not result.meldingen[0].is_error
    assert result.stats.rijen_overgeslagen == 2
    outside = TvsAdapter().read(source(csv_bytes(rows), peildatum=D(2026, 3, 31)))
    assert [m.code for m in fouten(outside)] == ["tvs_meer_perioden"]


# --- 7. the TVS export as the housing target --------------------------------------------------------

def line(result) -> dict:
    out: dict = {}
    for r in result.opgaven.to_pylist():
        out[r["ingangsdatum"]] = out.get(r["ingangsdatum"], 0) + r["aantal"]
    return out


def test_tvs_line_from_periode_column_backlog_and_corrected():
    rows = [["Gemeente", "Periode", "Taakstelling", "Achterstand begin periode", "Gecorrigeerde taakstelling",
             "Gerealiseerd"], ["Assen", "2025-II", 39, 48, 87, 80], ["Emmen", "2025-II", 74, 92, 166, 115]]
    result = TvsAdapter().read(source(csv_bytes(rows)))
    assert line(result) == {D(2025, 7, 1): 48 + 92, D(2026, 1, 1): 87 + 166}


def test_tvs_line_from_target_and_backlog_with_period_in_title():
    rows = [["Taakstelling vergunninghouders 2025-II"], [], ["Gemeente", "Taakstelling", "Achterstand", "Gehuisvest"],
            ["Assen", 39, 48, 80], ["Emmen", 74, -5, 115], ["Emmen", 1, 2, 3]]  # Emmen twice: summed
    result = TvsAdapter().read(source(xlsx_bytes(rows), "tvs.xlsx"))
    assert line(result) == {D(2025, 7, 1): 48 - 5 + 2, D(2026, 1, 1): 39 + 48 + 74 - 5 + 1 + 2}
    emmen = [r for r in result.opgaven.to_pylist() if r["gebied_code"] == "GM0114"]
    assert {r["ingangsdatum"]: r["aantal"] for r in emmen} == {D(2025, 7, 1): -3, D(2026, 1, 1): 72}


def test_tvs_line_from_the_backlog_header_date():
    rows = [["Gemeente", "Taakstelling", "Achterstand per 1-1-2026", "Gehuisvest"], ["Assen", 40, 10, 5]]
    result = TvsAdapter().read(source(csv_bytes(rows), peildatum=D(2026, 3, 31)))
    assert line(result) == {D(2026, 1, 1): 10, D(2026, 7, 1): 50}


def test_tvs_line_backlog_from_target_and_corrected():
    rows = [["Gemeente", "Taakstelling 2025-II", "Gecorrigeerde taakstelling 2025-II", "Gehuisvest"],
            ["Assen", 39, 87, 80], ["Emmen", 74, 166, 115]]
    result = TvsAdapter().read(source(csv_bytes(rows)))
    assert line(result) == {D(2025, 7, 1): (87 - 39) + (166 - 74), D(2026, 1, 1): 87 + 166}


def test_tvs_without_period_or_backlog_gives_no_line():
    no_period = [["Gemeente", "Taakstelling", "Achterstand", "Gehuisvest"], ["Assen", 39, 48, 80]]
    assert TvsAdapter().read(source(csv_bytes(no_period))).opgaven is None
    no_backlog = [["Gemeente", "Taakstelling 2025-II", "Gehuisvest"], ["Assen", 39, 80]]
    assert TvsAdapter().read(source(csv_bytes(no_backlog))).opgaven is None


def test_tvs_row_without_backlog_gets_no_line_and_a_warning():
    rows = [["Gemeente", "Periode", "Taakstelling", "Achterstand", "Gehuisvest"], ["Assen", "2025-II", 39, 48, 80],
            ["Emmen", "2025-II", 74, "", 115]]
    result = TvsAdapter().read(source(csv_bytes(rows)))
    assert line(result) == {D(2025, 7, 1): 48, D(2026, 1, 1): 87}
    [m] = result.meldingen
    assert m.code == "tvs_opgavelijn_onvolledig" and "Emmen" in m.melding and m.rij == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(-50, 200), st.integers(0, 300)), min_size=1, max_size=8))
def test_tvs_line_is_the_sum_of_the_rows(figures):
    names = ["Assen", "Emmen", "Meppel", "Tynaarlo", "Assen", "Emmen", "Coevorden", "Aa en Hunze"]
    rows = [["Gemeente", "Periode", "Taakstelling", "Achterstand", "Gerealiseerd"]]
    rows += [[names[i], "2e helft 2025", t, a, g] for i, (t, a, g) in enumerate(figures)]
    result = TvsAdapter().read(source(csv_bytes(rows)))
    assert line(result) == {D(2025, 7, 1): sum(a for _, a, _ in figures),
                            D(2026, 1, 1): sum(t + a for t, a, _ in figures)}
    assert total(result) == sum(g for *_, g in figures)


def test_a_long_municipality_name_beside_a_bad_count_is_a_fout_not_a_note():
    """Found by the long fuzz run: ``Gemeente Alphen aan den Rijn`` has five words, the note rule took the row for
    a sentence under the table and the bad count beside it vanished. A row that names an area is data."""
    import io

    from opvangkern.sources.adapter import Source
    from opvangkern_coa import CoaAdapter

    data = (b"Gemeentecode;Locatie;Opvangvorm;Gemeente;Capaciteit\r\n"
            b"GM0484;Locatie A;regulier;Gemeente Alphen aan den Rijn;abc\r\n"
            b"Bron: COA, bewerking provincie;;;;\r\n")
    result = CoaAdapter().read(Source(io.BytesIO(data), "coa.csv", peildatum=None))
    assert [(m.rij, m.kolom, m.code) for m in result.meldingen] == [(2, "Capaciteit", "geen_getal")]
    assert (result.stats.rijen_afgewezen, result.stats.rijen_overgeslagen) == (1, 1)  # the note is still skipped
