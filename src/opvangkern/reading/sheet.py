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
import re
from itertools import chain, repeat
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from opvangkern.model import Melding, Severity


class _LazyXlsxscan:
    """``opvangkern.reading.xlsxscan``, imported when a workbook is first read: a CSV needs only its two
    limits below, not ``zipfile`` and its 24 patterns (~10-15 ms of the national command; issue 16).
    The limits are the module's own (``tests/test_startup.py`` checks that they stay equal)."""

    MAX_COLUMNS = 1_000
    MAX_CELLS = 50_000_000

    def __getattr__(self, name: str) -> Any:
        from opvangkern.reading import xlsxscan as module

        globals()["xlsxscan"] = module  # from now on the module itself
        return getattr(module, name)


xlsxscan: Any = _LazyXlsxscan()

__all__ = ["Grid", "read_grids", "decode_text", "sniff_delimiters", "DELIMITERS"]

DELIMITERS = (";", ",", "\t", "|")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
"""The stream an XLSX saved with a password is packed in (an OLE file then, not a zip)."""


def _archive(zf: Any) -> tuple[str, str] | None:
    """``(kind, melding)`` for a zip that is no workbook: an archive of files (a portal's download as zip) or
    an Apple Numbers document; ``None`` for anything that may be a workbook (python-calamine decides)."""
    names = [n for n in zf.namelist() if not n.endswith("/")]
    if any(n in ("[Content_Types].xml", "mimetype", "content.xml") or n.startswith(("xl/", "_rels/")) for n in names):
        return None  # an OOXML or OpenDocument package, perhaps damaged: python-calamine says so
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        return ("numbers", "het bestand is een Numbers-document van Apple, geen CSV- of Excelbestand; "
                "exporteer het in Numbers als Excel (.xlsx) of CSV en noem dat bestand in opvangkern.toml")
    shown = ", ".join(names[:5]) + (f" en {len(names) - 5} andere" if len(names) > 5 else "")
    return ("zip", f"het bestand is een zip-archief met {len(names)} bestand(en) ({shown[:200]}), geen "
            "werkboek; pak het uit en noem het bestand dat gelezen moet worden in opvangkern.toml")


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
    bad_cells: dict[tuple[int, int], str] = attrs.field(factory=dict, eq=False)
    """``(row number, column index)`` → what a workbook cell holds that cannot be read as a value: an
    error value (``foutwaarde #N/A``) or a formula without a cached result. The grid shows it empty."""
    bad_rows: dict[int, tuple[str, str, str]] = attrs.field(factory=dict, eq=False)
    """Row number → ``(code, melding, waarde)`` of a CSV line that could not be read (an unbalanced
    quote, an oversized field, a NUL byte): its cells are the line split on the separator, unquoted,
    and it must not be read as data."""
    filled: frozenset[tuple[int, int]] = attrs.field(default=frozenset(), eq=False)
    """``(row number, column index)`` of cells that show the value of a cell merged over several rows
    from a row above: a number there counts once, in the merge's first row."""
    formats_hidden: bool = attrs.field(default=False, eq=False)
    """A workbook whose number formats the reader cannot see (XLS, XLSB): a cell shown as ``100%`` arrives
    as the number 1 (``SheetTable.check_totals`` refuses a count column that looks like percentages)."""
    longest: int | None = attrs.field(default=None, eq=False)
    """The length of a CSV grid's longest line when it is known (no cell is longer); ``None``: not known."""
    sheets: tuple[str, ...] = attrs.field(default=(), eq=False)
    """A workbook's visible sheets, in its order (the one read among them): a reader that must know what else
    the workbook holds (a quota workbook with a sheet per task) asks here instead of opening it again."""
    manual_formulas: frozenset[tuple[int, int]] = attrs.field(default=frozenset(), eq=False)
    """``(row number, column index)`` of the formulas of a workbook set to manual calculation (Excel calculates it
    before saving unless that is switched off): their results are read, with a ``waarschuwing`` per column
    (``SheetTable``). A workbook saved in manual calculation *without* calculating has them in ``bad_cells``."""
    hidden_sheets: tuple[str, ...] = attrs.field(default=(), eq=False)
    """A workbook's hidden sheets, not read unless ``blad`` names them: a melding that finds no table names them,
    since the table may be there (an export whose visible sheet is only a note)."""
    struck: frozenset[tuple[int, int]] = attrs.field(default=frozenset(), eq=False)
    """``(row number, column index)`` of an XLSX sheet's cells whose font is struck through (``xlsxscan.
    strike_styles``): a withdrawn row left in the sheet. A data row with such a cell in a column that is read is a
    ``fout`` (``SheetTable``), never counted."""

    def melding(self, ernst: Severity | str, melding: str, rij: int | None = None,
                kolom: str | None = None, waarde: str | None = None, code: str | None = None) -> Melding:
        """A melding located in this grid."""
        return Melding(ernst, melding, bestand=self.bestand, blad=self.blad, rij=rij, kolom=kolom, waarde=waarde,
                       code=code)


def _fout(bestand: str, blad: str | None, text: str, code: str | None = None) -> Melding:
    return Melding(Severity.FOUT, text, bestand=bestand, blad=blad, code=code)


def read_grids(data: Path | str | IO[bytes] | bytes, bestand: str, blad: str | None = None,
               ) -> tuple[list[Grid], list[Melding]]:
    """The candidate grids of a file and the meldingen about reading it (never raises on bad data)."""
    grids, meldingen = candidate_grids(data, bestand, blad)
    return list(grids), meldingen


