"""Hostile datasets through the Python API (SPEC §5, §8, §9): each input is built from scratch here and the
outcome is the SPEC's: a ``fout`` with its code that names the manifest line, column and value, a
documented exception, or the right figure; never a crash, never a file outside the folder, never a count
taken twice."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

import opvangkern
from opvangkern import AmbiguousArea, AreaNotFound, DataError, UsageError

sys.path.insert(0, str(Path(__file__).parent))
from hostile_kit import (  # noqa: E402
    COA_TOTAL,
    DRENTHE,
    KCIO_TOTAL,
    OEKRAINE_TARGET,
    codes,
    write_dataset,
)

SECRET = "root:x:0:0:geheim-van-de-machine"


def _all_text(meldingen) -> str:
    return "\n".join(f"{m.melding} {m.waarde} {m.bestand} {m.kolom}" for m in meldingen)


def _card(dash, opgave: str, gebied: str = "PV22") -> dict:
    return next(c for c in dash.kaarten.to_pylist() if c["gebied_code"] == gebied and c["opgave"] == opgave)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file outside the dataset folder, written like /etc/passwd."""
    secret = tmp_path / "elders" / "passwd"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\ndaemon:x:1:1\n", encoding="utf-8")
    return secret


def test_the_clean_dataset_is_clean(tmp_path):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    assert ds.melding_list == []
    dash = ds.dashboard()
    assert _card(dash, "oekraine")["realisatie"] == KCIO_TOTAL
    assert _card(dash, "asiel")["realisatie"] == COA_TOTAL
    assert _card(dash, "oekraine")["eindpunt"] == OEKRAINE_TARGET


# --- 1. paths ----------------------------------------------------------------------------------------

def _outside_cases(folder: Path, secret: Path) -> dict[str, str]:
    depth = len(folder.resolve().parts)  # enough '..' to reach the root from the dataset folder
    return {
        "absoluut": str(secret),
        "punt-punt": os.path.relpath(secret, folder),
        "naar de wortel": "../" * depth + str(secret).lstrip("/"),
        "etc-passwd": "../" * depth + "etc/passwd",
        "in een submap en terug": "bronnen/../../elders/passwd",
        "windows-schijf": "C:\\Windows\\win.ini",
        "unc": "\\\\server\\share\\x.csv",
    }


@pytest.mark.parametrize("case", ["absoluut", "punt-punt", "naar de wortel", "etc-passwd",
                                  "in een submap en terug", "windows-schijf", "unc"])
def test_a_path_leaving_the_folder_is_a_fout_and_never_read(tmp_path, outside, case):
    folder = tmp_path / "ds"
    folder.mkdir()
    bestand = _outside_cases(folder, outside)[case]
    escaped = bestand.replace("\\", "\\\\")
    write_dataset(folder, extra=f'\n[[bron]]\nbron = "coa"\nbestand = "{escaped}"\npeildatum = 2025-12-31\n')
    ds = opvangkern.load_dataset(folder)
    refused = [m for m in ds.melding_list if m.code == "bestand_buiten_map"]
    assert len(refused) == 1, _all_text(ds.melding_list)
    melding = refused[0]
    assert melding.is_error and melding.bestand == "opvangkern.toml" and melding.kolom == "bestand"
    assert melding.waarde == bestand and melding.rij is not None
    text = _all_text(ds.melding_list)
    assert "root:x" not in text and "geheim" not in text and "daemon" not in text
    # the clean files still count once; nothing of the refused file is in the tables
    assert set(ds.realisaties.column("bestand").to_pylist()) == {"bronnen/kcio.csv", "bronnen/coa.csv"}
    with pytest.raises(DataError):
        opvangkern.open_dataset(folder)


