"""Two names of one counted column holding different figures (thirteenth session, ``hard13a``).

A header with two aliases of one column (COA's ``Capaciteit`` beside an older ``Plekken`` left in the sheet, KCIO's
``Capaciteit`` beside ``Plekken``, Nidos' ``Aantal`` beside ``Gerealiseerd``, TVS's ``Gehuisvest`` beside
``Gehuisveste vergunninghouders``) was read by the better-ranked name, the other ignored with the warning
``kolom_genegeerd``. Where the two hold different figures, which one is the realisation is a guess: a wrong
figure with exit 0 when the guess is wrong. Now a ``fout`` (``kolommen_verschillen``) names the first row that
differs, both columns and both values, how many rows differ and the ``kolommen`` lines that pick one; with one of
them in the manifest the file reads without it. Equal columns keep the warning.

Every file is written as the sources publish it (title rows, notes under the table, a percentage beside the
counts) and read through ``read`` of ``tests/test_probes.py``: the adapter with its fast paths, inside
``fastscan.careful()`` and through the plugin's reference adapter, asserted the same each way. The expected
figures are worked out here by plain arithmetic.

Before this session every ``differ`` case below read the better-ranked column with exit 0.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard13a")
ASSEN, EMMEN, TYNAARLO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.TYNAARLO
errors, figures, read, where, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where, _PROBES.workbook

COA = ("asiel", "regulier")
KCIO, NIDOS, TVS = _PROBES.KCIO, _PROBES.NIDOS, _PROBES.TVS
TOWNS = ("Assen", "Emmen", "Tynaarlo")
CODES = (ASSEN, EMMEN, TYNAARLO)


def coa(a: list, b: list) -> list[list]:
    """COA's list per location: ``Capaciteit`` (read) beside ``Plekken`` (an older column left in the sheet)."""
    return [["COA - capaciteit per opvanglocatie"], ["Peildatum: 31-12-2025"], [],
            ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Plekken", "Bezettingsgraad (%)"],
            *[[t, f"azc {t}", "azc", x, y, "93,5"] for t, x, y in zip(TOWNS, a, b)],
            [], ["* Plekken: stand van de vorige rapportage"], ["Bron: COA"]]


