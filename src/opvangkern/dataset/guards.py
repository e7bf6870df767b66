"""Guards between a dataset and the machine: which files a manifest may name, and the arguments of a dashboard.

- Every ``bestand`` lies inside the dataset folder ([Datasets and the manifest](dataset.md)): an absolute path, a ``..`` that leaves the
  folder or a link that points outside it is a ``fout`` *before anything is read*, so no melding can show
  such a file's content. A name that is not a regular file (a folder, a FIFO, a device) is a ``fout`` too:
  reading a FIFO would wait for ever.
- The same file (and sheet) named twice for one task or one source is a ``fout``, never counted twice. The
  same file is recognised by what it is (device and inode), not by how it is spelled: ``./bronnen/x.csv``,
  ``bronnen//x.csv``, ``bronnen/../bronnen/x.csv``, a hard link or a link inside the folder are all the
  same file.
- ``peildatum_argument`` turns the ``peildatum`` of ``Dataset.dashboard`` (a date, or text in any date form
  the manifest accepts) into a date, or raises ``UsageError``; ``check_peildatum`` refuses a peildatum
  before every file, listing the peildata there are.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from opvangkern.errors import UsageError
from opvangkern.model import Melding, Severity

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FileGuard", "peildatum_argument", "check_peildatum", "threshold_arguments"]

MANIFEST_NAME = "opvangkern.toml"
_HOW = ("zet het bestand in de datasetmap en noem het met een pad ten opzichte van die map "
        "(bijvoorbeeld bestand = \"bronnen/coa-2025-12-31.csv\")")


def _fout(code: str, text: str, bestand: str, regel: int | None) -> Melding:
    from opvangkern.dataset.manifest import _shown

    return Melding(Severity.FOUT, text, bestand=MANIFEST_NAME, rij=regel, kolom="bestand", waarde=_shown(bestand),
                   code=code)


class FileGuard:
    """Admits the files a manifest names, one entry at a time, in manifest order."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        try:
            self.root: Path | None = self.folder.resolve(strict=True)
        except (OSError, RuntimeError):
            self.root = None
        self._seen: dict[tuple, list[tuple[str | None, str, int | None, bool | None]]] = {}
        self._picks: dict[tuple, frozenset] = {}
        """(kind, key, dev, inode, line) → the columns its ``kolommen`` picks (``duplicate``'s ``picks``)."""
        self._folders: dict[Path, Path] = {}
        self._folder_text = str(self.folder)
        self._plain_parents: dict[str, bool] = {}
        """A folder (as joined) → whether it resolves inside the dataset folder (``_plain_outside``)."""
        self._stats: dict[str, os.stat_result] = {}
        """``bestand`` → its ``lstat``, for a plain regular file admitted by ``_plain_outside`` (``duplicate``)."""

    @property
    def admitted(self) -> dict[str, os.stat_result]:
        """``bestand`` → its ``lstat``, for every plain name admitted as a regular file (no link) inside the
        folder by the fast check (``_plain_outside``): for such a name ``stat`` and ``lstat`` are the same, and
        the file existed when it was admitted (``opvangkern.dataset.warm``)."""
        return self._stats

    def outside(self, bestand: str, regel: int | None) -> Melding | None:
        """A ``fout`` when ``bestand`` is not a file inside the folder (see the module); else ``None``.
        A file that does not exist is left to the caller (its own melding)."""
        if _PLAIN.fullmatch(bestand) and self.root is not None:
            verdict = self._plain_outside(bestand)
            if verdict is not _SLOW:
                return verdict
        return self._outside(bestand, regel)

    def _plain_outside(self, bestand: str) -> object:
        """``outside`` for a plain relative name (``_PLAIN``: no absolute path, drive, ``..``, ``.`` or empty
        component can be in it) whose last component is no link and that is a regular file: ``None``; for
        anything else ``_SLOW`` (the whole check, ``_outside``, decides). Issue 16: the whole check built six
        pure paths per file, 1,059 times for a five-year history. Proved equal by tests/test_guards_fast.py."""
        path = os.path.join(self._folder_text, bestand)
        try:
            info = os.lstat(path)
        except (OSError, ValueError):
            return _SLOW
        if not stat.S_ISREG(info.st_mode):
            return _SLOW  # a link, a folder, a pipe: the whole check
        parent = os.path.dirname(path)
        found = self._plain_parents.get(parent)
        if found is None:
            folder = Path(parent)
            try:
                if folder not in self._folders:
                    self._folders[folder] = folder.resolve(strict=False)
            except (OSError, RuntimeError):
                return _SLOW
            # A regular file is never the (resolved) dataset folder itself, so it lies inside that folder
            # exactly when its resolved folder does.
            found = self._plain_parents[parent] = self._folders[folder].is_relative_to(self.root)
        if not found:
            return _SLOW
        self._stats[bestand] = info
        return None

    def _outside(self, bestand: str, regel: int | None) -> Melding | None:
        if "\x00" in bestand:
            return _fout("bestand_ongeldig", f"de bestandsnaam bevat een NUL-teken; {_HOW}", bestand, regel)
        if PurePosixPath(bestand).is_absolute() or PureWindowsPath(bestand).is_absolute() or \
                PureWindowsPath(bestand).drive or bestand.startswith(("\\", "/")):
            return _fout("bestand_buiten_map", f"een absoluut pad is niet toegestaan: opvangkern leest alleen "
                                               f"bestanden in de datasetmap; {_HOW}", bestand, regel)
        parts = PurePosixPath(bestand.replace("\\", "/")).parts
        if ".." in parts and not _stays_inside(parts):
            return _fout("bestand_buiten_map", f"het pad verlaat de datasetmap (via '..'); {_HOW}", bestand, regel)
        path = self.folder / bestand
        try:
            resolved = self._resolved(path)
        except (OSError, RuntimeError):  # a loop of links
            return _fout("bestand_onleesbaar", f"het pad is een kring van koppelingen (symlinks); {_HOW}",
                         bestand, regel)
        if self.root is None or not resolved.is_relative_to(self.root):
            return _fout("bestand_buiten_map", f"het pad is een koppeling (symlink) naar een plek buiten de "
                                               f"datasetmap; {_HOW}", bestand, regel)
        try:
            mode = os.stat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None  # missing: the caller says so
        except (OSError, ValueError) as exc:  # a name too long, no permission, a loop of links
            reason = _REASONS.get(getattr(exc, "errno", None), getattr(exc, "strerror", None) or str(exc))
            return _fout("bestand_onleesbaar", f"het bestand kan niet geopend worden: {reason}", bestand, regel)
        if not stat.S_ISREG(mode):
            what = "een map" if stat.S_ISDIR(mode) else "een pipe, apparaat of socket"
            return _fout("geen_gewoon_bestand", f"het bestand {bestand!r} bestaat niet: het is {what}; noem een CSV- "
                                                f"of XLSX-bestand", bestand, regel)
        return None

    def _resolved(self, path: Path) -> Path:
        """``path.resolve(strict=False)``, with each folder resolved once per manifest (issue 16: 1,040 files
        in one folder resolved every component 1,040 times). The shortcut holds only for a last component that
        is a plain name and no link; anything else is resolved whole."""
        name = path.name
        if name in ("", ".", "..") or os.path.islink(path):
            return path.resolve(strict=False)
        folders = self._folders
        parent = path.parent
        if parent not in folders:
            folders[parent] = parent.resolve(strict=False)
        return folders[parent] / name

    def outside_tree(self, name: str) -> Melding | None:
        """A ``fout`` when the folder ``name`` inside the dataset folder (the own division, ``indeling/``), or
        anything in it, is a link pointing outside the dataset folder; ``None`` when it is inside or absent."""
        top = self.folder / name
        if not (top.exists() or top.is_symlink()):
            return None
        for path in [top, *(top.rglob("*") if top.is_dir() and self._inside(top) else ())]:
            if not self._inside(path):
                shown = path.relative_to(self.folder).as_posix()
                return Melding(Severity.FOUT, f"{shown!r} is een koppeling (symlink) naar een plek buiten de datasetmap; "
                                              f"opvangkern leest alleen bestanden in de map: zet de bestanden in de map",
                               bestand=f"{name}/", waarde=shown[:100], code="bestand_buiten_map")
        return None

    def _inside(self, path: Path) -> bool:
        try:
            return self.root is not None and path.resolve(strict=False).is_relative_to(self.root)
        except (OSError, RuntimeError):
            return False

    def duplicate(self, kind: str, key: str, bestand: str, blad: str | None, regel: int | None,
                  picks: frozenset = frozenset()) -> Melding | None:
        """A ``fout`` when this file (and sheet) was already admitted for the same task or source.

        ``kind`` is ``opgave`` or ``bron``, ``key`` the task or source. Two different sheets of one workbook
        are two files; a CSV has no sheets, and a sheet left to the default may be any named one, so those
        count as the same. ``picks``: the file headers that the entry's ``kolommen`` makes its amount column
        (``reading.quota.amount_picks``): two entries that each pick another column read two decisions that
        stand side by side in one file, not one file twice (hardening, sixth session)."""
        info = self._stats.get(bestand)  # a regular file, no link: stat and lstat are the same
        if info is None:
            try:
                info = os.stat(self.folder / bestand)
            except (OSError, ValueError):
                return None
        identity = (kind, key, info.st_dev, info.st_ino)
        sheet = None if blad is None else str(blad).strip().casefold()
        earlier = self._seen.setdefault(identity, [])
        # Only a second naming needs to know whether it is a workbook (issue 16: a sniff per file), and only it
        # the path (a ``Path`` joined per entry was ~4 µs, 1,059 times).
        workbook = _is_workbook(self.folder / bestand) if earlier else None
        for other_sheet, other_name, other_line, _ in earlier:
            if workbook and sheet is not None and other_sheet is not None and sheet != other_sheet:
                continue
            other_picks = self._picks.get(identity + (other_line,), frozenset())
            if picks and other_picks and picks != other_picks:
                continue
            spelled = "" if other_name == bestand else f" als {other_name!r}"
            what = f"[[{kind}]] {kind} = {key!r}"
            sheet_text = f", blad {blad!r}" if blad is not None and workbook else ""
            return _fout("bestand_dubbel", f"dit bestand{sheet_text} is al genoemd voor {what} (regel {other_line}"
                                           f"{spelled}); het telt maar één keer: verwijder deze vermelding"
                                           + (" of noem bij elk een ander blad" if workbook else ""), bestand, regel)
        earlier.append((sheet, bestand, regel, workbook))
        if picks:
            self._picks[identity + (regel,)] = picks
        return None


