"""Lead, eighth session: a CSV row with a filled field beyond the header is refused, never read shifted."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, strategies as st

from opvangkern.model import Severity
from opvangkern.reading import fastscan
from opvangkern.sources.adapter import Source
from opvangkern_coa import CoaAdapter
from opvangkern_kcio import KcioAdapter

HEADER = "Gemeente,Gemeentecode,Locatie,Opvangvorm,Capaciteit,Bezetting"
ROWS = [("Assen", "0106", "AZC Assen", "regulier", 1010, 909), ("Assen", "0106", "NOL Assen", "noodopvang", 614, 553),
        ("Emmen", "0114", "AZC Emmen", "regulier", 351, 316)]


def english_thousands(n: int) -> str:
    return f"{n:,}"  # 1,010: what a spreadsheet in English writes, unquoted by a careless export


def comma_file(rows, quote: bool) -> bytes:
    def cell(v):
        text = english_thousands(v) if isinstance(v, int) else v
        return f'"{text}"' if quote and "," in text else text
    lines = ["Peildatum: 31-12-2025", HEADER] + [",".join(cell(v) for v in r) for r in rows]
    return "\n".join(lines).encode("utf-8")


def read(adapter, data: bytes, careful: bool = False):
    if careful:
        with fastscan.careful():
            return adapter.read(Source(io.BytesIO(data), "coa.csv"))
    return adapter.read(Source(io.BytesIO(data), "coa.csv"))


@pytest.mark.parametrize("careful", [False, True])
def test_unquoted_thousands_in_a_comma_file_are_a_fout_at_the_row_not_a_count_of_1(careful):
    result = read(CoaAdapter(), comma_file(ROWS, quote=False), careful)
    [m] = result.meldingen
    assert (m.ernst, m.code, m.rij) == (Severity.FOUT, "rij_te_veel_velden", 3)  # title, header, then Assen
    assert "1,010" in m.melding and "aanhalingstekens" in m.melding
    # the shifted row is not counted; the rows without a thousands separator are
    assert sorted(result.realisaties.column("aantal").to_pylist()) == [351, 614]


def test_the_same_file_with_the_numbers_quoted_is_no_shift_and_the_comma_is_still_refused():
    # quoted, the cell stays whole; a Dutch reader takes the comma for a decimal comma: refused, never 1.01
    result = read(CoaAdapter(), comma_file(ROWS, quote=True))
    assert [(m.code, m.rij, m.waarde) for m in result.meldingen] == [("geen_heel_getal", 3, "1,010")]
    assert sorted(result.realisaties.column("aantal").to_pylist()) == [351, 614]


def test_a_separator_inside_a_text_names_the_separator():
    data = ("Peildatum: 31-12-2025\nGemeente;Locatie;Opvangvorm;Capaciteit\nAssen;AZC Assen; locatie 2;regulier;1.010\n"
            "Emmen;AZC Emmen;regulier;351\n").encode("utf-8")
    result = read(CoaAdapter(), data)
    [m] = result.meldingen
    assert m.code == "rij_te_veel_velden" and "';'" in m.melding and m.rij == 3


def test_trailing_empty_fields_and_short_rows_are_no_shift():
    data = ("Peildatum: 31-12-2025\nGemeente;Capaciteit\nAssen;600;;;\nEmmen;351\nTynaarlo\n").encode("utf-8")
    result = KcioAdapter().read(Source(io.BytesIO(data), "kcio.csv"))
    assert [m.code for m in result.meldingen if m.ernst is Severity.FOUT] == []
    assert sorted(result.realisaties.column("aantal").to_pylist()) == [351, 600]


@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000)), min_size=1, max_size=10))
def test_property_a_row_is_refused_exactly_when_a_number_over_999_splits_it(pairs):
    rows = [("Assen", "0106", f"Locatie {i}", "regulier", cap, occ) for i, (cap, occ) in enumerate(pairs)]
    result = read(CoaAdapter(), comma_file(rows, quote=False))
    refused = sorted(m.rij for m in result.meldingen if m.code == "rij_te_veel_velden")
    assert refused == [3 + i for i, (cap, occ) in enumerate(pairs) if cap > 999 or occ > 999]
    assert sum(result.realisaties.column("aantal").to_pylist()) == sum(c for c, o in pairs if c <= 999 and o <= 999)
