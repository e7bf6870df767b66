"""Reading a CSV or workbook file into a grid of cells that keeps the spreadsheet's row numbers.

``read_grids`` takes a path, a binary stream or bytes and returns the candidate grids: one per sheet
of a workbook (XLSX, XLS, XLSB, ODS through python-calamine), or one per plausible separator of a CSV
file (best guess first), so that a caller can take the first grid in which it finds its header row.
Row numbers are 1-based as a spreadsheet shows them: blank and title rows count.

It never raises on bad files: an unreadable, empty or corrupt file gives no grids and a melding.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from ..model import Melding, Severity

__all__ = ["Grid", "read_grids", "decode_text", "sniff_delimiters", "DELIMITERS"]

DELIMITERS = (";", ",", "\t", "|")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@attrs.frozen
class Grid:
    """The cells of one sheet (or one CSV reading) with their original row numbers."""

    bestand: str
    """The file name used in meldingen."""
    blad: str | None
    """The sheet name of a workbook; ``None`` for CSV."""
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    """``(row number, cells)`` for every row, in file order; numbers are 1-based spreadsheet rows."""
    kind: str = "csv"
    """``csv``, ``workbook`` or ``dataframe``."""
    delimiter: str | None = None
    """The separator a CSV grid was split on."""
    encoding: str | None = None
    """The encoding a CSV file was decoded with."""

    def melding(self, ernst: Severity | str, melding: str, rij: int | None = None,
                kolom: str | None = None, waarde: str | None = None) -> Melding:
        """A melding located in this grid."""
        return Melding(ernst, melding, bestand=self.bestand, blad=self.blad, rij=rij, kolom=kolom, waarde=waarde)


def _fout(bestand: str, blad: str | None, text: str) -> Melding:
    return Melding(Severity.FOUT, text, bestand=bestand, blad=blad)


def read_grids(data: Path | str | IO[bytes] | bytes, bestand: str, blad: str | None = None,
               ) -> tuple[list[Grid], list[Melding]]:
    """The candidate grids of a file and the meldingen about reading it (never raises on bad data)."""
    grids, meldingen = candidate_grids(data, bestand, blad)
    return list(grids), meldingen


def candidate_grids(data: Path | str | IO[bytes] | bytes, bestand: str, blad: str | None = None,
                    ) -> tuple[Sequence[Grid], list[Melding]]:
    """``read_grids``, but a CSV file's grids are split only when asked for (the first one usually
    holds the header: the others are never built). The sequence behaves as ``read_grids``'s list.
    A pandas ``DataFrame`` is one grid (``opvangkern.sources.frame``)."""
    from .frame import dataframe_grid, is_dataframe

    if is_dataframe(data):
        return [dataframe_grid(data, bestand)], []
    try:
        raw = _read_bytes(data)
    except OSError as exc:
        return [], [_fout(bestand, blad, f"bestand kan niet worden gelezen: {exc.strerror or exc}")]
    if not raw.strip():
        return [], [_fout(bestand, blad, "het bestand is leeg")]
    if raw.startswith(_ZIP) or raw.startswith(_OLE):
        return _workbook_grids(raw, bestand, blad)
    text, encoding, problems = decode_text(raw)
    if text is None:
        return [], [_fout(bestand, blad, problems or "geen CSV- of Excelbestand")]
    grids = _CsvGrids(text, bestand, encoding)
    meldingen = []
    if blad is not None:
        meldingen.append(Melding(Severity.WAARSCHUWING, f"blad {blad!r} genoemd, maar het bestand is CSV (geen bladen)",
                                 bestand=bestand))
    return grids, meldingen


def _read_bytes(data: Path | str | IO[bytes] | bytes) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, (str, Path)):
        return Path(data).read_bytes()
    if hasattr(data, "seek"):
        try:
            data.seek(0)
        except (OSError, ValueError):
            pass
    chunk = data.read()
    if isinstance(chunk, str):
        return chunk.encode("utf-8")
    return bytes(chunk)


# --- CSV ---------------------------------------------------------------------------------------

def decode_text(raw: bytes) -> tuple[str | None, str | None, str | None]:
    """``(text, encoding, problem)``: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252,
    else latin-1. Binary content (NUL bytes without a UTF-16 BOM) gives ``(None, None, reason)``."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            return None, None, "bestand begint als UTF-16 maar is onleesbaar"
    if b"\x00" in raw[:4096]:
        return None, None, "geen tekstbestand (CSV) en geen Excelbestand (XLSX)"
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding), encoding, None
        except UnicodeDecodeError:
            continue
    return None, None, "tekencodering onbekend"  # pragma: no cover - latin-1 always decodes


