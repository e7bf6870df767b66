"""Issue 16, fifteenth session (perf15a): the per-file checks' shortcuts give the answers of what they stand in for.

The cells known to say nothing kept in a set (``kit._any_closes``, ``SheetTable._decimal_points``' points,
``fastscan._filter_head_in``) answer as the cell-by-cell question, whatever the set already holds; TVS's
``_Checks.quiet`` column-wise answers as its row loop; and a file read with the sets filled gives the same
meldingen as with the sets empty.
"""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st

import opvangkern_tvs
from opvangkern.areas import load_division
from opvangkern.reading import fastscan
from opvangkern.reading import table as table_module
from opvangkern.reading.table import is_filter_head
from opvangkern.reading.values import cell_text
from opvangkern.sources import kit
from opvangkern.sources.adapter import Source

DIVISION = load_division()

LOCATION_CELLS = st.sampled_from([
    "AZC Assen", " AZC Assen ", "NOL Emmen (gesloten per 1-12-2025)", "Totaal", "Subtotaal azc", "Totaalcentrum",
    "KWE Zwolle sluit per 1-3-2026", "Alle locaties", "", None, "Opvang Dicht bij huis", "AZC  Ter Apel", "12",
])


@given(st.lists(st.lists(LOCATION_CELLS, max_size=12), min_size=1, max_size=4))
def test_any_closes_answers_as_every_cell_asked(columns):
    # the columns asked one after another, so that later ones meet a set filled by earlier ones
    for column in columns:
        expected = any(kit._CLOSES[cell_text(c)] for c in column)
        assert kit._any_closes(column) == expected
    assert kit._any_closes([]) is False
    assert kit._any_closes([["not a key"], "AZC Assen"]) is False  # a cell that is no key: asked cell by cell
    assert kit._any_closes([["not a key"], "Totaal"]) is True


FIRST_CELLS = st.sampled_from(["Assen", "Toegepaste filters:", "Applied filters", "Filter", "filteren", "", None,
                               "Totaal", "Actieve filters"])


@given(st.lists(st.lists(FIRST_CELLS, max_size=10), min_size=1, max_size=4))
def test_filter_head_in_answers_as_every_cell_asked(columns):
    for column in columns:
        expected = any(is_filter_head(f) for f in column if type(f) is str)
        assert fastscan._filter_head_in(column) == expected


NUMBER = st.one_of(st.none(), st.integers(-5, 400), st.floats(-5, 400, allow_nan=False).map(lambda x: round(x, 2)))


def _loop(counts, taak, achter, gecorr, nog):
    """``_Checks.quiet``'s row loop, as it reads (the plain arithmetic, per row)."""
    for g, t, a, c, n in zip(counts, taak, achter, gecorr, nog):
        if opvangkern_tvs._SLOW in (t, a, c, n):
            return False
        if t is not None:
            if t < 0:
                return False
            if a is not None and c is not None and abs(t + a - c) > 1e-6:
                return False
        if c is not None and g is not None and n is not None and abs(c - g - n) > 1e-6:
            return False
    return True


@st.composite
def line_rows(draw):
    n = draw(st.integers(0, 12))
    rows = []
    for _ in range(n):
        taak = draw(st.integers(0, 300))
        achter = draw(st.integers(-20, 100)) if draw(st.booleans()) else draw(NUMBER)
        gecorr = taak + achter if achter is not None and draw(st.integers(0, 5)) else draw(NUMBER)
        g = draw(st.one_of(st.integers(0, 300), st.none()) if draw(st.integers(0, 8)) == 0 else st.integers(0, 300))
        nog = (gecorr - g if gecorr is not None and g is not None and draw(st.integers(0, 5)) else draw(NUMBER))
        if draw(st.integers(0, 20)) == 0:
            taak = opvangkern_tvs._SLOW
        if draw(st.integers(0, 20)) == 0:
            taak = -1
        rows.append((g, taak, achter, gecorr, nog))
    return rows


@settings(max_examples=300)
@given(line_rows())
def test_tvs_quiet_answers_as_its_row_loop(rows):
    counts = [r[0] for r in rows]
    columns = [list(c) for c in zip(*[r[1:] for r in rows])] if rows else [[], [], [], []]
    checks = object.__new__(opvangkern_tvs._Checks)
    checks.figures = list(zip(*columns))
    checks.checked_columns = tuple(columns)
    assert checks.quiet(counts) == _loop(counts, *columns)


def _read_coa(text: str):
    import opvangkern_coa

    source = Source(io.BytesIO(text.encode("utf-8")), "coa.csv", peildatum=dt.date(2025, 12, 31), division=DIVISION)
    return opvangkern_coa.CoaAdapter().read(source)


POINTS = ("Gemeente;Gemeentecode;Locatie;Opvangvorm;Capaciteit;Bezetting\n"
          "Assen;0106;AZC Assen;regulier;1010.000;12\n"
          "Emmen;0114;AZC Emmen;regulier;12.000;11\n"
          "Zwolle;0193;AZC Zwolle;regulier;40;30\n")


def _said(result):
    return [(m.code, m.melding, m.rij, m.kolom, m.waarde) for m in result.meldingen]


def _codes(result):
    return [m.code for m in result.meldingen]


def test_decimal_points_with_the_set_filled_give_the_same_meldingen():
    table_module._POINTLESS.clear()
    first = _said(_read_coa(POINTS))
    assert "decimaalpunt_dubbelzinnig" in [code for code, *_ in first]
    # every cell of the file that holds no point put in the set first, then the file again: the same meldingen
    table_module._POINTLESS.update(c for line in POINTS.splitlines() for c in line.split(";") if "." not in c)
    assert _said(_read_coa(POINTS)) == first
    plain = POINTS.replace("1010.000", "1010").replace("12.000", "12000")
    result = _read_coa(plain)
    assert "decimaalpunt_dubbelzinnig" not in _codes(result)
    assert _said(_read_coa(plain)) == _said(result)  # its cells now in the set: asked with one set operation
    assert sum(result.realisaties.column("aantal").to_pylist()) == 1010 + 12000 + 40
    assert _said(_read_coa(POINTS)) == first


def test_a_closed_location_is_refused_after_its_open_namesakes_filled_the_set():
    kit._QUIET_CELLS.clear()
    open_list = POINTS.replace("1010.000", "1010").replace("12.000", "12")
    result = _read_coa(open_list)
    assert "locatie_gesloten" not in _codes(result)
    assert sum(result.realisaties.column("aantal").to_pylist()) == 1010 + 12 + 40
    assert {"AZC Assen", "AZC Emmen", "AZC Zwolle"} <= kit._QUIET_CELLS
    closed = _read_coa(open_list.replace("AZC Emmen;", "AZC Emmen (gesloten per 1-12-2025);"))
    refused = [m for m in closed.meldingen if m.code == "locatie_gesloten"]
    assert [(m.rij, m.kolom) for m in refused] == [(3, "Locatie")]
    assert sum(closed.realisaties.column("aantal").to_pylist()) == 1010 + 40  # Emmen's 12 places do not count
    totaal = _read_coa(open_list + "Zwolle;0193;Totaal;regulier;40;30\n")
    assert "locatie_is_totaal" in _codes(totaal)
