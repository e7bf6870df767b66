"""Hardening (fourteenth session, ``hard14e``): KCIO and COA files as they are really published, probed first:
a municipality's subtotal in a column the reader does not read, and a location that is marked closed.

Each file is written as KCIO, COA or an analyst's Excel writes it (title rows, notes under the table, CSV with
``;`` and XLSX through openpyxl), read through ``read`` of ``tests/test_probes.py`` (the adapter with its fast
paths, inside ``fastscan.careful()`` and through the plugin's reference adapter: the same result each way); the
figure per municipality is plain arithmetic here, or the melding (code, file, sheet, row, column, value).

Wrong before this session (a wrong figure with exit 0):
- KCIO: ``Gemeente | Opmerking | Capaciteit`` with ``Assen | totaal | 20`` under Assen's rows 12 and 8 counted
  Assen 40 with the warning ``dubbele_gemeente`` only; so did ``Totaal`` in COA's overview beside the categories
  (``Toelichting``) and beside a location row of a type (``Opmerking``). Now such a row is a subtotal: never
  counted, checked against the rows above it (``subtotaal_naast_gemeente`` when it is not their sum);
- KCIO: a location marked closed (``Status`` ``gesloten``, ``Opmerking`` ``gesloten per 1-12-2025``) counted its
  places. Now ``locatie_gesloten`` / ``locatie_status_onbekend``, as COA's.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from opvangkern.testing import load_module
from opvangkern.testing.fuzz import csv_bytes

_HERE = Path(__file__).parent
_PROBES = load_module(_HERE / "test_probes.py", "_probes_for_hard14e")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO = _PROBES.KCIO
errors, figures, read, where = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where


def book(rows: list[list], sheet: str = "Blad1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def data(rows: list[list], fmt: str) -> bytes:
    return csv_bytes([["" if c is None else str(c) for c in row] for row in rows]) if fmt == "csv" else book(rows)


def codes(result) -> list[tuple]:
    return [(m.code, m.rij, m.kolom, m.waarde) for m in errors(result)]


def blad(fmt: str) -> str | None:
    return "Blad1" if fmt == "xlsx" else None


KCIO_TITLE = [["Opvang ontheemden uit Oekraïne, veiligheidsregio Drenthe"], ["Stand per 31 december 2025"], []]
NOTES = [[], ["Bron: veiligheidsregio Drenthe"]]
COA_TITLE = [["COA - Capaciteit en bezetting per opvanglocatie"], ["Peildatum: 31-12-2025"], []]


# --- 1. a municipality's subtotal in a column the reader does not read ---------------------------------------

def kcio_rows(total: object = 20, mark: str = "totaal") -> list[list]:
    # rows 4 (header), 5, 6, 7 (the subtotal), 8
    return KCIO_TITLE + [["Gemeente", "Opmerking", "Capaciteit"], ["Assen", None, 12], ["Assen", "hotel", 8],
                         ["Assen", mark, total], ["Emmen", None, 7]] + NOTES


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("mark", ["totaal", "Totaal", "Totaal Assen", "Subtotaal"])
def test_kcio_a_subtotal_in_a_remark_column_is_never_counted(fmt, mark):
    """Was wrong: Assen 12 + 8 + 20 = 40, exit 0 with ``dubbele_gemeente`` only."""
    result = read("kcio", data(kcio_rows(20, mark), fmt))
    assert figures(result) == {(ASSEN, *KCIO): 20, (EMMEN, *KCIO): 7}
    assert not errors(result)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kcio_a_subtotal_that_is_not_the_sum_is_a_fout_and_not_counted(fmt):
    result = read("kcio", data(kcio_rows(21), fmt))
    assert figures(result) == {(ASSEN, *KCIO): 20, (EMMEN, *KCIO): 7}
    [fout] = errors(result)
    assert where(fout) == ("fout", "subtotaal_naast_gemeente", f"kcio.{fmt}", blad(fmt), 7, "Opmerking", "totaal")


@pytest.mark.parametrize("remark", ["totaal 3 locaties", "nieuw per 1-12", "Totaal capaciteit in hotel"])
def test_kcio_a_remark_that_is_no_subtotal_marks_nothing(remark):
    rows = KCIO_TITLE + [["Gemeente", "Opmerking", "Capaciteit"], ["Assen", remark, 20], ["Emmen", None, 7]]
    result = read("kcio", data(rows, "csv"))
    assert not errors(result)
    assert figures(result) == {(ASSEN, *KCIO): 20, (EMMEN, *KCIO): 7}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kcio_a_subtotal_in_a_remark_column_of_a_list_per_reception_type(fmt):
    rows = KCIO_TITLE + [["Gemeente", "Opvangvorm", "Toelichting", "Capaciteit"], ["Assen", "GOO", None, 12],
                         ["Assen", "GOO", None, 8], ["Assen", "GOO", "Totaal", 20], ["Emmen", "GOO", None, 7]]
    result = read("kcio", data(rows, fmt))
    assert not errors(result)
    assert figures(result) == {(ASSEN, *KCIO): 20, (EMMEN, *KCIO): 7}


WIDE_HEADER = ["Gemeente", "Toelichting", "Regulier", "NO", "TGO", "AMV"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_wide_a_subtotal_in_a_remark_column_is_never_counted(fmt):
    """Was wrong: Assen's regular places 100 + 50 + 150 = 300, exit 0."""
    rows = COA_TITLE + [WIDE_HEADER, ["Assen", "azc", 100, 0, 0, 10], ["Assen", "NOL", 50, 20, 0, 0],
                        ["Assen", "Totaal", 150, 20, 0, 10], ["Emmen", None, 300, 0, 40, 5]]
    result = read("coa", data(rows, fmt))
    assert not errors(result)
    found = {k: v for k, v in figures(result).items() if v}
    assert found == {(ASSEN, "asiel", "regulier"): 150, (ASSEN, "asiel", "noodopvang"): 20, (ASSEN, "amv", None): 10,
                     (EMMEN, "asiel", "regulier"): 300, (EMMEN, "asiel", "tgo"): 40, (EMMEN, "amv", None): 5}
    rows[6][5] = 0  # the subtotal's AMV 0: 170, not the rows' 180
    result = read("coa", data(rows, fmt))
    assert figures(result)[ASSEN, "asiel", "regulier"] == 150
    [fout] = errors(result)
    assert where(fout) == ("fout", "subtotaal_naast_gemeente", f"coa.{fmt}", blad(fmt), 7, "Toelichting", "Totaal")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coa_long_a_subtotal_in_a_remark_column_is_never_counted(fmt):
    """Was wrong: a subtotal row of a type (``Assen | | azc | 500 | Totaal``) counted Assen's azc places twice."""
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Opmerking"],
                        ["Assen", "azc Assen", "azc", 400, None], ["Assen", "azc Assen-Noord", "azc", 100, None],
                        ["Assen", None, "azc", 500, "Totaal"], ["Emmen", "azc Emmen", "azc", 300, None]]
    result = read("coa", data(rows, fmt))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 500, (EMMEN, "asiel", "regulier"): 300}
    rows[6][3] = 450
    result = read("coa", data(rows, fmt))
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 500, (EMMEN, "asiel", "regulier"): 300}
    [fout] = errors(result)
    assert where(fout) == ("fout", "subtotaal_naast_gemeente", f"coa.{fmt}", blad(fmt), 7, "Opmerking", "Totaal")