def candidate_grids(data: Path | str | IO[bytes] | bytes, bestand: str, blad: str | None = None,
                    ) -> tuple[Sequence[Grid], list[Melding]]:
    """``read_grids``, but a CSV file's grids are split only when asked for (the first one usually
    holds the header: the others are never built). The sequence behaves as ``read_grids``'s list.
    A pandas ``DataFrame`` is one grid (``opvangkern.reading.frame``)."""
    from opvangkern.reading.frame import dataframe_grid, is_dataframe

    if is_dataframe(data):
        return [dataframe_grid(data, bestand)], []
    try:
        raw = _read_bytes(data)
    except OSError as exc:
        return [], [_fout(bestand, blad, f"bestand kan niet worden gelezen: {exc.strerror or exc}", "bestand_onleesbaar")]
    except _TooLarge:
        return [], [_fout(bestand, blad, f"het bestand is groter dan {MAX_FILE_BYTES // 1_000_000} MB; dat is geen "
                          "gewone export en wordt niet gelezen", "bestand_te_groot")]
    if not raw.strip():
        return [], [_fout(bestand, blad, "het bestand is leeg", "bestand_leeg")]
    if raw.startswith(_ZIP) or raw.startswith(_OLE):
        return _workbook_grids(raw, bestand, blad)
    other = _other_kind(raw)
    if other is not None:
        return [], [_fout(bestand, blad, f"het bestand is {other}, geen CSV- of Excelbestand; vraag de bron om een "
                          "CSV- of Excelbestand, of maak het er zelf een van, en noem dat bestand in opvangkern.toml",
                          code="ander_bestandstype")]
    text, encoding, problems = decode_text(raw)
    if text is None:
        return [], [_fout(bestand, blad, problems or "geen CSV- of Excelbestand", "geen_tabelbestand")]
    markup = _markup_kind(text)
    if markup == "html":
        return [], [_fout(bestand, blad, "het bestand is een webpagina (HTML), geen CSV- of Excelbestand: zo geeft "
                          "een webportaal een 'Excel'-download vaak. Open het in Excel of LibreOffice, sla het op als "
                          "Excel-werkmap (.xlsx) of CSV en noem dat bestand in opvangkern.toml", code="html_bestand")]
    if markup is not None:
        return [], [_fout(bestand, blad, f"het bestand is een {markup}, geen CSV- of Excelbestand dat gelezen "
                          "kan worden. Open het in Excel of LibreOffice, sla het op als Excel-werkmap (.xlsx) of CSV "
                          "en noem dat bestand in opvangkern.toml", code="xml_werkboek")]
    text = _tool_quirks(text)
    # (a text holds at most as many separators as characters: only a longer one is counted, four scans)
    if len(text) > xlsxscan.MAX_CELLS and max(text.count(d) for d in DELIMITERS) > xlsxscan.MAX_CELLS:
        return [], [_fout(bestand, blad, f"het bestand heeft meer dan {xlsxscan.MAX_CELLS:,} velden".replace(",", ".")
                          + "; dat is geen gewone export en wordt niet gelezen", "bestand_te_groot")]
    grids = _CsvGrids(text, bestand, encoding)
    meldingen = []
    if blad is not None:
        meldingen.append(Melding(Severity.WAARSCHUWING, f"blad {blad!r} genoemd, maar het bestand is CSV (geen bladen)",
                                 bestand=bestand, code="blad_bij_csv"))
    return grids, meldingen


MAX_FILE_BYTES = 200_000_000
"""Bytes a file may hold ([How files are read](sources/reading.md): the same 200 MB a workbook may unpack to); a larger one is not read."""


class _TooLarge(Exception):
    pass


def _read_bytes(data: Path | str | IO[bytes] | bytes) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        if len(data) > MAX_FILE_BYTES:
            raise _TooLarge
        return bytes(data)
    if isinstance(data, (str, Path)):
        path = Path(data)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _TooLarge
        with path.open("rb") as f:
            # the size it has, and one byte more: ``read(MAX_FILE_BYTES + 1)`` first allocates 200 MB and gives
            # most of it back (~35-150 µs a file, ninth session). A file that grows meanwhile, or a device that
            # states no size, is read on up to the same limit.
            chunk: Any = f.read(size + 1)
            if len(chunk) > size:
                chunk += f.read(MAX_FILE_BYTES + 1 - len(chunk))
    else:
        if hasattr(data, "seek"):
            try:
                data.seek(0)
            except (OSError, ValueError):
                pass
        chunk = data.read(MAX_FILE_BYTES + 1)
    if isinstance(chunk, str):
        chunk = chunk.encode("utf-8")
    if len(chunk) > MAX_FILE_BYTES:
        raise _TooLarge
    return bytes(chunk)


# --- CSV ---------------------------------------------------------------------------------------

