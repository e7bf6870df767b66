"""Issue 16: the per-file checks after reading against their old code (the oracle).

``SheetTable.check_totals`` (row indices, each region's rows found once per division and code sequence, each
column peeked once) against ``SheetTable._check_totals_reference`` (the loop as it was), ``row_counts`` (set
operations) against ``_row_counts_reference``, and ``tables.from_columns`` (no cast of an array to its own
type) against its old body, kept here. Every test reads one file into two tables the same way (the fast scan,
or the careful scan inside ``fastscan.careful()``), asks their cells as an adapter does, and then checks one
table with the new code and the other with the oracle: the meldingen (every field, in order), the exception
(type and text) if one is raised, and the reconciliation counts must be equal. The files are drawn like a
KCIO or COA export: municipalities in region groups with ``Totaal <regio>`` subtotals, province totals, a
bare ``Subtotaal``, a totals row that names no area (``Totaal Atlantis``), grand totals, totals that disagree
with their rows, totals cells that are no number, counts beyond 2^53, negative counts, percentages, unknown
municipalities, a municipality twice, notes under the table; the rows also in shuffled order (a pandas frame
handed back to the reader).
"""

from __future__ import annotations

import contextlib
import io

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern import tables
from opvangkern.areas import load_division
from opvangkern.model import AreaLevel
from opvangkern.reading import fastscan
from opvangkern.reading.columns import AMOUNT, COUNT, SIGNED, Column, Layout
from opvangkern.reading.table import SheetTable, _Raise
from opvangkern.testing.fuzz import adapter_settings

DIVISION = load_division()
NEXT = load_division("2027")
LAYOUT = Layout("proef", [Column("capaciteit", ("Capaciteit", "Plekken"), kind=COUNT),
                          Column("bedrag", ("Bedrag",), kind=AMOUNT),
                          Column("saldo", ("Saldo",), kind=SIGNED)], [("capaciteit",)])
REGIONS = sorted(DIVISION.veiligheidsregios, key=lambda a: a.code)
BY_REGION = {r.code: sorted((g for g in DIVISION.gemeenten if DIVISION.parent(g.code, "veiligheidsregio").code == r.code),
                            key=lambda g: g.naam) for r in REGIONS}
PROVINCES = sorted(DIVISION.provincies, key=lambda a: a.code)
SETTINGS = adapter_settings()  # 50 examples; 10,000 under HYPOTHESIS_PROFILE=fuzz

COUNTS = st.one_of(
    st.integers(0, 3000).map(str),
    st.integers(1000, 99999).map(lambda n: f"{n:,}".replace(",", ".")),
    st.sampled_from(["", "-", "n.v.t.", "abc", "45%", "-5", "1,5", "12a", "9007199254740993", "9007199254740992",
                     "18014398509481984", "1" + "0" * 400]),
)
AMOUNTS = st.one_of(st.floats(0, 5000, allow_nan=False).map(lambda x: f"{x:.2f}".replace(".", ",")),
                    st.sampled_from(["", "0,5", "abc", "1.234,5"]))
SIGNEDS = st.one_of(st.integers(-3000, 3000).map(str), st.sampled_from(["", "-", "x", "-1.234"]))


