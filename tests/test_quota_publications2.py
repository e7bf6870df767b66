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


def test_a_former_municipality_beside_its_successor_after_the_merger_is_a_fout(tmp_path):
    folder = make(tmp_path, quota("asiel", "2023-01-01", "opgaven/a.csv"), {"opgaven/a.csv": AMSTERDAM_2023})
    [fout] = errors(folder)
    assert located([fout]) == [("herindeling_dubbel", "fout", "opgaven/a.csv", None, 4, "Gemeente", "Weesp")]
    assert "24 maart 2022" in fout["melding"] and "rij 3" in fout["melding"]
    day = dt.date(2023, 1, 1)
    # Amsterdam's 2.300 then holds Weesp: the Weesp row does not count on top of it
    assert sorted(points(folder)) == sorted([("GM0363", day, 2300.0), ("GM0479", day, 700.0)])
    assert check(folder)[0] == 1


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


def test_a_former_municipality_alone_after_the_merger_is_a_fout_that_shows_the_waarden_line(tmp_path):
    entry = quota("vergunninghouders", "2024-01-01", "opgaven/t.xlsx")
    folder = make(tmp_path, entry, {"opgaven/t.xlsx": former_alone_xlsx})
    [fout] = errors(folder)
    assert located([fout]) == [("voormalige_gemeente_na_herindeling", "fout", "opgaven/t.xlsx", "Taakstelling 2024",
                                5, "Gemeente", "Heerhugowaard")]
    assert 'waarden = { "Heerhugowaard" = "Dijk en Waard" }' in fout["melding"] and "Langedijk" in fout["melding"]
    assert '"GM0398" = "Dijk en Waard"' in fout["melding"]  # the code cell too, as the file writes it
    assert points(folder, "vergunninghouders") == [("GM0361", dt.date(2024, 1, 1), 40.0)]
    # the fix the message shows: the row is Dijk en Waard as a whole
    fixed = make(tmp_path / "b", quota("vergunninghouders", "2024-01-01", "opgaven/t.xlsx",
                                       'waarden = { "Heerhugowaard" = "Dijk en Waard", "0398" = "Dijk en Waard" }'),
                 {"opgaven/t.xlsx": former_alone_xlsx})
    assert errors(fixed) == []
    assert sorted(points(fixed, "vergunninghouders")) == sorted([("GM0361", dt.date(2024, 1, 1), 40.0),
                                                                 ("GM1980", dt.date(2024, 1, 1), 35.0)])


def test_every_municipality_of_a_merger_after_its_date_is_the_old_list_summed(tmp_path):
    csv = "Gemeente;Taakstelling\nHeerhugowaard;35\nLangedijk;20\nAlkmaar;40\n"
    folder = make(tmp_path, quota("vergunninghouders", "2024-01-01", "opgaven/t.csv"), {"opgaven/t.csv": csv})
    assert errors(folder) == []
    day = dt.date(2024, 1, 1)
    assert sorted(points(folder, "vergunninghouders")) == sorted([("GM1980", day, 35.0 + 20.0), ("GM0361", day, 40.0)])
    assert sorted(m["waarde"] for m in meldingen(folder, "voormalige_gemeente")) == ["Heerhugowaard", "Langedijk"]


def test_a_former_code_alone_after_a_merger_into_a_continuing_municipality_is_a_fout(tmp_path):
    csv = "Gemeentecode;Opgave\nGM0457;90\nGM0479;700\n"  # Weesp's code in 2023, without Amsterdam
    folder = make(tmp_path, quota("asiel", "2023-01-01", "opgaven/a.csv"), {"opgaven/a.csv": csv})
    assert [m["code"] for m in errors(folder)] == ["voormalige_gemeente_na_herindeling"]
    assert points(folder) == [("GM0479", dt.date(2023, 1, 1), 700.0)]  # 90 is not Amsterdam's target


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
    """Whatever the date: a decision that names both counts one of them or is a fout; the successor's point is
    never the sum of the two for a date when only one of them existed."""
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
    if which == "both" and listed_former and exists_successor:
        assert found == set() and got == [former + successor]  # the predecessor joins the successor's line
    elif which == "both":
        assert "herindeling_dubbel" in found and len(got) == 1 and got[0] in (former, successor)
    elif which == "former" and not listed_former:
        assert found == {"voormalige_gemeente_na_herindeling"} and got == []
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
