"""Issue 16: the long layout column-wise (``CoaAdapter._long_columns``) against the row-by-row loop it
replaces where it can (``_long_rows``, the code as it was, kept verbatim as the fallback and the oracle) and
against the pre-issue-16 adapter (``coa_reference.py``).

Every file is read by the adapter, by the adapter with the column-wise path switched off, and by the old
adapter, with the fast scan and inside ``fastscan.careful()`` (where the column-wise path never applies); all
results must be the same: the ``realisaties`` table (with its metadata), the meldingen (code, text, file,
sheet, row, column, value, in order), the peildatum and the reconciliation counts. The files: long files
drawn here to take the column-wise path (COA's own words, skipped types, ``waarden`` onto every target and
onto ``overslaan``, empty counts, locations repeated in other spellings and other categories, empty location
names, totals rows) with now and then what sends a file back to the loop (an unknown or empty Opvangvorm, a
bad count), CSV or XLSX; the fuzz corpus of the long layout and the generated national files. A test checks
that the column-wise path is taken where it should be. ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.reading import fastscan
from opvangkern.sources.adapter import Source
from opvangkern.testing import load_module
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, csv_bytes, plausible_files, xlsx_bytes
from opvangkern_coa import CoaAdapter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DIVISION = load_division()


_load = load_module


class RowsOnly(CoaAdapter):
    """The adapter with its column-wise path switched off: every long file through ``_long_rows``."""

    def _long_columns(self, b, table, key, categories) -> bool:
        return False


class Counting(CoaAdapter):
    """The adapter, counting how often the column-wise path read a file."""

    taken = 0

    def _long_columns(self, b, table, key, categories) -> bool:
        done = super()._long_columns(b, table, key, categories)
        Counting.taken += done
        return done


NEW, ROWS = Counting(), RowsOnly()
OLD = _load(HERE / "coa_reference.py", "_coa_reference_loops").ReferenceCoaAdapter()


def assert_same(a, b) -> None:
    assert a.realisaties.equals(b.realisaties, check_metadata=True), (a.realisaties.to_pylist(), b.realisaties.to_pylist())
    assert list(a.meldingen) == list(b.meldingen)
    assert a.peildatum == b.peildatum
    assert a.stats == b.stats


def read_all(data: bytes, bestand: str = "coa.csv", **kw):
    """``data`` read by the adapter, the row-by-row loop and the old adapter, with the fast scan and with the
    careful scan; asserts all agree and returns the adapter's result."""
    kw.setdefault("division", DIVISION)

    def read(adapter):
        return adapter.read(Source(io.BytesIO(data), bestand, **kw))

    new = read(NEW)
    assert_same(new, read(ROWS))
    assert_same(new, read(OLD))
    with fastscan.careful():
        careful = read(NEW)
        assert_same(careful, read(ROWS))
        assert_same(careful, read(OLD))
    return new


# --- long files drawn to take the column-wise path ------------------------------------------------------------

_AREAS = ["Assen", "Emmen", "0106", "GM0114", "Aa en Hunze", "Groningen", "Westerveld", "Meppel"]
_LOCATIONS = ["AZC Assen", "azc  assen", "AZC ASSEN ", "NOL Emmen", "KWV 1", "kwv-1", "Paviljoen", "Boot", "",
              "Locatie 7", "Locatie 8", "Locatie 9"]
_KNOWN = ["regulier", "Reguliere opvang", "NO", "noodopvang", "TGO", "Tijdelijke gemeentelijke opvang", "AMV", "azc",
          "AZC", "NOL", "kwv", "Kleinschalige woonvoorziening", "Kleinschalige noodopvang", "crisisnoodopvang", "GOO",
          "Regulier "]
_MAPPED = ["hotelboot", "Paviljoen"]  # known only through waarden
_BACK = ["onbekend type", ""]  # an unknown or empty Opvangvorm: the loop
_COUNTS = ["1", "20", "1.010", "0", "", "-", "n.v.t.", "300", "7"]
_BAD_COUNTS = ["12x", "-4", "2,5", "45%"]
_WAARDEN = st.dictionaries(st.sampled_from(["hotelboot", "Paviljoen", "AZC", "GOO", "kwv"]),
                           st.sampled_from(["regulier", "noodopvang", "tgo", "amv", "overslaan"]), max_size=3)


