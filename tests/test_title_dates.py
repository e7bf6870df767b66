"""Lead, eighth session: the date a file was made is no peildatum."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import given, strategies as st

from opvangkern.reading.values import ValueProblem, find_date
from opvangkern.sources.adapter import Source
from opvangkern_coa import CoaAdapter

PEIL = dt.date(2025, 12, 31)


@pytest.mark.parametrize("text", ["Aangemaakt op 05-01-2026", "Datum export: 05-01-2026", "Gegenereerd op 5 januari 2026",
                                  "Laatst bijgewerkt op 5-1-2026", "Exportdatum 05-01-2026", "Printdatum: 5-1-2026",
                                  "Gepubliceerd op 6 januari 2026", "Versie 5 januari 2026", "Afgedrukt op 2026-01-05"])
def test_a_date_of_making_alone_is_no_peildatum(text):
    assert find_date(text) is None


@pytest.mark.parametrize("text", ["Peildatum 31-12-2025, aangemaakt op 05-01-2026",
                                  "Stand per 31 december 2025 (gepubliceerd op 6 januari 2026)",
                                  "Gepubliceerd 6-1-2026, peildatum 31-12-2025",
                                  "Stand per 31-12-2025 bijgewerkt 5-1-2026",
                                  "Peildatum: 31-12-2025", "Rapportage d.d. 31-12-2025"])
def test_beside_a_peildatum_the_date_of_making_is_passed_over(text):
    assert find_date(text) == PEIL


def test_two_peildata_are_still_two():
    with pytest.raises(ValueProblem):
        find_date("Peildatum 30-11-2025, stand 31-12-2025")


DAYS = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
MAKING = st.sampled_from(["Aangemaakt op", "Geëxporteerd op", "Datum export:", "Gedownload", "Afgedrukt op",
                          "Laatst bijgewerkt op", "Gegenereerd"])


@given(DAYS, DAYS, MAKING, st.booleans())
def test_property_the_peildatum_is_found_wherever_the_date_of_making_stands(peil, made, word, first):
    parts = [f"Peildatum {peil:%d-%m-%Y}", f"{word} {made:%d-%m-%Y}"]
    text = ", ".join(parts if not first else parts[::-1])
    assert find_date(text) == peil


def xlsx(title_rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in title_rows + [[], ["Gemeente", "Gemeentecode", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"],
                             ["Assen", "0106", "AZC Assen", "regulier", 1010, 909]]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_coa_export_with_its_date_of_making_above_the_peildatum_is_read():
    result = CoaAdapter().read(Source(io.BytesIO(xlsx([["Aangemaakt op 05-01-2026"], ["Peildatum: 31-12-2025"]])),
                                      "coa.xlsx"))
    assert not result.meldingen and result.peildatum == PEIL
    assert result.realisaties.column("aantal").to_pylist() == [1010]


def test_a_coa_export_with_only_its_date_of_making_takes_the_manifest_peildatum_or_is_refused(sample_copy):
    from opvangkern.dataset.load import load_dataset

    (sample_copy / "bronnen/coa-2025-12-31.csv").unlink()
    (sample_copy / "bronnen/coa-2025-12-31.xlsx").write_bytes(xlsx([["Aangemaakt op 05-01-2026"]]))
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8").replace('bestand = "bronnen/coa-2025-12-31.csv"',
                                                         'bestand = "bronnen/coa-2025-12-31.xlsx"')
    manifest.write_text(text, encoding="utf-8")
    refused = load_dataset(sample_copy)
    assert [m.code for m in refused.melding_list if m.bestand.endswith("coa-2025-12-31.xlsx")] == ["peildatum_ontbreekt"]
    manifest.write_text(text.replace('bestand = "bronnen/coa-2025-12-31.xlsx"',
                                     'bestand = "bronnen/coa-2025-12-31.xlsx"\npeildatum = 2025-12-31'), encoding="utf-8")
    ds = load_dataset(sample_copy)
    assert not ds.has_errors
    rows = [r for r in ds.realisaties.to_pylist() if r["bestand"].endswith(".xlsx")]
    assert {r["peildatum"] for r in rows} == {PEIL} and sum(r["aantal"] for r in rows) == 1010
