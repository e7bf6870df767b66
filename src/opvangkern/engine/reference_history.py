"""The reference engine for [Verloop en prognose](verloop-en-prognose.md) (``verloop`` and ``prognose``): plain Python, one value at a time.

This is the oracle of :mod:`opvangkern.engine.history`, written to be read against the contract:

- **as of a day** (:func:`as_of_sum`): the realisation that ``dashboard(peildatum=day)`` shows is, per
  source, the sum of its rows in its latest file on or before ``day``; sources add up.
- **vorige peildatum** (:func:`previous_peildatum`): the latest peildatum of the history at least
  ``venster`` days before ``p``; else the earliest before ``p``; ``None`` when there is none.
- **pace** (:func:`pace`): ``tempo_per_maand``, ``benodigd_per_maand``, ``verwachte_datum`` and
  ``prognose`` as [Verloop en prognose](verloop-en-prognose.md) defines them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from datetime import date, timedelta

__all__ = [
    "DAYS_PER_MONTH",
    "PROGNOSE_VALUES",
    "VENSTER",
    "as_of_sum",
    "previous_peildatum",
    "pace",
    "expected_days",
]

DAYS_PER_MONTH = 365.25 / 12
"""A month in days ([Verloop en prognose](verloop-en-prognose.md): ``× 365.25 / 12``)."""
VENSTER = 91
"""The default window in days for ``vorige_peildatum``."""
BEREIKT = "bereikt"
OP_KOERS = "op_koers"
NIET_OP_KOERS = "niet_op_koers"
ONBEKEND = "onbekend"
PROGNOSE_VALUES: tuple[str, ...] = (BEREIKT, OP_KOERS, NIET_OP_KOERS, ONBEKEND)
"""Every prognose value, in the order of the vectorised engine's dictionary codes."""
WHOLE_DAY_TOLERANCE = 1e-9
"""A projected number of days within this of a whole number is that whole number (float rounding of
an exact quotient must not move the date a day later)."""

_ONE_DAY = timedelta(days=1)


def _missing(value: float | None) -> bool:
    return value is None or value != value


def as_of_sum(
    files: Iterable[tuple[Hashable, date]],
    rows: Iterable[tuple[Hashable, date, Hashable, float | None]],
    group: Hashable,
    day: date,
) -> float | None:
    """The realisation of ``group`` as the dashboard of ``day`` shows it.

    ``files`` are (source, peildatum) pairs: the files there are. ``rows`` are (source, peildatum,
    group, aantal). Each source counts at its latest file on or before ``day``: the sum of that file's
    rows of ``group`` (0 when it has none; a missing aantal adds nothing). Sources add up. ``None``
    when no source has a file on or before ``day``.
    """
    files = list(files)
    rows = list(rows)
    total: float | None = None
    for source in {s for s, _ in files}:
        days = [d for s, d in files if s == source and d <= day]
        if not days:
            continue
        chosen = max(days)
        found = sum(a for s, d, g, a in rows if s == source and d == chosen and g == group and not _missing(a))
        total = (0 if total is None else total) + found
    return total


def previous_peildatum(history: Iterable[date], peildatum: date, venster: int = VENSTER) -> date | None:
    """``p0`` for the card of ``peildatum``: the latest day of ``history`` at least ``venster`` days before
    ``peildatum``; else the earliest day before it; ``None`` when ``history`` has no day before it."""
    before = [d for d in history if d < peildatum]
    if not before:
        return None
    far = [d for d in before if (peildatum - d).days >= venster]
    return max(far) if far else min(before)


def expected_days(doel: float, realisatie: float, p_days: int, vorige_realisatie: float) -> int | None:
    """``ceil((doel − R) × (p − p0) / (R − R0))``: the days from ``p`` until the pace reaches ``doel``
    (``R < doel`` and ``R > R0``). A quotient within :data:`WHOLE_DAY_TOLERANCE` of a whole number counts
    as that number. ``None`` when the quotient is beyond any float (a progress ``R − R0`` so small that
    dividing by it overflows): no day at all, so certainly not before the year 10000."""
    days = (doel - realisatie) * p_days / (realisatie - vorige_realisatie)
    if not math.isfinite(days):
        return None
    return math.ceil(days - WHOLE_DAY_TOLERANCE)


def pace(
    peildatum: date,
    realisatie: float | None,
    doel: float | None,
    doeldatum: date | None,
    vorige_peildatum: date | None,
    vorige_realisatie: float | None,
) -> dict[str, object]:
    """The pace of one card ([Verloop en prognose](verloop-en-prognose.md)), with ``p`` = ``peildatum``, ``R`` = ``realisatie``, ``p0`` and ``R0``
    the previous peildatum and its realisation:

    - ``tempo_per_maand`` = (R − R0) / (p − p0) days × 365.25 / 12; ``None`` without ``p0``;
    - ``benodigd_per_maand`` = 0 once R ≥ doel; else (doel − R) / (doeldatum − (p + 1)) days × 365.25 / 12
      while doeldatum > p + 1; ``None`` when that date has passed;
    - ``verwachte_datum`` = p + ceil((doel − R) × (p − p0) / (R − R0)) days when R < doel and R > R0
      (``None`` when that lies past 31 December 9999: ``niet_op_koers``);
    - ``prognose``: ``bereikt`` (R ≥ doel), ``onbekend`` (no ``p0``), ``op_koers`` (verwachte_datum ≤
      doeldatum), ``niet_op_koers`` (later, or no progress while R < doel).

    A missing ``R`` or ``doel`` gives ``None`` figures and ``onbekend``; a ``p0`` not before ``p`` is no ``p0``.
    """
    out: dict[str, object] = {"tempo_per_maand": None, "benodigd_per_maand": None, "verwachte_datum": None,
                              "prognose": ONBEKEND}
    if _missing(realisatie) or _missing(doel) or doeldatum is None:
        return out
    has_previous = (vorige_peildatum is not None and not _missing(vorige_realisatie)
                    and vorige_peildatum < peildatum)
    if has_previous:
        span = (peildatum - vorige_peildatum).days
        out["tempo_per_maand"] = (realisatie - vorige_realisatie) / span * DAYS_PER_MONTH
    left = (doeldatum - (peildatum + _ONE_DAY)).days
    if realisatie >= doel:
        out["benodigd_per_maand"] = 0.0
        out["prognose"] = BEREIKT
        return out
    if left > 0:
        out["benodigd_per_maand"] = (doel - realisatie) / left * DAYS_PER_MONTH
    if not has_previous:
        return out
    out["prognose"] = NIET_OP_KOERS
    if realisatie > vorige_realisatie:
        days = expected_days(doel, realisatie, span, vorige_realisatie)
        if days is not None and days <= date.max.toordinal() - peildatum.toordinal():  # else: not before 10000
            expected = peildatum + timedelta(days=days)
            out["verwachte_datum"] = expected
            out["prognose"] = OP_KOERS if expected <= doeldatum else NIET_OP_KOERS
    return out
