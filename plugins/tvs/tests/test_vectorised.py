"""Issue 16: the TVS adapter's identities and target line, computed once per distinct set of cells
(``_Checks``, ``_target_line_from``), against the adapter as it read every row cell by cell before
(``TvsAdapterReference``, the oracle).

Both read the same file and must give the same result: the ``realisaties`` table, the contributed
``opgaven`` (the housing line), the meldingen (codes, texts, locations, order), the peildatum and the
reconciliation counts; with the fast scan of regular CSV files and with the careful scan. The files: the
plugin's fuzz corpus (``plausible_files``, with junk in the checked columns too), random TVS exports drawn
here (identities that hold or not, bad cells, ``-`` and empty cells, negative targets, a municipality in two
rows, several periods, totals rows, CSV and XLSX with typed cells), the layouts of the real exports, the
sample's monthly files and the generated national weeks. ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.reading import fastscan
from opvangkern.sources.adapter import Source
from opvangkern.testing import assert_same_result, load_module
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, csv_bytes, plausible_files, xlsx_bytes
from opvangkern_tvs import TvsAdapter

ROOT = Path(__file__).resolve().parents[3]
TvsAdapterReference = load_module(Path(__file__).parent / "tvs_reference.py", "_tvs_reference").TvsAdapterReference
DIVISION = load_division()
NEW, REFERENCE = TvsAdapter(), TvsAdapterReference()
PEIL = dt.date(2025, 12, 31)


assert_same = assert_same_result


def read_both(data: bytes, bestand: str = "tvs.csv", **kw):
    """The new and the reference adapter on ``data``, with the fast scan and with the careful scan only:
    asserts all four agree; returns the new adapter's result."""
    def read(adapter):
        return adapter.read(Source(io.BytesIO(data), bestand, division=DIVISION, **kw))

    new = read(NEW)
    assert_same(new, read(REFERENCE))
    with fastscan.careful():
        careful = read(NEW)
        assert_same(careful, read(REFERENCE))
    return new


# --- the fuzz corpus -------------------------------------------------------------------------------------------

SPEC = FuzzSpec(
    [FuzzColumn("gerealiseerd", ["Gerealiseerd", "Realisatie", "Gehuisvest"]),
     FuzzColumn("periode", ["Periode"], kind="choice", choices=["2025-II", "2e helft 2025"], required=False,
                junk=False, total=False),
     FuzzColumn("taakstelling", ["Taakstelling", "Taakstelling periode"], kind="signed", required=False, junk=False),
     FuzzColumn("achterstand", ["Achterstand", "Achterstand begin periode", "Achterstand/voorsprong"],
                kind="signed", required=False, junk=False, total=False),
     FuzzColumn("gecorrigeerd", ["Gecorrigeerde taakstelling"], kind="signed", required=False, junk=False),
     FuzzColumn("nog", ["Nog te realiseren"], kind="signed", required=False, junk=False, total=False)],
    lambda v: [],
)


@adapter_settings()
@given(f=plausible_files(SPEC, DIVISION), peildatum=st.sampled_from([PEIL, None, dt.date(2026, 3, 31)]))
def test_fuzz_corpus_same_as_reference(f, peildatum):
    read_both(f.data, f.bestand, peildatum=peildatum)


# --- random TVS exports ----------------------------------------------------------------------------------------

POOL = ["Assen", "Emmen", "Aa en Hunze", "Westerveld", "Meppel", "Tynaarlo", "GM0106", "Atlantis"]
BAD = ["veel", "1,5", "45%", "#N/A", "-", "n.v.t.", "", "12a", "99999999999999999999", "−7", "1.010"]
HEADERS = {"taakstelling": ["Taakstelling", "Taakstelling 2025-II", "Taakstelling tweede helft 2025"],
           "achterstand": ["Achterstand begin periode", "Achterstand per 1-7-2025", "Achterstand/voorsprong"],
           "gecorrigeerd": ["Gecorrigeerde taakstelling", "Gecorrigeerde taakstelling 2025-II"],
           "gerealiseerd": ["Gerealiseerd", "Gehuisvest t/m 31-12-2025", "Realisatie"],
           "nog": ["Nog te realiseren"]}


@st.composite
def exports(draw):
    xlsx = draw(st.booleans())
    keys = ["gerealiseerd", *draw(st.lists(st.sampled_from(["taakstelling", "achterstand", "gecorrigeerd", "nog"]),
                                           unique=True))]
    keys = draw(st.permutations(keys))
    periode = draw(st.booleans())
    header = ["Gemeente", *(["Periode"] if periode else []), *(draw(st.sampled_from(HEADERS[k])) for k in keys)]
    rows = []
    if draw(st.booleans()):
        rows.append([draw(st.sampled_from(["Taakstelling vergunninghouders 2025-II", "Stand per 31 december 2025",
                                           "Overzicht TVS"]))])
        rows.append([])
    rows.append(header)
    sums = dict.fromkeys(keys, 0)
    for _ in range(draw(st.integers(1, 12))):
        t, b, g = draw(st.integers(-5, 90)), draw(st.integers(-30, 60)), draw(st.integers(0, 120))
        values = {"taakstelling": t, "achterstand": b, "gecorrigeerd": t + b + draw(st.sampled_from([0, 0, 0, 1])),
                  "gerealiseerd": g}
        values["nog"] = values["gecorrigeerd"] - g + draw(st.sampled_from([0, 0, 0, -2]))
        cells = []
        for k in keys:
            v = values[k]
            sums[k] += v
            mode = draw(st.integers(0, 12))
            if mode == 0:
                cells.append(draw(st.sampled_from(BAD)))
            elif mode == 1 and not xlsx:
                cells.append(f"{v},5")
            else:
                cells.append(v if xlsx and draw(st.booleans()) else str(v))
        row = [draw(st.sampled_from(POOL))]
        if periode:
            row.append(draw(st.sampled_from(["2025-II", "2025-II", "2025-II", "2025-I", "2e helft 2025", "ergens"])))
        rows.append(row + cells)
    if draw(st.booleans()):
        rows.append(["Totaal", *([""] if periode else []),
                     *(str(sums[k] + draw(st.sampled_from([0, 0, 3]))) for k in keys)])
    if draw(st.booleans()):
        rows += [[], ["Bron: COA"]]
    data = xlsx_bytes(rows, "TVS") if xlsx else csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","])))
    peildatum = draw(st.sampled_from([PEIL, None, dt.date(2025, 6, 30), dt.date(2026, 1, 1)]))
    return data, "tvs.xlsx" if xlsx else "tvs.csv", peildatum