@st.composite
def files(draw, shuffle: bool = False) -> str:
    """A CSV text: region groups of municipalities, their subtotals, totals of other kinds, notes."""
    lines = ["Overzicht realisatie (proef)", "", "Gemeente;Capaciteit;Bedrag;Saldo"]
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=5, unique=True))
    for region in regions:
        members = BY_REGION[region.code]
        chosen = draw(st.lists(st.sampled_from(members), min_size=1, max_size=min(6, len(members)), unique=True))
        sums = [0, 0.0, 0]
        for g in chosen:
            cap, bed, sal = draw(COUNTS), draw(AMOUNTS), draw(SIGNEDS)
            name = draw(st.sampled_from([g.naam, g.code, g.naam.upper()]))
            lines.append(f"{name};{cap};{bed};{sal}")
            if draw(st.integers(0, 9)) == 0:
                lines.append(f"{g.naam};{draw(COUNTS)};;")  # the municipality twice
            if cap.isdigit():
                sums[0] += int(cap)
        if draw(st.integers(0, 6)) == 0:
            lines.append(f"Atlantis;{draw(COUNTS)};;")  # an unknown municipality
        kind = draw(st.sampled_from(["regio", "veiligheidsregio", "subtotaal", "onbekend", "geen"]))
        off = draw(st.sampled_from([0, 0, 0, 1, -7, 10**16]))
        stated = draw(st.sampled_from([str(sums[0] + off), draw(COUNTS)]))
        label = {"regio": f"Totaal {region.naam}", "veiligheidsregio": f"Veiligheidsregio {region.naam}",
                 "subtotaal": "Subtotaal", "onbekend": "Totaal Atlantis", "geen": None}[kind]
        if label is not None:
            lines.append(f"{label};{stated};{draw(AMOUNTS)};{draw(SIGNEDS)}")
    if draw(st.booleans()):
        province = draw(st.sampled_from(PROVINCES))
        lines.append(f"{draw(st.sampled_from(['Totaal ', '']))}{province.naam};{draw(COUNTS)};;")
    for _ in range(draw(st.integers(0, 2))):
        lines.append(f"{draw(st.sampled_from(['Totaal', 'Eindtotaal', 'Totaal generaal', 'Nederland']))};"
                     f"{draw(COUNTS)};{draw(AMOUNTS)};{draw(SIGNEDS)}")
    if draw(st.booleans()):
        lines += ["", "Bron: COA;;;", "* voorlopige cijfers"]
    return "\n".join(lines) + "\n"


def _read(data, careful_scan: bool, division=DIVISION):
    """The table of ``data`` with every cell asked as an adapter asks it, and its meldingen list."""
    meldingen: list = []
    with fastscan.careful() if careful_scan else contextlib.nullcontext():
        table = SheetTable.read(io.BytesIO(data) if isinstance(data, bytes) else data, "proef.csv", LAYOUT,
                                level=AreaLevel.GEMEENTE, division=division, meldingen=meldingen)
        if table is not None:
            for row in table:
                row.count("capaciteit")
                row.amount("bedrag")
                row.signed("saldo")
    return table, meldingen


def _outcome(table, meldingen, reference: bool):
    """What the check leaves: meldingen, the exception it raised (type and text), the reconciliation counts."""
    raised = None
    try:
        (table._check_totals_reference if reference else table.check_totals)()
    except Exception as exc:  # noqa: BLE001 - the builder turns it into a fout: its text must be the same
        raised = (type(exc), str(exc))
    counts = (table._row_counts_reference if reference else table.row_counts)()
    return list(meldingen), raised, counts


def assert_same_checks(data, careful_scan: bool, division=DIVISION) -> None:
    """New and old checks on two tables read alike from ``data``; the new code twice (the second time from
    the memo of the first), the oracle once."""
    new = []
    for _ in range(2):
        table, meldingen = _read(data() if callable(data) else data, careful_scan, division)
        if table is None:
            return
        new.append(_outcome(table, meldingen, reference=False))
    table, meldingen = _read(data() if callable(data) else data, careful_scan, division)
    old = _outcome(table, meldingen, reference=True)
    assert new[0] == old
    assert new[1] == old


