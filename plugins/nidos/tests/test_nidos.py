"""The Nidos adapter: its layout, the Dutch spreadsheet habits, and a fuzz test."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import given

from opvangkern.model import Severity
from opvangkern.sources.adapter import Source
from opvangkern.testing.fuzz import FuzzColumn, FuzzSpec, adapter_settings, check_adapter_result, csv_bytes, \
    plausible_files, xlsx_bytes
from opvangkern.sources.manager import adapters, new_plugin_manager
from opvangkern_nidos import NidosAdapter

ADAPTER = NidosAdapter()


def read(data: bytes, name: str = "nidos.csv", **kw):
    return ADAPTER.read(Source(io.BytesIO(data), name, **kw))


def figures(result):
    return [(r["gemeentecode"], r["aantal"], r["rij"]) for r in result.realisaties.to_pylist()]


def errors(result):
    return [m for m in result.meldingen if m.ernst is Severity.FOUT]


def test_registered_through_entry_point():
    found = adapters(new_plugin_manager())
    assert isinstance(found["nidos"], NidosAdapter)
    assert found["nidos"].tasks == ("nidos_amv",)


def test_sample_layout_with_peildatum_column():
    data = csv_bytes([["Peildatum", "Gemeentecode", "Gemeente", "Kleinschalige opvangplekken"],
                      ["29-12-2025", "GM0106", "Assen", "33"],
                      ["29-12-2025", "GM0114", "Emmen", "8"]], delimiter=",", encoding="utf-8")
    result = read(data)
    assert figures(result) == [("GM0106", 33, 2), ("GM0114", 8, 3)]
    assert result.peildatum == dt.date(2025, 12, 29)
    assert not result.meldingen
    assert result.realisaties.column("opgave").to_pylist() == ["nidos_amv"] * 2
    assert result.realisaties.column("categorie").to_pylist() == [None] * 2


def test_aliases_and_manifest_peildatum():
    for header in ("Plekken", "Aantal", "Gerealiseerd", "kleinschalige  OPVANGPLEKKEN"):
        result = read(csv_bytes([["Gemeente", header], ["Assen", "5"]]), peildatum=dt.date(2025, 12, 31))
        assert figures(result) == [("GM0106", 5, 2)], header
        assert result.peildatum is None
        assert result.realisaties.column("peildatum").to_pylist() == [dt.date(2025, 12, 31)]


def test_habits_title_rows_cp1252_thousands_none_and_bad_values():
    rows = [["Nidos kleinschalige opvang"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Plekken"],
            ["Súdwest-Fryslân", "1.010"],   # cp1252, thousands dot
            ["Assen", "-"],                 # none
            ["Emmen", "n.v.t."],
            ["Meppel", "-3"],               # negative
            ["Hoogeveen", "2,5"],           # fractional
            ["Coevorden", "veel"],          # not a number
            ["Asen", "4"],                  # unknown municipality
            ["Totaal", "1.010"]]
    result = read(csv_bytes(rows, encoding="cp1252"))
    assert figures(result) == [("GM1900", 1010, 5)]
    assert result.peildatum == dt.date(2025, 12, 31)
    found = {(m.rij, m.kolom, m.waarde) for m in errors(result)}
    assert {(8, "Plekken", "-3"), (9, "Plekken", "2,5"), (10, "Plekken", "veel"), (11, "Gemeente", "Asen")} == found
    unknown = next(m for m in errors(result) if m.rij == 11)
    assert "Assen" in unknown.melding and unknown.bestand == "nidos.csv"


def test_xlsx_with_title_and_spreadsheet_date():
    data = xlsx_bytes([["Nidos"], ["Peildatum", dt.date(2025, 12, 29)], [],
                       ["Gemeentecode", "Plekken"], [106, 33], ["0114", "8"], ["Totaal", 40]])
    result = read(data, "nidos.xlsx")
    assert figures(result) == [("GM0106", 33, 5), ("GM0114", 8, 6)]
    assert result.peildatum == dt.date(2025, 12, 29)
    assert [m.rij for m in result.meldingen] == [7]  # 40 != 41
    assert result.meldingen[0].ernst is Severity.WAARSCHUWING
    assert result.meldingen[0].blad == "Blad1"


def test_missing_column_names_what_was_found():
    result = read(csv_bytes([["Gemeente", "Capaciteit"], ["Assen", "3"]]))
    [m] = result.meldingen
    assert m.ernst is Severity.FOUT and "Plekken" in m.melding and "Capaciteit" in m.melding
    assert result.realisaties.num_rows == 0


def test_corrupt_file_is_a_melding():
    data = xlsx_bytes([["Gemeente", "Plekken"], ["Assen", 3]])
    result = read(data[: len(data) // 2], "nidos.xlsx")
    assert [m.ernst for m in result.meldingen] == [Severity.FOUT]


SPEC = FuzzSpec(
    [FuzzColumn("plekken", ["Plekken", "Aantal", "Kleinschalige opvangplekken", "Gerealiseerd", "PLEKKEN"])],
    lambda v: [("nidos_amv", None, v["plekken"])] if v.get("plekken") is not None else [],
)


@adapter_settings()
@given(plausible_files(SPEC))
def test_fuzz(f):
    check_adapter_result(ADAPTER, f)
