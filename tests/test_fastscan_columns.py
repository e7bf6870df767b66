"""Issue 16, target 2: the column-wise parts of the reading kit against the code they replace.

Each shortcut has its oracle, kept beside it and compared here:

- the CSV split made in one ``csv.reader`` call (``sheet._csv_rows_at_once``) against the careful split line
  by line (``sheet._csv_grid_careful``): the same rows, row numbers and unreadable lines, on any text;
- the column-wise classification of a regular table (``fastscan._classify_columns``) against the row-by-row
  one (``fastscan._classify_rows``), whenever the first takes the table;
- ``_FastRow`` (cells from columns parsed once) against ``Row`` (each cell parsed when asked), for any
  sequence of ``value`` / ``count`` / ``signed`` / ``peek`` / ``text`` / ``raw`` calls with either ``ernst``:
  the same answers and the same meldingen in the same order;
- whole files read by every adapter with the fast path and with ``fastscan.careful()`` (which also takes the
  builder's row-dict ``result``): count cells with thousands dots, ``1.234,5``, blanks, ``-``, ``n.v.t.``,
  negative and huge numbers, percentages, spaces, beside a percentage column, quoted, with a BOM, ``;`` or ``,``;
- ``sums.too_large_ints`` against ``sums.too_large``.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.model import Severity
from opvangkern.reading import fastscan
from opvangkern.reading.columns import COUNT, SIGNED, Column, Layout
from opvangkern.reading.sheet import DELIMITERS, _csv_grid, _csv_grid_careful, _csv_rows_at_once
from opvangkern.reading.table import Row, SheetTable, _FastRow
from opvangkern.sources.adapter import Source
from opvangkern.sums import MAX_EXACT, too_large, too_large_ints
from opvangkern.testing.fuzz import adapter_settings, csv_bytes
import opvangkern_coa
import opvangkern_kcio
import opvangkern_nidos
import opvangkern_tvs
from opvangkern_coa import CoaAdapter
from opvangkern_kcio import KcioAdapter
from opvangkern_nidos import NidosAdapter
from opvangkern_tvs import TvsAdapter

from .test_fastscan import assert_same, read_both, regular_files

DIVISION = load_division()
COA, KCIO, TVS, NIDOS = CoaAdapter(), KcioAdapter(), TvsAdapter(), NidosAdapter()
PEIL = dt.date(2025, 12, 31)
GEMEENTEN = sorted(DIVISION.gemeenten, key=lambda a: a.code)


# --- the CSV split ----------------------------------------------------------------------------------------

_CSV_ALPHABET = st.sampled_from(list(';,\t|"') + [" ", "\xa0", "\u2007", "\r", "\n", "\r\n", "\x00", "\x1c", "\x0b",
                                                 "a", "B", "1", "2", ".", "-", "%", "é", "Totaal", "Assen"])


def _same_grid(text: str, delimiter: str) -> None:
    fast = _csv_grid(text, "x.csv", delimiter, "utf-8")
    careful = _csv_grid_careful(text, "x.csv", delimiter, "utf-8")
    assert fast == careful  # rows, kind, delimiter, encoding
    assert fast.rows == careful.rows
    assert fast.bad_rows == careful.bad_rows
    assert fast.bad_cells == careful.bad_cells and fast.filled == careful.filled


@adapter_settings()
@given(st.lists(_CSV_ALPHABET, max_size=80).map("".join), st.sampled_from(DELIMITERS))
def test_csv_split_same_as_careful_on_any_text(text, delimiter):
    _same_grid(text, delimiter)


@adapter_settings()
@given(st.lists(st.lists(st.text(st.sampled_from(list('ab1 ;,"\t\xa0.-')), max_size=6), max_size=6), max_size=8),
       st.sampled_from([";", ","]), st.sampled_from(["\r\n", "\n", "\r"]), st.booleans())
def test_csv_split_same_as_careful_on_written_files(rows, delimiter, newline, quote_all):
    text = csv_bytes(rows, delimiter=delimiter, encoding="utf-8", newline=newline, quote_all=quote_all).decode()
    _same_grid(text, delimiter)
    _same_grid(text.rstrip("\r\n"), delimiter)  # the last line without its line break


@pytest.mark.parametrize("text", [
    "", "\n", "a;b\n\nc;d\n", 'a;"b\nc";d\n', 'a;"b;\nc";d\n', 'a;"open\n', 'a;"x"y;b\n', "a;b\x00;c\n",
    " a ; b \r\n\tc\t;\xa0d\xa0\r\n", "a;" * 1200 + "\n", 'x;"' + "y" * 140_000 + '"\n', "a\rb\rc", "a;b\r\n",
])
def test_csv_split_same_as_careful_on_the_hard_cases(text):
    for delimiter in DELIMITERS:
        _same_grid(text, delimiter)


def test_the_other_spaces_are_every_whitespace_but_space_and_line_breaks():
    import sys

    from opvangkern.reading.sheet import _OTHER_SPACES

    every = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    assert set(_OTHER_SPACES) == every - {" ", "\r", "\n"}


@pytest.mark.parametrize("space", [" ", "\t", "\xa0", "\u2007", "\u3000", "\x1f"])
def test_a_cell_with_whitespace_at_an_edge_is_stripped(space):
    for text in (f"a;{space}b\n", f"a;b{space}\n", f'a;"{space}b"\n', f"{space}a;b", f"a;b{space}", f"a;{space}\n"):
        assert _csv_rows_at_once(text, ";") == _csv_grid_careful(text, "x.csv", ";", None).rows
        assert all(c == c.strip() for _, cells in _csv_rows_at_once(text, ";") for c in cells)


def test_csv_split_at_once_takes_regular_files_only():
    assert _csv_rows_at_once('Gemeente;Plekken\r\nAssen;"1.010"\r\n', ";") == ((1, ("Gemeente", "Plekken")),
                                                                               (2, ("Assen", "1.010")))
    assert _csv_rows_at_once('a;"b\nc"\n', ";") is None  # a field over two lines: line by line
    assert _csv_rows_at_once('a;"b\n', ";") is None  # an unbalanced quote
    assert _csv_rows_at_once("a;b\x00\n", ";") is None  # a NUL byte


# --- the classification ---------------------------------------------------------------------------------

def _careful_table(data: bytes, layouts, **kw) -> SheetTable | None:
    with fastscan.careful():
        return SheetTable.read(io.BytesIO(data), "x.csv", layouts, division=DIVISION, **kw)


_LAYOUTS = {"nidos": [opvangkern_nidos.LAYOUT], "kcio": [opvangkern_kcio.LAYOUT], "tvs": [opvangkern_tvs.LAYOUT],
            "coa_lang": [opvangkern_coa.WIDE, opvangkern_coa.LONG], "coa_breed": [opvangkern_coa.WIDE, opvangkern_coa.LONG]}


_ADAPTERS = {"nidos": NIDOS, "kcio": KCIO, "tvs": TVS, "coa_lang": COA, "coa_breed": COA}


@pytest.mark.parametrize("source", sorted(_LAYOUTS))
def test_column_classification_same_as_rows(source):
    from opvangkern.model import AreaLevel

    taken = []

    @adapter_settings()
    @given(regular_files(source))
    def check(drawn):
        data, kw = drawn
        table = _careful_table(data, _LAYOUTS[source], level=AreaLevel.GEMEENTE)
        if table is None:
            return
        by_columns = fastscan._classify_columns(table)
        by_rows = fastscan._classify_rows(table)
        if by_columns is not fastscan._UNUSUAL:
            assert by_columns == by_rows
        taken.append(by_columns is not fastscan._UNUSUAL)
        with fastscan.rows_only():  # the whole file read with the row-by-row classification only
            read_both(_ADAPTERS[source], data, f"{source}.csv", **{k: v for k, v in kw.items() if k != "odd"})

    check()
    assert sum(taken) >= 0.3 * len(taken), f"{sum(taken)} of {len(taken)} tables classified column-wise"


_EDITS = st.lists(st.tuples(st.sampled_from(["same", "drop", "twice", "swap", "header", "totaal", "onbekend"]),
                            st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=4)


def _edited(data: bytes, edit: tuple[str, int, int]) -> bytes:
    """``data`` with one line changed as a next week's file may change it: a line dropped, twice, two lines
    swapped, the header (line 0 onwards) or a totals row or an unknown area put in a line's place."""
    kind, a, b = edit
    lines = data.splitlines(keepends=True)
    if kind == "same" or len(lines) < 2:
        return data
    i, j = a % len(lines), b % len(lines)
    if kind == "drop":
        del lines[i]
    elif kind == "twice":
        lines.insert(i, lines[i])
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "header":
        lines.insert(i, lines[j])
    else:
        lines.insert(i, b"Totaal\r\n" if kind == "totaal" else b"Atlantis;1\r\n")
    return b"".join(lines)


