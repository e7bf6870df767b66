"""``opvangkern init MAP --gebied G``: a starter dataset that, once its Opgave columns are filled in and the
sources' files added, is a working dataset."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest

import opvangkern
from opvangkern.areas import load_division
from opvangkern.model import TASKS

FIXTURES = Path(__file__).parent / "fixtures"
DAY = "2026-01-01"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "opvangkern.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.fixture
def starter(tmp_path) -> Path:
    folder = tmp_path / "drenthe"
    result = run("init", folder, "--gebied", "PV22", "--ingangsdatum", "1 januari 2026")
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_init_writes_a_commented_manifest_and_a_workbook_per_task(starter):
    manifest = (starter / "opvangkern.toml").read_text(encoding="utf-8")
    parsed = tomllib.loads(manifest)
    assert parsed["dataset"]["gebied"] == "PV22"
    assert [o["opgave"] for o in parsed["opgave"]] == [t.key for t in TASKS]
    assert all(o["ingangsdatum"] == dt.date(2026, 1, 1) for o in parsed["opgave"])
    assert "bron" not in parsed  # the sources are there, commented out, until their files are
    for bron in ("coa", "kcio", "tvs", "nidos"):
        assert f'# bron = "{bron}"' in manifest
    # every entry has its Dutch comment
    for line in manifest.splitlines():
        if "=" in line and not line.startswith("#"):
            assert "#" in line, line
    assert (starter / "bronnen").is_dir()
    division = load_division()
    for task in TASKS:
        book = openpyxl.load_workbook(starter / "opgaven" / f"{task.key}-{DAY}.xlsx")
        assert book.sheetnames[0] == "Opgave"
        rows = list(book["Opgave"].iter_rows(values_only=True))
        level = task.target_level.value
        expected = division.members("PV22", level)
        if level == "gemeente":
            assert rows[0] == ("Gemeentecode", "Gemeente", "Opgave")
        else:
            assert rows[0] == ("Veiligheidsregiocode", "Veiligheidsregio", "Opgave")
        assert [(r[0], r[1]) for r in rows[1:]] == [(a.code, a.naam) for a in expected]
        assert all(r[2] is None for r in rows[1:])


def test_the_empty_starter_is_a_valid_dataset(starter):
    result = run("check", starter)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fout(en)" in result.stdout


def test_init_of_a_municipality_gives_its_safety_region_for_oekraine(tmp_path):
    folder = tmp_path / "assen"
    assert run("init", folder, "--gebied", "Assen").returncode == 0
    [book] = (folder / "opgaven").glob("oekraine-*.xlsx")
    rows = list(openpyxl.load_workbook(book)["Opgave"].iter_rows(values_only=True))
    assert rows[1:] == [("VR03", "Drenthe", None)]
    [asiel] = (folder / "opgaven").glob("asiel-*.xlsx")
    assert list(openpyxl.load_workbook(asiel)["Opgave"].iter_rows(values_only=True))[1:] == [("GM0106", "Assen", None)]


def test_init_never_overwrites(starter):
    before = (starter / "opvangkern.toml").read_bytes()
    result = run("init", starter, "--gebied", "PV22")
    assert result.returncode == 2 and "bestaat al" in result.stderr
    assert (starter / "opvangkern.toml").read_bytes() == before


def test_init_of_an_ambiguous_area_is_wrong_use(tmp_path):
    result = run("init", tmp_path / "x", "--gebied", "Groningen")
    assert result.returncode == 2 and "PV20" in result.stderr and not (tmp_path / "x").exists()


def _sample_targets(task: str) -> dict[str, float]:
    """The seed's (new) target per area of a task: area code → target (municipalities from the seed's
    municipality table, Drenthe's safety region from its Ukraine card)."""
    if task == "oekraine":
        with open(FIXTURES / "drenthe-2025-12-31-kaarten.csv", newline="", encoding="utf-8") as handle:
            card = next(r for r in csv.DictReader(handle) if r["opgave"] == "oekraine")
        return {"VR03": float(card["eindpunt"])}
    with open(FIXTURES / "drenthe-2025-12-31-gemeenten.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {r["gemeentecode"]: float(r[f"{task}_opgave"]) for r in rows if r[f"{task}_opgave"] not in ("", None)}


def test_filled_in_it_is_a_working_dataset(starter):
    # 1. the analyst fills in the Opgave column of each workbook
    for task in TASKS:
        path = starter / "opgaven" / f"{task.key}-{DAY}.xlsx"
        book = openpyxl.load_workbook(path)
        sheet = book["Opgave"]
        targets = _sample_targets(task.key)
        for row in sheet.iter_rows(min_row=2):
            if row[0].value in targets:
                row[2].value = targets[row[0].value]
        book.save(path)
    # 2. adds the sources' files and switches their [[bron]] on
    sample = opvangkern.sample_path() / "bronnen"
    names = {"coa": "coa-2025-12-31.csv", "kcio": "kcio-2025-12-31.csv", "tvs": "tvs-2025-12-31.csv",
             "nidos": "nidos-2025-12-29.csv"}
    manifest = (starter / "opvangkern.toml").read_text(encoding="utf-8")
    for bron, name in names.items():
        shutil.copy(sample / name, starter / "bronnen" / name)
        manifest = manifest.replace("# [[bron]]\n# bron = \"" + bron, "[[bron]]\nbron = \"" + bron, 1)
        manifest = manifest.replace(f'# bestand = "bronnen/{bron}-{DAY}.xlsx"', f'bestand = "bronnen/{name}"', 1)
        peildatum = "2025-12-31" if bron == "tvs" else None  # the TVS export states none; the others do
        manifest = manifest.replace(f"# peildatum = {DAY}", f"peildatum = {peildatum}" if peildatum else "", 1)
    (starter / "opvangkern.toml").write_text(manifest, encoding="utf-8")

    check = run("check", starter)
    assert check.returncode == 0, check.stdout + check.stderr
    dash = opvangkern.open_dataset(starter).dashboard()
    cards = {r["opgave"]: r for r in dash.kaarten.to_pylist() if r["gebied_code"] == "PV22"}
    seed = {r["opgave"]: r for r in csv.DictReader(open(FIXTURES / "drenthe-2025-12-31-kaarten.csv",
                                                        encoding="utf-8")) if r["gebied_code"] == "PV22"}
    for task in TASKS:
        card = cards[task.key]
        targets = _sample_targets(task.key)
        expected = sum(targets.values())
        # one decision: a flat line at its total (for housing the quota file wins over the TVS file's line)
        assert card["indicatief_schema"] == expected, task.key
        assert card["eindpunt"] == expected == float(seed[task.key]["eindpunt"]), task.key
        assert card["realisatie"] == int(seed[task.key]["realisatie"]), task.key
        assert card["achterstand"] == card["indicatief_schema"] - card["realisatie"], task.key
    # the page and the workbook come out of it
    page = run("dashboard", starter, "--format", "html", "--output", starter / "dashboard.html")
    assert page.returncode == 0, page.stderr
    assert "Opvang Asiel" in (starter / "dashboard.html").read_text(encoding="utf-8")
