"""The column-wise CSV encoder behind :func:`opvangkern.output.writers.csv_bytes` (issue 16).

The row by row writer (:func:`opvangkern.output.writers.csv_bytes_reference`, the oracle) renders every
cell with ``_csv_cell`` and hands each row to the ``csv`` module: ~10 µs a row, 8–9 s for the 260-week
national tables. Here every column becomes one Arrow string array holding each cell exactly as the oracle
writes it, and Arrow joins the columns into lines:

- text (``string``, ``large_string``, a dictionary of those): each *distinct* value is neutralised
  (``writers.neutralise``) and quoted by the ``csv`` module itself (one field at a time, so that the
  rules are those of the running Python: ``,``, ``"`` and a line break quote a field in 3.11, a lone
  ``\\r`` does not), then spread over the rows by index;
- whole numbers and truth values: Arrow's cast to text (``str(int)``; ``true``/``false``);
- floats: ``repr`` of each distinct value, told apart by its bits (the oracle's rule, so ``1e+16``,
  ``-0.0``, ``nan``, ``inf`` stay);
- dates (``date32``) between 0001-01-01 and 9999-12-31: Arrow's cast (``YYYY-MM-DD``, as ``isoformat``);
- null: empty.

A field is quoted per field by ``csv.writer`` (QUOTE_MINIMAL) independently of its row, but for one
case: a row of one empty field is written ``""``; a one-column table gets that rendering too. A table
without columns, or with a column of another type (timestamps, binary, decimals, nested, dates outside
``datetime.date``'s range), is left to the oracle (``None`` here), so the output is the oracle's in
every case: ``tests/test_csv_fast.py`` compares the two on hypothesis tables and on the dashboards.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pyarrow as pa

_BATCH = 1 << 16
"""Rows joined per Arrow call: bounds the temporary arrays (and keeps every offset far from 2**31)."""
_FIRST_DAY, _LAST_DAY = -719162, 2932896  # 0001-01-01 and 9999-12-31 in days since 1970-01-01


def csv_bytes(table: pa.Table) -> bytes | None:
    """The CSV bytes of ``table`` as ``csv_bytes_reference`` writes them, or ``None`` when a column needs
    the oracle (see the module's text)."""
    if table.num_columns == 0:
        return None
    renderers = [_renderer(field.type) for field in table.schema]
    if any(r is None for r in renderers):
        return None
    columns = []
    for column, render in zip(table.columns, renderers):
        rendered = render(column)
        if rendered is None:
            return None
        columns.append(rendered)
    if table.num_columns == 1:
        columns[0] = _lone_empty_quoted(columns[0])
    parts = [_line(table.column_names).encode("utf-8")]
    n = table.num_rows
    for start in range(0, n, _BATCH):
        parts.append(_join_lines([c.slice(start, _BATCH) for c in columns]))
    return b"".join(parts)


# --- one column as text -----------------------------------------------------------------------------

def _renderer(kind: pa.DataType) -> Callable[[pa.ChunkedArray], pa.Array | None] | None:
    if pa.types.is_dictionary(kind):
        value = kind.value_type
        if pa.types.is_string(value) or pa.types.is_large_string(value):
            return _text_column
        return None
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _text_column
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        return _cast_column
    if pa.types.is_float32(kind) or pa.types.is_float64(kind):
        return _float_column
    if pa.types.is_date32(kind):
        return _date_column
    if pa.types.is_null(kind):
        return _null_column
    return None


def _text_column(column: pa.ChunkedArray) -> pa.Array:
    """Each distinct text neutralised and quoted once, then taken by index; null empty."""
    import pyarrow.compute as pc

    array = _one_array(column)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    encoded = pc.dictionary_encode(array)
    quote = _FieldQuoter()
    from opvangkern.output.writers import neutralise

    texts = [quote(neutralise(v)) for v in encoded.dictionary.to_pylist()]
    return pa.array(texts, pa.large_string()).take(encoded.indices).fill_null("")


def _cast_column(column: pa.ChunkedArray) -> pa.Array:
    import pyarrow.compute as pc

    return pc.cast(_one_array(column), pa.large_string()).fill_null("")


def _float_column(column: pa.ChunkedArray) -> pa.Array:
    """``repr`` of every distinct value (the oracle's rule), spread by index; empty for null. Values are
    told apart by their bits, so ``-0.0`` stays apart from ``0.0``."""
    import numpy as np

    import pyarrow.compute as pc

    from opvangkern.tables import from_numpy

    array = _one_array(column)
    values = array.fill_null(0).to_numpy(zero_copy_only=False)
    bits = values.view(np.int64 if values.dtype.itemsize == 8 else np.int32)
    # The distinct bit patterns by hashing, not sorting (issue 16, eighth session: ``np.unique`` sorted the
    # 329,420 values of each of ``verloop``'s three float columns); the texts are taken by index either way.
    encoded = pc.dictionary_encode(from_numpy(bits))
    distinct = encoded.dictionary.to_numpy(zero_copy_only=False)
    rendered = _float_texts(distinct.view(values.dtype).astype(np.float64)).take(encoded.indices)
    if array.null_count:
        rendered = pc.if_else(array.is_valid(), rendered, pa.scalar("", pa.large_string()))
    return rendered


_PLAIN_LOW, _PLAIN_HIGH = 1e-4, 1e9
"""The magnitudes whose ``repr`` Arrow's cast to text writes alike (see ``_float_texts``)."""
_ARROW_FLOAT_TEXT = True
"""False: ``repr`` of every distinct float (the tests compare the two)."""


def _float_texts(values) -> pa.Array:
    """``repr`` of every value (float64) as a ``large_string`` array. ``repr`` writes the shortest digits
    that read back to the same float, without an exponent for magnitudes from 1e-4 up to 1e16, and ``.0``
    after a whole number. Arrow's cast to text writes the same shortest digits, and the same way for
    magnitudes from 1e-4 below 1e9 but for the ``.0`` of a whole number (issue 16, eighth session: ``repr``
    of each of ~100,000 distinct values per float column of a five-year ``verloop`` was ~70 ms a column).
    So the values in that range are cast, their whole numbers get ``.0``, and every other value (zero,
    the very small and large, ``nan``, ``inf``) is ``repr``'d. ``tests/test_csv_fast.py`` compares this
    with ``repr`` on floats of every magnitude."""
    import numpy as np
    import pyarrow.compute as pc

    from opvangkern.tables import from_numpy

    text = pa.large_string()
    magnitude = np.abs(values)
    plain = (magnitude >= _PLAIN_LOW) & (magnitude < _PLAIN_HIGH)  # nan: False
    if not _ARROW_FLOAT_TEXT or not plain.any():
        return pa.array(list(map(repr, values.tolist())), text)
    texts = pc.cast(from_numpy(values, pa.float64()), text)
    whole = plain & (values == np.floor(values))
    if whole.any():
        point = pc.binary_join_element_wise(texts, pa.scalar(".0", text), pa.scalar("", text))
        texts = pc.if_else(from_numpy(whole), point, texts)
    if not plain.all():
        rest = np.flatnonzero(~plain)
        texts = pc.replace_with_mask(texts, from_numpy(~plain),
                                     pa.array([repr(v) for v in values[rest].tolist()], text))
    return texts


def _date_column(column: pa.ChunkedArray) -> pa.Array | None:
    """``YYYY-MM-DD`` by Arrow's cast; ``None`` (the oracle) for a day ``datetime.date`` cannot hold."""
    import pyarrow.compute as pc

    array = _one_array(column)
    if len(array) > array.null_count:
        bounds = pc.min_max(array.view(pa.int32()))
        if bounds["min"].as_py() < _FIRST_DAY or bounds["max"].as_py() > _LAST_DAY:
            return None
    return pc.cast(array, pa.large_string()).fill_null("")


def _null_column(column: pa.ChunkedArray) -> pa.Array:
    return pa.array([""] * len(column), pa.large_string())


def _one_array(column: pa.ChunkedArray) -> pa.Array:
    if column.num_chunks == 1:
        return column.chunk(0)
    if column.num_chunks == 0:
        return pa.array([], column.type)
    if pa.types.is_dictionary(column.type):  # chunks may carry different dictionaries
        column = column.cast(column.type.value_type)
    return column.combine_chunks()


# --- the csv module's own quoting, one field at a time ----------------------------------------------

class _FieldQuoter:
    """A field as ``csv.writer(lineterminator="\\n")`` writes it inside a row of several fields."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.writer = csv.writer(self.out, lineterminator="\n")

    def __call__(self, text: str) -> str:
        self.out.seek(0)
        self.out.truncate()
        self.writer.writerow([text, ""])  # the second field keeps the one-empty-field rule out
        return self.out.getvalue()[:-2]  # the "," and the line end


def _line(fields: list[str]) -> str:
    """One whole row as the ``csv`` module writes it (the header)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


def _lone_empty_quoted(column: pa.Array) -> pa.Array:
    """A one-field row that is empty is written as the ``csv`` module writes a row of one empty field."""
    import pyarrow.compute as pc

    lone = _line([""])[:-1]
    return pc.if_else(pc.equal(column, ""), pa.scalar(lone, pa.large_string()), column)


def _join_lines(columns: list[pa.Array]) -> bytes:
    """The rows of these rendered columns (no nulls), comma-separated, each ended by a line break."""
    import numpy as np
    import pyarrow.compute as pc

    if not len(columns[0]):
        return b""
    text = pa.large_string()
    ended = pc.binary_join_element_wise(columns[-1], pa.scalar("", text), pa.scalar("\n", text))
    lines = pc.binary_join_element_wise(*columns[:-1], ended, pa.scalar(",", text)) if len(columns) > 1 else ended
    offsets = np.frombuffer(lines.buffers()[1], np.int64, count=len(lines) + 1, offset=lines.offset * 8)
    return lines.buffers()[2].slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes()
