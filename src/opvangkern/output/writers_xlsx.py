"""``--format xlsx``: every output table as a sheet of one Excel workbook, ready to sort, filter and sum.

- one sheet per table, in the order of ``Dashboard.tables()``, named after the table (``kaarten``, …);
- the header row holds the Dutch labels (the field metadata ``label``), bold, frozen, with an autofilter
  over the whole table; every column as wide as its contents (within bounds);
- numbers are numbers and dates are dates (never text), shown in Dutch display formats: Excel formats
  ``#,##0`` as ``1.010`` in a Dutch Excel, dates as ``31-12-2025``, a ratio (``realisatiegraad``) as
  a percentage; a missing value is an empty cell;
- a text cell that a spreadsheet would run as a formula is neutralised as in the CSV files
  (``opvangkern.output.writers.neutralise``), and XlsxWriter is told never to read text as a formula or number;
- a sheet ``toelichting`` lists every column: table, column name, label and description, and the
  dataset, area and peildata of the schema metadata;
- the same tables give the same bytes: fixed document properties (the creation date is a constant, the
  title the dataset's name) and XlsxWriter's fixed timestamps inside the zip.

XlsxWriter is imported when a workbook is written (``docs/dependencies.md`` says why this writer).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping

import pyarrow as pa

from opvangkern.output.writers import neutralise

__all__ = ["xlsx_bytes", "write_workbook", "FIXED_CREATED"]

FIXED_CREATED = dt.datetime(2000, 1, 1)
"""The workbook's creation date property: a constant, so that the same tables give the same bytes."""

INTEGER_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0##"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "dd-mm-yyyy"
_RATIO_COLUMNS = {"realisatiegraad"}
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def _label(field: pa.Field) -> str:
    meta = field.metadata or {}
    label = meta.get(b"label")
    return label.decode("utf-8") if label else field.name


def _description(field: pa.Field) -> str:
    meta = field.metadata or {}
    text = meta.get(b"beschrijving")
    return text.decode("utf-8") if text else ""


def _kind(field: pa.Field) -> str:
    t = field.type
    if field.name in _RATIO_COLUMNS and pa.types.is_floating(t):
        return "percent"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        return "date"
    if pa.types.is_boolean(t):
        return "bool"
    return "text"


def _shown_width(kind: str, value: object) -> int:
    """About how many characters Excel shows for ``value`` in the column's display format."""
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind == "int":
        return len(f"{value:,}")
    if kind == "float":
        return len(f"{value:,.3f}".rstrip("0").rstrip("."))
    if kind == "percent":
        return 7
    return max((len(part) for part in str(value).splitlines()), default=0)


def _metadata(table: pa.Table) -> dict[str, str]:
    meta = table.schema.metadata or {}
    return {k.decode("utf-8"): v.decode("utf-8") for k, v in meta.items() if not k.startswith(b"ARROW")}


def write_workbook(named_tables: Mapping[str, pa.Table], target) -> None:
    """Write the workbook to ``target`` (a path or a binary stream)."""
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
               "nan_inf_to_errors": True, "default_date_format": DATE_FORMAT, "in_memory": True}
    workbook = xlsxwriter.Workbook(target, options)
    first = next(iter(named_tables.values()), None)
    meta = _metadata(first) if first is not None else {}
    workbook.set_properties({
        "title": meta.get("dataset", "opvangkern"),
        "subject": f"{meta.get('gebied_naam', '')} ({meta.get('gebied_code', '')})".strip(" ()"),
        "author": "opvangkern",
        "comments": "Gemaakt met opvangkern dashboard --format xlsx",
        "created": FIXED_CREATED,
    })
    formats = {
        "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
        "int": workbook.add_format({"num_format": INTEGER_FORMAT}),
        "float": workbook.add_format({"num_format": FLOAT_FORMAT}),
        "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "text": None,
        "bool": None,
    }
    for name, table in named_tables.items():
        _write_sheet(workbook, name[:31], table, formats)
    _write_notes(workbook, named_tables, meta, formats["header"])
    workbook.close()


