"""Agreement registers as a province keeps them by hand (twelfth session, agr12a).

A register is an Excel sheet with title rows, a status column, notes under the table and Dutch dates; its
keepers write drafts and withdrawn agreements beside the ones in force, fractions, and extra columns. Each
case gives the right figure (computed here by hand from the sample's quota lines) or a melding that names
file, row, column and value, and the exit code says which.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import opvangkern
from opvangkern.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
FILE = '[[afspraak]]\nbestand = "afspraken.xlsx"\n'


def dataset(tmp_path: Path, toml: str = FILE, files: dict[str, bytes] | None = None,
            source: Path | None = None) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(source or opvangkern.sample_path(), folder)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    return folder


def register(header: list, rows: list[list], total: float | None = None) -> bytes:
    """A register as a province keeps it: two title rows, a blank, the header, the rows, maybe a total, a note."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    for row in [["Register uitruilafspraken provincie Drenthe"], ["Bijgewerkt tot 1-12-2025"], [], header, *rows]:
        sheet.append(row)
    if total is not None:
        sheet.append(["Totaal"] + [None] * (header.index("Aantal") - 1) + [total])
    sheet.append([])
    sheet.append(["Bron: ambtelijk overleg opvang, stand 1-12-2025"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["Omschrijving", "Opgave", "Van", "Naar", "Aantal", "Ingangsdatum"]


def row(omschrijving: str, aantal, *rest, van: str = "Tynaarlo", naar: str = "Assen") -> list:
    return [omschrijving, "asiel", van, naar, aantal, "1-2-2026", *rest]


def before(gebied: str = "Assen", opgave: str = "asiel") -> float:
    return _baseline()[(gebied, opgave)]["eindpunt"]


_BASE: dict = {}


def _baseline() -> dict:
    if not _BASE:
        _BASE.update(cards(opvangkern.open_dataset().dashboard()))
    return _BASE


def cards(dash) -> dict:
    return {(r["gebied_naam"], r["opgave"]): r for r in dash.kaarten.to_pylist()}


def load(folder: Path):
    return opvangkern.load_dataset(folder)


def check(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    return result.exit_code, result.output


def found(ds, code: str) -> list:
    return [m for m in ds.melding_list if m.code == code]


# --- 1. the status column -------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Status", "Status afspraak", "Stand"])
def test_drafts_and_withdrawn_agreements_change_no_figure(tmp_path, header):
    # Before: the status column was not read, so every row counted: Assen +50+20+10+5 = +85.
    rows = [row("Assen neemt 50 over", 50, "Vastgesteld"),
            row("Voorstel Assen 20 extra", 20, " concept "),
            row("Oude afspraak", 10, "INGETROKKEN"),
            row("Nog in overleg", 5, "in voorbereiding")]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + [header], rows)})
    ds = load(folder)
    skipped = found(ds, "afspraak_niet_van_kracht")
    assert [(m.bestand, m.blad, m.rij, m.kolom, m.waarde) for m in skipped] == [
        ("afspraken.xlsx", "Register", 6, header, "concept"), ("afspraken.xlsx", "Register", 7, header, "INGETROKKEN"),
        ("afspraken.xlsx", "Register", 8, header, "in voorbereiding")]
    assert all(m.ernst.value == "waarschuwing" for m in skipped) and not ds.has_errors
    after = cards(opvangkern.open_dataset(folder).dashboard())
    assert after[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50
    assert after[("Tynaarlo", "asiel")]["eindpunt"] == before("Tynaarlo") - 50
    code, output = check(folder)
    assert code == 0
    assert "rijen: 5 gelezen = 1 gebruikt + 0 totaalrijen + 0 afgewezen + 4 overgeslagen; som van de afspraken: 50" \
        in output


@pytest.mark.parametrize("word", ["vervallen", "ingetrokken", "concept", "voorstel", "in voorbereiding", "afgewezen",
                                  "Concept", "  Vervallen  ", "nee"])
def test_every_word_for_not_in_force_skips_the_row(tmp_path, word):
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Status"], [row("x", 30, word)])})
    ds = load(folder)
    assert [m.waarde for m in found(ds, "afspraak_niet_van_kracht")] == [word.strip()]
    assert ds.afspraken.num_rows == 0 and not ds.has_errors


@pytest.mark.parametrize("word", ["vastgesteld", "Definitief", "actief", "akkoord", "getekend", "van kracht",
                                  "Lopend", None, "", "vastgesteld op 12-1-2026", "ja"])
def test_every_word_for_in_force_counts(tmp_path, word):
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Status"], [row("x", 30, word)])})
    ds = opvangkern.open_dataset(folder)
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 30


@pytest.mark.parametrize("word", ["goedgekeurd", "in behandeling", "5"])
def test_an_unknown_status_is_a_fout_that_lists_the_words_and_the_waarden_fix(tmp_path, word):
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Status"],
                                                                 [row("a", 50, "vastgesteld"), row("b", 30, word)])})
    ds = load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.bestand, fout.rij, fout.kolom, fout.waarde) == ("afspraak_status", "afspraken.xlsx", 6,
                                                                          "Status", word)
    assert "vastgesteld" in fout.melding and "ingetrokken" in fout.melding and "waarden = {" in fout.melding
    assert [r["rij"] for r in ds.afspraken.to_pylist()] == [5]  # the unsure row never counts
    code, output = check(folder)
    assert code == 1 and "1 gebruikt + 0 totaalrijen + 1 afgewezen" in output


