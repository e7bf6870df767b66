"""The TVS adapter: what is realised, the checked identities and period, and a fuzz test."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given

from opvangkern.model import Severity
from opvangkern.sources.adapter import Source
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, check_adapter_result, csv_bytes, \
    plausible_files
from opvangkern.sources.manager import adapters, new_plugin_manager
from opvangkern_tvs import TvsAdapter, parse_periode

ADAPTER = TvsAdapter()
HEADER = ["Gemeente", "Periode", "Taakstelling", "Achterstand begin periode", "Gecorrigeerde taakstelling",
          "Gerealiseerd", "Nog te realiseren"]
SAMPLE = [HEADER,
          ["Aa en Hunze", "2025-II", "27", "34", "61", "30", "31"],
          ["Assen", "2025-II", "39", "48", "87", "80", "7"],
          ["Westerveld", "2025-II", "16", "19", "35", "39", "-4"],
          ["Emmen", "2025-II", "74", "-10", "64", "115", "-51"]]


def read(data: bytes, name: str = "tvs.csv", **kw):
    return ADAPTER.read(Source(io.BytesIO(data), name, **kw))


def figures(result):
    return [(r["gemeentecode"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()]


def test_registered():
    assert isinstance(adapters(new_plugin_manager())["tvs"], TvsAdapter)


def test_sample_layout_is_clean():
    result = read(csv_bytes(SAMPLE), peildatum=dt.date(2025, 12, 31))
    assert figures(result) == [("GM1680", 30, 2), ("GM0106", 80, 3), ("GM1701", 39, 4), ("GM0114", 115, 5)]
    assert not result.meldingen
    assert result.peildatum is None  # the file states none; the manifest's fills the column
    assert set(result.realisaties.column("peildatum").to_pylist()) == {dt.date(2025, 12, 31)}


def test_only_gerealiseerd_is_required():
    for header in ("Gerealiseerd", "Realisatie", "Gehuisvest"):
        assert figures(read(csv_bytes([["Gemeentecode", header], ["GM0106", "80"]]))) == [("GM0106", 80, 2)]
    missing = read(csv_bytes([["Gemeente", "Taakstelling"], ["Assen", "39"]]))
    [m] = missing.meldingen
    assert m.ernst is Severity.FOUT and "Gerealiseerd" in m.melding and "Taakstelling" in m.melding


def test_identities_are_warnings():
    rows = [list(r) for r in SAMPLE]
    rows[1][4] = "62"    # gecorrigeerd != taakstelling + achterstand (and nog te realiseren then too)
    rows[2][6] = "8"     # nog te realiseren != gecorrigeerd - gerealiseerd
    result = read(csv_bytes(rows), peildatum=dt.date(2025, 12, 31))
    assert len(figures(result)) == 4
    found = {(m.ernst, m.rij, m.kolom) for m in result.meldingen}
    assert found == {(Severity.WAARSCHUWING, 2, "Gecorrigeerde taakstelling"),
                     (Severity.WAARSCHUWING, 2, "Nog te realiseren"),
                     (Severity.WAARSCHUWING, 3, "Nog te realiseren")}


def test_period_must_hold_the_peildatum():
    result = read(csv_bytes(SAMPLE), peildatum=dt.date(2025, 6, 30))
    assert {m.rij for m in result.meldingen} == {2}
    assert all(m.ernst is Severity.WAARSCHUWING for m in result.meldingen)


@pytest.mark.parametrize("text,start", [("2025-II", dt.date(2025, 7, 1)), ("2e helft 2025", dt.date(2025, 7, 1)),
                                        ("2025-I", dt.date(2025, 1, 1)), ("H1 2025", dt.date(2025, 1, 1)),
                                        ("eerste halfjaar 2025", dt.date(2025, 1, 1))])
def test_parse_periode(text, start):
    assert parse_periode(text)[0] == start
    assert parse_periode("ergens in 2025") is None


def test_bad_realisation_is_a_fout_but_bad_check_column_a_warning():
    rows = [HEADER, ["Assen", "2025-II", "veel", "48", "87", "80,5", "7"]]
    result = read(csv_bytes(rows))
    assert figures(result) == []
    assert {(m.ernst, m.kolom) for m in result.meldingen} == {(Severity.FOUT, "Gerealiseerd"),
                                                             (Severity.WAARSCHUWING, "Taakstelling")}


SPEC = FuzzSpec(
    [FuzzColumn("gerealiseerd", ["Gerealiseerd", "Realisatie", "Gehuisvest"]),
     FuzzColumn("taakstelling", ["Taakstelling"], required=False, junk=False),
     FuzzColumn("achterstand", ["Achterstand", "Achterstand begin periode", "Achterstand/voorsprong"],
                kind="signed", required=False, junk=False, total=False),
     FuzzColumn("nog", ["Nog te realiseren"], kind="signed", required=False, junk=False, total=False)],
    lambda v: [("vergunninghouders", None, v["gerealiseerd"])] if v.get("gerealiseerd") is not None else [],
)


@adapter_settings()
@given(plausible_files(SPEC))
def test_fuzz(f):
    check_adapter_result(ADAPTER, f)