def sniff_delimiters(text: str) -> list[str]:
    """The separators to try, most plausible first (``;`` before ``,`` on a tie: Dutch exports)."""
    sample_lines = [ln for ln in text.splitlines() if ln.strip()][:60]
    sample = "\n".join(sample_lines)
    scores = []
    for rank, d in enumerate(DELIMITERS):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=d))
        except csv.Error:
            rows = []
        counts = [len(r) for r in rows if len(r) > 1]
        if not counts:
            scores.append(((0, 0), rank, d))
            continue
        mode, n_mode = Counter(counts).most_common(1)[0]
        scores.append(((n_mode, mode), rank, d))
    scores.sort(key=lambda s: (-s[0][0], -s[0][1], s[1]))
    ordered = [d for score, _, d in scores if score[0] > 0]
    # A one-column file is still a file: try the preferred separators too.
    for d in DELIMITERS:
        if d not in ordered:
            ordered.append(d)
    return ordered


class _CsvGrids(Sequence):
    """The grids of a CSV text, one per separator of ``sniff_delimiters`` (best first), each split on
    first use."""

    def __init__(self, text: str, bestand: str, encoding: str | None):
        self._text, self._bestand, self._encoding = text, bestand, encoding
        self._delimiters = sniff_delimiters(text)
        self._grids: dict[int, Grid] = {}

    def __len__(self) -> int:
        return len(self._delimiters)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = range(len(self))[index]  # IndexError as a list gives it
        grid = self._grids.get(i)
        if grid is None:
            grid = self._grids[i] = _csv_grid(self._text, self._bestand, self._delimiters[i], self._encoding)
        return grid


def _csv_grid(text: str, bestand: str, delimiter: str, encoding: str | None) -> Grid:
    rows: list[tuple[int, tuple[Any, ...]]] = []
    append = rows.append
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                        skipinitialspace=False, strict=False)
    nul = "\x00" in text
    number = 0
    while True:
        try:
            if nul:
                for record in reader:
                    number += 1
                    append((number, tuple([c.replace("\x00", "").strip() for c in record])))
            else:
                for record in reader:
                    number += 1
                    append((number, tuple([c.strip() for c in record])))
            break
        except csv.Error:
            # a broken quote or an oversized field: keep the rest of the line as one cell
            number += 1
            append((number, ("",)))
    return Grid(bestand, None, tuple(rows), "csv", delimiter, encoding)


# --- workbooks -----------------------------------------------------------------------------------

def _workbook_grids(raw: bytes, bestand: str, blad: str | None) -> tuple[list[Grid], list[Melding]]:
    global _last_workbook
    if _last_workbook is not None and _last_workbook[0] == raw:
        _, workbook, names = _last_workbook  # the same file again (a manifest naming its sheets one by one)
    else:
        try:
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
            names = list(workbook.sheet_names)
        except Exception as exc:  # noqa: BLE001 - calamine raises many kinds on corrupt files
            return [], [_fout(bestand, blad, f"het werkboek is onleesbaar of beschadigd ({type(exc).__name__})")]
        _last_workbook = (raw, workbook, names)
    if not names:
        return [], [_fout(bestand, blad, "het werkboek heeft geen bladen")]
    if blad is not None:
        wanted = [n for n in names if n == blad] or [n for n in names if n.strip().casefold() == blad.strip().casefold()]
        if not wanted:
            return [], [_fout(bestand, blad, f"blad {blad!r} bestaat niet; het werkboek heeft: {', '.join(names)}")]
        names = wanted[:1]
    grids: list[Grid] = []
    meldingen: list[Melding] = []
    for name in names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            cells = sheet.to_python(skip_empty_area=False)
            merged = _merged_ranges(sheet)
        except Exception as exc:  # noqa: BLE001
            meldingen.append(_fout(bestand, name, f"blad is onleesbaar ({type(exc).__name__})"))
            continue
        grid_rows = [list(r) for r in cells] if merged else cells  # copied only to fill merged cells
        for (r0, c0), (r1, c1) in merged:
            # A cell merged over several rows (a municipality written once for its locations) shows
            # its value on each of them. Merges across columns are titles: left alone.
            if c0 != c1 or r0 >= len(grid_rows) or c0 >= len(grid_rows[r0]):
                continue
            value = grid_rows[r0][c0]
            for r in range(r0, min(r1, len(grid_rows) - 1) + 1):
                for c in range(c0, min(c1, len(grid_rows[r]) - 1) + 1):
                    grid_rows[r][c] = value
        rows = tuple([(i, tuple([c.replace("\x00", "").strip() if isinstance(c, str) else c for c in row]))
                      for i, row in enumerate(grid_rows, 1)])  # _clean, inlined
        grids.append(Grid(bestand, name, rows, "workbook"))
    return grids, meldingen


_last_workbook: tuple[bytes, Any, list[str]] | None = None
"""The workbook opened last, with its bytes: a manifest that names 52 sheets of one file opens it once."""


def forget_workbook() -> None:
    """Drop the workbook kept open from the last read (benchmarks use it to measure a cold start)."""
    global _last_workbook
    _last_workbook = None


def _merged_ranges(sheet: Any) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # noqa: BLE001 - not supported for every format
        return ()
    return [tuple(r) for r in ranges or ()]  # type: ignore[misc]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value
