"""Hardening (fourteenth session, ``hard14f``): dates as Dutch publishers and Excel write them, in a ``Peildatum``
column, a title (``Stand per …``, ``Peildatum: …``) and an agreement's ``Ingangsdatum``.

Each case builds the file here (CSV and XLSX, with a title row and a note under the table), reads it through
``read`` of ``tests/test_probes.py`` (fast paths, ``fastscan.careful()`` and the plugin's reference: the same result
each way) without a peildatum in the manifest, and asserts the peildatum read (the day worked out here), or the
melding with its row, column and value and the day it tells the user to write.

Wrong or unhelpful before this session:
- ``1-feb-2026`` / ``01-Feb-2026`` (Excel's ``d-mmm-jjjj``), ``1 febr 2026``, ``Feb 1, 2026``, ``2026/02/01``,
  ``zondag 1 februari 2026`` (Excel's long date) and ``20260201`` were refused as "geen datum" (a false refusal);
- a title ``Stand per 1-feb-2026`` gave no peildatum and ``Stand per 01-02-26`` / ``Peildatum: februari 2026``
  only the general ``peildatum_ontbreekt``, not that the year has two digits or that a month is no day;
- ``februari 2026``, ``2026-02`` and ``1-feb-26`` in a cell said only which forms are expected.
Never a wrong day: a year of two digits is not guessed (the day is suggested), a month is not made a day.

And safety regions and provinces as publishers name them, in a quota decision per safety region, a province column
beside the municipality, KCIO's region column and ``--gebied``: ``Regio Twente``, ``VR Twente``, ``Prov. Drenthe``
were unknown (a false refusal of the decision, a false warning in KCIO, wrong use on the command line), as were
``Drenthe (PV22)`` on the command line; ``VRT`` is still refused (an abbreviation is not guessed: ``VRF`` is
Fryslân or Flevoland), now with the regions it may stand for.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opvangkern.testing import load_module

from .test_agreements_registers import dataset, load, register

_PROBES = load_module(Path(__file__).with_name("test_probes.py"), "_probes_for_hard14f")
ASSEN, EMMEN, KCIO = _PROBES.ASSEN, _PROBES.EMMEN, _PROBES.KCIO
errors, figures, read, where, workbook = _PROBES.errors, _PROBES.figures, _PROBES.read, _PROBES.where, _PROBES.workbook

FEB1 = dt.date(2026, 2, 1)
TITLE = [["Opvang ontheemden uit Oekraïne - capaciteit per gemeente"]]
NOTES = [[], ["Bron: gemeenten, bewerking provincie"]]


def both(rows: list[list]) -> dict[str, bytes]:
    text = "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows)
    return {"csv": text.encode("utf-8-sig"), "xlsx": workbook({"Blad1": rows})}


def column_file(written) -> list[list]:
    return TITLE + [[], ["Gemeente", "Capaciteit", "Peildatum"], ["Assen", 120, written], ["Emmen", 80, written]] \
        + NOTES


READ = ["1-feb-2026", "01-Feb-2026", "1 feb. 2026", "1 febr 2026", "1 febr. 2026", "1 Feb 2026", "Feb 1, 2026",
        "February 1st, 2026", "01.02.2026", "1/2/2026", "2026/02/01", "2026-02-01 00:00:00", "zondag 1 februari 2026",
        "zo 1 feb 2026", "20260201", "46054"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written", READ)
def test_a_peildatum_column_as_publishers_write_it_is_the_day(fmt, written):
    result = read("kcio", both(column_file(written))[fmt], peildatum=None)
    assert errors(result) == []
    assert result.peildatum == FEB1
    assert figures(result) == {(ASSEN, *KCIO): 120, (EMMEN, *KCIO): 80}


def test_an_xlsx_date_cell_with_midnight_is_the_day_and_with_a_time_is_refused():
    rows = column_file(dt.datetime(2026, 2, 1, 0, 0))
    assert read("kcio", workbook({"Blad1": rows}), peildatum=None).peildatum == FEB1
    rows = column_file(dt.datetime(2026, 2, 1, 14, 30))
    [fout, _] = errors(read("kcio", workbook({"Blad1": rows}), peildatum=None))
    assert (fout.code, fout.rij, fout.kolom) == ("peildatum_onleesbaar", 4, "Peildatum")


REFUSED = [
    # (written, what the melding must say)
    ("01-feb-26", ["jaar van twee cijfers", "01-02-2026"]),
    ("1-Feb-26", ["jaar van twee cijfers", "01-02-2026"]),
    ("1 februari '26", ["jaar van twee cijfers", "01-02-2026"]),
    ("01-02-26", ["jaar van twee cijfers", "dd-mm-jjjj"]),
    ("februari 2026", ["een maand", "28-02-2026", "01-02-2026"]),
    ("feb. 2026", ["een maand", "28-02-2026"]),
    ("2026-02", ["een maand", "28-02-2026"]),
    ("02-2026", ["een maand", "28-02-2026"]),
    ("wk 5 2026", ["een week", "26-01-2026 t/m 01-02-2026"]),
    ("maandag 1 februari 2026", ["zondag", "geen maandag"]),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written, says", REFUSED)
def test_a_peildatum_cell_that_is_no_day_is_refused_with_the_day_to_write(fmt, written, says):
    result = read("kcio", both(column_file(written))[fmt], peildatum=None)
    assert result.peildatum is None
    fouten = [m for m in errors(result) if m.code == "peildatum_onleesbaar"]
    assert [(m.rij, m.kolom, m.waarde) for m in fouten] == [(4, "Peildatum", written), (5, "Peildatum", written)]
    for part in says:
        assert part in fouten[0].melding, (part, fouten[0].melding)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("title", ["Stand per 1-feb-2026", "Peildatum: 01-Feb-2026", "Stand per 1 febr. 2026",
                                   "Peildatum: Feb 1, 2026", "Stand per zondag 1 februari 2026",
                                   "Peildatum 2026/02/01"])
def test_a_title_as_publishers_write_it_gives_the_day(fmt, title):
    rows = TITLE + [[title], [], ["Gemeente", "Capaciteit"], ["Assen", 120], ["Emmen", 80]] + NOTES
    result = read("kcio", both(rows)[fmt], peildatum=None)
    assert errors(result) == [] and result.peildatum == FEB1
    assert figures(result) == {(ASSEN, *KCIO): 120, (EMMEN, *KCIO): 80}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("title, says", [
    ("Stand per 01-02-26", ["'01-02-26'", "jaar van twee cijfers"]),
    ("Peildatum: 1-feb-26", ["'1-feb-26'", "01-02-2026"]),
    ("Stand per februari 2026", ["'februari 2026'", "een maand", "28-02-2026"]),
    ("Peildatum: 2026-02", ["'2026-02'", "een maand", "28-02-2026"]),
])
def test_a_title_whose_peildatum_is_no_day_says_so_when_nothing_else_gives_it(fmt, title, says):
    rows = TITLE + [[title], [], ["Gemeente", "Capaciteit"], ["Assen", 120], ["Emmen", 80]] + NOTES
    result = read("kcio", both(rows)[fmt], peildatum=None)
    [fout] = errors(result)
    assert (fout.code, fout.rij, fout.waarde) == ("peildatum_ontbreekt", 2, title)
    for part in says:
        assert part in fout.melding, (part, fout.melding)
    # with the peildatum in the manifest the file reads: the title's month is no contradiction of a day in it
    given = read("kcio", both(rows)[fmt], peildatum=dt.date(2026, 2, 28))
    assert errors(given) == [] and figures(given) == {(ASSEN, *KCIO): 120, (EMMEN, *KCIO): 80}


@pytest.mark.parametrize("title", ["Overzicht februari 2026", "Aangemaakt op 01-02-26",
                                   "Stand taakstelling 2025-2 per 31-12-2025", "Stand 2025-2026"])
def test_a_month_or_short_year_not_announced_as_the_peildatum_is_left_alone(title):
    rows = TITLE + [[title], [], ["Gemeente", "Capaciteit"], ["Assen", 120], ["Emmen", 80]] + NOTES
    result = read("kcio", both(rows)["csv"], peildatum=dt.date(2025, 12, 31))
    assert errors(result) == [] and figures(result) == {(ASSEN, *KCIO): 120, (EMMEN, *KCIO): 80}


@pytest.mark.parametrize("written, says", [
    ("1-feb-2026", None), ("Feb 1, 2026", None), ("1 febr. 2026", None), ("2026/02/01", None),
    ("februari 2026", "een maand"), ("1-feb-26", "is 01-02-2026 bedoeld"),
])
def test_an_agreements_ingangsdatum_as_a_register_writes_it(tmp_path, written, says):
    header = ["Omschrijving", "Opgave", "Van gemeente", "Naar gemeente", "Aantal", "Ingangsdatum"]
    rows = [["Assen neemt over", "asiel", "Tynaarlo", "Assen", "+50", written]]
    ds = load(dataset(tmp_path, files={"afspraken.xlsx": register(header, rows)}))
    fouten = [m for m in ds.meldingen.to_pylist() if m["ernst"] == "fout"]
    if says is None:
        assert fouten == []
        [afspraak] = ds.afspraken.to_pylist()
        assert (afspraak["aantal"], afspraak["ingangsdatum"]) == (50, FEB1)
    else:
        [fout] = fouten
        assert (fout["code"], fout["rij"], fout["kolom"], fout["waarde"]) == ("afspraak_ingangsdatum", 5,
                                                                              "Ingangsdatum", written)
        assert says in fout["melding"]


# --- 2. safety regions and provinces as publishers name them ----------------------------------------------------

from click.testing import CliRunner  # noqa: E402

from opvangkern.cli import cli  # noqa: E402

from .test_probes_hard13d import NOTES as QUOTA_NOTES, TITLE as QUOTA_TITLE, annex, errors as quota_errors  # noqa: E402


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written", ["Twente", "Regio Twente", "VR Twente", "Veiligheidsregio Twente", "VR05", "VR 05",
                                     "Twente (VR05)", "VR05 Twente", "VR05 - Twente"])
def test_a_quota_decision_per_safety_region_reads_the_region_as_published(tmp_path, fmt, written):
    rows = QUOTA_TITLE + [["Veiligheidsregio", "Opgave"], [written, "500"], ["VR Drenthe", "300"]] + QUOTA_NOTES
    code, targets, found = annex(tmp_path, rows, fmt, opgave="oekraine")
    assert (code, targets, quota_errors(found)) == (0, {"VR05": 500.0, "VR03": 300.0}, [])


@pytest.mark.parametrize("written, melding, says", [
    ("VRT", "gebied_onbekend", ["Twente (VR05)", "overslaan"]),
    ("VRF", "gebied_onbekend", ["Fryslân (VR02) of Flevoland (VR25)", "overslaan"]),
    ("Drenthe (VR05)", "code_en_naam_spreken_tegen", ["VR05 (Twente)", "VR03 (Drenthe)"]),
])
def test_an_abbreviated_or_contradicting_region_is_refused_with_what_it_may_be(tmp_path, written, melding, says):
    rows = QUOTA_TITLE + [["Veiligheidsregio", "Opgave"], [written, "500"], ["Drenthe", "300"]] + QUOTA_NOTES
    code, targets, found = annex(tmp_path, rows, "csv", opgave="oekraine")
    assert (code, targets) == (1, {"VR03": 300.0})
    assert quota_errors(found) == [(melding, 5, "Veiligheidsregio", written)]
    text = next(m["melding"] for m in found if m["code"] == melding)
    for part in says:
        assert part in text, (part, text)


@pytest.mark.parametrize("written", ["Prov. Drenthe", "Prov Drenthe", "Provincie Drenthe", "Drenthe (PV22)", "PV22"])
def test_a_province_column_beside_the_municipality_reads_the_province_as_published(tmp_path, written):
    rows = QUOTA_TITLE + [["Provincie", "Gemeente", "Opgave"], [written, "Assen", "60"], [written, "Emmen", "40"],
                          ["Overijssel", "Tynaarlo", "25"]] + QUOTA_NOTES
    code, targets, found = annex(tmp_path, rows, "csv")
    # Tynaarlo lies in Drenthe: its row is refused, the two that name Drenthe as publishers write it are read
    assert (code, targets) == (1, {ASSEN: 60.0, EMMEN: 40.0})
    assert quota_errors(found) == [("provincie_spreekt_tegen", 7, "Provincie", "Overijssel")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("written", ["VR Drenthe", "Regio Drenthe", "Drenthe (VR03)", "VR03 Drenthe"])
def test_kcio_a_region_column_as_published_is_the_municipalitys_region(fmt, written):
    rows = TITLE + [["Stand per 31 december 2025"], ["Veiligheidsregio", "Gemeente", "Capaciteit"],
                    [written, "Assen", 300], [written, "Emmen", 100]] + NOTES
    result = read("kcio", both(rows)[fmt])
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 100}
    assert [m.code for m in result.meldingen if m.code.startswith("veiligheidsregio")] == []


def test_kcio_an_abbreviated_region_warns_with_what_it_may_be():
    rows = TITLE + [["Stand per 31 december 2025"], ["Veiligheidsregio", "Gemeente", "Capaciteit"],
                    ["VRD", "Assen", 300], ["Drenthe", "Emmen", 100]] + NOTES
    result = read("kcio", both(rows)["csv"])
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 100}  # the column is for information
    [warning] = [m for m in result.meldingen if m.code == "veiligheidsregio_onbekend"]
    assert (warning.rij, warning.kolom, warning.waarde) == (4, "Veiligheidsregio", "VRD")
    assert "Drenthe (VR03)" in warning.melding


@pytest.mark.parametrize("gebied, code", [("VR Drenthe", "VR03"), ("Regio Drenthe", "VR03"), ("Prov. Drenthe", "PV22"),
                                          ("Drenthe (PV22)", "PV22"), ("PV22 - Drenthe", "PV22")])
def test_the_gebied_argument_as_publishers_name_areas(tmp_path, gebied, code):
    from opvangkern import sample_path

    result = CliRunner().invoke(cli, ["dashboard", str(sample_path()), "--gebied", gebied, "--format", "csv",
                                      "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    kaarten = (tmp_path / "kaarten.csv").read_text(encoding="utf-8").splitlines()
    assert kaarten[1].startswith(f"{code},Drenthe,")


@pytest.mark.parametrize("written, code", [("Noord Brabant", "PV30"), ("Provincie Noord Brabant", "PV30"),
                                           ("Prov. Groningen", "PV20"), ("Friesland (PV21)", "PV21"),
                                           ("VR Zuid-Holland-Zuid", "VR18"), ("Fryslân (VR02)", "VR02")])
def test_names_of_provinces_and_regions_outside_the_sample(written, code):
    from opvangkern.areas import resolve_gebied

    assert resolve_gebied(written).code == code


def test_the_gebied_argument_refuses_an_abbreviation_with_what_it_may_be():
    import subprocess
    import sys

    from opvangkern import sample_path

    result = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", str(sample_path()), "--gebied",
                             "VRD"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Drenthe (VR03)" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("label", ["VR Drenthe", "Regio Drenthe", "Veiligheidsregio Drenthe"])
@pytest.mark.parametrize("total", [500, 480])
def test_kcio_a_region_row_written_vr_or_regio_is_its_checked_totals_row(label, total):
    """``VR Drenthe`` / ``Regio Drenthe`` without a municipality is what ``Veiligheidsregio Drenthe`` was already: the
    region's totals row, checked against its rows (300 + 200 = 500) and never counted. Before: ``gebied_ontbreekt``
    for ``VR Drenthe`` (a refusal of the file) and ``gebied_onbekend`` for ``Regio Drenthe``."""
    rows = TITLE + [["Stand per 31 december 2025"], ["Veiligheidsregio", "Gemeente", "Capaciteit"],
                    ["Drenthe", "Assen", 300], ["Drenthe", "Emmen", 200], [label, None, total]] + NOTES
    result = read("kcio", both(rows)["csv"])
    assert figures(result) == {(ASSEN, *KCIO): 300, (EMMEN, *KCIO): 200}
    assert errors(result) == []
    assert [(m.code, m.rij, m.waarde) for m in result.meldingen] == \
        ([] if total == 500 else [("totaalrij_klopt_niet", 6, str(total))])
