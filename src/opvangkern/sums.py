"""Sums that must stay exact: every count and target fits in a float64 without rounding (2^53).

The engine keeps float64 and the tables int64; a sum beyond 2^53 would be rounded (a wrong figure)
and beyond 2^63 overflow. Such sums are a ``fout`` (code ``som_te_groot``, SPEC §6), found where the
figures are collected: per file (``RealisatieBuilder``, ``read_quota``) and, for several files that
are added up together, per source, task and peildatum or per task and ingangsdatum (``check_dataset``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from opvangkern.model import Melding, Severity

__all__ = ["MAX_EXACT", "too_large", "sum_fout", "check_dataset"]

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
        if table.num_rows == 0:
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
