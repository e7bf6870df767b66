"""Keep pandas out of a run that does not use it, also when pandas is installed.

pyarrow imports pandas, when it is installed, the first time ``pa.array()`` is given a Python list: it
asks its lazy pandas shim whether the list might be a pandas object. That costs about half a second
and 300 modules in every ``opvangkern`` command, although nothing in a dashboard needs pandas
(``tests/test_import_cost.py``).

``defer_pandas()`` lets pyarrow make that first check while ``import pandas`` fails (a finder on
``sys.meta_path`` that refuses pandas, for the duration of one ``pa.array([0])``), and only when pandas is not
loaded yet. pyarrow remembers "not there" for its array-like test only: everything that really needs
pandas (``Table.to_pandas``, ``Table.from_pandas``, ``Dashboard.to_pandas``) asks its shim with
``raise_=True``, which imports pandas then and from then on knows it. ``opvangkern.output.frames`` and the kit's
DataFrame path call ``load_pandas()`` first for the same reason. The one thing that differs: a bare
``pa.array(series)`` by a caller who imported pandas after opvangkern and has not converted anything
with pandas yet sees the Series as a plain sequence. Should a pyarrow release work differently, nothing
breaks: pandas is then simply imported as pyarrow sees fit (and ``tests/test_import_cost.py`` notices).
"""

from __future__ import annotations

import sys

__all__ = ["defer_pandas", "load_pandas"]


class _RefusePandas:
    """A meta-path finder under which ``import pandas`` raises ``ImportError``."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas wordt hier niet geladen (opvangkern._pandas_shim)")
        return None


def defer_pandas() -> bool:
    """Let pyarrow conclude "no pandas" for its array-like checks without importing it; True when it did so."""
    if "pandas" in sys.modules:
        return False  # the caller uses pandas already: nothing to save, and pyarrow must know it
    import pyarrow as pa

    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([0])  # pyarrow's one-time pandas check, now remembered as "not there"
    except Exception:  # noqa: BLE001 - an unexpected pyarrow: leave it as it is
        return False
    finally:
        sys.meta_path.remove(refuse)
    return True


def load_pandas():
    """Import pandas and make pyarrow's shim know it (``Table.to_pandas``, ``pa.array(Series)``)."""
    import pandas as pd

    try:
        import pyarrow.lib as lib

        lib._pandas_api.pd  # raise_=True: imports pandas into the shim
    except (ImportError, AttributeError):
        pass
    return pd
