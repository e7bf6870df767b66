"""``Dashboard.to_pandas()``: every output table as a pandas DataFrame with real dtypes.

- counts (``int64`` in Arrow) are pandas' nullable ``Int64``: a missing count stays missing (``<NA>``)
  and a whole number stays whole (pyarrow's own ``to_pandas`` makes them ``float64`` with ``NaN``);
- dates are ``datetime64`` (not Python ``date`` objects), so that they sort, filter and plot as dates;
- ``opgave`` (and ``naar_opgave``), ``status``, ``prognose`` and ``gebied_niveau`` are ordered categoricals,
  in the dashboard's order (the tasks as the cards show them; ``op_schema``, ``licht_achter``, ``achter``,
  ``geen_opgave``; ``bereikt`` … ``onbekend``; ``gemeente`` … ``land``). A value outside that order (a task of
  a further adapter) is added after it, never turned into a missing value;
- floats stay ``float64`` (a missing value is ``NaN``), texts pandas' string dtype.

pandas is imported here only, when this is called: ``import opvangkern`` and the command line never load it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from opvangkern.dashboard.lookup import LEVEL_ORDER, PROGNOSE_ORDER, STATUS_ORDER
from opvangkern.model import TASK_KEYS

__all__ = ["to_pandas", "table_to_pandas", "CATEGORIES"]

CATEGORIES: Mapping[str, tuple[str, ...]] = {
    "opgave": TASK_KEYS,
    "naar_opgave": TASK_KEYS,
    "status": STATUS_ORDER,
    "prognose": PROGNOSE_ORDER,
    "gebied_niveau": LEVEL_ORDER,
}
"""The columns that become ordered categoricals, with their order."""

PANDAS_MISSING = 'pandas is niet geïnstalleerd; installeer het met: pip install "opvangkern[pandas]"'


def _pandas():
    from opvangkern._pandas_shim import load_pandas

    try:
        return load_pandas()
    except ImportError as exc:
        raise ImportError(PANDAS_MISSING) from exc


def table_to_pandas(table: pa.Table, categorical: bool = True) -> Any:
    """One table as a DataFrame with the dtypes described above (``categorical=False``: no categoricals)."""
    pd = _pandas()
    integers = {pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32()}
    mapping = {t: pd.Int64Dtype() for t in integers}
    frame = table.to_pandas(types_mapper=mapping.get, date_as_object=False)
    for name in table.column_names:
        if pa.types.is_date(table.schema.field(name).type) and frame[name].dtype.kind != "M":
            frame[name] = pd.to_datetime(frame[name])
    if categorical:
        for name, order in CATEGORIES.items():
            if name not in frame.columns or table.num_columns == 0:
                continue
            values = [v for v in table.column(name).to_pylist() if v is not None]
            extra = sorted(set(values) - set(order))
            frame[name] = pd.Categorical(frame[name].astype(object).where(frame[name].notna(), None),
                                         categories=[*order, *extra], ordered=True)
    return frame


def to_pandas(named_tables: Mapping[str, pa.Table], categorical: bool = True) -> dict[str, Any]:
    """``{name: DataFrame}`` of ``named_tables`` (as ``Dashboard.tables()`` gives them)."""
    return {name: table_to_pandas(table, categorical) for name, table in named_tables.items()}
