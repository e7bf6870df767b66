"""Looking inside a workbook's zip before python-calamine reads it: limits, error cells, formulas.

python-calamine reads what a file declares. A 2 KB workbook with cells at ``A1`` and ``XFD1048576``
makes it allocate 512 GiB (the process aborts); a zip bomb makes it unpack gigabytes; and an error
cell (``#N/A``, ``#DIV/0!``) or a formula without a cached value comes out as ``''``, an empty cell.
This module checks the file first, streaming and without an XML parser (no entities, no DTD):

- ``check_zip``: at most ``MAX_MEMBERS`` members, and the members together unpack to at most
  ``MAX_UNPACKED`` bytes, counted while inflating (declared sizes may lie) and checked on the declared
  sizes first (a member whose declared ratio passes ``MAX_RATIO`` is refused without inflating it);
- ``scan_sheet``: a worksheet's declared ``<dimension>`` and the extent of the cells it holds
  (at most ``MAX_COLUMNS`` columns, ``MAX_ROWS`` rows and ``MAX_CELLS`` cells), the text its cells copy
  from the shared strings (``MAX_TEXT`` for the workbook), and the cells that are an error value
  (``t="e"``) or a formula without a cached value, by (row, column);
- ``scan_ods``: the same limits for an OpenDocument spreadsheet, whose cells and rows can be repeated;
- ``ods_marks``: an ODS table's error cells, formulas without a result and merges over rows, which
  python-calamine shows as empty cells.

XLSX/XLSM (SpreadsheetML) worksheets are scanned for cells; an ODS for its extent, text, error cells and
merges; an XLSB gets the zip limits only. See ``docs/security.md``.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

__all__ = ["MAX_UNPACKED", "MAX_COLUMNS", "MAX_CELLS", "MAX_ROWS", "MAX_MEMBERS", "MAX_RATIO", "MAX_TEXT", "Refused",
           "WorkbookParts", "TextBudget", "check_zip", "scan_sheet", "sheet_parts", "shared_string_lengths",
           "is_ods", "scan_ods", "column_number", "percent_styles", "percent_cells", "ods_percent_runs",
           "OdsMarks", "ods_marks", "ods_struck_runs", "string_cells", "strike_styles", "struck_strings",
           "styled_cells"]

MAX_UNPACKED = 200 * 1000 * 1000
"""Bytes all members of a workbook may unpack to ([How files are read](sources/reading.md): 200 MB)."""
MAX_COLUMNS = 1_000
"""Columns a sheet may span ([How files are read](sources/reading.md))."""
MAX_CELLS = 50_000_000
"""Cells (rows × columns of the used range) a sheet may span ([How files are read](sources/reading.md))."""
MAX_ROWS = 1_048_576
"""Rows a sheet may span: Excel's own maximum."""
MAX_MEMBERS = 10_000
"""Members a workbook's zip may hold (a real workbook has tens)."""
MAX_RATIO = 1_000
"""Declared unpacked size / packed size above which a member (of more than 1 MB) is a zip bomb."""
_CHUNK = 1 << 22


