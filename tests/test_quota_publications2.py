"""Quota decisions as they are really published, second round (hardening, seventh session): municipalities a
decision's date does not know, the total of a regional file, and layouts not yet tried. Each case goes through
the public entry points (``opvangkern check`` via click, ``load_dataset``); the expected figure is plain
arithmetic here, or the exact melding (code, file, sheet, row, column, value) with the exit code."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_quota_publications import check, make, meldingen, points, quota


def located(found: list[dict]) -> list[tuple]:
    return [(m["code"], m["ernst"], m["bestand"], m["blad"], m["rij"], m["kolom"], m["waarde"]) for m in found]


def errors(folder: Path) -> list[dict]:
    return [m for m in meldingen(folder) if m["ernst"] == "fout"]


# --- 1. a municipality at a date it did not exist ------------------------------------------------------

NOORD_HOLLAND_2021 = """
Verdeling taakstelling asielopvang Noord-Holland Noord;;
Ingangsdatum 1 juli 2021;;
;;
Gemeentecode;Gemeente;Taakstelling
GM0361;Alkmaar;50
GM1980;Dijk en Waard;{dijk}
{extra}
;;
Bron: provincie Noord-Holland;;
"""


def test_a_municipality_in_a_decision_before_it_was_formed_counts_with_a_warning(tmp_path):
    csv = NOORD_HOLLAND_2021.format(dijk="120", extra="")
    folder = make(tmp_path, quota("asiel", "2021-07-01", "opgaven/nhn.csv"), {"opgaven/nhn.csv": csv})
    day = dt.date(2021, 7, 1)
    # Dijk en Waard before 1-1-2022 is Heerhugowaard + Langedijk: its line there is theirs, so 120 counts for it
    assert sorted(points(folder)) == sorted([("GM0361", day, 50.0), ("GM1980", day, 120.0)])
    found = meldingen(folder, "gemeente_bestond_nog_niet")
    assert located(found) == [("gemeente_bestond_nog_niet", "waarschuwing", "opgaven/nhn.csv", None, 6, "Gemeente",
                               "Dijk en Waard")]
    assert "1 januari 2022" in found[0]["melding"] and "Heerhugowaard" in found[0]["melding"]
    assert check(folder)[0] == 0


def test_a_new_municipality_beside_one_it_was_formed_from_is_a_fout_not_a_double_count(tmp_path):
    csv = NOORD_HOLLAND_2021.format(dijk="120", extra="GM0398;Heerhugowaard;80")
    folder = make(tmp_path, quota("asiel", "2021-07-01", "opgaven/nhn.csv"), {"opgaven/nhn.csv": csv})
    [fout] = errors(folder)
    assert located([fout]) == [("herindeling_dubbel", "fout", "opgaven/nhn.csv", None, 6, "Gemeente", "Dijk en Waard")]
    assert "rij 7" in fout["melding"]  # names the other row
    day = dt.date(2021, 7, 1)
    # Dijk en Waard's row is refused; Heerhugowaard's 80 stays (for its successor): never 120 + 80
    assert sorted(points(folder)) == sorted([("GM0361", day, 50.0), ("GM1980", day, 80.0)])
    assert check(folder)[0] == 1


AMSTERDAM_2023 = """
Verdeelbesluit opvang asielzoekers per 1 januari 2023
Gemeente,Opgave,Aandeel (%)
Amsterdam,"2.300","4,1"
Weesp,"90","0,2"
Zaanstad,"700","1,2"
Totaal,"3.090",
"""


def test_a_former_municipality_beside_its_successor_after_the_merger_is_summed_with_a_warning(tmp_path):
    folder = make(tmp_path, quota("asiel", "2023-01-01", "opgaven/a.csv"), {"opgaven/a.csv": AMSTERDAM_2023})
    assert errors(folder) == []
    [warned] = meldingen(folder, "voormalige_gemeente_naast_opvolger")
    assert located([warned]) == [("voormalige_gemeente_naast_opvolger", "waarschuwing", "opgaven/a.csv", None, 4,
                                  "Gemeente", "Weesp")]
    assert "24 maart 2022" in warned["melding"] and "rij 3" in warned["melding"] and "dubbel" in warned["melding"]
    day = dt.date(2023, 1, 1)
    # the division's mapping (SPEC §2): a former municipality's point joins its successor's line on that date
    assert sorted(points(folder)) == sorted([("GM0363", day, 2300.0 + 90.0), ("GM0479", day, 700.0)])
    assert check(folder)[0] == 0


def test_the_same_list_before_the_merger_is_summed_for_the_successor(tmp_path):
    csv = AMSTERDAM_2023.replace("1 januari 2023", "1 januari 2022")
    folder = make(tmp_path, quota("asiel", "2022-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert errors(folder) == []  # on 1-1-2022 Weesp still existed: its target joins Amsterdam's line
    day = dt.date(2022, 1, 1)
    assert sorted(points(folder)) == sorted([("GM0363", day, 2300.0 + 90.0), ("GM0479", day, 700.0)])
    assert [m["waarde"] for m in meldingen(folder, "voormalige_gemeente")] == ["Weesp"]


def former_alone_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Taakstelling 2024"
    ws.append(["Taakstelling huisvesting vergunninghouders, eerste helft 2024"])
    ws.append([])
    ws.append(["CBS-code", "Gemeente", "Taakstelling"])
    ws.append(["0361", "ALKMAAR", 40])
    ws.append(["0398", "Heerhugowaard", 35])
    ws.append(["* inclusief nareizigers"])
    wb.save(path)


def test_a_former_municipality_alone_after_the_merger_counts_for_its_successor_with_the_waarden_line(tmp_path):
    entry = quota("vergunninghouders", "2024-01-01", "opgaven/t.xlsx")
    folder = make(tmp_path, entry, {"opgaven/t.xlsx": former_alone_xlsx})
    assert errors(folder) == []
    [warned] = meldingen(folder, "voormalige_gemeente_na_herindeling")
    assert located([warned]) == [("voormalige_gemeente_na_herindeling", "waarschuwing", "opgaven/t.xlsx",
                                  "Taakstelling 2024", 5, "Gemeente", "Heerhugowaard")]
    assert 'waarden = { "Heerhugowaard" = "Dijk en Waard" }' in warned["melding"] and "Langedijk" in warned["melding"]
    assert '"GM0398" = "Dijk en Waard"' in warned["melding"]  # the code cell too, as the file writes it
    day = dt.date(2024, 1, 1)
    assert sorted(points(folder, "vergunninghouders")) == sorted([("GM0361", day, 40.0), ("GM1980", day, 35.0)])
    # the line the message shows says the row is Dijk en Waard as a whole: no warning left
    fixed = make(tmp_path / "b", quota("vergunninghouders", "2024-01-01", "opgaven/t.xlsx",
                                       'waarden = { "Heerhugowaard" = "Dijk en Waard", "0398" = "Dijk en Waard" }'),
                 {"opgaven/t.xlsx": former_alone_xlsx})
    assert errors(fixed) == [] and meldingen(fixed, "voormalige_gemeente_na_herindeling") == []
    assert sorted(points(fixed, "vergunninghouders")) == sorted([("GM0361", day, 40.0), ("GM1980", day, 35.0)])


def test_every_municipality_of_a_merger_after_its_date_is_the_old_list_summed(tmp_path):
    csv = "Gemeente;Taakstelling\nHeerhugowaard;35\nLangedijk;20\nAlkmaar;40\n"
    folder = make(tmp_path, quota("vergunninghouders", "2024-01-01", "opgaven/t.csv"), {"opgaven/t.csv": csv})
    assert errors(folder) == []
    day = dt.date(2024, 1, 1)
    assert sorted(points(folder, "vergunninghouders")) == sorted([("GM1980", day, 35.0 + 20.0), ("GM0361", day, 40.0)])
    assert sorted(m["waarde"] for m in meldingen(folder, "voormalige_gemeente")) == ["Heerhugowaard", "Langedijk"]


def test_a_former_code_alone_after_a_merger_into_a_continuing_municipality_counts_for_it(tmp_path):
    csv = "Gemeentecode;Opgave\nGM0457;90\nGM0479;700\n"  # Weesp's code in 2023, without Amsterdam
    folder = make(tmp_path, quota("asiel", "2023-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert errors(folder) == []
    assert [m["code"] for m in meldingen(folder, "voormalige_gemeente_na_herindeling")] == ["voormalige_gemeente_na_herindeling"]
    day = dt.date(2023, 1, 1)
    assert sorted(points(folder)) == sorted([("GM0363", day, 90.0), ("GM0479", day, 700.0)])


MERGERS = [  # (former, successor, date of the reorganisation, the successor is newly formed)
    ("Weesp", "Amsterdam", dt.date(2022, 3, 24), False),
    ("Heerhugowaard", "Dijk en Waard", dt.date(2022, 1, 1), True),
    ("Haren", "Groningen", dt.date(2019, 1, 1), False),
    ("Beemster", "Purmerend", dt.date(2022, 1, 1), False),
    ("Brielle", "Voorne aan Zee", dt.date(2023, 1, 1), True),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(merger=st.sampled_from(MERGERS), offset=st.integers(-800, 800) | st.sampled_from([-1, 0, 1]), former=st.integers(1, 500),
       successor=st.integers(1, 500), which=st.sampled_from(["both", "former", "successor"]))
def test_a_decision_never_counts_a_municipality_and_its_successor_both(tmp_path_factory, merger, offset, former,
                                                                        successor, which):
    """Whatever the date: a former municipality counts for its successor (SPEC §2), with a warning when the
    decision is dated after the merger; a decision dated before a new municipality was formed that names it
    beside one it was formed from is a fout and counts one of them, never the sum."""
    name, succ, day, new = merger
    date = day + dt.timedelta(days=offset)
    rows = {"both": [(name, former), (f"Gemeente {succ}", successor)], "former": [(name, former)],
            "successor": [(f"Gemeente {succ}", successor)]}[which]
    csv = "Gemeente;Opgave\n" + "".join(f"{n};{v}\n" for n, v in rows)
    folder = make(tmp_path_factory.mktemp("d"), quota("asiel", date.isoformat(), "opgaven/a.csv"),
                  {"opgaven/a.csv": csv})
    found = {m["code"] for m in errors(folder)}
    got = [a for _, d, a in points(folder) if d == date]
    listed_former = date <= day  # on the day of the merger a decision drafted before it lists the old ones
    exists_successor = date >= day or not new
    late = {m["code"] for m in meldingen(folder) if m["ernst"] == "waarschuwing"}
    if which == "both" and listed_former and exists_successor:
        assert found == set() and got == [former + successor]  # the predecessor joins the successor's line
    elif which == "both" and not listed_former:  # after the merger: summed, with the warning that it may be double
        assert found == set() and got == [former + successor] and "voormalige_gemeente_naast_opvolger" in late
    elif which == "both":  # a new municipality before it was formed, beside one it was formed from
        assert "herindeling_dubbel" in found and len(got) == 1 and got[0] in (former, successor)
    elif which == "former" and not listed_former:
        assert found == set() and got == [former] and "voormalige_gemeente_na_herindeling" in late
    else:
        assert found == set() and got == [former if which == "former" else successor]
        warned = meldingen(folder, "gemeente_bestond_nog_niet")
        assert bool(warned) == (which == "successor" and not exists_successor)


# --- 2. the total of a regional decision -----------------------------------------------------------------

DRENTHE = {"Aa en Hunze": 87, "Assen": 1010, "Borger-Odoorn": 52, "Coevorden": 61, "De Wolden": 40, "Emmen": 300,
           "Hoogeveen": 150, "Meppel": 80, "Midden-Drenthe": 70, "Noordenveld": 60, "Tynaarlo": 90, "Westerveld": 52}


def drenthe_decision(amounts: dict[str, float]) -> str:
    body = "".join(f"{name};{str(v).replace('.', ',')}\n" for name, v in amounts.items())
    return ("Regionaal verdeelbesluit asielopvang provincie Drenthe\nVastgesteld door de regietafel, 12 januari 2026\n\n"
            "Gemeente;Opgave\n" + body + "\n* inclusief nareizigers\n")


def test_a_regional_decision_whose_total_fits_is_quiet(tmp_path):
    total = sum(DRENTHE.values())
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/d.csv", f"totaal = {total}"),
                  {"opgaven/d.csv": drenthe_decision(DRENTHE)})
    assert errors(folder) == [] and len(points(folder)) == len(DRENTHE)
    assert check(folder)[0] == 0


def test_a_regional_decision_missing_a_municipality_is_refused_with_both_figures(tmp_path):
    total = sum(DRENTHE.values())
    short = {k: v for k, v in DRENTHE.items() if k != "Emmen"}
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/d.csv", f"totaal = {total}"),
                  {"opgaven/d.csv": drenthe_decision(short)})
    [fout] = errors(folder)
    summed = sum(short.values())
    assert (fout["code"], fout["bestand"], fout["kolom"]) == ("som_opgaven_wijkt_af_regio", "opgaven/d.csv", "Opgave")
    for figure in (summed, total):
        assert f"{figure:,}".replace(",", ".") in fout["melding"]
    assert "Emmen" in fout["melding"] and "11 van de 12" in fout["melding"]
    assert check(folder)[0] == 1


def test_a_regional_file_above_its_total_is_refused(tmp_path):
    total = sum(DRENTHE.values()) - 10  # a typing error in the total, or in one target
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/d.csv", f"totaal = {total}"),
                  {"opgaven/d.csv": drenthe_decision(DRENTHE)})
    assert [m["code"] for m in errors(folder)] == ["som_opgaven_boven_totaal"]


def test_an_extract_of_a_national_decision_with_the_national_total_is_not_checked(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/d.csv", "totaal = 101440"),
                  {"opgaven/d.csv": drenthe_decision(DRENTHE)})
    assert errors(folder) == [] and [m for m in meldingen(folder) if "totaal" in m["code"]] == []


def test_a_regional_decision_per_safety_region_is_checked_the_same_way(tmp_path):
    # Gelderland's three safety regions, Ukraine places; the decision's total as the province states it
    regions = {"Noord- en Oost-Gelderland": 2400, "Gelderland-Midden": 2100, "Gelderland-Zuid": 1500}
    total = sum(regions.values())
    csv = ("Verdeling opvang ontheemden uit Oekraïne, provincie Gelderland\n\nVeiligheidsregio;Opgave\n"
           + "".join(f"{k};{v:,}\n".replace(",", ".") for k, v in regions.items()) + f"Totaal Gelderland;{total:,}\n".replace(",", "."))
    good = make(tmp_path, quota("oekraine", "2026-01-01", "opgaven/g.csv", f"totaal = {total}"), {"opgaven/g.csv": csv})
    assert errors(good) == [] and sorted(a for _, _, a in points(good, "oekraine")) == sorted(regions.values())
    bad = make(tmp_path / "b", quota("oekraine", "2026-01-01", "opgaven/g.csv", f"totaal = {total + 300}"),
               {"opgaven/g.csv": csv})
    [fout] = errors(bad)
    assert fout["code"] == "som_opgaven_wijkt_af_regio" and "6.000" in fout["melding"] and "6.300" in fout["melding"]


@settings(max_examples=30, deadline=None)
@given(amounts=st.lists(st.integers(0, 5000), min_size=12, max_size=12), drop=st.sets(st.integers(0, 11)),
       shift=st.integers(-3, 3))
def test_the_regional_total_refuses_exactly_the_files_that_do_not_add_up(amounts, drop, shift):
    """Read directly: a Drenthe file with ``totaal`` = its full sum + shift; refused exactly when its sum is above
    the total, or short of it by more than 0.5 while above half of it."""
    from opvangkern.model import AreaLevel
    from opvangkern.reading.quota import read_quota_file
    from opvangkern.sources.adapter import Source

    names = list(DRENTHE)
    kept = {names[i]: amounts[i] for i in range(12) if i not in drop}
    total = sum(amounts) + shift
    data = drenthe_decision(kept).encode()
    _, found = read_quota_file(Source(io.BytesIO(data), "d.csv"), "asiel", dt.date(2026, 1, 1), AreaLevel.GEMEENTE, total)
    codes = {m.code for m in found if m.code.startswith("som_opgaven")}
    summed = sum(kept.values())
    if not kept:
        assert codes == set()
    elif summed > total + 0.5:
        assert codes == {"som_opgaven_boven_totaal"}
    elif summed < total - 0.5 and summed * 2 > total:
        assert codes == {"som_opgaven_wijkt_af_regio"}
    else:
        assert codes == set()


# --- 3. layouts not yet tried (red-team pass) --------------------------------------------------------

JAN, JUL = dt.date(2026, 1, 1), dt.date(2025, 7, 1)


def first(folder: Path) -> dict:
    found = errors(folder)
    assert found, meldingen(folder)
    return found[0]


def test_two_half_years_side_by_side_are_refused_until_kolommen_picks_one(tmp_path):
    csv = ("Taakstelling huisvesting vergunninghouders 2026;;\n;;\nGemeente;Taakstelling 1e helft 2026;"
           "Taakstelling 2e helft 2026\nAssen;40;45\nEmmen;50;55\n;;\n* inclusief nareizigers;;\n")
    folder = make(tmp_path, quota("vergunninghouders", "2026-01-01", "opgaven/t.csv"), {"opgaven/t.csv": csv})
    fout = first(folder)
    assert (fout["code"], fout["rij"]) == ("meerdere_kolommen", 3)
    assert 'kolommen = { "Taakstelling 2e helft 2026" = "Opgave" }' in fout["melding"]
    picked = make(tmp_path / "b", quota("vergunninghouders", "2026-07-01", "opgaven/t.csv",
                                        'kolommen = { "Taakstelling 2e helft 2026" = "Opgave" }'), {"opgaven/t.csv": csv})
    assert errors(picked) == []
    assert points(picked, "vergunninghouders") == [("GM0106", dt.date(2026, 7, 1), 45.0), ("GM0114", dt.date(2026, 7, 1), 55.0)]


@pytest.mark.parametrize("other, values", [("Aantal", (68000, 107000)), ("Plekken", (12, 20))])
def test_a_second_name_of_the_amount_column_is_refused_not_preferred(tmp_path, other, values):
    csv = f"Gemeente;{other};Taakstelling\nAssen;{values[0]};40\nEmmen;{values[1]};50\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    fout = first(folder)
    # before, the kit took the first name by preference (68.000 inhabitants as Assen's target) with a warning
    assert (fout["code"], fout["bestand"], fout["rij"]) == ("opgavekolom_dubbelzinnig", "opgaven/a.csv", 1)
    assert 'kolommen = { "Taakstelling" = "Opgave" }' in fout["melding"] and points(folder) == []
    fixed = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/a.csv", 'kolommen = { "Taakstelling" = "Opgave" }'),
                 {"opgaven/a.csv": csv})
    assert errors(fixed) == [] and points(fixed) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 50.0)]


def test_inhabitants_and_share_beside_the_target_are_not_read(tmp_path):
    csv = ("Gemeente;Aantal inwoners;Aandeel (%);Verdeelsleutel;Taakstelling\n"
           "Assen;68.000;0,39;0,0039;40\nEmmen;107.000;0,61;0,0061;50\n")
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert meldingen(folder) == [] and points(folder) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 50.0)]


def test_fractional_spreads_in_both_notations(tmp_path):
    csv = "Gemeente;Opgave\nAssen;12,5\nEmmen;12.5\nTynaarlo;1.234,5\nMeppel;0,25\nHoogeveen;1 010\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert errors(folder) == []
    assert points(folder) == [("GM0106", JAN, 12.5), ("GM0114", JAN, 12.5), ("GM1730", JAN, 1234.5),
                              ("GM0119", JAN, 0.25), ("GM0118", JAN, 1010.0)]


def test_no_target_written_every_way(tmp_path):
    csv = "Gemeente;Opgave\nAssen;n.v.t.\nEmmen;-\nTynaarlo;\nMeppel;0\nCoevorden;nvt\nHoogeveen;–\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert errors(folder) == [] and points(folder) == [("GM0119", JAN, 0.0)]  # 0 is a target; the others none
    word = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/a.csv"),
                {"opgaven/a.csv": "Gemeente;Opgave\nAssen;geen\nEmmen;40*\n"})
    assert [(m["code"], m["rij"], m["waarde"]) for m in errors(word)] == [("geen_getal", 2, "geen"), ("geen_getal", 3, "40*")]


def grouped_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Verdeling"
    ws.append(["Taakstelling asielopvang, verdeling per 1 januari 2026"])
    ws.append([])
    ws.append(["Gemeente", "Code", "Taakstelling", "Aandeel (%)"])
    ws.append(["Provincie Drenthe"])
    ws.merge_cells("A4:D4")
    ws.append(["ASSEN", 106, 12.5, 0.4])
    ws.append(["Gemeente Emmen", "0114", "7,5", 0.2])
    ws.append(["Totaal Drenthe", None, 20, None])
    ws.append(["PROVINCIE GRONINGEN"])
    ws.merge_cells("A8:D8")
    ws.append(["Eemsdelta", "GM1979", 30, 0.3])
    ws.append(["Totaal Nederland", None, 12.5 + 7.5 + 30, 1.0])
    ws.append(["* inclusief nareizigers"])
    wb.save(path)


def test_group_rows_per_province_subtotals_and_a_national_total(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/v.xlsx"), {"opgaven/v.xlsx": grouped_xlsx})
    assert meldingen(folder) == []  # 'per 1 januari 2026' in the title is the manifest's date
    assert points(folder) == [("GM0106", JAN, 12.5), ("GM0114", JAN, 7.5), ("GM1979", JAN, 30.0)]


def test_a_wrong_national_total_row_warns_and_the_figures_stay(tmp_path):
    csv = "Gemeente;Opgave\nAssen;40\nEmmen;50\nTotaal Drenthe;90\nEemsdelta;30\nTotaal Nederland;130\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    [m] = meldingen(folder)
    assert (m["code"], m["ernst"], m["rij"], m["waarde"]) == ("totaalrij_klopt_niet", "waarschuwing", 6, "130")
    assert "120" in m["melding"]  # 40 + 50 + 30
    assert points(folder) == [("GM0106", JAN, 40.0), ("GM0114", JAN, 50.0), ("GM1979", JAN, 30.0)]


def codes_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gemeentecode", "Gemeentenaam", "Opgave"])
    for code, name, amount in (("GM0106", "Assen", 10), ("0114", "EMMEN", 20), (1730, "gemeente tynaarlo", 30),
                               ("119", "GEMEENTE MEPPEL", 40)):
        ws.append([code, name, amount])
    wb.save(path)


def test_codes_and_names_as_every_export_writes_them(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/c.xlsx"), {"opgaven/c.xlsx": codes_xlsx})
    assert meldingen(folder) == []
    assert points(folder) == [("GM0106", JAN, 10.0), ("GM0114", JAN, 20.0), ("GM1730", JAN, 30.0), ("GM0119", JAN, 40.0)]


@pytest.mark.parametrize("title, day, refused", [
    ("Verdeling per 1 januari 2026", "2025-07-01", True),
    ("Verdeling per 1 januari 2026", "2026-01-01", False),
    ("Taakstelling met ingang van 1 juli 2025", "2026-01-01", True),
    ("Verdeling 2025, stand per 1 januari 2026", "2025-07-01", False),  # a status date, not when it takes effect
    ("Vastgesteld per 15 januari 2026", "2026-01-01", False),
])
def test_an_effective_date_in_the_title_must_be_the_manifests(tmp_path, title, day, refused):
    csv = f"{title};\n;\nGemeente;Opgave\nAssen;40\n"
    folder = make(tmp_path, quota("asiel", day, "opgaven/a.csv"), {"opgaven/a.csv": csv})
    if refused:
        [fout] = errors(folder)
        assert located([fout]) == [("ingangsdatum_verschilt", "fout", "opgaven/a.csv", None, 1, None, title)]
        assert points(folder) == [] and check(folder)[0] == 1
    else:
        assert errors(folder) == [] and points(folder) == [("GM0106", dt.date.fromisoformat(day), 40.0)]


def test_an_effective_date_in_the_amount_header_must_be_the_manifests(tmp_path):
    csv = "Gemeente;Opgave per 1 februari 2026\nAssen;40\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    fout = first(folder)
    assert (fout["code"], fout["rij"], fout["kolom"]) == ("ingangsdatum_verschilt", 1, "Opgave per 1 februari 2026")
    assert "ingangsdatum = 2026-02-01" in fout["melding"]


def per_task_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Asiel"
    for row in (["Verdeelbesluit 2026: asielopvang"], ["Gemeente", "Opgave"], ["Assen", 1000], ["Emmen", 500]):
        ws.append(row)
    amv = wb.create_sheet("AMV")
    for row in (["Verdeelbesluit 2026: opvang alleenstaande minderjarigen"], ["Gemeente", "Opgave"], ["Assen", 40],
                ["Emmen", 20]):
        amv.append(row)
    housing = wb.create_sheet("Vergunninghouders")
    for row in (["Gemeente", "Taakstelling"], ["Assen", 70]):
        housing.append(row)
    wb.save(path)


def test_a_workbook_with_one_sheet_per_task_needs_blad_for_the_later_sheets(tmp_path):
    entries = quota("asiel", "2026-01-01", "opgaven/b.xlsx") + quota("amv", "2026-01-01", "opgaven/b.xlsx")
    folder = make(tmp_path, entries, {"opgaven/b.xlsx": per_task_xlsx})
    [fout] = errors(folder)
    assert (fout["code"], fout["bestand"], fout["blad"]) == ("blad_andere_opgave", "opgaven/b.xlsx", "Asiel")
    assert 'blad = "AMV"' in fout["melding"]
    assert points(folder, "amv") == []  # never the asylum sheet's 1000 and 500 as AMV targets
    assert points(folder, "asiel") == [("GM0106", JAN, 1000.0), ("GM0114", JAN, 500.0)]
    entries = (quota("asiel", "2026-01-01", "opgaven/b.xlsx") + quota("amv", "2026-01-01", "opgaven/b.xlsx", 'blad = "AMV"')
               + quota("vergunninghouders", "2026-01-01", "opgaven/b.xlsx", 'blad = "Vergunninghouders"'))
    fixed = make(tmp_path / "b", entries, {"opgaven/b.xlsx": per_task_xlsx})
    assert errors(fixed) == []
    assert points(fixed, "amv") == [("GM0106", JAN, 40.0), ("GM0114", JAN, 20.0)]
    assert points(fixed, "vergunninghouders") == [("GM0106", JAN, 70.0)]


def test_a_bare_groningen_after_one_row_is_a_subtotal_question_when_the_file_writes_bare_subtotals(tmp_path):
    csv = "Gemeente;Opgave\nAssen;10\nEmmen;20\nDrenthe;30\nEemsdelta;5\nGroningen;5\nTotaal;35\n"
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    fout = first(folder)
    assert (fout["code"], fout["rij"], fout["waarde"]) == ("subtotaal_of_gemeente", 6, "Groningen")
    assert points(folder) == [("GM0106", JAN, 10.0), ("GM0114", JAN, 20.0), ("GM1979", JAN, 5.0)]
    # without a bare-name subtotal elsewhere one row above is not enough: Groningen is the municipality
    plain = make(tmp_path / "b", quota("asiel", "2026-01-01", "opgaven/a.csv"),
                 {"opgaven/a.csv": "Gemeente;Opgave\nAssen;10\nEemsdelta;5\nGroningen;5\n"})
    assert errors(plain) == [] and ("GM0014", JAN, 5.0) in points(plain)


def percent_cell_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gemeente", "Opgave"])
    ws.append(["Assen", 0.25])
    ws["B2"].number_format = "0%"
    ws.append(["Emmen", 20])
    wb.save(path)


def test_a_target_cell_formatted_as_a_percentage_is_refused(tmp_path):
    folder = make(tmp_path, quota("asiel", "2026-01-01", "opgaven/p.xlsx"), {"opgaven/p.xlsx": percent_cell_xlsx})
    fout = first(folder)
    assert (fout["code"], fout["rij"], fout["kolom"]) == ("percentage_als_aantal", 2, "Opgave")
    assert points(folder) == [("GM0114", JAN, 20.0)]


def test_the_sheet_per_task_check_reads_a_stream_too(tmp_path):
    from opvangkern.model import AreaLevel
    from opvangkern.reading.quota import read_quota_file
    from opvangkern.sources.adapter import Source

    per_task_xlsx(tmp_path / "b.xlsx")
    stream = io.BytesIO((tmp_path / "b.xlsx").read_bytes())
    table, found = read_quota_file(Source(stream, "b.xlsx"), "amv", JAN, AreaLevel.GEMEENTE)
    assert table.num_rows == 0 and [m.code for m in found] == ["blad_andere_opgave"]
    stream.seek(0)
    table, found = read_quota_file(Source(stream, "b.xlsx", blad="AMV"), "amv", JAN, AreaLevel.GEMEENTE)
    assert found == [] and table.column("aantal").to_pylist() == [40.0, 20.0]