@pytest.mark.parametrize("source", sorted(_LAYOUTS))
def test_a_column_repeated_from_the_last_file_is_classified_as_afresh(source):
    """Issue 16, ninth session: ``_classify_columns`` takes its answer for a column equal to the one it looked up
    last in the same role (a weekly history repeats its area column); a history of files, each next one an
    edit of the one before, is classified exactly as with every column looked up afresh (``no_repeats``), and
    read as the careful scan reads it."""
    from opvangkern.model import AreaLevel

    @adapter_settings()
    @given(regular_files(source), _EDITS)
    def check(drawn, edits):
        data, kw = drawn
        kw = {k: v for k, v in kw.items() if k != "odd"}
        versions = [data]
        for edit in edits:
            versions.append(_edited(versions[-1], edit))
        for version in versions:
            table = _careful_table(version, _LAYOUTS[source], level=AreaLevel.GEMEENTE)
            if table is None:
                continue
            repeated = fastscan._classify_columns(table)  # after the version before it
            with fastscan.no_repeats():
                afresh = fastscan._classify_columns(table)
            assert repeated == afresh
            read_both(_ADAPTERS[source], version, f"{source}.csv", **kw)

    check()


def test_the_last_area_column_is_kept_and_taken_again():
    from opvangkern.model import AreaLevel
    from opvangkern.reading.memo import kept_with

    rows = [["Gemeente", "Plekken"], ["Assen", "3"], ["Emmen", "4"], ["Totaal", "7"]]
    table = _careful_table(csv_bytes(rows), _LAYOUTS["nidos"], level=AreaLevel.GEMEENTE)
    first = fastscan._classify_columns(table)
    role = (("area", AreaLevel.GEMEENTE, 0), (table.layout.name, tuple(table.header.cells)))
    kept = kept_with(DIVISION, "fastscan.last")[role]
    assert kept[0] == ["Assen", "Emmen", "Totaal"]
    assert fastscan._classify_columns(table) == first
    assert kept_with(DIVISION, "fastscan.last")[role][1] is kept[1]  # the kept answer, not looked up again
    with fastscan.no_repeats():
        assert fastscan._classify_columns(table) == first