def decode_text(raw: bytes) -> tuple[str | None, str | None, str | None]:
    """``(text, encoding, problem)``: UTF-8 (with or without BOM), UTF-16 with BOM (or without one, when every
    other byte of the start is NUL: ``_utf16_without_bom``), else cp1252, else latin-1. Binary content (other
    NUL bytes) gives ``(None, None, reason)``. An end-of-file mark (``Ctrl-Z``, as DOS-era tools end a text)
    is no line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _without_eof_mark(raw.decode("utf-16")), "utf-16", None
        except UnicodeDecodeError:
            return None, None, "bestand begint als UTF-16 maar is onleesbaar"
    if b"\x00" in raw[:4096]:
        encoding = _utf16_without_bom(raw)
        if encoding is not None:
            try:
                return _without_eof_mark(raw.decode(encoding)), encoding, None
            except UnicodeDecodeError:
                pass
        return None, None, "geen tekstbestand (CSV) en geen Excelbestand (XLSX)"
    try:
        return _without_eof_mark(raw.decode("utf-8-sig")), "utf-8-sig", None
    except UnicodeDecodeError:
        pass
    encoding = _single_byte_encoding(raw)
    return _without_eof_mark(raw.decode(encoding)), encoding, None


_DUTCH_LOWER_ACCENTS = frozenset("áàâäéèêëíìîïóòôöúùûüçñ")
"""The accented small letters of Dutch and Frisian names and words (``Súdwest-Fryslân``, ``Noardeast-Fryslân``,
``Coëfficiënt``, ``geëxporteerd``): what a single-byte text's bytes above 127 mostly are, read in the encoding it
was written in."""


_ASCII = bytes(range(128))
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_IN_WORD = re.compile(rb"(?<=[A-Za-z\x80-\xff])[\x80-\xff](?=[A-Za-z\x80-\xff])")
"""A byte above 127 between two letters (or such bytes): where an accented letter stands (``Fryslân``,
``coördinatie``, ``één``), and where cp1252's quotes, dashes and signs (``“zie”``, ``’s-Gravenhage``, ``– 5‰``),
which Mac Roman would read as accented letters, mostly do not."""


def _single_byte_encoding(raw: bytes) -> str:
    """``cp1252``, ``mac_roman`` or ``latin-1`` for a text that is not UTF-8. Excel for Mac's "CSV (Macintosh)"
    writes Mac Roman, where ``ë``/``é``/``ï``/``â``/``ú`` are the bytes that cp1252 reads as ``‘``/``Ž``/``•``/``‰``/
    ``œ`` (``Sœdwest-Frysl‰n``); each encoding's small Dutch accented letters lie where the other has punctuation
    or capitals, so the one that reads more of the high bytes *inside words* (``_IN_WORD``) as such letters is
    the one it was written in (cp1252 on a tie: what Excel writes on Dutch Windows). latin-1 (which decodes any
    byte) when cp1252 cannot."""
    if not raw.translate(None, _ASCII):  # no byte above 127 (a C loop: a large file stays quick)
        return "cp1252"
    counts = Counter(m.group() for m in _IN_WORD.finditer(raw))
    if not counts:
        return "latin-1" if any(byte in raw for byte in _CP1252_UNDEFINED) else "cp1252"
    high = b"".join(sorted(counts))
    # the five bytes cp1252 leaves undefined, anywhere in the text (not only between letters): then not cp1252
    single = "latin-1" if any(byte in raw for byte in _CP1252_UNDEFINED) else "cp1252"

    def letters(encoding: str) -> int:
        return sum(counts[bytes((byte,))] for byte, ch in zip(high, high.decode(encoding))
                   if ch in _DUTCH_LOWER_ACCENTS)

    return "mac_roman" if letters("mac_roman") > letters(single) else single


def _other_kind(raw: bytes) -> str | None:
    """What a file that is neither text nor a workbook is, when its first bytes say it (a PDF, a gzip file,
    JSON): read as text it would only fail to find its header."""
    start = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"%PDF-"):
        return "een PDF"
    if start.startswith(b"\x1f\x8b"):
        return "een met gzip ingepakt bestand (pak het uit)"
    if start[:1] in (b"[", b"{") and _JSON_START.match(start):
        return "JSON (een download uit een API)"
    return None


_JSON_START = re.compile(rb'[\[{]\s*(?:\{\s*)?"[^"\r\n]{0,200}"\s*:')  # [{"Gemeente": … or {"data": …


def _without_eof_mark(text: str) -> str:
    return text.rstrip("\x1a") if text.endswith("\x1a") else text


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for a text saved as UTF-16 without its BOM (some database and portal
    exports): in its first 4 KiB every other byte is NUL and the bytes between are not, as the Latin letters,
    digits and separators of a table are written. Anything else with NUL bytes is binary."""
    head = raw[:4096 - len(raw[:4096]) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html|head|body|table|meta|style|!--)[\s>/]", re.IGNORECASE)
_XML_START = re.compile(r"\s*<\?xml\b", re.IGNORECASE)


def _markup_kind(text: str) -> str | None:
    """``html`` for a web page (a portal's "Excel" download is often an HTML table), the kind of an XML
    spreadsheet (Excel's XML Spreadsheet 2003, a flat OpenDocument file), else ``None``: a text file that starts
    with such markup is no CSV, and read as one it would only fail to find its header."""
    head = text[:4096].lstrip("\ufeff")
    if _HTML_START.match(head):
        return "html"
    if _XML_START.match(head):
        if "urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "XML-spreadsheet van Excel (XML Spreadsheet 2003)"
        if "urn:oasis:names:tc:opendocument" in head:
            return "plat OpenDocument-bestand in XML (.fods)"
        if "<html" in head.lower():
            return "html"
        return "XML-bestand"
    return None


# Excel and portal exports write two forms a CSV reader takes literally: ``="0106"`` (a text that must keep
# its leading zero, written as a formula) and ``"Assen", "5"`` (a space after the separator, then the quoted
# field). Both are the quoted field itself; every other field is left as it is.
_EXCEL_TEXT_FIELD = re.compile(r'(?<![^\r\n;,\t|])="([^"\r\n]*)"(?=[;,\t|\r\n]|$)')
_SPACED_QUOTED_FIELD = re.compile(r'(?<![^\r\n;,\t|]) +"([^"\r\n]*)" *(?=[;,\t|\r\n]|$)'
                                  r'|(?<![^\r\n;,\t|])"([^"\r\n]*)" +(?=[;,\t|\r\n]|$)')


