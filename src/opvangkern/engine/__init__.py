"""The engine: target lines, indicative schedules and statuses ([The engine](engine.md)). Pure functions, no I/O.

The rules, in short:

- A **target line** goes through its quota points ``(date, amount)`` sorted by date, linear between
  them, flat before the first and after the last; one point is flat. Of two points on one date the
  later decision wins. A point's date is the start of that day.
- The **indicatief schema** for peildatum ``p`` is the line at the start of ``p + 1`` (a peildatum is
  the state at the end of its day). **startpunt/eindpunt** bound the segment that holds ``p + 1``
  (the first before the first point, the last from the last point on, the segment that starts at a
  point for a day on that point).
- **realisatiegraad** = realisatie / schema (null at schema 0). **status**: ``op_schema`` ≥ 1.00,
  ``licht_achter`` ≥ 0.75, ``achter`` below, ``geen_opgave`` at schema 0.
- **achterstand** = schema − realisatie; **delta** = last target − realisatie (missing counts as 0).
- The line of a **sum of areas** has the union of its parts' dates, each the sum of their values.
- An **agreement** (*afspraak*, [Agreements](afspraken.md)) lowers the giving line's points on or after its
  ``ingangsdatum`` and raises the receiving line's (:func:`apply_agreements`).

Over time ([Verloop en prognose](verloop-en-prognose.md), :mod:`opvangkern.engine.history`): ``as_of_sums`` (the realisation each day's
dashboard shows), ``previous_peildatum`` (``p0`` with its ``venster``), ``pace`` (tempo, benodigd,
verwachte datum, prognose) and ``last_point`` (a line's ``doel`` and ``doeldatum``). A line that turns from one
period to the next (a housing half-year, :mod:`opvangkern.engine.periods`): ``period_start`` (the pace stays
inside a period), ``period_end`` (the last point of the card's own period: ``doel``, the ``gemeenten`` target) and
``card_segments`` (a card names its own period's points).

The names here work on whole Arrow columns (:mod:`opvangkern.engine.vectorised`). The same rules,
one value at a time in plain Python, are in :mod:`opvangkern.engine.reference`, the tests' oracle.
"""

from opvangkern.engine import reference, reference_agreements
from opvangkern.engine.agreements import apply_agreements
from opvangkern.engine import reference, reference_history
from opvangkern.engine.history import PROGNOSE_VALUES, as_of_sums, last_point, pace, previous_peildatum
from opvangkern.engine import reference_periods
from opvangkern.engine.periods import card_segments, period_end, period_start, turns
from opvangkern.engine.reference import STATUS_VALUES
from opvangkern.engine.vectorised import (
    EVALUATE_COLUMNS,
    ArrayLike,
    Lines,
    achterstand,
    build_lines,
    delta,
    evaluate,
    indicative_schedule,
    last_target,
    line_value,
    realisatiegraad,
    status,
    sum_lines,
)

__all__ = [
    "reference",
    "reference_agreements",
    "apply_agreements",
    "STATUS_VALUES",
    "EVALUATE_COLUMNS",
    "ArrayLike",
    "Lines",
    "build_lines",
    "evaluate",
    "indicative_schedule",
    "line_value",
    "last_target",
    "realisatiegraad",
    "status",
    "achterstand",
    "delta",
    "sum_lines",
    "reference_history",
    "PROGNOSE_VALUES",
    "as_of_sums",
    "previous_peildatum",
    "pace",
    "last_point",
    "reference_periods",
    "turns",
    "period_start",
    "period_end",
    "card_segments",
]
