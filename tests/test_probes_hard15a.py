"""Hardening (fifteenth session, ``hard15a``): COA and KCIO realisation files as analysts hand them over.

Each file is built here (CSV and XLSX, openpyxl writing the workbooks) and read through ``read`` of
``tests/test_probes.py`` (fast paths, ``fastscan.careful()`` and the plugin's reference: the same result each way).
Each case asserts the figures per municipality (plain arithmetic here) or the melding with its code, row and column.

Wrong before this session (exit 0 with a wrong figure, or a fix that led to one):
- an Excel pivot's ``Aantal van Capaciteit`` / ``Gemiddelde van Capaciteit`` / ``Count of Capaciteit`` (the number
  of locations, an average) was proposed by the missing-column melding as ``kolommen = { "Aantal van Capaciteit" =
  "Capaciteit" }``, and that line read the number of locations as places;
- KCIO and COA's list per location read ``Capaciteit`` beside ``Totaal capaciteit`` / ``Capaciteit incl. reserve``
  / ``Capaciteit incl. noodopvang`` without a word (TVS and Nidos refuse it since the fourteenth session);
- KCIO read a plain ``Capaciteit`` beside ``Capaciteit GOO`` (the municipal reception named apart);
- a location row under a bare region name without its municipality (``Drenthe | | Hotel C | 30``) was taken for
  the region's subtotal: its places counted nowhere, with no more than the warning that the total did not match.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opvangkern.testing import load_module
from opvangkern.testing.fuzz import csv_bytes

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard15a")
ASSEN, EMMEN, KCIO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.KCIO
errors, figures, read, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.workbook
REGULIER = ("asiel", "regulier")
KCIO_TITLE = [["Gemeentelijke opvang Oekraïners (GOO)"], ["Stand per 31 december 2025"], []]
COA_TITLE = [["COA - capaciteit per opvanglocatie"], ["Peildatum: 31-12-2025"], []]
NOTES = [[], ["Bron: veiligheidsregio, bewerking provincie"]]


def data(rows: list[list], fmt: str) -> bytes:
    return csv_bytes(rows) if fmt == "csv" else workbook({"Blad1": rows})


def codes(result) -> list[tuple[str, int | None, str | None]]:
    return [(m.code, m.rij, m.kolom) for m in errors(result)]


FORMATS = pytest.mark.parametrize("fmt", ["csv", "xlsx"])


# --- a pivot table's field that counts or averages the rows ---------------------------------------------------

NOT_A_SUM = ["Aantal van Capaciteit", "Gemiddelde van Capaciteit", "Max. van Capaciteit", "Count of Capaciteit",
             "Average of Capaciteit", "Aantal - Capaciteit"]


@FORMATS
@pytest.mark.parametrize("field", NOT_A_SUM)
def test_kcio_a_pivot_field_that_counts_rows_is_never_proposed_as_the_places(fmt, field):
    """Before: ``kolommen = { "Aantal van Capaciteit" = "Capaciteit" }``, which counted 2 locations as 2 places."""
    rows = KCIO_TITLE + [["Rijlabels", field], ["Assen", 2], ["Emmen", 1], ["Eindtotaal", 3]] + NOTES
    [fout] = errors(read("kcio", data(rows, fmt)))
    assert (fout.code, fout.rij) == ("verplichte_kolom_ontbreekt", 4)
    assert f'"{field}" = "Capaciteit"' not in fout.melding
    assert "draaitabel" in fout.melding and "Som" in fout.melding and field in fout.melding


@FORMATS
def test_kcio_beside_the_sum_the_line_maps_the_sum(fmt):
    rows = KCIO_TITLE + [["Rijlabels", "Aantal van Capaciteit", "Som van Capaciteit"], ["Assen", 2, 300],
                         ["Emmen", 1, 120], ["Eindtotaal", 3, 420]]
    [fout] = errors(read("kcio", data(rows, fmt)))
    assert 'kolommen = { "Som van Capaciteit" = "Capaciteit" }' in fout.melding
    assert '"Aantal van Capaciteit" = "Capaciteit"' not in fout.melding
    fixed = read("kcio", data(rows, fmt), kolommen={"Rijlabels": "Gemeente", "Som van Capaciteit": "Capaciteit"})
    assert errors(fixed) == [] and figures(fixed) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 120}


@pytest.mark.parametrize("field", NOT_A_SUM)
def test_kolommen_cannot_map_a_pivot_count_onto_a_count(field):
    """Mapped by hand, the number of locations would count as places: ``kolommen_geen_som`` naming the column."""
    rows = KCIO_TITLE + [["Gemeente", field, "Capaciteit"], ["Assen", 2, 300], ["Emmen", 1, 120]]
    result = read("kcio", data(rows, "csv"), kolommen={field: "Capaciteit"})
    assert ("kolommen_geen_som", 4, field) in codes(result)
    assert all(aantal != 2 for aantal in figures(result).values())
    alone = KCIO_TITLE + [["Gemeente", field], ["Assen", 2], ["Emmen", 1]]
    result = read("kcio", data(alone, "csv"), kolommen={field: "Capaciteit"})
    assert figures(result) == {} and errors(result)


def test_coa_pivot_counts_are_never_the_line_of_a_category_or_the_places():
    wide = COA_TITLE + [["Gemeente", "Aantal van Regulier", "Aantal van AMV"], ["Assen", 2, 1], ["Emmen", 1, 1]]
    [fout] = errors(read("coa", data(wide, "csv")))
    assert fout.code == "verplichte_kolom_ontbreekt" and '"Aantal van Regulier" = "Regulier"' not in fout.melding
    long = COA_TITLE + [["Gemeente", "Opvangvorm", "Aantal van Capaciteit"], ["Assen", "azc", 2], ["Emmen", "azc", 1]]
    [fout] = errors(read("coa", data(long, "csv")))
    assert fout.code == "verplichte_kolom_ontbreekt" and '"Aantal van Capaciteit" = "Capaciteit"' not in fout.melding
    result = read("coa", data(long, "csv"), kolommen={"Aantal van Capaciteit": "Capaciteit"})
    assert figures(result) == {} and errors(result)


def test_a_sum_field_still_reads_through_kolommen():
    rows = COA_TITLE + [["Gemeente", "Opvangvorm", "Som van Capaciteit"], ["Assen", "azc", 400], ["Emmen", "NOL", 90]]
    result = read("coa", data(rows, "xlsx"), kolommen={"Som van Capaciteit": "Capaciteit"})
    assert errors(result) == []
    assert figures(result) == {(ASSEN, *REGULIER): 400, (EMMEN, "asiel", "noodopvang"): 90}


# --- a larger whole beside the count read (KCIO, COA's list per location) -------------------------------------

WIDER = [("Capaciteit", "Totaal capaciteit"), ("Capaciteit", "Capaciteit incl. reserve"),
         ("Plekken", "Plekken totaal"), ("Capaciteit", "Capaciteit (totaal)"), ("Capaciteit", "Capaciteit cumulatief")]


@FORMATS
@pytest.mark.parametrize("plain, wider", WIDER)
def test_kcio_a_wider_count_beside_the_places_is_not_guessed(fmt, plain, wider):
    """Before: Capaciteit read (300, 120) without a word; which of the two the places are is the analyst's call."""
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", plain, wider], ["Drenthe", "Assen", 300, 340],
                         ["Drenthe", "Emmen", 120, 130]] + NOTES
    result = read("kcio", data(rows, fmt))
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom) == ("telling_dubbelzinnig", 4, wider)
    assert f'kolommen = {{ "{plain}" = "Capaciteit" }}' in fout.melding
    assert f'kolommen = {{ "{wider}" = "Capaciteit" }}' in fout.melding
    for pick, figure in ((plain, (300, 120)), (wider, (340, 130))):
        fixed = read("kcio", data(rows, fmt), kolommen={pick: "Capaciteit"})
        assert errors(fixed) == [] and figures(fixed) == {(ASSEN, *KCIO): figure[0], (EMMEN, *KCIO): figure[1]}


