"""Issue 16: the kit's column-wise path (``SheetTable.counts``/``texts``/``area_codes``,
``RealisatieBuilder.add_column``/``add_counts``/``add_columns``) against the row loop it stands for, its oracle.

Every test reads one file twice, each time into a fresh builder: once the row loop
``for row in table: b.add(row, opgave, row.count(key), categorie)`` and once the column call, and asserts
the same result: the values ``counts`` gives against ``row.count``, the table's state after it (``used``,
``bad``), and the builder's ``AdapterResult`` (the ``realisaties`` table with its metadata, the meldingen with
every field in order, the peildatum, the reconciliation counts). The files are drawn by hypothesis: CSV
(the fast scan) and XLSX (the careful scan), title rows, good, empty, bad (``12x``, ``-4``, ``2,5``, ``50%``,
beyond 2^53) and error cells, repeated municipalities, totals rows (right and wrong), notes under the table,
several count columns read one after another and mixed with rows added one by one; also with
``fastscan.careful()`` and with a parser that raises (the loop stops at that row: so does the column call).
``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples per test.
"""

from __future__ import annotations

import copy
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.reading import fastscan
from opvangkern.reading import table as table_module
from opvangkern.sources import kit
from opvangkern.testing import assert_same_result
from opvangkern.testing.fuzz import adapter_settings, csv_bytes, xlsx_bytes

DIVISION = load_division()
LAYOUT = kit.Layout("proef", [
    kit.Column("aantal", ["Aantal", "Plekken"], kind=kit.COUNT),
    kit.Column("extra", ["Extra"], kind=kit.COUNT),
    kit.Column("bedrag", ["Bedrag"], kind=kit.AMOUNT),
    kit.Column("regio", ["Regio"], kind=kit.TEXT),
], require=[("aantal",)])

_MUNICIPALITIES = ["Assen", "Emmen", "GM0106", "Tynaarlo", "Groningen", "Weesp", "Atlantis", "0114", "Utrecht", ""]
_COUNTS = ["1", "20", "1.010", "0", "", "-", "n.v.t.", "12x", "-4", "2,5", "50%", "#N/A", "9007199254740993",
           "4503599627370496", " 7 ", "3.0"]
_REGIONS = ["Drenthe", "", "Groningen", "VR03", "onbekend"]
_NOTES = ["Bron: KCIO", "* voorlopige cijfers", "Toelichting"]


@st.composite
def files(draw) -> tuple[bytes, str]:
    """A file in ``LAYOUT``: optional title rows, data rows, totals rows and notes, as CSV or XLSX."""
    extra = draw(st.booleans())
    header = ["Gemeente", draw(st.sampled_from(["Aantal", "Plekken", "plekken "])), "Regio", "Bedrag"]
    if extra:
        header.insert(2, "Extra")
    rows: list[list[str]] = []
    if draw(st.booleans()):
        rows += [[draw(st.sampled_from(["Stand per 31 december 2025", "Overzicht"]))], []]
    rows.append(header)
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["data"] * 8 + ["totaal", "leeg"]))
        if kind == "leeg":
            rows.append([])
            continue
        first = draw(st.sampled_from(["Totaal", "Totaal Drenthe", "Eindtotaal"])) if kind == "totaal" \
            else draw(st.sampled_from(_MUNICIPALITIES))
        row = [first, draw(st.sampled_from(_COUNTS)), draw(st.sampled_from(_REGIONS)), draw(st.sampled_from(_COUNTS))]
        if extra:
            row.insert(2, draw(st.sampled_from(_COUNTS)))
        rows.append(row)
    if draw(st.booleans()):
        rows.append([draw(st.sampled_from(_NOTES))])
    if draw(st.integers(0, 3)) == 0:
        return xlsx_bytes(rows), "proef.xlsx"
    return csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","]))), "proef.csv"


def builder(data: bytes, bestand: str, one_row_per_gemeente: bool = True):
    source = kit.Source(io.BytesIO(data), bestand, division=DIVISION)
    return kit.RealisatieBuilder(source, "proef", one_row_per_gemeente=one_row_per_gemeente)


assert_same = assert_same_result


