"""Issue 16: the TVS adapter's rows and target line column-wise (``TvsAdapter._rows_at_once``,
``_target_line_columns``) against the row-by-row loop they replace where they can (the adapter with both
switched off: the loop, ``_Checks.row`` and ``_target_line_from``, as the code was) and against
``TvsAdapterReference`` (that loop, kept verbatim as its ``read``, with every identity and the line read cell
by cell).

Every file is read by the three, with the fast scan and inside ``fastscan.careful()`` (where the column-wise
path never applies); all results must be the same: the ``realisaties`` table, the contributed ``opgaven``
(the housing line), the meldingen (code, text, file, sheet, row, column, value, in order), the peildatum and
the reconciliation counts. The files: TVS exports drawn here to take the column-wise path (identities that
hold, in whole numbers, decimals and figures near 2^53; empty cells; one period, in a column, a header or a
title), with now and then what sends a file back to the loop (an identity that does not hold, a bad cell, a
negative target, a municipality in two rows, a second period, a row without a backlog), CSV or XLSX; the
plugin's fuzz corpus and the generated national weeks. Tests check that the column-wise path is taken where
it should be. ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import opvangkern_tvs
from opvangkern.areas import load_division
from opvangkern.reading import fastscan
from opvangkern.sources.adapter import Source
from opvangkern.testing import load_module
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, csv_bytes, plausible_files, xlsx_bytes
from opvangkern_tvs import TvsAdapter

ROOT = Path(__file__).resolve().parents[3]
TvsAdapterReference = load_module(Path(__file__).parent / "tvs_reference.py", "_tvs_reference").TvsAdapterReference
DIVISION = load_division()
PEIL = dt.date(2025, 12, 31)


class RowsOnly(TvsAdapter):
    """The adapter with its column-wise paths switched off: the loop, ``_Checks.row``, ``_target_line_from``."""

    def _rows_at_once(self, b, table, checks):
        return None


class Counting(TvsAdapter):
    """The adapter, counting the files whose rows (``rows``) and line (``line``) were made column-wise."""

    rows = line = 0

    def _rows_at_once(self, b, table, checks):
        found = super()._rows_at_once(b, table, checks)
        Counting.rows += found is not None
        return found

    def _line(self, b, table, period, figures):
        if isinstance(figures, opvangkern_tvs._Columns):
            Counting.line += opvangkern_tvs._target_line_columns(b, table, period, figures) is not opvangkern_tvs._MISS
        return super()._line(b, table, period, figures)


NEW, ROWS, REFERENCE = Counting(), RowsOnly(), TvsAdapterReference()


def assert_same(a, b) -> None:
    assert a.realisaties.equals(b.realisaties, check_metadata=True), (a.realisaties.to_pylist(), b.realisaties.to_pylist())
    assert list(a.meldingen) == list(b.meldingen)
    assert a.peildatum == b.peildatum
    assert a.stats == b.stats
    assert (a.opgaven is None) == (b.opgaven is None)
    if a.opgaven is not None:
        assert a.opgaven.equals(b.opgaven, check_metadata=True), (a.opgaven.to_pylist(), b.opgaven.to_pylist())


def read_all(data: bytes, bestand: str = "tvs.csv", **kw):
    """``data`` read by the adapter, the loop and the reference, with the fast scan and the careful scan;
    asserts all agree and returns the adapter's result."""
    def read(adapter):
        return adapter.read(Source(io.BytesIO(data), bestand, division=DIVISION, **kw))

    new = read(NEW)
    assert_same(new, read(ROWS))
    assert_same(new, read(REFERENCE))
    with fastscan.careful():
        careful = read(NEW)
        assert_same(careful, read(ROWS))
        assert_same(careful, read(REFERENCE))
    return new


# --- TVS exports drawn to take the column-wise path ------------------------------------------------------------

POOL = ["Assen", "Emmen", "Aa en Hunze", "Westerveld", "Meppel", "Tynaarlo", "Midden-Drenthe", "Noordenveld",
        "Borger-Odoorn", "Coevorden", "De Wolden", "Hoogeveen"]
HEADERS = {"taakstelling": ["Taakstelling", "Taakstelling 2025-II"],
           "achterstand": ["Achterstand begin periode", "Achterstand per 1-7-2025", "Achterstand/voorsprong"],
           "gecorrigeerd": ["Gecorrigeerde taakstelling", "Gecorrigeerde taakstelling 2025-II"],
           "gerealiseerd": ["Gerealiseerd", "Gehuisvest t/m 31-12-2025", "Realisatie"],
           "nog": ["Nog te realiseren"]}
BIG = 2 ** 53


def _text(value) -> str:
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


