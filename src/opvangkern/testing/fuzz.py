"""Test kit for adapter authors: write example files, and fuzz an adapter with random plausible files.

Needs the test extras (``hypothesis``, ``openpyxl``); import it from tests only.

``csv_bytes`` / ``xlsx_bytes`` write a grid (a list of rows of cells) the way a Dutch spreadsheet
exports it. ``plausible_files(spec)`` is a hypothesis strategy of ``FuzzFile``: a random file in the
adapter's layout (shuffled columns, random aliases, title and blank rows, a peildatum in a title or
column, thousands dots, ``-``/``n.v.t.``, junk cells, spreadsheet error values and formulas without a
stored result, a totals row right or wrong, CSV in several separators and encodings (now and then with a
line broken by a stray quote or an oversized field) or XLSX (now and then with a number merged over two
rows, or a hidden sheet with other figures before the table), sometimes truncated) together with what a
correct adapter must give.
``check_adapter_result`` asserts it: the right figures, or a ``fout`` at every junk cell; never a silently
wrong number.

Profiles: ``register_profiles()`` (call it from a ``conftest.py``) registers ``fuzz`` (10,000 examples
per test) and loads it when ``HYPOTHESIS_PROFILE=fuzz``; ``adapter_settings()`` is 50 examples otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from opvangkern.model import Severity
from opvangkern.sources.adapter import AdapterResult, Source, SourceAdapter

__all__ = [
    "csv_bytes", "xlsx_bytes", "draw_file_bytes", "FuzzColumn", "FuzzSpec", "FuzzFile", "plausible_files", "check_adapter_result",
    "register_profiles", "adapter_settings", "FUZZ_EXAMPLES", "QUICK_EXAMPLES",
]

FUZZ_EXAMPLES = 10_000
QUICK_EXAMPLES = 50


def register_profiles() -> None:
    """Register the ``fuzz`` profile; load it when ``HYPOTHESIS_PROFILE=fuzz``."""
    settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    wanted = os.environ.get("HYPOTHESIS_PROFILE")
    if wanted == "fuzz":
        settings.load_profile("fuzz")


def adapter_settings() -> settings:
    """Settings for an adapter fuzz test: 50 examples, or 10,000 under ``HYPOTHESIS_PROFILE=fuzz``."""
    examples = FUZZ_EXAMPLES if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else QUICK_EXAMPLES
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- writing files ---------------------------------------------------------------------------

def csv_bytes(rows: Sequence[Sequence[Any]], delimiter: str = ";", encoding: str = "utf-8-sig",
              newline: str = "\r\n", quote_all: bool = False) -> bytes:
    """A CSV file of ``rows`` (cells written with ``str``; ``None`` empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], sheet: str = "Blad1", date_format: str = "dd-mm-yyyy",
               sheets_before: Sequence[str] = (), merged: Sequence[str] = (),
               hidden_before: Sequence[tuple[str, Sequence[Sequence[Any]]]] = ()) -> bytes:
    """An XLSX workbook with ``rows`` on ``sheet`` (dates get ``date_format``); optional sheets before it
    (a ``Toelichting`` sheet first, as many exports have), ranges of ``sheet`` to merge (``"D5:D6"``) and
    hidden sheets before it (``(name, rows)``: an old version left in the workbook).

    A cell text that is a spreadsheet error value (``#N/A``, ``#DIV/0!``) is written as an error cell; a
    text starting with ``=`` as a formula without a stored result (as openpyxl writes every formula)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 5, 12, 0)
    first = wb.active
    for i, name in enumerate(sheets_before):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        ws["A1"] = f"{name}: zie het volgende blad"
    ws = wb.create_sheet() if sheets_before else first
    ws.title = sheet
    _fill(ws, rows, date_format)
    for cells in merged:
        ws.merge_cells(cells)
    for i, (name, hidden_rows) in enumerate(hidden_before):
        hidden = wb.create_sheet(name, len(sheets_before) + i)  # before the data sheet
        _fill(hidden, hidden_rows, date_format)
        hidden.sheet_state = "hidden"
    wb.active = wb.sheetnames.index(sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _fill(ws: Any, rows: Sequence[Sequence[Any]], date_format: str) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, (dt.date, dt.datetime)):
                cell.number_format = date_format


# --- fuzzing -----------------------------------------------------------------------------------

@attrs.frozen
class FuzzColumn:
    """A column of the adapter's layout as the fuzzer writes it."""

    key: str
    names: tuple[str, ...] = attrs.field(converter=tuple)
    """Header names to choose from (label and aliases)."""
    kind: str = "count"
    """``count`` (a non-negative whole number), ``signed`` (any whole number), ``choice`` or ``text``."""
    choices: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    """For ``choice``: the values to choose from (written with random case)."""
    required: bool = True
    """Always in the file (else in about half the files)."""
    junk: bool = True
    """Whether junk in this column must be a ``fout`` (count columns that are counted)."""
    total: bool = True
    """Whether a totals row gives this column's sum."""


