"""Reading XLSX: python-calamine (what the kit uses) against openpyxl read-only, on a national COA file.

    .venv/bin/python benchmarks/bench_xlsx.py [--rows 6000] [--rounds 7] [--keep FILE]

Writes one realistic workbook (openpyxl, seeded): a national COA overview per location, all 342
municipalities with 5–30 locations each, two title rows (the peildatum as a real date cell), a blank
row, the header, codes as numbers, counts as numbers and some as Dutch text (``1.010``), a few extra
columns, a ``Totaal`` row and a footnote. Then, interleaved round by round (A B C D, then D C B A, …, so
that every variant sees the same machine load), it measures:

- ``calamine``: ``CalamineWorkbook.from_filelike(...).get_sheet_by_name(...).to_python()``;
- ``openpyxl``: ``load_workbook(read_only=True, data_only=True)`` and ``iter_rows(values_only=True)``;
- ``kit``: ``opvangkern.reading.sheet.read_grids`` (calamine plus merged cells, cleaning, row numbers);
- ``adapter``: the COA adapter end to end (grid, header, areas, counts, totals row, ``AdapterResult``).

It prints the medians (seconds and rows per second) and the median of the per-round ratios
openpyxl / calamine. Both readers must give the same cells (checked first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opvangkern.areas import load_division  # noqa: E402

KINDS = (("regulier", "AZC", 40, 1400), ("noodopvang", "NOL", 20, 600), ("TGO", "TGO", 10, 120),
         ("AMV", "KWE", 8, 60))


def national_coa_rows(target_rows: int, seed: int = 20251231) -> list[list]:
    """Location rows for all 342 municipalities, about ``target_rows`` of them."""
    rng = random.Random(seed)
    gemeenten = list(load_division().gemeenten)
    per = max(1, target_rows // len(gemeenten))
    rows = []
    for g in gemeenten:
        for i in range(rng.randint(max(1, per // 3), per * 5 // 3)):
            kind, prefix, low, high = rng.choices(KINDS, (0.45, 0.25, 0.15, 0.15))[0]
            capaciteit = rng.randint(low, high)
            bezetting = round(capaciteit * rng.uniform(0.75, 1.0))
            cap_cell = f"{capaciteit:,}".replace(",", ".") if rng.random() < 0.2 else capaciteit  # some as text
            rows.append([g.naam, int(g.code[2:]), f"{prefix} {g.naam} {i + 1}", kind, cap_cell, bezetting,
                         f"Straat {rng.randint(1, 200)}", "" if rng.random() < 0.9 else "tijdelijk"])
    return rows


def national_coa_xlsx(target_rows: int) -> tuple[bytes, int]:
    """The workbook and its number of data rows."""
    from openpyxl import Workbook

    rows = national_coa_rows(target_rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaciteit"
    ws.append(["COA - Capaciteit en bezetting per opvanglocatie, landelijk"])
    ws.append(["Peildatum", dt.date(2025, 12, 31)])
    ws["B2"].number_format = "d-m-yyyy"
    ws.append([])
    ws.append(["Gemeente", "Gemeentecode", "Locatie", "Opvangvorm", "Capaciteit", "Bezetting", "Adres",
               "Opmerking"])
    for row in rows:
        ws.append(row)
    total_cap = sum(int(str(r[4]).replace(".", "")) for r in rows)
    ws.append(["Totaal", None, None, None, total_cap, sum(r[5] for r in rows)])
    ws.append(["Bron: COA, bewerkt"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), len(rows)


def read_calamine(raw: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    return wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)


def read_openpyxl(raw: bytes) -> list[list]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def _cold() -> None:
    """Empty the kit's memos and drop the workbook it keeps open: each round starts cold."""
    from opvangkern.reading import sheet

    from opvangkern.reading import values
    values.clear_memos()
    sheet.forget_workbook()


def read_kit(raw: bytes) -> list:
    from opvangkern.reading.sheet import read_grids

    _cold()
    grids, meldingen = read_grids(raw, "coa.xlsx")
    assert not meldingen
    return list(grids[0].rows)


def read_adapter(raw: bytes) -> int:
    from opvangkern.sources.adapter import Source
    from opvangkern_coa import CoaAdapter

    _cold()
    result = CoaAdapter().read(Source(io.BytesIO(raw), "coa.xlsx"))
    assert not any(m.is_error for m in result.meldingen), result.meldingen[:3]
    return result.realisaties.num_rows


def _same_cells(a: list[list], b: list[list]) -> bool:
    def norm(rows):
        out = []
        for row in rows:
            cells = ["" if c is None else (c.date() if isinstance(c, dt.datetime) else c) for c in row]
            cells = [float(c) if isinstance(c, int) else c for c in cells]
            while cells and cells[-1] == "":
                cells.pop()
            out.append(cells)
        while out and not out[-1]:
            out.pop()
        return out
    return norm(a) == norm(b)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=6000, help="about this many location rows (default 6000)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--keep", type=Path, help="also write the workbook to this file")
    args = parser.parse_args(argv)

    raw, n_rows = national_coa_xlsx(args.rows)
    if args.keep:
        args.keep.write_bytes(raw)
    sheet_rows = len(read_calamine(raw))
    print(f"workbook: {len(raw) / 1e6:.2f} MB, {n_rows} location rows, {sheet_rows} sheet rows; "
          f"python {sys.version.split()[0]}", flush=True)
    assert _same_cells(read_calamine(raw), read_openpyxl(raw)), "calamine and openpyxl read different cells"

    variants = {"calamine": read_calamine, "openpyxl": read_openpyxl, "kit": read_kit, "adapter": read_adapter}
    for fn in variants.values():
        fn(raw)  # warm-up: imports, division, caches
    times: dict[str, list[float]] = {name: [] for name in variants}
    ratios = []
    for i in range(args.rounds):
        order = list(variants) if i % 2 == 0 else list(reversed(variants))
        took = {}
        for name in order:
            start = time.perf_counter()
            variants[name](raw)
            took[name] = time.perf_counter() - start
            times[name].append(took[name])
        ratios.append(took["openpyxl"] / took["calamine"])
    print(f"{'reader':<10} {'median s':>9} {'rows/s':>10}   (rounds: {args.rounds}, interleaved)")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:<10} {med:>9.3f} {sheet_rows / med:>10,.0f}")
    print(f"openpyxl / calamine: {statistics.median(ratios):.1f}x (median of per-round ratios; "
          f"range {min(ratios):.1f}-{max(ratios):.1f}x)")


if __name__ == "__main__":
    main()