def _write_sheet(workbook, name: str, table: pa.Table, formats: dict) -> None:
    if not _WIDTHS_BY_COLUMN:
        _write_sheet_reference(workbook, name, table, formats)
        return
    sheet = workbook.add_worksheet(name)
    fields = list(table.schema)
    kinds = [_kind(f) for f in fields]
    widths = [len(_label(f)) for f in fields]
    for col, field in enumerate(fields):
        sheet.write_string(0, col, _label(field), formats["header"])
    for col, kind in enumerate(kinds):
        column = table.column(col)
        _write_column(sheet, col, column.to_pylist(), kind, formats[kind])
        widths[col] = max(widths[col], _column_width(kind, column))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if fields:
        sheet.autofilter(0, 0, max(table.num_rows, 1) if table.num_rows else 0, len(fields) - 1)


def _write_sheet_reference(workbook, name: str, table: pa.Table, formats: dict) -> None:
    """:func:`_write_sheet` as it was before issue 16's ninth session (every cell measured as it is written):
    the oracle of ``tests/test_xlsx_widths.py``, the same bytes."""
    sheet = workbook.add_worksheet(name)
    fields = list(table.schema)
    kinds = [_kind(f) for f in fields]
    widths = [len(_label(f)) for f in fields]
    for col, field in enumerate(fields):
        sheet.write_string(0, col, _label(field), formats["header"])
    for col, (field, kind) in enumerate(zip(fields, kinds)):
        values = table.column(col).to_pylist()
        fmt = formats[kind]
        for offset, value in enumerate(values, start=1):
            if value is None:
                continue
            if kind in ("int", "float", "percent"):
                sheet.write_number(offset, col, value, fmt)
            elif kind == "date":
                day = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                sheet.write_datetime(offset, col, day, fmt)
            elif kind == "bool":
                sheet.write_boolean(offset, col, bool(value))
            else:
                sheet.write_string(offset, col, neutralise(str(value)))
            widths[col] = max(widths[col], _shown_width(kind, value))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if fields:
        sheet.autofilter(0, 0, max(table.num_rows, 1) if table.num_rows else 0, len(fields) - 1)


def _write_column(sheet, col: int, values: list, kind: str, fmt) -> None:
    """Every cell of one column, row by row (the order of the cells, and so of the shared strings, is the one of
    a loop over the column: the same bytes). A text's neutralised form and a date's ``datetime`` are made once
    per distinct value (issue 16: a history's columns repeat a few values over 400,000 rows)."""
    if kind in ("int", "float", "percent"):
        write_number = sheet.write_number
        for row, value in enumerate(values, start=1):
            if value is not None:
                write_number(row, col, value, fmt)
    elif kind == "date":
        write_datetime = sheet.write_datetime
        days: dict = {}
        for row, value in enumerate(values, start=1):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                day = value
            else:
                day = days.get(value)
                if day is None:
                    day = days[value] = dt.datetime(value.year, value.month, value.day)
            write_datetime(row, col, day, fmt)
    elif kind == "bool":
        for row, value in enumerate(values, start=1):
            if value is not None:
                sheet.write_boolean(row, col, bool(value))
    else:
        write_string = sheet.write_string
        shown: dict[str, str] = {}
        for row, value in enumerate(values, start=1):
            if value is None:
                continue
            if type(value) is str:
                text = shown.get(value)
                if text is None:
                    text = shown[value] = neutralise(value)
            else:
                text = neutralise(str(value))
            write_string(row, col, text)


def _column_width_reference(kind: str, column: pa.ChunkedArray | pa.Array) -> int:
    """The widest value's ``_shown_width``, value by value: the oracle of :func:`_column_width`."""
    return max((_shown_width(kind, value) for value in column.to_pylist()), default=0)


