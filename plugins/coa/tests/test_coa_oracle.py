"""Issue 16: the COA adapter's loops (an Opvangvorm worked out once per distinct text, the duplicate-location
check inline) against the old row-by-row code, kept in ``coa_reference.py`` as the oracle.

Every file is read by ``CoaAdapter`` and by ``ReferenceCoaAdapter``; the two results must be the same: the
``realisaties`` table (with its metadata), the meldingen (code, text, file, sheet, row, column, value, in
order), the peildatum and the reconciliation counts. The files: the fuzz corpus of the wide and long layouts
(``plausible_files``), long files drawn here to stress the per-value memo and the duplicate check (few
locations and Opvangvorm texts, repeated; COA's own words, skipped types, unknown and empty values, ``waarden``
onto every target, junk counts, unknown municipalities; CSV or XLSX), the sample files of ``test_coa.py``,
the real-export workbook of ``tests/test_real_exports.py`` (with and without its ``waarden``) and the
generated national files of ``benchmarks/generate.py``. ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.testing import load_module, same_reading
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, csv_bytes, plausible_files, xlsx_bytes
from opvangkern_coa import CoaAdapter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DIVISION = load_division()


_load = load_module


REFERENCE = _load(HERE / "coa_reference.py", "_coa_reference").ReferenceCoaAdapter()
ADAPTER = CoaAdapter()


def read_both(data: bytes, bestand: str = "coa.csv", **kw):
    """``data`` read by the adapter and by the oracle; asserts the two results are the same."""
    kw.setdefault("division", DIVISION)
    return same_reading(ADAPTER, REFERENCE, data, bestand, **kw)


# --- the fuzz corpus --------------------------------------------------------------------------------------

_VORMEN = ["regulier", "Reguliere opvang", "NO", "noodopvang", "TGO", "Tijdelijke gemeentelijke opvang", "AMV",
           "azc", "NOL", "kwv", "kleinschalige woonvoorziening", "crisisnoodopvang", "GOO", "hotelboot"]
WIDE_SPEC = FuzzSpec(
    [FuzzColumn("regulier", ["Regulier", "Reguliere opvang", "REGULIER"]),
     FuzzColumn("noodopvang", ["Noodopvang", "NO", "no"], required=False),
     FuzzColumn("tgo", ["TGO", "Tijdelijke gemeentelijke opvang"], required=False),
     FuzzColumn("amv", ["AMV", "Opvang AMV"], required=False),
     FuzzColumn("totaal", ["Totaal", "Totaal plekken"], required=False, total=False)],
    lambda v: [], extra_columns=("Opmerking", "No.", "Nr.", "Provincie"))
LONG_SPEC = FuzzSpec(
    [FuzzColumn("locatie", ["Locatie", "Locatienaam"], kind="text", required=False),
     FuzzColumn("opvangvorm", ["Opvangvorm", "Soort opvang", "Type"], kind="choice", choices=_VORMEN),
     FuzzColumn("capaciteit", ["Capaciteit", "Plekken"]),
     FuzzColumn("bezetting", ["Bezetting"], required=False, total=False)],
    lambda v: [])
_WAARDEN = st.dictionaries(st.sampled_from(["hotelboot", "Paviljoen", "AZC", "GOO", "Assen", "kwv"]),
                           st.sampled_from(["regulier", "noodopvang", "tgo", "amv", "overslaan", "Emmen", "onzin"]),
                           max_size=3)


@adapter_settings()
@given(f=plausible_files(WIDE_SPEC, DIVISION), maat=st.sampled_from(["capaciteit", "bezetting"]))
def test_fuzz_wide_same_as_oracle(f, maat):
    read_both(f.data, f.bestand, maat=maat)


@adapter_settings()
@given(f=plausible_files(LONG_SPEC, DIVISION), maat=st.sampled_from(["capaciteit", "bezetting"]),
       waarden=_WAARDEN)
def test_fuzz_long_same_as_oracle(f, maat, waarden):
    read_both(f.data, f.bestand, maat=maat, waarden=waarden)


# --- long files that repeat locations and Opvangvorm texts ------------------------------------------------

_AREAS = ["Assen", "Emmen", "0106", "GM0114", "Aa en Hunze", "Groningen", "Atlantis", "", "Totaal"]
_LOCATIONS = ["AZC Assen", "azc  assen", "AZC ASSEN ", "NOL Emmen", "KWV 1", "", "Paviljoen"]
_TEXTS = [*_VORMEN, "AZC", "Paviljoen", "", "Regulier ", "n.v.t.", "Kleinschalige noodopvang", "GOO "]
_COUNTS = ["1", "20", "1.010", "0", "", "-", "n.v.t.", "12x", "-4", "2,5", "45%"]


@st.composite
def repeating_long_files(draw) -> tuple[bytes, str, dict]:
    header = ["Gemeente", "Locatie", draw(st.sampled_from(["Opvangvorm", "Type locatie"])), "Capaciteit", "Bezetting"]
    if draw(st.booleans()):
        header.remove("Locatie")
    rows: list[list[str]] = [["COA per locatie"], [draw(st.sampled_from(["Peildatum: 31-12-2025", ""]))], header]
    for _ in range(draw(st.integers(1, 25))):
        cells = {"Gemeente": draw(st.sampled_from(_AREAS)), "Locatie": draw(st.sampled_from(_LOCATIONS)),
                 "Capaciteit": draw(st.sampled_from(_COUNTS)), "Bezetting": draw(st.sampled_from(_COUNTS))}
        vorm = draw(st.sampled_from(_TEXTS))
        rows.append([cells.get(h, vorm) for h in header])
    if draw(st.booleans()):
        rows.append(["Totaal", *[""] * (len(header) - 2), draw(st.sampled_from(["21", "1.030"]))])
    kw = {"maat": draw(st.sampled_from(["capaciteit", "bezetting"])), "waarden": draw(_WAARDEN)}
    if draw(st.booleans()):
        return xlsx_bytes(rows), "coa.xlsx", kw
    return csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","]))), "coa.csv", kw


@adapter_settings()
@given(repeating_long_files())
def test_repeating_long_files_same_as_oracle(drawn):
    data, bestand, kw = drawn
    read_both(data, bestand, **kw)


def test_a_repeated_location_still_warns_once_per_repeat():
    rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
            ["Assen", "AZC Assen", "azc", "10"], ["Assen", "azc  ASSEN", "regulier", "10"],
            ["Assen", "AZC Assen", "AZC", "3"], ["Assen", "AZC Assen", "kwv", "2"], ["Emmen", "AZC Assen", "azc", "1"]]
    result = read_both(csv_bytes(rows))
    assert [(m.code, m.rij) for m in result.meldingen] == [("locatie_dubbel", 3), ("locatie_dubbel", 4)]
    assert result.realisaties.column("aantal").to_pylist() == [10, 10, 3, 2, 1]


# --- the sample files, the real-export layouts, the generated national files ------------------------------

def test_sample_files_of_the_plugin_tests_same_as_oracle():
    samples = _load(HERE / "test_coa.py", "_coa_samples")
    for rows in (samples.LONG, samples.WIDE):
        for maat in ("capaciteit", "bezetting"):
            read_both(csv_bytes(rows), maat=maat)
            read_both(xlsx_bytes(rows), "coa.xlsx", maat=maat)


def test_real_export_workbook_same_as_oracle(tmp_path):
    real = _load(ROOT / "tests" / "test_real_exports.py", "_coa_real_exports")
    folder = real.write_dataset(tmp_path / "zeeland")
    data = (folder / "bronnen" / "coa.xlsx").read_bytes()
    for waarden in ({}, {"Paviljoen": "noodopvang", "Hotelboot": "overslaan"}):
        for maat in ("capaciteit", "bezetting"):
            result = read_both(data, "bronnen/coa.xlsx", maat=maat, waarden=waarden)
            assert result.realisaties.num_rows > 0


def test_generated_national_files_same_as_oracle(tmp_path):
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    files = sorted((tmp_path / "nl" / "bronnen").glob("coa-*.csv"))
    assert len(files) == 2
    for path in files:
        assert read_both(path.read_bytes(), path.name).realisaties.num_rows > 300


def test_waarden_win_over_coas_words_and_the_skipped_types():
    rows = [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
            ["Assen", "GOO Assen", "GOO", "5"], ["Assen", "Boot", "hotelboot", "6"], ["Emmen", "AZC", "azc", "7"],
            ["Emmen", "AZC 2", "AZC", "8"], ["Emmen", "Crisis", "crisisnoodopvang", "9"], ["Emmen", "X", "NOL", "1"]]
    waarden = {"GOO": "regulier", "hotelboot": "overslaan", "azc": "noodopvang"}
    result = read_both(csv_bytes(rows), waarden=waarden)
    assert [(r["rij"], r["categorie"], r["aantal"]) for r in result.realisaties.to_pylist()] == [
        (2, "regulier", 5), (4, "noodopvang", 7), (5, "noodopvang", 8), (7, "noodopvang", 1)]
    assert not result.meldingen and result.stats.rijen_overgeslagen == 2
