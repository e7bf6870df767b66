"""The chart on each card, over the whole course of a task: the whole target line (every quota
point), the realisation at every peildatum (``verloop``), the card's indicative schedule and
realisation, and the projection of the pace to the deadline (``prognose``).

:func:`timeline_layout` computes the geometry (pure, tested); :func:`timeline_svg` draws it. All
figures come from the tables: the line's points (see ``page.target_line``), ``verloop``'s rows,
the card and its ``prognose`` row. Without a history the chart is the card's segment with its two
markers, as before.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import attrs

from opvangkern.numbers import dutch
from opvangkern.output.html.charts import axes_svg, marker_svg, nice_ceiling

WIDTH = 260
HEIGHT = 150
MARGIN_RIGHT = 14
MARGIN_TOP = 12
MARGIN_BOTTOM = 24
PAD_DAYS = 30
CHAR_WIDTH = 6.4
"""Width of one digit of the y-axis labels (11 px), in user units: the left margin grows with them."""

Point = tuple[float, float]
DAY = dt.timedelta(days=1)


@attrs.frozen
class TimelineLayout:
    """Positions in SVG user units (origin top left, y down)."""

    day_min: dt.date
    day_max: dt.date
    y_max: float
    margin_left: float
    line: tuple[Point, ...]
    """The target line across the whole axis (flat before its first and after its last point)."""
    line_points: tuple[Point, ...]
    """The quota points themselves (dots)."""
    history: tuple[Point, ...]
    """The realisation at every peildatum (at the start of ``peildatum + 1``), oldest first."""
    schedule: Point | None
    realisation: Point | None
    projection: tuple[Point, Point] | None
    """From the realisation to the deadline at the current pace."""
    marker_day: dt.date | None

    def x(self, day: dt.date) -> float:
        span = (self.day_max - self.day_min).days or 1
        return self.margin_left + (day - self.day_min).days / span * (WIDTH - self.margin_left - MARGIN_RIGHT)

    def y(self, value: float) -> float:
        return MARGIN_TOP + (1 - value / self.y_max) * (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)


def line_value(points: Sequence[tuple[dt.date, float]], day: dt.date) -> float:
    """The piecewise-linear line through ``points`` (sorted by date) at ``day``, flat outside them."""
    if day <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:]):
        if day <= d1:
            return v0 if d1 == d0 else v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return points[-1][1]


def card_points(card: Mapping[str, Any]) -> list[tuple[dt.date, float]]:
    """The card's own segment (startpunt → eindpunt) as line points."""
    if card.get("startdatum") is None or card.get("startpunt") is None:
        return []
    points = [(card["startdatum"], card["startpunt"])]
    if card.get("einddatum") is not None and card["einddatum"] != card["startdatum"]:
        points.append((card["einddatum"], card["eindpunt"]))
    return points


def projection_end(prognose: Mapping[str, Any] | None, card: Mapping[str, Any]) -> tuple[dt.date, float] | None:
    """Where the current pace takes the realisation by the deadline: ``R + tempo × months`` at
    ``doeldatum`` (SPEC §12's pace, ``tempo_per_maand``); ``None`` without a pace or once the
    deadline has passed or the target is reached."""
    if not prognose or card.get("peildatum") is None or card.get("realisatie") is None:
        return None
    tempo, doeldatum = prognose.get("tempo_per_maand"), prognose.get("doeldatum")
    if tempo is None or doeldatum is None or prognose.get("prognose") == "bereikt":
        return None
    start = card["peildatum"] + DAY
    if doeldatum <= start:
        return None
    months = (doeldatum - start).days * 12 / 365.25
    return doeldatum, max(0.0, card["realisatie"] + tempo * months)