class Refused(Exception):
    """The workbook is refused before its cells are read; ``code`` and the Dutch ``reason``."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- the zip ------------------------------------------------------------------------------------

def check_zip(raw: bytes) -> zipfile.ZipFile:
    """The workbook's zip, after checking its members against the limits; raises ``Refused``.

    Every member is inflated once (without keeping it) to count what it really unpacks to.
    """
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error):
        raise Refused("werkboek_onleesbaar", "het werkboek is onleesbaar of beschadigd (geen geldig zip-bestand)") from None
    if len(infos) > MAX_MEMBERS:
        raise Refused("werkboek_te_groot", f"het werkboek bestaat uit {len(infos):,} delen (meer dan "
                      f"{MAX_MEMBERS:,}); dit is geen gewone export".replace(",", "."))
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNPACKED:
        raise Refused("werkboek_te_groot", f"het werkboek pakt uit tot {_mb(declared)} (meer dan "
                      f"{_mb(MAX_UNPACKED)}); sla het op zonder overbodige bladen of lever CSV aan")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused("werkboek_te_groot", f"deel {info.filename!r} van het werkboek is meer dan "
                          f"{MAX_RATIO}× samengeperst (een zip-bom); het bestand wordt niet gelezen")
    total = 0
    for info in infos:
        for chunk in _inflate(raw, info):
            total += len(chunk)
            if total > MAX_UNPACKED:
                raise Refused("werkboek_te_groot", f"het werkboek pakt uit tot meer dan {_mb(MAX_UNPACKED)} "
                              "(meer dan het zelf opgeeft); het bestand wordt niet gelezen")
    return zf


def _inflate(raw: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks, inflated from the raw stream (not trusting its declared size)."""
    offset = info.header_offset
    header = raw[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Refused("werkboek_onleesbaar", "het werkboek is onleesbaar of beschadigd (zip-kop ontbreekt)")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    packed = memoryview(raw)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(packed), _CHUNK):
            yield bytes(packed[i:i + _CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise Refused("werkboek_onleesbaar", f"deel {info.filename!r} van het werkboek gebruikt een onbekende "
                      f"compressie ({info.compress_type}); sla het opnieuw op in Excel")
    inflater = zlib.decompressobj(-15)
    try:
        for i in range(0, len(packed), _CHUNK):
            data = bytes(packed[i:i + _CHUNK])
            while data:
                out = inflater.decompress(data, _CHUNK)
                if out:
                    yield out
                data = inflater.unconsumed_tail
                if inflater.eof:
                    return
        while not inflater.eof:
            out = inflater.decompress(b"", _CHUNK)
            if not out:
                break
            yield out
    except zlib.error:
        raise Refused("werkboek_onleesbaar", f"deel {info.filename!r} van het werkboek is beschadigd") from None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.0f} MB".replace(",", ".")


# --- which part is which sheet -------------------------------------------------------------------

_ATTR = re.compile(rb'([\w.-]+(?::[\w.-]+)?)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s([^>]*)>")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s([^>]*)>")
_CALC_PR = re.compile(rb"<(?:[\w.-]+:)?calcPr\s([^>]*)>")


def _attrs(text: bytes) -> dict[str, str]:
    out = {}
    for name, dq, sq in _ATTR.findall(text):
        value = (dq if dq or not sq else sq).decode("utf-8", "replace")
        out[name.decode("ascii", "replace")] = _unescape(value)
    return out


def _unescape(text: str) -> str:
    if "&" not in text:
        return text

    def entity(m: re.Match) -> str:
        body = m.group(1)
        named = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
        if body in named:
            return named[body]
        try:
            return chr(int(body[2:], 16) if body.startswith("#x") else int(body[1:]))
        except (ValueError, OverflowError):
            return m.group(0)

    return re.sub(r"&(#x[0-9a-fA-F]+|#\d+|\w+);", entity, text)


@attrs.frozen
class WorkbookParts:
    """The worksheet part (zip member name) of each sheet name; empty when the file is no XLSX."""

    sheets: dict[str, str]
    shared_strings: str | None = None
    """The shared strings part, if any."""
    styles: str | None = None
    """The styles part, if any (which cells are formatted as a percentage: ``percent_styles``)."""
    uncalculated: bool = False
    """The workbook asks for a full recalculation when it is opened (``<calcPr fullCalcOnLoad="1">``): the
    program that wrote it did not calculate its formulas, so a stored 0 is no result (``_bad_cells``)."""
    manual: str | None = None
    """``None`` for a workbook that calculates automatically; ``"manual"`` for one set to manual calculation
    (``<calcPr calcMode="manual">``: Excel still calculates before saving, unless that is switched off); ``"stale"``
    for one in manual calculation saved without calculating (``calcOnSave="0"``): every stored result may be the
    one of before the last change."""


def sheet_parts(zf: zipfile.ZipFile, raw: bytes) -> WorkbookParts:
    """Map sheet names onto their worksheet parts through ``xl/workbook.xml`` and its relationships."""
    names = set(zf.namelist())
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for tag in _REL_TAG.findall(_read(zf, raw, "_rels/.rels")):
            a = _attrs(tag)
            if a.get("Type", "").endswith("/officeDocument") and a.get("Target"):
                workbook = a["Target"].lstrip("/")
                break
    if workbook not in names:
        return WorkbookParts({})
    folder = workbook.rsplit("/", 1)[0] + "/" if "/" in workbook else ""
    rels_name = f"{folder}_rels/{workbook.rsplit('/', 1)[-1]}.rels"
    targets: dict[str, str] = {}
    shared = styles = None
    if rels_name in names:
        for tag in _REL_TAG.findall(_read(zf, raw, rels_name)):
            a = _attrs(tag)
            if "Id" in a and "Target" in a:
                target = a["Target"]
                targets[a["Id"]] = target.lstrip("/") if target.startswith("/") else _join(folder, target)
                if a.get("Type", "").endswith("/sharedStrings") and targets[a["Id"]] in names:
                    shared = targets[a["Id"]]
                if a.get("Type", "").endswith("/styles") and targets[a["Id"]] in names:
                    styles = targets[a["Id"]]
    sheets: dict[str, str] = {}
    workbook_xml = _read(zf, raw, workbook)
    for tag in _SHEET_TAG.findall(workbook_xml):
        a = _attrs(tag)
        rid = next((v for k, v in a.items() if k.endswith(":id")), None)
        if "name" in a and rid in targets and targets[rid] in names:
            sheets.setdefault(a["name"], targets[rid])
    calc = _CALC_PR.search(workbook_xml)
    settings = _attrs(calc.group(1)) if calc is not None else {}
    uncalculated = settings.get("fullCalcOnLoad", "").lower() in ("1", "true")
    manual = None
    if settings.get("calcMode", "").lower() == "manual":
        manual = "stale" if settings.get("calcOnSave", "").lower() in ("0", "false") else "manual"
    return WorkbookParts(sheets, shared, styles, uncalculated, manual)


_WORKBOOK_VIEW = re.compile(rb"<(?:[\w.-]+:)?workbookView\s([^>]*)>")
_ACTIVE_TABLE = re.compile(rb"config:name=[\"']ActiveTable[\"'][^>]*>([^<]*)<")


def active_sheet(raw: bytes) -> str | None:
    """The name of the sheet an XLSX workbook opens on (``<workbookView activeTab="1">``: the sheet the analyst
    had open when saving), or an ODS (``ActiveTable`` in ``settings.xml``); ``None`` for the first sheet of an
    XLSX, a file that is no workbook or one that does not say.

    Read only for a workbook of several sheets without ``blad`` (``othersheets``): one zip member, no cells."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            parts = sheet_parts(zf, raw)
            if not parts.sheets:
                if "settings.xml" not in zf.namelist() or zf.getinfo("settings.xml").file_size > 4_000_000:
                    return None
                # an ODS: LibreOffice's view settings name the table it opens on
                found = _ACTIVE_TABLE.search(_read(zf, raw, "settings.xml"))
                return _unescape(found.group(1).decode("utf-8", "replace")) if found is not None else None
            workbook = next((n for n in zf.namelist() if n.lower().endswith("workbook.xml")), None)
            if workbook is None:
                return None
            xml = _read(zf, raw, workbook)
    except Exception:  # noqa: BLE001 - no zip, no workbook part: nothing to say
        return None
    view = _WORKBOOK_VIEW.search(xml)
    tab = _attrs(view.group(1)).get("activeTab", "0") if view is not None else "0"
    names = [a["name"] for a in (_attrs(t) for t in _SHEET_TAG.findall(xml)) if "name" in a]
    try:
        index = int(tab)
    except ValueError:
        return None
    return names[index] if 0 < index < len(names) else None


def _join(folder: str, target: str) -> str:
    parts: list[str] = []
    for piece in (folder + target).split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _read(zf: zipfile.ZipFile, raw: bytes, name: str) -> bytes:
    return b"".join(_inflate(raw, zf.getinfo(name)))


MAX_TEXT = 200_000_000
"""Characters of text the sheets read from one workbook may hold together: a shared string (or an ODS
cell) repeated in many cells is copied into every one of them, so a 100 KB file could ask for 6 GB."""
_SI = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*?(?:/>|>((?:[^<]|<(?!/?(?:[\w.-]+:)?si[\s/>]))*)</(?:[\w.-]+:)?si>)")
_SHARED_INDEX = re.compile(rb"t\s*=\s*[\"']s[\"'][^>]*>\s*<(?:[\w.-]+:)?v(?:\s[^>]*)?>\s*(\d{1,12})\s*<")


def shared_string_lengths(zf: zipfile.ZipFile, raw: bytes, part: str | None) -> list[int]:
    """The length in bytes of each shared string (its XML, markup included: an upper bound of its text)."""
    if part is None:
        return []
    return [m.end(1) - m.start(1) if m.group(1) is not None else 0 for m in _SI.finditer(_read(zf, raw, part))]


class TextBudget:
    """The characters still allowed (``MAX_TEXT``) for the sheets of one workbook. A sheet is charged its
    cells × the longest shared string (cheap); only when that would pass the limit are the strings its
    cells really copy counted, and then also for the sheets charged before, so that no estimate refuses
    a workbook that keeps to the limit."""

    def __init__(self, shared: Sequence[int] = ()):
        self.left = MAX_TEXT
        self.shared = list(shared)
        self.longest = max(self.shared, default=0)
        self.estimated: list[tuple[str, int, Any]] = []  # (sheet, charged, how to count it exactly)

    def spend(self, chars: int, sheet: str) -> None:
        self.left -= chars
        if self.left < 0:
            raise Refused("werkboek_te_groot", f"blad {sheet!r} herhaalt lange teksten in zoveel cellen dat het "
                          f"werkboek uitgepakt meer dan {_mb(MAX_TEXT)} tekst bevat; het bestand wordt niet gelezen")

    def charge(self, sheet: str, bound: int, exact: Any) -> None:
        """Charge ``bound`` (an upper bound) for ``sheet``, or ``exact()`` when the bound does not fit."""
        if bound <= self.left:
            self.left -= bound
            self.estimated.append((sheet, bound, exact))
            return
        for _, charged, count in self.estimated:  # the estimates made so far, counted exactly now
            self.left += charged - count()
        self.estimated = []
        self.spend(exact(), sheet)


# --- one worksheet ------------------------------------------------------------------------------

_P = rb"(?:[\w.-]+:)?"
_DIMENSION = re.compile(rb"<" + _P + rb"dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_CELL_START = re.compile(rb"<" + _P + rb"c[\s/>]")
_SAFE_CUT = re.compile(rb"<" + _P + rb"(?:c|row)[\s/>]")
_REF3 = re.compile(rb"<" + _P + rb"c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{3,})")
_REF2 = re.compile(rb"<" + _P + rb"c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{2})\$?\d")
_CELL_WITH_REF = re.compile(rb"<" + _P + rb"c\s[^>]*?\br\s*=")
_ERROR_OR_FORMULA = re.compile(rb"\bt\s*=\s*[\"']e[\"']|<" + _P + rb"f[\s/>]")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _ref(text: str) -> tuple[int, int] | None:
    """``B12`` → (12, 2) (row, column, both 1-based)."""
    m = _REF.match(text.strip())
    if not m:
        return None
    return int(m.group(2)), column_number(m.group(1))


def _refuse_extent(what: str, rows: int, cols: int) -> None:
    if cols > MAX_COLUMNS or rows > MAX_ROWS or rows * cols > MAX_CELLS:
        raise Refused("werkboek_te_groot", f"{what} {rows:,} rijen bij {cols:,} kolommen".replace(",", ".")
                      + f" (meer dan {MAX_COLUMNS} kolommen of {MAX_CELLS:,} cellen); ".replace(",", ".")
                      + "verwijder de lege cellen ver buiten de tabel, of sla alleen de tabel op")


def scan_sheet(zf: zipfile.ZipFile, raw: bytes, part: str, sheet: str,
               budget: TextBudget | None = None, uncalculated: bool = False, manual: str | None = None,
               formulas: dict[tuple[int, int], str] | None = None,
               seen: set[str] | None = None) -> dict[tuple[int, int], str]:
    """Check one worksheet's extent (raises ``Refused``) and return its unreadable cells:
    ``(row 1-based, column 0-based)`` → what the cell holds (``foutwaarde #N/A``, ``formule =SUM(B2:B3)
    zonder opgeslagen uitkomst``). In an ``uncalculated`` workbook (``WorkbookParts.uncalculated``) a formula
    whose stored number is 0 has no result either: xlsxwriter and other libraries store 0 for every formula
    they are not given a value for; so in a sheet that asks for it alone (``<sheetCalcPr fullCalcOnLoad="1">``,
    after its cells). In a workbook in manual calculation (``WorkbookParts.manual``) the formulas with a stored
    result are put in ``formulas`` (``"manual"``) or, saved without calculating (``"stale"``), are unreadable too:
    their results may be those of before the last change. ``seen`` gets ``"strike"`` when a cell's inline text
    has a struck run (``string_cells`` then looks for the cells).

    One pass over the part. A segment written the common way (every ``<c…`` tag is ``<c r="…``, no
    namespace prefixes) is checked with literal searches; any other segment with general patterns.
    """
    what = f"blad {sheet!r} beslaat"
    bad: dict[tuple[int, int], str] = {}
    zeros: dict[tuple[int, int], str] = {}  # formulas that stored 0: placeholders if the sheet asks to recalculate
    sheet_uncalculated = False
    if manual is None:
        formulas = None  # only a workbook in manual calculation names its formulas
    head_done = False
    max_col = max_row = n_cells = n_refs = n_rows = 0
    for segment in _segments(zf, raw, part):
        if not head_done:
            data_at = segment.find(b"sheetData")
            m = _DIMENSION.search(segment, 0, len(segment) if data_at < 0 else data_at)
            if m:
                _check_dimension(f"blad {sheet!r} zegt dat het", m.group(1).decode("ascii", "replace"))
            head_done = data_at >= 0
        cells = segment.count(b'<c r="')
        if cells == segment.count(b"<c") and not _PREFIXED.search(segment):
            n_cells += cells
            n_refs += cells
            n_rows += segment.count(b"<row")
            for letters, digits in _F_UNUSUAL.findall(segment):
                if letters:
                    max_col = max(max_col, column_number(letters.decode("ascii")))
                else:
                    max_row = max(max_row, _max_number([digits]))
            max_row = max(max_row, _max_number(_F_HUGEROWTAG.findall(segment)))
            suspicious = b"<f" in segment or ((b'"e"' in segment or b"'e'" in segment)
                                               and _F_ERROR.search(segment) is not None)
        else:
            n_cells += len(_CELL_START.findall(segment))
            n_refs += len(_CELL_WITH_REF.findall(segment))
            n_rows += len(_ROW_START.findall(segment))
            for letters in _REF3.findall(segment):
                max_col = max(max_col, column_number(letters.decode("ascii")))
            if max_col <= 702:
                for letters in _REF2.findall(segment):
                    max_col = max(max_col, column_number(letters.decode("ascii")))
            max_row = max(max_row, _max_number(_BIGROW.findall(segment)), _max_number(_BIGROWTAG.findall(segment)))
            suspicious = _ERROR_OR_FORMULA.search(segment) is not None
        if max_col > MAX_COLUMNS:
            _refuse_extent(what, max(max_row, 1), max_col)
        if n_cells > MAX_CELLS or max_row > MAX_ROWS or n_rows > MAX_ROWS:
            _refuse_extent(what, max(max_row, n_rows), max(max_col, 1))
        if suspicious:
            _bad_cells(segment, bad, uncalculated, zeros, manual, formulas)
        if seen is not None and b"strike" in segment:
            seen.add("strike")
        if b"sheetCalcPr" in segment:
            found = _SHEET_CALC_PR.search(segment)
            sheet_uncalculated = sheet_uncalculated or (found is not None and _attrs(found.group(1)).get(
                "fullCalcOnLoad", "").lower() in ("1", "true"))
    cols = max(max_col, 26)
    if n_refs < n_cells:
        # cells without a reference are placed one after the other: a row is as wide as the cells it holds
        cols = max(cols, _widest_row(zf, raw, part))
    if MAX_CELLS // cols < MAX_ROWS:
        # a wide sheet: rows below 1,000,000 matter too (the common path above compared only longer ones)
        for segment in _segments(zf, raw, part):
            max_row = max(max_row, _max_number(_BIGROW.findall(segment)), _max_number(_BIGROWTAG.findall(segment)))
    _refuse_extent(what, max(max_row, n_rows), cols)
    if budget is not None and budget.longest:
        _spend_shared(zf, raw, part, sheet, budget, n_cells)
    if sheet_uncalculated and zeros:
        bad.update(zeros)
        if formulas:
            for where in zeros:
                formulas.pop(where, None)
    return bad


_SHEET_CALC_PR = re.compile(rb"<(?:[\w.-]+:)?sheetCalcPr\s([^>]*)>")


def _spend_shared(zf: zipfile.ZipFile, raw: bytes, part: str, sheet: str, budget: TextBudget, n_cells: int) -> None:
    """Charge the shared strings the sheet's cells copy: at most cells × the longest string, else counted
    cell by cell (only when that bound is too high)."""

    def exact() -> int:
        shared, total = budget.shared, 0
        for segment in _segments(zf, raw, part):
            for index in _SHARED_INDEX.findall(segment):
                i = int(index)
                total += shared[i] if i < len(shared) else 0
        return total

    budget.charge(sheet, n_cells * budget.longest, exact)


_PREFIXED = re.compile(rb":(?:c[\s/>]|row|f|v|dimension)")
_F_UNUSUAL = re.compile(rb'<c r="\$?(?:([A-Za-z]{2,})|[A-Za-z]\$?0*([1-9]\d{6,}))')
_F_HUGEROWTAG = re.compile(rb'<row r="0*([1-9]\d{6,})')
_F_ERROR = re.compile(rb"=\s*[\"']e[\"']")
_ROW_START = re.compile(rb"<" + _P + rb"row[\s/>]")
_BIGROW = re.compile(rb"<" + _P + rb"c\s[^>]*?\br\s*=\s*[\"']\$?[A-Za-z]{1,3}\$?0*([1-9]\d{4,})")
_BIGROWTAG = re.compile(rb"<" + _P + rb"row\s[^>]*?\br\s*=\s*[\"']0*([1-9]\d{4,})")


def _max_number(found: list[bytes]) -> int:
    """The largest of the digit strings (numbers of more than nine digits count as 10**9)."""
    if not found:
        return 0
    return max(map(int, [d if len(d) <= 9 else b"1000000000" for d in found]))



_F_HUGEROWTAG = re.compile(rb'<row r="0*([1-9]\d{6,})')
_F_ERROR = re.compile(rb"=\s*[\"']e[\"']")
_ROW_START = re.compile(rb"<" + _P + rb"row[\s/>]")
_BIGROW = re.compile(rb"<" + _P + rb"c\s[^>]*?\br\s*=\s*[\"']\$?[A-Za-z]{1,3}\$?0*([1-9]\d{4,})")
_BIGROWTAG = re.compile(rb"<" + _P + rb"row\s[^>]*?\br\s*=\s*[\"']0*([1-9]\d{4,})")


def _segments(zf: zipfile.ZipFile, raw: bytes, part: str) -> Iterator[bytes]:
    """The part's bytes in pieces cut before a cell or row start tag (a cell is never split); the last
    chunk is not cut."""
    pending = b""
    chunks = _inflate(raw, zf.getinfo(part))
    chunk = next(chunks, None)
    while chunk is not None:
        following = next(chunks, None)
        buf = pending + chunk
        if following is None:
            if buf:
                yield buf
            return
        cut = _last_cut(buf)
        if cut:
            yield buf[:cut]
        pending = buf[cut:]
        chunk = following


def _last_cut(buf: bytes) -> int:
    """Where a chunk may be cut: before the last cell or row start tag (a cell is never split); in a
    stretch without one (a cell of many megabytes, or no cells at all), before the last tag, so that
    nothing piles up."""
    start = max(0, len(buf) - (1 << 16))
    while True:
        last = None
        for m in _SAFE_CUT.finditer(buf, start):
            last = m.start()
        if last is not None and last > 0:
            return last
        if start == 0:
            break
        start = max(0, start - (1 << 20))
    lt = buf.rfind(b"<")
    return lt if lt > 0 else len(buf)


def _check_dimension(what: str, ref: str) -> None:
    pieces = ref.split(":")
    corners = [_ref(p) for p in pieces]
    if any(c is None for c in corners):
        return  # an unreadable dimension is not used by the reader either
    rows = max(c[0] for c in corners) - min(c[0] for c in corners) + 1  # type: ignore[index]
    cols = max(c[1] for c in corners) - min(c[1] for c in corners) + 1  # type: ignore[index]
    rows = max(rows, max(c[0] for c in corners))  # type: ignore[index]
    cols = max(cols, max(c[1] for c in corners))  # type: ignore[index]
    _refuse_extent(what, rows, cols)


def _bad_cells(segment: bytes, bad: dict[tuple[int, int], str], uncalculated: bool = False,
               zeros: dict[tuple[int, int], str] | None = None, manual: str | None = None,
               formulas: dict[tuple[int, int], str] | None = None) -> None:
    """The error cells and formulas without a cached value of a segment. Linear patterns only (no
    ``.*?`` across cells): each looks at a cell's start tag and the element right after it. ``zeros`` gets the
    formulas that stored 0 (``scan_sheet``: placeholders when the sheet asks to be recalculated), ``formulas``
    the formulas with a stored result of a workbook in manual calculation (``manual``, see ``scan_sheet``)."""
    for m in _ERROR_CELL.finditer(segment):
        a = _attrs(m.group(1))
        where = _ref(a.get("r", ""))
        if where is None or a.get("t") != "e":
            continue  # cells without a reference: see _widest_row
        text = _text(m.group(2))
        bad[(where[0], where[1] - 1)] = f"foutwaarde {text or '#FOUT'}"
    for m in _FORMULA_CELL.finditer(segment):
        a = _attrs(m.group(1) or b"")
        where = _ref(a.get("r", ""))
        kind = a.get("t", "n")
        if where is None or kind == "e":
            continue
        cached = _text(m.group(3))
        f_text = _text(m.group(2))
        shown = f"={f_text}" if f_text else "een gedeelde formule"
        at = (where[0], where[1] - 1)
        if manual == "stale" and (cached or kind in ("str", "inlineStr", "s")):
            # a result kept from before the last change, perhaps (a name as much as a number)
            bad[at] = (f"formule {shown[:60]} met een mogelijk verouderde uitkomst {cached[:20]!r} (het werkboek "
                       "rekent handmatig en is opgeslagen zonder te herberekenen)")
            continue
        if kind in ("str", "inlineStr", "s"):
            continue  # a text result (even empty text) is text
        placeholder = (f"formule {shown[:60]} zonder berekende uitkomst (het programma dat het bestand schreef, "
                       "sloeg 0 op zonder te rekenen)")
        if cached and uncalculated and kind == "n" and _is_zero(cached):
            # a library's placeholder, not a result: read as it stands it would be a silent 0
            bad[at] = placeholder
            continue
        if cached:
            if zeros is not None and kind == "n" and _is_zero(cached):
                zeros[at] = placeholder
            if formulas is not None:
                formulas[at] = shown[:60]
            continue  # a stored result
        bad[at] = f"formule {shown[:60]} zonder opgeslagen uitkomst"


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def _text(raw: bytes | None) -> str:
    return _unescape((raw or b"").decode("utf-8", "replace")).strip()


_ERROR_CELL = re.compile(rb"<" + _P + rb"c\s([^>]*?\bt\s*=\s*[\"']e[\"'][^>/]*)/?>(?:\s*<" + _P
                         + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P + rb"f>))?(?:\s*<" + _P + rb"v\b[^>]*>([^<]*)<)?")
_FORMULA_CELL = re.compile(rb"<" + _P + rb"c(\s[^>]*?)?>\s*<" + _P + rb"f\b[^>]*?(?:/>|>([^<]*)</" + _P
                           + rb"f>)\s*(?:<" + _P + rb"v\b[^>]*?(?:/>|>([^<]*)</" + _P + rb"v>))?")


def _widest_row(zf: zipfile.ZipFile, raw: bytes, part: str) -> int:
    """The most cells in one row (for sheets whose cells carry no reference)."""
    widest = 0
    row_split = re.compile(rb"<" + _P + rb"row[\s/>]")
    for segment in _segments(zf, raw, part):
        for piece in row_split.split(segment):
            widest = max(widest, len(_CELL_START.findall(piece)))
    return widest


# --- OpenDocument ---------------------------------------------------------------------------------

_ODS_TAG = re.compile(rb"<(/?)(table:table|table:table-row|table:table-cell|table:covered-table-cell|text:)"
                      rb"(?=[\s/>]|(?<=:)[\w-])([^>]*?)(/?)>")
_ODS_REPEAT = re.compile(rb"number-(rows|columns)-repeated\s*=\s*[\"'](\d{1,12})[\"']")


def is_ods(zf: zipfile.ZipFile, raw: bytes) -> bool:
    names = set(zf.namelist())
    return "content.xml" in names and "mimetype" in names and b"opendocument.spreadsheet" in _read(zf, raw, "mimetype")


def scan_ods(zf: zipfile.ZipFile, raw: bytes) -> None:
    """Check an OpenDocument spreadsheet's tables against the limits (raises ``Refused``).

    ODS repeats a cell or row with ``number-columns-repeated`` / ``number-rows-repeated``: 1.5 KB can
    declare 25 million cells with a value, which python-calamine expands. Repeats of empty cells (how
    LibreOffice writes the rest of a sheet) do not count; repeats of cells with a value do, and so does
    the text they repeat. One pass over the tags, in order (no pattern spans elements).
    """
    content = _read(zf, raw, "content.xml")
    name = "?"
    row = last_row = max_col = text = 0
    reps = width = last_valued = 0
    cell: list[Any] | None = None  # [columns repeated, valued, start of its content]
    for m in _ODS_TAG.finditer(content):
        closing, tag, attrs_text, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag == b"table:table":
            if not closing:
                name = _attrs(attrs_text).get("table:name", "?")
                row = last_row = max_col = text = 0
        elif tag == b"table:table-row":
            if not closing:
                reps, width, last_valued = _repeat(attrs_text, b"rows"), 0, 0
            if closing or empty:
                if last_valued:
                    max_col = max(max_col, last_valued)
                    last_row = row + reps
                row += reps
                if max_col > MAX_COLUMNS or last_row > MAX_ROWS or last_row * max(max_col, 1) > MAX_CELLS:
                    _refuse_extent(f"blad {name!r} beslaat", last_row, max_col)
                if text > MAX_TEXT:
                    TextBudget().spend(text, name)
        elif tag == b"text:":
            if cell is not None:
                cell[1] = True
        elif not closing:  # a cell
            repeat = _repeat(attrs_text, b"columns")
            width += repeat
            valued = b"value-type" in attrs_text
            if empty:
                if valued:
                    last_valued = width
                cell = None
            else:
                cell = [repeat, valued, m.end()]
        elif cell is not None:  # a cell's end
            if cell[1]:
                last_valued = width
                text += cell[0] * reps * (m.start() - cell[2])
            cell = None


def _repeat(attrs_text: bytes, what: bytes) -> int:
    for kind, digits in _ODS_REPEAT.findall(attrs_text):
        if kind == what:
            return max(1, min(int(digits), 10**9))
    return 1


# --- cells formatted as a percentage ---------------------------------------------------------------
# A workbook stores 85 % as the number 0.85 with a percentage format; python-calamine gives the number
# and not the format, so a count column with a cell shown as ``100%`` would count 1. The cells whose style
# is a percentage format are found here and read as the text Excel shows (``85%``): a count cell that
# holds a percentage is then a ``fout`` (SPEC §6), like the text ``85%`` in a CSV file.

_PERCENT_BUILTIN = frozenset({9, 10})
"""Excel's built-in percentage formats: ``0%`` and ``0.00%``."""
_NUMFMT_TAG = re.compile(rb"<" + _P + rb"numFmt\s([^>]*)>")
_CELLXFS = re.compile(rb"<" + _P + rb"cellXfs\b[^>]*>(.*?)</" + _P + rb"cellXfs>", re.DOTALL)
_XF_TAG = re.compile(rb"<" + _P + rb"xf\b([^>]*)>")
_STYLED_VALUE_CELL = re.compile(rb"<" + _P + rb"c\s([^>]*?)>\s*(?:<" + _P + rb"f\b[^>]*?(?:/>|>[^<]*</" + _P
                                + rb"f>)\s*)?<" + _P + rb"v\b[^>]*>([^<]*)<")
_QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.')


def _is_percent_format(code: str) -> bool:
    """Whether a number format code shows a percentage: a ``%`` outside quoted text and escapes."""
    return "%" in _QUOTED_OR_ESCAPED.sub("", code)


def percent_styles(zf: zipfile.ZipFile, raw: bytes, part: str | None) -> frozenset[int]:
    """The indices of the cell styles (``cellXfs``) whose number format is a percentage."""
    if part is None:
        return frozenset()
    text = _read(zf, raw, part)
    if b"numFmtId" not in text:
        return frozenset()
    percent_ids = set(_PERCENT_BUILTIN)
    for tag in _NUMFMT_TAG.findall(text):
        a = _attrs(tag)
        if a.get("numFmtId", "").isdigit() and _is_percent_format(a.get("formatCode", "")):
            percent_ids.add(int(a["numFmtId"]))
    return _cell_styles_with(text, "numFmtId", percent_ids)


def _cell_styles_with(text: bytes, attribute: str, ids: set[int]) -> frozenset[int]:
    """The indices of the cell styles (``cellXfs`` of the styles part ``text``) whose ``attribute``
    (``numFmtId``, ``fontId``) is one of ``ids``."""
    m = _CELLXFS.search(text)
    if m is None:
        return frozenset()
    found = set()
    for index, tag in enumerate(_XF_TAG.findall(m.group(1))):
        value = _attrs(tag).get(attribute, "0")
        if value.isdigit() and int(value) in ids:
            found.add(index)
    return frozenset(found)


def percent_cells(zf: zipfile.ZipFile, raw: bytes, part: str, styles: frozenset[int]) -> dict[tuple[int, int], str]:
    """The numeric cells of a worksheet whose style is one of ``styles`` (``percent_styles``): ``(row 1-based,
    column 0-based)`` → the percentage as Excel shows it (``0.85`` → ``85%``)."""
    from decimal import Decimal, InvalidOperation

    out: dict[tuple[int, int], str] = {}
    if not styles:
        return out
    marks = [b's="%d"' % i for i in styles] + [b"s='%d'" % i for i in styles]
    for segment in _segments(zf, raw, part):
        if not any(mark in segment for mark in marks):
            continue
        for m in _STYLED_VALUE_CELL.finditer(segment):
            a = _attrs(m.group(1))
            style = a.get("s", "")
            if not style.isdigit() or int(style) not in styles or a.get("t", "n") != "n":
                continue
            where = _ref(a.get("r", ""))
            if where is None:
                continue
            try:
                shown = format((Decimal(_text(m.group(2))) * 100).normalize(), "f")
            except (InvalidOperation, ValueError):
                continue
            out[(where[0], where[1] - 1)] = f"{shown}%"
    return out


# --- cells whose font is struck through ---------------------------------------------------------------
# An Excel user strikes out a withdrawn row (a location that closed, a row of an old version) instead of
# deleting it. python-calamine gives the values, not the font, so the row would count. The styles whose font
# has ``<strike/>`` are found here, and the cells that use them; the table refuses a data row among them.

_FONTS = re.compile(rb"<" + _P + rb"fonts\b[^>]*>(.*?)</" + _P + rb"fonts>", re.DOTALL)
_FONT = re.compile(rb"<" + _P + rb"font\b[^>]*?(?:/>|>(.*?)</" + _P + rb"font>)", re.DOTALL)
_STRIKE = re.compile(rb"<" + _P + rb"strike\b([^>]*)>")
_CELL_TAG = re.compile(rb"<" + _P + rb"c\s([^>]*?)/?>")


def strike_styles(zf: zipfile.ZipFile, raw: bytes, part: str | None) -> frozenset[int]:
    """The indices of the cell styles (``cellXfs``) whose font is struck through (``<strike/>``, not
    ``<strike val="0"/>``)."""
    if part is None:
        return frozenset()
    text = _read(zf, raw, part)
    if b"strike" not in text:
        return frozenset()
    fonts = _FONTS.search(text)
    if fonts is None:
        return frozenset()
    struck = set()
    for index, m in enumerate(_FONT.finditer(fonts.group(1))):
        for tag in _STRIKE.findall(m.group(1) or b""):
            if _attrs(tag).get("val", "1").strip().lower() not in ("0", "false", "off"):
                struck.add(index)
    if not struck:
        return frozenset()
    return _cell_styles_with(text, "fontId", struck)


_SI_BODY = re.compile(rb"<" + _P + rb"si\b[^>]*?(?:/>|>(.*?)</" + _P + rb"si>)", re.DOTALL)
_RUN = re.compile(rb"<" + _P + rb"r\b[^>]*>(.*?)</" + _P + rb"r>", re.DOTALL)
_RUN_TEXT = re.compile(rb"<" + _P + rb"t\b[^>]*>([^<]*)</" + _P + rb"t>")
_SHARED_CELL = re.compile(rb"<" + _P + rb"c\s([^>]*?\bt\s*=\s*[\"']s[\"'][^>]*?)>\s*<" + _P
                          + rb"v\b[^>]*>\s*(\d{1,12})\s*<")


def struck_strings(zf: zipfile.ZipFile, raw: bytes, part: str | None) -> frozenset[int]:
    """The indices of the shared strings whose every run with text is struck through: a text struck in the cell's
    editor (rich text) rather than by the cell's font, which strikes the whole cell all the same. A string with
    one word struck is not."""
    if part is None:
        return frozenset()
    text = _read(zf, raw, part)
    if b"strike" not in text:
        return frozenset()
    return frozenset(index for index, m in enumerate(_SI_BODY.finditer(text)) if _all_runs_struck(m.group(1) or b""))


def _all_runs_struck(body: bytes) -> bool:
    """Whether the rich text ``body`` (of an ``<si>`` or an inline ``<is>``) has runs and every run with text is
    struck through (``<strike/>``, not ``val="0"``)."""
    if b"strike" not in body:
        return False
    runs = [run for run in _RUN.findall(body) if _text(b"".join(_RUN_TEXT.findall(run)))]
    return bool(runs) and all(any(_attrs(tag).get("val", "1").strip().lower() not in ("0", "false", "off")
                                  for tag in _STRIKE.findall(run)) for run in runs)


_INLINE_CELL = re.compile(rb"<" + _P + rb"c\s([^>]*?)>\s*<" + _P + rb"is\b[^>]*>(.*?)</" + _P + rb"is>", re.DOTALL)


def string_cells(zf: zipfile.ZipFile, raw: bytes, part: str, strings: frozenset[int]) -> frozenset[tuple[int, int]]:
    """``(row 1-based, column 0-based)`` of the cells of a worksheet that show one of the shared ``strings``, or
    an inline text (``t="inlineStr"``, as openpyxl and other libraries write) whose every run is struck."""
    out = set()
    for segment in _segments(zf, raw, part):
        if strings and (b't="s"' in segment or b"t='s'" in segment):
            for m in _SHARED_CELL.finditer(segment):
                if int(m.group(2)) in strings:
                    where = _ref(_attrs(m.group(1)).get("r", ""))
                    if where is not None:
                        out.add((where[0], where[1] - 1))
        if b"strike" in segment:
            for m in _INLINE_CELL.finditer(segment):
                if _all_runs_struck(m.group(2)):
                    where = _ref(_attrs(m.group(1)).get("r", ""))
                    if where is not None:
                        out.add((where[0], where[1] - 1))
    return frozenset(out)


def styled_cells(zf: zipfile.ZipFile, raw: bytes, part: str, styles: frozenset[int]) -> frozenset[tuple[int, int]]:
    """``(row 1-based, column 0-based)`` of the cells of a worksheet whose style is one of ``styles``, whatever
    they hold (an empty styled cell included: the table looks only at the cells it reads)."""
    if not styles:
        return frozenset()
    marks = [b's="%d"' % i for i in styles] + [b"s='%d'" % i for i in styles]
    out = set()
    for segment in _segments(zf, raw, part):
        if not any(mark in segment for mark in marks):
            continue
        for m in _CELL_TAG.finditer(segment):
            a = _attrs(m.group(1))
            style = a.get("s", "")
            if style.isdigit() and int(style) in styles:
                where = _ref(a.get("r", ""))
                if where is not None:
                    out.add((where[0], where[1] - 1))
    return frozenset(out)


# --- ODS cells whose text is struck through ---------------------------------------------------------
# LibreOffice strikes a cell's text through with its cell style's ``style:text-line-through-style`` (an
# automatic style in content.xml, or a named one in styles.xml, inherited through ``parent-style-name``).
# python-calamine gives the values only, so a withdrawn row would count, as in XLSX (``strike_styles``).

_ODS_STYLE_TAG = re.compile(rb"<(/?)(style:style|style:text-properties)(?=[\s/>])([^>]*?)(/?)>")
_ODS_STRIKE_TAG = re.compile(rb"<(/?)(table:table|table:table-column|table:table-row|table:table-cell"
                             rb"|table:covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")


def _ods_struck_styles(texts: Sequence[bytes]) -> set[str]:
    """The names of the cell styles whose text is struck through, their own or a parent's line-through
    (``none`` in a child style lifts its parent's)."""
    own: dict[str, bool] = {}  # style -> struck (True) or explicitly not (False); absent: inherits
    parent: dict[str, str] = {}
    for text in texts:
        current: str | None = None
        for m in _ODS_STYLE_TAG.finditer(text):
            closing, tag, attrs_text, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            if tag == b"style:style":
                if closing:
                    current = None
                    continue
                a = _attrs(attrs_text)
                current = a.get("style:name") if not empty else None
                if current is not None and a.get("style:parent-style-name"):
                    parent[current] = a["style:parent-style-name"]
                if empty and a.get("style:name") and a.get("style:parent-style-name"):
                    parent[a["style:name"]] = a["style:parent-style-name"]
            elif current is not None and not closing and b"line-through" in attrs_text:
                a = _attrs(attrs_text)
                line = a.get("style:text-line-through-style")
                kind = a.get("style:text-line-through-type")
                if line is not None or kind is not None:
                    own[current] = (line or "solid") != "none" and (kind or "single") != "none"
    struck = set()
    for name in set(own) | set(parent):
        seen, style = set(), name
        while style is not None and style not in own and style not in seen:
            seen.add(style)
            style = parent.get(style)
        if style is not None and own.get(style):
            struck.add(name)
    return struck


def ods_struck_runs(zf: zipfile.ZipFile, raw: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per table name: ``(first row 1-based, rows, first column 0-based, columns)`` of each run of cells whose
    text is struck through (the cell's style, else its row's or its column's default cell style)."""
    content = _read(zf, raw, "content.xml")
    if b"line-through" not in content and (
            "styles.xml" not in zf.namelist() or b"line-through" not in _read(zf, raw, "styles.xml")):
        return {}
    texts = [content]
    if "styles.xml" in zf.namelist():
        texts.insert(0, _read(zf, raw, "styles.xml"))
    struck_styles = _ods_struck_styles(texts)
    if not struck_styles:
        return {}
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    runs: list[tuple[int, int, int, int]] | None = None
    columns: list[tuple[int, int, str | None]] = []  # (first column, columns, default cell style)
    row, row_reps, row_style, col, depth, next_column = 1, 1, None, 0, 0, 0
    for m in _ODS_STRIKE_TAG.finditer(content):
        closing, tag, attrs_text, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag == b"table:table":
            if closing:
                depth -= 1
            elif not empty:
                depth += 1
                if depth == 1:
                    runs = out.setdefault(_attrs(attrs_text).get("table:name", "?"), [])
                    row, columns, next_column = 1, [], 0
            continue
        if depth != 1 or runs is None or closing:
            if tag == b"table:table-row" and closing and depth == 1:
                row += row_reps
            continue
        if tag == b"table:table-column":
            reps = _repeat(attrs_text, b"columns")
            columns.append((next_column, reps, _attrs(attrs_text).get("table:default-cell-style-name")))
            next_column += reps
            continue
        if tag == b"table:table-row":
            row_reps, col = _repeat(attrs_text, b"rows"), 0
            row_style = _attrs(attrs_text).get("table:default-cell-style-name")
            if empty:
                row += row_reps
            continue
        reps = _repeat(attrs_text, b"columns")
        style = _attrs(attrs_text).get("table:style-name") if b"style-name" in attrs_text else None
        if style is not None:
            if style in struck_styles:
                runs.append((row, row_reps, col, reps))
        elif row_style is not None:
            if row_style in struck_styles:
                runs.append((row, row_reps, col, reps))
        else:
            for first, count, default in columns:
                lo, hi = max(first, col), min(first + count, col + reps)
                if lo < hi and default in struck_styles:
                    runs.append((row, row_reps, lo, hi - lo))
        col += reps
    return {name: found for name, found in out.items() if found}


# --- ODS cells that are percentages ---------------------------------------------------------------
# An ODS file says what python-calamine drops: a percentage cell is ``office:value-type="percentage"``
# (LibreOffice's own export), or a float whose cell style's data style is a ``number:percentage-style``
# (other writers). Such a cell reads as the spreadsheet shows it, as in XLSX.

_ODS_PERCENT_TAG = re.compile(rb"<(/?)(table:table|table:table-row|table:table-cell|table:covered-table-cell"
                              rb"|number:percentage-style|style:style)(?=[\s/>])([^>]*?)(/?)>")


def ods_percent_runs(zf: zipfile.ZipFile, raw: bytes) -> dict[str, list[tuple[int, int, int, int, str]]]:
    """Per table name: ``(first row 1-based, rows, first column 0-based, columns, shown)`` of each run of
    cells (a cell with its row and column repeats) that holds a percentage; ``shown`` as ``85%``.

    Runs, not cells: a repeated cell may span millions of positions (``scan_ods`` bounds them); the
    caller clips each run to the grid python-calamine returned.
    """
    from decimal import Decimal, InvalidOperation

    content = _read(zf, raw, "content.xml")
    if b"percentage" not in content:
        return {}
    texts = [content]
    if "styles.xml" in zf.namelist():
        texts.insert(0, _read(zf, raw, "styles.xml"))
    percent_data_styles: set[str] = set()
    cell_styles: dict[str, str] = {}  # cell style -> its data style
    for text in texts:
        for m in _ODS_PERCENT_TAG.finditer(text):
            if m.group(1):
                continue
            if m.group(2) == b"number:percentage-style":
                name = _attrs(m.group(3)).get("style:name")
                if name:
                    percent_data_styles.add(name)
            elif m.group(2) == b"style:style":
                a = _attrs(m.group(3))
                if "style:data-style-name" in a and "style:name" in a:
                    cell_styles[a["style:name"]] = a["style:data-style-name"]
    percent_cell_styles = {name for name, data in cell_styles.items() if data in percent_data_styles}
    out: dict[str, list[tuple[int, int, int, int, str]]] = {}
    runs: list[tuple[int, int, int, int, str]] | None = None
    row = 1
    row_reps = 1
    col = 0
    depth = 0  # tables inside a cell (a subtable) are not the sheet's rows
    for m in _ODS_PERCENT_TAG.finditer(content):
        closing, tag, attrs_text, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag == b"table:table":
            if closing:
                depth -= 1
            elif not empty:
                depth += 1
                if depth == 1:
                    runs = out.setdefault(_attrs(attrs_text).get("table:name", "?"), [])
                    row = 1
            continue
        if depth != 1 or runs is None:
            continue
        if tag == b"table:table-row":
            if not closing:
                row_reps = _repeat(attrs_text, b"rows")
                col = 0
            if closing or empty:
                row += row_reps
            continue
        if tag not in (b"table:table-cell", b"table:covered-table-cell") or closing:
            continue
        reps = _repeat(attrs_text, b"columns")
        if b"office:value" in attrs_text:
            a = _attrs(attrs_text)
            kind = a.get("office:value-type", "")
            if kind == "percentage" or (kind == "float" and a.get("table:style-name") in percent_cell_styles):
                try:
                    shown = format((Decimal(a.get("office:value", "")) * 100).normalize(), "f")
                except (InvalidOperation, ValueError):
                    shown = None
                if shown is not None:
                    runs.append((row, row_reps, col, reps, f"{shown}%"))
        col += reps
    return out


# --- ODS cells python-calamine shows otherwise -----------------------------------------------------
# python-calamine reads an ODS cell's value attribute: an error cell (``#DIV/0!``, ``Err:502``) stores an
# empty string there and arrives as an empty cell, and a cell merged over several rows
# (``number-rows-spanned``) is not reported as merged (its rows below arrive empty). Both are found here,
# as XLSX's error cells are by ``scan_sheet`` and its merges by python-calamine.

_ODS_CELL_TAG = re.compile(rb"<(/?)(table:table|table:table-row|table:table-cell|table:covered-table-cell)"
                           rb"(?=[\s/>])([^>]*?)(/?)>")
_ODS_SPAN = re.compile(rb"number-(rows|columns)-spanned\s*=\s*[\"'](\d{1,9})[\"']")
_ODS_CELL_END = re.compile(rb"</table:table-cell\s*>")
_ODS_MARKUP = re.compile(rb"<office:annotation\b.*?</office:annotation\s*>|<[^>]*>", re.DOTALL)


@attrs.frozen
class OdsMarks:
    """What one ODS table holds that python-calamine does not show (``ods_marks``)."""

    bad: tuple[tuple[int, int, int, int, str], ...] = ()
    """``(first row 1-based, rows, first column 0-based, columns, what)`` of each run of error cells or
    formulas without a result; ``what`` as ``scan_sheet`` words it (``foutwaarde #DIV/0!``)."""
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    """The cells merged over several rows, as python-calamine gives an XLSX's: ``((row, column), (last row,
    last column))``, 0-based and inclusive."""


def ods_marks(zf: zipfile.ZipFile, raw: bytes) -> dict[str, OdsMarks]:
    """Per table name, its error cells, formulas without a result and merges over rows (``OdsMarks``)."""
    content = _read(zf, raw, "content.xml")
    if b"error" not in content and b"table:formula" not in content and b"rows-spanned" not in content:
        return {}
    out: dict[str, OdsMarks] = {}
    bad: list[tuple[int, int, int, int, str]] = []
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    name = "?"
    row, row_reps, col, depth = 1, 1, 0, 0
    for m in _ODS_CELL_TAG.finditer(content):
        closing, tag, attrs_text, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag == b"table:table":
            if closing:
                depth -= 1
                if depth == 0 and (bad or merged):
                    out[name] = OdsMarks(tuple(bad), tuple(merged))
            elif not empty:
                depth += 1
                if depth == 1:
                    name, bad, merged = _attrs(attrs_text).get("table:name", "?"), [], []
                    row = 1
            continue
        if depth != 1:
            continue  # a table inside a cell (a subtable) holds none of the sheet's rows
        if tag == b"table:table-row":
            if not closing:
                row_reps, col = _repeat(attrs_text, b"rows"), 0
            if closing or empty:
                row += row_reps
            continue
        if closing:
            continue
        reps = _repeat(attrs_text, b"columns")
        if tag == b"table:table-cell":
            if b"spanned" in attrs_text:
                spans = {kind: int(digits) for kind, digits in _ODS_SPAN.findall(attrs_text)}
                down, across = spans.get(b"rows", 1), spans.get(b"columns", 1)
                if down > 1:
                    merged.append(((row - 1, col), (row - 2 + down, col + max(across, 1) - 1)))
            what = _ods_bad(attrs_text, content, m.end(), empty)
            if what is not None:
                bad.append((row, row_reps, col, reps, what))
        col += reps
    return out


def _ods_bad(attrs_text: bytes, content: bytes, start: int, empty: bytes) -> str | None:
    if b"error" not in attrs_text and b"table:formula" not in attrs_text:
        return None
    a = _attrs(attrs_text)
    if a.get("calcext:value-type") != "error" and ("table:formula" not in a or "office:value-type" in a):
        return None
    shown = ""
    if not empty:
        end = _ODS_CELL_END.search(content, start)
        body = content[start:end.start() if end else start]
        shown = _unescape(_ODS_MARKUP.sub(b"", body).decode("utf-8", "replace")).strip()
    if a.get("calcext:value-type") == "error":
        return f"foutwaarde {shown[:40] or '#FOUT'}"
    formula = a["table:formula"].split(":", 1)[-1] if a["table:formula"].startswith("of:") else a["table:formula"]
    return f"formule {formula[:60]} zonder opgeslagen uitkomst"
