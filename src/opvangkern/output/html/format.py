"""Dutch dates and small formatting helpers shared by the page, the charts and the maps."""

from __future__ import annotations

import datetime as dt

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def long_date(day: dt.date | None) -> str:
    """``31 december 2025``; blank for ``None``."""
    return "" if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    """``1 jan 2026``; blank for ``None``."""
    return "" if day is None else f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"
