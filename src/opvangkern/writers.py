"""Writing the output tables: CSV, Parquet and Arrow IPC, atomically and deterministically.

Every file is written to a temporary file beside its target and renamed into place only when all
files of the call are complete, so a reader never sees half a file or half a set.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

FORMATS = ("csv", "parquet", "arrow")
# A spreadsheet runs a text cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_bytes(table: pa.Table) -> bytes:
    """SPEC §8 CSV: UTF-8, comma-separated, ``.`` decimal point, no thousands separator, empty for
    null, formula-like text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    for row in zip(*columns):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def parquet_bytes(table: pa.Table) -> bytes:
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    # Arrow schema (with the field labels) is stored by default; statistics and dictionary settings are
    # fixed so the same table always gives the same bytes.
    pq.write_table(table, sink, compression="zstd", write_statistics=True, use_dictionary=True,
                   store_schema=True)
    return sink.getvalue().to_pybytes()


def arrow_bytes(table: pa.Table) -> bytes:
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _default_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_file_mode()

ENCODERS = {"csv": csv_bytes, "parquet": parquet_bytes, "arrow": arrow_bytes}


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary name first, then rename them all into place."""
    pending: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            pending.append((tmp, target))
            os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; outputs are meant to be shared
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in pending:
            os.replace(tmp, target)
        pending.clear()
    finally:
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def write_tables(named_tables: Mapping[str, pa.Table], folder: Path, fmt: str) -> list[Path]:
    """Write ``<tabel>.<fmt>`` for every table into ``folder``; returns the paths written."""
    if fmt not in ENCODERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    encode = ENCODERS[fmt]
    files = {folder / f"{name}.{fmt}": encode(table) for name, table in named_tables.items()}
    write_atomically(files)
    return list(files)
