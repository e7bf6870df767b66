"""What a vectorised CSV path could win per file, measured (issue 16, target 2).

    .venv/bin/python benchmarks/bench_arrow_split.py [DATASET] [--every 4] [--rounds 5]

Issue 16 suggests reading a regular CSV file with ``pyarrow.csv`` and applying the Dutch habits as array
operations. This script measures, per source file of a generated national history (default: the 260-week
set) and in one process, the CPU time (``time.process_time``) of:

- ``floor``: ``pyarrow.csv.read_csv`` as ``benchmarks/floor_csv.py`` calls it (types inferred; note that
  it reads a Dutch thousands separator such as ``1.083`` as the float 1.083, so it is no reader we could use);
- ``arrow strings``: ``read_csv`` with every column read as text, which any correct vectorised path needs
  (the Dutch number habits must be checked before anything is converted);
- ``arrow + checks``: that, plus the least array work such a path must do on every file: each count
  column (the columns whose every cell is a number, found before timing) checked against a plain-number pattern, its thousands dots taken out and cast to ``int64``, the
  area column looked up among the names of the file before (``index_in``) and the first column tested
  for a totals label (``starts_with``): a lower bound, with no melding, no row number and no fallback;
- ``our split``: opvangkern's grid of the same text (``sheet._csv_grid``: decoding included), the part
  that a vectorised path would replace;
- ``SheetTable.read``: the kit's whole read of the table (grid, header, scan), as each adapter calls it;
- ``adapter read``: the adapter's whole read of the file (with the realisaties table and its checks).

Each step runs on every file in turn, the order of the steps rotated from file to file; medians over the
rounds of the per-file mean. The result it was written for (``docs/performance.md``, target 2): on files of
the national size (343–585 lines) ``pyarrow.csv`` costs more per call than the split it would replace.
"""

from __future__ import annotations

import argparse
import glob
import io
import statistics
import time
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

HERE = Path(__file__).resolve().parent
COUNT_PATTERN = r"^[0-9]{1,3}(\.[0-9]{3})*$|^[0-9]+$|^$"