def kcio(a: list, b: list) -> list[list]:
    """KCIO's list per municipality: ``Capaciteit`` beside ``Plekken``, a percentage beside them."""
    return [["Opvang ontheemden uit Oekraïne (KCIO)"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Capaciteit", "Plekken", "% bezet"],
            *[[t, x, y, "88%"] for t, x, y in zip(TOWNS, a, b)],
            [], ["* Plekken: gemeld door de gemeente"]]


def nidos(a: list, b: list) -> list[list]:
    """Nidos' small-scale places: ``Aantal`` beside ``Gerealiseerd``."""
    return [["Nidos - kleinschalige opvang amv"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Aantal", "Gerealiseerd", "Realisatie %"],
            *[[t, x, y, "100%"] for t, x, y in zip(TOWNS, a, b)],
            [], ["Toelichting: Gerealiseerd telt de plekken die in gebruik zijn"]]


def tvs(a: list, b: list) -> list[list]:
    """The TVS monitor: ``Gehuisvest`` beside ``Gehuisveste vergunninghouders``, the target with its period."""
    return [["Monitor huisvesting vergunninghouders"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Taakstelling 2025-II", "Gehuisvest", "Gehuisveste vergunninghouders", "% gerealiseerd"],
            *[[t, 90, x, y, "77,5"] for t, x, y in zip(TOWNS, a, b)],
            [], ["* Gehuisveste vergunninghouders: inclusief gezinsherenigers"]]


SOURCES = {
    # bron: (file, key of the figures, the header read, the other name, the label, their letters)
    "coa": (coa, COA, "Capaciteit", "Plekken", "Capaciteit", "D", "E"),
    "kcio": (kcio, KCIO, "Capaciteit", "Plekken", "Capaciteit", "B", "C"),
    "nidos": (nidos, NIDOS, "Aantal", "Gerealiseerd", "Plekken", "B", "C"),
    "tvs": (tvs, TVS, "Gehuisvest", "Gehuisveste vergunninghouders", "Gerealiseerd", "C", "D"),
}
FIRST = 5  # the first data row (title, date, blank, header)


def as_file(rows: list[list], fmt: str) -> bytes:
    if fmt == "xlsx":
        return workbook({"Blad1": rows})
    return "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows).encode("utf-8-sig")


def counted(key: tuple, values: list) -> dict:
    return {(code, *key): v for code, v in zip(CODES, values) if v is not None}


def codes(result) -> list[str]:
    return [m.code for m in result.meldingen]


# --- equal: the warning, as before --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("bron", SOURCES)
def test_two_names_with_equal_figures_read_with_the_warning(bron, fmt):
    make, key, chosen, other, *_ = SOURCES[bron]
    a = [400, 700, 300]
    result = read(bron, as_file(make(a, list(a)), fmt))
    assert figures(result) == counted(key, a)
    assert sum(figures(result).values()) == 400 + 700 + 300
    assert errors(result) == []
    [ignored] = [m for m in result.meldingen if m.code == "kolom_genegeerd"]
    assert ignored.kolom == other and repr(chosen) in ignored.melding


@pytest.mark.parametrize("bron", ["kcio", "nidos"])
def test_equal_as_the_reader_parses_them_is_equal(bron):
    """``1.200`` (a text with a thousands point), ``1200`` (a number), ``-`` beside an empty cell: one figure each."""
    make, key, *_ = SOURCES[bron]
    data = workbook({"Blad1": make([1200, 35, "-"], ["1.200", "35", None])})
    result = read(bron, data)
    assert figures(result) == {(ASSEN, *key): 1200, (EMMEN, *key): 35}
    assert errors(result) == [] and "kolommen_verschillen" not in codes(result)


# --- different: a fout naming the first row, both columns, both values and the fix ------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("bron", SOURCES)
def test_two_names_with_different_figures_are_a_fout(bron, fmt):
    """Was wrong: the better-ranked column counted (Emmen 700, not perhaps 650) with only a warning, exit 0."""
    make, key, chosen, other, label, col_a, col_b = SOURCES[bron]
    a, b = [400, 700, 300], [400, 650, 280]
    result = read(bron, as_file(make(a, b), fmt))
    [fout] = errors(result)
    blad = "Blad1" if fmt == "xlsx" else None
    assert where(fout) == ("fout", "kolommen_verschillen", f"{bron}.{fmt}", blad, FIRST + 1, other, "650")
    text = fout.melding
    assert f"kolom {chosen!r} (kolom {col_a})" in text and f"kolom {other!r} (kolom {col_b})" in text
    assert "verschillen in 2 rijen" in text and f"rij {FIRST + 1}, 700 in kolom {col_a} en 650 in kolom {col_b}" in text
    assert f'kolommen = {{ "{chosen}" = "{label}" }}' in text and f'kolommen = {{ "{other}" = "{label}" }}' in text
    assert "kolom_genegeerd" not in codes(result)  # the fout replaces the warning


@pytest.mark.parametrize("bron", SOURCES)
def test_a_number_beside_an_empty_cell_is_a_difference(bron):
    """Either reading could be meant: Tynaarlo without a figure, or with 12 (and the other way round)."""
    make, key, chosen, other, *_ = SOURCES[bron]
    for a, b, shown in (([400, 700, None], [400, 700, 12], "leeg in"), ([400, 700, 12], [400, 700, None], "12 in")):
        result = read(bron, as_file(make(a, b), "xlsx"))
        [fout] = errors(result)
        assert (fout.code, fout.rij, fout.kolom) == ("kolommen_verschillen", FIRST + 2, other)
        assert "verschillen in 1 rij " in fout.melding and f"rij {FIRST + 2}, {shown} kolom" in fout.melding


def test_zero_beside_an_empty_cell_is_a_difference():
    """An empty cell gives the row no figure, 0 gives it the figure 0: not the same reading."""
    result = read("kcio", as_file(kcio([5, 0, 3], [5, None, 3]), "csv"))
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("kolommen_verschillen", FIRST + 1, None)
    assert "0 in kolom B en leeg in kolom C" in fout.melding


def test_a_totals_row_is_not_compared():
    """Only the data rows: a totals row is checked against the column read, as before (10 + 20 = 30)."""
    rows = [["Gemeente", "Capaciteit", "Plekken"], ["Assen", 10, 10], ["Emmen", 20, 20], ["Totaal", 30, 31]]
    result = read("kcio", as_file(rows, "csv"))
    assert figures(result) == {(ASSEN, *KCIO): 10, (EMMEN, *KCIO): 20}
    assert errors(result) == [] and "kolom_genegeerd" in codes(result)


def test_a_table_of_locations_beside_the_table_is_not_compared():
    """``Locatie | Plekken`` after an empty column is a table of its own (its rows are hotels, not these
    municipalities): its ``Plekken`` is ignored with the warning, as before."""
    data = workbook({"KCIO": [["Gemeente", "Capaciteit", None, "Locatie", "Plekken"], ["Assen", 5, None, "Hotel A", 12],
                              ["Emmen", 7, None, "Hotel B", 40]]})
    result = read("kcio", data)
    assert figures(result) == {(ASSEN, *KCIO): 5, (EMMEN, *KCIO): 7}
    assert errors(result) == [] and codes(result) == ["kolom_genegeerd"]
    # the older column after an empty one, with no header of its own beside it: still this table's
    data = workbook({"KCIO": [["Gemeente", "Capaciteit", None, "Plekken"], ["Assen", 5, None, 12],
                              ["Emmen", 7, None, 7]]})
    [fout] = errors(read("kcio", data))
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("kolommen_verschillen", 2, "Plekken", "12")


def test_a_tvs_share_beside_the_housed_count_stays_a_warning():
    """``Realisatie`` beside ``Gehuisvest`` is the share of the target (twelfth session), another measure: not
    compared, whatever it holds."""
    rows = [["Gemeente", "Taakstelling", "Gehuisvest", "Realisatie"], ["Assen", 87, 80, 92], ["Emmen", 50, 25, 50]]
    result = read("tvs", as_file(rows, "csv"))
    assert figures(result) == {(ASSEN, *TVS): 80, (EMMEN, *TVS): 25}
    assert errors(result) == [] and codes(result) == ["kolom_genegeerd"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_kcio_share_written_as_percentages_beside_the_places_stays_a_warning(fmt):
    """KCIO's ``Realisatie`` is a name of its places column, but a ``Realisatie`` of percentages beside
    ``Capaciteit`` is the share of the target (a percentage beside the count): not a second reading of the count,
    so not refused; the places are ``Capaciteit``'s."""
    rows = [["Opvang ontheemden uit Oekraïne (KCIO)"], ["Stand per 31 december 2025"], [],
            ["Gemeente", "Capaciteit", "Realisatie"],
            ["Assen", 120, "85%"], ["Emmen", 300, "101,5%"], ["Tynaarlo", 40, None], [], ["Bron: KCIO"]]
    result = read("kcio", as_file(rows, fmt))
    assert figures(result) == {(ASSEN, *KCIO): 120, (EMMEN, *KCIO): 300, (TYNAARLO, *KCIO): 40}
    assert sum(figures(result).values()) == 120 + 300 + 40
    assert errors(result) == [] and "kolommen_verschillen" not in codes(result)


def test_a_kcio_share_in_an_xlsx_percent_format_stays_a_warning():
    """The same share as numbers formatted as percentages in the workbook (0,85 shown as 85%)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["KCIO - stand per 31 december 2025"], [], ["Gemeente", "Capaciteit", "Realisatie"],
                ["Assen", 120, 0.85], ["Emmen", 300, 1.015]]:
        ws.append(row)
    for r in (4, 5):
        ws.cell(row=r, column=3).number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    result = read("kcio", buf.getvalue())
    assert figures(result) == {(ASSEN, *KCIO): 120, (EMMEN, *KCIO): 300}
    assert errors(result) == [] and "kolommen_verschillen" not in codes(result)


def test_a_kcio_realisatie_of_counts_that_differ_is_still_a_fout():
    """``Realisatie`` holding counts (one of them a percentage is not enough) that differ from ``Capaciteit``:
    which is the figure is a guess."""
    rows = [["Gemeente", "Capaciteit", "Realisatie"], ["Assen", 120, 100], ["Emmen", 300, "90%"]]
    result = read("kcio", as_file(rows, "csv"))
    assert "kolommen_verschillen" in [m.code for m in errors(result)]


def test_a_number_merged_over_rows_counts_once_in_the_comparison():
    """A count merged over two rows (one location over two lines) counts in its first row only, in both columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KCIO"
    for r in [["Gemeente", "Capaciteit", "Plekken"], ["Assen", 10, 10], ["Assen", None, None], ["Emmen", 20, 20]]:
        sheet.append(r)
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    out = io.BytesIO()
    book.save(out)
    result = read("kcio", out.getvalue())
    assert figures(result) == {(ASSEN, *KCIO): 10, (EMMEN, *KCIO): 20}
    assert "kolommen_verschillen" not in codes(result)


# --- through the command line: exit 1, and the kolommen line that reads the file -----------------------------

def dataset(tmp_path: Path, bron: str, data: bytes, extra: str = "") -> Path:
    folder = tmp_path / "ds"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "bronnen").mkdir(parents=True)
    (folder / "bronnen" / f"{bron}.xlsx").write_bytes(data)
    (folder / "opvangkern.toml").write_text(
        f'[dataset]\nnaam = "t"\ngebied = "PV22"\n\n[[bron]]\nbron = "{bron}"\nbestand = "bronnen/{bron}.xlsx"\n'
        + extra, encoding="utf-8")
    return folder


@pytest.mark.parametrize("bron", SOURCES)
def test_check_exits_1_and_the_kolommen_line_reads_the_chosen_column(tmp_path, bron):
    make, key, chosen, other, label, *_ = SOURCES[bron]
    a, b = [400, 700, 300], [400, 650, 280]
    data = workbook({"Blad1": make(a, b)})
    out = CliRunner().invoke(cli, ["check", str(dataset(tmp_path, bron, data))])
    assert out.exit_code == 1, out.output
    assert "verschillen in 2 rijen" in out.output
    for pick, values in ((chosen, a), (other, b)):
        line = f'kolommen = {{ "{pick}" = "{label}" }}\n'
        out = CliRunner().invoke(cli, ["check", str(dataset(tmp_path, bron, data, line))])
        assert out.exit_code == 0, out.output
        result = read(bron, data, bestand=f"{bron}.xlsx", kolommen={pick: label})
        assert errors(result) == [] and not {"kolom_genegeerd", "kolommen_verschillen"} & set(codes(result))
        assert figures(result) == counted(key, values)
        assert sum(figures(result).values()) == sum(values)
    out = CliRunner().invoke(cli, ["check", str(dataset(tmp_path, bron, workbook({"Blad1": make(a, list(a))})))])
    assert out.exit_code == 0, out.output


# --- agreement registers and quota files ------------------------------------------------------------------------

_REGISTERS = load_module(Path(__file__).with_name("test_agreements_registers.py"), "_registers_for_hard13a")


def test_an_agreement_register_with_aantal_and_plekken_differing_is_the_same_fout(tmp_path):
    """Two names of the amount column were already a ``fout`` (``afspraak_kopregel``); when they hold different
    amounts it is ``kolommen_verschillen``, naming the row (rij 5: 50 against 60) and both lines."""
    R = _REGISTERS
    header = R.HEADER + ["Plekken"]
    rows = [R.row("a", 50, 50), R.row("b", 20, 20, van="Emmen")]
    rows[0][-1] = 60
    folder = R.dataset(tmp_path, files={"afspraken.xlsx": R.register(header, rows)})
    ds = R.load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.bestand, fout.rij, fout.kolom, fout.waarde) == (
        "kolommen_verschillen", "afspraken.xlsx", 5, "Plekken", "60")
    assert "50 in kolom E en 60 in kolom G" in fout.melding and "verschillen in 1 rij " in fout.melding
    assert 'kolommen = { "Plekken" = "Aantal" }' in fout.melding and ds.afspraken.num_rows == 0
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 1
    fixed = R.dataset(tmp_path / "fixed", R.FILE + 'kolommen = { "Plekken" = "Aantal" }\n',
                      {"afspraken.xlsx": R.register(header, rows)})
    ds = opvangkern.open_dataset(fixed)
    assert [m.code for m in ds.melding_list] == []
    assert sorted(ds.afspraken.column("aantal").to_pylist()) == [20, 60]


def test_an_agreement_register_with_equal_aantal_and_plekken_keeps_its_fout(tmp_path):
    R = _REGISTERS
    folder = R.dataset(tmp_path, files={"afspraken.xlsx": R.register(R.HEADER + ["Plekken"], [R.row("a", 50, 50)])})
    [fout] = [m for m in R.load(folder).melding_list if m.is_error]
    assert fout.code == "afspraak_kopregel"


@pytest.mark.parametrize("taak", [(68000, 107000), (40, 50)])
def test_a_quota_file_keeps_refusing_two_amount_columns_with_its_own_melding(taak):
    """``Aantal`` beside ``Taakstelling`` in a decision: ``opgavekolom_dubbelzinnig`` at the header whether the two
    hold different figures (inhabitants) or the same, as since the seventh session; no second fout."""
    import datetime as dt

    from opvangkern.reading.quota import read_quota
    from opvangkern.sources.adapter import Source

    rows = [["Verdeling asielopvang 2026"], [], ["Gemeente", "Aantal", "Taakstelling"],
            ["Assen", taak[0], 40], ["Emmen", taak[1], 50], [], ["* Aantal: inwoners op 1 januari 2025"]]
    result = read_quota(Source(io.BytesIO(workbook({"Besluit": rows})), "besluit.xlsx"), "asiel",
                        dt.date(2026, 1, 1), "gemeente")
    assert [(m.code, m.rij, m.kolom) for m in result.meldingen if m.is_error] == [
        ("opgavekolom_dubbelzinnig", 3, "Taakstelling")]
    assert result.opgaven.num_rows == 0


def test_coa_overview_per_municipality_with_two_names_of_regulier():
    """COA's overview per municipality (the wide layout): ``Regulier`` beside ``Reguliere opvang``, Emmen 300
    against 280. A fout; with ``kolommen`` the picked column counts (Assen 120 + 20 noodopvang)."""
    rows = [["COA - capaciteit per gemeente"], ["Peildatum: 31-12-2025"], [],
            ["Gemeente", "Regulier", "Reguliere opvang", "Noodopvang", "Totaal"],
            ["Assen", 120, 120, 20, 140], ["Emmen", 300, 280, 0, 300], ["Totaal", 420, 400, 20, 440],
            [], ["Bron: COA, bewonersregistratie"]]
    data = workbook({"Gemeenten": rows})
    [fout] = errors(read("coa", data))
    assert where(fout) == ("fout", "kolommen_verschillen", "coa.xlsx", "Gemeenten", 6, "Reguliere opvang", "280")
    picked = read("coa", data, kolommen={"Reguliere opvang": "Regulier"})
    assert errors(picked) == [] and codes(picked) == ["totaal_niet_som"]  # Emmen's Totaal 300 is not 280 + 0
    assert figures(picked)[(EMMEN, "asiel", "regulier")] == 280
    assert figures(picked)[(ASSEN, "asiel", "regulier")] == 120
    assert figures(picked)[(ASSEN, "asiel", "noodopvang")] == 20