def _tool_quirks(text: str) -> str:
    if '"' not in text:
        return text  # (issue 16: one search for the one character, not three for two-character patterns)
    if "=" in text and '="' in text:
        text = _EXCEL_TEXT_FIELD.sub(r'"\1"', text)
    if ' "' in text or '" ' in text:
        text = _SPACED_QUOTED_FIELD.sub(lambda m: f'"{m.group(1) if m.group(1) is not None else m.group(2)}"', text)
    return text


def sniff_delimiters(text: str) -> list[str]:
    """The separators to try, most plausible first (``;`` before ``,`` on a tie: Dutch exports)."""
    sample_lines = _first_lines(text, 60)
    sample = "\n".join(sample_lines)
    fast = _shortcuts() and "\x00" not in sample and max(map(len, sample_lines), default=0) < csv.field_size_limit()
    scores = []
    for rank, d in enumerate(DELIMITERS):
        if fast and d not in sample:
            counts = []  # no line of the sample splits in two on it (csv.reader gives one field per line, or fails)
        elif fast and '"' not in sample:
            counts = [ln.count(d) + 1 for ln in sample_lines if d in ln]  # csv.reader's fields, without quotes
        else:
            counts = _sniff_counts(sample, d)
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


def _sniff_counts(sample: str, d: str) -> list[int]:
    """How many fields each line of ``sample`` split on ``d`` has, for the lines with more than one (the
    careful count, with the ``csv`` module; ``sniff_delimiters`` counts without it when that is the same)."""
    try:
        rows = list(csv.reader(io.StringIO(sample), delimiter=d))
    except csv.Error:
        rows = []
    return [len(r) for r in rows if len(r) > 1]


def _shortcuts() -> bool:
    """Whether the CSV shortcuts of this module are on (``fastscan.careful()`` turns them off with the fast
    scan, so that the differential tests compare them with the code they stand in for)."""
    from opvangkern.reading import fastscan

    return fastscan.enabled()


def _first_lines(text: str, count: int) -> list[str]:
    """``[ln for ln in text.splitlines() if ln.strip()][:count]``, without splitting the whole text: a
    prefix is split when it holds more than ``count + 1`` such lines (the last of a prefix may be cut)."""
    size = 4_096  # any size gives the same lines (only a prefix's last line may be cut); 4 KB holds ~60 lines
    while size < len(text):
        lines = [ln for ln in text[:size].splitlines() if ln.strip()]
        if len(lines) > count + 1:
            return lines[:count]
        size *= 4
    return [ln for ln in text.splitlines() if ln.strip()][:count]


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


MAX_BAD_LINES = 100
"""Unreadable lines after which a CSV file is read no further (each is a ``fout``; the rest is one more)."""


def _csv_grid(text: str, bestand: str, delimiter: str, encoding: str | None) -> Grid:
    """The grid of a CSV text split on ``delimiter``: ``_csv_grid_careful``'s, made at once when no line
    of the text needs its care (issue 16; ``tests/test_fastscan.py`` compares the two)."""
    rows = _csv_rows_split(text, delimiter) if _shortcuts() else None
    if rows is not None:
        rows, longest = rows
        return Grid(bestand, None, rows, "csv", delimiter, encoding, bad_rows={}, longest=longest)
    rows = _csv_rows_at_once(text, delimiter)
    if rows is None:
        return _csv_grid_careful(text, bestand, delimiter, encoding)
    return Grid(bestand, None, rows, "csv", delimiter, encoding, bad_rows={})


def _csv_rows_at_once(text: str, delimiter: str) -> tuple[tuple[int, tuple[Any, ...]], ...] | None:
    """The rows of ``_csv_grid_careful`` when the text is regular: no NUL byte, every record parsed
    strictly, one record per physical line (so no quoted field runs over lines, and the row numbers are
    the line numbers), none wider than ``xlsxscan.MAX_COLUMNS``; ``None`` otherwise. The records are
    split by the ``csv`` module in one call, not one Python step per line."""
    if "\x00" in text:
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                                  skipinitialspace=False, strict=True))
    except csv.Error:
        return None
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    if text and text[-1] not in "\r\n":
        lines += 1
    if len(records) != lines:
        return None
    if records and max(map(len, records)) > xlsxscan.MAX_COLUMNS:
        return None
    numbers = range(1, len(records) + 1)
    if _edge_spaces(text, records):  # every cell stripped, as the careful grid does
        return tuple(zip(numbers, map(tuple, map(map, repeat(str.strip), records))))
    return tuple(zip(numbers, map(tuple, records)))  # no cell begins or ends with whitespace