@pytest.mark.parametrize("how", ["file", "folder"])
def test_a_link_pointing_outside_is_a_fout(tmp_path, outside, how):
    folder = write_dataset(tmp_path / "ds")
    if how == "file":
        os.symlink(outside, folder / "bronnen" / "link.csv")
        bestand = "bronnen/link.csv"
    else:
        os.symlink(outside.parent, folder / "bronnen" / "elders")
        bestand = "bronnen/elders/passwd"
    with open(folder / "opvangkern.toml", "a", encoding="utf-8") as manifest:
        manifest.write(f'\n[[bron]]\nbron = "coa"\nbestand = "{bestand}"\npeildatum = 2025-12-31\n')
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list) == ["bestand_buiten_map"]
    assert "root:x" not in _all_text(ds.melding_list)


def test_a_link_inside_the_folder_is_read(tmp_path):
    folder = write_dataset(tmp_path / "ds", kcio=("bronnen/actueel.csv",))
    os.symlink("kcio.csv", folder / "bronnen" / "actueel.csv")
    ds = opvangkern.open_dataset(folder)
    assert _card(ds.dashboard(), "oekraine")["realisatie"] == KCIO_TOTAL


def test_the_manifest_can_name_a_folder_or_a_fifo_without_hanging(tmp_path):
    folder = write_dataset(tmp_path / "ds", kcio=("bronnen",), coa=("bronnen/pijp.csv",))
    os.mkfifo(folder / "bronnen" / "pijp.csv")  # reading it would wait for a writer for ever
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list) == ["geen_gewoon_bestand", "geen_gewoon_bestand"]
    assert all(m.is_error for m in ds.melding_list)


# --- 2. the same file twice ----------------------------------------------------------------------------

@pytest.mark.parametrize("second", ["bronnen/kcio.csv", "./bronnen/kcio.csv", "bronnen//kcio.csv",
                                    "bronnen/../bronnen/kcio.csv", "bronnen/./kcio.csv", "hardlink", "symlink"])
def test_the_same_source_file_twice_is_a_fout_and_counts_once(tmp_path, second):
    folder = write_dataset(tmp_path / "ds")
    if second == "hardlink":
        os.link(folder / "bronnen" / "kcio.csv", folder / "bronnen" / "kcio-kopie.csv")
        second = "bronnen/kcio-kopie.csv"
    elif second == "symlink":
        os.symlink("kcio.csv", folder / "bronnen" / "kcio-link.csv")
        second = "bronnen/kcio-link.csv"
    write_dataset(folder, kcio=("bronnen/kcio.csv", second))  # rewrites kcio.csv in place: links stay
    ds = opvangkern.load_dataset(folder)
    dubbel = [m for m in ds.melding_list if m.code == "bestand_dubbel"]
    assert len(dubbel) == 1 and dubbel[0].is_error and dubbel[0].waarde == second
    assert "regel" in dubbel[0].melding  # points at the first mention
    kcio = [a for a, b in zip(ds.realisaties.column("aantal").to_pylist(), ds.realisaties.column("bron").to_pylist())
            if b == "kcio"]
    assert sum(kcio) == KCIO_TOTAL  # not 2 × 5.419
    with pytest.raises(DataError):
        ds.dashboard()


def test_the_same_quota_file_twice_for_one_task_is_a_fout(tmp_path):
    extra = '\n[[opgave]]\nopgave = "asiel"\ningangsdatum = 2026-01-01\nbestand = "./opgaven/asiel.csv"\n'
    ds = opvangkern.load_dataset(write_dataset(tmp_path / "ds", extra=extra))
    assert codes(ds.melding_list) == ["bestand_dubbel"]
    asiel = [a for a, o in zip(ds.opgaven.column("aantal").to_pylist(), ds.opgaven.column("opgave").to_pylist())
             if o == "asiel"]
    assert len(asiel) == len(DRENTHE)  # one decision read, not two


def test_one_file_for_two_different_tasks_is_allowed(tmp_path):
    # A decision that publishes asylum and AMV in one file serves two tasks: that is not a duplicate.
    folder = write_dataset(tmp_path / "ds", extra='\n[[opgave]]\nopgave = "amv"\ningangsdatum = 2025-01-01\n'
                                                   'bestand = "opgaven/asiel.csv"\n')
    ds = opvangkern.load_dataset(folder)
    assert "bestand_dubbel" not in codes(ds.melding_list)


