"""Hardening (thirteenth session, ``hard13b``): realisation files laid out as real publications, probed first.

Each file is written as a publisher or an Excel user writes it (title rows above the header, notes under the
table, COA's own words), read through ``read`` of ``tests/test_probes.py`` (the adapter with its fast paths,
inside ``fastscan.careful()`` and through the plugin's reference adapter: the same result each way) or through
the command line, and the figure per municipality is worked out here by plain arithmetic, or the melding (code,
file, sheet, row, column, value) is asserted with whether the file is refused.

Wrong before this session (a wrong figure with exit 0):
- a row struck through in Excel (a location that closed, a withdrawn row; the cells' font has ``strike``)
  counted, in every source, in a quota file and in an agreements register;
- COA's wide layout: a safety region's subtotal written as the bare name a municipality shares (``Groningen``
  under Groningen and Het Hogeland) was summed into the municipality; so was a subtotal row without a location
  name in COA's list per location;
- COA's wide layout: ``AMV*`` (a footnote star on a short name) and ``Aantal AMV (excl. Nidos)`` were not read
  and the municipality's AMV places vanished without a word (``AMV (excl. Nidos)`` was refused by the adapter
  but read silently by its reference);

Unclear before (a refusal that did not say what was wrong or led to the wrong fix):
- ``Regio Utrecht`` / ``Regio Groningen`` under the region's municipalities: an unknown municipality with the
  suggestion ``Utrecht`` (taking it would count the region twice); now a totals row of the safety region;
- a turned table (municipalities as the columns): a missing ``Gemeente`` column or "geen kopregel";
- a file whose peildatum is only in its name: "geen peildatum", without the date the name gives.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.styles import Font

from opvangkern.cli import cli
from opvangkern.dataset.load import load_dataset
from opvangkern.model import Severity
from opvangkern.testing import load_module

_HERE = Path(__file__).parent
_PROBES = load_module(_HERE / "test_probes.py", "_probes_for_hard13b")
_REGISTERS = load_module(_HERE / "test_agreements_registers.py", "_registers_for_hard13b")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
errors, figures, read, where = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where
GRONINGEN, HET_HOGELAND, EEMSDELTA = "GM0014", "GM1966", "GM1979"
UTRECHT, AMERSFOORT, ZEIST = "GM0344", "GM0307", "GM0355"


def book(rows: list[list], sheet: str = "Blad1", strike: dict[int, list[int] | None] | None = None,
         strike_off: tuple[int, ...] = (), bold: tuple[int, ...] = ()) -> bytes:
    """An XLSX file as an Excel user leaves it: ``strike`` row → the columns (1-based; ``None``: the whole row)
    whose font is struck through; ``strike_off`` rows carry an explicit ``strike=False``; ``bold`` rows (a
    subtotal made to stand out) are bold."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for r, columns in (strike or {}).items():
        for cell in ws[r]:
            if columns is None or cell.column in columns:
                cell.font = Font(strike=True)
    for r in strike_off:
        for cell in ws[r]:
            cell.font = Font(strike=False, bold=True)
    for r in bold:
        for cell in ws[r]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(lines).encode(encoding)


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    return result.exit_code, result.output


LAYOUTS = {
    "nidos": (["Gemeente", "Plekken"], NIDOS),
    "kcio": (["Gemeente", "Capaciteit"], KCIO),
    "tvs": (["Gemeente", "Gerealiseerd"], TVS),
}


# --- 1. rows struck through ----------------------------------------------------------------------------------

@pytest.mark.parametrize("bron", sorted(LAYOUTS))
def test_a_struck_through_row_is_a_fout_and_never_counts(bron):
    """Was wrong: Tynaarlo's struck row counted 3 (exit 0). The row is refused at its row and column, with the fix."""
    header, key = LAYOUTS[bron]
    rows = [["Overzicht per gemeente"], ["Stand per 31 december 2025"], header, ["Assen", 5], ["Emmen", 7],
            ["Tynaarlo", 3], [], ["* Tynaarlo: locatie gesloten per 1 december"]]
    result = read(bron, book(rows, strike={6: None}))
    assert figures(result) == {(ASSEN, *key): 5, (EMMEN, *key): 7}
    [fout] = errors(result)
    assert where(fout) == ("fout", "rij_doorgestreept", f"{bron}.xlsx", "Blad1", 6, "Gemeente", "Tynaarlo")
    assert "Verwijder de rij" in fout.melding and "doorhaling weg" in fout.melding
    assert result.stats.rijen_afgewezen == 1


