"""Issue 16, target 2: the CSV shortcuts of ``reading/sheet.py`` against the code they stand in for.

- ``sheet._csv_rows_split`` (every line split with ``str.split``, only the lines with a quote through
  ``csv.reader``) against the careful split line by line (``sheet._csv_grid_careful``) and against
  ``sheet._csv_rows_at_once``: whenever it gives rows, they are the careful grid's rows, and the careful grid
  has no unreadable line;
- ``sheet.sniff_delimiters`` with its shortcuts (a separator the sample does not hold scores nothing; without
  a quote in the sample the fields are counted with ``str.count``) against the same function under
  ``fastscan.careful()`` (every line parsed by ``csv.reader`` for every separator);
- ``sheet._csv_grid`` with and without ``fastscan.careful()``, and ``read_grids`` on whole files in four
  encodings (BOMs, ``\\r\\n``, ``\\r``, ragged rows, title rows, notes under the table, thousands separators,
  percentages beside counts, quoted cells holding the separator);
- ``fastscan._total_areas`` (a totals row's area kept with the division) against ``SheetTable._total_area``.

The whole files read by every adapter with and without ``fastscan.careful()`` are in ``test_fastscan.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.reading import fastscan
from opvangkern.reading.sheet import (DELIMITERS, _csv_grid, _csv_grid_careful, _csv_rows_at_once, _csv_rows_split,
                                      read_grids, sniff_delimiters)
from opvangkern.testing.fuzz import adapter_settings, csv_bytes

# every character the CSV parser, ``str.splitlines`` or ``str.strip`` treats apart, and some plain text
_ALPHABET = st.sampled_from(list(';,\t|"') + [" ", "  ", "\xa0", "\u2007", "\u3000", "\r", "\n", "\r\n", "\x00",
                                              "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\ufeff", "a", "B", "1", "2",
                                              ".", "-", "%", "é", "ë", "Totaal", "Assen", '""', '";', ';"'])


def _careful_rows(text: str, delimiter: str):
    grid = _csv_grid_careful(text, "x.csv", delimiter, "utf-8")
    return grid.rows, grid.bad_rows


def _same_split(text: str, delimiter: str) -> bool:
    """``_csv_rows_split`` gives the careful grid's rows or steps back; whether it took the text."""
    split = _csv_rows_split(text, delimiter)
    if split is None:
        return False
    split, longest = split
    rows, bad = _careful_rows(text, delimiter)
    assert not bad  # it never takes a text with an unreadable line
    assert split == rows
    assert all(len(c) <= longest for _, cells in rows for c in cells)  # no cell longer than the longest line
    at_once = _csv_rows_at_once(text, delimiter)
    assert at_once is None or at_once == split
    return True


def _same_sniff(text: str) -> None:
    fast = sniff_delimiters(text)
    with fastscan.careful():
        careful = sniff_delimiters(text)
    assert fast == careful


def _same_grid(text: str, delimiter: str) -> None:
    fast = _csv_grid(text, "x.csv", delimiter, "utf-8")
    with fastscan.careful():
        careful = _csv_grid(text, "x.csv", delimiter, "utf-8")
    assert fast == careful and fast.rows == careful.rows and fast.bad_rows == careful.bad_rows


@adapter_settings()
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(DELIMITERS))
def test_split_same_as_careful_on_any_text(text, delimiter):
    _same_split(text, delimiter)
    _same_grid(text, delimiter)
    _same_sniff(text)


_CELL = st.one_of(
    st.text(st.sampled_from(list('ab1 ;,"\t\xa0.-%é')), max_size=6),
    st.sampled_from(["1.234", "1.234,5", "12,5%", "-", "n.v.t.", " 7 ", "Totaal Drenthe", "Bron: COA", "Assen",
                     "Nuenen, Gerwen en Nederwetten", "'s-Hertogenbosch", "Súdwest-Fryslân", "", None]),
)


@adapter_settings()
@given(st.lists(st.lists(_CELL, max_size=7), max_size=12), st.sampled_from([";", ",", "\t", "|"]),
       st.sampled_from(["\r\n", "\n", "\r"]), st.booleans(), st.sampled_from(["utf-8-sig", "utf-8", "cp1252", "utf-16"]))
def test_split_same_as_careful_on_written_files(rows, delimiter, newline, quote_all, encoding):
    """Files as a spreadsheet writes them (ragged rows, title rows, notes, quoted cells with the separator),
    in several encodings: the same grids with and without the shortcuts, from the bytes on."""
    try:
        data = csv_bytes(rows, delimiter=delimiter, encoding=encoding, newline=newline, quote_all=quote_all)
    except UnicodeEncodeError:
        return  # a character cp1252 cannot hold
    text = data.decode("utf-16" if encoding == "utf-16" else "utf-8-sig" if encoding.startswith("utf-8") else encoding)
    for t in (text, text.rstrip("\r\n")):  # also the last line without its line break
        _same_split(t, delimiter)
        _same_grid(t, delimiter)
        _same_sniff(t)
    fast = read_grids(data, "x.csv")
    with fastscan.careful():
        careful = read_grids(data, "x.csv")
    assert fast[1] == careful[1]
    assert [(g.rows, g.delimiter, g.encoding, g.bad_rows) for g in fast[0]] == \
           [(g.rows, g.delimiter, g.encoding, g.bad_rows) for g in careful[0]]