def test_the_waarden_line_maps_a_registers_own_words(tmp_path):
    rows = [row("a", 50, "Goedgekeurd"), row("b", 30, "in behandeling")]
    toml = FILE + 'waarden = { "goedgekeurd" = "vastgesteld", "In behandeling" = "overslaan" }\n'
    folder = dataset(tmp_path, toml, {"afspraken.xlsx": register(HEADER + ["Status"], rows)})
    ds = opvangkern.open_dataset(folder)
    assert [m.code for m in ds.melding_list] == ["afspraak_niet_van_kracht"]
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50


def test_waarden_onto_an_unknown_status_is_a_fout(tmp_path):
    toml = FILE + 'waarden = { "goedgekeurd" = "prima" }\n'
    folder = dataset(tmp_path, toml, {"afspraken.xlsx": register(HEADER + ["Status"], [row("a", 50, "goedgekeurd")])})
    assert [m.code for m in load(folder).melding_list if m.is_error] == ["afspraak_status"]
    assert check(folder)[0] == 1


@pytest.mark.parametrize("word", ["ingetrokken per 1-3-2026", "beëindigd", "Vervallen per 1 juli 2026"])
def test_an_agreement_that_ended_on_a_day_is_a_fout_not_skipped(tmp_path, word):
    # Skipped, it would vanish from the points before its end too; counted, it would hold after it.
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Status"], [row("a", 50, word)])})
    ds = load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.rij, fout.waarde) == ("afspraak_status", 5, word)
    assert "omgekeerde afspraak" in fout.melding and ds.afspraken.num_rows == 0


def test_a_vastgesteld_column_reads_yes_no_and_a_date_and_refuses_an_empty_cell(tmp_path):
    rows = [row("a", 50, "ja"), row("b", 7, dt.datetime(2026, 1, 12)), row("c", 3, "12-1-2026"), row("d", 30, "nee"),
            row("e", 20, None)]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Vastgesteld"], rows)})
    ds = load(folder)
    assert [(m.code, m.rij, m.kolom) for m in ds.melding_list] == [("afspraak_niet_van_kracht", 8, "Vastgesteld"),
                                                                   ("afspraak_status", 9, "Vastgesteld")]
    assert sorted(r["aantal"] for r in ds.afspraken.to_pylist()) == [3, 7, 50]
    assert check(folder)[0] == 1