def test_a_struck_through_count_alone_is_a_fout_at_its_column():
    rows = [["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7]]
    result = read("nidos", book(rows, strike={3: [2]}))
    assert figures(result) == {(ASSEN, *NIDOS): 5}
    assert [where(m) for m in errors(result)] == [("fout", "rij_doorgestreept", "nidos.xlsx", "Blad1", 3, "Plekken",
                                                   "7")]


def test_a_struck_location_of_coa_is_refused_and_the_others_count():
    rows = [["COA - capaciteit per opvanglocatie"], ["Peildatum: 31-12-2025"], [],
            ["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit"], ["Assen", "azc Assen", "azc", 400],
            ["Assen", "NOL Assen (gesloten)", "NOL", 100], ["Emmen", "azc Emmen", "azc", 300]]
    result = read("coa", book(rows, "Locaties", strike={6: None}))
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 400, (EMMEN, "asiel", "regulier"): 300}
    assert [(m.code, m.rij, m.kolom) for m in errors(result)] == [("rij_doorgestreept", 6, "Gemeente")]


def test_a_struck_note_under_the_table_and_an_explicit_no_strike_change_nothing():
    """Not to be refused: a struck-through note (no row of the table) and a font with ``strike`` switched off."""
    rows = [["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7], ["Tynaarlo", 3], [], ["* oude opmerking"]]
    result = read("nidos", book(rows, strike={6: None}, strike_off=(2, 3)))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, *NIDOS): 5, (EMMEN, *NIDOS): 7, (TYNAARLO, *NIDOS): 3}


def test_a_struck_row_refuses_the_dataset_and_a_struck_note_does_not(tmp_path):
    rows = [["Stand per 31 december 2025"], ["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7], ["Tynaarlo", 3],
            ["Bron: Nidos"]]
    folder = _PROBES._dataset(tmp_path / "a", {"bronnen/nidos.xlsx": book(rows, strike={5: None})})
    code, output = check(folder)
    assert code == 1 and "rij 5, kolom Gemeente" in output and "doorgestreept" in output
    folder = _PROBES._dataset(tmp_path / "b", {"bronnen/nidos.xlsx": book(rows, strike={6: None})})
    code, output = check(folder)
    assert code == 0, output


def test_a_struck_row_of_a_quota_file_is_a_fout(tmp_path):
    quota = book([["Taakstelling Nidos"], ["Gemeente", "Opgave"], ["Assen", 10], ["Emmen", 6], ["Emmen", 4]],
                 "Opgave", strike={5: None})
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.xlsx": book([["Gemeente", "Plekken"], ["Assen", 5]])},
                              quota=quota)
    code, output = check(folder)
    assert code == 1, output
    [fout] = [m for m in load_dataset(folder).melding_list if m.ernst is Severity.FOUT]
    assert where(fout) == ("fout", "rij_doorgestreept", "opgaven/nidos_amv.xlsx", "Opgave", 5, "Gemeente", "Emmen")


def test_a_struck_agreement_is_a_fout_and_moves_no_places(tmp_path):
    """Was wrong: the struck-out agreement moved its 20 places too (Assen +50 +20, exit 0)."""
    header = _REGISTERS.HEADER
    rows = [_REGISTERS.row("Assen neemt 50 over", 50), _REGISTERS.row("Assen neemt 20 extra (vervallen)", 20)]
    data = _REGISTERS.register(header, rows)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for cell in wb.active[6]:
        cell.font = Font(strike=True)
    out = io.BytesIO()
    wb.save(out)
    folder = _REGISTERS.dataset(tmp_path, files={"afspraken.xlsx": out.getvalue()})
    ds = _REGISTERS.load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.bestand, fout.blad, fout.rij, fout.kolom, fout.waarde) == (
        "rij_doorgestreept", "afspraken.xlsx", "Register", 6, "Omschrijving", "Assen neemt 20 extra (vervallen)")
    assert [r["aantal"] for r in ds.afspraken.to_pylist()] == [50]
    code, output = _REGISTERS.check(folder)
    assert code == 1 and "1 gebruikt + 0 totaalrijen + 1 afgewezen" in output


