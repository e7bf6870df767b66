"""Issue 16: the KCIO adapter's loop (the region check made once per (region text, municipality) in a
division, shared by every file read in it) against the old row-by-row code, kept in ``kcio_reference.py``
as the oracle.

Every file is read by ``KcioAdapter`` and by ``ReferenceKcioAdapter``; the two results must be the same: the
``realisaties`` table (with its metadata), the meldingen (code, text, file, sheet, row, column, value, in
order), the peildatum and the reconciliation counts. Since issue 16's column-wise path (``b.add_column`` when no row gets a region warning) the same test
compares that path with the oracle too. The files: the plugin's fuzz corpus (``plausible_files``),
files drawn here whose ``Veiligheidsregio`` cells are right, wrong, codes, aliases, unknown, ambiguous or
empty, with repeated municipalities and subtotal rows, read in the divisions of 2026 and 2027 in turn (the
memo is per division, and every example reuses what the earlier ones left in it), the sample files of
``test_kcio.py``, the real-export workbook of ``tests/test_real_exports.py`` and the generated national files
of ``benchmarks/generate.py``. ``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from opvangkern.areas import load_division
from opvangkern.testing import load_module, same_reading
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, csv_bytes, plausible_files, xlsx_bytes
from opvangkern_kcio import KcioAdapter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DIVISION = load_division("2026")
DIVISION_2027 = load_division("2027")  # Wijdemeren (GM1696) part of Hilversum: other answers for the same texts


_load = load_module


REFERENCE = _load(HERE / "kcio_reference.py", "_kcio_reference").ReferenceKcioAdapter()
ADAPTER = KcioAdapter()


def read_both(data: bytes, bestand: str = "kcio.csv", **kw):
    """``data`` read by the adapter and by the oracle; asserts the two results are the same."""
    kw.setdefault("division", DIVISION)
    return same_reading(ADAPTER, REFERENCE, data, bestand, **kw)


# --- the fuzz corpus --------------------------------------------------------------------------------------

SPEC = FuzzSpec(
    [FuzzColumn("capaciteit", ["Capaciteit", "Plekken", "Gerealiseerde plekken", "Realisatie"]),
     FuzzColumn("bezetting", ["Bezetting"], required=False, total=False),
     FuzzColumn("veiligheidsregio", ["Veiligheidsregio", "Regio"], kind="text", required=False)],
    lambda v: [])


@adapter_settings()
@given(f=plausible_files(SPEC, DIVISION), maat=st.sampled_from(["capaciteit", "bezetting"]))
def test_fuzz_same_as_oracle(f, maat):
    read_both(f.data, f.bestand, maat=maat)


# --- region cells of every kind ---------------------------------------------------------------------------

_MUNICIPALITIES = ["Assen", "Emmen", "Wijdemeren", "Hilversum", "GM1696", "Groningen", "Weesp", "Atlantis", "0106"]
_REGIONS = ["Drenthe", "Gooi en Vechtstreek", "VR14", "vr3", "Groningen", "Veiligheidsregio Drenthe", "Utrecht",
            "Atlantis", "", "-", "Noord-Holland Noord", "14", "Totaal Drenthe", "Fryslân"]
_COUNTS = ["1", "20", "1.010", "0", "", "-", "12x", "-4", "2,5"]


@st.composite
def region_files(draw) -> tuple[bytes, str, dict]:
    header = [draw(st.sampled_from(["Veiligheidsregio", "Regio", "VR"])), "Gemeente", "Capaciteit", "Bezetting"]
    rows: list[list[str]] = [[draw(st.sampled_from(["Stand per 31 december 2025", "KCIO"]))], header]
    for _ in range(draw(st.integers(1, 20))):
        rows.append([draw(st.sampled_from(_REGIONS)), draw(st.sampled_from(_MUNICIPALITIES)),
                     draw(st.sampled_from(_COUNTS)), draw(st.sampled_from(_COUNTS))])
    if draw(st.booleans()):
        rows.append([draw(st.sampled_from(["Totaal", "Eindtotaal"])), "", draw(st.sampled_from(["21", "30"])), ""])
    kw = {"maat": draw(st.sampled_from(["capaciteit", "bezetting"])),
          "division": draw(st.sampled_from([DIVISION, DIVISION_2027]))}
    if draw(st.booleans()):
        return xlsx_bytes(rows), "kcio.xlsx", kw
    return csv_bytes(rows, delimiter=draw(st.sampled_from([";", ","]))), "kcio.csv", kw


@adapter_settings()
@given(region_files())
def test_region_cells_same_as_oracle(drawn):
    data, bestand, kw = drawn
    read_both(data, bestand, **kw)


def _moved_division(tmp_path):
    """The division of 2026 with Assen moved into safety region Groningen (and its province): the same
    (region text, municipality) pairs get other answers than in the shipped division."""
    import shutil

    from opvangkern.areas.division import Division

    folder = tmp_path / "verschoven"
    shutil.copytree(Path(DIVISION.folder), folder)
    table = folder / "gemeenten.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines = [("GM0106,Assen,PV20,Groningen,VR01,Groningen" if line.startswith("GM0106,") else line) for line in lines]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Division.from_folder(folder)


def test_the_same_file_in_two_divisions_keeps_each_divisions_answer(tmp_path):
    moved = _moved_division(tmp_path)
    rows = [["Veiligheidsregio", "Gemeente", "Capaciteit"], ["Drenthe", "Assen", "2"], ["Groningen", "Emmen", "1"],
            ["VR01", "Assen", "3"]]
    data = csv_bytes(rows)
    for _ in range(2):  # the second time every answer comes from the memo of its division
        shipped = read_both(data, division=DIVISION)
        other = read_both(data, division=moved)
        assert [(m.code, m.rij) for m in shipped.meldingen] == [
            ("veiligheidsregio_wijkt_af", 3), ("veiligheidsregio_wijkt_af", 4), ("dubbele_gemeente", 4)]
        assert [(m.code, m.rij) for m in other.meldingen] == [
            ("veiligheidsregio_wijkt_af", 2), ("veiligheidsregio_wijkt_af", 3), ("dubbele_gemeente", 4)]
        assert "Assen ligt in veiligheidsregio Groningen (VR01), niet in Drenthe (VR03)" == other.meldingen[0].melding


# --- the sample files, the real-export layouts, the generated national files ------------------------------

def test_sample_files_of_the_plugin_tests_same_as_oracle():
    samples = _load(HERE / "test_kcio.py", "_kcio_samples")
    for maat in ("capaciteit", "bezetting"):
        read_both(csv_bytes(samples.SAMPLE), maat=maat)
        read_both(xlsx_bytes(samples.SAMPLE), "kcio.xlsx", maat=maat)


def test_real_export_workbook_same_as_oracle(tmp_path):
    real = _load(ROOT / "tests" / "test_real_exports.py", "_kcio_real_exports")
    folder = real.write_dataset(tmp_path / "zeeland")
    data = (folder / "bronnen" / "kcio.xlsx").read_bytes()
    for maat in ("capaciteit", "bezetting"):
        read_both(data, "bronnen/kcio.xlsx", maat=maat)
    assert read_both(data, "bronnen/kcio.xlsx").realisaties.num_rows > 0


def test_generated_national_files_same_as_oracle(tmp_path, monkeypatch):
    generate = load_module(ROOT / "benchmarks" / "generate.py", "generate")
    generate.generate(tmp_path / "nl", snapshots=2)
    files = sorted((tmp_path / "nl" / "bronnen").glob("kcio-*.csv"))
    assert len(files) == 2
    from opvangkern.sources import kit

    parts = []
    original = kit.RealisatieBuilder._add_counts

    def counted(self, *args):
        original(self, *args)
        parts.append(len(self._parts))

    monkeypatch.setattr(kit.RealisatieBuilder, "_add_counts", counted)  # issue 16: the column path is taken
    for path in files:
        assert read_both(path.read_bytes(), path.name).realisaties.num_rows > 300
    assert parts == [1, 1]  # each file's count column added at once (its region cells all right)