@FORMATS
def test_coa_a_location_list_with_capacity_including_emergency_places(fmt):
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Capaciteit incl. noodopvang"],
                        ["Assen", "azc Assen", "azc", 400, 550], ["Emmen", "azc Emmen", "azc", 300, 300]] + NOTES
    [fout] = errors(read("coa", data(rows, fmt)))
    assert (fout.code, fout.rij, fout.kolom) == ("telling_dubbelzinnig", 4, "Capaciteit incl. noodopvang")
    fixed = read("coa", data(rows, fmt), kolommen={"Capaciteit": "Capaciteit"})
    assert errors(fixed) == [] and figures(fixed) == {(ASSEN, *REGULIER): 400, (EMMEN, *REGULIER): 300}


def test_coa_occupancy_beside_a_cumulative_occupancy_with_maat_bezetting():
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting", "Bezetting cumulatief"],
                        ["Assen", "azc Assen", "azc", 400, 380, 2000]]
    [fout] = errors(read("coa", data(rows, "csv"), maat="bezetting"))
    assert (fout.code, fout.kolom) == ("telling_dubbelzinnig", "Bezetting cumulatief")


@pytest.mark.parametrize("other", ["Capaciteit excl. reserve", "Totaal aantal locaties", "Vrije plekken", "Totaal"])
def test_kcio_a_smaller_part_or_another_count_beside_the_places_changes_nothing(other):
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit", other], ["Assen", 300, 3], ["Emmen", 120, 1]]
    result = read("kcio", data(rows, "csv"))
    assert errors(result) == [] and figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 120}