# --- 2. a region's subtotal named like a municipality ---------------------------------------------------------

def test_coa_wide_a_region_subtotal_as_the_bare_name_groningen_is_a_fout():
    """Was wrong: Groningen counted 10 + 15 = 25 regular places and 0 + 1 emergency places (exit 0)."""
    rows = [["COA - realisatie per gemeente"], ["Stand per 31 december 2025"],
            ["Gemeente", "Regulier", "NO", "TGO", "AMV"], ["Groningen", 10, 0, 0, 0], ["Het Hogeland", 5, 1, 0, 0],
            ["Groningen", 15, 1, 0, 0], ["Assen", 7, 0, 0, 2]]
    result = read("coa", book(rows, bold=(6,)))
    [fout] = errors(result)
    assert where(fout) == ("fout", "subtotaal_als_gemeente", "coa.xlsx", "Blad1", 6, "Gemeente", "Groningen")
    assert "Totaal Groningen" in fout.melding and "rij 4" in fout.melding


def test_coa_wide_a_municipality_twice_that_is_no_subtotal_is_not_refused():
    """Two rows of Groningen whose categories are not the sum of the region's other rows: no subtotal."""
    rows = [["Gemeente", "Regulier", "NO", "TGO", "AMV"], ["Groningen", 10, 0, 0, 0], ["Het Hogeland", 5, 1, 0, 0],
            ["Groningen", 15, 0, 0, 0]]
    result = read("coa", book(rows))
    assert not errors(result)
    assert figures(result)[(GRONINGEN, "asiel", "regulier")] == 10 + 15
    # one figure per municipality, as KCIO, TVS and Nidos: summed, with the warning naming both rows (lead)
    [twice] = [m for m in result.meldingen if m.code == "dubbele_gemeente"]
    assert (twice.ernst, twice.rij, twice.waarde) == (Severity.WAARSCHUWING, 4, "25")
    assert "rij 2, 4" in twice.melding and "andere kolommen" in twice.melding


def test_coa_long_a_region_subtotal_without_a_location_name_is_a_fout():
    """Was wrong: the row without a location (500 = 400 + 100) counted as a location of Groningen: 900."""
    rows = [["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit"], ["Groningen", "azc Groningen", "azc", 400],
            ["Het Hogeland", "azc Musselkanaal", "azc", 100], ["Groningen", None, "azc", 500]]
    result = read("coa", book(rows))
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [("subtotaal_als_gemeente", 4, "Groningen")]


def test_coa_long_a_named_location_as_large_as_the_others_is_no_subtotal():
    rows = [["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit"], ["Groningen", "azc Groningen", "azc", 60],
            ["Het Hogeland", "azc Musselkanaal", "azc", 40], ["Groningen", "NOL Groningen", "NOL", 100]]
    result = read("coa", book(rows))
    assert not result.meldingen
    assert figures(result) == {(GRONINGEN, "asiel", "regulier"): 60, (HET_HOGELAND, "asiel", "regulier"): 40,
                               (GRONINGEN, "asiel", "noodopvang"): 100}


@pytest.mark.parametrize("label", ["Regio Utrecht", "regio Utrecht", "Regio  Utrecht"])
def test_regio_utrecht_is_the_safety_regions_subtotal_not_the_municipality(label):
    """Was unclear: 'Onbekende gemeente ... Bedoelt u: Utrecht' (mapping it so counts the region twice). Now a
    totals row of VR09, checked against the region's rows."""
    rows = [["Gemeente", "Capaciteit"], ["Amersfoort", 100], ["Utrecht", 200], ["Zeist", 50], [label, 350]]
    result = read("kcio", book(rows))
    assert not result.meldingen
    assert figures(result) == {(AMERSFOORT, *KCIO): 100, (UTRECHT, *KCIO): 200, (ZEIST, *KCIO): 50}
    assert result.stats.totaalrijen == 1
    rows[-1] = [label, 340]
    result = read("kcio", book(rows))
    assert [(m.ernst.value, m.code, m.rij) for m in result.meldingen] == [("waarschuwing", "totaalrij_klopt_niet", 5)]
    assert "VR09" in result.meldingen[0].melding and "350" in result.meldingen[0].melding