@st.composite
def long_files(draw) -> tuple[bytes, str, dict]:
    header = ["Gemeente", "Locatie", draw(st.sampled_from(["Opvangvorm", "Type locatie", "Soort opvang"])),
              "Capaciteit", "Bezetting"]
    if draw(st.integers(0, 4)) == 0:
        header.remove("Locatie")
    if draw(st.integers(0, 4)) == 0:
        header.remove("Bezetting")
    header = draw(st.permutations(header))
    waarden = draw(_WAARDEN)
    vormen = _KNOWN + [v for v in _MAPPED if v in waarden]
    back = draw(st.integers(0, 5)) == 0  # now and then a file for the loop
    rows: list[list] = []
    if draw(st.booleans()):
        rows += [["COA per locatie"], [draw(st.sampled_from(["Peildatum: 31-12-2025", "Stand 1 januari 2026", ""]))]]
    rows.append(header)
    xlsx = draw(st.integers(0, 3)) == 0
    for _ in range(draw(st.integers(0, 30))):
        vorm = draw(st.sampled_from(vormen + (_BACK if back else [])))
        counts = _COUNTS + (_BAD_COUNTS if back else [])
        cells = {"Gemeente": draw(st.sampled_from(_AREAS)), "Locatie": draw(st.sampled_from(_LOCATIONS)),
                 "Capaciteit": draw(st.sampled_from(counts)), "Bezetting": draw(st.sampled_from(counts))}
        row = [cells.get(h, vorm) for h in header]
        if xlsx and draw(st.booleans()):
            row = [int(c) if c.isdigit() else c for c in row]
        rows.append(row)
    if draw(st.booleans()):
        pos = header.index("Capaciteit")
        rows.append(["Totaal" if i == 0 else (draw(st.sampled_from(["21", "1.030", "0"])) if i == pos else "")
                     for i in range(len(header))])
    if draw(st.booleans()):
        rows += [[], ["Bron: COA"]]
    kw = {"maat": draw(st.sampled_from(["capaciteit", "bezetting"])), "waarden": waarden}
    if xlsx:
        return xlsx_bytes(rows), "coa.xlsx", kw
    return csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","]))), "coa.csv", kw


@adapter_settings()
@given(long_files())
def test_long_files_same_as_the_loop_and_the_old_adapter(drawn):
    data, bestand, kw = drawn
    read_all(data, bestand, **kw)


LONG_SPEC = FuzzSpec(
    [FuzzColumn("locatie", ["Locatie", "Locatienaam"], kind="text", required=False),
     FuzzColumn("opvangvorm", ["Opvangvorm", "Soort opvang", "Type"], kind="choice", choices=_KNOWN),
     FuzzColumn("capaciteit", ["Capaciteit", "Plekken"]),
     FuzzColumn("bezetting", ["Bezetting"], required=False, total=False)],
    lambda v: [])


@adapter_settings()
@given(f=plausible_files(LONG_SPEC, DIVISION), maat=st.sampled_from(["capaciteit", "bezetting"]), waarden=_WAARDEN)
def test_fuzz_long_same_as_the_loop_and_the_old_adapter(f, maat, waarden):
    read_all(f.data, f.bestand, maat=maat, waarden=waarden)


# --- the path taken, and what it gives ------------------------------------------------------------------------

def _taken(data: bytes, bestand: str = "coa.csv", **kw) -> tuple[int, object]:
    before = Counting.taken
    result = read_all(data, bestand, **kw)
    NEW.read(Source(io.BytesIO(data), bestand, division=DIVISION, **kw))
    return Counting.taken - before, result