def test_rows_only_is_restored_after_the_block():
    assert fastscan._COLUMNS[0]
    with pytest.raises(RuntimeError):
        with fastscan.rows_only():
            assert not fastscan._COLUMNS[0]
            raise RuntimeError
    assert fastscan._COLUMNS[0]


# --- the cells: _FastRow against Row ------------------------------------------------------------------------

# (a count text longer than 250 characters sends the file to the careful scan: test_fastscan's odd cells)
COUNT_CELLS = ["0", "12", "1.010", "1.234.567", "1.234,5", "12,0", "1,010", "12.5", "", "-", "--", "n.v.t.", "nvt",
               "-5", "−5", "(5)", "5-", "9" * 16, "9" * 17, "99999999999999999999", "9" * 200 + ",5", "45%", "45 %",
               "12 procent", " 12 ", "1 010", "12a", "abc", "+7", "0,0", "1.0000"]

_LAYOUT = Layout("proef", [
    Column("plekken", ["Plekken"], kind=COUNT),
    Column("saldo", ["Saldo"], kind=SIGNED),
    Column("soort", ["Soort"]),
], require=[("plekken",)])
_KEYS = ["plekken", "saldo", "soort", "gemeente", "onbekend"]
_OPS = st.tuples(st.sampled_from(["value", "count", "signed", "peek", "text", "raw", "has"]), st.sampled_from(_KEYS),
                 st.sampled_from([Severity.FOUT, Severity.WAARSCHUWING]))