def test_regio_groningen_in_coas_wide_layout_is_checked_and_excluded():
    rows = [["Gemeente", "Regulier", "NO", "TGO", "AMV"], ["Groningen", 10, 0, 0, 0], ["Het Hogeland", 5, 1, 0, 0],
            ["Regio Groningen", 15, 1, 0, 0]]
    result = read("coa", book(rows))
    assert not result.meldingen
    assert figures(result)[(GRONINGEN, "asiel", "regulier")] == 10
    assert figures(result)[(HET_HOGELAND, "asiel", "noodopvang")] == 1


def test_regio_with_a_name_that_is_no_area_stays_an_unknown_municipality():
    result = read("nidos", csv("Gemeente;Plekken", "Assen;5", "Regio Noord;5"))
    assert figures(result) == {(ASSEN, *NIDOS): 5}
    assert [(m.code, m.rij) for m in errors(result)] == [("gebied_onbekend", 3)]


@pytest.mark.parametrize("rows, expected", [
    ([["Middelburg", 10], ["Vlissingen", 5], ["Zeeland", 15]], {"GM0687": 10, "GM0718": 5}),
    ([["Assen", 10], ["Emmen", 5], ["Drenthe", 15]], {ASSEN: 10, EMMEN: 5}),
    ([["Amersfoort", 10], ["Utrecht", 5], ["Provincie Utrecht", 15]], {AMERSFOORT: 10, UTRECHT: 5}),
    ([["Groningen", 10], ["Eemsdelta", 5], ["Veiligheidsregio Groningen", 15]], {GRONINGEN: 10, EEMSDELTA: 5}),
])
def test_province_and_region_subtotals_that_were_right_stay_right(rows, expected):
    result = read("nidos", book([["Gemeente", "Plekken"], *rows]))
    assert not result.meldingen
    assert figures(result) == {(code, *NIDOS): n for code, n in expected.items()}


# --- 3. headers with units or remarks in parentheses ---------------------------------------------------------

def test_amv_with_a_footnote_star_is_the_amv_column():
    """Was wrong: ``AMV*`` was no column (a short name with punctuation), and Assen's 3 AMV places vanished."""
    rows = [["Gemeente", "Regulier", "NO", "TGO", "AMV*"], ["Assen", 10, 1, 0, 3], [], ["* excl. Nidos"]]
    result = read("coa", book(rows))
    assert not result.meldingen
    assert figures(result) == {(ASSEN, "asiel", "regulier"): 10, (ASSEN, "asiel", "noodopvang"): 1,
                               (ASSEN, "asiel", "tgo"): 0, (ASSEN, "amv", None): 3}


@pytest.mark.parametrize("header", ["Aantal AMV (excl. Nidos)", "AMV (excl. Nidos)", "Plekken AMV"])
def test_an_amv_header_with_more_words_is_refused_with_the_kolommen_line(header):
    """Was wrong: ``Aantal AMV (excl. Nidos)`` was not read and the AMV places vanished with exit 0 (``AMV (excl.
    Nidos)`` was refused by the adapter only: its reference read it silently)."""
    rows = [["Gemeente", "Regulier", "NO", "TGO", header], ["Assen", 10, 1, 0, 3]]
    result = read("coa", book(rows))
    [fout] = errors(result)
    assert where(fout) == ("fout", "kolom_lijkt_op", "coa.xlsx", "Blad1", 1, header, header)
    assert f'kolommen = {{ "{header}" = "AMV" }}' in fout.melding
    mapped = read("coa", book(rows), kolommen={header: "AMV"})
    assert not mapped.meldingen and figures(mapped)[(ASSEN, "amv", None)] == 3


@pytest.mark.parametrize("extra", ["Totaal asiel (regulier + NO + TGO)", "waarvan AMV"])
def test_a_total_or_a_part_naming_a_missing_category_is_not_refused(extra):
    """A COA file without a TGO (or AMV) column beside a total that names it: no false refusal."""
    rows = [["Gemeente", "Regulier", "NO", "AMV", extra], ["Assen", 10, 1, 3, 11]]
    if extra == "waarvan AMV":
        rows = [["Gemeente", "Regulier", "NO", "TGO", extra], ["Assen", 10, 1, 0, 3]]
    result = read("coa", book(rows))
    assert not errors(result)
    assert figures(result)[(ASSEN, "asiel", "regulier")] == 10


