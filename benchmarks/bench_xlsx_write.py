"""Writing XLSX (``--format xlsx``): XlsxWriter (what ``opvangkern.output.writers_xlsx`` uses) against openpyxl.

    .venv/bin/python benchmarks/bench_xlsx_write.py [--gebied NL01] [--copies 20] [--rounds 5]

The input is the output of a national dashboard of the bundled sample (``kaarten``, ``gemeenten``,
``realisaties``, ``opgaven``, ``meldingen``), each table repeated ``--copies`` times so that the
workbook is of the size a national dataset gives. Both writers write the same workbook: a sheet per
table, the Dutch labels as headers, numbers as numbers with a display format, dates as dates, frozen
header, autofilter, column widths.

- ``xlsxwriter``: ``opvangkern.output.writers_xlsx.xlsx_bytes`` (streams rows, constant memory per cell);
- ``openpyxl``: ``Workbook(write_only=True)`` with the same formats.

Interleaved round by round (A B, then B A, …) so that both see the same machine load; prints the
medians (seconds, cells per second, bytes) and whether each writer gives the same bytes twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pyarrow as pa  # noqa: E402

import opvangkern  # noqa: E402
from opvangkern.output import writers_xlsx  # noqa: E402
from opvangkern.output.writers import neutralise  # noqa: E402


def tables(gebied: str, copies: int) -> dict[str, pa.Table]:
    named = opvangkern.open_dataset().dashboard(gebied=gebied).tables()
    return {name: pa.concat_tables([t] * copies) for name, t in named.items()}


def with_openpyxl(named: dict[str, pa.Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    wb.properties.created = writers_xlsx.FIXED_CREATED
    wb.properties.modified = writers_xlsx.FIXED_CREATED
    bold = Font(bold=True)
    for name, table in named.items():
        ws = wb.create_sheet(name[:31])
        fields = list(table.schema)
        kinds = [writers_xlsx._kind(f) for f in fields]
        fmts = {"int": writers_xlsx.INTEGER_FORMAT, "float": writers_xlsx.FLOAT_FORMAT,
                "percent": writers_xlsx.PERCENT_FORMAT, "date": writers_xlsx.DATE_FORMAT}
        widths = [len(writers_xlsx._label(f)) for f in fields]
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        # write-only sheets need widths and panes before the rows
        for col, (kind, values) in enumerate(zip(kinds, columns)):
            widths[col] = max([widths[col]] + [writers_xlsx._shown_width(kind, v) for v in values])
        from openpyxl.utils import get_column_letter
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(table.num_rows + 1, 1)}"
        header = []
        for f in fields:
            cell = WriteOnlyCell(ws, writers_xlsx._label(f))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in zip(*columns):
            cells = []
            for kind, value in zip(kinds, row):
                if value is None:
                    cells.append(None)
                    continue
                if kind == "text":
                    value = neutralise(str(value))
                elif kind == "date":
                    value = dt.datetime(value.year, value.month, value.day)
                cell = WriteOnlyCell(ws, value)
                if kind in fmts:
                    cell.number_format = fmts[kind]
                cells.append(cell)
            ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gebied", default="NL01")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    named = tables(args.gebied, args.copies)
    cells = sum(t.num_rows * t.num_columns for t in named.values())
    writers = {"xlsxwriter": writers_xlsx.xlsx_bytes, "openpyxl": with_openpyxl}
    times: dict[str, list[float]] = {k: [] for k in writers}
    sizes: dict[str, int] = {}
    same: dict[str, bool] = {}
    previous: dict[str, bytes] = {}
    for round_ in range(args.rounds):
        order = list(writers) if round_ % 2 == 0 else list(reversed(writers))
        for name in order:
            start = time.perf_counter()
            data = writers[name](named)
            times[name].append(time.perf_counter() - start)
            same[name] = same.get(name, True) and previous.get(name, data) == data
            sizes[name] = len(data)
            previous[name] = data
    print(f"{cells:,} cells in {len(named)} sheets ({args.gebied}, x{args.copies}), {args.rounds} rounds")
    for name in writers:
        median = statistics.median(times[name])
        print(f"{name:<11} {median:7.3f} s  {cells / median:12,.0f} cells/s  {sizes[name]:>10,} bytes  "
              f"same bytes twice: {'ja' if same[name] else 'nee'}")
    ratio = statistics.median(o / x for o, x in zip(times["openpyxl"], times["xlsxwriter"]))
    print(f"openpyxl / xlsxwriter: {ratio:.2f}x")


if __name__ == "__main__":
    main()
