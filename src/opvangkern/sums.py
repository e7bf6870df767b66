"""Sums that must stay exact: every count and target fits in a float64 without rounding (2^53).

The engine keeps float64 and the tables int64; a sum beyond 2^53 would be rounded (a wrong figure)
and beyond 2^63 overflow. Such sums are a ``fout`` (code ``som_te_groot``, [How files are read](sources/reading.md)), found where the
figures are collected: per file (``RealisatieBuilder``, ``read_quota``) and, for several files that
are added up together, per source, task and peildatum or per task and ingangsdatum (``check_dataset``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from opvangkern.model import Melding, Severity

__all__ = ["MAX_EXACT", "too_large", "too_large_ints", "sum_fout", "check_dataset"]

MAX_EXACT = 2**53
"""The largest sum kept: every whole number up to it is exact in a float64."""


def too_large(values: Iterable[float | int]) -> float | int | None:
    """The sum of the absolute values when it exceeds ``MAX_EXACT``, else ``None`` (never overflows:
    Python ints are exact, and floats are compared as they come)."""
    total: float | int = 0
    for v in values:
        total += abs(v)
        if total > MAX_EXACT:
            return total
    return None


def too_large_ints(values: Sequence[int]) -> int | None:
    """``too_large(values)`` for a list of Python ints, without a Python step per value when the bound
    shows at once that no sum can exceed ``MAX_EXACT`` (the count of values times the largest absolute
    value, exact in Python ints; issue 16). Otherwise the running sum of ``too_large``, so that the melding
    names the same figure."""
    if not values or len(values) * max(map(abs, values)) <= MAX_EXACT:
        return None
    return too_large(values)


def sum_fout(total: float | int, what: str, **where: Any) -> Melding:
    """The ``fout`` for a sum beyond ``MAX_EXACT``."""
    shown = _dutch(total) if total == total and abs(total) != float("inf") else "oneindig"
    return Melding(Severity.FOUT, f"{what} tellen op tot {shown}, meer dan 2^53 ({_dutch(MAX_EXACT)}); dat "
                   "is geen echt aantal en kan niet exact worden opgeteld: controleer de getallen",
                   code="som_te_groot", **where)


def _dutch(n: float | int) -> str:
    return f"{int(n):,}".replace(",", ".")


def check_dataset(opgaven: Any, realisaties: Any) -> list[Melding]:
    """``fout``s for sums over several files: realisaties per (bron, opgave, peildatum), opgaven per
    (opgave, ingangsdatum)."""
    meldingen: list[Melding] = []
    for table, keys, value, what in ((realisaties, ("bron", "opgave", "peildatum"), "aantal", "de aantallen van"),
                                     (opgaven, ("opgave", "ingangsdatum"), "aantal", "de opgaven van")):
        if table.num_rows == 0 or _all_sums_fit(table.column(value)):
            continue
        groups: dict[tuple, list[Any]] = {}
        columns = [table.column(k).to_pylist() for k in keys]
        for i, v in enumerate(table.column(value).to_pylist()):
            if v is None:
                continue
            groups.setdefault(tuple(c[i] for c in columns), []).append(v)
        for key, values in groups.items():
            total = too_large(values)
            if total is not None:
                label = ", ".join(str(k) for k in key)
                meldingen.append(sum_fout(total, f"{what} {label} (alle bestanden samen)"))
    return meldingen


def _all_sums_fit(column: Any) -> bool:
    """True when no group of ``column`` can sum beyond ``MAX_EXACT``: the number of values times the
    largest absolute value is at most ``MAX_EXACT`` (exact: compared as Python numbers). Then the
    per-group sums need not be formed at all (issue 16: 418,000 rows of a five-year history took ~2 s
    in Python). False whenever that cannot be shown (a NaN, an infinity, a large value): the exact
    per-group check then runs."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.null_count == len(column):
        return True
    try:
        if pa.types.is_floating(column.type) and pc.any(pc.is_nan(column)).as_py():
            return False  # NaN: left to the exact check
        largest = pc.max(pc.abs_checked(column)).as_py()
    except (pa.ArrowException, TypeError):  # -2^63 has no int64 absolute value; an odd type
        return False
    if largest is None:
        return True
    try:
        # A float product may round: a margin of 2 keeps the bound true (near it, the exact check runs).
        bound = MAX_EXACT if isinstance(largest, int) else MAX_EXACT // 2
        return (len(column) - column.null_count) * largest <= bound
    except OverflowError:
        return False