def test_two_sheets_of_one_workbook_are_two_files_but_one_sheet_twice_is_not(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    folder = write_dataset(tmp_path / "ds")
    book = openpyxl.Workbook()
    first = book.active
    first.title = "2025"
    second = book.create_sheet("2026")
    for sheet, factor in ((first, 1), (second, 2)):
        sheet.append(["Gemeentecode", "Gemeente", "Opgave"])
        for code, name, _, _, target in DRENTHE:
            sheet.append([code, name, target * factor])
    book.save(folder / "opgaven" / "asiel.xlsx")
    entry = '\n[[opgave]]\nopgave = "asiel"\ningangsdatum = {d}\nbestand = "opgaven/asiel.xlsx"\nblad = "{b}"\n'
    extra = entry.format(d="2026-01-01", b="2025") + entry.format(d="2026-07-01", b="2026")
    ds = opvangkern.load_dataset(write_dataset(folder, extra=extra))
    assert "bestand_dubbel" not in codes(ds.melding_list), _all_text(ds.melding_list)
    again = extra + entry.format(d="2027-01-01", b=" 2026 ")
    ds = opvangkern.load_dataset(write_dataset(folder, extra=again))
    assert codes(ds.melding_list) == ["bestand_dubbel"]


# --- 3. the manifest ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a = " + "[" * 100_000 + "]" * 100_000,
    "[dataset]\nnaam = " + "[" * 50_000 + '"x"' + "]" * 50_000,
    "x = " + "{a = " * 20_000 + "1" + "}" * 20_000,
])
def test_a_deeply_nested_manifest_is_a_fout_not_a_crash(tmp_path, text):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "opvangkern.toml").write_text(text, encoding="utf-8")
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list) == ["manifest_te_diep"]
    with pytest.raises(DataError) as raised:
        opvangkern.open_dataset(folder)
    assert "te diep" in str(raised.value)


def test_empty_asylum_categories_are_a_fout(tmp_path):
    folder = write_dataset(tmp_path / "ds", dataset_lines="asiel_categorieen = []\n")
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list) == ["asiel_categorieen_leeg"]
    with pytest.raises(DataError):
        ds.dashboard()


@pytest.mark.parametrize("value", ["nan", "inf", "+inf", "-inf", "-nan"])
def test_a_total_that_is_no_number_is_a_fout(tmp_path, value):
    folder = write_dataset(tmp_path / "ds")
    manifest = folder / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8").replace('bestand = "opgaven/asiel.csv"\n',
                                                       f'bestand = "opgaven/asiel.csv"\ntotaal = {value}\n')
    manifest.write_text(text, encoding="utf-8")
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list) == ["totaal_ongeldig"]
    assert ds.melding_list[0].kolom == "totaal" and ds.melding_list[0].rij is not None


def test_a_long_value_is_cut_in_the_melding(tmp_path):
    folder = write_dataset(tmp_path / "ds", dataset_lines=f'gebied = "{"x" * 10_000}"\n'.replace("gebied", "indeling"))
    ds = opvangkern.load_dataset(folder)
    assert ds.melding_list and all(len(m.waarde or "") <= 100 for m in ds.melding_list)


# --- 4. no realisation file ----------------------------------------------------------------------------

def test_a_dataset_without_any_realisation_file_gives_a_dashboard(tmp_path):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds", kcio=(), coa=()))
    dash = ds.dashboard()
    card = _card(dash, "asiel")
    assert card["realisatie"] is None and card["peildatum"] is None  # docs/decisions.md: no file, no realisation
    assert dash.gemeenten.num_rows == len(DRENTHE)
    assert sum(dash.gemeenten.column("asiel_opgave").to_pylist()) == sum(r[4] for r in DRENTHE)
    # and the dashboard says that no source covers the area
    warnings = [m for c, m in zip(codes(dash.meldingen), dash.meldingen.column("melding").to_pylist())
                if c == "onvolledige_dekking"]
    assert any("COA voor 0 van 12 gemeenten" in w for w in warnings), warnings


