"""From wheels alone: the five distributions build with ``python -m build`` and, installed into a fresh
environment from that wheelhouse, ``opvangkern`` without the extra names the extra it misses, and
``pip install "opvangkern[bronnen]"`` gives a command that reproduces the seed figures from its sample.

Offline: the wheels are built without build isolation (hatchling from this environment), and the fresh
environment finds the third-party dependencies (pyarrow, numpy, click, …) in an overlay folder of links to
this environment's copies, so pip resolves ``opvangkern[bronnen]`` from the wheelhouse alone (``--no-index``).
Built once per session (about a minute in all); ``-m "not packaging"`` leaves it out.
"""

from __future__ import annotations

import csv
import importlib.metadata as metadata
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = {"opvangkern": ROOT, **{f"opvangkern-{p}": ROOT / "plugins" / p for p in ("coa", "kcio", "tvs", "nidos")}}
FIXTURES = Path(__file__).parent / "fixtures"


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    pytest.importorskip("build", reason="the test extra's `build` is not installed")
    out = tmp_path_factory.mktemp("wheelhouse")
    for name, folder in DISTRIBUTIONS.items():
        done = _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, folder])
        assert done.returncode == 0, f"python -m build {name} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return out


def _closure(names: list[str]) -> list[metadata.Distribution]:
    """The installed distributions of ``names`` and everything they require (markers that apply)."""
    from packaging.requirements import Requirement

    seen: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        requirement = Requirement(todo.pop())
        key = requirement.name.lower().replace("_", "-")
        if key in seen:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        dist = metadata.distribution(requirement.name)
        seen[key] = dist
        todo.extend(dist.requires or [])
    return list(seen.values())


def _overlay(folder: Path) -> Path:
    """A folder of links to this environment's copies of opvangkern's third-party dependencies."""
    from packaging.requirements import Requirement

    folder.mkdir()
    wanted = [r for r in metadata.requires("opvangkern") or [] if "extra ==" not in r]
    names = [Requirement(r).name for r in wanted]
    for dist in _closure(names):
        tops = {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}
        for top in tops:
            source = Path(dist.locate_file(top))
            if source.exists() and not (folder / top).exists() and top != "__pycache__":
                (folder / top).symlink_to(source)
    return folder


@pytest.fixture(scope="session")
def fresh(tmp_path_factory, wheelhouse) -> dict:
    base = tmp_path_factory.mktemp("fresh")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    overlay = _overlay(base / "deps")
    (Path(purelib) / "opvangkern-test-deps.pth").write_text(f"{overlay}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.pop("OPVANGKERN_DISABLE_PLUGIN_AUTOLOAD", None)
    env["PIP_CONFIG_FILE"] = os.devnull  # no index, no mirror, no constraints: the wheelhouse alone
    return {"python": python, "bin": env_dir / "bin", "env": env, "cwd": base}


def _pip(fresh: dict, *args) -> subprocess.CompletedProcess:
    return _run([fresh["python"], "-m", "pip", "--disable-pip-version-check", "install", "--no-index",
                 "--find-links", *args], env=fresh["env"], cwd=fresh["cwd"])


def _opvangkern(fresh: dict, *args) -> subprocess.CompletedProcess:
    return _run([fresh["bin"] / "opvangkern", *args], env=fresh["env"], cwd=fresh["cwd"])


def test_the_five_wheels_build(wheelhouse):
    wheels = sorted(p.name for p in wheelhouse.glob("*.whl"))
    assert len(wheels) == 5, wheels
    for name in DISTRIBUTIONS:
        assert any(w.startswith(name.replace("-", "_") + "-") for w in wheels), (name, wheels)
    core = next(wheelhouse.glob("opvangkern-*.whl"))
    import zipfile

    names = zipfile.ZipFile(core).namelist()
    assert "opvangkern/sample/drenthe-2025-12-31/opvangkern.toml" in names  # the sample ships in the wheel
    assert "opvangkern/output/html/style.css" in names and "opvangkern/areas/data/2026/gemeenten.csv" in names
    meta = zipfile.ZipFile(core).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Provides-Extra: bronnen" in meta and "Provides-Extra: pandas" in meta


@pytest.fixture(scope="session")
def installed(fresh, wheelhouse) -> dict:
    # first the library alone: the sample needs adapters it does not have, and says which extra brings them
    done = _pip(fresh, wheelhouse, "opvangkern")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    without = _opvangkern(fresh, "dashboard")
    listed = _opvangkern(fresh, "bronnen")
    done = _pip(fresh, wheelhouse, "opvangkern[bronnen]")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"without": without, "bronnen_without": listed}


def test_without_the_extra_the_message_names_it(installed):
    without = installed["without"]
    assert without.returncode == 1, without.stdout + without.stderr
    assert 'pip install "opvangkern[bronnen]"' in without.stderr
    assert 'pip install "opvangkern[bronnen]"' in installed["bronnen_without"].stdout


def test_from_wheels_the_sample_reproduces_the_seed(fresh, installed):
    listed = _opvangkern(fresh, "bronnen")
    assert listed.returncode == 0
    for bron in ("coa", "kcio", "tvs", "nidos"):
        assert re.search(rf"^{bron}\s.*opvangkern-{bron}\s+\S+$", listed.stdout, re.MULTILINE), listed.stdout
    # the installed copy, not this repository's
    where = _run([fresh["python"], "-c", "import opvangkern, opvangkern_coa; print(opvangkern.__file__); "
                  "print(opvangkern_coa.__file__)"], env=fresh["env"], cwd=fresh["cwd"])
    assert str(ROOT) not in where.stdout and "site-packages" in where.stdout, where.stdout
    out = fresh["cwd"] / "uit"
    done = _opvangkern(fresh, "dashboard", "--format", "csv", "--output", out)
    assert done.returncode == 0, done.stderr
    with open(out / "gemeenten.csv", newline="", encoding="utf-8") as handle:
        got = {r["gemeentecode"]: r for r in csv.DictReader(handle)}
    with open(FIXTURES / "drenthe-2025-12-31-gemeenten.csv", newline="", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    for row in expected:
        for column, value in row.items():
            if column in ("gemeentecode", "gemeentenaam"):
                assert got[row["gemeentecode"]][column] == value
                continue
            a, b = got[row["gemeentecode"]][column], value
            a, b = (float(a) if a else None), (float(b) if b else None)
            if not column.endswith("_opgave"):
                a, b = a or 0.0, b or 0.0
            assert a == b, (row["gemeentecode"], column, a, b)
    with open(out / "kaarten.csv", newline="", encoding="utf-8") as handle:
        cards = {(r["gebied_code"], r["opgave"]): r for r in csv.DictReader(handle)}
    with open(FIXTURES / "drenthe-2025-12-31-kaarten.csv", newline="", encoding="utf-8") as handle:
        for seed in csv.DictReader(handle):
            card = cards[(seed["gebied_code"], seed["opgave"])]
            assert float(card["realisatie"]) == float(seed["realisatie"])
            assert abs(float(card["indicatief_schema"]) - float(seed["indicatief_schema_afgerond"])) <= 0.5
            assert card["status"] == seed["status"]
    text = _opvangkern(fresh, "dashboard")
    assert text.returncode == 0 and "Totaal" in text.stdout and "5.013" in text.stdout
    workbook = _opvangkern(fresh, "dashboard", "--format", "xlsx", "--output", fresh["cwd"] / "d.xlsx")
    assert workbook.returncode == 0, workbook.stderr