# --- KCIO: the municipal reception named apart beside a plain column -------------------------------------------

@FORMATS
@pytest.mark.parametrize("municipal, plain", [("Capaciteit GOO", "Capaciteit"), ("Gemeentelijke plekken", "Plekken"),
                                              ("Capaciteit gemeentelijk", "Capaciteit")])
def test_kcio_a_plain_column_beside_the_municipal_one_is_not_guessed(fmt, municipal, plain):
    """Before: the plain column (350: GOO with the host families or a reserve) was read without a word."""
    rows = KCIO_TITLE + [["Gemeente", municipal, plain], ["Assen", 300, 350], ["Emmen", 120, 120]] + NOTES
    [fout] = errors(read("kcio", data(rows, fmt)))
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("kcio_totaal_naast_goo", 4, plain, municipal)
    assert f'kolommen = {{ "{municipal}" = "Capaciteit" }}' in fout.melding
    goo = read("kcio", data(rows, fmt), kolommen={municipal: "Capaciteit"})
    assert errors(goo) == [] and figures(goo) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 120}
    said = read("kcio", data(rows, fmt), kolommen={plain: "Capaciteit"})
    assert errors(said) == [] and figures(said) == {(ASSEN, *KCIO): 350, (EMMEN, *KCIO): 120}


def test_kcio_the_municipal_occupancy_beside_the_places_changes_nothing():
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit", "Bezetting GOO"], ["Assen", 300, 250]]
    result = read("kcio", data(rows, "csv"))
    assert errors(result) == [] and figures(result) == {(ASSEN, *KCIO): 300}


# --- a location under a bare region name, without its municipality --------------------------------------------

