"""Issue 16: the Nidos adapter's column-wise read (``b.add_column``) against its old row loop, kept in
``nidos_reference.py`` as the oracle.

Every file is read by ``NidosAdapter`` and by ``ReferenceNidosAdapter``; the two results must be the same: the
``realisaties`` table (with its metadata), the meldingen (code, text, file, sheet, row, column, value, in
order), the peildatum and the reconciliation counts. The files: the plugin's fuzz corpus (``plausible_files``),
files drawn here (CSV and XLSX; title rows, a ``Peildatum`` column, good, empty, bad and error cells, repeated
municipalities, totals and subtotal rows that do and do not add up, notes under the table, merged cells),
the sample files of ``test_nidos.py``, the real-export layouts of ``tests/test_real_exports.py`` and
``tests/test_real_export_cases.py`` and the generated national files of ``benchmarks/generate.py`` (which
must take the column path). ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.sources import kit
from opvangkern.testing import load_module, same_reading
from opvangkern.testing.fuzz import adapter_settings, csv_bytes, plausible_files, xlsx_bytes
from opvangkern_nidos import NidosAdapter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DIVISION = load_division("2026")
DIVISION_2027 = load_division("2027")


_load = load_module


REFERENCE = _load(HERE / "nidos_reference.py", "_nidos_reference").ReferenceNidosAdapter()
ADAPTER = NidosAdapter()


def read_both(data: bytes, bestand: str = "nidos.csv", **kw):
    """``data`` read by the adapter and by the oracle; asserts the two results are the same."""
    kw.setdefault("division", DIVISION)
    return same_reading(ADAPTER, REFERENCE, data, bestand, **kw)


# --- the fuzz corpus --------------------------------------------------------------------------------------

_samples = _load(HERE / "test_nidos.py", "_nidos_samples")


@adapter_settings()
@given(f=plausible_files(_samples.SPEC, DIVISION))
def test_fuzz_same_as_oracle(f):
    read_both(f.data, f.bestand)


# --- files drawn here -------------------------------------------------------------------------------------

_MUNICIPALITIES = ["Assen", "Emmen", "Wijdemeren", "GM1696", "Groningen", "Weesp", "Atlantis", "0106", "Hilversum",
                   "Gemeente Assen", ""]
_COUNTS = ["1", "20", "1.010", "0", "", "-", "n.v.t.", "12x", "-4", "2,5", "50%", "#N/A", "=A1", " 3 ",
           "9007199254740993"]
_TOTALS = ["Totaal", "Eindtotaal", "Totaal Drenthe", "Drenthe", "Fryslân", "Subtotaal"]
_NOTES = ["Bron: Nidos", "* voorlopige cijfers", "Toelichting", "De cijfers zijn afgerond op hele plekken."]


@st.composite
def nidos_files(draw) -> tuple[bytes, str, dict]:
    peil_column = draw(st.booleans())
    header = ["Gemeente", draw(st.sampled_from(["Plekken", "Aantal", "Kleinschalige opvangplekken",
                                                "Plekken (stand 31-12-2025)"]))]
    if peil_column:
        header.insert(0, "Peildatum")
    rows: list[list[str]] = []
    if draw(st.booleans()):
        rows += [["Nidos – kleinschalige opvang AMV"], [draw(st.sampled_from(["Peildatum: 31-12-2025",
                                                                            "Stand per 29 december 2025"]))], []]
    rows.append(header)
    for _ in range(draw(st.integers(0, 20))):
        kind = draw(st.sampled_from(["data"] * 6 + ["totaal", "leeg"]))
        if kind == "leeg":
            rows.append([])
            continue
        area = draw(st.sampled_from(_TOTALS if kind == "totaal" else _MUNICIPALITIES))
        row = [area, draw(st.sampled_from(_COUNTS))]
        if peil_column:
            row.insert(0, draw(st.sampled_from(["31-12-2025", "31-12-2025", "", "30-12-2025"])))
        rows.append(row)
    if draw(st.booleans()):
        rows += [[], [draw(st.sampled_from(_NOTES))]]
    kw = {"division": draw(st.sampled_from([DIVISION, DIVISION_2027]))}
    if draw(st.booleans()):
        kw["peildatum"] = dt.date(2025, 12, 31)
    if draw(st.integers(0, 2)) == 0:
        merged = []
        data_rows = [i for i, r in enumerate(rows) if len(r) == len(header) and r is not rows[-1]]
        if len(data_rows) >= 2 and draw(st.booleans()):
            first = data_rows[0] + 1  # a number merged over two rows counts once, in the first
            column = "ABC"[len(header) - 1]
            merged = [f"{column}{first}:{column}{first + 1}"]
        return xlsx_bytes(rows, merged=merged), "nidos.xlsx", kw
    return csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","]))), "nidos.csv", kw


@adapter_settings()
@given(nidos_files())
def test_drawn_files_same_as_oracle(drawn):
    data, bestand, kw = drawn
    read_both(data, bestand, **kw)


# --- the sample files, the real-export layouts, the generated national files ------------------------------

def test_sample_files_of_the_plugin_tests_same_as_oracle():
    rows = [["Nidos kleinschalige opvang"], ["Stand per 31 december 2025"], [], ["Gemeente", "Plekken"],
            ["Súdwest-Fryslân", "1.010"], ["Assen", "-"], ["Emmen", "n.v.t."], ["Meppel", "-3"],
            ["Hoogeveen", "2,5"], ["Coevorden", "veel"], ["Asen", "4"], ["Totaal", "1.010"]]
    result = read_both(csv_bytes(rows, encoding="cp1252"))
    assert [(r["gemeentecode"], r["aantal"]) for r in result.realisaties.to_pylist()] == [("GM1900", 1010)]
    read_both(xlsx_bytes(rows), "nidos.xlsx")
    read_both(csv_bytes([["Peildatum", "Gemeentecode", "Gemeente", "Kleinschalige opvangplekken"],
                         ["29-12-2025", "GM0106", "Assen", "33"], ["29-12-2025", "GM0114", "Emmen", "8"]],
                        delimiter=","))
    read_both(xlsx_bytes([["Nidos"], ["Peildatum", dt.date(2025, 12, 29)], [],
                          ["Gemeentecode", "Plekken"], [106, 33], ["0114", "8"], ["Totaal", 40]]), "nidos.xlsx")
    read_both(csv_bytes([["Gemeente", "Capaciteit"], ["Assen", "3"]]))  # no Plekken column: no table


def test_real_export_layouts_same_as_oracle(tmp_path):
    real = _load(ROOT / "tests" / "test_real_exports.py", "_nidos_real_exports")
    folder = real.write_dataset(tmp_path / "zeeland")
    data = (folder / "bronnen" / "nidos.xlsx").read_bytes()
    assert read_both(data, "bronnen/nidos.xlsx").realisaties.num_rows > 0
    rows = [["Nidos"], ["Peildatum: 31-12-2025"], ["Gemeente", "Plekken"],
            ["Leeuwarden", 10], ["Smallingerland", 4], ["Fryslân", 14],
            ["Maastricht", 6], ["Venlo", 3], ["Limburg", 10],
            [], ["Bron: Nidos, bewerking provincie"], ["* voorlopige cijfers"], ["Toelichting"],
            ["De cijfers zijn afgerond op hele plekken per gemeente."], ["", "zie ook de website"]]
    for data, bestand in ((xlsx_bytes(rows), "nidos.xlsx"), (csv_bytes(rows), "nidos.csv")):
        result = read_both(data, bestand)
        assert [m.rij for m in result.meldingen] == [9]  # Limburg's subtotal 10 is not 6 + 3


def test_generated_national_files_same_as_oracle_and_column_wise(tmp_path, monkeypatch):
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    files = sorted((tmp_path / "nl" / "bronnen").glob("nidos-*.csv"))
    assert len(files) == 2
    parts = []
    original = kit.RealisatieBuilder._add_counts

    def counted(self, *args):
        original(self, *args)
        parts.append(len(self._parts))

    monkeypatch.setattr(kit.RealisatieBuilder, "_add_counts", counted)
    for path in files:
        assert read_both(path.read_bytes(), path.name).realisaties.num_rows > 300
    assert parts == [1, 1]  # each file's column added at once, not row by row