@adapter_settings()
@given(exports())
def test_random_exports_same_as_reference(drawn):
    data, bestand, peildatum = drawn
    read_both(data, bestand, peildatum=peildatum)


def test_identities_and_line_by_plain_arithmetic():
    """The shared cells of two rows are read once, their meldingen still land on each row: Assen and Emmen
    have the same figures (27 + 34 ≠ 62), the line sums both."""
    header = ["Gemeente", "Periode", "Taakstelling", "Achterstand begin periode", "Gecorrigeerde taakstelling",
              "Gerealiseerd", "Nog te realiseren"]
    rows = [header, ["Assen", "2025-II", "27", "34", "62", "30", "32"], ["Emmen", "2025-II", "27", "34", "62", "30", "32"],
            ["Meppel", "2025-II", "10", "veel", "15", "3", "12"]]
    result = read_both(csv_bytes(rows), peildatum=PEIL)
    assert [(m.code, m.rij, m.kolom) for m in result.meldingen] == [
        ("tvs_som_klopt_niet", 2, "Gecorrigeerde taakstelling"), ("tvs_som_klopt_niet", 3, "Gecorrigeerde taakstelling"),
        ("geen_getal", 4, "Achterstand begin periode"), ("tvs_opgavelijn_onvolledig", 4, "Achterstand begin periode")]
    points = {(r["gebied_code"], r["ingangsdatum"]): r["aantal"] for r in result.opgaven.to_pylist()}
    assert points == {("GM0106", dt.date(2025, 7, 1)): 34.0, ("GM0106", dt.date(2026, 1, 1)): 62.0,
                      ("GM0114", dt.date(2025, 7, 1)): 34.0, ("GM0114", dt.date(2026, 1, 1)): 62.0}


# --- the layouts of real exports -------------------------------------------------------------------------------

def _module(name: str):
    return load_module(ROOT / "tests" / f"{name}.py", f"_{name}_for_tvs")


def test_real_export_layouts_same_as_reference():
    real = _module("test_real_exports")
    rows = real.tvs_rows()
    for peildatum in (None, PEIL, dt.date(2026, 1, 1)):
        read_both(xlsx_bytes(rows, "TVS"), "tvs.xlsx", peildatum=peildatum)
        as_text = [["" if c is None else str(c) for c in r] for r in rows]
        read_both(csv_bytes(as_text), "tvs.csv", peildatum=peildatum)
    cases = _module("test_real_export_cases")
    read_both(csv_bytes(cases.TVS_PCT), "tvs.csv", peildatum=PEIL)
    layouts = [
        [["Gemeente", "Realisatie (%)", "Gehuisvest"], ["Assen", 92, 80], ["Emmen", 69, 115]],
        [["TVS"], ["Stand per 1 januari 2026"], ["Gemeente", "Periode", "Gerealiseerd"], ["Assen", "2025-II", 80]],
        [["Gemeente", "Periode", "Taakstelling", "Achterstand", "Gehuisvest"], ["Assen", "2025-I", 30, 20, 44],
         ["Emmen", "2025-I", 60, 10, 70], ["Assen", "2025-II", 39, 6, 30], ["Emmen", "2025-II", 74, 0, 50]],
        [["Taakstelling vergunninghouders 2025-II"], [], ["Gemeente", "Taakstelling", "Achterstand", "Gehuisvest"],
         ["Assen", 39, 48, 80], ["Emmen", 74, -5, 115], ["Emmen", 1, 2, 3]],
        [["Gemeente", "Taakstelling", "Achterstand per 1-1-2026", "Gehuisvest"], ["Assen", 40, 10, 5]],
        [["Gemeente", "Taakstelling 2025-II", "Gecorrigeerde taakstelling 2025-II", "Gehuisvest"],
         ["Assen", 39, 87, 80], ["Emmen", 74, 166, 115]],
    ]
    for rows in layouts:
        for peildatum in (None, PEIL, dt.date(2026, 3, 31)):
            read_both(xlsx_bytes(rows, "TVS"), "tvs.xlsx", peildatum=peildatum)
            read_both(csv_bytes(rows), "tvs.csv", peildatum=peildatum)


def test_sample_and_fixture_files_same_as_reference():
    files = sorted((ROOT / "src/opvangkern/sample").rglob("tvs-*.csv")) + sorted((ROOT / "tests/fixtures").rglob("tvs*.csv"))
    assert len(files) >= 7
    for path in files:
        read_both(path.read_bytes(), path.name, peildatum=None)


def test_generated_national_weeks_same_as_reference(tmp_path):
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    files = sorted((tmp_path / "nl" / "bronnen").glob("tvs-*.csv"))
    assert len(files) == 2
    for path in files:
        result = read_both(path.read_bytes(), path.name, peildatum=dt.date.fromisoformat(path.stem[4:]))
        assert result.opgaven.num_rows == 2 * result.realisaties.num_rows  # two points per municipality