@pytest.mark.parametrize("bron, header, label", [
    ("kcio", "Capaciteit (plekken)", "Capaciteit"), ("tvs", "Gehuisvest (personen)", "Gerealiseerd"),
    ("nidos", "Plekken (aantal)", "Plekken"), ("nidos", "Aantal (excl. gezinshuizen)", "Plekken"),
])
def test_a_header_with_a_unit_in_parentheses_is_refused_with_its_kolommen_line(bron, header, label):
    """Never silently the wrong column: a refusal that gives the line, and the line reads it."""
    rows = [["Stand per 31 december 2025"], ["Gemeente", header], ["Assen", 12]]
    result = read(bron, book(rows))
    [fout] = errors(result)
    assert (fout.code, fout.rij) == ("verplichte_kolom_ontbreekt", 2)
    assert f'kolommen = {{ "{header}" = "{label}" }}' in fout.melding
    mapped = read(bron, book(rows), kolommen={header: label})
    assert not errors(mapped) and figures(mapped) == {(ASSEN, *LAYOUTS[bron][1]): 12}


# --- 4. municipality names with a province or a remark -------------------------------------------------------

@pytest.mark.parametrize("name, code", [
    ("Hengelo (O)", "GM0164"), ("Hengelo (O.)", "GM0164"), ("Bergen (L)", "GM0893"), ("Bergen (NH)", "GM0373"),
    ("Bergen (L.)", "GM0893"), ("Bergen (NH.)", "GM0373"), ("\u2019s-Hertogenbosch", "GM0796"),
    ("Den Haag", "GM0518"), ("'s-Gravenhage", "GM0518"), ("Sudwest-Fryslan", "GM1900"),
])
def test_names_with_a_province_mark_or_another_spelling_give_the_right_municipality(name, code):
    result = read("nidos", csv("Gemeente;Plekken", f"{name};5", "Emmen;7"))
    assert not result.meldingen
    assert figures(result) == {(code, *NIDOS): 5, (EMMEN, *NIDOS): 7}


@pytest.mark.parametrize("name, suggested", [("Bergen", "Bergen (L.), Bergen (NH.)"), ("Amsterdam\u00b9", "Amsterdam"),
                                             ("Assen (Drenthe)", "Assen"), ("Hengelo (Gld)", "Hengelo")])
def test_names_that_are_not_sure_are_refused_with_the_suggestion(name, suggested):
    """Two Bergens, a footnote mark, a remark in brackets (``Hengelo (Gld)`` is no municipality: a village of
    Bronckhorst): never silently one of them."""
    result = read("nidos", csv("Gemeente;Plekken", f"{name};5", "Emmen;7"))
    assert figures(result) == {(EMMEN, *NIDOS): 7}
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("gebied_onbekend", 2, name)
    assert suggested in fout.melding


# --- 5. a turned table ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("bron, lines", [
    ("nidos", ["Plekken per gemeente", "Categorie;Assen;Emmen;Tynaarlo", "Plekken;5;7;3"]),
    ("nidos", ["Gemeente;Assen;Emmen;Tynaarlo", "Plekken;5;7;3"]),
    ("kcio", ["Week;Assen;Emmen;Tynaarlo;Hoogeveen;Coevorden", "week 47;5;7;3;1;1", "week 48;6;7;3;1;1"]),
    ("coa", ["Opvangvorm;Assen;Emmen;Tynaarlo", "Regulier;5;7;3", "NO;6;7;3"]),
])
def test_a_turned_table_is_refused_as_turned(bron, lines):
    """Was unclear: a missing Gemeente column, or "geen kopregel", with the municipalities listed as columns."""
    result = read(bron, csv(*lines))
    assert figures(result) == {}
    [fout] = errors(result)
    rij = 2 if lines[0].startswith("Plekken per") else 1
    assert (fout.code, fout.rij) == ("tabel_gekanteld", rij)
    assert fout.waarde.startswith("Assen, Emmen, Tynaarlo") and "Transponeren" in fout.melding


def test_a_turned_workbook_is_refused_through_the_command_line(tmp_path):
    rows = [["Stand per 31 december 2025"], ["", "Assen", "Emmen"], ["Plekken", 5, 7], ["Bron: Nidos"]]
    rows[1] = ["", "Assen", "Emmen", "Tynaarlo"]
    rows[2] = ["Plekken", 5, 7, 3]
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.xlsx": book(rows)})
    code, output = check(folder)
    assert code == 1 and "de tabel lijkt gekanteld: rij 2" in output