@attrs.frozen
class FuzzSpec:
    """The adapter's layout for the fuzzer, and how a row's values become realisations."""

    columns: tuple[FuzzColumn, ...] = attrs.field(converter=tuple)
    expected: Callable[[dict[str, Any]], list[tuple[str, str | None, int]]]
    """Row values by key (``None`` for an empty cell) → ``(opgave, categorie, aantal)`` realisations."""
    extra_columns: tuple[str, ...] = ("Opmerking", "Nr.", "Provincie")
    """Unknown columns sprinkled in (they must be ignored)."""


@attrs.frozen
class FuzzFile:
    """A generated file and what reading it must give."""

    data: bytes = attrs.field(repr=lambda b: repr(b[:400]) + (f"... ({len(b)} bytes)" if len(b) > 400 else ""))
    bestand: str
    expected: dict[tuple[int, str, str | None], int]
    """``(rij, opgave, categorie)`` → ``aantal`` for every cell that must be read."""
    junk: tuple[tuple[int, str], ...]
    """``(rij, header)`` of every junk cell (each must get a ``fout``)."""
    wrong_totals: tuple[int, ...]
    """Row numbers of totals rows that are wrong (a ``waarschuwing`` each, when no junk interferes)."""
    right_totals: tuple[int, ...]
    peildatum: dt.date | None
    truncated: bool
    description: str
    broken: tuple[int, ...] = ()
    """Row numbers of CSV lines made unreadable (a stray quote, an oversized field): each must get a
    ``fout``, and none of their figures may be read."""

    def source(self, **kw: Any) -> Source:
        return Source(io.BytesIO(self.data), self.bestand, **kw)


_TITLES = ("Overzicht per gemeente", "Bron: opgave aanleverende organisatie", "Rapportage realisatie",
           "Concept - niet verspreiden", "Alle aantallen in plekken")
