"""Builds small datasets from scratch for the hostile tests: Drenthe's twelve municipalities, laid out like
real publications (a title row with the peildatum above the header, a totals row, notes under the table).

Every count is chosen here, so a test computes its expected figure by plain arithmetic on ``KCIO`` etc.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# (code, name, kcio places, coa regulier, asylum target) for Drenthe's twelve municipalities.
DRENTHE = (
    ("GM1680", "Aa en Hunze", 430, 87, 100),
    ("GM0106", "Assen", 819, 900, 1000),
    ("GM1681", "Borger-Odoorn", 338, 50, 60),
    ("GM0109", "Coevorden", 393, 450, 450),
    ("GM1690", "De Wolden", 294, 50, 50),
    ("GM0114", "Emmen", 1002, 600, 700),
    ("GM0118", "Hoogeveen", 537, 300, 300),
    ("GM0119", "Meppel", 331, 40, 40),
    ("GM1731", "Midden-Drenthe", 332, 80, 80),
    ("GM1699", "Noordenveld", 309, 60, 60),
    ("GM1730", "Tynaarlo", 364, 70, 70),
    ("GM1701", "Westerveld", 270, 640, 660),
)
KCIO_TOTAL = sum(row[2] for row in DRENTHE)
COA_TOTAL = sum(row[3] for row in DRENTHE)
OEKRAINE_TARGET = 5138


def kcio_csv(rows=DRENTHE, *, peildatum="31 december 2025") -> str:
    lines = [f"Stand per {peildatum}", "", "Veiligheidsregio,Gemeente,Gerealiseerde plekken"]
    lines += [f"Drenthe,{name},{kcio}" for _, name, kcio, _, _ in rows]
    lines += [f"Totaal Drenthe,,{sum(r[2] for r in rows)}", "", "Bron: KCIO"]
    return "\n".join(lines) + "\n"


def coa_csv(rows=DRENTHE, *, peildatum="31-12-2025") -> str:
    lines = ["COA - Capaciteit per gemeente;;;;", f"Peildatum: {peildatum};;;;", ";;;;",
             "Gemeente;Gemeentecode;Regulier;Noodopvang;TGO"]
    lines += [f"{name};{code[2:]};{coa};0;0" for code, name, _, coa, _ in rows]
    lines += [f"Totaal;;{sum(r[3] for r in rows)};0;0"]
    return "\n".join(lines) + "\n"


def asiel_csv(rows=DRENTHE) -> str:
    return "Gemeentecode,Gemeente,Opgave\n" + "".join(f"{c},{n},{t}\n" for c, n, _, _, t in rows)


def oekraine_csv() -> str:
    return f"Veiligheidsregiocode,Veiligheidsregio,Opgave\nVR03,Drenthe,{OEKRAINE_TARGET}\n"


BASE_MANIFEST = """[dataset]
naam = "{naam}"
gebied = "PV22"

[[opgave]]
opgave = "oekraine"
ingangsdatum = 2025-02-01
bestand = "opgaven/oekraine.csv"

[[opgave]]
opgave = "asiel"
ingangsdatum = 2025-01-01
bestand = "opgaven/asiel.csv"
"""

KCIO_ENTRY = """
[[bron]]
bron = "kcio"
bestand = "{bestand}"
"""

COA_ENTRY = """
[[bron]]
bron = "coa"
bestand = "{bestand}"
"""


def write_dataset(folder: Path, *, naam: str = "Drenthe, proef", kcio: tuple[str, ...] = ("bronnen/kcio.csv",),
                  coa: tuple[str, ...] = ("bronnen/coa.csv",), extra: str = "", dataset_lines: str = "") -> Path:
    """A complete, clean dataset in ``folder``; ``kcio``/``coa`` are the ``bestand`` values of the entries
    (each named file is written when it is a plain relative path), ``extra`` is appended to the manifest,
    ``dataset_lines`` go into ``[dataset]``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "opgaven").mkdir(exist_ok=True)
    (folder / "bronnen").mkdir(exist_ok=True)
    (folder / "opgaven" / "oekraine.csv").write_text(oekraine_csv(), encoding="utf-8")
    (folder / "opgaven" / "asiel.csv").write_text(asiel_csv(), encoding="utf-8")
    (folder / "bronnen" / "kcio.csv").write_text(kcio_csv(), encoding="utf-8")
    (folder / "bronnen" / "coa.csv").write_text(coa_csv(), encoding="utf-8")
    manifest = BASE_MANIFEST.format(naam=naam).replace('gebied = "PV22"\n', f'gebied = "PV22"\n{dataset_lines}')
    manifest += "".join(KCIO_ENTRY.format(bestand=b) for b in kcio)
    manifest += "".join(COA_ENTRY.format(bestand=b) for b in coa)
    manifest += extra
    (folder / "opvangkern.toml").write_text(manifest, encoding="utf-8")
    return folder


def run_cli(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    """``opvangkern ARGS`` as a user runs it: a separate process, output captured as bytes."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "opvangkern", *map(str, args)], capture_output=True,
                          env=full_env, timeout=120, **kwargs)


def codes(meldingen) -> list[str]:
    """The ``code`` of every melding (a list of ``Melding`` or a ``meldingen`` table)."""
    if hasattr(meldingen, "column"):
        return meldingen.column("code").to_pylist()
    return [m.code for m in meldingen]
