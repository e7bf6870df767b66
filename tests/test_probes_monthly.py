"""Hardening (eleventh session, ``hard11f``): files as an analyst feeds them each month, not probed before.

Each case builds the file here, laid out as the source publishes it, reads it through ``read`` of
``tests/test_probes.py`` (the adapter with its fast paths, inside ``fastscan.careful()`` and through the plugin's
reference adapter: the same result each way) or through a copy of the sample dataset, and asserts the figure
worked out by plain arithmetic, or the melding (code, file, row, column, value) and what it tells the user to do.

Wrong before this session (exit 0):
- a Nidos export per ``Plaatsingsvorm`` (``Kleinschalig``, ``Gezinshuis``, ``Pleeggezin``) summed the foster
  families' and family homes' places into ``nidos_amv``, the small-scale reception (Assen 10 + 5 + 7 = 22 for
  10), with only the ``dubbele_gemeente`` warning that asks whether a row is a double;
- an agreement with an end (a column ``Einddatum``, ``Tot en met``, ``Geldig tot``; ``tot_en_met`` in the
  manifest) kept lowering and raising the lines after it had ended: the column was ignored without a word (the
  manifest key with a warning that it was ignored), and the December card counted an agreement that ended in June.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import opvangkern
from opvangkern.testing import load_module

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_monthly")
ASSEN, EMMEN = _PROBES.ASSEN, _PROBES.EMMEN
NIDOS = _PROBES.NIDOS
errors, figures, read, where, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where, _PROBES.workbook


def both(rows: list[list], sheet: str = "Nidos") -> dict[str, bytes]:
    """The same table as a CSV (``;``) and as an XLSX written with openpyxl."""
    text = "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows)
    return {"csv": text.encode("utf-8-sig"), "xlsx": workbook({sheet: rows})}


def codes(result) -> list[str]:
    return [m.code for m in result.meldingen]


# --- 1. Nidos per placement: only small-scale reception counts ------------------------------------------------

PER_PLACEMENT = [["Nidos - plaatsingen amv per gemeente"], ["Stand per 31 december 2025"], [],
                 ["Gemeente", "Plaatsingsvorm", "Plekken"],
                 ["Assen", "Kleinschalig", 10], ["Assen", "Gezinshuis", 5], ["Assen", "Pleeggezin", 7],
                 ["Emmen", "KWE", 3], ["Emmen", "Opvanggezin", 4], ["Totaal", None, 10 + 5 + 7 + 3 + 4],
                 ["Bron: Nidos"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_nidos_list_per_placement_counts_the_small_scale_places_only(fmt):
    """Was wrong: Assen 22 (10 + 5 + 7) and Emmen 7 (3 + 4), the family placements summed into the small-scale
    reception, with only ``dubbele_gemeente``. Now Assen 10 and Emmen 3; one warning names the family rows;
    the totals row (29, every row) is checked against all rows and agrees."""
    result = read("nidos", both(PER_PLACEMENT)[fmt])
    assert figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 3}
    [warning] = result.meldingen
    assert where(warning) == ("waarschuwing", "plaatsingsvorm_niet_kleinschalig", f"nidos.{fmt}",
                              "Nidos" if fmt == "xlsx" else None, 6, "Plaatsingsvorm", "Gezinshuis")
    assert "rij 6 (Gezinshuis), rij 7 (Pleeggezin), rij 9 (Opvanggezin)" in warning.melding
    assert 'waarden = { "Gezinshuis" = "kleinschalig" }' in warning.melding


@pytest.mark.parametrize("header", ["Plaatsingsvorm", "Soort opvang", "Woonvorm", "Type"])
def test_the_placement_column_under_its_other_names(header):
    data = both([["Gemeente", header, "Aantal"], ["Assen", "Kleinschalige wooneenheid", 8],
                 ["Assen", "Netwerkgezin", 2]])["csv"]
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 8}
    assert codes(result) == ["plaatsingsvorm_niet_kleinschalig"]


def test_an_unknown_placement_is_a_fout_that_shows_the_waarden_line():
    """A placement the adapter does not know is never summed in: the row is a ``fout`` (not counted)."""
    data = both([["Gemeente", "Plaatsingsvorm", "Plekken"], ["Assen", "Kleinschalig", 10],
                 ["Assen", "Logeerhuis", 5]])["csv"]
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 10}
    [fout] = errors(result)
    assert where(fout) == ("fout", "plaatsingsvorm_onbekend", "nidos.csv", None, 3, "Plaatsingsvorm", "Logeerhuis")
    assert 'waarden = { "Logeerhuis" = "kleinschalig" }' in fout.melding and '"overslaan"' in fout.melding


def test_waarden_decide_an_unknown_placement():
    rows = [["Gemeente", "Plaatsingsvorm", "Plekken"], ["Assen", "Kleinschalig", 10], ["Assen", "Logeerhuis", 5],
            ["Emmen", "Logeerhuis", 4], ["Emmen", "Pleeggezin", 6]]
    counted = read("nidos", both(rows)["csv"], waarden={"Logeerhuis": "kleinschalig", "Pleeggezin": "overslaan"})
    assert figures(counted) == {(ASSEN, *NIDOS): 10 + 5, (EMMEN, *NIDOS): 4}
    assert codes(counted) == ["dubbele_gemeente"]  # Assen's two counted rows are summed, as any list per location
    left_out = read("nidos", both(rows)["csv"], waarden={"Logeerhuis": "overslaan", "Pleeggezin": "overslaan"})
    assert figures(left_out) == {(ASSEN, *NIDOS): 10} and codes(left_out) == []


def test_a_subtotal_without_a_placement_is_a_fout_not_a_second_count():
    """``Assen | | 15`` under Assen's rows is the municipality's subtotal: summed in it would count Assen twice."""
    data = both([["Gemeente", "Plaatsingsvorm", "Plekken"], ["Assen", "Kleinschalig", 10],
                 ["Assen", "Kleinschalig wonen", 5], ["Assen", None, 15]])["csv"]
    result = read("nidos", data)
    assert figures(result) == {(ASSEN, *NIDOS): 10 + 5}
    assert [where(m)[1:6] for m in errors(result)] == [("plaatsingsvorm_ontbreekt", "nidos.csv", None, 4,
                                                        "Plaatsingsvorm")]
    assert "Totaal Assen" in errors(result)[0].melding


def test_a_nidos_list_without_a_placement_column_is_read_as_before():
    result = read("nidos", both([["Gemeente", "Plekken"], ["Assen", 10], ["Emmen", 3]])["csv"])
    assert not result.meldingen and figures(result) == {(ASSEN, *NIDOS): 10, (EMMEN, *NIDOS): 3}


def test_the_dashboard_shows_the_small_scale_places(tmp_path):
    """Through a dataset: the Nidos card of Assen realises 10, not 22."""
    folder = _PROBES._dataset(tmp_path, {"bronnen/nidos.csv": both(PER_PLACEMENT)["csv"]})
    ds = opvangkern.open_dataset(folder)
    assert [m.code for m in ds.melding_list if m.bestand == "bronnen/nidos.csv"] == [
        "plaatsingsvorm_niet_kleinschalig"]
    cards = {(r["gebied_code"], r["opgave"]): r for r in ds.dashboard().kaarten.to_pylist()}
    assert cards[ASSEN, "nidos_amv"]["realisatie"] == 10
    assert cards[EMMEN, "nidos_amv"]["realisatie"] == 3


# --- 2. An agreement that ends ----------------------------------------------------------------------------------

def sample(tmp_path: Path, toml: str = "", files: dict[str, str] | None = None) -> Path:
    """A copy of the sample (asylum lines with points on 1-1-2025 and 1-2-2026, peildatum 31-12-2025)."""
    folder = tmp_path / "ds"
    shutil.copytree(opvangkern.sample_path(), folder)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    for name, text in (files or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def asylum_end_points(ds) -> dict[str, float]:
    return {r["gebied_naam"]: r["eindpunt"] for r in ds.dashboard().kaarten.to_pylist()
            if r["opgave"] == "asiel" and r["gebied_naam"] in ("Assen", "Tynaarlo")}


FILE = '[[afspraak]]\nbestand = "afspraken.csv"\n'
HEAD = "Omschrijving;Opgave;Van;Naar;Aantal;Ingangsdatum;{}\n"


@pytest.mark.parametrize("header, written", [("Einddatum", "2025-06-30"), ("Tot en met", "30-6-2025"),
                                             ("Geldig tot", "30 juni 2025")])
def test_an_agreement_that_ended_before_a_later_point_is_a_fout(tmp_path, header, written):
    """Was wrong: Tynaarlo gave Assen 50 asylum places until 30 June 2025; the column was ignored, so the
    2026 points still moved 50 (Assen 1000 + 50 = 1050, Tynaarlo 278 − 50 = 228) with exit 0. Now a ``fout``
    that gives the reverse agreement from 1 July 2025."""
    text = HEAD.format(header) + f"Tijdelijk;asiel;Tynaarlo;Assen;50;2025-01-01;{written}\n"
    folder = sample(tmp_path, FILE, {"afspraken.csv": text})
    with pytest.raises(opvangkern.DataError) as raised:
        opvangkern.open_dataset(folder)
    [fout] = [m for m in raised.value.meldingen if m.is_error]
    assert (fout.code, fout.bestand, fout.rij, fout.kolom, fout.waarde) == (
        "afspraak_einddatum", "afspraken.csv", 2, header, written)
    assert "1 februari 2026" in fout.melding
    assert "van Assen, naar Tynaarlo, naar_opgave asiel, aantal 50, ingangsdatum 1 juli 2025" in fout.melding


def test_the_reverse_agreement_the_melding_gives_ends_it(tmp_path):
    """What the melding says to write: from 1 July 2025 the two cancel, so the 2026 points are the decisions'
    (Assen 1000, Tynaarlo 278)."""
    text = (HEAD.format("Einddatum") + "Tijdelijk;asiel;Tynaarlo;Assen;50;2025-01-01;\n"
            "Einde;asiel;Assen;Tynaarlo;50;2025-07-01;\n")
    ds = opvangkern.open_dataset(sample(tmp_path, FILE, {"afspraken.csv": text}))
    assert [m.code for m in ds.melding_list] == []
    assert asylum_end_points(ds) == {"Assen": 1000.0, "Tynaarlo": 278.0}


def test_an_end_after_every_point_counts_the_agreement(tmp_path):
    """An end on 31 December 2026, after the last point (1-2-2026) of both lines: the agreement holds at every
    point the dataset has, so it counts: Assen 1000 + 50, Tynaarlo 278 − 50."""
    text = HEAD.format("Tot en met") + "Tijdelijk;asiel;Tynaarlo;Assen;50;2025-01-01;31-12-2026\n"
    ds = opvangkern.open_dataset(sample(tmp_path, FILE, {"afspraken.csv": text}))
    assert [m.code for m in ds.melding_list] == []
    assert asylum_end_points(ds) == {"Assen": 1000.0 + 50, "Tynaarlo": 278.0 - 50}


@pytest.mark.parametrize("written", ["", "-", "onbepaald", "Voor onbepaalde tijd"])
def test_an_agreement_without_an_end_counts_as_before(tmp_path, written):
    text = HEAD.format("Einddatum") + f"Blijvend;asiel;Tynaarlo;Assen;50;2025-01-01;{written}\n"
    ds = opvangkern.open_dataset(sample(tmp_path, FILE, {"afspraken.csv": text}))
    assert [m.code for m in ds.melding_list] == []
    assert asylum_end_points(ds) == {"Assen": 1000.0 + 50, "Tynaarlo": 278.0 - 50}


@pytest.mark.parametrize("written, why", [("eind juni", "is geen datum"), ("2024-12-31", "vóór de ingangsdatum")])
def test_an_end_that_is_no_date_or_before_the_start_is_a_fout(tmp_path, written, why):
    text = HEAD.format("Einddatum") + f"Tijdelijk;asiel;Tynaarlo;Assen;50;2025-01-01;{written}\n"
    with pytest.raises(opvangkern.DataError) as raised:
        opvangkern.open_dataset(sample(tmp_path, FILE, {"afspraken.csv": text}))
    [fout] = [m for m in raised.value.meldingen if m.is_error]
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("afspraak_einddatum", 2, "Einddatum", written)
    assert why in fout.melding


@pytest.mark.parametrize("key", ["einddatum", "tot_en_met", "geldig_tot"])
def test_an_end_in_the_manifest_is_checked_not_ignored(tmp_path, key):
    """Was wrong: ``tot_en_met = 2025-06-30`` was an unknown key, ignored with a warning, and the agreement
    counted in 2026."""
    toml = ('[[afspraak]]\nopgave = "asiel"\nvan = "Tynaarlo"\nnaar = "Assen"\naantal = 50\n'
            f"ingangsdatum = 2025-01-01\n{key} = 2025-06-30\n")
    with pytest.raises(opvangkern.DataError) as raised:
        opvangkern.open_dataset(sample(tmp_path, toml))
    assert [(m.code, m.kolom, m.waarde) for m in raised.value.meldingen if m.is_error] == [
        ("afspraak_einddatum", "einddatum", "2025-06-30")]
    assert not [m for m in raised.value.meldingen if m.code == "manifest_onbekende_sleutel"]


# --- 3. KCIO per reception type: only the municipal reception (GOO) counts ---------------------------------------

KCIO = _PROBES.KCIO
PER_TYPE = [["Opvang ontheemden uit Oekraïne"], ["Stand per 31 december 2025"], [],
            ["Veiligheidsregio", "Gemeente", "Opvangvorm", "Capaciteit", "Bezetting"],
            ["Drenthe", "Assen", "GOO", 300, 250], ["Drenthe", "Assen", "Particuliere opvang", 40, 40],
            ["Drenthe", "Emmen", "Gemeentelijke opvang", 120, 110], ["Drenthe", "Emmen", "Gastgezinnen", 15, 15],
            ["Totaal Drenthe", None, None, 300 + 40 + 120 + 15, 250 + 40 + 110 + 15], ["Bron: KCIO"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("maat, assen, emmen", [("capaciteit", 300, 120), ("bezetting", 250, 110)])
def test_a_kcio_list_per_type_counts_the_municipal_reception_only(fmt, maat, assen, emmen):
    """Was wrong: Assen 340 (300 + 40) and Emmen 135 (120 + 15) places, the private hosts summed into the
    municipalities' reception, with only ``dubbele_gemeente``. The region's subtotal (every row) agrees."""
    result = read("kcio", both(PER_TYPE, "GOO")[fmt], maat=maat)
    assert figures(result) == {(ASSEN, *KCIO): assen, (EMMEN, *KCIO): emmen}
    [warning] = result.meldingen
    assert where(warning) == ("waarschuwing", "kcio_particuliere_opvang", f"kcio.{fmt}",
                              "GOO" if fmt == "xlsx" else None, 6, "Opvangvorm", "Particuliere opvang")
    assert "rij 6 (Particuliere opvang), rij 8 (Gastgezinnen)" in warning.melding


def test_an_unknown_reception_type_is_a_fout_and_waarden_decide():
    rows = [["Gemeente", "Soort opvang", "Capaciteit"], ["Assen", "GOO", 300], ["Assen", "Hotel", 50],
            ["Emmen", None, 20]]
    result = read("kcio", both(rows)["csv"])
    assert figures(result) == {(ASSEN, *KCIO): 300}
    assert [where(m)[1:6] for m in errors(result)] == [
        ("kcio_opvangvorm_onbekend", "kcio.csv", None, 3, "Soort opvang"),
        ("kcio_opvangvorm_ontbreekt", "kcio.csv", None, 4, "Soort opvang")]
    assert 'waarden = { "Hotel" = "goo" }' in errors(result)[0].melding
    mapped = read("kcio", both(rows[:3])["csv"], waarden={"Hotel": "goo"})
    assert figures(mapped) == {(ASSEN, *KCIO): 300 + 50} and [m.code for m in mapped.meldingen] == ["dubbele_gemeente"]


def test_a_building_type_column_is_not_the_reception_type():
    """``Type locatie`` (hotel, paviljoen) says what the building is: the rows are summed per municipality, as
    before, with ``dubbele_gemeente``."""
    rows = [["Gemeente", "Locatie", "Type locatie", "Capaciteit"], ["Assen", "Hotel Drenthe", "hotel", 30],
            ["Assen", "Paviljoen", "paviljoen", 20]]
    result = read("kcio", both(rows)["csv"])
    assert figures(result) == {(ASSEN, *KCIO): 30 + 20} and [m.code for m in result.meldingen] == ["dubbele_gemeente"]