@FORMATS
@pytest.mark.parametrize("bron, header, row", [
    ("kcio", ["Veiligheidsregio", "Gemeente", "Locatie", "Capaciteit"], ["Drenthe", None, "Hotel Gieten", 30]),
    ("kcio", ["Gemeente", "Locatie", "Capaciteit"], ["Drenthe", "Hotel Gieten", 30]),
    ("coa", ["Provincie", "Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
     ["Drenthe", None, "azc Gieten", "azc", 30]),
    ("coa", ["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["Drenthe", "azc Gieten", "azc", 30]),
])
def test_a_location_under_a_region_name_is_no_subtotal(fmt, bron, header, row):
    """Before: taken for Drenthe's subtotal, the 30 places counted nowhere (a warning that 30 is not 100 + 70)."""
    cells = {"Veiligheidsregio": "Drenthe", "Provincie": "Drenthe", "Opvangvorm": "azc"}
    body = [[{"Gemeente": gemeente, "Locatie": f"Locatie {gemeente}", "Capaciteit": aantal}.get(h, cells.get(h))
             for h in header] for gemeente, aantal in (("Assen", 100), ("Emmen", 70))]
    rows = (KCIO_TITLE if bron == "kcio" else COA_TITLE) + [header] + body + [row] + NOTES
    result = read(bron, data(rows, fmt))
    assert ("locatie_zonder_gemeente", 7, "Locatie") in codes(result)
    [fout] = [m for m in errors(result) if m.code == "locatie_zonder_gemeente"]
    assert fout.waarde == row[header.index("Locatie")] and "Totaal Drenthe" in fout.melding
    key = KCIO if bron == "kcio" else REGULIER
    assert figures(result) == {(ASSEN, *key): 100, (EMMEN, *key): 70}


@pytest.mark.parametrize("location", [None, "Totaal", "Alle locaties", "Drenthe", "Regio Drenthe"])
def test_a_region_subtotal_with_its_location_cell_empty_or_a_total_stays_a_subtotal(location):
    rows = KCIO_TITLE + [["Veiligheidsregio", "Gemeente", "Locatie", "Capaciteit"],
                         ["Drenthe", "Assen", "Hotel A", 100], ["Drenthe", "Emmen", "Hotel E", 70],
                         ["Drenthe", None, location, 100 + 70]]
    result = read("kcio", data(rows, "csv"))
    assert "locatie_zonder_gemeente" not in {m.code for m in result.meldingen}
    assert figures(result) == {(ASSEN, *KCIO): 100, (EMMEN, *KCIO): 70}


# --- what the library already did right, not covered before -------------------------------------------------

@pytest.mark.parametrize("written, category", [("nood\u00adopvang", "noodopvang"), ("a\u200bzc", "regulier"),
                                               ("AZC\u00a0", "regulier"), ("kwv\ufeff", None)])
def test_coa_a_type_with_a_soft_hyphen_or_an_invisible_space_is_the_type(written, category):
    rows = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", "Capaciteit"], ["As\u00adsen\u200b", "loc", written, 40]]
    result = read("coa", data(rows, "csv"))
    assert errors(result) == []
    assert figures(result) == {(ASSEN, "amv" if category is None else "asiel", category): 40}


def test_the_dataset_is_refused_and_the_lines_fix_it(tmp_path):
    from click.testing import CliRunner

    from opvangkern.cli import cli
    from opvangkern.dataset.load import load_dataset

    kcio = KCIO_TITLE + [["Gemeente", "Capaciteit GOO", "Capaciteit"], ["Assen", 300, 350], ["Emmen", 120, 120]]
    coa = COA_TITLE + [["Provincie", "Gemeente", "Locatie", "Opvangvorm", "Capaciteit"],
                       ["Drenthe", "Assen", "azc Assen", "azc", 400], ["Drenthe", None, "azc Gieten", "azc", 30]]
    folder = _PROBES._dataset(tmp_path / "a", {"bronnen/kcio.csv": data(kcio, "csv"),
                                               "bronnen/coa.xlsx": data(coa, "xlsx")})
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 1  # before: exit 0, Assen 350 Ukrainian places and azc Gieten's 30 nowhere
    found = {(m.code, m.bestand, m.rij) for m in load_dataset(folder).melding_list if m.is_error}
    assert found == {("kcio_totaal_naast_goo", "bronnen/kcio.csv", 4),
                     ("locatie_zonder_gemeente", "bronnen/coa.xlsx", 6)}
    coa[-1][1] = "Aa en Hunze"
    folder = _PROBES._dataset(tmp_path / "b", {"bronnen/kcio.csv": data(kcio, "csv"),
                                               "bronnen/coa.xlsx": data(coa, "xlsx")})
    manifest = (folder / "opvangkern.toml").read_text(encoding="utf-8")
    entry = 'bestand = "bronnen/kcio.csv"\n'
    manifest = manifest.replace(entry, entry + 'kolommen = { "Capaciteit GOO" = "Capaciteit" }\n')
    (folder / "opvangkern.toml").write_text(manifest, encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(folder)]).exit_code == 0
    got: dict[tuple, int] = {}
    for r in load_dataset(folder).realisaties.to_pylist():
        got[(r["bron"], r["gemeentecode"])] = got.get((r["bron"], r["gemeentecode"]), 0) + r["aantal"]
    assert got == {("kcio", ASSEN): 300, ("kcio", EMMEN): 120, ("coa", ASSEN): 400, ("coa", "GM1680"): 30}


@FORMATS
@pytest.mark.parametrize("blank", ["(leeg)", "(blank)", "(Leeg)"])
@pytest.mark.parametrize("bron, kolommen", [("kcio", {"Rijlabels": "Gemeente", "Som van Capaciteit": "Capaciteit"}),
                                            ("coa", {"Rijlabels": "Gemeente", "Som van Capaciteit": "Regulier"})])
def test_a_pivot_row_without_a_municipality_says_what_it_is(fmt, blank, bron, kolommen):
    """Before: "Onbekende gemeente '(leeg)'. Bedoelt u: Westerkwartier, Almere, Leiden?"."""
    rows = KCIO_TITLE + [["Rijlabels", "Som van Capaciteit"], ["Assen", 100], [blank, 5], ["Eindtotaal", 105]]
    result = read(bron, data(rows, fmt), kolommen=kolommen)
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.kolom, fout.waarde) == ("gebied_onbekend", 6, "Rijlabels", blank)
    assert "draaitabel" in fout.melding and "Westerkwartier" not in fout.melding
    assert f'waarden = {{ "{blank}" = "overslaan" }}' in fout.melding
    key = KCIO if bron == "kcio" else REGULIER
    assert figures(result) == {(ASSEN, *key): 100}


# --- a header of another figure is never the line for the places ------------------------------------------------

@pytest.mark.parametrize("header", ["Bezette plekken", "Gereserveerde plekken", "Toegezegde plekken",
                                    "Benodigde plekken", "Plekken tekort", "Plekken nodig", "Opgave plekken"])
def test_a_header_of_another_figure_is_not_proposed_for_the_places(header):
    """Before: ``kolommen = { "Bezette plekken" = "Capaciteit" }`` (the occupied places as the places), and the same
    for the reserved, promised or needed places and the target."""
    rows = KCIO_TITLE + [["Gemeente", header], ["Assen", 250], ["Emmen", 100]]
    [fout] = errors(read("kcio", data(rows, "csv")))
    assert (fout.code, fout.rij) == ("verplichte_kolom_ontbreekt", 4)
    assert f'"{header}" = "Capaciteit"' not in fout.melding
    assert 'kolommen = { "kop zoals in het bestand" = "Capaciteit" }' in fout.melding
    coa = COA_TITLE + [["Gemeente", "Locatie", "Opvangvorm", header], ["Assen", "azc Assen", "azc", 250]]
    [fout] = errors(read("coa", data(coa, "csv")))
    assert f'"{header}" = "Capaciteit"' not in fout.melding


def test_the_occupied_places_are_proposed_for_the_occupancy_and_real_places_still_are():
    rows = KCIO_TITLE + [["Gemeente", "Capaciteit", "Bezette plekken"], ["Assen", 300, 250]]
    [fout] = errors(read("kcio", data(rows, "csv"), maat="bezetting"))
    assert fout.code == "maatkolom_ontbreekt" and 'kolommen = { "Bezette plekken" = "Bezetting" }' in fout.melding
    rows = KCIO_TITLE + [["Gemeente", "Plekken gerealiseerd"], ["Assen", 300]]
    [fout] = errors(read("kcio", data(rows, "csv")))
    assert 'kolommen = { "Plekken gerealiseerd" = "Capaciteit" }' in fout.melding