@st.composite
def exports(draw):
    xlsx = draw(st.integers(0, 3)) == 0
    back = draw(st.integers(0, 4)) == 0  # now and then a file for the loop
    keys = ["gerealiseerd", *draw(st.lists(st.sampled_from(["taakstelling", "achterstand", "gecorrigeerd", "nog"]),
                                           unique=True))]
    if draw(st.booleans()):
        keys = ["gerealiseerd", "taakstelling", "achterstand", "gecorrigeerd", "nog"]  # the national layout
    keys = draw(st.permutations(keys))
    periode = draw(st.booleans())
    # now and then every row names one period in one text (``_one_period``), readable or not
    one_text = draw(st.one_of(st.none(), st.sampled_from(["2025-II", "2e helft 2025", "2025-III", " 2025-II"])))
    header = ["Gemeente", *(["Periode"] if periode else []), *(draw(st.sampled_from(HEADERS[k])) for k in keys)]
    rows: list[list] = []
    if draw(st.booleans()):
        rows += [[draw(st.sampled_from(["Taakstelling vergunninghouders 2025-II", "Overzicht TVS"]))], []]
    rows.append(header)
    areas = draw(st.lists(st.sampled_from(POOL), min_size=0, max_size=12, unique=not back))
    sums = dict.fromkeys(keys, 0)
    scale = draw(st.sampled_from([1, 1, 1, BIG // 4]))  # figures near 2^53 now and then
    for area in areas:
        t = draw(st.integers(-3 if back else 0, 90)) * scale
        b = draw(st.integers(-30, 60)) * scale
        if draw(st.integers(0, 5)) == 0 and scale == 1:
            t += 0.5  # a decimal target: the identities in floats
        g = draw(st.integers(0, 120))
        values = {"taakstelling": t, "achterstand": b, "gecorrigeerd": t + b, "gerealiseerd": g}
        values["nog"] = values["gecorrigeerd"] - g
        if back and draw(st.integers(0, 3)) == 0:
            values[draw(st.sampled_from(["gecorrigeerd", "nog"]))] += 1  # an identity that does not hold
        cells = []
        for k in keys:
            v = values[k]
            sums[k] += v
            mode = draw(st.integers(0, 15))
            if mode == 0:
                cells.append(draw(st.sampled_from(["", "-"])))  # an empty figure
            elif mode == 1 and back:
                cells.append(draw(st.sampled_from(["veel", "12a", "45%"])))  # a bad cell
            else:
                cells.append(v if xlsx and draw(st.booleans()) else _text(v))
        row = [area]
        if periode:
            row.append(one_text if one_text is not None else
                       draw(st.sampled_from(["2025-II", "2025-II", "2e helft 2025", *(["2025-I"] if back else [])])))
        rows.append(row + cells)
    if draw(st.booleans()):
        rows.append(["Totaal", *([""] if periode else []), *(_text(sums[k]) for k in keys)])
    if draw(st.booleans()):
        rows += [[], ["Bron: COA"]]
    data = xlsx_bytes(rows, "TVS") if xlsx else csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","])))
    peildatum = draw(st.sampled_from([PEIL, None, dt.date(2026, 1, 1), dt.date(2025, 6, 30)]))
    return data, "tvs.xlsx" if xlsx else "tvs.csv", peildatum


@adapter_settings()
@given(exports())
def test_exports_same_as_the_loop_and_the_reference(drawn):
    data, bestand, peildatum = drawn
    read_all(data, bestand, peildatum=peildatum)


SPEC = FuzzSpec(
    [FuzzColumn("gerealiseerd", ["Gerealiseerd", "Realisatie", "Gehuisvest"]),
     FuzzColumn("periode", ["Periode"], kind="choice", choices=["2025-II", "2e helft 2025"], required=False,
                junk=False, total=False),
     FuzzColumn("taakstelling", ["Taakstelling"], kind="signed", required=False, junk=False),
     FuzzColumn("achterstand", ["Achterstand begin periode"], kind="signed", required=False, junk=False, total=False),
     FuzzColumn("voorsprong", ["Voorsprong"], kind="signed", required=False, junk=False, total=False),
     FuzzColumn("gecorrigeerd", ["Gecorrigeerde taakstelling"], kind="signed", required=False, junk=False),
     FuzzColumn("nog", ["Nog te realiseren"], kind="signed", required=False, junk=False, total=False)],
    lambda v: [],
)


@adapter_settings()
@given(f=plausible_files(SPEC, DIVISION), peildatum=st.sampled_from([PEIL, None]))
def test_fuzz_corpus_same_as_the_loop_and_the_reference(f, peildatum):
    read_all(f.data, f.bestand, peildatum=peildatum)


# --- the path taken, and what it gives ------------------------------------------------------------------------

HEADER = ["Gemeente", "Periode", "Taakstelling", "Achterstand begin periode", "Gecorrigeerde taakstelling",
          "Gerealiseerd", "Nog te realiseren"]
CLEAN = [HEADER, ["Assen", "2025-II", "27", "34", "61", "30", "31"], ["Emmen", "2025-II", "10", "-5", "5", "3", "2"],
         ["Meppel", "2025-II", "2,5", "1", "3,5", "1", "2,5"]]


def _taken(rows: list[list], **kw) -> tuple[tuple[int, int], object]:
    before = Counting.rows, Counting.line
    result = read_all(csv_bytes(rows), **kw)
    return (Counting.rows - before[0], Counting.line - before[1]), result


