"""Lead, eighth session: a COA location whose counted cell is blank beside a filled other measure."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given, strategies as st

from opvangkern.model import Severity
from opvangkern.sources.adapter import Source
from opvangkern_coa import CoaAdapter

HEADER = ["Gemeente", "Gemeentecode", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting"]
TITLE = [["COA - Capaciteit en bezetting per opvanglocatie"], ["Peildatum: 31-12-2025"], []]
ROWS = [["Assen", "0106", "AZC Assen", "regulier", "1.010", "909"],
        ["Assen", "0106", "NOL Assen", "noodopvang", "614", "553"],
        ["Emmen", "0114", "AZC Emmen 1", "azc", "351", "316"],
        ["Emmen", "0114", "AZC Emmen 2", "azc", "351", "316"]]


def csv_file(rows) -> bytes:
    return "\n".join(";".join(r) for r in TITLE + [HEADER] + rows).encode("utf-8-sig")


def xlsx_file(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in TITLE + [HEADER]:
        ws.append(r)
    for r in rows:
        ws.append([int(c.replace(".", "")) if c.replace(".", "").isdigit() else (c or None) for c in r])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(data: bytes, name: str, **kw):
    return CoaAdapter().read(Source(io.BytesIO(data), name, **kw))


def sums(result) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in result.realisaties.to_pylist():
        key = (r["gemeentecode"], r["categorie"])
        out[key] = out.get(key, 0) + r["aantal"]
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_blank_capacity_beside_an_occupancy_is_a_warning_at_its_cell(fmt):
    rows = [list(r) for r in ROWS]
    rows[2][4] = ""  # AZC Emmen 1: capacity left out, occupancy 316
    data = csv_file(rows) if fmt == "csv" else xlsx_file(rows)
    result = read(data, f"coa.{fmt}")
    [m] = result.meldingen
    assert (m.ernst, m.code, m.rij, m.kolom) == (Severity.WAARSCHUWING, "locatie_zonder_aantal", 7, "Capaciteit")
    assert "AZC Emmen 1" in m.melding
    # the figure is what the file gives: Emmen's other location only
    assert sums(result)[("GM0114", "regulier")] == 351
    assert sums(result)[("GM0106", "regulier")] == 1010


def test_a_blank_occupancy_under_maat_bezetting_is_a_warning_too():
    rows = [list(r) for r in ROWS]
    rows[1][5] = ""
    result = read(csv_file(rows), "coa.csv", maat="bezetting")
    [m] = result.meldingen
    assert (m.code, m.rij, m.kolom) == ("locatie_zonder_aantal", 6, "Bezetting")
    assert ("GM0106", "noodopvang") not in sums(result)


@pytest.mark.parametrize("nil", ["-", "n.v.t.", "–"])
def test_a_written_nil_or_a_location_without_either_figure_is_silent(nil):
    rows = [list(r) for r in ROWS]
    rows[2][4] = nil  # the publisher's nil, whatever the occupancy column says
    rows[3][4], rows[3][5] = "", ""  # nothing at all
    result = read(csv_file(rows), "coa.csv")
    assert not result.meldingen
    assert ("GM0114", "regulier") not in sums(result)


@given(st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 2000), st.booleans()), min_size=1, max_size=12))
def test_property_warned_rows_are_exactly_the_blank_capacities_beside_a_number(drawn):
    rows = [["Assen", "0106", f"Locatie {i}", "regulier", "" if blank else str(cap), str(occ)]
            for i, (cap, occ, blank) in enumerate(drawn)]
    result = read(csv_file(rows), "coa.csv")
    warned = sorted(m.rij for m in result.meldingen if m.code == "locatie_zonder_aantal")
    assert warned == [5 + i for i, (_, occ, blank) in enumerate(drawn) if blank and occ > 0]
    expected = sum(cap for cap, _, blank in drawn if not blank)
    assert sums(result).get(("GM0106", "regulier"), 0) == expected


# --- a wide header that begins with a category's name and goes on --------------------------------------

WIDE_TITLE = [["Realisatie asielopvang per gemeente"], ["Stand per 31 december 2025"], []]
WIDE_ROWS = [["Assen", "1.010", "614", "0", "0"], ["Emmen", "702", "0", "0", "51"], ["Westerveld", "0", "190", "38", "50"]]


def wide_file(header, rows=WIDE_ROWS) -> bytes:
    return "\n".join(";".join(r) for r in WIDE_TITLE + [header] + rows).encode("utf-8")


@pytest.mark.parametrize("header, label", [
    (["Gemeente", "Regulier (incl. AMV)", "NO", "TGO", "waarvan AMV"], "Regulier"),
    (["Gemeente", "Regulier", "Noodopvang (incl. crisisnoodopvang)", "TGO", "AMV"], "Noodopvang"),
    (["Gemeente", "Regulier", "NO", "TGO-locaties gemeenten", "AMV"], "TGO"),
])
def test_a_header_that_begins_with_a_missing_category_is_a_fout_with_the_kolommen_line(header, label):
    result = read(wide_file(header), "coa.csv")
    [m] = [m for m in result.meldingen if m.code == "kolom_lijkt_op"]
    text = next(h for h in header if h.startswith(label[:3]) and h != label)
    assert (m.ernst, m.rij, m.kolom, m.waarde) == (Severity.FOUT, 4, text, text)
    assert f'kolommen = {{ "{text}" = "{label}" }}' in m.melding


def test_the_kolommen_line_of_the_melding_reads_the_column():
    header = ["Gemeente", "Regulier (incl. AMV)", "NO", "TGO", "AMV"]
    result = read(wide_file(header), "coa.csv", kolommen={"Regulier (incl. AMV)": "Regulier"})
    assert not result.meldingen
    assert sums(result)[("GM0106", "regulier")] == 1010 and sums(result)[("GM0114", "regulier")] == 702


@pytest.mark.parametrize("extra", ["Regulier bezetting", "Noodopvang %", "NO.", "Nr.", "Opmerking", "Aantal TGO-locaties"])
def test_a_header_beside_its_present_category_or_no_category_at_all_changes_nothing(extra):
    header = ["Gemeente", "Regulier", "NO", "TGO", "AMV", extra]
    rows = [r + ["5"] for r in WIDE_ROWS]
    result = read(wide_file(header, rows), "coa.csv")
    assert [m.code for m in result.meldingen if m.ernst is Severity.FOUT] == []
    assert sums(result)[("GM0106", "regulier")] == 1010


# --- a COA workbook with a sheet per province ----------------------------------------------------------

def test_a_coa_workbook_with_a_sheet_per_province_is_not_read_as_its_first_sheet():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in {"Drenthe": ROWS[:2], "Groningen": [["Groningen", "0014", "AZC Groningen", "regulier", "500", "480"]]}.items():
        ws = wb.create_sheet(name)
        for r in TITLE + [HEADER]:
            ws.append(r)
        for r in rows:
            ws.append([int(c.replace(".", "")) if c.replace(".", "").isdigit() and len(c) > 2 else c for c in r])
    out = io.BytesIO()
    wb.save(out)
    result = read(out.getvalue(), "coa.xlsx")
    [m] = [m for m in result.meldingen if m.code == "ander_blad_niet_gelezen"]
    assert (m.ernst, m.blad, m.waarde) == (Severity.FOUT, "Drenthe", "Groningen") and 'blad = "Groningen"' in m.melding
    # each sheet as its own [[bron]] with blad reads both, without the melding
    for blad, expected in (("Drenthe", {("GM0106", "regulier"): 1010, ("GM0106", "noodopvang"): 614}),
                           ("Groningen", {("GM0014", "regulier"): 500})):
        one = read(out.getvalue(), "coa.xlsx", blad=blad)
        assert not one.meldingen and sums(one) == expected


# --- a municipality's subtotal written after its name ----------------------------------------------------

@pytest.mark.parametrize("label", ["Assen totaal", "Assen - totaal", "Assen (subtotaal)", "ASSEN TOTAAL"])
def test_a_subtotal_after_the_name_is_refused_with_how_to_write_or_skip_it(label):
    rows = ROWS[:2] + [[label, "", "", "", "1.624", ""]] + ROWS[2:]
    result = read(csv_file(rows), "coa.csv")
    [m] = result.meldingen
    assert (m.code, m.rij, m.waarde) == ("gebied_onbekend", 7, label)
    assert "Totaal Assen" in m.melding and f'waarden = {{ "{label}" = "overslaan" }}' in m.melding
    skipped = read(csv_file(rows), "coa.csv", waarden={label: "overslaan"})
    assert not skipped.meldingen and sums(skipped)[("GM0106", "regulier")] == 1010
    written = [r if r[0] != label else ["Totaal Assen", *r[1:]] for r in rows]
    as_total = read(csv_file(written), "coa.csv")
    assert not as_total.meldingen and as_total.stats.totaalrijen == 1


def test_a_name_that_merely_ends_in_totaal_gets_no_subtotal_hint():
    result = read(csv_file([["Nergenstotaal", "", "AZC", "regulier", "5", "4"]]), "coa.csv")
    assert [m.code for m in result.meldingen] == ["gebied_onbekend"]
    assert "subtotaal van" not in result.meldingen[0].melding