# --- 6. the peildatum in the file name or in a title ---------------------------------------------------------

def _one_source(tmp_path: Path, name: str, data: bytes, line: str = "") -> Path:
    folder = _PROBES._dataset(tmp_path, {})
    (folder / "bronnen").mkdir(exist_ok=True)
    (folder / "bronnen" / name).write_bytes(data)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + f'[[bron]]\nbron = "nidos"\nbestand = "bronnen/{name}"\n{line}\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("name, shown, line", [
    ("COA_bezetting_2026-11-30.xlsx", "de bestandsnaam noemt 30-11-2026", "peildatum = 2026-11-30"),
    ("nidos 30-11-2026.xlsx", "de bestandsnaam noemt 30-11-2026", "peildatum = 2026-11-30"),
    ("nidos_20261130.xlsx", "de bestandsnaam noemt 30-11-2026", "peildatum = 2026-11-30"),
    ("KCIO week 48 2026.xlsx", "week 48 van 2026 (23-11-2026 t/m 29-11-2026)", "peildatum = 2026-11-29"),
])
def test_a_date_only_in_the_file_name_is_refused_with_the_line_that_makes_it_the_peildatum(tmp_path, name, shown,
                                                                                           line):
    """Was unclear: "geen peildatum" only. A name may hold the day of publication: not read, but named."""
    folder = _one_source(tmp_path, name, book([["Gemeente", "Plekken"], ["Assen", 5]]))
    [fout] = [m for m in load_dataset(folder).melding_list if m.is_error]
    assert fout.code == "peildatum_ontbreekt" and shown in fout.melding and line in fout.melding
    code, _ = check(folder)
    assert code == 1
    fixed = _one_source(tmp_path / "fixed", name, book([["Gemeente", "Plekken"], ["Assen", 5]]), line)
    code, output = check(fixed)
    assert code == 0, output


def test_the_title_date_wins_over_the_file_names_and_the_manifest_must_agree(tmp_path):
    """A name that says 23-11 beside a title 'Stand per 30 november 2026': the title (the publisher's own
    statement) is the peildatum; a manifest that says otherwise is a fout."""
    data = book([["Stand per 30 november 2026"], ["Gemeente", "Plekken"], ["Assen", 5]])
    folder = _one_source(tmp_path / "a", "nidos_2026-11-23.xlsx", data)
    ds = load_dataset(folder)
    assert not ds.has_errors
    assert set(ds.realisaties.column("peildatum").to_pylist()) == {dt.date(2026, 11, 30)}
    folder = _one_source(tmp_path / "b", "nidos_2026-11-23.xlsx", data, "peildatum = 2026-11-23")
    assert [m.code for m in load_dataset(folder).melding_list if m.is_error] == ["peildatum_verschilt"]


# --- 7. Excel's other CSV exports ----------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    "Gemeente\tPlekken\r\nS\u00fadwest-Frysl\u00e2n\t\"1.234\"\r\nEmmen\t7\r\n".encode("utf-16"),
    "sep=;\r\nGemeente;Plekken\r\nS\u00fadwest-Frysl\u00e2n;\"1.234\"\r\nEmmen;7\r\n".encode("utf-8-sig"),
    "Gemeente;Plekken\r\nS\u00fadwest-Frysl\u00e2n;\"1.234\"\r\nEmmen;7\r\n".encode("cp1252"),
], ids=["unicode-text", "utf8-bom-sep", "cp1252"])
def test_excels_csv_exports_read_the_same(data):
    result = read("nidos", data)
    assert not result.meldingen
    assert figures(result) == {("GM1900", *NIDOS): 1234, (EMMEN, *NIDOS): 7}


# --- 8 and 9. percentages and formulas without a stored result -----------------------------------------------

def test_an_occupancy_column_shown_as_percentages_is_refused_where_a_count_is_read():
    rows = [["Gemeente", "Opvanglocatie", "Opvangvorm", "Capaciteit", "Bezetting"],
            ["Assen", "azc Assen", "azc", 400, 0.85], ["Emmen", "azc Emmen", "azc", 300, 1]]
    data = _PROBES.workbook({"L": rows}, {("L", "E2"): "0%", ("L", "E3"): "0%"})
    result = read("coa", data, maat="bezetting")
    assert figures(result) == {}
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [("percentage_als_aantal", 2, "85%"),
                                                                  ("percentage_als_aantal", 3, "100%")]