# the steps an adapter takes, each as the row loop (oracle) and as the column call
PLANS = {
    "een kolom": [("aantal", "nidos_amv", None)],
    "twee kolommen": [("aantal", "asiel", "regulier"), ("extra", "asiel", "noodopvang")],
    "dezelfde kolom twee keer": [("aantal", "amv", None), ("aantal", "nidos_amv", None)],
    "bedrag": [("bedrag", "nidos_amv", None)],
}


def run(data: bytes, bestand: str, plan: list, column_wise: bool, mixed: bool = False):
    b = builder(data, bestand)
    with b.guard():
        table = b.read_table(LAYOUT)
        for step, (key, opgave, categorie) in enumerate(plan):
            if table is None:
                break
            if mixed and step % 2 == 1:
                column_wise_here = not column_wise  # a row loop between column calls: the order stays
            else:
                column_wise_here = column_wise
            if column_wise_here:
                b.add_column(table, opgave, key, categorie)
            else:
                for row in table:
                    b.add(row, opgave, row.count(key), categorie)
    return b.result()


@adapter_settings()
@given(f=files(), plan=st.sampled_from(sorted(PLANS)), careful=st.booleans(), mixed=st.booleans())
def test_add_column_same_as_row_loop(f, plan, careful, mixed):
    data, bestand = f
    steps = PLANS[plan]
    if careful:
        with fastscan.careful():
            new, old = run(data, bestand, steps, True, mixed), run(data, bestand, steps, False, mixed)
    else:
        new, old = run(data, bestand, steps, True, mixed), run(data, bestand, steps, False, mixed)
    assert_same(new, old)


@adapter_settings()
@given(f=files(), key=st.sampled_from(["aantal", "extra", "bedrag", "regio"]),
       ernst=st.sampled_from([kit.Severity.FOUT, kit.Severity.WAARSCHUWING]))
def test_counts_texts_codes_same_as_rows(f, key, ernst):
    data, bestand = f
    a, b = builder(data, bestand), builder(data, bestand)
    ta, tb = a.read_table(LAYOUT), b.read_table(LAYOUT)
    if ta is None:
        assert tb is None and a.meldingen == b.meldingen
        return
    assert ta.texts(key) == [row.text(key) for row in tb]
    assert ta.area_codes() == [row.gemeentecode for row in tb]
    assert ta.row_numbers() == [row.rij for row in tb]
    assert ta.counts(key, ernst) == [row.count(key, ernst) for row in tb]
    assert a.meldingen == b.meldingen
    assert ta.used == tb.used and ta.bad == tb.bad
    # asked a second time: the same values and nothing more reported, as the rows do
    assert ta.counts(key, ernst) == [row.count(key, ernst) for row in tb]
    assert a.meldingen == b.meldingen
    assert [row.peek(key) for row in ta] == [row.peek(key) for row in tb]


@adapter_settings()
@given(f=files(), counts=st.lists(st.one_of(st.none(), st.integers(0, 10**6)), max_size=30),
       categorie=st.sampled_from([None, "tgo"]))
