"""The header matching's answers kept per layout (``columns.match_header``, ``table.with_standard_columns``;
issue 16, eighth session): a weekly history's files of one layout repeat their title and header rows, so each
row of texts is matched once per layout and ``kolommen``. The oracle is ``match_header_reference``, the
matching itself: the kept answer equals it for every row, every layout, every ``kolommen``, first time and
again, and a row that holds anything but texts is matched anew."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from opvangkern.model import AreaLevel
from opvangkern.reading import columns
from opvangkern.reading.columns import Column, Layout, match_header, match_header_reference
from opvangkern.reading.sheet import Grid
from opvangkern.reading.table import with_standard_columns

from opvangkern_coa import LONG, WIDE
from opvangkern_kcio import LAYOUT as KCIO
from opvangkern_nidos import LAYOUT as NIDOS
from opvangkern_tvs import LAYOUT as TVS

LAYOUTS = [with_standard_columns(layout, AreaLevel.GEMEENTE) for layout in (LONG, WIDE, KCIO, NIDOS, TVS)]
WORDS = sorted({name for layout in LAYOUTS for col in layout.columns for name in col.names})
HEADER_CELL = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: w + " 2025-II"),  # a period after the name
    st.sampled_from(WORDS).map(lambda w: w + "¹"),  # a footnote mark
    st.sampled_from(WORDS).map(lambda w: w.upper() + " (%)"),  # a ratio
    st.sampled_from(["", " ", "Totaal", "Opmerking", "Bezetting (%)", "Capaciteit 31-12-2025", "NO", "TGO"]),
    st.text(max_size=6),
)
KOLOMMEN = st.one_of(st.just({}), st.dictionaries(st.sampled_from(WORDS + ["Plaatsen", "Regio"]),
                                                  st.sampled_from(WORDS), max_size=2))


def _grid() -> Grid:
    return Grid("x.csv", None, (), "csv", ";", "utf-8", bad_rows={})


def _same(got, want) -> None:
    assert (got.layout, got.rij, got.positions, list(got.positions), got.headers, got.cells, got.problems,
            got.suffixes, got.first_rij, got.satisfied) == \
        (want.layout, want.rij, want.positions, list(want.positions), want.headers, want.cells, want.problems,
         want.suffixes, want.first_rij, want.satisfied)
    assert got.grid is want.grid


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(HEADER_CELL, min_size=1, max_size=8), KOLOMMEN, st.integers(1, 9),
                          st.sampled_from(range(len(LAYOUTS)))), min_size=1, max_size=6))
def test_the_kept_answer_is_the_matchings(calls):
    grid = _grid()
    for cells, kolommen, rij, which in [*calls, *calls, *reversed(calls)]:
        layout = LAYOUTS[which]
        _same(match_header(grid, layout, rij, cells, kolommen), match_header_reference(grid, layout, rij, cells, kolommen))


def test_each_match_has_its_own_dicts():
    grid = _grid()
    layout = LAYOUTS[3]
    cells = ["Gemeente", "Plekken"]
    first = match_header(grid, layout, 3, cells)
    first.positions["plekken"] = 9  # what one file's table does with its match reaches no other's
    first.headers["plekken"] = "x"
    again = match_header(grid, layout, 3, cells)
    _same(again, match_header_reference(grid, layout, 3, cells))


def test_a_row_of_other_values_is_matched_anew():
    """``1``, ``1.0`` and ``True`` are one dict key; a workbook's row is matched every time."""
    grid = _grid()
    seen = len(columns._MATCHED)
    layout = Layout("t", (Column("a", ("1",), kind="count"), Column("gemeente", ("Gemeente",))))
    for cells in (["Gemeente", 1], ["Gemeente", 1.0], ["Gemeente", True], ["Gemeente", "1"],
                  ["Gemeente", dt.date(2026, 1, 1)], ["Gemeente", None]):
        _same(match_header(grid, layout, 1, cells), match_header_reference(grid, layout, 1, cells))
    assert len(columns._MATCHED) <= seen + 1  # only the row of texts was kept


def test_another_layout_of_the_same_name_is_its_own():
    grid = _grid()
    one = Layout("t", (Column("a", ("Aantal",), kind="count"), Column("gemeente", ("Gemeente",))))
    other = Layout("t", (Column("b", ("Aantal",), kind="count"), Column("gemeente", ("Gemeente",))))
    cells = ["Gemeente", "Aantal"]
    assert match_header(grid, one, 1, cells).positions == {"gemeente": 0, "a": 1}
    assert match_header(grid, other, 1, cells).positions == {"gemeente": 0, "b": 1}


def test_the_standard_columns_are_added_once_per_layout():
    for layout in (LONG, WIDE, KCIO, NIDOS, TVS):
        for level in AreaLevel:
            for peildatum in (True, False):
                try:
                    made = with_standard_columns(layout, level, peildatum)
                except KeyError:
                    continue
                assert with_standard_columns(layout, level, peildatum) is made
                from opvangkern.reading.table import _with_standard_columns

                assert made == _with_standard_columns(layout, level, peildatum)
