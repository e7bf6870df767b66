"""The KCIO adapter: layout, regional subtotals, occupancy, and a fuzz test."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import given

from opvangkern.model import Severity
from opvangkern.sources.adapter import Source
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, check_adapter_result, csv_bytes, \
    plausible_files, xlsx_bytes
from opvangkern.sources.manager import adapters, new_plugin_manager
from opvangkern_kcio import KcioAdapter

ADAPTER = KcioAdapter()

SAMPLE = [["Stand per 31 december 2025"], [],
          ["Veiligheidsregio", "Gemeente", "Gerealiseerde plekken", "Bezetting"],
          ["Drenthe", "Aa en Hunze", "430", "377"],
          ["Drenthe", "Assen", "819", "717"],
          ["Drenthe", "Emmen", "1.004", "879"],
          ["Totaal Drenthe", "", "2.253", ""],
          ["Groningen", "Groningen", "2.000", "1.900"],
          ["Veiligheidsregio Groningen", "", "2.000", "1.900"],
          ["Eindtotaal", "", "4.253", "3.873"]]


def read(data: bytes, name: str = "kcio.csv", **kw):
    return ADAPTER.read(Source(io.BytesIO(data), name, **kw))


def figures(result):
    return [(r["gemeentecode"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()]


def test_registered():
    assert isinstance(adapters(new_plugin_manager())["kcio"], KcioAdapter)


def test_sample_with_subtotals_bom_and_comma():
    result = read(csv_bytes(SAMPLE, delimiter=",", encoding="utf-8-sig", quote_all=True))
    assert figures(result) == [("GM1680", 430, 4), ("GM0106", 819, 5), ("GM0114", 1004, 6), ("GM0014", 2000, 8)]
    assert result.peildatum == dt.date(2025, 12, 31)
    assert not result.meldingen
    assert set(result.realisaties.column("opgave").to_pylist()) == {"oekraine"}


def test_wrong_subtotal_is_a_warning_on_its_row():
    rows = [list(r) for r in SAMPLE]
    rows[6][2] = "2.254"
    result = read(csv_bytes(rows))
    [m] = result.meldingen
    assert (m.ernst, m.rij, m.kolom, m.waarde) == (Severity.WAARSCHUWING, 7, "Gerealiseerde plekken", "2.254")
    assert "Drenthe" in m.melding and "2.253" in m.melding
    assert len(figures(result)) == 4


def test_subtotal_above_its_rows_and_unnamed_total_with_region_column():
    rows = [["Regio", "Gemeente", "Capaciteit"],
            ["Drenthe", "Totaal", "1.249"],
            ["Drenthe", "Assen", "819"], ["Drenthe", "Aa en Hunze", "430"]]
    result = read(csv_bytes(rows))
    assert not result.meldingen
    assert [f[1] for f in figures(result)] == [819, 430]


def test_occupancy_when_the_manifest_says_so():
    result = read(csv_bytes(SAMPLE), maat="bezetting")
    assert [f[1] for f in figures(result)] == [377, 717, 879, 1900]
    assert not result.meldingen  # the Eindtotaal's Bezetting is right; Totaal Drenthe gives none
    no_occupancy = read(csv_bytes([["Gemeente", "Plekken"], ["Assen", "3"]]), maat="bezetting")
    assert [m.ernst for m in no_occupancy.meldingen] == [Severity.FOUT]
    assert "Bezetting" in no_occupancy.meldingen[0].melding


def test_region_column_that_contradicts_the_municipality_is_a_warning():
    result = read(csv_bytes([["Veiligheidsregio", "Gemeente", "Plekken"], ["Groningen", "Assen", "3"]]))
    assert figures(result) == [("GM0106", 3, 2)]
    [m] = result.meldingen
    assert m.ernst is Severity.WAARSCHUWING and "Drenthe" in m.melding


def test_xlsx_code_as_number_and_gemeente_code_disagreeing():
    data = xlsx_bytes([["KCIO"], ["Peildatum:", dt.datetime(2025, 12, 31)], ["Gemeentecode", "Gemeente", "Realisatie"],
                       [106, "Assen", 819], [109, "Assen", 5]])
    result = read(data, "kcio.xlsx")
    assert figures(result) == [("GM0106", 819, 4)]
    assert result.peildatum == dt.date(2025, 12, 31)
    [m] = result.meldingen
    assert m.ernst is Severity.FOUT and m.rij == 5 and "GM0109" in m.melding


SPEC = FuzzSpec(
    [FuzzColumn("capaciteit", ["Capaciteit", "Plekken", "Gerealiseerde plekken", "Realisatie"]),
     FuzzColumn("bezetting", ["Bezetting"], required=False, junk=False, total=False),
     FuzzColumn("veiligheidsregio", ["Veiligheidsregio"], kind="text", required=False)],
    lambda v: [("oekraine", None, v["capaciteit"])] if v.get("capaciteit") is not None else [],
)


@adapter_settings()
@given(plausible_files(SPEC))
def test_fuzz(f):
    check_adapter_result(ADAPTER, f)


def test_a_quiet_region_column_is_remembered_by_content_only():
    """Issue 16: a region column (with its municipalities) that gave no warning is kept per division, so the
    next weekly file with the same column asks no pair again; a file whose column differs in one cell, or
    whose municipalities differ, is asked again and gets its warning."""
    from opvangkern.areas import load_division

    division = load_division()
    quiet = [SAMPLE[2], *SAMPLE[3:6], SAMPLE[7]]
    first = read(csv_bytes(quiet), division=division)
    again = read(csv_bytes(quiet), division=division)
    assert not first.meldingen and not again.meldingen
    assert figures(first) == figures(again) == [("GM1680", 430, 2), ("GM0106", 819, 3), ("GM0114", 1004, 4),
                                                ("GM0014", 2000, 5)]
    wrong_region = [quiet[0], quiet[1], ["Groningen", "Assen", "819", "717"], *quiet[3:]]
    wrong_town = [quiet[0], quiet[1], ["Drenthe", "Utrecht", "819", "717"], *quiet[3:]]
    for rows, naam in ((wrong_region, "Assen"), (wrong_town, "Utrecht")):
        result = read(csv_bytes(rows), division=division)
        codes = [m.code for m in result.meldingen]
        assert codes == ["veiligheidsregio_wijkt_af"], (naam, codes)
        assert result.meldingen[0].rij == 3 and naam in result.meldingen[0].melding
    assert not read(csv_bytes(quiet), division=division).meldingen