def test_a_clean_export_is_read_column_wise():
    taken, result = _taken(CLEAN, peildatum=PEIL)
    assert taken == (1, 1) and not result.meldingen
    assert [(r["gemeentecode"], r["aantal"]) for r in result.realisaties.to_pylist()] == [
        ("GM0106", 30), ("GM0114", 3), ("GM0119", 1)]
    points = [(r["gebied_code"], r["ingangsdatum"], r["aantal"], r["rij"]) for r in result.opgaven.to_pylist()]
    assert points == [("GM0106", dt.date(2025, 7, 1), 34.0, 2), ("GM0106", dt.date(2026, 1, 1), 61.0, 2),
                      ("GM0114", dt.date(2025, 7, 1), -5.0, 3), ("GM0114", dt.date(2026, 1, 1), 5.0, 3),
                      ("GM0119", dt.date(2025, 7, 1), 1.0, 4), ("GM0119", dt.date(2026, 1, 1), 3.5, 4)]


def test_a_backlog_of_minus_zero_stays_zero_in_the_line():
    rows = [HEADER, ["Assen", "2025-II", "27", "-0", "27", "30", "-3"]]
    taken, result = _taken(rows, peildatum=PEIL)
    assert taken == (1, 1)
    assert [str(r["aantal"]) for r in result.opgaven.to_pylist()] == ["0.0", "27.0"]  # 0.0 + -0.0 is 0.0


@pytest.mark.parametrize("change, rows_taken, line_taken, codes", [
    ((1, 4, "62"), 0, 0, ["tvs_som_klopt_niet"] * 2),  # 27 + 34 is not 62 (and 62 − 30 is not 31): the loop
    ((2, 2, "-1"), 0, 0, ["taakstelling_negatief", "tvs_som_klopt_niet"]),  # a negative target, −1 − 5 ≠ 5
    ((2, 5, "veel"), 0, 0, ["geen_getal"]),           # a bad count: a fout
    ((2, 3, "veel"), 0, 0, ["geen_getal", "tvs_opgavelijn_onvolledig"]),  # a bad backlog: no line for Emmen
    ((2, 3, ""), 1, 0, []),         # an empty backlog: the loop's line makes it gecorrigeerd − taakstelling
    ((2, 0, "Assen"), 1, 0, ["dubbele_gemeente"]),  # Assen in two rows: summed by the loop, the builder warns
    ((2, 1, "2025-I"), 0, 0, ["tvs_meer_perioden"]),  # two periods: the other one's rows skipped, by the loop
])
def test_what_sends_a_file_back_to_the_loop(change, rows_taken, line_taken, codes):
    rows = [list(r) for r in CLEAN]
    i, j, cell = change
    rows[i][j] = cell
    taken, result = _taken(rows, peildatum=PEIL)
    assert taken == (rows_taken, line_taken)
    assert [m.code for m in result.meldingen] == codes


def test_a_file_without_the_backlog_column_takes_the_loop_for_its_line():
    rows = [[c for k, c in enumerate(r) if k != 3] for r in CLEAN]
    taken, result = _taken(rows, peildatum=PEIL)
    assert taken == (1, 0) and not result.meldingen
    # no backlog column: the backlog is gecorrigeerde taakstelling − taakstelling
    assert [r["aantal"] for r in result.opgaven.to_pylist()] == [61.0 - 27, 61.0, 5.0 - 10, 5.0, 3.5 - 2.5, 3.5]


def test_generated_national_weeks_are_read_column_wise(tmp_path):
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    files = sorted((tmp_path / "nl" / "bronnen").glob("tvs-*.csv"))
    assert len(files) == 2
    for path in files:
        before = Counting.rows, Counting.line
        result = read_all(path.read_bytes(), path.name, peildatum=dt.date.fromisoformat(path.stem[4:]))
        assert (Counting.rows - before[0], Counting.line - before[1]) == (1, 1)
        assert result.opgaven.num_rows == 2 * result.realisaties.num_rows > 600


def test_one_period_in_every_row_is_read_once():
    """A file naming one period in every row in one text: ``_one_period`` reads the column (each row's period,
    the first row's number) and the loop over the rows is not taken; a file with a second text for the same
    period, or with an empty cell, goes to that loop. Each agrees with the loop and the reference."""
    rows = [["Gemeente", "Periode", "Gerealiseerd"], ["Assen", "2025-II", "3"], ["Emmen", "2025-II", "4"]]
    files = [rows, [*rows, ["Meppel", "2e helft 2025", "5"]], [*rows, ["Meppel", "", "5"]]]
    seen = []
    original = opvangkern_tvs._one_period

    def spy(table, texts):
        found = original(table, texts)
        seen.append(found)
        return found

    opvangkern_tvs._one_period = spy
    try:
        for f in files:
            NEW.read(Source(io.BytesIO(csv_bytes(f)), "tvs.csv", division=DIVISION, peildatum=PEIL))
    finally:
        opvangkern_tvs._one_period = original
    period = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert seen == [({period: 2}, {2: period, 3: period}), None, None]
    for f in files:
        read_all(csv_bytes(f), peildatum=PEIL)
