"""The small chart on each card: the target segment from startpunt to eindpunt, with the indicative
schedule and the realisation marked at the peildatum (the seed's "grafieken").

:func:`chart_layout` computes the geometry (pure, tested); :func:`chart_svg` draws it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from html import escape
from typing import Any

import attrs

from opvangkern.numbers import dutch
from opvangkern.output.html.format import short_date

WIDTH = 260
HEIGHT = 150
MARGIN_LEFT = 42
MARGIN_RIGHT = 14
MARGIN_TOP = 12
MARGIN_BOTTOM = 24
PAD_DAYS = 30
"""Half the width of the time axis when start, end and peildatum fall on one day."""


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ ``value`` (1 for anything ≤ 0).
    The axis is labelled at 0, half and the top, so each of these gives round labels."""
    if not value or value <= 0 or math.isnan(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power  # pragma: no cover


@attrs.frozen
class ChartLayout:
    """Positions in SVG user units (origin top left, y down) of everything on a card's chart."""

    day_min: dt.date
    day_max: dt.date
    y_max: float
    start: tuple[float, float]
    """The target line where the drawn time axis begins (the line is flat before its startpunt)."""
    start_point: tuple[float, float]
    end_point: tuple[float, float]
    end: tuple[float, float]
    schedule: tuple[float, float] | None
    realisation: tuple[float, float] | None
    marker_day: dt.date | None
    """The day the markers stand on: the start of ``peildatum + 1`` (= the end of the peildatum)."""

    def x(self, day: dt.date) -> float:
        return _x(day, self.day_min, self.day_max)

    def y(self, value: float) -> float:
        return _y(value, self.y_max)


def _x(day: dt.date, lo: dt.date, hi: dt.date) -> float:
    span = (hi - lo).days or 1
    return MARGIN_LEFT + (day - lo).days / span * (WIDTH - MARGIN_LEFT - MARGIN_RIGHT)


def _y(value: float, y_max: float) -> float:
    return MARGIN_TOP + (1 - value / y_max) * (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)


def _line_at(card: dict, day: dt.date) -> float:
    """The card's target segment at ``day``, flat outside it."""
    start, end = card["startdatum"], card["einddatum"]
    a, b = card["startpunt"], card["eindpunt"]
    if day <= start or start == end:
        return a
    if day >= end:
        return b
    return a + (b - a) * (day - start).days / (end - start).days


def chart_layout(card: dict) -> ChartLayout | None:
    """The chart of one ``kaarten`` row; ``None`` when it has no target segment."""
    start, end = card.get("startdatum"), card.get("einddatum")
    if start is None or end is None or card.get("startpunt") is None or card.get("eindpunt") is None:
        return None
    peildatum = card.get("peildatum")
    marker = peildatum + dt.timedelta(days=1) if peildatum is not None else None
    days = [start, end] + ([marker] if marker else [])
    lo, hi = min(days), max(days)
    if lo == hi:
        lo, hi = lo - dt.timedelta(days=PAD_DAYS), hi + dt.timedelta(days=PAD_DAYS)
    schedule = card.get("indicatief_schema")
    realisatie = card.get("realisatie")
    values = [card["startpunt"], card["eindpunt"], schedule or 0, realisatie or 0]
    y_max = nice_ceiling(max(values) * 1.12)

    def pos(day: dt.date, value: float) -> tuple[float, float]:
        return (round(_x(day, lo, hi), 1), round(_y(value, y_max), 1))

    return ChartLayout(
        day_min=lo, day_max=hi, y_max=y_max,
        start=pos(lo, _line_at(card, lo)),
        start_point=pos(start, card["startpunt"]),
        end_point=pos(end, card["eindpunt"]),
        end=pos(hi, _line_at(card, hi)),
        schedule=pos(marker, schedule) if marker and schedule is not None else None,
        realisation=pos(marker, realisatie) if marker and realisatie is not None else None,
        marker_day=marker,
    )


def chart_svg(card: dict, *, status_class: str, title: str) -> str:
    """The inline SVG of one card's chart (a short note when there is no target line to draw)."""
    layout = chart_layout(card)
    if layout is None:
        return '<p class="grafiek-geen">Geen opgavelijn.</p>'
    out: list[str] = [
        f'<svg class="grafiek" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    x_left, x_right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    axes_svg(out, layout, x_left, x_right)
    points = [layout.start, layout.start_point, layout.end_point, layout.end]
    polyline = " ".join(f"{x},{y}" for x, y in dict.fromkeys(points))
    out.append(f'<polyline class="opgavelijn" points="{polyline}"/>')
    for x, y in dict.fromkeys([layout.start_point, layout.end_point]):
        out.append(f'<circle class="opgavepunt" cx="{x}" cy="{y}" r="2.5"/>')
    marker_svg(out, layout, card, status_class, x_left, x_right)
    out.append("</svg>")
    return "".join(out)


def axes_svg(out: list[str], layout: Any, x_left: float, x_right: float) -> None:
    """The grid lines with their values (0, half, the top) and the first and last date under the axis, of
    a card's chart and of its timeline; ``layout`` has ``y``, ``y_max``, ``day_min`` and ``day_max``."""
    for value in (0, layout.y_max / 2, layout.y_max):
        y = round(layout.y(value), 1)
        out.append(f'<line class="raster" x1="{x_left}" y1="{y}" x2="{x_right}" y2="{y}"/>')
        out.append(f'<text class="as-y" x="{x_left - 4}" y="{y + 4}">{dutch(value)}</text>')
    axis_y = HEIGHT - MARGIN_BOTTOM + 16
    out.append(f'<text class="as-x" x="{x_left}" y="{axis_y}" text-anchor="start">{short_date(layout.day_min)}</text>')
    out.append(f'<text class="as-x" x="{x_right}" y="{axis_y}" text-anchor="end">{short_date(layout.day_max)}</text>')


def marker_svg(out: list[str], layout: Any, card: Mapping[str, Any], status_class: str, x_left: float,
               x_right: float) -> None:
    """The peildatum marker of a card's chart (``chart_svg``) and timeline (``timeline.timeline_svg``):
    the vertical line, the schedule and realisation points with their labels and the gap between them.
    ``layout`` has ``x``, ``marker_day``, ``schedule`` and ``realisation``; nothing is drawn without a
    ``marker_day``."""
    if layout.marker_day is None:
        return
    mx = round(layout.x(layout.marker_day), 1)
    out.append(f'<line class="peil" x1="{mx}" y1="{MARGIN_TOP}" x2="{mx}" y2="{HEIGHT - MARGIN_BOTTOM}"/>')
    anchor = "end" if mx > (x_left + x_right) / 2 else "start"
    dx = -6 if anchor == "end" else 6
    labels = []
    if layout.schedule is not None:
        labels.append(("schema", layout.schedule, f"schema {dutch(card['indicatief_schema'])}"))
    if layout.realisation is not None:
        labels.append(("realisatie", layout.realisation, f"realisatie {dutch(card['realisatie'])}"))
    if layout.schedule and layout.realisation:
        out.append(f'<line class="verschil" x1="{mx}" y1="{layout.schedule[1]}" x2="{mx}" '
                   f'y2="{layout.realisation[1]}"/>')
    # The higher marker's label goes above it, the lower's below, so the two never overlap.
    labels.sort(key=lambda item: item[1][1])
    for rank, (kind, (x, y), text) in enumerate(labels):
        ty = y - 7 if rank == 0 else y + 15
        ty = min(max(ty, MARGIN_TOP + 8), HEIGHT - MARGIN_BOTTOM - 3)
        out.append(f'<text class="label-{kind}" x="{x + dx}" y="{round(ty, 1)}" text-anchor="{anchor}">'
                   f"{escape(text)}</text>")
    if layout.schedule is not None:
        x, y = layout.schedule
        out.append(f'<circle class="schema" cx="{x}" cy="{y}" r="4"/>')
    if layout.realisation is not None:
        x, y = layout.realisation
        out.append(f'<circle class="realisatie {status_class}" cx="{x}" cy="{y}" r="4.5"/>')
    if layout.schedule is not None and layout.realisation is not None:
        # The schedule's ring again on top, so a realisation right on schedule does not hide it.
        x, y = layout.schedule
        out.append(f'<circle class="schema-rand" cx="{x}" cy="{y}" r="4"/>')