def _answer(row: Row, op: str, key: str, ernst: Severity):
    from opvangkern.reading.table import _BAD

    try:
        if op in ("value", "count", "signed"):
            return ("ok", getattr(row, op)(key, ernst))
        found = getattr(row, op)(key)
        return ("ok", "BAD" if found is _BAD else found)
    except Exception as exc:  # noqa: BLE001 - the exception is the answer compared
        return (type(exc).__name__, str(exc))


_ROWS = st.lists(st.tuples(st.sampled_from(GEMEENTEN[:60]), st.sampled_from(COUNT_CELLS), st.sampled_from(COUNT_CELLS),
                           st.sampled_from(["", "-", "azc", " NOL ", "n.v.t."])), min_size=1, max_size=12)


def _read_and_ask(data: bytes, ops, careful: bool):
    meldingen: list = []
    try:
        if careful:
            with fastscan.careful():
                table = SheetTable.read(io.BytesIO(data), "x.csv", _LAYOUT, division=DIVISION, meldingen=meldingen)
        else:
            table = SheetTable.read(io.BytesIO(data), "x.csv", _LAYOUT, division=DIVISION, meldingen=meldingen)
    except Exception as exc:  # noqa: BLE001 - (a 400-digit count under the header row: both raise alike)
        return (type(exc).__name__, str(exc)), None
    assert table is not None and table.rows
    answers = [_answer(table.rows[i % len(table.rows)], op, key, ernst) for i, (op, key, ernst) in ops]
    answers += [_answer(r, "peek", k, Severity.FOUT) for r in table for k in _KEYS]  # after the asks
    table.check_totals()
    return (answers, list(meldingen), sorted(table.used), {k: sorted(v) for k, v in table.bad.items()}), table


def test_fast_rows_answer_as_rows():
    kinds = []

    @adapter_settings()
    @given(_ROWS, st.lists(st.tuples(st.integers(0, 11), _OPS), max_size=40), st.sampled_from([";", ","]), st.booleans())
    def check(rows, ops, delimiter, quote_all):
        data = csv_bytes([["Peildatum: 31-12-2025"], ["Gemeente", "Plekken", "Saldo", "Soort"],
                          *([a.naam, p, s, v] for a, p, s, v in rows)], delimiter=delimiter, quote_all=quote_all)
        fast, table = _read_and_ask(data, ops, careful=False)
        careful, careful_table = _read_and_ask(data, ops, careful=True)
        assert fast == careful
        if careful_table is not None:
            assert all(type(r) is Row for r in careful_table)
            kinds.append(all(type(r) is _FastRow for r in table))

    check()
    assert sum(kinds) >= 0.3 * len(kinds), f"{sum(kinds)} of {len(kinds)} tables read with fast rows"