_PLAIN = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\- ]*(?:/[A-Za-z0-9_\-][A-Za-z0-9_.\- ]*)*")
"""A relative name of plain components: no absolute path, drive, ``..``, ``.`` or empty component."""
_SLOW = object()

_REASONS = {errno.ENAMETOOLONG: "de naam is te lang", errno.EACCES: "geen leesrechten", errno.EPERM: "geen leesrechten",
            errno.ELOOP: "een kring van koppelingen (symlinks)"}


def _stays_inside(parts: tuple[str, ...]) -> bool:
    depth = 0
    for part in parts:
        if part == "..":
            depth -= 1
            if depth < 0:
                return False
        elif part not in (".", ""):
            depth += 1
    return True


def _is_workbook(path: Path) -> bool:
    """An XLSX (a zip file) rather than a CSV: a CSV has no sheets."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def peildatum_argument(value: object) -> dt.date | None:
    """``Dataset.dashboard``'s ``peildatum``: a date, a datetime, or text in any date form the manifest
    accepts (``2025-12-31``, ``31-12-2025``, ``31/12/2025``, ``31 december 2025``). Anything else raises
    ``UsageError`` (never a bare ``TypeError`` or ``ValueError``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        from opvangkern.dataset.manifest import parse_date

        day = parse_date(value)
        if day is not None:
            return day
    raise UsageError(f"peildatum {value!r} is geen datum; geef een datum, bijvoorbeeld 2025-12-31, 31-12-2025 of "
                     f"31 december 2025")


def check_peildatum(realisaties: pa.Table, peildatum: dt.date | None, chosen: dict) -> None:
    """A ``peildatum`` before every realisation file is wrong use: raise ``UsageError`` listing the peildata."""
    if peildatum is None or chosen or realisaties.num_rows == 0:
        return
    from opvangkern.dataset.load import dataset_peildata

    there = dataset_peildata(realisaties)
    listed = "; ".join(f"{bron}: {', '.join(d.strftime('%d-%m-%Y') for d in days)}" for bron, days in there.items())
    raise UsageError(f"peildatum {peildatum:%d-%m-%Y} ligt vóór elk bestand van de dataset; er zijn gegevens op "
                     f"deze peildata: {listed}")


def threshold_arguments(op_schema: object, licht_achter: object) -> tuple[float, float]:
    """The status thresholds of ``Dataset.dashboard``: finite numbers ≥ 0 with ``licht_achter ≤ op_schema``;
    anything else raises ``UsageError``."""
    values = []
    for name, value in (("op_schema", op_schema), ("licht_achter", licht_achter)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise UsageError(f"{name} moet een getal ≥ 0 zijn (een fractie van het schema, bijvoorbeeld 0.75), "
                             f"niet {value!r}")
        values.append(float(value))
    if values[1] > values[0]:
        raise UsageError(f"licht_achter ({values[1]}) mag niet groter zijn dan op_schema ({values[0]})")
    return values[0], values[1]