def test_coa_long_a_remark_that_is_no_subtotal_marks_nothing():
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Opmerking"],
                        ["Assen", "azc Assen", "azc", 400, "totaal 3 paviljoens"],
                        ["Emmen", "azc Emmen", "azc", 300, "uitbreiding gepland"]]
    result = read("coa", data(rows, "csv"))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}


# --- 2. KCIO: a location marked closed --------------------------------------------------------------------------

KCIO_OPEN = {(ASSEN, *KCIO): 40, (EMMEN, *KCIO): 30}


def kcio_status_rows(status: str, places: object = 25) -> list[list]:
    # rows 4 (header), 5, 6 (the location asked about), 7
    return KCIO_TITLE + [["Gemeente", "Locatie", "Status", "Capaciteit"],
                         ["Assen", "Hotel De Jonge", "open", 40], ["Assen", "Paviljoen Kloosterveen", status, places],
                         ["Emmen", "Hotel Ten Cate", None, 30]] + NOTES


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("status, code", [
    ("gesloten", "locatie_gesloten"), ("Gesloten per 1-12-2025", "locatie_gesloten"),
    ("per 1-1 gesloten", "locatie_gesloten"),  # which 1 January: open on 31 December or not cannot be told
    ("buiten gebruik", "locatie_gesloten"), ("onder voorbehoud", "locatie_status_onbekend"),
])
def test_kcio_a_location_marked_closed_with_places_is_a_fout(fmt, status, code):
    """Was wrong: the closed pavilion's 25 places counted, Assen 65, exit 0."""
    result = read("kcio", data(kcio_status_rows(status), fmt))
    assert figures(result) == KCIO_OPEN
    [fout] = errors(result)
    assert where(fout) == ("fout", code, f"kcio.{fmt}", blad(fmt), 6, "Status", status)
    assert f'waarden = {{ "{status}" = "open" }}' in fout.melding and "overslaan" in fout.melding


@pytest.mark.parametrize("status", ["open", "In gebruik", "in afbouw", "sluit per 1-3-2026", "gesloten per 1-1-2026"])
def test_kcio_an_open_location_or_one_that_closes_after_the_peildatum_counts(status):
    result = read("kcio", data(kcio_status_rows(status), "csv"))
    assert not errors(result)
    assert figures(result) == {(ASSEN, *KCIO): 65, (EMMEN, *KCIO): 30}