_JUNK = ("-5", "2,5", "abc", "1,5", "12a", "(3)", "1.5", "?", "1,010", "3 4 x", "−7", "0,5")
_ERRORS = ("#N/A", "#DIV/0!", "#REF!", "#VALUE!", "=1+1", "=SUM(A1:A2)")
"""Spreadsheet error values and formulas: error cells and formulas without a stored result in XLSX,
text that is no number in CSV; a ``fout`` either way."""
_NONE = ("", "-", "n.v.t.", "N.v.t.", " ")
_PEIL = dt.date(2025, 12, 31)


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def plausible_files(draw: st.DrawFn, spec: FuzzSpec, division: Any = None) -> FuzzFile:
    """A random plausible file in ``spec``'s layout (see the module docstring)."""
    if division is None:
        from opvangkern.areas import load_division

        division = load_division()
    gemeenten = division.gemeenten
    fmt = draw(st.sampled_from(["csv", "csv", "xlsx"]))
    area_mode = draw(st.sampled_from(["naam", "code", "beide"]))
    name_headers = draw(st.sampled_from(["Gemeente", "gemeente", "GEMEENTE", "Gemeentenaam", "Naam gemeente"]))
    code_headers = draw(st.sampled_from(["Gemeentecode", "GM-code", "CBS-code", "gemeentecode"]))
    present = [c for c in spec.columns if c.required or draw(st.booleans())]
    headers = {c.key: draw(st.sampled_from(c.names)) for c in present}
    extras = draw(st.lists(st.sampled_from(spec.extra_columns), unique=True, max_size=2))
    peil_where = draw(st.sampled_from(["geen", "titel", "kolom", "beide", "titelcel"]))

    columns: list[tuple[str, str]] = []  # (kind-or-key, header)
    if area_mode in ("naam", "beide"):
        columns.append(("@naam", name_headers))
    if area_mode in ("code", "beide"):
        columns.append(("@code", code_headers))
    columns += [(c.key, headers[c.key]) for c in present]
    columns += [("@extra", e) for e in extras]
    if peil_where in ("kolom", "beide"):
        columns.append(("@peil", draw(st.sampled_from(["Peildatum", "peildatum", "Stand per"]))))
    columns = draw(st.permutations(columns))

    # title rows
    grid: list[list[Any]] = []
    n_titles = draw(st.integers(0, 3))
    for _ in range(n_titles):
        grid.append([draw(st.sampled_from(_TITLES))])
    if peil_where in ("titel", "beide"):
        text = draw(st.sampled_from(["Peildatum: 31-12-2025", "Stand per 31 december 2025", "Peildatum 2025-12-31",
                                     "Realisatie, stand per 31-12-2025"]))
        grid.insert(draw(st.integers(0, len(grid))), [text])
    if peil_where == "titelcel":
        grid.insert(draw(st.integers(0, len(grid))), ["Peildatum", _PEIL if fmt == "xlsx" else "31-12-2025"])
    for _ in range(draw(st.integers(0, 2))):
        grid.insert(draw(st.integers(0, len(grid))), [])
    grid.append([h for _, h in columns])

    expected: dict[tuple[int, str, str | None], int] = {}
    junk: list[tuple[int, str]] = []
    junk_columns: set[str] = set()
    sums: dict[str, int] = {c.key: 0 for c in present}
    n_rows = draw(st.integers(1, 10))
    merged: list[str] = []
    data_rows: list[int] = []
    previous: dict[str, Any] | None = None  # the values of the data row just above (None: no data row there)
    for _ in range(n_rows):
        gm = gemeenten[draw(st.integers(0, len(gemeenten) - 1))]
        values: dict[str, Any] = {}
        cells: list[Any] = []
        rij = len(grid) + 1
        # xlsx: now and then a number merged over this row and the one above: it counts once, above
        merge_key = None
        if fmt == "xlsx" and previous is not None and draw(st.integers(0, 7)) == 0:
            numbers = [k for k, _ in columns if isinstance(previous.get(k), int)
                       and next(c for c in present if c.key == k).kind in ("count", "signed")]
            if numbers:
                merge_key = draw(st.sampled_from(numbers))
        for index, (key, header) in enumerate(columns):
            if key == merge_key:
                values[key] = None
                cells.append(None)
                letter = _column_letter(index + 1)
                merged.append(f"{letter}{rij - 1}:{letter}{rij}")
                continue
            if key == "@naam":
                cells.append(draw(st.sampled_from([gm.naam, gm.naam.upper(), f"Gemeente {gm.naam}", f"  {gm.naam} "])))
            elif key == "@code":
                number = int(gm.code[2:])
                forms = [gm.code, gm.code[2:], str(number)] + ([number] if fmt == "xlsx" else [])
                cells.append(draw(st.sampled_from(forms)))
            elif key == "@extra":
                cells.append(draw(st.sampled_from(["", "zie toelichting", "1", "2025", "Drenthe"])))
            elif key == "@peil":
                cells.append(draw(st.sampled_from([_PEIL, "31-12-2025"] if fmt == "xlsx" else
                                                  ["31-12-2025", "2025-12-31", "31 december 2025"])))
            else:
                col = next(c for c in present if c.key == key)
                cell, value = _draw_value(draw, col, fmt)
                if value is _JUNKED:
                    junk.append((rij, header))
                    junk_columns.add(key)
                    value = None
                values[key] = value
                if isinstance(value, int) and col.total:
                    sums[key] += value
                cells.append(cell)
        for opgave, categorie, aantal in spec.expected(values):
            expected[(rij, opgave, categorie)] = expected.get((rij, opgave, categorie), 0) + aantal
        grid.append(cells)
        data_rows.append(rij)
        previous = values
        if draw(st.integers(0, 9)) == 0:
            grid.append([])  # a blank row inside the table
            previous = None

    wrong_totals: list[int] = []
    right_totals: list[int] = []
    total_kind = draw(st.sampled_from(["geen", "goed", "fout"]))
    total_keys = [c.key for c in present if c.total and c.kind == "count"]
    if total_kind != "geen" and total_keys:
        label = draw(st.sampled_from(["Totaal", "Eindtotaal", "TOTAAL", "Totaal generaal"]))
        off_key = draw(st.sampled_from(total_keys))
        off = draw(st.integers(1, 100)) if total_kind == "fout" else 0
        cells = []
        first = True
        for key, _ in columns:
            if key in ("@naam", "@code") and first:
                cells.append(label)
                first = False
            elif key in total_keys:
                value = sums[key] + (off if key == off_key else 0)
                cells.append(value if fmt == "xlsx" else _dotted(value))
            else:
                cells.append("")
        rij = len(grid) + 1
        grid.append(cells)
        if total_kind == "fout" and off_key not in junk_columns:
            wrong_totals.append(rij)
        elif total_kind == "goed" and not junk_columns:
            right_totals.append(rij)
    if draw(st.booleans()):
        grid.append(["Bron: testdata"])

    # CSV: now and then one data line made unreadable, by a stray quote or an oversized field
    broken: tuple[int, ...] = ()
    quote_row = None
    if fmt == "csv" and draw(st.integers(0, 7)) == 0:
        rij = draw(st.sampled_from(data_rows))
        if draw(st.integers(0, 3)) == 0:
            grid[rij - 1] = [*grid[rij - 1], "x" * 140_000]  # beyond the parser's field limit
            how = "veld te lang"
        else:
            quote_row = rij
            how = "los aanhalingsteken"
        broken = (rij,)
        expected = {k: v for k, v in expected.items() if k[0] != rij}
        junk = [j for j in junk if j[0] != rij]
        wrong_totals, right_totals = [], []  # the totals no longer cover what is read
        total_kind += f", rij {rij} onleesbaar ({how})"

    data, bestand, desc, truncated = _draw_file(draw, grid, fmt, "fuzz", ("Blad1", "Gemeenten", "Data 2025"),
                                                merged, quote_row)
    peildatum = _PEIL if peil_where != "geen" else None
    return FuzzFile(data, bestand, expected, tuple(junk), tuple(wrong_totals), tuple(right_totals), peildatum,
                    truncated, f"{desc}, kolommen {[h for _, h in columns]}, peildatum {peil_where}, totaal {total_kind}"
                    + (f", samengevoegd {merged}" if merged else ""), broken)


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_JUNKED = object()