def _count_files(draw, source: str) -> tuple[bytes, dict]:
    areas = draw(st.lists(st.sampled_from(GEMEENTEN), min_size=1, max_size=15, unique=True))
    cell = lambda: draw(st.sampled_from(COUNT_CELLS))  # noqa: E731
    kw: dict = {}
    if source == "nidos":
        header = ["Gemeente", "Bezetting (%)", "Plekken"]  # a percentage beside the counts: never read
        body = [[a.naam, draw(st.sampled_from(["45%", "0,5", "100"])), cell()] for a in areas]
    elif source == "kcio":
        header = ["Gemeentecode", "Gemeente", "Gerealiseerde plekken", "Bezetting", "% gerealiseerd"]
        body = [[a.code, a.naam, cell(), cell(), "50%"] for a in areas]
        kw["maat"] = draw(st.sampled_from(["capaciteit", "bezetting"]))
    elif source == "tvs":
        header = ["Gemeente", "Taakstelling", "Achterstand", "Gecorrigeerde taakstelling", "Gerealiseerd",
                  "Nog te realiseren"]
        body = [[a.naam, cell(), cell(), cell(), cell(), cell()] for a in areas]
        kw["peildatum"] = PEIL
    elif source == "coa_breed":
        header = ["Gemeente", "Regulier", "NO", "TGO", "AMV", "Totaal"]
        body = [[a.naam, cell(), cell(), cell(), cell(), cell()] for a in areas]
    else:  # coa_lang
        header = ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"]
        body = [[a.naam, draw(st.sampled_from(["A", "B", ""])), draw(st.sampled_from(["azc", "NOL", "kwv", "TGO"])),
                 cell(), cell()] for a in draw(st.lists(st.sampled_from(areas), min_size=1, max_size=20))]
        kw["maat"] = draw(st.sampled_from(["capaciteit", "bezetting"]))
    if draw(st.booleans()):
        body.append(["Totaal", *[draw(st.sampled_from(COUNT_CELLS)) for _ in header[1:]]])
    rows = [[draw(st.sampled_from(["Stand per 31 december 2025", "Overzicht"]))], [], header, *body]
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]))
    if encoding == "cp1252":  # cp1252 has no minus sign (U+2212)
        rows = [[c.replace("\u2212", "-") for c in row] for row in rows]
    data = csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","])), encoding=encoding,
                     quote_all=draw(st.booleans()))
    return data, kw


@pytest.mark.parametrize("source", ["nidos", "kcio", "tvs", "coa_breed", "coa_lang"])
def test_count_cells_same_as_careful(source):
    """Whole files whose count cells hold every Dutch number habit and every kind of bad value: the same
    result (table, meldingen, peildatum, ``FileStats``) with the fast path as with the careful scan and the
    builder's row dicts; and the fast path reads them (the bad cells are the cells' meldingen, not the scan's)."""
    adapter = {"nidos": NIDOS, "kcio": KCIO, "tvs": TVS, "coa_breed": COA, "coa_lang": COA}[source]
    taken = []

    @adapter_settings()
    @given(st.data())
    def check(data):
        raw, kw = _count_files(data.draw, source)
        taken.append(read_both(adapter, raw, f"{source}.csv", **kw))

    check()
    assert sum(taken) >= 0.3 * len(taken), f"{sum(taken)} of {len(taken)} files read fast"


def test_a_parser_that_raises_is_raised_when_the_cell_is_asked(monkeypatch):
    """A parser that raises something other than ``ValueProblem`` (none does today) raises at the cell the
    adapter asks for, as ``Row`` does, so that the ``guard`` makes the same ``fout`` after the same rows."""
    from opvangkern.reading import table as table_module

    real = table_module._PARSERS[COUNT]

    def strange(value):
        if value == "13":
            raise OverflowError("te groot")
        return real(value)

    monkeypatch.setitem(table_module._PARSERS, COUNT, strange)
    monkeypatch.setitem(table_module._PARSED, strange, {})
    data = csv_bytes([["Gemeente", "Plekken"], ["Assen", "12"], ["Emmen", "13"], ["Aa en Hunze", "14"]])
    before = fastscan.STATS["snel"]
    fast = NIDOS.read(Source(io.BytesIO(data), "nidos.csv", division=DIVISION))
    assert fastscan.STATS["snel"] == before + 1
    with fastscan.careful():
        careful = NIDOS.read(Source(io.BytesIO(data), "nidos.csv", division=DIVISION))
    assert_same(fast, careful)
    assert [m.code for m in fast.meldingen] == ["bestand_onleesbaar"]
    assert fast.realisaties.column("aantal").to_pylist() == [12]


# --- the builder's sum check ----------------------------------------------------------------------------------

@given(st.lists(st.one_of(st.integers(-10, 10**6), st.integers(-(2**63), 2**63), st.just(2**52), st.just(MAX_EXACT)),
                max_size=30))
def test_too_large_ints_is_too_large(values):
    assert too_large_ints(values) == too_large(values)


def test_too_large_ints_names_the_same_running_sum():
    values = [2**52, 2**52, 1, 5, 2**60]
    assert too_large_ints(values) == too_large(values) == 2**53 + 1
    assert too_large_ints([]) is None and too_large_ints([MAX_EXACT]) is None
