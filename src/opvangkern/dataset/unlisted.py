"""Data files beside the manifest's files that the manifest does not name (hardening, eighth session).

A dataset is its manifest and the files it names; a file the manifest does not name is not read. Every
month an analyst adds a delivery to ``bronnen/``; without its ``[[bron]]`` entry the dashboard still
shows last month, exit 0, with nothing said. ``unlisted_files`` looks in every folder (below the dataset
folder) that holds a file the manifest names and gives one ``waarschuwing`` per folder that holds data
files the manifest does not name (``bestand_niet_in_manifest``), once the dataset has no ``fout`` (an entry the
manifest refused would look like a file it omits). The dataset folder itself is left out
(outputs such as ``dashboard.xlsx`` are written there), and so are Excel's and LibreOffice's lock files and
hidden files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from opvangkern.model import Melding, Severity

__all__ = ["unlisted_files", "DATA_SUFFIXES"]

DATA_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
_SHOWN = 5


def unlisted_files(folder: Path, named: Iterable[str]) -> list[Melding]:
    """The ``bestand_niet_in_manifest`` warnings for ``folder`` (the dataset) whose manifest names ``named``
    (``bestand`` values, relative to ``folder``)."""
    by_folder: dict[str, set[str]] = {}
    for bestand in named:
        parent, _, name = os.path.normpath(str(bestand).replace("\\", "/")).replace("\\", "/").rpartition("/")
        if parent and ".." not in parent.split("/") and not os.path.isabs(parent):
            by_folder.setdefault(parent, set()).add(os.path.normcase(name))
    meldingen = []
    for parent, names in sorted(by_folder.items()):
        try:
            present = os.listdir(folder / parent)
        except OSError:
            continue  # the entries' own meldingen say what is wrong with the folder
        unnamed = sorted(name for name in present
                         if os.path.normcase(name) not in names and _data_file(name)
                         and (folder / parent / name).is_file())
        if not unnamed:
            continue
        shown = ", ".join(f"{parent}/{name}" for name in unnamed[:_SHOWN])
        more = f" en nog {len(unnamed) - _SHOWN}" if len(unnamed) > _SHOWN else ""
        what = "staat" if len(unnamed) == 1 else "staan"
        meldingen.append(Melding(
            Severity.WAARSCHUWING,
            f"{shown}{more} {what} in {parent}/ maar niet in opvangkern.toml, en telt dus niet mee. Is het een "
            f"levering of een besluit, voeg dan een [[bron]] of [[opgave]] toe met bestand = \"{parent}/{unnamed[0]}\"",
            bestand=f"{parent}/{unnamed[0]}", code="bestand_niet_in_manifest"))
    return meldingen


def _data_file(name: str) -> bool:
    if name.startswith((".", "~$", ".~lock")):
        return False
    return os.path.splitext(name)[1].lower() in DATA_SUFFIXES