def _csv_rows_split(text: str, delimiter: str) -> tuple[tuple[tuple[int, tuple[Any, ...]], ...], int] | None:
    """``_csv_rows_at_once``'s rows made without the ``csv`` module where it is not needed: every line
    split on the separator with ``str.split`` (what ``csv.reader`` does with a line that holds no quote),
    only the lines that hold a quote parsed by ``csv.reader``, each on its own; ``None`` (then
    ``_csv_rows_at_once`` decides) when that cannot be the same: a NUL byte, a line as long as the field
    limit, a quoted line the parser refuses or whose field runs on over the line's end, a record wider than
    ``xlsxscan.MAX_COLUMNS`` (issue 16; ``tests/test_csv_shortcuts.py`` compares the two). With the rows
    comes the length of the longest line (``Grid.longest``)."""
    if "\x00" in text:
        return None
    flat = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if flat.count('"') > flat.count("\n"):
        return None  # mostly quoted lines (a quote per cell): ``csv.reader`` over the whole text is quicker
    lines = flat.split("\n")  # the physical lines, as ``io.StringIO(text, newline="")`` gives them
    if lines[-1] == "":
        lines.pop()  # the text ends with a line break (or is empty)
    if not lines:
        return (), 0
    longest = max(map(len, lines))
    if longest >= csv.field_size_limit():
        return None
    records = list(map(str.split, lines, repeat(delimiter)))
    if '"' in flat:
        quoted = [i for i, line in enumerate(lines) if '"' in line]
        try:
            parsed = list(csv.reader([lines[i] for i in quoted], delimiter=delimiter, quotechar='"',
                                     skipinitialspace=False, strict=True))
        except csv.Error:
            return None
        if len(parsed) != len(quoted):
            return None  # a quoted field that runs on over the end of its line
        for i, record in zip(quoted, parsed):
            records[i] = record
    if "" in lines:
        for i in [i for i, line in enumerate(lines) if not line]:
            records[i] = []  # an empty line is a record without fields for ``csv.reader``
    if max(map(len, records)) > xlsxscan.MAX_COLUMNS:
        return None
    numbers = range(1, len(records) + 1)
    if _edge_spaces_around(flat, delimiter):  # every cell stripped, as the careful grid does
        return tuple(zip(numbers, map(tuple, map(map, repeat(str.strip), records)))), longest
    return tuple(zip(numbers, map(tuple, records))), longest  # no cell begins or ends with whitespace


def _edge_spaces_around(flat: str, delimiter: str) -> bool:
    """``_edge_spaces`` from the text alone (``flat``: its line breaks made ``\\n``): whether a cell may begin
    or end with whitespace. Exact when it says no: no whitespace but the space and ``\\n`` in the text, and
    no space beside a separator, a line break, a quote or the text's ends (where every cell begins and ends)."""
    for space in _OTHER_SPACES:
        if space in flat:
            return True
    if " " not in flat:
        return False
    edges = flat.replace(delimiter, "\n")  # one search for a space beside any of them, not four
    if '"' in edges:
        edges = edges.replace('"', "\n")
    return edges[0] == " " or edges[-1] == " " or "\n " in edges or " \n" in edges


_OTHER_SPACES = ("\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u2001",
                 "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028",
                 "\u2029", "\u202f", "\u205f", "\u3000")
"""Every character that ``str.isspace`` calls whitespace but the space and the line breaks
(``tests/test_fastscan_columns.py`` checks the list against ``str.isspace``)."""


def _edge_spaces(text: str, records: list[list[str]]) -> bool:
    """Whether a cell of ``records`` (the one-line records of ``text``) may begin or end with whitespace,
    what ``str.strip`` takes off. Exact when it says no: no whitespace but the space in the text (a cell of
    a one-line record holds no line break), and no cell that starts or ends with a space (the cells joined
    by NUL, which the text does not hold)."""
    for space in _OTHER_SPACES:
        if space in text:
            return True
    joined = "\x00" + "\x00".join(chain.from_iterable(records)) + "\x00"
    return "\x00 " in joined or " \x00" in joined


def _csv_grid_careful(text: str, bestand: str, delimiter: str, encoding: str | None) -> Grid:
    """The grid of a CSV text split on ``delimiter``, line by line.

    Parsed strictly: a quote that opens a field and never closes, a character after a closing quote,
    a field longer than the parser's limit (131,072 characters), a quoted field that runs over several
    lines holding separators (a stray quote that swallowed rows), or a NUL byte make the line where the
    record starts unreadable: a row in ``Grid.bad_rows`` (a ``fout`` for whoever reads the grid), and
    parsing resumes on the next line, so that no row vanishes.
    """
    rows: list[tuple[int, tuple[Any, ...]]] = []
    bad: dict[int, tuple[str, str, str]] = {}
    lines: list[str] | None = None
    offset = 0  # physical lines consumed before the current reader
    source: Any = io.StringIO(text, newline="")
    nul = "\x00" in text
    number = 0
    while True:
        reader = csv.reader(source, delimiter=delimiter, quotechar='"', skipinitialspace=False, strict=True)
        consumed = offset
        problem: tuple[str, str] | None = None
        try:
            for record in reader:
                start = consumed + 1
                consumed = offset + reader.line_num
                if consumed > start and _swallowed(record, delimiter):
                    problem = ("csv_aanhalingsteken", "een aanhalingsteken opent hier een veld dat over "
                               f"{consumed - start + 1} regels loopt en scheidingstekens bevat: de regels eronder "
                               "zouden erin verdwijnen; verwijder het losse aanhalingsteken of sluit het veld af")
                    break
                if len(record) > xlsxscan.MAX_COLUMNS:
                    problem = ("csv_te_breed", f"de regel heeft {len(record):,} velden".replace(",", ".")
                               + f" (meer dan {xlsxscan.MAX_COLUMNS}); controleer het scheidingsteken")
                    break
                if nul and any("\x00" in c for c in record):
                    problem = ("nul_teken", "de regel bevat een NUL-teken (binaire inhoud); sla het bestand "
                               "opnieuw op als CSV (UTF-8)")
                    break
                number += 1
                rows.append((number, tuple(map(str.strip, record))))
            else:
                break
        except csv.Error as exc:
            start = consumed + 1
            problem = _csv_problem(str(exc))
        # the record that starts on line ``start`` is unreadable: that line becomes a bad row, the next
        # line is read afresh
        if lines is None:
            lines = io.StringIO(text, newline="").readlines()
        if start > len(lines):
            break
        line = lines[start - 1]
        number += 1
        cells = tuple(c.replace("\x00", "").strip()
                      for c in line.rstrip("\r\n").split(delimiter, xlsxscan.MAX_COLUMNS)[:xlsxscan.MAX_COLUMNS])
        rows.append((number, cells))
        code, melding = problem
        bad[number] = (code, melding, line.rstrip("\r\n"))
        if len(bad) >= MAX_BAD_LINES:
            rest = len(lines) - start
            if rest:
                number += 1
                rows.append((number, ("",)))
                bad[number] = ("csv_onleesbaar", f"na {MAX_BAD_LINES} onleesbare regels is de rest van het bestand "
                               f"({rest} regels) niet gelezen; controleer of dit een CSV-bestand is", "")
            break
        offset = start
        source = iter(lines[start:])
    return Grid(bestand, None, tuple(rows), "csv", delimiter, encoding, bad_rows=bad)