@SETTINGS
@given(text=files(), careful_scan=st.booleans(), encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_totals_and_counts_same_as_reference(text, careful_scan, encoding):
    assert_same_checks(text.encode(encoding, errors="replace"), careful_scan)


@SETTINGS
@given(text=files())
def test_totals_same_as_reference_in_another_division(text):
    """The memo belongs to its division: the 2027 division (Wijdemeren merged into Hilversum) answers for
    itself, also right after the 2026 one answered for the same codes."""
    data = text.encode("utf-8")
    assert_same_checks(data, False, DIVISION)
    assert_same_checks(data, False, NEXT)


@SETTINGS
@given(text=files(), seed=st.randoms(use_true_random=False))
def test_totals_same_as_reference_with_rows_in_any_order(text, seed):
    """A pandas frame with its rows shuffled (the index keeps the file's row numbers): the rows are no longer
    in row-number order, so no memo is used, and the sums still follow the reference's order."""
    pytest.importorskip("pandas")
    from opvangkern.reading.sheet import candidate_grids
    from opvangkern.reading._frame_out import grid_frame

    grids, _ = candidate_grids(io.BytesIO(text.encode("utf-8")), "proef.csv", None)
    if not grids:
        return
    frame = grid_frame(grids[0])
    order = list(range(len(frame)))
    seed.shuffle(order)
    shuffled = frame.iloc[order]
    assert_same_checks(lambda: shuffled.copy(), False)


def test_regional_subtotals_that_disagree_are_named_alike():
    """A KCIO-like file: every region of one province with its subtotal, one of them off by one."""
    lines = ["Gemeente;Capaciteit;Bedrag;Saldo"]
    province_regions = [r for r in REGIONS if DIVISION.parent(r.code, "provincie").code == "PV27"] or REGIONS[:3]
    for k, region in enumerate(province_regions):
        total = 0
        for n, g in enumerate(BY_REGION[region.code]):
            lines.append(f"{g.naam};{n + 1};;")
            total += n + 1
        lines.append(f"Totaal {region.naam};{total + (1 if k == 0 else 0)};;")
    data = ("\n".join(lines) + "\n").encode()
    table, meldingen = _read(data, False)
    table.check_totals()
    wrong = [m for m in meldingen if m.code == "totaalrij_klopt_niet"]
    assert len(wrong) == 1 and province_regions[0].code in wrong[0].melding
    assert_same_checks(data, False)
    assert_same_checks(data, True)


@pytest.mark.parametrize("careful_scan", [False, True])
def test_a_cell_that_raises_is_raised_where_the_reference_raises(careful_scan):
    """A cell whose parser raised (no ``ValueProblem``): the check stops at the same totals row and column,
    after the same meldingen, with the same exception."""
    region = REGIONS[0]
    members = BY_REGION[region.code]
    lines = ["Gemeente;Capaciteit;Bedrag;Saldo"] + [f"{g.naam};{i};;" for i, g in enumerate(members)]
    lines += [f"Totaal {region.naam};999;;", "Totaal;abc;;", "Eindtotaal;1;;"]
    data = ("\n".join(lines) + "\n").encode()

    def poisoned(reference: bool):
        table, meldingen = _read(data, careful_scan)
        if table._fast_cells is not None:
            table._fast_values["capaciteit"][1] = _Raise(OverflowError("te groot"))
        else:
            original = type(table.rows[1]).peek

            class Raising(type(table.rows[1])):
                __slots__ = ()

                def peek(self, key):
                    if key == "capaciteit":
                        raise OverflowError("te groot")
                    return original(self, key)

            table.rows[1].__class__ = Raising
        return _outcome(table, meldingen, reference)

    new, old = poisoned(False), poisoned(True)
    assert new == old
    assert old[1] == (OverflowError, "te groot")
    assert [m.code for m in old[0]].count("totaalrij_niet_gecontroleerd") == 0  # it stopped at the first total


def test_row_counts_with_a_row_number_twice():
    """``nonblank`` holding a row twice (no file does this; a frame could): counted row by row, as the reference."""
    text = "Gemeente;Capaciteit;Bedrag;Saldo\nAssen;1;;\nEmmen;x;;\nTotaal;3;;\n"
    table, meldingen = _read(text.encode(), False)
    table.nonblank.append(table.nonblank[0])
    assert table.row_counts() == table._row_counts_reference()
    skipped, _ = _read(text.encode(), False)
    skipped.skip(skipped.rows[0])
    assert skipped.row_counts() == skipped._row_counts_reference()


# --- from_columns ------------------------------------------------------------------------------------------

def from_columns_reference(schema, columns):
    """``tables.from_columns`` as it was before issue 16 (every array cast, also to its own type)."""
    arrays = [tables.encode(columns[f.name], tables.DICTIONARIES[f.name])
              if f.name in tables.DICTIONARIES and pa.types.is_dictionary(f.type)
              else pa.array(columns[f.name], type=f.type) if not isinstance(columns[f.name], (pa.Array, pa.ChunkedArray))
              else columns[f.name].cast(f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


@SETTINGS
@given(n=st.integers(0, 30), as_array=st.lists(st.booleans(), min_size=9, max_size=9),
       wrong=st.booleans(), chunked=st.booleans(), data=st.data())
def test_from_columns_same_as_reference(n, as_array, wrong, chunked, data):
    import datetime as dt

    values = {
        "bron": [data.draw(st.sampled_from(["coa", "kcio"])) for _ in range(n)],
        "opgave": [data.draw(st.sampled_from(["asiel", "amv", None])) for _ in range(n)],
        "categorie": [data.draw(st.sampled_from(["regulier", None])) for _ in range(n)],
        "gemeentecode": [data.draw(st.sampled_from(["GM0106", "GM0109"])) for _ in range(n)],
        "peildatum": [data.draw(st.sampled_from([dt.date(2025, 12, 31), None])) for _ in range(n)],
        "aantal": [data.draw(st.integers(-5, 2**62)) for _ in range(n)],
        "bestand": ["a.csv"] * n,
        "blad": [None] * n,
        "rij": [data.draw(st.integers(1, 10**6)) for _ in range(n)],
    }
    columns = {}
    for flag, field in zip(as_array, tables.REALISATIES):
        v = values[field.name]
        if flag:
            type_ = field.type
            if wrong and field.type == pa.int64():  # another type, cast as before
                type_, v = pa.int32(), [x % 100_000 for x in v]
            elif wrong and field.type == pa.string():
                type_ = pa.large_string()
            arr = pa.array(v, type=type_)
            v = pa.chunked_array([arr], type=type_) if chunked else arr
        columns[field.name] = v
    new, old = tables.from_columns(tables.REALISATIES, columns), from_columns_reference(tables.REALISATIES, columns)
    assert new.equals(old, check_metadata=True)
    assert new.schema == old.schema
    sink_new, sink_old = pa.BufferOutputStream(), pa.BufferOutputStream()
    for sink, t in ((sink_new, new), (sink_old, old)):
        with pa.ipc.new_file(sink, t.schema) as writer:
            writer.write_table(t)
    assert sink_new.getvalue().to_pybytes() == sink_old.getvalue().to_pybytes()  # the bytes of an .arrow file


def test_the_memo_answers_for_its_own_code_sequence():
    """Two weekly files of the same length and regions whose rows differ (one municipality moved to another
    place, one swapped for another region's): each file's subtotals are checked against its own rows."""
    r1, r2 = REGIONS[0], REGIONS[1]
    a, b = BY_REGION[r1.code][:4], BY_REGION[r2.code][:2]

    def text(rows, stated):
        lines = ["Gemeente;Capaciteit;Bedrag;Saldo"] + [f"{g.naam};{n};;" for g, n in rows]
        return ("\n".join(lines + [f"Totaal {r1.naam};{stated};;", f"Totaal {r2.naam};{stated};;"]) + "\n").encode()

    first = text([(a[0], 1), (a[1], 2), (a[2], 4), (b[0], 8), (a[3], 16), (b[1], 32)], 23)
    second = text([(b[0], 1), (a[0], 2), (a[1], 4), (a[2], 8), (b[1], 16), (a[3], 32)], 23)
    third = text([(a[0], 1), (a[1], 2), (a[2], 4), (b[0], 8), (b[1], 16), (b[1], 32)], 23)
    for data in (first, second, third, first, second, third):
        assert_same_checks(data, False)
    table, meldingen = _read(second, False)
    table.check_totals()
    assert [m.rij for m in meldingen if m.code == "totaalrij_klopt_niet"] == [8, 9]  # 46 and 17, not 23