def test_a_formula_without_a_stored_result_is_no_zero():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Gemeente", "Capaciteit"], ["Assen", 5], ["Emmen", "=B2*2"]]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    result = read("kcio", out.getvalue())
    assert figures(result) == {(ASSEN, *KCIO): 5}
    assert [(m.code, m.rij, m.kolom) for m in errors(result)] == [("formule_zonder_waarde", 3, "Capaciteit")]


def test_a_struck_row_travels_through_read_frame_and_pandas():
    """An adapter that reads its sheet as a pandas frame (``read_frame``) gets the same refusal."""
    pytest.importorskip("pandas")
    from opvangkern.sources import kit

    layout = kit.Layout("nidos", [kit.Column("plekken", ["Plekken"], kind=kit.COUNT)], require=[("plekken",)])
    data = book([["Gemeente", "Plekken"], ["Assen", 5], ["Emmen", 7], ["Tynaarlo", 3]], strike={3: None})
    builder = kit.RealisatieBuilder(kit.Source(io.BytesIO(data), "nidos.xlsx"), "nidos")
    frame = builder.read_frame(layout)
    table = builder.read_table(layout, data=frame.iloc[::-1])
    assert {row.gemeentecode: row.count("plekken") for row in table} == {ASSEN: 5, TYNAARLO: 3}
    assert [(m.code, m.rij, m.kolom) for m in builder.meldingen if m.is_error] == [("rij_doorgestreept", 3, "Gemeente")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("bron", sorted(LAYOUTS))
def test_a_region_subtotal_named_groningen_without_the_municipality_in_the_file_is_a_fout(bron, fmt):
    """Was wrong: the municipality Groningen got the region's 80 (50 + 30), exit 0; it is not in the file at all."""
    header, key = LAYOUTS[bron]
    rows = [["Stand per 31 december 2025"], header, ["Eemsdelta", 50], ["Het Hogeland", 30], ["Groningen", 80],
            ["Assen", 10], ["Totaal", 170]]
    data = book(rows, bold=(5,)) if fmt == "xlsx" else csv(*(";".join(map(str, r)) for r in rows))
    result = read(bron, data)
    [fout] = errors(result)
    assert where(fout) == ("fout", "subtotaal_als_gemeente", f"{bron}.{fmt}", "Blad1" if fmt == "xlsx" else None, 5,
                           "Gemeente", "Groningen")
    assert "rij 3 t/m 4" in fout.melding and "Totaal Groningen" in fout.melding
    assert 'waarden = { "Groningen" = "GM0014" }' in fout.melding
    mapped = read(bron, data, waarden={"Groningen": "GM0014"})
    assert not errors(mapped)
    assert figures(mapped)[(GRONINGEN, *key)] == 80


def test_coa_wide_a_region_subtotal_named_utrecht_under_its_municipalities_is_a_fout():
    rows = [["Gemeente", "Regulier", "NO", "TGO", "AMV"], ["Amersfoort", 50, 0, 0, 1], ["Zeist", 30, 2, 0, 0],
            ["Utrecht", 80, 2, 0, 1], ["Assen", 7, 0, 0, 0]]
    result = read("coa", book(rows))
    assert [(m.code, m.rij, m.waarde) for m in errors(result)] == [("subtotaal_als_gemeente", 4, "Utrecht")]


@pytest.mark.parametrize("rows", [
    [["Eemsdelta", 50], ["Groningen", 50], ["Het Hogeland", 30]],  # one row of the region above it
    [["Assen", 50], ["Het Hogeland", 30], ["Groningen", 80]],  # Assen is no part of VR01
    [["Eemsdelta", 50], ["Het Hogeland", 30], ["Groningen", 81]],  # not the sum
    [["Eemsdelta", 0], ["Het Hogeland", 0], ["Groningen", 0]],  # nothing
    [["Eemsdelta", 50], ["Het Hogeland", 30], ["GM0014", 80]],  # written as its code
])
def test_the_municipality_groningen_in_a_normal_list_is_not_refused(rows):
    result = read("nidos", csv("Gemeente;Plekken", *(f"{n};{v}" for n, v in rows)))
    assert not errors(result)
