"""The reference rule for agreements (*afspraken*, SPEC §13) in plain Python: the oracle of
:func:`opvangkern.engine.apply_agreements`.

An agreement moves ``aantal`` of target from a giving line to a receiving line from ``ingangsdatum`` on:

- every point of the **giving** line dated on or after ``ingangsdatum`` is lowered by ``aantal``;
- every point of the **receiving** line dated on or after ``ingangsdatum`` is raised by ``aantal``
  (the receiving line's *own* points: each line changes at its own quota dates);
- a receiving line **without a point on or after** ``ingangsdatum`` first takes the giving line's dates
  that lie after its own last point, as points at its own value there (flat after its last point, so
  this does not change it); those on or after ``ingangsdatum`` are then raised. A receiving area with
  **no line at all** is the same with a line that is 0 everywhere: it gets the giving line's dates, 0
  before ``ingangsdatum`` and ``aantal`` from it on (SPEC §13).

Every date and every base value is taken from the lines *before* any agreement, and the changes of all
agreements add up; so the order of the agreements does not matter, and an agreement and its reverse
cancel exactly. The changes at one point are summed in ascending order (``sum(sorted(...))``) so that
the vectorised engine, which does the same, agrees to the last bit.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from datetime import date

from opvangkern.engine.reference import Point, line_value, normalise_points

__all__ = ["Agreement", "apply_agreements"]

Agreement = tuple[Hashable, Hashable, date, float]
"""``(van, naar, ingangsdatum, aantal)``: the giving line's id, the receiving line's id, the date, the amount."""


def apply_agreements(lines: Mapping[Hashable, Iterable[tuple[date, float | None]]],
                     agreements: Iterable[Agreement]) -> dict[Hashable, list[Point]]:
    """The lines after the agreements: every line of ``lines`` (normalised; lines without points left
    out) plus a line for every receiving id that had none.

    Raises ``ValueError`` for an agreement whose ``aantal`` is not a number above 0, whose giving line
    has no points, or whose ``ingangsdatum`` lies after every point of the giving line (it would change
    nothing there while the receiving line still gained: target would appear from nowhere).
    """
    original = {key: pts for key, pts in ((k, normalise_points(v)) for k, v in lines.items()) if pts}
    agreements = list(agreements)
    for van, _naar, day, aantal in agreements:
        if not isinstance(aantal, (int, float)) or isinstance(aantal, bool) or not aantal > 0 or math.isinf(aantal):
            raise ValueError(f"aantal must be a number above 0, got {aantal!r}")
        giving = original.get(van)
        if not giving:
            raise ValueError(f"the giving line {van!r} has no points")
        if giving[-1][0] < day:
            raise ValueError(f"ingangsdatum {day} lies after every point of the giving line {van!r}")

    dates: dict[Hashable, set[date]] = {key: {d for d, _ in pts} for key, pts in original.items()}
    for van, naar, day, _aantal in agreements:
        receiving = original.get(naar)
        if receiving is None:
            extra = {d for d, _ in original[van]}
        elif receiving[-1][0] < day:
            extra = {d for d, _ in original[van] if d > receiving[-1][0]}
        else:
            extra = set()
        dates.setdefault(naar, set()).update(extra)

    out: dict[Hashable, list[Point]] = {}
    for key, days in dates.items():
        points = []
        for day in sorted(days):
            base = line_value(original[key], day) if key in original else 0.0
            changes = [-float(a) for van, _, d, a in agreements if van == key and day >= d]
            changes += [float(a) for _, naar, d, a in agreements if naar == key and day >= d]
            points.append((day, base + sum(sorted(changes))))
        out[key] = points
    return out