def test_kcio_a_closed_location_without_places_is_silent_and_waarden_decide_a_status():
    for places in (0, None):
        result = read("kcio", data(kcio_status_rows("gesloten", places), "csv"))
        assert not errors(result) and figures(result) == KCIO_OPEN
    rows = kcio_status_rows("per 1-1 gesloten")
    opened = read("kcio", data(rows, "csv"), waarden={"per 1-1 gesloten": "open"})
    assert not errors(opened) and figures(opened) == {(ASSEN, *KCIO): 65, (EMMEN, *KCIO): 30}
    result = read("kcio", data(rows, "csv"), waarden={"per 1-1 gesloten": "overslaan"})
    assert not errors(result) and figures(result) == KCIO_OPEN
    assert result.stats.rijen_overgeslagen == opened.stats.rijen_overgeslagen + 1  # the pavilion's row


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kcio_a_closure_in_a_remark_or_in_the_locations_name_is_a_fout(fmt):
    rows = KCIO_TITLE + [["Gemeente", "Locatie", "Capaciteit", "Opmerking"],
                         ["Assen", "Hotel De Jonge", 40, "uitbreiding gepland"],
                         ["Assen", "Paviljoen Kloosterveen", 25, "Gesloten per 1-12-2025"],
                         ["Emmen", "Hotel Ten Cate (gesloten)", 30, None],
                         ["Tynaarlo", "Hotel Vries (sluit per 1-3-2026)", 12, None]]
    result = read("kcio", data(rows, fmt))
    assert figures(result) == {(ASSEN, *KCIO): 40, (TYNAARLO, *KCIO): 12}
    assert codes(result) == [("locatie_gesloten", 6, "Opmerking", "Gesloten per 1-12-2025"),
                             ("locatie_gesloten", 7, "Locatie", "Hotel Ten Cate (gesloten)")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_kcio_a_closed_location_in_a_list_per_reception_type(fmt):
    rows = KCIO_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Status", "Capaciteit"],
                         ["Assen", "Hotel De Jonge", "GOO", "open", 40],
                         ["Assen", "Paviljoen Kloosterveen", "GOO", "gesloten", 25],
                         ["Emmen", "Hotel Ten Cate", "GOO", None, 30]]
    result = read("kcio", data(rows, fmt))
    assert figures(result) == KCIO_OPEN
    assert codes(result) == [("locatie_gesloten", 6, "Status", "gesloten")]


def test_kcio_a_status_column_of_open_locations_reads_as_before():
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Status", "Capaciteit"],
                         ["Drenthe", "Assen", "Open", 40], ["Drenthe", "Emmen", "in gebruik", 30]]
    result = read("kcio", data(rows, "csv"))
    assert not result.meldingen and figures(result) == KCIO_OPEN


# --- 3. two dated columns, one of them the peildatum's ----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("maat, measure", [("bezetting", "Bezetting"), ("capaciteit", "Capaciteit")])
def test_kcio_last_weeks_column_beside_the_peildatums_reads_the_peildatums(fmt, maat, measure):
    """Was a false refusal (``meerdere_kolommen``); now the peildatum's column with a warning."""
    rows = KCIO_TITLE + [["Gemeente", f"{measure} per 24-12-2025", f"{measure} per 31-12-2025"],
                         ["Assen", 10, 12], ["Emmen", 5, 6]] + NOTES
    result = read("kcio", data(rows, fmt), maat=maat)
    assert not errors(result)
    assert figures(result) == {(ASSEN, *KCIO): 12, (EMMEN, *KCIO): 6}
    [warning] = [m for m in result.meldingen if m.code == "kolom_van_peildatum"]
    assert where(warning) == ("waarschuwing", "kolom_van_peildatum", f"kcio.{fmt}", blad(fmt), 4,
                              f"{measure} per 31-12-2025", f"{measure} per 31-12-2025")
    assert f'kolommen = {{ "{measure} per 24-12-2025" = "{measure}" }}' in warning.melding


@pytest.mark.parametrize("first, second", [
    ("Bezetting per 31-12-2025", "Bezetting per 7-1-2026"),  # a later state beside the peildatum's
    ("Bezetting per 17-12-2025", "Bezetting per 24-12-2025"),  # neither is the peildatum's
    ("Bezetting 2025-II", "Bezetting per 31-12-2025"),  # a period beside a date
])
def test_kcio_two_dated_columns_otherwise_stay_meerdere_kolommen(first, second):
    rows = KCIO_TITLE + [["Gemeente", first, second], ["Assen", 10, 12], ["Emmen", 5, 6]]
    result = read("kcio", data(rows, "csv"), maat="bezetting")
    assert [m.code for m in errors(result)] == ["meerdere_kolommen"]
    assert not [m for m in result.meldingen if m.code == "kolom_van_peildatum"]


def test_coa_long_last_weeks_places_beside_the_peildatums_reads_the_peildatums():
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit 24-12-2025", "Capaciteit 31-12-2025"],
                        ["Assen", "azc Assen", "azc", 380, 400], ["Emmen", "azc Emmen", "azc", 300, 310]]
    result = read("coa", data(rows, "csv"))
    assert not errors(result)
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 310}
    assert [m.code for m in result.meldingen] == ["kolom_van_peildatum"]