def test_add_counts_same_as_add(f, counts, categorie):
    data, bestand = f
    a, b = builder(data, bestand), builder(data, bestand)
    ta, tb = a.read_table(LAYOUT), b.read_table(LAYOUT)
    if ta is None:
        return
    n = len(ta.rows)
    values = (counts * (n // max(len(counts), 1) + 1))[:n] if counts else [None] * n
    a.add_counts(ta, "asiel", values, categorie)
    for row, aantal in zip(tb, values):
        b.add(row, "asiel", aantal, categorie)
    assert a.rows == b.rows
    assert a.stats() == b.stats()
    assert_same(a.result(), b.result())


def test_add_counts_wants_one_value_per_row():
    data = csv_bytes([["Gemeente", "Aantal"], ["Assen", "1"], ["Emmen", "2"]])
    b = builder(data, "proef.csv")
    table = b.read_table(LAYOUT)
    with pytest.raises(ValueError):
        b.add_counts(table, "asiel", [1])
    with pytest.raises(ValueError):  # as ``add``: an aantal that is no int, at its row
        b.add_counts(table, "asiel", [1, 2.0])
    assert b.rows == [{"bron": "proef", "opgave": "asiel", "categorie": None, "gemeentecode": "GM0106", "aantal": 1,
                       "bestand": "proef.csv", "blad": None, "rij": 2}]


def test_the_common_case_by_hand():
    """Files with a bad cell, an empty cell, a repeated municipality and a totals row: the figures computed
    here by hand."""
    def read(rows):
        b = builder(csv_bytes(rows), "proef.csv")
        with b.guard():
            b.add_column(b.read_table(LAYOUT), "nidos_amv", "aantal")
        result = b.result()
        return ([(r["gemeentecode"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()],
                [(m.code, m.rij, m.waarde) for m in result.meldingen], result.stats)

    title = [["Stand per 31 december 2025"], [], ["Gemeente", "Aantal"]]
    # a bad cell: the column is asked row by row; the totals row is not checked (a row it covers is bad)
    figures, meldingen, stats = read([*title, ["Assen", "1.010"], ["Emmen", "12x"], ["Tynaarlo", "-"],
                                      ["Assen", "5"], ["Totaal", "1.000"]])
    assert figures == [("GM0106", 1010, 4), ("GM0106", 5, 7)]
    assert meldingen == [("geen_getal", 5, "12x"), ("dubbele_gemeente", 7, str(1010 + 5))]
    assert (stats.rijen_gebruikt, stats.rijen_afgewezen, stats.totaalrijen, stats.som) == (3, 1, 1, 1010 + 5)
    # every cell readable (the column at once): the totals row is checked against 1010 + 3 + 5
    figures, meldingen, stats = read([*title, ["Assen", "1.010"], ["Emmen", "3"], ["Tynaarlo", "-"],
                                      ["Assen", "5"], ["Totaal", "1.000"]])
    assert figures == [("GM0106", 1010, 4), ("GM0114", 3, 5), ("GM0106", 5, 7)]
    assert meldingen == [("totaalrij_klopt_niet", 8, "1.000"), ("dubbele_gemeente", 7, str(1010 + 5))]
    assert (stats.rijen_gebruikt, stats.totaalrijen, stats.som) == (4, 1, 1010 + 3 + 5)


def _raising(monkeypatch):
    """The count parser made to raise (not a ``ValueProblem``) on ``666``: a surprise at that row."""
    original = table_module._PARSERS[kit.COUNT]

    def boom(raw):
        if kit.cell_text(raw) == "666":
            raise RuntimeError("kapot")
        return original(raw)

    monkeypatch.setitem(table_module._PARSERS, kit.COUNT, boom)
    monkeypatch.setitem(table_module._PARSED, boom, {})


@pytest.mark.parametrize("bestand", ["proef.csv", "proef.xlsx"])
@pytest.mark.parametrize("where", [0, 2, 4])
def test_a_cell_that_raises_stops_both_at_its_row(monkeypatch, bestand, where):
    _raising(monkeypatch)
    rows = [["Gemeente", "Aantal"], ["Assen", "1"], ["Emmen", "2x"], ["Tynaarlo", "3"], ["Aa en Hunze", "4"]]
    rows.insert(1 + where, ["Borger-Odoorn", "666"])
    data = xlsx_bytes(rows) if bestand.endswith("xlsx") else csv_bytes(rows)
    new, old = run(data, bestand, PLANS["een kolom"], True), run(data, bestand, PLANS["een kolom"], False)
    assert_same(new, old)
    assert "bestand_onleesbaar" in [m.code for m in new.meldingen]
    # the rows above the raising one that have a count: Assen (1); Emmen's 2x is a fout; Tynaarlo, Aa en Hunze
    assert new.realisaties.column("gemeentecode").to_pylist() == {0: [], 2: ["GM0106"],
                                                                   4: ["GM0106", "GM1730", "GM1680"]}[where]
    a = builder(data, bestand)
    with pytest.raises(RuntimeError):
        a.read_table(LAYOUT).counts("aantal")


# --- result(): the rows of both kinds in their order, against from_rows of the row dicts ---------------------

def test_result_same_as_the_row_dict_reference_of_result():
    """``result()`` (the columns of the tuples and of the parts, in their order) against ``_result_reference``
    (row dicts through ``from_rows``) on the same rows: rows added one by one, a column at a time, and mixed."""
    data = csv_bytes([["Stand per 31 december 2025"], ["Gemeente", "Aantal", "Extra"], ["Assen", "1.010", "3"],
                      ["Emmen", "-", "4"], ["Tynaarlo", "7", "-"], ["Assen", "5", "0"], ["Totaal", "1.022", "7"]])
    for plan in ("row", "column", "mixed", "none"):
        results = []
        for reference in (False, True):
            b = builder(data, "proef.csv")
            table = b.read_table(LAYOUT)
            if plan in ("column", "mixed"):
                b.add_column(table, "asiel", "aantal", "regulier")
            if plan in ("row", "mixed"):
                for row in table:
                    b.add(row, "amv", row.count("extra"))
            if plan == "mixed":
                b.add_counts(table, "asiel", table.counts("extra"), "tgo")
            results.append(b._result_reference() if reference else b.result())
        assert_same(*results)
        assert results[0].realisaties.num_rows == {"row": 3, "column": 3, "mixed": 9, "none": 0}[plan]



def test_rows_changed_by_the_adapter_are_asked_one_by_one():
    """An adapter that reorders or filters ``table.rows`` before the column call: the columns the fast scan
    parsed no longer line up with the rows, so each row is asked (the same as the loop)."""
    data = csv_bytes([["Gemeente", "Aantal"], ["Assen", "1"], ["Emmen", "2"], ["Tynaarlo", "3"]])
    for change in (lambda rows: rows.reverse(), lambda rows: rows.pop(0), lambda rows: rows.sort(key=lambda r: -r.rij)):
        results = []
        for column_wise in (True, False):
            b = builder(data, "proef.csv")
            table = b.read_table(LAYOUT)
            change(table.rows)
            if column_wise:
                assert table.counts("aantal") == [row.count("aantal") for row in table]
                assert table.texts("gemeente") == [row.text("gemeente") for row in table]
                b.add_column(table, "nidos_amv", "aantal")
            else:
                for row in table:
                    b.add(row, "nidos_amv", row.count("aantal"))
            results.append(b.result())
        assert_same(*results)
        assert results[0].realisaties.column("rij").to_pylist() == [r.rij for r in table.rows]


def test_rows_changed_after_a_column_call_are_asked_again():
    """The table remembers the rows it proved aligned with its columns (issue 16); rows reordered, swapped,
    filtered or replaced by equal-looking copies after a column call are proved again, so each row is asked."""
    data = csv_bytes([["Gemeente", "Aantal", "Extra"], ["Assen", "1", "7"], ["Emmen", "2", "8"], ["Tynaarlo", "3", "9"]])
    swaps = (lambda rows: rows.reverse(), lambda rows: rows.pop(0),
             lambda rows: rows.__setitem__(0, rows[1]), lambda rows: rows.__setitem__(slice(None), [copy.copy(r) for r in rows]))
    for change in swaps:
        b = builder(data, "proef.csv")
        table = b.read_table(LAYOUT)
        assert table.value_column("aantal") == [1, 2, 3]
        change(table.rows)
        extra = table.value_column("extra")
        if extra is not None:  # still the scan's rows in its order: the column is the rows' answers
            assert extra == [row.count("extra") for row in table.rows]
        assert table.counts("aantal") == [row.count("aantal") for row in table.rows]
        b.add_column(table, "nidos_amv", "extra")
        assert b.result().realisaties.column("aantal").to_pylist() == [row.count("extra") for row in table.rows]


@given(files())
@adapter_settings()
def test_the_table_s_own_columns_are_the_rows_answers(file):
    """``raw_column``, ``text_column`` and ``value_column`` answer only when ``columns_ready()`` (a regular CSV
    the fast scan read), and then hold per row what ``row.raw``, ``row.text`` and (where no melding is made)
    ``row.value`` give; a cell that would make a melding holds another type."""
    data, bestand = file
    b = builder(data, bestand)
    table = b.read_table(LAYOUT)
    if table is None:
        return
    ready = table.columns_ready()
    assert ready == (bestand.endswith(".csv") and table._fast_cells is not None)
    for key in ("aantal", "regio", "bedrag"):
        raws, texts, values = table.raw_column(key), table.text_column(key), table.value_column(key)
        if not ready:
            assert raws is None and texts is None and values is None
            continue
        assert raws == [row.raw(key) for row in table.rows]
        assert texts == [row.text(key) for row in table.rows]
        if key == "regio":
            assert values is None  # a text column: its value is recorded per row
            continue
        for row, value in zip(table.rows, values):
            if value is None or type(value) in (int, float):
                assert row.value(key) == value


def test_add_rows_refuses_a_count_that_is_no_int_before_adding_anything():
    data = csv_bytes([["Gemeente", "Aantal"], ["Assen", "3"]])
    b = builder(data, "proef.csv")
    b.read_table(LAYOUT)
    with pytest.raises(ValueError, match="aantal must be an int"):
        b.add_rows([("amv", None, "GM0106", 3, None, 2), ("amv", None, "GM0114", 2.0, None, 3)])
    assert b.rows == []
    b.add_rows([("amv", None, "GM0106", 3, None, 2)])
    assert [r["aantal"] for r in b.rows] == [3]


_PAIRS = [("asiel", "regulier"), ("asiel", "noodopvang"), ("asiel", "tgo"), ("amv", None),
          ("asiel", None), ("amv", "regulier"), ("nidos_amv", None)]  # the last three: meldingen of validate


@adapter_settings()
@given(f=files(), picks=st.lists(st.tuples(st.sampled_from(_PAIRS), st.one_of(st.none(), st.integers(0, 10**6))),
                                 min_size=1, max_size=30),
       before=st.integers(0, 3), between=st.booleans(), one_row_per_gemeente=st.booleans())
def test_add_columns_same_as_add(f, picks, before, between, one_row_per_gemeente):
    """``add_columns`` (COA's long layout, issue 16) against ``add`` row by row: a task and category per row,
    rows without a count left out by the caller, rows added one by one before it and a column call after
    it (their order kept), a municipality in several rows (the ``dubbele_gemeente`` warning, which turns the
    columns back into rows) and pairs that ``validate`` refuses (its meldingen the same)."""
    data, bestand = f
    a, b = builder(data, bestand, one_row_per_gemeente), builder(data, bestand, one_row_per_gemeente)
    ta, tb = a.read_table(LAYOUT), b.read_table(LAYOUT)
    if ta is None or not ta.rows:
        return
    n = len(ta.rows)
    drawn = (picks * (n // len(picks) + 1))[:n]
    for builder_, table in ((a, ta), (b, tb)):
        for row in table.rows[:before]:  # rows added one by one first
            builder_.add(row, "amv", 1)
    chosen = [(row, pair, aantal) for row, (pair, aantal) in zip(ta.rows, drawn) if aantal is not None]
    a.add_columns([pair[0] for _, pair, _ in chosen], [pair[1] for _, pair, _ in chosen],
                  [row.gebied_code for row, _, _ in chosen], [aantal for _, _, aantal in chosen], ta.grid.blad,
                  [row.rij for row, _, _ in chosen])
    for row, (pair, aantal) in zip(tb.rows, drawn):
        b.add(row, pair[0], aantal, pair[1])
    if between:  # a column call after it
        a.add_counts(ta, "amv", [2] * n)
        for row in tb.rows:
            b.add(row, "amv", 2)
    assert a.stats() == b.stats()
    assert_same(a.result(), b.result())  # (before ``rows``, which turns the columns into rows)
    assert a.rows == b.rows


def test_add_columns_refuses_before_adding_anything():
    data = csv_bytes([["Gemeente", "Aantal"], ["Assen", "3"], ["Emmen", "4"]])
    b = builder(data, "proef.csv")
    b.read_table(LAYOUT)
    with pytest.raises(ValueError, match="aantal must be an int"):
        b.add_columns(["amv", "amv"], [None, None], ["GM0106", "GM0114"], [3, 4.0], None, [2, 3])
    with pytest.raises(ValueError, match="aantal must be an int"):
        b.add_columns(["amv"], [None], ["GM0106"], [None], None, [2])  # an empty count is left out by the caller
    with pytest.raises(ValueError, match="unequal length"):
        b.add_columns(["amv", "amv"], [None], ["GM0106", "GM0114"], [3, 4], None, [2, 3])
    assert b.rows == []
    b.add_columns(["asiel", "amv"], ["tgo", None], ["GM0106", "GM0114"], [3, 4], None, [2, 3])
    assert [(r["opgave"], r["categorie"], r["gemeentecode"], r["aantal"], r["rij"]) for r in b.rows] == [
        ("asiel", "tgo", "GM0106", 3, 2), ("amv", None, "GM0114", 4, 3)]