# --- 5. dashboard arguments -----------------------------------------------------------------------------

@pytest.mark.parametrize("peildatum", ["2025-12-31", "31-12-2025", "31/12/2025", "31 december 2025",
                                       " 31 December 2025 ", dt.datetime(2025, 12, 31, 15, 0)])
def test_peildatum_as_text_in_every_manifest_form(tmp_path, peildatum):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    expected = ds.dashboard(peildatum=dt.date(2025, 12, 31)).kaarten
    assert ds.dashboard(peildatum=peildatum).kaarten.equals(expected)


@pytest.mark.parametrize("peildatum", ["morgen", "2025-13-45", "31-02-2025", "", "46022", 46022, 2025.5, [],
                                       {"dag": 1}])
def test_a_peildatum_that_is_no_date_raises_usage_error(tmp_path, peildatum):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    with pytest.raises(UsageError) as raised:
        ds.dashboard(peildatum=peildatum)
    assert "geen datum" in str(raised.value)


def test_a_peildatum_before_every_file_is_wrong_use_listing_the_peildata(tmp_path):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    with pytest.raises(UsageError) as raised:
        ds.dashboard(peildatum="2025-11-30")
    assert "31-12-2025" in str(raised.value) and "kcio" in str(raised.value)


def test_unknown_and_ambiguous_areas_raise_the_documented_exceptions(tmp_path):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    with pytest.raises(AreaNotFound) as raised:
        ds.dashboard(gebied="Asen")
    assert "Assen" in raised.value.suggestions
    with pytest.raises(AmbiguousArea) as raised:
        ds.dashboard(gebied="Groningen")
    assert {c[0] for c in raised.value.candidates} >= {"GM0014", "VR01", "PV20"}


# --- 9. coverage ------------------------------------------------------------------------------------------

def _coverage(dash) -> list[str]:
    return [m for c, m in zip(codes(dash.meldingen), dash.meldingen.column("melding").to_pylist())
            if c == "onvolledige_dekking"]


def test_an_area_the_data_covers_has_no_coverage_warning(tmp_path):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    for gebied in ("PV22", "VR03", "Assen"):
        assert _coverage(ds.dashboard(gebied)) == []


def test_the_country_on_a_province_dataset_warns_per_task(tmp_path):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    warnings = _coverage(ds.dashboard("NL01"))
    assert len(warnings) == 2
    asiel = next(w for w in warnings if w.startswith("Opvang Asiel"))
    assert f"opgaven voor {len(DRENTHE)} van 342 gemeenten" in asiel and f"COA voor {len(DRENTHE)} van 342" in asiel
    oekraine = next(w for w in warnings if w.startswith("Opvang Oekraïne"))
    assert "opgaven voor 1 van 25 veiligheidsregio's" in oekraine and "KCIO voor 12 van 342 gemeenten" in oekraine


def test_an_area_the_dataset_says_nothing_about(tmp_path):
    from opvangkern.dashboard.coverage import require_covered

    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    for gebied in ("Overijssel", "PV21", "Zwolle", "VR04"):
        dash = ds.dashboard(gebied)  # the API gives the dashboard, with a warning per task ...
        assert len(_coverage(dash)) == 2 and all("opgaven voor 0 van" in w for w in _coverage(dash))
        with pytest.raises(UsageError) as raised:  # ... and the check the command line refuses it with
            require_covered(ds, dash.gebied)
        assert "Drenthe (PV22)" in str(raised.value)
    for gebied in ("PV22", "NL01", "Assen"):
        require_covered(ds, ds.dashboard(gebied).gebied)


def test_a_national_ukraine_target_alone_says_nothing_about_a_province(tmp_path):
    # Ukraine targets come in national files: Overijssel's regions have a target in the Drenthe sample.
    from opvangkern.dashboard.coverage import require_covered

    ds = opvangkern.open_dataset()
    assert any(c == "VR04" for c in ds.opgaven.column("gebied_code").to_pylist())
    with pytest.raises(UsageError):
        require_covered(ds, ds.dashboard("Overijssel").gebied)