def test_a_status_in_the_manifest(tmp_path):
    toml = ('[[afspraak]]\nomschrijving = "Voorstel"\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\n'
            'aantal = 20\ningangsdatum = 2026-02-01\nstatus = "concept"\n'
            '[[afspraak]]\nomschrijving = "Vast"\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\n'
            'aantal = 50\ningangsdatum = 2026-02-01\nstatus = "Vastgesteld"\n')
    folder = dataset(tmp_path, toml)
    ds = opvangkern.open_dataset(folder)
    [note] = ds.melding_list
    assert (note.code, note.bestand, note.kolom, note.waarde) == ("afspraak_niet_van_kracht", "opvangkern.toml",
                                                                  "status", "concept")
    lines = (folder / "opvangkern.toml").read_text(encoding="utf-8").splitlines()
    assert lines[note.rij - 1] == "[[afspraak]]" and lines[note.rij] == 'omschrijving = "Voorstel"'
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50
    assert check(folder)[0] == 0


def test_an_unknown_status_in_the_manifest_is_a_fout(tmp_path):
    toml = ('[[afspraak]]\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\naantal = 20\n'
            'ingangsdatum = 2026-02-01\nstatus = "bijna"\n')
    folder = dataset(tmp_path, toml)
    errors = [m for m in load(folder).melding_list if m.is_error]
    assert [(m.code, m.kolom, m.waarde) for m in errors] == [("afspraak_status", "status", "bijna")]
    assert check(folder)[0] == 1


@pytest.mark.parametrize("total, warned", [(50, False), (70, False), (60, True)])
def test_a_total_may_count_the_drafts_or_not(tmp_path, total, warned):
    rows = [row("a", 50, "vastgesteld"), row("b", 20, "concept")]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Status"], rows, total=total)})
    ds = load(folder)
    assert bool(found(ds, "afspraak_totaalrij")) is warned
    assert not ds.has_errors and [r["aantal"] for r in ds.afspraken.to_pylist()] == [50]


# --- 2. fractional places -------------------------------------------------------------------------


@pytest.mark.parametrize("written", [12.5, "12,5", "2.5"])
def test_a_fractional_number_of_places_is_a_fout(tmp_path, written):
    # Before: 12.5 places moved with exit 0.
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER, [row("a", 50), row("b", written)])})
    ds = load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.rij, fout.kolom) == ("afspraak_aantal_geen_geheel", 6, "Aantal")
    assert fout.waarde == str(written) and "hele plekken" in fout.melding
    assert [r["aantal"] for r in ds.afspraken.to_pylist()] == [50]
    assert check(folder)[0] == 1


def test_a_fractional_number_in_the_manifest_is_a_fout(tmp_path):
    folder = dataset(tmp_path, '[[afspraak]]\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\naantal = 12.5\n'
                               'ingangsdatum = 2026-02-01\n')
    errors = [m for m in load(folder).melding_list if m.is_error]
    assert [(m.code, m.kolom) for m in errors] == [("afspraak_aantal_geen_geheel", "aantal")]
    assert "12 of 13" in errors[0].melding


def test_a_formula_that_is_a_hair_off_a_whole_number_is_that_number(tmp_path):
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER, [row("a", 100 * 0.3 + 20.000000000001)])})
    ds = opvangkern.open_dataset(folder)
    assert [m.code for m in ds.melding_list] == []
    assert ds.afspraken.column("aantal").to_pylist() == [50.0]


# --- 3. other columns -----------------------------------------------------------------------------


def test_harmless_columns_are_ignored(tmp_path):
    header = HEADER + ["Opmerking", "Contactpersoon", "Percentage", "Datum besluit college"]
    rows = [row("a", 50, "loopt goed", "J. de Vries", "18%", "12-1-2026")]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(header, rows)})
    ds = opvangkern.open_dataset(folder)
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50