_TABLE = [["COA - Capaciteit en bezetting per opvanglocatie", "", "", ""], ["Peildatum: 13-01-2021", "", "", ""],
          ["", "", "", ""], ["Gemeente", "Gemeentecode", "Capaciteit", "Bezetting %"],
          ["Aa en Hunze", "1680", "1.026", "81%"], ["Nuenen, Gerwen en Nederwetten", "0820", "52", "90%"],
          ["Totaal", "", "1.078", ""], [], ["Bron: COA, bewerking", "", "", ""]]


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_split_takes_regular_files(delimiter, newline):
    """The shortcut is used (not dead code): a file without quotes, and one with a few quoted cells."""
    text = csv_bytes(_TABLE, delimiter=delimiter, newline=newline, encoding="utf-8").decode()
    assert _same_split(text, delimiter)
    assert _same_split(text.replace('"', ""), delimiter) or delimiter == ","  # "Nuenen, …" unquoted splits apart
    _same_sniff(text)
    assert sniff_delimiters(text)[0] == delimiter


def test_split_steps_back_where_it_must():
    assert _csv_rows_split('a;"b\nc";d\n', ";") is None  # a quoted field over two lines
    assert _csv_rows_split('a;"open\n', ";") is None  # an unbalanced quote
    assert _csv_rows_split('a;"x"y;b\n', ";") is None  # a character after a closing quote
    assert _csv_rows_split("a;b\x00\n", ";") is None  # a NUL byte
    assert _csv_rows_split("a;" * 1200 + "\n", ";") is None  # wider than a sheet may be
    assert _csv_rows_split("x;" + "y" * 140_000 + "\n", ";") is None  # a line as long as the field limit
    assert _csv_rows_split('"1";"2"\n"3";"4"\n', ";") is None  # a quote per cell: csv.reader over the text
    assert _csv_rows_split("", ";") == ((), 0)
    assert _csv_rows_split("a;b\n\n\x0cc;d\u2028e", ";") == (((1, ("a", "b")), (2, ()), (3, ("c", "d\u2028e"))), 6)


@pytest.mark.parametrize("text", [
    "", "\n", "a;b\n\nc;d\n", 'a;"b\nc";d\n', 'a;"b;\nc";d\n', 'a;"open\n', 'a;"x"y;b\n', "a;b\x00;c\n",
    " a ; b \r\n\tc\t;\xa0d\xa0\r\n", "a;" * 1200 + "\n", 'x;"' + "y" * 140_000 + '"\n', "a\rb\rc", "a;b\r\n",
    'a; "b"\n', 'a;"b" \n', '"a";" b"\n', "a;b \n", " a;b", "a;b ", "a\r\n b", "a ;b", '"";a\n""\n', "\u2029a;b\x1e",
])
def test_the_hard_cases(text):
    for delimiter in DELIMITERS:
        _same_split(text, delimiter)
        _same_grid(text, delimiter)
    _same_sniff(text)


def test_sniff_on_a_long_line_and_a_nul_steps_back():
    for text in ("a;b\n" + "c," * 70_000 + "\n", "a;b\x00\nc;d\n", 'a,"b;c"\nd;e\n', "x|y\n" * 70):
        _same_sniff(text)


# --- the totals rows' areas kept with the division (fastscan._total_areas) --------------------------------

_LABELS = st.sampled_from(["Totaal Drenthe", "Totaal", "Subtotaal", "Totaal Brabant-Noord", "Totaal Fryslân",
                           "Eindtotaal", "Totaal generaal", "Totaal 2025", "Totaal Assen", "Totaal Onbekend",
                           "Subtotaal VR03", "Totaal Groningen", "Nederland", "Totaal (alle regio's)"])
_TOTAL_CELLS = st.sampled_from(["", "12", "1.234", "Drenthe", "Groningen", "Gemeente", "Utrecht", "VR03", "x²",
                                "Veiligheidsregio", "Noord- en Oost-Gelderland", "3 regio's", "-"])


@adapter_settings()
@given(st.lists(st.tuples(_LABELS, st.lists(_TOTAL_CELLS, max_size=4)), max_size=6))
def test_total_areas_kept_with_the_division_same_as_total_area(rows):
    from opvangkern.areas import load_division
    from opvangkern.reading.fastscan import _total_areas
    from opvangkern.reading.table import SheetTable

    division = load_division()
    table = object.__new__(SheetTable)  # ``_total_area`` reads only the division
    table.division = division
    totals = [(i + 1, (label, *cells), label) for i, (label, cells) in enumerate(rows)]
    expected = [table._total_area(label, cells) for _, cells, label in totals]
    assert _total_areas(table, totals) == expected
    assert _total_areas(table, totals) == expected  # from the memo