def draw_file_bytes(draw: st.DrawFn, grid: list[list[Any]], fmt: str, stem: str,
                    sheet_names: tuple[str, ...]) -> tuple[bytes, str, str, bool]:
    """The grid as the bytes of a file: an XLSX workbook (a random sheet name, maybe a sheet before it,
    maybe a hidden sheet with other figures before it) or a CSV in a random dialect (separator,
    encoding, line ends, quoting); one file in ten truncated.

    Returns ``(data, bestand, description, truncated)``.
    """
    return _draw_file(draw, grid, fmt, stem, sheet_names)


def _draw_file(draw: st.DrawFn, grid: list[list[Any]], fmt: str, stem: str, sheet_names: tuple[str, ...],
               merged: Sequence[str] = (), quote_row: int | None = None) -> tuple[bytes, str, str, bool]:
    """``draw_file_bytes`` with ``merged`` ranges (XLSX) and a stray quote opening line ``quote_row`` (CSV)."""
    if fmt == "xlsx":
        hidden = ()
        if draw(st.integers(0, 3)) == 0:
            # an old version of the table, hidden: never read (every number differs)
            hidden = (("Oud", [[_decoy(c) for c in row] for row in grid]),)
        data = xlsx_bytes(grid, sheet=draw(st.sampled_from(sheet_names)),
                          sheets_before=draw(st.sampled_from([(), ("Toelichting",)])), merged=merged,
                          hidden_before=hidden)
        bestand, desc = f"{stem}.xlsx", "xlsx" + (", verborgen blad ervoor" if hidden else "")
    else:
        delimiter = draw(st.sampled_from([";", ",", "\t"]))
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
        newline = draw(st.sampled_from(["\r\n", "\n"]))
        text_grid = [[_csv_cell(c) for c in row] for row in grid]
        try:
            data = csv_bytes(text_grid, delimiter, encoding, newline, quote_all=draw(st.booleans()))
        except UnicodeEncodeError:
            data = csv_bytes(text_grid, delimiter, "utf-8", newline)
        if quote_row is not None:
            lines = data.split(newline.encode())
            lines[quote_row - 1] = b'"' + lines[quote_row - 1]
            data = newline.encode().join(lines)
        bestand, desc = f"{stem}.csv", f"csv {delimiter!r} {encoding} {newline!r}"
    truncated = draw(st.integers(0, 9)) == 0
    if truncated:
        # a fraction, not a length: workbook bytes differ by a few between runs (zip timestamps)
        data = data[: len(data) * draw(st.integers(0, 999)) // 1000]
    return data, bestand, desc, truncated


def _decoy(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return value * 3 + 7


def _csv_cell(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def _draw_value(draw: st.DrawFn, col: FuzzColumn, fmt: str) -> tuple[Any, Any]:
    """(cell as written, value a reader must find); the value is ``_JUNKED`` for junk."""
    if col.kind == "choice":
        choice = draw(st.sampled_from(col.choices))
        return draw(st.sampled_from([choice, choice.upper(), choice.lower(), f" {choice} "])), choice
    if col.kind == "text":
        text = draw(st.sampled_from(["Locatie A", "AZC 1", "De Haven", "Noord"]))
        return text, text
    roll = draw(st.integers(0, 19))
    if roll == 0 and col.junk:
        return draw(st.sampled_from(_JUNK + _ERRORS)), _JUNKED
    if roll == 1:
        return draw(st.sampled_from(_NONE)), None
    low = -500 if col.kind == "signed" else 0
    n = draw(st.integers(low, 20_000))
    form = draw(st.integers(0, 3))
    if fmt == "xlsx" and form == 0:
        return n, n
    if fmt == "xlsx" and form == 1:
        return float(n), n
    # a round thousand stays undotted: a column whose every number is ``5.000`` is refused on purpose (three
    # decimals or a thousands dot, ``decimaalpunt_dubbelzinnig``), so a clean file must not happen to be one
    if abs(n) >= 1000 and form >= 2 and n % 1000:
        return ("-" if n < 0 else "") + _dotted(abs(n)), n
    return str(n), n


def check_adapter_result(adapter: SourceAdapter, f: FuzzFile) -> AdapterResult:
    """Read ``f`` with ``adapter`` and assert the contract (see the module docstring)."""
    try:
        result = adapter.read(f.source())
    except Exception as exc:  # pragma: no cover - the assertion is the point
        raise AssertionError(f"adapter raised {exc!r} on {f.description}") from exc
    table = result.realisaties
    from opvangkern.tables import REALISATIES
    from opvangkern.validate import validate

    broken = validate(table, REALISATIES, bron=adapter.name, tasks=adapter.tasks,
                      bestand=f.bestand).meldingen
    assert not broken, f"the table breaks the contract on {f.description}: {[str(m) for m in broken]}"
    got: dict[tuple[int, str, str | None], int] = {}
    for r in table.to_pylist():
        key = (r["rij"], r["opgave"], r["categorie"])
        got[key] = got.get(key, 0) + r["aantal"]
    fouten = [m for m in result.meldingen if m.ernst is Severity.FOUT]
    context = f"{f.description}\nmeldingen: {[str(m) for m in result.meldingen]}\ngot {got}\nexpected {f.expected}"
    if f.truncated:
        if got:
            last = max(k[0] for k in got)
            for key, value in got.items():
                if key[0] != last:
                    assert f.expected.get(key) == value, f"silently wrong at {key} in truncated file: {context}"
        return result
    for key, value in got.items():
        assert key in f.expected, f"unexpected figure {key}={value}: {context}"
        assert f.expected[key] == value, f"wrong figure at {key}: {value} != {f.expected[key]}: {context}"
    missing = {k: v for k, v in f.expected.items() if k not in got}
    assert not missing, f"figures not read {missing}: {context}"
    for rij, header in f.junk:
        assert any(m.rij == rij and m.kolom == header for m in fouten), f"no fout for junk at rij {rij} {header}: {context}"
    for rij in f.broken:
        assert any(m.rij == rij for m in fouten), f"no fout for the unreadable line {rij}: {context}"
    if not f.junk and not f.broken:
        assert not fouten, f"fout on a clean file: {context}"
    for rij in f.wrong_totals:
        assert any(m.rij == rij and m.ernst is Severity.WAARSCHUWING for m in result.meldingen), \
            f"wrong totals row {rij} not flagged: {context}"
    for rij in f.right_totals:
        assert not any(m.rij == rij for m in result.meldingen), f"right totals row {rij} flagged: {context}"
    if f.peildatum is not None and not f.junk and not f.broken:
        assert result.peildatum == f.peildatum, context
    return result