def header_line(raw: bytes) -> tuple[int, str, str]:
    """(lines above the header, separator, encoding), as ``floor_csv.py`` finds them."""
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("floor_csv", HERE / "floor_csv.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.header_line(raw)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", nargs="?", default="/tmp/bench_w/keep/nationaal-260-weken", type=Path)
    parser.add_argument("--every", type=int, default=4, help="every n-th file (default 4)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    from opvangkern.areas import load_division
    from opvangkern.reading import sheet
    from opvangkern.reading import table as table_module
    from opvangkern.sources.adapter import Source
    import opvangkern_coa
    import opvangkern_kcio
    import opvangkern_nidos
    import opvangkern_tvs

    division = load_division()
    adapters = {"coa": opvangkern_coa.CoaAdapter(), "kcio": opvangkern_kcio.KcioAdapter(),
                "tvs": opvangkern_tvs.TvsAdapter(), "nidos": opvangkern_nidos.NidosAdapter()}
    paths = sorted(glob.glob(str(args.dataset / "bronnen" / "*.csv")))[::args.every]
    files = []
    calls: list = []
    original = table_module.SheetTable.read.__func__

    def spy(cls, data, bestand, layouts, **kw):  # the arguments each adapter passes
        calls.append((data.getvalue(), bestand, layouts, kw))
        return original(cls, data, bestand, layouts, **kw)

    table_module.SheetTable.read = classmethod(spy)
    try:
        for path in paths:
            raw = Path(path).read_bytes()
            name = Path(path).name
            before = len(calls)
            adapters[name.split("-")[0]].read(Source(io.BytesIO(raw), name, division=division))
            if len(calls) != before + 1:
                continue  # a file read in more than one table: not this comparison's
            skip, separator, encoding = header_line(raw)
            text, _, _ = sheet.decode_text(raw)
            files.append([name.split("-")[0], name, raw, skip, separator, encoding, text, calls[-1], None])
    finally:
        table_module.SheetTable.read = classmethod(original)

    previous_names: dict[str, pa.Array] = {}

    def floor(f):
        _, _, raw, skip, separator, encoding = f[:6]
        pacsv.read_csv(io.BytesIO(raw), read_options=pacsv.ReadOptions(skip_rows=skip, encoding=encoding),
                       parse_options=pacsv.ParseOptions(delimiter=separator))

    def strings(f):
        _, _, raw, skip, separator, encoding = f[:6]
        return pacsv.read_csv(io.BytesIO(raw), read_options=pacsv.ReadOptions(skip_rows=skip, encoding=encoding),
                              parse_options=pacsv.ParseOptions(delimiter=separator),
                              convert_options=pacsv.ConvertOptions(column_types=_all_text(raw, skip, separator,
                                                                                          encoding),
                                                                   strings_can_be_null=False))

    def checks(f):
        source = f[0]
        table = strings(f)
        names = [n for n in table.column_names if n.lower().startswith("gemeente") and "code" not in n.lower()]
        area = table.column(names[0] if names else table.column_names[0])
        known = previous_names.get(source)
        if known is None:
            known = previous_names[source] = pc.unique(area)
        pc.index_in(area, value_set=known)
        pc.starts_with(table.column(0), "Totaal")
        for name in f[8]:  # the count columns only (found once, before timing)
            column = table.column(name)
            if pc.all(pc.match_substring_regex(column, COUNT_PATTERN)).as_py():
                plain = pc.replace_substring(column, ".", "")
                pc.cast(pc.if_else(pc.equal(plain, ""), None, plain), pa.int64())

    def split(f):
        name, raw = f[1], f[2]
        text, _, encoding = sheet.decode_text(raw)
        for delimiter in sheet.sniff_delimiters(text)[:1]:
            sheet._csv_grid(text, name, delimiter, encoding)

    def kit_read(f):
        data, bestand, layouts, kw = f[7]
        table_module.SheetTable.read(io.BytesIO(data), bestand, layouts, **kw)

    def adapter_read(f):
        source, name, raw = f[0], f[1], f[2]
        adapters[source].read(Source(io.BytesIO(raw), name, division=division))

    for f in files:  # the count columns: every cell a plain number, a thousands-dot number or empty
        table = strings(f)
        f[8] = [n for n in table.column_names
                if pc.all(pc.match_substring_regex(table.column(n), COUNT_PATTERN)).as_py()
                and pc.any(pc.not_equal(table.column(n), "")).as_py()]
    steps = {"floor": floor, "arrow strings": strings, "arrow + checks": checks, "our split": split,
             "SheetTable.read": kit_read, "adapter read": adapter_read}
    for f in files:  # every step once before timing (first-use work: imports, memos)
        for step in steps.values():
            step(f)
    per_round: dict[tuple[str, str], list[float]] = defaultdict(list)
    names = list(steps)
    for r in range(args.rounds):
        spent: dict[tuple[str, str], float] = defaultdict(float)
        counted: dict[str, int] = defaultdict(int)
        for i, f in enumerate(files):
            counted[f[0]] += 1
            k = (i + r) % len(names)
            for step in names[k:] + names[:k]:
                start = time.process_time()
                steps[step](f)
                spent[f[0], step] += time.process_time() - start
        for (source, step), seconds in spent.items():
            per_round[source, step].append(seconds / counted[source] * 1000)
    sources = sorted({f[0] for f in files})
    print(f"{len(files)} files of {args.dataset.name}, {args.rounds} rounds; CPU ms per file (median of rounds)")
    print(f"{'step':18s}" + "".join(f"{s:>9s}" for s in sources) + f"{'all':>9s}")
    for step in names:
        values = [statistics.median(per_round[s, step]) for s in sources]
        print(f"{step:18s}" + "".join(f"{v:9.2f}" for v in values) + f"{statistics.mean(values):9.2f}")


def _all_text(raw: bytes, skip: int, separator: str, encoding: str) -> dict[str, pa.DataType]:
    """Every column of the file's header as text."""
    text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    header = text.splitlines()[skip]
    return {name.strip('"'): pa.string() for name in header.split(separator)}


if __name__ == "__main__":
    main()