def _swallowed(record: list[str], delimiter: str) -> bool:
    """A field that runs over several lines and holds separators: rows swallowed by a stray quote."""
    return any(("\n" in c or "\r" in c) and delimiter in c for c in record)


def _csv_problem(message: str) -> tuple[str, str]:
    if "field larger than field limit" in message:
        return ("csv_veld_te_lang", "een veld in deze regel is langer dan 131.072 tekens (vaak een los "
                "aanhalingsteken dat de rest van het bestand in één veld trekt); de regel is niet gelezen")
    if "unexpected end of data" in message:
        return ("csv_aanhalingsteken", "een aanhalingsteken opent hier een veld dat tot het einde van het "
                "bestand niet wordt gesloten; verwijder het losse aanhalingsteken of sluit het veld af")
    if "expected after" in message:
        return ("csv_aanhalingsteken", "na een sluitend aanhalingsteken volgt geen scheidingsteken; zet het "
                "hele veld tussen aanhalingstekens (en verdubbel aanhalingstekens erin) of verwijder ze")
    if "NUL" in message or "nul" in message.lower():
        return ("nul_teken", "de regel bevat een NUL-teken (binaire inhoud); sla het bestand opnieuw op als CSV")
    return ("csv_onleesbaar", f"de regel is geen leesbare CSV ({message})")


# --- workbooks -----------------------------------------------------------------------------------