@pytest.mark.parametrize("extra", ["Aantal (per jaar)", "Aantal 2026-II", "Plekken", "Aantal plekken 2027"])
def test_a_second_amount_column_is_a_fout_naming_both_and_the_kolommen_fix(tmp_path, extra):
    # Before: "Plekken" was ignored with a warning, "Aantal 2026-II" crashed the reader into a bare fout, and
    # "Aantal (per jaar)" was ignored silently: Aantal counted whichever the register meant.
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + [extra], [row("a", 50, 100)])})
    ds = load(folder)
    errors = [m for m in ds.melding_list if m.is_error]
    # (``Plekken`` is a name of the amount column: holding 100 beside 50 it is ``kolommen_verschillen`` at the row,
    # thirteenth session)
    assert len(errors) == 1 and errors[0].code in ("afspraak_tweede_aantal", "afspraak_kopregel",
                                                   "kolommen_verschillen")
    fout = errors[0]
    assert (fout.bestand, fout.rij, fout.kolom) == ("afspraken.xlsx", 5 if extra == "Plekken" else 4, extra)
    assert (fout.code == "kolommen_verschillen") == (extra == "Plekken")
    assert "'Aantal'" in fout.melding and "kolommen = {" in fout.melding
    assert ds.afspraken.num_rows == 0
    code, output = check(folder)
    assert code == 1 and "0 gebruikt + 0 totaalrijen + 1 afgewezen" in output


@pytest.mark.parametrize("pick, amount", [("Aantal", 50), ("Aantal (per jaar)", 100)])
def test_kolommen_picks_the_amount_column(tmp_path, pick, amount):
    toml = FILE + f'kolommen = {{ "{pick}" = "Aantal" }}\n'
    folder = dataset(tmp_path, toml, {"afspraken.xlsx": register(HEADER + ["Aantal (per jaar)"], [row("a", 50, 100)])})
    ds = opvangkern.open_dataset(folder)
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + amount


def test_only_an_amount_under_another_name_is_refused_with_the_kolommen_line(tmp_path):
    header = ["Omschrijving", "Opgave", "Van", "Naar", "Aantal (per jaar)", "Ingangsdatum"]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(header, [row("a", 50)])})
    [fout] = [m for m in load(folder).melding_list if m.is_error]
    assert fout.code == "afspraak_kopregel" and 'kolommen = { "Aantal (per jaar)" = "Aantal" }' in fout.melding


def test_opgave_and_van_opgave_side_by_side_is_a_fout(tmp_path):
    # Before: "Van opgave" was ignored with a warning and the row moved places of "Opgave" (amv, not asiel).
    header = ["Omschrijving", "Opgave", "Van opgave", "Van", "Naar", "Aantal", "Ingangsdatum"]
    rows = [["a", "amv", "asiel", "Tynaarlo", "Assen", 10, "1-2-2026"]]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(header, rows)})
    ds = load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.rij, fout.kolom) == ("afspraak_kopregel", 4, "Van opgave")
    assert "'Opgave'" in fout.melding and 'kolommen = { "Van opgave" = "Opgave" }' in fout.melding
    assert ds.afspraken.num_rows == 0 and check(folder)[0] == 1
    fixed = dataset(tmp_path / "fixed", FILE + 'kolommen = { "Van opgave" = "Opgave" }\n',
                    {"afspraken.xlsx": register(header, rows)})
    ds = opvangkern.open_dataset(fixed)
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 10


def test_kolommen_onto_no_agreement_column_is_a_fout(tmp_path):
    folder = dataset(tmp_path, FILE + 'kolommen = { "Aantal" = "Bedrag" }\n',
                     {"afspraken.xlsx": register(HEADER, [row("a", 50)])})
    errors = [m for m in load(folder).melding_list if m.is_error]
    assert [(m.code, m.kolom, m.waarde) for m in errors] == [("afspraak_kopregel", "Aantal", "Bedrag")]


# --- 4. the rest of a register ----------------------------------------------------------------------


def test_the_same_deal_in_the_manifest_and_the_register_under_another_description_is_a_fout(tmp_path):
    # Before: both counted, Assen +100 with exit 0.
    toml = ('[[afspraak]]\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\naantal = 50\n'
            'ingangsdatum = 2026-02-01\n' + FILE)
    folder = dataset(tmp_path, toml, {"afspraken.xlsx": register(HEADER, [row("Assen neemt 50 over", 50)])})
    ds = load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.bestand, fout.rij) == ("afspraak_dubbel", "afspraken.xlsx", 5)
    assert "opvangkern.toml, regel" in fout.melding and check(folder)[0] == 1


def test_two_tranches_alike_in_one_register_still_both_count(tmp_path):
    rows = [row("Eerste tranche", 25), row("Tweede tranche", 25)]
    ds = opvangkern.open_dataset(dataset(tmp_path, files={"afspraken.xlsx": register(HEADER, rows)}))
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50


