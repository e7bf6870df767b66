"""Hardening (fourteenth session, ``hard14c``): quota decisions, agreement registers and names as they are really
published, in layouts no earlier probe wrote: an increase or a new total beside the target, a workbook that opens
with its explanation sheet, the same agreement on two sheets of one register, a province's register for one task,
rounding rows under a decision, and the names and codes publishers write.

Each case builds the file here and reads it through ``opvangkern check`` and ``load_dataset`` (or the dashboard);
the expected target is plain arithmetic here, or the melding with its row, column and value, and the exit code.

Wrong before this session (exit 0):
- ``Gemeente | Taakstelling | Ophoging`` (also ``Extra``, ``Bijstelling``, ``Aanvullende opgave``) read the base
  alone, and ``Taakstelling | Totaal`` / ``Nieuwe opgave`` / ``Opgave na ophoging`` read the old figure;
- a workbook whose first sheet is its ``Toelichting`` with a worked example under the decision's header: the
  example's figures were the targets and the decision's sheet was not read;
- one agreement on a year sheet and on an overview sheet of one register, each named with ``blad``, with another
  description: it moved its places twice.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

import opvangkern

from .test_agreements_registers import FILE, before, cards, dataset, load, register
from .test_probes_hard13d import NOTES, TITLE, annex, errors

ASSEN, EMMEN = "GM0106", "GM0114"


def book(sheets: list[tuple[str, list[list]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- 1. an increase or a new total beside the target ------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("extra", ["Ophoging", "Extra", "Extra opgave", "Aanvullende taakstelling", "Bijstelling",
                                   "Ophoging 2026", "Verhoging"])
def test_an_increase_beside_the_target_is_refused_until_kolommen_says_which(tmp_path, fmt, extra):
    rows = TITLE + [["Gemeente", "Taakstelling", extra], ["Assen", 60, 10], ["Emmen", 40, 0]] + NOTES
    if fmt == "csv":
        rows = [[str(c) for c in r] for r in rows]
    # before: Assen 60 (the base alone) with exit 0, while the decision may give 60 + 10
    code, targets, found = annex(tmp_path / "a", rows, fmt)
    assert (code, targets) == (1, {})
    assert errors(found) == [("opgave_naast_ophoging", 4, extra, extra)]
    text = next(m["melding"] for m in found if m["code"] == "opgave_naast_ophoging")
    assert "rij 5: 60 en 10" in text and 'kolommen = { "Taakstelling" = "Opgave" }' in text
    # the analyst who means the base picks it by its header
    code, targets, found = annex(tmp_path / "b", rows, fmt, extra='kolommen = { "Taakstelling" = "Opgave" }')
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, EMMEN: 40.0}, [])


@pytest.mark.parametrize("total", ["Totaal", "Nieuwe opgave", "Opgave na ophoging", "Totale taakstelling",
                                   "Taakstelling inclusief ophoging", "Opgave (nieuw)", "Taakstelling totaal",
                                   "Opgave (definitief)"])
def test_a_new_total_beside_the_target_names_itself_as_the_column_to_pick(tmp_path, total):
    rows = TITLE + [["Gemeente", "Taakstelling", "Ophoging", total], ["Assen", "60", "10", "70"],
                    ["Emmen", "40", "-", "40"]] + NOTES
    code, targets, found = annex(tmp_path / "a", rows)
    assert (code, targets, errors(found)) == (1, {}, [("opgave_naast_ophoging", 4, total, total)])
    line = f'kolommen = {{ "{total}" = "Opgave" }}'
    assert line in next(m["melding"] for m in found if m["code"] == "opgave_naast_ophoging")
    code, targets, found = annex(tmp_path / "b", rows, extra=line)
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0 + 10, EMMEN: 40.0}, [])


def test_an_increase_of_zero_everywhere_and_an_equal_total_are_read(tmp_path):
    rows = TITLE + [["Gemeente", "Taakstelling", "Ophoging", "Totaal"], ["Assen", "60", "0", "60"],
                    ["Emmen", "40", "-", "40"]] + NOTES
    code, targets, found = annex(tmp_path, rows)
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, EMMEN: 40.0}, [])


@pytest.mark.parametrize("beside", ["Inwoners", "Aandeel (%)", "Realisatie", "Gerealiseerd", "Stand 1 december",
                                    "Restant", "Aantal inwoners", "Bezetting", "Totaal aantal inwoners",
                                    "Gerealiseerde opgave", "Totaal plekken", "Mutatie t.o.v. 2025",
                                    "Verschil met vorig besluit", "Oude opgave"])
def test_inhabitants_shares_and_realisations_beside_the_target_are_not_it(tmp_path, beside):
    rows = TITLE + [["Gemeente", beside, "Taakstelling"], ["Assen", "68.599", "60"], ["Emmen", "107.000", "40"]]
    code, targets, found = annex(tmp_path, rows + NOTES)
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, EMMEN: 40.0}, [])


# --- 2. a workbook that opens with its explanation --------------------------------------------------------------

DRENTHE = ("Drenthe", [["Verdeelbesluit opvang asielzoekers, provincie Drenthe"], [], ["Gemeente", "Opgave"],
                       ["Assen", 60], ["Emmen", 40], ["Totaal Drenthe", 100]])


@pytest.mark.parametrize("name", ["Toelichting", "Leeswijzer", "Rekenvoorbeeld", "Toelichting verdeling"])
def test_an_explanation_sheet_with_a_worked_example_is_not_the_decision(tmp_path, name):
    example = (name, [["Toelichting bij de verdeling"], ["De opgave volgt uit het aandeel in de inwoners."], [],
                      ["Gemeente", "Inwoners", "Opgave"], ["Assen", 68599, 999]])
    # before: Assen 999 (the example) with exit 0, and Emmen without a target
    code, targets, found = annex(tmp_path / "a", book([example, DRENTHE]), "xlsx")
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, EMMEN: 40.0}, [])
    # named with blad, the explanation sheet is read as asked
    code, targets, found = annex(tmp_path / "b", book([example, DRENTHE]), "xlsx", extra=f'blad = "{name}"')
    assert (code, targets) == (0, {ASSEN: 999.0})


def test_an_explanation_sheet_that_is_the_only_table_is_still_read(tmp_path):
    only = ("Toelichting", [["Gemeente", "Opgave"], ["Assen", 60]])
    code, targets, found = annex(tmp_path, book([("Voorblad", [["Verdeelbesluit 2026"]]), only]), "xlsx")
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0}, [])


def test_a_sheet_per_province_with_a_national_sheet_needs_blad_per_province(tmp_path):
    national = ("Landelijk", [["Verdeling per provincie"], [], ["Provincie", "Opgave"], ["Drenthe", 100],
                              ["Groningen", 250], ["Totaal", 350]])
    groningen = ("Groningen", [["Gemeente", "Opgave"], ["Groningen", 200], ["Veendam", 50], ["Totaal Groningen", 250]])
    data = book([national, DRENTHE, groningen])
    code, targets, found = annex(tmp_path / "a", data, "xlsx")
    assert code == 1 and [e[0] for e in errors(found)] == ["ander_blad_niet_gelezen"]
    code, targets, found = annex(tmp_path / "b", data, "xlsx", extra='blad = "Drenthe"')
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, EMMEN: 40.0}, [])


# --- 3. one agreement on two sheets of one register -------------------------------------------------------------

HEADER = ["Omschrijving", "Opgave", "Van gemeente", "Naar gemeente", "Aantal", "Ingangsdatum", "Status"]


def test_the_same_agreement_on_a_year_sheet_and_an_overview_sheet_is_a_fout(tmp_path):
    deal = ["Assen neemt 50 over", "asiel", "Tynaarlo", "Assen", 50, "1-2-2026", "vastgesteld"]
    copy = ["Uitruil Tynaarlo-Assen", "Opvang asiel", "GM1730", "GM0106", 50, "1 februari 2026", "definitief"]
    data = book([("2026", [["Afspraken 2026"], HEADER, deal]), ("Overzicht", [["Alle afspraken"], HEADER, copy])])
    toml = FILE + 'blad = "2026"\n' + FILE + 'blad = "Overzicht"\n'
    # before: Assen 1.000 + 100 with exit 0
    ds = load(dataset(tmp_path / "a", toml, {"afspraken.xlsx": data}))
    [fout] = [m for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"]
    assert (fout["code"], fout["blad"], fout["rij"], fout["waarde"]) == ("afspraak_dubbel", "Overzicht", 3, "50")
    assert "blad 2026, rij 3" in fout["melding"]
    # two tranches alike on one sheet still both count
    ds = opvangkern.open_dataset(dataset(tmp_path / "b", files={"afspraken.xlsx": register(HEADER, [deal, copy])}))
    assert not any(m.is_error for m in ds.melding_list)
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50 + 50


# --- 4. a province's register for one task: no Opgave column --------------------------------------------------

ONE_TASK = ["Van gemeente", "Naar gemeente", "Aantal", "Ingangsdatum", "Status"]
ONE_TASK_ROWS = [["Tynaarlo", "Assen", 50, "1-2-2026", "vastgesteld"],
                 ["Emmen", "Assen", 20, "1 februari 2026", "concept"]]


def test_a_register_without_an_opgave_column_names_the_line_that_gives_its_task(tmp_path):
    # before: 'verplichte kolom ontbreekt: Opgave' and no way to say it in the manifest (opgave beside bestand was
    # manifest_afspraak): a false refusal of the register as a province keeps it
    ds = load(dataset(tmp_path, files={"afspraken.xlsx": register(ONE_TASK, ONE_TASK_ROWS)}))
    [fout] = [m for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"]
    assert (fout["code"], fout["blad"], fout["rij"]) == ("afspraak_kopregel", "Register", 4)
    assert 'bestand = "afspraken.xlsx": opgave = "asiel"' in fout["melding"]


@pytest.mark.parametrize("written", ["asiel", "Opvang asiel"])
def test_opgave_in_the_entry_gives_the_task_of_every_row(tmp_path, written):
    toml = FILE + f'opgave = "{written}"\n'
    ds = opvangkern.open_dataset(dataset(tmp_path, toml, {"afspraken.xlsx": register(ONE_TASK, ONE_TASK_ROWS)}))
    assert [(m.code, m.rij, m.waarde) for m in ds.melding_list] == [("afspraak_niet_van_kracht", 6, "concept")]
    after = cards(ds.dashboard())
    assert after[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50  # the concept of 20 does not count
    assert after[("Tynaarlo", "asiel")]["eindpunt"] == before("Tynaarlo", "asiel") - 50
    assert after[("Emmen", "asiel")]["eindpunt"] == before("Emmen")


def test_naar_opgave_in_the_entry_makes_every_row_an_exchange(tmp_path):
    toml = FILE + 'opgave = "asiel"\nnaar_opgave = "amv"\n'
    ds = opvangkern.open_dataset(dataset(tmp_path, toml, {"afspraken.xlsx": register(ONE_TASK, ONE_TASK_ROWS[:1])}))
    after = cards(ds.dashboard())
    assert after[("Tynaarlo", "asiel")]["eindpunt"] == before("Tynaarlo") - 50
    assert after[("Assen", "amv")]["eindpunt"] == 50 and after[("Assen", "asiel")]["eindpunt"] == before("Assen")


def test_opgave_in_the_entry_beside_an_opgave_column_or_unknown_is_a_fout(tmp_path):
    rows = [["asiel", *r] for r in ONE_TASK_ROWS]
    ds = load(dataset(tmp_path / "a", FILE + 'opgave = "asiel"\n', {"afspraken.xlsx": register(["Opgave", *ONE_TASK],
                                                                                            rows)}))
    found = [(m["code"], m["rij"], m["kolom"]) for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"]
    assert found == [("afspraak_kopregel", 4, "Opgave")] and ds.afspraken.num_rows == 0
    ds = load(dataset(tmp_path / "b", FILE + 'opgave = "uitruil"\n',
                      {"afspraken.xlsx": register(ONE_TASK, ONE_TASK_ROWS)}))
    found = [(m["code"], m["bestand"], m["kolom"], m["waarde"]) for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"]
    assert found == [("afspraak_onbekende_opgave", "opvangkern.toml", "opgave", "uitruil")]
    # a written agreement's other keys beside bestand stay a fout
    ds = load(dataset(tmp_path / "c", FILE + 'opgave = "asiel"\nvan = "Tynaarlo"\n',
                      {"afspraken.xlsx": register(ONE_TASK, ONE_TASK_ROWS)}))
    assert [m["code"] for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"] == ["manifest_afspraak"]


# --- 5. a row under the decision that is no municipality: the melding gives the line that skips it --------------

@pytest.mark.parametrize("label", ["Afrondingsverschil", "Afronding", "Reserve", "Rijk", "Niet verdeeld"])
def test_a_rounding_or_reserve_row_is_refused_with_the_waarden_line_that_skips_it(tmp_path, label):
    rows = TITLE + [["Gemeente", "Opgave"], ["Assen", "60"], ["Emmen", "40"], [label, "1"], ["Totaal", "101"]]
    code, targets, found = annex(tmp_path / "a", rows + NOTES)
    # before: 'Onbekende gemeente' with at most a few names, and no way out named
    assert code == 1 and errors(found) == [("gebied_onbekend", 7, "Gemeente", label)]
    line = f'waarden = {{ "{label}" = "overslaan" }}'
    assert line in next(m["melding"] for m in found if m["code"] == "gebied_onbekend")
    code, targets, found = annex(tmp_path / "b", rows + NOTES, extra=line)
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, EMMEN: 40.0}, [])
    # the total counted the rounding difference: a warning, not a figure
    assert [m["code"] for m in found if m["ernst"] == "waarschuwing"] == ["totaalrij_klopt_niet"]


# --- 6. names and codes as the publishers write them --------------------------------------------------------------

@pytest.mark.parametrize("written, code", [
    ("\u2019s-Hertogenbosch", "GM0796"), ("Den Bosch", "GM0796"), ("s-Hertogenbosch", "GM0796"),
    ("Nuenen c.a.", "GM0820"), ("Nuenen, Gerwen en Nederwetten", "GM0820"), ("Bergen (NH)", "GM0373"),
    ("Bergen (N.H.)", "GM0373"), ("Bergen NH", "GM0373"), ("Bergen (L)", "GM0893"), ("Sudwest-Fryslan", "GM1900"),
    ("Súdwest Fryslân", "GM1900"), ("Noardeast-Fryslân", "GM1970"), ("Noardeast-Fryslan", "GM1970"),
    ("Den Haag", "GM0518"), ("'s-Gravenhage", "GM0518"), ("\u2018s-Gravenhage", "GM0518"),
    ("Utrechtse Heuvelrug", "GM1581"), ("Hengelo (O)", "GM0164"), ("Hengelo (O.)", "GM0164"),
    ("Rijswijk (ZH)", "GM0603"), ("Laren (NH)", "GM0417"), ("Dantumadeel", "GM1891"),
    ("GM 0014", "GM0014"), ("GM-0014", "GM0014"), ("gm0014", "GM0014"), ("0014", "GM0014"), ("14", "GM0014"),
])
def test_names_and_codes_as_published_are_the_municipality(tmp_path, written, code):
    column = "Gemeentecode" if written[-1].isdigit() else "Gemeente"
    got = annex(tmp_path, TITLE + [[column, "Opgave"], [written, "10"]] + NOTES)
    assert (got[0], got[1], errors(got[2])) == (0, {code: 10.0}, [])


# --- 7. divisions over time: an old code beside the new name -----------------------------------------------------

DIJK_EN_WAARD, ALKMAAR = "GM1980", "GM0361"


@pytest.mark.parametrize("code_cell, name_cell", [("GM0398", "Dijk en Waard"), ("GM1980", "Heerhugowaard")])
def test_an_old_code_beside_the_successors_name_says_what_they_are_and_how_to_choose(tmp_path, code_cell, name_cell):
    rows = TITLE + [["Gemeentecode", "Gemeente", "Opgave"], [code_cell, name_cell, "140"], ["GM0361", "Alkmaar", "50"]]
    code, targets, found = annex(tmp_path / "a", rows + NOTES)
    assert (code, targets) == (1, {ALKMAAR: 50.0})
    [(melding_code, rij, kolom, _)] = errors(found)
    assert (melding_code, rij) == ("gebieden_spreken_tegen", 5)
    text = next(m["melding"] for m in found if m["code"] == "gebieden_spreken_tegen")
    # before: only 'die spreken elkaar tegen'
    assert "Heerhugowaard (GM0398) is opgegaan in Dijk en Waard (GM1980)" in text
    assert "schrijf dan Heerhugowaard (GM0398) in beide kolommen" in text
    # either fix reads: the whole successor's figure, or the former municipality's part (with its warning)
    whole = TITLE + [["Gemeentecode", "Gemeente", "Opgave"], ["GM1980", "Dijk en Waard", "140"],
                     ["GM0361", "Alkmaar", "50"]]
    assert annex(tmp_path / "b", whole + NOTES)[:2] == (0, {DIJK_EN_WAARD: 140.0, ALKMAAR: 50.0})
    part = TITLE + [["Gemeentecode", "Gemeente", "Opgave"], ["GM0398", "Heerhugowaard", "140"],
                    ["GM0361", "Alkmaar", "50"]]
    code, targets, found = annex(tmp_path / "c", part + NOTES)
    assert (code, targets) == (0, {DIJK_EN_WAARD: 140.0, ALKMAAR: 50.0})
    assert "voormalige_gemeente_na_herindeling" in [m["code"] for m in found]


def test_two_municipalities_that_never_merged_still_just_contradict(tmp_path):
    rows = TITLE + [["Gemeentecode", "Gemeente", "Opgave"], ["GM0106", "Emmen", "40"]]
    code, targets, found = annex(tmp_path, rows + NOTES)
    text = next(m["melding"] for m in found if m["code"] == "gebieden_spreken_tegen")
    assert (code, targets) == (1, {}) and text.endswith("die spreken elkaar tegen")


# --- 8. agreement dates as a register writes them -----------------------------------------------------------------

@pytest.mark.parametrize("written, read", [("1 januari 2027", None), ("1 februari 2026", True), ("01.02.2026", True),
                                           ("01-02-26", False), ("1-2-26", False)])
def test_agreement_dates_written_out_or_with_a_year_of_two_digits(tmp_path, written, read):
    header = ["Omschrijving", "Opgave", "Van gemeente", "Naar gemeente", "Aantal", "Ingangsdatum"]
    rows = [["Assen neemt over", "asiel", "Tynaarlo", "Assen", "+50", written]]
    ds = load(dataset(tmp_path, files={"afspraken.xlsx": register(header, rows)}))
    fouten = [m for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"]
    if read is None:  # after every quota point of the giving line: its own fout, with the date read
        assert [m["code"] for m in fouten] == ["afspraak_na_laatste_punt"]
    elif read:
        assert fouten == [] and ds.afspraken.to_pylist()[0]["aantal"] == 50
    else:
        [fout] = fouten
        assert (fout["code"], fout["rij"], fout["kolom"], fout["waarde"]) == ("afspraak_ingangsdatum", 5,
                                                                              "Ingangsdatum", written)
        assert "een jaar van twee cijfers wordt niet geraden" in fout["melding"]  # before: only the formats


def test_a_register_that_opens_with_an_explanation_and_its_example_reads_the_register(tmp_path):
    example = ("Toelichting", [["Zo vult u het register in"], HEADER,
                               ["Voorbeeld", "asiel", "Gemeente A", "Assen", 10, "1-1-2026", "concept"]])
    deal = ["Assen neemt 50 over", "asiel", "Tynaarlo", "Assen", 50, "1-2-2026", "vastgesteld"]
    data = book([example, ("Register", [["Register uitruil"], HEADER, deal])])
    ds = opvangkern.open_dataset(dataset(tmp_path, files={"afspraken.xlsx": data}))
    # before: the example was read (an unknown area, 'Gemeente A') and the register was not
    assert [m.code for m in ds.melding_list] == []
    assert cards(ds.dashboard())[("Assen", "asiel")]["eindpunt"] == before("Assen") + 50


# --- 9. a decision made from an Excel pivot table: 'Drenthe Totaal' ------------------------------------------------

PIVOT = [["Provincie", "Gemeente", "Opgave"], ["Drenthe", "Assen", 60], [None, "Emmen", 40], ["Drenthe Totaal", None, 100],
         ["Groningen", "Groningen", 250], [None, "Veendam", 30], ["Groningen Totaal", None, 280],
         ["Fryslân", "Leeuwarden", 70], ["Fryslân Totaal", None, 70], ["Eindtotaal", None, 450]]
PIVOT_TARGETS = {ASSEN: 60.0, EMMEN: 40.0, "GM0014": 250.0, "GM0047": 30.0, "GM0080": 70.0}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_pivot_tables_subtotals_after_the_name_are_totals_rows(tmp_path, fmt):
    rows = PIVOT if fmt == "xlsx" else [["" if c is None else str(c) for c in r] for r in PIVOT]
    # before: 'Drenthe Totaal' was an unknown municipality and 'Groningen Totaal' a row without one (exit 1)
    code, targets, found = annex(tmp_path / "a", rows, fmt)
    assert (code, targets, errors(found)) == (0, PIVOT_TARGETS, [])
    assert [m["code"] for m in found if m["ernst"] == "waarschuwing"] == []
    wrong = [r[:] for r in rows]
    wrong[6][2] = 281 if fmt == "xlsx" else "281"  # Groningen Totaal: the sum of the province's rows is 280
    code, targets, found = annex(tmp_path / "b", wrong, fmt)
    assert (code, targets) == (0, PIVOT_TARGETS)
    assert [(m["code"], m["rij"]) for m in found if m["ernst"] == "waarschuwing"] == [("totaalrij_klopt_niet", 7)]


def test_a_pivot_subtotal_in_the_municipality_column_is_read_only_where_it_names_no_municipality(tmp_path):
    compact = [["Gemeente", "Opgave"], ["Assen", 60], ["Emmen", 40], ["Drenthe Totaal", 100], ["Groningen", 250],
               ["Veendam", 30], ["Groningen Totaal", 280], ["Eindtotaal", 380]]
    code, targets, found = annex(tmp_path, compact, "xlsx")
    # 'Drenthe Totaal' is the province's subtotal; 'Groningen Totaal' may be the municipality's (a list per
    # location): a fout that shows both ways out, as before
    assert errors(found) == [("gebied_onbekend", 7, "Gemeente", "Groningen Totaal")] and code == 1
    assert "Totaal Groningen" in next(m["melding"] for m in found if m["code"] == "gebied_onbekend")


@pytest.mark.parametrize("label", ["waarvan amv", "- waarvan amv", "waaronder amv"])
def test_a_waarvan_row_under_a_municipality_is_refused_with_the_column_to_write(tmp_path, label):
    rows = TITLE + [["Gemeente", "Opgave"], ["Assen", "60"], [label, "5"], ["Emmen", "40"]] + NOTES
    code, targets, found = annex(tmp_path, rows)
    # before: only 'Onbekende gemeente'; skipping it as the general line says would leave the AMV part in Assen's
    # asylum target, so the melding names the column instead
    assert code == 1 and errors(found) == [("gebied_onbekend", 6, "Gemeente", label)]
    text = next(m["melding"] for m in found if m["code"] == "gebied_onbekend")
    assert "uitsplitsing van de rij erboven" in text and "'Waarvan amv'" in text and "overslaan" not in text


@pytest.mark.parametrize("written, code", [
    ("Tytsjerksteradiel (Tietjerksteradeel)", "GM0737"), ("Dantumadiel (Dantumadeel)", "GM1891"),
    ("Leeuwarden (Ljouwert)", "GM0080"), ("Den Haag (\u2019s-Gravenhage)", "GM0518"),
    ("'s-Gravenhage (Den Haag)", "GM0518"), ("\u02bcs-Hertogenbosch", "GM0796"),
    ("St. Michielsgestel", "GM0845"), ("St-Michielsgestel", "GM0845"),
])
def test_two_names_of_one_municipality_and_other_spellings_are_that_municipality(tmp_path, written, code):
    # before: each an unknown municipality (exit 1), a false refusal of the names a Frisian or a hand-typed
    # list writes
    got = annex(tmp_path, TITLE + [["Gemeente", "Opgave"], [written, "10"]] + NOTES)
    assert (got[0], got[1], errors(got[2])) == (0, {code: 10.0}, [])


@pytest.mark.parametrize("written", ["Groningen (Haren)", "Haren (Groningen)", "Amsterdam (Weesp)", "Assen (Emmen)",
                                     "Hilversum (incl. Wijdemeren)"])
def test_a_former_municipality_or_another_one_in_brackets_stays_unknown(tmp_path, written):
    # the bracket may say the figure is (or holds) another or a former municipality's: not read by itself
    got = annex(tmp_path, TITLE + [["Gemeente", "Opgave"], [written, "10"]] + NOTES)
    assert (got[0], got[1]) == (1, {}) and [e[0] for e in errors(got[2])] == ["gebied_onbekend"]


# --- 10. a municipality that changed province, and a safety-region column ---------------------------------------

VIJFHEERENLANDEN, UTRECHT = "GM1961", "GM0344"


@pytest.mark.parametrize("day", ["2018-07-01", "2026-01-01"])
def test_a_former_municipality_under_its_province_of_then_is_no_contradiction(tmp_path, day):
    # Leerdam and Zederik lay in Zuid-Holland until 2019; their successor Vijfheerenlanden lies in Utrecht.
    # Before: provincie_spreekt_tegen at both rows, 'Leerdam ligt in Utrecht', and their targets left out (exit 1)
    rows = TITLE + [["Provincie", "Gemeente", "Opgave"], ["Zuid-Holland", "Leerdam", "10"],
                    ["Zuid-Holland", "Zederik", "5"], ["Utrecht", "Vianen", "7"], ["Utrecht", "Utrecht", "300"]]
    code, targets, found = annex(tmp_path, rows + NOTES, day=day)
    assert (code, targets, errors(found)) == (0, {VIJFHEERENLANDEN: 10.0 + 5 + 7, UTRECHT: 300.0}, [])
    assert "provincie_spreekt_tegen" not in [m["code"] for m in found]


def test_a_current_municipality_under_another_province_is_still_refused(tmp_path):
    rows = TITLE + [["Provincie", "Gemeente", "Opgave"], ["Zuid-Holland", "Vijfheerenlanden", "22"],
                    ["Utrecht", "Utrecht", "300"]]
    code, targets, found = annex(tmp_path, rows + NOTES)
    assert (code, targets) == (1, {UTRECHT: 300.0})
    assert errors(found) == [("provincie_spreekt_tegen", 5, "Provincie", "Zuid-Holland")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_safety_region_column_that_contradicts_the_municipality_is_a_fout(tmp_path, fmt):
    rows = TITLE + [["Veiligheidsregio", "Gemeente", "Opgave"], ["Drenthe", "Assen", "60"], ["Twente", "Emmen", "40"],
                    ["Twente", "Hengelo", "30"]] + NOTES
    # before: Emmen's row counted, whatever the region column said (a shifted row may give another's figure)
    code, targets, found = annex(tmp_path / "a", rows, fmt)
    assert (code, targets) == (1, {ASSEN: 60.0, "GM0164": 30.0})
    assert errors(found) == [("veiligheidsregio_spreekt_tegen", 6, "Veiligheidsregio", "Twente")]
    # the region written as code or alias agrees
    rows = TITLE + [["VR", "Gemeente", "Opgave"], ["Drenthe", "Assen", "60"], ["IJsselland", "Zwolle", "40"],
                    ["Fryslân", "Súdwest-Fryslân", "30"]] + NOTES
    code, targets, found = annex(tmp_path / "b", rows, fmt)
    assert (code, targets, errors(found)) == (0, {ASSEN: 60.0, "GM0193": 40.0, "GM1900": 30.0}, [])


@pytest.mark.parametrize("opgave, read", [("asiel", "Opgave inclusief amv"), ("amv", "Waarvan amv")])
def test_an_increase_beside_the_spreidingswet_columns_is_refused_for_both_tasks(tmp_path, opgave, read):
    rows = TITLE + [["Gemeente", "Opgave inclusief amv", "Waarvan amv", "Ophoging"], ["Assen", "60", "5", "10"],
                    ["Emmen", "40", "3", "0"]] + NOTES
    # before: Assen's asylum target 60 - 5 (AMV 5), the increase of 10 unread, exit 0
    code, targets, found = annex(tmp_path / "a", rows, opgave=opgave)
    assert (code, targets, errors(found)) == (1, {}, [("opgave_naast_ophoging", 4, "Ophoging", "Ophoging")])
    line = f'kolommen = {{ "{read}" = "{read}" }}'
    assert line in next(m["melding"] for m in found if m["code"] == "opgave_naast_ophoging")
    code, targets, found = annex(tmp_path / "b", rows, opgave=opgave, extra=line)
    expected = {ASSEN: 60.0 - 5, EMMEN: 40.0 - 3} if opgave == "asiel" else {ASSEN: 5.0, EMMEN: 3.0}
    assert (code, targets, errors(found)) == (0, expected, [])