def _workbook_grids(raw: bytes, bestand: str, blad: str | None) -> tuple[list[Grid], list[Melding]]:
    global _last_workbook
    if _last_workbook is not None and _last_workbook[0] == raw:
        _, workbook, names, hidden, scans = _last_workbook  # the same file again (a manifest naming its sheets)
    else:
        zf = None
        if raw.startswith(_ZIP):
            # limits first (SPEC §6): nothing reaches calamine that could exhaust the process
            try:
                zf = xlsxscan.check_zip(raw)
                parts = xlsxscan.sheet_parts(zf, raw)
                if not parts.sheets and xlsxscan.is_ods(zf, raw):
                    xlsxscan.scan_ods(zf, raw)
                elif not parts.sheets:
                    archive = _archive(zf)
                    if archive is not None and archive[0] == "numbers":
                        return [], [_fout(bestand, blad, archive[1], code="ander_bestandstype")]
                    if archive is not None:
                        return [], [_fout(bestand, blad, archive[1], code="zip_archief")]
            except xlsxscan.Refused as refused:
                return [], [_fout(bestand, blad, refused.reason, refused.code)]
            except Exception as exc:  # noqa: BLE001 - a file the checks cannot follow is not read unchecked
                return [], [_fout(bestand, blad, f"het werkboek kon niet worden gecontroleerd ({type(exc).__name__})",
                                  "werkboek_onleesbaar")]
        try:
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
            names = list(workbook.sheet_names)
            hidden = _hidden_sheets(workbook)
        except Exception as exc:  # noqa: BLE001 - calamine raises many kinds on corrupt files
            if raw.startswith(_OLE) and _ENCRYPTED in raw:
                return [], [_fout(bestand, blad, "het werkboek is met een wachtwoord versleuteld en kan niet worden "
                                  "gelezen; open het in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap "
                                  "beveiligen) en sla het op", code="versleuteld_werkboek")]
            return [], [_fout(bestand, blad, f"het werkboek is onleesbaar of beschadigd ({type(exc).__name__}); open "
                              "het in Excel of LibreOffice en sla het opnieuw op als Excel-werkmap (.xlsx) of CSV",
                              "werkboek_onleesbaar")]
        scans = _SheetScans(zf, raw, parts if zf is not None else None)
        _last_workbook = (raw, workbook, names, hidden, scans)
    if not names:
        return [], [_fout(bestand, blad, "het werkboek heeft geen bladen", "werkboek_zonder_bladen")]
    visible = tuple(n for n in names if n not in hidden)
    all_names = names
    if blad is not None:
        wanted = [n for n in names if n == blad] or [n for n in names if n.strip().casefold() == blad.strip().casefold()]
        if not wanted:
            return [], [_fout(bestand, blad, f"blad {blad!r} bestaat niet; het werkboek heeft: {', '.join(names)}",
                              "blad_onbekend")]
        names = wanted[:1]
    else:
        # hidden sheets are never read unless ``blad`` names them (SPEC §6)
        names = [n for n in names if n not in hidden]
        if not names:
            return [], [_fout(bestand, blad, "het werkboek heeft alleen verborgen bladen ("
                              + ", ".join(sorted(hidden)) + "); noem het blad dat gelezen moet worden met blad = …",
                              "alleen_verborgen_bladen")]
    grids: list[Grid] = []
    meldingen: list[Melding] = []
    hidden_formats = formats_hidden(raw)
    for name in names:
        try:
            bad = scans.get(name)
        except xlsxscan.Refused as refused:
            return [], [_fout(bestand, name, refused.reason, refused.code)]
        except Exception as exc:  # noqa: BLE001 - a sheet the checks cannot follow is not read unchecked
            return [], [_fout(bestand, name, f"blad kon niet worden gecontroleerd ({type(exc).__name__})",
                              "werkboek_onleesbaar")]
        try:
            sheet = workbook.get_sheet_by_name(name)
            cells = sheet.to_python(skip_empty_area=False)
            merged = _merged_ranges(sheet)
        except Exception as exc:  # noqa: BLE001
            meldingen.append(_fout(bestand, name, f"blad is onleesbaar ({type(exc).__name__})", "blad_onleesbaar"))
            continue
        try:
            percents = scans.percents(name, len(cells), max(map(len, cells), default=0))
            ods_bad, ods_merged = scans.ods(name, len(cells), max(map(len, cells), default=0))
            struck = scans.struck(name, len(cells), max(map(len, cells), default=0))
        except Exception as exc:  # noqa: BLE001 - a sheet the checks cannot follow is not read unchecked
            return [], [_fout(bestand, name, f"blad kon niet worden gecontroleerd ({type(exc).__name__})",
                              "werkboek_onleesbaar")]
        if ods_bad:
            bad = {**bad, **ods_bad}
        merged = merged or ods_merged
        # a formula whose stored 0 is no result (``xlsxscan._bad_cells``) arrives as the number 0: shown
        # empty like every other unreadable cell, so that only its melding speaks for it
        placeholders = [(r, c) for (r, c) in bad if r - 1 < len(cells) and c < len(cells[r - 1])
                        and cells[r - 1][c] != ""] if bad else []
        # copied only to fill merged cells, to show percentages or to empty placeholders
        grid_rows = [list(r) for r in cells] if merged or percents or placeholders else cells
        for r, c in placeholders:
            grid_rows[r - 1][c] = ""
        for (r, c), shown in percents.items():
            # a number formatted as a percentage reads as Excel shows it (``85%``), never as the bare number
            if r - 1 < len(grid_rows) and c < len(grid_rows[r - 1]):
                value = grid_rows[r - 1][c]
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    grid_rows[r - 1][c] = shown
        filled: set[tuple[int, int]] = set()
        for (r0, c0), (r1, c1) in merged:
            # A cell merged over several rows (a municipality written once for its locations) shows
            # its value on each of them; a number there counts once, in the merge's first row (the
            # reader blanks ``filled`` cells in the columns it counts). Merges across columns are
            # titles: left alone.
            if c0 != c1 or r0 >= len(grid_rows) or c0 >= len(grid_rows[r0]):
                continue
            value = grid_rows[r0][c0]
            for r in range(r0 + 1, min(r1, len(grid_rows) - 1) + 1):
                for c in range(c0, min(c1, len(grid_rows[r]) - 1) + 1):
                    grid_rows[r][c] = value
                    filled.add((r + 1, c))
        rows = tuple([(i, tuple([c.replace("\x00", "").strip() if isinstance(c, str) else c for c in row]))
                      for i, row in enumerate(grid_rows, 1)])  # _clean, inlined
        grids.append(Grid(bestand, name, rows, "workbook", bad_cells=bad, filled=frozenset(filled),
                          formats_hidden=hidden_formats, sheets=visible, manual_formulas=scans.formulas(name),
                          hidden_sheets=tuple(n for n in all_names if n in hidden) if blad is None else (),
                          struck=struck))
    return grids, meldingen


def formats_hidden(raw: bytes) -> bool:
    """Whether the workbook ``raw`` is a format whose number formats are not read (python-calamine gives
    the bare number and this package reads no styles there): XLS (an OLE file) or XLSB (a zip with
    binary parts). XLSX and ODS styles are read (``xlsxscan.percent_cells``, ``ods_percent_runs``)."""
    if raw.startswith(_OLE):
        return True
    if not raw.startswith(_ZIP) or b"workbook.bin" not in raw:  # a zip's member names are stored as they are
        return False
    try:
        import zipfile

        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            # an XLSX may hold .bin parts too (vbaProject.bin, printer settings); only XLSB has this one
            return any(n.lower() == "xl/workbook.bin" for n in zf.namelist())
    except Exception:  # noqa: BLE001 - not readable as a zip: calamine refuses it anyway
        return False


def _hidden_sheets(workbook: Any) -> set[str]:
    try:
        return {m.name for m in workbook.sheets_metadata if "visible" not in str(m.visible).rsplit(".", 1)[-1].lower()}
    except Exception:  # noqa: BLE001 - metadata missing for a format: every sheet counts as visible
        return set()