def _column_width(kind: str, column: pa.ChunkedArray | pa.Array) -> int:
    """:func:`_column_width_reference` without a step per row (issue 16: at five years of history the estimate
    was a quarter of the workbook's time): a date or ratio shows a fixed width, a whole number is widest at its
    minimum or maximum, a text at one of its distinct values, a float by its digits counted in NumPy
    (:func:`_float_width`). The same widths, exactly (``tests/test_xlsx_widths.py``)."""
    import pyarrow.compute as pc

    if len(column) == column.null_count:
        return 0
    if kind in ("date", "percent"):
        return _shown_width(kind, 0)
    if kind == "int" and pa.types.is_integer(column.type):
        low, high = pc.min_max(column).values()
        return max(_shown_width(kind, low.as_py()), _shown_width(kind, high.as_py()))
    if kind == "float" and pa.types.is_floating(column.type):
        return _float_width(column)
    try:
        distinct = pc.unique(column)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        return _column_width_reference(kind, column)
    return _column_width_reference(kind, distinct)


def _float_width(column: pa.ChunkedArray | pa.Array) -> int:
    """``max(_shown_width("float", v))`` over a float column. ``f"{v:,.3f}"`` with its trailing zeros and point
    stripped is the sign, the integer part with its separators, and 0, 2, 3 or 4 characters of decimals, all
    read off ``q``, ``|v|`` rounded to thousandths. NumPy's ``rint(|v| * 1000)`` is that rounding wherever the
    product lies clearly away from a half (its error is far below the margin); a value close to a half, a
    very large one, a NaN or an infinity is measured by ``_shown_width`` itself."""
    import numpy as np

    values = column.drop_null()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    v = values.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    a = np.abs(v)
    with np.errstate(invalid="ignore", over="ignore"):
        m = a * 1000.0
        q = np.rint(m)
        # Near a half (or too large for exact thousandths), NumPy's product may round otherwise than Python.
        unsure = ~np.isfinite(m) | (a >= 1e12) | (np.abs(np.abs(m - np.floor(m)) - 0.5) <= 1e-9 + np.abs(m) * 1e-15)
    sure = ~unsure
    best = max((_shown_width("float", float(x)) for x in np.unique(v[unsure])), default=0)
    if not sure.any():
        return best
    q = q[sure].astype(np.int64)
    whole, thousandths = q // 1000, q % 1000
    digits = np.searchsorted(_POWERS_OF_TEN, whole, side="right") + 1
    decimals = np.where(thousandths == 0, 0, np.where(thousandths % 10 != 0, 4, np.where(thousandths % 100 != 0, 3, 2)))
    width = np.signbit(v[sure]).astype(np.int64) + digits + (digits - 1) // 3 + decimals
    return max(best, int(width.max()))


_POWERS_OF_TEN = [10 ** k for k in range(1, 19)]
_WIDTHS_BY_COLUMN = True
"""Sheets by :func:`_write_sheet`; False: by ``_write_sheet_reference``, value by value (the tests compare)."""


def _write_notes(workbook, named_tables: Mapping[str, pa.Table], meta: dict[str, str], header) -> None:
    sheet = workbook.add_worksheet("toelichting")
    row = 0
    for key, label in (("dataset", "Dataset"), ("gebied_naam", "Gebied"), ("gebied_code", "Gebiedscode"),
                       ("peildata", "Peildata per bron"), ("opvangkern_schema_version", "Versie van de tabellen")):
        if key not in meta:
            continue
        value = meta[key]
        if key == "peildata":
            try:
                value = ", ".join(f"{k}: {v}" for k, v in json.loads(value).items())
            except (ValueError, AttributeError):
                pass
        sheet.write_string(row, 0, label, header)
        sheet.write_string(row, 1, neutralise(value))
        row += 1
    row += 1
    start = row
    for col, text in enumerate(("Blad", "Kolom", "Kop", "Beschrijving")):
        sheet.write_string(row, col, text, header)
    for name, table in named_tables.items():
        for field in table.schema:
            row += 1
            for col, text in enumerate((name[:31], field.name, _label(field), _description(field))):
                sheet.write_string(row, col, neutralise(text))
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 3, 90)
    sheet.autofilter(start, 0, row, 3)


def xlsx_bytes(named_tables: Mapping[str, pa.Table]) -> bytes:
    """The workbook of ``named_tables`` (name → table, as ``Dashboard.tables()`` gives them) as bytes."""
    out = io.BytesIO()
    write_workbook(named_tables, out)
    return out.getvalue()
