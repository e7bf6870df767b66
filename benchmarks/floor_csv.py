"""The floor of reading a dataset: every CSV file under a folder parsed by ``pyarrow.csv.read_csv``.

    python benchmarks/floor_csv.py DATASET

One process, as ``opvangkern dashboard`` is one: the interpreter, ``import pyarrow.csv`` and a
C++ parse of every byte into Arrow columns, with only what the files need to be parseable at all
(the header row found, the separator and encoding of the layout); no area matching, no checks, no
engine. Prints the files and rows read. ``benchmarks/run.py --only history`` times opvangkern
against this.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.csv as pacsv


def header_line(raw: bytes) -> tuple[int, str, str]:
    """(lines above the header, separator, encoding) of one of the generated layouts."""
    encoding = "utf-8"
    try:
        text = raw[:4096].decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = raw[:4096].decode("cp1252")
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(("Gemeente", "Veiligheidsregio", "Peildatum,")):
            return index, (";" if line.count(";") > line.count(",") else ","), encoding
    return 0, ",", encoding


def main(folder: Path) -> None:
    files = rows = 0
    for path in sorted(folder.rglob("*.csv")):
        raw = path.read_bytes()
        skip, separator, encoding = header_line(raw)
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=skip, encoding=encoding),
            parse_options=pacsv.ParseOptions(delimiter=separator),
        )
        files += 1
        rows += table.num_rows
    print(f"{files} files, {rows} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