def test_van_equal_to_naar_and_an_end_before_the_start_are_fouten(tmp_path):
    rows = [row("a", 50, van="Assen", naar="Assen"), row("b", 20, "1-1-2026")]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER + ["Einddatum"], rows)})
    errors = [(m.code, m.rij) for m in load(folder).melding_list if m.is_error]
    assert errors == [("afspraak_zelfde_gebied", 5), ("afspraak_einddatum", 6)]


def test_a_percentage_in_aantal_is_a_fout(tmp_path):
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(HEADER, [row("a", "10%")])})
    assert [(m.code, m.waarde) for m in load(folder).melding_list if m.is_error] == [("afspraak_aantal", "10%")]


def test_wijdemeren_after_the_merger_gives_from_hilversum(tmp_path):
    # Hilversum's 2027 line holds Wijdemeren's share (600 = the enlarged target), so an agreement that still names
    # Wijdemeren lowers Hilversum's line, with a warning naming both.
    source = FIXTURES / "gooi-en-vechtstreek-2027"
    header = ["Omschrijving", "Opgave", "Van gemeente", "Naar gemeente", "Aantal", "Ingangsdatum"]
    rows = [["Gooise Meren neemt over", "asiel", "Wijdemeren", "Gooise Meren", 20, "1-1-2027"]]
    folder = dataset(tmp_path, files={"afspraken.xlsx": register(header, rows)}, source=source)
    ds = opvangkern.open_dataset(folder)
    [note] = [m for m in ds.melding_list if m.bestand == "afspraken.xlsx"]
    assert (note.code, note.kolom, note.waarde) == ("voormalige_gemeente", "Van gemeente", "Wijdemeren")
    assert "Hilversum" in note.melding
    got = {r["gebied_naam"]: r for r in ds.dashboard("VR14").kaarten.to_pylist() if r["opgave"] == "asiel"}
    assert got["Hilversum"]["eindpunt"] == 600 - 20 and got["Gooise Meren"]["eindpunt"] == 240 + 20


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r in rows:
            sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


YEARS = {"2025": [["Afspraken 2025"], HEADER, row("Assen neemt 50 over", 50)],
         "2026": [["Afspraken 2026"], HEADER, row("Emmen geeft 30 aan Assen", 30, van="Emmen")],
         "2027": [["Afspraken 2027 (nog in te vullen)"], HEADER],
         "Toelichting": [["Dit register houdt de provincie bij."]]}


def test_a_register_with_a_sheet_per_year_read_without_blad_is_a_fout(tmp_path):
    # Before: only sheet 2025 was read; Emmen's 30 places on sheet 2026 vanished with exit 0.
    folder = dataset(tmp_path, files={"afspraken.xlsx": workbook(YEARS)})
    ds = load(folder)
    [fout] = [m for m in ds.melding_list if m.is_error]
    assert (fout.code, fout.bestand, fout.blad) == ("afspraak_meerdere_bladen", "afspraken.xlsx", "2026")
    assert 'blad = "2025"' in fout.melding and 'blad = "2026"' in fout.melding and "2027" not in fout.melding
    assert ds.afspraken.num_rows == 0 and check(folder)[0] == 1


def test_each_sheet_named_counts_once(tmp_path):
    toml = FILE + 'blad = "2025"\n' + FILE + 'blad = "2026"\n'
    ds = opvangkern.open_dataset(dataset(tmp_path, toml, {"afspraken.xlsx": workbook(YEARS)}))
    assert [m.code for m in ds.melding_list] == []
    after = cards(ds.dashboard())
    assert after[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50 + 30
    assert after[("Emmen", "asiel")]["eindpunt"] == before("Emmen") - 30


def test_one_sheet_of_agreements_beside_an_empty_one_for_next_year_is_read(tmp_path):
    sheets = {k: v for k, v in YEARS.items() if k != "2026"}
    ds = opvangkern.open_dataset(dataset(tmp_path, files={"afspraken.xlsx": workbook(sheets)}))
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50