class _SheetScans:
    """The error cells of each sheet of a workbook, scanned on first use (``xlsxscan.scan_sheet``); a
    sheet of an XLSX file whose part cannot be found is refused rather than read unchecked."""

    def __init__(self, zf: Any, raw: bytes, parts: xlsxscan.WorkbookParts | None):
        self._zf, self._raw = zf, raw
        self._parts = parts.sheets if parts is not None else {}
        self._shared = parts.shared_strings if parts is not None else None
        self._budget: xlsxscan.TextBudget | None = None
        self._done: dict[str, dict[tuple[int, int], str]] = {}
        self._styles = parts.styles if parts is not None else None
        self._uncalculated = parts.uncalculated if parts is not None else False
        self.manual = parts.manual if parts is not None else None
        self._formulas: dict[str, frozenset[tuple[int, int]]] = {}
        self._percent_styles: frozenset[int] | None = None
        self._strike_styles: frozenset[int] | None = None
        self._struck_strings: frozenset[int] = frozenset()
        self._inline_strike: set[str] = set()  # sheets with a struck run in an inline text (``scan_sheet``)
        self._ods_runs: dict[str, list[tuple[int, int, int, int, str]]] | None = None
        self._ods_marks: dict[str, xlsxscan.OdsMarks] | None = None
        self._ods_struck: dict[str, list[tuple[int, int, int, int]]] | None = None

    def get(self, name: str) -> dict[tuple[int, int], str]:
        if name in self._done:
            return self._done[name]
        if self._zf is None or not self._parts:
            bad: dict[tuple[int, int], str] = {}  # XLS, or a zip that is no XLSX (ODS, XLSB): limits only
        elif name not in self._parts:
            raise xlsxscan.Refused("werkboek_onleesbaar", f"blad {name!r} is niet te vinden in het werkboek "
                                   "(beschadigd of een onbekende opbouw); sla het opnieuw op in Excel")
        else:
            if self._budget is None:
                self._budget = xlsxscan.TextBudget(xlsxscan.shared_string_lengths(self._zf, self._raw, self._shared))
            formulas: dict[tuple[int, int], str] = {}
            seen: set[str] = set()
            bad = xlsxscan.scan_sheet(self._zf, self._raw, self._parts[name], name, self._budget, self._uncalculated,
                                      self.manual, formulas, seen)
            if "strike" in seen:
                self._inline_strike.add(name)
            self._formulas[name] = frozenset((r, c) for r, c in formulas)
        self._done[name] = bad
        return bad

    def formulas(self, name: str) -> frozenset[tuple[int, int]]:
        """The cells of sheet ``name`` (scanned by ``get``) that hold a formula with a stored result, in a workbook
        in manual calculation (``xlsxscan.WorkbookParts.manual``); empty for any other workbook."""
        return self._formulas.get(name, frozenset())

    def percents(self, name: str, height: int, width: int) -> dict[tuple[int, int], str]:
        """The cells of sheet ``name`` formatted as a percentage (``xlsxscan.percent_cells``; for an ODS
        ``xlsxscan.ods_percent_runs``, clipped to the ``height`` × ``width`` cells python-calamine gave)."""
        if self._zf is not None and not self._parts:
            if self._ods_runs is None:
                self._ods_runs = xlsxscan.ods_percent_runs(self._zf, self._raw) if xlsxscan.is_ods(self._zf, self._raw) else {}
            out: dict[tuple[int, int], str] = {}
            for row, rows, col, cols, shown in self._ods_runs.get(name, ()):
                for r in range(row, min(row + rows, height + 1)):
                    for c in range(col, min(col + cols, width)):
                        out[(r, c)] = shown
            return out
        if self._zf is None or not self._parts or name not in self._parts:
            return {}
        if self._percent_styles is None:
            self._percent_styles = xlsxscan.percent_styles(self._zf, self._raw, self._styles)
        if not self._percent_styles:
            return {}
        return xlsxscan.percent_cells(self._zf, self._raw, self._parts[name], self._percent_styles)

    def struck(self, name: str, height: int, width: int) -> frozenset[tuple[int, int]]:
        """The cells of sheet ``name`` whose text is struck through: an XLSX sheet's by its font
        (``xlsxscan.styled_cells``) or by every run of its rich text (``xlsxscan.string_cells``), an ODS sheet's
        by its cell styles (``xlsxscan.ods_struck_runs``, clipped to the ``height`` × ``width`` cells
        python-calamine gave)."""
        if self._zf is not None and not self._parts:
            if self._ods_struck is None:
                self._ods_struck = (xlsxscan.ods_struck_runs(self._zf, self._raw)
                                    if xlsxscan.is_ods(self._zf, self._raw) else {})
            return frozenset((r, c) for row, rows, col, cols in self._ods_struck.get(name, ())
                             for r in range(row, min(row + rows, height + 1))
                             for c in range(col, min(col + cols, width)))
        if self._zf is None or not self._parts or name not in self._parts:
            return frozenset()
        if self._strike_styles is None:
            self._strike_styles = xlsxscan.strike_styles(self._zf, self._raw, self._styles)
            self._struck_strings = xlsxscan.struck_strings(self._zf, self._raw, self._shared)
        out = xlsxscan.styled_cells(self._zf, self._raw, self._parts[name], self._strike_styles)
        if self._struck_strings or name in self._inline_strike:
            out |= xlsxscan.string_cells(self._zf, self._raw, self._parts[name], self._struck_strings)
        return out

    def ods(self, name: str, height: int, width: int) -> tuple[dict[tuple[int, int], str],
                                                            Sequence[tuple[tuple[int, int], tuple[int, int]]]]:
        """An ODS sheet's error cells and formulas without a result (as ``get`` gives an XLSX's, clipped to the
        ``height`` × ``width`` cells python-calamine gave) and its cells merged over rows (``xlsxscan.ods_marks``);
        nothing for any other workbook."""
        if self._zf is None or self._parts:
            return {}, ()
        if self._ods_marks is None:
            self._ods_marks = xlsxscan.ods_marks(self._zf, self._raw) if xlsxscan.is_ods(self._zf, self._raw) else {}
        marks = self._ods_marks.get(name)
        if marks is None:
            return {}, ()
        bad: dict[tuple[int, int], str] = {}
        for row, rows, col, cols, what in marks.bad:
            for r in range(row, min(row + rows, height + 1)):
                for c in range(col, min(col + cols, width)):
                    bad[(r, c)] = what
        return bad, marks.merged


_last_workbook: tuple[bytes, Any, list[str], set[str], _SheetScans] | None = None
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