def test_a_province_with_a_target_but_no_source_row_warns(tmp_path):
    from opvangkern.areas import load_division

    folder = write_dataset(tmp_path / "ds")
    with open(folder / "opgaven" / "asiel.csv", "a", encoding="utf-8") as quota:
        quota.write("GM0014,Groningen,1200\n")  # a target in Groningen, but COA's file is Drenthe's only
    ds = opvangkern.open_dataset(folder)
    groningen = len(load_division().members("PV20"))
    warnings = _coverage(ds.dashboard("PV20"))
    asiel = next(w for w in warnings if w.startswith("Opvang Asiel"))
    assert f"opgaven voor 1 van {groningen} gemeenten, COA voor 0 van {groningen} gemeenten" in asiel
    card = _card(ds.dashboard("PV20"), "asiel", "PV20")
    assert card["eindpunt"] == 1200 and card["realisatie"] == 0


@pytest.mark.parametrize("kwargs", [{"op_schema": "1"}, {"op_schema": float("nan")}, {"licht_achter": -0.1},
                                    {"op_schema": True}, {"op_schema": 0.5, "licht_achter": 0.75},
                                    {"licht_achter": float("inf")}])
def test_status_thresholds_that_are_no_fraction_raise_usage_error(tmp_path, kwargs):
    ds = opvangkern.open_dataset(write_dataset(tmp_path / "ds"))
    with pytest.raises(UsageError):
        ds.dashboard(**kwargs)


@pytest.mark.parametrize("path", ["a\x00b", 42, b"bytes", "/dev/null", "x" * 5000])
def test_a_path_that_is_no_dataset_raises_usage_error(path):
    with pytest.raises(UsageError):
        opvangkern.load_dataset(path)


def test_a_name_too_long_or_a_loop_of_links_is_a_fout(tmp_path):
    folder = write_dataset(tmp_path / "ds", kcio=("bronnen/" + "x" * 5000 + ".csv", "bronnen/kring.csv"))
    os.symlink("kring.csv", folder / "bronnen" / "kring.csv")
    ds = opvangkern.load_dataset(folder)
    assert codes(ds.melding_list) == ["bestand_onleesbaar", "bestand_onleesbaar"]
    assert all(len(m.waarde) <= 100 for m in ds.melding_list)


def test_a_task_reported_for_one_municipality_only_is_consistent(tmp_path):
    # Nidos-like: a target for one municipality and a source row for it; the region has other data.
    folder = write_dataset(tmp_path / "ds")
    (folder / "opgaven" / "asiel.csv").write_text("Gemeentecode,Gemeente,Opgave\nGM0106,Assen,1000\n", encoding="utf-8")
    coa = folder / "bronnen" / "coa.csv"
    lines = coa.read_text(encoding="utf-8").splitlines()
    keep = [line for line in lines if not line.split(";")[0] in {n for _, n, _, _, _ in DRENTHE} - {"Assen"}]
    coa.write_text("\n".join(line if not line.startswith("Totaal") else "Totaal;;900;0;0" for line in keep) + "\n",
                   encoding="utf-8")
    ds = opvangkern.open_dataset(folder)
    dash = ds.dashboard("PV22")
    assert _coverage(dash) == []
    assert _card(dash, "asiel")["realisatie"] == 900 and _card(dash, "asiel")["eindpunt"] == 1000


@pytest.mark.parametrize("how", ["folder", "file"])
def test_an_own_division_that_points_outside_is_a_fout(tmp_path, outside, how):
    folder = write_dataset(tmp_path / "ds")
    if how == "folder":
        os.symlink(outside.parent, folder / "indeling")
    else:
        (folder / "indeling").mkdir()
        os.symlink(outside, folder / "indeling" / "gemeenten.csv")
    ds = opvangkern.load_dataset(folder)
    assert "bestand_buiten_map" in codes(ds.melding_list)
    assert "root:x" not in _all_text(ds.melding_list) and "geheim" not in _all_text(ds.melding_list)
