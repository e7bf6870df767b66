"""Presentation of numbers and dates: rounding half away from zero, Dutch thousands separators, Dutch
dates (``31 december 2025``): the one Dutch formatter of the readers' meldingen, the text view and the page."""

from __future__ import annotations

import datetime as dt
import math


def round_half_away(value: float) -> int:
    """Round half away from zero (2.5 → 3, -2.5 → -3), as the seed dashboard shows figures."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def dutch(value: float | int | None, blank: str = "") -> str:
    """``1010`` → ``1.010``; ``-624`` → ``-624``; ``None`` → blank. Floats are rounded first."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return blank
    number = round_half_away(value) if isinstance(value, float) else int(value)
    return f"{number:,}".replace(",", ".")


def dutch_exact(number: float | int) -> str:
    """A figure in a melding or a reconciliation line, not rounded away: ``1010`` → ``1.010``,
    ``1010.5`` → ``1.010,50`` (two decimals, decimal comma). The one Dutch formatter of the readers."""
    if float(number).is_integer():
        return f"{int(number):,}".replace(",", ".")
    return f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def dutch_percentage(value: float | None) -> str:
    if value is None:
        return ""
    return f"{round_half_away(value * 100)}%"


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
"""The Dutch month names."""


def short_date(day: dt.date) -> str:
    """``1-2-2026`` (day and month without a leading zero), as meldingen write a date in a sentence."""
    return f"{day.day}-{day.month}-{day.year}"


def long_date(day: dt.date | None) -> str:
    """``31 december 2025``; blank for ``None``."""
    return "" if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"
