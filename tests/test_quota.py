"""Reading quota files (verdeelbesluiten)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from opvangkern.areas import load_division
from opvangkern.model import AreaLevel, Severity
from opvangkern.reading.quota import read_quota_file
from opvangkern.sources.adapter import Source
from opvangkern.testing.fuzz import csv_bytes, xlsx_bytes
from opvangkern.tables import OPGAVEN

DAY = dt.date(2026, 1, 1)


def read(data: bytes, opgave: str = "asiel", level=AreaLevel.GEMEENTE, totaal=None, name="opgave.csv"):
    return read_quota_file(Source(io.BytesIO(data), name), opgave, DAY, level, totaal)


def points(table):
    return [(r["gebied_code"], r["aantal"], r["rij"]) for r in table.to_pylist()]


def test_municipality_file_with_habits():
    data = csv_bytes([["Verdeelbesluit asiel per 1 januari 2026"], [],
                      ["Gemeentecode", "Gemeente", "Opgave"],
                      ["GM0106", "Assen", "1.010"], ["0114", "Emmen", "12,5"], ["109", "", "n.v.t."],
                      ["", "Aa en Hunze", "87"], ["Totaal", "", "1.109,5"]], encoding="cp1252")
    table, meldingen = read(data)
    assert table.schema == OPGAVEN
    assert points(table) == [("GM0106", 1010.0, 4), ("GM0114", 12.5, 5), ("GM1680", 87.0, 7)]
    assert not meldingen
    row = table.to_pylist()[0]
    assert (row["opgave"], row["gebied_niveau"], row["ingangsdatum"], row["bestand"]) == \
        ("asiel", "gemeente", DAY, "opgave.csv")


def test_aliases():
    for header in ("Opgave", "Aantal", "Taakstelling", "Plekken", "TAAKSTELLING"):
        table, meldingen = read(csv_bytes([["Gemeente", header], ["Assen", "48"]]))
        assert points(table) == [("GM0106", 48.0, 2)] and not meldingen


def test_region_level_for_oekraine():
    data = csv_bytes([["Veiligheidsregiocode", "Veiligheidsregio", "Opgave"], ["VR01", "Groningen", "3.147"],
                      ["VR03", "Drenthe", "5138"], ["", "Veiligheidsregio Fryslân", "5665"]], delimiter=",")
    table, meldingen = read(data, "oekraine", AreaLevel.VEILIGHEIDSREGIO)
    assert points(table) == [("VR01", 3147.0, 2), ("VR03", 5138.0, 3), ("VR02", 5665.0, 4)]
    assert set(table.column("gebied_niveau").to_pylist()) == {"veiligheidsregio"}
    assert not meldingen


def test_region_file_read_as_municipality_file_names_missing_column():
    data = csv_bytes([["Veiligheidsregio", "Opgave"], ["Drenthe", "5138"]])
    table, [m] = read(data)
    assert table.num_rows == 0 and m.ernst is Severity.FOUT and "Gemeente" in m.melding and "Veiligheidsregio" in m.melding


def test_bad_amounts_unknown_area_and_duplicates():
    data = csv_bytes([["Gemeente", "Opgave"], ["Assen", "-5"], ["Emmen", "veel"], ["Asen", "3"],
                      ["Coevorden", "450"], ["coevorden", "451"]])
    table, meldingen = read(data)
    assert points(table) == [("GM0109", 450.0, 5)]
    assert {(m.ernst, m.rij) for m in meldingen} == {(Severity.FOUT, 2), (Severity.FOUT, 3), (Severity.FOUT, 4),
                                                     (Severity.FOUT, 6)}
    duplicate = next(m for m in meldingen if m.rij == 6)
    assert "rij 5" in duplicate.melding
    unknown = next(m for m in meldingen if m.rij == 4)
    assert "Assen" in unknown.melding


def test_ambiguous_comma_is_read_dutch_with_a_warning_where_the_column_writes_decimal_commas():
    table, [m] = read(csv_bytes([["Gemeente", "Opgave"], ["Assen", "1,010"], ["Emmen", "12,5"]]))
    assert points(table) == [("GM0106", 1.01, 2), ("GM0114", 12.5, 3)]
    assert (m.ernst, m.code, m.rij) == (Severity.WAARSCHUWING, "decimale_komma", 2)


@pytest.mark.parametrize("dutch", ["0,250", "1.234,5", "1234,5", "7,25", "3,1416"])
def test_every_form_that_can_only_be_a_decimal_comma_tells_the_column(dutch):
    table, [m] = read(csv_bytes([["Gemeente", "Opgave"], ["Assen", "4,000"], ["Emmen", dutch]]))
    assert points(table)[0] == ("GM0106", 4.0, 2) and m.code == "decimale_komma"


def test_ambiguous_comma_in_a_column_of_whole_targets_is_refused():
    """``4,000`` beside whole targets: 4 with a Dutch decimal comma, or 4000 from an export with English settings.
    Read as 4 with a warning, a target a thousand times too small passed with exit 0 (eleventh session)."""
    table, [m] = read(csv_bytes([["Gemeente", "Opgave"], ["Assen", "4,000"], ["Emmen", "200"], ["Tynaarlo", "1.500"]]))
    assert points(table) == [("GM0114", 200.0, 3), ("GM1730", 1500.0, 4)]
    assert (m.ernst, m.code, m.rij, m.kolom, m.waarde) == (Severity.FOUT, "komma_dubbelzinnig", 2, "Opgave", "4,000")
    assert "4000" in m.melding and "4.000" in m.melding


def test_missing_area_has_no_row():
    table, meldingen = read(csv_bytes([["Gemeente", "Opgave"], ["Assen", ""], ["Emmen", "0"]]))
    assert points(table) == [("GM0114", 0.0, 3)] and not meldingen


def test_totals_row_checked():
    table, [m] = read(csv_bytes([["Gemeente", "Opgave"], ["Assen", "10"], ["Emmen", "5,5"], ["Totaal", "17"]]))
    assert m.ernst is Severity.WAARSCHUWING and m.rij == 4
    assert len(points(table)) == 2


def test_national_total_checked_when_the_file_is_national():
    division = load_division()
    rows = [["Gemeentecode", "Opgave"]] + [[a.code, "10"] for a in division.gemeenten]
    national = 10 * len(division.gemeenten)
    table, meldingen = read(csv_bytes(rows), totaal=national)
    assert table.num_rows == len(division.gemeenten) and not meldingen
    table, [m] = read(csv_bytes(rows), totaal=national + 1)
    assert m.ernst is Severity.WAARSCHUWING and "3.421" in m.melding
    # a regional file: the national total cannot be checked
    table, meldingen = read(csv_bytes(rows[:13]), totaal=national + 1)
    assert not meldingen


def test_national_region_total():
    division = load_division()
    rows = [["Veiligheidsregio", "Opgave"]] + [[a.naam, "4360"] for a in division.veiligheidsregios]
    _, meldingen = read(csv_bytes(rows), "oekraine", AreaLevel.VEILIGHEIDSREGIO, totaal=109000)
    assert not meldingen
    _, [m] = read(csv_bytes(rows), "oekraine", AreaLevel.VEILIGHEIDSREGIO, totaal=109001)
    assert m.ernst is Severity.WAARSCHUWING


def test_xlsx_with_title_and_codes_as_numbers():
    data = xlsx_bytes([["Verdeelbesluit"], ["Gemeentecode", "Opgave"], [106, 1000], [114.0, 725.5]])
    table, meldingen = read(data, name="opgave.xlsx")
    assert points(table) == [("GM0106", 1000.0, 3), ("GM0114", 725.5, 4)] and not meldingen


def test_unreadable_file_is_a_melding():
    table, [m] = read(b"PK\x03\x04 broken", name="opgave.xlsx")
    assert table.num_rows == 0 and m.ernst is Severity.FOUT and m.bestand == "opgave.xlsx"


def test_title_dates_are_not_a_peildatum_problem():
    data = csv_bytes([["Peildatum: 1-1-2026"], ["Stand per 2-2-2026"], ["Gemeente", "Opgave"], ["Assen", "1"]])
    table, meldingen = read(data)
    assert points(table) == [("GM0106", 1.0, 4)] and not meldingen