def timeline_layout(card: Mapping[str, Any], line: Sequence[tuple[dt.date, float]] = (),
                    history: Sequence[tuple[dt.date, float]] = (),
                    prognose: Mapping[str, Any] | None = None) -> TimelineLayout | None:
    """The chart of one card; ``None`` when there is no target line at all.

    ``line``: the whole target line's points (default: the card's segment); ``history``:
    ``(peildatum, realisatie)`` from ``verloop``; ``prognose``: the card's ``prognose`` row."""
    points = sorted(line) if line else card_points(card)
    if not points:
        return None
    peildatum = card.get("peildatum")
    marker = peildatum + DAY if peildatum is not None else None
    shown = [(day + DAY, value) for day, value in history if value is not None]
    ahead = projection_end(prognose, card)
    days = [d for d, _ in points] + [d for d, _ in shown] + ([marker] if marker else []) + ([ahead[0]] if ahead else [])
    lo, hi = min(days), max(days)
    if lo == hi:
        lo, hi = lo - dt.timedelta(days=PAD_DAYS), hi + dt.timedelta(days=PAD_DAYS)
    schedule, realisatie = card.get("indicatief_schema"), card.get("realisatie")
    values = [v for _, v in points] + [v for _, v in shown] + [schedule or 0, realisatie or 0] + (
        [ahead[1]] if ahead else [])
    y_max = nice_ceiling(max(values) * 1.12)
    if y_max < 20:  # small figures: an even whole top, so the middle label is a whole number too
        y_max = float(max(2, math.ceil(y_max / 2) * 2))
    widest = max(len(dutch(v)) for v in (0, y_max / 2, y_max))
    margin = max(30.0, round(widest * CHAR_WIDTH + 8, 1))
    frame = TimelineLayout(lo, hi, y_max, margin, (), (), (), None, None, None, marker)

    def pos(day: dt.date, value: float) -> Point:
        return (round(frame.x(day), 1), round(frame.y(value), 1))

    inner = [p for p in points if lo < p[0] < hi]
    drawn = [pos(lo, line_value(points, lo)), *(pos(d, v) for d, v in inner), pos(hi, line_value(points, hi))]
    return attrs.evolve(
        frame,
        line=tuple(dict.fromkeys(drawn)),
        line_points=tuple(dict.fromkeys(pos(d, v) for d, v in points)),
        history=tuple(pos(d, v) for d, v in shown),
        schedule=pos(marker, schedule) if marker and schedule is not None else None,
        realisation=pos(marker, realisatie) if marker and realisatie is not None else None,
        projection=(pos(marker, realisatie), pos(*ahead)) if ahead and marker and realisatie is not None else None,
    )


def timeline_svg(card: Mapping[str, Any], *, status_class: str, title: str,
                 line: Sequence[tuple[dt.date, float]] = (), history: Sequence[tuple[dt.date, float]] = (),
                 prognose: Mapping[str, Any] | None = None) -> str:
    """The inline SVG of one card's chart (a short note when there is no target line to draw)."""
    layout = timeline_layout(card, line, history, prognose)
    if layout is None:
        return '<p class="grafiek-geen">Geen opgavelijn.</p>'
    out: list[str] = [
        f'<svg class="grafiek" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    x_left, x_right = layout.margin_left, WIDTH - MARGIN_RIGHT
    axes_svg(out, layout, x_left, x_right)
    out.append(f'<polyline class="opgavelijn" points="{" ".join(f"{x},{y}" for x, y in layout.line)}"/>')
    for x, y in layout.line_points:
        out.append(f'<circle class="opgavepunt" cx="{x}" cy="{y}" r="2.5"/>')
    if layout.projection is not None:
        (x0, y0), (x1, y1) = layout.projection
        out.append(f'<line class="prognose" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}"/>')
    if len(layout.history) > 1:
        out.append(f'<polyline class="verloop" points="{" ".join(f"{x},{y}" for x, y in layout.history)}"/>')
    for x, y in layout.history[:-1] if layout.realisation else layout.history:
        out.append(f'<circle class="verlooppunt" cx="{x}" cy="{y}" r="2"/>')
    marker_svg(out, layout, card, status_class, x_left, x_right)
    out.append("</svg>")
    return "".join(out)
