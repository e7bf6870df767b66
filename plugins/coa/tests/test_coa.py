"""The COA adapter: wide and long layouts, categories, occupancy, totals, and fuzz tests."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import given

from opvangkern.model import Severity
from opvangkern.sources.adapter import Source
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, check_adapter_result, csv_bytes, \
    plausible_files, xlsx_bytes
from opvangkern.sources.manager import adapters, new_plugin_manager
from opvangkern_coa import CoaAdapter

ADAPTER = CoaAdapter()

LONG = [["COA - Capaciteit en bezetting per opvanglocatie"], ["Peildatum: 31-12-2025"], [],
        ["Gemeente", "Gemeentecode", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"],
        ["Assen", "0106", "AZC Assen", "regulier", "1.010", "909"],
        ["Assen", "0106", "NOL Assen", "NO", "614", "553"],
        ["Aa en Hunze", "1680", "TGO Aa en Hunze", "Tijdelijke gemeentelijke opvang", "87", "79"],
        ["Coevorden", "0109", "KWE Coevorden", "AMV", "20", "18"],
        ["Emmen", "0114", "AZC Emmen", "Reguliere opvang", "-", ""],
        ["Totaal", "", "", "", "1.731", "1.559"]]

WIDE = [["Realisatie asielopvang per gemeente", "", ""], ["Stand per 31 december 2025"],
        ["Gemeente", "Regulier", "NO", "TGO", "AMV", "Totaal"],
        ["Assen", "1.010", "614", "0", "", "1.624"],
        ["Coevorden", "450", "n.v.t.", "-", "20", "470"],
        ["Emmen", "702", "0", "0", "51", "700"],          # Totaal wrong
        ["Eindtotaal", "2.162", "614", "0", "71", "2.794"]]


def read(data: bytes, name: str = "coa.csv", **kw):
    return ADAPTER.read(Source(io.BytesIO(data), name, **kw))


def rows(result):
    return [(r["gemeentecode"], r["opgave"], r["categorie"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()]


def test_registered():
    info = {a.name: a for a in adapters(new_plugin_manager()).values()}
    assert isinstance(info["coa"], CoaAdapter) and info["coa"].tasks == ("asiel", "amv")


def test_long_layout_capacity():
    result = read(csv_bytes(LONG))
    assert rows(result) == [("GM0106", "asiel", "regulier", 1010, 5), ("GM0106", "asiel", "noodopvang", 614, 6),
                            ("GM1680", "asiel", "tgo", 87, 7), ("GM0109", "amv", None, 20, 8)]
    assert result.peildatum == dt.date(2025, 12, 31)
    assert not result.meldingen


def test_long_layout_occupancy_and_wrong_total():
    result = read(csv_bytes(LONG), maat="bezetting")
    assert [r[3] for r in rows(result)] == [909, 553, 79, 18]
    assert not result.meldingen
    bad = [list(r) for r in LONG]
    bad[-1][4] = "1.732"
    result = read(csv_bytes(bad))
    [m] = result.meldingen
    assert (m.ernst, m.rij, m.kolom) == (Severity.WAARSCHUWING, 10, "Capaciteit")


def test_long_layout_unknown_opvangvorm():
    bad = [list(r) for r in LONG[:6]]
    bad[4][3] = "hotelboot"
    result = read(csv_bytes(bad))
    [m] = result.meldingen
    assert (m.ernst, m.rij, m.kolom, m.waarde) == (Severity.FOUT, 5, "Opvangvorm", "hotelboot")


def test_long_layout_same_location_twice_is_a_warning_and_both_count():
    data = [list(r) for r in LONG[:8]] + [
        ["Assen", "0106", "AZC  assen", "Regulier", "1.010", "909"],     # the same location again (row 9)
        ["Assen", "0106", "AZC Assen", "AMV", "30", "25"],              # same location, other category: fine
        ["Emmen", "0114", "AZC Assen", "regulier", "5", "5"]]           # same name, other municipality: fine
    result = read(csv_bytes(data))
    [m] = result.meldingen
    assert (m.ernst, m.rij, m.kolom, m.waarde) == (Severity.WAARSCHUWING, 9, "Locatie", "AZC assen")
    assert "rij 5" in m.melding and "dezelfde waarden" not in m.melding  # the location is written differently
    assert [(r[3], r[4]) for r in rows(result) if r[2] == "regulier" and r[0] == "GM0106"] == [(1010, 5), (1010, 9)]
    assert result.stats.rijen_gebruikt == 7 and result.stats.som == 1010 + 614 + 87 + 20 + 1010 + 30 + 5


def test_wide_layout_with_totaal_column_and_row():
    result = read(csv_bytes(WIDE, delimiter=",", encoding="cp1252"))
    assert rows(result) == [
        ("GM0106", "asiel", "regulier", 1010, 4), ("GM0106", "asiel", "noodopvang", 614, 4),
        ("GM0106", "asiel", "tgo", 0, 4),
        ("GM0109", "asiel", "regulier", 450, 5), ("GM0109", "amv", None, 20, 5),
        ("GM0114", "asiel", "regulier", 702, 6), ("GM0114", "asiel", "noodopvang", 0, 6),
        ("GM0114", "asiel", "tgo", 0, 6), ("GM0114", "amv", None, 51, 6)]
    [m] = result.meldingen
    assert (m.ernst, m.rij, m.kolom) == (Severity.WAARSCHUWING, 6, "Totaal")
    assert result.peildatum == dt.date(2025, 12, 31)


def test_wide_layout_cannot_give_occupancy():
    result = read(csv_bytes(WIDE), maat="bezetting")
    assert [m.ernst for m in result.meldingen] == [Severity.FOUT]
    assert result.realisaties.num_rows == 0


def test_no_column_is_not_noodopvang():
    # "No." is a row number, not NO (noodopvang)
    result = read(csv_bytes([["No.", "Gemeente", "Regulier"], ["1", "Assen", "5"], ["2", "Emmen", "6"]]))
    assert [(r[2], r[3]) for r in rows(result)] == [("regulier", 5), ("regulier", 6)]
    assert not result.meldingen


def test_bad_counts_with_original_row_numbers():
    data = csv_bytes([["Titel"], [], ["Gemeente", "Regulier", "AMV"],
                      ["Assen", "-4", "2,5"], ["Emmen", "12x", "3"]])
    result = read(data)
    assert {(m.rij, m.kolom, m.waarde) for m in result.meldingen} == {
        (4, "Regulier", "-4"), (4, "AMV", "2,5"), (5, "Regulier", "12x")}
    assert rows(result) == [("GM0114", "amv", None, 3, 5)]


def test_xlsx_with_title_row_merged_cells_and_date():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Locaties"
    ws.append(["COA locaties"])
    ws.append(["Peildatum", dt.date(2025, 12, 31)])
    ws["B2"].number_format = "dd-mm-yyyy"
    ws.append(["Gemeente", "Locatie", "Soort opvang", "Plekken"])
    ws.append(["Assen", "AZC", "regulier", 1010])
    ws.append([None, "NOL", "noodopvang", "614"])
    ws.merge_cells("A4:A5")  # the municipality written once for its two locations
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read(buffer.getvalue(), "coa.xlsx")
    assert rows(result) == [("GM0106", "asiel", "regulier", 1010, 4), ("GM0106", "asiel", "noodopvang", 614, 5)]
    assert result.peildatum == dt.date(2025, 12, 31)
    assert not result.meldingen


def test_sheet_named_in_manifest_and_unknown_sheet():
    data = xlsx_bytes([["Gemeente", "Regulier"], ["Assen", 5]], sheet="Data", sheets_before=("Toelichting",))
    assert rows(read(data, "coa.xlsx")) == [("GM0106", "asiel", "regulier", 5, 2)]
    assert rows(read(data, "coa.xlsx", blad="data")) == [("GM0106", "asiel", "regulier", 5, 2)]
    missing = read(data, "coa.xlsx", blad="Blad9")
    assert [m.ernst for m in missing.meldingen] == [Severity.FOUT] and "Toelichting" in missing.meldingen[0].melding


def _wide_expected(v):
    out = [("asiel", k, v[k]) for k in ("regulier", "noodopvang", "tgo") if v.get(k) is not None]
    if v.get("amv") is not None:
        out.append(("amv", None, v["amv"]))
    return out


WIDE_SPEC = FuzzSpec(
    [FuzzColumn("regulier", ["Regulier", "Reguliere opvang", "REGULIER"]),
     FuzzColumn("noodopvang", ["Noodopvang", "NO", "no"], required=False),
     FuzzColumn("tgo", ["TGO", "Tijdelijke gemeentelijke opvang"], required=False),
     FuzzColumn("amv", ["AMV", "Opvang AMV"], required=False)],
    _wide_expected,
    extra_columns=("Opmerking", "No.", "Nr.", "Provincie"),
)

_VORMEN = {"regulier": ("asiel", "regulier"), "Reguliere opvang": ("asiel", "regulier"), "NO": ("asiel", "noodopvang"),
           "noodopvang": ("asiel", "noodopvang"), "TGO": ("asiel", "tgo"),
           "Tijdelijke gemeentelijke opvang": ("asiel", "tgo"), "AMV": ("amv", None)}


def _long_expected(v):
    if v.get("capaciteit") is None:
        return []
    opgave, categorie = _VORMEN[v["opvangvorm"]]
    return [(opgave, categorie, v["capaciteit"])]


LONG_SPEC = FuzzSpec(
    [FuzzColumn("locatie", ["Locatie", "Locatienaam"], kind="text", required=False),
     FuzzColumn("opvangvorm", ["Opvangvorm", "Soort opvang", "Type"], kind="choice", choices=list(_VORMEN)),
     FuzzColumn("capaciteit", ["Capaciteit", "Plekken"]),
     FuzzColumn("bezetting", ["Bezetting"], required=False, junk=False, total=False)],
    _long_expected,
)


@adapter_settings()
@given(plausible_files(WIDE_SPEC))
def test_fuzz_wide(f):
    check_adapter_result(ADAPTER, f)


@adapter_settings()
@given(plausible_files(LONG_SPEC))
def test_fuzz_long(f):
    check_adapter_result(ADAPTER, f)
