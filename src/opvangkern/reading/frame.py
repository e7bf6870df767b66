"""A pandas ``DataFrame`` as a grid, so that an adapter may read its file with pandas (``kit.Source(df, …)``,
``kit.read_grids(df, …)``, ``kit.SheetTable.read(df, …)``) and get the same checks and meldingen.

Row numbers are those of a sheet holding the DataFrame:

- with column names (``pd.read_csv(path)``, ``pd.read_excel(path)``): the names are row 1 and the data
  rows 2, 3, …, which are the file's own row numbers when its header was on row 1;
- without (``pd.read_csv(path, header=None)``, or ``names=range(n)`` for a file whose title rows have fewer
  fields: the columns are ``0, 1, 2, …``): the data rows are rows
  1, 2, …, so that a file read whole, title rows included, keeps its row numbers exactly
  (``skip_blank_lines=False`` keeps blank rows too).

An index named ``rij`` holds the row numbers themselves (``RealisatieBuilder.read_frame`` gives such a
frame): rows may have been dropped, edited or reordered with pandas, and each keeps its number. Any other
meaningful index (``df.set_index("Gemeente")``) is put back as the first column(s). Missing values
(``NaN``, ``None``, ``pd.NA``, ``NaT``) are empty cells; NumPy numbers become Python numbers, timestamps
``datetime``. ``dtype=str, keep_default_na=False`` gives the kit the text exactly as the file has it, so
that a ``1.010`` or a ``n.v.t.`` is judged by the kit's own rules, not by pandas' guesses.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from opvangkern.reading.sheet import Grid

__all__ = ["is_dataframe", "dataframe_grid"]


def is_dataframe(data: Any) -> bool:
    """True for a pandas DataFrame (checked without importing pandas)."""
    return type(data).__module__.split(".")[0] == "pandas" and hasattr(data, "columns") and hasattr(data, "itertuples")


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    if isinstance(value, bool):
        return value
    module = type(value).__module__.split(".")[0]
    if module == "pandas":
        import pandas as pd  # loaded already: the value comes from a DataFrame

        if value is pd.NA or value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
    if module == "numpy" and hasattr(value, "item"):
        value = value.item()  # numpy int64 → int, float64 → float, datetime64 → datetime or int
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    return str(value)


def _header_text(name: Any) -> str:
    if isinstance(name, tuple):  # a MultiIndex header: its levels in one cell
        return " ".join(str(p) for p in name if p is not None and str(p) and not str(p).startswith("Unnamed:"))
    return "" if name is None else str(name)


def _unreadable(frame: Any) -> dict[str, Any]:
    """The unreadable cells and lines ``read_frame``'s grid had (``frame.attrs["onleesbaar"]``), with the
    cells moved to where their column (labelled by its position in the file) now stands."""
    found = frame.attrs.get("onleesbaar") if isinstance(getattr(frame, "attrs", None), dict) else None
    if not found:
        return {}
    where = {label: i for i, label in enumerate(frame.columns) if isinstance(label, int)}
    return {"bad_rows": dict(found.get("bad_rows", {})),
            "bad_cells": {(r, where[c]): v for (r, c), v in found.get("bad_cells", {}).items() if c in where},
            "filled": frozenset((r, where[c]) for r, c in found.get("filled", ()) if c in where),
            "struck": frozenset((r, where[c]) for r, c in found.get("struck", ()) if c in where)}


def dataframe_grid(frame: Any, bestand: str) -> Grid:
    """The grid of ``frame`` (see the module's docstring for its row numbers)."""
    index = frame.index
    blad = frame.attrs.get("blad") if isinstance(getattr(frame, "attrs", None), dict) else None
    if index.name == "rij" and getattr(index, "nlevels", 1) == 1:  # row numbers kept (``read_frame``)
        numbers = [int(r) for r in index]
        order = sorted(range(len(numbers)), key=numbers.__getitem__)  # the file's order, whatever pandas did
        values = list(frame.itertuples(index=False, name=None))
        rows_kept = [(numbers[i], tuple(_cell(v) for v in values[i])) for i in order]
        return Grid(bestand, blad, tuple(rows_kept), "dataframe", **_unreadable(frame))
    default_index = type(index).__name__ == "RangeIndex" and index.name is None
    if not default_index:
        frame = frame.reset_index()
    columns = frame.columns
    unnamed = list(columns) == list(range(len(columns)))  # header=None, or names=range(n)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    if not unnamed:
        rows.append((1, tuple(_header_text(c) for c in columns)))
    start = len(rows) + 1
    for offset, values in enumerate(frame.itertuples(index=False, name=None)):
        rows.append((start + offset, tuple(_cell(v) for v in values)))
    return Grid(bestand, blad, tuple(rows), "dataframe")