def test_a_clean_long_file_is_read_column_wise_with_its_warnings():
    rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
            ["Assen", "AZC Assen", "azc", "10"], ["Assen", "azc  ASSEN", "regulier", "10"],
            ["Assen", "GOO Assen", "GOO", "4"], ["Assen", "AZC Assen", "AZC", "3"], ["Assen", "AZC Assen", "kwv", "2"],
            ["Emmen", "AZC Assen", "azc", "1"], ["Emmen", "", "azc", "5"], ["Emmen", "", "azc", "6"],
            ["Emmen", "Boot", "hotelboot", "-"], ["Emmen", "Boot", "hotelboot", "8"]]
    taken, result = _taken(csv_bytes(rows), waarden={"hotelboot": "noodopvang"})
    assert taken == 2  # read_all's fast read and the one after it; the careful reads take the loop
    # rows 3 and 5 repeat row 2's location (other spelling, the same category), row 11 repeats nothing counted
    assert [(m.code, m.rij) for m in result.meldingen] == [("locatie_dubbel", 3), ("locatie_dubbel", 5)]
    assert [(r["rij"], r["categorie"], r["aantal"]) for r in result.realisaties.to_pylist()] == [
        (2, "regulier", 10), (3, "regulier", 10), (5, "regulier", 3), (6, None, 2), (7, "regulier", 1),
        (8, "regulier", 5), (9, "regulier", 6), (11, "noodopvang", 8)]
    assert result.stats.rijen_overgeslagen == 1  # the GOO row (the row without a count is read, as before)
    assert result.stats.rijen_gebruikt == 10 - 1
    assert result.stats.som == 10 + 10 + 3 + 2 + 1 + 5 + 6 + 8


def test_an_empty_count_and_a_repeated_location_are_said_in_row_order():
    # found by the differential test (ninth session): the column-wise path said every empty count before any
    # repeated location, the loop says them as it meets them
    rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"],
            ["Assen", "AZC Assen", "regulier", "", "4"], ["Assen", "AZC Assen", "regulier", "1", "1"],
            ["Assen", "AZC Assen", "regulier", "1", "1"], ["Emmen", "NOL Emmen", "NOL", "", "9"]]
    taken, result = _taken(csv_bytes(rows))
    assert taken == 2
    assert [(m.code, m.rij) for m in result.meldingen] == [
        ("locatie_zonder_aantal", 2), ("locatie_dubbel", 4), ("locatie_zonder_aantal", 5)]


@pytest.mark.parametrize("cell", ["12x", "-4", "onbekend type", ""])
def test_a_melding_in_the_loop_sends_the_file_back_to_the_loop(cell):
    rows = [["Gemeente", "Opvangvorm", "Capaciteit"], ["Assen", "azc", "10"], ["Emmen", "azc", "10"]]
    rows[2][2 if cell in ("12x", "-4") else 1] = cell
    taken, result = _taken(csv_bytes(rows))
    assert taken == 0
    assert [m.rij for m in result.meldingen] == [3]


def test_every_row_skipped_reads_no_count_and_checks_no_total():
    rows = [["Gemeente", "Opvangvorm", "Capaciteit"], ["Assen", "GOO", "10"], ["Emmen", "crisisnoodopvang", "10"],
            ["Totaal", "", "999"]]
    taken, result = _taken(csv_bytes(rows))
    assert taken == 2 and not result.meldingen  # the count column is never read: its total is not checked
    assert result.realisaties.num_rows == 0 and result.stats.rijen_overgeslagen == 2


def test_a_totals_row_is_checked_after_the_column_wise_read():
    rows = [["Gemeente", "Opvangvorm", "Capaciteit"], ["Assen", "azc", "10"], ["Emmen", "GOO", "7"],
            ["Emmen", "NOL", "5"], ["Totaal", "", "16"]]
    taken, result = _taken(csv_bytes(rows))
    assert taken == 2
    assert [(m.code, m.rij) for m in result.meldingen] == [("totaalrij_klopt_niet", 5)]  # 10 + 5 = 15, not 16


def test_generated_national_files_are_read_column_wise(tmp_path):
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    files = sorted((tmp_path / "nl" / "bronnen").glob("coa-*.csv"))
    assert len(files) == 2
    for path in files:
        for maat in ("capaciteit", "bezetting"):
            taken, result = _taken(path.read_bytes(), path.name, maat=maat)
            assert taken == 2 and result.realisaties.num_rows > 300
