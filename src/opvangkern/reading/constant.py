"""A column of one value, built from its buffers (issue 16, target 2).

``RealisatieBuilder.result()`` gives every row of a file the same ``bron``, ``bestand`` and ``peildatum``
(lists it makes itself, ``[value] * n``: one object). ``pa.array([value] * n)`` converts each of the
``n`` Python objects; the same array is its offsets (``0, w, 2w, ...``, kept per length and width) and the
value's bytes ``n`` times, or one day number ``n`` times: ~3 µs instead of ~25 for a 342-row file.
``constant_column_reference`` is the conversion it stands in for (the oracle of ``tests/test_constant_column.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["constant_column", "constant_column_reference", "same_in_every_row"]

_OFFSETS: dict[tuple[int, int], Any] = {}
_EPOCH = dt.date(1970, 1, 1)
_LARGEST = 2**31 - 1  # a string array's int32 offsets


def constant_column_reference(value: Any, n: int, type_: Any) -> Any:
    """``n`` times ``value`` as an array of ``type_``: the conversion of a Python list."""
    import pyarrow as pa

    return pa.array([value] * n, type=type_)


_MADE: dict[tuple[Any, type, int, Any], Any] = {}
"""The arrays made, by (value, its type, length, Arrow type): a weekly history's files of one source give the
same ``bron``, ``opgave``, ``categorie`` and ``blad`` to the same number of rows, file after file (an Arrow
array cannot be changed, so one serves them all; eighth session)."""


def constant_column(value: Any, n: int, type_: Any) -> Any:
    """``n`` times ``value`` as an array of ``type_``, equal to ``constant_column_reference``: a null, a text
    (``string``) or a day (``date32``) from its buffers, anything else by the reference. The same array for
    the same (value, n, type_) as the last time, while it is among the last few hundred made."""
    kind = type(value)
    if kind is not str and kind is not dt.date and value is not None:
        return _constant_column(value, n, type_)  # (a number: 0.0 and -0.0 are one key, not one array)
    key = (value, kind, n, type_)
    made = _MADE.get(key)
    if made is None:
        made = _constant_column(value, n, type_)
        if len(_MADE) >= 256:
            _MADE.clear()
        _MADE[key] = made
    return made


def _constant_column(value: Any, n: int, type_: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return pa.nulls(n, type_)
    if type_ == pa.string() and type(value) is str:
        try:
            encoded = value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the reference says what becomes of it
            return constant_column_reference(value, n, type_)
        width = len(encoded)
        if n * width > _LARGEST:
            return constant_column_reference(value, n, type_)
        offsets = _OFFSETS.get((n, width))
        if offsets is None:
            import numpy as np

            if len(_OFFSETS) > 256:
                _OFFSETS.clear()
            offsets = _OFFSETS[(n, width)] = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * width).tobytes())
        return pa.Array.from_buffers(pa.string(), n, [None, offsets, pa.py_buffer(encoded * n)])
    if type_ == pa.date32() and type(value) is dt.date:
        import numpy as np

        days = np.full(n, (value - _EPOCH).days, np.int32)
        return pa.Array.from_buffers(pa.date32(), n, [None, pa.py_buffer(days)])
    return constant_column_reference(value, n, type_)


FAST = True
"""``False``: ``same_in_every_row`` gives the list ``[value] * n`` (the conversion as it was, for the benchmarks)."""


def same_in_every_row(value: Any, n: int, type_: Any) -> Any:
    """What ``RealisatieBuilder.result()`` gives ``tables.from_columns`` for a column of ``value`` in each of
    its ``n`` rows: ``constant_column`` (or, with ``FAST`` off, the list it converted before)."""
    return constant_column(value, n, type_) if FAST else [value] * n
