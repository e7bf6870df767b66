"""Dutch dates and small formatting helpers shared by the page, the charts and the maps."""

from __future__ import annotations

import datetime as dt

from opvangkern.numbers import MONTHS, long_date  # noqa: F401 - the one Dutch date, read from here by the page

SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def short_date(day: dt.date | None) -> str:
    """``1 jan 2026``; blank for ``None``."""
    return "" if day is None else f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"
